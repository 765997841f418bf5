"""What kind of figure a question asks for: an amount, a share, a count, a rate or a date."""

from __future__ import annotations

import re

_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rate", (r"\bper 100,?000\b", r"\bper (head|capita|person)\b", r"\brate\b")),
    ("percent", (r"\bwhat (share|proportion|percentage|fraction|per ?cent)\b", r"\bhow much of\b", r"%",
                 r"\bper ?cent(age)?\b", r"\bproportion\b", r"\bshare of\b", r"\bwhat share\b")),
    ("money", (r"\bhow much\b", r"£", r"\bcost(s|ing)?\b", r"\bspen[dt]\b", r"\bfund(ing|s)?\b", r"\bbudget",
               r"\bsav(e|ed|ing|ings)\b", r"\bmoney\b", r"\bamount\b", r"\binvest(ed|ment)?\b", r"\bbillion\b",
               r"\bmillion\b", r"\bprice\b", r"\bthreshold\b", r"\bcap\b", r"\bshortfall\b", r"\bgap\b",
               r"\bdeficits?\b", r"\boverspends?\b", r"\bworth\b(?! it\b)",
               r"\b(?:hourly|weekly|annual|average) (?:pay|wages?|salar(?:y|ies)|earnings)\b", r"\bpay gap\b",
               r"\bwages?\b", r"\bsalar(?:y|ies)\b")),
    ("count", (r"\bhow many\b", r"\bnumber of\b", r"\bhow big\b", r"\bhow large\b", r"\bincrease\b", r"\brise\b",
               r"\bin days\b", r"\bnumber of days\b")),
    # "when" asks for a date where it opens the question or a second one ("... and when were they
    # chosen?"), not in a clause ("What was wrong with the standard when it was tested?")
    ("year", (r"^\W*when\b|(?:\band|\bor|;|\?)\s+when\b|\bwhen (?:did|was|were|will|is|are|does|do|has|have)\b"
              r"|\b(?:know|tell me|say|find out|wondering|ask(?:ed)?)\s+when\b",
              r"\bwhat year\b", r"\bwhich year\b", r"\bby when\b", r"\bwhat date\b", r"\bdeadline\b",
              r"\btarget date\b", r"\bsince when\b", r"\buntil when\b", r"\bhow long\b", r"\bwhat period\b")),
)
# "How much did X grow", "by how much was Y cut", "what cut in Z", "how much extra": a change, which the
# reports state as a share, a number or an amount ("increased by 37%", "reduce admissions by 106,000",
# "an additional precept of 2%"), whatever else the question's words suggest.
_CHANGE_WORD = (r"\b(grow(s|ing)?|grew|grown|growth|ris(e|es|ing)|rose|risen|increas(e[sd]?|ing)|fall(s|ing)?|fell|"
                r"fallen|cut|cuts|cutting|drop(s|ped|ping)?|declin(e[sd]?|ing)|shr[iau]nk|reduc(e|ed|es|ing|tion)|"
                r"slow(ed)?|go(es|ing)? up|went up|uplift|extra|additional|chang(e[sd]?|ing))\b")
_CHANGE_ASK = (r"\b(how (much|far|fast) (did|does|do|has|have|had|will|would|is|are)|how much (extra|more|additional)|"
               r"by how|by what|what (\w+ )?(cut|rise|increase|reduction|fall|drop|growth|uplift)|"
               r"how (has|have|did|do|does) .{0,60}\bchang(e|ed))\b")
# "When X happened, what ...": a clause setting the scene, not a question asking when.
# Not "When did the vanguards start, how many were there?": "when" and a verb ask when.
_WHEN_CLAUSE = re.compile(r"^\W*when\b(?!\s+(?:did|does|do|is|was|were|will|has|have|had|are|can|could|would|should)\b)"
                          r"[^?,;]*,\s*(?:what|how|which|who|why|where|did|does|do|is|was|were|has|have|had|can|could|"
                          r"would)\b", re.IGNORECASE)


def sets_the_scene(question: str) -> bool:
    """"When the standard was tested, what was the verdict?" asks for the verdict, unless it asks when as well
    ("..., and when was it tested?")."""
    return bool(_WHEN_CLAUSE.search(question)) and not re.search(r"\?\s+when\b|\band when\b", question,
                                                                  re.IGNORECASE)
# A figure of one of these kinds satisfies a question of the key's kind.
COMPATIBLE = {
    "money": ("money",),
    "percent": ("percent",),
    "rate": ("rate",),
    "count": ("count", "rate"),
    "year": ("year", "period"),
    "change": ("percent", "count", "money", "rate"),
}


def asked_figure_kinds(question: str) -> tuple[str, ...]:
    """Figure kinds the question asks for, most specific first; () for a question not about a figure."""
    q = question.lower()
    kinds = [kind for kind, patterns in _RULES if any(re.search(p, q) for p in patterns)]
    if "year" in kinds and sets_the_scene(q):
        kinds.remove("year")  # "When the standard was tested, what was the verdict?" asks for the verdict
    if re.search(_CHANGE_WORD, q) and re.search(_CHANGE_ASK, q):
        kinds.insert(0, "change")
    # "What share of the pool ..." asks for a share; "how much of the pool was the NHS transfer" is
    # answered by a share or by the amount (£1.1 billion of £3.8 billion).
    if "percent" in kinds and "money" in kinds and re.search(r"\bshare\b|\bproportion\b", q):
        kinds.remove("money")
    # "How many NHS trusts were in deficit?" asks for a number of trusts, not an amount of money,
    # unless it counts money itself ("how many £bn", "how many billions").
    # ... unless a second question asks what they cost ("How many vanguards were there and what did they
    # cost?"): both kinds are asked, each to be answered.
    if ("count" in kinds and "money" in kinds and re.search(r"\bhow many\b", q)
            and not re.search(r"\bhow many (£|pounds|billions?|millions?)", q)
            and not re.search(r"\bhow many\b.*\band\s+(?:what|how much|how big)\b", q)):
        kinds.remove("money")
    # "How large was the budget Greater Manchester took over?" asks for an amount, not a count (the "10
    # boroughs and 12 clinical commissioning groups" whose budgets they were).
    if ("count" in kinds and "money" in kinds and re.search(r"\bhow (big|large)\b", q)
            and not re.search(r"\bhow many\b|\bnumber of\b", q)):
        kinds.remove("count")
    return tuple(kinds)
