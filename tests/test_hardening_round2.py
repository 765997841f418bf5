"""Hardening, round two: every case an attack on a copy of the project found, each with its outcome.

Paths made from data stay inside their folder; a damaged index is always rebuilt; wrongly typed
metadata never goes live; a loaded engine survives rebuilds; filters hold for citation-style
questions; inputs have limits; the command lines print one line, not a traceback.
See docs/reliability.md for the promise each test keeps.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from care_evidence.evidence.engine import Engine
from care_evidence.evidence.models import Filters
from care_evidence.evidence.query import QueryError
from care_evidence.indexer import store, writer
from care_evidence.indexer.build import build_index
from care_evidence.indexer.cli_common import run_main
from care_evidence.indexer.corpus import CorpusFileError, default_info, read_source
from care_evidence.indexer.embedding import MODEL_NAME
from care_evidence.indexer.metadata import MetadataError, parse_metadata
from care_evidence.indexer.models import DocumentInfo
from care_evidence.indexer.paths import UnsafePath, inside
from care_evidence.indexer.store import IndexCorrupt, load_index

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SMALL = ("001_272a00314b1a663e.txt", "002_282096d727e53690.txt", "003_18b764bb404e6bab.txt")


@pytest.fixture(scope="module")
def built_once(tmp_path_factory, embedder) -> tuple[Path, Path]:
    """The three short documents, indexed once for the module: (corpus, index)."""
    base = tmp_path_factory.mktemp("round2")
    corpus = base / "corpus"
    corpus.mkdir()
    for name in (*SMALL, "metadata.toml"):
        shutil.copy(CORPUS / name, corpus / name)
    build_index(corpus, base / "index", embedder=embedder, progress=False)
    return corpus, base / "index"


@pytest.fixture
def copy(built_once, tmp_path) -> tuple[Path, Path]:
    """A fresh copy of the module's corpus and index for one test to damage."""
    corpus, index = built_once
    shutil.copytree(corpus, tmp_path / "corpus")
    shutil.copytree(index, tmp_path / "index")
    return tmp_path / "corpus", tmp_path / "index"


def _live(index: Path) -> Path:
    return store.current_build(index)


def _set_metadata(corpus: Path, old: str, new: str) -> None:
    path = corpus / "metadata.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- 1. paths made from data -----------------------------------------------------------------------

@pytest.mark.parametrize("bad_id", ["/tmp/PWNED-evidence-test", "../../x", "a/b", "..", "NAO 2017"])
def test_a_metadata_id_cannot_write_outside_the_index(copy, embedder, bad_id, tmp_path):
    corpus, index = copy
    before = _live(index)
    _set_metadata(corpus, 'id = "pac2018"', f'id = "{bad_id}"')
    with pytest.raises(MetadataError, match=r"'003_18b764bb404e6bab.txt': field 'id' must be lower-case"):
        build_index(corpus, index, embedder=embedder, progress=False)
    assert not Path("/tmp/PWNED-evidence-test.txt").exists()
    assert not (tmp_path / "x.txt").exists() and not (index.parent / "x.txt").exists()
    assert _live(index) == before, "nothing was built or switched"


def test_the_writer_refuses_an_unsafe_document_id_even_past_the_schema(tmp_path):
    doc = DocumentInfo(id="../escape", file="x.txt", label="x", title="x")
    with pytest.raises(UnsafePath, match="document id '../escape' cannot be used as a file name"):
        writer.write_index(tmp_path / "index", manifest={}, documents=[doc], sources={doc.id: "text"},
                          passages=[], groups=[], vectors=np.zeros((0, 384)), sentences=np.zeros((0, 3)),
                          sentence_vectors=np.zeros((0, 384)))
    assert not (tmp_path / "escape.txt").exists()


@given(st.text(min_size=1, max_size=80).filter(lambda s: "/" not in s and "\x00" not in s))
def test_ids_made_from_any_file_name_are_safe(stem):
    from care_evidence.indexer.paths import safe_name

    safe_name(default_info(Path(f"{stem}.txt")).id, "document id")


