"""Classic taxonomies of policy instruments and policy topics, as taxonomy-only frameworks.

This built-in plugin registers five frameworks through one hook.  None has an
efficacy scale; every family, instrument and objective has an English and a
Chinese label, and every description is written for policyquant.

``"rothwell-zegveld-1985"``
    Supply-side (供给型), environmental (环境型) and demand-side (需求型)
    instruments after Rothwell and Zegveld (1985), with the fourteen sub-tools
    most often used in Chinese policy-text studies in the line of Zhao and Su
    (2007): five supply-side (talent cultivation, information support,
    technical support, fiscal investment, public services and
    infrastructure), five environmental (goal planning, financial support,
    tax incentives, regulation and control, strategic measures) and four
    demand-side (government procurement, service outsourcing, trade control,
    overseas institutions).  Sector studies often add demand-side tools such
    as demonstration projects or price subsidies; a plugin can extend the set.

``"hood-nato"``
    Hood's (1983) four resources of government, NATO: nodality, authority,
    treasure and organisation (Hood and Margetts 2007).

``"schneider-ingram-1990"``
    Schneider and Ingram's (1990) five kinds of tools by their behavioural
    assumptions: authority, incentive, capacity, symbolic and hortatory,
    learning.

``"mcdonnell-elmore-1987"``
    McDonnell and Elmore's (1987) four classes of instruments: mandates,
    inducements, capacity-building and system-changing.

``"cap-major-topics"``
    The 21 major topics of the Comparative Agendas Project's master codebook
    (codes 1-10, 12-21 and 23) as *objectives*: what a policy is about rather
    than how it acts.  Each topic's CAP code is an alias, so coders may type
    ``3`` for health.

Flat taxonomies (NATO, Schneider and Ingram, McDonnell and Elmore) have one
family per category holding one instrument of the same key and labels: a
coder codes the instrument, and analyses by family and by instrument agree.
Hood's detector and effector sides of each resource are described in the
codebook but not separate instruments, since policy texts mostly show
effectors.

Examples
--------
>>> from policyquant.frameworks.classic import hood_nato, rothwell_zegveld_1985
>>> rothwell_zegveld_1985().family_keys
('supply', 'environmental', 'demand')
>>> hood_nato().resolve("instrument", "财力")
'treasure'
"""

from __future__ import annotations

from collections.abc import Callable

from ..hookspecs import hookimpl
from ..model import Framework, Instrument, InstrumentFamily, Objective

__all__ = [
    "CAP_CITATION",
    "CAP_CODES",
    "HOOD_CITATION",
    "MCDONNELL_ELMORE_CITATION",
    "ROTHWELL_ZEGVELD_CITATION",
    "SCHNEIDER_INGRAM_CITATION",
    "cap_major_topics",
    "hood_nato",
    "mcdonnell_elmore_1987",
    "policyquant_register_frameworks",
    "rothwell_zegveld_1985",
    "schneider_ingram_1990",
]

#: Citation of Rothwell and Zegveld's taxonomy and of the sub-tools used in Chinese studies.
ROTHWELL_ZEGVELD_CITATION = (
    "Rothwell, R., & Zegveld, W. (1985). Reindustrialization and Technology. Harlow: Longman. "
    "Sub-tools as commonly used in Chinese studies after Zhao, X., & Su, J. (2007). "
    "基于政策工具的公共科技政策分析框架研究 [A policy-instrument framework for analysing public "
    "science and technology policy]. 科学学研究 (Studies in Science of Science), 25(1), 52-56."
)

#: Citation of Hood's NATO scheme.
HOOD_CITATION = (
    "Hood, C. (1983). The Tools of Government. London: Macmillan; Hood, C., & Margetts, H. Z. "
    "(2007). The Tools of Government in the Digital Age. Basingstoke: Palgrave Macmillan."
)

#: Citation of Schneider and Ingram's tools.
SCHNEIDER_INGRAM_CITATION = (
    "Schneider, A., & Ingram, H. (1990). Behavioral assumptions of policy tools. "
    "The Journal of Politics, 52(2), 510-529. https://doi.org/10.2307/2131904"
)

#: Citation of McDonnell and Elmore's instruments.
MCDONNELL_ELMORE_CITATION = (
    "McDonnell, L. M., & Elmore, R. F. (1987). Getting the job done: Alternative policy "
    "instruments. Educational Evaluation and Policy Analysis, 9(2), 133-152. "
    "https://doi.org/10.3102/01623737009002133"
)

