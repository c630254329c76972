"""Reading one document file of any format: the text, its title, and what stops it from being read.

Every format's reader takes a path on disk and returns a :class:`_Read` or
raises :class:`Unreadable`, which :func:`policyquant.documents.read_documents`
turns into one row of its problems table (the file, the problem, what to do).
The libraries of each format are imported here lazily, so that reading
Markdown never needs a PDF library; a missing one raises one
:class:`~policyquant.errors.ReadError` naming the extra to install.

:func:`read_file` is a module-level function of plain arguments and results,
so that a process pool can run it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import ReadError

#: What to install for the document formats that need a library.
INSTALL = "pip install 'policyquant[documents]'"

#: Formats read, by canonical name, with the suffixes that select them.
FORMATS: dict[str, tuple[str, ...]] = {
    "text": (".txt", ".md", ".markdown", ".text"),
    "docx": (".docx",),
    "pdf": (".pdf",),
    "html": (".html", ".htm", ".xhtml", ".shtml"),
}

#: Other names a caller may give ``format=`` for a canonical format.
FORMAT_ALIASES = {"txt": "text", "md": "text", "markdown": "text", "word": "docx", "htm": "html"}

#: Office formats that are not read, and what to save them as.
OLD_FORMATS = {
    ".doc": "Word 97-2003 document",
    ".wps": "WPS Writer document",
    ".rtf": "Rich Text document",
    ".odt": "OpenDocument text",
    ".wpt": "WPS Writer template",
    ".dot": "Word 97-2003 template",
    ".et": "WPS Spreadsheets workbook",
    ".xls": "Excel 97-2003 workbook",
    ".xlsx": "Excel workbook",
    ".dps": "WPS Presentation",
    ".ppt": "PowerPoint 97-2003 presentation",
    ".pptx": "PowerPoint presentation",
    ".ofd": "OFD document (China's fixed-layout format)",
    ".caj": "CNKI CAJ document",
}

#: The first bytes of an OLE2 compound file: .doc, .wps, .et, .xls ... whatever their suffix says.
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: Where the suffix and the first bytes disagree, the bytes tell what a file is.
_MAGIC = ((b"%PDF-", "pdf"), (b"PK\x03\x04", "zip"), (_OLE2_MAGIC, "ole2"))


class Unreadable(Exception):  # noqa: N818 - a result, not an error of the program
    """A file that cannot be read as a document: one problem and what to do about it."""

    def __init__(self, problem: str, expected: str, value: object = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.expected = expected
        self.value = value


def format_of_suffix(suffix: str) -> str | None:
    """The canonical format of a file suffix (``".md"`` -> ``"text"``), or None."""
    suffix = suffix.lower()
    for name, suffixes in FORMATS.items():
        if suffix in suffixes:
            return name
    return None


def sniff(path: Path, data_head: bytes) -> str | None:
    """What the first bytes of a file say it is: ``"pdf"``, ``"zip"``, ``"ole2"``, ``"html"`` or None.

    A web page is known by ``<html`` or ``<!DOCTYPE html`` at its start (after
    a byte-order mark, white space, an XML declaration or comments), in the
    first :data:`SNIFF_BYTES` bytes.

    Examples
    --------
    >>> from pathlib import Path
    >>> from policyquant.documents._formats import sniff
    >>> sniff(Path("page.doc"), b"\\xef\\xbb\\xbf  <!DOCTYPE html><html><body>...")
    'html'
    >>> sniff(Path("notes.txt"), b"<p>not a page</p>") is None
    True
    """
    for magic, name in _MAGIC:
        if data_head.startswith(magic):
            return name
    if _looks_like_html(data_head):
        return "html"
    return None


#: How much of a file's start :func:`sniff` needs: a web page's ``<html`` may follow a long comment.
SNIFF_BYTES = 1024

_HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html\b|html\b)", re.I | re.S)


def _looks_like_html(head: bytes) -> bool:
    import codecs

    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16-le" if head.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        body = head[2:]
        text = body[: len(body) - len(body) % 2].decode(encoding, "replace")
    else:
        # The tags are ASCII in every encoding a page is saved in, UTF-16 aside.
        text = head.removeprefix(codecs.BOM_UTF8).decode("latin-1")
    return _HTML_START.match(text) is not None


def _save_as(suffix: str, kind: str) -> Unreadable:
    what = OLD_FORMATS.get(suffix, kind)
    target = ".xlsx or .csv" if suffix in (".et", ".xls") else ".docx"
    return Unreadable(
        f"not read: an old or unsupported format ({what})",
        f"open it in Word or WPS Office and save it as {target} (or as PDF), or convert it with "
        f"LibreOffice: soffice --headless --convert-to {target.split()[0].lstrip('.')} FILE",
        suffix or None,
    )


def read_file(path: str, format: str, encoding: str | None, on_page: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Read one document; a dict of ``text``, ``title``, ``format``, ``encoding``, ``pages``, ``sha256``.

    Raises :class:`Unreadable` for a file that cannot be read (the caller makes
    it a problem row), and :class:`~policyquant.errors.ReadError` when the
    library a format needs is not installed (no file of that format can be read).
    ``on_page(done, total)`` is called after each page of a PDF.  The bytes
    outrank the suffix and ``format``: a PDF or a web page under another
    suffix is read as one; ``format="old"`` (a suffix of :data:`OLD_FORMATS`)
    is refused unless the file is a web page.
    """
    file = Path(path)
    with open(file, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if format == "text" and head:
        data = file.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
    else:
        data = None
        digest = _sha256(file)
    if not head:
        raise Unreadable("not read: the file is empty (0 bytes)", "download or save it again")
    kind = sniff(file, head)
    suffix = file.suffix.lower()
    if kind == "ole2" or (format == "old" and kind not in ("pdf", "html")):
        raise _save_as(suffix if suffix in OLD_FORMATS else ".doc", "an old binary Office file")
    if kind == "pdf" and format != "pdf":
        format = "pdf"  # a PDF saved under another suffix is still a PDF
    elif kind == "html" and format != "html":
        # A web page saved as .txt, or offered by a site as a "Word" .doc (Word opens HTML), is still a web page.
        format = "html"
    elif kind == "zip" and format in ("text", "html"):
        raise Unreadable(
            f"not read: the file is a zip archive, not {format}",
            "give it its real suffix (.docx, or .zip to read the files it holds)",
            suffix or None,
        )
    if format == "text":
        result = _read_text(file, encoding, data)
    elif format == "docx":
        if kind != "zip":
            raise Unreadable(
                "not read: not a Word .docx file (a .docx is a zip archive; this one is not)",
                "open it in Word or WPS Office and save it as .docx again",
                suffix or None,
            )
        from ._docx import read_docx

        result = read_docx(file)
    elif format == "pdf":
        from ._pdf import read_pdf

        result = read_pdf(file, on_page)
    elif format == "html":
        from ._html import read_html

        result = read_html(file, encoding)
    else:  # pragma: no cover - read_documents checks format
        raise ValueError(format)
    result["sha256"] = digest
    return result


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with open(file, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- Plain text and Markdown -----------------------------------------------------------------------

_MARKDOWN_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
_FIRST_LINE = re.compile(r"^[^\S\n]*(\S[^\n]*)", re.M)


def normalise_newlines(text: str) -> str:
    """Line ends as ``\\n`` (Windows' ``\\r\\n`` and old Mac's ``\\r`` alike), so that spans count the same everywhere."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def first_line_title(text: str, markdown: bool = False) -> str | None:
    """The first Markdown heading (for Markdown), else the first non-empty line, stripped; None for no text."""
    # Searched, not split into lines: a title is near the top of a text of megabytes.
    found = (_MARKDOWN_HEADING.search(text) if markdown else None) or _FIRST_LINE.search(text)
    return found.group(1).strip() if found else None


def _read_text(file: Path, encoding: str | None, data: bytes | None = None) -> dict[str, Any]:
    # The coding-sheet reader's decoding: BOMs (UTF-8, UTF-16, UTF-32), else UTF-8, else GB18030.
    from ..io.tabular import _BYTE_ORDER_MARKS, CSV_ENCODINGS, _decode

    try:
        text = _decode(file, encoding)
    except ReadError as error:
        # The coding-sheet reader's sentence, less the file (the problem's own column) and its advice
        # for a CSV file (the problem's "expected" gives it for a document).
        message = re.split(r"; save it as ", error.summary.split(": ", 1)[-1])[0]
        if "empty" in message:
            raise Unreadable("not read: the file is empty (only spaces or blank lines)", "download or save it again") from None
        raise Unreadable(
            f"not read: {message}",
            "save it as UTF-8 text, or give its encoding (encoding='gb18030' in Python, --encoding on the command line)",
        ) from None
    if not text.strip():
        raise Unreadable("not read: the file is empty (only spaces or blank lines)", "download or save it again")
    notes = []
    if encoding is None:
        data = file.read_bytes() if data is None else data
        encoding = _detected_encoding(data, text, CSV_ENCODINGS, _BYTE_ORDER_MARKS)
        if _encoding_name(encoding) == "gb18030":
            notes = _not_gbk(data, text)
    if text.startswith("\ufeff"):
        text = text[1:]
    text = normalise_newlines(text)
    return {
        "text": text,
        "title": first_line_title(text, markdown=file.suffix.lower() in (".md", ".markdown")),
        "format": "markdown" if file.suffix.lower() in (".md", ".markdown") else "text",
        "encoding": _encoding_name(encoding),
        "pages": None,
        "notes": notes,
    }


#: Characters of Unicode's private use area: no text of GBK has them, Big5 decoded as GBK has many.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")

#: Hiragana: half the characters of a Japanese text, and in GBK only among rare characters.
_HIRAGANA = re.compile("[\u3041-\u3096]")


def _not_gbk(data: bytes, text: str) -> list[tuple[str, str]]:
    """A note when text decoded as GB18030, the fallback, looks like another encoding's bytes.

    GB18030 decodes nearly any bytes, so a Big5 (Taiwan, Hong Kong) or
    Shift-JIS (Japan) file is read without an error, as other characters.
    Big5 read as GBK gives characters of the private use area, which no GBK
    text holds; Shift-JIS gives none, but its bytes decode as Shift-JIS to
    text whose hiragana a GBK text would not have.  The text is kept: the
    note says which encoding to give.
    """
    private = _PRIVATE_USE.findall(text)
    guess = None
    if private:
        guess = "Big5"
        for name, label in (("big5hkscs", "Big5"), ("cp932", "Shift-JIS")):
            try:
                data.decode(name)
            except UnicodeDecodeError:
                continue
            guess = label
            break
    else:
        try:
            japanese = data.decode("cp932")
        except UnicodeDecodeError:
            japanese = ""
        kana = len(_HIRAGANA.findall(japanese))
        if kana >= 5 and kana * 10 >= sum(not character.isascii() for character in japanese):
            guess = "Shift-JIS"
    if guess is None:
        return []
    codec = {"Big5": "big5", "Shift-JIS": "shift_jis"}[guess]
    shown = "".join(dict.fromkeys(private))[:5]
    found = f" ({len(private)} characters of the private use area, such as {shown!r})" if private else ""
    return [
        (
            f"read as GB18030 (GBK), but probably not GBK ({guess}?){found}: the text is likely garbled; give --encoding",
            f"the file's encoding: encoding='{codec}' in Python, --encoding {codec} on the command line; or save it as UTF-8",
        )
    ]


def _detected_encoding(data: bytes, text: str, encodings: tuple[str, ...], marks: tuple[tuple[bytes, str], ...]) -> str:
    """Which encoding ``_decode`` found: a byte-order mark's, else the first of ``encodings`` that gives ``text``."""
    for mark, name in marks:
        if data.startswith(mark):
            return name
    if data.startswith(b"\xef\xbb\xbf") or data.isascii():
        return "utf-8"
    for name in encodings:
        try:
            # Encoding the text back is cheaper than decoding the bytes again, and as exact.
            if text.encode(name.removesuffix("-sig")) == data:
                return name
        except UnicodeEncodeError:
            continue
    return encodings[-1]


def _encoding_name(encoding: str) -> str:
    """A codec's usual name: ``utf-8`` for utf-8-sig (the mark is not part of the text), ``gb18030`` ..."""
    import codecs

    name = codecs.lookup(encoding).name
    return {"utf-8-sig": "utf-8", "utf_8": "utf-8"}.get(name, name)


def require(module: str, what: str) -> Any:
    """Import ``module`` or raise one ReadError naming the extra that installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ReadError(
            f"reading {what} needs the optional package {module.split('.')[0]}: {INSTALL}",
            [{"value": module, "problem": "optional package not installed", "expected": INSTALL}],
        ) from None
