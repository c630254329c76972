"""PDF files with a text layer, read with pdfplumber page by page.

pdfplumber (on pdfminer.six) was chosen over pypdf and pypdfium2 by measuring
all three on Chinese legal texts rendered to PDF by LibreOffice (12 documents,
80 pages, 301 articles): pdfplumber found every article line as written (301
of 301) and kept the spaces of the source; pypdf and pypdfium2 each garbled 3
articles, emitting the curly quotes (“”), which LibreOffice and Word set in a
Latin fallback font, out of reading order, and pypdf dropped the spaces
between Chinese words.  pdfplumber is the slowest of the three (about 30 pages
a second of dense Chinese text against 65 for pypdf and 1,150 for
pypdfium2); a policy document has tens of pages, and correct text is what a
coder codes.  See benchmarks/README.md for the figures.

Pages are read one at a time and released (``page.close()``), so that a
5,000-page PDF keeps only its text in memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

from ._formats import Unreadable, first_line_title, normalise_newlines, require

#: What to do with a PDF whose pages hold no text, only pictures of it.
_OCR_HINT = (
    "it needs OCR: run it through OCR software (e.g. ocrmypdf FILE OUT.pdf, or save it as a searchable PDF "
    "from the scanner's software or from WPS/Acrobat), then read the new PDF"
)


def read_pdf(file: Path, on_page: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """The text of a PDF, a paragraph a line; raises Unreadable for an encrypted or scanned one."""
    pdfplumber = require("pdfplumber", "PDF files")
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(file)
    except PdfminerException as error:
        cause = error.args[0] if error.args else error
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise Unreadable(
                "not read: the PDF is encrypted (it needs a password to open)",
                "open it with its password and save or print it as a PDF without a password, then read that",
            ) from None
        raise _broken(cause) from None
    except Exception as error:  # noqa: BLE001 - pdfminer raises many types on a damaged file
        raise _broken(error) from None
    lines: list[dict[str, Any]] = []
    total = 0
    try:
        try:
            pages = pdf.pages
            total = len(pages)
            for number, page in enumerate(pages, start=1):
                lines.extend(_page_lines(page, number))
                # Releases the page's parsed objects: memory stays bounded however many pages there are.
                page.close()
                if on_page is not None:
                    on_page(number, total)
        except PdfminerException as error:
            raise _broken(error.args[0] if error.args else error) from None
        except Exception as error:  # noqa: BLE001 - a damaged page
            raise _broken(error, page=lines[-1]["page"] + 1 if lines else 1) from None
    finally:
        pdf.close()
    if not total:
        raise Unreadable("not read: the PDF has no pages", "download or save it again")
    text = normalise_newlines(_paragraphs(lines))
    if not text.strip():
        raise Unreadable(
            f"not read: the PDF has no text layer on any of its {total} pages (a scan or an image?)", _OCR_HINT
        )
    return {"text": text, "title": first_line_title(text), "format": "pdf", "encoding": None, "pages": total}


#: A line alone at the top or bottom of a page that is its number: "- 3 -", "— 3 —", "3", "第 3 页 共 9 页", "3 / 9".
_PAGE_NUMBER = re.compile(r"^[\s\-—–－]*(?:\d+|第\s*\d+\s*页(?:\s*[，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)[\s\-—–－]*$")

_SENTENCE_END = re.compile(r"[。；：！？:;!?][”’」』）)]*$")
_LATIN_END = re.compile(r"[A-Za-z0-9,.;:]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9(]")


def _page_lines(page: Any, number: int) -> list[dict[str, Any]]:
    """The page's lines of text with where they are; its number at the top or bottom left out."""
    found = [
        {"text": line["text"], "x0": line["x0"], "x1": line["x1"], "top": line["top"], "size": line["bottom"] - line["top"], "page": number}
        for line in page.extract_text_lines(return_chars=False, strip=True)
        if line["text"].strip()
    ]
    for at in (-1, 0):
        if found and _PAGE_NUMBER.match(found[at]["text"]):
            del found[at]
    return found


def _paragraphs(lines: list[dict[str, Any]]) -> str:
    """Lines joined back into the paragraphs they were wrapped from, one paragraph a line.

    A line continues the one before it (on the same page or the next) when
    that one reaches the right margin without ending a sentence, it is not
    indented, and no wider space than between lines separates them: a PDF
    keeps no paragraphs, and
    an article heading (第十二条) must start a line where it starts one in the
    document, not where a cross-reference to it happened to wrap.
    """
    if not lines:
        return ""
    by_page: dict[int, list[dict[str, Any]]] = {}
    for line in lines:
        by_page.setdefault(line["page"], []).append(line)
    margins = {}
    for page, found in by_page.items():
        sizes = sorted(line["size"] for line in found)
        size = max(sizes[len(sizes) // 2], 1.0)
        pitches = sorted(b["top"] - a["top"] for a, b in pairwise(found) if b["top"] > a["top"])
        # The pitch of lines within a paragraph: the smaller pitches (a page of one-line
        # paragraphs has more gaps between paragraphs than within them).
        pitch = pitches[len(pitches) // 10] if pitches else size * 1.5
        # Spacing between paragraphs, where the page has it, tells paragraphs apart by itself.
        spacing = any(b["top"] - a["top"] > pitch * 1.3 for a, b in pairwise(found))
        margins[page] = (min(line["x0"] for line in found), max(line["x1"] for line in found), size, pitch, spacing)
    out = [lines[0]["text"]]
    for before, line in pairwise(lines):
        left, _, size, pitch, spacing = margins[line["page"]]
        _, right_before, size_before, _, _ = margins[before["page"]]
        full = before["x1"] >= right_before - 2 * size_before
        indented = line["x0"] > left + 0.8 * size
        same_page = line["page"] == before["page"]
        spaced = same_page and (line["top"] - before["top"] > pitch * 1.3 or line["top"] <= before["top"])
        # Without spacing to tell (across a page break, or on a page set without it), a line
        # ending a sentence is taken to end its paragraph, though a paragraph may wrap right
        # after a full stop: splitting a paragraph in two loses less than merging two articles.
        ended = not (same_page and spacing) and _SENTENCE_END.search(out[-1]) is not None
        if full and not indented and not spaced and not ended:
            joiner = " " if _LATIN_END.search(out[-1]) and _LATIN_START.match(line["text"]) else ""
            out[-1] += joiner + line["text"]
        else:
            out.append(line["text"])
    return "\n".join(out)


def _broken(error: object, page: int | None = None) -> Unreadable:
    where = f" (page {page})" if page is not None else ""
    return Unreadable(
        f"not read: the PDF cannot be parsed{where}: {type(error).__name__}: {error}",
        "download it again, or open it and save (print) it as a new PDF",
    )
