"""Tests of the PMC index plugin (``policyquant.frameworks.pmc``).

The acceptance example of the issue, hand-computed cases, every column-name style, the
validation of sub-variable values, the published grade bands at their edges, custom bands,
the PMC surface, the comparison table, properties over random variable systems, the
registration through the plugin hooks, and the figures in English and Chinese.
"""

from __future__ import annotations

import math
import pickle
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant import plotting
from policyquant.errors import InvalidFrameworkError, ScoreError, ValidationError
from policyquant.frameworks import pmc
from policyquant.frameworks.pmc import (
    PMCBand,
    PMCBands,
    PMCIndex,
    PMCScale,
    PMCWarning,
    pmc_framework,
    pmc_radar,
    pmc_scale,
    pmc_surface_plot,
)
from policyquant.plugins import DEFAULT_PLUGINS, FrameworkRegistry

PMC_MODULE = "policyquant.frameworks.pmc"

#: The issue's acceptance example: one policy's sub-variables.
ACCEPTANCE = {
    "X1": [1, 1, 0, 1, 1],
    "X2": [1, 1, 0],
    "X3": [1, 0, 1, 0],
    "X4": [1, 1, 1, 1, 0, 1],
    "X5": [0, 1, 1],
    "X6": [1, 1, 1, 1],
    "X7": [1, 0, 0, 1, 0],
    "X8": [1, 1, 1, 0],
    "X9": [1, 1, 0, 0, 1, 1],
    "X10": [1, 1],
}
#: Its first-level variables, worked out by hand.
ACCEPTANCE_MEANS = [4 / 5, 2 / 3, 2 / 4, 5 / 6, 2 / 3, 4 / 4, 2 / 5, 3 / 4, 4 / 6, 2 / 2]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def policy_frame(
    policies: dict[str, dict[str, list[int]]], style: str = "X{v}_{j}", prefix: str = "X"
) -> pd.DataFrame:
    """One row per policy; columns named by ``style`` from the variable and sub-variable numbers."""
    rows = {}
    for policy, variables in policies.items():
        row = {}
        for name, subs in variables.items():
            number = int(name[len(prefix) :])
            for j, value in enumerate(subs, start=1):
                row[style.format(v=number, j=j)] = value
        rows[policy] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def acceptance_frame(style: str = "X{v}_{j}") -> pd.DataFrame:
    return policy_frame({"P1": ACCEPTANCE}, style)


def registry_with_pmc() -> FrameworkRegistry:
    """A fresh registry with the built-in plugins and the PMC module (registered once, wherever it is listed)."""
    plugins = DEFAULT_PLUGINS if PMC_MODULE in DEFAULT_PLUGINS else (*DEFAULT_PLUGINS, PMC_MODULE)
    return FrameworkRegistry(default_plugins=plugins, entry_point_group=None)


# --------------------------------------------------------------------------
# The acceptance example.


def test_acceptance_example():
    frame = acceptance_frame()
    result = PMCIndex.from_columns(frame).score(frame)
    assert round(float(result.loc["P1", "PMC"]), 4) == 7.2833
    assert result.loc["P1", "grade"] == "Excellent"
    assert result.loc["P1", [f"X{i}" for i in range(1, 11)]].tolist() == pytest.approx(ACCEPTANCE_MEANS)
    assert result.loc["P1", "PMC"] == pytest.approx(sum(ACCEPTANCE_MEANS))
    assert result.loc["P1", "concavity"] == pytest.approx(10 - sum(ACCEPTANCE_MEANS))
    assert list(result.columns) == [*(f"X{i}" for i in range(1, 11)), "PMC", "concavity", "grade"]


def test_acceptance_example_in_chinese_and_through_the_scale():
    frame = acceptance_frame()
    assert PMCIndex.from_columns(frame).score(frame, language="zh").loc["P1", "grade"] == "优秀"
    scores = PMCScale().score(frame)
    assert scores.name == "PMC"
    assert round(float(scores["P1"]), 4) == 7.2833
    assert PMCScale().table(frame).loc["P1", "grade"] == "Excellent"


# --------------------------------------------------------------------------
# Hand-computed cases.


def test_small_case_by_hand():
    index = PMCIndex({"A": ["a1", "a2"], "B": ["b1", "b2", "b3"]}, bands={"High": 1.5, "Low": 0})
    frame = pd.DataFrame(
        {
            "a1": [1, 0, 1],
            "a2": [0, 0, 1],
            "b1": [1, 0, 1],
            "b2": [1, 0, 1],
            "b3": [0, 0, 1],
            "note": list("xyz"),
        },
        index=pd.Index(["p", "q", "r"], name="policy"),
    )
    result = index.score(frame)
    # p: A = 1/2, B = 2/3; q: nothing; r: everything.
    assert result["A"].tolist() == [0.5, 0.0, 1.0]
    assert result["B"].tolist() == pytest.approx([2 / 3, 0.0, 1.0])
    assert result["PMC"].tolist() == pytest.approx([7 / 6, 0.0, 2.0])
    assert result["concavity"].tolist() == pytest.approx([5 / 6, 2.0, 0.0])
    assert result["grade"].tolist() == ["Low", "Low", "High"]
    assert result.index.equals(frame.index)


def test_all_ones_and_all_zeros():
    frame = policy_frame(
        {
            "full": {f"X{i}": [1] * (i % 4 + 1) for i in range(1, 11)},
            "empty": {f"X{i}": [0] * (i % 4 + 1) for i in range(1, 11)},
        }
    )
    result = PMCIndex.from_columns(frame).score(frame)
    assert result.loc["full", "PMC"] == 10.0
    assert result.loc["full", "concavity"] == 0.0
    assert result.loc["full", "grade"] == "Perfect"
    assert result.loc["empty", "PMC"] == 0.0
    assert result.loc["empty", "grade"] == "Bad"


def test_single_sub_variable_per_variable_counts_directly():
    index = PMCIndex({f"X{i}": [f"X{i}_1"] for i in range(1, 10)})
    frame = pd.DataFrame([[1, 1, 1, 1, 0, 1, 0, 1, 1]], columns=list(index.columns))
    result = index.score(frame)
    assert result.loc[0, "PMC"] == 7.0
    assert result.loc[0, "grade"] == "Excellent"  # 9 variables: 6 - 7.99


