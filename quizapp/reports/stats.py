"""Progress arithmetic (pure): mastery per code from item scores, trends, the weakest part."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

# Below this many scored items a code shows "not enough evidence yet" instead of a number.
MIN_EVIDENCE = 5


@dataclass(frozen=True)
class ScoredResponse:
    code: str
    score: float
    max_score: float
    at: datetime


@dataclass(frozen=True)
class Mastery:
    value: float | None  # 0–100, None without any evidence
    items: int

    @property
    def has_enough_evidence(self) -> bool:
        return self.items >= MIN_EVIDENCE


@dataclass(frozen=True)
class TrendPoint:
    period: date  # first day of the month
    value: float
    items: int


def mastery(responses: Iterable[ScoredResponse]) -> Mastery:
    """Percent of the available points earned over every scored item response."""
    earned = possible = 0.0
    count = 0
    for response in responses:
        if response.max_score <= 0:
            continue
        earned += response.score
        possible += response.max_score
        count += 1
    return Mastery(round(100.0 * earned / possible, 1) if possible else None, count)


def month_of(moment: datetime) -> date:
    return date(moment.year, moment.month, 1)


def monthly_trend(responses: Iterable[ScoredResponse]) -> list[TrendPoint]:
    """Mastery per calendar month, oldest first; months without answers are left out."""
    by_month: dict[date, list[ScoredResponse]] = {}
    for response in responses:
        by_month.setdefault(month_of(response.at), []).append(response)
    points = []
    for period in sorted(by_month):
        result = mastery(by_month[period])
        if result.value is not None:
            points.append(TrendPoint(period, result.value, result.items))
    return points


def weakest(masteries: dict[str, Mastery], codes: Sequence[str]) -> str | None:
    """The code with the lowest mastery among those with enough evidence (first on a tie)."""
    ranked = [(masteries[c].value, i, c) for i, c in enumerate(codes)
              if c in masteries and masteries[c].has_enough_evidence]
    return min(ranked)[2] if ranked else None