#: Citation of the Comparative Agendas Project's master codebook.
CAP_CITATION = (
    "Comparative Agendas Project. Master Codebook: major topics. "
    "https://www.comparativeagendas.net/pages/master-codebook; Bevan, S. (2019). Gone fishing: "
    "The creation of the Comparative Agendas Project master codebook. In F. R. Baumgartner, "
    "C. Breunig, & E. Grossman (Eds.), Comparative Policy Agendas: Theory, Tools, Data. "
    "Oxford University Press."
)


# --------------------------------------------------------------------------
# Rothwell and Zegveld: supply, environment, demand.

_RZ_FAMILIES = (
    InstrumentFamily(
        "supply",
        "Supply-side",
        "The government pushes the activity directly by providing what it needs: people, "
        "information, technology, money and public services.",
        labels={"zh": "供给型"},
    ),
    InstrumentFamily(
        "environmental",
        "Environmental",
        "The government shapes the conditions under which the activity takes place: plans, "
        "finance and tax rules, laws and regulations, and strategic measures.",
        labels={"zh": "环境型"},
    ),
    InstrumentFamily(
        "demand",
        "Demand-side",
        "The government pulls the activity by creating or securing demand for its products and "
        "services, at home and abroad.",
        labels={"zh": "需求型"},
    ),
)

# (key, label, family, description, Chinese label, aliases)
_RZ_INSTRUMENTS = (
    (
        "talent_cultivation",
        "Talent cultivation",
        "supply",
        "Education, training, recruitment and incentives that build the specialised workforce the "
        "field needs.",
        "人才培养",
        ("Talent training", "Education and training", "人才培训", "教育培训"),
    ),
    (
        "information_support",
        "Information support",
        "supply",
        "Databases, information networks, statistics and other information services the "
        "government provides or organises.",
        "信息支持",
        ("Information services", "信息服务"),
    ),
    (
        "technical_support",
        "Technical support",
        "supply",
        "Research programmes, technical platforms and the transfer of technology that the "
        "government funds or organises.",
        "技术支持",
        ("Technology support", "科技支持"),
    ),
    (
        "fiscal_investment",
        "Fiscal investment",
        "supply",
        "Direct public funding: appropriations, special funds, grants and investment from the budget.",
        "资金投入",
        ("Funding", "Financial investment", "资金支持", "财政投入"),
    ),
    (
        "public_services",
        "Public services and infrastructure",
        "supply",
        "Facilities, platforms and supporting services that the government builds or provides for "
        "everyone in the field.",
        "公共服务",
        ("Public services", "Infrastructure", "Infrastructure construction", "基础设施建设", "基础设施"),
    ),
    (
        "goal_planning",
        "Goal planning",
        "environmental",
        "Statements of the direction, targets and priorities of development, such as plans and "
        "development strategies.",
        "目标规划",
        ("Planning", "Goal setting"),
    ),
    (
        "financial_support",
        "Financial support",
        "environmental",
        "Steering banks, capital markets and other financial channels (loans, guarantees, "
        "venture capital, insurance) toward the field.",
        "金融支持",
        ("Finance", "金融服务"),
    ),
    (
        "tax_incentives",
        "Tax incentives",
        "environmental",
        "Tax reductions, exemptions, deductions and other preferential tax treatment.",
        "税收优惠",
        ("Tax preferences", "Tax relief", "税收激励"),
    ),
    (
        "regulation_and_control",
        "Regulation and control",
        "environmental",
        "Laws, regulations, standards, approvals and supervision that set the rules actors must follow.",
        "法规管制",
        ("Regulation", "Legal regulation", "Regulatory control", "法规管控"),
    ),
    (
        "strategic_measures",
        "Strategic measures",
        "environmental",
        "Guidance and encouragement that shape the environment without binding rules or money: "
        "pilot reforms, institutional arrangements, promotion of cooperation.",
        "策略性措施",
        ("Strategic measure", "策略措施"),
    ),
    (
        "government_procurement",
        "Government procurement",
        "demand",
        "Public bodies buying the field's products and services, or giving them priority when they buy.",
        "政府采购",
        ("Public procurement",),
    ),
    (
        "service_outsourcing",
        "Service outsourcing",
        "demand",
        "The government contracting out services, such as research, operations or public "
        "services, to firms and other organisations.",
        "服务外包",
        ("Outsourcing", "Contracting out"),
    ),
    (
        "trade_control",
        "Trade control",
        "demand",
        "Rules on imports and exports (tariffs, quotas, export support) that change the demand "
        "domestic producers face.",
        "贸易管制",
        ("Trade controls", "Trade regulation"),
    ),
    (
        "overseas_institutions",
        "Overseas institutions",
        "demand",
        "Setting up or supporting branches, agencies and cooperation abroad so that domestic "
        "actors reach foreign markets.",
        "海外机构",
        ("Overseas agencies", "海外机构设立"),
    ),
)


