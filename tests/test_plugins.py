"""Tests of the plugin system: the registry, run-time plugins, entry points, isolation of failures."""

from __future__ import annotations

import re
import sys
import threading
import types
import uuid

import pandas as pd
import pluggy
import pytest

import policyquant as pq
from policyquant import hookspecs
from policyquant.plugins import FrameworkRegistry, PluginFailure

BUILTIN_PLUGIN = "policyquant.frameworks.howlett_ramesh"
# Every built-in plugin, in load order (the scale types first, then the frameworks).
BUILTIN_PLUGINS = [
    "policyquant.frameworks.scales",
    BUILTIN_PLUGIN,
    "policyquant.frameworks.pmc",
    "policyquant.frameworks.peng2008",
    "policyquant.frameworks.classic",
    # The built-in units of policyquant.segment, registered through the same hooks.
    "policyquant.documents.segmentation",
    # The built-in coders ("dictionary", "openai-compatible"; "tfidf-linear"), registered through the same hooks.
    "policyquant.coders._builtin",
    "policyquant.coders.supervised",
]
# Every built-in framework, in registration order.
BUILTIN_NAMES = [
    "wang2026",
    "howlett-ramesh-1995",
    "pmc",
    "peng2008",
    "rothwell-zegveld-1985",
    "hood-nato",
    "schneider-ingram-1990",
    "mcdonnell-elmore-1987",
    "cap-major-topics",
]
BUILTIN_SCALE_TYPES = {"formula": "policyquant.frameworks.scales", "pmc": "policyquant.frameworks.pmc"}
COLUMNS = [
    "name",
    "title",
    "aliases",
    "plugin",
    "version",
    "builtin",
    "distribution",
    "distribution_version",
    "families",
    "instruments",
    "objectives",
    "scale",
    "parts",
]


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def good_plugin_code(name: str, alias: str, title: str = "An entry-point framework") -> str:
    """Source of a well-behaved plugin module registering ``name`` with ``alias``."""
    return f"""
        import policyquant as pq

        CALLS = []

        @pq.hookimpl
        def policyquant_register_frameworks(register):
            CALLS.append(1)
            framework = pq.Framework(
                {name!r}, {title!r},
                families=[pq.InstrumentFamily("soft", "Soft")],
                instruments=[pq.Instrument("info", "Information", family="soft")],
                version="2.0",
            )
            register(framework, aliases=[{alias!r}])
    """


def registry_state(registry: FrameworkRegistry) -> tuple:
    """Everything observable about a registry's contents."""
    return (
        registry.names(),
        registry.plugin_names(),
        registry.to_frame().to_dict("records"),
        dict(registry._names),
        [impl.plugin_name for impl in registry.manager.hook.policyquant_register_frameworks.get_hookimpls()],
    )


# --------------------------------------------------------------------------
# Built-in frameworks.


def test_get_framework_by_name():
    framework = pq.get_framework("wang2026")
    assert isinstance(framework, pq.Framework)
    assert framework.name == "wang2026"
    assert len(framework.instruments) == 16
    assert len(framework.objectives) == 4
    assert framework.family_keys == ("mandatory", "voluntary", "mixed")
    assert framework.scale is not None
    assert framework.scale.name == "APE"


@pytest.mark.parametrize("alias", ["genai-china", "GenAI-China", "GENAI-CHINA", "  genai-china "])
def test_get_framework_by_alias_is_case_insensitive(alias):
    assert pq.get_framework(alias) is pq.get_framework("wang2026")


@pytest.mark.parametrize("name", ["wang2026", "WANG2026", "Wang2026"])
def test_get_framework_name_is_case_insensitive(name):
    assert pq.get_framework(name).name == "wang2026"


def test_get_howlett_ramesh_1995():
    framework = pq.get_framework("howlett-ramesh-1995")
    assert framework.name == "howlett-ramesh-1995"
    assert framework.parts == ("instruments",)
    assert framework.objectives == ()
    assert framework.scale is None
    assert framework.version == "1995"
    assert framework is not pq.get_framework("wang2026")


def test_get_framework_returns_a_framework_unchanged(make_framework):
    unregistered = make_framework(unique("not-registered"))
    assert pq.get_framework(unregistered) is unregistered
    builtin = pq.get_framework("wang2026")
    assert pq.get_framework(builtin) is builtin


def test_list_frameworks_columns_and_builtin_rows():
    table = pq.list_frameworks()
    assert list(table.columns) == COLUMNS
    assert table["name"].tolist() == BUILTIN_NAMES
    rows = table.set_index("name")
    wang = rows.loc["wang2026"]
    assert wang["instruments"] == 16
    assert wang["objectives"] == 4
    assert wang["families"] == 3
    assert wang["scale"] == "APE"
    assert bool(wang["builtin"]) is True
    assert wang["plugin"] == BUILTIN_PLUGIN
    assert wang["aliases"] == "genai-china"
    assert wang["version"] == "1.0"
    assert wang["parts"] == "instruments, objectives, scale"
    howlett = rows.loc["howlett-ramesh-1995"]
    assert howlett["aliases"] == ""
    assert howlett["plugin"] == BUILTIN_PLUGIN
    assert bool(howlett["builtin"]) is True
    assert howlett["objectives"] == 0
    assert howlett["instruments"] == 10
    assert pd.isna(howlett["scale"])
    assert howlett["parts"] == "instruments"


