"""Code co-occurrence: ``crosstab(corpus, rows=code, columns=code)`` (issue 14, item 6).

The matrix QDA programs call a code relations browser: objectives co-occur when
coded on the same clause, instruments (and families) when used in the same
document.  Checked against a naive pandas computation on random corpora, and for
the invariants of any co-occurrence matrix: symmetric, diagonal = how many
clauses or documents carry the code, independent of row order.
"""

from __future__ import annotations

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
from policyquant.testing.strategies import corpora, frameworks

WANG = pq.get_framework("wang2026")
SETTINGS = settings(max_examples=40, deadline=None, database=None)


def naive(corpus: pq.Corpus, field: str, where: str) -> pd.DataFrame:
    """Self-join of (place, code) pairs: the textbook co-occurrence count, one row at a time."""
    if field == "objective":
        pairs = corpus.codings[["unit_id", "doc_id", "objective"]].astype(object)
    else:
        pairs = corpus.codings[["unit_id", "doc_id", field]].astype(object)
    place = "unit_id" if where == "units" else "doc_id"
    pairs = pairs[[place, field]].drop_duplicates()
    joined = pairs.merge(pairs, on=place, suffixes=("_a", "_b"))
    keys = {
        "objective": corpus.framework.objective_keys,
        "instrument": corpus.framework.instrument_keys,
        "family": corpus.framework.family_keys,
    }[field]
    table = pd.crosstab(joined[f"{field}_a"], joined[f"{field}_b"])
    return table.reindex(index=list(keys), columns=list(keys), fill_value=0).astype("int64")


def shuffled(corpus: pq.Corpus, seed: int) -> pq.Corpus:
    rng = np.random.default_rng(seed)
    documents = corpus.documents.iloc[rng.permutation(len(corpus.documents))].reset_index(drop=True)
    units = corpus.units.iloc[rng.permutation(len(corpus.units))].reset_index(drop=True)
    return pq.Corpus(documents, units, corpus.framework)


# The study's corpus ---------------------------------------------------------


@pytest.fixture(scope="module")
def genai():
    return pq.datasets.load_genai_china()


def test_objective_cooccurrence_of_the_study(genai):
    result = pq.crosstab(genai, rows="objective", columns="objective")
    assert result.count == "units" and result.is_cooccurrence
    assert list(result.counts.index) == list(WANG.objective_keys) == list(result.counts.columns)
    pd.testing.assert_frame_equal(result.counts, naive(genai, "objective", "units"), check_names=False)
    # Each clause-objective coding is one clause carrying that objective.
    assert int(np.trace(result.counts.to_numpy())) == len(genai.codings) == 908
    assert result.counts.loc["public_safety", "tech_innovation"] == 0


def test_instrument_cooccurrence_is_within_documents(genai):
    result = pq.crosstab(genai, rows="instrument", columns="instrument")
    assert result.count == "documents"
    pd.testing.assert_frame_equal(result.counts, naive(genai, "instrument", "documents"), check_names=False)
    used = genai.units.groupby("doc_id", observed=True)["instrument"].apply(set)
    for key in ("standards_and_norms", "pilots_and_demonstrations"):
        assert result.counts.loc[key, key] == sum(key in s for s in used)
    both = sum({"standards_and_norms", "pilots_and_demonstrations"} <= s for s in used)
    assert result.counts.loc["standards_and_norms", "pilots_and_demonstrations"] == both


@pytest.mark.parametrize(
    ("field", "count", "where"),
    [
        ("objective", "documents", "documents"),
        ("objective", "units", "units"),
        ("family", "codings", "documents"),
        ("family", "units", "units"),
    ],
)
def test_the_place_of_cooccurrence_is_a_choice(genai, field, count, where):
    result = pq.crosstab(genai, field, field, count=count)
    assert result.count == where
    pd.testing.assert_frame_equal(result.counts, naive(genai, field, where), check_names=False)


def test_instruments_within_one_clause_are_only_the_diagonal(genai):
    # A clause uses one instrument: within clauses nothing co-occurs, and the diagonal counts clauses.
    result = pq.crosstab(genai, "instrument", "instrument", count="units")
    counts = result.counts.to_numpy()
    assert (counts - np.diag(np.diag(counts)) == 0).all()
    assert counts.trace() == len(genai.units)


def test_a_code_used_twice_in_a_document_counts_once():
    documents = pd.DataFrame({"doc_id": ["D1", "D2"]})
    units = pd.DataFrame(
        {
            "unit_id": ["D1-1-1", "D1-1-2", "D1-1-3", "D2-1-1"],
            "instrument": ["试点示范", "试点示范", "标准规范", "标准规范"],
            "objectives": [
                "公共安全与利益; 法定权益保护",
                "公共安全与利益",
                "法定权益保护",
                "公共安全与利益",
            ],
        }
    )
    corpus = pq.Corpus(documents, units)
    instruments = pq.crosstab(corpus, "instrument", "instrument").counts
    assert instruments.loc["pilots_and_demonstrations", "pilots_and_demonstrations"] == 1
    assert instruments.loc["standards_and_norms", "standards_and_norms"] == 2
    assert instruments.loc["pilots_and_demonstrations", "standards_and_norms"] == 1
    objectives = pq.crosstab(corpus, "objective", "objective").counts
    assert objectives.loc["public_safety", "public_safety"] == 3
    assert objectives.loc["public_safety", "rights_protection"] == 1
    in_documents = pq.crosstab(corpus, "objective", "objective", count="documents").counts
    assert in_documents.loc["public_safety", "rights_protection"] == 1
    assert in_documents.loc["public_safety", "public_safety"] == 2


