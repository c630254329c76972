"""The dictionary coder (issue 16, item 3) and machine codes in the workflow (item 6)."""

from __future__ import annotations

import re
import string

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.coders import Dictionary, MachineCorpus, Suggestions, common_dimensions, get_coder
from policyquant.errors import InputTypeError, ReadError, ValidationError
from policyquant.io.template import write_coding_template
from policyquant.reliability import adjudicate, agreement_report, disagreements

WANG = pq.get_framework("wang2026")

SMALL = """
[dictionary]
framework = "wang2026"
title = "small"

[instrument.standards_and_norms]
terms = ["标准", "standard*", "shall not"]
regex = ["(制定|完善).{0,6}规则"]

[instrument.fiscal_and_tax_incentives]
terms = ["财政补贴", "tax", "re:subsid(y|ies)"]

[instrument.information_support]
terms = ["发布*信息"]

[objectives.rights_protection]
terms = ["个人信息", "privacy"]

[objectives.tech_innovation]
terms = ["算法"]
"""


def units(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"unit_id": [f"N01-1-{i}" for i in range(1, len(texts) + 1)], "text": list(texts)})


@pytest.fixture(scope="module")
def small() -> Dictionary:
    return Dictionary.load(SMALL)


@pytest.fixture(scope="module")
def corpus() -> pq.Corpus:
    return pq.datasets.load_genai_china()


def codes(found: Suggestions, field: str = "instrument") -> dict[str, list[str]]:
    frame = found.frame[found.frame["field"] == field]
    return {u: g["code"].tolist() for u, g in frame.groupby("unit_id", sort=False)}


# Matching rules ------------------------------------------------------------------------


def test_chinese_terms_match_inside_words_and_english_only_whole_words(small):
    found = small.suggest(units("制定技术标准。", "A taxonomy of systems.", "Tax relief for firms.", "Standards apply."))
    assert codes(found) == {
        "N01-1-1": ["standards_and_norms"],
        "N01-1-3": ["fiscal_and_tax_incentives"],
        "N01-1-4": ["standards_and_norms"],
    }
    # "tax" is not inside "taxonomy": reported as no suggestion, not coded.
    assert found.problems.loc[found.problems["field"] == "instrument", "unit_id"].tolist() == ["N01-1-2"]


def test_english_terms_match_beside_chinese_characters_and_any_case(small):
    found = small.suggest(units("对企业给予TAX优惠", "PRIVACY 保护"))
    assert codes(found) == {"N01-1-1": ["fiscal_and_tax_incentives"]}
    assert codes(found, "objectives") == {"N01-1-2": ["rights_protection"]}


def test_globs_and_regular_expressions(small):
    found = small.suggest(
        units("发布相关信息。", "发布。其他信息", "完善平台规则", "Government subsidies", "Firms shall  not", "Firms shall not")
    )
    assert codes(found) == {
        "N01-1-1": ["information_support"],  # 发布*信息 spans 相关
        "N01-1-3": ["standards_and_norms"],  # regex
        "N01-1-4": ["fiscal_and_tax_incentives"],  # re: term
        "N01-1-6": ["standards_and_norms"],  # a phrase, exactly
    }
    evidence = found.frame.set_index("unit_id")["evidence"]
    assert evidence["N01-1-3"] == "re:(制定|完善).{0,6}规则"
    assert evidence["N01-1-4"] == "re:subsid(y|ies)"


def test_evidence_lists_every_matched_term_and_score_is_the_share(small):
    found = small.suggest(units("制定标准，给予财政补贴和tax减免，保护个人信息和算法"))
    frame = found.frame.set_index(["field", "code"])
    assert frame.loc[("instrument", "fiscal_and_tax_incentives"), "evidence"] == "财政补贴; tax"
    assert frame.loc[("instrument", "fiscal_and_tax_incentives"), "score"] == pytest.approx(2 / 3)
    assert frame.loc[("instrument", "standards_and_norms"), "score"] == pytest.approx(1 / 3)
    assert frame.loc[("instrument", "fiscal_and_tax_incentives"), "rank"] == 1
    # Every matched objective is chosen: a clause serves several.
    assert frame.loc["objectives", "chosen"].tolist() == [True, True]
    assert found.best().loc[0, "objectives"] == ("rights_protection", "tech_innovation")


def test_top_limits_the_instruments(small):
    found = small.suggest(units("制定标准，给予财政补贴，发布相关信息"), top=1)
    assert len(found.frame[found.frame["field"] == "instrument"]) == 1
    with pytest.raises(ValidationError, match="top must be a whole number"):
        small.suggest(units("标准"), top=0)


