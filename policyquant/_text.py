"""Matching of user-typed names against keys, labels and aliases.

Coders type category names by hand, in English or Chinese, with full-width
characters, stray spaces and inconsistent case.  Everything that resolves a name
goes through :func:`normalize_name` so that all such spellings meet.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

_WHITESPACE = re.compile(r"\s+")


def normalize_name(text: object) -> str:
    """Fold a name for matching: NFKC width folding, case folding, single spaces.

    Examples
    --------
    >>> normalize_name("  Standards\\u3000and  NORMS ")
    'standards and norms'
    >>> normalize_name("ＡＳ")
    'as'
    """
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return _WHITESPACE.sub(" ", folded).strip()


def closest(value: object, choices: Iterable[str], n: int = 3) -> list[str]:
    """Return up to ``n`` choices closest to ``value``, best first.

    Examples
    --------
    >>> closest("subsidy", ["subsidies", "taxes", "regulation"])
    ['subsidies']
    """
    choices = list(choices)
    by_normal: dict[str, str] = {}
    for choice in choices:
        by_normal.setdefault(normalize_name(choice), choice)
    matches = difflib.get_close_matches(normalize_name(value), list(by_normal), n=n, cutoff=0.6)
    return [by_normal[m] for m in matches]


def format_choices(choices: Iterable[object], limit: int = 12) -> str:
    """Join choices for a message, eliding a long tail.

    Examples
    --------
    >>> format_choices(["a", "b", "c"], limit=2)
    'a, b, ... (3 in all)'
    """
    choices = [str(c) for c in choices]
    if len(choices) <= limit:
        return ", ".join(choices)
    return ", ".join(choices[:limit]) + f", ... ({len(choices)} in all)"
