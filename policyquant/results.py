"""Result objects: tables that render in Jupyter and export to papers.

Every analysis that returns more than a plain DataFrame returns a subclass of
:class:`TableResult`.  A result knows how to lay itself out as a DataFrame
(:meth:`TableResult.to_frame`) and, from that, renders as HTML in Jupyter and
exports to CSV, Excel (XLSX), Markdown, LaTeX (booktabs), HTML and Word through one
interface: :meth:`TableResult.save` picks the format from the file's suffix.
:func:`policyquant.export.export` does the same for plain DataFrames and for
figures.
"""

from __future__ import annotations

import abc
import html
import inspect
import math
import numbers
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._excel import _cell_problems, _column_letters, _display_width, _put_text
from ._text import closest
from .errors import ValidationError

__all__ = ["AnalysisTable", "FrameResult", "TableResult", "flatten_columns", "in_language"]

#: Table formats by canonical name, with the other names and suffixes that select them.
_TABLE_FORMATS: dict[str, tuple[str, ...]] = {
    "csv": ("csv",),
    "xlsx": ("xlsx", "excel"),
    "md": ("md", "markdown"),
    "tex": ("tex", "latex"),
    "html": ("html", "htm"),
    "docx": ("docx", "word"),
}

#: Characters an Excel sheet name cannot hold, and its longest length.
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_LENGTH = 31

#: The largest magnitude of an Excel number.
_EXCEL_LARGEST = 9.99999999999999e307


def flatten_columns(frame: pd.DataFrame, separator: str = " ") -> pd.DataFrame:
    """Join the levels of MultiIndex columns (and a MultiIndex index) into single labels.

    Examples
    --------
    >>> frame = pd.DataFrame([[1, 2]], columns=pd.MultiIndex.from_tuples([("a", "n"), ("a", "%")]))
    >>> list(flatten_columns(frame).columns)
    ['a n', 'a %']
    """
    frame = frame.copy()
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [separator.join(str(p) for p in c if str(p)) for c in frame.columns]
    if isinstance(frame.index, pd.MultiIndex):
        frame.index = [separator.join(str(p) for p in i if str(p)) for i in frame.index]
    return frame


# -- Formats and files ------------------------------------------------------------------


