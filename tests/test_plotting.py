"""Tests of the figures (``policyquant.plotting``).

Every figure is drawn for the bundled corpus in English and in Chinese and saved as a PNG;
the tests check the texts on the figure (tick labels, legends, titles), the fonts Chinese text
is drawn with, the missing-font warning, and the errors for bad arguments.
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import policyquant as pq
from policyquant import _fonts, plotting
from policyquant.plotting import FontWarning

CORPUS = pq.datasets.load_genai_china()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _tidy_portfolio(corpus: pq.Corpus) -> pd.DataFrame:
    """One document's instrument x objective portfolio as a tidy presence table."""
    counts = pq.crosstab(corpus).counts
    tidy = (
        counts.gt(0)
        .astype(int)
        .reset_index()
        .melt(id_vars="instrument", var_name="Target", value_name="covered")
    )
    return tidy.rename(columns={"instrument": "Instrument"})


# (name, draw(language), texts expected in English, texts expected in Chinese)
FIGURES: list[tuple[str, Callable[..., object], list[str], list[str]]] = [
    (
        "crosstab_heatmap",
        lambda **kw: plotting.crosstab_heatmap(CORPUS, **kw),
        ["Standards and Norms", "Statutory Rights Protection", "Mandatory", "Codings"],
        ["标准规范", "法定权益保护", "强制型", "编码数"],
    ),
    (
        "family_objective_bars",
        lambda **kw: plotting.family_objective_bars(CORPUS, values="shares", **kw),
        ["Mandatory", "Instrument family", "Public Safety and Interests"],
        ["强制型", "工具类型", "公共安全与利益"],
    ),
    (
        "efficacy_bars",
        lambda **kw: plotting.efficacy_bars(CORPUS, **kw),
        ["Infrastructure", "n = 132", "Mean policy efficacy by policy instrument"],
        ["基础设施", "n = 132", "各政策工具的平均政策效力"],
    ),
    (
        "issuer_network_plot",
        lambda **kw: plotting.issuer_network_plot(CORPUS, admin_level="national", **kw),
        ["CAC", "MIIT", "State Council"],
        ["国家网信办", "工信部", "国务院", "国家级发文机构联合发文网络"],
    ),
    (
        "authority_plot",
        lambda **kw: plotting.authority_plot(CORPUS, **kw),
        ["Beijing", "Authority strength", "1 Departmental or provincial working documents"],
        ["北京", "发文权威", "1 部门或省级工作文件", "文件数"],
    ),
    (
        "trend_plot",
        lambda **kw: plotting.trend_plot(CORPUS, by="family", **kw),
        ["2017", "Mixed", "Documents", "Year"],
        ["2017", "混合型", "文件数", "年份"],
    ),
    (
        "portfolio_tiles",
        lambda **kw: plotting.portfolio_tiles(CORPUS.subset(["N10"]), **kw),
        [
            "Standards and Norms",
            "Policy portfolio",
            "Space: 64; Size: 0.22; Instruments: 7 (44%); Targets: 4 (100%)",
        ],
        ["标准规范", "政策组合", "空间：64；规模：0.22；工具：7（44%）；目标：4（100%）"],
    ),
]


