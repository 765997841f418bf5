"""Queries per second from 1, 2 and 4 threads against one loaded engine; answers must equal serial ones.

Run: .venv/bin/python -m bench.throughput [--index index]
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from care_evidence.eval.data import load_facts, load_lookups
from care_evidence.evidence.engine import Engine


def signature(result) -> tuple:
    """What must not change between serial and threaded runs: the answer text and ranked passage ids."""
    return (result.to_dict().get("answer") or result.message, tuple(p.passage.id for p in result.passages))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, default=Path("index"))
    args = parser.parse_args()
    engine = Engine.load(args.index)
    work = [("ask", f.question) for f in load_facts()] + [("lookup", lk.query) for lk in load_lookups()]

    def run(item):
        kind, text = item
        return signature(engine.ask(text) if kind == "ask" else engine.lookup(text))

    for item in work[:5]:
        run(item)  # warm up
    serial = [run(item) for item in work]
    print(f"{len(work)} mixed asks and lookups per run, {len(engine.passages)} passages")
    baseline = None
    for threads in (1, 2, 4):
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = list(pool.map(run, work))
        seconds = time.perf_counter() - started
        qps = len(work) / seconds
        baseline = baseline or qps
        same = sum(a == b for a, b in zip(results, serial, strict=True))
        print(f"{threads} thread(s): {qps:6.1f} queries/s (x{qps / baseline:.2f} of 1 thread); "
              f"{same}/{len(work)} identical to serial; errors 0")


if __name__ == "__main__":
    main()
