"""Metadata from the document itself: title, number, issuing bodies, dates, level, region and form.

A Chinese policy document says what it is in a few conventional places: its
first lines (the title, 国务院办公厅关于印发…的通知, and the document number
发文字号 such as ``国办发〔2017〕35号``), the order line of a rule published by
order (``国家互联网信息办公室令 第5号``), the signature block (the issuing
bodies above the date) and the final article (``本办法自2023年8月15日起施行``).
:func:`extract_metadata` reads these places in every document and returns the
values together with the text each was read from (:attr:`DocumentMetadata.evidence`),
so that a researcher can check every value against the document, and the
problems it met (a date that does not exist, two document numbers) in
:attr:`DocumentMetadata.problems`.  Nothing is guessed without saying from what.

Issuing bodies are named through :data:`DOCUMENT_ISSUER_ALIASES`, the alias
table of the issuer network (:data:`policyquant.analysis.DEFAULT_ISSUER_ALIASES`)
grown by the central bodies, provincial governments and their general offices
and provincial people's congresses, so that the ``issuers`` column goes
straight into :func:`policyquant.issuer_network`.

A framework may turn the metadata into suggested document-level scores (the
study's authority strength ``DA`` from the form and the issuer, by Table 3)
through the ``policyquant_suggest_document_scores`` hook
(:mod:`policyquant.hookspecs`); :func:`suggest_document_scores` collects the
suggestions of every plugin.  Suggestions stay in their own columns
(``DA_suggested``, ``DA_basis``) and never fill a coded score.

Examples
--------
>>> import pandas as pd
>>> from policyquant.documents.metadata import extract_metadata
>>> text = '''国务院办公厅关于印发新一代人工智能发展规划的通知
... 国办发〔2017〕35号
...
... 各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
... 《新一代人工智能发展规划》已经国务院同意，现印发给你们，请认真贯彻执行。
...
... 国务院办公厅
... 2017年7月8日
... '''
>>> result = extract_metadata(pd.DataFrame({"doc_id": ["N01"], "title": [""], "text": [text]}))
>>> row = result.documents.loc[0]
>>> row["doc_number"], row["issuers"], row["level"], row["region"], str(row["date"].date()), row["form"]
('国办发〔2017〕35号', 'General Office of the State Council', 'national', 'China', '2017-07-08', '规划')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import attrs
import numpy as np
import pandas as pd

from .._language import REGION_ZH
from ..analysis.network import DEFAULT_ISSUER_ALIASES, IssuerAliases
from ..errors import InputTypeError, PluginError, PolicyQuantError
from ..model import ADMINISTRATIVE_LEVELS, Framework
from ._frame import documents_frame

__all__ = [
    "DOCUMENT_FORMS",
    "DOCUMENT_ISSUER_ALIASES",
    "METADATA_COLUMNS",
    "NORMATIVE_FORMS",
    "WORKING_FORMS",
    "DocumentMetadata",
    "extract_metadata",
    "parse_date",
    "parse_document_number",
    "suggest_document_scores",
]

#: Columns :func:`extract_metadata` adds to the documents, in this order.
METADATA_COLUMNS = (
    "title",
    "attached_title",
    "doc_number",
    "issuers",
    "issuer_kind",
    "level",
    "region",
    "date",
    "year",
    "effective_date",
    "form",
    "provisional",
)

#: Columns of :attr:`DocumentMetadata.evidence`.
EVIDENCE_COLUMNS = ("doc_id", "field", "value", "evidence", "start", "end", "rule")

#: Document forms (文种) recognised at the end of a title, with English names.
DOCUMENT_FORMS: dict[str, str] = {
    "法": "law",
    "法典": "code",
    "命令": "order",
    "修正案": "amendment",
    "条例": "regulations",
    "规定": "provisions",
    "办法": "measures (rules)",
    "细则": "detailed rules",
    "规则": "rules",
    "决定": "decision",
    "决议": "resolution",
    "解释": "interpretation",
    "意见": "opinions",
    "规划": "plan (development plan)",
    "纲要": "outline",
    "标准": "standard",
    "规范": "norms",
    "准则": "code",
    "指引": "guidelines",
    "指南": "guide",
    "措施": "measures (policy measures)",
    "章程": "charter",
    "守则": "code of conduct",
    "导则": "guiding rules",
    "方案": "programme (implementation plan)",
    "计划": "action plan",
    "要点": "key points",
    "通知": "notice",
    "通告": "circular",
    "公告": "announcement",
    "批复": "official reply",
    "函": "letter",
    "安排": "arrangement",
    "解答": "answers",
    "清单": "list",
    "目录": "catalogue",
    "名录": "directory",
}

#: Forms of documents that set norms (laws, rules, opinions, plans ...): Table 3's "normative documents" and above.
NORMATIVE_FORMS = frozenset(
    {"法", "法典", "命令", "修正案", "条例", "规定", "办法", "细则", "规则", "决定", "决议", "解释", "意见", "规划", "纲要",
     "标准", "规范", "准则", "指引", "指南", "措施", "章程", "守则", "导则", "安排", "解答"}
)  # fmt: skip

#: Forms of working documents: notices, programmes, action plans, announcements, lists.
WORKING_FORMS = frozenset(set(DOCUMENT_FORMS) - NORMATIVE_FORMS)

# -- Text normalisation -------------------------------------------------------------------
#
# Every pattern runs on a copy of the text in which full-width digits, letters,
# brackets and spaces are folded to ASCII one character for one character, so that
# every offset found in the copy is an offset in the document as given.

_FOLD = {
    **{0xFF10 + i: ord("0") + i for i in range(10)},
    **{0xFF21 + i: ord("A") + i for i in range(26)},
    **{0xFF41 + i: ord("a") + i for i in range(26)},
    ord("（"): "(",
    ord("）"): ")",
    ord("［"): "[",
    ord("］"): "]",
    ord("【"): "[",
    ord("】"): "]",
    ord("〔"): "[",
    ord("〕"): "]",
    ord("\u3000"): " ",
    ord("\xa0"): " ",
    ord("\r"): " ",
    ord("\t"): " ",
    ord("\ufeff"): " ",
    ord("○"): "〇",
    ord("Ｏ"): "〇",
    ord("：") : ":",
}  # fmt: skip


_FOLD_CHARS = {chr(key): value if isinstance(value, str) else chr(value) for key, value in _FOLD.items()}
_FOLDABLE = re.compile("[" + "".join(map(re.escape, _FOLD_CHARS)) + "]")


def _fold(text: str) -> str:
    # A substitution of the few characters that need it is ten times faster than str.translate.
    return _FOLDABLE.sub(lambda match: _FOLD_CHARS[match.group()], text)


_CN_DIGITS = {"〇": 0, "零": 0, "O": 0, "o": 0, "0": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip


def _cn_number(text: str) -> int | None:
    """The value of a Chinese numeral (一千二百三十四, 十一, 二十五, 四百七十四) or of Arabic digits."""
    if text.isdigit():
        return int(text)
    total, section, digit = 0, 0, None
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in "十百千":
            unit = {"十": 10, "百": 100, "千": 1000}[char]
            section += (1 if digit is None else digit) * unit
            digit = None
        elif char == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def _cn_year(text: str) -> int | None:
    # A year is written digit by digit: 二〇二一, 一九九九.
    digits = [_CN_DIGITS.get(char) for char in text]
    if any(d is None for d in digits):
        return None
    return int("".join(map(str, digits)))


# -- Patterns -----------------------------------------------------------------------------

_ZERO = "〇零Oo0"
_CN = "一二三四五六七八九十"


def _date_pattern(p: str) -> str:
    """A date in any supported writing, with named groups prefixed by ``p``."""
    return (
        rf"(?<![\d{_CN}{_ZERO}])(?:"
        rf"(?P<{p}y>\d{{4}})\s*年\s*(?P<{p}m>\d{{1,2}})\s*月\s*(?P<{p}d>\d{{1,2}})\s*日"
        rf"|(?P<{p}cy>[{_ZERO}一二三四五六七八九]{{4}})\s*年\s*(?P<{p}cm>[{_CN}]{{1,3}})\s*月\s*(?P<{p}cd>[{_CN}]{{1,3}})\s*日"
        rf"|(?P<{p}iy>\d{{4}})(?P<{p}sep>[-./])(?P<{p}im>\d{{1,2}})(?P={p}sep)(?P<{p}id>\d{{1,2}})(?![\d])"
        r")"
    )


_DATE = re.compile(_date_pattern("d_"))

# 国办发〔2017〕35号 and the like: an issuer's code, the year in brackets, the serial number.
_BRACKETS_OPEN = r"[\[(]"
_BRACKETS_CLOSE = r"[\])]"
_SERIAL_NUMBER = (
    rf"(?P<prefix>[\u4e00-\u9fff]{{1,12}}?)\s*{_BRACKETS_OPEN}\s*(?P<year>\d{{4}})\s*{_BRACKETS_CLOSE}"
    r"\s*第?\s*(?P<serial>\d{1,5})\s*号"
)
# 国家互联网信息办公室令第5号, 中华人民共和国国务院令 第474号: a rule published by order.
_ORDER_NUMBER = (
    r"(?P<order_by>[\u4e00-\u9fff](?:[\u4e00-\u9fff、 ]|\n(?! *\n)){0,200}?)令 *\n? *"
    rf"[(]?\s*第\s*(?P<order_serial>[\d{_CN}{_ZERO}百千两]{{1,8}})\s*号\s*[)]?"
)
# The document's own number stands on its own line (or in brackets under the title);
# a number quoted in the body ("根据……（国发〔2017〕35号）") is not the document's.
_OWN_NUMBER = re.compile(rf"(?m)^ *[(]? *(?P<number>{_SERIAL_NUMBER}|{_ORDER_NUMBER})")
# A dated head line of a compilation: "2006年9月19日 中华人民共和国国务院令第474号公布".
_ORDER_LINE = re.compile(rf"(?m)^ *(?P<dated>\d{{4}} *年[^\n]{{0,12}}日|{_date_pattern('o_')}) *[(]? *(?P<number>{_ORDER_NUMBER})")
_NUMBER = re.compile(rf"{_SERIAL_NUMBER}|{_ORDER_NUMBER}")

# Labelled metadata lines, as in the table on top of a government web page.
_LABELS = {
    "title": r"标\s*题|名\s*称",
    "doc_number": r"发文字号|文\s*号",
    "issuers": r"发文机关|发布机构|发文单位|发布机关",
    "date": r"成文日期|发文日期|印发日期|发布日期",
    "effective_date": r"实施日期|施行日期|生效日期",
}
_LABELLED = re.compile(
    r"(?m)^ *(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _LABELS.items()) + r") *[:] *(?P<value>[^\n]*?) *$"
)

_LINE = re.compile(r"(?m)^ *(?P<line>\S[^\n]*)")
_STANDALONE_DATE = re.compile(rf"(?m)^ *[(]? *(?:{_date_pattern('s_')}) *[)]? *$")
# A head line of a compilation: "2006年9月19日 中华人民共和国国务院令第474号公布".
_EVENT = r"公布|发布|印发|颁布|通过|修正|修订|批准"
_EVENT_LINE = re.compile(
    rf"(?m)^ *[(]? *(?:{_date_pattern('e_')})(?P<e_rest>[^\n]{{0,160}}?)(?P<event>{_EVENT})[^\n]{{0,40}}$"
)
_DATED_LINE = re.compile(rf"(?m)^ *[(]? *(?:{_date_pattern('l_')})[^\n]*")
_EFFECTIVE_LINE = re.compile(rf"(?m)^ *[(]? *(?:{_date_pattern('h_')}) *起?\s*(?:施行|实施|生效)\s*[)]? *$")
_EFFECTIVE = re.compile(
    r"[自从]\s*(?:"
    + _date_pattern("f_")
    + r"|(?P<relative>公布|发布|印发|颁布|发文)之日)\s*起\s*(?:施行|实施|执行|生效)"
)
# The body whose meeting adopted the text: "第九届全国人民代表大会常务委员会第十次会议通过".
_MEETING = re.compile(
    r"(?:第[一二三四五六七八九十]+届)?"
    r"(?P<meeting_body>全国人民代表大会常务委员会|全国人民代表大会|国务院|最高人民法院|最高人民检察院"
    r"|(?!第)[\u4e00-\u9fff]{2,12}?人民代表大会常务委员会)"
    r"(?:第[一二三四五六七八九十]+届)?(?:审判委员会|检察委员会)?"
    r"(?:\d{4}年)?第[\d一二三四五六七八九十百千]+次(?:全体|常务)?(?:委员)?会议[^\n。]{0,30}?(?:通过|修订|修正|批准)"
)
# The body at the start of a dated head line, before what it did (发布, 批准, 审议通过 ...).
_BODY_NAME = r"(?:国务院|中共中央|[\u4e00-\u9fff]{2,30}?(?:部|委员会|局|署|总局|办公室|办公厅|法院|检察院|银行))"
_EVENT_BODY = re.compile(
    rf"^(?P<lead> *(?:第[一二三四五六七八九十]+届)?)(?P<event_body>(?!第){_BODY_NAME}(?:、{_BODY_NAME})*)"
    r"(?=\d| *第| *(?:发布|公布|批准|审议|通过|印发|颁布|令)|$)"
)
# What comes right before 自…起施行 when the document speaks of itself: 本办法, 现予公布，.
_OWN_SUBJECT = re.compile(r"(?:本[\u4e00-\u9fff]{0,6}|现予(?:公布|发布|印发)，?)\s*$")
_PROMULGATED_TITLE = re.compile(r"《(?P<promulgated>[^《》\n]{2,80})》\s*(?:已经|已于|经)[^。\n]{0,240}?现予(?:公布|发布)")

# Lines that are not the title although they come first.
_NOT_TITLE = re.compile(
    r"^(?:#+ *)?(?:[\u4e00-\u9fff、 ]{2,40}文件|特急|加急|平急|急件|机密[^\n]*|秘密[^\n]*|绝密[^\n]*|"
    r"(?:主动)?公开|签发人[:：]?[^\n]*|索\s*引\s*号[^\n]*|主题分类[^\n]*|发文机关[^\n]*|成文日期[^\n]*|"
    r"发布日期[^\n]*|发文字号[^\n]*|[(]此件[^\n]*|<!--[^\n]*)$"
)
# 法 ends a law's title, but not 方法 (a method) or 做法.
_FORM_WORDS = "|".join(word if word != "法" else "(?<![方做说手])法" for word in sorted(DOCUMENT_FORMS, key=len, reverse=True))
_FORM = re.compile(
    rf"(?P<before>暂行|试行)?(?P<form>{_FORM_WORDS})"
    r"(?:\s*[(](?P<after>试行|暂行)[)])?(?:\s*[(][^()]{0,24}[)])*\s*$"
)
_ATTACHED = re.compile(r"关于(?:印发|转发|发布|公布|颁布|修订印发|印发修订后的)《?(?P<attached>.+?)》?的(?:通知|通告|公告|决定)$")
_TITLE_ISSUERS = re.compile(r"^(?P<issuers>[\u4e00-\u9fff、 ]{2,150}?)关于")
_PERSON_LINE = re.compile(
    r"(?:主任|副主任|部长|局长|署长|总理|省长|市长|区长|县长|主席|委员长|院长|检察长|行长|主委|书记|署长)\s*[\u4e00-\u9fff]{2,4}$"
)
_AGENCY_END = re.compile(
    r"(?:部|委员会|委|局|署|总局|办公厅|办公室|厅|院|政府|银行|中心|会|室|处|司|法院|检察院|机构|管理局|总署|总队|团|社)$"
)
_TITLE_END = re.compile(rf"(?:{_FORM_WORDS}|[)》]|法)$")

# -- Issuing bodies -----------------------------------------------------------------------

# (Chinese short name, Chinese full name, number-prefix abbreviation, kind of division)
_PROVINCES = (
    ("北京", "北京市", "京", "municipality"), ("天津", "天津市", "津", "municipality"),
    ("河北", "河北省", "冀", "province"), ("山西", "山西省", "晋", "province"),
    ("内蒙古", "内蒙古自治区", "内", "region"), ("辽宁", "辽宁省", "辽", "province"),
    ("吉林", "吉林省", "吉", "province"), ("黑龙江", "黑龙江省", "黑", "province"),
    ("上海", "上海市", "沪", "municipality"), ("江苏", "江苏省", "苏", "province"),
    ("浙江", "浙江省", "浙", "province"), ("安徽", "安徽省", "皖", "province"),
    ("福建", "福建省", "闽", "province"), ("江西", "江西省", "赣", "province"),
    ("山东", "山东省", "鲁", "province"), ("河南", "河南省", "豫", "province"),
    ("湖北", "湖北省", "鄂", "province"), ("湖南", "湖南省", "湘", "province"),
    ("广东", "广东省", "粤", "province"), ("广西", "广西壮族自治区", "桂", "region"),
    ("海南", "海南省", "琼", "province"), ("重庆", "重庆市", "渝", "municipality"),
    ("四川", "四川省", "川", "province"), ("贵州", "贵州省", "黔", "province"),
    ("云南", "云南省", "云", "province"), ("西藏", "西藏自治区", "藏", "region"),
    ("陕西", "陕西省", "陕", "province"), ("甘肃", "甘肃省", "甘", "province"),
    ("青海", "青海省", "青", "province"), ("宁夏", "宁夏回族自治区", "宁", "region"),
    ("新疆", "新疆维吾尔自治区", "新", "region"),
)  # fmt: skip

# Region names as the rest of policyquant writes them (the keys of REGION_ZH), by Chinese name.
_REGION_EN = {}
for _english, _chinese in REGION_ZH.items():
    if _english not in {"china", "national", "central"}:
        _REGION_EN.setdefault(_chinese, _english.title())
_REGION_FULL_EN = {
    "内蒙古": "Inner Mongolia Autonomous Region", "广西": "Guangxi Zhuang Autonomous Region",
    "西藏": "Tibet Autonomous Region", "宁夏": "Ningxia Hui Autonomous Region",
    "新疆": "Xinjiang Uygur Autonomous Region",
}  # fmt: skip

# Provincial capitals and other large cities whose documents name only the city.
_CITY_PROVINCE = {
    "石家庄": "河北", "太原": "山西", "呼和浩特": "内蒙古", "沈阳": "辽宁", "大连": "辽宁", "长春": "吉林",
    "哈尔滨": "黑龙江", "南京": "江苏", "苏州": "江苏", "无锡": "江苏", "杭州": "浙江", "宁波": "浙江",
    "合肥": "安徽", "福州": "福建", "厦门": "福建", "南昌": "江西", "济南": "山东", "青岛": "山东",
    "郑州": "河南", "武汉": "湖北", "长沙": "湖南", "广州": "广东", "深圳": "广东", "东莞": "广东",
    "佛山": "广东", "南宁": "广西", "海口": "海南", "成都": "四川", "贵阳": "贵州", "昆明": "云南",
    "拉萨": "西藏", "西安": "陕西", "兰州": "甘肃", "西宁": "青海", "银川": "宁夏", "乌鲁木齐": "新疆",
}  # fmt: skip


def _provincial_bodies() -> dict[str, list[str]]:
    bodies: dict[str, list[str]] = {}
    for short, full, _, kind in _PROVINCES:
        english = _REGION_EN[short]
        if kind == "municipality":
            government = f"{english} Municipal People's Government"
            congress = f"Standing Committee of the {english} Municipal People's Congress"
        elif kind == "province":
            government = f"{english} Provincial People's Government"
            congress = f"Standing Committee of the {english} Provincial People's Congress"
        else:
            government = f"People's Government of {_REGION_FULL_EN[short]}"
            congress = f"Standing Committee of the People's Congress of {_REGION_FULL_EN[short]}"
        names = {full, short + ("市" if kind == "municipality" else "省" if kind == "province" else "自治区")}
        bodies[government] = sorted({f"{n}人民政府" for n in names} | {f"{n}政府" for n in names})
        bodies[f"General Office of the {government}"] = sorted(
            {f"{n}人民政府办公厅" for n in names} | {f"{n}政府办公厅" for n in names}
        )
        bodies[congress] = sorted({f"{n}人民代表大会常务委员会" for n in names} | {f"{n}人大常委会" for n in names})
    return bodies


_CENTRAL_BODIES: dict[str, list[str]] = {
    "National People's Congress": ["NPC", "全国人民代表大会", "全国人大"],
    "Standing Committee of the National People's Congress": ["NPCSC", "全国人民代表大会常务委员会", "全国人大常委会"],
    "Supreme People's Court": ["SPC", "最高人民法院", "最高法"],
    "Supreme People's Procuratorate": ["SPP", "最高人民检察院", "最高检"],
    "Central Committee of the Communist Party of China": ["中共中央", "中国共产党中央委员会", "CPC Central Committee"],
    "General Office of the CPC Central Committee": ["中共中央办公厅", "中办"],
    "Central Military Commission": ["中央军事委员会", "中央军委"],
    "President of the People's Republic of China": ["中华人民共和国主席", "国家主席"],
    "State Council Information Office": ["国务院新闻办公室", "国新办", "SCIO"],
    "Ministry of Foreign Affairs": ["MFA", "外交部"],
    "Ministry of National Defense": ["国防部"],
    "National Ethnic Affairs Commission": ["国家民族事务委员会", "国家民委"],
    "Ministry of Civil Affairs": ["MCA", "民政部"],
    "Ministry of Human Resources and Social Security": ["MOHRSS", "人力资源和社会保障部", "人力资源社会保障部", "人社部"],
    "Ministry of Natural Resources": ["MNR", "自然资源部"],
    "Ministry of Ecology and Environment": ["MEE", "生态环境部"],
    "Ministry of Housing and Urban-Rural Development": ["MOHURD", "住房和城乡建设部", "住房城乡建设部", "住建部"],
    "Ministry of Transport": ["MOT", "交通运输部"],
    "Ministry of Water Resources": ["MWR", "水利部"],
    "Ministry of Agriculture and Rural Affairs": ["MARA", "农业农村部"],
    "Ministry of Veterans Affairs": ["退役军人事务部"],
    "Ministry of Emergency Management": ["MEM", "应急管理部"],
    "National Audit Office": ["审计署"],
    "General Administration of Customs": ["GACC", "海关总署"],
    "State Taxation Administration": ["STA", "国家税务总局"],
    "General Administration of Sport": ["国家体育总局"],
    "National Bureau of Statistics": ["NBS", "国家统计局"],
    "National Healthcare Security Administration": ["国家医疗保障局", "国家医保局"],
    "National Medical Products Administration": ["NMPA", "国家药品监督管理局", "国家药监局"],
    "National Energy Administration": ["NEA", "国家能源局"],
    "National Railway Administration": ["国家铁路局"],
    "Civil Aviation Administration of China": ["CAAC", "中国民用航空局", "民航局"],
    "State Post Bureau": ["国家邮政局"],
    "National Cultural Heritage Administration": ["国家文物局"],
    "National Administration of Traditional Chinese Medicine": ["国家中医药管理局"],
    "State Administration of Foreign Exchange": ["SAFE", "国家外汇管理局"],
    "National Forestry and Grassland Administration": ["国家林业和草原局", "国家林草局"],
    "National Immigration Administration": ["国家移民管理局"],
    "State Administration of Science, Technology and Industry for National Defense": ["国家国防科技工业局"],
    "China Meteorological Administration": ["中国气象局"],
    "National Copyright Administration": ["国家版权局"],
    "National Administration of State Secrets Protection": ["国家保密局"],
    "State Cryptography Administration": ["国家密码管理局"],
    "National Public Complaints and Proposals Administration": ["国家信访局"],
    "China Banking and Insurance Regulatory Commission": ["CBIRC", "中国银行保险监督管理委员会", "银保监会"],
    "China Banking Regulatory Commission": ["CBRC", "中国银行业监督管理委员会", "银监会"],
    "China Insurance Regulatory Commission": ["CIRC", "中国保险监督管理委员会", "保监会"],
    "Ministry of Communications": ["交通部"],
    "Ministry of Railways": ["铁道部"],
    "Ministry of Health": ["卫生部"],
    "Ministry of Culture": ["文化部"],
    "Ministry of Agriculture": ["农业部"],
    "Ministry of Information Industry": ["信息产业部"],
    "Ministry of Land and Resources": ["国土资源部"],
    "Ministry of Environmental Protection": ["环境保护部"],
    "Ministry of Construction": ["建设部"],
    "Ministry of Personnel": ["人事部"],
    "Ministry of Labour and Social Security": ["劳动和社会保障部"],
    "State Administration for Industry and Commerce": ["国家工商行政管理总局"],
    "General Administration of Quality Supervision, Inspection and Quarantine": ["国家质量监督检验检疫总局", "质检总局"],
    "State Administration of Press, Publication, Radio, Film and Television": ["国家新闻出版广电总局"],
    "State Food and Drug Administration": ["国家食品药品监督管理总局", "国家食品药品监督管理局"],
    "State Administration of Work Safety": ["国家安全生产监督管理总局"],
    "State Intellectual Property Office": ["国家知识产权局专利局"],
}

#: The issuer alias table of :func:`extract_metadata`: the network analysis's
#: :data:`~policyquant.analysis.DEFAULT_ISSUER_ALIASES` grown by more central bodies
#: (the NPC, the courts, ministries and administrations, some under former names),
#: the people's governments of the 31 provincial-level divisions, their general
#: offices and the standing committees of their people's congresses.
DOCUMENT_ISSUER_ALIASES = DEFAULT_ISSUER_ALIASES.extend({**_CENTRAL_BODIES, **_provincial_bodies()})

_STATE_COUNCIL = {"State Council", "General Office of the State Council"}
_PARTY = {"Central Committee of the Communist Party of China", "General Office of the CPC Central Committee"}
_LEGISLATURE = {"National People's Congress", "Standing Committee of the National People's Congress"}
_COURTS = {"Supreme People's Court", "Supreme People's Procuratorate"}
_NATIONAL = set(DEFAULT_ISSUER_ALIASES.to_frame()["canonical"]) | set(_CENTRAL_BODIES)

# Codes of issuing bodies at the start of a document number (机关代字), longest first.
_NUMBER_PREFIXES: dict[str, str] = {
    "国办发": "国务院办公厅", "国办函": "国务院办公厅", "国办明电": "国务院办公厅", "国发": "国务院",
    "国函": "国务院", "国令": "国务院", "中发": "中共中央", "中办发": "中共中央办公厅",
    "国科发": "科学技术部", "国科办": "科学技术部", "工信部": "工业和信息化部", "工信厅": "工业和信息化部",
    "发改": "国家发展和改革委员会", "教": "教育部", "财": "财政部", "人社部": "人力资源和社会保障部",
    "公通字": "公安部", "国市监": "国家市场监督管理总局", "市监": "国家市场监督管理总局",
    "国标委": "国家标准化管理委员会", "国能": "国家能源局", "国知发": "国家知识产权局", "国卫": "国家卫生健康委员会",
    "银发": "中国人民银行", "国资发": "国务院国有资产监督管理委员会", "国数": "国家数据局", "国信办": "国家互联网信息办公室",
    "国网办": "国家互联网信息办公室", "网信": "国家互联网信息办公室", "文旅": "文化和旅游部", "广电": "国家广播电视总局",
    "司发": "司法部", "商": "商务部", "证监": "中国证券监督管理委员会", "交": "交通运输部",
}  # fmt: skip
_PROVINCE_BY_ABBREVIATION = {abbreviation: short for short, _, abbreviation, _ in _PROVINCES}
_PROVINCE_SHORT = {short: full for short, full, _, _ in _PROVINCES}
# Municipal governments that share a provincial prefix (宁政发 is Ningxia's and Nanjing's).
_AMBIGUOUS_PREFIX = {"宁": "南京市 (Nanjing) uses 宁 too", "青": "青岛市 (Qingdao) uses 青 too"}

_PLACE = "|".join(sorted({*(f for _, f, _, _ in _PROVINCES), *(s for s, _, _, _ in _PROVINCES)}, key=len, reverse=True))
_PROVINCIAL_NAME = re.compile(rf"^(?:中共)?(?P<province>{_PLACE})(?:市|省|壮族自治区|回族自治区|维吾尔自治区|自治区)?(?P<rest>.*)$")
_CITY_NAME = re.compile(r"^(?:中共)?(?P<city>[\u4e00-\u9fff]{1,6}?)(?<![城都超])市(?![场政民])(?P<rest>.*)$")
_COUNTY_PART = re.compile(r"^[\u4e00-\u9fff]{1,7}?(?:新区|自治县|县|区|旗)(?:人民政府|政府|人民代表大会|[\u4e00-\u9fff]{0,14}(?:局|委员会|委|办公室|厅|中心))?$")
_NATIONAL_NAME = re.compile(r"^(?:中华人民共和国|国务院|国家|中共中央|中央|全国|最高人民|中国(?!共产党[\u4e00-\u9fff]{1,5}[省市]))")
# The levels of ADMINISTRATIVE_LEVELS, from the top down.
_LEVEL_RANK = {level.key: rank for rank, level in enumerate(ADMINISTRATIVE_LEVELS)}
_KIND_RANK = {"legislature": 0, "party": 1, "state_council": 2, "government": 3, "department": 4, "court": 5}


@lru_cache(maxsize=4096)
def _body_facts(name: str, canonical: str) -> tuple[str, str, str]:
    """(level, region, kind) of an issuing body from its Chinese name and its canonical name; "" where unknown."""
    bare = name.removeprefix("中华人民共和国")
    if canonical in _LEGISLATURE or "人民代表大会" in bare or "人大常委会" in bare:
        kind = "legislature"
    elif canonical in _PARTY or bare.startswith(("中共", "中国共产党")) or re.search(r"[省市县区]委(?:办公厅)?$", bare):
        kind = "party"
    elif canonical in _STATE_COUNCIL:
        kind = "state_council"
    elif canonical in _COURTS or re.search(r"人民(?:法院|检察院)$", bare):
        kind = "court"
    elif re.search(r"人民政府(?:办公厅|办公室)?$|政府(?:办公厅|办公室)$", bare):
        kind = "government"
    elif canonical in _NATIONAL or _AGENCY_END.search(bare) or bare.endswith(("局", "委")):
        kind = "department"
    else:
        kind = ""
    if canonical in _NATIONAL or _NATIONAL_NAME.match(name):
        return "national", "China", kind
    province = _PROVINCIAL_NAME.match(bare)
    if province is not None:
        short = province["province"]
        short = next((s for s, f, _, _ in _PROVINCES if short in (s, f)), short)
        rest = province["rest"]
        region = _REGION_EN.get(short, short)
        if _PROVINCE_SHORT[short].endswith("市"):
            return ("county" if _COUNTY_PART.match(rest) else "provincial"), region, kind
        city = _CITY_NAME.match(rest)
        if city is not None and city["city"] and not rest.startswith("市场"):
            return ("county" if _COUNTY_PART.match(city["rest"]) else "municipal"), region, kind
        if re.match(r"^[\u4e00-\u9fff]{1,8}?(?:自治州|地区|盟)", rest):
            return "municipal", region, kind
        return "provincial", region, kind
    city = _CITY_NAME.match(bare)
    if city is not None and not bare.startswith("市场"):
        region = _REGION_EN.get(_CITY_PROVINCE.get(city["city"], ""), "")
        return ("county" if _COUNTY_PART.match(city["rest"]) else "municipal"), region, kind
    if re.match(r"^[\u4e00-\u9fff]{1,6}?(?:县|自治县)", bare):
        return "county", "", kind
    if kind == "department" and re.search(r"(?:部|署|总局)$", bare):
        # A ministry or administration named without a place is a central one.
        return "national", "China", kind
    return "", "", kind


def _split_bodies(text: str) -> list[str]:
    """Issuing bodies named in one stretch of text: separated by spaces, 、 or line breaks."""
    parts = re.split(r"[\s、，,;；]+", text)
    return [part for part in parts if len(part) >= 2]


_BODIES_WITHOUT_SUFFIX = {"国务院", "中华人民共和国国务院", "中共中央", "中华人民共和国主席", "国家主席"}


def _order_bodies(text: str) -> list[str]:
    """The bodies named before 令 in an order's header: the agency names, not a title line above them."""
    parts = (re.sub(r"^[^第]*第[一二三四五六七八九十]+届", "", part) for part in _split_bodies(text))
    return [part for part in parts if _AGENCY_END.search(part) or part in _BODIES_WITHOUT_SUFFIX]


