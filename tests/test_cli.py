"""Tests of the ``policyquant`` command line (``policyquant.cli``).

User mistakes exit with status 2 and one line on stderr; bugs exit with status 1 and ask for a
report.  Every input is written by the test; nothing depends on the bundled dataset.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result

import policyquant as pq
import policyquant.analysis
from policyquant.cli import BUG_REPORT, main, run
from policyquant.errors import PROBLEM_COLUMNS

WANG = pq.get_framework("wang2026")

DOCUMENTS = (
    "文件编号,标题,发文机构,发文权威\n"
    "007,生成式人工智能服务管理暂行办法,国家网信办、国家发展改革委,部门规章\n"
    "0042,北京市若干措施,北京市人民政府,部门或省级工作文件\n"
)
UNITS = (
    "条款编号,文件编号,政策工具,政策目标,作用范围,措施力度\n"
    "007-1-1,007,标准规范,公共安全与利益；技术安全与创新,5,3\n"
    "007-2-1,007,试点示范,应用场景完善,3,1\n"
    "0042-1-1,0042,宣传推广,法定权益保护、公共安全,1,5\n"
)
BAD_UNITS = (
    "unit_id,doc_id,instrument,objectives,AS,MI\n"
    "007-1-1,007,Subsidy,public safety,4,5\n"
    "007-1-2,007,标准规范,公共安全,5,3\n"
    "007-1-3,007,Standards and norm,Public safty,3,9\n"
)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    units, documents = tmp_path / "units.csv", tmp_path / "documents.csv"
    units.write_bytes(UNITS.encode("gbk"))  # as Excel on a Chinese Windows saves it
    documents.write_bytes(DOCUMENTS.encode("gbk"))
    return units, documents


def invoke(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="policyquant")


def assert_user_error(result: Result, message: str) -> str:
    """Exit status 2, nothing on stdout, one line on stderr: 'policyquant: error: <message>...'."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"policyquant: error: {message}")
    assert "Traceback" not in result.stderr
    return lines[0]


# --------------------------------------------------------------------------
# Commands that work.


# Standards and Norms serves public safety (1 of its 2 codings) and tech innovation (its only coding):
# count and column share per objective, then the row total (2 of the 5 codings).
STANDARDS_ROW = [0, 0, 1, 50, 1, 100, 0, 0, 2, 40]
PUBLICITY_ROW = [1, 100, 1, 50, 0, 0, 0, 0, 2, 40]
TOTAL_ROW = [1, 100, 2, 100, 1, 100, 1, 100, 5, 100]


def numbers_after(out: str, label: str, *, first: bool = False) -> list[float]:
    """The numbers after ``label`` on the first output line with ``label`` as a cell (the first cell if ``first``)."""
    for line in out.splitlines():
        cells = [c.strip(" \\") for c in re.split(r"[|,&]|\s{2,}", line.strip(" |"))]
        if (cells[:1] if first else cells).count(label):
            tail = line[line.index(label) + len(label) :]
            return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", tail)]
    raise AssertionError(f"no line with {label!r} in:\n{out}")


