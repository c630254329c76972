"""Figures of a coded corpus: the study's tables and figures as matplotlib plots.

The first parameter of every figure function is ``corpus``: a
:class:`~policyquant.Corpus`, or in its place what the figure's analysis
returns for one (a :func:`~policyquant.crosstab` result for
:func:`crosstab_heatmap`, an :func:`~policyquant.issuer_network` for
:func:`issuer_network_plot`, a :func:`~policyquant.trends` result for
:func:`trend_plot` ...), or the tidy table that analysis accepts
(:func:`portfolio_tiles`, as :func:`~policyquant.portfolio_measures`).  The
same rule holds for the analyses: a function that takes a corpus takes it
first, as ``corpus``.  The older names of that parameter (``result_or_corpus``,
``network_or_corpus``, ``corpus_or_frame``, ``frame``) still work as
deprecated keyword aliases; positional calls never changed.

Every function returns a :class:`matplotlib.figure.Figure` and takes

``ax``
    An existing :class:`~matplotlib.axes.Axes` to draw on (the figure it belongs
    to is returned); by default a new figure is made.
``language``
    ``None`` or ``"en"`` for English labels; ``"zh"`` for the framework's
    Chinese labels (:meth:`~policyquant.model.Framework.get` ...
    ``.label_in("zh")``), Chinese level labels, axis titles and legend titles.
    Resolved as everywhere in the package: ``"zh-CN"``, ``"zh_Hans"``,
    ``"ZH"`` or ``"中文"`` draw the same figure as ``"zh"``, ``"en-US"`` the
    same as ``"en"``; Traditional Chinese (``"zh-TW"``) and other languages
    are refused with a :class:`~policyquant.errors.ValidationError`.
``font``
    A font family to use for every text of the figure, overriding the automatic
    choice.

Chinese text needs a CJK font.  :func:`cjk_font` finds one among the installed
fonts (Noto Sans CJK, Source Han Sans, WenQuanYi, Microsoft YaHei, PingFang,
SimHei, ...) and every function uses it, with the usual sans-serif fonts as a
fallback, whenever ``language="zh"`` or a label contains CJK characters.
A font counts only if it has real glyphs for Chinese characters, and one
installed after matplotlib's font cache was written is found too.  Whenever a
figure has text that its fonts cannot draw (no CJK font installed, or a
``font`` without Chinese glyphs), a :class:`FontWarning` names the characters
and says how to install a font; the figure is drawn anyway, with empty boxes
for those characters.

matplotlib is imported only when a figure is drawn; ``import policyquant``
never imports it.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> import policyquant as pq
>>> from policyquant import plotting
>>> corpus = pq.datasets.load_genai_china()
>>> fig = plotting.crosstab_heatmap(corpus, language="zh")
>>> fig.axes[0].get_title()
'政策工具 × 政策目标（编码数）'
>>> plt.close(fig)
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import _language
from ._deprecation import renamed_arguments

# The font job lives in _fonts; its public names (and the glyph table tests read) stay importable from here.
from ._fonts import CJK_FONT_NAMES as CJK_FONT_NAMES
from ._fonts import FontWarning, _drawing, cjk_font, font_context
from ._fonts import _glyphs as _glyphs
from ._language import category_label as _category_label
from ._language import field_title as _field_title
from ._language import is_chinese as _zh
from ._language import ui as _ui
from .analysis.authority import authority_distribution
from .analysis.crosstab import CrosstabResult, crosstab
from .analysis.efficacy import efficacy_summary
from .analysis.groups import MISSING
from .analysis.network import DEFAULT_ISSUER_ALIASES, IssuerAliases, IssuerNetwork, issuer_network
from .analysis.trends import TrendsResult, trends
from .corpus import Corpus
from .errors import ValidationError
from .model import Framework

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "FontWarning",
    "authority_plot",
    "cjk_font",
    "cooccurrence_network",
    "crosstab_heatmap",
    "efficacy_bars",
    "family_objective_bars",
    "font_context",
    "issuer_network_plot",
    "portfolio_tiles",
    "selection_flow",
    "trend_plot",
]

_has_cjk = _language.has_cjk


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise ImportError("policyquant.plotting needs matplotlib: pip install 'policyquant[plot]'") from error
    return plt


def _root_figure(ax: Axes) -> Figure:
    try:
        return ax.get_figure(root=True)
    except TypeError:  # matplotlib < 3.10
        return ax.figure


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is None:
        fig, ax = _pyplot().subplots(figsize=figsize, layout="constrained")
        return fig, ax
    from matplotlib.axes import Axes as MplAxes

    if not isinstance(ax, MplAxes):
        raise ValidationError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    return _root_figure(ax), ax


# -- Labels ----------------------------------------------------------------------------

# The words of every figure come from policyquant._language, the package's one
# translation table; these names stay importable from here for existing code.
#: Interface strings of figures by language (the same object as ``policyquant._language.UI_STRINGS``).
UI_STRINGS = _language.UI_STRINGS
#: Axis and legend titles of corpus fields by language (``policyquant._language.FIELD_TITLES``).
FIELD_TITLES = _language.FIELD_TITLES
_REGION_ZH = _language.REGION_ZH
_dimension = _language.scale_dimension


def _check_language(language: object) -> str | None:
    """``language`` resolved once, at the top of every figure function."""
    return _language.resolve_language(language)


def _wrap(label: str, width: int) -> str:
    """Wrap a Latin label over lines of ``width`` characters; CJK labels stay on one line."""
    if _has_cjk(label) or len(label) <= width:
        return label
    return "\n".join(textwrap.wrap(label, width)) or label


#: Colours of instrument families (and other small qualitative sets), in order.
PALETTE = ("#2f6f9f", "#e3883b", "#55a868", "#c44e52", "#8172b2", "#937860", "#da8bc3", "#8c8c8c")


def _family_colors(framework: Framework) -> dict[str, str]:
    return {family.key: PALETTE[i % len(PALETTE)] for i, family in enumerate(framework.families)}


def _check_choice(name: str, value: object, choices: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        listed = (
            ", ".join(repr(c) for c in choices[:-1]) + f" or {choices[-1]!r}"
            if len(choices) > 1
            else repr(choices[0])
        )
        raise ValidationError(f"{name} must be {listed}, got {value!r}")
    return value


def _as_crosstab(value: object, what: str) -> CrosstabResult:
    if isinstance(value, CrosstabResult):
        return value
    if isinstance(value, Corpus):
        return crosstab(value)
    raise ValidationError(f"{what} needs a policyquant Corpus or CrosstabResult, got {type(value).__name__}")


def _colormap(cmap: Any) -> Any:
    """A matplotlib colormap given by name (or as a colormap)."""
    import matplotlib
    from matplotlib.colors import Colormap

    if isinstance(cmap, Colormap):
        return cmap
    try:
        return matplotlib.colormaps[cmap]
    except (KeyError, TypeError):
        raise ValidationError(
            f"cmap must be a matplotlib colormap or its name (e.g. 'Blues'), got {cmap!r}"
        ) from None


def _text_color(value: float, low: float, high: float, cmap: Any) -> str:
    """Black or white, whichever reads better on the colormap's colour for ``value``."""
    span = high - low
    red, green, blue, _ = cmap((value - low) / span if span > 0 else 0.0)
    return "white" if 0.299 * red + 0.587 * green + 0.114 * blue < 0.5 else "black"


def _format_value(value: float, shares: bool) -> str:
    if shares:
        return f"{value:.1f}"
    return f"{round(value):d}"


def _text_inches(text: str, size: float = 10.0) -> float:
    """About how wide ``text`` is at ``size`` points: CJK characters are square, Latin ones narrower."""
    wide = sum(1 for character in text if _has_cjk(character))
    return (wide + 0.58 * (len(text) - wide)) * size / 72


def _title(ax: Axes, title: str | None, default: str) -> None:
    text = default if title is None else title
    if text:
        ax.set_title(text)


# -- Crosstab heatmap ------------------------------------------------------------------