def _number_prefix_body(prefix: str) -> tuple[str, str, str]:
    """(body, region, note) a document number's prefix stands for; "" where it names none."""
    for code in sorted(_NUMBER_PREFIXES, key=len, reverse=True):
        if prefix.startswith(code):
            return _NUMBER_PREFIXES[code], "", f"number prefix {code} = {_NUMBER_PREFIXES[code]}"
    abbreviation = prefix[:1]
    short = _PROVINCE_BY_ABBREVIATION.get(abbreviation)
    if short is None or len(prefix) < 2:
        return "", "", ""
    full = _PROVINCE_SHORT[short]
    note = f"number prefix {abbreviation} = {full}"
    if abbreviation in _AMBIGUOUS_PREFIX:
        note += f" ({_AMBIGUOUS_PREFIX[abbreviation]}; check the issuer)"
    office = re.match(r"^.(?:政|府)(办)?", prefix)
    if office is not None:
        body = f"{full}人民政府" + ("办公厅" if office.group(1) else "")
        return body, short, f"number prefix {office.group(0)} = {body}" + note[len(f"number prefix {abbreviation} = {full}"):]
    return "", short, note


# -- Matching -----------------------------------------------------------------------------


def _matches(texts: pd.Series, pattern: re.Pattern[str], span_of: str | None = None) -> pd.DataFrame:
    """Every match of ``pattern`` in ``texts``: the row position, start, end and named groups.

    One C-level ``finditer`` per text; every decision about the matches is then
    made on this long table with vectorised pandas operations.  With
    ``span_of``, ``start``, ``end`` and ``match`` are those of that named group.
    """
    names = list(pattern.groupindex)
    group = span_of or 0
    rows: list[tuple[Any, ...]] = [
        (position, m.start(group), m.end(group), m.group(group), *(m.group(name) for name in names))
        for position, text in enumerate(texts.tolist())
        if isinstance(text, str)
        for m in pattern.finditer(text)
    ]
    frame = pd.DataFrame(rows, columns=["pos", "start", "end", "match", *names])
    if frame.empty:
        frame = frame.astype({"pos": np.int64, "start": np.int64, "end": np.int64})
    return frame


