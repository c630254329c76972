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

from ._i18n import catalogued, pgettext
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


def _ui_strings() -> dict[str, str]:
    return {
        "count": pgettext("ui", "Count"),
        "share": pgettext("ui", "Share (%)"),
        "column_share": pgettext("ui", "Share of column (%)"),
        "row_share": pgettext("ui", "Share of row (%)"),
        "codings": pgettext("ui", "Codings"),
        "units": pgettext("ui", "Clauses"),
        "documents": pgettext("ui", "Documents"),
        "efficacy_total": pgettext("ui", "Total efficacy"),
        "efficacy_mean": pgettext("ui", "Mean efficacy"),
        "mean_efficacy": pgettext("ui", "Mean efficacy"),
        "sd": pgettext("ui", "s.d."),
        "cumulative": pgettext("ui", "{} (cumulative)"),
        "per_period": pgettext("ui", "{} per {}"),
        "by": pgettext("ui", "{} by {}"),
        "cross": pgettext("ui", "{} by {} and {}"),
        "objective_share": pgettext("ui", "Share of the objective's codings (%)"),
        "region_share": pgettext("ui", "Share of the region's documents (%)"),
        "authority_title": pgettext("ui", "Documents by {} and {}"),
        "efficacy_title": pgettext("ui", "Mean policy efficacy by {}"),
        "network_title": pgettext("ui", "Co-issuance network of issuing bodies"),
        "network_title_level": pgettext("ui", "Co-issuance network of {} issuing bodies"),
        "no_issuers": pgettext("ui", "No issuing bodies"),
        "portfolio_title": pgettext("ui", "Policy portfolio"),
        "portfolio_subtitle": pgettext(
            "ui",
            "Space: {space}; Size: {size:.2f}; Instruments: {n_i} ({p_i:.0f}%); Targets: {n_t} ({p_t:.0f}%)",
        ),
        "instrument_axis": pgettext("ui", "Instrument"),
        "target_axis": pgettext("ui", "Target"),
        "n": pgettext("ui", "n = {}"),
        "national": pgettext("ui", "national"),
        "provincial": pgettext("ui", "provincial"),
        "municipal": pgettext("ui", "municipal"),
        "county": pgettext("ui", "county"),
        "missing": pgettext("ui", "(missing)"),
    }


#: Interface strings of figures by language.
UI_STRINGS: dict[str, dict[str, str]] = catalogued(_ui_strings)


def _field_titles() -> dict[str, str]:
    return {
        "instrument": pgettext("field title", "Policy instrument"),
        "family": pgettext("field title", "Instrument family"),
        "objective": pgettext("field title", "Policy objective"),
        "year": pgettext("field title", "Year"),
        "period": pgettext("field title", "Period"),
        "region": pgettext("field title", "Region"),
        "level": pgettext("field title", "Administrative level"),
        "doc_id": pgettext("field title", "Document"),
    }


#: Axis and legend titles of corpus fields by language.
FIELD_TITLES: dict[str, dict[str, str]] = catalogued(_field_titles)


def _level_labels() -> dict[str, str]:
    return {
        "national": pgettext("administrative level", "National"),
        "provincial": pgettext("administrative level", "Provincial"),
        "municipal": pgettext("administrative level", "Municipal"),
        "county": pgettext("administrative level", "County"),
    }


#: Names of administrative levels by language; a level not listed keeps its key.
LEVEL_LABELS: dict[str, dict[str, str]] = catalogued(_level_labels)


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


def _column_titles() -> dict[str, str]:
    return {
        "count": pgettext("column title", "n"),
        "share": pgettext("column title", "%"),
        "mean": pgettext("column title", "Mean"),
        "std": pgettext("column title", "SD"),
        "sd": pgettext("column title", "SD"),
        "min": pgettext("column title", "Min"),
        "max": pgettext("column title", "Max"),
        "total": pgettext("column title", "Total"),
        "Total": pgettext("column title", "Total"),
        "documents": pgettext("column title", "Documents"),
        "units": pgettext("column title", "Clauses"),
        "codings": pgettext("column title", "Codings"),
        "efficacy_total": pgettext("column title", "Total efficacy"),
        "efficacy_mean": pgettext("column title", "Mean efficacy"),
        "degree": pgettext("column title", "Partners"),
        "weighted_degree": pgettext("column title", "Weighted degree"),
        "degree_centrality": pgettext("column title", "Degree centrality"),
        "betweenness": pgettext("column title", "Betweenness"),
        "eigenvector": pgettext("column title", "Eigenvector centrality"),
        "estimate": pgettext("column title", "Estimate"),
        "alpha": pgettext("column title", "α"),
        "kappa": pgettext("column title", "κ"),
        "ac1": pgettext("column title", "AC1"),
        "se": pgettext("column title", "SE"),
        "se0": pgettext("column title", "SE (κ = 0)"),
        "ci_low": pgettext("column title", "CI low"),
        "ci_high": pgettext("column title", "CI high"),
        "alpha_low": pgettext("column title", "α CI low"),
        "alpha_high": pgettext("column title", "α CI high"),
        "z": pgettext("column title", "z"),
        "p": pgettext("column title", "p"),
        "p_o": pgettext("column title", "p_o"),
        "p_e": pgettext("column title", "p_e"),
        "p_a": pgettext("column title", "p_a"),
        "P": pgettext("column title", "P"),
        "P_e": pgettext("column title", "P_e"),
        "D_o": pgettext("column title", "D_o"),
        "D_e": pgettext("column title", "D_e"),
        "pairable values": pgettext("column title", "Pairable values"),
        "coders": pgettext("column title", "Coders"),
        "raters": pgettext("column title", "Raters per unit"),
        "categories": pgettext("column title", "Categories"),
        "dropped": pgettext("column title", "Dropped units"),
        "unit": pgettext("column title", "Unit"),
        "level": pgettext("column title", "Level of measurement"),
        "measurement": pgettext("column title", "Level of measurement"),
        "n_units": pgettext("column title", "Units"),
        "percent_agreement": pgettext("column title", "Percent agreement"),
        "n_values": pgettext("column title", "Values"),
        "agreement": pgettext("column title", "Agreement"),
        "value": pgettext("column title", "Value"),
        # Portfolio measures (PolicyPortfolios' names).
        "space": pgettext("column title", "Portfolio space"),
        "size": pgettext("column title", "Portfolio size"),
        "n_instruments": pgettext("column title", "Instruments covered"),
        "p_instruments": pgettext("column title", "Share of instruments covered"),
        "n_targets": pgettext("column title", "Targets covered"),
        "p_targets": pgettext("column title", "Share of targets covered"),
        "unique": pgettext("column title", "Unique instrument configurations"),
        "c_eq": pgettext("column title", "Equality of configurations"),
        "div_aid": pgettext("column title", "Diversity (AID)"),
        "div_gs": pgettext("column title", "Diversity (Gini-Simpson)"),
        "div_sh": pgettext("column title", "Diversity (Shannon)"),
        "eq_sh": pgettext("column title", "Equitability (Shannon)"),
        "in_prep": pgettext("column title", "Instrument preponderance"),
        "burden_continuous": pgettext("column title", "Burden (continuous learning)"),
        "burden_steep": pgettext("column title", "Burden (steep learning)"),
        "burden_capped": pgettext("column title", "Burden (capped learning)"),
        "burden_targets_continuous": pgettext("column title", "Burden by targets (continuous learning)"),
        "burden_targets_steep": pgettext("column title", "Burden by targets (steep learning)"),
        "burden_targets_capped": pgettext("column title", "Burden by targets (capped learning)"),
        # Titles of index levels that are not corpus fields.
        "coefficient": pgettext("column title", "Coefficient"),
        "dimension": pgettext("column title", "Coded dimension"),
        "issuer": pgettext("column title", "Issuing body"),
        "measure": pgettext("column title", "Measure"),
        "residual": pgettext("column title", "Adjusted standardized residual"),
    }


