"""A self-contained HTML report of a coded corpus: every table and figure in one file.

:func:`report` writes one HTML file that holds the corpus overview, the study's
Table 4 with its heatmap, the efficacy summaries, the fit test, the trends, the
issuer network, the authority distribution, the policy-portfolio measures, the
coders' agreement (when their corpora are given), the codebook and the
provenance of the numbers.  Figures are inline SVG and the styles inline CSS:
the file loads nothing from anywhere, needs no JavaScript, and prints to PDF
cleanly.  :func:`render_report` returns the same HTML as a string.

A part that cannot be computed for a corpus (no efficacy scale, no issuers, a
single year, a statistic that fails) is shown as a one-line note that says why;
it never stops the rest of the report.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import os
import platform
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from . import _language
from ._i18n import catalogued, current_language, pgettext
from ._text import format_choices
from .corpus import Corpus
from .errors import PolicyQuantError, ReadError, ValidationError

__all__ = ["LANGUAGES", "SECTIONS", "render_report", "report"]

#: Languages the report's headings, notes and figure labels come in.
LANGUAGES = _language.LANGUAGES

#: Report sections in order: anchor -> heading key.
SECTIONS = (
    "overview",
    "table4",
    "efficacy",
    "fit",
    "trends",
    "network",
    "authority",
    "portfolios",
    "reliability",
    "codebook",
    "provenance",
)

def _report_words() -> dict[str, str]:
    return {
        "default_title": pgettext("report", "Report on a coded policy corpus"),
        "contents": pgettext("report", "Contents"),
        "overview": pgettext("report", "Corpus overview"),
        "table4": pgettext("report", "Policy instruments by policy objective (Table 4)"),
        "efficacy": pgettext("report", "Policy efficacy"),
        "fit": pgettext("report", "Fit of instruments to objectives"),
        "trends": pgettext("report", "Trends over time"),
        "network": pgettext("report", "Issuer network"),
        "authority": pgettext("report", "Authority distribution"),
        "portfolios": pgettext("report", "Policy portfolios"),
        "reliability": pgettext("report", "Coder reliability"),
        "codebook": pgettext("report", "Codebook"),
        "provenance": pgettext("report", "Provenance"),
        "table": pgettext("report", "Table"),
        "figure": pgettext("report", "Figure"),
        "not_computed": pgettext("report", "Not computed: {reason}"),
        "generated": pgettext("report", "Written by policyquant {version} on {when}"),
        "framework": pgettext("report", "Framework"),
        "documents": pgettext("report", "Documents"),
        "units": pgettext("report", "Clauses (coded units)"),
        "codings": pgettext("report", "Codings (clause × objective)"),
        "years": pgettext("report", "Years covered"),
        "no_years": pgettext("report", "no document has a year or date"),
        "years_value": pgettext("report", "{first}–{last} ({n} distinct years)"),
        "issuers": pgettext("report", "Issuing bodies"),
        "no_issuers": pgettext("report", "the documents have no issuers column"),
        "issuers_value": pgettext(
            "report",
            "{n} distinct bodies (after merging aliases) on {documents} documents",
        ),
        "fields": pgettext("report", "Coded fields"),
        "document_fields": pgettext("report", "Document fields"),
        "unit_fields": pgettext("report", "Clause fields"),
        "framework_value": pgettext("report", "{title} ({name})"),
        "parts": pgettext("report", "Framework parts"),
        "parts_value": pgettext(
            "report",
            "{families} families, {instruments} instruments, {objectives} objectives, scale: {scale}",
        ),
        "none": pgettext("report", "none"),
        "by_level": pgettext("report", "Documents by administrative level"),
        "level": pgettext("report", "Level"),
        "table4_caption": pgettext(
            "report",
            "Codings by policy instrument and policy objective: counts (n) and shares of each "
            "objective's codings (%)",
        ),
        "table4_text": pgettext(
            "report",
            "A clause serving several objectives is counted once per objective, so the total is the "
            "number of codings ({total}), not of clauses.",
        ),
        "heatmap_caption": pgettext("report", "Codings by policy instrument and policy objective"),
        "family_bars_caption": pgettext(
            "report",
            "How each objective's codings split over the instrument families",
        ),
        "scale_text": pgettext(
            "report",
            "Efficacy scale {name}: {formula}; scores range from {low} to {high}.",
        ),
        "efficacy_by": pgettext("report", "Efficacy by {field}"),
        "efficacy_caption": pgettext(
            "report",
            "Mean efficacy by {field}, with one standard deviation and the number of clauses (codings, "
            "by objective)",
        ),
        "fit_text": pgettext(
            "report",
            "Chi-square test of independence: χ²({dof}) = {chi2:.2f}, p = {p:.2g}, Cramér's V = "
            "{v:.3f}, n = {n}; {sparse} of {cells} expected counts below 5.",
        ),
        # Not in the catalogue: gettext's checker reads "20% of" as a printf placeholder.
        "fit_sparse": {
            "en": "Cochran's rule fails (over 20% of expected counts below 5, or any below 1): the p-value "
            "is approximate; read the residuals.",
            "zh": "不满足 Cochran 规则（超过 20% 的期望频数小于 5，或有期望频数小于 1）：p 值仅为近似，请参看残差。",
        }[current_language()],
        "fit_dropped": pgettext("report", "Left out for having no counts: {names}."),
        "fit_family": pgettext(
            "report",
            "At the level of instrument families: χ²({dof}) = {chi2:.2f}, p = {p:.2g}, Cramér's V = {v:.3f}.",
        ),
        "residuals_caption": pgettext(
            "report",
            "Adjusted standardized residuals (above 1.96: more codings than independence predicts; "
            "below -1.96: fewer)",
        ),
        "single_year": pgettext("report", "every document is from {year}: trends need at least two years"),
        "trends_caption": pgettext("report", "Documents, clauses, codings and efficacy per year"),
        "trend_documents": pgettext("report", "Documents issued per year"),
        "trend_families": pgettext("report", "Codings per year by instrument family"),
        "no_network": pgettext("report", "no document names its issuing bodies"),
        "network_text": pgettext(
            "report",
            "{bodies} issuing bodies; {pairs} pairs of bodies issued documents together.",
        ),
        "network_caption": pgettext(
            "report",
            "Co-issuance network of issuing bodies (node area: documents; edge width: joint documents)",
        ),
        "centrality_caption": pgettext("report", "Centrality of the issuing bodies, most central first"),
        "authority_caption": pgettext("report", "Documents by {by} and {dimension}"),
        "authority_figure": pgettext("report", "Documents by {by} and {dimension}"),
        "portfolio_text": pgettext(
            "report",
            "A portfolio is the instrument × objective space of a group of documents; a cell is "
            "covered when a coded clause uses the instrument for the objective.",
        ),
        "portfolio_by": pgettext("report", "Portfolio measures by {field}"),
        "portfolio_docs": pgettext("report", "Portfolio measures across the {n} documents"),
        "portfolio_tiles": pgettext(
            "report",
            "The corpus as one portfolio: covered instrument × objective cells",
        ),
        "measure": pgettext("report", "Measure"),
        "mean": pgettext("report", "Mean"),
        "std": pgettext("report", "SD"),
        "min": pgettext("report", "Min"),
        "max": pgettext("report", "Max"),
        "no_coders": pgettext(
            "report",
            "no coders' corpora were given (pass coders={name: corpus} to measure agreement)",
        ),
        "agreement_caption": pgettext("report", "Agreement of {n} coders ({names}) on every coded dimension"),
        "coverage_text": pgettext(
            "report",
            "{partial} clauses were not coded by every coder; {disagreements} disagreements (unit × "
            "dimension) remain to adjudicate.",
        ),
        "disagreement_caption": pgettext("report", "Disagreements to adjudicate by dimension"),
        "categories_caption": pgettext(
            "report",
            "Agreement per instrument (share of each instrument's values matched by another coder)",
        ),
        "dimension": pgettext("report", "Dimension"),
        "disagreements": pgettext("report", "Disagreements"),
        "objective_prefix": pgettext("report", "Objective: "),
        "codebook_part_family": pgettext("report", "Instrument families"),
        "codebook_part_instrument": pgettext("report", "Policy instruments"),
        "codebook_part_objective": pgettext("report", "Policy objectives"),
        "codebook_part_level": pgettext("report", "Levels of the efficacy dimensions"),
        "codebook_empty": pgettext(
            "report",
            "the framework defines no families, instruments, objectives or levels",
        ),
        "version": pgettext("report", "policyquant version"),
        "framework_name": pgettext("report", "Framework name"),
        "framework_title": pgettext("report", "Framework title"),
        "framework_version": pgettext("report", "Framework version"),
        "plugin": pgettext("report", "Registered by plugin"),
        "unregistered": pgettext("report", "not registered (a Framework object built in code)"),
        "citation": pgettext("report", "Citation"),
        "written": pgettext("report", "Written (UTC)"),
        "python": pgettext("report", "Python"),
        "pandas": pgettext("report", "pandas"),
        "numpy": pgettext("report", "NumPy"),
        "matplotlib": pgettext("report", "matplotlib"),
        "not_installed": pgettext("report", "not installed"),
        "sources_caption": pgettext("report", "Input files"),
        "no_sources": pgettext(
            "report",
            "no input files were given (pass sources=[...] to record their names and SHA-256 hashes)",
        ),
        "file": pgettext("report", "File"),
        "bytes": pgettext("report", "Bytes"),
        "sha256": pgettext("report", "SHA-256"),
        "total": pgettext("report", "Total"),
        "subtotal": pgettext("report", "{family} total"),
        "share": pgettext("report", "%"),
        "n": pgettext("report", "n"),
        "no_matplotlib": pgettext("report", "figures need matplotlib (pip install 'policyquant[plot]')"),
    }


_STRINGS: dict[str, dict[str, str]] = catalogued(_report_words)

#: Column headings of the tables, by language; columns not listed keep their name.  The
#: statistics are headed as every result's ``to_frame(language=...)`` heads them (one table, in
#: policyquant._language); only the report's own columns are named here.
_COLUMNS: dict[str, dict[str, str]] = {
    language: {**_language.COLUMN_TITLES[language], **own}
    for language, own in {
        "en": {
            # A share stands alone in the report's tables, not under its count as in Table 4.
            "share": "Share (%)",
            "key": "Key",
            "label": "Label",
            "parent": "Parent",
            "score": "Score",
            "description": "Rule",
            "aliases": "Other names",
        },
        "zh": {
            "share": "占比（%）",
            "key": "键",
            "label": "名称",
            "parent": "上级",
            "score": "分值",
            "description": "编码规则",
            "aliases": "别名",
        },
    }.items()
}



# -- The report's building blocks -------------------------------------------------------


@attrs.frozen
class _Cell:
    text: str
    numeric: bool = False
    colspan: int = 1
    css: str = ""


@attrs.frozen
class _Row:
    label: str
    cells: list[_Cell]
    css: str = ""


@attrs.frozen
class _Table:
    number: int
    caption: str
    head: list[list[_Cell]]
    rows: list[_Row]
    anchor: str | None = None


@attrs.frozen
class _Block:
    """One piece of a section: ``kind`` is table, figure, note, text or facts."""

    kind: str
    text: str = ""
    table: _Table | None = None
    svg: Any = None
    number: int = 0
    facts: list[tuple[str, str]] = attrs.field(factory=list)


@attrs.frozen
class _Section:
    anchor: str
    number: int
    title: str
    blocks: list[_Block]


class _Context:
    """What every section builder needs: the corpus, the language and the running numbers."""

    def __init__(self, corpus: Corpus, language: str, issuer_aliases: Any) -> None:
        self.corpus = corpus
        self.framework = corpus.framework
        self.language = language
        self.strings = _STRINGS[language]
        self.columns = _COLUMNS[language]
        self.issuer_aliases = issuer_aliases
        self.tables = 0
        self.figures = 0

    def s(self, key: str, **values: Any) -> str:
        text = self.strings[key]
        return text.format(**values) if values else text

    @property
    def plot_language(self) -> str | None:
        return "zh" if self.language == "zh" else None

    def note(self, reason: str) -> _Block:
        return _Block("note", text=self.s("not_computed", reason=reason))

    def text(self, text: str) -> _Block:
        return _Block("text", text=text)

    def field_title(self, field: str, inline: bool = False) -> str:
        """A field's name; ``inline`` for use mid-sentence (lower case in English, "policy objective")."""
        title = _language.field_title(self.framework, field, self.plot_language)
        if inline and self.language == "en" and title[:1].isupper() and title[1:2].islower():
            title = title[0].lower() + title[1:]
        return title

    def category(self, field: str, key: object) -> str:
        return _language.category_label(self.framework, field, key, self.plot_language)

    def table(
        self,
        frame: pd.DataFrame,
        caption: str,
        *,
        decimals: int | Mapping[str, int] = 2,
        index_title: str = "",
        index_labels: Iterable[str] | None = None,
        column_labels: Mapping[Any, str] | None = None,
        row_css: Sequence[str] | None = None,
        cell_css: Callable[[Any, Any], str] | None = None,
        anchor: str | None = None,
        whole: Iterable[str] = (),
    ) -> _Block:
        self.tables += 1
        table = _frame_table(
            frame,
            self.tables,
            caption,
            decimals=decimals,
            index_title=index_title,
            index_labels=index_labels,
            column_labels=column_labels if column_labels is not None else self.columns,
            row_css=row_css,
            cell_css=cell_css,
            anchor=anchor,
            whole=whole,
        )
        return _Block("table", table=table)

    def figure(self, draw: Callable[[], Any], caption: str) -> _Block:
        """Draw a figure and embed it as SVG; a note instead if it cannot be drawn."""
        try:
            fig = draw()
        except ImportError:
            return self.note(self.s("no_matplotlib"))
        except PolicyQuantError as error:
            return self.note(_reason(error))
        self.figures += 1
        return _Block(
            "figure", svg=_svg(fig, f"f{self.figures}", self.language), text=caption, number=self.figures
        )