@renamed_arguments(result_or_corpus="corpus")
def crosstab_heatmap(
    corpus: CrosstabResult | Corpus,
    values: str = "counts",
    annotate: bool = True,
    *,
    ax: Axes | None = None,
    language: str | None = None,
    font: str | None = None,
    cmap: str = "Blues",
    colorbar: bool = True,
    title: str | None = None,
) -> Figure:
    """Heatmap of a cross-tabulation, instruments grouped by family (the study's Table 4).

    Parameters
    ----------
    corpus : CrosstabResult or Corpus
        A :func:`~policyquant.crosstab` result, or a corpus (then its
        instrument x objective crosstab of codings).  ``result_or_corpus=``
        is its deprecated alias.
    values : {"counts", "shares", "row_shares"}, default "counts"
        Cell counts, column percentages (each objective's codings sum to 100)
        or row percentages.
    annotate : bool, default True
        Write each cell's value in it.
    ax : matplotlib.axes.Axes, optional
        Draw on this Axes instead of a new figure.
    language : str, optional
        ``None`` or ``"en"`` for English labels, ``"zh"`` for Chinese.
    font : str, optional
        A font family for every text of the figure.
    cmap : str or matplotlib.colors.Colormap, default "Blues"
        A matplotlib colormap or its name.
    colorbar : bool, default True
        Draw a colour bar.
    title : str, optional
        The title; ``""`` for none.  By default it names the fields and what was
        counted.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValidationError
        For an unknown ``values`` or an argument of the wrong type.

    Notes
    -----
    With instruments on the rows, lines separate the instrument families and
    the families are named on the right, in the framework's order.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import policyquant as pq
    >>> from policyquant import plotting
    >>> corpus = pq.datasets.load_genai_china()
    >>> fig = plotting.crosstab_heatmap(corpus)
    >>> ax = fig.axes[0]
    >>> ax.get_title()
    'Codings by policy instrument and policy objective'
    >>> [label.get_text() for label in ax.get_yticklabels()][:2]
    ['Standards and Norms', 'Infrastructure']
    >>> plt.close(fig)
    >>> fig = plotting.crosstab_heatmap(corpus, values="shares", language="zh")
    >>> fig.axes[0].get_yticklabels()[0].get_text()
    '标准规范'
    >>> plt.close(fig)
    """
    language = _check_language(language)
    result = _as_crosstab(corpus, "crosstab_heatmap")
    _check_choice("values", values, ("counts", "shares", "row_shares"))
    table = {"counts": result.counts, "shares": result.shares, "row_shares": result.row_shares}[values]
    framework = result.corpus.framework
    row_labels = [_category_label(framework, result.rows, key, language) for key in table.index]
    column_labels = [_category_label(framework, result.columns, key, language) for key in table.columns]
    groups = _row_groups(framework, result.rows, list(table.index), language)
    count_label = _ui(result.count, language)
    value_label = {
        "counts": count_label,
        "shares": _ui("column_share", language),
        "row_shares": _ui("row_share", language),
    }[values]
    row_title = _field_title(framework, result.rows, language)
    column_title = _field_title(framework, result.columns, language)
    default_title = _ui("cross", language).format(
        count_label,
        row_title if _zh(language) else row_title.lower(),
        column_title if _zh(language) else column_title.lower(),
    )
    texts = [*row_labels, *column_labels, *(g[0] for g in groups), value_label, row_title, column_title]
    n_rows, n_columns = table.shape
    wrap = max(8, min(18, int(60 / max(n_columns, 1))))
    colormap = _colormap(cmap)
    with _drawing(language, font, texts) as touched:
        fig, ax = _axes(ax, (2.6 + 1.15 * n_columns + (1.0 if colorbar else 0), 1.4 + 0.33 * n_rows))
        touched.append(ax)
        data = table.to_numpy(dtype=np.float64)
        image = ax.imshow(data, cmap=colormap, aspect="auto", interpolation="nearest")
        ax.set_xticks(range(n_columns), labels=[_wrap(label, wrap) for label in column_labels])
        ax.set_yticks(range(n_rows), labels=row_labels)
        ax.tick_params(length=0)
        ax.set_xlabel(column_title)
        ax.set_ylabel(row_title)
        for spine in ax.spines.values():
            spine.set_visible(False)
        # Thin white lines between cells, dark lines between families.
        ax.set_xticks(np.arange(-0.5, n_columns), minor=True)
        ax.set_yticks(np.arange(-0.5, n_rows), minor=True)
        ax.grid(which="minor", color="white", linewidth=0.8)
        ax.tick_params(which="minor", length=0)
        if annotate and data.size:
            low, high = float(np.nanmin(data)), float(np.nanmax(data))
            for (i, j), value in np.ndenumerate(data):
                ax.text(
                    j,
                    i,
                    _format_value(value, values != "counts"),
                    ha="center",
                    va="center",
                    fontsize="small",
                    color=_text_color(value, low, high, colormap),
                )
        if len(groups) > 1:
            for _, start, _end in groups[1:]:
                ax.axhline(start - 0.5, color="0.15", linewidth=1.4)
            side = ax.secondary_yaxis("right")
            # Latin names turned to run down the side; Chinese names stacked a character a line.
            side.set_yticks(
                [(start + end) / 2 for _, start, end in groups],
                labels=["\n".join(label) if _has_cjk(label) else label for label, _, _ in groups],
            )
            side.tick_params(length=0, pad=4)
            for label in side.get_yticklabels():
                label.set_verticalalignment("center")
                if not _has_cjk(label.get_text()):
                    label.set_rotation(-90)
                    label.set_fontweight("bold")
            side.spines["right"].set_visible(False)
            touched.append(side)
        if colorbar:
            bar = fig.colorbar(image, ax=ax, shrink=0.8, pad=0.02, aspect=30)
            bar.set_label(value_label)
            bar.outline.set_visible(False)
            touched.append(bar.ax)
        _title(ax, title, default_title)
    return fig


def _row_groups(
    framework: Framework, field: str, keys: list[object], language: str | None
) -> list[tuple[str, float, float]]:
    """``(family label, first row, last row)`` for runs of instruments of one family."""
    if field != "instrument" or not framework.instruments:
        return []
    family_of = {instrument.key: instrument.family for instrument in framework.instruments}
    groups: list[tuple[str, float, float]] = []
    current = None
    for position, key in enumerate(keys):
        family = family_of.get(key) if isinstance(key, str) else None
        if groups and family == current:
            label, start, _ = groups[-1]
            groups[-1] = (label, start, position)
            continue
        current = family
        label = _category_label(framework, "family", family, language) if family is not None else ""
        groups.append((label, position, position))
    return groups


# -- Families by objective -------------------------------------------------------------


def family_objective_bars(
    corpus: Corpus | CrosstabResult,
    values: str = "counts",
    *,
    annotate: bool = True,
    ax: Axes | None = None,
    language: str | None = None,
    font: str | None = None,
    title: str | None = None,
) -> Figure:
    """Stacked bars: how each policy objective's codings split over the instrument families.

    Parameters
    ----------
    corpus : Corpus or CrosstabResult
        A corpus (its family x objective crosstab of codings is drawn), or any
        crosstab result: one bar per column category, stacked by row category.
    values : {"counts", "shares"}, default "counts"
        Codings, or each objective's percentages (every bar reaches 100).
    annotate : bool, default True
        Write the value of every segment tall enough to hold it.
    ax, language, font, title
        As in :func:`crosstab_heatmap`.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValidationError
        For an unknown ``values``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import policyquant as pq
    >>> from policyquant import plotting
    >>> corpus = pq.datasets.load_genai_china()
    >>> fig = plotting.family_objective_bars(corpus, values="shares")
    >>> ax = fig.axes[0]
    >>> ax.get_legend().get_title().get_text(), [t.get_text() for t in ax.get_legend().get_texts()]
    ('Instrument family', ['Mixed', 'Voluntary', 'Mandatory'])
    >>> plt.close(fig)
    """
    language = _check_language(language)
    if isinstance(corpus, Corpus):
        result = crosstab(corpus, rows="family", columns="objective")
    elif isinstance(corpus, CrosstabResult):
        result = corpus
    else:
        raise ValidationError(
            f"family_objective_bars needs a policyquant Corpus or CrosstabResult, got {type(corpus).__name__}"
        )
    _check_choice("values", values, ("counts", "shares"))
    table = result.counts if values == "counts" else result.shares
    framework = result.corpus.framework
    stack_labels = [_category_label(framework, result.rows, key, language) for key in table.index]
    bar_labels = [_category_label(framework, result.columns, key, language) for key in table.columns]
    stack_title = _field_title(framework, result.rows, language)
    bar_title = _field_title(framework, result.columns, language)
    value_label = (
        _ui(result.count, language)
        if values == "counts"
        else (
            _ui("objective_share", language)
            if result.columns == "objective"
            else _ui("column_share", language)
        )
    )
    zh = _zh(language)
    default_title = _ui("cross", language).format(
        _ui(result.count, language),
        bar_title if zh else bar_title.lower(),
        stack_title if zh else stack_title.lower(),
    )
    colors = _family_colors(framework) if result.rows == "family" else {}
    texts = [*stack_labels, *bar_labels, stack_title, bar_title, value_label]
    n_bars = table.shape[1]
    with _drawing(language, font, texts) as touched:
        fig, ax = _axes(ax, (max(5.0, 1.35 * n_bars + 2.8), 4.6))
        touched.append(ax)
        data = table.to_numpy(dtype=np.float64)
        positions = np.arange(n_bars)
        bottom = np.zeros(n_bars)
        top = data.sum(axis=0).max() if data.size else 0.0
        for i, (key, label) in enumerate(zip(table.index, stack_labels, strict=True)):
            color = colors.get(key, PALETTE[i % len(PALETTE)])
            bars = ax.bar(
                positions,
                data[i],
                0.62,
                bottom=bottom,
                color=color,
                label=label,
                edgecolor="white",
                linewidth=0.8,
            )
            if annotate:
                for bar, value in zip(bars, data[i], strict=True):
                    if value > 0 and value >= 0.05 * top:
                        ax.text(
                            bar.get_x() + bar.get_width() / 2,
                            bar.get_y() + value / 2,
                            _format_value(value, values == "shares"),
                            ha="center",
                            va="center",
                            fontsize="small",
                            color=_contrast(color),
                        )
            bottom += data[i]
        ax.set_xticks(positions, labels=[_wrap(label, 16) for label in bar_labels])
        ax.set_xlabel(bar_title)
        ax.set_ylabel(value_label)
        ax.set_xlim(-0.6, n_bars - 0.4)
        if values == "shares":
            ax.set_ylim(0, 100)
        ax.spines[["top", "right"]].set_visible(False)
        handles, names = ax.get_legend_handles_labels()
        # Top segment first, as the bars stack.
        ax.legend(
            handles[::-1],
            names[::-1],
            title=stack_title,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
        )
        _title(ax, title, default_title)
    return fig


