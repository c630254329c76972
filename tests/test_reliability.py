"""Tests of :mod:`policyquant.reliability`'s coefficients.

Published values
    Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": the
    four coders x twelve units example with missing values (nominal .743,
    ordinal .815, interval .849, ratio .797; its coincidence matrix) and the
    binary two-coder example (.095); Wikipedia's computational example (.691,
    .811, also asserted to six decimals in the ``krippendorff`` package's
    tests); Fleiss (1971), kappa .430 for 30 patients x 6 psychiatrists (R's
    ``irr``: 0.4302445, z 17.65183) and Wikipedia's Fleiss example (.210); the
    SAS/STAT manual's Cohen's kappa example, unweighted and weighted, with
    ASE, confidence limits and test (as asserted in statsmodels' tests); R's
    ``irr`` ``kappa2`` on the anxiety data; Gwet (2014) through the
    ``irrCAC`` documentation (AC1 0.77544, SE 0.14295 on ``cac.raw4raters``;
    kappa, AC1, Brennan-Prediger, percent agreement and alpha on
    ``cont3x3abstractors``).
Oracles
    The ``krippendorff`` package (alpha at all four levels on random data with
    missing values) and ``statsmodels.stats.inter_rater`` (Fleiss' kappa;
    Cohen's kappa, weighted and not, with its standard errors).
"""

from __future__ import annotations

import math
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyquant.errors import PolicyQuantError, ValidationError
from policyquant.reliability import (
    AgreementResult,
    AlphaResult,
    CohenKappaResult,
    FleissKappaResult,
    ReliabilityResult,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    fleiss_kappa_from_counts,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    reliability_data,
)
from policyquant.reliability import coefficients as rc

NAN = float("nan")
LEVELS = ("nominal", "ordinal", "interval", "ratio")
PROPERTIES = settings(max_examples=60, deadline=None)

#: Krippendorff (2011), section C: four observers (rows) x twelve units, values 1-5, missing data.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]
KRIPPENDORFF_2011_PUBLISHED = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}

#: Wikipedia's "Krippendorff's alpha", a computational example: three coders x fifteen units.
WIKIPEDIA_ALPHA = [
    [NAN, NAN, NAN, NAN, NAN, 3, 4, 1, 2, 1, 1, 3, 3, NAN, 3],
    [1, NAN, 2, 1, 3, 3, 4, 3, NAN, NAN, NAN, NAN, NAN, NAN, NAN],
    [NAN, NAN, 2, 1, 3, 4, 4, NAN, 2, 1, 1, 3, 3, NAN, 4],
]