def test_boolean_nullable_and_object_inputs_give_the_same_scores():
    frame = policy_frame({"a": ACCEPTANCE, "b": {k: [1 - v for v in vs] for k, vs in ACCEPTANCE.items()}})
    index = PMCIndex.from_columns(frame)
    expected = index.score(frame)["PMC"].to_numpy()
    for variant in (
        frame.astype(bool),
        frame.astype(float),
        frame.astype("Int64"),
        frame.astype("boolean"),
        frame.astype(object),
        frame.astype(bool).astype(object),
        frame.astype("category"),
    ):
        np.testing.assert_allclose(index.score(variant)["PMC"].to_numpy(), expected)


def test_empty_frame_scores_to_an_empty_table():
    frame = acceptance_frame().iloc[:0]
    result = PMCIndex.from_columns(frame).score(frame)
    assert len(result) == 0
    assert list(result.columns)[-3:] == ["PMC", "concavity", "grade"]


def test_variable_scores_need_no_bands():
    index = PMCIndex({f"X{i}": [f"X{i}_1", f"X{i}_2"] for i in range(1, 9)})
    frame = pd.DataFrame([[1, 0] * 8], columns=list(index.columns))
    assert index.variable_scores(frame).iloc[0].tolist() == [0.5] * 8
    assert PMCScale(index.variables).score(frame).tolist() == [4.0]


# --------------------------------------------------------------------------
# Column names.


@pytest.mark.parametrize(
    "style",
    [
        "X{v}_{j}",
        "X{v}.{j}",
        "X{v}:{j}",
        "X{v}-{j}",
        "x{v}_{j}",
        "x{v}.{j}",
        "X{v} : {j}",
        "Ｘ{v}：{j}",  # full-width, as typed with a Chinese input method
        "X{v}–{j}",  # en dash
    ],
)
def test_every_column_name_style(style):
    frame = acceptance_frame(style)
    index = PMCIndex.from_columns(frame)
    assert index.variable_names == tuple(f"X{i}" for i in range(1, 11))
    assert index.variables["X4"] == tuple(style.format(v=4, j=j) for j in range(1, 7))
    assert round(float(index.score(frame).loc["P1", "PMC"]), 4) == 7.2833


def test_mixed_styles_and_a_dataframe_or_list_of_names():
    names = ["X1_1", "X1.2", "x1:3", "X2-1"]
    assert PMCIndex.from_columns(names).variables == {"X1": ("X1_1", "X1.2", "x1:3"), "X2": ("X2-1",)}
    assert PMCIndex.from_columns(pd.DataFrame(columns=names)) == PMCIndex.from_columns(names)


def test_variables_and_sub_variables_are_ordered_numerically():
    names = ["X10_1", "X2_10", "X2_2", "X1_1", "X2_1", "X9_1", "X03_1"]
    index = PMCIndex.from_columns(names)
    assert index.variable_names == ("X1", "X2", "X3", "X9", "X10")
    assert index.variables["X2"] == ("X2_1", "X2_2", "X2_10")
    assert index.variables["X3"] == ("X03_1",)
    assert index.columns == ("X1_1", "X2_1", "X2_2", "X2_10", "X03_1", "X9_1", "X10_1")


def test_other_columns_are_ignored_silently():
    frame = acceptance_frame().assign(title="A policy", year=2024, Xylophone=3, index_=1)
    frame.insert(0, "doc_id", "P1")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        index = PMCIndex.from_columns(frame)
    assert len(index.columns) == sum(len(v) for v in ACCEPTANCE.values())
    assert round(float(index.score(frame).loc["P1", "PMC"]), 4) == 7.2833


@pytest.mark.parametrize("near_miss", ["X1_a", "X1", "X_1_1", "X1__", "x 12", "X1_1a", "X1.1.1"])
def test_near_misses_are_reported(near_miss):
    with pytest.warns(PMCWarning, match=rf"'{near_miss.replace('.', '[.]')}'"):
        index = PMCIndex.from_columns(["X1_1", "X2_1", near_miss])
    assert index.columns == ("X1_1", "X2_1")
    with pytest.raises(ValidationError, match=r"not named like one|first-level variable") as caught:
        PMCIndex.from_columns(["X1_1", "X2_1", near_miss], strict=True)
    assert caught.value.problems["column"].tolist() == [near_miss]


def test_a_first_level_column_is_called_what_it_is():
    with pytest.warns(PMCWarning, match=r"'X3' \(a first-level variable, not a sub-variable\)"):
        PMCIndex.from_columns(["X1_1", "X3"])


def test_no_sub_variable_columns():
    with pytest.raises(
        ValidationError, match=r"no PMC sub-variable columns found among the columns 'a', 'b'"
    ):
        PMCIndex.from_columns(["a", "b"])
    with pytest.raises(ValidationError, match="no PMC sub-variable columns found; 2 columns look like"):
        PMCIndex.from_columns(["X1", "X2_b"])


def test_two_columns_for_one_sub_variable():
    with pytest.raises(ValidationError, match="repeats a PMC sub-variable") as caught:
        PMCIndex.from_columns(["X1_1", "X1.1", "X1_2"])
    assert caught.value.problems.loc[0, "column"] == "X1.1"
    assert "'X1_1'" in caught.value.problems.loc[0, "problem"]


def test_explicit_variables_are_validated():
    with pytest.raises(InvalidFrameworkError, match="at least one"):
        PMCIndex({})
    with pytest.raises(InvalidFrameworkError, match="has no sub-variables"):
        PMCIndex({"X1": []})
    with pytest.raises(InvalidFrameworkError, match="listed under both 'X1' and 'X2'"):
        PMCIndex({"X1": ["a"], "X2": ["a"]})
    with pytest.raises(InvalidFrameworkError, match="listed twice"):
        PMCIndex({"X1": ["a", "a"]})
    with pytest.raises(InvalidFrameworkError, match="column of the PMC result"):
        PMCIndex({"PMC": ["a"]})
    with pytest.raises(InvalidFrameworkError, match="must map each first-level variable"):
        PMCIndex(["X1_1"])
    assert PMCIndex({"X1": "X1_1"}).variables == {"X1": ("X1_1",)}


