"""Run the benchmark suite: ``python -m benchmarks [--quick] [--only NAME]``."""

from __future__ import annotations

import argparse
import os
import platform
from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import (
    bench_aggregation,
    bench_chunked,
    bench_coders,
    bench_dfm,
    bench_documents,
    bench_imports,
    bench_io,
    bench_pmc,
    bench_portfolios,
    bench_reliability,
    bench_scale,
    bench_segmentation,
    bench_text,
)

#: Benchmark modules by name; each has ``run(quick: bool) -> list[str]``.
SUITE = {
    "aggregation": bench_aggregation,
    "reliability": bench_reliability,
    "reading": bench_io,
    "portfolios": bench_portfolios,
    "pmc": bench_pmc,
    "imports": bench_imports,
    "segmentation": bench_segmentation,
    "documents": bench_documents,
    "text": bench_text,
    "coders": bench_coders,
    "dfm": bench_dfm,
    "chunked": bench_chunked,
    "scale": bench_scale,
}


def machine() -> str:
    """One line describing where the figures were measured."""
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}, pandas {pd.__version__}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the suite runs")
    parser.add_argument("--only", choices=sorted(SUITE), action="append", help="run only these benchmarks")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    for name in args.only or SUITE:
        for line in SUITE[name].run(quick=args.quick):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
