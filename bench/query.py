"""Warm latency of ask and lookup, against the floor of one query embedding plus one FAISS search.

Run: .venv/bin/python -m bench.query [--index index] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from bench.memory import memory_mib
from care_evidence.eval.data import load_facts, load_lookups
from care_evidence.evidence.engine import Engine


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def timed(fn, items: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        for item in items:
            started = time.perf_counter()
            fn(item)
            times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    engine = Engine.load(args.index)
    engine.embedder.encode_query("load the model")
    loaded = memory_mib()
    questions = [f.question for f in load_facts()]
    lookups = [lk.query for lk in load_lookups()]
    for q in questions[:5]:  # warm up: model, BM25, numpy paths
        engine.ask(q)

    def floor(question: str) -> None:
        vector = engine.embedder.encode_query(question)
        engine.index.faiss_index.search(vector[None, :], 10)

    base = timed(floor, questions, args.repeat)
    ask = timed(engine.ask, questions, args.repeat)
    look = timed(engine.lookup, lookups, args.repeat)
    base_p50 = statistics.median(base)
    print(f"{len(engine.passages)} passages; {len(questions)} questions x {args.repeat}, "
          f"{len(lookups)} lookups x {args.repeat}; times in ms")
    print(f"floor (1 query embedding + 1 flat FAISS search): p50 {base_p50:.1f}  p95 {percentile(base, 95):.1f}")
    print(f"ask:    p50 {statistics.median(ask):.1f}  p95 {percentile(ask, 95):.1f}  "
          f"ratio p50 to floor {statistics.median(ask) / base_p50:.2f}")
    print(f"memory: {loaded['rss_mib']:.0f} MiB resident with model and index loaded, "
          f"{memory_mib()['rss_mib']:.0f} MiB after the runs")
    print(f"lookup: p50 {statistics.median(look):.1f}  p95 {percentile(look, 95):.1f}  "
          f"ratio p50 to floor {statistics.median(look) / base_p50:.2f}")


if __name__ == "__main__":
    main()
