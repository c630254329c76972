"""Tests of the kit for plugin authors: check_framework and the hypothesis strategies."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from types import SimpleNamespace as Fake
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.testing import (
    CHECKS,
    CheckFailure,
    FrameworkCheckError,
    FrameworkReport,
    check_framework,
    corpora,
    formulas,
    frameworks,
)

properties = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def failures_of(framework: Any, **kwargs: Any) -> list[CheckFailure]:
    with pytest.raises(FrameworkCheckError) as caught:
        check_framework(framework, **kwargs)
    return caught.value.failures


def checks_failed(failures: list[CheckFailure]) -> list[str]:
    return list(dict.fromkeys(f.check for f in failures))


# --------------------------------------------------------------------------
# Built-in frameworks pass.


@pytest.mark.parametrize("name", ["wang2026", "howlett-ramesh-1995"])
def test_builtin_frameworks_pass_every_check(name, fresh_registry):
    report = check_framework(fresh_registry.get(name))
    assert isinstance(report, FrameworkReport)
    assert report.name == name
    assert set(report.passed) | {check for check, _ in report.skipped} == set(CHECKS)


def test_every_registered_framework_passes(fresh_registry):
    for name in fresh_registry.names():
        check_framework(fresh_registry.get(name))


def test_report_of_wang2026_counts_every_combination():
    report = check_framework(pq.get_framework("wang2026"))
    assert report.passed == CHECKS
    assert report.skipped == ()
    assert (report.combinations, report.exhaustive, report.score_range) == (45, True, (2.0, 50.0))
    assert str(report) == (
        "framework 'wang2026' passed 8 checks; 45 combinations of levels scored (every one), from 2 to 50"
    )


def test_report_of_a_taxonomy_skips_the_scale_checks():
    report = check_framework(pq.get_framework("howlett-ramesh-1995"))
    assert report.skipped == (
        ("bounds", "the framework has no scale"),
        ("scores", "the framework has no scale"),
    )
    assert report.combinations == 0
    assert str(report).endswith(
        "skipped: bounds (the framework has no scale), scores (the framework has no scale)"
    )


def test_a_large_scale_is_sampled_with_its_extremes():
    levels = [pq.Level(score, f"level {score}") for score in range(10)]
    dimensions = [pq.Dimension(f"d{i}", f"D{i}", levels) for i in range(7)]  # 10 million combinations
    scale = pq.FormulaScale(dimensions, " + ".join(d.key for d in dimensions))
    report = check_framework(pq.Framework("big", "Big", scale=scale), max_combinations=500)
    assert not report.exhaustive
    assert 500 < report.combinations <= 500 + 2**7
    # the corners of the level grid are always scored, so the bounds are reached
    assert report.score_range == (0.0, 63.0)
    again = check_framework(pq.Framework("big", "Big", scale=scale), max_combinations=500)
    assert again == report  # the sample is seeded


# --------------------------------------------------------------------------
# Broken frameworks: every failure at once.


class LyingScale(pq.EfficacyScale):
    """Claims bounds its scores break; scores one combination as infinity."""

    def __init__(self, low: float = 0.0, high: float = 10.0) -> None:
        self._dimensions = (
            pq.Dimension("a", "A", [pq.Level(1, "one"), pq.Level(2, "two")]),
            pq.Dimension("b", "B", [pq.Level(1, "one"), pq.Level(5, "five")]),
        )
        self.low, self.high = low, high

    @property
    def dimensions(self):
        return self._dimensions

    @property
    def min_score(self):
        return self.low

    @property
    def max_score(self):
        return self.high

    def score(self, frame):
        scores = self.coerce_frame(frame)
        values = scores["a"] * scores["b"] * 3  # up to 30, beyond max_score 10
        return values.where(~((scores["a"] == 1) & (scores["b"] == 1)), np.inf).rename("score")


def test_a_scale_whose_scores_exceed_its_bounds_fails_with_examples():
    framework = pq.Framework("liar", "Lying scale", scale=LyingScale())
    failures = failures_of(framework)
    assert checks_failed(failures) == ["scores"]
    problems = [f.problem for f in failures]
    assert problems == [
        "1 of 4 combinations of levels score no finite number, e.g. a=1, b=1 -> inf",
        "2 of 4 combinations of levels score outside the scale's bounds [0, 10], e.g. a=1, b=5 -> 15; a=2, b=5 -> 30",
    ]
    # the TOML round trip does not apply to a scale without toml_spec(): skipped, not failed
    assert "toml" not in checks_failed(failures)


def test_a_real_framework_with_several_faults_reports_them_all():
    framework = pq.Framework("liar", "Lying scale", scale=LyingScale(low=10, high=float("nan")))
    with pytest.raises(FrameworkCheckError) as caught:
        check_framework(framework)
    error = caught.value
    assert checks_failed(error.failures) == ["bounds", "scores"]
    assert [f.problem for f in error.failures if f.check == "bounds"] == [
        "the scale's max_score is nan, not a finite number"
    ]
    # with broken bounds only finiteness can be checked
    assert [f.problem for f in error.failures if f.check == "scores"] == [
        "1 of 4 combinations of levels score no finite number, e.g. a=1, b=1 -> inf"
    ]
    assert str(error).startswith("framework 'liar' failed 2 conformance checks:\n  - bounds: ")
    assert isinstance(error, pq.PolicyQuantError)
    assert isinstance(error, AssertionError)


def test_bounds_in_the_wrong_order_fail():
    failures = failures_of(pq.Framework("upside-down", "Upside down", scale=LyingScale(low=40, high=30)))
    assert CheckFailure("bounds", "the scale's min_score 40 is above its max_score 30") in failures


class DataDrivenScale(pq.EfficacyScale):
    """Finds its variables in the frame it scores (like a PMC index): no dimensions, no bounds yet."""

    dimensions = ()

    def __init__(self, low: float = float("nan"), high: float = float("nan")) -> None:
        self.low, self.high = low, high

    @property
    def min_score(self):
        return self.low

    @property
    def max_score(self):
        return self.high

    def score(self, frame):
        return frame.sum(axis=1).rename("score")


def test_a_scale_without_dimensions_may_leave_its_bounds_undefined():
    report = check_framework(pq.Framework("data-driven", "Data driven", scale=DataDrivenScale()))
    assert dict(report.skipped) == {
        "bounds": "the scale has no dimensions, and no bounds until it scores",
        "scores": "the scale has no dimensions: its variables are known only when it scores",
        "toml": "a DataDrivenScale has no toml_spec() method",
    }
    failures = failures_of(pq.Framework("data-driven", "Data driven", scale=DataDrivenScale(2, 1)))
    assert failures == [CheckFailure("bounds", "the scale's min_score 2 is above its max_score 1")]


def broken_framework() -> Fake:
    """A framework-like object with a mistake for every check."""
    level = Fake(score=1, label="one", labels={}, aliases=())
    return Fake(
        name="broken taxonomy",
        title="",
        families=[Fake(key="soft", label="Soft", labels={})],
        instruments=[
            Fake(key="info", label="Information", family="soft", labels={}, aliases=()),
            Fake(key="info", label="Info", family="soft", labels={}, aliases=()),
            Fake(key="nudge", label="Nudges", family="sfot", labels={"zh": "助推"}, aliases=["information"]),
        ],
        objectives=[Fake(key="", label="Nameless", labels={}, aliases=())],
        scale=Fake(
            dimensions=[
                Fake(
                    key="1a",
                    label="A",
                    unit="clause",
                    levels=[level, Fake(score=1, label="ONE", labels={}, aliases=())],
                ),
            ],
            min_score=float("inf"),
            max_score=0,
            score=lambda frame: (_ for _ in ()).throw(ValueError("cannot score")),
        ),
        codebook=lambda language=None: pd.DataFrame({"part": ["family"], "label": ["Soft"]}),
    )


def test_a_broken_framework_like_object_reports_every_failure():
    failures = failures_of(broken_framework())
    assert checks_failed(failures) == ["type", "keys", "families", "names", "bounds", "scores", "codebook"]
    problems = {(f.check, f.problem) for f in failures}
    expected = {
        ("type", "is a SimpleNamespace, not a policyquant.Framework: the registry refuses to register it"),
        ("type", "the framework's name contains whitespace"),
        ("type", "the framework's title must be non-empty text, got ''"),
        ("keys", "duplicate instrument key 'info'"),
        ("keys", "the key of objective 'Nameless' is empty"),
        ("keys", "dimension key '1a' is not a name a formula can use"),
        ("keys", "dimension '1a': duplicate score 1"),
        (
            "families",
            "instrument 'nudge' names family 'sfot', which the framework does not hold (families: soft)",
        ),
        (
            "names",
            "the name 'information' is ambiguous among the instrument names: it names 'info' (as 'Information') and 'nudge'",
        ),
        ("bounds", "the scale is a SimpleNamespace, not a policyquant.EfficacyScale"),
        ("bounds", "the scale's min_score is inf, not a finite number"),
        ("bounds", "dimension '1a' has unit 'clause'; expected one of document, unit"),
        ("scores", "the check raised ValueError: cannot score"),
        ("codebook", "the codebook has 0 instrument rows for 3 instrument items"),
        ("codebook", "the codebook has 0 level rows for 2 level items"),
    }
    assert expected <= problems
    # the codebook is also checked in every language of the labels
    assert ("codebook", "the codebook in 'zh' has 0 instrument rows for 3 instrument items") in problems


def test_the_toml_check_fails_when_the_scale_type_is_not_registered():
    @attrs.frozen
    class Unregistered(pq.FormulaScale):
        def toml_spec(self):
            return "nowhere", {"formula": self.formula}

    dims = pq.get_framework("wang2026").scale.dimensions
    framework = pq.Framework("unregistered", "Unregistered", scale=Unregistered(dims, "DA"))
    failures = failures_of(framework)
    assert checks_failed(failures) == ["toml"]
    assert failures[0].problem.startswith(
        "the framework's TOML does not load back: scale.type: unknown scale type 'nowhere'"
    )


def test_the_toml_check_fails_when_the_scale_loads_back_different():
    @attrs.frozen
    class Lossy(pq.FormulaScale):
        def toml_spec(self):
            return "formula", {"formula": self.formula}  # forgets the name

    dims = pq.get_framework("wang2026").scale.dimensions
    framework = pq.Framework("lossy", "Lossy", scale=Lossy(dims, "DA", name="strength"))
    failures = failures_of(framework)
    assert failures == [CheckFailure("toml", "the framework's TOML loads back different in: scale")]


def test_the_toml_check_uses_the_given_registry(fresh_registry):
    from test_declarative import WeightedPlugin, WeightedScale

    fresh_registry.register_plugin(WeightedPlugin(), name="weighted-plugin")
    scale = WeightedScale((pq.Dimension("a", "A", [pq.Level(1, "one"), pq.Level(2, "two")]),), (3,))
    framework = pq.Framework("weighted", "Weighted", scale=scale)
    assert checks_failed(failures_of(framework)) == ["toml"]
    assert check_framework(framework, registry=fresh_registry).passed == CHECKS


def test_the_check_error_pickles():
    import pickle

    error = FrameworkCheckError("x", [CheckFailure("keys", "duplicate instrument key 'a'")])
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.name, copy.failures) == (str(error), "x", error.failures)


def test_failure_and_error_render_as_text():
    failure = CheckFailure("keys", "duplicate instrument key 'a'")
    assert str(failure) == "keys: duplicate instrument key 'a'"
    error = FrameworkCheckError(
        "x", [failure, CheckFailure("keys", "another"), CheckFailure("names", "third")]
    )
    assert str(error).splitlines()[0] == "framework 'x' failed 2 conformance checks:"
    assert len(error.failures) == 3


# --------------------------------------------------------------------------
# Strategies.


@properties
@given(frameworks())
def test_generated_frameworks_are_valid(framework):
    assert isinstance(framework, pq.Framework)
    assert framework.families and framework.instruments and framework.objectives
    check_framework(framework, max_combinations=2_000)


@properties
@given(frameworks(scale=True, min_objectives=0, max_objectives=0, languages=()))
def test_framework_options_are_honoured(framework):
    assert framework.scale is not None
    assert framework.objectives == ()
    assert all(not item.labels for item in (*framework.families, *framework.instruments))


@properties
@given(frameworks(scale=False, min_instruments=0, max_instruments=0, min_families=0, max_families=0))
def test_frameworks_without_instruments_or_scale(framework):
    assert framework.scale is None
    assert framework.instruments == ()
    assert framework.families == ()


@properties
@given(st.data())
def test_generated_corpora_pass_crosstab(data):
    framework = data.draw(frameworks())
    corpus = data.draw(corpora(framework))
    assert isinstance(corpus, pq.Corpus)
    assert corpus.framework is framework
    assert len(corpus.codings) >= len(corpus.units) >= 1
    table = pq.crosstab(corpus)
    assert table.total == len(corpus.codings)
    assert list(table.counts.index) == list(framework.instrument_keys)
    assert list(table.counts.columns) == list(framework.objective_keys)
    assert all(len(objectives) >= 1 for objectives in corpus.units["objectives"])
    if framework.scale is not None:
        for dimension in framework.scale.dimensions_for("unit"):
            assert corpus.units[dimension.key].isin(dimension.scores).all()
        for dimension in framework.scale.dimensions_for("document"):
            assert corpus.documents[dimension.key].isin(dimension.scores).all()


@properties
@given(st.data())
def test_generated_corpora_can_be_scored(data):
    framework = data.draw(frameworks(scale=True))
    corpus = data.draw(corpora(framework, spellings=False))
    scores = pq.efficacy(corpus)
    assert len(scores) == len(corpus.units)
    assert scores.between(framework.scale.min_score, framework.scale.max_score).all()


@properties
@given(corpora(pq.get_framework("wang2026"), max_units=10))
def test_corpora_for_the_study_framework(corpus):
    assert pq.crosstab(corpus).total == len(corpus.codings)


@properties
@given(st.data())
def test_formulas_are_finite_over_any_levels(data):
    keys = data.draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, unique=True))
    formula = data.draw(formulas(keys))
    dims = [pq.Dimension(k, k, [pq.Level(-3, "low"), pq.Level(10, "high")]) for k in keys]
    scale = pq.FormulaScale(dims, formula)
    assert np.isfinite([scale.min_score, scale.max_score]).all()


def test_check_framework_works_without_hypothesis():
    code = textwrap.dedent(
        """
        import sys
        sys.modules["hypothesis"] = None  # as if it were not installed
        import policyquant as pq
        import policyquant.testing as kit
        print(kit.check_framework(pq.get_framework("wang2026")).passed[-1])
        try:
            kit.frameworks
        except ImportError as error:
            print(error)
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = result.stdout.splitlines()
    assert lines[0] == "toml"
    assert lines[1].startswith(
        "policyquant.testing.strategies needs hypothesis, a test dependency: pip install"
    )


def test_importing_the_kit_does_not_import_hypothesis():
    code = "import sys, policyquant.testing; print('hypothesis' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_unknown_attribute_of_the_kit():
    import policyquant.testing as kit

    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        kit.nothing  # noqa: B018
    assert {"frameworks", "corpora", "check_framework"} <= set(dir(kit))
