"""An id copied by eye (``N0l`` for ``N01``, ``P0O7`` for ``P007``) is told its own spelling first."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import policyquant as pq
from policyquant._text import closest
from policyquant.errors import ValidationError

CORPUS = pq.datasets.load_genai_china()


def test_a_lookalike_id_is_suggested_before_the_merely_close_ones():
    assert closest("N0l", ["N20", "N10", "N09", "N01"]) == ["N01", "N20", "N10"]
    assert closest("P0O7", ["P017", "P008", "P007"])[0] == "P007"
    assert closest("doc-I2", ["doc-12", "doc-13"])[0] == "doc-12"


def test_names_without_lookalikes_keep_difflibs_order():
    assert closest("subsidy", ["subsidies", "taxes", "regulation"]) == ["subsidies"]
    assert closest("zzz", ["subsidies", "taxes"]) == []


def test_the_same_spelling_comes_before_a_lookalike_and_nothing_twice():
    assert closest("n01", ["N0l", "N01"]) == ["N01", "N0l"]


def test_a_unit_naming_a_lookalike_document_is_told_the_document():
    units = CORPUS.all_units().copy()
    units["doc_id"] = units["doc_id"].astype(object)
    units.loc[0, "doc_id"] = "N0l"
    with pytest.raises(ValidationError) as raised:
        pq.Corpus(CORPUS.documents, units)
    problem = raised.value.problems.iloc[0]
    assert problem["value"] == "N0l" and problem["column"] == "doc_id"
    assert str(problem["suggestions"]).split(", ")[0] == "N01"


@given(st.lists(st.text("abcdefgh0123456789-", min_size=2, max_size=8), min_size=1, max_size=30, unique=True))
def test_an_id_with_its_digits_misread_as_letters_finds_it_first(ids):
    wanted = ids[0]
    assume("1" in wanted or "0" in wanted)
    misread = wanted.replace("1", "l").replace("0", "O")
    # Another id that reads the same once misread would be as good a suggestion: not this case.
    fold = str.maketrans({"1": "l", "0": "o"})
    assume(sum(i.translate(fold) == wanted.translate(fold) for i in ids) == 1)
    assert closest(misread, ids)[0] == wanted
    assert len(closest(misread, pd.Series(ids).tolist())) <= 3
