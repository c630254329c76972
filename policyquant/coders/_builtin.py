"""The coders that ship with policyquant, registered through the same hook as a plugin's.

Each factory imports its module only when the coder is asked for: listing the
coders imports neither scikit-learn nor an HTTP client.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..hookspecs import hookimpl


def dictionary_coder(**options: Any) -> Any:
    """The ``"dictionary"`` coder: :meth:`policyquant.coders.Dictionary.starter` or ``dictionary=``."""
    from .dictionary import dictionary_coder as build

    return build(**options)


def openai_compatible_coder(**options: Any) -> Any:
    """The ``"openai-compatible"`` coder: :class:`policyquant.coders.OpenAICompatibleCoder`."""
    from .llm import OpenAICompatibleCoder

    return OpenAICompatibleCoder(**options)


@hookimpl
def policyquant_register_coders(register: Callable[..., None]) -> None:
    """Register ``"dictionary"`` and ``"openai-compatible"``.

    ``"tfidf-linear"`` registers itself in :mod:`policyquant.coders.supervised`
    with the same hook (that module is one of the default plugins).
    """
    register("dictionary", dictionary_coder)
    register("openai-compatible", openai_compatible_coder)