def test_current_pointing_outside_builds_is_damage_and_a_build_repairs_it(copy, embedder, tmp_path):
    corpus, index = copy
    outside = tmp_path / "elsewhere"
    shutil.copytree(_live(index), outside)
    (index / "CURRENT").write_text("../../elsewhere", encoding="utf-8")
    with pytest.raises(IndexCorrupt, match=r"holds '../../elsewhere', not the name of a build"):
        load_index(index, MODEL_NAME)
    report = build_index(corpus, index, embedder=embedder, progress=False)
    assert "holds '../../elsewhere', not the name of a build" in report.warnings[0]
    assert store.current_build(index).parent == index / "builds" and load_index(index, MODEL_NAME).passages


def test_a_symlink_out_of_the_corpus_is_refused(copy, embedder, tmp_path):
    corpus, index = copy
    secret = tmp_path / "secret.txt"
    secret.write_text("The password of the council is swordfish.\n", encoding="utf-8")
    os.symlink(secret, corpus / "linked.txt")
    os.symlink("/etc/os-release", corpus / "os.txt")
    report = build_index(corpus, index, embedder=embedder, progress=False)
    reasons = {p.file: p.reason for p in report.problems}
    expected = "is a link to a file outside the corpus folder; copy the file into the corpus folder instead"
    assert reasons["linked.txt"] == expected and reasons["os.txt"] == expected
    assert {d.file for d in report.documents} == set(SMALL)


def test_a_symlink_inside_the_corpus_is_read(copy, embedder):
    corpus, index = copy
    (corpus / "notes").mkdir()
    (corpus / "notes" / "n.md").write_text("Pooled budgets in Wales reached £1 billion.\n", encoding="utf-8")
    os.symlink(corpus / "notes" / "n.md", corpus / "wales.md")
    report = build_index(corpus, index, embedder=embedder, progress=False)
    assert "wales.md" in {d.file for d in report.documents}


# --- 2. every damaged index can be rebuilt ---------------------------------------------------------

def _empty(build: Path, name: str) -> None:
    (build / name).write_bytes(b"")