def _dates(frame: pd.DataFrame, p: str) -> tuple[pd.Series, pd.Series]:
    """The ISO text and the date of every match of a date pattern with group prefix ``p``.

    The ISO text is ``YYYY-MM-DD`` as written (also for a date that does not exist);
    the date is missing where the text is not a date of the calendar.
    """
    if frame.empty:
        empty = pd.Series([], dtype=object, index=frame.index)
        return empty, pd.Series([], dtype="datetime64[ns]", index=frame.index)
    year = frame[f"{p}y"].fillna(frame[f"{p}iy"])
    month = frame[f"{p}m"].fillna(frame[f"{p}im"])
    day = frame[f"{p}d"].fillna(frame[f"{p}id"])
    chinese = frame[f"{p}cy"].notna()
    if chinese.any():
        year = year.where(~chinese, frame.loc[chinese, f"{p}cy"].map(_cn_year))
        month = month.where(~chinese, frame.loc[chinese, f"{p}cm"].map(_cn_number))
        day = day.where(~chinese, frame.loc[chinese, f"{p}cd"].map(_cn_number))
    iso = (
        pd.to_numeric(year, errors="coerce").astype("Int64").astype(str).str.zfill(4)
        + "-"
        + pd.to_numeric(month, errors="coerce").astype("Int64").astype(str).str.zfill(2)
        + "-"
        + pd.to_numeric(day, errors="coerce").astype("Int64").astype(str).str.zfill(2)
    ).astype(object)
    dates = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")
    return iso, dates


