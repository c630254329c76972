"""Peng, Sun and Zhong's policy quantification: strength, measures, goals and efficacy.

This built-in plugin registers one framework through the same hook that
third-party plugins use:

``"peng2008"``
    The policy-quantification scheme of Peng, Sun and Zhong (2008)
    (彭纪生、孙文祥、仲为国), who scored China's technology-innovation
    policies of 1978-2006 on three dimensions: the *strength* of a policy
    (its legal rank, from the issuing body and the form of the document), its
    *measures* (how concrete and forceful the means are) and its *goals*
    (how clear and measurable the aims are), each from 1 to 5.  A policy's
    efficacy is ``strength * (measures + goals)``, from 2 to 50.  A scale
    only: no instrument taxonomy and no objectives.

**Whole policies or clauses.**  Peng et al. scored whole policies.  Here
``strength`` is scored per document (like the study's ``DA``) and
``measures`` and ``goals`` per coded unit, so that the rest of policyquant
(:func:`policyquant.efficacy`, :func:`policyquant.trends`, ...) works clause
by clause as it does for the study's framework.  A policy scored as a whole
is then simply a document with one unit.  :func:`policy_efficacy` turns
either kind of coding into one efficacy per policy:

* where the documents table holds a document's ``measures`` or ``goals``
  (whole-policy scores, as Peng et al. coded), that score is used;
* otherwise the document's score is the mean over its clauses.

Because the formula is linear in ``measures`` and ``goals`` and ``strength``
is constant within a document, the second rule gives exactly the mean of the
document's clause efficacies.  :func:`yearly_efficacy` sums and averages these
policy efficacies by year, as a flow (the year's new policies) or as a stock
(every policy issued so far, assuming none expires).

The scoring rubrics are written for policyquant from the standard used in the
Chinese policy-quantification literature that follows Peng et al.; they are
not a translation of the paper's tables.  Studies in Peng et al.'s line also
classify measures by type (for example administrative, fiscal and tax,
financial, personnel); no such types are included as instruments, because
the paper's own list could not be checked here.  A plugin can add them as an
instrument taxonomy.

Examples
--------
>>> from policyquant.frameworks.peng2008 import peng2008
>>> framework = peng2008()
>>> framework.parts, framework.scale.formula
(('scale',), 'strength * (measures + goals)')
>>> framework.scale.min_score, framework.scale.max_score
(2.0, 50.0)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import ValidationError
from ..hookspecs import hookimpl
from ..model import Dimension, FormulaScale, Framework, Level

if TYPE_CHECKING:
    from ..corpus import Corpus

__all__ = [
    "PENG2008_CITATION",
    "PENG2008_DIMENSIONS",
    "PENG2008_SCALE",
    "peng2008",
    "policy_efficacy",
    "policyquant_register_frameworks",
    "policyquant_suggest_document_scores",
    "yearly_efficacy",
]

#: Citation of the work the framework comes from.
PENG2008_CITATION = (
    "Peng, J., Sun, W., & Zhong, W. (2008). 中国技术创新政策演变与绩效实证研究 (1978-2006) "
    "[The evolution and performance of China's technology innovation policies, 1978-2006: "
    "an empirical study]. 科研管理 (Science Research Management), 29(4), 134-150. "
    "(彭纪生, 孙文祥, 仲为国)"
)

#: The keys of the three dimensions, in the order of the formula.
PENG2008_DIMENSIONS = ("strength", "measures", "goals")

_STRENGTH = Dimension(
    "strength",
    "Policy strength",
    (
        Level(
            5,
            "Laws",
            "Laws adopted by the National People's Congress or its Standing Committee.",
            labels={"zh": "法律"},
            aliases=("Law", "NPC laws", "全国人大及其常委会颁布的法律"),
        ),
        Level(
            4,
            "State Council regulations and orders",
            "Administrative regulations (条例) and orders issued by the State Council.",
            labels={"zh": "国务院条例、命令"},
            aliases=("Administrative regulations", "行政法规", "国务院条例"),
        ),
        Level(
            3,
            "Provisional regulations, decisions and ministerial rules",
            "Provisional regulations and decisions of the State Council, and the orders and "
            "rules (部门规章) issued by ministries and commissions.",
            labels={"zh": "国务院暂行条例、决定，部门规章"},
            aliases=("Departmental rules", "Ministerial rules", "部门规章", "暂行条例"),
        ),
        Level(
            2,
            "Ministerial opinions, programmes and measures",
            "Opinions, programmes, measures (办法) and provisional provisions issued by "
            "ministries and commissions.",
            labels={"zh": "部委意见、方案、办法、暂行规定"},
            aliases=("Opinions", "Ministerial opinions", "意见", "办法"),
        ),
        Level(
            1,
            "Notices and announcements",
            "Notices, announcements and similar working documents.",
            labels={"zh": "通知、公告"},
            aliases=("Notices", "通知", "公告"),
        ),
    ),
    unit="document",
    description=(
        "The legal rank of the policy: the higher the issuing body and the more formal the "
        "type of document, the stronger the policy."
    ),
    labels={"zh": "政策力度"},
)

_MEASURES = Dimension(
    "measures",
    "Policy measures",
    (
        Level(
            5,
            "Specific, quantified and strong",
            "The measures are spelled out item by item, with quantified standards (amounts, "
            "rates, quotas, deadlines) and a stated way of enforcing or checking them.",
            labels={"zh": "措施具体、量化、力度强"},
        ),
        Level(
            4,
            "Specific",
            "The measures are concrete and detailed in most respects, but without quantified "
            "standards or without a way of enforcing them.",
            labels={"zh": "措施较具体"},
        ),
        Level(
            3,
            "Fairly concrete",
            "The measures are named and it is said broadly how they apply, but most details "
            "are left to later documents.",
            labels={"zh": "措施较明确"},
        ),
        Level(
            2,
            "General",
            "The measures are stated as a general direction, with hardly any indication of how "
            "they would be carried out.",
            labels={"zh": "措施笼统"},
        ),
        Level(
            1,
            "Measures only mentioned",
            "Measures are only mentioned in passing.",
            labels={"zh": "仅提及措施"},
            aliases=("Only mentioned",),
        ),
    ),
    unit="unit",
    description="How concrete, forceful and enforceable the means the policy sets out are.",
    labels={"zh": "政策措施"},
)

_GOALS = Dimension(
    "goals",
    "Policy goals",
    (
        Level(
            5,
            "Clear and quantified",
            "The goals are stated precisely, with quantitative targets or deadlines against "
            "which achievement can be measured.",
            labels={"zh": "目标明确且量化"},
        ),
        Level(
            4,
            "Clear",
            "The goals are clear and specific; some are quantified or tied to explicit standards.",
            labels={"zh": "目标明确"},
        ),
        Level(
            3,
            "Fairly clear",
            "The goals are stated clearly in words, but without quantitative targets.",
            labels={"zh": "目标较明确"},
        ),
        Level(
            2,
            "Vague",
            "The goals are expressed only as general intentions.",
            labels={"zh": "目标模糊"},
        ),
        Level(
            1,
            "Goals only mentioned",
            "Goals are only mentioned in passing, or only implied.",
            labels={"zh": "仅提及目标"},
            aliases=("Only mentioned",),
        ),
    ),
    unit="unit",
    description="How clear and measurable the aims the policy sets are.",
    labels={"zh": "政策目标"},
)

#: Peng et al.'s policy efficacy, strength x (measures + goals), from 2 to 50.
PENG2008_SCALE = FormulaScale(
    (_STRENGTH, _MEASURES, _GOALS),
    "strength * (measures + goals)",
    name="efficacy",
    label="Policy efficacy",
)


def peng2008() -> Framework:
    """Peng, Sun and Zhong's (2008) policy quantification: a scale only.

    Returns
    -------
    Framework
        Registered as ``"peng2008"``: no families, instruments or objectives,
        and the scale :data:`PENG2008_SCALE`.

    Examples
    --------
    >>> from policyquant.frameworks.peng2008 import peng2008
    >>> scale = peng2008().scale
    >>> scale.dimension_keys, scale.name
    (('strength', 'measures', 'goals'), 'efficacy')
    >>> scale.dimension("strength").level("部门规章").score
    3
    """
    return Framework(
        name="peng2008",
        title="Policy strength, measures, goals and efficacy (Peng, Sun and Zhong 2008)",
        scale=PENG2008_SCALE,
        citation=PENG2008_CITATION,
        version="2008",
        description=(
            "Quantification of policies by strength (legal rank), measures and goals, each "
            "scored 1 to 5, and efficacy = strength x (measures + goals)."
        ),
    )


def _check_dimensions(corpus: Corpus) -> None:
    scale = corpus.framework.scale
    keys = () if scale is None else scale.dimension_keys
    missing = [key for key in PENG2008_DIMENSIONS if key not in keys]
    if missing:
        raise ValidationError(
            f"framework {corpus.framework.name!r} has no dimension(s) {', '.join(missing)}; "
            "policy efficacy needs the dimensions strength, measures and goals of 'peng2008'"
        )
    if scale.dimension("strength").unit != "document":
        raise ValidationError("the dimension 'strength' must be scored per document (unit='document')")


def _document_scores(corpus: Corpus, key: str) -> np.ndarray:
    """One score per document: the whole-policy score where given, else the mean over its clauses."""
    dimension = corpus.framework.scale.dimension(key)
    documents, units = corpus.documents, corpus.units
    values = np.full(len(documents), np.nan)
    if dimension.unit == "unit" and key in units.columns:
        positions = corpus.unit_document_positions()
        counts = np.bincount(positions, minlength=len(documents))
        sums = np.bincount(
            positions,
            weights=units[key].to_numpy(dtype=np.float64, na_value=np.nan),
            minlength=len(documents),
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            values = np.where(counts > 0, sums / counts, np.nan)
    if key in documents.columns:
        column = documents[key]
        given = column.notna().to_numpy(dtype=bool)
        if given.any():
            # Whole-policy scores: kept as text by the corpus when the dimension is
            # unit-level, so they are checked against the levels here.
            values[given] = dimension.coerce(column[given], source="documents", column=key)
    return values


def policy_efficacy(corpus: Corpus) -> pd.DataFrame:
    """Peng et al.'s efficacy of every policy (document): strength x (measures + goals).

    Parameters
    ----------
    corpus : Corpus
        Coded under ``"peng2008"`` or another framework whose scale has the
        dimensions ``strength`` (per document), ``measures`` and ``goals``.
        Documents carry ``strength``; ``measures`` and ``goals`` come from the
        documents table where it has them (whole-policy scores), otherwise
        they are the means over the document's clauses.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``doc_id``, one row per document, with the columns
        ``year``, ``strength``, ``measures``, ``goals`` (the document's
        scores, means where averaged over clauses) and ``efficacy``.

    Raises
    ------
    ValidationError
        If the framework lacks the dimensions, the documents have no
        ``strength``, or a document has neither whole-policy ``measures`` and
        ``goals`` nor scored clauses.
    ScoreError
        If a whole-policy score in the documents table is not a level.

    Examples
    --------
    >>> import pandas as pd
    >>> import policyquant as pq
    >>> from policyquant.frameworks.peng2008 import peng2008, policy_efficacy
    >>> documents = pd.DataFrame({"doc_id": ["A", "B"], "year": [2006, 2006], "strength": [4, "通知"]})
    >>> units = pd.DataFrame({
    ...     "unit_id": ["A-1-1", "A-1-2", "B-1-1"],
    ...     "measures": [5, 3, 1], "goals": [4, 2, 1],
    ... })
    >>> policy_efficacy(pq.Corpus(documents, units, framework=peng2008()))
            year  strength  measures  goals  efficacy
    doc_id
    A       2006       4.0       4.0    3.0      28.0
    B       2006       1.0       1.0    1.0       2.0
    """
    _check_dimensions(corpus)
    documents = corpus.documents
    if "strength" not in documents.columns:
        raise ValidationError("policy efficacy needs each document's strength: give a strength column")
    strength = documents["strength"].to_numpy(dtype=np.float64, na_value=np.nan)
    measures = _document_scores(corpus, "measures")
    goals = _document_scores(corpus, "goals")
    unscored = np.isnan(measures) | np.isnan(goals)
    if unscored.any():
        doc_ids = documents.loc[unscored, "doc_id"].tolist()
        raise ValidationError(
            f"{len(doc_ids)} document(s) have no measures or goals: neither whole-policy scores in "
            "the documents table nor scored clauses",
            [
                {"column": "doc_id", "value": doc_id, "problem": "no measures or goals score"}
                for doc_id in doc_ids[:1000]
            ],
        )
    year = documents["year"] if "year" in documents.columns else pd.Series(pd.NA, index=documents.index)
    return pd.DataFrame(
        {
            "year": year.astype("Int64").array,
            "strength": strength,
            "measures": measures,
            "goals": goals,
            "efficacy": strength * (measures + goals),
        },
        index=pd.Index(documents["doc_id"].to_numpy(dtype=object), name="doc_id"),
    )


def yearly_efficacy(corpus: Corpus, stock: bool = False) -> pd.DataFrame:
    """Total and mean policy efficacy per year, as a flow or as a stock.

    Each policy (document) counts once with its efficacy from
    :func:`policy_efficacy`; unlike :func:`policyquant.trends`, whose efficacy
    runs over clauses, a long policy weighs no more than a short one.

    Parameters
    ----------
    corpus : Corpus
        As for :func:`policy_efficacy`; every document needs a year.
    stock : bool, default False
        ``False`` for the flow: the policies issued each year.  ``True`` for
        the stock: every policy issued up to and including the year (policies
        are assumed to stay in force).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``year``, every year from the first to the last (years
        without policies as zeros), with the columns ``policies`` (how many),
        ``efficacy_total`` (the sum of their efficacies) and
        ``efficacy_mean`` (total / policies; missing for a flow year without
        policies).

    Raises
    ------
    ValidationError
        As :func:`policy_efficacy`, or if a document has no year.

    Examples
    --------
    >>> import pandas as pd
    >>> import policyquant as pq
    >>> from policyquant.frameworks.peng2008 import peng2008, yearly_efficacy
    >>> documents = pd.DataFrame({
    ...     "doc_id": ["A", "B", "C"], "year": [2005, 2005, 2007], "strength": [5, 2, 3],
    ... })
    >>> units = pd.DataFrame({
    ...     "unit_id": ["A-1-1", "B-1-1", "C-1-1", "C-1-2"],
    ...     "measures": [5, 3, 2, 4], "goals": [5, 1, 3, 3],
    ... })
    >>> corpus = pq.Corpus(documents, units, framework=peng2008())
    >>> yearly_efficacy(corpus)
          policies  efficacy_total  efficacy_mean
    year
    2005         2            58.0           29.0
    2006         0             0.0            NaN
    2007         1            18.0           18.0
    >>> yearly_efficacy(corpus, stock=True)["efficacy_total"].tolist()
    [58.0, 58.0, 76.0]
    """
    # Imported here: the analysis package is heavy, and registering the framework (which every
    # command does, `policyquant frameworks` included) must not pay for it.
    from ..analysis.trends import period_codes

    table = policy_efficacy(corpus)
    years = table["year"].to_numpy(dtype=np.float64, na_value=np.nan)
    if np.isnan(years).any():
        missing = table.index[np.isnan(years)].tolist()
        raise ValidationError(
            f"{len(missing)} document(s) have no year: {', '.join(map(str, missing[:10]))}"
            + (" ..." if len(missing) > 10 else "")
            + "; yearly efficacy needs a year (or date) column"
        )
    codes, labels = period_codes(years, None)
    size = len(labels)
    policies = np.bincount(codes, minlength=size)
    total = np.bincount(codes, weights=table["efficacy"].to_numpy(dtype=np.float64), minlength=size)
    if stock:
        policies, total = np.cumsum(policies), np.cumsum(total)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(policies > 0, total / np.maximum(policies, 1), np.nan)
    return pd.DataFrame(
        {"policies": policies.astype(np.int64), "efficacy_total": total, "efficacy_mean": mean},
        index=labels,
    )


@hookimpl
def policyquant_register_frameworks(register: Callable[..., None]) -> None:
    """Register ``"peng2008"``.

    Examples
    --------
    >>> from policyquant.plugins import DEFAULT_PLUGINS, FrameworkRegistry
    >>> plugins = tuple(dict.fromkeys((*DEFAULT_PLUGINS, "policyquant.frameworks.peng2008")))
    >>> registry = FrameworkRegistry(default_plugins=plugins, entry_point_group=None)
    >>> registry.get("peng2008").scale.formula
    'strength * (measures + goals)'
    """
    register(peng2008())


def _metadata_column(documents: pd.DataFrame, column: str) -> np.ndarray:
    """A metadata column as text, "" where missing (or where the table has no such column)."""
    if column not in documents.columns:
        return np.full(len(documents), "", dtype=object)
    values = documents[column]
    return values.astype(object).where(values.notna(), "").astype(str).to_numpy(dtype=object)


@hookimpl
def policyquant_suggest_document_scores(framework: Framework, documents: pd.DataFrame) -> pd.DataFrame | None:
    """Suggest ``strength`` for ``"peng2008"`` from the issuer, the form and the document number.

    Laws of the NPC or its Standing Committee 5; State Council regulations
    (条例) and orders 4; State Council provisional regulations, decisions and
    other State Council documents that set norms, and ministerial rules
    (published by order, or a ministry's 条例/规定) 3; ministerial opinions,
    programmes, measures and provisional provisions 2; notices and
    announcements (and other working documents) 1.  Peng et al. scored
    central policies: a provincial or local document gets no suggestion.

    Examples
    --------
    >>> import pandas as pd
    >>> from policyquant.frameworks.peng2008 import peng2008, policyquant_suggest_document_scores
    >>> documents = pd.DataFrame({
    ...     "form": ["法", "条例", "意见", "通知"], "provisional": [None, "暂行", None, None],
    ...     "issuer_kind": ["legislature", "state_council", "department", "department"],
    ...     "level": ["national"] * 4, "doc_number": [None, "国务院令第259号", "工信部科〔2023〕1号", None],
    ... })
    >>> policyquant_suggest_document_scores(peng2008(), documents)["strength_suggested"].tolist()
    [5, 3, 2, 1]
    """
    if framework.name != "peng2008":
        return None
    from ..documents.metadata import NORMATIVE_FORMS, WORKING_FORMS

    form = _metadata_column(documents, "form")
    provisional = _metadata_column(documents, "provisional") == "暂行"
    kind = _metadata_column(documents, "issuer_kind")
    level = _metadata_column(documents, "level")
    order = pd.Series(_metadata_column(documents, "doc_number")).str.contains("令第").to_numpy(dtype=bool)
    normative = np.isin(form, list(NORMATIVE_FORMS))
    working = np.isin(form, list(WORKING_FORMS))
    central = np.isin(kind, ["state_council", "party"])
    department = kind == "department"
    cases = [
        (kind == "court", None, "judicial interpretation: not on Peng et al.'s scale"),
        (form == "", None, "document form not found: no rule applies"),
        ((level != "") & (level != "national"), None, "Peng et al.'s strength ranks central (national) policies only"),
        (kind == "legislature", 5, "law (法律) of the NPC or its Standing Committee"),
        (central & ~provisional & ((form == "条例") | (order & np.isin(form, ["规定", "办法"]))), 4, "State Council regulation or order (国务院条例、命令)"),
        (central & (provisional | (form == "决定")), 3, "State Council provisional regulation or decision (国务院暂行条例、决定)"),
        (central & (normative | np.isin(form, ["方案", "计划"])), 3, "other State Council document that sets norms, ranked with its decisions"),
        (department & (order | (np.isin(form, ["条例", "规定"]) & ~provisional)), 3, "ministerial rule (部门规章) or order"),
        (department & (normative | np.isin(form, ["方案", "计划"])), 2, "ministerial opinion, programme or measures (部委意见、方案、办法、暂行规定)"),
        (working & (kind != ""), 1, "notice, announcement or other working document (通知、公告)"),
    ]
    conditions = [np.asarray(condition, dtype=bool) for condition, _, _ in cases]
    scores = np.select(conditions, [-1 if score is None else score for _, score, _ in cases], default=-1)
    basis = np.select(conditions, [text for _, _, text in cases], default="issuer not found: no rule applies")
    facts = pd.Series(form).replace("", "form ?") + "; " + pd.Series(kind).replace("", "issuer ?") + "; " + pd.Series(level).replace("", "level ?")
    suggested = pd.array(scores, dtype="Int64")
    suggested[scores < 0] = pd.NA
    return pd.DataFrame(
        {"strength_suggested": suggested, "strength_basis": (pd.Series(basis, dtype=object) + " (" + facts + ")").to_numpy()},
        index=documents.index,
    )
