"""Result objects: tables that render in Jupyter and export to papers.

Every analysis that returns more than a plain DataFrame returns a subclass of
:class:`TableResult`.  A result knows how to lay itself out as a DataFrame
(:meth:`TableResult.to_frame`) and, from that, renders as HTML in Jupyter and
exports to Markdown, LaTeX (booktabs) and CSV through one interface.
"""

from __future__ import annotations

import abc
from os import PathLike

import pandas as pd

__all__ = ["FrameResult", "TableResult", "flatten_columns"]


def flatten_columns(frame: pd.DataFrame, separator: str = " ") -> pd.DataFrame:
    """Join the levels of MultiIndex columns (and a MultiIndex index) into single labels.

    Examples
    --------
    >>> frame = pd.DataFrame([[1, 2]], columns=pd.MultiIndex.from_tuples([("a", "n"), ("a", "%")]))
    >>> list(flatten_columns(frame).columns)
    ['a n', 'a %']
    """
    frame = frame.copy()
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [separator.join(str(p) for p in c if str(p)) for c in frame.columns]
    if isinstance(frame.index, pd.MultiIndex):
        frame.index = [separator.join(str(p) for p in i if str(p)) for i in frame.index]
    return frame


class TableResult(abc.ABC):
    """Base class of table-shaped results.

    Subclasses implement :meth:`to_frame`; rendering and exports follow from it.
    """

    #: Decimal places used for floats in text exports.
    decimals: int = 2

    @abc.abstractmethod
    def to_frame(self) -> pd.DataFrame:
        """The result laid out as a DataFrame."""

    def _export_frame(self) -> pd.DataFrame:
        """The frame that text exports show; flat labels by default."""
        return flatten_columns(self.to_frame())

    def to_markdown(self, decimals: int | None = None) -> str:
        """The table as GitHub-flavoured Markdown (via ``tabulate``).

        Integers stay integers; floats show ``decimals`` places.

        Parameters
        ----------
        decimals : int, optional
            Decimal places for floats; defaults to :attr:`decimals`.
        """
        from tabulate import tabulate

        digits = self.decimals if decimals is None else decimals
        frame = self._export_frame()
        cells = {}
        for column in frame.columns:
            values = frame[column]
            if pd.api.types.is_float_dtype(values.dtype):
                cells[column] = values.map(lambda v: "" if pd.isna(v) else f"{v:.{digits}f}")
            else:
                cells[column] = values.map(lambda v: "" if v is None or v is pd.NA else str(v))
        text = pd.DataFrame(cells, index=frame.index)
        align = ["left"] + [
            "right" if pd.api.types.is_numeric_dtype(frame[c].dtype) else "left" for c in frame.columns
        ]
        headers = [str(frame.index.name or "")] + [str(c) for c in frame.columns]
        rows = [[str(label), *row] for label, row in zip(text.index, text.to_numpy().tolist(), strict=True)]
        return tabulate(rows, headers=headers, tablefmt="github", disable_numparse=True, colalign=align)

    def to_latex(
        self, decimals: int | None = None, caption: str | None = None, label: str | None = None
    ) -> str:
        """The table as a LaTeX ``tabular`` with booktabs rules.

        Parameters
        ----------
        decimals : int, optional
            Decimal places for floats; defaults to :attr:`decimals`.
        caption, label : str, optional
            Wrap the tabular in a ``table`` environment with this caption and label.
        """
        digits = self.decimals if decimals is None else decimals
        styler = self.to_frame().style.format(precision=digits, na_rep="")
        return styler.to_latex(
            hrules=True,
            caption=caption,
            label=label,
            multicol_align="c",
            environment="table" if caption or label else None,
        )

    def to_csv(self, path: str | PathLike[str] | None = None, **kwargs: object) -> str | None:
        """Write :meth:`to_frame` as CSV (UTF-8 with BOM so that Excel shows Chinese), or return it."""
        frame = self.to_frame()
        if path is None:
            return frame.to_csv(**kwargs)
        kwargs.setdefault("encoding", "utf-8-sig")
        frame.to_csv(path, **kwargs)
        return None

    def _repr_html_(self) -> str:
        digits = self.decimals
        return self.to_frame().style.format(precision=digits, na_rep="").to_html()

    def __str__(self) -> str:
        with pd.option_context(
            "display.max_rows",
            200,
            "display.max_columns",
            50,
            "display.width",
            200,
            "display.precision",
            self.decimals,
        ):
            return self.to_frame().to_string()


class FrameResult(TableResult):
    """A plain DataFrame given the exports of a :class:`TableResult`.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    decimals : int, default 2
        Decimal places for floats in text exports.

    Examples
    --------
    >>> print(FrameResult(pd.DataFrame({"count": [3], "mean": [1.5]}, index=["a"])).to_markdown())
    |    |   count |   mean |
    |----|---------|--------|
    | a  |       3 |   1.50 |
    """

    def __init__(self, frame: pd.DataFrame, decimals: int = 2) -> None:
        self.frame = frame
        self.decimals = decimals

    def to_frame(self) -> pd.DataFrame:
        """The wrapped DataFrame."""
        return self.frame
