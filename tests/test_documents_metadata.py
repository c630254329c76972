"""Tests of policyquant.documents.metadata: title, number, issuers, dates, level, region, form and suggested scores.

The documents below are written in the layouts real ones use: a State Council
notice that issues a plan, a joint order of the Cyberspace Administration and six
other bodies, provincial and municipal notices, a page's metadata table as saved
from www.gov.cn, and the heads of compilations of laws.  The real-document check
reads the 1,564 national legal texts of ../shared/anchors/lawrefbook (skipped
where absent).
"""

from __future__ import annotations

import datetime as dt
import re
import tarfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.analysis.network import DEFAULT_ISSUER_ALIASES, IssuerAliases
from policyquant.documents.metadata import (
    DOCUMENT_ISSUER_ALIASES,
    METADATA_COLUMNS,
    DocumentMetadata,
    extract_metadata,
    parse_date,
    parse_document_number,
    suggest_document_scores,
)
from policyquant.errors import InputTypeError, PluginError, ValidationError

LAWREFBOOK = Path(__file__).resolve().parents[2] / "shared" / "anchors" / "lawrefbook" / "national.tar.xz"

STATE_COUNCIL_PLAN = """国务院关于印发新一代人工智能发展规划的通知
国发〔2017〕35号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
　　现将《新一代人工智能发展规划》印发给你们，请认真贯彻执行。

国务院
2017年7月8日

（此件公开发布）

新一代人工智能发展规划

　　人工智能的迅速发展将深刻改变人类社会生活、改变世界。为抢抓人工智能发展的重大战略机遇，构筑我国人工智能发展的先发优势，按照党中央、国务院部署要求，制定本规划。
一、战略态势
（一）人工智能发展进入新阶段。经过60多年的演进，人工智能发展进入新阶段。
"""

JOINT_ORDER = """国家互联网信息办公室
中华人民共和国国家发展和改革委员会
中华人民共和国教育部
中华人民共和国科学技术部
中华人民共和国工业和信息化部
中华人民共和国公安部
国家广播电视总局
令
第15号

　　《生成式人工智能服务管理暂行办法》已经2023年5月23日国家互联网信息办公室2023年第12次室务会会议审议通过，并经国家发展和改革委员会、教育部、科学技术部、工业和信息化部、公安部、国家广播电视总局同意，现予公布，自2023年8月15日起施行。

国家互联网信息办公室主任　庄荣文
国家发展和改革委员会主任　郑栅洁
教育部部长　怀进鹏
科学技术部部长　王志刚
工业和信息化部部长　金壮龙
公安部部长　王小洪
国家广播电视总局局长　曹淑敏
2023年7月10日

生成式人工智能服务管理暂行办法

第一章　总　　则
第一条　为了促进生成式人工智能健康发展和规范应用，维护国家安全和社会公共利益，保护公民、法人和其他组织的合法权益，根据《中华人民共和国网络安全法》等法律、行政法规，制定本办法。
第二十四条　本办法自2023年8月15日起施行。
"""

CAC_ORDER = """国家互联网信息办公室令
第5号

　　《网络信息内容生态治理规定》已经国家互联网信息办公室室务会议审议通过，现予公布，自2020年3月1日起施行。

主任　庄荣文
二〇一九年十二月十五日

网络信息内容生态治理规定

第一章　总　　则
第一条　为了营造良好网络生态，保障公民、法人和其他组织的合法权益，维护国家安全和公共利益，根据《中华人民共和国国家安全法》《中华人民共和国网络安全法》《互联网信息服务管理办法》等法律、行政法规，制定本规定。
"""

BEIJING_MEASURES = """北京市人民政府办公厅关于印发《北京市促进通用人工智能创新发展的若干措施》的通知
京政办发〔2023〕14号

各区人民政府，市政府各委、办、局，各市属机构：
　　经市政府同意，现将《北京市促进通用人工智能创新发展的若干措施》印发给你们，请结合实际认真贯彻落实。

北京市人民政府办公厅
2023年5月23日

（此件公开发布）

北京市促进通用人工智能创新发展的若干措施

　　为抢抓大模型发展机遇，推动本市通用人工智能实现创新引领和理性健康发展，制定以下措施。
一、提升算力资源统筹供给能力
"""

SHANGHAI_TWO_LINE_TITLE = """上海市经济和信息化委员会 上海市发展和改革委员会
关于印发《上海市推动人工智能大模型创新发展
若干措施（2023—2025年）》的通知
沪经信规〔2023〕9号

各有关单位：
　　现将《上海市推动人工智能大模型创新发展若干措施（2023—2025年）》印发给你们，请认真按照执行。

上海市经济和信息化委员会　上海市发展和改革委员会
2023年10月30日
"""

ZHEJIANG_FULL_WIDTH = """浙江省人民政府关于加快人工智能产业发展的实施意见
浙政发［２０２３］１２号

各市、县（市、区）人民政府，省政府直属各单位：
　　为加快人工智能产业发展，现提出如下意见。
一、总体要求

浙江省人民政府
２０２３年５月１２日
"""

SICHUAN_NOTICE = """关于开展生成式人工智能专项治理工作的通知

各市（州）党委网信办：
　　为规范生成式人工智能服务，决定在全省开展专项治理工作。本通知自印发之日起施行。

中共四川省委网络安全和信息化委员会办公室
二〇二三年五月四日
"""

SHENZHEN_PLAN = """深圳市人民政府关于印发深圳市加快推动人工智能高质量发展高水平应用行动方案（2023—2024年）的通知
深府〔2023〕46号

各区人民政府，市政府直属各单位：
　　现将《深圳市加快推动人工智能高质量发展高水平应用行动方案（2023—2024年）》印发给你们，请认真组织实施。

深圳市人民政府
2023年5月31日
"""

