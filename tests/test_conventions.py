"""The package's conventions, each one named check run over every public function and result.

Like scikit-learn's ``check_estimator``: every convention of the API is a
``check_*`` function that raises ``AssertionError`` naming what drifts, and the
suite runs each check on every public analysis (``policyquant.__all__``,
``policyquant.analysis``, ``policyquant.reliability``), every plotting
function and every result the analyses return on the bundled corpus.  A new
public function is classified here (an analysis with the call that runs it, or
a building block with the reason it is not one) or the walk fails; once
classified, it passes the checks by construction or the suite says which.
The last tests run the checks on deliberately drifting functions defined here,
to show that each check can fail.

The conventions (issue 18):

- the first parameter is ``corpus`` where one corpus is taken, ``coders`` where
  a mapping of coders' corpora is (exceptions listed with their reason);
- grouping is ``by=`` (``rows=`` / ``columns=`` for two-way tables), never
  ``split=``, ``group=``, ``groups=`` or ``group_by=``;
- plotting functions take keyword-only ``ax``, ``language``, ``title`` and ``font``;
- every analysis returns a result with ``to_frame(language=None)``, ``save``
  and ``_repr_html_`` (a :class:`~policyquant.results.TableResult`);
- the numpydoc docstring has a "Returns" section, and the columns of a result
  with fixed columns are named in it;
- every deprecated argument alias warns with a DeprecationWarning naming the new name.
"""

from __future__ import annotations

import inspect
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
import pytest

import policyquant as pq
from policyquant import analysis, plotting, reliability
from policyquant._deprecation import ALIASES, renamed_arguments
from policyquant.results import TableResult

matplotlib.use("Agg")

CORPUS = pq.datasets.load_genai_china()


def _coders() -> dict[str, pq.Corpus]:
    units = CORPUS.units.copy()
    units.loc[0, "AS"] = 1
    return {"A": CORPUS, "B": pq.Corpus(CORPUS.documents, units)}


CODES = [["tax", "subsidy", "standard", None], ["tax", "subsidy", "subsidy", "standard"]]

#: Every public analysis, with the call that runs it on the bundled data.
ANALYSES: dict[str, Callable[[], Any]] = {
    "crosstab": lambda: pq.crosstab(CORPUS),
    "authority_distribution": lambda: pq.authority_distribution(CORPUS),
    "efficacy_summary": lambda: pq.efficacy_summary(CORPUS, by="objective"),
    "fit": lambda: pq.fit(CORPUS),
    "issuer_network": lambda: pq.issuer_network(CORPUS),
    "trends": lambda: pq.trends(CORPUS, by="family"),
    "portfolio_measures": lambda: pq.portfolio_measures(CORPUS, by="level"),
    "portfolio_similarity": lambda: pq.portfolio_similarity([[1, 1, 0], [0, 1, 0]], [[1, 0, 0], [0, 1, 1]]),
    "agreement_report": lambda: reliability.agreement_report(_coders()),
    "disagreements": lambda: reliability.disagreements(_coders()),
    "krippendorff_alpha": lambda: reliability.krippendorff_alpha(CODES),
    "cohen_kappa": lambda: reliability.cohen_kappa(*CODES),
    "fleiss_kappa": lambda: reliability.fleiss_kappa([["a", "b", "a"], ["a", "b", "b"], ["a", "a", "b"]]),
    "fleiss_kappa_from_counts": lambda: reliability.fleiss_kappa_from_counts([[2, 1], [1, 2], [3, 0]]),
    "gwet_ac1": lambda: reliability.gwet_ac1(CODES),
    "brennan_prediger": lambda: reliability.brennan_prediger(CODES),
    "percent_agreement": lambda: reliability.percent_agreement(CODES),
    "select": lambda: pq.select(
        CORPUS.documents.assign(text=CORPUS.documents["title"]), "AI OR artificial", period=("2017-07", "2025-06")
    ),
}

