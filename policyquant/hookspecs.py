"""Hook specifications: the extension points a policyquant plugin can implement.

A plugin is any module or object with functions decorated with
:data:`policyquant.hookimpl` whose names match the specifications below.  It is
found either because it is built in (listed in
:data:`policyquant.plugins.DEFAULT_PLUGINS`), because it is installed as an
entry point in the ``policyquant`` group, or because it was registered at run
time with :func:`policyquant.plugins.register_plugin`.

Hooks take a ``register`` callback instead of returning values, so that one
hook call can contribute any number of items and policyquant knows which plugin
contributed each of them.

Every plugin is checked against these specifications as it is registered: a
function marked as a hook under a name that is none of them (a misspelling),
a function named like a hook (``policyquant_...``) without the
:data:`hookimpl` marker, and a plugin without any hook are refused, naming
the function and the closest hook.  A hook marked ``optionalhook=True`` (one a
later policyquant may add) is allowed.  A built-in plugin, or one registered
with :func:`~policyquant.plugins.register_plugin`, raises a
:class:`~policyquant.errors.PluginError`; an installed one is skipped with a
:class:`~policyquant.errors.PluginWarning` and recorded in
:func:`~policyquant.plugins.plugin_failures`.
:func:`policyquant.testing.check_plugin` runs the same check in a plugin's
test suite.
"""

from __future__ import annotations

from collections.abc import Callable

import pluggy

__all__ = [
    "PROJECT_NAME",
    "hookimpl",
    "hookspec",
    "policyquant_register_frameworks",
    "policyquant_register_scale_types",
]

#: The pluggy project name, also the entry-point group that plugins install into.
PROJECT_NAME = "policyquant"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)

#: Decorator marking a plugin's hook implementations.
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def policyquant_register_frameworks(
    register: Callable[..., None],
) -> None:
    """Register frameworks by calling ``register(framework, aliases=())``.

    Parameters
    ----------
    register : callable
        ``register(framework, aliases=())`` adds a
        :class:`~policyquant.Framework` under its name and any extra
        ``aliases``.  It raises
        :class:`~policyquant.errors.DuplicateFrameworkError` if another plugin
        already claimed the name or an alias, and
        :class:`~policyquant.errors.PluginError` if ``framework`` is not a
        :class:`~policyquant.Framework`.

    Examples
    --------
    A plugin module, ``my_frameworks.py``::

        import policyquant as pq

        @pq.hookimpl
        def policyquant_register_frameworks(register):
            register(pq.Framework("my-taxonomy", "My taxonomy", ...), aliases=["mine"])

    installed with an entry point in its ``pyproject.toml``::

        [project.entry-points.policyquant]
        my_frameworks = "my_frameworks"
    """


@hookspec
def policyquant_register_scale_types(
    register: Callable[..., None],
) -> None:
    """Register kinds of efficacy scale by calling ``register(name, factory)``.

    A scale type is what a declarative (TOML) framework names in its
    ``[scale]`` table with ``type = "<name>"``.

    Parameters
    ----------
    register : callable
        ``register(name, factory)``.  ``factory(spec, dimensions)`` receives
        the ``[scale]`` table as a dict (without ``type``) and the framework's
        tuple of :class:`~policyquant.Dimension` objects, and returns an
        :class:`~policyquant.EfficacyScale`.  A name another plugin already
        registered raises :class:`~policyquant.errors.DuplicateFrameworkError`.

    Examples
    --------
    In a plugin module::

        @pq.hookimpl
        def policyquant_register_scale_types(register):
            register("max", lambda spec, dimensions: MaxScale(dimensions))
    """
