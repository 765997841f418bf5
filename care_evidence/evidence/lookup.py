"""Look-up: a citation typed by hand, or a pasted quote, resolved to the passage it points to."""

from __future__ import annotations

import re

import numpy as np
from rapidfuzz import fuzz, process

from care_evidence.evidence import holdings, messages
from care_evidence.evidence.analysis import NATIONS, value_key
from care_evidence.evidence.claim_text import (
    NUMBER_WORDS,
    checkable_items,
    claim_core,
    emphatic_unsaid,
    opposite,
    said_terms,
    stands_in,
    unsaid_words,
)
from care_evidence.evidence.claims import ClaimChecker, Evidence, differences
from care_evidence.evidence.doc_names import find_documents
from care_evidence.evidence.limits import check_length
from care_evidence.evidence.messages import Status
from care_evidence.evidence.models import Citation, Filters, LookupResult, ScoredPassage
from care_evidence.evidence.query import clean_query
from care_evidence.evidence.quotes import QuoteMatcher, changed_figures, normalise_for_match
from care_evidence.evidence.references import (
    CONCLUSION,
    KEY_FACTS_PREFIX,
    LOCATOR_WORD,
    ORAL_EVIDENCE,
    RECOMMENDATION,
    Reference,
    parse_reference,
)
from care_evidence.evidence.settings import Settings
from care_evidence.evidence.view import IndexView, citation_key
from care_evidence.indexer.items import lettered_item
from care_evidence.indexer.lexical import content_terms
from care_evidence.indexer.models import KEY_FACT, PARAGRAPH, SUMMARY_PARAGRAPH, Passage
from care_evidence.indexer.quantities import extract_quantities

# Words in quotation marks: what a speech or an article gives as the report's own words.
_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d]+?)[\"\u201d]")
# ... or in single ones, not taking an apostrophe for one ("can't", "MPs' report")
_SINGLE_QUOTED = re.compile(r"(?<!\w)['\u2018]((?:[^'\u2018\u2019]|['\u2019](?=\w))+?)['\u2019](?!\w)")

# Words that deny: "not", "no", "never", "can't", "cannot", "won't", "without".
_DENIAL = re.compile(r"\b(?:not|no|never|none|nothing|neither|nor|without|cannot)\b|n['’]t\b", re.IGNORECASE)

# ... and how a report denies in other words: "a lack of comparable cost data" says "no comparable cost data"
_LACK = re.compile(r"\b(?:lack\w*|absen\w*|unable|too early|fail\w*|little|few|limited|insufficient|"
                   r"unclear|unproven|yet to)\b", re.IGNORECASE)

# "Summary para 26(d)": the lettered item of a paragraph
_LETTERED = re.compile(r"^(.*\bpara \d+(?:\.\d+)?)\(([a-z])\)$")
_LETTERED_KINDS = (PARAGRAPH, SUMMARY_PARAGRAPH)


