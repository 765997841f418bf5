"""Fuse the searches' lists, keep a shortlist, and score it: the weighted sum of the named features."""

from __future__ import annotations

from care_evidence.evidence.analysis import QueryAnalysis
from care_evidence.evidence.candidates import SearchLists
from care_evidence.evidence.features import FEATURES, Candidate, FeatureContext, best_sentences, passage_similarities
from care_evidence.evidence.fusion import reciprocal_rank_fusion
from care_evidence.evidence.settings import Settings
from care_evidence.evidence.view import IndexView


def rerank(view: IndexView, analysis: QueryAnalysis, lists: SearchLists, settings: Settings,
           shortlist: int | None = None) -> list[Candidate]:
    """The candidates of a question, best first. `shortlist`: how many fused candidates, besides those
    the question cites, are fully scored (default: the setting); the rest are dropped."""
    shortlist = settings.shortlist if shortlist is None else shortlist
    weights = settings.weights()
    fused = reciprocal_rank_fusion(lists.rankings(), lists.depth, settings.rrf_k)
    for row in lists.cited:
        fused.setdefault(row, 0.0)
    # Features for the fused candidates only (the top `depth` of each list, about 390 at a million
    # passages), not for everything the lists returned; those that need the passage, for a shortlist.
    rows = list(fused)
    ctx = FeatureContext(view, analysis, fused, max(fused.values()) or 1.0, best_sentences(view, rows, lists.vector),
                         passage_similarities(view, rows, lists.vector), lists.cited)
    if len(fused) > shortlist:
        ctx.fused = _shortlist(ctx, weights, shortlist)
    view.passages.prefetch(ctx.fused)
    out = []
    for row in ctx.fused:
        passage = view.passages[row]
        features = {name: feature(ctx, row, passage) for name, feature in FEATURES.items()}
        score = sum(weights[name] * value for name, value in features.items())
        out.append(Candidate(row, score, ctx.sentence_similarity(row, passage)[0], features))
    out.sort(key=lambda c: -c.score)
    return out


def _shortlist(ctx: FeatureContext, weights: dict[str, float], size: int) -> dict[int, float]:
    """The `size` candidates best by the features known for all of them (fused rank, the better of
    best-sentence and passage cosine, since a footnote's sentence feature may be its passage's, named
    document and kind), and every passage the question cites."""
    analysis = ctx.analysis
    boosts = {}
    if analysis.named_documents or analysis.kinds:  # else every boost is 0: ~390 scattered rows need not be read
        boosts = {row: weights["document"] * (doc_id in analysis.named_documents)
                  + weights["kind"] * (kind in analysis.kinds)
                  for row, (doc_id, kind) in ctx.view.passages.documents_and_kinds(ctx.fused).items()}

    def first_score(row: int) -> float:
        similarity = (max(ctx.best_sentence[row][1], ctx.passage_similarity[row]) if row in ctx.best_sentence
                      else ctx.passage_similarity[row])
        return weights["rrf"] * ctx.fused[row] / ctx.top_rrf + weights["sentence"] * similarity + boosts.get(row, 0.0)

    keep = set(sorted(ctx.fused, key=first_score, reverse=True)[:size]) | ctx.cited
    return {row: score for row, score in ctx.fused.items() if row in keep}
