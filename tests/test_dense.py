"""The dense searcher on a real FAISS inverted-file index (small, built here): the index type chosen by
size, exact scores, and filtered searches that must not depend on which lists were scanned."""

import numpy as np
import pytest

from care_evidence.indexer.dense import EXACT_MAX, DenseSearcher, build_faiss, index_spec


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def clustered():
    """6,000 unit vectors in 40 clusters (as passages on a few subjects are), and an IVF-PQ index."""
    rng = np.random.default_rng(3)
    centres = rng.standard_normal((40, 384))
    vectors = _unit(centres[rng.integers(40, size=6000)] + 0.6 * rng.standard_normal((6000, 384)))
    return vectors, build_faiss(vectors, "IVF64,PQ48x4")  # 4-bit codes: trained in seconds


def _exact(vectors: np.ndarray, query: np.ndarray, rows: np.ndarray, k: int) -> list[int]:
    sims = vectors[rows].astype(np.float16).astype(np.float32) @ query  # as stored: float16
    return rows[np.argsort(-sims, kind="stable")[:k]].tolist()


def test_index_type_is_chosen_by_size():
    assert index_spec(EXACT_MAX) == "Flat"
    assert index_spec(100_000) == "IVF1024,PQ48"
    assert index_spec(1_000_000) == "IVF4096,PQ48"


def test_filtered_search_is_exact_whatever_lists_are_scanned(clustered):
    vectors, faiss_index = clustered
    searcher = DenseSearcher(faiss_index, vectors.astype(np.float16), nprobe=1, threads=1)
    rng = np.random.default_rng(4)
    allowed = np.sort(rng.choice(len(vectors), 300, replace=False))
    for query in _unit(rng.standard_normal((5, 384))):
        found = searcher.search(query, 10, allowed)
        assert [row for row, _ in found] == _exact(vectors, query, allowed, 10)
        # The scores are the cosines themselves, not the quantised estimates.
        assert [score for _, score in found] == pytest.approx([float(vectors[r] @ query) for r, _ in found], abs=2e-3)


def test_a_filter_with_repeated_rows_or_fewer_rows_than_asked(clustered):
    vectors, faiss_index = clustered
    searcher = DenseSearcher(faiss_index, vectors.astype(np.float16), nprobe=1, threads=1)
    assert searcher.search(vectors[0], 10, np.zeros(0, dtype=np.int64)) == []
    found = searcher.search(vectors[7], 10, np.array([7, 3, 7, 5000, 3]))
    assert sorted(row for row, _ in found) == [3, 7, 5000]
    assert found[0][0] == 7


def test_a_large_filter_goes_through_the_index_and_keeps_to_it(clustered, monkeypatch):
    from care_evidence.indexer import dense

    vectors, faiss_index = clustered
    monkeypatch.setattr(dense, "FILTER_EXACT_MAX", 100)  # 300 allowed rows: the selector path
    searcher = DenseSearcher(faiss_index, vectors.astype(np.float16), nprobe=64, refine_factor=8, threads=1)
    allowed = np.sort(np.random.default_rng(6).choice(len(vectors), 300, replace=False))
    for query in vectors[allowed[:5]]:
        found = [row for row, _ in searcher.search(query, 10, allowed)]
        assert set(found) <= set(allowed.tolist())
        assert found[0] == _exact(vectors, query, allowed, 1)[0]  # every list scanned: the query itself


def test_exact_re_scoring_recovers_neighbours_the_quantised_scores_miss(clustered):
    vectors, faiss_index = clustered
    rng = np.random.default_rng(5)
    everything = np.arange(len(vectors))
    queries = vectors[rng.choice(len(vectors), 20, replace=False)]

    def recall(refine_factor: int) -> float:
        searcher = DenseSearcher(faiss_index, vectors.astype(np.float16), nprobe=16, refine_factor=refine_factor,
                                 threads=2)
        hits = [len({row for row, _ in searcher.search(q, 10)} & set(_exact(vectors, q, everything, 10)))
                for q in queries]
        return float(np.mean(hits)) / 10

    assert recall(8) >= 0.8
    assert recall(8) > recall(1) + 0.1
    searcher = DenseSearcher(faiss_index, vectors.astype(np.float16), nprobe=16, threads=1)
    scores = [s for _, s in searcher.search(_unit(rng.standard_normal((1, 384)))[0], 10)]
    assert scores == sorted(scores, reverse=True)
