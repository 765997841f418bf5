"""Shared fixtures: one real index of the real corpus, built once for the whole suite."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from care_evidence.indexer.build import build_index
from care_evidence.indexer.embedding import MODEL_NAME, Embedder
from care_evidence.indexer.store import load_index

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


class MemoisingEmbedder(Embedder):
    """The real packaged model, each distinct text embedded once per test session: the small corpora
    the build tests make are parts of the real one, so their builds reuse the real index's vectors
    instead of embedding the same paragraphs forty times."""

    def __init__(self):
        super().__init__()
        self._memo: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._memo]
            if missing:
                self._memo.update(zip(missing, super().encode(missing, progress), strict=True))
            if not texts:
                return np.zeros((0, self.dimension), dtype=np.float32)
            return np.stack([self._memo[t] for t in texts])


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return MemoisingEmbedder()


@pytest.fixture(scope="session")
def real_index_dir(tmp_path_factory, embedder) -> Path:
    """The real corpus indexed: built here, or, when EVIDENCE_TEST_INDEX names an index that
    scripts/test.sh has just built from corpus/ with the same code, a copy of it (the suite then
    builds the five reports once, not twice). A copy that does not hold this corpus is refused."""
    index_dir = tmp_path_factory.mktemp("index")
    built = os.environ.get("EVIDENCE_TEST_INDEX")
    if not built:
        build_index(CORPUS, index_dir, embedder=embedder, progress=False)
        return index_dir
    shutil.copytree(built, index_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".lock"))
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in CORPUS.glob("*.txt")}
    assert load_index(index_dir, MODEL_NAME).manifest["corpus"] == files, f"{built} is not an index of {CORPUS}"
    return index_dir


@pytest.fixture(scope="session")
def real_index(real_index_dir):
    return load_index(real_index_dir, MODEL_NAME)


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    """A corpus folder with the two short web pages and the PAC report, for build tests."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("001_272a00314b1a663e.txt", "002_282096d727e53690.txt", "003_18b764bb404e6bab.txt"):
        shutil.copy(CORPUS / name, corpus / name)
    shutil.copy(CORPUS / "metadata.toml", corpus / "metadata.toml")
    return corpus


def find(index, doc_id: str, locator: str):
    hits = [p for p in index.passages if p.doc_id == doc_id and p.locator == locator]
    assert len(hits) == 1, f"{doc_id} {locator}: {len(hits)} passages"
    return hits[0]


@pytest.fixture(scope="session")
def engine(real_index, embedder):
    from care_evidence.evidence.engine import Engine

    return Engine(real_index, embedder)
