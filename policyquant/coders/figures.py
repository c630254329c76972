"""Figures of a machine coder's evaluation: confusion matrices of the model and of its baseline.

matplotlib is imported only when a figure is drawn; Chinese labels use the
CJK font handling of :mod:`policyquant.plotting` (a
:class:`~policyquant.plotting.FontWarning` when no installed font can draw them).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._fonts import _drawing
from .._language import category_label, is_chinese, resolve_language
from ..errors import ValidationError

__all__ = ["confusion_matrix_plot", "confusion_pair"]

_WORDS = {
    "en": {"human": "Human code", "machine": "Machine code", "baseline": "Majority-class baseline", "share": "Share of the human code's units", "count": "Units"},
    "zh": {"human": "人工编码", "machine": "机器编码", "baseline": "多数类基线", "share": "占该人工编码单元的比例", "count": "单元数"},
}


def confusion_matrix_plot(
    confusion: pd.DataFrame,
    *,
    framework: Any = None,
    ax: Any = None,
    language: str | None = None,
    font: str | None = None,
    shares: bool = True,
    title: str | None = None,
) -> Any:
    """Heatmap of a confusion matrix: human codes (rows) x machine codes (columns).

    Parameters
    ----------
    confusion : pandas.DataFrame
        Counts, human codes in the index and machine codes in the columns
        (:attr:`~policyquant.coders.supervised.CoderEvaluation.confusion`).
    framework : Framework, optional
        Labels the instrument keys by their names (in ``language``).
    ax : matplotlib.axes.Axes, optional
        Draw on this Axes instead of a new figure.
    language : str, optional
        ``None`` or ``"en"``; ``"zh"`` for Chinese labels.
    font : str, optional
        A font family for every text of the figure.
    shares : bool, default True
        Colour each row by its shares (the recall of each human code on the
        diagonal), annotated with the counts; ``False`` colours by counts.
    title : str, optional
        The title; ``""`` for none.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> from policyquant.coders.figures import confusion_matrix_plot
    >>> table = pd.DataFrame([[5, 1], [2, 4]], index=["infrastructure", "talent_development"],
    ...                      columns=["infrastructure", "talent_development"])
    >>> fig = confusion_matrix_plot(table, title="model")
    >>> fig.axes[0].get_xlabel(), fig.axes[0].get_title()
    ('Machine code', 'model')
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    if not isinstance(confusion, pd.DataFrame):
        raise ValidationError(f"confusion_matrix_plot() takes a DataFrame of counts, got {type(confusion).__name__}")
    code = resolve_language(language)
    words = _WORDS["zh" if is_chinese(code) else "en"]
    rows = [_label(framework, key, code) for key in confusion.index]
    columns = [_label(framework, key, code) for key in confusion.columns]
    counts = confusion.to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        colour = counts / counts.sum(axis=1, keepdims=True) if shares else counts
    colour = np.nan_to_num(colour)
    texts = [*rows, *columns, *words.values(), title or ""]
    with _drawing(code, font, texts) as touched:
        if ax is None:
            size = 1.8 + 0.42 * max(len(columns), 1)
            fig, ax = plt.subplots(figsize=(size + 1.2, size))
        else:
            fig = ax.figure
        touched.append(ax)
        image = ax.imshow(colour, cmap="Blues", vmin=0, vmax=1 if shares else max(float(colour.max()), 1.0), aspect="auto")
        ax.set_xticks(range(len(columns)), labels=columns, rotation=60, ha="right", fontsize="small")
        ax.set_yticks(range(len(rows)), labels=rows, fontsize="small")
        ax.set_xlabel(words["machine"])
        ax.set_ylabel(words["human"])
        ax.tick_params(length=0)
        high = float(colour.max()) if colour.size else 0.0
        for (i, j), value in np.ndenumerate(counts):
            if value:
                ax.text(j, i, f"{int(value)}", ha="center", va="center", fontsize="x-small",
                        color="white" if colour[i, j] > 0.6 * max(high, 1e-9) else "0.15")
        bar = fig.colorbar(image, ax=ax, shrink=0.8, pad=0.02)
        bar.set_label(words["share"] if shares else words["count"])
        touched.append(bar.ax)
        if title:
            ax.set_title(title)
    return fig


def confusion_pair(evaluation: Any, *, language: str | None = None, font: str | None = None, shares: bool = True) -> Any:
    """The instrument confusion matrices of a coder and of its majority-class baseline, side by side.

    Parameters
    ----------
    evaluation : CoderEvaluation
        From :meth:`~policyquant.coders.supervised.SupervisedCoder.evaluate`.
    language, font, shares
        As for :func:`confusion_matrix_plot`.

    Returns
    -------
    matplotlib.figure.Figure
        Two heatmaps: the coder's (titled with its name) and the baseline's.
        A baseline puts every unit in one column: a coder whose matrix looks
        like it has learnt nothing.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import policyquant as pq
    >>> from policyquant.coders import train
    >>> from policyquant.coders.figures import confusion_pair
    >>> evaluation = train(pq.datasets.load_genai_china(), fields=("instrument",)).evaluate(cv=3)
    >>> fig = confusion_pair(evaluation, language="zh")
    >>> fig.axes[1].get_title()
    '多数类基线'
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    if evaluation.confusion.empty:
        raise ValidationError("the coder was not evaluated on the instrument: there is no confusion matrix to draw")
    code = resolve_language(language)
    words = _WORDS["zh" if is_chinese(code) else "en"]
    size = 1.8 + 0.42 * len(evaluation.confusion.columns)
    fig, axes = plt.subplots(1, 2, figsize=(2 * size + 3.0, size + 0.6), layout="constrained")
    confusion_matrix_plot(
        evaluation.confusion, framework=evaluation.framework, ax=axes[0], language=code, font=font, shares=shares,
        title=evaluation.coder,
    )
    confusion_matrix_plot(
        evaluation.baseline_confusion, framework=evaluation.framework, ax=axes[1], language=code, font=font,
        shares=shares, title=words["baseline"],
    )
    return fig


def _label(framework: Any, key: Any, language: str | None) -> str:
    if framework is None:
        return str(key)
    return category_label(framework, "instrument", key, language)
