"""Tests of the export interface: :func:`policyquant.export.export`, :func:`~policyquant.export.export_all`
and the writers of :class:`policyquant.results.TableResult`.

Every analysis result goes through every table format and every figure function through every
figure format.  The tests read what was written back (CSV with pandas, XLSX with openpyxl, the
Markdown, LaTeX and HTML tables cell by cell) and compare it with the result's own DataFrame,
formatted independently here; figures are checked by magic bytes, size, resolution and, for
Chinese figures, by the glyphs and fonts in the file.
"""

from __future__ import annotations

import math
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant import plotting
from policyquant import reliability as rel
from policyquant.analysis import portfolio_similarity
from policyquant.errors import ValidationError
from policyquant.export import FIGURE_FORMATS, TABLE_FORMATS, export, export_all
from policyquant.frameworks.pmc import PMCIndex, pmc_radar, pmc_surface_plot
from policyquant.results import FrameResult, TableResult

CORPUS = pq.datasets.load_genai_china()
CODES = [[1, 1, 2, 2, 3, None], [1, 2, 2, 2, 3, 3]]
COMPLETE_CODES = [[1, 1, 2, 2, 3, 1], [1, 2, 2, 2, 3, 3], [1, 2, 2, 1, 3, 3]]
PMC_FRAME = pd.DataFrame(
    {f"X{i}_{j}": [int((i + j) % 3 != 0), int(i % 2 == 0 or j == 1)] for i in range(1, 11) for j in (1, 2)},
    index=["P1", "政策2"],
)
PMC = PMCIndex.from_columns(PMC_FRAME)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# -- What the analyses return -------------------------------------------------------------

TABLES: dict[str, Callable[[], Any]] = {
    "crosstab": lambda: pq.crosstab(CORPUS),
    "crosstab_family_units": lambda: pq.crosstab(CORPUS, rows="family", count="units"),
    "fit": lambda: pq.fit(CORPUS),
    "issuer_network": lambda: pq.issuer_network(CORPUS, admin_level="national"),
    "efficacy_summary": lambda: pq.efficacy_summary(CORPUS, by="objective"),
    "efficacy_summary_two_fields": lambda: pq.efficacy_summary(CORPUS, by=["family", "objective"]),
    "efficacy_scores": lambda: pq.efficacy(CORPUS),
    "trends": lambda: pq.trends(CORPUS),
    "portfolio_measures": lambda: pq.portfolio_measures(CORPUS),
    "portfolio_similarity": lambda: portfolio_similarity([[1, 1, 0], [0, 1, 0]], [[1, 0, 0], [0, 1, 1]]),
    "authority_distribution": lambda: pq.authority_distribution(CORPUS),
    "krippendorff_alpha": lambda: rel.krippendorff_alpha(CODES),
    "cohen_kappa": lambda: rel.cohen_kappa(*CODES),
    "fleiss_kappa": lambda: rel.fleiss_kappa(COMPLETE_CODES),
    "gwet_ac1": lambda: rel.gwet_ac1(CODES),
    "percent_agreement": lambda: rel.percent_agreement(CODES),
    "agreement_report": lambda: rel.agreement_report(
        {"A": CORPUS, "B": CORPUS.subset(CORPUS.documents["doc_id"])}
    ),
    "pmc_score_zh": lambda: PMC.score(PMC_FRAME, language="zh"),
    "pmc_surface": lambda: PMC.surface(PMC_FRAME.loc["P1"]),
    "pmc_bands": lambda: PMC.bands,
    "codebook": lambda: CORPUS.framework.codebook(),
}

_BUILT: dict[str, Any] = {}


def built(name: str) -> Any:
    if name not in _BUILT:
        _BUILT[name] = TABLES[name]()
    return _BUILT[name]


def frame_of(obj: Any) -> tuple[pd.DataFrame, int]:
    """The DataFrame a table export shows, and its decimals, worked out without policyquant's exporter."""
    if isinstance(obj, TableResult):
        return obj.to_frame(), obj.decimals
    if isinstance(obj, pd.Series):
        return obj.to_frame(), 2
    if isinstance(obj, pd.DataFrame):
        return obj, 2
    if isinstance(obj, dict):
        return pd.Series(obj, dtype=object, name="value").to_frame(), 2
    return obj.to_frame(), 2


def formatted(value: Any, decimals: int) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float | np.floating):
        return f"{value:.{decimals}f}"
    return str(value)


