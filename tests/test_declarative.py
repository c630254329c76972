"""Tests of declarative (TOML) frameworks: reading, writing, error messages, scale types, formula safety."""

from __future__ import annotations

import json
import os
import re
import textwrap
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

import policyquant as pq
from policyquant.declarative import (
    FrameworkFileError,
    ScaleNotWritableError,
    TomlScale,
    framework_from_dict,
    framework_to_dict,
    framework_to_toml,
    is_writable,
    load_framework,
    write_framework,
)
from policyquant.testing.strategies import frameworks

BUILTINS = ["wang2026", "howlett-ramesh-1995"]

SCHOOL_MEALS = """
name = "school-meals"
title = "School meal policy instruments"
version = "1.0"
citation = "An illustrative framework for the tests."
description = \"\"\"
Instruments of school meal policy.
Second line of the description.\"\"\"

[[families]]
key = "regulatory"
label = "Regulatory"
description = "The state sets binding rules."
labels = { zh = "管制型" }

[[families]]
key = "economic"
label = "Economic"
labels = { zh = "经济型" }

[[instruments]]
key = "nutrition_standards"
label = "Nutrition standards"
family = "regulatory"
description = "Binding nutrient and menu rules."
labels = { zh = "营养标准" }
aliases = ["menu rules", "营养规范"]

[[instruments]]
key = "meal_subsidies"
label = "Meal subsidies"
family = "economic"
labels = { zh = "餐费补贴" }
aliases = "free meals"

[[objectives]]
key = "health"
label = "Child health"
labels = { zh = "儿童健康" }

[[objectives]]
key = "equity"
label = "Equity"
labels = { zh = "教育公平" }
aliases = ["fairness"]

[scale]
name = "strength"
label = "Policy strength"
formula = "LV * (SP + 1)"

[[scale.dimensions]]
key = "LV"
label = "Legal level"
unit = "document"
labels = { zh = "法律层级" }

[[scale.dimensions.levels]]
score = 3
label = "Law"
labels = { zh = "法律" }

[[scale.dimensions.levels]]
score = 2
label = "Regulation"
labels = { zh = "行政法规" }

[[scale.dimensions.levels]]
score = 1
label = "Notice"
labels = { zh = "通知" }
aliases = ["circular"]

[[scale.dimensions]]
key = "SP"
label = "Specificity"
levels = [
    { score = 2, label = "Quantified", labels = { zh = "量化" } },
    { score = 1, label = "Concrete", labels = { zh = "具体" } },
    { score = 0, label = "Principle", labels = { zh = "原则" } },
]
"""

MINIMAL = """
name = "demo"
title = "Demo"

[[families]]
key = "soft"
label = "Soft"

[[instruments]]
key = "info"
label = "Information"
family = "soft"
"""

WITH_SCALE = """
name = "demo"
title = "Demo"

[scale]
formula = "PL * SP"

[[scale.dimensions]]
key = "PL"
label = "Policy level"
levels = [{ score = 1, label = "Local" }, { score = 2, label = "National" }]

[[scale.dimensions]]
key = "SP"
label = "Specificity"
levels = [{ score = 0, label = "Vague" }, { score = 1, label = "Precise" }]
"""


def toml(text: str) -> str:
    return textwrap.dedent(text)


def load_error(text: str, **kwargs: Any) -> FrameworkFileError:
    with pytest.raises(FrameworkFileError) as caught:
        load_framework(text, **kwargs)
    return caught.value


# --------------------------------------------------------------------------
# Round trips.


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_frameworks_round_trip_through_toml_text(name):
    framework = pq.get_framework(name)
    text = framework_to_toml(framework)
    back = load_framework(text)
    assert back == framework
    assert back.codebook().equals(framework.codebook())
    # and writing again gives the very same text
    assert framework_to_toml(back) == text


def test_every_writable_registered_framework_round_trips(fresh_registry):
    written = 0
    for name in fresh_registry.names():
        framework = fresh_registry.get(name)
        if is_writable(framework):
            assert load_framework(framework_to_toml(framework), registry=fresh_registry) == framework, name
            written += 1
    assert written >= len(BUILTINS)


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_frameworks_round_trip_through_a_file(name, tmp_path):
    framework = pq.get_framework(name)
    path = write_framework(framework, tmp_path / f"{name}.toml")
    assert path == tmp_path / f"{name}.toml"
    assert load_framework(path) == framework
    assert load_framework(str(path)) == framework
    assert b"\r\n" not in path.read_bytes()


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_frameworks_round_trip_through_dicts(name):
    framework = pq.get_framework(name)
    assert framework_from_dict(framework_to_dict(framework)) == framework


