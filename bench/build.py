"""Time a full index build from scratch and a rebuild with no change, on this machine.

Run: .venv/bin/python -m bench.build
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.memory import memory_mib
from care_evidence.indexer.build import build_index
from care_evidence.indexer.embedding import Embedder

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def main() -> None:
    embedder = Embedder()
    started = time.perf_counter()
    embedder.encode(["warm up"])  # model load is not build work
    load_seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(tmp) / "index"
        scratch = build_index(CORPUS, index_dir, embedder=embedder, progress=False)
        again = build_index(CORPUS, index_dir, embedder=embedder, progress=False)
    passages = sum(scratch.passages_per_document.values())
    print(f"model load (not counted below): {load_seconds:.2f} s")
    print(f"build from scratch: {scratch.seconds:.2f} s for {passages} passages "
          f"({passages / scratch.seconds:.0f} passages/s, embedded {scratch.embedded})")
    print(f"rebuild, no change: {again.seconds:.2f} s (embedded {again.embedded}, reused {again.reused}); "
          f"ratio to scratch {again.seconds / scratch.seconds:.2f}")
    memory = memory_mib()
    print(f"memory: peak {memory['peak_mib']:.0f} MiB (model, both builds), now {memory['rss_mib']:.0f} MiB")
    for doc in scratch.documents:
        print(f"  {doc.label:<24} {scratch.passages_per_document[doc.id]:>5} passages")


if __name__ == "__main__":
    main()
