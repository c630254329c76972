"""Issue 13, the Excel parts: no sheet left unread, numbers are no ids, bounded reading, round trips.

* item 4: a workbook whose sheet names say nothing (``Sheet1``, ``Sheet2``) is read by the
  sheets' headers, either way round, and a sheet holding data that is not read is named;
* item 5: a number (or true/false) where an id belongs is reported whatever the source (an
  Excel number cell, a Parquet int64 column, a JSON number, a DataFrame), and the NFC and NFD
  spellings of one id are one id, reported with their code points;
* item 9: text an Excel cell cannot hold (U+FFFE, U+FFFF) is refused at write time naming the
  unit, and everything else round-trips through ``.xlsx``;
* item 11: reading is bounded by the cells a sheet holds, not by how far apart they are (one
  stray cell in column XFD), checked in a subprocess under a memory limit.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import unicodedata
import warnings
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.cli import main
from policyquant.errors import SheetWarning

# --------------------------------------------------------------------------
# Workbooks written cell by cell: hostile shapes openpyxl would not write.


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_xml(reference: str, value: object) -> str:
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{reference}"><v>{value!r}</v></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def sheet_xml(rows: list[list[object]], extra: str = "", dimension: str | None = None) -> str:
    """A worksheet holding ``rows`` from A1 (None: no cell), then ``extra`` cells' XML."""
    body = []
    for number, row in enumerate(rows, start=1):
        cells = "".join(
            cell_xml(f"{column_letters(i + 1)}{number}", v) for i, v in enumerate(row) if v is not None
        )
        body.append(f'<row r="{number}">{cells}</row>')
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dim}<sheetData>{''.join(body)}{extra}</sheetData></worksheet>"
    )


