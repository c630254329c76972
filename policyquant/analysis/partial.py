"""Count kernels: every aggregation as per-partition partial counts, combined once.

The aggregations of policyquant are sums of counts, so they split over
partitions of a corpus and combine exactly.  Each aggregation is a
:class:`Kernel` with three steps:

``partial(part)``
    One partition (a validated :class:`~policyquant.Corpus` holding the full
    documents table and some of the clauses) to a small, picklable partial
    state: counts by category, never rows.
:func:`combine` ``(a, b)``
    Two partial states to one: sums of counts, unions of presence sets.
    Associative and commutative, so partitions may be read in any order and
    combined in any tree (a Dask reduction).
``finalize(state, corpus)``
    The combined state to the very result object the in-memory function
    returns (:class:`~policyquant.analysis.CrosstabResult`, ...).

The in-memory functions (:func:`policyquant.crosstab` ...) run the same
kernels on the whole corpus as one partition, and accept any
:class:`PartitionedCorpus` (such as the
:class:`~policyquant.io.chunked.ChunkedCorpus` that
:func:`policyquant.read_coding` returns for a Parquet dataset) in place of a
corpus.

Categorical codes are fixed by the framework (instruments, families,
objectives, score levels) and by the shared documents table (document
fields), so codes agree across partitions by construction.  A free-text
column of the units is factorized per partition: its states carry the labels,
and :func:`combine` aligns them on their sorted union, as the in-memory
factorization orders them.

Examples
--------
>>> import policyquant as pq
>>> from policyquant.analysis.partial import CrosstabKernel, combine
>>> corpus = pq.datasets.load_genai_china()
>>> kernel = CrosstabKernel()
>>> halves = [corpus.subset(corpus.documents.index < 30), corpus.subset(corpus.documents.index >= 30)]
>>> state = combine(kernel.partial(halves[0]), kernel.partial(halves[1]))
>>> kernel.finalize(state, corpus).counts.equals(pq.crosstab(corpus).counts)
True
"""

from __future__ import annotations

import abc
import contextlib
import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar

import attrs
import numpy as np
import pandas as pd

from .._text import format_choices
from ..corpus import Corpus
from ..errors import PolicyQuantError, ValidationError
from .groups import MISSING, fields_of, group_codes, grouping

__all__ = [
    "AuthorityDistributionKernel",
    "Counts",
    "CrosstabKernel",
    "EfficacySummaryKernel",
    "FitKernel",
    "Kernel",
    "PartialState",
    "PartitionedCorpus",
    "PortfolioMeasuresKernel",
    "Presence",
    "TrendsKernel",
    "combine",
    "combine_all",
    "documents_only",
    "split_units",
]


# --------------------------------------------------------------------------
# Labelled axes: the categories of one field, aligned across partitions.


def _without_missing(index: pd.Index) -> pd.Index:
    return index[index != MISSING] if index.dtype == object or MISSING in index else index


def _union_axis(left: pd.Index, right: pd.Index) -> pd.Index:
    """The categories of both partitions, in the order the whole corpus would give them.

    Equal categories (every framework or document field) stay as they are;
    ``(missing)``, found in one partition only, goes last; free-text
    categories (factorized per partition, sorted) become their sorted union.
    """
    if left.equals(right):
        return left
    if len(left) == 0:
        return right
    if len(right) == 0:
        return left
    missing = MISSING in left or MISSING in right
    known_left, known_right = _without_missing(left), _without_missing(right)
    if known_left.equals(known_right):
        known = known_left
    else:
        known = known_left.append(known_right.difference(known_left, sort=False))
        with contextlib.suppress(TypeError):  # labels that do not compare keep the order found
            known = known.sort_values()
    return known.append(pd.Index([MISSING])) if missing else known


def _remap(codes: np.ndarray, old: pd.Index, new: pd.Index) -> np.ndarray:
    if old.equals(new):
        return codes
    return new.get_indexer(old)[codes]


@attrs.frozen(eq=False)
class PartialState:
    """Base of the partial states; :func:`combine` joins two of the same kind."""

    def combine(self, other: PartialState) -> PartialState:  # pragma: no cover - abstract
        raise NotImplementedError


