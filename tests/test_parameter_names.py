"""One parameter vocabulary (issue 18 item 4): renamed arguments and their deprecated aliases.

Also: every reliability table starts with the same core columns, and a corpus
(or, in its place, the result drawn from it) is always the first parameter,
named ``corpus``.

``level=`` meant three things: the administrative level of the documents kept
(now ``admin_level=``), the level of measurement of Krippendorff's alpha (now
``measurement=``) and a scale's ``Level``.  Each old name still works, warns
with a DeprecationWarning naming the new one, gives the same result, and
giving both names is an error.
"""

from __future__ import annotations

import inspect
import warnings

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

import policyquant as pq
from policyquant import plotting
from policyquant.reliability import krippendorff_alpha

matplotlib.use("Agg")

CORPUS = pq.datasets.load_genai_china()
NAN = float("nan")
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]

#: function, positional arguments, old name, new name, value.
RENAMED = {
    "authority_distribution": (pq.authority_distribution, (CORPUS,), "level", "admin_level", "provincial"),
    "issuer_network": (pq.issuer_network, (CORPUS,), "level", "admin_level", "national"),
    "authority_plot": (plotting.authority_plot, (CORPUS,), "level", "admin_level", "national"),
    "issuer_network_plot": (plotting.issuer_network_plot, (CORPUS,), "level", "admin_level", "national"),
    "krippendorff_alpha": (krippendorff_alpha, (KRIPPENDORFF_2011,), "level", "measurement", "interval"),
}


def _same(a, b):
    if isinstance(a, matplotlib.figure.Figure):
        texts = [sorted(t.get_text() for t in fig.axes[0].texts) for fig in (a, b)]
        plt.close(a)
        plt.close(b)
        return texts[0] == texts[1]
    if hasattr(a, "to_frame"):
        return a.to_frame().equals(b.to_frame())
    return a == b


@pytest.mark.parametrize("name", sorted(RENAMED))
def test_new_name_is_in_the_signature_and_the_old_one_is_not(name):
    function, _, old, new, _ = RENAMED[name]
    parameters = inspect.signature(function).parameters
    assert new in parameters
    assert old not in parameters
    assert function.__deprecated_arguments__[old] == new


