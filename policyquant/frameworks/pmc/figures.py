"""The PMC figures: surface plot and radar chart."""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..._text import format_choices
from ...errors import ValidationError
from .index import _RESULT_COLUMNS, GRADE_LABELS, PMCBand, PMCIndex, _policy_labels, _surface_frame, _text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _localized_scores(table: pd.DataFrame, language: str | None) -> pd.DataFrame:
    """A :meth:`PMCIndex.score` table with its result headers and index name in ``language``."""
    if (language or "en") == "en":
        return table
    renamed = table.rename(columns={name: _text(name, language) for name in _RESULT_COLUMNS})
    renamed.index.name = _text("policy", language)
    return renamed


# --------------------------------------------------------------------------
# Figures.


_RESULT_VARIABLE = re.compile(r"^X\d+$")


def _translate_grade(grade: Any, language: str | None) -> Any:
    """A published grade in ``language`` (English <-> Chinese); other grades unchanged."""
    if not isinstance(grade, str):
        return grade
    english = {chinese: english for english, chinese in GRADE_LABELS.items()}.get(grade, grade)
    if english not in GRADE_LABELS:
        return grade
    return PMCBand(english, 0).label_in(language)


def _policy_table(
    data: Any, index: PMCIndex | None, language: str | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """A :meth:`PMCIndex.score`-like table (with grades where bands exist) and its variable names."""
    if isinstance(data, pd.Series):
        data = data.to_frame().T
    if not isinstance(data, pd.DataFrame):
        raise ValidationError(
            f"expected policies as a pandas DataFrame (or one policy as a Series), got {type(data).__name__}"
        )
    if index is not None and not isinstance(index, PMCIndex):
        raise ValidationError(f"index must be a PMCIndex, got {type(index).__name__}")
    names: list[str] = []
    if "PMC" in data.columns:
        if index is not None:
            names = [name for name in index.variable_names if name in data.columns]
            names = names if len(names) == index.n_variables else []
        else:
            names = sorted(
                (c for c in data.columns if isinstance(c, str) and _RESULT_VARIABLE.match(c)),
                key=lambda c: int(c[1:]),
            )
    if names:
        # A score table: keep its numbers, show its grades in the language asked for.
        table = data.copy()
        pmc = pd.to_numeric(table["PMC"], errors="coerce").to_numpy(dtype=np.float64)
        if index is not None and index.bands is not None:
            table["grade"] = index.bands.grade(pmc, language)
        elif "grade" in table.columns:
            table["grade"] = [_translate_grade(grade, language) for grade in table["grade"].astype(object)]
        return table, names
    if index is None:
        index = PMCIndex.from_columns(data)
    table = index._table(index._means(data), data.index, index.bands, language)
    return table, list(index.variable_names)


def _surface_of(data: Any, index: PMCIndex | None) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame) and data.shape == (3, 3) and "variables" in data.attrs:
        return data
    if isinstance(data, np.ndarray) and data.shape == (3, 3):
        return _surface_frame(data.astype(np.float64))
    if isinstance(data, pd.DataFrame) and len(data) != 1:
        raise ValidationError(
            f"a PMC surface shows one policy; got {len(data)} rows (pick one, e.g. frame.loc['P1'])"
        )
    table, names = _policy_table(data, index)
    if len(names) < 9:
        raise ValidationError(
            f"the PMC surface needs at least nine first-level variables; found {len(names)}"
        )
    values = pd.to_numeric(table.iloc[0][names[:9]], errors="coerce").to_numpy(dtype=np.float64)
    surface = _surface_frame(values.reshape(3, 3))
    surface.attrs["variables"] = [names[i : i + 3] for i in (0, 3, 6)]
    surface.attrs["policy"] = table.index[0]
    return surface


def _bilinear(values: np.ndarray, steps: int) -> np.ndarray:
    """Sample the bilinear surface through a 3 x 3 grid on ``steps`` x ``steps`` points."""
    fine = np.linspace(0, 2, steps)
    rows = np.array([np.interp(fine, [0, 1, 2], values[i]) for i in range(3)])
    return np.array([np.interp(fine, [0, 1, 2], rows[:, j]) for j in range(steps)]).T