def write_workbook(path: Path, sheets: dict[str, str]) -> Path:
    """A minimal .xlsx of the given sheet XML, in this order."""
    names = list(sheets)
    main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    worksheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{worksheet}"/>'
        for i in range(1, len(names) + 1)
    )
    content_types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}</Types>"
    )
    rels = (
        f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
        f'Type="{rel_ns}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    book = (
        f'<workbook xmlns="{main_ns}" xmlns:r="{rel_ns}"><sheets>'
        + "".join(
            f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, start=1)
        )
        + "</sheets></workbook>"
    )
    book_rels = (
        f'<Relationships xmlns="{package}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{rel_ns}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        + "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        for i, name in enumerate(names, start=1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", sheets[name])
    return path


UNITS_HEADER = ["unit_id", "doc_id", "instrument", "objectives", "AS", "MI"]


def unit_rows(count: int, documents: int) -> list[list[object]]:
    return [
        [f"P{i % documents:02d}-1-{i}", f"P{i % documents:02d}", "标准规范", "公共安全", "5", "3"]
        for i in range(count)
    ]


def document_rows(count: int) -> list[list[object]]:
    return [[f"P{i:02d}", "部门或省级工作文件" if i % 2 else "3"] for i in range(count)]


# --------------------------------------------------------------------------
# Item 4: sheets recognised by their headers, none left unread silently.


def default_names_workbook(path: Path, units_first: bool) -> Path:
    units = sheet_xml([UNITS_HEADER, *unit_rows(120, 63)])
    documents = sheet_xml([["doc_id", "DA"], *document_rows(63)])
    sheets = {"Sheet1": units, "Sheet2": documents} if units_first else {"Sheet1": documents, "Sheet2": units}
    return write_workbook(path, sheets)


@pytest.mark.parametrize("units_first", [True, False])
def test_default_sheet_names_are_read_by_their_headers(tmp_path, units_first):
    # Before: Sheet1 was the units and Sheet2 went unread ("1 documents" or, the other way
    # round, the documents sheet read as the units).
    path = default_names_workbook(tmp_path / "study.xlsx", units_first)
    units, documents = ("Sheet1", "Sheet2") if units_first else ("Sheet2", "Sheet1")
    with pytest.warns(SheetWarning) as caught:
        corpus = pq.read_coding(path)
    assert len(corpus.documents) == 63
    assert len(corpus.units) == 120
    assert corpus.documents["DA"].notna().all()
    (message,) = [str(w.message) for w in caught]
    assert f"sheet {units!r} as the units" in message
    assert f"sheet {documents!r} as the documents" in message
    assert "by their headers" in message


def test_problems_name_the_sheet_read_by_its_headers(tmp_path):
    rows = unit_rows(3, 2)
    rows[1][2] = "Subsidy"
    path = write_workbook(
        tmp_path / "study.xlsx",
        {
            "Sheet1": sheet_xml([["doc_id", "DA"], *document_rows(2)]),
            "Sheet2": sheet_xml([UNITS_HEADER, *rows]),
        },
    )
    with pytest.warns(SheetWarning), pytest.raises(pq.ValidationError) as info:
        pq.read_coding(path)
    (problem,) = info.value.problems.to_dict("records")
    assert problem["file"] == f"{path} [sheet 'Sheet2' as units]"
    assert (problem["row"], problem["column"], problem["value"]) == (3, "instrument", "Subsidy")


def test_read_table_finds_each_table_by_its_headers(tmp_path):
    path = default_names_workbook(tmp_path / "study.xlsx", units_first=False)
    with pytest.warns(SheetWarning):
        assert pq.io.read_table(path, "documents").columns.tolist() == ["doc_id", "DA"]
    with pytest.warns(SheetWarning):
        assert pq.io.read_table(path, "units").columns.tolist() == UNITS_HEADER


def test_a_sheet_with_data_that_is_not_read_is_named(tmp_path):
    path = write_workbook(
        tmp_path / "study.xlsx",
        {
            "units": sheet_xml([UNITS_HEADER, *unit_rows(3, 2)]),
            "documents": sheet_xml([["doc_id", "DA"], *document_rows(2)]),
            "notes": sheet_xml([["remark"], ["P00 was coded twice"]]),
            "empty": sheet_xml([["only a header"]]),
        },
    )
    with pytest.warns(SheetWarning, match=r"did not read 'notes', which holds data") as caught:
        corpus = pq.read_coding(path)
    assert len(corpus.units) == 3
    assert "empty" not in str(caught[0].message)


def test_a_workbook_policyquant_wrote_or_a_template_reads_without_a_warning(tmp_path):
    corpus = pq.datasets.load_genai_china()
    path = corpus.to_excel(tmp_path / "study.xlsx")[0]
    template = pq.io.write_coding_template("wang2026", tmp_path / "template.xlsx", documents=corpus)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SheetWarning)
        assert pq.read_coding(path) == corpus
        assert len(pq.read_coding(template).documents) == len(corpus.documents)
    # One sheet per workbook is no choice to report either.
    single = write_workbook(tmp_path / "units.xlsx", {"Sheet1": sheet_xml([UNITS_HEADER, *unit_rows(2, 1)])})
    with warnings.catch_warnings():
        warnings.simplefilter("error", SheetWarning)
        assert len(pq.read_coding(single).units) == 2


def test_validate_counts_the_documents_of_a_workbook_with_default_sheet_names(tmp_path):
    path = default_names_workbook(tmp_path / "study.xlsx", units_first=True)
    result = CliRunner().invoke(main, ["validate", str(path)], prog_name="policyquant")
    assert result.exit_code == 0, result.output
    assert "63 documents, 120 units" in result.stdout
    (warning,) = result.stderr.splitlines()
    assert warning.startswith("policyquant: warning: ")
    assert "sheet 'Sheet2' as the documents" in warning


# --------------------------------------------------------------------------
# Item 5: a number where an id belongs is reported, whatever the source.

DOCUMENTS = pd.DataFrame({"doc_id": ["007", "P01"], "DA": ["3", "3"]})


def units_frame(unit_ids: list[object], doc_ids: list[object]) -> pd.DataFrame:
    count = len(unit_ids)
    return pd.DataFrame(
        {
            "unit_id": pd.Series(unit_ids, dtype=object),
            "doc_id": pd.Series(doc_ids, dtype=object),
            "instrument": ["标准规范"] * count,
            "objectives": ["公共安全"] * count,
            "AS": ["5"] * count,
            "MI": ["3"] * count,
        }
    )


