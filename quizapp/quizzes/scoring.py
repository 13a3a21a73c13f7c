"""Scoring an attempt: each item by its kind (`quizapp.kinds`), then totals and subscores per
code. Pure: plain values in, frozen results out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..kinds import ItemScore, ScoringInput, kind_of

__all__ = ["AttemptScore", "CodeScore", "ItemScore", "ScoringInput", "score_attempt",
           "score_item", "totals_by_code"]


@dataclass(frozen=True)
class CodeScore:
    score: float
    max_score: float
    items: int

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 0.0


@dataclass(frozen=True)
class AttemptScore:
    items: tuple[ItemScore, ...]
    by_code: dict[str, CodeScore] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return sum(s.score for s in self.items)

    @property
    def max_score(self) -> float:
        return sum(s.max_score for s in self.items)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 0.0


class _ShownRow(Protocol):
    """What `scoring_input` reads of an attempt's row (quizzes.models.AttemptItem)."""

    code: str
    item_version: Any
    option_order: list[str]
    response: list[str] | None
    max_score: float


def scoring_input(row: _ShownRow) -> ScoringInput:
    """An attempt's row as the plain values its kind scores."""
    version = row.item_version
    return ScoringInput(
        code=row.code, kind=version.kind, key=tuple(version.content["key"]),
        option_ids=tuple(row.option_order),
        response=tuple(row.response) if row.response else None,
        weight=row.max_score, content=version.content,
    )


def score_item(item: ScoringInput) -> ItemScore:
    return kind_of(item.kind).score(item)


def totals_by_code(scored: Sequence[tuple[str, ItemScore]]) -> dict[str, CodeScore]:
    """Add up (code, item score) pairs into a subscore per code, in first-seen order."""
    totals: dict[str, list[float]] = {}
    for code, result in scored:
        entry = totals.setdefault(code, [0.0, 0.0, 0])
        entry[0] += result.score
        entry[1] += result.max_score
        entry[2] += 1
    return {code: CodeScore(round(s, 6), m, int(n)) for code, (s, m, n) in totals.items()}


def score_attempt(items: Sequence[ScoringInput]) -> AttemptScore:
    """Score every item and add up the total and a subscore per code."""
    scores = tuple(score_item(item) for item in items)
    by_code = totals_by_code([(item.code, s) for item, s in zip(items, scores, strict=True)])
    return AttemptScore(scores, by_code)
