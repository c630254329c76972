"""The package's one place for languages: which language is meant, and the words in it.

Every figure, table, report, template and command-line option that takes a
``language`` resolves it here, with :func:`resolve_language`, and takes its
interface strings, field titles and category labels from here, so that one
value means the same language everywhere.

What a language value may be
----------------------------
``None``
    The default: English interface text and each framework's own labels.
English: ``"en"``, any ``en-XX`` tag (``"en-US"``, ``"en_GB"``), ``"english"``, ``"英文"``, ``"英语"``
    Resolve to ``"en"``.
Simplified Chinese: ``"zh"``, ``"zh-CN"``, ``"zh-SG"``, ``"zh-Hans"``, ``"zh-Hans-CN"``, ``"chinese"``, ``"中文"``, ``"简体中文"``, ``"汉语"``
    Resolve to ``"zh"``.

Case and the separator (``-`` or ``_``) do not matter, and surrounding spaces
are ignored.  Traditional Chinese (``zh-TW``, ``zh-HK``, ``zh-MO``, ``zh-Hant``)
is refused rather than answered in Simplified characters: the Chinese labels
are Simplified, and the error says to pass ``"zh"`` for them.  Any other value
is a :class:`~policyquant.errors.ValidationError` naming the value and the
accepted choices.

The labels a framework carries (``label_in`` of its families, instruments,
objectives, dimensions and levels) are looked up more leniently, by
:func:`label_lookup`: a framework may carry labels in any language, so a
language it has no label in gives the default label rather than an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._text import closest, format_choices
from .errors import ValidationError

if TYPE_CHECKING:
    from .model import Framework

__all__ = [
    "COEFFICIENT_LABELS",
    "COLUMN_TITLES",
    "CONTEXT_COLUMN_TITLES",
    "FIELD_TITLES",
    "LANGUAGES",
    "LEVEL_LABELS",
    "REGION_ZH",
    "TABLE_TITLES",
    "UI_STRINGS",
    "VALUE_LABELS",
    "category_label",
    "coefficient_label",
    "column_title",
    "dimension_label",
    "field_title",
    "has_cjk",
    "interface_language",
    "is_chinese",
    "label_lookup",
    "level_label",
    "region_label",
    "resolve_language",
    "scale_dimension",
    "table_title",
    "ui",
    "value_label",
]

#: The languages the package's interface text comes in.
LANGUAGES = ("en", "zh")

# Whole values (after folding case and separators) that name a language.
_NAMES = {
    "en": "en",
    "english": "en",
    "英文": "en",
    "英语": "en",
    "zh": "zh",
    "chinese": "zh",
    "中文": "zh",
    "简体中文": "zh",
    "汉语": "zh",
    "zh-hans": "zh",
}

# Subtags that ask for Traditional characters, which the Chinese labels are not in.
_TRADITIONAL = frozenset({"hant", "tw", "hk", "mo"})

# A BCP 47-shaped tag: letters, then subtags of 1 to 8 letters or digits.
_TAG = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{1,8})*")


def _fold(value: str) -> str:
    return value.strip().casefold().replace("_", "-")


def _refuse(value: object, what: str, reason: str, suggestions: list[str]) -> ValidationError:
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
    return ValidationError(
        f"unknown {what} {value!r}; choose one of {format_choices(LANGUAGES)} "
        f"(en-US, zh-CN, zh-Hans, zh_CN, 中文 and the like are accepted; no language means English){reason}{hint}",
        [
            {
                "column": "language",
                "value": value,
                "problem": f"unknown {what}",
                "expected": format_choices(LANGUAGES),
                "suggestions": ", ".join(suggestions) or None,
            }
        ],
    )


def resolve_language(value: object, what: str = "language") -> str | None:
    """The language a ``language=`` value means: ``None``, ``"en"`` or ``"zh"``.

    Parameters
    ----------
    value : str or None
        A language code or name; see the module's documentation for what is
        accepted.  Case and ``-``/``_`` do not matter.
    what : str, default "language"
        What the value is, for the error message ("template language", ...).

    Returns
    -------
    str or None
        ``None`` for ``None`` (the default labels, English text), else ``"en"`` or ``"zh"``.

    Raises
    ------
    ValidationError
        For any other value, naming it, the accepted choices and the closest one.

    Examples
    --------
    >>> from policyquant._language import resolve_language
    >>> [resolve_language(v) for v in (None, "en-US", "zh-CN", "zh_hans", " ZH ", "中文")]
    [None, 'en', 'zh', 'zh', 'zh', 'zh']
    >>> resolve_language("fr")
    Traceback (most recent call last):
    ...
    policyquant.errors.ValidationError: unknown language 'fr'; choose one of en, zh (en-US, zh-CN, ...
    >>> resolve_language("zh-TW")
    Traceback (most recent call last):
    ...
    policyquant.errors.ValidationError: unknown language 'zh-TW'; ...Traditional characters...did you mean zh?...
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise _refuse(value, what, f"; a language is text, got {type(value).__name__}", [])
    folded = _fold(value)
    if folded in _NAMES:
        return _NAMES[folded]
    if _TAG.fullmatch(folded):
        primary, *rest = folded.split("-")
        if primary == "en":
            return "en"
        if primary == "zh":
            if _TRADITIONAL.intersection(rest):
                raise _refuse(
                    value,
                    what,
                    "; it asks for Traditional characters, and the Chinese labels are Simplified: "
                    "pass 'zh' for them",
                    ["zh"],
                )
            return "zh"
    return _raise_unknown(value, what, folded)


def _raise_unknown(value: str, what: str, folded: str) -> str:
    primary = folded.split("-")[0]
    suggestions = closest(primary, LANGUAGES) or closest(folded, [*LANGUAGES, *_NAMES])
    suggestions = list(dict.fromkeys(_NAMES.get(s, s) for s in suggestions))
    raise _refuse(value, what, "", suggestions)


def interface_language(value: object, what: str = "language") -> str:
    """The language of the interface text: :func:`resolve_language`, with ``None`` meaning ``"en"``.

    Examples
    --------
    >>> from policyquant._language import interface_language
    >>> interface_language(None), interface_language("zh-Hans")
    ('en', 'zh')
    """
    return resolve_language(value, what) or "en"


def is_chinese(language: object) -> bool:
    """Whether ``language`` resolves to Chinese.

    Examples
    --------
    >>> from policyquant._language import is_chinese
    >>> is_chinese("zh-CN"), is_chinese(None)
    (True, False)
    """
    return resolve_language(language) == "zh"


def label_lookup(labels: Mapping[str, str], language: object) -> str | None:
    """The label of ``labels`` (language code -> label) for ``language``; None when there is none.

    Looked up as RFC 4647 "lookup" does, ignoring case and ``-``/``_``: the tag
    itself, then the tag with its last subtag cut off, and so on
    (``zh-Hans-CN``, ``zh-Hans``, ``zh``); then the language
    :func:`resolve_language` gives (``中文`` finds ``zh``).  A framework may
    carry labels in any language, so an unknown one is no error here.

    Raises
    ------
    ValidationError
        When ``language`` is not text (or is blank).

    Examples
    --------
    >>> from policyquant._language import label_lookup
    >>> labels = {"zh": "公共安全", "de": "Öffentliche Sicherheit"}
    >>> label_lookup(labels, "zh-CN"), label_lookup(labels, "DE_at"), label_lookup(labels, "fr")
    ('公共安全', 'Öffentliche Sicherheit', None)
    """
    if language is None:
        return None
    if not isinstance(language, str) or not language.strip():
        raise _refuse(language, "language", "; a language is a code such as 'en' or 'zh'", [])
    if language in labels:
        return labels[language]
    folded = _fold(language)
    by_tag = {_fold(key): label for key, label in labels.items()}
    parts = folded.split("-")
    candidates = ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]
    try:
        resolved = resolve_language(language)
    except ValidationError:
        resolved = None
    if resolved is not None:
        candidates.append(resolved)
    return next((by_tag[tag] for tag in candidates if tag in by_tag), None)


_CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"
)


def has_cjk(text: object) -> bool:
    """Whether ``text`` is text with a Chinese, Japanese or Korean character (or full-width form).

    Examples
    --------
    >>> from policyquant._language import has_cjk
    >>> has_cjk("政策 tools"), has_cjk("policy"), has_cjk(3)
    (True, False, False)
    """
    return isinstance(text, str) and _CJK.search(text) is not None


# -- Words ------------------------------------------------------------------------------

#: Interface strings of figures by language.
UI_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "count": "Count",
        "share": "Share (%)",
        "column_share": "Share of column (%)",
        "row_share": "Share of row (%)",
        "codings": "Codings",
        "units": "Clauses",
        "documents": "Documents",
        "efficacy_total": "Total efficacy",
        "efficacy_mean": "Mean efficacy",
        "mean_efficacy": "Mean efficacy",
        "sd": "s.d.",
        "cumulative": "{} (cumulative)",
        "per_period": "{} per {}",
        "by": "{} by {}",
        "cross": "{} by {} and {}",
        "objective_share": "Share of the objective's codings (%)",
        "region_share": "Share of the region's documents (%)",
        "authority_title": "Documents by {} and {}",
        "efficacy_title": "Mean policy efficacy by {}",
        "network_title": "Co-issuance network of issuing bodies",
        "network_title_level": "Co-issuance network of {} issuing bodies",
        "no_issuers": "No issuing bodies",
        "portfolio_title": "Policy portfolio",
        "portfolio_subtitle": "Space: {space}; Size: {size:.2f}; Instruments: {n_i} ({p_i:.0f}%); "
        "Targets: {n_t} ({p_t:.0f}%)",
        "instrument_axis": "Instrument",
        "target_axis": "Target",
        "n": "n = {}",
        "national": "national",
        "provincial": "provincial",
        "municipal": "municipal",
        "county": "county",
        "missing": "(missing)",
    },
    "zh": {
        "count": "计数",
        "share": "占比（%）",
        "column_share": "列占比（%）",
        "row_share": "行占比（%）",
        "codings": "编码数",
        "units": "条款数",
        "documents": "文件数",
        "efficacy_total": "总效力",
        "efficacy_mean": "平均效力",
        "mean_efficacy": "平均效力",
        "sd": "标准差",
        "cumulative": "累计{}",
        "per_period": "{0}（按{1}）",
        "by": "{1}{0}",
        "cross": "{1} × {2}（{0}）",
        "objective_share": "占该目标编码的比例（%）",
        "region_share": "占该地区文件的比例（%）",
        "authority_title": "各{}政策文件的{}分布",
        "efficacy_title": "各{}的平均政策效力",
        "network_title": "发文机构联合发文网络",
        "network_title_level": "{}发文机构联合发文网络",
        "no_issuers": "无发文机构",
        "portfolio_title": "政策组合",
        "portfolio_subtitle": "空间：{space}；规模：{size:.2f}；工具：{n_i}（{p_i:.0f}%）；目标：{n_t}（{p_t:.0f}%）",
        "instrument_axis": "政策工具",
        "target_axis": "政策目标",
        "n": "n = {}",
        "national": "国家级",
        "provincial": "省级",
        "municipal": "市级",
        "county": "县级",
        "missing": "（缺失）",
    },
}

