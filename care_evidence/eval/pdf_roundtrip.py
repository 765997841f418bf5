"""Reports as PDFs, measured: each corpus text is rendered to a PDF laid out the way its publisher lays
out reports (eval/pdf_render.py: running header and footer with printed page numbers, footnotes at
the foot of the page, bold paragraph numbers, two fonts, pages breaking mid-paragraph and mid-list),
read back as a PDF (indexer/pdf_source.py), and compared with the text version passage by passage:

- locator: a passage of the text version has a passage of the PDF with the same locator;
- readable text: its text as a reader sees it (markup taken off) is the same, whitespace aside;
- marked-up text: its text with the corpus's markup (**bold**, <sup>7</sup>, *italic*) is the same;
- figures: the same figures, in order;
- footnote links: it cites the same footnotes;
- pages: its pages are those the rendering printed its text on (printed numbers, not sheets).

The shape each PDF is recognised as without metadata is shown too. --corpus-eval also indexes the five
PDFs and asks the eval set of both indexes (retrieval and answers), side by side.

Run: python -m care_evidence.eval.pdf_roundtrip [--check] [--save DIR] [--corpus-eval]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# The targets of the issue that asked for PDFs: the share of the text version's passages the PDF
# reproduces (locator, readable text and figures), and every page right.
TARGETS = {"nao2017": 0.97, "pac2018": 0.95, "nuffield2022": 0.95}
CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _ws(text: str) -> str:
    return " ".join(text.split())


@dataclass
class RoundTrip:
    doc_id: str
    passages: int
    pdf_passages: int
    sheets: int
    shape: str  # recognised without metadata ("" : by page)
    locator: float
    readable: float
    marked_up: float
    figures: float
    footnotes: float
    pages: float
    seconds: float

    @property
    def reproduced(self) -> float:
        """The share with the same locator, readable text and figures: the issue's measure."""
        return self.matched / self.passages if self.passages else 0.0

    matched: int = 0


def render_document(path: Path, info):
    """The text document at `path` as a PDF (Rendered) and its own passages."""
    from care_evidence.eval.pdf_render import render
    from care_evidence.indexer.corpus import read_source
    from care_evidence.indexer.models import FOOTNOTE
    from care_evidence.indexer.parsers import parse_document

    source = read_source(path, info)
    passages = parse_document(source)
    notes = {p.segments[0] for p in passages if p.kind == FOOTNOTE}
    return render(source.text, notes, info.title), passages


def round_trip(path: Path, info, save: Path | None = None) -> RoundTrip:
    import dataclasses
    import time

    from care_evidence.indexer.corpus import read_source
    from care_evidence.indexer.parsers import PARSERS, parse_document
    from care_evidence.indexer.pdf_source import recognise_shape

    rendered, text_passages = render_document(path, info)
    with tempfile.TemporaryDirectory() as tmp:
        pdf_path = (save or Path(tmp)) / (path.stem + ".pdf")
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        pdf_path.write_bytes(rendered.pdf)
        started = time.perf_counter()
        source = read_source(pdf_path, dataclasses.replace(info, file=pdf_path.name))
        pdf_passages = parse_document(source)
        seconds = time.perf_counter() - started
    assert source.shape in PARSERS
    shape, _ = recognise_shape(source.text)
    by_locator = {p.locator: p for p in pdf_passages}
    counts = dict.fromkeys(("locator", "readable", "marked_up", "figures", "footnotes", "pages", "matched"), 0)
    for a in text_passages:
        b = by_locator.get(a.locator)
        if b is None:
            continue
        counts["locator"] += 1
        readable = _ws(a.search_text) == _ws(b.search_text)
        figures = [q.printed for q in a.quantities] == [q.printed for q in b.quantities]
        counts["readable"] += readable
        counts["marked_up"] += _ws(a.text) == _ws(b.text)
        counts["figures"] += figures
        counts["footnotes"] += a.footnote_refs == b.footnote_refs
        counts["matched"] += readable and figures
        printed = [n for n in rendered.pages_of(a.span[0], a.span[1]) if n is not None]
        expected = (min(printed), max(printed)) if printed else (None, None)
        counts["pages"] += (b.page, b.page_end or b.page) == expected
    n = len(text_passages)
    return RoundTrip(info.id, n, len(pdf_passages), max(line.sheet for line in rendered.lines), shape,
                     *(counts[k] / n for k in ("locator", "readable", "marked_up", "figures", "footnotes", "pages")),
                     seconds, matched=counts["matched"])


