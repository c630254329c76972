"""Defects of the adjudication sheet and the agreement report found by break-testing (common23).

A coder named like a sheet header, two decision columns, conflicting rows, coverage of
clauses coded ``none``, the agreed corpus's attribution, ids in two Unicode forms, and
decision errors that point at the sheet.
"""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.cli import main
from policyquant.errors import ValidationError
from policyquant.reliability import adjudicate, agreement_report, disagreements
from policyquant.reliability.report import DisagreementsResult

CORPUS = pq.datasets.load_genai_china()
#: Two documents of the example corpus: adjudication stays fast.
SMALL_DOCUMENTS = CORPUS.documents[CORPUS.documents["doc_id"].isin(["N01", "N02"])]
SMALL_UNITS = CORPUS.all_units()[CORPUS.all_units()["doc_id"].isin(["N01", "N02"])].reset_index(drop=True)
SMALL = pq.Corpus(SMALL_DOCUMENTS, SMALL_UNITS)
UNIT = SMALL_UNITS.loc[0, "unit_id"]


def _differing(corpus: pq.Corpus = SMALL) -> pq.Corpus:
    """The corpus as a second coder coded it: the first clause's audience scope 1 instead of 5."""
    units = corpus.all_units().copy()
    assert units.loc[0, "AS"] == 5
    units.loc[0, "AS"] = 1
    return pq.Corpus(corpus.documents, units)


def _raises(call, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value


# -- 1. a coder named like a sheet header ----------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Decision", "裁决", "DECISION", " decision ", "编号", "Coded dimension", "text", "ID", "文件"]
)
def test_a_coder_named_like_a_sheet_header_in_any_language_is_refused(name):
    coders = {"A": SMALL, name: _differing()}
    error = _raises(disagreements, coders)
    assert repr(name) in str(error) and "rename the coder" in str(error)
    # Adjudicating with a sheet refuses it too: the coder's column would read as the sheet's own.
    sheet = pd.DataFrame({"id": [UNIT], "dimension": ["AS"], "decision": ["5"]})
    assert repr(name) in str(_raises(adjudicate, coders, sheet))
    # The labelled sheet of a result made before refuses it in every language as well.
    with pytest.raises(ValidationError, match="rename the coder"):
        DisagreementsResult(pd.DataFrame(columns=["id", "dimension", "A", name, "decision"]), ["A", name]).to_frame(
            language="en"
        )


def test_a_coder_named_like_a_header_was_read_as_the_decisions():
    # The break-tester's case: coder "Decision"'s 1 taken for the team's decision on a 1-1 tie.
    coders = {"A": SMALL, "Decision": _differing()}
    sheet = pd.DataFrame({"id": [UNIT], "dimension": ["AS"], "A": ["5"], "Decision": ["1"], "decision": [""]})
    with pytest.raises(ValidationError, match="'Decision'"):
        adjudicate(coders, sheet)
    # Majority alone reads no sheet: nothing is mistaken for a decision.
    assert int(adjudicate({"A": SMALL, "B": SMALL, "Decision": _differing()}).all_units().loc[0, "AS"]) == 5


def test_other_coder_names_still_work():
    coders = {"Decision maker": SMALL, "裁决人": _differing()}
    sheet = disagreements(coders, language="zh").to_frame()
    assert sheet.columns.tolist() == ["编号", "文件", "文本", "编码维度", "Decision maker", "裁决人", "裁决"]
    sheet["裁决"] = "3"
    assert int(adjudicate(coders, sheet).all_units().loc[0, "AS"]) == 3


def test_the_cli_refuses_a_coder_file_named_like_a_header(tmp_path):
    a, b = tmp_path / "li.json", tmp_path / "裁决.json"
    pq.write_coding(SMALL, a)
    pq.write_coding(_differing(), b)
    result = CliRunner().invoke(
        main, ["reliability", str(a), str(b), "--disagreements", str(tmp_path / "sheet.csv")]
    )
    assert result.exit_code == 2
    assert "policyquant: error: a coder is named '裁决'" in result.output
    assert not (tmp_path / "sheet.csv").exists()


