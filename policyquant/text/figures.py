"""Figures of text analyses: the word cloud (the co-occurrence network is :func:`policyquant.plotting.cooccurrence_network`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import ValidationError
from ._tokens import require


def _cjk_font_path() -> str | None:
    """The file of the CJK font the figures use (policyquant._fonts), or None without one."""
    from matplotlib import font_manager

    from .._fonts import cjk_font

    family = cjk_font()
    if family is None:
        return None
    return str(font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False))


def wordcloud_figure(
    frequencies: Any,
    *,
    max_words: int = 100,
    width: int = 800,
    height: int = 500,
    background: str = "white",
    colormap: str = "viridis",
    seed: int = 7,
    font_path: str | None = None,
    ax: Any = None,
) -> Any:
    """A word cloud of feature frequencies, drawn with a CJK font so that Chinese shows.

    Parameters
    ----------
    frequencies : FrequencyTable, DocumentFeatureMatrix, Tokens, mapping or Series
        A :func:`~policyquant.text.top_features` table (its ``frequency``, or
        ``tfidf`` when ranked by it; one group only), a matrix or tokens (all
        their counts), or a mapping of word to weight.
    max_words : int, default 100
        The most words drawn.
    width, height : int
        Pixels of the cloud's image.
    background, colormap : str
        Background colour and matplotlib colormap of the words.
    seed : int, default 7
        The layout's random seed: the same seed gives the same picture.
    font_path : str, optional
        A font file; by default the CJK font policyquant's figures use
        (:func:`policyquant.plotting.cjk_font`), else the wordcloud package's own.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValidationError
        For no words, a table with several groups, or negative weights.
    MissingTextDependencyError
        Without the ``wordcloud`` package: ``pip install 'policyquant[text]'``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from policyquant.text import tokenize, top_features, wordcloud_figure
    >>> tokens = tokenize(["生成式人工智能服务提供者应当落实安全主体责任", "深度合成服务提供者应当落实安全主体责任"],
    ...                   user_words=["生成式人工智能", "深度合成"])
    >>> fig = wordcloud_figure(top_features(tokens, 30))
    >>> fig.axes[0].images[0].get_array().shape[:2]
    (500, 800)
    >>> plt.close(fig)
    """
    import pandas as pd

    from ._analyses import DocumentFeatureMatrix, FrequencyTable
    from ._tokens import Tokens

    wordcloud = require("wordcloud", "A word cloud")
    if isinstance(frequencies, Tokens):
        counts = np.bincount(frequencies.codes, minlength=len(frequencies.vocabulary))
        weights = dict(zip(frequencies.vocabulary.tolist(), counts.tolist(), strict=True))
    elif isinstance(frequencies, DocumentFeatureMatrix):
        counts = np.asarray(frequencies.matrix.sum(axis=0)).ravel()
        weights = dict(zip(frequencies.features.tolist(), counts.tolist(), strict=True))
    elif isinstance(frequencies, FrequencyTable):
        frame = frequencies.frame
        if len(frame) and (frame["group"] != frame["group"].iloc[0]).any():
            raise ValidationError(
                "the frequency table has several groups: draw one at a time, "
                "e.g. FrequencyTable(table.frame[table.frame['group'] == name])"
            )
        column = "tfidf" if "tfidf" in frame.columns else "frequency"
        weights = dict(zip(frame["feature"].tolist(), frame[column].astype(float).tolist(), strict=True))
    elif isinstance(frequencies, (Mapping, pd.Series)):
        weights = {str(k): float(v) for k, v in dict(frequencies).items()}
    else:
        raise ValidationError(
            f"wordcloud_figure needs frequencies (top_features(), dfm(), tokenize() or a mapping), "
            f"got {type(frequencies).__name__}"
        )
    weights = {word: weight for word, weight in weights.items() if weight > 0}
    if not weights:
        raise ValidationError("no words to draw: every weight is zero (or there are no tokens)")
    if font_path is None:
        font_path = _cjk_font_path()
    cloud = wordcloud.WordCloud(
        width=width,
        height=height,
        max_words=max_words,
        background_color=background,
        colormap=colormap,
        random_state=seed,
        font_path=font_path,
        prefer_horizontal=1.0,
    ).generate_from_frequencies(weights)
    from ..plotting import _axes

    fig, ax = _axes(ax, (width / 100, height / 100))
    ax.imshow(cloud.to_array(), interpolation="bilinear")
    ax.set_axis_off()
    return fig
