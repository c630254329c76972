"""Cross-tabulation of codings: the study's instrument x objective table (Table 4)."""

from __future__ import annotations

from typing import Literal

import attrs
import numpy as np
import pandas as pd
from scipy import sparse

from .._checks import require_corpus
from .._language import category_label, column_title, field_title, resolve_language
from .._text import closest
from ..corpus import Corpus
from ..errors import ValidationError
from ..results import TableResult

__all__ = ["CrosstabResult", "crosstab"]

Count = Literal["codings", "units", "documents"]


@attrs.frozen(eq=False)
class CrosstabResult(TableResult):
    """Counts of codings (or clauses) by two fields, with column shares.

    Attributes
    ----------
    counts : pandas.DataFrame
        Integer counts, indexed by the categories of ``rows`` (e.g.
        instrument keys in framework order) with one column per category of
        ``columns``; empty categories are rows or columns of zeros.
    rows, columns : str
        The fields cross-tabulated; the same code field for a co-occurrence
        matrix.
    count : {"codings", "units", "documents"}
        What was counted; for a co-occurrence matrix, where two codes
        co-occur (the same clause or the same document).
    corpus : Corpus
        The corpus tabulated (used for labels and families).
    """

    counts: pd.DataFrame
    rows: str
    columns: str
    count: str
    corpus: Corpus = attrs.field(repr=False)

    @property
    def not_coded(self) -> int:
        """How many clauses were coded ``none`` (no instrument): not in the counts, counted apart.

        Examples
        --------
        >>> import policyquant as pq
        >>> pq.crosstab(pq.datasets.load_genai_china()).not_coded
        0
        """
        if not isinstance(self.corpus, Corpus):  # a partitioned corpus counts them as it reads
            return int(self.corpus.n_not_coded)
        return len(self.corpus.not_coded)

    @property
    def shares(self) -> pd.DataFrame:
        """Column percentages (0 to 100): each count as a share of its column's total.

        A column with no counts has shares of 0.
        """
        totals = self.counts.sum(axis=0)
        return self.counts.div(totals.where(totals > 0, 1), axis=1) * 100.0

    @property
    def row_shares(self) -> pd.DataFrame:
        """Row percentages (0 to 100): each count as a share of its row's total.

        A row with no counts has shares of 0.
        """
        totals = self.counts.sum(axis=1)
        return self.counts.div(totals.where(totals > 0, 1), axis=0) * 100.0

    @property
    def row_totals(self) -> pd.Series:
        """Total count per row category."""
        return self.counts.sum(axis=1)

    @property
    def total(self) -> int:
        """The grand total."""
        return int(self.counts.to_numpy().sum())

    def _label(self, field: str, key: object, language: str | None = None) -> str:
        framework = self.corpus.framework
        scale = framework.scale
        if scale is not None and field in scale.dimension_keys:
            # A score column reads "5 (Administrative regulations)".
            dimension = scale.dimension(field)
            level = next((lv for lv in dimension.levels if lv.score == key), None)
            if level is None:
                return str(key)
            label = level.label_in(language)
            return f"{key}（{label}）" if language == "zh" else f"{key} ({label})"
        if language is not None:
            return category_label(framework, field, key, language)
        part = {"instrument": "instrument", "family": "family", "objective": "objective"}.get(field)
        if part is None or not isinstance(key, str):
            return str(key)
        try:
            return framework.get(part, key).label  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - "(missing)" and the like keep their own text
            return key

    @property
    def is_cooccurrence(self) -> bool:
        """Whether this is a co-occurrence matrix (the same code on rows and columns)."""
        return self.rows == self.columns

    def _export_frame(self, language: str | None = None) -> pd.DataFrame:
        code = resolve_language(language)
        frame = self.to_frame(language=code)
        if self.is_cooccurrence:
            return frame
        total = "Total" if code is None else column_title("Total", code)
        frame.index = [_study_row_label(group, row, total, code) for group, row in frame.index]
        frame.index.name = self.rows if code is None else field_title(self.corpus.framework, self.rows, code)
        frame.columns = [f"{c} {v}" for c, v in frame.columns]
        return frame

    def to_frame(self, labels: bool = True, language: str | None = None) -> pd.DataFrame:
        """The study's layout: count and share per column, row totals, subtotals and a total row.

        With ``rows="instrument"`` each family's subtotal row comes before its
        instruments, as in the study's Table 4.

        Parameters
        ----------
        labels : bool, default True
            Show labels (``"Standards and Norms"``) rather than keys.
        language : str, optional
            Label everything for a reader in this language (``"en"``,
            ``"zh"``, ``"zh-CN"`` ...): categories by their labels in it
            (``"标准规范"``), score levels as ``"5（法律法规）"``, the totals
            ``"合计"``, the value headers ``"n"`` and ``"%"``, and the
            index levels and column groups titled by their fields
            (``"工具类型"``, ``"政策工具"``, ``"政策目标"``).  It overrides
            ``labels``; the counts and shares are the same in every language.

        Returns
        -------
        pandas.DataFrame
            Index levels ``(group, row)``; columns ``(column category, "count" | "share")``
            plus ``("Total", "count")`` and ``("Total", "share")``.  Shares are
            percentages of the column total; the total column's share is of the
            grand total.  A co-occurrence matrix (:attr:`is_cooccurrence`) is
            the square table of counts alone, its categories labelled: shares
            and totals of co-occurrences would count a clause or document
            several times.

        Examples
        --------
        >>> import policyquant as pq
        >>> result = pq.crosstab(pq.datasets.load_genai_china())
        >>> table = result.to_frame()
        >>> table.loc[("Mandatory", "Total"), ("Total", "share")].round(2)
        np.float64(51.98)
        >>> chinese = result.to_frame(language="zh")
        >>> chinese.loc[("强制型", "合计"), ("合计", "%")].round(2)
        np.float64(51.98)
        >>> list(chinese.index.names), list(chinese.columns.names)
        (['工具类型', '政策工具'], ['政策目标', ''])
        """
        code = resolve_language(language)
        framework = self.corpus.framework
        if code is not None:
            name = lambda field, key: self._label(field, key, code)  # noqa: E731
        elif labels:
            name = self._label
        else:
            name = lambda field, key: str(key)  # noqa: E731
        total = "Total" if code is None else column_title("Total", code)
        count_word, share_word = ("count", "share") if code is None else ("n", "%")
        counts = self.counts
        if self.is_cooccurrence:
            named = [name(self.rows, key) for key in counts.index]
            title = self.rows if code is None else field_title(framework, self.rows, code)
            return counts.set_axis(pd.Index(named, name=title), axis=0).set_axis(
                pd.Index(named, name=title), axis=1
            )
        column_totals = counts.sum(axis=0)
        grand = max(int(column_totals.sum()), 1)
        shares = self.shares

        def block(frame: pd.DataFrame, share: pd.DataFrame) -> pd.DataFrame:
            parts = {}
            for column in counts.columns:
                heading = name(self.columns, column)
                parts[(heading, count_word)] = frame[column].astype("int64")
                parts[(heading, share_word)] = share[column]
            totals = frame.sum(axis=1)
            parts[(total, count_word)] = totals.astype("int64")
            parts[(total, share_word)] = totals / grand * 100.0
            return pd.DataFrame(parts, index=frame.index)

        pieces = []
        if self.rows == "instrument" and framework.instruments:
            for family in framework.families:
                members = [i.key for i in framework.instruments if i.family == family.key]
                subtotal = counts.loc[members].sum(axis=0).to_frame().T
                subtotal_share = subtotal.div(column_totals.where(column_totals > 0, 1), axis=1) * 100.0
                if code is not None:
                    family_name = family.label_in(code)
                else:
                    family_name = family.label if labels else family.key
                subtotal.index = pd.MultiIndex.from_tuples([(family_name, total)])
                subtotal_share.index = subtotal.index
                pieces.append(block(subtotal, subtotal_share))
                rows = counts.loc[members]
                index = pd.MultiIndex.from_tuples([(family_name, name("instrument", key)) for key in members])
                pieces.append(block(rows.set_axis(index), shares.loc[members].set_axis(index)))
            extra = [key for key in counts.index if key not in framework.instrument_keys]
            if extra:
                index = pd.MultiIndex.from_tuples([("", str(key)) for key in extra])
                pieces.append(block(counts.loc[extra].set_axis(index), shares.loc[extra].set_axis(index)))
        else:
            group = self.rows if code is None else field_title(framework, self.rows, code)
            index = pd.MultiIndex.from_tuples([(group, name(self.rows, key)) for key in counts.index])
            pieces.append(block(counts.set_axis(index), shares.set_axis(index)))
        grand_total = counts.sum(axis=0).to_frame().T
        grand_total.index = pd.MultiIndex.from_tuples([(total, "")])
        total_share = grand_total.div(column_totals.where(column_totals > 0, 1), axis=1) * 100.0
        total_share.index = grand_total.index
        pieces.append(block(grand_total, total_share))
        frame = pd.concat(pieces)
        if code is None:
            frame.index.names = ["group", self.rows]
            frame.columns = pd.MultiIndex.from_tuples(frame.columns, names=[self.columns, "value"])
        else:
            grouped = self.rows == "instrument" and bool(framework.instruments)
            frame.index.names = [
                field_title(framework, "family", code) if grouped else "",
                field_title(framework, self.rows, code),
            ]
            frame.columns = pd.MultiIndex.from_tuples(
                frame.columns, names=[field_title(framework, self.columns, code), ""]
            )
        return frame


