"""Coders by name: :func:`get_coder`, :func:`list_coders`, and :func:`common_dimensions` for comparing them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from .._checks import require_coders
from ..corpus import Corpus
from ..errors import PluginError
from ..model import Framework
from ..plugins import get_framework, get_registry
from ._base import Coder

__all__ = ["common_dimensions", "get_coder", "list_coders"]


def get_coder(name: str, framework: str | Framework = "wang2026", **options: Any) -> Coder:
    """The coder registered under ``name``, built for a framework.

    Parameters
    ----------
    name : str
        ``"dictionary"``, ``"tfidf-linear"``, ``"openai-compatible"`` or a
        plugin's coder (:func:`list_coders`).
    framework : str or Framework, default "wang2026"
    **options
        Passed to the coder's factory (``dictionary=`` for the dictionary
        coder, ``base_url=``, ``model=`` ... for the openai-compatible one).

    Returns
    -------
    Coder

    Raises
    ------
    UnknownFrameworkError
        For a name no plugin registered (with the closest names).
    PluginError
        If the factory returns something that is not a :class:`Coder`.

    Examples
    --------
    >>> import policyquant as pq
    >>> coder = pq.coders.get_coder("dictionary", framework="wang2026")
    >>> coder.name, coder.framework.name, coder.fields
    ('dictionary', 'wang2026', ('instrument', 'objectives'))
    """
    factory = get_registry().coder_factory(name)
    framework = get_framework(framework)
    coder = factory(framework=framework, **options)
    if not isinstance(coder, Coder):
        raise PluginError(
            f"the factory of coder {name!r} returned {type(coder).__name__}, not a policyquant.coders.Coder"
        )
    return coder


def list_coders() -> pd.DataFrame:
    """The registered coders: one row per coder, with the plugin that registered it.

    Examples
    --------
    >>> import policyquant as pq
    >>> table = pq.coders.list_coders()
    >>> {"dictionary", "openai-compatible"} <= set(table["name"])
    True
    >>> table.columns.tolist()
    ['name', 'plugin', 'builtin']
    """
    coders = get_registry().coders()
    return pd.DataFrame(
        {
            "name": list(coders),
            "plugin": list(coders.values()),
            "builtin": [plugin.startswith("policyquant.") for plugin in coders.values()],
        },
        columns=["name", "plugin", "builtin"],
    )


def common_dimensions(coders: Mapping[str, Corpus]) -> dict[str, Corpus]:
    """The coders' corpora restricted to the unit-level scores every one of them coded.

    :func:`policyquant.reliability.agreement_report` refuses corpora that
    coded different dimensions (a missing column is a sheet that left the
    dimension out).  A machine coder that codes instruments and objectives,
    but no scores, is compared with human coders on what it coded by dropping,
    explicitly, the score columns it did not code from the humans' corpora
    (and the document-level scores, which no coder of clauses gives).
    Nothing else changes: the units, their instruments and objectives.

    Parameters
    ----------
    coders : mapping of str to Corpus

    Returns
    -------
    dict of str to Corpus

    Examples
    --------
    >>> import policyquant as pq
    >>> human = pq.datasets.load_genai_china()
    >>> machine = pq.coders.get_coder("dictionary").code(human)
    >>> both = pq.coders.common_dimensions({"human": human, "machine": machine})
    >>> "AS" in both["human"].units.columns, "DA" in both["human"].documents.columns
    (False, False)
    """
    coders = require_coders(coders, "common_dimensions")
    scales = {corpus.framework.name: corpus.framework.scale for corpus in coders.values()}
    unit_keys: set[str] = set()
    document_keys: set[str] = set()
    for scale in scales.values():
        for dimension in scale.dimensions if scale is not None else ():
            (document_keys if dimension.unit == "document" else unit_keys).add(dimension.key)
    shared_units = set.intersection(*(set(c.units.columns) & unit_keys for c in coders.values()))
    shared_documents = set.intersection(*(set(c.documents.columns) & document_keys for c in coders.values()))
    result = {}
    for name, corpus in coders.items():
        drop_units = (set(corpus.units.columns) & unit_keys) - shared_units
        drop_documents = (set(corpus.documents.columns) & document_keys) - shared_documents
        if not drop_units and not drop_documents:
            result[name] = corpus
            continue
        # Dropping columns of validated tables keeps them valid: nothing to check again.
        restricted = type(corpus)._from_validated(
            corpus.framework,
            corpus.documents.drop(columns=sorted(drop_documents)),
            corpus.units.drop(columns=sorted(drop_units)),
            corpus._objective_mask,
            corpus.not_coded.drop(columns=sorted(drop_units), errors="ignore"),
        )
        for attribute in ("coder", "uncoded", "suggestions"):
            if hasattr(corpus, attribute):
                setattr(restricted, attribute, getattr(corpus, attribute))
        result[name] = restricted
    return result