@attrs.frozen(eq=False)
class Counts(PartialState):
    """Counts (or sums) over labelled axes: the leading ``len(axes)`` dimensions of ``counts``.

    Attributes
    ----------
    axes : tuple of pandas.Index
        The categories of each labelled dimension.
    counts : numpy.ndarray
        Counts (or sums); dimensions after the labelled ones are fixed (the same in
        every partition).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> a = Counts((pd.Index(["x", "y"]),), np.array([1, 2]))
    >>> b = Counts((pd.Index(["y", "z"]),), np.array([5, 7]))
    >>> total = a.combine(b)
    >>> list(total.axes[0]), total.counts.tolist()
    (['x', 'y', 'z'], [1, 7, 7])
    """

    axes: tuple[pd.Index, ...]
    counts: np.ndarray

    def aligned(self, axes: tuple[pd.Index, ...]) -> np.ndarray:
        """``counts`` on the categories ``axes`` (a superset of this state's), zeros elsewhere."""
        if all(a.equals(b) for a, b in zip(self.axes, axes, strict=True)):
            return self.counts
        shape = tuple(len(a) for a in axes) + self.counts.shape[len(axes) :]
        out = np.zeros(shape, dtype=self.counts.dtype)
        where = tuple(np.asarray(new.get_indexer(old)) for old, new in zip(self.axes, axes, strict=True))
        out[np.ix_(*where)] = self.counts
        return out

    def combine(self, other: PartialState) -> Counts:
        """The sum of two states, on the union of their categories."""
        assert isinstance(other, Counts)
        axes = tuple(_union_axis(a, b) for a, b in zip(self.axes, other.axes, strict=True))
        return Counts(axes, self.aligned(axes) + other.aligned(axes))


@attrs.frozen(eq=False)
class Presence(PartialState):
    """A set of distinct rows of codes, such as (document, category) pairs: what occurs where.

    Each row is one int64, its codes combined as the digits of a number of
    mixed radix ``shape`` (the first ``len(shape) - len(axes)`` columns are
    unlabelled, such as document positions; one per axis follows), so that a
    set is a sorted array and a union one :func:`numpy.union1d`.

    Attributes
    ----------
    axes : tuple of pandas.Index
        The categories of the labelled columns.
    keys : numpy.ndarray
        The distinct rows, combined, sorted.
    shape : tuple of int
        How many values each column takes.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> a = Presence.of((pd.Index(["x"]),), [np.array([0, 1, 1]), np.array([0, 0, 0])], (3,))
    >>> b = Presence.of((pd.Index(["x"]),), [np.array([1, 2]), np.array([0, 0])], (3,))
    >>> [c.tolist() for c in a.combine(b).columns()]
    [[0, 1, 2], [0, 0, 0]]
    """

    axes: tuple[pd.Index, ...]
    keys: np.ndarray
    shape: tuple[int, ...]

    @classmethod
    def of(
        cls, axes: tuple[pd.Index, ...], columns: Sequence[np.ndarray], fixed: tuple[int, ...] = ()
    ) -> Presence:
        """The distinct rows of the code ``columns``; ``fixed`` gives the sizes of the unlabelled ones."""
        shape = (*fixed, *(len(axis) for axis in axes))
        return cls(axes, np.unique(_combined(columns, shape)), shape)

    def columns(self, axes: tuple[pd.Index, ...] | None = None) -> tuple[np.ndarray, ...]:
        """The codes of each column, on the categories ``axes`` (a superset of this state's)."""
        if len(self.keys):
            columns = tuple(np.unravel_index(self.keys, self.shape))
        else:
            columns = tuple(np.zeros(0, dtype=np.intp) for _ in self.shape)
        if axes is None:
            return columns
        fixed = len(self.shape) - len(self.axes)
        return (
            *columns[:fixed],
            *(_remap(c, old, new) for c, old, new in zip(columns[fixed:], self.axes, axes, strict=True)),
        )

    def combine(self, other: PartialState) -> Presence:
        """The union of two sets, on the union of their categories."""
        assert isinstance(other, Presence)
        axes = tuple(_union_axis(a, b) for a, b in zip(self.axes, other.axes, strict=True))
        fixed = self.shape[: len(self.shape) - len(self.axes)]
        shape = (*fixed, *(len(axis) for axis in axes))
        if shape == self.shape == other.shape and all(
            a.equals(b) for a, b in zip(self.axes, other.axes, strict=True)
        ):
            return Presence(axes, np.union1d(self.keys, other.keys), shape)
        keys = [_combined(state.columns(axes), shape) for state in (self, other)]
        return Presence(axes, np.unique(np.concatenate(keys)), shape)


def _combined(columns: Sequence[np.ndarray], shape: tuple[int, ...]) -> np.ndarray:
    """Rows of codes as one int64 each (mixed radix ``shape``)."""
    if float(np.prod([max(size, 1) for size in shape], dtype=np.float64)) >= 2.0**63:
        raise ValidationError(
            f"too many combinations of categories to count ({' x '.join(map(str, shape))}); "
            "group by fewer fields"
        )
    flat = np.zeros(len(columns[0]) if len(columns) else 0, dtype=np.int64)
    for column, size in zip(columns, shape, strict=True):
        flat *= size
        flat += np.asarray(column, dtype=np.int64)
    return flat


