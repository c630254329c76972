"""Reliability coefficients as count kernels: per-partition counts of values per unit, combined once.

Krippendorff's alpha, Fleiss' kappa, Gwet's AC1, Brennan-Prediger and percent
agreement depend on the data only through each unit's counts of values (how
many coders gave the unit each category), and then only through how many
units share each such *pattern* of counts.  A partition of reliability data
(a long table with one row per unit, coder and value, or a coders x units
block) becomes:

* per-unit counts, keyed by unit, when a unit's values may be in several
  partitions (:func:`~policyquant.analysis.partial.combine` adds them by
  unit: the state grows with the units, as reliability data in memory do);
* or, with ``complete_units=True`` (every value of a unit in this partition,
  as after partitioning by a hash of the unit id), the counts of the
  patterns directly: a state that grows with the distinct patterns only.

:meth:`AlphaKernel.finalize` computes the coincidence matrix from the
patterns as ``sum_m G_m / (m - 1)``, ``G_m`` the integer Gram matrix of the
units with ``m`` values: the same for any partitioning and row order, and
equal to :func:`~policyquant.reliability.krippendorff_alpha` in memory up to
rounding (about 1e-15).  The bootstrap draws from the same patterns in the
same order, so the same seed gives the same interval.

Examples
--------
>>> import pandas as pd
>>> from policyquant.analysis.partial import combine
>>> from policyquant.reliability.partial import AlphaKernel
>>> long = pd.DataFrame({"unit": [1, 1, 2, 2, 3, 3], "coder": ["a", "b"] * 3,
...                      "value": ["x", "x", "y", "x", "y", "y"]})
>>> kernel = AlphaKernel()
>>> state = combine(kernel.partial(long.iloc[:3]), kernel.partial(long.iloc[3:]))
>>> round(kernel.finalize(state).alpha, 4)
0.4444
"""

from __future__ import annotations

import math
import numbers
from typing import Any, ClassVar

import attrs
import numpy as np
import pandas as pd

from ..analysis.partial import Kernel, PartialState, _union_axis
from ..errors import ValidationError
from .coefficients import (
    MAX_CATEGORIES,
    AlphaResult,
    ReliabilityData,
    _alpha_from_coincidences,
    _bootstrap_alphas,
    _check_ci,
    _check_not_mixed,
    _fixed_distances,
    _is_numeric_index,
    _level_name,
    _ordinal_distances,
    _recode,
    brennan_prediger,
    fleiss_kappa,
    gwet_ac1,
    percent_agreement,
    reliability_data,
)

__all__ = ["AlphaKernel", "ReliabilityKernel", "ReliabilityState"]


