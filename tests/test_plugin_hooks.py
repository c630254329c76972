"""Issue 18, item 1: plugins fail loudly, ``check_plugin``, and where an installed plugin came from.

A plugin whose hook is misspelt, whose hook function lacks ``@pq.hookimpl``, or that has no hook
at all used to load without a word and register nothing.  Now it is refused like any other faulty
plugin: a :class:`~policyquant.errors.PluginWarning` and a recorded failure for an installed plugin
(its neighbours keep working), a :class:`~policyquant.errors.PluginError` for a built-in plugin or
one registered at run time, with the function named and the closest hook suggested.  The plugins
here are real distributions on ``sys.path`` (the ``plugin_distribution`` fixture of conftest).
"""

from __future__ import annotations

import re
import string
import sys
import uuid
import warnings
from collections.abc import Callable
from pathlib import Path

import attrs
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.cli import main
from policyquant.plugins import DEFAULT_PLUGINS, FrameworkRegistry
from policyquant.reporting import render_report
from policyquant.testing import (
    FrameworkReport,
    PluginCheckError,
    PluginReport,
    check_framework,
    check_plugin,
)

BUILTIN = FrameworkRegistry(entry_point_group=None)
# Every hook policyquant has, as the "no hook" message lists them.
ALL_HOOKS = " or ".join(sorted(name for name in vars(pq.hookspecs) if name.startswith("policyquant_")))
BUILTIN_NAMES = BUILTIN.names()
BUILTIN_SCALE_TYPES = BUILTIN.scale_types()
HOOKS = ("policyquant_register_frameworks", "policyquant_register_scale_types")

SMALL = (
    'pq.Framework({name!r}, "Small", families=[pq.InstrumentFamily("f", "F")], '
    'instruments=[pq.Instrument("i", "I", family="f")])'
)

GOOD_CODE = """
import policyquant as pq

@pq.hookimpl
def policyquant_register_frameworks(register):
    register({framework}, aliases=[{alias!r}])
"""


def unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def module_code(body: str) -> str:
    return "import policyquant as pq\n\n" + body.strip() + "\n"


# fault -> (plugin module source, the cause as the error message continues after "cannot be registered: ")
FAULTS: dict[str, tuple[str, str]] = {
    "misspelt frameworks hook": (
        module_code(
            "@pq.hookimpl\ndef policyquant_register_framework(register):\n"
            "    register(" + SMALL.format(name="never-registered") + ")"
        ),
        "its function 'policyquant_register_framework' is marked as a hook, but policyquant has no hook "
        "of that name (did you mean policyquant_register_frameworks?)",
    ),
    "misspelt scale-types hook": (
        module_code(
            "@pq.hookimpl\ndef policyquant_register_scale_type(register):\n"
            "    register('never', lambda spec, dimensions: None)"
        ),
        "its function 'policyquant_register_scale_type' is marked as a hook, but policyquant has no hook "
        "of that name (did you mean policyquant_register_scale_types?)",
    ),
    "hook without hookimpl": (
        module_code(
            "def policyquant_register_frameworks(register):\n"
            "    register(" + SMALL.format(name="never-registered") + ")"
        ),
        "its function 'policyquant_register_frameworks' is not marked with @policyquant.hookimpl, "
        "so policyquant would never call it",
    ),
    "misspelt hook without hookimpl": (
        module_code("def policyquant_registr_frameworks(register):\n    pass"),
        "its function 'policyquant_registr_frameworks' is not marked with @policyquant.hookimpl, so "
        "policyquant would never call it (did you mean policyquant_register_frameworks?)",
    ),
    # Every hook is named, whichever hooks policyquant has (the list grows with new hooks).
    "no hook at all": (
        module_code("def register_frameworks(register):\n    pass\n\nVERSION = '1.0'"),
        f"it implements no hook: a plugin needs a function named {ALL_HOOKS}, "
        "marked with @policyquant.hookimpl",
    ),
    "an empty module": (
        "",
        f"it implements no hook: a plugin needs a function named {ALL_HOOKS}, "
        "marked with @policyquant.hookimpl",
    ),
    "one good hook, one misspelt": (
        module_code(
            "@pq.hookimpl\ndef policyquant_register_frameworks(register):\n"
            "    register(" + SMALL.format(name="half-good") + ")\n\n"
            "@pq.hookimpl\ndef policyquant_register_scaletypes(register):\n    pass"
        ),
        "its function 'policyquant_register_scaletypes' is marked as a hook, but policyquant has no hook "
        "of that name (did you mean policyquant_register_scale_types?)",
    ),
    "hook without the prefix": (
        module_code("@pq.hookimpl\ndef register_frameworks(register):\n    pass"),
        "its function 'register_frameworks' is marked as a hook, but policyquant has no hook of that name "
        "(did you mean policyquant_register_frameworks?)",
    ),
    "a hook name far from any": (
        module_code("@pq.hookimpl\ndef policyquant_on_startup():\n    pass"),
        "its function 'policyquant_on_startup' is marked as a hook, but policyquant has no hook of that "
        f"name (policyquant's hooks are {ALL_HOOKS.replace(' or ', ', ')})",
    ),
}


