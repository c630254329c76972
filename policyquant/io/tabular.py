"""Reading and writing coding sheets: CSV, Excel, Parquet and JSON.

A coding study keeps two tables: the *documents* and the coded *units*
(clauses).  :func:`read_coding` reads them from files in any of the supported
formats, recognises English and Chinese headers, keeps ids as text, and
validates everything against a framework into a :class:`~policyquant.Corpus`.
:func:`write_coding` (and the ``Corpus.to_*`` methods) write what
:func:`read_coding` reads back unchanged.

Supported inputs:

* CSV (``.csv``, ``.txt``; ``.tsv`` tab-separated) in UTF-8, UTF-8 with BOM or
  GBK / GB18030, detected;
* Excel workbooks (``.xlsx``, ``.xlsm``) with both sheets in one workbook
  (``documents`` / ``units``, or 文件 / 条款) or one sheet per file;
* Parquet (``.parquet``, ``.pq``);
* JSON (``.json``): a corpus written by :meth:`Corpus.to_json`, or a list of
  records per file;
* a directory holding ``documents`` and ``units`` files as written by
  :meth:`Corpus.to_csv` or :meth:`Corpus.to_parquet`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import itertools
import json
import logging
import mmap
import os
import re
import warnings
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from .._checks import require_read_sources, require_write_target
from .._excel import _SURROGATE, _check_excel_text, _excel_text_problems, _write_sheet  # noqa: F401 - shared names
from .._i18n import _, chosen_language, table_name, using_language, with_language
from .._text import closest, format_choices, normalize_name
from ..corpus import Corpus
from ..errors import ReadError, SheetWarning, ValidationError
from ..model import Framework
from ..plugins import get_framework
from .columns import HEADER_ALIASES, standardize_columns

if TYPE_CHECKING:
    from .chunked import ChunkedCorpus

__all__ = [
    "CSV_ENCODINGS",
    "FORMATS",
    "SHEET_NAMES",
    "read_coding",
    "read_table",
    "write_coding",
]

# read_coding reports here how many rows it read (see its Notes).
_logger = logging.getLogger(__name__)

#: Encodings tried, in order, when a CSV file's encoding is not given.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")

#: File suffixes by format.
FORMATS = {
    "csv": (".csv", ".txt", ".tsv"),
    "excel": (".xlsx", ".xlsm"),
    "parquet": (".parquet", ".pq"),
    "json": (".json",),
}

#: Sheet (and file) names recognised for each table in a workbook or directory.
SHEET_NAMES = {
    "documents": ("documents", "document", "docs", "policies", "文件", "政策文件", "政策", "文档"),
    "units": (
        "units",
        "unit",
        "clauses",
        "clause",
        "codings",
        "coding",
        "条款",
        "编码",
        "政策条款",
        "编码表",
    ),
}

PathOrFrame = str | os.PathLike[str] | pd.DataFrame


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    for name, suffixes in FORMATS.items():
        if suffix in suffixes:
            return name
    known = ", ".join(s for suffixes in FORMATS.values() for s in suffixes)
    raise ReadError(
        _("{path}: unknown file type {suffix!r}; policyquant reads {known}").format(
            path=path, suffix=suffix or _("(no suffix)"), known=known
        )
    )


def _decode(path: Path, encoding: str | None) -> str:
    encoding = _text_encoding(path, encoding)
    data = path.read_bytes()
    if not data.strip():
        raise ReadError(_("{path}: the file is empty").format(path=path))
    tried = [encoding] if encoding else list(CSV_ENCODINGS)
    if not encoding:
        # A byte-order mark names the encoding for certain: Excel's "Unicode text" is UTF-16.
        for mark, name in _BYTE_ORDER_MARKS:
            if data.startswith(mark):
                tried = [name]
                break
    failures = []
    for name in tried:
        try:
            text = data.decode(name)
        except UnicodeDecodeError as error:
            failures.append(error)
            continue
        except LookupError:
            raise _encoding_error(path, f"unknown encoding {name!r}") from None
        except UnicodeError:
            # "undefined" and "punycode" are codecs that fail on what a coding sheet holds.
            raise _encoding_error(path, f"the encoding {name!r} cannot decode this file") from None
        _refuse_nul(path, text)
        return text
    raise _undecodable(path, data, tried, failures[0])


def _encoding_error(path: Path, what: str) -> ReadError:
    return ReadError(
        _(
            "{path}: {what}; use utf-8, gb18030 (for GBK) or utf-16, or leave the encoding out to have it detected"
        ).format(path=path, what=what)
    )


def _text_encoding(path: Path, encoding: str | None) -> str | None:
    """The encoding given for ``path``, refused as a :class:`ReadError` unless it decodes text.

    Python knows codecs that are no text encodings (``base64``, ``rot13``) and
    one that decodes nothing at all (``undefined``); a coder who names one
    gets a sentence, not a traceback.
    """
    if encoding is None:
        return None
    if not isinstance(encoding, str):
        raise _encoding_error(path, f"the encoding must be a name such as 'utf-8', not {encoding!r}")
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise _encoding_error(path, f"unknown encoding {encoding!r}") from None
    # Private, but the one way to tell "base64" (bytes to bytes) from a text encoding.
    if not getattr(info, "_is_text_encoding", True):
        raise _encoding_error(path, f"{encoding!r} is not a text encoding")
    try:
        b"".decode(encoding)
    except (UnicodeError, LookupError):
        raise _encoding_error(path, f"the encoding {encoding!r} cannot decode text") from None
    return encoding


def _undecodable(path: Path, data: bytes, tried: list[str], error: UnicodeDecodeError) -> ReadError:
    """Where the first encoding tried (UTF-8 unless told otherwise) failed, by line and byte of the file.

    The last one tried, GB18030, decodes nearly any byte and fails far from
    where the file went wrong: the first failure is the one to show.
    """
    name = tried[0]
    start = error.start
    if codecs.lookup(name).name == "utf-8-sig" and data.startswith(codecs.BOM_UTF8):
        # The decoder counts from after the byte-order mark; the file starts before it.
        start += len(codecs.BOM_UTF8)
    before = data[:start].decode(name, errors="replace")
    line = len(re.findall(r"\r\n|\r|\n", before)) + 1
    bad = data[start : start + 4]  # the bytes that failed, and a little after them to find them by
    # ASCII text in UTF-16 is every other byte NUL: name the likely culprit.
    hint = _(" (it looks like UTF-16 without a byte-order mark)") if data[:400].count(0) > 20 else ""
    return ReadError(
        _(
            "{path}: cannot decode the file as {tried}{hint} (byte {start:,} of the file, "
            "on line {line}, is not {encoding}: {bad!r}); save it as UTF-8, or give its encoding "
            "(encoding=... in Python, --encoding on the command line)"
        ).format(
            path=path,
            tried=" or ".join(tried),
            hint=hint,
            start=start,
            line=line,
            encoding=name.removesuffix("-sig"),
            bad=bad,
        )
    )


#: Byte-order marks and the encodings they announce (UTF-32 first: its mark starts like UTF-16's).
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _refuse_nul(path: Path, text: str) -> None:
    """A NUL in the header means binary data or UTF-16 without its mark, never a coding sheet.

    A NUL inside a cell further down is the coder's text (and round-trips).
    """
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    position = text.find("\x00", 0, len(text) if end < 0 else end)
    if position < 0:
        return
    line = text.count("\n", 0, position) + 1
    raise ReadError(
        _(
            "{path}: line {line} holds a NUL byte: this is not a text file in the encoding it was read in "
            "(UTF-16 without a byte-order mark, or a binary file?); save it as UTF-8 CSV"
        ).format(path=path, line=line),
        [
            {
                "file": str(path),
                "row": line,
                "value": "\\x00",
                "problem": _("NUL byte in a text file"),
                "expected": _("UTF-8 (or GBK) text"),
            }
        ],
    )


def _read_csv(path: Path, encoding: str | None) -> pd.DataFrame:
    """Read a CSV file, every cell as text, indexed by spreadsheet row number.

    The index is what a spreadsheet program shows when it opens the file: the
    header is row 1 (after any blank lines above it, which count as rows) and
    each record is one row, so a quoted cell holding line breaks does not push
    the rows below it down.  Blank lines are rows too, which is why they are
    read as records and dropped only once every row has its number.
    """
    encoding = _text_encoding(path, encoding)
    default = "\t" if path.suffix.lower() == ".tsv" else ","
    read = _read_utf8_csv(path, encoding, default)
    if read is None:
        text = _decode(path, encoding)
        read = _read_records(path, text, text[:_HEAD_BYTES], default)
        if read is None:
            raise ReadError(_("{path}: the file has no header row").format(path=path))
    frame, layout = read
    first_row = layout.skip + 2
    frame.index = pd.RangeIndex(first_row, first_row + len(frame))
    frame = _drop_blank_lines(frame, layout.source, layout.separator, layout.skip)
    # The header cells past the parsed columns are blank, and their columns were checked empty.
    return _check_headers(frame, layout.header[: layout.columns], path, header_row=layout.skip + 1)


#: How much of a file's start is read to find its header row, separator and kind.
_HEAD_BYTES = 1 << 16

#: The separators a CSV file may use; the file's suffix names the one preferred.
_SEPARATORS = (",", ";", "\t", "|")

#: The most columns with headers a CSV file may have: XFD, the last column of a spreadsheet.
_MAX_COLUMNS = 16_384

#: Blank header cells after the last header beyond which only the columns with headers
#: are parsed (the others are checked to be empty as they are read).
_BLANK_TAIL = 64

#: Every header that policyquant recognises by itself, folded for matching.
_KNOWN_HEADERS = frozenset(
    normalize_name(alias)
    for fields in HEADER_ALIASES.values()
    for aliases in fields.values()
    for alias in aliases
)

_MARKUP = re.compile(r"\s*<(?:(!doctype\s+html|html|head|body|table|meta)|(\?xml))\b", re.IGNORECASE)


class _Layout(NamedTuple):
    """What the start of a CSV file says about all of it."""

    source: Path | str  # the path of a UTF-8 file, or a file's decoded text
    separator: str
    skip: int  # blank lines above the header
    header: list[str]  # the header row's cells
    columns: int  # how many columns are parsed: all, or those up to the last header
    mapped: mmap.mmap | None = None  # a UTF-8 file mapped into memory (for pyarrow), or None


def _read_records(
    path: Path, source: Path | str, head: str, default: str, mapped: mmap.mmap | None = None
) -> tuple[pd.DataFrame, _Layout] | None:
    """Parse a CSV file (its path, or its decoded text) once its first rows are found sound.

    Every cell is read as text, whatever it looks like and however long the
    file: no type is ever guessed.  The first rows are read with the ``csv``
    module before the whole file is parsed, so that a title above the headers,
    a first row with more cells than headers, or thousands of columns are
    reported before pandas builds anything for them.  Returns None where a
    UTF-8 path cannot be read as such (the caller then decodes the file).
    ``mapped`` is the file already mapped into memory, for pyarrow to parse.
    """
    _refuse_markup(path, head)
    line = _first_line(head) if isinstance(source, Path) else _first_line(source)
    if line is None:
        return None
    separator = _guess_separator(line, default)
    skip = _leading_blank_lines(source if isinstance(source, str) else head, separator)
    try:
        records = _first_records(source, separator, skip, 6)
    except csv.Error as error:
        if isinstance(source, Path):
            return None
        raise ReadError(_("{path}: not a valid CSV file: {error}").format(path=path, error=error)) from None
    if not records:
        return None
    header = records[0]
    named = max((i + 1 for i, cell in enumerate(header) if cell.strip()), default=0)
    if named > _MAX_COLUMNS:
        raise _too_many_columns(path, skip + 1, named)
    # Only the cells up to the last header: the blank ones after it cannot make a title row.
    title = _title_row(str(path), header[: max(named, 1)], records[1:], range(skip + 2, skip + 7), skip + 1)
    if title is not None:
        raise title
    width = len(header)
    # Thousands of empty columns (a sheet whose last column was once used) would cost pandas
    # memory by the column: only those with headers are parsed; the others must be empty.
    columns = named if width - named > _BLANK_TAIL else width
    layout = _Layout(source, separator, skip, header, columns, mapped)
    if columns < width or any(len(record) > width for record in records[1:2]):
        _refuse_misshapen_rows(path, layout)
    frame = _parse_csv(path, layout)
    if frame is None:
        return None
    if frame.shape[1] == columns:
        frame.columns = _column_labels(header, columns)
    return frame, layout


def _first_line(text: str) -> str | None:
    """The first line holding more than spaces and tabs, the header row's; None if there is none."""
    match = re.search(r"[^ \t\r\n\ufeff][^\r\n]*", text)
    return None if match is None else match.group()