def _reason(error: BaseException) -> str:
    """The first line of an error's message: why a part could not be computed."""
    text = str(error).strip().splitlines()
    return text[0].rstrip(":") if text else type(error).__name__


def _guard(ctx: _Context, build: Callable[[], list[_Block]]) -> list[_Block]:
    """The blocks ``build`` makes, or one note saying why they could not be made."""
    try:
        return build()
    except PolicyQuantError as error:
        return [ctx.note(_reason(error))]


# -- Tables ------------------------------------------------------------------------------


def _format(value: Any, digits: int, integral: bool) -> tuple[str, str]:
    """The text of one cell and an extra CSS class (``na`` for a missing value)."""
    if value is None or (not isinstance(value, (str, tuple, list)) and pd.isna(value)):
        return "–", "na"
    if isinstance(value, (bool, np.bool_)):
        return ("yes" if value else "no"), ""
    if isinstance(value, (int, np.integer)):
        return str(int(value)), ""
    if isinstance(value, (float, np.floating)):
        if np.isinf(value):
            return ("∞" if value > 0 else "-∞"), ""
        return (f"{value:.0f}" if integral else f"{value:.{digits}f}"), ""
    if isinstance(value, (tuple, list)):
        return "; ".join(str(v) for v in value), ""
    return str(value), ""