@pytest.fixture
def neighbour(plugin_distribution: Callable) -> tuple[str, str, str]:
    """A well-behaved plugin installed next to the faulty one: (entry point, framework, alias)."""
    name, alias = unique("good-neighbour"), unique("neighbour-alias")
    dist = plugin_distribution(
        GOOD_CODE.format(framework=SMALL.format(name=name), alias=alias), ep_name=unique("z_good")
    )
    return dist.ep_name, name, alias


def set_version(dist, version: str) -> None:
    """Give an installed test distribution another version in its METADATA (the folder name keeps 1.0)."""
    (metadata,) = Path(dist.path).glob(f"{dist.dist_name.replace('-', '_')}-*.dist-info/METADATA")
    metadata.write_text(
        f"Metadata-Version: 2.1\nName: {dist.dist_name}\nVersion: {version}\n", encoding="utf-8"
    )


# --------------------------------------------------------------------------
# Installed plugins: a recorded failure and a warning, the neighbours untouched.


@pytest.mark.parametrize("fault", list(FAULTS))
def test_an_installed_plugin_with_faulty_hooks_is_named_and_the_others_keep_working(
    fault, plugin_distribution, neighbour
):
    code, cause = FAULTS[fault]
    ep_name = unique("a_faulty")
    broken = plugin_distribution(code, ep_name=ep_name)
    registry = FrameworkRegistry()
    with pytest.warns(pq.PluginWarning) as record:
        registry.load()
    (warning,) = record.list
    error = f"PluginError: plugin {ep_name!r} cannot be registered: {cause}"
    assert str(warning.message) == (
        f"policyquant plugin {ep_name!r} ({broken.source}) failed at import: {error}; the other frameworks still work"
    )
    (failure,) = registry.failures()
    assert (failure.plugin, failure.source, failure.stage, failure.error) == (
        ep_name,
        broken.source,
        "import",
        error,
    )
    # Nothing of the faulty plugin is left, and everything else is whole.
    assert not registry.manager.has_plugin(ep_name)
    assert ep_name not in registry.plugin_names()
    assert registry.names() == [*BUILTIN_NAMES, neighbour[1]]
    assert registry.entry(neighbour[2]).plugin == neighbour[0]
    assert registry.get("genai-china").name == "wang2026"
    assert registry.scale_types() == BUILTIN_SCALE_TYPES
    for leftover in ("never-registered", "half-good"):
        with pytest.raises(pq.UnknownFrameworkError, match=re.escape(f"from {ep_name}: see")):
            registry.get(leftover)


def test_the_frameworks_command_names_the_misspelt_hook(plugin_distribution, neighbour):
    code, _cause = FAULTS["misspelt frameworks hook"]
    broken = plugin_distribution(code, ep_name="misspelt_plugin")
    result = CliRunner().invoke(main, ["frameworks"], prog_name="policyquant")
    assert result.exit_code == 0, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(
        f"failed: plugin 'misspelt_plugin' ({broken.source}) failed at import: PluginError: "
    )
    assert line.endswith("(did you mean policyquant_register_frameworks?)")
    assert neighbour[1] in result.stdout


