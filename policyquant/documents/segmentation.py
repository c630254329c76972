"""Clause segmentation: cut policy documents into numbered units, as a study codes them.

:func:`segment` cuts each document into units and numbers them
``<doc_id>-<chapter>-<article>`` (chapter ``0`` in a document without
chapters), the way the reference study numbers its 670 clauses ("policy text -
chapter - clause").  It recognises

* the structure of laws and regulations: 编 / 分编 (parts), 章 (chapters),
  节 (sections), 条 (articles, with inserted articles such as 第十条之一) and,
  inside an article, its items （一）（二）... and its paragraphs (款), with
  Chinese numerals (零 〇 两 十 百 千 included) or Arabic ones;
* the outline numbering of 意见 / 通知 / 方案 (一、 （一） 1. （1） ①) in
  documents without articles;
* English headings: ``Part I``, ``Chapter II``, ``Section 3``, ``Article 12``;
* Markdown headings (``## 第一章 总则``) and indentation with spaces, tabs or
  the full-width space U+3000.

A heading is recognised only at the beginning of a line (paragraph) and
followed by white space or the end of the line, so a cross-reference inside a
sentence ("依照本法第十二条的规定") or at the start of one ("第三条规定的...")
never starts a unit.  Every heading in a document is found by one regular
expression pass over its whole text.

Other numbering schemes plug in through the ``policyquant_register_segmenters``
hook (:mod:`policyquant.hookspecs`); the built-in units ``article``, ``item``,
``paragraph`` and ``sentence`` are registered through the same hook.

Examples
--------
>>> import pandas as pd
>>> from policyquant.documents import segment
>>> text = "第一章 总则\\n第一条 为了规范管理，制定本办法。\\n第二条 本办法适用于全省。\\n第二章 附则\\n第三条 本办法自发布之日起施行。"
>>> result = segment(pd.DataFrame({"doc_id": ["D1"], "text": [text]}))
>>> result.to_frame()[["unit_id", "chapter_title", "article_label"]].to_numpy().tolist()
[['D1-1-1', '总则', '第一条'], ['D1-1-2', '总则', '第二条'], ['D1-2-3', '附则', '第三条']]
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import PluginError, ValidationError
from ..hookspecs import hookimpl
from ..results import FrameResult
from ._frame import documents_frame

__all__ = [
    "ARTICLE_PATTERN",
    "HEADING_COLUMNS",
    "KINDS",
    "PROBLEM_COLUMNS",
    "UNITS",
    "UNIT_COLUMNS",
    "Segmentation",
    "chinese_numeral",
    "parse_numeral",
    "segment",
]

#: The units the built-in segmenters cut documents into.
UNITS = ("article", "item", "paragraph", "sentence")

# ---------------------------------------------------------------------------
# Numerals
# ---------------------------------------------------------------------------

_DIGIT_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNIT_VALUES = {"十": 10, "百": 100, "千": 1000}
_WIDE = str.maketrans("０１２３４５６７８９", "0123456789")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_CIRCLED = {chr(0x2460 + n): n + 1 for n in range(20)}
_numeral_cache: dict[str, int | None] = {}


def _parse_chinese(text: str) -> int | None:
    if not text:
        return None
    if not any(ch in _UNIT_VALUES for ch in text):
        # Digit by digit, as years are written (二〇二一); a single digit is the same either way.
        if all(ch in _DIGIT_VALUES for ch in text) and (len(text) == 1 or text[0] not in "零〇"):
            return int("".join(str(_DIGIT_VALUES[ch]) for ch in text))
        return None
    total = 0
    digit: int | None = None
    last_unit = 10_000
    zero = False  # a 零 since the last unit: the next digit is in the ones place
    for position, ch in enumerate(text):
        if ch in _UNIT_VALUES:
            unit = _UNIT_VALUES[ch]
            # After 零 a place must have been skipped: 一千零一十 is 1010, 一百零一十 is no numeral.
            if unit >= last_unit or (zero and unit * 10 >= last_unit):
                return None
            if digit is None:
                # 十 alone stands for 一十 (十五, 一百十, 一千零十); 百 and 千 need their digit.
                if unit != 10:
                    return None
                digit = 1
            total += digit * unit
            digit = None
            last_unit = unit
            zero = False
        elif ch in "零〇":
            if digit is not None or zero or position == 0 or last_unit == 10:
                return None
            zero = True
        elif ch in _DIGIT_VALUES:
            if digit is not None:
                return None
            digit = _DIGIT_VALUES[ch]
        else:
            return None
    if zero and digit is None:
        return None
    if digit is not None:
        # 一百零五 is 105; 一百五 (no 零) is the colloquial 150: the digit takes the next place down.
        total += digit if zero or last_unit == 10 else digit * (last_unit // 10)
    return total


def _parse_roman(text: str) -> int | None:
    upper = text.upper()
    if not upper or any(ch not in _ROMAN for ch in upper):
        return None
    total = 0
    for ch, following in zip(upper, [*upper[1:], ""], strict=True):
        value = _ROMAN[ch]
        total += -value if following and _ROMAN[following] > value else value
    # Only the canonical spelling is a numeral: IIII, VX and the like are refused.
    return total if 0 < total < 4000 and _roman(total) == upper else None


def _roman(number: int) -> str:
    parts = []
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        count, number = divmod(number, value)
        parts.append(letters * count)
    return "".join(parts)


def parse_numeral(text: str) -> int | None:
    """The value of a numeral as headings write it: Chinese, Arabic (also full-width), Roman or circled.

    Chinese numerals may use 零 or 〇 for zero, 两 for two, 十 百 千 as units
    (一百零一, 一百一十, 十五, 两百), or be written digit by digit (二〇二一).
    Anything that is not exactly one numeral gives ``None`` rather than a
    guess.

    Parameters
    ----------
    text : str
        The numeral, without 第 or 条.

    Returns
    -------
    int or None

    Examples
    --------
    >>> from policyquant.documents.segmentation import parse_numeral
    >>> [parse_numeral(t) for t in ("十", "十五", "一百零一", "一百一十", "两千零二十", "二〇二一", "１２", "XIV", "③")]
    [10, 15, 101, 110, 2020, 2021, 12, 14, 3]
    >>> parse_numeral("十十") is None, parse_numeral("一二百") is None
    (True, True)
    """
    cached = _numeral_cache.get(text, -1)
    if cached != -1:
        return cached  # type: ignore[return-value]
    value: int | None
    plain = text.translate(_WIDE)
    if plain.isdigit() and plain.isascii():
        value = int(plain)
    elif text in _CIRCLED:
        value = _CIRCLED[text]
    elif (text and text[0] in _ROMAN) or (text and text[0] in "ivxlcdm"):
        value = _parse_roman(text)
    else:
        value = _parse_chinese(text)
    if len(_numeral_cache) < 100_000:
        _numeral_cache[text] = value
    return value


def chinese_numeral(number: int) -> str:
    """``number`` (0 to 9999) in Chinese numerals as articles are numbered: 十, 十五, 一百零一.

    Examples
    --------
    >>> from policyquant.documents.segmentation import chinese_numeral
    >>> [chinese_numeral(n) for n in (0, 10, 15, 101, 110, 1010, 2020)]
    ['零', '十', '十五', '一百零一', '一百一十', '一千零一十', '二千零二十']
    """
    if not 0 <= number <= 9999:
        raise ValueError(f"chinese_numeral writes 0 to 9999, got {number}")
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    parts = []
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // unit % 10
        if digit:
            if zero and parts:
                parts.append("零")
            parts.append(("" if unit == 10 and number < 20 else digits[digit]) + name)
            zero = False
        else:
            zero = True
    return "".join(parts)


# ---------------------------------------------------------------------------
# The heading pattern: one pass over a document finds every heading in it
# ---------------------------------------------------------------------------

_CN = "零〇一二三四五六七八九十百千两"
_NUM = f"[{_CN}0-9０-９]+"
# White space within a line: spaces, tabs, U+3000, the en space U+2002 of some Markdown texts, ...
_WS = r"[^\S\n]"
# After a heading word: white space or the end of the line.  "第三条规定的" and
# "第十二条的" are cross-references, not headings.
_END = f"(?={_WS}|$)"

# Each alternative is one named group around the numbers it captures: the
# group that closes last (match.lastgroup) names the kind of heading found.
_INDENT = rf"{_WS}*(?:\#{{1,6}}{_WS}+)?{_WS}*"
# Most lines begin with none of these: they fail here, before the alternatives are tried.
_FIRST = f"(?=[第（({_CN}0-9０-９\u2460-\u2473附PCSA])"
_ALTERNATIVES = rf"""
    (?:
        (?P<k_part>第(?P<part>{_NUM})(?P<partword>分编|编){_END})
      | (?P<k_chapter>第(?P<chapter>{_NUM})章{_END})
      | (?P<k_section>第(?P<section>{_NUM})节{_END})
      | (?P<k_article>第(?P<article>{_NUM})条(?:之(?P<insert>{_NUM}))?{_END})
      | (?P<k_en>(?P<en>Part|PART|Chapter|CHAPTER|Section|SECTION|Article|ARTICLE){_WS}+
            (?P<ennum>[0-9]+|[IVXLCDM]+)(?:[.:](?![0-9]))?(?={_WS}*$|{_WS}+[^a-z\s]|(?<=[.:])))
      | (?P<k_o1>(?P<o1>[{_CN}]+)、)
      | (?P<k_o2>[（(](?P<o2>[{_CN}]+)[）)])
      | (?P<k_o3>(?P<o3>[0-9０-９]{{1,3}})(?:[.．](?![0-9０-９])|、))
      | (?P<k_o4>[（(](?P<o4>[0-9０-９]{{1,3}})[）)])
      | (?P<k_o5>(?P<o5>[\u2460-\u2473]))
      | (?P<k_attachment>(?:附件|附表|附录)[{_CN}0-9０-９]*(?=[:：]|{_WS}|$)|附[:：]
            |(?:Annex|ANNEX|Appendix|APPENDIX|Attachment|ATTACHMENT)(?:{_WS}+[0-9A-Z]{{1,4}})?(?=[.:]|{_WS}|$))
    )