@attrs.frozen(eq=False)
class _Parts(PartialState):
    """Several named states of one kernel, combined part by part."""

    parts: Mapping[str, Any]

    def combine(self, other: PartialState) -> _Parts:
        assert isinstance(other, _Parts)
        if set(self.parts) != set(other.parts):
            # Partitions of one corpus give states of the same parts; different parts mean
            # partitions with different columns (a sheet without a score), never to be mixed.
            raise PolicyQuantError(
                "partitions of the corpus gave different parts "
                f"({format_choices(sorted(self.parts))} and {format_choices(sorted(other.parts))}): "
                "its files do not have the same columns"
            )
        return _Parts({name: combine(part, other.parts[name]) for name, part in self.parts.items()})

    def __getitem__(self, name: str) -> Any:
        return self.parts[name]


def combine(a: Any, b: Any) -> Any:
    """Combine two partial states of the same kernel: sums of counts, unions of presence.

    Associative and commutative: partitions may be combined in any order and
    any tree, and give the same state.

    Parameters
    ----------
    a, b : PartialState or None
        States from :meth:`Kernel.partial` (or earlier combinations); None
        stands for no state (nothing to add).

    Returns
    -------
    PartialState

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> one = Counts((pd.Index(["a", "b"]),), np.array([1, 0]))
    >>> combine(one, one).counts.tolist()
    [2, 0]
    """
    if a is None:
        return b
    if b is None:
        return a
    if isinstance(a, PartialState):
        return a.combine(b)
    if isinstance(a, np.ndarray):
        return a + b
    raise TypeError(f"cannot combine {type(a).__name__} states")


def combine_all(states: Iterable[Any]) -> Any:
    """Fold :func:`combine` over ``states`` (None for no states).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> one = Counts((pd.Index(["a"]),), np.array([1]))
    >>> combine_all([one, one, one]).counts.tolist()
    [3]
    """
    return functools.reduce(combine, states, None)


# --------------------------------------------------------------------------
# Kernels.


def _base(corpus: Any) -> Corpus:
    """``corpus``'s documents with no clauses (and the clauses' columns): a partitioned corpus's base."""
    if not isinstance(corpus, Corpus):
        return corpus.base
    return documents_only(corpus)


def documents_only(corpus: Corpus) -> Corpus:
    """A corpus of every document of ``corpus`` and none of its clauses (their columns kept, empty).

    The :attr:`~PartitionedCorpus.base` of a partitioned corpus made of
    ``corpus``'s clauses: what document-level counts come from.

    Examples
    --------
    >>> import policyquant as pq
    >>> base = documents_only(pq.datasets.load_genai_china())
    >>> len(base.documents), len(base.units), list(base.units.columns)[:3]
    (63, 0, ['unit_id', 'doc_id', 'text'])
    """
    return corpus.memoized(
        "partial_base",
        lambda: Corpus._from_validated(
            corpus.framework, corpus._documents, corpus._units.iloc[:0], corpus._objective_mask[:0]
        ),
    )


class Kernel(abc.ABC):
    """One aggregation as partial counts per partition, :func:`combine` and a final step.

    Subclasses are frozen attrs classes of plain arguments, so that a kernel
    pickles (to Dask workers) and its arguments are checked when it is made,
    before any partition is read.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.analysis.partial import EfficacySummaryKernel
    >>> corpus = pq.datasets.load_genai_china()
    >>> EfficacySummaryKernel(by="family").run(corpus).to_frame()["count"].tolist()
    [348, 147, 175]
    """

    #: The in-memory function the kernel reproduces (for messages).
    function: ClassVar[str] = ""

    @abc.abstractmethod
    def partial(self, part: Corpus) -> PartialState:
        """The partial state of one partition (a validated corpus sharing the documents table)."""

    def combine(self, a: PartialState, b: PartialState) -> PartialState:
        """:func:`combine`."""
        return combine(a, b)

    @abc.abstractmethod
    def finalize(self, state: PartialState, corpus: Any) -> Any:
        """The result object of the in-memory function, from the combined state.

        ``corpus`` is what the result refers to: a :class:`~policyquant.Corpus`
        or a :class:`PartitionedCorpus` (whose documents table is used).
        """

    def empty(self, corpus: Any) -> PartialState:
        """The state of no clauses: the partial state of ``corpus``'s documents alone."""
        return self.partial(_base(corpus))

    def run(self, corpus: Corpus) -> Any:
        """The in-memory path: the whole corpus as one partition."""
        return self.finalize(self.partial(corpus), corpus)


