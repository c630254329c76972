"""The agreed corpus holds every clause any coder coded, not only the first coder's.

Coders of one study rarely code exactly the same clauses: one leaves a clause
out, another codes a document the others skipped.  :func:`adjudicate` used to
build the agreed corpus from the first coder's sheet alone, so a clause only a
later coder coded vanished from it without a word.  Each coder here is the
bundled corpus with clauses (or a whole document) left out, so what the agreed
corpus must hold is known by construction: every clause some coder coded,
with the bundled corpus's coding (every coder who coded a clause agrees on it).
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.errors import ValidationError
from policyquant.reliability import adjudicate, agreement_report

CORPUS = pq.datasets.load_genai_china()
UNITS = CORPUS.all_units()
UNIT_IDS = UNITS["unit_id"].tolist()
CODED = ["instrument", "AS", "MI"]


def without(units: list[int] = (), documents: list[str] = ()) -> pq.Corpus:
    """The bundled corpus without the clauses at ``units`` and without the ``documents`` (and their clauses)."""
    kept = UNITS.drop(index=list(units))
    kept = kept[~kept["doc_id"].isin(documents)]
    return pq.Corpus(CORPUS.documents[~CORPUS.documents["doc_id"].isin(documents)], kept)


def coding(corpus: pq.Corpus) -> pd.DataFrame:
    """Each clause's instrument, objectives and scores, by unit id, as plain values."""
    units = corpus.all_units().set_index("unit_id").sort_index()
    table = units[CODED].astype(object)
    table["objectives"] = units["objectives"].map(lambda value: tuple(sorted(value)))
    return table


def test_a_clause_the_first_coder_left_out_is_in_the_agreed_corpus():
    first = without(units=[5, 6, 7])
    agreed = adjudicate({"A": first, "B": CORPUS, "C": without(units=[7])})
    assert set(agreed.units["unit_id"]) == set(UNIT_IDS)
    # Clauses 5 and 6 by B and C, clause 7 by B alone: each keeps the coding they gave it.
    pd.testing.assert_frame_equal(coding(agreed), coding(CORPUS))


def test_the_first_coders_clauses_come_first_then_the_others_in_their_order():
    agreed = adjudicate({"A": without(units=[0, 9]), "B": without(units=[9]), "C": CORPUS})
    expected = [u for i, u in enumerate(UNIT_IDS) if i not in (0, 9)] + [UNIT_IDS[0], UNIT_IDS[9]]
    assert agreed.units["unit_id"].tolist() == expected


def test_a_document_only_later_coders_coded_is_in_the_agreed_corpus():
    skipped = CORPUS.documents["doc_id"].iloc[3]
    first = without(documents=[skipped])
    assert skipped not in set(first.documents["doc_id"])
    agreed = adjudicate({"A": first, "B": CORPUS, "C": CORPUS})
    assert skipped in set(agreed.documents["doc_id"])
    row = agreed.documents.set_index("doc_id").loc[skipped]
    original = CORPUS.documents.set_index("doc_id").loc[skipped]
    assert row["title"] == original["title"] and int(row["DA"]) == int(original["DA"])
    pd.testing.assert_frame_equal(coding(agreed), coding(CORPUS))


def test_a_clause_two_later_coders_disagree_on_is_a_tie_to_decide():
    # The first coder left clause 5 out; B and C code it differently: a tie, reported, not dropped.
    units = UNITS.copy()
    keys = CORPUS.framework.instrument_keys
    units.loc[5, "instrument"] = next(key for key in keys if key != units.loc[5, "instrument"])
    other = pq.Corpus(CORPUS.documents, units)
    with pytest.raises(ValidationError) as raised:
        adjudicate({"A": without(units=[5]), "B": CORPUS, "C": other})
    problems = raised.value.problems
    assert UNIT_IDS[5] in " ".join(map(str, problems.to_numpy().ravel().tolist()))


def test_coders_covering_the_same_clauses_give_the_first_coders_corpus():
    agreed = adjudicate({"A": CORPUS, "B": CORPUS})
    assert agreed.all_units()["unit_id"].tolist() == UNIT_IDS
    assert agreed.documents["doc_id"].tolist() == CORPUS.documents["doc_id"].tolist()


@settings(max_examples=12, deadline=None)
@given(
    st.lists(
        st.sets(st.integers(0, len(UNIT_IDS) - 1), max_size=25),
        min_size=2,
        max_size=3,
    ),
    st.randoms(use_true_random=False),
)
def test_the_agreed_clauses_are_the_union_of_the_coders_whatever_their_order(drops, random):
    # A clause every coder left out is in no coder's corpus: the agreed corpus cannot have it.
    coders = {f"C{i}": without(units=sorted(dropped)) for i, dropped in enumerate(drops)}
    coded = set(UNIT_IDS) - set.intersection(*(set(UNIT_IDS[i] for i in dropped) for dropped in drops))
    agreed = adjudicate(coders)
    assert sorted(agreed.all_units()["unit_id"]) == sorted(coded)
    expected = coding(CORPUS).loc[sorted(coded)]
    pd.testing.assert_frame_equal(coding(agreed), expected)
    names = list(coders)
    random.shuffle(names)
    shuffled = adjudicate({name: coders[name] for name in names})
    pd.testing.assert_frame_equal(coding(shuffled), coding(agreed))


def test_the_clauses_the_report_lists_as_not_coded_by_all_are_in_the_agreed_corpus():
    coders = {"A": without(units=[1, 2]), "B": without(units=[3]), "C": CORPUS}
    coverage = agreement_report(coders).coverage
    agreed = adjudicate(coders)
    # Clauses 1, 2 and 3 were coded by two coders of three: the report's coverage, and still agreed on.
    assert sorted(coverage["unit_id"]) == sorted(UNIT_IDS[i] for i in (1, 2, 3))
    assert set(coverage["unit_id"]) <= set(agreed.all_units()["unit_id"])
    assert len(agreed.all_units()) == len(UNIT_IDS)
