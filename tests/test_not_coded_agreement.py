"""A clause one coder codes ``none`` (无) and another codes with an instrument is a disagreement.

``none`` is a code a coder chose, not a clause left out: agreement statistics compare it,
disagreement sheets show it, and adjudication can decide for it or against it.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.reliability import adjudicate, agreement_report, disagreements

CORPUS = pq.datasets.load_genai_china()
UNITS = CORPUS.all_units()


def coded_none(*positions: int) -> pq.Corpus:
    """The example corpus with the clauses at ``positions`` coded ``none``."""
    units = UNITS.assign(
        instrument=UNITS["instrument"].astype(object), objectives=UNITS["objectives"].astype(object)
    )
    for position in positions:
        units.loc[position, ["instrument", "objectives"]] = ["none", ""]
        units.loc[position, ["AS", "MI"]] = None
    return pq.Corpus(CORPUS.documents, units)


def test_none_against_an_instrument_lowers_agreement_and_every_clause_counts():
    other = coded_none(0, 1)
    report = agreement_report({"A": CORPUS, "B": other}).to_frame()
    assert report.loc["instrument", "units"] == len(UNITS)
    assert report.loc["instrument", "estimate"] < 1
    same = agreement_report({"A": other, "B": other}).to_frame()
    assert same.loc["instrument", "units"] == len(UNITS)
    assert same.loc["instrument", "estimate"] == pytest.approx(1.0)


def test_the_sheet_shows_none_in_either_language():
    sheet = disagreements({"A": CORPUS, "B": coded_none(0)}).to_frame()
    instrument = sheet[sheet["dimension"] == "instrument"]
    assert instrument[["id", "A", "B"]].to_numpy().tolist() == [
        [UNITS.loc[0, "unit_id"], "standards_and_norms", "none"]
    ]
    chinese = disagreements({"A": CORPUS, "B": coded_none(0)}, language="zh").to_frame()
    assert chinese.loc[chinese["编码维度"] == "政策工具", "B"].tolist() == ["无"]


@pytest.mark.parametrize("decision", ["无", "none", "None"])
def test_a_decision_for_none_makes_the_clause_not_coded(decision):
    coders = {"A": CORPUS, "B": coded_none(0)}
    sheet = disagreements(coders).to_frame()
    sheet["decision"] = sheet["B"].astype(object)
    sheet.loc[sheet["dimension"] == "instrument", "decision"] = decision
    agreed = adjudicate(coders, sheet)
    assert agreed.not_coded["unit_id"].tolist() == [UNITS.loc[0, "unit_id"]]
    assert len(agreed.units) == len(UNITS) - 1


def test_a_decision_against_none_keeps_the_instrument_and_its_scores():
    coders = {"A": coded_none(0), "B": CORPUS}
    sheet = disagreements(coders).to_frame()
    sheet["decision"] = sheet["B"]
    agreed = adjudicate(coders, sheet)
    # The agreed clauses follow the first coder's sheet: its coded clauses, then its none clauses.
    assert len(agreed.not_coded) == 0
    pd.testing.assert_frame_equal(
        agreed.units.sort_values("unit_id", ignore_index=True),
        CORPUS.units.sort_values("unit_id", ignore_index=True),
    )


def test_a_majority_for_none_drops_the_scores_a_minority_gave():
    coders = {"A": coded_none(3), "B": coded_none(3), "C": CORPUS}
    agreed = adjudicate(coders)
    assert agreed.not_coded["unit_id"].tolist() == [UNITS.loc[3, "unit_id"]]
    assert agreed.not_coded[["AS", "MI"]].isna().all(axis=None)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sets(st.integers(0, len(UNITS) - 1), min_size=1, max_size=5))
def test_every_clause_is_compared_whatever_a_coder_codes_none(positions):
    other = coded_none(*positions)
    report = agreement_report({"A": CORPUS, "B": other}).to_frame()
    assert report.loc["instrument", "units"] == len(UNITS)
    rows = disagreements({"A": CORPUS, "B": other}).to_frame()
    flagged = set(rows.loc[rows["dimension"] == "instrument", "id"])
    assert flagged == set(UNITS.loc[sorted(positions), "unit_id"])
    # Nothing lost: adjudicating for B gives B back, its none clauses included.
    rows["decision"] = rows["B"]
    assert adjudicate({"A": CORPUS, "B": other}, rows) == other
