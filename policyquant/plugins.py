"""The plugin system and the framework registry.

Frameworks reach policyquant only through plugins, the built-in ones included:
the study's framework is a plugin listed in :data:`DEFAULT_PLUGINS`, loaded
through exactly the same hook as a third-party plugin installed from PyPI.

Loading is lazy: nothing is imported until the registry is first used (by
:func:`get_framework`, :func:`list_frameworks` and the like).  Then the built-in
plugins are registered.  The entry points of the ``policyquant`` group (the
third-party plugins) are loaded only when they are needed: when a name is
looked up that no built-in framework (or scale type) has, or when every
framework is listed.  ``get_framework("wang2026")``, a TOML framework file and
every command that uses only those never import a third-party plugin, so that
one that is broken, slow or hangs cannot hold them up.

Each entry point is loaded in isolation: a third-party plugin that fails to
import, whose hook raises, or that registers something invalid produces a
:class:`~policyquant.errors.PluginWarning` naming the plugin and the cause,
and everything else keeps working.  A plugin whose hooks do not match the
hook specifications (:mod:`policyquant.hookspecs`) is one that registers
something invalid: a misspelt hook name, a hook function without the
:data:`policyquant.hookimpl` marker, or no hook at all.  A built-in plugin,
or one registered at run time with :func:`register_plugin`, raises a
:class:`~policyquant.errors.PluginError` instead.  Its import runs in a background thread:
when it takes more than :data:`NOTICE_AFTER` seconds, a line on the
``policyquant.plugins`` logger (shown on stderr when logging is not set up)
names the plugin being waited for; when it takes more than the timeout, the
plugin is recorded as failed ("did not finish importing within 60 s") and the
rest carries on.  Python cannot stop an import half-way: the import goes on in
its daemon thread, and its plugin is not registered even if it finishes later.
:func:`plugin_failures` lists what failed.

Environment variables control loading:

``POLICYQUANT_DISABLE_ENTRY_POINTS``
    Set to ``1`` (or ``true``, ``yes``) to load only the built-in plugins.
``POLICYQUANT_BLOCK_PLUGINS``
    A comma-separated list of plugin names (entry-point names, or the module
    names of built-in plugins) not to load.
``POLICYQUANT_PLUGIN_TIMEOUT``
    Seconds to wait for one third-party plugin to import (default 60).
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.metadata
import inspect
import logging
import os
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs
import pandas as pd
import pluggy

from . import hookspecs
from ._i18n import _
from ._text import closest, format_choices, normalize_name
from .errors import (
    DuplicateFrameworkError,
    PluginError,
    PluginWarning,
    PolicyQuantError,
    UnknownFrameworkError,
)
from .model import Framework

__all__ = [
    "DEFAULT_PLUGINS",
    "DEFAULT_PLUGIN_TIMEOUT",
    "ENTRY_POINT_GROUP",
    "ENV_BLOCK_PLUGINS",
    "ENV_DISABLE_ENTRY_POINTS",
    "ENV_PLUGIN_TIMEOUT",
    "NOTICE_AFTER",
    "FrameworkRegistry",
    "PluginFailure",
    "RegisteredFramework",
    "get_framework",
    "get_registry",
    "list_frameworks",
    "plugin_failures",
    "register_plugin",
    "reload_plugins",
    "unregister_plugin",
]

#: Modules of the plugins that ship with policyquant, registered first.
DEFAULT_PLUGINS: tuple[str, ...] = (
    "policyquant.frameworks.scales",
    "policyquant.frameworks.howlett_ramesh",
    "policyquant.frameworks.pmc",
    "policyquant.frameworks.peng2008",
    "policyquant.frameworks.classic",
    "policyquant.documents.segmentation",
    # The coders: "dictionary" and "openai-compatible", then "tfidf-linear" (each module imports
    # its heavy dependencies only when its coder is built).
    "policyquant.coders._builtin",
    "policyquant.coders.supervised",
)

#: The entry-point group third-party plugins install into.
ENTRY_POINT_GROUP = hookspecs.PROJECT_NAME

#: Environment variable that switches entry-point loading off.
ENV_DISABLE_ENTRY_POINTS = "POLICYQUANT_DISABLE_ENTRY_POINTS"

#: Environment variable listing plugins (comma-separated) not to load.
ENV_BLOCK_PLUGINS = "POLICYQUANT_BLOCK_PLUGINS"

#: Environment variable: seconds to wait for one third-party plugin to import.
ENV_PLUGIN_TIMEOUT = "POLICYQUANT_PLUGIN_TIMEOUT"

#: Seconds to wait for a third-party plugin's import when :data:`ENV_PLUGIN_TIMEOUT` is not set.
DEFAULT_PLUGIN_TIMEOUT = 60.0

#: Seconds after which the plugin being waited for is named on the ``policyquant.plugins`` logger.
NOTICE_AFTER = 2.0

_TRUE = {"1", "true", "yes", "on"}

logger = logging.getLogger(__name__)


@attrs.frozen
class RegisteredFramework:
    """A framework in the registry, with where it came from.

    Attributes
    ----------
    framework : Framework
        The framework.
    plugin : str
        Name of the plugin that registered it.
    builtin : bool
        Whether that plugin ships with policyquant.
    aliases : tuple of str
        Other names it can be fetched by.
    distribution : str
        The installed distribution (the package on PyPI) whose entry point
        is the plugin, as its metadata spells it; empty for a built-in plugin
        and for one registered at run time.
    distribution_version : str
        That distribution's version; empty when ``distribution`` is.
    """

    framework: Framework
    plugin: str
    builtin: bool
    aliases: tuple[str, ...] = ()
    distribution: str = ""
    distribution_version: str = ""


@attrs.frozen
class PluginFailure:
    """A plugin that could not be loaded, or a registration that was refused.

    Attributes
    ----------
    plugin : str
        The plugin's name (for an entry point, its name in the group).
    source : str
        Where it came from: ``"name = module"`` for an entry point, the module
        name for a built-in, or ``"runtime"``.
    stage : str
        ``"import"`` (the import failed, or the plugin's hooks do not match
        the hook specifications), ``"hook"`` or ``"register"``.
    error : str
        The cause, as ``ExceptionType: message``.
    """

    plugin: str
    source: str
    stage: str
    error: str

    def __str__(self) -> str:
        return f"plugin {self.plugin!r} ({self.source}) failed at {self.stage}: {self.error}"


def _describe_error(error: BaseException) -> str:
    # One line: `policyquant frameworks` prints one line per failed plugin, and pluggy's
    # validation errors span several.
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _distribution_of(point: importlib.metadata.EntryPoint) -> tuple[str, str]:
    """The name and version of the distribution that installed ``point``, or empty text."""
    dist = getattr(point, "dist", None)
    if dist is None:
        return "", ""
    try:
        # Metadata is a stranger's file too: unreadable metadata must not stop the plugin loading.
        return str(dist.metadata["Name"] or ""), str(dist.version or "")
    except Exception:  # noqa: BLE001
        return "", ""


def _hook_problems(manager: pluggy.PluginManager, plugin: Any, name: str) -> list[str]:
    """What is wrong with the hooks of ``plugin``, registered in ``manager`` as ``name``.

    pluggy accepts a hook implementation of any name (``check_pending`` reports
    it later, for every plugin at once) and silently skips a function without
    the marker; either way the plugin would load and do nothing.  This is
    ``check_pending`` for one plugin, plus the two mistakes pluggy cannot see.
    """
    hooks = sorted(
        hook_name
        for hook_name, caller in vars(manager.hook).items()
        if not hook_name.startswith("_") and caller.has_spec()
    )
    prefix = f"{hookspecs.PROJECT_NAME}_"

    def hint(wrong: str) -> str:
        # Compared without the prefix every hook shares, which would make any policyquant_ name "close".
        stems = {hook[len(prefix) :]: hook for hook in hooks}
        suggestions = closest(wrong.removeprefix(prefix), list(stems), n=1)
        if suggestions:
            return f"(did you mean {stems[suggestions[0]]}?)"
        return f"(policyquant's hooks are {', '.join(hooks)})"

    problems = []
    implemented = 0
    for caller in manager.get_hookcallers(manager.get_plugin(name)) or []:
        for impl in caller.get_hookimpls():
            if impl.plugin_name != name:
                continue
            if caller.has_spec():
                implemented += 1
            elif not impl.optionalhook:
                problems.append(
                    f"its function {caller.name!r} is marked as a hook, but policyquant has no hook "
                    f"of that name {hint(caller.name)}"
                )
    try:
        attributes = dir(plugin)
    except Exception:  # noqa: BLE001 - an object whose dir() fails has no functions to check
        attributes = []
    for attribute in attributes:
        if not attribute.startswith(prefix) or manager.parse_hookimpl_opts(plugin, attribute) is not None:
            continue
        try:
            value = inspect.getattr_static(plugin, attribute)
        except AttributeError:
            continue
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        if not callable(value) or hasattr(value, f"{hookspecs.PROJECT_NAME}_spec"):
            # A constant, or a hook specification imported from policyquant.hookspecs.
            continue
        problem = (
            f"its function {attribute!r} is not marked with @policyquant.hookimpl, "
            "so policyquant would never call it"
        )
        if attribute not in hooks:
            problem += f" {hint(attribute)}"
        problems.append(problem)
    if not implemented and not problems:
        problems.append(
            f"it implements no hook: a plugin needs a function named {' or '.join(hooks)}, "
            "marked with @policyquant.hookimpl"
        )
    return problems


def _blocked_from_environment() -> set[str]:
    text = os.environ.get(ENV_BLOCK_PLUGINS, "")
    return {name.strip() for name in text.split(",") if name.strip()}


def _entry_points_disabled() -> bool:
    return os.environ.get(ENV_DISABLE_ENTRY_POINTS, "").strip().lower() in _TRUE


def _plugin_timeout() -> float:
    text = os.environ.get(ENV_PLUGIN_TIMEOUT, "").strip()
    if not text:
        return DEFAULT_PLUGIN_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not seconds > 0:
        logger.warning(
            "policyquant: %s=%r is not a number of seconds above 0; waiting %g s for each plugin",
            ENV_PLUGIN_TIMEOUT,
            text,
            DEFAULT_PLUGIN_TIMEOUT,
        )
        return DEFAULT_PLUGIN_TIMEOUT
    return seconds


class FrameworkRegistry:
    """Frameworks registered by plugins, looked up by name or alias.

    Most code uses the module-level functions (:func:`get_framework`,
    :func:`list_frameworks`, ...), which work on the default registry returned
    by :func:`get_registry`.  A separate registry is useful in tests and in
    applications that want full control over which plugins load.

    Parameters
    ----------
    default_plugins : iterable of str, optional
        Modules of built-in plugins; defaults to :data:`DEFAULT_PLUGINS`.
    entry_point_group : str or None, optional
        Entry-point group to load third-party plugins from; ``None`` loads
        none.  Defaults to :data:`ENTRY_POINT_GROUP`, unless
        ``POLICYQUANT_DISABLE_ENTRY_POINTS`` is set.

    Examples
    --------
    >>> from policyquant.plugins import FrameworkRegistry
    >>> registry = FrameworkRegistry(entry_point_group=None)
    >>> registry.get("genai-china").name
    'wang2026'
    >>> "howlett-ramesh-1995" in registry.names()
    True
    """

    def __init__(
        self,
        default_plugins: Iterable[str] | None = None,
        entry_point_group: str | None = ENTRY_POINT_GROUP,
    ) -> None:
        self.default_plugins = tuple(DEFAULT_PLUGINS if default_plugins is None else default_plugins)
        self.entry_point_group = entry_point_group
        self.manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.manager.add_hookspecs(hookspecs)
        self._lock = threading.RLock()
        # Threads importing a plugin on behalf of the thread that holds the lock and waits for them.
        self._importers: set[int] = set()
        self._builtins_loaded = False
        self._loaded = False
        self._entries: dict[str, RegisteredFramework] = {}
        self._scale_types: dict[str, tuple[Callable[..., Any], str]] = {}  # name -> (factory, plugin)
        self._segmenters: dict[str, tuple[Callable[..., Any], str]] = {}  # name -> (segmenter, plugin)
        self._coders: dict[str, tuple[Callable[..., Any], str]] = {}  # name -> (factory, plugin)
        self._dictionaries: dict[str, tuple[Any, str]] = {}  # normalized framework name -> (source, plugin)
        self._names: dict[str, str] = {}  # normalized name or alias -> framework name
        self._failures: list[PluginFailure] = []
        self._sources: dict[str, tuple[str, bool]] = {}  # plugin name -> (source, builtin)

    # Loading ----------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        if threading.get_ident() in self._importers:
            # A plugin that looks a framework up while it is imported runs in a loader
            # thread; the thread holding the lock is waiting for it, so it may read on.
            yield
            return
        with self._lock:
            yield

    def load(self) -> None:
        """Load the built-in plugins and the entry points, once.

        Called automatically when every framework is needed (listing them, or a
        name that no built-in has); calling it again does nothing.

        Raises
        ------
        PluginError
            If a *built-in* plugin fails (a bug in policyquant).  Third-party
            failures only warn.
        """
        with self._locked():
            if self._loaded:
                return
            self._load_builtins()
            # Marked loaded first so that a plugin hook that itself looks up a
            # framework sees the partial registry instead of recursing.
            self._loaded = True
            try:
                if self.entry_point_group and not _entry_points_disabled():
                    self._load_entry_points(self.entry_point_group, _blocked_from_environment())
            except BaseException:
                self._reset()
                raise

    def _load_builtins(self) -> None:
        """Register the built-in plugins, once: enough for every built-in name."""
        with self._locked():
            if self._builtins_loaded:
                return
            self._builtins_loaded = True
            try:
                blocked = _blocked_from_environment()
                for name in blocked:
                    self.manager.set_blocked(name)
                for module_name in self.default_plugins:
                    if module_name in blocked:
                        continue
                    module = importlib.import_module(module_name)
                    self._add(module, module_name, source=module_name, builtin=True, strict=True)
            except BaseException:
                # A failing built-in is a bug; start clean so the next call fails the same way.
                self._reset()
                raise

    def _reset(self) -> None:
        self.manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.manager.add_hookspecs(hookspecs)
        self._builtins_loaded = False
        self._loaded = False
        self._entries.clear()
        self._scale_types.clear()
        self._segmenters.clear()
        self._coders.clear()
        self._dictionaries.clear()
        self._names.clear()
        self._failures.clear()
        self._sources.clear()

    def _load_entry_points(self, group: str, blocked: set[str]) -> None:
        points = sorted(importlib.metadata.entry_points(group=group), key=lambda ep: ep.name)
        timeout = _plugin_timeout() if points else DEFAULT_PLUGIN_TIMEOUT
        for point in points:
            source = f"{point.name} = {point.value}"
            if point.name in blocked:
                continue
            if self.manager.has_plugin(point.name):
                holder = self._sources.get(point.name, ("an earlier plugin", False))[0]
                self._fail(
                    point.name,
                    source,
                    "import",
                    PluginError(f"the plugin name {point.name!r} is already taken by {holder}"),
                )
                continue
            try:
                plugin = self._import(point, source, timeout)
            # A stranger's import may raise anything, sys.exit() included; only an
            # interrupt from the user goes through.
            except (Exception, SystemExit) as error:  # noqa: BLE001
                self._fail(point.name, source, "import", error)
                continue
            self._add(
                plugin,
                point.name,
                source=source,
                builtin=False,
                strict=False,
                distribution=_distribution_of(point),
            )

    def _import(self, point: importlib.metadata.EntryPoint, source: str, timeout: float) -> Any:
        """Load an entry point in a daemon thread, naming it while it is slow and giving up after ``timeout``.

        An import cannot be interrupted: one that hangs goes on in its thread,
        and what it returns later is dropped.
        """
        outcome: dict[str, Any] = {}

        def run() -> None:
            self._importers.add(threading.get_ident())
            try:
                outcome["plugin"] = point.load()
            except BaseException as error:  # noqa: BLE001 - reported by the waiting thread
                outcome["error"] = error
            finally:
                self._importers.discard(threading.get_ident())

        thread = threading.Thread(target=run, name=f"policyquant plugin {point.name}", daemon=True)
        thread.start()
        thread.join(min(NOTICE_AFTER, timeout))
        if thread.is_alive():
            logger.warning(
                "policyquant: still loading plugin %r (%s) after %g s; waiting up to %g s (%s)",
                point.name,
                source,
                NOTICE_AFTER,
                timeout,
                ENV_PLUGIN_TIMEOUT,
            )
            thread.join(max(timeout - NOTICE_AFTER, 0))
        if thread.is_alive():
            raise TimeoutError(
                f"did not finish importing within {timeout:g} s (set {ENV_PLUGIN_TIMEOUT} to wait longer, "
                f"or {ENV_BLOCK_PLUGINS}={point.name} not to load it)"
            )
        if "error" in outcome:
            raise outcome["error"]
        return outcome["plugin"]

    def _fail(self, plugin: str, source: str, stage: str, error: BaseException) -> None:
        failure = PluginFailure(plugin, source, stage, _describe_error(error))
        self._failures.append(failure)
        warnings.warn(f"policyquant {failure}; the other frameworks still work", PluginWarning, stacklevel=4)

    def _add(
        self,
        plugin: Any,
        name: str,
        *,
        source: str,
        builtin: bool,
        strict: bool,
        distribution: tuple[str, str] = ("", ""),
    ) -> None:
        """Register ``plugin`` with the manager, check its hooks against the specifications, and run them."""
        try:
            registered = self.manager.register(plugin, name=name)
        except Exception as error:
            if strict:
                raise PluginError(
                    f"plugin {name!r} cannot be registered: {_describe_error(error)}"
                ) from error
            self._fail(name, source, "import", error)
            return
        if registered is None:
            if strict and not builtin:
                raise PluginError(f"plugin {name!r} is blocked (environment variable {ENV_BLOCK_PLUGINS})")
            return
        problems = _hook_problems(self.manager, plugin, name)
        if problems:
            # Accepted, a plugin with a misspelt or unmarked hook would load and register
            # nothing, without a word: the framework it was meant to add would just be missing.
            self.manager.unregister(name=name)
            error = PluginError(f"plugin {name!r} cannot be registered: " + "; ".join(problems))
            if strict:
                raise error
            self._fail(name, source, "import", error)
            return
        self._sources[name] = (source, builtin)
        self._run_hooks(name, source=source, builtin=builtin, strict=strict, distribution=distribution)

    def _run_hooks(
        self,
        plugin_name: str,
        *,
        source: str,
        builtin: bool,
        strict: bool,
        distribution: tuple[str, str] = ("", ""),
    ) -> None:
        staged: list[RegisteredFramework] = []
        staged_types: dict[str, Callable[..., Any]] = {}

        def register(framework: Framework, aliases: Iterable[str] = ()) -> None:
            entry = self._check_registration(framework, aliases, plugin_name, builtin, staged)
            staged.append(
                attrs.evolve(entry, distribution=distribution[0], distribution_version=distribution[1])
            )

        def register_scale_type(name: str, factory: Callable[..., Any]) -> None:
            if not isinstance(name, str) or not name.strip() or not callable(factory):
                raise PluginError(
                    f"plugin {plugin_name!r}: register(name, factory) needs a name and a callable, "
                    f"got {name!r} and {factory!r}"
                )
            key = normalize_name(name)
            if key in self._scale_types or key in staged_types:
                holder = self._scale_types[key][1] if key in self._scale_types else plugin_name
                raise DuplicateFrameworkError(
                    f"scale type {name!r} is claimed twice: by plugin {holder!r} and by plugin {plugin_name!r}"
                )
            staged_types[key] = factory

        def register_segmenter(name: str, segmenter: Callable[..., Any]) -> None:
            if not isinstance(name, str) or not name.strip() or not callable(segmenter):
                raise PluginError(
                    f"plugin {plugin_name!r}: register(name, segmenter) needs a name and a callable, "
                    f"got {name!r} and {segmenter!r}"
                )
            key = normalize_name(name)
            if key in self._segmenters or key in staged_segmenters:
                holder = self._segmenters[key][1] if key in self._segmenters else plugin_name
                raise DuplicateFrameworkError(
                    f"segmenter {name!r} is claimed twice: by plugin {holder!r} and by plugin {plugin_name!r}"
                )
            staged_segmenters[key] = segmenter

        staged_segmenters: dict[str, Callable[..., Any]] = {}

        def register_coder(name: str, factory: Callable[..., Any]) -> None:
            if not isinstance(name, str) or not name.strip() or not callable(factory):
                raise PluginError(
                    f"plugin {plugin_name!r}: register(name, factory) needs a name and a callable, "
                    f"got {name!r} and {factory!r}"
                )
            key = normalize_name(name)
            if key in self._coders or key in staged_coders:
                holder = self._coders[key][1] if key in self._coders else plugin_name
                raise DuplicateFrameworkError(
                    f"coder {name!r} is claimed twice: by plugin {holder!r} and by plugin {plugin_name!r}"
                )
            staged_coders[key] = factory

        def register_dictionary(framework: str, source: Any) -> None:
            if not isinstance(framework, str) or not framework.strip() or source is None:
                raise PluginError(
                    f"plugin {plugin_name!r}: register(framework, source) needs a framework name and a "
                    f"dictionary (a Dictionary, a TOML file or its text), got {framework!r} and {source!r}"
                )
            key = normalize_name(framework)
            if key in self._dictionaries or key in staged_dictionaries:
                holder = self._dictionaries[key][1] if key in self._dictionaries else plugin_name
                raise DuplicateFrameworkError(
                    f"a dictionary for framework {framework!r} is registered twice: by plugin {holder!r} "
                    f"and by plugin {plugin_name!r}"
                )
            staged_dictionaries[key] = source

        staged_coders: dict[str, Callable[..., Any]] = {}
        staged_dictionaries: dict[str, Any] = {}

        def call(hook: Any, callback: Callable[..., None]) -> None:
            for impl in hook.get_hookimpls():
                if impl.plugin_name == plugin_name:
                    impl.function(*[{"register": callback}[arg] for arg in impl.argnames])

        try:
            # Scale types first, and usable at once: a plugin may build its own
            # frameworks (from TOML, say) on a scale type it registers.
            call(self.manager.hook.policyquant_register_scale_types, register_scale_type)
            for key, factory in staged_types.items():
                self._scale_types[key] = (factory, plugin_name)
            call(self.manager.hook.policyquant_register_frameworks, register)
            call(self.manager.hook.policyquant_register_segmenters, register_segmenter)
            call(self.manager.hook.policyquant_register_coders, register_coder)
            call(self.manager.hook.policyquant_register_dictionaries, register_dictionary)
        # sys.exit() in a hook is a plugin fault too; only the user's interrupt goes through.
        except (Exception, SystemExit) as error:
            # A hook that raised half-way leaves nothing behind, not even the plugin.
            self._scale_types = {k: v for k, v in self._scale_types.items() if v[1] != plugin_name}
            if strict:
                if isinstance(error, PolicyQuantError):
                    raise
                raise PluginError(
                    f"plugin {plugin_name!r} failed in its hook: {_describe_error(error)}"
                ) from error
            self.manager.unregister(name=plugin_name)
            self._sources.pop(plugin_name, None)
            self._fail(
                plugin_name, source, "hook" if not isinstance(error, PluginError) else "register", error
            )
            return
        for entry in staged:
            self._commit(entry)
        for key, segmenter in staged_segmenters.items():
            self._segmenters[key] = (segmenter, plugin_name)
        for key, factory in staged_coders.items():
            self._coders[key] = (factory, plugin_name)
        for key, source in staged_dictionaries.items():
            self._dictionaries[key] = (source, plugin_name)

    def _check_registration(
        self,
        framework: Any,
        aliases: Iterable[str],
        plugin_name: str,
        builtin: bool,
        staged: list[RegisteredFramework],
    ) -> RegisteredFramework:
        if not isinstance(framework, Framework):
            raise PluginError(
                f"plugin {plugin_name!r} registered {type(framework).__name__} {framework!r}, "
                "which is not a policyquant.Framework"
            )
        try:
            # Rebuilding runs every validator again: a framework assembled with attrs'
            # validators switched off, or altered after construction, is caught here
            # rather than in some analysis later.
            attrs.evolve(framework)
        except Exception as error:
            raise PluginError(
                f"plugin {plugin_name!r} registered framework {getattr(framework, 'name', '?')!r}, "
                f"which fails its own validation: {_describe_error(error)}"
            ) from error
        if isinstance(aliases, str):
            aliases = (aliases,)
        aliases = tuple(aliases)
        for alias in aliases:
            if not isinstance(alias, str) or not alias.strip():
                raise PluginError(
                    f"plugin {plugin_name!r}: framework aliases must be non-empty text, got {alias!r}"
                )
        claimed = {normalize_name(e.framework.name): e for e in staged}
        claimed.update({normalize_name(a): e for e in staged for a in e.aliases})
        for name in (framework.name, *aliases):
            normal = normalize_name(name)
            holder = self._entries.get(self._names[normal]) if normal in self._names else claimed.get(normal)
            if holder is not None:
                raise DuplicateFrameworkError(
                    f"framework name {name!r} is claimed twice: by plugin {holder.plugin!r} "
                    f"(framework {holder.framework.name!r}) and by plugin {plugin_name!r} "
                    f"(framework {framework.name!r})"
                )
        return RegisteredFramework(framework, plugin_name, builtin, aliases)

    def _commit(self, entry: RegisteredFramework) -> None:
        self._entries[entry.framework.name] = entry
        for name in (entry.framework.name, *entry.aliases):
            self._names[normalize_name(name)] = entry.framework.name

    # Run-time registration ----------------------------------------------------

    def register_plugin(self, plugin: Any, name: str | None = None) -> str:
        """Register a plugin object or module now, and run its hook.

        Unlike entry points, a plugin registered this way fails loudly: a
        duplicate name, an invalid registration or hooks that do not match
        the hook specifications raise.

        Parameters
        ----------
        plugin : module or object
            Anything with :data:`policyquant.hookimpl`-decorated hook functions.
        name : str, optional
            The plugin's name; defaults to one pluggy derives.

        Returns
        -------
        str
            The name the plugin was registered under.

        Raises
        ------
        DuplicateFrameworkError
            If it registers a name or alias that is already taken.
        PluginError
            If it is already registered, or its hook fails, or its hooks do
            not match the specifications of :mod:`policyquant.hookspecs`: a
            function marked as a hook under a name that is no hook (a
            misspelling), a function named like a hook (``policyquant_...``)
            without the :data:`policyquant.hookimpl` marker, or no hook at
            all.  The message names the function and the closest hook name.
        """
        self.load()
        with self._locked():
            plugin_name = name or self.manager.get_canonical_name(plugin)
            if self.manager.has_plugin(plugin_name) or self.manager.is_registered(plugin):
                raise PluginError(f"plugin {plugin_name!r} is already registered")
            try:
                self._add(plugin, plugin_name, source="runtime", builtin=False, strict=True)
            except PolicyQuantError:
                if self.manager.has_plugin(plugin_name):
                    self.manager.unregister(name=plugin_name)
                    self._sources.pop(plugin_name, None)
                raise
            return plugin_name

    def unregister_plugin(self, name: str) -> None:
        """Remove a plugin and every framework it registered.

        Parameters
        ----------
        name : str
            The plugin's name, as returned by :meth:`register_plugin`.

        Raises
        ------
        PluginError
            If no plugin of that name is registered.
        """
        self.load()
        with self._locked():
            if not self.manager.has_plugin(name):
                raise PluginError(
                    f"no plugin named {name!r} is registered; plugins: {format_choices(self.plugin_names())}"
                )
            self.manager.unregister(name=name)
            self._sources.pop(name, None)
            self._scale_types = {k: v for k, v in self._scale_types.items() if v[1] != name}
            self._segmenters = {k: v for k, v in self._segmenters.items() if v[1] != name}
            self._coders = {k: v for k, v in self._coders.items() if v[1] != name}
            self._dictionaries = {k: v for k, v in self._dictionaries.items() if v[1] != name}
            for framework_name in [n for n, e in self._entries.items() if e.plugin == name]:
                del self._entries[framework_name]
            self._names = {k: v for k, v in self._names.items() if v in self._entries}

    # Queries ------------------------------------------------------------------

    def plugin_names(self) -> list[str]:
        """Names of the registered plugins, built-ins first."""
        self.load()
        return list(self._sources)

    def names(self) -> list[str]:
        """Names of the registered frameworks, in registration order."""
        self.load()
        return list(self._entries)

    def scale_types(self) -> dict[str, str]:
        """The registered scale types: name -> the plugin that registered it."""
        self.load()
        return {name: plugin for name, (_, plugin) in self._scale_types.items()}

    def scale_type(self, name: str) -> Callable[..., Any]:
        """The factory of a registered scale type (see the ``policyquant_register_scale_types`` hook).

        Raises
        ------
        UnknownFrameworkError
            If no plugin registered it; the message lists the known types.

        Examples
        --------
        >>> import policyquant as pq
        >>> callable(pq.plugins.get_registry().scale_type("formula"))
        True
        """
        # A built-in scale type (formula, pmc) needs no third-party plugin loaded.
        self._load_builtins()
        key = normalize_name(name) if isinstance(name, str) else None
        entry = self._scale_types.get(key) if key is not None else None
        if entry is None and not self._loaded:
            self.load()
            entry = self._scale_types.get(key) if key is not None else None
        if entry is None:
            known = sorted(self._scale_types)
            raise UnknownFrameworkError(
                f"no scale type named {name!r}; known scale types: {format_choices(known) or '(none)'}"
            )
        return entry[0]

    def segmenters(self) -> dict[str, str]:
        """The registered segmenters (units :func:`policyquant.segment` cuts into): name -> plugin.

        Examples
        --------
        >>> import policyquant as pq
        >>> pq.plugins.get_registry().segmenters()["article"]
        'policyquant.documents.segmentation'
        """
        self.load()
        return {name: plugin for name, (_segmenter, plugin) in self._segmenters.items()}

    def segmenter(self, name: str) -> Callable[..., Any]:
        """The segmenter registered under ``name`` (see the ``policyquant_register_segmenters`` hook).

        Raises
        ------
        UnknownFrameworkError
            If no plugin registered it; the message lists the known segmenters.

        Examples
        --------
        >>> import policyquant as pq
        >>> callable(pq.plugins.get_registry().segmenter("article"))
        True
        """
        # The built-in units need no third-party plugin loaded.
        self._load_builtins()
        key = normalize_name(name) if isinstance(name, str) else None
        entry = self._segmenters.get(key) if key is not None else None
        if entry is None and not self._loaded:
            self.load()
            entry = self._segmenters.get(key) if key is not None else None
        if entry is None:
            known = sorted(self._segmenters)
            raise UnknownFrameworkError(
                f"no segmenter named {name!r}; known segmenters: {format_choices(known) or '(none)'}"
            )
        return entry[0]

    def coders(self) -> dict[str, str]:
        """The registered coders (see the ``policyquant_register_coders`` hook): name -> plugin.

        Examples
        --------
        >>> import policyquant as pq
        >>> pq.plugins.get_registry().coders()["dictionary"]
        'policyquant.coders._builtin'
        """
        self.load()
        return {name: plugin for name, (_factory, plugin) in self._coders.items()}

    def coder_factory(self, name: str) -> Callable[..., Any]:
        """The factory registered under the coder name ``name``.

        Raises
        ------
        UnknownFrameworkError
            If no plugin registered it; the message names the closest coders.

        Examples
        --------
        >>> import policyquant as pq
        >>> callable(pq.plugins.get_registry().coder_factory("dictionary"))
        True
        """
        self._load_builtins()
        key = normalize_name(name) if isinstance(name, str) else None
        entry = self._coders.get(key) if key is not None else None
        if entry is None and not self._loaded:
            self.load()
            entry = self._coders.get(key) if key is not None else None
        if entry is None:
            known = sorted(self._coders)
            near = closest(str(name), known)
            raise UnknownFrameworkError(
                f"no coder named {name!r}"
                + (f"; did you mean {near[0]!r}?" if near else "")
                + f" known coders: {format_choices(known) or '(none)'}"
            )
        return entry[0]

    def dictionary_source(self, framework: str) -> tuple[Any, str] | None:
        """The starter dictionary a plugin registered for a framework, and the plugin; ``None`` if none.

        Examples
        --------
        >>> import policyquant as pq
        >>> pq.plugins.get_registry().dictionary_source("wang2026")[1]
        'policyquant.frameworks.howlett_ramesh'
        """
        self._load_builtins()
        key = normalize_name(framework)
        if key not in self._dictionaries and not self._loaded:
            self.load()
        return self._dictionaries.get(key)

    def failures(self) -> list[PluginFailure]:
        """The plugins that failed to load or register, with the causes."""
        self.load()
        return list(self._failures)

    def entry(self, name: str | Framework, *, load_entry_points: bool = True) -> RegisteredFramework:
        """The registry entry of a framework, by name or alias.

        The built-in plugins are searched first; the entry points are loaded
        only if no built-in framework has the name, and never with
        ``load_entry_points=False`` (which searches what is loaded already:
        a framework object that came from a third-party plugin was loaded
        with it).

        Raises
        ------
        UnknownFrameworkError
            If no framework has this name or alias.
        """
        if isinstance(name, Framework):
            name = name.name
        # Built-in names are found without loading a third-party plugin, so that one
        # that is broken, slow or hangs cannot hold up work with the built-ins.
        self._load_builtins()
        normal = normalize_name(name) if isinstance(name, str) else None
        key = self._names.get(normal) if normal is not None else None
        if key is None and not self._loaded and load_entry_points:
            self.load()
            key = self._names.get(normal) if normal is not None else None
        if key is None:
            known = sorted(self._entries)
            message = _("no framework named {name!r}; known frameworks: {known}").format(
                name=name, known=format_choices(known, limit=50) or _("(none)")
            )
            suggestions = closest(str(name), list(self._names) + known)
            if suggestions:
                message = _("{text}; did you mean {suggestions}?").format(
                    text=message, suggestions=", ".join(suggestions)
                )
            if self._failures:
                failed = ", ".join(sorted({f.plugin for f in self._failures}))
                message += f" ({len(self._failures)} plugin failure(s), from {failed}: see policyquant.plugin_failures())"
            raise UnknownFrameworkError(message)
        return self._entries[key]

    def get(self, name: str | Framework) -> Framework:
        """The framework with this name or alias (a :class:`Framework` is returned as is)."""
        if isinstance(name, Framework):
            return name
        return self.entry(name).framework

    def to_frame(self) -> pd.DataFrame:
        """One row per registered framework; see :func:`list_frameworks`."""
        self.load()
        rows = []
        for entry in self._entries.values():
            framework = entry.framework
            scale = framework.scale
            rows.append(
                {
                    "name": framework.name,
                    "title": framework.title,
                    "aliases": ", ".join(entry.aliases),
                    "plugin": entry.plugin,
                    "version": framework.version,
                    "builtin": entry.builtin,
                    "distribution": entry.distribution,
                    "distribution_version": entry.distribution_version,
                    "families": len(framework.families),
                    "instruments": len(framework.instruments),
                    "objectives": len(framework.objectives),
                    "scale": None if scale is None else scale.name,
                    "parts": ", ".join(framework.parts),
                }
            )
        columns = [
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
        return pd.DataFrame.from_records(rows, columns=columns)


_default_registry: FrameworkRegistry | None = None
_default_lock = threading.Lock()


def get_registry() -> FrameworkRegistry:
    """The process-wide default registry (created on first use).

    Examples
    --------
    >>> import policyquant as pq
    >>> pq.plugins.get_registry() is pq.plugins.get_registry()
    True
    """
    global _default_registry
    with _default_lock:
        if _default_registry is None:
            _default_registry = FrameworkRegistry()
        return _default_registry


def reload_plugins() -> FrameworkRegistry:
    """Discard the default registry and load every plugin again.

    Needed after installing a plugin in a running session (or changing the
    environment variables), since entry points are read only once.

    Returns
    -------
    FrameworkRegistry
        The new default registry, already loaded.

    Examples
    --------
    >>> import policyquant as pq
    >>> "wang2026" in pq.plugins.reload_plugins().names()
    True
    """
    global _default_registry
    with _default_lock:
        _default_registry = FrameworkRegistry()
    _default_registry.load()
    return _default_registry


def get_framework(name: str | Framework) -> Framework:
    """Return a registered framework by name or alias.

    Parameters
    ----------
    name : str or Framework
        A framework name or alias, matched case-insensitively; a
        :class:`Framework` is returned unchanged, so that functions can accept
        either.

    Returns
    -------
    Framework

    Raises
    ------
    UnknownFrameworkError
        If no framework has this name; the message lists the known ones.

    Notes
    -----
    A built-in name or alias is found without importing any third-party
    plugin; the installed plugins are loaded only for a name no built-in has.

    Examples
    --------
    >>> import policyquant as pq
    >>> pq.get_framework("genai-china").name
    'wang2026'
    >>> pq.get_framework("wang2025")
    Traceback (most recent call last):
    ...
    policyquant.errors.UnknownFrameworkError: no framework named 'wang2025'; known frameworks: ...; did you mean wang2026?
    """
    return get_registry().get(name)


def list_frameworks() -> pd.DataFrame:
    """List the registered frameworks.

    Returns
    -------
    pandas.DataFrame
        One row per framework with the columns ``name``, ``title``,
        ``aliases`` (comma-separated), ``plugin`` (the plugin that registered
        it), ``version`` (the framework's), ``builtin`` (whether it ships
        with policyquant), ``distribution`` and ``distribution_version`` (the
        installed package whose entry point is the plugin, and its version;
        empty for built-in and run-time plugins), ``families``,
        ``instruments`` and ``objectives`` (counts), ``scale``
        (the score's name, or missing) and ``parts`` (which of instruments,
        objectives and scale it has).

    Examples
    --------
    >>> import policyquant as pq
    >>> table = pq.list_frameworks().set_index("name")
    >>> table.loc["wang2026", ["instruments", "objectives", "scale", "builtin"]].to_dict()
    {'instruments': 16, 'objectives': 4, 'scale': 'APE', 'builtin': True}
    >>> table.loc["wang2026", ["plugin", "distribution", "distribution_version"]].to_dict()
    {'plugin': 'policyquant.frameworks.howlett_ramesh', 'distribution': '', 'distribution_version': ''}
    """
    return get_registry().to_frame()


def plugin_failures() -> list[PluginFailure]:
    """The plugins of the default registry that failed to load, and why.

    Examples
    --------
    >>> import policyquant as pq
    >>> isinstance(pq.plugin_failures(), list)
    True
    """
    return get_registry().failures()


def register_plugin(plugin: Any, name: str | None = None) -> str:
    """Register a plugin in the default registry now; see :meth:`FrameworkRegistry.register_plugin`.

    Examples
    --------
    >>> import policyquant as pq
    >>> class Demo:
    ...     @pq.hookimpl
    ...     def policyquant_register_frameworks(self, register):
    ...         register(pq.Framework("demo", "Demo framework"), aliases=["my-demo"])
    >>> name = pq.plugins.register_plugin(Demo(), name="demo-plugin")
    >>> pq.get_framework("my-demo").title
    'Demo framework'
    >>> pq.plugins.unregister_plugin("demo-plugin")
    """
    return get_registry().register_plugin(plugin, name=name)


def unregister_plugin(name: str) -> None:
    """Remove a plugin and its frameworks from the default registry.

    See :meth:`FrameworkRegistry.unregister_plugin`; :func:`register_plugin`
    has an example.
    """
    get_registry().unregister_plugin(name)
