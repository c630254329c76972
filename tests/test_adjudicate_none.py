"""Adjudicating clauses coded ``none`` (issue 16, item 6): what a none settles, what the sheet shows, memos kept.

A clause with no policy instrument is coded ``none``.  When its instrument is settled as
``none`` (by a decision or the majority), its objectives and scores are settled empty: no
decision is needed for them, one that agrees is ignored and one that contradicts is named.
When a coder coded ``none`` and another an instrument, the adjudication sheet shows the
other coder's objectives and scores too, the ``none`` coder's cells marked, and reads them
back.  Every coder's memo on every clause survives into the agreed corpus.  The real case is
the law sample: two passes over 513 articles and the adjudicator's committed decisions.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.errors import ValidationError, WriteError
from policyquant.reliability import adjudicate, agreement_report, disagreements

CORPUS = pq.datasets.load_genai_china()
# A few documents keep the properties quick; every dimension is there.
SMALL = CORPUS.subset(CORPUS.documents["doc_id"].iloc[:4])
UNIT_IDS = SMALL.units["unit_id"].tolist()
SCORES = ("AS", "MI")
OBJECTIVES = [f"objective:{key}" for key in CORPUS.framework.objective_keys]
CODE_COLUMNS = ["unit_id", "instrument", "objectives", "AS", "MI"]

DECISIONS = pq.datasets.data_path("law_sample/decisions.csv")
ADJUDICATED = pq.datasets.data_path("law_sample/adjudicated.csv")


def recoded(
    corpus: pq.Corpus,
    none: tuple[int, ...] = (),
    memos: list[str | None] | None = None,
    scores: dict[int, int] | None = None,
    instruments: dict[int, str] | None = None,
) -> pq.Corpus:
    """``corpus`` as another coder coded it: the clauses at ``none`` coded none, with these memos, scores, instruments."""
    units = corpus.all_units().astype({"instrument": object, "objectives": object, "AS": object, "MI": object})
    for position, instrument in (instruments or {}).items():
        units.loc[position, "instrument"] = instrument
    for position, score in (scores or {}).items():
        units.loc[position, "AS"] = score
    for position in none:
        units.loc[position, ["instrument", "objectives", "AS", "MI"]] = ["none", "", None, None]
    if memos is not None:
        units["memo"] = memos
    return pq.Corpus(corpus.documents, units)


def codes(corpus: pq.Corpus) -> pd.DataFrame:
    """Every clause's codes, those coded none included (instrument ``none``), by unit_id."""
    units = corpus.all_units()[CODE_COLUMNS].set_index("unit_id").sort_index()
    units["objectives"] = units["objectives"].map(lambda keys: tuple(sorted(keys)) if len(keys) else ())
    units["instrument"] = units["instrument"].astype(object)
    return units.astype(object).where(units.notna(), None)


def memos(corpus: pq.Corpus) -> pd.Series:
    units = corpus.all_units().set_index("unit_id").sort_index()
    return units["memo"].astype(object).where(units["memo"].notna(), None)


def problems_of(*args, **kwargs) -> pd.DataFrame:
    with pytest.raises(ValidationError) as caught:
        adjudicate(*args, **kwargs)
    return caught.value.problems


# --------------------------------------------------------------------------
# 1. A clause settled as none settles its objectives and scores.


def test_a_clause_decided_none_needs_no_decision_on_its_objectives_and_scores():
    coders = {"A": SMALL, "B": recoded(SMALL, none=(0,))}
    sheet = disagreements(coders).to_frame()
    sheet.loc[sheet["dimension"] == "instrument", "decision"] = "none"
    # Only the instrument is decided: the clause's objective and score rows stay blank.
    assert sheet.loc[sheet["dimension"] != "instrument", "decision"].isna().all()
    agreed = adjudicate(coders, sheet)
    assert agreed.not_coded["unit_id"].tolist() == [UNIT_IDS[0]]
    assert agreed.not_coded[["AS", "MI"]].isna().all(axis=None)
    assert agreed.not_coded["objectives"].map(len).tolist() == [0]
    assert codes(agreed).drop(index=UNIT_IDS[0]).equals(codes(SMALL).drop(index=UNIT_IDS[0]))


