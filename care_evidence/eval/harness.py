"""Run retrievers over the known facts and lookups, and score them with ir-measures (trec_eval's C
code); scipy's paired t-test compares retrievers in the full report.

Not ranx: its numba functions compile on first use, which on a fresh install took
about 2.5 minutes of the CI gate (`import ranx` 7.6 s, the first `evaluate` 45.6 s, more for each
run shape); trec_eval's gave the same hit rates, MRR@10 and nDCG@10 on every retriever (compared when
they were swapped) and imports in 0.04 s. Its numba import also cost the app 0.3 s at start (bm25s
imports numba when it is installed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import ir_measures
from ir_measures import RR, Success, nDCG

from care_evidence.eval.data import Fact, Lookup, contains
from care_evidence.evidence.retrieval import AnsweringRetriever, Retriever
from care_evidence.indexer.quantities import extract_quantities
from care_evidence.indexer.store import LoadedIndex

# hit_rate@k: a fact is found when any passage holding it (primary or "also" place) is in the top k;
# this is what Recall@k means for a fact with several alternative places. Reported as recall@k.
METRICS = ["hit_rate@1", "hit_rate@5", "hit_rate@10", "mrr@10", "ndcg@10"]
_MEASURES = {"hit_rate@1": Success @ 1, "hit_rate@5": Success @ 5, "hit_rate@10": Success @ 10, "mrr@10": RR @ 10,
             "ndcg@10": nDCG @ 10}
K = 10
# trec_eval needs one judged document per query; a fact whose support no passage contains gets this
# placeholder, so it still counts, as a miss.
MISSING = "__no_passage_contains_the_support__"


@dataclass
class RetrieverResult:
    name: str
    run: dict[str, dict[str, float]]
    lookup_hits: dict[str, bool]
    figure_hits: dict[str, bool] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)
    breakdown: dict[str, dict[str, float]] = field(default_factory=dict)


def figure_in_answer(expected: str, answer) -> bool:
    """The expected figure is among the answer's figures (same value and unit however printed:
    £5.3bn is £5.3 billion), or stands as printed in its answer sentence ("4 July 2018")."""
    parsed = extract_quantities(expected)
    if len(parsed) == 1:
        want = parsed[0]
        for f in answer.figures:
            if f.kind == want.kind and f.unit == want.unit and (
                    f.value == want.value if want.kind != "period" else f.printed.replace("–", "-") in expected):
                return True
    text = " ".join(expected.split())
    return text in [" ".join(f.printed.split()) for f in answer.figures] or text in " ".join(answer.text.split())


def relevant_passages(index: LoadedIndex, fact: Fact) -> set[str]:
    """Passages of the right document containing a support quote (after light normalisation)."""
    ids = set()
    for support in fact.supports:
        ids |= {p.id for p in index.passages if p.doc_id == support.doc and contains(p.text, support.quote)}
    return ids


def build_qrels(index: LoadedIndex, facts: list[Fact]) -> dict[str, dict[str, int]]:
    return {f.id: {pid: 1 for pid in relevant_passages(index, f)} or {MISSING: 1} for f in facts}


def _complete(run: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    # A query with no ranking would be left out of the average by trec_eval;
    # an unmatched placeholder keeps it in, as a miss.
    return {q: (r or {"__empty__": 0.0}) for q, r in run.items()}


def score(qrels: dict, run: dict, query_ids: list[str]) -> dict[str, float]:
    values = ir_measures.calc_aggregate(list(_MEASURES.values()), {q: qrels[q] for q in query_ids},
                                        _complete({q: run[q] for q in query_ids}))
    return {m: float(values[_MEASURES[m]]) for m in METRICS}


def groups_of(facts: list[Fact]) -> dict[str, list[str]]:
    """Query ids per question kind, document, paraphrase and multi-document flag."""
    groups: dict[str, list[str]] = {"all": [f.id for f in facts]}
    for f in facts:
        groups.setdefault(f"kind={f.qtype}", []).append(f.id)
        groups.setdefault(f"doc={f.doc}", []).append(f.id)
        if f.paraphrased:
            groups.setdefault("paraphrased", []).append(f.id)
        if f.multi_document:
            groups.setdefault("multi-document", []).append(f.id)
    return groups


def run_retriever(
    retriever: Retriever, index: LoadedIndex, facts: list[Fact], lookups: list[Lookup], qrels: dict,
    progress: Callable[[str], None] | None = None, on_fact: Callable[[int, int], None] | None = None,
) -> RetrieverResult:
    """`on_fact(done, total)` after each question (the app's progress bar)."""
    run = {}
    for done, fact in enumerate(facts, start=1):
        if on_fact:
            on_fact(done, len(facts))
        if isinstance(retriever, AnsweringRetriever):
            # An entry that folds duplicates counts as found when any passage it stands for holds the
            # fact: the user sees them together ("also in").
            run[fact.id] = {}
            for entry_score, members in retriever.entries(fact.question, K):
                chosen = next((m for m in members if m in qrels[fact.id]), members[0])
                run[fact.id][chosen] = entry_score
        else:
            run[fact.id] = {pid: s for pid, s in retriever.search(fact.question, K)}
    by_id = {p.id: p for p in index.passages}
    lookup_hits = {}
    for lookup in lookups:
        if isinstance(retriever, AnsweringRetriever):  # the engine resolves citations and quotes itself
            found = retriever.lookup(lookup.query)
            top_ids = [sp.passage.id for sp in found.passages[:1]] if found.status in (
                "found", "verbatim", "altered") else []
        else:
            top_ids = [pid for pid, _ in retriever.search(lookup.query, 1)]
        lookup_hits[lookup.id] = bool(top_ids) and by_id[top_ids[0]].doc_id == lookup.doc and contains(
            by_id[top_ids[0]].text, lookup.support.quote)
    figure_hits = {}
    if isinstance(retriever, AnsweringRetriever):
        for fact in facts:
            if fact.qtype == "figure":
                answer = retriever.answer(fact.question)
                figure_hits[fact.id] = answer.found and figure_in_answer(fact.answer, answer)
    result = RetrieverResult(retriever.name, run, lookup_hits, figure_hits=figure_hits)
    for group, ids in groups_of(facts).items():
        result.breakdown[group] = score(qrels, run, ids)
    result.metrics = dict(result.breakdown["all"])
    for kind in ("reference", "quote"):
        ids = [lk.id for lk in lookups if lk.lookup == kind]
        result.metrics[f"lookup_{kind}"] = sum(lookup_hits[i] for i in ids) / max(len(ids), 1)
    result.metrics["figure_accuracy"] = (
        sum(figure_hits.values()) / len(figure_hits) if figure_hits else float("nan"))
    if progress:
        progress(retriever.name)
    return result


def significance(qrels: dict, results: list[RetrieverResult], max_p: float = 0.05) -> str:
    """Each pair of retrievers compared with a paired t-test (scipy) over the questions' own scores
    (trec_eval's, per question), as a Markdown table; "yes" where p < max_p."""
    if len(results) < 2:
        return ""
    from itertools import combinations

    from scipy.stats import ttest_rel

    per_query = {r.name: _per_query(qrels, r.run) for r in results}
    rows = ["| measure | retriever | other | mean | other's mean | p | differ |", "|---|---|---|---|---|---|---|"]
    for metric in ("hit_rate@5", "mrr@10", "ndcg@10"):
        for a, b in combinations(results, 2):
            x = [per_query[a.name][q][metric] for q in qrels]
            y = [per_query[b.name][q][metric] for q in qrels]
            p = float(ttest_rel(x, y).pvalue) if x != y else 1.0
            rows.append(f"| {metric} | {a.name} | {b.name} | {sum(x) / len(x):.3f} | {sum(y) / len(y):.3f} | "
                        f"{p:.3g} | {'yes' if p < max_p else 'no'} |")
    return "\n".join(rows)


def _per_query(qrels: dict, run: dict) -> dict[str, dict[str, float]]:
    names = {measure: name for name, measure in _MEASURES.items()}
    values: dict[str, dict[str, float]] = {q: dict.fromkeys(METRICS, 0.0) for q in qrels}
    for metric in ir_measures.iter_calc(list(_MEASURES.values()), qrels, _complete({q: run[q] for q in qrels})):
        values[metric.query_id][names[metric.measure]] = float(metric.value)
    return values