def test_fresh_registry_holds_exactly_the_builtins(fresh_registry):
    assert fresh_registry.names() == BUILTIN_NAMES
    assert fresh_registry.plugin_names() == BUILTIN_PLUGINS
    assert fresh_registry.failures() == []
    entry = fresh_registry.entry("genai-china")
    assert (entry.framework.name, entry.plugin, entry.builtin, entry.aliases) == (
        "wang2026",
        BUILTIN_PLUGIN,
        True,
        ("genai-china",),
    )


# --------------------------------------------------------------------------
# Unknown names.


def test_unknown_framework_error_lists_known_names_and_suggests_the_closest():
    with pytest.raises(pq.UnknownFrameworkError) as info:
        pq.get_framework("wang2025")
    error = info.value
    assert isinstance(error, LookupError)
    assert isinstance(error, pq.PolicyQuantError)
    message = str(error)
    assert message.startswith("no framework named 'wang2025'; known frameworks: ")
    assert "howlett-ramesh-1995" in message
    assert "wang2026" in message
    assert message.endswith("did you mean wang2026?")


def test_unknown_framework_without_close_match_has_no_suggestion(fresh_registry):
    with pytest.raises(
        LookupError,
        match=r"^no framework named 'zzzz'; known frameworks: "
        r"cap-major-topics, hood-nato, howlett-ramesh-1995, mcdonnell-elmore-1987, peng2008, pmc, rothwell-zegveld-1985, schneider-ingram-1990, wang2026$",
    ):
        fresh_registry.get("zzzz")


# --------------------------------------------------------------------------
# Run-time plugins in the default registry.


def test_throwaway_plugin_is_listed(throwaway_plugin):
    table = pq.list_frameworks()
    assert list(table.columns) == COLUMNS
    rows = table[table["name"] == throwaway_plugin.framework.name]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert bool(row["builtin"]) is False
    assert row["plugin"] == throwaway_plugin.name
    assert row["aliases"] == throwaway_plugin.alias
    assert row["title"] == "A throwaway framework"
    assert row["version"] == "0.1"
    assert (row["families"], row["instruments"], row["objectives"]) == (1, 2, 1)
    assert pd.isna(row["scale"])
    assert row["parts"] == "instruments, objectives"
    # The built-ins are still there, unchanged.
    assert bool(table.set_index("name").loc["wang2026", "builtin"]) is True


def test_throwaway_plugin_by_name_and_alias(throwaway_plugin):
    framework = throwaway_plugin.framework
    assert pq.get_framework(framework.name) is framework
    assert pq.get_framework(throwaway_plugin.alias) is framework
    assert pq.get_framework(throwaway_plugin.alias.upper()) is framework
    assert throwaway_plugin.name in pq.plugins.get_registry().plugin_names()


def test_throwaway_plugin_disappears_after_unregister(throwaway_plugin):
    registry = pq.plugins.get_registry()
    pq.plugins.unregister_plugin(throwaway_plugin.name)
    for name in (throwaway_plugin.framework.name, throwaway_plugin.alias):
        with pytest.raises(pq.UnknownFrameworkError):
            pq.get_framework(name)
    assert throwaway_plugin.framework.name not in pq.list_frameworks()["name"].tolist()
    assert throwaway_plugin.name not in registry.plugin_names()
    assert not registry.manager.has_plugin(throwaway_plugin.name)
    assert pq.get_framework("wang2026").name == "wang2026"
    with pytest.raises(pq.PluginError, match=re.escape(repr(throwaway_plugin.name))):
        pq.plugins.unregister_plugin(throwaway_plugin.name)


def test_registering_the_same_plugin_twice_fails(throwaway_plugin, make_plugin):
    with pytest.raises(pq.PluginError, match=r"is already registered"):
        pq.plugins.register_plugin(throwaway_plugin.plugin, name=throwaway_plugin.name)
    # The same object under another name is also refused.
    with pytest.raises(pq.PluginError, match=r"is already registered"):
        pq.plugins.register_plugin(throwaway_plugin.plugin, name=unique("other-name"))
    # Another object under the same name, too.
    with pytest.raises(pq.PluginError, match=r"is already registered"):
        pq.plugins.register_plugin(make_plugin(), name=throwaway_plugin.name)
    assert pq.get_framework(throwaway_plugin.alias) is throwaway_plugin.framework


def test_unregister_unknown_plugin_fails():
    with pytest.raises(pq.PluginError) as info:
        pq.plugins.unregister_plugin("no-such-plugin")
    assert not isinstance(info.value, pq.DuplicateFrameworkError)
    assert "no plugin named 'no-such-plugin' is registered" in str(info.value)
    assert BUILTIN_PLUGIN in str(info.value)


