"""One rule for what an Excel cell holds, and one way to write text into it, for every XLSX writer.

Every workbook policyquant writes (:func:`policyquant.write_coding` and
:meth:`Corpus.to_excel <policyquant.Corpus.to_excel>`,
:meth:`TableResult.to_excel <policyquant.results.TableResult.to_excel>` and so
:func:`policyquant.export.export` and ``policyquant codebook --format xlsx``,
:func:`policyquant.io.write_coding_template`) goes through this module:

* :func:`_excel_text_problems` / :func:`_cell_problems`: text a cell cannot hold
  (more than :data:`_EXCEL_CELL_LIMIT` characters, C0 control characters other
  than tab and line breaks, U+FFFE, U+FFFF, half a surrogate pair) is refused
  before anything is written, every such cell named by sheet, row, column,
  cell reference and the row's label.  openpyxl would cut a long text to
  32,767 characters without a word; nothing is ever cut here.
* :func:`_escape_text` / :func:`_escape_frame`: text is stored with Excel's
  ``_xHHHH_`` escapes (a carriage return, a literal ``_x000D_``, text of
  nothing but blanks), so that a reader that undoes them (Excel, calamine)
  reads back every character.
* :func:`_put_text` / :func:`_keep_as_text`: text is stored as text, never as a
  formula (``=SUM(A1)``) or an error cell (``#N/A``), which would read back
  empty and, for a formula, run in the reader's spreadsheet.
* :func:`_display_width`: a column's width as Excel counts it.

The workbook itself is saved atomically by :mod:`policyquant._files`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .errors import ValidationError

#: The most characters an Excel cell holds.
_EXCEL_CELL_LIMIT = 32_767

# An Excel cell is XML text: C0 control characters other than tab and line breaks, U+FFFE, U+FFFF
# and surrogates are no XML characters (openpyxl writes the last three, and Excel, openpyxl and
# calamine then cannot read the sheet, or read it otherwise).
_XML_NONCHARACTERS = "[\ufffe\uffff]"
_CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f]"
_EXCEL_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Half of a UTF-16 surrogate pair on its own: no character, and no UTF-8 file or XML can hold it.
_SURROGATE = re.compile("[\ud800-\udfff]")

#: What ends the ``expected`` of a problem, by default.
_INSTEAD = "; or write CSV, Parquet or JSON instead"


def _has_surrogate(value: Any) -> bool:
    return isinstance(value, str) and _SURROGATE.search(value) is not None


def _column_letters(number: int) -> str:
    """``1`` -> ``A``, ``27`` -> ``AA``: the letters of a 1-based column number."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _as_text(values: pd.Series) -> pd.Series:
    """The text of ``values`` (other values missing), in a dtype the ``.str`` accessor takes."""
    if isinstance(values.dtype, pd.StringDtype):
        return values
    values = pd.Series(values.to_numpy(dtype=object), index=values.index, dtype=object)
    is_text = values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    return values.where(is_text, None)