def test_written_toml_keeps_chinese_readable_and_is_laid_out_as_tables():
    text = framework_to_toml(pq.get_framework("wang2026"))
    assert 'labels = { zh = "标准规范" }' in text
    assert text.startswith('name = "wang2026"\ntitle = ')
    assert text.count("[[families]]") == 3
    assert text.count("[[instruments]]") == 16
    assert text.count("[[objectives]]") == 4
    assert text.count("[[scale.dimensions]]") == 3
    assert text.count("[[scale.dimensions.levels]]") == 11
    assert '[scale]\ntype = "formula"\nname = "APE"' in text
    assert 'formula = "DA * (AS + MI)"' in text


def test_taxonomy_without_scale_writes_no_scale_table():
    text = framework_to_toml(pq.get_framework("howlett-ramesh-1995"))
    assert "[scale]" not in text
    assert "[[objectives]]" not in text
    assert 'version = "1995"' in text


def test_awkward_text_round_trips():
    awkward = 'quotes " and \\ backslash, tab\t, bell \x07, CR \r and\nnewline\n'
    framework = pq.Framework(
        "awk-ward",
        'A "title" with \\ and 中文',
        families=[pq.InstrumentFamily("a.b", "Dotted key", awkward, labels={"zh-Hans": "甲", "x y": "z"})],
        instruments=[pq.Instrument("i", "I", family="a.b", description="line one\nline two\n")],
        description='ends with a quote"',
        citation="",
    )
    text = framework_to_toml(framework)
    assert load_framework(text) == framework
    # a description with line breaks (and no carriage return) is written across lines
    assert 'description = """\nline one\nline two\n"""' in text


def test_citation_and_version_none_are_left_out_and_empty_description_too():
    framework = pq.Framework("bare", "Bare")
    assert framework_to_toml(framework) == 'name = "bare"\ntitle = "Bare"\n'
    assert load_framework(framework_to_toml(framework)) == framework


def test_float_and_negative_scores_round_trip():
    scale = pq.FormulaScale(
        [pq.Dimension("x", "X", [pq.Level(-1.5, "low"), pq.Level(0, "zero"), pq.Level(2.25, "high")])],
        "x * 2",
    )
    framework = pq.Framework("floats", "Floats", scale=scale)
    back = load_framework(framework_to_toml(framework))
    assert back == framework
    assert back.scale.dimensions[0].scores == (-1.5, 0, 2.25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frameworks())
def test_random_frameworks_round_trip(framework):
    assert load_framework(framework_to_toml(framework)) == framework


# --------------------------------------------------------------------------
# A hand-written framework.


def test_hand_written_framework_with_chinese_labels():
    framework = load_framework(SCHOOL_MEALS)
    assert framework.name == "school-meals"
    assert framework.description == "Instruments of school meal policy.\nSecond line of the description."
    assert framework.family_keys == ("regulatory", "economic")
    assert framework.resolve("instrument", "营养规范") == "nutrition_standards"
    assert framework.resolve("instrument", "餐费补贴") == "meal_subsidies"
    assert framework.instruments[1].aliases == ("free meals",)  # one alias may be written as text
    assert framework.resolve("objective", "教育公平") == "equity"
    assert framework.family_of("营养标准").label_in("zh") == "管制型"
    scale = framework.scale
    assert isinstance(scale, pq.FormulaScale)
    assert (scale.name, scale.label, scale.formula) == ("strength", "Policy strength", "LV * (SP + 1)")
    assert [d.unit for d in scale.dimensions] == ["document", "unit"]
    assert (scale.min_score, scale.max_score) == (1.0, 9.0)
    scored = scale.score(pd.DataFrame({"LV": ["法律", "circular"], "SP": ["量化", 0]}))
    assert scored.tolist() == [9.0, 1.0]
    book = framework.codebook("zh")
    assert book.loc[book["key"] == "LV=2", "label"].item() == "行政法规"
    assert framework_to_toml(framework).count("[[scale.dimensions.levels]]") == 6
    assert load_framework(framework_to_toml(framework)) == framework