def test_a_majority_for_none_settles_scores_the_others_tie_on():
    # Two coders code the clause none; two others give it instruments and scores that tie (5 against 1).
    one = recoded(SMALL, instruments={0: "infrastructure"}, scores={0: 1})
    coders = {
        "A": recoded(SMALL, none=(0,)),
        "B": recoded(SMALL, none=(0,)),
        "C": SMALL,
        "D": one,
    }
    agreed = adjudicate(coders)
    assert agreed.not_coded["unit_id"].tolist() == [UNIT_IDS[0]]
    assert codes(agreed).drop(index=UNIT_IDS[0]).equals(codes(SMALL).drop(index=UNIT_IDS[0]))


@pytest.mark.parametrize(
    ("dimension", "decision"),
    [
        ("objective:public_safety", False),
        ("objective:public_safety", "No"),
        ("objective:public_safety", "否"),
        ("objective:public_safety", "none"),
        ("objective:public_safety", "not coded (none)"),
        ("objective:public_safety", "未编码（无）"),
        ("AS", "none"),
        ("AS", "无"),
        ("AS", "not coded (none)"),
        ("MI", "未编码（无）"),
    ],
)
def test_a_decision_that_agrees_with_none_is_ignored(dimension, decision):
    coders = {"A": SMALL, "B": recoded(SMALL, none=(0,))}
    sheet = disagreements(coders).to_frame()
    sheet.loc[sheet["dimension"] == "instrument", "decision"] = "无"
    sheet.loc[sheet["dimension"] == dimension, "decision"] = decision
    assert adjudicate(coders, sheet) == adjudicate(
        coders, sheet.assign(decision=sheet["decision"].where(sheet["dimension"] == "instrument"))
    )


@pytest.mark.parametrize(
    ("dimension", "decision"),
    [
        ("objective:public_safety", True),
        ("objective:public_safety", "是"),
        ("objective:rights_protection", "Yes"),
        ("AS", "5"),
        ("MI", "5（措施详细、可操作性强）"),
    ],
)
def test_a_decision_that_gives_a_clause_decided_none_a_code_is_a_contradiction_named_by_row(dimension, decision, tmp_path):
    coders = {"A": SMALL, "B": recoded(SMALL, none=(0,))}
    sheet = disagreements(coders).to_frame()
    sheet.loc[sheet["dimension"] == "instrument", "decision"] = "none"
    at = int(np.flatnonzero(sheet["dimension"] == dimension)[0])
    sheet.loc[at, "decision"] = decision
    path = tmp_path / "decisions.csv"
    sheet.to_csv(path, index=False, encoding="utf-8-sig")
    with pytest.raises(ValidationError, match=r"^1 decision\(s\) contradict the instrument settled for their unit") as caught:
        adjudicate(coders, path)
    problem = caught.value.problems.iloc[0]
    assert (problem["file"], problem["row"], problem["column"], problem["value"]) == (str(path), at + 2, "decision", str(decision))
    assert problem["problem"].startswith(f"unit {UNIT_IDS[0]!r}, dimension {dimension!r} (")
    assert "settled as none (decided on the sheet)" in problem["problem"]
    assert problem["expected"].startswith("a blank decision")


def test_a_majority_for_none_and_a_contradicting_decision_says_how_it_was_settled():
    coders = {"A": recoded(SMALL, none=(0,)), "B": recoded(SMALL, none=(0,)), "C": SMALL}
    sheet = pd.DataFrame({"id": [UNIT_IDS[0]], "dimension": ["AS"], "decision": [3]})
    problem = problems_of(coders, sheet).iloc[0]
    assert "settled as none (by the coders' majority)" in problem["problem"]
    assert (problem["row"], problem["column"], problem["value"]) == (2, "decision", 3)