#: Public functions that are not analyses returning a table, and why.
NOT_ANALYSES: dict[str, str] = {
    "efficacy": "one score per clause: a column to join onto the units (a Series), not a table",
    "group_codes": "a building block: group codes and labels for other analyses",
    "grouping": "a building block: combined group codes for other analyses",
    "group_statistics": "a building block: statistics of arrays by group code",
    "histogram_statistics": "a building block: statistics of arrays by group code",
    "known_fields": "a list of field names, not a table",
    "period_codes": "a building block: period codes of an array of years",
    "coded_dimensions": "a list of dimension names, not a table",
    "reliability_data": "an input: the coders x units layout the coefficients take",
    "adjudicate": "returns the agreed Corpus",
    "get_framework": "the registry, not an analysis",
    "list_frameworks": "the registry's listing, not an analysis",
    "load_framework": "reads a framework file",
    "plugin_failures": "the registry's failures, not an analysis",
    "read_coding": "reads a corpus",
    "write_coding": "writes a corpus",
    "report": "writes a report folder and returns its path",
    "read_documents": "reads documents: the input of a study, not an analysis of a corpus",
    "extract_metadata": "adds each document's metadata, with its evidence: the input of selection, not an analysis",
    "segment": "cuts documents into the units that are coded: the input of coding, not an analysis of a corpus",
}

#: Functions whose first parameter takes a corpus among other things, and why it is not named corpus.
#: None left (issue 18 item 4): a function taking a corpus or, in its place, its result or a tidy
#: table names that first parameter ``corpus`` (the rule in the policyquant.plotting docstring).
FIRST_PARAMETER_EXCEPTIONS: dict[str, str] = {}

#: Plotting functions that draw nothing, and why.
NOT_PLOTS: dict[str, str] = {"font_context": "a context manager that sets the font, not a figure"}

#: Result classes whose to_frame does not take language= yet, and why (none left: issue 14 item 2).
NO_LANGUAGE_YET: dict[str, str] = {}

#: Results whose columns are categories of the data (or measures of a network), not fixed names.
COLUMNS_ARE_DATA: dict[str, str] = {
    "crosstab": "one column per category of `columns`",
    "authority_distribution": "one column per category of `by`",
    "fit": "one column per category of `columns`",
    "issuer_network": "documented by IssuerNetwork.to_frame",
    "disagreements": "one column per coder",
    "agreement_report": "documented on AgreementReport.table",
    "krippendorff_alpha": "documented by the result's to_frame",
    "cohen_kappa": "documented by the result's to_frame",
    "fleiss_kappa": "documented by the result's to_frame",
    "fleiss_kappa_from_counts": "documented by the result's to_frame",
    "gwet_ac1": "documented by the result's to_frame",
    "brennan_prediger": "documented by the result's to_frame",
    "percent_agreement": "documented by the result's to_frame",
}

def _corpus_unless(alias: str, keywords: dict[str, Any]) -> list[Any]:
    """The corpus as positional argument, unless it is given by its deprecated keyword ``alias``."""
    return [] if alias in keywords else [CORPUS]


#: How to call each function that has deprecated argument aliases, given the alias's value
#: (one value for every alias, or a value per alias).
ALIAS_CALLS: dict[str, tuple[Callable[..., Any], object]] = {
    "trends": (lambda **kw: pq.trends(CORPUS, **kw), "family"),
    "plotting.trend_plot": (
        lambda **kw: plotting.trend_plot(*_corpus_unless("corpus_or_frame", kw), **kw),
        {"split": "family", "corpus_or_frame": CORPUS},
    ),
    "authority_distribution": (lambda **kw: pq.authority_distribution(CORPUS, **kw), "provincial"),
    "issuer_network": (lambda **kw: pq.issuer_network(CORPUS, **kw), "national"),
    "plotting.authority_plot": (
        lambda **kw: plotting.authority_plot(*_corpus_unless("result_or_corpus", kw), **kw),
        {"level": "national", "result_or_corpus": CORPUS},
    ),
    "plotting.issuer_network_plot": (
        lambda **kw: plotting.issuer_network_plot(*_corpus_unless("network_or_corpus", kw), **kw),
        {"level": "national", "network_or_corpus": CORPUS},
    ),
    "krippendorff_alpha": (lambda **kw: reliability.krippendorff_alpha(CODES, **kw), "nominal"),
    "portfolio_measures": (lambda **kw: pq.portfolio_measures(**kw), CORPUS),
    "plotting.crosstab_heatmap": (lambda **kw: plotting.crosstab_heatmap(**kw), CORPUS),
    "plotting.portfolio_tiles": (lambda **kw: plotting.portfolio_tiles(**kw), CORPUS),
}

#: Parameter names that mean "group by" under another name.
GROUPING_SYNONYMS = frozenset({"split", "group", "groups", "group_by", "groupby", "split_by", "grouping"})

PLOTTING_KEYWORDS = ("ax", "language", "title", "font")


# -- The checks ---------------------------------------------------------------------------------