def rothwell_zegveld_1985() -> Framework:
    """Supply-side, environmental and demand-side instruments (Rothwell and Zegveld 1985).

    Returns
    -------
    Framework
        Registered as ``"rothwell-zegveld-1985"``: three families and the
        fourteen sub-tools common in Chinese studies (5 supply-side,
        5 environmental, 4 demand-side); no objectives, no scale.

    Examples
    --------
    >>> from policyquant.frameworks.classic import rothwell_zegveld_1985
    >>> framework = rothwell_zegveld_1985()
    >>> [len([i for i in framework.instruments if i.family == f]) for f in framework.family_keys]
    [5, 5, 4]
    >>> framework.resolve("instrument", "税收优惠"), framework.family_of("政府采购").label
    ('tax_incentives', 'Demand-side')
    """
    return Framework(
        name="rothwell-zegveld-1985",
        title="Supply-side, environmental and demand-side policy instruments (Rothwell and Zegveld 1985)",
        families=_RZ_FAMILIES,
        instruments=tuple(
            Instrument(key, label, family=family, description=description, labels={"zh": zh}, aliases=aliases)
            for key, label, family, description, zh, aliases in _RZ_INSTRUMENTS
        ),
        citation=ROTHWELL_ZEGVELD_CITATION,
        version="1985",
        description=(
            "Instruments by where they act on innovation: pushing supply, shaping the environment, "
            "or pulling demand."
        ),
    )


# --------------------------------------------------------------------------
# Flat taxonomies: one family per category, one instrument each.

# (key, label, description, Chinese label, aliases)
_Category = tuple[str, str, str, str, tuple[str, ...]]


def _flat(categories: tuple[_Category, ...]) -> tuple[tuple[InstrumentFamily, ...], tuple[Instrument, ...]]:
    """One family per category, each holding one instrument with the same key, labels and rule."""
    families = tuple(
        InstrumentFamily(key, label, description, labels={"zh": zh})
        for key, label, description, zh, _ in categories
    )
    instruments = tuple(
        Instrument(key, label, family=key, description=description, labels={"zh": zh}, aliases=aliases)
        for key, label, description, zh, aliases in categories
    )
    return families, instruments


_NATO = (
    (
        "nodality",
        "Nodality",
        "Government's position at the centre of information networks: it gathers information "
        "(detectors such as registers and surveys) and gives it out (effectors such as advice, "
        "publicity and campaigns).",
        "信息",
        ("Information", "Nodal tools", "节点", "节点性", "信息工具"),
    ),
    (
        "authority",
        "Authority",
        "Government's legal power to command, forbid, permit and certify: licences, bans, "
        "mandatory requirements, and demands for information backed by law.",
        "权威",
        ("Authority tools", "权威工具"),
    ),
    (
        "treasure",
        "Treasure",
        "Government's money and other fungible assets: grants, subsidies, contracts, loans and "
        "transfers, and paying for information.",
        "财力",
        ("Money", "Finance", "财富", "财政", "财力工具"),
    ),
    (
        "organisation",
        "Organisation",
        "Government's own people, buildings, equipment and agencies, used to act directly: "
        "provision of services, inspections, infrastructure.",
        "组织",
        ("Organization", "Organisational capacity", "组织工具"),
    ),
)


def hood_nato() -> Framework:
    """Hood's NATO: nodality, authority, treasure and organisation (taxonomy only).

    Returns
    -------
    Framework
        Registered as ``"hood-nato"``: four families, each with one
        instrument of the same key.

    Examples
    --------
    >>> from policyquant.frameworks.classic import hood_nato
    >>> framework = hood_nato()
    >>> framework.family_keys
    ('nodality', 'authority', 'treasure', 'organisation')
    >>> framework.resolve("instrument", "Organization")
    'organisation'
    """
    families, instruments = _flat(_NATO)
    return Framework(
        name="hood-nato",
        title="Hood's NATO: nodality, authority, treasure and organisation (Hood 1983; Hood and Margetts 2007)",
        families=families,
        instruments=instruments,
        citation=HOOD_CITATION,
        version="2007",
        description=(
            "Tools classified by the resource of government they draw on; each resource serves "
            "to detect (take in information) and to effect (change behaviour)."
        ),
    )


