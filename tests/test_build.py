"""Building the index: PDFs by page, bad files reported and skipped, incremental and atomic rebuilds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from care_evidence.indexer import store, writer
from care_evidence.indexer.build import BuildFailed, build_index
from care_evidence.indexer.embedding import MODEL_NAME
from care_evidence.indexer.store import IndexBusy, IndexStale, load_index
from care_evidence.indexer.writer import build_lock
from tests.conftest import CORPUS


def make_pdf(path: Path, pages: list[str], encrypt: bool = False) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    if encrypt:
        pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.output(str(path))


def test_pdf_paragraphs_are_cited_by_page(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    make_pdf(corpus / "Care homes review.pdf", [
        "Integrated care teams reduced waiting times in the pilot areas.",
        "The review found that 42% of councils pooled budgets for reablement.",
        "Delayed discharges cost the hospital trust 1,200 bed days.",
    ])
    build_index(corpus, tmp_path / "index", embedder=embedder, progress=False)
    index = load_index(tmp_path / "index", MODEL_NAME)
    (doc,) = index.documents.values()
    assert doc.label == "Care homes review"
    pages = {p.page: p for p in index.passages}
    assert sorted(pages) == [1, 2, 3]
    assert "42% of councils" in pages[2].text and pages[2].locator == "p. 2 para 1"
    assert "1,200 bed days" in pages[3].text
    assert [q.printed for q in pages[2].quantities] == ["42%"]


def test_bad_files_are_named_and_skipped(tmp_path, small_corpus, embedder):
    (small_corpus / "empty.txt").write_text("")
    (small_corpus / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (small_corpus / "latin1.txt").write_bytes("Caf\xe9 report on social care integration.".encode("latin-1"))
    (small_corpus / "corrupt.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf\n%%EOF")
    (small_corpus / "notes.docx").write_bytes(b"PK\x03\x04")
    make_pdf(small_corpus / "locked.pdf", ["Secret text about integration."], encrypt=True)
    report = build_index(small_corpus, tmp_path / "index", embedder=embedder, progress=False)
    reasons = {p.file: p.reason for p in report.problems}
    assert reasons["empty.txt"] == "file is empty"
    assert "binary" in reasons["binary.txt"]
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "corrupt or unreadable PDF" in reasons["corrupt.pdf"]
    assert "encrypted" in reasons["locked.pdf"]
    assert "unsupported file type '.docx'" in reasons["notes.docx"]
    assert {d.id for d in report.documents} == {"nhsconfed2017", "naosummary2017", "pac2018"}
    assert "WARNING skipped latin1.txt: is not UTF-8" in report.summary()


def test_build_fails_only_when_nothing_can_be_indexed(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.md").write_text("  \n")
    with pytest.raises(BuildFailed, match="empty.md: file is empty"):
        build_index(corpus, tmp_path / "index", embedder=embedder, progress=False)


def test_file_without_metadata_gets_label_from_name(tmp_path, small_corpus, embedder):
    (small_corpus / "local_area_review-2019.md").write_text("# Findings\n\nThe area pooled £12 million.\n")
    report = build_index(small_corpus, tmp_path / "index", embedder=embedder, progress=False)
    doc = next(d for d in report.documents if d.file == "local_area_review-2019.md")
    assert doc.label == "local area review 2019" and doc.id == "local-area-review-2019"


def test_rebuild_reembeds_only_what_changed(tmp_path, small_corpus, embedder):
    index_dir = tmp_path / "index"
    first = build_index(small_corpus, index_dir, embedder=embedder, progress=False)
    assert first.embedded == sum(first.passages_per_document.values())
    again = build_index(small_corpus, index_dir, embedder=embedder, progress=False)
    assert again.embedded == 0
    page = small_corpus / "002_282096d727e53690.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("Integration aims", "Integration seeks"),
                    encoding="utf-8")
    changed = build_index(small_corpus, index_dir, embedder=embedder, progress=False)
    assert changed.embedded == 1
    index = load_index(index_dir, MODEL_NAME)
    assert any("Integration seeks" in p.text for p in index.passages)


def test_interrupted_build_leaves_previous_index_loadable(tmp_path, small_corpus, embedder, monkeypatch):
    index_dir = tmp_path / "index"
    build_index(small_corpus, index_dir, embedder=embedder, progress=False)
    before = load_index(index_dir, MODEL_NAME)
    (small_corpus / "extra.md").write_text("New paragraph about merged budgets.\n")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("killed mid-write")

    monkeypatch.setattr(writer.np, "save", crash)  # dies after passages are written, before vectors
    with pytest.raises(KeyboardInterrupt):
        build_index(small_corpus, index_dir, embedder=embedder, progress=False)
    after = load_index(index_dir, MODEL_NAME)
    assert [p.id for p in after.passages] == [p.id for p in before.passages]
    assert not [p for p in (index_dir / "builds").iterdir() if p.name.startswith(".tmp")]


def test_index_from_another_model_or_schema_is_refused(tmp_path, small_corpus, embedder):
    index_dir = tmp_path / "index"
    report = build_index(small_corpus, index_dir, embedder=embedder, progress=False)
    manifest_path = report.index_path / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["model"]["name"] = "some/other-model"
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexStale, match="rebuild it with: python -m care_evidence.indexer build"):
        load_index(index_dir, MODEL_NAME)
    manifest["model"]["name"], manifest["schema_version"] = MODEL_NAME, 999
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexStale, match="schema version 999"):
        load_index(index_dir, MODEL_NAME)


def test_second_build_at_once_is_refused(tmp_path, small_corpus, embedder):
    index_dir = tmp_path / "index"
    with build_lock(index_dir), pytest.raises(IndexBusy):
        build_index(small_corpus, index_dir, embedder=embedder, progress=False)


def test_real_corpus_manifest(real_index):
    manifest = real_index.manifest
    assert manifest["schema_version"] == store.SCHEMA_VERSION
    assert manifest["model"] == {"name": MODEL_NAME, "dimension": 384, "dtype": "bfloat16"}
    assert set(manifest["corpus"]) == {p.name for p in CORPUS.glob("0*.txt")}
    assert "faiss-cpu" in manifest["libraries"] and manifest["built_at"]
