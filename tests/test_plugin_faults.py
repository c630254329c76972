"""Faulty plugins, installed as real entry points: each is named, and nothing else breaks.

Every fault a stranger's plugin can have (an import that fails or calls ``sys.exit``, a hook
that raises or exits, something registered that is not a framework, a framework that fails
its own validation, a name already taken) must give one
:class:`~policyquant.errors.PluginWarning` naming the plugin, the stage and the cause; the
built-in frameworks and a well-behaved plugin installed next to it keep working; and
``policyquant frameworks`` shows which plugin failed and why.  ``tests/test_plugins.py``
covers the registry itself; the plugins here are distributions on ``sys.path`` (the
``plugin_distribution`` fixture), found by :mod:`importlib.metadata` as an installed one is.
"""

from __future__ import annotations

import re
import sys
import uuid
import warnings
from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result

import policyquant as pq
from policyquant.cli import main
from policyquant.plugins import FrameworkRegistry, PluginFailure

BUILTIN_NAMES = FrameworkRegistry(entry_point_group=None).names()
# Loaded now: inside a test, the default registry is a fresh one that would load the test's plugins.
STUDY = pq.datasets.load_genai_china()

GOOD_CODE = """
import policyquant as pq

@pq.hookimpl
def policyquant_register_frameworks(register):
    register(
        pq.Framework(
            {name!r}, "A good neighbour",
            families=[pq.InstrumentFamily("soft", "Soft")],
            instruments=[pq.Instrument("info", "Information", family="soft")],
        ),
        aliases=[{alias!r}],
    )
"""


def hook(body: str) -> str:
    """A plugin module whose framework hook runs ``body`` (indented by the caller's dedent)."""
    lines = "\n".join("    " + line for line in body.strip().splitlines())
    return f"import attrs\nimport policyquant as pq\n\n@pq.hookimpl\ndef policyquant_register_frameworks(register):\n{lines}\n"


SMALL = 'pq.Framework("{name}", "Small", families=[pq.InstrumentFamily("f", "F")], instruments=[pq.Instrument("i", "I", family="f")])'

