"""The index on disk: a folder of plain files with a manifest, replaced atomically.

Layout: <root>/CURRENT names the live build folder <root>/builds/<name>/, which holds
manifest.json, passages.sqlite (care_evidence/indexer/passage_table.py), groups.json, documents.json,
sources/<doc>.txt, vectors.npy (float16), faiss.index (chosen by size, care_evidence/indexer/dense.py), bm25/
(the lexical index), sentences.npy (passage row, start, end in its search text),
sentence_vectors.npy (float16), sentence_faiss.index and bm25_sentences/ (the same two searches over
sentences). Large arrays are memory-mapped when loaded, not read into memory.
Reading and checking a build is here; writing one is care_evidence/indexer/writer.py.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from care_evidence.indexer.dense import (
    SENTENCE_NPROBE,
    SENTENCE_REFINE_FACTOR,
    SENTENCE_THREADS,
    DenseSearcher,
)
from care_evidence.indexer.embedding import model_named
from care_evidence.indexer.integrity import BuildHold, ChecksumMismatch, check_files, manifest_problem
from care_evidence.indexer.lexical import LexicalIndex
from care_evidence.indexer.models import DocumentInfo, DuplicateGroup, Passage
from care_evidence.indexer.passage_table import FILE_NAME as PASSAGES_FILE
from care_evidence.indexer.passage_table import PassageTable
from care_evidence.indexer.paths import BUILD_NAME_PATTERN, UnsafePath, inside, safe_name
from care_evidence.indexer.vocabulary import CorpusVocabulary

SCHEMA_VERSION = 9  # 2: sentences and their embeddings; 3: passage context; 4: SQLite, float16, stored BM25;
# 5: sentence FAISS and BM25 indexes; 6: section headings in the passages' retrieval text; 7: every file's
# checksum in the manifest (an index without them cannot be checked, so it is rebuilt); 8: the corpus's
# vocabulary and the acronyms it defines (vocabulary.json, vocabulary_vectors.npy); 9: the names it prints in
# title case, by their initials ("STF": "Sustainability and Transformation Fund")


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


REBUILD_HINT = "rebuild it with: python -m care_evidence.indexer build"
_POINTER_MAX_BYTES = 64  # CURRENT holds one build name


class SourceTexts(Mapping[str, str]):
    """Documents' source texts, read from the build folder when first asked for."""

    def __init__(self, folder: Path, doc_ids: list[str]):
        self._folder = folder
        self._doc_ids = doc_ids
        self._texts: dict[str, str] = {}

    def __getitem__(self, doc_id: str) -> str:
        if doc_id not in self._doc_ids:
            raise KeyError(doc_id)
        if doc_id not in self._texts:
            path = inside(self._folder, safe_name(doc_id, "document id") + ".txt")
            self._texts[doc_id] = path.read_text(encoding="utf-8")
        return self._texts[doc_id]

    def __iter__(self):
        return iter(self._doc_ids)

    def __len__(self) -> int:
        return len(self._doc_ids)


@dataclass
class LoadedIndex:
    """Everything a query engine needs, loaded once; the big parts stay on disk (memory-mapped)."""

    root: Path
    manifest: dict
    documents: dict[str, DocumentInfo]
    passages: PassageTable
    groups: dict[str, DuplicateGroup]
    vectors: np.ndarray  # float16, one row per passage
    sources: Mapping[str, str] = field(default_factory=dict)
    faiss_index: object = None
    sentences: np.ndarray = field(default_factory=lambda: np.zeros((0, 3), dtype=np.int32))
    sentence_vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float16))
    lexical: LexicalIndex | None = None
    sentence_faiss: object = None
    sentence_lexical: LexicalIndex | None = None
    vocabulary: CorpusVocabulary = field(default_factory=CorpusVocabulary)
    hold: BuildHold | None = None  # keeps a later build from deleting this folder while it is read

    def passage(self, passage_id: str) -> Passage:
        row = self.passages.row_of(passage_id)
        if row is None:
            raise KeyError(passage_id)
        return self.passages[row]

    @property
    def dense(self) -> DenseSearcher:
        return DenseSearcher(self.faiss_index, self.vectors)

    @property
    def sentence_dense(self) -> DenseSearcher:
        return DenseSearcher(self.sentence_faiss, self.sentence_vectors, SENTENCE_NPROBE, SENTENCE_REFINE_FACTOR,
                             SENTENCE_THREADS)