def _cell_problems(
    values: pd.Series,
    *,
    sheet: str,
    column: Any,
    number: int | np.ndarray,
    rows: int | np.ndarray,
    naming: Callable[[int], str] | None = None,
    file: str | None = None,
    instead: str = _INSTEAD,
) -> list[dict[str, Any]]:
    """Every cell of one sheet column whose text an Excel cell cannot hold.

    Parameters
    ----------
    values : pandas.Series
        The values written to the cells, in order; only text is looked at.
    sheet : str
        The sheet's name.
    column : object or list
        The column's name in the problems (its header); a list names each value's.
    number : int or numpy.ndarray
        The column's 1-based number in the sheet (for the cell reference), or each value's.
    rows : int or numpy.ndarray
        The 1-based sheet row of each value (or of all of them).
    naming : callable, optional
        Position of a value -> how its row is named, e.g. ``", in unit P01-1-2"``.
    file : str, optional
        The workbook's path, named before the sheet.
    instead : str
        Ends the ``expected`` of each problem.

    Returns
    -------
    list of dict
        One problem per cell (two for a cell too long and holding a character
        no cell can hold), with ``file``, ``row``, ``column``, ``value``,
        ``problem`` and ``expected``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> values = pd.Series(["fine", "a" * 40_000, "bell\\x07"])
    >>> problems = _cell_problems(values, sheet="Sheet1", column="text", number=2, rows=np.array([2, 3, 4]))
    >>> [(p["row"], p["problem"]) for p in problems]  # doctest: +NORMALIZE_WHITESPACE
    [(3, '40,000 characters, more than an Excel cell holds (cell B3)'),
     (4, 'control character U+0007, which an Excel cell cannot hold (cell B4)')]
    """
    text = _as_text(values)
    if not text.notna().any():
        return []
    where = f"{file}, sheet {sheet}" if file else f"sheet {sheet}"
    rows = np.broadcast_to(rows, len(text))
    numbers = np.broadcast_to(number, len(text))

    def located(position: int, value: str, problem: str, expected: str) -> dict[str, Any]:
        named = naming(position) if naming is not None else ""
        row = int(rows[position])
        return {
            "file": where,
            "row": row,
            "column": column[position] if isinstance(column, list) else column,
            "value": value[:40],
            "problem": f"{problem} (cell {_column_letters(int(numbers[position]))}{row}{named})",
            "expected": f"{expected}{instead}",
        }

    problems = []
    lengths = text.str.len().fillna(0).to_numpy()
    for position in np.flatnonzero(lengths > _EXCEL_CELL_LIMIT):
        value = text.iloc[position]
        problems.append(
            located(
                int(position),
                value,
                f"{int(lengths[position]):,} characters, more than an Excel cell holds",
                f"at most {_EXCEL_CELL_LIMIT:,} characters",
            )
        )
    arrow = isinstance(text.dtype, pd.StringDtype) and text.dtype.storage == "pyarrow"
    # Half a surrogate pair cannot reach Arrow-backed text (UTF-8) at all, and Arrow's regular
    # expressions take no surrogate in a pattern: Python strings alone are searched for one.
    pattern = f"{_CONTROL}|{_XML_NONCHARACTERS}" if arrow else _EXCEL_ILLEGAL.pattern
    bad = text.str.contains(pattern, regex=True, na=False).to_numpy(dtype=bool)
    for position in np.flatnonzero(bad):
        value = text.iloc[position]
        char = _EXCEL_ILLEGAL.search(value).group()
        if ord(char) < 0x20:
            what, without = f"control character U+{ord(char):04X}", "control characters"
        elif 0xD800 <= ord(char) <= 0xDFFF:
            what, without = f"U+{ord(char):04X}, half a surrogate pair (no character)", "it"
        else:
            what, without = f"U+{ord(char):04X}, a noncharacter", "it"
        problems.append(
            located(
                int(position), value, f"{what}, which an Excel cell cannot hold", f"text without {without}"
            )
        )
    problems.sort(key=lambda problem: problem["row"])
    return problems


def _naming(frame: pd.DataFrame) -> Callable[[int], str]:
    """How a row of a coding table is named: ``", in unit P01-1-1"`` by its id, when it has one."""

    def name(position: int) -> str:
        for column, what in (("unit_id", "unit"), ("doc_id", "document")):
            if column in frame.columns:
                value = frame[column].iloc[position]
                if isinstance(value, str) and value:
                    return f", in {what} {value[:40]}"
        return ""

    return name


def _excel_text_problems(
    frame: pd.DataFrame,
    sheet: str,
    instead: str = _INSTEAD,
    *,
    file: str | None = None,
    positions: Mapping[Any, int] | None = None,
) -> list[dict[str, Any]]:
    """Text that an Excel cell cannot hold (control characters, too long), located by row and column.

    ``frame`` is written with its header on row 1 and its rows from row 2,
    each column at its 1-based number in ``positions`` (by default its place
    in ``frame``); ``instead`` ends the ``expected`` of each problem.  A row
    is named by its ``unit_id`` (or ``doc_id``) when the table has one.

    Examples
    --------
    >>> units = pd.DataFrame({"unit_id": ["P01-1-1", "P01-1-2"], "text": ["fine", "x\\ufffe"]})
    >>> [(p["file"], p["row"], p["column"]) for p in _excel_text_problems(units, "units")]
    [('sheet units', 3, 'text')]
    >>> _excel_text_problems(units, "units")[0]["problem"]
    'U+FFFE, a noncharacter, which an Excel cell cannot hold (cell B3, in unit P01-1-2)'
    """
    rows = np.arange(2, len(frame) + 2)
    naming = _naming(frame)
    problems = []
    for place, column in enumerate(frame.columns, start=1):
        number = positions.get(column, place) if positions is not None else place
        problems += _cell_problems(
            frame[column],
            sheet=sheet,
            column=column,
            number=number,
            rows=rows,
            naming=naming,
            file=file,
            instead=instead,
        )
    return problems


