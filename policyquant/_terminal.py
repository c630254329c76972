"""Tables fitted to a terminal's width, for people to read (the CLI's default ``text`` format).

pandas prints a table as wide as its widest row and header; Table 4 came out about
210 characters wide and wrapped into an unreadable mess on an 80-column terminal.  Here
a table is laid out for a given width:

* a count and its share become one cell, ``51 (41.1%)``;
* the row labels of a two-level index become one column, the outer label on a line of
  its own and the inner ones indented under it;
* headers wrap on words (and long words break), and so do labels;
* when even that does not fit, the columns are split into blocks printed one under the
  other, each with the row labels.

Every line is at most ``width`` columns wide, counting CJK characters as two.  Plain
Python and the standard library only: the CLI imports it on every ``tables`` run.
"""

from __future__ import annotations

import math
import numbers
import shutil
import unicodedata
from collections.abc import Sequence
from typing import Any

import pandas as pd

__all__ = ["fit_table", "terminal_width", "wrap_text"]

#: Space between two columns.
_GAP = "  "
#: The narrowest a label column is squeezed to before the columns are split into blocks.
_LABEL_MIN = 16
#: Indentation of an inner row label under its outer label.
_INDENT = "  "
#: The narrowest width a table is laid out for.
_MIN_WIDTH = 20


def terminal_width(default: int = 80) -> int:
    """The width to lay tables out for: ``COLUMNS`` if set, else the terminal's, else ``default``.

    Examples
    --------
    >>> import os
    >>> from policyquant._terminal import terminal_width
    >>> os.environ["COLUMNS"] = "100"
    >>> terminal_width()
    100
    >>> del os.environ["COLUMNS"]
    """
    return max(_MIN_WIDTH, shutil.get_terminal_size((default, 24)).columns)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in text)


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * max(0, width - _width(text))
    return space + text if right else text + space