def test_hand_written_framework_works_with_a_corpus():
    framework = load_framework(SCHOOL_MEALS)
    documents = pd.DataFrame({"doc_id": ["D1", "D2"], "LV": ["法律", 1]})
    units = pd.DataFrame(
        {
            "unit_id": ["D1-1-1", "D1-1-2", "D2-1-1"],
            "instrument": ["营养标准", "free meals", "menu rules"],
            "objectives": ["儿童健康；教育公平", "fairness", "health"],
            "SP": [2, "具体", "原则"],
        }
    )
    corpus = pq.Corpus(documents, units, framework)
    table = pq.crosstab(corpus)
    assert table.counts.loc["nutrition_standards"].tolist() == [2, 1]
    assert table.total == 4


# --------------------------------------------------------------------------
# Sources.


def test_load_from_path_string_bytes_and_resource(tmp_path):
    path = tmp_path / "demo.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    expected = load_framework(MINIMAL)
    assert load_framework(path) == expected
    assert load_framework(str(path)) == expected
    assert load_framework(MINIMAL.encode("utf-8")) == expected

    class Resource:  # what importlib.resources.files(...) / "x.toml" offers
        def read_bytes(self) -> bytes:
            return MINIMAL.encode("utf-8")

        def __str__(self) -> str:
            return "package/demo.toml"

    assert load_framework(Resource()) == expected


def test_a_file_saved_with_a_byte_order_mark_loads(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + SCHOOL_MEALS.encode("utf-8"))
    assert load_framework(path).name == "school-meals"