def test_missing_and_repeated_columns_when_scoring():
    index = PMCIndex({"X1": ["X1_1", "X1_2"]}, bands={"Any": 0})
    with pytest.raises(ValidationError, match="1 sub-variable column\\(s\\) missing") as caught:
        index.score(pd.DataFrame({"X1_1": [1], "X1_3": [1]}))
    assert caught.value.problems.loc[0, "column"] == "X1_2"
    repeated = pd.DataFrame([[1, 1, 0]], columns=["X1_1", "X1_2", "X1_2"])
    with pytest.raises(ValidationError, match="appear more than once"):
        index.score(repeated)
    with pytest.raises(ValidationError, match=r"pandas\.DataFrame"):
        index.score([[1, 0]])


# --------------------------------------------------------------------------
# Values other than 0 and 1.


@pytest.mark.parametrize(
    ("bad", "shown", "problem"),
    [
        (2, 2, "not 0 or 1"),
        (-1, -1, "not 0 or 1"),
        (0.5, 0.5, "not 0 or 1"),
        ("x", "x", "not 0 or 1"),
        ("2", "2", "not 0 or 1"),
        ("Treu", "Treu", "not 0 or 1"),
        (np.nan, None, "missing value"),
        (None, None, "missing value"),
    ],
)
def test_bad_values_are_named_by_row_column_and_value(bad, shown, problem):
    frame = acceptance_frame().astype(object)
    frame.loc["P2"] = frame.loc["P1"]
    frame.loc["P2", "X4_3"] = bad
    index = PMCIndex.from_columns(frame)
    with pytest.raises(ScoreError) as caught:
        index.score(frame)
    assert isinstance(caught.value, ValidationError)
    problems = caught.value.problems
    assert len(problems) == 1
    record = problems.iloc[0]
    assert (record["row"], record["column"]) == ("P2", "X4_3")
    assert record["value"] == shown if shown is not None else record["value"] is None
    assert problem in record["problem"]
    message = str(caught.value)
    assert "1 PMC sub-variable value is not 0 or 1" in message
    assert "row P2, column 'X4_3'" in message
    if shown is not None:
        assert f"value {shown!r}" in message
    # The scale refuses the same values.
    with pytest.raises(ScoreError):
        PMCScale().score(frame)


def test_bad_values_in_numeric_columns():
    frame = acceptance_frame().astype(float)
    frame.loc["P2"] = frame.loc["P1"]
    frame.loc["P1", "X1_1"] = 2
    frame.loc["P2", "X10_2"] = np.nan
    frame.loc["P2", "X1_2"] = -1
    with pytest.raises(ScoreError, match="3 PMC sub-variable values are not 0 or 1") as caught:
        PMCIndex.from_columns(frame).score(frame)
    problems = caught.value.problems
    # Listed policy by policy, in the frame's column order.
    assert list(zip(problems["row"], problems["column"], strict=True)) == [
        ("P1", "X1_1"),
        ("P2", "X1_2"),
        ("P2", "X10_2"),
    ]
    assert problems["value"].tolist() == [2.0, -1.0, None]


def test_every_bad_value_is_counted_and_listed():
    index = PMCIndex({"X1": ["X1_1", "X1_2", "X1_3"]}, bands={"Any": 0})
    frame = pd.DataFrame(7, index=range(500), columns=list(index.columns))
    with pytest.raises(ScoreError) as caught:
        index.score(frame)
    assert str(caught.value).startswith("1,500 PMC sub-variable values are not 0 or 1:")
    assert len(caught.value.problems) == 1500 <= pmc.MAX_PROBLEMS
    assert caught.value.complete
    assert "... and 1,480 more (see .problems)" in str(caught.value)


def test_past_the_memory_guard_the_message_says_it_listed_the_first(monkeypatch):
    monkeypatch.setattr(pmc.index, "MAX_PROBLEMS", 1000)
    index = PMCIndex({"X1": ["X1_1", "X1_2", "X1_3"]}, bands={"Any": 0})
    frame = pd.DataFrame(7, index=range(500), columns=list(index.columns))
    with pytest.raises(ScoreError) as caught:
        index.score(frame)
    assert len(caught.value.problems) == 1000
    assert not caught.value.complete
    assert "... and 980+ more (see .problems; listed the first 1,000 of 1,500)" in str(caught.value)


# --------------------------------------------------------------------------
# Grade bands.


@pytest.mark.parametrize(
    ("pmc_value", "grade", "zh"),
    [
        (0.0, "Bad", "不良"),
        (4.99, "Bad", "不良"),
        (5.0, "Acceptable", "可接受"),
        (6.99, "Acceptable", "可接受"),
        (7.0, "Excellent", "优秀"),
        (8.99, "Excellent", "优秀"),
        (8.995, "Excellent", "优秀"),  # between the published 8.99 and 9: the lower grade
        (9.0, "Perfect", "完美"),
        (10.0, "Perfect", "完美"),
    ],
)
def test_ten_variable_preset_at_the_edges(pmc_value, grade, zh):
    bands = PMCBands.preset(10)
    assert list(bands.grade([pmc_value])) == [grade]
    assert list(bands.grade([pmc_value], language="zh")) == [zh]


@pytest.mark.parametrize(
    ("pmc_value", "grade"),
    [
        (0.0, "Bad"),
        (3.99, "Bad"),
        (4.0, "Acceptable"),
        (5.99, "Acceptable"),
        (6.0, "Excellent"),
        (7.99, "Excellent"),
        (8.0, "Perfect"),
        (9.0, "Perfect"),
    ],
)
def test_nine_variable_preset_at_the_edges(pmc_value, grade):
    assert list(PMCBands.preset(9).grade([pmc_value])) == [grade]


def edge_frame(n_variables: int, full: int, first: int) -> tuple[PMCIndex, pd.DataFrame]:
    """``n_variables`` variables; X1 has 100 sub-variables with ``first`` ones, then ``full`` others are 1."""
    variables = {"X1": [f"X1_{j}" for j in range(1, 101)]}
    variables.update({f"X{i}": [f"X{i}_1"] for i in range(2, n_variables + 1)})
    index = PMCIndex(variables)
    row = {f"X1_{j}": int(j <= first) for j in range(1, 101)}
    row.update({f"X{i}_1": int(i - 1 <= full) for i in range(2, n_variables + 1)})
    return index, pd.DataFrame([row], index=["edge"])