# fault -> (plugin module source, stage, the cause as PluginFailure.error starts)
FAULTS: dict[str, tuple[str, str, str]] = {
    # ---- the import fails
    "missing dependency": (
        "import pq_no_such_dependency_1234\n",
        "import",
        "ModuleNotFoundError: No module named",
    ),
    "import raises": (
        "raise ValueError('config file not found')\n",
        "import",
        "ValueError: config file not found",
    ),
    "syntax error": ("def broken(:\n    pass\n", "import", "SyntaxError: "),
    "sys.exit at import": (
        "import sys\nsys.exit('plugin gave up')\n",
        "import",
        "SystemExit: plugin gave up",
    ),
    "hook with an unknown argument": (
        "import policyquant as pq\n\n@pq.hookimpl\ndef policyquant_register_frameworks(register, session):\n    pass\n",
        "import",
        "PluginValidationError: ",
    ),
    # ---- the hook fails
    "hook raises": (hook("raise RuntimeError('plugin exploded')"), "hook", "RuntimeError: plugin exploded"),
    "sys.exit in the hook": (hook("raise SystemExit(3)"), "hook", "SystemExit: 3"),
    "register called wrongly": (hook("register()"), "hook", "TypeError: "),
    "invalid framework built in the hook": (
        hook('pq.Framework("broken", "Broken", instruments=[pq.Instrument("i", "I", family="nope")])'),
        "hook",
        "InvalidFrameworkError: Framework 'broken': instrument 'i' names family 'nope'",
    ),
    "invalid TOML framework": (
        "import policyquant as pq\n\n"
        'TOML = """\nname = "toml-broken"\ntitle = "T"\n[[instruments]]\nkey = "i"\nlabel = "I"\nfamily = "nope"\n"""\n\n'
        "@pq.hookimpl\ndef policyquant_register_frameworks(register):\n    register(pq.load_framework(TOML))\n",
        "hook",
        "FrameworkFileError: instruments[0].family: unknown family 'nope'",
    ),
    "invalid TOML syntax": (
        hook('register(pq.load_framework("name = \\n"))'),
        "hook",
        "FrameworkFileError: line 1, column 8: invalid TOML",
    ),
    "registers, then raises": (
        hook(
            "register("
            + SMALL.format(name="half-done")
            + ', aliases=["half-alias"])\nraise KeyError("second")'
        ),
        "hook",
        "KeyError: 'second'",
    ),
    # ---- what it registers is refused
    "registers a dict": (
        hook('register({"name": "dict-framework"})'),
        "register",
        "PluginError: plugin '{ep}' registered dict",
    ),
    "registers None": (
        hook("register(None)"),
        "register",
        "PluginError: plugin '{ep}' registered NoneType None",
    ),
    "registers the class": (
        hook("register(pq.Framework)"),
        "register",
        "PluginError: plugin '{ep}' registered type",
    ),
    "registers a name": (
        hook('register("wang2026")'),
        "register",
        "PluginError: plugin '{ep}' registered str 'wang2026'",
    ),
    "framework built without validation": (
        hook(
            "with attrs.validators.disabled():\n"
            '    framework = pq.Framework("unvalidated", "")\n'
            "register(framework)"
        ),
        "register",
        "PluginError: plugin '{ep}' registered framework 'unvalidated', which fails its own validation: "
        "InvalidFrameworkError: ",
    ),
    "framework altered after construction": (
        hook(
            "framework = " + SMALL.format(name="altered") + "\n"
            'object.__setattr__(framework, "families", ())\n'
            "register(framework)"
        ),
        "register",
        "PluginError: plugin '{ep}' registered framework 'altered', which fails its own validation: "
        "InvalidFrameworkError: Framework 'altered': instrument 'i' names family 'f'",
    ),
    "empty alias": (
        hook("register(" + SMALL.format(name="aliased") + ', aliases=[""])'),
        "register",
        "PluginError: plugin '{ep}': framework aliases must be non-empty text",
    ),
    # ---- a name already taken
    "claims wang2026": (
        hook('register(pq.Framework("wang2026", "Impostor"))'),
        "register",
        "DuplicateFrameworkError: framework name 'wang2026' is claimed twice: by plugin "
        "'policyquant.frameworks.howlett_ramesh' (framework 'wang2026') and by plugin '{ep}' (framework 'wang2026')",
    ),
    "claims an alias in capitals": (
        hook('register(pq.Framework("impostor", "Impostor"), aliases=["GENAI-CHINA"])'),
        "register",
        "DuplicateFrameworkError: framework name 'GENAI-CHINA' is claimed twice: by plugin "
        "'policyquant.frameworks.howlett_ramesh' (framework 'wang2026')",
    ),
    "claims a full-width name": (
        hook('register(pq.Framework("ｐｍｃ", "Impostor"))'),
        "register",
        "DuplicateFrameworkError: framework name 'ｐｍｃ' is claimed twice: by plugin 'policyquant.frameworks.pmc'",
    ),
    "claims the formula scale type": (
        "import policyquant as pq\n\n@pq.hookimpl\ndef policyquant_register_scale_types(register):\n"
        "    register('Formula', lambda **kw: None)\n",
        "register",
        "DuplicateFrameworkError: scale type 'Formula' is claimed twice: by plugin "
        "'policyquant.frameworks.scales' and by plugin '{ep}'",
    ),
}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="policyquant")


def unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


@pytest.fixture
def neighbour(plugin_distribution: Callable) -> tuple[str, str, str]:
    """A well-behaved plugin installed next to the faulty one: (entry point, framework, alias)."""
    name, alias = unique("good-neighbour"), unique("neighbour-alias")
    dist = plugin_distribution(GOOD_CODE.format(name=name, alias=alias), ep_name=unique("z_good"))
    return dist.ep_name, name, alias


def assert_others_work(registry: FrameworkRegistry, neighbour: tuple[str, str, str]) -> None:
    """The built-ins and the good plugin are there, whole, and usable."""
    ep_name, name, alias = neighbour
    assert registry.names() == [*BUILTIN_NAMES, name]
    reference = FrameworkRegistry(entry_point_group=None)
    for builtin in BUILTIN_NAMES:
        assert registry.get(builtin) == reference.get(builtin)
        assert registry.entry(builtin).plugin == reference.entry(builtin).plugin
    assert registry.get("genai-china").name == "wang2026"
    assert registry.entry(alias).plugin == ep_name
    table = pq.crosstab(pq.Corpus(STUDY.documents, STUDY.units, registry.get("wang2026")))
    assert table.counts.loc["standards_and_norms"].tolist() == [28, 75, 40, 36]


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_faulty_plugin_is_named_and_the_others_keep_working(fault, plugin_distribution, neighbour):
    code, stage, cause = FAULTS[fault]
    ep_name = unique("a_faulty")
    broken = plugin_distribution(code, ep_name=ep_name)
    cause = cause.format(ep=ep_name)
    registry = FrameworkRegistry()
    with pytest.warns(pq.PluginWarning) as record:
        registry.load()
    (warning,) = record.list
    assert str(warning.message).startswith(
        f"policyquant plugin {ep_name!r} ({broken.source}) failed at {stage}: {cause}"
    )
    (failure,) = registry.failures()
    assert (failure.plugin, failure.source, failure.stage) == (ep_name, broken.source, stage)
    assert failure.error.startswith(cause)
    assert "\n" not in failure.error
    assert_others_work(registry, neighbour)
    assert not registry.manager.has_plugin(ep_name)
    assert ep_name not in registry.plugin_names()
    for leftover in (
        "half-done",
        "half-alias",
        "dict-framework",
        "unvalidated",
        "altered",
        "aliased",
        "impostor",
    ):
        with pytest.raises(
            pq.UnknownFrameworkError, match=re.escape(f"from {ep_name}: see policyquant.plugin_failures()")
        ):
            registry.get(leftover)
    assert registry.scale_types() == FrameworkRegistry(entry_point_group=None).scale_types()


