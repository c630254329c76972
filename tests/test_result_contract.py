"""One result contract (issue 18 item 3): the five analyses that returned DataFrames or a dict.

``efficacy_summary``, ``trends``, ``portfolio_measures`` and ``disagreements``
return :class:`~policyquant.results.AnalysisTable` results and
``portfolio_similarity`` a :class:`~policyquant.analysis.PortfolioSimilarityResult`:
each has ``to_frame(language=None)``, ``save``, the exports and ``_repr_html_``.
DataFrame access on the four tables still works with a DeprecationWarning; the
similarity stays a mapping.  ``trends(split=)`` and ``trend_plot(split=)`` are
deprecated aliases of ``by=``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant import reliability
from policyquant.analysis import (
    EfficacySummaryResult,
    PortfolioMeasuresResult,
    PortfolioSimilarityResult,
    TrendsResult,
)
from policyquant.errors import ValidationError
from policyquant.reliability import DisagreementsResult
from policyquant.results import AnalysisTable, TableResult

CORPUS = pq.datasets.load_genai_china()


def _changed() -> pq.Corpus:
    units = CORPUS.units.copy()
    units.loc[0, "AS"] = 1
    units.loc[1, "instrument"] = (
        "infrastructure" if units.loc[1, "instrument"] != "infrastructure" else "talent_development"
    )
    return pq.Corpus(CORPUS.documents, units)


CHANGED = _changed()

#: The four analyses that return an AnalysisTable, each with the DataFrame its result replaces.
TABLES: dict[str, tuple[Callable[[], Any], type]] = {
    "efficacy_summary": (lambda: pq.efficacy_summary(CORPUS, by="objective"), EfficacySummaryResult),
    "efficacy_summary_two_fields": (
        lambda: pq.efficacy_summary(CORPUS, by=["family", "level"]),
        EfficacySummaryResult,
    ),
    "trends": (lambda: pq.trends(CORPUS), TrendsResult),
    "trends_by_family": (lambda: pq.trends(CORPUS, by="family", cumulative=True), TrendsResult),
    "portfolio_measures": (lambda: pq.portfolio_measures(CORPUS, by="level"), PortfolioMeasuresResult),
    "disagreements": (lambda: reliability.disagreements({"A": CORPUS, "B": CHANGED}), DisagreementsResult),
}


@pytest.fixture(params=list(TABLES))
def table(request) -> AnalysisTable:
    build, kind = TABLES[request.param]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # computing a result warns about nothing
        result = build()
    assert isinstance(result, kind) and isinstance(result, TableResult)
    return result


# -- The contract ---------------------------------------------------------------------------


def test_trends_to_latex_is_the_results_method_with_decimals():
    # The issue's example: pandas' to_latex took no decimals= and raised TypeError.
    text = pq.trends(CORPUS).to_latex(decimals=2)
    assert text.startswith("\\begin{tabular}") and "\\toprule" in text
    assert "30.00" in text  # 2017's mean efficacy, two places


def test_to_frame_is_a_new_dataframe_each_time(table):
    frame = table.to_frame()
    assert type(frame) is pd.DataFrame
    assert table.to_frame(language=None).equals(frame)
    frame[frame.columns[0]] = "changed"
    frame["extra"] = 1
    # Changing the returned table leaves the result as it was: nothing altered.
    again = table.to_frame()
    assert "extra" not in again.columns and not again.equals(frame)


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "md", "tex", "html"])
def test_save_writes_every_format(table, suffix, tmp_path):
    path = table.save(tmp_path / f"table.{suffix}")
    assert path.exists() and path.stat().st_size > 0


def test_csv_reads_back_to_the_same_values(table, tmp_path):
    frame = table.to_frame()
    path = table.save(tmp_path / "table.csv")
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    index = (
        frame.reset_index() if not isinstance(table, DisagreementsResult) else frame.reset_index(drop=True)
    )
    if isinstance(table, DisagreementsResult):
        back = back.drop(columns=back.columns[0])
    assert list(back.columns) == [str(c) for c in index.columns]
    for column in index.columns:
        wanted = index[column]
        got = back[str(column)]
        if pd.api.types.is_numeric_dtype(wanted.dtype) and not pd.api.types.is_bool_dtype(wanted.dtype):
            np.testing.assert_allclose(
                pd.to_numeric(got.replace("", np.nan)).to_numpy(dtype=float),
                wanted.to_numpy(dtype=float, na_value=np.nan),
                rtol=1e-15,
            )
        else:
            assert got.tolist() == ["" if pd.isna(v) else str(v) for v in wanted.tolist()]


def test_repr_html_and_repr_show_the_table(table):
    assert "<table" in table._repr_html_()
    assert repr(table) == repr(table.to_frame())
    assert str(table) == str(table.to_frame())


def test_language_labels_categories_and_keeps_the_numbers():
    result = pq.efficacy_summary(CORPUS, by="family")
    keys, zh, en = result.to_frame(), result.to_frame(language="zh"), result.to_frame(language="en")
    assert keys.index.tolist() == ["mandatory", "voluntary", "mixed"]
    assert zh.index.tolist() == ["强制型", "自愿型", "混合型"]
    assert en.index.tolist() == [CORPUS.framework.get("family", k).label for k in keys.index]
    assert zh.index.name != "family"
    np.testing.assert_array_equal(zh.to_numpy(), keys.to_numpy())
    # Years are no labels: they stay the same numbers, in the same order.
    trend = pq.trends(CORPUS, by="family")
    labelled = trend.to_frame(language="zh-CN")
    assert labelled.index.get_level_values(0).tolist() == trend.to_frame().index.get_level_values(0).tolist()
    assert set(labelled.index.get_level_values(1)) == {"强制型", "自愿型", "混合型"}


@pytest.mark.parametrize("language", [3, "", "  ", ["zh"], "fr", "zh-TW"])
def test_a_language_without_labels_is_refused(table, language):
    with pytest.raises(ValidationError, match=r"unknown language .*choose one of en, zh"):
        table.to_frame(language=language)
    with pytest.raises(ValidationError, match=r"unknown language"):
        pq.portfolio_similarity([[1]], [[0]]).to_frame(language=language)


def test_a_tidy_portfolio_table_has_no_labels_to_translate():
    data = pd.DataFrame(
        {
            "Country": ["A", "A", "B", "B"],
            "Instrument": ["tax"] * 4,
            "Target": ["air", "water"] * 2,
            "covered": [1, 0, 1, 1],
        }
    )
    result = pq.portfolio_measures(data, by="Country")
    assert result.corpus is None
    chinese, keys = result.to_frame(language="zh"), result.to_frame()
    # The user's own categories and column names stay; only the measures' headers are translated.
    assert chinese.index.equals(keys.index)
    assert chinese.columns[:2].tolist() == ["组合空间", "组合规模"]
    assert chinese.set_axis(keys.columns, axis=1).equals(keys)


# -- Deprecated DataFrame access ------------------------------------------------------------


def _deprecated(action: Callable[[], Any]) -> Any:
    with pytest.warns(
        DeprecationWarning, match=r"returns a \w+Result, no longer a DataFrame.*call \.to_frame\(\) first"
    ):
        return action()


def test_dataframe_access_still_works_with_a_warning(table):
    frame = table.to_frame()
    first = frame.columns[0]
    assert _deprecated(lambda: table[first]).equals(frame[first])
    assert _deprecated(lambda: table.loc[frame.index[0]]).equals(frame.loc[frame.index[0]])
    assert _deprecated(lambda: list(table.columns)) == list(frame.columns)
    assert _deprecated(lambda: len(table)) == len(frame)
    assert _deprecated(lambda: list(table)) == list(frame)
    assert _deprecated(lambda: first in table)
    assert _deprecated(lambda: ((table == frame) | frame.isna()).all().all())
    assert not _deprecated(lambda: ((table != frame) & frame.notna()).any().any())
    np.testing.assert_array_equal(_deprecated(lambda: np.asarray(table)), frame.to_numpy())


def test_the_warning_points_at_the_callers_line():
    result = pq.trends(CORPUS)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result["documents"]
    assert len(caught) == 1 and caught[0].filename == __file__
    assert "trends() returns a TrendsResult" in str(caught[0].message)


def test_private_and_unknown_names_are_no_dataframe_access():
    result = pq.trends(CORPUS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not hasattr(result, "_repr_latex_")  # IPython's probes stay quiet
        with pytest.raises(AttributeError, match="'TrendsResult' object has no attribute 'nonsense'"):
            result.nonsense  # noqa: B018
        assert bool(pq.reliability.disagreements({"A": CORPUS, "B": CORPUS}))  # a result, even empty


def test_the_package_itself_never_uses_the_deprecated_access(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from policyquant import plotting
    from policyquant.export import export

    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        plt.close(plotting.efficacy_bars(CORPUS, by="family"))
        plt.close(plotting.trend_plot(CORPUS, by="family"))
        plt.close(plotting.trend_plot(pq.trends(CORPUS, by="level"), "codings"))
        export(pq.efficacy_summary(CORPUS, by="objective"), tmp_path / "t.xlsx")
        coders = {"A": CORPUS, "B": CHANGED, "C": CORPUS}
        sheet = reliability.disagreements(coders)
        sheet.save(tmp_path / "sheet.xlsx")
        reliability.adjudicate(coders)


def test_a_filled_in_sheet_adjudicates_as_before():
    coders = {"A": CORPUS, "B": CHANGED}
    sheet = reliability.disagreements(coders)
    with pytest.warns(DeprecationWarning):
        sheet["decision"] = sheet.to_frame()["B"]  # the old way: a column assigned on the result
    assert "decision" in sheet.to_frame().columns
    from_result = reliability.adjudicate(coders, sheet)
    frame = reliability.disagreements(coders).to_frame().assign(decision=lambda f: f["B"])
    from_frame = reliability.adjudicate(coders, frame)
    pd.testing.assert_frame_equal(from_result.units, from_frame.units)
    assert int(from_result.units.loc[0, "AS"]) == 1


# -- The similarity of two portfolios -------------------------------------------------------


def test_similarity_is_a_table_result_and_still_a_mapping(tmp_path):
    a, b = [[1, 1, 0], [0, 1, 0]], [[1, 0, 0], [0, 1, 1]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # mapping access is no deprecated access
        result = pq.portfolio_similarity(a, b)
        assert isinstance(result, PortfolioSimilarityResult) and isinstance(result, TableResult)
        assert result["jaccard"] == 0.5 and result["cells"] == 6
        assert dict(result) == {name: result[name] for name in pq.analysis.SIMILARITIES}
        assert result == dict(result) and len(result) == 11
        frame = result.to_frame()
    assert frame.index.name == "measure" and list(frame.columns) == ["value"]
    assert frame["value"].tolist() == list(dict(result).values())
    assert "Jaccard 0.50" in result.summary()
    assert "<table" in result._repr_html_()
    back = pd.read_csv(result.save(tmp_path / "s.csv"), index_col=0)["value"]
    np.testing.assert_allclose(back.to_numpy(dtype=float), np.array(list(dict(result).values()), dtype=float))
    with pytest.raises(TypeError):
        result["jaccard"] = 1.0  # type: ignore[index]  # read-only


# -- by= and its deprecated alias split= -----------------------------------------------------


def test_trends_split_is_a_deprecated_alias_of_by():
    with pytest.warns(DeprecationWarning, match=r"trends\(split=\.\.\.\) is deprecated: use by=\.\.\."):
        old = pq.trends(CORPUS, split="family")
    assert old.by == "family"
    pd.testing.assert_frame_equal(old.to_frame(), pq.trends(CORPUS, by="family").to_frame())
    # Positional use is unchanged: the third parameter was split and is by.
    pd.testing.assert_frame_equal(
        pq.trends(CORPUS, None, "level").to_frame(), pq.trends(CORPUS, by="level").to_frame()
    )
    with pytest.raises(ValidationError, match=r"got both by= and its deprecated alias split="):
        pq.trends(CORPUS, by="family", split="family")


def test_trend_plot_split_is_a_deprecated_alias_of_by():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from policyquant import plotting

    with pytest.warns(DeprecationWarning, match=r"trend_plot\(split=\.\.\.\) is deprecated: use by=\.\.\."):
        old = plotting.trend_plot(CORPUS, split="family")
    new = plotting.trend_plot(CORPUS, by="family")
    assert [line.get_label() for line in old.axes[0].get_lines()] == [
        line.get_label() for line in new.axes[0].get_lines()
    ]
    plt.close("all")


# -- Properties -----------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(
    cells=st.lists(st.booleans(), min_size=4, max_size=4).flatmap(
        lambda first: st.lists(st.lists(st.booleans(), min_size=4, max_size=4), min_size=0, max_size=5).map(
            lambda rest: [first, *rest]
        )
    )
)
def test_to_frame_is_the_table_computed_nothing_lost(cells):
    # Portfolios of 2 instruments x 2 targets: the result's to_frame is the table, and its
    # deprecated access reads the same table.
    rows = [
        {"portfolio": f"P{p}", "Instrument": i, "Target": t, "covered": int(cell[2 * a + b])}
        for p, cell in enumerate(cells)
        for a, i in enumerate(["tax", "ban"])
        for b, t in enumerate(["air", "water"])
    ]
    result = pq.portfolio_measures(pd.DataFrame(rows), by="portfolio")
    frame = result.to_frame()
    assert frame.index.tolist() == [f"P{p}" for p in range(len(cells))]
    assert frame["size"].tolist() == [sum(cell) / 4 for cell in cells]
    with pytest.warns(DeprecationWarning):
        assert result["size"].tolist() == frame["size"].tolist()
