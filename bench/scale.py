"""How the product holds from five reports to a million passages: build, disk, memory, latency, recall.

Run (each size is built, then measured in a fresh process so memory figures are its own):
    .venv/bin/python -m bench.scale run --sizes 10000,100000,1000000
    .venv/bin/python -m bench.scale report        # markdown table + docs/scale.png from the results

The synthetic corpus is described in bench/synthetic.py. The real passages keep their ids in every
synthetic index and only they count as hits, so Recall@5 is the real evaluation's, among distractors.
Results go to bench/results/scale.jsonl (one JSON object per size and run).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.memory import memory_mib
from bench.synthetic import DESIGNS, VECTORS, VariantNoise, perturb, sigma_for_cosine

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "scale.jsonl"
WORK = ROOT / "bench" / "work"  # synthetic indexes (gitignored; 6.7 GB at a million passages)
SOURCES_FILE = "synthetic_sources.npy"
CALIBRATION_SAMPLE = 1000  # variants embedded to fit the noise (~40 s)


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


@dataclass
class Calibration:
    """The model's embeddings of variants against their sources' vectors, for passages and sentences."""

    passage: VariantNoise
    sentence: VariantNoise
    passage_cosine: float  # mean cosine between a source and the model's embedding of its variant
    sentence_cosine: float


def calibrate(real, quotes: list[str], design: str, seed: int, embedder) -> Calibration:
    """Embed CALIBRATION_SAMPLE variants (and their sentences) with the model and fit the noise that
    turns a source's vector into its variant's. Its own variant maker and random stream: the corpus
    drawn afterwards does not depend on the sample's size."""
    from bench.synthetic import VariantMaker
    from care_evidence.indexer.sentences import sentence_spans

    maker = VariantMaker(list(real.passages), quotes, seed + 1, design)
    rows = np.random.default_rng(seed + 1).integers(len(real.passages), size=CALIBRATION_SAMPLE)
    variants = [maker.make(int(r)).text for r in rows]
    vectors = embedder.encode(variants)
    real_vectors = real.vectors.astype(np.float32)
    starts = np.searchsorted(real.sentences[:, 0], np.arange(len(real.passages) + 1))
    pairs = []
    for r, text in zip(rows, variants, strict=True):
        source = range(int(starts[r]), int(starts[r + 1]))
        pairs += [(text[s:e], source[i]) for i, (s, e) in enumerate(sentence_spans(text)) if i < len(source)]
    sentence_vectors = embedder.encode([t for t, _ in pairs])
    real_sentence_vectors = real.sentence_vectors.astype(np.float32)
    sources = real_sentence_vectors[[i for _, i in pairs]]
    return Calibration(
        VariantNoise.fit(real_vectors[rows], vectors, real_vectors),
        VariantNoise.fit(sources, sentence_vectors, real_sentence_vectors),
        float(np.mean(np.sum(vectors * real_vectors[rows], axis=1))),
        float(np.mean(np.sum(sentence_vectors * sources, axis=1))))


def _synthetic_vectors(how: str, real: np.ndarray, rows, noise: VariantNoise, cosine: float, texts, rng, embedder):
    """Vectors of synthetic passages or sentences made from the real vectors at `rows` (gathered in
    chunks: at a million passages there are five million sentences)."""
    if how == "embedded":
        return embedder.encode(texts(), progress=True)
    rows = np.asarray(rows, dtype=np.int64)
    chunks = [np.zeros((0, real.shape[1]), np.float32)]
    for i in range(0, len(rows), 200_000):
        chunk = real[rows[i : i + 200_000]].astype(np.float32)
        chunks.append(noise.apply(chunk, rng) if how == "fitted" else perturb(chunk, sigma_for_cosine(cosine), rng))
    return np.concatenate(chunks)


