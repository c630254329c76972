"""Word (.docx) tables as journals ask for them: the three-line table (三线表).

Chinese social-science journals, and many others, take manuscripts as Word
files and set tables as three-line tables: a thick rule above the table, a
thin rule under the header and a thick rule below the table, no vertical
lines and no other rules; the caption above the table, the notes below it.
:func:`write_table` writes one such table, alone in a document, with
python-docx (the optional extra ``docx``), for
:meth:`policyquant.results.TableResult.to_docx`.

Fonts are set the way Word chooses them: the Latin font (``w:ascii``,
``w:hAnsi``) for letters and digits and the East Asian font (``w:eastAsia``)
for Chinese characters, on the document's defaults and its styles, with no
theme fonts left that would override them.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import ValidationError

#: What to install for Word output.
INSTALL = "pip install 'policyquant[docx]'"

#: Rule widths in points: the top and bottom rules, and the rule under the header.
THICK_RULE = 1.5
THIN_RULE = 0.75

#: Characters XML 1.0 (and so a Word document) cannot hold; a line break and a tab can be.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _require_docx(path: Path) -> Any:
    try:
        import docx
    except ImportError:
        raise ValidationError(
            f"{path}: writing a Word table (.docx) needs the optional package python-docx: {INSTALL}"
        ) from None
    return docx


def _check_options(path: Path, font: object, east_asian_font: object, font_size: object) -> float:
    problems = []
    for name, value in (("font", font), ("east_asian_font", east_asian_font)):
        if not isinstance(value, str) or not value.strip():
            problems.append(
                {
                    "file": str(path),
                    "column": name,
                    "value": value,
                    "problem": "not a font name",
                    "expected": "the name of a font, such as 'Times New Roman' or 'SimSun'",
                }
            )
    size_ok = (
        isinstance(font_size, numbers.Real)
        and not isinstance(font_size, bool)
        and 1 <= float(font_size) <= 100
    )
    if not size_ok:
        problems.append(
            {
                "file": str(path),
                "column": "font_size",
                "value": font_size,
                "problem": "not a font size",
                "expected": "a size in points from 1 to 100, such as 10.5 (五号)",
            }
        )
    if problems:
        raise ValidationError(f"{path}: cannot write the Word table", problems)
    # Word sizes fonts in half points.
    return round(float(font_size) * 2) / 2  # type: ignore[arg-type]


def _check_text(
    path: Path,
    header: list[list[str]],
    labels: list[list[str]],
    body: pd.DataFrame,
    names: list[str],
    caption: str | None,
    notes: list[str],
) -> None:
    """Refuse, naming each, the texts a Word document cannot hold: nothing is dropped or altered."""
    problems: list[dict[str, Any]] = []

    def bad(text: str, **where: Any) -> None:
        found = _NOT_IN_XML.search(text)
        if found:
            problems.append(
                {
                    "file": str(path),
                    **where,
                    "value": text,
                    "problem": f"holds the character U+{ord(found.group()):04X}, which a Word document cannot hold",
                    "expected": "text without control characters (other than tab and line break) or lone surrogates",
                }
            )

    bad(caption or "", column="caption")
    for note in notes:
        bad(note, column="notes")
    for row in header:
        for text in row:
            bad(text, column="header")
    for level in labels:
        for position, text in enumerate(level):
            bad(text, row=position + 1, column="index")
    for position, name in enumerate(names):
        values = body.iloc[:, position]
        flagged = np.flatnonzero(values.str.contains(_NOT_IN_XML, regex=True).to_numpy(dtype=bool))
        for at in flagged:
            bad(values.iloc[at], row=int(at) + 1, column=name)
    if problems:
        raise ValidationError(f"{path}: cannot write the table to Word", problems)


def _set_fonts(rpr: Any, font: str, east_asian_font: str, half_points: float | None) -> None:
    """Latin and East Asian fonts (and size) on a run-properties element, theme fonts removed."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        # A theme attribute wins over the font named beside it.
        fonts.attrib.pop(qn(theme), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), font)
    fonts.set(qn("w:eastAsia"), east_asian_font)
    if half_points is not None:
        for tag in ("w:sz", "w:szCs"):
            size = rpr.find(qn(tag))
            if size is None:
                size = OxmlElement(tag)
                rpr.append(size)
            size.set(qn("w:val"), str(int(half_points * 2)))


def _rule(tag: str, points: float | None) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    if points is None:
        element.set(qn("w:val"), "nil")
    else:
        element.set(qn("w:val"), "single")
        # Border widths are in eighths of a point.
        element.set(qn("w:sz"), str(round(points * 8)))
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
    return element