@pytest.mark.parametrize(
    ("n_variables", "full", "first", "expected_pmc", "grade"),
    [
        (10, 4, 99, 4.99, "Bad"),
        (10, 4, 100, 5.0, "Acceptable"),
        (10, 6, 99, 6.99, "Acceptable"),
        (10, 6, 100, 7.0, "Excellent"),
        (10, 8, 99, 8.99, "Excellent"),
        (10, 8, 100, 9.0, "Perfect"),
        (9, 3, 99, 3.99, "Bad"),
        (9, 3, 100, 4.0, "Acceptable"),
        (9, 5, 99, 5.99, "Acceptable"),
        (9, 5, 100, 6.0, "Excellent"),
        (9, 7, 99, 7.99, "Excellent"),
        (9, 7, 100, 8.0, "Perfect"),
    ],
)
def test_scored_policies_at_the_band_edges(n_variables, full, first, expected_pmc, grade):
    index, frame = edge_frame(n_variables, full, first)
    result = index.score(frame)
    assert result.loc["edge", "PMC"] == pytest.approx(expected_pmc)
    assert result.loc["edge", "grade"] == grade


def test_float_sums_on_a_band_edge_get_the_upper_grade():
    # Three variables of thirds sum to 1 (in floats, perhaps 0.9999999999999999) plus four full ones: 5.
    variables = {f"X{i}": [f"X{i}_{j}" for j in (1, 2, 3)] for i in range(1, 4)}
    variables.update({f"X{i}": [f"X{i}_1"] for i in range(4, 11)})
    index = PMCIndex(variables)
    row = {column: 0 for column in index.columns}
    row.update({"X1_1": 1, "X2_1": 1, "X3_1": 1, "X4_1": 1, "X5_1": 1, "X6_1": 1, "X7_1": 1})
    result = index.score(pd.DataFrame([row]))
    assert result.loc[0, "PMC"] == pytest.approx(5.0)
    assert result.loc[0, "grade"] == "Acceptable"


def test_grades_are_an_ordered_categorical():
    frame = policy_frame({"a": ACCEPTANCE, "b": {k: [0] * len(v) for k, v in ACCEPTANCE.items()}})
    grades = PMCIndex.from_columns(frame).score(frame)["grade"]
    assert isinstance(grades.dtype, pd.CategoricalDtype)
    assert grades.cat.ordered
    assert list(grades.cat.categories) == ["Bad", "Acceptable", "Excellent", "Perfect"]
    assert grades["a"] > grades["b"]


def test_grade_labels_follow_language_tags():
    bands = PMCBands.preset(10)
    assert bands.labels("zh") == ["不良", "可接受", "优秀", "完美"]
    assert bands.labels("zh-CN") == bands.labels("zh_Hans") == bands.labels("zh")
    assert bands.labels("fr") == bands.labels() == ["Bad", "Acceptable", "Excellent", "Perfect"]
    assert pmc.GRADE_LABELS == {"Perfect": "完美", "Excellent": "优秀", "Acceptable": "可接受", "Bad": "不良"}


def test_missing_or_nan_pmc_has_no_grade():
    grades = PMCBands.preset(10).grade([np.nan, -0.5, 3])
    assert pd.isna(grades[0]) and pd.isna(grades[1])
    assert grades[2] == "Bad"


@pytest.mark.parametrize(
    "bands",
    [
        {"Top": 6, "Middle": 3, "Bottom": 0},
        {"Top": [6, 8], "Middle": [3, 5.99], "Bottom": [0, 2.99]},
        [("Bottom", 0, 2.99), ("Top", 6, 8), ("Middle", 3, 5.99)],
        [
            {"label": "Top", "min": 6, "max": 8, "labels": {"zh": "高"}},
            {"label": "Middle", "min": 3},
            {"label": "Bottom", "lower": 0, "upper": 2.99},
        ],
        [PMCBand("Top", 6), PMCBand("Middle", 3), PMCBand("Bottom", 0)],
        PMCBands({"Top": 6, "Middle": 3, "Bottom": 0}),
    ],
)
def test_custom_bands_in_every_form(bands):
    index = PMCIndex({f"X{i}": [f"X{i}_1", f"X{i}_2"] for i in range(1, 9)}, bands=bands)
    assert index.bands.labels() == ["Bottom", "Middle", "Top"]
    frame = pd.DataFrame(
        [[1, 1] * 6 + [0, 0] * 2, [1, 0] * 6 + [0, 0] * 2, [1, 0] * 5 + [0, 0] * 3],
        columns=list(index.columns),
        index=["six", "three", "two and a half"],
    )
    result = index.score(frame)
    assert result["PMC"].tolist() == [6.0, 3.0, 2.5]
    assert result["grade"].tolist() == ["Top", "Middle", "Bottom"]


def test_custom_band_chinese_labels():
    bands = PMCBands([{"label": "Good", "min": 2, "labels": {"zh": "良好"}}, {"label": "Bad", "min": 0}])
    assert bands.labels("zh") == ["不良", "良好"]  # the published grade keeps its Chinese term


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ({"A": [0, 5.5], "B": [5, 8]}, "overlap"),
        ({"A": [0, 4], "B": [5, 8]}, "leave a gap between 4 .'A'. and 5"),
        ({"A": 0, "B": 0}, "both start at 0"),
        ({"Good": 0, "good": 3}, "given twice"),
        ({"A": [3, 1]}, "below its lower bound"),
        ({"A": "zero"}, "cannot read a PMC grade band"),
        ({"A": float("inf")}, "finite number"),
        ({"A": True}, "cannot read a PMC grade band|finite number"),
        ([{"label": "A"}], "needs its lowest PMC"),
        ([{"label": "A", "min": 0, "colour": "red"}], "unknown key"),
        ([], "at least one band"),
        ("Perfect", "must be a mapping"),
        ([("A", 0), ("B", 5, 8)], None),
    ],
)
def test_invalid_bands(bands, message):
    if message is None:
        assert PMCBands(bands).labels() == ["A", "B"]
        return
    with pytest.raises(InvalidFrameworkError, match=message):
        PMCBands(bands)


