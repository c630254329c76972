"""Tests of :func:`policyquant.trends` and :func:`policyquant.analysis.trends.period_codes`.

Counts on the bundled corpus are checked against plain pandas computations
(units merged with their documents, grouped by year); small hand-made corpora
cover empty years, periods and errors.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.analysis.trends import period_codes
from policyquant.datasets import data_path

WANG = pq.get_framework("wang2026")
FAMILY_OF = {i.key: i.family for i in WANG.instruments}
YEARS = list(range(2017, 2026))


@pytest.fixture(scope="module")
def genai():
    return pq.datasets.load_genai_china()


def _frames(corpus: pq.Corpus) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Plain-pandas documents, units (with year, level, family, score) and codings (with year, score)."""
    documents = corpus.documents.assign(
        year=lambda d: d["year"].astype("int64"), level=lambda d: d["level"].astype(str)
    )
    scores = pq.efficacy(corpus).rename("score").reset_index()
    units = (
        corpus.units[["unit_id", "doc_id", "instrument"]]
        .assign(instrument=lambda u: u["instrument"].astype(str))
        .assign(family=lambda u: u["instrument"].map(FAMILY_OF))
        .merge(documents[["doc_id", "year", "level"]], on="doc_id", how="left", validate="many_to_one")
        .merge(scores, on="unit_id", how="left", validate="one_to_one")
    )
    codings = (
        corpus.codings[["unit_id", "doc_id", "objective"]]
        .assign(objective=lambda c: c["objective"].astype(str))
        .merge(units[["unit_id", "year", "score"]], on="unit_id", how="left", validate="many_to_one")
    )
    return documents, units, codings


def _by_year(frame: pd.DataFrame, years=YEARS) -> pd.Series:
    return frame.groupby("year").size().reindex(years, fill_value=0)


def _by_year_and(frame: pd.DataFrame, split: str, categories, value: str | None = None, how: str = "size"):
    index = pd.MultiIndex.from_product([YEARS, list(categories)], names=["year", split])
    grouped = frame.groupby(["year", split])
    result = grouped.size() if value is None else getattr(grouped[value], how)()
    return result.reindex(index, fill_value=0)


# --------------------------------------------------------------------------
# Yearly counts on the bundled corpus.


def test_yearly_counts_equal_pandas(genai):
    documents, units, codings = _frames(genai)
    yearly = pq.trends(genai).to_frame()
    assert list(yearly.index) == YEARS
    assert yearly.index.name == "year"
    assert list(yearly.columns) == ["documents", "units", "codings", "efficacy_total", "efficacy_mean"]
    assert yearly["documents"].tolist() == _by_year(documents).tolist()
    assert yearly["units"].tolist() == _by_year(units).tolist()
    assert yearly["codings"].tolist() == _by_year(codings).tolist()
    assert yearly[["documents", "units", "codings"]].sum().tolist() == [63, 670, 908]


