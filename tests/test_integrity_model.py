"""Issue 13, items 7, 10 and 12: exact scale bounds, one rule for scores, plugins that hang."""

from __future__ import annotations

import math
from contextlib import contextmanager
from typing import Any
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant import formula as formula_module
from policyquant.declarative import FrameworkFileError, load_framework
from policyquant.formula import MAX_COMBINATIONS, Formula
from policyquant.testing.strategies import formulas

# --------------------------------------------------------------------------
# Item 7: bounds and finiteness of a formula are exact, whatever the number of
# combinations of levels.

KEYS = "ABCDEFG"


def dim(key: str, scores: Any) -> pq.Dimension:
    return pq.Dimension(key, key, [pq.Level(s, f"{key} level {s}") for s in scores])


def seven_by_eight() -> list[pq.Dimension]:
    # 8 ** 7 = 2,097,152 combinations: more than the old exhaustive limit of 10 ** 6.
    return [dim(key, range(1, 9)) for key in KEYS]


def brute_force(text: str, levels: dict[str, list[float]]) -> np.ndarray:
    """The formula at every combination of levels, by plain evaluation."""
    names = sorted(levels)
    grids = np.meshgrid(*(np.asarray(levels[n], dtype=np.float64) for n in names), indexing="ij")
    compiled = Formula(text, variables=names)
    values = compiled.evaluate({n: g.ravel() for n, g in zip(names, grids, strict=True)})
    return np.broadcast_to(values, grids[0].ravel().shape if names else (1,))


def test_issue_formula_infinite_at_an_interior_level_is_refused():
    with pytest.raises(pq.InvalidFrameworkError) as caught:
        pq.FormulaScale(seven_by_eight(), "1/(A-2)+B+C+D+E+F+G")
    message = str(caught.value)
    assert message.startswith(
        "formula '1/(A-2)+B+C+D+E+F+G' is not finite for every combination of levels: it is inf when "
        "A = 2 (A level 2), B = 1 (B level 1)"
    )


def test_issue_formula_in_a_toml_file_is_refused_naming_the_field_and_the_level(tmp_path):
    dimensions = "\n".join(
        f'[[scale.dimensions]]\nkey = "{key}"\nlabel = "{key}"\n'
        "levels = [" + ", ".join(f'{{ score = {s}, label = "{key}{s}" }}' for s in range(1, 9)) + "]\n"
        for key in KEYS
    )
    path = tmp_path / "wide.toml"
    path.write_text(
        f'name = "wide"\ntitle = "Wide"\n\n[scale]\nformula = "1/(A-2)+B+C+D+E+F+G"\n\n{dimensions}',
        encoding="utf-8",
    )
    with pytest.raises(FrameworkFileError) as caught:
        load_framework(path)
    message = str(caught.value)
    assert "wide.toml" in message
    assert "scale.formula" in message
    assert "is not finite for every combination of levels: it is inf when A = 2 (A2)" in message


@pytest.mark.parametrize(
    "text",
    [
        # Not monotone in A: the extremes of A (1 and 8) do not give the extremes of the score.
        "sqrt((A - 4.5) ** 2) + B + C + D + E + F + G",
        "sqrt(abs(A - 4) * B) * C + D / E - F * G",
        "sqrt(A * B * C * D * E * F * G)",
        # One part over every dimension: evaluated in chunks.
        "sqrt(abs(A * B - C * D + E * F - G * A)) - sqrt(A + B + C + D + E + F + G)",
        "min(A * B, C) * max(D - E, F - G * A) + exp(A / 8) + log(B * C * D * E * F * G)",
    ],
)
def test_bounds_of_a_formula_over_millions_of_combinations_are_the_attained_extremes(text):
    scale = pq.FormulaScale(seven_by_eight(), text)
    values = brute_force(text, {key: list(range(1, 9)) for key in KEYS})
    assert (scale.min_score, scale.max_score) == (values.min(), values.max())


def test_old_extremes_only_bounds_were_wrong_for_sqrt():
    # The values the old code gave (extremes of each dimension combined) are not the bounds.
    scale = pq.FormulaScale(seven_by_eight(), "sqrt((A - 4.5) ** 2) + B + C + D + E + F + G")
    assert (scale.min_score, scale.max_score) == (6.5, 51.5)


def test_undefined_part_masked_by_the_rest_of_the_formula_is_accepted():
    # min(inf, 5) is 5: the score is finite everywhere although 1 / (A - 2) is not.
    scale = pq.FormulaScale(seven_by_eight(), "min(1 / (A - 2), 5) + B + C + D + E + F + G")
    values = brute_force(scale.formula, {key: list(range(1, 9)) for key in KEYS})
    assert np.isfinite(values).all()
    assert (scale.min_score, scale.max_score) == (values.min(), values.max())


def test_negative_zero_is_not_taken_for_zero():
    # A * B - 0.0 ... gives -0.0 at A = 0 with B < 0, and 1 / -0.0 is -inf, which min() keeps.
    levels = {"A": [0, 1], "B": [-1, 1], "C": [1, 2]}
    found = Formula("min(1 / (A * B), 5) + C", variables="ABC").range(levels)
    values = brute_force("min(1 / (A * B), 5) + C", levels)
    assert not np.isfinite(values).all()
    assert not found.finite
    assert found.undefined == -np.inf


def test_formula_beyond_the_limit_that_cannot_be_split_is_refused():
    dims = [dim(key, range(1, 11)) for key in "ABCDEFGH"]
    with pytest.raises(pq.FormulaError) as caught:
        pq.FormulaScale(dims, "A * B * C * D * E * F * G * H - A")
    message = str(caught.value)
    assert "100,000,000 combinations of levels of A, B, C, D, E, F, G, H" in message
    assert f"at most {MAX_COMBINATIONS:,}" in message