def pmc_surface_plot(
    row_or_result: Any,
    *,
    index: PMCIndex | None = None,
    annotate: bool = True,
    cmap: Any = "RdYlGn",
    ax: Axes | None = None,
    language: str | None = None,
    font: str | None = None,
    title: str | None = None,
) -> Figure:
    """Draw a policy's PMC surface: its first nine variables as a 3-D surface over the 3 x 3 matrix.

    Parameters
    ----------
    row_or_result : pandas.Series, one-row DataFrame or 3 x 3 DataFrame
        One policy's sub-variables (``frame.loc["P1"]``), its row of a
        :meth:`PMCIndex.score` table, or a matrix from :meth:`PMCIndex.surface`.
    index : PMCIndex, optional
        The variable system; by default found in the row's names (``X1_1``,
        ...) or taken from the ``X1`` ... ``X9`` of a score table.
    annotate : bool, default True
        Write each variable's name and value at its point.
    cmap : str or Colormap, default "RdYlGn"
        Colours from 0 (bad) to 1 (good).
    ax : mpl_toolkits.mplot3d.axes3d.Axes3D, optional
        A 3-D Axes to draw on; by default a new figure, with a colour bar.
    language : str, optional
        ``"zh"`` for Chinese titles and axis labels.
    font : str, optional
        A font family for every text.
    title : str, optional
        The title; ``""`` for none.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValidationError
        For fewer than nine variables, several policies at once, or an Axes
        that is not 3-D.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> from policyquant.frameworks.pmc import pmc_surface_plot
    >>> policy = pd.Series({f"X{i}_{j}": int(i % 3 != 0 or j == 1) for i in range(1, 11) for j in (1, 2)},
    ...                    name="P1")
    >>> fig = pmc_surface_plot(policy, language="zh")
    >>> fig.axes[0].get_title()
    'P1的PMC曲面图'
    >>> plt.close(fig)
    """
    from ..._language import resolve_language
    from ...plotting import _colormap, _drawing, _pyplot, _root_figure

    language = resolve_language(language)
    surface = _surface_of(row_or_result, index)
    values = surface.to_numpy(dtype=np.float64)
    names = surface.attrs.get("variables") or [[f"X{3 * i + j + 1}" for j in range(3)] for i in range(3)]
    policy = surface.attrs.get("policy")
    if policy is None:
        default_title = _text("surface_title", language)
    else:
        default_title = _text("surface_title_of", language).format(policy)
    labels = (_text("column", language), _text("row", language), _text("score", language))
    texts = [default_title, *(title or "",), *labels, *(str(n) for line in names for n in line)]
    with _drawing(language, font, texts) as touched:
        if ax is None:
            fig = _pyplot().figure(figsize=(6.6, 5.6), layout="constrained")
            ax = fig.add_subplot(projection="3d")
            own = True
        else:
            if getattr(ax, "name", None) != "3d":
                raise ValidationError("ax must be a 3-D Axes (projection='3d') for a PMC surface")
            fig = _root_figure(ax)
            own = False
        touched.append(ax)
        colormap = _colormap(cmap)
        steps = 41
        grid = np.linspace(1, 3, steps)
        x, y = np.meshgrid(grid, grid)
        z = _bilinear(values, steps)
        from matplotlib.colors import Normalize

        norm = Normalize(0, 1)
        ax.plot_surface(
            x,
            y,
            z,
            facecolors=colormap(norm(z)),
            rstride=1,
            cstride=1,
            linewidth=0,
            antialiased=True,
            shade=False,
            alpha=0.92,
        )
        nodes_x, nodes_y = np.meshgrid([1, 2, 3], [1, 2, 3])
        ax.plot_wireframe(nodes_x, nodes_y, values, color="0.25", linewidth=0.8)
        ax.scatter(nodes_x.ravel(), nodes_y.ravel(), values.ravel(), color="0.15", s=12, depthshade=False)
        if annotate:
            for i in range(3):
                for j in range(3):
                    ax.text(
                        j + 1,
                        i + 1,
                        values[i, j] + 0.07,
                        f"{names[i][j]}\n{values[i, j]:.2f}",
                        ha="center",
                        va="bottom",
                        fontsize="small",
                        zorder=10,
                    )
        ax.set_xticks([1, 2, 3])
        ax.set_yticks([1, 2, 3])
        ax.set_zlim(0, 1.15 if annotate else 1)
        ax.set_zticks([0, 0.25, 0.5, 0.75, 1])
        ax.set_xlabel(labels[0])
        ax.set_ylabel(labels[1])
        ax.set_zlabel(labels[2])
        ax.invert_yaxis()
        ax.view_init(elev=30, azim=-68)
        if own:
            from matplotlib.cm import ScalarMappable

            mappable = ScalarMappable(norm=norm, cmap=colormap)
            fig.colorbar(mappable, ax=ax, shrink=0.6, pad=0.08, label=labels[2])
        text = default_title if title is None else title
        if text:
            ax.set_title(text)
    return fig


