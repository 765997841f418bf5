"""Does each glossary entry earn its place? Each entry is dropped on its own and the questions it fires on
are ranked again: the change in the sum of the right passage's reciprocal rank, per question set.

Run: .venv/bin/python -m care_evidence.eval.glossary_check [--index index]
A positive number: the entry helps where it fires. The fresh paraphrases are the held-out set; an entry is
dropped only when dropping it wins on the tuned sets and on the held-out one (docs/retrieval.md).
"""

from __future__ import annotations

import argparse
import re
import tomllib
from pathlib import Path

SETS = {"facts": "facts_*.jsonl", "earlier paraphrases": "wild/paraphrases_heldout.jsonl",
        "fresh paraphrases (held out)": "wild/paraphrases_fresh.jsonl"}


def main(argv: list[str] | None = None) -> int:
    import care_evidence.evidence.glossary as glossary
    from care_evidence.eval.data import load_facts
    from care_evidence.eval.harness import relevant_passages
    from care_evidence.evidence.engine import Engine

    parser = argparse.ArgumentParser(prog="python -m care_evidence.eval.glossary_check", description=__doc__)
    parser.add_argument("--index", type=Path, default=Path("index"))
    args = parser.parse_args(argv)
    engine = Engine.load(args.index)
    entries = tomllib.loads(glossary.GLOSSARY_FILE.read_text(encoding="utf-8"))
    patterns = {term: re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", re.IGNORECASE) for term in entries}
    sets = {name: load_facts(pattern) for name, pattern in SETS.items()}
    relevant = {f.id: relevant_passages(engine.index, f) for facts in sets.values() for f in facts}
    loaded = glossary.load_glossary

    def reciprocal_rank(fact) -> float:
        for rank, shown in enumerate(engine.rank(fact.question, 10), start=1):
            if ({shown.passage.id} | {c.passage_id for c in shown.also_in}) & relevant[fact.id]:
                return 1 / rank
        return 0.0

    def scored(facts: list, without: str | None) -> float:
        glossary.load_glossary = lambda *a: tuple((p, e) for p, e in loaded() if p.pattern != (
            patterns[without].pattern if without else None))
        engine.clear_caches()
        try:
            return sum(reciprocal_rank(f) for f in facts)
        finally:
            glossary.load_glossary = loaded

    silent = []
    for term in sorted(entries, key=lambda t: (-len(t), t)):
        firing = {name: [f for f in facts if patterns[term].search(f.question)] for name, facts in sets.items()}
        firing = {name: facts for name, facts in firing.items() if facts}
        if not firing:
            silent.append(term)
            continue
        changes = {name: scored(facts, None) - scored(facts, term) for name, facts in firing.items()}
        print(f"{term!r}: " + "; ".join(f"{name} {change:+.3f} over {len(firing[name])}"
                                        for name, change in changes.items()))
    print(f"\n{len(silent)} entries fire on no question: {', '.join(silent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