def build(size: int, real_dir: Path, out: Path, design: str, vectors_by: str = "fitted", seed: int = 7) -> dict:
    """Write a synthetic index of `size` passages (the real ones first) into `out`.

    vectors_by (bench/synthetic.py): "fitted", each synthetic vector is its source's moved by noise
    fitted on the model's embeddings of a sample of variants; "isotropic", by Gaussian noise
    calibrated on the cosine to the source alone (what earlier runs used: it flatters dense recall);
    "embedded", the model embeds every synthetic passage and sentence (exact, about 5 minutes per
    10,000 passages here), the reference the other two are checked against."""
    from bench.synthetic import VariantMaker, synthetic_passages
    from care_evidence.eval.data import load_facts
    from care_evidence.indexer.embedding import MODEL_NAME, Embedder
    from care_evidence.indexer.store import SCHEMA_VERSION, load_index
    from care_evidence.indexer.writer import library_versions, write_index

    real = load_index(real_dir, MODEL_NAME, with_faiss=False)
    real_passages = list(real.passages)
    quotes = [s.quote for f in load_facts() for s in f.supports]
    embedder = Embedder()
    calibration = calibrate(real, quotes, design, seed, embedder)
    rng = np.random.default_rng(seed)
    maker = VariantMaker(real_passages, quotes, seed, design)

    started = time.perf_counter()
    sources = rng.integers(len(real_passages), size=size - len(real_passages))
    documents, texts, passages, spans = synthetic_passages(maker, sources, first_doc=1)
    real_vectors = real.vectors.astype(np.float32)
    vectors = np.concatenate([real_vectors, _synthetic_vectors(
        vectors_by, real_vectors, sources, calibration.passage, calibration.passage_cosine,
        lambda: [p.retrieval_text for p in passages], rng, embedder)])
    starts = np.searchsorted(real.sentences[:, 0], np.arange(len(real_passages) + 1))
    extra_sentences, sentence_sources = [], []
    for i, (source_row, sentence_span) in enumerate(spans):
        row = len(real_passages) + i
        available = int(starts[source_row + 1] - starts[source_row])
        for j, (s, e) in enumerate(sentence_span):
            if available:
                extra_sentences.append((row, s, e))
                sentence_sources.append(int(starts[source_row]) + min(j, available - 1))
    sentences = np.concatenate([np.asarray(real.sentences), np.asarray(extra_sentences, dtype=np.int32).reshape(-1, 3)])
    first = len(real_passages)
    extra_vectors = _synthetic_vectors(
        vectors_by, real.sentence_vectors, sentence_sources, calibration.sentence,
        calibration.sentence_cosine, lambda: [passages[r - first].search_text[s:e] for r, s, e in extra_sentences],
        rng, embedder)
    sentence_vectors = np.concatenate([np.asarray(real.sentence_vectors, dtype=np.float16),
                                       extra_vectors.astype(np.float16)])
    generated = time.perf_counter() - started

    manifest = {**real.manifest, "schema_version": SCHEMA_VERSION, "libraries": library_versions(),
                "synthetic": {"size": size, "seed": seed, "design": design, "vectors": vectors_by,
                              "passage_cosine": calibration.passage_cosine,
                              "sentence_cosine": calibration.sentence_cosine,
                              "fitted_alpha_beta": [calibration.passage.alpha, calibration.passage.beta]}}
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    write_index(out, manifest=manifest, documents=list(real.documents.values()) + documents,
                sources={**{d: real.sources[d] for d in real.documents}, **texts},
                passages=real_passages + passages, groups=list(real.groups.values()), vectors=vectors,
                sentences=sentences, sentence_vectors=sentence_vectors,
                vocabulary=real.vocabulary)  # the synthetic passages are near-copies of the real ones' words
    written = time.perf_counter() - started
    np.save(out / SOURCES_FILE, sources)  # which real passage each synthetic one grew from (bench/vector_check.py)
    final = load_index(out, MODEL_NAME, with_faiss=False)
    return {"size": size, "design": design, "vectors": vectors_by, "passages": len(final.passages),
            "sentences": int(len(final.sentences)),
            "faiss_index": final.manifest["faiss_index"], "generate_s": round(generated, 1),
            "write_s": round(written, 1), "build_passages_per_s": round(size / written, 0),
            "disk_mib": round(folder_bytes(final.root) / 2**20, 1), "build_memory": memory_mib(),
            "passage_cosine": round(calibration.passage_cosine, 3),
            "sentence_cosine": round(calibration.sentence_cosine, 3)}