RED_HEADER = """北京市人民政府文件

京政发〔2023〕12号

北京市人民政府关于加快建设具有全球影响力的
人工智能创新策源地的实施意见

各区人民政府，市政府各委、办、局，各市属机构：
　　为加快建设具有全球影响力的人工智能创新策源地，提出如下意见。

北京市人民政府
2023年6月2日
"""

GOV_CN_PAGE = """索 引 号：000014349/2021-00123
主题分类：科技、教育\\科技
发文机关：国务院办公厅
成文日期：2021年11月25日
标　　题：国务院办公厅关于加快推进人工智能治理的指导意见
发文字号：国办发〔2021〕47号
发布日期：2021年11月30日

国务院办公厅关于加快推进人工智能治理的指导意见

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
　　经国务院同意，现提出以下意见。
"""

LAW_HEAD = """# 中华人民共和国网络安全法

2016年11月7日 第十二届全国人民代表大会常务委员会第二十四次会议通过

2016年11月7日 中华人民共和国主席令第五十三号公布

2017年6月1日 施行

<!-- INFO END -->

## 第一章 总则

第一条 为了保障网络安全，维护网络空间主权和国家安全、社会公共利益，保护公民、法人和其他组织的合法权益，促进经济社会信息化健康发展，制定本法。

第七十九条 本法自2017年6月1日起施行。
"""

REGULATION_HEAD = """# 互联网上网服务营业场所管理条例

2002年9月29日 中华人民共和国国务院令第363号公布

2011年1月8日 《国务院关于废止和修改部分行政法规的决定》第一次修订

2016年2月6日 《国务院关于修改部分行政法规的决定》第二次修订

2022年3月29日 中华人民共和国国务院令第752号公布

<!-- INFO END -->

## 第一章 总则

第一条 为了加强对互联网上网服务营业场所的管理，制定本条例。
"""

DOCUMENTS = {
    "N01": STATE_COUNCIL_PLAN,
    "N02": JOINT_ORDER,
    "N03": CAC_ORDER,
    "P01": BEIJING_MEASURES,
    "P02": SHANGHAI_TWO_LINE_TITLE,
    "P03": ZHEJIANG_FULL_WIDTH,
    "P04": SICHUAN_NOTICE,
    "M01": SHENZHEN_PLAN,
    "P05": RED_HEADER,
    "N04": GOV_CN_PAGE,
    "L01": LAW_HEAD,
    "L02": REGULATION_HEAD,
}

CAC = "Cyberspace Administration of China"
# doc_id: title, attached title, number, issuers, kind, level, region, date, effective date, form, provisional
EXPECTED = {
    "N01": ("国务院关于印发新一代人工智能发展规划的通知", "新一代人工智能发展规划", "国发〔2017〕35号", "State Council",
            "state_council", "national", "China", "2017-07-08", None, "规划", None),
    "N02": ("生成式人工智能服务管理暂行办法", None,
            "国家互联网信息办公室 中华人民共和国国家发展和改革委员会 中华人民共和国教育部 中华人民共和国科学技术部 "
            "中华人民共和国工业和信息化部 中华人民共和国公安部 国家广播电视总局令第15号",
            f"{CAC}; National Development and Reform Commission; Ministry of Education; Ministry of Science and "
            "Technology; Ministry of Industry and Information Technology; Ministry of Public Security; National Radio "
            "and Television Administration",
            "department", "national", "China", "2023-07-10", "2023-08-15", "办法", "暂行"),
    "N03": ("网络信息内容生态治理规定", None, "国家互联网信息办公室令第5号", CAC, "department", "national", "China",
            "2019-12-15", "2020-03-01", "规定", None),
    "P01": ("北京市人民政府办公厅关于印发《北京市促进通用人工智能创新发展的若干措施》的通知",
            "北京市促进通用人工智能创新发展的若干措施", "京政办发〔2023〕14号",
            "General Office of the Beijing Municipal People's Government", "government", "provincial", "Beijing",
            "2023-05-23", None, "措施", None),
    "P02": ("上海市经济和信息化委员会 上海市发展和改革委员会关于印发《上海市推动人工智能大模型创新发展若干措施（2023—2025年）》的通知",
            "上海市推动人工智能大模型创新发展若干措施（2023—2025年）", "沪经信规〔2023〕9号",
            "上海市经济和信息化委员会; 上海市发展和改革委员会", "department", "provincial", "Shanghai", "2023-10-30",
            None, "措施", None),
    "P03": ("浙江省人民政府关于加快人工智能产业发展的实施意见", None, "浙政发〔2023〕12号",
            "Zhejiang Provincial People's Government", "government", "provincial", "Zhejiang", "2023-05-12", None,
            "意见", None),
    "P04": ("关于开展生成式人工智能专项治理工作的通知", None, None, "中共四川省委网络安全和信息化委员会办公室", "party",
            "provincial", "Sichuan", "2023-05-04", "2023-05-04", "通知", None),
    "M01": ("深圳市人民政府关于印发深圳市加快推动人工智能高质量发展高水平应用行动方案（2023—2024年）的通知",
            "深圳市加快推动人工智能高质量发展高水平应用行动方案（2023—2024年）", "深府〔2023〕46号", "深圳市人民政府",
            "government", "municipal", "Guangdong", "2023-05-31", None, "方案", None),
    "P05": ("北京市人民政府关于加快建设具有全球影响力的人工智能创新策源地的实施意见", None, "京政发〔2023〕12号",
            "Beijing Municipal People's Government", "government", "provincial", "Beijing", "2023-06-02", None,
            "意见", None),
    "N04": ("国务院办公厅关于加快推进人工智能治理的指导意见", None, "国办发〔2021〕47号",
            "General Office of the State Council", "state_council", "national", "China", "2021-11-25", None, "意见",
            None),
    "L01": ("中华人民共和国网络安全法", None, "中华人民共和国主席令第53号",
            "Standing Committee of the National People's Congress; President of the People's Republic of China",
            "legislature", "national", "China", "2016-11-07", "2017-06-01", "法", None),
    "L02": ("互联网上网服务营业场所管理条例", None, "中华人民共和国国务院令第752号", "State Council", "state_council",
            "national", "China", "2022-03-29", None, "条例", None),
}  # fmt: skip

