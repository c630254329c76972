"""Hypothesis strategies for random valid frameworks and coded corpora.

Property-based tests of code that works on *any* framework (an analysis, an
exporter, a plugin's own tooling) draw frameworks from :func:`frameworks`
and corpora coded against them from :func:`corpora`::

    from hypothesis import given
    from hypothesis import strategies as st
    from policyquant.testing.strategies import corpora, frameworks

    @given(st.data())
    def test_my_analysis(data):
        framework = data.draw(frameworks())
        corpus = data.draw(corpora(framework))
        ...

Requires `hypothesis <https://hypothesis.readthedocs.io>`_, a test
dependency of policyquant (``pip install "policyquant[test]"``); importing
this module without it raises :class:`ImportError` saying so.

Generated names are deliberately awkward: labels hold Chinese and other
non-ASCII letters, punctuation, mixed case and inner spaces, and localized
labels and aliases are added at random.  They are always *valid*: keys are
unique, no name is shared by two items, and every formula is finite over
every combination of levels.
"""

from __future__ import annotations

import keyword
import string
from collections.abc import Sequence
from typing import Any

import pandas as pd

from .._text import normalize_name
from ..corpus import LEVELS, split_multi
from ..model import Dimension, FormulaScale, Framework, Instrument, InstrumentFamily, Level, Objective

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - hypothesis is a test dependency
    raise ImportError(
        "policyquant.testing.strategies needs hypothesis, a test dependency: "
        'pip install hypothesis (or pip install "policyquant[test]")'
    ) from error

__all__ = ["corpora", "formulas", "frameworks"]

#: Characters of generated keys: no whitespace and none of the separators of multi-valued cells.
_KEY_CHARACTERS = string.ascii_lowercase + string.digits + "_-" + "政策工具目标"

_keys = st.text(alphabet=_KEY_CHARACTERS, min_size=1, max_size=10)

#: Labels: any printable text with at least one non-space character (no surrogates or controls).
_labels = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
    min_size=1,
    max_size=16,
).filter(lambda text: text.strip() != "")

_descriptions = st.one_of(
    st.just(""), st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
)

_dimension_keys = st.from_regex(r"[A-Z][A-Za-z0-9_]{0,3}", fullmatch=True).filter(
    lambda key: not keyword.iskeyword(key)
)


def formulas(keys: Sequence[str], *, max_leaves: int = 6) -> st.SearchStrategy[str]:
    """Random formulas over ``keys`` that are finite for any finite values.

    Built from the keys, small integers, ``+``, ``-``, ``*``, ``min``, ``max``
    and ``abs``: no division, logarithm or root, so that every combination of
    levels has a finite score.

    Parameters
    ----------
    keys : sequence of str
        The dimension keys the formula may use.
    max_leaves : int, default 6
        At most this many numbers and names.

    Examples
    --------
    Every drawn formula parses and uses only the given names:

    >>> from hypothesis import given, settings
    >>> from policyquant.formula import Formula
    >>> @settings(max_examples=25, database=None, derandomize=True)
    ... @given(formulas(["DA", "AS"]))
    ... def parses(text):
    ...     assert Formula(text, variables=["DA", "AS"]).names <= {"DA", "AS"}
    >>> parses()
    """
    leaves = st.sampled_from(list(keys)) | st.integers(0, 5).map(str)

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
            inner.map(lambda x: f"abs({x})"),
        )

    return st.recursive(leaves, extend, max_leaves=max_leaves)


class _Names:
    """Hands out names within one part so that no name belongs to two owners."""

    def __init__(self) -> None:
        self.owners: dict[str, Any] = {}

    def claim(self, owner: Any, name: str) -> bool:
        normal = normalize_name(name)
        holder = self.owners.setdefault(normal, owner)
        return holder == owner


def _labels_for(draw: Any, names: _Names, owner: Any, languages: Sequence[str]) -> dict[str, str]:
    labels = {}
    for language in languages:
        if draw(st.booleans()):
            label = draw(_labels)
            if names.claim(owner, label):
                labels[language] = label
    return labels


def _aliases_for(draw: Any, names: _Names, owner: Any) -> list[str]:
    return [alias for alias in draw(st.lists(_labels, max_size=2)) if names.claim(owner, alias)]


def _label_for(draw: Any, names: _Names, owner: Any, fallback: str) -> str:
    label = draw(_labels)
    return label if names.claim(owner, label) else fallback


