"""Grade what the user reads: the answer's sentences and citations, on questions written by people who
never saw the engine (care_evidence/eval/data/wild/), and on the known facts.

- unanswerable questions: answered honestly when the answer says "not found" (no answer sentence);
- findings (why / how / finding / recommendation): right when the answer's sentences hold the
  expected support (its content words, 80% of them) and cite its document (or one stating the same);
- comparisons: right when every part that has evidence is held by the answer's sentences;
- known facts: figure questions right when the expected figure is shown, others as findings;
- table cells: right when a sentence citing the Table or Figure holds the value, its row and its
  column; from an OCR text, only with the answer saying what the text cannot tell;
- wrongly refused: answerable questions answered "not found";
- named-document compliance: of the found answers to questions naming a document, the share whose
  first sentence cites that document.

Rows are split in two halves by the parity of their number ("un-001" odd, "un-002" even): tune on the
even half, report the odd (held-out) half beside it.

Run: .venv/bin/python -m care_evidence.eval.answers [--index index] [--show 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from care_evidence.eval.data import DATA_DIR, load_facts
from care_evidence.evidence.doc_names import find_documents
from care_evidence.evidence.quotes import normalise_for_match
from care_evidence.indexer.lexical import content_terms

WILD = DATA_DIR / "wild"
CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SUPPORT_RECALL = 0.8  # share of a support's content words the answer must hold


@dataclass(frozen=True)
class Part:
    label: str
    doc: str | None
    support: str | None
    also: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Question:
    id: str
    kind: str  # unanswerable, finding, comparison, figure, fact, keyword
    question: str
    parts: tuple[Part, ...] = ()  # what the answer must hold (none for unanswerable)
    answer: str = ""  # for figure questions: the figure as printed
    cell: tuple[str, str, str | None] = ()  # for table questions: the table, row and column (None: not printed)

    @property
    def held_out(self) -> bool:
        number = re.findall(r"\d+", self.id)
        return bool(number) and int(number[-1]) % 2 == 1


@dataclass
class Graded:
    question: Question
    right: bool
    found: bool
    named_documents: tuple[str, ...] = ()
    first_document: str | None = None
    shown: list[str] = field(default_factory=list)


def _wild(name: str) -> list[dict]:
    path = WILD / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@functools.cache
def _corpus_texts() -> dict[str, str]:
    """Each document of the project's corpus, normalised as quotes are matched, by document id."""
    from care_evidence.indexer.metadata import load_metadata
    from care_evidence.indexer.paths import inside

    return {info.id: normalise_for_match(inside(CORPUS, name).read_text(encoding="utf-8"))
            for name, info in load_metadata(CORPUS).items() if info.id}


def _same_words_elsewhere(doc: str, support: str) -> tuple[tuple[str, str], ...]:
    """The other documents holding a support word for word (the NAO web summary copies the report's
    summary paragraphs): citing either is right."""
    wanted = normalise_for_match(support)
    return tuple((other, support) for other, text in _corpus_texts().items() if other != doc and wanted in text)


def load_questions(audited: bool = True) -> list[Question]:
    """Every question of the wild rows and the known facts; with `audited`, each part also accepts the
    sentences the audit of wrong-graded answers found to answer it (wild/audited_supports.jsonl)."""
    out = [Question(r["id"], "unanswerable", r["question"]) for r in _wild("unanswerable.jsonl")]
    for r in _wild("findings.jsonl"):
        also = tuple((a["doc"], a["support"]) for a in r.get("also", []))
        out.append(Question(r["id"], "finding", r["question"], (Part("finding", r["doc"], r["support"], also),)))
    for kind, name in (("fact", "answerable.jsonl"), ("keyword", "keyword.jsonl")):
        # questions of any kind ("keyword": as typed in a search box), each with one verbatim support
        for r in _wild(name):
            part = Part(kind, r["doc"], r["support"], _same_words_elsewhere(r["doc"], r["support"]))
            out.append(Question(r["id"], kind, r["question"], (part,)))
    for r in _wild("comparisons.jsonl"):
        # A part may list other sentences answering it as well ("also"), and a support a second
        # document prints word for word answers it there too.
        parts = tuple(Part(p["label"], p.get("doc"), p.get("support"),
                           tuple((a["doc"], a["support"]) for a in p.get("also") or ())
                           + (_same_words_elsewhere(p["doc"], p["support"]) if p.get("support") else ()))
                      for p in r["parts"])
        out.append(Question(r["id"], "comparison", r["question"], parts))
    for r in _wild("table_cells.jsonl"):  # a value of a Table or Figure, by its row and column
        out.append(Question(r["id"], "table", r["question"], (Part("cell", r["doc"], None),), r["value"],
                            (r["table"], r["row"], r["column"])))
    for f in load_facts():
        also = tuple((s.doc, s.quote) for s in f.supports[1:])
        kind = "figure" if f.qtype == "figure" else "fact"
        out.append(Question(f.id, kind, f.question, (Part("fact", f.doc, f.supports[0].quote, also),), f.answer))
    return [_with_audited_supports(q) for q in out] if audited else out


