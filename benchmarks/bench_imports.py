"""Start-up time: ``import policyquant`` and ``policyquant frameworks`` against ``import pandas``.

Each command runs in a fresh interpreter (``python -c ...``), several times in
turn, and the median wall time is reported: what a user waits for at the start
of every script and every command.  The interpreter's own start-up is in every
figure.  ``import policyquant`` loads nothing until a name is used (PEP 562);
the first real use (a framework, which needs pandas) is timed too.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from .harness import Measurement

COMMANDS = {
    "import pandas": [sys.executable, "-c", "import pandas"],
    "import policyquant": [sys.executable, "-c", "import policyquant"],
    "import policyquant; get_framework('wang2026')": [
        sys.executable,
        "-c",
        "import policyquant as pq; pq.get_framework('wang2026')",
    ],
    "import policyquant; read_coding, crosstab, report": [
        sys.executable,
        "-c",
        "from policyquant import read_coding, crosstab, report",
    ],
    "policyquant frameworks (the command)": [sys.executable, "-m", "policyquant", "frameworks"],
    "python -c pass (the interpreter alone)": [sys.executable, "-c", "pass"],
}


def _time(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def run(quick: bool = False) -> list[str]:
    repeat = 3 if quick else 15
    for command in COMMANDS.values():  # warm the file cache
        _time(command)
    runs: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(repeat):  # interleaved, so that a busy moment hits every command alike
        for name, command in COMMANDS.items():
            runs[name].append(_time(command))
    results = {name: Measurement(name, statistics.median(times), times) for name, times in runs.items()}
    pandas = results["import pandas"].seconds
    width = max(map(len, COMMANDS))
    lines = [
        f"# Start-up: median of {repeat} fresh interpreters each",
        "## import time  (target: at most 1.3x import pandas)",
    ]
    for name, m in results.items():
        lines.append(
            f"  {name:<{width}}  {m.seconds * 1000:8.1f} ms  this / import pandas = {m.seconds / pandas:5.2f}x"
        )
    return lines