#: Fleiss (1971): 30 patients (rows) x 6 psychiatrists, diagnoses 1-5 (statsmodels' test data).
FLEISS_1971 = np.array(
    [
        [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
        [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
        [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
        [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
        [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
        [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
    ]
)  # fmt: skip

#: Wikipedia's "Fleiss' kappa" worked example: ten units x five categories, fourteen raters each.
WIKIPEDIA_FLEISS = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]  # fmt: skip

#: The SAS/STAT manual's two-rater table (statsmodels' ``table10``).
SAS_TABLE = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]

#: Gwet's ``cont3x3abstractors`` (irrCAC): 100 pregnancies by two abstractors.
ABSTRACTORS = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]
ABSTRACTOR_LABELS = ["Ectopic", "AIU", "NIU"]

#: R irr's ``anxiety`` data (20 subjects x 3 raters), as in statsmodels' tests.
ANXIETY = np.array(
    [3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3,
     3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4,
     2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2]
).reshape(20, 3, order="F")  # fmt: skip


def expand(table, labels=None):
    """Two coders' codes, one per unit, from a square table of counts."""
    table = np.asarray(table)
    labels = np.arange(table.shape[0]) if labels is None else np.asarray(labels)
    rows = np.repeat(np.repeat(labels[:, None], table.shape[1], axis=1).ravel(), table.ravel())
    columns = np.repeat(np.repeat(labels[None, :], table.shape[0], axis=0).ravel(), table.ravel())
    return rows, columns


# --------------------------------------------------------------------------
# Strategies.


@st.composite
def reliability_tables(draw, max_coders=5, max_units=25, max_categories=6, missing=True):
    """Coders x units category codes (float, NaN missing) with at least two distinct pairable values."""
    n_coders = draw(st.integers(2, max_coders))
    n_units = draw(st.integers(2, max_units))
    k = draw(st.integers(2, max_categories))
    cell = st.one_of(st.none(), st.integers(0, k - 1)) if missing else st.integers(0, k - 1)
    cells = draw(st.lists(cell, min_size=n_coders * n_units, max_size=n_coders * n_units))
    data = np.array([NAN if c is None else c for c in cells], dtype=np.float64).reshape(n_coders, n_units)
    data[:2, 0] = 0
    data[:2, 1] = k - 1
    return data


@st.composite
def numeric_tables(draw, **kwargs):
    """Reliability tables with irregularly spaced values of zero or more."""
    codes = draw(reliability_tables(**kwargs))
    k = int(np.nanmax(codes)) + 1
    scale = sorted(draw(st.lists(st.integers(0, 60), min_size=k, max_size=k, unique=True)))
    lookup = np.array(scale, dtype=np.float64)
    values = np.full(codes.shape, NAN)
    coded = ~np.isnan(codes)
    values[coded] = lookup[codes[coded].astype(int)]
    return values


def synthetic(n_coders, n_units, k=5, faithful=0.75, missing=0.1, seed=0):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, n_units)
    data = np.where(
        rng.random((n_coders, n_units)) < faithful, truth, rng.integers(0, k, (n_coders, n_units))
    )
    data = data.astype(np.float64)
    data[rng.random(data.shape) < missing] = NAN
    return data


# --------------------------------------------------------------------------
# Krippendorff's alpha: published examples.


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_krippendorff_2011_published_values(level):
    result = krippendorff_alpha(KRIPPENDORFF_2011, level)
    assert round(result.alpha, 3) == KRIPPENDORFF_2011_PUBLISHED[level]
    assert (result.n_pairable, result.n_units, result.n_coders, result.level) == (40, 11, 4, level)
    assert result.alpha == pytest.approx(1 - result.observed_disagreement / result.expected_disagreement)


def test_alpha_krippendorff_2011_nominal_exactly():
    """n = 40, off-diagonal coincidences 8, sum n_c^2 = 384: alpha = 1 - 39 * 8 / (1600 - 384)."""
    assert krippendorff_alpha(KRIPPENDORFF_2011).alpha == pytest.approx(1 - 312 / 1216, abs=1e-14)


def test_alpha_krippendorff_2011_coincidence_matrix():
    o = krippendorff_alpha(KRIPPENDORFF_2011).coincidences
    third = 1 / 3
    expected = [
        [7, 4 * third, third, third, 0],
        [4 * third, 10, 4 * third, third, 0],
        [third, 4 * third, 8, third, 0],
        [third, third, third, 4, 0],
        [0, 0, 0, 0, 3],
    ]
    np.testing.assert_allclose(o.to_numpy(), expected, atol=1e-12)
    np.testing.assert_allclose(o.sum(axis=1).to_numpy(), [9, 13, 10, 5, 3])
    assert o.index.tolist() == [1.0, 2.0, 3.0, 4.0, 5.0] == o.columns.tolist()


def test_alpha_krippendorff_2011_binary_two_coders():
    """Section A: n_0 = 14, n_1 = 6, o_01 = 4, alpha = 1 - 19 * 4 / 84 = 0.095."""
    result = krippendorff_alpha([[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]])
    assert round(result.alpha, 3) == 0.095
    assert result.alpha == pytest.approx(1 - 76 / 84, abs=1e-14)


@pytest.mark.parametrize(
    ("level", "published", "six_decimals"), [("nominal", 0.691, 0.691358), ("interval", 0.811, 0.810845)]
)
def test_alpha_wikipedia_example(level, published, six_decimals):
    alpha = krippendorff_alpha(WIKIPEDIA_ALPHA, level).alpha
    assert round(alpha, 3) == published
    assert round(alpha, 6) == six_decimals


def test_alpha_ordinal_labels_in_order_equal_numbers():
    names = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
    labels = [[None if math.isnan(v) else names[v] for v in row] for row in KRIPPENDORFF_2011]
    result = krippendorff_alpha(labels, "ordinal", values=list(names.values()))
    assert round(result.alpha, 3) == 0.815
    assert result.alpha == pytest.approx(krippendorff_alpha(KRIPPENDORFF_2011, "ordinal").alpha, abs=1e-12)
    assert result.coincidences.index.tolist() == list(names.values())


def test_alpha_string_labels_with_numpy_nan():
    """NumPy writes NaN as the text 'nan' in a text array; it counts as missing (krippendorff: 0.722222)."""
    data = [["pos", "neg", "neu", NAN], ["pos", "neg", "neu", "pos"], ["pos", "neg", "pos", "pos"]]
    assert round(krippendorff_alpha(data).alpha, 6) == 0.722222


def test_alpha_custom_distance():
    """Absolute rather than squared differences (krippendorff's test: 0.761905)."""

    def absolute(c, k):
        return np.abs(c - k)

    result = krippendorff_alpha([[1, 2, 3], [1, 2, 4]], measurement=absolute)
    assert round(result.alpha, 6) == 0.761905
    assert result.level == "absolute"


def test_alpha_dataframe_input_and_unused_values():
    frame = pd.DataFrame(
        [["tax", "subsidy", "standard", None], ["tax", "subsidy", "subsidy", "standard"]],
        index=pd.Index(["Wang", "Li"], name="coder"),
    )
    result = krippendorff_alpha(frame)
    widened = krippendorff_alpha(frame, values=["tax", "subsidy", "standard", "information"])
    assert widened.alpha == pytest.approx(result.alpha, abs=1e-15)
    assert widened.coincidences.loc["information"].sum() == 0
    assert result.n_units == 3 and result.n_pairable == 6


def test_alpha_units_with_a_single_value_change_nothing():
    base = krippendorff_alpha(KRIPPENDORFF_2011, "interval")
    padded = [
        row + extra
        for row, extra in zip(KRIPPENDORFF_2011, [[9, NAN], [NAN, NAN], [NAN, NAN], [NAN, NAN]], strict=True)
    ]
    result = krippendorff_alpha(padded, "interval")
    assert result.alpha == pytest.approx(base.alpha, abs=1e-15)
    assert result.n_units == base.n_units


def test_alpha_single_value_is_nan():
    result = krippendorff_alpha([[2, 2, 2], [2, 2, NAN]])
    assert math.isnan(result.alpha) and result.expected_disagreement == 0.0


def test_alpha_result_reads_well():
    result = krippendorff_alpha(KRIPPENDORFF_2011, bootstrap=200, seed=3)
    assert isinstance(result, AlphaResult) and isinstance(result, ReliabilityResult)
    assert float(result) == result.alpha == result.estimate
    assert repr(result).startswith(
        "AlphaResult(alpha=0.7434, level='nominal', n_units=11, n_pairable=40, n_coders=4, ci=("
    )
    text = str(result)
    assert text.startswith("Krippendorff's alpha (nominal) = 0.743: D_o = ")
    assert "95% CI [" in text and "200 bootstrap resamples of units" in text and "P(alpha < 0.667)" in text
    frame = result.to_frame()
    assert frame.index.tolist() == ["Krippendorff's alpha (nominal)"]
    assert frame.columns[:5].tolist() == ["estimate", "ci_low", "ci_high", "units", "coders"]
    assert {"D_o", "D_e", "pairable values", "P(alpha < 0.8)"} <= set(frame.columns)
    assert "| Krippendorff's alpha (nominal) |" in result.to_markdown()


# --------------------------------------------------------------------------
# Krippendorff's alpha: oracle (the krippendorff package).


@PROPERTIES
@given(numeric_tables(), st.sampled_from(LEVELS))
def test_alpha_matches_krippendorff_package(data, level):
    krippendorff = pytest.importorskip("krippendorff")
    expected = krippendorff.alpha(data, level_of_measurement=level)
    assert krippendorff_alpha(data, level).alpha == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_sparse_path_matches_krippendorff_package(level):
    """Over 64 categories the counts are a sparse matrix."""
    krippendorff = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(5)
    truth = rng.integers(1, 150, 400)
    data = np.where(rng.random((4, 400)) < 0.6, truth, rng.integers(1, 150, (4, 400))).astype(float)
    data[rng.random(data.shape) < 0.2] = NAN
    assert len(np.unique(data[~np.isnan(data)])) > rc._DENSE_CATEGORIES
    expected = krippendorff.alpha(data, level_of_measurement=level)
    assert krippendorff_alpha(data, level).alpha == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("level", LEVELS)
def test_resampling_formula_matches_krippendorff_on_explicit_resamples(level):
    """Each bootstrap alpha, from pattern weights, equals alpha recomputed on the resampled units."""
    krippendorff = pytest.importorskip("krippendorff")
    data = synthetic(3, 150, seed=11) + 1.0
    coded = reliability_data(data)
    pairable = np.flatnonzero((coded.codes >= 0).sum(axis=0) >= 2)
    patterns = rc._unit_counts(coded.codes[:, pairable], coded.n_categories)  # one pattern per unit
    distances = rc._fixed_distances(level, coded)
    disagreement = None
    if distances is not None:
        weight = 1 / (patterns.sum(axis=1) - 1)
        disagreement = weight * (
            np.einsum("gc,gc->g", patterns @ distances, patterns) - patterns @ np.diag(distances)
        )
    draws = np.random.default_rng(4).integers(0, len(pairable), (20, len(pairable)))
    weights = np.array([np.bincount(d, minlength=len(pairable)) for d in draws], dtype=float)
    ours = rc._alphas_from_weights(weights, patterns, distances, disagreement)
    theirs = [krippendorff.alpha(data[:, pairable[d]], level_of_measurement=level) for d in draws]
    np.testing.assert_allclose(ours, theirs, atol=1e-10)


@pytest.mark.parametrize("level", LEVELS)
def test_bootstrap_patterns_reproduce_the_point_estimate(level):
    data = synthetic(4, 300, seed=2) + 1.0
    coded = reliability_data(data)
    pairable = (coded.codes >= 0).sum(axis=0) >= 2
    patterns, sizes = rc._unit_patterns(coded.codes[:, pairable], coded.n_categories)
    assert sizes.sum() == pairable.sum() and len(sizes) < pairable.sum()
    distances = rc._fixed_distances(level, coded)
    disagreement = None
    if distances is not None:
        weight = 1 / (patterns.sum(axis=1) - 1)
        disagreement = weight * (
            np.einsum("gc,gc->g", patterns @ distances, patterns) - patterns @ np.diag(distances)
        )
    alpha = rc._alphas_from_weights(sizes[None, :].astype(float), patterns, distances, disagreement)[0]
    assert alpha == pytest.approx(krippendorff_alpha(data, level).alpha, abs=1e-12)


def test_bootstrap_distribution_matches_a_loop_of_krippendorff():
    krippendorff = pytest.importorskip("krippendorff")
    data = synthetic(3, 300, seed=7)
    ours = krippendorff_alpha(data, bootstrap=2000, seed=1).bootstrap_alphas
    pairable = np.flatnonzero((~np.isnan(data)).sum(axis=0) >= 2)
    draws = np.random.default_rng(8).integers(0, len(pairable), (400, len(pairable)))
    theirs = np.array(
        [krippendorff.alpha(data[:, pairable[d]], level_of_measurement="nominal") for d in draws]
    )
    assert np.mean(ours) == pytest.approx(np.mean(theirs), abs=0.01)
    assert np.std(ours) == pytest.approx(np.std(theirs), rel=0.2)


# --------------------------------------------------------------------------
# Krippendorff's alpha: properties.


@PROPERTIES
@given(reliability_tables(), st.sampled_from(LEVELS))
def test_alpha_is_one_for_perfect_agreement(data, level):
    agreed = np.where(np.isnan(data), NAN, data[0][None, :])  # every coder says what coder 0 says
    assert krippendorff_alpha(agreed + 1.0, level).alpha == pytest.approx(1.0, abs=1e-12)


@PROPERTIES
@given(reliability_tables(), st.sampled_from(LEVELS), st.randoms(use_true_random=False))
def test_alpha_ignores_the_order_of_units_and_coders(data, level, random):
    units = list(range(data.shape[1]))
    coders = list(range(data.shape[0]))
    random.shuffle(units)
    random.shuffle(coders)
    shuffled = data[coders][:, units]
    assert krippendorff_alpha(shuffled + 1, level).alpha == pytest.approx(
        krippendorff_alpha(data + 1, level).alpha, abs=1e-12
    )


@PROPERTIES
@given(reliability_tables(), st.permutations(["tax", "subsidy", "standard", "pilot", "plan", "fund"]))
def test_nominal_alpha_ignores_category_labels(data, names):
    relabelled = [[None if math.isnan(v) else names[int(v)] for v in row] for row in data]
    assert krippendorff_alpha(relabelled).alpha == pytest.approx(krippendorff_alpha(data).alpha, abs=1e-12)


@PROPERTIES
@given(reliability_tables(max_categories=2))
def test_the_four_levels_agree_on_binary_data(data):
    alphas = [krippendorff_alpha(data, level).alpha for level in LEVELS]
    assert alphas == pytest.approx([alphas[0]] * 4, abs=1e-12)


@PROPERTIES
@given(reliability_tables(missing=False))
def test_nominal_alpha_is_fleiss_kappa_corrected_for_sample_size(data):
    """Complete data: alpha = 1 - (1 - kappa) (n - 1) / n with n = units x coders values."""
    n = data.size
    kappa = fleiss_kappa(data).kappa
    assert krippendorff_alpha(data).alpha == pytest.approx(1 - (1 - kappa) * (n - 1) / n, abs=1e-12)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 4), st.integers(40, 200), st.sampled_from(LEVELS))
