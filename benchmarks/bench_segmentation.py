"""Reading and segmenting 1,564 real legal texts (28 MB), against reading them and one ``re.finditer``.

The corpus is ``../shared/anchors/lawrefbook/national.tar.xz`` (Chinese national laws,
regulations and judicial interpretations as Markdown; see that folder's README), unpacked
into a temporary folder.  policyquant's path reads every file and runs
:func:`policyquant.documents.segment` on them: every heading found, numbered, checked for
gaps and repeats, and the units table built with spans, lines and heading paths.  The floor
is the least any segmenter must do: read the same files and run one ``re.finditer`` of the
article pattern over each.  ``--quick`` uses the first 150 files.
"""

from __future__ import annotations

import tarfile
import tempfile
from pathlib import Path

import pandas as pd

from policyquant.documents import segment
from policyquant.documents.segmentation import ARTICLE_PATTERN

from .harness import cpu_seconds, measure, report

ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "anchors" / "lawrefbook" / "national.tar.xz"


def _read(files: list[Path]) -> list[str]:
    return [path.read_text(encoding="utf-8") for path in files]



def run(quick: bool = False) -> list[str]:
    if not ARCHIVE.is_file():
        return ["## Segmentation", f"  skipped: {ARCHIVE} is absent"]
    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(ARCHIVE, "r:xz") as archive:
            archive.extractall(folder, filter="data")
        files = sorted(path for path in Path(folder).rglob("*.md") if path.is_file())
        if quick:
            files = files[:150]
        size = sum(path.stat().st_size for path in files)
        ids = [path.relative_to(folder).as_posix() for path in files]

        def floor() -> int:
            return sum(1 for text in _read(files) for _ in ARTICLE_PATTERN.finditer(text))

        def ours() -> int:
            return len(segment(pd.DataFrame({"doc_id": ids, "text": _read(files)})).to_frame())

        def read_only() -> int:
            return len(_read(files))

        def read_into_table() -> int:
            return len(pd.DataFrame({"doc_id": ids, "text": _read(files)}))

        repeat = 3 if quick else 7
        # Interleaved, so that a machine shared with other jobs slows both alike.
        mine = measure("read + segment", ours, repeat=repeat)
        base = measure("read + re.finditer (floor)", floor, repeat=repeat)
        reading = measure("read alone", read_only, repeat=repeat)
        units = ours()
        cpu_ours, cpu_floor = cpu_seconds(ours, repeat), cpu_seconds(floor, repeat)
        # What segment itself costs: the whole path less reading the files into the documents table.
        cpu_table = cpu_seconds(read_into_table, repeat)
    lines = report(f"Segmentation: {len(files)} documents, {size / 2**20:.1f} MB", mine, [base, reading], target="<= 2x the floor")
    lines.append(
        f"  {units} units; throughput {size / 2**20 / mine.seconds:.1f} MB/s (floor {size / 2**20 / base.seconds:.1f} MB/s); "
        f"read + segment / floor = {mine.seconds / base.seconds:.2f}x"
    )
    lines.append(
        f"  processor time (least of {repeat}): read + segment {cpu_ours * 1000:.0f} ms, floor {cpu_floor * 1000:.0f} ms, "
        f"ratio {cpu_ours / cpu_floor:.2f}x; {size / 2**20 / cpu_ours:.1f} MB/s"
    )
    lines.append(
        f"  of which reading the files into the documents table {cpu_table * 1000:.0f} ms, "
        f"segment {(cpu_ours - cpu_table) * 1000:.0f} ms"
    )
    return lines