def test_none_on_a_clause_decided_an_instrument_is_a_contradiction():
    coders = {"A": SMALL, "B": recoded(SMALL, none=(0,))}
    sheet = disagreements(coders).to_frame()
    sheet["decision"] = sheet["A"]
    # The instrument is A's, but its AS is B's "none": a clause with an instrument has a score.
    at = int(np.flatnonzero(sheet["dimension"] == "AS")[0])
    sheet.loc[at, "decision"] = sheet.loc[at, "B"]
    problem = problems_of(coders, sheet).iloc[0]
    assert (problem["row"], problem["value"]) == (at + 2, "none")
    assert "the decision says the unit has no instrument, but its instrument is settled as Standards" in problem["problem"]
    assert problem["expected"] == "5, 3, 1; or decide the unit's instrument none"


def test_a_clause_every_coder_coded_none_decided_an_instrument_needs_every_code():
    coders = {"A": recoded(SMALL, none=(0,)), "B": recoded(SMALL, none=(0,))}
    decided = pd.DataFrame({"id": [UNIT_IDS[0]], "dimension": ["instrument"], "decision": ["标准规范"]})
    with pytest.raises(ValidationError, match=r"^6 code\(s\) that no coder gave need a decision") as caught:
        adjudicate(coders, decided)
    named = caught.value.problems["problem"].str.extract(r"dimension '([^']+)'")[0].tolist()
    assert named == [*OBJECTIVES, *SCORES]
    assert caught.value.problems["problem"].str.contains("every coder coded it none").all()
    # Deciding them gives the clause its codes.
    rest = pd.DataFrame(
        {
            "id": [UNIT_IDS[0]] * 7,
            "dimension": [*OBJECTIVES, *SCORES, "instrument"],
            "decision": ["no", "yes", "no", "no", "5", "3", "standards_and_norms"],
        }
    )
    agreed = codes(adjudicate(coders, rest)).loc[UNIT_IDS[0]]
    assert agreed.tolist() == ["standards_and_norms", ("public_safety",), 5, 3]


# --------------------------------------------------------------------------
# 1. The tie message names the unit and the dimension, in English and in Chinese.


def two_coders_who_tie() -> dict[str, pq.Corpus]:
    documents = SMALL.documents.assign(DA=SMALL.documents["DA"].where(SMALL.documents.index != 0, 1))
    other = recoded(SMALL, scores={0: 1})
    return {"A": SMALL, "B": pq.Corpus(documents, other.all_units())}


def test_a_tie_names_the_unit_and_the_dimension():
    problems = problems_of(two_coders_who_tie())
    assert problems["problem"].tolist() == [
        "document 'N01', dimension 'DA' (Authority strength): the coders tie (A: 4, B: 1)",
        "unit 'N01-2-2', dimension 'AS' (Audience scope): the coders tie (A: 5, B: 1)",
    ]
    assert problems["expected"].tolist() == ["a decision: 5, 4, 3, 2, 1", "a decision: 5, 3, 1"]
    # No sheet: no file, row, column or value to name; the unit is not mislabelled as a value.
    assert problems[["file", "row", "column", "value"]].isna().all(axis=None)


def test_a_tie_in_chinese_and_at_its_blank_cell_of_the_sheet(tmp_path):
    coders = two_coders_who_tie()
    path = disagreements(coders, language="zh").save(tmp_path / "裁决表.xlsx", index=False)
    with pytest.raises(ValidationError) as caught:
        adjudicate(coders, path, language="zh")
    error = caught.value
    assert str(error).splitlines()[0] == "2 处编码员票数相同，需要裁决："
    problem = error.problems.iloc[1]
    assert (problem["file"], problem["row"], problem["column"]) == (str(path), 3, "裁决")
    assert problem["problem"] == "条款“N01-2-2”，编码维度“作用范围”（AS）：编码员票数相同（A：5，B：1）"
    assert problem["expected"] == "一项裁决：5、3、1"
    assert f"{path}，第3行，列“裁决”：条款“N01-2-2”" in str(error)
    # The caller's language is left as it was.
    assert str(problems_of(coders).iloc[0]["problem"]).startswith("document 'N01'")


