"""policyquant: quantitative analysis of public-policy texts.

Code policy documents clause by clause against a framework of policy
instruments, objectives and efficacy, then tabulate, score and compare them
reproducibly.

Examples
--------
>>> import policyquant as pq
>>> framework = pq.get_framework("wang2026")
>>> framework.family_keys
('mandatory', 'voluntary', 'mixed')
"""

from . import analysis, datasets, declarative, errors, formula, io, model, plugins, reliability, reporting
from .analysis import (
    CrosstabResult,
    FitResult,
    IssuerAliases,
    IssuerNetwork,
    authority_distribution,
    crosstab,
    efficacy,
    efficacy_summary,
    fit,
    issuer_network,
    portfolio_measures,
    portfolio_similarity,
    trends,
)
from .corpus import Corpus
from .declarative import load_framework
from .errors import (
    DuplicateFrameworkError,
    FormulaError,
    InvalidFrameworkError,
    PluginError,
    PluginWarning,
    PolicyQuantError,
    ReadError,
    ScoreError,
    UnknownCategoryError,
    UnknownFrameworkError,
    ValidationError,
)
from .hookspecs import hookimpl
from .io import read_coding, write_coding
from .model import (
    Dimension,
    EfficacyScale,
    FormulaScale,
    Framework,
    Instrument,
    InstrumentFamily,
    Level,
    Objective,
)
from .plugins import get_framework, list_frameworks, plugin_failures
from .reporting import report

__version__ = "0.1.0.dev0"

__all__ = [
    "Corpus",
    "CrosstabResult",
    "Dimension",
    "DuplicateFrameworkError",
    "EfficacyScale",
    "FitResult",
    "FormulaError",
    "FormulaScale",
    "Framework",
    "Instrument",
    "InstrumentFamily",
    "InvalidFrameworkError",
    "IssuerAliases",
    "IssuerNetwork",
    "Level",
    "Objective",
    "PluginError",
    "PluginWarning",
    "PolicyQuantError",
    "ReadError",
    "ScoreError",
    "UnknownCategoryError",
    "UnknownFrameworkError",
    "ValidationError",
    "__version__",
    "analysis",
    "authority_distribution",
    "crosstab",
    "datasets",
    "declarative",
    "efficacy",
    "efficacy_summary",
    "errors",
    "fit",
    "formula",
    "get_framework",
    "hookimpl",
    "io",
    "issuer_network",
    "list_frameworks",
    "load_framework",
    "model",
    "plugin_failures",
    "plugins",
    "portfolio_measures",
    "portfolio_similarity",
    "read_coding",
    "reliability",
    "report",
    "reporting",
    "trends",
    "write_coding",
]