@pytest.mark.parametrize("fault", list(FAULTS))
def test_the_frameworks_command_shows_the_failed_plugin(fault, plugin_distribution, neighbour):
    code, stage, cause = FAULTS[fault]
    ep_name = unique("a_faulty")
    broken = plugin_distribution(code, ep_name=ep_name)
    result = invoke("frameworks")
    assert result.exit_code == 0, result.output
    listed = [line.split()[0] for line in result.stdout.splitlines()[2:]]  # below the two header lines
    assert listed == [*BUILTIN_NAMES, neighbour[1]]
    (line,) = result.stderr.splitlines()
    assert line.startswith(
        f"failed: plugin {ep_name!r} ({broken.source}) failed at {stage}: {cause.format(ep=ep_name)}"
    )

    everything = invoke("frameworks", "--all")
    assert everything.exit_code == 0, everything.output
    (row,) = [line for line in everything.stdout.splitlines() if line.startswith("-")]
    assert ep_name in row
    assert "FAILED: " + cause.format(ep=ep_name)[:30] in row
    assert everything.stderr == result.stderr


@pytest.mark.filterwarnings("default::policyquant.errors.PluginWarning")
def test_other_commands_still_work_next_to_a_faulty_plugin(plugin_distribution, neighbour):
    plugin_distribution(FAULTS["hook raises"][0], ep_name="exploding_plugin")
    # The first use of the registry loads the plugins, and warns: one line on stderr.
    codebook = invoke("codebook", neighbour[2])
    assert codebook.exit_code == 0, codebook.output
    (line,) = codebook.stderr.splitlines()
    assert re.match(r"policyquant: warning: policyquant plugin 'exploding_plugin'.*RuntimeError: plugin exploded", line)
    assert "Information" in codebook.stdout
    for args in (["codebook", "wang2026"], ["tables", "--example", "--format", "csv"]):
        result = invoke(*args)
        assert result.exit_code == 0, result.output
    assert "Standards and Norms" in result.stdout


def test_every_fault_at_once(plugin_distribution, neighbour):
    expected = {}
    for n, (code, stage, _cause) in enumerate(FAULTS.values()):
        ep_name = f"a_fault_{n:02d}_{uuid.uuid4().hex[:4]}"
        plugin_distribution(code, ep_name=ep_name)
        expected[ep_name] = stage
    registry = FrameworkRegistry()
    with pytest.warns(pq.PluginWarning) as record:
        registry.load()
    assert len(record) == len(FAULTS)
    assert {f.plugin: f.stage for f in registry.failures()} == expected
    assert_others_work(registry, neighbour)
    result = invoke("frameworks")
    assert result.exit_code == 0
    assert sorted(re.findall(r"^failed: plugin '([^']+)'", result.stderr, re.MULTILINE)) == sorted(expected)


def test_two_plugins_claiming_one_name_are_both_named(plugin_distribution, neighbour):
    name = unique("contested")
    first = plugin_distribution(hook("register(" + SMALL.format(name=name) + ")"), ep_name="a_first")
    plugin_distribution(hook("register(" + SMALL.format(name=name.upper()) + ")"), ep_name="b_second")
    registry = FrameworkRegistry()
    with pytest.warns(pq.PluginWarning, match="'b_second'") as record:
        registry.load()
    assert len(record) == 1
    (failure,) = registry.failures()
    assert failure.plugin == "b_second"
    assert failure.error == (
        f"DuplicateFrameworkError: framework name {name.upper()!r} is claimed twice: by plugin 'a_first' "
        f"(framework {name!r}) and by plugin 'b_second' (framework {name.upper()!r})"
    )
    # Entry points load in name order, so the same plugin wins every time.
    assert registry.entry(name).plugin == first.ep_name
    assert registry.names() == [*BUILTIN_NAMES, name, neighbour[1]]