def same_cell(read: Any, original: Any, rtol: float = 0.0) -> bool:
    """A value read back equals the original: numbers within ``rtol``, others as text.

    An empty text and a missing value read back alike: CSV and XLSX cannot tell them apart.
    """
    missing = original is None or original is pd.NA or (isinstance(original, float) and math.isnan(original))
    if missing or original == "":
        return read is None or read == "" or (isinstance(read, float) and math.isnan(read))
    if isinstance(original, bool | np.bool_):
        return str(read) == str(bool(original))
    if isinstance(original, int | np.integer):
        return int(read) == int(original)
    if isinstance(original, float | np.floating):
        return math.isclose(float(read), float(original), rel_tol=rtol, abs_tol=0.0) or float(read) == float(
            original
        )
    return str(read) == str(original)


#: openpyxl writes floats with 16 significant digits (Excel itself keeps 15).
XLSX_RTOL = 1e-15


def cells(frame: pd.DataFrame) -> list[list[Any]]:
    return [list(row) for row in frame.astype(object).itertuples(index=False, name=None)]


def test_every_result_kind_is_covered():
    # Every table-shaped kind the analyses return is in TABLES: TableResult subclasses
    # (the similarity of two portfolios also a mapping), DataFrames, a Series, and an object
    # with to_frame().
    kinds = {type(built(name)).__name__ for name in TABLES}
    expected = {
        "CrosstabResult",
        "FitResult",
        "IssuerNetwork",
        "DataFrame",
        "Series",
        "EfficacySummaryResult",
        "TrendsResult",
        "PortfolioMeasuresResult",
        "PortfolioSimilarityResult",
        "AlphaResult",
        "CohenKappaResult",
        "FleissKappaResult",
        "AgreementResult",
        "AgreementReport",
        "PMCBands",
    }
    assert expected <= kinds


@pytest.mark.parametrize("name", list(TABLES))
def test_csv_reads_back_to_the_same_values(name, tmp_path):
    obj = built(name)
    frame, _ = frame_of(obj)
    path = export(obj, tmp_path / f"{name}.csv")
    assert path == tmp_path / f"{name}.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so that Excel shows Chinese"
    back = pd.read_csv(
        path,
        encoding="utf-8-sig",
        header=list(range(frame.columns.nlevels)),
        index_col=list(range(frame.index.nlevels)),
        keep_default_na=False,
    )
    assert back.shape == frame.shape
    for read_row, row in zip(cells(back), cells(frame), strict=True):
        for read, original in zip(read_row, row, strict=True):
            assert same_cell(read, original), (read, original)
    last_level = [str(c[-1]) if isinstance(c, tuple) else str(c) for c in frame.columns]
    back_last = [str(c[-1]) if isinstance(c, tuple) else str(c) for c in back.columns]
    assert back_last == last_level
    labels = [str(i[-1]) if isinstance(i, tuple) else str(i) for i in frame.index]
    back_labels = [str(i[-1]) if isinstance(i, tuple) else str(i) for i in back.index]
    assert back_labels == labels


def xlsx_rows(path: Path, sheet: str | None = None) -> tuple[Any, list[tuple[Any, ...]]]:
    workbook = openpyxl.load_workbook(path)
    worksheet = workbook[sheet] if sheet else workbook.active
    return worksheet, list(worksheet.iter_rows(values_only=True))


@pytest.mark.parametrize("name", list(TABLES))
def test_xlsx_holds_numbers_as_numbers_under_bold_headers(name, tmp_path):
    obj = built(name)
    frame, decimals = frame_of(obj)
    path = export(obj, tmp_path / f"{name}.xlsx")
    sheet, rows = xlsx_rows(path)
    n_header, n_index = frame.columns.nlevels, frame.index.nlevels
    assert len(rows) == n_header + len(frame)
    header = rows[n_header - 1]
    last_level = [c[-1] if isinstance(c, tuple) else c for c in frame.columns]
    assert [str(h) for h in header[n_index:]] == [str(c) for c in last_level]
    assert all(cell.font.bold for cell in sheet[n_header] if cell.value is not None)
    body = [row[n_index:] for row in rows[n_header:]]
    for read_row, row in zip(body, cells(frame), strict=True):
        for read, original in zip(read_row, row, strict=True):
            assert same_cell(read, original, XLSX_RTOL), (read, original)
            number = isinstance(original, int | np.integer | float | np.floating) and not isinstance(
                original, bool
            )
            if number and not (isinstance(original, float) and math.isnan(original)):
                assert isinstance(read, int | float), f"{read!r} stored as text"
    labels = [row[n_index - 1] for row in rows[n_header:]]
    expected_labels = [i[-1] if isinstance(i, tuple) else i for i in frame.index]
    assert [formatted(v, decimals) for v in labels] == [formatted(v, decimals) for v in expected_labels]
    float_formats = {
        cell.number_format
        for row in sheet.iter_rows(min_row=n_header + 1, min_col=n_index + 1)
        for cell in row
        if isinstance(cell.value, float)
    }
    assert float_formats <= {"0." + "0" * decimals if decimals else "0"}