def _study_row_label(group: object, row: object, total: str = "Total", language: str | None = None) -> str:
    # A family's subtotal reads "Mandatory total" in English and "强制型合计" in Chinese.
    if row == total:
        return f"{group}{total}" if language == "zh" else f"{group} {total.lower()}"
    if group == total:
        return total
    return str(row)


def crosstab(
    corpus: Corpus,
    rows: str = "instrument",
    columns: str = "objective",
    count: Count = "codings",
) -> CrosstabResult:
    """Count codings (or clauses) by two fields: the study's Table 4.

    Parameters
    ----------
    corpus : Corpus
        The coded corpus.
    rows, columns : str, default "instrument" and "objective"
        ``"instrument"``, ``"family"``, ``"objective"``, or a document or
        unit field such as ``"level"``, ``"year"``, ``"region"``, ``"DA"``.
    count : {"codings", "units", "documents"}, default "codings"
        Count clause-objective codings (a clause serving two objectives counts
        twice), clauses, or documents (then both fields must be document
        fields, such as ``"region"`` and ``"DA"``).  Grouping by
        ``"objective"`` always counts codings, since a clause belongs to an
        objective only through them.

        **Co-occurrence.**  The same code twice (``rows="objective",
        columns="objective"``, or ``"instrument"`` or ``"family"`` twice) gives
        the co-occurrence matrix that QDA programs call a code relations
        browser: cell *(a, b)* counts the clauses (``count="units"``) or
        documents (``count="documents"``) coded with both *a* and *b*, and the
        diagonal counts those coded with *a* at all.  By default
        (``"codings"``) objectives co-occur in a clause (one clause serves
        several objectives) and instruments and families in a document (a
        clause uses one instrument).  A code used twice in one clause or
        document counts once there.

    Returns
    -------
    CrosstabResult
        ``.counts``, ``.shares``, ``.to_frame()`` (the study's layout),
        ``.to_markdown()``, ``.to_latex()``; renders in Jupyter.  A
        co-occurrence matrix is symmetric; its ``.to_frame()`` is the labelled
        square matrix.

    Raises
    ------
    ValidationError
        For an unknown field or ``count``, or the same field twice when it is
        not a code (``"level"`` twice).

    Notes
    -----
    One :func:`numpy.bincount` over the combined integer codes of the two
    fields; no Python loop over rows.  A co-occurrence matrix is
    ``X.T @ X`` for the sparse 0/1 matrix ``X`` of clauses (or documents) by
    codes.

    Examples
    --------
    >>> import policyquant as pq
    >>> corpus = pq.datasets.load_genai_china()
    >>> table = pq.crosstab(corpus)
    >>> table.counts.loc["standards_and_norms"].tolist()
    [28, 75, 40, 36]
    >>> table.shares.loc["standards_and_norms", "rights_protection"].round(2)
    np.float64(22.58)
    >>> table.total
    908

    Which objectives the same clauses serve, and which instruments the same
    documents use:

    >>> objectives = pq.crosstab(corpus, rows="objective", columns="objective")
    >>> objectives.count, objectives.counts.shape
    ('units', (4, 4))
    >>> bool((objectives.counts == objectives.counts.T).all().all())
    True
    >>> instruments = pq.crosstab(corpus, rows="instrument", columns="instrument")
    >>> instruments.count, int(instruments.counts.loc["standards_and_norms", "standards_and_norms"])
    ('documents', ...)
    """
    from .partial import CrosstabKernel, dispatch

    partitioned = dispatch(corpus, lambda: CrosstabKernel(rows, columns, count))
    if partitioned is not None:
        return partitioned
    corpus = require_corpus(corpus, "crosstab")
    # One implementation: the whole corpus is the one partition of the count kernel.
    return CrosstabKernel(rows, columns, count).run(corpus)