#: Axis and legend titles of corpus fields by language.
FIELD_TITLES: dict[str, dict[str, str]] = {
    "en": {
        "instrument": "Policy instrument",
        "family": "Instrument family",
        "objective": "Policy objective",
        "year": "Year",
        "period": "Period",
        "region": "Region",
        "level": "Administrative level",
        "doc_id": "Document",
    },
    "zh": {
        "instrument": "政策工具",
        "family": "工具类型",
        "objective": "政策目标",
        "year": "年份",
        "period": "时期",
        "region": "地区",
        "level": "行政层级",
        "doc_id": "文件",
    },
}

#: Names of administrative levels by language; a level not listed keeps its key.
LEVEL_LABELS: dict[str, dict[str, str]] = {
    "en": {"national": "National", "provincial": "Provincial", "municipal": "Municipal", "county": "County"},
    "zh": {"national": "国家级", "provincial": "省级", "municipal": "市级", "county": "县级"},
}

#: Chinese names of China's provincial-level divisions (and of the central level).
REGION_ZH: dict[str, str] = {
    "china": "全国",
    "national": "全国",
    "central": "中央",
    "beijing": "北京",
    "tianjin": "天津",
    "hebei": "河北",
    "shanxi": "山西",
    "inner mongolia": "内蒙古",
    "liaoning": "辽宁",
    "jilin": "吉林",
    "heilongjiang": "黑龙江",
    "shanghai": "上海",
    "jiangsu": "江苏",
    "zhejiang": "浙江",
    "anhui": "安徽",
    "fujian": "福建",
    "jiangxi": "江西",
    "shandong": "山东",
    "henan": "河南",
    "hubei": "湖北",
    "hunan": "湖南",
    "guangdong": "广东",
    "guangxi": "广西",
    "hainan": "海南",
    "chongqing": "重庆",
    "sichuan": "四川",
    "guizhou": "贵州",
    "yunnan": "云南",
    "tibet": "西藏",
    "xizang": "西藏",
    "shaanxi": "陕西",
    "gansu": "甘肃",
    "qinghai": "青海",
    "ningxia": "宁夏",
    "xinjiang": "新疆",
    "hong kong": "香港",
    "macau": "澳门",
    "macao": "澳门",
    "taiwan": "台湾",
}


