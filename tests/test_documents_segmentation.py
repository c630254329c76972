"""Clause segmentation (issue 15 item 4): policyquant.documents.segment and its numerals, problems and plugin hook."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.documents import Segmentation, segment
from policyquant.documents.segmentation import UNIT_COLUMNS, chinese_numeral, parse_numeral
from policyquant.errors import PluginError, ValidationError

# ---------------------------------------------------------------------------
# Documents written for these tests, in the styles real documents use
# ---------------------------------------------------------------------------

REGULATION = """# 某某省数据安全管理办法

（2024年3月1日省人民政府第12次常务会议通过）

## 第一章　总　则

第一条　为了规范数据处理活动，保障数据安全，依照《中华人民共和国数据安全法》第二十一条的规定，结合本省实际，制定本办法。

第二条　本省行政区域内的数据处理活动及其安全监管，适用本办法。
第三条规定的事项另有规定的，从其规定。

## 第二章　数据安全制度

### 第一节　分类分级

第三条　省网信部门统筹协调全省数据分类分级工作。

第三条之一　重要数据目录由省数据主管部门会同有关部门制定，包括：
（一）关系公共安全的数据；
（二）关系重大公共利益的数据；
（三）其他依法应当保护的数据。

前款规定的目录应当定期更新。

### 第二节　风险评估

第四条　数据处理者应当定期开展风险评估。依照本办法第三条之一的规定确定的重要数据，每年评估一次。

## 第三章　附　则

第五条　本办法自2024年5月1日起施行。

某某省人民政府
2024年3月15日
"""

OPINION = """国务院办公厅关于加快推进数据要素市场建设的指导意见
国办发〔2024〕12号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
　　为加快培育数据要素市场，经国务院同意，现提出如下意见。
　　一、总体要求
　　（一）指导思想。坚持以人民为中心的发展思想，统筹发展和安全。
　　（二）基本原则。坚持安全与发展并重。主要包括：
　　1. 统筹协调，分类施策。
　　2. 试点先行，稳步推进。
　　二、重点任务
　　（三）完善数据产权制度。依照《数据安全法》第二十一条的规定，建立分类分级保护制度。
　　（四）健全数据流通交易规则。
　　三、保障措施
　　各地区各部门要加强组织领导，确保各项任务落到实处。

国务院办公厅
2024年3月5日
（此件公开发布）

附件：1. 重点任务分工表
2. 试点地区名单

附件1
重点任务分工表
一、完善数据产权制度　牵头单位：国家发展改革委
"""

ENGLISH = """Measures for the Security of Data

Chapter I General Provisions

Article 1 These Measures are formulated in accordance with Article 12 of the Data Security Law.

Article 2 These Measures apply to data processing activities.

Chapter II Obligations

Section 1 General Obligations

Article 3 Processors shall protect data.
Article 3 of the Law applies mutatis mutandis.