def test_bands_must_cover_zero_to_n():
    variables = {f"X{i}": [f"X{i}_1"] for i in range(1, 6)}
    with pytest.raises(InvalidFrameworkError, match="start at 1"):
        PMCIndex(variables, bands={"Good": 3, "Fair": 1})
    with pytest.raises(InvalidFrameworkError, match="end at 4, but 5 first-level variables"):
        PMCIndex(variables, bands={"Good": [3, 4], "Fair": [0, 2.99]})
    assert PMCIndex(variables, bands={"Good": [3, 5], "Fair": [0, 2.99]}).bands.labels() == ["Fair", "Good"]


def test_missing_bands_for_eight_variables_is_an_error():
    frame = pd.DataFrame([[1, 0] * 8], columns=[f"X{i}_{j}" for i in range(1, 9) for j in (1, 2)])
    index = PMCIndex.from_columns(frame)
    assert index.bands is None
    for call in (lambda: index.score(frame), lambda: index.compare(frame)):
        with pytest.raises(
            InvalidFrameworkError, match=r"no published PMC grade bands for 8 first-level variables"
        ):
            call()
    with pytest.raises(InvalidFrameworkError, match="presets exist for 9 and 10"):
        PMCBands.preset(8)
    # PMC itself needs no bands.
    assert PMCScale().score(frame).tolist() == [4.0]
    assert PMCIndex.from_columns(frame, bands={"Good": 4, "Poor": 0}).score(frame).loc[0, "grade"] == "Good"


def test_preset_bands_are_the_published_ones():
    assert PMCBands.preset(10).to_frame().to_dict("list") == {
        "grade": ["Bad", "Acceptable", "Excellent", "Perfect"],
        "lower": [0, 5, 7, 9],
        "upper": [4.99, 6.99, 8.99, 10],
    }
    assert PMCBands.preset(9).to_frame().to_dict("list") == {
        "grade": ["Bad", "Acceptable", "Excellent", "Perfect"],
        "lower": [0, 4, 6, 8],
        "upper": [3.99, 5.99, 7.99, 9],
    }
    with pytest.raises(InvalidFrameworkError, match="must be an integer"):
        PMCBands.preset(9.0)


def test_bands_are_values():
    assert PMCBands.preset(10) == PMCBands(PMCBands.preset(10))
    assert hash(PMCBands.preset(10)) == hash(PMCBands.preset(10))
    assert PMCBands.preset(10) != PMCBands.preset(9)
    assert pickle.loads(pickle.dumps(PMCBands.preset(9))) == PMCBands.preset(9)
    assert len(PMCBands.preset(9)) == 4
    assert [band.label for band in PMCBands.preset(9)] == ["Bad", "Acceptable", "Excellent", "Perfect"]


# --------------------------------------------------------------------------
# The PMC surface.


def test_surface_shape_and_values():
    frame = acceptance_frame()
    index = PMCIndex.from_columns(frame)
    surface = index.surface(frame.loc["P1"])
    assert surface.shape == (3, 3)
    np.testing.assert_allclose(surface.to_numpy(), np.reshape(ACCEPTANCE_MEANS[:9], (3, 3)))
    assert surface.loc[1, 1] == pytest.approx(0.8)  # X1
    assert surface.loc[2, 3] == pytest.approx(1.0)  # X6
    assert surface.loc[3, 1] == pytest.approx(0.4)  # X7
    assert surface.attrs["variables"] == [["X1", "X2", "X3"], ["X4", "X5", "X6"], ["X7", "X8", "X9"]]
    assert surface.attrs["policy"] == "P1"
    assert list(surface.index) == list(surface.columns) == [1, 2, 3]


def test_surface_from_a_one_row_frame_or_a_score_row():
    frame = acceptance_frame()
    index = PMCIndex.from_columns(frame)
    expected = index.surface(frame.loc["P1"])
    pd.testing.assert_frame_equal(index.surface(frame), expected)
    pd.testing.assert_frame_equal(index.surface(index.score(frame).loc["P1"]), expected)


def test_surface_layout():
    index = PMCIndex({f"X{i}": [f"X{i}_1"] for i in range(1, 11)})
    assert index.surface_layout().to_numpy().tolist() == [
        ["X1", "X2", "X3"],
        ["X4", "X5", "X6"],
        ["X7", "X8", "X9"],
    ]


def test_surface_errors():
    small = PMCIndex({f"X{i}": [f"X{i}_1"] for i in range(1, 9)}, bands={"Any": 0})
    with pytest.raises(ValidationError, match="at least nine first-level variables; this index has 8"):
        small.surface(pd.Series({c: 1 for c in small.columns}))
    frame = policy_frame({"a": ACCEPTANCE, "b": ACCEPTANCE})
    index = PMCIndex.from_columns(frame)
    with pytest.raises(ValidationError, match="one policy; got 2 rows"):
        index.surface(frame)
    with pytest.raises(ValidationError, match="sub-variable column"):
        index.surface(pd.Series({"X1_1": 1}))
    with pytest.raises(ValidationError, match="Series or one-row DataFrame"):
        index.surface([1, 0])
    scored = index.score(frame).loc["a"].copy()
    scored["X2"] = 1.5
    with pytest.raises(ValidationError, match="between 0 and 1"):
        index.surface(scored)


# --------------------------------------------------------------------------
# Comparing policies.


def compare_frame() -> pd.DataFrame:
    ones = {k: [1] * len(v) for k, v in ACCEPTANCE.items()}
    zeros = {k: [0] * len(v) for k, v in ACCEPTANCE.items()}
    return policy_frame({"accept": ACCEPTANCE, "full": ones, "none": zeros, "accept2": ACCEPTANCE})


def test_compare_ranks_and_means():
    frame = compare_frame()
    table = PMCIndex.from_columns(frame).compare(frame)
    assert list(table.columns) == ["accept", "full", "none", "accept2", "mean"]
    assert list(table.index) == [*(f"X{i}" for i in range(1, 11)), "PMC", "concavity", "rank", "grade"]
    assert table.loc["rank", ["accept", "full", "none", "accept2"]].tolist() == [2, 1, 4, 2]  # ties share
    assert table.loc["grade"].tolist() == ["Excellent", "Perfect", "Bad", "Excellent", "Acceptable"]
    pmc_values = [sum(ACCEPTANCE_MEANS), 10.0, 0.0, sum(ACCEPTANCE_MEANS)]
    assert table.loc["PMC", "mean"] == pytest.approx(np.mean(pmc_values))
    assert table.loc["X1", "mean"] == pytest.approx((0.8 + 1 + 0 + 0.8) / 4)
    assert pd.isna(table.loc["rank", "mean"])