def test_bootstrap_interval_contains_the_estimate_and_is_reproducible(seed, n_coders, n_units, level):
    data = synthetic(n_coders, n_units, seed=seed) + 1.0
    first = krippendorff_alpha(data, level, bootstrap=300, seed=seed)
    again = krippendorff_alpha(data, level, bootstrap=300, seed=seed)
    assert first.ci[0] <= first.alpha <= first.ci[1]
    np.testing.assert_array_equal(first.bootstrap_alphas, again.bootstrap_alphas)
    assert first.ci == again.ci and first.p_below == again.p_below
    assert len(first.bootstrap_alphas) == 300 and first.ci_level == 0.95


def test_bootstrap_p_below_and_ci_level():
    result = krippendorff_alpha(
        KRIPPENDORFF_2011, bootstrap=2000, ci=0.9, seed=0, minimums=(0.5, 0.667, 0.8, 0.9)
    )
    p = result.p_below
    assert list(p) == [0.5, 0.667, 0.8, 0.9]
    assert p[0.5] <= p[0.667] <= p[0.8] <= p[0.9]
    finite = result.bootstrap_alphas[np.isfinite(result.bootstrap_alphas)]
    assert p[0.8] == pytest.approx((finite < 0.8).mean())
    assert result.ci == pytest.approx(tuple(np.quantile(finite, [0.05, 0.95])))


