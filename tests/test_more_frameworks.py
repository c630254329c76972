"""Tests of the built-in frameworks of :mod:`policyquant.frameworks.peng2008` and :mod:`policyquant.frameworks.classic`.

Every framework is checked for construction, unique keys, Chinese labels,
citations, codebooks and name resolution; ``peng2008``'s scale for its bounds
and formula; :func:`~policyquant.frameworks.peng2008.yearly_efficacy` against
plain pandas computations; and the plugins in a fresh registry.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.frameworks import classic, peng2008
from policyquant.frameworks.classic import (
    CAP_CODES,
    cap_major_topics,
    hood_nato,
    mcdonnell_elmore_1987,
    rothwell_zegveld_1985,
    schneider_ingram_1990,
)
from policyquant.frameworks.peng2008 import PENG2008_SCALE, policy_efficacy, yearly_efficacy
from policyquant.model import level_combinations
from policyquant.plugins import DEFAULT_PLUGINS, FrameworkRegistry

NEW_PLUGINS = ("policyquant.frameworks.peng2008", "policyquant.frameworks.classic")
NEW_NAMES = {
    "peng2008": "policyquant.frameworks.peng2008",
    "rothwell-zegveld-1985": "policyquant.frameworks.classic",
    "hood-nato": "policyquant.frameworks.classic",
    "schneider-ingram-1990": "policyquant.frameworks.classic",
    "mcdonnell-elmore-1987": "policyquant.frameworks.classic",
    "cap-major-topics": "policyquant.frameworks.classic",
}
BUILDERS = {
    "peng2008": peng2008.peng2008,
    "rothwell-zegveld-1985": rothwell_zegveld_1985,
    "hood-nato": hood_nato,
    "schneider-ingram-1990": schneider_ingram_1990,
    "mcdonnell-elmore-1987": mcdonnell_elmore_1987,
    "cap-major-topics": cap_major_topics,
}
TAXONOMIES = [name for name in BUILDERS if name != "peng2008"]
FLAT = ["hood-nato", "schneider-ingram-1990", "mcdonnell-elmore-1987"]
PARTS = (("family", "families"), ("instrument", "instruments"), ("objective", "objectives"))


def _plugins() -> tuple[str, ...]:
    # DEFAULT_PLUGINS + the new modules, without repeating a module once they are
    # listed there too (registering a module twice is an error).
    return tuple(dict.fromkeys(DEFAULT_PLUGINS + NEW_PLUGINS))


@pytest.fixture(scope="module")
def registry() -> FrameworkRegistry:
    return FrameworkRegistry(default_plugins=_plugins(), entry_point_group=None)


def _items(framework: pq.Framework):
    for part, attribute in PARTS:
        for item in getattr(framework, attribute):
            yield part, item


# --------------------------------------------------------------------------
# Every framework.


@pytest.mark.parametrize("name", list(BUILDERS))
def test_constructs_with_its_name_citation_and_version(name):
    framework = BUILDERS[name]()
    assert isinstance(framework, pq.Framework)
    assert framework.name == name
    assert framework.citation and len(framework.citation) > 40
    assert framework.version
    assert framework.description
    assert framework == BUILDERS[name]()  # built the same every time


@pytest.mark.parametrize("name", list(BUILDERS))
def test_keys_are_unique(name):
    framework = BUILDERS[name]()
    for keys in (framework.family_keys, framework.instrument_keys, framework.objective_keys):
        assert len(set(keys)) == len(keys)
    if framework.scale is not None:
        assert len(set(framework.scale.dimension_keys)) == len(framework.scale.dimension_keys)


@pytest.mark.parametrize("name", list(BUILDERS))
def test_every_item_has_a_chinese_label_and_a_description(name):
    framework = BUILDERS[name]()
    for part, item in _items(framework):
        assert item.labels.get("zh", "").strip(), (part, item.key)
        assert item.description.strip(), (part, item.key)
        assert item.label_in("zh") != item.label
    if framework.scale is not None:
        for dimension in framework.scale.dimensions:
            assert dimension.labels.get("zh"), dimension.key
            assert dimension.description
            for level in dimension.levels:
                assert level.labels.get("zh"), (dimension.key, level.score)
                assert level.description


@pytest.mark.parametrize("name", TAXONOMIES)
def test_resolve_by_key_english_and_chinese_label(name):
    framework = BUILDERS[name]()
    items = list(_items(framework))
    assert items
    for part, item in items:
        assert framework.resolve(part, item.key) == item.key
        assert framework.resolve(part, item.label) == item.key
        assert framework.resolve(part, item.labels["zh"]) == item.key
        assert framework.resolve(part, f"  {item.label.upper()} ") == item.key
        for alias in getattr(item, "aliases", ()):
            assert framework.resolve(part, alias) == item.key


@pytest.mark.parametrize("name", list(BUILDERS))
def test_codebook_renders_in_english_and_chinese(name):
    framework = BUILDERS[name]()
    book = framework.codebook()
    chinese = framework.codebook("zh")
    levels = sum(len(d.levels) for d in framework.scale.dimensions) if framework.scale else 0
    expected = len(framework.families) + len(framework.instruments) + len(framework.objectives) + levels
    assert len(book) == len(chinese) == expected
    assert "label_zh" in book.columns
    assert book["label_zh"].notna().all()
    assert chinese["label"].tolist() == book["label_zh"].tolist()
    assert book["description"].str.len().gt(0).all()
    assert framework.summary().startswith(f"{name}: ")


def test_instruments_name_families_of_the_framework():
    for name in TAXONOMIES:
        framework = BUILDERS[name]()
        assert {i.family for i in framework.instruments} == set(framework.family_keys)


# --------------------------------------------------------------------------
# The taxonomies one by one.


def test_rothwell_zegveld_families_and_sub_tools():
    framework = rothwell_zegveld_1985()
    assert framework.parts == ("instruments",)
    assert framework.family_keys == ("supply", "environmental", "demand")
    assert [f.labels["zh"] for f in framework.families] == ["供给型", "环境型", "需求型"]
    by_family = {f: [i.key for i in framework.instruments if i.family == f] for f in framework.family_keys}
    assert by_family == {
        "supply": [
            "talent_cultivation",
            "information_support",
            "technical_support",
            "fiscal_investment",
            "public_services",
        ],
        "environmental": [
            "goal_planning",
            "financial_support",
            "tax_incentives",
            "regulation_and_control",
            "strategic_measures",
        ],
        "demand": ["government_procurement", "service_outsourcing", "trade_control", "overseas_institutions"],
    }
    assert framework.resolve("instrument", "基础设施建设") == "public_services"
    assert framework.family_of("法规管制").key == "environmental"


@pytest.mark.parametrize("name", FLAT)
def test_flat_taxonomies_have_one_instrument_per_family(name):
    framework = BUILDERS[name]()
    assert framework.parts == ("instruments",)
    assert framework.instrument_keys == framework.family_keys
    for family, instrument in zip(framework.families, framework.instruments, strict=True):
        assert instrument.family == family.key
        assert (instrument.label, instrument.labels, instrument.description) == (
            family.label,
            family.labels,
            family.description,
        )
        assert framework.family_of(instrument.labels["zh"]) == family


def test_flat_taxonomies_categories():
    assert hood_nato().family_keys == ("nodality", "authority", "treasure", "organisation")
    assert schneider_ingram_1990().family_keys == (
        "authority",
        "incentive",
        "capacity",
        "symbolic_hortatory",
        "learning",
    )
    assert mcdonnell_elmore_1987().family_keys == (
        "mandates",
        "inducements",
        "capacity_building",
        "system_changing",
    )
    assert hood_nato().resolve("instrument", "information") == "nodality"
    assert schneider_ingram_1990().resolve("instrument", "Hortatory tools") == "symbolic_hortatory"


def test_cap_major_topics_codes_and_keys():
    framework = cap_major_topics()
    assert framework.parts == ("objectives",)
    assert framework.families == framework.instruments == ()
    codes = [*range(1, 11), *range(12, 22), 23]
    assert list(CAP_CODES.values()) == codes
    assert list(CAP_CODES) == list(framework.objective_keys)
    assert framework.objective_keys == (
        "macroeconomics",
        "civil_rights",
        "health",
        "agriculture",
        "labor",
        "education",
        "environment",
        "energy",
        "immigration",
        "transportation",
        "law_and_crime",
        "social_welfare",
        "housing",
        "domestic_commerce",
        "defense",
        "technology",
        "foreign_trade",
        "international_affairs",
        "government_operations",
        "public_lands",
        "culture",
    )
    for key, code in CAP_CODES.items():
        assert framework.resolve("objective", str(code)) == key
        assert framework.resolve("objective", f"CAP {code}") == key
    for code in (11, 22, 99):
        with pytest.raises(pq.UnknownCategoryError):
            framework.resolve("objective", str(code))
    assert framework.resolve("objective", "Labour") == "labor"
    assert framework.resolve("objective", "Space, Science, Technology, and Communications") == "technology"


def test_cap_topics_code_a_corpus_by_code_and_chinese_label():
    units = pd.DataFrame(
        {
            "unit_id": ["D1-1-1", "D1-1-2", "D2-1-1"],
            "objectives": ["3; 7", "教育", "Culture | 21"],
        }
    )
    corpus = pq.Corpus(None, units, framework=cap_major_topics())
    assert corpus.units["objectives"].tolist() == [
        ("health", "environment"),
        ("education",),
        ("public_lands", "culture"),
    ]
    assert len(corpus.codings) == 5


def test_taxonomy_codes_a_corpus_by_chinese_instrument_names():
    units = pd.DataFrame(
        {"unit_id": ["D1-1-1", "D1-1-2", "D1-2-1"], "instrument": ["人才培养", "税收优惠", "政府采购"]}
    )
    corpus = pq.Corpus(None, units, framework=rothwell_zegveld_1985())
    assert corpus.codings["family"].astype(str).tolist() == ["supply", "environmental", "demand"]


# --------------------------------------------------------------------------
# peng2008: the scale.


def test_peng2008_scale_bounds_and_dimensions():
    framework = peng2008.peng2008()
    scale = framework.scale
    assert framework.parts == ("scale",)
    assert scale is PENG2008_SCALE
    assert scale.name == "efficacy"
    assert scale.formula == "strength * (measures + goals)"
    assert scale.dimension_keys == ("strength", "measures", "goals")
    assert [d.unit for d in scale.dimensions] == ["document", "unit", "unit"]
    for dimension in scale.dimensions:
        assert sorted(dimension.scores) == [1, 2, 3, 4, 5]
    assert (scale.min_score, scale.max_score) == (2.0, 50.0)
    frame = pd.DataFrame({"strength": [1, 5, 3], "measures": [1, 5, 2], "goals": [1, 5, 4]})
    assert scale.score(frame).tolist() == [2.0, 50.0, 18.0]
    combos = level_combinations(scale)
    assert len(combos) == 125
    scores = scale.score(combos)
    assert scores.min() == 2.0 and scores.max() == 50.0


def test_peng2008_levels_by_chinese_names():
    scale = PENG2008_SCALE
    assert scale.dimension("strength").level("法律").score == 5
    assert scale.dimension("strength").level("通知、公告").score == 1
    assert scale.dimension("measures").level("措施具体、量化、力度强").score == 5
    assert scale.dimension("goals").level("目标模糊").score == 2
    frame = pd.DataFrame(
        {"strength": ["部门规章"], "measures": ["仅提及措施"], "goals": ["Clear and quantified"]}
    )
    assert scale.score(frame).tolist() == [18.0]
    with pytest.raises(pq.ScoreError):
        scale.score(pd.DataFrame({"strength": [6], "measures": [1], "goals": [1]}))


_LEVEL = st.sampled_from([1, 2, 3, 4, 5])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_LEVEL, _LEVEL, _LEVEL), min_size=1, max_size=30))
def test_peng2008_score_is_strength_times_measures_plus_goals(rows):
    frame = pd.DataFrame(rows, columns=["strength", "measures", "goals"])
    scores = PENG2008_SCALE.score(frame).to_numpy()
    expected = frame["strength"] * (frame["measures"] + frame["goals"])
    np.testing.assert_array_equal(scores, expected.to_numpy(dtype=float))
    assert ((scores >= 2) & (scores <= 50)).all()


# --------------------------------------------------------------------------
# peng2008: policy and yearly efficacy.

DOCUMENTS = pd.DataFrame(
    {
        "doc_id": ["P1", "P2", "P3", "P4", "P5", "P6"],
        "year": [2001, 2001, 2002, 2004, 2004, 2004],
        "strength": [5, 4, 3, 2, 1, "部门规章"],
    }
)
UNITS = pd.DataFrame(
    {
        "unit_id": ["P1-1-1", "P1-1-2", "P2-1-1", "P3-1-1", "P3-2-1", "P3-2-2", "P4-1-1", "P5-1-1", "P6-1-1"],
        "measures": [5, 3, 4, 1, 2, 3, 2, 1, "Specific"],
        "goals": [4, 4, 5, 1, 1, 4, 3, 1, 2],
    }
)


def _corpus(documents=DOCUMENTS, units=UNITS) -> pq.Corpus:
    return pq.Corpus(documents, units, framework=peng2008.peng2008())


def _pandas_policy_efficacy(corpus: pq.Corpus) -> pd.DataFrame:
    """Plain pandas: clause scores averaged per document, times the document's strength."""
    units = corpus.units.assign(
        measures=lambda u: u["measures"].astype(float), goals=lambda u: u["goals"].astype(float)
    )
    means = units.groupby("doc_id")[["measures", "goals"]].mean()
    documents = corpus.documents.set_index("doc_id")
    table = documents[["year", "strength"]].astype(float).join(means, how="left")
    table["efficacy"] = table["strength"] * (table["measures"] + table["goals"])
    return table