FIELDS = ("title", "attached_title", "doc_number", "issuers", "issuer_kind", "level", "region", "date",
          "effective_date", "form", "provisional")  # fmt: skip


def frame_of(documents: dict[str, str], **columns: list) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": list(documents), "text": list(documents.values()), **columns})


@pytest.fixture(scope="module")
def result() -> DocumentMetadata:
    return extract_metadata(frame_of(DOCUMENTS), framework="wang2026")


def value_of(row: pd.Series, field: str) -> object:
    value = row[field]
    if pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value


@pytest.mark.parametrize("doc_id", list(EXPECTED))
def test_each_realistic_document_gives_its_metadata(result, doc_id):
    row = result.documents.set_index("doc_id").loc[doc_id]
    found = {field: value_of(row, field) for field in FIELDS}
    assert found == dict(zip(FIELDS, EXPECTED[doc_id], strict=True))


def test_every_span_in_the_evidence_is_the_text_it_quotes(result):
    evidence = result.evidence
    texts = dict(DOCUMENTS)
    spanned = evidence.dropna(subset=["start", "end"])
    assert len(spanned) > 30
    for row in spanned.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.evidence, row
    assert set(evidence.columns) == {"doc_id", "field", "value", "evidence", "start", "end", "rule"}
    # Every value in the documents table has its evidence.
    for field in ("title", "doc_number", "date", "form", "level", "region"):
        with_value = set(result.documents.loc[result.documents[field].notna(), "doc_id"])
        assert with_value <= set(evidence.loc[evidence["field"] == field, "doc_id"]), field


def test_the_number_evidence_is_the_number_as_written(result):
    evidence = result.evidence.set_index(["doc_id", "field"])
    assert evidence.loc[("P03", "doc_number"), "evidence"] == "浙政发［２０２３］１２号"
    assert evidence.loc[("P03", "doc_number"), "value"] == "浙政发〔2023〕12号"


def test_the_effective_date_of_publication_says_it_is_the_issue_date(result):
    row = result.evidence[(result.evidence["doc_id"] == "P04") & (result.evidence["field"] == "effective_date")].iloc[0]
    assert row["evidence"] == "本通知自印发之日起施行"
    assert row["rule"] == "自印发之日起施行: the issue date"
    assert row["value"] == "2023-05-04"


def test_metadata_columns_are_added_in_order_and_dtypes(result):
    documents = result.documents
    assert list(documents.columns) == ["doc_id", "text", *METADATA_COLUMNS, "DA_suggested", "DA_basis"]
    assert str(documents["date"].dtype).startswith("datetime64")
    assert str(documents["year"].dtype) == "Int64"
    assert str(documents["DA_suggested"].dtype) == "Int64"
    assert result.to_frame() is documents
    assert repr(result).startswith("<DocumentMetadata: 12 documents")


# -- Titles -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("国务院办公厅关于印发新一代人工智能\n发展规划的通知\n国办发〔2017〕35号\n", "国务院办公厅关于印发新一代人工智能发展规划的通知"),
        ("国务院关于印发\n新一代人工智能发展规划的通知\n\n各省：\n", "国务院关于印发新一代人工智能发展规划的通知"),
        ("关于促进人工智能产业发展的若干措施\n（试行）\n\n一、总体要求\n", "关于促进人工智能产业发展的若干措施（试行）"),
        # The first line is complete: the next line is not title text.
        ("人工智能伦理审查办法\n第一条　为了规范人工智能伦理审查，制定本办法。\n", "人工智能伦理审查办法"),
        ("# 中华人民共和国数据安全法\n数据安全\n", "中华人民共和国数据安全法"),
        ("\ufeff\r\n科技伦理审查办法（试行）\r\n\r\n第一条\r\n", "科技伦理审查办法（试行）"),
    ],
)
def test_titles_split_over_lines_are_joined(text, title):
    documents = extract_metadata(frame_of({"D": text})).documents
    assert documents.loc[0, "title"] == title


def test_a_title_given_is_kept_where_the_text_shows_none():
    documents = frame_of({"D": "为了规范管理，制定本办法。\n"}, title=["某某办法"])
    result = extract_metadata(documents)
    assert result.documents.loc[0, "title"] == "某某办法"
    assert "title" in set(result.problems["column"])


# -- Document numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["国办发〔2017〕35号", "国办发［2017］35号", "国办发[2017]35号", "国办发（2017）35号", "国办发(2017)35号",
     "国办发【2017】35号", "国办发〔２０１７〕３５号", "国办发 〔2017〕 35 号", "国办发〔2017〕第35号"],
)  # fmt: skip
def test_numbers_in_every_bracket_style_are_one_number(written):
    assert parse_document_number(written) == "国办发〔2017〕35号"
    text = f"国务院办公厅关于开展试点的通知\n{written}\n\n各省：\n"
    assert extract_metadata(frame_of({"D": text})).documents.loc[0, "doc_number"] == "国办发〔2017〕35号"


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("国家互联网信息办公室令第5号", "国家互联网信息办公室令第5号"),
        ("国家互联网信息办公室令 第五号", "国家互联网信息办公室令第5号"),
        ("中华人民共和国国务院令第四百七十四号", "中华人民共和国国务院令第474号"),
        ("京政发〔2023〕12号", "京政发〔2023〕12号"),
        ("工信部联科〔2023〕2号", "工信部联科〔2023〕2号"),
    ],
)
def test_orders_and_serial_numbers(written, number):
    assert parse_document_number(written) == number


