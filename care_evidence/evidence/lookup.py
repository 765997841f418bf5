"""Look-up: a citation typed by hand, or a pasted quote, resolved to the passage it points to."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from care_evidence.evidence import messages
from care_evidence.evidence.analysis import value_key
from care_evidence.evidence.limits import check_length
from care_evidence.evidence.messages import Status
from care_evidence.evidence.models import Citation, Filters, LookupResult, ScoredPassage
from care_evidence.evidence.query import clean_query
from care_evidence.evidence.quotes import QuoteMatcher, changed_figures
from care_evidence.evidence.references import KEY_FACTS_PREFIX, LOCATOR_WORD, Reference, parse_reference
from care_evidence.evidence.settings import Settings
from care_evidence.evidence.view import IndexView, citation_key
from care_evidence.indexer.models import KEY_FACT, Passage
from care_evidence.indexer.quantities import extract_quantities


class Lookup:
    def __init__(self, view: IndexView, settings: Settings):
        self.view, self.settings = view, settings
        self.quotes = QuoteMatcher(view.passages, view.index.lexical, settings)

    def clear_caches(self) -> None:
        self.quotes.clear_cache()

    def lookup(self, text: str, filters: Filters) -> LookupResult:
        check_length(text, "lookup")
        query = clean_query(text, "lookup") if len(text) < self.settings.clean_lookup_below else text.strip()
        self.view.allowed_rows(filters)  # an unknown document in the filters is an error first
        printed = self.printed_citation(query)
        if printed is not None:  # a citation exactly as this tool prints it
            found = ScoredPassage(printed, self.view.citation(printed), 1.0)
            return self.within_filters(LookupResult(query, "reference", Status.FOUND, str(found.citation), [found]),
                                       filters)
        reference = parse_reference(query, self.view.documents, self.settings.max_reference_words)
        if reference is not None:
            return self.within_filters(self.resolve(query, reference), filters)
        if len(query.split()) <= self.settings.malformed_reference_words and LOCATOR_WORD.search(query):
            quoted = self.match_quote(text, filters)
            if quoted.status == Status.VERBATIM:  # "In this chapter we summarise" is a quote, not a citation
                return quoted
            return self.unreadable_citation(query)
        return self.match_quote(text, filters)

    def within_filters(self, result: LookupResult, filters: Filters) -> LookupResult:
        """A reference's passages that the filters allow; when they allow none, "not found" that says
        which passage the reference names and that the filters leave it out."""
        if not filters.active or not result.passages:
            return result
        kept = [sp for sp in result.passages if self.view.allows(sp.passage, filters)]
        if len(kept) == len(result.passages):
            return result
        if not kept:
            named = ", ".join(str(sp.citation) for sp in result.passages[:3])
            return LookupResult(result.query, result.kind, Status.NOT_FOUND,
                                messages.filtered_out(result.query, named, filters.describe()),
                                candidates=[sp.citation for sp in result.passages])
        status = Status.FOUND if len(kept) == 1 or result.status == Status.FOUND else result.status
        message = str(kept[0].citation) if status == Status.FOUND else result.message
        return LookupResult(result.query, result.kind, status, message, kept, [sp.citation for sp in kept])

    def printed_citation(self, query: str) -> Passage | None:
        """The passage of a citation exactly as this tool prints it ("NAO 2017, para 2.7, p. 60")."""
        key = citation_key(query)
        for label, doc_id in self.view.doc_by_label.items():
            if key.startswith(label + ", "):
                rows = self.view.passages.rows_with_locator(key[len(label) + 2 :], (doc_id,))
                if rows:
                    return self.view.passages[rows[0]]
        return None

    def unreadable_citation(self, query: str) -> LookupResult:
        """A short text with "para", "Figure", "footnote"... that reads as no citation: say so, with
        the citations closest to what was typed."""
        view = self.view
        choices = {row: f"{label}, {locator}" for label, doc_id in view.doc_by_label.items()
                   for row, locator in view.passages.locators((doc_id,))}
        hits = process.extract(query.lower(), choices, scorer=fuzz.WRatio, limit=5)
        nearest = [view.citation(view.passages[row]) for _, _, row in hits]
        return LookupResult(query, "reference", Status.NOT_FOUND,
                            messages.unreadable_citation(query, ", ".join(str(c) for c in nearest)),
                            candidates=nearest)

    def resolve(self, query: str, ref: Reference) -> LookupResult:
        view = self.view
        if ref.unknown_document:
            labels = "; ".join(f"{d.label} ({', '.join(d.aliases[:2]) or d.id})" for d in view.documents.values())
            return LookupResult(query, "reference", Status.NOT_FOUND, messages.no_such_document(ref.unknown_document,
                                                                                               labels))
        docs = ref.doc_ids or tuple(view.documents)
        rows, noun = self._rows(ref, docs)
        hits = [view.passages[row] for row in rows]
        if not hits:
            nearest = self._nearest(docs, ref)
            where = " or ".join(view.documents[d].label for d in docs) if ref.doc_ids else "any document"
            return LookupResult(query, "reference", Status.NOT_FOUND,
                                messages.no_such_passage(noun, where, ", ".join(str(c) for c in nearest)),
                                candidates=nearest)
        doc_order = {d: i for i, d in enumerate(view.documents)}
        hits.sort(key=lambda p: (view.documents[p.doc_id].kind != "report", doc_order[p.doc_id], p.order))
        scored = [ScoredPassage(p, view.citation(p), 1.0) for p in hits]
        # A page or the Key facts are one unit even with several passages; else one passage is needed.
        one_unit = len(hits) == 1 or ref.page is not None or ref.locator == "Key facts"
        if one_unit and len({p.doc_id for p in hits}) == 1:
            return LookupResult(query, "reference", Status.FOUND, f"{scored[0].citation}", scored)
        return LookupResult(query, "reference", Status.AMBIGUOUS, messages.ambiguous(noun, len(hits)),
                            scored, [s.citation for s in scored])

    def _rows(self, ref: Reference, docs: tuple[str, ...]) -> tuple[list[int], str]:
        """The rows a reference names in `docs`, and how to name what it asks for."""
        passages = self.view.passages
        if ref.page is not None:
            return passages.rows_on_page(ref.page, docs), f"p. {ref.page}"
        if ref.locator == "Key facts":
            return passages.rows_of_documents(docs, (KEY_FACT,)), "Key facts"
        if ref.locator.startswith(KEY_FACTS_PREFIX):
            return self._key_fact_rows(ref.locator.removeprefix(KEY_FACTS_PREFIX), docs), ref.locator
        rows = passages.rows_with_locator(ref.locator, docs)
        if not rows and ref.locator.startswith("para "):  # "NAO para 13": Summary or Appendix para 13
            rows = passages.rows_with_locator_ending(ref.locator, docs)
        return rows, ref.locator

    def _key_fact_rows(self, value: str, docs: tuple[str, ...]) -> list[int]:
        """Key facts entries cited by `value` as printed ("£511m"), else by the same figure written
        another way ("£511 million")."""
        passages = self.view.passages
        rows = passages.rows_with_locator(KEY_FACTS_PREFIX + value, docs)
        if rows:
            return rows
        wanted = {value_key(q) for q in extract_quantities(value)}
        return [row for row in passages.rows_of_documents(docs, (KEY_FACT,))
                if wanted & {value_key(q) for q in extract_quantities(
                    passages[row].locator.removeprefix(KEY_FACTS_PREFIX))}]

    def _nearest(self, docs: tuple[str, ...], ref: Reference, limit: int = 5) -> list[Citation]:
        view = self.view
        if ref.page is not None:
            pages = sorted(view.passages.pages(docs), key=lambda n: abs(n - ref.page))[:limit]
            return [view.citation(view.passages[view.passages.rows_on_page(n, docs)[0]]) for n in pages]
        hits = process.extract(ref.locator.lower(), dict(view.passages.locators(docs)), scorer=fuzz.ratio, limit=limit)
        return [view.citation(view.passages[row]) for _, _, row in hits]

    def match_quote(self, text: str, filters: Filters) -> LookupResult:
        match = self.quotes.match(text, self.view.allowed_rows(filters))
        if match is None:
            return LookupResult(text, "quote", Status.NOT_FOUND, messages.quote_not_found())
        p = self.view.passages[match.row]
        scored = ScoredPassage(p, self.view.citation(p), match.score / 100)
        citation = str(scored.citation)
        if match.verdict == Status.VERBATIM:
            message = messages.quote_verbatim(citation, match.score == 100)
        else:
            figures = [(d.quoted, d.source) for d in changed_figures(match.differences)]
            message = messages.quote_altered(citation, match.score, len(match.differences), figures)
        return LookupResult(text, "quote", Status(match.verdict), message, [scored],
                            differences=list(match.differences), matched_text=match.matched)