DAMAGE = {
    "zero-length vectors.npy": lambda b, i: _empty(b, "vectors.npy"),
    "zero-length sentences.npy": lambda b, i: _empty(b, "sentences.npy"),
    "zero-length sentence_vectors.npy": lambda b, i: _empty(b, "sentence_vectors.npy"),
    "manifest []": lambda b, i: (b / "manifest.json").write_text("[]"),
    'manifest "x"': lambda b, i: (b / "manifest.json").write_text('"x"'),
    "manifest random bytes": lambda b, i: (b / "manifest.json").write_bytes(bytes(range(256)) * 4),
    "manifest model null": lambda b, i: (b / "manifest.json").write_text(
        json.dumps({**json.loads((b / "manifest.json").read_text()), "model": None})),
    "CURRENT binary": lambda b, i: (i / "CURRENT").write_bytes(b"\xff\xfe\x00garbage\x9c"),
    "CURRENT a folder": lambda b, i: ((i / "CURRENT").unlink(), (i / "CURRENT").mkdir()),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damage_is_a_clear_error_and_a_rebuild_repairs_it(copy, embedder, damage):
    corpus, index = copy
    DAMAGE[damage](_live(index), index)
    with pytest.raises(IndexCorrupt, match="python -m care_evidence.indexer build"):
        Engine.load(index, embedder)
    report = build_index(corpus, index, embedder=embedder, progress=False)
    assert report.warnings and report.warnings[0].startswith("the previous index was damaged, so every passage "
                                                             "was embedded again")
    engine = Engine.load(index, embedder)
    assert engine.ask("What is the Better Care Fund?").found


@pytest.mark.parametrize("corruption", ["zeroed", "nan"])
@pytest.mark.parametrize("name", ["vectors.npy", "sentence_vectors.npy"])
def test_corruption_that_keeps_the_size_is_found_by_checksum(copy, embedder, corruption, name):
    _, index = copy
    path = _live(index) / name
    array = np.load(path, mmap_mode="r+")
    array[:] = 0 if corruption == "zeroed" else np.nan
    array.flush()
    del array
    with pytest.raises(IndexCorrupt, match=f"{name} has changed since it was built"):
        Engine.load(index, embedder)


def test_verify_command_hashes_every_file(copy, capsys):
    from care_evidence.indexer.cli import main

    _, index = copy
    assert run_main(main, ["--index", str(index), "verify"]) == 0
    assert "match their checksums" in capsys.readouterr().out
    sources = _live(index) / "sources" / "pac2018.txt"
    sources.write_text(sources.read_text(encoding="utf-8").replace("1", "7"), encoding="utf-8")
    assert run_main(main, ["--index", str(index), "verify"]) == 1
    assert "sources/pac2018.txt has changed since it was built" in capsys.readouterr().err


def test_a_new_build_that_cannot_answer_is_not_switched_to(copy, embedder, monkeypatch):
    corpus, index = copy
    before = _live(index)
    (corpus / "extra.md").write_text("Merged budgets for care homes rose in 2019.\n", encoding="utf-8")
    real = store.LexicalIndex.search
    monkeypatch.setattr(store.LexicalIndex, "search", lambda self, q, k, allowed=None: [])
    with pytest.raises(IndexCorrupt, match="does not find its own first passage"):
        build_index(corpus, index, embedder=embedder, progress=False)
    monkeypatch.setattr(store.LexicalIndex, "search", real)
    assert _live(index) == before and not list((index / "builds").glob(".tmp-*"))


def test_unfinished_build_folders_are_removed_by_the_next_build(copy, embedder):
    corpus, index = copy
    (index / "builds" / ".tmp-20260101T000000-abcdef").mkdir()
    build_index(corpus, index, embedder=embedder, progress=False)
    assert not list((index / "builds").glob(".tmp-*"))


# --- 3. wrongly typed metadata never goes live -------------------------------------------------------

@pytest.mark.parametrize("old,new,message", [
    ('label = "PAC 2018"', "label = 2017", r"field 'label' must be text in quotes \(given: 2017\)"),
    ('id = "pac2018"', "id = 42", r"field 'id' must be text in quotes \(given: 42\)"),
    ('title = "Interface between health and social care"\n', "", r"field 'title' is required"),
    ('aliases = ["PAC", "Public Accounts Committee", "Committee of Public Accounts", "PAC report", "MPs", '
     '"the Committee"]',
     'aliases = "PAC"', r"field 'aliases' must be a list of texts in quotes"),
    ('parser = "pac"', 'parser = "pac"\nocr = "no"', r"field 'ocr' must be true or false"),
    ('parser = "pac"', 'parser = "pdf-magic"', r"field 'parser' Value error, must be one of generic, nao"),
    ('date = "2018-10-19"', 'date = "19 October 2018"', r"field 'date' Value error, must be YYYY"),
    ('file = "003_18b764bb404e6bab.txt"', 'file = "../003_18b764bb404e6bab.txt"', r"field 'file'"),
])
def test_wrongly_typed_metadata_is_refused_before_anything_is_built(copy, embedder, old, new, message):
    corpus, index = copy
    before = _live(index)
    _set_metadata(corpus, old, new)
    with pytest.raises(MetadataError, match=r"metadata.toml: \[\[document\]\] .*" + message):
        build_index(corpus, index, embedder=embedder, progress=False)
    assert _live(index) == before


def test_a_toml_date_is_read_as_the_date_it_is(tmp_path):
    text = (CORPUS / "metadata.toml").read_text(encoding="utf-8").replace('date = "2018-10-19"', "date = 2018-10-19")
    docs = parse_metadata(text, tmp_path / "metadata.toml")
    assert docs["003_18b764bb404e6bab.txt"].date == "2018-10-19"


def test_a_file_listed_twice_or_an_id_used_twice_is_refused(tmp_path):
    text = (CORPUS / "metadata.toml").read_text(encoding="utf-8")
    entry = text[text.index("[[document]]\nfile = \"003"):text.index("[[document]]\nfile = \"004")]
    with pytest.raises(MetadataError, match="'003_18b764bb404e6bab.txt' is listed twice"):
        parse_metadata(text + "\n" + entry, tmp_path / "metadata.toml")
    with pytest.raises(MetadataError, match="id 'pac2018' is already the id of '003_18b764bb404e6bab.txt'"):
        parse_metadata(text + "\n" + entry.replace("003_18b764bb404e6bab", "other"), tmp_path / "metadata.toml")


FIELD_VALUES = st.one_of(st.text(max_size=30), st.integers(), st.booleans(), st.lists(st.text(max_size=10),
                                                                                      max_size=3),
                         st.floats(allow_nan=False), st.dates())


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(json.dumps(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value)
    return value.isoformat() if hasattr(value, "isoformat") else repr(value)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["file", "id", "label", "title", "publisher", "date", "kind", "parser",
                                        "aliases", "ocr", "extra"]), FIELD_VALUES, max_size=10))