def test_a_one_line_string_with_equals_is_toml_text_but_an_existing_file_wins(tmp_path, monkeypatch):
    with pytest.raises(FrameworkFileError, match="title: missing"):
        load_framework('name = "one-line"')
    odd = tmp_path / "a=b.toml"
    odd.write_text(MINIMAL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_framework("a=b.toml").name == "demo"


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_framework(tmp_path / "nowhere.toml")
    with pytest.raises(FileNotFoundError):
        load_framework(str(tmp_path / "nowhere.toml"))


def test_a_source_of_another_type_is_refused():
    with pytest.raises(TypeError, match="needs a path or TOML text, got int"):
        load_framework(3)


def test_a_file_that_is_not_utf8_names_the_file(tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes('name = "x"\ntitle = "政策"\n'.encode("gbk"))
    error = load_error(path)
    assert str(error).startswith(f"{path}: not UTF-8 text (byte ")
    assert error.file == str(path)


def test_framework_from_dict_refuses_a_non_table():
    with pytest.raises(FrameworkFileError, match="a framework must be a table, got an array"):
        framework_from_dict([1, 2])


# --------------------------------------------------------------------------
# Invalid TOML: file, line and column.


def test_invalid_toml_text_reports_line_and_column():
    error = load_error('name = "x"\ntitle = "y"\n[[families]]\nkey = "a"\nlabel "A"\n')
    assert (error.line, error.column) == (5, 7)
    assert error.path is None
    assert error.file is None
    assert str(error) == (
        "line 5, column 7: invalid TOML: Expected '=' after a key in a key/value pair\n"
        '    5 | label "A"\n'
        "      |       ^"
    )


def test_invalid_toml_file_reports_the_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('name = "x"\ntitle = "unterminated\n', encoding="utf-8")
    error = load_error(path)
    assert error.file == str(path)
    assert (error.line, error.column) == (2, 22)
    assert str(error).startswith(f"{path}, line 2, column 22: invalid TOML: ")


def test_a_key_written_twice_is_invalid_toml():
    error = load_error('name = "x"\ntitle = "y"\nname = "z"\n')
    assert error.line == 3
    assert "invalid TOML" in str(error)


def test_an_error_at_the_end_of_the_document_has_a_position():
    error = load_error('name = "x"\ntitle = [1, 2')
    assert error.line == 2
    assert error.column is not None


# --------------------------------------------------------------------------
# Invalid frameworks: every problem with its key path.

INVALID = [
    # (TOML, key path, message fragment)
    ('title = "T"', "name", 'missing; every framework needs a name, e.g. name = "my-taxonomy"'),
    ('name = "n"', "title", "missing; every framework needs a title"),
    ('name = "n"\ntitel = "T"', "titel", "unknown key; did you mean title?"),
    (
        'name = "n"\ntitle = "T"\nauthor = "A"',
        "author",
        "unknown key; every framework takes name, title, version, citation, description, families, instruments, objectives, levels, scale",
    ),
    (
        'name = "my taxonomy"\ntitle = "T"',
        "name",
        "must not contain whitespace; use underscores or hyphens, e.g. 'my_taxonomy'",
    ),
    (
        'name = "n"\ntitle = "T"\nversion = 1.0',
        "version",
        'must be text in quotes, e.g. version = "1.0"; got a float',
    ),
    ('name = "n"\ntitle = "  "', "title", "must not be empty"),
    (
        'name = "n"\ntitle = "T"\ndimensions = []',
        "dimensions",
        "dimensions belong to the scale: write [[scale.dimensions]]",
    ),
    ('name = "n"\ntitle = "T"\nformula = "a"', "formula", "the formula belongs to the scale"),
    (
        'name = "n"\ntitle = "T"\n[[instrument]]\nkey = "a"',
        "instrument",
        "write each instrument as an [[instruments]] table",
    ),
    (
        'name = "n"\ntitle = "T"\n[families]\nkey = "a"',
        "families",
        "must be an array of tables, written [[families]] before each one",
    ),
    ('name = "n"\ntitle = "T"\nscale = "formula"', "scale", "must be a table, written [scale]; got text"),
    (
        'name = "n"\ntitle = "T"\n[[families]]\nkey = "a"\nlabel = "A"\n[[families]]\nkey = "a"\nlabel = "B"',
        "families[1].key",
        "duplicate family key 'a'; families[0] has it too",
    ),
    (
        'name = "n"\ntitle = "T"\n[[families]]\nkey = "a"',
        "families[0].label",
        "missing; a family needs a label",
    ),
    (
        'name = "n"\ntitle = "T"\n[[families]]\nkey = "a"\nlabel = "A"\nlables = { zh = "甲" }',
        "families[0].lables",
        "unknown key; did you mean labels?",
    ),
    (
        'name = "n"\ntitle = "T"\n[[families]]\nkey = "a"\nlabel = "A"\nlabels = "甲"',
        "families[0].labels",
        'must be a table of language = label, e.g. labels = { zh = "..." }; got text',
    ),
    (
        'name = "n"\ntitle = "T"\n[[families]]\nkey = "a"\nlabel = "A"\nlabels = { zh = "" }',
        "families[0].labels.zh",
        "a label must be non-empty text, got text ''",
    ),
    (
        MINIMAL + 'aliases = ["ok", 3]',
        "instruments[0].aliases[1]",
        "an alias must be non-empty text, got an integer 3",
    ),
    (
        MINIMAL + "aliases = 3",
        "instruments[0].aliases",
        'must be a list of texts, e.g. aliases = ["...", "..."]; got an integer',
    ),
    (
        MINIMAL.replace('family = "soft"', 'family = "sfot"'),
        "instruments[0].family",
        "unknown family 'sfot' (instrument 'info'); families: soft; did you mean soft?",
    ),
    (
        'name = "n"\ntitle = "T"\n[[instruments]]\nkey = "i"\nlabel = "I"\nfamily = "x"',
        "instruments[0].family",
        "unknown family 'x' (instrument 'i'); families: (none: add [[families]] tables)",
    ),
    (
        'name = "n"\ntitle = "T"\n[[objectives]]\nkey = "a b"\nlabel = "A"',
        "objectives[0].key",
        "must not contain whitespace",
    ),
    (
        MINIMAL
        + '[[instruments]]\nkey = "other"\nlabel = "Other"\nfamily = "soft"\naliases = ["INFORMATION"]',
        "instruments[1].aliases[0]",
        "the name 'INFORMATION' is ambiguous: it also names the instrument 'info' (instruments[0].label)",
    ),
    (
        WITH_SCALE.replace('formula = "PL * SP"', ""),
        "scale.formula",
        "missing; a formula scale needs a formula",
    ),
    (WITH_SCALE.replace("formula =", "formla ="), "scale.formla", "unknown key; did you mean formula?"),
    (
        WITH_SCALE.replace('formula = "PL * SP"', 'formula = "PL * SQ"'),
        "scale.formula",
        "formula 'PL * SQ': unknown name 'SQ' at column 6",
    ),
    (
        WITH_SCALE.replace('formula = "PL * SP"', 'formula = "PL / SP"'),
        "scale.formula",
        "formula 'PL / SP' is not finite for every combination of levels",
    ),
    (
        WITH_SCALE.replace("[scale]", '[scale]\nname = "a b"'),
        "scale.name",
        "'a b' must not contain whitespace",
    ),
    (
        WITH_SCALE.replace("[scale]", "[scale]\ntype = 3"),
        "scale.type",
        "must be the name of a scale type in quotes",
    ),
    (
        'name = "n"\ntitle = "T"\n[scale]\nformula = "1"',
        "scale.dimensions",
        "missing; a formula scale needs at least one [[scale.dimensions]] table",
    ),
    (
        WITH_SCALE.replace('key = "PL"', 'key = "1PL"'),
        "scale.dimensions[0].key",
        "Dimension key '1PL' must be a name a formula can use",
    ),
    (
        WITH_SCALE.replace('key = "SP"', 'key = "PL"'),
        "scale.dimensions[1].key",
        "duplicate dimension key 'PL'; scale.dimensions[0] has it too",
    ),
    (
        WITH_SCALE.replace('label = "Policy level"', 'label = "Policy level"\nunit = "clause"'),
        "scale.dimensions[0].unit",
        'must be "unit" (scored per clause) or "document", got \'clause\'',
    ),
    (
        WITH_SCALE.replace(
            'levels = [{ score = 1, label = "Local" }, { score = 2, label = "National" }]', "levels = 3"
        ),
        "scale.dimensions[0].levels",
        "must be an array of tables, written [[scale.dimensions.levels]] before each one (or levels = [{ ... }, { ... }]); got an integer",
    ),
    (
        WITH_SCALE.replace(
            'levels = [{ score = 1, label = "Local" }, { score = 2, label = "National" }]', "levels = []"
        ),
        "scale.dimensions[0].levels",
        "a dimension needs at least one [[scale.dimensions.levels]] table",
    ),
    (
        WITH_SCALE.replace(
            '{ score = 2, label = "National" }',
            '{ score = 2, label = "National" }, { score = "3", label = "Top" }',
        ),
        "scale.dimensions[0].levels[2].score",
        "must be a number, e.g. score = 3; got text '3'",
    ),
    (
        WITH_SCALE.replace('{ score = 2, label = "National" }', '{ score = 1.0, label = "National" }'),
        "scale.dimensions[0].levels[1].score",
        "duplicate score 1.0; scale.dimensions[0].levels[0] has it too",
    ),
    (
        WITH_SCALE.replace('{ score = 2, label = "National" }', '{ score = inf, label = "National" }'),
        "scale.dimensions[0].levels[1].score",
        "must be a finite number, got inf",
    ),
    (
        WITH_SCALE.replace('{ score = 2, label = "National" }', '{ score = true, label = "National" }'),
        "scale.dimensions[0].levels[1].score",
        "must be a number, e.g. score = 3; got a boolean True",
    ),
    (
        WITH_SCALE.replace(
            '{ score = 2, label = "National" }', '{ score = 2, label = "National", aliases = ["local"] }'
        ),
        "scale.dimensions[0].levels[1].aliases[0]",
        "the name 'local' is ambiguous: it also names the level with score 1 (scale.dimensions[0].levels[0].label)",
    ),
    (
        WITH_SCALE.replace('{ score = 2, label = "National" }', "{ score = 2 }"),
        "scale.dimensions[0].levels[1].label",
        "missing; a level needs a label",
    ),
]


@pytest.mark.parametrize(("text", "path", "fragment"), INVALID, ids=[case[1] for case in INVALID])
def test_invalid_framework_names_the_key_path(text, path, fragment):
    error = load_error(text)
    assert isinstance(error, pq.InvalidFrameworkError)
    assert error.path == path
    assert fragment in dict(error.problems)[path]
    assert str(error).startswith(f"{path}: ") or f"  - {path}: " in str(error)


def test_every_problem_is_reported_at_once_in_file_order(tmp_path):
    path = tmp_path / "many.toml"
    path.write_text(
        toml(
            """
            name = "many problems"
            title = 3

            [[families]]
            key = "soft"
            label = "Soft"
            lables = { zh = "软" }

            [[instruments]]
            key = "info"
            label = "Information"
            family = "sfot"

            [scale]
            type = "pmcc"

            [[scale.dimensions]]
            key = "PL"
            label = "Policy level"
            levels = [{ score = 1, label = "Local" }, { score = "2", label = "National" }]
            """
        ),
        encoding="utf-8",
    )
    error = load_error(path)
    assert [p for p, _ in error.problems] == [
        "name",
        "title",
        "families[0].lables",
        "instruments[0].family",
        "scale.type",
        "scale.dimensions[0].levels[1].score",
    ]
    message = str(error)
    assert message.startswith(f"6 problems in {path}:\n  - name: ")
    assert re.search(
        r"  - scale\.type: unknown scale type 'pmcc'; known scale types: [^;]*\bformula\b", message
    )


def test_the_error_pickles_with_its_details():
    import pickle

    error = load_error('name = "n"\ntitle = "T"\n[[families]]\nkey = "a"\nlabel "A"\n')
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.problems, copy.line, copy.column, copy.path) == (
        str(error),
        error.problems,
        5,
        7,
        None,
    )
    error = load_error(MINIMAL.replace('family = "soft"', 'family = "sfot"'))
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.path) == (str(error), "instruments[0].family")


