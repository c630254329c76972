"""Scaling: read + segment + code + crosstab of real documents, in memory and on 1 and 2 Dask workers.

The 1,564 national legal texts of ``../shared/anchors/lawrefbook/national.tar.xz``
(skipped with a line where absent) are hard-linked (copied where links fail)
``N`` times into folders ``r000/``, ``r001/`` ...: new file names, hence new
document ids, the same texts (so every copy is reported as a duplicate of its
original, and kept).  Each case runs in a fresh Python process, so that its
peak resident memory is its own:

* ``memory``: :func:`policyquant.read_documents`, :func:`policyquant.segment`,
  the wang2026 starter dictionary coder
  (``policyquant.coders.get_coder("dictionary")``) and
  :func:`policyquant.crosstab`, all in one process (not run beyond
  :data:`MEMORY_CASE_UP_TO` copies: it would not fit in memory);
* ``chunked``: one process, one replica folder at a time read, segmented and
  coded, its codes written to a Parquet file; then ``crosstab`` of
  :func:`policyquant.read_coding` of the folder of files (a
  :class:`~policyquant.io.chunked.ChunkedCorpus`);
* ``dask, W workers``: a :class:`distributed.LocalCluster` of ``W`` worker
  processes on 127.0.0.1 (``threads_per_worker=1``, no dashboard), and
  :func:`policyquant.dask.read_documents` (:data:`FILES_PER_PARTITION` files a
  task, persisted), :func:`policyquant.dask.segment` and
  :func:`policyquant.dask.code` (persisted), and ``crosstab`` of a
  :class:`policyquant.dask.DaskCorpus`.

Reported per case: wall time of each step and in all (cluster start-up
excluded, reported apart), processor time (user + system) of the driver and
of each worker process over the work, peak resident memory (``ru_maxrss``) of
the driver and of each worker process, and the load average of the machine
before the case (other jobs share its cores).  The crosstab of every case is
checked equal to ``N`` times the crosstab of the texts once.

Full run: N = 1, 20 and 100 (about 40 minutes on 2 cores); the environment
variable ``POLICYQUANT_SCALE_SIZES`` (e.g. ``1,20``) runs other sizes, the
first being the one the others are compared with.  ``--quick``: every 8th text,
N = 1 and 2 (under a minute).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "anchors" / "lawrefbook" / "national.tar.xz"

#: Replications of the corpus measured by the full run and by ``--quick``.
FULL = (1, 20, 100)
QUICK = (1, 2)

#: The cases: (label, number of Dask workers, or 0 for in memory, -1 for chunked in one process).
CASES = (("memory", 0), ("chunked", -1), ("dask, 1 worker", 1), ("dask, 2 workers", 2))

#: Files read by one Dask task (``policyquant.dask.read_documents(files_per_partition=)``).
FILES_PER_PARTITION = 256

#: The in-memory case needs about 0.3 GiB per copy of the texts (6.2 GiB at 20x): beyond
#: this many copies it would not fit in the machine's memory, and is not run.
MEMORY_CASE_UP_TO = 20

_CHILD = """
import json, os, resource, sys, time, warnings
warnings.simplefilter("ignore")  # every copy is a duplicate of its original: one warning per run
import policyquant as pq
from policyquant.coders import get_coder

folder, workers, per_partition = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def usage():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu": r.ru_utime + r.ru_stime, "peak_rss": r.ru_maxrss * 1024}


times = {}
coder = get_coder("dictionary")
if workers < 0:
    # Chunked, in one process: a batch of documents (one replica folder) at a time is read,
    # segmented and coded, its codes written to a Parquet file; the crosstab reads the folder
    # of files back chunk by chunk (policyquant.read_coding -> ChunkedCorpus). Memory holds
    # one batch, whatever the number of batches.
    import pandas as pd
    from pathlib import Path

    output = Path(sys.argv[4])
    (output / "units").mkdir(parents=True)
    cpu = time.process_time()
    start = time.perf_counter()
    times["read"] = times["segment + code"] = 0.0
    ids, n_units = [], 0
    for batch in sorted(p for p in Path(folder).iterdir() if p.is_dir()):
        mark = time.perf_counter()
        frame = pq.read_documents(batch, progress=False).frame
        # The ids read_documents gives the whole folder: the batch's folder name first.
        frame["doc_id"] = batch.name + "/" + frame["doc_id"]
        times["read"] += time.perf_counter() - mark
        mark = time.perf_counter()
        sheet = coder.code(pq.segment(frame)).all_units().drop(columns=["text", "coder"])
        sheet["objectives"] = sheet["objectives"].map("; ".join)
        sheet.to_parquet(output / "units" / f"{batch.name}.parquet", index=False)
        times["segment + code"] += time.perf_counter() - mark
        ids.append(frame["doc_id"])
        n_units += len(sheet)
    pd.DataFrame({"doc_id": pd.concat(ids, ignore_index=True)}).to_csv(output / "documents.csv", index=False)
    mark = time.perf_counter()
    table = pq.crosstab(pq.read_coding(output / "units", output / "documents.csv"))
    times["crosstab"] = time.perf_counter() - mark
    times["total"] = time.perf_counter() - start
    result = {"documents": sum(len(i) for i in ids), "units": n_units, "driver_cpu": time.process_time() - cpu, "workers": []}