def test_labels_and_aliases_name_entries():
    dictionary = Dictionary({"instrument": {"标准规范": ["标准"], "Pilot projects": ["试点"]}})
    assert [e.key for e in dictionary.entries] == ["standards_and_norms", "pilots_and_demonstrations"]


def test_missing_text_is_reported_not_coded(small):
    found = small.suggest(pd.DataFrame({"unit_id": ["a", "b"], "text": ["标准", None]}))
    problems = found.problems[found.problems["unit_id"] == "b"]
    assert set(problems["problem"]) == {"no text"}
    assert "b" not in set(found.frame["unit_id"])


# The starter dictionary and the hook ----------------------------------------------------


def test_starter_dictionary_of_wang2026_covers_every_instrument_and_objective():
    starter = Dictionary.starter("genai-china")
    assert {e.key for e in starter.entries if e.field == "instrument"} == set(WANG.instrument_keys)
    assert {e.key for e in starter.entries if e.field == "objectives"} == set(WANG.objective_keys)
    assert starter.source == "wang2026_dictionary.toml"
    assert get_coder("dictionary").entries == starter.entries


def test_no_starter_dictionary_for_another_framework():
    with pytest.raises(ValidationError, match="no plugin ships a dictionary for framework 'peng2008'"):
        Dictionary.starter("peng2008")


