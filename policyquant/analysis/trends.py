"""How policy supply evolves: documents, clauses, codings and efficacy by year or period."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .._checks import require_corpus
from .._deprecation import renamed_arguments
from ..corpus import Corpus
from ..errors import ValidationError
from ..results import AnalysisTable

__all__ = ["TrendsResult", "period_codes", "trends"]

Periods = Mapping[str, tuple[int, int]] | Sequence[int]


class TrendsResult(AnalysisTable):
    """Policy supply per year or period, as :func:`trends` computes it.

    :meth:`to_frame` gives the table, indexed by year or period (and the
    ``by`` category), with the columns ``documents``, ``units``, ``codings``
    and, where the framework has a scale, ``efficacy_total`` and
    ``efficacy_mean``; :meth:`save` and the exports write it.  DataFrame access
    on the result itself is deprecated (see
    :class:`~policyquant.results.AnalysisTable`).

    Attributes
    ----------
    by : str or None
        The field the table is also grouped by.
    cumulative : bool
        Whether the table holds running totals.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import policyquant as pq
    >>> result = pq.trends(pq.datasets.load_genai_china(), by="family")
    >>> result.by, result.cumulative, list(result.to_frame().index.names)
    ('family', False, ['year', 'family'])
    >>> result.save(pathlib.Path(tempfile.mkdtemp()) / "trends.xlsx").suffix
    '.xlsx'
    """

    function = "trends()"

    def __init__(self, frame: pd.DataFrame, corpus: Corpus, by: str | None, cumulative: bool) -> None:
        super().__init__(frame, corpus)
        self.by = by
        self.cumulative = cumulative


def period_codes(years: np.ndarray, periods: Periods | None) -> tuple[np.ndarray, pd.Index]:
    """Assign years to consecutive years or to user-defined periods.

    Parameters
    ----------
    years : numpy.ndarray
        Years as floats (NaN for unknown).
    periods : mapping or sequence of int, optional
        ``None`` for every year from the first to the last (empty years
        included); a mapping ``{"label": (first_year, last_year)}`` of
        non-overlapping periods, in order; or increasing bin edges
        ``[2017, 2021, 2026]`` meaning 2017-2020 and 2021-2025.

    Returns
    -------
    codes : numpy.ndarray
        Period of each year; -1 for unknown years or years in no period.
    labels : pandas.Index
        The periods, in time order.

    Examples
    --------
    >>> import numpy as np
    >>> from policyquant.analysis.trends import period_codes
    >>> codes, labels = period_codes(np.array([2017.0, 2019.0, 2024.0]), [2017, 2021, 2026])
    >>> codes.tolist(), list(labels)
    ([0, 0, 1], ['2017-2020', '2021-2025'])
    """
    known = ~np.isnan(years)
    if periods is None:
        if not known.any():
            return np.full(len(years), -1), pd.Index([], name="year")
        first, last = int(np.nanmin(years)), int(np.nanmax(years))
        codes = np.where(known, np.nan_to_num(years) - first, -1).astype(np.intp)
        return codes, pd.Index(range(first, last + 1), name="year")
    if isinstance(periods, Mapping):
        labels = list(periods)
        bounds = np.array([periods[label] for label in labels], dtype=np.float64).reshape(-1, 2)
        if (bounds[:, 0] > bounds[:, 1]).any() or (bounds[1:, 0] <= bounds[:-1, 1]).any():
            raise ValidationError(
                "periods must be (first_year, last_year) pairs in time order that do not overlap, "
                f"got {dict(periods)!r}"
            )
        starts, ends = bounds[:, 0], bounds[:, 1]
    else:
        edges = np.asarray(list(periods), dtype=np.float64)
        if edges.size < 2 or (np.diff(edges) <= 0).any():
            raise ValidationError(
                f"period edges must be at least two increasing years, got {list(periods)!r}"
            )
        starts, ends = edges[:-1], edges[1:] - 1
        labels = [f"{int(a)}-{int(b)}" if a != b else f"{int(a)}" for a, b in zip(starts, ends, strict=True)]
    position = np.searchsorted(starts, np.nan_to_num(years, nan=-np.inf), side="right") - 1
    inside = known & (position >= 0) & (years <= ends[np.clip(position, 0, len(ends) - 1)])
    return np.where(inside, position, -1), pd.Index(labels, name="period")


@renamed_arguments(split="by")
def trends(
    corpus: Corpus,
    periods: Periods | None = None,
    by: str | None = None,
    cumulative: bool = False,
) -> TrendsResult:
    """Policy supply over time: documents, clauses, codings and efficacy per year or period.

    Parameters
    ----------
    corpus : Corpus
        Documents need a ``year`` (or ``date``).
    periods : mapping or sequence of int, optional
        Years by default (every year from the first to the last, empty ones
        as zeros); or periods, see :func:`period_codes`.
    by : str, optional
        Also group by ``"family"``, ``"instrument"``, ``"objective"``,
        ``"level"`` or another document field.  A document counts in every
        category it has clauses in; with ``by="objective"``, ``units``
        counts the clauses serving each objective (the codings) and efficacy
        runs over codings.  ``split=`` is a deprecated alias of ``by=``.
    cumulative : bool, default False
        Running totals (the stock of policies in force, if none expires)
        instead of each period's flow.  Means become the mean over all
        clauses so far.

    Returns
    -------
    TrendsResult
        Its :meth:`~TrendsResult.to_frame` is indexed by year or period (and
        the ``by`` category), with the columns ``documents``, ``units``
        (clauses), ``codings``, and where the framework has a scale,
        ``efficacy_total`` and ``efficacy_mean``.  Before 0.1 this function
        returned that DataFrame itself; DataFrame access on the result still
        works, with a :class:`DeprecationWarning`.

    Raises
    ------
    ValidationError
        If the documents have no years, or periods are malformed.  Documents
        whose year falls in no period are reported in the message rather than
        dropped silently.

    Examples
    --------
    >>> import policyquant as pq
    >>> corpus = pq.datasets.load_genai_china()
    >>> yearly = pq.trends(corpus).to_frame()
    >>> yearly["documents"].tolist()
    [1, 2, 2, 2, 3, 4, 14, 17, 18]
    >>> pq.trends(corpus, cumulative=True).to_frame()["documents"].iloc[-1]
    np.int64(63)
    >>> pq.trends(corpus, periods={"before 2023": (2017, 2022), "2023 on": (2023, 2025)}).to_frame()["units"].tolist()
    [157, 513]
    """
    from .partial import TrendsKernel, dispatch

    partitioned = dispatch(corpus, lambda: TrendsKernel(periods, by, cumulative))
    if partitioned is not None:
        return partitioned
    corpus = require_corpus(corpus, "trends")
    # One implementation: the whole corpus is the one partition of the count kernel.
    return TrendsKernel(periods, by, cumulative).run(corpus)


def _document_periods(corpus: Corpus, periods: Periods | None) -> tuple[np.ndarray, pd.Index]:
    """Each document's period and the periods; refuses documents without a year or outside the periods."""
    documents = corpus.documents
    if "year" not in documents.columns or documents["year"].isna().all():
        raise ValidationError("trends need the documents' years: give a year or date column")
    doc_years = documents["year"].to_numpy(dtype=np.float64, na_value=np.nan)
    doc_period, labels = period_codes(doc_years, periods)
    outside = documents.loc[doc_period < 0, "doc_id"].tolist()
    if outside and periods is not None:
        raise ValidationError(
            f"{len(outside)} document(s) have no year or a year in no period: {', '.join(outside[:10])}"
            + (" ..." if len(outside) > 10 else "")
            + "; widen the periods so that nothing is left out"
        )
    if outside:
        raise ValidationError(f"{len(outside)} document(s) have no year: {', '.join(outside[:10])}")
    return doc_period, labels


def _has_scores(corpus: Corpus) -> bool:
    scale = corpus.framework.scale
    documents, units = corpus.documents, corpus.units
    return all(
        (d.key in (documents.columns if d.unit == "document" else units.columns)) for d in scale.dimensions
    )
