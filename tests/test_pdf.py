"""Reports as PDFs: the corpus texts rendered to PDFs the way their publishers lay out reports, read back
with their layout, give the text versions' passages, locators, figures, footnote links and printed pages."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from care_evidence.eval.pdf_roundtrip import TARGETS, render_document, round_trip
from care_evidence.evidence.models import Citation
from care_evidence.indexer.build import build_index
from care_evidence.indexer.corpus import default_info, read_source
from care_evidence.indexer.metadata import load_metadata
from care_evidence.indexer.parsers import parse_document
from tests.conftest import CORPUS


def _document(doc_id: str):
    return next((CORPUS / name, info) for name, info in load_metadata(CORPUS).items() if info.id == doc_id)


@pytest.mark.parametrize("doc_id", sorted(TARGETS))
def test_a_report_rendered_to_pdf_reads_back_as_its_text_version(doc_id):
    result = round_trip(*_document(doc_id))
    assert result.pdf_passages == result.passages
    assert result.reproduced >= TARGETS[doc_id], result
    assert (result.locator, result.figures, result.footnotes, result.pages) == (1.0, 1.0, 1.0, 1.0), result


@pytest.fixture(scope="module")
def nao_pdf(tmp_path_factory) -> Path:
    rendered, _ = render_document(*_document("nao2017"))
    path = tmp_path_factory.mktemp("pdf") / "Health and social care integration.pdf"
    path.write_bytes(rendered.pdf)
    return path


def test_a_pdf_without_metadata_is_read_by_the_parser_of_its_shape(nao_pdf, tmp_path):
    source = read_source(nao_pdf, default_info(nao_pdf))
    assert source.shape == "nao" and not source.warnings
    passages = {p.locator: p for p in parse_document(source)}
    assert "Key facts, £5.3bn" in passages and "Summary para 26" in passages
    assert passages["para 2.7"].text.startswith("**2.7**")
    pac_path, pac_info = _document("pac2018")
    rendered, _ = render_document(pac_path, pac_info)
    (tmp_path / "pac.pdf").write_bytes(rendered.pdf)
    assert read_source(tmp_path / "pac.pdf", default_info(tmp_path / "pac.pdf")).shape == "pac"


def test_a_pdf_passage_knows_its_printed_pages(nao_pdf):
    """The cover prints no number, so printed pages are not sheet numbers; a paragraph running over a page
    break is cited by both pages; a footnote at the foot of a page is linked to the sentence citing it."""
    source = read_source(nao_pdf, default_info(nao_pdf))
    passages = parse_document(source)
    assert source.layout.printed[0] is None and source.layout.printed[1] == 1
    running_over = [p for p in passages if p.page_end and p.page_end > p.page]
    assert running_over
    doc = source.doc
    citation = Citation(running_over[0].id, doc.id, doc.label, running_over[0].locator, running_over[0].page,
                        False, running_over[0].page_end)
    assert str(citation).endswith(f", pp. {running_over[0].page}-{running_over[0].page_end}")
    note = next(p for p in passages if p.locator == "footnote 1")
    assert note.context.startswith("Cited in para 1.3:") and note.text.startswith("<sup>1</sup> Office for National")
    assert next(p for p in passages if p.locator == "para 1.3").footnote_refs == (1,)


def test_a_pdf_whose_layout_is_not_recognised_is_indexed_by_page_with_a_warning(tmp_path, embedder):
    from fpdf import FPDF

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in ("Integrated care teams reduced waiting times in the pilot areas.",
                 "The review found that 42% of councils pooled budgets for reablement."):
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.output(str(corpus / "Care homes review.pdf"))
    report = build_index(corpus, tmp_path / "index", embedder=embedder, progress=False)
    (warning,) = report.warnings
    assert warning.startswith("Care homes review.pdf: its layout was not recognised (no numbered paragraphs")
    assert "indexed by page" in warning and "WARNING Care homes review.pdf" in report.summary()


def test_metadata_names_the_parser_of_a_pdf(tmp_path):
    """The Nuffield text is an OCR text without headings in a larger type: by its layout alone it is read
    by page; metadata saying "nuffield" reads it with its own parser, as the text version is."""
    path, info = _document("nuffield2022")
    rendered, text_passages = render_document(path, info)
    pdf = tmp_path / "nuffield.pdf"
    pdf.write_bytes(rendered.pdf)
    assert read_source(pdf, default_info(pdf)).shape == ""
    named = read_source(pdf, dataclasses.replace(info, file=pdf.name))
    assert named.shape == "nuffield"
    assert [p.locator for p in parse_document(named)] == [p.locator for p in text_passages]


def test_the_app_shows_the_pdf_page_with_the_passage_marked(tmp_path, monkeypatch, embedder):
    """A PDF in the corpus folder: the citation carries its printed page, and the page can be shown."""
    from streamlit.testing.v1 import AppTest

    from tests.test_app import APP, run_ok

    path, info = _document("pac2018")
    rendered, text_passages = render_document(path, info)
    para_6 = next(p for p in text_passages if p.locator == "para 6")
    (page,) = rendered.pages_of(*para_6.span)  # the printed page the rendering put it on
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "pac.pdf").write_bytes(rendered.pdf)
    (corpus / "metadata.toml").write_text(
        '[[document]]\nfile = "pac.pdf"\nid = "pac2018"\nlabel = "PAC 2018"\n'
        'title = "Interface between health and social care"\nparser = "pac"\ndate = "2018-10-19"\n'
        'aliases = ["PAC"]\n', encoding="utf-8")
    build_index(corpus, tmp_path / "index", embedder=embedder, progress=False)
    monkeypatch.setenv("EVIDENCE_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("EVIDENCE_CORPUS", str(corpus))
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["lookup"] = "PAC para 6"
    run_ok(at)
    assert any(c.value == f"PAC 2018, para 6, p. {page}" for c in at.code), [c.value for c in at.code]
    toggle = at.toggle(key="lookup-0-pdf-page")
    assert toggle.label == f"Show the page in the PDF (p. {page})"
    toggle.set_value(True)
    run_ok(at)
    assert at.get("image"), "the page image"


def test_every_nao_and_pac_passage_of_a_pdf_is_found_on_its_page(tmp_path):
    """Short passages, passages running on to the next page, and text with dashes between words."""
    from care_evidence.app.pdf_page import passage_page

    for doc_id in ("pac2018", "nao2017"):
        path, info = _document(doc_id)
        rendered, _ = render_document(path, info)
        (tmp_path / f"{doc_id}.pdf").write_bytes(rendered.pdf)
        source = read_source(tmp_path / f"{doc_id}.pdf", dataclasses.replace(info, file=f"{doc_id}.pdf"))
        missing = [p.locator for p in parse_document(source) if passage_page(tmp_path, f"{doc_id}.pdf", p) is None]
        assert not missing, missing


def test_text_set_sideways_is_named_in_a_warning(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 8, "Integrated care teams reduced waiting times in the pilot areas.")
    pdf.add_page()
    with pdf.rotation(90, x=100, y=150):
        for i in range(8):
            pdf.text(40, 100 + 10 * i, f"Table row {i}: 42% of councils pooled budgets for reablement")
    pdf.output(str(tmp_path / "landscape.pdf"))
    source = read_source(tmp_path / "landscape.pdf", default_info(tmp_path / "landscape.pdf"))
    assert any("sideways on page 2" in w and "not indexed" in w for w in source.warnings), source.warnings