def _is_numeric(values: pd.Series) -> bool:
    """Whether a column holds numbers (an object column counts when every value present is one)."""
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return False
    if pd.api.types.is_numeric_dtype(dtype):
        return True
    if not pd.api.types.is_object_dtype(dtype):
        return False
    present = [v for v in values if v is not None and not (isinstance(v, float) and np.isnan(v))]
    return bool(present) and all(
        isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))
        for v in present
    )


def _frame_table(
    frame: pd.DataFrame,
    number: int,
    caption: str,
    *,
    decimals: int | Mapping[str, int],
    index_title: str,
    index_labels: Iterable[str] | None,
    column_labels: Mapping[Any, str],
    row_css: Sequence[str] | None,
    cell_css: Callable[[Any, Any], str] | None,
    anchor: str | None,
    whole: Iterable[str] = (),
) -> _Table:
    columns = list(frame.columns)
    wanted_whole = set(whole)
    numeric = {}
    integral = {}
    for position, column in enumerate(columns):
        values = frame.iloc[:, position]
        numeric[position] = _is_numeric(values)
        key = column[-1] if isinstance(column, tuple) else column
        if key in wanted_whole and numeric[position]:
            floats = values.to_numpy(dtype=np.float64, na_value=np.nan)
            finite = floats[np.isfinite(floats)]
            integral[position] = bool((finite == np.round(finite)).all())
        else:
            integral[position] = False

    def label(column: Any) -> str:
        try:
            return column_labels.get(column, str(column))
        except TypeError:  # an unhashable label
            return str(column)

    def digits(column: Any) -> int:
        if isinstance(decimals, Mapping):
            key = column[-1] if isinstance(column, tuple) else column
            return decimals.get(key, decimals.get("*", 2))
        return decimals

    head: list[list[_Cell]] = []
    if isinstance(frame.columns, pd.MultiIndex) and frame.columns.nlevels == 2:
        top: list[_Cell] = [_Cell("")]
        for group in dict.fromkeys(c[0] for c in columns):
            span = sum(1 for c in columns if c[0] == group)
            top.append(_Cell(label(group), numeric=True, colspan=span, css="group"))
        head.append(top)
        head.append(
            [_Cell(index_title)] + [_Cell(label(c[1]), numeric=numeric[i]) for i, c in enumerate(columns)]
        )
    else:
        head.append(
            [_Cell(index_title)] + [_Cell(label(c), numeric=numeric[i]) for i, c in enumerate(columns)]
        )
    labels = (
        list(index_labels) if index_labels is not None else [_format(i, 2, False)[0] for i in frame.index]
    )
    rows = []
    values = frame.to_numpy(dtype=object)
    for r, row_label in enumerate(labels):
        cells = []
        for c, column in enumerate(columns):
            text, css = _format(values[r, c], digits(column), integral[c])
            if cell_css is not None:
                css = " ".join(filter(None, (css, cell_css(column, values[r, c]))))
            cells.append(_Cell(text, numeric=numeric[c], css=css))
        rows.append(_Row(row_label, cells, row_css[r] if row_css is not None else ""))
    return _Table(number, caption, head, rows, anchor)


# -- Figures -----------------------------------------------------------------------------

_ID = re.compile(r'\bid="([^"]+)"')
_SHORTEN = re.compile(r"(\d\.\d\d)\d+")


