"""Count kernels: partial counts per partition, combined once, equal to the in-memory analyses (issue 17)."""

from __future__ import annotations

import functools
import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.analysis.partial import (
    AuthorityDistributionKernel,
    Counts,
    CrosstabKernel,
    EfficacySummaryKernel,
    FitKernel,
    Kernel,
    PartitionedCorpus,
    PortfolioMeasuresKernel,
    Presence,
    TrendsKernel,
    combine,
    combine_all,
    documents_only,
    split_units,
)
from policyquant.corpus import Corpus
from policyquant.errors import ValidationError
from policyquant.reliability import (
    brennan_prediger,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
)
from policyquant.reliability.partial import AlphaKernel, ReliabilityKernel
from policyquant.testing.strategies import corpora, frameworks

GENAI = pq.datasets.load_genai_china()

examples = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def reordered(corpus: Corpus, order: np.ndarray) -> Corpus:
    """The same corpus with its clauses in another order."""
    return Corpus._from_validated(
        corpus.framework,
        corpus._documents,
        corpus._units.take(order).reset_index(drop=True),
        corpus._objective_mask[order],
        corpus._not_coded,
    )


def run_partitioned(kernel: Kernel, corpus: Corpus, labels: np.ndarray, order: np.ndarray | None = None) -> Any:
    """The kernel over the partitions of ``labels``, combined from the right (another order than reading)."""
    if order is not None:
        corpus = reordered(corpus, order)
        labels = labels[order]
    states = [kernel.partial(part) for part in split_units(corpus, labels)]
    state = functools.reduce(lambda a, b: combine(b, a), reversed(states), kernel.empty(corpus))
    return kernel.finalize(state, corpus)


def frames_equal(left: pd.DataFrame, right: pd.DataFrame, exact: bool = True) -> None:
    if exact:
        pd.testing.assert_frame_equal(left, right, check_exact=True)
    else:
        pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-12, atol=1e-12)


#: Every aggregation, as (kernel, the in-memory call, the frame to compare).
ANALYSES: list[tuple[Kernel, Callable[[Corpus], Any], Callable[[Any], pd.DataFrame]]] = [
    (CrosstabKernel(), lambda c: pq.crosstab(c), lambda r: r.counts),
    (CrosstabKernel("family", "level", "units"), lambda c: pq.crosstab(c, "family", "level", "units"), lambda r: r.counts),
    (CrosstabKernel("region", "DA", "documents"), lambda c: pq.crosstab(c, "region", "DA", "documents"), lambda r: r.counts),
    (CrosstabKernel("objective", "objective"), lambda c: pq.crosstab(c, "objective", "objective"), lambda r: r.counts),
    (CrosstabKernel("instrument", "instrument"), lambda c: pq.crosstab(c, "instrument", "instrument"), lambda r: r.counts),
    (CrosstabKernel("family", "family", "units"), lambda c: pq.crosstab(c, "family", "family", "units"), lambda r: r.counts),
    (CrosstabKernel("AS", "year", "units"), lambda c: pq.crosstab(c, "AS", "year", "units"), lambda r: r.counts),
    (FitKernel(), lambda c: pq.fit(c), lambda r: r.residuals),
    (FitKernel("family", "level"), lambda c: pq.fit(c, "family", "level"), lambda r: r.expected),
    (EfficacySummaryKernel(), lambda c: pq.efficacy_summary(c), lambda r: r.to_frame()),
    (EfficacySummaryKernel("objective"), lambda c: pq.efficacy_summary(c, "objective"), lambda r: r.to_frame()),
    (EfficacySummaryKernel(["family", "level"]), lambda c: pq.efficacy_summary(c, ["family", "level"]), lambda r: r.to_frame()),
    (EfficacySummaryKernel("doc_id"), lambda c: pq.efficacy_summary(c, "doc_id"), lambda r: r.to_frame()),
    (TrendsKernel(), lambda c: pq.trends(c), lambda r: r.to_frame()),
    (TrendsKernel(by="family"), lambda c: pq.trends(c, by="family"), lambda r: r.to_frame()),
    (TrendsKernel(by="objective", cumulative=True), lambda c: pq.trends(c, by="objective", cumulative=True), lambda r: r.to_frame()),
    (TrendsKernel([2017, 2023, 2026], "level"), lambda c: pq.trends(c, [2017, 2023, 2026], "level"), lambda r: r.to_frame()),
    (AuthorityDistributionKernel(admin_level="provincial"), lambda c: pq.authority_distribution(c, admin_level="provincial"), lambda r: r.counts),
    (PortfolioMeasuresKernel(), lambda c: pq.portfolio_measures(c), lambda r: r.to_frame()),
    (PortfolioMeasuresKernel("level"), lambda c: pq.portfolio_measures(c, by="level"), lambda r: r.to_frame()),
    (PortfolioMeasuresKernel(["level", "AS"]), lambda c: pq.portfolio_measures(c, by=["level", "AS"]), lambda r: r.to_frame()),
]
IDS = [f"{type(k).__name__}-{i}" for i, (k, _, _) in enumerate(ANALYSES)]