def id_problems(error: pq.ValidationError) -> list[tuple[object, str, object]]:
    table = error.problems
    numbers = table["problem"].str.contains("read as a number|read as true/false")
    return [tuple(r) for r in table.loc[numbers, ["row", "column", "value"]].to_numpy().tolist()]


def test_number_cells_in_the_id_columns_of_a_workbook_are_reported(tmp_path):
    rows = [
        UNITS_HEADER,
        ["P01-1-1", 7, "标准规范", "公共安全", 5, 3],
        [1e20, "P01", "标准规范", "公共安全", 5, 3],
    ]
    rows.append(["P01-1-3", True, "标准规范", "公共安全", 5, 3])
    path = write_workbook(
        tmp_path / "study.xlsx",
        {"documents": sheet_xml([["doc_id", "DA"], ["007", 3], ["P01", 3]]), "units": sheet_xml(rows)},
    )
    with pytest.raises(pq.ValidationError) as info:
        pq.read_coding(path)
    assert id_problems(info.value) == [(2, "doc_id", 7), (3, "unit_id", 1e20), (4, "doc_id", True)]
    problems = info.value.problems
    assert problems.loc[0, "file"] == f"{path} [units]"
    assert "format the column as Text in Excel and retype the ids" in problems.loc[0, "expected"]
    assert "value 1e+20: id was read as a number" in str(info.value)
    # 7 is no document, but 007 is: still suggested.
    orphan = problems[problems["problem"] == "no document with this doc_id"]
    assert orphan[["row", "value", "suggestions"]].to_numpy().tolist() == [[2, "7", "007"]]
    # Scores stored as numbers are scores, and read_table reads them as text.
    assert pq.io.read_table(path, "units")["AS"].tolist() == ["5", "5", "5"]


def test_text_that_looks_like_a_number_is_an_id(tmp_path):
    rows = [
        UNITS_HEADER,
        ["007", "007", "标准规范", "公共安全", 5, 3],
        ["1e3", "P01", "标准规范", "公共安全", 5, 3],
    ]
    path = write_workbook(
        tmp_path / "study.xlsx",
        {"documents": sheet_xml([["doc_id", "DA"], ["007", 3], ["P01", 3]]), "units": sheet_xml(rows)},
    )
    corpus = pq.read_coding(path)
    assert corpus.units["unit_id"].tolist() == ["007", "1e3"]
    assert corpus.units["doc_id"].tolist() == ["007", "P01"]


def test_parquet_int64_ids_are_reported(tmp_path):
    folder = tmp_path / "study"
    folder.mkdir()
    DOCUMENTS.to_parquet(folder / "documents.parquet")
    units = units_frame(["P01-1-1", "P01-1-2"], ["P01", "P01"])
    units["unit_id"] = np.array([11, 12], dtype=np.int64)
    units.to_parquet(folder / "units.parquet")
    with pytest.raises(pq.ValidationError) as info:
        pq.read_coding(folder)
    assert id_problems(info.value) == [(1, "unit_id", 11), (2, "unit_id", 12)]
    assert "strings in the Parquet file" in info.value.problems.loc[0, "expected"]


def test_json_number_ids_are_reported(tmp_path):
    path = tmp_path / "units.json"
    records = units_frame(["P01-1-1", "P01-1-2"], ["P01", "P01"]).to_dict("records")
    records[0]["unit_id"] = 100000000000000000000
    records[1]["doc_id"] = False
    path.write_text(json.dumps(records), encoding="utf-8")
    with pytest.raises(pq.ValidationError) as info:
        pq.read_coding(path, DOCUMENTS)
    assert id_problems(info.value) == [(1, "unit_id", 100000000000000000000), (2, "doc_id", False)]
    assert 'strings in the JSON ("007", not 7)' in info.value.problems.loc[0, "expected"]


