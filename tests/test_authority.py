"""Tests of :func:`policyquant.authority_distribution`, document counts in crosstab, and Corpus.subset."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import policyquant as pq
from policyquant.analysis.groups import MISSING
from policyquant.datasets import data_path

DA_LEVELS = [5, 4, 3, 2, 1]


@pytest.fixture(scope="module")
def genai():
    return pq.datasets.load_genai_china()


@pytest.fixture(scope="module")
def figure3(genai):
    return pq.authority_distribution(genai, admin_level="provincial")


def small_corpus(documents: pd.DataFrame, framework: str = "wang2026") -> pq.Corpus:
    """One clause per document of ``documents``."""
    doc_ids = documents["doc_id"].tolist()
    units = pd.DataFrame({"unit_id": [f"{d}-1-1" for d in doc_ids], "doc_id": doc_ids})
    if framework == "wang2026":
        units = units.assign(instrument="standards_and_norms", objectives="public_safety")
    else:
        units = units.assign(instrument="regulation")
    return pq.Corpus(documents, units, framework=framework)


# --------------------------------------------------------------------------
# The study's Figure 3 on the bundled corpus.


def test_provincial_counts_equal_a_pandas_crosstab(genai, figure3):
    documents = genai.documents
    provincial = documents[documents["level"] == "provincial"]
    reference = pd.crosstab(provincial["region"].astype(str), provincial["DA"].astype("int64"))
    reference = reference.reindex(columns=DA_LEVELS, fill_value=0).sort_index()
    counts = figure3.counts
    assert list(counts.columns) == DA_LEVELS
    assert counts.columns.name == "DA"
    assert counts.index.name == "region"
    assert list(counts.index) == list(reference.index)
    np.testing.assert_array_equal(counts.to_numpy(), reference.to_numpy())
    assert figure3.total == len(provincial) == 36
    assert figure3.count == "documents"
    assert (figure3.rows, figure3.columns) == ("region", "DA")


def test_provincial_shares(figure3):
    row_shares = figure3.row_shares
    non_empty = figure3.counts.sum(axis=1) > 0
    assert non_empty.all()
    np.testing.assert_allclose(row_shares[non_empty].sum(axis=1), 100.0)
    assert row_shares.loc["Beijing", 1] == pytest.approx(500 / 6)
    shares = figure3.shares
    column_totals = figure3.counts.sum(axis=0)
    # Columns with documents sum to 100; the empty DA 5 and DA 4 columns have shares of 0.
    np.testing.assert_allclose(shares.loc[:, column_totals > 0].sum(axis=0), 100.0)
    assert column_totals[[5, 4]].tolist() == [0, 0]
    assert (shares[[5, 4]] == 0).all().all()


def test_provincial_findings(figure3):
    counts = figure3.counts
    totals = counts.sum(axis=1).sort_values(ascending=False, kind="stable")
    top = set(totals.index[:4])
    assert top == {"Beijing", "Shanghai", "Zhejiang", "Jiangsu"}
    assert totals.iloc[3] > totals.iloc[4]
    assert counts.loc["Beijing"].tolist() == [0, 0, 0, 1, 5]
    # Working documents (DA 1) are the majority.
    assert counts[1].sum() / counts.to_numpy().sum() > 0.5
    assert counts[1].sum() == counts.sum(axis=0).max()


def test_all_levels_against_pandas(genai):
    result = pq.authority_distribution(genai)
    documents = genai.documents
    reference = pd.crosstab(documents["region"].astype(str), documents["DA"].astype("int64"))
    reference = reference.reindex(columns=DA_LEVELS, fill_value=0).sort_index()
    np.testing.assert_array_equal(result.counts.to_numpy(), reference.to_numpy())
    assert list(result.counts.index) == list(reference.index)
    assert result.total == 63
    national = pq.authority_distribution(genai, admin_level="national")
    assert national.total == 27
    assert list(national.counts.index) == ["China"]
    np.testing.assert_array_equal(
        national.counts.to_numpy()
        + pq.authority_distribution(genai, admin_level="provincial").counts.sum().to_numpy(),
        result.counts.sum().to_numpy()[None, :],
    )


def test_by_another_document_field(genai):
    result = pq.authority_distribution(genai, by="year", admin_level="national")
    documents = genai.documents
    national = documents[documents["level"] == "national"]
    reference = pd.crosstab(national["year"].astype("int64"), national["DA"].astype("int64"))
    reference = reference.reindex(columns=DA_LEVELS, fill_value=0)
    assert list(result.counts.index) == list(reference.index)
    np.testing.assert_array_equal(result.counts.to_numpy(), reference.to_numpy())


def test_documents_without_a_region_get_their_own_row():
    documents = pd.DataFrame(
        {"doc_id": ["D1", "D2", "D3", "D4"], "region": ["A", None, "B", "A"], "DA": [3, 1, 1, 5]}
    )
    result = pq.authority_distribution(small_corpus(documents))
    assert list(result.counts.index) == ["A", "B", MISSING]
    assert list(result.counts.columns) == DA_LEVELS
    assert result.counts.loc["A"].tolist() == [1, 0, 1, 0, 0]
    assert result.counts.loc["B"].tolist() == [0, 0, 0, 0, 1]
    assert result.counts.loc[MISSING].tolist() == [0, 0, 0, 0, 1]
    assert result.total == 4


# --------------------------------------------------------------------------
# Errors.


def test_framework_without_document_level_dimension():
    documents = pd.DataFrame(
        {"doc_id": ["D1", "D2"], "level": ["national", "provincial"], "region": ["X", "Y"]}
    )
    corpus = small_corpus(documents, framework="howlett-ramesh-1995")
    with pytest.raises(
        pq.ValidationError, match="framework 'howlett-ramesh-1995' has no document-level dimension"
    ):
        pq.authority_distribution(corpus)


@pytest.mark.parametrize("dimension", ["AS", "MI", "XX", "da"])
def test_unknown_dimension(genai, dimension):
    with pytest.raises(
        pq.ValidationError, match=f"'{dimension}' is not a document-level dimension; choose one of DA"
    ):
        pq.authority_distribution(genai, dimension=dimension)


def test_explicit_dimension(genai, figure3):
    explicit = pq.authority_distribution(genai, dimension="DA", admin_level="provincial")
    pd.testing.assert_frame_equal(explicit.counts, figure3.counts)


@pytest.mark.parametrize("level", ["local", "central", "Provincial", ""])
def test_unknown_level(genai, level):
    with pytest.raises(pq.ValidationError, match=f"level must be 'national' or 'provincial', got '{level}'"):
        pq.authority_distribution(genai, admin_level=level)


def test_missing_da_column():
    documents = pd.DataFrame({"doc_id": ["D1"], "level": ["provincial"], "region": ["X"]})
    with pytest.raises(pq.ValidationError, match="the documents have no DA scores"):
        pq.authority_distribution(small_corpus(documents), admin_level="provincial")


def test_a_unit_field_on_the_rows_is_an_error(genai):
    with pytest.raises(pq.ValidationError, match="cannot group documents by 'instrument'"):
        pq.authority_distribution(genai, by="instrument")


def test_level_filter_without_level_column_is_a_validation_error():
    documents = pd.DataFrame({"doc_id": ["D1"], "region": ["X"], "DA": [3]})
    with pytest.raises(pq.ValidationError):
        pq.authority_distribution(small_corpus(documents), admin_level="provincial")


# --------------------------------------------------------------------------
# crosstab(count="documents").


@pytest.mark.parametrize(
    ("rows", "columns", "field"),
    [
        ("instrument", "DA", "instrument"),
        ("region", "AS", "AS"),
        ("objective", "level", "objective"),
        ("region", "family", "family"),
    ],
)
def test_crosstab_of_documents_by_a_unit_field_is_an_error(genai, rows, columns, field):
    with pytest.raises(
        pq.ValidationError, match=f"cannot group documents by '{field}': not a document field"
    ):
        pq.crosstab(genai, rows=rows, columns=columns, count="documents")


def test_crosstab_of_documents_counts_each_document_once(genai):
    table = pq.crosstab(genai, rows="level", columns="DA", count="documents")
    documents = genai.documents
    reference = pd.crosstab(documents["level"].astype(str), documents["DA"].astype("int64"))
    reference = reference.reindex(index=["national", "provincial"], columns=DA_LEVELS, fill_value=0)
    np.testing.assert_array_equal(table.counts.to_numpy(), reference.to_numpy())
    assert table.total == 63
    # Counting clauses instead weights each document by its clauses.
    assert pq.crosstab(genai, rows="level", columns="DA", count="units").total == 670


# --------------------------------------------------------------------------
# Corpus.subset.


def _sheets() -> tuple[pd.DataFrame, pd.DataFrame]:
    documents = pd.read_csv(data_path("genai_china_documents.csv"), dtype=str, keep_default_na=False)
    units = pd.read_csv(data_path("genai_china_units.csv"), dtype=str, keep_default_na=False)
    return documents, units


def assert_is_subset(subset: pq.Corpus, kept: list[str]) -> None:
    """``subset`` equals a corpus built from the coding sheets' rows of the ``kept`` documents."""
    documents, units = _sheets()
    rebuilt = pq.Corpus(
        documents[documents["doc_id"].isin(kept)].reset_index(drop=True),
        units[units["doc_id"].isin(kept)].reset_index(drop=True),
    )
    assert subset.documents["doc_id"].tolist() == [d for d in documents["doc_id"] if d in kept]
    assert subset == rebuilt
    pd.testing.assert_frame_equal(subset.codings, rebuilt.codings)
    np.testing.assert_array_equal(subset.unit_document_positions(), rebuilt.unit_document_positions())
    np.testing.assert_array_equal(subset.coding_unit_positions(), rebuilt.coding_unit_positions())
    pd.testing.assert_series_equal(pq.efficacy(subset), pq.efficacy(rebuilt))


