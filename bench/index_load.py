"""What checking an index costs at start-up: load_index with sizes only, with every checksum, and as
the engine loads it (checksums up to indexer.integrity.VERIFY_ON_LOAD_MAX_BYTES), in one run.

Run: .venv/bin/python -m bench.index_load [--index index] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from care_evidence.indexer.embedding import MODEL_NAME
from care_evidence.indexer.integrity import VERIFY_ON_LOAD_MAX_BYTES
from care_evidence.indexer.store import load_index


def _median_ms(index: Path, verify: bool | None, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        load_index(index, MODEL_NAME, verify=verify)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    loaded = load_index(args.index, MODEL_NAME)
    size = sum(int(e["bytes"]) for e in loaded.manifest.get("checksums", {}).values())
    floor = _median_ms(args.index, False, args.repeat)
    full = _median_ms(args.index, True, args.repeat)
    default = _median_ms(args.index, None, args.repeat)
    print(f"index: {len(loaded.passages):,} passages, {size / 1024 / 1024:,.1f} MiB in "
          f"{len(loaded.manifest.get('checksums', {}))} files (checksums on load up to "
          f"{VERIFY_ON_LOAD_MAX_BYTES / 1024 / 1024:,.0f} MiB)")
    print(f"load, sizes only:        {floor:7.1f} ms (floor)")
    print(f"load, every checksum:    {full:7.1f} ms (x{full / floor:.2f}, +{full - floor:.1f} ms)")
    print(f"load, as the engine does: {default:6.1f} ms (x{default / floor:.2f})")


if __name__ == "__main__":
    main()
