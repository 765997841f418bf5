"""`python -m care_evidence.evidence ask|lookup`: questions and citations from the command line.

With --batch, reads one question (or citation) per line from standard input and writes one JSON
object per line. Domain errors become one-line messages; nothing here holds retrieval logic.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from care_evidence.evidence import messages
from care_evidence.evidence.claims import CheckResult
from care_evidence.evidence.limits import MAX_PASSAGES_SHOWN, check_count
from care_evidence.evidence.models import OCR_CAUTION, Answer, Filters, LookupResult
from care_evidence.evidence.query import QueryError
from care_evidence.indexer.cli_common import EXIT_USAGE, add_location_arguments, add_setting_argument, settings_from


def _passage_count(text: str) -> int:
    try:
        return check_count(int(text))
    except (ValueError, QueryError) as err:
        raise argparse.ArgumentTypeError(
            f"must be a whole number from 1 to {MAX_PASSAGES_SHOWN}, not {text!r}") from err


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m care_evidence.evidence", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_location_arguments(parser)
    add_setting_argument(parser)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("ask", "answer a question with cited passages"),
                            ("lookup", "find a passage by reference ('NAO para 2.7') or by a pasted quote")):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("text", nargs="?", help="the question or citation (omit with --batch)")
        cmd.add_argument("--json", action="store_true", help="print JSON")
        cmd.add_argument("--batch", action="store_true", help="one input per line on stdin, JSON lines out")
        cmd.add_argument("-k", type=_passage_count, default=5,
                         help=f"passages to show, 1 to {MAX_PASSAGES_SHOWN} (default: %(default)s)")
        cmd.add_argument("--doc", action="append", default=[],
                         help="only this document (id, label or alias such as PAC); repeatable")
        cmd.add_argument("--kind", action="append", default=[],
                         help="only this passage kind (paragraph, footnote, figure, table, ...); repeatable")
        cmd.add_argument("--from", dest="date_from", default="", help="documents dated from (YYYY or YYYY-MM-DD)")
        cmd.add_argument("--to", dest="date_to", default="", help="documents dated up to (YYYY or YYYY-MM-DD)")
    check = sub.add_parser("check", help="check each claim of a text (a file, or standard input) against the reports")
    check.add_argument("file", nargs="?", default="-", help="the text to check; '-' or nothing: standard input")
    check.add_argument("--json", action="store_true", help="print JSON")
    check.add_argument("--markdown", action="store_true", help="print the check as Markdown")
    check.add_argument("--exclude-doc", action="append", default=[], metavar="DOC",
                       help="leave this document (id, label or alias) out of the evidence; repeatable")
    check.set_defaults(doc=[], kind=[], date_from="", date_to="", batch=False, text=None)
    return parser


def read_check_text(name: str) -> str:
    """The text to check, from a file or standard input; an error names the file and what is wrong."""
    if name == "-":
        return sys.stdin.read()
    path = Path(name)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QueryError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise QueryError(f"{path}: not UTF-8 text (a PDF or Word file? save it as plain text first)") from None
    except OSError as err:
        raise QueryError(f"{path}: cannot be read ({err.strerror})") from None


def format_check(result) -> str:
    lines = []
    for claim in result.claims:
        lines.append(f"[{claim.verdict}] {claim.claim}")
        lines.append(f"  {claim.message}")
    if not result.claims:
        lines.append("No sentence in the text makes a claim to check.")
    return "\n".join(lines)


def format_answer(answer: Answer) -> str:
    lines = []
    if answer.found:
        lines += [said for said in (answer.caveat, answer.reading) if said]
        for s, cite in zip(answer.sentences, answer.citation_shown_after(), strict=True):
            text = s.text
            # Figures marked as **£5.3 billion**: each figure as written once, at every place it stands
            # ("July 2018 ... November 2018"), never inside a mark already made.
            for printed in dict.fromkeys(f.printed for f in s.figures):
                text = re.sub(rf"(?<![\w*]){re.escape(printed)}(?![\w*])", f"**{printed}**", text)
            text = f"{messages.READ_FROM_CELLS} {text}" if s.from_cells else text
            lines.append(f"[{s.part}] {text}" if s.part else text)
            if cite:
                lines.append(f"  — {s.citation}" + (f" ({OCR_CAUTION})" if s.citation.ocr else ""))
        lines += [f"[{label}] {messages.PART_NOT_IN_REPORTS}" for label, said in answer.part_rows() if not said]
        if answer.series:
            lines.append("By year, as the reports state it:")
            lines += [f"  {p.period}: {p.printed} — {p.citation}" for p in answer.series]
        if answer.table is not None:
            lines.append(f"{answer.table.citation.locator}: {answer.table.title} (picked cells in [brackets])")
            lines.append("  " + " | ".join(answer.table.header()))
            lines += ["  " + " | ".join(f"[{c or messages.BLANK_CELL}]" if on else c
                                       for c, on in zip(cells, picked, strict=True))
                      for cells, picked in answer.table.body()]
        also = [str(c) for c in answer.also_in()]
        if also:
            lines.append(f"  also in: {'; '.join(also)}")
    else:
        lines.append(answer.message)
    lines.append("\nPassages:")
    for i, p in enumerate(answer.passages, start=1):
        ocr = ", OCR text" if p.citation.ocr else ""
        lines.append(f"{i}. {p.citation} [{p.passage.kind}, score {p.score:.2f}{ocr}]")
        lines.append(f"   {p.sentence_text or p.passage.search_text[:200]}")
    return "\n".join(lines)


def format_lookup(result: LookupResult) -> str:
    lines = [result.message]
    for d in result.differences:
        lines.append(f"  {d.op}: quoted {d.quoted!r} / source {d.source!r}")
    for p in result.passages[:5]:
        ocr = f"; {OCR_CAUTION}" if p.citation.ocr else ""
        lines.append(f"\n{p.citation} [{p.passage.kind}{ocr}]\n{p.passage.text}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from care_evidence.evidence.engine import Engine
    from care_evidence.indexer.build import build_index
    from care_evidence.indexer.store import IndexMissing

    try:
        filters = Filters(tuple(args.doc), tuple(args.kind), args.date_from, args.date_to)
    except QueryError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    settings = settings_from(args)
    try:
        engine = Engine.load(args.index, settings=settings)
    except IndexMissing:
        print(f"no index in {args.index}; building it from {args.corpus} ...", file=sys.stderr)
        build_index(args.corpus, args.index, progress=False)
        engine = Engine.load(args.index, settings=settings)

    def run(text: str):
        if args.command == "ask":
            return engine.ask(text, k=args.k, filters=filters)
        if args.command == "check":
            return engine.check(text, tuple(args.exclude_doc))
        return engine.lookup(text, filters=filters)

    def shown(result) -> str:
        if isinstance(result, Answer):
            return format_answer(result)
        if isinstance(result, CheckResult):
            return result.to_markdown() if args.markdown else format_check(result)
        return format_lookup(result)

    if args.batch:
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                payload = run(line.rstrip("\n")).to_dict()
            except QueryError as err:
                payload = {"query": line.rstrip("\n")[:200], "error": str(err)}
            print(json.dumps(payload, ensure_ascii=False), flush=True)
        return 0
    try:
        text = read_check_text(args.file) if args.command == "check" else args.text
        if args.command == "check" and not text.strip():
            print(f"error: {args.file}: there is no text to check", file=sys.stderr)
            return EXIT_USAGE
        if not text:
            print("error: give the text to ask or look up, or use --batch", file=sys.stderr)
            return EXIT_USAGE
        result = run(text)
    except QueryError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    print(json.dumps(result.to_dict(), ensure_ascii=False, indent=1) if args.json else shown(result))
    return 0