def test_a_number_quoted_in_the_body_is_not_the_documents():
    text = (
        "关于做好人工智能试点工作的通知\n\n各有关单位：\n"
        "　　根据《国务院关于印发新一代人工智能发展规划的通知》（国发〔2017〕35号），现就有关事项通知如下。\n"
    )
    result = extract_metadata(frame_of({"D": text}))
    assert pd.isna(result.documents.loc[0, "doc_number"])
    assert "no document number found" in set(result.problems["problem"])


def test_two_numbers_are_reported_and_the_first_used():
    text = "关于进一步加强人工智能伦理治理的通知\n国办发〔2023〕5号\n国办发(2023)6号\n\n国务院办公厅\n2023年2月3日\n"
    result = extract_metadata(frame_of({"D": text}))
    assert result.documents.loc[0, "doc_number"] == "国办发〔2023〕5号"
    problem = result.problems[result.problems["column"] == "doc_number"].iloc[0]
    assert problem["value"] == "国办发〔2023〕5号; 国办发〔2023〕6号"
    assert "several document numbers" in problem["problem"]


def test_the_same_number_twice_is_one_number():
    text = "关于开展试点的通知\n国办发〔2023〕5号\n国办发［2023］5号\n"
    result = extract_metadata(frame_of({"D": text}))
    assert result.documents.loc[0, "doc_number"] == "国办发〔2023〕5号"
    assert "doc_number" not in set(result.problems["column"])


# -- Dates --------------------------------------------------------------------------------

ZERO = ["〇", "零", "○", "O"]
DIGITS_ZH = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else DIGITS_ZH[tens] + "十")) + ("" if ones == 0 and tens else DIGITS_ZH[ones])


def full_width(text: str) -> str:
    return text.translate({ord(str(d)): chr(0xFF10 + d) for d in range(10)})


def written_date(day: dt.date, style: int, zero: str, wide: bool) -> str:
    if style == 0:
        text = f"{day.year}年{day.month}月{day.day}日"
    elif style == 1:
        year = "".join(DIGITS_ZH[int(d)] for d in str(day.year)).replace("〇", zero)
        return f"{year}年{chinese_number(day.month)}月{chinese_number(day.day)}日"
    elif style == 2:
        text = f"{day.year}-{day.month:02d}-{day.day:02d}"
    elif style == 3:
        text = f"{day.year}.{day.month}.{day.day}"
    else:
        text = f"{day.year}/{day.month:02d}/{day.day}"
    return full_width(text) if wide else text


@pytest.mark.parametrize(
    "written",
    ["2021年11月25日", "二〇二一年十一月二十五日", "二零二一年十一月二十五日", "二○二一年十一月二十五日", "2021-11-25",
     "2021.11.25", "2021/11/25", "２０２１年１１月２５日", "2021年 11 月 25 日"],
)  # fmt: skip
def test_every_way_of_writing_a_date(written):
    assert parse_date(written) == pd.Timestamp("2021-11-25")


@settings(max_examples=60, deadline=None)
@given(
    day=st.dates(dt.date(1949, 10, 1), dt.date(2099, 12, 31)),
    style=st.integers(0, 4),
    zero=st.sampled_from(ZERO),
    wide=st.booleans(),
)
def test_a_date_written_any_supported_way_is_the_same_date(day, style, zero, wide):
    written = written_date(day, style, zero, wide)
    assert parse_date(written) == pd.Timestamp(day)
    # Under a signature, as a document has it.
    text = f"国务院办公厅关于开展试点的通知\n\n国务院办公厅\n{written}\n"
    documents = extract_metadata(frame_of({"D": text})).documents
    assert documents.loc[0, "date"] == pd.Timestamp(day)


@settings(max_examples=60, deadline=None)
@given(
    prefix=st.sampled_from(["国办发", "京政发", "工信部联科", "沪府规", "国科发高"]),
    year=st.integers(1990, 2099),
    serial=st.integers(1, 999),
    brackets=st.sampled_from(["〔〕", "［］", "[]", "（）", "()", "【】"]),
    wide=st.booleans(),
    ordinal=st.booleans(),
)
def test_numbers_with_any_bracket_style_parse_the_same(prefix, year, serial, brackets, wide, ordinal):
    digits = full_width if wide else str
    written = f"{prefix}{brackets[0]}{digits(str(year))}{brackets[1]}{'第' if ordinal else ''}{digits(str(serial))}号"
    assert parse_document_number(written) == f"{prefix}〔{year}〕{serial}号"


ISSUERS = [
    ("工业和信息化部", "Ministry of Industry and Information Technology", "national"),
    ("国家互联网信息办公室", "Cyberspace Administration of China", "national"),
    ("教育部", "Ministry of Education", "national"),
    ("广东省人民政府", "Guangdong Provincial People's Government", "provincial"),
    ("上海市人民政府办公厅", "General Office of the Shanghai Municipal People's Government", "provincial"),
]