def _refuse_markup(path: Path, head: str) -> None:
    match = _MARKUP.match(head.lstrip("\ufeff"))
    if match is None:
        return
    kind = _("an HTML page") if match.group(1) else _("an XML file")
    raise ReadError(
        _(
            "{path}: this is {kind}, not a CSV file (a web page, or a sheet saved as one, given a .csv name?); "
            "open it in a spreadsheet program and save it as CSV UTF-8 or as an Excel workbook (.xlsx)"
        ).format(path=path, kind=kind),
        [
            {
                "file": str(path),
                "row": 1,
                "value": head.lstrip("\ufeff").lstrip()[:40],
                "problem": _("{kind}, not a CSV file").format(kind=kind),
                "expected": _("comma-separated text: a header row, then one row per record"),
            }
        ],
    )


def _guess_separator(line: str, default: str) -> str:
    """The separator of a CSV file, from its header row: the one that splits it into headers.

    A separator that yields more of the headers policyquant recognises wins;
    failing that, the default stays unless it leaves the whole row one cell
    (a semicolon-separated file saved by a spreadsheet set to a European
    locale, or Excel's tab-separated "Unicode Text"): then the separator that
    splits it into the most cells does.  Quoted separators do not count.

    Examples
    --------
    >>> _guess_separator("unit_id;doc_id;instrument", ",")
    ';'
    >>> _guess_separator("note,remark;comment", ",")
    ','
    """
    line = line[:4096]  # enough for any real header row; a hostile one costs no more
    scores = {}
    for separator in (default, *(s for s in _SEPARATORS if s != default)):
        cells = next(csv.reader([line], delimiter=separator), [])
        known = sum(normalize_name(cell) in _KNOWN_HEADERS for cell in cells)
        scores[separator] = (known, len(cells))
    best = max(scores, key=lambda s: scores[s][0])
    if scores[best][0] > scores[default][0]:
        return best
    if scores[default][1] == 1:
        widest = max(scores, key=lambda s: scores[s][1])
        if scores[widest][1] > 1:
            return widest
    return default


@contextlib.contextmanager
def _long_cells() -> Any:
    """Let the csv module read cells as long as a clause can be (its default limit is 128 KiB)."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, 1 << 30))
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def _first_records(source: Path | str, separator: str, skip: int, count: int) -> list[list[str]]:
    """The first ``count`` records from the header row on, as the csv module reads them."""
    with _long_cells(), _records(source) as stream:
        return list(itertools.islice(csv.reader(stream, delimiter=separator), skip, skip + count))


def _title_row(
    where: str, header: list[Any], following: Any, numbers: Any, header_row: int
) -> ValidationError | None:
    """The error for a title (one cell, not a header) above the header row, or None if it is no title.

    Spreadsheets often carry a title such as "2025年政策编码表" in their first
    row; read as the headers, it would make every real header a missing column.
    """
    names = ["" if cell is None else str(cell).strip() for cell in header]
    if [i for i, name in enumerate(names) if name] != [0] or normalize_name(names[0]) in _KNOWN_HEADERS:
        return None
    for number, record in zip(numbers, following, strict=False):
        cells = [str(c).strip() for c in record if c is not None and c == c and str(c).strip()]
        if not cells:
            continue
        if len(cells) < 2:
            return None
        shown = ", ".join(cells[:6]) + (", ..." if len(cells) > 6 else "")
        message = _(
            "{where}: row {row} looks like a title ({title!r}), not the headers; "
            "the headers ({headers}) are in row {number}: delete row {row}"
        ).format(where=where, row=header_row, title=names[0], headers=shown, number=number)
        if number > header_row + 1:
            message = _("{text} (and the rows up to row {last})").format(text=message, last=number - 1)
        return ValidationError(
            message,
            [
                {
                    "file": where,
                    "row": header_row,
                    "value": names[0],
                    "problem": _("a title above the headers"),
                    "expected": _("the headers in the first row; they are in row {number}").format(number=number),
                }
            ],
        )
    return None


def _too_many_columns(path: Path, row: int, count: int) -> ReadError:
    return ReadError(
        f"{path}: the header row (row {row}) has {count:,} columns, more than the {_MAX_COLUMNS:,} "
        "of a spreadsheet (its last column is XFD); a coding sheet has one column per field",
        [
            {
                "file": str(path),
                "row": row,
                "column": _column_letter(_MAX_COLUMNS),
                "value": f"{count:,} columns",
                "problem": "too many columns",
                "expected": f"at most {_MAX_COLUMNS:,} columns",
            }
        ],
    )


def _column_labels(header: list[str], count: int) -> list[str]:
    """Unique column labels: the headers, and "Unnamed: N" for a blank or repeated one.

    The labels only have to tell the columns apart: blank and repeated
    headers are reported or dropped by :func:`_check_headers`, by position.
    """
    labels: list[str] = []
    seen: set[str] = set()
    for position, name in enumerate(header[:count]):
        label = name if name.strip() and name not in seen else f"Unnamed: {position}"
        seen.add(label)
        labels.append(label)
    return labels


def _scan_rows(layout: _Layout) -> tuple[list[int], list[int], dict[int, int]]:
    """Records with more cells than headers, and where data sits in the unparsed columns.

    Returns the row numbers and cell counts of the records longer than the
    header row, and for each column after ``layout.columns`` that holds a
    non-blank cell, the first row where it does.  One record at a time: a
    row of a million cells costs the memory of one row.
    """
    long_rows: list[int] = []
    counts: list[int] = []
    data: dict[int, int] = {}
    width, columns = len(layout.header), layout.columns
    with _long_cells(), _records(layout.source) as stream:
        rows = itertools.islice(csv.reader(stream, delimiter=layout.separator), layout.skip + 1, None)
        for number, row in enumerate(rows, start=layout.skip + 2):
            if len(row) <= columns:
                continue
            if len(row) > width:
                long_rows.append(number)
                counts.append(len(row))
            tail = row[columns:width]
            if "".join(tail).strip() and len(data) < _MAX_COLUMNS:
                for position, cell in enumerate(tail, start=columns):
                    if cell.strip():
                        data.setdefault(position, number)
    return long_rows, counts, data


def _long_rows_error(
    path: str, long_rows: list[int], counts: list[int], width: int, skip: int, limit: int | None = None
) -> ReadError:
    """Every row longer than the header row (the first ``limit`` of them listed), with its cell count.

    Shared by the whole-file reader and the streamed one (:mod:`policyquant.io.chunked`).
    """
    first, cells = long_rows[0], counts[0]
    if first == skip + 2:
        summary = _("row {row} has more cells than the header has columns ({width})").format(row=first, width=width)
    else:
        summary = _("row {row} has {cells:,} cells but the header has {width} columns").format(
            row=first, cells=cells, width=width
        )
    if len(long_rows) > 1:
        summary = _("{text}; so do {count:,} more rows").format(text=summary, count=len(long_rows) - 1)
    cells_of = _("{count:,} cells")
    return ReadError(
        _("{where}: {what}").format(where=path, what=summary),
        pd.DataFrame(
            {
                "file": str(path),
                "row": long_rows[:limit],
                "value": [cells_of.format(count=n) for n in counts[:limit]],
                "problem": _("more cells than headers"),
                "expected": _("{width} cells, one per header (a stray comma, or a quote left open?)").format(
                    width=width
                ),
            }
        ),
    )


def _refuse_misshapen_rows(path: Path, layout: _Layout) -> None:
    """Report every row longer than the header row, and data under blank headers past the last header."""
    try:
        long_rows, counts, data = _scan_rows(layout)
    except csv.Error as error:
        raise ReadError(_("{path}: not a valid CSV file: {error}").format(path=path, error=error)) from None
    width = len(layout.header)
    if long_rows:
        raise _long_rows_error(str(path), long_rows, counts, width, layout.skip)
    if data:
        problems = [
            {
                "file": str(path),
                "row": layout.skip + 1,
                "column": _column_letter(position),
                "problem": _("data under a blank header (first in row {row})").format(row=row),
                "expected": _("a header for every column that holds data"),
            }
            for position, row in sorted(data.items())
        ]
        raise ValidationError(
            _("{where}: the header row has {count} problem(s)").format(where=path, count=len(problems)), problems
        )


def _parse_csv(path: Path, layout: _Layout) -> pd.DataFrame | None:
    """The records after the header row, every cell as text; None where a UTF-8 path is no UTF-8."""
    source = layout.source
    if isinstance(source, Path) and layout.columns == len(layout.header):
        frame = _arrow_csv(source, layout)
        if frame is not None:
            return frame
    # header=None: the header row is read as a record and dropped, so that pandas neither
    # makes up names for thousands of blank headers nor takes the surplus cells of a long
    # first row for an index.
    options: dict[str, Any] = {
        "header": None,
        "dtype": str,
        "keep_default_na": False,
        "sep": layout.separator,
        "skip_blank_lines": False,
        "skiprows": layout.skip,
    }
    if layout.columns < len(layout.header):
        options["usecols"] = range(layout.columns)
    try:
        if isinstance(source, Path):
            frame = pd.read_csv(source, encoding="utf-8-sig", **options)
        else:
            frame = pd.read_csv(io.StringIO(source), **options)
    except UnicodeDecodeError:
        return None
    except pd.errors.EmptyDataError:
        raise ReadError(_("{path}: the file has no header row").format(path=path)) from None
    except pd.errors.ParserError as error:
        if _FIELD_COUNT.search(str(error)):
            # pandas names the line, not the spreadsheet row, and only the first such row.
            _refuse_misshapen_rows(path, layout)
        raise _csv_parser_error(path, error) from None
    except ValueError as error:
        if isinstance(source, Path):
            return None
        raise ReadError(_("{path}: not a valid CSV file: {error}").format(path=path, error=error)) from None
    return frame.iloc[1:].reset_index(drop=True)


def _arrow_csv(path: Path, layout: _Layout) -> pd.DataFrame | None:
    """A UTF-8 CSV file parsed by pyarrow, every column as text; None where pyarrow cannot or must not.

    pyarrow parses (on one thread: see :data:`_ARROW_THREADS`) straight
    from a memory map of the file into its own text storage, at the
    processor cost of pandas' type-guessing parser, and never guesses.  Where it differs
    from pandas (blank lines of spaces, rows of unequal length, invalid UTF-8,
    a quote left open at the end of the file) it gives way, and pandas reads
    the file (with ``dtype=str``) and reports what is wrong.  ``layout.mapped``,
    the file mapped into memory by the caller (which looked for NUL bytes in
    it), is parsed from the same pages; otherwise pyarrow maps the file.
    """
    try:
        import pyarrow as pa
        from pyarrow import csv as arrow_csv
    except ImportError:
        return None
    header, mapped = layout.header, layout.mapped
    names = [f"f{i}" for i in range(len(header))]
    try:
        # Parsed from a memory map of the file, not read into buffers first: one copy fewer.
        with pa.BufferReader(pa.py_buffer(mapped)) if mapped is not None else pa.memory_map(str(path)) as source:
            table = arrow_csv.read_csv(
                source,
                read_options=arrow_csv.ReadOptions(
                    column_names=names, skip_rows=layout.skip, use_threads=_ARROW_THREADS
                ),
                parse_options=arrow_csv.ParseOptions(
                    delimiter=layout.separator, newlines_in_values=True, ignore_empty_lines=False
                ),
                convert_options=arrow_csv.ConvertOptions(
                    # large_string is what pandas' str dtype stores: no cast on the way.
                    column_types=dict.fromkeys(names, pa.large_string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                    null_values=[],
                ),
            )
    except (pa.ArrowException, OSError, ValueError):
        return None
    # The header row is parsed as a record, so that a quoted header cell holding a line break
    # counts as one row; it must be the header the csv module read.
    if not table.num_rows or [table.column(i)[0].as_py() for i in range(len(names))] != header:
        return None
    # pyarrow ends a quote left open at the end of the file as if it were closed: the last
    # cell is then the rest of the file after that quote.
    last = table.column(len(names) - 1)[-1].as_py()
    tail = ('"' + last.replace('"', '""')).encode()
    with open(path, "rb") as stream:
        size = stream.seek(0, os.SEEK_END)
        stream.seek(max(0, size - len(tail)))
        if size >= len(tail) and stream.read() == tail:
            return None
    frame = table.slice(1).to_pandas(types_mapper=_arrow_text_dtype(pa))
    return frame


#: Whether pyarrow parses a CSV file on several threads.  It does not: with quoted cells that
#: may hold line breaks (``newlines_in_values``), the threaded reader first finds the rows'
#: boundaries in a quote-aware pass of its own, and then parses: a million clauses cost about
#: a third more processor time for a parse at most 1.4x faster on 2 cores (see the reading
#: section of benchmarks/README.md); one thread costs what pandas' own parser costs.  Dask
#: workers and chunked reading run several reads at once, where threads only compete.
_ARROW_THREADS = False


def _arrow_text_dtype(pa: Any) -> Any:
    """How pandas holds pyarrow's text: its ``str`` dtype where that is pyarrow-backed (pandas 3)."""
    dtype = pd.api.types.pandas_dtype(str)
    if isinstance(dtype, pd.StringDtype):
        return {pa.string(): dtype, pa.large_string(): dtype}.get
    return None