def test_a_tie_between_none_and_an_instrument_shows_both():
    coders = {"A": SMALL, "B": recoded(SMALL, none=(0,))}
    problems = problems_of(coders)
    # Only the instrument ties: B coded none of the objectives and scores, so A's stand unopposed.
    assert problems["problem"].tolist() == [
        "unit 'N01-2-2', dimension 'instrument' (Policy instrument): the coders tie (A: Standards and Norms, B: none)"
    ]
    assert problems.loc[0, "expected"] == "a decision: an instrument of the framework, or none"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValidationError, match="klingon"):
        adjudicate({"A": SMALL, "B": SMALL}, language="klingon")


# --------------------------------------------------------------------------
# 2. The sheet shows the objectives and scores of a clause disputed between none and an instrument.


def test_the_sheet_shows_every_code_of_a_clause_one_coder_coded_none():
    coders = {"A": SMALL, "B": recoded(SMALL, none=(0,), memos=["无政策工具", *[None] * (len(UNIT_IDS) - 1)])}
    sheet = disagreements(coders).to_frame()
    rows = sheet[sheet["id"] == UNIT_IDS[0]].set_index("dimension")
    assert rows.index.tolist() == ["instrument", *OBJECTIVES, *SCORES]
    original = SMALL.units.loc[0]
    assert rows["A"].tolist() == [
        original["instrument"],
        *[key in original["objectives"] for key in CORPUS.framework.objective_keys],
        original["AS"],
        original["MI"],
    ]
    assert rows["B"].tolist() == ["none"] * 7
    # The none coder's memo is on every row: why the clause holds no instrument.
    assert rows["B memo"].tolist() == ["无政策工具"] * 7
    english = disagreements(coders, language="en").to_frame()
    assert english.loc[english["ID"] == UNIT_IDS[0], "B"].tolist() == ["none", *["not coded (none)"] * 6]
    chinese = disagreements(coders, language="zh").to_frame()
    assert chinese.loc[chinese["编号"] == UNIT_IDS[0], "B"].tolist() == ["无", *["未编码（无）"] * 6]
    assert chinese.loc[chinese["编号"] == UNIT_IDS[0], "A"].tolist()[-2:] == ["5（全部部门、领域或场景）", "5（措施详细、可操作性强）"]
    # Narrowed to a score, the clause's score row is still there.
    narrowed = disagreements(coders, dimensions=["AS"]).to_frame()
    assert narrowed[["id", "A", "B"]].to_numpy().tolist() == [[UNIT_IDS[0], 5, "none"]]


def test_clauses_every_coder_coded_alike_add_no_rows():
    both = recoded(SMALL, none=(0, 3))
    assert disagreements({"A": both, "B": both}).to_frame().empty
    # A coder who left a clause out is not a none.
    left_out = pq.Corpus(SMALL.documents, SMALL.units.drop(index=[0]))
    assert disagreements({"A": SMALL, "B": left_out}).to_frame().empty


@pytest.mark.parametrize(("language", "suffix"), [("zh", ".xlsx"), ("en", ".csv"), (None, ".csv"), ("zh", ".csv")])
@pytest.mark.parametrize("winner", ["A", "B"])
def test_the_labelled_sheet_reads_back_for_none_or_for_the_instrument(tmp_path, language, suffix, winner):
    # A codes clause 0 with an instrument and B none; B codes clause 3 with an instrument, A none.
    coders = {"A": recoded(SMALL, none=(3,)), "B": recoded(SMALL, none=(0,), scores={3: 1})}
    found = disagreements(coders, language=language)
    path = found.save(tmp_path / f"sheet{suffix}", index=False)
    sheet = (
        pd.read_excel(path, dtype=str, engine="calamine")
        if suffix == ".xlsx"
        else pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    )
    decision = {"zh": "裁决", "en": "Decision", None: "decision"}[language]
    sheet[decision] = sheet[winner]
    sheet.to_csv(tmp_path / "filled.csv", index=False, encoding="utf-8-sig")
    agreed = adjudicate(coders, tmp_path / "filled.csv")
    assert codes(agreed).equals(codes(coders[winner]))