def test_numpy_values_in_a_toml_spec_are_written_as_plain_numbers(weighted_registry):
    import numpy as np

    scale = WeightedScale((pq.Dimension("a", "A", [pq.Level(1, "one")]),), (np.int64(2),))
    framework = pq.Framework("numpy", "NumPy weights", scale=scale)
    assert "weights = [2]" in framework_to_toml(framework)
    assert load_framework(framework_to_toml(framework), registry=weighted_registry) == framework


def test_a_misplaced_key_does_not_hide_a_missing_one():
    error = load_error('name = "n"\ntype = "formula"')
    assert [path for path, _ in error.problems] == ["title", "type"]


def test_keys_differing_only_in_case_are_ambiguous():
    # Two keys that differ only in case pass the per-part checks but name the same item.
    error = load_error(MINIMAL + '[[instruments]]\nkey = "INFO"\nlabel = "Other"\nfamily = "soft"')
    assert error.path == "instruments[1].key"
    assert "ambiguous" in str(error)


def test_keys_that_need_quotes_are_quoted_in_paths():
    error = load_error(
        'name = "n"\ntitle = "T"\n[[families]]\nkey = "a"\nlabel = "A"\nlabels = { "zh Hans" = 3 }'
    )
    assert error.path == 'families[0].labels."zh Hans"'