# Crosstab and fit --------------------------------------------------------------------


def _crosstab_table(rows: str, columns: str, count: str, framework: Any) -> str:
    if count == "documents":
        return "documents"
    table = "codings" if count == "codings" or "objective" in (rows, columns) else "units"
    if table == "codings" and not framework.objectives:
        table = "units"
    return table


@attrs.frozen
class CrosstabKernel(Kernel):
    """:func:`policyquant.crosstab` as a kernel.

    Parameters
    ----------
    rows, columns : str, default "instrument" and "objective"
    count : {"codings", "units", "documents"}, default "codings"
        As :func:`policyquant.crosstab`.  Counts of documents by document
        fields come from the documents table, in :meth:`finalize`; a
        co-occurrence within documents carries the distinct (document,
        category) pairs, so a document whose clauses are in several partitions
        counts once.

    Examples
    --------
    >>> import policyquant as pq
    >>> corpus = pq.datasets.load_genai_china()
    >>> CrosstabKernel("family", "level").run(corpus).counts.loc["mandatory"].tolist()
    [292, 180]
    """

    rows: str = "instrument"
    columns: str = "objective"
    count: str = "codings"
    function: ClassVar[str] = "crosstab"

    def __attrs_post_init__(self) -> None:
        if self.count not in ("codings", "units", "documents"):
            raise ValidationError(f"count must be 'codings', 'units' or 'documents', got {self.count!r}")
        if self.rows == self.columns:
            from .crosstab import _check_cooccurring

            _check_cooccurring(self.rows)

    def partial(self, part: Corpus) -> PartialState:
        from .crosstab import _COOCCURRING

        framework = part.framework
        if self.rows == self.columns:
            field = self.rows
            context = _COOCCURRING[field] if self.count == "codings" else self.count
            table = "codings" if field == "objective" else "units"
            groups = grouping(part, field, table)
            (categories,) = groups.categories
            units = part.coding_unit_positions() if table == "codings" else np.arange(len(part.units))
            if context == "documents":
                from .crosstab import _indicator

                # The documents' distinct codes: the nonzero cells of the 0/1 documents x codes matrix.
                size, k = len(part.documents), len(categories)
                indicator = _indicator(part.unit_document_positions()[units], groups.codes, size, k)
                rows = np.repeat(np.arange(size, dtype=np.int64), np.diff(indicator.indptr))
                return Presence((categories,), rows * k + indicator.indices, (size, k))
            from .crosstab import _cooccurrence_matrix

            matrix = _cooccurrence_matrix(units, groups.codes, len(part.units), len(categories))
            return Counts((categories, categories), matrix)
        table = _crosstab_table(self.rows, self.columns, self.count, framework)
        groups = grouping(part, [self.rows, self.columns], table)
        row_categories, column_categories = groups.categories
        if table == "documents":
            # Documents are counted once, from the shared documents table, when finalizing.
            return _Parts({})
        shape = (len(row_categories), len(column_categories))
        flat = np.bincount(groups.codes, minlength=shape[0] * shape[1]).reshape(shape)
        return Counts((row_categories, column_categories), flat)

    def counts(self, state: PartialState, corpus: Any) -> tuple[pd.DataFrame, str]:
        """The table of counts and what was counted."""
        from .crosstab import _COOCCURRING

        if self.rows == self.columns:
            field = self.rows
            context = _COOCCURRING[field] if self.count == "codings" else self.count
            (categories,) = state.axes[:1]
            if isinstance(state, Presence):
                from scipy import sparse

                documents, codes = state.columns()
                size, k = state.shape
                # Sorted distinct pairs are a CSR matrix already: no duplicates to sum.
                indptr = np.concatenate([[0], np.cumsum(np.bincount(documents, minlength=size))])
                indicator = sparse.csr_matrix(
                    (np.ones(len(codes), dtype=np.int64), codes, indptr), shape=(size, k)
                )
                matrix = np.asarray((indicator.T @ indicator).toarray(), dtype=np.int64)
            else:
                assert isinstance(state, Counts)
                matrix = state.counts
            frame = pd.DataFrame(matrix, index=categories.rename(field), columns=categories.rename(field))
            return frame, context
        table = _crosstab_table(self.rows, self.columns, self.count, corpus.framework)
        if table == "documents":
            base = _base(corpus)
            groups = grouping(base, [self.rows, self.columns], "documents")
            row_categories, column_categories = groups.categories
            shape = (len(row_categories), len(column_categories))
            flat = np.bincount(groups.codes, minlength=shape[0] * shape[1]).reshape(shape)
        else:
            assert isinstance(state, Counts)
            row_categories, column_categories = state.axes
            flat = state.counts
        frame = pd.DataFrame(
            flat, index=row_categories.rename(self.rows), columns=column_categories.rename(self.columns)
        )
        return frame, table

    def finalize(self, state: PartialState, corpus: Any) -> Any:
        """The :class:`~policyquant.analysis.CrosstabResult`."""
        from .crosstab import CrosstabResult

        counts, table = self.counts(state, corpus)
        return CrosstabResult(counts, self.rows, self.columns, table, corpus)


