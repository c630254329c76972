"""Tests of :mod:`policyquant.reliability.report`: agreement between coders' corpora.

Every coder here is the bundled corpus with controlled perturbations (an
instrument moved to the next one in the framework's order, an ``AS`` or
``DA`` score changed, a clause's objectives replaced, a few clauses left out),
so what a report, the disagreements and the adjudication must show is known
by construction: percent agreement is counted by hand from the perturbations,
and every coefficient is compared with the same coefficient on reliability
data built by hand with pandas (and alpha also with the ``krippendorff``
package).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.errors import ValidationError
from policyquant.reliability import (
    AgreementReport,
    adjudicate,
    agreement_report,
    coded_dimensions,
    cohen_kappa,
    disagreements,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
)

CORPUS = pq.datasets.load_genai_china()
KEYS = CORPUS.framework.instrument_keys
OBJECTIVES = CORPUS.framework.objective_keys
DIMENSIONS = coded_dimensions(CORPUS)
UNIT_IDS = CORPUS.units["unit_id"].tolist()
DOC_IDS = CORPUS.documents["doc_id"].tolist()
N_UNITS, N_DOCUMENTS = len(UNIT_IDS), len(DOC_IDS)

COLUMNS = [
    "estimate",
    "ci_low",
    "ci_high",
    "units",
    "coders",
    "kappa",
    "ac1",
    "percent_agreement",
    "unit",
    "measurement",
]

# Perturbations, by position in CORPUS.units (and CORPUS.documents for DA).  Coder B and
# coder C never touch the same clause or document, so that the majority of A, B and C is
# always the original coding.
B_INSTRUMENTS = (0, 57, 300, 455, 669)
B_SCORES = {10: {"AS": 1}, 250: {"AS": 1}, 600: {"AS": 5}}
B_OBJECTIVES = {20: ("rights_protection",), 402: ("tech_innovation", "application_scenarios")}
B_DOCUMENTS = {3: 5}
B_DROPPED = (100, 101)
C_INSTRUMENTS = (1, 333)
C_SCORES = {11: {"AS": 1, "MI": 5}}
C_OBJECTIVES = {500: ("public_safety",)}
C_DOCUMENTS = {40: 4}
C_DROPPED = (200, 201, 202)


def next_instrument(key: str) -> str:
    """The instrument after ``key`` in the framework's order (cyclically)."""
    return KEYS[(KEYS.index(key) + 1) % len(KEYS)]


def perturb(
    corpus: pq.Corpus = CORPUS,
    instruments: Sequence[int] = (),
    scores: Mapping[int, Mapping[str, int]] | None = None,
    objectives: Mapping[int, tuple[str, ...]] | None = None,
    documents: Mapping[int, int] | None = None,
    drop: Sequence[int] = (),
) -> pq.Corpus:
    """A copy of ``corpus`` with some values changed and some clauses left out."""
    units, docs = corpus.units.copy(), corpus.documents.copy()
    for position in instruments:
        units.loc[position, "instrument"] = next_instrument(units.loc[position, "instrument"])
    for position, values in (scores or {}).items():
        for column, value in values.items():
            assert units.loc[position, column] != value, "a perturbation must change the value"
            units.loc[position, column] = value
    for position, value in (objectives or {}).items():
        assert set(units.loc[position, "objectives"]) != set(value)
        units.loc[position, "objectives"] = value
    for position, value in (documents or {}).items():
        assert docs.loc[position, "DA"] != value
        docs.loc[position, "DA"] = value
    units = units.drop(index=list(drop))
    return pq.Corpus(docs, units)


def coder_b() -> pq.Corpus:
    return perturb(
        instruments=B_INSTRUMENTS,
        scores=B_SCORES,
        objectives=B_OBJECTIVES,
        documents=B_DOCUMENTS,
        drop=B_DROPPED,
    )


def coder_c() -> pq.Corpus:
    return perturb(
        instruments=C_INSTRUMENTS,
        scores=C_SCORES,
        objectives=C_OBJECTIVES,
        documents=C_DOCUMENTS,
        drop=C_DROPPED,
    )


@pytest.fixture(scope="module")
def two():
    return {"A": CORPUS, "B": coder_b()}


@pytest.fixture(scope="module")
def three():
    return {"A": CORPUS, "B": coder_b(), "C": coder_c()}


def values_by_hand(corpus: pq.Corpus, dimension: str) -> pd.Series:
    """One coder's values of a dimension, by unit_id (doc_id for DA), read with plain pandas."""
    if dimension == "DA":
        return corpus.documents.set_index("doc_id")["DA"].astype("float64")
    units = corpus.units.set_index("unit_id")
    if dimension == "instrument":
        return units["instrument"].astype(object)
    if dimension.startswith("objective:"):
        key = dimension.split(":", 1)[1]
        return units["objectives"].map(lambda chosen: float(key in chosen))
    return units[dimension].astype("float64")


