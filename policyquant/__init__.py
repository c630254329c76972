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

from . import errors, formula, model, plugins
from .errors import (
    DuplicateFrameworkError,
    FormulaError,
    InvalidFrameworkError,
    PluginError,
    PluginWarning,
    PolicyQuantError,
    ScoreError,
    UnknownCategoryError,
    UnknownFrameworkError,
    ValidationError,
)
from .hookspecs import hookimpl
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

__version__ = "0.1.0.dev0"

__all__ = [
    "Dimension",
    "DuplicateFrameworkError",
    "EfficacyScale",
    "FormulaError",
    "FormulaScale",
    "Framework",
    "Instrument",
    "InstrumentFamily",
    "InvalidFrameworkError",
    "Level",
    "Objective",
    "PluginError",
    "PluginWarning",
    "PolicyQuantError",
    "ScoreError",
    "UnknownCategoryError",
    "UnknownFrameworkError",
    "ValidationError",
    "__version__",
    "errors",
    "formula",
    "get_framework",
    "hookimpl",
    "list_frameworks",
    "model",
    "plugin_failures",
    "plugins",
]