@attrs.frozen
class FitKernel(CrosstabKernel):
    """:func:`policyquant.fit` as a kernel: the crosstab's counts, tested when finalizing.

    Examples
    --------
    >>> import policyquant as pq
    >>> round(FitKernel(rows="family").run(pq.datasets.load_genai_china()).chi2, 2)
    63.38
    """

    function: ClassVar[str] = "fit"

    def finalize(self, state: PartialState, corpus: Any) -> Any:
        """The :class:`~policyquant.analysis.FitResult`."""
        from .fit import _fit_counts

        counts, _ = self.counts(state, corpus)
        return _fit_counts(counts, self.rows, self.columns, corpus)


# Efficacy -----------------------------------------------------------------------------


@attrs.frozen
class EfficacySummaryKernel(Kernel):
    """:func:`policyquant.efficacy_summary` as a kernel.

    The state is a histogram: for each group, how many clauses (or codings)
    have each efficacy score.  Efficacy scores are discrete (the levels of the
    scale's dimensions combined), so the histogram is small and every
    statistic (count, mean, standard deviation, minimum, maximum, total)
    follows from it exactly, as
    :func:`~policyquant.analysis.histogram_statistics` computes them in
    memory.

    Examples
    --------
    >>> import policyquant as pq
    >>> corpus = pq.datasets.load_genai_china()
    >>> EfficacySummaryKernel(by="objective").run(corpus).to_frame()["count"].tolist()
    [124, 365, 193, 226]
    """

    by: str | tuple[str, ...] = attrs.field(default="instrument", converter=lambda by: fields_of(by))
    function: ClassVar[str] = "efficacy_summary"

    def partial(self, part: Corpus) -> PartialState:
        from .efficacy import _unit_scores

        fields = list(self.by)
        table = "codings" if "objective" in fields else "units"
        groups = grouping(part, fields, table)
        scores = _unit_scores(part)
        if table == "codings":
            scores = scores[part.coding_unit_positions()]
        codes, levels = pd.factorize(scores, sort=True, use_na_sentinel=False)
        levels = pd.Index(np.asarray(levels, dtype=np.float64), name="score")
        shape = tuple(len(c) for c in groups.categories)
        k = len(levels)
        flat = np.bincount(groups.codes.astype(np.intp) * k + codes, minlength=groups.size * k)
        return Counts((*groups.categories, levels), flat.reshape(*shape, k))

    def finalize(self, state: PartialState, corpus: Any) -> Any:
        """The :class:`~policyquant.analysis.EfficacySummaryResult`."""
        from .efficacy import EfficacySummaryResult, _histogram_statistics

        assert isinstance(state, Counts)
        fields = list(self.by)
        *categories, levels = state.axes
        size = int(np.prod([len(c) for c in categories]))
        histogram = state.counts.reshape(size, len(levels))
        # The scores no clause has are not levels at all in memory: leave them out.
        used = histogram.sum(axis=0) > 0
        histogram, values = histogram[:, used], np.asarray(levels, dtype=np.float64)[used]
        unknown = np.isnan(values)
        stats = _histogram_statistics(histogram[:, ~unknown], values[~unknown])
        if unknown.any():
            # A clause without a score makes its group's statistics unknown, as in memory.
            missing = histogram[:, unknown].sum(axis=1) > 0
            stats["count"] = stats["count"] + histogram[:, unknown].sum(axis=1)
            for name in ("mean", "std", "min", "max", "total"):
                stats[name] = np.where(missing, np.nan, stats[name])
        index = (
            categories[0].rename(fields[0])
            if len(categories) == 1
            else pd.MultiIndex.from_product(categories, names=fields)
        )
        grand = stats["total"].sum()
        frame = pd.DataFrame(stats, index=index)
        frame["share"] = frame["total"] / grand * 100.0 if grand else 0.0
        frame["count"] = frame["count"].astype("int64")
        table = "codings" if "objective" in fields else "units"
        return EfficacySummaryResult(frame, corpus, fields, table)