"""
_HEADINGS = re.compile(rf"^(?P<indent>{_INDENT}){_FIRST}{_ALTERNATIVES}[^\n]*", re.MULTILINE | re.VERBOSE)

# The pass over all documents finds the same headings as _HEADINGS with one group, the
# indentation and label, and without the rest of the line: taking its start and that group
# is all the Python work per heading.  It starts at the newline before a line, a literal the
# regular expression engine finds fast (the text is given with a newline in front), and what
# each distinct indentation and label is, is read once after, with _HEADINGS.
# Possessive quantifiers: backtracking into the indentation could never find a heading, since
# white space and "#" are not among the first characters _FIRST allows.
_SCAN_INDENT = rf"{_WS}*+(?:\#{{1,6}}{_WS}+)?+{_WS}*+"
# _ALTERNATIVES without their groups, and arranged for the engine: no two alternatives can
# match at the same place (each begins differently or, after 第 and the number, continues with
# a different word), so neither their order nor their grouping changes what is found; 第 and
# its number are read once, where _ALTERNATIVES reads them up to four times before an article.
_SCAN_ALTERNATIVES = rf"""
    (?:
        第{_NUM}(?:条(?:之{_NUM})?|章|节|分编|编){_END}
      | [（(](?:[{_CN}]+|[0-9０-９]{{1,3}})[）)]
      | [{_CN}]+、
      | [0-9０-９]{{1,3}}(?:[.．](?![0-9０-９])|、)
      | (?:Part|PART|Chapter|CHAPTER|Section|SECTION|Article|ARTICLE){_WS}+
            (?:[0-9]+|[IVXLCDM]+)(?:[.:](?![0-9]))?(?={_WS}*$|{_WS}+[^a-z\s]|(?<=[.:]))
      | [\u2460-\u2473]
      | (?:附件|附表|附录)[{_CN}0-9０-９]*(?=[:：]|{_WS}|$)|附[:：]
      | (?:Annex|ANNEX|Appendix|APPENDIX|Attachment|ATTACHMENT)(?:{_WS}+[0-9A-Z]{{1,4}})?(?=[.:]|{_WS}|$)
    )
"""
_SCAN = re.compile(rf"\n({_SCAN_INDENT}{_FIRST}{_SCAN_ALTERNATIVES})", re.MULTILINE | re.VERBOSE)
_SCAN_INDENT_MATCH = re.compile(_SCAN_INDENT).match

#: The article heading alone (a line beginning 第X条 or 第X条之Y, then white space).
ARTICLE_PATTERN = re.compile(rf"^{_WS}*第{_NUM}条(?:之{_NUM})?{_END}", re.MULTILINE)

_DATE_LINE = re.compile(
    rf"{_WS}*(?:[0-9０-９]{{4}}[年./-][0-9０-９]{{1,2}}[月./-][0-9０-９]{{1,2}}日?"
    rf"|[〇零一二三四五六七八九]{{4}}年[{_CN}]{{1,3}}月[{_CN}]{{1,3}}日){_WS}*"
)
# The characters a date line (日 or a digit) or a note line (a closing bracket) ends with.
_CLOSING_LAST = np.array([ord(ch) for ch in "日0123456789０１２３４５６７８９）)"], dtype=np.int64)
_NOTE_LINE = re.compile(rf"{_WS}*[（(]此件[^\n]*[）)]{_WS}*")
_SENTENCE_PUNCTUATION = frozenset("。，；：！？,;!?")
_PARAGRAPHS = re.compile(r"[^\n]*\S[^\n]*")
_SENTENCES = re.compile(r"[^\s。！？!?][^。！？!?\n]*(?:[。！？!?]+[”’」』）)\"']*|(?=\n)|$)|[。！？!?]+")

_OUTLINE = ("o1", "o2", "o3", "o4", "o5")
_LEVEL_WORDS = {"part": "编", "subpart": "分编", "chapter": "章", "section": "节", "article": "条"}

#: The columns of the units table (``item``, ``paragraph`` or ``sentence`` and its label follow ``article``).
UNIT_COLUMNS = (
    "unit_id", "doc_id", "kind", "chapter", "article", "insert", "text", "start", "end", "line",
    "part", "part_label", "part_title", "subpart", "subpart_label", "subpart_title",
    "chapter_label", "chapter_title", "section", "section_label", "section_title", "article_label",
)  # fmt: skip
_NUMBER_COLUMNS = ("part", "subpart", "section")
_TEXT_COLUMNS = ("part_label", "part_title", "subpart_label", "subpart_title", "chapter_label", "chapter_title",
                 "section_label", "section_title", "article_label")  # fmt: skip

#: The columns of the headings table.
HEADING_COLUMNS = ("doc_id", "level", "number", "label", "title", "start", "end", "line")

#: The columns of the problems table.
PROBLEM_COLUMNS = ("doc_id", "problem", "level", "found", "expected", "start", "line", "message")

#: Kinds of unit: numbered text, the text before the first heading, a whole unstructured
#: document, and what closes a document.
KINDS = ("clause", "preamble", "text", "signature", "date", "note", "attachment")

_ZH_COLUMNS = {
    "unit_id": "单元编号", "doc_id": "文件编号", "kind": "类型", "chapter": "章", "article": "条",
    "insert": "之", "item": "项", "item_label": "项号", "paragraph": "段", "sentence": "句", "text": "文本",
    "start": "起点", "end": "终点", "line": "行", "part": "编", "part_label": "编号", "part_title": "编名",
    "subpart": "分编", "subpart_label": "分编号", "subpart_title": "分编名", "chapter_label": "章号",
    "chapter_title": "章名", "section": "节", "section_label": "节号", "section_title": "节名",
    "article_label": "条号", "problem": "问题", "level": "层级", "found": "所见", "expected": "应为",
    "message": "说明",
}  # fmt: skip


def _label_of(level: str, number: int, like: str = "") -> str:
    """How the heading numbered ``number`` is written, in the style of the label ``like`` (第X条, Article 3, （三）)."""
    word = _LEVEL_WORDS.get(level)
    if like[:1].isascii() and like[:1].isalpha():
        english, _, numeral = like.partition(" ")
        roman = numeral.strip().rstrip(".:").isalpha()
        return f"{english} {_roman(number) if roman and 0 < number < 4000 else number}"
    if like and not like.startswith("第"):
        core = like.strip("（()）、.．")
        before, _, after = like.partition(core)
        if core and core[0] in _CN and 0 <= number <= 9999:
            core = chinese_numeral(number)
        elif core in _CIRCLED and 1 <= number <= 20:
            core = chr(0x2460 + number - 1)
        else:
            core = str(number)
        return before + core + after
    if word and 0 <= number <= 9999:
        return f"第{chinese_numeral(number)}{word}"
    return f"({number})"


def _describe(level: str, number: int, insert: int, like: str = "") -> str:
    return _label_of(level, number, like) + (f"之{chinese_numeral(insert)}" if insert and 0 <= insert <= 9999 else "")


# Which characters str.isspace() counts as white space: none lies beyond U+3000.
_SPACE_TABLE = np.array([chr(point).isspace() for point in range(0x3002)], dtype=bool)


def _is_space(characters: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Whether the characters at ``offsets`` (of :func:`_code_points`) are white space; false for offsets below 0."""
    points = characters[np.maximum(offsets, 0)]
    return (offsets >= 0) & _SPACE_TABLE[np.minimum(points, len(_SPACE_TABLE) - 1)]


