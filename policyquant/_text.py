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

    Chinese is matched by the two-character words it shares, then by difflib's
    ratio: a coder's 创新发展 is closest to 技术创新, not to nothing.

    >>> closest("创新发展", ["法定权益保护", "技术安全与创新", "技术创新", "应用场景"])
    ['技术创新', '技术安全与创新']

    A choice that differs only by characters that look alike (``l`` and
    ``1``, ``O`` and ``0``), the typo of an id copied by eye, comes first:

    >>> closest("N0l", ["N20", "N10", "N09", "N01"])
    ['N01', 'N20', 'N10']
    """
    choices = list(choices)
    by_normal: dict[str, str] = {}
    for choice in choices:
        by_normal.setdefault(normalize_name(choice), choice)
    target = normalize_name(value)
    if not _CJK.search(target):
        folded = target.translate(_LOOKALIKE)
        alike = [normal for normal in by_normal if normal != target and normal.translate(_LOOKALIKE) == folded]
        matches = difflib.get_close_matches(target, list(by_normal), n=n, cutoff=0.6)
        exact = [target] if target in by_normal else []
        return [by_normal[m] for m in dict.fromkeys(exact + alike + matches)][:n]
    # Chinese names are short and share words, not spellings: 创新发展 and 技术安全与创新 are
    # 0.36 alike to difflib.  A choice sharing a two-character word (a bigram) is a candidate,
    # ranked by how many it shares, then by difflib's ratio.
    grams = _bigrams(target)
    scored = []
    for normal in by_normal:
        matcher = difflib.SequenceMatcher(None, target, normal)
        shared = len(grams & _bigrams(normal))
        if shared or (matcher.real_quick_ratio() >= 0.6 and matcher.ratio() >= 0.6):
            scored.append((shared, matcher.ratio(), normal))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    return [by_normal[normal] for _, _, normal in scored[:n]]


#: Characters read for one another when an id is copied by eye (after case folding).
_LOOKALIKE = str.maketrans({"l": "1", "i": "1", "|": "1", "o": "0"})

_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _bigrams(text: str) -> set[str]:
    """The two-character words of the CJK runs of ``text`` (a lone character is its own word)."""
    grams: set[str] = set()
    for run in re.findall("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", text):
        grams.update(run[i : i + 2] for i in range(max(len(run) - 1, 1)))
    return grams


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
