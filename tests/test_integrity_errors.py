"""Issue 13, items 6, 13, 14 (the command line's system errors) and 15 (pmc's true/false).

Every problem is collected and saved, and every message says how many it does
not show; a wrong type given to the API is an InputTypeError that says what was
given and what is expected; Ctrl-C ends a command with one line and status 130;
a system error is a sentence with its path; ``pmc`` accepts what its message
says it accepts.
"""

from __future__ import annotations

import errno
import inspect
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant import corpus as corpus_module
from policyquant import reliability
from policyquant.cli import _describe_os_error, main
from policyquant.frameworks import pmc
from policyquant.frameworks.pmc import PMCIndex, PMCScale

GENAI = pq.datasets.load_genai_china()
DOC_IDS = GENAI.documents["doc_id"].tolist()


def invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="policyquant")


def one_error_line(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("policyquant: error: ")
    assert "Traceback" not in result.stderr
    return lines[0]


def units_with_bad_rows(rows: int, bad: np.ndarray) -> pd.DataFrame:
    """``rows`` valid units of the study's documents; the rows in ``bad`` each get one problem, in turn
    an unknown instrument, a score off the scale, an unknown document and an unknown objective."""
    units = pd.DataFrame(
        {
            "unit_id": [f"U{i}" for i in range(rows)],
            "doc_id": np.resize(np.array(DOC_IDS, dtype=object), rows),
            "instrument": "standards_and_norms",
            "objectives": "public_safety",
            "AS": "5",
            "MI": "3",
        }
    )
    kinds = np.arange(len(bad)) % 4
    units.loc[bad[kinds == 0], "instrument"] = "subsidy"
    units.loc[bad[kinds == 1], "AS"] = "4"
    units.loc[bad[kinds == 2], "doc_id"] = "X99"
    units.loc[bad[kinds == 3], "objectives"] = "nope"
    return units


# --------------------------------------------------------------------------
# Item 6: every problem collected and saved; every message says how many more.


def test_every_problem_of_a_large_table_is_collected():
    rows = 100_000
    bad = np.arange(0, rows, 5)  # 20,000 bad rows, the last near the end
    with pytest.raises(pq.ValidationError) as caught:
        pq.Corpus(GENAI.documents, units_with_bad_rows(rows, bad))
    error = caught.value
    assert len(error.problems) == len(bad)
    assert error.complete and error.stopped is None
    assert error.problems["row"].tolist() == bad.tolist()
    assert error.problems.groupby("column").size().to_dict() == {
        "AS": 5000,
        "doc_id": 5000,
        "instrument": 5000,
        "objectives": 5000,
    }
    message = str(error)
    assert message.startswith("the coding: 20,000 problems found:\n")
    assert message.endswith("  ... and 19,980 more (see .problems)")


@settings(max_examples=25, deadline=None)
@given(
    st.integers(min_value=1, max_value=3000).flatmap(
        lambda rows: st.tuples(st.just(rows), st.sets(st.integers(0, rows - 1), min_size=1, max_size=rows))
    )
)
def test_one_problem_per_bad_row_whatever_the_count(case):
    rows, bad = case
    bad = np.array(sorted(bad))
    with pytest.raises(pq.ValidationError) as caught:
        pq.Corpus(GENAI.documents, units_with_bad_rows(rows, bad))
    problems = caught.value.problems
    # Nothing lost: every bad row is there once, in the order of the sheet.
    assert problems["row"].tolist() == bad.tolist()
    shown = min(len(bad), 20)
    assert str(caught.value).count("\n  - ") == shown
    if len(bad) > 20:
        assert f"... and {len(bad) - 20:,} more (see .problems)" in str(caught.value)


def test_the_problems_do_not_depend_on_the_order_of_the_rows():
    rows = 3000
    units = units_with_bad_rows(rows, np.arange(0, rows, 3))
    shuffled = units.sample(frac=1, random_state=1)
    errors = []
    for frame in (units, shuffled):
        with pytest.raises(pq.ValidationError) as caught:
            pq.Corpus(GENAI.documents, frame)
        errors.append(caught.value.problems)
    # The rows are the frames' labels: the same problems, sorted by row either way.
    pd.testing.assert_frame_equal(errors[0], errors[1])


def test_the_memory_guard_says_where_it_stopped_and_that_there_are_more(monkeypatch):
    monkeypatch.setattr(corpus_module, "MAX_PROBLEMS", 1000)
    rows = 10_000
    with pytest.raises(pq.ValidationError) as caught:
        pq.Corpus(GENAI.documents, units_with_bad_rows(rows, np.arange(0, rows, 2)))
    error = caught.value
    assert len(error.problems) == 1000
    assert not error.complete
    message = str(error)
    assert message.startswith("the coding: 1,000+ problems found:")
    assert "... and 980+ more (see .problems; the units: stopped looking after 1,000 problems, at " in message


def test_max_problems_stays_importable_as_the_guard():
    from policyquant.corpus import MAX_PROBLEMS

    assert "MAX_PROBLEMS" in corpus_module.__all__
    assert MAX_PROBLEMS >= 1_000_000


def test_validate_saves_every_problem_and_says_how_many(tmp_path):
    rows = 40_000
    bad = np.arange(7, rows, 5)
    units = tmp_path / "units.csv"
    documents = tmp_path / "documents.csv"
    units_with_bad_rows(rows, bad).to_csv(units, index=False)
    GENAI.to_csv(tmp_path / "study")
    (tmp_path / "study" / "documents.csv").rename(documents)
    saved = tmp_path / "problems.csv"
    line = one_error_line(invoke("validate", units, documents, "--problems", saved))
    assert f"{units}: 7,999 problems found: " in line
    assert line.endswith(f"(and 7,998 more; all 7,999 saved to {saved})")
    problems = pd.read_csv(saved, encoding="utf-8-sig")
    assert len(problems) == len(bad)
    assert problems["row"].tolist() == (bad + 2).tolist()  # spreadsheet rows: the header is row 1
    without = one_error_line(invoke("validate", units, documents))
    assert without.endswith("(and 7,998 more; --problems FILE saves them all)")


def test_validate_says_when_it_stopped_collecting(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus_module, "MAX_PROBLEMS", 100)
    units = tmp_path / "units.csv"
    units_with_bad_rows(1000, np.arange(1000)).to_csv(units, index=False)
    saved = tmp_path / "problems.csv"
    line = one_error_line(invoke("validate", units, "--problems", saved))
    assert f"{units}: 100+ problems found: " in line
    assert f"(and 99+ more; the first 100 saved to {saved}; " in line
    assert "stopped looking after 100 problems, at column" in line
    assert len(pd.read_csv(saved, encoding="utf-8-sig")) == 100


def test_pmc_lists_every_bad_value():
    index = PMCIndex({"X1": ["X1_1", "X1_2"]}, bands={"Any": 0})
    frame = pd.DataFrame(3, index=[f"P{i}" for i in range(3000)], columns=list(index.columns))
    with pytest.raises(pq.ScoreError) as caught:
        index.score(frame)
    assert len(caught.value.problems) == 6000
    assert caught.value.problems["row"].tolist()[:4] == ["P0", "P0", "P1", "P1"]
    assert str(caught.value).endswith("... and 5,980 more (see .problems)")


def test_validation_error_takes_a_frame_of_problems():
    table = pd.DataFrame({"row": [2, 3], "column": ["AS", "MI"], "value": [4, pd.NA], "problem": "bad"})
    error = pq.ValidationError("two", table)
    assert list(error.problems.columns) == [
        "file",
        "row",
        "column",
        "value",
        "problem",
        "expected",
        "suggestions",
    ]
    assert error.problems["value"].tolist() == [4, None]
    assert str(error) == "two:\n  - row 2, column 'AS', value 4: bad\n  - row 3, column 'MI': bad"


# --------------------------------------------------------------------------
# Item 13: a wrong type is an InputTypeError saying what was given and what is expected.

WRONG = [
    pytest.param(None, "None", id="None"),
    pytest.param(GENAI.units, "a pandas DataFrame", id="DataFrame"),
    pytest.param("units.csv", "the text 'units.csv'", id="str"),
    pytest.param(3, "the int 3", id="int"),
]


def _corpus_functions(tmp: Path) -> dict[str, object]:
    return {
        "crosstab": pq.crosstab,
        "efficacy": pq.efficacy,
        "efficacy_summary": pq.efficacy_summary,
        "fit": pq.fit,
        "trends": pq.trends,
        "issuer_network": pq.issuer_network,
        "authority_distribution": pq.authority_distribution,
        "portfolio_measures": pq.portfolio_measures,
        "report": lambda corpus: pq.report(corpus, tmp / "report"),
        "write_coding": lambda corpus: pq.write_coding(corpus, tmp / "out"),
        "coded_dimensions": reliability.coded_dimensions,
        "agreement_report": lambda corpus: reliability.agreement_report({"A": GENAI, "B": corpus}),
        "disagreements": lambda corpus: reliability.disagreements({"A": GENAI, "B": corpus}),
        "adjudicate": lambda corpus: reliability.adjudicate({"A": GENAI, "B": corpus}),
    }


CORPUS_FUNCTIONS = sorted(_corpus_functions(Path(".")))


@pytest.mark.parametrize(("value", "described"), WRONG)
@pytest.mark.parametrize("name", CORPUS_FUNCTIONS)
def test_every_corpus_function_refuses_what_is_not_a_corpus(tmp_path, name, value, described):
    function = _corpus_functions(tmp_path)[name]
    if name == "portfolio_measures" and isinstance(value, pd.DataFrame):
        # A tidy DataFrame is portfolio_measures' other input: a units table is read as one
        # and its missing columns are named, not refused for its type.
        with pytest.raises(pq.ValidationError, match="lacks 3 columns") as caught:
            function(value)
        assert not isinstance(caught.value, pq.InputTypeError)
        return
    with pytest.raises(pq.InputTypeError) as caught:
        function(value)
    error = caught.value
    assert isinstance(error, TypeError) and isinstance(error, pq.PolicyQuantError)
    message = str(error)
    assert message.startswith(f"{name} expects ")
    assert "a Corpus (from pq.read_coding" in message
    assert f"got {described}" in message
    if isinstance(value, pd.DataFrame):
        assert "pq.read_coding(frame)" in message
    if isinstance(value, str):
        assert "pq.read_coding(path)" in message
    assert not list(tmp_path.iterdir())  # nothing written


def test_the_list_of_corpus_functions_is_the_public_api():
    """Every public function whose first parameter is a corpus is in the parametrized test."""
    taking = set()
    modules = [pq, reliability]
    for module in modules:
        for name in module.__all__:
            value = getattr(module, name)
            if inspect.isfunction(value):
                parameters = list(inspect.signature(value).parameters)
                if parameters and parameters[0] in ("corpus", "coders", "data"):
                    taking.add(name)
    # Functions of reliability data (arrays of codes), not of corpora:
    taking -= {"reliability_data", "krippendorff_alpha", "cohen_kappa", "fleiss_kappa"}
    taking -= {"gwet_ac1", "brennan_prediger", "percent_agreement"}
    assert taking <= set(CORPUS_FUNCTIONS), taking - set(CORPUS_FUNCTIONS)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: pq.read_coding(None), "read_coding expects units as a file or folder path"),
        (lambda: pq.read_coding(3), "read_coding expects units as a file or folder path .*; got the int 3"),
        (lambda: pq.read_coding(GENAI.units, 3.5), "read_coding expects documents .*; got the float 3.5"),
        (lambda: pq.write_coding(GENAI, None), "write_coding expects path as a file or folder path"),
        (lambda: pq.efficacy_summary(GENAI, by=None), "fields to group by must be .*; got None"),
        (lambda: pq.crosstab(GENAI, rows=3), "fields to group by must be .*; got a list"),
        (lambda: pq.issuer_network(GENAI, aliases=3), "aliases expects an IssuerAliases or a mapping"),
        (lambda: reliability.agreement_report([GENAI, GENAI]), "as a mapping {coder name: Corpus}"),
    ],
)
def test_wrong_argument_types(call, message):
    with pytest.raises(pq.InputTypeError, match=message):
        call()


