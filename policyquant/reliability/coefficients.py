"""Intercoder reliability coefficients: Krippendorff's alpha, kappas, Gwet's AC1 and more.

Reliability data are laid out as Krippendorff lays them out: **one row per
coder, one column per unit** (a clause, a document), each cell the value that
coder gave that unit, and NaN or None where a coder did not code the unit.
Values may be numbers or category labels.  :func:`reliability_data` turns such
a table into integer codes once; every coefficient then works on per-unit
counts of values (:func:`numpy.bincount`-style, one pass per coder), never on
pairs of coders, so five coders and a million units take well under a second.

All results convert with :func:`float`, print a one-paragraph summary, and
export like every other :class:`~policyquant.results.TableResult`.
"""

from __future__ import annotations

import math
import numbers
import re
import statistics
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

import attrs
import numpy as np
import pandas as pd

from .._deprecation import renamed_arguments
from .._language import coefficient_label
from .._text import closest, format_choices
from ..errors import ValidationError
from ..results import TableResult

__all__ = [
    "KAPPA_WEIGHTS",
    "LEVELS",
    "MAX_CATEGORIES",
    "AgreementResult",
    "AlphaResult",
    "CohenKappaResult",
    "FleissKappaResult",
    "ReliabilityData",
    "ReliabilityResult",
    "brennan_prediger",
    "cohen_kappa",
    "fleiss_kappa",
    "fleiss_kappa_from_counts",
    "gwet_ac1",
    "krippendorff_alpha",
    "percent_agreement",
    "reliability_data",
]

#: The levels of measurement :func:`krippendorff_alpha` knows by name.
LEVELS = ("nominal", "ordinal", "interval", "ratio")

#: Kappa weightings :func:`cohen_kappa` knows by name.
KAPPA_WEIGHTS = ("linear", "quadratic")

#: Up to this many categories, per-unit counts are a dense units x categories
#: array; above it, a sparse matrix (work then grows with the values coded,
#: not with units x categories).
_DENSE_CATEGORIES = 64

#: The coincidence and distance matrices are categories x categories and dense.
MAX_CATEGORIES = 4096

#: Elements per temporary array in chunked bootstrap work (32 MiB of float64).
_CHUNK_ELEMENTS = 1 << 22

#: Most resamples drawn per chunk, so that a progress bar moves on long runs.
_MAX_CHUNK_RESAMPLES = 1000

Level = str | Callable[[np.ndarray, np.ndarray], Any]


# --------------------------------------------------------------------------
# Reliability data.


@attrs.frozen(eq=False)
class ReliabilityData:
    """Reliability data as integer codes: one row per coder, one column per unit.

    Build it with :func:`reliability_data`; every coefficient accepts it in
    place of a raw table, so that a large table is encoded once.

    Attributes
    ----------
    codes : numpy.ndarray
        Coders x units integer array; ``codes[i, u]`` is the position in
        :attr:`categories` of the value coder ``i`` gave unit ``u``, or -1
        where the coder did not code the unit.
    categories : pandas.Index
        The category values, in order: sorted, or in the order of ``values=``.
    coders, units : pandas.Index
        Labels of the rows and columns of the original table.
    ordered : bool
        Whether the order of :attr:`categories` is meaningful: numbers, or an
        order given with ``values=``.

    Examples
    --------
    >>> data = reliability_data([["low", "high", None], ["low", "mid", "mid"]],
    ...                         values=["low", "mid", "high"])
    >>> data.codes.tolist()
    [[0, 2, -1], [0, 1, 1]]
    >>> list(data.categories), data.ordered, data.n_coders, data.n_units
    (['low', 'mid', 'high'], True, 2, 3)
    """

    codes: np.ndarray
    categories: pd.Index
    coders: pd.Index
    units: pd.Index
    ordered: bool

    @property
    def n_coders(self) -> int:
        """The number of coders (rows)."""
        return int(self.codes.shape[0])

    @property
    def n_units(self) -> int:
        """The number of units (columns), coded or not."""
        return int(self.codes.shape[1])

    @property
    def n_categories(self) -> int:
        """The number of categories."""
        return len(self.categories)

    @property
    def numeric(self) -> bool:
        """Whether every category is a number."""
        return _is_numeric_index(self.categories)

    def category_values(self) -> np.ndarray:
        """The categories as an array: float64 if numeric, else object.

        Examples
        --------
        >>> reliability_data([[1, 2], [2, 3]]).category_values()
        array([1., 2., 3.])
        """
        if self.numeric:
            return np.asarray(self.categories, dtype=np.float64)
        return np.asarray(self.categories, dtype=object)


def _is_numeric_index(index: pd.Index) -> bool:
    if pd.api.types.is_numeric_dtype(index.dtype):
        return True
    if index.dtype == object:
        return all(isinstance(v, (numbers.Number, np.number)) for v in index)
    return False


def _check_not_mixed(uniques: pd.Index) -> None:
    """Refuse categories that mix numbers and text (usually "3" next to 3)."""
    if uniques.dtype != object:
        return
    text = [v for v in uniques if isinstance(v, (str, bytes))]
    other = [v for v in uniques if not isinstance(v, (str, bytes))]
    if text and other:
        raise ValidationError(
            "reliability data mix numbers and text: "
            f"{format_choices(repr(v) for v in other[:6])} next to {format_choices(repr(v) for v in text[:6])}",
            [{"value": v, "problem": "a number among text labels"} for v in other[:20]],
        )


def reliability_data(data: Any, values: Sequence[Any] | None = None) -> ReliabilityData:
    """Encode reliability data (coders x units) as integer codes and categories.

    Parameters
    ----------
    data : array-like, pandas.DataFrame or ReliabilityData
        One row per coder, one column per unit; NaN, None or ``pd.NA`` where
        a coder did not code a unit.  Values are numbers or labels (strings).
        A DataFrame's index labels the coders and its columns the units.
        (The text ``"nan"`` that NumPy writes for NaN inside a text array
        also counts as not coded.)  A table with units in rows needs ``.T``.
    values : sequence, optional
        Every category, in order.  Needed for ordinal labels (``["low",
        "mid", "high"]``) and to count categories no coder used (which
        matters for Brennan-Prediger and Gwet's AC1).  Without it the
        categories are the distinct values found, sorted.

    Returns
    -------
    ReliabilityData

    Raises
    ------
    ValidationError
        If the table is not 2-D, has fewer than two coders, mixes numbers and
        text, or holds a value that ``values`` does not list (the message
        names it).

    Examples
    --------
    >>> coded = reliability_data([[1, 2, float("nan")], [1, 3, 3]])
    >>> coded.codes.tolist(), list(coded.categories)
    ([[0, 1, -1], [0, 2, 2]], [1.0, 2.0, 3.0])
    >>> reliability_data([["a", "b"], ["a", "c"]], values=["a", "b"])
    Traceback (most recent call last):
    ...
    policyquant.errors.ValidationError: values= lacks 1 category found in the data: 'c':
      - value 'c': in the data but not in values=; expected one of a, b
    """
    if isinstance(data, ReliabilityData):
        return data if values is None else _recode(data, values)
    coders: pd.Index | None = None
    units: pd.Index | None = None
    if isinstance(data, pd.DataFrame):
        coders, units = data.index, data.columns
        array = data.to_numpy()
    else:
        try:
            array = np.asarray(data)
        except ValueError as error:
            raise ValidationError(
                "reliability data must be a rectangular table: one row per coder, one column per unit "
                f"(rows of different lengths? {error})"
            ) from error
    if array.ndim != 2:
        raise ValidationError(
            "reliability data must be 2-D, one row per coder and one column per unit; "
            f"got {array.ndim}-D data of shape {array.shape}"
        )
    n_coders, n_units = array.shape
    if n_coders < 2:
        raise ValidationError(
            f"reliability needs at least two coders (rows); got {n_coders}"
            + (" — is the table units x coders? pass its transpose (.T)" if n_units >= 2 else "")
        )
    if array.dtype.kind in "US":
        text = array
        array = text.astype(object)
        array[text == "nan"] = None
    elif array.dtype.kind == "c":
        raise ValidationError("reliability data cannot be complex numbers")
    flat = array.reshape(-1)
    codes, uniques = pd.factorize(flat, sort=True)
    found = pd.Index(uniques).infer_objects() if uniques.dtype == object else pd.Index(uniques)
    _check_not_mixed(found)
    codes = codes.reshape(n_coders, n_units)
    coders = pd.RangeIndex(n_coders, name="coder") if coders is None else coders
    units = pd.RangeIndex(n_units, name="unit") if units is None else units
    coded = ReliabilityData(codes, found, coders, units, _is_numeric_index(found))
    return coded if values is None else _recode(coded, values)


