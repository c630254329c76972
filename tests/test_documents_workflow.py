"""From segmented documents into the coding workflow (issue 15, item 5).

A coding template prefilled with documents (metadata and suggested scores, shown as
suggestions) and their clauses; ``none`` / ``无`` for a clause without an instrument,
counted apart while an empty cell stays an error; segmented units as REFI-QDA sources.
"""

from __future__ import annotations

import io
import uuid
import warnings
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.corpus import NO_INSTRUMENT
from policyquant.errors import InputTypeError, ValidationError
from policyquant.io import read_qdpx, write_coding_template, write_qdpx
from policyquant.io.refi._xml import PROJECT_NAMESPACE, qdc_guid

SCHEMAS = Path(pq.__file__).parent / "io" / "schemas"
NS = "{" + PROJECT_NAMESPACE + "}"

DOCUMENTS = pd.DataFrame(
    {
        "doc_id": ["N01", "P01"],
        "path": ["genai_service_security_measures.txt", "beijing_agi_action_plan.html"],
        "title": ["生成式人工智能服务安全管理办法", "北京市推动通用人工智能创新发展行动方案"],
        "text": ["第一章　总则\n第一条　为了……\n第二条　……", "一、发展目标\n（一）……"],
        "issuers": [("国家互联网信息办公室", "工业和信息化部", "公安部"), ("北京市人民政府",)],
        "level": ["national", "provincial"],
        "region": ["China", "Beijing"],
        "date": ["2024-03-15", "2024-02-05"],
        "doc_number": ["国家互联网信息办公室 工业和信息化部 公安部令第21号", "京政发〔2024〕3号"],
        "DA_suggested": pd.array([3, 2], dtype="Int64"),
        "DA_basis": [
            "办法 of ministries: departmental rules",
            "方案 of a provincial government: normative document",
        ],
    }
)

UNITS = pd.DataFrame(
    {
        "unit_id": ["N01-1-1", "N01-1-2", "N01-signature", "P01-1-1"],
        "doc_id": ["N01", "N01", "N01", "P01"],
        "kind": ["clause", "clause", "signature", "clause"],
        "text": [
            "第一条　为了……\n制定本办法。",
            "第二条　=SUM(A1) 不是公式",
            "国家互联网信息办公室\n2024年3月15日",
            "（一）到2026年……",
        ],
        "start": [7, 30, 60, 7],
        "end": [25, 45, 80, 20],
    }
)


def _template(tmp_path: Path, language: str | None = None, **kwargs) -> Path:
    kwargs.setdefault("documents", DOCUMENTS)
    kwargs.setdefault("units", UNITS)
    return write_coding_template("wang2026", tmp_path / "coding.xlsx", language=language, **kwargs)


def _header(sheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1] if cell.value is not None}


def _fill_units(sheet, codes: dict[str, tuple]) -> None:
    """Code the units sheet as a coder would: instrument, objectives, AS, MI by unit_id."""
    columns = _header(sheet)
    names = list(columns)
    instrument, objectives, as_, mi = names[3], names[4], names[5], names[6]
    for row in range(2, sheet.max_row + 1):
        unit_id = sheet.cell(row=row, column=1).value
        if unit_id in codes:
            for name, value in zip((instrument, objectives, as_, mi), codes[unit_id], strict=True):
                sheet.cell(row=row, column=columns[name]).value = value


# Template prefill ---------------------------------------------------------------------