def _line_space(separator: str) -> str:
    """The characters that make a line blank for pandas, which skips lines of nothing else."""
    return " \t".replace(separator, "")


def _leading_blank_lines(text: str | bytes, separator: str) -> int:
    """How many blank (or all-space) lines come before the header row."""
    space = re.escape(_line_space(separator))
    pattern = rf"(?:[{space}]*(?:\r\n|\r|\n))*"
    if isinstance(text, bytes):
        blank = re.match(pattern.encode(), text.removeprefix(codecs.BOM_UTF8)).group()
    else:
        blank = re.match(pattern, text.removeprefix("\ufeff")).group()
    return len(blank.splitlines())


def _records(source: Path | str) -> Any:
    """The CSV file (a UTF-8 file's path, or a file's decoded text) as a stream for the csv module."""
    if isinstance(source, Path):
        return open(source, encoding="utf-8-sig", newline="")
    # newline="": a record may end in a bare "\r", and quoted cells keep their line breaks.
    return io.StringIO(source, newline="")


def _drop_blank_lines(frame: pd.DataFrame, source: Path | str, separator: str, skip: int) -> pd.DataFrame:
    """Drop the rows read from blank lines, keeping the row numbers of the others.

    pandas reads a blank line, a line of spaces and a row of empty cells
    (``,,,``) alike, as a row of empty cells; only the file tells them apart,
    and only a blank line holds no row (a row of empty cells is reported, like
    an empty row of a workbook).  The file is looked at again only when there
    are empty rows at all, and only its end when they are all at the end.
    """
    empty = _empty_rows(frame, separator)
    if not empty.any() or frame.shape[1] == 1:
        # In a one-column file an empty cell is a blank line.
        return frame[~empty]
    trailing = len(empty) if empty.all() else int(np.argmin(empty[::-1]))
    blank = None
    if trailing == empty.sum():
        # An empty row holds no line break, so the empty rows at the end are the last lines.
        lines = _last_lines(source, trailing)
        if lines is not None:
            space = _line_space(separator)
            blank = np.zeros(len(frame), dtype=bool)
            blank[len(frame) - trailing :] = [not line.strip(space) for line in lines]
    if blank is None:
        blank = _blank_records(source, separator, skip + 1, len(frame))
    if blank is None:
        # The csv module split the file into records differently from pandas (it never has,
        # but a mismatch would misplace every flag): drop every empty row, which holds
        # nothing, rather than report blank lines as rows or drop rows that hold data.
        return frame[~empty]
    return frame[~(empty & blank)]


#: How much of the end of a file :func:`_last_lines` reads.
_TAIL_BYTES = 1 << 16


def _last_lines(source: Path | str, count: int) -> list[str] | None:
    """The last ``count`` lines of a file, or None if they are not all in its last 64 KiB."""
    if count == 0:
        return []
    if isinstance(source, Path):
        with open(source, "rb") as stream:
            size = stream.seek(0, os.SEEK_END)
            stream.seek(max(0, size - _TAIL_BYTES))
            # Only spaces and separators matter: a character cut in two is no blank line anyway.
            tail = stream.read().decode("utf-8", errors="replace")
        whole = size <= _TAIL_BYTES
    else:
        tail, whole = source[-_TAIL_BYTES:], len(source) <= _TAIL_BYTES
    lines = re.split(r"\r\n|\r|\n", tail)
    if lines[-1] == "":
        lines.pop()  # the last line's line break
    # The first line of a tail may be the end of a longer one.
    if len(lines) < count + (0 if whole else 1):
        return None
    return lines[-count:]


def _empty_rows(frame: pd.DataFrame, separator: str) -> np.ndarray:
    """Rows whose cells are all empty but for spaces in the first: how pandas reads a blank line."""
    empty = np.ones(len(frame), dtype=bool)
    # Narrowed column by column, the first last: after one column of a full file, few rows
    # are left to look at.
    for position in [*range(1, frame.shape[1]), 0]:
        rows = np.flatnonzero(empty)
        if not len(rows):
            break
        values = frame.iloc[:, position]
        if len(rows) < len(frame):
            values = values.iloc[rows]
        if position:
            empty[rows] = (values.isna() | (values == "")).to_numpy(dtype=bool)
        else:
            text = values.astype(object).fillna("").astype(str)
            empty[rows] = (text.str.strip(_line_space(separator)) == "").to_numpy(dtype=bool)
    return empty


def _blank_records(source: Path | str, separator: str, skip: int, count: int) -> np.ndarray | None:
    """Which of ``count`` records after the first ``skip`` are blank lines; None if they are not ``count``."""
    space = _line_space(separator)
    limit = csv.field_size_limit()
    # A clause can be longer than the csv module's default cell limit (128 KiB).
    csv.field_size_limit(max(limit, 1 << 30))
    try:
        with _records(source) as stream:
            rows = itertools.islice(csv.reader(stream, delimiter=separator), skip, None)
            blank = np.fromiter(
                (not row or (len(row) == 1 and not row[0].strip(space)) for row in rows), dtype=bool
            )
    except csv.Error:
        return None
    finally:
        csv.field_size_limit(limit)
    return blank if len(blank) == count else None


