"""Policy-portfolio measures and similarity (policyquant.analysis.portfolios).

The reference is the R package PolicyPortfolios (Fernández-i-Marín, Knill &
Steinebach): small portfolios are computed by hand below, random ones are
compared with the loop-by-loop port in ``benchmarks/policyportfolios_port.py``,
and the CONSENSUS environmental portfolios of France and the United States are
compared with the Average Instrument Diversity published in the 2021 APSR
article (as checked by the R package's own ``tests/testthat/test_diversity.R``).
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import policyquant as pq
from policyquant.analysis.portfolios import MEASURES, portfolio_measures, portfolio_similarity
from policyquant.errors import ValidationError

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the port lives in benchmarks/, next to tests/
    sys.path.insert(0, str(ROOT))

from benchmarks import policyportfolios_port as port  # noqa: E402

CONSENSUS_CANDIDATES = (
    ROOT.parent / "shared" / "anchors" / "consensus.csv.gz",
    Path("/work/shared/anchors/consensus.csv.gz"),
)

#: Average Instrument Diversity of the environmental portfolios, as published (APSR 2021) and
#: checked in PolicyPortfolios' tests/testthat/test_diversity.R: 1976 (FR, US), 2005 (FR, US).
PUBLISHED_AID = {
    ("France", 1976): 0.464,
    ("United States", 1976): 0.839,
    ("France", 2005): 0.855,
    ("United States", 2005): 0.850,
}


def tidy(matrix, instruments=None, targets=None, **ids) -> pd.DataFrame:
    """A tidy frame (Instrument, Target, covered, plus the id columns) from an instruments x targets matrix."""
    matrix = np.asarray(matrix)
    instruments = instruments or [f"i{k}" for k in range(matrix.shape[0])]
    targets = targets or [f"t{k}" for k in range(matrix.shape[1])]
    i, t = np.meshgrid(np.arange(matrix.shape[0]), np.arange(matrix.shape[1]), indexing="ij")
    frame = pd.DataFrame(
        {
            "Instrument": np.asarray(instruments)[i.ravel()],
            "Target": np.asarray(targets)[t.ravel()],
            "covered": matrix.ravel().astype(int),
        }
    )
    for name, value in ids.items():
        frame.insert(0, name, value)
    return frame


def one_portfolio(matrix, **kwargs) -> pd.Series:
    """The measures of a single portfolio given as a matrix."""
    return portfolio_measures(tidy(matrix, portfolio="P"), by="portfolio", **kwargs).to_frame().loc["P"]


def assert_measures(result: pd.Series, expected: dict[str, float]) -> None:
    assert list(expected) == list(MEASURES), "the hand computation lists every measure, in order"
    for name, value in expected.items():
        got = float(result[name])
        if math.isnan(value):
            assert math.isnan(got), name
        else:
            assert got == pytest.approx(value, rel=1e-12, abs=1e-12), name


# Hand-computed portfolios ---------------------------------------------------------


def test_two_by_two_by_hand():
    # Instruments (sorted) ban, tax; targets air, water.
    #        air water
    #   ban   1    0        r_ban = 1
    #   tax   1    1        r_tax = 2        s_air = 2, s_water = 1, S = 3
    # AID, per covered cell: (S - s_t - (r_i - 1)) / (S - s_t)
    #   (ban, air):   (1 - 0) / 1 = 1
    #   (tax, air):   (1 - 1) / 1 = 0
    #   (tax, water): (2 - 1) / 2 = 1/2            mean 1/2
    # Gini-Simpson 1 - (1/3)^2 - (2/3)^2 = 4/9; Shannon -(1/3 log2 1/3 + 2/3 log2 2/3) = 0.9182958
    # configurations: rows (1, 0) and (1, 1), one instrument each: unique 2, Gini 0, c_eq 1
    # burden by instrument (T = 2): continuous b(1) = 1, b(2) = 2 - 2*1/(2*2) = 3/2 -> 5/2 / 4
    #   steep 1 + 3/2 -> 5/8; capped 1 + 3/2 -> 5/8
    # burden by target (I = 2, s = 2, 1): the same numbers -> 5/8 each
    data = pd.DataFrame(
        {
            "Instrument": ["tax", "tax", "ban", "ban"],
            "Target": ["air", "water", "air", "water"],
            "covered": [1, 1, 1, 0],
        }
    )
    result = portfolio_measures(data, by=[]).to_frame()
    assert len(result) == 1
    shannon = -(1 / 3 * math.log2(1 / 3) + 2 / 3 * math.log2(2 / 3))
    assert_measures(
        result.iloc[0],
        {
            "space": 4,
            "size": 3 / 4,
            "n_instruments": 2,
            "p_instruments": 1.0,
            "n_targets": 2,
            "p_targets": 1.0,
            "unique": 2,
            "c_eq": 1.0,
            "div_aid": 0.5,
            "div_gs": 4 / 9,
            "div_sh": shannon,
            "eq_sh": shannon / 1.0,
            "in_prep": 3 / 2,
            "burden_continuous": 5 / 8,
            "burden_steep": 5 / 8,
            "burden_capped": 5 / 8,
            "burden_targets_continuous": 5 / 8,
            "burden_targets_steep": 5 / 8,
            "burden_targets_capped": 5 / 8,
        },
    )


def test_three_by_three_by_hand():
    #        x  y  z
    #   a    1  1  0      r = 2
    #   b    1  0  0      r = 1
    #   c    0  0  0      r = 0          s = (2, 1, 0), S = 3, I = T = 3
    # AID: (a, x) (1 - 1)/1 = 0; (b, x) (1 - 0)/1 = 1; (a, y) (2 - 1)/2 = 1/2 -> mean 1/2
    # configurations (1,1,0), (1,0,0), (0,0,0): three, one instrument each -> unique 3, c_eq 1
    # Gini-Simpson 1 - 4/9 - 1/9 = 4/9; Shannon 0.9182958; equitability / log2(3)
    # burden by instrument (T = 3): continuous b(2) = 2 - 2/6 = 5/3, b(1) = 1 -> (8/3) / 9
    #   steep 3/2 + 1 = 5/2 -> 5/18; capped 3/2 + 1 -> 5/18
    # burden by target (I = 3, s = 2, 1, 0): the same -> 8/27, 5/18, 5/18
    shannon = -(1 / 3 * math.log2(1 / 3) + 2 / 3 * math.log2(2 / 3))
    result = one_portfolio([[1, 1, 0], [1, 0, 0], [0, 0, 0]])
    assert_measures(
        result,
        {
            "space": 9,
            "size": 1 / 3,
            "n_instruments": 2,
            "p_instruments": 2 / 3,
            "n_targets": 2,
            "p_targets": 2 / 3,
            "unique": 3,
            "c_eq": 1.0,
            "div_aid": 0.5,
            "div_gs": 4 / 9,
            "div_sh": shannon,
            "eq_sh": shannon / math.log2(3),
            "in_prep": 1.5,
            "burden_continuous": 8 / 27,
            "burden_steep": 5 / 18,
            "burden_capped": 5 / 18,
            "burden_targets_continuous": 8 / 27,
            "burden_targets_steep": 5 / 18,
            "burden_targets_capped": 5 / 18,
        },
    )


def test_four_by_two_by_hand():
    #        u  v
    #   p    1  1      r = 2
    #   q    1  1      r = 2
    #   r    1  0      r = 1
    #   s    0  0      r = 0        s = (3, 2), S = 5, I = 4, T = 2
    # AID: (p,u) (q,u): (2 - 1)/2 = 1/2; (r,u): 2/2 = 1; (p,v) (q,v): (3 - 1)/3 = 2/3
    #   mean (1/2 + 1/2 + 1 + 2/3 + 2/3) / 5 = 2/3
    # configurations (1,1) x 2, (1,0) x 1, (0,0) x 1 -> counts [2, 1, 1]: unique 2
    #   Gini: sorted 1, 1, 2; 2 (1*1 + 1*2 + 2*3) / 4 - 4 = 1/2, / 3 = 1/6 -> c_eq 5/6
    # Gini-Simpson 1 - (4 + 4 + 1)/25 = 16/25; Shannon -(2 * 0.4 log2 0.4 + 0.2 log2 0.2)
    # burden by instrument (T = 2): continuous b(2) = 2 - 2/4 = 3/2 (twice), b(1) = 1 -> 4 / 8
    #   steep 3/2 + 3/2 + 1 = 4 -> 1/2; capped 3/2 + 3/2 + 1 = 4 -> 1/2
    # burden by target (I = 4; s = 3, 2): continuous 3 - 6/8 = 9/4, 2 - 2/8 = 7/4 -> 4 / 8
    #   steep (1 + 1/2 + 1/3) + 3/2 = 10/3 -> 5/12; capped 2 + 3/2 = 7/2 -> 7/16
    shannon = -(2 * 0.4 * math.log2(0.4) + 0.2 * math.log2(0.2))
    result = one_portfolio([[1, 1], [1, 1], [1, 0], [0, 0]])
    assert_measures(
        result,
        {
            "space": 8,
            "size": 5 / 8,
            "n_instruments": 3,
            "p_instruments": 3 / 4,
            "n_targets": 2,
            "p_targets": 1.0,
            "unique": 2,
            "c_eq": 5 / 6,
            "div_aid": 2 / 3,
            "div_gs": 16 / 25,
            "div_sh": shannon,
            "eq_sh": shannon / 2,
            "in_prep": 5 / 2,
            "burden_continuous": 1 / 2,
            "burden_steep": 1 / 2,
            "burden_capped": 1 / 2,
            "burden_targets_continuous": 1 / 2,
            "burden_targets_steep": 5 / 12,
            "burden_targets_capped": 7 / 16,
        },
    )


# Edge cases -------------------------------------------------------------------------


def test_empty_portfolio_as_in_r():
    # Nothing covered: R gives size 0, AID 0 (diversity_aid's "Empty portfolio"), vegan's
    # Gini-Simpson of an all-zero vector 1 and Shannon 0, one configuration shared by all
    # three instruments (unique 0, c_eq 1), in_prep 0 / 0 = NaN and burdens 0.
    assert_measures(
        one_portfolio(np.zeros((3, 2))),
        {
            "space": 6,
            "size": 0.0,
            "n_instruments": 0,
            "p_instruments": 0.0,
            "n_targets": 0,
            "p_targets": 0.0,
            "unique": 0,
            "c_eq": 1.0,
            "div_aid": 0.0,
            "div_gs": 1.0,
            "div_sh": 0.0,
            "eq_sh": 0.0,
            "in_prep": math.nan,
            "burden_continuous": 0.0,
            "burden_steep": 0.0,
            "burden_capped": 0.0,
            "burden_targets_continuous": 0.0,
            "burden_targets_steep": 0.0,
            "burden_targets_capped": 0.0,
        },
    )


def test_full_portfolio():
    # Every cell covered, I = 3 instruments x T = 4 targets: each cell's share of other
    # instruments outside its target is (I(T-1) - (T-1)) / (I(T-1)) = (I-1)/I; all rows equal.
    # burden by instrument: continuous 3 (T+1)/2 / 12 = 5/8; steep H_4 / 4; capped (T+1)/(2T)
    # burden by target: continuous 4 (I+1)/2 / 12 = 2/3; steep H_3 / 3; capped (I+1)/(2I)
    h3, h4 = 1 + 1 / 2 + 1 / 3, 1 + 1 / 2 + 1 / 3 + 1 / 4
    assert_measures(
        one_portfolio(np.ones((3, 4))),
        {
            "space": 12,
            "size": 1.0,
            "n_instruments": 3,
            "p_instruments": 1.0,
            "n_targets": 4,
            "p_targets": 1.0,
            "unique": 0,
            "c_eq": 1.0,
            "div_aid": 2 / 3,
            "div_gs": 2 / 3,
            "div_sh": math.log2(3),
            "eq_sh": 1.0,
            "in_prep": 3.0,
            "burden_continuous": 5 / 8,
            "burden_steep": h4 / 4,
            "burden_capped": 5 / 8,
            "burden_targets_continuous": 2 / 3,
            "burden_targets_steep": h3 / 3,
            "burden_targets_capped": 2 / 3,
        },
    )


def test_single_instrument():
    # One instrument covering two of three targets.  R's pp_measures() cannot run this (its
    # array drops to a vector); the R functions on the 1 x 3 matrix give: AID 0 (one row),
    # equitability 0 / log2(1) = NaN, burden by instrument NA (burden() wants two rows), and
    # burden by target (I = 1, s = 1, 1, 0): every b(1) = 1 -> 2 / 3.
    assert_measures(
        one_portfolio([[1, 1, 0]]),
        {
            "space": 3,
            "size": 2 / 3,
            "n_instruments": 1,
            "p_instruments": 1.0,
            "n_targets": 2,
            "p_targets": 2 / 3,
            "unique": 1,
            "c_eq": 1.0,
            "div_aid": 0.0,
            "div_gs": 0.0,
            "div_sh": 0.0,
            "eq_sh": math.nan,
            "in_prep": 1.0,
            "burden_continuous": math.nan,
            "burden_steep": math.nan,
            "burden_capped": math.nan,
            "burden_targets_continuous": 2 / 3,
            "burden_targets_steep": 2 / 3,
            "burden_targets_capped": 2 / 3,
        },
    )


def test_single_target_and_single_covered_target():
    # One target: burden by target is NaN as in R; AID is 0 with fewer than two covered targets.
    result = one_portfolio([[1], [1], [0]])
    assert result["div_aid"] == 0.0
    assert math.isnan(result["burden_targets_steep"])
    assert result["burden_steep"] == pytest.approx(2 / 3)
    assert one_portfolio([[1, 0], [1, 0]])["div_aid"] == 0.0


def test_columns_dtypes_and_index():
    data = pd.concat([tidy(np.eye(2), Country="A", Year=2000), tidy(np.ones((2, 2)), Country="B", Year=1999)])
    result = portfolio_measures(data).to_frame()  # by: every other column
    assert list(result.columns) == list(MEASURES) == list(port.MEASURE_NAMES)
    assert result.index.names == ["Year", "Country"]
    assert list(result.index) == [(1999, "B"), (2000, "A")]
    assert {str(result[c].dtype) for c in ("space", "n_instruments", "n_targets", "unique")} == {"int64"}
    assert result["size"].dtype == np.float64


def test_categorical_space_keeps_unused_categories():
    # As R uses factor levels: an instrument that no row names still belongs to the space.
    data = tidy([[1, 0]], instruments=["tax"], targets=["air", "water"], portfolio="P")
    data["Instrument"] = pd.Categorical(data["Instrument"], categories=["ban", "tax"])
    result = portfolio_measures(data, by="portfolio", fill_missing=True).to_frame().loc["P"]
    assert result["space"] == 4
    assert result["p_instruments"] == 0.5
    with pytest.raises(ValidationError, match="lacks rows for 2 cells"):
        portfolio_measures(data, by="portfolio").to_frame()


def test_booleans_and_consistent_duplicates():
    data = tidy([[1, 0], [0, 1]], portfolio="P")
    expected = portfolio_measures(data, by="portfolio").to_frame()
    as_bool = data.assign(covered=data["covered"].astype(bool))
    pd.testing.assert_frame_equal(portfolio_measures(as_bool, by="portfolio").to_frame(), expected)
    doubled = pd.concat([data, data.iloc[:2]])
    pd.testing.assert_frame_equal(portfolio_measures(doubled, by="portfolio").to_frame(), expected)


def test_space_by_gives_each_sector_its_space():
    env = tidy(np.eye(3), instruments=["a", "b", "c"], targets=["x", "y", "z"], Sector="Env", Country="F")
    soc = tidy([[1, 1]], instruments=["d"], targets=["u", "v"], Sector="Soc", Country="F")
    data = pd.concat([env, soc], ignore_index=True)
    result = portfolio_measures(data, by=["Sector", "Country"], space_by="Sector").to_frame()
    assert result["space"].tolist() == [9, 2]
    assert result["size"].tolist() == [1 / 3, 1.0]
    with pytest.raises(ValidationError, match="space_by") as raised:
        portfolio_measures(data, by=["Sector", "Country"]).to_frame()
    assert "pp_complete" in str(raised.value)
    with pytest.raises(ValidationError, match="among the by columns"):
        portfolio_measures(data, by=["Country"], space_by="Sector").to_frame()


# Bad input --------------------------------------------------------------------------


def test_covered_not_binary_names_row_column_and_value():
    data = tidy([[1, 0], [0, 1]], portfolio="P")
    data.index = [10, 11, 12, 13]
    data.loc[12, "covered"] = 2
    with pytest.raises(ValidationError) as raised:
        portfolio_measures(data, by="portfolio").to_frame()
    problem = raised.value.problems.iloc[0]
    assert (problem["row"], problem["column"], problem["value"]) == (12, "covered", 2)
    assert "row 12, column 'covered', value 2" in str(raised.value)


@pytest.mark.parametrize("value", ["yes", "1", 0.5, None, -1])
def test_covered_other_values_rejected(value):
    data = tidy([[1, 0]], portfolio="P").astype({"covered": object})
    data.loc[1, "covered"] = value
    with pytest.raises(ValidationError) as raised:
        portfolio_measures(data, by="portfolio").to_frame()
    assert raised.value.problems["row"].tolist() == [1]


def test_missing_columns_suggest_close_headers():
    data = tidy([[1, 0]], portfolio="P").rename(columns={"Instrument": "instrument", "covered": "Covered"})
    with pytest.raises(ValidationError) as raised:
        portfolio_measures(data, by="portfolio").to_frame()
    problems = raised.value.problems.set_index("column")
    assert set(problems.index) == {"Instrument", "covered"}
    assert problems.loc["Instrument", "suggestions"] == "instrument"
    assert problems.loc["covered", "suggestions"] == "Covered"
    with pytest.raises(ValidationError, match="Contry"):
        portfolio_measures(tidy([[1]], Country="A"), by="Contry").to_frame()


def test_conflicting_duplicates_rejected():
    data = tidy([[1, 0]], portfolio="P")
    data = pd.concat([data, data.iloc[[0]].assign(covered=0)], ignore_index=True)
    with pytest.raises(ValidationError, match="both as covered and as not covered") as raised:
        portfolio_measures(data, by="portfolio").to_frame()
    assert sorted(raised.value.problems["row"]) == [0, 2]
    assert "'i0'" in raised.value.problems["problem"].iloc[0]


def test_missing_cells_and_fill_missing():
    data = tidy([[1, 0], [0, 1]], portfolio="P").iloc[:3]
    with pytest.raises(ValidationError, match="fill_missing=True"):
        portfolio_measures(data, by="portfolio").to_frame()
    filled = portfolio_measures(data, by="portfolio", fill_missing=True).to_frame()
    assert filled.loc["P", "size"] == 0.25


def test_other_bad_input():
    with pytest.raises(ValidationError, match=r"expects a Corpus .* or a tidy pandas DataFrame .*; got a list"):
        portfolio_measures([[1, 0]]).to_frame()
    with pytest.raises(ValidationError, match="no rows"):
        portfolio_measures(tidy([[1]], portfolio="P").iloc[:0], by="portfolio").to_frame()
    with pytest.raises(ValidationError, match="empty cells"):
        portfolio_measures(tidy([[1, 0]], portfolio=["P", None]), by="portfolio").to_frame()
    with pytest.raises(ValidationError, match="by cannot name"):
        portfolio_measures(tidy([[1]], portfolio="P"), by="Target").to_frame()


# Agreement with the loop-by-loop port, and invariants ---------------------------------


@st.composite
def portfolio_arrays(draw):
    shape = (draw(st.integers(1, 4)), draw(st.integers(1, 5)), draw(st.integers(1, 6)))
    return draw(arrays(np.bool_, shape))


def tidy_many(presence: np.ndarray) -> pd.DataFrame:
    return pd.concat(
        [tidy(presence[p], portfolio=f"P{p}") for p in range(presence.shape[0])], ignore_index=True
    )


@settings(max_examples=150, deadline=None)
@given(portfolio_arrays())
def test_agrees_with_the_port(presence):
    result = portfolio_measures(tidy_many(presence), by="portfolio").to_frame()
    for p in range(presence.shape[0]):
        expected = port.measures(presence[p].astype(np.float64))
        got = result.loc[f"P{p}"]
        for name in MEASURES:
            assert np.isclose(got[name], expected[name], rtol=1e-12, atol=1e-12, equal_nan=True), name


@settings(max_examples=60, deadline=None)
@given(portfolio_arrays(), st.randoms(use_true_random=False))
def test_invariants_and_row_order(presence, random):
    data = tidy_many(presence)
    result = portfolio_measures(data, by="portfolio").to_frame()
    for column in ("size", "p_instruments", "p_targets", "div_aid", "c_eq"):
        assert result[column].between(0, 1).all(), column
    covered = result["size"] > 0
    assert (result.loc[covered, "div_gs"] >= 0).all() and (result.loc[covered, "div_gs"] < 1).all()
    assert (result.loc[~covered, "div_gs"] == 1).all()  # vegan's value for an all-zero vector
    order = list(range(len(data)))
    random.shuffle(order)
    pd.testing.assert_frame_equal(portfolio_measures(data.iloc[order], by="portfolio").to_frame(), result)


def test_port_pp_measures_matches_on_a_tidy_frame():
    rng = np.random.default_rng(7)
    presence = rng.random((6, 4, 5)) < 0.3
    data = tidy_many(presence)
    ours = portfolio_measures(data, by="portfolio").to_frame()
    theirs = port.pp_measures(data, by=["portfolio"])
    pd.testing.assert_frame_equal(ours, theirs, check_names=False, rtol=1e-12)


# Corpus -----------------------------------------------------------------------------


@pytest.fixture
def small_corpus() -> pq.Corpus:
    documents = pd.DataFrame(
        {
            "doc_id": ["D1", "D2", "D3"],
            "level": ["national", "provincial", "provincial"],
            "year": [2020, 2021, 2021],
            "region": ["CN", "GD", "GD"],
        }
    )
    units = pd.DataFrame(
        {
            "unit_id": ["D1-1-1", "D1-1-2", "D1-1-3", "D2-1-1"],
            "instrument": ["standards_and_norms", "infrastructure", "infrastructure", "standards_and_norms"],
            "objectives": [
                "public_safety",
                "public_safety; rights_protection",
                "public_safety",
                "tech_innovation",
            ],
        }
    )
    return pq.Corpus(documents, units)


def test_corpus_portfolios_by_document(small_corpus):
    result = portfolio_measures(small_corpus).to_frame()
    assert list(result.index) == ["D1", "D2", "D3"]  # D3 has no clauses: an empty portfolio
    assert result.index.name == "doc_id"
    # D1 covers (standards, public_safety), (infrastructure, public_safety), (infrastructure,
    # rights_protection) of 16 instruments x 4 objectives; a repeated clause counts once.
    assert result["space"].tolist() == [64, 64, 64]
    assert result["size"].tolist() == [3 / 64, 1 / 64, 0.0]
    assert result.loc["D1", "div_aid"] == pytest.approx(0.5)
    assert result.loc["D1", "in_prep"] == 1.5
    assert result.loc["D3", "div_gs"] == 1.0 and math.isnan(result.loc["D3", "in_prep"])


def test_corpus_matches_the_tidy_path(small_corpus):
    framework = small_corpus.framework
    codings = small_corpus.codings.merge(small_corpus.documents[["doc_id", "level"]], on="doc_id")
    grid = pd.MultiIndex.from_product(
        [["national", "provincial"], framework.instrument_keys, framework.objective_keys],
        names=["level", "Instrument", "Target"],
    ).to_frame(index=False)
    seen = set(
        zip(
            codings["level"].astype(str),
            codings["instrument"].astype(str),
            codings["objective"].astype(str),
            strict=True,
        )
    )
    grid["covered"] = [
        int(key in seen) for key in zip(grid["level"], grid["Instrument"], grid["Target"], strict=True)
    ]
    expected = portfolio_measures(grid, by="level").to_frame()
    result = portfolio_measures(small_corpus, by="level").to_frame()
    pd.testing.assert_frame_equal(result, expected, check_index_type=False, check_categorical=False)


def test_corpus_by_several_fields_and_errors(small_corpus):
    result = portfolio_measures(small_corpus, by=["level", "year"]).to_frame()
    assert list(result.index) == [("national", 2020), ("provincial", 2021)]
    with pytest.raises(ValidationError, match="space_by"):
        portfolio_measures(small_corpus, space_by="level").to_frame()
    with pytest.raises(ValidationError, match="cannot group by"):
        portfolio_measures(small_corpus, by="nonsense").to_frame()


def test_example_corpus_by_year():
    result = portfolio_measures(pq.datasets.load_genai_china(), by="year").to_frame()
    assert result.index.is_monotonic_increasing
    assert (result["space"] == 64).all()
    assert result["size"].between(0, 1).all()


# Similarity -------------------------------------------------------------------------


def test_similarity_by_hand():
    # a = 1 1 0 / 0 1 0, b = 1 0 0 / 0 1 1: both 2, only a 1, only b 1, neither 2 of 6 cells.
    s = portfolio_similarity([[1, 1, 0], [0, 1, 0]], [[1, 0, 0], [0, 1, 1]])
    assert (s["both"], s["only_a"], s["only_b"], s["neither"], s["cells"]) == (2, 1, 1, 2, 6)
    assert s["jaccard"] == 2 / 4
    assert s["dice"] == 4 / 6
    assert s["overlap"] == 2 / 3
    assert s["rand"] == 4 / 6
    assert s["hamming"] == 2 and s["p_hamming"] == 2 / 6


def test_similarity_edge_cases():
    same = portfolio_similarity(np.eye(3), np.eye(3))
    assert same["jaccard"] == same["dice"] == same["overlap"] == same["rand"] == 1.0
    assert same["hamming"] == 0
    empty = portfolio_similarity(np.zeros((2, 2)), np.zeros((2, 2)))
    assert empty["jaccard"] == empty["dice"] == empty["overlap"] == 0.0  # R: NaN -> 0
    assert empty["rand"] == 1.0
    opposite = portfolio_similarity([[1, 0]], [[0, 1]])
    assert opposite["hamming"] == 2 and opposite["p_hamming"] == 1.0 and opposite["rand"] == 0.0


def test_similarity_of_frames_and_tidy_selections():
    a = pd.DataFrame([[1, 0], [1, 1]], index=["ban", "tax"], columns=["air", "water"])
    b = pd.DataFrame([[1, 1], [0, 0]], index=["tax", "ban"], columns=["air", "water"])  # rows reordered
    # Aligned by label: tax covers air and water in both (position by position it would be 1 cell).
    assert portfolio_similarity(a, b)["both"] == 2
    assert portfolio_similarity(a.to_numpy(), b.to_numpy())["both"] == 1
    data = pd.concat(
        [
            tidy(a.to_numpy(), list(a.index), list(a.columns), Country="A"),
            tidy(b.to_numpy(), list(b.index), list(b.columns), Country="B"),
        ]
    )
    s = portfolio_similarity(data[data["Country"] == "A"], data[data["Country"] == "B"])
    assert s == portfolio_similarity(a, b)


def test_similarity_bad_input():
    with pytest.raises(ValidationError, match="shape"):
        portfolio_similarity(np.eye(2), np.eye(3))
    with pytest.raises(ValidationError, match="same space"):
        portfolio_similarity(
            pd.DataFrame([[1]], index=["a"], columns=["x"]), pd.DataFrame([[1]], index=["b"], columns=["x"])
        )
    with pytest.raises(ValidationError) as raised:
        portfolio_similarity([[1, 2]], [[1, 0]])
    assert (raised.value.problems.loc[0, "row"], raised.value.problems.loc[0, "column"]) == (0, 1)
    with pytest.raises(ValidationError, match="2-D"):
        portfolio_similarity([1, 0], [1, 0])
    selection = tidy([[1, 0]])
    with pytest.raises(ValidationError, match="not one of each"):
        portfolio_similarity(selection, [[1, 0]])
    with pytest.raises(ValidationError, match="both as covered"):
        portfolio_similarity(pd.concat([selection, selection.assign(covered=1)]), selection)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda i: st.integers(1, 5).flatmap(
            lambda t: st.tuples(arrays(np.bool_, (i, t)), arrays(np.bool_, (i, t)))
        )
    )
)
def test_similarity_agrees_with_the_port(pair):
    a, b = pair
    ours = portfolio_similarity(a, b)
    theirs = port.similarity(a.astype(int), b.astype(int))
    for name in ("jaccard", "dice", "overlap", "rand"):
        assert ours[name] == pytest.approx(theirs[name]), name
    assert ours["hamming"] == theirs["differ"]
    assert ours["both"] / ours["cells"] == pytest.approx(theirs["hamming"])  # R's "Hamming"


# CONSENSUS ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def consensus() -> pd.DataFrame:
    path = next((p for p in CONSENSUS_CANDIDATES if p.is_file()), None)
    if path is None:
        pytest.skip("../shared/anchors/consensus.csv.gz is absent")
    return pd.read_csv(path)


def test_consensus_aid_matches_the_published_values(consensus):
    environmental = consensus[consensus["Sector"] == "Environmental"]
    result = portfolio_measures(environmental, by=["Country", "Year"]).to_frame()
    for (country, year), published in PUBLISHED_AID.items():
        assert round(result.loc[(country, year), "div_aid"], 3) == published, (country, year)


def test_consensus_all_portfolios_fast_and_as_the_port(consensus):
    start = time.perf_counter()
    result = portfolio_measures(consensus, by=["Sector", "Country", "Year"], space_by="Sector").to_frame()
    elapsed = time.perf_counter() - start
    assert len(result) == 1380
    assert elapsed < 2.0  # about 0.05 s; generous for loaded machines
    assert set(result["space"]) == {13 * 48, 6 * 19}
    for (country, year), published in PUBLISHED_AID.items():
        assert round(result.loc[("Environmental", country, year), "div_aid"], 3) == published
    subset = consensus[consensus["Country"].isin(["France", "United States"])]
    theirs = pd.concat(
        [port.pp_measures(part, by=["Sector", "Country", "Year"]) for _, part in subset.groupby("Sector")]
    )
    ours = result.loc[theirs.index]
    pd.testing.assert_frame_equal(ours, theirs, rtol=1e-12)
