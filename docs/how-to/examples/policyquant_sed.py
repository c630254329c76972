"""A policyquant plugin: supply-, environment- and demand-side innovation-policy instruments.

An illustrative framework after Rothwell and Zegveld's classification of innovation-policy
instruments by the side of the innovation process they act on, with two objectives and a
two-dimensional strength scale.  It is the worked example of the documentation's how-to
"Write a framework plugin"; the instruments are a small selection, not a complete codebook.
"""

import policyquant as pq

FAMILIES = [
    pq.InstrumentFamily(
        "supply",
        "Supply side",
        "The state supplies the inputs of innovation: people, money, knowledge.",
        labels={"zh": "供给型"},
    ),
    pq.InstrumentFamily(
        "environment",
        "Environment side",
        "The state shapes the conditions innovators work in: taxes, rules, finance.",
        labels={"zh": "环境型"},
    ),
    pq.InstrumentFamily(
        "demand",
        "Demand side",
        "The state creates or guarantees demand for innovations.",
        labels={"zh": "需求型"},
    ),
]

INSTRUMENTS = [
    pq.Instrument(
        "talent_training",
        "Talent training",
        family="supply",
        description="Training, attracting or funding researchers and skilled staff.",
        labels={"zh": "人才培养"},
        aliases=["Human capital"],
    ),
    pq.Instrument(
        "research_funding",
        "Research funding",
        family="supply",
        description="Grants and public funds for research and development.",
        labels={"zh": "资金投入"},
    ),
    pq.Instrument(
        "tax_incentives",
        "Tax incentives",
        family="environment",
        description="Tax credits, deductions and reduced rates for innovating firms.",
        labels={"zh": "税收优惠"},
        aliases=["Tax credits"],
    ),
    pq.Instrument(
        "regulation",
        "Regulation and control",
        family="environment",
        description="Rules, standards and approvals that innovators must comply with.",
        labels={"zh": "法规管制"},
    ),
    pq.Instrument(
        "public_procurement",
        "Public procurement",
        family="demand",
        description="The state buying innovative products and services.",
        labels={"zh": "政府采购"},
    ),
    pq.Instrument(
        "demonstration",
        "Demonstration projects",
        family="demand",
        description="Showcasing new products in public pilot applications.",
        labels={"zh": "示范工程"},
    ),
]

OBJECTIVES = [
    pq.Objective(
        "capability",
        "Innovation capability",
        "Strengthening what firms and institutes can research and develop.",
        labels={"zh": "创新能力"},
    ),
    pq.Objective(
        "diffusion",
        "Diffusion and adoption",
        "Getting innovations used in the economy and in public services.",
        labels={"zh": "推广应用"},
    ),
]

STRENGTH = pq.FormulaScale(
    [
        pq.Dimension(
            "PL",
            "Policy level",
            [
                pq.Level(3, "Law or State Council document", labels={"zh": "法律或国务院文件"}),
                pq.Level(2, "Ministerial document", labels={"zh": "部委文件"}),
                pq.Level(1, "Local document", labels={"zh": "地方文件"}),
            ],
            unit="document",
        ),
        pq.Dimension(
            "SP",
            "Specificity",
            [
                pq.Level(3, "Quantified target", labels={"zh": "量化目标"}),
                pq.Level(2, "Concrete measure", labels={"zh": "具体措施"}),
                pq.Level(1, "Statement of principle", labels={"zh": "原则表述"}),
            ],
        ),
    ],
    "PL * SP",
    name="strength",
    label="Policy strength",
)


def sed_framework():
    """Return the supply-, environment- and demand-side framework."""
    return pq.Framework(
        "sed-innovation",
        "Supply-, environment- and demand-side innovation policy (illustrative)",
        families=FAMILIES,
        instruments=INSTRUMENTS,
        objectives=OBJECTIVES,
        scale=STRENGTH,
        citation="After Rothwell, R., & Zegveld, W. (1981). Industrial Innovation and Public Policy.",
        version="0.1",
    )


@pq.hookimpl
def policyquant_register_frameworks(register):
    register(sed_framework(), aliases=["supply-environment-demand"])