def _check_excel_text(frame: pd.DataFrame, sheet: str, *, file: str | None = None) -> None:
    """Refuse text that an Excel cell cannot hold, naming every cell where it is.

    Examples
    --------
    >>> _check_excel_text(pd.DataFrame({"text": ["x" * 40_000]}), "units")
    Traceback (most recent call last):
    ...
    policyquant.errors.ValidationError: cannot write the units sheet to Excel:
      - sheet units, row 2, column 'text', value 'xxx...': 40,000 characters, more than an Excel cell holds (cell A2); ...
    """
    problems = _excel_text_problems(frame, sheet, file=file)
    if problems:
        prefix = f"{file}: " if file else ""
        raise ValidationError(f"{prefix}cannot write the {sheet} sheet to Excel", problems)


# -- Text as Excel stores it ----------------------------------------------------------------------

# Excel (OOXML) writes a character XML would not keep, such as a carriage return, as
# "_xHHHH_", and the "_" of a literal "_xHHHH_" as "_x005F_"; openpyxl does neither.  A "_"
# before "xHHHH" and a carriage return is escaped too: the return's own escape starts with "_".
# calamine undoes the escapes of U+0000 to U+00FF (and "_x005F_") when it reads a sheet.
_EXCEL_TO_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}[_\r])|\r")


def _excel_escape_match(match: re.Match[str]) -> str:
    return "_x000D_" if match.group() == "\r" else "_x005F_"


# A text of nothing but spaces, tabs and line breaks is dropped by calamine (XML parsers may
# drop such text); its first character is escaped ("_x0020_"), as Excel may write it.
_XML_BLANK = re.compile(r"^[ \t\n](?=[ \t\n]*$)")


def _excel_blank_match(match: re.Match[str]) -> str:
    return f"_x{ord(match.group()):04X}_"


def _escape_text(text: str) -> str:
    """``text`` as an Excel cell stores it, so that a reader undoing the escapes gets it back.

    Examples
    --------
    >>> _escape_text("a\\rb"), _escape_text("_x0041_"), _escape_text(" "), _escape_text("plain")
    ('a_x000D_b', '_x005F_x0041_', '_x0020_', 'plain')
    """
    return _XML_BLANK.sub(_excel_blank_match, _EXCEL_TO_ESCAPE.sub(_excel_escape_match, text))


def _escape_values(values: pd.Series) -> pd.Series:
    """The text of a column escaped (:func:`_escape_text`); other values as they are."""
    if isinstance(values.dtype, pd.StringDtype):
        text = values
    elif pd.api.types.is_object_dtype(values.dtype):
        text = _as_text(values)
    else:
        return values
    if not text.notna().any():
        return values
    changed = False
    if text.str.contains(_EXCEL_TO_ESCAPE, regex=True, na=False).any():
        text = text.str.replace(_EXCEL_TO_ESCAPE, _excel_escape_match, regex=True)
        changed = True
    if text.str.contains(_XML_BLANK, regex=True, na=False).any():
        text = text.str.replace(_XML_BLANK, _excel_blank_match, regex=True)
        changed = True
    if not changed:
        return values
    if text is values or isinstance(values.dtype, pd.StringDtype):
        return text
    return values.where(text.isna(), text)