#: The codes a co-occurrence matrix is made of, and where two of them co-occur by default.
_COOCCURRING = {"objective": "units", "instrument": "documents", "family": "documents"}


def _check_cooccurring(field: str) -> None:
    """Refuse the same field twice when it is not a code (``"level"`` twice)."""
    if field not in _COOCCURRING:
        raise ValidationError(
            f"rows and columns must be different fields, got {field!r} twice; the same field twice "
            f"gives a co-occurrence matrix of codes: {', '.join(map(repr, _COOCCURRING))}",
            [
                {
                    "column": "rows, columns",
                    "value": field,
                    "problem": "the same field twice, and not a code",
                    "expected": "two different fields, or one of " + ", ".join(_COOCCURRING),
                    "suggestions": ", ".join(closest(field, list(_COOCCURRING))) or None,
                }
            ],
        )


def _cooccurrence_matrix(where: np.ndarray, codes: np.ndarray, size: int, n_categories: int) -> np.ndarray:
    """The code relations matrix ``X.T @ X`` of the sparse 0/1 indicator matrix ``X``.

    ``X`` has one row per clause or document (``where``, ``0 <= where <
    size``) and one column per category; a cell is 1 when the category is
    coded there at least once, so the diagonal counts the clauses or documents
    coded with each category.
    """
    indicator = _indicator(where, codes, size, n_categories)
    return np.asarray((indicator.T @ indicator).toarray(), dtype=np.int64)


def _indicator(where: np.ndarray, codes: np.ndarray, size: int, n_categories: int) -> sparse.csr_matrix:
    """The 0/1 CSR matrix of ``size`` rows and ``n_categories`` columns, 1 where ``(where, codes)`` occurs."""
    indicator = sparse.csr_matrix(
        (np.ones(len(where), dtype=np.int64), (where, codes)), shape=(size, n_categories)
    )
    # A code used twice in one clause or document is there once: presence, not frequency.
    indicator.sum_duplicates()
    indicator.data[:] = 1
    return indicator