def test_formula_beyond_the_limit_that_splits_into_parts_is_exact():
    # 10 ** 10 combinations, but every part uses its own dimensions.
    keys = "ABCDEFGHIJ"
    dims = [dim(key, range(1, 11)) for key in keys]
    scale = pq.FormulaScale(dims, "sqrt(abs(A - 5.5)) * B + C / D - E * F + max(G, H) - abs(I - J)")
    # Each part at its own extremes, added in the formula's order (IEEE, as numpy does).
    high = math.sqrt(4.5) * 10 + 10 / 1 - 1 * 1 + 10 - 0
    low = math.sqrt(0.5) * 1 + 1 / 10 - 10 * 10 + 1 - 9
    assert (scale.min_score, scale.max_score) == (low, high)


def test_bounds_are_attained_where_the_range_says():
    found = Formula("A * (B - 3)", variables="AB").range({"A": [1, 2], "B": [1, 5]})
    assert (found.low, found.low_at, found.high, found.high_at) == (
        -4.0,
        {"A": 2, "B": 1},
        4.0,
        {"A": 2, "B": 5},
    )


# Formulas over A-D with every operation, including those that are not finite.
def _all_operations(keys: str, max_leaves: int) -> st.SearchStrategy[str]:
    leaves = st.sampled_from(list(keys)) | st.sampled_from(["0", "1", "2", "0.5", "3"])

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
            st.tuples(st.sampled_from(["abs", "sqrt", "log", "exp", "-"]), inner).map(
                lambda t: f"{t[0]}({t[1]})"
            ),
        )

    return st.recursive(leaves, extend, max_leaves=max_leaves)


_level_lists = st.lists(
    st.integers(-3, 4) | st.sampled_from([0.5, -0.5, 1e300, -1e300, 2.5]), min_size=1, max_size=4, unique=True
)


def _check_against_brute_force(text: str, levels: dict[str, list[float]]) -> None:
    found = Formula(text, variables=list(levels)).range(levels)
    values = brute_force(text, levels)
    finite = np.isfinite(values)
    assert found.finite == bool(finite.all()), (text, levels)
    names = sorted(Formula(text, variables=list(levels)).names)
    compiled = Formula(text, variables=list(levels))

    def at(where: dict[str, Any]) -> float:
        assert sorted(where) == names
        return (
            float(compiled.evaluate({k: [v] for k, v in where.items()})[0])
            if names
            else float(compiled.evaluate({}))
        )

    if found.finite:
        assert (found.low, found.high) == (values.min(), values.max()), (text, levels)
        assert at(dict(found.low_at)) == found.low
        assert at(dict(found.high_at)) == found.high
    else:
        assert found.undefined_at is not None
        value = at(dict(found.undefined_at))
        assert not math.isfinite(value)
        assert np.float64(value).tobytes() == np.float64(found.undefined).tobytes() or (
            math.isnan(value) and math.isnan(found.undefined)
        )


@contextmanager
def _small_limits(set_limit: int, most: int):
    # Small limits make small formulas take every path: parts, ranges, chunks, refusal.
    with (
        mock.patch.object(formula_module, "_SET_LIMIT", set_limit),
        mock.patch.object(formula_module, "MAX_COMBINATIONS", most),
    ):
        yield


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=_all_operations("ABCD", 8),
    levels=st.fixed_dictionaries({key: _level_lists for key in "ABCD"}),
)
def test_range_equals_brute_force_on_small_formulas(text, levels):
    _check_against_brute_force(text, levels)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=_all_operations("ABCD", 10) | formulas(list("ABCD"), max_leaves=10),
    levels=st.fixed_dictionaries({key: _level_lists for key in "ABCD"}),
    set_limit=st.integers(1, 8),
)
# A divisor whose levels straddle 0 at an interior level, and -0.0 kept apart from 0.0
# (1 / -0.0 is -inf, which max() drops; 1 / 0.0 is inf).
@example("(A + B) / C", {"A": [1, 2], "B": [1, 2], "C": [-1, 0, 1], "D": [1]}, 3)
@example("max(1 / (A * B * D), 5)", {"A": [0, 1], "B": [-1, 1], "C": [1], "D": [1, 2]}, 6)
def test_range_equals_brute_force_through_parts_and_chunks(text, levels, set_limit):
    # With at most 256 combinations in all, a limit of 1 to 6 sends every part
    # of more than that many combinations through splitting or chunked evaluation.
    with _small_limits(set_limit, 10_000):
        _check_against_brute_force(text, levels)


@settings(max_examples=100, deadline=None)
@given(
    text=formulas(list("ABCD"), max_leaves=10),
    levels=st.fixed_dictionaries({k: _level_lists for k in "ABCD"}),
)
def test_range_refuses_rather_than_approximates_past_the_limit(text, levels):
    with _small_limits(2, 3):
        try:
            found = Formula(text, variables="ABCD").range(levels)
        except pq.FormulaError as error:
            assert "cannot be split into parts over separate dimensions" in str(error)
            return
    values = brute_force(text, levels)
    assert (found.low, found.high) == (values.min(), values.max())


def test_formula_scale_bounds_equal_brute_force_on_random_scales():
    from policyquant.model import level_combinations
    from policyquant.testing.strategies import frameworks

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(frameworks(scale=True))
    def check(framework):
        scale = framework.scale
        values = scale.score(level_combinations(scale))
        assert (scale.min_score, scale.max_score) == (values.min(), values.max())

    check()