def test_prefilled_template_holds_the_documents_and_units(tmp_path):
    book = openpyxl.load_workbook(_template(tmp_path))
    documents, units = book["documents"], book["units"]
    header = _header(documents)
    assert list(header)[:8] == ["doc_id", "title", "issuers", "level", "region", "year", "date", "DA"]
    # The suggestion and its basis come right after the template's own columns, before other extras.
    extras = list(header)[list(header).index("DA") + 1 :]
    assert extras[extras.index("DA_suggested") + 1] == "DA_basis"
    assert "text" not in header  # a whole document is no cell's content
    assert "doc_number" in header and "path" in header
    rows = list(documents.iter_rows(min_row=2, max_row=3, values_only=True))
    assert [r[0] for r in rows] == ["N01", "P01"]
    assert rows[0][2] == "国家互联网信息办公室; 工业和信息化部; 公安部"
    # The score cells stay empty: a suggestion is not a code.  It is shown beside and as a comment.
    assert [documents.cell(row=r, column=header["DA"]).value for r in (2, 3)] == [None, None]
    assert [documents.cell(row=r, column=header["DA_suggested"]).value for r in (2, 3)] == ["3", "2"]
    comment = documents.cell(row=2, column=header["DA"]).comment
    assert comment is not None and "3" in comment.text and "departmental rules" in comment.text
    assert documents.cell(row=2, column=header["DA_suggested"]).fill.fgColor.rgb.endswith("FFF2CC")
    # Units: ids, documents and texts exactly; the coding cells empty; no other column.
    assert [c.value for c in units[1]][:3] == ["unit_id", "doc_id", "text"]
    cells = list(units.iter_rows(min_row=2, max_row=5, values_only=True))
    assert [c[:3] for c in cells] == list(
        UNITS[["unit_id", "doc_id", "text"]].itertuples(index=False, name=None)
    )
    assert all(value is None for row in cells for value in row[3:])
    assert "kind" not in _header(units) and "start" not in _header(units)
    # The instructions say how suggestions are confirmed, and how "none" is coded.
    lines = [c.value for c in book["instructions"]["A"] if c.value]
    assert any("Suggested scores (DA)" in line for line in lines)
    assert any("pick none as its instrument" in line for line in lines)


def test_filled_prefilled_template_reads_back_and_tabulates(tmp_path):
    path = _template(tmp_path)
    book = openpyxl.load_workbook(path)
    documents = book["documents"]
    da = _header(documents)["DA"]
    documents.cell(row=2, column=da).value = 3  # the suggestion, confirmed
    documents.cell(row=3, column=da).value = 1  # the suggestion (2), overridden
    _fill_units(
        book["units"],
        {
            "N01-1-1": ("none", None, None, None),
            "N01-1-2": ("standards_and_norms", "public_safety; rights_protection", 5, 3),
            "N01-signature": ("none", None, None, None),
            "P01-1-1": ("试点示范", "应用场景完善", 3, 1),
        },
    )
    book.save(path)
    corpus = pq.read_coding(path, framework="wang2026")
    assert corpus.documents["DA"].tolist() == [3, 1]
    # What was suggested stays on record, as text, and is not the score.
    assert corpus.documents["DA_suggested"].tolist() == ["3", "2"]
    assert corpus.units["unit_id"].tolist() == ["N01-1-2", "P01-1-1"]
    assert corpus.not_coded["unit_id"].tolist() == ["N01-1-1", "N01-signature"]
    assert corpus.not_coded["text"].tolist() == [UNITS.loc[0, "text"], UNITS.loc[2, "text"]]
    table = pq.crosstab(corpus)
    assert table.total == 3 and table.not_coded == 2
    assert table.counts.loc["standards_and_norms", ["rights_protection", "public_safety"]].tolist() == [1, 1]
    assert table.counts.loc["pilots_and_demonstrations", "application_scenarios"] == 1
    scores = pq.efficacy(corpus)
    assert scores.to_dict() == {"N01-1-2": 24.0, "P01-1-1": 4.0}
    assert scores.attrs["not_coded"] == 2
    assert repr(corpus) == "<Corpus wang2026: 2 documents, 2 units, 3 codings, 2 not coded>"


def test_an_unconfirmed_suggestion_is_never_read_as_a_code(tmp_path):
    path = _template(tmp_path)
    book = openpyxl.load_workbook(path)
    _fill_units(book["units"], {u: ("none", None, None, None) for u in UNITS["unit_id"]})
    book.save(path)
    with pytest.raises(ValidationError) as caught:
        pq.read_coding(path, framework="wang2026")
    problems = caught.value.problems
    missing = problems[problems["column"] == "DA"]
    assert missing["row"].tolist() == [2, 3]
    assert set(missing["problem"]) == {"missing score"}


def test_a_score_given_with_the_documents_is_prefilled_and_not_commented(tmp_path):
    documents = DOCUMENTS.assign(DA=DOCUMENTS["DA_suggested"])  # accepted explicitly, by the researcher
    book = openpyxl.load_workbook(_template(tmp_path, documents=documents))
    sheet = book["documents"]
    da = _header(sheet)["DA"]
    assert [sheet.cell(row=r, column=da).value for r in (2, 3)] == [3, 2]
    assert sheet.cell(row=2, column=da).comment is None