def data_by_hand(coders: Mapping[str, pq.Corpus], dimension: str) -> pd.DataFrame:
    """Reliability data (coders x units) of one dimension, aligned on ids by pandas."""
    return pd.DataFrame({name: values_by_hand(corpus, dimension) for name, corpus in coders.items()}).T


def changed_objectives(positions: Mapping[int, tuple[str, ...]]) -> dict[str, set[str]]:
    """The unit_ids whose presence of each objective a perturbation flips."""
    flipped: dict[str, set[str]] = {f"objective:{key}": set() for key in OBJECTIVES}
    for position, chosen in positions.items():
        before = set(CORPUS.units.loc[position, "objectives"])
        for key in before.symmetric_difference(chosen):
            flipped[f"objective:{key}"].add(UNIT_IDS[position])
    return flipped


def changed(
    instruments: Sequence[int],
    scores: Mapping[int, Mapping[str, int]],
    objectives: Mapping[int, tuple[str, ...]],
    documents: Mapping[int, int],
) -> dict[str, set[str]]:
    """For each dimension, the ids whose value a perturbation changes."""
    out = {name: set() for name in DIMENSIONS}
    out["instrument"] = {UNIT_IDS[p] for p in instruments}
    for position, values in scores.items():
        for column in values:
            out[column].add(UNIT_IDS[position])
    out.update(changed_objectives(objectives))
    out["DA"] = {DOC_IDS[p] for p in documents}
    return out


B_CHANGED = changed(B_INSTRUMENTS, B_SCORES, B_OBJECTIVES, B_DOCUMENTS)
C_CHANGED = changed(C_INSTRUMENTS, C_SCORES, C_OBJECTIVES, C_DOCUMENTS)


# --------------------------------------------------------------------------
# agreement_report: two coders.


def test_two_coders_table_shape_and_units(two):
    report = agreement_report(two)
    assert isinstance(report, AgreementReport)
    assert report.coders == ("A", "B")
    table = report.table
    assert table.index.tolist() == DIMENSIONS and table.index.name == "dimension"
    assert table.columns.tolist() == COLUMNS
    assert report.to_frame() is table
    expected_units = {name: N_UNITS - len(B_DROPPED) for name in DIMENSIONS} | {"DA": N_DOCUMENTS}
    assert table["units"].to_dict() == expected_units
    assert table["measurement"].to_dict() == {
        name: "ordinal" if name in ("DA", "AS", "MI") else "nominal" for name in DIMENSIONS
    }
    assert table.loc["DA", "unit"] == "document" and (table["unit"].drop("DA") == "unit").all()
    # Without bootstrap= there is no interval.
    assert table[["ci_low", "ci_high"]].isna().all().all()


def test_two_coders_percent_agreement_counted_from_the_perturbations(two):
    table = agreement_report(two).table
    n = N_UNITS - len(B_DROPPED)
    expected = {name: 1 - len(B_CHANGED[name]) / n for name in DIMENSIONS}
    expected["DA"] = 1 - len(B_CHANGED["DA"]) / N_DOCUMENTS
    assert table["percent_agreement"].to_dict() == pytest.approx(expected, abs=1e-15)
    # Dimensions nobody touched agree perfectly on every coefficient, the others do not.
    untouched = [name for name in DIMENSIONS if not B_CHANGED[name]]
    assert "MI" in untouched and len(untouched) < len(DIMENSIONS) - 3
    assert (table.loc[untouched, ["estimate", "kappa", "ac1", "percent_agreement"]] == 1.0).all().all()
    touched = [name for name in DIMENSIONS if name not in untouched]
    assert (table.loc[touched, ["estimate", "kappa", "ac1", "percent_agreement"]] < 1.0).all().all()


@pytest.mark.parametrize("dropped", [B_DROPPED, ()], ids=["two-left-out", "none-left-out"])
@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_two_coders_coefficients_equal_those_of_hand_built_data(dimension, dropped):
    coders = {
        "A": CORPUS,
        "B": perturb(
            instruments=B_INSTRUMENTS,
            scores=B_SCORES,
            objectives=B_OBJECTIVES,
            documents=B_DOCUMENTS,
            drop=dropped,
        ),
    }
    row = agreement_report(coders).table.loc[dimension]
    data = data_by_hand(coders, dimension)
    level = "ordinal" if dimension in ("DA", "AS", "MI") else "nominal"
    values = [1, 2, 3, 4, 5] if dimension == "DA" else [1, 3, 5] if level == "ordinal" else None
    assert row["estimate"] == pytest.approx(float(krippendorff_alpha(data, level, values=values)), abs=1e-12)
    assert row["kappa"] == pytest.approx(float(cohen_kappa(data.iloc[0], data.iloc[1])), abs=1e-12)
    assert row["percent_agreement"] == pytest.approx(float(percent_agreement(data)), abs=1e-12)
    if not dropped:  # with clauses left out, AC1 also counts them: see the test below
        assert row["ac1"] == pytest.approx(float(gwet_ac1(data)), abs=1e-12)