def _svg(fig: Any, prefix: str, language: str) -> Any:
    """The figure as inline SVG markup (closed afterwards), with ids unique within the page."""
    import matplotlib
    import matplotlib.pyplot as plt
    from markupsafe import Markup

    from .plotting import font_context

    buffer = io.StringIO()
    try:
        # Text as paths: the reader's browser needs no CJK font; a fixed salt makes clip-path ids stable.
        with (
            font_context(cjk=language == "zh"),
            matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "policyquant"}),
        ):
            fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    finally:
        plt.close(fig)
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.DOTALL)
    ids = set(_ID.findall(text))
    if ids:
        names = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
        text = re.sub(rf'\bid="({names})"', lambda m: f'id="{prefix}-{m.group(1)}"', text)
        text = re.sub(rf'href="#({names})"', lambda m: f'href="#{prefix}-{m.group(1)}"', text)
        text = re.sub(rf"url\(#({names})\)", lambda m: f"url(#{prefix}-{m.group(1)})", text)
    # Six decimals of a point are far below what a screen or printer resolves; two halve the file.
    text = re.sub(r'\bd="[^"]*"', lambda m: _SHORTEN.sub(r"\1", m.group(0)), text)
    root_end = text.index(">")
    root = text[:root_end]
    width = re.search(r'\bwidth="([\d.]+)pt"', root)
    # Namespaces are implied for SVG inside HTML; size comes from the viewBox, scaled to the page.
    root = re.sub(r'\s(xmlns(:\w+)?|width|height|version)="[^"]*"', "", root)
    style = f' style="max-width: {float(width.group(1)):.1f}pt"' if width else ""
    root += f' class="chart" role="img" preserveAspectRatio="xMidYMid meet"{style}'
    return Markup(root + text[root_end:].rstrip())


# -- Sections ----------------------------------------------------------------------------


def _overview(ctx: _Context) -> list[_Block]:
    corpus, framework = ctx.corpus, ctx.framework
    documents, units = corpus.documents, corpus.units
    scale = framework.scale
    facts = [
        (ctx.s("framework"), ctx.s("framework_value", title=framework.title, name=framework.name)),
        (
            ctx.s("parts"),
            ctx.s(
                "parts_value",
                families=len(framework.families),
                instruments=len(framework.instruments),
                objectives=len(framework.objectives),
                scale=f"{scale.name}" if scale is not None else ctx.s("none"),
            ),
        ),
        (ctx.s("documents"), str(len(documents))),
        (ctx.s("units"), str(len(units))),
        (ctx.s("codings"), str(len(corpus.codings)) if framework.objectives else ctx.s("none")),
    ]
    years = (
        documents["year"].to_numpy(dtype=np.float64, na_value=np.nan)
        if "year" in documents.columns
        else np.array([])
    )
    years = years[~np.isnan(years)]
    if years.size:
        facts.append(
            (
                ctx.s("years"),
                ctx.s("years_value", first=int(years.min()), last=int(years.max()), n=len(np.unique(years))),
            )
        )
    else:
        facts.append((ctx.s("years"), ctx.s("no_years")))
    if "issuers" in documents.columns:
        from .analysis.network import IssuerAliases

        aliases = IssuerAliases.resolve(ctx.issuer_aliases)
        long = documents[["doc_id", "issuers"]].explode("issuers").dropna(subset=["issuers"])
        bodies = {aliases.canonical(name) for name in pd.unique(long["issuers"])}
        facts.append(
            (ctx.s("issuers"), ctx.s("issuers_value", n=len(bodies), documents=long["doc_id"].nunique()))
        )
    else:
        facts.append((ctx.s("issuers"), ctx.s("no_issuers")))
    document_fields = [c for c in documents.columns if c != "doc_id"]
    unit_fields = [c for c in units.columns if c not in ("unit_id", "doc_id")]
    facts.append((ctx.s("document_fields"), ", ".join(map(str, document_fields)) or ctx.s("none")))
    facts.append((ctx.s("unit_fields"), ", ".join(map(str, unit_fields)) or ctx.s("none")))
    blocks = [_Block("facts", facts=facts)]
    if "level" in documents.columns and documents["level"].notna().any():
        counts = documents["level"].value_counts(sort=False, dropna=False)
        labels = [ctx.category("level", key) if not pd.isna(key) else "–" for key in counts.index]
        frame = pd.DataFrame({"documents": counts.to_numpy()})
        blocks.append(ctx.table(frame, ctx.s("by_level"), index_title=ctx.s("level"), index_labels=labels))
    return blocks


def _table4(ctx: _Context) -> list[_Block]:
    from . import plotting
    from .analysis.crosstab import crosstab

    result = crosstab(ctx.corpus)
    frame = result.to_frame(labels=False)
    labels, css = [], []
    for group, row in frame.index:
        if group == "Total" and row == "":
            labels.append(ctx.s("total"))
            css.append("total")
        elif row == "Total":
            labels.append(ctx.s("subtotal", family=ctx.category("family", group)))
            css.append("subtotal")
        else:
            labels.append(ctx.category("instrument", row))
            css.append("member")
    column_labels = {"count": ctx.s("n"), "share": ctx.s("share"), "Total": ctx.s("total")}
    for key in result.counts.columns:
        column_labels[key] = ctx.category(result.columns, key)
    return [
        ctx.text(ctx.s("table4_text", total=result.total)),
        ctx.table(
            frame,
            ctx.s("table4_caption"),
            index_title=ctx.field_title("instrument"),
            index_labels=labels,
            column_labels=column_labels,
            row_css=css,
            anchor="table4-counts",
        ),
        ctx.figure(
            lambda: plotting.crosstab_heatmap(result, language=ctx.plot_language), ctx.s("heatmap_caption")
        ),
        ctx.figure(
            lambda: plotting.family_objective_bars(ctx.corpus, language=ctx.plot_language),
            ctx.s("family_bars_caption"),
        ),
    ]