# --------------------------------------------------------------------------
# Formula safety.


@pytest.mark.parametrize(
    ("formula", "why"),
    [
        ("__import__('os').system('x')", "calls are allowed only to the listed functions"),
        ("PL.__class__.__bases__", "attribute access not allowed"),
        ("().__class__", "attribute access not allowed"),
        ("(lambda: 1)()", "calls are allowed only to the listed functions"),
        ("[c for c in ().__class__.__subclasses__()]", "comprehensions not allowed"),
        ("open('/etc/passwd')", "calls are allowed only to the listed functions"),
        ("PL if SP else 0", "conditional expressions not allowed"),
        ("'text'", "constants of type str not allowed"),
        ("PL[0]", "subscripts not allowed"),
    ],
)
def test_formulas_that_reach_for_python_are_rejected_by_the_safe_parser(formula, why, monkeypatch):
    calls = []
    monkeypatch.setattr(os, "system", lambda command: calls.append(command))
    text = WITH_SCALE.replace('formula = "PL * SP"', f"formula = {json.dumps(formula)}")
    error = load_error(text)
    assert error.path == "scale.formula"
    assert why in str(error)
    assert isinstance(error.__cause__, pq.FormulaError)
    assert calls == []


def test_formula_text_never_reaches_eval(monkeypatch):
    import builtins

    def refuse(*args, **kwargs):
        raise AssertionError("eval must not be called")

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    assert load_framework(WITH_SCALE).scale.max_score == 2.0


# --------------------------------------------------------------------------
# Scale types from plugins.


@attrs.frozen
class WeightedScale(pq.EfficacyScale):
    """A weighted sum of the dimensions, written to TOML through toml_spec()."""

    dimensions: tuple[pq.Dimension, ...] = attrs.field(converter=tuple)
    weights: tuple[float, ...] = attrs.field(converter=tuple)
    name: str = "weighted"

    def score(self, frame: pd.DataFrame) -> pd.Series:
        scores = self.coerce_frame(frame)
        return (scores * list(self.weights)).sum(axis=1).rename(self.name)

    def _extreme(self, pick: Any) -> float:
        return float(
            sum(
                pick(w * d.min_score, w * d.max_score)
                for w, d in zip(self.weights, self.dimensions, strict=True)
            )
        )

    @property
    def min_score(self) -> float:
        return self._extreme(min)

    @property
    def max_score(self) -> float:
        return self._extreme(max)

    def toml_spec(self) -> tuple[str, dict[str, Any]]:
        return "weighted", {"name": self.name, "weights": list(self.weights)}


