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

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers and editors see; at run time the names load on first use
    from . import (
        analysis,
        coders,
        datasets,
        declarative,
        documents,
        errors,
        formula,
        io,
        model,
        plugins,
        reliability,
        reporting,
        text,
    )
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
    from .coders import Dictionary
    from .corpus import Corpus
    from .declarative import load_framework
    from .documents import DocumentSet, extract_metadata, read_documents, segment, select
    from .errors import (
        DuplicateFrameworkError,
        FormulaError,
        InputTypeError,
        InvalidFrameworkError,
        PluginError,
        PluginWarning,
        PolicyQuantError,
        ReadError,
        ScoreError,
        SheetWarning,
        UnknownCategoryError,
        UnknownFrameworkError,
        ValidationError,
        WriteError,
    )
    from .hookspecs import hookimpl
    from .io import read_coding, write_coding
    from .io.chunked import ChunkedCorpus
    from .model import (
        AdministrativeLevel,
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

#: The submodule each public name comes from.  Nothing is imported with the package itself:
#: ``import policyquant`` stays as quick as the command line needs (``policyquant frameworks``
#: must not pay for pandas' plotting, the REFI-QDA schemas or the report templates), and each
#: name is imported on first use (PEP 562), then kept as an ordinary attribute.
_LAZY = {
    **{
        name: "analysis"
        for name in (
            "CrosstabResult",
            "FitResult",
            "IssuerAliases",
            "IssuerNetwork",
            "authority_distribution",
            "crosstab",
            "efficacy",
            "efficacy_summary",
            "fit",
            "issuer_network",
            "portfolio_measures",
            "portfolio_similarity",
            "trends",
        )
    },
    "Corpus": "corpus",
    "load_framework": "declarative",
    **{
        name: "errors"
        for name in (
            "DuplicateFrameworkError",
            "FormulaError",
            "InputTypeError",
            "InvalidFrameworkError",
            "PluginError",
            "PluginWarning",
            "PolicyQuantError",
            "ReadError",
            "ScoreError",
            "SheetWarning",
            "UnknownCategoryError",
            "UnknownFrameworkError",
            "ValidationError",
            "WriteError",
        )
    },
    "hookimpl": "hookspecs",
    "ChunkedCorpus": "io.chunked",
    "read_coding": "io",
    "write_coding": "io",
    **{
        name: "model"
        for name in (
            "AdministrativeLevel",
            "Dimension",
            "EfficacyScale",
            "FormulaScale",
            "Framework",
            "Instrument",
            "InstrumentFamily",
            "Level",
            "Objective",
        )
    },
    **{name: "plugins" for name in ("get_framework", "list_frameworks", "plugin_failures")},
    "report": "reporting",
    "Dictionary": "coders",
    **{
        name: "documents"
        for name in ("DocumentSet", "extract_metadata", "read_documents", "segment", "select")
    },
}
_SUBMODULES = frozenset(
    {
        "analysis",
        "coders",
        "dask",
        "datasets",
        "declarative",
        "documents",
        "errors",
        "formula",
        "io",
        "model",
        "plugins",
        "reliability",
        "reporting",
        "text",
    }
)


def __getattr__(name: str) -> Any:
    import importlib

    if name in _SUBMODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    elif name in _LAZY:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__version__ = "0.1.0.dev0"

__all__ = [
    "AdministrativeLevel",
    "ChunkedCorpus",
    "Corpus",
    "CrosstabResult",
    "Dictionary",
    "Dimension",
    "DocumentSet",
    "DuplicateFrameworkError",
    "EfficacyScale",
    "FitResult",
    "FormulaError",
    "FormulaScale",
    "Framework",
    "InputTypeError",
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
    "SheetWarning",
    "UnknownCategoryError",
    "UnknownFrameworkError",
    "ValidationError",
    "WriteError",
    "__version__",
    "analysis",
    "authority_distribution",
    "coders",
    "crosstab",
    "dask",
    "datasets",
    "declarative",
    "documents",
    "efficacy",
    "efficacy_summary",
    "errors",
    "extract_metadata",
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
    "read_documents",
    "reliability",
    "report",
    "reporting",
    "segment",
    "select",
    "text",
    "trends",
    "write_coding",
]
