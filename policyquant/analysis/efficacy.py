"""Policy efficacy: each clause's score under the framework's scale, and summaries by group."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._checks import require_corpus
from ..corpus import Corpus
from ..errors import ValidationError
from ..results import AnalysisTable
from .groups import fields_of, grouping

__all__ = ["EfficacySummaryResult", "efficacy", "efficacy_summary", "group_statistics", "histogram_statistics"]


class EfficacySummaryResult(AnalysisTable):
    """Efficacy statistics by group, as :func:`efficacy_summary` computes them.

    :meth:`to_frame` gives one row per group (indexed by the ``by`` fields)
    with the columns ``count``, ``mean``, ``std``, ``min``, ``max``,
    ``total`` and ``share``; :meth:`save` and the exports write it.  DataFrame
    access on the result itself is deprecated (see
    :class:`~policyquant.results.AnalysisTable`).

    Attributes
    ----------
    by : tuple of str
        The fields grouped by.
    over : {"units", "codings"}
        What the statistics run over: clauses, or codings when grouped by
        objective.

    Examples
    --------
    >>> import policyquant as pq
    >>> result = pq.efficacy_summary(pq.datasets.load_genai_china(), by="family")
    >>> result.by, result.over
    (('family',), 'units')
    >>> print(result.to_markdown(decimals=1).splitlines()[2])
    | mandatory |     348 |   16.4 |  11.0 |   2.0 |  50.0 |  5692.0 |    56.3 |
    """

    function = "efficacy_summary()"

    def __init__(self, frame: pd.DataFrame, corpus: Corpus, by: Sequence[str], over: str) -> None:
        super().__init__(frame, corpus, fields=tuple(by))
        self.by = tuple(by)
        self.over = over


def efficacy(corpus: Corpus) -> pd.Series:
    """Score every clause under the corpus framework's efficacy scale.

    Document-level dimensions (the study's ``DA``) are taken from the clause's
    document; unit-level dimensions (``AS``, ``MI``) from the clause.

    Parameters
    ----------
    corpus : Corpus

    Returns
    -------
    pandas.Series
        One float score per clause, indexed by ``unit_id`` and named after the
        scale (``"APE"`` in the study's framework).  Clauses coded ``none``
        (:attr:`Corpus.not_coded <policyquant.Corpus.not_coded>`) have no
        score; their number is ``attrs["not_coded"]``.

    Raises
    ------
    ValidationError
        If the framework has no scale, or a dimension's scores are missing
        from the corpus.

    Examples
    --------
    >>> import policyquant as pq
    >>> scores = pq.efficacy(pq.datasets.load_genai_china())
    >>> scores.name, len(scores), bool(2 <= scores.min() <= scores.max() <= 50)
    ('APE', 670, True)
    """
    corpus = require_corpus(corpus, "efficacy")
    scale = corpus.framework.scale
    if scale is None:
        raise ValidationError(f"framework {corpus.framework.name!r} has no efficacy scale")
    documents, units = corpus.documents, corpus.units
    positions = corpus.unit_document_positions()
    columns = {}
    missing = []
    for dimension in scale.dimensions:
        source = documents if dimension.unit == "document" else units
        if dimension.key not in source.columns:
            missing.append(f"{dimension.key} ({dimension.unit} level)")
            continue
        values = source[dimension.key].to_numpy(dtype=np.float64, na_value=np.nan)
        columns[dimension.key] = values[positions] if dimension.unit == "document" else values
    if missing:
        raise ValidationError(
            f"cannot compute efficacy: the corpus has no scores for {', '.join(missing)}",
            [
                {
                    "column": m.split()[0],
                    "problem": "missing column",
                    "expected": f"scores for every dimension of the {scale.name} scale",
                }
                for m in missing
            ],
        )
    values = scale.score_columns(
        {key: pd.Series(column, index=units["unit_id"]) for key, column in columns.items()}
    )
    scores = pd.Series(values, index=pd.Index(units["unit_id"], name="unit_id"), name=scale.name)
    # Clauses coded "none" have no scores and no efficacy: counted apart, not as zeros.
    scores.attrs["not_coded"] = len(corpus.not_coded)
    return scores


def _unit_scores(corpus: Corpus) -> np.ndarray:
    """Efficacy per clause as an array, computed once per corpus."""
    return corpus.memoized("efficacy", lambda: efficacy(corpus).to_numpy())


#: Largest (groups x distinct values) table for which statistics come from a histogram.
_HISTOGRAM_LIMIT = 4_000_000


def histogram_statistics(
    value_codes: np.ndarray, levels: np.ndarray, codes: np.ndarray, size: int
) -> dict[str, np.ndarray]:
    """Group statistics of discrete values from one 2-D histogram.

    Efficacy scores take few distinct values (45 combinations of levels at
    most in the study's scale), so a single :func:`numpy.bincount` over
    (group, value) pairs holds everything needed: counts, totals, exact
    deviations from each group's mean, minimum and maximum.

    Parameters
    ----------
    value_codes : numpy.ndarray
        For each row, the position of its value in ``levels``.
    levels : numpy.ndarray
        The distinct values.
    codes : numpy.ndarray
        One group code per row, ``0 <= code < size``.
    size : int
        The number of groups.

    Returns
    -------
    dict of str to numpy.ndarray
        As :func:`group_statistics`.

    Examples
    --------
    >>> import numpy as np
    >>> from policyquant.analysis.efficacy import histogram_statistics
    >>> stats = histogram_statistics(np.array([0, 1, 2]), np.array([1.0, 3.0, 10.0]), np.array([0, 0, 2]), 3)
    >>> stats["mean"].tolist(), stats["max"].tolist()
    ([2.0, nan, 10.0], [3.0, nan, 10.0])
    """
    k = len(levels)
    combined = codes.astype(np.intp) * k + value_codes
    return _histogram_statistics(np.bincount(combined, minlength=size * k).reshape(size, k), levels)


def _histogram_statistics(counts: np.ndarray, levels: np.ndarray) -> dict[str, np.ndarray]:
    """:func:`histogram_statistics` of a groups x values histogram (the count kernels' state)."""
    k = len(levels)
    histogram = counts.astype(np.float64)
    count = histogram.sum(axis=1)
    total = histogram @ levels
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
        squares = (histogram * (levels[None, :] - mean[:, None]) ** 2).sum(axis=1)
        std = np.sqrt(squares / (count - 1))
    std[count < 2] = np.nan
    present = histogram > 0
    low = np.where(present.any(axis=1), levels[np.argmax(present, axis=1)], np.nan)
    high = np.where(present.any(axis=1), levels[k - 1 - np.argmax(present[:, ::-1], axis=1)], np.nan)
    return {
        "count": count.astype(np.int64),
        "mean": mean,
        "std": std,
        "min": low,
        "max": high,
        "total": total,
    }


def _discrete(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Codes and sorted distinct values of ``scores``, or None if there are too many to histogram."""
    codes, uniques = pd.factorize(scores, sort=True)
    if (codes < 0).any() or len(uniques) > 1000:
        return None
    return codes.astype(np.intp), np.asarray(uniques, dtype=np.float64)


def group_statistics(values: np.ndarray, codes: np.ndarray, size: int) -> dict[str, np.ndarray]:
    """Count, mean, std, min, max and total of ``values`` per group code, by bincount.

    Parameters
    ----------
    values : numpy.ndarray
        One value per row.
    codes : numpy.ndarray
        One group code per row, ``0 <= code < size``.
    size : int
        The number of groups.

    Returns
    -------
    dict of str to numpy.ndarray
        ``count``, ``mean``, ``std`` (sample, ``ddof=1``), ``min``, ``max``
        and ``total``, one value per group; NaN where a group has too few rows.

    Examples
    --------
    >>> stats = group_statistics(np.array([1.0, 3.0, 10.0]), np.array([0, 0, 2]), 3)
    >>> stats["mean"].tolist(), stats["count"].tolist()
    ([2.0, nan, 10.0], [2, 0, 1])
    """
    values = np.asarray(values, dtype=np.float64)
    count = np.bincount(codes, minlength=size)
    total = np.bincount(codes, weights=values, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
        # Sum of squared deviations from each group's own mean: stable where
        # the textbook sum(x^2) - n*mean^2 would cancel.
        deviations = values - mean[codes]
        squares = np.bincount(codes, weights=deviations * deviations, minlength=size)
        std = np.sqrt(squares / (count - 1))
    std[count < 2] = np.nan
    low = np.full(size, np.inf)
    high = np.full(size, -np.inf)
    np.minimum.at(low, codes, values)
    np.maximum.at(high, codes, values)
    empty = count == 0
    low[empty] = np.nan
    high[empty] = np.nan
    return {"count": count, "mean": mean, "std": std, "min": low, "max": high, "total": total}


def efficacy_summary(corpus: Corpus, by: str | Sequence[str] = "instrument") -> EfficacySummaryResult:
    """Efficacy statistics by instrument, family, objective or any document field.

    Parameters
    ----------
    corpus : Corpus
    by : str or list of str, default "instrument"
        ``"instrument"``, ``"family"``, ``"objective"``, a document field
        (``"level"``, ``"year"``, ``"region"``, ...) or a list of these.
        With ``"objective"`` the statistics run over codings (a clause counts
        once for each objective it serves, as in the study); otherwise over
        clauses.

    Returns
    -------
    EfficacySummaryResult
        Its :meth:`~EfficacySummaryResult.to_frame` has one row per group
        (every category of a categorical field, empty ones included) with the
        columns ``count`` (clauses or codings), ``mean``, ``std`` (sample
        standard deviation), ``min``, ``max``, ``total`` (sum of scores) and
        ``share`` (the group's percentage of the total).  Before 0.1 this
        function returned that DataFrame itself; DataFrame access on the
        result still works, with a :class:`DeprecationWarning`.

    Examples
    --------
    >>> import policyquant as pq
    >>> summary = pq.efficacy_summary(pq.datasets.load_genai_china(), by="objective")
    >>> table = summary.to_frame()
    >>> list(table.columns)
    ['count', 'mean', 'std', 'min', 'max', 'total', 'share']
    >>> table["count"].tolist()
    [124, 365, 193, 226]
    >>> table["mean"].idxmax()
    'rights_protection'
    """
    from .partial import EfficacySummaryKernel, dispatch

    partitioned = dispatch(corpus, lambda: EfficacySummaryKernel(by))
    if partitioned is not None:
        return partitioned
    corpus = require_corpus(corpus, "efficacy_summary")
    fields = list(fields_of(by))
    table = "codings" if "objective" in fields else "units"
    discrete = corpus.memoized("efficacy_levels", lambda: _discrete(_unit_scores(corpus)))
    groups = grouping(corpus, fields, table)
    if discrete is not None and groups.size * len(discrete[1]) <= _HISTOGRAM_LIMIT:
        value_codes, levels = discrete
        if table == "codings":
            value_codes = corpus.memoized(
                "coding_efficacy_levels", lambda: value_codes[corpus.coding_unit_positions()]
            )
        stats = histogram_statistics(value_codes, levels, groups.codes, groups.size)
    else:
        if table == "codings":
            scores = corpus.memoized(
                "coding_efficacy", lambda: _unit_scores(corpus)[corpus.coding_unit_positions()]
            )
        else:
            scores = _unit_scores(corpus)
        stats = group_statistics(scores, groups.codes, groups.size)
    grand = stats["total"].sum()
    frame = pd.DataFrame(stats, index=groups.index)
    frame["share"] = frame["total"] / grand * 100.0 if grand else 0.0
    frame["count"] = frame["count"].astype("int64")
    return EfficacySummaryResult(frame, corpus, fields, table)