# --------------------------------------------------------------------------
# 3. Memos: every coder's memo on every clause survives.


def test_every_coders_memo_on_every_clause_survives_and_is_written(tmp_path):
    n = len(UNIT_IDS)
    a = recoded(SMALL, none=(0, 1), memos=[f"A{i}" if i % 2 == 0 else None for i in range(n)])
    b = recoded(SMALL, none=(0, 2), memos=[f"B{i}\n第二行" for i in range(n)])
    coders = {"A": a, "B": b}
    sheet = disagreements(coders).to_frame()
    # Clause 1: A none, B an instrument, decided none; clause 2: decided B's instrument.
    sheet.loc[(sheet["id"] == UNIT_IDS[1]) & (sheet["dimension"] == "instrument"), "decision"] = "none"
    sheet.loc[(sheet["id"] == UNIT_IDS[2]) & (sheet["dimension"] == "instrument"), "decision"] = str(SMALL.units.loc[2, "instrument"])
    agreed = adjudicate(coders, sheet)
    assert set(agreed.not_coded["unit_id"]) == {UNIT_IDS[0], UNIT_IDS[1]}
    expected = pd.Series(
        [(f"A: A{i}\n\n" if i % 2 == 0 else "") + f"B: B{i}\n第二行" for i in range(n)], index=UNIT_IDS, dtype=object
    ).sort_index()
    assert memos(agreed).equals(expected)
    # Written and read back in every format, memos on clauses coded none included.
    for target in (tmp_path / "agreed", tmp_path / "agreed.xlsx", tmp_path / "agreed.json"):
        pq.write_coding(agreed, target)
        again = pq.read_coding(target)
        assert again == agreed, target
        assert memos(again).equals(expected), target


def test_a_coder_without_memos_adds_none():
    a = recoded(SMALL, none=(0,), memos=["why none", *[None] * (len(UNIT_IDS) - 1)])
    agreed = adjudicate({"A": a, "B": recoded(SMALL, none=(0,))})
    assert memos(agreed).dropna().to_dict() == {UNIT_IDS[0]: "A: why none"}


# --------------------------------------------------------------------------
# 4. Corpus.to_csv writes a folder, as documented; a file's name is refused.


def test_to_csv_writes_the_two_tables_and_the_manifest_into_a_folder(tmp_path):
    written = CORPUS.to_csv(tmp_path / "study")
    assert [p.name for p in written] == ["documents.csv", "units.csv"]
    assert sorted(p.name for p in (tmp_path / "study").iterdir()) == [
        "documents.csv",
        "policyquant-manifest.json",
        "units.csv",
    ]
    assert (tmp_path / "study" / "units.csv").read_bytes().startswith("\ufeff".encode())
    assert pq.read_coding(tmp_path / "study") == CORPUS


@pytest.mark.parametrize("name", ["agreed.csv", "agreed.CSV", "agreed.xlsx", "agreed.json", "agreed.tsv"])
def test_to_csv_refuses_a_file_name_and_writes_nothing(tmp_path, name):
    with pytest.raises(WriteError, match=r"to_csv writes a folder \(documents\.csv, units\.csv and policyquant-manifest\.json\)") as caught:
        CORPUS.to_csv(tmp_path / name)
    message = str(caught.value)
    assert f"not one {Path(name).suffix} file" in message
    assert repr(str(tmp_path / "agreed")) in message and "agreed.xlsx" in message and "agreed.json" in message
    assert caught.value.path == tmp_path / name
    assert list(tmp_path.iterdir()) == []