def test_register_plugin_returns_the_name_and_defaults_to_the_module_name(fresh_registry, make_framework):
    module = types.ModuleType(unique("pq_runtime_module"))
    framework = make_framework(unique("from-module"))

    @pq.hookimpl
    def policyquant_register_frameworks(register):
        register(framework)

    module.policyquant_register_frameworks = policyquant_register_frameworks
    assert fresh_registry.register_plugin(module) == module.__name__
    assert fresh_registry.plugin_names() == [*BUILTIN_PLUGINS, module.__name__]
    assert fresh_registry.entry(framework.name).plugin == module.__name__
    assert fresh_registry.names() == [*BUILTIN_NAMES, framework.name]


def test_runtime_plugin_hook_with_unknown_argument_is_refused(fresh_registry):
    class BadSignature:
        @pq.hookimpl
        def policyquant_register_frameworks(self, register, extra):  # pragma: no cover - never called
            raise AssertionError("must not run")

    before = registry_state(fresh_registry)
    with pytest.raises(pq.PluginError, match=r"plugin 'bad' cannot be registered: PluginValidationError"):
        fresh_registry.register_plugin(BadSignature(), name="bad")
    assert registry_state(fresh_registry) == before


# --------------------------------------------------------------------------
# Duplicate names.


@pytest.mark.parametrize(
    ("name", "aliases", "claimed"),
    [
        ("wang2026", [], "wang2026"),
        ("WANG2026", [], "WANG2026"),
        ("genai-china", [], "genai-china"),
        ("new-framework", ["wang2026"], "wang2026"),
        ("new-framework", ["GenAI-China"], "GenAI-China"),
        ("new-framework", ["fine", "Howlett-Ramesh-1995"], "Howlett-Ramesh-1995"),
    ],
)
def test_runtime_duplicate_name_or_alias_is_refused(
    fresh_registry, make_framework, make_plugin, name, aliases, claimed
):
    before = registry_state(fresh_registry)
    plugin = make_plugin(make_framework(name), aliases={name: aliases})
    with pytest.raises(pq.DuplicateFrameworkError) as info:
        fresh_registry.register_plugin(plugin, name="intruder")
    message = str(info.value)
    assert isinstance(info.value, pq.PluginError)
    assert f"framework name {claimed!r} is claimed twice" in message
    assert f"by plugin {BUILTIN_PLUGIN!r}" in message
    assert "by plugin 'intruder'" in message
    # Nothing changed: the failed plugin is not left registered.
    assert registry_state(fresh_registry) == before
    assert not fresh_registry.manager.has_plugin("intruder")
    assert not fresh_registry.manager.is_registered(plugin)
    assert fresh_registry.entry("wang2026").plugin == BUILTIN_PLUGIN
    assert fresh_registry.get("genai-china").name == "wang2026"
    for candidate in (name, *aliases):
        if candidate.lower() not in {"wang2026", "genai-china", "howlett-ramesh-1995"}:
            with pytest.raises(pq.UnknownFrameworkError):
                fresh_registry.get(candidate)
    # The name is free again: a well-behaved plugin can take it.
    good = make_framework(unique("good"))
    assert fresh_registry.register_plugin(make_plugin(good), name="intruder") == "intruder"
    assert fresh_registry.get(good.name) is good


def test_runtime_duplicate_of_another_runtime_plugin_names_both(fresh_registry, make_framework, make_plugin):
    first = make_framework("shared-name")
    first_plugin = make_plugin(first, aliases={"shared-name": ["shared alias"]})
    fresh_registry.register_plugin(first_plugin, name="first")
    before = registry_state(fresh_registry)
    # Aliases match after whitespace and case folding.
    second = make_plugin(make_framework("other"), aliases={"other": ["SHARED   Alias"]})
    with pytest.raises(pq.DuplicateFrameworkError) as info:
        fresh_registry.register_plugin(second, name="second")
    assert "by plugin 'first' (framework 'shared-name')" in str(info.value)
    assert "by plugin 'second' (framework 'other')" in str(info.value)
    assert registry_state(fresh_registry) == before
    assert fresh_registry.get("shared alias") is first


def test_runtime_duplicate_in_default_registry_leaves_it_unchanged(make_framework, make_plugin):
    registry = pq.plugins.get_registry()
    before = registry_state(registry)
    name = unique("impostor-plugin")
    with pytest.raises(pq.DuplicateFrameworkError, match=re.escape(repr(name))) as info:
        pq.plugins.register_plugin(make_plugin(make_framework("wang2026", "Impostor")), name=name)
    assert repr(BUILTIN_PLUGIN) in str(info.value)
    assert registry_state(registry) == before
    assert pq.get_framework("wang2026").title != "Impostor"
    assert pq.plugins.get_registry().entry("wang2026").plugin == BUILTIN_PLUGIN
    with pytest.raises(pq.PluginError, match="no plugin named"):
        pq.plugins.unregister_plugin(name)


