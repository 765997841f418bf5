"""Embedding throughput on this CPU: float32 against bfloat16 and several batch sizes, with the dense
recall@5 each gives on the known facts (so a faster setting is kept only if recall holds).

Run: .venv/bin/python -m bench.embedding [--index index]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from care_evidence.eval.data import load_facts
from care_evidence.eval.harness import build_qrels
from care_evidence.indexer.embedding import MODEL_NAME, Embedder
from care_evidence.indexer.store import load_index


def dense_recall_at_5(passage_vectors: np.ndarray, query_vectors: np.ndarray, ids: list[str], facts, qrels) -> float:
    scores = query_vectors @ passage_vectors.T
    hits = 0
    for row, fact in enumerate(facts):
        top = np.argsort(-scores[row])[:5]
        hits += any(ids[i] in qrels[fact.id] for i in top)
    return hits / len(facts)


def main() -> None:
    import torch

    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, default=Path("index"))
    args = parser.parse_args()
    index = load_index(args.index, MODEL_NAME, with_faiss=False)
    texts = [p.retrieval_text for p in index.passages]
    facts = load_facts()
    qrels = build_qrels(index, facts)
    ids = [p.id for p in index.passages]
    questions = [f.question for f in facts]
    print(f"{len(texts)} passages; torch {torch.__version__}, {torch.get_num_threads()} threads")
    baseline = None
    for dtype in (torch.float32, torch.bfloat16):
        for batch in (16, 32, 64, 128):
            embedder = Embedder(batch_size=batch, dtype=str(dtype).replace("torch.", ""))
            embedder.encode(texts[:8])  # warm up
            started = time.perf_counter()
            vectors = embedder.encode(texts)
            seconds = time.perf_counter() - started
            rate = len(texts) / seconds
            baseline = baseline or rate
            recall = dense_recall_at_5(vectors, embedder.encode(questions), ids, facts, qrels)
            name = str(dtype).replace("torch.", "")
            print(f"{name:<9} batch {batch:>3}: {rate:6.1f} passages/s (x{rate / baseline:.2f} of float32 batch 16), "
                  f"dense recall@5 {recall:.3f}")


if __name__ == "__main__":
    main()