def ui(key: str, language: object) -> str:
    """An interface string of :data:`UI_STRINGS` in ``language``.

    Examples
    --------
    >>> from policyquant._language import ui
    >>> ui("count", "zh-CN"), ui("count", None)
    ('计数', 'Count')
    """
    return UI_STRINGS[interface_language(language)].get(key, UI_STRINGS["en"][key])


def level_label(key: object, language: object) -> str:
    """The name of an administrative level in ``language``; an unknown level keeps its text.

    Examples
    --------
    >>> from policyquant._language import level_label
    >>> level_label("provincial", "zh_CN"), level_label("national", "en")
    ('省级', 'National')
    """
    return LEVEL_LABELS[interface_language(language)].get(str(key), str(key))


def region_label(key: object, language: object) -> str:
    """The name of a region in ``language``: Chinese names of China's provinces; others keep their text.

    Examples
    --------
    >>> from policyquant._language import region_label
    >>> region_label("Guangdong", "zh"), region_label("Guangdong", "en")
    ('广东', 'Guangdong')
    """
    text = str(key)
    if is_chinese(language):
        return REGION_ZH.get(text.strip().lower(), text)
    return text


def scale_dimension(framework: Framework, field: str) -> Any:
    """The framework's score dimension named ``field``, or None.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant._language import scale_dimension
    >>> scale_dimension(pq.get_framework("wang2026"), "objective") is None
    True
    """
    scale = framework.scale
    if scale is None:
        return None
    return next((d for d in scale.dimensions if d.key == field), None)


def field_title(framework: Framework, field: str, language: object) -> str:
    """Axis, legend or column title of a field: "Policy instrument", "发文权威", ...

    A score dimension's title is its label; other fields take :data:`FIELD_TITLES`.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant._language import field_title
    >>> wang = pq.get_framework("wang2026")
    >>> field_title(wang, "objective", "zh-CN"), field_title(wang, "objective", None)
    ('政策目标', 'Policy objective')
    """
    code = resolve_language(language)
    dimension = scale_dimension(framework, field)
    if dimension is not None:
        return dimension.label_in(code)
    titles = FIELD_TITLES[code or "en"]
    return titles.get(field, FIELD_TITLES["en"].get(field, str(field)))


