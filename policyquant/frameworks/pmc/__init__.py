"""The PMC index: Ruiz Estrada's Policy Modeling Consistency index, as a built-in plugin.

The PMC index (Ruiz Estrada, 2011) rates how complete and consistent a policy
document is.  A study first fixes a system of *first-level variables*
(``X1``, ``X2``, ...: the policy's nature, timeliness, issuing body, ...), each
with a few binary *sub-variables* (``X1:1`` "predictive", ``X1:2``
"supervisory", ...).  Every policy is scored 1 on a sub-variable it covers and
0 on one it does not.  Then

* each first-level variable is the mean of its sub-variables, between 0 and 1:
  ``Xi = sum_j Xi:j / T(Xi:j)``;
* the PMC index is the sum of the first-level variables, between 0 and the
  number of variables ``n``;
* the concavity ("凹陷指数") is ``n - PMC``, how far the policy falls short of a
  perfect one;
* the policy's grade follows from its PMC: with ten variables, 9-10 is
  *Perfect*, 7-8.99 *Excellent*, 5-6.99 *Acceptable* and 0-4.99 *Bad*;
* the PMC surface lays the first nine variables out as a 3 x 3 matrix and
  draws it in three dimensions, showing at a glance where a policy is strong
  (peaks) and weak (hollows).

This module registers

``"pmc"`` (alias ``"pmc-index"``)
    A framework made of a scale only: a :class:`PMCScale` that finds the
    variables in the frame it scores from column names such as ``X1_1``.

``"pmc"`` scale type
    For declarative frameworks: ``[scale]`` with ``type = "pmc"`` and,
    optionally, ``variables`` and ``bands`` (see :func:`pmc_scale`).

Most work goes through :class:`PMCIndex`; the figures are drawn by
:func:`pmc_surface_plot` and :func:`pmc_radar`.

Examples
--------
The sub-variables of one policy, one column each:

>>> import pandas as pd
>>> from policyquant.frameworks.pmc import PMCIndex
>>> scores = {
...     "X1": [1, 1, 0, 1, 1], "X2": [1, 1, 0], "X3": [1, 0, 1, 0], "X4": [1, 1, 1, 1, 0, 1],
...     "X5": [0, 1, 1], "X6": [1, 1, 1, 1], "X7": [1, 0, 0, 1, 0], "X8": [1, 1, 1, 0],
...     "X9": [1, 1, 0, 0, 1, 1], "X10": [1, 1],
... }
>>> row = {f"{v}_{j}": s for v, subs in scores.items() for j, s in enumerate(subs, start=1)}
>>> frame = pd.DataFrame([row], index=["P1"])
>>> result = PMCIndex.from_columns(frame).score(frame)
>>> round(float(result.loc["P1", "PMC"]), 4), result.loc["P1", "grade"]
(7.2833, 'Excellent')
"""

from __future__ import annotations

# The private names stay reachable here because the CLI and tests used them when this was one module.
from .figures import _localized_scores as _localized_scores
from .figures import pmc_radar, pmc_surface_plot
from .index import _BINARY_EXPECTED as _BINARY_EXPECTED
from .index import (
    GRADE_LABELS,
    PMC_CITATION,
    PMC_EXAMPLE_VARIABLES,
    PMCBand,
    PMCBands,
    PMCIndex,
    PMCScale,
    PMCWarning,
    pmc_framework,
    pmc_scale,
    policyquant_register_frameworks,
    policyquant_register_scale_types,
)
from .index import MAX_PROBLEMS as MAX_PROBLEMS
from .template import pmc_codebook, write_pmc_template

__all__ = [
    "GRADE_LABELS",
    "PMC_CITATION",
    "PMC_EXAMPLE_VARIABLES",
    "PMCBand",
    "PMCBands",
    "PMCIndex",
    "PMCScale",
    "PMCWarning",
    "pmc_codebook",
    "pmc_framework",
    "pmc_radar",
    "pmc_scale",
    "pmc_surface_plot",
    "policyquant_register_frameworks",
    "policyquant_register_scale_types",
    "write_pmc_template",
]