@settings(max_examples=40, deadline=None)
@given(
    issuers=st.lists(st.sampled_from(ISSUERS), min_size=1, max_size=3, unique=True),
    day=st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
    style=st.integers(0, 4),
    brackets=st.sampled_from(["〔〕", "［］", "[]", "（）"]),
    serial=st.integers(1, 300),
    form=st.sampled_from(["意见", "通知", "办法", "指南", "方案"]),
    joined=st.sampled_from(["\n", "　", " "]),
)
def test_a_document_assembled_from_any_supported_writing_gives_its_metadata(issuers, day, style, brackets, serial, form, joined):
    names = [chinese for chinese, _, _ in issuers]
    text = (
        f"{'、'.join(names)}关于推进人工智能治理的{form}\n"
        f"工信部科{brackets[0]}{day.year}{brackets[1]}{serial}号\n\n各有关单位：\n　　现就有关事项通知如下。\n\n"
        f"{joined.join(names)}\n{written_date(day, style, '〇', False)}\n"
    )
    result = extract_metadata(frame_of({"D": text}))
    row = result.documents.loc[0]
    assert row["doc_number"] == f"工信部科〔{day.year}〕{serial}号"
    assert row["date"] == pd.Timestamp(day)
    assert row["issuers"] == "; ".join(canonical for _, canonical, _ in issuers)
    assert row["level"] == ("national" if any(level == "national" for *_, level in issuers) else "provincial")
    assert row["form"] == form
    for evidence in result.evidence.dropna(subset=["start", "end"]).itertuples():
        assert text[evidence.start : evidence.end] == evidence.evidence


@pytest.mark.parametrize("written", ["2023年2月30日", "二〇二三年二月三十日", "2023-02-30", "2023年13月1日"])
def test_a_date_that_does_not_exist_is_reported_not_crashed(written):
    assert parse_date(written) is None
    text = f"北京市人民政府办公厅关于开展试点工作的通知\n\n北京市人民政府办公厅\n{written}\n"
    result = extract_metadata(frame_of({"D": text}))
    assert pd.isna(result.documents.loc[0, "date"])
    problem = result.problems[result.problems["column"] == "date"].iloc[0]
    assert problem["problem"] == "not a date of the calendar"
    assert problem["value"] == written
    # The evidence still shows what was read.
    evidence = result.evidence[result.evidence["field"] == "date"].iloc[0]
    assert evidence["evidence"] == written and pd.isna(evidence["value"])


def test_effective_from_publication_without_an_issue_date_is_reported():
    text = "关于开展试点工作的通知\n\n各单位：\n　　本通知自公布之日起施行。\n"
    result = extract_metadata(frame_of({"D": text}))
    assert pd.isna(result.documents.loc[0, "effective_date"])
    assert "takes effect on the issue date, which the text does not show" in set(result.problems["problem"])


def test_the_document_own_effective_provision_wins_over_a_quoted_one():
    text = (
        "某某管理办法\n\n第一条　依照《某某条例》（自2019年1月1日起施行）制定本办法。\n"
        "第三十条　本办法自2024年3月1日起施行。\n"
    )
    documents = extract_metadata(frame_of({"D": text})).documents
    assert documents.loc[0, "effective_date"] == pd.Timestamp("2024-03-01")


def test_an_effective_date_quoted_from_another_text_is_not_the_documents():
    text = "关于做好某某工作的通知\n\n各单位：\n　　依照《某某条例》（自2019年1月1日起施行）做好工作。\n"
    result = extract_metadata(frame_of({"D": text}))
    assert pd.isna(result.documents.loc[0, "effective_date"])
    assert "effective_date" not in set(result.evidence["field"])


def test_a_compilation_head_gives_the_latest_version_and_its_order():
    result = extract_metadata(frame_of({"L02": REGULATION_HEAD}))
    evidence = result.evidence.set_index("field")
    assert evidence.loc["date", "evidence"] == "2022年3月29日 中华人民共和国国务院令第752号公布"
    assert evidence.loc["doc_number", "evidence"] == "中华人民共和国国务院令第752号"
    assert result.problems["column"].tolist() == []


# -- Issuers, level, region ---------------------------------------------------------------


def test_the_alias_table_grows_the_networks_table():
    frame = DEFAULT_ISSUER_ALIASES.to_frame()
    for canonical, names in zip(frame["canonical"], frame["names"], strict=True):
        for name in [canonical, *names.split("; ")]:
            assert DOCUMENT_ISSUER_ALIASES.canonical(name) == canonical
    assert len(DOCUMENT_ISSUER_ALIASES) > len(DEFAULT_ISSUER_ALIASES) + 90
    assert DOCUMENT_ISSUER_ALIASES.canonical("广东省人民政府") == "Guangdong Provincial People's Government"
    assert DOCUMENT_ISSUER_ALIASES.canonical("北京市政府办公厅") == "General Office of the Beijing Municipal People's Government"
    assert DOCUMENT_ISSUER_ALIASES.canonical("全国人大常委会") == "Standing Committee of the National People's Congress"
    # The network analysis takes the same names.
    assert isinstance(DOCUMENT_ISSUER_ALIASES, IssuerAliases)


def test_issuers_from_the_number_prefix_when_nothing_else_names_one():
    text = "关于开展人工智能试点工作的通知\n国办函〔2023〕9号\n\n各省、自治区、直辖市人民政府：\n"
    result = extract_metadata(frame_of({"D": text}))
    row = result.documents.loc[0]
    assert (row["issuers"], row["level"], row["region"]) == ("General Office of the State Council", "national", "China")
    evidence = result.evidence[result.evidence["field"] == "issuers"].iloc[0]
    assert evidence["rule"] == "number prefix 国办函 = 国务院办公厅"


def test_region_from_a_provincial_number_prefix():
    text = "关于开展人工智能应用场景建设的通知\n京科发〔2023〕7号\n\n各有关单位：\n"
    row = extract_metadata(frame_of({"D": text})).documents.loc[0]
    assert (row["region"], row["level"]) == ("Beijing", "provincial")
    assert pd.isna(row["issuers"])