def test_compare_in_chinese_and_rounded():
    frame = compare_frame()
    table = PMCIndex.from_columns(frame).compare(frame, language="zh", decimals=2)
    assert list(table.index)[-4:] == ["PMC指数", "凹陷指数", "排名", "等级"]
    assert table.columns[-1] == "均值"
    assert table.index.name == "变量"
    assert table.loc["PMC指数", "accept"] == 7.28
    assert table.loc["等级"].tolist() == ["优秀", "完美", "不良", "优秀", "可接受"]


def test_compare_with_one_policy():
    frame = acceptance_frame()
    table = PMCIndex.from_columns(frame).compare(frame)
    assert table.loc["rank", "P1"] == 1
    assert table.loc["PMC", "mean"] == pytest.approx(table.loc["PMC", "P1"])


# --------------------------------------------------------------------------
# Properties over random variable systems.


@st.composite
def systems(draw):
    """A variable system (sub-variable counts) and a binary matrix of policies."""
    counts = draw(st.lists(st.integers(1, 6), min_size=1, max_size=12))
    n_policies = draw(st.integers(1, 8))
    width = sum(counts)
    bits = draw(
        st.lists(
            st.lists(st.integers(0, 1), min_size=width, max_size=width),
            min_size=n_policies,
            max_size=n_policies,
        )
    )
    columns = [f"X{i}_{j}" for i, count in enumerate(counts, start=1) for j in range(1, count + 1)]
    frame = pd.DataFrame(bits, columns=columns, index=[f"P{k}" for k in range(n_policies)])
    return counts, frame


def reference_pmc(counts: list[int], bits: list[int]) -> float:
    """The PMC index in plain Python, straight from the definition."""
    total, position = 0.0, 0
    for count in counts:
        total += sum(bits[position : position + count]) / count
        position += count
    return total


properties = settings(max_examples=80, deadline=None)


@properties
@given(systems())
def test_pmc_lies_between_zero_and_n_and_concavity_is_the_rest(system):
    counts, frame = system
    n = len(counts)
    index = PMCIndex.from_columns(frame, bands={"Any": 0})
    result = index.score(frame)
    assert ((result["PMC"] >= -1e-12) & (result["PMC"] <= n + 1e-12)).all()
    np.testing.assert_allclose(result["concavity"], n - result["PMC"])
    variables = result[list(index.variable_names)]
    assert ((variables >= 0) & (variables <= 1)).all().all()
    np.testing.assert_allclose(variables.sum(axis=1), result["PMC"])
    expected = [reference_pmc(counts, row) for row in frame.to_numpy().tolist()]
    np.testing.assert_allclose(result["PMC"], expected)
    scale = PMCScale()
    assert scale.score(frame).tolist() == pytest.approx(expected)


@properties
@given(systems(), st.randoms(use_true_random=False))
def test_scores_do_not_depend_on_row_or_column_order(system, random):
    counts, frame = system
    index = PMCIndex.from_columns(frame, bands={"High": len(counts) / 2, "Low": 0})
    expected = index.score(frame)
    rows = list(frame.index)
    random.shuffle(rows)
    columns = list(frame.columns)
    random.shuffle(columns)
    shuffled = frame.loc[rows, columns]
    result = index.score(shuffled)
    assert list(result.index) == rows
    pd.testing.assert_frame_equal(result.loc[expected.index], expected)
    # A fresh index found in the shuffled columns sees the same system.
    assert PMCIndex.from_columns(shuffled, bands={"High": len(counts) / 2, "Low": 0}) == index


@properties
@given(st.floats(0, 10, allow_nan=False), st.sampled_from([9, 10]))
def test_preset_grades_are_monotone(value, n):
    bands = PMCBands.preset(n)
    value = min(value, n)
    lower, higher = bands.grade([value, min(value + 0.5, n)]).codes
    assert higher >= lower >= 0


# --------------------------------------------------------------------------
# The scale and the framework.


def test_scale_dimensions_come_from_the_variables():
    scale = PMCScale({"X1": ["X1_1", "X1_2"], "X2": ["X2.1"]})
    assert scale.dimension_keys == ("X1_1", "X1_2", "X2_1")
    assert [d.label for d in scale.dimensions] == ["X1_1", "X1_2", "X2.1"]
    for dimension in scale.dimensions:
        assert sorted(dimension.scores) == [0, 1]
        assert dimension.unit == "document"
        assert dimension.level("是").score == 1
    assert (scale.min_score, scale.max_score) == (0.0, 2.0)
    assert scale.name == "PMC"
    assert isinstance(scale, pq.EfficacyScale)


def test_scale_accepts_column_names_or_dimension_keys():
    scale = PMCScale({"X1": ["X1.1", "X1.2"], "X2": ["X2.1"]})
    by_name = pd.DataFrame({"X1.1": [1], "X1.2": [0], "X2.1": [1]})
    by_key = by_name.rename(columns=lambda c: c.replace(".", "_"))
    assert scale.score(by_name).tolist() == scale.score(by_key).tolist() == [1.5]
    assert scale.score_columns({"X1_1": [1, 0], "X1_2": [1, 0], "X2_1": [1, 0]}).tolist() == [2.0, 0.0]
    assert scale.coerce_frame(by_key).columns.tolist() == ["X1.1", "X1.2", "X2.1"]


def test_inferring_scale():
    scale = PMCScale()
    assert scale.dimensions == ()
    assert scale.index is None
    assert math.isnan(scale.max_score)
    assert scale.min_score == 0.0
    with pytest.raises(ValidationError, match="no PMC sub-variable columns"):
        scale.score(pd.DataFrame({"a": [1]}))
    with pytest.raises(ValidationError, match=r"pandas\.DataFrame"):
        scale.score({"X1_1": [1]})