Article 4 Processors shall report incidents.
"""

NOTICE = """关于做好2024年数据安全工作的通知
各有关单位：
一、高度重视数据安全工作。
二、认真开展自查。具体要求如下：
（一）全面梳理数据资产；
（二）及时整改问题。
三、按时报送材料。
"""


def frame(**texts: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": list(texts), "text": list(texts.values())})


def units_of(result: Segmentation) -> pd.DataFrame:
    return result.to_frame()


# ---------------------------------------------------------------------------
# Article style: chapters, sections, inserted articles, items
# ---------------------------------------------------------------------------


def test_article_style_with_chapters_and_sections():
    result = segment(frame(R1=REGULATION))
    units = units_of(result)
    clauses = units[units["kind"] == "clause"]
    assert clauses["unit_id"].tolist() == ["R1-1-1", "R1-1-2", "R1-2-3", "R1-2-3.1", "R1-2-4", "R1-3-5"]
    assert clauses["article_label"].tolist() == ["第一条", "第二条", "第三条", "第三条之一", "第四条", "第五条"]
    assert clauses["article"].tolist() == [1, 2, 3, 3, 4, 5]
    assert clauses["insert"].tolist() == [0, 0, 0, 1, 0, 0]
    assert clauses["chapter_label"].tolist() == ["第一章", "第一章", "第二章", "第二章", "第二章", "第三章"]
    # Titles as written (with the spaces some documents put between the characters).
    assert clauses["chapter_title"].tolist() == ["总　则", "总　则", "数据安全制度", "数据安全制度", "数据安全制度", "附　则"]
    assert clauses["section"].tolist()[2:5] == [1, 1, 2]
    assert clauses["section_title"].tolist() == ["", "", "分类分级", "分类分级", "风险评估", ""]
    assert clauses["section"].isna().tolist() == [True, True, False, False, False, True]
    # The inserted article keeps its items and the paragraph after them.
    inserted = clauses.set_index("unit_id").loc["R1-2-3.1", "text"]
    assert inserted.startswith("第三条之一　重要数据目录") and inserted.endswith("前款规定的目录应当定期更新。")
    assert list(units.columns[: len(UNIT_COLUMNS)]) == list(UNIT_COLUMNS)
    assert result.problems.empty


def test_cross_references_never_start_a_unit():
    units = units_of(segment(frame(R1=REGULATION)))
    second = units.set_index("unit_id").loc["R1-1-2", "text"]
    # "第三条规定的..." begins a line but is a cross-reference: it stays in article 2.
    assert second == "第二条　本省行政区域内的数据处理活动及其安全监管，适用本办法。\n第三条规定的事项另有规定的，从其规定。"
    first = units.set_index("unit_id").loc["R1-1-1", "text"]
    assert "依照《中华人民共和国数据安全法》第二十一条的规定" in first


def test_signature_and_date_are_tagged_not_part_of_the_last_clause():
    units = units_of(segment(frame(R1=REGULATION))).set_index("unit_id")
    assert units.loc["R1-3-5", "text"] == "第五条　本办法自2024年5月1日起施行。"
    assert units.loc["R1-signature", ["kind", "text"]].tolist() == ["signature", "某某省人民政府"]
    assert units.loc["R1-date", ["kind", "text"]].tolist() == ["date", "2024年3月15日"]
    # The title and the adoption note before the first chapter are the preamble, 0-0.
    assert units.loc["R1-0-0", "kind"] == "preamble"
    assert units.loc["R1-0-0", "text"].startswith("# 某某省数据安全管理办法")


def test_unit_item_numbers_items_within_the_article():
    units = units_of(segment(frame(R1=REGULATION), unit="item")).set_index("unit_id")
    assert units.loc["R1-2-3.1-0", "text"] == "第三条之一　重要数据目录由省数据主管部门会同有关部门制定，包括："
    assert units.loc["R1-2-3.1-1", "text"] == "（一）关系公共安全的数据；"
    assert units.loc["R1-2-3.1-1", "item_label"] == "（一）"
    # The paragraph after the last item stays with that item: it is not numbered.
    assert units.loc["R1-2-3.1-3", "text"] == "（三）其他依法应当保护的数据。\n\n前款规定的目录应当定期更新。"
    # An article without items is its item 0.
    assert units.loc["R1-1-1-0", "item"] == 0
    assert "R1-signature" in units.index


def test_unit_paragraph_and_sentence():
    paragraphs = units_of(segment(frame(R1=REGULATION), unit="paragraph")).set_index("unit_id")
    assert paragraphs.loc["R1-1-2-2", "text"] == "第三条规定的事项另有规定的，从其规定。"
    assert paragraphs.loc["R1-2-3.1-5", "text"] == "前款规定的目录应当定期更新。"
    sentences = units_of(segment(frame(R1=REGULATION), unit="sentence")).set_index("unit_id")
    assert sentences.loc["R1-2-4-1", "text"] == "第四条　数据处理者应当定期开展风险评估。"
    assert sentences.loc["R1-2-4-2", "text"].startswith("依照本办法第三条之一的规定")
    assert sentences["sentence"].dropna().min() == 1


# ---------------------------------------------------------------------------
# Outline style, English, Markdown
# ---------------------------------------------------------------------------


def test_outline_style_opinion():
    units = units_of(segment(frame(O1=OPINION))).set_index("unit_id")
    clauses = units[units["kind"] == "clause"]
    assert clauses.index.tolist() == ["O1-1-1", "O1-1-2", "O1-2-3", "O1-2-4", "O1-3-0"]
    assert clauses["chapter_label"].tolist() == ["一、", "一、", "二、", "二、", "三、"]
    assert clauses["chapter_title"].tolist()[:2] == ["总体要求", "总体要求"]
    assert clauses.loc["O1-1-2", "text"] == "（二）基本原则。坚持安全与发展并重。主要包括：\n　　1. 统筹协调，分类施策。\n　　2. 试点先行，稳步推进。"
    # The chapter without （一） numbering: its heading and text are article 0 of the chapter.
    assert clauses.loc["O1-3-0", "text"] == "三、保障措施\n　　各地区各部门要加强组织领导，确保各项任务落到实处。"
    assert units.loc["O1-signature", "text"] == "国务院办公厅"
    assert units.loc["O1-date", "text"] == "2024年3月5日"
    assert units.loc["O1-note", "text"] == "（此件公开发布）"
    assert units.loc["O1-attachment-1", "text"] == "附件：1. 重点任务分工表\n2. 试点地区名单"
    # The attachment's own outline numbering is not taken for the document's chapters.
    assert units.loc["O1-attachment-2", "text"].startswith("附件1\n重点任务分工表\n一、完善数据产权制度")
    assert units.loc["O1-0-0", "text"].endswith("现提出如下意见。")


def test_outline_items_are_the_level_below_the_article():
    units = units_of(segment(frame(O1=OPINION), unit="item")).set_index("unit_id")
    assert units.loc["O1-1-2-1", "text"] == "1. 统筹协调，分类施策。"
    assert units.loc["O1-1-2-2", "item_label"] == "2."


def test_outline_headings_that_are_clauses_are_units():
    units = units_of(segment(frame(N1=NOTICE)))
    clauses = units[units["kind"] == "clause"]
    # Two outline levels (一、 and （一）): the first is the chapter, the second the article; a chapter
    # line that is a sentence is the chapter's own clause, article 0, so that no text is lost.
    assert clauses[["unit_id", "text"]].to_numpy().tolist() == [
        ["N1-1-0", "一、高度重视数据安全工作。"],
        ["N1-2-0", "二、认真开展自查。具体要求如下："],
        ["N1-2-1", "（一）全面梳理数据资产；"],
        ["N1-2-2", "（二）及时整改问题。"],
        ["N1-3-0", "三、按时报送材料。"],
    ]


def test_outline_with_one_level_numbers_articles_in_chapter_zero():
    text = "关于做好数据安全工作的通知\n各有关单位：\n一、高度重视。\n二、认真自查。\n三、按时报送。\n"
    clauses = units_of(segment(frame(N2=text)))
    assert clauses.loc[clauses["kind"] == "clause", "unit_id"].tolist() == ["N2-0-1", "N2-0-2", "N2-0-3"]
    assert clauses.loc[clauses["kind"] == "clause", "article_label"].tolist() == ["一、", "二、", "三、"]


def test_english_headings():
    result = segment(frame(E1=ENGLISH))
    units = units_of(result)
    clauses = units[units["kind"] == "clause"]
    assert clauses["unit_id"].tolist() == ["E1-1-1", "E1-1-2", "E1-2-3", "E1-2-4"]
    assert clauses["chapter_label"].tolist() == ["Chapter I", "Chapter I", "Chapter II", "Chapter II"]
    assert clauses["chapter_title"].tolist()[0] == "General Provisions"
    assert clauses["section_label"].tolist() == ["", "", "Section 1", "Section 1"]
    assert clauses["article_label"].tolist() == ["Article 1", "Article 2", "Article 3", "Article 4"]
    # "Article 3 of the Law applies" begins a line, but a heading is followed by a capital (or ends the
    # line): a number followed by "of" is a cross-reference.
    assert clauses["text"].tolist()[2] == "Article 3 Processors shall protect data.\nArticle 3 of the Law applies mutatis mutandis."
    assert result.problems.empty


def test_english_sections_are_the_units_without_articles():
    text = "Part I Scope\n\nSection 1 This Act applies to all agencies.\n\nSection 2 Definitions apply.\n"
    units = units_of(segment(frame(U1=text)))
    assert units.loc[units["kind"] == "clause", "unit_id"].tolist() == ["U1-0-1", "U1-0-2"]
    assert units.loc[units["kind"] == "clause", "part_label"].tolist() == ["Part I", "Part I"]


def test_markdown_headings_and_indentation():
    text = "# 条例\n\n## 第一章 总则\n\n　　第一条　甲。\n\n　　第二条　乙。\n\n## 第二章 附则\n\n### 第一节 其他\n\n第三条 丙。\n"
    units = units_of(segment(frame(M1=text)))
    clauses = units[units["kind"] == "clause"]
    assert clauses["unit_id"].tolist() == ["M1-1-1", "M1-1-2", "M1-2-3"]
    assert clauses["text"].tolist() == ["第一条　甲。", "第二条　乙。", "第三条 丙。"]
    assert clauses["section_label"].tolist() == ["", "", "第一节"]


def test_parts_and_subparts_and_the_en_space_of_markdown_texts():
    text = "## 第一编\u2002总则\n\n## 第一分编\u2002通则\n\n### 第一章\u2002一般规定\n\n第一条 甲。\n\n## 第二编\u2002分则\n\n### 第二章\u2002专门规定\n\n第二条 乙。\n"
    units = units_of(segment(frame(P1=text)))
    assert units["unit_id"].tolist() == ["P1-1-1", "P1-2-2"]
    assert units["part"].tolist() == [1, 2]
    assert units["part_title"].tolist() == ["总则", "分则"]
    assert units["subpart_label"].tolist() == ["第一分编", ""]
    assert units["chapter_title"].tolist() == ["一般规定", "专门规定"]


def test_arabic_and_large_numerals():
    text = "第1条 甲。\n第2条 乙。\n第一千零一十条 丙。\n"
    result = segment(frame(A1=text))
    assert units_of(result)["article"].tolist() == [1, 2, 1010]
    assert result.problems["problem"].tolist() == ["gap"]


# ---------------------------------------------------------------------------
# Problems: gaps, repeats, empty and unstructured documents
# ---------------------------------------------------------------------------


def test_gaps_and_repeats_are_reported_never_renumbered():
    text = "第一条 甲。\n第三条 乙。\n第四条 丙。\n第五条 丁。\n第五条 戊。\n第六条 己。\n"
    result = segment(frame(G1=text))
    units = units_of(result)
    assert units["article_label"].tolist() == ["第一条", "第三条", "第四条", "第五条", "第五条", "第六条"]
    # The repeated number keeps its number; its id is made unique with a suffix.
    assert units["unit_id"].tolist() == ["G1-0-1", "G1-0-3", "G1-0-4", "G1-0-5", "G1-0-5_2", "G1-0-6"]
    problems = result.problems
    assert problems[["doc_id", "problem", "found", "expected", "line"]].to_numpy().tolist() == [
        ["G1", "gap", "第三条", "第二条", 2],
        ["G1", "repeat", "第五条", "第六条", 5],
    ]
    assert problems["start"].tolist() == [text.index("第三条"), text.index("第五条 戊")]
    assert problems["message"].iloc[0] == "G1 line 2: 第三条 follows 第一条 (gap); expected 第二条"


def test_numbers_out_of_order_and_not_starting_at_one():
    result = segment(frame(D1="第二条 甲。\n第三条 乙。\n第一条 丙。\n"))
    assert result.problems["problem"].tolist() == ["start", "order"]


def test_sections_restart_in_each_chapter_and_chapters_may_restart_in_each_part():
    text = (
        "第一编 总则\n第一章 甲\n第一节 子\n第一条 一。\n第二节 丑\n第二条 二。\n第二章 乙\n第一节 寅\n第三条 三。\n"
        "第二编 分则\n第一章 丙\n第四条 四。\n"
    )
    result = segment(frame(S1=text))
    assert result.problems.empty
    assert units_of(result)["unit_id"].tolist() == ["S1-1-1", "S1-1-2", "S1-2-3", "S1-1-4"]


def test_empty_and_unstructured_documents():
    result = segment(frame(E="", W="  \n ", T="这是一段没有任何条款编号的说明文字。\n第二段说明。"))
    units = units_of(result)
    # An empty document gives no unit and a problem; a document without headings one unit and a problem.
    assert units["unit_id"].tolist() == ["T-0-0"]
    assert units["kind"].tolist() == ["text"]
    assert result.problems[["doc_id", "problem"]].to_numpy().tolist() == [["E", "empty"], ["W", "empty"], ["T", "unstructured"]]
    paragraphs = units_of(segment(frame(T="说明一。\n\n说明二。"), unit="paragraph"))
    assert paragraphs["unit_id"].tolist() == ["T-0-0-1", "T-0-0-2"]


def test_missing_text_counts_as_empty_and_bad_input_is_refused():
    result = segment(pd.DataFrame({"doc_id": ["A"], "text": [None]}))
    assert result.problems["problem"].tolist() == ["empty"]
    with pytest.raises(ValidationError, match=r"doc_id 'A' is used by more than one document"):
        segment(frame(A="第一条 甲。").pipe(lambda f: pd.concat([f, f])))
    with pytest.raises(ValidationError, match=r"doc_id is missing in row 2"):
        segment(pd.DataFrame({"doc_id": [None], "text": ["第一条 甲。"]}))
    with pytest.raises(ValidationError, match=r"not text \(first in row 2: 12\)"):
        segment(pd.DataFrame({"doc_id": ["A"], "text": [12]}))
    with pytest.raises(ValidationError, match=r"missing column 'text'"):
        segment(pd.DataFrame({"doc_id": ["A"]}))
    with pytest.raises(ValidationError, match=r"unknown unit 'articel'.*did you mean article"):
        segment(frame(A="第一条 甲。"), unit="articel")
    with pytest.raises(pq.errors.InputTypeError):
        segment(["第一条 甲。"])


def test_result_exports_and_labels():
    result = segment(frame(R1=REGULATION))
    assert repr(result) == "Segmentation(unit='article', documents=1, units=9, problems=0)"
    chinese = result.to_frame(language="zh")
    assert chinese.columns[:4].tolist() == ["单元编号", "文件编号", "类型", "章"]
    assert result.to_frame(language="en").columns[0] == "unit_id"
    with pytest.raises(ValidationError):
        result.to_frame(language="xx")
    chapters = result.headings[result.headings["level"] == "chapter"]
    assert chapters[["label", "title", "line"]].to_numpy().tolist() == [
        ["第一章", "总　则", 5], ["第二章", "数据安全制度", 12], ["第三章", "附　则", 29]
    ]


def test_result_saves_as_csv(tmp_path):
    result = segment(frame(R1=REGULATION))
    path = result.save(tmp_path / "units.csv")
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert back["unit_id"].tolist() == result.to_frame()["unit_id"].tolist()
    assert back["text"].tolist() == result.to_frame()["text"].tolist()


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

DIGITS = "零一二三四五六七八九"


def write_chinese(number: int) -> str:
    """An independent writer of Chinese numerals, 0..9999, as articles are numbered."""
    if number == 0:
        return "零"
    thousands, hundreds, tens, ones = (number // 1000, number // 100 % 10, number // 10 % 10, number % 10)
    text = ""
    if thousands:
        text += DIGITS[thousands] + "千"
    if hundreds:
        text += DIGITS[hundreds] + "百"
    elif thousands and (tens or ones):
        text += "零"
    if tens:
        text += ("" if number < 20 else DIGITS[tens]) + "十"
    elif (thousands or hundreds) and ones and not text.endswith("零"):
        text += "零"
    if ones:
        text += DIGITS[ones]
    return text


def test_numeral_converter_round_trips_zero_to_9999():
    for number in range(10000):
        written = write_chinese(number)
        assert parse_numeral(written) == number, written
        assert chinese_numeral(number) == written
    assert [parse_numeral(text) for text in ("两百", "二〇二一", "一百五", "十", "１２", "XIV", "⑤")] == [200, 2021, 150, 10, 12, 14, 5]
    assert [parse_numeral(text) for text in ("十十", "百", "一二百", "一百零", "零五", "IIII", "")] == [None] * 7


SENTENCE = st.text(alphabet="数据安全管理依照本法第十二条的规定处理。，；", min_size=1, max_size=40).map(lambda s: s.strip("\n") or "甲")
HEADING = st.sampled_from(["第{n}章 总则", "### 第{n}节 分则", "第{n}条 ", "第{n}条之一 ", "（{n}）", "{n}、"])


@st.composite
def documents(draw):
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.booleans()):
            lines.append(draw(HEADING).format(n=write_chinese(draw(st.integers(1, 30)))) + draw(SENTENCE))
        else:
            lines.append(draw(SENTENCE))
        lines.append(draw(st.sampled_from(["", "\n", "　　", "\r"])))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n\n某某部\n2024年1月1日\n", "\n附件：名单\n甲"]))


def heading_line(line: str) -> bool:
    return bool(re.match(r"\s*(?:#+\s*)?第[零〇一二三四五六七八九十百千两]+[章节条]", line))


@settings(max_examples=150, deadline=None)
@given(st.lists(documents(), min_size=1, max_size=4), st.sampled_from(["article", "item", "paragraph", "sentence"]))
def test_spans_reconstruct_units_in_order_and_nothing_lost(texts, unit):
    docs = pd.DataFrame({"doc_id": [f"D{i}" for i in range(len(texts))], "text": texts})
    result = segment(docs, unit=unit)
    units = result.to_frame()
    assert units["unit_id"].is_unique
    by_id = dict(zip(docs["doc_id"], docs["text"], strict=True))
    for doc_id, group in units.groupby("doc_id", sort=False):
        text = by_id[doc_id]
        starts, ends = group["start"].tolist(), group["end"].tolist()
        # Each unit is exactly its span, and the spans are in order and do not overlap.
        assert all(text[s:e] == t for s, e, t in zip(starts, ends, group["text"], strict=True))
        assert all(s < e for s, e in zip(starts, ends, strict=True))
        assert all(e <= s for e, s in zip(ends, starts[1:], strict=False))
        assert group["line"].tolist() == [text.count("\n", 0, s) + 1 for s in starts]
        # Nothing is lost: what no unit covers is white space or heading lines above the articles.
        covered = [False] * len(text)
        for s, e in zip(starts, ends, strict=True):
            covered[s:e] = [True] * (e - s)
        for start, end in zip(result.headings.loc[result.headings["doc_id"] == doc_id, "start"],
                              result.headings.loc[result.headings["doc_id"] == doc_id, "end"], strict=True):
            covered[start:end] = [True] * (end - start)
        assert all(c or ch.isspace() for c, ch in zip(covered, text, strict=True))
    # Every document is cut into units, or is only headings (listed in headings), or is reported empty.
    reported = set(result.problems.loc[result.problems["problem"] == "empty", "doc_id"])
    assert set(units["doc_id"]) | set(result.headings["doc_id"]) | reported == set(docs["doc_id"])


@settings(max_examples=60, deadline=None)
@given(st.lists(documents(), min_size=2, max_size=5), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_document_order(texts, random):
    docs = pd.DataFrame({"doc_id": [f"D{i}" for i in range(len(texts))], "text": texts})
    shuffled = docs.sample(frac=1, random_state=random.randint(0, 10_000))
    first, second = segment(docs), segment(shuffled)
    key = ["doc_id", "start"]
    pd.testing.assert_frame_equal(
        first.to_frame().sort_values(key).reset_index(drop=True), second.to_frame().sort_values(key).reset_index(drop=True)
    )
    pd.testing.assert_frame_equal(
        first.problems.sort_values(["doc_id", "start", "problem"]).reset_index(drop=True),
        second.problems.sort_values(["doc_id", "start", "problem"]).reset_index(drop=True),
    )


@settings(max_examples=100, deadline=None)
@given(documents())
def test_no_unit_holds_a_second_article_heading(text):
    units = segment(frame(D=text)).to_frame()
    for unit_text in units["text"]:
        lines = unit_text.split("\n")
        assert not any(re.match(r"[^\S\n]*第[零〇一二三四五六七八九十百千两]+条(?:之[一二三四五六七八九十]+)?[^\S\n]", line + " ")
                       for line in lines[1:])


def test_unit_id_format_is_doc_chapter_article():
    units = segment(frame(**{"doc-7": REGULATION})).to_frame()
    clauses = units[units["kind"] == "clause"]
    assert all(
        unit_id == f"doc-7-{chapter}-{article}" + (f".{insert}" if insert else "")
        for unit_id, chapter, article, insert in zip(clauses["unit_id"], clauses["chapter"], clauses["article"], clauses["insert"], strict=True)
    )


# ---------------------------------------------------------------------------
# The plugin hook
# ---------------------------------------------------------------------------


class LineSegmenter:
    @pq.hookimpl
    def policyquant_register_segmenters(self, register):
        register("line", lambda text: [{"start": m.start(), "end": m.end()} for m in re.finditer(r"\S(?:[^\n]*\S)?", text)])


class BadSegmenter:
    @pq.hookimpl
    def policyquant_register_segmenters(self, register):
        register("overlapping", lambda text: [{"start": 0, "end": 3}, {"start": 1, "end": 2}])


def test_a_plugin_registers_a_segmenter():
    name = pq.plugins.register_plugin(LineSegmenter(), name="line-segmenter-test")
    try:
        assert pq.plugins.get_registry().segmenters()["line"] == "line-segmenter-test"
        units = segment(frame(D="甲\n\n乙 丙\n"), unit="line").to_frame()
        assert units[["unit_id", "text", "start", "end", "kind"]].to_numpy().tolist() == [
            ["D-0-1", "甲", 0, 1, "clause"], ["D-0-2", "乙 丙", 3, 6, "clause"]
        ]
    finally:
        pq.plugins.unregister_plugin(name)
    with pytest.raises(ValidationError, match="unknown unit 'line'"):
        segment(frame(D="甲"), unit="line")


def test_a_plugin_segmenter_with_overlapping_spans_is_refused():
    name = pq.plugins.register_plugin(BadSegmenter(), name="bad-segmenter-test")
    try:
        with pytest.raises(PluginError, match=r"segmenter 'overlapping': document 'D' has a unit spanning 1..2"):
            segment(frame(D="甲乙丙丁"), unit="overlapping")
    finally:
        pq.plugins.unregister_plugin(name)


class OddSegmenters:
    @pq.hookimpl
    def policyquant_register_segmenters(self, register):
        register("nothing-useful", lambda text: 42)
        register("outside", lambda text: [{"start": 0, "end": len(text) + 5}])
        register("with-problems", lambda text: ([{"start": 0, "end": 1, "chapter": 2, "article": 7}],
                                                [{"problem": "odd", "message": "looks odd", "start": 1}]))
        register("two-units", lambda text: ({"start": 0, "end": 1}, {"start": 1, "end": 2}))


def test_what_a_plugin_segmenter_returns_is_checked():
    name = pq.plugins.register_plugin(OddSegmenters(), name="odd-segmenters-test")
    try:
        with pytest.raises(PluginError, match=r"segmenter 'nothing-useful' returned int for document 'D'"):
            segment(frame(D="甲乙"), unit="nothing-useful")
        with pytest.raises(PluginError, match=r"document 'D' has a unit spanning 0..7, .*\(length 2\)"):
            segment(frame(D="甲乙"), unit="outside")
        result = segment(frame(D="甲\n乙"), unit="with-problems")
        assert result.to_frame()[["unit_id", "text"]].to_numpy().tolist() == [["D-2-7", "甲"]]
        assert result.problems[["doc_id", "problem", "line", "message"]].to_numpy().tolist() == [
            ["D", "odd", 1, "D line 1: looks odd"]
        ]
        # A pair of units is not mistaken for (units, problems).
        assert segment(frame(D="甲乙"), unit="two-units").to_frame()["unit_id"].tolist() == ["D-0-1", "D-0-2"]
    finally:
        pq.plugins.unregister_plugin(name)
    with pytest.raises(ValidationError, match="unknown unit 3"):
        segment(frame(D="甲"), unit=3)


def test_a_segmenter_name_cannot_be_claimed_twice():
    class Twice:
        @pq.hookimpl
        def policyquant_register_segmenters(self, register):
            register("article", lambda text: [])

    with pytest.raises(pq.errors.DuplicateFrameworkError, match="segmenter 'article' is claimed twice"):
        pq.plugins.register_plugin(Twice(), name="twice-test")
    assert "twice-test" not in pq.plugins.get_registry().plugin_names()
    assert pq.plugins.get_registry().segmenters()["article"] == "policyquant.documents.segmentation"


def test_a_failing_segmenter_hook_is_collected_like_other_plugin_failures(plugin_distribution):
    from policyquant.plugins import FrameworkRegistry

    code = (
        "import policyquant as pq\n\n"
        "@pq.hookimpl\n"
        "def policyquant_register_segmenters(register):\n"
        "    register('half', lambda text: [])\n"
        "    raise RuntimeError('boom')\n"
    )
    installed = plugin_distribution(code)
    with pytest.warns(pq.errors.PluginWarning, match="failed at hook: RuntimeError: boom"):
        registry = FrameworkRegistry()
        registry.load()
    failure = next(f for f in registry.failures() if f.plugin == installed.ep_name)
    assert (failure.stage, failure.error) == ("hook", "RuntimeError: boom")
    # Nothing of the failed plugin is registered; the built-in units keep working.
    assert "half" not in registry.segmenters()
    assert sorted(registry.segmenters()) == ["article", "item", "paragraph", "sentence"]

    class Failing:
        @pq.hookimpl
        def policyquant_register_segmenters(self, register):
            raise RuntimeError("boom")

    # Registered at run time, the same plugin fails loudly.
    with pytest.raises(PluginError, match="failed in its hook: RuntimeError: boom"):
        registry.register_plugin(Failing(), name="failing-test")


def test_lines_and_spans_with_characters_beyond_the_basic_plane_and_crlf():
    text = "𠀀通知\r\n第一条 甲。\r\n第二条 乙。\r\n\r\n第三条 丙𠀁。\n第四条 丁"
    units = segment(frame(X=text)).to_frame()
    assert units[["unit_id", "line", "text"]].to_numpy().tolist() == [
        ["X-0-0", 1, "𠀀通知"], ["X-0-1", 2, "第一条 甲。"], ["X-0-2", 3, "第二条 乙。"],
        ["X-0-3", 5, "第三条 丙𠀁。"], ["X-0-4", 6, "第四条 丁"],
    ]
    assert all(text[s:e] == t for s, e, t in zip(units["start"], units["end"], units["text"], strict=True))
