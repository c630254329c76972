"""Intercoder reliability: how far independent coders agree on the same units.

Krippendorff's alpha at any level of measurement (with a bootstrap interval),
Cohen's kappa (weighted or not), Fleiss' kappa, Gwet's AC1, Brennan and
Prediger's coefficient and percent agreement, all from reliability data laid
out as one row per coder and one column per unit; and, for coders who each
coded a corpus, a report over every coded dimension, the disagreements to
adjudicate, and the adjudicated corpus.

Examples
--------
>>> from policyquant.reliability import krippendorff_alpha
>>> coders = [["tax", "subsidy", "standard", None],
...           ["tax", "subsidy", "subsidy", "standard"],
...           ["tax", "subsidy", "standard", "standard"]]
>>> round(float(krippendorff_alpha(coders)), 3)
0.75
"""

from .coefficients import (
    KAPPA_WEIGHTS,
    LEVELS,
    MAX_CATEGORIES,
    AgreementResult,
    AlphaResult,
    CohenKappaResult,
    FleissKappaResult,
    ReliabilityData,
    ReliabilityResult,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    fleiss_kappa_from_counts,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    reliability_data,
)
from .report import (
    AgreementReport,
    DisagreementsResult,
    adjudicate,
    agreement_report,
    coded_dimensions,
    disagreements,
)

__all__ = [
    "KAPPA_WEIGHTS",
    "LEVELS",
    "MAX_CATEGORIES",
    "AgreementReport",
    "AgreementResult",
    "AlphaResult",
    "CohenKappaResult",
    "DisagreementsResult",
    "FleissKappaResult",
    "ReliabilityData",
    "ReliabilityResult",
    "adjudicate",
    "agreement_report",
    "brennan_prediger",
    "coded_dimensions",
    "cohen_kappa",
    "disagreements",
    "fleiss_kappa",
    "fleiss_kappa_from_counts",
    "gwet_ac1",
    "krippendorff_alpha",
    "percent_agreement",
    "reliability_data",
]
