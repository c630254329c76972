"""Tests of efficacy scales: FormulaScale scoring, its errors and bounds, dimensions, custom scales."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import policyquant as pq
from policyquant.model import level_combinations


@pytest.fixture(scope="module")
def ape() -> pq.FormulaScale:
    return pq.get_framework("wang2026").scale


def dim(key: str, scores, unit: str = "unit") -> pq.Dimension:
    return pq.Dimension(key, key.upper(), [pq.Level(s, f"{key} level {s}") for s in scores], unit=unit)


AS_EXPECTED = (
    "expected 5 (All departments, fields or scenarios), 3 (Several departments, fields or scenarios), "
    "1 (A single department, field or scenario)"
)


# --------------------------------------------------------------------------
# Scoring.


def test_score_numbers(ape):
    frame = pd.DataFrame({"DA": [5, 3, 1, 4, 2], "AS": [5, 3, 1, 1, 3], "MI": [5, 1, 1, 3, 5]})
    result = ape.score(frame)
    assert isinstance(result, pd.Series)
    assert result.name == "APE"
    assert result.dtype == np.float64
    assert result.tolist() == [50.0, 12.0, 2.0, 16.0, 16.0]
    pd.testing.assert_index_equal(result.index, frame.index)


def test_score_numeric_strings_and_floats(ape):
    frame = pd.DataFrame({"DA": ["5", " 3 ", "1.0"], "AS": [5.0, 3.0, 1.0], "MI": ["5", "1", "3"]})
    assert ape.score(frame).tolist() == [50.0, 12.0, 4.0]


def test_score_level_labels(ape):
    frame = pd.DataFrame(
        {
            "DA": [
                "部门规章",
                "Administrative regulations",
                "working documents",
                "规范性文件",
                "ＳＴＡＴＥ council normative documents",
            ],
            "AS": [
                "全部部门、领域或场景",
                "Several departments, fields or scenarios",
                1,
                "3",
                "a single department, field or scenario",
            ],
            "MI": [
                "仅宏观表述",
                "detailed and highly implementable",
                "Fairly clear and implementable",
                5,
                "措施较明确、可操作",
            ],
        }
    )
    assert ape.score(frame).tolist() == [3 * (5 + 1), 5 * (3 + 5), 1 * (1 + 3), 2 * (3 + 5), 4 * (1 + 3)]


def test_score_aliases_from_the_study(ape):
    frame = pd.DataFrame(
        {
            "DA": ["Departmental normative documents / provincial normative documents", "工作文件"],
            "AS": [5, 5],
            "MI": [5, 5],
        }
    )
    assert ape.score(frame).tolist() == [20.0, 10.0]


def test_score_preserves_the_index_and_ignores_other_columns(ape):
    index = pd.Index(["doc7-c2", "doc1-c1", "doc3-c9"], name="unit")
    frame = pd.DataFrame(
        {"text": ["a", "b", "c"], "MI": [1, 3, 5], "AS": [1, 3, 5], "DA": [1, 3, 5]}, index=index
    )
    result = ape.score(frame)
    pd.testing.assert_index_equal(result.index, index)
    assert result.to_dict() == {"doc7-c2": 2.0, "doc1-c1": 18.0, "doc3-c9": 50.0}
    # the input is not modified
    assert frame.columns.tolist() == ["text", "MI", "AS", "DA"]
    assert frame["DA"].tolist() == [1, 3, 5]


def test_score_duplicate_and_non_default_index(ape):
    frame = pd.DataFrame({"DA": [5, 1, 3], "AS": [5, 1, 3], "MI": [5, 1, 3]}, index=[10, 10, -4])
    result = ape.score(frame)
    assert result.index.tolist() == [10, 10, -4]
    assert result.tolist() == [50.0, 2.0, 18.0]


def test_score_nullable_and_categorical_columns(ape):
    frame = pd.DataFrame(
        {
            "DA": pd.Series([5, 3], dtype="Int64"),
            "AS": pd.Series(["5", "3"], dtype="category"),
            "MI": pd.Series(["5", "仅宏观表述"], dtype="string"),
        }
    )
    assert ape.score(frame).tolist() == [50.0, 12.0]


def test_score_empty_frame(ape):
    result = ape.score(pd.DataFrame({"DA": [], "AS": [], "MI": []}))
    assert result.empty
    assert result.name == "APE"
    assert result.dtype == np.float64


def test_constant_formula_scores_every_row():
    scale = pq.FormulaScale([dim("a", [1, 2])], "7", name="seven")
    assert scale.score(pd.DataFrame({"a": [1, 2, 2]})).tolist() == [7.0, 7.0, 7.0]
    assert (scale.min_score, scale.max_score) == (7.0, 7.0)


def test_score_error_for_a_value_that_is_not_a_level(ape):
    frame = pd.DataFrame({"DA": [2], "AS": [4], "MI": [3]})
    expected = f"1 score is not a level of its dimension:\n  - row 0, column 'AS', value 4: not a level of AS (Audience scope); {AS_EXPECTED}"
    with pytest.raises(pq.ScoreError, match=f"^{re.escape(expected)}$") as info:
        ape.score(frame)
    error = info.value
    assert isinstance(error, pq.ValidationError)
    problems = error.problems
    assert list(problems.columns) == ["file", "row", "column", "value", "problem", "expected", "suggestions"]
    assert len(problems) == 1
    row = problems.iloc[0]
    assert (row["row"], row["column"], row["value"]) == (0, "AS", 4)
    assert row["problem"] == "not a level of AS (Audience scope)"
    assert re.fullmatch(r"5 \(.+\), 3 \(.+\), 1 \(.+\)", row["expected"])


def test_score_error_names_the_row_label_and_source(ape):
    frame = pd.DataFrame({"DA": [2, 3], "AS": [5, 4], "MI": [3, 3]}, index=["u1", "u2"])
    with pytest.raises(
        pq.ScoreError, match=r"units\.csv, row u2, column 'AS', value 4: not a level of AS"
    ) as info:
        ape.score(frame, source="units.csv")
    assert info.value.problems.loc[0, "file"] == "units.csv"
    assert info.value.problems.loc[0, "row"] == "u2"


def test_score_error_suggests_close_labels(ape):
    frame = pd.DataFrame({"DA": ["Departmental rule"], "AS": [5], "MI": [5]})
    with pytest.raises(
        pq.ScoreError, match=r"value 'Departmental rule': .*did you mean Departmental rules\?"
    ) as info:
        ape.score(frame)
    assert info.value.problems.loc[0, "suggestions"] == "Departmental rules"


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA])
def test_missing_values_are_reported_as_missing_score(ape, missing):
    frame = pd.DataFrame({"DA": pd.Series([5, missing, 3], dtype=object), "AS": [5, 5, 5], "MI": [5, 5, 5]})
    with pytest.raises(
        pq.ScoreError,
        match=r"^1 score is not a level of its dimension:\n  - row 1, column 'DA': missing score; expected 5 \(",
    ) as info:
        ape.score(frame)
    problems = info.value.problems
    assert problems["problem"].tolist() == ["missing score"]
    assert problems["row"].tolist() == [1]
    assert problems["column"].tolist() == ["DA"]
    assert pd.isna(problems.loc[0, "value"])


def test_many_problems_are_collected_in_one_error(ape):
    frame = pd.DataFrame(
        {
            "DA": [6, 5, None, "部门规章"],
            "AS": [5, 4, 3, 2],
            "MI": ["nope", 5, 5, 0],
        },
        index=["r0", "r1", "r2", "r3"],
    )
    with pytest.raises(pq.ScoreError, match=r"^6 scores are not a level of their dimension:\n") as info:
        ape.score(frame)
    problems = info.value.problems
    assert len(problems) == 6
    assert list(zip(problems["column"], problems["row"], strict=True)) == [
        ("DA", "r0"),
        ("DA", "r2"),
        ("AS", "r1"),
        ("AS", "r3"),
        ("MI", "r0"),
        ("MI", "r3"),
    ]
    assert problems["problem"].tolist() == [
        "not a level of DA (Authority strength)",
        "missing score",
        "not a level of AS (Audience scope)",
        "not a level of AS (Audience scope)",
        "not a level of MI (Measure intensity)",
        "not a level of MI (Measure intensity)",
    ]
    message = str(info.value)
    for fragment in (
        "row r0, column 'DA', value 6",
        "row r2, column 'DA'",
        "row r1, column 'AS', value 4",
        "row r3, column 'AS', value 2",
        "row r0, column 'MI', value 'nope'",
        "row r3, column 'MI', value 0",
    ):
        assert fragment in message


def test_missing_value_in_a_numeric_column_is_not_shown_as_nan(ape):
    frame = pd.DataFrame({"DA": [5, 5], "AS": [4, np.nan], "MI": [5, 5]})
    with pytest.raises(pq.ScoreError) as info:
        ape.score(frame)
    assert "row 1, column 'AS': missing score" in str(info.value)


def test_missing_column_is_a_validation_error(ape):
    frame = pd.DataFrame({"DA": [5], "As": [5]})
    with pytest.raises(
        pq.ValidationError,
        match=r"^cannot score: 2 dimension column\(s\) missing:\n  - sheet\.xlsx, column 'AS': missing column; expected one column per dimension: DA, AS, MI; did you mean As\?\n  - sheet\.xlsx, column 'MI': missing column",
    ) as info:
        ape.score(frame, source="sheet.xlsx")
    assert not isinstance(info.value, pq.ScoreError)
    problems = info.value.problems
    assert problems["column"].tolist() == ["AS", "MI"]
    assert problems["problem"].tolist() == ["missing column", "missing column"]
    assert problems["file"].tolist() == ["sheet.xlsx", "sheet.xlsx"]
    assert problems.loc[0, "suggestions"] == "As"
    assert problems.loc[0, "expected"] == "one column per dimension: DA, AS, MI"


@pytest.mark.parametrize(
    "frame",
    [
        {"DA": [5], "AS": [5], "MI": [5]},
        [[5, 5, 5]],
        pd.Series([5, 5, 5], index=["DA", "AS", "MI"]),
        None,
        "DA,AS,MI",
    ],
    ids=["dict", "list", "series", "none", "str"],
)
def test_non_dataframe_input_is_a_validation_error(ape, frame):
    expected = f"a scale scores a pandas.DataFrame with the columns DA, AS, MI, got {type(frame).__name__}"
    with pytest.raises(pq.ValidationError, match=f"^{re.escape(expected)}$"):
        ape.score(frame)


# --------------------------------------------------------------------------
# Bounds.


def test_ape_bounds(ape):
    assert ape.min_score == 2.0
    assert ape.max_score == 50.0
    assert isinstance(ape.min_score, float)


@pytest.mark.parametrize(
    ("formula", "scores", "bounds"),
    [
        ("a - b", {"a": [1, 2, 3], "b": [1, 5]}, (-4.0, 2.0)),
        ("(a - 3) ** 2", {"a": [1, 2, 3, 4, 5]}, (0.0, 4.0)),
        ("(a - 3) ** 2 + b", {"a": [5, 1, 2], "b": [0, 1]}, (1.0, 5.0)),
        ("-a * b", {"a": [-2, 1], "b": [-3, 4]}, (-6.0, 8.0)),
        ("abs(a - b)", {"a": [1, 4], "b": [2, 3]}, (1.0, 2.0)),
        ("max(a, b) / min(a, b)", {"a": [1, 4], "b": [2, 8]}, (2.0, 8.0)),
        ("a", {"a": [0.25, -0.5]}, (-0.5, 0.25)),
    ],
)
def test_bounds_of_non_monotone_formulas_are_exact(formula, scores, bounds):
    scale = pq.FormulaScale([dim(key, values) for key, values in scores.items()], formula)
    assert (scale.min_score, scale.max_score) == bounds
    combos = level_combinations(scale)
    values = scale.score(combos)
    assert (values.min(), values.max()) == bounds


def test_bounds_of_a_linear_formula_with_many_combinations():
    # 8 ** 7 combinations, beyond the exhaustive limit: extremes are combined instead.
    dims = [dim(f"d{i}", range(1, 9)) for i in range(7)]
    scale = pq.FormulaScale(dims, " + ".join(d.key for d in dims) + " - 2 * d0")
    # -d0 + d1 + ... + d6: lowest at d0 = 8 and the rest 1, highest at d0 = 1 and the rest 8
    assert (scale.min_score, scale.max_score) == (-8.0 + 6, -1.0 + 6 * 8)


@pytest.mark.parametrize(
    ("formula", "scores", "where"),
    [
        ("1 / a", {"a": [0, 1, 2]}, "inf when a = 0 (a level 0)"),
        ("a / (b - 3)", {"a": [1, 2], "b": [5, 3, 1]}, "inf when a = 1 (a level 1), b = 3 (b level 3)"),
        ("log(a)", {"a": [0, 1]}, "-inf when a = 0 (a level 0)"),
        ("sqrt(a)", {"a": [-1, 1]}, "nan when a = -1 (a level -1)"),
        ("(a - b) / (a - b)", {"a": [1, 2], "b": [1, 2]}, "nan when a = 1 (a level 1), b = 1 (b level 1)"),
    ],
)
def test_formula_not_finite_for_some_level_is_rejected(formula, scores, where):
    expected = (
        f"formula {formula!r} is not finite for every combination of levels: it is {where} "
        "(division by zero or log of zero?)"
    )
    with pytest.raises(pq.InvalidFrameworkError, match=f"^{re.escape(expected)}$"):
        pq.FormulaScale([dim(key, values) for key, values in scores.items()], formula)


# --------------------------------------------------------------------------
# Construction.


def test_formula_naming_an_unknown_dimension_is_rejected():
    with pytest.raises(
        pq.FormulaError, match=r"^formula 'DA \* \(AS \+ MI\)': unknown name 'MI' at column 12: 'MI'"
    ) as info:
        pq.FormulaScale([dim("DA", [1, 2]), dim("AS", [1, 3])], "DA * (AS + MI)")
    assert info.value.part == "MI"
    assert info.value.offset == 11


@pytest.mark.parametrize(("formula", "kind"), [(None, "NoneType"), (3, "int")])
def test_formula_must_be_text(formula, kind):
    with pytest.raises(pq.FormulaError, match=f"^a formula must be text, not {kind}$"):
        pq.FormulaScale([dim("a", [1])], formula)


def test_formula_scale_validation():
    with pytest.raises(pq.InvalidFrameworkError, match=r"^a scale needs at least one dimension$"):
        pq.FormulaScale([], "1")
    with pytest.raises(pq.InvalidFrameworkError, match=r"^duplicate dimension key 'a'$"):
        pq.FormulaScale([dim("a", [1]), dim("a", [2])], "a")
    with pytest.raises(
        pq.InvalidFrameworkError, match=r"^scale dimensions must be Dimension objects, got 'a'$"
    ):
        pq.FormulaScale(["a"], "a")
    with pytest.raises(
        pq.InvalidFrameworkError, match=r"^FormulaScale\.name 'my score' must not contain whitespace"
    ):
        pq.FormulaScale([dim("a", [1])], "a", name="my score")
    with pytest.raises(pq.InvalidFrameworkError, match=r"^FormulaScale\.name must not be empty$"):
        pq.FormulaScale([dim("a", [1])], "a", name="")
    with pytest.raises(pq.InvalidFrameworkError, match=r"^FormulaScale\.label must be text, got int$"):
        pq.FormulaScale([dim("a", [1])], "a", label=1)


def test_formula_scale_defaults_and_equality():
    scale = pq.FormulaScale([dim("a", [1, 2])], "a * 2")
    assert (scale.name, scale.label) == ("score", "")
    assert scale.score(pd.DataFrame({"a": [2]})).name == "score"
    same = pq.FormulaScale((dim("a", [1, 2]),), "a * 2")
    assert scale == same
    assert hash(scale) == hash(same)
    assert scale != pq.FormulaScale([dim("a", [1, 2])], "a * 3")
    assert scale != pq.FormulaScale([dim("a", [1, 2])], "a * 2", name="other")


def test_identifier_dimension_key_is_usable_in_a_formula():
    try:
        wide = pq.Dimension("ＤＡ", "Authority", [pq.Level(1, "low"), pq.Level(2, "high")])
    except pq.InvalidFrameworkError:
        return  # rejecting the key up front would also be consistent
    scale = pq.FormulaScale([wide], "ＤＡ * 2")
    assert scale.max_score == 4.0


def test_scale_dimension_lookup(ape):
    assert ape.dimension("AS").label == "Audience scope"
    with pytest.raises(
        pq.UnknownCategoryError,
        match=r"^the scale has no dimension 'As':\n  - value 'As': unknown dimension; expected DA, AS, MI",
    ) as info:
        ape.dimension("As")
    assert info.value.problems.loc[0, "suggestions"] == "AS"


# --------------------------------------------------------------------------
# Dimension.coerce and Dimension.level.


@pytest.fixture(scope="module")
def authority(ape) -> pq.Dimension:
    return ape.dimension("DA")


def test_coerce(authority):
    result = authority.coerce(
        pd.Series([5, "4", 3.0, "部门规章", "Normative documents", "ＷＯＲＫＩＮＧ　documents"])
    )
    assert isinstance(result, np.ndarray)
    assert result.dtype == np.float64
    assert result.tolist() == [5.0, 4.0, 3.0, 3.0, 2.0, 1.0]
    assert authority.coerce([1, 2]).tolist() == [1.0, 2.0]
    assert authority.coerce(np.array([4, 5])).tolist() == [4.0, 5.0]
    assert authority.coerce([]).tolist() == []


def test_coerce_errors_name_the_column_and_source(authority):
    with pytest.raises(
        pq.ScoreError,
        match=r"^2 values of DA are not a level of the scale:\n  - policy\.csv, row 7, column 'authority', value 0: not a level of DA",
    ) as info:
        authority.coerce(pd.Series([0, 5, "six"], index=[7, 8, 9]), source="policy.csv", column="authority")
    problems = info.value.problems
    assert problems["row"].tolist() == [7, 9]
    assert problems["column"].tolist() == ["authority", "authority"]
    assert problems["file"].tolist() == ["policy.csv", "policy.csv"]
    assert problems["value"].tolist() == [0, "six"]


@pytest.mark.parametrize(
    ("value", "score"),
    [
        (3, 3),
        (3.0, 3),
        ("3", 3),
        (np.int64(3), 3),
        ("Departmental rules", 3),
        ("  departmental   RULES ", 3),
        ("部门规章", 3),
        ("规范性文件", 2),
        ("Departmental normative documents / provincial normative documents", 2),
        ("工作文件", 1),
    ],
)
def test_dimension_level(authority, value, score):
    level = authority.level(value)
    assert isinstance(level, pq.Level)
    assert level.score == score


def test_integer_beyond_float_range_is_a_score_error(ape):
    frame = pd.DataFrame({"DA": [5], "AS": pd.Series([10**400], dtype=object), "MI": [5]})
    with pytest.raises(pq.ScoreError, match="row 0, column 'AS', value 1000"):
        ape.score(frame)


@pytest.mark.parametrize("value", [0, 6, 3.5, "three", None, ""])
def test_dimension_level_rejects_non_levels(authority, value):
    with pytest.raises(
        pq.ScoreError, match=r"^1 value of DA is not a level of the scale:\n  - row 0, column 'DA'"
    ):
        authority.level(value)


# --------------------------------------------------------------------------
# Custom scales.


class MaxScale(pq.EfficacyScale):
    """The largest of the dimensions' scores."""

    name = "peak"

    def __init__(self, dimensions):
        self._dimensions = tuple(dimensions)

    @property
    def dimensions(self):
        return self._dimensions

    def score(self, frame):
        return self.coerce_frame(frame).max(axis=1).rename(self.name)

    @property
    def min_score(self):
        return max(d.min_score for d in self.dimensions)

    @property
    def max_score(self):
        return max(d.max_score for d in self.dimensions)


