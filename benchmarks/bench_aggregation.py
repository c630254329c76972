"""Table 4 and efficacy summaries at scale, against plain pandas and a bare numpy.bincount.

The corpus is synthetic: ``n_units`` clauses over the study's framework, each
serving one to three objectives (about 1.35 codings per clause, as in the
study), so that 7.4 million clauses give about 10 million codings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import policyquant as pq

from .harness import measure, report


def synthetic_corpus(n_units: int, seed: int = 0) -> pq.Corpus:
    """A valid corpus under ``wang2026`` with ``n_units`` clauses in 500 documents."""
    framework = pq.get_framework("wang2026")
    rng = np.random.default_rng(seed)
    n_docs = 500
    doc_ids = np.array([f"D{i:04d}" for i in range(n_docs)])
    documents = pd.DataFrame(
        {
            "doc_id": doc_ids,
            "level": rng.choice(["national", "provincial"], n_docs),
            "year": rng.integers(2017, 2026, n_docs),
            "DA": rng.choice([5, 4, 3, 2, 1], n_docs),
        }
    )
    keys = np.array(framework.objective_keys)
    # 1, 2 or 3 objectives per clause; the mean 1.355 matches the study's 908 / 670.
    n_objectives = rng.choice([1, 2, 3], n_units, p=[0.72, 0.205, 0.075])
    first = rng.integers(0, 4, n_units)
    cells = np.where(
        n_objectives == 1,
        keys[first],
        np.where(
            n_objectives == 2,
            np.char.add(np.char.add(keys[first], "; "), keys[(first + 1) % 4]),
            np.char.add(
                np.char.add(np.char.add(np.char.add(keys[first], "; "), keys[(first + 1) % 4]), "; "),
                keys[(first + 2) % 4],
            ),
        ),
    )
    units = pd.DataFrame(
        {
            "unit_id": np.char.add("U", np.arange(n_units).astype(str)),
            "doc_id": doc_ids[rng.integers(0, n_docs, n_units)],
            "instrument": pd.Categorical.from_codes(rng.integers(0, 16, n_units), framework.instrument_keys),
            "objectives": cells,
            "AS": rng.choice([5, 3, 1], n_units),
            "MI": rng.choice([5, 3, 1], n_units),
        }
    )
    return pq.Corpus(documents, units, framework)


def run(quick: bool = False) -> list[str]:
    n_units = 75_000 if quick else 7_400_000
    repeat = 3 if quick else 5
    corpus = synthetic_corpus(n_units)
    codings = corpus.codings
    lines = [f"# Aggregation: {len(corpus.units):,} clauses, {len(codings):,} codings"]

    # What a user has without policyquant: the long table as read from a spreadsheet (text columns).
    as_text = codings.astype({"instrument": "string", "objective": "string", "family": "string"})
    scores = pq.efficacy(corpus)
    units_text = corpus.units.astype({"instrument": "string"})
    units_text["APE"] = scores.to_numpy()
    codings_text = as_text.assign(APE=scores.to_numpy()[corpus.coding_unit_positions()])
    instrument_codes = codings["instrument"].cat.codes.to_numpy()
    objective_codes = codings["objective"].cat.codes.to_numpy()

    ours = measure("policyquant.crosstab", lambda: pq.crosstab(corpus), repeat)
    text = measure(
        "pandas.crosstab (text columns)",
        lambda: pd.crosstab(as_text["instrument"], as_text["objective"]),
        repeat,
    )
    categorical = measure(
        "pandas.crosstab (categoricals)",
        lambda: pd.crosstab(codings["instrument"], codings["objective"], dropna=False),
        repeat,
    )
    floor = measure(
        "numpy.bincount floor",
        lambda: np.bincount(instrument_codes * 4 + objective_codes, minlength=64),
        repeat,
    )
    cold = measure(
        "policyquant.crosstab, first call (codes not yet cached)",
        lambda: (corpus._memo.clear(), pq.crosstab(corpus)),
        repeat,
    )
    lines += report(
        "crosstab (Table 4)", [ours, cold], [text, categorical, floor], ">= 5x pandas; within 2x of the floor"
    )

    ours = measure(
        "policyquant.efficacy_summary(by=objective)",
        lambda: pq.efficacy_summary(corpus, by="objective"),
        repeat,
    )
    baseline = measure(
        "pandas groupby().agg (text columns)",
        lambda: codings_text.groupby("objective")["APE"].agg(["count", "mean", "std", "min", "max", "sum"]),
        repeat,
    )
    cold = measure(
        "policyquant, first call (scores and codes not yet cached)",
        lambda: (corpus._memo.clear(), pq.efficacy_summary(corpus, by="objective")),
        repeat,
    )
    lines += report("efficacy summary by objective", [ours, cold], [baseline], ">= 5x pandas")

    ours = measure(
        "policyquant.efficacy_summary(by=instrument)",
        lambda: pq.efficacy_summary(corpus, by="instrument"),
        repeat,
    )
    baseline = measure(
        "pandas groupby().agg (text columns)",
        lambda: units_text.groupby("instrument")["APE"].agg(["count", "mean", "std", "min", "max", "sum"]),
        repeat,
    )
    lines += report("efficacy summary by instrument", ours, [baseline], ">= 5x pandas")
    return lines