def _pandas_yearly(table: pd.DataFrame, stock: bool) -> pd.DataFrame:
    years = range(int(table["year"].min()), int(table["year"].max()) + 1)
    grouped = table.groupby(table["year"].astype(int))["efficacy"]
    policies = grouped.size().reindex(years, fill_value=0)
    total = grouped.sum().reindex(years, fill_value=0.0)
    if stock:
        policies, total = policies.cumsum(), total.cumsum()
    mean = total / policies.where(policies > 0)
    return pd.DataFrame({"policies": policies, "efficacy_total": total, "efficacy_mean": mean})


def test_policy_efficacy_averages_clauses_per_document():
    corpus = _corpus()
    table = policy_efficacy(corpus)
    expected = _pandas_policy_efficacy(corpus)
    assert list(table.columns) == ["year", "strength", "measures", "goals", "efficacy"]
    assert table.index.name == "doc_id"
    assert table.index.tolist() == DOCUMENTS["doc_id"].tolist()
    for column in ["strength", "measures", "goals", "efficacy"]:
        np.testing.assert_allclose(table[column].to_numpy(), expected[column].to_numpy())
    assert table.loc["P1", "efficacy"] == 5 * (4 + 4)
    assert table.loc["P6", "efficacy"] == 3 * (4 + 2)