def test_a_misspelt_plugin_does_not_load_for_builtin_names(plugin_distribution):
    # The lazy loading of issue 13 stands: a built-in name never imports a third-party plugin.
    plugin_distribution(FAULTS["misspelt frameworks hook"][0], ep_name="misspelt_plugin")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert pq.get_framework("wang2026").name == "wang2026"
        assert pq.plugins.get_registry()._loaded is False
    with pytest.warns(pq.PluginWarning, match="did you mean policyquant_register_frameworks"):
        assert [f.plugin for f in pq.plugin_failures()] == ["misspelt_plugin"]


def test_an_optional_hook_of_a_newer_policyquant_is_allowed(plugin_distribution):
    # pluggy's optionalhook: a plugin written for hooks this version does not have yet.
    name = unique("forward")
    code = module_code(
        "@pq.hookimpl(optionalhook=True)\ndef policyquant_register_languages(register):\n    pass\n\n"
        "@pq.hookimpl\ndef policyquant_register_frameworks(register):\n"
        "    register(" + SMALL.format(name=name) + ")"
    )
    dist = plugin_distribution(code, ep_name=unique("forward"))
    registry = FrameworkRegistry()
    registry.load()  # PluginWarning is an error in this test suite
    assert registry.failures() == []
    assert registry.entry(name).plugin == dist.ep_name


def test_constants_and_imported_hookspecs_are_not_hooks(plugin_module):
    name = unique("with-constant")
    module = plugin_module(
        module_code(
            "from policyquant.hookspecs import policyquant_register_scale_types\n\n"
            "policyquant_min_version = '0.1'\n\n"
            "@pq.hookimpl\ndef policyquant_register_frameworks(register):\n"
            "    register(" + SMALL.format(name=name) + ")"
        )
    )
    registry = FrameworkRegistry(entry_point_group=None)
    assert registry.register_plugin(__import__(module)) == module
    assert registry.entry(name).plugin == module


# --------------------------------------------------------------------------
# Built-in and run-time plugins raise.


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_runtime_plugin_with_faulty_hooks_raises(fault, plugin_module, fresh_registry):
    code, cause = FAULTS[fault]
    module = __import__(plugin_module(code))
    before = (fresh_registry.names(), fresh_registry.plugin_names(), fresh_registry.scale_types())
    with pytest.raises(pq.PluginError) as raised:
        fresh_registry.register_plugin(module, name="mine")
    assert str(raised.value) == f"plugin 'mine' cannot be registered: {cause}"
    assert (fresh_registry.names(), fresh_registry.plugin_names(), fresh_registry.scale_types()) == before
    assert not fresh_registry.manager.has_plugin("mine")
    assert fresh_registry.failures() == []  # raised, not recorded


def test_a_runtime_object_plugin_is_checked_the_same_way(fresh_registry):
    class Misspelt:
        @pq.hookimpl
        def policyquant_register_framework(self, register):  # pragma: no cover - never called
            raise AssertionError("must not run")

    class Unmarked:
        def policyquant_register_frameworks(self, register):  # pragma: no cover - never called
            raise AssertionError("must not run")

        @staticmethod
        def policyquant_register_scale_types(register):  # pragma: no cover - never called
            raise AssertionError("must not run")

    with pytest.raises(pq.PluginError, match=r"did you mean policyquant_register_frameworks\?\)$"):
        fresh_registry.register_plugin(Misspelt(), name="misspelt")
    with pytest.raises(pq.PluginError) as raised:
        fresh_registry.register_plugin(Unmarked(), name="unmarked")
    assert str(raised.value) == (
        "plugin 'unmarked' cannot be registered: "
        "its function 'policyquant_register_frameworks' is not marked with @policyquant.hookimpl, "
        "so policyquant would never call it; "
        "its function 'policyquant_register_scale_types' is not marked with @policyquant.hookimpl, "
        "so policyquant would never call it"
    )

    # Fixed, the same plugin registers under the same name.
    class Fixed:
        @pq.hookimpl
        def policyquant_register_frameworks(self, register):
            register(pq.Framework("fixed-one", "Fixed"))

    assert fresh_registry.register_plugin(Fixed(), name="misspelt") == "misspelt"
    assert fresh_registry.entry("fixed-one").plugin == "misspelt"