def _end_of(text: str, start: int, stop: int) -> int:
    """``stop`` moved back over white space, not before ``start``; looks at the tail only where it can."""
    tail = text[max(start, stop - 64) : stop].rstrip()
    if tail or stop - 64 <= start:
        return max(start, stop - 64) + len(tail)
    return start + len(text[start:stop].rstrip())


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``start, end`` narrowed to leave out white space at either end."""
    piece = text[start:end]
    stripped = piece.lstrip()
    start += len(piece) - len(stripped)
    return start, start + len(stripped.rstrip())


def _lstrip_to(characters: np.ndarray, text: str, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """Each ``start`` moved on over white space, not past its ``stop``: ``text[start:stop].lstrip()`` begins there.

    All spans step one character at a time together; the rare run of white space longer than
    16 characters is finished by :meth:`str.lstrip`.
    """
    start = np.array(start, dtype=np.int64)
    active = np.flatnonzero(start < stop)
    for _ in range(16):
        if not len(active):
            break
        active = active[_is_space(characters, start[active])]
        start[active] += 1
        active = active[start[active] < stop[active]]
    for index in active.tolist():
        piece = text[start[index] : stop[index]]
        start[index] += len(piece) - len(piece.lstrip())
    return start


def _rstrip_to(characters: np.ndarray, text: str, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """Each ``stop`` moved back over white space, not before its ``start``: where ``text[start:stop].rstrip()`` ends."""
    end = np.maximum(np.asarray(stop, dtype=np.int64), start)
    active = np.flatnonzero(end > start)
    for _ in range(16):
        if not len(active):
            break
        active = active[_is_space(characters, end[active] - 1)]
        end[active] -= 1
        active = active[end[active] > start[active]]
    for index in active.tolist():
        end[index] = _end_of(text, int(start[index]), int(end[index]))
    return end


_K_PART, _K_CHAPTER, _K_SECTION, _K_ARTICLE, _K_EN = 0, 1, 2, 3, 4
_K_OUTLINE = (5, 6, 7, 8, 9)
_K_ATTACHMENT = 10
_KIND_CODES = {
    "k_part": 0, "k_chapter": 1, "k_section": 2, "k_article": 3, "k_en": 4,
    "k_o1": 5, "k_o2": 6, "k_o3": 7, "k_o4": 8, "k_o5": 9, "k_attachment": 10,
}  # fmt: skip
_PART, _SUBPART, _CHAPTER, _SECTION, _ARTICLE, _ITEM = range(6)
_HEADING_LEVELS = (_PART, _SUBPART, _CHAPTER, _SECTION)
_label_cache: dict[tuple[int, str], tuple[int, int]] = {}


def _problem(problem: str, level: str, found: str, expected: str, start: int, message: str) -> dict[str, Any]:
    return {"problem": problem, "level": level, "found": found, "expected": expected, "start": start, "message": message}


def _label_number(code: int, label: str) -> tuple[int, int]:
    """The number (-1 when unreadable) and the inserted number (之X, else 0) of a heading label."""
    key = (code, label)
    cached = _label_cache.get(key)
    if cached is not None:
        return cached
    insert = 0
    if code == _K_ARTICLE:
        body = label[1:].rstrip()
        head, _, tail = body.partition("之")
        number = parse_numeral(head.removesuffix("条"))
        if tail:
            insert = parse_numeral(tail) or 0
    elif code == _K_PART:
        number = parse_numeral(label[1:].removesuffix("分编").removesuffix("编"))
    elif code in (_K_CHAPTER, _K_SECTION):
        number = parse_numeral(label[1:-1])
    elif code == _K_EN:
        number = parse_numeral(label.split()[1].rstrip(".:"))
    elif code in (5, 7):
        number = parse_numeral(label[:-1])
    elif code in (6, 8):
        number = parse_numeral(label[1:-1])
    else:
        number = parse_numeral(label)
    result = (-1 if number is None else number, insert)
    if len(_label_cache) < 100_000:
        _label_cache[key] = result
    return result


def _label_kind(label: str) -> tuple[int, int, bool, int, int]:
    """What a heading label found by _SCAN is: its kind, English word, whether 分编, number and inserted number."""
    match = _HEADINGS.match(label)
    assert match is not None and match.lastgroup is not None  # _SCAN and _HEADINGS share their alternatives
    code = _KIND_CODES[match.lastgroup]
    english = {"part": 1, "chapter": 2, "section": 3, "article": 4}[label.split()[0].lower()] if code == _K_EN else 0
    return (code, english, code == _K_PART and "分编" in label, *_label_number(code, label))


def _forward(values: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """``values`` with each -1 replaced by the last value before it in the same document (-2 where there is none).

    The plain form of :func:`_heading_paths` (which the tests hold it to).
    """
    # The tokens are in document order: the last set value up to each position, if in the same document.
    positions = np.arange(len(values))
    last = np.maximum.accumulate(np.where(values != -1, positions, -1)) if len(values) else positions
    same = (last >= 0) & (doc[np.maximum(last, 0)] == doc)
    return np.where(same, values[np.maximum(last, 0)], -2)


def _heading_paths(level: np.ndarray, doc: np.ndarray, order: np.ndarray) -> dict[int, np.ndarray]:
    """For each heading level, the token each token is under: the last of that level before it, or -2.

    As :func:`_forward` of the tokens of that level (a token of a higher level in between, or
    none in the same document, gives -2), for all levels with one shared look at the documents:
    each position is marked twice over plus one where it is of the level itself, so that one
    running maximum gives both the last token at or above the level and whether it is of it.
    """
    first = np.zeros(len(doc), dtype=np.int64)
    if len(doc):
        # Where each token's document begins among the tokens: the last heading must not be before it.
        begins = np.flatnonzero(np.concatenate(([True], doc[1:] != doc[:-1])))
        first = np.repeat(begins, np.diff(np.append(begins, len(doc))))
    paths = {}
    for heading in (*_HEADING_LEVELS, _ARTICLE):
        marks = np.where(level <= heading, 2 * order + (level == heading), -1)
        last = np.maximum.accumulate(marks) if len(marks) else marks
        paths[heading] = np.where((last >= 0) & (last >> 1 >= first) & (last & 1 == 1), last >> 1, -2)
    return paths


def _segment_texts(texts: list[str], items: bool) -> tuple[dict[str, Any], list[dict[str, Any]], str, np.ndarray]:
    """Units and problems of many documents at once, cut at their articles (or outline clauses).

    The documents are joined with newlines and scanned by one pass of the
    heading pattern; everything after that works on arrays of the headings
    found, except the few steps that look at a unit's own text.  Returns the
    units as columns (offsets into the joined text), the problems, the joined
    text and where each document starts in it.
    """
    count = len(texts)
    lengths = np.fromiter((len(text) for text in texts), dtype=np.int64, count=count)
    doc_start = np.zeros(count, dtype=np.int64)
    if count:
        doc_start[1:] = np.cumsum(lengths + 1)[:-1]
    doc_end = doc_start + lengths
    joined = "\n".join(texts)
    characters = _code_points(joined)
    newlines = np.flatnonzero(characters == 10)
    # The one pass (see _SCAN).  A match starts at the newline before its line: in the text
    # with a newline in front, that is where the line starts in the joined text.
    starts: list[int] = []
    heads: list[str] = []
    add_start, add_head = starts.append, heads.append
    # Two bound appends and m[1] are the least Python work per match (a tuple, a generator or
    # match.group() each cost more, and keeping the match objects costs most).
    for match in _SCAN.finditer("\n" + joined):
        add_start(match.start())
        add_head(match[1])
    pos = np.array(starts, dtype=np.int64)
    # What a heading is depends on its indentation and label alone: each distinct one (a few
    # thousand among 100,000 headings) is read once.  Codes in order of first occurrence, as
    # pandas.factorize gives them, from a dict that numbers each new key as it is first seen.
    numbering: defaultdict[str, int] = defaultdict(itertools.count().__next__)
    head_codes = np.fromiter(map(numbering.__getitem__, heads), dtype=np.intp, count=len(heads))
    unique_heads = np.array(list(numbering), dtype=object)
    indents = [_SCAN_INDENT_MATCH(head).end() for head in unique_heads.tolist()]  # type: ignore[union-attr]
    content = pos + np.array(indents, dtype=np.int64).reshape(-1)[head_codes]
    # Where the heading's line begins to show: a unit or heading keeps its Markdown "#", not its indentation.
    shown = pos + np.array([indent - len(head[:indent].lstrip()) for head, indent in zip(unique_heads.tolist(), indents, strict=True)],
                           dtype=np.int64).reshape(-1)[head_codes]  # fmt: skip
    label_end = pos + np.array([len(head) for head in unique_heads.tolist()], dtype=np.int64).reshape(-1)[head_codes]
    line_end = np.append(newlines, len(joined))[np.searchsorted(newlines, label_end)]
    head_labels, unique_labels = pd.factorize(np.array([head[indent:] for head, indent in zip(unique_heads.tolist(), indents, strict=True)], dtype=object))
    label_codes = head_labels[head_codes]
    label_info = [_label_kind(label) for label in unique_labels.tolist()]
    code = np.array([info[0] for info in label_info], dtype=np.int64).reshape(-1)[label_codes]
    # English headings as small codes (1 part, 2 chapter, 3 section, 4 article): comparing words would cost more.
    english = np.array([info[1] for info in label_info], dtype=np.int8).reshape(-1)[label_codes]
    doc = np.searchsorted(doc_start, pos, side="right") - 1
    problems: list[dict[str, Any]] = []

    en_article = english == 4
    doc_en_article = np.bincount(doc[en_article], minlength=count) > 0
    unit_token = (code == _K_ARTICLE) | en_article | ((english == 3) & ~doc_en_article[doc])
    has_articles = np.bincount(doc[unit_token], minlength=count) > 0
    last_article = np.full(count, -1, dtype=np.int64)
    np.maximum.at(last_article, doc[unit_token], pos[unit_token])
    outline = (code >= 5) & (code <= 9)
    first_outline = np.full(count, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_outline, doc[outline], pos[outline])
    last_unit = np.where(has_articles, last_article, np.where(first_outline < np.iinfo(np.int64).max, first_outline, -1))
    # The body ends at the first attachment line after the last article (or the first outline heading).
    attachment = (code == _K_ATTACHMENT) & (pos > last_unit[doc])
    body_end = doc_end.copy()
    np.minimum.at(body_end, doc[attachment], pos[attachment])
    body = (pos < body_end[doc]) & (code != _K_ATTACHMENT)

    level = np.full(len(pos), -1, dtype=np.int64)
    level[code == _K_PART] = _PART
    parts = np.flatnonzero(code == _K_PART)
    level[parts[np.array([info[2] for info in label_info], dtype=bool).reshape(-1)[label_codes[parts]]]] = _SUBPART
    level[code == _K_CHAPTER] = _CHAPTER
    level[code == _K_SECTION] = _SECTION
    level[code == _K_ARTICLE] = _ARTICLE
    level[english == 1] = _PART
    level[english == 2] = _CHAPTER
    level[english == 3] = np.where(doc_en_article[doc[english == 3]], _SECTION, _ARTICLE)
    level[en_article] = _ARTICLE
    is_chapter = body & (level == _CHAPTER)
    doc_chapters = np.bincount(doc[is_chapter], minlength=count) > 0
    in_article_doc = has_articles[doc]
    # Documents with articles: （一） are items; 一、 lines are chapters where there are no 第X章
    # (司法解释 group their articles under 一、二、 headings), if they are title lines.
    level[in_article_doc & (code == 6)] = _ITEM
    candidates = np.flatnonzero(body & in_article_doc & (code == 5) & ~doc_chapters[doc])
    for index in candidates:
        rest = joined[label_end[index] : line_end[index]].strip()
        if "#" in joined[pos[index] : content[index]] or (len(rest) <= 30 and not _SENTENCE_PUNCTUATION.intersection(rest)):
            level[index] = _CHAPTER
    # Documents without articles: the outline levels present are the chapter, article and item.
    in_outline_doc = ~in_article_doc & outline & body
    if in_outline_doc.any():
        present = np.zeros((count, 5), dtype=bool)
        present[doc[in_outline_doc], code[in_outline_doc] - 5] = True
        rank = np.cumsum(present, axis=1) - 1
        levels_present = present.sum(axis=1)
        roles = np.where(
            doc_chapters[:, None],
            np.select([rank == 0, rank == 1], [_ARTICLE, _ITEM], -1),
            np.where(levels_present[:, None] > 1, np.select([rank == 0, rank == 1, rank == 2], [_CHAPTER, _ARTICLE, _ITEM], -1),
                     np.where(rank == 0, _ARTICLE, -1)),
        )  # fmt: skip
        selected = np.flatnonzero(in_outline_doc)
        level[selected] = roles[doc[selected], code[selected] - 5]

    keep = np.flatnonzero(body & (level >= 0))
    pos, code, content, shown, label_end, line_end, doc, level = (
        a[keep] for a in (pos, code, content, shown, label_end, line_end, doc, level)
    )
    label_codes = label_codes[keep]
    labels = unique_labels[label_codes].tolist()
    # A label (第十条之一, （三）, Article 12) is read once however often it occurs.
    number = np.array([info[3] for info in label_info], dtype=np.int64).reshape(-1)[label_codes]
    insert = np.array([info[4] for info in label_info], dtype=np.int64).reshape(-1)[label_codes]
    tokens = len(pos)
    order = np.arange(tokens, dtype=np.int64)
    # The heading path: for each token, the index of the heading of each level it is under.
    current = _heading_paths(level, doc, order)

    for index in np.flatnonzero(number < 0).tolist():
        problems.append((int(doc[index]), _problem("unreadable number", _LEVEL_NAMES[level[index]], labels[index],
                         "a numeral", int(content[index]), f"cannot read the number of {labels[index]!r}")))  # fmt: skip
    _check_numbering(doc, level, number, insert, labels, content, current, problems)

    # Units: each article from its heading to the next heading; the text under a heading
    # before its first article; the preamble before the first heading.
    structural = np.flatnonzero(level < _ITEM)
    s_doc = doc[structural]
    following = np.empty(len(structural), dtype=np.int64)
    if len(structural):
        following[:-1] = pos[structural][1:]
        last_of_doc = np.ones(len(structural), dtype=bool)
        last_of_doc[:-1] = s_doc[1:] != s_doc[:-1]
        following[last_of_doc] = body_end[s_doc[last_of_doc]]
    is_article = level[structural] == _ARTICLE
    # Articles, all at once: each ends before the white space (the line break at least) before
    # the next heading.
    unit_token = structural[is_article].tolist()
    unit_kind = ["clause"] * len(unit_token)
    article_start = shown[structural[is_article]]
    unit_start = article_start.tolist()
    unit_end = _rstrip_to(characters, joined, article_start, following[is_article]).tolist()
    # The text under a heading (chapter, section, outline) before its first article.
    under = structural[~is_article]
    stop = following[~is_article]
    start = _lstrip_to(characters, joined, line_end[under], stop)
    end = _rstrip_to(characters, joined, start, stop)
    for position in np.flatnonzero((code[under] >= _K_OUTLINE[0]) & (code[under] <= _K_OUTLINE[-1])).tolist():
        # An outline heading (一、) is often a clause itself ("一、高度重视数据安全工作。"):
        # its line belongs to the unit, unless it is a bare title with nothing under it.
        index = under[position]
        rest = joined[label_end[index] : line_end[index]].strip()
        if start[position] < end[position] or len(rest) > 30 or _SENTENCE_PUNCTUATION.intersection(rest):
            start[position], end[position] = _trim(joined, int(shown[index]), int(stop[position]))
    kept = start < end
    # Listed with the problems of whole documents, in document order (as policyquant.dask lists them).
    document_problems: list[tuple[int, dict[str, Any]]] = []
    _report_unspaced_articles(joined, under, code, start, end, kept, doc, document_problems)
    unit_token.extend(under[kept].tolist())
    unit_kind.extend(["heading"] * int(kept.sum()))
    unit_start.extend(start[kept].tolist())
    unit_end.extend(end[kept].tolist())
    first_structural = body_end.copy()
    np.minimum.at(first_structural, s_doc, pos[structural])
    with_structure = np.bincount(s_doc, minlength=count) > 0
    # The preamble: the text before the first heading (the whole text where there is none).
    start = _lstrip_to(characters, joined, doc_start, first_structural)
    end = _rstrip_to(characters, joined, start, first_structural)
    blank = np.array([not text or text.isspace() for text in texts], dtype=bool)  # not text.strip(), without copying the text
    preamble = ~blank & (start < end)
    unit_token.extend([-1] * int(preamble.sum()))
    unit_kind.extend(np.where(with_structure[preamble], "preamble", "text").tolist())
    unit_start.extend(start[preamble].tolist())
    unit_end.extend(end[preamble].tolist())
    for number_ in np.flatnonzero(blank | ~with_structure).tolist():
        if blank[number_]:
            document_problems.append((number_, _problem("empty", "document", "", "text", int(doc_start[number_]), "the document has no text")))
        else:
            document_problems.append((number_, _problem("unstructured", "document", "", "article, chapter or outline headings",
                                      int(doc_start[number_]), "no article, chapter or outline heading found: the whole text is one "
                                      "unit (unit='paragraph' cuts it into paragraphs)")))  # fmt: skip
    problems.extend(sorted(document_problems, key=lambda entry: entry[0]))  # stable: a document's own order stays

    unit_token_array = np.array(unit_token, dtype=np.int64)
    unit_start_array = np.array(unit_start, dtype=np.int64)
    unit_doc = np.searchsorted(doc_start, unit_start_array, side="right") - 1
    order_units = np.lexsort((unit_start_array, unit_doc))
    # The units as arrays, in document and text order.
    units = {
        "token": unit_token_array[order_units],
        "kind": np.array(unit_kind, dtype=object)[order_units],
        "start": unit_start_array[order_units],
        "end": np.array(unit_end, dtype=np.int64)[order_units],
        "doc": unit_doc[order_units],
        "label": np.full(len(unit_token), "", dtype=object),
    }
    _close_documents(joined, units, doc_start, doc_end, body_end, texts, characters)

    item_lists: dict[int, list[int]] | None = None
    if items:
        item_lists = {}
        for index in np.flatnonzero(level == _ITEM).tolist():
            parent = int(current[_ARTICLE][index])
            if parent >= 0:
                item_lists.setdefault(parent, []).append(index)

    # The headings' titles (the rest of the heading line) and where their lines end, white space left out.
    heads = np.flatnonzero(level < _ARTICLE)
    title_start = _lstrip_to(characters, joined, label_end[heads], line_end[heads])
    title_end = _rstrip_to(characters, joined, title_start, line_end[heads])
    titles = [joined[a:b] for a, b in zip(title_start.tolist(), title_end.tolist(), strict=True)]
    heading_end = _rstrip_to(characters, joined, shown[heads], line_end[heads])
    table = _unit_columns(units, level, number, insert, labels, titles, current, label_codes, unique_labels)
    token_info = {"pos": pos, "content": content, "shown": shown, "number": number, "labels": labels, "items": item_lists,
                  "titles": titles, "heading_end": heading_end,
                  "level": level, "doc": doc, "label_end": label_end, "line_end": line_end}  # fmt: skip
    return {"table": table, "tokens": token_info, "units": units, "newlines": newlines}, problems, joined, doc_start


_LEVEL_NAMES = ("part", "subpart", "chapter", "section", "article", "item")

#: A line that begins like an article but runs on without white space after its label: 第一条为了…
_UNSPACED_ARTICLE = re.compile(rf"^{_WS}*(第{_NUM}条(?:之{_NUM})?)(?!{_WS}|$|之)([^\n]{{0,20}})", re.MULTILINE)


def _report_unspaced_articles(
    joined: str, under: np.ndarray, code: np.ndarray, start: np.ndarray, end: np.ndarray, kept: np.ndarray,
    doc: np.ndarray, problems: list[tuple[int, dict[str, Any]]],
) -> None:  # fmt: skip
    """A problem for each part, chapter or section whose own text has lines like articles without a space (第一条为了…).

    Such a line is no heading (a heading's label is followed by white space,
    so that "第三条规定的" stays a cross-reference), and its article stays in
    the text under the chapter heading: the problem says so rather than the
    articles being merged without a word.  Only the text between a heading
    and its first article is searched, a few units per document.
    """
    for position in np.flatnonzero(kept & (code[under] <= _K_SECTION)).tolist():
        begin = joined.rfind("\n", 0, int(start[position])) + 1
        found = list(_UNSPACED_ARTICLE.finditer(joined, begin, int(end[position])))
        if not found:
            continue
        first = found[0]
        more = f" and {len(found) - 1} more line(s)" if len(found) > 1 else ""
        problems.append((int(doc[under[position]]), _problem(
            "article without space", "article", first.group(1), "第X条 followed by white space (a space or U+3000)",
            first.start(1), f"a line that looks like an article without a space after its label "
            f"({first.group(0).strip()}{'…' if len(first.group(2)) == 20 else ''}){more}: "
            "it is not cut into an article and stays in the chapter's text; write a space after the label")))  # fmt: skip


def _check_numbering(
    doc: np.ndarray, level: np.ndarray, number: np.ndarray, insert: np.ndarray, labels: list[str],
    content: np.ndarray, current: dict[int, np.ndarray], problems: list[tuple[int, dict[str, Any]]],
) -> None:  # fmt: skip
    """Gaps, repeats and numbers out of order, per level, each reported where it is found.

    A level may start again at 1 under a new parent (chapters in each part)
    or go on from its last number; sections start at 1 in each chapter and
    items in each article (a new list of items in the same article may start
    again at 1).  Nothing is renumbered.
    """
    for value in range(6):
        chosen = np.flatnonzero((level == value) & (number >= 0))
        if not len(chosen):
            continue
        this_doc = doc[chosen]
        num = number[chosen]
        ins = insert[chosen]
        first = np.ones(len(chosen), dtype=bool)
        first[1:] = this_doc[1:] != this_doc[:-1]
        parents = (_PART, _SUBPART, _CHAPTER) if value == _ARTICLE else (_ARTICLE,) if value == _ITEM else _HEADING_LEVELS[:value]
        new_parent = np.zeros(len(chosen), dtype=bool)
        for parent in parents:
            path = current[parent][chosen]
            new_parent[1:] |= path[1:] != path[:-1]
        if value in (_SECTION, _ITEM):
            first |= new_parent
            new_parent[:] = False
        previous_number = np.concatenate(([0], num[:-1]))
        previous_insert = np.concatenate(([0], ins[:-1]))
        ok = np.where(
            ins > 0,
            (num == previous_number) & (ins == previous_insert + 1),
            np.where(new_parent, (num == 1) | (num == previous_number + 1), num == previous_number + 1),
        )
        if value == _ITEM:
            ok |= num == 1
        start_problem = first & (num != 1) & (ins == 0) & (value != _PART)
        ok = np.where(first, ~start_problem, ok)
        name = _LEVEL_NAMES[value]
        for position in np.flatnonzero(~ok).tolist():
            index = int(chosen[position])
            label = labels[index]
            if first[position]:
                expected = _label_of(name, 1, label)
                problems.append((int(this_doc[position]), _problem("start", name, label, expected, int(content[index]),
                                 f"the first {name} is {label}, not {expected}")))  # fmt: skip
                continue
            before = (int(previous_number[position]), int(previous_insert[position]))
            here = (int(num[position]), int(ins[position]))
            if here[1]:
                expected = _describe(name, before[0], before[1] + 1, label)
            elif new_parent[position]:
                expected = f"{_label_of(name, 1, label)} or {_label_of(name, before[0] + 1, label)}"
            else:
                expected = _label_of(name, before[0] + 1, label)
            kind = "repeat" if here == before else "order" if here < before else "gap"
            problems.append((int(this_doc[position]), _problem(kind, name, label, expected, int(content[index]),
                             f"{label} follows {_describe(name, *before, label)} ({kind}); expected {expected}")))  # fmt: skip


def _close_documents(
    joined: str, units: dict[str, list[Any]], doc_start: np.ndarray, doc_end: np.ndarray, body_end: np.ndarray,
    texts: list[str], characters: np.ndarray,
) -> None:  # fmt: skip
    """Tag the signature, date and note lines that end each body, and the attachments after it."""
    kinds, starts, ends, docs = units["kind"], units["start"], units["end"], units["doc"]
    last = np.flatnonzero(np.append(docs[1:] != docs[:-1], True)) if len(docs) else np.zeros(0, dtype=np.int64)
    added: list[Any] = []
    last = last[np.isin(kinds[last], ["clause", "heading", "text"])]
    # A closing block ends with a date or note line, so the unit's last character (its end is
    # trimmed) is one a date or a note ends with: the other units need no look.
    last = last[np.isin(characters[np.maximum(ends[last] - 1, 0)], _CLOSING_LAST)]
    for position in last.tolist():
        closing = _closing(joined, int(starts[position]), int(ends[position]))
        if closing is None:
            continue
        cut, tagged = closing
        ends[position] = starts[position] + len(joined[starts[position] : cut].rstrip())
        added.extend((int(docs[position]), kind, start, end, -1, "") for kind, start, end in tagged)
    for doc in np.flatnonzero(body_end < doc_end).tolist():
        number = 0
        previous: list[Any] | None = None
        for match in _HEADINGS.finditer(joined, int(body_end[doc]), int(doc_end[doc])):
            if match.lastgroup != "k_attachment":
                continue
            if previous is not None:
                previous[3] = previous[2] + len(joined[previous[2] : match.start()].rstrip())
            number += 1
            previous = [doc, "attachment", match.end("indent"), int(doc_end[doc]), -1 - number, match.group("k_attachment")]
            previous[3] = previous[2] + len(joined[previous[2] : previous[3]].rstrip())
            added.append(previous)  # type: ignore[arg-type]
    if added:
        added.sort(key=lambda row: (row[0], row[2]))
        extra = dict(zip(("doc", "kind", "start", "end", "token", "label"), zip(*added, strict=True), strict=True))
        # The rows added close their document: after its other rows (a stable sort by document keeps that).
        merged = {key: np.concatenate([units[key], np.array(extra[key], dtype=units[key].dtype)]) for key in units}
        order = np.argsort(merged["doc"], kind="stable")
        for key, values in merged.items():
            units[key] = values[order]


def _unit_columns(
    units: dict[str, list[Any]], level: np.ndarray, number: np.ndarray, insert: np.ndarray, labels: list[str],
    titles: list[str], current: dict[int, np.ndarray], label_codes: np.ndarray, unique_labels: np.ndarray,
) -> dict[str, Any]:  # fmt: skip
    """The number and heading-path columns of each unit, gathered from its heading token.

    ``label_codes`` gives each token's label as a position in ``unique_labels``.
    """
    token = units["token"]
    kind = units["kind"].copy()
    has_token = token >= 0
    safe = np.where(has_token, token, 0)
    # One extra slot at the end stands for "no heading" (index -1 after the -2 of _heading_paths is mapped there).
    # The label and title columns take their values from small pools (the distinct labels,
    # the headings' titles), each with an empty value last: few values to convert to text.
    label_pool = np.append(np.asarray(unique_labels, dtype=object), "")
    label_of = np.append(label_codes, len(label_pool) - 1)
    headings = np.flatnonzero(level < _ARTICLE)
    title_pool = np.array([*titles, ""], dtype=object)
    title_of = np.full(len(labels) + 1, len(headings), dtype=np.int64)
    title_of[headings] = np.arange(len(headings))
    numbers = np.append(number, -1)
    none = len(labels)
    columns: dict[str, Any] = {}
    for value in _HEADING_LEVELS:
        name = _LEVEL_NAMES[value]
        path = current[value][safe] if len(level) else np.full(len(token), -2)
        path = np.where(has_token & (path >= 0), path, none)
        heading_numbers = numbers[path]
        columns[name] = pd.array(np.where(heading_numbers >= 0, heading_numbers, 0), dtype="Int64")
        columns[name][heading_numbers < 0] = pd.NA
        columns[f"{name}_label"] = _Pooled(label_pool, label_of[path])
        columns[f"{name}_title"] = _Pooled(title_pool, title_of[path])
    columns["chapter"] = np.where(columns["chapter"].isna(), 0, columns["chapter"].fillna(0).to_numpy(dtype=np.int64))
    article_token = has_token & (level[safe] == _ARTICLE) if len(level) else has_token
    article = np.where(article_token, numbers[safe], 0)
    attachment = kind == "attachment"
    article = np.where(attachment, -token - 1, article)
    columns["article"] = pd.array(article, dtype="Int64")
    columns["article"][(article_token & (article < 0)) | np.isin(kind, ["signature", "date", "note"])] = pd.NA
    columns["insert"] = np.where(article_token, np.append(insert, 0)[safe], 0)
    # An attachment's label (附件1) is not a heading's: it joins the pool after the headings' labels.
    attached = np.flatnonzero(attachment)
    pool = np.concatenate([label_pool, units["label"][attached]]) if len(attached) else label_pool
    article_index = label_of[np.where(article_token, safe, none)]
    article_index[attached] = len(label_pool) + np.arange(len(attached))
    columns["article_label"] = _Pooled(pool, article_index)
    kind[kind == "heading"] = "clause"
    columns["kind"] = kind
    return columns


class _Pooled:
    """A text column as positions in a pool of distinct-enough values: taken once, when the table is built.

    Heading labels and titles repeat over thousands of units; taking them from
    the pool as an Arrow array costs a fraction of converting each unit's copy.
    """

    def __init__(self, pool: np.ndarray, index: np.ndarray) -> None:
        self.pool = pool
        self.index = index

    def __getitem__(self, rows: np.ndarray) -> _Pooled:
        return _Pooled(self.pool, self.index[rows])

    def __len__(self) -> int:
        return len(self.index)

    def values(self, converted: dict[int, Any]) -> Any:
        """The column, in pandas' default text dtype; ``converted`` keeps each pool's Arrow array for the next column."""
        dtype = pd.Series(["-"]).dtype
        if getattr(dtype, "storage", None) == "pyarrow":
            import pyarrow as pa

            if id(self.pool) not in converted:
                converted[id(self.pool)] = pa.array(self.pool.tolist(), type=pa.large_string())
            return pd.array(converted[id(self.pool)].take(pa.array(self.index)), dtype=dtype)
        return self.pool[self.index]


def _closing(text: str, start: int, end: int) -> tuple[int, list[tuple[str, int, int]]] | None:
    """The signature, date and note lines that end ``text[start:end]``: where they begin, and each of them.

    Only a block with a date line counts: a short last line alone may be the
    end of a clause.  At most a dozen lines are looked at.
    """
    lines = []
    position = end
    while position > start and len(lines) < 12:
        line_start = text.rfind("\n", start, position) + 1
        if line_start <= start:
            break
        lines.append((line_start, position))
        position = line_start - 1
    tagged: list[tuple[str, int, int]] = []
    index = 0
    while index < len(lines):
        line_start, line_end = lines[index]
        piece = text[line_start:line_end]
        if not piece.strip():
            index += 1
            continue
        if _NOTE_LINE.fullmatch(piece):
            tagged.append(("note", *_trim(text, line_start, line_end)))
        elif _DATE_LINE.fullmatch(piece):
            tagged.append(("date", *_trim(text, line_start, line_end)))
        else:
            break
        index += 1
    if not any(kind == "date" for kind, _, _ in tagged):
        return None
    signature: list[tuple[int, int]] = []
    while index < len(lines) and len(signature) < 6:
        line_start, line_end = lines[index]
        piece = text[line_start:line_end].strip()
        if not piece:
            if signature:
                break
            index += 1
            continue
        if len(piece) > 40 or _SENTENCE_PUNCTUATION.intersection(piece) or _HEADINGS.match(text, line_start):
            break
        signature.append((line_start, line_end))
        index += 1
    if signature:
        tagged.append(("signature", *_trim(text, signature[-1][0], signature[0][1])))
    tagged.sort(key=lambda row: row[1])
    first = tagged[0][1]
    if not text[start:first].strip():
        # Nothing would be left of the unit: these lines are its text, not a closing block.
        return None
    return first, tagged


def _segment_frame(
    doc_ids: list[str], texts: list[str], unit: str
) -> tuple[pd.DataFrame, list[tuple[int, dict[str, Any]]], pd.DataFrame]:
    """The units table of ``texts`` (offsets within each document), their problems, and their headings.

    The columns stay arrays until the table is built, once, at the end.
    """
    result, problems, joined, doc_start = _segment_texts(texts, items=unit == "item")
    units = result["units"]
    columns: dict[str, Any] = {"_doc": units["doc"], "_token": units["token"], "start": units["start"], "end": units["end"],
                               **result["table"]}  # fmt: skip
    extra: list[str] = []
    if unit != "article":
        source, starts, ends, numbers, labels = _subdivide(joined, columns, unit, result["tokens"])
        columns = {key: value[source] for key, value in columns.items()}
        columns["start"], columns["end"] = starts, ends
        columns[unit] = numbers
        extra = [unit]
        if unit == "item":
            columns["item_label"] = labels
            extra.append("item_label")
    starts, ends, docs = columns["start"], columns["end"], columns["_doc"]
    newlines = result["newlines"]
    offset = doc_start[docs]
    converted: dict[int, Any] = {}
    # Every text column is made in pandas' text dtype here, from Arrow where pandas keeps text
    # in Arrow, so that building the table converts none of them again.
    id_pool = np.array(doc_ids, dtype=object)
    table = {
        "unit_id": _unit_ids(None, columns, unit if extra else None, (id_pool, docs)),
        "doc_id": _Pooled(id_pool, docs).values(converted) if len(docs) else id_pool[docs],
        "kind": _pooled_text(columns["kind"]),
        "chapter": columns["chapter"],
        "article": columns["article"],
        **({unit: columns[unit]} if extra else {}),
        "insert": columns["insert"],
        "text": _text_array([joined[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]),
        "start": starts - offset,
        "end": ends - offset,
        "line": np.searchsorted(newlines, starts) - np.searchsorted(newlines, offset) + 1,
    }
    for name in UNIT_COLUMNS[10:]:
        table[name] = columns[name].values(converted) if isinstance(columns[name], _Pooled) else columns[name]
    if unit == "item":
        table["item_label"] = columns["item_label"]
    frame = pd.DataFrame(table)
    problems = [(doc, {**row, "start": row["start"] - int(doc_start[doc])}) for doc, row in problems]
    headings = _headings_frame(joined, result["tokens"], doc_start, newlines)
    headings.insert(0, "doc_id", np.array(doc_ids, dtype=object)[headings.pop("_doc").to_numpy()])
    return frame, problems, headings


def _code_points(text: str) -> np.ndarray:
    """The characters of ``text`` as numbers, one per character (so indexed by character offset)."""
    # UTF-16 is half the bytes of UTF-32, and exact while no character lies beyond U+FFFF.
    encoded = text.encode("utf-16-le")
    if len(encoded) == 2 * len(text):
        return np.frombuffer(encoded, dtype=np.uint16)
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def _newlines(text: str) -> np.ndarray:
    """The offsets of the line breaks of ``text`` (in characters)."""
    return np.flatnonzero(_code_points(text) == 10)


def _unit_ids_python(doc_ids: np.ndarray, columns: dict[str, Any], sub: str | None) -> np.ndarray:
    """``<doc_id>-<chapter>-<article>[.<insert>][-<sub>]``, or ``<doc_id>-<kind>[-<n>]`` past the body; unique."""
    kind = columns["kind"]
    article = columns["article"]
    article_values = article.to_numpy(dtype=np.int64, na_value=0)
    insert = columns["insert"]
    numbers = columns[sub].to_numpy(dtype=np.int64, na_value=-1) if sub else None
    ids = []
    for position, (doc, what, chapter, number, inserted) in enumerate(
        zip(doc_ids.tolist(), kind.tolist(), columns["chapter"].tolist(), article_values.tolist(), insert.tolist(), strict=True)
    ):
        if what == "attachment":
            ids.append(f"{doc}-attachment-{number}")
        elif what not in ("clause", "preamble", "text"):
            ids.append(f"{doc}-{what}")
        else:
            text = f"{doc}-{chapter}-{number}.{inserted}" if inserted else f"{doc}-{chapter}-{number}"
            if numbers is not None and numbers[position] >= 0:
                text = f"{text}-{numbers[position]}"
            ids.append(text)
    series = pd.Series(ids, dtype=object)
    repeated = series.duplicated(keep=False).to_numpy()
    if repeated.any():
        # A number written twice keeps its number; its later units get _2, _3 ... so that ids stay unique.
        subset = series[repeated]
        count = subset.groupby(subset, sort=False).cumcount().to_numpy()
        values = subset.to_numpy(dtype=object, copy=True)
        values[count > 0] = [f"{v}_{c + 1}" for v, c in zip(values[count > 0].tolist(), count[count > 0].tolist(), strict=True)]
        series[repeated] = values
    return series.to_numpy(dtype=object)


def _unit_ids(
    doc_ids: np.ndarray | None, columns: dict[str, Any], sub: str | None, pooled: tuple[np.ndarray, np.ndarray] | None = None
) -> Any:
    """``<doc_id>-<chapter>-<article>[.<insert>][-<sub>]``, or ``<doc_id>-<kind>[-<n>]`` past the body; unique.

    ``pooled`` gives the document ids as a pool of distinct ids and each unit's position in it,
    in place of ``doc_ids``.  Where pandas keeps text in Arrow, what follows the document id
    is written once per distinct numbering (a few thousand among 100,000 units) and the ids
    are joined by Arrow from the two pools, with repeats found on integer codes: no Python
    string per unit.  Else :func:`_unit_ids_python`; both give the same ids.
    """
    if pooled is None:
        assert doc_ids is not None
        codes, pool = pd.factorize(np.asarray(doc_ids, dtype=object))
        pooled = (np.asarray(pool, dtype=object), codes)
    id_pool, docs = pooled
    arrow = _arrow_text()
    if arrow is None or not len(docs):
        return _unit_ids_python(id_pool[docs], columns, sub)
    pa, dtype = arrow
    import pyarrow.compute as pc

    rows = len(docs)
    kind_codes, kind_pool = pd.factorize(np.asarray(columns["kind"], dtype=object))
    kind_names = kind_pool.tolist()
    # 0: numbered (clause, preamble, text); 1: attachment; 2: any other kind, named by its kind alone.
    kind_class = np.array([0 if name in ("clause", "preamble", "text") else 1 if name == "attachment" else 2
                           for name in kind_names], dtype=np.int8)[kind_codes]  # fmt: skip
    plain = kind_class == 0
    article = columns["article"].to_numpy(dtype=np.int64, na_value=0)
    numbers = columns[sub].to_numpy(dtype=np.int64, na_value=-1) if sub else np.full(rows, -1, dtype=np.int64)
    # Each unit's numbering reduced to what its id shows, then numbered by distinct value.
    parts = (
        np.where(plain, -1, kind_codes),
        np.where(plain, np.asarray(columns["chapter"], dtype=np.int64), 0),
        np.where(kind_class == 2, 0, article),
        np.where(plain, np.asarray(columns["insert"], dtype=np.int64), 0),
        np.where(plain & (numbers >= 0), numbers, -1),
    )
    low = [int(part.min()) for part in parts]
    spans = [int(part.max()) - start + 1 for part, start in zip(parts, low, strict=True)]
    if float(np.prod(np.array(spans, dtype=np.float64))) < 2.0**62:
        # Small numbers (as they are): the parts packed into one integer, numbered in one go.
        packed = np.zeros(rows, dtype=np.int64)
        for part, start, span in zip(parts, low, spans, strict=True):
            packed = packed * span + (part - start)
        key, _ = pd.factorize(packed)
    else:
        key = np.zeros(rows, dtype=np.int64)
        for part in parts:
            part_codes, part_values = pd.factorize(part)
            key, _ = pd.factorize(key * len(part_values) + part_codes)
    # pandas.factorize numbers values in order of first occurrence: a key's first row is where it exceeds all before it.
    first = np.flatnonzero(key > np.maximum.accumulate(np.concatenate(([-1], key[:-1]))))
    suffixes = []
    for what, chapter, number, inserted, sub_number in zip(
        kind_class[first].tolist(), *(part[first].tolist() for part in parts[1:]), strict=True
    ):
        if what == 0:
            text = f"-{chapter}-{number}.{inserted}" if inserted else f"-{chapter}-{number}"
            suffixes.append(f"{text}-{sub_number}" if sub_number >= 0 else text)
        else:
            suffixes.append(f"-attachment-{number}" if what == 1 else "")
    for position in np.flatnonzero(kind_class[first] == 2).tolist():
        suffixes[position] = f"-{kind_names[kind_codes[first[position]]]}"
    # Equal texts share one code, so that equal ids within a document have equal codes.
    numbering: defaultdict[str, int] = defaultdict(itertools.count().__next__)
    suffix_codes = np.fromiter(map(numbering.__getitem__, suffixes), dtype=np.int64, count=len(suffixes))[key]
    suffix_pool = list(numbering)
    doc_text = pa.array(id_pool.tolist(), type=pa.large_string()).take(pa.array(docs))
    ordered = sorted(id_pool.tolist())
    if any(later.startswith(earlier) for earlier, later in itertools.pairwise(ordered)):
        # One document id begins another ("a", "a-1"): ids of two documents may meet, so repeats are found on the ids.
        joined = pc.binary_join_element_wise(doc_text, pa.array(suffix_pool, type=pa.large_string()).take(pa.array(suffix_codes)), pa.scalar("", pa.large_string()))
        same = pc.dictionary_encode(joined).indices.to_numpy()
    else:
        same = np.asarray(docs, dtype=np.int64) * len(suffix_pool) + suffix_codes
    groups, distinct = pd.factorize(same)
    if len(distinct) < rows:
        repeated = np.flatnonzero(np.bincount(groups)[groups] > 1)
        # A number written twice keeps its number; its later units get _2, _3 ... so that ids stay unique.
        later = pd.Series(groups[repeated]).groupby(groups[repeated], sort=False).cumcount().to_numpy()
        renamed = repeated[later > 0]
        suffix_pool.extend(f"{suffix_pool[code]}_{n + 1}" for code, n in zip(suffix_codes[renamed].tolist(), later[later > 0].tolist(), strict=True))
        suffix_codes = suffix_codes.copy()
        suffix_codes[renamed] = len(suffix_pool) - len(renamed) + np.arange(len(renamed))
    ids = pc.binary_join_element_wise(doc_text, pa.array(suffix_pool, type=pa.large_string()).take(pa.array(suffix_codes)), pa.scalar("", pa.large_string()))
    return pd.array(ids, dtype=dtype)


def _pooled_text(values: np.ndarray) -> Any:
    """``values`` (str, few distinct) as pandas' text array: each distinct value converted once."""
    arrow = _arrow_text()
    if arrow is None or not len(values):
        return _text_array(values)
    pa, dtype = arrow
    codes, pool = pd.factorize(np.asarray(values, dtype=object))
    return pd.array(pa.array(pool.tolist(), type=pa.large_string()).take(pa.array(codes)), dtype=dtype)