# --------------------------------------------------------------------------
# The bundled corpus: any partitioning, any row order.


@pytest.mark.parametrize(("kernel", "in_memory", "frame"), ANALYSES, ids=IDS)
def test_one_partition_per_clause_equals_the_corpus(kernel, in_memory, frame):
    labels = np.arange(len(GENAI.units))
    frames_equal(frame(run_partitioned(kernel, GENAI, labels)), frame(in_memory(GENAI)))


@pytest.mark.parametrize(("kernel", "in_memory", "frame"), ANALYSES, ids=IDS)
@examples
@given(data=st.data())
def test_any_partitioning_and_row_order_gives_the_in_memory_result(kernel, in_memory, frame, data):
    n = len(GENAI.units)
    parts = data.draw(st.integers(1, 12), label="partitions")
    labels = np.array(data.draw(st.lists(st.integers(0, parts - 1), min_size=n, max_size=n), label="labels"))
    order = np.array(data.draw(st.permutations(range(n)), label="order"))
    result = run_partitioned(kernel, GENAI, labels, order)
    expected = in_memory(GENAI)
    assert type(result) is type(expected)
    frames_equal(frame(result), frame(expected))


def test_the_result_objects_are_the_in_memory_ones():
    labels = np.arange(len(GENAI.units)) % 5
    crosstab = run_partitioned(CrosstabKernel(), GENAI, labels)
    expected = pq.crosstab(GENAI)
    assert (crosstab.rows, crosstab.columns, crosstab.count, crosstab.total) == ("instrument", "objective", "codings", 908)
    frames_equal(crosstab.to_frame(language="zh"), expected.to_frame(language="zh"))
    fit = run_partitioned(FitKernel("family"), GENAI, labels)
    memory = pq.fit(GENAI, "family")
    assert (fit.chi2, fit.dof, fit.pvalue, fit.cramers_v, fit.dropped) == (
        memory.chi2,
        memory.dof,
        memory.pvalue,
        memory.cramers_v,
        memory.dropped,
    )
    assert fit.summary() == memory.summary()
    trends = run_partitioned(TrendsKernel(by="family"), GENAI, labels)
    assert (trends.by, trends.cumulative) == ("family", False)
    summary = run_partitioned(EfficacySummaryKernel("objective"), GENAI, labels)
    assert (summary.by, summary.over) == (("objective",), "codings")


