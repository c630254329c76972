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
import csv
import io
import itertools
import json
import logging
import mmap
import os
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._text import closest, format_choices, normalize_name
from ..corpus import Corpus
from ..errors import ReadError, ValidationError
from ..model import Framework
from ..plugins import get_framework
from .columns import standardize_columns

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
    raise ReadError(f"{path}: unknown file type {suffix or '(no suffix)'!r}; policyquant reads {known}")


def _decode(path: Path, encoding: str | None) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise ReadError(f"{path}: the file is empty")
    tried = [encoding] if encoding else list(CSV_ENCODINGS)
    if not encoding:
        # A byte-order mark names the encoding for certain: Excel's "Unicode text" is UTF-16.
        for mark, name in _BYTE_ORDER_MARKS:
            if data.startswith(mark):
                tried = [name]
                break
    for name in tried:
        try:
            text = data.decode(name)
        except UnicodeDecodeError as error:
            last = error
            continue
        except LookupError:
            raise ReadError(f"{path}: unknown encoding {name!r}") from None
        _refuse_nul(path, text)
        return text
    # ASCII text in UTF-16 is every other byte NUL: name the likely culprit.
    hint = " (it looks like UTF-16 without a byte-order mark)" if data[:400].count(0) > 20 else ""
    raise ReadError(
        f"{path}: cannot decode the file as {' or '.join(tried)}{hint} "
        f"(byte {last.start}: {data[last.start : last.start + 4]!r}); save it as UTF-8, or give its encoding (encoding=... in Python, --encoding on the command line)"
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
        f"{path}: line {line} holds a NUL byte: this is not a text file in the encoding it was read in "
        "(UTF-16 without a byte-order mark, or a binary file?); save it as UTF-8 CSV",
        [
            {
                "file": str(path),
                "row": line,
                "value": "\\x00",
                "problem": "NUL byte in a text file",
                "expected": "UTF-8 (or GBK) text",
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
    separator = "\t" if path.suffix.lower() == ".tsv" else ","
    fast = _read_utf8_csv(path, encoding, separator)
    source: Path | str = path
    if fast is not None:
        frame, skip = fast
    else:
        text = _decode(path, encoding)
        skip = _leading_blank_lines(text, separator)
        try:
            frame = pd.read_csv(
                io.StringIO(text),
                dtype=str,
                keep_default_na=False,
                sep=separator,
                skip_blank_lines=False,
                skiprows=skip,
            )
        except pd.errors.EmptyDataError:
            raise ReadError(f"{path}: the file has no header row") from None
        except pd.errors.ParserError as error:
            raise _csv_parser_error(path, error) from None
        source = text
    with _records(source) as stream:
        header = next(itertools.islice(csv.reader(stream, delimiter=separator), skip, None), [])
    first_row = skip + 2
    if not isinstance(frame.index, pd.RangeIndex):
        # pandas takes the surplus leading cells of a too-long first row as an index,
        # shifting every cell of that row into the wrong column.
        raise ReadError(
            f"{path}: row {first_row} has more cells than the header has columns ({len(header)})",
            [
                {
                    "file": str(path),
                    "row": first_row,
                    "problem": "more cells than headers",
                    "expected": f"{len(header)} cells, one per header (a stray comma?)",
                }
            ],
        )
    frame.index = pd.RangeIndex(first_row, first_row + len(frame))
    frame = _drop_blank_lines(frame, source, separator, skip)
    return _check_headers(frame, header, path)


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


#: Rows read first to see which columns pandas would take for numbers (see :func:`_read_utf8_csv`).
_SAMPLE_ROWS = 1000


def _read_utf8_csv(path: Path, encoding: str | None, separator: str) -> tuple[pd.DataFrame, int] | None:
    """The fast way to read a UTF-8 CSV file, every cell as text; None where it does not apply.

    ``pandas.read_csv(dtype=str)`` builds every cell as a Python string and is
    three times slower than its own type inference, which keeps text columns
    as text in its native storage.  So only the columns that a sample of rows
    shows as numbers (or booleans) are read with ``dtype=str``: a column that
    holds text in the sample holds text in the whole file.  Reading the file
    by its path (not a decoded copy) also lets pandas parse it in parallel.
    Anything unusual (another encoding, a byte-order mark other than UTF-8's,
    NUL bytes, an empty or malformed file, invalid UTF-8) returns None, and
    the careful path reads the file and reports what is wrong.  Returns the
    table, blank lines included, and the number of blank lines above the header.
    """
    try:
        if encoding is not None and codecs.lookup(encoding).name not in ("utf-8", "utf-8-sig"):
            return None
        with open(path, "rb") as stream:
            head = stream.read(1 << 16)
            if not head.strip() or any(head.startswith(mark) for mark, _ in _BYTE_ORDER_MARKS):
                return None
            skip = _leading_blank_lines(head, separator)
            if skip >= len(head.splitlines()):
                # Nothing but blank lines in the head: the careful path says what is wrong.
                return None
            stream.seek(0)
            with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
                if data.find(b"\x00") >= 0:
                    return None
    except (OSError, ValueError, LookupError):
        return None
    options = {
        "keep_default_na": False,
        "sep": separator,
        "skip_blank_lines": False,
        "skiprows": skip,
        "encoding": "utf-8-sig",
    }
    try:
        sample = pd.read_csv(path, nrows=_SAMPLE_ROWS, **options)
        numbers = {column: str for column in sample.columns if not _is_text_dtype(sample[column].dtype)}
        frame = pd.read_csv(path, dtype=numbers or None, **options)
    except (UnicodeDecodeError, pd.errors.EmptyDataError, pd.errors.ParserError, ValueError):
        return None
    if list(frame.columns) != list(sample.columns) or not all(
        _is_text_dtype(dtype) for dtype in frame.dtypes
    ):
        return None
    return frame, skip


def _is_text_dtype(dtype: Any) -> bool:
    return isinstance(dtype, pd.StringDtype) or pd.api.types.is_object_dtype(dtype)


_FIELD_COUNT = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _csv_parser_error(path: Path, error: Exception) -> ReadError:
    match = _FIELD_COUNT.search(str(error))
    if match is None:
        return ReadError(f"{path}: not a valid CSV file: {error}")
    expected, line, saw = (int(n) for n in match.groups())
    return ReadError(
        f"{path}: row {line} has {saw} cells but the header has {expected} columns",
        [
            {
                "file": str(path),
                "row": line,
                "value": f"{saw} cells",
                "problem": "more cells than headers",
                "expected": f"{expected} cells, one per header (a stray comma, or a quote left open?)",
            }
        ],
    )


def _column_letter(position: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(position + 1)


def _check_headers(
    frame: pd.DataFrame, header: list[Any], path: Path, sheet: str | None = None
) -> pd.DataFrame:
    """Refuse repeated headers and data under a blank header, which pandas would rename silently.

    pandas reads a second ``instrument`` column as ``instrument.1`` and a column
    without a header (the second cell of a merged header, say) as ``Unnamed: 4``;
    their cells would then never be used.  A blank header over an empty column
    (trailing commas) holds nothing and is dropped.
    """
    where = f"{path} [{sheet}]" if sheet else str(path)
    names = ["" if cell is None else str(cell).strip() for cell in header]
    problems = []
    first: dict[str, int] = {}
    empty_columns = []
    if (
        len(frame.columns)
        and not any(names)
        and any(_has_data(frame.iloc[:, i]) for i in range(frame.shape[1]))
    ):
        raise ValidationError(
            f"{where}: row 1 is empty; the headers must be in the first row",
            [
                {
                    "file": where,
                    "row": 1,
                    "problem": "no headers in the first row",
                    "expected": "the headers (unit_id, doc_id, ... or 条款编号, 文件编号, ...) in row 1",
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
                        "row": 1,
                        "column": letter,
                        "problem": "data under a blank header (a merged header cell?)",
                        "expected": "a header for every column that holds data",
                    }
                )
            else:
                empty_columns.append(frame.columns[position])
            continue
        if name in first:
            problems.append(
                {
                    "file": where,
                    "row": 1,
                    "column": letter,
                    "value": name,
                    "problem": "repeated header",
                    "expected": f"one column per header; column {_column_letter(first[name])} is {name!r} already",
                }
            )
        else:
            first[name] = position
    if problems:
        raise ValidationError(f"{where}: the header row has {len(problems)} problem(s)", problems)
    return frame.drop(columns=empty_columns) if empty_columns else frame


def _has_data(values: pd.Series) -> bool:
    text = values.astype("string")
    return bool((text.notna() & (text.str.strip() != "")).any())


def _open_workbook(path: Path) -> pd.ExcelFile:
    try:
        return pd.ExcelFile(path, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ReadError(f"{path}: not a readable Excel workbook ({type(error).__name__}: {error})") from None


def _find_sheet(workbook: pd.ExcelFile, path: Path, table: str, sheet: str | None) -> str | None:
    names = [str(n) for n in workbook.sheet_names]
    if sheet is not None:
        if sheet not in names:
            raise ReadError(
                f"{path}: no sheet named {sheet!r}; sheets: {format_choices(names)}",
                [
                    {
                        "file": str(path),
                        "value": sheet,
                        "problem": "no such sheet",
                        "expected": "one of " + format_choices(names),
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


def _only_other_sheet(workbook: pd.ExcelFile, path: Path, table: str) -> str:
    """The sheet to read when none is named like ``table``: the first not named like the other table."""
    other = "documents" if table == "units" else "units"
    names = [str(n) for n in workbook.sheet_names]
    taken = {normalize_name(n) for n in SHEET_NAMES[other]} | {"codebook"}
    candidates = [n for n in names if normalize_name(n) not in taken]
    if not candidates:
        raise ReadError(
            f"{path}: no sheet holds the {table}; sheets: {format_choices(names)}. "
            f"Name the sheet {table!r} (or {SHEET_NAMES[table][-1]!r}), or pass sheet=..."
        )
    return candidates[0]


def _read_sheet(workbook: pd.ExcelFile, path: Path, name: str) -> pd.DataFrame:
    # keep_default_na=False: a text cell reading "#N/A" or "NULL" is the coder's text, not a gap.
    try:
        frame = pd.read_excel(workbook, sheet_name=name, dtype=str, keep_default_na=False)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on corrupt sheets
        raise ReadError(f"{path}: sheet {name!r} cannot be read ({type(error).__name__}: {error})") from None
    try:
        header = next(workbook.book[name].iter_rows(min_row=1, max_row=1, values_only=True), ())
    except Exception:  # noqa: BLE001 - the sheet was read; only the header check is lost
        header = tuple(frame.columns)
    header = [_excel_unescape(cell) if isinstance(cell, str) else cell for cell in header]
    frame = _unescape_frame(frame)
    return _check_headers(frame, header, path, name)


# Excel (OOXML) writes a character XML would not keep, such as a carriage return, as
# "_xHHHH_", and the "_" of a literal "_xHHHH_" as "_x005F_"; openpyxl does neither.  A "_"
# before "xHHHH" and a carriage return is escaped too: the return's own escape starts with "_".
_EXCEL_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_EXCEL_TO_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}[_\r])|\r")


def _excel_unescape_match(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    # Half a surrogate pair is no character: keep the text as written.
    return match.group() if 0xD800 <= code <= 0xDFFF else chr(code)


def _excel_unescape(text: str) -> str:
    return _EXCEL_ESCAPED.sub(_excel_unescape_match, text) if "_x" in text else text


def _excel_escape_match(match: re.Match[str]) -> str:
    return "_x000D_" if match.group() == "\r" else "_x005F_"


def _unescape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo Excel's ``_xHHHH_`` escapes in the cells and headers of a sheet as read."""
    out = frame.copy()
    for position, column in enumerate(frame.columns):
        values = frame[column]
        if not _is_text_dtype(values.dtype):
            continue
        text = values.astype("string")
        if text.str.contains("_x", regex=False, na=False).any():
            unescaped = text.str.replace(_EXCEL_ESCAPED, _excel_unescape_match, regex=True)
            out.isetitem(position, unescaped.astype(values.dtype))
    names = [_excel_unescape(c) if isinstance(c, str) else c for c in frame.columns]
    return out.set_axis(names, axis=1)


def _escape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Escape carriage returns (and text that reads like an escape) as Excel does; see _unescape_frame."""
    out = frame.copy()
    for position, column in enumerate(frame.columns):
        values = frame[column].astype("string")
        if values.str.contains(_EXCEL_TO_ESCAPE, regex=True, na=False).any():
            out.isetitem(position, values.str.replace(_EXCEL_TO_ESCAPE, _excel_escape_match, regex=True))
    names = [_EXCEL_TO_ESCAPE.sub(_excel_escape_match, str(c)) for c in frame.columns]
    return out.set_axis(names, axis=1)


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
            record[key] = value
        return record

    try:
        return json.loads(text, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as error:
        raise ReadError(
            f"{path}: not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
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
    return frame.astype({c: "string" for c in frame.columns if frame[c].dtype == object})


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
        raise ReadError(f"{path}: no such file")
    if path.is_dir():
        raise ReadError(f"{path}: is a directory; name the {table} file")
    kind = _format_of(path)
    if kind == "csv":
        # Numbered by _read_csv, which alone sees the blank lines and multi-line cells.
        return _read_csv(path, encoding)
    elif kind == "excel":
        with _open_workbook(path) as workbook:
            name = _find_sheet(workbook, path, table, sheet)
            if name is None:
                name = _only_other_sheet(workbook, path, table)
            frame = _read_sheet(workbook, path, name)
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
                f"{path}: not a readable Parquet file ({type(error).__name__}: {error})"
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
            raise ReadError(f"{path}: no units file in the directory (expected e.g. units.csv)")
        found_documents = _find_in_directory(path, "documents") if documents is None else documents
        return found_units, found_documents, None
    if documents is None and path.exists() and path.suffix.lower() in FORMATS["excel"] + FORMATS["json"]:
        return path, path, "same"
    return path, documents, None


def read_coding(
    units: PathOrFrame,
    documents: PathOrFrame | None = None,
    framework: str | Framework = "wang2026",
    columns: Mapping[str, str] | None = None,
    sheet: str | Mapping[str, str] | None = None,
    encoding: str | None = None,
) -> Corpus:
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

    Returns
    -------
    Corpus

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
    """
    framework = get_framework(framework)
    sheets = dict(sheet) if isinstance(sheet, Mapping) else {"units": sheet} if sheet else {}
    units, documents, same = _table_source(units, documents)
    frames: dict[str, pd.DataFrame | None] = {}
    sources: dict[str, str | None] = {}
    for table, given in (("units", units), ("documents", documents)):
        if given is None:
            frames[table], sources[table] = None, None
            continue
        if isinstance(given, pd.DataFrame):
            frame, sources[table] = given, None
        else:
            if same and table == "documents":
                frame = _read_same_file(Path(given), sheets.get("documents"), encoding)
                if frame is None:
                    frames[table], sources[table] = None, None
                    continue
            else:
                frame = read_table(given, table, sheet=sheets.get(table), encoding=encoding)
            # One workbook or JSON file holds both tables: say which one a problem is in.
            sources[table] = f"{given} [{table}]" if same else str(given)
        frames[table] = standardize_columns(frame, table, framework, columns, sources[table])
    _check_user_columns(columns, frames)
    corpus = Corpus(frames["documents"], frames["units"], framework, sources=sources)
    built = "the units' doc_id values" if frames["documents"] is None else "a DataFrame"
    _logger.info(
        "read %d units from %s and %d documents from %s",
        len(corpus.units),
        sources["units"] or "a DataFrame",
        len(corpus.documents),
        sources["documents"] or built,
    )
    return corpus


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
            f"columns names {len(unknown)} header(s) that no sheet has",
            [
                {
                    "column": h,
                    "problem": "no such header",
                    "expected": "one of " + format_choices(headers),
                    "suggestions": ", ".join(closest(h, headers)) or None,
                }
                for h in unknown
            ],
        )


# Writing -------------------------------------------------------------------------


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


#: The most characters an Excel cell holds.
_EXCEL_CELL_LIMIT = 32_767


def _excel_text_problems(
    frame: pd.DataFrame, sheet: str, instead: str = "; or write CSV, Parquet or JSON instead"
) -> list[dict[str, Any]]:
    """Text that an Excel cell cannot hold (control characters, too long), located by row and column.

    ``frame`` holds text columns (``str`` or missing values) on spreadsheet
    rows from 2; ``instead`` ends the ``expected`` of each problem.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    problems = []
    for column in frame.columns:
        values = frame[column]
        lengths = values.str.len().fillna(0).to_numpy()
        for position in np.flatnonzero(lengths > _EXCEL_CELL_LIMIT)[:20]:
            problems.append(
                {
                    "file": f"sheet {sheet}",
                    "row": int(position) + 2,
                    "column": column,
                    "value": values.iloc[position][:40],
                    "problem": f"{lengths[position]:,} characters, more than an Excel cell holds",
                    "expected": f"at most {_EXCEL_CELL_LIMIT:,} characters{instead}",
                }
            )
        bad = values.str.contains(ILLEGAL_CHARACTERS_RE.pattern, regex=True, na=False)
        for position, value in zip(
            np.flatnonzero(bad.to_numpy(dtype=bool))[:20], values[bad.to_numpy(dtype=bool)], strict=False
        ):
            char = ILLEGAL_CHARACTERS_RE.search(value).group()
            problems.append(
                {
                    "file": f"sheet {sheet}",
                    "row": int(position) + 2,
                    "column": column,
                    "value": value[:40],
                    "problem": f"control character U+{ord(char):04X}, which an Excel cell cannot hold",
                    "expected": f"text without control characters{instead}",
                }
            )
    return problems


def _check_excel_text(frame: pd.DataFrame, sheet: str) -> None:
    """Refuse text that an Excel cell cannot hold, naming where it is."""
    problems = _excel_text_problems(frame, sheet)
    if problems:
        raise ValidationError(f"cannot write the {sheet} sheet to Excel", problems)


def _write_sheet(writer: pd.ExcelWriter, name: str, frame: pd.DataFrame) -> None:
    """Write a text frame to a sheet so that :func:`_read_sheet` reads back every character."""
    escaped = _escape_frame(frame)
    # Excel's limit of 32,767 characters a cell (checked by _check_excel_text) counts characters,
    # not their escapes; openpyxl would cut an escaped text that is longer, so it is set after.
    lengths = escaped.apply(lambda column: column.astype("string").str.len().fillna(0))
    long = (lengths > _EXCEL_CELL_LIMIT).to_numpy(dtype=bool)
    escaped.mask(long, "").to_excel(writer, sheet_name=name, index=False)
    sheet = writer.sheets[name]
    _keep_as_text(sheet, escaped)
    for row, position in zip(*np.nonzero(long), strict=True):
        cell = sheet.cell(row=int(row) + 2, column=int(position) + 1)
        cell._value = str(escaped.iloc[row, position])
        cell.data_type = "s"


def _keep_as_text(sheet: Any, frame: pd.DataFrame) -> None:
    """Store text that openpyxl would take for a formula or an error code as text.

    openpyxl writes text starting with ``=`` as a formula and text equal to an
    error code (``#N/A``, ``#REF!``, ...) as an error cell; both would read
    back as empty cells, and a title such as ``=HYPERLINK(...)`` in a coding
    sheet is a spreadsheet-injection risk.
    """
    from openpyxl.cell.cell import ERROR_CODES

    for position, column in enumerate(frame.columns, start=1):
        values = frame[column]
        if not (pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values.dtype)):
            continue
        text = values.astype("string")
        literal = text.str.startswith("=").fillna(False) | text.isin(ERROR_CODES).fillna(False)
        for row in np.flatnonzero(literal.to_numpy(dtype=bool)):
            sheet.cell(row=int(row) + 2, column=position).data_type = "s"


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
    path = Path(path)
    if format is None:
        format = "csv" if not path.suffix else _format_of(path)
    if format not in FORMATS:
        raise ValidationError(f"format must be one of {', '.join(FORMATS)}, got {format!r}")
    documents, units = _text_frame(corpus.documents), _text_frame(corpus.units)
    if format in ("excel", "json"):
        path.parent.mkdir(parents=True, exist_ok=True)
    if format in ("csv", "parquet"):
        path.mkdir(parents=True, exist_ok=True)
        suffix = ".csv" if format == "csv" else ".parquet"
        written = [path / f"documents{suffix}", path / f"units{suffix}"]
        for frame, target in zip((documents, units), written, strict=True):
            if format == "csv":
                # UTF-8 with BOM: Excel then shows Chinese text correctly.  CRLF line
                # ends make the csv writer quote any cell holding a bare "\r".
                frame.to_csv(target, index=False, encoding="utf-8-sig", lineterminator="\r\n")
            else:
                frame.to_parquet(target, index=False)
        return written
    if format == "excel":
        _check_excel_text(documents, "documents")
        _check_excel_text(units, "units")
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            _write_sheet(writer, "documents", documents)
            _write_sheet(writer, "units", units)
            corpus.framework.codebook().to_excel(writer, sheet_name="codebook", index=False)
        return [path]
    payload = {
        "policyquant": 1,
        "framework": corpus.framework.name,
        # The columns, so that an empty table keeps them.
        "columns": {"documents": list(documents.columns), "units": list(units.columns)},
        "documents": documents.replace("", None).to_dict("records"),
        "units": units.replace("", None).to_dict("records"),
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return [path]