def test_scale_checks_frames_like_every_scale():
    scale = PMCScale({"X1": ["X1_1", "X1_2"]})
    with pytest.raises(ValidationError, match="missing"):
        scale.check_frame(pd.DataFrame({"X1_1": [1]}))
    with pytest.raises(ScoreError):
        scale.coerce_columns({"X1_1": [1], "X1_2": ["maybe"]})
    assert scale.coerce_columns({"X1_1": [True], "X1_2": [0]}) == {
        "X1_1": pytest.approx([1.0]),
        "X1_2": pytest.approx([0.0]),
    }


def test_scales_and_indexes_are_values():
    a = PMCScale({"X1": ["X1_1"]}, bands={"Any": 0})
    b = PMCScale({"X1": ["X1_1"]}, bands={"Any": 0})
    assert a == b and hash(a) == hash(b)
    assert a != PMCScale({"X1": ["X1_1", "X1_2"]}, bands={"Any": 0})
    assert pickle.loads(pickle.dumps(a)) == a
    index = PMCIndex.from_columns(acceptance_frame())
    assert pickle.loads(pickle.dumps(index)) == index
    assert "10 variables" in repr(index)
    assert "found in each frame" in repr(PMCScale())


def test_a_framework_with_a_fixed_pmc_scale_has_a_codebook():
    framework = pq.Framework("pmc-demo", "PMC demo", scale=PMCScale({"X1": ["X1_1", "X1_2"]}))
    book = framework.codebook(language="zh")
    assert book["key"].tolist() == ["X1_1=1", "X1_1=0", "X1_2=1", "X1_2=0"]
    assert book["label"].tolist() == ["是", "否", "是", "否"]
    assert set(book["unit"]) == {"document"}


def test_pmc_framework():
    framework = pmc_framework()
    assert framework.name == "pmc"
    assert framework.parts == ("scale",)
    assert framework.citation.startswith(
        "Ruiz Estrada, M. A. (2011). Policy modeling: Definition, classification"
    )
    assert "Journal of Policy Modeling, 33(4), 523-536" in framework.citation
    assert framework.version == "2011"
    assert isinstance(framework.scale, PMCScale)
    assert round(float(framework.scale.score(acceptance_frame())["P1"]), 4) == 7.2833


def test_registered_through_the_plugin_hooks():
    registry = registry_with_pmc()
    framework = registry.get("pmc")
    assert registry.get("PMC-index") is framework
    assert isinstance(framework.scale, PMCScale)
    assert registry.entry("pmc").plugin == PMC_MODULE
    assert registry.entry("pmc").builtin
    assert registry.scale_types()["pmc"] == PMC_MODULE
    factory = registry.scale_type("pmc")
    scale = factory(
        {"variables": {"X1": ["X1_1", "X1_2"], "X2": ["X2_1"]}, "bands": {"Good": 1, "Poor": 0}}, ()
    )
    assert isinstance(scale, PMCScale)
    assert scale.max_score == 2.0
    assert registry.to_frame().set_index("name").loc["pmc", "scale"] == "PMC"
    # The other built-ins are untouched.
    assert {"wang2026", "howlett-ramesh-1995"} <= set(registry.names())
    assert registry.scale_types()["formula"] == "policyquant.frameworks.scales"


def test_without_the_module_there_is_no_pmc_framework():
    plugins = tuple(p for p in DEFAULT_PLUGINS if p != PMC_MODULE)
    registry = FrameworkRegistry(default_plugins=plugins, entry_point_group=None)
    assert "pmc" not in registry.names()
    with pytest.raises(pq.UnknownFrameworkError):
        registry.scale_type("pmc")


def test_scale_type_factory_forms():
    # A list of columns to find the variables in.
    assert pmc_scale({"variables": ["X1.1", "X1.2", "X2.1"]}, ()).index.variables == {
        "X1": ("X1.1", "X1.2"),
        "X2": ("X2.1",),
    }
    # No variables: the framework's dimensions name them, and are kept.
    yes_no = [pq.Level(1, "Covered"), pq.Level(0, "Not covered")]
    dims = (pq.Dimension("X2_1", "Incentives: tax", yes_no), pq.Dimension("X1_1", "Nature: guiding", yes_no))
    scale = pmc_scale({"bands": [{"label": "Good", "min": 1}, {"label": "Poor", "min": 0}]}, dims)
    assert scale.dimension_keys == ("X1_1", "X2_1")
    assert scale.dimension("X1_1").label == "Nature: guiding"
    assert scale.bands.labels() == ["Poor", "Good"]
    # Nothing: the scale finds the variables in each frame.
    assert pmc_scale({}, ()).index is None


@pytest.mark.parametrize(
    "scale",
    [
        PMCScale({"X1": ["X1_1", "X1_2"], "X2": ["X2.1"]}),
        PMCScale({"X1": ["X1_1"], "X2": ["X2_1"]}, bands={"Good": [1, 2], "Poor": [0, 0.99]}),
        PMCScale({"A": ["a1", "a2"]}, bands=[{"label": "Fine", "min": 0, "labels": {"zh": "好"}}]),
    ],
)
def test_toml_spec_rebuilds_an_equal_scale(scale):
    kind, spec = scale.toml_spec()
    assert kind == "pmc"
    assert "type" not in spec and "dimensions" not in spec
    assert pmc_scale(spec, scale.dimensions) == scale


def test_a_scale_without_variables_has_no_toml_spec():
    assert PMCScale().toml_spec is None
    assert PMCScale(bands={"Any": 0}).toml_spec is None


def test_written_as_toml_and_read_back():
    declarative = pytest.importorskip("policyquant.declarative")
    framework = pq.Framework(
        "pmc-demo",
        "PMC demo",
        scale=PMCScale({"X1": ["X1_1", "X1_2"], "X2": ["X2.1"]}, bands={"Good": 1, "Poor": 0}),
    )
    text = declarative.framework_to_toml(framework)
    assert 'type = "pmc"' in text
    assert declarative.load_framework(text, registry=registry_with_pmc()) == framework
    assert not declarative.is_writable(pmc_framework())