# --------------------------------------------------------------------------
# Generated corpora and frameworks.


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_wang2026_corpora(data):
    corpus = data.draw(corpora(pq.get_framework("wang2026"), max_documents=6, max_units=40), label="corpus")
    n = len(corpus.units)
    labels = np.array(data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n), label="labels"))
    order = np.array(data.draw(st.permutations(range(n)), label="order"))
    for kernel, in_memory, frame in (
        (CrosstabKernel(), pq.crosstab, lambda r: r.counts),
        (CrosstabKernel("instrument", "instrument"), lambda c: pq.crosstab(c, "instrument", "instrument"), lambda r: r.counts),
        (EfficacySummaryKernel("family"), lambda c: pq.efficacy_summary(c, "family"), lambda r: r.to_frame()),
        (TrendsKernel(by="objective"), lambda c: pq.trends(c, by="objective"), lambda r: r.to_frame()),
        (PortfolioMeasuresKernel("year"), lambda c: pq.portfolio_measures(c, by="year"), lambda r: r.to_frame()),
    ):
        frames_equal(frame(run_partitioned(kernel, corpus, labels, order)), frame(in_memory(corpus)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_frameworks_and_corpora(data):
    framework = data.draw(frameworks(scale=True, max_dimensions=2, max_levels=3), label="framework")
    corpus = data.draw(corpora(framework, max_documents=5, max_units=30), label="corpus")
    n = len(corpus.units)
    labels = np.array(data.draw(st.lists(st.integers(0, 4), min_size=n, max_size=n), label="labels"))
    for kernel, in_memory, frame, exact in (
        (CrosstabKernel("instrument", "objective"), pq.crosstab, lambda r: r.counts, True),
        (CrosstabKernel("objective", "objective"), lambda c: pq.crosstab(c, "objective", "objective"), lambda r: r.counts, True),
        (EfficacySummaryKernel("instrument"), lambda c: pq.efficacy_summary(c), lambda r: r.to_frame(), True),
        # A formula scale's scores need not be whole numbers: sums in another order round alike to 1e-12.
        (TrendsKernel(by="family"), lambda c: pq.trends(c, by="family"), lambda r: r.to_frame(), False),
        (PortfolioMeasuresKernel("level"), lambda c: pq.portfolio_measures(c, by="level"), lambda r: r.to_frame(), True),
    ):
        frames_equal(frame(run_partitioned(kernel, corpus, labels)), frame(in_memory(corpus)), exact)


def test_a_free_text_column_of_the_clauses_is_aligned_across_partitions():
    units = GENAI.all_units().copy()
    rng = np.random.default_rng(4)
    units["coder"] = rng.choice(["zhang", "li", "wang", None], size=len(units))
    units["objectives"] = units["objectives"].map("; ".join)
    corpus = Corpus(GENAI.documents, units)
    # Each partition holds some of the coders only (and one no missing value): the labels differ.
    labels = pd.factorize(units["coder"].fillna("zz"))[0][: len(corpus.units)] % 3
    for kernel, in_memory, frame in (
        (CrosstabKernel("coder", "family", "units"), lambda c: pq.crosstab(c, "coder", "family", "units"), lambda r: r.counts),
        (EfficacySummaryKernel("coder"), lambda c: pq.efficacy_summary(c, "coder"), lambda r: r.to_frame()),
        (TrendsKernel(by="coder"), lambda c: pq.trends(c, by="coder"), lambda r: r.to_frame()),
        (PortfolioMeasuresKernel(["level", "coder"]), lambda c: pq.portfolio_measures(c, by=["level", "coder"]), lambda r: r.to_frame()),
    ):
        frames_equal(frame(run_partitioned(kernel, corpus, labels)), frame(in_memory(corpus)))


def test_clauses_coded_none_are_counted_apart_in_every_partition():
    units = GENAI.all_units().copy()
    units["objectives"] = units["objectives"].map("; ".join)
    units["instrument"] = units["instrument"].astype(object)
    units.loc[:9, ["instrument", "objectives", "AS", "MI"]] = ["none", "", None, None]
    corpus = Corpus(GENAI.documents, units)
    assert len(corpus.not_coded) == 10
    labels = np.arange(len(corpus.units) + 10) % 4
    parts = split_units(corpus, labels)
    assert sum(len(p.not_coded) for p in parts) == 10
    result = run_partitioned(CrosstabKernel(), corpus, labels[: len(corpus.units)])
    frames_equal(result.counts, pq.crosstab(corpus).counts)


# --------------------------------------------------------------------------
# The algebra of states.


def test_combine_is_associative_and_commutative_and_none_is_its_identity():
    kernel = CrosstabKernel("objective", "objective", "documents")
    a, b, c = (kernel.partial(p) for p in split_units(GENAI, np.arange(len(GENAI.units)) % 3))
    left = combine(combine(a, b), c)
    right = combine(a, combine(c, b))
    assert np.array_equal(left.keys, right.keys)
    assert combine(None, a) is a and combine(a, None) is a
    assert combine_all([]) is None
    assert np.array_equal(combine_all([c, a, b]).keys, left.keys)


def test_counts_and_presence_align_their_labels():
    x = Counts((pd.Index(["b", "(missing)"]),), np.array([1, 2]))
    y = Counts((pd.Index(["a", "c"]),), np.array([3, 4]))
    total = x.combine(y)
    assert list(total.axes[0]) == ["a", "b", "c", "(missing)"]
    assert total.counts.tolist() == [3, 1, 4, 2]
    scored = Counts((pd.Index([5, 3, 1]),), np.array([1, 1, 1]))
    assert list(scored.combine(Counts((pd.Index([5, 3, 1, "(missing)"]),), np.array([0, 0, 0, 1]))).axes[0]) == [
        5,
        3,
        1,
        "(missing)",
    ]
    p = Presence.of((pd.Index(["x", "y"]),), [np.array([0, 1]), np.array([1, 0])], (3,))
    q = Presence.of((pd.Index(["w", "y"]),), [np.array([0, 2]), np.array([1, 0])], (3,))
    both = p.combine(q)
    assert list(both.axes[0]) == ["w", "x", "y"]
    assert [c.tolist() for c in both.columns()] == [[0, 1, 2], [2, 1, 0]]
    assert np.array_equal(p.combine(p).keys, p.keys)


@pytest.mark.parametrize(("kernel", "in_memory", "frame"), ANALYSES[:1] + ANALYSES[9:10] + ANALYSES[14:15], ids=IDS[:1] + IDS[9:10] + IDS[14:15])
def test_kernels_and_states_pickle(kernel, in_memory, frame):
    state = kernel.partial(split_units(GENAI, np.arange(len(GENAI.units)) % 2)[0])
    again = pickle.loads(pickle.dumps(kernel))
    assert again == kernel
    restored = pickle.loads(pickle.dumps(state))
    frames_equal(frame(kernel.finalize(restored, GENAI)), frame(kernel.finalize(state, GENAI)))


def test_a_partition_with_no_clauses_adds_nothing():
    empty = GENAI.subset([])
    kernel = TrendsKernel(by="family")
    state = combine(kernel.partial(Corpus._from_validated(GENAI.framework, GENAI._documents, GENAI._units.iloc[:0], GENAI._objective_mask[:0])), kernel.partial(GENAI))
    frames_equal(kernel.finalize(state, GENAI).to_frame(), pq.trends(GENAI, by="family").to_frame())
    assert len(empty.units) == 0


# --------------------------------------------------------------------------
# Bad arguments are refused when the kernel is made, with the in-memory messages.


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: CrosstabKernel(count="clauses"), "count must be 'codings', 'units' or 'documents'"),
        (lambda: CrosstabKernel("level", "level"), "rows and columns must be different fields"),
        (lambda: AlphaKernel("nominl"), "unknown level of measurement 'nominl'"),
        (lambda: AlphaKernel(bootstrap=0), "bootstrap= must be a number of resamples"),
        (lambda: ReliabilityKernel("kappa"), "unknown coefficient 'kappa'"),
    ],
)
def test_bad_kernel_arguments(make, message):
    with pytest.raises(ValidationError, match=message):
        make()