def test_bootstrap_draws_units_when_units_rarely_repeat():
    """Continuous interval data: nearly every unit is its own pattern, so units are drawn directly."""
    rng = np.random.default_rng(3)
    truth = rng.normal(size=500).round(2)
    data = truth + rng.normal(scale=0.5, size=(3, 500)).round(2)
    data[rng.random(data.shape) < 0.1] = NAN
    result = krippendorff_alpha(data, "interval", bootstrap=400, seed=9)
    assert result.ci[0] < result.alpha < result.ci[1]
    assert np.mean(result.bootstrap_alphas) == pytest.approx(result.alpha, abs=0.02)


def test_bootstrap_progress_bar_changes_nothing():
    pytest.importorskip("tqdm")
    quiet = krippendorff_alpha(KRIPPENDORFF_2011, bootstrap=3000, seed=5)
    shown = krippendorff_alpha(KRIPPENDORFF_2011, bootstrap=3000, seed=5, progress=True)
    np.testing.assert_array_equal(quiet.bootstrap_alphas, shown.bootstrap_alphas)


def test_bootstrap_progress_without_tqdm_warns(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    with pytest.warns(UserWarning, match="needs the optional package tqdm"):
        result = krippendorff_alpha(KRIPPENDORFF_2011, bootstrap=50, seed=5, progress=True)
    assert len(result.bootstrap_alphas) == 50


# --------------------------------------------------------------------------
# Krippendorff's alpha: errors.


@pytest.mark.parametrize(
    ("data", "kwargs", "message"),
    [
        ([[1, 2, 3]], {}, "at least two coders"),
        ([1, 2, 3], {}, "must be 2-D"),
        ([[1, NAN], [NAN, 2]], {}, "no unit was coded by two or more coders"),
        (
            KRIPPENDORFF_2011,
            {"measurement": "nominl"},
            "unknown level of measurement 'nominl'.*did you mean 'nominal'",
        ),
        (KRIPPENDORFF_2011, {"measurement": 3}, "measurement= must be one of"),
        (KRIPPENDORFF_2011, {"values": [1, 2, 3, 4]}, r"values= lacks 1 category found in the data: 5\.0"),
        (KRIPPENDORFF_2011, {"values": [1, 2, 2, 3, 4, 5]}, "lists a category twice"),
        ([["a", "b"], ["a", "c"]], {"measurement": "interval"}, "interval level needs numeric values"),
        ([["a", "b"], ["a", "c"]], {"measurement": "ratio"}, "ratio level needs numeric values"),
        (
            [["a", "b"], ["a", "c"]],
            {"measurement": "ordinal"},
            r"ordinal level needs the order of the labels: pass values=",
        ),
        ([[-1, 2], [-1, 3]], {"measurement": "ratio"}, "ratio level needs values of zero or more"),
        ([[1, "1", None], [1, 2, 3]], {}, "mix numbers and text"),
        ([[1, 2], [1, 2]], {"bootstrap": 0}, "bootstrap= must be a number of resamples"),
        ([[1, 2], [1, 2]], {"ci": 95}, "ci= must be a coverage between 0 and 1"),
        ([[1, 2], [1, 2]], {"measurement": lambda c, k: np.ones(3)}, "must return a 2 x 2 array"),
    ],
)
def test_alpha_errors(data, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        krippendorff_alpha(data, **kwargs)


def test_missing_value_error_names_the_category_in_problems():
    with pytest.raises(ValidationError) as caught:
        krippendorff_alpha(
            [["low", "mid", "hihg"], ["low", "mid", "high"]], "ordinal", values=["low", "mid", "high"]
        )
    problems = caught.value.problems
    assert problems["value"].tolist() == ["hihg"]
    assert problems["suggestions"].tolist() == ["high"]
    assert isinstance(caught.value, PolicyQuantError)


def test_ragged_rows_are_refused():
    with pytest.raises(ValidationError, match="rectangular"):
        krippendorff_alpha([[1, 2, 3], [1, 2]])


# --------------------------------------------------------------------------
# Reliability data.


def test_reliability_data_codes_and_passthrough():
    coded = reliability_data([["b", None, "a"], ["b", "c", "c"]])
    assert coded.codes.tolist() == [[1, -1, 0], [1, 2, 2]]
    assert list(coded.categories) == ["a", "b", "c"] and not coded.ordered and not coded.numeric
    assert reliability_data(coded) is coded
    recoded = reliability_data(coded, values=["c", "b", "a"])
    assert recoded.codes.tolist() == [[1, -1, 2], [1, 0, 0]] and recoded.ordered
    numeric = reliability_data(pd.DataFrame([[1, 2], [2, pd.NA]], dtype="Int64"))
    assert numeric.numeric and numeric.codes.tolist() == [[0, 1], [1, -1]]


# --------------------------------------------------------------------------
# Cohen's kappa.


def test_cohen_sas_example_unweighted():
    """SAS/STAT: kappa 0.4842, ASE 0.1380, 95% limits 0.2137-0.7547; ASE under H0 0.1484, Z 3.2626."""
    result = cohen_kappa(*expand(SAS_TABLE))
    assert round(result.kappa, 4) == 0.4842
    assert round(result.se, 4) == 0.1380
    assert [round(x, 4) for x in result.ci] == [0.2137, 0.7547]
    assert round(result.se0, 4) == 0.1484
    assert round(result.z, 4) == 3.2626
    assert round(result.pvalue, 4) == 0.0011
    assert result.n == 19 and result.n_dropped == 0


def test_cohen_sas_example_weighted():
    """SAS/STAT weighted (Cicchetti-Allison) kappa: 0.4701, ASE 0.1457, 0.1845-0.7558; H0 0.1426, Z 3.2971."""
    result = cohen_kappa(*expand(SAS_TABLE), weights="linear")
    assert round(result.kappa, 4) == 0.4701
    assert round(result.se, 4) == 0.1457
    assert [round(x, 4) for x in result.ci] == [0.1845, 0.7558]
    assert round(result.se0, 4) == 0.1426
    assert round(result.z, 4) == 3.2971
    assert round(result.pvalue, 4) == 0.0010


@pytest.mark.parametrize(
    ("weights", "kappa", "z"),
    [(None, -0.006289308, -0.0604067), ("linear", 0.1459075, 1.282472), ("quadratic", 0.2520325, 1.437451)],
)
def test_cohen_irr_anxiety(weights, kappa, z):
    """R irr's kappa2(anxiety[, 2:3], ...): unweighted, "equal" and "squared" weights."""
    result = cohen_kappa(ANXIETY[:, 1], ANXIETY[:, 2], weights=weights)
    assert result.kappa == pytest.approx(kappa, abs=5e-8)
    assert result.z == pytest.approx(z, abs=5e-6)


def test_cohen_gwet_abstractors():
    """irrCAC kappa2.table(cont3x3abstractors): 0.7964094."""
    result = cohen_kappa(*expand(ABSTRACTORS, ABSTRACTOR_LABELS), values=ABSTRACTOR_LABELS)
    assert result.kappa == pytest.approx(0.7964094, abs=5e-8)
    assert result.confusion.loc["AIU", "NIU"] == 7
    assert result.confusion.index.tolist() == ABSTRACTOR_LABELS


def test_cohen_drops_units_missing_for_either_coder():
    a = ["x", "y", None, "x", "y", NAN]
    b = ["x", "y", "x", None, "x", "y"]
    result = cohen_kappa(a, b)
    assert (result.n, result.n_dropped) == (3, 3)
    assert result.kappa == pytest.approx(float(cohen_kappa(["x", "y", "y"], ["x", "y", "x"])))


def test_cohen_reads_two_row_data_and_series_names():
    first = pd.Series(["a", "b", "a", "b"], name="Wang")
    second = pd.Series(["a", "b", "b", "b"], name="Li")
    result = cohen_kappa(first, second)
    assert result.confusion.index.name == "Wang" and result.confusion.columns.name == "Li"
    assert float(cohen_kappa([first.tolist(), second.tolist()])) == result.kappa
    assert isinstance(result, CohenKappaResult)
    assert repr(result).startswith("CohenKappaResult(kappa=0.5000, weights='unweighted', n=4")
    assert str(result).startswith("Cohen's kappa = 0.500 (SE ")
    assert result.to_frame().loc["Cohen's kappa", "units"] == 4


@PROPERTIES
@given(reliability_tables(max_coders=2, max_units=40))
def test_cohen_is_symmetric(data):
    assert cohen_kappa(data[0], data[1]).kappa == pytest.approx(
        cohen_kappa(data[1], data[0]).kappa, abs=1e-12
    )


@PROPERTIES
@given(
    reliability_tables(max_coders=2, max_units=40, missing=False),
    st.sampled_from([None, "linear", "quadratic"]),
)
def test_cohen_matches_statsmodels(data, weights):
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    result = cohen_kappa(data[0], data[1], weights=weights)
    categories = np.unique(data)
    table = (
        pd.crosstab(data[0], data[1]).reindex(index=categories, columns=categories, fill_value=0).to_numpy()
    )
    expected = inter_rater.cohens_kappa(table, wt=weights)
    assert result.kappa == pytest.approx(expected.kappa, abs=1e-12)
    assert result.se == pytest.approx(expected.std_kappa, abs=1e-12)
    assert result.se0 == pytest.approx(expected.std_kappa0, abs=1e-12)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (([1, 2, 3], [1, 2]), {}, "a has 3 codes, b has 2"),
        (([[1, 2], [1, 2], [2, 2]],), {}, "exactly two coders; the data have 3"),
        (([1, 2], [1, 2]), {"weights": "lineal"}, "unknown kappa weights 'lineal'.*did you mean 'linear'"),
        ((["a", "b"], ["b", "a"]), {"weights": "linear"}, "linear weights need ordered categories"),
        (([1, NAN], [NAN, 2]), {}, "no unit was coded by both coders"),
        (([[1, 2], [1, 2]], [1, 2]), {}, "one code per unit"),
    ],
)
def test_cohen_errors(args, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        cohen_kappa(*args, **kwargs)


def test_cohen_single_shared_category_is_nan():
    result = cohen_kappa(["a", "a"], ["a", "a"])
    assert math.isnan(result.kappa) and result.observed == 1.0


# --------------------------------------------------------------------------
# Fleiss' kappa.


def test_fleiss_1971_published():
    """Fleiss (1971): kappa .430; R irr kappam.fleiss: 0.4302445, z 17.65183."""
    result = fleiss_kappa(FLEISS_1971.T)
    assert round(result.kappa, 3) == 0.430
    assert result.kappa == pytest.approx(0.4302445, abs=5e-8)
    assert result.z == pytest.approx(17.65183, abs=5e-5)
    assert (result.n_units, result.n_raters) == (30, 6)
    assert result.category_kappas.index.tolist() == [1, 2, 3, 4, 5]


def test_fleiss_wikipedia_table():
    result = fleiss_kappa_from_counts(WIKIPEDIA_FLEISS)
    assert round(result.kappa, 3) == 0.210
    assert round(result.observed, 3) == 0.378 and round(result.expected, 3) == 0.213
    assert isinstance(result, FleissKappaResult) and float(result) == result.kappa


def test_fleiss_counts_and_raw_data_agree():
    frame = pd.DataFrame(WIKIPEDIA_FLEISS, columns=list("ABCDE"))
    from_counts = fleiss_kappa_from_counts(frame)
    raw = np.array([np.repeat(list("ABCDE"), row) for row in WIKIPEDIA_FLEISS]).T  # raters x units
    from_raw = fleiss_kappa(raw)
    assert from_raw.kappa == pytest.approx(from_counts.kappa, abs=1e-14)
    pd.testing.assert_series_equal(
        from_raw.category_kappas, from_counts.category_kappas, check_index_type=False
    )
    assert from_counts.category_kappas.index.tolist() == list("ABCDE")


def test_fleiss_category_kappa_is_kappa_of_the_category_against_the_rest():
    result = fleiss_kappa(FLEISS_1971.T)
    for category in (1, 4):
        binary = fleiss_kappa(np.equal(FLEISS_1971.T, category).astype(int))
        assert result.category_kappas[category] == pytest.approx(binary.kappa, abs=1e-12)


@PROPERTIES
@given(reliability_tables(missing=False))
def test_fleiss_matches_statsmodels(data):
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    table, _ = inter_rater.aggregate_raters(data.T.astype(int))
    assert fleiss_kappa(data).kappa == pytest.approx(inter_rater.fleiss_kappa(table), abs=1e-12)


def test_fleiss_ignores_units_nobody_rated():
    data = np.hstack([FLEISS_1971.T.astype(float), np.full((6, 2), NAN)])
    assert fleiss_kappa(data).kappa == pytest.approx(fleiss_kappa(FLEISS_1971.T).kappa, abs=1e-15)


def test_fleiss_rejects_unequal_numbers_of_ratings():
    data = FLEISS_1971.T.astype(float)
    data[0, [3, 7]] = NAN
    with pytest.raises(
        ValidationError, match="same number of ratings for every unit; 2 of 30 units differ"
    ) as caught:
        fleiss_kappa(data)
    assert caught.value.problems["column"].tolist() == [3, 7]
    assert caught.value.problems["value"].tolist() == [5, 5]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ([[1, 2], [2, 2]], "same number of ratings in every row"),
        ([[1, -1], [0, 0]], "finite counts of zero or more"),
        ([1, 2, 3], "must be 2-D"),
        ([[1, 0], [0, 1]], "at least two ratings per unit"),
    ],
)
def test_fleiss_from_counts_errors(table, message):
    with pytest.raises(ValidationError, match=message):
        fleiss_kappa_from_counts(table)