def parse_date(text: str) -> pd.Timestamp | None:
    """The date written in ``text`` in any supported way, or None.

    Supported: ``2021年11月25日``, ``二〇二一年十一月二十五日`` (with 〇, 零, ○ or O
    for zero), ``2021-11-25``, ``2021.11.25``, ``2021/11/25``, with full-width
    digits too.  A date that does not exist (``2023年2月30日``) is None.

    Examples
    --------
    >>> from policyquant.documents.metadata import parse_date
    >>> parse_date("二〇二一年十一月二十五日") == parse_date("2021.11.25") == parse_date("２０２１年１１月２５日")
    True
    >>> parse_date("2023年2月30日") is None
    True
    """
    if not isinstance(text, str):
        raise InputTypeError(f"parse_date expects text such as '2021年11月25日', got {type(text).__name__}")
    frame = _matches(pd.Series([_fold(text)]), _DATE)
    if frame.empty:
        return None
    _, dates = _dates(frame.iloc[:1], "d_")
    value = dates.iloc[0]
    return None if pd.isna(value) else pd.Timestamp(value)


def _number_value(frame: pd.DataFrame) -> pd.Series:
    """The document number in one writing: 〔〕 around the year, Arabic numerals."""
    if "prefix" not in frame.columns:
        frame = frame.assign(prefix=None)
    serial = frame["prefix"].notna()
    value = pd.Series(None, index=frame.index, dtype=object)
    if serial.any():
        value[serial] = (
            frame.loc[serial, "prefix"] + "〔" + frame.loc[serial, "year"] + "〕"
            + frame.loc[serial, "serial"].astype(int).astype(str) + "号"
        )  # fmt: skip
    order = ~serial & frame["order_by"].notna()
    if order.any():
        by = frame.loc[order, "order_by"].str.replace(r"\s+", " ", regex=True).str.strip()
        number = frame.loc[order, "order_serial"].map(_cn_number)
        value[order] = by + "令第" + number.astype("Int64").astype(str) + "号"
    return value


def parse_document_number(text: str) -> str | None:
    """The document number (发文字号) written in ``text``, in one writing, or None.

    The year may stand in 〔〕, ［］, [], () or 【】, digits may be full-width, and
    the serial number of an order (令第X号) may be in Chinese numerals; the result
    always has 〔〕 and Arabic digits.

    Examples
    --------
    >>> from policyquant.documents.metadata import parse_document_number
    >>> parse_document_number("国办发［２０１７］35号"), parse_document_number("京政发(2023)12号")
    ('国办发〔2017〕35号', '京政发〔2023〕12号')
    >>> parse_document_number("国家互联网信息办公室令第五号")
    '国家互联网信息办公室令第5号'
    >>> parse_document_number("没有文号") is None
    True
    """
    if not isinstance(text, str):
        raise InputTypeError(f"parse_document_number expects text such as '国办发〔2017〕35号', got {type(text).__name__}")
    frame = _matches(pd.Series([_fold(text)]), _NUMBER)
    if frame.empty:
        return None
    return _number_value(frame.iloc[:1]).iloc[0]


# -- Result -------------------------------------------------------------------------------