@pytest.mark.parametrize(
    "aliases",
    [{}, {"twin": ["alias-x"]}],
    ids=["same-name", "same-name-with-alias"],
)
def test_one_plugin_registering_a_name_twice(fresh_registry, make_framework, aliases, make_plugin):
    before = registry_state(fresh_registry)
    plugin = make_plugin(make_framework("twin", "First"), make_framework("twin", "Second"), aliases=aliases)
    with pytest.raises(pq.DuplicateFrameworkError) as info:
        fresh_registry.register_plugin(plugin, name="twins")
    assert str(info.value).startswith(
        "framework name 'twin' is claimed twice: by plugin 'twins' "
        "(framework 'twin') and by plugin 'twins' (framework 'twin')"
    )
    assert registry_state(fresh_registry) == before


def test_one_plugin_alias_equal_to_its_other_framework(fresh_registry, make_framework, make_plugin):
    before = registry_state(fresh_registry)
    plugin = make_plugin(make_framework("alpha"), make_framework("beta"), aliases={"beta": ["ALPHA"]})
    with pytest.raises(pq.DuplicateFrameworkError, match=r"framework name 'ALPHA' is claimed twice"):
        fresh_registry.register_plugin(plugin, name="greek")
    assert registry_state(fresh_registry) == before


# --------------------------------------------------------------------------
# Run-time plugins that misbehave.


@pytest.mark.parametrize("thing", [{"name": "wang2027"}, "wang2027", None, pq.InstrumentFamily("x", "X")])
def test_runtime_plugin_registering_a_non_framework(fresh_registry, make_framework, thing, make_plugin):
    before = registry_state(fresh_registry)
    plugin = make_plugin(make_framework("valid-first"), thing)
    with pytest.raises(pq.PluginError) as info:
        fresh_registry.register_plugin(plugin, name="sloppy")
    assert not isinstance(info.value, pq.DuplicateFrameworkError)
    assert str(info.value) == (
        f"plugin 'sloppy' registered {type(thing).__name__} {thing!r}, which is not a policyquant.Framework"
    )
    # Not even the valid framework registered before the bad one stays.
    assert registry_state(fresh_registry) == before
    with pytest.raises(pq.UnknownFrameworkError):
        fresh_registry.get("valid-first")


@pytest.mark.parametrize("alias", ["", "   ", 3])
def test_runtime_plugin_with_an_invalid_alias(fresh_registry, make_framework, alias, make_plugin):
    before = registry_state(fresh_registry)
    with pytest.raises(pq.PluginError, match=r"aliases must be non-empty text"):
        fresh_registry.register_plugin(make_plugin(make_framework("aliased"), aliases={"aliased": [alias]}))
    assert registry_state(fresh_registry) == before


def test_runtime_plugin_whose_hook_raises(fresh_registry, make_framework):
    before = registry_state(fresh_registry)

    class Exploding:
        @pq.hookimpl
        def policyquant_register_frameworks(self, register):
            register(make_framework("half-done"))
            raise RuntimeError("boom")

    with pytest.raises(pq.PluginError) as info:
        fresh_registry.register_plugin(Exploding(), name="exploding")
    assert str(info.value) == "plugin 'exploding' failed in its hook: RuntimeError: boom"
    assert isinstance(info.value.__cause__, RuntimeError)
    assert registry_state(fresh_registry) == before
    with pytest.raises(pq.UnknownFrameworkError):
        fresh_registry.get("half-done")


def test_runtime_plugin_whose_hook_raises_a_policyquant_error(fresh_registry, make_framework):
    before = registry_state(fresh_registry)

    class Invalid:
        @pq.hookimpl
        def policyquant_register_frameworks(self, register):
            register(make_framework("half-done"))
            # An instrument in a family the framework does not hold.
            pq.Framework(
                "broken", "Broken", instruments=[pq.Instrument("info", "Information", family="nope")]
            )

    with pytest.raises(pq.InvalidFrameworkError, match=r"names family 'nope'"):
        fresh_registry.register_plugin(Invalid(), name="invalid")
    assert registry_state(fresh_registry) == before
    assert not fresh_registry.manager.has_plugin("invalid")


# --------------------------------------------------------------------------
# Real entry-point plugins.


