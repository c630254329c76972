"""Suggest codes for 1,000,000 clauses with the supervised coder ``"tfidf-linear"``: clauses per second.

The coder is trained on the bundled study corpus (all four fields); the clauses are the corpus's
670 texts, each lengthened with random boilerplate from a fixed list to the length of a real
clause (40 to 80 characters), repeated to the size asked for.  ``suggest`` works through the
clauses :data:`~policyquant.coders.supervised.CHUNK` at a time, so its memory does not grow
with their number beyond the suggestions it returns (three per clause and field).  The floor is
the character n-gram counting alone (scikit-learn's ``CountVectorizer.transform`` with the
coder's vocabulary), which any character n-gram coder must do.  ``--quick`` uses 20,000 clauses.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

FILLER = ("各级有关部门应当", "按照国家有关规定", "加强统筹协调", "推动高质量发展", "结合本地区实际",
          "进一步提升", "依法依规", "切实做好相关工作", "生成式人工智能服务提供者", "营造良好环境")  # fmt: skip


def _clauses(n: int, seed: int = 0) -> pd.DataFrame:
    import policyquant as pq

    rng = np.random.default_rng(seed)
    base = pq.datasets.load_genai_china().units["text"].astype(str).to_numpy()
    filler = np.asarray(FILLER)
    # 670 x 30 distinct texts, tiled: n-gram counting is per clause whatever the repeats.
    variants = np.asarray(
        [a + b + c + text for text in base for a, b, c in filler[rng.integers(0, len(filler), (30, 3))]], dtype=object
    )
    texts = variants[rng.integers(0, len(variants), n)]
    return pd.DataFrame({"unit_id": pd.RangeIndex(n).astype(str), "text": texts})


def run(quick: bool = False) -> list[str]:
    import policyquant as pq
    from policyquant.coders import train

    n = 20_000 if quick else 1_000_000
    coder = train(pq.datasets.load_genai_china())
    units = _clauses(n)
    # Processor time too: on a machine other jobs share, wall time measures the neighbours.
    start, cpu = time.perf_counter(), time.process_time()
    found = coder.suggest(units, top=3)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    counter = coder._features._counter
    texts = units["text"].tolist()
    start, cpu = time.perf_counter(), time.process_time()
    for first in range(0, n, 20_000):
        counter.transform(texts[first : first + 20_000])
    floor, cpu_floor = time.perf_counter() - start, time.process_time() - cpu
    return [
        f"## suggest codes with the tfidf-linear coder ({n:,} clauses, 4 fields, top 3)",
        f"  suggest          wall {seconds:9.2f} s  cpu {cpu_seconds:9.2f} s  {n / cpu_seconds:10,.0f} clauses/cpu-s"
        f"  ({len(found.frame):,} suggestions)",
        f"  n-gram counting  wall {floor:9.2f} s  cpu {cpu_floor:9.2f} s  {n / cpu_floor:10,.0f} clauses/cpu-s"
        f"  (floor; suggest / floor = {cpu_seconds / cpu_floor:.2f}x cpu)",
    ]