def test_two_coders_kappa_is_cohens_on_units_both_coded(two):
    data = data_by_hand(two, "instrument")
    both = data.loc[:, data.notna().all()]
    assert both.shape[1] == N_UNITS - len(B_DROPPED)
    result = cohen_kappa(both.iloc[0], both.iloc[1])
    assert agreement_report(two).table.loc["instrument", "kappa"] == pytest.approx(result.kappa, abs=1e-12)
    # Two coders, no missing values: p_o is the share of identical units.
    assert result.observed == pytest.approx(1 - len(B_INSTRUMENTS) / both.shape[1], abs=1e-15)


@pytest.mark.parametrize("dimension", ["instrument", "AS", "DA", "objective:rights_protection"])
def test_alpha_matches_the_krippendorff_package(two, dimension):
    krippendorff = pytest.importorskip("krippendorff")
    data = data_by_hand(two, dimension)
    if dimension == "instrument":
        codes = data.apply(
            lambda row: row.map(lambda v: np.nan if pd.isna(v) else float(KEYS.index(v))), axis=1
        )
        level, domain = "nominal", [float(i) for i in range(len(KEYS))]
    else:
        codes = data.astype("float64")
        level = "nominal" if dimension.startswith("objective:") else "ordinal"
        domain = np.unique(codes.to_numpy(dtype=float)[codes.notna().to_numpy()]).tolist()
    expected = krippendorff.alpha(
        reliability_data=codes.to_numpy(dtype=float), level_of_measurement=level, value_domain=domain
    )
    assert agreement_report(two).table.loc[dimension, "estimate"] == pytest.approx(expected, abs=1e-10)


def test_two_coders_ac1_uses_the_values_of_units_one_coder_left_out():
    coders = {"A": CORPUS, "B": perturb(instruments=B_INSTRUMENTS, drop=tuple(range(100, 160)))}
    data = data_by_hand(coders, "instrument")
    expected = float(gwet_ac1(data))
    assert expected != pytest.approx(float(gwet_ac1(data.loc[:, data.notna().all()])), abs=1e-9)
    assert agreement_report(coders).table.loc["instrument", "ac1"] == pytest.approx(expected, abs=1e-12)


def test_ac1_counts_every_level_of_the_scale():
    document = CORPUS.subset(["N15"])
    assert set(document.units["AS"]) == {3, 5}
    units = document.units.copy()
    units.loc[0, "AS"] = 5 if units.loc[0, "AS"] == 3 else 3
    coders = {"A": document, "B": pq.Corpus(document.documents, units)}
    data = data_by_hand(coders, "AS")
    expected = float(gwet_ac1(data, values=[1, 3, 5]))
    assert agreement_report(coders).table.loc["AS", "ac1"] == pytest.approx(expected, abs=1e-12)


def test_categories_in_framework_order_with_per_category_agreement(two):
    categories = agreement_report(two).categories
    assert categories.index.tolist() == list(KEYS) and categories.index.name == "category"
    assert categories.columns.tolist() == ["n_values", "agreement"]
    data = data_by_hand(two, "instrument").loc[:, lambda d: d.notna().all()]
    first, second = data.iloc[0], data.iloc[1]
    for key in KEYS:
        n_values = int((first == key).sum() + (second == key).sum())
        both = int(((first == key) & (second == key)).sum())
        assert categories.loc[key, "n_values"] == n_values
        assert categories.loc[key, "agreement"] == pytest.approx(2 * both / n_values, abs=1e-12)
    touched = {CORPUS.units.loc[p, "instrument"] for p in B_INSTRUMENTS}
    touched |= {next_instrument(key) for key in touched}
    untouched = [key for key in KEYS if key not in touched]
    assert len(untouched) >= 6
    assert (categories.loc[untouched, "agreement"] == 1.0).all()
    assert (categories.loc[sorted(touched), "agreement"] < 1.0).all()


def test_coverage_lists_exactly_the_dropped_units(two):
    coverage = agreement_report(two).coverage
    assert coverage.columns.tolist() == ["unit_id", "coded_by"]
    assert coverage["unit_id"].tolist() == [UNIT_IDS[p] for p in B_DROPPED]
    assert coverage["coded_by"].tolist() == ["A", "A"]


def test_coverage_is_empty_when_every_coder_coded_every_unit():
    coverage = agreement_report({"A": CORPUS, "B": perturb(instruments=[5])}).coverage
    assert coverage.empty and coverage.columns.tolist() == ["unit_id", "coded_by"]