def test_entry_point_plugin_is_found_and_loaded_lazily(plugin_distribution):
    framework_name = unique("ep-framework")
    alias = unique("ep-alias")
    ep_name = unique("ep_plugin").replace("-", "_")
    dist = plugin_distribution(good_plugin_code(framework_name, alias), ep_name=ep_name)
    assert dist.ep_name != dist.module

    registry = FrameworkRegistry()
    assert registry.entry_point_group == "policyquant"
    assert dist.module not in sys.modules  # nothing imported before first use
    assert registry.names() == [*BUILTIN_NAMES, framework_name]
    assert dist.module in sys.modules
    assert registry.plugin_names() == [*BUILTIN_PLUGINS, ep_name]
    assert registry.failures() == []

    rows = registry.to_frame().set_index("name")
    row = rows.loc[framework_name]
    assert bool(row["builtin"]) is False
    assert row["plugin"] == ep_name
    assert row["aliases"] == alias
    assert row["version"] == "2.0"
    assert row["title"] == "An entry-point framework"
    assert (row["families"], row["instruments"], row["objectives"]) == (1, 1, 0)
    assert bool(rows.loc["wang2026", "builtin"]) is True

    framework = registry.get(framework_name)
    assert framework.name == framework_name
    assert registry.get(alias.upper()) is framework
    entry = registry.entry(alias)
    assert (entry.plugin, entry.builtin, entry.aliases) == (ep_name, False, (alias,))
    assert sys.modules[dist.module].CALLS == [1]
    registry.load()  # loading again does nothing
    assert sys.modules[dist.module].CALLS == [1]


def test_entry_point_plugin_through_the_default_registry(plugin_distribution):
    framework_name = unique("ep-default")
    alias = unique("ep-default-alias")
    dist = plugin_distribution(good_plugin_code(framework_name, alias))

    registry = pq.plugins.reload_plugins()
    assert registry is pq.plugins.get_registry()
    table = pq.list_frameworks()
    assert table["name"].tolist() == [*BUILTIN_NAMES, framework_name]
    row = table.set_index("name").loc[framework_name]
    assert row["plugin"] == dist.ep_name
    assert bool(row["builtin"]) is False
    assert pq.get_framework(alias) is pq.get_framework(framework_name)
    assert pq.get_framework(framework_name).version == "2.0"
    assert pq.plugin_failures() == []


def test_default_registry_reads_entry_points_once_until_reload(plugin_distribution):
    registry = pq.plugins.get_registry()
    assert registry.names() == BUILTIN_NAMES
    framework_name = unique("late")
    plugin_distribution(good_plugin_code(framework_name, unique("late-alias")))
    # Installed after the registry loaded: not seen ...
    with pytest.raises(pq.UnknownFrameworkError):
        pq.get_framework(framework_name)
    # ... until the plugins are reloaded.
    new = pq.plugins.reload_plugins()
    assert new is not registry
    assert pq.get_framework(framework_name).name == framework_name


def test_entry_point_group_none_ignores_installed_plugins(plugin_distribution):
    dist = plugin_distribution(good_plugin_code(unique("ignored"), unique("ignored-alias")))
    registry = FrameworkRegistry(entry_point_group=None)
    assert registry.names() == BUILTIN_NAMES
    assert dist.module not in sys.modules


# --------------------------------------------------------------------------
# Broken entry-point plugins.

BROKEN_PLUGINS = {
    "import-missing-dependency": (
        "import pq_no_such_dependency_xyz\n",
        "import",
        "ModuleNotFoundError: No module named 'pq_no_such_dependency_xyz'",
    ),
    "import-raises": (
        "raise ImportError('needs libfoo >= 2')\n",
        "import",
        "ImportError: needs libfoo >= 2",
    ),
    "syntax-error": (
        "def broken(:\n    pass\n",
        "import",
        "SyntaxError: ",
    ),
    "hook-raises": (
        """
        import policyquant as pq

        @pq.hookimpl
        def policyquant_register_frameworks(register):
            raise RuntimeError("plugin exploded")
        """,
        "hook",
        "RuntimeError: plugin exploded",
    ),
    "registers-non-framework": (
        """
        import policyquant as pq

        @pq.hookimpl
        def policyquant_register_frameworks(register):
            register({"name": "wang2027"})
        """,
        "register",
        "PluginError: plugin '{ep}' registered dict {{'name': 'wang2027'}}, "
        "which is not a policyquant.Framework",
    ),
    "claims-wang2026": (
        """
        import policyquant as pq

        @pq.hookimpl
        def policyquant_register_frameworks(register):
            register(pq.Framework("wang2026", "Impostor"))
        """,
        "register",
        "DuplicateFrameworkError: framework name 'wang2026' is claimed twice: by plugin "
        "'policyquant.frameworks.howlett_ramesh' (framework 'wang2026') and by plugin '{ep}' "
        "(framework 'wang2026')",
    ),
    "registers-then-raises": (
        """
        import policyquant as pq

        @pq.hookimpl
        def policyquant_register_frameworks(register):
            register(pq.Framework("half-registered", "Half"), aliases=["half-alias"])
            raise RuntimeError("second framework failed")
        """,
        "hook",
        "RuntimeError: second framework failed",
    ),
}


@pytest.fixture
def good_and_broken(plugin_distribution, request):
    """A good entry-point plugin and a broken one (which sorts, and so loads, first)."""
    code, stage, error = BROKEN_PLUGINS[request.param]
    good_name = unique("good")
    good = plugin_distribution(good_plugin_code(good_name, unique("good-alias")), ep_name=unique("z_good"))
    broken_ep = unique("a_broken").replace("-", "_")
    broken = plugin_distribution(code, ep_name=broken_ep)
    return types.SimpleNamespace(
        good=good, good_name=good_name, broken=broken, stage=stage, error=error.format(ep=broken_ep)
    )