_SCHNEIDER_INGRAM = (
    (
        "authority",
        "Authority tools",
        "Statements that grant permission, prohibit or require action, relying on targets "
        "obeying legitimate hierarchical power.",
        "权威工具",
        ("Authority", "权威"),
    ),
    (
        "incentive",
        "Incentive tools",
        "Tangible payoffs, positive or negative (inducements, charges, sanctions, force), that "
        "assume targets weigh costs and benefits.",
        "激励工具",
        ("Incentives", "Incentive", "激励"),
    ),
    (
        "capacity",
        "Capacity tools",
        "Information, training, education and resources that enable targets who lack the means "
        "to act as the policy wants.",
        "能力建设工具",
        ("Capacity", "Capacity-building tools", "能力工具", "能力建设"),
    ),
    (
        "symbolic_hortatory",
        "Symbolic and hortatory tools",
        "Appeals to values, beliefs and identities (images, labels, exhortation) that assume "
        "targets act on their convictions.",
        "象征与劝诫工具",
        ("Symbolic and hortatory", "Hortatory tools", "Symbolic tools", "符号与劝诫工具", "象征劝诫工具"),
    ),
    (
        "learning",
        "Learning tools",
        "Procedures that let agencies and targets learn what works when the problem or the means "
        "are uncertain: evaluations, hearings, experiments, policy networks.",
        "学习工具",
        ("Learning", "学习"),
    ),
)


def schneider_ingram_1990() -> Framework:
    """Schneider and Ingram's five kinds of policy tools (taxonomy only).

    Returns
    -------
    Framework
        Registered as ``"schneider-ingram-1990"``: five families, each with
        one instrument of the same key.

    Examples
    --------
    >>> from policyquant.frameworks.classic import schneider_ingram_1990
    >>> framework = schneider_ingram_1990()
    >>> framework.family_keys
    ('authority', 'incentive', 'capacity', 'symbolic_hortatory', 'learning')
    >>> framework.resolve("instrument", "象征与劝诫工具")
    'symbolic_hortatory'
    """
    families, instruments = _flat(_SCHNEIDER_INGRAM)
    return Framework(
        name="schneider-ingram-1990",
        title="Behavioural assumptions of policy tools (Schneider and Ingram 1990)",
        families=families,
        instruments=instruments,
        citation=SCHNEIDER_INGRAM_CITATION,
        version="1990",
        description=(
            "Tools classified by what they assume makes targets act: obedience, calculation, "
            "capacity, values or learning."
        ),
    )


_MCDONNELL_ELMORE = (
    (
        "mandates",
        "Mandates",
        "Rules governing the actions of individuals and agencies, meant to produce compliance; "
        "enforcement is the cost.",
        "命令",
        ("Mandate", "Mandating", "命令型", "命令性工具"),
    ),
    (
        "inducements",
        "Inducements",
        "Transfers of money to agencies or individuals in return for certain actions, meant to "
        "produce goods or services in the short term.",
        "激励",
        ("Inducement", "激励型", "诱因", "激励性工具"),
    ),
    (
        "capacity_building",
        "Capacity-building",
        "Investment of money in material, intellectual or human resources, meant to yield "
        "returns in the longer term.",
        "能力建设",
        ("Capacity building", "能力建设型", "能力建设工具"),
    ),
    (
        "system_changing",
        "System-changing",
        "Transfers of official authority among individuals and agencies, meant to change who "
        "delivers public goods and services.",
        "系统变革",
        ("System changing", "System change", "系统变革型", "体制变革"),
    ),
)