@attrs.frozen(eq=False)
class DocumentMetadata:
    """The documents with their metadata, the evidence for every value and the problems met.

    Attributes
    ----------
    documents : pandas.DataFrame
        The documents as given, with the columns of :data:`METADATA_COLUMNS`
        (and ``<dimension>_suggested`` / ``<dimension>_basis`` when a
        framework was given).  A value the text does not show is missing.
    evidence : pandas.DataFrame
        One row per value found: ``doc_id``, ``field``, ``value``, ``evidence``
        (the text it was read from), ``start`` and ``end`` (its span in the
        document's ``text``; missing for a value derived from another field)
        and ``rule`` (how the value follows from the evidence).
    problems : pandas.DataFrame
        One row per problem: ``doc_id`` and the columns of
        :data:`policyquant.errors.PROBLEM_COLUMNS` (``column`` is the field).

    Examples
    --------
    >>> import pandas as pd
    >>> from policyquant.documents.metadata import extract_metadata
    >>> text = "北京市人民政府办公厅关于开展试点工作的通知\\n京政办发〔2023〕3号\\n\\n北京市人民政府办公厅\\n2023年2月30日"
    >>> result = extract_metadata(pd.DataFrame({"doc_id": ["D1"], "text": [text]}))
    >>> result.problems[["doc_id", "column", "value", "problem"]].to_dict("records")
    [{'doc_id': 'D1', 'column': 'date', 'value': '2023年2月30日', 'problem': 'not a date of the calendar'}]
    """

    documents: pd.DataFrame
    evidence: pd.DataFrame
    problems: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The documents with their metadata (what the next steps of :mod:`policyquant.documents` take)."""
        return self.documents

    def coverage(self) -> pd.Series:
        """The share of documents for which each field was found, from 0 to 1.

        Examples
        --------
        >>> import pandas as pd
        >>> from policyquant.documents.metadata import extract_metadata
        >>> extract_metadata(pd.DataFrame({"doc_id": ["D1"], "text": ["# 某某条例\\n\\n第一条"]})).coverage().to_dict()["form"]
        1.0
        """
        frame = self.documents
        shares = {}
        for column in METADATA_COLUMNS:
            values = frame[column]
            found = values.notna().to_numpy() & (values.astype(str).str.strip() != "").to_numpy()
            shares[column] = float(found.mean()) if len(frame) else float("nan")
        return pd.Series(shares, name="found")

    def __repr__(self) -> str:
        return (
            f"<DocumentMetadata: {len(self.documents)} documents, {len(self.evidence)} values with evidence, "
            f"{len(self.problems)} problems>"
        )


# -- Extraction ---------------------------------------------------------------------------

_HEAD = 3000  # characters searched for the head of a document (title, number, order line)


def _first(frame: pd.DataFrame, last: bool = False) -> pd.DataFrame:
    """The first (or last) match per document, indexed by row position."""
    if frame.empty:
        return frame.set_index("pos")
    ordered = frame.sort_values(["pos", "start"], kind="stable")
    return ordered.groupby("pos", sort=True).tail(1).set_index("pos") if last else ordered.groupby("pos", sort=True).head(1).set_index("pos")


class _Collector:
    """Evidence and problem rows, gathered field by field as frames."""

    def __init__(self, doc_ids: np.ndarray, paths: np.ndarray) -> None:
        self.doc_ids = doc_ids
        self.paths = paths
        self.evidence: list[pd.DataFrame] = []
        self.problems: list[pd.DataFrame] = []

    def add(self, field: str, pos: Any, value: Any, evidence: Any, start: Any, end: Any, rule: Any) -> None:
        pos = np.asarray(pos, dtype=np.int64)
        if not len(pos):
            return
        size = len(pos)

        def column(values: Any, dtype: Any = object) -> np.ndarray:
            if isinstance(values, pd.Series):
                values = values.to_numpy(dtype=object)
            return np.asarray(values if np.ndim(values) else [values] * size, dtype=dtype)

        self.evidence.append(
            pd.DataFrame(
                {
                    "pos": pos,
                    "doc_id": self.doc_ids[pos],
                    "field": field,
                    "value": column(value),
                    "evidence": column(evidence),
                    "start": pd.array(column(start), dtype="Int64"),
                    "end": pd.array(column(end), dtype="Int64"),
                    "rule": column(rule),
                }
            )
        )

    def problem(self, field: str, pos: Any, value: Any, problem: Any, expected: Any) -> None:
        pos = np.asarray(pos, dtype=np.int64)
        if not len(pos):
            return
        size = len(pos)

        def column(values: Any) -> np.ndarray:
            if isinstance(values, pd.Series):
                values = values.to_numpy(dtype=object)
            return np.asarray(values if np.ndim(values) else [values] * size, dtype=object)

        self.problems.append(
            pd.DataFrame(
                {
                    "pos": pos,
                    "doc_id": self.doc_ids[pos],
                    "file": self.paths[pos],
                    "row": None,
                    "column": field,
                    "value": column(value),
                    "problem": column(problem),
                    "expected": column(expected),
                    "suggestions": None,
                }
            )
        )

    def tables(self, texts: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
        evidence = (
            pd.concat(self.evidence, ignore_index=True)
            if self.evidence
            else pd.DataFrame({"pos": pd.Series([], dtype=np.int64), **{c: pd.Series([], dtype=object) for c in EVIDENCE_COLUMNS}})
        )
        # Where a span is known, the evidence is the document's own text there (not the folded copy).
        spanned = (evidence["start"].notna() & evidence["end"].notna()).to_numpy()
        if spanned.any():
            rows = evidence[spanned]
            originals = texts.to_numpy(dtype=object)
            evidence.loc[spanned, "evidence"] = [
                originals[pos][start:end]
                for pos, start, end in zip(rows["pos"].tolist(), rows["start"].tolist(), rows["end"].tolist(), strict=True)
            ]
        evidence = evidence.sort_values(["pos", "field"], kind="stable")[list(EVIDENCE_COLUMNS)].reset_index(drop=True)
        evidence[["start", "end"]] = evidence[["start", "end"]].astype("Int64")
        columns = ["doc_id", "file", "row", "column", "value", "problem", "expected", "suggestions"]
        problems = (
            pd.concat(self.problems, ignore_index=True).sort_values("pos", kind="stable")[columns].reset_index(drop=True)
            if self.problems
            else pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
        )
        return evidence, problems


def _resolve_aliases(aliases: IssuerAliases | Mapping[str, Iterable[str]] | None) -> IssuerAliases:
    if aliases is None:
        return DOCUMENT_ISSUER_ALIASES
    if isinstance(aliases, IssuerAliases):
        return aliases
    if not isinstance(aliases, Mapping):
        raise InputTypeError(
            "aliases expects an IssuerAliases or a mapping {canonical name: [other names]}, such as "
            f"{{'Beijing Municipal Science and Technology Commission': ['北京市科学技术委员会']}}; got {type(aliases).__name__}"
        )
    return DOCUMENT_ISSUER_ALIASES.extend(aliases)


def _text_column(frame: pd.DataFrame, column: str) -> pd.Series:
    values = frame[column]
    bad = values.notna() & ~values.map(lambda v: isinstance(v, str)).astype(bool)
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputTypeError(
            f"documents: column {column!r} must hold text; row {first + 1} (doc_id "
            f"{frame['doc_id'].iloc[first]!r}) holds {type(values.iloc[first]).__name__} {values.iloc[first]!r}",
            [{"row": first + 1, "column": column, "value": repr(values.iloc[first]), "problem": "not text", "expected": "text"}],
        )
    return values.astype(object).where(values.notna(), "")


def extract_metadata(
    documents: Any,
    *,
    framework: str | Framework | None = None,
    aliases: IssuerAliases | Mapping[str, Iterable[str]] | None = None,
) -> DocumentMetadata:
    """Read each document's title, number, issuing bodies, dates, level, region and form from its text.

    Parameters
    ----------
    documents : DocumentSet or pandas.DataFrame
        The documents: :func:`policyquant.read_documents`'s result, or a table
        with the columns ``doc_id`` and ``text`` (``title`` and ``path`` used
        where present).
    framework : str or Framework, optional
        A framework whose plugins suggest document-level scores from the
        metadata (``"wang2026"`` suggests ``DA``, ``"peng2008"`` ``strength``):
        the columns ``<dimension>_suggested`` and ``<dimension>_basis`` are added.
    aliases : IssuerAliases or mapping, optional
        Names of issuing bodies: by default :data:`DOCUMENT_ISSUER_ALIASES`; a
        mapping ``{canonical name: [other names]}`` extends it; an
        :class:`~policyquant.IssuerAliases` replaces it.

    Returns
    -------
    DocumentMetadata
        ``documents`` with the columns of :data:`METADATA_COLUMNS`:

        ``title``
            The document's own title: a labelled title (``标题：``), else the
            first heading line(s), a title broken over two or three lines joined
            again; for an order (``…令 第5号``) the title of the rule it
            publishes.  Where the text shows none, the title given is kept.
        ``attached_title``
            For 关于印发《…》的通知 and the like, the title of the attached document.
        ``doc_number``
            The document number, in one writing (〔〕 around the year, Arabic
            numerals): ``国办发〔2017〕35号`` or ``国家互联网信息办公室令第5号``.
        ``issuers``
            The issuing bodies, canonical names joined by ``"; "``, from the
            title (…关于…), the order line, the signature block and a labelled
            ``发文机关``; from the number's prefix (``国办发``) when none of these
            names one.
        ``issuer_kind``
            The kind of the highest-ranking issuer: ``legislature``, ``party``,
            ``state_council``, ``government``, ``department`` or ``court``.
        ``level``, ``region``
            The administrative level (a key of
            :data:`policyquant.model.ADMINISTRATIVE_LEVELS`) and the region
            (``"China"`` for national documents, otherwise the province in
            the English spelling used across policyquant: ``"Beijing"``,
            ``"Inner Mongolia"`` ...).
        ``date``, ``year``, ``effective_date``
            The issue date (a labelled date, a head line of a compilation
            "…公布", else the date under the signature) and the date the
            document takes effect (自…起施行; 自公布之日起施行 is the issue date).
        ``form``, ``provisional``
            The form (文种) by the last word of the title, of the attached
            document's title for a notice that issues one (a key of
            :data:`DOCUMENT_FORMS`), and ``暂行`` or ``试行`` when the title says so.

        ``evidence`` and ``problems`` as described in :class:`DocumentMetadata`.

    Raises
    ------
    InputTypeError
        If ``documents`` is not a documents table or ``text`` holds something
        other than text.
    ValidationError
        If a required column is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> from policyquant.documents.metadata import extract_metadata
    >>> text = '''国家互联网信息办公室令
    ... 第5号
    ...
    ... 《网络信息内容生态治理规定》已经国家互联网信息办公室室务会议审议通过，现予公布，自2020年3月1日起施行。
    ...
    ... 主任　庄荣文
    ... 二〇一九年十二月十五日
    ... '''
    >>> result = extract_metadata(pd.DataFrame({"doc_id": ["C5"], "text": [text]}), framework="wang2026")
    >>> row = result.documents.loc[0]
    >>> row["title"], row["doc_number"], row["form"], int(row["DA_suggested"])
    ('网络信息内容生态治理规定', '国家互联网信息办公室令第5号', '规定', 3)
    >>> str(row["date"].date()), str(row["effective_date"].date())
    ('2019-12-15', '2020-03-01')
    >>> found = result.evidence.query("field == 'effective_date'").iloc[0]
    >>> found["evidence"], text[found["start"] : found["end"]]
    ('现予公布，自2020年3月1日起施行', '现予公布，自2020年3月1日起施行')
    """
    frame = documents_frame(documents, required=("doc_id", "text"))
    table = _resolve_aliases(aliases)
    texts = _text_column(frame, "text")
    doc_ids = frame["doc_id"].astype(object).to_numpy()
    paths = frame["path"].astype(object).to_numpy() if "path" in frame.columns else np.full(len(frame), None, dtype=object)
    out = frame.copy()
    size = len(frame)
    collect = _Collector(doc_ids, paths)
    folded = texts.map(_fold)
    originals = texts.to_numpy(dtype=object)

    def original(positions: Any, rows: pd.DataFrame, column: str) -> pd.Series:
        """The document's own text of a group matched in the folded copy (same offsets, one for one)."""
        values = []
        for pos, start, match, value in zip(np.asarray(positions).tolist(), rows["start"].tolist(), rows["match"].tolist(), rows[column].tolist(), strict=True):
            offset = match.find(value) if isinstance(value, str) else -1
            values.append(originals[pos][start + offset : start + offset + len(value)] if offset >= 0 else None)
        return pd.Series(values, index=rows.index, dtype=object)

    # The head ends at a compilation's "<!-- INFO END -->" marker or after _HEAD characters.
    marker = folded.str.find("<!-- INFO END -->").to_numpy()
    head_end = np.where(marker >= 0, marker, np.minimum(folded.str.len().to_numpy(), _HEAD))
    head = folded.str.slice(0, _HEAD)

    labelled = _matches(head, _LABELLED)
    labelled = labelled[labelled["start"].to_numpy() < head_end[labelled["pos"].to_numpy()]] if len(labelled) else labelled
    labelled_field = pd.Series(
        np.select([labelled[k].notna() for k in _LABELS], list(_LABELS), default="") if len(labelled) else [],
        index=labelled.index,
        dtype=object,
    )

    def labelled_values(field: str) -> pd.DataFrame:
        rows = labelled[(labelled_field == field).to_numpy() & (labelled["value"].str.len() > 0).to_numpy()] if len(labelled) else labelled
        return _first(rows)

    # -- Document number ------------------------------------------------------------------
    own = _matches(head, _OWN_NUMBER, span_of="number")
    dated = _matches(head, _ORDER_LINE, span_of="number")
    doc_number = pd.Series(None, index=range(size), dtype=object)
    number_prefix = pd.Series(None, index=range(size), dtype=object)
    order_by = pd.Series(None, index=range(size), dtype=object)
    order_span = np.full((size, 2), -1, dtype=np.int64)

    def in_head(rows: pd.DataFrame) -> pd.DataFrame:
        if rows.empty:
            return rows.assign(value=pd.Series([], dtype=object))
        rows = rows[rows["start"].to_numpy() < head_end[rows["pos"].to_numpy()] + 40]
        if "prefix" not in rows.columns:
            rows = rows.assign(prefix=None)
        return rows.assign(value=_number_value(rows)).dropna(subset=["value"]).sort_values(["pos", "start"], kind="stable")

    own, dated = in_head(own), in_head(dated)
    by_label = labelled_values("doc_number")
    if len(by_label):
        parsed = _matches(by_label["value"].map(_fold).reset_index(drop=True), _NUMBER)
        parsed = _first(parsed.assign(value=_number_value(parsed))) if len(parsed) else parsed
        rows = by_label.iloc[parsed.index.to_numpy()] if len(parsed) else by_label.iloc[:0]
        labelled_numbers = pd.DataFrame(
            {
                "value": parsed["value"].to_numpy() if len(parsed) else [],
                "prefix": parsed["prefix"].to_numpy() if len(parsed) else [],
                "order_by": parsed["order_by"].to_numpy() if len(parsed) else [],
                "start": rows["start"].to_numpy(),
                "end": rows["end"].to_numpy(),
            },
            index=rows.index,
        )
    else:
        labelled_numbers = None

    def take_number(chosen: pd.DataFrame, rule: str) -> None:
        chosen = chosen[doc_number.iloc[chosen.index].isna().to_numpy()]
        doc_number.iloc[chosen.index] = chosen["value"].to_numpy()
        number_prefix.iloc[chosen.index] = chosen["prefix"].to_numpy()
        order_by.iloc[chosen.index] = chosen["order_by"].to_numpy()
        is_order = chosen["order_by"].notna().to_numpy()
        order_span[chosen.index[is_order]] = chosen[["start", "end"]].to_numpy()[is_order]
        collect.add("doc_number", chosen.index, chosen["value"], None, chosen["start"], chosen["end"], rule)

    if labelled_numbers is not None and len(labelled_numbers):
        take_number(labelled_numbers, "labelled 发文字号")
    if len(own):
        # The document's own number heads it; two different ones are reported, the first used.
        take_number(_first(own), "a number on its own line in the head")
        distinct = own.drop_duplicates(["pos", "value"]).groupby("pos")["value"].agg(list)
        several = distinct[distinct.str.len() > 1]
        collect.problem(
            "doc_number",
            several.index,
            several.str.join("; "),
            "several document numbers in the head; the first is used",
            "one document number (发文字号)",
        )
    if len(dated):
        # A compilation's head lists the orders of every version: the latest is the text at hand.
        take_number(_first(dated, last=True), "the order in the latest dated head line")
    out["doc_number"] = doc_number.to_numpy()

    # -- Title ----------------------------------------------------------------------------
    title = pd.Series(None, index=range(size), dtype=object)
    title_start = np.full(size, -1, dtype=np.int64)
    lines = _matches(head, _LINE)
    if len(lines):
        lines = lines[lines["start"].to_numpy() < head_end[lines["pos"].to_numpy()]]
        lines["text"] = lines["line"].str.strip()
        lines["end"] -= lines["line"].str.len() - lines["line"].str.rstrip().str.len()
        lines["orig"] = [
            originals[pos][start:end].strip()
            for pos, start, end in zip(lines["pos"].tolist(), lines["start"].tolist(), lines["end"].tolist(), strict=True)
        ]
        lines["skip"] = lines["text"].str.match(_NOT_TITLE) | lines["text"].str.fullmatch(
            rf" *[(]? *(?:{_SERIAL_NUMBER}) *[)]? *"
        ) | lines["text"].str.fullmatch(rf" *[(]? *(?:{_date_pattern('t_')})[^\n]*")
        lines = lines[~lines["skip"].to_numpy()].reset_index(drop=True)
        lines["k"] = lines.groupby("pos").cumcount()
        lines = lines[lines["k"] < 3]
        wide = lines.pivot(index="pos", columns="k")  # noqa: PD010 - one row per document, lines side by side
        first_text = wide[("text", 0)]
        markdown = first_text.str.startswith("#")
        first = first_text.str.lstrip("#").str.strip()
        joined = first.copy()
        joined_original = wide[("orig", 0)].str.lstrip("#").str.strip()
        end = wide[("end", 0)].astype(np.int64)
        took = pd.Series(True, index=wide.index)
        # A title broken over lines: the next line follows directly (no blank line), the
        # title so far does not end in a form word, and the next line reads as title text.
        for k in (1, 2):
            if ("text", k) not in wide.columns:
                break
            nxt = wide[("text", k)]
            gap_ok = (wide[("start", k)] - end).between(1, 2)
            fits = (
                nxt.notna()
                & ~markdown
                & gap_ok.fillna(False)
                & (~joined.str.contains(_TITLE_END) | nxt.str.fullmatch(r"[(][^()]{1,24}[)]").fillna(False))
                & ~nxt.str.contains(r"[。；;:，,]|^第[\d一二三四五六七八九十百]+[条章]|^[一二三四五六七八九十]+、", regex=True).fillna(True)
                & (nxt.str.len() <= 40)
                & ((joined.str.len() + nxt.str.len()) <= 120)
                & ~joined.str.contains(r"[。；;:：]$")
            )
            if k == 2:
                fits &= took
            joined = joined.where(~fits, joined + nxt.fillna(""))
            joined_original = joined_original.where(~fits, joined_original + wide[("orig", k)].fillna(""))
            end = end.where(~fits, wide[("end", k)].fillna(0).astype(np.int64))
            took = fits
        # A Markdown heading is the title as given; a plain first line that reads as a sentence is not.
        ordinary = markdown | (~first.str.fullmatch(r"[\u4e00-\u9fff、 ]{2,150}令").fillna(False) & ~first.str.contains(r"[。；;，,]$|[:：]$"))
        # The lines of an order's header (…令 第5号) are not a title either.
        header = order_span[first.index.to_numpy()]
        first_start = wide[("start", 0)].to_numpy()
        ordinary &= markdown | ~((header[:, 0] <= first_start) & (first_start < header[:, 1]))
        positions = joined.index.to_numpy()
        starts = wide[("start", 0)].astype(np.int64)
        keep = ordinary.to_numpy()
        title.iloc[positions[keep]] = joined_original[keep].to_numpy()
        title_start[positions[keep]] = starts[keep].to_numpy()
        spans = np.stack([starts.to_numpy(), end.to_numpy()], axis=1)[keep]
        evidence_text = [t[s:e] for t, (s, e) in zip(texts.iloc[positions[keep]].tolist(), spans.tolist(), strict=True)]
        rule = np.where(
            markdown[keep].to_numpy(),
            "the Markdown heading",
            np.where(joined[keep].str.len().to_numpy() > first[keep].str.len().to_numpy(), "the first lines, joined", "the first line"),
        )
        collect.add("title", positions[keep], joined_original[keep], evidence_text, spans[:, 0], spans[:, 1], rule)
    # An order publishes a rule: 《…》已经…通过，现予公布.
    promulgated = _first(_matches(head, _PROMULGATED_TITLE))
    if len(promulgated):
        missing = title.iloc[promulgated.index].isna().to_numpy()
        chosen = promulgated[missing]
        value = original(chosen.index, chosen, "promulgated")
        title.iloc[chosen.index] = value.to_numpy()
        collect.add("title", chosen.index, value, None, chosen["start"], chosen["end"], "the rule an order publishes (《…》…现予公布)")
    by_label = labelled_values("title")
    if len(by_label):
        value = original(by_label.index, by_label, "value")
        title.iloc[by_label.index] = value.to_numpy()
        collect.add("title", by_label.index, value, None, by_label["start"], by_label["end"], "labelled 标题")
    found_title = title.notna().to_numpy()
    if "title" in frame.columns:
        title = title.where(found_title, frame["title"].reset_index(drop=True).astype(object))
    out["title"] = title.to_numpy()

    attached = title.str.extract(_ATTACHED)["attached"] if title.notna().any() else pd.Series(None, index=title.index, dtype=object)
    attached = attached.where(found_title)
    has_attached = attached.notna().to_numpy()
    out["attached_title"] = attached.to_numpy(dtype=object)
    if has_attached.any():
        where = np.flatnonzero(has_attached)
        collect.add("attached_title", where, attached.iloc[where], title.iloc[where], None, None, "关于印发《…》的通知: the title of the document it issues")

    # -- Form -----------------------------------------------------------------------------
    form_source = attached.where(attached.notna(), title).astype(object)
    forms = form_source.where(form_source.notna(), "").map(_fold).str.extract(_FORM)
    form = forms["form"].where(form_source.notna())
    provisional = forms["before"].fillna(forms["after"])
    out["form"] = form.to_numpy(dtype=object)
    out["provisional"] = provisional.where(form.notna()).to_numpy(dtype=object)
    where = np.flatnonzero(form.notna().to_numpy())
    if len(where):
        rule = np.where(has_attached[where], "last word of the attached document's title", "last word of the title")
        words = (forms["before"].fillna("") + forms["form"]).iloc[where]
        collect.add("form", where, form.iloc[where], words, None, None, rule)
        prov = np.flatnonzero(provisional.notna().to_numpy() & form.notna().to_numpy())
        collect.add("provisional", prov, provisional.iloc[prov], form_source.iloc[prov], None, None, "暂行/试行 in the title")

    # -- Dates ----------------------------------------------------------------------------
    issue = pd.Series(pd.NaT, index=range(size), dtype="datetime64[ns]")
    issue_found = np.zeros(size, dtype=bool)

    def take_dates(rows: pd.DataFrame, prefix: str, field: str, rule: Any, evidence: Any = None) -> np.ndarray:
        """Set the dates of ``rows`` (one per document) where none is set yet; report impossible dates."""
        if rows.empty:
            return np.array([], dtype=np.int64)
        iso, dates = _dates(rows, prefix)
        target = issue if field == "date" else effective
        found = issue_found if field == "date" else effective_found
        fresh = ~found[rows.index.to_numpy()]
        rows, iso, dates = rows[fresh], iso[fresh], dates[fresh]
        rule = np.asarray(rule, dtype=object)[fresh] if np.ndim(rule) else rule
        evidence = rows["match"] if evidence is None else np.asarray(evidence, dtype=object)[fresh]
        valid = dates.notna().to_numpy()
        where = rows.index.to_numpy()
        target.iloc[where[valid]] = dates[valid].to_numpy()
        found[where] = True
        collect.add(field, where, iso.where(dates.notna(), None), evidence, rows["start"], rows["end"], rule)
        bad = ~valid
        if bad.any():
            collect.problem(
                field,
                where[bad],
                _date_text(rows[bad]),
                "not a date of the calendar",
                "a date that exists, such as 2023年2月28日",
            )
        return where

    effective = pd.Series(pd.NaT, index=range(size), dtype="datetime64[ns]")
    effective_found = np.zeros(size, dtype=bool)

    by_label = labelled_values("date")
    if len(by_label):
        parsed = _matches(by_label["value"].reset_index(drop=True), _DATE)
        if len(parsed):
            parsed.index = by_label.index[parsed["pos"].to_numpy()]
            parsed = parsed[~parsed.index.duplicated()]
            parsed["start"] = by_label.loc[parsed.index, "start"].to_numpy()
            parsed["end"] = by_label.loc[parsed.index, "end"].to_numpy()
            take_dates(parsed, "d_", "date", "labelled 成文日期", by_label.loc[parsed.index, "match"].to_numpy())
    events = _matches(head, _EVENT_LINE)
    events = events[events["start"].to_numpy() < head_end[events["pos"].to_numpy()]] if len(events) else events
    events_in_head = events
    if len(events):
        events = events[~events["e_rest"].str.contains("施行|实施").to_numpy()]
        # The latest dated event of the head is the date of the version at hand.
        chosen = _first(events, last=True)
        take_dates(chosen, "e_", "date", "a dated head line: " + chosen["event"].astype(str) + " (the latest in the head)")
    standalone = _matches(folded, _STANDALONE_DATE)
    if len(standalone):
        chosen = _first(standalone)
        take_dates(chosen, "s_", "date", "the date on a line of its own (under the signature)")
    dated_lines = _matches(head, _DATED_LINE)
    if len(dated_lines):
        dated_lines = dated_lines[dated_lines["start"].to_numpy() < head_end[dated_lines["pos"].to_numpy()]]
        take_dates(_first(dated_lines), "l_", "date", "the first line of the head that begins with a date (no event named)")
    missing = np.flatnonzero(~issue_found)
    out["date"] = issue.to_numpy()
    out["year"] = pd.array(issue.dt.year.astype("Int64").to_numpy(), dtype="Int64")

    by_label = labelled_values("effective_date")
    if len(by_label):
        parsed = _matches(by_label["value"].reset_index(drop=True), _DATE)
        if len(parsed):
            parsed.index = by_label.index[parsed["pos"].to_numpy()]
            parsed = parsed[~parsed.index.duplicated()]
            parsed["start"] = by_label.loc[parsed.index, "start"].to_numpy()
            parsed["end"] = by_label.loc[parsed.index, "end"].to_numpy()
            parsed = parsed.rename(columns=lambda c: "f_" + c[2:] if c.startswith("d_") else c)
            take_dates(parsed, "f_", "effective_date", "labelled 施行日期", by_label.loc[parsed.index, "match"].to_numpy())
    head_effective = _matches(head, _EFFECTIVE_LINE)
    if len(head_effective):
        head_effective = head_effective[head_effective["start"].to_numpy() < head_end[head_effective["pos"].to_numpy()]]
        take_dates(_first(head_effective, last=True), "h_", "effective_date", "a dated head line: 施行")
    phrases = _matches(folded, _EFFECTIVE)
    if len(phrases):
        # The document's own provision (本办法自…, 现予公布，自…) before any other; the last of them.
        before = pd.Series(
            [folded.iloc[p][max(start - 10, 0) : start] for p, start in zip(phrases["pos"].tolist(), phrases["start"].tolist(), strict=True)],
            index=phrases.index,
            dtype=object,
        )
        subject = before.str.extract(f"({_OWN_SUBJECT.pattern})", expand=True).iloc[:, 0]
        phrases["own"] = subject.notna()
        phrases["start"] -= subject.str.len().fillna(0).astype(np.int64)
        phrases["match"] = subject.fillna("") + phrases["match"]
        # A phrase inside brackets or quotes ("依照《某某条例》（自2019年1月1日起施行）") is another text's.
        opens_sentence = before.str.contains(r"(?:^|[。；;\n，,:])\s*$").to_numpy(dtype=bool)
        phrases = phrases[phrases["own"].to_numpy() | opens_sentence]
        phrases = phrases.sort_values(["pos", "own", "start"], kind="stable")
        chosen = phrases.groupby("pos").tail(1).set_index("pos")
        relative = chosen["relative"].notna().to_numpy()
        take_dates(chosen[~relative], "f_", "effective_date", "自…起施行")
        rel = chosen[relative & ~effective_found[chosen.index.to_numpy()]]
        if len(rel):
            where = rel.index.to_numpy()
            has_issue = issue_found[where] & issue.iloc[where].notna().to_numpy()
            effective.iloc[where[has_issue]] = issue.iloc[where[has_issue]].to_numpy()
            effective_found[where] = True
            iso = issue.iloc[where].dt.strftime("%Y-%m-%d").where(has_issue, None)
            collect.add(
                "effective_date",
                where,
                iso,
                rel["match"].str.strip(),
                rel["start"],
                rel["end"],
                np.where(has_issue, "自" + rel["relative"] + "之日起施行: the issue date", "自" + rel["relative"] + "之日起施行, but no issue date was found"),
            )
            collect.problem(
                "effective_date",
                where[~has_issue],
                rel["match"][~has_issue].str.strip(),
                "takes effect on the issue date, which the text does not show",
                "an issue date (the date under the signature)",
            )
    out["effective_date"] = effective.to_numpy()
    if len(missing):
        no_date = missing[(texts.iloc[missing].str.strip().str.len() > 0).to_numpy()]
        collect.problem("date", no_date, None, "no issue date found", "a date such as 2021年11月25日 under the signature or in the head")

    # -- Issuing bodies -------------------------------------------------------------------
    candidates: list[pd.DataFrame] = []  # pos, order, name, evidence, start, end, rule
    title_issuers = title.where(pd.Series(found_title), "").map(_fold).str.extract(_TITLE_ISSUERS)["issuers"]
    # 国务院办公厅转发国家发展改革委关于…: the issuer is the one who forwards.
    title_issuers = title_issuers.str.replace(r"(?:转发|批转|印发).*$", "", regex=True).replace("", None)
    where = np.flatnonzero(title_issuers.notna().to_numpy())
    if len(where):
        candidates.append(
            pd.DataFrame(
                {
                    "pos": where,
                    "order": 0,
                    "names": title_issuers.iloc[where].map(_order_bodies).to_numpy(),
                    "evidence": title_issuers.iloc[where].to_numpy(),
                    "start": np.where(title_start[where] >= 0, title_start[where], -1),
                    "rule": "the title (…关于…)",
                }
            )
        )
    where = np.flatnonzero(order_by.notna().to_numpy())
    if len(where):
        candidates.append(
            pd.DataFrame(
                {
                    "pos": where,
                    "order": 2,
                    "names": order_by.iloc[where].map(_order_bodies).to_numpy(),
                    "evidence": order_by.iloc[where].to_numpy(),
                    "start": order_span[where, 0],
                    "rule": "the order line (…令)",
                }
            )
        )
    # The adopting meeting is named in a dated head line or in an order's 《…》已经…通过.
    snippets = pd.concat(
        [events_in_head[["pos", "start", "match"]], promulgated.reset_index()[["pos", "start", "match"]]],
        ignore_index=True,
    )
    meetings = _matches(snippets["match"], _MEETING, span_of="meeting_body")
    if len(meetings):
        meetings["start"] += snippets["start"].to_numpy()[meetings["pos"].to_numpy()]
        meetings["pos"] = snippets["pos"].to_numpy()[meetings["pos"].to_numpy()]
        meetings = meetings.drop_duplicates(["pos", "meeting_body"])
        candidates.append(
            pd.DataFrame(
                {
                    "pos": meetings["pos"].to_numpy(),
                    "order": 1,
                    "names": meetings["meeting_body"].map(lambda b: [b]).to_numpy(),
                    "evidence": meetings["meeting_body"].to_numpy(),
                    "start": meetings["start"].to_numpy(),
                    "rule": "the meeting that adopted it (…第N次会议通过)",
                }
            )
        )
    # A compilation's head line names the body that issued or approved the text: "1995年7月28日 国务院发布".
    if len(events_in_head):
        rest = events_in_head["e_rest"].fillna("")
        named = rest.str.extract(_EVENT_BODY, expand=True)
        has = named["event_body"].notna().to_numpy()
        if has.any():
            # e_rest follows the date: its offset in the line, plus the spaces before the body.
            offset = np.array(
                [line.find(part) for line, part in zip(events_in_head["match"].tolist(), rest.tolist(), strict=True)],
                dtype=np.int64,
            ) + named["lead"].fillna("").str.len().to_numpy()
            rows = events_in_head[has]
            candidates.append(
                pd.DataFrame(
                    {
                        "pos": rows["pos"].to_numpy(),
                        "order": 1,
                        "names": named.loc[has, "event_body"].map(_split_bodies).to_numpy(),
                        "evidence": named.loc[has, "event_body"].to_numpy(),
                        "start": rows["start"].to_numpy() + offset[has],
                        "rule": "a dated head line (… " + rows["event"].astype(str) + ")",
                    }
                )
            )
    signature = _signature_blocks(folded, standalone)
    if len(signature):
        candidates.append(signature.assign(order=3))
    by_label = labelled_values("issuers")
    if len(by_label):
        candidates.append(
            pd.DataFrame(
                {
                    "pos": by_label.index.to_numpy(),
                    "order": 4,
                    "names": by_label["value"].map(_split_bodies).to_numpy(),
                    "evidence": by_label["match"].to_numpy(),
                    "start": by_label["start"].to_numpy(),
                    "rule": "labelled 发文机关",
                }
            )
        )
    prefix_bodies = number_prefix.map(lambda p: _number_prefix_body(p) if isinstance(p, str) else ("", "", ""))
    prefix_frame = pd.DataFrame(prefix_bodies.tolist() if size else [], columns=["body", "region", "note"], index=number_prefix.index)
    issuers = pd.Series(None, index=range(size), dtype=object)
    kinds = pd.Series(None, index=range(size), dtype=object)
    levels = pd.Series(None, index=range(size), dtype=object)
    regions = pd.Series(None, index=range(size), dtype=object)
    bodies = pd.concat(candidates, ignore_index=True) if candidates else pd.DataFrame(columns=["pos", "order", "names", "evidence", "start", "rule"])
    with_names = set(bodies["pos"].tolist()) if len(bodies) else set()
    use_prefix = np.flatnonzero(
        (prefix_frame["body"] != "").to_numpy() & ~np.isin(np.arange(size), list(with_names))
    ) if size else np.array([], dtype=np.int64)
    if len(use_prefix):
        bodies = pd.concat(
            [
                bodies,
                pd.DataFrame(
                    {
                        "pos": use_prefix,
                        "order": 5,
                        "names": prefix_frame["body"].iloc[use_prefix].map(lambda b: [b]).to_numpy(),
                        "evidence": number_prefix.iloc[use_prefix].to_numpy(),
                        "start": -1,
                        "rule": prefix_frame["note"].iloc[use_prefix].to_numpy(),
                    }
                ),
            ],
            ignore_index=True,
        )
    if len(bodies):
        long = bodies.explode("names").dropna(subset=["names"]).rename(columns={"names": "name"})
        long = long.astype({"pos": np.int64, "order": np.float64})
        long["name"] = long["name"].str.strip()
        long = long[long["name"].str.len() >= 2]
        # The exact place of each name, searched from where its source begins (none for a number prefix's body).
        texts_folded = folded.to_numpy(dtype=object)
        found_at = np.array(
            [
                texts_folded[pos].find(name, start, start + 600) if start >= 0 else -1
                for pos, start, name in zip(long["pos"].tolist(), long["start"].astype(np.int64).tolist(), long["name"].tolist(), strict=True)
            ],
            dtype=np.int64,
        )
        long["start"] = found_at
        long["end"] = np.where(found_at >= 0, found_at + long["name"].str.len().to_numpy(), -1)
        long["canonical"] = long["name"].map(lambda n: table.canonical(n) if n in table else table.canonical(n.removeprefix("中华人民共和国")))
        facts = pd.DataFrame(
            [_body_facts(n, c) for n, c in zip(long["name"], long["canonical"], strict=True)],
            columns=["level", "region", "kind"],
            index=long.index,
        )
        long = pd.concat([long, facts], axis=1)
        long = long.sort_values(["pos", "order", "start"], kind="stable").drop_duplicates(["pos", "canonical"])
        issuers_by_doc = long.groupby("pos")["canonical"].agg("; ".join)
        issuers.iloc[issuers_by_doc.index] = issuers_by_doc.to_numpy()
        long["level_rank"] = long["level"].map(_LEVEL_RANK)
        long["kind_rank"] = long["kind"].map(_KIND_RANK)
        top_kind = long.dropna(subset=["kind_rank"]).sort_values(["pos", "kind_rank"], kind="stable").groupby("pos").head(1).set_index("pos")
        kinds.iloc[top_kind.index] = top_kind["kind"].to_numpy()
        top_level = long.dropna(subset=["level_rank"]).sort_values(["pos", "level_rank"], kind="stable").groupby("pos").head(1).set_index("pos")
        levels.iloc[top_level.index] = top_level["level"].to_numpy()
        with_region = long[long["region"] != ""].sort_values(["pos", "level_rank"], kind="stable").groupby("pos").head(1).set_index("pos")
        regions.iloc[with_region.index] = with_region["region"].to_numpy()
        collect.add(
            "issuers",
            long["pos"],
            long["canonical"],
            long["name"],
            long["start"].where(long["start"] >= 0, None),
            long["end"].where(long["end"] >= 0, None),
            long["rule"],
        )
        # Each says which issuer it follows and where that issuer was found.
        collect.add("issuer_kind", top_kind.index, top_kind["kind"], top_kind["name"], None, None, "the kind of the highest-ranking issuer, from " + top_kind["rule"])
        collect.add("level", top_level.index, top_level["level"], top_level["name"], None, None, "the level of the highest-ranking issuer, from " + top_level["rule"])
        collect.add("region", with_region.index, with_region["region"], with_region["name"], None, None, "the place in the issuer's name, from " + with_region["rule"])
        disagree = long.dropna(subset=["level_rank"]).groupby("pos")["level"].nunique()
        disagree = disagree[disagree > 1]
        collect.problem(
            "level",
            disagree.index,
            long[long["pos"].isin(disagree.index)].groupby("pos")["name"].agg("; ".join).loc[disagree.index],
            "issuers at different levels; the highest level is used",
            "issuers of one level",
        )
    # Region and level from a provincial number prefix where the issuers do not tell.
    region_from_prefix = (prefix_frame["region"] != "").to_numpy() & regions.isna().to_numpy() if size else np.array([], dtype=bool)
    where = np.flatnonzero(region_from_prefix)
    if len(where):
        english = prefix_frame["region"].iloc[where].map(_REGION_EN)
        regions.iloc[where] = english.to_numpy()
        collect.add("region", where, english, number_prefix.iloc[where], None, None, prefix_frame["note"].iloc[where])
        no_level = where[levels.iloc[where].isna().to_numpy()]
        levels.iloc[no_level] = "provincial"
        collect.add("level", no_level, "provincial", number_prefix.iloc[no_level], None, None, prefix_frame["note"].iloc[no_level])
    out["issuers"] = issuers.to_numpy()
    out["issuer_kind"] = kinds.to_numpy()
    out["level"] = levels.to_numpy()
    out["region"] = regions.to_numpy()
    has_text = (texts.str.strip().str.len() > 0).to_numpy()
    collect.problem("text", np.flatnonzero(~has_text), None, "the document has no text", "the text of a policy document")
    no_issuer = np.flatnonzero(issuers.isna().to_numpy() & has_text)
    collect.problem("issuers", no_issuer, None, "no issuing body found", "an issuer in the title (…关于…), an order line, a signature or a number prefix")
    for field, values, expected in (
        ("title", pd.Series(found_title), "a title on the first line(s), or a labelled 标题"),
        ("doc_number", doc_number.notna(), "a document number such as 国办发〔2017〕35号 or …令第5号 on its own line in the head"),
        ("form", form.notna(), f"a title ending in a form word ({', '.join(list(DOCUMENT_FORMS)[:12])} ...)"),
    ):
        missing_field = np.flatnonzero(~values.to_numpy(dtype=bool) & has_text)
        collect.problem(field, missing_field, None, f"no {'document number' if field == 'doc_number' else field} found", expected)

    # Keep values the researcher gave; fill only what is missing.
    for column in ("doc_number", "issuers", "level", "region", "date", "year", "effective_date", "form"):
        if column in frame.columns:
            given = frame[column].reset_index(drop=True)
            keep = given.notna().to_numpy() & (given.astype(str).str.strip() != "").to_numpy()
            if keep.any():
                merged = pd.Series(out[column].to_numpy(), dtype=object)
                merged[keep] = given[keep].to_numpy()
                out[column] = merged.to_numpy()
    out = out[[*frame.columns, *(c for c in METADATA_COLUMNS if c not in frame.columns)]]
    evidence, problems = collect.tables(texts)
    result = DocumentMetadata(documents=out, evidence=evidence, problems=problems)
    if framework is not None:
        suggestions = suggest_document_scores(result.documents, framework)
        for column in suggestions.columns:
            out[column] = suggestions[column].array
    return result


