"""The built-in scale types of declarative frameworks, registered as a plugin.

``formula``
    A :class:`~policyquant.FormulaScale`: ``[scale]`` holds ``formula`` and,
    optionally, ``name`` and ``label``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..errors import InvalidFrameworkError
from ..hookspecs import hookimpl
from ..model import Dimension, FormulaScale

__all__ = ["formula_scale", "policyquant_register_scale_types"]


def formula_scale(spec: Mapping[str, Any], dimensions: tuple[Dimension, ...]) -> FormulaScale:
    """Build a :class:`~policyquant.FormulaScale` from a ``[scale]`` table.

    Examples
    --------
    >>> import policyquant as pq
    >>> dims = pq.get_framework("wang2026").scale.dimensions
    >>> formula_scale({"formula": "DA * (AS + MI)", "name": "APE"}, dims).max_score
    50.0
    """
    unknown = sorted(set(spec) - {"formula", "name", "label"})
    if unknown:
        raise InvalidFrameworkError(
            f"scale: unknown key(s) {', '.join(unknown)}; a formula scale takes formula, name and label"
        )
    if "formula" not in spec:
        raise InvalidFrameworkError('scale: a formula scale needs a formula, e.g. formula = "DA * (AS + MI)"')
    return FormulaScale(
        dimensions, spec["formula"], name=spec.get("name", "score"), label=spec.get("label", "")
    )


@hookimpl
def policyquant_register_scale_types(register: Callable[..., None]) -> None:
    """Register the ``formula`` scale type."""
    register("formula", formula_scale)
