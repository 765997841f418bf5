"""The dense side of the index: FAISS chosen by size, with exact re-scoring from the stored vectors.

Up to EXACT_MAX passages a flat inner-product index is exact and fast enough (a few ms; at 100k it
was 20-40 ms a query, bench/scale.py).
Beyond, an inverted file with product quantisation (IVF-PQ) keeps the index small (48 bytes a
passage) and scans only the closest lists; its approximate scores are then replaced by exact ones
from the passage vectors (float16, memory-mapped), so quantisation costs recall only where a true
neighbour fell outside the scanned lists or below the candidates re-scored. A filter that leaves few
rows (a report, a kind: up to FILTER_EXACT_MAX passages or sentences) is searched exactly among them
instead: the lists scanned for the query may hold none of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

EXACT_MAX = 20_000
PQ_BYTES = 48  # sub-quantisers of 8 bits: 384 dimensions in 48 groups of 8
# Inverted lists scanned per query and approximate candidates re-scored exactly per result, measured
# at 1M passages (python -m bench.scan_depth, fitted vectors) as the top 10 of 100 against an exact
# search: 128 lists x4 re-scored, one thread, gave 0.823 in 2.7 ms; 256 x4 0.902 in 4.4 ms; 512 x8
# 0.963 in 8.7 ms, 5.1 ms on both cores. Engine Recall@5 went 0.762 -> 0.787; exact searches: 0.793.
NPROBE = 512
REFINE_FACTOR = 8
THREADS = 2
# The sentence index (three sentences a passage) is searched 300 deep. Its recall@300 against an exact
# search at 1M, both cores: 128 lists 0.733 (7.0 ms), 256 0.815 (9.2 ms), 512 0.853 (12.3 ms). An exact
# sentence search raised engine Recall@5 by 0.006 only, so 256 lists leave the time to the rest.
SENTENCE_NPROBE = 256
SENTENCE_REFINE_FACTOR = 8
SENTENCE_THREADS = 2
# A filter leaving at most this many rows is searched exactly among them (about 10 ms for 60,000
# float16 vectors): the passages of a filter to about 20,000 passages, or their sentences.
FILTER_EXACT_MAX = 60_000
TRAIN_SAMPLE = 100_000


def index_spec(passages: int) -> str:
    """The FAISS factory string for an index of this many passages (recorded in the manifest)."""
    if passages <= EXACT_MAX:
        return "Flat"
    lists = 2 ** round(math.log2(4 * math.sqrt(passages)))  # ~4 sqrt(N), the FAISS guidance
    return f"IVF{lists},PQ{PQ_BYTES}"


def build_faiss(vectors: np.ndarray, spec: str, seed: int = 0):
    """A FAISS index of `vectors` (any float type, possibly memory-mapped), converted chunk by chunk."""
    import faiss

    index = faiss.index_factory(vectors.shape[1], spec, faiss.METRIC_INNER_PRODUCT)
    if not index.is_trained:
        rows = np.arange(len(vectors))
        if len(vectors) > TRAIN_SAMPLE:
            rows = np.sort(np.random.default_rng(seed).choice(len(vectors), TRAIN_SAMPLE, replace=False))
        index.train(np.ascontiguousarray(vectors[rows], dtype=np.float32))
    for start in range(0, len(vectors), 100_000):  # chunks: a float32 copy of 3M sentence vectors is 4.6 GB
        index.add(np.ascontiguousarray(vectors[start : start + 100_000], dtype=np.float32))
    return index


@dataclass
class DenseSearcher:
    """Top passages for a query vector, with exact cosine scores, optionally within allowed rows."""

    faiss_index: object
    vectors: np.ndarray  # (passages, dim) float16, usually memory-mapped
    nprobe: int = NPROBE
    refine_factor: int = REFINE_FACTOR
    threads: int = THREADS  # OpenMP threads for one approximate search, parallel over the scanned lists

    def __post_init__(self):
        if self.threads > 1 and self.approximate:
            import faiss

            faiss.extract_index_ivf(self.faiss_index).parallel_mode = 1  # split one query's lists

    @property
    def approximate(self) -> bool:
        return not type(self.faiss_index).__name__.startswith("IndexFlat")

    def search(self, vector: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        import faiss

        k = min(k, len(self.vectors))
        if k <= 0:
            return []
        query = np.asarray(vector, dtype=np.float32)[None, :]
        if allowed is not None and len(allowed) <= FILTER_EXACT_MAX:
            return self._exact_among(np.unique(np.asarray(allowed, dtype=np.int64)), query[0], k)
        fetch = k * self.refine_factor if self.approximate else k
        params = None
        if self.approximate:
            params = faiss.SearchParametersIVF(nprobe=self.nprobe)
        if allowed is not None:
            selector = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
            params = params or faiss.SearchParameters()
            params.sel = selector
        # Set on every search: OpenMP keeps the setting per calling thread, and a flat search of one
        # query is too small to share (at 10k passages it took 10 ms on two threads against the model).
        faiss.omp_set_num_threads(self.threads if self.approximate else 1)
        _, rows = self.faiss_index.search(query, fetch, params=params)
        rows = rows[0][rows[0] >= 0]
        if not len(rows):
            return []
        exact = self.vectors[rows].astype(np.float32) @ query[0]  # float16 vectors: exact enough
        order = np.argsort(-exact, kind="stable")[:k]
        return [(int(rows[i]), float(exact[i])) for i in order]

    def _exact_among(self, rows: np.ndarray, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Exact search among a few allowed rows (unique, ascending: a filter's passages or their
        sentences): scoring them directly is cheap, and an inverted file would miss those outside the
        lists it scans."""
        if not len(rows):
            return []
        sims = self.vectors[rows].astype(np.float32) @ query
        top = np.argsort(-sims, kind="stable")[:k]
        return [(int(rows[i]), float(sims[i])) for i in top]