def percentiles(times: list[float]) -> dict[str, float]:
    return {"p50": round(statistics.median(times), 1), "p95": round(float(np.percentile(times, 95)), 1)}


def measure(index_dir: Path, real_dir: Path) -> dict:
    """Load the index in this process, then time questions and lookups and score Recall@5."""
    from care_evidence.eval.data import load_facts, load_lookups
    from care_evidence.eval.harness import relevant_passages
    from care_evidence.evidence.engine import Engine
    from care_evidence.evidence.glossary import expand
    from care_evidence.indexer.embedding import MODEL_NAME, Embedder
    from care_evidence.indexer.store import load_index

    facts, lookups = load_facts(), load_lookups()
    real = load_index(real_dir, MODEL_NAME, with_faiss=False)
    relevant = {f.id: relevant_passages(real, f) for f in facts}
    del real
    embedder = Embedder()
    embedder.encode(["warm up the model"])
    before = memory_mib()
    started = time.perf_counter()
    engine = Engine.load(index_dir, embedder)
    load_s = time.perf_counter() - started
    loaded = memory_mib()
    for warm in ("How are hospitals funded?", "What did the committee recommend?", "social care workforce"):
        engine.ask(warm)
    for fact in facts:  # the model compiles kernels per input shape: warm them, not the index, before timing
        engine.embedder.encode_query(expand(fact.question))

    # Two timed passes over the questions: the first right after loading and three warm-up questions
    # (most of the index's pages not yet touched by this process; the OS page cache is not dropped),
    # the second warm, as a server answers after a while; the caches of the first pass's passages and
    # word sets are cleared before it, so no question reuses its own work.
    first_times, first_shown = _ask_pass(engine, facts)
    engine.clear_caches()
    ask_times, shown = _ask_pass(engine, facts)
    changed = [f.id for f, a, b in zip(facts, first_shown, shown, strict=True) if a != b]
    if changed:
        raise SystemExit(f"the warm pass showed other passages than the first for {', '.join(changed)}")
    hits = sum(bool(ids & relevant[f.id]) for f, ids in zip(facts, shown, strict=True))
    lookup_times = []
    for lookup in lookups:
        started = time.perf_counter()
        engine.lookup(lookup.query)
        lookup_times.append((time.perf_counter() - started) * 1000)
    queried = memory_mib()  # before the exact-search pass below reads every vector
    embed_times, exact_times, ann_times, ann_recall = [], [], [], []
    vectors = engine.index.vectors
    pool = engine.settings.pool
    sentence_pool = pool * engine.settings.sentence_pool_factor
    for fact in facts:
        t0 = time.perf_counter()
        vector = embedder.encode_query(fact.question)
        t1 = time.perf_counter()
        exact = _exact_top(vectors, vector, 10)
        t2 = time.perf_counter()
        approx = [row for row, _ in engine.index.dense.search(vector, pool)][:10]  # at the engine's depth
        t3 = time.perf_counter()
        embed_times.append((t1 - t0) * 1000)
        exact_times.append((t2 - t1) * 1000)
        ann_times.append((t3 - t2) * 1000)
        ann_recall.append(len(set(exact) & set(approx)) / len(exact))

    # The sentence index at the engine's depth (300), on every eighth question: an exact search over
    # 3M sentence vectors takes about a second.
    sentence_recall = []
    for fact in facts[::8]:
        vector = embedder.encode_query(fact.question)
        exact = set(_exact_top(engine.index.sentence_vectors, vector, sentence_pool))
        approx = {row for row, _ in engine.index.sentence_dense.search(vector, sentence_pool)}
        sentence_recall.append(len(exact & approx) / len(exact))

    ask = percentiles(ask_times)
    floor = statistics.median(embed_times) + statistics.median(exact_times)
    return {"passages": len(engine.passages), "faiss_index": engine.index.manifest["faiss_index"],
            "load_s": round(load_s, 1), "memory_before_load": before, "memory_loaded": loaded,
            "memory_after_queries": queried, "recall@5": round(hits / len(facts), 3),
            "ask_ms": ask, "ask_first_pass_ms": percentiles(first_times), "lookup_ms": percentiles(lookup_times),
            "embed_ms": percentiles(embed_times),
            "exact_search_ms": percentiles(exact_times), "index_search_ms": percentiles(ann_times),
            "dense_recall@10_vs_exact": round(float(np.mean(ann_recall)), 3),
            "sentence_dense_recall@300_vs_exact": round(float(np.mean(sentence_recall)), 3),
            "ask_to_floor": round(ask["p50"] / floor, 2)}