def test_the_default_registry_refuses_at_run_time(fresh_registry):
    class NoHook:
        def register(self, register):  # pragma: no cover - never called
            raise AssertionError("must not run")

    names = pq.plugins.get_registry().plugin_names()
    with pytest.raises(pq.PluginError, match=r"^plugin 'nohook' cannot be registered: it implements no hook"):
        pq.plugins.register_plugin(NoHook(), name="nohook")
    assert pq.plugins.get_registry().plugin_names() == names


def test_a_builtin_plugin_with_a_misspelt_hook_raises(plugin_module):
    module = plugin_module(FAULTS["misspelt frameworks hook"][0])
    registry = FrameworkRegistry(default_plugins=[*DEFAULT_PLUGINS, module], entry_point_group=None)
    with pytest.raises(
        pq.PluginError, match=re.escape(f"plugin {module!r} cannot be registered: its function")
    ):
        registry.get("wang2026")
    # Nothing half-loaded: the next use fails the same way.
    assert registry._builtins_loaded is False
    with pytest.raises(pq.PluginError, match="did you mean policyquant_register_frameworks"):
        registry.names()


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=30))
def test_any_misspelt_hook_name_is_refused_and_named(suffix):
    hook_name = "policyquant_" + suffix
    if hook_name in HOOKS:
        return
    registry = FrameworkRegistry(default_plugins=(), entry_point_group=None)

    def hook(self, register):  # pragma: no cover - never called
        raise AssertionError("must not run")

    plugin = type("Plugin", (), {hook_name: pq.hookimpl(hook)})()
    with pytest.raises(pq.PluginError) as raised:
        registry.register_plugin(plugin, name="p")
    message = str(raised.value)
    assert message.startswith(
        f"plugin 'p' cannot be registered: its function {hook_name!r} is marked as a hook"
    )
    assert "did you mean policyquant_register_" in message or "policyquant's hooks are" in message
    assert registry.plugin_names() == []


# --------------------------------------------------------------------------
# check_plugin.


@pytest.mark.parametrize("module", DEFAULT_PLUGINS)
def test_check_plugin_passes_every_builtin_plugin(module):
    report = check_plugin(module)
    assert isinstance(report, PluginReport)
    assert report.name == module
    expected = [n for n in BUILTIN_NAMES if BUILTIN.entry(n).plugin == module]
    assert [r.name for r in report.frameworks] == expected
    for framework_report in report.frameworks:
        assert isinstance(framework_report, FrameworkReport)
        assert framework_report == check_framework(BUILTIN.get(framework_report.name))
    assert report.scale_types == tuple(k for k, owner in BUILTIN_SCALE_TYPES.items() if owner == module)
    assert str(report).startswith(f"plugin {module!r} passed: ")


def test_check_plugin_accepts_the_module_itself_and_leaves_the_default_registry_alone():
    from policyquant.frameworks import howlett_ramesh

    before = pq.plugins.get_registry().to_frame()
    report = check_plugin(howlett_ramesh)
    assert [r.name for r in report.frameworks] == ["wang2026", "howlett-ramesh-1995"]
    assert str(report) == (
        "plugin 'policyquant.frameworks.howlett_ramesh' passed: 2 frameworks (wang2026, howlett-ramesh-1995) checked"
    )
    pd.testing.assert_frame_equal(pq.plugins.get_registry().to_frame(), before)