@pytest.mark.parametrize("name", sorted(RENAMED))
def test_old_name_warns_naming_the_new_one_and_gives_the_same_result(name):
    function, args, old, new, value = RENAMED[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        expected = function(*args, **{new: value})
    with pytest.warns(DeprecationWarning, match=rf"{name}\({old}=\.\.\.\) is deprecated: use {new}=\.\.\.") as caught:
        got = function(*args, **{old: value})
    assert caught[0].filename == __file__  # the warning points at the caller
    assert _same(expected, got)


@pytest.mark.parametrize("name", sorted(RENAMED))
def test_old_and_new_name_together_is_an_error(name):
    function, args, old, new, value = RENAMED[name]
    with pytest.raises(pq.ValidationError, match=f"got both {new}= and its deprecated alias {old}="):
        function(*args, **{old: value, new: value})


def test_admin_level_filters_the_documents():
    national = pq.issuer_network(CORPUS, admin_level="national")
    everything = pq.issuer_network(CORPUS)
    assert set(national.graph.nodes) < set(everything.graph.nodes)
    provincial = pq.authority_distribution(CORPUS, admin_level="provincial").counts.to_numpy().sum()
    assert provincial == int((CORPUS.documents["level"] == "provincial").sum())


@pytest.mark.parametrize(
    "call",
    [
        lambda: pq.authority_distribution(CORPUS, admin_level="central"),
        lambda: pq.issuer_network(CORPUS, admin_level="central"),
    ],
)
def test_unknown_admin_level_names_the_new_argument(call):
    with pytest.raises(pq.ValidationError, match="admin_level must be 'national' or 'provincial', got 'central'"):
        call()


def test_measurement_sets_the_distance():
    nominal = krippendorff_alpha(KRIPPENDORFF_2011)
    interval = krippendorff_alpha(KRIPPENDORFF_2011, measurement="interval")
    assert round(nominal.alpha, 3) == 0.743
    assert round(interval.alpha, 3) == 0.849
    # Positional calls are unchanged.
    assert krippendorff_alpha(KRIPPENDORFF_2011, "interval").alpha == interval.alpha


def test_unknown_measurement_names_the_new_argument():
    with pytest.raises(pq.ValidationError, match="measurement= must be one of"):
        krippendorff_alpha(KRIPPENDORFF_2011, measurement=3)


# -- Reliability tables share their core columns --------------------------------------------------

CORE = ["estimate", "ci_low", "ci_high", "units", "coders"]
CODES = [["tax", "subsidy", "standard", "tax"], ["tax", "subsidy", "subsidy", "standard"]]
COEFFICIENTS = {
    "krippendorff_alpha": lambda: krippendorff_alpha(KRIPPENDORFF_2011),
    "krippendorff_alpha bootstrap": lambda: krippendorff_alpha(KRIPPENDORFF_2011, bootstrap=50, seed=1),
    "cohen_kappa": lambda: pq.reliability.cohen_kappa(*CODES),
    "fleiss_kappa": lambda: pq.reliability.fleiss_kappa([["a", "b", "a"], ["a", "b", "b"], ["a", "a", "b"]]),
    "fleiss_kappa_from_counts": lambda: pq.reliability.fleiss_kappa_from_counts([[2, 1], [1, 2], [3, 0]]),
    "gwet_ac1": lambda: pq.reliability.gwet_ac1(CODES),
    "brennan_prediger": lambda: pq.reliability.brennan_prediger(CODES),
    "percent_agreement": lambda: pq.reliability.percent_agreement(CODES),
}


@pytest.mark.parametrize("name", sorted(COEFFICIENTS))
def test_every_coefficient_table_starts_with_the_core_columns(name):
    result = COEFFICIENTS[name]()
    frame = result.to_frame()
    assert frame.columns[:5].tolist() == CORE
    assert frame["estimate"].iloc[0] == pytest.approx(result.estimate, nan_ok=True)
    assert frame["units"].iloc[0] >= 1 and frame["coders"].iloc[0] >= 2
    # The core columns are not repeated under their old names.
    assert not {"alpha", "kappa", "raters", "n_units", "alpha_low", "alpha_high"} & set(frame.columns)


def test_the_interval_columns_hold_the_interval():
    alpha = krippendorff_alpha(KRIPPENDORFF_2011, bootstrap=50, seed=1)
    assert alpha.to_frame().loc[:, ["ci_low", "ci_high"]].iloc[0].tolist() == list(alpha.ci)
    assert krippendorff_alpha(KRIPPENDORFF_2011).to_frame()[["ci_low", "ci_high"]].isna().all().all()
    kappa = pq.reliability.cohen_kappa(*CODES)
    assert kappa.to_frame()[["ci_low", "ci_high"]].iloc[0].tolist() == list(kappa.ci)
    assert kappa.to_frame()["coders"].iloc[0] == 2


def test_agreement_report_uses_the_same_names():
    units = CORPUS.units.copy()
    units.loc[0, "AS"] = 1
    coders = {"A": CORPUS, "B": pq.Corpus(CORPUS.documents, units), "C": CORPUS}
    report = pq.reliability.agreement_report(coders, bootstrap=30, seed=1)
    table = report.table
    assert table.columns[:5].tolist() == CORE
    assert table.columns[5:].tolist() == ["kappa", "ac1", "percent_agreement", "unit", "measurement"]
    assert (table["coders"] == 3).all()
    alone = krippendorff_alpha(pq.reliability.reliability_data(
        [c.units.set_index("unit_id")["AS"] for c in coders.values()]
    ), measurement="ordinal", values=[1, 3, 5])
    assert table.loc["AS", "estimate"] == pytest.approx(alone.estimate)
    assert table.loc["AS", "units"] == alone.n_units
    assert (table["ci_low"] <= table["estimate"] + 1e-12).all()
    assert table.loc["AS", "measurement"] == "ordinal" and table.loc["instrument", "measurement"] == "nominal"
    chinese = report.to_frame(language="zh")
    assert chinese.columns[0] == "α" and chinese.columns.tolist()[-1] == "测量层次"


# -- The first parameter is corpus ----------------------------------------------------------------

TIDY = pd.DataFrame(
    {"Instrument": ["Tax", "Tax", "Ban", "Ban"], "Target": ["Air", "Water", "Air", "Water"], "covered": [1, 0, 1, 1]}
)

#: function, old name of the first parameter, a result (or table) it also takes in its place.
FIRST = {
    "portfolio_measures": (pq.portfolio_measures, "data", TIDY),
    "crosstab_heatmap": (plotting.crosstab_heatmap, "result_or_corpus", pq.crosstab(CORPUS)),
    "authority_plot": (plotting.authority_plot, "result_or_corpus", pq.authority_distribution(CORPUS)),
    "issuer_network_plot": (plotting.issuer_network_plot, "network_or_corpus", pq.issuer_network(CORPUS)),
    "trend_plot": (plotting.trend_plot, "corpus_or_frame", pq.trends(CORPUS)),
    "portfolio_tiles": (plotting.portfolio_tiles, "frame", TIDY),
}


def _done(value):
    if isinstance(value, matplotlib.figure.Figure):
        plt.close(value)
    return value


@pytest.mark.parametrize("name", sorted(FIRST))
def test_first_parameter_is_corpus(name):
    function, old, _ = FIRST[name]
    first = next(iter(inspect.signature(function).parameters))
    assert first == "corpus"
    assert function.__deprecated_arguments__[old] == "corpus"


@pytest.mark.parametrize("name", sorted(FIRST))
def test_corpus_or_its_result_positionally_by_keyword_and_by_the_old_name(name):
    function, old, other = FIRST[name]
    for value in (CORPUS, other):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            _done(function(value))
            _done(function(corpus=value))
        with pytest.warns(DeprecationWarning, match=rf"{name}\({old}=\.\.\.\) is deprecated: use corpus="):
            _done(function(**{old: value}))
    with pytest.raises(pq.ValidationError, match=f"got both corpus= and its deprecated alias {old}="):
        function(corpus=CORPUS, **{old: CORPUS})


def test_portfolio_measures_by_any_name_gives_one_table():
    expected = pq.portfolio_measures(CORPUS, by="level").to_frame()
    assert pq.portfolio_measures(corpus=CORPUS, by="level").to_frame().equals(expected)
    with pytest.warns(DeprecationWarning):
        assert pq.portfolio_measures(data=CORPUS, by="level").to_frame().equals(expected)


def test_plotting_states_the_rule():
    assert "The first parameter of every figure function is ``corpus``" in plotting.__doc__