elif workers == 0:
    cpu = time.process_time()
    start = time.perf_counter()
    documents = pq.read_documents(folder, progress=False)
    times["read"] = time.perf_counter() - start
    mark = time.perf_counter()
    coded = coder.code(pq.segment(documents))
    times["segment + code"] = time.perf_counter() - mark
    mark = time.perf_counter()
    table = pq.crosstab(coded)
    times["crosstab"] = time.perf_counter() - mark
    times["total"] = time.perf_counter() - start
    result = {"documents": len(documents), "units": len(coded.all_units()), "driver_cpu": time.process_time() - cpu, "workers": []}
else:
    from distributed import Client, LocalCluster, wait
    from policyquant import dask as pqd

    start = time.perf_counter()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None)
    client = Client(cluster)
    client.run(lambda: __import__("policyquant.documents") and __import__("policyquant.coders"))
    startup = time.perf_counter() - start
    before = client.run(usage)
    cpu = time.process_time()
    start = time.perf_counter()
    documents = pqd.read_documents(folder, files_per_partition=per_partition).persist()
    wait(documents.frame)
    times["read"] = time.perf_counter() - start
    mark = time.perf_counter()
    coded = pqd.code(pqd.segment(documents), coder).persist()
    wait([coded.units, coded.codings, coded.all_units])
    times["segment + code"] = time.perf_counter() - mark
    mark = time.perf_counter()
    table = pq.crosstab(pqd.DaskCorpus(None, coded))
    times["crosstab"] = time.perf_counter() - mark
    times["total"] = time.perf_counter() - start
    driver_cpu = time.process_time() - cpu
    after = client.run(usage)
    n_documents = int(documents.frame.shape[0].compute())
    result = {
        "documents": n_documents,
        "units": int(coded.all_units.shape[0].compute()),
        "driver_cpu": driver_cpu,
        "startup": startup,
        "partitions": documents.frame.npartitions,
        "workers": [
            {"cpu": after[name]["cpu"] - before[name]["cpu"], "peak_rss": after[name]["peak_rss"]} for name in sorted(after)
        ],
    }
    client.close()
    cluster.close()
result.update(times=times, counts=table.counts.to_numpy().tolist(), driver_peak_rss=usage()["peak_rss"])
print(json.dumps(result))
"""


def replicate(source: Path, target: Path, copies: int) -> int:
    """Link (or copy) every file of ``source`` into ``target/r000`` ... ``target/r{copies-1}``; return the files made."""
    files = sorted(p for p in source.rglob("*") if p.is_file())
    made = 0
    for copy in range(copies):
        root = target / f"r{copy:03d}"
        for file in files:
            destination = root / file.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(file, destination)
            except OSError:
                shutil.copyfile(file, destination)
            made += 1
    return made


def _extract(folder: Path, step: int) -> Path:
    with tarfile.open(ARCHIVE) as archive:
        members = [m for m in archive.getmembers() if m.isfile() and m.name.endswith(".md")]
        kept = set(sorted(m.name for m in members)[::step])
        chosen = [m for m in members if m.name in kept]
        archive.extractall(
            folder, members=chosen, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {})
        )
    return folder / "national"


def _busy_seconds() -> float | None:
    """Processor time used by every process of the machine since boot (Linux), or None."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _children_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_case(folder: Path, workers: int, per_partition: int = FILES_PER_PARTITION) -> dict:
    load = os.getloadavg()[0]
    busy, ours, start = _busy_seconds(), _children_seconds(), time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="policyquant-scale-output-") as output:
        child = subprocess.run(
            [sys.executable, "-c", _CHILD, str(folder), str(workers), str(per_partition), str(Path(output) / "coded")],
            capture_output=True,
            text=True,
            check=False,
        )
    if child.returncode != 0:
        raise RuntimeError(child.stderr.strip()[-3000:])
    result = json.loads(child.stdout.strip().splitlines()[-1])
    result["load"] = load
    # The cores other jobs kept busy meanwhile: the machine's processor time less the case's own (its
    # processes, workers included, are reaped before it ends), over its wall time.
    after = _busy_seconds()
    wall = time.perf_counter() - start
    result["others"] = (
        None
        if busy is None or after is None
        else max(0.0, (after - busy) - (_children_seconds() - ours)) / wall
    )
    return result


