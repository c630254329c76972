"""Tokens and a document-feature matrix of 1,564 real legal texts, against the segmenter and a Counter.

The corpus is ``../shared/anchors/lawrefbook/national.tar.xz`` (as in ``bench_segmentation``).
policyquant's path is :func:`policyquant.text.tokenize` (rjieba, stop words removed, tokens
coded into one vocabulary) and :func:`policyquant.text.dfm` (a sparse matrix, one row per
document).  The floor is the least any word count must do: the same segmenter (an
``rjieba.Jieba``) called on each text and a ``collections.Counter`` updated with its tokens.
A second table compares the segmenters policyquant could have used (jieba, rjieba, pkuseg),
each on the same first files: tokens per second, where installed.  ``--quick`` uses the first
150 files.
"""

from __future__ import annotations

import collections
import importlib
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .harness import cpu_seconds, measure, report

ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "anchors" / "lawrefbook" / "national.tar.xz"



def _segmenters() -> dict[str, Callable[[str], list[str]]]:
    """The Chinese segmenters installed, by name, each as a function of a text."""
    found: dict[str, Callable[[str], list[str]]] = {}
    try:
        rjieba = importlib.import_module("rjieba")
        found["rjieba"] = rjieba.Jieba().cut
    except ImportError:
        pass
    try:
        jieba = importlib.import_module("jieba")
        jieba.setLogLevel(60)
        jieba.initialize()
        found["jieba"] = jieba.lcut
    except ImportError:
        pass
    try:
        pkuseg = importlib.import_module("pkuseg")
        found["pkuseg"] = pkuseg.pkuseg().cut
    except ImportError:
        pass
    return found


def run(quick: bool = False) -> list[str]:
    if not ARCHIVE.is_file():
        return ["## Text", f"  skipped: {ARCHIVE} is absent"]
    try:
        import rjieba

        from policyquant.text import dfm, tokenize
    except ImportError:
        return ["## Text", "  skipped: needs pip install 'policyquant[text]'"]
    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(ARCHIVE, "r:xz") as archive:
            archive.extractall(folder, filter="data")
        files = sorted(path for path in Path(folder).rglob("*.md") if path.is_file())
        if quick:
            files = files[:150]
        texts = [path.read_text(encoding="utf-8") for path in files]
        ids = [path.relative_to(folder).as_posix() for path in files]
    units = pd.DataFrame({"doc_id": ids, "text": texts})
    size = sum(len(text.encode("utf-8")) for text in texts)
    cut = rjieba.Jieba().cut

    def floor() -> int:
        counts: collections.Counter[str] = collections.Counter()
        for text in texts:
            counts.update(cut(text))
        return len(counts)

    def ours() -> int:
        return dfm(tokenize(units, language="zh")).shape[1]

    repeat = 3 if quick else 5
    mine = measure("tokenize + dfm", ours, repeat=repeat)
    base = measure("rjieba.cut + Counter (floor)", floor, repeat=repeat)
    cpu_ours, cpu_floor = cpu_seconds(ours, repeat), cpu_seconds(floor, repeat)
    tokens = tokenize(units, language="zh")
    lines = report(
        f"Text: tokens and dfm of {len(texts)} documents, {size / 2**20:.1f} MB",
        mine,
        [base],
        target="<= 1.2x the floor",
    )
    lines.append(
        f"  {tokens.n_tokens:,} tokens kept (stop words, punctuation and numbers removed); "
        f"{len(tokens.vocabulary):,} features; wall ratio {mine.seconds / base.seconds:.2f}x; processor time "
        f"(least of {repeat}) {cpu_ours * 1000:.0f} ms against {cpu_floor * 1000:.0f} ms, ratio {cpu_ours / cpu_floor:.2f}x"
    )
    sample = texts[: 10 if quick else 150]
    lines.append(
        f"## Chinese segmenters on the first {len(sample)} documents ({sum(map(len, sample)):,} characters)"
    )
    lines.append("  | segmenter | tokens | seconds | tokens/s |")
    for name, segment in _segmenters().items():
        start = time.perf_counter()
        count = sum(len(segment(text)) for text in sample)
        seconds = time.perf_counter() - start
        lines.append(f"  | {name} | {count:,} | {seconds:.2f} | {count / seconds:,.0f} |")
    return lines
