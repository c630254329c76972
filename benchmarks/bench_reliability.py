"""Krippendorff's alpha at scale, and its bootstrap, against the ``krippendorff`` package.

Reliability data are synthetic: each unit has a true category out of 10; each
coder gives it with probability 0.7 and a random category otherwise, and 5% of
values are missing.  policyquant's :func:`~policyquant.reliability.krippendorff_alpha`
and :func:`krippendorff.alpha` run on the same array (coders x units, NaN for
missing), times and peak traced memory.  The bootstrap compares 1,000
resamples of units by policyquant with a loop of :func:`krippendorff.alpha`
over 1,000 resamples of the same size drawn from the same pairable units.
"""

from __future__ import annotations

import numpy as np

from policyquant.reliability import krippendorff_alpha

from .harness import measure, report


def synthetic_reliability(
    n_coders: int, n_units: int, n_categories: int = 10, missing: float = 0.05, seed: int = 0
) -> np.ndarray:
    """Coders x units float array of category codes 0..n_categories-1, NaN for missing."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, n_categories, n_units)
    faithful = rng.random((n_coders, n_units)) < 0.7
    data = np.where(faithful, truth, rng.integers(0, n_categories, (n_coders, n_units))).astype(np.float64)
    data[rng.random((n_coders, n_units)) < missing] = np.nan
    return data


def run(quick: bool = False) -> list[str]:
    try:
        import krippendorff
    except ImportError:
        return ["# Reliability: skipped (the baseline needs `pip install krippendorff`)"]
    n_units = 20_000 if quick else 1_000_000
    repeat = 3
    data = synthetic_reliability(5, n_units)
    lines = [f"# Reliability: Krippendorff's alpha, 5 coders x {n_units:,} units, 10 categories, 5% missing"]
    for level in ("nominal", "interval"):
        ours_value = float(krippendorff_alpha(data, level))
        theirs_value = float(krippendorff.alpha(data, level_of_measurement=level))
        ours = measure(
            f"policyquant krippendorff_alpha({level!r})",
            lambda level=level: krippendorff_alpha(data, level),
            repeat,
            memory=True,
        )
        theirs = measure(
            f"krippendorff.alpha({level!r})",
            lambda level=level: krippendorff.alpha(data, level_of_measurement=level),
            repeat,
            memory=True,
        )
        lines += report(f"alpha, {level}", ours, [theirs], ">= 2x faster, <= 1/4 of its peak memory")
        lines.append(
            f"  peak memory policyquant / krippendorff = {ours.peak_bytes / theirs.peak_bytes:.3f}; "
            f"alpha {ours_value:.10f} vs {theirs_value:.10f}"
        )

    boot_units, resamples = (2_000, 100) if quick else (10_000, 1_000)
    small = synthetic_reliability(3, boot_units, seed=1)
    pairable = np.flatnonzero((~np.isnan(small)).sum(axis=0) >= 2)
    draws = np.random.default_rng(2).integers(0, len(pairable), (resamples, len(pairable)))

    def loop() -> np.ndarray:
        return np.array(
            [krippendorff.alpha(small[:, pairable[d]], level_of_measurement="nominal") for d in draws]
        )

    lines.append(
        f"# Bootstrap: {resamples:,} resamples of units, 3 coders x {boot_units:,} units "
        f"({len(pairable):,} pairable), nominal"
    )
    ours = measure(
        f"policyquant krippendorff_alpha(bootstrap={resamples})",
        lambda: krippendorff_alpha(small, bootstrap=resamples, seed=1),
        repeat,
    )
    theirs = measure(f"loop of {resamples:,} krippendorff.alpha calls", loop, 1)
    lines += report("bootstrap", ours, [theirs], ">= 20x faster")
    result = krippendorff_alpha(small, bootstrap=resamples, seed=1)
    baseline = loop()
    tail = [2.5, 97.5]
    low, high = np.percentile(baseline, tail)
    lines.append(
        f"  95% CI policyquant [{result.ci[0]:.4f}, {result.ci[1]:.4f}], sd {np.nanstd(result.bootstrap_alphas):.4f}; "
        f"krippendorff loop [{low:.4f}, {high:.4f}], sd {baseline.std():.4f}"
    )
    return lines