def _text_array(values: Any) -> Any:
    """``values`` (str) as pandas' text array, made through Arrow where pandas keeps text in Arrow.

    No values are given back as they are: an empty table keeps the dtypes it has always had
    (pandas infers no text dtype from nothing).
    """
    arrow = _arrow_text()
    if not len(values):
        return values
    if arrow is None:
        return np.asarray(values, dtype=object)
    pa, dtype = arrow
    return pd.array(pa.array(values, type=pa.large_string()), dtype=dtype)


def _arrow_text() -> tuple[Any, Any] | None:
    """pyarrow and pandas' text dtype where pandas keeps text in Arrow (its default with pyarrow), else None."""
    dtype = pd.Series(["-"]).dtype
    if getattr(dtype, "storage", None) != "pyarrow":
        return None
    import pyarrow as pa

    return pa, dtype


def _headings_frame(joined: str, tokens: dict[str, Any], doc_start: np.ndarray, newlines: np.ndarray) -> pd.DataFrame:
    """One row per heading (编, 分编, 章, 节, or the outline level that serves as chapter) the units are under."""
    heads = np.flatnonzero(tokens["level"] < _ARTICLE)
    content = tokens["shown"][heads]
    ends = tokens["heading_end"]
    docs = tokens["doc"][heads]
    offset = doc_start[docs]
    numbers = tokens["number"][heads]
    return pd.DataFrame(
        {
            "_doc": docs,
            "level": np.array(_LEVEL_NAMES, dtype=object)[tokens["level"][heads]],
            "number": pd.array([n if n >= 0 else None for n in numbers.tolist()], dtype="Int64"),
            "label": [tokens["labels"][i] for i in heads.tolist()],
            "title": tokens["titles"],
            "start": content - offset,
            "end": ends - offset,
            "line": np.searchsorted(newlines, content) - np.searchsorted(newlines, offset) + 1,
        }
    )