# --------------------------------------------------------------------------
# Gwet's AC1, Brennan-Prediger, percent agreement.


def test_gwet_ac1_published_cac_raw4raters():
    """irrCAC gwet.ac1.raw(cac.raw4raters) (Krippendorff's data, units in rows): 0.77544, SE 0.14295."""
    result = gwet_ac1(KRIPPENDORFF_2011)
    assert round(result.value, 5) == 0.77544
    assert round(result.se, 5) == 0.14295
    assert round(result.observed, 5) == 0.81818 and result.observed == pytest.approx(9 / 11)
    assert round(result.expected, 5) == 0.19032
    assert (result.n_units, result.n_pairable_units, result.n_categories) == (12, 11, 5)
    assert result.ci[1] == 1.0  # capped


@pytest.mark.parametrize(
    ("function", "published"),
    [
        (gwet_ac1, 0.8493305),
        (brennan_prediger, 0.835),
        (percent_agreement, 0.89),
        (lambda data: krippendorff_alpha(data), 0.7972585),
    ],
)
def test_gwet_abstractors_published(function, published):
    """irrCAC's overview of cont3x3abstractors (Gwet 2014)."""
    assert float(function(list(expand(ABSTRACTORS, ABSTRACTOR_LABELS)))) == pytest.approx(published, abs=5e-8)