def _contrast(color: Any) -> str:
    """Black or white, whichever reads better on ``color``."""
    from matplotlib.colors import to_rgb

    red, green, blue = to_rgb(color)
    return "white" if 0.299 * red + 0.587 * green + 0.114 * blue < 0.55 else "black"


# -- Efficacy --------------------------------------------------------------------------


def efficacy_bars(
    corpus: Corpus,
    by: str = "instrument",
    *,
    sort: bool = False,
    ax: Axes | None = None,
    language: str | None = None,
    font: str | None = None,
    title: str | None = None,
) -> Figure:
    """Mean policy efficacy by instrument, objective or family, with standard deviations and counts.

    Parameters
    ----------
    corpus : Corpus
        A corpus whose framework has an efficacy scale.
    by : str, default "instrument"
        ``"instrument"``, ``"objective"``, ``"family"``, or a document field such
        as ``"level"`` or ``"year"`` (see :func:`~policyquant.efficacy_summary`).
    sort : bool, default False
        Order the bars by mean, highest first, instead of the framework's order.
    ax, language, font, title
        As in :func:`crosstab_heatmap`.

    Returns
    -------
    matplotlib.figure.Figure
        One horizontal bar per group: the mean, an error bar of one standard
        deviation, and the number of clauses (codings, by objective) at its end.
        Instruments are coloured by family.

    Raises
    ------
    ValidationError
        If ``by`` is not a field of the corpus, or the framework has no scale.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import policyquant as pq
    >>> from policyquant import plotting
    >>> corpus = pq.datasets.load_genai_china()
    >>> fig = plotting.efficacy_bars(corpus, by="objective")
    >>> ax = fig.axes[0]
    >>> ax.get_title(), len(ax.patches)
    ('Mean policy efficacy by policy objective', 4)
    >>> [t.get_text() for t in ax.texts][:2]
    ['n = 124', 'n = 365']
    >>> plt.close(fig)
    """
    language = _check_language(language)
    if not isinstance(corpus, Corpus):
        raise ValidationError(f"efficacy_bars needs a policyquant Corpus, got {type(corpus).__name__}")
    if not isinstance(by, str):
        raise ValidationError(
            f"by must be one field name such as 'instrument', 'objective' or 'family', got {by!r}"
        )
    framework = corpus.framework
    summary = efficacy_summary(corpus, by=by).to_frame()
    summary = summary[(summary.index != MISSING) | (summary["count"] > 0)]
    if sort:
        summary = summary.sort_values("mean", ascending=False, kind="stable")
    labels = [_category_label(framework, by, key, language) for key in summary.index]
    field_title = _field_title(framework, by, language)
    scale_name = framework.scale.name if framework.scale is not None else ""
    value_label = f"{_ui('mean_efficacy', language)} ({scale_name}) ± {_ui('sd', language)}"
    if _zh(language):
        value_label = f"{_ui('mean_efficacy', language)}（{scale_name}）± {_ui('sd', language)}"
    default_title = _ui("efficacy_title", language).format(
        field_title if _zh(language) else field_title.lower()
    )
    family_colors = _family_colors(framework)
    if by == "instrument":
        family_of = {i.key: i.family for i in framework.instruments}
        colors = [family_colors.get(family_of.get(key, ""), PALETTE[-1]) for key in summary.index]
    elif by == "family":
        colors = [family_colors.get(key, PALETTE[-1]) for key in summary.index]
    else:
        colors = [PALETTE[0]] * len(summary)
    texts = [*labels, field_title, value_label]
    n = len(summary)
    with _drawing(language, font, texts) as touched:
        fig, ax = _axes(ax, (7.0, 1.6 + 0.36 * max(n, 2)))
        touched.append(ax)
        positions = np.arange(n)
        means = summary["mean"].to_numpy(dtype=np.float64)
        spread = np.nan_to_num(summary["std"].to_numpy(dtype=np.float64))
        ax.barh(
            positions,
            np.nan_to_num(means),
            0.65,
            xerr=spread,
            color=colors,
            error_kw={"ecolor": "0.25", "elinewidth": 1, "capsize": 3},
        )
        ends = np.nan_to_num(means) + spread
        reach = float(ends.max()) if n else 1.0
        for position, end, count in zip(positions, ends, summary["count"], strict=True):
            ax.text(
                end + 0.015 * reach,
                position,
                _ui("n", language).format(int(count)),
                va="center",
                fontsize="small",
                color="0.35",
            )
        ax.set_yticks(positions, labels=labels)
        ax.invert_yaxis()
        ax.set_xlim(0, reach * 1.2 if reach > 0 else 1)
        ax.set_xlabel(value_label)
        ax.set_ylabel(field_title)
        ax.spines[["top", "right"]].set_visible(False)
        if by == "instrument" and framework.families:
            from matplotlib.patches import Patch

            handles = [
                Patch(color=family_colors[f.key], label=f.label_in(language)) for f in framework.families
            ]
            ax.legend(
                handles=handles,
                title=_field_title(framework, "family", language),
                loc="lower right",
                frameon=False,
            )
        _title(ax, title, default_title)
    return fig


# -- Issuer network --------------------------------------------------------------------

#: Short forms of the bodies that provincial governments set up, for figure labels.
_BODY_SHORT = (
    (re.compile(r"general office of .*people'?s government", re.I), "Gov. Office", "政府办公厅"),
    (re.compile(r"people'?s government", re.I), "Government", "人民政府"),
    (re.compile(r"cyberspace administration", re.I), "CAC", "网信办"),
    (re.compile(r"commission of economy and informati", re.I), "Economy & IT", "经信委"),
    (re.compile(r"bureau of economy and informati", re.I), "Economy & IT", "经信局"),
    (re.compile(r"department of economy and informati", re.I), "Economy & IT", "经信厅"),
    (re.compile(r"industry and information", re.I), "Industry & IT", "工信厅"),
    (re.compile(r"development and reform", re.I), "DRC", "发改委"),
    (re.compile(r"science and technology commission", re.I), "S&T", "科委"),
    (re.compile(r"science and technology bureau", re.I), "S&T", "科技局"),
    (re.compile(r"science and technology", re.I), "S&T", "科技厅"),
    (re.compile(r"\beducation\b", re.I), "Education", "教育厅"),
    (re.compile(r"market (regulation|supervision)", re.I), "Market Reg.", "市场监管局"),
    (re.compile(r"\bdata\b", re.I), "Data", "数据局"),
)

_SMALL_WORDS = {"of", "and", "the", "for", "on", "in", "&"}
_ADMIN_WORDS = {"municipal", "provincial", "province", "municipality", "autonomous", "region", "city"}


def _alias_names(aliases: IssuerAliases) -> dict[str, list[str]]:
    table = aliases.to_frame()
    return {
        canonical: [name for name in str(names).split("; ") if name]
        for canonical, names in zip(table["canonical"], table["names"], strict=True)
    }


def _acronym(words: list[str]) -> str:
    return "".join(
        word[0].upper() for word in words if word[:1].isalpha() and word.lower() not in _SMALL_WORDS
    )