def _subdivide(
    joined: str, columns: dict[str, Any], unit: str, tokens: dict[str, Any]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, Any, np.ndarray]:
    """Each clause cut into its items, paragraphs or sentences, numbered within the clause.

    Returns, per new unit, the unit it comes from, its span, its number and (items) its label.
    """
    source: list[int] = []
    numbers: list[int] = []
    item_labels: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    items = tokens["items"] or {}
    pattern = _PARAGRAPHS if unit == "paragraph" else _SENTENCES
    # A whole unstructured document ("text") is cut too: that is what unit="paragraph" is for there.
    clause = np.isin(columns["kind"], ["clause", "text"])
    for row, (is_clause, token, start, end) in enumerate(
        zip(clause.tolist(), columns["_token"].tolist(), columns["start"].tolist(), columns["end"].tolist(), strict=True)
    ):
        if not is_clause:
            source.append(row)
            numbers.append(-1)
            item_labels.append("")
            starts.append(start)
            ends.append(end)
            continue
        if unit == "item":
            # The lead-in before the first item is item 0; a clause without items is item 0 alone.
            inside = [index for index in items.get(token, []) if tokens["pos"][index] < end]
            bounds = [int(tokens["pos"][index]) for index in inside] + [end]
            pieces = []
            lead = _trim(joined, start, bounds[0])
            if lead[0] < lead[1]:
                pieces.append((0, "", *lead))
            for index, following in zip(inside, bounds[1:], strict=True):
                number = int(tokens["number"][index])
                pieces.append((max(number, 0), tokens["labels"][index], *_trim(joined, int(tokens["shown"][index]), following)))
        else:
            pieces = []
            for number, match in enumerate(pattern.finditer(joined, start, end), start=1):
                piece = _trim(joined, match.start(), match.end())
                if piece[0] < piece[1]:
                    pieces.append((number, "", *piece))
        for number, label, piece_start, piece_end in pieces:
            source.append(row)
            numbers.append(number)
            item_labels.append(label)
            starts.append(piece_start)
            ends.append(piece_end)
    return (
        np.array(source, dtype=np.int64),
        np.array(starts, dtype=np.int64),
        np.array(ends, dtype=np.int64),
        pd.array([n if n >= 0 else None for n in numbers], dtype="Int64"),
        np.array(item_labels, dtype=object),
    )


