"""Howlett and Ramesh's policy instruments: the study's framework and the original taxonomy.

This built-in plugin registers two frameworks through the same hook that
third-party plugins use:

``"wang2026"`` (alias ``"genai-china"``)
    The three-dimensional framework of Wang, He and Zhang (2026) for China's
    regulation of generative AI: Howlett and Ramesh's three instrument families
    with the study's 16 instruments (Table 1, in the order of Table 4), four
    policy objectives (Table 2) and the policy-efficacy scale
    APE = DA x (AS + MI) (Table 3), which runs from 2 to 50.

``"howlett-ramesh-1995"``
    The original taxonomy of Howlett and Ramesh (1995): voluntary, mixed and
    compulsory instruments ordered by the degree of state involvement.  A
    taxonomy only: no objectives and no scale.

The coding rules (descriptions) are written for policyquant, paraphrasing the
study's explanations; the labels follow the study's wording.

Examples
--------
>>> import policyquant as pq
>>> wang = pq.get_framework("wang2026")
>>> [f.key for f in wang.families]
['mandatory', 'voluntary', 'mixed']
>>> wang.instruments[0].label, wang.instruments[0].labels["zh"]
('Standards and Norms', '标准规范')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ..hookspecs import hookimpl
from ..model import Dimension, FormulaScale, Framework, Instrument, InstrumentFamily, Level, Objective

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "WANG2026_CITATION",
    "howlett_ramesh_1995",
    "policyquant_register_frameworks",
    "policyquant_suggest_document_scores",
    "wang2026",
]

#: Citation of the reference study.
WANG2026_CITATION = (
    "Wang, X., He, W., & Zhang, J. (2026). Optimizing Regulatory Pathways for Generative "
    "Artificial Intelligence in China: A Policy-Analytic Study. Journal of Current Social Issues "
    "Studies, 3(1), 70-83. https://doi.org/10.71113/JCSIS.v3i1.509"
)

#: Citation of the original taxonomy.
HOWLETT_RAMESH_CITATION = (
    "Howlett, M., & Ramesh, M. (1995). Studying Public Policy: Policy Cycles and Policy "
    "Subsystems. Oxford University Press."
)

_FAMILIES = (
    InstrumentFamily(
        "mandatory",
        "Mandatory",
        "Instruments through which the state acts directly and with authority: it sets rules, "
        "plans, builds and supervises, leaving the targets little discretion.",
        labels={"zh": "强制型"},
    ),
    InstrumentFamily(
        "voluntary",
        "Voluntary",
        "Instruments that rely on firms, markets and society acting of their own accord, with "
        "the state at most encouraging or facilitating.",
        labels={"zh": "自愿型"},
    ),
    InstrumentFamily(
        "mixed",
        "Mixed",
        "Instruments that combine state and private action: the state steers with incentives, "
        "information and intermediaries while the final decision stays with the targets.",
        labels={"zh": "混合型"},
    ),
)

# (key, Table 1 label, family, description, Chinese label, aliases incl. Table 4 wording)
_INSTRUMENTS = (
    (
        "standards_and_norms",
        "Standards and Norms",
        "mandatory",
        "Binding rules and technical requirements that the government lays down with its "
        "administrative authority and that everyone active in generative AI must follow.",
        "标准规范",
        ("Standards & norms", "Standards", "Norms"),
    ),
    (
        "infrastructure",
        "Infrastructure",
        "mandatory",
        "Hardware and software facilities that the government builds, leads or regulates so that "
        "the sector can be regulated and governed.",
        "基础设施",
        ("Infrastructure construction",),
    ),
    (
        "development_planning",
        "Development Planning",
        "mandatory",
        "Macro-level deployment of the direction, goals and key tasks of the generative AI "
        "industry's development.",
        "发展规划",
        ("Planning",),
    ),
    (
        "assessment_and_supervision",
        "Assessment and Supervision",
        "mandatory",
        "Inspection, evaluation and restraint of what generative AI actors do and of the results "
        "they produce.",
        "评估监管",
        ("Assessment & supervision", "Supervision and assessment", "监督评估"),
    ),
    (
        "organizational_support",
        "Organizational Guarantees",
        "mandatory",
        "Institutional arrangements for setting up organisations, dividing responsibilities and "
        "staffing so that regulation is carried out.",
        "组织保障",
        ("Organizational support", "Organisational support", "Organizational guarantee"),
    ),
    (
        "product_development",
        "Product Development",
        "voluntary",
        "Support for firms developing regulatory and compliance products themselves and investing "
        "more in compliance along their production and engineering processes.",
        "产品研发",
        ("Product R&D",),
    ),
    (
        "service_operations",
        "Service Operations",
        "voluntary",
        "Support for firms offering operation, maintenance, technical support and other services "
        "that deal with problems after deployment.",
        "服务运营",
        ("Services and operations",),
    ),
    (
        "exchange_and_cooperation",
        "Exchange and Cooperation",
        "voluntary",
        "The government brokering compliant cooperation between firms, research institutions and "
        "industry bodies.",
        "交流合作",
        ("Exchange & cooperation", "Cooperation and exchange"),
    ),
    (
        "market_improvement",
        "Market Improvement",
        "voluntary",
        "Using market mechanisms so that market actors act on their own for the sound development "
        "of generative AI.",
        "市场完善",
        ("Market development",),
    ),
    (
        "fiscal_and_tax_incentives",
        "Fiscal and Tax Incentives",
        "mixed",
        "Public funding and tax relief that reward firms and institutions for compliant research, "
        "development and application.",
        "财税激励",
        ("Fiscal & tax incentives", "Tax incentives", "财政税收"),
    ),
    (
        "financial_support",
        "Financial Support",
        "mixed",
        "Policy-guided finance: steering banks and other financial institutions to fund and serve "
        "compliance and governance of generative AI.",
        "金融支持",
        ("Finance",),
    ),
    (
        "talent_development",
        "Talent Development",
        "mixed",
        "Cooperation of government, universities, research and industry to train the specialists "
        "that regulating generative AI requires.",
        "人才培养",
        ("Talent cultivation", "Talent training"),
    ),
    (
        "pilots_and_demonstrations",
        "Pilot and Demonstration",
        "mixed",
        "Trying new regulatory measures within a defined scope and spreading what works once it "
        "has been evaluated.",
        "试点示范",
        ("Pilots & demonstrations", "Pilots and demonstrations", "Pilot projects"),
    ),
    (
        "information_support",
        "Information Support",
        "mixed",
        "Giving firms information on technology trends, market demand and other signals that guide "
        "their choices.",
        "信息支持",
        ("Information services",),
    ),
    (
        "industry_organizations",
        "Industry Organizations",
        "mixed",
        "Working through industry associations and platforms whose collective outputs bind or "
        "restrain their members to some degree.",
        "行业组织",
        ("Industry associations", "Industry organisations"),
    ),
    (
        "publicity_and_promotion",
        "Publicity and Promotion",
        "mixed",
        "Communication aimed at the public about the value, meaning and compliance norms of "
        "generative AI regulation.",
        "宣传推广",
        ("Publicity & promotion", "Publicity", "宣传引导"),
    ),
)

_OBJECTIVES = (
    Objective(
        "rights_protection",
        "Statutory Rights Protection",
        "Protecting the rights of natural and legal persons and restating rights the law already "
        "grants in the setting of the new technology.",
        labels={"zh": "法定权益保护"},
        aliases=("Individual rights protection", "Rights protection", "权益保护"),
    ),
    Objective(
        "public_safety",
        "Public Safety and Interests",
        "Content with a collective character (integrated or public data), effects that reach widely "
        "into public governance, or national-security interests at the international level.",
        labels={"zh": "公共安全与利益"},
        aliases=("Public safety & interests", "Public safety", "公共安全"),
    ),
    Objective(
        "tech_innovation",
        "Technological Security and Innovation",
        "The sustained, sound development of generative AI's technical factors: data, computing "
        "power, algorithms and models.",
        labels={"zh": "技术安全与创新"},
        aliases=("Tech innovation & development", "Technological innovation", "技术创新"),
    ),
    Objective(
        "application_scenarios",
        "Application Scenario Improvement",
        "How well generative AI fits and adapts when it is brought into particular industries and sectors.",
        labels={"zh": "应用场景完善"},
        aliases=("Application scenarios", "应用场景"),
    ),
)

_AUTHORITY = Dimension(
    "DA",
    "Authority strength",
    (
        Level(
            5,
            "Administrative regulations",
            "Administrative regulations (of the State Council).",
            labels={"zh": "行政法规"},
        ),
        Level(
            4,
            "State Council normative documents",
            "Normative documents of the State Council.",
            labels={"zh": "国务院规范性文件"},
        ),
        Level(
            3, "Departmental rules", "Rules issued by ministries and commissions.", labels={"zh": "部门规章"}
        ),
        Level(
            2,
            "Departmental or provincial normative documents",
            "Normative documents of a department, or of a provincial government.",
            labels={"zh": "部门规范性文件/省级规范性文件"},
            aliases=(
                "Departmental normative documents / provincial normative documents",
                "Normative documents",
                "规范性文件",
            ),
        ),
        Level(
            1,
            "Departmental or provincial working documents",
            "Working documents of a department or of a provincial government.",
            labels={"zh": "部门或省级工作文件"},
            aliases=("Working documents", "工作文件"),
        ),
    ),
    unit="document",
    description="The legal rank and normative force of the document a clause belongs to.",
    labels={"zh": "发文权威"},
)

_AUDIENCE = Dimension(
    "AS",
    "Audience scope",
    (
        Level(
            5,
            "All departments, fields or scenarios",
            "Addressed at once to every department concerned with generative AI, the field as a "
            "whole, or all application scenarios.",
            labels={"zh": "全部部门、领域或场景"},
        ),
        Level(
            3,
            "Several departments, fields or scenarios",
            "Addressed to several departments, fields or scenarios.",
            labels={"zh": "多个部门、领域或场景"},
        ),
        Level(
            1,
            "A single department, field or scenario",
            "Addressed only to one department, one field or one scenario.",
            labels={"zh": "单一部门、领域或场景"},
        ),
    ),
    unit="unit",
    description="How widely the clause applies.",
    labels={"zh": "作用范围"},
)

_INTENSITY = Dimension(
    "MI",
    "Measure intensity",
    (
        Level(
            5,
            "Detailed and highly implementable",
            "The measures are spelled out in detail and can readily be put into practice.",
            labels={"zh": "措施详细、可操作性强"},
        ),
        Level(
            3,
            "Fairly clear and implementable",
            "The measures are reasonably clear and can be put into practice.",
            labels={"zh": "措施较明确、可操作"},
        ),
        Level(
            1,
            "Macro-level only",
            "Measures are named only in general terms, with no concrete way to implement them.",
            labels={"zh": "仅宏观表述"},
        ),
    ),
    unit="unit",
    description="How concrete and implementable the clause's measures are.",
    labels={"zh": "措施力度"},
)

#: The study's efficacy scale, APE = DA x (AS + MI), from 2 to 50.
APE_SCALE = FormulaScale(
    (_AUTHORITY, _AUDIENCE, _INTENSITY),
    "DA * (AS + MI)",
    name="APE",
    label="Policy efficacy",
)


def wang2026() -> Framework:
    """The study's framework: 16 instruments, 4 objectives and the APE scale.

    Returns
    -------
    Framework
        Registered as ``"wang2026"`` with the alias ``"genai-china"``.

    Examples
    --------
    >>> from policyquant.frameworks.howlett_ramesh import wang2026
    >>> framework = wang2026()
    >>> len(framework.instruments), framework.objective_keys[0], framework.scale.max_score
    (16, 'rights_protection', 50.0)
    """
    return Framework(
        name="wang2026",
        title="Policy instruments, objectives and efficacy of generative AI regulation in China",
        families=_FAMILIES,
        instruments=tuple(
            Instrument(key, label, family=family, description=description, labels={"zh": zh}, aliases=aliases)
            for key, label, family, description, zh, aliases in _INSTRUMENTS
        ),
        objectives=_OBJECTIVES,
        scale=APE_SCALE,
        citation=WANG2026_CITATION,
        version="1.0",
        # The study coded national and provincial documents only: a "county" in its sheets is a mistake.
        levels=("national", "provincial"),
        description=(
            "A three-dimensional framework (policy instrument, policy objective, policy efficacy) "
            "built on Howlett and Ramesh's voluntary, mixed and mandatory instruments."
        ),
    )


# (key, label, family, description, Chinese label)
_CLASSIC = (
    (
        "family_and_community",
        "Family and community",
        "voluntary",
        "Leaving a task to families, friends and neighbours, with the state deliberately not acting.",
        "家庭与社区",
    ),
    (
        "voluntary_organizations",
        "Voluntary organizations",
        "voluntary",
        "Relying on charities and other non-profit, non-coercive associations to deliver a service.",
        "志愿者组织",
    ),
    (
        "private_markets",
        "Private markets",
        "voluntary",
        "Letting buyers and sellers supply a good through the market.",
        "私人市场",
    ),
    (
        "information_and_exhortation",
        "Information and exhortation",
        "mixed",
        "Disseminating information and urging targets to change their behaviour, without obliging them.",
        "信息与劝诫",
    ),
    (
        "subsidies",
        "Subsidies",
        "mixed",
        "Grants, tax expenditures and loans that reward the behaviour the government wants.",
        "补贴",
    ),
    (
        "auction_of_property_rights",
        "Auction of property rights",
        "mixed",
        "Creating a limited number of tradable rights to use a resource and selling them.",
        "产权拍卖",
    ),
    (
        "taxes_and_user_charges",
        "Taxes and user charges",
        "mixed",
        "Levies that make the unwanted behaviour more expensive while leaving the choice to the target.",
        "税收与使用费",
    ),
    (
        "regulation",
        "Regulation",
        "compulsory",
        "Prescriptions by the government that targets must comply with, backed by penalties.",
        "管制",
    ),
    (
        "public_enterprise",
        "Public enterprise",
        "compulsory",
        "Goods or services supplied by firms that the state owns.",
        "公共企业",
    ),
    (
        "direct_provision",
        "Direct provision",
        "compulsory",
        "Goods or services delivered by government agencies themselves, paid for from the budget.",
        "直接提供",
    ),
)


def howlett_ramesh_1995() -> Framework:
    """Howlett and Ramesh's original taxonomy (taxonomy only).

    Returns
    -------
    Framework
        Registered as ``"howlett-ramesh-1995"``.

    Examples
    --------
    >>> from policyquant.frameworks.howlett_ramesh import howlett_ramesh_1995
    >>> framework = howlett_ramesh_1995()
    >>> framework.family_keys, len(framework.instruments), framework.scale
    (('voluntary', 'mixed', 'compulsory'), 10, None)
    """
    families = (
        InstrumentFamily(
            "voluntary",
            "Voluntary instruments",
            "Little or no state involvement: the task is left to society and markets.",
            labels={"zh": "自愿性工具"},
        ),
        InstrumentFamily(
            "mixed",
            "Mixed instruments",
            "The state influences private actors' decisions but leaves the final decision to them.",
            labels={"zh": "混合性工具"},
        ),
        InstrumentFamily(
            "compulsory",
            "Compulsory instruments",
            "The state directs the targets or acts itself, leaving little or no discretion.",
            labels={"zh": "强制性工具"},
        ),
    )
    return Framework(
        name="howlett-ramesh-1995",
        title="Howlett and Ramesh's policy instruments (1995)",
        families=families,
        instruments=tuple(
            Instrument(key, label, family=family, description=description, labels={"zh": zh})
            for key, label, family, description, zh in _CLASSIC
        ),
        citation=HOWLETT_RAMESH_CITATION,
        version="1995",
        description="Policy instruments ordered by the degree of state involvement in their provision.",
    )


@hookimpl
def policyquant_register_frameworks(register: Callable[..., None]) -> None:
    """Register ``"wang2026"`` (alias ``"genai-china"``) and ``"howlett-ramesh-1995"``."""
    register(wang2026(), aliases=("genai-china",))
    register(howlett_ramesh_1995())


@hookimpl
def policyquant_register_dictionaries(register: Callable[..., None]) -> None:
    """Ship the ``"wang2026"`` starter dictionary (read only when asked for)."""
    from importlib.resources import files

    register("wang2026", files("policyquant.frameworks") / "data" / "wang2026_dictionary.toml")


def _metadata_column(documents: pd.DataFrame, column: str) -> np.ndarray:
    """A metadata column as text, "" where missing (or where the table has no such column)."""
    if column not in documents.columns:
        return np.full(len(documents), "", dtype=object)
    values = documents[column]
    return values.astype(object).where(values.notna(), "").astype(str).to_numpy(dtype=object)


@hookimpl
def policyquant_suggest_document_scores(framework: Framework, documents: pd.DataFrame) -> pd.DataFrame | None:
    """Suggest ``DA`` (authority strength) for ``"wang2026"`` from the form and the issuer, by Table 3.

    Administrative regulations (a State Council 条例, or rules it publishes by
    order) 5; other State Council (and Party Central Committee) documents 4;
    departmental rules (published by a ministry's order, 令) 3; departmental or
    provincial normative documents (opinions, measures, plans, guidelines ...)
    2; departmental or provincial working documents (notices, programmes,
    action plans ...) 1.  Table 3 has no level for laws, local regulations,
    local government rules or judicial interpretations: laws are suggested
    at the top (5), local regulations and local government rules with the
    departmental rules they rank with (3), and no level for judicial
    interpretations or municipal and county documents; ``DA_basis`` says
    which rule applied.

    Examples
    --------
    >>> import pandas as pd
    >>> from policyquant.frameworks.howlett_ramesh import policyquant_suggest_document_scores, wang2026
    >>> documents = pd.DataFrame({
    ...     "form": ["条例", "规定", "通知"], "issuer_kind": ["state_council", "department", "government"],
    ...     "level": ["national", "national", "provincial"],
    ...     "doc_number": ["国务院令第474号", "国家互联网信息办公室令第5号", "京政办发〔2023〕3号"],
    ... })
    >>> suggested = policyquant_suggest_document_scores(wang2026(), documents)
    >>> suggested["DA_suggested"].tolist()
    [5, 3, 1]
    >>> suggested["DA_basis"].iloc[1]
    'departmental rule (部门规章), published by order (规定; department; national)'
    """
    if framework.name != "wang2026":
        return None
    import pandas as pd

    from ..documents.metadata import NORMATIVE_FORMS, WORKING_FORMS

    form = _metadata_column(documents, "form")
    kind = _metadata_column(documents, "issuer_kind")
    level = _metadata_column(documents, "level")
    order = pd.Series(_metadata_column(documents, "doc_number")).str.contains("令第").to_numpy(dtype=bool)
    normative = np.isin(form, list(NORMATIVE_FORMS))
    working = np.isin(form, list(WORKING_FORMS))
    rules = np.isin(form, ["条例", "规定", "办法", "细则", "规则"])
    national, provincial = level == "national", level == "provincial"
    department = kind == "department"
    cases = [
        (kind == "court", None, "judicial interpretation (court or procuratorate): no level of Table 3"),
        (form == "", None, "document form not found: no rule of Table 3 applies"),
        ((level != "") & ~national & ~provincial, None, "Table 3 ranks national and provincial documents only"),
        ((kind == "legislature") & national, 5, "law of the National People's Congress: above administrative regulations, the top of Table 3"),
        ((kind == "state_council") & ((form == "条例") | (order & rules)), 5, "administrative regulation (行政法规)"),
        (np.isin(kind, ["state_council", "party"]) & national, 4, "State Council normative document"),
        (department & national & order, 3, "departmental rule (部门规章), published by order"),
        (department & national & normative, 2, "departmental normative document"),
        (department & national & working, 1, "departmental working document"),
        ((kind == "legislature") & provincial & rules, 3, "local regulation (地方性法规): not in Table 3, ranked with departmental rules"),
        ((kind == "government") & provincial & order, 3, "local government rule (地方政府规章), published by order: not in Table 3, ranked with departmental rules"),
        (provincial & normative, 2, "provincial normative document"),
        (provincial & working, 1, "provincial working document"),
    ]
    conditions = [np.asarray(condition, dtype=bool) for condition, _, _ in cases]
    scores = np.select(conditions, [-1 if score is None else score for _, score, _ in cases], default=-1)
    basis = np.select(conditions, [text for _, _, text in cases], default="issuer or level not found: no rule of Table 3 applies")
    facts = pd.Series(form).replace("", "form ?") + "; " + pd.Series(kind).replace("", "issuer ?") + "; " + pd.Series(level).replace("", "level ?")
    suggested = pd.array(scores, dtype="Int64")
    suggested[scores < 0] = pd.NA
    return pd.DataFrame(
        {"DA_suggested": suggested, "DA_basis": (pd.Series(basis, dtype=object) + " (" + facts + ")").to_numpy()},
        index=documents.index,
    )