def category_label(framework: Framework, field: str, key: object, language: object) -> str:
    """Label of one category of a field: an instrument's, a score level's, a level's, a region's name.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant._language import category_label
    >>> wang = pq.get_framework("wang2026")
    >>> category_label(wang, "family", "mixed", "zh-Hans"), category_label(wang, "level", "national", "zh")
    ('混合型', '国家级')
    >>> category_label(wang, "AS", 5, "zh_CN"), category_label(wang, "region", "Guangdong", "ZH")
    ('全部部门、领域或场景', '广东')
    """
    from .analysis.groups import MISSING

    code = resolve_language(language)
    if isinstance(key, str) and key == MISSING:
        return ui("missing", code)
    if field in ("instrument", "family", "objective") and isinstance(key, str):
        try:
            return framework.get(field, key).label_in(code)  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - a category the framework does not know keeps its text
            return key
    dimension = scale_dimension(framework, field)
    if dimension is not None:
        try:
            return dimension.level(key).label_in(code)
        except Exception:  # noqa: BLE001
            return str(key)
    if field == "level" and isinstance(key, str):
        # A framework that names its administrative levels labels them itself.
        level = next(
            (item for item in getattr(framework, "levels", ()) if getattr(item, "key", None) == key), None
        )
        if level is not None:
            return level.label_in(code)
        if key in LEVEL_LABELS["en"]:
            return level_label(key, code)
    if field == "region" and isinstance(key, str):
        return region_label(key, code)
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key)


# -- Column headers of tables ------------------------------------------------------------

#: Headers of the statistics columns of tables by language; a column not listed keeps its name.
COLUMN_TITLES: dict[str, dict[str, str]] = {
    "en": {
        "count": "n",
        "share": "%",
        "mean": "Mean",
        "std": "SD",
        "sd": "SD",
        "min": "Min",
        "max": "Max",
        "total": "Total",
        "Total": "Total",
        "documents": "Documents",
        "units": "Clauses",
        "codings": "Codings",
        "efficacy_total": "Total efficacy",
        "efficacy_mean": "Mean efficacy",
        "degree": "Partners",
        "weighted_degree": "Weighted degree",
        "degree_centrality": "Degree centrality",
        "betweenness": "Betweenness",
        "eigenvector": "Eigenvector centrality",
        "estimate": "Estimate",
        "alpha": "α",
        "kappa": "κ",
        "ac1": "AC1",
        "se": "SE",
        "se0": "SE (κ = 0)",
        "ci_low": "CI low",
        "ci_high": "CI high",
        "alpha_low": "α CI low",
        "alpha_high": "α CI high",
        "z": "z",
        "p": "p",
        "p_o": "p_o",
        "p_e": "p_e",
        "p_a": "p_a",
        "P": "P",
        "P_e": "P_e",
        "D_o": "D_o",
        "D_e": "D_e",
        "pairable values": "Pairable values",
        "coders": "Coders",
        "raters": "Raters per unit",
        "categories": "Categories",
        "dropped": "Dropped units",
        "unit": "Unit",
        "level": "Level of measurement",
        "measurement": "Level of measurement",
        "n_units": "Units",
        "percent_agreement": "Percent agreement",
        "n_values": "Values",
        "agreement": "Agreement",
        "value": "Value",
        # Portfolio measures (PolicyPortfolios' names).
        "space": "Portfolio space",
        "size": "Portfolio size",
        "n_instruments": "Instruments covered",
        "p_instruments": "Share of instruments covered",
        "n_targets": "Targets covered",
        "p_targets": "Share of targets covered",
        "unique": "Unique instrument configurations",
        "c_eq": "Equality of configurations",
        "div_aid": "Diversity (AID)",
        "div_gs": "Diversity (Gini-Simpson)",
        "div_sh": "Diversity (Shannon)",
        "eq_sh": "Equitability (Shannon)",
        "in_prep": "Instrument preponderance",
        "burden_continuous": "Burden (continuous learning)",
        "burden_steep": "Burden (steep learning)",
        "burden_capped": "Burden (capped learning)",
        "burden_targets_continuous": "Burden by targets (continuous learning)",
        "burden_targets_steep": "Burden by targets (steep learning)",
        "burden_targets_capped": "Burden by targets (capped learning)",
        # Titles of index levels that are not corpus fields.
        "coefficient": "Coefficient",
        "dimension": "Coded dimension",
        "issuer": "Issuing body",
        "measure": "Measure",
        "residual": "Adjusted standardized residual",
    },
    "zh": {
        "count": "n",
        "share": "%",
        "mean": "均值",
        "std": "标准差",
        "sd": "标准差",
        "min": "最小值",
        "max": "最大值",
        "total": "合计",
        "Total": "合计",
        "documents": "文件数",
        "units": "条款数",
        "codings": "编码数",
        "efficacy_total": "总效力",
        "efficacy_mean": "平均效力",
        "degree": "合作机构数",
        "weighted_degree": "加权度",
        "degree_centrality": "度中心度",
        "betweenness": "中介中心度",
        "eigenvector": "特征向量中心度",
        "estimate": "估计值",
        "alpha": "α",
        "kappa": "κ",
        "ac1": "AC1",
        "se": "标准误",
        "se0": "标准误（κ = 0）",
        "ci_low": "置信区间下限",
        "ci_high": "置信区间上限",
        "alpha_low": "α 置信区间下限",
        "alpha_high": "α 置信区间上限",
        "z": "z",
        "p": "p",
        "p_o": "观察一致率",
        "p_e": "机遇一致率",
        "p_a": "观察一致率",
        "P": "观察一致率",
        "P_e": "机遇一致率",
        "D_o": "观察不一致",
        "D_e": "期望不一致",
        "pairable values": "可配对编码值数",
        "coders": "编码员数",
        "raters": "每单元评分者数",
        "categories": "类别数",
        "dropped": "剔除单元数",
        "unit": "编码单元",
        "level": "测量层次",
        "measurement": "测量层次",
        "n_units": "单元数",
        "percent_agreement": "一致率",
        "n_values": "编码值数",
        "agreement": "一致率",
        "value": "值",
        "space": "组合空间",
        "size": "组合规模",
        "n_instruments": "覆盖的工具数",
        "p_instruments": "覆盖的工具比例",
        "n_targets": "覆盖的目标数",
        "p_targets": "覆盖的目标比例",
        "unique": "独特工具配置数",
        "c_eq": "工具配置均等度",
        "div_aid": "多样性（平均工具多样性）",
        "div_gs": "多样性（Gini-Simpson）",
        "div_sh": "多样性（Shannon）",
        "eq_sh": "均匀度（Shannon）",
        "in_prep": "工具优势度",
        "burden_continuous": "负担（连续学习）",
        "burden_steep": "负担（陡峭学习）",
        "burden_capped": "负担（封顶学习）",
        "burden_targets_continuous": "负担（按目标加权，连续学习）",
        "burden_targets_steep": "负担（按目标加权，陡峭学习）",
        "burden_targets_capped": "负担（按目标加权，封顶学习）",
        "coefficient": "系数",
        "dimension": "编码维度",
        "issuer": "发文机构",
        "measure": "指标",
        "residual": "调整标准化残差",
    },
}

