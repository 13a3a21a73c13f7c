"""The days people practised, read from the answers they saved. Reads only.

A day is a local calendar day in the platform's time zone (config `BABEL_DEFAULT_TIMEZONE`,
Asia/Shanghai by default). The database buckets each answer into its day with the days' UTC
bounds, computed here with the zone's own rules, so SQLite and PostgreSQL agree and a page
reads at most one row per person and day, however many items were answered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import case, or_, select

from ..dates import day_bounds, local_day
from ..extensions import db
from ..quizzes.models import Attempt, AttemptItem
from .streaks import Participation, PracticeWeek, participation, practice_week, week_of

# How far back the first look for a streak goes; a longer streak looks further, window by window.
STREAK_WINDOW_DAYS = 56


def local_zone() -> str:
    """The time zone whose midnight starts a cadre's day."""
    return str(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def practice_days(
    user_ids: Iterable[int], first: date, last: date, zone: str
) -> dict[int, set[date]]:
    """The local days from `first` to `last` on which each person answered at least one item."""
    ids = sorted(set(user_ids))
    if not ids or last < first:
        return {}
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    starts = [day_bounds(day, zone)[0] for day in days]
    end = day_bounds(last, zone)[1]
    answered = AttemptItem.answered_at
    bucket = case(*[(answered < bound, index) for index, bound in enumerate([*starts[1:], end])])
    rows = db.session.execute(
        select(Attempt.user_id, bucket)
        .distinct()
        .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
        .where(
            Attempt.user_id.in_(ids),
            answered >= starts[0],
            answered < end,
            # An attempt handed in before the period cannot hold an answer from it.
            or_(Attempt.submitted_at.is_(None), Attempt.submitted_at >= starts[0]),
        )
    )
    found: dict[int, set[date]] = {}
    for user_id, index in rows:
        found.setdefault(user_id, set()).add(days[index])
    return found


def summary_for(user_id: int, now: datetime, zone: str) -> Participation:
    """This week's practised days and the current streak, for the cadre's start page."""
    today = local_day(now, zone)
    first = min(week_of(today)[0], today - timedelta(days=STREAK_WINDOW_DAYS - 1))
    practised = practice_days([user_id], first, today, zone).get(user_id, set())
    # A streak that reaches the window's first day may go back further: look window by window.
    while first in practised:
        earlier = first - timedelta(days=STREAK_WINDOW_DAYS)
        more = practice_days([user_id], earlier, first - timedelta(days=1), zone)
        practised |= more.get(user_id, set())
        if first - timedelta(days=1) not in practised:
            break
        first = earlier
    return participation(practised, today)


@dataclass(frozen=True)
class MemberWeek:
    user_id: int
    week: PracticeWeek


@dataclass(frozen=True)
class CohortWeek:
    """Who practised in a cohort this week: the days, and per member which of them."""

    days: tuple[date, ...]
    members: dict[int, PracticeWeek]

    def of(self, user_id: int) -> PracticeWeek:
        return self.members[user_id]

    @property
    def practised_members(self) -> int:
        return sum(1 for week in self.members.values() if week.practised_days)


def cohort_week(member_ids: Iterable[int], now: datetime, zone: str) -> CohortWeek:
    """Every member's practice this week, in one query however many members and answers."""
    ids = list(member_ids)
    today = local_day(now, zone)
    days = week_of(today)
    practised = practice_days(ids, days[0], min(days[-1], today), zone)
    return CohortWeek(
        tuple(days),
        {user_id: practice_week(practised.get(user_id, set()), today) for user_id in ids},
    )
