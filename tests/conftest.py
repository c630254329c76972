"""Shared fixtures for the policyquant test suite.

The plugin fixtures come in three kinds:

``fresh_registry``
    A private :class:`~policyquant.plugins.FrameworkRegistry` that loads the
    built-in plugins only, so tests do not depend on what is installed.
``throwaway_plugin``
    A plugin registered in the *default* registry for the duration of one test
    (the llm / datasette style of plugin test).
``plugin_distribution``
    A factory writing a real installed distribution (``*.dist-info`` with
    ``entry_points.txt``) and its plugin module into a temporary directory on
    ``sys.path``, so that ``importlib.metadata`` finds it exactly as it finds a
    plugin installed from PyPI.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import policyquant as pq
from policyquant.plugins import FrameworkRegistry

BUILTIN_PLUGIN = "policyquant.frameworks.howlett_ramesh"


# --------------------------------------------------------------------------
# Frameworks and registries.


def build_framework(name: str, title: str | None = None, *, version: str | None = "1.0") -> pq.Framework:
    """A small but complete framework: one family, two instruments, one objective, no scale."""
    return pq.Framework(
        name,
        title or f"Test framework {name}",
        families=[pq.InstrumentFamily("soft", "Soft")],
        instruments=[
            pq.Instrument("info", "Information", family="soft"),
            pq.Instrument("nudge", "Nudges", family="soft"),
        ],
        objectives=[pq.Objective("safety", "Safety")],
        version=version,
    )


@pytest.fixture
def make_framework() -> Callable[..., pq.Framework]:
    """Factory: ``make_framework(name, title=None, version="1.0")`` returns a small valid Framework."""
    return build_framework


@pytest.fixture
def fresh_registry() -> FrameworkRegistry:
    """A new registry with the built-in plugins only (no entry points)."""
    return FrameworkRegistry(entry_point_group=None)


def build_plugin(*frameworks: Any, aliases: dict[str, list[str]] | None = None) -> Any:
    """A plugin object whose hook registers ``frameworks`` (with ``aliases`` by framework name).

    Anything may be passed as a framework, so that tests can register invalid objects.
    """
    aliases = aliases or {}

    class _Plugin:
        calls = 0

        @pq.hookimpl
        def policyquant_register_frameworks(self, register):
            type(self).calls += 1
            for framework in frameworks:
                register(framework, aliases=aliases.get(getattr(framework, "name", None), ()))

    return _Plugin()


@pytest.fixture
def make_plugin() -> Callable[..., Any]:
    """Factory: ``make_plugin(*frameworks, aliases={name: [...]})`` returns a plugin object.

    Its hook registers each of ``frameworks`` (anything, so that tests can
    register invalid objects), with the aliases given by framework name.
    """
    return build_plugin


# --------------------------------------------------------------------------
# A throwaway plugin in the default registry.


@attrs.frozen
class Throwaway:
    """What :func:`throwaway_plugin` registered."""

    name: str
    plugin: Any
    framework: pq.Framework
    alias: str


@pytest.fixture
def throwaway_plugin() -> Iterator[Throwaway]:
    """Register a plugin in the default registry; unregister it after the test (if still there)."""
    suffix = uuid.uuid4().hex[:8]
    framework = build_framework(f"throwaway-{suffix}", "A throwaway framework", version="0.1")
    alias = f"tmp-alias-{suffix}"
    plugin = build_plugin(framework, aliases={framework.name: [alias]})
    name = pq.plugins.register_plugin(plugin, name=f"throwaway-plugin-{suffix}")
    registry = pq.plugins.get_registry()
    try:
        yield Throwaway(name, plugin, framework, alias)
    finally:
        if registry.manager.has_plugin(name):
            registry.unregister_plugin(name)


# --------------------------------------------------------------------------
# Real installed distributions with entry points.


@attrs.frozen
class PluginDistribution:
    """A temporary installed distribution declaring one ``policyquant`` entry point."""

    dist_name: str
    ep_name: str
    module: str
    path: Path

    @property
    def source(self) -> str:
        """The entry point as :class:`~policyquant.plugins.PluginFailure` reports it."""
        return f"{self.ep_name} = {self.module}"


@pytest.fixture
def plugin_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., str]]:
    """Factory: ``plugin_module(code) -> module name`` writes a uniquely named module on ``sys.path``.

    The module is removed from ``sys.modules`` after the test, and the default
    registry is put back as it was (tests may call ``reload_plugins()``).
    """
    site = tmp_path / "site-packages"
    site.mkdir()
    created: list[str] = []
    with monkeypatch.context() as patch:
        patch.syspath_prepend(str(site))
        # Any use of the default registry during the test builds a new one; the
        # original is restored afterwards, untouched by the temporary plugins.
        patch.setattr(pq.plugins, "_default_registry", None)

        def write(code: str, *, prefix: str = "pq_test_plugin") -> str:
            module = f"{prefix}_{uuid.uuid4().hex[:10]}"
            (site / f"{module}.py").write_text(textwrap.dedent(code), encoding="utf-8")
            created.append(module)
            importlib.invalidate_caches()
            return module

        write.site = site  # type: ignore[attr-defined]
        yield write
    for module in created:
        sys.modules.pop(module, None)
    importlib.invalidate_caches()


@pytest.fixture
def plugin_distribution(plugin_module: Callable[..., str]) -> Callable[..., PluginDistribution]:
    """Factory writing an installed distribution whose ``policyquant`` entry point is ``code``.

    ``plugin_distribution(code, ep_name=None)`` writes the module ``code``, a
    ``<dist>-1.0.dist-info`` folder with ``METADATA`` and ``entry_points.txt``,
    and returns a :class:`PluginDistribution`.  ``ep_name`` defaults to the
    (unique) module name.  ``module`` may name a module that does not exist,
    for a plugin whose import fails.
    """
    site: Path = plugin_module.site  # type: ignore[attr-defined]

    def install(
        code: str | None, *, ep_name: str | None = None, module: str | None = None
    ) -> PluginDistribution:
        if module is None:
            module = plugin_module(code or "")
        ep_name = ep_name or module
        dist_name = f"pq-test-dist-{uuid.uuid4().hex[:10]}"
        info = site / f"{dist_name.replace('-', '_')}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist_name}\nVersion: 1.0\n", encoding="utf-8"
        )
        (info / "entry_points.txt").write_text(f"[policyquant]\n{ep_name} = {module}\n", encoding="utf-8")
        importlib.invalidate_caches()
        return PluginDistribution(dist_name, ep_name, module, site)

    return install
