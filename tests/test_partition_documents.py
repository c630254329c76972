"""A partition of clauses is checked against the documents through one hashed index per base.

policyquant.io.chunked and policyquant.dask check every partition of a corpus's
clauses against the whole documents table.  The table is hashed once per base
corpus (once per worker on a cluster), so that a partition costs by its own
size, not by the number of documents; the results and the problems are those of
the corpus built in memory.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.corpus import TEXT
from policyquant.errors import ValidationError
from policyquant.io.chunked import base_corpus, check_units, validate_units

GENAI = pq.datasets.load_genai_china()


def sheet(corpus: pq.Corpus = GENAI) -> pd.DataFrame:
    units = corpus.all_units().copy()
    units["objectives"] = units["objectives"].map("; ".join)
    return units.drop(columns=["text"], errors="ignore")


@pytest.mark.parametrize("dtype", [TEXT, object, "str"])
def test_unknown_documents_are_reported_as_the_corpus_reports_them(dtype):
    documents = pd.DataFrame({"doc_id": ["007", "Cafe\u0301", "N02"], "DA": [3, 3, 3]})
    units = sheet().iloc[:4].copy()
    units["unit_id"] = ["u1", "u2", "u3", "u4"]
    # '7' is the spreadsheet-mangled '007'; 'Café' in NFC is the document's NFD twin; 'N03' is nowhere.
    units["doc_id"] = pd.Series(["7", "Caf\u00e9", "N02", "N03"], dtype=dtype)
    units = units.set_axis(pd.RangeIndex(2, 6))
    with pytest.raises(ValidationError) as in_memory:
        pq.Corpus(documents, units)
    base = base_corpus(documents)
    corpus, problems, stopped = check_units(units, base, source="units.csv")
    assert corpus is None and stopped is None
    expected = in_memory.value.problems
    columns = ["row", "column", "value", "problem", "expected", "suggestions"]
    assert problems[columns].astype(str).to_numpy().tolist() == expected[columns].astype(str).to_numpy().tolist()
    assert problems["value"].tolist() == ["7", "Caf\u00e9", "N03"]
    assert "007" in str(problems.loc[0, "suggestions"])
    assert "another Unicode normalization form" in problems.loc[1, "problem"]


def test_the_index_is_built_once_per_base_and_shared_by_its_partitions():
    base = base_corpus(GENAI.documents)
    units = sheet()
    first = validate_units(units.iloc[:300].reset_index(drop=True), base, first_row=2)
    index = base._memo["document_index"]
    second = validate_units(units.iloc[300:].reset_index(drop=True), base, first_row=2)
    assert base._memo["document_index"] is index
    assert index.is_unique and len(index) == len(GENAI.documents)
    positions = np.concatenate([first.unit_document_positions(), second.unit_document_positions()])
    coded = units[units["instrument"] != "none"]
    assert len(positions) == len(coded)
    assert np.array_equal(positions, GENAI.unit_document_positions())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cuts=st.lists(st.integers(1, len(GENAI.all_units()) - 1), max_size=6, unique=True), seed=st.integers(0, 2**32 - 1))
def test_any_partitioning_joins_each_clause_to_its_document(cuts, seed):
    units = sheet().sample(frac=1, random_state=seed).reset_index(drop=True)
    whole = pq.Corpus(GENAI.documents, units)
    base = base_corpus(GENAI.documents)
    bounds = [0, *sorted(cuts), len(units)]
    joined = []
    for start, stop in itertools.pairwise(bounds):
        part = validate_units(units.iloc[start:stop].reset_index(drop=True), base, first_row=start + 2)
        # Every document of the base, whichever the partition names: positions are into all of them.
        assert len(part.documents) == len(GENAI.documents)
        joined.append(part.documents["doc_id"].to_numpy(dtype=object)[part.unit_document_positions()])
    assert np.array_equal(np.concatenate(joined), whole.units["doc_id"].to_numpy(dtype=object))