def test_xlsx_merges_column_groups_and_reads_back_with_pandas(tmp_path):
    table = built("crosstab")
    path = export(table, tmp_path / "table4.xlsx")
    sheet, rows = xlsx_rows(path)
    merged = sorted(str(r) for r in sheet.merged_cells.ranges)
    assert merged == ["C1:D1", "E1:F1", "G1:H1", "I1:J1", "K1:L1"]
    assert rows[0][2] == "Statutory Rights Protection" and rows[0][3] is None
    assert rows[1][:4] == ("group", "instrument", "count", "share")
    assert sheet.freeze_panes == "C3"
    back = pd.read_excel(path, header=[0, 1], index_col=[0, 1])
    frame = table.to_frame()
    np.testing.assert_allclose(
        back.to_numpy(dtype=float), frame.to_numpy(dtype=float), rtol=XLSX_RTOL, atol=0
    )
    assert list(back.columns) == list(frame.columns)


def test_xlsx_without_merged_headers_flattens_the_columns(tmp_path):
    path = built("crosstab").save(tmp_path / "flat.xlsx", merge_headers=False, sheet_name="表4")
    sheet, rows = xlsx_rows(path, "表4")
    assert not sheet.merged_cells.ranges
    assert rows[0][2:4] == ("Statutory Rights Protection count", "Statutory Rights Protection share")


def test_xlsx_decimals_sheet_name_and_chinese(tmp_path):
    frame = pd.DataFrame(
        {"数量": [3, 4], "均值": [1.23456, 2.5]}, index=pd.Index(["标准规范", "基础设施"], name="政策工具")
    )
    path = FrameResult(frame, decimals=3).to_excel(tmp_path / "表.xlsx", sheet_name="政策工具表")
    sheet, rows = xlsx_rows(path, "政策工具表")
    assert rows == [("政策工具", "数量", "均值"), ("标准规范", 3, 1.23456), ("基础设施", 4, 2.5)]
    assert sheet["C2"].number_format == "0.000"
    assert sheet["B2"].number_format == "General"
    path = FrameResult(frame).to_excel(tmp_path / "zero.xlsx", decimals=0, index=False)
    sheet, rows = xlsx_rows(path)
    assert rows[0] == ("数量", "均值") and sheet["B2"].number_format == "0"


def test_xlsx_add_sheets_to_one_workbook(tmp_path):
    path = tmp_path / "paper.xlsx"
    built("crosstab").to_excel(path, sheet_name="Table 4")
    built("fit").to_excel(path, sheet_name="Residuals", mode="a")
    FrameResult(pd.DataFrame({"x": [1]})).to_excel(path, sheet_name="Table 4", mode="a")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Table 4", "Residuals"]
    assert [row for row in workbook["Table 4"].iter_rows(values_only=True)] == [(None, "x"), (0, 1)]
    with pytest.raises(ValidationError, match="mode must be"):
        built("fit").to_excel(path, mode="x")
    (tmp_path / "broken.xlsx").write_text("not a workbook")
    with pytest.raises(pq.ReadError, match=r"broken\.xlsx"):
        built("fit").to_excel(tmp_path / "broken.xlsx", mode="a")


def test_xlsx_reports_every_cell_it_cannot_hold(tmp_path):
    frame = pd.DataFrame({"text": ["fine", "bell\x07", "ok"], "n": [1, 2, 3]}, index=["a", "b\x01", "c"])
    with pytest.raises(ValidationError, match="cannot write the table to Excel") as caught:
        export(frame, tmp_path / "bad.xlsx")
    problems = caught.value.problems
    assert sorted(problems["value"].tolist()) == ["b\x01", "bell\x07"]
    assert set(problems["problem"].str.contains("control character")) == {True}
    assert not (tmp_path / "bad.xlsx").exists()
    with pytest.raises(ValidationError, match="largest number") as caught:
        export(pd.DataFrame({"x": [1.0, 1.7e308]}), tmp_path / "big.xlsx")
    # The sheet's row (the header is row 1), as every Excel writer names a cell; the label is in the text.
    assert caught.value.problems[["row", "column"]].to_numpy().tolist() == [[3, "x"]]
    assert "(cell B3, row '1')" in caught.value.problems.loc[0, "problem"]
    for bad in ("", "a" * 32, "a/b", "[x]"):
        with pytest.raises(ValidationError, match="sheet"):
            export(frame.iloc[[0]], tmp_path / "bad.xlsx", sheet_name=bad)


def markdown_cells(text: str) -> list[list[str]]:
    lines = text.splitlines()
    assert re.fullmatch(r"\|(-+\|)+", lines[1]), lines[1]
    rows = []
    for line in [lines[0], *lines[2:]]:
        parts = re.split(r"(?<!\\)\|", line)[1:-1]
        rows.append([p.strip() for p in parts])
    return rows


