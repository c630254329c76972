"""One way to write any result for a paper: tables to CSV, XLSX, Markdown, LaTeX, HTML or Word, figures to images.

:func:`export` takes whatever an analysis or a figure function returned and a
file name, and writes the file in the format the suffix names:

``TableResult`` (:func:`~policyquant.crosstab`, :func:`~policyquant.fit`, :func:`~policyquant.issuer_network`, the reliability results ...), ``pandas.DataFrame``, ``pandas.Series``
    ``.csv``, ``.xlsx``, ``.md``, ``.tex`` (booktabs), ``.html``, ``.docx``
    (a Word three-line table; needs ``pip install 'policyquant[docx]'``)
    (:data:`TABLE_FORMATS`); see :meth:`policyquant.results.TableResult.save`.
``matplotlib.figure.Figure`` or ``Axes`` (every function of :mod:`policyquant.plotting`, :func:`~policyquant.frameworks.pmc.pmc_radar` ...)
    ``.png``, ``.svg``, ``.pdf``, ``.eps``, ``.tiff`` (:data:`FIGURE_FORMATS`).

:func:`export_all` writes a paper's tables and figures at once.

Figures are written for print: 300 dpi for raster formats, fonts embedded as
TrueType (Type 42) in PDF so that Chinese text stays text (searchable, and
accepted by journals that reject Type 3 fonts), SVG text kept as ``<text>``
elements, a tight bounding box, and no time stamps in PDF and SVG (the same
figure gives the same file).  Text holding Chinese that was drawn with a font
lacking Chinese glyphs gets the CJK font of :func:`policyquant.plotting.font_context`
as a fallback while the file is written.

Examples
--------
>>> import tempfile, pathlib
>>> import policyquant as pq
>>> from policyquant.export import export
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> table = pq.crosstab(pq.datasets.load_genai_china())
>>> export(table, folder / "table4.xlsx").name
'table4.xlsx'
>>> print(export(table, folder / "table4.tex").read_text(encoding="utf-8").splitlines()[1])
\\toprule
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterable, Mapping
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from ._text import closest, format_choices
from .errors import ValidationError
from .results import _TABLE_FORMATS, FrameResult, TableResult, _resolve_format, _unknown_format, _write_file

__all__ = ["FIGURE_FORMATS", "TABLE_FORMATS", "export", "export_all"]

#: The formats a table exports to (by suffix): CSV, Excel, Markdown, LaTeX, HTML, Word.
TABLE_FORMATS: tuple[str, ...] = tuple(_TABLE_FORMATS)

#: The table formats :func:`export_all` writes by default: those of the core install (Word needs an extra).
_DEFAULT_TABLE_FORMATS: tuple[str, ...] = tuple(name for name in TABLE_FORMATS if name != "docx")

_FIGURE_FORMATS: dict[str, tuple[str, ...]] = {
    "png": ("png",),
    "svg": ("svg",),
    "pdf": ("pdf",),
    "eps": ("eps", "ps"),
    "tiff": ("tiff", "tif"),
}

#: The formats a figure exports to (by suffix): PNG, SVG, PDF, EPS, TIFF.
FIGURE_FORMATS: tuple[str, ...] = tuple(_FIGURE_FORMATS)

#: Options of a figure export and their defaults.
_FIGURE_OPTIONS: dict[str, Any] = {
    "dpi": 300,
    "transparent": False,
    "bbox_inches": "tight",
    "pad_inches": 0.05,
    "facecolor": "auto",
    "font": None,
    "svg_text": "text",
    "metadata": None,
}

#: Characters a name of :func:`export_all` cannot hold: it becomes a file name.
_BAD_NAME = re.compile(r"[/\\:*?\"<>|\x00-\x1f]")


def _is_scalar_mapping(obj: Any) -> bool:
    """A mapping of names to single values, such as :func:`~policyquant.analysis.portfolio_similarity` returns."""
    return (
        isinstance(obj, Mapping)
        and len(obj) > 0
        and all(value is None or isinstance(value, str | numbers.Number) for value in obj.values())
    )


def _kind(obj: Any) -> str | None:
    """``"table"``, ``"figure"`` or None for what ``obj`` is."""
    if isinstance(obj, TableResult | pd.DataFrame | pd.Series) or _is_scalar_mapping(obj):
        return "table"
    if _figure_of(obj) is not None:
        return "figure"
    frame = getattr(obj, "to_frame", None)
    if callable(frame) and not isinstance(obj, type):
        return "table"
    return None


def _figure_of(obj: Any) -> Any:
    """The root matplotlib Figure of a Figure, SubFigure, Axes or array of Axes; None for anything else."""
    module = type(obj).__module__ or ""
    if isinstance(obj, list | tuple) or type(obj).__name__ == "ndarray":
        import numpy as np

        items = list(np.asarray(obj, dtype=object).ravel())
        figures = {id(f): f for f in (_figure_of(item) for item in items)}
        if items and None not in figures.values() and len(figures) == 1:
            return next(iter(figures.values()))
        return None
    if not (module.startswith("matplotlib") or module.startswith("mpl_toolkits")):
        return None
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure, FigureBase

    if isinstance(obj, Figure):
        return obj
    if isinstance(obj, FigureBase | Artist):
        figure = obj.get_figure(root=True) if _takes_root(obj) else obj.figure
        while figure is not None and not isinstance(figure, Figure):
            figure = figure.figure
        return figure
    return None


def _takes_root(obj: Any) -> bool:
    import inspect

    try:
        return "root" in inspect.signature(obj.get_figure).parameters
    except (AttributeError, TypeError, ValueError):
        return False


def _describe(obj: Any) -> str:
    kind = type(obj)
    return f"{kind.__module__}.{kind.__qualname__}" if kind.__module__ != "builtins" else kind.__qualname__


def _as_table(obj: Any, path: Path) -> TableResult:
    if isinstance(obj, TableResult):
        return obj
    if isinstance(obj, pd.Series):
        return FrameResult(obj.to_frame())
    if isinstance(obj, pd.DataFrame):
        return FrameResult(obj)
    if _is_scalar_mapping(obj):
        # object dtype: counts stay integers next to ratios.
        values = pd.Series(dict(obj), name="value", dtype=object).rename_axis("measure")
        return FrameResult(values.to_frame())
    frame = obj.to_frame()
    if not isinstance(frame, pd.DataFrame):
        raise ValidationError(
            f"{path}: cannot export {_describe(obj)}: its to_frame() returned {_describe(frame)}, not a DataFrame"
        )
    return FrameResult(frame, decimals=getattr(obj, "decimals", 2))


def _wrong_kind(obj: Any, path: Path, format: str | None, kind: str | None) -> ValidationError:
    """The error for an object that cannot be written as asked, saying what it can be written as."""
    value = (format if format is not None else path.suffix).lower().lstrip(".")
    if kind == "table":
        problem = f"{value!r} is a figure format; a table exports to {', '.join(TABLE_FORMATS)}"
        expected = ", ".join(TABLE_FORMATS)
        hint = "draw it first (policyquant.plotting) to export a figure"
    elif kind == "figure":
        problem = f"{value!r} is a table format; a figure exports to {', '.join(FIGURE_FORMATS)}"
        expected = ", ".join(FIGURE_FORMATS)
        hint = "export the table the figure was drawn from instead"
    else:
        problem = "not a table or a figure"
        expected = "a TableResult, a pandas DataFrame or Series, or a matplotlib Figure or Axes"
        hint = (
            "write a Corpus with Corpus.to_csv, Corpus.to_excel or policyquant.io.write_coding"
            if type(obj).__name__ == "Corpus"
            else None
        )
    return ValidationError(
        f"{path}: cannot export {_describe(obj)} as {value!r}" + (f" ({hint})" if hint else ""),
        [
            {
                "file": str(path),
                "column": "format" if format is not None else "suffix",
                "value": value,
                "problem": problem,
                "expected": expected,
            }
        ],
    )


def export(obj: Any, path: str | PathLike[str], format: str | None = None, **options: Any) -> Path:
    """Write a table or a figure to a file in the format its suffix names.

    Parameters
    ----------
    obj : TableResult, pandas.DataFrame, pandas.Series, matplotlib Figure or Axes
        What to write.  Any object with a ``to_frame()`` method returning a
        DataFrame is a table too, and so is a mapping of names to single values
        (such as :func:`~policyquant.analysis.portfolio_similarity` returns),
        written as a ``measure``, ``value`` table.  An Axes (or an array of the Axes of one
        figure) writes its whole figure.
    path : str or path-like
        The file; folders on the way are created.  The suffix picks the format:
        one of :data:`TABLE_FORMATS` for a table, :data:`FIGURE_FORMATS` for a
        figure.
    format : str, optional
        Overrides the suffix (``path`` is then written as given).
    **options
        For tables, the options of the writing method (see
        :meth:`~policyquant.results.TableResult.save`): ``decimals``,
        ``caption``, ``label``, ``sheet_name``, ``index``, ``notes`` (Word) ...  For figures:

        ``dpi`` (default 300)
            Resolution of PNG and TIFF (and of images inside PDF, SVG, EPS).
        ``transparent`` (default False), ``facecolor``, ``bbox_inches`` (default ``"tight"``), ``pad_inches``
            As in :meth:`matplotlib.figure.Figure.savefig`.
        ``font``
            The font family for text holding Chinese (CJK) characters; by
            default the one :func:`policyquant.plotting.cjk_font` finds.
        ``svg_text`` (default ``"text"``)
            ``"text"`` keeps SVG text as text (selectable and editable;
            the reader needs the font), ``"path"`` draws glyphs as outlines
            (looks the same everywhere).
        ``metadata``
            A dict of document metadata (PDF, SVG, PNG), as in ``savefig``.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ValidationError
        For an unknown format (with the closest known one), a table asked for a
        figure format or the other way round, an object that is neither, an
        unknown option, or a file that cannot be written (unwritable folder).
        For ``.xlsx``, also for text an Excel cell cannot hold (more than
        32,767 characters, control characters, U+FFFE, U+FFFF), every such
        cell named; nothing is cut and no file is written
        (:meth:`~policyquant.results.TableResult.to_excel`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import matplotlib.pyplot as plt
    >>> import policyquant as pq
    >>> from policyquant import plotting
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> corpus = pq.datasets.load_genai_china()
    >>> summary = pq.efficacy_summary(corpus, by="objective")
    >>> pd.read_csv(export(summary, folder / "summary.csv"), index_col=0)["count"].tolist()
    [124, 365, 193, 226]
    >>> fig = plotting.crosstab_heatmap(corpus, language="zh")
    >>> export(fig, folder / "figure1.pdf", dpi=600).read_bytes()[:5]
    b'%PDF-'
    >>> export(fig, folder / "figure1.csv")
    Traceback (most recent call last):
    ...
    policyquant.errors.ValidationError: ... cannot export matplotlib.figure.Figure as 'csv' ...
    >>> plt.close(fig)
    """
    path = Path(path)
    kind = _kind(obj)
    if kind is None:
        raise _wrong_kind(obj, path, format, None)
    formats = _TABLE_FORMATS if kind == "table" else _FIGURE_FORMATS
    others = _FIGURE_FORMATS if kind == "table" else _TABLE_FORMATS
    name = _resolve_format(path, format, formats)
    if name is None:
        if _resolve_format(path, format, others) is not None:
            raise _wrong_kind(obj, path, format, kind)
        raise _unknown_format(path, format, formats, f"a {kind}")
    if kind == "table":
        return _as_table(obj, path).save(path, format=name, **options)
    return _save_figure(_figure_of(obj), path, name, options)


def _figure_options(options: Mapping[str, Any], path: Path) -> dict[str, Any]:
    unknown = [name for name in options if name not in _FIGURE_OPTIONS]
    if unknown:
        known = list(_FIGURE_OPTIONS)
        raise ValidationError(
            f"{path}: a figure export does not take the option{'s' if len(unknown) > 1 else ''} "
            + ", ".join(repr(u) for u in unknown),
            [
                {
                    "file": str(path),
                    "column": "options",
                    "value": name,
                    "problem": "not an option of a figure export",
                    "expected": ", ".join(known),
                    "suggestions": ", ".join(closest(name, known)) or None,
                }
                for name in unknown
            ],
        )
    settings = {**_FIGURE_OPTIONS, **options}
    dpi = settings["dpi"]
    if isinstance(dpi, bool) or not isinstance(dpi, numbers.Real) or not dpi > 0:
        raise ValidationError(f"{path}: dpi must be a positive number, got {dpi!r}")
    if settings["svg_text"] not in ("text", "path"):
        raise ValidationError(f"{path}: svg_text must be 'text' or 'path', got {settings['svg_text']!r}")
    return settings


def _save_figure(figure: Any, path: Path, format: str, options: Mapping[str, Any]) -> Path:
    import matplotlib
    from matplotlib.text import Text

    from ._language import has_cjk
    from .plotting import font_context

    settings = _figure_options(options, path)
    chinese = [text for text in figure.findobj(Text) if has_cjk(text.get_text())]
    metadata = settings["metadata"]
    if metadata is None:
        # No time stamps: the same figure writes the same file.
        metadata = {"pdf": {"CreationDate": None}, "svg": {"Date": None}}.get(format)
    savefig = {
        "format": format,
        "dpi": settings["dpi"],
        "transparent": settings["transparent"],
        "bbox_inches": settings["bbox_inches"],
        "pad_inches": settings["pad_inches"],
        "facecolor": settings["facecolor"],
        "metadata": metadata,
    }
    if format == "tiff":
        savefig["pil_kwargs"] = {"compression": "tiff_lzw"}
    rc = {
        "pdf.fonttype": 42,
        # Embedding a CJK TrueType font in PostScript takes many seconds; EPS keeps
        # matplotlib's Type 3 glyphs, which show Chinese just as well.
        "ps.fonttype": 3,
        "svg.fonttype": "none" if settings["svg_text"] == "text" else "path",
        # SVG ids are random unless salted: a fixed salt makes the same figure the same file.
        "svg.hashsalt": matplotlib.rcParams["svg.hashsalt"] or "policyquant",
    }
    font = settings["font"]
    with font_context(font, cjk=bool(chinese)) as family, matplotlib.rc_context(rc):
        previous = [(text, text.get_fontfamily()) for text in chinese]
        try:
            if family is not None:
                for text, families in previous:
                    # The chosen font leads when asked for by name; otherwise it is the
                    # fallback for the glyphs the text's own fonts lack.
                    if font is not None:
                        text.set_fontfamily([family[0], *[f for f in families if f != family[0]]])
                    elif family[0] not in families:
                        text.set_fontfamily([*families, family[0]])
            return _write_file(path, lambda target: figure.savefig(target, **savefig))
        finally:
            for text, families in previous:
                text.set_fontfamily(families)


def export_all(
    results: Mapping[str, Any],
    directory: str | PathLike[str],
    formats: Iterable[str] | None = None,
    *,
    table_options: Mapping[str, Any] | None = None,
    figure_options: Mapping[str, Any] | None = None,
) -> dict[str, list[Path]]:
    """Write many tables and figures into one folder, each under its name, in several formats.

    Everything is checked before anything is written: a bad name, an object
    that is neither a table nor a figure, an unknown format, or an object none
    of the requested formats fits are all reported together.

    Parameters
    ----------
    results : mapping of str to table or figure
        File names (without suffix) and what to write under them, e.g.
        ``{"table4": pq.crosstab(corpus), "figure2": fig}``.
    directory : str or path-like
        The folder; created if missing.
    formats : iterable of str, optional
        Formats to write (``"csv"``, ``"xlsx"``, ``"png"``, ``"pdf"`` ...).
        Each table is written in the table formats among them, each figure in
        the figure formats.  By default every table in CSV, XLSX,
        Markdown, LaTeX and HTML (Word, ``"docx"``, when asked for: it
        needs the extra ``docx``) and every figure in PNG, SVG and PDF.
    table_options, figure_options : mapping, optional
        Options passed to every table or figure export (see :func:`export`),
        e.g. ``figure_options={"dpi": 600}``.

    Returns
    -------
    dict of str to list of pathlib.Path
        For each name, the files written, in the order of ``formats``.

    Raises
    ------
    ValidationError
        Listing every problem found (see above), or for a file that cannot be
        written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import matplotlib.pyplot as plt
    >>> import policyquant as pq
    >>> from policyquant import plotting
    >>> corpus = pq.datasets.load_genai_china()
    >>> paper = {"table4": pq.crosstab(corpus), "figure1": plotting.efficacy_bars(corpus)}
    >>> written = export_all(paper, tempfile.mkdtemp(), formats=["xlsx", "tex", "pdf"])
    >>> {name: [p.name for p in paths] for name, paths in written.items()}
    {'table4': ['table4.xlsx', 'table4.tex'], 'figure1': ['figure1.pdf']}
    >>> plt.close("all")
    """
    folder = Path(directory)
    default = {"table": _DEFAULT_TABLE_FORMATS, "figure": ("png", "svg", "pdf")}
    known = {"table": _TABLE_FORMATS, "figure": _FIGURE_FORMATS}
    problems: list[dict[str, Any]] = []
    wanted: list[str] | None = None
    if formats is not None:
        if isinstance(formats, str):
            formats = [formats]
        wanted = []
        aliases = {
            alias.lower(): name
            for table in known.values()
            for name, names in table.items()
            for alias in names
        }
        for value in formats:
            key = str(value).lower().lstrip(".")
            if key in aliases:
                wanted.append(aliases[key])
            else:
                problems.append(
                    {
                        "column": "formats",
                        "value": value,
                        "problem": "unknown format",
                        "expected": ", ".join((*TABLE_FORMATS, *FIGURE_FORMATS)),
                        "suggestions": ", ".join(dict.fromkeys(aliases[s] for s in closest(key, aliases)))
                        or None,
                    }
                )
        wanted = list(dict.fromkeys(wanted))
    plan: list[tuple[str, Any, str, list[str]]] = []
    for name, obj in results.items():
        if not isinstance(name, str) or not name.strip() or _BAD_NAME.search(name) or name.startswith("."):
            problems.append(
                {
                    "row": name,
                    "column": "name",
                    "value": name,
                    "problem": "not usable as a file name",
                    "expected": 'non-empty text without / \\ : * ? " < > | or a leading dot',
                }
            )
            continue
        kind = _kind(obj)
        if kind is None:
            problems.append(
                {
                    "row": name,
                    "value": _describe(obj),
                    "problem": "not a table or a figure",
                    "expected": "a TableResult, a pandas DataFrame or Series, or a matplotlib Figure or Axes",
                }
            )
            continue
        chosen = list(default[kind]) if wanted is None else [f for f in wanted if f in known[kind]]
        if not chosen and wanted is not None:
            problems.append(
                {
                    "row": name,
                    "column": "formats",
                    "value": ", ".join(wanted),
                    "problem": f"a {kind} exports to none of the formats asked for",
                    "expected": format_choices(known[kind]),
                }
            )
            continue
        plan.append((name, obj, kind, chosen))
    if problems:
        raise ValidationError(f"cannot export to {folder}", problems)
    written: dict[str, list[Path]] = {}
    for name, obj, kind, chosen in plan:
        options = dict((table_options if kind == "table" else figure_options) or {})
        written[name] = [export(obj, folder / f"{name}.{fmt}", **options) for fmt in chosen]
    return written
