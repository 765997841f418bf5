"""The attack's load: N threads x M questions each against one loaded engine; exceptions and answers
that differ from a serial run are counted and printed (the hardening issue's figure: 8 x 200, 0 and 0).

Run: .venv/bin/python -m bench.load [--index index] [--threads 8] [--per-thread 200]
"""

from __future__ import annotations

import argparse
import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from care_evidence.eval.data import load_facts, load_lookups
from care_evidence.evidence.engine import Engine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--per-thread", type=int, default=200)
    args = parser.parse_args()
    engine = Engine.load(args.index)
    work = [("ask", f.question) for f in load_facts()] + [("lookup", lk.query) for lk in load_lookups()]

    def run(item) -> str:
        kind, text = item
        result = engine.ask(text) if kind == "ask" else engine.lookup(text)
        return json.dumps(result.to_dict(), sort_keys=True, default=str)

    serial = {item: run(item) for item in work}
    calls = [work[(t * 37 + i) % len(work)] for t in range(args.threads) for i in range(args.per_thread)]
    errors: list[str] = []

    def guarded(item):
        try:
            return run(item)
        except Exception as err:  # noqa: BLE001 - counted, that is the point
            errors.append(f"{type(err).__name__}: {err}")
            return None

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        results = list(pool.map(guarded, calls))
    seconds = time.perf_counter() - started
    differ = sum(out is not None and out != serial[item] for item, out in zip(calls, results, strict=True))
    print(f"{args.threads} threads x {args.per_thread} questions = {len(calls)} asks and look-ups "
          f"({len(engine.passages)} passages) in {seconds:.1f} s: {len(errors)} exceptions, "
          f"{differ} answers different from the serial run")
    for line in sorted(set(errors))[:5]:
        print("  ", line)


if __name__ == "__main__":
    main()