@pytest.mark.parametrize("name", list(TABLES))
def test_markdown_holds_every_formatted_cell(name, tmp_path):
    obj = built(name)
    frame, decimals = frame_of(obj)
    path = export(obj, tmp_path / f"{name}.md")
    rows = markdown_cells(path.read_text(encoding="utf-8"))
    assert len(rows) == 1 + len(frame)
    body = [row[1:] for row in rows[1:]]
    assert body == [[formatted(v, decimals) for v in row] for row in cells(frame)]


def latex_escape(text: str) -> str:
    replacements = {
        "\\": r"\textbackslash ",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "{": r"\{",
        "}": r"\}",
        "~": r"\textasciitilde ",
        "^": r"\textasciicircum ",
    }
    return "".join(replacements.get(c, c) for c in text)


@pytest.mark.parametrize("name", list(TABLES))
def test_latex_has_booktabs_rules_and_every_formatted_cell(name, tmp_path):
    obj = built(name)
    frame, decimals = frame_of(obj)
    path = export(obj, tmp_path / f"{name}.tex", caption=f"{name} results", label=f"tab:{name}")
    text = path.read_text(encoding="utf-8")
    for command in (r"\toprule", r"\midrule", r"\bottomrule", r"\begin{table}"):
        assert command in text
    assert f"\\caption{{{name} results}}" in text and f"\\label{{tab:{name}}}" in text
    body = text.split("\\midrule\n", 1)[1].split("\\bottomrule", 1)[0].splitlines()
    assert len(body) == len(frame)
    n = frame.shape[1]
    for line, row in zip(body, cells(frame), strict=True):
        parts = [p.strip() for p in line.removesuffix("\\\\").strip().split(" & ")]
        assert parts[-n:] == [latex_escape(formatted(v, decimals)) for v in row]


@pytest.mark.parametrize("name", list(TABLES))
def test_html_parses_and_holds_every_cell(name, tmp_path):
    obj = built(name)
    frame, decimals = frame_of(obj)
    path = export(obj, tmp_path / f"{name}.html", caption="结果 <1>")
    text = path.read_text(encoding="utf-8")
    root = ET.fromstring(text)
    assert root.tag == "table"
    assert root.find("caption").text == "结果 <1>"
    assert not re.search(r"<(script|link|style|img)\b|https?://", text)
    rows = root.find("tbody").findall("tr")
    assert len(rows) == len(frame)
    for tr, row in zip(rows, cells(frame), strict=True):
        assert [td.text or "" for td in tr.findall("td")] == [formatted(v, decimals) for v in row]
    last_header = root.find("thead").findall("tr")[-1]
    last_level = [c[-1] if isinstance(c, tuple) else c for c in frame.columns]
    labels = [th.text or "" for th in last_header.findall("th")]
    assert labels[-len(last_level) :] == [formatted(c, decimals) for c in last_level]


def test_html_spans_groups_of_rows_and_columns():
    root = ET.fromstring(built("crosstab").to_html())
    first = root.find("thead").find("tr").findall("th")
    assert first[0].get("colspan") == "2"
    assert [(th.text, th.get("colspan")) for th in first[1:3]] == [
        ("Statutory Rights Protection", "2"),
        ("Public Safety and Interests", "2"),
    ]
    body = root.find("tbody").findall("tr")
    assert (body[0].find("th").text, body[0].find("th").get("rowspan")) == ("Mandatory", "6")
    assert len(body[1].findall("th")) == 1, "a spanned group label is written once"
    assert root.find("caption") is None


def test_escaping_of_labels_in_every_text_format():
    frame = pd.DataFrame(
        {"share_%": [12.5], "a|b": [1], "<b>": ["x & y"]},
        index=pd.Index(["R&D #1"], name="pipe|name"),
    )
    result = FrameResult(frame)
    latex = result.to_latex()
    assert r"share\_\%" in latex and r"R\&D \#1" in latex and r"x \& y" in latex
    assert r"a|b" in latex
    assert "share_%" in result.to_latex(escape=False)
    markdown = result.to_markdown()
    assert r"a\|b" in markdown and r"pipe\|name" in markdown
    assert len(markdown_cells(markdown)[0]) == 4
    html_text = result.to_html()
    assert "&lt;b&gt;" in html_text and "x &amp; y" in html_text and "R&amp;D #1" in html_text
    assert "<b>" not in html_text
    assert ET.fromstring(result.to_html(index=False)).find("tbody/tr/th") is None