def _ask_pass(engine, facts) -> tuple[list[float], list[set[str]]]:
    """Each question asked once: the times (ms) and the passages shown in its top 5, with those folded
    into them."""
    times, shown = [], []
    for fact in facts:
        started = time.perf_counter()
        answer = engine.ask(fact.question, k=5)
        times.append((time.perf_counter() - started) * 1000)
        shown.append({p.passage.id for p in answer.passages[:5]} | {c.passage_id for p in answer.passages[:5]
                                                                     for c in p.also_in})
    return times, shown


def _exact_top(vectors: np.ndarray, vector: np.ndarray, k: int, chunk: int = 200_000) -> list[int]:
    """Brute-force inner product over all (memory-mapped float16) vectors: the exact answer."""
    best = []
    for start in range(0, len(vectors), chunk):
        sims = vectors[start : start + chunk].astype(np.float32) @ vector
        top = np.argpartition(-sims, min(k, len(sims) - 1))[:k]
        best += [(float(sims[i]), start + int(i)) for i in top]
    return [row for _, row in sorted(best, reverse=True)[:k]]


def _child(args: list[str]) -> dict:
    """Run this script in a fresh process (its own memory) and return the JSON it prints last."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(sizes: list[int], real_dir: Path, reuse: bool, design: str, vectors_by: str) -> None:
    """Build (or with `reuse`, keep the earlier build of) each size, then measure it in a fresh process."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    rows = [{"size": "real", **_child(["measure", "--index", str(real_dir), "--real", str(real_dir)])}]
    print(json.dumps(rows[0]), flush=True)
    for size in sizes:
        out = WORK / f"{design}-{vectors_by}-{size}"
        stats = WORK / f"{design}-{vectors_by}-{size}.build.json"
        if reuse and stats.exists():
            built = json.loads(stats.read_text(encoding="utf-8"))
        else:
            built = _child(["build", "--size", str(size), "--out", str(out), "--real", str(real_dir),
                            "--design", design, "--vectors", vectors_by])
            stats.write_text(json.dumps(built), encoding="utf-8")
        measured = _child(["measure", "--index", str(out), "--real", str(real_dir)])
        rows.append({**built, **measured, "size": size})
        print(json.dumps(rows[-1]), flush=True)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
    with open(RESULTS, "a", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps({"run": stamp, **row}) + "\n")


def _p50_p95(times: dict | None) -> str:
    return f"{times['p50']} / {times['p95']}" if times else "—"  # runs before the warm pass: one pass only


