"""Web pages as saved from government sites: the article, without menus, scripts or footers.

The article is found by readability-lxml (a port of Mozilla's Readability,
the algorithm of Firefox's reader view), chosen by measuring it against
trafilatura on article pages laid out as www.gov.cn and www.cac.gov.cn lay
theirs out (120 legal texts as pages, and short notices): both kept every
article line of the long pages, but on a short notice (a few lines and a
signature, the commonest form of a 通知) trafilatura fell back to the whole
page, menus, metadata table, related links and footer included, where
readability kept the four lines of the notice; trafilatura also kept the
editor line (责任编辑) on 4 of the 120 long pages.

Before readability sees the page, scripts, styles, iframes, frames, embedded
objects, forms and comments are removed, so that nothing they hold (text that
a script would write, a framed page's fallback text) is read as the
document.  Nothing is fetched: links, frames and pictures stay unresolved.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ._formats import Unreadable, _read_text, normalise_newlines, require

#: Elements whose content is never a document's text.
_REMOVED = ("script", "style", "noscript", "iframe", "frame", "frameset", "object", "embed", "template", "svg", "form", "button", "select")

#: Elements that end a line of text.
_BLOCKS = frozenset(
    ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tbody", "thead", "tfoot", "tr", "blockquote", "pre", "section", "article", "header", "footer", "dl", "dt", "dd", "hr", "center", "address", "figure", "figcaption", "caption"]
)

#: Where <title> separates the article's title from the site's name: "标题_栏目_中国政府网".
_TITLE_SEPARATORS = re.compile(r"\s*(?:_|——|--|\s-\s|\s\|\s|｜)\s*")

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


#: Where a page names its encoding: <meta charset="big5">, <meta http-equiv=... content="text/html; charset=big5">.
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml\b[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.I)

#: Declared names decoded by a wider codec, as browsers do (the WHATWG Encoding Standard):
#: a page saying gb2312 often holds GBK characters, one saying big5 Hong Kong's, one saying shift_jis Microsoft's.
_WIDER = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030",
    "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "x-x-big5": "big5hkscs", "cp950": "big5hkscs",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "windows-31j": "cp932",
    "iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252",
}  # fmt: skip


def declared_encoding(data: bytes) -> str | None:
    """The encoding a page declares (XML declaration, else <meta> charset) as a Python codec, if it decodes the page.

    A byte-order mark outranks a declaration, and so do bytes that are valid
    UTF-8: a page saying gb2312 saved again as UTF-8 keeps its old <meta>,
    and GB18030 would decode its UTF-8 bytes into other characters without an
    error, whereas text in a legacy encoding is almost never valid UTF-8.  A
    declaration the bytes contradict is ignored; the encoding is then detected
    as for a text file.

    Examples
    --------
    >>> from policyquant.documents._html import declared_encoding
    >>> page = '<html><head><meta charset="big5"><title>人工智慧</title></head></html>'
    >>> declared_encoding(page.encode("big5"))
    'big5hkscs'
    >>> declared_encoding(page.encode("utf-8")) is None  # the bytes are not Big5
    True
    """
    import codecs

    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    head = data[:4096]
    found = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if found is None:
        return None
    name = found.group(1).decode("ascii").lower()
    name = _WIDER.get(name, name)
    try:
        if codecs.lookup(name).name in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
            return None  # bytes read as ASCII cannot be UTF-16: the declaration is wrong
        data.decode(name)
    except (LookupError, UnicodeError):
        return None
    return name


def read_html(file: Path, encoding: str | None) -> dict[str, Any]:
    """The article of a saved web page as lines of text, its title first."""
    lxml_html = require("lxml.html", "HTML pages")
    readability = require("readability", "HTML pages")
    if encoding is None:
        encoding = declared_encoding(file.read_bytes())
    decoded = _read_text(file, encoding)
    source = _XML_DECLARATION.sub("", decoded["text"], count=1)
    try:
        tree = lxml_html.document_fromstring(source)
    except Exception as error:  # noqa: BLE001 - lxml's parser errors
        raise Unreadable(f"not read: not a readable HTML page ({type(error).__name__}: {error})", "save the page again from the browser") from None
    for element in tree.xpath("|".join(f"//{name}" for name in _REMOVED) + "|//comment()"):
        if element.getparent() is not None:
            element.drop_tree()  # the text after it (its tail) stays
    headings = [(heading, _squeeze(heading)) for heading in (_clean(h.text_content()) for h in tree.xpath("//h1")) if heading]
    # The whole page's lines, before readability (which changes the tree) keeps the article's.
    page = _text(tree.body) if tree.find("body") is not None else ""
    summary = readability.Document(tree).summary(html_partial=True)
    body = _text(lxml_html.fragment_fromstring(summary, create_parent="div")) if summary.strip() else ""
    if not body.strip():
        raise Unreadable(
            "not read: no article text found on the page",
            "save the page again once it has loaded (File > Save As > web page, complete), or copy the article into a .txt file",
        )
    page_lines = page.split("\n") if page else []
    lines = _restore_headings(body.split("\n"), page_lines)
    title = _title(tree, headings, page_lines, lines)
    if title and _squeeze(title) not in _squeeze("".join(lines[:3])):
        lines.insert(0, title)
    return {
        "text": normalise_newlines("\n".join(lines)),
        "title": title or lines[0],
        "format": "html",
        "encoding": decoded["encoding"],
        "pages": None,
        "notes": decoded.get("notes") or [],
    }


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _title(tree: Any, headings: list[tuple[str, str]], page_lines: list[str], lines: list[str]) -> str | None:
    """The article's title: the page's ArticleTitle meta, else the <h1> the <title> names, else the page's <h1>, else the <title>'s first part.

    ``headings`` are the page's <h1> texts, plain and without white space;
    ``page_lines`` the lines of the whole page, ``lines`` the article's.  An
    <h1> wins over the <title> that names none of them when the <title> is
    not a line of the page: such a <title> is the site's name
    (北京市人民政府门户网站), and the <h1> the document's.
    """
    for meta in tree.xpath("//meta[@name]"):
        if meta.get("name", "").lower() in ("articletitle", "dc.title") and _clean(meta.get("content")):
            return _clean(meta.get("content"))
    page_title = _clean(" ".join(tree.xpath("//title//text()")))
    for heading, squeezed in headings:
        if page_title and squeezed in _squeeze(page_title):
            return heading
    first = (_TITLE_SEPARATORS.split(page_title)[0].strip() or page_title) if page_title else None
    squeezed_lines = [_squeeze(line) for line in page_lines]
    if headings and (first is None or _squeeze(first) not in squeezed_lines):
        # The <h1> before the article: the last one above the article's first line on the page.
        article = {_squeeze(line) for line in lines}
        start = next((at for at, line in enumerate(squeezed_lines) if line in article), len(squeezed_lines))
        above = [heading for heading, squeezed in headings if squeezed in squeezed_lines[:start]]
        return above[-1] if above else headings[0][0]
    return first


#: A line that starts like a heading of a Chinese policy text: 第三条, 第二章, 一、, （一）, (一).
_HEADING_START = re.compile(r"^\s*(?:第[一二三四五六七八九十百千零〇两\d]+[条章节编款]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])")


def _restore_headings(lines: list[str], page_lines: list[str]) -> list[str]:
    """The article's lines with the heading lines (第四条, 一、, （一）) readability left out put back where the page has them.

    Readability scores blocks by their text and links: a short article's last
    article in a small <table> can score below the menu and be cleaned away.
    The page's lines are aligned with the article's; a page line that starts
    like a heading and is missing from the article is put back when it lies
    between two of the article's lines, or in the run of heading lines right
    after its last line.  Lines before the article (menus, breadcrumbs) are not.
    """
    from difflib import SequenceMatcher

    if not page_lines:
        return lines
    kept = [_squeeze(line) for line in lines]
    page = [_squeeze(line) for line in page_lines]
    restored: dict[int, list[str]] = {}  # position in lines -> page lines put back before it
    for tag, i1, i2, j1, _ in SequenceMatcher(None, page, kept, autojunk=False).get_opcodes():
        if tag not in ("delete", "replace") or j1 == 0:
            continue  # lines before the article's first line are the page's, not the article's
        missing = page_lines[i1:i2]
        if j1 >= len(lines):
            # After the article's last line, only the run of heading lines that follows it.
            run = []
            for line in missing:
                if not _HEADING_START.match(line):
                    break
                run.append(line)
            missing = run
        found = [line for line in missing if _HEADING_START.match(line) and _squeeze(line) not in kept]
        if found:
            restored.setdefault(j1, []).extend(found)
    if not restored:
        return lines
    out: list[str] = []
    for position, line in enumerate(lines):
        out.extend(restored.get(position, []))
        out.append(line)
    out.extend(restored.get(len(lines), []))
    return out


def _text(root: Any) -> str:
    """The text of an element, a line per block element (paragraph, heading, list item, table row)."""
    parts: list[str] = []

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "br":
            parts.append("\n")
        elif tag in ("td", "th"):
            parts.append("\t")
        if element.text and tag != "br":
            parts.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in _BLOCKS:
            parts.append("\n")

    walk(root)
    lines = []
    for line in "".join(parts).split("\n"):
        cells = [cell.strip() for cell in line.split("\t")]
        cells = [cell for cell in cells if cell]
        line = "\t".join(cells)
        if line:
            lines.append(re.sub(r"[ \xa0]{2,}", " ", line))
    return "\n".join(lines)