#: Headers of the statistics columns of tables by language; a column not listed keeps its name.
COLUMN_TITLES: dict[str, dict[str, str]] = catalogued(_column_titles)


def _context_column_titles() -> dict[str, dict[str, str]]:
    return {
        "efficacy": {
            "mean": pgettext("column title (efficacy)", "Mean efficacy"),
            "total": pgettext("column title (efficacy)", "Total efficacy"),
            "share": pgettext("column title (efficacy)", "Share of total efficacy (%)"),
        },
        # A coefficient's units are whatever the coders coded, not necessarily clauses.
        "reliability": {
            "units": pgettext("column title (reliability)", "Units"),
        },
    }


_CONTEXT_TITLES = catalogued(_context_column_titles)
#: Headers that read differently in one kind of table: the efficacy summary's mean is the mean efficacy.
CONTEXT_COLUMN_TITLES: dict[str, dict[str, dict[str, str]]] = {
    kind: {language: titles[kind] for language, titles in _CONTEXT_TITLES.items()}
    for kind in _CONTEXT_TITLES["en"]
}


def _value_labels() -> dict[str, str]:
    return {
        "unit": pgettext("cell value", "Clause"),
        "document": pgettext("cell value", "Document"),
        "nominal": pgettext("cell value", "Nominal"),
        "ordinal": pgettext("cell value", "Ordinal"),
        "interval": pgettext("cell value", "Interval"),
        "ratio": pgettext("cell value", "Ratio"),
    }


#: Words that are values in a table's cells (a reliability table's unit and level of measurement).
VALUE_LABELS: dict[str, dict[str, str]] = catalogued(_value_labels)


def _coefficient_labels() -> dict[str, str]:
    return {
        "alpha": pgettext("coefficient", "Krippendorff's alpha ({})"),
        "cohen": pgettext("coefficient", "Cohen's kappa"),
        "cohen_weighted": pgettext("coefficient", "Cohen's kappa ({} weights)"),
        "fleiss": pgettext("coefficient", "Fleiss' kappa"),
        "Gwet's AC1": pgettext("coefficient", "Gwet's AC1"),
        "Brennan-Prediger": pgettext("coefficient", "Brennan-Prediger"),
        "percent agreement": pgettext("coefficient", "Percent agreement"),
        "linear": pgettext("coefficient", "linear"),
        "quadratic": pgettext("coefficient", "quadratic"),
        "objective_prefix": pgettext("coefficient", "Objective: {}"),
    }


#: Names of the reliability coefficients by language (``{}``: the level or weighting).
COEFFICIENT_LABELS: dict[str, dict[str, str]] = catalogued(_coefficient_labels)


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


def _table_titles() -> dict[str, str]:
    return {
        "crosstab": pgettext("table title", "Codings by instrument and objective ({n} codings)"),
        "efficacy": pgettext("table title", "Mean {scale} by {field}"),
        "over_codings": pgettext("table title", " (over codings)"),
    }


#: Titles of the tables ``policyquant tables`` prints, by language.
TABLE_TITLES: dict[str, dict[str, str]] = catalogued(_table_titles)


def table_title(key: str, language: object, **values: object) -> str:
    """The title of one of the command line's tables in ``language`` (English without one).

    Examples
    --------
    >>> from policyquant._language import table_title
    >>> table_title("crosstab", "zh", n=908)
    '政策工具 × 政策目标的编码数（共 908 个编码）'
    """
    return TABLE_TITLES[interface_language(language)][key].format(**values)