class _BuiltinSegmenter:
    """A built-in unit: called with one text as any segmenter is, and on many texts at once by :func:`segment`."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self.__doc__ = f"The built-in {unit!r} segmenter of policyquant.documents.segmentation."

    def __call__(self, text: str) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
        frame, problems, _headings = self.segment_texts(["-"], [text])
        return frame.drop(columns=["unit_id", "doc_id", "text", "line"]), [row for _, row in problems]

    def segment_texts(
        self, doc_ids: list[str], texts: list[str]
    ) -> tuple[pd.DataFrame, list[tuple[int, dict[str, Any]]], pd.DataFrame]:
        return _segment_frame(doc_ids, texts, self.unit)

    def __repr__(self) -> str:
        return f"<policyquant segmenter {self.unit!r}>"


@hookimpl
def policyquant_register_segmenters(register: Callable[..., None]) -> None:
    """Register the built-in units: ``article``, ``item``, ``paragraph`` and ``sentence``.

    Examples
    --------
    >>> import policyquant as pq
    >>> sorted(pq.plugins.get_registry().segmenters())
    ['article', 'item', 'paragraph', 'sentence']
    """
    for unit in UNITS:
        register(unit, _BuiltinSegmenter(unit))


# ---------------------------------------------------------------------------
# The result, and segment()
# ---------------------------------------------------------------------------


class Segmentation(FrameResult):
    """The units :func:`segment` cut documents into, with the problems it found in their numbering.

    Like every :class:`~policyquant.results.TableResult` it has
    :meth:`to_frame` (``language="zh"`` heads the columns in Chinese),
    :meth:`save` and the exports; its table is the units table.

    Attributes
    ----------
    unit : str
        The unit the documents were cut into.
    problems : pandas.DataFrame
        One row per problem (:data:`PROBLEM_COLUMNS`): numbering gaps,
        repeats, numbers out of order or not starting at 1, unreadable
        numbers, empty and unstructured documents; each with the document,
        the character offset and line where it was found, and a message.
    headings : pandas.DataFrame
        One row per heading above the articles (:data:`HEADING_COLUMNS`):
        its ``level`` (part, subpart, chapter, section), ``number``,
        ``label`` as written, ``title`` and span; empty for a plugin's
        segmenter.  A chapter with no text of its own is listed here too.

    Examples
    --------
    >>> import pandas as pd
    >>> from policyquant.documents import segment
    >>> result = segment(pd.DataFrame({"doc_id": ["D1"], "text": ["第一条 甲。\\n第三条 乙。"]}))
    >>> result
    Segmentation(unit='article', documents=1, units=2, problems=1)
    >>> result.problems[["doc_id", "problem", "found", "expected", "line"]].to_numpy().tolist()
    [['D1', 'gap', '第三条', '第二条', 2]]
    >>> result.to_frame(language="zh").columns[:3].tolist()
    ['单元编号', '文件编号', '类型']
    """

    def __init__(
        self, frame: pd.DataFrame, problems: pd.DataFrame, unit: str, documents: int, headings: pd.DataFrame | None = None
    ) -> None:
        super().__init__(frame)
        self.problems = problems
        self.headings = pd.DataFrame(columns=list(HEADING_COLUMNS)) if headings is None else headings
        self.unit = unit
        self.documents = documents

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """The units table; with ``language="zh"``, its columns headed in Chinese.

        Examples
        --------
        >>> import pandas as pd
        >>> from policyquant.documents import segment
        >>> result = segment(pd.DataFrame({"doc_id": ["D1"], "text": ["第一条 甲。"]}))
        >>> result.to_frame()[["unit_id", "text"]].to_numpy().tolist()
        [['D1-0-1', '第一条 甲。']]
        """
        if language is None:
            return self.frame
        from .._language import is_chinese, resolve_language

        code = resolve_language(language)
        return self.frame.rename(columns=_ZH_COLUMNS) if is_chinese(code) else self.frame

    def __repr__(self) -> str:
        return (
            f"Segmentation(unit={self.unit!r}, documents={self.documents}, units={len(self.frame)}, "
            f"problems={len(self.problems)})"
        )


def _unit_error(unit: object, known: list[str]) -> ValidationError:
    from .._text import closest

    suggestions = closest(str(unit), known) if isinstance(unit, str) else []
    message = f"segment: unknown unit {unit!r}; the units are {', '.join(known)}"
    if suggestions:
        message += f"; did you mean {', '.join(suggestions)}?"
    return ValidationError(
        message,
        [{"column": "unit", "value": repr(unit), "problem": "not a registered segmenter",
          "expected": ", ".join(known), "suggestions": ", ".join(suggestions) or None}],
    )  # fmt: skip


def _rows(output: Any, unit: str, doc_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A segmenter's output as lists of unit rows and problem rows."""
    problems: Any = []
    if isinstance(output, tuple) and len(output) == 2 and not isinstance(output[0], Mapping):
        output, problems = output
    try:
        units = output.to_dict("records") if isinstance(output, pd.DataFrame) else [dict(row) for row in output]
        if isinstance(problems, pd.DataFrame):
            problems = problems.to_dict("records")
        problems = [dict(row) for row in problems]
    except (TypeError, ValueError) as error:
        raise PluginError(
            f"segmenter {unit!r} returned {type(output).__name__} for document {doc_id!r}; expected rows "
            "(mappings with start and end, or a DataFrame), optionally with a list of problems: "
            f"{error}"
        ) from error
    return units, problems