def _break_word(word: str, width: int) -> list[str]:
    """A word too long for ``width``, cut into pieces that fit."""
    pieces, current = [], ""
    for char in word:
        if current and _width(current + char) > width:
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current] if current else pieces


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` columns: on spaces, long words cut.

    A line's leading spaces (an inner row label's indentation) are kept, and its
    continuation lines get ``indent`` more.
    """
    width = max(2, width)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lead = paragraph[: len(paragraph) - len(paragraph.lstrip(" "))]
        words = paragraph.split()
        if not words:
            lines.append("")
            continue
        first = lead if _width(lead) < width else ""
        rest = lead + indent if _width(lead + indent) < width else ""
        current, empty = first, True
        for word in words:
            joined = word if empty else f" {word}"
            if _width(current + joined) <= width:
                current, empty = current + joined, False
                continue
            if not empty:
                lines.append(current)
                current = rest
            while _width(current + word) > width:
                head = _break_word(word, max(1, width - _width(current)))[0]
                if _width(current + head) > width and not current.strip():
                    # No room for even one wide character after the indentation: drop it.
                    current, head = "", _break_word(word, width)[0]
                lines.append(current + head)
                current, word = rest, word[len(head) :]
            current, empty = current + word, False
        lines.append(current)
    return lines


def wrap_text(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal columns (CJK characters count two).

    Examples
    --------
    >>> from policyquant._terminal import wrap_text
    >>> wrap_text("政策工具 × 政策目标的编码数（共 908 个编码）", 24)
    ['政策工具 ×', '政策目标的编码数（共 908', '个编码）']
    """
    return _wrap(text, width)


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _number(value: Any, decimals: int, integer: bool) -> str:
    if _is_missing(value):
        return ""
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        return str(value)
    if integer or (isinstance(value, numbers.Integral)):
        return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
    return f"{float(value):.{decimals}f}"


def _merge_count_share(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns ``(key, "count")`` and ``(key, "share")`` as one text column ``key``: ``51 (41.1%)``."""
    columns = frame.columns
    if not isinstance(columns, pd.MultiIndex) or columns.nlevels != 2:
        return frame
    from ._language import COLUMN_TITLES

    # A table labelled for readers (``tables --lang``) calls them by their titles ("n", "%").
    count_names = {"count", *(titles.get("count") for titles in COLUMN_TITLES.values())}
    share_names = {"share", *(titles.get("share") for titles in COLUMN_TITLES.values())}
    inner = set(columns.get_level_values(1))
    if not (inner & count_names and inner & share_names):
        return frame
    merged = {}
    for key in dict.fromkeys(columns.get_level_values(0)):
        parts = frame[key]
        count = next((name for name in parts.columns if name in count_names), None)
        share = next((name for name in parts.columns if name in share_names), None)
        if count is not None and share is not None and len(parts.columns) == 2:
            counts = [_number(v, 0, True) for v in parts[count].to_numpy(dtype=object)]
            shares = parts[share].to_numpy(dtype=object)
            merged[key] = [
                c if _is_missing(s) else f"{c} ({float(s):.1f}%)" for c, s in zip(counts, shares, strict=True)
            ]
        else:
            for name in parts.columns:
                merged[f"{key} {name}"] = parts[name].tolist()
    result = pd.DataFrame(merged, index=frame.index, dtype=object)
    result.columns = pd.Index(list(merged), name=columns.names[0])
    return result


def _labels(index: pd.Index) -> tuple[str, list[str], list[bool]]:
    """The header, the text of each line and whether the line holds a row (not only an outer label)."""
    def text(value: Any) -> str:
        return "" if _is_missing(value) else str(value)

    names = [text(n) for n in index.names]
    if not isinstance(index, pd.MultiIndex):
        return names[0], [text(v) for v in index], [True] * len(index)
    if index.nlevels > 2:
        return " / ".join(names), [" / ".join(text(p) for p in key) for key in index], [True] * len(index)
    header = " / ".join(n for n in names if n)
    lines, rows = [], []
    previous: object = object()
    for outer, inner in index:
        if text(inner) == "":
            lines.append(text(outer))
            rows.append(True)
            previous = outer
            continue
        if outer != previous:
            lines.append(text(outer))
            rows.append(False)
            previous = outer
        lines.append(_INDENT + text(inner))
        rows.append(True)
    return header, lines, rows


def _cells(frame: pd.DataFrame, decimals: int) -> tuple[list[str], list[list[str]], list[bool]]:
    """Header text, cell texts (column by column) and right alignment of every column."""
    headers, cells, right = [], [], []
    for position in range(frame.shape[1]):
        name = frame.columns[position]
        series = frame.iloc[:, position]
        headers.append(" ".join(str(p) for p in name) if isinstance(name, tuple) else str(name))
        integer = pd.api.types.is_integer_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype)
        values = series.to_numpy(dtype=object)
        if not integer and pd.api.types.is_float_dtype(series.dtype):
            # A float column of whole numbers (counts with a NaN) reads best without decimals.
            finite = [v for v in values if not _is_missing(v)]
            integer = bool(finite) and all(float(v).is_integer() for v in finite) and series.name in (
                "count",
                "total",
                "n",
            )
        texts = [_number(v, decimals, integer) for v in values]
        numeric = all(
            _is_missing(v) or (isinstance(v, numbers.Number) and not isinstance(v, bool)) for v in values
        )
        counted = all(t == "" or t.split(" (")[0].replace(",", "").isdigit() for t in texts)
        cells.append(texts)
        right.append(numeric or counted)
    return headers, cells, right


def _longest_word(text: str) -> int:
    return max((_width(w) for w in text.split()), default=0)


def _shrink(widths: list[int], minimum: list[int], budget: int) -> list[int]:
    """Take columns down toward their minimum, widest first, until they fit in ``budget``."""
    widths = list(widths)
    excess = sum(widths) - budget
    while excess > 0:
        candidates = [i for i in range(len(widths)) if widths[i] > minimum[i]]
        if not candidates:
            break
        widest = max(candidates, key=lambda i: widths[i] - minimum[i])
        widths[widest] -= 1
        excess -= 1
    return widths


def _render(
    columns: Sequence[tuple[str, list[str], bool]], widths: Sequence[int], label_indent: str
) -> list[str]:
    headers = [_wrap(header, width) for (header, _, _), width in zip(columns, widths, strict=True)]
    height = max(len(h) for h in headers)
    out = []
    for line in range(height):
        parts = []
        for (_, _, right), header, width in zip(columns, headers, widths, strict=True):
            # Headers sit on the rule, so that a short one is next to the values it heads.
            at = line - (height - len(header))
            parts.append(_pad(header[at] if at >= 0 else "", width, right))
        out.append(_GAP.join(parts).rstrip())
    out.append(_GAP.join("-" * w for w in widths))
    for row in range(len(columns[0][1])):
        wrapped = [
            _wrap(cells[row], width, label_indent if k == 0 else "")
            for k, ((_, cells, _), width) in enumerate(zip(columns, widths, strict=True))
        ]
        for line in range(max(len(w) for w in wrapped)):
            parts = [
                _pad(w[line] if line < len(w) else "", width, right)
                for w, width, (_, _, right) in zip(wrapped, widths, columns, strict=True)
            ]
            out.append(_GAP.join(parts).rstrip())
    return out


def fit_table(frame: pd.DataFrame, width: int | None = None, *, decimals: int = 2) -> str:
    """``frame`` as text at most ``width`` columns wide (the terminal's by default).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; columns ``(key, "count")`` and ``(key, "share")`` (as in
        :func:`~policyquant.crosstab`) are shown as one cell ``51 (41.1%)``.
    width : int, optional
        The most columns a line may take; :func:`terminal_width` by default.
    decimals : int, default 2
        Decimal places of floats.

    Returns
    -------
    str
        The table, lines joined by newlines, none wider than ``width``.

    Examples
    --------
    >>> import pandas as pd
    >>> from policyquant._terminal import fit_table
    >>> columns = pd.MultiIndex.from_product([["Public Safety and Interests", "Total"], ["count", "share"]])
    >>> frame = pd.DataFrame([[51, 41.13, 60, 45.0], [73, 58.87, 73, 55.0]], columns=columns,
    ...                      index=pd.Index(["Standards and Norms", "Infrastructure"], name="instrument"))
    >>> print(fit_table(frame, 60))
    instrument           Public Safety and Interests       Total
    -------------------  ---------------------------  ----------
    Standards and Norms                   51 (41.1%)  60 (45.0%)
    Infrastructure                        73 (58.9%)  73 (55.0%)
    >>> print(fit_table(frame, 45))
                             Public
                         Safety and
    instrument            Interests       Total
    -------------------  ----------  ----------
    Standards and Norms  51 (41.1%)  60 (45.0%)
    Infrastructure       73 (58.9%)  73 (55.0%)

    Narrower, the columns come in blocks, each with the row labels:

    >>> print(fit_table(frame, 40))
                         Public Safety
    instrument           and Interests
    -------------------  -------------
    Standards and Norms     51 (41.1%)
    Infrastructure          73 (58.9%)
    <BLANKLINE>
    instrument                Total
    -------------------  ----------
    Standards and Norms  60 (45.0%)
    Infrastructure       73 (55.0%)
    """
    width = terminal_width() if width is None else max(_MIN_WIDTH, int(width))
    frame = _merge_count_share(frame)
    label_header, label_lines, holds_row = _labels(frame.index)
    headers, cells, right = _cells(frame, decimals)
    # Lines of outer labels alone carry no values.
    spread: list[list[str]] = []
    for texts in cells:
        values = iter(texts)
        spread.append([next(values) if holds else "" for holds in holds_row])
    label = (label_header, label_lines, False)
    data = [(h, c, r) for h, c, r in zip(headers, spread, right, strict=True)]

    def natural(column: tuple[str, list[str], bool]) -> tuple[int, int, int]:
        header, texts, _ = column
        body = max((_width(t) for t in texts), default=0)
        return body, _longest_word(header), _width(header)

    label_body, _, label_full = natural(label)
    label_natural = max(label_body, label_full, 1)
    # Labels wrap between words before any is cut: the longest word (indented) is their floor.
    label_word = max((_width(w) for line in label_lines for w in line.split()), default=0) + 2 * len(_INDENT)
    label_min = min(label_natural, max(_LABEL_MIN, label_word))
    measures = [natural(c) for c in data]
    # A data column never wraps its values; its header wraps between words down to the values' width.
    start = [max(body, word, 2) for body, word, _ in measures]
    full = [max(body, whole, 2) for body, _, whole in measures]

    def grown(widths: list[int], columns: list[int], spare: int) -> list[int]:
        # Room to spare goes to headers, first to those it unwraps whole, then a column at a time
        # only as far as saves a line: a column is never wider than what it shows needs.
        widths = list(widths)
        for i, k in enumerate(columns, start=1):
            if 0 < full[k] - widths[i] <= spare:
                spare -= full[k] - widths[i]
                widths[i] = full[k]
        for i, k in enumerate(columns, start=1):
            lines = len(_wrap(data[k][0], widths[i]))
            for extra in range(1, spare + 1):
                if len(_wrap(data[k][0], widths[i] + extra)) < lines:
                    widths[i] += extra
                    spare -= extra
                    break
        return widths

    gaps = len(_GAP) * len(data)
    everything = list(range(len(data)))
    widths = [label_natural, *start]
    if sum(widths) + gaps <= width:
        widths = grown(widths, everything, width - sum(widths) - gaps)
        return "\n".join(_render([label, *data], widths, _INDENT))
    widths = _shrink(widths, [label_min, *start], width - gaps)
    if sum(widths) + gaps <= width:
        return "\n".join(_render([label, *data], widths, _INDENT))

    # Still too wide: blocks of columns, one under the other, each with the row labels.
    label_width = min(label_natural, max(label_min, width // 2), width - len(_GAP) - 2)
    room = width - label_width
    blocks: list[list[int]] = []
    used = room
    for k in everything:
        needed = min(start[k], room - len(_GAP)) + len(_GAP)
        if used + needed > room:
            blocks.append([])
            used = 0
        blocks[-1].append(k)
        used += needed
    out: list[str] = []
    for block in blocks:
        block_widths = [label_width, *(min(start[k], room - len(_GAP)) for k in block)]
        block_widths = grown(block_widths, block, width - sum(block_widths) - len(_GAP) * len(block))
        if out:
            out.append("")
        out += _render([label, *(data[k] for k in block)], block_widths, _INDENT)
    return "\n".join(out)