def _efficacy(ctx: _Context) -> list[_Block]:
    from . import plotting
    from .analysis.efficacy import efficacy, efficacy_summary

    scale = ctx.framework.scale
    if scale is None:
        raise ValidationError(f"framework {ctx.framework.name!r} has no efficacy scale")
    efficacy(ctx.corpus)  # Fails first, with the reason, when scores are missing.
    formula = getattr(scale, "formula", None)
    blocks = [
        ctx.text(
            ctx.s(
                "scale_text",
                name=scale.name,
                formula=f"{scale.name} = {formula}" if formula else scale.name,
                low=_number(scale.min_score),
                high=_number(scale.max_score),
            )
        )
    ]
    fields = [f for f in ("objective", "family", "instrument") if _has_part(ctx, f)]
    for field in fields:
        title = ctx.field_title(field, inline=True)

        def build(field: str = field, title: str = title) -> list[_Block]:
            summary = efficacy_summary(ctx.corpus, by=field).to_frame()
            labels = [ctx.category(field, key) for key in summary.index]
            made = [
                ctx.table(
                    summary,
                    ctx.s("efficacy_by", field=title),
                    index_title=ctx.field_title(field),
                    index_labels=labels,
                    whole=("min", "max", "total"),
                )
            ]
            if field != "family":
                made.append(
                    ctx.figure(
                        lambda: plotting.efficacy_bars(ctx.corpus, by=field, language=ctx.plot_language),
                        ctx.s("efficacy_caption", field=title),
                    )
                )
            return made

        blocks += _guard(ctx, build)
    return blocks


def _has_part(ctx: _Context, field: str) -> bool:
    framework = ctx.framework
    return bool(framework.objectives if field == "objective" else framework.instruments)


def _number(value: Any) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _fit(ctx: _Context) -> list[_Block]:
    from .analysis.fit import fit

    result = fit(ctx.corpus)
    blocks = [
        ctx.text(
            ctx.s(
                "fit_text",
                dof=result.dof,
                chi2=result.chi2,
                p=result.pvalue,
                v=result.cramers_v,
                n=result.n,
                sparse=result.sparse_cells,
                cells=result.expected.size,
            )
        )
    ]
    if result.sparse:
        blocks.append(ctx.text(ctx.s("fit_sparse")))
    if result.dropped:
        names = [
            ctx.category("instrument", d)
            if d in ctx.framework.instrument_keys
            else ctx.category("objective", d)
            for d in result.dropped
        ]
        blocks.append(ctx.text(ctx.s("fit_dropped", names=", ".join(names))))

    def by_family() -> list[_Block]:
        family = fit(ctx.corpus, rows="family")
        return [
            ctx.text(
                ctx.s("fit_family", dof=family.dof, chi2=family.chi2, p=family.pvalue, v=family.cramers_v)
            )
        ]

    blocks += _guard(ctx, by_family)
    residuals = result.residuals

    def flag(_column: Any, value: Any) -> str:
        if pd.isna(value):
            return ""
        return "over" if value >= 1.96 else "under" if value <= -1.96 else ""

    blocks.append(
        ctx.table(
            residuals,
            ctx.s("residuals_caption"),
            index_title=ctx.field_title("instrument"),
            index_labels=[ctx.category("instrument", k) for k in residuals.index],
            column_labels={k: ctx.category("objective", k) for k in residuals.columns},
            cell_css=flag,
        )
    )
    return blocks


def _trends(ctx: _Context) -> list[_Block]:
    from . import plotting
    from .analysis.trends import trends

    documents = ctx.corpus.documents
    if "year" in documents.columns:
        years = documents["year"].dropna().unique()
        if len(years) == 1:
            raise ValidationError(ctx.s("single_year", year=int(years[0])))
    table = trends(ctx.corpus).to_frame()
    blocks = [
        ctx.table(
            table, ctx.s("trends_caption"), index_title=ctx.field_title("year"), whole=("efficacy_total",)
        ),
        ctx.figure(
            lambda: plotting.trend_plot(ctx.corpus, "documents", kind="bar", language=ctx.plot_language),
            ctx.s("trend_documents"),
        ),
    ]
    if ctx.framework.instruments:
        blocks.append(
            ctx.figure(
                lambda: plotting.trend_plot(
                    ctx.corpus, "codings", by="family", language=ctx.plot_language
                ),
                ctx.s("trend_families"),
            )
        )
    return blocks


def _network(ctx: _Context) -> list[_Block]:
    from . import plotting
    from .analysis.network import issuer_network

    network = issuer_network(ctx.corpus, aliases=ctx.issuer_aliases)
    centrality = network.centrality
    if centrality.empty:
        raise ValidationError(ctx.s("no_network"))
    return [
        ctx.text(ctx.s("network_text", bodies=len(centrality), pairs=network.graph.number_of_edges())),
        ctx.figure(
            lambda: plotting.issuer_network_plot(
                network, aliases=ctx.issuer_aliases, language=ctx.plot_language
            ),
            ctx.s("network_caption"),
        ),
        ctx.table(
            centrality,
            ctx.s("centrality_caption"),
            decimals=3,
            index_title=ctx.s("issuers"),
            index_labels=[str(name) for name in centrality.index],
        ),
    ]


def _authority(ctx: _Context) -> list[_Block]:
    from . import plotting
    from .analysis.authority import authority_distribution

    result = authority_distribution(ctx.corpus)
    counts = result.counts.copy()
    dimension = result.columns
    counts["total"] = counts.sum(axis=1)
    labels = {key: f"{key} {ctx.category(dimension, key)}" for key in result.counts.columns}
    by, title = ctx.field_title(result.rows, inline=True), ctx.field_title(dimension, inline=True)
    return [
        ctx.table(
            counts,
            ctx.s("authority_caption", by=by, dimension=title),
            index_title=ctx.field_title(result.rows),
            index_labels=[ctx.category(result.rows, k) for k in counts.index],
            column_labels={**labels, "total": ctx.columns["total"]},
        ),
        ctx.figure(
            lambda: plotting.authority_plot(result, language=ctx.plot_language),
            ctx.s("authority_figure", by=by, dimension=title),
        ),
    ]


def _measure_label(ctx: _Context, key: str) -> str:
    from .analysis.portfolios import MEASURES

    if ctx.language == "zh":
        # The one table of Chinese column titles, which the results' to_frame(language="zh") use too.
        return _language.COLUMN_TITLES["zh"].get(key, key)
    return MEASURES[key][1] if key in MEASURES else key