def _check_spans(units: pd.DataFrame, lengths: pd.Series, unit: str) -> None:
    """Refuse units whose spans are not inside their document, in order and without overlap."""
    for column in ("start", "end"):
        values = pd.to_numeric(units[column], errors="coerce")
        bad = values.isna() | (values != values.round())
        if bad.any():
            row = units.loc[bad].iloc[0]
            raise PluginError(
                f"segmenter {unit!r}: document {row['doc_id']!r} has a unit whose {column} is {row[column]!r}; "
                "expected a whole number (a character offset in the document's text)"
            )
    start = units["start"].astype("int64")
    end = units["end"].astype("int64")
    length = units["doc_id"].map(lengths).astype("int64")
    previous_end = end.groupby(units["doc_id"], sort=False).shift(1).fillna(-1).astype("int64")
    bad = (start < 0) | (end <= start) | (end > length) | (start < previous_end)
    if bad.any():
        row = units.loc[bad].iloc[0]
        raise PluginError(
            f"segmenter {unit!r}: document {row['doc_id']!r} has a unit spanning {int(row['start'])}..{int(row['end'])}, "
            f"which is not a non-empty span inside the text (length {int(lengths[row['doc_id']])}) after the unit "
            "before it; units must be in text order and must not overlap"
        )


def _line_numbers(texts: Mapping[str, str], doc_ids: pd.Series, starts: pd.Series) -> np.ndarray:
    """The 1-based line of each offset, counting newlines once per document (offsets taken in order)."""
    lines = np.ones(len(starts), dtype=np.int64)
    order = np.lexsort((starts.to_numpy(), pd.factorize(doc_ids)[0]))
    ids = doc_ids.to_numpy()
    offsets = starts.to_numpy()
    current, position, line = None, 0, 1
    for index in order:
        doc_id = ids[index]
        if doc_id != current:
            current, position, line = doc_id, 0, 1
        offset = int(offsets[index])
        line += texts[doc_id].count("\n", position, offset)
        position = offset
        lines[index] = line
    return lines


