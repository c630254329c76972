"""Tests of the ``policyquant`` commands added for the researchers' round trip.

``validate``, ``reliability``, ``pmc``, ``report``, ``template``, ``codebook --format`` and
``frameworks --all``; ``tests/test_cli.py`` covers ``tables`` and the error conventions.
Every command is run as a user would run it, through click, and its output is checked
against the library's own results.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner, Result
from qdpx_fixtures import REFI_DATA, zip_fixture

import policyquant as pq
from policyquant.cli import main
from policyquant.frameworks.pmc import PMCIndex
from policyquant.reliability import agreement_report

WANG = pq.get_framework("wang2026")


def invoke(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="policyquant")


def assert_user_error(result: Result, *fragments: str) -> str:
    """Exit status 2, nothing on stdout, exactly one line on stderr naming the problem."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("policyquant: error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def corpus() -> pq.Corpus:
    return pq.datasets.load_genai_china()


@pytest.fixture(scope="module")
def small(corpus: pq.Corpus) -> pq.Corpus:
    """The first five documents of the study: quick to read and write."""
    return corpus.subset(corpus.documents["doc_id"].iloc[:5])


@pytest.fixture
def workbook(tmp_path: Path, small: pq.Corpus) -> Path:
    path = tmp_path / "study.xlsx"
    small.to_excel(path)
    return path


# --------------------------------------------------------------------------
# Every command answers --help.


COMMANDS = ["tables", "validate", "reliability", "pmc", "report", "frameworks", "codebook", "template"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: policyquant {command} ")
    assert "--help" in result.stdout


def test_the_group_lists_every_command():
    out = invoke("--help").stdout
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s", out, re.MULTILINE), command


# --------------------------------------------------------------------------
# validate


def test_validate_a_valid_workbook(workbook, small):
    result = invoke("validate", workbook)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        f"{workbook}: valid against wang2026: {len(small.documents)} documents, "
        f"{len(small.units)} units, {len(small.codings)} codings"
    )


def test_validate_a_bad_file_prints_one_line_and_exits_2(tmp_path, small):
    small.to_csv(tmp_path)
    path = tmp_path / "units.csv"
    units = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    units.loc[3, "instrument"] = "Subsidy"
    units.loc[4, "AS"] = "4"
    units.to_csv(path, index=False)
    problems = tmp_path / "problems.csv"
    line = assert_user_error(invoke("validate", path, "--problems", problems), str(path), "'Subsidy'")
    assert "(and 1 more; all 2 saved to" in line
    saved = pd.read_csv(problems, encoding="utf-8-sig")
    assert saved["column"].tolist() == ["instrument", "AS"]
    assert saved["row"].tolist() == [5, 6]  # spreadsheet rows: the header is row 1


def test_validate_needs_a_file():
    assert_user_error(invoke("validate"), "Missing argument 'FILES...'")


def test_validate_against_a_toml_framework(tmp_path, workbook):
    toml = tmp_path / "wang-copy.toml"
    toml.write_text(WANG.to_toml().replace('name = "wang2026"', 'name = "wang-copy"', 1), encoding="utf-8")
    result = invoke("validate", workbook, "--framework", toml)
    assert result.exit_code == 0, result.output
    assert "valid against wang-copy" in result.stdout


def test_a_missing_toml_framework_file(workbook):
    assert_user_error(
        invoke("validate", workbook, "--framework", "nowhere.toml"), "no framework file 'nowhere.toml'"
    )


def test_an_unknown_framework_name_suggests_the_closest(workbook):
    assert_user_error(invoke("validate", workbook, "--framework", "wang2025"), "wang2026")


# --------------------------------------------------------------------------
# reliability


def _second_coder(small: pq.Corpus, changes: int) -> pq.Corpus:
    """The same corpus with the instrument of ``changes`` units moved to another instrument."""
    units = small.units.copy()
    instruments = list(WANG.instrument_keys)
    column = units["instrument"].astype(object)
    for position in range(changes):
        current = column.iloc[position]
        column.iloc[position] = instruments[(instruments.index(current) + 1) % len(instruments)]
    units["instrument"] = column
    return pq.Corpus(small.documents, units, framework=WANG)


