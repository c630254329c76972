"""Agreement between coders' corpora: one report per coded dimension, the disagreements, adjudication.

Each coder codes the same documents into a :class:`~policyquant.Corpus` of their
own.  :func:`agreement_report` aligns the coders' corpora on ``unit_id`` (and
``doc_id`` for document-level scores) and measures agreement on every coded
dimension: the instrument, each objective as present or absent, and each
score.  :func:`disagreements` lists what to adjudicate, and :func:`adjudicate`
builds the agreed corpus from the majority or from a decision sheet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from .._checks import require_coders, require_corpus
from .._text import format_choices
from ..corpus import Corpus
from ..errors import ValidationError
from ..results import AnalysisTable, TableResult

__all__ = [
    "AgreementReport",
    "DisagreementsResult",
    "adjudicate",
    "agreement_report",
    "coded_dimensions",
    "disagreements",
]


class DisagreementsResult(AnalysisTable):
    """The units and dimensions on which coders differ, as :func:`disagreements` lists them.

    :meth:`to_frame` gives the decision sheet: the columns ``id``,
    ``dimension`` and one per coder, to which a ``decision`` column is added
    for :func:`adjudicate`; :meth:`save` writes it (``.xlsx`` for the coders to
    fill in).  :func:`adjudicate` also takes the result itself.  DataFrame
    access on the result is deprecated (see
    :class:`~policyquant.results.AnalysisTable`).  ``to_frame(language=...)``
    returns the same sheet: ids, dimensions and coded values are data.

    Attributes
    ----------
    coders : tuple of str
        The coders' names, in the order of their columns.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.reliability import disagreements
    >>> corpus = pq.datasets.load_genai_china()
    >>> found = disagreements({"A": corpus, "B": corpus})
    >>> found.coders, len(found.to_frame())
    (('A', 'B'), 0)
    """

    function = "disagreements()"

    def __init__(self, frame: pd.DataFrame, coders: Sequence[str]) -> None:
        # The sheet's row numbers are not a field: nothing in it is relabelled.
        super().__init__(frame, None, fields=(None,))
        self.coders = tuple(coders)


@attrs.frozen
class _Dimension:
    """One coded dimension: how to read it from a corpus and at which level to measure it."""

    name: str
    unit: str  # "unit" or "document"
    level: str  # Krippendorff level
    order: tuple[Any, ...] | None  # the order of ordinal values


def coded_dimensions(corpus: Corpus) -> list[str]:
    """The dimensions a report measures for corpora under this corpus's framework.

    ``instrument``, one ``objective:<key>`` per objective (present or absent),
    and every dimension of the efficacy scale.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.reliability import coded_dimensions
    >>> coded_dimensions(pq.datasets.load_genai_china())
    ['instrument', 'objective:rights_protection', 'objective:public_safety', 'objective:tech_innovation', 'objective:application_scenarios', 'DA', 'AS', 'MI']
    """
    return [d.name for d in _dimensions(require_corpus(corpus, "coded_dimensions"))]


def _dimensions(corpus: Corpus) -> list[_Dimension]:
    framework = corpus.framework
    found = []
    if framework.instruments and "instrument" in corpus.units.columns:
        found.append(_Dimension("instrument", "unit", "nominal", None))
    for key in framework.objective_keys:
        found.append(_Dimension(f"objective:{key}", "unit", "nominal", None))
    if framework.scale is not None:
        for dimension in framework.scale.dimensions:
            table = corpus.documents if dimension.unit == "document" else corpus.units
            if dimension.key in table.columns:
                found.append(
                    _Dimension(dimension.key, dimension.unit, "ordinal", tuple(sorted(dimension.scores)))
                )
    return found


def _categories(corpus: Corpus, dimension: _Dimension) -> tuple[Any, ...]:
    """Every category a dimension can take, used by the coders or not."""
    if dimension.order is not None:
        return tuple(float(v) for v in dimension.order)
    if dimension.name == "instrument":
        return corpus.framework.instrument_keys
    return (0.0, 1.0)


def _values(corpus: Corpus, dimension: _Dimension) -> pd.Series:
    """One coder's values of a dimension, indexed by unit_id (or doc_id)."""
    if dimension.unit == "document":
        documents = corpus.documents
        return pd.Series(
            documents[dimension.name].to_numpy(dtype=np.float64, na_value=np.nan),
            index=documents["doc_id"].astype(object),
        )
    units = corpus.units
    index = units["unit_id"].astype(object)
    if dimension.name == "instrument":
        return pd.Series(
            units["instrument"].astype(object).where(units["instrument"].notna(), None).to_numpy(),
            index=index,
        )
    if dimension.name.startswith("objective:"):
        key = dimension.name.split(":", 1)[1]
        codings = corpus.codings
        serving = codings.loc[(codings["objective"] == key).to_numpy(dtype=bool), "unit_id"]
        return pd.Series(index.isin(set(serving)).to_numpy(dtype=np.float64), index=index)
    return pd.Series(units[dimension.name].to_numpy(dtype=np.float64, na_value=np.nan), index=index)