def test_existing_text_exports_keep_their_behaviour():
    result = FrameResult(pd.DataFrame({"count": [3], "mean": [1.5]}, index=["a"]))
    assert (
        result.to_markdown()
        == "|    |   count |   mean |\n|----|---------|--------|\n| a  |       3 |   1.50 |"
    )
    assert result.to_csv() == ",count,mean\na,3,1.5\n"
    assert result.to_latex(decimals=1).splitlines()[4] == "a & 3 & 1.5 \\\\"
    assert "<table" in result._repr_html_()
    with pytest.raises(ValidationError, match="decimals"):
        result.to_markdown(decimals=-1)


def test_save_dispatches_on_the_suffix_and_format_overrides_it(tmp_path):
    result = built("efficacy_summary")
    frame = pq.efficacy_summary(CORPUS, by="objective").to_frame()
    written = {
        suffix: result_path
        for suffix in ("csv", "xlsx", "md", "tex", "html", "htm", "markdown")
        for result_path in [FrameResult(frame).save(tmp_path / "nested" / f"t.{suffix}")]
    }
    assert all(path.exists() for path in written.values())
    assert written["md"].read_text(encoding="utf-8") == FrameResult(frame).to_markdown() + "\n"
    assert written["htm"].read_text(encoding="utf-8").startswith("<table>")
    path = export(result, tmp_path / "summary.txt", format="latex")
    assert path.name == "summary.txt" and r"\toprule" in path.read_text(encoding="utf-8")
    path = export(result, tmp_path / "summary.data", format="EXCEL")
    with path.open("rb") as file:
        assert openpyxl.load_workbook(file).active["B1"].value == "count"


def test_series_dict_and_to_frame_objects_are_tables(tmp_path):
    scores = built("efficacy_scores")
    back = pd.read_csv(export(scores, tmp_path / "ape.csv"), index_col=0, encoding="utf-8-sig")
    assert back["APE"].tolist() == scores.tolist()
    rows = xlsx_rows(export(built("portfolio_similarity"), tmp_path / "similarity.xlsx"))[1]
    assert rows[0] == ("measure", "value") and ("hamming", 2) in rows and ("jaccard", 0.5) in rows
    bands = export(built("pmc_bands"), tmp_path / "bands.md").read_text(encoding="utf-8")
    assert "Excellent" in bands


# -- Figures --------------------------------------------------------------------------------

FIGURES: dict[str, Callable[..., Any]] = {
    "crosstab_heatmap": lambda **kw: plotting.crosstab_heatmap(CORPUS, **kw),
    "family_objective_bars": lambda **kw: plotting.family_objective_bars(CORPUS, **kw),
    "efficacy_bars": lambda **kw: plotting.efficacy_bars(CORPUS, **kw),
    "issuer_network_plot": lambda **kw: plotting.issuer_network_plot(CORPUS, admin_level="national", **kw),
    "authority_plot": lambda **kw: plotting.authority_plot(CORPUS, **kw),
    "trend_plot": lambda **kw: plotting.trend_plot(CORPUS, by="family", **kw),
    "selection_flow": lambda **kw: plotting.selection_flow(
        pq.documents.select(CORPUS.documents.assign(text=CORPUS.documents["title"]), "AI OR artificial"), **kw
    ),
    "portfolio_tiles": lambda **kw: plotting.portfolio_tiles(CORPUS.subset(["N10"]), **kw),
    "cooccurrence_network": lambda **kw: plotting.cooccurrence_network(
        pq.text.cooccurrence(pq.text.tokenize(CORPUS), top=12), **kw
    ),
    "pmc_surface_plot": lambda **kw: pmc_surface_plot(PMC_FRAME.loc["P1"], **kw),
    "pmc_radar": lambda **kw: pmc_radar(PMC_FRAME, **kw),
}

MAGIC = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "pdf": (b"%PDF-",),
    "eps": (b"%!PS-Adobe",),
    "tiff": (b"II*\x00", b"MM\x00*"),
}


def test_every_figure_function_is_covered():
    assert set(plotting.__all__) - set(FIGURES) == {"FontWarning", "cjk_font", "font_context"}


@pytest.mark.parametrize("fmt", FIGURE_FORMATS)
@pytest.mark.parametrize("name", list(FIGURES))
def test_every_figure_in_every_format(name, fmt, tmp_path):
    fig = FIGURES[name](language="zh")
    path = export(fig, tmp_path / f"{name}.{fmt}", dpi=80)
    data = path.read_bytes()
    assert len(data) > 5000
    if fmt == "svg":
        root = ET.fromstring(data)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        texts = "".join(el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}text"))
        assert plotting._has_cjk(texts), "Chinese text stays text in the SVG"
    else:
        assert data.startswith(MAGIC[fmt])
    if fmt == "pdf":
        assert b"/FontFile2" in data, "TrueType (Type 42) fonts embedded"
        assert b"/Type3" not in data


