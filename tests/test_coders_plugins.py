"""Coders as plugins (issue 16, item 5): the hook, the registry, get_coder and list_coders."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import uuid

import pandas as pd
import pytest

import policyquant as pq
from policyquant.coders import Coder, Suggestions, get_coder, list_coders, units_frame
from policyquant.errors import DuplicateFrameworkError, PluginError, UnknownFrameworkError, ValidationError
from policyquant.plugins import FrameworkRegistry
from policyquant.testing import check_plugin


class Always(Coder):
    """The hookspec's example: one instrument for every clause."""

    name = "always"
    default_fields = ("instrument",)

    def suggest(self, units, top=3):
        units = units_frame(units)
        rows = pd.DataFrame(
            {"unit_id": units["unit_id"], "field": "instrument", "code": "standards_and_norms", "score": 0.5}
        )
        return Suggestions.build(rows, coder=self.name, framework=self.framework, unit_ids=units["unit_id"], fields=self.fields)


def coder_plugin(name: str, factory=Always):
    class Plugin:
        @pq.hookimpl
        def policyquant_register_coders(self, register):
            register(name, factory)

    return Plugin()


@pytest.fixture
def registered():
    names = []

    def add(plugin, name=None):
        names.append(pq.plugins.register_plugin(plugin, name=name or f"coder-plugin-{uuid.uuid4().hex[:8]}"))
        return names[-1]

    yield add
    for name in names:
        pq.plugins.unregister_plugin(name)


def test_builtin_coders_are_listed():
    table = list_coders().set_index("name")
    assert table.loc["dictionary", "plugin"] == "policyquant.coders._builtin"
    assert table.loc["openai-compatible", "plugin"] == "policyquant.coders._builtin"
    # The supervised coder registers itself through the same hook, from its own module.
    assert table.loc["tfidf-linear", "plugin"] == "policyquant.coders.supervised"
    assert table["builtin"].all()


def test_a_plugin_registers_a_coder_and_get_coder_builds_it(registered):
    plugin = registered(coder_plugin("always"))
    assert list_coders().set_index("name").loc["always", "plugin"] == plugin
    coder = get_coder("Always", framework="genai-china")  # names are case-insensitive
    assert isinstance(coder, Always) and coder.framework.name == "wang2026"
    found = coder.suggest(pd.DataFrame({"unit_id": ["N01-1-1", "N01-1-2"], "text": ["甲", "乙"]}))
    assert found.frame["code"].tolist() == ["standards_and_norms"] * 2
    # A corpus of wang2026 needs objectives too: code() says so instead of failing in the corpus.
    with pytest.raises(ValidationError, match="coder 'always' suggests instrument only; a corpus of framework 'wang2026' needs instrument and objectives"):
        coder.code(pd.DataFrame({"unit_id": ["N01-1-1"], "text": ["甲"]}))
    framework = pq.Framework(
        "coder-test-fw", "Only instruments", families=[pq.InstrumentFamily("all", "All")],
        instruments=[pq.Instrument("standards_and_norms", "Standards", family="all")],
    )
    machine = Always(framework).code(pd.DataFrame({"unit_id": ["N01-1-1", "N01-1-2"], "text": ["甲", "乙"]}))
    assert machine.coder == "always"
    assert machine.units["instrument"].tolist() == ["standards_and_norms"] * 2


def test_the_coder_disappears_with_its_plugin():
    name = pq.plugins.register_plugin(coder_plugin("transient"), name="transient-plugin")
    assert "transient" in set(list_coders()["name"])
    pq.plugins.unregister_plugin(name)
    assert "transient" not in set(list_coders()["name"])
    with pytest.raises(UnknownFrameworkError, match="no coder named 'transient'"):
        get_coder("transient")


def test_a_duplicate_coder_name_is_refused_and_names_both_plugins(fresh_registry):
    with pytest.raises(DuplicateFrameworkError, match=r"coder 'Dictionary' is claimed twice: by plugin 'policyquant\.coders\._builtin' and by plugin 'dup'"):
        fresh_registry.register_plugin(coder_plugin("Dictionary"), name="dup")
    # Nothing of the refused plugin is left behind.
    assert "dup" not in fresh_registry.plugin_names()
    assert fresh_registry.coders()["dictionary"] == "policyquant.coders._builtin"