# Trends -------------------------------------------------------------------------------


def _freeze(periods: Any) -> Any:
    if periods is None or isinstance(periods, tuple):
        return periods
    if isinstance(periods, Mapping):
        return tuple((label, tuple(bounds)) for label, bounds in periods.items())
    return tuple(periods)


@attrs.frozen
class TrendsKernel(Kernel):
    """:func:`policyquant.trends` as a kernel.

    Periods come from the documents' years (the shared documents table), so
    every partition codes them alike.  Clauses, codings and efficacy totals
    are sums per period (and ``by`` category); documents per period and
    category are the distinct (document, cell) pairs, so that a document whose
    clauses fall in several partitions counts once.

    Examples
    --------
    >>> import policyquant as pq
    >>> table = TrendsKernel(periods=[2017, 2023, 2026]).run(pq.datasets.load_genai_china()).to_frame()
    >>> table["documents"].tolist()
    [14, 49]
    """

    periods: Any = attrs.field(default=None, converter=_freeze)
    by: str | None = None
    cumulative: bool = False
    function: ClassVar[str] = "trends"

    def _periods(self) -> Any:
        periods = self.periods
        if periods and isinstance(periods[0], tuple):
            return dict(periods)
        return periods

    def _document_periods(self, corpus: Any) -> tuple[np.ndarray, pd.Index]:
        from .trends import _document_periods

        return _document_periods(_base(corpus), self._periods())

    def partial(self, part: Corpus) -> PartialState:
        from .efficacy import _unit_scores
        from .trends import _has_scores

        doc_period, labels = self._document_periods(part)
        unit_doc = part.unit_document_positions()
        unit_period = doc_period[unit_doc]
        coding_units = part.coding_unit_positions()
        scale = part.framework.scale
        scores = _unit_scores(part) if scale is not None and _has_scores(part) else None
        if self.by is None:
            split_index = pd.Index([0])
            coding_split = np.zeros(len(coding_units), dtype=np.intp)
            rows, split, units = unit_period, np.zeros(len(unit_period), dtype=np.intp), np.arange(len(unit_period))
        else:
            coding_split, split_index = group_codes(part, self.by, "codings")
            if self.by == "objective":
                rows, split, units = unit_period[coding_units], coding_split, coding_units
            else:
                split, _ = group_codes(part, self.by, "units")
                rows, units = unit_period, np.arange(len(unit_period))
        n_split = len(split_index)
        size = len(labels) * n_split
        cells = rows * n_split + split
        axes = (labels, split_index)
        shape = (len(labels), n_split)
        parts: dict[str, Any] = {
            "units": Counts(axes, np.bincount(cells, minlength=size).reshape(shape)),
            "codings": Counts(
                axes, np.bincount(unit_period[coding_units] * n_split + coding_split, minlength=size).reshape(shape)
            ),
        }
        if self.by is not None:
            parts["documents"] = Presence.of(
                (split_index,), [unit_doc[units], rows, split], (len(part.documents), len(labels))
            )
        if scores is not None:
            parts["efficacy_total"] = Counts(
                axes, np.bincount(cells, weights=scores[units], minlength=size).reshape(shape)
            )
        return _Parts(parts)

    def finalize(self, state: PartialState, corpus: Any) -> Any:
        """The :class:`~policyquant.analysis.TrendsResult`."""
        from .trends import TrendsResult

        assert isinstance(state, _Parts)
        doc_period, labels = self._document_periods(corpus)
        units = state["units"]
        split_index = units.axes[1]
        n_periods, n_split = len(labels), len(split_index)
        size = n_periods * n_split
        axes = units.axes

        def flat(name: str) -> np.ndarray:
            return state[name].aligned(axes).reshape(size)

        if self.by is None:
            # Documents without clauses still count as policy output.
            docs = np.bincount(doc_period, minlength=n_periods)
        else:
            presence = state["documents"]
            if presence.axes[0].equals(split_index):
                cells = presence.keys % size  # the (period, category) digits of each (document, cell)
            else:
                _, period, split = presence.columns((split_index,))
                cells = period * n_split + split
            docs = np.bincount(cells.astype(np.intp), minlength=size)
        columns = {"documents": docs, "units": flat("units"), "codings": flat("codings")}
        if "efficacy_total" in state.parts:
            columns["efficacy_total"] = flat("efficacy_total")
        frame = pd.DataFrame(columns)
        if self.cumulative:
            for column in frame.columns:
                frame[column] = frame[column].to_numpy().reshape(n_periods, n_split).cumsum(axis=0).ravel()
        if "efficacy_total" in state.parts:
            with np.errstate(invalid="ignore", divide="ignore"):
                frame["efficacy_mean"] = frame["efficacy_total"] / frame["units"].where(frame["units"] > 0)
        frame.index = (
            labels
            if self.by is None
            else pd.MultiIndex.from_product([labels, split_index], names=[labels.name, self.by])
        )
        return TrendsResult(frame, corpus, self.by, self.cumulative)