# --------------------------------------------------------------------------
# agreement_report: three coders.


def test_three_coders_units_and_percent_agreement(three):
    table = agreement_report(three).table
    dropped = {UNIT_IDS[p] for p in B_DROPPED + C_DROPPED}
    assert table.loc["instrument", "units"] == N_UNITS  # each left-out clause still has two coders
    assert table.loc["DA", "units"] == N_DOCUMENTS
    for name in DIMENSIONS:
        n = N_DOCUMENTS if name == "DA" else N_UNITS
        # A unit one of three coders changed agrees on one pair of three; a unit one coder
        # left out has a single pair, which agrees.
        perturbed = B_CHANGED[name] | C_CHANGED[name]
        assert not perturbed & dropped
        expected = 1 - len(perturbed) * (2 / 3) / n
        assert table.loc[name, "percent_agreement"] == pytest.approx(expected, abs=1e-14), name


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_three_coders_kappa_is_fleiss_on_units_all_coded(three, dimension):
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    row = agreement_report(three).table.loc[dimension]
    data = data_by_hand(three, dimension)
    complete = data.loc[:, data.notna().all()]
    n_complete = N_DOCUMENTS if dimension == "DA" else N_UNITS - len(B_DROPPED) - len(C_DROPPED)
    assert complete.shape[1] == n_complete
    kappa = fleiss_kappa(complete).kappa
    assert row["kappa"] == pytest.approx(kappa, abs=1e-12)
    counts = complete.apply(lambda unit: unit.value_counts()).fillna(0).T  # units x categories
    assert (counts.sum(axis=1) == 3).all()
    assert row["kappa"] == pytest.approx(inter_rater.fleiss_kappa(counts.to_numpy()), abs=1e-12)
    level = "ordinal" if dimension in ("DA", "AS", "MI") else "nominal"
    values = [1, 2, 3, 4, 5] if dimension == "DA" else [1, 3, 5] if level == "ordinal" else None
    assert row["estimate"] == pytest.approx(float(krippendorff_alpha(data, level, values=values)), abs=1e-12)
    assert row["ac1"] == pytest.approx(float(gwet_ac1(data)), abs=1e-12)


def test_three_coders_coverage_names_who_coded(three):
    coverage = agreement_report(three).coverage
    expected = {UNIT_IDS[p]: "A, C" for p in B_DROPPED} | {UNIT_IDS[p]: "A, B" for p in C_DROPPED}
    assert dict(zip(coverage["unit_id"], coverage["coded_by"], strict=True)) == expected
    assert len(coverage) == len(B_DROPPED) + len(C_DROPPED)


# --------------------------------------------------------------------------
# Identical coders.


def test_identical_coders_agree_perfectly():
    report = agreement_report({"A": CORPUS, "B": CORPUS, "C": CORPUS})
    coefficients = report.table[["estimate", "kappa", "ac1", "percent_agreement"]]
    assert (coefficients == 1.0).all().all()
    assert (report.categories["agreement"] == 1.0).all()
    assert report.categories["n_values"].sum() == pytest.approx(3 * N_UNITS, abs=1e-9)
    assert report.coverage.empty


def test_categories_count_values_exactly():
    report = agreement_report({"A": CORPUS, "B": CORPUS, "C": CORPUS})
    expected = (3 * CORPUS.units["instrument"].value_counts()).reindex(KEYS)
    assert report.categories["n_values"].tolist() == expected.tolist()


def test_identical_coders_on_a_dimension_with_one_category_give_nan():
    """Document N02: six clauses, none serving rights protection or tech innovation, and one DA.

    With a single value, alpha's expected disagreement is 0 (alpha is 0 / 0), so are kappa's
    and kappa: NaN.  AC1, which counts every category of the dimension, and percent
    agreement are 1.
    """
    document = CORPUS.subset(["N02"])
    report = agreement_report({"A": document, "B": document})
    table = report.table
    single = ["objective:rights_protection", "objective:tech_innovation", "DA"]
    for name in single:
        assert len(set(values_by_hand(document, name))) == 1
    assert table.loc[single, ["estimate", "kappa"]].isna().all().all()
    # AC1 knows every category of the dimension (not only the one used), so its chance
    # agreement is below 1 and perfect agreement gives 1.
    assert (table.loc[single, "ac1"] == 1.0).all()
    assert (table.loc[single, "percent_agreement"] == 1.0).all()
    assert table.loc["DA", "units"] == 1 and table.loc["instrument", "units"] == 6
    others = [name for name in DIMENSIONS if name not in single]
    assert (table.loc[others, ["estimate", "kappa", "ac1", "percent_agreement"]] == 1.0).all().all()
    # Only the instruments the document uses are listed.
    assert report.categories.index.tolist() == [k for k in KEYS if k in set(document.units["instrument"])]


# --------------------------------------------------------------------------
# Bootstrap.


