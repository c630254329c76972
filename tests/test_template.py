"""Tests of the Excel coding template: ``write_coding_template`` and ``Framework.coding_template``.

Templates are written, filled in with openpyxl as a coder would fill them in
Excel (picking entries of the drop-down lists), and read back with
``read_coding`` without any column mapping.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant._text import normalize_name
from policyquant.corpus import DOCUMENT_FIELDS, NO_INSTRUMENT_ALIASES, NO_INSTRUMENT_NAMES, UNIT_FIELDS
from policyquant.errors import UnknownFrameworkError, ValidationError
from policyquant.io import SHEET_NAMES, standardize_columns, write_coding_template
from policyquant.io.template import TEMPLATE_LANGUAGES, TEMPLATE_SHEETS
from policyquant.testing.strategies import corpora, frameworks

WANG = pq.get_framework("wang2026")
FRAMEWORK_NAMES = list(pq.list_frameworks()["name"])
LEVEL_ENTRIES = {
    "en": {"national": "national", "provincial": "provincial"},
    "zh": {"national": "国家级", "provincial": "省级"},
}


@pytest.fixture(scope="module")
def corpus() -> pq.Corpus:
    return pq.datasets.load_genai_china()


# Reading a template the way Excel would use it ------------------------------------------


def _fields(sheet: Any, table: str, framework: pq.Framework) -> dict[str, int]:
    """The column number of each field, found through the headers as read_coding maps them."""
    headers = [cell.value for cell in sheet[1]]
    mapped = standardize_columns(pd.DataFrame(columns=headers), table, framework).columns
    return {field: index for index, field in enumerate(mapped, start=1)}


def _validation(sheet: Any, column: int) -> Any:
    letter = openpyxl.utils.get_column_letter(column)
    found = [
        v
        for v in sheet.data_validations.dataValidation
        if any(r.min_col == r.max_col == column for r in v.sqref.ranges)
    ]
    assert len(found) == 1, f"column {letter} of {sheet.title} has {len(found)} validations"
    return found[0]


def _list_entries(workbook: Any, validation: Any) -> list[Any]:
    """The values a drop-down list offers, read from the range its formula names."""
    match = re.fullmatch(r"='?(.+?)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", validation.formula1)
    assert match, validation.formula1
    sheet, first_col, first_row, last_col, last_row = match.groups()
    assert first_col == last_col
    cells = workbook[sheet][f"{first_col}{first_row}:{last_col}{last_row}"]
    return [row[0].value for row in cells]


def _entries_by_key(
    workbook: Any, sheet: Any, column: int, keys: tuple[Any, ...], framework: Any = None
) -> dict[Any, Any]:
    entries = _list_entries(workbook, _validation(sheet, column))
    lookup = framework.name_lookup("instrument") if framework is not None else {}
    if framework is not None and any(normalize_name(a) not in lookup for a in NO_INSTRUMENT_ALIASES):
        # The instrument list ends with the reserved "none" (无) of a clause without an instrument,
        # in a spelling the framework does not use for an instrument of its own.
        reserved = entries.pop()
        assert normalize_name(reserved) in {normalize_name(a) for a in NO_INSTRUMENT_ALIASES}
        assert normalize_name(reserved) not in framework.name_lookup("instrument")
    assert len(entries) == len(keys)
    return dict(zip(keys, entries, strict=True))


def _put(cell: Any, value: Any) -> None:
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def _blank(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


def fill(path: Path, corpus: pq.Corpus, language: str, *, documents: bool = True) -> None:
    """Type a corpus into a template, choosing list entries for instruments, objectives and levels."""
    framework = corpus.framework
    sheets = TEMPLATE_SHEETS[language]
    workbook = openpyxl.load_workbook(path)
    document_sheet, unit_sheet = workbook[sheets["documents"]], workbook[sheets["units"]]
    separator = "; " if language == "en" else "；"
    if documents:
        fields = _fields(document_sheet, "documents", framework)
        for row, record in enumerate(corpus.documents.to_dict("records"), start=2):
            for field, value in record.items():
                if _blank(value):
                    continue
                if field == "issuers":
                    value = "; ".join(value)
                elif field == "level":
                    value = LEVEL_ENTRIES[language][value]
                elif field == "date":
                    value = value.to_pydatetime()
                elif not isinstance(value, str):
                    value = int(value) if float(value).is_integer() else float(value)
                _put(document_sheet.cell(row=row, column=fields[field]), value)
    fields = _fields(unit_sheet, "units", framework)
    instruments = objectives = {}
    if framework.instruments:
        instruments = _entries_by_key(
            workbook, unit_sheet, fields["instrument"], framework.instrument_keys, framework
        )
    if framework.objectives:
        objectives = _entries_by_key(workbook, unit_sheet, fields["objectives"], framework.objective_keys)
    for row, record in enumerate(corpus.units.to_dict("records"), start=2):
        for field, value in record.items():
            if _blank(value):
                continue
            if field == "instrument":
                value = instruments[value]
            elif field == "objectives":
                value = separator.join(objectives[key] for key in value)
            elif not isinstance(value, str):
                value = int(value) if float(value).is_integer() else float(value)
            _put(unit_sheet.cell(row=row, column=fields[field]), value)
    workbook.save(path)


def assert_same_coding(read: pq.Corpus, expected: pq.Corpus) -> None:
    """The read corpus holds the expected one; template columns the expected one lacks are empty."""
    for table in ("documents", "units"):
        got, want = getattr(read, table), getattr(expected, table)
        assert set(want.columns) <= set(got.columns)
        pd.testing.assert_frame_equal(
            got[list(want.columns)], want, check_dtype=False, check_categorical=False
        )
        for column in set(got.columns) - set(want.columns):
            values = got[column]
            empty = values.map(lambda v: v == ()) if column == "issuers" else values.isna()
            assert empty.all(), column


# Round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_study_corpus_typed_into_the_template_reads_back_equal(tmp_path, corpus, language):
    path = write_coding_template("wang2026", tmp_path / "coding.xlsx", language=language)
    fill(path, corpus, language)
    # The template's memo columns, left blank, read back as memos that are all missing.
    assert pq.read_coding(path) == with_blank_memos(corpus)
    assert pq.read_coding(path, framework=WANG) == with_blank_memos(corpus)


def with_blank_memos(corpus: pq.Corpus) -> pq.Corpus:
    documents, units = corpus.documents, corpus.units
    documents["memo"], units["memo"] = None, None
    return pq.Corpus(documents, units, corpus.framework)


def test_prefilled_documents_read_back_and_the_units_complete_the_study(tmp_path, corpus):
    path = write_coding_template(WANG, tmp_path / "coding.xlsx", language="zh", documents=corpus)
    prefilled = pq.read_coding(path)
    assert len(prefilled.units) == 0
    pd.testing.assert_frame_equal(prefilled.documents, with_blank_memos(corpus).documents, check_dtype=False)
    fill(path, corpus, "zh", documents=False)
    assert pq.read_coding(path) == with_blank_memos(corpus)


def test_prefilled_documents_from_a_file_may_leave_scores_blank(tmp_path):
    listing = tmp_path / "documents.csv"
    listing.write_text(
        "文件编号,政策名称,发文机构,发文日期,发文权威\n"
        "007,生成式人工智能服务管理暂行办法,国家网信办、教育部,2023-07-13,\n"
        "0042,=开头的标题,北京市人民政府,,部门规章\n",
        encoding="utf-8",
    )
    path = write_coding_template("wang2026", tmp_path / "coding.xlsx", documents=listing)
    sheet = openpyxl.load_workbook(path)["documents"]
    assert [c.value for c in sheet[2]][:3] == ["007", "生成式人工智能服务管理暂行办法", "国家网信办; 教育部"]
    assert sheet["G2"].value == dt.datetime(2023, 7, 13) and sheet["H2"].value is None
    assert sheet["H3"].value == 3
    with pytest.raises(ValidationError, match="missing score"):
        pq.read_coding(path)  # DA is still to be coded in row 2
    sheet.parent["documents"]["H2"] = 4
    sheet.parent.save(path)
    documents = pq.read_coding(path).documents
    assert documents["doc_id"].tolist() == ["007", "0042"]
    assert documents["title"].tolist()[1] == "=开头的标题"
    assert documents["DA"].tolist() == [4, 3]
    assert documents["year"].tolist() == [2023, pd.NA]


def test_prefilled_documents_keep_their_extra_columns(tmp_path):
    documents = pd.DataFrame({"doc_id": ["A", "B"], "source url": ["http://a", None]})
    path = write_coding_template("howlett-ramesh-1995", tmp_path / "t.xlsx", documents=documents)
    read = pq.read_coding(path, framework="howlett-ramesh-1995")
    assert read.documents["source url"].tolist() == ["http://a", pd.NA]


def test_an_empty_template_reads_as_an_empty_corpus(tmp_path):
    path = WANG.coding_template(tmp_path / "empty.xlsx", language="zh")
    read = pq.read_coding(path)
    assert len(read.documents) == len(read.units) == 0
    assert {"DA"} <= set(read.documents.columns) and {"AS", "MI", "instrument"} <= set(read.units.columns)


def test_a_coders_mistake_is_reported_with_its_sheet_row_and_column(tmp_path, corpus):
    path = write_coding_template("wang2026", tmp_path / "coding.xlsx")
    fill(path, corpus.subset(["N01"]), "en")
    workbook = openpyxl.load_workbook(path)
    workbook["units"]["D3"] = "Standard and norm"
    workbook.save(path)
    with pytest.raises(ValidationError) as error:
        pq.read_coding(path)
    problem = error.value.problems.iloc[0]
    assert (problem["file"], problem["row"], problem["column"]) == (f"{path} [units]", 3, "instrument")
    assert "standards_and_norms" in problem["suggestions"]


@st.composite
def _coded(draw: Any) -> tuple[pq.Corpus, str]:
    framework = draw(frameworks(min_objectives=1, max_instruments=6, max_objectives=4))
    return draw(corpora(framework, max_documents=4, max_units=10, spellings=False)), draw(
        st.sampled_from(TEMPLATE_LANGUAGES)
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(coded=_coded())
def test_any_valid_coding_typed_into_the_template_reads_back_unchanged(tmp_path, coded):
    corpus, language = coded
    # tmp_path is shared by hypothesis's examples: the last one's filled workbook is replaced on purpose.
    path = write_coding_template(corpus.framework, tmp_path / "coding.xlsx", language=language, force=True)
    fill(path, corpus, language)
    assert_same_coding(pq.read_coding(path, framework=corpus.framework), corpus)


# What the workbook holds ------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh"])
def test_sheets_and_headers_are_the_ones_read_coding_recognises(tmp_path, language):
    workbook = openpyxl.load_workbook(
        write_coding_template("wang2026", tmp_path / "t.xlsx", language=language)
    )
    sheets = TEMPLATE_SHEETS[language]
    assert workbook.sheetnames == list(sheets.values())
    assert workbook[sheets["lists"]].sheet_state == "hidden"
    assert sheets["documents"] in SHEET_NAMES["documents"] and sheets["units"] in SHEET_NAMES["units"]
    others = [sheets[name] for name in ("instructions", "codebook", "lists")]
    assert not set(others) & {*SHEET_NAMES["documents"], *SHEET_NAMES["units"]}
    documents = list(_fields(workbook[sheets["documents"]], "documents", WANG))
    units = list(_fields(workbook[sheets["units"]], "units", WANG))
    # The memo comes last, after the scores: the coder's note on what was coded.
    assert documents == [*DOCUMENT_FIELDS[:-1], "DA", "memo"]
    assert units == [*UNIT_FIELDS[:-1], "AS", "MI", "memo"]
    if language == "zh":
        assert [c.value for c in workbook["条款"][1]][-3:] == ["作用范围", "措施力度", "备注"]
        assert workbook["文件"]["A1"].value == "文件编号"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_drop_down_lists_reference_the_right_ranges(tmp_path, language):
    path = write_coding_template("wang2026", tmp_path / "t.xlsx", language=language, units_rows=300)
    workbook = openpyxl.load_workbook(path)
    sheets = TEMPLATE_SHEETS[language]
    units, documents = workbook[sheets["units"]], workbook[sheets["documents"]]
    fields = _fields(units, "units", WANG)
    label = (lambda item: item.label) if language == "en" else (lambda item: item.label_in("zh"))

    instrument = _validation(units, fields["instrument"])
    assert instrument.type == "list" and instrument.errorStyle == "stop"
    assert str(instrument.sqref) == "D2:D301"
    assert _list_entries(workbook, instrument) == [label(i) for i in WANG.instruments] + [NO_INSTRUMENT_NAMES[language]]
    # Long lists live on the lists sheet: inline, the Chinese instrument list would pass Excel's limit.
    assert sheets["lists"] in instrument.formula1

    objectives = _validation(units, fields["objectives"])
    assert objectives.errorStyle == "information"
    assert _list_entries(workbook, objectives) == [label(o) for o in WANG.objectives]

    for key in ("AS", "MI"):
        scores = _validation(units, fields[key])
        assert scores.errorStyle == "stop"
        assert _list_entries(workbook, scores) == [5, 3, 1]
        assert all(label(level) in scores.prompt for level in WANG.scale.dimension(key).levels)
    da = _validation(documents, _fields(documents, "documents", WANG)["DA"])
    assert _list_entries(workbook, da) == [5, 4, 3, 2, 1] and str(da.sqref) == "H2:H201"

    doc_id = _validation(units, fields["doc_id"])
    assert doc_id.formula1 == f"='{sheets['documents']}'!$A$2:$A$201" and doc_id.errorStyle == "warning"
    level = _validation(documents, _fields(documents, "documents", WANG)["level"])
    assert _list_entries(workbook, level) == list(LEVEL_ENTRIES[language].values())
    # Free columns get a prompt but no list.
    text = _validation(units, fields["text"])
    assert text.type is None and text.prompt


def test_id_and_category_columns_are_text_so_leading_zeros_survive(tmp_path):
    workbook = openpyxl.load_workbook(write_coding_template("wang2026", tmp_path / "t.xlsx"))
    units, documents = workbook["units"], workbook["documents"]
    assert [units.column_dimensions[c].number_format for c in "ABDE"] == ["@"] * 4
    assert documents.column_dimensions["A"].number_format == "@"
    assert documents.column_dimensions["G"].number_format == "yyyy-mm-dd"
    assert units.freeze_panes == documents.freeze_panes == "A2"
    assert units["A1"].font.bold


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_codebook_sheet_holds_every_rule(tmp_path, language):
    workbook = openpyxl.load_workbook(
        write_coding_template("wang2026", tmp_path / "t.xlsx", language=language)
    )
    sheet = workbook[TEMPLATE_SHEETS[language]["codebook"]]
    rows = list(sheet.iter_rows(values_only=True))
    book = WANG.codebook(language=None if language == "en" else language)
    # The framework's rules, and after its instruments the reserved "none" (无) for a clause without one.
    assert len(rows) == len(book) + 2
    after = 1 + len(WANG.families) + len(WANG.instruments)
    assert rows[after][1:3] == ("none", NO_INSTRUMENT_NAMES[language])
    rows = rows[:after] + rows[after + 1 :]
    labels = [row[2] for row in rows[1:]]
    assert labels == book["label"].tolist()
    assert rows[1 + book.index[book["key"] == "DA=3"][0]][4] == 3
    if language == "zh":
        assert rows[0][:3] == ("类别", "键", "名称") and "部门规章" in labels
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet.column_dimensions["G"].width == 80  # the coding rules, wrapped


def test_the_instructions_explain_several_objectives_and_reading_back(tmp_path):
    workbook = openpyxl.load_workbook(write_coding_template("cap-major-topics", tmp_path / "t.xlsx"))
    text = "\n".join(str(row[0]) for row in workbook["instructions"].iter_rows(values_only=True) if row[0])
    assert "separated by ;" in text
    assert 'pq.read_coding("t.xlsx", framework="cap-major-topics")' in text
    assert "policyquant validate t.xlsx --framework cap-major-topics" in text


@pytest.mark.parametrize("language", ["en", "zh"])
# A PMC framework gets a sheet of one row per policy, read by `policyquant pmc`:
# tests/test_pmc_template.py checks that it reads back.
@pytest.mark.parametrize("name", [name for name in FRAMEWORK_NAMES if name != "pmc"])
def test_every_registered_framework_gets_a_template_that_reads_back(tmp_path, name, language):
    framework = pq.get_framework(name)
    path = write_coding_template(name, tmp_path / "t.xlsx", language=language)
    workbook = openpyxl.load_workbook(path)
    sheets = TEMPLATE_SHEETS[language]
    units = list(_fields(workbook[sheets["units"]], "units", framework))
    scale = framework.scale
    assert ("instrument" in units) == bool(framework.instruments)
    assert ("objectives" in units) == bool(framework.objectives)
    unit_keys = [d.key for d in scale.dimensions_for("unit")] if scale is not None else []
    assert units == [f for f in UNIT_FIELDS if f in units and f != "memo"] + unit_keys + ["memo"]
    for sheet in (workbook[sheets["documents"]], workbook[sheets["units"]]):
        for validation in sheet.data_validations.dataValidation:
            assert len(validation.prompt) <= 255 and len(validation.promptTitle) <= 32
            assert validation.error is None or len(validation.error) <= 255
    assert pq.read_coding(path, framework=name).units.empty
    # One coded clause, typed from the lists, reads back.
    documents = {"doc_id": ["D1"]}
    unit = {"unit_id": ["D1-1-1"], "doc_id": ["D1"]}
    if framework.instruments:
        unit["instrument"] = [framework.instrument_keys[-1]]
    if framework.objectives:
        unit["objectives"] = [framework.objective_keys[:2]]
    for dimension in scale.dimensions if scale is not None else ():
        target = documents if dimension.unit == "document" else unit
        target[dimension.key] = [dimension.scores[-1]]
    expected = pq.Corpus(pd.DataFrame(documents), pd.DataFrame(unit), framework)
    fill(path, expected, language)
    assert_same_coding(pq.read_coding(path, framework=name), expected)


def test_framework_method_and_cli_write_the_same_template(tmp_path):
    from policyquant.cli import run

    by_method = WANG.coding_template(tmp_path / "a" / "coding.xlsx", language="zh")
    by_cli = tmp_path / "b" / "coding.xlsx"
    assert run(["template", "wang2026", "-o", str(by_cli), "--lang", "zh"]) == 0
    a, b = openpyxl.load_workbook(by_method), openpyxl.load_workbook(by_cli)
    assert a.sheetnames == b.sheetnames
    for name in a.sheetnames:
        assert list(a[name].iter_rows(values_only=True)) == list(b[name].iter_rows(values_only=True))


def test_row_counts_set_the_validated_ranges(tmp_path):
    documents = pd.DataFrame({"doc_id": [f"D{i}" for i in range(12)]})
    path = write_coding_template(
        "wang2026", tmp_path / "t.xlsx", documents=documents, units_rows=10, documents_rows=5
    )
    workbook = openpyxl.load_workbook(path)
    assert str(_validation(workbook["units"], 4).sqref) == "D2:D11"
    # At least as many documents rows as documents pre-filled.
    assert str(_validation(workbook["documents"], 4).sqref) == "D2:D13"
    assert _validation(workbook["units"], 2).formula1 == "='documents'!$A$2:$A$13"


# Bad input ------------------------------------------------------------------------------


def test_an_unknown_language_lists_the_choices(tmp_path):
    with pytest.raises(
        ValidationError, match=r"unknown template language 'fr'; choose one of en, zh"
    ) as error:
        write_coding_template("wang2026", tmp_path / "t.xlsx", language="fr")
    assert error.value.problems.loc[0, "value"] == "fr"
    with pytest.raises(ValidationError, match="did you mean zh"):
        write_coding_template("wang2026", tmp_path / "t.xlsx", language="zhh")
    assert not (tmp_path / "t.xlsx").exists()
    # Case and surrounding spaces do not matter.
    assert write_coding_template("wang2026", tmp_path / "t.xlsx", language=" ZH ").exists()


@pytest.mark.parametrize("name", ["coding.csv", "coding.xls", "coding.xlsm", "coding"])
def test_a_path_that_is_not_an_xlsx_file_is_refused(tmp_path, name):
    with pytest.raises(ValidationError, match=r"give a file name ending in \.xlsx") as error:
        write_coding_template("wang2026", tmp_path / name)
    assert error.value.problems.loc[0, "suggestions"] == str((tmp_path / name).with_suffix(".xlsx"))
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_path_is_reported_with_its_name(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file, not a folder")
    target = blocker / "coding.xlsx"
    with pytest.raises(ValidationError, match="cannot write the template") as error:
        write_coding_template("wang2026", target)
    assert error.value.path == target
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    with pytest.raises(ValidationError, match="is a directory"):
        write_coding_template("wang2026", folder)


def test_missing_folders_are_created(tmp_path):
    assert write_coding_template("pmc", tmp_path / "a" / "b" / "t.xlsx").is_file()


@pytest.mark.parametrize("rows", [0, -1, 1.5, True, "500", 2_000_000])
def test_bad_row_counts_are_refused(tmp_path, rows):
    with pytest.raises(ValidationError, match="units_rows must be a whole number of rows"):
        write_coding_template("wang2026", tmp_path / "t.xlsx", units_rows=rows)


def test_an_unknown_framework_names_the_known_ones(tmp_path):
    with pytest.raises(UnknownFrameworkError, match="wang2026"):
        write_coding_template("wang2062", tmp_path / "t.xlsx")


def test_invalid_prefilled_documents_are_reported_all_at_once(tmp_path):
    documents = pd.DataFrame(
        {"doc_id": ["A", "A", ""], "level": ["national", "county", "省级"], "DA": [3, 7, None]}
    )
    with pytest.raises(ValidationError, match="cannot pre-fill the template") as error:
        write_coding_template("wang2026", tmp_path / "t.xlsx", documents=documents)
    problems = error.value.problems
    assert set(problems["problem"]) >= {
        "duplicate doc_id",
        "empty required cell",
        "unknown administrative level",
    }
    assert problems.loc[problems["column"] == "DA", "value"].tolist() == [7]
    assert not (tmp_path / "t.xlsx").exists()


def test_prefilled_documents_of_the_wrong_type_or_missing_file(tmp_path):
    with pytest.raises(ValidationError, match=r"documents must be a DocumentSet, a pandas\.DataFrame, a Corpus or the path"):
        write_coding_template("wang2026", tmp_path / "t.xlsx", documents=["A", "B"])
    with pytest.raises(ValidationError, match="no such file"):
        write_coding_template("wang2026", tmp_path / "t.xlsx", documents=tmp_path / "missing.csv")
    with pytest.raises(ValidationError, match="missing required column"):
        write_coding_template("wang2026", tmp_path / "t.xlsx", documents=pd.DataFrame({"name": ["A"]}))


def test_prefilled_text_that_excel_cannot_hold_is_reported(tmp_path):
    documents = pd.DataFrame({"doc_id": ["A"], "title": ["bell\x07"]})
    with pytest.raises(ValidationError, match="control character U\\+0007"):
        write_coding_template("wang2026", tmp_path / "t.xlsx", documents=documents)