def test_subset_by_callable(genai):
    provincial = genai.subset(lambda d: d["level"] == "provincial")
    assert (len(provincial.documents), len(provincial.units)) == (36, 290)
    assert (provincial.documents["level"] == "provincial").all()
    assert provincial.framework is genai.framework
    kept = genai.documents.loc[genai.documents["level"] == "provincial", "doc_id"].tolist()
    assert_is_subset(provincial, kept)
    # The original corpus is unchanged.
    assert (len(genai.documents), len(genai.units), len(genai.codings)) == (63, 670, 908)


@pytest.mark.parametrize("kind", ["list", "array", "series"])
def test_subset_by_mask(genai, kind):
    mask = (genai.documents["year"] == 2023).to_numpy(dtype=bool)
    value = {"list": mask.tolist(), "array": mask, "series": pd.Series(mask)}[kind]
    subset = genai.subset(value)
    kept = genai.documents.loc[mask, "doc_id"].tolist()
    assert len(kept) == 14
    assert_is_subset(subset, kept)
    assert pq.trends(subset).to_frame()["documents"].tolist() == [14]


@pytest.mark.parametrize("kind", ["list", "tuple", "index", "array", "generator", "series"])
def test_subset_by_ids(genai, kind):
    ids = ["P03", "N02", "N10", "N02"]  # order and repetition do not matter
    value = {
        "list": ids,
        "tuple": tuple(ids),
        "index": pd.Index(ids),
        "array": np.array(ids),
        "generator": (i for i in ids),
        "series": pd.Series(ids),
    }[kind]
    subset = genai.subset(value)
    assert subset.documents["doc_id"].tolist() == ["N02", "N10", "P03"]
    assert_is_subset(subset, ["N02", "N10", "P03"])