def _short_issuer(name: str, known: Mapping[str, list[str]], language: str | None) -> str:
    """A short label for an issuing body: an abbreviation from the alias table, or a built one."""
    names = known.get(name, [])
    zh = _zh(language)
    if zh:
        chinese = [n for n in names if _has_cjk(n)]
        if chinese:
            return min(chinese, key=len)
    if _has_cjk(name):
        return name
    capitals = [n for n in names if re.fullmatch(r"[A-Z][A-Z&]{1,7}", n)]
    if capitals:
        return capitals[0]
    if len(name) <= 18:
        return name
    words = name.replace("'s", "").split()
    place = next((w for w in words if w.lower().strip(",") in _REGION_ZH and w.lower() != "china"), None)
    body = next(((en, cn) for pattern, en, cn in _BODY_SHORT if pattern.search(name)), None)
    if place is not None:
        if body is not None:
            return f"{_REGION_ZH[place.lower()]}{body[1]}" if zh else f"{place} {body[0]}"
        rest = [w for w in words if w != place and w.lower() not in _ADMIN_WORDS]
        return f"{place} {_acronym(rest)}"
    return _acronym(words) or name


def _issuer_labels(
    nodes: list[str],
    aliases: IssuerAliases,
    language: str | None,
    labels: Mapping[str, str] | None,
    abbreviate: bool,
) -> dict[str, str]:
    known = _alias_names(aliases)
    result = {}
    for node in nodes:
        if labels is not None and node in labels:
            result[node] = str(labels[node])
        elif abbreviate:
            result[node] = _short_issuer(node, known, language)
        elif _zh(language):
            chinese = [n for n in known.get(node, []) if _has_cjk(n)]
            result[node] = chinese[0] if chinese else node
        else:
            result[node] = node
    # Two bodies abbreviated alike keep their full names.
    counts = pd.Series(list(result.values())).value_counts()
    clashes = set(counts[counts > 1].index)
    return {
        node: (node if label in clashes and (labels is None or node not in labels) else label)
        for node, label in result.items()
    }


def _packed_layout(graph: Any, seed: int) -> dict[str, np.ndarray]:
    """Lay out each connected component on its own and pack the components in rows, largest first.

    Small components (up to six bodies) sit on a circle, larger ones come from a
    spring layout scaled so that neighbouring bodies are about 1.6 units apart;
    every component gets room for the labels above its nodes.
    """
    import networkx as nx

    components = sorted(
        (sorted(component) for component in nx.connected_components(graph)),
        key=lambda nodes: (-len(nodes), nodes[0]),
    )
    boxes = []
    for nodes in components:
        n = len(nodes)
        if n == 1:
            coords = np.zeros((1, 2))
        elif n == 2:
            # One above the other: labels sit above their nodes and never collide.
            coords = np.array([[0.0, 0.6], [0.0, -0.6]])
        elif n <= 6:
            radius = 1.25 / math.sin(math.pi / n)
            angles = math.pi / 2 - 2 * math.pi * np.arange(n) / n
            coords = radius * np.column_stack([np.cos(angles), np.sin(angles)])
        else:
            raw = nx.spring_layout(
                graph.subgraph(nodes), seed=seed, weight="weight", k=1.6 / math.sqrt(n), iterations=200
            )
            coords = np.array([raw[node] for node in nodes])
            distances = np.linalg.norm(coords[:, None, :] - coords[None, :, :], axis=2)
            np.fill_diagonal(distances, np.inf)
            nearest = float(np.median(distances.min(axis=1)))
            coords *= 1.6 / nearest if nearest > 0 else 1.0
        coords = coords - (coords.max(axis=0) + coords.min(axis=0)) / 2
        span = np.ptp(coords, axis=0)
        boxes.append((dict(zip(nodes, coords, strict=True)), float(span[0]) + 2.6, float(span[1]) + 1.3))
    if not boxes:
        return {}
    # Rows about 1.6 times as wide as the packing is high, with room for the second
    # component beside the first.
    area = sum(width * height for _, width, height in boxes)
    width_limit = max(sum(width for _, width, _ in boxes[:2]), math.sqrt(area * 1.6))
    positions: dict[str, np.ndarray] = {}
    x = y = 0.0
    row_height = 0.0
    for local, width, height in boxes:
        if x > 0 and x + width > width_limit + 1e-9:
            x = 0.0
            y -= row_height
            row_height = 0.0
        centre = np.array([x + width / 2, y - height / 2])
        for node, position in local.items():
            positions[node] = centre + position
        x += width
        row_height = max(row_height, height)
    return positions


@renamed_arguments(level="admin_level", network_or_corpus="corpus")
def issuer_network_plot(
    corpus: IssuerNetwork | Corpus,
    admin_level: str | None = None,
    *,
    aliases: IssuerAliases | Mapping[str, Iterable[str]] | None = None,
    labels: Mapping[str, str] | None = None,
    abbreviate: bool = True,
    seed: int = 7,
    ax: Axes | None = None,
    language: str | None = None,
    font: str | None = None,
    title: str | None = None,
) -> Figure:
    """The co-issuance network of issuing bodies (the study's Figure 2).

    Node area grows with the number of documents a body issued, edge width with
    the number of documents two bodies issued together.

    Parameters
    ----------
    corpus : IssuerNetwork or Corpus
        An :func:`~policyquant.issuer_network` result, or a corpus (then its
        network, built with ``admin_level`` and ``aliases``).
        ``network_or_corpus=`` is its deprecated alias.
    admin_level : {"national", "provincial"}, optional
        With a corpus: only documents of this administrative level.
        ``level=`` is its deprecated alias.
    aliases : IssuerAliases or mapping, optional
        With a corpus: how to merge spellings of one body (as in
        :func:`~policyquant.issuer_network`).  The table also supplies the short
        labels.
    labels : mapping of str to str, optional
        Labels for some bodies by canonical name, overriding the short forms.
    abbreviate : bool, default True
        Label bodies by their abbreviations (``CAC``, ``MIIT``; in Chinese
        ``国家网信办``, ``工信部``) from the alias table, or by a short form
        (``Shanghai S&T``); with False, by their full names.
    seed : int, default 7
        Seed of the spring layout: the same seed gives the same picture.
    ax, language, font, title
        As in :func:`crosstab_heatmap`.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValidationError
        If the corpus has no issuers or ``admin_level`` is unknown, or ``admin_level`` or
        ``aliases`` are given with a ready-made network.

    Notes
    -----
    Every connected group of bodies is laid out on its own (spring layout) and
    the groups are packed in rows, the largest first, so that bodies that never
    co-issue do not crowd the centre.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import policyquant as pq
    >>> from policyquant import plotting
    >>> corpus = pq.datasets.load_genai_china()
    >>> fig = plotting.issuer_network_plot(corpus, admin_level="national")
    >>> labels = {t.get_text() for t in fig.axes[0].texts}
    >>> {"CAC", "MIIT", "State Council"} <= labels
    True
    >>> plt.close(fig)
    >>> fig = plotting.issuer_network_plot(corpus, admin_level="national", language="zh")
    >>> {"国家网信办", "工信部"} <= {t.get_text() for t in fig.axes[0].texts}
    True
    >>> plt.close(fig)
    """
    language = _check_language(language)
    if isinstance(corpus, IssuerNetwork):
        if admin_level is not None or aliases is not None:
            raise ValidationError(
                "admin_level and aliases apply only when a corpus is given; build the network with "
                "pq.issuer_network(corpus, admin_level=..., aliases=...) or pass the corpus"
            )
        network = corpus
        table = DEFAULT_ISSUER_ALIASES
    elif isinstance(corpus, Corpus):
        network = issuer_network(corpus, admin_level=admin_level, aliases=aliases)
        table = IssuerAliases.resolve(aliases)
    else:
        raise ValidationError(
            f"issuer_network_plot needs a policyquant IssuerNetwork or Corpus, got {type(corpus).__name__}"
        )
    graph = network.graph
    nodes = list(graph.nodes)
    node_labels = _issuer_labels(nodes, table, language, labels, abbreviate)
    if title is None:
        title = (
            _ui("network_title_level", language).format(_ui(admin_level, language))
            if admin_level in ("national", "provincial", "municipal", "county")
            else _ui("network_title", language)
        )
    texts = [*node_labels.values(), title]
    with _drawing(language, font, texts) as touched:
        positions = _packed_layout(graph, seed)
        coords = np.array([positions[node] for node in nodes]) if nodes else np.zeros((0, 2))
        span = np.ptp(coords, axis=0) + 1.6 if nodes else np.array([2.0, 2.0])
        inches = min(0.62, 12.0 / span[0], 10.0 / span[1])
        fig, ax = _axes(ax, (max(5.0, span[0] * inches + 0.6), max(3.5, span[1] * inches + 1.0)))
        touched.append(ax)
        ax.set_axis_off()
        if not nodes:
            ax.text(0.5, 0.5, _ui("no_issuers", language), ha="center", va="center", transform=ax.transAxes)
            _title(ax, title, "")
            return fig
        documents = np.array([graph.nodes[node].get("documents", 1) for node in nodes], dtype=np.float64)
        sizes = 60 + 600 * documents / documents.max()
        edges = list(graph.edges(data="weight", default=1))
        if edges:
            from matplotlib.collections import LineCollection

            weights = np.array([w for _, _, w in edges], dtype=np.float64)
            segments = [(positions[a], positions[b]) for a, b, _ in edges]
            order = np.argsort(weights, kind="stable")
            # 0 for a single joint document, 1 for the most.
            strength = (weights - 1) / max(weights.max() - 1, 1)
            ax.add_collection(
                LineCollection(
                    [segments[i] for i in order],
                    linewidths=0.8 + 4.0 * strength[order],
                    colors=[(0.35, 0.45, 0.6, 0.3 + 0.5 * w) for w in strength[order]],
                    zorder=1,
                )
            )
        ax.scatter(
            coords[:, 0],
            coords[:, 1],
            s=sizes,
            c=PALETTE[0],
            edgecolors="white",
            linewidths=1.0,
            alpha=0.9,
            zorder=2,
        )
        from matplotlib import patheffects

        halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
        fontsize = 8 if len(nodes) <= 25 else 7
        for node, (x, y), size in zip(nodes, coords, sizes, strict=True):
            offset = math.sqrt(size) / 2 + 2
            ax.annotate(
                node_labels[node],
                (x, y),
                xytext=(0, offset),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=fontsize,
                path_effects=halo,
                zorder=3,
            )
        ax.set_xlim(coords[:, 0].min() - 0.8, coords[:, 0].max() + 0.8)
        ax.set_ylim(coords[:, 1].min() - 0.5, coords[:, 1].max() + 1.1)
        ax.set_aspect("equal", adjustable="box")
        _title(ax, title, "")
    return fig