@pytest.mark.parametrize(
    "unit_ids",
    [
        pd.Series([1, 2], dtype="int64"),
        pd.Series([1, 2], dtype="Int64"),
        pd.Series([1, 2], dtype="uint8"),
        pd.Series(["N01-1-1", 2], dtype=object),
        pd.Series([np.int64(1), np.float64(2.5)], dtype=object),
        pd.Series([1, 2], dtype="category"),
    ],
    ids=["int64", "Int64", "uint8", "object int", "object numpy", "category"],
)
def test_dataframe_number_ids_are_reported(unit_ids):
    units = units_frame(["a", "b"], ["007", "007"])
    units["unit_id"] = unit_ids.to_numpy() if unit_ids.dtype == object else unit_ids
    with pytest.raises(pq.ValidationError) as info:
        pq.Corpus(DOCUMENTS, units)
    found = [(row, column) for row, column, _ in id_problems(info.value)]
    numbers = [i for i, v in enumerate(unit_ids) if not isinstance(v, str)]
    assert found == [(i, "unit_id") for i in numbers]
    assert ".astype(str)" in info.value.problems.loc[0, "expected"]


@settings(max_examples=60, deadline=None)
@given(
    ids=st.lists(st.from_regex(r"\A[0-9]{1,6}(\.[0-9]{1,2}|e[0-9])?\Z"), min_size=1, max_size=6, unique=True)
)
def test_numeric_looking_text_is_accepted_and_numbers_are_reported(ids):
    """Whatever text an id is, as text it is an id; as a number it is one problem, in its row."""
    units = units_frame(ids, ["007"] * len(ids))
    corpus = pq.Corpus(DOCUMENTS, units)
    assert corpus.units["unit_id"].tolist() == ids
    units["unit_id"] = pd.Series([float(i) for i in ids], dtype=object)
    with pytest.raises(pq.ValidationError) as info:
        pq.Corpus(DOCUMENTS, units)
    assert [row for row, column, _ in id_problems(info.value)] == list(range(len(ids)))


NFC, NFD = "P\u00e9-1-1", "Pe\u0301-1-1"


def test_nfc_and_nfd_spellings_of_one_unit_id_are_a_duplicate():
    assert unicodedata.normalize("NFC", NFD) == NFC
    units = units_frame([NFC, NFD, "P01-1-3"], ["P01"] * 3)
    with pytest.raises(pq.ValidationError) as info:
        pq.Corpus(DOCUMENTS, units)
    (problem,) = info.value.problems.to_dict("records")
    assert (problem["row"], problem["column"], problem["value"]) == (1, "unit_id", NFD)
    assert "'Pe\\u0301-1-1' here, 'P\\u00e9-1-1' in row 0" in problem["problem"]
    assert "save both as NFC" in problem["expected"]
    # Neither spelling is changed when they are no duplicates.
    corpus = pq.Corpus(DOCUMENTS, units_frame([NFD, "P01-1-3"], ["P01"] * 2))
    assert corpus.units["unit_id"].tolist() == [NFD, "P01-1-3"]


def test_an_nfd_doc_id_against_nfc_documents_shows_the_difference():
    documents = pd.DataFrame({"doc_id": ["P\u00e9"], "DA": ["3"]})
    units = units_frame(["x-1"], ["Pe\u0301"])
    with pytest.raises(pq.ValidationError) as info:
        pq.Corpus(documents, units)
    (problem,) = info.value.problems.to_dict("records")
    assert problem["column"] == "doc_id"
    assert "'Pe\\u0301' is document 'P\\u00e9' in another Unicode normalization form" in problem["problem"]
    assert "save both as NFC" in problem["expected"]
    assert "'Pe\\u0301'" in str(info.value)


def test_duplicates_in_the_same_spelling_are_reported_as_before():
    units = units_frame(["a", "b", "a", "a"], ["P01"] * 4)
    with pytest.raises(pq.ValidationError) as info:
        pq.Corpus(DOCUMENTS, units)
    assert info.value.problems[["row", "problem", "expected"]].to_numpy().tolist() == [
        [2, "duplicate unit_id", "unique unit_ids; first used in row 0"],
        [3, "duplicate unit_id", "unique unit_ids; first used in row 0"],
    ]


# --------------------------------------------------------------------------
# Item 9: what an Excel cell cannot hold is refused at write time; the rest round-trips.


