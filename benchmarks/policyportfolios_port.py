"""A loop-by-loop Python port of the measures of the R package PolicyPortfolios.

The baseline of :mod:`benchmarks.bench_portfolios` and the reference of
``tests/test_portfolios.py``.  It follows the R code of PolicyPortfolios
(Fernández-i-Marín, Knill & Steinebach; ``R/pp_measures.R``, ``R/functions.R``,
``R/diversity_aid.R``, ``R/pp_similarity.R``) step by step: one portfolio at a
time, one measure at a time, with the helpers the R code calls
(``mgcv::uniquecombs``, ``ineq::Gini``, ``vegan::diversity``) ported as the
plain loops they amount to.  Nothing here is vectorised across portfolios on
purpose; :func:`policyquant.analysis.portfolios.portfolio_measures` is the
vectorised implementation.

Differences from the R code, all outside what the R code can compute:

* R's ``P.full[c, s, y, , ]`` drops a dimension of length one, so R stops on a
  space with a single instrument or a single target; the port keeps every
  portfolio a 2-D matrix and applies the same functions to it.
* R's ``pp_measures`` forms the full Country x Sector x Year product and
  removes the country-years it has no data for; the port takes the
  portfolios present in the data, which is the same set for complete data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = [
    "MEASURE_NAMES",
    "burden",
    "configurations",
    "diversity_aid",
    "gini",
    "measures",
    "pp_array",
    "pp_measures",
    "similarity",
    "vegan_diversity",
]

#: The measures in the order of R's ``pp_measures`` (``Space``, ``Size``, ...), in policyquant's names.
MEASURE_NAMES = (
    "space",
    "size",
    "n_instruments",
    "p_instruments",
    "n_targets",
    "p_targets",
    "unique",
    "c_eq",
    "div_aid",
    "div_gs",
    "div_sh",
    "eq_sh",
    "in_prep",
    "burden_continuous",
    "burden_steep",
    "burden_capped",
    "burden_targets_continuous",
    "burden_targets_steep",
    "burden_targets_capped",
)


def configurations(m: np.ndarray) -> list[int]:
    """``configurations()``: how many instruments (rows) share each distinct row of ``m``.

    ``mgcv::uniquecombs(M)`` finds the unique rows and ``table()`` of its
    ``index`` attribute counts the rows mapped to each.
    """
    counts: dict[tuple[float, ...], int] = {}
    for i in range(m.shape[0]):
        row = tuple(float(v) for v in m[i, :])
        counts[row] = counts.get(row, 0) + 1
    return list(counts.values())


def gini(x: Sequence[float]) -> float:
    """``ineq::Gini(x)`` (``corr = FALSE``)."""
    values = sorted(float(v) for v in x if not math.isnan(v))
    n = len(values)
    g = 0.0
    for position, value in enumerate(values, start=1):
        g += value * position
    g = 2 * g / sum(values) - (n + 1)
    return g / n


def vegan_diversity(x: Sequence[float], index: str = "shannon", base: float = math.e) -> float:
    """``vegan::diversity(x, index, base = base)`` for one vector of abundances.

    As in vegan, a vector that sums to zero gives ``0 / 0`` proportions whose
    terms are dropped (``na.rm = TRUE``): Shannon 0 and Gini-Simpson 1.
    """
    total = float(sum(x))
    terms = []
    for value in x:
        p = value / total if total != 0 else math.nan
        if index == "shannon":
            term = -p * math.log(p, base) if p > 0 else (0.0 if p == 0 else math.nan)
        else:
            term = p * p
        terms.append(term)
    h = sum(t for t in terms if not math.isnan(t))
    if index == "simpson":
        h = 1 - h
    elif index == "invsimpson":
        h = 1 / h
    return math.nan if math.isnan(total) else h


def diversity_aid(m: np.ndarray) -> float:
    """``diversity_aid()``: Average Instrument Diversity, cell by cell as the R code loops."""
    if math.isnan(m.sum()):
        return math.nan
    if m.sum() == 0:
        return 0.0  # empty portfolio
    keep = [t for t in range(m.shape[1]) if m[:, t].sum() > 0]
    if len(keep) == 1 or m.shape[0] == 1:
        # R: M[, keep] drops to a vector (one target left, or one instrument), is.null(dim(M)).
        return 0.0
    m = m[:, keep]
    n_instruments, n_targets = m.shape
    divs = []
    for t in range(n_targets):
        for i in range(n_instruments):
            if m[i, t] > 0:
                m_exc = np.delete(m, t, axis=1)
                different_instruments = np.delete(m_exc, i, axis=0).sum()
                divs.append(different_instruments / m_exc.sum())
    return float(np.mean(divs))


def burden(m: np.ndarray, nI: int, nT: int, learning: str, weight_by: str = "instrument") -> float:  # noqa: N803
    """``burden()``: portfolio size under a learning assumption, weighted by instrument or target."""
    if weight_by == "target":
        nI, nT = nT, nI  # noqa: N806
        m = m.T
    sum_i = [m[i, :].sum() for i in range(m.shape[0])]
    if not (len(sum_i) > 1 and not all(math.isnan(v) for v in sum_i)):
        return math.nan
    parts: list[float] = []
    if learning == "continuous":
        # arithmetical decay
        levels = np.linspace(0, 1, nT + 1)
        for i in range(nI):
            k = int(sum_i[i])
            parts.append(float(np.sum(1 - levels[:k])) if k > 0 else 0.0)
    elif learning == "steep":
        # geometrical decay
        for i in range(nI):
            k = int(sum_i[i])
            parts.append(sum(1 / j for j in range(1, k + 1)) if k > 0 else 0.0)
    elif learning == "capped":
        # radical decay
        for i in range(nI):
            k = int(sum_i[i])
            if k > 1:
                parts.extend([1.0, len(range(2, k + 1)) * 0.5])
            elif k == 1:
                parts.append(1.0)
            else:
                parts.append(0.0)
    else:
        raise ValueError("Learning assumption not known. Please use 'continuous', 'steep' or 'capped'.")
    return sum(parts) / (nI * nT)


def measures(P: np.ndarray) -> dict[str, float]:  # noqa: N803
    """The body of ``pp_measures``' loop: every measure of one instrument x target matrix."""
    nIn, nIt = P.shape  # noqa: N806
    space = nIn * nIt
    size = P.sum() / space
    n_instruments = sum(1 for i in range(nIn) if sum(1 for x in P[i, :] if x > 0) > 0)
    p_instruments = n_instruments / nIn
    per_target = [sum(1 for x in P[:, t] if x > 0) for t in range(nIt)]
    n_targets = sum(1 for n in per_target if n > 0)
    p_targets = n_targets / nIt
    C = configurations(P)  # noqa: N806
    unique = sum(1 for c in C if c == 1)
    c_eq = 1 - gini(C)
    div_aid = diversity_aid(P)
    row_sums = [P[i, :].sum() for i in range(nIn)]
    div_gs = vegan_diversity(row_sums, index="simpson")
    div_sh = vegan_diversity(row_sums, index="shannon", base=2)
    log_n = math.log2(nIn)
    eq_sh = div_sh / log_n if log_n != 0 else math.nan  # R: 0 / 0 is NaN
    in_prep = sum(per_target) / n_targets if n_targets else math.nan
    values = [
        space,
        size,
        n_instruments,
        p_instruments,
        n_targets,
        p_targets,
        unique,
        c_eq,
        div_aid,
        div_gs,
        div_sh,
        eq_sh,
        in_prep,
    ]
    for weight_by in ("instrument", "target"):
        for learning in ("continuous", "steep", "capped"):
            values.append(burden(P, nIn, nIt, learning, weight_by))
    return dict(zip(MEASURE_NAMES, (float(v) for v in values), strict=True))