@pytest.mark.parametrize(
    ("columns", "key"),
    [(["decision", "裁决"], "decision"), (["Decision", "decision"], "decision"), (["id", "ID"], "id")],
)
def test_a_sheet_with_two_columns_for_one_key_is_refused(columns, key):
    coders = {"A": SMALL, "B": _differing()}
    sheet = pd.DataFrame({"id": [UNIT], "dimension": ["AS"]})
    for at, column in enumerate(columns):
        sheet[column] = [UNIT] if key == "id" else ["3" if at == 0 else "1"]
    error = _raises(adjudicate, coders, sheet)
    assert f"2 columns that read as {key!r}" in str(error)
    for column in columns:
        assert repr(column) in str(error)


def test_two_decision_columns_in_a_file_name_the_file(tmp_path):
    path = tmp_path / "decided.csv"
    pd.DataFrame({"id": [UNIT], "dimension": ["AS"], "裁决": ["3"], "decision": ["1"]}).to_csv(path, index=False)
    error = _raises(adjudicate, {"A": SMALL, "B": _differing()}, path)
    assert str(error).startswith(f"{path}: ") and "'裁决', 'decision'" in str(error)


# -- 2. two rows deciding one unit and dimension differently ---------------------------------------


def test_conflicting_decisions_on_one_unit_and_dimension_are_refused_naming_both_rows():
    coders = {"A": SMALL, "B": _differing()}
    # The same dimension by key and by its Chinese label.
    sheet = pd.DataFrame({"id": [UNIT, UNIT], "dimension": ["AS", "作用范围"], "decision": ["5", "1"]})
    error = _raises(adjudicate, coders, sheet)
    assert "conflict" in str(error)
    problem = error.problems.iloc[0]
    assert (problem["row"], problem["column"], problem["value"]) == (3, "decision", "1")
    assert "row 2 decides '5'" in problem["problem"] and "rows 2 and 3" in problem["expected"]


def test_conflicts_are_reported_with_the_file_and_every_one_at_once(tmp_path):
    coders = {"A": SMALL, "B": _differing()}
    second = SMALL_UNITS.loc[1, "unit_id"]
    path = tmp_path / "decided.csv"
    pd.DataFrame(
        {
            "id": [UNIT, second, UNIT, second],
            "dimension": ["AS", "MI", "AS", "MI"],
            "decision": ["5", "1", "3", "5"],
        }
    ).to_csv(path, index=False)
    error = _raises(adjudicate, coders, path)
    assert error.problems["row"].tolist() == [4, 5]
    assert set(error.problems["file"]) == {str(path)}


@pytest.mark.parametrize(
    ("one", "two"),
    [("5", "5"), ("5", "5.0"), ("5", "5 (All departments, fields or scenarios)"), ("5", "5（全部部门、领域或场景）")],
)
def test_duplicate_rows_that_agree_are_fine(one, two):
    coders = {"A": SMALL, "B": _differing()}
    sheet = pd.DataFrame({"id": [UNIT, UNIT], "dimension": ["AS", "作用范围"], "decision": [one, two]})
    assert int(adjudicate(coders, sheet).all_units().loc[0, "AS"]) == 5


def test_a_blank_duplicate_leaves_the_decision_standing():
    coders = {"A": SMALL, "B": _differing()}
    sheet = pd.DataFrame({"id": [UNIT, UNIT], "dimension": ["AS", "AS"], "decision": ["", "1"]})
    assert int(adjudicate(coders, sheet).all_units().loc[0, "AS"]) == 1


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(range(4)), st.booleans())
def test_conflicts_are_found_whatever_the_row_order(order, conflicting):
    coders = {"A": SMALL, "B": _differing()}
    second = SMALL_UNITS.loc[1, "unit_id"]
    sheet = pd.DataFrame(
        {
            "id": [UNIT, UNIT, second, second],
            "dimension": ["AS", "作用范围", "MI", "MI"],
            "decision": ["3", "1" if conflicting else "3", "5", "5"],
        }
    ).iloc[list(order)]
    if conflicting:
        error = _raises(adjudicate, coders, sheet.reset_index(drop=True))
        assert len(error.problems) == 1 and error.problems.loc[0, "value"] in ("3", "1")
    else:
        agreed = adjudicate(coders, sheet.reset_index(drop=True)).all_units()
        assert int(agreed.loc[0, "AS"]) == 3 and int(agreed.loc[1, "MI"]) == 5


# -- 3. coverage counts clauses coded none -----------------------------------------------------------


