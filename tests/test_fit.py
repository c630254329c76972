"""Tests of :func:`policyquant.fit`: the chi-square test of a crosstab, Cramér's V and residuals.

The statistics are checked against :func:`scipy.stats.chi2_contingency` (without
Yates' correction) and :func:`scipy.stats.contingency.association`, and the
adjusted standardized residuals against small tables worked out by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.stats.contingency import association

import policyquant as pq
from policyquant.datasets import data_path

WANG = pq.get_framework("wang2026")
INSTRUMENTS = WANG.instrument_keys
OBJECTIVES = WANG.objective_keys
FAMILIES = WANG.family_keys


def corpus_from_table(table: np.ndarray | list[list[int]], instruments=None, objectives=None) -> pq.Corpus:
    """A corpus whose instrument x objective codings are ``table``: one single-objective clause per count."""
    table = np.asarray(table)
    instruments = list(instruments or INSTRUMENTS[: table.shape[0]])
    objectives = list(objectives or OBJECTIVES[: table.shape[1]])
    rows = []
    for i, instrument in enumerate(instruments):
        for j, objective in enumerate(objectives):
            rows += [(instrument, objective)] * int(table[i, j])
    units = pd.DataFrame(
        {
            "unit_id": [f"D1-1-{k + 1}" for k in range(len(rows))],
            "doc_id": ["D1"] * len(rows),
            "instrument": [r[0] for r in rows],
            "objectives": [r[1] for r in rows],
        }
    )
    return pq.Corpus(None, units)


def scipy_reference(observed: pd.DataFrame) -> tuple[float, int, float, np.ndarray, float]:
    chi2, pvalue, dof, expected = stats.chi2_contingency(observed.to_numpy(), correction=False)
    return chi2, dof, pvalue, expected, association(observed.to_numpy(), method="cramer")


def assert_matches_scipy(result: pq.FitResult) -> None:
    chi2, dof, pvalue, expected, cramer = scipy_reference(result.observed)
    assert result.chi2 == pytest.approx(chi2, rel=1e-10)
    assert result.dof == dof
    assert result.pvalue == pytest.approx(pvalue, rel=1e-8, abs=1e-300)
    np.testing.assert_allclose(result.expected.to_numpy(), expected, rtol=1e-12)
    assert result.cramers_v == pytest.approx(cramer, rel=1e-10)


@pytest.fixture(scope="module")
def genai():
    return pq.datasets.load_genai_china()


# --------------------------------------------------------------------------
# Against scipy on the bundled corpus.


def test_bundled_instrument_by_objective_against_scipy(genai):
    result = pq.fit(genai)
    # The observed table is Table 4: the codings crosstab, computed independently with pandas.
    codings = genai.codings
    reference = pd.crosstab(codings["instrument"], codings["objective"], dropna=False)
    reference = reference.reindex(index=list(INSTRUMENTS), columns=list(OBJECTIVES), fill_value=0)
    np.testing.assert_array_equal(result.observed.to_numpy(), reference.to_numpy())
    assert list(result.observed.index) == list(INSTRUMENTS)
    assert list(result.observed.columns) == list(OBJECTIVES)
    assert result.n == 908
    assert result.dof == 45
    assert result.dropped == ()
    assert_matches_scipy(result)
    assert result.expected.shape == result.residuals.shape == (16, 4)
    assert list(result.residuals.index) == list(INSTRUMENTS)
    assert result.to_frame() is result.residuals


def test_bundled_family_level_against_scipy(genai):
    result = pq.fit(genai, rows="family")
    codings = genai.codings
    reference = pd.crosstab(codings["family"], codings["objective"], dropna=False)
    reference = reference.reindex(index=list(FAMILIES), columns=list(OBJECTIVES), fill_value=0)
    np.testing.assert_array_equal(result.observed.to_numpy(), reference.to_numpy())
    assert list(result.observed.index) == list(FAMILIES)
    assert result.dof == (3 - 1) * (4 - 1)
    assert result.n == 908
    assert_matches_scipy(result)
    # Family rows are sums of their instruments' rows.
    instrument_level = pq.fit(genai).observed
    for family in FAMILIES:
        members = [i.key for i in WANG.instruments if i.family == family]
        np.testing.assert_array_equal(
            result.observed.loc[family].to_numpy(), instrument_level.loc[members].sum(axis=0).to_numpy()
        )


def test_bundled_units_by_document_field_against_scipy(genai):
    # Fit works on any two fields crosstab accepts, counting clauses here.
    result = pq.fit(genai, rows="family", columns="level", count="units")
    units = genai.units.merge(genai.documents[["doc_id", "level"]], on="doc_id")
    family_of = {i.key: i.family for i in WANG.instruments}
    reference = pd.crosstab(units["instrument"].astype(str).map(family_of), units["level"].astype(str))
    reference = reference.reindex(index=list(FAMILIES), columns=["national", "provincial"], fill_value=0)
    np.testing.assert_array_equal(result.observed.to_numpy(), reference.to_numpy())
    assert result.n == 670
    assert_matches_scipy(result)


def test_bundled_summary_text(genai):
    assert pq.fit(genai, rows="family").summary() == (
        "chi2(6) = 63.38, p = 9.2e-12, Cramér's V = 0.187, n = 908; 0 of 12 expected counts below 5"
    )
    result = pq.fit(genai)
    text = result.summary()
    assert text.startswith(f"chi2(45) = {result.chi2:.2f}, p = {result.pvalue:.2g}, ")
    assert f"n = 908; {result.sparse_cells} of 64 expected counts below 5" in text
    assert result.sparse  # the instrument-level table has many small expected counts
    assert text.endswith("(Cochran's rule fails: the p-value is approximate; read the residuals)")
    assert "left out" not in text
    assert str(result).startswith(text + "\n\nAdjusted standardized residuals:\n")


# --------------------------------------------------------------------------
# Against scipy on random tables.


@st.composite
def count_tables(draw):
    r = draw(st.integers(2, 6))
    c = draw(st.integers(2, 4))
    cells = draw(st.lists(st.integers(0, 12), min_size=r * c, max_size=r * c))
    return np.array(cells).reshape(r, c)


@settings(max_examples=60, deadline=None)
@given(table=count_tables())
def test_random_tables_against_scipy(table):
    corpus = corpus_from_table(table)
    kept_rows = table.sum(axis=1) > 0
    kept_columns = table.sum(axis=0) > 0
    if kept_rows.sum() < 2 or kept_columns.sum() < 2:
        with pytest.raises(pq.ValidationError, match="at least two"):
            pq.fit(corpus)
        return
    result = pq.fit(corpus)
    np.testing.assert_array_equal(result.observed.to_numpy(), table[kept_rows][:, kept_columns])
    assert list(result.observed.index) == [
        k for k, keep in zip(INSTRUMENTS[: len(kept_rows)], kept_rows, strict=True) if keep
    ]
    assert list(result.observed.columns) == [
        k for k, keep in zip(OBJECTIVES[: len(kept_columns)], kept_columns, strict=True) if keep
    ]
    assert result.n == table.sum()
    assert_matches_scipy(result)
    # Every absent instrument and objective is listed, rows first, in framework order.
    absent_instruments = [k for k in INSTRUMENTS if k not in result.observed.index]
    absent_objectives = [k for k in OBJECTIVES if k not in result.observed.columns]
    assert result.dropped == (*absent_instruments, *absent_objectives)
    # Residuals follow the documented formula cell by cell.
    values = result.observed.to_numpy(dtype=float)
    n = values.sum()
    row = values.sum(axis=1, keepdims=True)
    col = values.sum(axis=0, keepdims=True)
    expected = row * col / n
    reference = (values - expected) / np.sqrt(expected * (1 - row / n) * (1 - col / n))
    np.testing.assert_allclose(result.residuals.to_numpy(), reference, rtol=1e-10)


def test_multi_objective_clauses_count_once_per_objective():
    units = pd.DataFrame(
        {
            "unit_id": ["D1-1-1", "D1-1-2", "D1-1-3", "D1-1-4"],
            "doc_id": ["D1"] * 4,
            "instrument": ["standards_and_norms", "standards_and_norms", "infrastructure", "infrastructure"],
            "objectives": [
                "public_safety; rights_protection",
                "public_safety",
                "tech_innovation",
                "public_safety",
            ],
        }
    )
    result = pq.fit(pq.Corpus(None, units))
    expected = pd.DataFrame(
        [[1, 2, 0], [0, 1, 1]],
        index=["standards_and_norms", "infrastructure"],
        columns=["rights_protection", "public_safety", "tech_innovation"],
    )
    np.testing.assert_array_equal(result.observed.to_numpy(), expected.to_numpy())
    assert list(result.observed.index) == list(expected.index)
    assert list(result.observed.columns) == list(expected.columns)
    assert result.n == 5
    assert_matches_scipy(result)


# --------------------------------------------------------------------------
# Residuals by hand.


def test_two_by_two_by_hand():
    #                 rights  safety | R
    #   standards        8      2    | 10
    #   infrastructure   2      8    | 10
    #   C               10     10    | N = 20
    # E = 10 * 10 / 20 = 5 in every cell.
    # chi2 = 4 * (8 - 5)^2 / 5 = 7.2; V = sqrt(7.2 / 20) = 0.6.
    # residual = (8 - 5) / sqrt(5 * (1 - 10/20) * (1 - 10/20)) = 3 / sqrt(1.25) = 2.6833
    result = pq.fit(corpus_from_table([[8, 2], [2, 8]]))
    np.testing.assert_allclose(result.expected.to_numpy(), [[5.0, 5.0], [5.0, 5.0]])
    assert result.chi2 == pytest.approx(7.2)
    assert result.dof == 1
    assert result.cramers_v == pytest.approx(0.6)
    assert result.pvalue == pytest.approx(stats.chi2.sf(7.2, 1))
    big = 3 / math.sqrt(1.25)
    np.testing.assert_allclose(result.residuals.to_numpy(), [[big, -big], [-big, big]])
    assert big == pytest.approx(2.6832815729997477)
    # No expected count is below 5: Cochran's rule holds.
    assert result.sparse_cells == 0
    assert result.sparse is False


def test_two_by_three_by_hand():
    #                 rights  safety  innovation | R
    #   standards        6      2        2       | 10
    #   infrastructure   2      4        4       | 10
    #   C                8      6        6       | N = 20
    # E(row, rights) = 10 * 8 / 20 = 4; E(row, safety) = E(row, innovation) = 10 * 6 / 20 = 3.
    # chi2 = 2 * (6-4)^2/4 + 2 * (2-3)^2/3 + 2 * (4-3)^2/3 = 2 + 4/3 = 10/3; dof = 2.
    # V = sqrt((10/3) / (20 * (2 - 1))) = sqrt(1/6).
    # residual(standards, rights) = (6 - 4) / sqrt(4 * (1 - 10/20) * (1 - 8/20)) = 2 / sqrt(1.2)
    # residual(standards, safety) = (2 - 3) / sqrt(3 * (1 - 10/20) * (1 - 6/20)) = -1 / sqrt(1.05)
    result = pq.fit(corpus_from_table([[6, 2, 2], [2, 4, 4]]))
    np.testing.assert_allclose(result.expected.to_numpy(), [[4.0, 3.0, 3.0], [4.0, 3.0, 3.0]])
    assert result.chi2 == pytest.approx(10 / 3)
    assert result.dof == 2
    assert result.cramers_v == pytest.approx(math.sqrt(1 / 6))
    assert result.pvalue == pytest.approx(math.exp(-(10 / 3) / 2))  # chi2 with 2 dof: sf(x) = e^(-x/2)
    a = 2 / math.sqrt(1.2)
    b = 1 / math.sqrt(1.05)
    np.testing.assert_allclose(result.residuals.to_numpy(), [[a, -b, -b], [-a, b, b]])
    assert result.residuals.loc["standards_and_norms", "rights_protection"] == pytest.approx(
        1.8257418583505538
    )
    # All six expected counts are below 5.
    assert result.sparse_cells == 6
    assert result.sparse is True


# --------------------------------------------------------------------------
# Dropped categories and errors.


def test_rows_and_columns_without_counts_are_dropped_and_listed():
    corpus = corpus_from_table(
        [[8, 2], [2, 8]],
        instruments=["infrastructure", "talent_development"],
        objectives=["public_safety", "application_scenarios"],
    )
    result = pq.fit(corpus)
    assert list(result.observed.index) == ["infrastructure", "talent_development"]
    assert list(result.observed.columns) == ["public_safety", "application_scenarios"]
    other_instruments = tuple(k for k in INSTRUMENTS if k not in ("infrastructure", "talent_development"))
    assert result.dropped == (*other_instruments, "rights_protection", "tech_innovation")
    assert len(result.dropped) == 14 + 2
    # Dropping empty categories leaves the statistics of the non-empty table.
    assert result.chi2 == pytest.approx(7.2)
    assert result.dof == 1
    text = result.summary()
    assert text.endswith("; left out for having no counts: " + ", ".join(result.dropped))


def test_nothing_dropped_lists_nothing(genai):
    assert pq.fit(genai, rows="family").dropped == ()


@pytest.mark.parametrize(
    ("table", "instruments", "objectives", "counts"),
    [
        # One instrument with counts.
        ([[3, 4, 5]], ["infrastructure"], OBJECTIVES[:3], "1 and 3"),
        # One objective with counts.
        ([[3], [4], [5]], INSTRUMENTS[:3], ["public_safety"], "3 and 1"),
        # One clause: one of each.
        ([[1]], ["infrastructure"], ["public_safety"], "1 and 1"),
    ],
)
def test_fewer_than_two_categories_with_counts_is_an_error(table, instruments, objectives, counts):
    corpus = corpus_from_table(table, instruments=instruments, objectives=objectives)
    with pytest.raises(pq.ValidationError) as info:
        pq.fit(corpus)
    message = str(info.value)
    assert "at least two instrument and two objective categories with counts" in message
    assert f"this corpus has {counts}" in message


def test_family_level_with_one_family_is_an_error():
    # Two instruments, both mandatory: two rows at instrument level, one at family level.
    corpus = corpus_from_table([[3, 1], [1, 3]], instruments=["standards_and_norms", "infrastructure"])
    assert pq.fit(corpus).dof == 1
    with pytest.raises(pq.ValidationError, match="two family and two objective"):
        pq.fit(corpus, rows="family")


def test_unknown_field_is_an_error(genai):
    with pytest.raises(pq.ValidationError, match="cannot group by 'instrumnet'"):
        pq.fit(genai, rows="instrumnet")


# --------------------------------------------------------------------------
# Cochran's rule.


def test_sparse_false_when_exactly_a_fifth_of_cells_are_small():
    # Four rows of 10 per objective and one row of 2 per objective: N = 168, column totals 42.
    # E(big row) = 40 * 42 / 168 = 10; E(small row) = 8 * 42 / 168 = 2.
    # 4 of 20 cells (exactly 20%) are below 5 and none below 1: Cochran's rule holds.
    result = pq.fit(corpus_from_table([[10] * 4] * 4 + [[2] * 4]))
    np.testing.assert_allclose(result.expected.to_numpy()[:4], 10.0)
    np.testing.assert_allclose(result.expected.to_numpy()[4], 2.0)
    assert result.sparse_cells == 4
    assert result.sparse is False
    assert "Cochran" not in result.summary()
    assert "4 of 20 expected counts below 5" in result.summary()


def test_sparse_true_when_over_a_fifth_of_cells_are_small():
    # Three rows of 10 and two rows of 2: 8 of 20 cells (40%) have E < 5, none below 1.
    result = pq.fit(corpus_from_table([[10] * 4] * 3 + [[2] * 4] * 2))
    assert result.sparse_cells == 8
    assert (result.expected.to_numpy() >= 1).all()
    assert result.sparse is True
    assert "(Cochran's rule fails" in result.summary()


def test_sparse_true_when_any_expected_count_is_below_one():
    # Four rows of 10 per objective and one clause: N = 161.
    # E(single clause's row) = 1 * C_j / 161 < 1 in all four cells; 4 of 20 cells (20%) are small,
    # which alone would pass, but an expected count below 1 fails the rule.
    table = [[10] * 4] * 4 + [[1, 0, 0, 0]]
    result = pq.fit(corpus_from_table(table))
    assert result.sparse_cells == 4
    assert (result.expected.to_numpy()[4] < 1).all()
    assert result.sparse is True


# --------------------------------------------------------------------------
# Invariance to the order of the clauses.


def _coding_sheets() -> tuple[pd.DataFrame, pd.DataFrame]:
    documents = pd.read_csv(data_path("genai_china_documents.csv"), dtype=str, keep_default_na=False)
    units = pd.read_csv(data_path("genai_china_units.csv"), dtype=str, keep_default_na=False)
    return documents, units


SHEETS = _coding_sheets()


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), rows=st.sampled_from(["instrument", "family"]))
def test_statistics_do_not_depend_on_unit_row_order(genai, seed, rows):
    documents, units = SHEETS
    shuffled = units.sample(frac=1, random_state=np.random.RandomState(seed))
    corpus = pq.Corpus(documents, shuffled)
    assert corpus.units["unit_id"].tolist() == shuffled["unit_id"].tolist()
    result, original = pq.fit(corpus, rows=rows), pq.fit(genai, rows=rows)
    pd.testing.assert_frame_equal(result.observed, original.observed)
    assert result.chi2 == pytest.approx(original.chi2, rel=1e-12)
    assert result.dof == original.dof
    assert result.pvalue == pytest.approx(original.pvalue, rel=1e-9)
    assert result.cramers_v == pytest.approx(original.cramers_v, rel=1e-12)
    np.testing.assert_allclose(result.residuals.to_numpy(), original.residuals.to_numpy(), rtol=1e-12)