def test_prefill_in_chinese_reads_back_without_a_mapping(tmp_path):
    path = _template(tmp_path, language="zh")
    book = openpyxl.load_workbook(path)
    assert [c.value for c in book["条款"][1]][:5] == [
        "条款编号",
        "文件编号",
        "条款内容",
        "政策工具",
        "政策目标",
    ]
    comment = book["文件"].cell(row=2, column=_header(book["文件"])["发文权威"]).comment
    assert comment.text.startswith("建议：3")
    sheet = book["文件"]
    sheet.cell(row=2, column=_header(sheet)["发文权威"]).value = 3
    sheet.cell(row=3, column=_header(sheet)["发文权威"]).value = 2
    _fill_units(book["条款"], {u: ("无", None, None, None) for u in UNITS["unit_id"][:3]})
    _fill_units(book["条款"], {"P01-1-1": ("标准规范", "公共安全与利益", 5, 5)})
    book.save(path)
    corpus = pq.read_coding(path, framework="wang2026")
    assert len(corpus.units) == 1 and len(corpus.not_coded) == 3


def test_prefill_takes_a_segmentation_like_object_and_framework_method(tmp_path):
    class Segmented:
        def __init__(self, frame):
            self.frame = frame

        def to_frame(self, language=None):
            return self.frame

    path = pq.get_framework("wang2026").coding_template(
        tmp_path / "c.xlsx", documents=DOCUMENTS, units=Segmented(UNITS)
    )
    assert openpyxl.load_workbook(path)["units"]["A5"].value == "P01-1-1"


def test_more_units_than_rows_extend_the_lists(tmp_path):
    units = pd.DataFrame(
        {
            "unit_id": [f"N01-1-{i}" for i in range(1, 13)],
            "doc_id": "N01",
            "text": [f"第{i}条" for i in range(12)],
        }
    )
    path = write_coding_template(
        "wang2026", tmp_path / "c.xlsx", documents=DOCUMENTS, units=units, units_rows=5
    )
    sheet = openpyxl.load_workbook(path)["units"]
    assert sheet.max_row == 13
    ranges = " ".join(str(v.sqref) for v in sheet.data_validations.dataValidation)
    assert "D2:D13" in ranges


@pytest.mark.parametrize(
    ("units", "column", "problem"),
    [
        (
            UNITS.assign(unit_id=["N01-1-1", "N01-1-1", "N01-signature", "P01-1-1"]),
            "unit_id",
            "duplicate unit_id",
        ),
        (UNITS.assign(doc_id=["N01", "N01", "N09", "P01"]), "doc_id", "no document with this doc_id"),
        (
            UNITS.assign(unit_id=["N01-1-1", None, "N01-signature", "P01-1-1"]),
            "unit_id",
            "empty required cell",
        ),
        (UNITS.assign(unit_id=[1.0, 2.0, 3.0, 4.0]), "unit_id", "id was read as a number"),
    ],
)
def test_bad_units_are_refused_naming_the_row(tmp_path, units, column, problem):
    with pytest.raises(ValidationError) as caught:
        _template(tmp_path, units=units)
    assert caught.value.args[0].startswith("units: cannot pre-fill the template")
    problems = caught.value.problems
    assert problem in problems.loc[problems["column"] == column, "problem"].iloc[0]
    assert not (tmp_path / "coding.xlsx").exists()


def test_units_without_text_or_not_a_table_are_refused(tmp_path):
    with pytest.raises(ValidationError, match="missing column 'text'"):
        _template(tmp_path, units=UNITS.drop(columns="text"))
    with pytest.raises(InputTypeError, match=r"units must be the result of policyquant\.segment"):
        _template(tmp_path, units=["N01-1-1"])


def test_a_clause_an_excel_cell_cannot_hold_is_refused_naming_the_unit(tmp_path):
    units = UNITS.assign(text=["fine", "form\x0cfeed", "x", "y"])
    with pytest.raises(ValidationError) as caught:
        _template(tmp_path, units=units)
    problem = caught.value.problems.iloc[0]
    assert problem["column"] == "text" and "N01-1-2" in problem["problem"]


def test_a_pmc_template_takes_no_units(tmp_path):
    with pytest.raises(ValidationError, match="takes no pre-filled documents or units"):
        write_coding_template("pmc", tmp_path / "pmc.xlsx", units=UNITS)