def test_a_framework_plugin_ships_a_dictionary_through_the_hook(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('[instrument.regulation]\nterms = ["license*"]\n', encoding="utf-8")
    framework = pq.Framework(
        "dictionary-test-fw",
        "Mine",
        families=[pq.InstrumentFamily("all", "All")],
        instruments=[pq.Instrument("regulation", "Regulation", family="all"), pq.Instrument("aid", "Aid", family="all")],
    )

    class Plugin:
        @pq.hookimpl
        def policyquant_register_frameworks(self, register):
            register(framework)

        @pq.hookimpl
        def policyquant_register_dictionaries(self, register):
            register("dictionary-test-fw", path)

    name = pq.plugins.register_plugin(Plugin(), name="dictionary-test-plugin")
    try:
        coder = get_coder("dictionary", framework="dictionary-test-fw")
        assert coder.fields == ("instrument",)
        found = coder.suggest(units("Licenses are required.", "Grants."))
        assert codes(found) == {"N01-1-1": ["regulation"]}
    finally:
        pq.plugins.unregister_plugin(name)


# Bad dictionaries -----------------------------------------------------------------------


def test_unknown_key_names_the_entry_and_the_closest_key():
    text = '[instrument.standards_and_norm]\nterms = ["标准"]\n'
    with pytest.raises(ValidationError) as info:
        Dictionary.load(text)
    message = str(info.value)
    assert "[instrument.standards_and_norm] (line 1)" in message
    assert "closest key: 'standards_and_norms'" in message


def test_unknown_objective_names_the_entry(tmp_path):
    path = tmp_path / "d.toml"
    path.write_text('[objectives.public_safty]\nterms = ["安全"]\n', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"d\.toml: entry \[objectives\.public_safty\].*closest key: 'public_safety'"):
        Dictionary.from_toml(path)


def test_invalid_regular_expression_names_the_entry_and_the_position():
    text = '[instrument.standards_and_norms]\nterms = ["标准"]\nregex = ["制定(标准"]\n'
    with pytest.raises(ValidationError) as info:
        Dictionary.load(text)
    message = str(info.value)
    assert "entry [instrument.standards_and_norms] (line 3), term 2" in message
    assert "invalid regular expression '制定(标准'" in message
    assert "at position 2" in message


def test_re_prefix_invalid_and_empty_matching_expressions():
    with pytest.raises(ValidationError, match=r"term 1: invalid regular expression '\[abc'.*position 0"):
        Dictionary({"instrument": {"infrastructure": ["re:[abc"]}})
    with pytest.raises(ValidationError, match="matches empty text"):
        Dictionary({"instrument": {"infrastructure": ["re:x*"]}})


@pytest.mark.parametrize(
    ("text", "error", "pattern"),
    [
        ('[instrumnet.infrastructure]\nterms = ["算力"]\n', ValidationError, r"unknown table \[instrumnet\].*did you mean \[instrument\.\*\]"),
        ('[instrument.infrastructure]\nterms = []\n', ValidationError, "no terms"),
        ('[instrument.infrastructure]\nterms = ["", "x"]\n', ValidationError, "term 1: expected non-empty text"),
        ('[instrument.infrastructure]\nterms = [3]\n', ValidationError, "term 1: expected non-empty text, got 3"),
        ('[instrument.infrastructure]\nterm = ["算力"]\n', ValidationError, "unknown setting 'term'.*did you mean 'terms'"),
        ('[instrument.infrastructure]\nterms = ["算力"\n', ReadError, "not valid TOML"),
        ('[instrument.infrastructure]\nterms=["a"]\n[instrument."基础设施"]\nterms=["b"]\n', ValidationError, "two entries"),
    ],
)
def test_bad_dictionaries(text, error, pattern):
    with pytest.raises(error, match=pattern):
        Dictionary.load(text)


def test_unreadable_files(tmp_path):
    with pytest.raises(ReadError, match="no such dictionary file"):
        Dictionary.from_toml(tmp_path / "missing.toml")
    path = tmp_path / "latin1.toml"
    path.write_bytes('[instrument.infrastructure]\nterms = ["café"]\n'.encode("latin-1"))
    with pytest.raises(ReadError, match="not UTF-8"):
        Dictionary.from_toml(path)


def test_bad_units(small):
    with pytest.raises(ValidationError, match="no 'text' column; did you mean 'txt'"):
        small.suggest(pd.DataFrame({"unit_id": ["a"], "txt": ["标准"]}))
    with pytest.raises(ValidationError, match="unit_id 'a' appears more than once, at rows 0, 1"):
        small.suggest(pd.DataFrame({"unit_id": ["a", "a"], "text": ["标准", "标准"]}))
    with pytest.raises(ValidationError, match="have no unit_id"):
        small.suggest(pd.DataFrame({"unit_id": [None], "text": ["标准"]}))
    with pytest.raises(InputTypeError, match="got list"):
        small.suggest(["标准"])


def test_a_dictionary_for_another_framework_is_refused():
    other = Dictionary({"instrument": {"infrastructure": ["算力"]}})
    with pytest.raises(ValidationError, match="for framework 'wang2026', not 'peng2008'"):
        get_coder("dictionary", framework="peng2008", dictionary=other)


# Machine codes in the workflow (item 6) --------------------------------------------------


def test_code_returns_a_corpus_attributed_to_the_coder(corpus):
    machine = get_coder("dictionary").code(corpus)
    assert isinstance(machine, MachineCorpus) and isinstance(machine, pq.Corpus)
    assert machine.coder == "dictionary"
    assert set(machine.units["coder"]) == {"dictionary"}
    # Every unit is either coded or reported, never both, never lost.
    coded = set(machine.units["unit_id"]) | set(machine.not_coded["unit_id"])
    uncoded = set(machine.uncoded["unit_id"])
    assert not coded & uncoded
    assert coded | uncoded == set(corpus.all_units()["unit_id"])
    assert len(uncoded) > 0
    assert set(machine.uncoded["problem"]) == {"no suggestion"}
    # The machine has no document scores of its own: the human's DA is not copied.
    assert "DA" not in machine.documents.columns
    assert machine.documents["title"].notna().all()


def test_machine_is_one_more_coder_in_agreement_disagreements_and_adjudication(corpus):
    units = corpus.all_units()
    # Coder B: the human codes with every 7th clause's instrument changed.
    changed = units.copy()
    rows = np.arange(len(changed)) % 7 == 0
    changed["instrument"] = changed["instrument"].astype(object)
    changed.loc[rows & (changed["instrument"] != "none"), "instrument"] = "infrastructure"
    changed["objectives"] = changed["objectives"].map("; ".join)
    b = pq.Corpus(corpus.documents.assign(issuers=corpus.documents["issuers"].map("; ".join)), changed)
    machine = get_coder("dictionary").code(corpus)

    coders = common_dimensions({"A": corpus, "B": b, "machine": machine})
    assert "AS" not in coders["A"].units.columns and "AS" not in coders["B"].units.columns
    report = agreement_report(coders)
    assert "instrument" in report.table.index
    assert report.table.loc["instrument", "coders"] == 3
    assert not any(d in report.table.index for d in ("AS", "MI", "DA"))
    found = disagreements(coders)
    assert "machine" in found.coders
    # Three coders can tie three ways: the majority settles the rest, the adjudicator these.
    with pytest.raises(ValidationError, match="tie"):
        adjudicate(coders)
    sheet = found.frame.copy()
    sheet["decision"] = sheet["A"]
    agreed = adjudicate(coders, sheet)
    assert len(agreed.all_units()) == len(units)
    # The machine is one vote: with A it outvotes B, as a human would.
    human = corpus.units.set_index("unit_id")["instrument"].astype(str)
    assert (agreed.units.set_index("unit_id")["instrument"].astype(str) == human.reindex(agreed.units["unit_id"]).to_numpy()).all()


def test_common_dimensions_leaves_corpora_with_the_same_dimensions_alone(corpus):
    both = common_dimensions({"A": corpus, "B": corpus})
    assert both["A"] is corpus and both["B"] is corpus


# The coding template with suggestions (item 6) -------------------------------------------


@pytest.fixture(scope="module")
def sample_units(corpus):
    return corpus.all_units()[["unit_id", "doc_id", "text"]].head(40).reset_index(drop=True)


def test_template_shows_suggestions_beside_the_code_columns(tmp_path, sample_units):
    found = Dictionary.starter().suggest(sample_units)
    path = write_coding_template("wang2026", tmp_path / "t.xlsx", units=sample_units, suggestions=found, language="zh")
    sheet = openpyxl.load_workbook(path)["条款"]
    header = [c.value for c in sheet[1]]
    assert header == ["条款编号", "文件编号", "条款内容", "政策工具", "政策目标", "作用范围", "措施力度", "备注",
                      "suggested", "suggested_confidence", "suggested_evidence"]
    row = [c.value for c in sheet[2]]
    assert row[0] == "N01-2-2"
    assert row[3:8] == [None] * 5  # the coding cells stay empty
    # 到2020年，各地区各部门应依据统一的人工智能安全技术规范，对涉及国家安全和社会稳定的……
    assert row[2].startswith("到2020年，各地区各部门应依据统一的人工智能安全技术规范")
    # Three instruments tie on one term each (规范, 到*年, 准入): the first in framework order, at a third.
    assert row[8] == "标准规范 | 公共安全与利益; 技术安全与创新"
    assert row[9] == pytest.approx(1 / 3, abs=5e-4)
    assert row[10] == "规范 | 国家安全; 社会稳定 | 技术"


def test_suggestions_are_never_read_as_codes(tmp_path, sample_units):
    found = Dictionary.starter().suggest(sample_units)
    path = write_coding_template("wang2026", tmp_path / "t.xlsx", units=sample_units, suggestions=found)
    # Left as written, every coding cell is empty: read_coding reports each, it takes no suggestion.
    with pytest.raises(ValidationError) as info:
        pq.read_coding(path, framework="wang2026")
    problems = info.value.problems
    blank_instruments = problems[(problems["column"] == "instrument")]
    assert len(blank_instruments) == len(sample_units)
    # A coder who types codes is read, and the suggestion stays a text column beside them.
    book = openpyxl.load_workbook(path)
    documents, sheet = book["documents"], book["units"]
    for number, doc_id in enumerate(sorted(set(sample_units["doc_id"])), start=2):
        documents.cell(row=number, column=1, value=doc_id)
        documents.cell(row=number, column=4, value="national")
        documents.cell(row=number, column=8, value=3)
    for row in range(2, len(sample_units) + 2):
        sheet.cell(row=row, column=4, value="Infrastructure")
        sheet.cell(row=row, column=5, value="Public safety")
        sheet.cell(row=row, column=6, value=3)
        sheet.cell(row=row, column=7, value=3)
    book.save(path)
    read = pq.read_coding(path, framework="wang2026")
    assert set(read.units["instrument"]) == {"infrastructure"}
    assert read.units.loc[0, "suggested"] == (
        "Standards and Norms | Public Safety and Interests; Technological Security and Innovation"
    )


def test_template_orders_units_least_confident_first(tmp_path, sample_units):
    found = Dictionary.starter().suggest(sample_units)
    path = write_coding_template(
        "wang2026", tmp_path / "t.xlsx", units=sample_units, suggestions=found, order="least-confident"
    )
    sheet = openpyxl.load_workbook(path)["units"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2, max_row=len(sample_units) + 1)]
    ids = [r[0] for r in rows]
    assert sorted(ids) == sorted(sample_units["unit_id"])
    confidence = [(-1.0 if r[9] is None else r[9]) for r in rows]
    assert confidence == sorted(confidence)
    best = found.best().set_index("unit_id")
    unsure = best.index[best["instrument_score"].isna()]
    assert set(ids[: len(unsure)]) == set(unsure)