# -- Authority by region ---------------------------------------------------------------


@renamed_arguments(level="admin_level", result_or_corpus="corpus")
def authority_plot(
    corpus: CrosstabResult | Corpus,
    admin_level: str | None = "provincial",
    *,
    values: str = "counts",
    by: str = "region",
    dimension: str | None = None,
    annotate: bool = True,
    ax: Axes | None = None,
    language: str | None = None,
    font: str | None = None,
    title: str | None = None,
) -> Figure:
    """Documents per region by level of authority: stacked horizontal bars (the study's Figure 3).

    Parameters
    ----------
    corpus : CrosstabResult or Corpus
        An :func:`~policyquant.authority_distribution` result, or a corpus (then
        its distribution, with ``admin_level``, ``by`` and ``dimension``).
        ``result_or_corpus=`` is its deprecated alias.
    admin_level : {"provincial", "national"} or None, default "provincial"
        With a corpus: only documents of this administrative level; None for all.
        ``level=`` is its deprecated alias.
    values : {"counts", "shares"}, default "counts"
        Documents, or each region's percentages (every bar reaches 100).
    by : str, default "region"
        With a corpus: the document field on the bars.
    dimension : str, optional
        With a corpus: the document-level dimension (``"DA"`` by default).
    annotate : bool, default True
        Write the value of every segment wide enough to hold it.
    ax, language, font, title
        As in :func:`crosstab_heatmap`.

    Returns
    -------
    matplotlib.figure.Figure
        Regions with the most documents on top; one colour per level of the
        dimension (the most authoritative darkest), levels without documents
        left out.

    Raises
    ------
    ValidationError
        For an unknown ``values`` or ``admin_level``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import policyquant as pq
    >>> from policyquant import plotting
    >>> corpus = pq.datasets.load_genai_china()
    >>> fig = plotting.authority_plot(corpus)
    >>> ax = fig.axes[0]
    >>> ax.get_yticklabels()[0].get_text(), ax.get_legend().get_title().get_text()
    ('Beijing', 'Authority strength')
    >>> plt.close(fig)
    """
    language = _check_language(language)
    if isinstance(corpus, Corpus):
        result = authority_distribution(corpus, by=by, dimension=dimension, admin_level=admin_level)
    elif isinstance(corpus, CrosstabResult):
        result = corpus
    else:
        raise ValidationError(
            f"authority_plot needs a policyquant Corpus or CrosstabResult, got {type(corpus).__name__}"
        )
    _check_choice("values", values, ("counts", "shares"))
    framework = result.corpus.framework
    counts = result.counts
    keep_rows = counts.sum(axis=1) > 0
    keep_columns = counts.sum(axis=0) > 0
    table = (result.counts if values == "counts" else result.row_shares).loc[keep_rows, keep_columns]
    totals = counts.loc[keep_rows].sum(axis=1)
    order = sorted(range(len(table)), key=lambda i: (-totals.iloc[i], str(table.index[i])))
    table = table.iloc[order]
    row_labels = [_category_label(framework, result.rows, key, language) for key in table.index]
    dimension_object = _dimension(framework, result.columns)
    level_labels = []
    for key in table.columns:
        label = _category_label(framework, result.columns, key, language)
        level_labels.append(f"{key} {label}" if dimension_object is not None and label != str(key) else label)
    row_title = _field_title(framework, result.rows, language)
    column_title = _field_title(framework, result.columns, language)
    value_label = (
        _ui(result.count, language)
        if values == "counts"
        else (_ui("region_share", language) if result.rows == "region" else _ui("row_share", language))
    )
    default_title = _ui("authority_title", language).format(
        row_title if _zh(language) else row_title.lower(),
        column_title if _zh(language) else column_title.lower(),
    )
    texts = [*row_labels, *level_labels, row_title, column_title, value_label]
    n = len(table)
    with _drawing(language, font, texts) as touched:
        fig, ax = _axes(ax, (8.4, 1.5 + 0.34 * max(n, 3)))
        touched.append(ax)
        colormap = _colormap("YlGnBu")
        if dimension_object is not None:
            scores = [float(s) for s in dimension_object.scores]
            low, high = min(scores), max(scores)
            shades = [
                0.25 + 0.7 * ((float(k) - low) / (high - low) if high > low else 1.0) for k in table.columns
            ]
        else:
            shades = list(np.linspace(0.9, 0.3, max(len(table.columns), 1)))
        data = table.to_numpy(dtype=np.float64)
        positions = np.arange(n)
        left = np.zeros(n)
        reach = data.sum(axis=1).max() if data.size else 1.0
        for j, (label, shade) in enumerate(zip(level_labels, shades, strict=True)):
            color = colormap(shade)
            bars = ax.barh(
                positions,
                data[:, j],
                0.7,
                left=left,
                color=color,
                label=label,
                edgecolor="white",
                linewidth=0.8,
            )
            if annotate:
                for bar, value in zip(bars, data[:, j], strict=True):
                    if value > 0 and value >= 0.06 * reach:
                        ax.text(
                            bar.get_x() + value / 2,
                            bar.get_y() + bar.get_height() / 2,
                            _format_value(value, values == "shares"),
                            ha="center",
                            va="center",
                            fontsize="small",
                            color="white" if shade > 0.55 else "black",
                        )
            left += data[:, j]
        ax.set_yticks(positions, labels=row_labels)
        ax.invert_yaxis()
        ax.set_xlabel(value_label)
        ax.set_ylabel(row_title)
        if values == "shares":
            ax.set_xlim(0, 100)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(
            title=column_title,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
            fontsize="small",
            title_fontsize="medium",
        )
        _title(ax, title, default_title)
    return fig


# -- Trends ----------------------------------------------------------------------------

TREND_MEASURES = ("documents", "units", "codings", "efficacy_total", "efficacy_mean")