@pytest.mark.parametrize("good_and_broken", list(BROKEN_PLUGINS), indirect=True)
def test_broken_entry_point_plugin_warns_and_the_rest_works(good_and_broken):
    case = good_and_broken
    registry = FrameworkRegistry()
    with pytest.warns(pq.PluginWarning, match=re.escape(case.broken.ep_name)) as record:
        names = registry.names()
    assert len(record) == 1
    message = str(record[0].message)
    assert message.startswith(
        f"policyquant plugin {case.broken.ep_name!r} ({case.broken.source}) "
        f"failed at {case.stage}: {case.error}"
    )
    assert message.endswith("; the other frameworks still work")

    failures = registry.failures()
    assert len(failures) == 1
    failure = failures[0]
    assert isinstance(failure, PluginFailure)
    assert (failure.plugin, failure.source, failure.stage) == (
        case.broken.ep_name,
        f"{case.broken.ep_name} = {case.broken.module}",
        case.stage,
    )
    assert failure.error.startswith(case.error)
    assert str(failure) == (
        f"plugin {case.broken.ep_name!r} ({failure.source}) failed at {case.stage}: {failure.error}"
    )

    # The built-ins and the good plugin keep working, and nothing of the broken one is there.
    assert names == [*BUILTIN_NAMES, case.good_name]
    assert registry.entry("wang2026").plugin == BUILTIN_PLUGIN
    assert registry.get("genai-china").title != "Impostor"
    assert registry.entry(case.good_name).plugin == case.good.ep_name
    # The scale types', the segmenters' and the coders' plugins register no framework.
    assert set(registry.to_frame()["plugin"]) == {*BUILTIN_PLUGINS[1:-3], case.good.ep_name}
    for gone in ("half-registered", "half-alias", "wang2027"):
        with pytest.raises(pq.UnknownFrameworkError) as info:
            registry.get(gone)
        # An unknown name points at the failure.
        assert f"(1 plugin failure(s), from {case.broken.ep_name}: see policyquant.plugin_failures())" in str(
            info.value
        )
    # Warned once, at loading: the lookups above would have turned a second
    # PluginWarning into an error (filterwarnings in pyproject.toml).
    assert registry.failures() == failures


def test_missing_entry_point_module_fails_at_import(plugin_distribution):
    module = unique("pq_module_that_does_not_exist").replace("-", "_")
    broken = plugin_distribution(None, ep_name="ghost", module=module)
    registry = FrameworkRegistry()
    with pytest.warns(pq.PluginWarning, match=r"'ghost'.*failed at import: ModuleNotFoundError"):
        assert registry.names() == BUILTIN_NAMES
    assert registry.failures() == [
        PluginFailure("ghost", broken.source, "import", f"ModuleNotFoundError: No module named {module!r}")
    ]


@pytest.mark.parametrize(
    "good_and_broken",
    ["hook-raises", "registers-then-raises", "registers-non-framework", "claims-wang2026"],
    indirect=True,
)
def test_failed_entry_point_plugin_is_not_left_registered(good_and_broken):
    case = good_and_broken
    registry = FrameworkRegistry()
    with pytest.warns(pq.PluginWarning, match=re.escape(case.broken.ep_name)):
        registry.load()
    assert registry.plugin_names() == [*BUILTIN_PLUGINS, case.good.ep_name]
    assert not registry.manager.has_plugin(case.broken.ep_name)


def test_all_broken_plugins_at_once(plugin_distribution):
    good_name = unique("survivor")
    good = plugin_distribution(good_plugin_code(good_name, unique("survivor-alias")))
    broken = {}
    for key, (code, stage, _error) in BROKEN_PLUGINS.items():
        ep_name = f"{key}_{uuid.uuid4().hex[:6]}"
        broken[ep_name] = (plugin_distribution(code, ep_name=ep_name), stage)
    registry = FrameworkRegistry()
    with pytest.warns(pq.PluginWarning) as record:
        assert registry.names() == [*BUILTIN_NAMES, good_name]
    assert len(record) == len(BROKEN_PLUGINS)
    expected = {name: stage for name, (_, stage) in broken.items()}
    assert {f.plugin: f.stage for f in registry.failures()} == expected
    assert all(any(name in str(w.message) for w in record) for name in broken)
    assert registry.entry(good_name).plugin == good.ep_name


def test_plugin_failures_of_the_default_registry(plugin_distribution):
    code, _stage, _error = BROKEN_PLUGINS["hook-raises"]
    broken = plugin_distribution(code, ep_name="exploding_plugin")
    with pytest.warns(pq.PluginWarning, match="exploding_plugin"):
        pq.plugins.reload_plugins()
    assert pq.plugin_failures() == [
        PluginFailure("exploding_plugin", broken.source, "hook", "RuntimeError: plugin exploded")
    ]
    assert pq.get_framework("wang2026").name == "wang2026"