def test_png_resolution_follows_dpi(tmp_path):
    from PIL import Image

    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([1, 2, 3])
    small = Image.open(export(fig, tmp_path / "small.png", dpi=50, bbox_inches=None))
    large = Image.open(export(fig, tmp_path / "large.png", bbox_inches=None))
    assert small.size == (200, 150)
    assert large.size == (1200, 900), "300 dpi by default"
    assert round(large.info["dpi"][0]) == 300
    tiff = Image.open(export(fig, tmp_path / "large.tif", dpi=100, bbox_inches=None))
    assert tiff.size == (400, 300)


@pytest.fixture
def needs_cjk_font():
    if plotting.cjk_font() is None:
        pytest.skip("no CJK font installed")
    return plotting.cjk_font()


def test_chinese_figure_embeds_the_cjk_font(needs_cjk_font, tmp_path):
    fig = plotting.crosstab_heatmap(CORPUS, language="zh")
    pdf = export(fig, tmp_path / "heatmap.pdf").read_bytes()
    assert needs_cjk_font.replace(" ", "").encode() in pdf.replace(b" ", b"")
    eps = export(fig, tmp_path / "heatmap.eps").read_bytes()
    assert needs_cjk_font.replace(" ", "").encode() in eps.replace(b" ", b"")


def test_svg_as_paths_draws_chinese_glyphs_as_outlines(needs_cjk_font, tmp_path):
    fig = plotting.efficacy_bars(CORPUS, language="zh")
    text = export(fig, tmp_path / "bars.svg", svg_text="path").read_text(encoding="utf-8")
    root = ET.fromstring(text)
    assert not list(root.iter("{http://www.w3.org/2000/svg}text"))
    glyphs = [
        p
        for p in root.iter("{http://www.w3.org/2000/svg}path")
        if "WenQuanYi" in (p.get("id") or "")
        or "CJK" in (p.get("id") or "")
        or needs_cjk_font.replace(" ", "") in (p.get("id") or "")
    ]
    assert glyphs, "the CJK font's glyphs are in the file as paths"


def test_chinese_text_drawn_without_a_cjk_font_gets_one_and_the_figure_is_left_as_it_was(
    needs_cjk_font, tmp_path
):
    fig, ax = plt.subplots()
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        title = ax.set_title("政策工具 policy")
        label = ax.set_xlabel("year")
    before = title.get_fontfamily(), label.get_fontfamily()
    pdf = export(fig, tmp_path / "own.pdf").read_bytes()
    assert needs_cjk_font.replace(" ", "").encode() in pdf.replace(b" ", b"")
    assert (title.get_fontfamily(), label.get_fontfamily()) == before
    export(fig, tmp_path / "own.svg", font=needs_cjk_font)
    assert title.get_fontfamily() == before[0]


def test_figure_files_are_reproducible(tmp_path):
    fig = plotting.trend_plot(CORPUS)
    for fmt in ("pdf", "svg", "png"):
        first = export(fig, tmp_path / f"a.{fmt}").read_bytes()
        second = export(fig, tmp_path / f"b.{fmt}").read_bytes()
        assert first == second, fmt


def test_axes_and_arrays_of_axes_export_their_figure(tmp_path):
    _fig, axes = plt.subplots(1, 2)
    axes[0].plot([1, 2])
    assert export(axes[1], tmp_path / "ax.png").read_bytes().startswith(MAGIC["png"][0])
    assert export(axes, tmp_path / "axes.pdf").read_bytes().startswith(b"%PDF-")
    surface = pmc_surface_plot(PMC_FRAME.loc["P1"])
    assert export(surface.axes[0], tmp_path / "surface.svg").stat().st_size > 5000
    _other, other_ax = plt.subplots()
    with pytest.raises(ValidationError, match="not a table or a figure"):
        export([axes[0], other_ax], tmp_path / "mixed.png")


# -- Bad inputs ---------------------------------------------------------------------------------


def test_unknown_format_names_the_formats_and_the_closest(tmp_path):
    with pytest.raises(ValidationError, match="cannot write a table as 'xls'") as caught:
        export(built("crosstab"), tmp_path / "table.xls")
    problem = caught.value.problems.iloc[0]
    assert problem["suggestions"] == "xlsx"
    assert problem["expected"] == ", ".join(TABLE_FORMATS)
    assert problem["file"] == str(tmp_path / "table.xls")
    with pytest.raises(ValidationError, match="did you mean png"):
        export(plotting.trend_plot(CORPUS), tmp_path / "figure.jpg")
    with pytest.raises(ValidationError, match="no suffix"):
        export(built("fit"), tmp_path / "table")
    with pytest.raises(ValidationError, match="cannot write a table as 'odt'"):
        built("fit").save(tmp_path / "table.csv", format="odt")
    with pytest.raises(ValidationError, match="format must be a string"):
        export(built("fit"), tmp_path / "table.csv", format=3)
    assert not list(tmp_path.iterdir())