def _check_coders(coders: Mapping[str, Corpus], function: str) -> dict[str, Corpus]:
    coders = require_coders(coders, function)
    if len(coders) < 2:
        raise ValidationError(f"agreement needs at least two coders, got {len(coders)}")
    frameworks = {corpus.framework.name for corpus in coders.values()}
    if len(frameworks) > 1:
        raise ValidationError(f"the coders used different frameworks: {', '.join(sorted(frameworks))}")
    # A dimension is compared only when every coder's corpus has it: a missing column is a
    # coding sheet that left the dimension out, not a coder who left every value blank.
    (first_name, first), *others = coders.items()
    expected = coded_dimensions(first)
    for name, corpus in others:
        found = coded_dimensions(corpus)
        for one, two, lacking in ((expected, found, name), (found, expected, first_name)):
            missing = [d for d in one if d not in two]
            if missing:
                having = first_name if lacking == name else name
                raise ValidationError(
                    f"coder {lacking!r} has no {missing[0]!r} column, which coder {having!r} coded; "
                    f"add the column to the corpus of {lacking!r} or remove it from that of {having!r}"
                )
    return coders


def _reliability_data(coders: Mapping[str, Corpus], dimension: _Dimension) -> pd.DataFrame:
    """Coders x units (or documents) values of one dimension, aligned on ids."""
    series = {name: _values(corpus, dimension) for name, corpus in coders.items()}
    ids = pd.Index(sorted(set().union(*(s.index for s in series.values()))), name="id")
    return pd.DataFrame({name: s.reindex(ids) for name, s in series.items()}).T


@attrs.frozen(eq=False)
class AgreementReport(TableResult):
    """Agreement of several coders on every coded dimension.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per dimension, with the columns ``unit`` (``"unit"`` or
        ``"document"``), ``level`` (of Krippendorff's alpha), ``n_units``
        (coded by at least two coders), ``alpha``, ``alpha_low`` and
        ``alpha_high`` (the bootstrap interval, when asked for), ``kappa``
        (Cohen's for two coders, Fleiss' for more, over the units every coder
        coded), ``ac1`` (Gwet), ``percent_agreement``.
    categories : pandas.DataFrame
        Per-category agreement of the instrument: for each instrument, how many
        values coders gave it (``n_values``) and the share of them matched by
        another coder's same value (``agreement``, from the coincidence matrix).
    coverage : pandas.DataFrame
        Units that not every coder coded: ``unit_id`` and ``coded_by``.
    coders : tuple of str
        The coders' names.
    """

    table: pd.DataFrame
    categories: pd.DataFrame
    coverage: pd.DataFrame
    coders: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """The per-dimension table."""
        return self.table