def test_policy_efficacy_is_the_mean_clause_efficacy():
    corpus = _corpus()
    clause = pq.efficacy(corpus)
    by_document = clause.groupby(corpus.units.set_index("unit_id")["doc_id"]).mean()
    np.testing.assert_allclose(
        policy_efficacy(corpus)["efficacy"].to_numpy(), by_document.reindex(DOCUMENTS["doc_id"]).to_numpy()
    )


@pytest.mark.parametrize("stock", [False, True])
def test_yearly_efficacy_equals_pandas(stock):
    corpus = _corpus()
    yearly = yearly_efficacy(corpus, stock=stock)
    expected = _pandas_yearly(_pandas_policy_efficacy(corpus), stock)
    assert yearly.index.name == "year"
    assert list(yearly.index) == [2001, 2002, 2003, 2004]
    assert list(yearly.columns) == ["policies", "efficacy_total", "efficacy_mean"]
    assert yearly["policies"].dtype == np.int64
    assert yearly["policies"].tolist() == expected["policies"].tolist()
    np.testing.assert_allclose(yearly["efficacy_total"], expected["efficacy_total"])
    np.testing.assert_allclose(yearly["efficacy_mean"], expected["efficacy_mean"], equal_nan=True)


def test_yearly_efficacy_flow_and_stock_values():
    flow = yearly_efficacy(_corpus())
    stock = yearly_efficacy(_corpus(), stock=True)
    # P1 = 5*(4+4) = 40, P2 = 4*(4+5) = 36; P3 = 3*(2+2) = 12; P4 = 2*5, P5 = 1*2, P6 = 3*6.
    assert flow["efficacy_total"].tolist() == [76.0, 12.0, 0.0, 30.0]
    assert flow["policies"].tolist() == [2, 1, 0, 3]
    assert np.isnan(flow.loc[2003, "efficacy_mean"])
    assert stock["policies"].tolist() == [2, 3, 3, 6]
    assert stock["efficacy_total"].tolist() == [76.0, 88.0, 88.0, 118.0]
    assert stock["efficacy_mean"].tolist() == pytest.approx([38.0, 88 / 3, 88 / 3, 118 / 6])
    assert stock["efficacy_total"].iloc[-1] == flow["efficacy_total"].sum()


