"""Issue 13, items 7, 10 and 12: exact scale bounds, one rule for scores, plugins that hang."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from typing import Any
from unittest import mock

import numpy as np
import pandas as pd
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
# Infinite everywhere (1e300 squared): no bounds, and no approximation either.
@example("(A * A)", {"A": [1e300], "B": [0], "C": [0], "D": [0]})
def test_range_refuses_rather_than_approximates_past_the_limit(text, levels):
    with _small_limits(2, 3):
        try:
            found = Formula(text, variables="ABCD").range(levels)
        except pq.FormulaError as error:
            assert "cannot be split into parts over separate dimensions" in str(error)
            return
    values = brute_force(text, levels)
    assert found.finite == bool(np.isfinite(values).all()), (text, levels)
    if found.finite:
        assert (found.low, found.high) == (values.min(), values.max())
    else:
        # No bounds where the formula is not finite somewhere (documented: NaN).
        assert math.isnan(found.low) and math.isnan(found.high)


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


# --------------------------------------------------------------------------
# Item 10: one rule for what a score may be, in scale.score and read_coding.

WANG = pq.get_framework("wang2026")
AS = WANG.scale.dimension("AS")


def _by_scale(value: Any) -> float | None:
    """The AS level scale.score reads ``value`` as, or None if it refuses it."""
    frame = pd.DataFrame({"DA": [5], "AS": [value], "MI": [5]}, dtype=object)
    try:
        score = WANG.scale.score(frame).iloc[0]
    except pq.ScoreError:
        return None
    return score / 5 - 5  # APE = DA * (AS + MI)


def _by_read_coding(value: Any) -> float | None:
    """The AS level read_coding reads ``value`` as in a score cell, or None if it refuses it."""
    units = pd.DataFrame(
        {
            "unit_id": ["D1-1-1"],
            "doc_id": ["D1"],
            "instrument": ["infrastructure"],
            "objectives": ["public_safety"],
            "AS": [value],
            "MI": [5],
        },
        dtype=object,
    )
    documents = pd.DataFrame({"doc_id": ["D1"], "DA": [5]}, dtype=object)
    try:
        corpus = pq.read_coding(units, documents)
    except pq.ValidationError as error:
        assert set(error.problems["column"]) == {"AS"}, error
        return None
    return float(corpus.units["AS"].iloc[0])


def _by_level(value: Any) -> float | None:
    try:
        return float(AS.level(value).score)
    except pq.ScoreError:
        return None


@pytest.mark.parametrize(
    "value", [True, False, np.True_, np.bool_(False), 5 + 0j, np.complex128(3), b"5", [5], (5,), 10**400]
)
def test_values_that_are_not_scores_are_refused_everywhere(value):
    assert _by_scale(value) is None
    assert _by_read_coding(value) is None
    assert _by_level(value) is None


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (5, 5.0),
        (5.0, 5.0),
        ("5", 5.0),
        ("5.0", 5.0),
        (" 3 ", 3.0),
        ("５", 5.0),
        (np.int8(3), 3.0),
        (np.float32(1), 1.0),
        (Decimal("3"), 3.0),
        (Fraction(5, 1), 5.0),
        ("单一部门、领域或场景", 1.0),
    ],
)
def test_scores_are_read_alike_everywhere(value, level):
    assert _by_scale(value) == _by_read_coding(value) == _by_level(value) == level


def test_true_is_reported_as_the_non_score_it_is():
    with pytest.raises(pq.ScoreError) as caught:
        WANG.scale.score(pd.DataFrame({"DA": [5], "AS": [True], "MI": [5]}))
    problem = caught.value.problems.iloc[0]
    assert (problem["column"], problem["value"], problem["problem"]) == (
        "AS",
        True,
        "not a level of AS (Audience scope)",
    )


_cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 7),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1.0, 3.0, 5.0, 5.0000001, -0.0]),
    st.complex_numbers(max_magnitude=10),
    st.sampled_from([5 + 0j, 1 + 0j, np.complex64(3)]),
    st.sampled_from([np.True_, np.False_, np.int64(5), np.float16(3), np.uint8(1), pd.NA, pd.NaT]),
    st.decimals(allow_nan=False, places=2, min_value=-1, max_value=6),
    st.fractions(max_denominator=3),
    st.sampled_from(
        ["5", "5.0", "3.", "+1", " 1 ", "1e0", "５", "True", "true", "nan", "", "  ", "0x5", "5+0j"]
    ),
    st.sampled_from([level.label for level in AS.levels] + [level.labels["zh"] for level in AS.levels]),
    st.text(max_size=4),
    st.binary(max_size=2),
    st.lists(st.integers(1, 5), max_size=2),
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_cells)
@example(True)
@example(5 + 0j)
@example(np.True_)
@example("5.0")
def test_scale_score_accepts_a_value_iff_read_coding_does_with_the_same_level(value):
    by_scale = _by_scale(value)
    assert by_scale == _by_read_coding(value) == _by_level(value)
    if isinstance(value, (bool, np.bool_, complex, np.complexfloating)):
        assert by_scale is None


# --------------------------------------------------------------------------
# Item 12: a third-party plugin whose import hangs holds up nothing that does
# not need it, and what needs it names the plugin it waits for.

HANGING_EP = "pq_hanging_plugin"
HANGING_NEIGHBOUR = "neighbour-of-the-hang"


@pytest.fixture
def hanging_site(tmp_path):
    """A site folder with two installed distributions: one whose import never ends, one good."""
    site = tmp_path / "site"
    site.mkdir()
    # Sleeps forever, as a plugin that waits on a network drive or a licence server might.
    (site / "pq_hanging_module.py").write_text(
        "import time\nwhile True:\n    time.sleep(3600)\n", encoding="utf-8"
    )
    (site / "pq_neighbour_module.py").write_text(
        "import policyquant as pq\n\n@pq.hookimpl\ndef policyquant_register_frameworks(register):\n"
        f"    register(pq.Framework({HANGING_NEIGHBOUR!r}, 'A good neighbour', "
        "families=[pq.InstrumentFamily('soft', 'Soft')], "
        "instruments=[pq.Instrument('info', 'Information', family='soft')]))\n",
        encoding="utf-8",
    )
    for dist, ep_name, module in (
        ("pq_hanging_dist", HANGING_EP, "pq_hanging_module"),
        ("pq_neighbour_dist", "pq_neighbour_plugin", "pq_neighbour_module"),
    ):
        info = site / f"{dist}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8"
        )
        (info / "entry_points.txt").write_text(f"[policyquant]\n{ep_name} = {module}\n", encoding="utf-8")
    return site


def _run(
    site, *args: str, timeout: float = 90, plugin_timeout: str = "3600", cwd=None
) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
        "POLICYQUANT_PLUGIN_TIMEOUT": plugin_timeout,
        "PYTHONWARNINGS": "default",
    }
    env.pop("POLICYQUANT_DISABLE_ENTRY_POINTS", None)
    # The timeout is the failure condition: with the hour-long plugin timeout, a
    # command that imported the hanging plugin would still be waiting.
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=cwd,
        check=False,
    )


def test_the_hanging_plugin_is_installed_and_found(hanging_site):
    probe = _run(
        hanging_site,
        "-c",
        "import importlib.metadata as m; print(sorted(e.name for e in m.entry_points(group='policyquant')))",
    )
    assert HANGING_EP in probe.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["tables", "--example", "--format", "csv"],
        ["validate", "UNITS", "DOCUMENTS", "--framework", "wang2026"],
        ["validate", "UNITS", "DOCUMENTS", "--framework", "genai-china"],
        ["codebook", "howlett-ramesh-1995", "--format", "csv"],
        ["codebook", "FRAMEWORK.toml"],
    ],
    ids=["tables --example", "validate wang2026", "validate by alias", "codebook built-in", "codebook toml"],
)
def test_commands_without_third_party_frameworks_do_not_wait_for_a_hanging_plugin(
    hanging_site, tmp_path, command
):
    toml = tmp_path / "framework.toml"
    toml.write_text(
        'name = "mine"\ntitle = "Mine"\n\n[[families]]\nkey = "soft"\nlabel = "Soft"\n\n'
        '[[instruments]]\nkey = "info"\nlabel = "Information"\nfamily = "soft"\n\n'
        '[scale]\nformula = "PL * SP"\n\n'
        '[[scale.dimensions]]\nkey = "PL"\nlabel = "Policy level"\n'
        'levels = [{ score = 1, label = "Local" }, { score = 2, label = "National" }]\n\n'
        '[[scale.dimensions]]\nkey = "SP"\nlabel = "Specificity"\n'
        'levels = [{ score = 1, label = "Vague" }, { score = 2, label = "Precise" }]\n',
        encoding="utf-8",
    )
    replacements = {
        "UNITS": str(pq.datasets.data_path("genai_china_units.csv")),
        "DOCUMENTS": str(pq.datasets.data_path("genai_china_documents.csv")),
        "FRAMEWORK.toml": str(toml),
    }
    args = [replacements.get(arg, arg) for arg in command]
    result = _run(hanging_site, "-m", "policyquant", *args)
    assert result.returncode == 0, result.stderr
    assert HANGING_EP not in result.stderr
    assert "still loading" not in result.stderr


def test_library_calls_without_third_party_frameworks_do_not_wait(hanging_site, tmp_path):
    code = (
        "import sys, policyquant as pq\n"
        "from policyquant.declarative import load_framework\n"
        "assert pq.get_framework('wang2026').name == 'wang2026'\n"
        "assert pq.get_framework('Genai-China').name == 'wang2026'\n"
        "scale = load_framework(sys.argv[1]).scale\n"
        "assert scale.max_score == 4.0\n"
        "assert 'pq_hanging_module' not in sys.modules\n"
        "print('done')\n"
    )
    toml = tmp_path / "f.toml"
    toml.write_text(
        'name = "mine"\ntitle = "Mine"\n\n[scale]\nformula = "PL * SP"\n\n'
        '[[scale.dimensions]]\nkey = "PL"\nlabel = "Policy level"\n'
        'levels = [{ score = 1, label = "Local" }, { score = 2, label = "National" }]\n\n'
        '[[scale.dimensions]]\nkey = "SP"\nlabel = "Specificity"\n'
        'levels = [{ score = 1, label = "Vague" }, { score = 2, label = "Precise" }]\n',
        encoding="utf-8",
    )
    result = _run(hanging_site, "-c", code, str(toml))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "done"


def test_a_command_that_needs_a_third_party_framework_names_the_plugin_it_waits_for(hanging_site):
    # The neighbour's framework needs the entry points loaded: the hanging one is named
    # while it is waited for, then given up on, and the neighbour's framework works.
    result = _run(hanging_site, "-m", "policyquant", "codebook", HANGING_NEIGHBOUR, plugin_timeout="4")
    assert result.returncode == 0, result.stderr
    assert "A good neighbour" in result.stdout or "Information" in result.stdout
    lines = result.stderr.splitlines()
    assert any(
        line.startswith(
            f"policyquant: still loading plugin {HANGING_EP!r} ({HANGING_EP} = pq_hanging_module)"
        )
        for line in lines
    ), result.stderr
    assert any(
        line.startswith(f"policyquant: warning: policyquant plugin {HANGING_EP!r}")
        and "failed at import: TimeoutError: did not finish importing within 4 s" in line
        for line in lines
    ), result.stderr


def test_an_unknown_framework_waits_for_the_plugins_then_names_the_one_that_hung(hanging_site):
    result = _run(hanging_site, "-m", "policyquant", "codebook", "no-such-framework", plugin_timeout="3")
    assert result.returncode == 2, result.stderr
    assert f"still loading plugin {HANGING_EP!r}" in result.stderr
    assert f"from {HANGING_EP}: see policyquant.plugin_failures()" in result.stderr


def test_listing_frameworks_names_the_plugin_that_did_not_finish(hanging_site):
    result = _run(hanging_site, "-m", "policyquant", "frameworks", plugin_timeout="3")
    assert result.returncode == 0, result.stderr
    assert HANGING_NEIGHBOUR in result.stdout
    (row,) = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert f"plugin {HANGING_EP!r} ({HANGING_EP} = pq_hanging_module) failed at import: TimeoutError" in row
    assert "did not finish importing within 3 s" in row


def test_a_report_on_a_toml_framework_of_a_new_name_does_not_wait(hanging_site, tmp_path):
    # The report's provenance looks the framework up among the registered ones; a TOML
    # framework of a name no built-in has must not make it load (and wait for) the plugins.
    code = (
        "import sys, pathlib, policyquant as pq\n"
        "toml = pq.get_framework('wang2026').to_toml().replace('name = \"wang2026\"', 'name = \"my-copy\"', 1)\n"
        "framework = pq.load_framework(toml)\n"
        "assert framework.name == 'my-copy'\n"
        "corpus = pq.read_coding(pq.datasets.data_path('genai_china_units.csv'),\n"
        "                        pq.datasets.data_path('genai_china_documents.csv'), framework=framework)\n"
        "pq.report(corpus, pathlib.Path(sys.argv[1]) / 'report.html')\n"
        "assert 'pq_hanging_module' not in sys.modules\n"
        "print('done')\n"
    )
    result = _run(hanging_site, "-c", code, str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("done")
    assert (tmp_path / "report.html").stat().st_size > 10_000