def agreement_report(
    coders: Mapping[str, Corpus],
    bootstrap: int | None = None,
    ci: float = 0.95,
    seed: int | None = None,
) -> AgreementReport:
    """Measure how well coders agree on every coded dimension of their corpora.

    Parameters
    ----------
    coders : mapping of str to Corpus
        Each coder's corpus of the same documents, under the same framework.
    bootstrap : int, optional
        Resamples for a confidence interval of each alpha.
    ci : float, default 0.95
        The interval's coverage.
    seed : int, optional
        Seed of the bootstrap.

    Returns
    -------
    AgreementReport

    Raises
    ------
    ValidationError
        If fewer than two coders are given, the corpora use different
        frameworks, or no unit was coded by two coders.

    Notes
    -----
    Alpha is measured at the nominal level for the instrument and the
    objectives (each objective as a present/absent decision per clause) and at
    the ordinal level for scores.  Units that only some coders coded take part
    with the values they have (alpha handles missing values); Cohen's and
    Fleiss' kappa use only the units every coder coded.  Such units are listed
    in :attr:`AgreementReport.coverage`, not dropped silently.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.reliability import agreement_report
    >>> corpus = pq.datasets.load_genai_china()
    >>> report = agreement_report({"A": corpus, "B": corpus})
    >>> report.table.loc["instrument", ["alpha", "percent_agreement"]].tolist(), int(report.table.loc["instrument", "n_units"])
    ([1.0, 1.0], 670)
    """
    from . import coefficients

    coders = _check_coders(coders, "agreement_report")
    names = tuple(coders)
    first = next(iter(coders.values()))
    rows = {}
    category_rows = []
    for dimension in _dimensions(first):
        data = _reliability_data(coders, dimension)
        coded = data.notna().sum(axis=0)
        pairable = data.loc[:, coded >= 2]
        if pairable.shape[1] == 0:
            rows[dimension.name] = {"unit": dimension.unit, "level": dimension.level, "n_units": 0}
            continue
        alpha = coefficients.krippendorff_alpha(
            pairable, level=dimension.level, values=dimension.order, bootstrap=bootstrap, ci=ci, seed=seed
        )
        complete = pairable.loc[:, pairable.notna().all(axis=0)]
        kappa = np.nan
        if complete.shape[1] > 0:
            try:
                if len(names) == 2:
                    kappa = float(coefficients.cohen_kappa(complete.iloc[0], complete.iloc[1]))
                else:
                    kappa = float(coefficients.fleiss_kappa(complete))
            except ValidationError:
                kappa = np.nan
        row = {
            "unit": dimension.unit,
            "level": dimension.level,
            "n_units": int(pairable.shape[1]),
            "alpha": float(alpha),
            "alpha_low": alpha.ci[0] if getattr(alpha, "ci", None) is not None else np.nan,
            "alpha_high": alpha.ci[1] if getattr(alpha, "ci", None) is not None else np.nan,
            "kappa": kappa,
            # AC1 estimates category shares from every value, units coded once included (Gwet 2014),
            # over all the dimension's categories, used or not.
            "ac1": float(
                coefficients.gwet_ac1(data.loc[:, coded >= 1], values=_categories(first, dimension))
            ),
            "percent_agreement": float(coefficients.percent_agreement(pairable)),
        }
        rows[dimension.name] = row
        if dimension.name == "instrument":
            coincidences = alpha.coincidences
            totals = coincidences.sum(axis=1)
            for category in coincidences.index:
                total = float(totals.loc[category])
                category_rows.append(
                    {
                        "category": category,
                        "n_values": round(total),
                        "agreement": float(coincidences.loc[category, category]) / total if total else np.nan,
                    }
                )
    columns = [
        "unit",
        "level",
        "n_units",
        "alpha",
        "alpha_low",
        "alpha_high",
        "kappa",
        "ac1",
        "percent_agreement",
    ]
    table = pd.DataFrame.from_dict(rows, orient="index").reindex(columns=columns)
    table.index.name = "dimension"
    table["n_units"] = table["n_units"].fillna(0).astype("int64")
    clause_level = table["unit"] == "unit"
    if (table.loc[clause_level, "n_units"] == 0).all():
        raise ValidationError("no clause was coded by two coders: check that the coders' unit_ids match")
    categories = pd.DataFrame(category_rows, columns=["category", "n_values", "agreement"]).set_index(
        "category"
    )
    categories["n_values"] = categories["n_values"].astype("int64")
    # In the framework's order, as every other table of instruments.
    order = [key for key in first.framework.instrument_keys if key in categories.index]
    categories = categories.reindex(order + [c for c in categories.index if c not in order])
    return AgreementReport(table, categories, _coverage(coders), names)