def test_bootstrap_fills_the_interval_reproducibly(three):
    first = agreement_report(three, bootstrap=200, seed=7)
    again = agreement_report(three, bootstrap=200, seed=7)
    table = first.table
    assert table[["ci_low", "ci_high"]].notna().all().all()
    assert (table["ci_low"] <= table["estimate"] + 1e-12).all()
    assert (table["estimate"] <= table["ci_high"] + 1e-12).all()
    assert (table["ci_high"] <= 1.0).all()
    pd.testing.assert_frame_equal(table, again.table)
    # Perfect agreement stays perfect in every resample.
    assert (
        agreement_report({"A": CORPUS, "B": CORPUS}, bootstrap=50, seed=1)
        .table[["ci_low", "ci_high"]]
        .eq(1.0)
        .all()
        .all()
    )
    # The point estimates do not depend on the bootstrap.
    plain = agreement_report(three).table
    pd.testing.assert_series_equal(table["estimate"], plain["estimate"])


def test_bootstrap_seed_and_coverage_change_the_interval(three):
    seven = agreement_report(three, bootstrap=200, seed=7).table
    eight = agreement_report(three, bootstrap=200, seed=8).table
    assert not seven[["ci_low", "ci_high"]].equals(eight[["ci_low", "ci_high"]])
    narrow = agreement_report(three, bootstrap=200, seed=7, ci=0.5).table
    assert (
        narrow["ci_high"] - narrow["ci_low"] <= seven["ci_high"] - seven["ci_low"] + 1e-12
    ).all()
    data = data_by_hand(three, "instrument")
    pairable = data.loc[:, data.notna().sum() >= 2]
    alone = krippendorff_alpha(pairable, bootstrap=200, seed=7)
    assert seven.loc["instrument", ["ci_low", "ci_high"]].tolist() == pytest.approx(list(alone.ci))


# --------------------------------------------------------------------------
# agreement_report: errors.


def framework_corpus(name: str) -> pq.Corpus:
    units = pd.DataFrame({"unit_id": ["N01-2-2", "N01-2-4"], "instrument": ["regulation", "subsidies"]})
    return pq.Corpus(None, units, framework=name)


@pytest.mark.parametrize(
    ("coders", "message"),
    [
        ({"A": CORPUS}, "at least two coders, got 1"),
        ({}, "at least two coders, got 0"),
        ([CORPUS, CORPUS], "as a mapping"),
        ({"A": CORPUS, "B": CORPUS.units}, r"a Corpus .* for coder 'B'; got a pandas DataFrame: read it"),
        ({"A": CORPUS, "B": None}, r"a Corpus .* for coder 'B'; got None"),
        (
            {"A": CORPUS, "B": framework_corpus("howlett-ramesh-1995")},
            "different frameworks: howlett-ramesh-1995, wang2026",
        ),
    ],
)
@pytest.mark.parametrize("function", [agreement_report, disagreements, adjudicate])
def test_coders_are_checked(function, coders, message):
    with pytest.raises(ValidationError, match=message):
        function(coders)


def test_no_overlapping_units_is_an_error():
    units, documents = CORPUS.units.copy(), CORPUS.documents.copy()
    units["unit_id"] = "X" + units["unit_id"]
    units["doc_id"] = "X" + units["doc_id"]
    documents["doc_id"] = "X" + documents["doc_id"]
    elsewhere = pq.Corpus(documents, units)
    with pytest.raises(
        ValidationError, match="no clause was coded by two coders: check that the coders' unit_ids"
    ):
        agreement_report({"A": CORPUS, "B": elsewhere})


def test_no_overlapping_unit_ids_is_an_error_even_when_the_documents_match():
    units = CORPUS.units.copy()
    units["unit_id"] = units["unit_id"] + "a"
    with pytest.raises(ValidationError, match="unit_ids"):
        agreement_report({"A": CORPUS, "B": pq.Corpus(CORPUS.documents, units)})


def test_bootstrap_and_ci_are_checked(two):
    with pytest.raises(ValidationError, match="bootstrap= must be a number of resamples"):
        agreement_report(two, bootstrap=0)
    with pytest.raises(ValidationError, match="ci= must be a coverage"):
        agreement_report(two, ci=95)


# --------------------------------------------------------------------------
# disagreements.


def expected_disagreements(
    coders: Mapping[str, pq.Corpus], changes: Mapping[str, set[str]], dimensions: Sequence[str] = DIMENSIONS
) -> set[tuple]:
    """(id, dimension, value of each coder) of every perturbed pair, read by hand."""
    rows = set()
    for name in dimensions:
        data = data_by_hand(coders, name)
        for unit in changes[name]:
            rows.add((unit, name, *(None if pd.isna(v) else v for v in data[unit])))
    return rows