def test_to_csv_still_writes_into_a_folder_named_like_a_file_written_before(tmp_path):
    folder = tmp_path / "study.csv"
    folder.mkdir()
    assert [p.name for p in CORPUS.to_csv(folder)] == ["documents.csv", "units.csv"]
    assert pq.read_coding(folder) == CORPUS
    # A folder name with a dot that names no file type is a folder name.
    assert CORPUS.to_csv(tmp_path / "coding-v1.2")[0].parent.name == "coding-v1.2"


# --------------------------------------------------------------------------
# The real case: the law sample's two passes and the adjudicator's decisions.


@pytest.fixture(scope="module")
def passes() -> dict[str, pq.Corpus]:
    return {"pass1": pq.datasets.load_law_sample("pass1"), "pass2": pq.datasets.load_law_sample("pass2")}


@pytest.fixture(scope="module")
def committed() -> pd.DataFrame:
    return codes(pq.datasets.load_law_sample("adjudicated"))


def decided_none(decisions: pd.DataFrame) -> set[str]:
    return set(decisions.loc[(decisions["dimension"] == "instrument") & (decisions["decision"] == "none"), "id"])


def test_the_committed_decisions_still_give_the_committed_codes(passes, committed):
    assert codes(adjudicate(passes, DECISIONS)).equals(committed)


def test_the_law_sample_needs_no_decision_on_the_rows_a_none_makes_moot(passes, committed, tmp_path):
    decisions = pd.read_csv(DECISIONS, dtype=str, keep_default_na=False)
    moot = decisions["id"].isin(decided_none(decisions)) & (decisions["dimension"] != "instrument")
    # The adjudicator had to write False on 9 rows of clauses already decided none.
    assert moot.sum() == 9 and set(decisions.loc[moot, "decision"]) == {"False"}
    decisions[~moot].to_csv(tmp_path / "decisions.csv", index=False)
    assert codes(adjudicate(passes, tmp_path / "decisions.csv")).equals(committed)
    # Blank rather than left out: the same.
    decisions.loc[moot, "decision"] = ""
    decisions.to_csv(tmp_path / "decisions.csv", index=False)
    assert codes(adjudicate(passes, tmp_path / "decisions.csv")).equals(committed)


def test_an_objective_set_on_a_law_decided_none_is_named_by_its_row(passes, tmp_path):
    decisions = pd.read_csv(DECISIONS, dtype=str, keep_default_na=False)
    unit = "个人信息保护法(2021-08-20)-7-71"
    at = decisions.index[(decisions["id"] == unit) & (decisions["dimension"] == "objective:rights_protection")][0]
    decisions.loc[at, "decision"] = "True"
    path = tmp_path / "decisions.csv"
    decisions.to_csv(path, index=False)
    with pytest.raises(ValidationError, match=r"^1 decision\(s\) contradict") as caught:
        adjudicate(passes, path)
    problem = caught.value.problems.iloc[0]
    assert (problem["file"], problem["row"], problem["column"], problem["value"]) == (str(path), at + 2, "decision", "True")
    assert problem["problem"].startswith(f"unit {unit!r}, dimension 'objective:rights_protection' (Objective: ")


def test_the_law_sample_sheet_shows_the_scores_of_every_article_disputed_with_none(passes):
    sheet = disagreements(passes).to_frame()
    instrument = sheet[sheet["dimension"] == "instrument"]
    disputed = instrument.loc[(instrument["pass1"] == "none") | (instrument["pass2"] == "none"), "id"]
    assert len(disputed) == 8
    for unit in disputed:
        rows = sheet[sheet["id"] == unit].set_index("dimension")
        assert rows.index.tolist() == ["instrument", *OBJECTIVES, *SCORES], unit
        none_coder = "pass1" if rows.loc["instrument", "pass1"] == "none" else "pass2"
        other = "pass2" if none_coder == "pass1" else "pass1"
        assert (rows[none_coder] == "none").all()
        assert rows.loc[list(SCORES), other].isin([1, 3, 5]).all()
        # Both coders' memos: the none coder's says why there is no instrument.
        assert rows[f"{none_coder} memo"].notna().all()


