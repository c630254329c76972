"""The units table's text and id columns (issue 15, segmentation speed).

The unit ids are joined by Arrow's string kernels (no Python string formatted per unit): they
must equal the ids formatted one by one, whatever the kinds, numbers, inserted numbers and
sub-unit numbers.  The unit text must be exactly the document's span, whatever the characters
(one to four bytes in UTF-8, characters beyond U+FFFF included) and wherever they stand: a
guard for any cheaper way of cutting it (one tried, by UTF-8 byte offsets, failed the
last-boundary case below before it was fixed, and was then dropped as slower).
"""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from policyquant.documents import segment
from policyquant.documents.segmentation import _unit_ids, _unit_ids_python

# Characters of every UTF-8 width, and line material that makes headings.
_PIECES = ["a", "é", "中", "😀", "ａ", " ", "\n", "\n\n", "第一条 ", "第二条 ", "第二条 ", "第一章 总则\n", "附件1\n", "（一）"]


def _check_texts(frame: pd.DataFrame, texts: dict[str, str]) -> None:
    for doc_id, start, end, text in zip(frame["doc_id"], frame["start"], frame["end"], frame["text"], strict=True):
        assert texts[doc_id][start:end] == text


def test_text_of_units_with_characters_of_every_utf8_width():
    texts = {
        "a": "第一条 ａ😀b\n第二条 😀ü\n附件 é😀",
        "b": "😀x第一条 y",
        "c": "第一章 总则\n第一条 中文é\n\n第二条 😀😀😀\n\n",
    }
    frame = segment(pd.DataFrame({"doc_id": list(texts), "text": list(texts.values())})).to_frame()
    assert str(frame["text"].dtype) == "str"
    _check_texts(frame, texts)
    assert frame.loc[frame["doc_id"] == "a", "text"].tolist()[:2] == ["第一条 ａ😀b", "第二条 😀ü"]


def test_text_after_the_last_unit_is_not_counted_into_it():
    # The last boundary's byte offset must count only the characters before it (a heading line
    # after text with no article: the last unit ends before the text does).
    texts = {"a": "。\n\n" * 10 + "第一章 总则。\n"}
    frame = segment(pd.DataFrame({"doc_id": ["a"], "text": [texts["a"]]})).to_frame()
    _check_texts(frame, texts)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=25).map("".join), min_size=1, max_size=4))
def test_unit_text_is_the_span_of_the_document(documents):
    texts = {f"d{i}": text for i, text in enumerate(documents)}
    for unit in ("article", "item"):
        frame = segment(pd.DataFrame({"doc_id": list(texts), "text": list(texts.values())}), unit=unit).to_frame()
        _check_texts(frame, texts)
        assert frame["unit_id"].is_unique


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=25).map("".join), min_size=1, max_size=4))
def test_arrow_unit_ids_equal_formatted_ids(documents):
    ids = [f"doc-{i}" for i in range(len(documents))]
    frame = segment(pd.DataFrame({"doc_id": ids, "text": documents}), unit="item").to_frame()
    columns = {
        "kind": frame["kind"].to_numpy(dtype=object),
        "chapter": frame["chapter"].to_numpy(),
        "article": frame["article"].array,
        "insert": frame["insert"].to_numpy(),
        "item": frame["item"].array,
    }
    doc_ids = frame["doc_id"].to_numpy(dtype=object)
    for sub in (None, "item"):
        assert list(_unit_ids(doc_ids, columns, sub)) == list(_unit_ids_python(doc_ids, columns, sub))