def _date_text(rows: pd.DataFrame) -> pd.Series:
    """The date as written in each match, for a problem report."""
    return rows["match"].str.extract(_DATE_TEXT, expand=True).iloc[:, 0].fillna(rows["match"]).str.strip()


_DATE_TEXT = re.compile(f"({_date_pattern('x_')})")


def _signature_blocks(folded: pd.Series, standalone: pd.DataFrame) -> pd.DataFrame:
    """Issuing bodies on the lines right above the first date that stands on a line of its own."""
    if standalone.empty:
        return pd.DataFrame(columns=["pos", "names", "evidence", "start", "rule"])
    first = _first(standalone)
    above = pd.Series(
        [folded.iloc[pos][max(start - 400, 0) : start] for pos, start in zip(first.index, first["start"], strict=True)],
        index=first.index,
        dtype=object,
    )
    offsets = first["start"] - above.str.len()
    # The lines directly above the date, up to a blank line or a sentence.
    block = above.str.extract(r"(?P<block>(?:^|\n)(?:[ ]*[^\n。；;:，,！？]{2,80}[ ]*\n)*)$", expand=True)["block"].fillna("")
    names = block.map(_signature_names)
    keep = names.str.len() > 0
    if not keep.any():
        return pd.DataFrame(columns=["pos", "names", "evidence", "start", "rule"])
    start = offsets[keep] + above[keep].str.len() - block[keep].str.len() + block[keep].str.len().sub(block[keep].str.lstrip("\n").str.len())
    return pd.DataFrame(
        {
            "pos": first.index[keep].to_numpy(),
            "names": names[keep].to_numpy(),
            "evidence": block[keep].str.strip().to_numpy(),
            "start": start.to_numpy(dtype=np.int64),
            "rule": "the signature block (above the date)",
        }
    )