def _coverage(coders: Mapping[str, Corpus]) -> pd.DataFrame:
    """Units that not every coder coded, with who coded them."""
    present = (
        pd.DataFrame(
            {
                name: pd.Series(True, index=pd.Index(corpus.units["unit_id"].astype(object)))
                for name, corpus in coders.items()
            }
        )
        .fillna(False)
        .astype(bool)
    )
    partial = present[~present.all(axis=1)]
    coded_by = partial.apply(lambda row: ", ".join(c for c in partial.columns if row[c]), axis=1)
    return pd.DataFrame({"unit_id": partial.index, "coded_by": coded_by.to_numpy() if len(partial) else []})


def disagreements(
    coders: Mapping[str, Corpus], dimensions: Sequence[str] | None = None
) -> DisagreementsResult:
    """Every unit and dimension on which the coders differ, with each coder's value.

    Parameters
    ----------
    coders : mapping of str to Corpus
    dimensions : list of str, optional
        Which dimensions to compare (see :func:`coded_dimensions`); all by default.

    Returns
    -------
    DisagreementsResult
        Its :meth:`~DisagreementsResult.to_frame` has the columns ``id`` (the
        unit_id, or the doc_id for document-level scores), ``dimension`` and
        one column per coder, ready to fill in a ``decision`` column and pass
        to :func:`adjudicate`.  A unit a coder did not code shows as missing
        for that coder and counts as a disagreement only if the others differ
        among themselves.  Before 0.1 this function returned that DataFrame
        itself; DataFrame access on the result still works, with a
        :class:`DeprecationWarning`.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.reliability import disagreements
    >>> corpus = pq.datasets.load_genai_china()
    >>> units = corpus.units.copy()
    >>> units.loc[0, "AS"] = 1
    >>> other = pq.Corpus(corpus.documents, units)
    >>> disagreements({"A": corpus, "B": other})
            id dimension  A  B
    0  N01-2-2        AS  5  1
    """
    coders = _check_coders(coders, "disagreements")
    first = next(iter(coders.values()))
    known = {d.name: d for d in _dimensions(first)}
    if isinstance(dimensions, str):
        dimensions = [dimensions]
    wanted = list(known) if dimensions is None else list(dimensions)
    unknown = [d for d in wanted if d not in known]
    if unknown:
        raise ValidationError(
            f"unknown dimension(s) {', '.join(unknown)}; choose from {format_choices(known)}"
        )
    pieces = []
    for name in wanted:
        data = _reliability_data(coders, known[name]).T  # ids x coders
        counts = data.nunique(axis=1, dropna=True)
        differ = data[counts > 1]
        if differ.empty:
            continue
        if known[name].level == "ordinal" or name.startswith("objective:"):
            differ = differ.astype("Int64")
        if name.startswith("objective:"):
            differ = differ.astype("boolean")
        piece = differ.astype(object).reset_index()
        piece.insert(1, "dimension", name)
        pieces.append(piece)
    columns = ["id", "dimension", *coders]
    if not pieces:
        return DisagreementsResult(pd.DataFrame(columns=columns), tuple(coders))
    return DisagreementsResult(pd.concat(pieces, ignore_index=True)[columns], tuple(coders))


