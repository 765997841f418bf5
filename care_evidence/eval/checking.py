"""Grade checking a text against the reports on the rows helper sessions wrote as users (data/wild/):
references as people write them, misremembered quotes, and the claim check (the digest's own claims,
altered claims, claims no report makes).

Run: .venv/bin/python -m care_evidence.eval.checking [--check] [--show N] [--json FILE]

Held-out half: the odd-numbered rows, as in eval.answers. A rule is kept only if it also wins there.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from care_evidence.eval.data import DATA_DIR
from care_evidence.evidence.messages import Status
from care_evidence.indexer.cli_common import add_location_arguments, add_setting_argument, run_main, settings_from

WILD = DATA_DIR / "wild"
THRESHOLDS = Path(__file__).resolve().parent / "thresholds.toml"
_PAGE = re.compile(r"\s*\(page (\d+)\)$")
_BULLET = re.compile(r",\s*bullet \d+$")


@dataclass(frozen=True)
class Graded:
    measure: str
    row_id: str
    ok: bool
    shown: str  # what the user read, for --show


def held_out(row_id: str) -> bool:
    """The odd-numbered rows, as in eval.answers."""
    number = re.findall(r"\d+", row_id)
    return bool(number) and int(number[-1]) % 2 == 1


def read_rows(name: str) -> list[dict]:
    path = WILD / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def same_place(passage, doc: str, locator: str) -> bool:
    """The passage is the place (doc, locator) names: the locator itself, a passage of the section it
    names ("Chapter 3, Wales"), on the page it names ("... (page 60)"); "26d" and "26(d)" alike; a
    digest bullet is its paragraph's."""
    if passage.doc_id != doc:
        return False
    page = _PAGE.search(locator)
    wanted = _BULLET.sub("", _PAGE.sub("", locator))
    wanted = re.sub(r"(\d)([a-g])$", r"\1(\2)", wanted)
    place = passage.locator == wanted or passage.locator.startswith((wanted + ",", wanted + "(")) or (
        wanted == "Key facts" and passage.locator.startswith("Key facts"))
    if page:  # "Chapter 6, ... (page 66)": any passage on the page, or of the section named with it
        return passage.page == int(page[1]) or (place and "," in wanted)
    return place


def source_of(passage, row: dict) -> bool:
    """The passage is the row's source: the place it names, or a passage of its report (or of one that
    prints the same words) holding its support, as eval.answers grades an answer. The helper named the
    place as the printed report heads it ("Chapter 5, Integrated finances"), where the index cites the
    sub-heading the paragraph stands under; and the NAO states some findings in its summary and again
    in the body."""
    from care_evidence.eval.answers import _same_words_elsewhere, holds

    if same_place(passage, row["doc"], row["locator"]):
        return True
    docs = {row["doc"], *(doc for doc, _ in _same_words_elsewhere(row["doc"], row["support"]))}
    return passage.doc_id in docs and holds(passage.search_text, row["support"])


def grade_reference(engine, row: dict) -> Graded:
    result = engine.lookup(row["query"])
    shown = f"{result.status}: {result.message}"
    if row["expect"] == "passage":
        ok = result.status == Status.FOUND and any(same_place(sp.passage, row["doc"], row["locator"])
                                                   for sp in result.passages)
    else:  # an honest "not held here": nothing offered as found, and the message says what is held
        label = engine.documents[row["doc"]].label if row["doc"] else ""
        ok = result.status == Status.NOT_FOUND and (label in result.message if label else
                                                    "not in this corpus" in result.message.lower())
    return Graded("references", row["id"], ok, shown)


def grade_misremembered(engine, row: dict) -> list[Graded]:
    result = engine.lookup(row["query"])
    shown = f"{result.status}: {result.message}"
    if row["doc"] is None:
        return [Graded("misremembered: not in the reports", row["id"], result.status == Status.NOT_FOUND, shown)]
    first = bool(result.passages) and source_of(result.passages[0].passage, row)
    return [Graded("misremembered: source first", row["id"], first, shown),
            Graded("misremembered: paraphrase verdict", row["id"], first and result.status == Status.PARAPHRASE,
                   shown)]


def grade_claim(check, row: dict, measure: str, expect: Callable) -> Graded:
    verdict = check(row["claim"])
    shown = f"{verdict.verdict}: {verdict.message}"
    return Graded(measure, row["id"], expect(verdict), shown)


def cites(verdict, doc: str, locators: list[str]) -> bool:
    return any(same_place(e.passage, doc, loc) for e in verdict.evidence[:1] for loc in locators)


PARTS = ("references", "quotes", "claims")


def grade_all(engine, parts: tuple[str, ...] = PARTS) -> list[Graded]:
    graded = []
    if "references" in parts:
        graded += [grade_reference(engine, row) for row in read_rows("references.jsonl")]
    if "quotes" in parts:
        for row in read_rows("misremembered_quotes.jsonl"):
            graded += grade_misremembered(engine, row)
    if "claims" in parts:
        graded += grade_claims(engine)
    return graded