def _recode(data: ReliabilityData, values: Sequence[Any]) -> ReliabilityData:
    """Re-express ``data`` against the category list ``values``."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise ValidationError(f"values= must be a sequence of categories, not {values!r}")
    categories = pd.Index(list(values))
    if categories.dtype == object:
        categories = categories.infer_objects()
    if len(categories) == 0:
        raise ValidationError("values= lists no categories")
    if categories.hasnans:
        raise ValidationError("values= must not contain NaN or None: missing values are not a category")
    if categories.has_duplicates:
        repeated = categories[categories.duplicated()].unique()
        raise ValidationError(f"values= lists a category twice: {format_choices(repr(v) for v in repeated)}")
    _check_not_mixed(categories)
    positions = categories.get_indexer(data.categories)
    absent = [v for v, p in zip(data.categories, positions, strict=True) if p < 0]
    if absent:
        noun = "category" if len(absent) == 1 else "categories"
        raise ValidationError(
            f"values= lacks {len(absent)} {noun} found in the data: {format_choices(repr(v) for v in absent)}",
            [
                {
                    "value": v,
                    "problem": "in the data but not in values=",
                    "expected": "one of " + format_choices(categories),
                    "suggestions": ", ".join(closest(v, [str(c) for c in categories])) or None,
                }
                for v in absent
            ],
        )
    lookup = np.append(positions, -1)  # code -1 (not coded) stays -1
    codes = lookup[data.codes]
    return ReliabilityData(codes, categories, data.coders, data.units, True)


# --------------------------------------------------------------------------
# Per-unit counts of values (dense or sparse), shared by every coefficient.


def _unit_counts(codes: np.ndarray, n_categories: int) -> Any:
    """Units x categories counts: how many coders gave unit ``u`` category ``c``.

    Dense float64 for few categories (one fancy-indexed increment per coder:
    within a coder a unit appears once, so no increment is lost), a SciPy
    CSR matrix otherwise.
    """
    n_units = codes.shape[1]
    if n_categories <= _DENSE_CATEGORIES:
        counts = np.zeros(n_units * n_categories)
        base = np.arange(n_units, dtype=np.intp) * n_categories
        for row in codes:  # one pass per coder
            coded = np.flatnonzero(row >= 0)
            counts[base[coded] + row[coded]] += 1.0
        return counts.reshape(n_units, n_categories)
    from scipy import sparse

    coded = codes >= 0
    unit = np.broadcast_to(np.arange(n_units, dtype=np.intp), codes.shape)[coded]
    return sparse.csr_matrix(
        (np.ones(len(unit)), (unit, codes[coded])), shape=(n_units, n_categories), dtype=np.float64
    )


def _is_sparse(counts: Any) -> bool:
    return not isinstance(counts, np.ndarray)


def _row_sums(counts: Any) -> np.ndarray:
    return np.asarray(counts.sum(axis=1), dtype=np.float64).reshape(-1)


def _column_sums(counts: Any) -> np.ndarray:
    return np.asarray(counts.sum(axis=0), dtype=np.float64).reshape(-1)


def _square(counts: Any) -> Any:
    return counts.multiply(counts) if _is_sparse(counts) else counts * counts


def _scale_rows(counts: Any, scale: np.ndarray) -> Any:
    if _is_sparse(counts):
        from scipy import sparse

        return sparse.diags(scale) @ counts
    return counts * scale[:, None]


def _coincidences(counts: Any, inplace: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Krippendorff's coincidence matrix and the number of values per unit.

    ``o_ck = sum_u n_uc (n_uk - [c == k]) / (m_u - 1)`` over units with
    ``m_u >= 2`` values: one weighted Gram matrix of the counts.  With
    ``inplace`` a dense ``counts`` is scaled in place (saving a copy).
    """
    values_per_unit = _row_sums(counts)
    weight = np.zeros_like(values_per_unit)
    pairable = values_per_unit >= 2
    weight[pairable] = 1.0 / (values_per_unit[pairable] - 1.0)
    if _is_sparse(counts):
        weighted = _scale_rows(counts, weight)
        o = np.asarray((weighted.T @ counts).todense())
        diagonal = _column_sums(weighted)
    elif inplace:
        root = np.sqrt(weight)
        counts *= root[:, None]
        o = counts.T @ counts
        diagonal = root @ counts
    else:
        weighted = counts * weight[:, None]
        o = weighted.T @ counts
        diagonal = weighted.sum(axis=0)
    o[np.diag_indices_from(o)] -= diagonal
    np.maximum(o, 0.0, out=o)  # rounding must not leave -1e-17 in an empty cell
    return o, values_per_unit


# --------------------------------------------------------------------------
# Results.


def _format_ci(ci: tuple[float, float] | None, level: float | None) -> str:
    if ci is None:
        return ""
    return f"{(level or 0.95) * 100:g}% CI [{ci[0]:.3f}, {ci[1]:.3f}]"


#: The header of a share of bootstrap alphas below a minimum, whose "alpha" a reader sees as α.
_P_BELOW = re.compile(r"^P\(alpha < (.*)\)$")


def _format_p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}"


@attrs.frozen(eq=False, repr=False)
class ReliabilityResult(TableResult):
    """Base class of reliability results: a coefficient that converts with ``float()``.

    Subclasses name the attribute holding the coefficient in ``_ESTIMATE``
    and describe themselves in :meth:`summary` and :meth:`to_frame`.

    Examples
    --------
    >>> result = percent_agreement([[1, 1, 2], [1, 2, 2]])
    >>> isinstance(result, ReliabilityResult), float(result) == result.estimate
    (True, True)
    """

    _ESTIMATE: ClassVar[str] = "value"
    decimals: ClassVar[int] = 3

    @property
    def estimate(self) -> float:
        """The coefficient (what ``float(result)`` returns)."""
        return float(getattr(self, self._ESTIMATE))

    def __float__(self) -> float:
        return self.estimate

    def _repr_items(self) -> list[tuple[str, Any]]:
        return []

    def __repr__(self) -> str:
        parts = [f"{self._ESTIMATE}={self.estimate:.4f}"]
        for name, value in self._repr_items():
            if isinstance(value, float):
                parts.append(f"{name}={value:.4f}")
            elif isinstance(value, tuple) and all(isinstance(v, float) for v in value):
                parts.append(f"{name}=({', '.join(f'{v:.4f}' for v in value)})")
            else:
                parts.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def summary(self) -> str:
        """The result in one paragraph."""
        return repr(self)

    def _in_language(self, frame: pd.DataFrame, language: str | None, name: Callable[[str], str]) -> pd.DataFrame:
        """``frame`` (one row, indexed by the coefficient) named and headed in ``language``; as it is without one.

        ``name(code)`` is the coefficient's name in the language ``code``.
        """
        from .._language import column_title, resolve_language

        code = resolve_language(language)
        if code is None:
            return frame
        labelled = frame.copy()
        labelled.index = pd.Index([name(code)], name=column_title("coefficient", code))
        labelled.columns = pd.Index(
            [
                _P_BELOW.sub(r"P(α < \1)", column)
                for column in (column_title(c, code, "reliability") for c in frame.columns)
            ]
        )
        return labelled

    def __str__(self) -> str:
        return self.summary()