def as_rows(frame: pd.DataFrame) -> set[tuple]:
    """(id, dimension, each coder's value) of each row; the sheet's doc_id, text and decision set aside."""
    frame = frame.drop(columns=["doc_id", "text", "decision"])
    return {
        tuple(None if pd.isna(v) else (v if isinstance(v, str) else float(v)) for v in row)
        for row in frame.itertuples(index=False)
    }


def test_disagreements_are_exactly_the_perturbed_pairs(two):
    found = disagreements(two).to_frame()
    assert found.columns.tolist() == ["id", "doc_id", "text", "dimension", "A", "B", "decision"]
    assert as_rows(found) == expected_disagreements(two, B_CHANGED)
    assert len(found) == sum(len(ids) for ids in B_CHANGED.values())
    # Dimensions in the order of coded_dimensions, then ids in order.
    order = [DIMENSIONS.index(d) for d in found["dimension"]]
    assert order == sorted(order)
    instrument = found[found["dimension"] == "instrument"].set_index("id")
    for position in B_INSTRUMENTS:
        before = CORPUS.units.loc[position, "instrument"]
        assert instrument.loc[UNIT_IDS[position], ["A", "B"]].tolist() == [before, next_instrument(before)]


def test_disagreements_show_values_as_coded(two):
    found = disagreements(two).to_frame().set_index(["id", "dimension"])
    position, score = next(iter(B_SCORES.items()))
    assert found.loc[(UNIT_IDS[position], "AS"), "B"] == score["AS"]
    assert isinstance(found.loc[(UNIT_IDS[position], "AS"), "A"], (int, np.integer))
    assert found.loc[(DOC_IDS[3], "DA"), ["A", "B"]].tolist() == [CORPUS.documents.loc[3, "DA"], 5]
    objective = found.loc[(UNIT_IDS[20], "objective:rights_protection")]
    assert objective[["A", "B"]].tolist() == [False, True]


def test_disagreements_of_three_coders(three):
    found = disagreements(three).to_frame()
    changes = {name: B_CHANGED[name] | C_CHANGED[name] for name in DIMENSIONS}
    assert as_rows(found) == expected_disagreements(three, changes)
    assert found.columns.tolist() == ["id", "doc_id", "text", "dimension", "A", "B", "C", "decision"]


@pytest.mark.parametrize("wanted", [["AS"], ["instrument", "DA"], ["objective:public_safety", "MI"]])
def test_disagreements_dimension_filter(two, wanted):
    found = disagreements(two, dimensions=wanted).to_frame()
    assert set(found["dimension"]) == {d for d in wanted if B_CHANGED[d]}
    assert as_rows(found) == expected_disagreements(two, B_CHANGED, wanted)


def test_disagreements_filter_on_a_dimension_without_any_is_empty(two):
    found = disagreements(two, dimensions=["MI"]).to_frame()
    assert found.empty and found.columns.tolist() == ["id", "doc_id", "text", "dimension", "A", "B", "decision"]
    assert disagreements({"A": CORPUS, "B": CORPUS}).to_frame().empty


def test_disagreements_unknown_dimension(two):
    with pytest.raises(ValidationError, match=r"unknown dimension\(s\) objective:safety; choose from"):
        disagreements(two, dimensions=["AS", "objective:safety"]).to_frame()


def test_a_unit_one_coder_left_out_is_no_disagreement():
    left_out = perturb(drop=[7, 8])
    assert disagreements({"A": CORPUS, "B": left_out}).to_frame().empty
    assert disagreements({"A": CORPUS, "B": CORPUS, "C": left_out}).to_frame().empty
    # ... unless the others differ among themselves: then it shows, missing for the absent coder.
    changed_by_b = perturb(instruments=[7])
    found = disagreements({"A": CORPUS, "B": changed_by_b, "C": left_out}).to_frame()
    assert len(found) == 1
    row = found.iloc[0]
    assert (row["id"], row["dimension"]) == (UNIT_IDS[7], "instrument")
    assert pd.isna(row["C"]) and row["A"] != row["B"]




def test_disagreements_of_coders_read_without_texts_or_with_none_clauses():
    """Coders' sheets often hold ids and codes only; a clause one coder calls "none" still has its document."""
    bare = CORPUS.units.drop(columns="text")
    units_a = bare.copy()
    units_b = bare.copy().astype({"instrument": object})
    units_b.loc[3, ["instrument", "objectives", "AS", "MI"]] = ["none", None, None, None]
    a = pq.Corpus(CORPUS.documents, units_a)
    b = pq.Corpus(CORPUS.documents, units_b)
    found = disagreements({"A": a, "B": b}).to_frame()
    row = found[found["dimension"] == "instrument"].iloc[0]
    assert row["id"] == UNIT_IDS[3] and row["B"] == "none"
    assert row["doc_id"] == CORPUS.units.loc[3, "doc_id"]
    assert found["text"].isna().all()