@st.composite
def _items(
    draw: Any, kind: type, count: tuple[int, int], languages: Sequence[str], **fixed: Any
) -> list[Any]:
    """Families, instruments or objectives with unique keys and unambiguous names."""
    keys = draw(st.lists(_keys, min_size=count[0], max_size=count[1], unique_by=normalize_name))
    names = _Names()
    for key in keys:
        names.claim(key, key)
    items = []
    for key in keys:
        fields: dict[str, Any] = {
            "label": _label_for(draw, names, key, key),
            "description": draw(_descriptions),
            "labels": _labels_for(draw, names, key, languages),
        }
        if kind is not InstrumentFamily:
            fields["aliases"] = _aliases_for(draw, names, key)
        fields.update({name: draw(value) for name, value in fixed.items()})
        items.append(kind(key, **fields))
    return items


@st.composite
def _dimension(draw: Any, key: str, max_levels: int, languages: Sequence[str]) -> Dimension:
    scores = draw(
        st.lists(
            st.integers(-3, 10) | st.sampled_from([0.5, 1.5, 2.5]),
            min_size=1,
            max_size=max_levels,
            unique=True,
        )
    )
    names = _Names()
    levels = []
    for score in scores:
        label = _label_for(draw, names, score, f"level {score}")
        suffix = 0
        while not names.claim(score, label):  # the fallback itself was taken by another level's alias
            suffix += 1
            label = f"level {score} ({suffix})"
        levels.append(
            Level(
                score,
                label,
                draw(_descriptions),
                labels=_labels_for(draw, names, score, languages),
                aliases=_aliases_for(draw, names, score),
            )
        )
    return Dimension(
        key,
        draw(_labels),
        levels,
        unit=draw(st.sampled_from(Dimension.UNITS)),
        description=draw(_descriptions),
        labels=draw(st.dictionaries(st.sampled_from(list(languages)), _labels)) if languages else {},
    )


@st.composite
def _scales(draw: Any, max_dimensions: int, max_levels: int, languages: Sequence[str]) -> FormulaScale:
    keys = draw(st.lists(_dimension_keys, min_size=1, max_size=max_dimensions, unique=True))
    dimensions = [draw(_dimension(key, max_levels, languages)) for key in keys]
    return FormulaScale(
        dimensions,
        draw(formulas(keys)),
        name=draw(_keys),
        label=draw(st.one_of(st.just(""), _labels)),
    )


@st.composite
def frameworks(
    draw: Any,
    *,
    scale: bool | None = None,
    min_families: int = 1,
    max_families: int = 4,
    min_instruments: int = 1,
    max_instruments: int = 8,
    min_objectives: int = 1,
    max_objectives: int = 5,
    max_dimensions: int = 3,
    max_levels: int = 5,
    languages: Sequence[str] = ("zh", "en-GB"),
) -> Framework:
    """Random valid frameworks, optionally with a formula scale.

    Parameters
    ----------
    scale : bool, optional
        ``True`` always adds a :class:`~policyquant.FormulaScale`, ``False``
        never does; ``None`` (the default) draws which.
    min_families, max_families : int
        How many families (at least one whenever there are instruments).
    min_instruments, max_instruments : int
        How many instruments, each in one of the families.
    min_objectives, max_objectives : int
        How many objectives.
    max_dimensions, max_levels : int
        The size of the scale: dimensions, and levels per dimension.
    languages : sequence of str
        The language codes localized labels are drawn in.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from policyquant.testing import check_framework
    >>> @settings(max_examples=10, deadline=None, database=None, derandomize=True)
    ... @given(frameworks(scale=True))
    ... def test_every_framework_conforms(framework):
    ...     assert framework.scale is not None
    ...     check_framework(framework)
    >>> test_every_framework_conforms()
    """
    if min_instruments > 0:
        min_families = max(min_families, 1)
    families = draw(_items(InstrumentFamily, (min_families, max(min_families, max_families)), languages))
    instruments: list[Instrument] = []
    if families:
        instruments = draw(
            _items(
                Instrument,
                (min_instruments, max(min_instruments, max_instruments)),
                languages,
                family=st.sampled_from([f.key for f in families]),
            )
        )
    objectives = draw(_items(Objective, (min_objectives, max(min_objectives, max_objectives)), languages))
    with_scale = draw(st.booleans()) if scale is None else scale
    return Framework(
        draw(_keys),
        draw(_labels),
        families=families,
        instruments=instruments,
        objectives=objectives,
        scale=draw(_scales(max_dimensions, max_levels, languages)) if with_scale else None,
        citation=draw(st.none() | _labels),
        version=draw(st.none() | st.from_regex(r"[0-9]{1,2}(\.[0-9]{1,2}){0,2}", fullmatch=True)),
        description=draw(_descriptions),
    )