def report(plot: Path) -> None:
    """The latest run as a markdown table, and a plot of latency, memory and recall against size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lines = [json.loads(line) for line in RESULTS.read_text(encoding="utf-8").splitlines()]
    latest = [r for r in lines if r["run"] == lines[-1]["run"]]
    print("| passages | synthetic vectors | FAISS index | build (s) | disk (MiB) | loaded (MiB) | "
          "after questions: heap + mapped (MiB) | "
          "ask p50 / p95 (ms), warm | first pass after loading | lookup p50 / p95 (ms) | Recall@5 | "
          "dense recall@10 vs exact | sentence dense recall@300 vs exact |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in latest:
        after = r["memory_after_queries"]
        vectors = r.get("vectors", "isotropic") if r["size"] != "real" else "—"  # runs before the option: isotropic
        print(f"| {r['passages']:,} | {vectors} | {r['faiss_index']} | {r.get('write_s', '—')} | "
              f"{r.get('disk_mib', '—')} | "
              f"{r['memory_loaded']['rss_mib']:.0f} | {after['anon_mib']:.0f} + {after['file_mib']:.0f} | "
              f"{r['ask_ms']['p50']} / {r['ask_ms']['p95']} | {_p50_p95(r.get('ask_first_pass_ms'))} | "
              f"{r['lookup_ms']['p50']} / {r['lookup_ms']['p95']} | "
              f"{r['recall@5']:.3f} | {r['dense_recall@10_vs_exact']:.3f} | "
              f"{r.get('sentence_dense_recall@300_vs_exact', float('nan')):.3f} |")
    sizes = [r["passages"] for r in latest]
    figure, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    axes[0].plot(sizes, [r["ask_ms"]["p50"] for r in latest], "o-", label="ask p50")
    axes[0].plot(sizes, [r["ask_ms"]["p95"] for r in latest], "o--", label="ask p95")
    axes[0].plot(sizes, [r.get("ask_first_pass_ms", {}).get("p50", np.nan) for r in latest], "o:",
                 label="ask p50, first pass after loading")
    axes[0].axhline(50, color="grey", lw=0.8, ls=":", label="target p50 50 ms")
    axes[0].set(title="Ask latency (ms)", xscale="log")
    axes[1].plot(sizes, [r["memory_after_queries"]["rss_mib"] / 1024 for r in latest], "o-", label="after questions")
    axes[1].plot(sizes, [r["memory_after_queries"]["anon_mib"] / 1024 for r in latest], "o:", label="of which heap")
    axes[1].plot(sizes, [r["memory_loaded"]["rss_mib"] / 1024 for r in latest], "o--", label="loaded")
    axes[1].axhline(4, color="grey", lw=0.8, ls=":", label="target 4 GiB")
    axes[1].set(title="Resident memory (GiB)", xscale="log")
    axes[2].plot(sizes, [r["recall@5"] for r in latest], "o-", label="engine Recall@5 (real questions)")
    axes[2].plot(sizes, [r["dense_recall@10_vs_exact"] for r in latest], "o--", label="dense recall@10 vs exact")
    axes[2].plot(sizes, [r.get("sentence_dense_recall@300_vs_exact", np.nan) for r in latest], "o:",
                 label="sentence dense recall@300 vs exact")
    axes[2].axhline(latest[0]["recall@5"] - 0.02, color="grey", lw=0.8, ls=":",
                    label="target: real index's Recall@5 - 0.02")
    axes[2].set(title="Recall", xscale="log", ylim=(0.3, 1.02))
    for ax in axes:
        ax.set_xlabel("passages")
        ax.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(plot, dpi=110)
    print(f"\nplot: {plot}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run_cmd = commands.add_parser("run", help="build and measure each size")
    run_cmd.add_argument("--sizes", default="10000,100000,1000000")
    run_cmd.add_argument("--real", type=Path, default=ROOT / "index")
    run_cmd.add_argument("--design", choices=DESIGNS, default="markov", help="synthetic text (bench/synthetic.py)")
    run_cmd.add_argument("--vectors", choices=VECTORS, default="fitted", help="see bench/synthetic.py")
    run_cmd.add_argument("--reuse", action="store_true", help="measure the sizes already built, do not rebuild")
    build_cmd = commands.add_parser("build")
    build_cmd.add_argument("--size", type=int, required=True)
    build_cmd.add_argument("--out", type=Path, required=True)
    build_cmd.add_argument("--real", type=Path, default=ROOT / "index")
    build_cmd.add_argument("--design", choices=DESIGNS, default="markov")
    build_cmd.add_argument("--vectors", choices=VECTORS, default="fitted", help="see bench/synthetic.py")
    measure_cmd = commands.add_parser("measure")
    measure_cmd.add_argument("--index", type=Path, required=True)
    measure_cmd.add_argument("--real", type=Path, default=ROOT / "index")
    report_cmd = commands.add_parser("report")
    report_cmd.add_argument("--plot", type=Path, default=ROOT / "docs" / "scale.png")
    args = parser.parse_args()
    if args.command == "run":
        run([int(s) for s in args.sizes.split(",")], args.real, args.reuse, args.design, args.vectors)
    elif args.command == "build":
        print(json.dumps(build(args.size, args.real, args.out, args.design, args.vectors)))
    elif args.command == "measure":
        print(json.dumps(measure(args.index, args.real)))
    else:
        report(args.plot)


if __name__ == "__main__":
    main()