def _portfolios(ctx: _Context) -> list[_Block]:
    from . import plotting
    from .analysis.portfolios import portfolio_measures

    per_document = portfolio_measures(ctx.corpus).to_frame()
    blocks = [ctx.text(ctx.s("portfolio_text"))]
    documents = ctx.corpus.documents
    if "level" in documents.columns and documents["level"].notna().any():

        def by_level() -> list[_Block]:
            # Objects keep each measure's type through the transpose: counts stay integers.
            measures = portfolio_measures(ctx.corpus, by="level").to_frame().astype(object).T
            return [
                ctx.table(
                    measures,
                    ctx.s("portfolio_by", field=ctx.field_title("level", inline=True)),
                    decimals=3,
                    index_title=ctx.s("measure"),
                    index_labels=[_measure_label(ctx, k) for k in measures.index],
                    column_labels={k: ctx.category("level", k) for k in measures.columns},
                )
            ]

        blocks += _guard(ctx, by_level)
    spread = pd.DataFrame(
        {
            "mean": per_document.mean(),
            "std": per_document.std(),
            "min": per_document.min(),
            "max": per_document.max(),
        }
    )
    blocks.append(
        ctx.table(
            spread,
            ctx.s("portfolio_docs", n=len(per_document)),
            decimals=3,
            index_title=ctx.s("measure"),
            index_labels=[_measure_label(ctx, k) for k in spread.index],
            column_labels={k: ctx.s(k) for k in spread.columns},
        )
    )
    blocks.append(
        ctx.figure(
            lambda: plotting.portfolio_tiles(ctx.corpus, language=ctx.plot_language), ctx.s("portfolio_tiles")
        )
    )
    return blocks


def _dimension_label(ctx: _Context, name: str) -> str:
    if name.startswith("objective:"):
        return ctx.s("objective_prefix") + ctx.category("objective", name.split(":", 1)[1])
    if name == "instrument":
        return ctx.field_title("instrument")
    return f"{name} {ctx.field_title(name)}" if ctx.field_title(name) != name else name


def _reliability(ctx: _Context, coders: Mapping[str, Corpus] | None) -> list[_Block]:
    from .reliability import agreement_report, disagreements

    if coders is None:
        raise ValidationError(ctx.s("no_coders"))
    result = agreement_report(coders)
    # The report's own headers (α, α low, Units ...): the caption names the coders, and the
    # report's "units" header means clauses, so the table is shown under its display keys.
    table = result.table.drop(columns="coders").rename(
        columns={
            "estimate": "alpha",
            "ci_low": "alpha_low",
            "ci_high": "alpha_high",
            "units": "n_units",
            "measurement": "level",
        }
    )[["unit", "level", "n_units", "alpha", "alpha_low", "alpha_high", "kappa", "ac1", "percent_agreement"]]
    table = table.drop(columns=[c for c in ("alpha_low", "alpha_high") if table[c].isna().all()])
    found = disagreements(coders).to_frame()
    blocks = [
        ctx.table(
            table,
            ctx.s("agreement_caption", n=len(result.coders), names=", ".join(result.coders)),
            decimals=3,
            index_title=ctx.s("dimension"),
            index_labels=[_dimension_label(ctx, name) for name in table.index],
        ),
        ctx.text(ctx.s("coverage_text", partial=len(result.coverage), disagreements=len(found))),
    ]
    if len(found):
        counts = found["dimension"].value_counts(sort=False)
        order = [d for d in table.index if d in counts.index]
        frame = pd.DataFrame({"n": counts.reindex(order).to_numpy()}, index=order)
        blocks.append(
            ctx.table(
                frame,
                ctx.s("disagreement_caption"),
                index_title=ctx.s("dimension"),
                index_labels=[_dimension_label(ctx, d) for d in order],
                column_labels={"n": ctx.s("disagreements")},
            )
        )
    if len(result.categories):
        categories = result.categories
        blocks.append(
            ctx.table(
                categories,
                ctx.s("categories_caption"),
                decimals=3,
                index_title=ctx.field_title("instrument"),
                index_labels=[ctx.category("instrument", k) for k in categories.index],
            )
        )
    return blocks


def _codebook(ctx: _Context) -> list[_Block]:
    book = ctx.framework.codebook(language=ctx.plot_language)
    if book.empty:
        raise ValidationError(ctx.s("codebook_empty"))
    blocks = []
    extra = [c for c in book.columns if c.startswith("label_")]
    for part in ("family", "instrument", "objective", "level"):
        rows = book[book["part"] == part]
        if rows.empty:
            continue
        columns = ["label", *extra, "description", "aliases"]
        if part == "instrument":
            columns.insert(1, "parent")
        if part == "level":
            columns = ["parent", "score", "label", *extra, "description"]
        frame = (
            rows.set_index("key")[columns].astype(object).where(rows.set_index("key")[columns].notna(), None)
        )
        labels = {c: f"{ctx.columns['label']} ({c.split('_', 1)[1]})" for c in extra}
        blocks.append(
            ctx.table(
                frame,
                ctx.s(f"codebook_part_{part}"),
                index_title=ctx.columns["key"],
                column_labels={**ctx.columns, **labels},
            )
        )
    return blocks


def _provenance(ctx: _Context, sources: list[tuple[str, int, str]], written: str) -> list[_Block]:
    from . import __version__
    from .plugins import get_registry

    framework = ctx.framework
    try:
        # A framework from a third-party plugin was loaded with its plugin: looking up any
        # other name must not wait for the entry points (a TOML framework of a new name).
        entry = get_registry().entry(framework.name, load_entry_points=False)
        plugin = entry.plugin if entry.framework == framework else ctx.s("unregistered")
        if entry.framework == framework and entry.distribution:
            # The installed package and its version, so that the run can be repeated with the same codebook.
            plugin += f" ({' '.join(filter(None, (entry.distribution, entry.distribution_version)))})"
    except PolicyQuantError:
        plugin = ctx.s("unregistered")
    try:
        import matplotlib

        matplotlib_version = matplotlib.__version__
    except ImportError:  # pragma: no cover - depends on the installation
        matplotlib_version = ctx.s("not_installed")
    facts = [
        (ctx.s("version"), __version__),
        (ctx.s("framework_name"), framework.name),
        (ctx.s("framework_title"), framework.title),
        (ctx.s("framework_version"), framework.version or ctx.s("none")),
        (ctx.s("plugin"), plugin),
        (ctx.s("citation"), framework.citation or ctx.s("none")),
        (ctx.s("written"), written),
        (ctx.s("python"), f"{platform.python_version()} ({platform.python_implementation()})"),
        (ctx.s("pandas"), pd.__version__),
        (ctx.s("numpy"), np.__version__),
        (ctx.s("matplotlib"), matplotlib_version),
    ]
    blocks = [_Block("facts", facts=facts)]
    if sources:
        frame = pd.DataFrame(
            {"bytes": [size for _, size, _ in sources], "sha256": [digest for _, _, digest in sources]}
        )
        blocks.append(
            ctx.table(
                frame,
                ctx.s("sources_caption"),
                index_title=ctx.s("file"),
                index_labels=[name for name, _, _ in sources],
                column_labels={"bytes": ctx.s("bytes"), "sha256": ctx.s("sha256")},
                anchor="sources",
            )
        )
    else:
        blocks.append(ctx.note(ctx.s("no_sources")))
    return blocks


