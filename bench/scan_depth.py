"""How deep the approximate dense searches must scan: recall against an exact search, and time, per setting.

Run on a built synthetic index (bench/scale.py), the machine otherwise idle:
    .venv/bin/python -m bench.scan_depth --index bench/work/markov-fitted-1000000
    .venv/bin/python -m bench.scan_depth --index bench/work/markov-fitted-1000000 --ceiling

For each (lists scanned, candidates re-scored per result, threads) it prints the overlap of the
searcher's results with an exact search's (passages: top 10 of the 100 the engine asks for;
sentences: the 300 it asks for) over the 164 evaluation questions, and the search's time.
--ceiling prints the engine's Recall@5 with its searchers as configured and with exact searches in
their place: what no scan depth can improve on; and for each, the share of questions whose answer is
anywhere among the fused candidates, at the engine's depth and at 300: what no re-ranking can pass.
Exact searches hold every vector as float32 in memory (6 GiB at a million passages).
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PASSAGE_SETTINGS = ((64, 4, 1), (128, 4, 1), (256, 4, 1), (512, 4, 1), (128, 8, 1), (256, 8, 1), (512, 8, 1),
                    (512, 8, 2))
SENTENCE_SETTINGS = ((64, 8, 2), (128, 8, 2), (256, 8, 2), (512, 8, 2), (256, 4, 2))


@dataclass
class ExactSearcher:
    """The DenseSearcher interface over all vectors held as float32: the exact answer."""

    vectors: np.ndarray

    def search(self, vector: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        sims = self.vectors @ np.asarray(vector, dtype=np.float32)
        if allowed is not None:
            keep = np.full(len(sims), -np.inf, dtype=np.float32)
            keep[np.asarray(allowed, dtype=np.int64)] = 0.0
            sims = sims + keep
        k = min(k, len(sims))
        top = np.argpartition(-sims, k - 1)[:k]
        top = top[np.argsort(-sims[top], kind="stable")]
        return [(int(r), float(sims[r])) for r in top if np.isfinite(sims[r])]


def _question_vectors(engine, facts) -> np.ndarray:
    from care_evidence.evidence.doc_names import find_documents
    from care_evidence.evidence.glossary import expand

    return np.stack([engine.embedder.encode_query(expand(find_documents(f.question, engine.documents)[1]))
                     for f in facts]).astype(np.float32)


def sweep(engine, facts) -> None:
    import faiss

    from care_evidence.indexer.dense import DenseSearcher

    faiss.omp_set_num_threads(1)
    queries = _question_vectors(engine, facts)
    for name, searcher, settings, asked, compared in (
            ("passages", engine.index.dense, PASSAGE_SETTINGS, 100, 10),
            ("sentences", engine.index.sentence_dense, SENTENCE_SETTINGS, 300, 300)):
        exact = ExactSearcher(np.asarray(searcher.vectors, dtype=np.float32))
        truth = [{row for row, _ in exact.search(q, compared)} for q in queries]
        print(f"\n{name} ({len(exact.vectors):,} vectors, {type(searcher.faiss_index).__name__}): "
              f"recall@{compared} vs exact, and ms per search")
        print("| lists | re-scored per result | threads | recall | p50 ms | p95 ms |\n|---|---|---|---|---|---|")
        for nprobe, refine, threads in settings:
            trial = DenseSearcher(searcher.faiss_index, searcher.vectors, nprobe, refine, threads)
            times, recalls = [], []
            for q, true_rows in zip(queries, truth, strict=True):
                started = time.perf_counter()
                found = trial.search(q, asked)
                times.append((time.perf_counter() - started) * 1000)
                recalls.append(len({row for row, _ in found[:compared]} & true_rows) / compared)
            print(f"| {nprobe} | {refine} | {threads} | {np.mean(recalls):.3f} | {statistics.median(times):.1f} | "
                  f"{np.percentile(times, 95):.1f} |", flush=True)


def ceiling(engine, facts, real_dir: Path) -> None:
    from care_evidence.eval.harness import relevant_passages
    from care_evidence.evidence.models import Filters
    from care_evidence.indexer.embedding import MODEL_NAME
    from care_evidence.indexer.store import load_index

    real = load_index(real_dir, MODEL_NAME, with_faiss=False)
    relevant = [relevant_passages(real, f) for f in facts]

    def recall() -> float:
        hits = 0
        for fact, rel in zip(facts, relevant, strict=True):
            answer = engine.ask(fact.question, k=5)
            shown = {p.passage.id for p in answer.passages} | {c.passage_id for p in answer.passages
                                                                for c in p.also_in}
            hits += bool(shown & rel)
        return hits / len(facts)

    def among_candidates(depth: int | None) -> str:
        """The share of questions whose answer is anywhere among the fused candidates (no shortlist):
        what no re-ranking of them can pass. (Questions typed as a citation, which ask() answers by
        lookup, are counted by their candidates too: none of the 164 is one.)"""
        hits = 0
        for fact, rel in zip(facts, relevant, strict=True):
            candidates, _ = engine.candidates(fact.question, Filters(), depth, shortlist=len(engine.passages))
            hits += any(engine.passages[c.row].id in rel or _group_members(engine, c.row) & rel for c in candidates)
        return f"{hits / len(facts):.3f}"

    def report(searches: str) -> None:
        print(f"{searches}: Recall@5 {recall():.3f}; answer among the fused candidates "
              f"{among_candidates(None)} (each list's top {engine.searches.fused_depth(len(engine.passages))}),"
              f" {among_candidates(300)} (top 300)", flush=True)

    print()
    report("searches as configured")
    engine.searches.dense = ExactSearcher(np.asarray(engine.index.vectors, dtype=np.float32))
    report("exact passage search")
    engine.searches.sentence_dense = ExactSearcher(np.asarray(engine.index.sentence_vectors, dtype=np.float32))
    report("exact passage and sentence searches")


def _group_members(engine, row: int) -> set[str]:
    group = engine.passages[row].group
    return set(engine.index.groups[group].members) if group in engine.index.groups else set()


def main() -> None:
    from bench.scale import ROOT
    from care_evidence.eval.data import load_facts
    from care_evidence.evidence.engine import Engine

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--real", type=Path, default=ROOT / "index", help="the real index (which passages are hits)")
    parser.add_argument("--ceiling", action="store_true",
                        help="engine Recall@5 with exact dense searches, and the share of answers among its candidates")
    args = parser.parse_args()
    engine, facts = Engine.load(args.index), load_facts()
    if args.ceiling:
        ceiling(engine, facts, args.real)
    else:
        sweep(engine, facts)


if __name__ == "__main__":
    main()