def test_bad_fields_raise_the_in_memory_errors_from_a_partition():
    with pytest.raises(ValidationError, match="cannot group by 'regoin'") as error:
        CrosstabKernel("regoin", "level").partial(GENAI)
    with pytest.raises(ValidationError) as memory:
        pq.crosstab(GENAI, "regoin", "level")
    assert str(error.value) == str(memory.value)


# --------------------------------------------------------------------------
# A partitioned corpus of one's own works with the public functions.


class Thirds(PartitionedCorpus):
    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus

    @property
    def base(self) -> Corpus:
        return documents_only(self.corpus)

    @property
    def n_not_coded(self) -> int:
        return len(self.corpus.not_coded)

    def partitions(self):
        yield from split_units(self.corpus, np.arange(len(self.corpus.units)) % 3)


def test_public_functions_accept_a_partitioned_corpus():
    thirds = Thirds(GENAI)
    frames_equal(pq.crosstab(thirds, "family", "level").counts, pq.crosstab(GENAI, "family", "level").counts)
    frames_equal(pq.fit(thirds).residuals, pq.fit(GENAI).residuals)
    frames_equal(pq.efficacy_summary(thirds, "level").to_frame(), pq.efficacy_summary(GENAI, "level").to_frame())
    frames_equal(pq.trends(thirds).to_frame(), pq.trends(GENAI).to_frame())
    frames_equal(pq.authority_distribution(thirds).counts, pq.authority_distribution(GENAI).counts)
    frames_equal(pq.portfolio_measures(thirds).to_frame(), pq.portfolio_measures(GENAI).to_frame())
    assert pq.crosstab(thirds).not_coded == 0
    table, trends = thirds.aggregate_all([CrosstabKernel(), TrendsKernel(by="level")])
    frames_equal(table.counts, pq.crosstab(GENAI).counts)
    frames_equal(trends.to_frame(), pq.trends(GENAI, by="level").to_frame())
    with pytest.raises(ValidationError, match="space_by applies to tidy frames only"):
        pq.portfolio_measures(thirds, space_by="level")