@pytest.mark.parametrize(
    ("scale", "columns"),
    [
        (pq.get_framework("wang2026").scale, {"DA": [5, 1], "AS": [5], "MI": [5, 1]}),
        (PMCScale(), {"X1_1": [1, 0], "X2_1": [1]}),
    ],
)
def test_score_columns_of_unequal_lengths_is_refused(scale, columns):
    # Before: the wang2026 scale broadcast AS's one value over both rows and returned [50, 6].
    with pytest.raises(pq.ValidationError, match="one value per row in every column, all of one length; got"):
        scale.score_columns(columns)


def test_a_wrong_type_is_still_a_validation_error_for_older_callers():
    with pytest.raises(pq.ValidationError):
        pq.crosstab(None)


# --------------------------------------------------------------------------
# Item 13: Ctrl-C.


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe")
def test_ctrl_c_ends_a_command_with_one_line_and_status_130(tmp_path):
    # The command reads from a pipe that the test holds open: it is certainly running when
    # the signal comes, whatever the speed of the machine.
    fifo = tmp_path / "units.csv"
    os.mkfifo(fifo)
    process = subprocess.Popen(
        [sys.executable, "-m", "policyquant", "validate", str(fifo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while True:
        try:  # succeeds once the command has opened the pipe
            writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
    try:
        os.write(writer, b"unit_id,doc_id,instrument,objectives\n")
        time.sleep(0.3)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        os.close(writer)
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130
    assert stdout == ""
    assert stderr == "policyquant: interrupted\n"


def test_ctrl_c_in_process_is_130_without_traceback(monkeypatch):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("policyquant.plugins.get_framework", interrupt)
    result = invoke("codebook", "wang2026")
    assert result.exit_code == 130
    assert result.stderr == "policyquant: interrupted\n"


# --------------------------------------------------------------------------
# Item 14 (the command line's side): a system error is a sentence with its path.


@pytest.mark.parametrize(
    ("number", "strerror", "expected"),
    [
        (errno.ENOSPC, "No space left on device", "cannot write {path}: no space left on device"),
        (errno.EROFS, "Read-only file system", "cannot write {path}: the file system is read-only"),
        (errno.EEXIST, "File exists", "cannot create {path}: it already exists"),
        (errno.EACCES, "Permission denied", "cannot open {path}: permission denied"),
        (errno.ENOTCONN, "Transport endpoint is not connected", "cannot use {path}: transport endpoint"),
    ],
)
def test_system_errors_become_sentences_with_the_path(tmp_path, monkeypatch, number, strerror, expected):
    target = tmp_path / "codebook.toml"

    def fail(*args, **kwargs):
        raise OSError(number, strerror, str(target))

    # Whatever the command was doing: the top-level handler turns the error into the sentence.
    monkeypatch.setattr("policyquant.cli._load_framework", fail)
    line = one_error_line(invoke("codebook", "wang2026", "--format", "toml", "-o", target))
    assert line.startswith("policyquant: error: " + expected.format(path=target))
    assert "Errno" not in line


def test_a_system_error_without_a_path_still_reads_as_a_sentence():
    assert _describe_os_error(OSError(errno.ENOSPC, "No space left on device")) == (
        "cannot write: no space left on device"
    )
    assert _describe_os_error(OSError(errno.EXDEV, "Invalid cross-device link", "a", None, "b")) == (
        "cannot move a to b: invalid cross-device link"
    )


# --------------------------------------------------------------------------
# Item 15 (pmc): what the message says is accepted is accepted, in any case, in both paths.


def _pmc_frame(values: list[list[object]]) -> pd.DataFrame:
    columns = [f"X{v}_{j}" for v in range(1, 10) for j in (1, 2)]
    return pd.DataFrame(values, columns=columns, index=[f"P{i}" for i in range(len(values))])


SPELLINGS = [("True", "False"), ("TRUE", "FALSE"), ("true", "false"), ("Yes", "No"), ("是", "否"), ("1", "0")]


@pytest.mark.parametrize(("one", "zero"), SPELLINGS)
def test_pmc_library_accepts_the_spellings_its_message_names(one, zero):
    numbers = _pmc_frame([[1, 0] * 9, [0, 1] * 9])
    text = numbers.replace({1: one, 0: zero}).astype(object)
    index = PMCIndex.from_columns(numbers)
    pd.testing.assert_frame_equal(index.score(text), index.score(numbers))
    assert "True/False" in pmc._BINARY_EXPECTED


@pytest.mark.parametrize(("one", "zero"), SPELLINGS)
def test_pmc_command_accepts_the_spellings_its_message_names(tmp_path, one, zero):
    numbers = _pmc_frame([[1, 0] * 9, [0, 1] * 9])
    path = tmp_path / "pmc.csv"
    numbers.replace({1: one, 0: zero}).astype(object).to_csv(path, index_label="policy")
    result = invoke("pmc", path, "--format", "csv")
    assert result.exit_code == 0, result.output
    printed = pd.read_csv(__import__("io").StringIO(result.stdout), index_col=0)
    expected = PMCIndex.from_columns(numbers).score(numbers)
    np.testing.assert_allclose(printed["PMC"].to_numpy(), expected["PMC"].to_numpy())


def test_pmc_refuses_a_misspelling_and_names_what_it_accepts(tmp_path):
    values = [[1, 0] * 9]
    values[0][3] = "Ture"
    path = tmp_path / "pmc.csv"
    _pmc_frame(values).to_csv(path, index_label="policy")
    line = one_error_line(invoke("pmc", path))
    assert (
        "row P0, column 'X2_2', value 'Ture': not 0 or 1; expected 0 or 1 (or True/False, Yes/No, 是/否)"
        in line
    )


def test_pmc_scale_in_a_corpus_takes_the_same_words():
    scale = PMCScale({"X1": ["X1_1", "X1_2"]})
    assert scale.coerce_columns({"X1_1": ["TRUE", "yes"], "X1_2": ["false", "否"]}) == {
        "X1_1": pytest.approx([1.0, 1.0]),
        "X1_2": pytest.approx([0.0, 0.0]),
    }