def test_a_table_cannot_be_a_picture_nor_a_figure_a_spreadsheet(tmp_path):
    with pytest.raises(ValidationError, match="figure format; a table exports to csv, xlsx, md, tex, html, docx"):
        export(built("crosstab"), tmp_path / "table.png")
    with pytest.raises(ValidationError, match="table format; a figure exports to png, svg, pdf, eps, tiff"):
        export(plotting.efficacy_bars(CORPUS), tmp_path / "figure.csv")
    with pytest.raises(ValidationError, match="table format"):
        export(plotting.efficacy_bars(CORPUS), tmp_path / "figure.xlsx", format="xlsx")


@pytest.mark.parametrize("obj", [42, "table", None, object(), [1, 2], {"nested": [1, 2]}, {}])
def test_objects_that_are_neither_table_nor_figure(obj, tmp_path):
    with pytest.raises(ValidationError, match="not a table or a figure"):
        export(obj, tmp_path / "out.csv")


def test_a_corpus_points_to_its_own_writers(tmp_path):
    with pytest.raises(ValidationError, match=r"Corpus\.to_csv"):
        export(CORPUS, tmp_path / "corpus.csv")


def test_unknown_and_bad_options(tmp_path):
    with pytest.raises(ValidationError, match="md export does not take the option 'caption'") as caught:
        export(built("fit"), tmp_path / "t.md", caption="x")
    assert "decimals" in caught.value.problems.loc[0, "expected"]
    with pytest.raises(ValidationError, match="did you mean decimals"):
        export(built("fit"), tmp_path / "t.html", decimal=3)
    with pytest.raises(ValidationError, match="csv export does not take the option 'caption'"):
        export(built("fit"), tmp_path / "t.csv", caption="x")
    fig = plotting.trend_plot(CORPUS)
    with pytest.raises(ValidationError, match="did you mean dpi"):
        export(fig, tmp_path / "f.png", dip=300)
    for dpi in (0, -10, "high", True):
        with pytest.raises(ValidationError, match="dpi must be a positive number"):
            export(fig, tmp_path / "f.png", dpi=dpi)
    with pytest.raises(ValidationError, match="svg_text"):
        export(fig, tmp_path / "f.svg", svg_text="outline")
    assert not list(tmp_path.iterdir())


def test_unwritable_destination_is_a_clear_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    fig = plotting.trend_plot(CORPUS)
    for obj, name in (
        (built("fit"), "t.csv"),
        (built("fit"), "t.xlsx"),
        (built("fit"), "t.tex"),
        (fig, "f.pdf"),
    ):
        with pytest.raises(ValidationError, match="cannot write the file") as caught:
            export(obj, blocker / "inside" / name)
        assert caught.value.path == blocker / "inside" / name
    if os.name == "posix" and os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        try:
            with pytest.raises(ValidationError, match=r"(?i)permission denied"):
                export(built("fit"), locked / "t.md")
            with pytest.raises(ValidationError, match=r"(?i)permission denied"):
                export(fig, locked / "f.png")
        finally:
            locked.chmod(0o700)


# -- export_all ------------------------------------------------------------------------------------


def test_export_all_writes_a_papers_tables_and_figures(tmp_path):
    paper = {
        "table4": built("crosstab"),
        "表5": pq.efficacy_summary(CORPUS, by="objective"),
        "figure1": plotting.crosstab_heatmap(CORPUS, language="zh"),
    }
    written = export_all(paper, tmp_path / "paper")
    assert {name: [p.name for p in paths] for name, paths in written.items()} == {
        "table4": [f"table4.{f}" for f in TABLE_FORMATS if f != "docx"],
        "表5": [f"表5.{f}" for f in TABLE_FORMATS if f != "docx"],
        "figure1": ["figure1.png", "figure1.svg", "figure1.pdf"],
    }
    assert all(path.stat().st_size > 100 for paths in written.values() for path in paths)
    written = export_all(
        paper,
        tmp_path / "chosen",
        formats=[".XLSX", "pdf", "tex"],
        table_options={"decimals": 1},
        figure_options={"dpi": 72},
    )
    assert [p.suffix for p in written["table4"]] == [".xlsx", ".tex"]
    rounded = export_all(
        {"t": built("fit")}, tmp_path / "rounded", formats=["csv", "md"], table_options={"decimals": 1}
    )
    first = built("fit").residuals.iloc[0]
    expected = ",".join([str(first.name), *(f"{v:.1f}" for v in first)])
    assert rounded["t"][0].read_text(encoding="utf-8-sig").splitlines()[1] == expected
    assert [p.suffix for p in written["figure1"]] == [".pdf"]
    assert "41.1 " in (tmp_path / "chosen" / "table4.tex").read_text(encoding="utf-8")
    assert export_all({}, tmp_path / "empty") == {}