def test_template_suggestions_bad_input(tmp_path, sample_units):
    found = Dictionary.starter().suggest(sample_units)
    with pytest.raises(ValidationError, match="suggestions= needs units="):
        write_coding_template("wang2026", tmp_path / "a.xlsx", suggestions=found)
    with pytest.raises(ValidationError, match="order='least-confident' needs suggestions="):
        write_coding_template("wang2026", tmp_path / "a.xlsx", units=sample_units, order="least-confident")
    with pytest.raises(ValidationError, match="did you mean 'least-confident'"):
        write_coding_template("wang2026", tmp_path / "a.xlsx", units=sample_units, suggestions=found, order="least_confident")
    with pytest.raises(ValidationError, match="must be a coder's Suggestions"):
        write_coding_template("wang2026", tmp_path / "a.xlsx", units=sample_units, suggestions=found.frame)
    with pytest.raises(ValidationError, match="suggestions for 20 unit"):
        write_coding_template("wang2026", tmp_path / "a.xlsx", units=sample_units.head(20), suggestions=found)
    assert not (tmp_path / "a.xlsx").exists()


# Properties ---------------------------------------------------------------------------

LATIN = st.text(alphabet=string.ascii_letters, min_size=1, max_size=8)
HANZI = st.text(alphabet="政策标准数据算法安全监管试点人才服务", min_size=1, max_size=5)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(term=st.one_of(LATIN, HANZI), before=st.text(max_size=10), after=st.text(max_size=10))
def test_a_term_always_matches_a_text_containing_it(term, before, after):
    dictionary = Dictionary({"instrument": {"infrastructure": [term]}})
    latin = re.fullmatch(r"[A-Za-z]+", term) is not None
    # A Latin term is a word: separated from the text around it; a Chinese one matches anywhere.
    text = f"{before} {term} {after}" if latin else f"{before}{term}{after}"
    found = dictionary.suggest(units(text))
    assert codes(found) == {"N01-1-1": ["infrastructure"]}
    assert found.frame.loc[0, "evidence"] == term