def grade_claims(engine) -> list[Graded]:
    from care_evidence.evidence.claims import Verdict

    graded = []

    def check(text: str, exclude: tuple[str, ...] = ()):
        """The verdict on a one-sentence claim (the first, if the splitter finds more)."""
        from care_evidence.evidence.claims import ClaimCheck

        claims = engine.check(text, exclude_docs=exclude).claims
        return claims[0] if claims else ClaimCheck(text, None, "(not read as a claim)")

    # The digest is checked whole, as a user pastes it: each sentence read after the one before it.
    digest = engine.check(_digest_text(), exclude_docs=(DIGEST,)).claims
    for row in read_rows("digest_claims.jsonl"):
        if row["doc"]:
            graded.append(grade_claim(lambda t: _checked_as(t, digest), row, "claims: digest supported",
                                      lambda v, r=row: v.verdict == Verdict.SUPPORTED
                                      and cites(v, r["doc"], [r["locator"], *r.get("also_locators", [])])))
    for row in read_rows("altered_claims.jsonl"):
        if row["changed"] == "none":
            graded.append(grade_claim(check, row, "claims: faithful supported",
                                      lambda v, r=row: v.verdict == Verdict.SUPPORTED
                                      and cites(v, r["doc"], [r["locator"]])))
        else:
            graded.append(grade_claim(check, row, "claims: altered flagged with both values",
                                      lambda v, r=row: v.verdict in (Verdict.DIFFERS, Verdict.PARTLY)
                                      and _says_both(v.message, r["claim_value"], r["source_value"])))
    for row in read_rows("absent_claims.jsonl"):
        graded.append(grade_claim(check, row, "claims: absent said not in the reports",
                                  lambda v: v.verdict == Verdict.NOT_IN_REPORTS))
    return graded


DIGEST = "nhsconfed2017"


def _digest_text() -> str:
    from care_evidence.eval.answers import CORPUS
    from care_evidence.indexer.metadata import load_metadata
    from care_evidence.indexer.paths import inside

    name = next(name for name, info in load_metadata(CORPUS).items() if info.id == DIGEST)
    return inside(CORPUS, name).read_text(encoding="utf-8")


def _checked_as(claim: str, checked: list):
    """The verdict the whole-text check gave the sentence that is this claim."""
    from care_evidence.evidence.claims import ClaimCheck
    from care_evidence.evidence.quotes import normalise_for_match

    wanted = normalise_for_match(claim)[:60]
    for c in checked:
        said = normalise_for_match(c.claim)
        if wanted in said or said[:60] in normalise_for_match(claim):
            return c
    return ClaimCheck(claim, None, "(not read as a claim)")


def _says_both(message: str, claimed: str, source: str) -> bool:
    """The message gives both values: the words in which the claim's value and the report's differ
    ("15" and "50" of "15 'vanguard'" and "50 'vanguard'")."""
    def plain(text: str) -> str:  # "2020/21" and "2020-21" are one year
        return re.sub(r"(\d{4})/(\d{2})\b", r"\1-\2", text.lower().replace(",", ""))

    def words(text: str) -> list[str]:
        return re.findall(r"[\w.£%/-]+", plain(text))

    said, held, shown = words(str(claimed)), words(str(source)), plain(message)
    return all(w in shown for w in said if w not in held) and all(w in shown for w in held if w not in said)


def table(graded: list[Graded]) -> str:
    measures = list(dict.fromkeys(g.measure for g in graded))
    lines = ["| measure | held-out half | tuned half | all |", "|---|---|---|---|"]
    for measure in measures:
        rows = [g for g in graded if g.measure == measure]
        cells = []
        for part in ([g for g in rows if held_out(g.row_id)], [g for g in rows if not held_out(g.row_id)], rows):
            cells.append(f"{sum(g.ok for g in part) / len(part):.3f}" if part else "-")
        lines.append(f"| {measure} ({len(rows)}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def failed_limits(graded: list[Graded]) -> list[str]:
    limits = tomllib.loads(THRESHOLDS.read_text(encoding="utf-8")).get("checking", {})
    failed = []
    for measure, minimum in limits.items():
        rows = [g for g in graded if g.measure == measure]
        score = sum(g.ok for g in rows) / len(rows) if rows else 0.0
        if score < minimum:
            failed.append(f"{measure}: {score:.3f} < {minimum}")
    return failed


def main(argv: list[str] | None = None) -> int:
    from care_evidence.evidence.engine import Engine

    parser = argparse.ArgumentParser(prog="python -m care_evidence.eval.checking", description=__doc__)
    add_location_arguments(parser)
    add_setting_argument(parser)
    parser.add_argument("--part", choices=PARTS, action="append", help="grade only this part (repeatable)")
    parser.add_argument("--show", type=int, default=0, help="print up to N failures per measure")
    parser.add_argument("--json", type=Path, default=None, help="write every graded row here")
    parser.add_argument("--check", action="store_true", help="exit 1 when a measure is below its [checking] limit")
    args = parser.parse_args(argv)
    engine = Engine.load(args.index, settings=settings_from(args))
    graded = grade_all(engine, tuple(args.part or PARTS))
    print(table(graded))
    if args.show:
        for measure in dict.fromkeys(g.measure for g in graded):
            for g in [g for g in graded if g.measure == measure and not g.ok][: args.show]:
                print(f"FAIL {measure} {g.row_id}: {g.shown[:300]}")
    if args.json:
        args.json.write_text(json.dumps([g.__dict__ for g in graded], indent=1), encoding="utf-8")
    if args.check:
        failed = failed_limits(graded)
        for line in failed:
            print(f"below its limit: {line}", file=sys.stderr)
        if failed:
            return 1
        print("checking gate passed: every measure within its limit in thresholds.toml")
    return 0


if __name__ == "__main__":
    sys.exit(run_main(main))
