"""The coded corpus: policy documents, their coded clauses, and the clause-objective codings.

A :class:`Corpus` is what a coding study produces, validated against a
:class:`~policyquant.Framework`:

``documents``
    One row per policy document: ``doc_id``, ``title``, ``issuers`` (a tuple of
    issuing bodies), ``level`` (one of the framework's administrative levels,
    such as ``"national"`` or ``"provincial"``), ``region``,
    ``year``, ``date``, an optional ``memo`` and the document-level dimension
    scores (``DA`` in the study's framework).
``units``
    One row per coded clause: ``unit_id``, ``doc_id``, ``text``, ``instrument``,
    ``objectives`` (a tuple of objective keys), an optional ``memo`` and the
    unit-level dimension scores (``AS`` and ``MI``).
``codings``
    The long table with one row per clause and objective it serves, derived
    from ``units``: a clause serving two objectives is two codings.

Categories are stored as :class:`pandas.Categorical` in the framework's order,
so that empty categories still count as zeros and aggregation is a
:func:`numpy.bincount` over integer codes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Mapping
from functools import cached_property
from numbers import Number
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._i18n import N_, _, current_language, field_name, join_choices, ngettext, pgettext, with_language
from ._text import closest, format_choices, normalize_name
from .errors import PROBLEM_COLUMNS, ScoreError, ValidationError, problem_table
from .model import ADMINISTRATIVE_LEVELS, Framework, score_numbers
from .plugins import get_framework

__all__ = [
    "DOCUMENT_FIELDS",
    "LEVELS",
    "MAX_PROBLEMS",
    "NO_INSTRUMENT",
    "NO_INSTRUMENT_ALIASES",
    "NO_INSTRUMENT_NAMES",
    "UNIT_FIELDS",
    "Corpus",
    "split_multi",
]

#: The document fields policyquant knows (besides document-level scores).
DOCUMENT_FIELDS = ("doc_id", "title", "issuers", "level", "region", "year", "date", "memo")

#: The unit (clause) fields policyquant knows (besides unit-level scores).
UNIT_FIELDS = ("unit_id", "doc_id", "text", "instrument", "objectives", "memo")

#: The reserved instrument of every framework: a clause that carries no policy instrument.
#: Coded explicitly (so that a forgotten, empty cell is still an error), it is not a category of
#: any analysis: such clauses are :attr:`Corpus.not_coded`, counted apart from the coded units.
NO_INSTRUMENT = "none"

#: What a coder may write in the instrument cell for :data:`NO_INSTRUMENT`, by language first
#: (the template's drop-down entry), then other accepted spellings (case- and width-insensitive).
NO_INSTRUMENT_NAMES = {"en": "none", "zh": "无"}
#: Every spelling of :data:`NO_INSTRUMENT` a coder may write.
NO_INSTRUMENT_ALIASES = ("none", "无", "no instrument", "not coded", "无政策工具", "不编码")

#: The administrative levels of the ``wang2026`` framework's documents, in order.  Other
#: frameworks and studies choose theirs (:attr:`policyquant.Framework.levels`, the
#: ``levels=`` of :class:`Corpus` and :func:`policyquant.read_coding`); a corpus's
#: are ``corpus.framework.level_keys``.
LEVELS = ("national", "provincial")

#: A guard on memory, not a limit on the report: a validation collects every problem of a
#: table (``--problems`` saves them all) up to this many, about 100 bytes each.  Past it, it
#: stops collecting and says so, and where ("1,000,000+ problems found ... stopped looking").
MAX_PROBLEMS = 1_000_000

#: Closest names are looked up for this many distinct wrong values of a column; the
#: problems of the others are all reported, without suggestions (each lookup compares
#: the value with every name).
_MAX_SUGGESTED = 10_000

#: Longer values are shortened in problem reports (with their length).
_MAX_VALUE_LENGTH = 100

#: The dtype of every text column (ids, titles, clause texts, the user's own columns):
#: one fixed storage so that corpora read from any format compare equal.  Arrow's UTF-8
#: strings: what the CSV reader parses is kept without making a Python string per cell,
#: and a million clause texts take a fraction of the memory of Python objects.
TEXT = pd.StringDtype("pyarrow")

#: Separators accepted between several objectives or issuers in one cell.
MULTI_SEPARATORS = ";；、,，|\n\r"
_MULTI_SPLIT = re.compile(r"\s*[;；、,，|\n\r]+\s*")
_MULTI_SPLIT_NO_COMMAS = re.compile(r"\s*[;；、|\n\r]+\s*")
_UNIT_ID_PARTS = re.compile(r"^(?P<doc>.+?)-(?P<chapter>\d+)-(?P<clause>\d+)$")


def split_multi(cell: Any, commas: bool = True) -> tuple[str, ...]:
    """Split a cell holding several names into its parts.

    Accepts ``;``, ``；``, ``、``, ``|`` and line breaks between names, and
    ``,`` and ``，`` unless ``commas=False`` (issuing bodies such as "State
    Administration of Press, Publication, Radio, Film and Television" hold
    commas in their names).  Blank parts are dropped.  A list or tuple is
    taken as already split.

    Examples
    --------
    >>> from policyquant.corpus import split_multi
    >>> split_multi("public_safety；技术安全与创新 | rights_protection")
    ('public_safety', '技术安全与创新', 'rights_protection')
    >>> split_multi("Ministry of Education; State Administration of Press, Publication", commas=False)
    ('Ministry of Education', 'State Administration of Press, Publication')
    >>> split_multi(None)
    ()
    """
    if cell is None or cell is pd.NA or (isinstance(cell, float) and np.isnan(cell)):
        return ()
    if isinstance(cell, (list, tuple, np.ndarray)):
        parts: Iterable[Any] = cell
    else:
        parts = (_MULTI_SPLIT if commas else _MULTI_SPLIT_NO_COMMAS).split(str(cell))
    return tuple(str(p).strip() for p in parts if str(p).strip())


def _shorten(value: Any) -> Any:
    if isinstance(value, str) and len(value) > _MAX_VALUE_LENGTH:
        # An enormous cell would flood the message; its start identifies it.
        return f"{value[:_MAX_VALUE_LENGTH]}... ({len(value)} characters)"
    return value


def _objects(values: Any, count: int) -> np.ndarray:
    """``values`` as an object array of ``count`` items; a str or None is repeated."""
    if values is None or isinstance(values, str):
        return np.full(count, values, dtype=object)
    if isinstance(values, (pd.Series, pd.Index)):
        values = values.to_numpy(dtype=object)
    array = np.empty(count, dtype=object)
    array[:] = values[:count]
    return array


def _suggested(
    distinct: np.ndarray, found: np.ndarray, suggest: Callable[[Any], Iterable[str]]
) -> np.ndarray:
    """The joined suggestions for each of ``distinct[found]``, looked up once per distinct value.

    Only the first :data:`_MAX_SUGGESTED` distinct values (in order of first
    appearance) are looked up; the others' problems carry no suggestion.
    """
    wanted = pd.unique(found)[:_MAX_SUGGESTED]
    joined = np.full(len(distinct) + 1, None, dtype=object)
    for code in wanted:
        joined[code] = pgettext("choices", ", ").join(suggest(distinct[code])) or None
    return joined[found]


class _Problems:
    """Collects every validation problem of one table, up to the memory guard :data:`MAX_PROBLEMS`.

    A million-row file with 200,000 bad rows has 200,000 problems: a check
    adds its problems a column's worth at a time (:meth:`add_many`) as
    arrays, not one dict per row.  When the guard is reached, :attr:`stopped`
    says where, and the error's message says there are more.
    """

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.count = 0
        self.stopped: str | None = None
        self._pending: list[dict[str, Any]] = []
        self._chunks: list[pd.DataFrame] = []

    @property
    def truncated(self) -> bool:
        """Whether problems were left out because the guard was reached."""
        return self.stopped is not None

    def _room(self, count: int, first_left_out: Callable[[int], tuple[Hashable, str | None]]) -> int:
        room = MAX_PROBLEMS - self.count
        if count > room and self.stopped is None:
            row, column = first_left_out(max(room, 0))
            where = pgettext("list separator", ", ").join(
                part
                for part in (
                    _("column {column!r}").format(column=column) if column is not None else None,
                    _("row {row}").format(row=row),
                )
                if part is not None
            )
            self.stopped = _("stopped looking after {count:,} problems, at {where}").format(
                count=MAX_PROBLEMS, where=where
            )
        return max(min(count, room), 0)

    def add(
        self,
        row: Hashable | None,
        column: str | None,
        value: Any,
        problem: str,
        expected: str | None = None,
        suggestions: Iterable[str] = (),
    ) -> None:
        if not self._room(1, lambda _: (row, column)):
            return
        self.count += 1
        self._pending.append(
            {
                "file": self.source,
                "row": row,
                "column": column,
                "value": _shorten(value),
                "problem": problem,
                "expected": expected,
                "suggestions": ", ".join(suggestions) or None,
            }
        )

    def add_many(
        self,
        rows: Any,
        column: str | None,
        values: Any,
        problem: Any,
        expected: Any = None,
        suggestions: Any = None,
    ) -> None:
        """Add one problem per row of ``rows``, each argument a str (or None) for all or one per row.

        ``suggestions`` are joined already (``"national, provincial"``) or None.
        """
        rows = _objects(rows, len(rows))
        columns = _objects(column, len(rows))
        keep = self._room(len(rows), lambda i: (rows[i], columns[i]))
        if not keep:
            return
        values = _objects(values, keep)
        long = np.fromiter((isinstance(v, str) and len(v) > _MAX_VALUE_LENGTH for v in values), bool, keep)
        if long.any():
            values[long] = [_shorten(v) for v in values[long]]
        self._flush()
        self.count += keep
        self._chunks.append(
            pd.DataFrame(
                {
                    "file": _objects(self.source, keep),
                    "row": rows[:keep],
                    "column": columns[:keep],
                    "value": values,
                    "problem": _objects(problem, keep),
                    "expected": _objects(expected, keep),
                    "suggestions": _objects(suggestions, keep),
                }
            )
        )

    def extend(self, problems: pd.DataFrame | Iterable[Mapping[str, Any]]) -> None:
        """Add problems found elsewhere (a :class:`ValidationError`'s table), keeping their order."""
        table = problem_table(problems)
        self.add_many(
            table["row"],
            table["column"],
            table["value"],
            table["problem"].where(table["problem"].notna(), "invalid"),
            table["expected"],
            table["suggestions"],
        )

    def _flush(self) -> None:
        if self._pending:
            self._chunks.append(pd.DataFrame(self._pending, columns=list(PROBLEM_COLUMNS), dtype=object))
            self._pending = []

    def frame(self) -> pd.DataFrame:
        """Every problem collected, sorted by row (problems without a row first), in the order found within a row.

        Sorted so that a coder can work through the sheet top to bottom.
        """
        self._flush()
        if not self._chunks:
            return problem_table(())
        table = pd.concat(self._chunks, ignore_index=True)
        rows = table["row"]
        numeric = np.fromiter(
            (isinstance(r, (int, float, np.integer)) for r in rows), dtype=bool, count=len(rows)
        )
        kind = np.where(rows.isna().to_numpy(), 0, np.where(numeric, 1, 2))
        position = np.zeros(len(rows), dtype=np.float64)
        position[kind == 1] = rows[kind == 1].astype(np.float64).to_numpy()
        # lexsort is stable: problems of one row keep the order in which they were found.
        return table.take(np.lexsort((position, kind))).reset_index(drop=True)


def _is_blank(values: pd.Series) -> np.ndarray:
    codes, distinct = _distinct_text(values)
    return _spread(np.array([not value.strip() for value in distinct], dtype=bool), codes, True)


def _distinct_text(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each value's code (-1 where missing) and the distinct values, as text.

    A column of a million clauses holds a few dozen instruments or scores:
    checks run once per distinct value and :func:`_spread` carries their
    results back to the rows, instead of a Python call per row.
    """
    arrow = _arrow_storage(values)
    if arrow is not None:
        # pyarrow's own hash pass, without pandas' wrapping of it (a third of the time).
        import pyarrow as pa

        if isinstance(arrow, pa.ChunkedArray):
            arrow = arrow.combine_chunks()
        encoded = arrow.dictionary_encode()
        codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.intp, copy=False)
        return codes, encoded.dictionary.to_numpy(zero_copy_only=False)
    text = values if isinstance(values.dtype, pd.StringDtype) else values.astype(TEXT)
    codes, distinct = pd.factorize(text)
    return codes, np.asarray(distinct, dtype=object)


def _spread(per_value: np.ndarray, codes: np.ndarray, missing: Any) -> np.ndarray:
    """``per_value[codes]``, with ``missing`` where a code is -1 (a missing value)."""
    return np.append(per_value, np.array([missing], dtype=per_value.dtype))[codes]


#: Every character :meth:`str.strip` removes (``str.isspace``), for pyarrow's ``utf8_trim``.
_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _arrow_storage(values: pd.Series) -> Any:
    """The pyarrow array behind a pyarrow-backed text column (what the CSV reader gives), or None.

    Such a column is checked with pyarrow's compute functions, row by row in
    compiled code, and turned into Python strings once, for the corpus.
    """
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        return values.array.__arrow_array__()
    return None


def _arrow_flags(values: Any) -> np.ndarray:
    """A pyarrow boolean array as a numpy one, missing values False."""
    import pyarrow.compute as pc

    return pc.fill_null(values, False).to_numpy(zero_copy_only=False)


def _arrow_to_text(values: Any, missing: np.ndarray, index: pd.Index, name: Any = None) -> pd.Series:
    """A pyarrow text array in the one text dtype, with the rows of ``missing`` missing.

    The text stays in Arrow memory: no Python string is made per row, and no
    text is copied (missing rows only change the validity bitmap).
    """
    import pyarrow as pa

    if missing.any():
        chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
        kept = []
        start = 0
        for chunk in chunks:
            stop = start + len(chunk)
            # A validity bitmap with the chunk's own offset, over the data buffers as they are.
            valid = np.zeros(chunk.offset + len(chunk), dtype=bool)
            valid[chunk.offset :] = ~missing[start:stop]
            if chunk.null_count:
                valid[chunk.offset :] &= chunk.is_valid().to_numpy(zero_copy_only=False)
            bitmap = pa.array(valid).buffers()[1]
            kept.append(pa.Array.from_buffers(chunk.type, len(chunk), [bitmap, *chunk.buffers()[1:]], offset=chunk.offset))
            start = stop
        values = pa.chunked_array(kept, type=values.type)
    return pd.Series(pd.array(values, dtype=TEXT), index=index, name=name)


#: Id cells that hold a missing value or a spreadsheet error written out as text, not an id.
_NOT_IDS = frozenset(
    {"nan", "NaN", "NAN", "None", "null", "NULL", "<NA>", "NaT", "#N/A", "#N/A N/A"}
    | {"#REF!", "#VALUE!", "#NAME?", "#DIV/0!", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"}
)
# One pass over an id column finds every suspect cell; the few found are then told apart.
_SUSPECT_ID = re.compile(
    "|".join(re.escape(v) + "$" for v in sorted(_NOT_IDS)) + r"|=|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"
)
_TEXT_IDS = N_("ids as text (read the file with dtype=str, or use policyquant.read_coding)")


def _id_kind(value: Any) -> str | None:
    """What a cell of an id column holds when it is not text (or missing): None for text.

    Every number is one: an int (an Excel number cell, a Parquet int64 column,
    a JSON number) as much as a float, whose text may have lost leading zeros
    (``7`` for ``007``) or digits (``1e+20``).
    """
    if isinstance(value, (bool, np.bool_)):
        return "boolean"
    if isinstance(value, (float, np.floating)) and np.isnan(value):
        return None
    if isinstance(value, Number):
        return "number"
    if isinstance(value, (dt.date, np.datetime64)):
        return "date"
    if isinstance(value, (dict, list, tuple, set, np.ndarray)):
        return "nested"
    return None


# Marked for the catalogue here, translated where a problem is reported.
_KIND_PROBLEMS = {
    "number": (N_("id was read as a number"), _TEXT_IDS),
    "boolean": (N_("id was read as true/false"), _TEXT_IDS),
    "date": (
        N_("id was read as a date"),
        N_("the id as text (in Excel, format the id column as Text and type the ids again)"),
    ),
    "nested": (N_("id is a list or object, not one value"), N_("one id per cell, as text")),
}


def _ids(
    frame: pd.DataFrame,
    column: str,
    problems: _Problems,
    *,
    required: bool = True,
    reported: pd.Index | None = None,
    check_values: bool = True,
) -> pd.Series:
    """Turn an id column into text, reporting blanks and ids that pandas or a spreadsheet mangled.

    Mangled ids: numbers (``1.0``; leading zeros may already be lost), dates and
    true/false values that a typed file or Excel made of an id, missing values
    and spreadsheet errors written out as text (``nan``, ``#N/A``), formulas
    (``=A1``) instead of their values.  They are reported, never repaired.  Text
    that merely looks like a number (``"1.0"``, ``"007"``) is an id as written:
    it is kept, and where it names no document the report suggests the
    document it was probably mangled from (``"7.0"`` or ``"7"`` for ``"007"``).
    """
    text, _arrow = _id_text(
        frame, column, problems, required=required, reported=reported, check_values=check_values
    )
    return text


def _suspect_id_problem(value: str, column: str) -> tuple[str, str] | None:
    """The problem and the expectation for a stripped id cell that is no id (``nan``, ``=A1``, a date), or None."""
    if _SUSPECT_ID.match(value) is None:
        return None
    if value in _NOT_IDS:
        return (
            _("a missing value or spreadsheet error, not an id"),
            _("a {column} in every row").format(column=field_name(column)),
        )
    if value.startswith("="):
        return _("a spreadsheet formula, not an id"), _("the id itself (paste the column as values)")
    return _(_KIND_PROBLEMS["date"][0]), _(_KIND_PROBLEMS["date"][1])


def _id_text(
    frame: pd.DataFrame,
    column: str,
    problems: _Problems,
    *,
    required: bool = True,
    reported: pd.Index | None = None,
    check_values: bool = True,
    repeated: bool = False,
) -> tuple[pd.Series, Any]:
    """:func:`_ids`, and the ids kept as a pyarrow array (refused ones missing) where the column was one.

    ``repeated``: the column names a few ids many times (the units' doc_id),
    so that a pyarrow column is checked once per distinct id; the ids are
    then kept as a pyarrow ``DictionaryArray``.
    """
    values = frame[column]
    arrow = _arrow_storage(values)
    if arrow is not None:
        check = _arrow_repeated_ids if repeated else _arrow_ids
        return check(values, arrow, column, problems, required=required, reported=reported, check_values=check_values)
    refused = np.zeros(len(values), dtype=bool)
    dtype = values.dtype
    if not check_values or isinstance(dtype, pd.StringDtype):
        kinds = pd.Series(None, index=values.index, dtype=object)
    elif pd.api.types.is_datetime64_any_dtype(dtype):
        kinds = pd.Series(np.where(values.notna(), "date", None), index=values.index, dtype=object)
    elif pd.api.types.is_bool_dtype(dtype):
        kinds = pd.Series(np.where(values.notna(), "boolean", None), index=values.index, dtype=object)
    elif pd.api.types.is_numeric_dtype(dtype):
        # int64 from Parquet or a DataFrame, Int64, float: every value present is a number.
        kinds = pd.Series(np.where(values.notna(), "number", None), index=values.index, dtype=object)
    else:
        # Object cells (an Excel number cell among text ones, JSON numbers) and categories.
        kinds = values.astype(object).map(_id_kind)
    odd = kinds.notna().to_numpy(dtype=bool)
    if odd.any():
        found = kinds[odd].to_numpy(dtype=object)
        stored = values[odd].astype(object).to_numpy(copy=True)
        nested = found == "nested"
        stored[nested] = [str(v)[:60] for v in stored[nested]]
        advice = _id_advice(problems.source)
        problems.add_many(
            values.index[odd],
            column,
            stored,
            np.array([_(_KIND_PROBLEMS[k][0]) for k in found], dtype=object),
            np.array(
                [advice if k in ("number", "boolean") else _(_KIND_PROBLEMS[k][1]) for k in found], dtype=object
            ),
        )
    # A number keeps its text form (1.0), so that the documents it names are still found.
    refused |= odd & (kinds != "number").to_numpy(dtype=bool)
    # Stripped and checked once per distinct id: a million unit ids cost one pass, not three.
    codes, distinct = _distinct_text(values)
    stripped = np.array([value.strip() for value in distinct], dtype=object)
    text = pd.Series(pd.array(_spread(stripped, codes, None), dtype=TEXT), index=values.index)
    if check_values:
        suspect_of = np.array([_SUSPECT_ID.match(value) is not None for value in stripped], dtype=bool)
        suspect = _spread(suspect_of, codes, False) & ~odd
        if suspect.any():
            for position, value in zip(np.flatnonzero(suspect), text[suspect], strict=True):
                problems.add(values.index[position], column, value, *_suspect_id_problem(value, column))
                refused[position] = True
    if required:
        _report_blank_ids(values.index[_spread(stripped == "", codes, True)], column, problems, reported)
    # Refused ids are reported once here, not again as duplicates or unknown documents.
    return text.mask((text == "") | refused), None


#: Suspect id cells are told apart by :data:`_SUSPECT_ID`; pyarrow finds the candidates (a superset).
_NOT_ID_LIST = sorted(_NOT_IDS)
_SUSPECT_DATE_LENGTH = len("2024-01-31 00:00:00")


def _suspect_id_positions(stripped: Any) -> np.ndarray:
    """Positions of the stripped ids that may be a formula, a missing-value word or a date stamp.

    One pass of pyarrow's kernels; only these few are looked at in Python
    (:func:`_suspect_id_problem`).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    candidate = pc.or_(
        pc.or_(pc.starts_with(stripped, "="), pc.is_in(stripped, value_set=pa.array(_NOT_ID_LIST))),
        pc.equal(pc.utf8_length(stripped), _SUSPECT_DATE_LENGTH),
    )
    return np.flatnonzero(_arrow_flags(candidate))


def _report_blank_ids(rows: pd.Index, column: str, problems: _Problems, reported: pd.Index | None) -> None:
    """Report the blank cells of a required id column, but for rows already reported."""
    if reported is not None:
        rows = rows.difference(reported, sort=False)
    problems.add_many(
        rows,
        column,
        None,
        _("empty required cell"),
        _("a {column} in every row").format(column=field_name(column)),
    )


def _arrow_ids(
    values: pd.Series,
    arrow: Any,
    column: str,
    problems: _Problems,
    *,
    required: bool,
    reported: pd.Index | None,
    check_values: bool,
) -> tuple[pd.Series, Any]:
    """:func:`_id_text` of a pyarrow-backed text column: the same checks and reports, in compiled code.

    Text holds no numbers, dates or booleans, so only the cells' text is
    checked: stripped, suspect cells (missing-value words, formulas, date
    stamps) and blanks, each a pass of pyarrow over the column rather than a
    Python call per distinct id (a million unit ids are a million distinct values).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    stripped = pc.utf8_trim(arrow, characters=_WHITESPACE)
    # A missing cell (a DataFrame's NaN) is a blank one, as on the other path.
    blank = ~_arrow_flags(pc.not_equal(pc.binary_length(stripped), 0))
    refused = np.zeros(len(values), dtype=bool)
    if check_values:
        positions = _suspect_id_positions(stripped)
        if len(positions):
            for position, value in zip(positions, stripped.take(positions).to_pylist(), strict=True):
                found = _suspect_id_problem(value, column)
                if found is not None:
                    problems.add(values.index[position], column, value, *found)
                    refused[position] = True
    if required:
        _report_blank_ids(values.index[blank], column, problems, reported)
    # Refused ids are reported once here, not again as duplicates or unknown documents.
    gone = blank | refused
    kept = pc.if_else(pa.array(gone), pa.scalar(None, stripped.type), stripped) if gone.any() else stripped
    # A clause's doc_id repeats from row to row: its Python strings are made once per document.
    return _arrow_to_text(stripped, gone, values.index), kept


def _arrow_repeated_ids(
    values: pd.Series,
    arrow: Any,
    column: str,
    problems: _Problems,
    *,
    required: bool,
    reported: pd.Index | None,
    check_values: bool,
) -> tuple[pd.Series, Any]:
    """:func:`_arrow_ids` of a column naming few ids many times, each check run once per distinct id.

    A million clauses name some thousands of documents: one hash pass
    (``dictionary_encode``) replaces the passes over every row, and each
    check's result is spread back to the rows, which are reported in the same
    order and with the same messages.  The ids kept are a ``DictionaryArray``
    (refused ones missing) over the stripped distinct ids.

    Examples
    --------
    >>> problems = _Problems("units.csv")
    >>> ids = pd.Series([" P01", "P02", "nan", "P01", None], dtype=TEXT, index=range(2, 7))
    >>> text, kept = _arrow_repeated_ids(
    ...     ids, _arrow_storage(ids), "doc_id", problems, required=True, reported=None, check_values=True
    ... )
    >>> text.tolist(), kept.to_pylist()
    (['P01', 'P02', <NA>, 'P01', <NA>], ['P01', 'P02', None, 'P01', None])
    >>> problems.frame()[["row", "value", "problem"]].values.tolist()
    [[4, 'nan', 'a missing value or spreadsheet error, not an id'], [6, None, 'empty required cell']]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    whole = arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow
    encoded = whole.dictionary_encode()
    # -1: a missing cell, which is a blank one, as on the other paths.
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.intp, copy=False)
    distinct = encoded.dictionary
    stripped = pc.utf8_trim(distinct, characters=_WHITESPACE)
    blank = _spread(~_arrow_flags(pc.not_equal(pc.binary_length(stripped), 0)), codes, True)
    refused = np.zeros(len(values), dtype=bool)
    if check_values:
        suspect = np.zeros(len(stripped), dtype=bool)
        found_of: dict[int, tuple[str, tuple[str, str]]] = {}
        for code in _suspect_id_positions(stripped).tolist():
            value = stripped[code].as_py()
            found = _suspect_id_problem(value, column)
            if found is not None:
                suspect[code] = True
                found_of[code] = (value, found)
        if suspect.any():
            # Row by row, as the other paths report them.
            for position in np.flatnonzero(_spread(suspect, codes, False)).tolist():
                value, found = found_of[int(codes[position])]
                problems.add(values.index[position], column, value, *found)
                refused[position] = True
    if required:
        _report_blank_ids(values.index[blank], column, problems, reported)
    # Refused ids are reported once here, not again as duplicates or unknown documents.
    gone = blank | refused
    kept_codes = pa.array(np.where(gone, 0, codes).astype(np.int32), mask=gone)
    kept = pa.DictionaryArray.from_arrays(kept_codes, stripped)
    # Stripping changed no id (the usual case): the column's own buffers are the text, uncopied.
    text = arrow if stripped.equals(distinct) else pc.take(stripped, encoded.indices)
    return _arrow_to_text(text, gone, values.index), kept


def _id_advice(source: str | None) -> str:
    """How to store ids as text, for the kind of file (or DataFrame) they came from."""
    name = (source or "").lower()
    if source is None:
        return _("ids as text: .astype(str) on the DataFrame's id columns (and check any lost leading zeros)")
    if re.search(r"\.xls[xm]\b", name):
        return _(
            "the id as text: format the column as Text in Excel and retype the ids "
            "(Excel drops leading zeros: 007 became 7)"
        )
    if re.search(r"\.(parquet|pq)\b", name):
        return _("ids stored as strings in the Parquet file (a string column, not a number column)")
    if re.search(r"\.json\b", name):
        return _('ids stored as strings in the JSON ("007", not 7)')
    return _(_TEXT_IDS)


def _document_index(documents: pd.DataFrame) -> pd.Index:
    """The documents' ids as a hashed index: built once, looked up by every partition checked against them.

    A corpus read in partitions (:mod:`policyquant.io.chunked`, :mod:`policyquant.dask`)
    checks each partition's clauses against the whole documents table; hashing that
    table for every partition made the total grow with documents x partitions.
    """
    return pd.Index(documents["doc_id"].to_numpy(dtype=object), dtype=object)


def _positions(values: pd.Series, lookup: pd.Series, index: pd.Index | None = None) -> np.ndarray:
    """Where each value is in ``lookup`` (unique values), -1 where it is not: pyarrow's hash lookup for Arrow text.

    ``index``, :func:`_document_index` of ``lookup``, is the hash table built once instead.
    """
    if index is not None:
        return index.get_indexer(values.to_numpy(dtype=object))
    arrow, table = _arrow_storage(values), _arrow_storage(lookup)
    if arrow is None or table is None:
        return pd.Index(lookup).get_indexer(values)
    import pyarrow.compute as pc

    found = pc.index_in(arrow, value_set=table.combine_chunks() if hasattr(table, "combine_chunks") else table, skip_nulls=True)
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.intp, copy=False)


#: Half of a UTF-16 surrogate pair on its own (a JSON "\\ud800" escape can carry one): no character.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _clear_lone_surrogates(frame: pd.DataFrame, problems: _Problems) -> pd.DataFrame:
    """Report every cell holding a lone surrogate, and blank it so that the rest is still checked.

    Text is stored as UTF-8 (Arrow), which cannot hold one: such a cell is
    refused here, with its row and column, among the corpus's other problems.
    Only Python-object columns can hold one; each is searched once as a whole.
    """
    cleared = None
    for column in frame.columns:
        values = frame[column]
        if not pd.api.types.is_object_dtype(values.dtype):
            continue
        texts = values.to_numpy(dtype=object)
        is_text = np.fromiter((isinstance(v, str) for v in texts), dtype=bool, count=len(texts))
        if not is_text.any() or not _LONE_SURROGATE.search("\n".join(texts[is_text])):
            continue
        found = np.zeros(len(texts), dtype=bool)
        found[is_text] = [_LONE_SURROGATE.search(v) is not None for v in texts[is_text]]
        for position in np.flatnonzero(found).tolist():
            value = texts[position]
            match = _LONE_SURROGATE.search(value)
            problems.add(
                values.index[position],
                str(column),
                value.encode("utf-8", "backslashreplace").decode("utf-8"),
                _("lone surrogate U+{code:04X} at position {position}, half of a surrogate pair, which is no character").format(
                    code=ord(match.group()), position=match.start()
                ),
                _("text of whole characters: decode the original bytes with their real encoding, "
                  "or replace the character (for example with U+FFFD)"),
            )
        cleared = frame.copy() if cleared is None else cleared
        cleared[column] = values.mask(found, None)
    return frame if cleared is None else cleared


def _unpadded(doc_id: str) -> str:
    """An id as a spreadsheet mangles it: '007' and '7.0' both become '7'."""
    return _FLOAT_ID_END.sub("", doc_id).lstrip("0")


_FLOAT_ID_END = re.compile(r"\.0+$")


def _text(values: pd.Series, *, strip: bool = False) -> pd.Series:
    """A text column in the one text dtype, with empty cells missing (content otherwise unchanged)."""
    arrow = _arrow_storage(values)
    if arrow is not None:
        # Empty cells found by pyarrow: the Python strings are made once and compared with nothing.
        import pyarrow.compute as pc

        if strip:
            arrow = pc.utf8_trim(arrow, characters=_WHITESPACE)
        empty = ~_arrow_flags(pc.not_equal(pc.binary_length(arrow), 0))
        return _arrow_to_text(arrow, empty, values.index, values.name)
    text = values.astype(TEXT)
    if strip:
        text = text.str.strip()
    return text.mask(text == "")


def _memo(values: pd.Series) -> pd.Series:
    """A memo column: free text kept exactly (never matched against categories); blank cells missing.

    A memo of nothing but whitespace says nothing and is no memo; any other
    keeps its spaces, line breaks and characters as written.
    """
    text = _text(values)
    return text.mask(text.str.strip() == "")


def _escaped(text: str) -> str:
    r"""Text with every character outside printable ASCII as its code point: ``'P\u00e9-1'``.

    Two spellings of an id in different Unicode normalization forms look the
    same when printed; their code points tell them apart.

    Examples
    --------
    >>> from policyquant.corpus import _escaped
    >>> print(_escaped("P\u00e9-1"), _escaped("Pe\u0301-1"))
    'P\u00e9-1' 'Pe\u0301-1'
    """
    return (
        "'"
        + "".join(
            c if " " <= c <= "~" else f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"
            for c in text
        )
        + "'"
    )


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _report_duplicates(ids: pd.Series, column: str, problems: _Problems, arrow: Any = None) -> None:
    """Report each id used in an earlier row, ids compared by their NFC form.

    An id typed on one system as ``é`` (NFC, one code point) and on another as
    ``e`` and a combining accent (NFD) looks the same and names the same thing:
    the two are reported as one id used twice, with both spellings' code
    points, and neither is changed (normalising would alter an id).

    ``arrow``, the same ids as a pyarrow array, lets the usual case (ASCII ids,
    none repeated) be settled by one hash pass of pyarrow.
    """
    if arrow is not None and _arrow_unique_ascii(arrow):
        return
    codes, distinct = _distinct_text(ids)
    if not len(distinct):
        return
    if "".join(distinct).isascii():
        # ASCII text is in NFC already: the distinct values are the keys (the usual case, at C speed).
        keys = codes.astype(np.intp, copy=False)
    else:
        key_of = pd.factorize(np.array([_nfc(value) for value in distinct], dtype=object))[0]
        keys = _spread(key_of.astype(np.intp), codes, -1)
    duplicated = pd.Series(keys).duplicated(keep=False).to_numpy() & (keys >= 0)
    if not duplicated.any():
        return
    positions = np.flatnonzero(duplicated)
    first = pd.Series(positions).groupby(keys[positions]).transform("first").to_numpy()
    later = positions != first
    positions, first = positions[later], first[later]
    rows, first_rows = ids.index[positions], ids.index[first]
    values, first_values = distinct[codes[positions]], distinct[codes[first]]
    same = codes[positions] == codes[first]
    name = field_name(column)
    problem = np.array(
        [
            _("duplicate {column}").format(column=name)
            if alike
            else _(
                "duplicate {column} in another Unicode normalization form: {value} here, {earlier} in row {row}"
            ).format(column=name, value=_escaped(value), earlier=_escaped(earlier), row=row)
            for alike, value, earlier, row in zip(same, values, first_values, first_rows, strict=True)
        ],
        dtype=object,
    )
    expected = np.array(
        [
            _("unique {column}s; first used in row {row}").format(column=name, row=row)
            if alike
            else _(
                "unique {column}s; first used in row {row}; the same text typed on two systems: "
                "save both as NFC, or give them different ids"
            ).format(column=name, row=row)
            for alike, row in zip(same, first_rows, strict=True)
        ],
        dtype=object,
    )
    problems.add_many(rows, column, values, problem, expected)


def _arrow_unique_ascii(ids: Any) -> bool:
    """Whether a pyarrow text array holds ASCII ids only (NFC already), none twice (missing ones aside)."""
    import pyarrow.compute as pc

    if pc.any(pc.invert(pc.string_is_ascii(ids))).as_py():
        return False
    # Equal ids hash alike, so distinct hashes prove the ids distinct; hashes that meet (a repeated
    # id, or ids differing only past the bytes hashed) leave the question to the exact count.
    # The hash is 3-4x cheaper than pyarrow's hash table of a million distinct strings.
    # Series.duplicated: pandas' hash table without the Index's own (a third faster).
    if not pd.Series(_arrow_value_hashes(ids), copy=False).duplicated().any():
        return True
    # count_distinct hashes without building the distinct values (pc.unique is 4x slower on a million ids).
    return pc.count_distinct(ids, mode="only_valid").as_py() == len(ids) - ids.null_count


#: How many leading bytes of a value :func:`_arrow_value_hashes` hashes (besides its last 8 and its length).
_HASHED_BYTES = 64
_HASH_MULTIPLIER = np.uint64(0xBF58476D1CE4E5B9)
#: How many values :func:`_arrow_value_hashes` hashes in one go.
_HASH_SLICE = 8192


def _arrow_value_hashes(values: Any) -> np.ndarray:
    """A 64-bit hash of each present value of a pyarrow text array, in compiled numpy passes.

    The hash covers a value's length, its first :data:`_HASHED_BYTES` bytes
    and its last 8, read as 8-byte words straight from the Arrow buffers:
    equal values always hash alike; values that differ only in the middle
    of a long id may too (the caller then checks exactly).

    Examples
    --------
    >>> import pyarrow as pa
    >>> hashes = _arrow_value_hashes(pa.array(["P01-1-1", None, "P01-1-2", "P01-1-1"]))
    >>> len(hashes), bool(hashes[0] == hashes[2]), bool(hashes[0] == hashes[1])
    (3, True, False)
    """
    import pyarrow as pa

    # A few thousand values at a time (zero-copy slices): the passes over them stay in the
    # processor's cache, and a million ids hash in about half the time of one pass over all.
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    step = _HASH_SLICE
    found = [
        _chunk_hashes(chunk.slice(start, step)) for chunk in chunks for start in range(0, len(chunk), step)
    ]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.uint64)


def _chunk_hashes(chunk: Any) -> np.ndarray:
    """:func:`_arrow_value_hashes` of one array (string or large_string), its missing values left out."""
    import pyarrow as pa

    wide = pa.types.is_large_string(chunk.type) or pa.types.is_large_binary(chunk.type)
    offset_type = np.int64 if wide else np.int32
    buffers = chunk.buffers()
    offsets = np.frombuffer(
        buffers[1], dtype=offset_type, count=len(chunk) + 1, offset=chunk.offset * np.dtype(offset_type).itemsize
    ).astype(np.int64)
    if chunk.null_count:
        valid = chunk.is_valid().to_numpy(zero_copy_only=False)
        starts, lengths = offsets[:-1][valid], np.diff(offsets)[valid]
    else:
        starts, lengths = offsets[:-1], np.diff(offsets)
    low, high = int(offsets[0]), int(offsets[-1])
    # 8 zero bytes before and after the values, so that every 8-byte window read is in bounds.
    padded = np.zeros(high - low + 16, dtype=np.uint8)
    if high > low:
        padded[8 : 8 + high - low] = np.frombuffer(buffers[2], dtype=np.uint8, count=high - low, offset=low)
    # The 8-byte word starting at each byte (an unaligned view; numpy reads it as such).
    words = np.ndarray(shape=(len(padded) - 7,), dtype=np.uint64, buffer=padded, strides=(1,))
    starts = starts - low + 8
    short = lengths < 8
    hashes = lengths.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)

    def mix(word: np.ndarray, which: np.ndarray | None = None) -> None:
        # Only the values ``which`` (None: all) take the word in: a value's hash is a function
        # of its own bytes, never of how long the other values in the slice are.
        nonlocal hashes
        mixed = hashes ^ word
        mixed *= _HASH_MULTIPLIER
        mixed ^= mixed >> np.uint64(31)
        hashes = mixed if which is None else np.where(which, mixed, hashes)

    first = words[starts]
    if short.any():
        # A value shorter than a word: the bytes after it are its neighbour's.
        first[short] &= (np.uint64(1) << (lengths[short] * 8).astype(np.uint64)) - np.uint64(1)
    mix(first)
    longest = int(lengths.max(initial=0))
    last = starts + lengths - 8  # the last whole word of a value of 8 bytes or more
    # The k-th word of each value longer than 8k bytes (its last word where that overlaps the end).
    for word in range(1, (min(longest, _HASHED_BYTES) + 7) // 8):
        mix(words[np.maximum(np.minimum(starts + 8 * word, last), starts)], lengths > 8 * word)
    if longest > _HASHED_BYTES:
        mix(words[np.maximum(last, starts)], lengths > _HASHED_BYTES)
    return hashes


def _not_coded(
    values: pd.Series, framework: Framework, encoded: tuple[np.ndarray, np.ndarray] | None = None
) -> np.ndarray:
    """Which instrument cells say :data:`NO_INSTRUMENT` (``none``, ``无`` ...), once per distinct value.

    A framework's own instrument of that name wins: its clauses are coded with it.
    ``encoded`` is ``_distinct_text(values)`` where the caller has it already.
    """
    lookup = framework.name_lookup("instrument")
    reserved = {normalize_name(name) for name in NO_INSTRUMENT_ALIASES} - set(lookup)
    codes, distinct = _distinct_text(values) if encoded is None else encoded
    return _spread(np.array([normalize_name(v) in reserved for v in distinct], dtype=bool), codes, False)


# Whole phrases per part, so that a translation need not guess an article or a word order.
_A_PART = {"family": N_("a family"), "instrument": N_("an instrument"), "objective": N_("an objective")}
_A_PART_OR_NONE = {
    "family": N_("a family, or {none} if the clause carries no family"),
    "instrument": N_("an instrument, or {none} if the clause carries no instrument"),
    "objective": N_("an objective, or {none} if the clause carries no objective"),
}
_UNKNOWN_PART = {
    "family": N_("unknown family"),
    "instrument": N_("unknown instrument"),
    "objective": N_("unknown objective"),
}


def _one_of(framework: Framework, part: str, keys: Iterable[str]) -> str:
    """"one of" the keys of a part, for a message: by key in English, by label in another language.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant._i18n import using_language
    >>> wang = pq.get_framework("wang2026")
    >>> _one_of(wang, "objective", wang.objective_keys)
    'one of rights_protection, public_safety, tech_innovation, application_scenarios'
    >>> with using_language("zh"):
    ...     _one_of(wang, "objective", wang.objective_keys)
    '以下之一：法定权益保护、公共安全与利益、技术安全与创新、应用场景完善'
    """
    language = current_language()
    keys = list(keys)
    if language == "en":
        return _("one of {choices}").format(choices=format_choices(keys))
    labels = {item.key: item.label_in(language) for item in framework._items(part)}
    return _("one of {choices}").format(choices=join_choices(labels.get(key, key) for key in keys))


def _report_filled_not_coded(values: pd.Series, not_coded: np.ndarray, column: str, problems: _Problems) -> None:
    """Report objectives or scores given for a clause coded ``none``: a clause without an instrument is not coded."""
    cells = values[not_coded]
    if not isinstance(cells.dtype, pd.StringDtype):
        cells = cells.astype(object).map(
            lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else v
        )
    filled = ~_is_blank(cells)
    problems.add_many(
        cells.index[filled],
        column,
        cells[filled].to_numpy(dtype=object),
        f"{column} given for a clause coded {NO_INSTRUMENT} (no instrument, not coded)",
        f"an empty {column} cell, or the clause's instrument instead of {NO_INSTRUMENT}",
    )


def _resolve_column(
    values: pd.Series,
    framework: Framework,
    part: str,
    column: str,
    problems: _Problems,
    exempt: np.ndarray | None = None,
    encoded: tuple[np.ndarray, np.ndarray] | None = None,
) -> pd.Categorical:
    """Resolve a column of names to framework keys, once per distinct value.

    Rows of ``exempt`` (clauses coded ``none``) are neither blank nor unknown: they stay missing.
    ``encoded`` is ``_distinct_text(values)`` where the caller has it already.
    """
    lookup = framework.name_lookup(part)  # type: ignore[arg-type]
    keys = {
        "family": framework.family_keys,
        "instrument": framework.instrument_keys,
        "objective": framework.objective_keys,
    }[part]
    codes, distinct = _distinct_text(values) if encoded is None else encoded
    position = {key: i for i, key in enumerate(keys)}
    resolved = _spread(
        np.array([position.get(lookup.get(normalize_name(value)), -1) for value in distinct], dtype=np.intp),
        codes,
        -1,
    )
    blank = _spread(np.array([not value.strip() for value in distinct], dtype=bool), codes, True)
    wanted = _(_A_PART[part])
    unknown = (resolved < 0) & ~blank
    if exempt is not None:
        blank &= ~exempt
        unknown &= ~exempt
        # An empty cell is a forgotten one: the coder says "none" for a clause without an instrument.
        wanted = _(_A_PART_OR_NONE[part]).format(none=NO_INSTRUMENT_NAMES.get(current_language(), NO_INSTRUMENT))
    problems.add_many(values.index[blank], column, None, _("empty required cell"), wanted)
    if unknown.any():
        found = np.flatnonzero(unknown)
        found_codes = codes[found]
        problems.add_many(
            values.index[found],
            column,
            distinct[found_codes],
            _(_UNKNOWN_PART[part]),
            _one_of(framework, part, keys),
            _suggested(distinct, found_codes, lambda value: framework.suggest(part, value)),
        )
    return pd.Categorical.from_codes(resolved, categories=keys)


def _coerce_distinct(values: pd.Series, dimension: Any) -> np.ndarray | None:
    """A text column's scores, each distinct value coerced once; None unless every value is a valid score.

    When a value is missing or not a level, the caller coerces the whole column,
    so that every row at fault is reported.
    """
    if not isinstance(values.dtype, pd.StringDtype):
        return None
    codes, distinct = _distinct_text(values)
    if len(codes) == 0 or (codes < 0).any():
        return None
    try:
        scores = dimension.coerce(pd.Series(np.asarray(distinct, dtype=object)).replace("", np.nan))
    except ScoreError:
        return None
    return scores[codes]


class Corpus:
    """Coded policy documents, validated against a framework.

    Parameters
    ----------
    documents : pandas.DataFrame or None
        One row per policy document, with at least ``doc_id``.  Optional
        columns: ``title``, ``issuers`` (several bodies separated by ``;``,
        ``、``, ``|``, not commas, or given as a list), ``level`` (one of the
        framework's :attr:`~policyquant.Framework.levels`, by any of its names:
        ``national``, 中央, 省级, 市级 ...), ``region``, ``year``, ``date``
        and the framework's document-level scores (as scores or level names),
        and ``memo``: a coder's free-text note, kept exactly as written (line
        breaks included; a blank or whitespace-only memo is no memo, missing)
        and never checked against any category.  Other columns are kept as
        text.  ``None`` builds a document table
        from the units' ``doc_id`` values (without metadata).
    units : pandas.DataFrame
        One row per coded clause, with ``unit_id`` and ``doc_id`` (or unit ids
        such as ``N01-2-3`` from which the document id is taken), plus
        ``instrument`` and ``objectives`` when the framework has them, an
        optional ``text``, an optional ``memo`` (as the documents'), and the
        unit-level scores.  Other columns are kept
        as text (empty cells become missing).  A clause that carries no
        instrument is coded ``none`` (or ``无``) in the instrument cell, with
        empty objectives and scores: it goes to :attr:`not_coded`, not to
        :attr:`units`; an empty instrument cell is an error.
    framework : str or Framework, default "wang2026"
        The framework to validate against (a registered name or alias, or a
        :class:`~policyquant.Framework`).
    sources : mapping, optional
        ``{"documents": name, "units": name}``: file names to report in
        problems.  Problems report the frames' index labels as rows;
        :func:`policyquant.read_coding` sets them to spreadsheet row numbers.
    levels : iterable of str or AdministrativeLevel, optional
        The study's administrative levels, from the top down, instead of the
        framework's (``["municipal", "county"]`` for a city-level study; see
        :meth:`~policyquant.Framework.with_levels`).  The corpus's framework
        is then the framework with these levels.
    language : str, optional
        The language of the problems reported (``"en"``, ``"zh"``, ``"zh-CN"``
        ...; categories and score levels named by their labels in it).  By
        default, the language of the caller (English, or the language that
        :func:`policyquant.read_coding` chose).

    Raises
    ------
    ValidationError
        Listing every problem found (up to :data:`MAX_PROBLEMS`): missing
        required columns, blank required cells, ids read as numbers, dates or
        true/false, missing values (``nan``, ``#N/A``) and formulas (``=A1``)
        in id cells, duplicate ids, units whose document is missing, unknown instruments and
        objectives, scores that are not levels of their dimension.

    Examples
    --------
    >>> import pandas as pd
    >>> import policyquant as pq
    >>> documents = pd.DataFrame({"doc_id": ["N01"], "level": ["national"], "year": [2023], "DA": [3]})
    >>> units = pd.DataFrame({
    ...     "unit_id": ["N01-1-1", "N01-1-2"],
    ...     "instrument": ["Standards & norms", "试点示范"],
    ...     "objectives": ["public safety; rights protection", "应用场景完善"],
    ...     "AS": [5, 3], "MI": [3, "Macro-level only"],
    ... })
    >>> corpus = pq.Corpus(documents, units)
    >>> len(corpus.documents), len(corpus.units), len(corpus.codings)
    (1, 2, 3)
    >>> corpus.units["instrument"].tolist()
    ['standards_and_norms', 'pilots_and_demonstrations']
    >>> corpus.units["objectives"].tolist()
    [('rights_protection', 'public_safety'), ('application_scenarios',)]
    """

    @with_language
    def __init__(
        self,
        documents: pd.DataFrame | None,
        units: pd.DataFrame,
        framework: str | Framework = "wang2026",
        *,
        sources: Mapping[str, str | None] | None = None,
        levels: Iterable[Any] | None = None,
        language: str | None = None,
    ) -> None:
        self._framework = get_framework(framework)
        if levels is not None:
            self._framework = self._framework.with_levels(levels)
        sources = dict(sources or {})
        if not isinstance(units, pd.DataFrame):
            raise ValidationError(f"units must be a pandas.DataFrame, got {type(units).__name__}")
        if documents is not None and not isinstance(documents, pd.DataFrame):
            raise ValidationError(
                f"documents must be a pandas.DataFrame or None, got {type(documents).__name__}"
            )
        unit_problems = _Problems(sources.get("units"))
        document_problems = _Problems(sources.get("documents"))
        units, self._reported_doc_rows = self._derive_doc_ids(units, unit_problems)
        self._derived_documents = documents is None
        if documents is None:
            # Without a documents table, each distinct (non-blank) doc_id of the units is a document.
            doc_ids = (
                units["doc_id"].astype(TEXT).str.strip()
                if "doc_id" in units.columns
                else pd.Series([], dtype=TEXT)
            )
            documents = pd.DataFrame({"doc_id": pd.unique(doc_ids[doc_ids.notna() & (doc_ids != "")])})
        documents = _clear_lone_surrogates(documents, document_problems)
        units = _clear_lone_surrogates(units, unit_problems)
        self._documents = self._validate_documents(documents, document_problems)
        self._units, self._objective_mask = self._validate_units(units, unit_problems)
        # Sorted by file and row so that a coder can work through the sheet top to bottom.
        if document_problems.count or unit_problems.count:
            problems = pd.concat([document_problems.frame(), unit_problems.frame()], ignore_index=True)
            count = len(problems)
            stopped = "; ".join(
                f"{p.source or 'the ' + table}: {p.stopped}"
                for p, table in ((document_problems, "documents"), (unit_problems, "units"))
                if p.stopped
            )
            files = {str(file) for file in pd.unique(problems["file"]) if file is not None}
            where = ", ".join(sorted(files)) or _("the coding")
            raise ValidationError(
                (
                    ngettext("{where}: {count:,}+ problem found", "{where}: {count:,}+ problems found", count)
                    if stopped
                    else ngettext("{where}: {count:,} problem found", "{where}: {count:,} problems found", count)
                ).format(where=where, count=count),
                problems,
                stopped=stopped or None,
            )
        # Clauses coded "none" leave the units (no analysis counts them) for their own table.
        coded = ~self._not_coded_rows
        # Selecting no row of Arrow text still costs a pass over every chunk: skip it when none is "none".
        not_coded = self._units.iloc[:0] if coded.all() else self._units[~coded].reset_index(drop=True)
        if not coded.all():
            self._units, self._objective_mask = self._units[coded].reset_index(drop=True), self._objective_mask[coded]
        # Validation scratch: a finished corpus holds only what _adopt sets, however it was built.
        del self._reported_doc_rows, self._derived_documents, self._not_coded_rows
        self._adopt(self._framework, self._documents, self._units, self._objective_mask, not_coded)

    @classmethod
    def _from_validated(
        cls,
        framework: Framework,
        documents: pd.DataFrame,
        units: pd.DataFrame,
        objective_mask: np.ndarray,
        not_coded: pd.DataFrame | None = None,
        document_index: pd.Index | None = None,
    ) -> Corpus:
        """A corpus of tables that already passed validation (a subset's rows, say), not checked again."""
        corpus = object.__new__(cls)
        corpus._adopt(framework, documents, units, objective_mask, not_coded, document_index)
        return corpus

    def _adopt(
        self,
        framework: Framework,
        documents: pd.DataFrame,
        units: pd.DataFrame,
        objective_mask: np.ndarray,
        not_coded: pd.DataFrame | None = None,
        document_index: pd.Index | None = None,
    ) -> None:
        """Set the whole state of a corpus: the one place a new field is added, for every way one is built.

        ``document_index``: :func:`_document_index` of ``documents``, shared by the partitions of a corpus.
        """
        self._framework = framework
        self._documents = documents
        self._units = units
        self._objective_mask = objective_mask
        self._not_coded = units.iloc[:0] if not_coded is None else not_coded
        # Positions of each unit's document: the join key of every document-level analysis.
        self._unit_doc = _positions(units["doc_id"], documents["doc_id"], document_index)
        # Derived arrays (group codes, scores) computed once: a corpus never changes.
        self._memo: dict[Hashable, Any] = {}

    def memoized(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """Return ``compute()``, computed once per ``key`` for this corpus.

        Analyses use it for derived arrays such as group codes and scores; a
        corpus is immutable, so they never go stale.
        """
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    # Validation -----------------------------------------------------------------

    def _score_columns(self, unit: str) -> list[Any]:
        scale = self._framework.scale
        return [] if scale is None else list(scale.dimensions_for(unit))

    @staticmethod
    def _derive_doc_ids(units: pd.DataFrame, problems: _Problems) -> tuple[pd.DataFrame, pd.Index]:
        """Take each unit's document from ids like ``N01-2-3`` when there is no doc_id column.

        Returns the units and the rows already reported, so that a unit id
        without a document part is reported once, not again as a blank doc_id.
        """
        if "doc_id" in units.columns or "unit_id" not in units.columns:
            return units, pd.Index([])
        ids = units["unit_id"].astype(TEXT).str.strip()
        parts = ids.str.extract(_UNIT_ID_PARTS)
        failed = parts["doc"].isna() & ids.notna() & (ids != "")
        problems.add_many(
            ids.index[failed.to_numpy(dtype=bool)],
            "unit_id",
            ids[failed],
            _("no doc_id column, and this unit id names no document"),
            _("a doc_id column, or unit ids of the form <doc>-<chapter>-<clause> such as N01-2-3"),
        )
        units = units.copy()
        units.insert(1, "doc_id", parts["doc"])
        return units, ids.index[failed.to_numpy(dtype=bool)]

    def _validate_documents(self, frame: pd.DataFrame, problems: _Problems) -> pd.DataFrame:
        if "doc_id" not in frame.columns:
            problems.add(
                None,
                "doc_id",
                None,
                _("missing required column"),
                _("a {column} column").format(column=field_name("doc_id")),
                closest("doc_id", map(str, frame.columns)),
            )
            return pd.DataFrame({"doc_id": pd.Series([], dtype=TEXT)})
        out = frame.copy()
        # Documents made from the units' doc_ids: those ids are checked (and reported) as the units'.
        out["doc_id"], arrow = _id_text(frame, "doc_id", problems, check_values=not self._derived_documents)
        _report_duplicates(out["doc_id"], "doc_id", problems, arrow)
        for column in ("title", "region"):
            if column in out.columns:
                out[column] = _text(out[column], strip=True)
        if "issuers" in out.columns:
            # A list per document: built as a plain object column, whatever the reader's string storage.
            issuers = out["issuers"]
            if isinstance(issuers.dtype, pd.StringDtype):
                # Split once per distinct cell: thousands of documents name a few dozen bodies.
                codes, distinct = _distinct_text(issuers)
                parts = np.empty(len(distinct) + 1, dtype=object)
                for position, cell in enumerate([*distinct, None]):
                    parts[position] = split_multi(cell, commas=False)
                split = parts[codes]
            else:
                split = [split_multi(v, commas=False) for v in issuers.astype(object)]
            out["issuers"] = pd.Series(split, index=out.index, dtype=object)
        if "level" in out.columns:
            out["level"] = self._levels(out["level"], problems)
        if "date" in out.columns:
            out["date"] = self._dates(out["date"], problems)
        if "year" in out.columns or "date" in out.columns:
            out["year"] = self._years(out, problems)
        scores = [d.key for d in self._score_columns("document")]
        for dimension in self._score_columns("document"):
            if dimension.key in out.columns:
                out[dimension.key] = self._scores(out[dimension.key], dimension, problems)
        self._normalize_other_columns(out, {*DOCUMENT_FIELDS, *scores})
        return out.reset_index(drop=True)

    @staticmethod
    def _normalize_other_columns(frame: pd.DataFrame, known: set[str]) -> None:
        """Clause texts, memos and the user's own columns: kept as text, unchanged but for empty -> missing."""
        for column in frame.columns:
            if column == "memo":
                frame[column] = _memo(frame[column])
            elif column not in known or column == "text":
                frame[column] = _text(frame[column])

    def _validate_units(self, frame: pd.DataFrame, problems: _Problems) -> tuple[pd.DataFrame, np.ndarray]:
        framework = self._framework
        required = ["unit_id", "doc_id"]
        if framework.instruments:
            required.append("instrument")
        if framework.objectives:
            required.append("objectives")
        missing = [c for c in required if c not in frame.columns]
        for column in missing:
            problems.add(
                None,
                column,
                None,
                _("missing required column"),
                _("a column {column!r}").format(column=field_name(column)),
                closest(column, map(str, frame.columns)),
            )
        out = frame.copy()
        mask = np.zeros(len(frame), dtype=np.int64)
        if "unit_id" in out.columns:
            out["unit_id"], arrow = _id_text(frame, "unit_id", problems)
            _report_duplicates(out["unit_id"], "unit_id", problems, arrow)
        if "doc_id" in out.columns:
            out["doc_id"], arrow = _id_text(
                frame, "doc_id", problems, reported=self._reported_doc_rows, repeated=True
            )
            # No Python string per document here: a partition of a corpus of many documents is
            # checked against all of them, once per partition (the list is made for orphans only).
            documents = self._documents["doc_id"].dropna()
            index = getattr(self, "_document_index", None)
            if index is not None:
                # A partition against the documents' index built once: cost by the partition's size alone.
                ids = out["doc_id"]
                if arrow is not None:
                    import pyarrow.compute as pc

                    codes = pc.fill_null(arrow.indices, -1).to_numpy(zero_copy_only=False).astype(np.intp, copy=False)
                    known = index.get_indexer(arrow.dictionary.to_numpy(zero_copy_only=False)) >= 0
                    orphan = _spread(~known, codes, False)
                else:
                    orphan = ids.notna().to_numpy(dtype=bool) & (index.get_indexer(ids.to_numpy(dtype=object)) < 0)
            elif arrow is None:
                orphan = (out["doc_id"].notna() & ~out["doc_id"].isin(documents)).to_numpy(dtype=bool)
            else:
                import pyarrow as pa
                import pyarrow.compute as pc

                stored = _arrow_storage(documents)
                value_set = stored if stored is not None else pa.array(documents.tolist(), arrow.dictionary.type)
                # Looked up once per distinct doc_id, then spread to the rows (missing ones are no orphans).
                known = pc.is_in(arrow.dictionary, value_set=value_set.cast(arrow.dictionary.type))
                codes = pc.fill_null(arrow.indices, -1).to_numpy(zero_copy_only=False).astype(np.intp, copy=False)
                orphan = _spread(~_arrow_flags(known), codes, False)
            if orphan.any():
                self._report_orphans(out.loc[orphan, "doc_id"], documents.tolist(), problems)
        not_coded = np.zeros(len(frame), dtype=bool)
        if framework.instruments and "instrument" in out.columns:
            # One hash pass of the column serves both: a million instruments are a few dozen names.
            encoded = _distinct_text(frame["instrument"])
            not_coded = _not_coded(frame["instrument"], framework, encoded)
            out["instrument"] = _resolve_column(
                frame["instrument"], framework, "instrument", "instrument", problems, exempt=not_coded, encoded=encoded
            )
        # A clause coded "none" is not coded: its objectives and scores must be empty, and
        # are not required (they would be a coding of a clause that has none).
        self._not_coded_rows = not_coded
        coded = ~not_coded
        if framework.objectives and "objectives" in out.columns:
            if not_coded.any():
                _report_filled_not_coded(frame["objectives"], not_coded, "objectives", problems)
                objectives, coded_mask = self._objectives(frame["objectives"][coded], problems)
                mask = np.zeros(len(frame), dtype=np.int64)
                mask[coded] = coded_mask
                cells = np.empty(len(frame), dtype=object)
                cells.fill(())
                cells[coded] = objectives.to_numpy(dtype=object)
                out["objectives"] = pd.Series(cells, index=out.index, dtype=object)
            else:
                out["objectives"], mask = self._objectives(frame["objectives"], problems)
        scores = [d.key for d in self._score_columns("unit")]
        for dimension in self._score_columns("unit"):
            if dimension.key in out.columns:
                if not_coded.any():
                    _report_filled_not_coded(out[dimension.key], not_coded, dimension.key, problems)
                    scored = self._scores(out[dimension.key][coded], dimension, problems)
                    full = pd.Series(pd.NA, index=out.index, dtype=scored.dtype)
                    full[coded] = scored.to_numpy()
                    out[dimension.key] = full
                else:
                    out[dimension.key] = self._scores(out[dimension.key], dimension, problems)
        self._normalize_other_columns(out, {*UNIT_FIELDS, *scores})
        return out.reset_index(drop=True), mask

    @staticmethod
    def _report_orphans(orphans: pd.Series, doc_ids: list[str], problems: _Problems) -> None:
        """Report the units whose doc_id names no document, with the documents they probably mean.

        Called only when there are such units: the lookups of every document's id it builds
        (unpadded, NFC) cost more than the check itself on a valid million-clause sheet.
        """
        unpadded = {_unpadded(d): d for d in doc_ids}

        def suggest(value: str) -> list[str]:
            # '7' for '007' is the classic spreadsheet mangling of ids; suggest it first.
            near = [unpadded[_unpadded(value)]] if _unpadded(value) in unpadded else []
            return list(dict.fromkeys(near + closest(value, doc_ids)))

        codes, distinct = _distinct_text(orphans)
        # A doc_id in another Unicode normalization form than its document's looks the same
        # printed: the message shows both spellings' code points.
        by_nfc: dict[str, str] = {}
        for doc_id in doc_ids:
            by_nfc.setdefault(_nfc(doc_id), doc_id)
        twins = [by_nfc.get(_nfc(value)) for value in distinct]
        problem = np.array(
            [
                _("no document with this doc_id")
                if twin is None
                else _(
                    "no document with this doc_id: {value} is document {twin} "
                    "in another Unicode normalization form"
                ).format(value=_escaped(value), twin=_escaped(twin))
                for value, twin in zip(distinct, twins, strict=True)
            ]
            + [None],
            dtype=object,
        )
        expected = np.array(
            [
                _("a doc_id of the documents table")
                if twin is None
                else _("the same text in the same form as the document's: save both as NFC")
                for twin in twins
            ]
            + [None],
            dtype=object,
        )
        problems.add_many(
            orphans.index,
            "doc_id",
            distinct[codes],
            problem[codes],
            expected[codes],
            _suggested(distinct, codes, suggest),
        )

    def _objectives(self, values: pd.Series, problems: _Problems) -> tuple[pd.Series, np.ndarray]:
        """Parse objective cells once per distinct spelling into tuples and bit masks."""
        framework = self._framework
        keys = framework.objective_keys
        lookup = framework.name_lookup("objective")
        position = {key: i for i, key in enumerate(keys)}
        if isinstance(values.dtype, pd.StringDtype):
            text = values  # text only: no lists to join
        else:
            cells = values.astype(object)
            text = cells.map(lambda v: "; ".join(v) if isinstance(v, (list, tuple, np.ndarray)) else v)
        codes, distinct = _distinct_text(text)
        # A missing cell is parsed as an empty one: the last "distinct" value.
        distinct = np.append(distinct, np.array([""], dtype=object))
        codes = np.where(codes < 0, len(distinct) - 1, codes)
        parsed: list[tuple[int, list[str]]] = []
        for cell in distinct:
            bits, unknown = 0, []
            for part in split_multi(cell):
                key = lookup.get(normalize_name(part))
                if key is None:
                    unknown.append(part)
                else:
                    bits |= 1 << position[key]
            parsed.append((bits, unknown))
        masks = np.array([bits for bits, _ in parsed], dtype=np.int64)[codes]
        flawed = np.array([bool(unknown) or not bits for bits, unknown in parsed], dtype=bool)[codes]
        if flawed.any():
            # The problems of each distinct flawed cell are found once, then repeated for its rows.
            flawed_at = np.flatnonzero(flawed)
            flawed_codes = codes[flawed_at]
            expected = _one_of(framework, "objective", keys)
            suggestions: dict[str, str | None] = {}
            found: list[tuple[Any, str, str, str | None]] = []
            first = np.zeros(len(parsed) + 1, dtype=np.intp)
            count = np.zeros(len(parsed) + 1, dtype=np.intp)
            for code in np.unique(flawed_codes):
                bits, unknown = parsed[code]
                first[code] = len(found)
                for part in unknown:
                    if part not in suggestions:
                        suggestions[part] = (
                            pgettext("choices", ", ").join(framework.suggest("objective", part)) or None
                            if len(suggestions) < _MAX_SUGGESTED
                            else None
                        )
                    found.append((part, _("unknown objective"), expected, suggestions[part]))
                if not bits and not unknown:
                    found.append((None, _("empty required cell"), _("one or more objectives"), None))
                count[code] = len(found) - first[code]
            each = count[flawed_codes]
            # Row r's k-th problem is its cell's k-th: an offset from the cell's first.
            offsets = np.arange(each.sum()) - np.repeat(np.cumsum(each) - each, each)
            which = np.repeat(first[flawed_codes], each) + offsets
            table = np.empty((len(found), 4), dtype=object)
            table[:] = found
            problems.add_many(
                values.index[np.repeat(flawed_at, each)],
                "objectives",
                table[which, 0],
                table[which, 1],
                table[which, 2],
                table[which, 3],
            )
        by_mask = {bits: tuple(k for i, k in enumerate(keys) if bits >> i & 1) for bits, _ in parsed}
        tuples = np.empty(len(parsed), dtype=object)
        tuples[:] = [by_mask[bits] for bits, _ in parsed]
        # copy=False: the array is new, and copying a million references costs as much as making it.
        objectives = pd.Series(tuples[codes], index=values.index, dtype=object, copy=False)
        return objectives, masks

    @staticmethod
    def _scores(values: pd.Series, dimension: Any, problems: _Problems) -> pd.Series:
        if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "integer", "floating", "empty"):
            # True would pass as the score 1: as text, it is reported as the non-score it is.
            values = values.map(lambda v: str(v) if isinstance(v, (bool, np.bool_)) else v)
        try:
            scores = _coerce_distinct(values, dimension)
            if scores is None:
                scores = dimension.coerce(values.replace("", np.nan) if values.dtype != float else values)
        except ScoreError as error:
            problems.extend(error.problems)
            # By the same rule as the check (10 ** 400 or [5] in a cell must not raise here).
            scores = score_numbers(values)[0]
            scores = np.where(np.isin(scores, dimension.scores), scores, np.nan)
        integral = all(float(s).is_integer() for s in dimension.scores)
        if integral and isinstance(scores, np.ndarray) and scores.dtype.kind == "f":
            # Straight to Int64 (every score integral, missing ones masked): pandas' float-to-Int64
            # cast checks each value again, a third of the time of the whole column's scores.
            missing = np.isnan(scores)
            whole = pd.arrays.IntegerArray(np.where(missing, 0, scores).astype(np.int64), missing)
            return pd.Series(whole, index=values.index)
        return pd.Series(scores, index=values.index).astype("Int64" if integral else "Float64")

    def _levels(self, values: pd.Series, problems: _Problems) -> pd.Categorical:
        framework = self._framework
        keys = framework.level_keys
        names = framework.name_lookup("level")
        text = values.astype(TEXT)
        mapping = {value: names.get(normalize_name(value)) for value in pd.unique(text.dropna())}
        resolved = text.map(mapping)
        unknown = text[resolved.isna() & ~_is_blank(text)]
        codes, distinct = _distinct_text(unknown)
        language = current_language()
        shown = keys if language == "en" else [level.label_in(language) for level in framework.levels]
        expected = (
            _("{first} or {second}").format(first=shown[0], second=shown[1])
            if len(shown) == 2
            else shown[0]
            if len(shown) == 1
            else _("one of {choices}").format(choices=join_choices(shown))
        )
        label_of = dict(zip(keys, shown, strict=True))
        known = {normalize_name(name): level.key for level in ADMINISTRATIVE_LEVELS for name in level.names()}
        rank = {level.key: position for position, level in enumerate(ADMINISTRATIVE_LEVELS)}

        def suggest(value: str) -> list[str]:
            # 市级 in a national/provincial study is no typo: say how the study takes that level.
            other = known.get(normalize_name(value))
            if other is not None and other not in keys:
                wanted = [*keys, other]
                if all(key in rank for key in keys):
                    wanted.sort(key=rank.__getitem__)
                return [
                    _(
                        "{other}, a level that framework {framework!r} does not hold: "
                        "read the coding with levels={wanted!r} (pq.read_coding, or a TOML framework's levels)"
                    ).format(other=other, framework=framework.name, wanted=wanted)
                ]
            # By key, as the drop-down lists them: the closest of every name of the study's levels.
            nearest = dict.fromkeys(names[normalize_name(m)] for m in closest(value, list(names), n=6))
            return [label_of.get(key, key) for key in list(nearest)[:3]]

        problems.add_many(
            unknown.index,
            "level",
            distinct[codes],
            _("unknown administrative level"),
            expected,
            _suggested(distinct, codes, suggest),
        )
        return pd.Categorical(resolved.astype(object).where(resolved.notna(), None), categories=keys)

    @staticmethod
    def _dates(values: pd.Series, problems: _Problems) -> pd.Series:
        if pd.api.types.is_datetime64_any_dtype(values):
            return values
        text = values.astype(TEXT).str.strip().replace("", pd.NA)
        dates = pd.to_datetime(text, errors="coerce", format="mixed")
        bad = text[dates.isna() & text.notna()]
        problems.add_many(bad.index, "date", bad, _("not a date"), _("a date such as 2023-07-13"))
        return dates

    @staticmethod
    def _years(frame: pd.DataFrame, problems: _Problems) -> pd.Series:
        if "year" in frame.columns:
            text = frame["year"].astype(TEXT).str.strip().replace("", pd.NA)
            years = pd.to_numeric(text, errors="coerce")
            bad = text.notna() & (years.isna() | (years % 1 != 0) | (years < 1800) | (years > 2200))
            problems.add_many(
                text.index[bad.to_numpy(dtype=bool)],
                "year",
                text[bad],
                _("not a year"),
                _("a four-digit year such as 2023"),
            )
            years = years.where(~bad)
        else:
            years = pd.Series(np.nan, index=frame.index)
        if "date" in frame.columns:
            years = years.fillna(frame["date"].dt.year)
        return years.astype("Int64")

    # Public views ---------------------------------------------------------------

    @property
    def framework(self) -> Framework:
        """The framework the corpus was validated against."""
        return self._framework

    @property
    def documents(self) -> pd.DataFrame:
        """One row per document (see the class docstring for the columns)."""
        return self._documents.copy(deep=False)

    @property
    def units(self) -> pd.DataFrame:
        """One row per coded clause (see the class docstring for the columns)."""
        return self._units.copy(deep=False)

    @property
    def not_coded(self) -> pd.DataFrame:
        """The clauses coded ``none`` (``无``): they carry no policy instrument, so they are not coded.

        A clause whose instrument cell says :data:`NO_INSTRUMENT` is kept
        here, with the columns of :attr:`units` (its ``instrument`` missing,
        its ``objectives`` empty, its scores missing), and not in
        :attr:`units`: no count, table or efficacy score includes it.  An
        empty instrument cell is still an error, so a forgotten cell is
        caught; writing the corpus writes these clauses back as ``none``.

        Examples
        --------
        >>> import pandas as pd
        >>> import policyquant as pq
        >>> units = pd.DataFrame({
        ...     "unit_id": ["N01-1-1", "N01-1-2"],
        ...     "instrument": ["无", "标准规范"],
        ...     "objectives": ["", "公共安全与利益"],
        ...     "AS": [None, 5], "MI": [None, 3],
        ... })
        >>> corpus = pq.Corpus(None, units)
        >>> len(corpus.units), corpus.not_coded["unit_id"].tolist()
        (1, ['N01-1-1'])
        >>> corpus
        <Corpus wang2026: 1 documents, 1 units, 1 codings, 1 not coded>
        """
        return self._not_coded.copy(deep=False)

    def all_units(self) -> pd.DataFrame:
        """Every clause as a coder's sheet holds it: :attr:`units`, then :attr:`not_coded` with instrument ``none``.

        What the writers write, so that the clauses coded ``none`` survive a
        round trip.  The ``instrument`` column is text (keys, and ``none``).

        Examples
        --------
        >>> import policyquant as pq
        >>> pq.datasets.load_genai_china().all_units().shape
        (670, 7)
        """
        units = self._units
        if not len(self._not_coded) or "instrument" not in units.columns:
            return units.copy(deep=False)
        not_coded = self._not_coded.assign(instrument=NO_INSTRUMENT)
        coded = units.assign(instrument=units["instrument"].astype(object))
        return pd.concat([coded, not_coded], ignore_index=True)

    @cached_property
    def _coding_table(self) -> tuple[pd.DataFrame, np.ndarray]:
        framework = self._framework
        if not framework.objectives:
            unit_index = np.arange(len(self._units))
            objective_codes = np.full(len(self._units), -1)
        else:
            bits = (self._objective_mask[:, None] >> np.arange(len(framework.objectives))) & 1
            unit_index, objective_codes = np.nonzero(bits)
        columns: dict[str, Any] = {
            "unit_id": self._units["unit_id"].to_numpy()[unit_index],
            "doc_id": self._units["doc_id"].to_numpy()[unit_index],
        }
        if framework.instruments:
            instrument = self._units["instrument"].cat.codes.to_numpy()[unit_index]
            columns["instrument"] = pd.Categorical.from_codes(
                instrument, categories=framework.instrument_keys
            )
            columns["family"] = pd.Categorical.from_codes(
                self.family_codes(instrument), categories=framework.family_keys
            )
        if framework.objectives:
            columns["objective"] = pd.Categorical.from_codes(
                objective_codes, categories=framework.objective_keys
            )
        codings = pd.DataFrame(columns)
        codings["unit_id"] = codings["unit_id"].astype(TEXT)
        codings["doc_id"] = codings["doc_id"].astype(TEXT)
        return codings, unit_index

    @property
    def codings(self) -> pd.DataFrame:
        """One row per clause and objective: ``unit_id``, ``doc_id``, ``instrument``, ``family``, ``objective``.

        Examples
        --------
        >>> import policyquant as pq
        >>> corpus = pq.datasets.load_genai_china()
        >>> list(corpus.codings.columns)
        ['unit_id', 'doc_id', 'instrument', 'family', 'objective']
        """
        return self._coding_table[0].copy(deep=False)

    def coding_unit_positions(self) -> np.ndarray:
        """For each row of :attr:`codings`, the position of its clause in :attr:`units`."""
        return self._coding_table[1]

    def unit_document_positions(self) -> np.ndarray:
        """For each row of :attr:`units`, the position of its document in :attr:`documents`."""
        return self._unit_doc

    def family_codes(self, instrument_codes: np.ndarray) -> np.ndarray:
        """Map instrument category codes to family category codes (-1 stays -1)."""
        framework = self._framework
        family_of = np.array([framework.family_keys.index(i.family) for i in framework.instruments] + [-1])
        return family_of[np.asarray(instrument_codes)]

    def unit_id_parts(self) -> pd.DataFrame:
        """Split ``document-chapter-clause`` unit ids (e.g. ``12-3-2``) into their parts.

        Returns
        -------
        pandas.DataFrame
            Columns ``doc``, ``chapter`` and ``clause`` (integers), one row per
            unit on the units' index; missing where an id has another form.

        Examples
        --------
        >>> import policyquant as pq
        >>> pq.datasets.load_genai_china().unit_id_parts().head(2)
           doc  chapter  clause
        0  N01        2       2
        1  N01        2       4
        """
        parts = self._units["unit_id"].str.extract(_UNIT_ID_PARTS)
        parts["chapter"] = pd.to_numeric(parts["chapter"]).astype("Int64")
        parts["clause"] = pd.to_numeric(parts["clause"]).astype("Int64")
        return parts

    def subset(self, documents: Any) -> Corpus:
        """A corpus of some of the documents, with their clauses and codings.

        Parameters
        ----------
        documents : boolean array-like, iterable of doc_id, or callable
            A mask over :attr:`documents`, the ids of the documents to keep,
            or a function taking the documents DataFrame and returning a mask.

        Returns
        -------
        Corpus
            Under the same framework; nothing is validated again.

        Raises
        ------
        ValidationError
            If ids name no document, or a mask has the wrong length.

        Examples
        --------
        >>> import policyquant as pq
        >>> corpus = pq.datasets.load_genai_china()
        >>> provincial = corpus.subset(lambda d: d["level"] == "provincial")
        >>> len(provincial.documents), len(provincial.units)
        (36, 290)
        """
        table = self._documents
        if callable(documents):
            documents = documents(table)
        if isinstance(documents, (set, frozenset)) or not hasattr(documents, "__len__"):
            documents = list(documents)
        values = pd.Series(documents) if not isinstance(documents, pd.Series) else documents
        if pd.api.types.is_bool_dtype(values.dtype):
            if len(values) != len(table):
                raise ValidationError(
                    f"a document mask needs {len(table)} values (one per document), got {len(values)}"
                )
            # A missing comparison (a document without a region, say) does not select the document.
            keep = values.to_numpy(dtype=bool, na_value=False)
        else:
            wanted = values.astype(TEXT)
            unknown = sorted(set(wanted.dropna()) - set(table["doc_id"].dropna()))
            if unknown:
                doc_ids = table["doc_id"].dropna().tolist()
                raise ValidationError(
                    f"{len(unknown)} doc_id(s) name no document",
                    [
                        {
                            "column": "doc_id",
                            "value": u,
                            "problem": "no document with this doc_id",
                            "suggestions": ", ".join(closest(u, doc_ids)) or None
                            if i < _MAX_SUGGESTED
                            else None,
                        }
                        for i, u in enumerate(unknown)
                    ],
                )
            keep = table["doc_id"].isin(set(wanted.dropna())).to_numpy()
        kept_units = keep[self._unit_doc]
        return Corpus._from_validated(
            self._framework,
            table[keep].reset_index(drop=True),
            self._units[kept_units].reset_index(drop=True),
            self._objective_mask[kept_units],
            self._not_coded[self._not_coded["doc_id"].isin(table.loc[keep, "doc_id"]).to_numpy(dtype=bool)]
            .reset_index(drop=True),
        )

    # Writing --------------------------------------------------------------------

    def to_csv(self, path: str | os.PathLike[str]) -> list[Path]:
        """Write the corpus as a folder of CSV files: ``path`` is the folder, not a file.

        A corpus is two tables, so ``path`` is a folder (made if missing,
        with its parents) that receives three files, each written to a
        temporary file and renamed into place:

        * ``documents.csv``: one row per document;
        * ``units.csv``: one row per clause, the clauses coded ``none``
          (:attr:`not_coded`) included, written back as ``none``;
        * ``policyquant-manifest.json``: each table's rows, size and SHA-256,
          with which :func:`policyquant.read_coding` tells a table cut short
          from a whole one.

        The CSV files are UTF-8 with a byte-order mark (Excel then shows
        Chinese text correctly), with CRLF line ends; every cell is text
        (keys and codes as stored, objectives joined by ``"; "``), so
        :func:`policyquant.read_coding` reads the folder back into an equal
        corpus, memos and ``none`` clauses included.  The two tables of a
        corpus written there before are replaced and the manifest updated
        with their new records; other files in the folder are left alone.

        Parameters
        ----------
        path : str or path-like
            The folder.  A name ending in a file type's suffix (``.csv``,
            ``.xlsx``, ``.json`` ...) that is not already a folder is
            refused: it would make a folder named like a file.

        Returns
        -------
        list of pathlib.Path
            The two tables written, ``documents.csv`` then ``units.csv``
            (the manifest next to them is not listed).

        Raises
        ------
        WriteError
            For a ``path`` named like a file (see above: nothing is written,
            and the message names the folder to give instead and the one-file
            writers :meth:`to_excel` and :meth:`to_json`), or when a file
            cannot be written (that file is then as it was).

        See Also
        --------
        policyquant.io.write_coding : every format; ``to_excel`` and ``to_json`` write one file.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import policyquant as pq
        >>> corpus = pq.datasets.load_genai_china()
        >>> folder = pathlib.Path(tempfile.mkdtemp()) / "study"
        >>> [p.name for p in corpus.to_csv(folder)]
        ['documents.csv', 'units.csv']
        >>> sorted(p.name for p in folder.iterdir())
        ['documents.csv', 'policyquant-manifest.json', 'units.csv']
        >>> pq.read_coding(folder) == corpus
        True
        >>> corpus.to_csv(folder.parent / "agreed.csv")
        Traceback (most recent call last):
        ...
        policyquant.errors.WriteError: .../agreed.csv: to_csv writes a folder (documents.csv, units.csv and policyquant-manifest.json), not one .csv file; give a folder name such as '.../agreed', or write one file with to_excel('.../agreed.xlsx') or to_json('.../agreed.json')
        """
        from .errors import WriteError
        from .io.tabular import FORMATS, write_coding

        # Anything else than a path is write_coding's to refuse, by its type.
        target = Path(path) if isinstance(path, str | os.PathLike) else Path()
        suffixes = {suffix for named in FORMATS.values() for suffix in named}
        # A file's name makes a folder nobody expects (Excel cannot open "agreed.csv/"); a folder of
        # that name written before is still written to, as it always was.
        if isinstance(path, str | os.PathLike) and target.suffix.lower() in suffixes and not target.is_dir():
            stem = target.with_suffix("")
            raise WriteError(
                _(
                    "{path}: to_csv writes a folder (documents.csv, units.csv and policyquant-manifest.json), "
                    "not one {suffix} file; give a folder name such as {folder!r}, or write one file with "
                    "to_excel({excel!r}) or to_json({json!r})"
                ).format(
                    path=target,
                    suffix=target.suffix,
                    folder=str(stem),
                    excel=str(stem.with_suffix(".xlsx")),
                    json=str(stem.with_suffix(".json")),
                ),
                path=target,
            )
        return write_coding(self, path, format="csv")

    def to_excel(self, path: str | os.PathLike[str]) -> list[Path]:
        """Write one workbook with the sheets ``documents``, ``units`` and ``codebook``.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import policyquant as pq
        >>> corpus = pq.datasets.load_genai_china()
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "study.xlsx"
        >>> _ = corpus.to_excel(target)
        >>> pq.read_coding(target) == corpus
        True
        """
        from .io.tabular import write_coding

        return write_coding(self, path, format="excel")

    def to_parquet(self, path: str | os.PathLike[str]) -> list[Path]:
        """Write ``documents.parquet`` and ``units.parquet`` into the directory ``path`` (needs pyarrow).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import policyquant as pq
        >>> corpus = pq.datasets.load_genai_china()
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = corpus.to_parquet(folder)
        >>> pq.read_coding(folder) == corpus
        True
        """
        from .io.tabular import write_coding

        return write_coding(self, path, format="parquet")

    def to_json(self, path: str | os.PathLike[str]) -> list[Path]:
        """Write one UTF-8 JSON file holding the framework's name and both tables.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import policyquant as pq
        >>> corpus = pq.datasets.load_genai_china()
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "study.json"
        >>> _ = corpus.to_json(target)
        >>> pq.read_coding(target) == corpus
        True
        """
        from .io.tabular import write_coding

        return write_coding(self, path, format="json")

    def __len__(self) -> int:
        return len(self._units)

    def __repr__(self) -> str:
        return (
            f"<Corpus {self._framework.name}: {len(self._documents)} documents, "
            f"{len(self._units)} units, {len(self.codings) if self._framework.objectives else 0} codings"
            + (f", {len(self._not_coded)} not coded" if len(self._not_coded) else "")
            + ">"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Corpus):
            return NotImplemented
        return (
            self._framework == other._framework
            and _frames_equal(self._documents, other._documents)
            and _frames_equal(self._units, other._units)
            and _frames_equal(self._not_coded, other._not_coded)
        )

    __hash__ = None  # type: ignore[assignment]


def _frames_equal(left: pd.DataFrame, right: pd.DataFrame) -> bool:
    if list(left.columns) != list(right.columns) or len(left) != len(right):
        return False
    try:
        pd.testing.assert_frame_equal(left, right, check_dtype=False, check_categorical=False)
    except AssertionError:
        return False
    return True
