"""Defects of the dictionary and supervised coders found by break-testing (common 23).

Each test failed before its fix: regular expressions joined into one alternation per entry
(back-references pointing at another term's group, global inline flags mid-pattern, a group
name defined twice), ``terms = "标准"`` split into characters, a dictionary saved with a
byte-order mark refused, a term written twice counted twice, terms matching every clause
accepted, and ``evaluate(cv)`` crashing with scikit-learn's error on small corpora.
"""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.coders import Dictionary
from policyquant.errors import ReadError, ValidationError


def units(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"unit_id": [f"u{i}" for i in range(1, len(texts) + 1)], "text": list(texts)})


def one_entry(*terms: str) -> Dictionary:
    return Dictionary({"instrument": {"infrastructure": list(terms)}})


def evidence(dictionary: Dictionary, frame: pd.DataFrame) -> dict[str, str]:
    found = dictionary.suggest(frame).frame
    return dict(zip(found["unit_id"], found["evidence"], strict=True))


# 1. Each regular expression is matched on its own ---------------------------------------


def test_a_back_reference_matches_whatever_its_position_in_the_entry():
    frame = units("xx aa yy", "zz bb zz", "ab")
    two = Dictionary.load('[instrument.infrastructure]\nregex = ["(a)\\\\1", "(b)\\\\1"]\n')
    assert evidence(two, frame) == {"u1": r"re:(a)\1", "u2": r"re:(b)\1"}
    # With a literal term before them, and written re: in terms.
    mixed = one_entry("标准", r"re:(a)\1", r"re:(b)\1")
    assert evidence(mixed, units("标准 bb", "zz bb zz", "ab")) == {"u1": r"标准; re:(b)\1", "u2": r"re:(b)\1"}


@pytest.mark.parametrize(
    ("toml", "texts", "expected"),
    [
        ('terms = ["re:(?i)ai"]', ("使用AI技术", "x"), {"u1": "re:(?i)ai"}),
        ('regex = ["(?x) a i"]', ("said", "a i"), {"u1": "re:(?x) a i"}),
        ('regex = ["(?x) a i", "标准"]', ("标准", "ai", "a i"), {"u1": "re:标准", "u2": "re:(?x) a i"}),
        (
            'regex = ["(?P<w>a)(?P=w)", "(?P<w>b)(?P=w)"]',
            ("aa", "bb", "ab"),
            {"u1": "re:(?P<w>a)(?P=w)", "u2": "re:(?P<w>b)(?P=w)"},
        ),
        ('regex = ["x", "(?s)a.b"]', ("a\nb", "x"), {"u1": "re:(?s)a.b", "u2": "re:x"}),
    ],
)
def test_inline_flags_and_reused_group_names_are_valid_terms(toml, texts, expected):
    dictionary = Dictionary.load(f"[instrument.infrastructure]\n{toml}\n")
    assert evidence(dictionary, units(*texts)) == expected


def test_the_entry_pattern_is_the_alternation_only_when_it_matches_as_the_terms_do():
    plain = one_entry("标准", "standard*", "re:制定.{0,4}规则")
    assert plain.entries[0].pattern is not None
    assert plain.entries[0].pattern.search("制定安全规则") is not None
    assert one_entry(r"re:(a)\1").entries[0].pattern is None
    assert one_entry("re:(?x) a i").entries[0].pattern is None


