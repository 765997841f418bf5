"""Choose the engine's re-ranking weights on the known facts, with a two-fold check against overfitting.

Run: .venv/bin/python -m eval.tune   (prints the current weights' scores, the best grid points, and for
each half of the facts the held-out score of the weights chosen on the other half). Copy a choice into
evidence/engine.py WEIGHTS only if it also wins on the held-out halves.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from eval.data import load_facts
from eval.harness import relevant_passages
from evidence.engine import WEIGHTS, Engine
from evidence.models import Filters

GRID = {
    "rrf": [0.5, 1.0], "sentence": [0.75, 1.0, 1.5], "passage": [0.0, 0.25], "overlap": [0.6, 1.0, 1.5],
    "figure": [0.15], "document": [0.25], "kind": [0.3], "cited": [0.8], "footnote": [-0.15, -0.3],
    "corroborated": [0.0, 0.05, 0.1, 0.2],
}


def main(index_dir: Path = Path("index")) -> None:
    engine = Engine.load(index_dir)
    data = []  # per fact: candidates' (features, duplicate-group key, holds the fact)
    for fact in load_facts():
        candidates, _ = engine._candidates(fact.question, Filters(), 50)
        relevant = relevant_passages(engine.index, fact)
        rows = []
        for c in candidates:
            p = engine.passages[c.row]
            group = engine.index.groups.get(p.group) if p.group else None
            members = set(group.members) if group else {p.id}
            rows.append((c.features, group.id if group else p.id, bool(members & relevant)))
        data.append(rows)

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

    names = list(WEIGHTS)
    grid = [dict(zip(names, combo, strict=True)) for combo in itertools.product(*(GRID[n] for n in names))]
    def show(scores: tuple[float, float]) -> str:
        return f"recall@5 {scores[0]:.3f} MRR@10 {scores[1]:.3f}"

    print("current", WEIGHTS, show(score(WEIGHTS, data)))
    for weights in sorted(grid, key=lambda w: -sum(score(w, data)))[:3]:
        print("grid   ", weights, show(score(weights, data)))
    for fold in (0, 1):
        train = [d for i, d in enumerate(data) if i % 2 == fold]
        test = [d for i, d in enumerate(data) if i % 2 != fold]
        chosen = max(grid, key=lambda w: sum(score(w, train)))
        print(f"fold {fold} held out: current {show(score(WEIGHTS, test))}; chosen {show(score(chosen, test))}", chosen)


if __name__ == "__main__":
    main()
