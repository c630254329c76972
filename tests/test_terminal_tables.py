"""``policyquant tables`` in a terminal (issue 14, item 13).

The default text output fits the terminal's width (``COLUMNS``), with each count and its
share in one cell and wrapped headers; ``--format csv|tsv|md`` stays machine-readable and
equals what the library writes.
"""

from __future__ import annotations

import io
import unicodedata

import pandas as pd
import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant._terminal import fit_table
from policyquant.analysis import crosstab, efficacy_summary
from policyquant.cli import main


def invoke(*args: object, columns: int | None = None) -> Result:
    env = {"COLUMNS": str(columns)} if columns is not None else {}
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="policyquant", env=env)


def display_width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.fixture(scope="module")
def corpus() -> pq.Corpus:
    return pq.datasets.load_genai_china()


@pytest.fixture(scope="module")
def table4(corpus: pq.Corpus) -> pd.DataFrame:
    return crosstab(corpus).to_frame()


def _cells(table: pd.DataFrame) -> list[str]:
    """Every count of Table 4 with its share, as one cell shows them."""
    objectives = dict.fromkeys(table.columns.get_level_values(0))
    return [
        f"{int(row[(o, 'count')])} ({float(row[(o, 'share')]):.1f}%)" for _, row in table.iterrows() for o in objectives
    ]


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_table_4_fits_the_terminal(columns, table4):
    result = invoke("tables", "--example", columns=columns)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    too_wide = [line for line in lines if display_width(line) > columns]
    assert not too_wide, too_wide[:3]
    for cell in _cells(table4):
        assert cell in result.stdout
    # Labels wrap between words only when they must: at these widths each stays whole.
    for instrument in table4.index.get_level_values(1):
        assert instrument in result.stdout


def test_a_wide_terminal_shows_table_4_in_one_block(table4):
    result = invoke("tables", "--example", columns=200)
    first = result.stdout.split("\n\n")[1]
    rules = [line for line in first.splitlines() if set(line) <= {"-", " "} and line.strip()]
    assert len(rules) == 1
    assert "Technological Security and Innovation" in first  # the header is not wrapped


def test_a_narrow_terminal_splits_table_4_into_blocks(table4):
    result = invoke("tables", "--example", columns=60)
    assert result.exit_code == 0
    assert max(display_width(line) for line in result.stdout.splitlines()) <= 60
    for cell in _cells(table4):
        assert cell in result.stdout


def test_very_narrow_terminals_still_hold_every_line():
    result = invoke("tables", "--example", columns=24)
    assert result.exit_code == 0
    assert max(display_width(line) for line in result.stdout.splitlines()) <= 24


def test_csv_is_what_the_library_writes(corpus):
    result = invoke("tables", "--example", "--format", "csv", columns=80)
    assert result.exit_code == 0, result.output
    library = [crosstab(corpus).to_csv()] + [
        efficacy_summary(corpus, by=by).to_csv() for by in ("objective", "family", "instrument")
    ]
    assert result.stdout == "".join(library)


def test_tsv_reads_back_as_the_table(table4):
    result = invoke("tables", "--example", "--format", "tsv", columns=40)
    assert result.exit_code == 0, result.output
    first = result.stdout.split("\n")
    # Table 4 has three header rows (objective, value, index names) and one line per row.
    text = "\n".join(first[: 3 + len(table4)])
    read = pd.read_csv(io.StringIO(text), sep="\t", header=[0, 1], index_col=[0, 1])
    assert read.to_numpy().shape == table4.to_numpy().shape
    assert (read.to_numpy()[:, 0] == table4.to_numpy()[:, 0]).all()
    assert all(display_width(line) > 40 for line in first[:2])  # not fitted: for programs


def test_markdown_is_unchanged_by_the_terminal(corpus):
    narrow = invoke("tables", "--example", "--format", "md", columns=40)
    wide = invoke("tables", "--example", "--format", "md", columns=200)
    assert narrow.stdout == wide.stdout
    assert crosstab(corpus).to_markdown() in narrow.stdout


def test_count_and_share_in_one_cell():
    columns = pd.MultiIndex.from_product([["A", "Total"], ["count", "share"]])
    frame = pd.DataFrame([[1, 25.0, 4, 100.0]], columns=columns, index=pd.Index(["x"], name="row"))
    text = fit_table(frame, 80)
    assert "1 (25.0%)" in text and "4 (100.0%)" in text
    assert "count" not in text and "share" not in text


def test_chinese_labels_count_twice():
    frame = pd.DataFrame(
        {"技术安全与创新": [12, 3], "公共安全与利益": [1, 2]}, index=pd.Index(["标准规范", "基础设施"], name="政策工具")
    )
    for width in (20, 30, 60):
        text = fit_table(frame, width)
        assert max(display_width(line) for line in text.splitlines()) <= width
        assert "标准规范" in text


words = st.text(alphabet="abcdefghij标准规范公共安全 ", min_size=0, max_size=30)


@settings(max_examples=60, deadline=None)
@given(
    width=st.integers(20, 160),
    labels=st.lists(words, min_size=1, max_size=6),
    headers=st.lists(words, min_size=1, max_size=7, unique=True),
    seed=st.integers(0, 10_000),
)
def test_no_line_is_wider_than_asked(width, labels, headers, seed):
    import numpy as np

    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        rng.integers(0, 10**rng.integers(1, 9), (len(labels), len(headers))), columns=headers, index=labels
    )
    frame.isetitem(0, frame.iloc[:, 0] / 7)  # a float column too
    text = fit_table(frame, width)
    assert max(display_width(line) for line in text.splitlines()) <= width
    # Nothing lost: every value is shown (it never wraps when its column has room for it).
    if width >= 40:
        for value in frame.iloc[:, 1:].to_numpy().ravel():
            assert str(int(value)) in text.replace(",", "")


@pytest.mark.parametrize("columns", [60, 200])
def test_pmc_text_fits_the_terminal_too(tmp_path, columns):
    import numpy as np

    from policyquant.frameworks.pmc import PMCIndex

    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {f"X{v}_{j}": rng.integers(0, 2, 4) for v in range(1, 11) for j in (1, 2, 3)},
        index=pd.Index([f"政策{i}" for i in range(4)], name="政策编号"),
    )
    frame.to_csv(tmp_path / "pmc.csv")
    result = invoke("pmc", tmp_path / "pmc.csv", "--lang", "zh", columns=columns)
    assert result.exit_code == 0, result.output
    assert max(display_width(line) for line in result.stdout.splitlines()) <= columns
    expected = PMCIndex.from_columns(frame).score(frame, language="zh")
    for value in expected["PMC"]:
        assert f"{value:.2f}" in result.stdout
    for grade in expected["grade"]:
        assert grade in result.stdout


@pytest.mark.parametrize("columns", [40, 80, 200])
def test_table_4_in_chinese_fits_too(columns, table4):
    # Labelled for a reader, the count and share columns are "n" and "%": still one cell.
    result = invoke("tables", "--example", "--lang", "zh", columns=columns)
    assert result.exit_code == 0, result.output
    assert max(display_width(line) for line in result.stdout.splitlines()) <= columns
    for cell in _cells(table4):
        assert cell in result.stdout
    assert "标准规范" in result.stdout