def test_the_cli_suggests_with_a_dictionary_of_inline_flags(tmp_path):
    path = tmp_path / "flags.toml"
    path.write_text('[instrument.infrastructure]\nterms = ["re:(?i)ai"]\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    done = subprocess.run(
        [sys.executable, "-m", "policyquant", "suggest", "--example", "--coder", "dictionary",
         "--dictionary", str(path), "-o", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "internal error" not in done.stderr
    assert out.exists()


#: Valid terms of every kind, no two equal after the matcher's normalisation, none matching empty text.
TERMS = [
    "标准", "规范", "发布*信息", "tax", "standard*", "R&D", "ai",
    r"re:(a)\1", r"re:(b)\1", "re:(?i)TAX", "re:(?x) s t", "re:(?P<w>x)(?P=w)", "re:(?P<w>y)(?P=w)",
    "re:标.", "re:(?s)a.b", r"re:\d+年", "re:(?m)^z",
]  # fmt: skip
TEXTS = st.lists(st.text(alphabet="abxyzstTAX标准规范发布相关信息R&D1年 \n。", max_size=14), min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(terms=st.lists(st.sampled_from(TERMS), min_size=1, max_size=6, unique=True), texts=TEXTS)
def test_an_entry_hits_exactly_the_units_one_of_its_terms_matches_alone(terms, texts):
    frame = units(*texts)
    together = evidence(one_entry(*terms), frame)
    alone = {term: set(evidence(one_entry(term), frame)) for term in terms}
    expected = {}
    for unit in frame["unit_id"]:
        matching = [term for term in terms if unit in alone[term]]
        if matching:
            expected[unit] = "; ".join(matching)
    assert together == expected


# 2. terms and regex are lists ----------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('terms = "标准"', r"entry \[instrument.infrastructure\] \(line 2\): terms must be a list such as "
                          r"terms = \[\"标准\"\], got '标准'"),
        ('regex = "ab"', r"entry \[instrument.infrastructure\] \(line 2\): regex must be a list such as "
                         r"regex = \[\"ab\"\], got 'ab'"),
        ("terms = 3", r"terms must be a list such as terms = \[\"标准\"\], got 3"),
        ("terms = {a = 1}", r"terms must be a list .*got \{'a': 1\}"),
    ],
)  # fmt: skip
def test_terms_and_regex_must_be_lists_not_split_into_characters(toml, message):
    with pytest.raises(ValidationError, match=message):
        Dictionary.load(f"[instrument.infrastructure]\n{toml}\n")


def test_the_line_named_is_the_entrys_own():
    text = '[instrument.infrastructure]\nterms = ["算力"]\n[instrument.pilots_and_demonstrations]\nterms = "试点"\n'
    with pytest.raises(ValidationError, match=r"\[instrument.pilots_and_demonstrations\] \(line 4\): terms must"):
        Dictionary.load(text)
    # A Python mapping too: a string is not a list of terms.
    with pytest.raises(ValidationError, match="terms must be a list"):
        Dictionary({"instrument": {"infrastructure": {"terms": "标准"}}})
    assert Dictionary({"instrument": {"infrastructure": {"terms": ("标准",), "regex": ("a+b",)}}}).entries[0].terms == (
        "标准",
        "re:a+b",
    )


# 3. A byte-order mark --------------------------------------------------------------------


def test_a_dictionary_saved_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + '[instrument.infrastructure]\nterms = ["标准"]\n'.encode())
    dictionary = Dictionary.from_toml(path)
    assert evidence(dictionary, units("制定标准")) == {"u1": "标准"}
    # Read as text with encoding="utf-8", the mark stays in the text: also accepted.
    assert Dictionary.load(path.read_text(encoding="utf-8")).entries == dictionary.entries
    # Still refused: text that is not UTF-8.
    path.write_bytes('[instrument.infrastructure]\nterms = ["café"]\n'.encode("utf-16"))
    with pytest.raises(ReadError, match="not UTF-8"):
        Dictionary.from_toml(path)


# 4. A term written twice -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("terms", "number", "repeated"),
    [
        (["标准", "标准"], 2, "'标准' repeats term 1 \\('标准'\\)"),
        (["Tax", "re:x+", "tax "], 3, "'tax ' repeats term 1 \\('Tax'\\)"),
        (["standard*", "STANDARD*"], 2, "'STANDARD\\*' repeats term 1"),
        (["re:(a)\\1", "re:(a)\\1"], 2, ".* repeats term 1"),
    ],
)
def test_a_term_written_twice_in_an_entry_is_refused(terms, number, repeated):
    with pytest.raises(ValidationError, match=rf"entry \[instrument.infrastructure\], term {number}: {repeated}.*count twice"):
        one_entry(*terms)