def test_a_suggestion_that_is_no_score_is_refused(tmp_path):
    documents = DOCUMENTS.assign(DA_suggested=[3, 7])
    with pytest.raises(ValidationError, match="DA_suggested holds values that are not scores of DA"):
        _template(tmp_path, documents=documents)


texts = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.sampled_from(list("第一条　（）〔〕，。；：、“”abcXYZ019 \n\t=+-@#《》")),
    ),
    min_size=1,
    max_size=60,
).filter(lambda t: t.strip())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(texts, min_size=1, max_size=6))
def test_prefilled_units_round_trip_unchanged(tmp_path_factory, clause_texts):
    folder = tmp_path_factory.mktemp("prefill")
    units = pd.DataFrame(
        {
            "unit_id": [f"文件1-1-{i}" for i in range(1, len(clause_texts) + 1)],
            "doc_id": "文件1",
            "text": clause_texts,
        }
    )
    documents = pd.DataFrame({"doc_id": ["文件1"], "DA": [3]})
    path = write_coding_template("wang2026", folder / "c.xlsx", documents=documents, units=units)
    book = openpyxl.load_workbook(path)
    _fill_units(book["units"], {u: (NO_INSTRUMENT, None, None, None) for u in units["unit_id"]})
    book.save(path)
    corpus = pq.read_coding(path, framework="wang2026")
    back = corpus.not_coded
    assert back["unit_id"].tolist() == units["unit_id"].tolist()
    assert back["doc_id"].tolist() == units["doc_id"].tolist()
    assert back["text"].tolist() == clause_texts


# none: a clause without an instrument --------------------------------------------------


def _units(**cells):
    base = {
        "unit_id": ["N01-1-1", "N01-1-2", "N01-1-3"],
        "instrument": ["none", "标准规范", "无"],
        "objectives": [None, "公共安全与利益", ""],
        "AS": [None, 5, None],
        "MI": [None, 3, None],
    }
    base.update(cells)
    return pd.DataFrame(base)


DOCS = pd.DataFrame({"doc_id": ["N01"], "DA": [3]})


@pytest.mark.parametrize(
    "spelling", ["none", "None", "NONE", "无", "no instrument", "not coded", "无政策工具", " ｎｏｎｅ "]
)
def test_none_in_any_spelling_is_counted_apart(spelling):
    corpus = pq.Corpus(DOCS, _units(instrument=[spelling, "标准规范", "无"]))
    assert corpus.units["unit_id"].tolist() == ["N01-1-2"]
    assert corpus.not_coded["unit_id"].tolist() == ["N01-1-1", "N01-1-3"]
    assert corpus.not_coded["instrument"].isna().all()
    assert corpus.not_coded["objectives"].tolist() == [(), ()]
    assert len(corpus.codings) == 1


def test_an_empty_instrument_cell_is_still_an_error():
    with pytest.raises(ValidationError) as caught:
        pq.Corpus(DOCS, _units(instrument=["none", "标准规范", None]))
    problems = caught.value.problems
    row = problems[problems["column"] == "instrument"].iloc[0]
    assert (row["row"], row["problem"]) == (2, "empty required cell")
    assert "none" in row["expected"]
    # ... and its objectives and scores are still required: it is a forgotten clause.
    assert set(problems.loc[problems["row"] == 2, "column"]) == {"instrument", "objectives", "AS", "MI"}


def test_objectives_or_scores_on_a_none_clause_are_errors():
    with pytest.raises(ValidationError) as caught:
        pq.Corpus(DOCS, _units(objectives=["公共安全与利益", "公共安全与利益", ""], MI=[None, 3, 5]))
    problems = caught.value.problems
    assert problems[["row", "column"]].to_numpy().tolist() == [[0, "objectives"], [2, "MI"]]
    assert problems["problem"].str.contains("coded none").all()
    assert problems["expected"].str.contains("instead of none").all()


def test_an_unknown_instrument_is_not_taken_for_none():
    with pytest.raises(ValidationError, match="unknown instrument"):
        pq.Corpus(DOCS, _units(instrument=["nothing", "标准规范", "无"]))