@renamed_arguments(split="by", corpus_or_frame="corpus")
def trend_plot(
    corpus: Corpus | pd.DataFrame,
    measure: str = "documents",
    by: str | None = None,
    cumulative: bool = False,
    *,
    periods: Mapping[str, tuple[int, int]] | Sequence[int] | None = None,
    kind: str = "line",
    framework: Framework | None = None,
    ax: Axes | None = None,
    language: str | None = None,
    font: str | None = None,
    title: str | None = None,
) -> Figure:
    """Policy supply over the years: documents, clauses, codings or efficacy, as lines or bars.

    Parameters
    ----------
    corpus : Corpus, TrendsResult or pandas.DataFrame
        A corpus, or a :func:`~policyquant.trends` result or table (indexed by
        year or period, and by the ``by`` category for a grouped table).
        ``corpus_or_frame=`` is its deprecated alias.
    measure : {"documents", "units", "codings", "efficacy_total", "efficacy_mean"}
        What to draw; default ``"documents"``.
    by : str, optional
        One line (or bar segment) per category of this field (``"family"``,
        ``"objective"``, ``"level"``, ...).  A grouped table's second index
        level is used without asking.  ``split=`` is a deprecated alias of
        ``by=``.
    cumulative : bool, default False
        Running totals (with a corpus, as :func:`~policyquant.trends` computes
        them; with a table of flows, summed here).
    periods : mapping or sequence of int, optional
        With a corpus: periods instead of years (see :func:`~policyquant.trends`).
    kind : {"line", "bar"}, default "line"
        Lines with markers, or bars (stacked when split).
    framework : Framework, optional
        With a table: the framework that labels the split categories.
    ax, language, font, title
        As in :func:`crosstab_heatmap`.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValidationError
        For an unknown ``measure`` or ``kind``, stacked bars of means, or a
        table that does not fit ``split``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import policyquant as pq
    >>> from policyquant import plotting
    >>> corpus = pq.datasets.load_genai_china()
    >>> fig = plotting.trend_plot(corpus, by="family")
    >>> ax = fig.axes[0]
    >>> len(ax.get_lines()), ax.get_xticklabels()[0].get_text()
    (3, '2017')
    >>> plt.close(fig)
    >>> fig = plotting.trend_plot(corpus, cumulative=True, kind="bar", language="zh")
    >>> fig.axes[0].get_ylabel()
    '累计文件数'
    >>> plt.close(fig)
    """
    language = _check_language(language)
    _check_choice("measure", measure, TREND_MEASURES)
    _check_choice("kind", kind, ("line", "bar"))
    split = by
    if isinstance(corpus, TrendsResult):
        framework = framework or corpus.corpus.framework
        corpus = corpus.to_frame()
    if isinstance(corpus, Corpus):
        frame = trends(corpus, periods=periods, by=split, cumulative=cumulative).to_frame()
        framework = corpus.framework
    elif isinstance(corpus, pd.DataFrame):
        if periods is not None:
            raise ValidationError(
                "periods apply only when a corpus is given; the table already has its periods"
            )
        frame = corpus
        if isinstance(frame.index, pd.MultiIndex):
            if frame.index.nlevels != 2:
                raise ValidationError(
                    f"a trends table has one index level (years) or two (years and a split), got {frame.index.nlevels}"
                )
            table_split = frame.index.names[1] or "split"
            if split is not None and split != table_split:
                raise ValidationError(f"the table is split by {table_split!r}, not by {split!r}")
            split = table_split
        elif split is not None:
            raise ValidationError(
                f"the table is not grouped (one index level); compute it with pq.trends(corpus, by={split!r})"
            )
        if measure not in frame.columns:
            raise ValidationError(
                f"the table has no {measure!r} column; its columns are {', '.join(map(str, frame.columns))}"
            )
        if cumulative:
            frame = _cumulate(frame, split is not None)
    else:
        raise ValidationError(
            f"trend_plot needs a policyquant Corpus or a trends DataFrame, got {type(corpus).__name__}"
        )
    if measure not in frame.columns:
        raise ValidationError(f"the corpus has no {measure!r} to draw: its framework has no efficacy scale")
    if kind == "bar" and split is not None and measure == "efficacy_mean":
        raise ValidationError("mean efficacies cannot be stacked: use kind='line' with split")
    if split is not None:
        # unstack sorts the categories; keep the table's (the framework's) order.
        wide = frame[measure].unstack(split)  # noqa: PD010 - a reshape, nothing to aggregate
        wide = wide[list(pd.unique(frame.index.get_level_values(split)))]
    else:
        wide = frame[[measure]]
    periods_index = wide.index
    x_labels = [_category_label(framework or _NO_FRAMEWORK, "year", key, language) for key in periods_index]
    x_field = periods_index.name or "year"
    x_title = _field_title(
        framework or _NO_FRAMEWORK, x_field if x_field in ("year", "period") else "year", language
    )
    series_labels = (
        [_category_label(framework or _NO_FRAMEWORK, split, key, language) for key in wide.columns]
        if split is not None
        else []
    )
    measure_label = _ui(measure, language)
    value_label = _ui("cumulative", language).format(measure_label) if cumulative else measure_label
    default_title = (
        value_label
        if _zh(language)
        else (
            value_label if cumulative else _ui("per_period", language).format(measure_label, x_title.lower())
        )
    )
    if split is not None:
        split_title = _field_title(framework or _NO_FRAMEWORK, split, language)
        default_title = (
            f"{value_label}（按{split_title}）"
            if _zh(language)
            else f"{value_label}, by {split_title.lower()}"
        )
    colors: dict[object, str] = {}
    if split == "family" and framework is not None:
        colors = dict(_family_colors(framework))
    texts = [*x_labels, *series_labels, x_title, value_label]
    n = len(periods_index)
    with _drawing(language, font, texts) as touched:
        fig, ax = _axes(ax, (max(6.0, 0.55 * n + 3.0), 4.2))
        touched.append(ax)
        positions = np.arange(n)
        data = wide.to_numpy(dtype=np.float64)
        names = series_labels or [value_label]
        if kind == "line":
            for j, label in enumerate(names):
                color = colors.get(wide.columns[j], PALETTE[j % len(PALETTE)])
                ax.plot(
                    positions, data[:, j], marker="o", markersize=4, linewidth=1.8, color=color, label=label
                )
        else:
            bottom = np.zeros(n)
            width = 0.7
            for j, label in enumerate(names):
                color = colors.get(wide.columns[j], PALETTE[j % len(PALETTE)])
                values = np.nan_to_num(data[:, j])
                ax.bar(
                    positions,
                    values,
                    width,
                    bottom=bottom,
                    color=color,
                    label=label,
                    edgecolor="white",
                    linewidth=0.6,
                )
                bottom += values
        step = max(1, math.ceil(n / 15))
        ax.set_xticks(positions[::step], labels=x_labels[::step])
        ax.set_xlabel(x_title)
        ax.set_ylabel(value_label)
        if measure != "efficacy_mean":
            ax.set_ylim(bottom=0)
            ax.yaxis.get_major_locator().set_params(integer=True)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color="0.9", linewidth=0.8)
        ax.set_axisbelow(True)
        if split is not None:
            ax.legend(
                title=_field_title(framework or _NO_FRAMEWORK, split, language),
                frameon=False,
                loc="best",
            )
        _title(ax, title, default_title)
    return fig


#: Labels of fields when no framework is known (a bare trends table).
_NO_FRAMEWORK = Framework("none", "No framework")


def _cumulate(frame: pd.DataFrame, split: bool) -> pd.DataFrame:
    counts = [c for c in ("documents", "units", "codings", "efficacy_total") if c in frame.columns]
    result = frame.copy()
    grouped = frame[counts].groupby(level=1, sort=False) if split else frame[counts]
    result[counts] = grouped.cumsum()
    if "efficacy_mean" in frame.columns:
        if not {"efficacy_total", "units"} <= set(frame.columns):
            raise ValidationError("cumulative mean efficacy needs the efficacy_total and units columns")
        with np.errstate(invalid="ignore", divide="ignore"):
            result["efficacy_mean"] = result["efficacy_total"] / result["units"].where(result["units"] > 0)
    return result


# -- Portfolio tiles -------------------------------------------------------------------


def _presence(values: pd.Series, column: str) -> np.ndarray:
    def one(value: object) -> bool | None:
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        if isinstance(value, (int, float, np.integer, np.floating)) and value in (0, 1):
            return bool(value)
        return None

    cells = [one(value) for value in values.astype(object)]
    bad = [
        (label, value) for label, value, cell in zip(values.index, values, cells, strict=True) if cell is None
    ]
    if bad:
        raise ValidationError(
            f"{len(bad)} value(s) of {column!r} are not 0 or 1 (or True / False)",
            [
                {
                    "row": label,
                    "column": column,
                    "value": None if pd.isna(value) else value,
                    "problem": "not a presence value",
                    "expected": "0 or 1",
                }
                for label, value in bad[:20]
            ],
        )
    return np.array(cells, dtype=bool)


def _ordered(values: pd.Series, framework: Framework | None, part: str) -> list[object]:
    if isinstance(values.dtype, pd.CategoricalDtype):
        return list(values.cat.categories)
    distinct = list(pd.unique(values))
    if framework is not None and getattr(framework, f"{part}s"):
        keys = getattr(framework, f"{part}_keys")
        try:
            resolved = {value: framework.resolve(part, value) for value in distinct}  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - values the framework does not know: sorted as they are
            resolved = None
        if resolved is not None:
            return sorted(distinct, key=lambda value: keys.index(resolved[value]))
    return sorted(distinct, key=str)