# --------------------------------------------------------------------------
# Environment variables.


@pytest.mark.parametrize("value", ["1", "true", "YES", " on "])
def test_disable_entry_points(plugin_distribution, monkeypatch, value):
    dist = plugin_distribution(good_plugin_code(unique("disabled"), unique("disabled-alias")))
    monkeypatch.setenv("POLICYQUANT_DISABLE_ENTRY_POINTS", value)
    registry = FrameworkRegistry()
    assert registry.names() == BUILTIN_NAMES
    assert registry.plugin_names() == BUILTIN_PLUGINS
    assert dist.module not in sys.modules
    assert pq.plugins.reload_plugins().names() == BUILTIN_NAMES
    assert pq.list_frameworks()["name"].tolist() == BUILTIN_NAMES


@pytest.mark.parametrize("value", ["0", "", "no"])
def test_disable_entry_points_false_values_still_load(plugin_distribution, monkeypatch, value):
    name = unique("enabled")
    plugin_distribution(good_plugin_code(name, unique("enabled-alias")))
    monkeypatch.setenv("POLICYQUANT_DISABLE_ENTRY_POINTS", value)
    assert FrameworkRegistry().names() == [*BUILTIN_NAMES, name]


def test_block_one_entry_point_plugin(plugin_distribution, monkeypatch):
    kept_name, blocked_name = unique("kept"), unique("blocked")
    kept = plugin_distribution(good_plugin_code(kept_name, unique("kept-alias")), ep_name="kept_plugin")
    blocked = plugin_distribution(
        good_plugin_code(blocked_name, unique("blocked-alias")), ep_name="blocked_plugin"
    )
    monkeypatch.setenv("POLICYQUANT_BLOCK_PLUGINS", " blocked_plugin , some_other_plugin ")
    registry = FrameworkRegistry()
    assert registry.names() == [*BUILTIN_NAMES, kept_name]
    assert registry.plugin_names() == [*BUILTIN_PLUGINS, "kept_plugin"]
    assert registry.failures() == []
    assert blocked.module not in sys.modules
    assert kept.module in sys.modules
    assert registry.manager.is_blocked("blocked_plugin")
    with pytest.raises(pq.UnknownFrameworkError):
        registry.get(blocked_name)


def test_block_the_builtin_plugin(plugin_distribution, monkeypatch):
    ep_name = unique("ep")
    plugin_distribution(good_plugin_code(ep_name, unique("ep-alias")), ep_name="still_loaded")
    monkeypatch.setenv("POLICYQUANT_BLOCK_PLUGINS", BUILTIN_PLUGIN)
    registry = FrameworkRegistry()
    assert registry.names() == [n for n in BUILTIN_NAMES if n not in ("wang2026", "howlett-ramesh-1995")] + [
        ep_name
    ]
    assert registry.plugin_names() == [p for p in BUILTIN_PLUGINS if p != BUILTIN_PLUGIN] + ["still_loaded"]
    for name in ("wang2026", "genai-china", "howlett-ramesh-1995"):
        with pytest.raises(pq.UnknownFrameworkError):
            registry.get(name)
    # Through the default registry as well.
    pq.plugins.reload_plugins()
    assert pq.list_frameworks()["name"].tolist() == [
        n for n in BUILTIN_NAMES if n not in ("wang2026", "howlett-ramesh-1995")
    ] + [ep_name]
    with pytest.raises(pq.UnknownFrameworkError):
        pq.get_framework("wang2026")


def test_block_the_builtin_frees_its_names(plugin_distribution, monkeypatch):
    code = good_plugin_code("wang2026", "genai-china", title="A replacement")
    plugin_distribution(code, ep_name="replacement")
    monkeypatch.setenv("POLICYQUANT_BLOCK_PLUGINS", BUILTIN_PLUGIN)
    registry = FrameworkRegistry()
    assert registry.failures() == []
    assert registry.get("genai-china").title == "A replacement"
    assert registry.entry("wang2026").plugin == "replacement"


# --------------------------------------------------------------------------
# pluggy wiring.


def test_hookimpl_is_the_pluggy_marker_of_the_project():
    assert isinstance(pq.hookimpl, pluggy.HookimplMarker)
    assert pq.hookimpl.project_name == "policyquant"
    assert pq.hookimpl is hookspecs.hookimpl

    @pq.hookimpl
    def policyquant_register_frameworks(register):
        pass

    assert hasattr(policyquant_register_frameworks, "policyquant_impl")


def test_hookspec_is_on_the_manager(fresh_registry):
    manager = fresh_registry.manager
    assert manager.project_name == "policyquant"
    caller = manager.hook.policyquant_register_frameworks
    assert caller.spec is not None
    assert caller.spec.argnames == ("register",)
    assert caller.spec.namespace is hookspecs
    assert not hasattr(manager.hook, "policyquant_no_such_hook")


# --------------------------------------------------------------------------
# Threads.