def _signature_names(block: str) -> list[str]:
    names: list[str] = []
    for line in reversed(block.strip("\n").split("\n")):
        line = line.strip()
        if not line:
            break
        if _PERSON_LINE.search(line):
            continue
        parts = _split_bodies(line)
        if not parts or not all(_AGENCY_END.search(part) for part in parts):
            break
        names[:0] = parts
    return names


# -- Suggested document-level scores ------------------------------------------------------


def suggest_document_scores(documents: Any, framework: str | Framework) -> pd.DataFrame:
    """The document-level scores that plugins suggest for ``framework`` from the documents' metadata.

    Every plugin that implements the ``policyquant_suggest_document_scores``
    hook (:mod:`policyquant.hookspecs`) is asked; the built-in ones suggest
    ``DA`` for ``"wang2026"`` (the study's Table 3) and ``strength`` for
    ``"peng2008"``.  A suggestion is never a coded score: it stays in the
    columns ``<dimension>_suggested`` (a level's score, or missing where no
    rule applies) and ``<dimension>_basis`` (the rule, in words).

    Parameters
    ----------
    documents : DocumentMetadata, DocumentSet or pandas.DataFrame
        Documents with the metadata columns of :func:`extract_metadata`.
    framework : str or Framework
        The framework whose document-level dimensions are suggested.

    Returns
    -------
    pandas.DataFrame
        One row per document (in order), two columns per suggested dimension.

    Raises
    ------
    PluginError
        If a plugin's hook fails or returns something other than a table of
        suggestions for the framework's document-level dimensions, or two
        plugins suggest the same dimension.

    Examples
    --------
    >>> import pandas as pd
    >>> from policyquant.documents.metadata import suggest_document_scores
    >>> documents = pd.DataFrame({
    ...     "doc_id": ["A", "B"], "form": ["意见", "通知"], "issuer_kind": ["state_council", "department"],
    ...     "level": ["national", "provincial"], "doc_number": ["国发〔2017〕35号", None],
    ... })
    >>> suggest_document_scores(documents, "wang2026")["DA_suggested"].tolist()
    [4, 1]
    """
    from ..plugins import get_framework, get_registry

    frame = documents_frame(documents, required=("doc_id",)).reset_index(drop=True)
    resolved = framework if isinstance(framework, Framework) else get_framework(framework)
    registry = get_registry()
    try:
        # Loads the plugin that registered the framework (and the built-ins) before asking.
        registry.entry(resolved.name)
    except PolicyQuantError:
        registry.load()
    scale = resolved.scale
    document_keys = [] if scale is None else [d.key for d in scale.dimensions if d.unit == "document"]
    result = pd.DataFrame(index=frame.index)
    claimed: dict[str, str] = {}
    hook = registry.manager.hook.policyquant_suggest_document_scores
    for impl in hook.get_hookimpls():
        arguments = {"framework": resolved, "documents": frame.copy()}
        try:
            answer = impl.function(*[arguments[name] for name in impl.argnames])
        except PluginError:
            raise
        # A stranger's hook may raise anything; the error names the plugin either way.
        except Exception as error:
            raise PluginError(
                f"plugin {impl.plugin_name!r} failed suggesting document scores for framework "
                f"{resolved.name!r}: {type(error).__name__}: {error}"
            ) from error
        if answer is None:
            continue
        _check_suggestions(answer, frame, resolved, document_keys, impl.plugin_name)
        for column in answer.columns:
            key = column.rsplit("_", 1)[0]
            if key in claimed and claimed[key] != impl.plugin_name:
                raise PluginError(
                    f"dimension {key!r} of framework {resolved.name!r} is suggested twice: by plugin "
                    f"{claimed[key]!r} and by plugin {impl.plugin_name!r}"
                )
            claimed[key] = impl.plugin_name
            values = answer[column].reset_index(drop=True)
            result[column] = values.astype("Int64") if column.endswith("_suggested") else values.astype(object)
    return result