@attrs.frozen(eq=False)
class ReliabilityState(PartialState):
    """Per-unit counts of values (open units) and counts of count patterns (closed units).

    Attributes
    ----------
    categories : pandas.Index
        The categories, in order (``values=``, or the sorted values found).
    coders : pandas.Index
        The coders seen.
    units : numpy.ndarray
        Labels of the open units (whose values may be in other partitions).
    counts : numpy.ndarray
        Open units x categories: how many coders gave each unit each category.
    patterns : numpy.ndarray
        Distinct count vectors of closed units (patterns x categories), and
    sizes : numpy.ndarray
        how many closed units have each.
    ordered : bool
        Whether the order of the categories means something.
    """

    categories: pd.Index
    coders: pd.Index
    units: np.ndarray
    counts: np.ndarray
    patterns: np.ndarray
    sizes: np.ndarray
    ordered: bool = False

    def _on(self, categories: pd.Index) -> tuple[np.ndarray, np.ndarray]:
        if categories.equals(self.categories):
            return self.counts, self.patterns
        where = categories.get_indexer(self.categories)
        counts = np.zeros((len(self.counts), len(categories)), dtype=np.int64)
        counts[:, where] = self.counts
        patterns = np.zeros((len(self.patterns), len(categories)), dtype=np.int64)
        patterns[:, where] = self.patterns
        return counts, patterns

    def combine(self, other: PartialState) -> ReliabilityState:
        """The counts of both states: open units added by unit, patterns by pattern."""
        assert isinstance(other, ReliabilityState)
        categories = _union_axis(self.categories, other.categories)
        mine, my_patterns = self._on(categories)
        theirs, their_patterns = other._on(categories)
        units, counts = _add_by_unit(
            np.concatenate([self.units, other.units]), np.concatenate([mine, theirs])
        )
        patterns, sizes = _add_patterns(
            np.concatenate([my_patterns, their_patterns]), np.concatenate([self.sizes, other.sizes])
        )
        coders = self.coders.append(other.coders.difference(self.coders, sort=False))
        return ReliabilityState(
            categories, coders, units, counts, patterns, sizes, self.ordered or other.ordered
        )

    def closed(self) -> ReliabilityState:
        """Every unit closed: its counts become a pattern (when no partition is left to read)."""
        if not len(self.units):
            return self
        patterns, sizes = _add_patterns(
            np.concatenate([self.patterns, self.counts]),
            np.concatenate([self.sizes, np.ones(len(self.counts), dtype=np.int64)]),
        )
        empty = np.zeros((0, len(self.categories)), dtype=np.int64)
        return ReliabilityState(
            self.categories, self.coders, self.units[:0], empty, patterns, sizes, self.ordered
        )