def test_yearly_efficacy_equals_pandas(genai):
    _, units, _ = _frames(genai)
    yearly = pq.trends(genai).to_frame()
    total = units.groupby("year")["score"].sum().reindex(YEARS)
    mean = units.groupby("year")["score"].mean().reindex(YEARS)
    np.testing.assert_allclose(yearly["efficacy_total"].to_numpy(), total.to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(yearly["efficacy_mean"].to_numpy(), mean.to_numpy(), rtol=1e-12)
    assert yearly["efficacy_total"].sum() == pytest.approx(pq.efficacy(genai).sum())


def test_cumulative_is_the_running_sum(genai):
    yearly = pq.trends(genai).to_frame()
    cumulative = pq.trends(genai, cumulative=True).to_frame()
    for column in ["documents", "units", "codings", "efficacy_total"]:
        np.testing.assert_allclose(cumulative[column].to_numpy(), yearly[column].cumsum().to_numpy())
    # The mean is the mean over all clauses so far.
    _, units, _ = _frames(genai)
    running = [units.loc[units["year"] <= y, "score"].mean() for y in YEARS]
    np.testing.assert_allclose(cumulative["efficacy_mean"].to_numpy(), running, rtol=1e-12)
    assert cumulative.iloc[-1][["documents", "units", "codings"]].tolist() == [63, 670, 908]


@pytest.mark.parametrize("split", ["family", "level", "objective"])
def test_cumulative_split_is_the_running_sum_per_category(genai, split):
    flows = pq.trends(genai, by=split).to_frame()
    stocks = pq.trends(genai, by=split, cumulative=True).to_frame()
    assert stocks.index.equals(flows.index)
    for column in ["documents", "units", "codings", "efficacy_total"]:
        expected = flows[column].groupby(level=split, sort=False).cumsum()
        np.testing.assert_allclose(stocks[column].to_numpy(), expected.to_numpy())
    with np.errstate(invalid="ignore"):
        mean = (stocks["efficacy_total"] / stocks["units"]).where(stocks["units"] > 0)
    np.testing.assert_allclose(stocks["efficacy_mean"].to_numpy(), mean.to_numpy())


# --------------------------------------------------------------------------
# Splits.


def test_split_by_family_equals_pandas(genai):
    _, units, codings = _frames(genai)
    codings = codings.merge(units[["unit_id", "family"]], on="unit_id")
    split = pq.trends(genai, by="family").to_frame()
    assert split.index.names == ["year", "family"]
    assert list(split.index) == [(y, f) for y in YEARS for f in WANG.family_keys]
    assert split["units"].tolist() == _by_year_and(units, "family", WANG.family_keys).tolist()
    assert split["codings"].tolist() == _by_year_and(codings, "family", WANG.family_keys).tolist()
    documents = _by_year_and(units, "family", WANG.family_keys, "doc_id", "nunique")
    assert split["documents"].tolist() == documents.tolist()
    total = _by_year_and(units, "family", WANG.family_keys, "score", "sum")
    np.testing.assert_allclose(split["efficacy_total"].to_numpy(), total.to_numpy(dtype=float))
    mean = units.groupby(["year", "family"])["score"].mean().reindex(split.index)
    np.testing.assert_allclose(split["efficacy_mean"].to_numpy(), mean.to_numpy(dtype=float))


def test_split_by_family_sums_to_the_unsplit_units_and_codings(genai):
    yearly = pq.trends(genai).to_frame()
    split = pq.trends(genai, by="family").to_frame().groupby(level="year").sum()
    assert split["units"].tolist() == yearly["units"].tolist()
    assert split["codings"].tolist() == yearly["codings"].tolist()
    np.testing.assert_allclose(split["efficacy_total"].to_numpy(), yearly["efficacy_total"].to_numpy())
    # A document with clauses of several families counts once for each: at least the unsplit count.
    assert (split["documents"] >= yearly["documents"]).all()
    assert (split["documents"] > yearly["documents"]).any()


def test_split_by_level_equals_pandas(genai):
    documents, units, codings = _frames(genai)
    codings = codings.merge(units[["unit_id", "level"]], on="unit_id")
    split = pq.trends(genai, by="level").to_frame()
    levels = ["national", "provincial"]
    assert list(split.index) == [(y, v) for y in YEARS for v in levels]
    assert split["units"].tolist() == _by_year_and(units, "level", levels).tolist()
    assert split["codings"].tolist() == _by_year_and(codings, "level", levels).tolist()
    assert split["documents"].tolist() == _by_year_and(documents, "level", levels).tolist()
    # Each document has one level: the level split partitions documents, units and codings.
    summed = split.groupby(level="year").sum()
    yearly = pq.trends(genai).to_frame()
    assert summed[["documents", "units", "codings"]].equals(yearly[["documents", "units", "codings"]])


def test_split_by_objective_counts_codings(genai):
    _, _, codings = _frames(genai)
    objectives = WANG.objective_keys
    split = pq.trends(genai, by="objective").to_frame()
    assert list(split.index) == [(y, o) for y in YEARS for o in objectives]
    by_cell = _by_year_and(codings, "objective", objectives)
    # With split="objective", "units" counts the clauses serving each objective: the codings.
    assert split["units"].tolist() == by_cell.tolist()
    assert split["codings"].tolist() == by_cell.tolist()
    documents = _by_year_and(codings, "objective", objectives, "doc_id", "nunique")
    assert split["documents"].tolist() == documents.tolist()
    # Codings by objective sum to all codings of the year.
    yearly = pq.trends(genai).to_frame()
    assert split["codings"].groupby(level="year").sum().tolist() == yearly["codings"].tolist()
    assert split["units"].sum() == 908
    # Efficacy runs over codings.
    total = _by_year_and(codings, "objective", objectives, "score", "sum")
    np.testing.assert_allclose(split["efficacy_total"].to_numpy(), total.to_numpy(dtype=float))
    mean = codings.groupby(["year", "objective"])["score"].mean().reindex(split.index)
    np.testing.assert_allclose(split["efficacy_mean"].to_numpy(), mean.to_numpy(dtype=float))


def test_split_by_periods_and_family(genai):
    _, units, _ = _frames(genai)
    split = pq.trends(genai, periods=[2017, 2023, 2026], by="family").to_frame()
    assert split.index.names == ["period", "family"]
    assert list(split.index.get_level_values("period").unique()) == ["2017-2022", "2023-2025"]
    late = units[units["year"] >= 2023]
    expected = late.groupby("family")["doc_id"].nunique().reindex(list(WANG.family_keys), fill_value=0)
    assert split.loc["2023-2025", "documents"].tolist() == expected.tolist()
    assert (
        split.loc["2023-2025", "units"].tolist()
        == late.groupby("family").size().reindex(list(WANG.family_keys), fill_value=0).tolist()
    )


# --------------------------------------------------------------------------
# Periods.


def test_periods_as_a_mapping(genai):
    _, units, codings = _frames(genai)
    periods = {"before 2023": (2017, 2022), "2023 on": (2023, 2025)}
    result = pq.trends(genai, periods=periods).to_frame()
    assert list(result.index) == ["before 2023", "2023 on"]
    assert result.index.name == "period"
    early = units["year"] <= 2022
    assert result["units"].tolist() == [int(early.sum()), int((~early).sum())] == [157, 513]
    assert result["codings"].tolist() == [
        int((codings["year"] <= 2022).sum()),
        int((codings["year"] >= 2023).sum()),
    ]
    yearly = pq.trends(genai).to_frame()
    assert result["documents"].tolist() == [
        yearly.loc[:2022, "documents"].sum(),
        yearly.loc[2023:, "documents"].sum(),
    ]
    np.testing.assert_allclose(
        result["efficacy_mean"].to_numpy(),
        [units.loc[early, "score"].mean(), units.loc[~early, "score"].mean()],
    )


def test_periods_as_edges(genai):
    yearly = pq.trends(genai).to_frame()
    result = pq.trends(genai, periods=[2017, 2021, 2026]).to_frame()
    assert list(result.index) == ["2017-2020", "2021-2025"]
    for column in ["documents", "units", "codings"]:
        assert result[column].tolist() == [
            yearly.loc[2017:2020, column].sum(),
            yearly.loc[2021:2025, column].sum(),
        ]
    # A one-year bin is labelled by its year.
    single = pq.trends(genai, periods=[2017, 2018, 2026]).to_frame()
    assert list(single.index) == ["2017", "2018-2025"]
    assert single["documents"].tolist() == [1, 62]


def test_period_codes_directly():
    years = np.array([2016.0, 2017.0, 2020.0, 2021.0, 2025.0, 2026.0, np.nan])
    codes, labels = period_codes(years, [2017, 2021, 2026])
    assert codes.tolist() == [-1, 0, 0, 1, 1, -1, -1]
    assert list(labels) == ["2017-2020", "2021-2025"]
    codes, labels = period_codes(years, {"a": (2017, 2018), "b": (2021, 2021)})
    # 2020 falls in the gap between the periods.
    assert codes.tolist() == [-1, 0, -1, 1, -1, -1, -1]
    assert list(labels) == ["a", "b"]
    codes, labels = period_codes(np.array([2019.0, np.nan, 2016.0]), None)
    assert codes.tolist() == [3, -1, 0]
    assert list(labels) == [2016, 2017, 2018, 2019]


@pytest.mark.parametrize(
    "periods",
    [
        {"a": (2017, 2021), "b": (2021, 2025)},  # overlap in 2021
        {"a": (2017, 2020), "b": (2019, 2025)},  # overlap
        {"a": (2022, 2017), "b": (2023, 2025)},  # reversed bounds
        {"late": (2023, 2025), "early": (2017, 2022)},  # not in time order
    ],
)
def test_malformed_period_mappings(genai, periods):
    with pytest.raises(pq.ValidationError, match="do not overlap"):
        pq.trends(genai, periods=periods).to_frame()


@pytest.mark.parametrize("edges", [[2017], [], [2017, 2017], [2026, 2017], [2017, 2021, 2020]])
def test_malformed_period_edges(genai, edges):
    with pytest.raises(pq.ValidationError, match="at least two increasing years"):
        pq.trends(genai, periods=edges).to_frame()


def test_a_document_outside_every_period_is_named(genai):
    # The 2020 documents fall in the gap.
    with pytest.raises(pq.ValidationError) as info:
        pq.trends(genai, periods={"early": (2017, 2019), "late": (2021, 2025)}).to_frame()
    message = str(info.value)
    assert message.startswith("2 document(s) have no year or a year in no period: N06, P01")
    assert "widen the periods" in message
    # Edges that stop before the last year leave the 2025 documents out.
    with pytest.raises(pq.ValidationError, match=r"^18 document\(s\) have no year or a year in no period"):
        pq.trends(genai, periods=[2017, 2025]).to_frame()
    # Edges that start after the first year leave N01 out.
    with pytest.raises(pq.ValidationError, match=r"^1 document\(s\) .*: N01;"):
        pq.trends(genai, periods=[2018, 2026]).to_frame()


# --------------------------------------------------------------------------
# Small corpora.


def small_corpus(years: list[object | None], clauses: list[int], **document_columns) -> pq.Corpus:
    doc_ids = [f"D{i + 1}" for i in range(len(years))]
    documents = pd.DataFrame({"doc_id": doc_ids, "year": years, **document_columns})
    unit_ids, unit_docs = [], []
    for doc, n in zip(doc_ids, clauses, strict=True):
        unit_ids += [f"{doc}-1-{k + 1}" for k in range(n)]
        unit_docs += [doc] * n
    units = pd.DataFrame(
        {
            "unit_id": unit_ids,
            "doc_id": unit_docs,
            "instrument": ["standards_and_norms"] * len(unit_ids),
            "objectives": ["public_safety; tech_innovation"] * len(unit_ids),
        }
    )
    return pq.Corpus(documents, units)


def test_empty_years_between_first_and_last_are_zeros():
    corpus = small_corpus([2015, 2018, 2018], [2, 1, 0])
    yearly = pq.trends(corpus).to_frame()
    assert list(yearly.index) == [2015, 2016, 2017, 2018]
    # No scores in this corpus: no efficacy columns.
    assert list(yearly.columns) == ["documents", "units", "codings"]
    # D3 has no clauses but is still a 2018 document.
    assert yearly["documents"].tolist() == [1, 0, 0, 2]
    assert yearly["units"].tolist() == [2, 0, 0, 1]
    assert yearly["codings"].tolist() == [4, 0, 0, 2]
    assert pq.trends(corpus, cumulative=True).to_frame()["documents"].tolist() == [1, 1, 1, 3]


def test_years_from_dates():
    corpus = small_corpus([None, None], [1, 1], date=["2019-03-01", "2021-12-31"])
    assert pq.trends(corpus).to_frame()["units"].tolist() == [1, 0, 1]


def test_no_years_is_an_error():
    corpus = pq.Corpus(None, small_corpus([2020], [1]).units)
    with pytest.raises(pq.ValidationError, match="trends need the documents' years"):
        pq.trends(corpus).to_frame()
    with pytest.raises(pq.ValidationError, match="trends need the documents' years"):
        pq.trends(small_corpus([None, None], [1, 1])).to_frame()


def test_a_document_without_a_year_is_named():
    corpus = small_corpus([2020, None, 2022], [1, 1, 1])
    with pytest.raises(pq.ValidationError, match=r"^1 document\(s\) have no year: D2$"):
        pq.trends(corpus).to_frame()
    with pytest.raises(
        pq.ValidationError, match=r"^1 document\(s\) have no year or a year in no period: D2;"
    ):
        pq.trends(corpus, periods=[2020, 2023]).to_frame()


def test_unknown_split_is_an_error(genai):
    with pytest.raises(pq.ValidationError, match="cannot group by 'famly'"):
        pq.trends(genai, by="famly").to_frame()


# --------------------------------------------------------------------------
# Order of the rows.


def _coding_sheets() -> tuple[pd.DataFrame, pd.DataFrame]:
    documents = pd.read_csv(data_path("genai_china_documents.csv"), dtype=str, keep_default_na=False)
    units = pd.read_csv(data_path("genai_china_units.csv"), dtype=str, keep_default_na=False)
    return documents, units


SHEETS = _coding_sheets()
CASES = [
    {},
    {"cumulative": True},
    {"by": "family"},
    {"by": "objective"},
    {"by": "level", "cumulative": True},
    {"periods": {"before 2023": (2017, 2022), "2023 on": (2023, 2025)}, "by": "instrument"},
]


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), shuffle_documents=st.booleans())
def test_results_do_not_depend_on_row_order(genai, seed, shuffle_documents):
    documents, units = SHEETS
    state = np.random.RandomState(seed)
    units = units.sample(frac=1, random_state=state)
    if shuffle_documents:
        documents = documents.sample(frac=1, random_state=state)
    corpus = pq.Corpus(documents, units)
    assert corpus.units["unit_id"].tolist() == units["unit_id"].tolist()
    for kwargs in CASES:
        pd.testing.assert_frame_equal(
            pq.trends(corpus, **kwargs).to_frame(), pq.trends(genai, **kwargs).to_frame(), rtol=1e-12
        )