# --------------------------------------------------------------------------
# Reliability.


def long_table(data: np.ndarray) -> pd.DataFrame:
    coders, units = np.nonzero(~pd.isna(data))
    return pd.DataFrame({"unit": units, "coder": coders, "value": data[coders, units]})


reliability_tables = st.integers(2, 5).flatmap(
    lambda coders: st.lists(
        st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=coders, max_size=coders),
        min_size=3,
        max_size=60,
    )
)


@settings(max_examples=60, deadline=None)
@given(table=reliability_tables, data=st.data())
def test_alpha_from_any_partitioning_equals_alpha_in_memory(table, data):
    codes = np.array(table, dtype=float).T  # coders x units
    long = long_table(codes)
    pairable = ((~np.isnan(codes)).sum(axis=0) >= 2).any()
    parts = data.draw(st.integers(1, 6), label="parts")
    labels = np.array(data.draw(st.lists(st.integers(0, parts - 1), min_size=len(long), max_size=len(long))))
    complete = data.draw(st.booleans(), label="complete_units")
    if complete:  # every value of a unit in one partition, as after a shuffle by unit
        labels = long["unit"].to_numpy() % parts
    measurement = data.draw(st.sampled_from(["nominal", "ordinal", "interval", "ratio"]), label="measurement")
    kernel = AlphaKernel(measurement, bootstrap=50, seed=7, complete_units=complete)
    shuffled = long.sample(frac=1.0, random_state=data.draw(st.integers(0, 1000)))
    states = [kernel.partial(shuffled[labels[shuffled.index] == p]) for p in range(parts)]
    if not pairable or len(pd.unique(long["coder"])) < 2:
        with pytest.raises(ValidationError):
            kernel.finalize(combine_all(states))
        return
    result = kernel.finalize(combine_all(states))
    expected = krippendorff_alpha(codes, measurement, bootstrap=50, seed=7)
    if np.isnan(expected.alpha):
        assert np.isnan(result.alpha)
    else:
        assert result.alpha == pytest.approx(expected.alpha, rel=1e-12, abs=1e-12)
    assert (result.n_units, result.n_pairable, result.level) == (expected.n_units, expected.n_pairable, expected.level)
    np.testing.assert_allclose(result.coincidences.to_numpy(), expected.coincidences.to_numpy(), rtol=1e-12, atol=1e-12)
    assert list(result.coincidences.index) == list(expected.coincidences.index)
    # The same patterns in the same order: the same seed draws the same resamples.
    np.testing.assert_allclose(result.bootstrap_alphas, expected.bootstrap_alphas, rtol=1e-9, atol=1e-12, equal_nan=True)


