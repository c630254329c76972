"""Analyses of coded corpora: cross-tabulations and efficacy.

Every function takes a :class:`~policyquant.Corpus` and works on any
framework; aggregation is a :func:`numpy.bincount` over categorical codes.
"""

from .authority import authority_distribution
from .crosstab import CrosstabResult, crosstab
from .efficacy import (
    EfficacySummaryResult,
    efficacy,
    efficacy_summary,
    group_statistics,
    histogram_statistics,
)
from .fit import FitResult, fit
from .groups import MISSING, Grouping, group_codes, grouping, known_fields
from .network import DEFAULT_ISSUER_ALIASES, IssuerAliases, IssuerNetwork, issuer_network
from .portfolios import (
    MEASURES,
    SIMILARITIES,
    PortfolioMeasuresResult,
    PortfolioSimilarityResult,
    portfolio_measures,
    portfolio_similarity,
)
from .trends import TrendsResult, period_codes, trends

__all__ = [
    "DEFAULT_ISSUER_ALIASES",
    "MEASURES",
    "MISSING",
    "SIMILARITIES",
    "CrosstabResult",
    "EfficacySummaryResult",
    "FitResult",
    "Grouping",
    "IssuerAliases",
    "IssuerNetwork",
    "PortfolioMeasuresResult",
    "PortfolioSimilarityResult",
    "TrendsResult",
    "authority_distribution",
    "crosstab",
    "efficacy",
    "efficacy_summary",
    "fit",
    "group_codes",
    "group_statistics",
    "grouping",
    "histogram_statistics",
    "issuer_network",
    "known_fields",
    "period_codes",
    "portfolio_measures",
    "portfolio_similarity",
    "trends",
]