def table(rows: list[RoundTrip]) -> str:
    out = ["| document | sheets | passages (text / PDF) | shape without metadata | locator | readable text | "
           "marked-up text | figures | footnote links | pages | same locator, text and figures | target | "
           "read in |", "|" + "---|" * 13]
    for r in rows:
        target = TARGETS.get(r.doc_id)
        out.append(f"| {r.doc_id} | {r.sheets} | {r.passages} / {r.pdf_passages} | {r.shape or 'by page'} | "
                   f"{r.locator:.3f} | {r.readable:.3f} | {r.marked_up:.3f} | {r.figures:.3f} | {r.footnotes:.3f} | "
                   f"{r.pages:.3f} | {r.reproduced:.3f} | {f'{target:.2f}' if target else ''} | {r.seconds:.1f} s |")
    return "\n".join(out)


def problems(rows: list[RoundTrip]) -> list[str]:
    out = []
    for r in rows:
        target = TARGETS.get(r.doc_id)
        if target is not None and r.reproduced < target:
            out.append(f"{r.doc_id}: {r.reproduced:.3f} of passages reproduced, below the target {target:.2f}")
        if target is not None and r.pages < 1.0:
            out.append(f"{r.doc_id}: pages right for {r.pages:.3f} of passages, not all")
    return out


def corpus_eval(corpus: Path, text_index: Path) -> str:
    """The eval set asked of the text index and of an index of the five documents as PDFs."""
    from care_evidence.eval.answers import grade, load_questions, summarise
    from care_evidence.eval.data import load_facts, load_lookups
    from care_evidence.eval.harness import build_qrels, run_retriever
    from care_evidence.evidence.engine import Engine
    from care_evidence.evidence.retrieval import make_retriever
    from care_evidence.indexer.build import build_index
    from care_evidence.indexer.embedding import MODEL_NAME, Embedder
    from care_evidence.indexer.metadata import load_metadata
    from care_evidence.indexer.store import load_index

    embedder = Embedder()
    with tempfile.TemporaryDirectory() as tmp:
        pdf_corpus, pdf_index = Path(tmp) / "corpus", Path(tmp) / "index"
        pdf_corpus.mkdir()
        metadata = (corpus / "metadata.toml").read_text(encoding="utf-8")
        for name, info in load_metadata(corpus).items():
            rendered, _ = render_document(corpus / name, info)
            pdf_name = Path(name).stem + ".pdf"
            (pdf_corpus / pdf_name).write_bytes(rendered.pdf)
            metadata = metadata.replace(f'file = "{name}"', f'file = "{pdf_name}"')
        (pdf_corpus / "metadata.toml").write_text(metadata, encoding="utf-8")
        build_index(pdf_corpus, pdf_index, embedder=embedder, progress=False)
        rows = {}
        facts, lookups = load_facts(), load_lookups()
        for label, path in (("text", text_index), ("PDF", pdf_index)):
            index = load_index(path, MODEL_NAME)
            qrels = build_qrels(index, facts)
            result = run_retriever(make_retriever("engine", index, embedder), index, facts, lookups, qrels)
            engine = Engine.load(path, embedder=embedder)
            answers = summarise([grade(engine, q) for q in load_questions()])["all"]
            rows[label] = {**{k: result.metrics[k] for k in ("hit_rate@5", "mrr@10", "figure_accuracy")},
                           **{k.split(" (")[0]: v for k, v in answers.items()}}
    names = list(rows["text"])
    lines = ["| measure | text corpus | PDF corpus | difference |", "|---|---|---|---|"]
    for name in names:
        a, b = rows["text"][name], rows["PDF"].get(name, float("nan"))
        lines.append(f"| {name} | {a:.3f} | {b:.3f} | {b - a:+.3f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from care_evidence.indexer.metadata import load_metadata

    parser = argparse.ArgumentParser(prog="python -m care_evidence.eval.pdf_roundtrip", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--index", type=Path, default=Path("index"), help="the text corpus's index (--corpus-eval)")
    parser.add_argument("--save", type=Path, default=None, help="keep the rendered PDFs in this folder")
    parser.add_argument("--check", action="store_true", help="exit 1 when a document misses its target")
    parser.add_argument("--corpus-eval", action="store_true",
                        help="also index the five documents as PDFs and ask the eval set of both indexes")
    args = parser.parse_args(argv)
    rows = [round_trip(args.corpus / name, info, args.save) for name, info in load_metadata(args.corpus).items()]
    print(table(rows))
    if args.corpus_eval:
        print("\n" + corpus_eval(args.corpus, args.index))
    found = problems(rows)
    for problem in found:
        print(f"FAIL {problem}", file=sys.stderr)
    if args.check and found:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