def _mib(value: float) -> str:
    return f"{value / 2**20:,.0f} MiB"


def run(quick: bool = False) -> list[str]:
    sizes = QUICK if quick else FULL
    if os.environ.get("POLICYQUANT_SCALE_SIZES"):  # e.g. "1,100": the first is the reference for the others
        sizes = tuple(int(n) for n in os.environ["POLICYQUANT_SCALE_SIZES"].split(","))
    step = 8 if quick else 1
    if not ARCHIVE.exists():
        return [f"# Scaling: skipped ({ARCHIVE} is absent)"]
    try:
        import distributed  # noqa: F401
    except ImportError:
        return [
            "# Scaling: skipped (dask and distributed are not installed: pip install 'policyquant[dask]')"
        ]
    lines: list[str] = []
    results: dict[tuple[int, int], dict] = {}
    with tempfile.TemporaryDirectory(prefix="policyquant-scale-") as name:
        source = _extract(Path(name) / "source", step)
        n_files = sum(1 for p in source.rglob("*") if p.is_file())
        lines.append(
            f"# Scaling: read + segment + dictionary coding + crosstab of {n_files:,} lawrefbook texts "
            f"replicated {', '.join(f'{n}x' for n in sizes)}; {os.cpu_count()} cores"
        )
        for copies in sizes:
            folder = Path(name) / f"x{copies}"
            made = replicate(source, folder, copies)
            for label, workers in CASES:
                if workers == 0 and copies > MEMORY_CASE_UP_TO:
                    lines.append(f"  {copies:>3}x {label:<16} not run: it would not fit in memory (see MEMORY_CASE_UP_TO)")
                    continue
                result = _run_case(folder, workers)
                results[copies, workers] = result
                assert result["documents"] == made, (label, copies, result["documents"], made)
                t = result["times"]
                cpu = f"driver cpu {result['driver_cpu']:.1f} s"
                memory = f"driver peak {_mib(result['driver_peak_rss'])}"
                if workers > 0:
                    cpu += ", workers cpu " + " + ".join(f"{w['cpu']:.1f}" for w in result["workers"]) + " s"
                    memory += ", workers peak " + " / ".join(_mib(w["peak_rss"]) for w in result["workers"])
                lines.append(
                    f"  {copies:>3}x {label:<16} {result['documents']:>7,} docs {result['units']:>10,} units  "
                    f"read {t['read']:6.1f} s  segment+code {t['segment + code']:6.1f} s  crosstab {t['crosstab']:5.1f} s  "
                    f"total {t['total']:6.1f} s"
                    + (
                        f" (+ cluster start {result['startup']:.1f} s, {result['partitions']} partitions)"
                        if workers > 0
                        else ""
                    )
                )
                others = (
                    ""
                    if result["others"] is None
                    else f", other jobs kept {result['others']:.2f} cores busy meanwhile"
                )
                lines.append(f"       {cpu}; {memory}; load average before {result['load']:.2f}{others}")
            shutil.rmtree(folder)
    once = results[sizes[0], 0]["counts"]
    for (copies, workers), result in results.items():
        expected = [[cell * copies // sizes[0] for cell in row] for row in once]
        assert result["counts"] == expected, f"crosstab of {copies}x with {workers} workers differs"
    lines.append("  crosstabs: every case equal to N x the crosstab of the texts once: yes")
    for label, workers in CASES:
        largest = max(copies for copies, w in results if w == workers)
        scaled = results[largest, workers]["times"]["total"] / results[sizes[0], workers]["times"]["total"]
        lines.append(f"  {label}: {largest}x the documents take {scaled:.1f}x the time of {sizes[0]}x")
    for copies in sizes:
        one, two = results[copies, 1]["times"]["total"], results[copies, 2]["times"]["total"]
        line = f"  {copies}x: 2 workers / 1 worker speed-up {one / two:.2f}x (target: >= 1.6x)"
        if (copies, 0) in results:
            line += f"; in memory / 2 workers {results[copies, 0]['times']['total'] / two:.2f}x"
        lines.append(line + f"; chunked / 2 workers {results[copies, -1]['times']['total'] / two:.2f}x")
    return lines


if __name__ == "__main__":  # pragma: no cover
    print("\n".join(run(quick="--quick" in sys.argv)))