def current_build(root: Path) -> Path | None:
    """The live build folder named by CURRENT; None when there is no index. A CURRENT that is not the
    name of a folder under builds/ (binary, a folder itself, '../../x') is damage, not a path to follow."""
    pointer = root / "CURRENT"
    if not pointer.exists() and not pointer.is_symlink():
        return None
    if pointer.is_dir():
        raise IndexCorrupt(f"{pointer} is a folder, not the name of a build; {REBUILD_HINT}")
    if pointer.is_symlink() or not pointer.is_file():  # a link, a FIFO or /dev/zero: never followed or read
        raise IndexCorrupt(f"{pointer} is not a plain file naming a build; {REBUILD_HINT}")
    try:
        with pointer.open("rb") as handle:
            raw = handle.read(_POINTER_MAX_BYTES + 1)
        name = raw.decode("ascii").strip()
    except (OSError, UnicodeDecodeError) as err:
        raise IndexCorrupt(f"{pointer} cannot be read as a build name ({err}); {REBUILD_HINT}") from err
    if len(raw) > _POINTER_MAX_BYTES or not BUILD_NAME_PATTERN.match(name):
        raise IndexCorrupt(f"{pointer} holds {name[:80]!r}, not the name of a build; {REBUILD_HINT}")
    try:
        build = inside(root / "builds", name)
    except UnsafePath as err:
        raise IndexCorrupt(f"{pointer}: {err}; {REBUILD_HINT}") from err
    if not build.is_dir():  # not "no index": that would build a new one, perhaps from another corpus
        raise IndexCorrupt(f"{pointer} names build {name}, which is not in {root / 'builds'}; {REBUILD_HINT}")
    return build


def read_manifest(root: Path) -> dict:
    build = current_build(root)
    if build is None or not build.exists():
        raise IndexMissing(f"no index in {root}; build it with: python -m care_evidence.indexer build")
    return read_build_manifest(build)


def read_build_manifest(build: Path) -> dict:
    """The manifest of one build folder, checked for its shape; IndexCorrupt when damaged."""
    if not build.is_dir():
        raise IndexCorrupt(f"index build {build} is not a folder; {REBUILD_HINT}")
    try:
        manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:  # ValueError: bad JSON and bad UTF-8 alike
        raise IndexCorrupt(f"index manifest in {build} is unreadable ({err}); {REBUILD_HINT}") from err
    problem = manifest_problem(manifest)
    if problem:
        raise IndexCorrupt(f"index in {build} is damaged: {problem}; {REBUILD_HINT}")
    return manifest


def check_compatible(manifest: dict, model_name: str | None) -> None:
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise IndexStale(
            f"index schema version {manifest.get('schema_version')} does not match this program's "
            f"{SCHEMA_VERSION}; {REBUILD_HINT}")
    if model_name is None:  # any model the engine can run; the engine embeds with the one named
        if model_named(manifest["model"]["name"]) is None:
            raise IndexStale(f"index was built with model {manifest['model']['name']!r}, which this version cannot "
                             f"run; {REBUILD_HINT}")
    elif manifest["model"]["name"] != model_name:
        built_with = model_named(manifest["model"]["name"])
        use_it = (f"choose it with the setting dense_model={built_with.key} (EVIDENCE_SETTINGS, or ranking.toml "
                  "beside the index), or " if built_with else "")
        raise IndexStale(f"index was built with model {manifest['model']['name']!r}, not {model_name!r}; "
                         f"{use_it}{REBUILD_HINT}")


def load_index(root: Path, model_name: str | None, with_faiss: bool = True, verify: bool | None = None) -> LoadedIndex:
    """Load the current build; every problem is reported with how to rebuild.

    `verify`: check every file's checksum (True), sizes only (False), or checksums when the build is
    small enough to hash at start-up (None, see indexer.integrity)."""
    read_manifest(root)  # IndexMissing before anything else
    return load_build(current_build(root), model_name, with_faiss, verify)


