"""How well each synthetic vector model stands in for the model's own embeddings of synthetic text.

    .venv/bin/python -m bench.scale build --size 10000 --vectors embedded --out bench/work/markov-embedded-10000
    .venv/bin/python -m bench.vector_check --index bench/work/markov-embedded-10000

Fits the "fitted" noise on the first FIT synthetic passages of an index built with `--vectors
embedded` (their sources' vectors against the model's embeddings), then for the other synthetic
passages prints, per vector model, the mean cosine to the source passage, to the real evaluation
questions (mean, 90th and 99th percentile), and between synthetic passages: the dense side of the
scale benchmark is only as hard as these are close to the embedded ones.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from bench.scale import SOURCES_FILE
from bench.synthetic import VariantNoise, perturb, sigma_for_cosine

FIT = 1000


def main() -> None:
    from eval.data import load_facts
    from indexer.embedding import MODEL_NAME, Embedder
    from indexer.store import load_index

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
    questions = Embedder().encode([f.question for f in load_facts()])
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


if __name__ == "__main__":
    main()