def _read_utf8_csv(path: Path, encoding: str | None, separator: str) -> tuple[pd.DataFrame, _Layout] | None:
    """The fast way to read a UTF-8 CSV file, every cell as text; None where it does not apply.

    The file is parsed from its path, not from a decoded copy: by pyarrow,
    into its own text storage (as cheap as pandas' own
    type-guessing parser, which turned ids such as ``0131072`` into numbers
    in the chunks where every id looked like one), or where pyarrow gives way
    by pandas with ``dtype=str``.  ``separator`` is the one the file's suffix
    names; the header row may show another.  Anything unusual (another
    encoding, a byte-order mark other than UTF-8's, NUL bytes, a file that is
    empty or no UTF-8 after all) returns None, and the careful path decodes
    the file and reports what is wrong.  Returns the table, blank lines
    included, and what its first rows said (see :class:`_Layout`).
    """
    try:
        if encoding is not None and codecs.lookup(encoding).name not in ("utf-8", "utf-8-sig"):
            return None
        with open(path, "rb") as stream:
            head = stream.read(_HEAD_BYTES)
            if not head.strip() or any(head.startswith(mark) for mark, _ in _BYTE_ORDER_MARKS):
                return None
            stream.seek(0)
            data = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError, LookupError):
        return None
    # The mapping stays open for pyarrow to parse: pages already read cost less the second time.
    try:
        if data.find(b"\x00") >= 0:
            return None
        # A character cut in two at the end of the head is no header's.
        return _read_records(path, path, head.decode("utf-8", errors="replace"), separator, data)
    except UnicodeDecodeError:
        return None
    finally:
        # A view of it may still be held (by an error on its way up): then it is unmapped once that goes.
        with contextlib.suppress(BufferError):
            data.close()


_FIELD_COUNT = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _csv_parser_error(path: Path, error: Exception) -> ReadError:
    match = _FIELD_COUNT.search(str(error))
    if match is None:
        return ReadError(_("{path}: not a valid CSV file: {error}").format(path=path, error=error))
    expected, line, saw = (int(n) for n in match.groups())
    return ReadError(
        _("{where}: {what}").format(
            where=path,
            what=_("row {row} has {cells:,} cells but the header has {width} columns").format(
                row=line, cells=saw, width=expected
            ),
        ),
        [
            {
                "file": str(path),
                "row": line,
                "value": _("{count:,} cells").format(count=saw),
                "problem": _("more cells than headers"),
                "expected": _("{width} cells, one per header (a stray comma, or a quote left open?)").format(
                    width=expected
                ),
            }
        ],
    )


def _column_letter(position: int) -> str:
    """The spreadsheet letters of a zero-based column position, past XFD and ZZZ too.

    Bijective base 26 (A..Z, AA..ZZ, AAA..): openpyxl's own function stops at
    column 18,278 (ZZZ), and a CSV file has no such limit.

    Examples
    --------
    >>> [_column_letter(p) for p in (0, 25, 26, 16_383, 18_277, 18_278)]
    ['A', 'Z', 'AA', 'XFD', 'ZZZ', 'AAAA']
    """
    number = position + 1
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _check_headers(
    frame: pd.DataFrame, header: list[Any], path: Path, sheet: str | None = None, header_row: int = 1
) -> pd.DataFrame:
    """Refuse repeated headers and data under a blank header, which pandas would rename silently.

    pandas reads a second ``instrument`` column as ``instrument.1`` and a column
    without a header (the second cell of a merged header, say) as ``Unnamed: 4``;
    their cells would then never be used.  A blank header over an empty column
    (trailing commas) holds nothing and is dropped.  A title above the header
    row (one cell, then the headers in the next row) is named as such.
    ``header_row`` is the header's row number (after blank lines above it).
    """
    where = f"{path} [{sheet}]" if sheet else str(path)
    names = ["" if cell is None else str(cell).strip() for cell in header]
    problems = []
    first: dict[str, int] = {}
    keep = []
    if len(frame) and frame.shape[1] > 1:
        start = frame.index[0]
        # A CSV table is numbered by row already; a sheet's table counts from 0.
        numbers = frame.index[:5] if isinstance(start, (int, np.integer)) and start > header_row else None
        following = frame.iloc[:5].astype(object).to_numpy().tolist()
        if numbers is None:
            numbers = range(header_row + 1, header_row + 6)
        title = _title_row(where, names, following, numbers, header_row)
        if title is not None:
            raise title
    if (
        len(frame.columns)
        and not any(names)
        and any(_has_data(frame.iloc[:, i]) for i in range(frame.shape[1]))
    ):
        raise ValidationError(
            _("{where}: row {row} is empty; the headers must be in the first row").format(
                where=where, row=header_row
            ),
            [
                {
                    "file": where,
                    "row": header_row,
                    "problem": _("no headers in the first row"),
                    "expected": _("the headers (unit_id, doc_id, ... or 条款编号, 文件编号, ...) in row 1"),
                }
            ],
        )
    for position, name in enumerate(names[: len(frame.columns)]):
        letter = _column_letter(position)
        if not name:
            values = frame.iloc[:, position]
            if _has_data(values):
                problems.append(
                    {
                        "file": where,
                        "row": header_row,
                        "column": letter,
                        "problem": _("data under a blank header (a merged header cell?)"),
                        "expected": _("a header for every column that holds data"),
                    }
                )
            continue
        keep.append(position)
        if name in first:
            problems.append(
                {
                    "file": where,
                    "row": header_row,
                    "column": letter,
                    "value": name,
                    "problem": _("repeated header"),
                    "expected": _("one column per header; column {letter} is {name!r} already").format(
                        letter=_column_letter(first[name]), name=name
                    ),
                }
            )
        else:
            first[name] = position
    if problems:
        raise ValidationError(
            _("{where}: the header row has {count} problem(s)").format(where=where, count=len(problems)),
            problems,
        )
    # By position: a blank header's label may be any text pandas made up for it.
    keep += range(len(names), frame.shape[1])
    return frame if len(keep) == frame.shape[1] else frame.iloc[:, keep]


def _has_data(values: pd.Series) -> bool:
    text = values.astype("string")
    return bool((text.notna() & (text.str.strip() != "")).any())


class _Workbook:
    """An open workbook: python-calamine reads its cells, each sheet once, bounded by its cells.

    calamine allocates a sheet as the rectangle from its first cell to its
    last: :func:`_check_extent` refuses a sheet whose rectangle is far larger
    than the cells it holds (one stray cell in column XFD) before calamine
    would allocate gigabytes for it.
    """

    def __init__(self, path: Path) -> None:
        from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

        self.path = path
        try:
            self.book = CalamineWorkbook.from_path(str(path))
            metadata = self.book.sheets_metadata
        except (CalamineError, OSError, ValueError) as error:
            raise ReadError(
                _("{path}: not a readable Excel workbook ({kind}: {error})").format(
                    path=path, kind=type(error).__name__, error=error
                )
            ) from None
        self.sheet_names = [str(s.name) for s in metadata if s.typ == SheetTypeEnum.WorkSheet]
        self._rows: dict[str, list[list[Any]]] = {}
        self._parts: dict[str, str] | None = None

    def __enter__(self) -> _Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.book.close()

    def rows(self, name: str) -> list[list[Any]]:
        """The cells of a sheet, row by row from A1 (empty and error cells as ``""``)."""
        if name not in self._rows:
            if self._parts is None:
                self._parts = _sheet_parts(self.path)
            _check_extent(self.path, self._parts.get(name), name)
            try:
                rows = self.book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception as error:  # noqa: BLE001 - calamine raises its own kinds on corrupt sheets
                raise ReadError(
                    f"{self.path}: sheet {name!r} cannot be read ({type(error).__name__}: {error})"
                ) from None
            self._rows[name] = rows
        return self._rows[name]

    def has_data(self, name: str) -> bool:
        """Whether a sheet holds anything below or beside its first row."""
        return any(_filled(cell) for row in self.rows(name)[1:] for cell in row)


def _filled(cell: Any) -> bool:
    return not (isinstance(cell, str) and not cell.strip())


def _open_workbook(path: Path) -> _Workbook:
    return _Workbook(path)