def _sample(ctx: _Context, selection: Any) -> list[_Block]:
    """How the documents were selected: the criteria, the selection table, the exclusions and the flow diagram."""
    from .documents.selection import _WORDS

    words = _WORDS[ctx.language]
    blocks = [_Block("facts", facts=selection.criteria(ctx.language)), ctx.text(selection.summary(ctx.language))]
    table = selection.to_frame(language=ctx.language)
    blocks.append(
        ctx.table(
            table,
            words["sample_caption"],
            index_title=str(table.index.name),
            index_labels=table.index.astype(str).tolist(),
            column_labels={},
        )
    )
    records = selection.records.to_frame(language=ctx.language)
    steps = selection.records.to_frame()["step"]
    # The documents the query found but the screening left out: the ones a reader asks about.
    screened = records[~steps.isin(["query", "included"]).to_numpy()]
    if len(screened):
        blocks.append(
            ctx.table(
                screened.drop(columns=screened.columns[[1, 5]]),
                words["excluded_caption"],
                index_title=str(records.index.name),
                index_labels=screened.index.astype(str).tolist(),
                column_labels={},
            )
        )
    blocks.append(ctx.figure(lambda: selection.flow_figure(language=ctx.plot_language), words["flow_caption"]))
    return blocks


# -- Arguments ---------------------------------------------------------------------------


def _check_language(language: object) -> str:
    return _language.interface_language(language)


def _check_coders(coders: object) -> Mapping[str, Corpus] | None:
    if coders is None:
        return None
    if not isinstance(coders, Mapping):
        raise ValidationError(f"coders must be a mapping {{coder name: Corpus}}, got {type(coders).__name__}")
    wrong = [str(name) for name, corpus in coders.items() if not isinstance(corpus, Corpus)]
    if wrong:
        raise ValidationError(
            f"coders must map each coder's name to a policyquant Corpus; not a Corpus: {format_choices(wrong)}"
        )
    return coders


def _hash_sources(sources: object) -> list[tuple[str, int, str]]:
    """Name, size and SHA-256 of every input file; a missing or unreadable one is a ReadError."""
    if sources is None:
        return []
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    if not isinstance(sources, Iterable):
        raise ValidationError(f"sources must be file paths, got {type(sources).__name__}")
    found = []
    problems = []
    for source in sources:
        path = Path(source)
        if not path.is_file():
            problems.append(
                {
                    "file": str(path),
                    "problem": "not a file" if path.exists() else "file not found",
                    "expected": "an input file of the corpus, to record its SHA-256 hash",
                }
            )
            continue
        digest = hashlib.sha256()
        try:
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
        except OSError as error:
            problems.append({"file": str(path), "problem": f"cannot be read: {error.strerror or error}"})
            continue
        found.append((path.name, path.stat().st_size, digest.hexdigest()))
    if problems:
        raise ReadError(f"{len(problems)} source file(s) cannot be hashed for the report", problems)
    return found