def test_export_all_checks_everything_before_writing_anything(tmp_path):
    paper = {
        "table4": built("crosstab"),
        "../escape": built("fit"),
        "": built("fit"),
        "weird": 42,
        "figure1": plotting.trend_plot(CORPUS),
    }
    with pytest.raises(ValidationError) as caught:
        export_all(paper, tmp_path / "out", formats=["xlsx", "jpeg"])
    problems = caught.value.problems
    assert problems["value"].tolist()[0] == "jpeg"
    assert problems["row"].tolist()[1:] == ["../escape", "", "weird", "figure1"]
    assert "a figure exports to none of the formats" in problems["problem"].iloc[-1]
    assert not (tmp_path / "out").exists()


# -- Round trips ----------------------------------------------------------------------------------

TEXT = st.text(
    alphabet=st.sampled_from("abcxyzABC 019_-.,;:'\"()&%#|<>/政策工具目标规范标准基础设施"),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() == s and s.strip())
LABELS = TEXT.filter(lambda s: not s.startswith("Unnamed") and s.lower() not in ("nan", "na", "null", "none"))


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    n_rows = draw(st.integers(1, 8))
    names = draw(st.lists(LABELS, min_size=1, max_size=5, unique=True))
    columns = {}
    for name in names:
        kind = draw(st.sampled_from(["int", "float", "text"]))
        if kind == "int":
            values = draw(st.lists(st.integers(-(10**12), 10**12), min_size=n_rows, max_size=n_rows))
            columns[name] = pd.Series(values, dtype="int64")
        elif kind == "float":
            values = draw(
                st.lists(
                    st.floats(-1e300, 1e300, allow_nan=False, allow_infinity=False).map(lambda v: v + 0.0),
                    min_size=n_rows,
                    max_size=n_rows,
                )
            )
            columns[name] = pd.Series(values, dtype="float64")
        else:
            columns[name] = pd.Series(draw(st.lists(TEXT, min_size=n_rows, max_size=n_rows)), dtype=object)
    index = draw(st.lists(LABELS, min_size=n_rows, max_size=n_rows, unique=True))
    frame = pd.DataFrame(columns)
    frame.index = pd.Index(index, name=draw(st.none() | LABELS.filter(lambda s: s not in names)))
    return frame


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frame=frames())
@example(frame=pd.DataFrame({"01": ["007"], "1.50": [1.5]}, index=pd.Index(["02"], name="编号")))
def test_any_frame_round_trips_through_csv_and_xlsx(frame, tmp_path):
    # CSV holds no types: read every cell as text, then give each column its original type.
    csv = pd.read_csv(
        export(frame, tmp_path / "t.csv"), encoding="utf-8-sig", keep_default_na=False, dtype=str
    )
    csv = csv.set_index(csv.columns[0]).rename_axis(frame.index.name)
    csv = csv.astype({c: frame[c].dtype for c in frame.columns})
    csv.index = csv.index.astype(object)
    pd.testing.assert_frame_equal(csv, frame, check_index_type=False)
    # dtype=object keeps each cell's own type (pandas would otherwise turn the text "02" into 2).
    xlsx = pd.read_excel(export(frame, tmp_path / "t.xlsx"), keep_default_na=False, dtype=object)
    xlsx = xlsx.set_index(xlsx.columns[0]).rename_axis(frame.index.name)
    assert [type(v) for v in xlsx.index] == [str] * len(frame), "labels stay text"
    for column in frame.columns:
        kind = (int, float) if pd.api.types.is_numeric_dtype(frame[column].dtype) else str
        assert all(isinstance(v, kind) for v in xlsx[column]), "numbers stay numbers, text stays text"
    xlsx = xlsx.astype({c: frame[c].dtype for c in frame.columns})
    pd.testing.assert_frame_equal(
        xlsx, frame, check_index_type=False, check_exact=False, rtol=XLSX_RTOL, atol=0
    )


@settings(max_examples=40, deadline=None)
@given(frame=frames())
def test_any_frame_shows_every_cell_in_html_and_markdown(frame):
    result = FrameResult(frame)
    root = ET.fromstring(result.to_html())
    assert [[td.text or "" for td in tr.findall("td")] for tr in root.find("tbody").findall("tr")] == [
        [formatted(v, 2) for v in row] for row in cells(frame)
    ]
    rows = markdown_cells(result.to_markdown())
    assert [[c.replace("\\|", "|") for c in row[1:]] for row in rows[1:]] == [
        [formatted(v, 2) for v in row] for row in cells(frame)
    ]