def test_whole_policy_scores_in_the_documents_table_take_precedence():
    documents = DOCUMENTS.assign(
        measures=[None, 2, None, None, None, None], goals=[None, "3", None, None, None, None]
    )
    table = policy_efficacy(_corpus(documents))
    assert table.loc["P2", ["measures", "goals", "efficacy"]].tolist() == [2.0, 3.0, 20.0]
    assert table.loc["P1", "efficacy"] == 40.0  # from its clauses


def test_whole_policy_coding_without_clause_scores():
    documents = DOCUMENTS.assign(
        measures=[5, 4, 3, 2, 1, "Fairly concrete"], goals=[5, 4, 3, 2, 1, "仅提及目标"]
    )
    units = UNITS[["unit_id"]]
    table = policy_efficacy(_corpus(documents, units))
    assert table["efficacy"].tolist() == [50.0, 32.0, 18.0, 8.0, 2.0, 12.0]
    assert yearly_efficacy(_corpus(documents, units))["efficacy_total"].tolist() == [82.0, 18.0, 0.0, 22.0]


def test_document_without_clauses_or_scores_is_an_error():
    documents = pd.concat([DOCUMENTS, pd.DataFrame({"doc_id": ["P7"], "year": [2004], "strength": [2]})])
    with pytest.raises(pq.ValidationError, match=r"1 document\(s\) have no measures or goals") as info:
        policy_efficacy(_corpus(documents.reset_index(drop=True)))
    assert info.value.problems["value"].tolist() == ["P7"]