def test_user_defined_scale():
    scale = MaxScale([dim("a", [1, 2]), dim("b", [1, 3], unit="document")])
    frame = pd.DataFrame({"a": [1, 2, "a level 1"], "b": [1, 1, "3"]}, index=["x", "y", "z"])
    result = scale.score(frame)
    assert result.to_dict() == {"x": 1.0, "y": 2.0, "z": 3.0}
    assert result.name == "peak"
    assert scale.dimension_keys == ("a", "b")
    assert [d.key for d in scale.dimensions_for("document")] == ["b"]
    with pytest.raises(pq.ScoreError, match="row y, column 'b', value 2: not a level of b"):
        scale.score(pd.DataFrame({"a": [1, 2], "b": [1, 2]}, index=["x", "y"]))
    framework = pq.Framework("peaks", "Peaks", scale=scale)
    assert framework.parts == ("scale",)
    assert framework.summary() == "peaks: Peaks\n  scale: MaxScale, from 1 to 3"
    book = framework.codebook()
    assert book["key"].tolist() == ["a=1", "a=2", "b=1", "b=3"]
    assert book["unit"].tolist() == ["unit", "unit", "document", "document"]


@pytest.mark.parametrize("missing", ["dimensions", "score", "min_score", "max_score"])
def test_abstract_methods_are_enforced(missing):
    members = {name: getattr(MaxScale, name) for name in ("dimensions", "score", "min_score", "max_score")}
    members["__init__"] = MaxScale.__init__
    del members[missing]
    incomplete = type("Incomplete", (pq.EfficacyScale,), members)
    with pytest.raises(TypeError, match=rf"abstract.*{missing}"):
        incomplete([dim("a", [1])])
    with pytest.raises(TypeError, match="abstract"):
        pq.EfficacyScale()


# --------------------------------------------------------------------------
# level_combinations.


def test_level_combinations(ape):
    combos = level_combinations(ape)
    assert list(combos.columns) == ["DA", "AS", "MI"]
    assert len(combos) == 45
    assert not combos.duplicated().any()
    assert combos.iloc[0].tolist() == [5, 5, 5]
    assert combos.iloc[-1].tolist() == [1, 1, 1]
    assert set(combos["DA"]) == {1, 2, 3, 4, 5}
    assert set(combos["AS"]) == set(combos["MI"]) == {1, 3, 5}
    scores = ape.score(combos)
    assert scores.min() == 2.0 and scores.max() == 50.0
    small = level_combinations(pq.FormulaScale([dim("a", [2, 1]), dim("b", [0.5])], "a + b"))
    assert small.to_dict("list") == {"a": [2, 1], "b": [0.5, 0.5]}
