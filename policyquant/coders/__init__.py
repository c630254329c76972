"""Machine coders: suggest codes for clauses, and be scored as one more coder.

Every coder implements :class:`Coder` (:meth:`Coder.suggest` returns
:class:`Suggestions`; :meth:`Coder.code` a :class:`MachineCorpus` attributed to
the coder, which :func:`policyquant.reliability.agreement_report` compares with
the human coders' corpora unchanged).  Coders are registered by plugins
(``policyquant_register_coders``): :func:`get_coder` builds one by name,
:func:`list_coders` lists them.  Built in: ``"dictionary"``
(:class:`Dictionary`), ``"tfidf-linear"`` (:func:`train`) and
``"openai-compatible"`` (:class:`OpenAICompatibleCoder`).
"""

from __future__ import annotations

import importlib
from typing import Any

from ._base import (
    PROBLEM_COLUMNS,
    SUGGESTION_COLUMNS,
    Coder,
    CoderFactory,
    MachineCorpus,
    Suggestions,
    coder_fields,
    units_frame,
)
from ._registry import common_dimensions, get_coder, list_coders

__all__ = [
    "PROBLEM_COLUMNS",
    "SUGGESTION_COLUMNS",
    "Coder",
    "CoderEvaluation",
    "CoderFactory",
    "Dictionary",
    "MachineCorpus",
    "OpenAICompatibleCoder",
    "Suggestions",
    "SupervisedCoder",
    "coder_fields",
    "common_dimensions",
    "get_coder",
    "list_coders",
    "load",
    "train",
    "units_frame",
]

# Imported on first use: the supervised coder needs scikit-learn, and nothing here should
# import an HTTP client before the openai-compatible coder is asked for.
_LAZY = {
    "Dictionary": ".dictionary",
    "OpenAICompatibleCoder": ".llm",
    "train": ".supervised",
    "load": ".supervised",
    "SupervisedCoder": ".supervised",
    "CoderEvaluation": ".supervised",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