def test_fuzzed_metadata_gives_a_safe_document_or_a_metadata_error(entry):
    text = "[[document]]\n" + "".join(f"{k} = {_toml_value(v)}\n" for k, v in entry.items())
    try:
        docs = parse_metadata(text, Path("metadata.toml"))
    except MetadataError as err:
        assert str(err).startswith("metadata.toml: ")
        return
    for doc in docs.values():  # what passes the schema is safe to make paths from and to show
        inside(Path("/index/sources"), doc.id + ".txt")
        assert "/" not in doc.file and isinstance(doc.label, str) and doc.label.strip()
        assert isinstance(doc.ocr, bool) and all(isinstance(a, str) for a in doc.aliases)


# --- 5. a loaded engine survives rebuilds ----------------------------------------------------------

def test_a_loaded_engine_keeps_answering_through_rebuilds(copy, embedder):
    corpus, index = copy
    engine = Engine.load(index, embedder)
    first_build = _live(index)
    before = engine.ask("What did the committee say about the Better Care Fund?").to_dict()
    for n in range(3):
        (corpus / "extra.md").write_text(f"Version {n}: merged budgets for care homes.\n", encoding="utf-8")
        build_index(corpus, index, embedder=embedder, progress=False)
    assert _live(index) != first_build and first_build.exists(), "the build in use is kept"
    answers = []
    worker = threading.Thread(target=lambda: answers.append(
        engine.ask("What did the committee say about the Better Care Fund?").to_dict()))
    worker.start()
    worker.join()
    assert answers == [before], "a new thread reads the engine's own build"
    assert engine.passage(before["passages"][0]["id"]).text == before["passages"][0]["text"]
    kept = sorted(p.name for p in (index / "builds").iterdir())
    engine.index.hold.release()
    build_index(corpus, index, embedder=embedder, progress=False)
    assert first_build.name in kept and not first_build.exists(), "released, it goes with the next build"


# --- 6. filters hold for citation-style questions ---------------------------------------------------

def test_filters_apply_to_a_question_that_is_a_citation(engine):
    answer = engine.ask("NAO para 2.7", filters=Filters(documents=("PAC",)))
    assert not answer.found and not answer.passages
    assert answer.message == ("Not found with these filters: 'NAO para 2.7' names NAO 2017, para 2.7, which the "
                              "filters (document PAC) leave out.")
    assert not engine.ask("NAO para 2.7", filters=Filters(date_from="2099")).found
    with pytest.raises(QueryError, match="no document 'no such report' in this corpus"):
        engine.ask("NAO para 2.7", filters=Filters(documents=("no such report",), date_from="2099"))
    assert engine.ask("NAO para 2.7", filters=Filters(documents=("NAO",))).found
    looked_up = engine.lookup("NAO para 2.7", filters=Filters(documents=("PAC",)))
    assert looked_up.status == "not found" and str(looked_up.candidates[0]) == "NAO 2017, para 2.7"


