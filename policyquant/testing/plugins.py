"""Checks of a whole framework plugin: its hooks, and everything it registers.

:func:`check_plugin` registers the plugin in a private registry (the
built-in plugins and nothing installed), exactly as policyquant would register
it from its entry point, so that a misspelt hook, a hook without the
:data:`policyquant.hookimpl` marker, a hook that raises or a name already
taken fails the check; then it runs :func:`check_framework` on every
framework the plugin registered, and checks that every scale type it
registered can be called the way a TOML framework calls it.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Iterable
from typing import Any

import attrs

from ..errors import PolicyQuantError
from .checks import DEFAULT_MAX_COMBINATIONS, FrameworkCheckError, FrameworkReport, check_framework

__all__ = ["PluginCheckError", "PluginReport", "check_plugin"]


class PluginCheckError(PolicyQuantError, AssertionError):
    """A plugin failed :func:`check_plugin`; every problem is listed.

    Also an :class:`AssertionError`, so that a test calling
    :func:`check_plugin` fails (rather than errors) and shows the list.

    Attributes
    ----------
    name : str
        The plugin's name.
    problems : list of str
        Every problem, one line each: hooks that do not match the hook
        specifications, a hook that failed, a framework that failed a
        conformance check (``"framework 'x': keys: ..."``), a scale type that
        cannot be called.

    Examples
    --------
    >>> from policyquant.testing import PluginCheckError
    >>> print(PluginCheckError("demo", ["it registered no framework and no scale type"]))
    plugin 'demo' failed its checks:
      - it registered no framework and no scale type
    """

    def __init__(self, name: str, problems: Iterable[str]) -> None:
        self.name = name
        self.problems = list(problems)
        lines = [f"plugin {name!r} failed its checks:"]
        lines += [f"  - {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.name, self.problems))


@attrs.frozen
class PluginReport:
    """What :func:`check_plugin` checked, for a plugin that passed.

    Attributes
    ----------
    name : str
        The plugin's name.
    frameworks : tuple of FrameworkReport
        One report per framework the plugin registered, in registration order.
    scale_types : tuple of str
        The scale types it registered.

    Examples
    --------
    >>> from policyquant.testing import check_plugin
    >>> report = check_plugin("policyquant.frameworks.scales")
    >>> report.frameworks, report.scale_types
    ((), ('formula',))
    """

    name: str
    frameworks: tuple[FrameworkReport, ...]
    scale_types: tuple[str, ...]

    def __str__(self) -> str:
        parts = [f"{len(self.frameworks)} framework{'s' if len(self.frameworks) != 1 else ''}"]
        if self.frameworks:
            parts[0] += " (" + ", ".join(report.name for report in self.frameworks) + ")"
        if self.scale_types:
            parts.append(
                f"{len(self.scale_types)} scale type{'s' if len(self.scale_types) != 1 else ''} "
                f"({', '.join(self.scale_types)})"
            )
        return f"plugin {self.name!r} passed: " + " and ".join(parts) + " checked"


def _scale_type_problem(name: str, factory: Any) -> str | None:
    """Whether ``factory(spec, dimensions)`` can be called, as a TOML framework calls it."""
    try:
        signature = inspect.signature(factory)
    except (TypeError, ValueError):
        return None  # a builtin without a signature: nothing to say before it is called
    try:
        signature.bind({}, ())
    except TypeError as error:
        return (
            f"scale type {name!r}: its factory cannot be called as factory(spec, dimensions), "
            f"as a TOML framework calls it: {error}"
        )
    return None


def check_plugin(
    plugin: Any,
    *,
    name: str | None = None,
    max_combinations: int = DEFAULT_MAX_COMBINATIONS,
    seed: int = 0,
) -> PluginReport:
    """Check a plugin's hooks and run :func:`check_framework` on everything it registers.

    The plugin is registered in a private registry holding the built-in
    plugins only (never the default registry, never an installed plugin),
    the way policyquant registers it from its entry point.  Every problem is
    reported at once, in one :class:`PluginCheckError`:

    - its hooks must match :mod:`policyquant.hookspecs`: a function marked as
      a hook under a misspelt name, a function named like a hook
      (``policyquant_...``) without the :data:`policyquant.hookimpl` marker,
      and a plugin with no hook at all fail, naming the closest hook;
    - its hooks must run, and what they register must be accepted (a
      :class:`~policyquant.Framework`, valid, under a name no built-in
      framework has);
    - it must register something: a framework or a scale type;
    - every framework must pass :func:`check_framework` (its TOML round trip
      looks up scale types in the private registry, so the plugin's own
      scale types are found);
    - every scale type's factory must accept ``(spec, dimensions)``.

    Parameters
    ----------
    plugin : module, object or str
        The plugin: the module named in its entry point, any object with
        hook functions, or a module's name to import.
    name : str, optional
        The name to register it under (its entry-point name, say); defaults
        to a module's name, or an object's class name.
    max_combinations : int, default :data:`DEFAULT_MAX_COMBINATIONS`
        Passed to :func:`check_framework`.
    seed : int, default 0
        Passed to :func:`check_framework`.

    Returns
    -------
    PluginReport
        The plugin's name, a :class:`FrameworkReport` per framework, and
        its scale types.

    Raises
    ------
    PluginCheckError
        Listing every problem found (also an :class:`AssertionError`).

    Examples
    --------
    A plugin's test suite needs one line:

    >>> import policyquant as pq
    >>> from policyquant.testing import check_plugin
    >>> print(check_plugin("policyquant.frameworks.peng2008"))
    plugin 'policyquant.frameworks.peng2008' passed: 1 framework (peng2008) checked

    A hook with a misspelt name is found, with the name it should have:

    >>> class Misspelt:
    ...     @pq.hookimpl
    ...     def policyquant_register_framework(self, register):
    ...         register(pq.Framework("mine", "Mine"))
    >>> check_plugin(Misspelt())
    Traceback (most recent call last):
    ...
    policyquant.testing.plugins.PluginCheckError: plugin 'Misspelt' failed its checks:
      - hooks: plugin 'Misspelt' cannot be registered: its function 'policyquant_register_framework' is marked as a hook, but policyquant has no hook of that name (did you mean policyquant_register_frameworks?)
    """
    from ..plugins import DEFAULT_PLUGINS, FrameworkRegistry

    if isinstance(plugin, str):
        module_name = plugin
        try:
            plugin = importlib.import_module(module_name)
        except Exception as error:
            raise PluginCheckError(
                module_name, [f"import: {type(error).__name__}: {' '.join(str(error).split())}"]
            ) from error
    # A built-in plugin is checked on its own: with itself loaded too, every name it registers would be taken.
    others = [module for module in DEFAULT_PLUGINS if sys.modules.get(module) is not plugin]
    registry = FrameworkRegistry(default_plugins=others, entry_point_group=None)
    if name is None and not inspect.ismodule(plugin):
        # pluggy would name an object by its id(): its class says more in a message.
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
    label = name or registry.manager.get_canonical_name(plugin)
    try:
        label = registry.register_plugin(plugin, name=name)
    except PolicyQuantError as error:
        text = " ".join(str(error).split())
        # The registry's own words: what a user would read in the warning for the installed plugin.
        problem = (
            f"hooks: {text}"
            if "cannot be registered" in text
            else f"register: {type(error).__name__}: {text}"
        )
        raise PluginCheckError(label, [problem]) from error
    problems: list[str] = []
    reports: list[FrameworkReport] = []
    for framework_name in registry.names():
        entry = registry.entry(framework_name)
        if entry.plugin != label:
            continue
        try:
            reports.append(
                check_framework(
                    entry.framework, max_combinations=max_combinations, seed=seed, registry=registry
                )
            )
        except FrameworkCheckError as error:
            problems += [f"framework {error.name!r}: {failure}" for failure in error.failures]
    scale_types = tuple(key for key, owner in registry.scale_types().items() if owner == label)
    for key in scale_types:
        problem = _scale_type_problem(key, registry.scale_type(key))
        if problem:
            problems.append(problem)
    segmenters = tuple(key for key, owner in registry.segmenters().items() if owner == label)
    coders = tuple(key for key, owner in registry.coders().items() if owner == label)
    if not reports and not scale_types and not segmenters and not coders and not problems:
        problems.append("it registered no framework and no scale type: its hooks never called register()")
    if problems:
        raise PluginCheckError(label, problems)
    return PluginReport(label, tuple(reports), scale_types)
