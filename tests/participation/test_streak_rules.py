"""Streaks and the practice week from the days practised (pure)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from quizapp.participation.streaks import current_streak, participation, practice_week

SUNDAY = date(2026, 12, 6)


def days_before(today: date, *offsets: int) -> set[date]:
    return {today - timedelta(days=n) for n in offsets}


@pytest.mark.parametrize(
    ("offsets", "streak"),
    [
        ((), 0),
        ((0,), 1),
        ((0, 1, 2), 3),
        ((1, 2), 2),  # today not practised yet: the streak still stands on yesterday
        ((0, 1, 3, 4), 2),  # the missed day (2 days ago) breaks it
        ((2, 3, 4), 0),  # yesterday missed: no streak, whatever came before
        ((0, 2), 1),
    ],
)
def test_the_streak_counts_consecutive_days_and_a_missed_day_breaks_it(offsets, streak):
    assert current_streak(days_before(SUNDAY, *offsets), SUNDAY) == streak


def test_today_counts_once_it_has_practice():
    practised = days_before(SUNDAY, 1, 2)
    assert current_streak(practised, SUNDAY) == 2
    assert current_streak(practised | {SUNDAY}, SUNDAY) == 3


def test_the_week_runs_monday_to_sunday_and_counts_each_day_once():
    wednesday = date(2026, 12, 2)
    week = practice_week({date(2026, 11, 30), wednesday, date(2026, 11, 29)}, wednesday)
    assert next(d.day for d in week.days) == date(2026, 11, 30)  # Monday
    assert [d.day for d in week.days][-1] == SUNDAY
    assert week.practised_days == 2  # the Sunday before belongs to last week
    assert [d.is_future for d in week.days] == [False, False, False, True, True, True, True]
    assert [d.is_today for d in week.days].index(True) == 2


def test_the_start_page_summary():
    summary = participation(days_before(SUNDAY, 0, 1, 2, 7), SUNDAY)
    assert summary.practised_today
    assert summary.streak == 3
    assert summary.week.practised_days == 3
