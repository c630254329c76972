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
from collections.abc import Callable
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

        least = _least_work(ids, files)
        repeat = 3 if quick else 7
        # Interleaved, so that a machine shared with other jobs slows both alike.
        mine = measure("read + segment", ours, repeat=repeat)
        base = measure("read + re.finditer (floor)", floor, repeat=repeat)
        reading = measure("read alone", read_only, repeat=repeat)
        units = ours()
        cpu_ours, cpu_floor = cpu_seconds(ours, repeat), cpu_seconds(floor, repeat)
        # What segment itself costs: the whole path less reading the files into the documents table.
        cpu_table = cpu_seconds(read_into_table, repeat)
        cpu_least = cpu_seconds(least, repeat)
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
    lines.append(
        f"  the least work this output needs (read into the table, texts out, one heading pass, unit text "
        f"into Arrow; nothing numbered, checked or built): {cpu_least * 1000:.0f} ms = {cpu_least / cpu_floor:.2f}x the floor, "
        f"leaving {max(2 * cpu_floor - cpu_least, 0) * 1000:.0f} ms of a 2x budget for the rest"
    )
    return lines


def _least_work(ids: list[str], files: list[Path]) -> Callable[[], int]:
    """The steps any segmenter that gives this output must take, and nothing else.

    Read the files into the documents table (as the measured path does), take
    the texts back out, join them, find every heading in one pass of the
    heading pattern, cut out each unit's text at the spans ``segment`` found
    and hold those texts as Arrow (the table's text column).  The spans are
    computed beforehand, so no numbering, checking, id or table is timed.
    """
    import numpy as np
    import pyarrow as pa

    from policyquant.documents.segmentation import _SCAN

    texts = _read(files)
    units = segment(pd.DataFrame({"doc_id": ids, "text": texts})).to_frame()
    lengths = np.array([len(text) + 1 for text in texts], dtype=np.int64)
    doc_start = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    position = pd.Series(np.arange(len(ids)), index=ids)
    offset = doc_start[position.reindex(units["doc_id"].astype(object)).to_numpy()]
    starts, ends = units["start"].to_numpy() + offset, units["end"].to_numpy() + offset
    spans = list(zip(starts.tolist(), ends.tolist(), strict=True))
    joined = "\n".join(texts)
    # The spans cut exactly the units' text: what is timed below is the text column segment builds.
    assert [joined[start:end] for start, end in spans] == units["text"].tolist()

    def least() -> int:
        table = pd.DataFrame({"doc_id": ids, "text": _read(files)})
        joined = "\n".join(table["text"].tolist())
        headings: list[int] = []
        add = headings.append
        for match in _SCAN.finditer("\n" + joined):
            add(match.start())
        text = pa.array([joined[start:end] for start, end in spans], type=pa.large_string())
        return len(headings) + len(text)

    return least