class Lookup:
    def __init__(self, view: IndexView, settings: Settings, claims: ClaimChecker | None = None):
        self.view, self.settings, self.claims = view, settings, claims
        self.quotes = QuoteMatcher(view.passages, view.index.lexical, settings)
        self._sections: list[str] | None = None

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
        reference = parse_reference(query, self.view.documents, self.settings.max_lookup_reference_words,
                                    strict=False)
        # "The NAO called the Fund 'a complete failure'": words in quotation marks and no place or paper
        # named make a quote, not a reference to the NAO report; so do they in a sentence that names a
        # place in passing (more than max_reference_words words beside it: 'dubbed "P45 targets"' is
        # no page 45), unless nothing says what it says
        if self.quoted_words(query):
            prose = reference is None or _placeless(reference) or \
                reference.extra_words > self.settings.max_reference_words
            if prose:
                quoted = self.match_quote(text, filters)
                if quoted.found or reference is None or _placeless(reference):
                    return quoted
        if reference is not None:
            # A quote may name a paragraph too; a reference to a paper or evidence session the corpus
            # does not hold is often the very text of the footnote that cites it, and stays a reference.
            cites_elsewhere = reference.unknown_paper or reference.locator.startswith(ORAL_EVIDENCE + " ")
            if reference.extra_words > self.settings.reference_about_words and not cites_elsewhere:
                # A report's name and a dozen words but no place ("..., the think tank notes"): a quote
                # or a claim, not a reference to a topic.
                placeless = _placeless(reference)
                quoted = self.match_quote(text, filters, by_meaning=placeless)
                if quoted.found or placeless:
                    return quoted
            return self.within_filters(self.resolve(query, reference), filters)
        if len(query.split()) <= self.settings.malformed_reference_words and LOCATOR_WORD.search(query):
            quoted = self.match_quote(text, filters)
            if quoted.status == Status.VERBATIM:  # "In this chapter we summarise" is a quote, not a citation
                return quoted
            return self.unreadable_citation(query)
        return self.match_quote(text, filters)

    def quoted_words(self, text: str) -> list[str]:
        """The spans of two words or more in quotation marks that are not a document's title or a
        section's name ("NAO 2017 'Health & social care integration', para 3.4" quotes a title)."""
        titles = [_plain(d.title) for d in self.view.documents.values()]
        sections = {_plain(name) for name in self._section_names()}
        spans = [m.group(1).strip(" ,.") for pattern in (_QUOTED, _SINGLE_QUOTED) for m in pattern.finditer(text)]
        return [s for s in spans if len(s.split()) >= 2 and _plain(s) not in sections
                and not any(fuzz.ratio(_plain(s), title) >= 85 for title in titles)]

    def _section_names(self) -> list[str]:
        if self._sections is None:
            names = {part.strip() for _, loc in self.view.passages.locators(tuple(self.view.documents))
                     for part in loc.split(",")[1:]}
            self._sections = sorted(names)
        return self._sections

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
        if ref.unknown_paper and not ref.doc_ids:
            return LookupResult(query, "reference", Status.NOT_FOUND, holdings.paper_not_held(view, ref.unknown_paper))
        if ref.locator.startswith(ORAL_EVIDENCE + " "):
            return LookupResult(query, "reference", Status.NOT_FOUND,
                                holdings.oral_evidence_not_held(view, ref.locator))
        lettered = _LETTERED.match(ref.locator)
        if lettered or ref.locator.startswith((RECOMMENDATION + " ", CONCLUSION + " ")):
            items = self._lettered(ref, lettered, ref.doc_ids or tuple(view.documents))
            if items:
                return self._found_items(query, items, ref.locator)
            if ref.doc_ids:
                return self._not_held(query, ref)
        if ref.doc_ids:  # the first named document that holds the place; else say what the first holds
            for doc_id in ref.doc_ids:
                rows, noun = self._rows(ref, (doc_id,))
                if rows:
                    return self._found(query, rows, noun, ref)
            return self._not_held(query, ref)
        rows, noun = self._rows(ref, tuple(view.documents))
        if not rows:
            nearest = self._nearest(tuple(view.documents), ref)
            return LookupResult(query, "reference", Status.NOT_FOUND,
                                messages.no_such_passage(noun, "any document", ", ".join(str(c) for c in nearest)),
                                candidates=nearest)
        return self._found(query, rows, noun, ref)

    def _found(self, query: str, rows: list[int], noun: str, ref: Reference) -> LookupResult:
        view = self.view
        hits = [view.passages[row] for row in rows]
        doc_order = {d: i for i, d in enumerate(view.documents)}
        hits.sort(key=lambda p: (view.documents[p.doc_id].kind != "report", doc_order[p.doc_id], p.order))
        scored = [ScoredPassage(p, view.citation(p), 1.0) for p in hits]
        # A page, a section or the Key facts are one unit even with several passages.
        one_unit = len(hits) == 1 or ref.page is not None or ref.locator in ("Key facts", "Key points") \
            or (ref.chapter is not None and not ref.locator)
        if one_unit and len({p.doc_id for p in hits}) == 1:
            message = str(scored[0].citation) if len(hits) == 1 else messages.several_in_one(noun, len(hits))
            return LookupResult(query, "reference", Status.FOUND, message, scored)
        return LookupResult(query, "reference", Status.AMBIGUOUS, messages.ambiguous(noun, len(hits)),
                            scored, [s.citation for s in scored])

    def _lettered(self, ref: Reference, lettered: re.Match | None, docs: tuple[str, ...]) -> list[Passage]:
        """Lettered items ("Summary para 26(d)"; "recommendation d" where a document letters its
        recommendations), each cut from its paragraph as a citable passage; never a guess from a number."""
        if lettered:
            parent, letter = lettered[1], lettered[2]
            rows = self.view.passages.rows_with_locator(parent, docs)
        else:
            letter = ref.locator.split()[-1]
            if ref.locator.startswith(CONCLUSION) or not re.fullmatch(r"[a-z]", letter):
                return []
            rows = [row for row in self.view.passages.rows_of_documents(docs) if "recommend" in
                    self.view.passages[row].search_text and self.view.passages[row].kind in _LETTERED_KINDS]
        return [item for row in rows for item in [lettered_item(self.view.passages[row], letter)] if item]

    def _found_items(self, query: str, items: list[Passage], noun: str) -> LookupResult:
        scored = [ScoredPassage(p, self.view.citation(p), 1.0) for p in items]
        if len(items) == 1:
            return LookupResult(query, "reference", Status.FOUND, str(scored[0].citation), scored)
        return LookupResult(query, "reference", Status.AMBIGUOUS, messages.ambiguous(noun, len(items)),
                            scored, [s.citation for s in scored])

    def _not_held(self, query: str, ref: Reference) -> LookupResult:
        doc_id = ref.doc_ids[0]
        # a numbered recommendation or conclusion, or a topic, has no near neighbour worth showing
        numbered_elsewhere = ref.locator.startswith((RECOMMENDATION + " ", CONCLUSION + " "))
        no_place = not ref.locator and ref.page is None
        nearest = [] if numbered_elsewhere or no_place else list(dict.fromkeys(self._nearest((doc_id,), ref)))
        return LookupResult(query, "reference", Status.NOT_FOUND,
                            holdings.not_held(self.view, doc_id, ref.place, ", ".join(str(c) for c in nearest)),
                            candidates=nearest)

    def _rows(self, ref: Reference, docs: tuple[str, ...]) -> tuple[list[int], str]:
        """The rows a reference names in `docs`, and how to name what it asks for."""
        passages = self.view.passages
        if ref.page is not None and not ref.locator:
            return passages.rows_on_page(ref.page, docs), f"p. {ref.page}"
        if not ref.locator:
            return self._section_or_topic_rows(ref, docs)
        if ref.locator == "Key facts":
            return passages.rows_of_documents(docs, (KEY_FACT,)), "Key facts"
        if ref.locator == "Key points":
            return [row for row, loc in passages.locators(docs) if loc.startswith("key points")], "Key points"
        if ref.locator.startswith(KEY_FACTS_PREFIX):
            return self._key_fact_rows(ref.locator.removeprefix(KEY_FACTS_PREFIX), docs), ref.locator
        rows = passages.rows_with_locator(ref.locator, docs)
        if not rows and ref.locator.startswith("para "):  # "NAO para 13": Summary or Appendix para 13
            rows = passages.rows_with_locator_ending(ref.locator, docs)
        if not rows and ref.locator.startswith("Summary para "):  # "the NAO website summary, first para"
            rows = passages.rows_with_locator(ref.locator.removeprefix("Summary "), docs)
        return rows, ref.locator

    def _section_or_topic_rows(self, ref: Reference, docs: tuple[str, ...]) -> tuple[list[int], str]:
        """"chapter 3, 'Wales'": the section's passages; "the digest, the paragraph about the pioneers":
        the passage of the document the words name best; a document alone: its first passage."""
        passages = self.view.passages
        if ref.chapter is not None:
            prefix = f"chapter {ref.chapter}, "  # the table's locators are lower case
            located = [(row, loc) for row, loc in passages.locators(docs) if loc.startswith(prefix)]
            sections = {loc[len(prefix):].split(",")[0] for _, loc in located}
            about = content_terms(ref.about)
            named = sorted((s for s in sections if content_terms(s) and content_terms(s) <= about), key=len)
            if named:
                section = prefix + named[-1]
                rows = sorted(row for row, loc in located if loc.startswith(section + ",") or loc == section)
                return rows, passages[rows[0]].locator.rsplit(",", 1)[0] if rows else section
            return sorted(row for row, _ in located), f"chapter {ref.chapter}"
        if ref.about:  # "the digest, the paragraph about the pioneers"; nothing when no passage has the words
            allowed = np.array(sorted(passages.rows_of_documents(docs)), dtype=np.int64)
            best = self.view.index.lexical.search(ref.about, 1, allowed)
            return ([best[0][0]] if best else []), f"a passage about {ref.about!r}"
        rows = passages.rows_of_documents(docs)
        return rows[:1], "the document"

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

    def paraphrase(self, text: str, filters: Filters) -> LookupResult:
        """A quote found nowhere word for word: the report sentence that says the same in other words,
        or that the closest sentence says something else (a figure or name differs, words in quotation
        marks are not there), or nothing close."""
        evidence = self.claims.closest(text, filters) if self.claims and len(text.split()) >= 4 else []
        # a scrap of a sentence the OCR broke off ("Wales has since developed a") paraphrases nothing
        evidence = [e for e in evidence if len(e.sentence.split()) >= 2 * self.settings.claim_min_words
                    or re.search(r"[.!?:;)\u201d\"'\d]$", e.sentence)]
        ranked = self._ranked(text, evidence)
        if not ranked or ranked[0].score < self.settings.paraphrase_weak_score:
            return LookupResult(text, "quote", Status.NOT_FOUND, messages.quote_not_found())
        best = self._holding_what_the_first_lacks(text, ranked)
        retold = self._original_report(text, best, ranked) if best is ranked[0] else best
        # the report's sentence a digest retells is as close as the digest's: the digest's closeness counts
        judged, best = best, retold
        margin = judged.score - _runner_up(judged, ranked)
        stands_out = judged is ranked[0] and margin >= self.settings.paraphrase_standout
        if not self._close_enough(text, judged, stands_out):
            return LookupResult(text, "quote", Status.NOT_FOUND, messages.paraphrase_too_far(
                str(best.citation), best.sentence), candidates=[best.citation], matched_text=best.sentence)
        changed, missing = self._departures(text, best, stands_out)
        if changed:
            return LookupResult(text, "quote", Status.NOT_FOUND, messages.paraphrase_differs(str(best.citation),
                                best.sentence, changed), candidates=[best.citation], matched_text=best.sentence)
        if missing:
            return LookupResult(text, "quote", Status.NOT_FOUND, messages.paraphrase_lacks(
                str(best.citation), best.sentence, missing), candidates=[best.citation], matched_text=best.sentence)
        return LookupResult(text, "quote", Status.PARAPHRASE, messages.paraphrase(str(best.citation), best.sentence),
                            [ScoredPassage(best.passage, best.citation, best.score)], matched_text=best.sentence)

    def _holding_what_the_first_lacks(self, text: str, ranked: list[Evidence]) -> Evidence:
        """The first sentence; or, where it lacks or changes a figure or name of the quote, a sentence
        not clearly behind it that states them: the digest's "emergency admissions increased by 87,000"
        lacks "2014-15", the NAO's summary paragraph saying the same holds it. A first sentence going
        the other way ("halved" against "increased") is kept: the quote contradicts it."""
        first = ranked[0]
        changed, missing = self._departures(text, first, True)
        if opposite(text, first.sentence) or not (changed or missing):
            return first
        wanted = [said for said, _ in changed] + missing
        level = first.score - self.settings.paraphrase_standout
        for rival in ranked[1:]:
            if rival.score >= level and all(stands_in(w, rival.passage.search_text, self.claims.shortened)
                                            for w in wanted) \
                    and not any(self._departures(text, rival, True)):
                return rival
        return first

    def _original_report(self, text: str, first: Evidence, ranked: list[Evidence]) -> Evidence:
        """A sentence of a digest or web summary gives way to a report's sentence not clearly behind it
        that says the same without departing from the quote: a quote is traced to the report the digest
        retells, unless it names the digest."""
        documents = self.view.documents
        named, _ = find_documents(text, documents)
        if documents[first.passage.doc_id].kind == "report" or first.passage.doc_id in named:
            return first
        level = first.score - self.settings.paraphrase_standout
        for rival in ranked[1:]:
            if rival.score >= level and documents[rival.passage.doc_id].kind == "report" \
                    and not any(self._departures(text, rival, True)):
                return rival
        return first

    def _ranked(self, text: str, evidence: list[Evidence]) -> list[Evidence]:
        """The sentences closest to the quote, best first, steered by the words it puts in quotation
        marks (what the speaker remembered of the report's own words) and by the report it names as
        the speaker ("the NHS Confederation's digest summed up ...")."""
        spans = " ".join(self.quoted_words(text))
        quoted = content_terms(spans) - self.claims.name_terms if spans else set()
        named, _ = find_documents(text, self.view.documents)
        settings = self.settings

        def steered(e: Evidence) -> float:
            score = e.score + (settings.paraphrase_speaker_weight if named and e.passage.doc_id in named else 0.0)
            if not quoted:
                return score
            used = len(quoted & said_terms(e.sentence))
            return score + settings.paraphrase_quoted_weight * used / len(quoted)

        return sorted(evidence, key=steered, reverse=True)

    def _close_enough(self, text: str, best: Evidence, stands_out: bool) -> bool:
        """Close in meaning; or, only weakly close, standing out from every other sentence, or using at
        least half of the quote's words and coming from the report the quote names as its speaker (or
        saying what that report found)."""
        if best.score >= self.settings.paraphrase_min_score or stands_out:
            return True
        unsaid, counted = unsaid_words(text, best.sentence, self.claims.name_terms)
        return bool(counted) and len(unsaid) <= counted / 2 and self._from_the_speaker(text, best)

    def _departures(self, text: str, best: Evidence, stands_out: bool) -> tuple[list[tuple[str, str]], list[str]]:
        """How the quote departs from the sentence: (figures or names in another's place, or the other
        direction; what it says that the passage does not)."""
        changed = differences(text, best.sentence, best.passage.search_text, self.view.document_names)
        turned = opposite(text, best.sentence) or self._denied(text, best.sentence)
        return changed or ([turned] if turned else []), self.not_said(text, best, stands_out)

    def _denied(self, text: str, sentence: str) -> tuple[str, str] | None:
        """(the quote's words, "") where the words a quote puts in quotation marks deny
        ("can't see the benefits") and the sentence denies nothing: it says the opposite. Only the
        quoted words: a claim of two clauses often has its "not" in the one the sentence does not cover."""
        for span in self.quoted_words(text):
            if _DENIAL.search(span) and not (_DENIAL.search(sentence) or _LACK.search(sentence)):
                return span, ""  # the report has no denial in its place
        return None

    def _from_the_speaker(self, text: str, evidence: Evidence) -> bool:
        """The quote names no report, or the evidence is that report's, or its sentence names it
        ("the National Audit Office found ..." in the PAC's report)."""
        named, _ = find_documents(text, self.view.documents)
        if not named or evidence.passage.doc_id in named:
            return True
        sentence = evidence.sentence.lower()
        for doc_id in named:
            doc = self.view.documents[doc_id]
            names = (doc.label, *doc.aliases, *re.split(r"[()]", doc.publisher))
            if any(n.strip() and re.search(rf"\b{re.escape(n.strip().lower())}\b", sentence) for n in names):
                return True
        return False

    def not_said(self, text: str, best: Evidence, stands_out: bool = False) -> list[str]:
        """What a quote says that its closest passage does not: a name, place or figure it never
        states (the speaker aside: "the Committee"), or words put in quotation marks none of whose
        words it uses ("deeply flawed", "should be scrapped") when those words are the claim. Where the
        words around the quotation marks are the passage's, the quoted ones are a speaker's rewording
        ("piecemeal and uneven" for "patchy and inconsistent"), as they are in a sentence that stands
        out from all others ("rarely met" for "did not meet regularly")."""
        passage = f"{best.passage.search_text} {best.passage.locator}"  # "Chapter 3, England" names England
        name_terms = self.claims.name_terms
        core = claim_core(text)
        items = checkable_items(core, self.view.document_names)
        items += [n for n, form in NATIONS.items() if re.search(form, core)]
        missing = [i for i in dict.fromkeys(items) if not stands_in(i, passage, self.claims.shortened)
                   and not NUMBER_WORDS.fullmatch(i)
                   and not (i in NATIONS and re.search(NATIONS[i], passage)) and not content_terms(i) <= name_terms]
        spans = self.quoted_words(text)
        # "the best-performing country": the ranking is the claim; so is "full" in quotation marks
        ranked = emphatic_unsaid(core, passage) + (emphatic_unsaid(" ".join(spans), passage, all_of_it=True)
                                                   if spans else [])
        missing += list(dict.fromkeys(ranked))
        said = said_terms(passage)
        if stands_out or not spans:
            return missing
        lexical = self.view.index.lexical
        quoted = lexical.distinctive_terms(" ".join(spans), 1.0) - name_terms
        # the words around the quotation marks that say something: not who said it, nor the names of
        # what it is said of ("MPs said the Better Care Fund 'should be scrapped'")
        named = frozenset().union(*(content_terms(i) for i in items))
        unquoted = _SINGLE_QUOTED.sub(" ", _QUOTED.sub(" ", core))
        around = lexical.distinctive_terms(unquoted, 1.0) - name_terms - quoted - named
        around_said = len(around & said)
        context_holds = around_said >= self.settings.paraphrase_context_words and around_said >= len(around) / 2
        if quoted and not quoted & said and not context_holds:  # of several spans, one in the passage is enough
            missing += spans
        return missing

    def match_quote(self, text: str, filters: Filters, by_meaning: bool = True) -> LookupResult:
        """The passage a quote comes from, word for word or damaged; else (`by_meaning`) the sentence it
        paraphrases."""
        match = self.quotes.match(text, self.view.allowed_rows(filters))
        if match is None:
            if by_meaning:
                return self.paraphrase(text, filters)
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


def _placeless(reference: Reference) -> bool:
    """A reference naming a report but no place in it, nor another paper."""
    return not (reference.locator or reference.page is not None or reference.chapter is not None
                or reference.unknown_paper)


def _plain(text: str) -> str:
    return " ".join(text.lower().replace("&", "and").split())


def _runner_up(best: Evidence, ranked: list[Evidence]) -> float:
    """The score of the closest sentence that is not `best` nor the same words elsewhere (the NAO's
    summary repeats its body's sentences)."""
    opening = normalise_for_match(best.sentence)[:60]
    return max((e.score for e in ranked if e.passage.id != best.passage.id
                and normalise_for_match(e.sentence)[:60] != opening), default=0.0)