# Documents only: authority ------------------------------------------------------------


@attrs.frozen
class AuthorityDistributionKernel(Kernel):
    """:func:`policyquant.authority_distribution` as a kernel: documents only.

    It counts documents by document fields, so partitions of clauses add
    nothing: the state is empty and :meth:`finalize` counts the shared
    documents table.

    Examples
    --------
    >>> import policyquant as pq
    >>> kernel = AuthorityDistributionKernel(admin_level="provincial")
    >>> kernel.run(pq.datasets.load_genai_china()).counts.sum().sum()
    np.int64(36)
    """

    by: str = "region"
    dimension: str | None = None
    admin_level: str | None = None
    function: ClassVar[str] = "authority_distribution"

    def partial(self, part: Corpus) -> PartialState:
        return _Parts({})

    def finalize(self, state: PartialState, corpus: Any) -> Any:
        """The :class:`~policyquant.analysis.CrosstabResult` of documents."""
        from .authority import authority_distribution

        return authority_distribution(_base(corpus), by=self.by, dimension=self.dimension, admin_level=self.admin_level)


# Portfolios ---------------------------------------------------------------------------


@attrs.frozen
class PortfolioMeasuresKernel(Kernel):
    """:func:`policyquant.portfolio_measures` of a corpus as a kernel.

    The state is the set of distinct (portfolio fields, instrument, objective)
    codes found among the codings: a cell of a portfolio is covered when any
    partition covers it.

    Examples
    --------
    >>> import policyquant as pq
    >>> PortfolioMeasuresKernel(by="level").run(pq.datasets.load_genai_china()).to_frame()["space"].tolist()
    [64, 64]
    """

    by: tuple[str, ...] | None = attrs.field(
        default=None, converter=lambda by: None if by is None else fields_of(by)
    )
    function: ClassVar[str] = "portfolio_measures"

    def partial(self, part: Corpus) -> PartialState:
        from .portfolios import _corpus_codes

        _, codes, categories, i_codes, o_codes = _corpus_codes(part, self.by)
        n_i, n_o = len(part.framework.instrument_keys), len(part.framework.objective_keys)
        return Presence.of(tuple(categories), [i_codes, o_codes, *codes], (n_i, n_o))

    def finalize(self, state: PartialState, corpus: Any) -> Any:
        """The :class:`~policyquant.analysis.PortfolioMeasuresResult`."""
        from .portfolios import PortfolioMeasuresResult, _corpus_codes, _measures_frame, _presence_from_codes

        assert isinstance(state, Presence)
        fields, _, _, _, _ = _corpus_codes(_base(corpus), self.by)
        i_codes, o_codes, *codes = (c.astype(np.intp) for c in state.columns())
        presence, in_space_i, in_space_t, index = _presence_from_codes(
            _base(corpus), fields, codes, list(state.axes), i_codes, o_codes
        )
        return PortfolioMeasuresResult(_measures_frame(presence, in_space_i, in_space_t, index), corpus)


# --------------------------------------------------------------------------
# Partitioned corpora.


