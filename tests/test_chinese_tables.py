"""Tables for a reader in Chinese (issue 14 item 2, issue 18 item 3): rows, columns and headers labelled.

Every analysis result takes ``to_frame(language=...)``, and every export
(``to_markdown``, ``to_latex``, ``to_html``, ``to_csv``, ``to_excel``, ``save``)
takes ``language=`` and passes it on; ``policyquant tables --lang zh`` prints
and saves its tables so.  A table meant for a reader holds no framework key
(``rights_protection``, ``mandatory``, ``DA``), and its numbers are those of the
table as computed, in every language.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant import reliability
from policyquant._language import column_title, has_cjk
from policyquant.cli import main
from policyquant.errors import ValidationError
from policyquant.results import TableResult, in_language

CORPUS = pq.datasets.load_genai_china()
FRAMEWORK = CORPUS.framework
CODES = [["tax", "subsidy", "standard", None], ["tax", "subsidy", "subsidy", "standard"]]


def _coders() -> dict[str, pq.Corpus]:
    units = CORPUS.units.copy()
    units.loc[0, "AS"] = 1
    return {"A": CORPUS, "B": pq.Corpus(CORPUS.documents, units)}


#: Every key of the framework a reader must never meet: instruments, objectives, families, dimensions.
FRAMEWORK_KEYS = frozenset(
    [
        *FRAMEWORK.instrument_keys,
        *FRAMEWORK.objective_keys,
        *FRAMEWORK.family_keys,
        *FRAMEWORK.scale.dimension_keys,
        *(f"objective:{key}" for key in FRAMEWORK.objective_keys),
        "instrument",
        "objective",
        "family",
        "level",
        "national",
        "provincial",
    ]
)

#: Headers that are the same symbol in a Chinese paper.
SYMBOLS = frozenset({"n", "%", "α", "κ", "AC1", "z", "p", ""})

#: Every analysis result, built on the bundled corpus (or, for coefficients, on codes).
RESULTS: dict[str, Callable[[], TableResult]] = {
    "crosstab": lambda: pq.crosstab(CORPUS),
    "crosstab_family_level": lambda: pq.crosstab(CORPUS, rows="family", columns="level"),
    "crosstab_authority": lambda: pq.crosstab(CORPUS, rows="DA", columns="level", count="documents"),
    "cooccurrence": lambda: pq.crosstab(CORPUS, rows="objective", columns="objective"),
    "authority_distribution": lambda: pq.authority_distribution(CORPUS),
    "efficacy_by_objective": lambda: pq.efficacy_summary(CORPUS, by="objective"),
    "efficacy_by_family_level": lambda: pq.efficacy_summary(CORPUS, by=["family", "level"]),
    "efficacy_by_authority": lambda: pq.efficacy_summary(CORPUS, by="DA"),
    "fit": lambda: pq.fit(CORPUS),
    "fit_family": lambda: pq.fit(CORPUS, rows="family"),
    "trends": lambda: pq.trends(CORPUS, by="family"),
    "portfolio_measures": lambda: pq.portfolio_measures(CORPUS, by="level"),
    "issuer_network": lambda: pq.issuer_network(CORPUS),
    "agreement_report": lambda: reliability.agreement_report(_coders()),
    "krippendorff_alpha": lambda: reliability.krippendorff_alpha(CODES, bootstrap=50, seed=1),
    "cohen_kappa": lambda: reliability.cohen_kappa(*CODES),
    "weighted_kappa": lambda: reliability.cohen_kappa([1, 2, 3, 3], [1, 2, 2, 3], weights="linear"),
    "fleiss_kappa": lambda: reliability.fleiss_kappa_from_counts([[2, 1], [1, 2], [3, 0]]),
    "gwet_ac1": lambda: reliability.gwet_ac1(CODES),
    "brennan_prediger": lambda: reliability.brennan_prediger(CODES),
    "percent_agreement": lambda: reliability.percent_agreement(CODES),
}

#: Results whose row labels are data a framework does not label (issuing bodies' names).
ROWS_ARE_DATA = {"issuer_network"}


def _labels(frame: pd.DataFrame, rows: bool = True) -> list[object]:
    """Every label a reader sees: column labels and names, index names and (with ``rows``) labels."""
    labels: list[object] = [*frame.columns.names, *frame.index.names]
    for level in range(frame.columns.nlevels):
        labels += list(frame.columns.get_level_values(level))
    if rows:
        for level in range(frame.index.nlevels):
            labels += list(frame.index.get_level_values(level))
    return labels


def _text_cells(frame: pd.DataFrame) -> list[str]:
    cells = frame.select_dtypes(exclude="number").to_numpy().ravel().tolist()
    return [cell for cell in cells if isinstance(cell, str)]


def _numbers(frame: pd.DataFrame) -> np.ndarray:
    return frame.select_dtypes("number").to_numpy(dtype=np.float64)


def _same_numbers(one: pd.DataFrame, two: pd.DataFrame) -> bool:
    return np.array_equal(_numbers(one), _numbers(two), equal_nan=True)


def _reads_in_chinese(label: object) -> bool:
    """A label a Chinese reader reads: Chinese text, a symbol, a number, or ``P(α < 0.8)``."""
    if label is None or not isinstance(label, str):
        return True
    return has_cjk(label) or label in SYMBOLS or label.isdigit() or re.fullmatch(r"P\(α < [\d.]+\)", label) is not None


@pytest.fixture(scope="module", params=sorted(RESULTS))
def named(request: pytest.FixtureRequest) -> tuple[str, TableResult]:
    return request.param, RESULTS[request.param]()


# -- to_frame(language=...) -----------------------------------------------------------------------


def test_no_framework_key_in_a_chinese_table(named):
    name, result = named
    chinese = result.to_frame(language="zh")
    seen = _labels(chinese, rows=name not in ROWS_ARE_DATA) + _text_cells(chinese)
    keys = sorted({str(label) for label in seen if isinstance(label, str) and label in FRAMEWORK_KEYS})
    assert not keys, f"{name}: framework keys in the Chinese table: {keys}"


def test_every_header_of_a_chinese_table_reads_in_chinese(named):
    name, result = named
    chinese = result.to_frame(language="zh")
    foreign = [label for label in _labels(chinese, rows=False) if not _reads_in_chinese(label)]
    assert not foreign, f"{name}: headers not in Chinese: {foreign}"


def test_a_chinese_table_has_the_numbers_and_shape_of_the_english_one(named):
    name, result = named
    keys, english, chinese = (result.to_frame(language=code) for code in (None, "en", "zh"))
    assert keys.shape == english.shape == chinese.shape, name
    assert _same_numbers(keys, chinese) and _same_numbers(english, chinese), name


def test_labelling_leaves_the_result_as_it_was(named):
    name, result = named
    before = result.to_frame().copy()
    chinese = result.to_frame(language="zh")
    numeric = [i for i, dtype in enumerate(chinese.dtypes) if pd.api.types.is_numeric_dtype(dtype)]
    chinese.iloc[:, numeric] = 0
    assert result.to_frame().equals(before), name


@pytest.mark.parametrize("language", ["fr", "zh-TW", 3, ""])
def test_a_language_without_labels_is_refused_by_every_result(named, language):
    _, result = named
    with pytest.raises(ValidationError, match="unknown language"):
        result.to_frame(language=language)
    with pytest.raises(ValidationError, match="unknown language"):
        result.to_markdown(language=language)


def test_table4_in_chinese():
    table = pq.crosstab(CORPUS).to_frame(language="zh-CN")
    assert list(table.index.names) == ["工具类型", "政策工具"]
    assert list(table.columns.names) == ["政策目标", ""]
    assert table.index[0] == ("强制型", "合计")
    assert table.index[-1] == ("合计", "")
    assert table.loc[("强制型", "标准规范"), ("公共安全与利益", "n")] == 75
    assert list(dict.fromkeys(table.columns.get_level_values(1))) == ["n", "%"]
    assert table.loc[("合计", ""), ("合计", "n")] == 908


def test_table4_in_english_keeps_the_study_numbers():
    study = pd.read_csv(Path(pq.__file__).parent / "datasets" / "data" / "table4.csv")
    counts = pq.crosstab(CORPUS).counts
    table = pq.crosstab(CORPUS).to_frame(language="en")
    for objective in FRAMEWORK.objective_keys:
        label = FRAMEWORK.get("objective", objective).label
        rows = [(FRAMEWORK.get("family", f).label, FRAMEWORK.get("instrument", i).label) for f, i in zip(study["family"], study["instrument"], strict=True)]
        assert table.loc[rows, (label, "n")].tolist() == study[objective].tolist()
        assert counts[objective].tolist() == study[objective].tolist()
    # The default layout is the one the study's users know.
    default = pq.crosstab(CORPUS).to_frame()
    assert list(default.index.names) == ["group", "instrument"]
    assert default.index[0] == ("Mandatory", "Total")
    assert list(dict.fromkeys(default.columns.get_level_values(1))) == ["count", "share"]


def test_score_levels_and_dimension_titles_in_chinese():
    table = pq.crosstab(CORPUS, rows="DA", columns="level", count="documents").to_frame(language="zh")
    assert table.index.names[1] == "发文权威"
    assert table.index[0][1].startswith("5（") and has_cjk(table.index[0][1])
    assert table.columns.get_level_values(0)[0] == "国家级"
    summary = pq.efficacy_summary(CORPUS, by="DA").to_frame(language="zh")
    assert summary.index.name == "发文权威"


def test_efficacy_summary_headers_in_chinese_and_english():
    result = pq.efficacy_summary(CORPUS, by="objective")
    chinese, english = result.to_frame(language="zh"), result.to_frame(language="en")
    assert chinese.index.name == "政策目标"
    assert chinese.columns.tolist() == ["n", "平均效力", "标准差", "最小值", "最大值", "总效力", "效力占比（%）"]
    assert english.columns[1] == "Mean efficacy" and english.index.name == "Policy objective"
    # The same column means the mean of any statistic elsewhere.
    assert column_title("mean", "zh") == "均值"


def test_reliability_tables_in_chinese():
    report = reliability.agreement_report(_coders()).to_frame(language="zh")
    assert report.index.name == "编码维度"
    assert report.index[0] == "政策工具" and report.index[1] == "政策目标：法定权益保护"
    assert set(report["编码单元"]) == {"条款", "文件"} and set(report["测量层次"]) == {"定类", "定序"}
    alpha = reliability.krippendorff_alpha(CODES, bootstrap=50, seed=1).to_frame(language="zh")
    assert alpha.index.tolist() == ["Krippendorff α 系数（定类）"]
    assert {"置信区间下限", "置信区间上限", "P(α < 0.8)"} <= set(alpha.columns)
    assert reliability.cohen_kappa(*CODES).to_frame(language="zh").index[0] == "Cohen κ 系数"


def test_issuer_network_names_bodies_in_chinese():
    network = pq.issuer_network(CORPUS, admin_level="national")
    chinese = network.to_frame(language="zh")
    assert chinese.index.name == "发文机构"
    assert chinese.index[0] == "国家互联网信息办公室"
    assert network.to_frame(language="en").index[0] == "Cyberspace Administration of China"


# -- Exports ---------------------------------------------------------------------------------------


def test_save_xlsx_in_chinese(tmp_path):
    path = pq.crosstab(CORPUS).save(tmp_path / "t.xlsx", language="zh")
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][2] == "法定权益保护"
    assert rows[1][:4] == ("工具类型", "政策工具", "n", "%")
    assert rows[2][:3] == ("强制型", "合计", 51)
    cells = {str(v) for row in rows for v in row if v is not None}
    assert not cells & FRAMEWORK_KEYS


@pytest.mark.parametrize("suffix", ["md", "tex", "html", "csv"])
def test_text_exports_in_chinese(tmp_path, suffix):
    path = pq.crosstab(CORPUS).save(tmp_path / f"t.{suffix}", language="zh")
    text = path.read_text(encoding="utf-8-sig")
    assert "政策工具" in text
    assert "标准规范" in text and "合计" in text
    assert not any(re.search(rf"\b{re.escape(key)}\b", text) for key in FRAMEWORK_KEYS if len(key) > 2)
    if suffix == "md":
        assert "| 强制型合计 " in text and "法定权益保护 n" in text


def test_markdown_and_latex_in_chinese():
    result = pq.efficacy_summary(CORPUS, by="family")
    markdown = result.to_markdown(decimals=1, language="zh")
    assert markdown.splitlines()[0].split("|")[1].strip() == "工具类型"
    assert "| 强制型 " in markdown and "平均效力" in markdown
    latex = result.to_latex(language="zh", caption="表2 各工具类型的平均效力")
    assert "\\toprule" in latex and "平均效力" in latex and "强制型" in latex and "mandatory" not in latex
    # Without a language the exports are the table as computed.
    assert "| mandatory " in result.to_markdown()


def test_reliability_result_saves_in_chinese(tmp_path):
    path = reliability.gwet_ac1(CODES).save(tmp_path / "ac1.xlsx", language="zh")
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:6] == ("系数", "估计值", "置信区间下限", "置信区间上限", "单元数", "编码员数")
    assert rows[1][0] == "Gwet AC1 系数"


def test_an_export_refuses_an_unknown_option_next_to_language(tmp_path):
    with pytest.raises(ValidationError, match="does not take the option 'lang'"):
        pq.crosstab(CORPUS).save(tmp_path / "t.csv", lang="zh")


def test_in_language_labels_every_view():
    result = pq.trends(CORPUS, by="family")
    assert in_language(result, None) is result
    chinese = in_language(result, "zh-Hans")
    assert chinese.to_frame().equals(result.to_frame(language="zh"))
    assert "文件数" in chinese.to_markdown() and "文件数" in str(chinese)
    with pytest.raises(ValidationError, match="unknown language"):
        in_language(result, "fr")


# -- The command line ------------------------------------------------------------------------------


def _run(*args: object) -> Any:
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="policyquant", env={"COLUMNS": "240"})


def test_cli_tables_in_chinese():
    result = _run("tables", "--example", "--lang", "zh", "--format", "md")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "## 政策工具 × 政策目标的编码数（共 908 个编码）" in out
    assert "强制型合计" in out and "平均效力" in out and "各工具类型的平均政策效力（APE）" in out
    assert not any(re.search(rf"\b{re.escape(key)}\b", out) for key in FRAMEWORK_KEYS if len(key) > 2)


def test_cli_tables_text_in_chinese_and_saved(tmp_path):
    result = _run("tables", "--example", "--lang", "zh-CN", "-o", tmp_path, "--save-as", "xlsx", "--save-as", "csv")
    assert result.exit_code == 0, result.output
    assert "标准规范" in result.output and "rights_protection" not in result.output
    rows = list(openpyxl.load_workbook(tmp_path / "efficacy_by_objective.xlsx").active.iter_rows(values_only=True))
    assert rows[0][:3] == ("政策目标", "n", "平均效力")
    assert "强制型" in (tmp_path / "crosstab.csv").read_text(encoding="utf-8-sig")


def test_cli_tables_without_language_is_unchanged():
    result = _run("tables", "--example", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "mandatory" in result.output and "强制型" not in result.output


def test_cli_tables_refuses_an_unknown_language():
    result = _run("tables", "--example", "--lang", "fr")
    assert result.exit_code == 2
    assert "unknown language 'fr'" in result.output


# -- The same numbers in every language ------------------------------------------------------------

FIELDS = ["instrument", "family", "objective", "level", "DA", "AS", "MI"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(["crosstab", "fit", "efficacy", "trends", "portfolio"]),
    rows=st.sampled_from(FIELDS),
    columns=st.sampled_from(FIELDS),
)
def test_to_frame_has_the_same_values_and_shape_in_every_language(kind, rows, columns):
    try:
        if kind == "crosstab":
            result = pq.crosstab(CORPUS, rows=rows, columns=columns)
        elif kind == "fit":
            result = pq.fit(CORPUS, rows=rows, columns=columns)
        elif kind == "efficacy":
            result = pq.efficacy_summary(CORPUS, by=rows if rows == columns else [rows, columns])
        elif kind == "trends":
            result = pq.trends(CORPUS, by=rows)
        else:
            result = pq.portfolio_measures(CORPUS, by="level" if rows in ("DA", "level") else "year")
    except ValidationError:
        return  # a combination the analysis refuses (the same field twice, too few categories ...)
    frames = [result.to_frame(language=code) for code in (None, "en", "zh")]
    assert len({frame.shape for frame in frames}) == 1
    for frame in frames[1:]:
        assert _same_numbers(frames[0], frame)
        assert frame.select_dtypes("number").shape == frames[0].select_dtypes("number").shape
    # Labels in a language are distinct where the keys are: no two categories merge.
    for frame in frames:
        assert len(set(frame.index)) == len(set(frames[0].index))
        assert not any(isinstance(v, float) and math.isnan(v) for v in frame.columns.get_level_values(0))
