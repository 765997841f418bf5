"""Comparisons answered part by part: "How do the four UK nations pool budgets?" by one sentence for
each nation, "NAO vs PAC on the Better Care Fund" by one sentence from each report.

Answered as one question, a comparison got the single best sentence, about one nation or from one
report: a one-sided answer the reader could take for the whole. Each part is searched on its own
(the question with the nation added, or within the one report), and its sentence must name the
nation; a part with no such sentence is said to be missing, not filled from another part. The
answer to the question as a whole comes first, and parts it already answers are not searched."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from care_evidence.evidence.analysis import EVERY_NATION, NATIONS, QueryAnalysis, analyse
from care_evidence.evidence.answer import figures_in, item_citation, scored_sentences
from care_evidence.evidence.candidates import CandidateSearch
from care_evidence.evidence.folding import fold_duplicates
from care_evidence.evidence.models import Answer, AnswerSentence, Filters
from care_evidence.evidence.rerank import rerank
from care_evidence.evidence.settings import Settings
from care_evidence.evidence.view import IndexView
from care_evidence.indexer.models import FIGURE


@dataclass(frozen=True)
class Part:
    label: str  # as shown before its sentence: "Scotland", "PAC 2018"
    document: str = ""  # a report's part: answered from that report only
    names: str = ""  # a nation's part: its sentence must match this


def comparison_parts(view: IndexView, analysis: QueryAnalysis) -> list[Part]:
    """The parts a question compares, or none when it compares nothing."""
    if len(analysis.named_documents) >= 2:
        return [Part(view.documents[d].label, document=d) for d in analysis.named_documents]
    named = [n for n, pattern in NATIONS.items() if re.search(pattern, analysis.question)]
    if len(named) < 2 and EVERY_NATION.search(analysis.question):
        named = list(NATIONS)
    return [Part(n, names=NATIONS[n]) for n in named] if len(named) >= 2 else []


def compare(view: IndexView, searches: CandidateSearch, analysis: QueryAnalysis, filters: Filters,
            settings: Settings, whole: Answer) -> Answer:
    """The answer to the question as one (`whole`), with a sentence added for each part it leaves
    out, each labelled with the parts it answers; `whole` itself when the question compares nothing.

    The whole answer stays first: "Which of the four nations lets councils add a precept?" is
    answered by the sentence about the precept, which names no nation."""
    parts = comparison_parts(view, analysis)
    if not parts:
        return whole
    sentences = list(whole.sentences) if whole.found else []
    for part in parts:
        if any(_answers(part, s) for s in sentences):
            continue
        sentence = _answer_part(view, searches, analysis, filters, settings, part)
        if sentence is not None and all(s.text != sentence.text for s in sentences):
            sentences.append(sentence)
    if not sentences:
        return whole
    missing = [p.label for p in parts if not any(_answers(p, s) for s in sentences)]
    labelled = [dataclasses.replace(s, part=", ".join(p.label for p in parts if _answers(p, s))) for s in sentences]
    caveat = (f"Not found for {', '.join(missing)}: no passage close to the question names "
              f"{'it' if len(missing) == 1 else 'them'}." if missing else "")
    return Answer(whole.question, True, "", labelled, whole.passages, whole.asked_for, caveat=caveat)


def _answers(part: Part, sentence: AnswerSentence) -> bool:
    """The sentence speaks to the part: it is from the part's report, or it names the part's nation."""
    if part.document:
        return sentence.citation.doc_id == part.document
    return bool(re.search(part.names, sentence.text))


def _answer_part(view: IndexView, searches: CandidateSearch, analysis: QueryAnalysis, filters: Filters,
                 settings: Settings, part: Part) -> AnswerSentence | None:
    if part.document:
        if filters.documents and part.document not in filters.documents:
            return None
        part_filters = dataclasses.replace(filters, documents=(part.document,))
        part_analysis = dataclasses.replace(analysis, named_documents=(part.document,))
    else:
        part_filters, part_analysis = filters, analyse(f"{analysis.question} ({part.label})", view.documents)
    lists = searches.search(part_analysis, part_filters)
    if lists is None:
        return None
    top = fold_duplicates(view, rerank(view, part_analysis, lists, settings), settings.answer_passages, part_filters)
    if not top:
        return None
    # A chart's flattened caption and legend ("Figure 17 ... England Scotland Wales") names every
    # nation and states nothing about any.
    scored = [s for s in scored_sentences(view, part_analysis, top, lists.vector, part_filters, settings)
              if s.passage.kind != FIGURE and (not part.names or re.search(part.names, s.text))]
    best = max(scored, key=lambda s: s.score, default=None)
    if best is None or view.sentence_similarity(best.row, lists.vector) < settings.not_found_similarity:
        return None
    return AnswerSentence(best.text, item_citation(view, best.passage, best.citation, best.text),
                          figures_in(best.passage, best.text))