def small_corpus(texts: list[str]) -> pq.Corpus:
    count = len(texts)
    units = units_frame([f"P01-1-{i}" for i in range(count)], ["P01"] * count)
    units["text"] = pd.Series(texts, dtype=object)
    return pq.Corpus(DOCUMENTS, units)


@pytest.mark.parametrize("character", ["\ufffe", "\uffff"])
def test_a_character_excel_cannot_hold_is_refused_naming_the_unit(tmp_path, character):
    corpus = small_corpus(["fine", f"before{character}after"])
    with pytest.raises(pq.ValidationError) as info:
        pq.write_coding(corpus, tmp_path / "study.xlsx")
    (problem,) = info.value.problems.to_dict("records")
    assert (problem["row"], problem["column"]) == (3, "text")
    assert f"U+{ord(character):04X}" in problem["problem"]
    assert "in unit P01-1-1" in problem["problem"]
    assert not (tmp_path / "study.xlsx").exists()
    # Every other format holds it.
    assert pq.read_coding(pq.write_coding(corpus, tmp_path / "study.json")[0]) == corpus


EXCEL_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(" \t\n\r_x0DF5 \u3000\u00a0\ufdd0\ufdef\ufffd\U0001fffe\U0010ffff")),
        st.characters(blacklist_categories=("Cs", "Cc")),
    ),
    max_size=12,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(EXCEL_TEXT, min_size=1, max_size=5))
def test_any_text_an_excel_cell_holds_round_trips_through_xlsx(tmp_path, texts):
    """Noncharacters, whitespace-only text, carriage returns and escape-like text come back as written."""
    corpus = small_corpus(texts)
    path = pq.write_coding(corpus, tmp_path / "study.xlsx")[0]
    back = pq.read_coding(path)
    assert back.units["text"].tolist() == corpus.units["text"].tolist()
    assert back == corpus


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(EXCEL_TEXT, min_size=1, max_size=4), bad=st.sampled_from(["\ufffe", "\uffff", "\x01"]))
def test_text_an_excel_cell_cannot_hold_is_never_written(tmp_path, texts, bad):
    texts = [*texts, texts[0] + bad]
    with pytest.raises(pq.ValidationError) as info:
        pq.write_coding(small_corpus(texts), tmp_path / "refused.xlsx")
    assert info.value.problems["row"].tolist() == [len(texts) + 1]
    assert not (tmp_path / "refused.xlsx").exists()


def test_cells_calamine_reads_as_openpyxl_did(tmp_path):
    # Error cells are empty, formulas give their cached values, "#N/A" typed as text is text,
    # Excel's escapes of control characters are undone.
    rows = [
        ["unit_id", "doc_id", "instrument", "objectives", "AS", "MI", "text"],
        ["P01-1-1", "P01", "标准规范", "公共安全", 5, 3, "#N/A"],
        ["P01-1-2", "P01", "标准规范", "公共安全", 5, 3, "a_x000D_b"],
        ["P01-1-3", "P01", "标准规范", "公共安全", 5, 3, "_x005F_x000D_"],
    ]
    extra = '<row r="5"><c r="A5" t="inlineStr"><is><t>P01-1-4</t></is></c>'
    extra += (
        '<c r="B5" t="inlineStr"><is><t>P01</t></is></c><c r="C5" t="inlineStr"><is><t>标准规范</t></is></c>'
    )
    extra += '<c r="D5" t="inlineStr"><is><t>公共安全</t></is></c><c r="E5"><f>2+3</f><v>5</v></c>'
    extra += '<c r="F5"><v>3</v></c><c r="G5" t="e"><v>#N/A</v></c></row>'
    path = write_workbook(
        tmp_path / "study.xlsx",
        {"documents": sheet_xml([["doc_id", "DA"], ["P01", 3]]), "units": sheet_xml(rows, extra)},
    )
    corpus = pq.read_coding(path)
    assert corpus.units["text"].tolist() == ["#N/A", "a\rb", "_x000D_", pd.NA]
    assert corpus.units["AS"].tolist() == [5, 5, 5, 5]


# --------------------------------------------------------------------------
# Item 11: reading is bounded by the cells, checked under a memory limit.

