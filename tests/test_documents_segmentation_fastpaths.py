"""The shortcuts the segmentation takes for speed give what the plain ways give (issue 15, performance).

Each shortcut is checked against the plain way it replaces, on generated texts made of the
material headings are made of (indentation, Markdown ``#``, U+3000, cross-references, outline
numbers, English headings, attachments, dates, characters of every UTF-8 width):

* the heading pass (:data:`_SCAN`, its alternatives rearranged) finds exactly the lines
  and labels that :data:`_HEADINGS` finds;
* the white space stepped over in arrays (:func:`_lstrip_to`, :func:`_rstrip_to`) is what
  ``str.lstrip`` / ``str.rstrip`` take off, runs longer than the array steps included;
* the unit ids written once per distinct numbering, with repeats found on integer codes,
  equal the ids formatted one by one, where document ids begin one another ("a", "a-1") and
  where numbers are too large to pack;
* the heading path of every level, found for all levels with one running maximum each
  (:func:`_heading_paths`), is the plain forward fill of :func:`_forward`;
* the problems table of the built-in segmenters equals the general one;
* the closing block (signature, date, note) is looked for only in units whose last
  character a date or note line can end with: every block :func:`_closing` finds ends so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyquant.documents import segment
from policyquant.documents.segmentation import (
    _CLOSING_LAST,
    _HEADINGS,
    _SCAN,
    _builtin_problems_table,
    _closing,
    _code_points,
    _forward,
    _heading_paths,
    _lstrip_to,
    _problems_table,
    _rstrip_to,
    _unit_ids,
    _unit_ids_python,
)

_LINE_STARTS = [
    "", " ", "\u3000", "\t", "  ", "# ", "## ", "###### ", "#", " # ", "\u2002",
]  # fmt: skip
_LABELS = [
    "第一条", "第十条之一", "第十条之", "第一百零一条", "第12条", "第１２条", "第一章", "第二节", "第一编", "第一分编",
    "第三条规定的", "第二十章", "一、", "十二、", "（一）", "(二)", "（12）", "1.", "1.5", "２．", "3、", "①", "⑳",
    "附件", "附件1", "附表二", "附：", "附录", "Annex 1", "ATTACHMENT", "Article 12", "Chapter II", "Section 3.",
    "Part IV:", "Article 3 of", "Chapter", "第", "（", "附", "A", "",
]  # fmt: skip
_AFTER = [" ", "\u3000", "", "\t", " 总则", "　为了规范管理，制定本办法。", "规定", "的", "x", " of the Law", ".5"]
_LINES = st.tuples(st.sampled_from(_LINE_STARTS), st.sampled_from(_LABELS), st.sampled_from(_AFTER)).map("".join)
_TEXTS = st.lists(_LINES, max_size=30).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_scan_finds_the_headings_the_full_pattern_finds(text):
    found = [(match.start(), match[1]) for match in _SCAN.finditer("\n" + text)]
    expected = [(match.start(), text[match.start() : match.end(match.lastgroup)]) for match in _HEADINGS.finditer(text)]
    assert found == expected


def test_scan_on_headings_of_every_kind():
    text = "\n".join(["第一编 总则", "第一分编 通则", "第一章 总则", "第一节 一般规定", "第一条 甲。", "第一条之一 乙。",
                      "（一）丙；", "一、总体要求", "1. 丁", "（1）戊", "①己", "Article 1 Scope", "附件1", "第三条规定的"])  # fmt: skip
    labels = [head for _, head in ((m.start(), m[1]) for m in _SCAN.finditer("\n" + text))]
    assert labels == ["第一编", "第一分编", "第一章", "第一节", "第一条", "第一条之一", "（一）", "一、", "1.", "（1）",
                      "①", "Article 1", "附件1"]  # fmt: skip


_SPACES = [" ", "\u3000", "\t", "\n", "\r", "\u2002", "\x0b", "\x1c", "\x85", "\xa0"]
_CHARS = ["a", "é", "中", "😀", "ａ", "。", "\u3001", "\u3001", *_SPACES]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_CHARS), max_size=80).map("".join), st.data())
def test_strip_in_arrays_equals_str_strip(text, data):
    characters = _code_points(text)
    bounds = data.draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text))), max_size=12))
    start = np.array([a for a, _ in bounds], dtype=np.int64)
    stop = np.array([b for _, b in bounds], dtype=np.int64)
    left = _lstrip_to(characters, text, start, stop)
    right = _rstrip_to(characters, text, start, stop)
    for a, b, lstripped, rstripped in zip(start.tolist(), stop.tolist(), left.tolist(), right.tolist(), strict=True):
        piece = text[a:b]
        assert lstripped == a + len(piece) - len(piece.lstrip())
        assert rstripped == a + len(piece.rstrip())


@pytest.mark.parametrize("run", [1, 15, 16, 17, 40, 200])
def test_strip_in_arrays_over_long_runs_of_white_space(run):
    text = "甲" + "\u3000 \n" * run + "乙" + " \n\t" * run + "丙😀" + "\n" * run
    characters = _code_points(text)
    start = np.array([0, 1, 2, len(text) - run, 0], dtype=np.int64)
    stop = np.array([len(text), len(text) - 1, len(text), len(text), 1], dtype=np.int64)
    left = _lstrip_to(characters, text, start, stop)
    right = _rstrip_to(characters, text, start, stop)
    for a, b, lstripped, rstripped in zip(start.tolist(), stop.tolist(), left.tolist(), right.tolist(), strict=True):
        assert lstripped == a + len(text[a:b]) - len(text[a:b].lstrip())
        assert rstripped == a + len(text[a:b].rstrip())


def _id_columns(frame: pd.DataFrame, sub: str | None) -> dict:
    columns = {
        "kind": frame["kind"].to_numpy(dtype=object),
        "chapter": frame["chapter"].to_numpy(),
        "article": frame["article"].array,
        "insert": frame["insert"].to_numpy(),
    }
    if sub:
        columns[sub] = frame[sub].array
    return columns


_DOCUMENT = st.lists(st.sampled_from(["第一条 甲。", "第一条 乙。", "第二条 丙。", "第一章 总则", "（一）丁；", "（一）戊；",
                                      "第二条之一 己。", "附件1", "2024年1月1日", "某某部", "第99999999999999条 庚。"]),
                     max_size=12).map("\n".join)  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(st.lists(_DOCUMENT, min_size=1, max_size=4), st.sampled_from([["a", "a-1", "a-1-1", "a-0"], ["x", "y", "z", "w"]]))
def test_unit_ids_equal_formatted_ids_where_document_ids_begin_one_another(documents, names):
    ids = names[: len(documents)]
    for unit in ("article", "item"):
        sub = "item" if unit == "item" else None
        frame = segment(pd.DataFrame({"doc_id": ids, "text": documents}), unit=unit).to_frame()
        assert frame["unit_id"].is_unique
        columns = _id_columns(frame, sub)
        doc_ids = frame["doc_id"].to_numpy(dtype=object)
        assert list(_unit_ids(doc_ids, columns, sub)) == list(_unit_ids_python(doc_ids, columns, sub))


def test_unit_ids_meeting_across_documents_get_a_suffix():
    # "a-1" chapter 2 article 3 and "a" chapter 1 article 2 item 3 both write "a-1-2-3": the later gets _2.
    columns = {
        "kind": np.array(["clause", "clause"], dtype=object),
        "chapter": np.array([2, 1], dtype=np.int64),
        "article": pd.array([3, 2], dtype="Int64"),
        "insert": np.array([0, 0], dtype=np.int64),
        "item": pd.array([None, 3], dtype="Int64"),
    }
    doc_ids = np.array(["a-1", "a"], dtype=object)
    ids = list(_unit_ids(doc_ids, columns, "item"))
    assert ids == ["a-1-2-3", "a-1-2-3_2"]
    assert ids == list(_unit_ids_python(doc_ids, columns, "item"))


def test_unit_ids_with_numbers_too_large_to_pack():
    big = 10**15
    columns = {
        "kind": np.array(["clause", "clause", "signature", "attachment", "clause"], dtype=object),
        "chapter": np.array([big, big, 0, 0, big], dtype=np.int64),
        "article": pd.array([big, big, None, 1, 1], dtype="Int64"),
        "insert": np.array([big, big, 0, 0, 0], dtype=np.int64),
    }
    doc_ids = np.array(["d", "d", "d", "d", "d"], dtype=object)
    ids = list(_unit_ids(doc_ids, columns, None))
    assert ids == [f"d-{big}-{big}.{big}", f"d-{big}-{big}.{big}_2", "d-signature", "d-attachment-1", f"d-{big}-1"]
    assert ids == list(_unit_ids_python(doc_ids, columns, None))


@settings(max_examples=60, deadline=None)
@given(st.lists(_DOCUMENT, min_size=1, max_size=4))
def test_builtin_problems_table_equals_the_general_one(documents):
    texts = {f"d{i}": text for i, text in enumerate(documents)}
    result = segment(pd.DataFrame({"doc_id": list(texts), "text": list(texts.values())}))
    rows = result.problems.drop(columns=["line"]).to_dict("records")
    for row in rows:
        row["message"] = row["message"].split(": ", 1)[1]
    if rows:
        built, general = _builtin_problems_table(rows, texts), _problems_table(rows, texts)
        assert built.equals(general)
        assert list(built.dtypes) == list(general.dtypes)
        assert built.equals(result.problems)


_ENDINGS = ["2021年11月25日", "二〇二一年十一月二十五日", "2021-11-25", "２０２１年１月２日", "2021.1.2", "（此件公开发布）",
            "(此件主动公开)", "某某省人民政府", "第一条 甲。", "  ", "", "2021年11月25", "甲）", "乙"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ENDINGS), min_size=1, max_size=8).map("\n".join))
def test_every_closing_block_ends_with_a_character_the_look_is_limited_to(text):
    body = "第一条 甲。\n" + text
    end = len(body.rstrip())
    closing = _closing(body, 0, end)
    if closing is not None:
        assert ord(body[end - 1]) in _CLOSING_LAST.tolist()


def test_closing_blocks_of_every_form_are_tagged():
    for date in ("2021年11月25日", "二〇二一年十一月二十五日", "2021-11-25", "２０２１年１１月２５日"):
        for note in ("", "\n（此件公开发布）"):
            text = f"第一条 本办法自发布之日起施行。\n\n某某省人民政府\n{date}{note}\n"
            kinds = segment(pd.DataFrame({"doc_id": ["D"], "text": [text]})).to_frame()["kind"].tolist()
            assert kinds == ["clause", "signature", "date", *(["note"] if note else [])], (date, note)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5)), max_size=60))
def test_heading_paths_equal_the_plain_forward_fill(tokens):
    doc = np.cumsum([step for step, _ in tokens], dtype=np.int64) if tokens else np.zeros(0, dtype=np.int64)
    doc = np.minimum(doc, 10**6)
    level = np.array([value for _, value in tokens], dtype=np.int64)
    order = np.arange(len(tokens), dtype=np.int64)
    paths = _heading_paths(level, doc, order)
    for heading, path in paths.items():
        plain = _forward(np.where(level == heading, order, np.where(level < heading, -2, -1)), doc)
        assert path.tolist() == plain.tolist()