def test_a_framework_with_its_own_instrument_named_none_keeps_it():
    wang = pq.get_framework("wang2026")
    first = wang.instruments[0]
    renamed = type(first)(key="none_of_these", label="None", family=first.family)
    framework = pq.Framework(
        "nonefw",
        "A framework naming an instrument None",
        families=wang.families,
        instruments=(renamed, *wang.instruments[1:]),
        objectives=wang.objectives,
        scale=wang.scale,
    )
    corpus = pq.Corpus(
        DOCS,
        _units(
            instrument=["None", "infrastructure", "无"],
            objectives=["公共安全与利益", "公共安全与利益", ""],
            AS=[5, 5, None],
            MI=[5, 3, None],
        ),
        framework,
    )
    assert corpus.units["instrument"].tolist() == ["none_of_these", "infrastructure"]
    assert corpus.not_coded["unit_id"].tolist() == ["N01-1-3"]


def test_the_template_offers_a_spelling_of_none_the_framework_leaves_free(tmp_path):
    wang = pq.get_framework("wang2026")
    renamed = type(wang.instruments[0])(key="none_of_these", label="None", family=wang.instruments[0].family)
    framework = pq.Framework(
        "nonefw",
        "Naming an instrument None",
        families=wang.families,
        instruments=(renamed, *wang.instruments[1:]),
    )
    book = openpyxl.load_workbook(write_coding_template(framework, tmp_path / "t.xlsx"))
    lists = book.worksheets[-1]
    column = next(c for c in lists[1] if c.value.endswith("instrument"))
    entries = [c.value for c in lists[column.column_letter][1:] if c.value is not None]
    assert entries[0] == "None" and entries[-1] == "无"


@pytest.mark.parametrize("name", ["folder", "study.xlsx", "study.json", "parquet"])
def test_none_clauses_survive_every_writer(tmp_path, name):
    corpus = pq.Corpus(DOCS, _units())
    target = tmp_path / name
    if name == "parquet":
        corpus.to_parquet(target)
    elif name == "folder":
        corpus.to_csv(target)
    else:
        pq.io.write_coding(corpus, target)
    back = pq.read_coding(target)
    assert back == corpus
    assert back.not_coded["unit_id"].tolist() == ["N01-1-1", "N01-1-3"]


def test_equality_and_subset_see_the_none_clauses():
    corpus = pq.Corpus(
        pd.DataFrame({"doc_id": ["N01", "N02"], "DA": [3, 2]}),
        _units(unit_id=["N01-1-1", "N01-1-2", "N02-1-1"]),
    )
    coded_only = pq.Corpus(
        pd.DataFrame({"doc_id": ["N01", "N02"], "DA": [3, 2]}),
        _units(unit_id=["N01-1-1", "N01-1-2", "N02-1-1"]).iloc[[1]],
    )
    assert corpus != coded_only
    assert corpus.subset(["N02"]).not_coded["unit_id"].tolist() == ["N02-1-1"]
    assert corpus.subset(["N01"]).not_coded["unit_id"].tolist() == ["N01-1-1"]
    assert corpus.all_units()["instrument"].tolist() == ["standards_and_norms", "none", "none"]


def test_efficacy_summary_and_crosstab_leave_none_out():
    corpus = pq.Corpus(DOCS, _units())
    summary = pq.efficacy_summary(corpus).to_frame()
    assert int(summary["count"].sum()) == 1
    assert "(missing)" not in summary.index
    assert (
        pq.crosstab(corpus, rows="instrument", columns="doc_id", count="units").counts.to_numpy().sum() == 1
    )


@pytest.mark.parametrize(("language", "entry"), [(None, "none"), ("zh", "无")])
def test_the_template_lists_none_in_the_drop_down_and_codebook(tmp_path, language, entry):
    book = openpyxl.load_workbook(write_coding_template("wang2026", tmp_path / "t.xlsx", language=language))
    lists = book.worksheets[-1]
    column = next(c for c in lists[1] if c.value.endswith(("instrument", "政策工具")))
    instruments = [c.value for c in lists[column.column_letter][1:] if c.value is not None]
    assert len(instruments) == 17 and instruments[-1] == entry
    codebook = book.worksheets[3]
    rows = [r for r in codebook.iter_rows(min_row=2, values_only=True) if r[1] == "none"]
    assert len(rows) == 1 and rows[0][2] == entry
    # The framework's own codebook is unchanged: none is reserved, not an instrument.
    assert "none" not in pq.get_framework("wang2026").codebook()["key"].tolist()