def test_alpha_of_labels_with_values_and_a_unit_split_across_partitions():
    long = pd.DataFrame(
        {
            "clause": ["c1", "c1", "c2", "c2", "c3", "c3", "c3", "c4"],
            "who": ["zhang", "li", "zhang", "li", "zhang", "li", "wang", "wang"],
            "code": ["low", "low", "high", "mid", "mid", "mid", "high", "low"],
        }
    )
    kernel = AlphaKernel("ordinal", values=["low", "mid", "high"], unit="clause", coder="who", value="code")
    # c3's three values are in three partitions.
    state = combine_all(kernel.partial(long.iloc[[i]]) for i in range(len(long)))
    table = long.set_index(["who", "clause"])["code"].unstack()  # noqa: PD010 - one value per cell
    expected = krippendorff_alpha(table, "ordinal", values=["low", "mid", "high"])
    result = kernel.finalize(state)
    assert result.alpha == pytest.approx(expected.alpha, rel=1e-12)
    assert (result.n_coders, result.n_units) == (3, 3)


def test_alpha_refuses_a_coder_giving_a_unit_two_values():
    long = pd.DataFrame({"unit": [1, 1, 1], "coder": ["a", "a", "b"], "value": [1, 2, 1]})
    with pytest.raises(ValidationError, match="given twice by the same coder") as error:
        AlphaKernel().partial(long)
    assert error.value.problems.loc[0, "row"] == 1


@pytest.mark.parametrize(
    ("name", "function", "attribute"),
    [
        ("gwet_ac1", gwet_ac1, "value"),
        ("brennan_prediger", brennan_prediger, "value"),
        ("percent_agreement", percent_agreement, "value"),
        ("fleiss_kappa", fleiss_kappa, "kappa"),
    ],
)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_agreement_coefficients_from_partitions(name, function, attribute, data):
    coders = data.draw(st.integers(2, 4))
    units = data.draw(st.integers(3, 40))
    full = name == "fleiss_kappa"  # Fleiss' kappa needs the same number of ratings per unit
    cells = st.integers(1, 4) if full else st.one_of(st.none(), st.integers(1, 4))
    codes = np.array(
        data.draw(st.lists(st.lists(cells, min_size=units, max_size=units), min_size=coders, max_size=coders)),
        dtype=float,
    )
    rated = (~np.isnan(codes)).sum(axis=0)
    if (rated >= 2).sum() == 0:
        return
    long = long_table(codes)
    labels = np.array(data.draw(st.lists(st.integers(0, 3), min_size=len(long), max_size=len(long))))
    kernel = ReliabilityKernel(name)
    result = kernel.finalize(combine_all(kernel.partial(long[labels == p]) for p in range(4)))
    expected = function(codes)
    got, want = getattr(result, attribute), getattr(expected, attribute)
    if np.isnan(want):
        assert np.isnan(got)
    else:
        assert got == pytest.approx(want, rel=1e-9, abs=1e-12)
    assert result.n_units == expected.n_units if hasattr(expected, "n_units") else True
