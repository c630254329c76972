"""Policy-portfolio measures for every CONSENSUS portfolio, against a loop-by-loop port of PolicyPortfolios.

The data are the CONSENSUS portfolios shipped with the R package
PolicyPortfolios (``../shared/anchors/consensus.csv.gz``: 23 countries x 30
years x 2 sectors, 509,220 rows).  policyquant computes all 19 measures of
every portfolio in one call; the baseline is
:mod:`benchmarks.policyportfolios_port`, which follows the R code portfolio by
portfolio and measure by measure (once per sector, as R's ``pp_measures(D, id
= list(Sector = ...))``).  Both start from the same tidy frame; reading the
file is not timed.  The benchmark also checks that both give the same values.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from policyquant.analysis.portfolios import portfolio_measures

from . import policyportfolios_port as port
from .harness import measure, report

BY = ["Sector", "Country", "Year"]

#: Where the anchor data may be: next to the repository (``../shared/anchors``), or in /work/shared.
CANDIDATES = (
    Path(__file__).resolve().parents[1].parent / "shared" / "anchors" / "consensus.csv.gz",
    Path("/work/shared/anchors/consensus.csv.gz"),
)


def consensus_path() -> Path | None:
    """The CONSENSUS file, or None when the anchors folder is absent."""
    return next((path for path in CANDIDATES if path.is_file()), None)


def with_port(data: pd.DataFrame) -> pd.DataFrame:
    """Every measure by the loop-by-loop port: one sector (one space) at a time."""
    return pd.concat([port.pp_measures(part, by=BY) for _, part in data.groupby("Sector", sort=True)])


def run(quick: bool = False) -> list[str]:
    path = consensus_path()
    if path is None:
        return ["# Portfolio measures: skipped, ../shared/anchors/consensus.csv.gz is absent"]
    data = pd.read_csv(path)
    if quick:
        data = data[data["Country"].isin(["France", "United States"])].reset_index(drop=True)
    repeat = 3 if quick else 5
    n_portfolios = data.groupby(BY).ngroups
    lines = [
        f"# Portfolio measures: {n_portfolios:,} CONSENSUS portfolios, {len(data):,} rows"
        + (" (quick: France and the United States)" if quick else "")
    ]

    ours = portfolio_measures(data, by=BY, space_by="Sector").to_frame()
    theirs = with_port(data).loc[ours.index]
    agree = all(
        np.allclose(
            ours[c].to_numpy(float), theirs[c].to_numpy(float), rtol=1e-12, atol=1e-12, equal_nan=True
        )
        for c in ours.columns
    )
    lines.append(f"  all {ours.shape[1]} measures agree with the port: {'yes' if agree else 'NO'}")

    fast = measure(
        "policyquant.portfolio_measures (all portfolios at once)",
        lambda: portfolio_measures(data, by=BY, space_by="Sector"),
        repeat,
    )
    slow = measure("loop-by-loop port of PolicyPortfolios::pp_measures", lambda: with_port(data), repeat)
    lines += report("all measures of every portfolio", fast, [slow], ">= 20x")
    lines.append(f"  ratio: {slow.seconds / fast.seconds:.1f}x")
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