class PartitionedCorpus(abc.ABC):
    """A corpus held as partitions of its clauses, with one shared documents table.

    The analyses :func:`policyquant.crosstab`, :func:`~policyquant.fit`,
    :func:`~policyquant.efficacy_summary`, :func:`~policyquant.trends`,
    :func:`~policyquant.authority_distribution` and
    :func:`~policyquant.portfolio_measures` accept it in place of a
    :class:`~policyquant.Corpus`: they run their :class:`Kernel` over the
    partitions with :meth:`aggregate` and return the same result objects.

    Subclasses provide :attr:`base` (a corpus of the documents, with no
    clauses), :meth:`partitions` and :attr:`n_not_coded`, and may override
    :meth:`aggregate` (a parallel or tree reduction).

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.analysis.partial import PartitionedCorpus
    >>> class Halves(PartitionedCorpus):
    ...     def __init__(self, corpus):
    ...         self.corpus = corpus
    ...     @property
    ...     def base(self):
    ...         return documents_only(self.corpus)
    ...     @property
    ...     def n_not_coded(self):
    ...         return len(self.corpus.not_coded)
    ...     def partitions(self):
    ...         first = self.corpus.documents.index < 30
    ...         yield self.corpus.subset(first)
    ...         yield self.corpus.subset(~first)
    >>> corpus = pq.datasets.load_genai_china()
    >>> pq.crosstab(Halves(corpus)).total
    908
    """

    @property
    @abc.abstractmethod
    def base(self) -> Corpus:
        """A corpus of every document and no clauses (the clause columns, empty)."""

    @abc.abstractmethod
    def partitions(self) -> Iterator[Corpus]:
        """The partitions: validated corpora, each with the full documents table and some clauses."""

    @property
    def n_not_coded(self) -> int:
        """How many clauses are coded ``none`` (not in any count)."""
        return 0

    @property
    def framework(self) -> Any:
        """The framework the corpus was validated against."""
        return self.base.framework

    @property
    def documents(self) -> pd.DataFrame:
        """One row per document, as :attr:`policyquant.Corpus.documents`."""
        return self.base.documents

    def aggregate(self, kernel: Kernel) -> Any:
        """Run ``kernel`` over every partition, combine the partial states once, and finalize.

        Parameters
        ----------
        kernel : Kernel

        Returns
        -------
        object
            The result object of the kernel's in-memory function.
        """
        return self.aggregate_all([kernel])[0]

    def aggregate_all(self, kernels: Sequence[Kernel]) -> list[Any]:
        """Run several kernels in one pass over the partitions: each partition is read once.

        Parameters
        ----------
        kernels : sequence of Kernel

        Returns
        -------
        list
            The kernels' results, in order.

        Examples
        --------
        >>> import policyquant as pq
        >>> from policyquant.analysis.partial import CrosstabKernel, PartitionedCorpus, TrendsKernel, documents_only
        >>> corpus = pq.datasets.load_genai_china()
        >>> class Whole(PartitionedCorpus):
        ...     base = property(lambda self: documents_only(corpus))
        ...     def partitions(self):
        ...         yield corpus
        >>> table, trends = Whole().aggregate_all([CrosstabKernel(), TrendsKernel()])
        >>> table.total, int(trends.to_frame()["units"].sum())
        (908, 670)
        """
        kernels = list(kernels)
        states = [kernel.empty(self) for kernel in kernels]
        for part in self.partitions():
            states = [combine(state, kernel.partial(part)) for state, kernel in zip(states, kernels, strict=True)]
        return [kernel.finalize(state, self) for state, kernel in zip(states, kernels, strict=True)]


def split_units(corpus: Corpus, labels: Sequence[int] | np.ndarray) -> list[Corpus]:
    """Partitions of a corpus: its clauses split by ``labels``, every document in each.

    Parameters
    ----------
    corpus : Corpus
    labels : array-like of int
        One partition label per clause of ``corpus.units`` (then per clause
        of ``corpus.not_coded``, if ``labels`` is that long); the clauses of a
        partition keep their order in ``labels``' order of positions.

    Returns
    -------
    list of Corpus
        One per distinct label, in label order; nothing is validated again.

    Examples
    --------
    >>> import numpy as np
    >>> import policyquant as pq
    >>> corpus = pq.datasets.load_genai_china()
    >>> parts = split_units(corpus, np.arange(len(corpus.units)) % 3)
    >>> [len(p.units) for p in parts], [len(p.documents) for p in parts]
    ([224, 223, 223], [63, 63, 63])
    """
    labels = np.asarray(labels)
    n_units, n_not_coded = len(corpus._units), len(corpus._not_coded)
    if len(labels) not in (n_units, n_units + n_not_coded):
        raise ValidationError(
            f"labels must give one partition per clause ({n_units}, or {n_units + n_not_coded} with the "
            f"clauses coded none); got {len(labels)}"
        )
    unit_labels = labels[:n_units]
    first = labels.min() if len(labels) else 0  # without labels of their own they go with the first partition
    not_coded_labels = labels[n_units:] if len(labels) > n_units else np.full(n_not_coded, first)
    parts = []
    for label in np.unique(labels):
        keep = np.flatnonzero(unit_labels == label)
        parts.append(
            Corpus._from_validated(
                corpus.framework,
                corpus._documents,
                corpus._units.take(keep).reset_index(drop=True),
                corpus._objective_mask[keep],
                corpus._not_coded[not_coded_labels == label].reset_index(drop=True),
            )
        )
    return parts


def dispatch(corpus: Any, kernel: Any) -> Any:
    """``corpus.aggregate(kernel())`` for a partitioned corpus, else None (run in memory).

    ``kernel`` is a callable making the kernel, so that nothing is built for a
    corpus in memory.
    """
    if isinstance(corpus, PartitionedCorpus):
        return corpus.aggregate(kernel())
    return None