def test_the_law_sample_keeps_every_coders_memo_on_every_article(passes, tmp_path):
    agreed = adjudicate(passes, DECISIONS)
    one, two = (memos(corpus) for corpus in passes.values())
    expected = "pass1: " + one + "\n\npass2: " + two.reindex(one.index)
    assert len(expected) == 513 and expected.notna().all()
    assert memos(agreed).equals(expected.astype(object))
    agreed.to_csv(tmp_path / "agreed")
    assert memos(pq.read_coding(tmp_path / "agreed")).equals(expected.astype(object))


def test_the_agreement_statistics_are_unchanged_by_adjudication_rules(passes):
    # agreement_report still reads a none clause as serving no objective, as documented.
    report = agreement_report(passes).to_frame()
    assert (report.loc[OBJECTIVES, "units"] == 513).all()


# --------------------------------------------------------------------------
# Properties, for any pattern of clauses coded none.

NONE_POSITIONS = st.sets(st.integers(0, len(UNIT_IDS) - 1), max_size=6)
MEMO = st.one_of(st.none(), st.text(alphabet=st.sampled_from("ab 条款\n"), min_size=1, max_size=6).filter(str.strip))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(none=NONE_POSITIONS, notes=st.lists(MEMO, min_size=len(UNIT_IDS), max_size=len(UNIT_IDS)))
def test_adjudicating_a_coding_with_itself_gives_it_back_with_every_memo(none, notes):
    coding = recoded(SMALL, none=tuple(sorted(none)), memos=notes)
    agreed = adjudicate({"A": coding, "B": coding})
    assert codes(agreed).equals(codes(coding))
    assert set(agreed.not_coded["unit_id"]) == {UNIT_IDS[i] for i in none}
    own = memos(coding)
    assert memos(agreed).equals(("A: " + own + "\n\nB: " + own).astype(object).where(own.notna(), None))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    none_a=NONE_POSITIONS,
    none_b=NONE_POSITIONS,
    scores=st.dictionaries(st.integers(0, len(UNIT_IDS) - 1), st.sampled_from([1, 3, 5]), max_size=3),
    language=st.sampled_from([None, "en", "zh"]),
)
def test_deciding_every_row_for_one_coder_gives_that_coders_codes(none_a, none_b, scores, language):
    coders = {"A": recoded(SMALL, none=tuple(sorted(none_a))), "B": recoded(SMALL, none=tuple(sorted(none_b)), scores=scores)}
    sheet = disagreements(coders, language=language).to_frame()
    decision = sheet.columns[-1]
    for winner in ("A", "B"):
        sheet[decision] = sheet[winner]
        assert codes(adjudicate(coders, sheet)).equals(codes(coders[winner]))
    # Every row of a clause disputed between none and an instrument is on the sheet.
    disputed = {UNIT_IDS[i] for i in none_a ^ none_b}
    ids = sheet.iloc[:, 0]
    assert all((ids == unit).sum() == 1 + len(OBJECTIVES) + len(SCORES) for unit in disputed)


def test_the_moot_tie_the_adjudicator_reported_is_gone(passes):
    # Without decisions, no objective or score of a clause disputed with none is a tie.
    problems = problems_of(passes)
    named = problems["problem"].str.extract(r"^unit '([^']+)', dimension '([^']+)'")
    unit = "个人信息保护法(2021-08-20)-7-71"
    assert named.loc[named[0] == unit, 1].tolist() == ["instrument"]
    assert not any(re.search(r"value '", text) for text in problems["problem"])