def _escape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Escape carriage returns (and text that reads like an escape) as Excel does, for ``_read_sheet``.

    Text columns are escaped, other columns kept; so are the column names.

    Examples
    --------
    >>> _escape_frame(pd.DataFrame({"a\\rb": ["x\\ry", " "], "n": [1, 2]})).to_dict("list")
    {'a_x000D_b': ['x_x000D_y', '_x0020_'], 'n': [1, 2]}
    """
    out = frame.copy()
    for position in range(frame.shape[1]):
        values = frame.iloc[:, position]
        escaped = _escape_values(values)
        if escaped is not values:
            out.isetitem(position, escaped)
    names = [_escape_text(str(c)) for c in frame.columns]
    return out.set_axis(names, axis=1)


def _put_text(cell: Any, text: str) -> Any:
    """Store ``text`` in an openpyxl cell, escaped and as text; refuse text no cell can hold.

    Set directly: openpyxl's own setter cuts text to 32,767 characters (an
    escaped text may be longer than the text it stands for), takes text
    starting with ``=`` for a formula and text equal to an error code for an
    error cell.  Writers check their cells first (:func:`_cell_problems`),
    to report them all at once; this last check names the one cell.

    Examples
    --------
    >>> import openpyxl
    >>> sheet = openpyxl.Workbook().active
    >>> cells = [_put_text(sheet.cell(1, n), text) for n, text in enumerate(["=SUM(A1)", "#N/A", "a\\rb"], 1)]
    >>> [(cell.value, cell.data_type) for cell in cells]
    [('=SUM(A1)', 's'), ('#N/A', 's'), ('a_x000D_b', 's')]
    >>> _put_text(sheet["B7"], "x" * 40_000)
    Traceback (most recent call last):
    ...
    policyquant.errors.ValidationError: cannot write cell B7 of sheet Sheet to Excel:
      - sheet Sheet, row 7, column 'B', value 'xxx...': 40,000 characters, more than an Excel cell holds (cell B7); ...
    """
    if len(text) > _EXCEL_CELL_LIMIT or _EXCEL_ILLEGAL.search(text):
        sheet = cell.parent.title
        letters = _column_letters(cell.column)
        problems = _cell_problems(
            pd.Series([text], dtype=object),
            sheet=sheet,
            column=letters,
            number=cell.column,
            rows=np.array([cell.row]),
            instead="",
        )
        raise ValidationError(f"cannot write cell {letters}{cell.row} of sheet {sheet} to Excel", problems)
    cell._value = _escape_text(text)
    cell.data_type = "s"
    return cell


def _keep_as_text(sheet: Any, frame: pd.DataFrame) -> None:
    """Store text that openpyxl would take for a formula or an error code as text.

    openpyxl writes text starting with ``=`` as a formula and text equal to an
    error code (``#N/A``, ``#REF!``, ...) as an error cell; both would read
    back as empty cells, and a title such as ``=HYPERLINK(...)`` in a coding
    sheet is a spreadsheet-injection risk.  ``frame`` was written with its
    header on row 1 and its rows from row 2.
    """
    from openpyxl.cell.cell import ERROR_CODES

    for position, column in enumerate(frame.columns, start=1):
        values = frame[column]
        if not (pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values.dtype)):
            continue
        text = _as_text(values)
        if not text.notna().any():
            continue
        literal = text.str.startswith("=").fillna(False) | text.isin(ERROR_CODES).fillna(False)
        for row in np.flatnonzero(literal.to_numpy(dtype=bool)):
            sheet.cell(row=int(row) + 2, column=position).data_type = "s"


def _write_sheet(writer: pd.ExcelWriter, name: str, frame: pd.DataFrame) -> None:
    """Write a frame (checked by :func:`_check_excel_text`) to a sheet so that every text reads back whole.

    Text is escaped (:func:`_escape_frame`) and stored as text
    (:func:`_keep_as_text`); other values are written as pandas writes them.
    """
    escaped = _escape_frame(frame)
    # Excel's limit of 32,767 characters a cell (checked by _check_excel_text) counts characters,
    # not their escapes; openpyxl would cut an escaped text that is longer, so it is set after.
    lengths = np.zeros(escaped.shape, dtype=np.int64)
    for position in range(escaped.shape[1]):
        text = _as_text(escaped.iloc[:, position])
        if text.notna().any():
            lengths[:, position] = text.str.len().fillna(0).to_numpy(dtype=np.int64)
    long = lengths > _EXCEL_CELL_LIMIT
    escaped.mask(long, "").to_excel(writer, sheet_name=name, index=False)
    sheet = writer.sheets[name]
    _keep_as_text(sheet, escaped)
    for row, position in zip(*np.nonzero(long), strict=True):
        cell = sheet.cell(row=int(row) + 2, column=int(position) + 1)
        cell._value = str(escaped.iloc[row, position])
        cell.data_type = "s"


# -- Column widths ---------------------------------------------------------------------------------

_WIDE = frozenset({"W", "F"})


def _display_width(text: Any) -> int:
    """Width in Excel character units: CJK and other wide characters count twice.

    Examples
    --------
    >>> _display_width("abc"), _display_width("标准规范"), _display_width(3.5)
    (3, 8, 3)
    """
    return sum(2 if unicodedata.east_asian_width(c) in _WIDE else 1 for c in str(text))