def check_first_parameter(name: str, function: Callable[..., Any]) -> None:
    """A corpus is taken first, as ``corpus``; a mapping of coders' corpora as ``coders``."""
    parameters = list(inspect.signature(function).parameters.values())
    if not parameters:
        return
    first = parameters[0]
    annotation = str(first.annotation)
    if "Corpus" not in annotation:
        assert first.name != "corpus", (
            f"{name}: the first parameter is named corpus but is not annotated as one"
        )
        return
    if name in FIRST_PARAMETER_EXCEPTIONS:
        return
    wanted = "coders" if re.search(r"Mapping\[str, *Corpus\]", annotation) else "corpus"
    assert first.name == wanted, (
        f"{name}: the first parameter takes {annotation} and must be named {wanted!r}, not {first.name!r}"
    )


def check_grouping_parameter(name: str, function: Callable[..., Any]) -> None:
    """Grouping is ``by=``; no other name means the same."""
    drifting = sorted(set(inspect.signature(function).parameters) & GROUPING_SYNONYMS)
    assert not drifting, (
        f"{name}: group with by= (rows=/columns= for two-way tables), not {', '.join(drifting)}="
    )


def check_plotting_keywords(name: str, function: Callable[..., Any]) -> None:
    """Every plotting function takes keyword-only ``ax``, ``language``, ``title`` and ``font``."""
    parameters = inspect.signature(function).parameters
    missing = [k for k in PLOTTING_KEYWORDS if k not in parameters]
    assert not missing, f"{name}: a plotting function takes {', '.join(missing)}="
    positional = [k for k in PLOTTING_KEYWORDS if parameters[k].kind is not inspect.Parameter.KEYWORD_ONLY]
    assert not positional, f"{name}: {', '.join(positional)} must be keyword-only (after *)"


def _returns_section(function: Callable[..., Any]) -> str:
    doc = inspect.getdoc(function) or ""
    found = re.search(r"^Returns\n-{3,}\n(.*?)(?=^\w[\w ]*\n-{3,}\n|\Z)", doc, flags=re.S | re.M)
    return found.group(1) if found else ""


def check_returns_documented(name: str, function: Callable[..., Any]) -> None:
    """The numpydoc docstring has a "Returns" section saying what comes back."""
    assert _returns_section(function).strip(), f"{name}: the docstring has no numpydoc 'Returns' section"


def check_result(name: str, result: Any, folder: Path) -> None:
    """The result is a TableResult: to_frame(language=None), save, the exports, an HTML view."""
    kind = type(result).__name__
    assert isinstance(result, TableResult), f"{name}: returns a {kind}, not a result object (a TableResult)"
    for method in (
        "to_frame",
        "save",
        "to_csv",
        "to_excel",
        "to_markdown",
        "to_latex",
        "to_html",
        "_repr_html_",
    ):
        assert callable(getattr(type(result), method, None)), f"{name}: the {kind} has no {method}()"
    frame = result.to_frame()
    assert isinstance(frame, pd.DataFrame), f"{name}: {kind}.to_frame() returns a {type(frame).__name__}"
    if kind not in NO_LANGUAGE_YET:
        parameters = inspect.signature(type(result).to_frame).parameters
        assert "language" in parameters and parameters["language"].default is None, (
            f"{name}: {kind}.to_frame takes language=None"
        )
        assert isinstance(result.to_frame(language=None), pd.DataFrame)
        labelled = result.to_frame(language="zh")
        assert labelled.shape == frame.shape, f"{name}: {kind}.to_frame(language='zh') changes the table's shape"
    assert "<table" in result._repr_html_(), f"{name}: {kind}._repr_html_() shows no table"
    for suffix in ("csv", "xlsx", "md"):
        path = result.save(folder / f"{name}.{suffix}")
        assert path.exists() and path.stat().st_size > 0, f"{name}: {kind}.save() wrote no .{suffix}"


def check_columns_documented(name: str, function: Callable[..., Any], result: Any) -> None:
    """Each column of the result's table is named (``like_this``) where the function or its result is documented."""
    docs = " ".join(inspect.getdoc(o) or "" for o in (function, type(result), type(result).to_frame))
    frame = result.to_frame()
    columns = (
        frame.columns.get_level_values(-1) if isinstance(frame.columns, pd.MultiIndex) else frame.columns
    )
    missing = [str(c) for c in dict.fromkeys(columns) if f"``{c}``" not in docs]
    assert not missing, f"{name}: the columns {', '.join(missing)} are not documented (as ``name``)"