@pytest.mark.parametrize("fault", list(FAULTS))
def test_check_plugin_fails_a_plugin_with_faulty_hooks(fault, plugin_module):
    code, cause = FAULTS[fault]
    module = plugin_module(code)
    with pytest.raises(PluginCheckError) as raised:
        check_plugin(module)
    error = raised.value
    assert isinstance(error, AssertionError)  # a failed test, not an error
    assert error.name == module
    assert error.problems == [f"hooks: plugin {module!r} cannot be registered: {cause}"]
    assert (
        str(error)
        == f"plugin {module!r} failed its checks:\n  - hooks: plugin {module!r} cannot be registered: {cause}"
    )


@attrs.frozen
class Lossy(pq.FormulaScale):
    """A scale whose TOML forgets its name: it registers, and fails check_framework's round trip."""

    def toml_spec(self):
        return "formula", {"formula": self.formula}


def test_check_plugin_runs_check_framework_on_every_framework():
    dims = pq.get_framework("wang2026").scale.dimensions

    class Mixed:
        @pq.hookimpl
        def policyquant_register_frameworks(self, register):
            register(pq.Framework("fine-one", "Fine", families=[pq.InstrumentFamily("f", "F")]))
            register(pq.Framework("lossy-one", "Lossy", scale=Lossy(dims, "DA", name="strength")))

    with pytest.raises(PluginCheckError) as raised:
        check_plugin(Mixed())
    assert raised.value.problems == [
        "framework 'lossy-one': toml: the framework's TOML loads back different in: scale"
    ]
    assert str(raised.value).splitlines()[0] == "plugin 'Mixed' failed its checks:"


def test_check_plugin_reports_what_registration_refuses():
    class Impostor:
        @pq.hookimpl
        def policyquant_register_frameworks(self, register):
            register(pq.Framework("wang2026", "Impostor"))

    class Exploding:
        @pq.hookimpl
        def policyquant_register_frameworks(self, register):
            raise RuntimeError("config file not found")

    with pytest.raises(PluginCheckError) as raised:
        check_plugin(Impostor(), name="impostor")
    assert raised.value.problems == [
        "register: DuplicateFrameworkError: framework name 'wang2026' is claimed twice: by plugin "
        "'policyquant.frameworks.howlett_ramesh' (framework 'wang2026') and by plugin 'impostor' (framework 'wang2026')"
    ]
    with pytest.raises(PluginCheckError) as raised:
        check_plugin(Exploding())
    assert raised.value.problems == [
        "register: PluginError: plugin 'Exploding' failed in its hook: RuntimeError: config file not found"
    ]


def test_check_plugin_fails_a_plugin_that_registers_nothing_and_a_bad_scale_type():
    class Idle:
        @pq.hookimpl
        def policyquant_register_frameworks(self, register):
            pass

    class KeywordsOnly:
        @pq.hookimpl
        def policyquant_register_scale_types(self, register):
            register("keywords-only", lambda **spec: None)

    with pytest.raises(PluginCheckError, match="it registered no framework and no scale type"):
        check_plugin(Idle())
    with pytest.raises(PluginCheckError) as raised:
        check_plugin(KeywordsOnly())
    (problem,) = raised.value.problems
    assert problem.startswith(
        "scale type 'keywords-only': its factory cannot be called as factory(spec, dimensions)"
    )


def test_check_plugin_finds_the_plugins_own_scale_types():
    from test_declarative import WeightedPlugin

    report = check_plugin(WeightedPlugin())
    assert report.scale_types == ("weighted", "constant", "broken")
    assert report.frameworks == ()


def test_check_plugin_on_an_installed_plugin(plugin_distribution):
    name = unique("installed")
    dist = plugin_distribution(GOOD_CODE.format(framework=SMALL.format(name=name), alias=unique("alias")))
    report = check_plugin(dist.module, name=dist.ep_name)
    assert report.name == dist.ep_name
    assert [r.name for r in report.frameworks] == [name]


def test_check_plugin_names_a_module_that_does_not_import():
    with pytest.raises(PluginCheckError) as raised:
        check_plugin("pq_no_such_plugin_module_1234")
    assert raised.value.problems == [
        "import: ModuleNotFoundError: No module named 'pq_no_such_plugin_module_1234'"
    ]