def _add_by_unit(units: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not len(units):
        return units, counts
    codes, uniques = pd.factorize(units)
    if len(uniques) == len(units):
        return units, counts
    out = np.zeros((len(uniques), counts.shape[1]), dtype=np.int64)
    np.add.at(out, codes, counts)
    return np.asarray(uniques, dtype=object), out


def _add_patterns(patterns: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keep = patterns.sum(axis=1) > 0  # a unit nobody coded is no unit of the data
    patterns, sizes = patterns[keep], sizes[keep]
    if not len(patterns):
        return patterns, sizes
    unique, inverse = np.unique(patterns, axis=0, return_inverse=True)
    return unique, np.bincount(inverse.reshape(-1), weights=sizes, minlength=len(unique)).astype(np.int64)


def _as_long(part: Any, unit: str, coder: str, value: str) -> pd.DataFrame:
    """A partition as a long table (unit, coder, value), values missing dropped."""
    if isinstance(part, pd.DataFrame) and {unit, coder, value} <= set(part.columns):
        frame = part[[unit, coder, value]]
        frame.columns = ["unit", "coder", "value"]
    else:
        coded = reliability_data(part)
        rows, columns = np.nonzero(coded.codes >= 0)
        frame = pd.DataFrame(
            {
                "unit": np.asarray(coded.units, dtype=object)[columns],
                "coder": np.asarray(coded.coders, dtype=object)[rows],
                "value": np.asarray(coded.categories, dtype=object)[coded.codes[rows, columns]],
            }
        )
    values = frame["value"]
    missing = values.isna().to_numpy() | (values.astype(object).to_numpy() == "nan")
    return frame[~missing]


def _check_repeated(frame: pd.DataFrame) -> None:
    repeated = frame.duplicated(["unit", "coder"], keep="first").to_numpy()
    if repeated.any():
        rows = frame[repeated]
        raise ValidationError(
            f"{int(repeated.sum()):,} value(s) given twice by the same coder to the same unit: a coder "
            "gives a unit one value",
            [
                {
                    "row": row,
                    "column": "value",
                    "value": value,
                    "problem": f"coder {c!r} already gave unit {u!r} a value",
                    "expected": "one value per coder and unit",
                }
                for row, u, c, value in zip(rows.index[:1000], rows["unit"], rows["coder"], rows["value"], strict=False)
            ],
        )


def _freeze_values(values: Any) -> tuple[Any, ...] | None:
    if values is None:
        return None
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise ValidationError(f"values= must be a sequence of categories, not {values!r}")
    return tuple(values)


@attrs.frozen
class _CountsKernel(Kernel):
    """The per-unit counts every reliability kernel starts from."""

    values: tuple[Any, ...] | None = attrs.field(default=None, converter=_freeze_values, kw_only=True)
    complete_units: bool = attrs.field(default=False, kw_only=True)
    unit: str = attrs.field(default="unit", kw_only=True)
    coder: str = attrs.field(default="coder", kw_only=True)
    value: str = attrs.field(default="value", kw_only=True)

    def partial(self, part: Any) -> ReliabilityState:
        """The per-unit counts of one partition of reliability data.

        ``part`` is a long DataFrame with the columns ``unit``, ``coder`` and
        ``value`` (their names as given to the kernel), or a coders x units
        table (anything :func:`~policyquant.reliability.reliability_data`
        takes).
        """
        frame = _as_long(part, self.unit, self.coder, self.value)
        _check_repeated(frame)
        codes, found = pd.factorize(frame["value"].to_numpy(dtype=object), sort=True)
        found = pd.Index(found)
        if found.dtype == object:
            found = found.infer_objects()
        _check_not_mixed(found)
        ordered = _is_numeric_index(found)
        if self.values is not None:
            recoded = _recode(ReliabilityData(codes[None, :], found, pd.RangeIndex(1), pd.RangeIndex(len(codes)), ordered), self.values)
            categories, codes, ordered = recoded.categories, recoded.codes[0], True
        else:
            categories = found
        unit_codes, units = pd.factorize(frame["unit"].to_numpy(dtype=object))
        k = len(categories)
        counts = np.bincount(unit_codes * k + codes, minlength=len(units) * k).reshape(len(units), k)
        coders = pd.Index(pd.unique(frame["coder"].to_numpy(dtype=object)))
        state = ReliabilityState(
            categories,
            coders,
            np.asarray(units, dtype=object),
            counts.astype(np.int64),
            np.zeros((0, k), dtype=np.int64),
            np.zeros(0, dtype=np.int64),
            ordered,
        )
        return state.closed() if self.complete_units else state

    def empty(self, corpus: Any = None) -> ReliabilityState:
        """No values at all."""
        categories = pd.Index(list(self.values)) if self.values is not None else pd.Index([])
        k = len(categories)
        return ReliabilityState(
            categories,
            pd.Index([]),
            np.zeros(0, dtype=object),
            np.zeros((0, k), dtype=np.int64),
            np.zeros((0, k), dtype=np.int64),
            np.zeros(0, dtype=np.int64),
            self.values is not None,
        )

    def run(self, corpus: Any) -> Any:
        """The whole reliability data as one partition."""
        return self.finalize(self.partial(corpus))

    def _expanded(self, state: ReliabilityState) -> ReliabilityData:
        """Reliability data with one unit per closed unit (coders in no particular order)."""
        state = state.closed()
        n_coders = max(len(state.coders), int(state.patterns.sum(axis=1).max(initial=0)), 2)
        ordered = _ordered_codes(state.patterns, n_coders)
        codes = np.repeat(ordered, state.sizes, axis=0).T
        codes = np.where(codes >= len(state.categories), -1, codes)
        return ReliabilityData(
            codes, state.categories, pd.Index(state.coders), pd.RangeIndex(codes.shape[1], name="unit"), state.ordered
        )


def _ordered_codes(patterns: np.ndarray, n_coders: int) -> np.ndarray:
    """Each pattern as its sorted codes, padded with ``K`` (not coded) to ``n_coders``: patterns x coders."""
    k = patterns.shape[1]
    out = np.full((len(patterns), n_coders), k, dtype=np.int64)
    m = patterns.sum(axis=1)
    rows = np.repeat(np.arange(len(patterns)), m)
    cats = np.repeat(np.tile(np.arange(k), len(patterns)), patterns.reshape(-1))
    position = np.arange(len(rows)) - np.repeat(np.cumsum(m) - m, m)
    out[rows, position] = cats
    return out


@attrs.frozen
class AlphaKernel(_CountsKernel):
    """:func:`~policyquant.reliability.krippendorff_alpha` as a count kernel.

    Parameters
    ----------
    measurement, bootstrap, ci, seed, minimums
        As :func:`~policyquant.reliability.krippendorff_alpha` (a
        ``measurement`` function must be picklable to run on other processes).
    values : sequence, optional
        Every category, in order (required for ordinal labels); fixes the
        categories of every partition.
    complete_units : bool, default False
        Every value of a unit is in the partition it is in: the state is then
        the counts of patterns, not of units.
    unit, coder, value : str
        The columns of a long partition.

    Examples
    --------
    >>> from policyquant.reliability.partial import AlphaKernel
    >>> nan = float("nan")
    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...         [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    >>> AlphaKernel().run(data)
    AlphaResult(alpha=0.7434, level='nominal', n_units=11, n_pairable=40, n_coders=4)
    """

    measurement: Any = "nominal"
    bootstrap: int | None = None
    ci: float = 0.95
    seed: int | None = None
    minimums: tuple[float, ...] = attrs.field(default=(0.667, 0.8), converter=lambda m: tuple(float(v) for v in m))
    function: ClassVar[str] = "krippendorff_alpha"

    def __attrs_post_init__(self) -> None:
        _level_name(self.measurement)
        _check_ci(self.ci)
        bootstrap = self.bootstrap
        if bootstrap is not None and (
            isinstance(bootstrap, bool) or not isinstance(bootstrap, numbers.Integral) or bootstrap < 1
        ):
            raise ValidationError(f"bootstrap= must be a number of resamples (1 or more); got {bootstrap!r}")

    def finalize(self, state: PartialState, corpus: Any = None) -> AlphaResult:
        """The :class:`~policyquant.reliability.AlphaResult`."""
        assert isinstance(state, ReliabilityState)
        state = state.closed()
        measurement = self.measurement
        name = _level_name(measurement)
        categories = state.categories
        k = len(categories)
        n_coders = len(state.coders)
        if n_coders < 2:
            raise ValidationError(f"reliability needs at least two coders (rows); got {n_coders}")
        if k > MAX_CATEGORIES:
            raise ValidationError(
                f"{k:,} distinct values are too many for a coincidence matrix "
                f"(at most {MAX_CATEGORIES:,}); round interval data or merge categories"
            )
        shell = ReliabilityData(np.zeros((n_coders, 0), dtype=np.int64), categories, state.coders, pd.RangeIndex(0), state.ordered)
        if measurement == "ordinal" and not state.ordered:
            from .._text import format_choices

            raise ValidationError(
                "the ordinal level needs the order of the labels: pass values=[...] from lowest to highest "
                f"(found {format_choices((repr(v) for v in categories), limit=6)})"
            )
        distances = _fixed_distances(measurement, shell)
        patterns, sizes = state.patterns, state.sizes
        m = patterns.sum(axis=1)
        pairable = m >= 2
        n_units = int(sizes[pairable].sum())
        if n_units == 0:
            raise ValidationError(
                "no unit was coded by two or more coders, so no values can be paired "
                f"({n_coders} coders, {int(sizes.sum()):,} units)"
            )
        o = np.zeros((k, k))
        # Integer Gram matrices per number of values: exact, so any partitioning gives the same matrix.
        for values in np.unique(m[pairable]):
            chosen = m == values
            p = patterns[chosen].astype(np.float64)
            weighted = p * sizes[chosen][:, None]
            gram = weighted.T @ p
            gram[np.diag_indices_from(gram)] -= weighted.sum(axis=0)
            o += gram / (values - 1.0)
        if distances is None:
            distances = _ordinal_distances(o.sum(axis=1))
        alpha, observed, expected = _alpha_from_coincidences(o, distances)
        index = categories.copy()
        result = AlphaResult(
            alpha=alpha,
            observed_disagreement=observed,
            expected_disagreement=expected,
            n_pairable=round(float(o.sum())),
            n_units=n_units,
            n_coders=n_coders,
            level=name,
            coincidences=pd.DataFrame(o, index=index.rename("value"), columns=index.rename("value")),
        )
        if self.bootstrap is None:
            return result
        # The patterns in the order krippendorff_alpha draws them from, so that a seed gives the same draws.
        chosen = patterns[pairable]
        ordered = _ordered_codes(chosen, n_coders)
        base = k + 1
        if n_coders * math.log2(base) < 62:
            order = np.lexsort(ordered.T)
        else:
            order = np.lexsort(ordered.T[::-1])
        fixed = None if measurement == "ordinal" else distances
        rng = np.random.default_rng(self.seed)
        alphas = _bootstrap_alphas(
            chosen[order].astype(np.float64), sizes[pairable][order], fixed, int(self.bootstrap), rng
        )
        finite = alphas[np.isfinite(alphas)]
        tail = (1.0 - self.ci) / 2.0
        interval = (
            (float(np.quantile(finite, tail)), float(np.quantile(finite, 1.0 - tail)))
            if len(finite)
            else (math.nan, math.nan)
        )
        p_below = {v: float((finite < v).mean()) if len(finite) else math.nan for v in self.minimums}
        return attrs.evolve(result, ci=interval, ci_level=self.ci, bootstrap_alphas=alphas, p_below=p_below)


#: The coefficients of :class:`ReliabilityKernel`, by name.
_COEFFICIENTS = {
    "fleiss_kappa": fleiss_kappa,
    "gwet_ac1": gwet_ac1,
    "brennan_prediger": brennan_prediger,
    "percent_agreement": percent_agreement,
}


@attrs.frozen
class ReliabilityKernel(_CountsKernel):
    """Fleiss' kappa, Gwet's AC1, Brennan-Prediger or percent agreement as a count kernel.

    These coefficients depend on each unit's counts of values alone; the
    combined state holds the distinct count patterns and how many units have
    each, and :meth:`finalize` computes the coefficient from them (expanding
    the patterns back into that many units, coders unnamed).

    Parameters
    ----------
    coefficient : {"fleiss_kappa", "gwet_ac1", "brennan_prediger", "percent_agreement"}
    ci : float, default 0.95
        Coverage of the interval (not for Fleiss' kappa).
    values, complete_units, unit, coder, value
        As :class:`AlphaKernel`.

    Examples
    --------
    >>> from policyquant.reliability.partial import ReliabilityKernel
    >>> data = [["a", "b", "a", "b"], ["a", "b", "b", "b"], ["a", "a", "b", "b"]]
    >>> round(ReliabilityKernel("fleiss_kappa").run(data).kappa, 4)
    0.3143
    """

    coefficient: str = "gwet_ac1"
    ci: float = 0.95

    def __attrs_post_init__(self) -> None:
        if self.coefficient not in _COEFFICIENTS:
            from .._text import closest

            hint = closest(self.coefficient, list(_COEFFICIENTS))
            raise ValidationError(
                f"unknown coefficient {self.coefficient!r}; expected one of {', '.join(_COEFFICIENTS)}"
                + (f" (did you mean {hint[0]!r}?)" if hint else "")
            )
        _check_ci(self.ci)

    def finalize(self, state: PartialState, corpus: Any = None) -> Any:
        """The coefficient's result, as the in-memory function returns it."""
        assert isinstance(state, ReliabilityState)
        data = self._expanded(state)
        function = _COEFFICIENTS[self.coefficient]
        if self.coefficient == "fleiss_kappa":
            return function(data)
        return function(data, ci=self.ci)
