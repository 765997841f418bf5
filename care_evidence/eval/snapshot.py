"""Every evaluation question's top 10 and answer, and every look-up's result, as JSON: taken before and
after a change that must not move a ranking (a refactor), then compared.

Run: .venv/bin/python -m care_evidence.eval.snapshot write before.json
     .venv/bin/python -m care_evidence.eval.snapshot compare before.json   # exit 1 and the differences if any
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def take(index_dir: Path) -> dict:
    from care_evidence.eval.data import load_facts, load_lookups
    from care_evidence.evidence.engine import Engine

    engine = Engine.load(index_dir)
    out = {}
    for fact in load_facts():
        ranked = engine.rank(fact.question, 10)
        out[f"rank {fact.id}"] = [[sp.passage.id, round(sp.score, 6)] for sp in ranked]
        out[f"ask {fact.id}"] = engine.ask(fact.question).to_dict()
    for lookup in load_lookups():
        out[f"lookup {lookup.id}"] = engine.lookup(lookup.query).to_dict()
    return out


def differences(before: dict, after: dict) -> list[str]:
    keys = sorted(set(before) | set(after))
    return [key for key in keys if before.get(key) != after.get(key)]


def main(argv: list[str] | None = None) -> int:
    from care_evidence.indexer.cli_common import add_location_arguments

    parser = argparse.ArgumentParser(prog="python -m care_evidence.eval.snapshot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_location_arguments(parser)
    parser.add_argument("action", choices=("write", "compare"))
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    now = take(args.index)
    if args.action == "write":
        args.file.write_text(json.dumps(now, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8")
        print(f"wrote {len(now)} results to {args.file}")
        return 0
    before = json.loads(args.file.read_text(encoding="utf-8"))
    changed = differences(before, now)
    print(f"{len(now)} results, {len(changed)} different from {args.file}")
    for key in changed[:40]:
        print(f"  {key}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