def load_build(build: Path, model_name: str | None, with_faiss: bool = True, verify: bool | None = None) -> LoadedIndex:
    """Load one build folder (see load_index)."""
    manifest = read_build_manifest(build)
    check_compatible(manifest, model_name)
    hold = BuildHold(build)
    try:
        check_files(build, manifest.get("checksums", {}), full=verify)
        missing = [f for f in manifest.get("files", []) if not (build / f).exists()]
        if missing:
            raise IndexCorrupt(f"index in {build} is missing {', '.join(missing)}; {REBUILD_HINT}")
        index = _read_parts(build, manifest, with_faiss)
    except IndexProblem:
        raise
    except ChecksumMismatch as err:
        raise IndexCorrupt(f"index in {build} is damaged: {err}; {REBUILD_HINT}") from err
    except Exception as err:  # noqa: BLE001 - any failure to read a damaged file is damage, said as such
        raise IndexCorrupt(f"index in {build} is damaged ({type(err).__name__}: {err}); {REBUILD_HINT}") from err
    index.hold = hold
    return index


def _read_parts(build: Path, manifest: dict, with_faiss: bool) -> LoadedIndex:
    documents = {
        d["id"]: DocumentInfo.from_dict(d)
        for d in json.loads((build / "documents.json").read_text(encoding="utf-8"))
    }
    for doc_id in documents:
        safe_name(doc_id, "document id")
    passages = PassageTable(build / PASSAGES_FILE)
    groups = {g["id"]: DuplicateGroup(**g) for g in json.loads((build / "groups.json").read_text(encoding="utf-8"))}
    vectors = np.load(build / "vectors.npy", mmap_mode="r")
    sentences = np.load(build / "sentences.npy", mmap_mode="r")
    sentence_vectors = np.load(build / "sentence_vectors.npy", mmap_mode="r")
    sources = SourceTexts(build / "sources", list(documents))
    faiss_index = lexical = sentence_faiss = sentence_lexical = None
    if with_faiss:
        import faiss

        faiss_index = faiss.read_index(str(build / "faiss.index"))
        lexical = LexicalIndex.load(build / "bm25")
        sentence_faiss = faiss.read_index(str(build / "sentence_faiss.index"))
        if (build / "bm25_sentences").exists():
            sentence_lexical = LexicalIndex.load(build / "bm25_sentences")
    if len(passages) != manifest.get("passages") or vectors.shape[0] != len(passages):
        raise IndexCorrupt(
            f"index in {build} is inconsistent ({len(passages)} passages, {vectors.shape[0]} vectors, "
            f"manifest says {manifest.get('passages')}); {REBUILD_HINT}")
    if sentence_vectors.shape[0] != sentences.shape[0]:
        raise IndexCorrupt(f"index in {build} has {sentences.shape[0]} sentences but "
                           f"{sentence_vectors.shape[0]} sentence vectors; {REBUILD_HINT}")
    return LoadedIndex(build, manifest, documents, passages, groups, vectors, sources, faiss_index,
                       sentences, sentence_vectors, lexical, sentence_faiss, sentence_lexical,
                       CorpusVocabulary.load(build, vectors.shape[1]))


def probe_build(build: Path, model_name: str) -> None:
    """A new build must load, hold finite vectors and find its own first passage by its words and by its
    vector before CURRENT may name it; IndexCorrupt says what failed."""
    index = load_build(build, model_name, verify=True)
    for name, array in (("passage", index.vectors), ("sentence", index.sentence_vectors)):
        if len(array) and not np.isfinite(np.asarray(array, dtype=np.float32)).all():
            raise IndexCorrupt(f"the new build in {build} has {name} vectors that are not numbers; "
                               "nothing was switched")
    if len(index.passages):
        words = index.passages[0].retrieval_text
        by_words = [row for row, _ in index.lexical.search(words, 10)]
        by_vector = [row for row, _ in index.dense.search(np.asarray(index.vectors[0], dtype=np.float32), 10)]
        if 0 not in by_words or 0 not in by_vector:
            raise IndexCorrupt(f"the new build in {build} does not find its own first passage "
                               f"(by words: {0 in by_words}, by vector: {0 in by_vector}); nothing was switched")
    index.hold.release()
