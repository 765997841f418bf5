"""The English a user reads: every message the engine returns, in one place, and the status enum."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """What a look-up found. A StrEnum: it compares equal to, and prints as, its value ("found")."""

    FOUND = "found"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not found"
    VERBATIM = "verbatim"  # a quote, word for word
    ALTERED = "altered"  # a quote, with differences
    PARAPHRASE = "paraphrase"  # not a quotation: a passage says the same in other words


CITATION_EXAMPLES = "'NAO para 2.7', 'PAC footnote 20', 'Nuffield Table 5', 'p. 60'"


def nothing_matches(filtered: bool) -> str:
    return "Not found in the corpus: no passage matches the question" + (" with these filters." if filtered else ".")


def nothing_answers() -> str:
    return ("Not found in the corpus: nothing in these reports answers this question. The closest passages are "
            "listed below, but they do not answer it.")


def filtered_out(query: str, named: str, filters: str) -> str:
    return f"Not found with these filters: {query!r} names {named}, which the filters ({filters}) leave out."


def no_such_document(name: str, documents: str) -> str:
    return f"No such document: {name!r}. Documents: {documents}."


def no_such_passage(noun: str, where: str, nearest: str) -> str:
    return f"No such passage: {noun} in {where}" + (f"; nearest: {nearest}" if nearest else "") + "."


def unreadable_citation(query: str, nearest: str) -> str:
    return (f"No such passage: {query!r} is not a citation this tool can read (try {CITATION_EXAMPLES}); "
            f"nearest: {nearest}.")


def ambiguous(noun: str, count: int) -> str:
    return f"{noun} matches {count} passages; name the document to choose one."


def several_in_one(noun: str, count: int) -> str:
    return f"{noun}: {count} passages."


def quote_not_found() -> str:
    return "Not found: no passage in the corpus contains this text or anything close to it."


def quote_verbatim(citation: str, exact: bool) -> str:
    aside = "" if exact else ", punctuation aside,"
    return f"Verbatim: the quote stands word for word{aside} in {citation}."


def quote_altered(citation: str, score: float, differences: int, figures: list[tuple[str, str]]) -> str:
    """`figures`: (quoted, source) of each difference that changes a number, said first."""
    if not figures:
        return f"Altered: the quote matches {citation} ({score:.0f}% similar) with {differences} difference(s)."
    changed = "; ".join(f"{quoted or '(nothing)'} where {citation} has {source or '(nothing)'}"
                        for quoted, source in figures)
    return (f"Altered, with a figure changed: the quote has {changed}. {differences} difference(s) in all "
            f"({score:.0f}% similar).")


def paraphrase(citation: str, sentence: str) -> str:
    return (f"Not a quotation: this paraphrases {citation}. The report's words: \u201c{sentence}\u201d "
            "Quote those, not the paraphrase.")


def paraphrase_differs(citation: str, sentence: str, changed: list[tuple[str, str]]) -> str:
    said = "; ".join(f"{a!r} where the report has {b!r}" if b else f"{a!r}, where the report denies nothing"
                     for a, b in changed)
    return (f"Not a quotation, and not what the reports say: the closest sentence, {citation}, reads "
            f"\u201c{sentence}\u201d ({said}).")


def paraphrase_too_far(citation: str, sentence: str) -> str:
    return (f"Not found: no passage says this. The closest sentence, {citation}, reads \u201c{sentence}\u201d, "
            "which is not the same.")


def paraphrase_lacks(citation: str, sentence: str, missing: list[str]) -> str:
    unsaid = ", ".join(f"\u201c{m}\u201d" for m in missing)
    return (f"Not found: no passage says this. The closest sentence, {citation}, reads \u201c{sentence}\u201d; "
            f"it has nothing of {unsaid}.")


def outside_coverage(coverage: str) -> str:
    return (f"Not in the text held here: {coverage}. The closest passages are listed below, but they are not "
            "what was asked for.")


def partial_coverage(label: str, coverage: str) -> str:
    return (f"{label} in this corpus holds {coverage}, so this is what it says on the subject, not what it "
            "recommends or concludes:")


def named_document_silent(labels: str, coverage: str, closest: str) -> str:
    held = f" ({coverage})" if coverage else ""
    return (f"Not found in {labels}: nothing in the text held here{held} answers this. The closest passage is "
            f"from another report ({closest}); it is listed below with the others, not as an answer from {labels}.")


def named_document_never_uses(label: str, words: list[str], held: str, closest: str) -> str:
    used = ", ".join(f"\u201c{w}\u201d" for w in words)
    return (f"Not found in {label}: the text held here{held} never uses {used}, though other reports do. The "
            f"closest passages ({closest} first) are listed below; they do not answer it from {label}.")


def period_not_stated(asked: list[int] | list[str], stated: list[int] | list[str], closest: str) -> str:
    years = " or ".join(str(y) for y in asked)
    other = f" They state {', '.join(str(y) for y in stated)} instead." if stated else ""
    return (f"Not found for {years}: the passages closest to this question ({closest} first) do not state "
            f"{years}.{other} They are listed below; none answers for {years}.")


def later_years_not_stated(asked: list[str] | list[int]) -> str:
    years = " or ".join(str(y) for y in asked)
    return (f"Not found for {years}: the passages below state no later year than the one named; what they say "
            "may not hold after it.")


def no_figure_stated(closest: str) -> str:
    return (f"Not found: the passages closest to this question ({closest} first) give no figure of the kind asked "
            "for. They are listed below; none states it.")


def no_date_stated(closest: str) -> str:
    return (f"Not found: the passages closest to this question ({closest} first) give no date for it. They are "
            "listed below; none states when.")


def no_figure_for(names: list[str], closest: str) -> str:
    named = " or ".join(f"\u201c{n}\u201d" for n in names)
    # "the closest": a passage further down may state one (Nuffield Table 6 gives the Invest to Save Fund's
    # £14 million for 2009 to 2018, which does not answer "How much does it spend each year?")
    return (f"Not found: none of the closest passages stating a figure of the kind asked for names {named}. They "
            f"({closest} first) are listed below; their figures are for other things.")


def only_planned(closest: str, sentence: str) -> str:
    return (f"Not found: the reports speak of this only as planned or under way when they were written, not of "
            f"its result. {closest} reads: \u201c{sentence}\u201d The closest passages are listed below.")


def count_not_names(counted: str, closest: str) -> str:
    return (f"Not found: the reports say how many (\u201c{counted}\u201d, {closest}), not which; no passage close "
            "to the question names them. The closest passages are listed below.")


def counts_something_else(counted: str, closest: str) -> str:
    return (f"Not found: the closest passage counts something else (\u201c{counted}\u201d, {closest}), not the "
            "people asked about. The closest passages are listed below.")


def unit_not_stated(unit: str, closest: str) -> str:
    return (f"Not found: the sentences closest to this question ({closest} first) give no figure {unit}. The "
            "closest passages are listed below.")


def names_none_asked(closest: str) -> str:
    return (f"Not found: the passages closest to this question ({closest} first) name none of the places or "
            "bodies asked about. They are listed below; none says which.")


def names_no_person(closest: str) -> str:
    return (f"Not found: the passages closest to this question ({closest} first) name no one; the reports do not "
            "say who this was. They are listed below.")


def change_not_total(change: str, closest: str) -> str:
    return (f"Not found: the passages closest to this question give the change (\u201c{change}\u201d, {closest}), "
            "not the total or level asked for. They are listed below.")


def only_expected(closest: str, sentence: str) -> str:
    return (f"Not found: the reports give only what was planned, estimated or expected, not what actually "
            f"happened. {closest} reads: \u201c{sentence}\u201d The closest passages are listed below.")


def name_not_mentioned(names: list[str], closest: str) -> str:
    named = " or ".join(f"\u201c{n}\u201d" for n in names)
    return (f"Not found: these reports do not mention {named}. The closest passages ({closest} first) are "
            "listed below; they are not about it.")


def word_not_used(words: list[str]) -> str:
    words = list(dict.fromkeys(words))  # "Nov 2014 to Nov 2016" names "Nov" once
    used = ", ".join(f"\u201c{w}\u201d" for w in words)
    return (f"These reports never use the word{'s' if len(words) > 1 else ''} {used}: this is the closest they "
            "come, not necessarily about it.")


def place_not_stated(nation: str, closest: str) -> str:
    return (f"Not found for {nation}: the passages closest to this question ({closest} first) do not speak of "
            f"{nation}. They are listed below; none answers for {nation}.")


def figure_of_another_period(stated: list[str], asked: list[str]) -> str:
    # Said of the passages searched, not of the reports as a whole: another passage may give another year
    # ("£5.8 billion in 2016-17") without giving the one asked.
    return (f"For {', '.join(stated)}, not {' or '.join(asked)}: the figure below is for another period; the "
            f"passages closest to the question give none for {' or '.join(asked)}.")


PART_NOT_IN_REPORTS = "Not in these reports: no passage close to the question speaks to this part."
# A statement made of a table's row, column and value is read from the table, not a sentence it prints.
READ_FROM_CELLS = "Read from the table's cells:"
BLANK_CELL = "no value printed"  # a cell asked for that the table leaves empty


def table_headings_lost(locator: str, ocr: bool) -> str:
    return (f"The {'OCR ' if ocr else ''}text of {locator} has lost its column headings, so which value is for which "
            "column (a country, a year) cannot be read from it: its values are shown in the order printed. Check "
            "the original before quoting one.")


def table_unread(locator: str, ocr: bool) -> str:
    return (f"The {'OCR ' if ocr else ''}text of {locator} could not be read into rows and columns, so which value "
            "belongs to which row and column cannot be told from it. Check the original before quoting one.")


def parts_filtered_out(labels: list[str]) -> str:
    verb = "is" if len(labels) == 1 else "are"
    return f"Not searched: {' and '.join(labels)} {verb} left out by the document filter."


def parts_not_found(labels: list[str], kind: str) -> str:
    """A comparison's parts that no passage close to the question speaks to: nations by name, reports
    by their passages, a measure or group compared in the user's own words (in quotation marks)."""
    if not labels:
        return ""
    pronoun = "it" if len(labels) == 1 else "them"
    if kind == "report":
        return f"Not found in {' or '.join(labels)}: none of {'its' if len(labels) == 1 else 'their'} passages " \
               "is close to the question."
    # A nation's passages are there, but none close to the question speaks of it: "names it" would say
    # the reports never name the nation.
    named = ", ".join(f"\u201c{label}\u201d" for label in labels) if kind == "measure" else ", ".join(labels)
    return f"Not found for {named}: no passage close to the question speaks of {pronoun}."
