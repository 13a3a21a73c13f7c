"""Streaks and the practice week from the set of days a cadre practised (pure).

A day is practised when at least one item was answered on it, in any attempt; a day counts
once, however much was answered. Days are the cadre's local calendar days (`quizapp.dates`).
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from datetime import date, timedelta

from ..dates import week_start

WEEK_DAYS = 7


def current_streak(practised: Set[date], today: date) -> int:
    """Consecutive practised days up to today. Today counts once it has practice; until then
    the streak still stands on yesterday's (the day is not over). A missed day breaks it."""
    day = today if today in practised else today - timedelta(days=1)
    streak = 0
    while day in practised:
        streak += 1
        day -= timedelta(days=1)
    return streak


def week_of(day: date) -> list[date]:
    """Monday to Sunday of the day's week."""
    monday = week_start(day)
    return [monday + timedelta(days=n) for n in range(WEEK_DAYS)]


@dataclass(frozen=True)
class WeekDay:
    day: date
    practised: bool
    is_today: bool
    is_future: bool


@dataclass(frozen=True)
class PracticeWeek:
    """One person's week, Monday to Sunday, and how many of its days he practised."""

    days: tuple[WeekDay, ...]

    @property
    def practised_days(self) -> int:
        return sum(1 for d in self.days if d.practised)


def practice_week(practised: Set[date], today: date) -> PracticeWeek:
    return PracticeWeek(
        tuple(WeekDay(day, day in practised, day == today, day > today) for day in week_of(today))
    )


@dataclass(frozen=True)
class Participation:
    """What the cadre's start page shows: this week and the current streak."""

    week: PracticeWeek
    streak: int
    practised_today: bool


def participation(practised: Set[date], today: date) -> Participation:
    return Participation(
        practice_week(practised, today), current_streak(practised, today), today in practised
    )