def test_an_ambiguous_prefix_says_so():
    text = "关于开展人工智能应用试点的通知\n宁政发〔2023〕7号\n"
    evidence = extract_metadata(frame_of({"D": text})).evidence
    assert "南京市 (Nanjing) uses 宁 too" in evidence.loc[evidence["field"] == "region", "rule"].iloc[0]


@pytest.mark.parametrize(
    ("issuer", "level", "region"),
    [
        ("北京市海淀区人民政府", "county", "Beijing"),
        ("广东省深圳市科技创新委员会", "municipal", "Guangdong"),
        ("杭州市经济和信息化局", "municipal", "Zhejiang"),
        ("江苏省市场监督管理局", "provincial", "Jiangsu"),
        ("内蒙古自治区人民政府", "provincial", "Inner Mongolia"),
        ("重庆市人民政府办公厅", "provincial", "Chongqing"),
        ("国家数据局", "national", "China"),
        ("中华人民共和国交通运输部", "national", "China"),
    ],
)
def test_levels_and_regions_from_the_issuers_name(issuer, level, region):
    text = f"{issuer}关于开展人工智能试点工作的通知\n\n各有关单位：\n"
    row = extract_metadata(frame_of({"D": text})).documents.loc[0]
    assert (row["level"], row["region"]) == (level, region)
    assert row["level"] in {level.key for level in pq.model.ADMINISTRATIVE_LEVELS}


def test_signature_blocks_name_the_bodies_above_the_date():
    text = (
        "关于推动人工智能赋能新型工业化的指导意见\n\n各省、自治区、直辖市工业和信息化主管部门：\n"
        "　　现提出如下意见。\n\n工业和信息化部\n国家发展改革委\n科技部\n2024年1月5日\n"
    )
    result = extract_metadata(frame_of({"D": text}))
    assert result.documents.loc[0, "issuers"] == (
        "Ministry of Industry and Information Technology; National Development and Reform Commission; "
        "Ministry of Science and Technology"
    )
    rules = set(result.evidence.loc[result.evidence["field"] == "issuers", "rule"])
    assert rules == {"the signature block (above the date)"}


def test_a_forwarding_notice_is_issued_by_the_body_that_forwards():
    text = "国务院办公厅转发国家发展改革委关于促进人工智能产业发展若干意见的通知\n国办发〔2023〕8号\n"
    row = extract_metadata(frame_of({"D": text})).documents.loc[0]
    assert row["issuers"] == "General Office of the State Council"


def test_aliases_extend_the_table_or_replace_it():
    text = "北京市科学技术委员会关于开展人工智能试点的通知\n\n北京市科学技术委员会\n2023年3月1日\n"
    grown = extract_metadata(
        frame_of({"D": text}), aliases={"Beijing Municipal Science and Technology Commission": ["北京市科学技术委员会"]}
    )
    assert grown.documents.loc[0, "issuers"] == "Beijing Municipal Science and Technology Commission"
    replaced = extract_metadata(frame_of({"D": "国务院关于开展试点的通知\n"}), aliases=IssuerAliases())
    assert replaced.documents.loc[0, "issuers"] == "国务院"
    assert replaced.documents.loc[0, "issuer_kind"] == "state_council" or replaced.documents.loc[0, "level"] == "national"
    with pytest.raises(InputTypeError, match="aliases expects an IssuerAliases or a mapping"):
        extract_metadata(frame_of({"D": text}), aliases=["北京市科学技术委员会"])


# -- Forms --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "form", "provisional"),
    [
        ("生成式人工智能服务管理暂行办法", "办法", "暂行"),
        ("科技伦理审查办法（试行）", "办法", "试行"),
        ("中华人民共和国个人所得税法实施条例", "条例", None),
        ("社会保险费征缴暂行条例", "条例", "暂行"),
        ("国家人工智能产业综合标准化体系建设指南（2024版）", "指南", None),
        ("上海市推动人工智能大模型创新发展若干措施（2023—2025年）", "措施", None),
        ("促进新一代人工智能产业发展三年行动计划（2018—2020年）", "计划", None),
        ("新一代人工智能伦理规范", "规范", None),
        ("专利法实施细则", "细则", None),
        ("全国人民代表大会常务委员会关于加强网络信息保护的决定", "决定", None),
        ("国家中长期科学和技术发展规划纲要（2006—2020年）", "纲要", None),
        ("人工智能 生成合成内容标识方法", None, None),
    ],
)
def test_forms_from_the_last_word_of_the_title(title, form, provisional):
    row = extract_metadata(frame_of({"D": f"{title}\n\n第一条\n"})).documents.loc[0]
    assert (None if pd.isna(row["form"]) else row["form"], None if pd.isna(row["provisional"]) else row["provisional"]) == (form, provisional)


# -- Bad input ----------------------------------------------------------------------------


def test_bad_documents_are_refused_with_a_clear_error():
    with pytest.raises(InputTypeError, match=r"\(a DocumentSet\) or a pandas DataFrame with columns doc_id, text; got list"):
        extract_metadata(["国务院关于…的通知"])
    with pytest.raises(ValidationError, match="missing column 'text'"):
        extract_metadata(pd.DataFrame({"doc_id": ["D"]}))
    with pytest.raises(InputTypeError, match=r"column 'text' must hold text; row 2 \(doc_id 'B'\) holds int 5"):
        extract_metadata(pd.DataFrame({"doc_id": ["A", "B"], "text": ["某某办法", 5]}))


def test_empty_and_missing_texts_are_reported_not_crashed():
    result = extract_metadata(pd.DataFrame({"doc_id": ["A", "B", "C"], "text": ["", None, "   \n  "]}))
    assert result.documents[list(METADATA_COLUMNS)].isna().all().all()
    assert result.problems["problem"].tolist() == ["the document has no text"] * 3
    assert result.evidence.empty


