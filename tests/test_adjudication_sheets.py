"""Adjudication sheets for coders (issue 14 item 8): clause text and labels in the chosen language, read back."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.cli import main
from policyquant.errors import ReadError, ValidationError
from policyquant.reliability import adjudicate, disagreements

CORPUS = pq.datasets.load_genai_china()
UNITS = CORPUS.units
INSTRUMENTS = list(CORPUS.framework.instrument_keys)


def second_coder(
    instruments: tuple[int, ...] = (1, 40),
    scores: tuple[int, ...] = (0,),
    objectives: tuple[int, ...] = (5,),
    documents: tuple[int, ...] = (2,),
) -> pq.Corpus:
    """The example corpus as a second coder coded it: other instruments, scores, objectives and authority."""
    units = UNITS.copy()
    for position in instruments:
        current = units.loc[position, "instrument"]
        units.loc[position, "instrument"] = INSTRUMENTS[(INSTRUMENTS.index(current) + 1) % len(INSTRUMENTS)]
    for position in scores:
        units.loc[position, "AS"] = 1 if units.loc[position, "AS"] != 1 else 3
    for position in objectives:
        current = units.loc[position, "objectives"]
        chosen = set(current.split("; ") if isinstance(current, str) else current)
        # Toggling a unit's only objective would leave it with none, which no coder may do.
        chosen ^= {"public_safety"} if chosen == {"rights_protection"} else {"rights_protection"}
        units.loc[position, "objectives"] = "; ".join(
            key for key in CORPUS.framework.objective_keys if key in chosen
        )
    docs = CORPUS.documents.copy()
    for position in documents:
        docs.loc[position, "DA"] = 1 if docs.loc[position, "DA"] != 1 else 3
    return pq.Corpus(docs, units)


B = second_coder()
CODERS = {"Li": CORPUS, "Wang": B}


def _sheet(language):
    return disagreements(CODERS, language=language).to_frame()


# -- what the sheet shows ----------------------------------------------------------------------------


def test_the_chinese_sheet_has_text_and_labels_not_keys():
    sheet = _sheet("zh")
    assert sheet.columns.tolist() == ["编号", "文件", "文本", "编码维度", "Li", "Wang", "裁决"]
    instrument = sheet[sheet["编码维度"] == "政策工具"].set_index("编号")
    unit = UNITS.loc[1]
    row = instrument.loc[unit["unit_id"]]
    assert row["文本"] == unit["text"]
    assert row["文件"] == unit["doc_id"]
    # Each coder's code by its Chinese label, never the key.
    framework = CORPUS.framework
    assert row["Li"] == framework.get("instrument", unit["instrument"]).label_in("zh")
    assert row["Wang"] == framework.get("instrument", B.units.loc[1, "instrument"]).label_in("zh")
    values = set(sheet["Li"].dropna()) | set(sheet["Wang"].dropna())
    assert not values & set(INSTRUMENTS)
    assert "standards_and_norms" not in sheet.to_string()
    objective = sheet[sheet["编码维度"] == "政策目标：法定权益保护"]
    assert len(objective) == 1 and {objective.iloc[0]["Li"], objective.iloc[0]["Wang"]} == {"是", "否"}
    score = sheet[sheet["编码维度"] == "作用范围"].iloc[0]
    assert (
        score["Li"]
        == f"{int(UNITS.loc[0, 'AS'])}（{framework.scale.dimension('AS').level(int(UNITS.loc[0, 'AS'])).label_in('zh')}）"
    )
    assert score["Wang"].startswith("1（")
    # A document-level score shows the document and its title.
    authority = sheet[sheet["编码维度"] == "发文权威"].iloc[0]
    document = CORPUS.documents.loc[2]
    assert (authority["编号"], authority["文件"], authority["文本"]) == (
        document["doc_id"],
        document["doc_id"],
        document["title"],
    )
    assert sheet["裁决"].isna().all()


def test_the_english_sheet_and_the_sheet_as_computed():
    sheet = _sheet("en")
    assert sheet.columns.tolist() == ["ID", "Document", "Text", "Coded dimension", "Li", "Wang", "Decision"]
    assert set(sheet["Coded dimension"]) == {
        "Policy instrument",
        "Objective: Statutory Rights Protection",
        "Audience scope",
        "Authority strength",
    }
    row = sheet[sheet["Coded dimension"] == "Policy instrument"].iloc[0]
    assert row["Li"] == CORPUS.framework.get("instrument", UNITS.loc[1, "instrument"]).label
    assert row["Text"] == UNITS.loc[1, "text"]
    # Without a language the sheet is as computed: ids, keys and codes as stored.
    keys = disagreements(CODERS).to_frame()
    assert keys.columns.tolist() == ["id", "doc_id", "text", "dimension", "Li", "Wang", "decision"]
    assert "instrument" in set(keys["dimension"])
    # The same rows and columns in every language: labels, not another table.
    assert keys.shape == sheet.shape
    assert keys["text"].tolist() == sheet["Text"].tolist()
    assert keys["id"].tolist() == sheet["ID"].tolist()
    # The same labelled sheet from to_frame(language=...), in any spelling of the language.
    assert disagreements(CODERS).to_frame(language="zh-CN").equals(_sheet("zh"))


def test_a_sheet_with_no_disagreement_is_empty_with_its_headers():
    sheet = disagreements({"Li": CORPUS, "Wang": CORPUS}, language="zh").to_frame()
    assert sheet.empty and sheet.columns.tolist() == [
        "编号",
        "文件",
        "文本",
        "编码维度",
        "Li",
        "Wang",
        "裁决",
    ]


# -- read back ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "suffix"), [("zh", ".xlsx"), ("en", ".csv"), ("zh", ".csv"), ("en", ".xlsx")]
)
def test_a_filled_in_sheet_round_trips_through_a_file(tmp_path, language, suffix):
    result = disagreements(CODERS, language=language)
    path = tmp_path / f"sheet{suffix}"
    if suffix == ".xlsx":
        result.save(path, index=False)
        book = openpyxl.load_workbook(path)
        sheet = book.active
        header = [cell.value for cell in sheet[1]]
        wang, decision = (
            header.index("Wang") + 1,
            header.index({"zh": "裁决", "en": "Decision"}[language]) + 1,
        )
        for row in range(2, sheet.max_row + 1):
            sheet.cell(row, decision).value = sheet.cell(row, wang).value
        book.save(path)
    else:
        frame = result.to_frame()
        frame[frame.columns[-1]] = frame["Wang"]
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    # Every decision is Wang's label: the agreed corpus is Wang's.
    assert adjudicate(CODERS, path) == B
    assert adjudicate(CODERS, str(path)) == B


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_filled_in_sheet_round_trips_as_a_dataframe(language):
    sheet = _sheet(language)
    decision = sheet.columns[-1]
    sheet[decision] = sheet["Li"]
    assert adjudicate(CODERS, sheet) == CORPUS
    sheet[decision] = sheet["Wang"]
    assert adjudicate(CODERS, sheet) == B
    # A blank decision leaves the tie open.
    sheet.loc[sheet.index[0], decision] = "  "
    with pytest.raises(ValidationError, match="1 tie"):
        adjudicate(CODERS, sheet)


def test_decisions_read_keys_labels_and_numbers_in_any_language():
    keys = disagreements(CODERS).to_frame()
    sheet = pd.DataFrame({"编号": keys["id"], "编码维度": keys["dimension"], "裁决": keys["Wang"]})
    assert adjudicate(CODERS, sheet) == B
    english = _sheet("en")
    mixed = pd.DataFrame(
        {"id": english["ID"], "dimension": _sheet("zh")["编码维度"], "decision": english["Wang"]}
    )
    assert adjudicate(CODERS, mixed) == B
    words = {"是": "yes", "否": "No"}
    chinese = _sheet("zh")
    chinese["裁决"] = chinese["Wang"].map(lambda v: words.get(v, v))
    assert adjudicate(CODERS, chinese) == B


# -- the command line --------------------------------------------------------------------------------


def test_the_cli_writes_the_sheet_in_the_chosen_language_and_it_reads_back(tmp_path):
    a, b = tmp_path / "li.json", tmp_path / "wang.json"
    pq.write_coding(CORPUS, a)
    pq.write_coding(B, b)
    sheet = tmp_path / "裁决表.xlsx"
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "reliability",
            str(a),
            str(b),
            "--coder",
            "Li",
            "--coder",
            "Wang",
            "--disagreements",
            str(sheet),
            "--lang",
            "zh",
        ],
    )
    assert result.exit_code == 0, result.output
    # --lang labels the agreement table too.
    assert "政策工具" in result.output and "编码维度" in result.output
    frame = pd.read_excel(sheet, dtype=str, engine="calamine")
    assert frame.columns.tolist() == ["编号", "文件", "文本", "编码维度", "Li", "Wang", "裁决"]
    assert UNITS.loc[1, "text"] in set(frame["文本"])
    assert "政策工具" in set(frame["编码维度"])
    frame["裁决"] = frame["Wang"]
    filled = tmp_path / "filled.csv"
    frame.to_csv(filled, index=False, encoding="utf-8-sig")
    assert adjudicate(CODERS, filled) == B
    # Without --lang: the English sheet, as CSV.
    english = tmp_path / "sheet.csv"
    result = runner.invoke(main, ["reliability", str(a), str(b), "--disagreements", str(english)])
    assert result.exit_code == 0, result.output
    assert pd.read_csv(english, encoding="utf-8-sig").columns[:4].tolist() == [
        "ID",
        "Document",
        "Text",
        "Coded dimension",
    ]
    result = runner.invoke(
        main, ["reliability", str(a), str(b), "--disagreements", str(english), "--lang", "fr"]
    )
    assert result.exit_code == 2
    assert "'fr'" in result.output


# -- bad sheets --------------------------------------------------------------------------------------


def test_an_unreadable_decision_is_named_by_row_and_value():
    sheet = _sheet("zh")
    sheet["裁决"] = sheet["Wang"]
    objective = sheet.index[sheet["编码维度"] == "政策目标：法定权益保护"][0]
    sheet.loc[objective, "裁决"] = "也许"
    with pytest.raises(ValidationError, match="1 decision\\(s\\) cannot be read") as caught:
        adjudicate(CODERS, sheet)
    problem = caught.value.problems.iloc[0]
    assert (problem["row"], problem["column"], problem["value"]) == (objective + 2, "裁决", "也许")
    assert "是 or 否" in problem["expected"]


def test_an_unknown_dimension_label_gets_the_closest():
    sheet = _sheet("en")
    sheet["Decision"] = sheet["Wang"]
    sheet.loc[0, "Coded dimension"] = "instrumnt"
    with pytest.raises(ValidationError, match="decisions name unknown dimensions") as caught:
        adjudicate(CODERS, sheet)
    problem = caught.value.problems.iloc[0]
    assert (problem["row"], problem["value"], problem["suggestions"]) == (2, "instrumnt", "instrument")


def test_a_sheet_without_its_columns_or_file_is_a_clear_error(tmp_path):
    with pytest.raises(ValidationError, match="missing: decision"):
        adjudicate(CODERS, _sheet("zh").drop(columns="裁决"))
    with pytest.raises(ReadError, match="no such decision sheet"):
        adjudicate(CODERS, tmp_path / "missing.xlsx")
    (tmp_path / "sheet.pdf").write_bytes(b"%PDF")
    with pytest.raises(ReadError, match=r"a decision sheet is a \.csv or \.xlsx file"):
        adjudicate(CODERS, tmp_path / "sheet.pdf")
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(ReadError, match="not a readable decision sheet"):
        adjudicate(CODERS, tmp_path / "broken.xlsx")
    with pytest.raises(ValidationError, match="decisions must be a DataFrame"):
        adjudicate(CODERS, 42)
    with pytest.raises(ValidationError, match="a coder is named '文本'"):
        disagreements({"文本": CORPUS, "Wang": B}, language="zh").to_frame()
    with pytest.raises(ValidationError, match="a coder is named 'text'"):
        disagreements({"text": CORPUS, "Wang": B})
    with pytest.raises(ValidationError, match="language"):
        disagreements(CODERS, language="klingon")


# -- a property: whatever the coders disagree on, the sheet carries it back ----------------------


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    instruments=st.sets(st.integers(0, len(UNITS) - 1), max_size=3),
    scores=st.sets(st.integers(0, len(UNITS) - 1), max_size=2),
    objectives=st.sets(st.integers(0, len(UNITS) - 1), max_size=2),
    documents=st.sets(st.integers(0, len(CORPUS.documents) - 1), max_size=2),
    language=st.sampled_from(["zh", "en"]),
)
def test_any_disagreements_round_trip_through_the_labelled_sheet(
    instruments, scores, objectives, documents, language
):
    other = second_coder(tuple(instruments), tuple(scores), tuple(objectives), tuple(documents))
    coders = {"Li": CORPUS, "Wang": other}
    sheet = disagreements(coders, language=language).to_frame()
    keys = disagreements(coders).to_frame()
    assert len(sheet) == len(keys) == len(instruments) + len(scores) + len(objectives) + len(documents)
    # Nothing but the text and labels added: the ids are the ids.
    assert sheet.iloc[:, 0].tolist() == keys["id"].tolist()
    sheet[sheet.columns[-1]] = sheet["Wang"]
    assert adjudicate(coders, sheet) == other