def pmc_radar(
    frame: Any,
    *,
    index: PMCIndex | None = None,
    policies: Sequence[Hashable] | None = None,
    labels: Mapping[str, str] | None = None,
    ax: Axes | None = None,
    language: str | None = None,
    font: str | None = None,
    title: str | None = None,
    policy_labels: Mapping[Hashable, str] | None = None,
) -> Figure:
    """Draw the first-level variables of one or several policies as a radar chart.

    Parameters
    ----------
    frame : pandas.DataFrame or pandas.Series
        Policies' sub-variables (one row each), or a :meth:`PMCIndex.score`
        table; a Series is one policy.
    index : PMCIndex, optional
        The variable system; by default found in the column names.
    policies : sequence, optional
        Which policies (index labels) to draw, in this order; default all.
    labels : mapping of str to str, optional
        Display names of the variables, e.g. ``{"X1": "政策性质"}``; others
        keep their names.
    ax : matplotlib Axes, optional
        A polar Axes to draw on; by default a new figure.
    language : str, optional
        ``"zh"`` for the Chinese title, legend and grades.
    font : str, optional
        A font family for every text.
    title : str, optional
        The title; ``""`` for none.
    policy_labels : mapping, optional
        Display names of policies by id, for the legend (as ``labels=`` of
        :meth:`PMCIndex.compare`); others keep their ids.

    Returns
    -------
    matplotlib.figure.Figure
        One closed, lightly filled polygon per policy on axes from 0 to 1; the
        legend gives each policy's PMC and, where the index has bands, grade.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> from policyquant.frameworks.pmc import pmc_radar
    >>> frame = pd.DataFrame({"X1_1": [1, 0], "X1_2": [1, 1], "X2_1": [0, 1], "X3_1": [1, 1]},
    ...                      index=["P1", "P2"])
    >>> fig = pmc_radar(frame, labels={"X1": "Nature"})
    >>> ax = fig.axes[0]
    >>> [t.get_text() for t in ax.get_xticklabels()], [t.get_text() for t in ax.get_legend().get_texts()]
    (['Nature', 'X2', 'X3'], ['P1 (PMC = 2.00)', 'P2 (PMC = 2.50)'])
    >>> plt.close(fig)
    >>> fig = pmc_radar(frame, policy_labels={"P2": "Data Rules"})
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['P1 (PMC = 2.00)', 'Data Rules (PMC = 2.50)']
    >>> plt.close(fig)
    """
    from ..._language import resolve_language
    from ...plotting import PALETTE, _drawing, _pyplot, _root_figure

    language = resolve_language(language)
    table, names = _policy_table(frame, index, language)
    # Checked against every policy of the frame: a name for one not drawn is no mistake.
    display = dict(zip(table.index, _policy_labels(policy_labels, table.index) or table.index, strict=True))
    if policies is not None:
        missing = [p for p in policies if p not in table.index]
        if missing:
            raise ValidationError(
                f"no such polic{'ies' if len(missing) != 1 else 'y'}: {format_choices(map(repr, missing))}; "
                f"policies: {format_choices(map(repr, table.index))}"
            )
        table = table.loc[list(policies)]
    if len(table) == 0:
        raise ValidationError("no policies to draw")
    if len(names) < 3:
        raise ValidationError(f"a radar chart needs at least three first-level variables; found {len(names)}")
    shown = [display[policy] for policy in table.index]
    labels = dict(labels or {})
    axis_labels = [labels.get(name, name) for name in names]
    values = table[names].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float64)
    pmc = pd.to_numeric(table["PMC"], errors="coerce").to_numpy(dtype=np.float64)
    grades = list(table["grade"].astype(object)) if "grade" in table.columns else [None] * len(table)
    legend = []
    for k, policy in enumerate(shown):
        if not isinstance(grades[k], str):
            legend.append(_text("legend_ungraded", language).format(policy=policy, pmc=pmc[k]))
        else:
            legend.append(_text("legend", language).format(policy=policy, pmc=pmc[k], grade=grades[k]))
    default_title = _text("radar_title", language)
    texts = [default_title, *(title or "",), *axis_labels, *legend, _text("policy", language)]
    with _drawing(language, font, texts) as touched:
        if ax is None:
            fig = _pyplot().figure(figsize=(7.4, 5.4), layout="constrained")
            ax = fig.add_subplot(projection="polar")
        else:
            if getattr(ax, "name", None) != "polar":
                raise ValidationError("ax must be a polar Axes (projection='polar') for a radar chart")
            fig = _root_figure(ax)
        touched.append(ax)
        angles = np.linspace(0, 2 * np.pi, len(names), endpoint=False)
        closed = np.append(angles, angles[0])
        ax.set_theta_offset(np.pi / 2)
        ax.set_theta_direction(-1)
        for k, text in enumerate(legend):
            color = PALETTE[k % len(PALETTE)]
            ring = np.append(values[k], values[k][0])
            ax.plot(closed, ring, color=color, linewidth=1.8, label=text)
            ax.fill(closed, ring, color=color, alpha=0.12)
            ax.scatter(angles, values[k], color=color, s=14, zorder=3)
        ax.set_xticks(angles, labels=axis_labels)
        ax.set_ylim(0, 1)
        ax.set_yticks(
            [0.25, 0.5, 0.75, 1.0], labels=["0.25", "0.5", "0.75", "1"], fontsize="small", color="0.4"
        )
        ax.set_rlabel_position(180 / len(names))
        ax.grid(color="0.8", linewidth=0.7)
        ax.legend(
            title=_text("policy", language),
            loc="upper left",
            bbox_to_anchor=(1.08, 1.05),
            frameon=False,
            fontsize="small",
        )
        text = default_title if title is None else title
        if text:
            ax.set_title(text, pad=18)
    return fig