def _texts(fig) -> list[str]:
    """Every text drawn on the figure (titles, labels, tick labels, legends, annotations), unwrapped."""
    from matplotlib.text import Text

    fig.canvas.draw()
    texts = [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    return [t.replace("\n", "" if plotting._has_cjk(t) else " ") for t in texts]


def _save(fig, path: Path) -> Path:
    fig.savefig(path, dpi=50)
    assert path.stat().st_size > 1000
    return path


@pytest.mark.parametrize(("name", "draw", "english", "chinese"), FIGURES, ids=[f[0] for f in FIGURES])
def test_every_figure_renders_in_english_and_chinese(name, draw, english, chinese, tmp_path):
    fig = draw()
    assert isinstance(fig, matplotlib.figure.Figure)
    texts = _texts(fig)
    for expected in english:
        assert expected in texts, f"{expected!r} not among {texts}"
    assert not any(plotting._has_cjk(t) for t in texts)
    _save(fig, tmp_path / f"{name}-en.png")

    fig = draw(language="zh")
    texts = _texts(fig)
    for expected in chinese:
        assert expected in texts, f"{expected!r} not among {texts}"
    _save(fig, tmp_path / f"{name}-zh.png")


def test_heatmap_tick_labels_and_cells():
    fig = plotting.crosstab_heatmap(CORPUS)
    ax = fig.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows[0] == "Standards and Norms" and len(rows) == 16
    assert [t.get_text() for t in ax.texts][:4] == ["28", "75", "40", "36"]
    zh = plotting.crosstab_heatmap(CORPUS, values="shares", language="zh").axes[0]
    assert zh.get_yticklabels()[0].get_text() == "标准规范"
    assert zh.texts[0].get_text() == "22.6"


def test_heatmap_of_a_crosstab_result_with_other_fields():
    result = pq.crosstab(CORPUS, rows="level", columns="objective")
    ax = plotting.crosstab_heatmap(result, values="row_shares", language="zh").axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["国家级", "省级"]
    assert ax.get_xlabel() == "政策目标"


@pytest.mark.parametrize(
    "draw",
    [
        lambda ax: plotting.crosstab_heatmap(CORPUS, ax=ax, language="zh"),
        lambda ax: plotting.family_objective_bars(CORPUS, ax=ax),
        lambda ax: plotting.efficacy_bars(CORPUS, by="family", ax=ax),
        lambda ax: plotting.issuer_network_plot(CORPUS, ax=ax),
        lambda ax: plotting.authority_plot(CORPUS, ax=ax, values="shares"),
        lambda ax: plotting.trend_plot(CORPUS, measure="efficacy_mean", ax=ax),
        lambda ax: plotting.portfolio_tiles(CORPUS, ax=ax),
    ],
    ids=["heatmap", "family", "efficacy", "network", "authority", "trend", "portfolio"],
)
def test_drawing_on_a_given_axes_returns_its_figure(draw):
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
    assert draw(right) is fig
    assert right.has_data() or right.texts or right.collections
    assert not left.has_data()


def test_chinese_text_uses_the_cjk_font_even_on_a_given_axes():
    name = plotting.cjk_font()
    if name is None:
        pytest.skip("no CJK font installed")
    fig, ax = plt.subplots()  # made outside the font context: default fonts
    plotting.authority_plot(CORPUS, ax=ax, language="zh")
    fig.canvas.draw()
    for text in (ax.get_yticklabels()[0], ax.xaxis.label, ax.title, ax.get_legend().get_title()):
        assert text.get_fontfamily()[0] == name
    # English figures keep matplotlib's fonts.
    english = plotting.authority_plot(CORPUS).axes[0]
    assert english.get_yticklabels()[0].get_fontfamily() == list(matplotlib.rcParams["font.family"])


def test_cjk_labels_in_english_mode_still_get_the_cjk_font():
    name = plotting.cjk_font()
    if name is None:
        pytest.skip("no CJK font installed")
    tidy = pd.DataFrame({"Instrument": ["税收", "税收"], "Target": ["空气", "水"], "covered": [1, 0]})
    ax = plotting.portfolio_tiles(tidy).axes[0]
    assert ax.get_yticklabels()[0].get_fontfamily()[0] == name


def test_cjk_font_finds_an_installed_font():
    name = plotting.cjk_font()
    if name is None:
        pytest.skip("no CJK font installed")
    from matplotlib import font_manager

    assert name in {entry.name for entry in font_manager.fontManager.ttflist}
    assert plotting.cjk_font() is name  # cached


def test_font_argument_forces_the_family(tmp_path):
    name = plotting.cjk_font() or "DejaVu Sans"
    ax = plotting.efficacy_bars(CORPUS, by="objective", font=name).axes[0]
    assert ax.get_yticklabels()[0].get_fontfamily()[0] == name
    with pytest.warns(FontWarning, match="'No Such Font' is not installed"):
        fig = plotting.efficacy_bars(CORPUS, by="objective", font="No Such Font")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # matplotlib's own "font not found" messages
        _save(fig, tmp_path / "fallback.png")


def test_without_a_cjk_font_each_chinese_figure_warns_and_still_renders(monkeypatch, tmp_path):
    monkeypatch.setattr(_fonts, "cjk_font", lambda: None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = plotting.crosstab_heatmap(CORPUS, language="zh")
        second = plotting.authority_plot(CORPUS, language="zh")
        plotting.efficacy_bars(CORPUS)  # English: every character has a glyph, nothing to say
        for i, fig in enumerate((first, second)):
            _save(fig, tmp_path / f"no-font-{i}.png")
    font_warnings = [w for w in caught if issubclass(w.category, FontWarning)]
    assert len(font_warnings) == 2, "one warning per figure that would show boxes"
    message = str(font_warnings[0].message)
    assert "apt-get install fonts-noto-cjk" in message and "font=" in message
    assert plotting._has_cjk(message), "the warning names the characters that show as boxes"
    assert all(w.filename == __file__ for w in font_warnings)  # points at the caller's line
    assert first.axes[0].get_yticklabels()[0].get_text() == "标准规范"


def test_font_context_for_own_code():
    before = list(matplotlib.rcParams["font.family"])
    with plotting.font_context(cjk=False) as family:
        assert family is None
    with plotting.font_context(font="DejaVu Sans", cjk=False) as family:  # Latin text: no CJK glyphs needed
        assert family[0] == "DejaVu Sans"
        assert matplotlib.rcParams["font.family"][0] == "DejaVu Sans"
    assert list(matplotlib.rcParams["font.family"]) == before


def test_network_layout_is_deterministic_and_uses_the_seed():
    def offsets(**kw):
        ax = plotting.issuer_network_plot(CORPUS, **kw).axes[0]
        return ax.collections[-1].get_offsets().copy()

    np.testing.assert_allclose(offsets(), offsets())
    assert not np.allclose(offsets(admin_level="national", seed=1), offsets(admin_level="national", seed=2))


def test_network_labels_abbreviate_provincial_bodies():
    labels = {t.get_text() for t in plotting.issuer_network_plot(CORPUS, admin_level="provincial").axes[0].texts}
    assert {"Shanghai S&T", "Beijing CAC", "Hubei Gov. Office"} <= labels
    zh = {t.get_text() for t in plotting.issuer_network_plot(CORPUS, language="zh").axes[0].texts}
    assert {"上海科委", "北京网信办", "湖北政府办公厅", "国家网信办"} <= zh
    full = {
        t.get_text()
        for t in plotting.issuer_network_plot(
            CORPUS, admin_level="national", abbreviate=False, labels={"State Council": "SC"}
        )
        .axes[0]
        .texts
    }
    assert "Cyberspace Administration of China" in full and "SC" in full


def test_network_from_a_result_and_an_empty_network():
    network = pq.issuer_network(CORPUS, admin_level="national")
    assert "CAC" in {t.get_text() for t in plotting.issuer_network_plot(network).axes[0].texts}
    empty = pq.issuer_network(CORPUS.subset([]))
    ax = plotting.issuer_network_plot(empty).axes[0]
    assert [t.get_text() for t in ax.texts] == ["No issuing bodies"]


def test_trend_plot_from_a_table_and_cumulative_bars():
    table = pq.trends(CORPUS, by="level").to_frame()
    ax = plotting.trend_plot(table, cumulative=True, kind="bar", framework=CORPUS.framework).axes[0]
    tops = {}
    for patch in ax.patches:
        x = round(patch.get_x(), 3)
        tops[x] = max(tops.get(x, 0), patch.get_y() + patch.get_height())
    assert max(tops.values()) == 63
    assert ax.get_ylabel() == "Documents (cumulative)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["National", "Provincial"]
    periods = plotting.trend_plot(
        CORPUS, measure="units", periods={"before 2023": (2017, 2022), "2023 on": (2023, 2025)}
    )
    assert [t.get_text() for t in periods.axes[0].get_xticklabels()] == ["before 2023", "2023 on"]


def test_portfolio_tiles_from_a_tidy_frame():
    tidy = _tidy_portfolio(CORPUS.subset(["N10"]))
    ax = plotting.portfolio_tiles(tidy, framework=CORPUS.framework, language="zh").axes[0]
    assert ax.get_yticklabels()[0].get_text() == "标准规范"
    image = ax.images[0].get_array()
    assert image.shape == (16, 4) and int(image.sum()) == int(tidy["covered"].sum())
    plain = plotting.portfolio_tiles(tidy.assign(Year=2025), subtitle=False, title="N10").axes[0]
    assert plain.get_title() == "N10" and not plain.texts
    assert plain.get_yticklabels()[0].get_text() == "assessment_and_supervision"  # no framework: sorted keys


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: plotting.crosstab_heatmap(CORPUS, values="bogus"),
            "values must be 'counts', 'shares' or 'row_shares', got 'bogus'",
        ),
        (lambda: plotting.crosstab_heatmap(CORPUS, cmap="NoSuchMap"), "cmap must be a matplotlib colormap"),
        (
            lambda: plotting.family_objective_bars(CORPUS, values="percent"),
            "values must be 'counts' or 'shares'",
        ),
        (lambda: plotting.authority_plot(CORPUS, values="bogus"), "values must be 'counts' or 'shares'"),
        (
            lambda: plotting.efficacy_bars(CORPUS, by="bogus"),
            "cannot group by 'bogus': not a field of this corpus",
        ),
        (lambda: plotting.efficacy_bars(CORPUS, by=["family", "level"]), "by must be one field name"),
        (lambda: plotting.trend_plot(CORPUS, measure="bogus"), "measure must be 'documents', 'units'"),
        (lambda: plotting.trend_plot(CORPUS, kind="pie"), "kind must be 'line' or 'bar', got 'pie'"),
        (
            lambda: plotting.trend_plot(CORPUS, measure="efficacy_mean", by="family", kind="bar"),
            "mean efficacies cannot be stacked",
        ),
        (lambda: plotting.trend_plot(pq.trends(CORPUS).to_frame(), by="family"), "the table is not grouped"),
        (lambda: plotting.authority_plot(CORPUS, admin_level="county"), "level must be 'national' or 'provincial'"),
        (
            lambda: plotting.issuer_network_plot(pq.issuer_network(CORPUS), admin_level="national"),
            "level and aliases apply only when a corpus is given",
        ),
        (lambda: plotting.crosstab_heatmap(pd.DataFrame()), "needs a policyquant Corpus or CrosstabResult"),
        (lambda: plotting.crosstab_heatmap(CORPUS, language=3), "unknown language 3; choose one of en, zh"),
        (lambda: plotting.crosstab_heatmap(CORPUS, ax="left"), "ax must be a matplotlib Axes"),
        (
            lambda: plotting.portfolio_tiles(pd.DataFrame({"Instrument": ["a"], "covered": [1]})),
            "lacks the column(s) 'Target'",
        ),
        (
            lambda: plotting.portfolio_tiles(
                pd.DataFrame({"Instrument": ["a"], "Target": ["x"], "covered": [2]})
            ),
            "not 0 or 1",
        ),
        (
            lambda: plotting.portfolio_tiles(
                pd.DataFrame(
                    {"Instrument": ["a", "a"], "Target": ["x", "x"], "covered": [1, 1], "Year": [1, 2]}
                )
            ),
            "the table holds several portfolios: 'Year' vary",
        ),
        (
            lambda: plotting.portfolio_tiles(
                pd.DataFrame({"Instrument": ["a", "a"], "Target": ["x", "x"], "covered": [1, 0]})
            ),
            "given both as covered and as not covered",
        ),
    ],
)
def test_bad_arguments_raise_policyquant_errors(call, message):
    with pytest.raises(pq.ValidationError) as raised:
        call()
    assert message in str(raised.value)
    assert plt.get_fignums() == []  # nothing half-drawn left open


def test_import_policyquant_does_not_import_matplotlib():
    code = (
        "import sys, policyquant, policyquant.plotting; "
        "assert 'matplotlib' not in sys.modules, sorted(m for m in sys.modules if 'matplotlib' in m)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