def test_an_entry_point_named_like_a_builtin_plugin_is_refused(plugin_distribution, neighbour):
    builtin = "policyquant.frameworks.howlett_ramesh"
    dist = plugin_distribution(hook("register(" + SMALL.format(name="shadow") + ")"), ep_name=builtin)
    registry = FrameworkRegistry()
    with pytest.warns(
        pq.PluginWarning, match=re.escape(f"plugin {builtin!r} ({dist.source}) failed at import")
    ):
        registry.load()
    assert registry.failures() == [
        PluginFailure(
            builtin,
            dist.source,
            "import",
            f"PluginError: the plugin name {builtin!r} is already taken by {builtin}",
        )
    ]
    assert_others_work(registry, neighbour)
    with pytest.raises(pq.UnknownFrameworkError):
        registry.get("shadow")


def test_two_distributions_with_one_entry_point_name(plugin_distribution, neighbour):
    first = plugin_distribution(
        hook("register(" + SMALL.format(name="from-first") + ")"), ep_name="same_name"
    )
    second = plugin_distribution(
        hook("register(" + SMALL.format(name="from-second") + ")"), ep_name="same_name"
    )
    registry = FrameworkRegistry()
    with pytest.warns(pq.PluginWarning, match="'same_name'.*is already taken by same_name = ") as record:
        registry.load()
    assert len(record) == 1
    (failure,) = registry.failures()
    loaded = "from-first" if failure.source == second.source else "from-second"
    assert {failure.source} < {first.source, second.source}
    assert registry.names() == [*BUILTIN_NAMES, loaded, neighbour[1]]


def test_a_faulty_plugin_does_not_stop_a_user_interrupt(plugin_distribution):
    # Isolation is for the plugin's faults, not for the user's Ctrl-C.
    plugin_distribution(hook("raise KeyboardInterrupt"), ep_name="interrupted")
    registry = FrameworkRegistry()
    with pytest.raises(KeyboardInterrupt):
        registry.load()
    # The registry is left clean, so that the next use tries again.
    assert registry._loaded is False


def test_a_runtime_plugin_that_exits_fails_loudly_without_exiting(fresh_registry):
    class Exits:
        @pq.hookimpl
        def policyquant_register_frameworks(self, register):
            register(pq.Framework("before-exit", "Registered before sys.exit"))
            sys.exit("giving up")

    with pytest.raises(pq.PluginError) as raised:
        fresh_registry.register_plugin(Exits(), name="exits")
    assert str(raised.value) == "plugin 'exits' failed in its hook: SystemExit: giving up"
    assert fresh_registry.names() == BUILTIN_NAMES
    assert not fresh_registry.manager.has_plugin("exits")


def test_a_runtime_plugin_with_an_unvalidated_framework_is_refused(fresh_registry):
    import attrs

    with attrs.validators.disabled():
        framework = pq.Framework("no checks", "")  # a space in the name, an empty title

    class Unvalidated:
        @pq.hookimpl
        def policyquant_register_frameworks(self, register):
            register(framework)

    with pytest.raises(
        pq.PluginError, match=r"registered framework 'no checks', which fails its own validation"
    ):
        fresh_registry.register_plugin(Unvalidated(), name="unvalidated")
    assert fresh_registry.names() == BUILTIN_NAMES


def test_the_default_registry_reports_the_failure_to_get_framework(plugin_distribution):
    plugin_distribution(FAULTS["claims wang2026"][0], ep_name="impostor_plugin")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # A built-in name is found without loading third-party plugins (issue 13, item 12).
        assert pq.get_framework("wang2026").title != "Impostor"
    # A name that no built-in has loads them, and the failure is named.
    with (
        pytest.warns(pq.PluginWarning, match="impostor_plugin"),
        pytest.raises(pq.UnknownFrameworkError, match=r"1 plugin failure\(s\), from impostor_plugin"),
    ):
        pq.get_framework("wang2027")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # warned once, at loading
        assert [f.plugin for f in pq.plugin_failures()] == ["impostor_plugin"]
        assert pq.get_framework("wang2026").title != "Impostor"