@attrs.frozen(eq=False, repr=False)
class AlphaResult(ReliabilityResult):
    """Krippendorff's alpha, its parts, and optionally its bootstrap distribution.

    Attributes
    ----------
    alpha : float
        ``1 - D_o / D_e``: 1 for perfect agreement, 0 for agreement at chance
        level, negative for systematic disagreement.  NaN when every pairable
        value is the same (``D_e = 0``: nothing to tell agreement from chance).
    observed_disagreement, expected_disagreement : float
        ``D_o`` and ``D_e``.
    n_pairable : int
        ``n``, the number of pairable values (values in units coded by two or
        more coders).
    n_units : int
        The number of pairable units.
    n_coders : int
        The number of coders (rows of the data).
    level : str
        ``"nominal"``, ``"ordinal"``, ``"interval"``, ``"ratio"``, or the
        name of a custom distance function.
    coincidences : pandas.DataFrame
        The coincidence matrix ``o_ck``, indexed by category value both ways;
        its row sums are the marginals ``n_c``.
    ci : tuple of float or None
        The bootstrap percentile confidence interval ``(low, high)``.
    ci_level : float or None
        Its coverage (0.95 for 95%).
    bootstrap_alphas : numpy.ndarray or None
        Alpha in every bootstrap resample (NaN where a resample holds a single
        value).
    p_below : dict of float to float or None
        For each minimum acceptable alpha, the share of resamples whose alpha
        falls below it: KALPHA's probability ``q`` of failing to reach it.

    Examples
    --------
    >>> result = krippendorff_alpha([[1, 2, 3, 3], [1, 2, 3, 2]])
    >>> result
    AlphaResult(alpha=0.6667, level='nominal', n_units=4, n_pairable=8, n_coders=2)
    >>> round(float(result), 4), float(result.coincidences.to_numpy().sum())
    (0.6667, 8.0)
    """

    _ESTIMATE: ClassVar[str] = "alpha"

    alpha: float
    observed_disagreement: float
    expected_disagreement: float
    n_pairable: int
    n_units: int
    n_coders: int
    level: str
    coincidences: pd.DataFrame
    ci: tuple[float, float] | None = None
    ci_level: float | None = None
    bootstrap_alphas: np.ndarray | None = None
    p_below: dict[float, float] | None = None

    @property
    def coefficient(self) -> str:
        """The coefficient's name, with its level."""
        return f"Krippendorff's alpha ({self.level})"

    def _repr_items(self) -> list[tuple[str, Any]]:
        items: list[tuple[str, Any]] = [
            ("level", self.level),
            ("n_units", self.n_units),
            ("n_pairable", self.n_pairable),
            ("n_coders", self.n_coders),
        ]
        if self.ci is not None:
            items.append(("ci", self.ci))
        return items

    def summary(self) -> str:
        """Alpha, ``D_o`` and ``D_e``, the counts, and the bootstrap where there is one.

        Examples
        --------
        >>> print(krippendorff_alpha([[1, 2, 3, 3], [1, 2, 3, 2]]).summary())
        Krippendorff's alpha (nominal) = 0.667: D_o = 0.250, D_e = 0.750; 2 coders, 4 units, 8 pairable values
        """
        text = (
            f"{self.coefficient} = {self.alpha:.3f}: D_o = {self.observed_disagreement:.3f}, "
            f"D_e = {self.expected_disagreement:.3f}; {self.n_coders} coders, {self.n_units:,} units, "
            f"{self.n_pairable:,} pairable values"
        )
        if self.ci is not None and self.bootstrap_alphas is not None:
            text += (
                f"\n{_format_ci(self.ci, self.ci_level)} from {len(self.bootstrap_alphas):,} "
                "bootstrap resamples of units"
            )
            if self.p_below:
                text += "; " + ", ".join(f"P(alpha < {m:g}) = {p:.3f}" for m, p in self.p_below.items())
        return text

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """One row: the core columns of every reliability table, then alpha's own.

        The core columns, shared by every coefficient's table and by
        :class:`~policyquant.reliability.AgreementReport`, come first:
        ``estimate`` (alpha), ``ci_low`` and ``ci_high`` (the bootstrap
        interval; NaN without ``bootstrap=``), ``units`` (units with two values
        or more) and ``coders``.  Then ``D_o``, ``D_e``, ``pairable values``
        and, with a bootstrap, one ``P(alpha < m)`` per minimum.

        Parameters
        ----------
        language : str, optional
            Name the coefficient and head the columns in this language
            (``"zh"``: ``标准误``, ``置信区间下限`` ...); by default the
            names below.  The values are the same in every language.

        Examples
        --------
        >>> krippendorff_alpha([[1, 2, 3, 3], [1, 2, 3, 2]], measurement="ordinal").to_frame(language="zh").index[0]
        'Krippendorff α 系数（定序）'
        """
        low, high = self.ci if self.ci is not None else (math.nan, math.nan)
        row: dict[str, Any] = {
            "estimate": self.alpha,
            "ci_low": low,
            "ci_high": high,
            "units": self.n_units,
            "coders": self.n_coders,
            "D_o": self.observed_disagreement,
            "D_e": self.expected_disagreement,
            "pairable values": self.n_pairable,
        }
        for minimum, p in (self.p_below or {}).items():
            row[f"P(alpha < {minimum:g})"] = p
        frame = pd.DataFrame([row], index=pd.Index([self.coefficient], name="coefficient"))
        return self._in_language(frame, language, lambda code: coefficient_label("alpha", code, self.level))


@attrs.frozen(eq=False, repr=False)
class CohenKappaResult(ReliabilityResult):
    """Cohen's kappa for two coders, unweighted or weighted, with its standard error.

    Attributes
    ----------
    kappa : float
        ``(p_o - p_e) / (1 - p_e)``; NaN if ``p_e = 1``.
    se : float
        Asymptotic standard error (Fleiss, Cohen & Everitt 1969).
    ci : tuple of float
        ``kappa -/+ z * se``, the normal-approximation confidence interval.
    ci_level : float
        Its coverage.
    observed, expected : float
        ``p_o`` and ``p_e``: observed and chance (weighted) agreement.
    n : int
        Units coded by both coders.
    n_dropped : int
        Units left out because one coder (or both) did not code them.
    confusion : pandas.DataFrame
        Counts of units by the first coder's category (rows) and the second's.
    weights : str
        ``"unweighted"``, ``"linear"`` or ``"quadratic"``.
    se0 : float
        Standard error under the hypothesis ``kappa = 0``.
    z, pvalue : float
        ``kappa / se0`` and its two-sided normal p-value.

    Examples
    --------
    >>> result = cohen_kappa(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    >>> result
    CohenKappaResult(kappa=0.5000, weights='unweighted', n=4, n_dropped=0, se=0.3750)
    """

    _ESTIMATE: ClassVar[str] = "kappa"

    kappa: float
    se: float
    ci: tuple[float, float]
    ci_level: float
    observed: float
    expected: float
    n: int
    n_dropped: int
    confusion: pd.DataFrame
    weights: str
    se0: float
    z: float
    pvalue: float

    @property
    def coefficient(self) -> str:
        """The coefficient's name, with its weighting."""
        return "Cohen's kappa" + ("" if self.weights == "unweighted" else f" ({self.weights} weights)")

    def _repr_items(self) -> list[tuple[str, Any]]:
        return [("weights", self.weights), ("n", self.n), ("n_dropped", self.n_dropped), ("se", self.se)]

    def summary(self) -> str:
        """Kappa, its interval and test, and the units used.

        Examples
        --------
        >>> print(cohen_kappa(["a", "a", "b", "b"], ["a", "b", "b", None]).summary())
        Cohen's kappa = 0.400 (SE 0.392, 95% CI [-0.368, 1.168]); p_o = 0.667, p_e = 0.444; z = 0.866, p = 0.39; n = 3 units (1 dropped: not coded by both coders)
        """
        text = (
            f"{self.coefficient} = {self.kappa:.3f} (SE {self.se:.3f}, {_format_ci(self.ci, self.ci_level)}); "
            f"p_o = {self.observed:.3f}, p_e = {self.expected:.3f}; z = {self.z:.3f}, {_format_p(self.pvalue)}; "
            f"n = {self.n:,} units"
        )
        if self.n_dropped:
            text += f" ({self.n_dropped:,} dropped: not coded by both coders)"
        return text

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """One row: the core columns, then SE, agreement, test and dropped units.

        ``estimate`` (kappa), ``ci_low``, ``ci_high``, ``units`` (coded by
        both coders) and ``coders`` (2), then ``se``, ``p_o``, ``p_e``, ``z``,
        ``p`` and ``dropped``.

        Parameters
        ----------
        language : str, optional
            Name the coefficient and head the columns in this language
            (``"zh"``: ``标准误``, ``置信区间下限`` ...); by default the
            names below.  The values are the same in every language.
        """
        row = {
            "estimate": self.kappa,
            "ci_low": self.ci[0],
            "ci_high": self.ci[1],
            "units": self.n,
            "coders": 2,
            "se": self.se,
            "p_o": self.observed,
            "p_e": self.expected,
            "z": self.z,
            "p": self.pvalue,
            "dropped": self.n_dropped,
        }
        frame = pd.DataFrame([row], index=pd.Index([self.coefficient], name="coefficient"))
        if self.weights == "unweighted":
            return self._in_language(frame, language, lambda code: coefficient_label("cohen", code))
        return self._in_language(
            frame, language, lambda code: coefficient_label("cohen_weighted", code, self.weights)
        )


@attrs.frozen(eq=False, repr=False)
class FleissKappaResult(ReliabilityResult):
    """Fleiss' kappa for a fixed number of raters per unit.

    Attributes
    ----------
    kappa : float
        ``(P - P_e) / (1 - P_e)``.
    observed, expected : float
        ``P`` (mean agreement over units) and ``P_e`` (sum of squared
        category shares).
    n_units, n_raters : int
        Units, and ratings per unit.
    category_kappas : pandas.Series
        Kappa for each category against all others (Fleiss 1971, eq. 15);
        NaN for a category nobody used.
    se0 : float
        Standard error under ``kappa = 0`` (Fleiss, Nee & Landis 1979).
    z, pvalue : float
        ``kappa / se0`` and its two-sided normal p-value.

    Examples
    --------
    >>> fleiss_kappa_from_counts([[3, 0], [0, 3], [2, 1]])
    FleissKappaResult(kappa=0.5500, n_units=3, n_raters=3, se0=0.3333)
    """

    _ESTIMATE: ClassVar[str] = "kappa"

    kappa: float
    observed: float
    expected: float
    n_units: int
    n_raters: int
    category_kappas: pd.Series
    se0: float
    z: float
    pvalue: float

    coefficient: ClassVar[str] = "Fleiss' kappa"

    def _repr_items(self) -> list[tuple[str, Any]]:
        return [("n_units", self.n_units), ("n_raters", self.n_raters), ("se0", self.se0)]

    def summary(self) -> str:
        """Kappa, its test, and the counts.

        Examples
        --------
        >>> print(fleiss_kappa_from_counts([[3, 0], [0, 3], [2, 1]]).summary())
        Fleiss' kappa = 0.550: P = 0.778, P_e = 0.506; z = 1.650 (SE under kappa = 0: 0.333), p = 0.099; 3 units, 3 raters each
        """
        return (
            f"{self.coefficient} = {self.kappa:.3f}: P = {self.observed:.3f}, P_e = {self.expected:.3f}; "
            f"z = {self.z:.3f} (SE under kappa = 0: {self.se0:.3f}), {_format_p(self.pvalue)}; "
            f"{self.n_units:,} units, {self.n_raters} raters each"
        )

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """One row: the core columns, then agreement and the test of kappa = 0.

        ``estimate`` (kappa), ``ci_low`` and ``ci_high`` (NaN: Fleiss' kappa
        has no interval here), ``units`` and ``coders`` (ratings per unit),
        then ``P``, ``P_e``, ``se0``, ``z`` and ``p``.

        Parameters
        ----------
        language : str, optional
            Name the coefficient and head the columns in this language
            (``"zh"``: ``标准误``, ``置信区间下限`` ...); by default the
            names below.  The values are the same in every language.
        """
        row = {
            "estimate": self.kappa,
            "ci_low": math.nan,
            "ci_high": math.nan,
            "units": self.n_units,
            "coders": self.n_raters,
            "P": self.observed,
            "P_e": self.expected,
            "se0": self.se0,
            "z": self.z,
            "p": self.pvalue,
        }
        frame = pd.DataFrame([row], index=pd.Index([self.coefficient], name="coefficient"))
        return self._in_language(frame, language, lambda code: coefficient_label("fleiss", code))