_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _sheet_parts(path: Path) -> dict[str, str]:
    """The zip member holding each sheet's XML, by sheet name; empty when the workbook does not say."""
    import posixpath

    from defusedxml.ElementTree import fromstring

    def targets(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
        folder, name = posixpath.split(part)
        rels = fromstring(archive.read(posixpath.join(folder, "_rels", name + ".rels")))
        out = {}
        for rel in rels.iter(_RELATIONSHIPS):
            target = rel.get("Target", "")
            out[rel.get("Id", "")] = (
                target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            )
            out["type:" + rel.get("Type", "").rsplit("/", 1)[-1]] = out[rel.get("Id", "")]
        return out

    try:
        with zipfile.ZipFile(path) as archive:
            workbook = targets(archive, "").get("type:officeDocument", "xl/workbook.xml")
            by_id = targets(archive, workbook)
            book = fromstring(archive.read(workbook))
    except Exception:  # noqa: BLE001 - calamine read the workbook; without the map every sheet is checked
        return {}
    return {
        str(sheet.get("name")): by_id.get(sheet.get(_RELATIONSHIP_ID, ""), "")
        for sheet in book.iter()
        if str(sheet.tag).endswith("}sheet")
    }


#: A sheet may span this many cells (empty ones included) whatever it holds: about 160 MB in calamine.
_SPAN_CELLS = 1 << 22
#: ... or this many times the cells and rows it holds.
_SPAN_FACTOR = 8
_CELL_COLUMN = re.compile(rb'r="([A-Z]+)\d')
_LONG_ROW = re.compile(rb'r="[A-Z]*(\d{7,})"')
# Cells and rows whose first attribute is not their reference: cheap to look for, and rare (every
# writer puts r first); only where there are some are they told apart from those without one.
_UNUSUAL_START = re.compile(rb'<(?:c|row)(?:[>/]| (?!r="))')
_NO_REFERENCE = re.compile(rb'<(c|row)(?:>|/>| (?![^>]*\br=")[^>]*>)')


def _xml_chunks(archive: zipfile.ZipFile, member: str) -> Any:
    """A zip member's bytes in 16 MiB chunks, each starting with the last bytes of the one before.

    The overlap lets a pattern cut by a chunk boundary be found whole; it is
    found twice at worst, which neither a maximum nor a set minds.
    """
    with archive.open(member) as stream:
        tail = b""
        while chunk := stream.read(1 << 24):
            data = tail + chunk
            yield data
            tail = data[-64:]


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_extent(path: Path, part: str | None, name: str) -> None:
    """Refuse a sheet whose rectangle of cells is far larger than what it holds, before reading it.

    One stray cell in column XFD of a sheet of 20,000 rows makes a rectangle
    of 327 million cells, 10 GB in calamine.  The sheet's XML says where its
    cells are (``<c r="XFD1">``); a pass over it with a few regular
    expressions (no parsing) bounds the rectangle, rows first by the longest
    row numbers, so that an ordinary sheet costs one pass and no Python
    object per cell.  The ``<dimension>`` a workbook declares is not used:
    calamine ignores it, and it may claim the whole sheet.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # calamine opened it; it reports what is wrong with it
    with archive:
        members = archive.namelist()
        if part not in members:
            # The workbook does not say where the sheet is: every worksheet is checked.
            parts = [m for m in members if re.fullmatch(r"xl/worksheets/[^/]+\.xml", m, re.IGNORECASE)]
        else:
            parts = [part]
        for member in parts:
            _check_part_extent(path, archive, member, name)


def _check_part_extent(path: Path, archive: zipfile.ZipFile, member: str, name: str) -> None:
    letters: set[bytes] = set()
    references = bare_cells = bare_rows = 0
    long_rows: list[bytes] = []
    for data in _xml_chunks(archive, member):
        found = _CELL_COLUMN.findall(data)
        references += len(found)
        letters.update(found)
        long_rows += _LONG_ROW.findall(data)
        if _UNUSUAL_START.search(data):
            for element in _NO_REFERENCE.findall(data):
                if element == b"c":
                    bare_cells += 1
                else:
                    bare_rows += 1
    # A cell without a reference goes after the one before it, a row without one after the last.
    width = max((_column_number(x) for x in letters), default=0) + bare_cells
    cells = references + bare_cells
    budget = max(_SPAN_CELLS, _SPAN_FACTOR * cells)
    if long_rows:
        height = max(map(int, long_rows))
    else:
        height = 0
        for digits in range(6, 0, -1):
            if width * (10**digits - 1) <= budget:
                height = 10**digits - 1
                break
            pattern = re.compile(rb'r="[A-Z]*(\d{%d})"' % digits)
            numbers = [n for data in _xml_chunks(archive, member) for n in pattern.findall(data)]
            if numbers:
                height = max(map(int, numbers))
                break
    height += bare_rows
    if width * height <= budget:
        return
    # Cells without a reference have none to name.
    far = max(letters, key=lambda x: (len(x), x), default=b"") if not bare_cells else b""
    example = None
    for data in _xml_chunks(archive, member):
        match = re.search(rb'r="(' + far + rb'\d+)"', data) if far else None
        if match:
            example = match.group(1).decode()
            break
    corner = f"{_column_letter(max(width, 1) - 1)}{height}"
    where = f"cell {example}" if example else "a cell"
    raise ReadError(
        f"{path}: sheet {name!r} reaches from A1 to {corner} ({width:,} columns by {height:,} rows) "
        f"but holds about {cells:,} cells: {where} lies far outside the table, and reading the whole "
        "rectangle would take gigabytes; delete the cells outside the table (or the empty rows and "
        "columns between them) and save the workbook again",
        [
            {
                "file": f"{path} [{name}]",
                "value": example,
                "problem": f"a cell far outside the table (the sheet spans A1:{corner})",
                "expected": "cells only in and next to the table",
            }
        ],
    )


def _find_sheet(workbook: _Workbook, path: Path, table: str, sheet: str | None) -> str | None:
    names = list(workbook.sheet_names)
    if sheet is not None:
        if sheet not in names:
            raise ReadError(
                _("{path}: no sheet named {sheet!r}; sheets: {names}").format(
                    path=path, sheet=sheet, names=format_choices(names)
                ),
                [
                    {
                        "file": str(path),
                        "value": sheet,
                        "problem": _("no such sheet"),
                        "expected": _("one of {choices}").format(choices=format_choices(names)),
                        "suggestions": ", ".join(closest(sheet, names)) or None,
                    }
                ],
            )
        return sheet
    wanted = {normalize_name(n) for n in SHEET_NAMES[table]}
    for name in names:
        if normalize_name(name) in wanted:
            return name
    return None


def _known_sheets() -> set[str]:
    """Sheets that hold no table by design: the codebook, and a template's instructions and lists."""
    from .template import TEMPLATE_SHEETS

    known = {
        normalize_name(sheets[key])
        for sheets in TEMPLATE_SHEETS.values()
        for key in sheets
        if key not in ("documents", "units")
    }
    return known | {"codebook"}


def _field_headers(framework: Framework | None) -> dict[str, set[str]]:
    """Normalised headers that only a units sheet has, only a documents sheet has, and the doc_id's."""
    from .columns import HEADER_ALIASES, _dimension_aliases

    def aliases(table: str, skip: str) -> set[str]:
        names = {normalize_name(a) for f, spellings in HEADER_ALIASES[table].items() if f != skip for a in spellings}
        names |= {normalize_name(f) for f in HEADER_ALIASES[table] if f != skip}
        if framework is not None:
            names |= set(_dimension_aliases(framework, table))  # type: ignore[arg-type]
        return names

    units, documents = aliases("units", "doc_id"), aliases("documents", "doc_id")
    doc_id = {normalize_name(a) for a in HEADER_ALIASES["documents"]["doc_id"]} | {"docid"}
    return {"units": units - documents, "documents": documents - units, "doc_id": doc_id}


def _sheet_role(header: list[Any], fields: Mapping[str, set[str]]) -> str | None:
    """``"units"`` or ``"documents"`` as the headers of a sheet say, or None when they say neither."""
    names = {normalize_name(_cell_text(cell)) for cell in header if _filled(cell)}
    unit_fields = len(names & fields["units"])
    document_fields = len(names & fields["documents"])
    if unit_fields and unit_fields >= document_fields:
        return "units"
    if document_fields and names & fields["doc_id"] and not unit_fields:
        return "documents"
    return None


def _choose_sheets(
    workbook: _Workbook,
    path: Path,
    framework: Framework | None,
    sheets: Mapping[str, str | None],
    tables: tuple[str, ...] = ("units", "documents"),
    fallback: tuple[str, ...] = ("units",),
) -> tuple[dict[str, str | None], dict[str, str]]:
    """The sheet holding each table: given, named like it, or recognised by its headers.

    A sheet is read as the units or the documents by its name first.  Among
    the other sheets (neither named like a table nor a codebook), the first
    whose headers are a units sheet's is the units, and the first whose
    headers are a documents sheet's (a ``doc_id`` and document fields such as
    ``DA`` or ``title``, no unit fields) is the documents; failing that, the
    tables in ``fallback`` are the first of them not recognised as the other
    table, as before.  Warns (:class:`~policyquant.errors.SheetWarning`) which sheet was read as
    what when headers decided it, and names any other sheet that holds data.
    Returns the sheet of each table (None if there is none) and those that
    their headers chose.
    """
    chosen = {table: _find_sheet(workbook, path, table, sheets.get(table)) for table in tables}
    taken = {normalize_name(n) for table in SHEET_NAMES for n in SHEET_NAMES[table]} | _known_sheets()
    others = [n for n in workbook.sheet_names if normalize_name(n) not in taken and n not in chosen.values()]
    by_headers: dict[str, str] = {}
    if others and any(chosen[table] is None for table in tables):
        fields = _field_headers(framework)
        roles = {n: _sheet_role(workbook.rows(n)[0] if workbook.rows(n) else [], fields) for n in others}
        for table in tables:
            if chosen[table] is None:
                found = next((n for n in others if roles[n] == table and n not in chosen.values()), None)
                if found is None and table in fallback:
                    other = "documents" if table == "units" else "units"
                    found = next((n for n in others if roles[n] != other and n not in chosen.values()), None)
                if found is not None:
                    chosen[table] = by_headers[table] = found
    if chosen.get("units") is None and "units" in tables:
        names = workbook.sheet_names
        raise ReadError(
            _(
                "{path}: no sheet holds the {table}; sheets: {names}. "
                "Name the sheet {sheet!r} (or {other!r}), or pass sheet=..."
            ).format(
                path=path, table=table_name("units"), names=format_choices(names), sheet="units",
                other=SHEET_NAMES["units"][-1],
            )
        )
    notes = []
    if by_headers and len(others) > 1:
        # One sheet besides the named ones is no choice: a one-sheet workbook is the normal case.
        read = " and ".join(f"sheet {name!r} as the {table}" for table, name in by_headers.items())
        named = " and ".join(repr(t) for t in by_headers)
        notes.append(f"read {read}, by their headers (name the sheets {named} to choose them yourself)")
    if tables == ("units", "documents"):
        unread = [
            n
            for n in workbook.sheet_names
            if n not in chosen.values() and normalize_name(n) not in _known_sheets() and workbook.has_data(n)
        ]
        if unread:
            notes.append(
                f"did not read {format_choices([repr(n) for n in unread])}, which "
                f"{'hold' if len(unread) > 1 else 'holds'} data but neither the units nor the documents "
                "(pass sheet={'units': ..., 'documents': ...} to choose)"
            )
    if notes:
        message = f"{path}: " + "; ".join(notes)
        _logger.info(message)
        warnings.warn(message, SheetWarning, stacklevel=4)
    return chosen, by_headers


def _only_other_sheet(workbook: _Workbook, path: Path, table: str) -> str:
    """The sheet to read when none is named like ``table``: recognised by its headers, else the first other."""
    chosen = _choose_sheets(workbook, path, None, {}, (table,), (table,))[0]
    if chosen[table] is None:
        raise ReadError(
            _(
                "{path}: no sheet holds the {table}; sheets: {names}. "
                "Name the sheet {sheet!r} (or {other!r}), or pass sheet=..."
            ).format(
                path=path, table=table_name(table), names=format_choices(workbook.sheet_names), sheet=table,
                other=SHEET_NAMES[table][-1],
            )
        )
    return chosen[table]


def _cell_text(cell: Any) -> str:
    """A cell as the text pandas makes of it (``dtype=str``): 3.0 is "3", a date "2023-01-05 00:00:00"."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return str(cell)
    if isinstance(cell, dt.date):
        return str(dt.datetime(cell.year, cell.month, cell.day))
    return str(cell)


def _id_headers(columns: Mapping[str, str] | None = None) -> frozenset[str]:
    """Normalised headers of id columns: every spelling of unit_id and doc_id, and the user's own."""
    from .columns import HEADER_ALIASES

    names = {
        normalize_name(a)
        for table in HEADER_ALIASES.values()
        for field in ("unit_id", "doc_id")
        for a in (field, *table.get(field, ()))
    }
    names |= {normalize_name(h) for h, field in (columns or {}).items() if field in ("unit_id", "doc_id")}
    return frozenset(names)


def _sheet_column(values: np.ndarray, keep_numbers: bool) -> Any:
    """One column of a sheet as text; in an id column, numbers and true/false stay what they are.

    An id column keeps a number cell as a number (7, not "7") so that the
    corpus reports it: Excel stored a number where an id belongs, and may
    have dropped its leading zeros.  Everywhere else a number is the text
    pandas would make of it.
    """
    kind = pd.api.types.infer_dtype(values, skipna=False)
    if kind in ("string", "empty"):
        return pd.array(values, dtype=_TEXT)
    types = pd.Series(values, dtype=object).map(type).to_numpy()
    out = values.copy()
    numbers = types == float  # noqa: E721 - exactly float, the type calamine gives numbers
    if numbers.any():
        floats = values[numbers].astype(np.float64)
        whole = np.isfinite(floats) & (floats == np.floor(floats)) & (np.abs(floats) < 2**53)
        as_ints = np.where(whole, floats, 0).astype(np.int64)
        if keep_numbers:
            kept = floats.astype(object)
            kept[whole] = as_ints[whole].astype(object)
            out[numbers] = kept
        else:
            text = floats.astype(str).astype(object)
            text[whole] = as_ints[whole].astype(str)
            big = np.isfinite(floats) & (floats == np.floor(floats)) & ~whole
            text[big] = [str(int(v)) for v in floats[big]]
            out[numbers] = text
    booleans = types == bool  # noqa: E721
    if booleans.any() and not keep_numbers:
        out[booleans] = np.where(values[booleans].astype(bool), "True", "False")
    rest = (types != str) & ~numbers & ~booleans  # noqa: E721
    if rest.any():
        out[rest] = [_cell_text(v) for v in values[rest]]
    if keep_numbers and (numbers.any() or booleans.any()):
        return pd.Series(out, dtype=object)
    return pd.array(out, dtype=_TEXT)


#: The text dtype of a sheet as read (the one the corpus stores text in).
_TEXT = pd.StringDtype("pyarrow")


def _read_sheet(
    workbook: _Workbook, path: Path, name: str, ids: frozenset[str] | None = None
) -> pd.DataFrame:
    """A sheet as a table of text, with numbers in id columns kept as numbers (see :func:`_sheet_column`).

    python-calamine reads the cells (formulas as their cached values, error
    cells as empty cells, text such as ``#N/A`` as text) and undoes Excel's
    ``_xHHHH_`` escapes of control characters, ``_x005F_`` included.
    """
    ids = _id_headers() if ids is None else ids
    rows = workbook.rows(name)
    if not rows:
        return pd.DataFrame()
    header = [_cell_text(cell) for cell in rows[0]]
    width = len(header)
    body = np.empty((len(rows) - 1, width), dtype=object)
    if len(rows) > 1 and width:
        body[:] = rows[1:]
    columns = {
        position: _sheet_column(body[:, position], normalize_name(header[position]) in ids)
        for position in range(width)
    }
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(body)))
    frame.columns = header
    return _check_headers(frame, header, path, name)


