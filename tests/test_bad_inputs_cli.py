"""Every command on every bad input: one line on standard error, exit status 2, no traceback.

The bad inputs are those of ``tests/test_bad_inputs.py`` (``tests/data/bad/``, plus a few
generated here).  A crash is a bug: status 1, a line asking for a bug report, and the
traceback only with ``--debug``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bad_input_files import deep_json, enormous_cell
from click.testing import CliRunner, Result

import policyquant.io
from policyquant.cli import BUG_REPORT, main

BAD = Path(__file__).parent / "data" / "bad"
DOCUMENTS = BAD / "documents.csv"
#: A valid coding file (units only; documents are made from its doc_ids): the first coder.
GOOD = BAD / "gbk.csv"

#: Longest acceptable error line: a line, not a dump of an enormous cell.
MAX_LINE = 2000


def invoke(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="policyquant")


def assert_one_line_error(result: Result, *fragments: str) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("policyquant: error: "), line
    assert "Traceback" not in result.stderr
    assert len(line) < MAX_LINE
    for fragment in fragments:
        assert fragment in line, line
    return line


# --------------------------------------------------------------------------
# Generated bad inputs (size or shape is their point).


def two_units_files(tmp: Path) -> Path:
    folder = tmp / "study"
    folder.mkdir()
    shutil.copy(GOOD, folder / "units.csv")
    shutil.copy(GOOD, folder / "条款.csv")
    return folder


def empty_directory(tmp: Path) -> Path:
    folder = tmp / "nothing"
    folder.mkdir()
    return folder


def deep_toml(tmp: Path) -> Path:
    path = tmp / "deep.toml"
    path.write_text('name = "demo"\ntitle = "Demo"\nx = ' + "[" * 5000 + "]" * 5000 + "\n")
    return path


def committed(name: str) -> Callable[[Path], Path]:
    return lambda tmp: BAD / name


#: Coding files that no command may read: (id, how to get the file, what the line must name).
CODING_FILES = [
    ("empty", committed("empty.csv"), "empty.csv"),
    ("utf-16 without mark", committed("utf16_no_bom.csv"), "utf16_no_bom.csv"),
    ("too many cells", committed("too_many_cells_row2.csv"), "row 2"),
    ("too many cells later", committed("too_many_cells_row3.csv"), "row 3"),
    ("quote left open", committed("unclosed_quote.csv"), "unclosed_quote.csv"),
    ("duplicated header", committed("duplicated_header.csv"), "repeated header"),
    ("blank header over data", committed("blank_header_over_data.csv"), "blank header"),
    ("nan id", committed("nan_id.csv"), "'nan'"),
    ("#N/A id", committed("excel_error_id.csv"), "'#N/A'"),
    ("formula id", committed("formula_id.csv"), "'=A1+1'"),
    ("blank id", committed("blank_id.csv"), "row 3"),
    ("duplicate id", committed("duplicate_unit_id.csv"), "duplicate unit_id"),
    ("missing column", committed("missing_column.csv"), "missing required column"),
    ("unknown instrument", committed("unknown_instrument.csv"), "'Standards and norm'"),
    ("unknown objective", committed("unknown_objective.csv"), "'Public safty'"),
    ("score off the scale", committed("score_off_scale.csv"), "value '4'"),
    ("truncated workbook", committed("truncated.xlsx"), "truncated.xlsx"),
    ("text as workbook", committed("not_a_zip.xlsx"), "not_a_zip.xlsx"),
    ("zip not a workbook", committed("zip_not_workbook.xlsx"), "zip_not_workbook.xlsx"),
    ("corrupt sheet", committed("corrupt_sheet.xlsx"), "corrupt_sheet.xlsx"),
    ("merged header", committed("merged_header.xlsx"), "merged header"),
    ("date id", committed("date_id.xlsx"), "read as a date"),
    ("headers in row 2", committed("headers_in_row2.xlsx"), "row 1 is empty"),
    ("invalid json", committed("invalid.json"), "invalid.json"),
    ("json key twice", committed("duplicate_key.json"), "'unit_id' appears twice"),
    ("json nested object", committed("nested_cell.json"), "nested"),
    ("json boolean id", committed("bool_id.json"), "true/false"),
    ("json not records", committed("not_records.json"), "list of records"),
    ("json nested deep", deep_json, "nested too deeply"),
    ("enormous cell", enormous_cell, "300000 characters"),
    ("two units files", two_units_files, "2 files could hold the units"),
    ("empty directory", empty_directory, "no units file"),
    ("missing file", committed("no_such_file.csv"), "no_such_file.csv"),
    ("unknown suffix", committed("not_xml.qdc"), "unknown file type"),
]

#: Files that only the documents slot of a command sees.
DOCUMENT_FILES = [
    ("documents with bad fields", committed("documents_bad_fields.csv"), "documents_bad_fields.csv"),
    ("duplicate documents", committed("documents_duplicate_id.csv"), "duplicate doc_id"),
    ("documents missing", committed("no_such_documents.csv"), "no_such_documents.csv"),
]

#: Framework files given as --framework, to codebook and to template.
TOML_FILES = [
    ("invalid TOML", committed("invalid_syntax.toml"), "line 1, column 13"),
    ("key twice", committed("duplicate_key.toml"), "duplicate_key.toml"),
    ("not UTF-8", committed("not_utf8.toml"), "not UTF-8"),
    ("nested deep", deep_toml, "nested too deeply"),
    ("unknown scale type", committed("unknown_scale_type.toml"), "unknown scale type 'fromula'"),
    ("scale type not text", committed("scale_type_not_text.toml"), "scale.type"),
    ("formula __class__", committed("formula_dunder_class.toml"), "attribute access"),
    ("formula __import__", committed("formula_import.toml"), "calls are allowed only"),
    ("formula lambda", committed("formula_lambda.toml"), "formula_lambda.toml"),
    ("formula comprehension", committed("formula_comprehension.toml"), "comprehensions"),
    ("formula subscript", committed("formula_subscript.toml"), "subscripts"),
    ("unknown family", committed("unknown_family.toml"), "'sfot'"),
    ("missing", committed("no_such.toml"), "no_such.toml"),
]

#: PMC tables.
PMC_FILES = [
    ("repeated policy", committed("pmc_repeated_id.csv"), "repeated policy id"),
    ("blank policy", committed("pmc_blank_id.csv"), "no policy id"),
    ("not 0 or 1", committed("pmc_not_binary.csv"), "value 2"),
    ("no sub-variables", committed("pmc_no_subvariables.csv"), "no PMC sub-variable columns"),
    ("sub-variable twice", committed("pmc_repeated_subvariable.csv"), "repeats a PMC sub-variable"),
    ("empty", committed("empty.csv"), "empty.csv"),
    ("truncated workbook", committed("truncated.xlsx"), "truncated.xlsx"),
    ("duplicated header", committed("duplicated_header.csv"), "repeated header"),
    ("utf-16 without mark", committed("utf16_no_bom.csv"), "utf16_no_bom.csv"),
]


def _coding_commands(units: Path, out: Path) -> dict[str, list[object]]:
    return {
        "validate": ["validate", units, DOCUMENTS],
        "tables": ["tables", units, DOCUMENTS],
        "report": ["report", units, DOCUMENTS, "-o", out / "report"],
        "reliability": ["reliability", GOOD, units],
    }


PAIRS = [
    pytest.param(command, make, fragment, id=f"{command}-{name}")
    for command in ("validate", "tables", "report", "reliability")
    for name, make, fragment in CODING_FILES
]


@pytest.mark.parametrize(("command", "make", "fragment"), PAIRS)
def test_coding_commands_on_bad_coding_files(command, make, fragment, tmp_path):
    args = _coding_commands(make(tmp_path), tmp_path)[command]
    if command == "reliability" and args[2] == args[1]:
        pytest.fail("the bad file must not be the good one")
    assert_one_line_error(invoke(*args), fragment)
    assert not (tmp_path / "report").exists()


@pytest.mark.parametrize(
    ("command", "make", "fragment"),
    [
        pytest.param(command, make, fragment, id=f"{command}-{name}")
        for command in ("validate", "tables", "report")
        for name, make, fragment in DOCUMENT_FILES
    ],
)
def test_coding_commands_on_bad_documents_files(command, make, fragment, tmp_path):
    documents = make(tmp_path)
    args = {
        "validate": ["validate", GOOD, documents],
        "tables": ["tables", GOOD, documents],
        "report": ["report", GOOD, documents, "-o", tmp_path / "report"],
    }[command]
    assert_one_line_error(invoke(*args), fragment)


@pytest.mark.parametrize(
    ("command", "make", "fragment"),
    [
        pytest.param(command, make, fragment, id=f"{command}-{name}")
        for command in ("validate", "tables", "report", "reliability", "codebook", "template")
        for name, make, fragment in TOML_FILES
    ],
)
def test_every_command_taking_a_framework_on_bad_toml(command, make, fragment, tmp_path):
    toml = make(tmp_path)
    args = {
        "validate": ["validate", GOOD, "--framework", toml],
        "tables": ["tables", GOOD, "--framework", toml],
        "report": ["report", GOOD, "-o", tmp_path / "report", "--framework", toml],
        "reliability": ["reliability", GOOD, BAD / "utf16_bom.csv", "--framework", toml],
        "codebook": ["codebook", toml],
        "template": ["template", toml, "-o", tmp_path / "coding.xlsx"],
    }[command]
    line = assert_one_line_error(invoke(*args), fragment)
    assert toml.name in line
    assert not (tmp_path / "coding.xlsx").exists()


@pytest.mark.parametrize(
    ("make", "fragment"), [pytest.param(make, fragment, id=name) for name, make, fragment in PMC_FILES]
)
def test_pmc_on_bad_tables(make, fragment, tmp_path):
    path = make(tmp_path)
    line = assert_one_line_error(invoke("pmc", path), fragment)
    assert path.name in line


def test_pmc_problems_file_lists_every_bad_row(tmp_path):
    saved = tmp_path / "problems.csv"
    assert_one_line_error(invoke("pmc", BAD / "pmc_repeated_id.csv", "--problems", saved), "saved to")
    text = saved.read_text(encoding="utf-8-sig")
    assert "repeated policy id" in text
    assert "pmc_repeated_id.csv" in text


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        pytest.param(
            ["template", "wang2026", "-o", "{tmp}/coding.csv"], "ending in .xlsx", id="template-not-xlsx"
        ),
        pytest.param(
            ["template", "wang2062", "-o", "{tmp}/coding.xlsx"],
            "did you mean wang2026",
            id="template-unknown",
        ),
        pytest.param(
            ["template", "wang2026", "-o", "{tmp}/file.csv/coding.xlsx"],
            "file.csv",
            id="template-under-a-file",
        ),
        pytest.param(
            ["template", "wang2026", "-o", "{tmp}/c.xlsx", "--lang", "fr"], "'fr'", id="template-language"
        ),
        pytest.param(["codebook", "wang2062"], "did you mean wang2026", id="codebook-unknown"),
        pytest.param(
            ["codebook", "wang2026", "-o", "{tmp}/file.csv/book.md"], "file.csv", id="codebook-under-a-file"
        ),
        pytest.param(
            ["codebook", "wang2026", "--format", "qdc", "-o", "{tmp}/file.csv/book.qdc"],
            "file.csv",
            id="codebook-qdc-under-a-file",
        ),
        pytest.param(
            ["codebook", "wang2026", "--format", "toml", "-o", "{tmp}/file.csv/book.toml"],
            "file.csv",
            id="codebook-toml-under-a-file",
        ),
        pytest.param(["codebook", "wang2026", "-o", "{tmp}/book.weird"], "book.weird", id="codebook-suffix"),
        pytest.param(["frameworks", "wang2026"], "unexpected extra argument", id="frameworks-extra-argument"),
        pytest.param(["frameworks", "--bogus"], "--bogus", id="frameworks-unknown-option"),
        pytest.param(["reliability", str(GOOD)], "at least two coders", id="reliability-one-coder"),
        pytest.param(
            ["reliability", str(BAD / "not_a_zip.qdpx")], "not_a_zip.qdpx", id="reliability-bad-qdpx"
        ),
        pytest.param(["tables", str(GOOD), "--encoding", "gbk-9"], "'gbk-9'", id="tables-encoding"),
        pytest.param(
            ["validate", str(GOOD), "--problems", "{tmp}/file.csv/p.csv"],
            "file.csv",
            id="problems-under-a-file",
        ),
    ],
)
def test_bad_arguments_and_outputs(args, fragment, tmp_path):
    (tmp_path / "file.csv").write_text("a file, not a folder\n")
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    # The validate case needs a bad corpus for --problems to be written at all.
    if args[0] == "validate":
        args[1] = str(BAD / "score_off_scale.csv")
        # Not saving the problems does not hide them: one warning line says why, then the error.
        result = invoke(*args)
        assert result.exit_code == 2 and result.stdout == ""
        warning, error = result.stderr.splitlines()
        assert warning.startswith("policyquant: warning: the problems were not saved: ") and fragment in warning
        assert error.startswith("policyquant: error: ") and "column 'AS', value '4'" in error
        return
    assert_one_line_error(invoke(*args), fragment)


def test_debug_shows_the_traceback_of_a_user_error_too(tmp_path):
    result = invoke("--debug", "validate", BAD / "nan_id.csv", DOCUMENTS)
    assert result.exit_code == 2
    assert "Traceback" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("policyquant: error: ")


@pytest.mark.parametrize("crash", [KeyError("unit_id"), RecursionError("too deep"), ZeroDivisionError()])
def test_a_crash_is_a_bug_report_and_the_traceback_waits_for_debug(crash, monkeypatch):
    def broken(*args, **kwargs):
        raise crash

    monkeypatch.setattr(policyquant.io, "read_coding", broken)
    result = invoke("validate", GOOD)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"policyquant: internal error: {BUG_REPORT}"]
    debug = invoke("--debug", "validate", GOOD)
    assert debug.exit_code == 1
    assert "Traceback" in debug.stderr
    assert type(crash).__name__ in debug.stderr
    assert debug.stderr.splitlines()[-1] == f"policyquant: internal error: {BUG_REPORT}"


def test_no_progress_bar_text_around_an_error(tmp_path):
    """Off a terminal the coders' progress bar is silent, so the error stays the only line."""
    result = invoke("reliability", GOOD, BAD / "empty.csv")
    assert result.stderr.count("\n") == 1
    assert "Reading" not in result.stderr


def test_the_readable_broken_looking_files_are_valid(tmp_path):
    for name in ("utf16_bom.csv", "mixed_line_endings.csv", "gbk.csv", "trailing_commas.csv"):
        result = invoke("validate", BAD / name, DOCUMENTS)
        assert result.exit_code == 0, (name, result.output)
        assert "valid against wang2026" in result.stdout


def test_enough_pairs():
    assert len(PAIRS) + len(TOML_FILES) * 6 + len(PMC_FILES) >= 40