def test_invalid_whole_policy_score_is_a_score_error():
    documents = DOCUMENTS.assign(measures=[7, None, None, None, None, None])
    with pytest.raises(pq.ScoreError, match="not a level"):
        policy_efficacy(_corpus(documents))


def test_yearly_efficacy_needs_years():
    documents = DOCUMENTS.drop(columns="year")
    with pytest.raises(pq.ValidationError, match=r"6 document\(s\) have no year"):
        yearly_efficacy(_corpus(documents))


def test_policy_efficacy_needs_strength():
    with pytest.raises(pq.ValidationError, match="strength column"):
        policy_efficacy(_corpus(DOCUMENTS.drop(columns="strength")))


def test_policy_efficacy_needs_peng_dimensions():
    with pytest.raises(pq.ValidationError, match="has no dimension"):
        policy_efficacy(pq.datasets.load_genai_china())
    units = pd.DataFrame({"unit_id": ["D1-1-1"], "instrument": ["税收优惠"]})
    with pytest.raises(pq.ValidationError, match="strength, measures and goals"):
        yearly_efficacy(pq.Corpus(None, units, framework=rothwell_zegveld_1985()))


def test_yearly_efficacy_of_an_empty_corpus():
    empty = _corpus(DOCUMENTS.iloc[:0], UNITS.iloc[:0])
    yearly = yearly_efficacy(empty)
    assert yearly.empty
    assert list(yearly.columns) == ["policies", "efficacy_total", "efficacy_mean"]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(2000, 2006),
            _LEVEL,
            st.lists(st.tuples(_LEVEL, _LEVEL), min_size=1, max_size=4),
        ),
        min_size=1,
        max_size=8,
    ),
    st.booleans(),
)
def test_yearly_efficacy_equals_pandas_on_random_corpora(policies, stock):
    documents = pd.DataFrame(
        {
            "doc_id": [f"D{i}" for i in range(len(policies))],
            "year": [year for year, _, _ in policies],
            "strength": [strength for _, strength, _ in policies],
        }
    )
    units = pd.DataFrame(
        [
            {"unit_id": f"D{i}-1-{j}", "measures": m, "goals": g}
            for i, (_, _, clauses) in enumerate(policies)
            for j, (m, g) in enumerate(clauses)
        ]
    )
    corpus = _corpus(documents, units)
    yearly = yearly_efficacy(corpus, stock=stock)
    expected = _pandas_yearly(_pandas_policy_efficacy(corpus), stock)
    assert yearly["policies"].tolist() == expected["policies"].tolist()
    np.testing.assert_allclose(yearly["efficacy_total"], expected["efficacy_total"])
    np.testing.assert_allclose(yearly["efficacy_mean"], expected["efficacy_mean"], equal_nan=True)
    means = yearly_efficacy(corpus)["efficacy_mean"].dropna()
    assert ((means >= 2) & (means <= 50)).all()