def test_concurrent_first_use_loads_once(plugin_module):
    # The counting plugin loads first, so a thread that does not wait for the
    # whole load to finish finds wang2026 missing.
    counter = plugin_module(good_plugin_code(unique("counted"), unique("counted-alias")))
    registry = FrameworkRegistry(default_plugins=[counter, BUILTIN_PLUGIN], entry_point_group=None)
    barrier = threading.Barrier(8)
    results: list[pq.Framework] = []
    errors: list[BaseException] = []

    def use() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(registry.get("wang2026"))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=use) for _ in range(8)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, to give races a chance
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        sys.setswitchinterval(interval)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert len(results) == 8
    assert all(result is results[0] for result in results)
    assert results[0].name == "wang2026"
    plugin_names = registry.plugin_names()
    assert plugin_names == [counter, BUILTIN_PLUGIN]
    assert len(plugin_names) == len(set(plugin_names))
    assert sys.modules[counter].CALLS == [1]  # the hook ran once
    assert len(registry.names()) == 3
    assert registry.failures() == []


class _MaxScale(pq.EfficacyScale):
    """A scale type for the tests: the largest of the dimensions."""

    def __init__(self, dimensions):
        self._dimensions = tuple(dimensions)

    @property
    def dimensions(self):
        return self._dimensions

    def score(self, frame):
        return self.coerce_frame(frame).max(axis=1).rename("score")

    @property
    def min_score(self):
        return max(d.min_score for d in self._dimensions)

    @property
    def max_score(self):
        return max(d.max_score for d in self._dimensions)


def test_builtin_formula_scale_type(fresh_registry):
    assert fresh_registry.scale_types() == BUILTIN_SCALE_TYPES
    factory = fresh_registry.scale_type("FORMULA")
    dims = pq.get_framework("wang2026").scale.dimensions
    assert factory({"formula": "DA * (AS + MI)", "name": "APE"}, dims).max_score == 50.0
    with pytest.raises(pq.InvalidFrameworkError, match="needs a formula"):
        factory({}, dims)
    with pytest.raises(pq.InvalidFrameworkError, match="unknown key"):
        factory({"formula": "DA", "weights": 2}, dims)


def test_plugin_registers_a_scale_type_and_unregisters_it(fresh_registry):
    class Plugin:
        @pq.hookimpl
        def policyquant_register_scale_types(self, register):
            register("max", lambda spec, dimensions: _MaxScale(dimensions))

    name = fresh_registry.register_plugin(Plugin(), name="max-scale")
    assert fresh_registry.scale_types()["max"] == "max-scale"
    dims = pq.get_framework("wang2026").scale.dimensions
    scale = fresh_registry.scale_type("max")({}, dims)
    assert scale.score(pd.DataFrame({"DA": [1], "AS": [5], "MI": [3]})).tolist() == [5]
    fresh_registry.unregister_plugin(name)
    with pytest.raises(
        pq.UnknownFrameworkError, match="no scale type named 'max'; known scale types: formula, pmc"
    ):
        fresh_registry.scale_type("max")


def test_duplicate_scale_type_names_both_plugins(fresh_registry):
    class Plugin:
        @pq.hookimpl
        def policyquant_register_scale_types(self, register):
            register("formula", lambda spec, dimensions: None)

    with pytest.raises(pq.DuplicateFrameworkError, match=r"'policyquant.frameworks.scales'.*'dup'"):
        fresh_registry.register_plugin(Plugin(), name="dup")
    assert fresh_registry.scale_types() == BUILTIN_SCALE_TYPES
    assert "dup" not in fresh_registry.plugin_names()


def test_scale_type_registration_needs_a_callable(fresh_registry):
    class Plugin:
        @pq.hookimpl
        def policyquant_register_scale_types(self, register):
            register("broken", "not callable")

    with pytest.raises(pq.PluginError, match="needs a name and a callable"):
        fresh_registry.register_plugin(Plugin(), name="broken")


def test_a_plugin_builds_a_framework_on_its_own_scale_type(fresh_registry, monkeypatch):
    # Scale types are registered before frameworks, so one plugin can ship both,
    # the framework declared in TOML on the type it registers.
    monkeypatch.setattr(pq.plugins, "_default_registry", fresh_registry)
    toml = """
name = "own-scale"
title = "A framework on its plugin's own scale type"

[scale]
type = "largest"

[[scale.dimensions]]
key = "a"
label = "A"
levels = [{score = 1, label = "low"}, {score = 2, label = "high"}]
"""

    class Plugin:
        @pq.hookimpl
        def policyquant_register_scale_types(self, register):
            register("largest", lambda spec, dimensions: _MaxScale(dimensions))

        @pq.hookimpl
        def policyquant_register_frameworks(self, register):
            register(pq.load_framework(toml))

    fresh_registry.register_plugin(Plugin(), name="own-scale-plugin")
    framework = fresh_registry.get("own-scale")
    assert isinstance(framework.scale, _MaxScale)
    assert framework.scale.score(pd.DataFrame({"a": [1, 2]})).tolist() == [1, 2]