@attrs.frozen(eq=False, repr=False)
class AgreementResult(ReliabilityResult):
    """Gwet's AC1, Brennan-Prediger's coefficient or percent agreement, with Gwet's variance.

    Attributes
    ----------
    coefficient : str
        ``"Gwet's AC1"``, ``"Brennan-Prediger"`` or ``"percent agreement"``.
    value : float
        ``(p_a - p_e) / (1 - p_e)`` (just ``p_a`` for percent agreement).
    observed, expected : float
        ``p_a`` and ``p_e``.
    se : float
        Standard error (Gwet 2014, for units sampled from an infinite
        population); NaN with a single unit.
    ci : tuple of float
        ``value -/+ t * se`` with ``n_units - 1`` degrees of freedom, the
        upper end capped at 1.
    ci_level : float
        Its coverage.
    n_units : int
        Units coded by at least one coder.
    n_pairable_units : int
        Units coded by two or more coders (those ``p_a`` averages over).
    n_coders, n_categories : int
        Coders, and categories (``q`` in Gwet's formulas).

    Examples
    --------
    >>> gwet_ac1([["a", "a", "b"], ["a", "b", "b"]])
    AgreementResult(value=0.3333, coefficient="Gwet's AC1", n_units=3, se=0.6667)
    """

    coefficient: str
    value: float
    observed: float
    expected: float
    se: float
    ci: tuple[float, float]
    ci_level: float
    n_units: int
    n_pairable_units: int
    n_coders: int
    n_categories: int

    def _repr_items(self) -> list[tuple[str, Any]]:
        return [("coefficient", self.coefficient), ("n_units", self.n_units), ("se", self.se)]

    def summary(self) -> str:
        """The coefficient, its interval, and the counts.

        Examples
        --------
        >>> print(gwet_ac1([["a", "a", "b"], ["a", "b", "b"]]).summary())
        Gwet's AC1 = 0.333 (SE 0.667, 95% CI [-2.535, 1.000]); p_a = 0.667, p_e = 0.500; 3 units (3 coded twice or more), 2 coders, 2 categories
        """
        return (
            f"{self.coefficient} = {self.value:.3f} (SE {self.se:.3f}, {_format_ci(self.ci, self.ci_level)}); "
            f"p_a = {self.observed:.3f}, p_e = {self.expected:.3f}; {self.n_units:,} units "
            f"({self.n_pairable_units:,} coded twice or more), {self.n_coders} coders, "
            f"{self.n_categories} categories"
        )

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """One row: the core columns, then SE, agreement and categories.

        ``estimate`` (the coefficient), ``ci_low``, ``ci_high``, ``units`` and
        ``coders``, then ``se``, ``p_a``, ``p_e`` and ``categories``.

        Parameters
        ----------
        language : str, optional
            Name the coefficient and head the columns in this language
            (``"zh"``: ``标准误``, ``置信区间下限`` ...); by default the
            names below.  The values are the same in every language.
        """
        row = {
            "estimate": self.value,
            "ci_low": self.ci[0],
            "ci_high": self.ci[1],
            "units": self.n_units,
            "coders": self.n_coders,
            "se": self.se,
            "p_a": self.observed,
            "p_e": self.expected,
            "categories": self.n_categories,
        }
        frame = pd.DataFrame([row], index=pd.Index([self.coefficient], name="coefficient"))
        return self._in_language(frame, language, lambda code: coefficient_label(self.coefficient, code))


# --------------------------------------------------------------------------
# Krippendorff's alpha.


def _check_ci(ci: float) -> float:
    if not (isinstance(ci, numbers.Real) and 0 < ci < 1):
        raise ValidationError(f"ci= must be a coverage between 0 and 1 (0.95 for 95%); got {ci!r}")
    return float(ci)


def _level_name(level: Level) -> str:
    if isinstance(level, str):
        if level not in LEVELS:
            hint = closest(level, LEVELS)
            raise ValidationError(
                f"unknown level of measurement {level!r}; expected one of {', '.join(LEVELS)} "
                "or a distance function" + (f" (did you mean {hint[0]!r}?)" if hint else ""),
                [
                    {
                        "value": level,
                        "problem": "unknown level",
                        "expected": ", ".join(LEVELS),
                        "suggestions": ", ".join(hint) or None,
                    }
                ],
            )
        return level
    if callable(level):
        return getattr(level, "__name__", None) or type(level).__name__
    raise ValidationError(
        f"measurement= must be one of {', '.join(LEVELS)} or a distance function; got {level!r}"
    )


def _numeric_categories(data: ReliabilityData, level: str) -> np.ndarray:
    """Category values as floats, or a ValidationError saying why the level needs numbers."""
    if not data.numeric:
        raise ValidationError(
            f"the {level} level needs numeric values; the data hold labels such as "
            f"{format_choices((repr(v) for v in data.categories[:5]), limit=5)} "
            "(use measurement='ordinal' with values=[...] in order, or 'nominal')"
        )
    numbers_ = data.category_values()
    if not np.isfinite(numbers_).all():
        raise ValidationError(
            f"the {level} level needs finite values; the data hold {numbers_[~np.isfinite(numbers_)][0]}"
        )
    if level == "ratio" and (numbers_ < 0).any():
        raise ValidationError(
            "the ratio level needs values of zero or more (a ratio scale has a true zero); "
            f"the data hold {format_choices(numbers_[numbers_ < 0][:5])}"
        )
    return numbers_