def test_brennan_prediger_counts_unused_categories():
    assert float(brennan_prediger(KRIPPENDORFF_2011)) == pytest.approx((9 / 11 - 1 / 5) / (4 / 5))
    wider = brennan_prediger(KRIPPENDORFF_2011, values=range(1, 11))
    assert wider.n_categories == 10 and float(wider) == pytest.approx((9 / 11 - 0.1) / 0.9)


def test_percent_agreement_averages_over_units():
    """Units (a, a, a) and (a, b): 1 and 0, so 0.5 (pooled pairs would give 3 / 4)."""
    result = percent_agreement([["a", "a"], ["a", "b"], ["a", None]])
    assert result.value == result.observed == 0.5 and result.expected == 0.0
    assert isinstance(result, AgreementResult) and result.coefficient == "percent agreement"


@PROPERTIES
@given(reliability_tables(max_coders=2, max_units=40, missing=False))
def test_two_coder_closed_forms(data):
    """Two coders, no missing values: p_a is the share of agreeing units; BP = (p_a - 1/q) / (1 - 1/q)."""
    p_a = (data[0] == data[1]).mean()
    assert float(percent_agreement(data)) == pytest.approx(p_a, abs=1e-12)
    q = len(np.unique(data))
    assert float(brennan_prediger(data)) == pytest.approx((p_a - 1 / q) / (1 - 1 / q), abs=1e-12)
    shares = np.array([(data == v).mean() for v in np.unique(data)])
    p_e = (shares * (1 - shares)).sum() / (q - 1)
    assert float(gwet_ac1(data)) == pytest.approx((p_a - p_e) / (1 - p_e), abs=1e-12)