def _with_audited_supports(question: Question) -> Question:
    """The question with the other sentences an independent judge found to answer its parts as well as
    the expected support does (wild/audited_supports.jsonl, by question id and part label)."""
    found = _audited().get(question.id)
    if not found:
        return question
    parts = tuple(dataclasses.replace(p, also=p.also + tuple(found.get(p.label, ()))) for p in question.parts)
    return dataclasses.replace(question, parts=parts)


@functools.cache
def _audited() -> dict[str, dict[str, list[tuple[str, str]]]]:
    by_question: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for r in _wild("audited_supports.jsonl"):
        # the pieces of a sentence (or of several) as its document prints them, each on one line
        by_question[r["id"]][r["part"]].append((r["doc"], " ".join(r["supports"])))
    return by_question


def holds(answer_text: str, support: str) -> bool:
    """Whether the answer's text holds the support: 80% of its content words (stemmed)."""
    wanted = content_terms(normalise_for_match(support))
    if not wanted:
        return normalise_for_match(support) in normalise_for_match(answer_text)
    return len(wanted & content_terms(normalise_for_match(answer_text))) >= SUPPORT_RECALL * len(wanted)


def _part_held(answer, part: Part) -> bool:
    places = [(part.doc, part.support), *part.also]
    for sentence in answer.sentences:
        for doc, support in places:
            if sentence.citation.doc_id == doc and holds(sentence.text, support):
                return True
    # A support longer than one sentence: the cited sentences of its document together.
    for doc, support in places:
        text = " ".join(s.text for s in answer.sentences if s.citation.doc_id == doc)
        if text and holds(text, support):
            return True
    return False


def _flat(text: str) -> str:
    return " ".join(text.replace("*", "").split())


def table_cell_shown(answer, question: Question) -> bool:
    """A table question is answered when a sentence citing the table (or the key fact) holds the value, the
    row's words and the column's heading; from an OCR text, only when the answer also says what the text
    cannot tell (`Answer.reading`: its headings lost, its cells unread): a value shown as if read with
    confidence is not."""
    locator, row, column = question.cell
    doc = question.parts[0].doc
    for s in answer.sentences:
        # A key fact restates the report's body: the paragraph stating the same value answers as well.
        where = locator if locator != "Key facts" else ""
        if s.citation.doc_id != doc or not s.citation.locator.startswith(where):
            continue
        text = _flat(s.text)
        if (_flat(question.answer) in text and (holds(text, _flat(row)) or not where)
                and (column is None or _flat(column) in text)
                and (not s.citation.ocr or "text of" in answer.reading)):
            return True
    return False


def grade(engine, question: Question) -> Graded:
    answer = engine.ask(question.question)
    named, _ = find_documents(question.question, engine.documents)
    first = answer.sentences[0].citation.doc_id if answer.found and answer.sentences else None
    shown = ([answer.caveat] if answer.caveat else []) + (
        [f"{s.text} — {s.citation}" for s in answer.sentences] if answer.found else [answer.message])
    if question.kind == "unanswerable":
        right = not answer.found or bool(answer.caveat)  # "what it says, not what it recommends" is honest
    elif not answer.found:
        right = False
    elif question.kind == "table":
        right = table_cell_shown(answer, question)
    elif question.kind == "figure":
        shown_figures = {" ".join(f.printed.split()) for f in answer.figures}
        right = " ".join(question.answer.split()) in shown_figures or any(
            question.answer in s.text for s in answer.sentences)
    else:
        parts = [p for p in question.parts if p.support]
        right = bool(parts) and all(_part_held(answer, p) for p in parts)
    return Graded(question, right, answer.found, named, first, shown)


