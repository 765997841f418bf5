"""Choose the engine's re-ranking weights on the known facts and the earlier paraphrases, with a two-fold
check against overfitting and a held-out set that decides.

Run: .venv/bin/python -m care_evidence.eval.tune [--index index --index bench/work/scale-100000]
(prints the current weights' scores, the best grid points, for each half of the tuning questions the
held-out score of the weights chosen on the other half, and the choice's score on the held-out set:
questions in users' words written by helpers that never saw the engine, never tuned on). With several
indexes, a choice is scored on all of them at once: the real one, and synthetic ones whose near-copies
of the real passages test that the ranking holds among distractors (bench/scale.py). With --write, the
choice made on all tuning questions is written to care_evidence/evidence/ranking.toml, which the engine
reads, but only if on each half the choice made on the other half scores at least the current weights
and on the held-out set it does too; run without a better choice, it writes the current values back.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from care_evidence.eval.data import load_facts
from care_evidence.eval.harness import relevant_passages
from care_evidence.evidence.engine import Engine
from care_evidence.evidence.models import Filters
from care_evidence.evidence.settings import PROJECT_RANKING, load_settings, write_ranking_file

# Values tried per feature weight (care_evidence/evidence/features.py names the features).
GRID = {
    "rrf": [0.5, 1.0], "sentence": [1.0, 1.5, 2.0], "overlap": [0.3, 0.6, 1.0], "figure": [0.15],
    "document": [0.25, 0.5], "kind": [0.3], "cited": [0.8],
}


TUNING = "facts_*.jsonl,wild/paraphrases_heldout.jsonl"
HELD_OUT = "wild/paraphrases_fresh.jsonl"


def load_questions(patterns: str) -> list:
    return [fact for pattern in patterns.split(",") if pattern.strip() for fact in load_facts(pattern.strip())]


def candidate_rows(index_dir: Path, real_dir: Path, facts: list) -> list[list]:
    """Per fact: its candidates' (features, duplicate-group key, holds the fact) on one index; only
    real passages (those of the index at `real_dir`) count as holding it."""
    from care_evidence.indexer.store import load_index

    real = load_index(real_dir, None, with_faiss=False)
    engine = Engine.load(index_dir)
    data = []
    for fact in facts:
        candidates, _ = engine.candidates(fact.question, Filters(), 50)
        relevant = relevant_passages(real, fact)
        rows = []
        for c in candidates:
            p = engine.passages[c.row]
            group = engine.index.groups.get(p.group) if p.group else None
            members = set(group.members) if group else {p.id}
            rows.append((c.features, group.id if group else p.id, bool(members & relevant)))
        data.append(rows)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m care_evidence.eval.tune")
    parser.add_argument("--index", type=Path, action="append", help="index folder(s); default: index")
    parser.add_argument("--write", action="store_true",
                        help=f"write the choice to {PROJECT_RANKING.name} if it wins on both held-out halves "
                             "and on the held-out set")
    parser.add_argument("--tune-on", default=TUNING, help="questions to tune on, patterns under eval/data/ "
                        "(default: %(default)s)")
    parser.add_argument("--held-out", default=HELD_OUT, help="questions never tuned on that decide "
                        "(default: %(default)s)")
    args = parser.parse_args()
    current = load_settings().weights()
    indexes = args.index or [Path("index")]
    per_index = [candidate_rows(index_dir, indexes[0], load_questions(args.tune_on)) for index_dir in indexes]
    held_out = candidate_rows(indexes[0], indexes[0], load_questions(args.held_out))  # the real index only
    # Fact i of every index stays in the same fold, so a fold never sees a held-out question.
    data = [rows for i in range(len(per_index[0])) for rows in (d[i] for d in per_index)]
    fold_of = [i for i in range(len(per_index[0])) for _ in per_index]

    def score(weights: dict, subset: list) -> tuple[float, float]:
        hits5 = mrr = 0.0
        for rows in subset:
            ranked = sorted(rows, key=lambda r: -sum(weights[n] * r[0][n] for n in weights))
            seen: list[str] = []
            for _, key, holds in ranked:
                if key in seen:
                    continue
                seen.append(key)
                if holds:
                    mrr += 1 / len(seen)
                    hits5 += len(seen) <= 5
                    break
                if len(seen) >= 10:
                    break
        return hits5 / len(subset), mrr / len(subset)

    names = list(current)
    grid = [dict(zip(names, combo, strict=True)) for combo in itertools.product(*(GRID[n] for n in names))]
    def show(scores: tuple[float, float]) -> str:
        return f"recall@5 {scores[0]:.3f} MRR@10 {scores[1]:.3f}"

    print(f"{len(indexes)} index(es): {', '.join(str(i) for i in indexes)}; scores are means over all")
    print("current", current, show(score(current, data)))
    for weights in sorted(grid, key=lambda w: -sum(score(w, data)))[:3]:
        print("grid   ", weights, show(score(weights, data)))
    holds = True
    for fold in (0, 1):
        train = [d for d, i in zip(data, fold_of, strict=True) if i % 2 == fold]
        test = [d for d, i in zip(data, fold_of, strict=True) if i % 2 != fold]
        chosen = max(grid, key=lambda w: sum(score(w, train)))
        holds &= sum(score(chosen, test)) >= sum(score(current, test))
        print(f"fold {fold} held out: current {show(score(current, test))}; chosen {show(score(chosen, test))}", chosen)
    best = max(grid, key=lambda w: sum(score(w, data)))
    if not held_out:
        parser.error(f"--held-out {args.held_out!r} matches no questions under eval/data/")
    print(f"held-out set ({len(held_out)} questions, {args.held_out}): current {show(score(current, held_out))}; "
          f"chosen on all tuning questions {show(score(best, held_out))}", best)
    holds &= sum(score(best, held_out)) >= sum(score(current, held_out))
    if args.write:
        if not holds or sum(score(best, data)) <= sum(score(current, data)):
            best = current
            print("the current weights stay: no choice wins on both held-out halves and the held-out set")
        write_ranking_file({f"weight_{name}": value for name, value in best.items()})
        print(f"wrote {PROJECT_RANKING}: {best}")


if __name__ == "__main__":
    main()
