"""The PMC coding template, codebook and Chinese output (issue 14, item 9).

``policyquant template pmc`` writes one row per policy and one 0/1 column per sub-variable;
a filled-in template reads back with ``policyquant pmc`` to the numbers PMCIndex computes
from the same values; ``policyquant codebook pmc`` lists the variables; ``pmc --lang zh``
labels its headers in Chinese; ``PMCIndex.compare`` shows policies by display name.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.cli import main
from policyquant.errors import ValidationError, WriteError
from policyquant.frameworks.pmc import (
    PMC_EXAMPLE_VARIABLES,
    PMCIndex,
    PMCScale,
    pmc_codebook,
    write_pmc_template,
)

N_SUB = sum(len(subs) for _, subs in PMC_EXAMPLE_VARIABLES.values())


def invoke(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="policyquant")


def _template(tmp_path: Path, *extra: str, name: str = "pmc.xlsx") -> Path:
    path = tmp_path / name
    result = invoke("template", "pmc", "-o", path, *extra)
    assert result.exit_code == 0, result.output
    return path


def _fill(path: Path, values: np.ndarray, out: Path) -> tuple[list[str], pd.DataFrame]:
    """Fill the template's first sheet as a coder would (openpyxl), one row per policy."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    ids = [f"P{i:02d}" for i in range(len(values))]
    for policy, row in zip(ids, values, strict=True):
        sheet.append([policy, f"title of {policy}", *(int(v) for v in row)])
    book.save(out)
    frame = pd.DataFrame(values.astype(int), index=pd.Index(ids, name=headers[0]), columns=headers[2:])
    return headers, frame


# --------------------------------------------------------------------------
# The template's sheet.


@pytest.mark.parametrize(
    ("language", "sheets", "first"),
    [
        (None, ["coding", "codebook"], ["policy", "title", "X1_1 predictive", "X1_2 supervisory"]),
        ("zh", ["编码表", "编码手册"], ["政策编号", "政策名称", "X1_1 预测", "X1_2 监管"]),
        ("zh-CN", ["编码表", "编码手册"], ["政策编号", "政策名称", "X1_1 预测", "X1_2 监管"]),
    ],
)
def test_template_has_one_column_per_sub_variable(tmp_path, language, sheets, first):
    path = _template(tmp_path, *(["--lang", language] if language else []))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == sheets
    headers = [cell.value for cell in book[sheets[0]][1]]
    assert headers[:4] == first
    assert len(headers) == 2 + N_SUB
    index = PMCIndex.from_columns(headers, strict=True)
    assert index.n_variables == 10
    assert [len(c) for c in index.variables.values()] == [len(s) for _, s in PMC_EXAMPLE_VARIABLES.values()]
    assert headers[-1].startswith("X10_2 ")


def test_every_sub_variable_cell_offers_0_or_1_only(tmp_path):
    path = _template(tmp_path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    lists = {}
    for validation in sheet.data_validations.dataValidation:
        for cells in validation.sqref.ranges:
            lists[cells.min_col] = validation
    for column in range(3, 3 + N_SUB):
        validation = lists[column]
        assert validation.type == "list"
        assert validation.formula1 == '"0,1"'
        assert validation.showErrorMessage and validation.errorStyle == "stop"
        assert validation.prompt  # says what the column means
    assert 1 not in lists or lists[1].type is None  # the id column is free text
    assert sheet.cell(row=1, column=3).value.split(" ", 1)[1] in lists[3].prompt


@pytest.mark.parametrize("language", ["en", "zh"])
def test_codebook_sheet_lists_every_variable_and_sub_variable(tmp_path, language):
    path = _template(tmp_path, "--lang", language)
    book = openpyxl.load_workbook(path)
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert len(rows) == 1 + 10 + N_SUB
    keys = [row[1] for row in rows[1:]]
    assert keys[:2] == ["X1", "X1_1"]
    assert {f"X{i}" for i in range(1, 11)} <= set(keys)
    labels = dict(zip(keys, (row[2] for row in rows[1:]), strict=True))
    pick = 1 if language == "zh" else 0
    assert labels["X3"] == PMC_EXAMPLE_VARIABLES["X3"][0][pick]
    assert labels["X9_6"] == PMC_EXAMPLE_VARIABLES["X9"][1][5][pick]
    assert all(row[5] for row in rows[1:])  # every row has its rule


# --------------------------------------------------------------------------
# Round trip: fill the template, read it with `policyquant pmc`.


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 2**32 - 1),
    policies=st.integers(1, 12),
    language=st.sampled_from(["en", "zh"]),
)
def test_filled_template_reads_back_as_pmc_index_computes(tmp_path_factory, seed, policies, language):
    folder = tmp_path_factory.mktemp("pmc")
    path = _template(folder, "--lang", language)
    values = np.random.default_rng(seed).integers(0, 2, (policies, N_SUB))
    filled = folder / "filled.xlsx"
    _, frame = _fill(path, values, filled)
    result = invoke("pmc", filled, "--format", "csv")
    assert result.exit_code == 0, result.output
    printed = pd.read_csv(io.StringIO(result.stdout), index_col=0, dtype={0: str})
    expected = PMCIndex.from_columns(frame).score(frame)
    assert printed.index.astype(str).tolist() == expected.index.tolist()
    for column in [*expected.columns[:-1]]:
        np.testing.assert_allclose(printed[column].to_numpy(), expected[column].to_numpy(), atol=1e-9)
    assert printed["grade"].tolist() == expected["grade"].astype(str).tolist()


