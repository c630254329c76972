"""A kit for testing frameworks and framework plugins.

Three parts:

:func:`check_framework`
    The conformance checks every framework must pass (unique keys, families
    that resolve, unambiguous names, finite bounds that hold for every
    combination of levels, a complete codebook, a TOML round trip), run
    together and reported together in one :class:`FrameworkCheckError`.
    Needs nothing beyond policyquant itself.
:func:`check_plugin`
    The same checks on every framework a plugin registers, after checking
    the plugin's hooks against the hook specifications (a misspelt hook, a
    hook without :data:`policyquant.hookimpl`, no hook at all), that its
    hooks run and what they register is accepted, and that its scale types
    can be called; every problem reported in one :class:`PluginCheckError`.
:func:`frameworks` and :func:`corpora`
    `Hypothesis <https://hypothesis.readthedocs.io>`_ strategies drawing
    random valid frameworks and corpora coded against them, for
    property-based tests (see :mod:`policyquant.testing.strategies`).  They
    need hypothesis, a test dependency of policyquant (``pip install
    "policyquant[test]"``); it is imported only when one of them is first
    used, so ``check_framework`` works without it.

A plugin's test suite needs one line for the whole plugin::

    import my_frameworks
    from policyquant.testing import check_plugin

    def test_my_plugin_conforms():
        check_plugin(my_frameworks)

or one line per framework, with :func:`check_framework`::

    def test_my_framework_conforms():
        check_framework(pq.get_framework("my-taxonomy"))

Examples
--------
>>> import policyquant as pq
>>> from policyquant.testing import check_framework
>>> check_framework(pq.get_framework("wang2026")).passed
('type', 'keys', 'families', 'names', 'bounds', 'scores', 'codebook', 'toml')
"""

from __future__ import annotations

from typing import Any

from .checks import (
    CHECKS,
    DEFAULT_MAX_COMBINATIONS,
    CheckFailure,
    FrameworkCheckError,
    FrameworkReport,
    check_framework,
)
from .plugins import PluginCheckError, PluginReport, check_plugin

__all__ = [
    "CHECKS",
    "DEFAULT_MAX_COMBINATIONS",
    "CheckFailure",
    "FrameworkCheckError",
    "FrameworkReport",
    "PluginCheckError",
    "PluginReport",
    "check_framework",
    "check_plugin",
    "corpora",
    "formulas",
    "frameworks",
]

_STRATEGIES = ("corpora", "formulas", "frameworks")


def __getattr__(name: str) -> Any:
    # The strategies import hypothesis, a test dependency: only when first asked for.
    if name in _STRATEGIES:
        from . import strategies

        return getattr(strategies, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_STRATEGIES})
