"""Cross-tabulation of codings: the study's instrument x objective table (Table 4)."""

from __future__ import annotations

from typing import Literal

import attrs
import numpy as np
import pandas as pd

from .._checks import require_corpus
from ..corpus import Corpus
from ..errors import ValidationError
from ..results import TableResult
from .groups import grouping

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
        The fields cross-tabulated.
    count : {"codings", "units"}
        What was counted.
    corpus : Corpus
        The corpus tabulated (used for labels and families).
    """

    counts: pd.DataFrame
    rows: str
    columns: str
    count: str
    corpus: Corpus = attrs.field(repr=False)

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

    def _label(self, field: str, key: object) -> str:
        framework = self.corpus.framework
        scale = framework.scale
        if scale is not None and field in scale.dimension_keys:
            # A score column reads "5 (Administrative regulations)".
            dimension = scale.dimension(field)
            level = next((lv for lv in dimension.levels if lv.score == key), None)
            return f"{key} ({level.label})" if level is not None else str(key)
        part = {"instrument": "instrument", "family": "family", "objective": "objective"}.get(field)
        if part is None or not isinstance(key, str):
            return str(key)
        try:
            return framework.get(part, key).label  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - "(missing)" and the like keep their own text
            return key

    def _export_frame(self) -> pd.DataFrame:
        frame = self.to_frame()
        frame.index = [_study_row_label(group, row) for group, row in frame.index]
        frame.index.name = self.rows
        frame.columns = [f"{c} {v}" if c != "Total" else f"Total {v}" for c, v in frame.columns]
        return frame

    def to_frame(self, labels: bool = True) -> pd.DataFrame:
        """The study's layout: count and share per column, row totals, subtotals and a total row.

        With ``rows="instrument"`` each family's subtotal row comes before its
        instruments, as in the study's Table 4.

        Parameters
        ----------
        labels : bool, default True
            Show labels (``"Standards and Norms"``) rather than keys.

        Returns
        -------
        pandas.DataFrame
            Index levels ``(group, row)``; columns ``(column category, "count" | "share")``
            plus ``("Total", "count")`` and ``("Total", "share")``.  Shares are
            percentages of the column total; the total column's share is of the
            grand total.

        Examples
        --------
        >>> import policyquant as pq
        >>> table = pq.crosstab(pq.datasets.load_genai_china()).to_frame()
        >>> table.loc[("Mandatory", "Total"), ("Total", "share")].round(2)
        np.float64(51.98)
        """
        counts = self.counts
        column_totals = counts.sum(axis=0)
        grand = max(int(column_totals.sum()), 1)
        shares = self.shares
        framework = self.corpus.framework

        def block(frame: pd.DataFrame, share: pd.DataFrame) -> pd.DataFrame:
            parts = {}
            for column in counts.columns:
                name = self._label(self.columns, column) if labels else str(column)
                parts[(name, "count")] = frame[column].astype("int64")
                parts[(name, "share")] = share[column]
            totals = frame.sum(axis=1)
            parts[("Total", "count")] = totals.astype("int64")
            parts[("Total", "share")] = totals / grand * 100.0
            return pd.DataFrame(parts, index=frame.index)

        pieces = []
        if self.rows == "instrument" and framework.instruments:
            for family in framework.families:
                members = [i.key for i in framework.instruments if i.family == family.key]
                subtotal = counts.loc[members].sum(axis=0).to_frame().T
                subtotal_share = subtotal.div(column_totals.where(column_totals > 0, 1), axis=1) * 100.0
                family_name = family.label if labels else family.key
                subtotal.index = pd.MultiIndex.from_tuples([(family_name, "Total")])
                subtotal_share.index = subtotal.index
                pieces.append(block(subtotal, subtotal_share))
                rows = counts.loc[members]
                index = pd.MultiIndex.from_tuples(
                    [(family_name, self._label("instrument", key) if labels else key) for key in members]
                )
                pieces.append(block(rows.set_axis(index), shares.loc[members].set_axis(index)))
            extra = [key for key in counts.index if key not in framework.instrument_keys]
            if extra:
                index = pd.MultiIndex.from_tuples([("", str(key)) for key in extra])
                pieces.append(block(counts.loc[extra].set_axis(index), shares.loc[extra].set_axis(index)))
        else:
            index = pd.MultiIndex.from_tuples(
                [(self.rows, self._label(self.rows, key) if labels else str(key)) for key in counts.index]
            )
            pieces.append(block(counts.set_axis(index), shares.set_axis(index)))
        total = counts.sum(axis=0).to_frame().T
        total.index = pd.MultiIndex.from_tuples([("Total", "")])
        total_share = total.div(column_totals.where(column_totals > 0, 1), axis=1) * 100.0
        total_share.index = total.index
        pieces.append(block(total, total_share))
        frame = pd.concat(pieces)
        frame.index.names = ["group", self.rows]
        frame.columns = pd.MultiIndex.from_tuples(frame.columns, names=[self.columns, "value"])
        return frame


def _study_row_label(group: object, row: object) -> str:
    if row == "Total":
        return f"{group} total"
    if group == "Total":
        return "Total"
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

    Returns
    -------
    CrosstabResult
        ``.counts``, ``.shares``, ``.to_frame()`` (the study's layout),
        ``.to_markdown()``, ``.to_latex()``; renders in Jupyter.

    Raises
    ------
    ValidationError
        For an unknown field or ``count``.

    Notes
    -----
    One :func:`numpy.bincount` over the combined integer codes of the two
    fields; no Python loop over rows.

    Examples
    --------
    >>> import policyquant as pq
    >>> table = pq.crosstab(pq.datasets.load_genai_china())
    >>> table.counts.loc["standards_and_norms"].tolist()
    [28, 75, 40, 36]
    >>> table.shares.loc["standards_and_norms", "rights_protection"].round(2)
    np.float64(22.58)
    >>> table.total
    908
    """
    corpus = require_corpus(corpus, "crosstab")
    if count not in ("codings", "units", "documents"):
        raise ValidationError(f"count must be 'codings', 'units' or 'documents', got {count!r}")
    if rows == columns:
        raise ValidationError(f"rows and columns must be different fields, got {rows!r} twice")
    framework = corpus.framework
    if count == "documents":
        table = "documents"
    else:
        table = "codings" if count == "codings" or "objective" in (rows, columns) else "units"
        if table == "codings" and not framework.objectives:
            table = "units"
    groups = grouping(corpus, [rows, columns], table)
    row_categories, column_categories = groups.categories
    shape = (len(row_categories), len(column_categories))
    flat = np.bincount(groups.codes, minlength=shape[0] * shape[1]).reshape(shape)
    counts = pd.DataFrame(flat, index=row_categories.rename(rows), columns=column_categories.rename(columns))
    return CrosstabResult(counts, rows, columns, table, corpus)