def test_a_value_other_than_0_or_1_is_named_with_its_cell(tmp_path):
    path = _template(tmp_path)
    filled = tmp_path / "filled.xlsx"
    _fill(path, np.ones((2, N_SUB), dtype=int), filled)
    book = openpyxl.load_workbook(filled)
    book.worksheets[0]["D2"] = 2  # X1_2 of the first policy (row 2)
    book.save(filled)
    result = invoke("pmc", filled)
    assert result.exit_code == 2
    assert "X1_2" in result.stderr and "P00" in result.stderr and "not 0 or 1" in result.stderr


def test_a_filled_template_is_not_replaced_without_force(tmp_path):
    path = _template(tmp_path)
    _fill(path, np.zeros((1, N_SUB), dtype=int), path)
    result = invoke("template", "pmc", "-o", path)
    assert result.exit_code == 2 and "coded rows" in result.stderr
    with pytest.raises(WriteError):
        write_pmc_template(path)
    assert invoke("template", "pmc", "-o", path, "--force").exit_code == 0


def test_a_pmc_template_takes_no_documents(tmp_path):
    with pytest.raises(ValidationError, match="one row per policy"):
        pq.io.write_coding_template("pmc", tmp_path / "t.xlsx", documents=pd.DataFrame({"doc_id": ["P1"]}))


def test_a_fixed_system_keeps_its_own_labels(tmp_path):
    dimensions = [
        pq.Dimension(
            key,
            key,
            (pq.Level(1, "Yes"), pq.Level(0, "No")),
            unit="document",
            labels={"zh": zh},
            description=f"rule of {key}",
        )
        for key, zh in [("X1_1", "目标明确"), ("X1_2", "措施具体"), ("X2_1", "公开")]
    ]
    scale = PMCScale(dimensions=dimensions, bands={"Good": 1, "Poor": 0})
    path = write_pmc_template(tmp_path / "own.xlsx", scale, language="zh")
    headers = [cell.value for cell in openpyxl.load_workbook(path).worksheets[0][1]]
    assert headers == ["政策编号", "政策名称", "X1_1 目标明确", "X1_2 措施具体", "X2_1 公开"]
    book = pmc_codebook(scale)
    assert book.loc[book["key"] == "X1_2", "description"].item() == "rule of X1_2"


@pytest.mark.parametrize("header", ["X1_1 predictive", "X1_1（预测）", "x1.1 (a) b", "Ｘ１：１ 预测"])
def test_a_labelled_header_names_its_sub_variable(header):
    assert PMCIndex.from_columns([header, "X1_2"], strict=True).variables == {"X1": (header, "X1_2")}


@pytest.mark.parametrize("near_miss", ["X1_1a", "X1_1_a", "X1_1.2"])
def test_a_label_needs_a_space_or_bracket(near_miss):
    with pytest.raises(ValidationError):
        PMCIndex.from_columns(["X1_2", near_miss], strict=True)


def test_bad_paths_and_row_counts_are_refused(tmp_path):
    with pytest.raises(ValidationError, match=r"\.xlsx"):
        write_pmc_template(tmp_path / "pmc.csv")
    with pytest.raises(ValidationError, match="rows"):
        write_pmc_template(tmp_path / "pmc.xlsx", rows=0)
    with pytest.raises(ValidationError, match="language"):
        write_pmc_template(tmp_path / "pmc.xlsx", language="klingon")


