"""How well each synthetic vector model stands in for the model's own embeddings of synthetic text.

    .venv/bin/python -m bench.scale build --size 10000 --vectors embedded --out bench/work/markov-embedded-10000
    .venv/bin/python -m bench.vector_check --index bench/work/markov-embedded-10000

Fits the "fitted" noise on the first FIT synthetic passages of an index built with `--vectors
embedded` (their sources' vectors against the model's embeddings), then for the other synthetic
passages prints, per vector model, the mean cosine to the source passage, to the real evaluation
questions (mean, 90th and 99th percentile), and between synthetic passages: the dense side of the
scale benchmark is only as hard as these are close to the embedded ones.

Then the same for real text, as a yardstick of how close a library's other reports come to a
question: each question against the real passages of the reports other than its own (the NAO report's
web summary and the NHS Confederation's digest of it count as the NAO report), and of its own report
but for the passages that answer it. Last, per question, the share of passages closer to it than the
closest passage that answers it: times a million, about how many passages of a million-passage
library of that kind would outrank the answer on meaning alone.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from bench.scale import SOURCES_FILE
from bench.synthetic import VariantNoise, perturb, sigma_for_cosine

FIT = 1000
# Documents that restate another (a web summary and a digest of the NAO report) are of its report.
SAME_REPORT = {"naosummary2017": "nao2017", "nhsconfed2017": "nao2017"}


def main() -> None:
    from care_evidence.eval.data import load_facts
    from care_evidence.indexer.embedding import MODEL_NAME, Embedder
    from care_evidence.indexer.store import load_index

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True, help="an index built with --vectors embedded")
    parser.add_argument("--real", type=Path, default=Path("index"))
    args = parser.parse_args()
    real = load_index(args.real, MODEL_NAME, with_faiss=False)
    built = load_index(args.index, MODEL_NAME, with_faiss=False)
    if built.manifest.get("synthetic", {}).get("vectors") != "embedded":
        raise SystemExit(f"{args.index}: not built with --vectors embedded")
    real_vectors = real.vectors.astype(np.float32)
    sources = real_vectors[np.load(args.index / SOURCES_FILE)]
    embedded = np.asarray(built.vectors[len(real_vectors) :], dtype=np.float32)
    noise = VariantNoise.fit(sources[:FIT], embedded[:FIT], real_vectors)
    held_sources, held = sources[FIT:], embedded[FIT:]
    rng = np.random.default_rng(0)
    cosine = float(np.mean(np.sum(embedded[:FIT] * sources[:FIT], axis=1)))
    models = {"embedded": held, "fitted": noise.apply(held_sources, rng),
              "isotropic": perturb(held_sources, sigma_for_cosine(cosine), rng)}
    facts = load_facts()
    questions = Embedder().encode([f.question for f in facts])
    half = min(1000, len(held) // 2)
    print(f"fitted on {FIT} passages: alpha {noise.alpha:.3f}, beta {noise.beta:.3f}; {len(held)} held out")
    print("| vectors | cosine to source | to questions: mean / p90 / p99 | between synthetic passages |")
    print("|---|---|---|---|")
    for name, vectors in models.items():
        to_questions = vectors @ questions.T
        p90, p99 = np.percentile(to_questions, [90, 99])
        between = float(np.mean(vectors[:half] @ vectors[half : 2 * half].T))
        print(f"| {name} | {np.mean(np.sum(vectors * held_sources, axis=1)):.3f} | "
              f"{to_questions.mean():.3f} / {p90:.3f} / {p99:.3f} | {between:.3f} |")
    real_sets = _real_passage_sets(real, facts)
    for name, rows in (("real, other reports", real_sets[1]), ("real, same report", real_sets[2])):
        sims = np.concatenate([real_vectors[r] @ q for r, q in zip(rows, questions, strict=True) if len(r)])
        p90, p99 = np.percentile(sims, [90, 99])
        print(f"| {name} | — | {sims.mean():.3f} / {p90:.3f} / {p99:.3f} | — |")
    print("\nShare of passages closer to a question than its closest answering passage (per question):")
    print("| passages | mean | median | p90 | questions with none |")
    print("|---|---|---|---|---|")
    answered = [i for i, rows in enumerate(real_sets[0]) if len(rows)]
    best = {i: float(np.max(real_vectors[real_sets[0][i]] @ questions[i])) for i in answered}
    pools = {name: [vectors] * len(facts) for name, vectors in models.items()}
    pools["real, other reports"] = [real_vectors[r] for r in real_sets[1]]
    pools["real, same report"] = [real_vectors[r] for r in real_sets[2]]
    for name, pool in pools.items():
        shares = np.array([np.mean(pool[i] @ questions[i] > best[i]) if len(pool[i]) else 0.0 for i in answered])
        print(f"| {name} | {shares.mean():.4f} | {np.median(shares):.4f} | {np.percentile(shares, 90):.4f} | "
              f"{np.mean(shares == 0):.2f} |")


def _real_passage_sets(real, facts) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """Per fact, rows of the real index: the passages that answer it, those of other reports, and
    the others of its own report."""
    from care_evidence.eval.harness import relevant_passages

    report = np.array([SAME_REPORT.get(p.doc_id, p.doc_id) for p in real.passages])
    ids = [p.id for p in real.passages]
    answers, others, own = [], [], []
    for fact in facts:
        relevant = relevant_passages(real, fact)
        is_answer = np.array([pid in relevant for pid in ids])
        is_home = report == SAME_REPORT.get(fact.doc, fact.doc)
        answers.append(np.flatnonzero(is_answer))
        others.append(np.flatnonzero(~is_home & ~is_answer))
        own.append(np.flatnonzero(is_home & ~is_answer))
    return answers, others, own


if __name__ == "__main__":
    main()
