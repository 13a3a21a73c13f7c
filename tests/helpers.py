"""Helpers shared by test modules (no test module imports another)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from quizapp.kinds import ItemScore, ScoringInput, kind_of


def score_with(kind: str, key: Sequence[str], response: Sequence[str] | None,
               option_ids: Sequence[str], weight: float = 1.0,
               content: Mapping[str, Any] | None = None) -> ItemScore:
    """Score one answer with a kind's own scorer, from plain values."""
    return kind_of(kind).score(ScoringInput(
        "A1", str(kind), tuple(key), tuple(option_ids),
        tuple(response) if response is not None else None, weight, content or {}))


def option_order(option_ids: Sequence[str], kind: str, seed: int, position: int) -> list[str]:
    return kind_of(kind).option_order(option_ids, seed, position)