def test_plugin_check_error_pickles():
    import pickle

    error = PluginCheckError("x", ["hooks: one", "register: two"])
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.name, copy.problems) == (str(error), "x", error.problems)


# --------------------------------------------------------------------------
# Distribution name and version.


def test_list_frameworks_shows_each_plugins_distribution_and_version(plugin_distribution, make_framework):
    name, alias = unique("dist-framework"), unique("dist-alias")
    dist = plugin_distribution(GOOD_CODE.format(framework=SMALL.format(name=name), alias=alias))
    set_version(dist, "2.3.1rc1")
    registry = FrameworkRegistry()
    runtime = make_framework(unique("runtime"))

    class Runtime:
        @pq.hookimpl
        def policyquant_register_frameworks(self, register):
            register(runtime)

    registry.register_plugin(Runtime(), name="runtime-plugin")
    table = registry.to_frame().set_index("name")
    row = table.loc[name]
    assert (row["plugin"], row["distribution"], row["distribution_version"], bool(row["builtin"])) == (
        dist.ep_name,
        dist.dist_name,
        "2.3.1rc1",
        False,
    )
    assert row["version"] is None or pd.isna(row["version"])  # the framework's own version: none given
    for builtin in BUILTIN_NAMES:
        assert (table.loc[builtin, "distribution"], table.loc[builtin, "distribution_version"]) == ("", "")
    assert (table.loc[runtime.name, "distribution"], table.loc[runtime.name, "distribution_version"]) == (
        "",
        "",
    )
    entry = registry.entry(alias)
    assert (entry.distribution, entry.distribution_version) == (dist.dist_name, "2.3.1rc1")


def test_the_frameworks_command_lists_the_distribution(plugin_distribution):
    name = unique("cli-framework")
    dist = plugin_distribution(GOOD_CODE.format(framework=SMALL.format(name=name), alias=unique("alias")))
    set_version(dist, "4.5")
    result = CliRunner().invoke(main, ["frameworks", "--all"], prog_name="policyquant")
    assert result.exit_code == 0, result.output
    assert "distribution_version" in result.stdout.splitlines()[0]
    (row,) = [line for line in result.stdout.splitlines() if line.startswith(name)]
    assert dist.dist_name in row and "4.5" in row
    assert pq.list_frameworks().set_index("name").loc[name, "distribution"] == dist.dist_name


def test_the_report_provenance_names_the_distribution_and_version(plugin_distribution):
    name = unique("report-framework")
    dist = plugin_distribution(GOOD_CODE.format(framework=SMALL.format(name=name), alias=unique("alias")))
    set_version(dist, "0.9.2")
    framework = pq.get_framework(name)
    units = pd.DataFrame({"unit_id": ["D1-1-1", "D1-1-2"], "instrument": ["i", "I"]})
    text = render_report(pq.Corpus(None, units, framework))
    provenance = re.search(r'<section id="provenance">(.*?)</section>', text, re.DOTALL).group(1)
    assert f"{dist.ep_name} ({dist.dist_name} 0.9.2)" in provenance
    # A built-in framework shows its plugin alone: policyquant's own version is in the same table.
    builtin = render_report(
        pq.Corpus(None, units.assign(instrument="regulation"), pq.get_framework("howlett-ramesh-1995"))
    )
    provenance = re.search(r'<section id="provenance">(.*?)</section>', builtin, re.DOTALL).group(1)
    assert "policyquant.frameworks.howlett_ramesh<" in provenance


def test_a_distribution_without_metadata_loads_with_empty_names(plugin_distribution):
    name = unique("no-metadata")
    dist = plugin_distribution(GOOD_CODE.format(framework=SMALL.format(name=name), alias=unique("alias")))
    (metadata,) = Path(dist.path).glob(f"{dist.dist_name.replace('-', '_')}-*.dist-info/METADATA")
    metadata.unlink()
    registry = FrameworkRegistry()
    registry.load()
    entry = registry.entry(name)
    assert entry.plugin == dist.ep_name
    assert (entry.distribution, entry.distribution_version) == ("", "")
    assert sys.modules[dist.module] is not None