def test_a_regex_given_twice_as_re_term_and_regex_item_is_refused_with_its_line():
    text = '[instrument.infrastructure]\nterms = ["re:a+b"]\nregex = ["a+b"]\n'
    with pytest.raises(ValidationError, match=r"\[instrument.infrastructure\] \(line 1\), term 2: 're:a\+b' repeats term 1"):
        Dictionary.load(text)


def test_different_terms_and_the_same_term_in_two_entries_are_kept():
    # Not the same term: a regular expression is not a literal, and case matters inside an expression.
    kept = one_entry("tax", "re:tax", r"re:\w", r"re:\W")
    assert len(kept.entries[0].terms) == 4
    # An ambiguous term in two entries is the user's choice: it scores both.
    shared = Dictionary({"instrument": {"infrastructure": ["标准"], "standards_and_norms": ["标准"]}})
    assert shared.suggest(units("标准")).frame["score"].tolist() == [0.5, 0.5]


# 5. Terms that match every clause -----------------------------------------------------


@pytest.mark.parametrize("term", ["*", "**", " * * ", "***"])
def test_a_glob_of_only_stars_is_refused(term):
    with pytest.raises(ValidationError, match=r"entry \[instrument.infrastructure\], term 2: the term .* made only of '\*'"):
        one_entry("标准", term)


@pytest.mark.parametrize("expression", [r"\b", "(?=.)", r"\B", "a?", "(?<=a)", "x*", "^", "$", "(?!q)"])
def test_an_expression_matching_no_characters_is_refused(expression):
    with pytest.raises(ValidationError, match=r"entry \[instrument.infrastructure\].*term 1: the regular expression .* matches empty text"):
        Dictionary({"instrument": {"infrastructure": {"regex": [expression]}}})


@pytest.mark.parametrize("expression", [r"\bAI\b", "(?=标准)标准", "a+", r"\d+年", "^第", "标准$", "(制定|完善).{0,8}规则"])
def test_expressions_that_match_characters_are_kept(expression):
    assert Dictionary({"instrument": {"infrastructure": {"regex": [expression]}}}).entries[0].terms == (f"re:{expression}",)


def test_the_starter_dictionary_passes_the_new_checks():
    starter = Dictionary.starter()
    assert len(starter.entries) == 20
    assert all(re.sub(r"[\s*]", "", t) for e in starter.entries for t in e.terms)


# 6. evaluate(cv) when no code has cv units ----------------------------------------------


@pytest.fixture(scope="module")
def twelve() -> pq.Corpus:
    corpus = pq.datasets.load_genai_china()
    return pq.Corpus(corpus.documents, corpus.all_units().head(12))


def test_evaluate_with_more_folds_than_any_code_has_units_warns_and_evaluates(twelve):
    pytest.importorskip("sklearn")
    from policyquant.coders import train

    coder = train(twelve, fields=("AS",))
    with pytest.warns(UserWarning, match=r"evaluate\(cv=10\): field 'AS' has codes with fewer than 10 units"):
        evaluation = coder.evaluate(cv=10, seed=3)
    assert evaluation.frame.loc["AS", "units"] == 12
    # Plain shuffled folds: ten folds, none empty, every unit in one; the same seed gives the same folds.
    assert sorted(np.bincount(evaluation.folds).tolist()) == [1] * 8 + [2] * 2
    assert evaluation.predictions["AS_machine"].notna().all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        again = coder.evaluate(cv=10, seed=3)
        other = coder.evaluate(cv=10, seed=4)
        # Leave-one-out is the most folds there can be.
        assert coder.evaluate(cv=12).frame.loc["AS", "units"] == 12
    assert np.array_equal(again.folds, evaluation.folds)
    assert not np.array_equal(other.folds, evaluation.folds)
    with pytest.raises(ValidationError, match=r"cv must be from 2 to the number of units \(12\), got 13"):
        coder.evaluate(cv=13)


