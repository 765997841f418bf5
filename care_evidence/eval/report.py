"""Write the evaluation report: Markdown, JSON and a Recall@k plot, with the failed questions."""

from __future__ import annotations

import json
import time
from pathlib import Path

from care_evidence.eval.data import Fact
from care_evidence.eval.harness import METRICS, RetrieverResult, groups_of
from care_evidence.indexer.store import LoadedIndex

RESULTS_DIR = Path(__file__).resolve().parent / "results"
HISTORY_FILE = "history.jsonl"
COLUMNS = METRICS + ["lookup_reference", "lookup_quote", "figure_accuracy"]
# hit_rate@k is shown as recall@k: see care_evidence/eval/harness.py.
HEADERS = {m: m.replace("hit_rate", "recall") for m in COLUMNS}


def table(results: list[RetrieverResult], group: str = "all") -> str:
    header = "| retriever | " + " | ".join(HEADERS[c] for c in (COLUMNS if group == "all" else METRICS)) + " |"
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for r in results:
        values = r.metrics if group == "all" else r.breakdown[group]
        cols = COLUMNS if group == "all" else METRICS
        lines.append(f"| {r.name} | " + " | ".join(_cell(values[c]) for c in cols) + " |")
    return "\n".join(lines)


def _cell(value: float) -> str:
    return "n/a" if value != value else f"{value:.3f}"  # NaN: the retriever gives no answers


def failures(result: RetrieverResult, facts: list[Fact], qrels: dict, index: LoadedIndex, k: int = 5) -> list[dict]:
    """Facts with no relevant passage in the top k, and what came back instead."""
    out = []
    for fact in facts:
        ranked = sorted(result.run[fact.id].items(), key=lambda kv: -kv[1])[:k]
        if any(pid in qrels[fact.id] for pid, _ in ranked):
            continue
        returned = []
        for pid, s in ranked[:3]:
            p = index.passage(pid)
            returned.append(f"{index.documents[p.doc_id].label}, {p.locator} ({s:.2f})")
        out.append({"id": fact.id, "question": fact.question, "expected": f"{fact.doc} {fact.locator}",
                    "indexed": sorted(qrels[fact.id]), "returned": returned})
    return out


def plot(results: list[RetrieverResult], qrels: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for r in results:
        ks = list(range(1, 11))
        values = []
        for k in ks:
            hits = [any(pid in qrels[q] for pid, _ in sorted(r.run[q].items(), key=lambda kv: -kv[1])[:k])
                    for q in qrels]
            values.append(sum(hits) / len(hits))
        ax.plot(ks, values, marker="o", label=r.name)
    ax.set_xlabel("k")
    ax.set_ylabel("Recall@k (share of facts)")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend()
    ax.set_title("Recall@k on the known facts")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(
    results: list[RetrieverResult], facts: list[Fact], qrels: dict, index: LoadedIndex, comparison: str,
    out_dir: Path = RESULTS_DIR, settings: dict | None = None,
) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    plot(results, qrels, out_dir / "recall_at_k.png")
    counts = {group: len(ids) for group, ids in groups_of(facts).items()}
    md = [f"# Retrieval evaluation\n\n{len(facts)} facts, run {time.strftime('%Y-%m-%d %H:%M')}.\n",
          table(results), "\n## Recall@5 by group\n",
          "| group | n | " + " | ".join(r.name for r in results) + " |", "|---|---|" + "---|" * len(results)]
    for g in counts:
        md.append(f"| {g} | {counts[g]} | " + " | ".join(f"{r.breakdown[g]['hit_rate@5']:.3f}" for r in results) + " |")
    md += ["\n## Significance (paired t-test, p < 0.05)\n", "```", comparison, "```",
           "\n![Recall@k](recall_at_k.png)\n",
           "\n## Engine settings\n", ", ".join(f"{k} = {v}" for k, v in (settings or {}).items())]
    all_failures = {}
    for r in results:
        fails = failures(r, facts, qrels, index)
        all_failures[r.name] = fails
        md.append(f"\n## Failed questions: {r.name} ({len(fails)} not in top 5)\n")
        for f in fails:
            md.append(f"- **{f['id']}** {f['question']} — expected {f['expected']}; got: {'; '.join(f['returned'])}")
    for r in results:
        missed = [f for f in facts if f.id in r.figure_hits and not r.figure_hits[f.id]]
        if r.figure_hits:
            md.append(f"\n## Figure questions without the expected figure: {r.name} ({len(missed)})\n")
            md += [f"- **{f.id}** {f.question} — expected {f.answer}" for f in missed]
    (out_dir / "report.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    payload = {
        "facts": len(facts), "group_sizes": counts, "settings": settings or {},
        "retrievers": {r.name: {"metrics": r.metrics, "breakdown": r.breakdown} for r in results},
        "failures": all_failures,
    }
    (out_dir / "report.json").write_text(json.dumps(payload, indent=1), encoding="utf-8")
    # One line per run, so the Quality page can show how the scores moved over time.
    with (out_dir / HISTORY_FILE).open("a", encoding="utf-8") as history:
        history.write(json.dumps({"written": time.strftime("%Y-%m-%dT%H:%M:%S"), "facts": len(facts),
                                  "metrics": {r.name: r.metrics for r in results}}) + "\n")
    return out_dir / "report.md"