def summarise(graded: list[Graded]) -> dict[str, dict[str, float]]:
    """Per half: accuracy by kind, honest abstention, wrongly refused, named-document compliance."""
    out: dict[str, dict[str, float]] = {}
    for half, rows in (("held-out", [g for g in graded if g.question.held_out]),
                       ("tuned", [g for g in graded if not g.question.held_out]), ("all", graded)):
        by_kind = defaultdict(list)
        for g in rows:
            by_kind[g.question.kind].append(g.right)
        scores = {f"{kind} ({len(v)})": sum(v) / len(v) for kind, v in sorted(by_kind.items())}
        answerable = [g for g in rows if g.question.kind != "unanswerable"]
        refused = [g for g in answerable if not g.found]
        abstained = [g for g in rows if not g.found]
        scores["wrongly refused"] = len(refused) / max(len(answerable), 1)
        scores["abstention precision"] = (sum(g.question.kind == "unanswerable" for g in abstained)
                                          / max(len(abstained), 1))
        named = [g for g in rows if g.found and g.named_documents]
        scores[f"named-document compliance ({len(named)})"] = (
            sum(g.first_document in g.named_documents for g in named) / max(len(named), 1))
        out[half] = scores
    return out


def check_answers(scores: dict[str, float], thresholds: Path | None = None) -> list[str]:
    """One message per measure past its limit ([answers] of care_evidence/eval/thresholds.toml): a minimum for each,
    but "wrongly refused", which is a maximum."""
    import tomllib

    from care_evidence.eval.cli import THRESHOLDS

    limits = tomllib.loads((thresholds or THRESHOLDS).read_text(encoding="utf-8")).get("answers", {})
    by_name = {name.split(" (")[0]: value for name, value in scores.items()}
    problems = []
    for name, limit in limits.items():
        value = by_name[name]
        worse = value > limit if name == "wrongly refused" else value < limit
        if worse:
            problems.append(f"answers: {name} = {value:.3f} is {'above' if name == 'wrongly refused' else 'below'} "
                            f"the limit {limit:.3f}")
    return problems


def table(summary: dict[str, dict[str, float]]) -> str:
    halves = ("held-out", "tuned", "all")
    rows = ["| measure | held-out half | tuned half | all |", "|---|---|---|---|"]
    for name in summary["held-out"]:
        base = name.split(" (")[0]
        values = [next((v for k, v in summary[h].items() if k.split(" (")[0] == base), None) for h in halves]
        rows.append(f"| {name} | " + " | ".join("" if v is None else f"{v:.3f}" for v in values) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    from care_evidence.evidence.engine import Engine
    from care_evidence.indexer.cli_common import add_location_arguments, add_setting_argument, settings_from

    parser = argparse.ArgumentParser(prog="python -m care_evidence.eval.answers", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_location_arguments(parser)
    add_setting_argument(parser)
    parser.add_argument("--show", type=int, default=0, help="print this many wrong answers of each kind")
    parser.add_argument("--kind", default="", help="only questions of this kind")
    parser.add_argument("--json", type=Path, default=None, help="write every graded answer here")
    parser.add_argument("--unaudited", action="store_true",
                        help="grade against the eval rows' own supports only, without wild/audited_supports.jsonl")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when a measure over all questions passes its limit in eval/thresholds.toml")
    args = parser.parse_args(argv)
    engine = Engine.load(args.index, settings=settings_from(args))
    questions = [q for q in load_questions(audited=not args.unaudited) if not args.kind or q.kind == args.kind]
    graded = [grade(engine, q) for q in questions]
    print(f"{len(graded)} questions ({sum(q.held_out for q in questions)} held out)\n")
    print(table(summarise(graded)))
    if args.show:
        wrong = defaultdict(list)
        for g in graded:
            if not g.right:
                wrong[g.question.kind].append(g)
        for kind, rows in wrong.items():
            print(f"\n## wrong: {kind} ({len(rows)})")
            for g in rows[: args.show]:
                print(f"- {g.question.id} {g.question.question}\n    " + "\n    ".join(s[:220] for s in g.shown))
    if args.check:
        problems = check_answers(summarise(graded)["all"])
        for problem in problems:
            print(f"FAIL {problem}", file=sys.stderr)
        if problems:
            return 1
        print("answer gate passed: every measure within its limit in thresholds.toml")
    if args.json:
        args.json.write_text(json.dumps([{"id": g.question.id, "kind": g.question.kind, "right": g.right,
                                          "found": g.found, "shown": g.shown} for g in graded],
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