# --------------------------------------------------------------------------
# adjudicate.


def test_majority_of_three_restores_the_original(three):
    agreed = adjudicate(three)
    assert isinstance(agreed, pq.Corpus)
    assert agreed == CORPUS
    assert agreed.framework == CORPUS.framework
    assert adjudicate({"A": CORPUS, "C": three["C"], "B": three["B"]}) == CORPUS


def test_majority_with_a_perturbed_coder_first(three):
    """Whoever comes first, every value of the agreed corpus is the original (the majority)."""
    agreed = adjudicate({"C": three["C"], "A": CORPUS, "B": three["B"]})
    original = CORPUS.units.set_index("unit_id").loc[agreed.units["unit_id"]].reset_index()
    for column in ["instrument", "objectives", "AS", "MI"]:
        assert agreed.units[column].tolist() == original[column].tolist(), column
    assert agreed.documents["DA"].tolist() == CORPUS.documents["DA"].tolist()


def test_adjudicate_leaves_the_coders_corpora_alone(three):
    before = {name: (corpus.units.copy(), corpus.documents.copy()) for name, corpus in three.items()}
    adjudicate(three)
    for name, corpus in three.items():
        pd.testing.assert_frame_equal(corpus.units, before[name][0])
        pd.testing.assert_frame_equal(corpus.documents, before[name][1])
    fresh = pq.io.read_coding(
        pq.datasets.data_path("genai_china_units.csv"), pq.datasets.data_path("genai_china_documents.csv")
    )
    assert pq.datasets.load_genai_china() == fresh


def test_two_coders_disagreeing_tie_and_every_tie_is_listed(two):
    with pytest.raises(ValidationError, match=r"^\d+ tie\(s\) among the coders need a decision") as caught:
        adjudicate(two)
    problems = caught.value.problems
    # Each tie names its unit (or document) and its dimension, in those words: not a "value" and a "column".
    named = problems["problem"].str.extract(r"^(?:unit|document) '([^']+)', dimension '([^']+)'")
    ties = set(zip(named[0], named[1], strict=True))
    expected = {(unit, name) for name, ids in B_CHANGED.items() for unit in ids}
    assert ties == expected
    assert f"{len(expected)} tie(s)" in str(caught.value)
    assert problems["problem"].str.contains(": the coders tie (A: ", regex=False).all()
    # Without a sheet there is no row or cell to name.
    assert problems[["file", "row", "column", "value"]].isna().all(axis=None)


def test_decisions_settle_the_ties(two):
    sheet = disagreements(two).to_frame()
    sheet["decision"] = sheet["A"]
    assert adjudicate(two, sheet) == CORPUS
    sheet["decision"] = sheet["B"]
    agreed = adjudicate(two, sheet)
    b_kept = two["B"].units["unit_id"]
    assert agreed.units.set_index("unit_id").loc[b_kept].reset_index().equals(two["B"].units)
    assert agreed.documents["DA"].tolist() == two["B"].documents["DA"].tolist()
    # B's left-out clauses keep A's coding: they have a single value, so no tie.
    assert len(agreed.units) == N_UNITS


def test_a_decision_left_blank_is_still_a_tie(two):
    sheet = disagreements(two).to_frame()
    sheet["decision"] = sheet["A"]
    sheet.loc[sheet["dimension"] == "AS", "decision"] = None
    with pytest.raises(ValidationError, match=f"^{len(B_CHANGED['AS'])} tie") as caught:
        adjudicate(two, sheet)
    problems = caught.value.problems
    # Each tie is at its blank decision cell: the sheet's row (as a spreadsheet numbers it) and column.
    assert set(problems["column"]) == {"decision"}
    assert sorted(problems["row"]) == [at + 2 for at in np.flatnonzero(sheet["dimension"] == "AS")]
    assert problems["problem"].str.contains(r"^unit '[^']+', dimension 'AS' \(Audience scope\)").all()


def test_decisions_override_the_majority(three):
    position = B_INSTRUMENTS[0]
    unit = UNIT_IDS[position]
    sheet = pd.DataFrame(
        {
            "id": [unit, UNIT_IDS[5], DOC_IDS[0], UNIT_IDS[6]],
            "dimension": ["instrument", "AS", "DA", "objective:rights_protection"],
            "decision": ["publicity_and_promotion", 1, 5, True],
        }
    )
    agreed = adjudicate(three, sheet).units.set_index("unit_id")
    assert agreed.loc[unit, "instrument"] == "publicity_and_promotion"
    assert agreed.loc[UNIT_IDS[5], "AS"] == 1 != CORPUS.units.loc[5, "AS"]
    assert "rights_protection" in agreed.loc[UNIT_IDS[6], "objectives"]
    assert adjudicate(three, sheet).documents.loc[0, "DA"] == 5
    # Nothing else moves.
    others = agreed.drop(index=[unit, UNIT_IDS[5], UNIT_IDS[6]])
    original = CORPUS.units.set_index("unit_id").drop(index=[unit, UNIT_IDS[5], UNIT_IDS[6]])
    assert others[["instrument", "AS", "MI"]].equals(original[["instrument", "AS", "MI"]])