CLAUSES = st.lists(
    st.sampled_from(
        ["制定标准", "财政补贴", "发布相关信息", "保护个人信息", "算法安全", "tax relief", "Standards apply", "其他", ""]
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=40, deadline=None)
@given(texts=CLAUSES, seed=st.integers(0, 2**16))
def test_suggestions_do_not_depend_on_unit_order(texts, seed):
    dictionary = Dictionary.load(SMALL)
    frame = units(*texts)
    shuffled = frame.sample(frac=1, random_state=seed).reset_index(drop=True)
    one = dictionary.suggest(frame).frame.sort_values(["unit_id", "field", "rank"]).reset_index(drop=True)
    two = dictionary.suggest(shuffled).frame.sort_values(["unit_id", "field", "rank"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(one, two)
    # And the result follows the order the units were given in.
    assert list(pd.unique(dictionary.suggest(shuffled).frame["unit_id"])) == [
        u for u in shuffled["unit_id"] if u in set(one["unit_id"])
    ]


@settings(max_examples=30, deadline=None)
@given(texts=CLAUSES)
def test_code_never_produces_a_code_outside_the_framework(texts):
    machine = Dictionary.load(SMALL).code(units(*texts))
    assert set(machine.units["instrument"].astype(str)) <= set(WANG.instrument_keys)
    assert {o for t in machine.units["objectives"] for o in t} <= set(WANG.objective_keys)
    assert set(machine.units["unit_id"]) | set(machine.uncoded["unit_id"]) == set(units(*texts)["unit_id"])


def test_a_coder_suggesting_a_code_outside_the_framework_is_refused():
    rows = pd.DataFrame({"unit_id": ["u1"], "field": ["instrument"], "code": ["standards_and_norm"], "score": [1.0]})
    with pytest.raises(ValidationError, match=r"coder 'x' suggested 'standards_and_norm'.*closest: standards_and_norms"):
        Suggestions.build(rows, coder="x", framework="wang2026", unit_ids=["u1"])


MIXED = st.lists(
    st.text(alphabet="标准规范发布相关信息。 ，taxTAXonomyStandardsR&Dpilot-AI使用\n\u3000", max_size=20), min_size=1, max_size=8
)


@settings(max_examples=40, deadline=None)
@given(texts=MIXED)
def test_compiled_matching_agrees_with_pythons_re(texts):
    # Literal and glob terms run on pyarrow's RE2 when it is there: the same matches as Python's re.
    import policyquant.coders.dictionary as module

    dictionary = Dictionary(
        {"instrument": {"standards_and_norms": ["标准", "standard*", "R&D", "发布*信息"], "fiscal_and_tax_incentives": ["tax", "ai"]}}
    )
    frame = units(*texts)
    compiled = dictionary.suggest(frame).frame
    original = module._arrow_compute
    module._arrow_compute = lambda: None
    try:
        python = dictionary.suggest(frame).frame
    finally:
        module._arrow_compute = original
    pd.testing.assert_frame_equal(compiled, python)