def weighted_scale(spec: dict[str, Any], dimensions: tuple[pq.Dimension, ...]) -> WeightedScale:
    if len(spec["weights"]) != len(dimensions):
        raise pq.InvalidFrameworkError(
            f"WeightedScale.weights needs one weight per dimension ({len(dimensions)}), got {len(spec['weights'])}"
        )
    return WeightedScale(dimensions, spec["weights"], name=spec.get("name", "weighted"))


@attrs.frozen
class ConstantScale(pq.EfficacyScale):
    """A scale without dimensions (like a PMC scale that finds its variables when it scores)."""

    value: float = 1.0
    dimensions: tuple[pq.Dimension, ...] = ()
    name: str = "constant"

    def score(self, frame: pd.DataFrame) -> pd.Series:
        return pd.Series(self.value, index=frame.index, name=self.name, dtype=float)

    @property
    def min_score(self) -> float:
        return self.value

    @property
    def max_score(self) -> float:
        return self.value

    def toml_spec(self) -> tuple[str, dict[str, Any]]:
        return "constant", {"value": self.value}


def constant_scale(spec: dict[str, Any], dimensions: tuple[pq.Dimension, ...]) -> ConstantScale:
    assert dimensions == ()
    return ConstantScale(**spec)


class WeightedPlugin:
    @pq.hookimpl
    def policyquant_register_scale_types(self, register):
        register("weighted", weighted_scale)
        register("constant", constant_scale)
        register("broken", lambda spec, dimensions: "not a scale")


WEIGHTED = """
name = "weighted-demo"
title = "A framework with a plugin's scale type"

[scale]
type = "weighted"
name = "importance"
weights = [2, 0.5]

[[scale.dimensions]]
key = "PL"
label = "Policy level"
levels = [{ score = 1, label = "Local" }, { score = 2, label = "National" }]

[[scale.dimensions]]
key = "SP"
label = "Specificity"
levels = [{ score = 0, label = "Vague" }, { score = 4, label = "Precise" }]
"""


@pytest.fixture
def weighted_registry(fresh_registry):
    fresh_registry.register_plugin(WeightedPlugin(), name="weighted-plugin")
    return fresh_registry


def test_a_scale_type_registered_by_a_plugin_is_used_from_toml(weighted_registry):
    framework = load_framework(WEIGHTED, registry=weighted_registry)
    scale = framework.scale
    assert isinstance(scale, WeightedScale)
    assert scale.weights == (2, 0.5)
    assert (scale.min_score, scale.max_score) == (2.0, 6.0)
    assert scale.score(pd.DataFrame({"PL": ["National"], "SP": ["Precise"]})).tolist() == [6.0]
    assert isinstance(scale, TomlScale)
    assert is_writable(framework)
    text = framework_to_toml(framework)
    assert '[scale]\ntype = "weighted"\nname = "importance"\nweights = [2, 0.5]\n' in text
    assert load_framework(text, registry=weighted_registry) == framework


def test_a_scale_type_may_do_without_dimensions(weighted_registry):
    text = 'name = "constant"\ntitle = "Constant"\n\n[scale]\ntype = "constant"\nvalue = 2.5\n'
    framework = load_framework(text, registry=weighted_registry)
    assert framework.scale == ConstantScale(2.5)
    assert framework_to_toml(framework) == text
    # dimensions written as an empty array are no dimensions either
    assert load_framework(text + "dimensions = []\n", registry=weighted_registry) == framework


def test_the_default_registry_does_not_know_the_plugins_scale_type(weighted_registry):
    error = load_error(WEIGHTED)
    assert error.path == "scale.type"
    assert str(error).startswith("scale.type: unknown scale type 'weighted'; known scale types: ")
    assert "formula" in str(error)


def test_unknown_scale_type_lists_the_known_ones_and_suggests(weighted_registry):
    error = load_error(WEIGHTED.replace('type = "weighted"', 'type = "wieghted"'), registry=weighted_registry)
    assert error.path == "scale.type"
    assert re.search(
        r"known scale types: broken, constant, (.+, )?formula, (.+, )?weighted; did you mean weighted\?",
        str(error),
    )