def segment(documents: Any, *, unit: str = "article") -> Segmentation:
    """Cut documents into numbered units: ``<doc_id>-<chapter>-<article>``, as the reference study codes clauses.

    Parameters
    ----------
    documents : DocumentSet or pandas.DataFrame
        The documents, as :func:`~policyquant.read_documents` returns them, or
        a DataFrame with the columns ``doc_id`` and ``text`` (one row per
        document; ids must be unique).
    unit : str, default "article"
        What a unit is: the name of a registered segmenter.  Built in:

        ``"article"``
            One unit per article (条, ``Article``): ``<doc_id>-<chapter>-<article>``,
            chapter 0 in a document without chapters.  An inserted article
            (第十条之一) is ``<article>.<insert>`` (``D1-0-10.1``).  In a
            document without articles (意见, 通知, 方案) the outline numbering is
            the structure: with two levels or more (一、 and （一）) the first
            is the chapter and the second the article; with one level, it is
            the article (chapter 0); under 第X章 headings, the first level is
            the article.
        ``"item"``
            Each article cut at its items (（一）（二）..., or the outline level
            below the article): ``<doc_id>-<chapter>-<article>-<item>``; the
            article's lead-in before its first item (or the whole of an
            article without items) is item 0.
        ``"paragraph"``
            Each article cut into its paragraphs (款: non-empty lines), numbered
            from 1 within the article: ``<doc_id>-<chapter>-<article>-<paragraph>``.
        ``"sentence"``
            Each article cut into sentences (ending with 。！？!? or a line
            end; ；does not end one), numbered from 1 within the article.

        A plugin registers more through the ``policyquant_register_segmenters``
        hook.

    Returns
    -------
    Segmentation
        The units table, one row per unit in document and text order, with
        the columns of :data:`UNIT_COLUMNS`: ``unit_id``; ``doc_id``; ``kind``
        (``clause``; ``preamble`` for the text before the first heading, id
        ``<doc_id>-0-0``; ``text`` for the whole of a document without
        structure, also ``<doc_id>-0-0``; ``signature``, ``date`` and
        ``note`` for the closing lines of the body, ids
        ``<doc_id>-signature`` and so on; ``attachment`` for each 附件 after
        the body, ``<doc_id>-attachment-<n>``); the numbers ``chapter``,
        ``article`` (0 for text under a heading before its first article),
        ``insert`` (the 之X of an inserted article, else 0) and the unit's
        own number column; ``text``; ``start`` and ``end``, so that
        ``document_text[start:end] == text``; ``line`` (1-based, where the
        unit starts); the heading path: ``part`` (编), ``subpart`` (分编),
        ``chapter_label`` / ``chapter_title``, ``section`` (节), each with its
        label as written and title; and ``article_label``, the number as
        written (第十条之一, （一）, Article 12).  Its ``problems`` lists
        numbering gaps and repeats, empty and unstructured documents; its
        ``headings`` lists every part, chapter and section heading with its
        span (a heading line is in no unit unless it is an outline heading
        that is a sentence, such as "一、高度重视数据安全工作。", which is
        the text of its chapter's article 0).

    Raises
    ------
    ValidationError
        For a unit no segmenter is registered under, a missing ``doc_id`` or
        ``text`` column, a missing or repeated ``doc_id``, or a text that is
        not text.
    PluginError
        When a plugin's segmenter returns spans outside its document or out
        of order.

    Notes
    -----
    A heading is a line (after any indentation or Markdown ``#``) that begins
    with 第X编 / 分编 / 章 / 节 / 条 followed by white space (U+3000
    included) or the end of the line, an English ``Part`` / ``Chapter`` /
    ``Section`` / ``Article`` and a number followed by the end of the line,
    ``.``, ``:`` or a word that does not begin with a lower-case letter, or
    an outline number.  A cross-reference ("依照本法第十二条的规定",
    "第三条规定的...", "Article 3 of the Law") is never one.
    Numbers are never changed: a gap or repeat is listed in ``problems`` and
    the units keep the numbers as written; a unit id that would repeat
    (第五条 twice in one chapter) gets ``_2``, ``_3`` ... on its later
    occurrences.  An empty document gives no unit and an ``empty`` problem;
    a document without any heading gives one unit for its whole text and an
    ``unstructured`` problem; lines under a part, chapter or section heading
    that look like articles without a space after their label (第一条为了…)
    stay in that heading's unit and get an ``article without space`` problem.
    Signature, date and note lines (a block
    ending with a date line) and attachments are tagged as their own units,
    never part of the last clause.

    Examples
    --------
    >>> import pandas as pd
    >>> from policyquant.documents import segment
    >>> law = pd.DataFrame({"doc_id": ["L1"], "text": [
    ...     "第一章　总则\\n第一条　为了规范管理，依照本法第十二条的规定，制定本办法。\\n"
    ...     "第一条之一　本办法所称数据，包括：\\n（一）个人信息；\\n（二）公共数据。\\n"
    ...     "第二章　附则\\n第二条　本办法自发布之日起施行。\\n\\n某某省人民政府\\n2024年1月1日"]})
    >>> result = segment(law)
    >>> result.to_frame()[["unit_id", "kind", "chapter_title", "article_label"]].to_numpy().tolist()
    [['L1-1-1', 'clause', '总则', '第一条'], ['L1-1-1.1', 'clause', '总则', '第一条之一'], ['L1-2-2', 'clause', '附则', '第二条'], ['L1-signature', 'signature', '', ''], ['L1-date', 'date', '', '']]
    >>> segment(law, unit="item").to_frame()["unit_id"].tolist()[:4]
    ['L1-1-1-0', 'L1-1-1.1-0', 'L1-1-1.1-1', 'L1-1-1.1-2']
    """
    from ..plugins import get_registry

    if not isinstance(unit, str):
        raise _unit_error(unit, sorted(get_registry().segmenters()))
    try:
        segmenter = get_registry().segmenter(unit)
    except LookupError:
        raise _unit_error(unit, sorted(get_registry().segmenters())) from None
    frame = documents_frame(documents, "segment")
    doc_ids, texts = _document_columns(frame)

    by_id = dict(zip(doc_ids, texts, strict=True))
    if isinstance(segmenter, _BuiltinSegmenter):
        # The built-in units segment every document in one pass (see _segment_texts).
        units, found, headings = segmenter.segment_texts(doc_ids, texts)
        problem_rows = [{**row, "doc_id": doc_ids[doc]} for doc, row in found]
    else:
        headings = None
        unit_rows: list[dict[str, Any]] = []
        problem_rows = []
        for position, (doc_id, text) in enumerate(zip(doc_ids, texts, strict=True)):
            units, problems = _rows(segmenter(text), unit, doc_id)
            for row in units:
                row["doc_id"] = doc_id
                row["_doc"] = position
            for row in problems:
                row["doc_id"] = doc_id
            unit_rows.extend(units)
            problem_rows.extend(problems)
        table = pd.DataFrame.from_records(unit_rows) if unit_rows else pd.DataFrame(columns=["doc_id", "_doc", "start", "end"])
        units = _units_table(table, by_id, unit)
    if headings is not None and problem_rows:
        problems = _builtin_problems_table(problem_rows, by_id)
    else:
        problems = _problems_table(problem_rows, by_id)
    return Segmentation(units, problems, unit, len(doc_ids), headings)


def _document_columns(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    ids = frame["doc_id"]
    missing = ids.isna() | (ids.astype("string").str.strip() == "")
    if missing.any():
        rows = [int(position) + 2 for position in np.flatnonzero(missing.to_numpy())]
        raise ValidationError(
            f"segment: doc_id is missing in row {', '.join(map(str, rows[:10]))} of the documents table",
            [{"row": row, "column": "doc_id", "problem": "missing", "expected": "a document id"} for row in rows],
        )
    doc_ids = ids.astype("string").str.strip().astype(str).tolist()
    repeated = pd.Series(doc_ids).duplicated(keep=False)
    if repeated.any():
        names = sorted(set(pd.Series(doc_ids)[repeated]))
        raise ValidationError(
            f"segment: doc_id {', '.join(map(repr, names[:10]))} is used by more than one document; "
            "unit ids are built from it, so each document needs its own",
            [{"column": "doc_id", "value": name, "problem": "repeated", "expected": "a unique document id"}
             for name in names],
        )  # fmt: skip
    texts = []
    problems = []
    for position, value in enumerate(frame["text"].tolist()):
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            texts.append("")
        elif isinstance(value, str):
            texts.append(value)
        else:
            problems.append({"row": position + 2, "column": "text", "value": repr(value)[:80],
                             "problem": f"not text ({type(value).__name__})", "expected": "the document's text"})  # fmt: skip
    if problems:
        raise ValidationError(
            f"segment: the text of {len(problems)} document(s) is not text (first in row {problems[0]['row']}: "
            f"{problems[0]['value']})",
            problems,
        )
    return doc_ids, texts


def _units_table(frame: pd.DataFrame, texts: Mapping[str, str], unit: str) -> pd.DataFrame:
    """The units table of a plugin's segmenter in its final form: checked, typed, numbered."""
    extra = [unit] if unit in ("item", "paragraph", "sentence") else []
    if unit == "item":
        extra.append("item_label")
    known = [*UNIT_COLUMNS, *extra]
    plugin_columns = [c for c in frame.columns if c not in known and not c.startswith("_")]
    frame = _plugin_units(frame, texts, unit, extra)
    columns = {
        "kind": frame["kind"].to_numpy(dtype=object),
        "chapter": frame["chapter"].to_numpy(dtype=np.int64),
        "article": frame["article"].array,
        "insert": frame["insert"].to_numpy(dtype=np.int64),
        **({unit: frame[unit].array} if extra else {}),
    }
    frame["unit_id"] = _unit_ids(frame["doc_id"].to_numpy(dtype=object), columns, unit if extra else None)
    doc = frame["doc_id"].tolist()
    frame["text"] = [texts[d][s:e] for d, s, e in zip(doc, frame["start"].tolist(), frame["end"].tolist(), strict=True)]
    frame["line"] = _line_numbers(texts, frame["doc_id"], frame["start"]) if len(frame) else np.array([], dtype=np.int64)
    frame["line"] = frame["line"].astype("int64")
    ordered = [*UNIT_COLUMNS[:5], *extra[:1], *UNIT_COLUMNS[5:], *extra[1:], *plugin_columns]
    return frame[ordered].reset_index(drop=True)


def _plugin_units(frame: pd.DataFrame, texts: Mapping[str, str], unit: str, extra: list[str]) -> pd.DataFrame:
    """A plugin segmenter's units checked (spans inside the text, in order) and given every column."""
    for column in ("start", "end"):
        if column not in frame.columns:
            raise PluginError(f"segmenter {unit!r} returned units without a {column!r} column")
    lengths = pd.Series({doc_id: len(text) for doc_id, text in texts.items()}, dtype="int64")
    if len(frame):
        _check_spans(frame, lengths, unit)
    frame["start"] = frame["start"].astype("int64")
    frame["end"] = frame["end"].astype("int64")
    if "kind" not in frame.columns:
        frame["kind"] = "clause"
    frame["kind"] = frame["kind"].fillna("clause").astype(str)
    clause = frame["kind"].isin(["clause", "preamble", "text"])
    if "article" not in frame.columns:
        # A segmenter that does not number its units: they are numbered in order within each document.
        frame["article"] = frame.groupby("doc_id", sort=False).cumcount() + 1
    for column in ("chapter", "article", "insert", *extra[:1], *_NUMBER_COLUMNS):
        if column not in frame.columns:
            frame[column] = pd.NA
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    frame["chapter"] = frame["chapter"].fillna(0)
    frame["insert"] = frame["insert"].fillna(0)
    frame.loc[clause, "article"] = frame.loc[clause, "article"].fillna(0)
    for column in (*_TEXT_COLUMNS, *extra[1:]):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), "").astype(str) if column in frame.columns else ""
    return frame


def _problems_table(rows: list[dict[str, Any]], texts: Mapping[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=[c for c in PROBLEM_COLUMNS if c != "line"])
    for column in ("problem", "level", "found", "expected", "message"):
        # A plugin's problem may leave columns out: they are empty text, not NaN.
        frame[column] = frame[column].astype(object).where(frame[column].notna(), "").astype(str)
    frame["start"] = pd.to_numeric(frame["start"], errors="coerce").fillna(0).astype("int64")
    doc = frame["doc_id"].astype(str)
    frame["line"] = _line_numbers(texts, doc, frame["start"]) if len(frame) else np.array([], dtype=np.int64)
    frame["line"] = frame["line"].astype("int64")
    frame["message"] = doc + " line " + frame["line"].astype(str) + ": " + frame["message"]
    return frame[list(PROBLEM_COLUMNS)].reset_index(drop=True)


def _builtin_problems_table(rows: list[dict[str, Any]], texts: Mapping[str, str]) -> pd.DataFrame:
    """:func:`_problems_table` of the built-in segmenters' problems, which have every column, as text where text.

    The same table, built from the columns at once (a few hundred rows: pandas' conversions of
    each column would cost more than the rows).
    """
    doc_ids = [row["doc_id"] for row in rows]
    starts = [int(row["start"]) for row in rows]
    lines = [texts[doc].count("\n", 0, start) + 1 for doc, start in zip(doc_ids, starts, strict=True)]
    return pd.DataFrame(
        {
            "doc_id": doc_ids,
            **{column: [row[column] for row in rows] for column in ("problem", "level", "found", "expected")},
            "start": np.array(starts, dtype=np.int64),
            "line": np.array(lines, dtype=np.int64),
            "message": [f"{doc} line {line}: {row['message']}" for doc, line, row in zip(doc_ids, lines, rows, strict=True)],
        }
    )