def test_a_framework_without_instruments_gets_no_none_entry(tmp_path):
    framework = pq.Framework(
        "objectives_only", "Objectives only", objectives=pq.get_framework("wang2026").objectives
    )
    book = openpyxl.load_workbook(write_coding_template(framework, tmp_path / "t.xlsx"))
    values = {
        c.value
        for sheet in (book.worksheets[-1], book.worksheets[3])
        for row in sheet.iter_rows()
        for c in row
    }
    assert "none" not in values
    assert "instrument" not in [c.value for c in book["units"][1]]


# QDA sources ---------------------------------------------------------------------------

DOC_TEXTS = pd.DataFrame(
    {
        "doc_id": ["D1", "D2"],
        "text": ["总则\n第一条　甲。\n第二条　乙。\n\n某部\n2024年1月1日", "一、总体要求\n（一）丙。"],
    }
)
SEGMENTS = pd.DataFrame(
    {
        "unit_id": ["D1-0-1", "D1-0-2", "D1-signature", "D2-1-1"],
        "doc_id": ["D1", "D1", "D1", "D2"],
        "text": ["第一条　甲。", "第二条　乙。", "某部\n2024年1月1日", "（一）丙。"],
        "start": [3, 10, 18, 7],
        "end": [9, 16, 30, 12],
    }
)


def _code_everything(path: Path, out: Path, coder: str = "Li") -> Path:
    """Code every selection of a source project as a coder in a QDA program would."""
    framework = pq.get_framework("wang2026")
    archive = zipfile.ZipFile(path)
    root = ET.fromstring(archive.read("project.qde"))
    user = str(uuid.uuid5(uuid.NAMESPACE_URL, coder)).upper()
    users = ET.Element(NS + "Users")
    ET.SubElement(users, NS + "User", {"guid": user, "name": coder})
    root.insert(0, users)
    codes = [
        ("instrument", "standards_and_norms"),
        ("objective", "public_safety"),
        ("level", "AS=5"),
        ("level", "MI=3"),
        ("level", "DA=3"),
    ]
    for selection in root.iter(NS + "PlainTextSelection"):
        selection.set("creatingUser", user)
        for part, key in codes:
            coding = ET.SubElement(
                selection, NS + "Coding", {"guid": str(uuid.uuid4()).upper(), "creatingUser": user}
            )
            ET.SubElement(coding, NS + "CodeRef", {"targetGUID": qdc_guid(framework, part, key)})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name in archive.namelist():
            data = archive.read(name)
            target.writestr(
                name,
                ET.tostring(root, encoding="utf-8", xml_declaration=True) if name == "project.qde" else data,
            )
    out.write_bytes(buffer.getvalue())
    return out