def check_aliases_warn(
    name: str, function: Callable[..., Any], call: Callable[..., Any], value: object
) -> None:
    """Every deprecated argument alias still works and warns with a DeprecationWarning naming the new name."""
    aliases = getattr(function, ALIASES, {})
    assert aliases, f"{name}: has no deprecated argument aliases to check"
    for old, new in aliases.items():
        assert new in inspect.signature(function).parameters, (
            f"{name}: alias {old}= names {new}=, no parameter"
        )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            call(**{old: value[old] if isinstance(value, dict) else value})
        deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
        assert deprecations, f"{name}: the deprecated {old}= does not warn"
        assert f"{new}=" in str(deprecations[0].message), (
            f"{name}: the warning for {old}= does not name {new}="
        )


# -- What the checks run on -----------------------------------------------------------------------


def _public_functions() -> dict[str, Callable[..., Any]]:
    found: dict[str, Callable[..., Any]] = {}
    for module in (pq, analysis, reliability):
        for name in module.__all__:
            value = getattr(module, name)
            if inspect.isfunction(value):
                found.setdefault(name, value)
    return found


def _plotting_functions() -> dict[str, Callable[..., Any]]:
    return {
        f"plotting.{name}": getattr(plotting, name)
        for name in plotting.__all__
        if inspect.isfunction(getattr(plotting, name)) and name not in NOT_PLOTS
    }


FUNCTIONS = _public_functions()
PLOTS = _plotting_functions()
EVERYTHING = {**FUNCTIONS, **PLOTS}
_RESULTS: dict[str, Any] = {}


def _result(name: str) -> Any:
    if name not in _RESULTS:
        _RESULTS[name] = ANALYSES[name]()
    return _RESULTS[name]


def test_every_public_function_is_classified():
    unclassified = sorted(set(FUNCTIONS) - set(ANALYSES) - set(NOT_ANALYSES))
    assert not unclassified, (
        f"add these to ANALYSES (with a call) or NOT_ANALYSES (with a reason): {unclassified}"
    )
    stale = sorted((set(ANALYSES) | set(NOT_ANALYSES)) - set(FUNCTIONS))
    assert not stale, f"no longer public: {stale}"
    stale = sorted(set(FIRST_PARAMETER_EXCEPTIONS) - set(EVERYTHING))
    assert not stale, f"exceptions for functions that are gone: {stale}"


@pytest.mark.parametrize("name", sorted(EVERYTHING))
def test_first_parameter(name):
    check_first_parameter(name, EVERYTHING[name])


def test_first_parameter_exceptions_are_still_needed():
    # An exception that the function no longer needs is removed, as a strict xfail would be.
    for name, reason in FIRST_PARAMETER_EXCEPTIONS.items():
        first = next(iter(inspect.signature(EVERYTHING[name]).parameters))
        assert first != "corpus", f"{name} now takes corpus first: remove its exception ({reason})"


@pytest.mark.parametrize("name", sorted(EVERYTHING))
def test_grouping_parameter(name):
    check_grouping_parameter(name, EVERYTHING[name])


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_plotting_keywords(name):
    check_plotting_keywords(name, PLOTS[name])


@pytest.mark.parametrize("name", sorted([*ANALYSES, *PLOTS]))
def test_returns_documented(name):
    check_returns_documented(name, EVERYTHING[name])


