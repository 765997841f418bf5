"""`python -m care_evidence.eval`: score retrievers side by side on the known facts; `--check` is the CI gate."""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.toml"


def load_thresholds(path: Path = THRESHOLDS) -> tuple[str, dict[str, float]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return data["default_retriever"], {k: float(v) for k, v in data["minimum"].items()}


def check(metrics: dict[str, float], minimum: dict[str, float], retriever: str) -> list[str]:
    """One message per metric below its threshold."""
    return [f"{retriever}: {name} = {metrics[name]:.3f} is below the threshold {limit:.3f}"
            for name, limit in minimum.items() if metrics[name] < limit]


def main(argv: list[str] | None = None) -> int:
    from care_evidence.evidence.retrieval import RETRIEVERS
    from care_evidence.indexer.cli_common import add_location_arguments, add_setting_argument, settings_from

    parser = argparse.ArgumentParser(prog="python -m care_evidence.eval", description=__doc__)
    parser.add_argument("--retrievers", default=",".join(RETRIEVERS),
                        help="comma-separated names (default: %(default)s)")
    add_location_arguments(parser)
    add_setting_argument(parser)
    parser.add_argument("--check", action="store_true", help="exit 1 if the default retriever is below thresholds")
    parser.add_argument("--thresholds", type=Path, default=THRESHOLDS)
    parser.add_argument("--facts", default="facts_*.jsonl",
                        help="the facts to ask, a pattern under eval/data/ (default: %(default)s; "
                             "wild/paraphrases_heldout.jsonl: the held-out paraphrases)")
    parser.add_argument("--out", type=Path, default=None, help="results folder (default: care_evidence/eval/results)")
    args = parser.parse_args(argv)

    from care_evidence.eval.data import DATA_DIR, load_facts, load_lookups
    from care_evidence.eval.harness import build_qrels, run_retriever, significance
    from care_evidence.eval.report import RESULTS_DIR, table, write_report
    from care_evidence.evidence.retrieval import make_retriever
    from care_evidence.indexer.build import build_index
    from care_evidence.indexer.embedding import Embedder
    from care_evidence.indexer.store import IndexMissing, load_index

    settings = settings_from(args)
    default, minimum = load_thresholds(args.thresholds)
    names = [n.strip() for n in args.retrievers.split(",") if n.strip()]
    if args.check and default not in names:
        names.append(default)
    embedder = Embedder(model=settings.dense_model)
    try:
        index = load_index(args.index, embedder.name)
    except IndexMissing:
        build_index(args.corpus, args.index, embedder=embedder, progress=False)
        index = load_index(args.index, embedder.name)
    facts, lookups = load_facts(args.facts), load_lookups()
    if not facts:
        print(f"error: no facts match {args.facts!r} under {DATA_DIR}", file=sys.stderr)
        return 2
    qrels = build_qrels(index, facts)
    results = [run_retriever(make_retriever(n, index, embedder, settings), index, facts, lookups, qrels) for n in names]
    print(f"{len(facts)} facts, {len(lookups)} lookups, {len(index.passages)} passages\n")
    print(table(results))
    print("\nRecall@5 by group:")
    for group in results[0].breakdown:
        row = "  ".join(f"{r.name}={r.breakdown[group]['hit_rate@5']:.3f}" for r in results)
        print(f"  {group:<28} {row}")
    comparison = significance(qrels, results)
    if comparison:
        print("\n" + comparison)
    path = write_report(results, facts, qrels, index, comparison, args.out or RESULTS_DIR, dict(settings))
    print(f"\nreport: {path}")
    if args.check:
        result = next(r for r in results if r.name == default)
        problems = check(result.metrics, minimum, default)
        for problem in problems:
            print(f"FAIL {problem}", file=sys.stderr)
        if problems:
            return 1
        print(f"gate passed: {default} meets every threshold in {args.thresholds.name}")
    return 0
