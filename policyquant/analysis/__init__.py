"""Analyses of coded corpora: cross-tabulations and efficacy.

Every function takes a :class:`~policyquant.Corpus` and works on any
framework; aggregation is a :func:`numpy.bincount` over categorical codes.
"""

from .crosstab import CrosstabResult, crosstab
from .efficacy import efficacy, efficacy_summary, group_statistics
from .groups import MISSING, Grouping, group_codes, grouping, known_fields

__all__ = [
    "MISSING",
    "CrosstabResult",
    "Grouping",
    "crosstab",
    "efficacy",
    "efficacy_summary",
    "group_codes",
    "group_statistics",
    "grouping",
    "known_fields",
]
