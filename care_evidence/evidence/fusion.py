"""Reciprocal-rank fusion (Cormack, Clarke and Buettcher 2009): the one copy, for the engine and the
evaluation's plain hybrid. Rank fusion needs no calibration between BM25 scores and cosines."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)


def reciprocal_rank_fusion(rankings: Iterable[Sequence[tuple[Key, float]]], depth: int, k: int) -> dict[Key, float]:
    """Each key's sum over the rankings of 1 / (k + rank), over each ranking's top `depth`; keys in the
    order first met (ties keep it)."""
    fused: dict[Key, float] = {}
    for ranking in rankings:
        for rank, (key, _) in enumerate(ranking[:depth], start=1):
            fused[key] = fused.get(key, 0.0) + 1.0 / (k + rank)
    return fused
