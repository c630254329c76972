"""The corpus of bad inputs: every reader, on every kind of broken file, says exactly what is wrong.

Each case names the exact error class and checks that the message names the file and, where
it applies, that a problem of the ``problems`` table names the row, column and value, what was
expected and the closest valid choice.  Nothing is repaired silently and no row is dropped:
where a broken-looking file is in fact readable (UTF-16 with a byte-order mark, mixed line
endings), the test checks that every row arrives.

Most files are committed under ``tests/data/bad/`` (see its README); those whose point is
their size or their shape (a JSON nested 100,000 deep, an enormous cell, a Parquet file cut
short) are generated here.

Decisions these tests pin down:

* Ids are text as written.  ``"007"`` stays ``"007"``; ``"7"`` or ``"7.0"`` in a units sheet
  whose documents say ``"007"`` is reported as naming no document, with ``007`` suggested.
  An id that a typed file holds as a float (``1.0``), a date or true/false is reported
  ("id was read as a number" / "as a date" / "as true/false"), never normalised.
* ``nan``, ``None``, ``#N/A`` and other missing-value or spreadsheet-error spellings, and
  formulas (``=A1``), are not ids: reported with their row.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from bad_input_files import deep_json, enormous_cell
from qdpx_fixtures import zip_fixture

import policyquant as pq
from policyquant.declarative import FrameworkFileError, load_framework
from policyquant.errors import FormulaError, ReadError, ScoreError, UnknownFrameworkError, ValidationError
from policyquant.formula import Formula
from policyquant.frameworks.pmc import PMCIndex
from policyquant.io import read_qdc, read_qdpx, read_table, write_coding_template

BAD = Path(__file__).parent / "data" / "bad"
REFI = Path(__file__).parent / "data" / "refi"
DOCUMENTS = BAD / "documents.csv"


@dataclass
class Case:
    """One bad input: what to call, the exact error, and what its message and problems must name."""

    id: str
    call: Callable[[Path], Any]
    error: type[Exception]
    names: str | None  # the file the message must name (None: no file involved)
    fragments: tuple[str, ...] = ()
    problem: dict[str, Any] = field(default_factory=dict)


def units(name: str, **kwargs: Any) -> Callable[[Path], Any]:
    return lambda tmp: pq.read_coding(BAD / name, DOCUMENTS, **kwargs)


def table(name: str, **kwargs: Any) -> Callable[[Path], Any]:
    return lambda tmp: read_table(BAD / name, **kwargs)


def framework(name: str) -> Callable[[Path], Any]:
    return lambda tmp: load_framework(BAD / name)


def find_problem(error: ValidationError, expected: dict[str, Any]) -> pd.Series:
    """The problem whose fields match ``expected`` (equal, or containing it for the text fields)."""
    text_fields = {"problem", "expected", "suggestions", "file"}
    for _, problem in error.problems.iterrows():
        if all(
            (key in text_fields and value is not None and value in str(problem[key]))
            or (key not in text_fields and problem[key] == value)
            for key, value in expected.items()
        ):
            return problem
    raise AssertionError(f"no problem matching {expected} in\n{error.problems.to_string()}")


# --------------------------------------------------------------------------
# Generated inputs: size or shape is their point.


def truncated_parquet(tmp: Path) -> Path:
    good = tmp / "good.parquet"
    pd.DataFrame({"unit_id": ["007-1-1"], "doc_id": ["007"]}).to_parquet(good)
    path = tmp / "truncated.parquet"
    path.write_bytes(good.read_bytes()[:60])
    return path


def typed_parquet(tmp: Path) -> Path:
    """A Parquet file whose id columns were saved as a date and a float, as pandas types them."""
    path = tmp / "typed.parquet"
    pd.DataFrame(
        {
            "unit_id": pd.to_datetime(["2023-01-05"]),
            "doc_id": ["007"],
            "instrument": ["标准规范"],
            "objectives": ["公共安全"],
            "AS": [5],
            "MI": [3],
        }
    ).to_parquet(path)
    return path


def deep_toml(tmp: Path) -> Path:
    path = tmp / "deep.toml"
    path.write_text('name = "demo"\ntitle = "Demo"\nx = ' + "[" * 5000 + "]" * 5000 + "\n")
    return path


def two_units_files(tmp: Path) -> Path:
    folder = tmp / "study"
    folder.mkdir()
    shutil.copy(BAD / "gbk.csv", folder / "units.csv")
    shutil.copy(BAD / "gbk.csv", folder / "条款.csv")
    shutil.copy(DOCUMENTS, folder / "documents.csv")
    return folder


def empty_directory(tmp: Path) -> Path:
    folder = tmp / "nothing"
    folder.mkdir()
    return folder


def project(tmp: Path, replace: dict[str, str] | None = None, drop: tuple[str, ...] = ()) -> Path:
    """The two-coder REFI-QDA fixture as a .qdpx, with project.qde edited (malformed, not hostile)."""
    return zip_fixture(REFI / "two_coders", tmp / "project.qdpx", replace=replace, drop=drop)


def read_project(tmp: Path, **edit: Any) -> Any:
    import warnings

    path = project(tmp, **edit)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return read_qdpx(path)


def pmc_frame(name: str) -> pd.DataFrame:
    frame = read_table(BAD / name).set_index("policy")
    return frame.apply(pd.to_numeric, errors="coerce").astype(object).where(lambda f: f.notna(), frame)


FIRST_SELECTION = 'startPosition="0" endPosition="23"'
CODE_19 = '<CodeRef targetGUID="C0000000-0000-4000-8000-000000000019"/>'

CASES = [
    # ---- CSV: files that cannot be read at all.
    Case("empty csv", units("empty.csv"), ReadError, "empty.csv", ("the file is empty",)),
    Case("blank lines only", units("blank_lines.csv"), ReadError, "blank_lines.csv", ("empty",)),
    Case(
        "utf-16 without a byte-order mark",
        units("utf16_no_bom.csv"),
        ReadError,
        "utf16_no_bom.csv",
        ("cannot decode the file", "UTF-16 without a byte-order mark"),
    ),
    Case(
        "gbk read as utf-8 on request",
        units("gbk.csv", encoding="utf-8"),
        ReadError,
        "gbk.csv",
        ("cannot decode the file as utf-8", "byte "),
    ),
    Case("unknown encoding name", units("gbk.csv", encoding="gbk-9"), ReadError, "gbk.csv", ("'gbk-9'",)),
    Case(
        "big5 taken for gbk",
        units("big5.csv"),
        ValidationError,
        "big5.csv",
        ("unknown instrument",),
        {
            "row": 2,
            "column": "instrument",
            "problem": "unknown instrument",
            "expected": "standards_and_norms",
        },
    ),
    Case(
        "a first row with more cells than headers",
        units("too_many_cells_row2.csv"),
        ReadError,
        "too_many_cells_row2.csv",
        ("row 2 has more cells than the header has columns (6)",),
        {"row": 2, "expected": "6 cells"},
    ),
    Case(
        "a later row with more cells than headers",
        units("too_many_cells_row3.csv"),
        ReadError,
        "too_many_cells_row3.csv",
        ("row 3 has 7 cells but the header has 6 columns",),
        {"row": 3, "value": "7 cells", "expected": "6 cells"},
    ),
    Case(
        "a quote left open",
        units("unclosed_quote.csv"),
        ReadError,
        "unclosed_quote.csv",
        ("not a valid CSV",),
    ),
    Case(
        "unknown suffix", table("not_xml.qdc"), ReadError, "not_xml.qdc", ("unknown file type '.qdc'", ".csv")
    ),
    Case("missing file", table("no_such_file.csv"), ReadError, "no_such_file.csv", ("no such file",)),
    Case(
        "read_table of an unknown table",
        table("gbk.csv", table="unit"),
        ValidationError,
        None,
        ("table must be one of documents, units",),
        {"column": "table", "value": "unit", "suggestions": "units"},
    ),
    # ---- CSV: headers that pandas would rename silently.
    Case(
        "duplicated header",
        units("duplicated_header.csv"),
        ValidationError,
        "duplicated_header.csv",
        ("header row",),
        {
            "row": 1,
            "column": "D",
            "value": "instrument",
            "problem": "repeated header",
            "expected": "column C",
        },
    ),
    Case(
        "data under a blank header",
        units("blank_header_over_data.csv"),
        ValidationError,
        "blank_header_over_data.csv",
        ("header row",),
        {"row": 1, "column": "E", "problem": "data under a blank header"},
    ),
    Case(
        "a misspelt required column",
        units("missing_column.csv"),
        ValidationError,
        "missing_column.csv",
        ("missing required column",),
        {"column": "instrument", "problem": "missing required column", "suggestions": "instrumnet"},
    ),
    # ---- Ids.
    Case(
        "nan written as an id",
        units("nan_id.csv"),
        ValidationError,
        "nan_id.csv",
        (),
        {"row": 2, "column": "unit_id", "value": "nan", "problem": "missing value or spreadsheet error"},
    ),
    Case(
        "#N/A as a doc_id",
        units("excel_error_id.csv"),
        ValidationError,
        "excel_error_id.csv",
        (),
        {"row": 2, "column": "doc_id", "value": "#N/A", "problem": "spreadsheet error"},
    ),
    Case(
        "formula text in an id cell",
        units("formula_id.csv"),
        ValidationError,
        "formula_id.csv",
        (),
        {"row": 2, "column": "unit_id", "value": "=A1+1", "problem": "spreadsheet formula"},
    ),
    Case(
        "blank id",
        units("blank_id.csv"),
        ValidationError,
        "blank_id.csv",
        (),
        {
            "row": 3,
            "column": "unit_id",
            "problem": "empty required cell",
            "expected": "a unit_id in every row",
        },
    ),
    Case(
        "duplicate unit id",
        units("duplicate_unit_id.csv"),
        ValidationError,
        "duplicate_unit_id.csv",
        (),
        {"row": 3, "column": "unit_id", "value": "007-1-1", "expected": "first used in row 2"},
    ),
    Case(
        "7.0 for the document 007",
        units("float_doc_id.csv"),
        ValidationError,
        "float_doc_id.csv",
        (),
        {"row": 2, "column": "doc_id", "value": "7.0", "problem": "no document", "suggestions": "007"},
    ),
    Case(
        "7 for the document 007",
        units("unpadded_doc_id.csv"),
        ValidationError,
        "unpadded_doc_id.csv",
        (),
        {"row": 2, "column": "doc_id", "value": "7", "suggestions": "007"},
    ),
    Case(
        "a unit of a missing document",
        units("missing_document.csv"),
        ValidationError,
        "missing_document.csv",
        (),
        {"row": 2, "column": "doc_id", "value": "P99", "expected": "a doc_id of the documents table"},
    ),
    Case(
        "the units file given as its own documents",
        lambda tmp: pq.read_coding(BAD / "duplicate_unit_id.csv", BAD / "duplicate_unit_id.csv"),
        ValidationError,
        "duplicate_unit_id.csv",
        (),
        {"row": 3, "column": "doc_id", "value": "007", "problem": "duplicate doc_id"},
    ),
    Case(
        "a duplicated document",
        lambda tmp: pq.read_coding(BAD / "header_only.csv", BAD / "documents_duplicate_id.csv"),
        ValidationError,
        "documents_duplicate_id.csv",
        (),
        {"row": 3, "column": "doc_id", "value": "007", "expected": "first used in row 2"},
    ),
    # ---- Unknown codes in every field, scores off the scale.
    Case(
        "unknown instrument",
        units("unknown_instrument.csv"),
        ValidationError,
        "unknown_instrument.csv",
        ("unknown instrument",),
        {
            "row": 2,
            "column": "instrument",
            "value": "Standards and norm",
            "suggestions": "standards_and_norms",
        },
    ),
    Case(
        "unknown objective among known ones",
        units("unknown_objective.csv"),
        ValidationError,
        "unknown_objective.csv",
        (),
        {"row": 2, "column": "objectives", "value": "Public safty", "suggestions": "public_safety"},
    ),
    Case(
        "score off the scale",
        units("score_off_scale.csv"),
        ValidationError,
        "score_off_scale.csv",
        ("not a level of AS",),
        {"row": 2, "column": "AS", "value": "4", "expected": "5 (All departments"},
    ),
    Case(
        "a level name no dimension has",
        units("score_level_unknown.csv"),
        ValidationError,
        "score_level_unknown.csv",
        (),
        {"row": 2, "column": "MI", "value": "very strong", "expected": "5 ("},
    ),
    Case(
        "unknown level, year, date and authority",
        lambda tmp: pq.read_coding(BAD / "header_only.csv", BAD / "documents_bad_fields.csv"),
        ValidationError,
        "documents_bad_fields.csv",
        ("4 problems",),
        {"row": 2, "column": "level", "value": "county", "expected": "national or provincial"},
    ),
    Case(
        "an unknown framework",
        units("gbk.csv", framework="wang2062"),
        UnknownFrameworkError,
        None,
        ("no framework named 'wang2062'", "did you mean wang2026?"),
    ),
    # ---- Excel.
    Case(
        "truncated workbook",
        units("truncated.xlsx"),
        ReadError,
        "truncated.xlsx",
        ("not a readable Excel workbook",),
    ),
    Case(
        "text saved as .xlsx", units("not_a_zip.xlsx"), ReadError, "not_a_zip.xlsx", ("not a readable Excel",)
    ),
    Case(
        "a zip that is not a workbook",
        units("zip_not_workbook.xlsx"),
        ReadError,
        "zip_not_workbook.xlsx",
        ("not a readable Excel workbook",),
    ),
    Case(
        "a sheet whose XML is cut short",
        units("corrupt_sheet.xlsx"),
        ReadError,
        "corrupt_sheet.xlsx",
        ("sheet 'units' cannot be read",),
    ),
    Case(
        "merged header cells",
        units("merged_header.xlsx"),
        ValidationError,
        "merged_header.xlsx",
        ("[units]",),
        {"row": 1, "column": "E", "problem": "merged header cell"},
    ),
    Case(
        "duplicated header in a workbook",
        units("duplicated_header.xlsx"),
        ValidationError,
        "duplicated_header.xlsx",
        (),
        {"row": 1, "column": "G", "value": "AS", "expected": "column E"},
    ),
    Case(
        "headers in the second row",
        units("headers_in_row2.xlsx"),
        ValidationError,
        "headers_in_row2.xlsx",
        ("row 1 is empty",),
        {"row": 1, "problem": "no headers in the first row"},
    ),
    Case(
        "a date in an id cell",
        units("date_id.xlsx"),
        ValidationError,
        "date_id.xlsx",
        (),
        {"row": 2, "column": "unit_id", "value": "2023-01-05 00:00:00", "problem": "read as a date"},
    ),
    Case(
        "a formula (never calculated) in an id cell",
        units("formula_id.xlsx"),
        ValidationError,
        "formula_id.xlsx",
        (),
        {"row": 2, "column": "unit_id", "problem": "empty required cell"},
    ),
    Case(
        "a number for the document 007",
        units("numeric_id.xlsx"),
        ValidationError,
        "numeric_id.xlsx",
        (),
        {"row": 2, "column": "doc_id", "value": "7", "suggestions": "007"},
    ),
    Case(
        "no such sheet",
        lambda tmp: pq.read_coding(BAD / "merged_header.xlsx", sheet="Units"),
        ReadError,
        "merged_header.xlsx",
        ("no sheet named 'Units'",),
        {"value": "Units", "suggestions": "units"},
    ),
    # ---- JSON.
    Case("invalid json", units("invalid.json"), ReadError, "invalid.json", ("not valid JSON", "line 1")),
    Case(
        "json nested 100,000 deep",
        lambda tmp: pq.read_coding(deep_json(tmp)),
        ReadError,
        "deep.json",
        ("nested too deeply",),
    ),
    Case(
        "a key twice in one record",
        units("duplicate_key.json"),
        ReadError,
        "duplicate_key.json",
        ("'unit_id' appears twice", "'007-1-1'", "'007-1-2'"),
        {"column": "unit_id", "problem": "key repeated"},
    ),
    Case(
        "an object in a cell",
        units("nested_cell.json"),
        ValidationError,
        "nested_cell.json",
        ("nested objects",),
        {"row": 1, "column": "unit_id", "value": "{'id': '007-1-1'}"},
    ),
    Case(
        "a float id in json",
        units("float_id.json"),
        ValidationError,
        "float_id.json",
        (),
        {
            "row": 1,
            "column": "unit_id",
            "value": 1.0,
            "problem": "read as a number",
            "expected": "ids stored as strings in the JSON",
        },
    ),
    Case(
        "true as an id",
        units("bool_id.json"),
        ValidationError,
        "bool_id.json",
        (),
        {"row": 1, "column": "unit_id", "value": True, "problem": "true/false"},
    ),
    Case(
        "true as a score",
        units("bool_score.json"),
        ValidationError,
        "bool_score.json",
        (),
        {"row": 1, "column": "AS", "value": "True", "problem": "not a level of AS"},
    ),
    Case(
        "NaN as an id",
        units("nan_id.json"),
        ValidationError,
        "nan_id.json",
        (),
        {"row": 1, "column": "unit_id", "problem": "empty required cell"},
    ),
    Case("units not a list", units("not_records.json"), ReadError, "not_records.json", ("list of records",)),
    # ---- Parquet and directories.
    Case(
        "truncated parquet",
        lambda tmp: read_table(truncated_parquet(tmp)),
        ReadError,
        "truncated.parquet",
        ("Parquet",),
    ),
    Case(
        "a date-typed id column",
        lambda tmp: pq.read_coding(typed_parquet(tmp), DOCUMENTS),
        ValidationError,
        "typed.parquet",
        (),
        {"row": 1, "column": "unit_id", "problem": "read as a date"},
    ),
    Case(
        "an enormous cell",
        lambda tmp: pq.read_coding(enormous_cell(tmp), DOCUMENTS),
        ValidationError,
        "enormous.csv",
        ("(300000 characters)",),
        {"row": 2, "column": "instrument", "problem": "unknown instrument"},
    ),
    Case(
        "an empty directory",
        lambda tmp: pq.read_coding(empty_directory(tmp)),
        ReadError,
        "nothing",
        ("no units file",),
    ),
    Case(
        "two units files in one directory",
        lambda tmp: pq.read_coding(two_units_files(tmp)),
        ReadError,
        "study",
        ("2 files could hold the units", "units.csv", "条款.csv"),
    ),
    Case(
        "a directory as read_table's file", lambda tmp: read_table(BAD), ReadError, "bad", ("is a directory",)
    ),
    # ---- TOML frameworks.
    Case(
        "invalid TOML",
        framework("invalid_syntax.toml"),
        FrameworkFileError,
        "invalid_syntax.toml",
        ("line 1, column 13", "invalid TOML"),
    ),
    Case(
        "a key twice", framework("duplicate_key.toml"), FrameworkFileError, "duplicate_key.toml", ("line 2",)
    ),
    Case("not UTF-8", framework("not_utf8.toml"), FrameworkFileError, "not_utf8.toml", ("not UTF-8",)),
    Case(
        "nested 5000 deep",
        lambda tmp: load_framework(deep_toml(tmp)),
        FrameworkFileError,
        "deep.toml",
        ("nested too deeply",),
    ),
    Case(
        "unknown scale type",
        framework("unknown_scale_type.toml"),
        FrameworkFileError,
        "unknown_scale_type.toml",
        ("scale.type: unknown scale type 'fromula'", "did you mean formula?"),
    ),
    Case(
        "scale type not text",
        framework("scale_type_not_text.toml"),
        FrameworkFileError,
        "scale_type_not_text.toml",
        ("scale.type", "got 3"),
    ),
    Case(
        "unknown key",
        framework("unknown_key.toml"),
        FrameworkFileError,
        "unknown_key.toml",
        ("titel", "did you mean title?"),
    ),
    Case(
        "unknown family",
        framework("unknown_family.toml"),
        FrameworkFileError,
        "unknown_family.toml",
        ("instruments[0].family", "'sfot'", "did you mean soft?"),
    ),
    Case(
        "a formula that divides by zero",
        framework("formula_division_by_zero.toml"),
        FrameworkFileError,
        "formula_division_by_zero.toml",
        ("scale.formula", "'SP / 0' is not finite"),
    ),
    Case("missing TOML file", framework("no_such.toml"), FileNotFoundError, "no_such.toml"),
    # ---- REFI-QDA, malformed (hostile files are tested elsewhere).
    Case("empty codebook", lambda tmp: read_qdc(BAD / "empty.qdc"), ReadError, "empty.qdc", ("empty",)),
    Case(
        "a codebook that is not XML",
        lambda tmp: read_qdc(BAD / "not_xml.qdc"),
        ReadError,
        "not_xml.qdc",
        ("not well-formed XML",),
    ),
    Case(
        "a codebook cut short",
        lambda tmp: read_qdc(BAD / "truncated.qdc"),
        ReadError,
        "truncated.qdc",
        ("not well-formed XML (line 2",),
        {"row": 2, "problem": "not well-formed"},
    ),
    Case(
        "a project passed as a codebook",
        lambda tmp: read_qdc(BAD / "wrong_root.qdc"),
        ReadError,
        "wrong_root.qdc",
        ("no CodeBook",),
    ),
    Case(
        "a code without a GUID",
        lambda tmp: read_qdc(BAD / "code_without_guid.qdc"),
        ValidationError,
        "code_without_guid.qdc",
        (),
        {"column": "Codes/Code[1]", "value": "标准规范", "problem": "without a guid"},
    ),
    Case(
        "two codes with one GUID",
        lambda tmp: read_qdc(BAD / "duplicate_guid.qdc"),
        ValidationError,
        "duplicate_guid.qdc",
        (),
        {
            "column": "Codes/Code[2]",
            "value": "C0000000-0000-4000-8000-000000000001",
            "problem": "duplicate code GUID",
        },
    ),
    Case(
        "a project that is not a zip",
        lambda tmp: read_qdpx(BAD / "not_a_zip.qdpx"),
        ReadError,
        "not_a_zip.qdpx",
        (),
    ),
    Case(
        "positions that are not numbers",
        lambda tmp: read_project(tmp, replace={FIRST_SELECTION: 'startPosition="abc" endPosition="23"'}),
        ValidationError,
        "project.qdpx",
        (),
        {"value": "abc-23", "problem": "not integers", "expected": "64 (the text's length)"},
    ),
    Case(
        "a coding without a code",
        lambda tmp: read_project(tmp, replace={CODE_19: ""}),
        ValidationError,
        "project.qdpx",
        ("PlainTextSelection 51000000-0000-4000-8000-000000000004",),
        {"problem": "Coding without a CodeRef"},
    ),
    Case(
        "a coding of a missing code",
        lambda tmp: read_project(
            tmp, replace={CODE_19: '<CodeRef targetGUID="F0000000-0000-4000-8000-0000000000FF"/>'}
        ),
        ValidationError,
        "project.qdpx",
        (),
        {
            "value": "F0000000-0000-4000-8000-0000000000FF",
            "problem": "CodeRef to a code the codebook does not hold",
        },
    ),
    Case(
        "a source of no text",
        lambda tmp: read_project(
            tmp, replace={'plainTextPath="internal://11111111-1111-4111-8111-111111111111.txt" ': ""}
        ),
        ValidationError,
        "project.qdpx",
        (),
        {"column": "TextSource 'N01'", "problem": "text source without text"},
    ),
    Case(
        "a source file missing from the archive",
        lambda tmp: read_project(tmp, drop=("sources/11111111-1111-4111-8111-111111111111.txt",)),
        ReadError,
        "project.qdpx",
        ("is not in the archive",),
    ),
    Case(
        "no project.qde",
        lambda tmp: read_project(tmp, drop=("project.qde",)),
        ReadError,
        "project.qdpx",
        ("no project.qde",),
    ),
    # ---- The PMC index.
    Case(
        "no sub-variable columns",
        lambda tmp: PMCIndex.from_columns(read_table(BAD / "pmc_no_subvariables.csv")),
        ValidationError,
        None,
        ("no PMC sub-variable columns found", "'score'", "X1_1"),
    ),
    Case(
        "a sub-variable twice",
        lambda tmp: PMCIndex.from_columns(read_table(BAD / "pmc_repeated_subvariable.csv")),
        ValidationError,
        None,
        ("repeats a PMC sub-variable",),
        {"column": "X1.1", "problem": "as 'X1_1' does"},
    ),
    Case(
        "a sub-variable that is not 0 or 1",
        lambda tmp: PMCIndex.from_columns(pmc_frame("pmc_not_binary.csv")).score(
            pmc_frame("pmc_not_binary.csv"), source=str(BAD / "pmc_not_binary.csv")
        ),
        ScoreError,
        "pmc_not_binary.csv",
        ("1 PMC sub-variable value is not 0 or 1",),
        {"row": "P2", "column": "X1_1", "value": 2, "expected": "0 or 1"},
    ),
    Case(
        "no grade bands for 2 variables",
        lambda tmp: PMCIndex({"X1": ["a"], "X2": ["b"]}).score(pd.DataFrame({"a": [1], "b": [0]})),
        pq.errors.InvalidFrameworkError,
        None,
        ("no published PMC grade bands for 2", "bands="),
    ),
    # ---- write_coding_template's inputs.
    Case(
        "a template not named .xlsx",
        lambda tmp: write_coding_template("wang2026", tmp / "coding.csv"),
        ValidationError,
        "coding.csv",
        ("give a file name ending in .xlsx",),
        {"value": ".csv", "suggestions": "coding.xlsx"},
    ),
    Case(
        "a template language no one speaks",
        lambda tmp: write_coding_template("wang2026", tmp / "coding.xlsx", language="fr"),
        ValidationError,
        None,
        ("unknown template language 'fr'",),
        {"column": "language", "value": "fr", "expected": "en, zh"},
    ),
    Case(
        "a negative row count",
        lambda tmp: write_coding_template("wang2026", tmp / "coding.xlsx", units_rows=-1),
        ValidationError,
        None,
        (),
        {"column": "units_rows", "value": -1, "expected": "1 to 1048575"},
    ),
    Case(
        "pre-filled documents off the scale",
        lambda tmp: write_coding_template(
            "wang2026", tmp / "coding.xlsx", documents=BAD / "documents_bad_fields.csv"
        ),
        ValidationError,
        "documents_bad_fields.csv",
        (),
        {"row": 2, "column": "DA", "value": "9", "expected": "5 (Administrative regulations)"},
    ),
    Case(
        "pre-filled documents from a missing file",
        lambda tmp: write_coding_template("wang2026", tmp / "coding.xlsx", documents=BAD / "nope.csv"),
        ReadError,
        "nope.csv",
        ("no such file",),
    ),
    Case(
        "pre-filled documents from a broken workbook",
        lambda tmp: write_coding_template("wang2026", tmp / "coding.xlsx", documents=BAD / "truncated.xlsx"),
        ReadError,
        "truncated.xlsx",
        ("not a readable Excel workbook",),
    ),
]

FORMULAS = {
    "formula_dunder_class.toml": ("attribute access", "SP.__class__"),
    "formula_import.toml": ("calls are allowed only to the listed functions", "__import__"),
    "formula_attribute.toml": ("attribute access", "SP.real"),
    "formula_lambda.toml": ("calls are allowed only to the listed functions", "lambda"),
    "formula_comprehension.toml": ("comprehensions not allowed", "[x for x in (SP, SP)]"),
    "formula_subscript.toml": ("subscripts not allowed", "SP[0]"),
    "formula_getattr.toml": ("calls are allowed only to the listed functions", "getattr"),
    "formula_builtins.toml": ("unknown name '__builtins__'", "__builtins__"),
    "formula_string.toml": ("constants of type str not allowed", "'SP'"),
    "formula_walrus.toml": ("assignments not allowed", "x := SP"),
}


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_a_clear_error(case, tmp_path):
    with pytest.raises(Exception) as raised:
        case.call(tmp_path)
    error = raised.value
    assert type(error) is case.error, f"{type(error).__name__}: {error}"
    message = str(error)
    if case.names is not None:
        assert case.names in message
    for fragment in case.fragments:
        assert fragment in message, message
    assert "Traceback" not in message
    if case.problem:
        problem = find_problem(error, case.problem)
        if case.names is not None and problem["file"] is not None:
            assert case.names in str(problem["file"])


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_formula_reaching_for_python_internals_is_refused(name):
    why, part = FORMULAS[name]
    with pytest.raises(FrameworkFileError) as raised:
        load_framework(BAD / name)
    message = str(raised.value)
    assert name in message
    assert "scale.formula" in message
    assert why in message
    assert part in message
    # The key path of the formula is the problem's place; the cause is the formula's own error.
    assert raised.value.problems[0][0] == "scale.formula"
    assert isinstance(raised.value.__cause__, FormulaError)


@pytest.mark.parametrize(
    "text",
    [
        "().__class__.__bases__[0].__subclasses__()",
        "__import__('os')",
        "SP.__globals__",
        "{SP: SP}",
        "SP if SP else 0",
    ],
)
def test_formula_never_runs_what_it_refuses(text, monkeypatch):
    """Refused before anything runs: eval, exec and __import__ are never called."""
    import builtins

    def forbidden(*args, **kwargs):
        raise AssertionError("the formula ran Python")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    with pytest.raises(FormulaError):
        Formula(text, ("SP",))


# --------------------------------------------------------------------------
# Broken-looking files that are in fact readable: every row arrives, as written.


def test_utf16_with_a_byte_order_mark_reads():
    corpus = pq.read_coding(BAD / "utf16_bom.csv", DOCUMENTS)
    assert corpus.units["unit_id"].tolist() == ["007-1-1"]
    assert corpus.units["doc_id"].tolist() == ["007"]


def test_big5_reads_when_named():
    assert read_table(BAD / "big5.csv", encoding="big5")["instrument"].tolist() == ["標準規範"]


def test_gbk_is_detected():
    corpus = pq.read_coding(BAD / "gbk.csv", DOCUMENTS)
    assert corpus.units.loc[0, "objectives"] == ("public_safety",)


def test_mixed_line_endings_lose_no_row():
    frame = read_table(BAD / "mixed_line_endings.csv")
    assert frame["unit_id"].tolist() == ["007-1-1", "007-1-2", "007-1-3"]
    assert frame.index.tolist() == [2, 3, 4]
    assert len(pq.read_coding(BAD / "mixed_line_endings.csv", DOCUMENTS).units) == 3


def test_header_only_is_an_empty_corpus_not_an_error():
    corpus = pq.read_coding(BAD / "header_only.csv", DOCUMENTS)
    assert len(corpus.units) == 0
    assert corpus.documents["doc_id"].tolist() == ["007", "P01"]


def test_trailing_commas_add_no_column():
    frame = read_table(BAD / "trailing_commas.csv")
    assert list(frame.columns) == ["unit_id", "doc_id", "instrument", "objectives", "AS", "MI"]
    assert len(pq.read_coding(BAD / "trailing_commas.csv", DOCUMENTS).units) == 1


@pytest.mark.parametrize("name", ["gbk.csv", "utf16_bom.csv", "mixed_line_endings.csv"])
def test_leading_zeros_are_kept(name):
    corpus = pq.read_coding(BAD / name, DOCUMENTS)
    assert set(corpus.units["doc_id"]) == {"007"}
    assert corpus.units["unit_id"].str.startswith("007-").all()


def test_a_real_id_that_looks_like_a_number_is_kept_as_written():
    documents = pd.DataFrame({"doc_id": ["1.0", "007"], "DA": [3, 3]})
    units = pd.DataFrame(
        {
            "unit_id": ["1.0-1-1", "007-1-1"],
            "doc_id": ["1.0", "007"],
            "instrument": ["标准规范"] * 2,
            "objectives": ["公共安全"] * 2,
            "AS": [5, 5],
            "MI": [3, 3],
        }
    )
    corpus = pq.Corpus(documents, units)
    assert corpus.units["doc_id"].tolist() == ["1.0", "007"]


def test_a_json_list_of_objectives_is_one_cell(tmp_path):
    path = tmp_path / "units.json"
    path.write_text(
        '[{"unit_id": "007-1-1", "doc_id": "007", "instrument": "标准规范", '
        '"objectives": ["公共安全", "技术安全与创新"], "AS": 5, "MI": 3}]',
        encoding="utf-8",
    )
    corpus = pq.read_coding(path, DOCUMENTS)
    assert corpus.units.loc[0, "objectives"] == ("public_safety", "tech_innovation")


def test_json_keys_missing_from_the_column_list_are_kept(tmp_path):
    corpus = pq.datasets.load_genai_china().subset(["N01"])
    (path,) = corpus.to_json(tmp_path / "study.json")
    text = path.read_text(encoding="utf-8").replace('"unit_id":', '"coder_note": "kept", "unit_id":', 1)
    path.write_text(text, encoding="utf-8")
    back = pq.read_coding(path)
    assert "coder_note" in back.units.columns
    assert back.units["coder_note"].iloc[0] == "kept"


def test_every_problem_of_a_bad_sheet_is_listed_at_once():
    """Not the first problem only: the coder fixes the whole sheet in one pass."""
    with pytest.raises(ValidationError) as raised:
        pq.read_coding(BAD / "header_only.csv", BAD / "documents_bad_fields.csv")
    columns = set(raised.value.problems["column"])
    assert columns == {"DA", "level", "year", "date"}
    assert (raised.value.problems["row"] == 2).all()


def test_problem_values_are_shortened_not_lost(tmp_path):
    with pytest.raises(ValidationError) as raised:
        pq.read_coding(enormous_cell(tmp_path), DOCUMENTS)
    value = raised.value.problems.loc[0, "value"]
    assert value.startswith("标" * 100)
    assert value.endswith("(300000 characters)")
    assert len(str(raised.value)) < 2000


def test_the_corpus_has_enough_cases():
    assert len(CASES) + len(FORMULAS) >= 40
