"""How well instruments fit objectives: the chi-square test of the crosstab and its residuals."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pandas as pd

from .._checks import require_corpus
from .._language import category_label, field_title, resolve_language
from ..corpus import Corpus
from ..errors import ValidationError
from ..results import TableResult
from .crosstab import Count, crosstab

__all__ = ["FitResult", "fit"]

#: Cochran's rule: at most this share of cells may have an expected count below 5.
SPARSE_SHARE = 0.2


@attrs.frozen(eq=False)
class FitResult(TableResult):
    """The chi-square test of independence of two coded fields, with cell residuals.

    Attributes
    ----------
    observed : pandas.DataFrame
        The counts tested (rows and columns with no counts at all are left out
        and listed in :attr:`dropped`).
    expected : pandas.DataFrame
        Expected counts under independence, shaped like :attr:`observed`.
    residuals : pandas.DataFrame
        Adjusted standardized residuals (Haberman): above about 2, a cell holds
        clearly more codings than independence predicts; below about -2, fewer.
    chi2 : float
        Pearson's chi-square statistic.
    dof : int
        Degrees of freedom, ``(rows - 1) * (columns - 1)``.
    pvalue : float
        Probability of a chi-square at least this large under independence.
    cramers_v : float
        Cramér's V, from 0 (independence) to 1.
    dropped : tuple of str
        Categories left out because they have no counts.
    rows, columns : str or None
        The fields tested (the index and columns of the tables).
    corpus : Corpus or None
        The corpus tested: the source of the labels of ``to_frame(language=...)``.
    """

    observed: pd.DataFrame
    expected: pd.DataFrame
    residuals: pd.DataFrame
    chi2: float
    dof: int
    pvalue: float
    cramers_v: float
    dropped: tuple[str, ...] = ()
    rows: str | None = None
    columns: str | None = None
    corpus: Corpus | None = attrs.field(default=None, repr=False)

    @property
    def n(self) -> int:
        """The number of counts tested."""
        return int(self.observed.to_numpy().sum())

    @property
    def sparse_cells(self) -> int:
        """How many cells have an expected count below 5."""
        return int((self.expected.to_numpy() < 5).sum())

    @property
    def sparse(self) -> bool:
        """Whether Cochran's rule fails: over 20% of expected counts below 5, or any below 1.

        When it fails, the chi-square p-value is only approximate; read the
        residuals rather than the test.
        """
        expected = self.expected.to_numpy()
        return bool((expected < 5).mean() > SPARSE_SHARE or (expected < 1).any())

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """The adjusted standardized residuals (the table a reader inspects cell by cell).

        Parameters
        ----------
        language : str, optional
            Label the categories (``"标准规范"``, ``"公共安全与利益"``) and
            title the index and columns by their fields in this language;
            by default the categories' keys.  The residuals are the same.

        Returns
        -------
        pandas.DataFrame
            One row per category of ``rows``, one column per category of
            ``columns``; a copy when labelled.

        Examples
        --------
        >>> import policyquant as pq
        >>> result = pq.fit(pq.datasets.load_genai_china(), rows="family")
        >>> table = result.to_frame(language="zh")
        >>> table.index.name, table.index.tolist(), table.columns.name
        ('工具类型', ['强制型', '自愿型', '混合型'], '政策目标')
        """
        code = resolve_language(language)
        if code is None or self.corpus is None:
            return self.residuals
        framework = self.corpus.framework
        frame = self.residuals.copy()
        for axis, field in ((0, self.rows), (1, self.columns)):
            keys = frame.axes[axis]
            if field is None:
                continue
            labels = pd.Index(
                [category_label(framework, field, key, code) for key in keys],
                name=field_title(framework, field, code),
            )
            frame = frame.set_axis(labels, axis=axis)
        return frame

    def summary(self) -> str:
        """The test in one paragraph, with the sparse-cell warning where it applies.

        Examples
        --------
        >>> import policyquant as pq
        >>> print(pq.fit(pq.datasets.load_genai_china(), rows="family").summary())
        chi2(6) = 63.38, p = 9.2e-12, Cramér's V = 0.187, n = 908; 0 of 12 expected counts below 5
        """
        cells = self.expected.size
        text = (
            f"chi2({self.dof}) = {self.chi2:.2f}, p = {self.pvalue:.2g}, Cramér's V = {self.cramers_v:.3f}, "
            f"n = {self.n}; {self.sparse_cells} of {cells} expected counts below 5"
        )
        if self.sparse:
            text += " (Cochran's rule fails: the p-value is approximate; read the residuals)"
        if self.dropped:
            text += f"; left out for having no counts: {', '.join(self.dropped)}"
        return text

    def __str__(self) -> str:
        return self.summary() + "\n\nAdjusted standardized residuals:\n" + super().__str__()


def fit(
    corpus: Corpus, rows: str = "instrument", columns: str = "objective", count: Count = "codings"
) -> FitResult:
    """Test whether two coded fields are independent, and show where they attract or repel.

    The study's question "are instruments used in ways consistent with the
    objectives?" as a chi-square test of the instrument x objective table,
    with Cramér's V for the strength of association and adjusted standardized
    residuals for each cell.

    Parameters
    ----------
    corpus : Corpus
    rows, columns : str, default "instrument" and "objective"
        Any fields :func:`policyquant.crosstab` accepts; ``rows="family"``
        tests at family level.
    count : {"codings", "units", "documents"}, default "codings"
        What to count; see :func:`policyquant.crosstab`.

    Returns
    -------
    FitResult

    Raises
    ------
    ValidationError
        If fewer than two rows or columns have counts.

    Notes
    -----
    With observed counts :math:`O_{ij}`, row and column totals :math:`R_i`,
    :math:`C_j` and :math:`N` in all, :math:`E_{ij} = R_i C_j / N`,
    :math:`\\chi^2 = \\sum (O_{ij} - E_{ij})^2 / E_{ij}` with
    :math:`(r - 1)(c - 1)` degrees of freedom,
    :math:`V = \\sqrt{\\chi^2 / (N (\\min(r, c) - 1))}`, and the adjusted
    standardized residual is
    :math:`(O_{ij} - E_{ij}) / \\sqrt{E_{ij} (1 - R_i / N)(1 - C_j / N)}`.
    Tested against :func:`scipy.stats.chi2_contingency`.

    Examples
    --------
    >>> import policyquant as pq
    >>> result = pq.fit(pq.datasets.load_genai_china())
    >>> result.dof, round(result.cramers_v, 3), result.sparse
    (45, 0.254, True)
    >>> round(float(result.residuals.loc["pilots_and_demonstrations", "application_scenarios"]), 2)
    5.16
    """
    from .partial import FitKernel, dispatch

    partitioned = dispatch(corpus, lambda: FitKernel(rows, columns, count))
    if partitioned is not None:
        return partitioned
    corpus = require_corpus(corpus, "fit")
    table = crosstab(corpus, rows=rows, columns=columns, count=count).counts
    return _fit_counts(table, rows, columns, corpus)


def _fit_counts(table: pd.DataFrame, rows: str, columns: str, corpus: Any) -> FitResult:
    """The chi-square test of a table of counts (the crosstab's, or the count kernels' combined)."""
    from scipy import stats

    keep_rows = table.sum(axis=1) > 0
    keep_columns = table.sum(axis=0) > 0
    dropped = tuple(str(k) for k in table.index[~keep_rows]) + tuple(
        str(k) for k in table.columns[~keep_columns]
    )
    observed = table.loc[keep_rows, keep_columns]
    r, c = observed.shape
    if r < 2 or c < 2:
        raise ValidationError(
            f"a fit test needs at least two {rows} and two {columns} categories with counts; "
            f"this corpus has {r} and {c}"
        )
    values = observed.to_numpy(dtype=np.float64)
    n = values.sum()
    row_totals = values.sum(axis=1, keepdims=True)
    column_totals = values.sum(axis=0, keepdims=True)
    expected = row_totals @ column_totals / n
    chi2 = float(((values - expected) ** 2 / expected).sum())
    dof = (r - 1) * (c - 1)
    residuals = (values - expected) / np.sqrt(expected * (1 - row_totals / n) * (1 - column_totals / n))
    frame = lambda data: pd.DataFrame(data, index=observed.index, columns=observed.columns)  # noqa: E731
    return FitResult(
        observed=observed,
        expected=frame(expected),
        residuals=frame(residuals),
        chi2=chi2,
        dof=dof,
        pvalue=float(stats.chi2.sf(chi2, dof)),
        cramers_v=float(np.sqrt(chi2 / (n * (min(r, c) - 1)))),
        dropped=dropped,
        rows=rows,
        columns=columns,
        corpus=corpus,
    )