# --------------------------------------------------------------------------
# Registration.


def test_fresh_registry_holds_the_new_frameworks(registry):
    names = registry.names()
    for name, plugin in NEW_NAMES.items():
        framework = registry.get(name)
        assert framework == BUILDERS[name]()
        entry = registry.entry(name)
        assert entry.plugin == plugin
        assert entry.builtin
    assert {"wang2026", "howlett-ramesh-1995"} <= set(names)
    assert len(names) == len(set(names))
    assert not registry.failures()


def test_no_clash_with_the_existing_frameworks(registry):
    old = FrameworkRegistry(
        default_plugins=("policyquant.frameworks.scales", "policyquant.frameworks.howlett_ramesh"),
        entry_point_group=None,
    )
    assert old.names() == ["wang2026", "howlett-ramesh-1995"]
    assert not set(old.names()) & set(NEW_NAMES)
    assert "genai-china" not in NEW_NAMES
    assert set(registry.names()) == set(FrameworkRegistry(entry_point_group=None).names()) | set(NEW_NAMES)
    assert registry.get("genai-china").name == "wang2026"


def test_registry_lists_the_new_frameworks(registry):
    table = registry.to_frame().set_index("name")
    assert table.loc["peng2008", "scale"]
    assert table.loc["cap-major-topics", "objectives"] == 21
    assert table.loc["rothwell-zegveld-1985", "instruments"] == 14
    assert table.loc["hood-nato", "families"] == 4


def test_each_module_registers_on_its_own():
    for module, names in (
        ("policyquant.frameworks.peng2008", ["peng2008"]),
        ("policyquant.frameworks.classic", [n for n, m in NEW_NAMES.items() if m.endswith("classic")]),
    ):
        only = FrameworkRegistry(default_plugins=[module], entry_point_group=None)
        assert only.names() == names


def test_modules_export_their_public_names():
    for module in (peng2008, classic):
        for name in module.__all__:
            obj = getattr(module, name)
            if callable(obj):
                assert obj.__doc__ and "Examples" in obj.__doc__, name