# Excel's _xHHHH_ escapes of what a sheet is written with: policyquant._excel (_escape_frame).


def _read_json(path: Path, encoding: str | None) -> Any:
    text = _decode(path, encoding)

    def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        # json.loads keeps the last of two equal keys: the first value would vanish silently.
        record: dict[str, Any] = {}
        for key, value in pairs:
            if key in record:
                raise ReadError(
                    f"{path}: the key {key!r} appears twice in one object (values {_short(record[key])} "
                    f"and {_short(value)})",
                    [
                        {
                            "file": str(path),
                            "column": key,
                            "value": _short(value),
                            "problem": "key repeated in one object",
                            "expected": "each key once per record",
                        }
                    ],
                )
            for part in value if isinstance(value, list) else (value,):
                if isinstance(part, str) and _SURROGATE.search(part):
                    raise _surrogate_error(str(path), None, key, part)
            record[key] = value
        return record

    try:
        return json.loads(text, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as error:
        raise ReadError(
            _("{path}: not valid JSON: {error} at line {line}, column {column}").format(
                path=path, error=error.msg, line=error.lineno, column=error.colno
            )
        ) from None
    except RecursionError:
        raise ReadError(
            f"{path}: the JSON is nested too deeply to be a coding table",
            [
                {
                    "file": str(path),
                    "problem": "nested too deeply",
                    "expected": "a list of records, or a corpus object",
                }
            ],
        ) from None


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _json_columns(data: Mapping[str, Any], table: str) -> list[str] | None:
    columns = data.get("columns")
    if isinstance(columns, Mapping) and isinstance(columns.get(table), list):
        return [str(c) for c in columns[table]]
    return None


def _records_frame(records: Any, path: Path, what: str, columns: list[str] | None = None) -> pd.DataFrame:
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ReadError(f"{path}: {what} must be a list of records (objects)")
    if columns is not None:
        # from_records drops keys that the column list lacks; keep them, after the listed ones.
        columns = list(dict.fromkeys([*columns, *(key for record in records for key in record)]))
    frame = pd.DataFrame.from_records(records, columns=columns)
    problems = []
    for column in frame.columns:
        values = frame[column]
        if values.dtype != object:
            continue
        nested = values.map(lambda v: isinstance(v, (dict, list)))
        if not nested.any():
            continue
        for row, value in values[nested.to_numpy(dtype=bool)].items():
            if isinstance(value, list) and not any(isinstance(v, (dict, list)) for v in value):
                # A list of names (objectives, issuers) is one cell holding several names.
                frame.loc[row, column] = "; ".join(str(v) for v in value if v is not None)
                continue
            problems.append(
                {
                    "file": str(path),
                    "row": int(row) + 1,
                    "column": str(column),
                    "value": _short(value),
                    "problem": "a nested object, not a value",
                    "expected": "text, a number, or a list of names",
                }
            )
    if problems:
        raise ValidationError(f"{path}: {len(problems)} cell(s) of the {what} hold nested objects", problems)
    # A number or true/false in an id column stays what it is, for the corpus to report (a JSON
    # number has no leading zeros); elsewhere, and text in id columns, is read as text.
    ids = _id_headers()
    kept = {
        c
        for c in frame.columns
        if normalize_name(str(c)) in ids
        and frame[c].map(lambda v: isinstance(v, (bool, int, float)) and v == v).any()
    }
    return frame.astype({c: "string" for c in frame.columns if frame[c].dtype == object and c not in kept})


def read_table(
    path: str | os.PathLike[str],
    table: str = "units",
    *,
    sheet: str | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Read one table of a coding study from a file, ids and codes as text.

    Parameters
    ----------
    path : str or path-like
        A CSV, Excel, Parquet or JSON file.
    table : {"units", "documents"}
        Which table to read (chooses the sheet of a workbook holding both, or
        the part of a corpus JSON file).
    sheet : str, optional
        The workbook sheet to read.
    encoding : str, optional
        The text encoding of a CSV or JSON file; detected when omitted
        (UTF-8, UTF-8 with BOM, GBK/GB18030).

    Returns
    -------
    pandas.DataFrame
        The table as read, indexed by spreadsheet row number (the header is
        row 1, so the first record is row 2) for CSV and Excel, and by record
        number (from 1) for Parquet and JSON.  A CSV file's rows are numbered
        as a spreadsheet program shows them: blank lines count as rows (and
        hold none, so they are left out), and a record whose quoted cell
        spans several lines is one row, numbered as such.

    Raises
    ------
    ReadError
        If the file is missing, empty, corrupt, of an unknown type or in an
        undecodable encoding, or the sheet does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "units.csv").write_bytes("unit_id,政策工具\\n007,标准规范\\n".encode("gbk"))
    >>> read_table(folder / "units.csv")
        unit_id  政策工具
    2     007  标准规范
    """
    if table not in SHEET_NAMES:
        raise ValidationError(
            f"table must be one of {', '.join(SHEET_NAMES)}, got {table!r}",
            [
                {
                    "column": "table",
                    "value": table,
                    "problem": "unknown table",
                    "expected": "one of " + format_choices(list(SHEET_NAMES)),
                    "suggestions": ", ".join(closest(str(table), list(SHEET_NAMES))) or None,
                }
            ],
        )
    path = Path(path)
    if not path.exists():
        raise ReadError(_("{path}: no such file").format(path=path))
    if path.is_dir():
        raise ReadError(
            _("{path}: is a directory; name the {table} file").format(path=path, table=table_name(table))
        )
    kind = _format_of(path)
    if kind == "csv":
        # Numbered by _read_csv, which alone sees the blank lines and multi-line cells.
        return _read_csv(path, encoding)
    elif kind == "excel":
        frame = _read_excel_table(path, table, sheet)[0]
        start = 2
    elif kind == "parquet":
        try:
            frame = pd.read_parquet(path)
        except ImportError:
            raise ReadError(
                f"{path}: reading Parquet needs pyarrow: pip install 'policyquant[parquet]'"
            ) from None
        except Exception as error:  # noqa: BLE001 - pyarrow raises its own error types
            raise ReadError(
                _("{path}: not a readable Parquet file ({kind}: {error})").format(
                    path=path, kind=type(error).__name__, error=error
                )
            ) from None
        start = 1
    else:
        data = _read_json(path, encoding)
        if isinstance(data, dict):
            if table not in data:
                raise ReadError(
                    f"{path}: the JSON object has no {table!r} member; members: {format_choices(list(data))}"
                )
            frame = _records_frame(data[table], path, table, _json_columns(data, table))
        else:
            frame = _records_frame(data, path, table)
        start = 1
    frame.index = pd.RangeIndex(start, start + len(frame))
    return frame


def _read_excel_table(
    path: Path, table: str, sheet: str | None, ids: frozenset[str] | None = None
) -> tuple[pd.DataFrame, str]:
    """One table of a workbook: its sheet named, named like it, or recognised by its headers; and the sheet."""
    with _open_workbook(path) as workbook:
        name = _find_sheet(workbook, path, table, sheet)
        if name is None:
            name = _only_other_sheet(workbook, path, table)
        return _read_sheet(workbook, path, name, ids), name


def _read_workbook(
    path: Path, sheets: Mapping[str, str | None], framework: Framework, ids: frozenset[str]
) -> dict[str, tuple[pd.DataFrame | None, str]]:
    """Both tables of one workbook, each with the label its problems name it by.

    The label is the table (``units``) when the sheet's name or ``sheet=``
    chose it, and says which sheet was read as the table when its headers did.
    """
    out: dict[str, tuple[pd.DataFrame | None, str]] = {}
    with _open_workbook(path) as workbook:
        chosen, by_headers = _choose_sheets(workbook, path, framework, sheets)
        for table in ("units", "documents"):
            name = chosen[table]
            if name is None:
                out[table] = (None, table)
                continue
            frame = _read_sheet(workbook, path, name, ids)
            frame.index = pd.RangeIndex(2, 2 + len(frame))
            out[table] = (frame, f"sheet {name!r} as {table}" if table in by_headers else table)
    return out


def _find_in_directory(folder: Path, table: str) -> Path | None:
    wanted = {normalize_name(n) for n in SHEET_NAMES[table]}
    suffixes = {s for group in FORMATS.values() for s in group}
    matches = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in suffixes and normalize_name(p.stem) in wanted
    )
    if len(matches) > 1:
        # Picking one would ignore the other without a word: the coder must say which.
        names = [p.name for p in matches]
        raise ReadError(
            f"{folder}: {len(matches)} files could hold the {table}: {', '.join(names)}; "
            f"keep one, or name the {table} file instead of the directory",
            [
                {
                    "file": str(folder / name),
                    "problem": f"one of {len(matches)} {table} files",
                    "expected": f"one {table} file in the directory",
                }
                for name in names
            ],
        )
    return matches[0] if matches else None


def _table_source(
    units: PathOrFrame, documents: PathOrFrame | None
) -> tuple[PathOrFrame, PathOrFrame | None, str | None]:
    """Resolve directories and single workbooks/JSON files holding both tables."""
    if isinstance(units, pd.DataFrame):
        return units, documents, None
    path = Path(units)
    if path.is_dir():
        found_units = _find_in_directory(path, "units")
        if found_units is None:
            raise ReadError(_("{path}: no units file in the directory (expected e.g. units.csv)").format(path=path))
        found_documents = _find_in_directory(path, "documents") if documents is None else documents
        return found_units, found_documents, None
    if documents is None and path.exists() and path.suffix.lower() in FORMATS["excel"] + FORMATS["json"]:
        return path, path, "same"
    return path, documents, None


@with_language
def read_coding(
    units: PathOrFrame,
    documents: PathOrFrame | None = None,
    framework: str | Framework = "wang2026",
    columns: Mapping[str, str] | None = None,
    sheet: str | Mapping[str, str] | None = None,
    encoding: str | None = None,
    levels: Any = None,
    *,
    language: str | None = None,
    chunksize: int | None = None,
) -> Corpus | ChunkedCorpus:
    """Read a coding study's documents and units into a validated :class:`~policyquant.Corpus`.

    Parameters
    ----------
    units : path or pandas.DataFrame
        The units (clauses) table: a file, a workbook or corpus JSON holding
        both tables, a directory with ``units`` and ``documents`` files, or a
        DataFrame.
    documents : path or pandas.DataFrame, optional
        The documents table.  Omit it when ``units`` holds both tables; with
        no documents at all, documents are built from the units' ``doc_id``
        values (without metadata such as ``DA``).
    framework : str or Framework, default "wang2026"
        What to validate against.
    columns : mapping of str to str, optional
        ``{"their header": "field"}`` for headers policyquant does not
        recognise by itself.  English and Chinese headers such as ``政策工具``,
        ``政策目标``, ``发文机构`` and the dimension labels are recognised
        without it.
    sheet : str or mapping, optional
        The units sheet of a workbook, or ``{"units": ..., "documents": ...}``.
    encoding : str, optional
        Encoding of CSV or JSON files; detected when omitted.
    levels : list of str or AdministrativeLevel, optional
        The study's administrative levels, from the top down, instead of the
        framework's: ``["municipal", "county"]`` (or ``["市级", "县级"]``) for
        a city-level study.  See :meth:`~policyquant.Framework.with_levels`.
    language : str, optional
        The language of the problems reported (``"en"``, ``"zh"``, ``"zh-CN"``
        ...).  By default the headers decide: a sheet headed as the Chinese
        template heads it (条款编号, 政策工具, 政策目标 ...) gets its problems in
        Chinese, each ``column`` named by its header in the sheet; anything
        else gets them in English.  The columns of ``error.problems`` keep
        their English names.
    chunksize : int, optional
        Read the units chunk by chunk, this many rows at a time, into a
        :class:`~policyquant.io.chunked.ChunkedCorpus` that the analyses
        accept as they accept a corpus (for corpora larger than memory; see
        :doc:`/how-to/large-corpora`).  ``units`` may then also be a Parquet
        dataset folder, a list of CSV or Parquet files, or a glob pattern
        (``"coding/*.csv"``), which are read in chunks of 1,000,000 rows
        even without ``chunksize``.

    Returns
    -------
    Corpus or ChunkedCorpus
        A :class:`~policyquant.io.chunked.ChunkedCorpus` for chunked reading.

    Raises
    ------
    ReadError
        If a file cannot be read at all.
    ValidationError
        Listing every problem in the files (file, spreadsheet row, column,
        value, what was expected and the closest valid choices); also as a
        DataFrame in ``error.problems``.

    Notes
    -----
    No row is dropped: every row of a file becomes a unit or document of the
    corpus, or the read fails and names it by its spreadsheet row number
    (only lines with nothing at all on them are skipped, as they hold no row;
    they still count in the numbering, as a spreadsheet program counts
    them).  Each successful call logs how many rows it read as one ``INFO``
    record on the ``policyquant.io.tabular`` logger, such as ``read 670 units
    from units.csv and 63 documents from documents.csv``;
    ``logging.basicConfig(level=logging.INFO)`` shows it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import policyquant as pq
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "documents.csv").write_text("文件编号,发文权威\\nP01,部门或省级工作文件\\n", encoding="utf-8")
    >>> _ = (folder / "units.csv").write_text(
    ...     "条款编号,文件编号,政策工具,政策目标,作用范围,措施力度\\n"
    ...     "P01-1-1,P01,标准规范,公共安全与利益；技术安全与创新,3,5\\n", encoding="utf-8")
    >>> corpus = pq.read_coding(folder)
    >>> corpus.units.loc[0, ["instrument", "objectives"]].tolist()
    ['standards_and_norms', ('public_safety', 'tech_innovation')]

    A mistake is reported with its file, row and column:

    >>> _ = (folder / "units.csv").write_text(
    ...     "unit_id,doc_id,instrument,objectives,AS,MI\\nP01-1-1,P01,Subsidy,public safety,4,5\\n")
    >>> pq.read_coding(folder)
    Traceback (most recent call last):
    ...
    policyquant.errors.ValidationError: ...units.csv: 2 problems found:
      - ...units.csv, row 2, column 'instrument', value 'Subsidy': unknown instrument; expected one of ...
      - ...units.csv, row 2, column 'AS', value '4': not a level of AS (Audience scope); expected 5 (...), 3 (...), 1 (...)

    A sheet with the Chinese template's headers gets its problems in Chinese,
    categories named by their Chinese labels:

    >>> _ = (folder / "units.csv").write_text(
    ...     "条款编号,文件编号,政策工具,政策目标,作用范围,措施力度\\n"
    ...     "P01-1-1,P01,标准规范,创新发展,4,5\\n", encoding="utf-8")
    >>> pq.read_coding(folder)
    Traceback (most recent call last):
    ...
    policyquant.errors.ValidationError: ...units.csv：发现 2 个问题：
      - ...units.csv，第2行，列“政策目标”，值“创新发展”：未知的政策目标；应为以下之一：法定权益保护、公共安全与利益、技术安全与创新、应用场景完善；是否指：技术安全与创新？
      - ...units.csv，第2行，列“作用范围”，值“4”：不是作用范围（AS）的评分等级；应为以下之一：5（全部部门、领域或场景）、3（多个部门、领域或场景）、1（单一部门、领域或场景）
    """
    from .chunked import ChunkedCorpus, is_dataset

    if chunksize is not None or is_dataset(units):
        if sheet is not None:
            raise ValidationError("sheet= names a workbook sheet; chunked reading reads CSV and Parquet files")
        return ChunkedCorpus(
            units, documents, framework, columns, encoding, levels, chunksize=chunksize, language=language
        )
    require_read_sources(units, documents)
    framework = get_framework(framework)
    if levels is not None:
        framework = framework.with_levels(levels)
    sheets = dict(sheet) if isinstance(sheet, Mapping) else {"units": sheet} if sheet else {}
    units, documents, same = _table_source(units, documents)
    from .._files import check_complete  # a table cut short is reported, not read as all rows

    check_complete(units, documents)
    frames: dict[str, pd.DataFrame | None] = {}
    sources: dict[str, str | None] = {}
    headers: dict[str, list[str]] = {}
    ids = _id_headers(columns)
    workbook = None
    if same and Path(units).suffix.lower() in FORMATS["excel"]:  # type: ignore[arg-type]
        # Both sheets chosen together: by their names, or by their headers when the names say nothing.
        workbook = _read_workbook(Path(units), sheets, framework, ids)  # type: ignore[arg-type]
    for table, given in (("units", units), ("documents", documents)):
        if given is None:
            frames[table], sources[table] = None, None
            continue
        if isinstance(given, pd.DataFrame):
            frame, sources[table] = given, None
        elif workbook is not None:
            frame, label = workbook[table]
            if frame is None:
                frames[table], sources[table] = None, None
                continue
            sources[table] = f"{given} [{label}]"
        else:
            if same and table == "documents":
                frame = _read_same_file(Path(given), sheets.get("documents"), encoding)
                if frame is None:
                    frames[table], sources[table] = None, None
                    continue
            elif Path(given).suffix.lower() in FORMATS["excel"] and Path(given).is_file():
                frame = _read_excel_table(Path(given), table, sheets.get(table), ids)[0]
                frame.index = pd.RangeIndex(2, 2 + len(frame))
            else:
                frame = read_table(given, table, sheet=sheets.get(table), encoding=encoding)
            # One workbook or JSON file holds both tables: say which one a problem is in.
            sources[table] = f"{given} [{table}]" if same else str(given)
        headers[table] = [str(c) for c in frame.columns]
        frames[table] = standardize_columns(frame, table, framework, columns, sources[table])
    _check_user_columns(columns, frames)
    corpus = _validated_corpus(frames, headers, framework, sources, language)
    built = "the units' doc_id values" if frames["documents"] is None else "a DataFrame"
    _logger.info(
        "read %d units from %s and %d documents from %s",
        len(corpus.units),
        sources["units"] or "a DataFrame",
        len(corpus.documents),
        sources["documents"] or built,
    )
    return corpus


def _sheet_language(
    headers: Mapping[str, list[str]], frames: Mapping[str, pd.DataFrame | None], framework: Framework
) -> str:
    """``"zh"`` when most headers naming a field are Chinese (条款编号, 政策工具 ...) in every sheet, else ``"en"``.

    Examples
    --------
    >>> import policyquant as pq
    >>> wang = pq.get_framework("wang2026")
    >>> sheet = pd.DataFrame(columns=["条款编号", "文件编号", "政策工具", "政策目标", "AS", "备注"])
    >>> _sheet_language({"units": list(sheet.columns)}, {"units": standardize_columns(sheet, "units", wang)}, wang)
    'zh'
    """
    from .._language import has_cjk
    from ..corpus import DOCUMENT_FIELDS, UNIT_FIELDS

    known = {*DOCUMENT_FIELDS, *UNIT_FIELDS}
    if framework.scale is not None:
        known.update(d.key for d in framework.scale.dimensions)
    # Every sheet read must be headed in Chinese, as the Chinese template heads both: a study
    # that mixes a Chinese sheet with an English one keeps the default, English.
    votes = []
    for table, frame in frames.items():
        if frame is None or table not in headers:
            continue
        named = [header for header, field in zip(headers[table], frame.columns, strict=False) if str(field) in known]
        chinese = sum(has_cjk(header) for header in named)
        votes.append(chinese > len(named) - chinese)
    return "zh" if votes and all(votes) else "en"


def _validated_corpus(
    frames: Mapping[str, pd.DataFrame | None],
    headers: Mapping[str, list[str]],
    framework: Framework,
    sources: Mapping[str, str | None],
    language: str | None,
) -> Corpus:
    """The corpus of the read frames, its problems in ``language`` (None: the language of the headers).

    In a language other than English, a problem's ``column`` names the
    column as the coder's sheet heads it (政策目标), not by its field.
    """
    code = language or chosen_language() or _sheet_language(headers, frames, framework)
    with using_language(code) as code:
        if code != "en":
            # "study.xlsx [units]" names the table in the language too: "study.xlsx [条款表]".
            sources = {
                table: source[: -len(f" [{table}]")] + f" [{table_name(table)}]"
                if source is not None and source.endswith(f" [{table}]")
                else source
                for table, source in sources.items()
            }
        try:
            return Corpus(frames["documents"], frames["units"], framework, sources=sources)
        except ValidationError as error:
            if code == "en" or type(error) is not ValidationError:
                raise
            problems = error.problems.copy()
            by_table = {}
            for table, frame in frames.items():
                if frame is not None and table in headers:
                    by_table[table] = {
                        str(field): header
                        for header, field in zip(headers[table], frame.columns, strict=False)
                        if str(field) != header
                    }
            for table, renamed in by_table.items():
                if not renamed:
                    continue
                # A DataFrame has no file name: its problems are told apart by nothing else.
                rows = (
                    problems["file"].isna()
                    if sources.get(table) is None
                    else (problems["file"] == sources[table])
                ).to_numpy(dtype=bool)
                column = problems.loc[rows, "column"]
                mapped = column.map(renamed)
                problems.loc[rows, "column"] = mapped.where(mapped.notna(), column)
            raise ValidationError(error.summary, problems, stopped=error.stopped) from None


def _read_same_file(path: Path, sheet: str | None, encoding: str | None) -> pd.DataFrame | None:
    """The documents table of a workbook or JSON file that holds both tables, if it has one."""
    if path.suffix.lower() in FORMATS["excel"]:
        with _open_workbook(path) as workbook:
            name = _find_sheet(workbook, path, "documents", sheet)
            if name is None:
                return None
            frame = _read_sheet(workbook, path, name)
        frame.index = pd.RangeIndex(2, 2 + len(frame))
        return frame
    data = _read_json(path, encoding)
    if isinstance(data, dict) and "documents" in data:
        frame = _records_frame(data["documents"], path, "documents", _json_columns(data, "documents"))
        frame.index = pd.RangeIndex(1, 1 + len(frame))
        return frame
    return None


def _check_user_columns(columns: Mapping[str, str] | None, frames: Mapping[str, pd.DataFrame | None]) -> None:
    """Reject a ``columns`` entry whose header no sheet has and whose field no sheet supplies."""
    if not columns:
        return
    seen: set[str] = set()
    for frame in frames.values():
        if frame is not None:
            seen.update(str(c) for c in frame.columns)
    unknown = [h for h, field in columns.items() if h not in seen and field not in seen]
    if unknown:
        headers = sorted(seen)
        raise ValidationError(
            _("columns names {count} header(s) that no sheet has").format(count=len(unknown)),
            [
                {
                    "column": h,
                    "problem": _("no such header"),
                    "expected": _("one of {choices}").format(choices=format_choices(headers)),
                    "suggestions": ", ".join(closest(h, headers)) or None,
                }
                for h in unknown
            ],
        )


# Writing -------------------------------------------------------------------------


def _surrogate_error(where: str | None, row: Any, column: str, value: str) -> ValidationError:
    """The problem of a text holding a lone surrogate, which JSON escapes (``\\ud800``) can carry."""
    code = ord(_SURROGATE.search(value).group())
    shown = value.encode("utf-8", "backslashreplace").decode("utf-8")
    located = ", ".join(part for part in (where, None if row is None else f"row {row}", f"column {column!r}") if part)
    return ValidationError(
        f"{located}: the text holds U+{code:04X}, half of a surrogate pair on its own, which is no character",
        [
            {
                "file": where,
                "row": row,
                "column": column,
                "value": shown[:100],
                "problem": f"lone surrogate U+{code:04X}",
                "expected": "text of whole characters: decode the original bytes with their real encoding, "
                "or replace the character (for example with U+FFFD)",
            }
        ],
    )


def _refuse_lone_surrogates(frame: pd.DataFrame, table: str) -> None:
    """Refuse to write a text no file format can hold, naming the row (by id) and column."""
    key = "unit_id" if table == "units" else "doc_id"
    for column in frame.columns:
        values = frame[column]
        if not (pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values.dtype)):
            continue
        if getattr(values.dtype, "storage", None) == "pyarrow":
            continue  # Arrow strings are UTF-8 and cannot hold one.
        texts = [v for v in values.to_numpy(dtype=object) if isinstance(v, str)]
        # One search over the joined texts (C speed); the row is looked for only if one is found.
        if not _SURROGATE.search("\n".join(texts)):
            continue
        found = values.map(lambda v: isinstance(v, str) and _SURROGATE.search(v) is not None, na_action="ignore")
        found = found.fillna(False).to_numpy(dtype=bool)
        if found.any():
            first = int(np.flatnonzero(found)[0])
            ident = frame[key].iloc[first] if key in frame.columns else first
            raise _surrogate_error(f"{table} {key} {ident!r}", None, str(column), values.iloc[first])


def _text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The canonical on-disk form: every value as text, tuples joined with '; '."""
    out = {}
    for column in frame.columns:
        values = frame[column]
        if column in ("objectives", "issuers"):
            out[column] = values.map(lambda parts: "; ".join(parts) if isinstance(parts, tuple) else "")
        elif pd.api.types.is_datetime64_any_dtype(values):
            out[column] = values.dt.strftime("%Y-%m-%d").fillna("")
        else:
            out[column] = values.astype("string").fillna("")
        out[column] = out[column].astype("string")
    return pd.DataFrame(out, index=frame.index)