def _spellings(item: Any, *, whole: bool) -> list[str]:
    """The names a coder may write for an item; with ``whole``, only those a cell splitter keeps whole."""
    names = list(dict.fromkeys(item.names()))
    if whole:
        names = [name for name in names if split_multi(name) == (name.strip(),)] or [item.key]
    return names


@st.composite
def corpora(
    draw: Any,
    framework: Framework,
    *,
    min_documents: int = 1,
    max_documents: int = 5,
    min_units: int = 1,
    max_units: int = 20,
    spellings: bool = True,
) -> Any:
    """Random valid :class:`~policyquant.Corpus` objects coded against ``framework``.

    Documents get ids, an administrative level, a year and their
    document-level scores; every unit (clause) belongs to a document, uses one
    instrument, serves a non-empty set of objectives and has its unit-level
    scores.  Scores are drawn from the dimensions' levels.

    Parameters
    ----------
    framework : Framework
        The framework to code against.  Its objective keys must not contain
        the separators of multi-valued cells (``;``, ``,``, ``|``, ...).
    min_documents, max_documents : int
        How many documents.
    min_units, max_units : int
        How many units, spread over the documents.
    spellings : bool, default True
        Write instruments and objectives by any of their names (labels,
        Chinese labels, aliases) instead of their keys, as coders do.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from hypothesis import strategies as st
    >>> import policyquant as pq
    >>> wang = pq.get_framework("wang2026")
    >>> @settings(max_examples=10, deadline=None, database=None, derandomize=True)
    ... @given(corpora(wang, max_units=8))
    ... def test_every_clause_is_coded(corpus):
    ...     assert len(corpus.codings) >= len(corpus.units) >= 1
    >>> test_every_clause_is_coded()
    """
    from ..corpus import Corpus

    doc_ids = draw(
        st.lists(
            st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,7}", fullmatch=True),
            min_size=min_documents,
            max_size=max(min_documents, max_documents),
            unique=True,
        )
    )
    scale = framework.scale
    document_dimensions = scale.dimensions_for("document") if scale is not None else ()
    unit_dimensions = scale.dimensions_for("unit") if scale is not None else ()
    documents: dict[str, list[Any]] = {
        "doc_id": doc_ids,
        "level": [draw(st.sampled_from(LEVELS)) for _ in doc_ids],
        "year": [draw(st.integers(1990, 2030)) for _ in doc_ids],
    }
    for dimension in document_dimensions:
        documents[dimension.key] = [draw(st.sampled_from(dimension.scores)) for _ in doc_ids]
    count = draw(st.integers(min_units, max(min_units, max_units)))
    owners = [draw(st.sampled_from(doc_ids)) for _ in range(count)]
    clause = dict.fromkeys(doc_ids, 0)
    unit_ids = []
    for doc in owners:
        clause[doc] += 1
        unit_ids.append(f"{doc}-1-{clause[doc]}")
    units: dict[str, list[Any]] = {"unit_id": unit_ids, "doc_id": owners}
    if framework.instruments:
        names = [_spellings(i, whole=False) if spellings else [i.key] for i in framework.instruments]
        units["instrument"] = [draw(st.sampled_from(draw(st.sampled_from(names)))) for _ in range(count)]
    if framework.objectives:
        names = [_spellings(o, whole=True) if spellings else [o.key] for o in framework.objectives]
        cells = []
        for _ in range(count):
            chosen = draw(st.lists(st.sampled_from(range(len(names))), min_size=1, max_size=3, unique=True))
            cells.append(tuple(draw(st.sampled_from(names[i])) for i in chosen))
        units["objectives"] = cells
    for dimension in unit_dimensions:
        units[dimension.key] = [draw(st.sampled_from(dimension.scores)) for _ in range(count)]
    return Corpus(pd.DataFrame(documents), pd.DataFrame(units), framework)
