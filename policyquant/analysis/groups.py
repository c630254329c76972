"""Integer group codes for the fields of a corpus.

Every aggregation in policyquant is a :func:`numpy.bincount` over integer
codes: a field such as ``"instrument"``, ``"objective"`` or ``"year"`` becomes
an array of category positions (one per clause or per coding) plus the list of
categories.  Categorical fields keep every category of the framework, so empty
categories still show as zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import attrs
import numpy as np
import pandas as pd

from .._checks import describe_value
from .._text import closest, format_choices
from ..corpus import Corpus
from ..errors import InputTypeError, ValidationError

__all__ = ["MISSING", "Grouping", "group_codes", "grouping"]

#: Category label of rows whose field is missing.
MISSING = "(missing)"

Table = Literal["documents", "units", "codings"]


@attrs.frozen
class Grouping:
    """Rows of a table assigned to groups.

    Attributes
    ----------
    fields : tuple of str
        The fields grouped by.
    codes : numpy.ndarray
        The group of each row, from 0 to ``len(index) - 1``.
    categories : tuple of pandas.Index
        Each field's categories, in code order.
    """

    fields: tuple[str, ...]
    codes: np.ndarray
    categories: tuple[pd.Index, ...]

    @property
    def size(self) -> int:
        """The number of groups."""
        return int(np.prod([len(c) for c in self.categories]))

    @property
    def index(self) -> pd.Index:
        """The groups' labels in code order (a MultiIndex for several fields)."""
        if len(self.categories) == 1:
            return self.categories[0].rename(self.fields[0])
        return pd.MultiIndex.from_product(self.categories, names=list(self.fields))


def _document_fields(corpus: Corpus) -> list[str]:
    return [c for c in corpus.documents.columns if c not in ("doc_id", "title", "issuers", "date")]


def _unit_fields(corpus: Corpus) -> list[str]:
    return [c for c in corpus.units.columns if c not in ("unit_id", "doc_id", "text", "objectives")]


def known_fields(corpus: Corpus) -> list[str]:
    """The fields a corpus can be grouped by.

    Examples
    --------
    >>> import policyquant as pq
    >>> known_fields(pq.datasets.load_genai_china())[:6]
    ['instrument', 'family', 'objective', 'doc_id', 'level', 'region']
    """
    parts = []
    if corpus.framework.instruments:
        parts += ["instrument", "family"]
    if corpus.framework.objectives:
        parts.append("objective")
    fields = [*parts, "doc_id", *_document_fields(corpus)]
    return fields + [f for f in _unit_fields(corpus) if f not in fields]


def _with_missing(codes: np.ndarray, categories: Sequence[object]) -> tuple[np.ndarray, pd.Index]:
    index = pd.Index(list(categories))
    if (codes < 0).any():
        codes = np.where(codes < 0, len(index), codes)
        index = index.append(pd.Index([MISSING]))
    return codes, index


def _factorize(values: pd.Series, levels: Sequence[object] | None = None) -> tuple[np.ndarray, pd.Index]:
    """Codes of a column: categorical order, a dimension's level order, or sorted values."""
    if levels is not None:
        index = pd.Index(list(levels))
        return index.get_indexer(values.astype(object).where(values.notna(), None)), index
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), pd.Index(values.cat.categories)
    codes, uniques = pd.factorize(values, sort=True)
    return codes, pd.Index(uniques)


