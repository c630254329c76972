"""From policy documents to numbered clauses: reading, metadata, sample selection, segmentation.

The front half of a study, before any code is assigned: :func:`read_documents`
takes a file, a folder or a .zip of policy documents as downloaded;
:func:`extract_metadata` finds each document's number, issuing bodies, dates,
level and form, with the text that shows it; :func:`select` keeps the documents
a query and the screening principles admit, recording why every other one was
left out; :func:`segment` cuts the kept documents into numbered clauses that
go into the coding template.

Examples
--------
>>> import policyquant as pq
>>> callable(pq.documents.read_documents)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .metadata import extract_metadata
    from .pipeline import Ingestion, ingest, read_ingested
    from .reading import DocumentSet, read_documents
    from .segmentation import Segmentation, segment
    from .selection import Selection, parse_query, select

__all__ = [
    "DocumentSet",
    "Ingestion",
    "Segmentation",
    "Selection",
    "extract_metadata",
    "ingest",
    "parse_query",
    "read_documents",
    "read_ingested",
    "segment",
    "select",
]

_LAZY = {
    "DocumentSet": "reading",
    "read_documents": "reading",
    "extract_metadata": "metadata",
    "Ingestion": "pipeline",
    "ingest": "pipeline",
    "read_ingested": "pipeline",
    "Segmentation": "segmentation",
    "segment": "segmentation",
    "Selection": "selection",
    "parse_query": "selection",
    "select": "selection",
}


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