@pytest.mark.parametrize(
    ("spec", "dims", "message"),
    [
        ({"formula": "X1"}, (), "unknown key.*formula"),
        ({"variables": "X1_1"}, (), "variables must be a table"),
        ({"variables": ["X1_1", "X1_a"]}, (), "not named like one"),
        ({"variables": {"X1": []}}, (), "has no sub-variables"),
        ({"bands": {"A": [0, 4], "B": [5, 8]}}, (), "gap"),
        ({}, (pq.Dimension("X1_1", "x", [pq.Level(2, "two"), pq.Level(0, "none")]),), "levels 0 and 1"),
        (
            {"variables": {"X1": ["X1_1", "X1_2"]}},
            (pq.Dimension("X1_1", "x", [pq.Level(1, "y"), pq.Level(0, "n")]),),
            "do not match",
        ),
        ("type = 'pmc'", (), "described by a table"),
    ],
)
def test_scale_type_factory_errors(spec, dims, message):
    with pytest.raises(InvalidFrameworkError, match=message):
        pmc_scale(spec, dims)


def test_importing_the_module_does_not_import_matplotlib():
    code = "import sys, policyquant.frameworks.pmc; print('matplotlib' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "False"


# --------------------------------------------------------------------------
# Figures.

ZH_LABELS = {
    "X1": "政策性质",
    "X2": "政策时效",
    "X3": "发布机构",
    "X4": "政策领域",
    "X5": "政策内容",
    "X6": "激励措施",
    "X7": "政策评价",
    "X8": "政策重点",
    "X9": "政策对象",
    "X10": "政策公开",
}


def texts_of(fig) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def save(fig, path: Path) -> None:
    fig.savefig(path, dpi=60)
    assert path.stat().st_size > 5_000


@pytest.mark.parametrize("language", [None, "zh"])
def test_surface_plot_renders(language, tmp_path):
    frame = acceptance_frame()
    fig = pmc_surface_plot(frame.loc["P1"], language=language)
    ax = fig.axes[0]
    assert ax.name == "3d"
    texts = texts_of(fig)
    if language is None:
        assert ax.get_title() == "PMC surface: P1"
        assert {"Column", "Row", "Score"} <= set(texts)
    else:
        assert ax.get_title() == "P1的PMC曲面图"
        assert {"列", "行", "得分"} <= set(texts)
        name = plotting.cjk_font()
        if name is not None:
            assert ax.title.get_fontfamily()[0] == name
    assert "X1\n0.80" in texts and "X9\n0.67" in texts
    assert len(fig.axes) == 2  # the surface and its colour bar
    save(fig, tmp_path / f"surface-{language or 'en'}.png")


def test_surface_plot_inputs_agree():
    frame = acceptance_frame()
    index = PMCIndex.from_columns(frame)
    for data in (frame, frame.loc["P1"], index.score(frame), index.surface(frame.loc["P1"])):
        fig = pmc_surface_plot(data)
        assert "X6\n1.00" in texts_of(fig)
        plt.close(fig)
    fig = pmc_surface_plot(np.full((3, 3), 0.5), annotate=False, title="")
    assert fig.axes[0].get_title() == ""
    assert not [t for t in texts_of(fig) if "\n" in t]


def test_surface_plot_on_a_given_axes_and_errors():
    frame = acceptance_frame()
    fig = plt.figure()
    ax = fig.add_subplot(projection="3d")
    assert pmc_surface_plot(frame.loc["P1"], ax=ax, title="Mine") is fig
    assert ax.get_title() == "Mine"
    assert len(fig.axes) == 1  # no colour bar on a given Axes
    _, flat = plt.subplots()
    with pytest.raises(ValidationError, match="3-D Axes"):
        pmc_surface_plot(frame.loc["P1"], ax=flat)
    with pytest.raises(ValidationError, match="one policy; got 2 rows"):
        pmc_surface_plot(policy_frame({"a": ACCEPTANCE, "b": ACCEPTANCE}))
    with pytest.raises(ValidationError, match="at least nine"):
        pmc_surface_plot(pd.Series({"X1_1": 1, "X2_1": 0}))
    with pytest.raises(ValidationError, match="language"):
        pmc_surface_plot(frame.loc["P1"], language="")


@pytest.mark.parametrize("language", [None, "zh"])
def test_radar_renders(language, tmp_path):
    frame = compare_frame()
    labels = ZH_LABELS if language == "zh" else None
    fig = pmc_radar(frame, policies=["accept", "none"], labels=labels, language=language)
    ax = fig.axes[0]
    assert ax.name == "polar"
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    if language is None:
        assert ticks == [f"X{i}" for i in range(1, 11)]
        assert legend == ["accept (PMC = 7.28, Excellent)", "none (PMC = 0.00, Bad)"]
        assert ax.get_title() == "PMC index by first-level variable"
    else:
        assert ticks == list(ZH_LABELS.values())
        assert legend == ["accept（PMC = 7.28，优秀）", "none（PMC = 0.00，不良）"]
        assert ax.get_legend().get_title().get_text() == "政策"
        name = plotting.cjk_font()
        if name is not None:
            assert ax.get_xticklabels()[0].get_fontfamily()[0] == name
    assert len(ax.lines) == 2
    save(fig, tmp_path / f"radar-{language or 'en'}.png")


def test_radar_from_a_score_table_translates_grades():
    frame = compare_frame()
    table = PMCIndex.from_columns(frame).score(frame)
    fig = pmc_radar(table, language="zh")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend[1] == "full（PMC = 10.00，完美）"
    series_fig = pmc_radar(frame.loc["full"])
    assert [t.get_text() for t in series_fig.axes[0].get_legend().get_texts()] == [
        "full (PMC = 10.00, Perfect)"
    ]


def test_radar_without_bands_shows_pmc_only():
    frame = pd.DataFrame([[1, 0, 1, 1]], columns=["X1_1", "X2_1", "X3_1", "X3_2"], index=["P"])
    fig = pmc_radar(frame)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["P (PMC = 2.00)"]


def test_radar_on_a_given_axes_and_errors():
    frame = compare_frame()
    fig = plt.figure()
    ax = fig.add_subplot(projection="polar")
    assert pmc_radar(frame, ax=ax) is fig
    _, flat = plt.subplots()
    with pytest.raises(ValidationError, match="polar Axes"):
        pmc_radar(frame, ax=flat)
    with pytest.raises(ValidationError, match="no such policy: 'nope'"):
        pmc_radar(frame, policies=["nope"])
    with pytest.raises(ValidationError, match="at least three"):
        pmc_radar(pd.DataFrame({"X1_1": [1], "X2_1": [0]}))
    with pytest.raises(ValidationError, match="DataFrame"):
        pmc_radar([1, 0])
