"""Chunked crosstab of 100,000,000 codings from a Parquet dataset, with peak memory under 2 GiB.

The benchmark writes a Parquet dataset chunk by chunk (never the whole table in
memory): 59,259,260 clauses of 20,000 documents under the study's framework,
one to three objectives each (100,000,000 clause-objective codings on
average), in files of 2,500,000 clauses, plus a ``documents.parquet``.  Then a
fresh process runs

    corpus = pq.read_coding(folder, documents, chunksize=1_000_000)   # validates every chunk
    pq.crosstab(corpus)                                               # a second pass: counts, combined once

and reports the time of each step and the process's peak resident memory
(``ru_maxrss``), which must stay under 2 GiB: it grows with the chunk, not with
the corpus.  The crosstab is checked against the counts written.

``--quick`` writes 1,000,000 codings.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import policyquant as pq

#: Clauses per Parquet file (and per generation step).
_FILE_ROWS = 2_500_000


def write_dataset(folder: Path, n_codings: int, n_docs: int = 20_000, seed: int = 0) -> dict[str, object]:
    """Write ``units/*.parquet`` and ``documents.parquet`` into ``folder``, in steps; return the expected counts."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as parquet

    framework = pq.get_framework("wang2026")
    instruments = np.array(framework.instrument_keys)
    objectives = np.array(framework.objective_keys)
    scale = framework.scale
    rng = np.random.default_rng(seed)
    doc_ids = pa.array([f"D{i:06d}" for i in range(n_docs)])
    documents = pa.table(
        {
            "doc_id": doc_ids,
            "level": pa.array(np.where(np.arange(n_docs) % 4 == 0, "national", "provincial")),
            "year": pa.array((2015 + rng.integers(0, 10, n_docs)).astype(str)),
            "region": pa.array(rng.choice(["Beijing", "Shanghai", "Guangdong", "Sichuan"], n_docs)),
            "DA": pa.array(rng.choice([str(s) for s in scale.dimension("DA").scores], n_docs)),
        }
    )
    parquet.write_table(documents, folder / "documents.parquet")
    (folder / "units").mkdir()
    # One to three objectives drawn per clause (with replacement): 1.6875 distinct ones on average.
    n_units = int(np.ceil(n_codings / 1.6875))
    expected = np.zeros((len(instruments), len(objectives)), dtype=np.int64)
    written_units = written_codings = 0
    part = 0
    while written_units < n_units:
        rows = min(_FILE_ROWS, n_units - written_units)
        number = np.arange(written_units, written_units + rows)
        doc = rng.integers(0, n_docs, rows)
        instrument = rng.integers(0, len(instruments), rows)
        # Objective sets as bit masks: one, two or three distinct objectives.
        mask = np.zeros(rows, dtype=np.int64)
        count = rng.integers(1, 4, rows)
        for k in range(3):
            chosen = rng.integers(0, len(objectives), rows)
            mask |= np.where(count > k, 1 << chosen, 0)
        bits = (mask[:, None] >> np.arange(len(objectives))) & 1
        expected += np.stack([np.bincount(instrument, weights=bits[:, o], minlength=len(instruments)) for o in range(len(objectives))], axis=1).astype(np.int64)
        written_codings += int(bits.sum())
        # Each distinct mask's cell text once, then taken for the rows.
        masks, inverse = np.unique(mask, return_inverse=True)
        cells = pa.array(["; ".join(objectives[(m >> np.arange(len(objectives))) & 1 == 1]) for m in masks])
        doc_column = pc.take(doc_ids, pa.array(doc))
        unit_id = pc.binary_join_element_wise(doc_column, pa.array(number.astype(str)), "-")
        table = pa.table(
            {
                "unit_id": unit_id,
                "doc_id": doc_column,
                "instrument": pa.array(instruments[instrument]),
                "objectives": pc.take(cells, pa.array(inverse.reshape(-1))),
                "AS": pa.array(rng.choice([str(s) for s in scale.dimension("AS").scores], rows)),
                "MI": pa.array(rng.choice([str(s) for s in scale.dimension("MI").scores], rows)),
            }
        )
        parquet.write_table(table, folder / "units" / f"part-{part:04d}.parquet", row_group_size=500_000)
        written_units += rows
        part += 1
        del table, unit_id, doc_column
    return {"units": written_units, "codings": written_codings, "files": part, "expected": expected.tolist()}


_CHILD = """
import json, resource, sys, time
import policyquant as pq
folder, chunksize = sys.argv[1], int(sys.argv[2])
start = time.perf_counter()
corpus = pq.read_coding(folder + "/units", folder + "/documents.parquet", chunksize=chunksize)
read = time.perf_counter() - start
start = time.perf_counter()
table = pq.crosstab(corpus)
crosstab = time.perf_counter() - start
print(json.dumps({
    "read": read, "crosstab": crosstab, "units": corpus.n_units, "codings": corpus.n_codings,
    "counts": table.counts.to_numpy().tolist(),
    "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
}))
"""


def run(quick: bool = False) -> list[str]:
    n_codings = 1_000_000 if quick else 100_000_000
    chunksize = 250_000 if quick else 1_000_000
    lines = [f"# Chunked crosstab: {n_codings:,} codings from a Parquet dataset, chunks of {chunksize:,} clauses"]
    with tempfile.TemporaryDirectory(prefix="policyquant-chunked-") as name:
        folder = Path(name)
        start = time.perf_counter()
        written = write_dataset(folder, n_codings)
        lines.append(
            f"  wrote {written['units']:,} clauses, {written['codings']:,} codings in {written['files']} "
            f"Parquet files in {time.perf_counter() - start:.1f} s"
        )
        child = subprocess.run(
            [sys.executable, "-c", _CHILD, str(folder), str(chunksize)],
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            return [*lines, "  FAILED:", child.stderr.strip()[-2000:]]
        result = json.loads(child.stdout.strip().splitlines()[-1])
    assert result["counts"] == written["expected"], "the chunked crosstab differs from the counts written"
    assert (result["units"], result["codings"]) == (written["units"], written["codings"])
    peak = result["peak_rss"] / 2**30
    lines += [
        f"  read_coding (validates every chunk): {result['read']:.1f} s",
        f"  crosstab (second pass, combined once): {result['crosstab']:.1f} s",
        f"  peak resident memory of the process: {peak:.2f} GiB (target: < 2 GiB) "
        + ("ok" if peak < 2 else "OVER"),
        "  counts equal to those written: yes",
    ]
    return lines


if __name__ == "__main__":  # pragma: no cover
    print("\n".join(run(quick="--quick" in sys.argv)))