def test_a_scale_type_factory_error_is_reported_at_the_key_it_names(weighted_registry):
    error = load_error(WEIGHTED.replace("weights = [2, 0.5]", "weights = [2]"), registry=weighted_registry)
    assert error.path == "scale.weights"
    assert "needs one weight per dimension (2), got 1" in str(error)
    assert isinstance(error.__cause__, pq.InvalidFrameworkError)
    error = load_error(WEIGHTED.replace("weights = [2, 0.5]", ""), registry=weighted_registry)
    assert error.path == "scale"
    assert "the 'weighted' scale type could not build the scale: KeyError: 'weights'" in str(error)


def test_a_scale_type_that_builds_no_scale_is_reported(weighted_registry):
    error = load_error(WEIGHTED.replace('type = "weighted"', 'type = "broken"'), registry=weighted_registry)
    assert error.path == "scale.type"
    assert "the scale type 'broken' built str, not an EfficacyScale" in str(error)


def test_a_scale_without_toml_spec_cannot_be_written():
    class Opaque(pq.EfficacyScale):
        dimensions = (pq.Dimension("a", "A", [pq.Level(1, "one")]),)
        min_score = max_score = 1.0

        def score(self, frame):
            return self.coerce_frame(frame)["a"]

    framework = pq.Framework("opaque", "Opaque", scale=Opaque())
    assert not is_writable(framework)
    with pytest.raises(ScaleNotWritableError, match="cannot write a Opaque as TOML"):
        framework_to_toml(framework)


def test_a_formula_scale_subclass_needs_its_own_toml_spec():
    @attrs.frozen
    class Special(pq.FormulaScale):
        pass

    dims = pq.get_framework("wang2026").scale.dimensions
    framework = pq.Framework("special", "Special", scale=Special(dims, "DA"))
    assert not is_writable(framework)
    with pytest.raises(ScaleNotWritableError):
        framework_to_toml(framework)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (("weighted", {"type": "x"}), "must not return the key(s) type"),
        (("weighted", {"dimensions": []}), "must not return the key(s) dimensions"),
        (("", {}), "must return (type name, mapping)"),
        (("weighted", {"weights": object()}), "cannot write object"),
    ],
)
def test_a_bad_toml_spec_is_refused(spec, message):
    class Bad(WeightedScale):
        def toml_spec(self):
            return spec

    scale = Bad((pq.Dimension("a", "A", [pq.Level(1, "one")]),), (1,))
    with pytest.raises(ScaleNotWritableError, match=re.escape(message)):
        framework_to_toml(pq.Framework("bad", "Bad", scale=scale))


def test_framework_to_dict_refuses_what_is_not_a_framework():
    with pytest.raises(TypeError, match=r"expected a policyquant\.Framework"):
        framework_to_dict({"name": "x"})


def test_a_plugin_installed_as_an_entry_point_can_ship_its_framework_as_toml(plugin_distribution, tmp_path):
    toml_file = tmp_path / "meals.toml"
    toml_file.write_text(SCHOOL_MEALS, encoding="utf-8")
    dist = plugin_distribution(
        f"""
        import policyquant as pq
        from policyquant.declarative import load_framework

        @pq.hookimpl
        def policyquant_register_frameworks(register):
            register(load_framework({str(toml_file)!r}), aliases=["meals"])
        """
    )
    framework = pq.get_framework("meals")
    assert framework == load_framework(Path(toml_file))
    entry = pq.plugins.get_registry().entry("school-meals")
    assert (entry.plugin, entry.builtin) == (dist.ep_name, False)


def test_toml_copy_of_wang2026_scores_the_bundled_corpus_exactly_like_the_builtin():
    # The acceptance check: a framework read back from its own TOML is the same
    # framework for every purpose, here the efficacy of all 670 clauses of the example.
    builtin = pq.get_framework("wang2026")
    copy = pq.load_framework(builtin.to_toml())
    corpus = pq.datasets.load_genai_china()
    recoded = pq.Corpus(
        corpus.documents.assign(issuers=corpus.documents["issuers"].map("; ".join)),
        corpus.units.assign(objectives=corpus.units["objectives"].map("; ".join)),
        copy,
    )
    expected = pq.efficacy(corpus)
    actual = pq.efficacy(recoded)
    assert actual.name == "APE"
    pd.testing.assert_series_equal(actual, expected)
    assert pq.crosstab(recoded).counts.equals(pq.crosstab(corpus).counts)