LIMITED = textwrap.dedent(
    """
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
    import policyquant as pq
    try:
        corpus = pq.read_coding(sys.argv[1])
    except pq.PolicyQuantError as error:
        print("refused:", str(error).splitlines()[0])
    else:
        print("read:", len(corpus.units), "units")
    """
)


def read_with_a_memory_limit(path: Path) -> str:
    """read_coding in a subprocess limited to 1.5 GB of address space: a regression fails, not swaps."""
    result = subprocess.run(
        [sys.executable, "-c", LIMITED, str(path)], capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip()


def stray_cell_workbook(path: Path, reference: str, rows: int = 20_000) -> Path:
    """A units sheet of ``rows`` ids in column A, and one cell "x" at ``reference``."""
    data = [["unit_id"], *([f"P01-1-{i}"] for i in range(rows))]
    row = int("".join(c for c in reference if c.isdigit()))
    stray = f'<c r="{reference}" t="inlineStr"><is><t>x</t></is></c>'
    xml = sheet_xml(data)
    if row <= len(data):
        at = xml.index("</row>", xml.index(f'<row r="{row}">'))
        xml = xml[:at] + stray + xml[at:]
    else:
        xml = sheet_xml(data, f'<row r="{row}">{stray}</row>')
    return write_workbook(path, {"units": xml})


@pytest.mark.parametrize("reference", ["XFD1", "XFD5000", "J1048576", "ZZ900000"])
def test_a_stray_cell_far_from_the_table_is_refused_quickly(tmp_path, reference):
    # Before: 142 s and 16 GB for the XFD workbook (openpyxl); calamine alone aborts the process.
    path = stray_cell_workbook(tmp_path / "study.xlsx", reference)
    assert path.stat().st_size < 400_000
    out = read_with_a_memory_limit(path)
    assert out.startswith("refused:"), out
    assert "lies far outside the table" in out
    with pytest.raises(pq.ReadError) as info:
        pq.read_coding(path)
    (problem,) = info.value.problems.to_dict("records")
    assert problem["value"] == reference
    assert problem["file"] == f"{path} [units]"


def test_a_declared_dimension_of_the_whole_sheet_is_not_what_is_read(tmp_path):
    rows = [UNITS_HEADER, *unit_rows(20_000, 1)]
    path = write_workbook(tmp_path / "units.xlsx", {"units": sheet_xml(rows, dimension="A1:XFD1048576")})
    assert read_with_a_memory_limit(path) == "read: 20000 units"


def test_a_wide_but_full_sheet_is_read(tmp_path):
    # Many columns that hold data are data, not a stray cell: no refusal.
    header = [*UNITS_HEADER, *(f"note {i}" for i in range(60))]
    rows = [header, *([*row, *(f"n{i}" for i in range(60))] for row in unit_rows(500, 1))]
    path = write_workbook(tmp_path / "units.xlsx", {"units": sheet_xml(rows)})
    corpus = pq.read_coding(path)
    assert corpus.units["note 59"].tolist() == ["n59"] * 500


def test_cells_without_references_count_towards_the_width(tmp_path):
    # A reference ("A1") is optional: calamine places a cell without one after the one before it.
    rows = [UNITS_HEADER, *unit_rows(5, 1)]
    plain = "".join(
        "<row>" + "".join(f'<c t="inlineStr"><is><t>{escape(str(v))}</t></is></c>' for v in row) + "</row>"
        for row in rows
    )
    namespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    xml = f'<worksheet xmlns="{namespace}"><sheetData>{plain}</sheetData></worksheet>'
    assert len(pq.read_coding(write_workbook(tmp_path / "plain.xlsx", {"units": xml})).units) == 5
    wide = "<row>" + "<c><v>1</v></c>" * 16_384 + "</row>"
    wide += "".join(f'<row r="{i}"><c s="0" r="A{i}"><v>1</v></c></row>' for i in range(2, 20_001))
    xml = f'<worksheet xmlns="{namespace}"><sheetData>{wide}</sheetData></worksheet>'
    out = read_with_a_memory_limit(write_workbook(tmp_path / "wide.xlsx", {"units": xml}))
    assert out.startswith("refused:") and "columns by 20,001 rows" in out, out