def group_codes(corpus: Corpus, field: str, table: Table = "units") -> tuple[np.ndarray, pd.Index]:
    """Integer codes of ``field`` for every row of ``corpus.units`` or ``corpus.codings``.

    Parameters
    ----------
    corpus : Corpus
    field : str
        ``"instrument"``, ``"family"``, ``"objective"`` (codings only), a
        document column (``"level"``, ``"year"``, ``"region"``, ``"DA"``, any
        other) or a unit column (``"AS"``, ``"MI"``, any other).
    table : {"documents", "units", "codings"}
        Which rows to code.  Documents can only be coded by document fields.

    Returns
    -------
    codes : numpy.ndarray
        One code per row, ``0 <= code < len(categories)``.
    categories : pandas.Index
        The labels of the codes; rows with a missing value get the last
        category, ``"(missing)"``.

    Raises
    ------
    ValidationError
        If the field is unknown, naming the fields that exist.

    Examples
    --------
    >>> import policyquant as pq
    >>> codes, categories = group_codes(pq.datasets.load_genai_china(), "level")
    >>> list(categories), codes[:3].tolist()
    (['national', 'provincial'], [0, 0, 0])
    """
    framework = corpus.framework
    scale = framework.scale
    levels = {d.key: d.scores for d in scale.dimensions} if scale is not None else {}
    documents = corpus.documents
    if table == "documents":
        if field in documents.columns and field not in ("issuers",):
            return _with_missing(*_factorize(documents[field], levels.get(field)))
        fields = ["doc_id", *_document_fields(corpus)]
        raise ValidationError(
            f"cannot group documents by {field!r}: not a document field",
            [
                {
                    "value": field,
                    "problem": "unknown document field",
                    "expected": "one of " + format_choices(fields),
                    "suggestions": ", ".join(closest(field, fields)) or None,
                }
            ],
        )
    units = corpus.units
    rows = corpus.coding_unit_positions() if table == "codings" else np.arange(len(units))
    if field == "objective":
        if table != "codings" or not framework.objectives:
            raise ValidationError("'objective' can only group codings of a framework with objectives")
        return _with_missing(corpus.codings["objective"].cat.codes.to_numpy(), framework.objective_keys)
    if field in ("instrument", "family") and framework.instruments:
        instrument = units["instrument"].cat.codes.to_numpy()[rows]
        if field == "instrument":
            return _with_missing(instrument, framework.instrument_keys)
        return _with_missing(corpus.family_codes(instrument), framework.family_keys)
    if field in units.columns and field not in ("objectives",):
        codes, categories = _factorize(units[field], levels.get(field))
        return _with_missing(codes[rows], categories)
    if field in documents.columns and field not in ("issuers",):
        codes, categories = _factorize(documents[field], levels.get(field))
        return _with_missing(codes[corpus.unit_document_positions()][rows], categories)
    fields = known_fields(corpus)
    raise ValidationError(
        f"cannot group by {field!r}: not a field of this corpus",
        [
            {
                "value": field,
                "problem": "unknown field",
                "expected": "one of " + format_choices(fields),
                "suggestions": ", ".join(closest(field, fields)) or None,
            }
        ],
    )


def fields_of(by: str | Sequence[str]) -> tuple[str, ...]:
    """The fields a ``by=`` argument names, as a tuple; :class:`~policyquant.errors.InputTypeError` unless text.

    Examples
    --------
    >>> fields_of("level"), fields_of(["level", "instrument"])
    (('level',), ('level', 'instrument'))
    >>> fields_of(None)
    Traceback (most recent call last):
    ...
    policyquant.errors.InputTypeError: the fields to group by must be a field name or a list of them, such as 'instrument' or ['level', 'instrument']; got None
    """
    if isinstance(by, str):
        return (by,)
    if isinstance(by, Sequence) and all(isinstance(field, str) for field in by):
        return tuple(by)
    raise InputTypeError(
        "the fields to group by must be a field name or a list of them, such as 'instrument' or "
        f"['level', 'instrument']; got {describe_value(by)}"
    )


def grouping(corpus: Corpus, by: str | Sequence[str], table: Table = "units") -> Grouping:
    """Combine one or several fields into one group code per row.

    Examples
    --------
    >>> import policyquant as pq
    >>> g = grouping(pq.datasets.load_genai_china(), ["family", "level"])
    >>> g.size, list(g.index.names)
    (6, ['family', 'level'])
    """
    fields = fields_of(by)
    if not fields:
        raise ValidationError("group by at least one field")
    coded = [
        corpus.memoized(("group_codes", field, table), lambda f=field: group_codes(corpus, f, table))
        for field in fields
    ]
    categories = tuple(c for _, c in coded)
    if len(fields) == 1:
        return Grouping(fields, coded[0][0], categories)
    # The smallest integer type that holds every combined code keeps the passes
    # over millions of rows cheap (bincount widens it once, internally).
    dtype = np.min_scalar_type(int(np.prod([len(c) for c in categories])))
    codes = coded[0][0].astype(dtype)
    for next_codes, next_categories in coded[1:]:
        codes *= dtype.type(len(next_categories))
        codes += next_codes.astype(dtype, copy=False)
    return Grouping(fields, codes, categories)


def _admin_level_mask(corpus: Corpus, admin_level: str) -> np.ndarray:
    """Which documents are of ``admin_level``, after checking it is one of the framework's levels.

    The one check behind every ``admin_level=`` filter (authority distributions,
    issuer networks).
    """
    keys = corpus.framework.level_keys
    if admin_level not in keys:
        choices = " or ".join(map(repr, keys)) if len(keys) <= 2 else "one of " + ", ".join(map(repr, keys))
        nearest = corpus.framework.suggest("level", admin_level) if isinstance(admin_level, str) else []
        hint = f"; did you mean {' or '.join(nearest)}?" if nearest else ""
        raise ValidationError(f"admin_level must be {choices}, got {admin_level!r}{hint}")
    if "level" not in corpus.documents.columns:
        raise ValidationError(
            "filtering by administrative level needs the documents' administrative levels: give a level column"
        )
    return (corpus.documents["level"] == admin_level).to_numpy(dtype=bool, na_value=False)