#: Headers that read differently in one kind of table: the efficacy summary's mean is the mean efficacy.
CONTEXT_COLUMN_TITLES: dict[str, dict[str, dict[str, str]]] = {
    "efficacy": {
        "en": {
            "mean": "Mean efficacy",
            "total": "Total efficacy",
            "share": "Share of total efficacy (%)",
        },
        "zh": {"mean": "平均效力", "total": "总效力", "share": "效力占比（%）"},
    },
    # A coefficient's units are whatever the coders coded, not necessarily clauses.
    "reliability": {"en": {"units": "Units"}, "zh": {"units": "单元数"}},
}

#: Words that are values in a table's cells (a reliability table's unit and level of measurement).
VALUE_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "unit": "Clause",
        "document": "Document",
        "nominal": "Nominal",
        "ordinal": "Ordinal",
        "interval": "Interval",
        "ratio": "Ratio",
    },
    "zh": {
        "unit": "条款",
        "document": "文件",
        "nominal": "定类",
        "ordinal": "定序",
        "interval": "定距",
        "ratio": "定比",
    },
}

#: Names of the reliability coefficients by language (``{}``: the level or weighting).
COEFFICIENT_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "alpha": "Krippendorff's alpha ({})",
        "cohen": "Cohen's kappa",
        "cohen_weighted": "Cohen's kappa ({} weights)",
        "fleiss": "Fleiss' kappa",
        "Gwet's AC1": "Gwet's AC1",
        "Brennan-Prediger": "Brennan-Prediger",
        "percent agreement": "Percent agreement",
        "linear": "linear",
        "quadratic": "quadratic",
        "objective_prefix": "Objective: {}",
    },
    "zh": {
        "alpha": "Krippendorff α 系数（{}）",
        "cohen": "Cohen κ 系数",
        "cohen_weighted": "Cohen κ 系数（{}加权）",
        "fleiss": "Fleiss κ 系数",
        "Gwet's AC1": "Gwet AC1 系数",
        "Brennan-Prediger": "Brennan-Prediger 系数",
        "percent agreement": "百分比一致率",
        "linear": "线性",
        "quadratic": "平方",
        "objective_prefix": "政策目标：{}",
    },
}