def _format_names(formats: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    return {alias: name for name, aliases in formats.items() for alias in aliases}


def _resolve_format(path: Path, format: str | None, formats: Mapping[str, tuple[str, ...]]) -> str | None:
    """The canonical format named by ``format`` or by the suffix of ``path``; None if not one of ``formats``.

    Raises a ValidationError when neither names a format at all.
    """
    names = _format_names(formats)
    if format is not None:
        if not isinstance(format, str):
            raise ValidationError(
                f"format must be a string such as {next(iter(formats))!r}, got {type(format).__name__}"
            )
        key = format.lower().lstrip(".")
    else:
        key = path.suffix.lower().lstrip(".")
        if not key:
            raise ValidationError(
                f"{path}: cannot tell which format to write: the name has no suffix",
                [
                    {
                        "file": str(path),
                        "problem": "no suffix",
                        "expected": f"a suffix such as {', '.join('.' + f for f in formats)}, or format=",
                    }
                ],
            )
    return names.get(key)


def _unknown_format(
    path: Path, format: str | None, formats: Mapping[str, tuple[str, ...]], what: str
) -> ValidationError:
    value = (format if format is not None else path.suffix).lower().lstrip(".")
    choices = list(formats)
    suggestions = closest(value, list(_format_names(formats)))
    canonical = list(dict.fromkeys(_format_names(formats)[s] for s in suggestions))
    return ValidationError(
        f"{path}: cannot write {what} as {value!r}",
        [
            {
                "file": str(path),
                "column": "format" if format is not None else "suffix",
                "value": value,
                "problem": f"not a format {what} can be written in",
                "expected": ", ".join(choices),
                "suggestions": ", ".join(canonical) or None,
            }
        ],
    )


def _write_file(path: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(temporary)`` and rename the file into place at ``path`` (folders created).

    The file appears whole or not at all; an OS error becomes a
    :class:`~policyquant.errors.WriteError` naming ``path``, left as it was.
    """
    from ._files import atomic_path

    with atomic_path(path, what="the file") as temporary:
        write(temporary)
    return path


def _save_workbook(workbook: Any, path: Path) -> Path:
    """Save an openpyxl workbook to ``path`` atomically.

    Built in memory first: a zip archive that fails half-way on disk (a full
    disk) complains a second time from ``ZipFile.__del__``.
    """
    from ._files import in_memory, write_bytes

    return write_bytes(path, in_memory(workbook.save, path, what="the file"), what="the file")


# -- Cell formatting ---------------------------------------------------------------------


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def _is_float(value: object) -> bool:
    return isinstance(value, float | np.floating) and not isinstance(value, bool)


def _cell_text(value: object, digits: int) -> str:
    """How a cell reads in a text export: floats with ``digits`` places, missing values empty."""
    if _is_missing(value):
        return ""
    if _is_float(value):
        return f"{value:.{digits}f}"
    return str(value)


def _text_frame(frame: pd.DataFrame, digits: int) -> pd.DataFrame:
    """Every cell of ``frame`` as text, column by column."""
    return pd.DataFrame(
        {i: frame.iloc[:, i].map(lambda v: _cell_text(v, digits)) for i in range(frame.shape[1])},
        index=frame.index,
    )


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool | np.bool_)


def _numeric_columns(frame: pd.DataFrame) -> list[bool]:
    """Which columns hold numbers (and are right-aligned): numeric dtypes, or object columns of numbers only."""
    numeric = []
    for i in range(frame.shape[1]):
        values = frame.iloc[:, i]
        if pd.api.types.is_bool_dtype(values.dtype):
            numeric.append(False)
        elif values.dtype == object:
            present = [v for v in values.tolist() if not _is_missing(v)]
            numeric.append(bool(present) and all(_is_number(v) for v in present))
        else:
            numeric.append(pd.api.types.is_numeric_dtype(values.dtype))
    return numeric


def _header_spans(columns: pd.Index) -> list[list[tuple[object, int, int]]]:
    """Per header row, the runs of columns sharing a label: ``(label, first, span)``.

    A run never crosses a boundary of a higher level, so that ``("a", "n")``
    and ``("b", "n")`` stay two cells.
    """
    tuples = list(columns) if isinstance(columns, pd.MultiIndex) else [(c,) for c in columns]
    levels = columns.nlevels
    rows = []
    for level in range(levels):
        runs: list[tuple[object, int, int]] = []
        for position, key in enumerate(tuples):
            prefix = key[: level + 1]
            if runs and level < levels - 1 and tuples[runs[-1][1]][: level + 1] == prefix:
                label, first, span = runs[-1]
                runs[-1] = (label, first, span + 1)
            else:
                runs.append((key[level], position, 1))
        rows.append(runs)
    return rows


def _label_text(label: object) -> str:
    return "" if _is_missing(label) else str(label)


def _index_levels(frame: pd.DataFrame) -> list[list[object]]:
    """The index as one list of labels per level."""
    index = frame.index
    return [list(index.get_level_values(level)) for level in range(index.nlevels)]


def _index_names(frame: pd.DataFrame) -> list[str]:
    return ["" if name is None else str(name) for name in frame.index.names]


def _excel_value(value: object) -> object:
    """A cell value openpyxl stores natively: numbers as numbers, text as text."""
    if _is_missing(value):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        # Excel has no infinity; the text keeps the value visible rather than dropping it.
        return number if math.isfinite(number) else str(number)
    if isinstance(value, pd.Timestamp):
        return value.isoformat() if value.tzinfo is not None else value.to_pydatetime()
    if isinstance(value, datetime):
        return value.isoformat() if value.tzinfo is not None else value
    if isinstance(value, date | str):
        return value
    return str(value)


def _stored_values(values: pd.Series) -> pd.Series:
    """The values of a column as :func:`_excel_value` stores them (text stays text)."""
    if isinstance(values.dtype, pd.StringDtype):
        return values
    return pd.Series([_excel_value(v) for v in values.tolist()], index=values.index, dtype=object)


def _column_name(column: object) -> object:
    """A column label as problems name it: the levels of a MultiIndex label joined."""
    return " ".join(str(p) for p in column if str(p)) if isinstance(column, tuple) else column


def _put_value(cell: Any, value: object) -> Any:
    """Store a value in an openpyxl cell as :func:`_excel_value` has it; text through policyquant._excel.

    Text is escaped as Excel escapes it and stored as text, never as a formula
    (``=SUM(A1)``) or an error cell (``#N/A``), and never cut.
    """
    stored = _excel_value(value)
    if isinstance(stored, str):
        return _put_text(cell, stored)
    cell.value = stored
    return cell


def _check_excel_frame(frame: pd.DataFrame, path: Path, sheet_name: str, index: bool = True) -> None:
    """Report every label or cell an XLSX sheet cannot hold, all at once, each by its cell.

    The cells are located as :meth:`TableResult.to_excel` lays the table out:
    one header row per column level, the index levels (when written) in the
    first columns.  Text is held to the rule of :mod:`policyquant._excel`:
    nothing is cut, a text longer than a cell holds is refused.
    """
    problems: list[dict[str, Any]] = []
    sheet = str(sheet_name)
    common: dict[str, Any] = {"sheet": sheet, "file": str(path), "instead": "; or export to CSV instead"}
    levels = _index_levels(frame) if index else []
    offset = len(levels)
    spans = _header_spans(frame.columns)
    first_row = len(spans) + 1
    rows = np.arange(first_row, first_row + len(frame))
    labels = [" / ".join(_label_text(label) for label in key) for key in zip(*_index_levels(frame), strict=True)]

    def naming(position: int) -> str:
        return f", row {labels[position]!r}"

    def header(position: int) -> str:
        return ", in the header"

    for row, runs in enumerate(spans, start=1):
        values = pd.Series([_excel_value(label) for label, _, _ in runs], dtype=object)
        numbers = np.array([offset + first + 1 for _, first, _ in runs], dtype=np.int64)
        names = [_column_name(frame.columns[first]) for _, first, _ in runs]
        problems += _cell_problems(values, column=names, number=numbers, rows=row, naming=header, **common)
    if levels:
        names = pd.Series(_index_names(frame), dtype=object)
        problems += _cell_problems(
            names, column="index", number=np.arange(1, offset + 1), rows=len(spans), naming=header, **common
        )
    for level, values in enumerate(levels):
        name = _index_names(frame)[level] or "index"
        stored = pd.Series([_excel_value(label) for label in values], dtype=object)
        problems += _cell_problems(stored, column=name, number=level + 1, rows=rows, naming=naming, **common)
    for position, column in enumerate(frame.columns):
        values = frame.iloc[:, position]
        number = offset + position + 1
        if pd.api.types.is_float_dtype(values.dtype):
            magnitude = np.abs(values.to_numpy(dtype=np.float64, na_value=np.nan))
            for at in np.flatnonzero(np.isfinite(magnitude) & (magnitude > _EXCEL_LARGEST)):
                problems.append(
                    {
                        "file": f"{path}, sheet {sheet}",
                        "row": int(rows[at]),
                        "column": _column_name(column),
                        "value": values.iloc[at],
                        "problem": "beyond the largest number an Excel cell holds "
                        f"(cell {_column_letters(number)}{int(rows[at])}{naming(int(at))})",
                        "expected": f"a number of at most {_EXCEL_LARGEST:g} in magnitude; or export to CSV",
                    }
                )
        elif not (
            pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_datetime64_any_dtype(values.dtype)
        ):
            problems += _cell_problems(
                _stored_values(values), column=_column_name(column), number=number, rows=rows, naming=naming, **common
            )
    if not isinstance(sheet_name, str) or not sheet_name.strip():
        problems.append(
            {"file": str(path), "column": "sheet_name", "value": sheet_name, "problem": "empty sheet name"}
        )
    elif len(sheet_name) > _SHEET_NAME_LENGTH or _SHEET_NAME_FORBIDDEN.search(sheet_name):
        problems.append(
            {
                "file": str(path),
                "column": "sheet_name",
                "value": sheet_name,
                "problem": "not a valid Excel sheet name",
                "expected": f"at most {_SHEET_NAME_LENGTH} characters, none of [ ] : * ? / \\",
            }
        )
    if problems:
        raise ValidationError(f"{path}: cannot write the table to Excel", problems)


class TableResult(abc.ABC):
    """Base class of table-shaped results.

    Subclasses implement :meth:`to_frame`; rendering and exports follow from it:
    :meth:`to_csv`, :meth:`to_excel`, :meth:`to_markdown`, :meth:`to_latex`,
    :meth:`to_html`, and :meth:`save`, which picks one of them from a file's
    suffix.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> from policyquant.results import FrameResult
    >>> result = FrameResult(pd.DataFrame({"count": [3, 4], "mean": [1.5, 2.25]}, index=["a", "b"]))
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> [result.save(folder / name).name for name in ("t.csv", "t.xlsx", "t.md", "t.tex", "t.html")]
    ['t.csv', 't.xlsx', 't.md', 't.tex', 't.html']
    """

    #: Decimal places used for floats in text exports.
    decimals: int = 2

    @abc.abstractmethod
    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """The result laid out as a DataFrame; with ``language``, labelled for a reader in it."""

    def _frame(self, language: str | None = None) -> pd.DataFrame:
        """:meth:`to_frame`, labelled in ``language`` when one is given."""
        if language is None:
            return self.to_frame()
        return self.to_frame(language=language)  # type: ignore[call-arg]

    def _export_frame(self, language: str | None = None) -> pd.DataFrame:
        """The frame that text exports show; flat labels by default."""
        return flatten_columns(self._frame(language))

    def _digits(self, decimals: int | None) -> int:
        digits = self.decimals if decimals is None else decimals
        if isinstance(digits, bool) or not isinstance(digits, numbers.Integral) or digits < 0:
            raise ValidationError(f"decimals must be a whole number of 0 or more, got {digits!r}")
        return int(digits)

    def to_markdown(self, decimals: int | None = None, *, language: str | None = None) -> str:
        """The table as GitHub-flavoured Markdown (via ``tabulate``).

        Integers stay integers; floats show ``decimals`` places; a ``|`` in a
        label or cell is escaped so that it cannot split a column.

        Parameters
        ----------
        decimals : int, optional
            Decimal places for floats; defaults to :attr:`decimals`.
        language : str, optional
            Label rows, columns and headers in this language
            (``to_frame(language=...)``); by default the table as computed.

        Examples
        --------
        >>> import pandas as pd
        >>> from policyquant.results import FrameResult
        >>> print(FrameResult(pd.DataFrame({"a|b": [0.5]}, index=["x"])).to_markdown(decimals=1))
        |    |   a\\|b |
        |----|--------|
        | x  |    0.5 |
        """
        from tabulate import tabulate

        digits = self._digits(decimals)
        frame = self._export_frame(language)
        pipe = lambda text: str(text).replace("|", "\\|")  # noqa: E731
        text = _text_frame(frame, digits).map(pipe)
        numeric = _numeric_columns(frame)
        align = ["left"] + ["right" if n else "left" for n in numeric]
        headers = [pipe(frame.index.name or "")] + [pipe(c) for c in frame.columns]
        rows = [[pipe(label), *row] for label, row in zip(text.index, text.to_numpy().tolist(), strict=True)]
        return tabulate(rows, headers=headers, tablefmt="github", disable_numparse=True, colalign=align)

    def to_latex(
        self,
        decimals: int | None = None,
        caption: str | None = None,
        label: str | None = None,
        *,
        escape: bool = True,
        language: str | None = None,
    ) -> str:
        """The table as a LaTeX ``tabular`` with booktabs rules.

        Needs ``\\usepackage{booktabs}`` in the preamble, and
        ``\\usepackage{multirow}`` for a table whose rows are grouped (a
        MultiIndex index, such as the crosstab's instrument families); for
        Chinese labels, a CJK setup such as ``\\usepackage{xeCJK}`` under
        XeLaTeX.  Column groups of MultiIndex columns span their columns with
        ``\\multicolumn``.

        Parameters
        ----------
        decimals : int, optional
            Decimal places for floats; defaults to :attr:`decimals`.
        caption, label : str, optional
            Wrap the tabular in a ``table`` environment with this
            caption and label.  Both are written as given (LaTeX markup such
            as ``$\\chi^2$`` works).
        escape : bool, default True
            Escape LaTeX's special characters (``& % $ # _ { } ~ ^ \\``) in
            labels and cells.
        language : str, optional
            Label rows, columns and headers in this language
            (``to_frame(language=...)``); by default the table as computed.

        Examples
        --------
        >>> import pandas as pd
        >>> from policyquant.results import FrameResult
        >>> frame = pd.DataFrame({"share_%": [12.345]}, index=["R&D"])
        >>> print(FrameResult(frame).to_latex())
        \\begin{tabular}{lr}
        \\toprule
         & share\\_\\% \\\\
        \\midrule
        R\\&D & 12.35 \\\\
        \\bottomrule
        \\end{tabular}
        <BLANKLINE>
        """
        digits = self._digits(decimals)
        styler = self._frame(language).style.format(precision=digits, na_rep="", escape="latex" if escape else None)
        if escape:
            styler = styler.format_index(escape="latex", axis=0).format_index(escape="latex", axis=1)
        environment = "table" if caption or label else None
        return styler.to_latex(
            hrules=True,
            caption=caption,
            label=label,
            multicol_align="c",
            environment=environment,
        )

    def to_html(
        self,
        decimals: int | None = None,
        caption: str | None = None,
        *,
        index: bool = True,
        language: str | None = None,
    ) -> str:
        """The table as a self-contained HTML ``<table>`` fragment.

        Every label and cell is escaped; there are no stylesheets, scripts or
        other external resources, only inline right-alignment of numbers, so the
        fragment pastes into any page, or opens in Word or LibreOffice as a
        table.  Column groups span their columns (``colspan``); groups of a
        MultiIndex index span their rows (``rowspan``).

        Parameters
        ----------
        decimals : int, optional
            Decimal places for floats; defaults to :attr:`decimals`.
        caption : str, optional
            A ``<caption>`` (escaped).
        index : bool, default True
            Include the row labels.
        language : str, optional
            Label rows, columns and headers in this language
            (``to_frame(language=...)``); by default the table as computed.

        Examples
        --------
        >>> import pandas as pd
        >>> from policyquant.results import FrameResult
        >>> print(FrameResult(pd.DataFrame({"n": [3], "x<y": [0.5]}, index=["a&b"])).to_html(caption="表 1"))
        <table>
        <caption>表 1</caption>
        <thead>
        <tr><th></th><th>n</th><th>x&lt;y</th></tr>
        </thead>
        <tbody>
        <tr><th scope="row">a&amp;b</th><td style="text-align: right">3</td><td style="text-align: right">0.50</td></tr>
        </tbody>
        </table>
        """
        digits = self._digits(decimals)
        frame = self._frame(language)
        text = _text_frame(frame, digits)
        numeric = _numeric_columns(frame)
        levels = _index_levels(frame) if index else []
        lines = ["<table>"]
        if caption is not None:
            lines.append(f"<caption>{html.escape(str(caption))}</caption>")
        lines.append("<thead>")
        spans = _header_spans(frame.columns)
        for row, runs in enumerate(spans):
            cells = []
            if levels:
                if row < len(spans) - 1:
                    span = f' colspan="{len(levels)}"' if len(levels) > 1 else ""
                    cells.append(f"<th{span}></th>")
                else:
                    cells.extend(f"<th>{html.escape(name)}</th>" for name in _index_names(frame))
            for label, _, width in runs:
                span = f' colspan="{width}" scope="colgroup"' if width > 1 else ""
                cells.append(f"<th{span}>{html.escape(_label_text(label))}</th>")
            lines.append("<tr>" + "".join(cells) + "</tr>")
        lines.append("</thead>")
        lines.append("<tbody>")
        # Rows an outer index label spans: it is written once, on the first of them.
        rowspans = [_row_runs(levels[: level + 1]) for level in range(len(levels) - 1)]
        values = text.to_numpy().tolist()
        for position, row_values in enumerate(values):
            cells = []
            for level, labels in enumerate(levels):
                if level < len(levels) - 1:
                    run = rowspans[level].get(position)
                    if run is None:
                        continue
                    span = f' rowspan="{run}"' if run > 1 else ""
                else:
                    span = ""
                label = _label_text(labels[position])
                cells.append(f'<th scope="row"{span}>{html.escape(label)}</th>')
            for value, is_number in zip(row_values, numeric, strict=True):
                style = ' style="text-align: right"' if is_number else ""
                cells.append(f"<td{style}>{html.escape(value)}</td>")
            lines.append("<tr>" + "".join(cells) + "</tr>")
        lines.append("</tbody>")
        lines.append("</table>")
        return "\n".join(lines)

    def to_docx(
        self,
        path: str | PathLike[str],
        *,
        caption: str | None = None,
        notes: str | list[str] | tuple[str, ...] | None = None,
        decimals: int | None = None,
        index: bool = True,
        font: str = "Times New Roman",
        east_asian_font: str = "SimSun",
        font_size: float = 10.5,
        landscape: bool | None = None,
        language: str | None = None,
    ) -> Path:
        """Write the table to a Word document as a three-line table (三线表).

        The layout journals ask for: a thick rule (1.5 pt) above and below
        the table, a thin rule (0.75 pt) under the header, no vertical lines
        and no other rules; the caption above the table, the notes below it.
        Numbers are right-aligned with ``decimals`` places, so that their
        decimal points line up; text is left-aligned.  MultiIndex columns
        become one header row per level, a group's label merged across its
        columns (Table 4's objectives over their count and share); the
        levels of the index become the first columns, an outer label written
        on the first row of its group.  Header rows repeat on each page of a
        long table.  The file is written whole or not at all.

        Needs python-docx: ``pip install 'policyquant[docx]'``.

        Parameters
        ----------
        path : str or path-like
            The ``.docx`` file; folders on the way are created.
        caption : str, optional
            The caption, written as given above the table (``"Table 4.
            Policy instruments by objective"``, ``"表4 政策工具与政策目标"``).
        notes : str or sequence of str, optional
            Notes below the table, one paragraph each (``"Note: ..."``,
            ``"注：..."``).
        decimals : int, optional
            Decimal places for floats; defaults to :attr:`decimals`.
        index : bool, default True
            Write the row labels.
        font : str, default "Times New Roman"
            The font of Latin letters and digits (Word's ``w:ascii`` and
            ``w:hAnsi``).
        east_asian_font : str, default "SimSun"
            The font of Chinese characters (Word's ``w:eastAsia``): SimSun is
            宋体; ``"SimHei"`` (黑体) or ``"KaiTi"`` (楷体) as a journal asks.
        font_size : float, default 10.5
            In points (10.5 is 五号); notes are 1.5 points smaller.
        landscape : bool, optional
            Lay the page (A4) out landscape (True) or portrait (False); by
            default landscape only for a table too wide for a portrait page
            even with its text wrapped.  Columns fit their contents; numbers
            never wrap.
        language : str, optional
            Label rows, columns and headers in this language
            (``to_frame(language=...)``); by default the table as computed.

        Returns
        -------
        pathlib.Path
            The file written.

        Raises
        ------
        ValidationError
            When python-docx is not installed (naming the extra to install),
            for a bad font or size, for text a Word document cannot hold (a
            control character other than tab and line break), each such cell
            named, or for a file that cannot be written.

        Examples
        --------
        >>> import tempfile, pathlib, docx
        >>> import pandas as pd
        >>> from policyquant.results import FrameResult
        >>> frame = pd.DataFrame({"count": [28, 3], "share": [19.714, 8.59]}, index=pd.Index(["标准规范", "组织保障"], name="工具"))
        >>> path = FrameResult(frame).to_docx(pathlib.Path(tempfile.mkdtemp()) / "表4.docx", caption="表4 政策工具", notes="注：示例。")
        >>> document = docx.Document(path)
        >>> [paragraph.text for paragraph in document.paragraphs]
        ['表4 政策工具', '注：示例。']
        >>> [[cell.text for cell in row.cells] for row in document.tables[0].rows]
        [['工具', 'count', 'share'], ['标准规范', '28', '19.71'], ['组织保障', '3', '8.59']]
        """
        from ._docx import write_table

        return write_table(
            self._frame(language),
            Path(path),
            digits=self._digits(decimals),
            caption=caption,
            notes=notes,
            index=index,
            font=font,
            east_asian_font=east_asian_font,
            font_size=font_size,
            landscape=landscape,
        )

    def to_csv(
        self,
        path: str | PathLike[str] | None = None,
        *,
        decimals: int | None = None,
        language: str | None = None,
        **kwargs: object,
    ) -> str | None:
        """Write :meth:`to_frame` as CSV (UTF-8 with BOM so that Excel shows Chinese), or return it.

        Numbers are written in full precision (not rounded to :attr:`decimals`),
        so that the file reads back to the same values, unless ``decimals`` is
        given.

        Parameters
        ----------
        path : str or path-like, optional
            The file; without it the CSV text is returned.
        decimals : int, optional
            Round floats to this many decimal places.
        language : str, optional
            Label rows, columns and headers in this language
            (``to_frame(language=...)``); by default the table as computed.
        **kwargs
            Passed to :meth:`pandas.DataFrame.to_csv`.

        Examples
        --------
        >>> import pandas as pd
        >>> from policyquant.results import FrameResult
        >>> result = FrameResult(pd.DataFrame({"mean": [1.25]}, index=pd.Index(["a"], name="group")))
        >>> print(result.to_csv(), end="")
        group,mean
        a,1.25
        >>> print(result.to_csv(decimals=1), end="")
        group,mean
        a,1.2
        """
        frame = self._frame(language)
        if decimals is not None:
            kwargs["float_format"] = f"%.{self._digits(decimals)}f"
        if path is None:
            return frame.to_csv(**kwargs)
        kwargs.setdefault("encoding", "utf-8-sig")
        if not isinstance(path, str | PathLike):
            frame.to_csv(path, **kwargs)  # an open file or buffer: the caller's to manage
            return None
        from ._files import atomic_path

        # Appending (mode="a") starts from a copy of the file, so that it too is all or nothing.
        with atomic_path(path, what="the file", keep="a" in str(kwargs.get("mode", "w"))) as temporary:
            frame.to_csv(temporary, **kwargs)
        return None

    def to_excel(
        self,
        path: str | PathLike[str],
        decimals: int | None = None,
        sheet_name: str = "Sheet1",
        *,
        index: bool = True,
        merge_headers: bool = True,
        mode: str = "w",
        language: str | None = None,
    ) -> Path:
        """Write the table to an Excel workbook (XLSX) with openpyxl.

        The header is bold and frozen; numbers are stored as numbers (floats
        shown with ``decimals`` places but stored with 16 significant digits,
        one more than Excel keeps), text as text, missing values and empty
        text as empty cells.  MultiIndex columns become one
        header row per level, with a group's label merged across its columns;
        each level of the index becomes a column, named in the last header row.

        Parameters
        ----------
        path : str or path-like
            The ``.xlsx`` file.
        decimals : int, optional
            Decimal places floats are shown with; defaults to :attr:`decimals`.
        sheet_name : str, default "Sheet1"
            At most 31 characters, none of ``[ ] : * ? / \\``.
        index : bool, default True
            Write the row labels.
        merge_headers : bool, default True
            Lay MultiIndex columns out as merged header rows; with False, one
            header row of joined labels (:func:`flatten_columns`).
        mode : {"w", "a"}, default "w"
            ``"w"`` writes a new workbook; ``"a"`` adds the sheet to an
            existing workbook (replacing a sheet of the same name), so that a
            paper's tables can share one file.
        language : str, optional
            Label rows, columns and headers in this language
            (``to_frame(language=...)``); by default the table as computed.

        Returns
        -------
        pathlib.Path
            The file written.

        Raises
        ------
        ValidationError
            For a cell or label an Excel cell cannot hold (more than 32,767
            characters, a control character, U+FFFE, U+FFFF, half a surrogate
            pair), every such cell named by sheet, row, column, cell reference
            and row label, before anything is written (nothing is ever cut);
            a bad sheet name or ``mode``; or a file that cannot be written.

        Notes
        -----
        Text is stored as text: ``=SUM(A1)`` is not a formula and ``#N/A`` no
        error cell.  Carriage returns and text that reads like one of Excel's
        ``_xHHHH_`` escapes are escaped as Excel escapes them, so that Excel,
        pandas and calamine read back every character.  The rule is the one of
        every workbook policyquant writes (``policyquant._excel``).

        Examples
        --------
        >>> import tempfile, pathlib, openpyxl
        >>> import pandas as pd
        >>> from policyquant.results import FrameResult
        >>> frame = pd.DataFrame({"count": [3], "mean": [1.5]}, index=pd.Index(["标准规范"], name="instrument"))
        >>> path = FrameResult(frame).to_excel(pathlib.Path(tempfile.mkdtemp()) / "table.xlsx")
        >>> sheet = openpyxl.load_workbook(path)["Sheet1"]
        >>> [[cell.value for cell in row] for row in sheet.iter_rows()]
        [['instrument', 'count', 'mean'], ['标准规范', 3, 1.5]]
        >>> sheet["C2"].number_format, sheet["A1"].font.bold
        ('0.00', True)
        """
        import openpyxl
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        path = Path(path)
        digits = self._digits(decimals)
        if mode not in ("w", "a"):
            raise ValidationError(f"mode must be 'w' (new workbook) or 'a' (add a sheet), got {mode!r}")
        frame = self._frame(language)
        if not merge_headers:
            frame = frame.copy()
            if isinstance(frame.columns, pd.MultiIndex):
                frame.columns = flatten_columns(frame.iloc[:0]).columns
        _check_excel_frame(frame, path, sheet_name, index=index)

        if mode == "a" and path.exists():
            try:
                workbook = openpyxl.load_workbook(path)
            except Exception as error:  # noqa: BLE001 - any failure means "not a workbook"
                from .errors import ReadError

                raise ReadError(
                    f"{path}: not a readable Excel workbook to add a sheet to ({error})"
                ) from None
            position = None
            if sheet_name in workbook.sheetnames:
                position = workbook.sheetnames.index(sheet_name)
                del workbook[sheet_name]
            sheet = workbook.create_sheet(sheet_name, position)
        else:
            workbook = openpyxl.Workbook()
            sheet = workbook.active
            sheet.title = sheet_name

        levels = _index_levels(frame) if index else []
        offset = len(levels)
        spans = _header_spans(frame.columns)
        bold = Font(bold=True)
        centre = Alignment(horizontal="center", vertical="center")
        widths = [0] * (offset + frame.shape[1])
        for row, runs in enumerate(spans, start=1):
            if row == len(spans):
                for column, name in enumerate(_index_names(frame) if levels else [], start=1):
                    _put_value(sheet.cell(row, column), name or None).font = bold
                    widths[column - 1] = max(widths[column - 1], _display_width(name))
            for label, first, width in runs:
                cell = _put_value(sheet.cell(row, offset + first + 1), None if _label_text(label) == "" else label)
                cell.font = bold
                if width > 1:
                    sheet.merge_cells(
                        start_row=row,
                        start_column=offset + first + 1,
                        end_row=row,
                        end_column=offset + first + width,
                    )
                    cell.alignment = centre
                else:
                    widths[offset + first] = max(widths[offset + first], _display_width(_label_text(label)))
        float_format = "0" if digits == 0 else "0." + "0" * digits
        first_row = len(spans) + 1
        for column, labels in enumerate(levels, start=1):
            for row, label in enumerate(labels, start=first_row):
                _put_value(sheet.cell(row, column), label).font = bold
                widths[column - 1] = max(widths[column - 1], _display_width(_cell_text(label, digits)))
        for position in range(frame.shape[1]):
            column = offset + position + 1
            for row, value in enumerate(frame.iloc[:, position].tolist(), start=first_row):
                cell = _put_value(sheet.cell(row, column), value)
                if isinstance(cell.value, float):
                    cell.number_format = float_format
                widths[column - 1] = max(widths[column - 1], _display_width(_cell_text(value, digits)))
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 6), 60)
        sheet.freeze_panes = sheet.cell(first_row, offset + 1)
        return _save_workbook(workbook, path)

    def save(self, path: str | PathLike[str], format: str | None = None, **options: Any) -> Path:
        """Write the table to a file in the format its suffix names.

        ============================  =======================================
        suffix (or ``format``)        written by
        ============================  =======================================
        ``.csv``                      :meth:`to_csv`
        ``.xlsx`` (``"excel"``)       :meth:`to_excel`
        ``.md`` (``"markdown"``)      :meth:`to_markdown`
        ``.tex`` (``"latex"``)        :meth:`to_latex`
        ``.html``, ``.htm``           :meth:`to_html`
        ``.docx`` (``"word"``)        :meth:`to_docx` (needs python-docx:
                                      ``pip install 'policyquant[docx]'``)
        ============================  =======================================

        Text files are UTF-8; folders on the way are created.

        Parameters
        ----------
        path : str or path-like
            The file to write.
        format : str, optional
            Overrides the suffix (``path`` is then written as given).
        **options
            Passed to the method doing the writing, e.g. ``decimals``,
            ``caption``, ``label``, ``sheet_name``, and ``language``
            (every format takes it: rows, columns and headers labelled in
            that language, as ``to_frame(language=...)`` has them).

        Returns
        -------
        pathlib.Path
            The file written.

        Raises
        ------
        ValidationError
            For an unknown format (with the closest known one), an option the
            format does not take, or a file that cannot be written.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import pandas as pd
        >>> from policyquant.results import FrameResult
        >>> result = FrameResult(pd.DataFrame({"mean": [1.5]}, index=["a"]))
        >>> path = result.save(pathlib.Path(tempfile.mkdtemp()) / "table.tex", caption="Means")
        >>> print(path.read_text(encoding="utf-8").splitlines()[1])
        \\caption{Means}
        >>> result.save("table.xls")
        Traceback (most recent call last):
        ...
        policyquant.errors.ValidationError: table.xls: cannot write a table as 'xls':
          - table.xls, column 'suffix', value 'xls': not a format a table can be written in; expected csv, xlsx, md, tex, html, docx; did you mean xlsx?
        """
        path = Path(path)
        name = _resolve_format(path, format, _TABLE_FORMATS)
        if name is None:
            raise _unknown_format(path, format, _TABLE_FORMATS, "a table")
        writers: dict[str, Callable[..., Any]] = {
            "md": self.to_markdown,
            "tex": self.to_latex,
            "html": self.to_html,
            "xlsx": self.to_excel,
            "docx": self.to_docx,
        }
        if name == "csv":
            csv_options = ["decimals", "language", *inspect.signature(pd.DataFrame.to_csv).parameters]
            _check_options(csv_options, options, path, name, skip=("self", "path_or_buf"))
            self.to_csv(path, **options)
            return path
        writer = writers[name]
        _check_options(writer, options, path, name, skip=("path",))
        if name == "xlsx":
            return self.to_excel(path, **options)
        if name == "docx":
            return self.to_docx(path, **options)
        text = writer(**options)
        return _write_file(path, lambda target: target.write_text(text + "\n", encoding="utf-8"))

    def _repr_html_(self) -> str:
        digits = self.decimals
        return self.to_frame().style.format(precision=digits, na_rep="").to_html()

    def __str__(self) -> str:
        with pd.option_context(
            "display.max_rows",
            200,
            "display.max_columns",
            50,
            "display.width",
            200,
            "display.precision",
            self.decimals,
        ):
            return self.to_frame().to_string()


class _InLanguage(TableResult):
    """A result shown in one language: its frame, every export and its text view are labelled in it.

    What :func:`in_language` returns; a language given to an export still wins.
    """

    def __init__(self, result: TableResult, language: str) -> None:
        self.result = result
        self.language = language
        self.decimals = result.decimals

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        return self.result._frame(language or self.language)

    def _export_frame(self, language: str | None = None) -> pd.DataFrame:
        return self.result._export_frame(language or self.language)


def in_language(result: TableResult, language: str | None) -> TableResult:
    """``result`` labelled in ``language`` wherever it is shown or written; ``result`` itself for None.

    For code that prints or saves results without passing a language to each
    call (the command line's ``tables --lang``).

    Parameters
    ----------
    result : TableResult
        Any result.
    language : str or None
        A language :func:`policyquant._language.resolve_language` accepts.

    Returns
    -------
    TableResult
        A result whose ``to_frame()``, exports and ``save`` label rows,
        columns and headers in ``language``.

    Raises
    ------
    ValidationError
        For a language policyquant has no labels in.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.results import in_language
    >>> result = in_language(pq.efficacy_summary(pq.datasets.load_genai_china(), by="family"), "zh")
    >>> print(result.to_markdown(decimals=1).splitlines()[0])
    | 工具类型   |   n |   平均效力 |   标准差 |   最小值 |   最大值 |   总效力 |   效力占比（%） |
    """
    from ._language import resolve_language

    code = resolve_language(language)
    return result if code is None else _InLanguage(result, code)


def _row_runs(levels: list[list[object]]) -> dict[int, int]:
    """For the outer index levels given, the first row of each run of equal labels and its length."""
    keys = list(zip(*levels, strict=True))
    runs: dict[int, int] = {}
    start = 0
    for position in range(1, len(keys) + 1):
        if position == len(keys) or keys[position] != keys[start]:
            runs[start] = position - start
            start = position
    return runs


def _check_options(
    writer: Callable[..., Any] | list[str],
    options: Mapping[str, Any],
    path: Path,
    format: str,
    skip: tuple[str, ...] = (),
) -> None:
    """Raise a ValidationError naming every option ``writer`` (or a list of names) does not take, with the closest."""
    names = writer if isinstance(writer, list) else list(inspect.signature(writer).parameters)
    accepted = [name for name in names if name not in skip]
    unknown = [name for name in options if name not in accepted]
    if unknown:
        raise ValidationError(
            f"{path}: {format} export does not take the option{'s' if len(unknown) > 1 else ''} "
            + ", ".join(repr(u) for u in unknown),
            [
                {
                    "file": str(path),
                    "column": "options",
                    "value": name,
                    "problem": f"not an option of {format} export",
                    "expected": ", ".join(accepted),
                    "suggestions": ", ".join(closest(name, accepted)) or None,
                }
                for name in unknown
            ],
        )


class FrameResult(TableResult):
    """A plain DataFrame given the exports of a :class:`TableResult`.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    decimals : int, default 2
        Decimal places for floats in text exports.

    Examples
    --------
    >>> print(FrameResult(pd.DataFrame({"count": [3], "mean": [1.5]}, index=["a"])).to_markdown())
    |    |   count |   mean |
    |----|---------|--------|
    | a  |       3 |   1.50 |
    """

    def __init__(self, frame: pd.DataFrame, decimals: int = 2) -> None:
        self.frame = frame
        self.decimals = decimals

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """The wrapped DataFrame (``language`` is checked, for the common contract; a plain frame has no labels)."""
        if language is not None:
            from ._language import resolve_language

            resolve_language(language)
        return self.frame



def _translated_index(index: pd.Index, fields: tuple[str | None, ...], corpus: Any, language: str) -> pd.Index:
    """``index`` with each level's categories labelled in ``language`` and each level named by its field's title.

    A category the framework has no label for (a year, a document id) keeps
    its value and type.
    """
    from ._language import category_label as _category_label
    from ._language import field_title as _field_title

    framework = corpus.framework
    arrays, names = [], []
    for level, field in enumerate(fields):
        values = index.get_level_values(level)
        if field is None:
            arrays.append(values)
            names.append(index.names[level])
            continue
        labels = {key: _category_label(framework, field, key, language) for key in pd.unique(values)}
        relabelled = {key: label for key, label in labels.items() if label != str(key)}
        arrays.append(values.map(lambda key, relabelled=relabelled: relabelled.get(key, key)))
        names.append(_field_title(framework, field, language))
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_arrays(arrays, names=names)
    return pd.Index(arrays[0], name=names[0])


#: The kind of headers each analysis table has (policyquant._language.CONTEXT_COLUMN_TITLES);
#: None for a table whose columns are not statistics (a decision sheet's coders stay as named).
_COLUMN_CONTEXTS: dict[str, str | None] = {"efficacy_summary()": "efficacy", "disagreements()": None}


def _translated_columns(columns: pd.Index, language: str, context: str | None) -> pd.Index:
    """``columns`` with each statistics header (every level of a MultiIndex) in ``language``."""
    from ._language import column_title

    if isinstance(columns, pd.MultiIndex):
        return pd.MultiIndex.from_tuples(
            [tuple(column_title(part, language, context) for part in key) for key in columns],
            names=[column_title(name, language, context) for name in columns.names],
        )
    return pd.Index(
        [column_title(key, language, context) for key in columns],
        name=column_title(columns.name, language, context),
    )


#: DataFrame attributes a deprecated access to an analysis table passes on (every public one).
_FRAME_ATTRIBUTES = frozenset(name for name in dir(pd.DataFrame) if not name.startswith("_"))


class AnalysisTable(FrameResult):
    """The table an analysis computed, with the corpus it came from, as a result object.

    :func:`~policyquant.efficacy_summary`, :func:`~policyquant.trends`,
    :func:`~policyquant.portfolio_measures` and
    :func:`~policyquant.reliability.disagreements` return subclasses of it.
    Like every :class:`TableResult` it has :meth:`to_frame`, :meth:`save`,
    the exports and an HTML view in Jupyter.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table, as :meth:`to_frame` returns it.
    corpus : Corpus, optional
        The corpus analysed: the source of the labels of
        ``to_frame(language=...)``.
    fields : sequence of str or None, optional
        The corpus field each index level holds (``None`` for a level that is
        not one, such as a year); by default the index's names.
    decimals : int, default 2
        Decimal places for floats in text exports.

    Notes
    -----
    **Deprecated DataFrame access.**  These analyses returned a
    :class:`pandas.DataFrame` before; during the transition a result still
    answers DataFrame access (``result["mean"]``, ``result.loc[...]``,
    ``len(result)``, ``result.columns``, iteration, ``==``, assigning a
    column ...) on its table, with a :class:`DeprecationWarning` that names
    the replacement, ``result.to_frame()``.  That access will be removed
    before version 1.0.  Methods of the result (:meth:`to_csv`,
    :meth:`to_excel`, :meth:`to_latex`, :meth:`to_markdown`,
    :meth:`to_html`, :meth:`save`) are the result's, not pandas'.

    Examples
    --------
    >>> import warnings
    >>> import policyquant as pq
    >>> result = pq.efficacy_summary(pq.datasets.load_genai_china(), by="family")
    >>> result.to_frame()["count"].tolist()
    [348, 147, 175]
    >>> result.to_frame(language="zh").index.tolist()
    ['强制型', '自愿型', '混合型']
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     counts = result["count"].tolist()
    >>> counts, caught[0].category.__name__
    ([348, 147, 175], 'DeprecationWarning')
    """

    #: The function that computes the table, as deprecation messages name it.
    function: str = "the analysis"

    # A table result compares by its table during the transition, so it cannot be hashed.
    __hash__ = None  # type: ignore[assignment]

    def __init__(
        self,
        frame: pd.DataFrame,
        corpus: Any = None,
        fields: tuple[str | None, ...] | list[str | None] | None = None,
        decimals: int = 2,
    ) -> None:
        super().__init__(frame, decimals)
        self.corpus = corpus
        self.fields = tuple(frame.index.names) if fields is None else tuple(fields)
        if len(self.fields) != frame.index.nlevels:
            raise ValueError(f"fields names {len(self.fields)} index levels, the table has {frame.index.nlevels}")

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """The table as a new DataFrame: keys by default, or labels in a language.

        Parameters
        ----------
        language : str, optional
            ``None`` for the table as computed (categories as keys, index
            levels named by field); a language code (``"en"``, ``"zh"``,
            ``"zh-CN"`` ...) to label each category (``"Mandatory"``,
            ``"强制型"``), title each index level and head each statistics
            column in it (``mean`` is ``均值``, or ``平均效力`` in the
            efficacy summary).  Categories the framework has no label for
            (years, ids) keep their values; the values of the table are the
            same in every language.

        Returns
        -------
        pandas.DataFrame
            A copy: changing it leaves the result as it is.

        Raises
        ------
        ValidationError
            If ``language`` is not a language policyquant has labels in
            (naming it and the closest one).
        """
        from ._language import resolve_language

        language = resolve_language(language)
        frame = self.frame.copy()
        if language is not None and self.corpus is not None and any(f is not None for f in self.fields):
            frame.index = _translated_index(frame.index, self.fields, self.corpus, language)
        context = _COLUMN_CONTEXTS.get(self.function, "")
        if language is not None and context is not None:
            frame.columns = _translated_columns(frame.columns, language, context or None)
        return frame

    def __repr__(self) -> str:
        # Reads as the table it holds, as the DataFrame it replaces did.
        return repr(self.frame)

    def __str__(self) -> str:
        return str(self.frame)

    # -- Deprecated DataFrame access -------------------------------------------------------

    def _frame_access(self, what: str) -> pd.DataFrame:
        from ._deprecation import deprecated

        deprecated(
            f"{self.function} returns a {type(self).__name__}, no longer a DataFrame: DataFrame access "
            f"({what}) is deprecated and will be removed before 1.0; call .to_frame() first",
            stacklevel=3,
        )
        return self.frame

    def __getattr__(self, name: str) -> Any:
        # Only reached for names the result does not have; private names (IPython's and
        # pickle's probes) are never the DataFrame's.
        if name.startswith("_") or name not in _FRAME_ATTRIBUTES or "frame" not in self.__dict__:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return getattr(self._frame_access(f".{name}"), name)

    def __getitem__(self, key: Any) -> Any:
        return self._frame_access("[...]")[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        self._frame_access("[...] =")[key] = value

    def __len__(self) -> int:
        return len(self._frame_access("len()"))

    def __iter__(self) -> Any:
        return iter(self._frame_access("iteration"))

    def __contains__(self, key: object) -> bool:
        return key in self._frame_access("in")

    def __eq__(self, other: object) -> Any:  # type: ignore[override]
        return self._frame_access("==") == (other.to_frame() if isinstance(other, TableResult) else other)

    def __ne__(self, other: object) -> Any:  # type: ignore[override]
        return self._frame_access("!=") != (other.to_frame() if isinstance(other, TableResult) else other)

    def __bool__(self) -> bool:
        # A result is a result, even of an empty table (a DataFrame refused to be a truth value).
        return True

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return np.asarray(self._frame_access("numpy.asarray()"), dtype=dtype)