def _read(path: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return read_qdpx(path)


def test_units_become_uncoded_selections_of_whole_documents(tmp_path):
    import xmlschema

    target = write_qdpx(SEGMENTS, tmp_path / "sources.qdpx", documents=DOC_TEXTS)
    archive = zipfile.ZipFile(target)
    xmlschema.XMLSchema(str(SCHEMAS / "Project.xsd")).validate(io.BytesIO(archive.read("project.qde")))
    root = ET.fromstring(archive.read("project.qde"))
    sources = root.find(NS + "Sources").findall(NS + "TextSource")
    assert [s.get("name") for s in sources] == ["D1", "D2"]
    texts = {
        s.get("name"): archive.read("sources/" + s.get("plainTextPath").split("//")[1]).decode()
        for s in sources
    }
    assert texts == dict(zip(DOC_TEXTS["doc_id"], DOC_TEXTS["text"], strict=True))
    selections = [
        (s.get("name"), int(s.get("startPosition")), int(s.get("endPosition")))
        for s in root.iter(NS + "PlainTextSelection")
    ]
    assert selections == list(SEGMENTS[["unit_id", "start", "end"]].itertuples(index=False, name=None))
    assert not list(root.iter(NS + "Coding")) and root.find(NS + "Users") is None
    # The same units give the same bytes.
    (tmp_path / "again").mkdir()
    again = write_qdpx(SEGMENTS, tmp_path / "again" / "sources.qdpx", documents=DOC_TEXTS)
    assert again.read_bytes() == target.read_bytes()


def test_a_coded_source_project_reads_back_with_the_unit_ids(tmp_path):
    target = write_qdpx(SEGMENTS, tmp_path / "sources.qdpx", documents=DOC_TEXTS)
    project = _read(_code_everything(target, tmp_path / "coded.qdpx"))
    units = project["Li"].units
    assert units["unit_id"].tolist() == SEGMENTS["unit_id"].tolist()
    assert units["text"].tolist() == SEGMENTS["text"].tolist()


def test_units_without_spans_or_documents(tmp_path):
    # Found in their documents when no spans are given ...
    found = write_qdpx(SEGMENTS.drop(columns=["start", "end"]), tmp_path / "a.qdpx", documents=DOC_TEXTS)
    root = ET.fromstring(zipfile.ZipFile(found).read("project.qde"))
    spans = [
        (int(s.get("startPosition")), int(s.get("endPosition"))) for s in root.iter(NS + "PlainTextSelection")
    ]
    assert spans == list(SEGMENTS[["start", "end"]].itertuples(index=False, name=None))
    # ... and without documents each source is its units' texts.
    joined = write_qdpx(SEGMENTS, tmp_path / "b.qdpx")
    project = _read(_code_everything(joined, tmp_path / "coded.qdpx"))
    assert project["Li"].units["unit_id"].tolist() == SEGMENTS["unit_id"].tolist()
    assert project["Li"].units["text"].tolist() == SEGMENTS["text"].tolist()


@pytest.mark.parametrize(
    ("units", "problem"),
    [
        (SEGMENTS.assign(start=[3, 10, 18, 8]), "its text is not in its document at 8-12"),
        (SEGMENTS.assign(end=[9, 16, 30, 99]), "not a span of its document"),
        (SEGMENTS.assign(doc_id=["D1", "D1", "D1", "D9"]), "no document with this doc_id"),
        (SEGMENTS.assign(unit_id=["D1-0-1", "D1-0-1", "D1-signature", "D2-1-1"]), "duplicate unit_id"),
        (
            SEGMENTS.drop(columns=["start", "end"]).assign(
                text=["第一条　甲。", "第九条", "某部\n2024年1月1日", "（一）丙。"]
            ),
            "its text is not in its document (after",
        ),
        (SEGMENTS.assign(unit_id=["D1\x01", "D1-0-2", "D1-signature", "D2-1-1"]), "U+0001"),
    ],
)
def test_bad_source_units_are_refused_naming_the_unit(tmp_path, units, problem):
    with pytest.raises(ValidationError) as caught:
        write_qdpx(units, tmp_path / "bad.qdpx", documents=DOC_TEXTS)
    assert caught.value.problems["problem"].str.contains(problem, regex=False).any()
    assert not (tmp_path / "bad.qdpx").exists()


def test_documents_go_with_units_only(tmp_path):
    with pytest.raises(ValidationError, match="documents= goes with units to code"):
        write_qdpx(pq.datasets.load_genai_china().subset(["N01"]), tmp_path / "x.qdpx", documents=DOC_TEXTS)


# End to end through the documents modules, where they are there -------------------------


def test_example_documents_end_to_end(tmp_path):
    documents_module = pytest.importorskip("policyquant.documents.reading")
    pytest.importorskip("policyquant.documents.segmentation")
    documents = documents_module.read_documents(pq.datasets.example_documents_path())
    assert len(documents.to_frame()) == 9
    metadata = pytest.importorskip("policyquant.documents.metadata")
    documents = metadata.extract_metadata(documents, framework="wang2026")
    segmented = pq.documents.segment(documents)
    clauses = segmented.to_frame()
    path = write_coding_template("wang2026", tmp_path / "coding.xlsx", documents=documents, units=segmented)
    book = openpyxl.load_workbook(path)
    sheet = book["documents"]
    header = _header(sheet)
    for row in range(2, sheet.max_row + 1):
        suggested = sheet.cell(row=row, column=header["DA_suggested"]).value
        sheet.cell(row=row, column=header["DA"]).value = int(suggested) if suggested else 1
    rng = np.random.default_rng(0)
    instruments = ["standards_and_norms", "infrastructure", "pilots_and_demonstrations", "none"]
    _fill_units(
        book["units"],
        {
            unit_id: ("none", None, None, None)
            if kind != "clause" or (choice := instruments[rng.integers(4)]) == "none"
            else (choice, "public_safety", 5, 3)
            for unit_id, kind in zip(clauses["unit_id"], clauses["kind"], strict=True)
        },
    )
    book.save(path)
    corpus = pq.read_coding(path, framework="wang2026")
    assert len(corpus.units) + len(corpus.not_coded) == len(clauses)
    assert pq.crosstab(corpus).total == len(corpus.units)
    assert pq.crosstab(corpus).not_coded == len(corpus.not_coded)