def test_subset_by_a_set_of_ids(genai):
    assert genai.subset({"N02", "P03"}).documents["doc_id"].tolist() == ["N02", "P03"]


def test_subset_by_a_mask_with_missing_values():
    documents = pd.DataFrame({"doc_id": ["D1", "D2", "D3"], "region": ["X", None, "Y"], "DA": [1, 2, 3]})
    corpus = small_corpus(documents)
    mask = corpus.documents["region"] == "X"
    assert mask.isna().sum() == 1  # a nullable boolean: the missing region compares as <NA>
    # A document whose region is missing is not a document of region X.
    assert corpus.subset(lambda d: d["region"] == "X").documents["doc_id"].tolist() == ["D1"]


def test_subset_of_nothing(genai):
    empty = genai.subset([False] * 63)
    assert (len(empty.documents), len(empty.units), len(empty.codings)) == (0, 0, 0)
    assert genai.subset([]).documents.empty


def test_subset_by_unknown_ids_names_them(genai):
    with pytest.raises(pq.ValidationError) as info:
        genai.subset(["N01", "N99", "Q1"])
    error = info.value
    assert str(error).startswith("2 doc_id(s) name no document")
    assert "N99" in str(error)
    assert "Q1" in str(error)
    assert error.problems["value"].tolist() == ["N99", "Q1"]
    assert error.problems["problem"].tolist() == ["no document with this doc_id"] * 2
    assert error.problems["column"].tolist() == ["doc_id"] * 2


@pytest.mark.parametrize("length", [0, 1, 62, 64])
def test_subset_by_a_mask_of_the_wrong_length(genai, length):
    with pytest.raises(
        pq.ValidationError, match=f"a document mask needs 63 values \\(one per document\\), got {length}"
    ):
        genai.subset(np.ones(length, dtype=bool))


def test_subset_of_a_subset(genai):
    provincial = genai.subset(lambda d: d["level"] == "provincial")
    beijing = provincial.subset(lambda d: d["region"] == "Beijing")
    assert len(beijing.documents) == 6
    kept = genai.documents.loc[genai.documents["region"] == "Beijing", "doc_id"].tolist()
    assert_is_subset(beijing, kept)
    with pytest.raises(pq.ValidationError, match="1 doc_id\\(s\\) name no document"):
        provincial.subset(["N01"])
