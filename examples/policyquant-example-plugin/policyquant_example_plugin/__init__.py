"""An example policyquant plugin: an illustrative green-policy taxonomy defined in TOML.

The framework lives in ``green.toml`` next to this module, read with
:func:`policyquant.declarative.load_framework`; the one hook below registers
it.  The entry point in ``pyproject.toml`` is what makes policyquant find the
plugin once the package is installed::

    [project.entry-points.policyquant]
    example = "policyquant_example_plugin"

Examples
--------
>>> from policyquant_example_plugin import green_framework
>>> green = green_framework()
>>> green.resolve("instrument", "碳交易")
'carbon_pricing'
>>> green.scale.min_score, green.scale.max_score
(1.0, 12.0)
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files

import policyquant as pq
from policyquant.declarative import load_framework

__all__ = ["green_framework", "policyquant_register_frameworks"]

__version__ = "0.1.0"


def green_framework() -> pq.Framework:
    """Read the bundled ``green.toml`` into a framework.

    ``importlib.resources`` finds the file wherever the package is installed,
    zipped or not.
    """
    return load_framework(files(__name__) / "green.toml")


@pq.hookimpl
def policyquant_register_frameworks(register: Callable[..., None]) -> None:
    """Register ``"example-green"`` (alias ``"green-example"``)."""
    register(green_framework(), aliases=["green-example"])