def test_no_documents_at_all():
    result = extract_metadata(pd.DataFrame({"doc_id": pd.Series([], dtype=object), "text": pd.Series([], dtype=object)}))
    assert result.documents.empty and result.evidence.empty and result.problems.empty
    assert list(result.documents.columns) == ["doc_id", "text", *METADATA_COLUMNS]


def test_values_the_researcher_gave_are_kept():
    documents = frame_of({"P01": BEIJING_MEASURES}, level=["national"], region=[None])
    row = extract_metadata(documents).documents.loc[0]
    assert (row["level"], row["region"]) == ("national", "Beijing")


def test_the_result_does_not_depend_on_row_order():
    frame = frame_of(DOCUMENTS)
    forward = extract_metadata(frame).documents.set_index("doc_id")
    backward = extract_metadata(frame.iloc[::-1].reset_index(drop=True)).documents.set_index("doc_id")
    pd.testing.assert_frame_equal(forward.loc[backward.index], backward)


def test_a_non_default_index_is_kept():
    frame = frame_of({"N01": STATE_COUNCIL_PLAN, "P01": BEIJING_MEASURES})
    frame.index = [10, 3]
    result = extract_metadata(frame, framework="wang2026")
    assert result.documents.index.tolist() == [10, 3]
    assert result.documents["DA_suggested"].tolist() == [4, 2]


def test_the_input_is_not_modified():
    frame = frame_of(DOCUMENTS)
    before = frame.copy()
    extract_metadata(frame, framework="wang2026")
    pd.testing.assert_frame_equal(frame, before)


def test_a_document_set_from_the_reader_is_taken(tmp_path):
    from policyquant.documents import read_documents

    (tmp_path / "plan.txt").write_text(STATE_COUNCIL_PLAN, encoding="utf-8")
    (tmp_path / "draft.txt").write_text("关于征求意见的函\n\n各单位：\n　　请提出意见。\n", encoding="utf-8")
    result = extract_metadata(read_documents(tmp_path), framework="wang2026")
    documents = result.documents.set_index("doc_id")
    assert documents.loc["plan", "doc_number"] == "国发〔2017〕35号"
    assert int(documents.loc["plan", "DA_suggested"]) == 4
    # A problem names the file it is about.
    problem = result.problems[(result.problems["doc_id"] == "draft") & (result.problems["column"] == "issuers")].iloc[0]
    assert problem["file"] == str(tmp_path / "draft.txt")


def test_an_unknown_framework_is_named():
    with pytest.raises(pq.UnknownFrameworkError, match="no framework named 'wang2062'"):
        extract_metadata(frame_of({"N01": STATE_COUNCIL_PLAN}), framework="wang2062")


# -- Suggested document-level scores ------------------------------------------------------

DA_EXPECTED = {"N01": 4, "N02": 3, "N03": 3, "P01": 2, "P02": 2, "P03": 2, "P04": 1, "M01": None, "P05": 2,
               "N04": 4, "L01": 5, "L02": 5}  # fmt: skip


def test_wang2026_suggests_da_by_table_3(result):
    documents = result.documents.set_index("doc_id")
    suggested = {doc_id: (None if pd.isna(v) else int(v)) for doc_id, v in documents["DA_suggested"].items()}
    assert suggested == DA_EXPECTED
    assert documents.loc["M01", "DA_basis"].startswith("Table 3 ranks national and provincial documents only")
    assert documents.loc["N02", "DA_basis"] == "departmental rule (部门规章), published by order (办法; department; national)"
    # A suggestion never fills the coded score.
    assert "DA" not in documents.columns


def test_peng2008_suggests_strength():
    documents = extract_metadata(frame_of(DOCUMENTS), framework="peng2008").documents.set_index("doc_id")
    strength = {doc_id: (None if pd.isna(v) else int(v)) for doc_id, v in documents["strength_suggested"].items()}
    assert strength == {"N01": 3, "N02": 3, "N03": 3, "P01": None, "P02": None, "P03": None, "P04": None,
                        "M01": None, "P05": None, "N04": 3, "L01": 5, "L02": 4}  # fmt: skip
    assert "DA_suggested" not in documents.columns
    assert documents.loc["P01", "strength_basis"].startswith("Peng et al.'s strength ranks central (national) policies only")


def test_suggested_scores_are_levels_of_the_scale(result):
    scores = {level.score for level in pq.get_framework("wang2026").scale.dimension("DA").levels}
    assert set(result.documents["DA_suggested"].dropna().astype(int)) <= scores


def test_a_framework_without_document_level_suggestions_adds_nothing():
    documents = extract_metadata(frame_of({"N01": STATE_COUNCIL_PLAN}), framework="howlett-ramesh-1995").documents
    assert not any(column.endswith(("_suggested", "_basis")) for column in documents.columns)


def rank_framework() -> pq.Framework:
    rank = pq.Dimension("rank", "Rank", (pq.Level(2, "High"), pq.Level(1, "Low")), unit="document")
    share = pq.Dimension("share", "Share", (pq.Level(1, "Some"),), unit="unit")
    return pq.Framework("rank-test", "Rank test", scale=pq.FormulaScale((rank, share), "rank * share"))


class RankPlugin:
    """A third-party plugin: its own framework and the suggestion hook for it."""

    def __init__(self, answer=None):
        self.answer = answer

    @pq.hookimpl
    def policyquant_register_frameworks(self, register):
        register(rank_framework())

    @pq.hookimpl
    def policyquant_suggest_document_scores(self, framework, documents):
        if framework.name != "rank-test":
            return None
        if self.answer is not None:
            return self.answer(documents)
        high = documents["issuer_kind"].eq("state_council").to_numpy()
        return pd.DataFrame(
            {
                "rank_suggested": np.where(high, 2, 1),
                "rank_basis": np.where(high, "State Council document", "other issuer"),
            },
            index=documents.index,
        )