def _coded_none_by_a() -> dict[str, pq.Corpus]:
    units = SMALL_UNITS.astype({"instrument": object, "objectives": object})
    a = units.copy()
    a.loc[0, ["instrument", "objectives", "AS", "MI"]] = ["none", "", None, None]
    b = units.drop(index=[1])
    return {"A": pq.Corpus(SMALL_DOCUMENTS, a), "B": pq.Corpus(SMALL_DOCUMENTS, b)}


def test_coverage_counts_a_clause_coded_none_as_coded():
    coders = _coded_none_by_a()
    report = agreement_report(coders)
    assert report.coverage.to_dict("records") == [{"unit_id": SMALL_UNITS.loc[1, "unit_id"], "coded_by": "A"}]


def test_coverage_agrees_with_the_units_the_instrument_alpha_pairs():
    coders = _coded_none_by_a()
    report = agreement_report(coders)
    every = set(SMALL_UNITS["unit_id"])
    # Every clause not in the coverage is coded by both coders, and alpha pairs exactly those.
    assert report.table.loc["instrument", "units"] == len(every) - len(report.coverage)


# -- 4. the agreed corpus is no coder's ------------------------------------------------------------


def test_the_agreed_corpus_has_no_coder_attribution_column():
    from policyquant.coders import common_dimensions, get_coder

    machine = get_coder("dictionary").code(SMALL)
    assert "coder" in machine.units.columns
    coders = common_dimensions({"machine": machine, "human": SMALL})
    sheet = disagreements(coders).to_frame()
    sheet["decision"] = sheet["human"]
    agreed = adjudicate(coders, sheet)
    assert "coder" not in agreed.all_units().columns
    assert "coder" not in agreed.documents.columns
    # Nothing else is lost: every clause of either coder is there.
    assert set(agreed.all_units()["unit_id"]) == set(SMALL_UNITS["unit_id"])


def test_a_coder_column_of_a_human_corpus_is_dropped_too():
    units = SMALL_UNITS.assign(coder="li")
    agreed = adjudicate({"A": pq.Corpus(SMALL_DOCUMENTS, units), "B": SMALL})
    assert "coder" not in agreed.all_units().columns


# -- 5. ids in two Unicode normalization forms -----------------------------------------------------


def _twins() -> dict[str, pq.Corpus]:
    a, b = SMALL_UNITS.copy(), SMALL_UNITS.copy()
    a["unit_id"] = [unicodedata.normalize("NFC", f"é{u}") for u in SMALL_UNITS["unit_id"]]
    b["unit_id"] = [unicodedata.normalize("NFD", f"é{u}") for u in SMALL_UNITS["unit_id"]]
    return {"A": pq.Corpus(SMALL_DOCUMENTS, a), "B": pq.Corpus(SMALL_DOCUMENTS, b)}


@pytest.mark.parametrize("function", [disagreements, agreement_report, adjudicate])
def test_ids_in_two_unicode_forms_are_refused_naming_both_coders_and_code_points(function):
    error = _raises(function, _twins())
    assert "Unicode normalization forms" in str(error)
    assert len(error.problems) == len(SMALL_UNITS)
    first = error.problems.iloc[0]
    assert first["column"] == "unit_id"
    assert "coder 'B'" in first["problem"] and "coder 'A'" in first["problem"]
    assert "'e\\u0301N01-2-2'" in first["problem"] and "'\\u00e9N01-2-2'" in first["problem"]
    assert "row 26" not in str(error)


def test_document_ids_in_two_unicode_forms_are_refused():
    documents_a = SMALL_DOCUMENTS.assign(doc_id=SMALL_DOCUMENTS["doc_id"].map(lambda d: unicodedata.normalize("NFC", f"é{d}")))
    documents_b = SMALL_DOCUMENTS.assign(doc_id=SMALL_DOCUMENTS["doc_id"].map(lambda d: unicodedata.normalize("NFD", f"é{d}")))
    a = SMALL_UNITS.assign(doc_id=SMALL_UNITS["doc_id"].map(lambda d: unicodedata.normalize("NFC", f"é{d}")))
    b = SMALL_UNITS.assign(doc_id=SMALL_UNITS["doc_id"].map(lambda d: unicodedata.normalize("NFD", f"é{d}")))
    error = _raises(disagreements, {"A": pq.Corpus(documents_a, a), "B": pq.Corpus(documents_b, b)})
    assert set(error.problems["column"]) == {"doc_id"}