def _fixed_distances(level: Level, data: ReliabilityData) -> np.ndarray | None:
    """The squared differences delta^2_ck, or None for ordinal (they depend on the marginals)."""
    c = data.n_categories
    if level == "nominal":
        return 1.0 - np.eye(c)
    if level == "ordinal":
        return None
    if level in ("interval", "ratio"):
        v = _numeric_categories(data, str(level))
        difference = v[:, None] - v[None, :]
        if level == "interval":
            return difference * difference
        total = v[:, None] + v[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(total != 0, difference / np.where(total != 0, total, 1.0), 0.0)
        return ratio * ratio
    values = data.category_values()
    name = _level_name(level)
    distances = np.asarray(level(values[:, None], values[None, :]), dtype=np.float64)  # type: ignore[operator]
    try:
        distances = np.broadcast_to(distances, (c, c)).copy()
    except ValueError as error:
        raise ValidationError(
            f"the distance function {name} must return a {c} x {c} array for {c} categories; "
            f"got shape {distances.shape}"
        ) from error
    if not np.isfinite(distances).all() or (distances < 0).any():
        raise ValidationError(f"the distance function {name} must return finite distances of zero or more")
    return distances


def _ordinal_distances(marginals: np.ndarray) -> np.ndarray:
    """Krippendorff's ordinal metric: the squared distance between mid-ranks.

    ``(sum_{g=c..k} n_g - (n_c + n_k) / 2)^2 = (M_k - M_c)^2`` with mid-rank
    ``M_g = n_1 + ... + n_g - n_g / 2``.
    """
    midranks = np.cumsum(marginals) - marginals / 2.0
    difference = midranks[:, None] - midranks[None, :]
    return difference * difference


def _alpha_from_coincidences(o: np.ndarray, distances: np.ndarray) -> tuple[float, float, float]:
    marginals = o.sum(axis=1)
    n = marginals.sum()
    observed = float((o * distances).sum() / n)
    expected = float(marginals @ distances @ marginals / (n * (n - 1.0)))
    alpha = 1.0 - observed / expected if expected > 0 else math.nan
    return alpha, observed, expected


@renamed_arguments(level="measurement")
def krippendorff_alpha(
    data: Any,
    measurement: Level = "nominal",
    values: Sequence[Any] | None = None,
    bootstrap: int | None = None,
    ci: float = 0.95,
    seed: int | np.random.Generator | None = None,
    minimums: Iterable[float] = (0.667, 0.8),
    progress: bool = False,
) -> AlphaResult:
    """Krippendorff's alpha for any number of coders, missing values and any level of measurement.

    Parameters
    ----------
    data : array-like, pandas.DataFrame or ReliabilityData
        Reliability data: one row per coder, one column per unit; NaN or None
        where a coder did not code a unit (see :func:`reliability_data`).
    measurement : {"nominal", "ordinal", "interval", "ratio"} or callable, default "nominal"
        The level of measurement (``level=`` is its deprecated alias), which sets the squared difference
        ``delta^2_ck`` between two values: nominal ``[c != k]``; ordinal
        ``(sum_{g=c..k} n_g - (n_c + n_k) / 2)^2`` over the marginals
        ``n_g``; interval ``(c - k)^2``; ratio ``((c - k) / (c + k))^2``.
        A callable is called once as ``measurement(v[:, None], v[None, :])`` with
        the array ``v`` of category values and must return the categories x
        categories array of squared differences.
    values : sequence, optional
        Every category in order; required for ordinal labels such as
        ``["low", "mid", "high"]``.
    bootstrap : int, optional
        Number of bootstrap resamples; adds :attr:`AlphaResult.ci`,
        :attr:`~AlphaResult.bootstrap_alphas` and :attr:`~AlphaResult.p_below`.
        1,000 is enough for an interval, Hayes & Krippendorff use 10,000 or
        more for the probabilities.
    ci : float, default 0.95
        Coverage of the percentile bootstrap interval.
    seed : int or numpy.random.Generator, optional
        Seed for the resampling; the same seed gives the same interval.
    minimums : iterable of float, default (0.667, 0.8)
        Smallest acceptable alphas for :attr:`AlphaResult.p_below`
        (Krippendorff's conventional thresholds for tentative and firm
        conclusions).
    progress : bool, default False
        Show a progress bar while bootstrapping (needs the optional package
        ``tqdm``).

    Returns
    -------
    AlphaResult

    Raises
    ------
    ValidationError
        Fewer than two coders, no unit coded by two or more coders, an
        unknown level, ``values`` lacking a category of the data, labels at
        the interval or ratio level, negative values at the ratio level,
        ordinal labels without ``values``, or more than
        :data:`MAX_CATEGORIES` categories.

    See Also
    --------
    reliability_data : the input format.

    Notes
    -----
    Alpha is computed from the coincidence matrix (Krippendorff 2011,
    "Computing Krippendorff's Alpha-Reliability"):
    ``o_ck = sum_u n_uc (n_uk - [c = k]) / (m_u - 1)`` over units with
    ``m_u >= 2`` values, where ``n_uc`` counts the coders who gave unit ``u``
    value ``c``.  With marginals ``n_c`` and ``n = sum n_c``,
    ``D_o = sum o_ck delta^2_ck / n``,
    ``D_e = sum n_c n_k delta^2_ck / (n (n - 1))`` and
    ``alpha = 1 - D_o / D_e``.  The matrix is one weighted Gram product of
    the units x categories counts; no array grows with pairs of coders, so
    memory is that of the counts (units x categories float64, or sparse
    above 64 categories).

    **Bootstrap.** The resamples draw *units* with replacement, as many as
    there are pairable units, and recompute both ``D_o`` and ``D_e`` in each:
    the ordinary nonparametric bootstrap of a statistic of independent units.
    Hayes & Krippendorff's KALPHA macro instead resamples *pairable values*
    (pairs drawn from the coincidence matrix) and keeps the expected
    disagreement of the full data fixed.  Resampling units is chosen here
    because units are what a reliability study samples: the values one unit
    receives from several coders are not independent of each other, and
    ``D_e`` is itself estimated from the sample.  KALPHA's algorithm has been
    criticised on such grounds (Gwet 2015; Zapf et al. 2016), so the two
    intervals need not agree.  Units with the same counts of values are
    interchangeable, so resamples are drawn as multinomial counts over the
    distinct count patterns (exactly equivalent to drawing units), and each
    resample's alpha follows from a few matrix products; there is no loop
    over resamples or units in Python, only over chunks of resamples.

    Examples
    --------
    Krippendorff's (2011) example: four coders, twelve units, missing values.

    >>> nan = float("nan")
    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...         [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    >>> result = krippendorff_alpha(data)
    >>> result
    AlphaResult(alpha=0.7434, level='nominal', n_units=11, n_pairable=40, n_coders=4)
    >>> [round(float(krippendorff_alpha(data, m)), 3) for m in ("ordinal", "interval", "ratio")]
    [0.815, 0.849, 0.797]
    >>> result.coincidences.loc[1.0].tolist()
    [7.0, 1.333..., 0.333..., 0.333..., 0.0]

    Labels, with their order for the ordinal level, and a bootstrap:

    >>> labels = [["low", "high", "mid", "mid"], ["low", "high", "high", None]]
    >>> round(float(krippendorff_alpha(labels, "ordinal", values=["low", "mid", "high"])), 3)
    0.778
    >>> boot = krippendorff_alpha(data, bootstrap=1000, seed=1)
    >>> boot.ci[0] < boot.alpha < boot.ci[1], sorted(boot.p_below)
    (True, [0.667, 0.8])
    """
    name = _level_name(measurement)
    ci = _check_ci(ci)
    if bootstrap is not None and (
        isinstance(bootstrap, bool) or not isinstance(bootstrap, numbers.Integral) or bootstrap < 1
    ):
        raise ValidationError(f"bootstrap= must be a number of resamples (1 or more); got {bootstrap!r}")
    minimums = tuple(float(m) for m in minimums)
    coded = reliability_data(data, values)
    if coded.n_categories > MAX_CATEGORIES:
        raise ValidationError(
            f"{coded.n_categories:,} distinct values are too many for a coincidence matrix "
            f"(at most {MAX_CATEGORIES:,}); round interval data or merge categories"
        )
    if measurement == "ordinal" and not coded.ordered:
        raise ValidationError(
            "the ordinal level needs the order of the labels: pass values=[...] from lowest to highest "
            f"(found {format_choices((repr(v) for v in coded.categories), limit=6)})"
        )
    distances = _fixed_distances(measurement, coded)  # validates numeric levels before the heavy work
    counts = _unit_counts(coded.codes, coded.n_categories)
    o, values_per_unit = _coincidences(counts, inplace=True)
    del counts
    pairable = values_per_unit >= 2
    n_units = int(pairable.sum())
    if n_units == 0:
        raise ValidationError(
            "no unit was coded by two or more coders, so no values can be paired "
            f"({coded.n_coders} coders, {coded.n_units:,} units)"
        )
    if distances is None:
        distances = _ordinal_distances(o.sum(axis=1))
    alpha, observed, expected = _alpha_from_coincidences(o, distances)
    index = coded.categories.copy()
    coincidences = pd.DataFrame(o, index=index.rename("value"), columns=index.rename("value"))
    result = AlphaResult(
        alpha=alpha,
        observed_disagreement=observed,
        expected_disagreement=expected,
        n_pairable=round(float(o.sum())),
        n_units=n_units,
        n_coders=coded.n_coders,
        level=name,
        coincidences=coincidences,
    )
    if bootstrap is None:
        return result
    patterns, sizes = _unit_patterns(coded.codes[:, pairable], coded.n_categories)
    fixed = None if measurement == "ordinal" else distances
    rng = np.random.default_rng(seed)
    alphas = _bootstrap_alphas(patterns, sizes, fixed, int(bootstrap), rng, progress)
    finite = alphas[np.isfinite(alphas)]
    tail = (1.0 - ci) / 2.0
    interval = (
        (float(np.quantile(finite, tail)), float(np.quantile(finite, 1.0 - tail)))
        if len(finite)
        else (math.nan, math.nan)
    )
    p_below = {m: float((finite < m).mean()) if len(finite) else math.nan for m in minimums}
    return attrs.evolve(result, ci=interval, ci_level=ci, bootstrap_alphas=alphas, p_below=p_below)


def _unit_patterns(codes: np.ndarray, n_categories: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct per-unit count vectors (patterns x categories) and how many units share each.

    A unit's counts are the multiset of its codes, so sorting each unit's
    codes (not coded sorts last) makes equal patterns equal rows.
    """
    n_coders, n_units = codes.shape
    ordered = np.sort(np.where(codes < 0, n_categories, codes), axis=0)
    base = n_categories + 1
    if n_coders * math.log2(base) < 62:
        keys = np.zeros(n_units, dtype=np.int64)
        for row in ordered[::-1]:  # one pass per coder
            keys *= base
            keys += row
        _, first, sizes = np.unique(keys, return_index=True, return_counts=True)
    else:
        _, first, sizes = np.unique(ordered.T, axis=0, return_index=True, return_counts=True)
    representatives = ordered[:, first]
    n_patterns = len(first)
    if n_patterns * n_categories > 8 * _CHUNK_ELEMENTS:
        raise ValidationError(
            f"the bootstrap would need {n_patterns:,} distinct units x {n_categories:,} categories "
            "of counts; merge categories or bootstrap a sample of the units"
        )
    patterns = np.zeros((n_patterns, n_categories))
    rows = np.arange(n_patterns)
    for row in representatives:  # one pass per coder
        coded = row < n_categories
        patterns[rows[coded], row[coded]] += 1.0
    return patterns, sizes


def _alphas_from_weights(
    weights: np.ndarray, patterns: np.ndarray, distances: np.ndarray | None, disagreement: np.ndarray | None
) -> np.ndarray:
    """Alpha for each row of ``weights`` (resamples x patterns: units drawn of each pattern).

    ``weights @ patterns`` gives each resample's marginals ``n_c``.  For a
    fixed metric, ``sum o_ck delta_ck`` is linear in the units, so it is
    ``weights @ disagreement`` with each pattern's own disagreement.  The
    ordinal metric depends on the marginals; with mid-ranks ``M`` it is
    ``2 sum_c n_c M_c^2 - 2 M^T o M``, and ``M^T o M`` is again a sum over
    patterns of ``w_u ((n_u . M)^2 - sum_c n_uc M_c^2)``.
    """
    marginals = weights @ patterns
    n = marginals.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        if distances is not None:
            observed = weights @ disagreement
            expected = np.einsum("rc,rc->r", marginals @ distances, marginals)
            undefined = ~(expected > 0)
        else:
            unit_weight = 1.0 / (patterns.sum(axis=1) - 1.0)
            midranks = np.cumsum(marginals, axis=1) - marginals / 2.0
            # Centred mid-ranks: the metric is unchanged and the sums below stay small.
            midranks -= (np.einsum("rc,rc->r", marginals, midranks) / n)[:, None]
            squares = midranks * midranks
            s2 = np.einsum("rc,rc->r", marginals, squares)
            weighted = weights * unit_weight
            projection = patterns @ midranks.T  # patterns x resamples
            quadratic = np.einsum("rg,gr->r", weighted, projection * projection) - np.einsum(
                "rc,rc->r", weighted @ patterns, squares
            )
            observed = 2.0 * s2 - 2.0 * quadratic
            expected = 2.0 * n * s2  # minus 2 (sum n_c M_c)^2, which centring made 0
            undefined = ~(s2 > 1e-9 * n**3)  # a single value: every mid-rank equal
        alphas = 1.0 - (n - 1.0) * observed / expected
    alphas[undefined] = math.nan
    return alphas


def _progress_bar(total: int, enabled: bool) -> Any:
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        warnings.warn(
            "progress=True needs the optional package tqdm (pip install tqdm); bootstrapping without a bar",
            stacklevel=4,
        )
        return None
    return tqdm(total=total, desc="bootstrap", unit="resample")


def _bootstrap_alphas(
    patterns: np.ndarray,
    sizes: np.ndarray,
    distances: np.ndarray | None,
    n_resamples: int,
    rng: np.random.Generator,
    progress: bool = False,
) -> np.ndarray:
    """Alphas of ``n_resamples`` resamples of units, drawn with replacement.

    Units of one pattern are interchangeable, so the resample counts per
    pattern are multinomial (few patterns); with many patterns, units are
    drawn directly and counted per pattern with one bincount.
    """
    n_patterns, n_categories = patterns.shape
    n_units = int(sizes.sum())
    unit_weight = 1.0 / (patterns.sum(axis=1) - 1.0)
    disagreement = None
    if distances is not None:
        disagreement = unit_weight * (
            np.einsum("gc,gc->g", patterns @ distances, patterns) - patterns @ np.diag(distances)
        )
    draw_units = n_patterns * 16 >= n_units
    if draw_units:
        pattern_of_unit = np.repeat(np.arange(n_patterns), sizes)
    width = max(n_patterns, n_categories, n_units if draw_units else 1)
    chunk = max(1, min(_MAX_CHUNK_RESAMPLES, _CHUNK_ELEMENTS // width))
    alphas = np.empty(n_resamples)
    bar = _progress_bar(n_resamples, progress)
    try:
        for start in range(0, n_resamples, chunk):  # chunks of resamples, for memory
            k = min(chunk, n_resamples - start)
            if draw_units:
                drawn = pattern_of_unit[rng.integers(0, n_units, size=(k, n_units))]
                drawn += (np.arange(k) * n_patterns)[:, None]
                weights = np.bincount(drawn.reshape(-1), minlength=k * n_patterns).reshape(k, n_patterns)
            else:
                weights = rng.multinomial(n_units, sizes / n_units, size=k)
            alphas[start : start + k] = _alphas_from_weights(
                weights.astype(np.float64), patterns, distances, disagreement
            )
            if bar is not None:
                bar.update(k)
    finally:
        if bar is not None:
            bar.close()
    return alphas


# --------------------------------------------------------------------------
# Cohen's kappa.


def _two_coders(a: Any, b: Any) -> Any:
    """Stack two coders' codes into a 2 x units table, keeping their names."""
    names = [getattr(a, "name", None), getattr(b, "name", None)]
    columns = []
    for coder in (a, b):
        array = np.asarray(coder)
        if array.ndim != 1:
            raise ValidationError(
                f"cohen_kappa(a, b) takes one code per unit for each coder; got an array of shape {array.shape}"
            )
        columns.append(array)
    if len(columns[0]) != len(columns[1]):
        raise ValidationError(
            f"the two coders must code the same units: a has {len(columns[0])} codes, b has {len(columns[1])}"
        )
    kinds = {c.dtype.kind for c in columns}
    if len(kinds) > 1 and not kinds <= set("biuf"):
        columns = [c.astype(object) for c in columns]
    table = np.vstack(columns)
    if names[0] is not None and names[1] is not None and names[0] != names[1]:
        return pd.DataFrame(table, index=pd.Index(names, name="coder"))
    return table


def cohen_kappa(
    a: Any,
    b: Any = None,
    weights: str | None = None,
    values: Sequence[Any] | None = None,
    ci: float = 0.95,
) -> CohenKappaResult:
    """Cohen's kappa between two coders, unweighted or with linear or quadratic weights.

    Parameters
    ----------
    a, b : array-like
        The two coders' values, one per unit (NaN or None where a coder did
        not code the unit).  Alternatively pass reliability data with two
        rows as ``a`` and leave ``b`` out.
    weights : {None, "linear", "quadratic"}, default None
        Partial credit for near misses: agreement weight
        ``1 - |i - j| / (q - 1)`` (linear, Cicchetti-Allison) or
        ``1 - (i - j)^2 / (q - 1)^2`` (quadratic, Fleiss-Cohen), where ``i``
        and ``j`` are positions in the ordered categories and ``q`` their
        number (as in SAS, statsmodels and R's ``irr``); pass ``values=``
        with the full scale to space positions over categories nobody used.
    values : sequence, optional
        Every category in order (see :func:`reliability_data`); needed for
        weighted kappa on text labels.
    ci : float, default 0.95
        Coverage of the confidence interval.

    Returns
    -------
    CohenKappaResult

    Raises
    ------
    ValidationError
        If the coders code different numbers of units, the data have more than
        two coders, no unit is coded by both, the weights are unknown, or
        weights are asked for unordered labels.

    Notes
    -----
    With cell proportions ``p_ij``, margins ``p_i.``, ``p_.j`` and agreement
    weights ``w_ij`` (the identity matrix unweighted),
    ``p_o = sum w_ij p_ij``, ``p_e = sum w_ij p_i. p_.j`` and
    ``kappa = (p_o - p_e) / (1 - p_e)``.  The large-sample variance is
    Fleiss, Cohen & Everitt's (1969):
    ``[sum p_ij (w_ij - (wbar_i. + wbar_.j)(1 - kappa))^2 - (kappa - p_e (1 - kappa))^2]
    / (n (1 - p_e)^2)`` with ``wbar_i. = sum_j p_.j w_ij`` and
    ``wbar_.j = sum_i p_i. w_ij``; under ``kappa = 0`` the same with
    ``p_i. p_.j`` for ``p_ij`` and ``kappa = 0``.  The interval is
    ``kappa -/+ z se``.

    Examples
    --------
    The SAS/STAT manual's example (kappa 0.4842, ASE 0.1380):

    >>> table = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]
    >>> a = [i for i, row in enumerate(table) for j, n in enumerate(row) for _ in range(n)]
    >>> b = [j for i, row in enumerate(table) for j, n in enumerate(row) for _ in range(n)]
    >>> result = cohen_kappa(a, b)
    >>> round(result.kappa, 4), round(result.se, 4), [round(x, 4) for x in result.ci]
    (0.4842, 0.138, [0.2137, 0.7547])
    >>> round(float(cohen_kappa(a, b, weights="linear")), 4)
    0.4701
    """
    ci = _check_ci(ci)
    if weights is not None and weights not in KAPPA_WEIGHTS:
        hint = closest(str(weights), KAPPA_WEIGHTS)
        raise ValidationError(
            f"unknown kappa weights {weights!r}; expected None, 'linear' or 'quadratic'"
            + (f" (did you mean {hint[0]!r}?)" if hint else "")
        )
    table = a if b is None else _two_coders(a, b)
    coded = reliability_data(table, values)
    if coded.n_coders != 2:
        raise ValidationError(
            f"Cohen's kappa compares exactly two coders; the data have {coded.n_coders} "
            "(use fleiss_kappa, gwet_ac1 or krippendorff_alpha for more)"
        )
    if weights is not None and not coded.ordered:
        raise ValidationError(
            f"{weights} weights need ordered categories: pass values=[...] from lowest to highest "
            f"(found {format_choices((repr(v) for v in coded.categories), limit=6)})"
        )
    first, second = coded.codes
    both = (first >= 0) & (second >= 0)
    n = int(both.sum())
    if n == 0:
        raise ValidationError(f"no unit was coded by both coders ({coded.n_units:,} units)")
    q = coded.n_categories
    counts = np.bincount(first[both] * q + second[both], minlength=q * q).reshape(q, q)
    p = counts / n
    rows, columns = p.sum(axis=1), p.sum(axis=0)
    positions = np.arange(q, dtype=np.float64)
    gap = np.abs(positions[:, None] - positions[None, :]) / max(q - 1, 1)
    if weights == "linear":
        w = 1.0 - gap
    elif weights == "quadratic":
        w = 1.0 - gap * gap
    else:
        w = np.eye(q)
    chance = np.outer(rows, columns)
    observed = float((w * p).sum())
    expected = float((w * chance).sum())
    w_row = w @ columns  # wbar_i.
    w_column = rows @ w  # wbar_.j
    spread = w_row[:, None] + w_column[None, :]
    if expected < 1.0 - 1e-12:
        kappa = (observed - expected) / (1.0 - expected)
        scale = n * (1.0 - expected) ** 2
        variance = (
            (p * (w - spread * (1.0 - kappa)) ** 2).sum() - (kappa - expected * (1.0 - kappa)) ** 2
        ) / scale
        variance0 = ((chance * (w - spread) ** 2).sum() - expected**2) / scale
        se, se0 = math.sqrt(max(variance, 0.0)), math.sqrt(max(variance0, 0.0))
    else:  # both coders used one and the same category throughout: kappa is 0 / 0
        kappa = se = se0 = math.nan
    z_ci = statistics.NormalDist().inv_cdf(0.5 + ci / 2.0)
    z = kappa / se0 if se0 > 0 else math.nan
    pvalue = 2.0 * statistics.NormalDist().cdf(-abs(z)) if math.isfinite(z) else math.nan
    names = ["a", "b"] if isinstance(coded.coders, pd.RangeIndex) else [str(c) for c in coded.coders]
    confusion = pd.DataFrame(
        counts,
        index=coded.categories.copy().rename(names[0]),
        columns=coded.categories.copy().rename(names[1]),
    )
    return CohenKappaResult(
        kappa=float(kappa),
        se=se,
        ci=(float(kappa - z_ci * se), float(kappa + z_ci * se)),
        ci_level=ci,
        observed=observed,
        expected=expected,
        n=n,
        n_dropped=coded.n_units - n,
        confusion=confusion,
        weights=weights or "unweighted",
        se0=se0,
        z=float(z),
        pvalue=float(pvalue),
    )


# --------------------------------------------------------------------------
# Fleiss' kappa.


def fleiss_kappa(data: Any, values: Sequence[Any] | None = None) -> FleissKappaResult:
    """Fleiss' kappa from raw reliability data with the same number of ratings per unit.

    Fleiss (1971) assumes every unit is rated by the same number of raters
    (not necessarily the same raters).  Units with a different number of
    ratings are **rejected** with an error listing them, rather than quietly
    dropped or reweighted: use :func:`krippendorff_alpha` or
    :func:`gwet_ac1` for incomplete designs.  Units nobody rated are ignored.

    Parameters
    ----------
    data : array-like, pandas.DataFrame or ReliabilityData
        One row per rater (coder), one column per unit.
    values : sequence, optional
        Every category (see :func:`reliability_data`); a category nobody used
        changes nothing but gets a (NaN) category kappa.

    Returns
    -------
    FleissKappaResult

    Raises
    ------
    ValidationError
        If units have different numbers of ratings (each listed in
        ``problems``), or fewer than two each.

    Examples
    --------
    >>> result = fleiss_kappa([["a", "b", "a", "b"], ["a", "b", "b", "b"], ["a", "a", "b", "b"]])
    >>> round(result.kappa, 4), result.n_raters
    (0.3143, 3)
    >>> fleiss_kappa([["a", "b", None], ["a", "b", "b"]])
    Traceback (most recent call last):
    ...
    policyquant.errors.ValidationError: Fleiss' kappa needs the same number of ratings for every unit; 1 of 3 units differ (most units have 2); use krippendorff_alpha or gwet_ac1 for incomplete data:
      - column 2, value 1: unit has 1 rating; expected 2
    """
    coded = reliability_data(data, values)
    counts = _unit_counts(coded.codes, coded.n_categories)
    per_unit = _row_sums(counts)
    rated = per_unit > 0
    if not rated.any():
        raise ValidationError("no unit was rated")
    sizes, tally = np.unique(per_unit[rated], return_counts=True)
    if len(sizes) > 1:
        usual = sizes[np.argmax(tally)]
        odd = np.flatnonzero(rated & (per_unit != usual))
        raise ValidationError(
            f"Fleiss' kappa needs the same number of ratings for every unit; {len(odd):,} of "
            f"{int(rated.sum()):,} units differ (most units have {usual:g}); use krippendorff_alpha or "
            "gwet_ac1 for incomplete data",
            [
                {
                    "column": coded.units[u],
                    "value": int(per_unit[u]),
                    "problem": f"unit has {per_unit[u]:g} rating" + ("s" if per_unit[u] != 1 else ""),
                    "expected": f"{usual:g}",
                }
                for u in odd
            ],
        )
    if not rated.all():
        counts = counts[rated]
    return _fleiss(counts, coded.categories)


def fleiss_kappa_from_counts(table: Any) -> FleissKappaResult:
    """Fleiss' kappa from a units x categories table of rating counts.

    Parameters
    ----------
    table : array-like or pandas.DataFrame
        ``table[i, j]`` is the number of raters who put unit ``i`` in
        category ``j``; every row must sum to the same number of raters (two
        or more).  A DataFrame's columns name the categories.

    Returns
    -------
    FleissKappaResult

    Raises
    ------
    ValidationError
        If the table is not 2-D, has negative or non-finite counts, or rows
        with different sums (each listed in ``problems``).

    Notes
    -----
    With ``N`` units, ``m`` raters each and counts ``n_ij``: category shares
    ``p_j = sum_i n_ij / (N m)``, unit agreement
    ``P_i = (sum_j n_ij^2 - m) / (m (m - 1))``, ``P = mean P_i``,
    ``P_e = sum p_j^2`` and ``kappa = (P - P_e) / (1 - P_e)`` (Fleiss 1971).
    The category kappas are ``1 - sum_i n_ij (m - n_ij) / (N m (m - 1) p_j q_j)``
    and the standard error under ``kappa = 0`` is Fleiss, Nee & Landis's
    (1979): ``sqrt(2 / (N m (m - 1))) sqrt((sum p_j q_j)^2 - sum p_j q_j (q_j - p_j)) / sum p_j q_j``.

    Examples
    --------
    The example in Wikipedia's article (ten units, fourteen raters):

    >>> table = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    ...          [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    >>> round(float(fleiss_kappa_from_counts(table)), 3)
    0.21
    """
    if isinstance(table, pd.DataFrame):
        categories = table.columns
        array = table.to_numpy(dtype=np.float64)
    else:
        try:
            array = np.asarray(table, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise ValidationError(f"a count table must hold numbers: {error}") from error
        categories = pd.RangeIndex(array.shape[1] if array.ndim == 2 else 0, name="category")
    if array.ndim != 2 or array.shape[0] == 0 or array.shape[1] == 0:
        raise ValidationError(f"a count table must be 2-D, units x categories; got shape {array.shape}")
    if not np.isfinite(array).all() or (array < 0).any():
        raise ValidationError("a count table must hold finite counts of zero or more")
    per_unit = array.sum(axis=1)
    sizes, tally = np.unique(per_unit, return_counts=True)
    if len(sizes) > 1:
        usual = sizes[np.argmax(tally)]
        odd = np.flatnonzero(per_unit != usual)
        raise ValidationError(
            f"Fleiss' kappa needs the same number of ratings in every row; {len(odd):,} of "
            f"{len(per_unit):,} rows differ from {usual:g}, the most common",
            [
                {
                    "row": int(i),
                    "value": float(per_unit[i]),
                    "problem": "row sum differs",
                    "expected": f"{usual:g}",
                }
                for i in odd
            ],
        )
    return _fleiss(array, categories)


def _fleiss(counts: Any, categories: pd.Index) -> FleissKappaResult:
    n_units = counts.shape[0]
    m = float(_row_sums(counts)[0])
    if m < 2:
        raise ValidationError(f"Fleiss' kappa needs at least two ratings per unit; got {m:g}")
    column_totals = _column_sums(counts)
    p = column_totals / (n_units * m)
    q = 1.0 - p
    agreement = (_row_sums(_square(counts)) - m) / (m * (m - 1.0))
    observed = float(agreement.mean())
    expected = float((p * p).sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = (observed - expected) / (1.0 - expected) if expected < 1.0 else math.nan
        disagreement = m * column_totals - _column_sums(_square(counts))  # sum_i n_ij (m - n_ij)
        category_kappas = 1.0 - disagreement / (n_units * m * (m - 1.0) * p * q)
        pq = p * q
        spread = pq.sum()
        null_variance = 2.0 / (n_units * m * (m - 1.0)) * (spread**2 - (pq * (q - p)).sum()) / spread**2
    se0 = math.sqrt(max(null_variance, 0.0)) if spread > 0 else math.nan
    z = kappa / se0 if se0 > 0 else math.nan
    pvalue = 2.0 * statistics.NormalDist().cdf(-abs(z)) if math.isfinite(z) else math.nan
    return FleissKappaResult(
        kappa=float(kappa),
        observed=observed,
        expected=expected,
        n_units=int(n_units),
        n_raters=round(m),
        category_kappas=pd.Series(category_kappas, index=categories.copy(), name="kappa"),
        se0=float(se0),
        z=float(z),
        pvalue=float(pvalue),
    )


# --------------------------------------------------------------------------
# Gwet's AC1, Brennan-Prediger and percent agreement (Gwet 2014, multiple raters).

_GWET_NAMES = {"ac1": "Gwet's AC1", "bp": "Brennan-Prediger", "pa": "percent agreement"}


def _gwet(data: Any, values: Sequence[Any] | None, kind: str, ci: float) -> AgreementResult:
    ci = _check_ci(ci)
    coded = reliability_data(data, values)
    q = coded.n_categories
    counts = _unit_counts(coded.codes, q)
    r = _row_sums(counts)
    rated = r > 0
    if not rated.all():
        counts, r = counts[rated], r[rated]
    n = len(r)
    pairable = r >= 2
    n_pairable = int(pairable.sum())
    if n_pairable == 0:
        raise ValidationError(
            f"no unit was coded by two or more coders ({coded.n_coders} coders, {coded.n_units:,} units)"
        )
    agreeing = _row_sums(_square(counts)) - r  # sum_k r_ik (r_ik - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        unit_agreement = np.where(pairable, agreeing / (r * (r - 1.0)), 0.0)
    observed = float(unit_agreement.sum() / n_pairable)
    shares = _column_sums(_scale_rows(counts, 1.0 / r)) / n  # pi_k
    unit_chance = None
    if kind == "pa":
        expected = 0.0
    elif q < 2:  # a single category: chance agreement, and the coefficient, are 0 / 0
        expected = math.nan
    elif kind == "ac1":
        expected = float((shares * (1.0 - shares)).sum() / (q - 1))
        unit_chance = np.asarray(counts @ (1.0 - shares)).reshape(-1) / r / (q - 1)
    else:
        expected = 1.0 / q
    value = (observed - expected) / (1.0 - expected)
    # Gwet (2014): linearised per-unit coefficients; var = sum (c_i - c)^2 / (n (n - 1)).
    per_unit = (n / n_pairable) * (unit_agreement - expected * pairable) / (1.0 - expected)
    if unit_chance is not None:
        per_unit = per_unit - 2.0 * (1.0 - value) * (unit_chance - expected) / (1.0 - expected)
    if n >= 2 and math.isfinite(value):
        from scipy import stats

        se = math.sqrt(float(((per_unit - value) ** 2).sum()) / (n * (n - 1.0)))
        t = float(stats.t.ppf(0.5 + ci / 2.0, n - 1))
        interval = (value - t * se, min(1.0, value + t * se))
    else:
        se, interval = math.nan, (math.nan, math.nan)
    return AgreementResult(
        coefficient=_GWET_NAMES[kind],
        value=float(value),
        observed=observed,
        expected=float(expected),
        se=se,
        ci=(float(interval[0]), float(interval[1])),
        ci_level=ci,
        n_units=n,
        n_pairable_units=n_pairable,
        n_coders=coded.n_coders,
        n_categories=q,
    )


_GWET_NOTES = """Units nobody coded are ignored.  With ``r_ik`` coders putting unit ``i``
    in category ``k`` and ``r_i`` coders of unit ``i`` in all, percent
    agreement averages ``sum_k r_ik (r_ik - 1) / (r_i (r_i - 1))`` over the
    units with ``r_i >= 2``; category shares ``pi_k`` average
    ``r_ik / r_i`` over all ``n`` coded units (Gwet 2014, ch. 2 and 3).  The
    standard error is Gwet's linearisation for units drawn from an infinite
    population, ``sqrt(sum_i (c_i - c)^2 / (n (n - 1)))``, and the interval
    uses Student's t with ``n - 1`` degrees of freedom, as R's ``irrCAC``.
"""


def gwet_ac1(data: Any, values: Sequence[Any] | None = None, ci: float = 0.95) -> AgreementResult:
    """Gwet's AC1 for any number of coders with missing values.

    Parameters
    ----------
    data : array-like, pandas.DataFrame or ReliabilityData
        One row per coder, one column per unit (see :func:`reliability_data`).
    values : sequence, optional
        Every category the coders could choose; ``q``, their number, enters
        the chance agreement, so list categories nobody used too.
    ci : float, default 0.95
        Coverage of the confidence interval.

    Returns
    -------
    AgreementResult

    Raises
    ------
    ValidationError
        Fewer than two coders, or no unit coded twice.

    Notes
    -----
    ``AC1 = (p_a - p_e) / (1 - p_e)`` with chance agreement
    ``p_e = sum_k pi_k (1 - pi_k) / (q - 1)`` (Gwet 2008), which stays
    small when one category dominates: AC1 does not collapse the way kappa
    does on skewed data.
    With a single category (and no ``values=`` listing others) chance
    agreement is undefined and the coefficient is NaN, as alpha is then.

    {gwet_notes}

    Examples
    --------
    Gwet's (2014) example, the data of Krippendorff's example with units in
    columns (``irrCAC``: AC1 0.77544, SE 0.14295):

    >>> nan = float("nan")
    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...         [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    >>> result = gwet_ac1(data)
    >>> round(result.value, 5), round(result.se, 5), round(result.expected, 5)
    (0.77544, 0.14295, 0.19032)
    """
    return _gwet(data, values, "ac1", ci)


def brennan_prediger(data: Any, values: Sequence[Any] | None = None, ci: float = 0.95) -> AgreementResult:
    """Brennan & Prediger's coefficient (free-marginal kappa) for any number of coders.

    Parameters
    ----------
    data : array-like, pandas.DataFrame or ReliabilityData
        One row per coder, one column per unit (see :func:`reliability_data`).
    values : sequence, optional
        Every category the coders could choose; chance agreement is ``1 / q``
        for ``q`` categories, so list categories nobody used too.
    ci : float, default 0.95
        Coverage of the confidence interval.

    Returns
    -------
    AgreementResult

    Raises
    ------
    ValidationError
        Fewer than two coders, or no unit coded twice.

    Notes
    -----
    ``BP = (p_a - 1/q) / (1 - 1/q)`` (Brennan & Prediger 1981), with Gwet's
    multiple-rater ``p_a``.  With a single category (and no ``values=``
    listing others) the coefficient is NaN.

    {gwet_notes}

    Examples
    --------
    >>> nan = float("nan")
    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...         [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    >>> round(float(brennan_prediger(data)), 5)
    0.77273
    >>> round(float(brennan_prediger(data, values=range(1, 11))), 5)
    0.79798
    """
    return _gwet(data, values, "bp", ci)


def percent_agreement(data: Any, values: Sequence[Any] | None = None, ci: float = 0.95) -> AgreementResult:
    """Percent agreement among any number of coders with missing values.

    Parameters
    ----------
    data : array-like, pandas.DataFrame or ReliabilityData
        One row per coder, one column per unit (see :func:`reliability_data`).
    values : sequence, optional
        Every category (see :func:`reliability_data`); it does not change the
        result.
    ci : float, default 0.95
        Coverage of the confidence interval.

    Returns
    -------
    AgreementResult
        With ``p_e = 0``, so ``value`` equals ``observed``.

    Raises
    ------
    ValidationError
        Fewer than two coders, or no unit coded twice.

    Notes
    -----
    The share of agreeing pairs of coders within a unit, averaged over units
    (not over all pairs pooled), as Gwet (2014) defines it for many coders.

    {gwet_notes}

    Examples
    --------
    >>> result = percent_agreement([["a", "a", "b", "c"], ["a", "b", "b", None]])
    >>> round(result.value, 4), result.n_pairable_units, result.n_units
    (0.6667, 3, 4)
    """
    return _gwet(data, values, "pa", ci)


for _function in (gwet_ac1, brennan_prediger, percent_agreement):
    _function.__doc__ = (_function.__doc__ or "").replace("{gwet_notes}", _GWET_NOTES.strip())
del _function