@pytest.mark.parametrize("fmt", [None, "text", "markdown", "csv", "latex"])
def test_tables_prints_the_crosstab_and_efficacy(files, fmt):
    # Wide enough for every row on one line: the text table fits the terminal (COLUMNS).
    result = CliRunner().invoke(
        main, ["tables", *map(str, files), *(["--format", fmt] if fmt else [])], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    out = result.stdout
    for instrument in WANG.instruments:
        assert instrument.label in out
    for objective in WANG.objectives:
        assert objective.label in out
    assert "Total" in out
    assert numbers_after(out, "Standards and Norms") == STANDARDS_ROW
    assert numbers_after(out, "Publicity and Promotion") == PUBLICITY_ROW
    if fmt in (None, "text"):
        # The fitted table indents each group's rows under its name: the grand total is not indented.
        grand = next(line for line in out.splitlines() if line.startswith("Total "))
        assert [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", grand)] == TOTAL_ROW
    else:
        assert numbers_after(out, "Total", first=True) == TOTAL_ROW
    if fmt in (None, "text", "markdown"):
        heading = "## " if fmt == "markdown" else ""
        for title in (
            "Codings by instrument and objective (5 codings)",
            "Mean APE by objective (over codings)",
            "Mean APE by instrument family",
            "Mean APE by instrument",
        ):
            assert f"\n{heading}{title}\n" in out
    else:
        assert "Codings by instrument" not in out


def test_tables_csv_is_parseable(files):
    out = invoke("tables", *files, "--format", "csv").stdout
    lines = out.splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith("Total,"))
    frame = pd.read_csv(io.StringIO("\n".join(lines[: end + 1])), header=[0, 1], index_col=[0, 1])
    assert len(frame) == 16 + 3 + 1  # instruments, family totals, grand total
    counts = frame.xs("count", axis=1, level=1)
    assert counts.to_numpy().dtype.kind == "i"
    assert counts.iloc[-1].tolist() == [1, 2, 1, 1, 5]
    assert counts.iloc[:-1].drop(index="Total", level=1).iloc[:, -1].sum() == 5  # instrument rows only


def test_tables_markdown_prints_counts_as_integers(files):
    out = invoke("tables", *files, "--format", "markdown").stdout
    row = next(line for line in out.splitlines() if "Standards and Norms" in line)
    cells = [cell.strip() for cell in row.strip("|").split("|")][1:]
    assert cells[0::2] == ["0", "1", "1", "0", "2"]
    assert [float(c) for c in cells[1::2]] == [0, 50, 100, 0, 40]


def test_tables_latex_is_a_set_of_tabulars(files):
    out = invoke("tables", *files, "--format", "latex").stdout
    assert out.count("\\begin{tabular}") == out.count("\\end{tabular}") == 4
    assert out.count("\\toprule") == out.count("\\bottomrule") == 4


def test_tables_reads_a_workbook_holding_both_sheets(tmp_path, files):
    units = pd.read_csv(files[0], dtype=str, encoding="gbk")
    documents = pd.read_csv(files[1], dtype=str, encoding="gbk")
    path = tmp_path / "study.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        documents.to_excel(writer, sheet_name="文件", index=False)
        units.to_excel(writer, sheet_name="条款", index=False)
    result = invoke("tables", path, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == invoke("tables", *files, "--format", "csv").stdout


def test_tables_with_an_explicit_encoding(files):
    result = invoke("tables", *files, "--encoding", "gb18030", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert numbers_after(result.stdout, "Standards and Norms") == STANDARDS_ROW


def test_frameworks():
    result = invoke("frameworks")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    wang = next(line for line in lines if line.startswith("wang2026 "))
    assert "genai-china" in wang
    assert "instruments, objectives, scale" in wang
    classic = next(line for line in lines if line.startswith("howlett-ramesh-1995 "))
    assert classic.rstrip().endswith("instruments")


def test_codebook_in_chinese():
    result = invoke("codebook", "wang2026", "--language", "zh")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for label in ("标准规范", "强制型", "公共安全与利益", "部门规章", "仅宏观表述"):
        assert label in out


def test_codebook_as_csv_has_every_rule():
    result = invoke("codebook", "genai-china", "--format", "csv", "-l", "zh")
    assert result.exit_code == 0, result.output
    book = pd.read_csv(io.StringIO(result.stdout))
    assert book["part"].value_counts().to_dict() == {
        "instrument": 16,
        "level": 11,
        "objective": 4,
        "family": 3,
    }
    assert book.loc[book["key"] == "standards_and_norms", "label"].item() == "标准规范"
    assert book.loc[book["key"] == "AS=3", "score"].item() == 3


def test_codebook_defaults_to_wang2026_in_english():
    result = invoke("codebook")
    assert result.exit_code == 0, result.output
    assert "Standards and Norms" in result.stdout


# --------------------------------------------------------------------------
# User mistakes: exit status 2 and one line.


def test_missing_file(tmp_path):
    missing = tmp_path / "nope.csv"
    line = assert_user_error(invoke("tables", missing), f"{missing}: no such file")
    assert line == f"policyquant: error: {missing}: no such file"


def test_unknown_instrument(tmp_path, files):
    bad = tmp_path / "bad_units.csv"
    bad.write_text(BAD_UNITS, encoding="utf-8")
    line = assert_user_error(invoke("tables", bad, files[1]), f"{bad}: 5 problems found: ")
    assert f"{bad}, row 2, column 'instrument', value 'Subsidy': unknown instrument" in line
    assert line.endswith("(and 4 more; --problems FILE saves them all)")


def test_problems_file_holds_every_problem(tmp_path, files):
    bad = tmp_path / "bad_units.csv"
    bad.write_text(BAD_UNITS, encoding="utf-8")
    out = tmp_path / "out.csv"
    assert_user_error(invoke("tables", bad, files[1], "--problems", out), f"{bad}: 5 problems found: ")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # opens in Excel with the Chinese intact
    saved = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(saved.columns) == list(PROBLEM_COLUMNS)
    assert (saved["file"] == str(bad)).all()
    assert saved[["row", "column", "value", "problem"]].to_numpy().tolist() == [
        ["2", "instrument", "Subsidy", "unknown instrument"],
        ["2", "AS", "4", "not a level of AS (Audience scope)"],
        ["4", "instrument", "Standards and norm", "unknown instrument"],
        ["4", "objectives", "Public safty", "unknown objective"],
        ["4", "MI", "9", "not a level of MI (Measure intensity)"],
    ]
    with pytest.raises(pq.ValidationError) as info:
        pq.read_coding(bad, files[1])
    assert len(saved) == len(info.value.problems) == 5


def test_problems_file_is_not_written_without_problems(tmp_path, files):
    out = tmp_path / "out.csv"
    result = invoke("tables", *files, "--problems", out)
    assert result.exit_code == 0, result.output
    assert not out.exists()


def test_rows_print_as_integers_next_to_a_missing_column(tmp_path):
    documents = tmp_path / "documents.csv"
    documents.write_text("doc_id,DA\n007,9\n", encoding="utf-8")
    units = tmp_path / "units.csv"
    units.write_text("unit_id,doc_id,instrument,AS,MI\n007-1-1,007,标准规范,5,3\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    line = assert_user_error(invoke("tables", units, documents, "--problems", out), "")
    assert f"{documents}, row 2, column 'DA'" in line
    assert out.read_text(encoding="utf-8-sig").splitlines()[1].startswith(f"{documents},2,DA,")


def test_tables_with_units_only_prints_the_crosstab_and_notes_the_skipped_efficacy(files):
    # Documents are optional; without them there is no DA, so the efficacy tables are skipped with a note.
    result = invoke("tables", files[0], "--format", "csv")
    assert result.exit_code == 0
    assert numbers_after(result.stdout, "Standards and Norms") == STANDARDS_ROW
    assert "efficacy skipped" in result.stderr and "DA" in result.stderr


def test_unknown_framework(files):
    line = assert_user_error(invoke("tables", "-f", "nope", *files), "no framework named 'nope'")
    assert "wang2026" in line


def test_codebook_of_an_unknown_framework():
    assert_user_error(invoke("codebook", "no-such-framework"), "no framework named 'no-such-framework'")


def test_corrupt_workbook(tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(b"not a zip file at all" * 10)
    assert_user_error(invoke("tables", path), f"{path}: not a readable Excel workbook")


def test_undecodable_file_with_a_wrong_encoding(files):
    assert_user_error(
        invoke("tables", *files, "--encoding", "utf-8"), f"{files[0]}: cannot decode the file as utf-8"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give the coding files, or --example for the bundled study corpus"),
        (["--example", "units.csv"], "give the coding files, or --example for the bundled study corpus"),
        (["a.csv", "b.csv", "c.csv"], "give at most two files: the units file and the documents file"),
        (["--format", "pdf", "a.csv"], "Invalid value for '--format'"),
    ],
)
def test_tables_usage_errors(args, message):
    line = assert_user_error(invoke("tables", *args), message)
    assert line.endswith("(see 'policyquant tables --help')")


def test_unknown_command():
    line = assert_user_error(invoke("tabels"), "No such command 'tabels'")
    assert "Did you mean 'tables'?" in line


# --------------------------------------------------------------------------
# Bugs: exit status 1, a request for a report, and the traceback only with --debug.


@pytest.fixture
def broken_crosstab(monkeypatch: pytest.MonkeyPatch) -> None:
    # cli.tables imports crosstab from policyquant.analysis when it runs, so patch it there.
    def crosstab(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(policyquant.analysis, "crosstab", crosstab)


def test_internal_error_asks_for_a_bug_report(files, broken_crosstab):
    result = invoke("tables", *files)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"policyquant: internal error: {BUG_REPORT}\n"
    assert "Traceback" not in result.stderr
    assert "kaboom" not in result.stderr


def test_internal_error_with_debug_shows_the_traceback(files, broken_crosstab):
    result = invoke("--debug", "tables", *files)
    assert result.exit_code == 1
    assert "Traceback (most recent call last):" in result.stderr
    assert "RuntimeError: kaboom" in result.stderr
    assert result.stderr.rstrip().endswith(f"policyquant: internal error: {BUG_REPORT}")


def test_user_error_with_debug_shows_the_traceback_and_still_exits_2(tmp_path):
    result = invoke("--debug", "tables", tmp_path / "nope.csv")
    assert result.exit_code == 2
    assert "Traceback (most recent call last):" in result.stderr
    assert (
        result.stderr.rstrip().splitlines()[-1]
        == f"policyquant: error: {tmp_path / 'nope.csv'}: no such file"
    )


# --------------------------------------------------------------------------
# run(): the exit status as a return value.


def test_run_returns_the_exit_status(files, tmp_path, capsys, monkeypatch):
    assert run(["tables", str(files[0]), str(files[1]), "--format", "csv"]) == 0
    assert numbers_after(capsys.readouterr().out, "Standards and Norms") == STANDARDS_ROW

    assert run(["tables", str(tmp_path / "nope.csv")]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"policyquant: error: {tmp_path / 'nope.csv'}: no such file\n"
    assert captured.out == ""

    assert run(["tables"]) == 2
    assert "give the coding files" in capsys.readouterr().err

    monkeypatch.setattr(policyquant.analysis, "crosstab", lambda *a, **k: 1 / 0)
    assert run(["tables", str(files[0]), str(files[1])]) == 1
    assert capsys.readouterr().err == f"policyquant: internal error: {BUG_REPORT}\n"


def test_run_help_and_version(capsys):
    assert run(["--help"]) == 0
    out = capsys.readouterr().out
    assert "tables" in out and "frameworks" in out and "codebook" in out
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.startswith("policyquant, version ")
