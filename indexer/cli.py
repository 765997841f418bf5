"""`python -m indexer build` and `python -m indexer show DOC LOCATOR`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

DEFAULT_CORPUS = Path(os.environ.get("EVIDENCE_CORPUS", "corpus"))
DEFAULT_INDEX = Path(os.environ.get("EVIDENCE_INDEX", "index"))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m indexer", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder (default: %(default)s)")
    parser.add_argument("--index", type=Path, default=DEFAULT_INDEX, help="index folder (default: %(default)s)")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build or update the index")
    build.add_argument("--quiet", action="store_true", help="no progress bars")
    show = sub.add_parser("show", help='print one passage, e.g. show "NAO 2017" "para 2.7"')
    show.add_argument("document", help="document id, label or alias (e.g. 'NAO 2017', 'PAC')")
    show.add_argument("locator", help="locator as cited (e.g. 'para 2.7', 'Summary para 13', 'footnote 20')")
    return parser


def _normalise(text: str) -> str:
    return " ".join(text.lower().replace(".", " . ").split())


def cmd_build(args) -> int:
    from indexer.build import BuildFailed, build_index
    from indexer.store import IndexProblem

    try:
        report = build_index(args.corpus, args.index, progress=not args.quiet)
    except (BuildFailed, IndexProblem) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0


def cmd_show(args) -> int:
    from indexer.embedding import MODEL_NAME
    from indexer.store import IndexProblem, load_index

    try:
        index = load_index(args.index, MODEL_NAME, with_faiss=False)
    except IndexProblem as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    wanted = _normalise(args.document)
    docs = [d for d in index.documents.values()
            if wanted in {_normalise(d.id), _normalise(d.label), *(_normalise(a) for a in d.aliases)}]
    if not docs:
        labels = ", ".join(d.label for d in index.documents.values())
        print(f"error: no document {args.document!r}; documents: {labels}", file=sys.stderr)
        return 1
    locator = _normalise(args.locator)
    hits = [p for p in index.passages if p.doc_id in {d.id for d in docs} and _normalise(p.locator) == locator]
    if not hits:
        print(f"error: no passage {args.locator!r} in {docs[0].label}", file=sys.stderr)
        return 1
    for p in hits:
        doc = index.documents[p.doc_id]
        page = f", p. {p.page}" if p.page else ""
        print(f"{doc.label}, {p.locator}{page}  [{p.kind}; {' > '.join(p.section)}]\n")
        print(p.text)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return {"build": cmd_build, "show": cmd_show}[args.command](args)