def adjudicate(
    coders: Mapping[str, Corpus],
    decisions: pd.DataFrame | None = None,
    rule: str = "majority",
) -> Corpus:
    """Build the agreed corpus: the coders' majority, with a decision sheet for the rest.

    Parameters
    ----------
    coders : mapping of str to Corpus
    decisions : pandas.DataFrame or DisagreementsResult, optional
        Rows ``id``, ``dimension``, ``decision`` (as :func:`disagreements`
        returns them, with a ``decision`` column filled in).  A decision
        overrides the majority.
    rule : {"majority"}
        How to settle what the decisions do not: the value most coders gave.

    Returns
    -------
    Corpus
        The first coder's documents and units with every adjudicated value
        set.

    Raises
    ------
    ValidationError
        Listing every unit and dimension where the coders tie and no decision
        settles it, and decisions naming unknown units or dimensions.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.reliability import adjudicate
    >>> corpus = pq.datasets.load_genai_china()
    >>> units = corpus.units.copy()
    >>> units.loc[0, "AS"] = 1
    >>> other = pq.Corpus(corpus.documents, units)
    >>> agreed = adjudicate({"A": corpus, "B": corpus, "C": other})
    >>> int(agreed.units.loc[0, "AS"])
    5
    """
    if rule != "majority":
        raise ValidationError(f"rule must be 'majority', got {rule!r}")
    coders = _check_coders(coders, "adjudicate")
    first = next(iter(coders.values()))
    known = {d.name: d for d in _dimensions(first)}
    decided: dict[tuple[str, str], Any] = {}
    if isinstance(decisions, TableResult):
        decisions = decisions.to_frame()
    if decisions is not None:
        missing = [c for c in ("id", "dimension", "decision") if c not in decisions.columns]
        if missing:
            raise ValidationError(
                f"a decision sheet needs the columns id, dimension, decision; missing: {', '.join(missing)}"
            )
        bad = decisions[~decisions["dimension"].isin(list(known))]
        if len(bad):
            raise ValidationError(
                "decisions name unknown dimensions",
                [
                    {
                        "row": int(i) + 2,
                        "column": "dimension",
                        "value": v,
                        "problem": "unknown dimension",
                        "expected": "one of " + format_choices(known),
                    }
                    for i, v in bad["dimension"].items()
                ],
            )
        for row in decisions.dropna(subset=["decision"]).itertuples(index=False):
            decided[(str(row.id), str(row.dimension))] = row.decision
    documents, units = first.documents, first.units
    ties = []
    for name, dimension in known.items():
        data = _reliability_data(coders, dimension).T  # ids x coders
        majority, tied = _majority(data)
        for key in [k for k in decided if k[1] == name]:
            if key[0] not in data.index:
                raise ValidationError(f"a decision names {key[0]!r}, which no coder coded")
            majority.loc[key[0]] = decided[key]
            tied = tied[tied != key[0]]
        ties += [
            {
                "value": i,
                "column": name,
                "problem": "coders tie",
                "expected": "a decision for this unit and dimension",
            }
            for i in tied
        ]
        target = documents if dimension.unit == "document" else units
        id_column = "doc_id" if dimension.unit == "document" else "unit_id"
        values = majority.reindex(target[id_column].astype(object)).to_numpy()
        if name == "instrument":
            units["instrument"] = values
        elif name.startswith("objective:"):
            units[name] = pd.Series(values, dtype=object).map(_truthy).to_numpy()
        else:
            target[name] = values
    if ties:
        raise ValidationError(f"{len(ties)} tie(s) among the coders need a decision", ties)
    objective_columns = [c for c in units.columns if c.startswith("objective:")]
    if objective_columns:
        keys = [c.split(":", 1)[1] for c in objective_columns]
        chosen = units[objective_columns].to_numpy(dtype=bool)
        units["objectives"] = ["; ".join(k for k, on in zip(keys, row, strict=True) if on) for row in chosen]
        units = units.drop(columns=objective_columns)
    documents = (
        documents.assign(issuers=documents["issuers"].map("; ".join)) if "issuers" in documents else documents
    )
    return Corpus(documents, units, first.framework)


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "present", "是")
    return bool(value) and not (isinstance(value, float) and np.isnan(value))


def _majority(data: pd.DataFrame) -> tuple[pd.Series, pd.Index]:
    """The most frequent non-missing value per row, and the rows where the top values tie."""
    long = data.stack().rename("value").reset_index()  # noqa: PD013 - long (id, coder) pairs
    long.columns = ["id", "coder", "value"]
    counts = long.groupby(["id", "value"], sort=False).size().rename("n").reset_index()
    top = counts.groupby("id")["n"].transform("max")
    best = counts[counts["n"] == top]
    tied = best["id"][best["id"].duplicated()].unique()
    majority = best.drop_duplicates("id").set_index("id")["value"].reindex(data.index)
    return majority.astype(object), pd.Index(tied)