def test_a_bad_registration_is_a_plugin_error(fresh_registry):
    with pytest.raises(PluginError, match="register\\(name, factory\\) needs a name and a callable, got '' and"):
        fresh_registry.register_plugin(coder_plugin(""), name="empty")
    with pytest.raises(PluginError, match="needs a name and a callable"):
        fresh_registry.register_plugin(coder_plugin("x", factory="not callable"), name="notcallable")


def test_unknown_coder_names_the_closest():
    with pytest.raises(UnknownFrameworkError) as info:
        get_coder("dictionnary")
    assert "did you mean 'dictionary'?" in str(info.value)
    assert "openai-compatible" in str(info.value)


def test_a_factory_returning_something_else_is_a_plugin_error(registered):
    registered(coder_plugin("broken-factory", factory=lambda **options: "a string"))
    with pytest.raises(PluginError, match=r"the factory of coder 'broken-factory' returned str, not a policyquant\.coders\.Coder"):
        get_coder("broken-factory")


def test_a_coder_field_outside_the_framework_is_refused():
    with pytest.raises(ValidationError, match="has no field 'instruments'; did you mean 'instrument'"):
        Always("wang2026", fields=["instruments"])


def test_a_failing_entry_point_coder_plugin_is_collected_like_any_plugin_failure(plugin_distribution):
    code = textwrap.dedent(
        """
        import policyquant as pq

        @pq.hookimpl
        def policyquant_register_coders(register):
            register("dictionary", lambda **options: None)
        """
    )
    dist = plugin_distribution(code)
    registry = FrameworkRegistry()
    with pytest.warns(pq.plugins.PluginWarning, match="coder 'dictionary' is claimed twice"):
        coders = registry.coders()
    assert coders["dictionary"] == "policyquant.coders._builtin"
    failures = registry.failures()
    assert [f.plugin for f in failures] == [dist.ep_name]
    assert failures[0].stage == "register"


def test_a_good_entry_point_coder_plugin_is_loaded(plugin_distribution):
    name = f"ep-coder-{uuid.uuid4().hex[:8]}"
    code = textwrap.dedent(
        f"""
        import pandas as pd
        import policyquant as pq
        from policyquant.coders import Coder, Suggestions, units_frame

        class Mine(Coder):
            name = {name!r}
            default_fields = ("instrument",)

            def suggest(self, units, top=3):
                units = units_frame(units)
                rows = pd.DataFrame({{"unit_id": units["unit_id"], "field": "instrument", "code": "infrastructure"}})
                return Suggestions.build(rows, coder=self.name, framework=self.framework,
                                         unit_ids=units["unit_id"], fields=self.fields)

        @pq.hookimpl
        def policyquant_register_coders(register):
            register({name!r}, Mine)
        """
    )
    dist = plugin_distribution(code)
    registry = FrameworkRegistry()
    assert registry.coders()[name] == dist.ep_name
    coder = registry.coder_factory(name)(framework="wang2026")
    assert coder.suggest(pd.DataFrame({"unit_id": ["a"], "text": ["x"]})).frame["code"].tolist() == ["infrastructure"]


def test_check_plugin_accepts_a_plugin_that_registers_only_coders():
    report = check_plugin(coder_plugin(f"checked-{uuid.uuid4().hex[:6]}"), name="checked-coder-plugin")
    assert report.name == "checked-coder-plugin"
    report = check_plugin("policyquant.coders._builtin")
    assert report.name == "policyquant.coders._builtin"


def test_a_dictionary_registered_twice_for_one_framework_is_refused(fresh_registry):
    class Plugin:
        @pq.hookimpl
        def policyquant_register_dictionaries(self, register):
            register("wang2026", '[instrument.infrastructure]\nterms = ["算力"]')

    with pytest.raises(DuplicateFrameworkError, match="a dictionary for framework 'wang2026' is registered twice"):
        fresh_registry.register_plugin(Plugin(), name="second-dictionary")


def test_no_network_module_is_imported_unless_the_openai_coder_is_used():
    # In a fresh interpreter: the library, the registry and the dictionary coder import no HTTP client.
    script = textwrap.dedent(
        """
        import sys
        import pandas as pd
        import policyquant as pq
        import policyquant.coders as coders
        coders.list_coders()
        coder = coders.get_coder("dictionary")
        coder.code(pq.datasets.load_genai_china())
        loaded = sorted(m for m in sys.modules if m in ("policyquant.coders.llm", "urllib.request", "http.client", "requests", "httpx"))
        print(",".join(loaded))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True)
    assert result.stdout.strip() == ""