def mcdonnell_elmore_1987() -> Framework:
    """McDonnell and Elmore's four policy instruments (taxonomy only).

    Returns
    -------
    Framework
        Registered as ``"mcdonnell-elmore-1987"``: four families, each with
        one instrument of the same key.

    Examples
    --------
    >>> from policyquant.frameworks.classic import mcdonnell_elmore_1987
    >>> framework = mcdonnell_elmore_1987()
    >>> framework.family_keys
    ('mandates', 'inducements', 'capacity_building', 'system_changing')
    >>> framework.resolve("instrument", "系统变革")
    'system_changing'
    """
    families, instruments = _flat(_MCDONNELL_ELMORE)
    return Framework(
        name="mcdonnell-elmore-1987",
        title="Alternative policy instruments (McDonnell and Elmore 1987)",
        families=families,
        instruments=instruments,
        citation=MCDONNELL_ELMORE_CITATION,
        version="1987",
        description=(
            "Instruments classified by the mechanism through which government gets the job done: "
            "rules, money for action, investment in capacity, or redistribution of authority."
        ),
    )


# --------------------------------------------------------------------------
# Comparative Agendas Project major topics, as objectives.

# (code, key, master-codebook label, longer title, description, Chinese label, other aliases)
_CAP_TOPICS = (
    (
        1,
        "macroeconomics",
        "Macroeconomics",
        "Macroeconomics",
        "The economy as a whole: growth, inflation, unemployment, interest rates, budgets, "
        "public debt and taxation in general.",
        "宏观经济",
        (),
    ),
    (
        2,
        "civil_rights",
        "Civil Rights",
        "Civil Rights, Minority Issues, and Civil Liberties",
        "Equal treatment and discrimination, the rights of minorities, and civil liberties such "
        "as speech, religion, privacy and voting.",
        "公民权利",
        ("Civil liberties", "公民权利与自由"),
    ),
    (
        3,
        "health",
        "Health",
        "Health",
        "Health care, insurance, public health, medical facilities and professions, drugs and "
        "disease prevention.",
        "卫生健康",
        ("Health care", "医疗卫生", "卫生"),
    ),
    (
        4,
        "agriculture",
        "Agriculture",
        "Agriculture",
        "Farming, farm support and trade, food safety and inspection, animal and crop disease, fisheries.",
        "农业",
        (),
    ),
    (
        5,
        "labor",
        "Labor",
        "Labor and Employment",
        "Employment, working conditions and safety, training of workers, labour relations, "
        "pensions and migrant and seasonal workers.",
        "劳动就业",
        ("Labour", "Labor and employment", "Labour and employment", "劳动与就业"),
    ),
    (
        6,
        "education",
        "Education",
        "Education",
        "Schools and universities, vocational and special education, teachers, and educational "
        "standards and finance.",
        "教育",
        (),
    ),
    (
        7,
        "environment",
        "Environment",
        "Environment",
        "Pollution of air, water and soil, waste, climate change, conservation and the "
        "protection of species and ecosystems.",
        "环境",
        ("Environmental protection", "环境保护"),
    ),
    (
        8,
        "energy",
        "Energy",
        "Energy",
        "Supply, prices and conservation of energy: electricity, oil, gas, coal, nuclear and "
        "renewable energy.",
        "能源",
        (),
    ),
    (
        9,
        "immigration",
        "Immigration",
        "Immigration",
        "Immigration and emigration, refugees and asylum, citizenship and the integration of immigrants.",
        "移民",
        (),
    ),
    (
        10,
        "transportation",
        "Transportation",
        "Transportation",
        "Roads, railways, air and maritime transport, public transit and transport safety and "
        "infrastructure.",
        "交通运输",
        ("Transport", "交通"),
    ),
    (
        12,
        "law_and_crime",
        "Law and Crime",
        "Law, Crime, and Family Issues",
        "Crime and policing, courts, prisons, criminal and family law, drugs and juvenile justice.",
        "法律与犯罪",
        ("Law, crime and family issues", "Crime", "法治与犯罪"),
    ),
    (
        13,
        "social_welfare",
        "Social Welfare",
        "Social Welfare",
        "Assistance to low-income people, the elderly, people with disabilities and families, "
        "and social services.",
        "社会福利",
        ("Welfare",),
    ),
    (
        14,
        "housing",
        "Housing",
        "Community Development and Housing Issues",
        "Housing supply and finance, urban and rural community development and planning, and homelessness.",
        "住房",
        ("Community development and housing", "住房与社区发展"),
    ),
    (
        15,
        "domestic_commerce",
        "Domestic Commerce",
        "Banking, Finance, and Domestic Commerce",
        "Banking and financial markets, business regulation, small business, consumer "
        "protection, intellectual property and tourism.",
        "国内商业",
        ("Banking, finance, and domestic commerce", "金融与国内商业"),
    ),
    (
        16,
        "defense",
        "Defense",
        "Defense",
        "The armed forces, military procurement and bases, veterans, civil defence and national security.",
        "国防",
        ("Defence",),
    ),
    (
        17,
        "technology",
        "Technology",
        "Space, Science, Technology, and Communications",
        "Space, scientific research and development, technology transfer, telecommunications, "
        "broadcasting, the internet and computing.",
        "科学技术",
        ("Space, science, technology and communications", "Science and technology", "科技"),
    ),
    (
        18,
        "foreign_trade",
        "Foreign Trade",
        "Foreign Trade",
        "Trade agreements and negotiations, tariffs and import restrictions, export promotion, "
        "exchange rates and foreign investment.",
        "对外贸易",
        ("Trade", "外贸"),
    ),
    (
        19,
        "international_affairs",
        "International Affairs",
        "International Affairs and Foreign Aid",
        "Relations with other countries and international organisations, foreign aid, "
        "diplomacy and human rights abroad.",
        "国际事务",
        ("International affairs and foreign aid", "Foreign affairs", "外交"),
    ),
    (
        20,
        "government_operations",
        "Government Operations",
        "Government Operations",
        "How government itself works: the civil service, public administration and its agencies, "
        "elections and campaigns, and relations between levels of government.",
        "政府运作",
        ("Government operation", "政府运行", "政府事务"),
    ),
    (
        21,
        "public_lands",
        "Public Lands",
        "Public Lands and Water Management",
        "Public lands, national parks, forests, water resources and territorial issues.",
        "公共土地",
        ("Public lands and water management", "公共土地与水资源管理"),
    ),
    (
        23,
        "culture",
        "Culture",
        "Cultural Policy Issues",
        "Arts, heritage, cultural institutions and cultural policy.",
        "文化",
        ("Cultural policy", "文化政策"),
    ),
)