def _written_at() -> str:
    # SOURCE_DATE_EPOCH (reproducible-builds.org) pins the date, so that a rebuilt report is byte-identical.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        moment = _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
    else:
        moment = _dt.datetime.now(tz=_dt.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


# -- Public API --------------------------------------------------------------------------


def render_report(
    corpus: Corpus,
    *,
    coders: Mapping[str, Corpus] | None = None,
    title: str | None = None,
    language: str | None = None,
    sources: Iterable[str | os.PathLike[str]] | None = None,
    issuer_aliases: Any = None,
    progress: Callable[[str], None] | None = None,
    selection: Any = None,
    words: Any = None,
) -> str:
    """The HTML report of a coded corpus, as a string.

    Parameters
    ----------
    corpus, coders, title, language, sources, issuer_aliases, progress, selection, words
        As in :func:`report`.

    Returns
    -------
    str
        A complete HTML document with inline CSS and inline SVG figures.

    Raises
    ------
    ValidationError
        For an unknown ``language``, ``corpus`` that is not a Corpus, or
        ``coders`` that is not a mapping of names to corpora.
    ReadError
        If a file in ``sources`` is missing or unreadable.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.reporting import render_report
    >>> html = render_report(pq.datasets.load_genai_china())
    >>> html.startswith("<!DOCTYPE html>"), 'id="table4"' in html, "<svg" in html
    (True, True, True)
    """
    from ._checks import require_corpus

    require_corpus(corpus, "report")
    code = _check_language(language)
    coders = _check_coders(coders)
    hashed = _hash_sources(sources)
    if title is not None and not isinstance(title, str):
        raise ValidationError(f"title must be text, got {type(title).__name__}")
    ctx = _Context(corpus, code, issuer_aliases)
    written = _written_at()
    builders: dict[str, Callable[[], list[_Block]]] = {
        "overview": lambda: _overview(ctx),
        "table4": lambda: _table4(ctx),
        "efficacy": lambda: _efficacy(ctx),
        "fit": lambda: _fit(ctx),
        "trends": lambda: _trends(ctx),
        "network": lambda: _network(ctx),
        "authority": lambda: _authority(ctx),
        "portfolios": lambda: _portfolios(ctx),
        "reliability": lambda: _reliability(ctx, coders),
        "codebook": lambda: _codebook(ctx),
        "provenance": lambda: _provenance(ctx, hashed, written),
    }
    anchors = list(SECTIONS)
    titles = {anchor: ctx.s(anchor) for anchor in anchors}
    if selection is not None:
        from .documents.selection import _WORDS, Selection

        if not isinstance(selection, Selection):
            raise ValidationError(
                f"selection must be what policyquant.select returns (a Selection), got {type(selection).__name__}"
            )
        # How the sample was drawn comes right after the overview of what it holds.
        anchors.insert(anchors.index("overview") + 1, "sample")
        titles["sample"] = _WORDS[code]["sample"]
        builders["sample"] = lambda: _sample(ctx, selection)
    if words is not None and words is not False:
        from .text._report import WORDS as _TEXT_WORDS
        from .text._report import check_words, words_section

        # Checked here: a mistaken option is the caller's error, not a note in the report.
        word_options = check_words(words)
        # The words of the clauses come before the codebook that defines their codes.
        anchors.insert(anchors.index("codebook"), "words")
        titles["words"] = _TEXT_WORDS[code]["words"]
        builders["words"] = lambda: words_section(ctx, word_options)
    sections = []
    for number, anchor in enumerate(anchors, start=1):
        sections.append(_Section(anchor, number, titles[anchor], _guard(ctx, builders[anchor])))
        if progress is not None:
            progress(anchor)
    from . import __version__

    return _template().render(
        title=title or ctx.s("default_title"),
        subtitle=ctx.s("framework_value", title=corpus.framework.title, name=corpus.framework.name),
        generated=ctx.s("generated", version=__version__, when=written),
        language="zh-Hans" if code == "zh" else "en",
        strings=ctx.strings,
        sections=sections,
    )


def _template() -> Any:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("policyquant", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.get_template("report.html.j2")


def report(
    corpus: Corpus,
    path: str | os.PathLike[str],
    *,
    coders: Mapping[str, Corpus] | None = None,
    title: str | None = None,
    language: str | None = None,
    sources: Iterable[str | os.PathLike[str]] | None = None,
    issuer_aliases: Any = None,
    progress: Callable[[str], None] | None = None,
    selection: Any = None,
    words: Any = None,
) -> Path:
    """Write a self-contained HTML report of a coded corpus: tables, figures, codebook and provenance.

    The report holds, in order: the corpus overview; how the documents were
    selected (with ``selection``: the criteria, the selection table, the
    documents excluded and why, the flow diagram); the instrument x
    objective table (the study's Table 4) with its heatmap; efficacy
    summaries by objective, family and instrument with figures; the fit test
    and its residuals; trends per year; the issuer network with its
    centralities; the authority distribution; policy-portfolio measures; the
    coders' agreement (with ``coders``); the framework's codebook; and the
    provenance (versions, framework, input files and their SHA-256, the time
    written).  A part that cannot be computed for this corpus shows a one-line
    note saying why.

    The file loads nothing: CSS is inline, figures are inline SVG with text
    drawn as paths (no fonts needed to read Chinese labels), and there is no
    JavaScript.  It prints to PDF with page breaks kept out of tables' rows and
    figures.

    Parameters
    ----------
    corpus : Corpus
        The coded corpus.
    path : str or path-like
        A file name ending in ``.html`` or ``.htm``, or a directory (created if
        needed) to write ``report.html`` in.  Missing parent directories are
        created; an existing file is replaced.
    coders : mapping of str to Corpus, optional
        Each coder's corpus of the same documents, for the reliability section
        (:func:`policyquant.reliability.agreement_report`).
    title : str, optional
        The report's title; by default "Report on a coded policy corpus" (in
        Chinese with ``language="zh"``).
    language : {None, "en", "zh"}, optional
        Language of headings, notes, table headings and figure labels, resolved
        as everywhere in the package: ``"zh-CN"``, ``"zh_Hans"``, ``"ZH"`` and
        the like are ``"zh"``, ``"en-US"`` is ``"en"``; Traditional Chinese
        (``"zh-TW"``) and other languages are refused.
    sources : iterable of path-like, optional
        The input files the corpus was read from: their names, sizes and
        SHA-256 hashes go into the provenance section.
    issuer_aliases : IssuerAliases or mapping, optional
        How to merge spellings of issuing bodies, as in
        :func:`policyquant.issuer_network`.
    progress : callable, optional
        Called with each section's anchor (``"overview"``, ``"table4"``, ...,
        the names in :data:`SECTIONS`, and ``"sample"`` with ``selection``)
        when the section is done: a hook for a progress bar.
    selection : Selection, optional
        What :func:`policyquant.select` returned for the corpus's documents:
        adds a "sample" section after the overview.
    words : True or mapping, optional
        Adds a "words" section before the codebook: the clauses' most
        frequent words, keyness between administrative levels, a word cloud
        and a co-word network (:mod:`policyquant.text`; needs
        ``pip install 'policyquant[text]'``).  A mapping passes
        ``user_words``, ``stopwords`` and ``language`` to
        :func:`policyquant.text.tokenize`, and ``top`` (default 20) words.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ValidationError
        For an unknown ``language``, a ``corpus`` that is not a Corpus, or
        ``coders`` that is not a mapping of names to corpora.
    ReadError
        If a file in ``sources`` is missing or unreadable.
    WriteError
        If the report would replace one of ``sources``, or cannot be written
        (no space left, permission denied ...); an existing report is then
        unchanged.  The report is written to a temporary file and renamed
        into place: a reader, or a second run, never sees half a report.

    Examples
    --------
    >>> import tempfile
    >>> import policyquant as pq
    >>> from policyquant.reporting import report
    >>> corpus = pq.datasets.load_genai_china()
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = report(corpus, folder, language="zh")
    ...     text = written.read_text(encoding="utf-8")
    >>> written.name
    'report.html'
    >>> "政策工具 × 政策目标（表4）" in text
    True
    """
    from ._files import refuse_overwriting_inputs, write_text

    target = Path(path)
    if target.is_dir() or target.suffix.lower() not in (".html", ".htm"):
        target = target / "report.html"
    sources = None if sources is None else list(sources)
    refuse_overwriting_inputs({"the report": target}, sources or ())
    html = render_report(
        corpus,
        coders=coders,
        title=title,
        language=language,
        sources=sources,
        issuer_aliases=issuer_aliases,
        progress=progress,
        selection=selection,
        words=words,
    )
    # A temporary file renamed into place: concurrent runs and readers see one whole report.
    return write_text(target, html, encoding="utf-8", what="the report")