def column_title(key: object, language: object, context: str | None = None) -> object:
    """The header of a statistics column in ``language``; a column not known keeps its label.

    ``context`` names a kind of table whose headers read differently
    (``"efficacy"``: the mean is the mean efficacy).  With no language
    (``None``) the column keeps its name.

    Examples
    --------
    >>> from policyquant._language import column_title
    >>> column_title("mean", "zh-CN", "efficacy"), column_title("mean", "zh"), column_title("std", "en")
    ('平均效力', '均值', 'SD')
    >>> column_title("ci_low", None), column_title(2019, "zh")
    ('ci_low', 2019)
    """
    code = resolve_language(language)
    if code is None or not isinstance(key, str):
        return key
    special = CONTEXT_COLUMN_TITLES.get(context or "", {}).get(code, {})
    if key in special:
        return special[key]
    return COLUMN_TITLES[code].get(key, key)


def value_label(key: object, language: object) -> object:
    """A word in a table's cells (``"ordinal"``, ``"document"``) in ``language``; others keep their value.

    Examples
    --------
    >>> from policyquant._language import value_label
    >>> value_label("ordinal", "zh"), value_label("document", "en"), value_label("ordinal", None)
    ('定序', 'Document', 'ordinal')
    """
    code = resolve_language(language)
    if code is None or not isinstance(key, str):
        return key
    return VALUE_LABELS[code].get(key, key)


def coefficient_label(kind: str, language: object, detail: str | None = None) -> str:
    """The name of a reliability coefficient in ``language`` (``detail``: its level or weighting).

    Examples
    --------
    >>> from policyquant._language import coefficient_label
    >>> coefficient_label("alpha", "zh", "ordinal"), coefficient_label("cohen_weighted", "en", "linear")
    ('Krippendorff α 系数（定序）', "Cohen's kappa (linear weights)")
    """
    code = interface_language(language)
    words = COEFFICIENT_LABELS[code]
    template = words.get(kind, kind)
    if detail is None:
        return template
    named = VALUE_LABELS[code].get(detail, words.get(detail, detail))
    if code == "en" and kind == "alpha":
        named = detail
    return template.format(named)


def dimension_label(framework: Framework, name: str, language: object) -> str:
    """A coded dimension of a reliability table (``instrument``, ``objective:<key>``, a score) in ``language``.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant._language import dimension_label
    >>> wang = pq.get_framework("wang2026")
    >>> dimension_label(wang, "objective:public_safety", "zh"), dimension_label(wang, "instrument", "zh")
    ('政策目标：公共安全与利益', '政策工具')
    """
    code = interface_language(language)
    if name.startswith("objective:"):
        key = name.split(":", 1)[1]
        return COEFFICIENT_LABELS[code]["objective_prefix"].format(category_label(framework, "objective", key, code))
    return field_title(framework, name, code)


#: Titles of the tables ``policyquant tables`` prints, by language.
TABLE_TITLES: dict[str, dict[str, str]] = {
    "en": {
        "crosstab": "Codings by instrument and objective ({n} codings)",
        "efficacy": "Mean {scale} by {field}",
        "over_codings": " (over codings)",
    },
    "zh": {
        "crosstab": "政策工具 × 政策目标的编码数（共 {n} 个编码）",
        "efficacy": "各{field}的平均{scale}",
        "over_codings": "（按编码计）",
    },
}


def table_title(key: str, language: object, **values: object) -> str:
    """The title of one of the command line's tables in ``language`` (English without one).

    Examples
    --------
    >>> from policyquant._language import table_title
    >>> table_title("crosstab", "zh", n=908)
    '政策工具 × 政策目标的编码数（共 908 个编码）'
    """
    return TABLE_TITLES[interface_language(language)][key].format(**values)
