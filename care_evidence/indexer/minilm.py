"""all-MiniLM-L6-v2 as a plain BERT encoder in torch: the packaged weights (safetensors) and tokenizer
(tokenizers), mean pooling, nothing else.

Why not sentence-transformers: importing it pulls in transformers, scikit-learn, scipy.stats, pandas
and torch.distributed, about six of the eight seconds a fresh process took to load the model here; the
app's first answer, every CLI question and every test run waited for them. This module loads in about
two seconds (torch's own import) and gives the same vectors: compares it with
sentence-transformers on real passages (tests/test_minilm.py).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import load_file
from tokenizers import Tokenizer

# sentence_bert_config.json of the package says 256; the tokenizer.json it ships truncates at 128.
MAX_TOKENS = 256


@dataclass(frozen=True)
class BertShape:
    layers: int
    heads: int
    hidden: int
    eps: float

    @classmethod
    def read(cls, config: Path) -> BertShape:
        raw = json.loads(config.read_text(encoding="utf-8"))
        if raw.get("model_type") != "bert" or raw.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError(f"{config}: not a BERT model with absolute positions")
        return cls(int(raw["num_hidden_layers"]), int(raw["num_attention_heads"]), int(raw["hidden_size"]),
                   float(raw["layer_norm_eps"]))


class MiniLM:
    """Texts to mean-pooled, unit-length sentence vectors (float32 numpy via `encode`)."""

    def __init__(self, model_dir: Path, dtype: torch.dtype = torch.float32):
        self.shape = BertShape.read(model_dir / "config.json")
        self.dtype = dtype
        self.weights = {name: tensor.to(dtype) if tensor.is_floating_point() else tensor
                        for name, tensor in load_file(str(model_dir / "model.safetensors")).items()}
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest text of the batch

    @property
    def dimension(self) -> int:
        return self.shape.hidden

    @torch.inference_mode()
    def embed(self, texts: list[str]) -> torch.Tensor:
        """One batch of texts to unit vectors (float32 tensor)."""
        encodings = self.tokenizer.encode_batch(texts)
        ids = torch.tensor([e.ids for e in encodings])
        mask = torch.tensor([e.attention_mask for e in encodings])
        hidden = self._encode(ids, mask)
        mask_f = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask_f).sum(dim=1) / mask_f.sum(dim=1).clamp_min(1e-9)
        pooled = pooled.float()
        return pooled / pooled.norm(dim=1, keepdim=True).clamp_min(1e-12)

    def _encode(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        w, s = self.weights, self.shape
        positions = torch.arange(ids.shape[1]).unsqueeze(0)
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][positions]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self._norm(x, "embeddings.LayerNorm")
        # Padding may not be attended to: -inf where the key is padding.
        bias = torch.zeros(mask.shape, dtype=x.dtype).masked_fill(mask == 0, -math.inf)[:, None, None, :]
        for layer in range(s.layers):
            x = self._layer(x, bias, f"encoder.layer.{layer}.")
        return x

    def _layer(self, x: torch.Tensor, bias: torch.Tensor, prefix: str) -> torch.Tensor:
        batch, length, _ = x.shape
        heads = self.shape.heads

        def split(name: str) -> torch.Tensor:
            projected = self._linear(x, f"{prefix}attention.self.{name}")
            return projected.view(batch, length, heads, -1).transpose(1, 2)

        attended = F.scaled_dot_product_attention(split("query"), split("key"), split("value"), attn_mask=bias)
        attended = attended.transpose(1, 2).reshape(batch, length, -1)
        x = self._norm(x + self._linear(attended, f"{prefix}attention.output.dense"),
                       f"{prefix}attention.output.LayerNorm")
        inner = F.gelu(self._linear(x, f"{prefix}intermediate.dense"))
        return self._norm(x + self._linear(inner, f"{prefix}output.dense"), f"{prefix}output.LayerNorm")

    def _linear(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return F.linear(x, self.weights[f"{name}.weight"], self.weights[f"{name}.bias"])

    def _norm(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return F.layer_norm(x, (self.shape.hidden,), self.weights[f"{name}.weight"], self.weights[f"{name}.bias"],
                            self.shape.eps)