@pytest.fixture
def plugin():
    registered = []

    def register(answer=None):
        name = pq.plugins.register_plugin(RankPlugin(answer), name="rank-plugin")
        registered.append(name)
        return name

    yield register
    for name in registered:
        pq.plugins.unregister_plugin(name)


def test_a_third_party_plugin_suggests_for_its_framework(plugin):
    plugin()
    documents = frame_of({"N01": STATE_COUNCIL_PLAN, "P01": BEIJING_MEASURES})
    result = extract_metadata(documents, framework="rank-test").documents
    assert result["rank_suggested"].tolist() == [2, 1]
    assert result["rank_basis"].tolist() == ["State Council document", "other issuer"]
    # The built-in plugins answer only for their own frameworks, and this one only for its own.
    assert list(suggest_document_scores(result, "wang2026").columns) == ["DA_suggested", "DA_basis"]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (lambda d: pd.DataFrame({"rank": [1] * len(d)}), "returned the column 'rank'; expected <dimension>_suggested"),
        (lambda d: pd.DataFrame({"share_suggested": [1] * len(d), "share_basis": ["x"] * len(d)}), "returned the column 'share_suggested'"),
        (lambda d: pd.DataFrame({"rank_suggested": [3] * len(d), "rank_basis": ["x"] * len(d)}), "suggested 3 for 'rank', which is not a level"),
        (lambda d: pd.DataFrame({"rank_suggested": [1] * len(d)}), "without rank_basis: every suggestion needs its basis"),
        (lambda d: pd.DataFrame({"rank_suggested": [1], "rank_basis": ["x"]}).iloc[:0], "of 0 rows; expected None or a DataFrame of 1 rows"),
        (lambda d: [1], "returned list; expected None or a DataFrame"),
        (lambda d: 1 / 0, "failed suggesting document scores for framework 'rank-test': ZeroDivisionError"),
    ],
)
def test_a_plugin_that_suggests_wrongly_is_named(plugin, answer, message):
    plugin(answer)
    with pytest.raises(PluginError, match=re.escape(message)) as caught:
        extract_metadata(frame_of({"N01": STATE_COUNCIL_PLAN}), framework="rank-test")
    assert "plugin 'rank-plugin'" in str(caught.value)


def test_the_hook_is_a_documented_hook_specification():
    from policyquant import hookspecs

    assert "policyquant_suggest_document_scores" in hookspecs.__all__
    assert hasattr(pq.plugins.get_registry().manager.hook, "policyquant_suggest_document_scores")


# -- Real documents -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def lawrefbook(tmp_path_factory) -> pd.DataFrame:
    if not LAWREFBOOK.exists():
        pytest.skip(f"{LAWREFBOOK} is absent")
    folder = tmp_path_factory.mktemp("lawrefbook")
    with tarfile.open(LAWREFBOOK) as archive:
        # The "data" filter refuses links and absolute paths; Pythons before 3.10.12 lack it.
        archive.extractall(folder, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    files = sorted(folder.rglob("*.md"))
    return pd.DataFrame(
        {
            "doc_id": [str(f.relative_to(folder)) for f in files],
            "text": [f.read_text(encoding="utf-8") for f in files],
        }
    )


@pytest.fixture(scope="session")
def lawrefbook_metadata(lawrefbook) -> DocumentMetadata:
    return extract_metadata(lawrefbook, framework="wang2026")


def head_of(text: str) -> str:
    return text.split("<!-- INFO END -->", 1)[0]


def test_real_documents_titles_are_their_headings(lawrefbook, lawrefbook_metadata):
    headings = lawrefbook["text"].str.extract(r"^# (.+)$", flags=re.M)[0].str.strip()
    titles = lawrefbook_metadata.documents["title"]
    assert len(lawrefbook) == 1564
    assert (titles == headings).all(), titles[titles != headings].head().tolist()


def test_real_documents_dates_are_found_wherever_the_head_gives_one(lawrefbook, lawrefbook_metadata):
    documents = lawrefbook_metadata.documents
    dated_head = lawrefbook["text"].map(head_of).str.contains(r"\d{4}年\d{1,2}月\d{1,2}日")
    found = documents["date"].notna() | documents["effective_date"].notna()
    misses = documents.loc[dated_head & ~found, "doc_id"].tolist()
    assert not misses, misses
    # Overall, documents whose text shows no date at all are the only misses.
    assert found.mean() > 0.94


def test_real_documents_forms_and_issuers(lawrefbook, lawrefbook_metadata):
    documents = lawrefbook_metadata.documents
    assert documents["form"].notna().mean() > 0.95
    folders = documents["doc_id"].str.split("/").str[1]
    # Every administrative regulation whose head names its issuer is the State Council's or a department's.
    regulations = documents[(folders == "行政法规") & documents["issuers"].notna()]
    assert regulations["issuer_kind"].isin(["state_council", "department", "party"]).all()
    laws = documents[folders.isin(["宪法相关法", "民法商法", "行政法", "经济法", "社会法", "刑法", "诉讼与非诉讼程序法"])]
    assert (laws["issuer_kind"] == "legislature").mean() > 0.95
    assert (documents["level"].dropna() == "national").all()


def test_real_documents_evidence_spans_are_exact(lawrefbook, lawrefbook_metadata):
    texts = dict(zip(lawrefbook["doc_id"], lawrefbook["text"], strict=True))
    spanned = lawrefbook_metadata.evidence.dropna(subset=["start", "end"])
    assert len(spanned) > 4000
    for row in spanned.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.evidence
