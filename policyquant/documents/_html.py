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


def read_html(file: Path, encoding: str | None) -> dict[str, Any]:
    """The article of a saved web page as lines of text, its title first."""
    lxml_html = require("lxml.html", "HTML pages")
    readability = require("readability", "HTML pages")
    decoded = _read_text(file, encoding)
    source = _XML_DECLARATION.sub("", decoded["text"], count=1)
    try:
        tree = lxml_html.document_fromstring(source)
    except Exception as error:  # noqa: BLE001 - lxml's parser errors
        raise Unreadable(f"not read: not a readable HTML page ({type(error).__name__}: {error})", "save the page again from the browser") from None
    for element in tree.xpath("|".join(f"//{name}" for name in _REMOVED) + "|//comment()"):
        if element.getparent() is not None:
            element.drop_tree()  # the text after it (its tail) stays
    title = _title(tree)
    summary = readability.Document(tree).summary(html_partial=True)
    body = _text(lxml_html.fragment_fromstring(summary, create_parent="div")) if summary.strip() else ""
    if not body.strip():
        raise Unreadable(
            "not read: no article text found on the page",
            "save the page again once it has loaded (File > Save As > web page, complete), or copy the article into a .txt file",
        )
    lines = body.split("\n")
    if title and _squeeze(title) not in _squeeze("".join(lines[:3])):
        lines.insert(0, title)
    return {
        "text": normalise_newlines("\n".join(lines)),
        "title": title or lines[0],
        "format": "html",
        "encoding": decoded["encoding"],
        "pages": None,
    }


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _title(tree: Any) -> str | None:
    """The article's title: the page's ArticleTitle meta, else the <h1> the <title> names, else the <title>'s first part."""
    for meta in tree.xpath("//meta[@name]"):
        if meta.get("name", "").lower() in ("articletitle", "dc.title") and _clean(meta.get("content")):
            return _clean(meta.get("content"))
    page_title = _clean(" ".join(tree.xpath("//title//text()")))
    headings = [_clean(h.text_content()) for h in tree.xpath("//h1")]
    headings = [h for h in headings if h]
    for heading in headings:
        if page_title and _squeeze(heading) in _squeeze(page_title):
            return heading
    if page_title:
        first = _TITLE_SEPARATORS.split(page_title)[0].strip()
        return first or page_title
    return headings[0] if headings else None


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