def test_evaluate_still_stratifies_when_a_code_has_cv_units(twelve):
    pytest.importorskip("sklearn")
    from policyquant.coders import train

    coder = train(twelve, fields=("AS",))
    counts = twelve.all_units()["AS"].value_counts()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        evaluation = coder.evaluate(cv=int(counts.max()), seed=0)
    # Stratified: the most frequent code is in every fold.
    frequent = evaluation.predictions["AS_human"].astype(str) == str(counts.idxmax())
    assert set(evaluation.folds[frequent.to_numpy()]) == set(range(int(counts.max())))


def test_the_cli_evaluates_a_small_corpus_with_many_folds(twelve, tmp_path):
    pytest.importorskip("sklearn")
    path = tmp_path / "small.json"
    pq.io.write_coding(twelve, path)
    done = subprocess.run(
        [sys.executable, "-m", "policyquant", "train", str(path), "--fields", "AS", "--evaluate", "--cv", "10",
         "-o", str(tmp_path / "model")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "internal error" not in done.stderr
    assert "fewer than 10 units" in done.stderr


# 7. A tampered model folder whose checksums were regenerated ---------------------------------


@pytest.fixture(scope="module")
def saved_coder(tmp_path_factory, twelve) -> Path:
    pytest.importorskip("sklearn")
    from policyquant.coders import train

    return train(twelve, fields=("instrument", "objectives")).save(tmp_path_factory.mktemp("coder") / "model")


def _tampered(saved: Path, folder: Path, model=None, arrays=None, raw: bytes | None = None) -> Path:
    """A copy of the saved coder, changed, with its manifest's checksums written again to fit."""
    import hashlib
    import json
    import shutil

    shutil.copytree(saved, folder)
    if model is not None:
        data = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        model(data)
        (folder / "model.json").write_text(json.dumps(data), encoding="utf-8")
    if arrays is not None:
        with np.load(folder / "arrays.npz", allow_pickle=False) as stored:
            data = {name: stored[name] for name in stored.files}
        arrays(data)
        np.savez(folder / "arrays.npz", **data)
    if raw is not None:
        (folder / "arrays.npz").write_bytes(raw)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for name in ("model.json", "arrays.npz"):
        manifest["sha256"][name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def _set(path: tuple, value):
    def change(data):
        for key in path[:-1]:
            data = data[key]
        data[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"raw": b"PK\x03\x04 truncated"}, "File is not a zip file"),
        ({"model": _set(("options", "analyzer"), "bogus")}, "analyzer must be 'char_wb' or 'char', got 'bogus'"),
        ({"model": _set(("options", "ngram_range"), [3, 1])}, r"ngram_range must be .*got \[3, 1\]"),
        ({"model": _set(("options", "ngram_range"), "13")}, "ngram_range must be"),
        ({"model": _set(("options", "sublinear_tf"), "yes")}, "sublinear_tf must be true or false"),
        ({"model": _set(("options",), [1])}, "options must be a mapping"),
        ({"model": _set(("models", "instrument", "kind"), "weird")}, "'instrument' has kind 'weird', expected 'single'"),
        ({"model": _set(("models", "objectives", "kind"), "single")}, "'objectives' has kind 'single', expected 'multi'"),
        ({"arrays": lambda d: d.update(coef_0=d["coef_0"].astype(str))}, "are not numbers"),
        ({"arrays": lambda d: d.update(terms=d["terms"][:0], idf=d["idf"][:0])}, "non-empty array of text"),
    ],
)
def test_a_tampered_coder_is_a_read_error_naming_what_is_wrong(saved_coder, tmp_path, change, message):
    from policyquant.coders.supervised import load

    folder = _tampered(saved_coder, tmp_path / "copy", **change)
    with pytest.raises(ReadError, match=rf"^{re.escape(str(folder))}: the saved coder is damaged: .*{message}"):
        load(folder)


def test_an_untouched_copy_still_loads(saved_coder, tmp_path):
    from policyquant.coders.supervised import load

    folder = _tampered(saved_coder, tmp_path / "copy")
    texts = pd.DataFrame({"unit_id": ["a"], "text": ["制定技术标准"]})
    assert load(folder).suggest(texts).frame.equals(load(saved_coder).suggest(texts).frame)