def test_gwet_single_category_is_nan_unless_values_are_given():
    data = [["no", "no", "no"], ["no", "no", None]]
    assert math.isnan(float(gwet_ac1(data))) and math.isnan(float(brennan_prediger(data)))
    assert float(percent_agreement(data)) == 1.0
    assert float(gwet_ac1(data, values=["no", "yes"])) == 1.0


def test_gwet_summary_and_frame():
    result = gwet_ac1(KRIPPENDORFF_2011)
    assert str(result).startswith("Gwet's AC1 = 0.775 (SE 0.143, 95% CI [")
    assert repr(result) == 'AgreementResult(value=0.7754, coefficient="Gwet\'s AC1", n_units=12, se=0.1429)'
    frame = result.to_frame()
    assert frame.loc["Gwet's AC1", "p_a"] == pytest.approx(9 / 11)


@pytest.mark.parametrize("function", [gwet_ac1, brennan_prediger, percent_agreement])
def test_gwet_errors(function):
    with pytest.raises(ValidationError, match="no unit was coded by two or more coders"):
        function([[1, NAN], [NAN, 2]])
    with pytest.raises(ValidationError, match="at least two coders"):
        function([[1, 2]])
    with pytest.raises(ValidationError, match="ci= must be"):
        function([[1, 2], [1, 2]], ci=1.5)


# --------------------------------------------------------------------------
# Sparse counts (over 64 categories) give what dense counts give.


def test_sparse_and_dense_counts_agree(monkeypatch):
    data = synthetic(4, 120, k=8, seed=21)
    complete = synthetic(4, 120, k=8, missing=0.0, seed=22)
    functions = {
        "alpha": lambda: [krippendorff_alpha(data, level).alpha for level in LEVELS],
        "gwet": lambda: (
            [float(f(data)) for f in (gwet_ac1, brennan_prediger, percent_agreement)] + [gwet_ac1(data).se]
        ),
        "fleiss": lambda: [fleiss_kappa(complete).kappa, *fleiss_kappa(complete).category_kappas],
    }
    dense = {name: f() for name, f in functions.items()}
    monkeypatch.setattr(rc, "_DENSE_CATEGORIES", 0)
    assert not isinstance(rc._unit_counts(reliability_data(data).codes, 8), np.ndarray)
    for name, f in functions.items():
        assert f() == pytest.approx(dense[name], abs=1e-12)