def test_decisions_take_labels_the_corpus_understands(two):
    sheet = disagreements(two).to_frame()
    sheet["decision"] = sheet["A"].astype(object)
    instrument = sheet["dimension"] == "instrument"
    sheet.loc[instrument, "decision"] = "试点示范"
    agreed = adjudicate(two, sheet).units.set_index("unit_id")
    moved = [UNIT_IDS[p] for p in B_INSTRUMENTS]
    assert (agreed.loc[moved, "instrument"] == "pilots_and_demonstrations").all()


def test_decisions_with_an_unknown_dimension(two):
    sheet = pd.DataFrame({"id": [UNIT_IDS[0]], "dimension": ["objective:safety"], "decision": [True]})
    with pytest.raises(ValidationError, match="decisions name unknown dimensions") as caught:
        adjudicate(two, sheet)
    assert caught.value.problems["value"].tolist() == ["objective:safety"]


def test_decisions_naming_an_id_no_coder_coded(two):
    sheet = pd.DataFrame({"id": ["N99-1-1"], "dimension": ["AS"], "decision": [3]})
    with pytest.raises(ValidationError, match="no coder coded unit 'N99-1-1'"):
        adjudicate(two, sheet)
    # A clause id under a document-level dimension is no document either.
    sheet = pd.DataFrame({"id": [UNIT_IDS[0]], "dimension": ["DA"], "decision": [3]})
    with pytest.raises(ValidationError, match="no coder coded document"):
        adjudicate(two, sheet)


def test_a_decision_sheet_needs_its_columns(two):
    with pytest.raises(ValidationError, match="missing: decision"):
        adjudicate(two, disagreements(two).to_frame().drop(columns="decision"))
    # The sheet comes with an empty decision column: left empty, the ties stay open.
    with pytest.raises(ValidationError, match=r"tie\(s\) among the coders need a decision"):
        adjudicate(two, disagreements(two).to_frame())


@pytest.mark.parametrize("rule", ["unanimous", "first", None])
def test_only_the_majority_rule(three, rule):
    with pytest.raises(ValidationError, match="rule must be 'majority'"):
        adjudicate(three, rule=rule)


# --------------------------------------------------------------------------
# Property: the order of coders and of clauses changes nothing.

THREE_CODERS = {"A": CORPUS, "B": coder_b(), "C": coder_c()}
BASE_TABLE = agreement_report(THREE_CODERS).table
BASE_INSTRUMENT_ALPHA = float(BASE_TABLE.loc["instrument", "estimate"])


@settings(max_examples=15, deadline=None)
@given(
    order=st.permutations(["A", "B", "C"]),
    seeds=st.lists(st.integers(0, 2**32 - 1), min_size=3, max_size=3),
)
def test_alpha_ignores_the_order_of_coders_and_of_clauses(order, seeds):
    coders = THREE_CODERS
    expected = BASE_INSTRUMENT_ALPHA
    shuffled = {}
    for name, seed in zip(order, seeds, strict=True):
        corpus = coders[name]
        shuffled[name] = pq.Corpus(corpus.documents, corpus.units.sample(frac=1, random_state=seed))
    result = agreement_report(shuffled).table
    assert result.loc["instrument", "estimate"] == pytest.approx(expected, abs=1e-12)
    assert result.loc["instrument", "percent_agreement"] == pytest.approx(
        BASE_TABLE.loc["instrument", "percent_agreement"], abs=1e-12
    )


def test_the_property_starts_from_imperfect_agreement():
    assert 0.9 < BASE_INSTRUMENT_ALPHA < 1.0


def test_result_exports(two):
    report = agreement_report(two)
    assert "| instrument" in report.to_markdown()
    assert str(report).splitlines()[0].split()[:3] == ["estimate", "ci_low", "ci_high"]
    assert not math.isnan(report.table["estimate"].sum())


@pytest.mark.parametrize("order", ["full first", "partial first"])
def test_a_coder_without_a_dimension_column_is_named(order):
    full = pq.datasets.load_genai_china()
    partial = pq.Corpus(
        None,
        pd.DataFrame({"unit_id": ["Z9-1-1"], "instrument": ["infrastructure"], "objectives": ["public safety"]}),
    )
    coders = {"A": full, "B": partial} if order == "full first" else {"B": partial, "A": full}
    with pytest.raises(ValidationError, match=r"coder 'B' has no 'DA' column, which coder 'A' coded"):
        agreement_report(coders)