def _check_suggestions(answer: Any, frame: pd.DataFrame, framework: Framework, keys: list[str], plugin: str) -> None:
    where = f"plugin {plugin!r} suggesting document scores for framework {framework.name!r}"
    if not isinstance(answer, pd.DataFrame) or len(answer) != len(frame):
        raise PluginError(
            f"{where} returned {type(answer).__name__}"
            + (f" of {len(answer)} rows" if isinstance(answer, pd.DataFrame) else "")
            + f"; expected None or a DataFrame of {len(frame)} rows (one per document)"
        )
    for column in answer.columns:
        key, _, what = str(column).rpartition("_")
        if what not in {"suggested", "basis"} or key not in keys:
            raise PluginError(
                f"{where} returned the column {column!r}; expected <dimension>_suggested and <dimension>_basis "
                f"for the document-level dimensions ({', '.join(keys) or 'none'})"
            )
        if what == "suggested":
            if f"{key}_basis" not in answer.columns:
                raise PluginError(f"{where} returned {column!r} without {key}_basis: every suggestion needs its basis")
            scores = {level.score for level in framework.scale.dimension(key).levels}
            values = pd.to_numeric(answer[column], errors="coerce")
            bad = answer[column].notna() & ~values.isin(scores)
            if bad.any():
                raise PluginError(
                    f"{where} suggested {answer[column][bad].iloc[0]} for {key!r}, which is not a level "
                    f"(levels: {', '.join(map(str, sorted(scores)))})"
                )