def _three_line_borders(table: Any, header_rows: int) -> None:
    """Top and bottom rules on the table, a thin rule under the last header row, nothing else."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table_properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side, points in (
        ("top", THICK_RULE),
        ("left", None),
        ("bottom", THICK_RULE),
        ("right", None),
        ("insideH", None),
        ("insideV", None),
    ):
        borders.append(_rule(f"w:{side}", points))
    # tblBorders comes after tblW (and the table's alignment) in the schema's order.
    anchor = table_properties.find(qn("w:tblLook"))
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        table_properties.append(borders)
    if header_rows:
        last = table._tbl.tr_lst[header_rows - 1]
        for tc in last.tc_lst:
            cell_properties = tc.get_or_add_tcPr()
            cell_borders = OxmlElement("w:tcBorders")
            cell_borders.append(_rule("w:bottom", THIN_RULE))
            # tcBorders follows tcW and gridSpan in the schema's order.
            before = [cell_properties.find(qn(tag)) for tag in ("w:tcW", "w:gridSpan", "w:vMerge")]
            before = [element for element in before if element is not None]
            if before:
                before[-1].addnext(cell_borders)
            else:
                cell_properties.insert(0, cell_borders)


def _repeat_header(table: Any, header_rows: int) -> None:
    """Header rows repeat on each page of a long table, and no row breaks across pages."""
    from docx.oxml import OxmlElement

    for position, tr in enumerate(table._tbl.tr_lst):
        row_properties = tr.get_or_add_trPr()
        row_properties.append(OxmlElement("w:cantSplit"))
        if position < header_rows:
            row_properties.append(OxmlElement("w:tblHeader"))


def _column_widths(
    index_names: list[str],
    labels: list[list[str]],
    header_texts: list[list[str]],
    spans: list[list[tuple[object, int, int]]],
    body: pd.DataFrame,
    numeric: list[bool],
    points: float,
) -> tuple[list[float], list[float], list[tuple[list[int], float]]]:
    """Each column's natural width (its longest line) and narrowest (its longest word; a number's whole), in points.

    Word and LibreOffice keep the widths written in the file: equal widths
    would wrap a long label letter by letter beside a column of short
    numbers.  Also the width each group header needs over its columns.
    """
    from ._excel import _display_width

    def longest(texts: Any, words: bool = False) -> int:
        pieces = (part for text in texts for part in (str(text).split() if words else str(text).split("\n")))
        return max((_display_width(piece) for piece in pieces), default=0)

    # Per display unit (a CJK character counts two): room for a Latin letter or digit in a wide
    # serif (a substitute font where Times New Roman is missing), plus the cells' 0.08 in margins.
    unit, margin = points * 0.6, 14.0
    offset = len(index_names)
    last = header_texts[-1] if header_texts else []
    header_for = {first: text for (_, first, _), text in zip(spans[-1], last, strict=True)} if spans else {}
    columns = [[name, *texts] for name, texts in zip(index_names, labels, strict=True)]
    columns += [[header_for.get(c, ""), *body.iloc[:, c].tolist()] for c in range(body.shape[1])]
    natural = [max(longest(texts), 2) * unit + margin for texts in columns]
    kinds = [False] * offset + list(numeric)
    # A number never wraps; text wraps between words (and anywhere in Chinese), down to 4 characters.
    narrowest = [
        width if is_number else min(width, max(longest(texts, words=True), 4) * unit + margin)
        for width, texts, is_number in zip(natural, columns, kinds, strict=True)
    ]
    groups = [
        (list(range(offset + first, offset + first + span)), longest([text]) * unit + margin)
        for runs, texts in zip(spans[:-1], header_texts[:-1], strict=True)
        for (_, first, span), text in zip(runs, texts, strict=True)
    ]
    return natural, narrowest, groups


def _fit_widths(
    natural: list[float], narrowest: list[float], groups: list[tuple[list[int], float]], available: float
) -> list[float]:
    """Widths within ``available`` points: natural when they fit (group headers widened into what is left), else text columns narrowed."""
    total = sum(natural)
    if total <= available:
        widths = list(natural)
        spare = available - total
        for columns, need in groups:
            lacking = need - sum(widths[c] for c in columns)
            if lacking > 0 and spare > 0:
                extra = min(lacking, spare)
                spare -= extra
                for c in columns:
                    widths[c] += extra / len(columns)
        return widths
    slack = total - sum(narrowest)
    if slack <= 0:
        # Wider than the page even at its narrowest: overflowing the margin beats breaking numbers.
        return list(narrowest)
    keep = max(available - sum(narrowest), 0) / slack
    return [low + (high - low) * min(keep, 1) for high, low in zip(natural, narrowest, strict=True)]


def _fill(cell: Any, text: str, alignment: Any) -> None:
    paragraph = cell.paragraphs[0]
    if text:
        paragraph.add_run(text)
    paragraph.alignment = alignment


def write_table(
    frame: pd.DataFrame,
    path: Path,
    *,
    digits: int,
    caption: str | None = None,
    notes: str | Sequence[str] | None = None,
    index: bool = True,
    font: str = "Times New Roman",
    east_asian_font: str = "SimSun",
    font_size: float = 10.5,
    landscape: bool | None = None,
) -> Path:
    """Write ``frame`` to ``path`` as a Word document holding one three-line table.

    Cells read as in the other text exports (floats with ``digits`` places,
    missing values empty).  See :meth:`policyquant.results.TableResult.to_docx`.
    """
    from .results import (
        _cell_text,
        _header_spans,
        _index_levels,
        _index_names,
        _label_text,
        _numeric_columns,
        _row_runs,
    )

    docx = _require_docx(path)
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Emu, Mm, Pt, RGBColor
    from docx.table import _Cell

    half_points = _check_options(path, font, east_asian_font, font_size)
    if notes is None:
        notes = []
    elif isinstance(notes, str):
        notes = [notes]
    else:
        notes = [str(note) for note in notes]
    if caption is not None:
        caption = str(caption)

    levels = _index_levels(frame) if index else []
    spans = _header_spans(frame.columns)
    header_rows = len(spans)
    width = len(levels) + frame.shape[1]
    if width == 0:
        raise ValidationError(f"{path}: cannot write a Word table without columns: the table has none")
    numeric = _numeric_columns(frame)
    # Object columns: Python's re checks them (an Arrow string column cannot hold a lone surrogate).
    body = pd.DataFrame(
        {
            i: frame.iloc[:, i].map(lambda v: _cell_text(v, digits)).astype(object)
            for i in range(frame.shape[1])
        },
        index=frame.index,
        dtype=object,
    )
    names = [" ".join(str(p) for p in c) if isinstance(c, tuple) else str(c) for c in frame.columns]
    labels = [[_label_text(label) for label in level] for level in levels]
    header_texts = [[_label_text(label) for label, _, _ in runs] for runs in spans]
    index_names = _index_names(frame) if levels else []
    _check_text(path, [*header_texts, index_names], labels, body, names, caption, notes)

    document = docx.Document()
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = None if defaults is None else defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is not None:
        _set_fonts(rpr, font, east_asian_font, half_points)
        language = rpr.find(qn("w:lang"))
        if language is not None:
            # Chinese line breaking and proofing for East Asian text.
            language.set(qn("w:eastAsia"), "zh-CN")
    normal = document.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), font, east_asian_font, half_points)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    section = document.sections[0]
    # A4, as Chinese journals use; landscape for a table wider than a portrait page.
    short, long = Mm(210), Mm(297)
    natural, narrowest, groups = _column_widths(
        index_names, labels, header_texts, spans, body, numeric, half_points
    )
    if landscape is None:
        landscape = sum(narrowest) > Emu(short - 2 * Mm(25)).pt
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = long, short
    else:
        section.page_width, section.page_height = short, long
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Mm(25))

    if caption is not None:
        paragraph = document.add_paragraph(style="Caption")
        _set_fonts(document.styles["Caption"].element.get_or_add_rPr(), font, east_asian_font, half_points)
        run = paragraph.add_run(caption)
        run.font.color.rgb = RGBColor(0, 0, 0)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(3)
        paragraph.paragraph_format.keep_with_next = True

    table = document.add_table(rows=header_rows + len(frame), cols=width)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = True
    # Cells are taken from each row's own elements: python-docx's table.cell() walks the whole table.
    rows = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
    left, right, centre = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.CENTER
    offset = len(levels)
    for row, runs in enumerate(spans):
        if row == header_rows - 1:
            for column, name in enumerate(index_names):
                _fill(rows[row][column], name, left)
        for label, first, span in runs:
            # A group's label is centred over its columns; a number's header stands over its numbers.
            aligned = centre if span > 1 else (right if numeric[first] else left)
            _fill(rows[row][offset + first], _label_text(label), aligned)
    # An outer index label is written on the first row of its run, as in a printed table.
    shown = [_row_runs(levels[: level + 1]) for level in range(len(levels) - 1)]
    for level, texts in enumerate(labels):
        for position, text in enumerate(texts):
            if level < len(levels) - 1 and position not in shown[level]:
                text = ""
            _fill(rows[header_rows + position][level], text, left)
    values = body.to_numpy(dtype=object)
    for position in range(len(frame)):
        cells = rows[header_rows + position]
        for column in range(frame.shape[1]):
            _fill(cells[offset + column], values[position, column], right if numeric[column] else left)
    widths = _fit_widths(natural, narrowest, groups, Emu((long if landscape else short) - 2 * Mm(25)).pt)
    for cells in rows:
        for cell, points in zip(cells, widths, strict=True):
            cell.width = Pt(points)
    for column, points in zip(table.columns, widths, strict=True):
        column.width = Pt(points)
    # Merged group headers, last: merging renumbers a row's cells.
    for row, runs in enumerate(spans):
        for _, first, span in reversed(runs):
            if span > 1:
                rows[row][offset + first].merge(rows[row][offset + first + span - 1])
    _three_line_borders(table, header_rows)
    _repeat_header(table, header_rows)

    for note in notes:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(note)
        run.font.size = Pt(max(half_points - 1.5, 5))
        paragraph.paragraph_format.space_before = Pt(3)

    properties = document.core_properties
    properties.author = "policyquant"
    properties.last_modified_by = "policyquant"
    properties.title = caption or ""
    properties.comments = ""

    from ._files import write_bytes

    return write_bytes(path, document.save, what="the file")
