"""The PMC index of a million policies against plain pandas.

Every policy is coded on 40 binary sub-variables in ten first-level variables
(``X1_1`` ... ``X10_k``, 3 to 6 sub-variables each, as in PMC studies).
policyquant's :meth:`~policyquant.frameworks.pmc.PMCIndex.score` checks that
every value is 0 or 1 and returns the ten variables, the PMC, the concavity
and the grade; the baseline is what a researcher writes with pandas alone: the
mean of each variable's columns, then their sum, with no check at all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from policyquant.frameworks.pmc import PMCIndex

from .harness import measure, report

#: Sub-variables per first-level variable: 40 in all.
SUB_VARIABLES = (5, 3, 4, 6, 3, 4, 5, 4, 3, 3)


def synthetic_policies(n_policies: int, seed: int = 0) -> pd.DataFrame:
    """One row per policy, one 0/1 column per sub-variable, as read from a coding sheet (int64)."""
    rng = np.random.default_rng(seed)
    columns = [f"X{i}_{j}" for i, count in enumerate(SUB_VARIABLES, start=1) for j in range(1, count + 1)]
    values = (rng.random((n_policies, len(columns))) < 0.7).astype(np.int64)
    return pd.DataFrame(values, columns=columns, index=pd.RangeIndex(n_policies, name="policy"))


def run(quick: bool = False) -> list[str]:
    n_policies = 50_000 if quick else 1_000_000
    repeat = 3 if quick else 7
    frame = synthetic_policies(n_policies)
    index = PMCIndex.from_columns(frame)
    groups = {name: list(columns) for name, columns in index.variables.items()}

    def with_pandas() -> pd.Series:
        means = pd.DataFrame({name: frame[columns].mean(axis=1) for name, columns in groups.items()})
        return means.sum(axis=1)

    ours_pmc = index.score(frame)["PMC"].to_numpy()
    theirs_pmc = with_pandas().to_numpy()
    lines = [
        f"# PMC index: {n_policies:,} policies x {frame.shape[1]} sub-variables in {len(groups)} variables "
        f"(largest difference from pandas: {np.abs(ours_pmc - theirs_pmc).max():.1e})"
    ]
    score = measure(
        "PMCIndex.score (checked; variables, PMC, concavity, grade)", lambda: index.score(frame), repeat
    )
    variables = measure("PMCIndex.variable_scores (checked)", lambda: index.variable_scores(frame), repeat)
    baseline = measure("pandas: mean of each variable's columns, then the sum", with_pandas, repeat)
    lines += report("PMC index", [score, variables], [baseline], ">= 5x pandas")
    return lines