@pytest.mark.parametrize("kwargs,message", [
    ({"kinds": ("banana",)}, "no passage kind 'banana'; kinds are paragraph"),
    ({"date_from": "yesterday"}, "the from date 'yesterday' is not a date"),
    ({"date_to": "abc"}, "the to date 'abc' is not a date"),
    ({"date_from": "2020", "date_to": "2019"}, "the from date 2020 is after the to date 2019"),
])
def test_filters_that_cannot_match_are_errors(kwargs, message):
    with pytest.raises(QueryError, match=message):
        Filters(**kwargs)


# --- 7. limits on every input ------------------------------------------------------------------------

def test_a_huge_lookup_is_refused_before_any_work(engine):
    with pytest.raises(QueryError, match="the lookup is 10,000,000 characters long; the limit is 10,000"):
        engine.lookup("a " * 5_000_000)
    assert engine.lookup("the Fund would achieve savings of £511 million " * 20).kind == "quote"


def test_read_source_reads_no_more_than_the_limit_of_an_endless_file():
    info = DocumentInfo(id="zero", file="zero.txt", label="zero", title="zero")
    with pytest.raises(CorpusFileError, match="is over the limit of 50 MB per file"):
        read_source(Path("/dev/zero"), info)


# --- 8. one line, not a traceback --------------------------------------------------------------------

def test_cli_errors_are_one_line(copy, capsys, tmp_path):
    from care_evidence.evidence.cli import main as evidence_main
    from care_evidence.indexer.cli import main as indexer_main

    corpus, index = copy
    _set_metadata(corpus, 'label = "PAC 2018"', "label = 2017")
    assert run_main(indexer_main, ["--corpus", str(corpus), "--index", str(index), "build", "--quiet"]) == 1
    assert run_main(indexer_main, ["--corpus", str(tmp_path / "missing"), "--index", str(index), "build"]) == 1
    errors = capsys.readouterr().err.strip().splitlines()
    assert errors[0].startswith("error: ") and "field 'label' must be text in quotes" in errors[0]
    assert errors[1] == f"error: corpus folder {tmp_path / 'missing'} does not exist"
    for argv in (["ask", "x", "-k", "0"], ["ask", "x", "-k", "-1"], ["ask", "x", "--kind", "banana"],
                 ["ask", "x", "--from", "yesterday"], ["ask", "x", "--to", "abc"]):
        with pytest.raises(SystemExit) if "-k" in argv else _no_exit():
            assert run_main(evidence_main, ["--index", str(index), *argv]) == 2
        err = capsys.readouterr().err
        assert "error" in err and "Traceback" not in err


class _no_exit:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_disk_full_during_a_build_is_one_line_and_keeps_the_index(copy, capsys, monkeypatch):
    from care_evidence.indexer.cli import main

    corpus, index = copy
    before = [p.id for p in load_index(index, MODEL_NAME).passages]
    (corpus / "extra.md").write_text("A new paragraph about merged budgets.\n", encoding="utf-8")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "vectors.npy")

    monkeypatch.setattr(writer.np, "save", full)
    assert run_main(main, ["--corpus", str(corpus), "--index", str(index), "build", "--quiet"]) == 1
    monkeypatch.undo()
    assert capsys.readouterr().err.strip().splitlines()[-1] == "error: No space left on device: vectors.npy"
    assert [p.id for p in load_index(index, MODEL_NAME).passages] == before
    assert not list((index / "builds").glob(".tmp-*"))