# --------------------------------------------------------------------------
# `codebook pmc`, `pmc --lang zh`, compare(labels=).


@pytest.mark.parametrize("fmt", ["text", "md", "csv"])
def test_codebook_lists_the_variables(fmt):
    result = invoke("codebook", "pmc", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "Empty DataFrame" not in result.stdout
    for word in ("X1_1", "predictive", "Policy nature", "X10_2", "with an official interpretation"):
        assert word in result.stdout
    if fmt == "csv":
        table = pd.read_csv(io.StringIO(result.stdout), dtype=str)
        assert len(table) == 10 + N_SUB
        assert table.loc[table["key"] == "X4_6", "parent"].item() == "X4"


def test_codebook_in_chinese():
    result = invoke("codebook", "pmc", "--format", "csv", "--lang", "zh")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout), dtype=str)
    assert table.loc[table["key"] == "X1", "label"].item() == "政策性质"
    assert table.loc[table["key"] == "X1_1", "part"].item() == "二级变量"


def test_codebook_saved_as_xlsx(tmp_path):
    result = invoke("codebook", "pmc", "--format", "xlsx", "-o", tmp_path / "book.xlsx")
    assert result.exit_code == 0, result.output
    assert len(pd.read_excel(tmp_path / "book.xlsx", engine="openpyxl")) == 10 + N_SUB


def test_pmc_in_chinese_labels_its_headers(tmp_path):
    path = _template(tmp_path, "--lang", "zh")
    filled = tmp_path / "filled.xlsx"
    _fill(path, np.ones((2, N_SUB), dtype=int), filled)
    result = invoke("pmc", filled, "--lang", "zh", "--format", "csv")
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split(",")
    assert header[0] == "政策"
    assert header[-3:] == ["PMC指数", "凹陷指数", "等级"]
    assert result.stdout.splitlines()[1].endswith(",完美")
    text = invoke("pmc", filled, "--lang", "zh")
    assert "2项政策的PMC指数" in text.stdout
    for english in ("concavity", "grade", "Perfect"):
        assert english not in text.stdout


def test_compare_shows_display_names():
    index = PMCIndex({"X1": ["X1_1", "X1_2"], "X2": ["X2_1"]}, bands={"Good": 1.5, "Poor": 0})
    frame = pd.DataFrame({"X1_1": [1, 1, 0], "X1_2": [1, 0, 0], "X2_1": [1, 1, 0]}, index=["A", "B", "C"])
    table = index.compare(frame, labels={"A": "人工智能规划", "C": "Rules"}, language="zh")
    assert table.columns.tolist() == ["人工智能规划", "B", "Rules", "均值"]
    plain = index.compare(frame)
    np.testing.assert_array_equal(table.iloc[:4, :3].to_numpy(float), plain.iloc[:4, :3].to_numpy(float))


@pytest.mark.parametrize(
    ("labels", "problem"),
    [
        ({"D": "x"}, "no such policy"),
        ({"A": ""}, "no display name"),
        ({"A": "B"}, "the same name"),
        (["A"], "must map"),
    ],
)
def test_compare_refuses_bad_labels(labels, problem):
    index = PMCIndex({"X1": ["X1_1"]}, bands={"Good": 0.5, "Poor": 0})
    frame = pd.DataFrame({"X1_1": [1, 0]}, index=["A", "B"])
    with pytest.raises(ValidationError) as caught:
        index.compare(frame, labels=labels)
    assert problem in str(caught.value)


def test_radar_legend_shows_display_names():
    import matplotlib.pyplot as plt

    from policyquant.frameworks.pmc import pmc_radar

    frame = pd.DataFrame(
        {"X1_1": [1, 0, 1], "X2_1": [1, 1, 0], "X3_1": [0, 1, 1]}, index=["P1", "P2", "P3"]
    )
    fig = pmc_radar(frame, policies=["P2"], policy_labels={"P1": "Plan", "P2": "数据规则"}, language="zh")
    try:
        assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["数据规则（PMC = 2.00）"]
    finally:
        plt.close(fig)
    with pytest.raises(ValidationError, match="no such policy"):
        pmc_radar(frame, policy_labels={"P9": "x"})
