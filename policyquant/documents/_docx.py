"""Word .docx files, read with python-docx: paragraphs and tables in reading order.

python-docx was chosen over docx2python: both give the same article lines on
the rendered legal texts (12 of 12 documents), python-docx in 0.16 s against
0.23 s, it is already policyquant's Word library (the ``docx`` extra), and
it reads the body in order (:meth:`docx.document.Document.iter_inner_content`)
without the page headers, which docx2python mixes into the text, nor the text of
merged table cells repeated.  Neither renders Word's automatic list numbers
(a paragraph of style "List Number", or a list set to 第X条 or （一）): the
numbers are not in the paragraphs' text, only in numbering.xml.  The reader
renders them as Word shows them (:class:`_Numbering`: decimal, Chinese,
Roman, letters and circled numbers, counted per list), and reports the
paragraphs whose numbers it cannot render rather than dropping them silently.

The archive is checked before python-docx opens it, with the zip limits of
the REFI-QDA reader (:mod:`policyquant.io.refi._archive`): a zip bomb is
refused before anything is decompressed.  Relationships to outside files
(a remote template, a linked picture or sub-document) are never fetched:
python-docx does not follow them, and the reader reports them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import ReadError
from ._formats import Unreadable, first_line_title, normalise_newlines, require

#: The most uncompressed XML a .docx may hold (its pictures not counted): python-docx builds a tree of it.
MAX_DOCX_XML_BYTES = 256 << 20

#: Relationships that are ordinary links, not content or code from elsewhere.
_HYPERLINK = "relationships/hyperlink"

_EXTERNAL = re.compile(rb"<Relationship\b[^>]*>", re.S)


def read_docx(file: Path) -> dict[str, Any]:
    """The text of a .docx: body paragraphs and tables in order, one line each; headers and footers left out."""
    docx = require("docx", "Word .docx files")
    notes = _check_archive(file)
    try:
        document = docx.Document(str(file))
    except Exception as error:  # noqa: BLE001 - python-docx and lxml raise many types on a damaged file
        raise Unreadable(
            f"not read: not a readable Word document ({type(error).__name__}: {error})",
            "open it in Word or WPS Office and save it as .docx again",
        ) from None
    lines: list[str] = []
    title = None
    heading = None
    from docx.table import Table

    numbering = _Numbering(document)
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block, numbering))
            continue
        text = numbering.render(block)
        lines.append(text)
        if text.strip():
            style = (block.style.name if block.style is not None else "") or ""
            if title is None and style.lower() in ("title", "标题"):
                title = text.strip()
            elif heading is None and style.lower() in ("heading 1", "标题 1"):
                heading = text.strip()
    text = normalise_newlines("\n".join(lines))
    if not text.strip():
        raise Unreadable("not read: the Word document has no text", "check it is the right file; a scan pasted into Word needs OCR")
    return {
        "text": text,
        "title": title or heading or first_line_title(text),
        "format": "docx",
        "encoding": None,
        "pages": None,
        "notes": notes + numbering.notes(),
    }


def _cell_text(cell: Any, numbering: _Numbering | None = None) -> list[str]:
    from docx.table import Table

    parts: list[str] = []
    for block in cell.iter_inner_content():
        if isinstance(block, Table):
            parts.extend(" ".join(line.split("\t")) for line in _table_lines(block, numbering))
        else:
            parts.append(block.text if numbering is None else numbering.render(block))
    return parts


def _table_lines(table: Any, numbering: _Numbering | None = None) -> list[str]:
    """A table as lines: a row's cells joined by tabs; a one-column (layout) table's paragraphs as lines.

    A merged cell is written once: python-docx gives it at every grid position it spans.
    """
    lines: list[str] = []
    above: list[Any] = []
    for row in table.rows:
        cells = row.cells
        elements = [cell._tc for cell in cells]
        texts: list[list[str]] = []
        previous = None
        for position, (cell, element) in enumerate(zip(cells, elements, strict=True)):
            if element is previous:
                continue  # spans several grid columns
            previous = element
            merged_from_above = position < len(above) and above[position] is element
            texts.append([] if merged_from_above else _cell_text(cell, numbering))
        above = elements
        if len(texts) == 1:
            lines.extend(texts[0])
        else:
            lines.append("\t".join(" ".join(part.strip() for part in cell if part.strip()) for cell in texts))
    return lines


def _check_archive(file: Path) -> list[tuple[str, str]]:
    """Refuse a zip bomb before python-docx decompresses anything; note links to outside files."""
    from ..io.refi._archive import _Archive

    try:
        archive = _Archive(file)
    except ReadError as error:
        reason = error.problems["problem"].iloc[0] if len(error.problems) else str(error)
        raise Unreadable(
            f"not read: the .docx archive was refused ({reason}): {str(error).split(': ', 1)[-1]}",
            "do not open it: a .docx whose parts expand hundreds of times is built to exhaust memory (a zip bomb); "
            "ask for the document again",
        ) from None
    try:
        xml = sum(info.file_size for name, info in archive.names.items() if name.lower().endswith((".xml", ".rels")))
        if xml > MAX_DOCX_XML_BYTES:
            raise Unreadable(
                f"not read: its XML parts would expand to {xml:,} bytes, more than the limit of {MAX_DOCX_XML_BYTES:,}",
                "split the document into smaller ones, or save it as PDF or text",
            )
        external: list[str] = []
        for name in archive.names:
            if not name.lower().endswith(".rels"):
                continue
            for element in _EXTERNAL.findall(archive.read(name)):
                if b'TargetMode="External"' in element and _HYPERLINK.encode() not in element:
                    target = re.search(rb'Target="([^"]*)"', element)
                    external.append(target.group(1).decode("utf-8", "replace") if target else "?")
    finally:
        archive.close()
    if not external:
        return []
    shown = ", ".join(external[:3]) + (f" and {len(external) - 3} more" if len(external) > 3 else "")
    return [
        (
            f"read; it refers to {len(external)} outside file(s) that were not fetched ({shown}): "
            "a template, picture or part kept outside the document",
            "nothing, if the text is complete; a part kept outside (a linked sub-document) is not in the text: "
            "save the document with the part embedded",
        )
    ]


# -- Word's automatic list numbers ------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

#: Where Word's level text has a number: %1 is the first level's counter, %2 the second's ...
_LEVEL_PLACE = re.compile(r"%([1-9])")

#: Formats of a level whose text holds no number: nothing is lost when they are left out.
_NO_NUMBER = frozenset(["bullet", "none"])

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _roman(number: int) -> str:
    out = []
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def _letters(number: int) -> str:
    # Word's letters repeat rather than carry: a .. z, aa .. zz, aaa ...
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def _format_number(number: int, fmt: str) -> str | None:
    """A counter as Word writes it in the format ``fmt`` (w:numFmt), or None for a format not rendered."""
    from .segmentation import chinese_numeral

    if fmt in ("decimal", "decimalZero", "decimalHalfWidth"):
        return f"{number:02d}" if fmt == "decimalZero" else str(number)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(number).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "ideographTraditional") and 0 <= number <= 9999:
        if fmt == "ideographTraditional":
            return "甲乙丙丁戊己庚辛壬癸"[number - 1] if 1 <= number <= 10 else None
        return chinese_numeral(number)
    if fmt == "ideographDigital":
        return str(number).translate(str.maketrans("0123456789", "〇一二三四五六七八九"))
    if fmt in ("lowerRoman", "upperRoman") and 0 < number < 4000:
        return _roman(number) if fmt == "lowerRoman" else _roman(number).upper()
    if fmt in ("lowerLetter", "upperLetter") and number > 0:
        return _letters(number) if fmt == "lowerLetter" else _letters(number).upper()
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[number - 1] if 1 <= number <= len(_CIRCLED) else f"({number})"
    if fmt in ("decimalEnclosedParen",):
        return f"({number})"
    return None


def _value(element: Any, tag: str) -> str | None:
    found = element.find(_W + tag) if element is not None else None
    return found.get(_W + "val") if found is not None else None


class _Numbering:
    """Word's automatic list numbers, rendered in reading order as Word shows them.

    Word keeps a numbered paragraph's number out of its text: the paragraph (or
    its style) names a list (w:numId) and a level (w:ilvl), and numbering.xml
    gives each level its format (w:numFmt: decimal, chineseCounting ...), its
    text (w:lvlText: ``第%1条``, ``（%1）``, ``%1.%2``) and its first number.
    Counters are kept per abstract list, as Word keeps them, and restart where
    a list overrides its start; a level restarts when a higher one counts.
    Paragraphs whose format is not rendered are counted for :meth:`notes`.
    """

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int, str]]] = {}
        self.lists: dict[str, tuple[str, dict[int, int]]] = {}
        self.styles: dict[str, tuple[str | None, int | None]] = {}
        self.default_style: str | None = None
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        self.rendered = 0
        self.missed: list[str] = []
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return  # no numbering part: no paragraph can carry a number
        for abstract in root.findall(_W + "abstractNum"):
            levels = {}
            for level in abstract.findall(_W + "lvl"):
                start = _value(level, "start")
                levels[int(level.get(_W + "ilvl", "0"))] = (
                    _value(level, "numFmt") or "decimal",
                    _value(level, "lvlText") or "",
                    int(start) if start and start.lstrip("-").isdigit() else 1,
                    _value(level, "suff") or "tab",
                )
            self.levels[abstract.get(_W + "abstractNumId", "")] = levels
        for num in root.findall(_W + "num"):
            overrides = {}
            for override in num.findall(_W + "lvlOverride"):
                start = _value(override, "startOverride")
                if start and start.isdigit():
                    overrides[int(override.get(_W + "ilvl", "0"))] = int(start)
            self.lists[num.get(_W + "numId", "")] = (_value(num, "abstractNumId") or "", overrides)
        try:
            styles = document.styles.element
        except (KeyError, NotImplementedError, AttributeError):
            styles = None
        if styles is not None:
            self._read_styles(styles)

    def _read_styles(self, root: Any) -> None:
        direct: dict[str, tuple[str | None, int | None]] = {}
        based: dict[str, str] = {}
        for style in root.findall(_W + "style"):
            style_id = style.get(_W + "styleId", "")
            if style.get(_W + "type") == "paragraph" and style.get(_W + "default") in ("1", "true", "on"):
                self.default_style = style_id
            numbered = style.find(f"{_W}pPr/{_W}numPr")
            if numbered is not None:
                level = _value(numbered, "ilvl")
                direct[style_id] = (_value(numbered, "numId"), int(level) if level and level.isdigit() else None)
            parent = _value(style, "basedOn")
            if parent:
                based[style_id] = parent
        for style_id in set(direct) | set(based):
            current, seen = style_id, set()
            while current not in direct and current in based and current not in seen:
                seen.add(current)
                current = based[current]
            if current in direct:
                self.styles[style_id] = direct[current]

    def _list_of(self, paragraph: Any) -> tuple[str, int] | None:
        properties = paragraph._p.pPr
        num_id, level = None, None
        numbered = properties.find(_W + "numPr") if properties is not None else None
        if numbered is not None:
            num_id = _value(numbered, "numId")
            found = _value(numbered, "ilvl")
            level = int(found) if found and found.isdigit() else None
        if num_id is None:
            style = (_value(properties, "pStyle") if properties is not None else None) or self.default_style
            if style in self.styles:
                num_id, style_level = self.styles[style]
                level = style_level if level is None else level
        if num_id is None or num_id == "0":
            return None  # numId 0 takes a style's numbering away
        return num_id, level or 0

    def render(self, paragraph: Any) -> str:
        """The paragraph's text with its automatic number before it, as Word shows it."""
        text = paragraph.text
        found = self._list_of(paragraph) if (self.levels or self.styles) else None
        if found is None:
            return text
        num_id, level = found
        if num_id not in self.lists:
            return text  # a list that numbering.xml does not define: Word shows no number either
        abstract, overrides = self.lists[num_id]
        levels = self.levels.get(abstract)
        if levels is None or level not in levels:
            if text.strip():
                self.missed.append(text)
            return text
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for overridden, start in overrides.items():
                counters[overridden] = start - 1
                for deeper in [key for key in counters if key > overridden]:
                    del counters[deeper]
        fmt, pattern, start, suffix = levels[level]
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [key for key in counters if key > level]:
            del counters[deeper]
        if fmt in _NO_NUMBER:
            return text
        prefix: str | None = pattern

        def number(match: re.Match[str]) -> str:
            nonlocal prefix
            at = int(match.group(1)) - 1
            at_fmt, _, at_start, _ = levels.get(at, ("decimal", "", 1, ""))
            written = _format_number(counters.get(at, at_start), at_fmt)
            if written is None:
                prefix = None
                return ""
            return written

        rendered = _LEVEL_PLACE.sub(number, pattern)
        if prefix is None:
            if text.strip():
                self.missed.append(text)
            return text
        if not text.strip() or not rendered.strip():
            return text
        self.rendered += 1
        return rendered + ("" if suffix == "nothing" else " ") + text

    def notes(self) -> list[tuple[str, str]]:
        """The problems to report: paragraphs whose automatic number is not in the text read."""
        notes = []
        if self.missed:
            shown = "; ".join(repr(text.strip()[:30]) for text in self.missed[:3]) + (f" and {len(self.missed) - 3} more" if len(self.missed) > 3 else "")
            notes.append(
                (
                    f"read; {len(self.missed)} paragraph(s) carry Word's automatic numbers, which are not in their text "
                    f"(a numbering format not rendered): {shown}",
                    "numbers typed in the text, or the document saved with numbering converted to text "
                    "(in Word: select all, then in VBA ActiveDocument.ConvertNumbersToText; or save it as PDF or .txt)",
                )
            )
        if self.rendered:
            notes.append(
                (
                    f"read; {self.rendered} paragraph(s) carry Word's automatic numbers (a list), written into their text "
                    "as Word shows them (1., 第一条, （一）)",
                    "nothing, if the numbers read are the document's; otherwise save the document with numbering "
                    "converted to text, or as PDF",
                )
            )
        return notes
