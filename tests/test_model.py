"""Tests of the framework model: validation, immutability, lookups, codebook and the built-ins."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import attrs
import numpy as np
import pandas as pd
import pytest

import policyquant as pq
from policyquant.frameworks.howlett_ramesh import howlett_ramesh_1995, wang2026
from policyquant.model import LabelMap

# The study's Table 4 and text: the shared study reference, else the copy bundled with the package.
_SHARED = Path("/work/shared")
TABLE4_CANDIDATES = (
    _SHARED / "data" / "table4.csv",
    Path(pq.__file__).parent / "datasets" / "data" / "table4.csv",
)
SEED_TEXT = _SHARED / "seed" / "000_8463a0635bc3b178.txt"


@pytest.fixture(scope="module")
def table4() -> pd.DataFrame:
    for path in TABLE4_CANDIDATES:
        if path.exists():
            return pd.read_csv(path)
    pytest.skip(f"the study's Table 4 is not available at {', '.join(map(str, TABLE4_CANDIDATES))}")


@pytest.fixture(scope="module")
def wang() -> pq.Framework:
    return pq.get_framework("wang2026")


@pytest.fixture(scope="module")
def classic() -> pq.Framework:
    return pq.get_framework("howlett-ramesh-1995")


def levels() -> list[pq.Level]:
    return [pq.Level(5, "High"), pq.Level(3, "Medium"), pq.Level(1, "Low")]


def small_framework(**overrides: object) -> pq.Framework:
    fields: dict[str, object] = {
        "families": [pq.InstrumentFamily("soft", "Soft"), pq.InstrumentFamily("hard", "Hard")],
        "instruments": [
            pq.Instrument("info", "Information", family="soft", aliases=("leaflets",)),
            pq.Instrument("law", "Regulation", family="hard", labels={"zh": "管制"}),
        ],
        "objectives": [pq.Objective("safety", "Safety")],
    }
    fields.update(overrides)
    return pq.Framework("demo", "Demo", **fields)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Keys.

KEYED = [
    pytest.param(lambda key: pq.InstrumentFamily(key, "Label"), "InstrumentFamily.key", id="family"),
    pytest.param(lambda key: pq.Instrument(key, "Label", family="f"), "Instrument.key", id="instrument"),
    pytest.param(lambda key: pq.Instrument("i", "Label", family=key), "Instrument.family", id="inst-family"),
    pytest.param(lambda key: pq.Objective(key, "Label"), "Objective.key", id="objective"),
    pytest.param(lambda key: pq.Dimension(key, "Label", levels()), "Dimension.key", id="dimension"),
    pytest.param(lambda key: pq.Framework(key, "Title"), "Framework.name", id="framework"),
]


@pytest.mark.parametrize(("make", "field"), KEYED)
@pytest.mark.parametrize("key", ["", "   ", "\t"])
def test_empty_key_is_rejected(make, field, key):
    with pytest.raises(pq.InvalidFrameworkError, match=rf"^{re.escape(field)} must not be empty$"):
        make(key)


@pytest.mark.parametrize(("make", "field"), KEYED)
@pytest.mark.parametrize(
    ("key", "suggestion"), [("a b", "a_b"), ("a\tb", "a_b"), ("trailing ", "trailing"), ("a\u3000b", "a_b")]
)
def test_key_with_whitespace_is_rejected_with_a_suggestion(make, field, key, suggestion):
    expected = f"{field} {key!r} must not contain whitespace; use underscores or hyphens, e.g. {suggestion!r}"
    with pytest.raises(pq.InvalidFrameworkError, match=f"^{re.escape(expected)}$"):
        make(key)


@pytest.mark.parametrize(("make", "field"), KEYED)
@pytest.mark.parametrize("key", [5, None, b"key", ("k",)])
def test_non_text_key_is_rejected(make, field, key):
    expected = f"{field} must be text, got {type(key).__name__} {key!r}"
    with pytest.raises(pq.InvalidFrameworkError, match=f"^{re.escape(expected)}$"):
        make(key)


@pytest.mark.parametrize("key", ["1abc", "a-b", "DA.x", "class", "lambda", "None", "a+b"])
def test_dimension_key_must_be_a_formula_name(key):
    with pytest.raises(
        pq.InvalidFrameworkError, match=rf"^Dimension key {re.escape(repr(key))} must be a name"
    ):
        pq.Dimension(key, "Label", levels())


@pytest.mark.parametrize("key", ["DA", "_x", "x1", "权威"])
def test_dimension_key_accepts_identifiers(key):
    assert pq.Dimension(key, "Label", levels()).key == key


# --------------------------------------------------------------------------
# Labels, descriptions, aliases.

LABELLED = [
    pytest.param(
        lambda label: pq.InstrumentFamily("fam", label), "InstrumentFamily.label", " (key 'fam')", id="family"
    ),
    pytest.param(
        lambda label: pq.Instrument("ins", label, family="f"),
        "Instrument.label",
        " (key 'ins')",
        id="instrument",
    ),
    pytest.param(lambda label: pq.Objective("obj", label), "Objective.label", " (key 'obj')", id="objective"),
    pytest.param(lambda label: pq.Level(1, label), "Level.label", "", id="level"),
    pytest.param(
        lambda label: pq.Dimension("DA", label, levels()), "Dimension.label", " (key 'DA')", id="dimension"
    ),
    pytest.param(lambda label: pq.Framework("fw", label), "Framework.title", "", id="framework"),
]


@pytest.mark.parametrize(("make", "field", "suffix"), LABELLED)
@pytest.mark.parametrize("label", ["", "  ", None, 3])
def test_empty_or_non_text_label_is_rejected(make, field, suffix, label):
    expected = f"{field} must be non-empty text, got {label!r}{suffix}"
    with pytest.raises(pq.InvalidFrameworkError, match=f"^{re.escape(expected)}$"):
        make(label)


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (["zh"], "labels must map a language code to a label, got ['zh']"),
        ("zh", "labels must map a language code to a label, got 'zh'"),
        (5, "labels must map a language code to a label, got 5"),
        ({"zh": ""}, "the 'zh' label must be non-empty text, got ''"),
        ({"zh": "   "}, "the 'zh' label must be non-empty text, got '   '"),
        ({"zh": None}, "the 'zh' label must be non-empty text, got None"),
        ({"": "标准"}, "a label's language code must be non-empty text, got ''"),
        ({1: "标准"}, "a label's language code must be non-empty text, got 1"),
    ],
)
@pytest.mark.parametrize(
    "make",
    [
        lambda labels: pq.InstrumentFamily("f", "F", labels=labels),
        lambda labels: pq.Instrument("i", "I", family="f", labels=labels),
        lambda labels: pq.Objective("o", "O", labels=labels),
        lambda labels: pq.Level(1, "One", labels=labels),
        lambda labels: pq.Dimension("DA", "Authority", levels(), labels=labels),
    ],
    ids=["family", "instrument", "objective", "level", "dimension"],
)
def test_bad_labels_mapping_is_rejected(make, labels, message):
    with pytest.raises(pq.InvalidFrameworkError, match=f"^{re.escape(message)}$"):
        make(labels)


def test_labels_none_means_no_localized_labels():
    assert pq.Objective("o", "O", labels=None).labels == {}


@pytest.mark.parametrize("alias", ["", "  ", 3, None])
def test_empty_or_non_text_alias_is_rejected(alias):
    expected = f"Instrument 'grants': every alias must be non-empty text, got {alias!r}"
    with pytest.raises(pq.InvalidFrameworkError, match=f"^{re.escape(expected)}$"):
        pq.Instrument("grants", "Grants", family="mixed", aliases=["subsidies", alias])
    expected = f"Objective 'o': every alias must be non-empty text, got {alias!r}"
    with pytest.raises(pq.InvalidFrameworkError, match=f"^{re.escape(expected)}$"):
        pq.Objective("o", "O", aliases=[alias])


def test_single_alias_string_is_one_alias():
    assert pq.Instrument("i", "I", family="f", aliases="grants").aliases == ("grants",)
    assert pq.Level(1, "One", aliases="single").aliases == ("single",)


@pytest.mark.parametrize(
    "make",
    [
        lambda: pq.Instrument("i", "I", family="f", aliases=None),
        lambda: pq.Objective("o", "O", aliases=5),
        lambda: pq.Dimension("DA", "Authority", None),
        lambda: pq.Dimension("DA", "Authority", 5),
    ],
    ids=["instrument-aliases-None", "objective-aliases-int", "dimension-levels-None", "dimension-levels-int"],
)
def test_non_iterable_aliases_or_levels_raise_invalid_framework_error(make):
    with pytest.raises(pq.InvalidFrameworkError):
        make()


@pytest.mark.parametrize("description", [None, 3, ["text"]])
def test_non_text_description_is_rejected(description):
    expected = f"Objective.description must be text, got {type(description).__name__}"
    with pytest.raises(pq.InvalidFrameworkError, match=f"^{re.escape(expected)}$"):
        pq.Objective("o", "O", description)


# --------------------------------------------------------------------------
# Levels and dimensions.


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("3", "Level.score must be a number, got '3'"),
        (None, "Level.score must be a number, got None"),
        (True, "Level.score must be a number, got True"),
        (False, "Level.score must be a number, got False"),
        (np.bool_(True), "Level.score must be a number, got np.True_"),
        (3 + 0j, "Level.score must be a number, got (3+0j)"),
        (float("nan"), "Level.score must be a finite number, got nan"),
        (float("inf"), "Level.score must be a finite number, got inf"),
        (-float("inf"), "Level.score must be a finite number, got -inf"),
        (np.float64("nan"), "Level.score must be a finite number, got nan"),
    ],
)
def test_level_score_must_be_a_finite_number(score, message):
    with pytest.raises(pq.InvalidFrameworkError, match=f"^{re.escape(message)}$"):
        pq.Level(score, "Label")


@pytest.mark.parametrize(
    ("score", "expected"), [(3, 3), (2.5, 2.5), (np.int64(4), 4), (np.float32(0.5), 0.5), (-1, -1)]
)
def test_level_score_numbers_are_plain_python_numbers(score, expected):
    level = pq.Level(score, "Label")
    assert level.score == expected
    assert type(level.score) in (int, float)


def test_level_score_too_large_for_a_float_is_rejected():
    with pytest.raises(pq.InvalidFrameworkError, match=r"Level\.score"):
        pq.Level(10**400, "Huge")


def test_dimension_needs_levels():
    with pytest.raises(pq.InvalidFrameworkError, match=r"^Dimension 'AS' must have at least one level$"):
        pq.Dimension("AS", "Audience scope", [])


def test_dimension_levels_must_be_level_objects():
    with pytest.raises(
        pq.InvalidFrameworkError, match=r"^Dimension 'AS': levels must be Level objects, got 5$"
    ):
        pq.Dimension("AS", "Audience scope", [pq.Level(1, "One"), 5])


@pytest.mark.parametrize(("first", "second", "shown"), [(3, 3, "3"), (3, 3.0, "3.0"), (1.5, 1.5, "1.5")])
def test_duplicate_level_scores_are_rejected(first, second, shown):
    with pytest.raises(
        pq.InvalidFrameworkError, match=rf"^duplicate score of dimension 'MI' {re.escape(shown)}$"
    ):
        pq.Dimension("MI", "Measures", [pq.Level(first, "A"), pq.Level(second, "B")])


def test_ambiguous_level_names_are_rejected():
    with pytest.raises(
        pq.InvalidFrameworkError, match=r"the name 'ＬＯＷ' is ambiguous among the levels of dimension 'MI'"
    ):
        pq.Dimension("MI", "Measures", [pq.Level(1, "low"), pq.Level(2, "High", aliases=["ＬＯＷ"])])


@pytest.mark.parametrize("unit", ["clause", "", None, "Unit", "documents"])
def test_bad_unit_is_rejected(unit):
    expected = f"Dimension 'AS': unit must be one of document, unit, got {unit!r}"
    with pytest.raises(pq.InvalidFrameworkError, match=f"^{re.escape(expected)}$"):
        pq.Dimension("AS", "Audience scope", levels(), unit=unit)


def test_dimension_properties():
    dim = pq.Dimension("AS", "Audience scope", [pq.Level(3, "Some"), pq.Level(5, "All"), pq.Level(1, "One")])
    assert dim.scores == (3, 5, 1)
    assert (dim.min_score, dim.max_score) == (1, 5)
    assert dim.unit == "unit"
    assert dim.describe_levels() == "3 (Some), 5 (All), 1 (One)"
    assert pq.Dimension("DA", "Authority", levels(), unit="document").unit == "document"


# --------------------------------------------------------------------------
# Frameworks.


def test_duplicate_family_key_is_rejected():
    families = [pq.InstrumentFamily("soft", "Soft"), pq.InstrumentFamily("soft", "Other")]
    with pytest.raises(pq.InvalidFrameworkError, match=r"^duplicate family key in framework 'demo' 'soft'$"):
        small_framework(families=families, instruments=[])


def test_duplicate_instrument_key_is_rejected():
    instruments = [
        pq.Instrument("info", "Information", family="soft"),
        pq.Instrument("info", "Info 2", family="hard"),
    ]
    with pytest.raises(
        pq.InvalidFrameworkError, match=r"^duplicate instrument key in framework 'demo' 'info'$"
    ):
        small_framework(instruments=instruments)


def test_duplicate_objective_key_is_rejected():
    objectives = [
        pq.Objective("safety", "Safety"),
        pq.Objective("growth", "Growth"),
        pq.Objective("safety", "Other"),
    ]
    with pytest.raises(
        pq.InvalidFrameworkError, match=r"^duplicate objective key in framework 'demo' 'safety'$"
    ):
        small_framework(objectives=objectives)


def test_instrument_of_unknown_family_is_rejected():
    instruments = [pq.Instrument("tax", "Taxes", family="mixed")]
    expected = (
        "Framework 'demo': instrument 'tax' names family 'mixed', which the framework does not hold; "
        "families: soft, hard"
    )
    with pytest.raises(pq.InvalidFrameworkError, match=f"^{re.escape(expected)}$"):
        small_framework(instruments=instruments)


def test_instrument_without_any_family_is_rejected():
    with pytest.raises(pq.InvalidFrameworkError, match=r"families: \(none\)$"):
        pq.Framework("demo", "Demo", instruments=[pq.Instrument("tax", "Taxes", family="mixed")])


@pytest.mark.parametrize(
    ("instruments", "name", "first", "second"),
    [
        # two instruments with the same label, in different case and width
        (
            [pq.Instrument("a", "Grants", family="soft"), pq.Instrument("b", "ＧＲＡＮＴＳ", family="soft")],
            "ＧＲＡＮＴＳ",
            "a",
            "b",
        ),
        # an alias of one is the label of the other
        (
            [
                pq.Instrument("a", "Grants", family="soft"),
                pq.Instrument("b", "Loans", family="soft", aliases=["grants"]),
            ],
            "grants",
            "a",
            "b",
        ),
        # a Chinese label of one is the alias of the other
        (
            [
                pq.Instrument("a", "Grants", family="soft", labels={"zh": "补贴"}),
                pq.Instrument("b", "Loans", family="soft", aliases=["补贴"]),
            ],
            "补贴",
            "a",
            "b",
        ),
        # the key of one is the alias of the other
        (
            [
                pq.Instrument("a", "Grants", family="soft"),
                pq.Instrument("b", "Loans", family="soft", aliases=["A"]),
            ],
            "A",
            "a",
            "b",
        ),
    ],
    ids=["label-label", "label-alias", "zh-alias", "key-alias"],
)
def test_ambiguous_instrument_names_are_rejected(instruments, name, first, second):
    expected = (
        f"the name {name!r} is ambiguous among the instrument names of framework 'demo': "
        f"it names both {first!r} and {second!r}"
    )
    with pytest.raises(pq.InvalidFrameworkError, match=f"^{re.escape(expected)}"):
        small_framework(instruments=instruments)


def test_ambiguous_objective_and_family_names_are_rejected():
    with pytest.raises(
        pq.InvalidFrameworkError, match=r"ambiguous among the objective names of framework 'demo'"
    ):
        small_framework(
            objectives=[pq.Objective("a", "Safety"), pq.Objective("b", "Security", aliases=["safety "])]
        )
    with pytest.raises(
        pq.InvalidFrameworkError, match=r"ambiguous among the family names of framework 'demo'"
    ):
        small_framework(
            families=[pq.InstrumentFamily("a", "Soft"), pq.InstrumentFamily("b", "soft")], instruments=[]
        )


def test_a_name_repeated_by_one_item_or_shared_across_parts_is_fine():
    framework = small_framework(
        families=[pq.InstrumentFamily("soft", "Soft"), pq.InstrumentFamily("hard", "Hard")],
        instruments=[pq.Instrument("info", "Information", family="soft", aliases=["INFO", "information"])],
        objectives=[pq.Objective("soft", "Soft")],  # same name as a family: different part
    )
    assert framework.resolve("instrument", "info") == "info"
    assert framework.resolve("objective", "Soft") == "soft"
    assert framework.resolve("family", "Soft") == "soft"


@pytest.mark.parametrize(
    ("scale", "kind"),
    [
        ("DA * (AS + MI)", "str"),
        ({"DA": 1}, "dict"),
        (pq.Dimension("DA", "A", [pq.Level(1, "x")]), "Dimension"),
    ],
)
def test_framework_scale_must_be_an_efficacy_scale(scale, kind):
    expected = f"Framework 'demo': scale must be an EfficacyScale or None, got {kind}"
    with pytest.raises(pq.InvalidFrameworkError, match=f"^{re.escape(expected)}$"):
        small_framework(scale=scale)


def test_framework_scale_may_be_a_formula_object_only_if_it_is_a_scale():
    formula = pq.formula.Formula("a", variables=["a"])
    with pytest.raises(pq.InvalidFrameworkError, match=r"got Formula$"):
        small_framework(scale=formula)


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [
        ("families", [pq.Objective("o", "O")], "InstrumentFamily"),
        ("instruments", [pq.InstrumentFamily("f", "F")], "Instrument"),
        ("objectives", ["safety"], "Objective"),
    ],
)
def test_framework_parts_must_hold_their_own_type(field, value, kind):
    with pytest.raises(
        pq.InvalidFrameworkError, match=rf"^expected {kind} objects, got {re.escape(repr(value[0]))}$"
    ):
        pq.Framework("demo", "Demo", **{field: value})


@pytest.mark.parametrize("field", ["citation", "version"])
def test_framework_citation_and_version_must_be_text(field):
    with pytest.raises(
        pq.InvalidFrameworkError, match=rf"^Framework\.{field} must be text or None, got float$"
    ):
        pq.Framework("demo", "Demo", **{field: 1.0})


def test_framework_parts_default_to_empty_and_accept_none():
    framework = pq.Framework("demo", "Demo", families=None, instruments=None, objectives=None)
    assert (framework.families, framework.instruments, framework.objectives, framework.scale) == (
        (),
        (),
        (),
        None,
    )
    assert framework.parts == ()


def test_framework_converts_lists_and_generators_to_tuples():
    framework = small_framework(objectives=(pq.Objective(k, k.title()) for k in ["a", "b"]))
    assert isinstance(framework.families, tuple)
    assert framework.objective_keys == ("a", "b")
    assert framework.instrument_keys == ("info", "law")
    assert framework.family_keys == ("soft", "hard")


# --------------------------------------------------------------------------
# Immutability, hashing, pickling.


def _instances():
    scale = pq.FormulaScale([pq.Dimension("a", "A", levels())], "a * 2", name="double")
    return [
        (pq.InstrumentFamily("f", "F"), "key", "g"),
        (pq.Instrument("i", "I", family="f"), "family", "g"),
        (pq.Objective("o", "O"), "label", "P"),
        (pq.Level(1, "One"), "score", 2),
        (pq.Dimension("a", "A", levels()), "levels", ()),
        (scale, "formula", "a * 3"),
        (small_framework(scale=scale), "name", "other"),
        (pq.formula.Formula("a + 1", variables=["a"]), "text", "a"),
    ]


@pytest.mark.parametrize(("obj", "field", "value"), _instances(), ids=lambda x: type(x).__name__)
def test_model_objects_are_frozen(obj, field, value):
    before = getattr(obj, field)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(obj, field, value)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        delattr(obj, field)
    assert getattr(obj, field) == before


def test_evolve_revalidates():
    family = pq.InstrumentFamily("soft", "Soft")
    assert attrs.evolve(family, label="Softer").label == "Softer"
    with pytest.raises(pq.InvalidFrameworkError, match=r"^InstrumentFamily\.key must not be empty$"):
        attrs.evolve(family, key="")
    framework = small_framework()
    with pytest.raises(
        pq.InvalidFrameworkError, match="names family 'soft', which the framework does not hold"
    ):
        attrs.evolve(framework, families=[pq.InstrumentFamily("hard", "Hard")])


def test_model_objects_are_hashable_and_compare_by_value():
    a = pq.Instrument("i", "I", family="f", labels={"zh": "甲"}, aliases=["x"])
    b = pq.Instrument("i", "I", family="f", labels=LabelMap({"zh": "甲"}), aliases=("x",))
    c = pq.Instrument("i", "I", family="f", labels={"zh": "乙"}, aliases=["x"])
    assert a == b
    assert hash(a) == hash(b)
    assert a != c
    assert len({a, b, c}) == 2
    assert hash(small_framework()) == hash(small_framework())


def test_label_map_behaviour():
    labels = LabelMap({"zh": "标准规范", "en": "Standards"})
    assert labels["zh"] == "标准规范"
    assert labels.get("fr") is None
    assert len(labels) == 2
    assert list(labels) == ["en", "zh"]  # sorted by language
    with pytest.raises(KeyError):
        labels["fr"]
    with pytest.raises(TypeError):
        labels["fr"] = "Normes"  # type: ignore[index]
    assert repr(labels) == "LabelMap({'en': 'Standards', 'zh': '标准规范'})"


def test_label_map_is_hashable_and_equals_dicts():
    a = LabelMap({"zh": "标准规范", "en": "Standards"})
    b = LabelMap([("en", "Standards"), ("zh", "标准规范")])
    assert a == b
    assert hash(a) == hash(b)
    assert {a: 1}[b] == 1
    assert a == {"en": "Standards", "zh": "标准规范"}
    assert {"en": "Standards", "zh": "标准规范"} == a  # noqa: SIM300 - the reflected comparison
    assert a != {"en": "Standards"}
    assert a != {"en": "Standards", "zh": "标准"}
    assert a != [("en", "Standards"), ("zh", "标准规范")]
    assert a != "zh"
    assert LabelMap() == {}


def test_label_map_pickles():
    labels = LabelMap({"zh": "标准规范", "en": "Standards"})
    copy = pickle.loads(pickle.dumps(labels))
    assert type(copy) is LabelMap
    assert copy == labels
    assert hash(copy) == hash(labels)
    assert copy["zh"] == "标准规范"


@pytest.mark.parametrize("name", ["wang2026", "howlett-ramesh-1995"])
def test_builtin_frameworks_pickle_round_trip(name):
    framework = pq.get_framework(name)
    copy = pickle.loads(pickle.dumps(framework))
    assert copy == framework
    assert copy is not framework
    assert copy.name_lookup("instrument") == framework.name_lookup("instrument")
    assert copy.codebook().equals(framework.codebook())


def test_formula_scale_pickle_round_trip(wang):
    scale = wang.scale
    copy = pickle.loads(pickle.dumps(scale))
    assert copy == scale
    assert isinstance(copy, pq.FormulaScale)
    assert (copy.min_score, copy.max_score) == (2.0, 50.0)
    frame = pd.DataFrame({"DA": [5, 2], "AS": ["3", "单一部门、领域或场景"], "MI": [1, 5]})
    pd.testing.assert_series_equal(copy.score(frame), scale.score(frame))


# --------------------------------------------------------------------------
# Lookups.


@pytest.mark.parametrize(
    ("part", "name", "key"),
    [
        ("instrument", "standards_and_norms", "standards_and_norms"),
        ("instrument", "STANDARDS_AND_NORMS", "standards_and_norms"),
        ("instrument", "Standards and Norms", "standards_and_norms"),
        ("instrument", "  standards   AND\tnorms \n", "standards_and_norms"),
        ("instrument", "ＳＴＡＮＤＡＲＤＳ　＆　ＮＯＲＭＳ", "standards_and_norms"),
        ("instrument", "Standards & norms", "standards_and_norms"),
        ("instrument", "标准规范", "standards_and_norms"),
        ("instrument", " 标准规范 ", "standards_and_norms"),
        ("instrument", "监督评估", "assessment_and_supervision"),
        ("instrument", "Organisational support", "organizational_support"),
        ("instrument", "Pilots & demonstrations", "pilots_and_demonstrations"),
        ("instrument", "Product r&d", "product_development"),
        ("instrument", "财政税收", "fiscal_and_tax_incentives"),
        ("objective", "公共安全与利益", "public_safety"),
        ("objective", "Tech innovation & development", "tech_innovation"),
        ("objective", "individual RIGHTS protection", "rights_protection"),
        ("objective", "应用场景", "application_scenarios"),
        ("family", "强制型", "mandatory"),
        ("family", "MIXED", "mixed"),
        ("family", "Ｖｏｌｕｎｔａｒｙ", "voluntary"),
    ],
)
def test_resolve_accepts_every_spelling(wang, part, name, key):
    assert wang.resolve(part, name) == key
    assert wang.get(part, name).key == key


def test_get_returns_the_item(wang):
    item = wang.get("instrument", "试点示范")
    assert isinstance(item, pq.Instrument)
    assert (item.key, item.label, item.family) == (
        "pilots_and_demonstrations",
        "Pilot and Demonstration",
        "mixed",
    )
    assert wang.get("objective", "公共安全与利益").label == "Public Safety and Interests"
    assert isinstance(wang.get("family", "mixed"), pq.InstrumentFamily)


@pytest.mark.parametrize(
    ("instrument", "family"),
    [
        ("Pilots & demonstrations", "mixed"),
        ("标准规范", "mandatory"),
        ("service_operations", "voluntary"),
        ("Publicity", "mixed"),
    ],
)
def test_family_of(wang, instrument, family):
    result = wang.family_of(instrument)
    assert isinstance(result, pq.InstrumentFamily)
    assert result.key == family


def test_family_of_classic(classic):
    assert classic.family_of("Regulation").key == "compulsory"
    assert classic.family_of("补贴").key == "mixed"
    with pytest.raises(
        pq.UnknownCategoryError, match=r"^'Nudges' is not an instrument of framework 'howlett-ramesh-1995'"
    ):
        classic.family_of("Nudges")


def test_unknown_name_suggests_the_closest(wang):
    with pytest.raises(
        pq.UnknownCategoryError, match=r"^'Standard and norm' is not an instrument of framework 'wang2026'"
    ) as info:
        wang.resolve("instrument", "Standard and norm")
    error = info.value
    assert isinstance(error, pq.ValidationError)
    assert isinstance(error, LookupError)
    assert len(error.problems) == 1
    problem = error.problems.iloc[0]
    assert problem["value"] == "Standard and norm"
    assert problem["problem"] == "unknown instrument"
    assert problem["expected"].startswith("one of standards_and_norms, infrastructure, ")
    assert "standards_and_norms" in problem["suggestions"]
    assert "did you mean" in str(error)


def test_unknown_objective_and_family(wang):
    with pytest.raises(
        pq.UnknownCategoryError, match=r"^'publik safety' is not an objective of framework 'wang2026'"
    ) as info:
        wang.resolve("objective", "publik safety")
    assert "public_safety" in info.value.problems.loc[0, "suggestions"]
    with pytest.raises(
        pq.UnknownCategoryError, match=r"^'zzzz' is not a family of framework 'wang2026'"
    ) as info:
        wang.get("family", "zzzz")
    problem = info.value.problems.iloc[0]
    assert problem["expected"] == "one of mandatory, voluntary, mixed"
    assert problem["suggestions"] is None


@pytest.mark.parametrize("name", [3, None, 4.5, ("标准规范",)])
def test_resolve_non_text_is_unknown(wang, name):
    with pytest.raises(pq.UnknownCategoryError, match=rf"^{re.escape(repr(name))} is not an instrument"):
        wang.resolve("instrument", name)


def test_resolve_in_an_empty_part(classic):
    with pytest.raises(pq.UnknownCategoryError, match=r"expected one of \(none\)"):
        classic.resolve("objective", "safety")


@pytest.mark.parametrize("method", ["resolve", "get"])
def test_unknown_part_is_a_value_error(wang, method):
    with pytest.raises(
        ValueError, match=r"^part must be one of family, instrument, objective, level; got 'instruments'$"
    ):
        getattr(wang, method)("instruments", "标准规范")
    with pytest.raises(ValueError, match=r"got 'levels'$"):
        wang.name_lookup("levels")


def test_name_lookup(wang):
    lookup = wang.name_lookup("instrument")
    assert lookup["标准规范"] == "standards_and_norms"
    assert lookup["standards & norms"] == "standards_and_norms"
    assert lookup["pilots_and_demonstrations"] == "pilots_and_demonstrations"
    assert "Standards and Norms" not in lookup  # keys are normalized
    assert set(lookup.values()) == set(wang.instrument_keys)
    every_name = {pq.model.normalize_name(n) for item in wang.instruments for n in item.names()}
    assert set(lookup) == every_name
    # A copy: changing it does not change the framework.
    lookup["标准规范"] = "infrastructure"
    assert wang.resolve("instrument", "标准规范") == "standards_and_norms"
    assert wang.name_lookup("family") == {
        "mandatory": "mandatory", "强制型": "mandatory",
        "voluntary": "voluntary", "自愿型": "voluntary",
        "mixed": "mixed", "混合型": "mixed",
    }  # fmt: skip


def test_names_and_label_in():
    objective = pq.Objective("safety", "Public safety", labels={"zh": "公共安全"}, aliases=("security",))
    assert objective.names() == ("safety", "Public safety", "公共安全", "security")
    assert objective.label_in("zh") == "公共安全"
    assert objective.label_in("fr") == "Public safety"
    assert objective.label_in() == "Public safety"
    level = pq.Level(1, "Working documents", labels={"zh": "工作文件"}, aliases=["WD"])
    assert level.names() == ("Working documents", "工作文件", "WD")
    assert level.label_in("zh") == "工作文件"


# --------------------------------------------------------------------------
# Codebook, parts, summary.

CODEBOOK_COLUMNS = ["part", "key", "label", "parent", "score", "unit", "description", "aliases", "label_zh"]


def test_codebook_columns_and_counts(wang):
    book = wang.codebook()
    assert list(book.columns) == CODEBOOK_COLUMNS
    assert book["part"].value_counts().to_dict() == {
        "family": 3,
        "instrument": 16,
        "objective": 4,
        "level": 11,
    }
    assert len(book) == 34
    # parts come in order: families, instruments, objectives, levels
    assert book["part"].tolist() == ["family"] * 3 + ["instrument"] * 16 + ["objective"] * 4 + ["level"] * 11
    assert book["key"].is_unique


def test_codebook_instruments_follow_table4(wang, table4):
    book = wang.codebook()
    instruments = book[book["part"] == "instrument"]
    assert instruments["key"].tolist() == table4["instrument"].tolist()
    assert instruments["parent"].tolist() == table4["family"].tolist()


def test_codebook_descriptions_are_non_empty(wang, classic):
    for framework in (wang, classic):
        book = framework.codebook()
        assert book["description"].map(lambda text: isinstance(text, str) and bool(text.strip())).all()
        assert book["label"].map(lambda text: isinstance(text, str) and bool(text.strip())).all()


def test_codebook_rows(wang):
    book = wang.codebook().set_index("key")
    row = book.loc["standards_and_norms"]
    assert (row["label"], row["parent"], row["label_zh"]) == ("Standards and Norms", "mandatory", "标准规范")
    assert row["aliases"] == "Standards & norms; Standards; Norms"
    assert pd.isna(row["score"])
    assert pd.isna(row["unit"])
    assert pd.isna(book.loc["mandatory", "parent"])
    assert book.loc["public_safety", "label_zh"] == "公共安全与利益"
    level = book.loc["DA=3"]
    assert (level["part"], level["label"], level["parent"], level["score"], level["unit"]) == (
        "level", "Departmental rules", "DA", 3, "document",
    )  # fmt: skip
    assert book.loc["MI=1", "unit"] == "unit"
    assert book["score"].dtype == "Float64"
    levels_ = book[book["part"] == "level"]
    assert levels_.index.tolist() == [
        "DA=5", "DA=4", "DA=3", "DA=2", "DA=1", "AS=5", "AS=3", "AS=1", "MI=5", "MI=3", "MI=1",
    ]  # fmt: skip
    assert levels_["score"].tolist() == [5, 4, 3, 2, 1, 5, 3, 1, 5, 3, 1]
    assert levels_["parent"].tolist() == ["DA"] * 5 + ["AS"] * 3 + ["MI"] * 3


def test_codebook_in_chinese(wang):
    english = wang.codebook()
    chinese = wang.codebook(language="zh")
    assert list(chinese.columns) == CODEBOOK_COLUMNS
    assert chinese["label"].tolist() == chinese["label_zh"].tolist()
    assert chinese["label_zh"].tolist() == english["label_zh"].tolist()
    assert (chinese["label"] != english["label"]).all()
    keyed = chinese.set_index("key")["label"]
    assert keyed["standards_and_norms"] == "标准规范"
    assert keyed["DA=3"] == "部门规章"
    assert keyed["mixed"] == "混合型"
    # an unknown language falls back to the default labels
    assert wang.codebook(language="fr")["label"].tolist() == english["label"].tolist()


def test_codebook_of_a_taxonomy_and_of_an_empty_framework(classic):
    book = classic.codebook()
    assert list(book.columns) == CODEBOOK_COLUMNS
    assert book["part"].value_counts().to_dict() == {"instrument": 10, "family": 3}
    assert book["score"].isna().all()
    empty = pq.Framework("empty", "Nothing").codebook()
    assert empty.empty
    assert list(empty.columns) == CODEBOOK_COLUMNS[:-1]


def test_codebook_language_columns_are_sorted():
    framework = small_framework(
        objectives=[pq.Objective("safety", "Safety", labels={"zh": "安全", "de": "Sicherheit"})]
    )
    book = framework.codebook()
    assert list(book.columns)[-2:] == ["label_de", "label_zh"]
    assert book.set_index("key").loc["safety", "label_de"] == "Sicherheit"
    assert pd.isna(book.set_index("key").loc["info", "label_zh"])
    assert book.set_index("key").loc["law", "label_zh"] == "管制"


def test_parts(wang, classic):
    scale = pq.FormulaScale([pq.Dimension("a", "A", levels())], "a")
    assert wang.parts == ("instruments", "objectives", "scale")
    assert classic.parts == ("instruments",)
    assert pq.Framework("index", "Index only", scale=scale).parts == ("scale",)
    assert pq.Framework("goals", "Goals", objectives=[pq.Objective("o", "O")]).parts == ("objectives",)
    # families alone are not a part
    assert pq.Framework("fam", "Families", families=[pq.InstrumentFamily("f", "F")]).parts == ()


def test_summary(wang, classic):
    assert wang.summary() == (
        "wang2026: Policy instruments, objectives and efficacy of generative AI regulation in China\n"
        "  families: 3 (mandatory, voluntary, mixed)\n"
        "  instruments: 16\n"
        "  objectives: 4 (rights_protection, public_safety, tech_innovation, application_scenarios)\n"
        "  scale: APE = DA * (AS + MI), from 2 to 50"
    )
    assert classic.summary() == (
        "howlett-ramesh-1995: Howlett and Ramesh's policy instruments (1995)\n"
        "  families: 3 (voluntary, mixed, compulsory)\n"
        "  instruments: 10"
    )
    assert pq.Framework("empty", "Nothing").summary() == "empty: Nothing"
    scale = pq.FormulaScale([pq.Dimension("a", "A", [pq.Level(0.5, "x"), pq.Level(2, "y")])], "a / 4")
    assert (
        pq.Framework("idx", "Index", scale=scale).summary()
        == "idx: Index\n  scale: score = a / 4, from 0.125 to 0.5"
    )


# --------------------------------------------------------------------------
# The built-in frameworks against the study.


def test_registry_returns_the_factory_frameworks(wang, classic):
    assert wang == wang2026()
    assert classic == howlett_ramesh_1995()


def test_wang2026_families_and_instruments(wang, table4):
    assert wang.family_keys == ("mandatory", "voluntary", "mixed")
    assert wang.family_keys == tuple(table4["family"].drop_duplicates())
    assert wang.instrument_keys == tuple(table4["instrument"])
    assert len(wang.instruments) == 16
    assert [i.family for i in wang.instruments] == table4["family"].tolist()
    assert table4.groupby("family", sort=False).size().to_dict() == {
        "mandatory": 5,
        "voluntary": 4,
        "mixed": 7,
    }
    assert all(i.labels.get("zh") for i in wang.instruments)
    assert wang.citation is not None and "10.71113/JCSIS.v3i1.509" in wang.citation


def test_wang2026_objectives(wang, table4):
    keys = ("rights_protection", "public_safety", "tech_innovation", "application_scenarios")
    assert wang.objective_keys == keys
    assert tuple(c for c in table4.columns if c not in ("family", "instrument", "total")) == keys
    assert [o.label for o in wang.objectives] == [
        "Statutory Rights Protection",
        "Public Safety and Interests",
        "Technological Security and Innovation",
        "Application Scenario Improvement",
    ]


def test_wang2026_scale(wang):
    scale = wang.scale
    assert isinstance(scale, pq.FormulaScale)
    assert (scale.name, scale.formula) == ("APE", "DA * (AS + MI)")
    assert scale.dimension_keys == ("DA", "AS", "MI")
    da, as_, mi = scale.dimensions
    assert (da.unit, da.scores) == ("document", (5, 4, 3, 2, 1))
    assert (as_.unit, as_.scores) == ("unit", (5, 3, 1))
    assert (mi.unit, mi.scores) == ("unit", (5, 3, 1))
    assert [d.key for d in scale.dimensions_for("document")] == ["DA"]
    assert [d.key for d in scale.dimensions_for("unit")] == ["AS", "MI"]
    assert (scale.min_score, scale.max_score) == (2.0, 50.0)


def test_wang2026_authority_levels_follow_table3(wang):
    if not SEED_TEXT.exists():
        pytest.skip(f"the study's text is not available at {SEED_TEXT}")
    rows = [
        line.split("\t")
        for line in SEED_TEXT.read_text(encoding="utf-8").splitlines()
        if line.startswith("Authority Strength\t")
    ]
    assert len(rows) == 5
    authority = wang.scale.dimension("DA")
    for _, standard, score in rows:
        assert authority.level(standard).score == int(score)


def test_howlett_ramesh_1995(classic):
    assert classic.family_keys == ("voluntary", "mixed", "compulsory")
    assert len(classic.instruments) == 10
    by_family = pd.Series([i.family for i in classic.instruments]).value_counts().to_dict()
    assert by_family == {"voluntary": 3, "mixed": 4, "compulsory": 3}
    assert classic.scale is None
    assert classic.objectives == ()
    assert classic.instrument_keys[0] == "family_and_community"
    assert classic.instrument_keys[-1] == "direct_provision"
