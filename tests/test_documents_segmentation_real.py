"""Clause segmentation on 1,564 real Chinese national legal texts (issue 15, "Real documents").

The texts are read from ``../shared/anchors/lawrefbook/national.tar.xz`` (see its README);
the tests skip where it is absent.  Nothing of it is copied into tests/ or the package.

Every document must give exactly the articles that an independent count finds (lines that,
once their indentation is stripped, begin with 第, a numeral, 条 and possibly 之 and a numeral,
then white space) and exactly the chapters (Markdown heading lines whose text begins with
第 + numeral + 章 followed by white space or nothing).
"""

from __future__ import annotations

import tarfile
from pathlib import Path

import pandas as pd
import pytest

from policyquant.documents import segment

ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "anchors" / "lawrefbook" / "national.tar.xz"
NUMERALS = set("零〇一二三四五六七八九十百千两0123456789")

#: Documents whose article or chapter count is allowed to differ from the independent count,
#: each with the reason (only where the file itself is irregular).  None is needed today.
IRREGULAR: dict[str, str] = {}


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> pd.DataFrame:
    if not ARCHIVE.is_file():
        pytest.skip(f"{ARCHIVE} is absent")
    folder = tmp_path_factory.mktemp("lawrefbook")
    with tarfile.open(ARCHIVE, "r:xz") as archive:
        archive.extractall(folder, filter="data")
    files = sorted(path for path in folder.rglob("*.md") if path.is_file())
    return pd.DataFrame(
        {
            "doc_id": [path.relative_to(folder).as_posix() for path in files],
            "text": [path.read_text(encoding="utf-8") for path in files],
        }
    )


@pytest.fixture(scope="session")
def segmented(corpus):
    return segment(corpus)


def numeral_then(text: str, position: int, word: str) -> int | None:
    """If ``text[position:]`` is a run of numerals followed by ``word``, the position after the word."""
    end = position
    while end < len(text) and text[end] in NUMERALS:
        end += 1
    if end == position or not text.startswith(word, end):
        return None
    return end + len(word)


def is_article_line(line: str) -> bool:
    """Written without a regular expression, unlike the segmenter."""
    line = line.lstrip()
    if not line.startswith("第"):
        return False
    after = numeral_then(line, 1, "条")
    if after is None:
        return False
    if line.startswith("之", after):
        after = numeral_then(line + "\0", after + 1, "")
        if after is None:
            return False
    return after < len(line) and line[after].isspace()


def is_chapter_line(line: str) -> bool:
    if not line.startswith("#"):
        return False
    line = line.lstrip("#").strip()
    after = numeral_then(line, 1, "章") if line.startswith("第") else None
    return after is not None and (after == len(line) or line[after].isspace())


def test_the_corpus_is_all_there(corpus):
    assert len(corpus) == 1564
    # 28 MB of UTF-8: 8.7 million characters.
    assert corpus["text"].str.len().sum() > 8_500_000


def test_every_article_is_found_in_every_document(corpus, segmented):
    units = segmented.to_frame()
    articles = units[(units["kind"] == "clause") & units["article_label"].str.startswith("第")]
    found = articles.groupby("doc_id").size()
    wrong = []
    for doc_id, text in zip(corpus["doc_id"], corpus["text"], strict=True):
        expected = sum(is_article_line(line) for line in text.split("\n"))
        if int(found.get(doc_id, 0)) != expected and doc_id not in IRREGULAR:
            wrong.append((doc_id, expected, int(found.get(doc_id, 0))))
    assert wrong == []
    assert len(articles) == 64670


def test_every_chapter_is_found_in_every_document(corpus, segmented):
    headings = segmented.headings
    chapters = headings[(headings["level"] == "chapter") & headings["label"].str.endswith("章")]
    found = chapters.groupby("doc_id").size()
    wrong = []
    for doc_id, text in zip(corpus["doc_id"], corpus["text"], strict=True):
        expected = sum(is_chapter_line(line) for line in text.split("\n"))
        if int(found.get(doc_id, 0)) != expected and doc_id not in IRREGULAR:
            wrong.append((doc_id, expected, int(found.get(doc_id, 0))))
    assert wrong == []


def test_no_unit_holds_another_article_heading(segmented):
    units = segmented.to_frame()
    offenders = [
        unit_id
        for unit_id, text in zip(units["unit_id"], units["text"], strict=True)
        if any(is_article_line(line) for line in text.split("\n")[1:])
    ]
    assert offenders == []


def test_spans_reconstruct_the_text_and_ids_are_unique(corpus, segmented):
    texts = dict(zip(corpus["doc_id"], corpus["text"], strict=True))
    units = segmented.to_frame()
    assert units["unit_id"].is_unique
    assert all(
        texts[doc_id][start:end] == text
        for doc_id, start, end, text in zip(units["doc_id"], units["start"], units["end"], units["text"], strict=True)
    )
    headings = segmented.headings
    assert all(
        texts[doc_id][start:end].lstrip("#").strip().startswith(label)
        for doc_id, start, end, label in zip(headings["doc_id"], headings["start"], headings["end"], headings["label"], strict=True)
    )


def test_a_known_law_segments_as_published(segmented):
    units = segmented.to_frame()
    law = units[units["doc_id"] == "national/行政法/个人信息保护法(2021-08-20).md"]
    clauses = law[law["kind"] == "clause"]
    assert len(clauses) == 74
    assert clauses["unit_id"].iloc[0] == "national/行政法/个人信息保护法(2021-08-20).md-1-1"
    assert clauses.set_index("article_label").loc["第十三条", ["chapter_title", "section_title"]].tolist() == [
        "个人信息处理规则", "一般规定"
    ]


def test_problems_name_their_document_and_line(corpus, segmented):
    problems = segmented.problems
    texts = dict(zip(corpus["doc_id"], corpus["text"], strict=True))
    assert set(problems["problem"]) <= {"start", "gap", "order", "repeat", "unstructured", "empty", "unreadable number"}
    for doc_id, start, line, found in zip(problems["doc_id"], problems["start"], problems["line"], problems["found"], strict=True):
        assert texts[doc_id].count("\n", 0, start) + 1 == line
        assert texts[doc_id].startswith(found, start)
