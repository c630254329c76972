"""One constructor path: a subset is the corpus its rows would build (issue 18, item 6).

``Corpus.subset`` and ``Corpus.__init__`` finish through the same ``_adopt``, so a
field added to a corpus cannot be forgotten on one of the two paths.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.errors import ValidationError
from policyquant.testing.strategies import corpora, frameworks

_SETTINGS = settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

#: Levels a study might choose instead of the default national/provincial.
_STUDY_LEVELS = (None, ["national", "provincial", "municipal"], ["provincial", "national"])


def _assert_same_corpus(subset: pq.Corpus, built: pq.Corpus) -> None:
    # Compared before any cached view is computed: the same fields, however the corpus was made.
    assert set(vars(subset)) == set(vars(built))
    assert subset == built
    assert subset.framework == built.framework
    assert subset.framework.level_keys == built.framework.level_keys
    for name in ("documents", "units", "codings"):
        left, right = getattr(subset, name), getattr(built, name)
        pd.testing.assert_frame_equal(left, right)
        for column in left.columns:
            # The categories of a categorical column (instruments, families, objectives, levels).
            if isinstance(left[column].dtype, pd.CategoricalDtype):
                assert list(left[column].cat.categories) == list(right[column].cat.categories)
    np.testing.assert_array_equal(subset.unit_document_positions(), built.unit_document_positions())
    np.testing.assert_array_equal(subset.coding_unit_positions(), built.coding_unit_positions())
    np.testing.assert_array_equal(subset._objective_mask, built._objective_mask)


def _rebuilt(corpus: pq.Corpus, keep: np.ndarray) -> pq.Corpus:
    """A corpus validated from scratch from the kept rows of ``corpus``."""
    documents = corpus.documents[keep].reset_index(drop=True)
    units = corpus.units[corpus.units["doc_id"].isin(set(documents["doc_id"]))].reset_index(drop=True)
    return pq.Corpus(
        documents,
        units,
        corpus.framework,
        sources={"documents": "documents.csv", "units": "units.csv"},
    )


@st.composite
def _corpus_and_selection(draw):
    framework = draw(frameworks(max_instruments=5, max_objectives=4))
    levels = draw(st.sampled_from(_STUDY_LEVELS))
    if levels is not None:
        framework = framework.with_levels(levels)
    corpus = draw(corpora(framework, max_documents=6, max_units=15))
    doc_ids = corpus.documents["doc_id"].tolist()
    keep = np.array(draw(st.lists(st.booleans(), min_size=len(doc_ids), max_size=len(doc_ids))))
    how = draw(st.sampled_from(["mask", "ids", "set", "callable"]))
    chosen = [d for d, k in zip(doc_ids, keep, strict=True) if k]
    selection = {
        "mask": keep,
        "ids": chosen,
        "set": set(chosen),
        "callable": lambda table: table["doc_id"].isin(chosen),
    }[how]
    return corpus, keep, selection


@_SETTINGS
@given(_corpus_and_selection())
def test_subset_equals_the_corpus_built_from_its_rows(drawn):
    corpus, keep, selection = drawn
    _assert_same_corpus(corpus.subset(selection), _rebuilt(corpus, keep))


@_SETTINGS
@given(_corpus_and_selection())
def test_subset_of_a_subset_is_the_subset_of_both(drawn):
    corpus, _, selection = drawn
    once = corpus.subset(selection)
    _assert_same_corpus(once.subset(lambda d: pd.Series(True, index=d.index)), once)


def test_subset_and_init_hold_the_same_fields_on_the_bundled_corpus():
    corpus = pq.datasets.load_genai_china()
    provincial = corpus.subset(lambda d: d["level"] == "provincial")
    keep = (corpus.documents["level"] == "provincial").to_numpy()
    _assert_same_corpus(provincial, _rebuilt(pq.datasets.load_genai_china(), keep))
    # The subset's memo is its own: a derived array of the whole corpus never leaks into it.
    corpus.memoized("probe", lambda: "whole")
    assert provincial.memoized("probe", lambda: "subset") == "subset"


def test_study_levels_survive_a_subset():
    framework = pq.get_framework("wang2026")
    documents = pd.DataFrame({"doc_id": ["A", "B"], "level": ["municipal", "national"]})
    units = pd.DataFrame(
        {
            "unit_id": ["A-1-1", "B-1-1"],
            "instrument": ["Standards & norms", "试点示范"],
            "objectives": ["public safety", "应用场景完善"],
            "AS": [5, 3],
            "MI": [3, 3],
        }
    )
    corpus = pq.Corpus(documents, units, framework, levels=["national", "provincial", "municipal"])
    subset = corpus.subset(["A"])
    assert subset.framework.level_keys == ("national", "provincial", "municipal")
    assert subset.documents["level"].tolist() == ["municipal"]
    _assert_same_corpus(subset, _rebuilt(corpus, np.array([True, False])))


@pytest.mark.parametrize(
    ("selection", "message"),
    [
        (["nope"], "1 doc_id(s) name no document"),
        (np.array([True]), "a document mask needs 2 values"),
    ],
)
def test_bad_selections_are_refused(selection, message):
    documents = pd.DataFrame({"doc_id": ["A", "B"]})
    units = pd.DataFrame(
        {"unit_id": ["A-1-1", "B-1-1"], "instrument": ["试点示范"] * 2, "objectives": ["应用场景完善"] * 2}
    )
    corpus = pq.Corpus(documents, units, pq.get_framework("wang2026"))
    with pytest.raises(ValidationError, match=re.escape(message)):
        corpus.subset(selection)