def test_an_empty_corpus_gives_a_matrix_of_zeros():
    corpus = pq.Corpus(None, pd.DataFrame({"unit_id": [], "doc_id": [], "instrument": [], "objectives": []}))
    counts = pq.crosstab(corpus, "objective", "objective").counts
    assert counts.shape == (4, 4) and int(counts.to_numpy().sum()) == 0


@pytest.mark.parametrize("field", ["level", "year", "AS", "doc_id"])
def test_the_same_non_code_field_twice_is_a_clear_error(genai, field):
    with pytest.raises(pq.ValidationError, match=f"got '{field}' twice") as caught:
        pq.crosstab(genai, field, field)
    problem = caught.value.problems.iloc[0]
    assert problem["value"] == field
    assert problem["expected"] == "two different fields, or one of objective, instrument, family"


def test_unknown_count_is_still_refused(genai):
    with pytest.raises(pq.ValidationError, match="count must be"):
        pq.crosstab(genai, "objective", "objective", count="clauses")


def test_to_frame_is_the_labelled_square_matrix(genai):
    result = pq.crosstab(genai, "objective", "objective")
    frame = result.to_frame()
    labels = [o.label for o in WANG.objectives]
    assert list(frame.index) == labels == list(frame.columns)
    assert frame.loc["Public Safety and Interests", "Public Safety and Interests"] == 365
    assert list(result.to_frame(labels=False).index) == list(WANG.objective_keys)
    markdown = result.to_markdown()
    assert "| Public Safety and Interests" in markdown and "share" not in markdown
    csv = result.to_csv()
    assert csv.splitlines()[0].startswith("objective,Statutory Rights Protection")


def test_the_ordinary_crosstab_is_unchanged(genai):
    table = pq.crosstab(genai)
    assert not table.is_cooccurrence
    assert table.counts.loc["standards_and_norms"].tolist() == [28, 75, 40, 36]
    assert table.total == 908


def test_heatmap_of_a_cooccurrence_matrix(genai):
    result = pq.crosstab(genai, "instrument", "instrument")
    fig = plotting.crosstab_heatmap(result)
    try:
        ax = fig.axes[0]
        image = ax.get_images()[0].get_array()
        np.testing.assert_array_equal(np.asarray(image), result.counts.to_numpy())
        rows = [t.get_text() for t in ax.get_yticklabels()]
        # Column labels are wrapped to fit their cells, even inside a word.
        columns = [t.get_text().replace("\n", "").replace(" ", "") for t in ax.get_xticklabels()]
        assert rows[0] == "Standards and Norms" and columns[0] == "StandardsandNorms"
        # Family separators, as for Table 4.
        assert len(ax.lines) == len(WANG.families) - 1
    finally:
        plt.close(fig)


# Properties on random corpora ------------------------------------------------


@SETTINGS
@given(corpora(WANG, max_documents=6, max_units=25), st.sampled_from(["objective", "instrument", "family"]))
def test_matches_a_naive_pandas_computation(corpus, field):
    result = pq.crosstab(corpus, field, field)
    where = "units" if field == "objective" else "documents"
    pd.testing.assert_frame_equal(result.counts, naive(corpus, field, where), check_names=False)


@SETTINGS
@given(
    corpora(WANG, max_documents=6, max_units=25),
    st.sampled_from(["objective", "instrument", "family"]),
    st.sampled_from(["codings", "units", "documents"]),
    st.integers(0, 2**32 - 1),
)
def test_symmetric_diagonal_counts_and_row_order_free(corpus, field, count, seed):
    result = pq.crosstab(corpus, field, field, count=count)
    matrix = result.counts.to_numpy()
    np.testing.assert_array_equal(matrix, matrix.T)
    where = result.count
    place = "unit_id" if where == "units" else "doc_id"
    carrying = corpus.codings[[place, field]].astype(object).drop_duplicates()[field].value_counts()
    expected = carrying.reindex(result.counts.index.astype(object), fill_value=0).to_numpy()
    np.testing.assert_array_equal(np.diag(matrix), expected)
    # Off the diagonal, never more than either code's own count.
    assert (matrix <= np.minimum.outer(np.diag(matrix), np.diag(matrix))).all()
    again = pq.crosstab(shuffled(corpus, seed), field, field, count=count)
    pd.testing.assert_frame_equal(again.counts, result.counts)


@settings(max_examples=25, deadline=None, database=None)
@given(st.data())
def test_any_framework(data):
    framework = data.draw(frameworks())
    if not framework.objectives:
        return
    corpus = data.draw(corpora(framework, max_units=15))
    result = pq.crosstab(corpus, "objective", "objective")
    pd.testing.assert_frame_equal(result.counts, naive(corpus, "objective", "units"), check_names=False)