def test_reliability_of_two_coders_files(tmp_path, small):
    second = _second_coder(small, 4)
    a, b = tmp_path / "ann.xlsx", tmp_path / "bob.xlsx"
    small.to_excel(a)
    second.to_excel(b)
    saved = tmp_path / "disagreements.csv"
    result = invoke("reliability", a, b, "--format", "csv", "--disagreements", saved)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout), index_col=0)
    expected = agreement_report({"ann": small, "bob": second}).table
    assert table.loc["instrument", "estimate"] == pytest.approx(expected.loc["instrument", "estimate"], abs=5e-4)
    assert table.loc["instrument", "estimate"] < 1
    assert table.loc["AS", "estimate"] == pytest.approx(1.0)
    # The adjudication sheet for the coders: labelled (in English without --lang), with the clauses' text.
    differences = pd.read_csv(saved, encoding="utf-8-sig")
    assert (differences["Coded dimension"] == "Policy instrument").sum() == 4
    assert {"ann", "bob", "Text", "Decision"} <= set(differences.columns)


def test_reliability_names_the_coders(tmp_path, small):
    a, b = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    small.to_excel(a)
    small.to_excel(b)
    result = invoke("reliability", a, b, "--coder", "王", "--coder", "李")
    assert result.exit_code == 0, result.output
    assert "Agreement of 2 coders: 王, 李" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["one.xlsx"], "give at least two coders' files"),
        (["a.xlsx", "b.xlsx", "--coder", "x"], "give one --coder name per file: 2 files, 1 names"),
        (["a/same.xlsx", "b/same.xlsx"], "two files give the same coder name"),
        (["p.qdpx", "q.xlsx"], "give one REFI-QDA project (.qdpx), or one coding file per coder"),
    ],
)
def test_reliability_usage_errors(args, message):
    assert_user_error(invoke("reliability", *args), message)


def test_reliability_of_a_refi_qda_project(tmp_path, small):
    second = _second_coder(small, 2)
    project = pq.io.write_qdpx({"ann": small, "bob": second}, tmp_path / "study.qdpx")
    result = invoke("reliability", project, "--format", "csv")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout), index_col=0)
    expected = agreement_report({"ann": small, "bob": second}).table
    assert table.loc["instrument", "estimate"] == pytest.approx(expected.loc["instrument", "estimate"], abs=5e-4)
    line = assert_user_error(invoke("reliability", project, "--coder", "carl"), "no coder 'carl'")
    assert "ann, bob" in line


# --------------------------------------------------------------------------
# pmc