@renamed_arguments(frame="corpus")
def portfolio_tiles(
    corpus: pd.DataFrame | Corpus,
    instrument: str = "Instrument",
    target: str = "Target",
    covered: str = "covered",
    *,
    framework: Framework | None = None,
    spacing: bool = True,
    subtitle: bool = True,
    ax: Axes | None = None,
    language: str | None = None,
    font: str | None = None,
    title: str | None = None,
) -> Figure:
    """The tile plot of one policy portfolio: instruments x targets, covered cells filled.

    Like ``pp_plot()`` of the R package PolicyPortfolios: a grid with one row
    per instrument and one column per target, dark where the portfolio covers
    the pair, with the portfolio's size and coverage as a subtitle.

    Parameters
    ----------
    corpus : pandas.DataFrame or Corpus
        A tidy presence table of one portfolio: one row per instrument and
        target, ``covered`` 1 (or True) where policy addresses the pair.  Other
        columns must not vary (select one portfolio first).  Or a corpus, whose
        instrument x objective pairs with at least one coding are covered.
        ``frame=`` is its deprecated alias.
    instrument, target, covered : str
        Column names; PolicyPortfolios' by default.
    framework : Framework, optional
        Order and label instruments and targets by this framework when its
        names resolve them (keys, labels or aliases); a corpus brings its own.
    spacing : bool, default True
        White gaps between tiles.
    subtitle : bool, default True
        Show the space (cells), size (share covered), and the instruments and
        targets in use.
    ax, language, font, title
        As in :func:`crosstab_heatmap`.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValidationError
        For missing columns, values other than 0/1, or a table holding several
        portfolios or contradicting itself.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> from policyquant import plotting
    >>> tidy = pd.DataFrame({
    ...     "Instrument": ["Tax", "Tax", "Ban", "Ban"],
    ...     "Target": ["Air", "Water", "Air", "Water"],
    ...     "covered": [1, 0, 1, 1],
    ... })
    >>> fig = plotting.portfolio_tiles(tidy)
    >>> ax = fig.axes[0]
    >>> [t.get_text() for t in ax.get_yticklabels()], [t.get_text() for t in ax.texts]
    (['Ban', 'Tax'], ['Space: 4; Size: 0.75; Instruments: 2 (100%); Targets: 2 (100%)'])
    >>> plt.close(fig)
    """
    language = _check_language(language)
    frame = corpus  # a tidy frame once a corpus is tabulated
    if isinstance(frame, Corpus):
        framework = frame.framework
        counts = crosstab(frame).counts
        frame = pd.DataFrame(
            {
                instrument: np.repeat(counts.index.to_numpy(dtype=object), counts.shape[1]),
                target: np.tile(counts.columns.to_numpy(dtype=object), counts.shape[0]),
                covered: (counts.to_numpy() > 0).ravel(),
            }
        )
        frame = frame[(frame[instrument] != MISSING) & (frame[target] != MISSING)]
    elif not isinstance(frame, pd.DataFrame):
        raise ValidationError(
            f"portfolio_tiles needs a pandas DataFrame or a Corpus, got {type(frame).__name__}"
        )
    missing = [c for c in (instrument, target, covered) if c not in frame.columns]
    if missing:
        raise ValidationError(
            f"the portfolio table lacks the column(s) {', '.join(map(repr, missing))}; its columns are "
            f"{', '.join(map(repr, map(str, frame.columns)))} (name them with instrument=, target=, covered=)"
        )
    if framework is not None and not isinstance(framework, Framework):
        raise ValidationError(f"framework must be a policyquant Framework, got {type(framework).__name__}")
    if len(frame) == 0:
        raise ValidationError("the portfolio table has no rows")
    others = [c for c in frame.columns if c not in (instrument, target, covered)]
    varying = [c for c in others if frame[c].nunique(dropna=False) > 1]  # noqa: PD101
    if varying:
        raise ValidationError(
            f"the table holds several portfolios: {', '.join(map(repr, map(str, varying)))} vary; "
            f"select one first, e.g. frame[frame[{str(varying[0])!r}] == ...]"
        )
    blank = frame[[instrument, target]].isna().any(axis=1)
    if blank.any():
        raise ValidationError(f"{int(blank.sum())} row(s) have no {instrument} or {target}")
    present = _presence(frame[covered], covered)
    instruments = _ordered(frame[instrument], framework, "instrument")
    targets = _ordered(frame[target], framework, "objective")
    rows = pd.Index(instruments).get_indexer(frame[instrument])
    columns = pd.Index(targets).get_indexer(frame[target])
    cell = rows * len(targets) + columns
    ones = np.bincount(cell[present], minlength=len(instruments) * len(targets))
    total = np.bincount(cell, minlength=len(instruments) * len(targets))
    conflict = (ones > 0) & (ones < total)
    if conflict.any():
        first = int(np.flatnonzero(conflict)[0])
        raise ValidationError(
            f"{int(conflict.sum())} cell(s) are given both as covered and as not covered, e.g. "
            f"{instruments[first // len(targets)]!r} x {targets[first % len(targets)]!r}"
        )
    grid = (ones > 0).reshape(len(instruments), len(targets))

    def label(part: str, value: object) -> str:
        if framework is not None:
            try:
                return framework.get(part, value).label_in(language)  # type: ignore[arg-type]
            except Exception:  # noqa: BLE001 - a name the framework does not know keeps its text
                pass
        return str(value)

    row_labels = [label("instrument", value) for value in instruments]
    column_labels = [label("objective", value) for value in targets]
    space = grid.size
    used_i = int(grid.any(axis=1).sum())
    used_t = int(grid.any(axis=0).sum())
    sub = _ui("portfolio_subtitle", language).format(
        space=space,
        size=grid.sum() / space if space else 0.0,
        n_i=used_i,
        p_i=100 * used_i / max(len(instruments), 1),
        n_t=used_t,
        p_t=100 * used_t / max(len(targets), 1),
    )
    axis_i = (
        _field_title(framework, "instrument", language)
        if framework is not None
        else _ui("instrument_axis", language)
    )
    axis_t = (
        _field_title(framework, "objective", language)
        if framework is not None
        else _ui("target_axis", language)
    )
    texts = [*row_labels, *column_labels, sub, axis_i, axis_t]
    wrapped = [_wrap(t, 16) for t in column_labels]
    # Rough widths in inches of the longest line of each label and of the row labels.
    column_inches = max((_text_inches(line) for t in wrapped for line in t.split("\n")), default=0.5)
    row_inches = max((_text_inches(t) for t in row_labels), default=0.5)
    turn = column_inches > 1.3
    column_width = 0.55 if turn else max(0.5, column_inches + 0.15)
    with _drawing(language, font, texts) as touched:
        lines = max((t.count("\n") + 1 for t in wrapped), default=1)
        fig, ax = _axes(
            ax,
            (
                max(4.5, row_inches + 0.9 + column_width * len(targets)),
                1.7 + 0.3 * len(instruments) + (column_inches * 0.7 if turn else 0.17 * lines),
            ),
        )
        touched.append(ax)
        from matplotlib.colors import ListedColormap

        ax.imshow(
            grid.astype(np.float64),
            cmap=ListedColormap(["#ececec", "#1d1d1d"]),
            vmin=0,
            vmax=1,
            aspect="auto",
            interpolation="nearest",
        )
        if turn:
            ax.set_xticks(
                range(len(targets)), labels=column_labels, rotation=45, ha="right", rotation_mode="anchor"
            )
        else:
            ax.set_xticks(range(len(targets)), labels=wrapped)
        ax.set_yticks(range(len(instruments)), labels=row_labels)
        ax.tick_params(length=0)
        if spacing:
            ax.set_xticks(np.arange(-0.5, len(targets)), minor=True)
            ax.set_yticks(np.arange(-0.5, len(instruments)), minor=True)
            ax.grid(which="minor", color="white", linewidth=2)
            ax.tick_params(which="minor", length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_xlabel(axis_t)
        ax.set_ylabel(axis_i)
        heading = _ui("portfolio_title", language) if title is None else title
        if subtitle:
            ax.annotate(
                sub,
                xy=(0.5, 1.0),
                xycoords="axes fraction",
                xytext=(0, 5),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize="small",
                color="0.3",
            )
        if heading:
            ax.set_title(heading, pad=20 if subtitle else 6)
    return fig


def selection_flow(
    selection: Any,
    *,
    ax: Axes | None = None,
    language: str | None = None,
    font: str | None = None,
    title: str | None = None,
) -> Figure:
    """The PRISMA-style flow diagram of a sample selection: boxes with counts, arrows, exclusions with reasons.

    The main column runs from the documents searched through those found by
    the query to those included; beside it, one box holds the documents the
    query did not find and one the documents excluded after it, by step and
    reason (duplicates, period, level, form, the exclusion list), each with
    its count, as the selection table (:meth:`Selection.to_frame
    <policyquant.documents.Selection.to_frame>`) has them.

    Parameters
    ----------
    selection : Selection
        What :func:`policyquant.select` returns.
    ax, language, font, title
        As in :func:`crosstab_heatmap`; ``language="zh"`` words the boxes in
        Chinese (drawn with a CJK font).  ``title=""`` draws no title.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValidationError
        If ``selection`` is not a Selection, or ``language`` is unknown.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> from policyquant import plotting
    >>> from policyquant.documents import select
    >>> documents = pd.DataFrame({"doc_id": ["D1", "D2", "D3"],
    ...                           "text": ["人工智能治理", "区块链服务", "人工智能产业"],
    ...                           "issue_date": ["2023-07-10", "2023-01-01", "2016-05-01"]})
    >>> fig = plotting.selection_flow(select(documents, "人工智能", period=("2017-07", "2025-06")))
    >>> for text in fig.axes[0].texts:
    ...     print(text.get_text().replace("\\n", " "))
    Documents searched (n = 3)
    Found by the query (n = 2)
    Included in the sample (n = 1)
    Not found by the query (n = 1)
    Excluded (n = 1) Period: issued before 2017-07-01 (1)
    >>> plt.close(fig)
    """
    import itertools

    from ._terminal import wrap_text
    from .documents.selection import _WORDS, Selection

    language = _check_language(language)
    if not isinstance(selection, Selection):
        raise ValidationError(
            f"selection_flow needs what policyquant.select returns (a Selection), got {type(selection).__name__}"
        )
    words = _WORDS[_language.interface_language(language)]
    counts = selection.counts()
    lines = selection._lines(language)
    excluded = counts["found"] - counts["included"]

    def wrapped(text: str) -> str:
        # By display width: a Chinese character takes two columns, so mixed lines wrap evenly.
        return "\n".join(wrap_text(text, 60)) or text

    side = words["box_excluded"].format(n=excluded)
    if lines:
        side += "\n" + "\n".join(
            wrapped(words["line"].format(step=step, reason=reason, n=n)) for step, reason, n in lines
        )
    has_query = selection.query is not None
    main = [words["box_searched"].format(n=counts["searched"])]
    if has_query:
        main.append(words["box_found"].format(n=counts["found"]))
    main.append(words["box_included"].format(n=counts["included"]))
    no_match = words["box_no_match"].format(n=counts["searched"] - counts["found"]) if has_query else None
    heading = words["title_flow"] if title is None else title
    texts = [*main, side, no_match or "", heading]
    side_lines = side.count("\n") + 1
    with _drawing(language, font, texts) as touched:
        # The exclusions' box grows with its lines; the figure grows with it so that boxes never meet.
        fig, ax = _axes(ax, (8.5, 1.6 + 0.9 * len(main) + 0.2 * side_lines))
        touched.append(ax)
        ax.set_axis_off()
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        style = {"boxstyle": "round,pad=0.6", "facecolor": "#eef3f8", "edgecolor": PALETTE[0], "linewidth": 1.2}
        side_style = {**style, "facecolor": "#fbf1e9", "edgecolor": PALETTE[1]}
        x_main, x_side = 0.24, 0.55
        ys = np.linspace(0.9, 0.1, len(main))
        boxes = [
            ax.text(x_main, y, label, ha="center", va="center", bbox=style, fontsize=10)
            for y, label in zip(ys, main, strict=True)
        ]
        arrow = {"arrowstyle": "-|>", "color": "0.35", "linewidth": 1.2, "shrinkA": 3, "shrinkB": 3}
        sides = []
        if no_match is not None:
            sides.append((ax.text(x_side, (ys[0] + ys[1]) / 2, no_match, ha="left", va="center", bbox=side_style), 0))
        sides.append(
            (
                ax.text(x_side, (ys[-2] + ys[-1]) / 2, side, ha="left", va="center", bbox=side_style, fontsize=9),
                len(main) - 2,
            )
        )
        for upper, lower in itertools.pairwise(boxes):
            ax.annotate(
                "",
                xy=(0.5, 0.5),
                xycoords=lower,
                xytext=(0.5, 0.5),
                textcoords=upper,
                arrowprops={**arrow, "patchA": upper.get_bbox_patch(), "patchB": lower.get_bbox_patch()},
            )
        for box, above in sides:
            ax.annotate(
                "",
                xy=(0.5, 0.5),
                xycoords=box,
                xytext=(x_main, (ys[above] + ys[above + 1]) / 2),
                textcoords="data",
                arrowprops={**arrow, "shrinkA": 0, "patchB": box.get_bbox_patch()},
            )
        if heading:
            ax.set_title(heading)
    return fig


# -- Co-occurrence network of words ----------------------------------------------------


def cooccurrence_network(
    cooccurrence: Any,
    *,
    min_weight: int = 1,
    seed: int = 7,
    ax: Axes | None = None,
    language: str | None = None,
    font: str | None = None,
    title: str | None = None,
) -> Figure:
    """The co-word network of the most frequent words: :func:`policyquant.text.cooccurrence` drawn.

    Node area grows with the word's frequency, edge width with the number of
    co-occurrences; Chinese words are drawn with a CJK font (a
    :class:`FontWarning` when none is installed).

    Parameters
    ----------
    cooccurrence : policyquant.text.Cooccurrence
        What :func:`policyquant.text.cooccurrence` returns.
    min_weight : int, default 1
        Leave out edges of fewer co-occurrences (the words stay).
    seed : int, default 7
        Seed of the spring layout: the same seed gives the same picture.
    ax, language, font, title
        As in :func:`crosstab_heatmap`; ``title`` ``""`` draws none.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValidationError
        If ``cooccurrence`` is not a co-occurrence result, or ``min_weight`` not a whole number of 1 or more.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from policyquant import plotting
    >>> from policyquant.text import cooccurrence, tokenize
    >>> tokens = tokenize(["算法推荐服务提供者应当保护用户权益", "深度合成服务提供者应当保护个人信息"],
    ...                   user_words=["算法推荐", "深度合成"])
    >>> fig = plotting.cooccurrence_network(cooccurrence(tokens, top=8))
    >>> "服务提供者" in {t.get_text() for t in fig.axes[0].texts}
    True
    >>> plt.close(fig)
    """
    from .text import Cooccurrence

    language = _check_language(language)
    if not isinstance(cooccurrence, Cooccurrence):
        raise ValidationError(
            f"cooccurrence_network needs the result of policyquant.text.cooccurrence(), got {type(cooccurrence).__name__}"
        )
    if isinstance(min_weight, bool) or not isinstance(min_weight, int) or min_weight < 1:
        raise ValidationError(f"min_weight must be a whole number of 1 or more, got {min_weight!r}")
    import networkx as nx

    graph = cooccurrence.graph
    graph.remove_edges_from([(a, b) for a, b, w in graph.edges(data="weight") if w < min_weight])
    nodes = list(graph.nodes)
    if title is None:
        title = "词语共现网络" if _zh(language) else "Word co-occurrence network"
    with _drawing(language, font, [*nodes, title]) as touched:
        fig, ax = _axes(ax, (8.0, 6.5))
        touched.append(ax)
        ax.set_axis_off()
        if not nodes:
            _title(ax, title, "")
            return fig
        positions = nx.spring_layout(graph, seed=seed, weight="weight")
        coords = np.array([positions[node] for node in nodes])
        frequency = np.array([graph.nodes[node].get("frequency", 1) for node in nodes], dtype=np.float64)
        sizes = 80 + 900 * frequency / frequency.max()
        edges = list(graph.edges(data="weight", default=1))
        if edges:
            from matplotlib.collections import LineCollection

            weights = np.array([w for _, _, w in edges], dtype=np.float64)
            strength = weights / weights.max()
            order = np.argsort(weights, kind="stable")
            ax.add_collection(
                LineCollection(
                    [(positions[edges[i][0]], positions[edges[i][1]]) for i in order],
                    linewidths=0.5 + 4.0 * strength[order],
                    colors=[(0.35, 0.45, 0.6, 0.2 + 0.6 * s) for s in strength[order]],
                    zorder=1,
                )
            )
        ax.scatter(coords[:, 0], coords[:, 1], s=sizes, c=PALETTE[1], edgecolors="white", alpha=0.9, zorder=2)
        from matplotlib import patheffects

        halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
        for node, (x, y) in zip(nodes, coords, strict=True):
            ax.annotate(node, (x, y), ha="center", va="center", fontsize=9, path_effects=halo, zorder=3)
        margin = 0.15
        ax.set_xlim(coords[:, 0].min() - margin, coords[:, 0].max() + margin)
        ax.set_ylim(coords[:, 1].min() - margin, coords[:, 1].max() + margin)
        _title(ax, title, "")
    return fig
