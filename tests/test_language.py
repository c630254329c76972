"""One language module: every way of saying a language means the same language everywhere.

``policyquant._language`` resolves ``language=`` for figures, reports, templates, the CLI and
framework labels.  These tests read what each consumer produces (the texts drawn on a
figure, the header row of a template, a report's HTML, the CLI's output) for spellings of
Chinese and English and check that they agree with the plain ``"zh"`` and ``"en"``.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import policyquant as pq
from policyquant import _language, plotting
from policyquant._language import has_cjk, label_lookup, resolve_language
from policyquant.cli import main
from policyquant.frameworks.pmc import pmc_radar, pmc_surface_plot
from policyquant.io.template import TEMPLATE_SHEETS, write_coding_template

CORPUS = pq.datasets.load_genai_china()

CHINESE = ["zh", "zh-CN", "zh-Hans", "zh_CN", "ZH", "zh-hans-cn", " zh-SG ", "中文", "Chinese"]
ENGLISH = [None, "en", "en-US", "EN_gb", "English"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _drawn(fig) -> list[str]:
    """Every non-empty text drawn on the figure, tick labels included, in drawing order."""
    from matplotlib.text import Text

    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


# -- resolve_language --------------------------------------------------------------------


@pytest.mark.parametrize("value", CHINESE)
def test_every_spelling_of_chinese_is_zh(value):
    assert resolve_language(value) == "zh"


@pytest.mark.parametrize("value", ENGLISH)
def test_every_spelling_of_english_is_en_and_none_stays_none(value):
    assert resolve_language(value) == (None if value is None else "en")


@pytest.mark.parametrize(
    ("value", "fragments"),
    [
        ("fr", ["'fr'", "choose one of en, zh"]),
        ("zhh", ["'zhh'", "did you mean zh?"]),
        ("zh-TW", ["'zh-TW'", "Traditional", "pass 'zh'"]),
        ("zh_Hant", ["'zh_Hant'", "Traditional"]),
        ("", ["''", "choose one of en, zh"]),
        ("en--", ["'en--'"]),
        (3, ["3", "a language is text, got int"]),
        (["zh"], ["['zh']", "got list"]),
    ],
)
def test_a_bad_language_is_refused_naming_the_value_and_the_choices(value, fragments):
    with pytest.raises(pq.ValidationError) as raised:
        resolve_language(value)
    message = str(raised.value)
    for fragment in fragments:
        assert fragment in message, message
    assert "en-US, zh-CN, zh-Hans" in message, "the accepted variants are named"
    problem = raised.value.problems.iloc[0]
    assert problem["column"] == "language" and problem["expected"] == "en, zh"
    assert problem["value"] == value


_SUBTAG = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
_TAGS = st.one_of(
    st.sampled_from([*[c for c in CHINESE], *[e for e in ENGLISH if e], "fr", "de-AT", "zh-TW", "ja"]),
    st.builds(
        lambda primary, rest, seps: (
            primary + "".join(sep + sub for sep, sub in zip(seps, rest, strict=False))
        ),
        st.sampled_from(["en", "zh", "fr", "xx"]),
        st.lists(_SUBTAG, max_size=3),
        st.lists(st.sampled_from(["-", "_"]), min_size=3, max_size=3),
    ),
)


def _outcome(value: object) -> object:
    try:
        return resolve_language(value)
    except pq.ValidationError:
        return "refused"


@given(_TAGS, st.lists(st.booleans(), min_size=40, max_size=40), st.booleans())
def test_resolving_is_idempotent_and_ignores_case_and_separators(tag, upper, swap):
    outcome = _outcome(tag)
    if outcome != "refused":
        assert resolve_language(outcome) == outcome, "idempotent"
    recased = "".join(c.upper() if flip else c.lower() for c, flip in zip(tag, upper * 4, strict=False))
    reseparated = recased.replace("-", "\0").replace("_", "-").replace("\0", "_") if swap else recased
    assert _outcome(reseparated) == outcome


def test_labels_are_looked_up_through_the_same_resolver():
    goal = pq.Objective("safety", "Public safety", labels={"zh": "公共安全", "de": "Sicherheit"})
    for value in CHINESE:
        assert goal.label_in(value) == "公共安全", value
    for value in ENGLISH:
        assert goal.label_in(value) == "Public safety", value
    assert goal.label_in("de_AT") == "Sicherheit"
    assert goal.label_in("fr") == "Public safety", "a language without labels falls back"
    assert label_lookup({"zh-Hant": "公共安全（繁）", "zh": "公共安全"}, "zh-Hant-TW") == "公共安全（繁）"
    with pytest.raises(pq.ValidationError, match="unknown language 3"):
        goal.label_in(3)
    wang = CORPUS.framework
    assert [f.label_in("zh-CN") for f in wang.families] == [f.label_in("zh") for f in wang.families]


def test_plotting_is_no_longer_the_translation_table():
    # The old public names stay importable from plotting, as the one table of _language.
    assert plotting.UI_STRINGS is _language.UI_STRINGS
    assert plotting.FIELD_TITLES is _language.FIELD_TITLES
    import policyquant.export
    import policyquant.frameworks.pmc.figures
    import policyquant.frameworks.pmc.template
    import policyquant.io.template
    import policyquant.reporting

    translation = {"_check_language", "_field_title", "_category_label", "_has_cjk", "_ui", "_zh", "_table"}
    translation |= {"UI_STRINGS", "FIELD_TITLES", "_LEVEL_LABELS", "_REGION_ZH"}
    # The PMC package's figures and template are where it draws and writes, so they are the modules to read.
    pmc = (policyquant.frameworks.pmc.figures, policyquant.frameworks.pmc.template)
    modules = (policyquant.export, *pmc, policyquant.io.template, policyquant.reporting)
    for module in modules:
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("plotting"):
                imported = {alias.name for alias in node.names}
                assert not imported & translation, (
                    f"{module.__name__} imports {imported & translation} from plotting"
                )


# -- Figures ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", CHINESE)
def test_crosstab_heatmap_is_chinese_throughout(language):
    ax = plotting.crosstab_heatmap(CORPUS, language=language).axes[0]
    ticks = [t.get_text() for t in (*ax.get_xticklabels(), *ax.get_yticklabels())]
    titles = [ax.get_xlabel(), ax.get_ylabel(), ax.get_title()]
    assert ticks and all(has_cjk(t) for t in ticks), ticks
    assert all(has_cjk(t) for t in titles), titles
    assert "标准规范" in ticks and "法定权益保护" in ticks
    assert titles[:2] == ["政策目标", "政策工具"]


@pytest.mark.parametrize("language", ENGLISH)
def test_crosstab_heatmap_is_english_throughout(language):
    fig = plotting.crosstab_heatmap(CORPUS, language=language)
    texts = _drawn(fig)
    assert not any(has_cjk(t) for t in texts), texts
    ax = fig.axes[0]
    assert [ax.get_xlabel(), ax.get_ylabel()] == ["Policy objective", "Policy instrument"]
    assert "Standards and Norms" in [t.get_text() for t in ax.get_yticklabels()]


_BY = "by" if "by" in inspect.signature(plotting.trend_plot).parameters else "split"
_POLICY = pd.Series({f"X{i}_{j}": int(i % 3 != 0 or j == 1) for i in range(1, 11) for j in (1, 2)}, name="P1")
_POLICIES = pd.DataFrame([_POLICY, (1 - _POLICY).rename("P2")])

#: Every public figure function, drawn for the bundled corpus.
FIGURES: dict[str, Callable[..., object]] = {
    "crosstab_heatmap": lambda **kw: plotting.crosstab_heatmap(CORPUS, **kw),
    "family_objective_bars": lambda **kw: plotting.family_objective_bars(CORPUS, **kw),
    "efficacy_bars": lambda **kw: plotting.efficacy_bars(CORPUS, **kw),
    "issuer_network_plot": lambda **kw: plotting.issuer_network_plot(CORPUS, admin_level="national", **kw),
    "authority_plot": lambda **kw: plotting.authority_plot(CORPUS, **kw),
    "trend_plot": lambda **kw: plotting.trend_plot(CORPUS, "codings", **{_BY: "level"}, **kw),
    "portfolio_tiles": lambda **kw: plotting.portfolio_tiles(CORPUS.subset(["N10"]), **kw),
    "cooccurrence_network": lambda **kw: plotting.cooccurrence_network(
        pq.text.cooccurrence(pq.text.tokenize(CORPUS), top=12), **kw
    ),
    "selection_flow": lambda **kw: plotting.selection_flow(
        pq.documents.select(CORPUS.documents.assign(text=CORPUS.documents["title"]), "AI OR artificial"), **kw
    ),
    "pmc_surface_plot": lambda **kw: pmc_surface_plot(_POLICY, **kw),
    "pmc_radar": lambda **kw: pmc_radar(_POLICIES, **kw),
}


def test_every_public_figure_function_is_covered():
    public = {
        name
        for name in plotting.__all__
        if inspect.isfunction(getattr(plotting, name))
        and "language" in inspect.signature(getattr(plotting, name)).parameters
    }
    assert public <= set(FIGURES), public - set(FIGURES)


@pytest.mark.parametrize("name", list(FIGURES))
@pytest.mark.parametrize("language", ["zh-CN", "zh_Hans", "ZH"])
def test_every_figure_in_a_variant_of_chinese_is_the_chinese_figure(name, language):
    draw = FIGURES[name]
    chinese = _drawn(draw(language="zh"))
    assert any(has_cjk(t) for t in chinese)
    assert _drawn(draw(language=language)) == chinese
    english = _drawn(draw(language="en-US"))
    assert english == _drawn(draw(language="en")) and english != chinese


@pytest.mark.parametrize("name", list(FIGURES))
def test_every_figure_refuses_a_language_it_does_not_speak(name):
    with pytest.raises(pq.ValidationError, match=r"unknown language 'fr'; choose one of en, zh"):
        FIGURES[name](language="fr")


# -- Report, template, CLI ----------------------------------------------------------------


def test_the_report_in_zh_cn_is_the_chinese_report(monkeypatch):
    from policyquant.reporting import render_report

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    small = CORPUS.subset(list(CORPUS.documents["doc_id"][:6]))
    chinese = render_report(small, language="zh")
    assert '<html lang="zh-Hans"' in chinese
    assert render_report(small, language="zh_CN") == chinese
    with pytest.raises(pq.ValidationError, match="Traditional"):
        render_report(small, language="zh-TW")


def _units_header(path: Path, language: str) -> tuple[str, list[object]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        sheet = TEMPLATE_SHEETS[language]["units"]
        return sheet, [cell.value for cell in next(book[sheet].iter_rows(min_row=1, max_row=1))]
    finally:
        book.close()


@pytest.mark.parametrize("language", ["zh-CN", "zh_Hans", " ZH "])
def test_a_template_in_a_variant_of_chinese_is_the_chinese_template(language, tmp_path):
    plain = write_coding_template("wang2026", tmp_path / "zh.xlsx", language="zh")
    variant = write_coding_template("wang2026", tmp_path / "variant.xlsx", language=language)
    sheet, header = _units_header(plain, "zh")
    assert sheet == "条款" and header[:5] == ["条款编号", "文件编号", "条款内容", "政策工具", "政策目标"]
    assert _units_header(variant, "zh") == (sheet, header)
    english = write_coding_template("wang2026", tmp_path / "en.xlsx", language="en-US")
    assert _units_header(english, "en")[1][:2] == ["unit_id", "doc_id"]


def _invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="policyquant")


@pytest.mark.parametrize("language", ["zh-CN", "zh_Hans", "ZH"])
def test_the_cli_takes_every_spelling_of_chinese(language, tmp_path):
    chinese = _invoke("codebook", "wang2026", "--lang", "zh")
    assert chinese.exit_code == 0 and "强制型" in chinese.stdout
    variant = _invoke("codebook", "wang2026", "--lang", language)
    assert variant.exit_code == 0, variant.output
    assert variant.stdout == chinese.stdout
    assert _invoke("template", "wang2026", "-o", tmp_path / "t.xlsx", "-l", language).exit_code == 0
    assert _units_header(tmp_path / "t.xlsx", "zh")[0] == "条款"


def test_the_cli_refuses_an_unknown_language_in_one_line():
    result = _invoke("codebook", "wang2026", "--lang", "zh-TW")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("policyquant: error:")
    assert "'zh-TW'" in lines[0] and "choose one of en, zh" in lines[0] and "Traditional" in lines[0]


@pytest.mark.parametrize("language", CHINESE)
def test_titles_and_category_labels_come_from_one_table(language):
    wang = CORPUS.framework
    for field in ("instrument", "family", "objective", "year", "region", "level", "AS"):
        assert _language.field_title(wang, field, language) == _language.field_title(wang, field, "zh")
    assert _language.category_label(wang, "level", "provincial", language) == "省级"
    assert _language.category_label(wang, "level", "municipal", language) == "市级"
    assert _language.category_label(wang, "region", "Guangdong", language) == "广东"
    assert _language.category_label(wang, "family", "mixed", language) == "混合型"
    assert _language.ui("missing", language) == "（缺失）"
    assert _language.category_label(wang, "level", "provincial", "en-US") == "Provincial"
    assert _language.category_label(wang, "region", "Guangdong", "en-US") == "Guangdong"