# What an Excel cell holds, and how text is written into it, is one rule for every workbook
# policyquant writes: policyquant._excel (_check_excel_text, _write_sheet, imported above).


def write_coding(corpus: Corpus, path: str | os.PathLike[str], format: str | None = None) -> list[Path]:
    """Write a corpus in a form :func:`read_coding` reads back unchanged.

    Parameters
    ----------
    corpus : Corpus
    path : str or path-like
        A directory for ``csv`` and ``parquet`` (``documents.*`` and
        ``units.*`` are written into it), a file for ``excel`` (one workbook,
        sheets ``documents``, ``units`` and ``codebook``) and ``json``.
    format : {"csv", "excel", "parquet", "json"}, optional
        Inferred from the suffix of ``path`` when omitted (a path without a
        suffix is a CSV directory).

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    WriteError
        If a file cannot be written (no space left, permission denied, a
        read-only disk, a file where a folder belongs); the file is then as
        it was.

    Notes
    -----
    Each file is written to a hidden temporary file in its folder and
    renamed into place, so a reader (or a second run, a Ctrl-C, a full disk)
    sees the old file or the whole new one, never a part.  A CSV or Parquet
    folder also gets ``policyquant-manifest.json``, recording each table's
    rows, size and SHA-256: :func:`read_coding` then reports a table that is
    shorter than written but starts the same (a copy cut short) instead of
    reading the rows that are left.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import policyquant as pq
    >>> corpus = pq.datasets.load_genai_china()
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in write_coding(corpus, folder / "study.xlsx")]
    ['study.xlsx']
    >>> pq.read_coding(folder / "study.xlsx") == corpus
    True
    """
    require_write_target(corpus, path)
    path = Path(path)
    if format is None:
        format = "csv" if not path.suffix else _format_of(path)
    if format not in FORMATS:
        raise ValidationError(f"format must be one of {', '.join(FORMATS)}, got {format!r}")
    _refuse_lone_surrogates(corpus.documents, "documents")
    # Every clause, those coded "none" included (written back as "none"): nothing is dropped.
    all_units = corpus.all_units()
    _refuse_lone_surrogates(all_units, "units")
    documents, units = _text_frame(corpus.documents), _text_frame(all_units)
    from .._files import atomic_path, in_memory, write_bytes, write_error, write_manifest, write_text

    if format in ("csv", "parquet"):
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise write_error(error, path / "units.csv") from None
        suffix = ".csv" if format == "csv" else ".parquet"
        written = [path / f"documents{suffix}", path / f"units{suffix}"]
        # Forgotten first, so that no reader checks a new table against the old one's record.
        write_manifest(path, forget=[target.name for target in written])
        for frame, target in zip((documents, units), written, strict=True):
            # Each table is written to a temporary file and renamed into place: a reader (or a
            # Ctrl-C, or a full disk) never leaves or sees a table cut short.
            with atomic_path(target) as temporary:
                if format == "csv":
                    # UTF-8 with BOM: Excel then shows Chinese text correctly.  CRLF line
                    # ends make the csv writer quote any cell holding a bare "\r".
                    frame.to_csv(temporary, index=False, encoding="utf-8-sig", lineterminator="\r\n")
                else:
                    frame.to_parquet(temporary, index=False)
        write_manifest(path, {written[0]: len(documents), written[1]: len(units)})
        return written
    if format == "excel":
        codebook = corpus.framework.codebook()
        for frame, sheet in ((documents, "documents"), (units, "units"), (codebook, "codebook")):
            _check_excel_text(frame, sheet, file=str(path))

        # Built in memory: a zip archive that fails half-way on disk (a full disk) would
        # complain again from ZipFile.__del__; the bytes are then written atomically.
        def build(buffer: io.BytesIO) -> None:
            with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
                _write_sheet(writer, "documents", documents)
                _write_sheet(writer, "units", units)
                _write_sheet(writer, "codebook", codebook)

        write_bytes(path, in_memory(build, path))
        return [path]
    payload = {
        "policyquant": 1,
        "framework": corpus.framework.name,
        # The columns, so that an empty table keeps them.
        "columns": {"documents": list(documents.columns), "units": list(units.columns)},
        "documents": documents.replace("", None).to_dict("records"),
        "units": units.replace("", None).to_dict("records"),
    }
    write_text(path, json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return [path]