#: The CAP major-topic codes, by objective key (1-10, 12-21 and 23; there is no 11 or 22).
CAP_CODES: dict[str, int] = {key: code for code, key, *_ in _CAP_TOPICS}


def cap_major_topics() -> Framework:
    """The Comparative Agendas Project's 21 major topics, as objectives.

    Each topic's CAP code (as text, e.g. ``"3"``) and the codebook's longer
    title are aliases, so coding sheets may hold either.

    Returns
    -------
    Framework
        Registered as ``"cap-major-topics"``: 21 objectives; no instruments,
        no scale.

    Examples
    --------
    >>> from policyquant.frameworks.classic import cap_major_topics
    >>> framework = cap_major_topics()
    >>> len(framework.objectives), framework.resolve("objective", "3"), framework.resolve("objective", "文化")
    (21, 'health', 'culture')
    >>> framework.resolve("objective", "Banking, Finance, and Domestic Commerce")
    'domestic_commerce'
    """
    objectives = tuple(
        Objective(
            key,
            label,
            description,
            labels={"zh": zh},
            aliases=tuple(
                dict.fromkeys(
                    alias
                    for alias in (str(code), f"CAP {code}", title, *aliases)
                    if alias.casefold() != label.casefold()
                )
            ),
        )
        for code, key, label, title, description, zh, aliases in _CAP_TOPICS
    )
    return Framework(
        name="cap-major-topics",
        title="Comparative Agendas Project major topics",
        objectives=objectives,
        citation=CAP_CITATION,
        version="master codebook",
        description=(
            "The policy content of a text by the major topics of the Comparative Agendas "
            "Project's master codebook, with their CAP codes as aliases."
        ),
    )


@hookimpl
def policyquant_register_frameworks(register: Callable[..., None]) -> None:
    """Register the five classic taxonomies.

    Examples
    --------
    >>> from policyquant.plugins import DEFAULT_PLUGINS, FrameworkRegistry
    >>> plugins = tuple(dict.fromkeys((*DEFAULT_PLUGINS, "policyquant.frameworks.classic")))
    >>> registry = FrameworkRegistry(default_plugins=plugins, entry_point_group=None)
    >>> [name for name in registry.names() if registry.entry(name).plugin.endswith("classic")]
    ['rothwell-zegveld-1985', 'hood-nato', 'schneider-ingram-1990', 'mcdonnell-elmore-1987', 'cap-major-topics']
    """
    register(rothwell_zegveld_1985())
    register(hood_nato())
    register(schneider_ingram_1990())
    register(mcdonnell_elmore_1987())
    register(cap_major_topics())