def test_the_real_command_line_prints_no_traceback_for_bad_metadata(copy):
    corpus, index = copy
    _set_metadata(corpus, 'id = "pac2018"', 'id = "/tmp/PWNED"')
    done = subprocess.run([sys.executable, "-m", "care_evidence.indexer", "--corpus", str(corpus),
                           "--index", str(index), "build", "--quiet"], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"}, timeout=300)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("error: ")
    assert not Path("/tmp/PWNED.txt").exists()


# --- 10. smaller cases -------------------------------------------------------------------------------

def test_utf16_without_a_byte_order_mark_is_read(copy, embedder):
    corpus, index = copy
    (corpus / "le.txt").write_bytes("Pooled budgets rose to £6 billion in 2019.\n".encode("utf-16-le"))
    (corpus / "be.txt").write_bytes("Delayed transfers of care fell in 2019.\n".encode("utf-16-be"))
    report = build_index(corpus, index, embedder=embedder, progress=False)
    assert {"le.txt", "be.txt"} <= {d.file for d in report.documents} and not report.problems


def test_a_folder_named_like_a_document_is_reported(copy, embedder):
    corpus, index = copy
    (corpus / "x.txt").mkdir()
    report = build_index(corpus, index, embedder=embedder, progress=False)
    assert {p.file: p.reason for p in report.problems}["x.txt"] == (
        "is a folder, not a file; sub-folders are not indexed")


def test_the_same_document_twice_is_indexed_once_and_flagged(copy, embedder):
    corpus, index = copy
    shutil.copy(corpus / SMALL[2], corpus / "pac-copy.txt")
    report = build_index(corpus, index, embedder=embedder, progress=False)
    assert {p.file: p.reason for p in report.problems}["pac-copy.txt"] == (
        "has the same content as 003_18b764bb404e6bab.txt; indexed once, as PAC 2018")
    assert len(report.documents) == 3


# --- 4. nothing from a URL or the metadata renders as markup (AppTest; the browser test does it too) ---

# A link, an image, a bare address and HTML in one value: each would render as markup if not escaped.
MARKUP = ("[Session expired - log in](https://evil.example/phish) **bold** ![x](https://evil.example/px.png) "
          "https://evil.example/x para 9 <img src=https://evil.example/i.png>")


def _is_inert(at) -> list[str]:
    """What on the page could render as a link, an image or markup: Markdown elements (which render
    Markdown and autolink addresses) must not hold the attack's text; HTML elements must hold it escaped."""
    bad = []
    for element in [*at.markdown, *at.caption, *at.success, *at.info, *at.warning, *at.error, *at.subheader]:
        value = element.value
        allow_html = getattr(element.proto, "allow_html", False)
        if not allow_html and "evil.example" in value:
            bad.append(f"Markdown element shows {value[:120]!r}")
        if allow_html and any(s in value for s in ("](", "<img", "<a href=\"https://evil", "**bold**")):
            bad.append(f"HTML element holds markup {value[:120]!r}")
    return bad


@pytest.mark.parametrize("params", [("q", "doc", "kind"), ("lookup",), ("passage",), ("document",), ("find",),
                                    ("page",)])  # every URL parameter, grouped by the page it opens
def test_url_values_show_as_text(real_index_dir, monkeypatch, tmp_path, params):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("EVIDENCE_INDEX", str(real_index_dir))
    monkeypatch.setenv("EVIDENCE_EVAL_RESULTS", str(tmp_path / "none"))
    at = AppTest.from_file(str(ROOT / "care_evidence" / "app" / "main.py"), default_timeout=120)
    for param in params:
        at.query_params[param] = MARKUP
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert _is_inert(at) == []


def test_a_too_long_url_value_is_not_used(real_index_dir, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("EVIDENCE_INDEX", str(real_index_dir))
    at = AppTest.from_file(str(ROOT / "care_evidence" / "app" / "main.py"), default_timeout=120)
    at.query_params["q"] = "budget " * 2000
    at.run()
    assert not at.exception
    assert "The address was not used: its q value is longer than 5,000 characters." in "".join(
        m.value for m in at.markdown)
    assert at.session_state["ask_q"] == ""


def test_metadata_markup_shows_as_text(copy, embedder, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    corpus, index = copy
    markup = "[Log in](https://evil.example/phish) ![x](https://evil.example/p.png)"
    for field, old in (("label", 'label = "PAC 2018"'),
                       ("publisher", 'publisher = "House of Commons Committee of Public Accounts"'),
                       ("title", 'title = "Interface between health and social care"')):
        _set_metadata(corpus, old, f'{field} = "{field}: {markup}"')
    build_index(corpus, index, embedder=embedder, progress=False)
    monkeypatch.setenv("EVIDENCE_INDEX", str(index))
    monkeypatch.setenv("EVIDENCE_EVAL_RESULTS", str(tmp_path / "none"))
    for params in ({"lookup": "PAC 12"}, {"page": "browse", "document": "pac2018"}, {"passage": "pac2018/para-12"},
                   {"q": "What did the committee say about the Better Care Fund?"}):
        at = AppTest.from_file(str(ROOT / "care_evidence" / "app" / "main.py"), default_timeout=120)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert _is_inert(at) == [], params


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_any_text_through_the_notice_helper_is_inert(text):
    from care_evidence.app.render import notice

    rendered = notice(text, "warning")
    inner = rendered[rendered.index(">") + 1 : rendered.rindex("</div>")]
    assert "<" not in inner.replace("<br>", "") and ">" not in inner.replace("<br>", "")
    for c in "[]()`*_!\\$|":
        if c not in "()!":  # parentheses and "!" alone make no link or image without "[" and "]"
            assert c not in inner


URL_PARAMS = ["q", "lookup", "passage", "document", "find", "doc", "kind", "page"]
MARKUP_ALPHABET = st.sampled_from(list("[]()!*_`<>#:/.|$\\~ \n") + ["https://", "evil.example", "nao2017/para-2-7",
                                                                      "<img src=x>", "para 9", "PAC"])


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(URL_PARAMS), st.lists(MARKUP_ALPHABET, min_size=1, max_size=12).map("".join),
                       min_size=1, max_size=3))
def test_fuzzed_url_parameters_raise_nothing_and_render_no_markup(real_index_dir, params):
    from unittest import mock

    from streamlit.testing.v1 import AppTest

    with mock.patch.dict(os.environ, {"EVIDENCE_INDEX": str(real_index_dir), "EVIDENCE_EVAL_RESULTS": "/nonexistent"}):
        at = AppTest.from_file(str(ROOT / "care_evidence" / "app" / "main.py"), default_timeout=120)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    active = [v for v in params.values() if len(v.strip()) >= 4 and any(c in v for c in "[]*_`<>")]
    for element in [*at.markdown, *at.caption, *at.success, *at.info, *at.warning, *at.error, *at.subheader]:
        # The app's own tags are taken out first: "<b>para 9</b>" holds ">para 9" without any value's
        # markup in it. The alphabet cannot spell these tags, so a value's unescaped markup remains.
        own_markup_removed = re.sub(r"</?(?:b|div|span|mark|a|style)\b[^>]*>", "", element.value)
        for value in active:
            assert value not in own_markup_removed, f"{value!r} is in {element.value[:200]!r}"


# --- found by a second attack on a copy (2026-12-01) -----------------------------------------------------

@pytest.mark.parametrize("damage", ["link to /dev/zero", "fifo", "empty", "names a missing build"])
def test_a_current_that_is_no_plain_build_name_is_damage_and_a_build_repairs_it(copy, embedder, damage):
    corpus, index = copy
    pointer = index / "CURRENT"
    pointer.unlink()
    if damage == "link to /dev/zero":
        os.symlink("/dev/zero", pointer)
    elif damage == "fifo":
        os.mkfifo(pointer)
    elif damage == "empty":
        pointer.write_text("")
    else:
        pointer.write_text("20990101T000000-abcdef")
    with pytest.raises(IndexCorrupt, match="python -m care_evidence.indexer build"):  # not IndexMissing
        load_index(index, MODEL_NAME)
    build_index(corpus, index, embedder=embedder, progress=False)
    assert load_index(index, MODEL_NAME).passages


@pytest.mark.parametrize("kind", ["fifo", "link outside", "huge"])
def test_a_metadata_file_that_is_no_plain_small_file_is_refused(copy, tmp_path, kind):
    from care_evidence.indexer.metadata import load_metadata

    corpus, _ = copy
    path = corpus / "metadata.toml"
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "link outside":
        os.symlink("/etc/passwd", path)
    else:
        path.write_text("# " + "x" * (2 * 1024 * 1024), encoding="utf-8")
    with pytest.raises(MetadataError, match="metadata.toml: "):
        load_metadata(corpus)


@pytest.mark.parametrize("old,new,message", [
    ('label = "NAO summary page"', 'label = "PAC 2018"', "'PAC 2018' already names"),
    ('aliases = ["NAO summary page",', 'aliases = ["pac 2018",', "'PAC 2018' already names '002_"),
    ('id = "pac2018"', 'id = "pac..2018"', "field 'id' Value error, must not hold '..'"),
    ('date = "2018-10-19"', 'date = "2017-13-45"', "field 'date' Value error, is no date"),
])
def test_metadata_that_would_cite_one_document_as_another_is_refused(tmp_path, old, new, message):
    text = (CORPUS / "metadata.toml").read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(MetadataError, match=message):
        parse_metadata(text.replace(old, new, 1), tmp_path / "metadata.toml")


def test_an_id_written_in_metadata_is_kept_over_one_made_from_a_file_name(copy, embedder):
    corpus, index = copy
    _set_metadata(corpus, 'id = "pac2018"', 'id = "extra-notes"')
    (corpus / "extra_notes.md").write_text("Pooled budgets in Wales reached £1 billion.\n", encoding="utf-8")
    report = build_index(corpus, index, embedder=embedder, progress=False)
    ids = {d.file: d.id for d in report.documents}
    assert ids["003_18b764bb404e6bab.txt"] == "extra-notes" and ids["extra_notes.md"] == "extra-notes-2"


@pytest.mark.parametrize("value,message", [
    ({"rrf_k": -1}, "setting 'rrf_k' must be at least 1"), ({"fused_depth": 0}, "must be at least 1"),
    ({"answer_passages": 0}, "must be at least 1"), ({"shortlist": 0}, "must be at least 1"),
    ({"weight_rrf": "nan"}, "must be a finite number"), ({"weight_rrf": float("inf")}, "must be a finite number"),
    ({"list_chars": -5}, "must be at least 0"),
])
def test_a_setting_out_of_its_range_is_refused(value, message):
    from care_evidence.evidence.settings import Settings, SettingsError

    with pytest.raises(SettingsError, match=message):
        Settings(value)


def test_a_manifest_without_checksums_is_damage(copy):
    _, index = copy
    manifest = _live(index) / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    del data["checksums"]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(IndexCorrupt, match="lists no checksums"):
        load_index(index, MODEL_NAME)


def test_a_build_repairs_a_lock_folder_and_a_builds_file(copy, embedder, tmp_path):
    corpus, index = copy
    (index / ".lock").unlink(missing_ok=True)
    (index / ".lock").mkdir()
    build_index(corpus, index, embedder=embedder, progress=False)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "builds").write_text("x")
    build_index(corpus, fresh, embedder=embedder, progress=False)
    assert load_index(index, MODEL_NAME).passages and load_index(fresh, MODEL_NAME).passages


def test_a_build_that_cannot_be_made_current_is_not_left_behind(copy, embedder, monkeypatch):
    corpus, index = copy
    before = sorted(p.name for p in (index / "builds").iterdir())

    def refused(root, name):
        raise PermissionError(13, "Permission denied", str(root / f".CURRENT-{name}"))

    monkeypatch.setattr(writer, "_point_current_to", refused)
    (corpus / "extra.md").write_text("Merged budgets for care homes rose in 2019.\n", encoding="utf-8")
    with pytest.raises(PermissionError):
        build_index(corpus, index, embedder=embedder, progress=False)
    assert sorted(p.name for p in (index / "builds").iterdir()) == before