def pp_array(
    D: pd.DataFrame,  # noqa: N803
    by: Sequence[str],
    instrument: str = "Instrument",
    target: str = "Target",
    covered: str = "covered",
) -> tuple[np.ndarray, pd.Index]:
    """``pp_array()`` (``reshape2::acast``): portfolios x instruments x targets, NaN where no row.

    Instruments and targets are sorted, as R orders factor levels of text.
    """
    instruments = np.sort(D[instrument].unique())
    targets = np.sort(D[target].unique())
    portfolios = D.groupby(list(by), sort=True).size().index
    A = np.full((len(portfolios), len(instruments), len(targets)), np.nan)  # noqa: N806
    p = portfolios.get_indexer(pd.MultiIndex.from_frame(D[list(by)]) if len(by) > 1 else D[by[0]])
    i = np.searchsorted(instruments, D[instrument].to_numpy())
    t = np.searchsorted(targets, D[target].to_numpy())
    A[p, i, t] = D[covered].to_numpy(dtype=np.float64)
    return A, portfolios


def pp_measures(
    D: pd.DataFrame,  # noqa: N803
    by: Sequence[str] = ("Sector", "Country", "Year"),
    instrument: str = "Instrument",
    target: str = "Target",
    covered: str = "covered",
) -> pd.DataFrame:
    """``pp_measures()`` for one space: loop over the portfolios, computing each measure in turn.

    Returns one row per portfolio (indexed like
    :func:`~policyquant.analysis.portfolios.portfolio_measures`) rather than
    R's long format.  Call it once per sector, as R's ``pp_measures(D, id =
    list(Sector = ...))`` does, when sectors have different spaces.
    """
    A, portfolios = pp_array(D, by, instrument, target, covered)  # noqa: N806
    rows = []
    for p in range(A.shape[0]):
        rows.append(measures(A[p]))
    frame = pd.DataFrame(rows, index=portfolios, columns=list(MEASURE_NAMES))
    for column in ("space", "n_instruments", "n_targets", "unique"):
        frame[column] = frame[column].astype("int64")
    return frame


def similarity(origin: np.ndarray, destination: np.ndarray) -> dict[str, float]:
    """``pp_similarity()`` for one pair, with R's clean-up (NaN -> 0, Inf -> 1).

    ``hamming`` here is what R labels "Distance (Hamming)": the share of cells
    covered in both portfolios.  The true Hamming distance is
    ``(ionid + nioid)``.
    """
    origin = np.asarray(origin).ravel()
    destination = np.asarray(destination).ravel()
    ioid = nionid = ionid = nioid = 0
    for o, d in zip(origin, destination, strict=True):
        if o == 1 and d == 1:
            ioid += 1
        elif o == 0 and d == 0:
            nionid += 1
        elif o == 1 and d == 0:
            ionid += 1
        elif o != 1 and d == 1:
            nioid += 1
    in_origin = sum(1 for o in origin if o == 1)
    in_destination = sum(1 for d in destination if d == 1)

    def divide(a: float, b: float) -> float:
        if b == 0:
            return 1.0 if a != 0 else 0.0  # R: Inf -> 1, NaN -> 0
        return a / b

    return {
        "jaccard": divide(ioid, ionid + nioid + ioid),
        "hamming": divide(ioid, len(destination)),
        "dice": divide(2 * ioid, ionid + nioid + 2 * ioid),
        "overlap": divide(ioid, min(in_origin, in_destination)),
        "rand": divide(ioid + nionid, ioid + nionid + ionid + nioid),
        "differ": float(ionid + nioid),
    }