def _pmc_table(rows: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sizes = [5, 3, 4, 6, 3, 4, 5, 4, 6, 2]
    columns = {
        f"X{v}_{j}": rng.integers(0, 2, rows) for v, n in enumerate(sizes, start=1) for j in range(1, n + 1)
    }
    frame = pd.DataFrame(columns)
    frame.insert(0, "政策", [f"P{i}" for i in range(rows)])
    return frame


def test_pmc_scores_every_policy(tmp_path):
    frame = _pmc_table(6)
    path = tmp_path / "pmc.csv"
    frame.to_csv(path, index=False, encoding="gbk")
    result = invoke("pmc", path, "--format", "csv")
    assert result.exit_code == 0, result.output
    printed = pd.read_csv(io.StringIO(result.stdout), index_col=0)
    expected = PMCIndex.from_columns(frame).score(frame.set_index("政策"))
    np.testing.assert_allclose(printed["PMC"].to_numpy(), expected["PMC"].to_numpy(), atol=1e-9)
    assert printed["grade"].tolist() == expected["grade"].astype(str).tolist()


def test_pmc_in_chinese_with_an_id_column(tmp_path):
    frame = _pmc_table(3)
    frame.insert(1, "note", "x")
    path = tmp_path / "pmc.csv"
    frame.drop(columns="政策").to_csv(path, index=False)
    frame = frame.rename(columns={"政策": "code"})
    frame[["code", *[c for c in frame.columns if c.startswith("X")]]].to_csv(path, index=False)
    result = invoke("pmc", path, "--id", "code", "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert re.search("可接受|不良|优秀|完美", result.stdout)


def test_pmc_reports_a_value_that_is_not_0_or_1(tmp_path):
    frame = _pmc_table(4).astype(object)
    frame.loc[2, "X3_2"] = 7
    path = tmp_path / "pmc.csv"
    frame.to_csv(path, index=False)
    assert_user_error(invoke("pmc", path), str(path), "row P2", "'X3_2'", "value 7")


def test_pmc_unknown_id_column_suggests_one(tmp_path):
    path = tmp_path / "pmc.csv"
    _pmc_table(2).to_csv(path, index=False)
    assert_user_error(invoke("pmc", path, "--id", "政"), "no column '政'", "did you mean '政策'?")


def test_pmc_table_without_sub_variables(tmp_path):
    path = tmp_path / "pmc.csv"
    pd.DataFrame({"id": ["a"], "score": [1]}).to_csv(path, index=False)
    assert invoke("pmc", path).exit_code == 2


# --------------------------------------------------------------------------
# frameworks, codebook, template


def test_frameworks_all_shows_every_detail():
    result = invoke("frameworks", "--all")
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0]
    for column in ("title", "plugin", "instruments", "objectives", "scale", "parts"):
        assert column in header
    for name in pq.list_frameworks()["name"]:
        assert re.search(rf"^{re.escape(name)}\s", result.stdout, re.MULTILINE)


@pytest.mark.parametrize("fmt", ["markdown", "md", "csv", "latex", "html"])
def test_codebook_prints_every_rule(fmt):
    result = invoke("codebook", "wang2026", "--format", fmt)
    assert result.exit_code == 0, result.output
    for instrument in WANG.instruments:
        assert instrument.label in result.stdout


def test_codebook_as_toml_reads_back_equal(tmp_path):
    result = invoke("codebook", "wang2026", "--format", "toml")
    assert result.exit_code == 0, result.output
    assert pq.load_framework(result.stdout) == WANG
    target = tmp_path / "wang.toml"
    assert invoke("codebook", "--format", "toml", "-o", target).exit_code == 0
    assert pq.load_framework(target) == WANG


def test_codebook_as_qdc_reads_back_the_same_codes(tmp_path):
    target = tmp_path / "wang.qdc"
    result = invoke("codebook", "wang2026", "--format", "qdc", "--lang", "zh", "-o", target)
    assert result.exit_code == 0, result.output
    back = pq.io.read_qdc(target)
    assert back.instrument_keys == WANG.instrument_keys
    assert back.objective_keys == WANG.objective_keys
    printed = invoke("codebook", "wang2026", "--format", "qdc").stdout
    assert printed.lstrip().startswith("<?xml")
    assert "urn:QDA-XML:codebook:1.0" in printed


def test_codebook_as_xlsx(tmp_path):
    assert_user_error(invoke("codebook", "--format", "xlsx"), "--format xlsx needs --output FILE.xlsx")
    target = tmp_path / "codebook.xlsx"
    assert invoke("codebook", "--format", "xlsx", "-o", target).exit_code == 0
    book = pd.read_excel(target)
    assert set(WANG.instrument_keys) <= set(book["key"])


def test_template_round_trip(tmp_path, small):
    target = tmp_path / "coding.xlsx"
    result = invoke("template", "wang2026", "-o", target, "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert str(target) in result.stdout
    assert target.exists()
    assert_user_error(invoke("template", "wang2026", "-o", tmp_path / "coding.csv"))


def test_template_needs_an_output():
    assert_user_error(invoke("template", "wang2026"), "Missing option '--output'")


# --------------------------------------------------------------------------
# report


def test_report_of_the_example(tmp_path):
    out = tmp_path / "out"
    result = invoke("report", "--example", "-o", out)
    assert result.exit_code == 0, result.output
    path = out / "report.html"
    assert f"report written to {path}" in result.stdout
    html = path.read_text(encoding="utf-8")
    assert "<svg" in html
    assert "genai_china_units.csv" in html


def test_report_with_coders_and_files(tmp_path, small):
    a, b = tmp_path / "ann.xlsx", tmp_path / "bob.xlsx"
    small.to_excel(a)
    _second_coder(small, 3).to_excel(b)
    result = invoke("report", a, "--coders", a, "--coders", b, "-o", tmp_path / "r.html", "--lang", "zh")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "ann.xlsx" in html and "bob.xlsx" in html
    assert 'id="reliability"' in html
    assert "2 名编码员（ann, bob）" in html


def test_report_needs_input_and_output(tmp_path):
    assert_user_error(invoke("report", "-o", tmp_path), "give the coding files, or --example")
    assert_user_error(invoke("report", "--example"), "Missing option '--output'")


# --------------------------------------------------------------------------
# Warnings: one line each, whatever the command.

BROKEN_PLUGIN = "raise RuntimeError('plugin exploded')\n"

# A third-party framework: a command that uses it loads the installed plugins, the broken one too.
NEIGHBOUR_PLUGIN = """
import policyquant as pq

@pq.hookimpl
def policyquant_register_frameworks(register):
    register(pq.Framework("neighbour", "A good neighbour", families=[pq.InstrumentFamily("soft", "Soft")],
                          instruments=[pq.Instrument("info", "Information", family="soft")]))
"""


@pytest.mark.filterwarnings("default::policyquant.errors.PluginWarning")
@pytest.mark.parametrize(
    "args", [["codebook", "wang2026"], ["template", "peng2008", "-o", "{tmp}/coding.xlsx"]]
)
def test_a_broken_plugin_is_not_even_loaded_for_a_builtin_framework(args, plugin_distribution, tmp_path):
    plugin_distribution(BROKEN_PLUGIN, ep_name="exploding_plugin")
    result = invoke(*(arg.format(tmp=tmp_path) for arg in args))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


@pytest.mark.filterwarnings("default::policyquant.errors.PluginWarning")
@pytest.mark.parametrize(
    ("args", "shows"),
    [
        (["codebook", "neighbour"], "Information"),
        (["template", "neighbour", "-o", "{tmp}/coding.xlsx"], "coding.xlsx"),
    ],
)
def test_a_broken_plugin_is_one_warning_line_and_the_command_still_works(
    args, shows, plugin_distribution, tmp_path
):
    broken = plugin_distribution(BROKEN_PLUGIN, ep_name="exploding_plugin")
    plugin_distribution(NEIGHBOUR_PLUGIN, ep_name="neighbour_plugin")
    before = warnings.showwarning
    result = invoke(*(arg.format(tmp=tmp_path) for arg in args))
    assert result.exit_code == 0, result.output
    assert shows in result.stdout
    assert result.stderr.splitlines() == [
        f"policyquant: warning: policyquant plugin 'exploding_plugin' ({broken.source}) failed at "
        "import: RuntimeError: plugin exploded; the other frameworks still work"
    ]
    assert warnings.showwarning is before  # put back once the command is done


@pytest.mark.parametrize("debug", [False, True])
def test_what_a_user_sees_of_a_broken_plugin_in_a_real_process(debug, plugin_distribution):
    broken = plugin_distribution(BROKEN_PLUGIN, ep_name="exploding_plugin")
    plugin_distribution(NEIGHBOUR_PLUGIN, ep_name="neighbour_plugin")
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(broken.path), *sys.path])}
    environment.pop("PYTHONWARNINGS", None)
    command = [sys.executable, "-m", "policyquant", *(["--debug"] if debug else []), "codebook", "neighbour"]
    result = subprocess.run(
        command, capture_output=True, text=True, env=environment, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Information" in result.stdout
    cause = f"policyquant plugin 'exploding_plugin' ({broken.source}) failed at import: RuntimeError: plugin exploded"
    if debug:
        # --debug keeps Python's format: the file and line that issued the warning, for a bug report.
        assert re.search(r"plugins\.py:\d+: PluginWarning: " + re.escape(cause), result.stderr)
        assert "policyquant: warning:" not in result.stderr
    else:
        assert result.stderr.splitlines() == [
            f"policyquant: warning: {cause}; the other frameworks still work"
        ]


def test_a_projects_unmapped_codes_are_one_warning_line(tmp_path):
    project = zip_fixture(REFI_DATA / "two_coders", tmp_path / "two_coders.qdpx")
    result = invoke("reliability", project, "--format", "csv")
    assert result.exit_code == 0, result.output
    (line,) = result.stderr.splitlines()
    assert re.fullmatch(
        r"policyquant: warning: two_coders\.qdpx: \d+ coding\(s\) did not map onto framework 'wang2026' .*",
        line,
    )


def test_another_librarys_warning_is_left_as_python_shows_it(plugin_distribution):
    # A plugin is someone else's code: its own warnings keep Python's format (and any filter).
    plugin_distribution(
        "import warnings\nwarnings.warn('deprecated setting in the plugin', FutureWarning)\n"
        "import policyquant as pq\n\n@pq.hookimpl\ndef policyquant_register_frameworks(register):\n"
        "    pass\n",
        ep_name="chatty_plugin",
    )
    with pytest.warns(FutureWarning, match="deprecated setting in the plugin"):
        # Listing every framework loads the plugins (codebook wang2026 would not).
        result = invoke("frameworks")
    assert result.exit_code == 0, result.output
    assert "policyquant: warning:" not in result.stderr


def test_validate_an_empty_template_says_it_holds_no_units(tmp_path):
    template = tmp_path / "coding.xlsx"
    WANG.coding_template(template)
    result = invoke("validate", template)
    assert result.exit_code == 0, result.output
    assert "0 units" in result.stdout
    assert result.stderr.strip() == "policyquant: note: the study holds no coded units yet"