def test_the_same_non_ascii_ids_in_one_form_are_fine():
    a = SMALL_UNITS.assign(unit_id="é" + SMALL_UNITS["unit_id"])
    units = a.copy()
    units.loc[0, "AS"] = 1
    coders = {"A": pq.Corpus(SMALL_DOCUMENTS, a), "B": pq.Corpus(SMALL_DOCUMENTS, units)}
    assert disagreements(coders).to_frame()["id"].tolist() == ["é" + UNIT]


def test_disagreements_refuses_coders_who_share_no_clause():
    first, second = SMALL_UNITS[SMALL_UNITS["doc_id"] == "N01"], SMALL_UNITS[SMALL_UNITS["doc_id"] == "N02"]
    coders = {"A": pq.Corpus(SMALL_DOCUMENTS, first), "B": pq.Corpus(SMALL_DOCUMENTS, second)}
    with pytest.raises(ValidationError, match="no clause was coded by two coders"):
        disagreements(coders)
    with pytest.raises(ValidationError, match="no clause was coded by two coders"):
        agreement_report(coders)


# -- 6. decision errors point at the sheet ---------------------------------------------------------


def test_an_unknown_instrument_or_score_decision_is_named_at_its_sheet_row(tmp_path):
    units = SMALL_UNITS.astype({"instrument": object})
    units.loc[0, ["instrument", "AS"]] = ["infrastructure", 1]
    coders = {"A": SMALL, "B": pq.Corpus(SMALL_DOCUMENTS, units)}
    path = tmp_path / "decided.csv"
    pd.DataFrame({"id": [UNIT, UNIT], "dimension": ["instrument", "AS"], "decision": ["infrastructur", "4"]}).to_csv(
        path, index=False
    )
    error = _raises(adjudicate, coders, path)
    problems = error.problems
    assert problems["file"].tolist() == [str(path)] * 2
    assert problems["row"].tolist() == [2, 3]
    assert problems["column"].tolist() == ["decision", "decision"]
    assert problems["value"].tolist() == ["infrastructur", "4"]
    assert problems.loc[0, "problem"] == "unknown instrument"
    assert "infrastructure" in problems.loc[0, "suggestions"]
    assert "one of 5, 3, 1" in problems.loc[1, "expected"]
    assert "the coding" not in str(error) and "row 0" not in str(error)


def test_an_instrument_alias_decision_still_reads():
    units = SMALL_UNITS.astype({"instrument": object})
    units.loc[0, "instrument"] = "infrastructure"
    coders = {"A": SMALL, "B": pq.Corpus(SMALL_DOCUMENTS, units)}
    label = CORPUS.framework.instruments[1].label_in("en")
    sheet = pd.DataFrame({"id": [UNIT], "dimension": ["instrument"], "decision": [f"  {label.upper()} "]})
    assert adjudicate(coders, sheet).all_units().loc[0, "instrument"] == CORPUS.framework.instrument_keys[1]


def test_every_unknown_id_is_named_with_its_row_and_the_closest_ids(tmp_path):
    coders = {"A": SMALL, "B": _differing()}
    path = tmp_path / "decided.csv"
    pd.DataFrame(
        {"id": ["N01-2-3", "N01-2-2x", UNIT, "N09"], "dimension": ["AS", "MI", "AS", "DA"], "decision": ["3", "3", "3", "3"]}
    ).to_csv(path, index=False)
    error = _raises(adjudicate, coders, path)
    problems = error.problems
    assert problems["row"].tolist() == [2, 3, 5]
    assert problems["column"].tolist() == ["id"] * 3
    assert problems["value"].tolist() == ["N01-2-3", "N01-2-2x", "N09"]
    assert problems["file"].tolist() == [str(path)] * 3
    assert "N01-2-2" in problems.loc[1, "suggestions"]
    assert "document 'N09'" in problems.loc[2, "problem"] and "N01" in problems.loc[2, "suggestions"]
    assert "3 decision(s) name an id that no coder coded" in str(error)


@pytest.mark.parametrize("written", ["5.00", " 5 ", 5, 5.0])
def test_a_score_decision_written_as_the_corpus_reads_scores_is_read(written):
    units = CORPUS.units.copy()
    units.loc[0, "AS"] = 1
    coders = {"A": CORPUS, "B": pq.Corpus(CORPUS.documents, units)}
    sheet = disagreements(coders).to_frame()
    sheet["decision"] = sheet["decision"].astype(object)
    sheet.loc[sheet["dimension"] == "AS", "decision"] = written
    assert int(adjudicate(coders, sheet).units.loc[0, "AS"]) == 5
