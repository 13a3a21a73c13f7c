"""Mastery arithmetic (pure, standard library only): mastery per code from item scores,
monthly trends, the weakest part; per cohort: spread and histograms."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from ..dates import month_of

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


def monthly_trend(responses: Iterable[ScoredResponse]) -> list[TrendPoint]:
    """Mastery per calendar month, oldest first; months without answers are left out."""
    return rollup_trend(RollupRow(None, r.code, month_of(r.at), r.score, r.max_score, 1)
                        for r in responses if r.max_score > 0)


def weakest(masteries: dict[str, Mastery], codes: Sequence[str]) -> str | None:
    """The code with the lowest mastery among those with enough evidence (first on a tie)."""
    ranked = [(masteries[c].value, i, c) for i, c in enumerate(codes)
              if c in masteries and masteries[c].has_enough_evidence]
    return min(ranked)[2] if ranked else None


# ---------------------------------------------------------------- cohorts

class RollupRow(NamedTuple):
    """One cadre's points on one code in one month (a tuple: thousands per dashboard)."""

    user_id: int
    code: str
    month: date
    earned: float
    possible: float
    items: int


@dataclass(frozen=True)
class Spread:
    mean: float | None
    sd: float | None
    n: int


def mastery_from_rollups(rows: Iterable[RollupRow]) -> Mastery:
    earned = possible = 0.0
    items = 0
    for row in rows:
        earned += row.earned
        possible += row.possible
        items += row.items
    return Mastery(round(100.0 * earned / possible, 1) if possible else None, items)


def member_masteries(rows: Iterable[RollupRow]) -> dict[int, dict[str, Mastery]]:
    """Mastery per cadre and code from monthly rollups."""
    grouped: dict[int, dict[str, list[RollupRow]]] = {}
    for row in rows:
        grouped.setdefault(row.user_id, {}).setdefault(row.code, []).append(row)
    return {user: {code: mastery_from_rollups(r) for code, r in codes.items()}
            for user, codes in grouped.items()}


def spread(values: Sequence[float]) -> Spread:
    """Mean and sample standard deviation (None below two values)."""
    n = len(values)
    if not n:
        return Spread(None, None, 0)
    mean = sum(values) / n
    sd = (sum((v - mean) ** 2 for v in values) / (n - 1)) ** 0.5 if n > 1 else None
    return Spread(round(mean, 1), round(sd, 1) if sd is not None else None, n)


def rollup_trend(rows: Iterable[RollupRow]) -> list[TrendPoint]:
    """Mastery of everyone in the rows, month by month."""
    by_month: dict[date, list[RollupRow]] = {}
    for row in rows:
        by_month.setdefault(row.month, []).append(row)
    points = []
    for month in sorted(by_month):
        result = mastery_from_rollups(by_month[month])
        if result.value is not None:
            points.append(TrendPoint(month, result.value, result.items))
    return points


def trends_by_code(rows: Iterable[RollupRow]) -> dict[str, list[TrendPoint]]:
    """Mastery month by month for each code in the rows."""
    by_code: dict[str, list[RollupRow]] = {}
    for row in rows:
        by_code.setdefault(row.code, []).append(row)
    return {code: rollup_trend(code_rows) for code, code_rows in by_code.items()}


def months_between(first: date, last: date) -> list[date]:
    """Every first day of a month from `first`'s month to `last`'s, both included."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def histogram(percents: Sequence[float], bins: int = 10) -> list[int]:
    """Counts of percents in equal bins over 0–100 (100 goes in the last bin)."""
    counts = [0] * bins
    for value in percents:
        counts[min(bins - 1, max(0, int(value // (100 / bins))))] += 1
    return counts