@pytest.mark.parametrize("name", sorted(ANALYSES))
def test_result_contract(name, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # the analysis itself uses no deprecated name
        check_result(name, _result(name), tmp_path)


def test_language_exceptions_are_still_needed():
    for name in ANALYSES:
        result = _result(name)
        kind = type(result).__name__
        if kind in NO_LANGUAGE_YET:
            assert "language" not in inspect.signature(type(result).to_frame).parameters, (
                f"{kind}.to_frame takes language= now: remove it from NO_LANGUAGE_YET"
            )


def _result_classes() -> dict[str, type]:
    from policyquant import results

    found: dict[str, type] = {}
    for module in (pq, analysis, reliability, results):
        for name in module.__all__:
            value = getattr(module, name)
            if inspect.isclass(value) and (issubclass(value, TableResult) or name.endswith(("Result", "Report"))):
                found[name] = value
    return found


RESULT_CLASSES = _result_classes()


@pytest.mark.parametrize("name", sorted(RESULT_CLASSES))
def test_every_result_class(name):
    cls = RESULT_CLASSES[name]
    assert issubclass(cls, TableResult), f"{name} is a result but not a TableResult"
    for method in ("to_frame", "save", "_repr_html_"):
        assert callable(getattr(cls, method, None)), f"{name} has no {method}()"
    if name not in NO_LANGUAGE_YET and not inspect.isabstract(cls) and name != "ReliabilityResult":
        parameters = inspect.signature(cls.to_frame).parameters
        assert "language" in parameters and parameters["language"].default is None, (
            f"{name}.to_frame takes language=None"
        )


@pytest.mark.parametrize("name", sorted(set(ANALYSES) - set(COLUMNS_ARE_DATA)))
def test_columns_documented(name):
    check_columns_documented(name, FUNCTIONS[name], _result(name))


def test_every_alias_is_checked():
    with_aliases = sorted(name for name, function in EVERYTHING.items() if getattr(function, ALIASES, None))
    assert with_aliases == sorted(ALIAS_CALLS), "add each function with deprecated aliases to ALIAS_CALLS"


@pytest.mark.parametrize("name", sorted(ALIAS_CALLS))
def test_deprecated_aliases_warn(name):
    call, value = ALIAS_CALLS[name]
    check_aliases_warn(name, EVERYTHING[name], call, value)
    import matplotlib.pyplot as plt

    plt.close("all")


# -- The checks fail on drift ------------------------------------------------------------------------


def drifting_analysis(data: pq.Corpus, split: str | None = None) -> pd.DataFrame:
    """Count the clauses, the way the package no longer does.

    Parameters
    ----------
    data : Corpus
    split : str, optional
    """
    return data.units.groupby(split or "instrument").size().to_frame("n")


def drifting_plot(corpus: pq.Corpus, ax: Any = None, *, language: str | None = None) -> Any:
    """A plot without title= or font=, and ax= positional.

    Returns
    -------
    None
    """


def silent_alias(corpus: pq.Corpus | None = None, by: str | None = None, **ignored: Any) -> None:
    """Claims an alias that it does not warn about.

    Returns
    -------
    None
    """


silent_alias.__deprecated_arguments__ = {"split": "by"}  # type: ignore[attr-defined]


@renamed_arguments(split="by")
def warning_alias(corpus: pq.Corpus, by: str | None = None) -> str | None:
    """Warns as it should.

    Returns
    -------
    str or None
    """
    return by


class UndocumentedResult(TableResult):
    """A result that does not say what its columns are."""

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        return pd.DataFrame({"mystery": [1.0]})


def undocumented_analysis(corpus: pq.Corpus) -> UndocumentedResult:
    """An analysis.

    Returns
    -------
    UndocumentedResult
    """
    return UndocumentedResult()


@pytest.mark.parametrize(
    ("check", "message"),
    [
        (
            lambda: check_first_parameter("drifting_analysis", drifting_analysis),
            "must be named 'corpus', not 'data'",
        ),
        (
            lambda: check_grouping_parameter("drifting_analysis", drifting_analysis),
            "group with by=.*not split=",
        ),
        (lambda: check_returns_documented("drifting_analysis", drifting_analysis), "no numpydoc 'Returns'"),
        (
            lambda: check_result("drifting_analysis", drifting_analysis(CORPUS), Path(".")),
            "returns a DataFrame, not a result object",
        ),
        (lambda: check_plotting_keywords("drifting_plot", drifting_plot), "takes title, font="),
        (
            lambda: check_plotting_keywords(
                "drifting_plot", lambda *, ax, language, title, font=None, x=1: None
            ),
            None,
        ),
        (
            lambda: check_aliases_warn("silent_alias", silent_alias, silent_alias, "family"),
            "split= does not warn",
        ),
        (
            lambda: check_columns_documented(
                "undocumented", undocumented_analysis, undocumented_analysis(CORPUS)
            ),
            "the columns mystery are not documented",
        ),
        (
            lambda: check_aliases_warn(
                "warning_alias", warning_alias, lambda **kw: warning_alias(CORPUS, **kw), "family"
            ),
            None,
        ),
    ],
    ids=[
        "first-parameter",
        "grouping",
        "returns",
        "result",
        "plotting-keywords",
        "plotting-keywords-pass",
        "alias-silent",
        "columns",
        "alias-warns-pass",
    ],
)
def test_the_checks_fail_on_a_drifting_function(check, message):
    if message is None:
        check()  # a conforming function passes the same check
        return
    with pytest.raises(AssertionError, match=message):
        check()


def test_positional_plotting_keywords_are_drift():
    def positional(corpus, ax=None, language=None, title=None, font=None):
        """Returns
        -------
        None
        """

    with pytest.raises(AssertionError, match="ax, language, title, font must be keyword-only"):
        check_plotting_keywords("positional", positional)
