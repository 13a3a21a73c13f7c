"""Days practised, read from saved answers, on both databases and with a fixed clock: the day
starts at midnight in Shanghai, a day counts once however much was answered, and a missed day
breaks the streak."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from quizapp.auth.models import User
from quizapp.extensions import db
from quizapp.participation import services
from quizapp.quizzes import services as engine

SHANGHAI = "Asia/Shanghai"
# Sunday 6 December 2026, 10:00 in Shanghai.
NOW = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)


def answer_at(user_id: int, *moments: datetime) -> None:
    """One attempt per moment, each with one answer saved at that moment, handed in."""
    user = db.session.get(User, user_id)
    for moment in moments:
        attempt = engine.start_or_resume_attempt(user, "ability-a1", moment)
        db.session.flush()
        row = engine.attempt_items(attempt)[0]
        engine.save_responses(attempt, {row.id: row.item_version.content["key"]}, moment)
        engine.submit_attempt(attempt.id, moment)
    db.session.commit()


def shanghai(day: date, hour: int, minute: int = 0) -> datetime:
    """A Shanghai wall-clock time as UTC (Shanghai is UTC+8 all year)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


@pytest.fixture
def cadre_id(app, loaded_bank, cadre):
    return cadre.id


def test_a_day_starts_at_shanghai_midnight(app, cadre_id):
    with app.app_context():
        # 23:59 on Friday and 00:01 on Saturday in Shanghai: both fall on Friday in UTC.
        answer_at(cadre_id, shanghai(date(2026, 12, 4), 23, 59), shanghai(date(2026, 12, 5), 0, 1))
        days = services.practice_days([cadre_id], date(2026, 11, 30), date(2026, 12, 6), SHANGHAI)
        assert days == {cadre_id: {date(2026, 12, 4), date(2026, 12, 5)}}
        in_utc = services.practice_days([cadre_id], date(2026, 11, 30), date(2026, 12, 6), "UTC")
        assert in_utc == {cadre_id: {date(2026, 12, 4)}}


def test_the_streak_across_a_missed_day(app, cadre_id):
    with app.app_context():
        # Practised on the 1st, 2nd, (missed the 3rd), 4th, 5th; not yet today (the 6th).
        answer_at(cadre_id, *[shanghai(date(2026, 12, d), 20) for d in (1, 2, 4, 5)])
        summary = services.summary_for(cadre_id, NOW, SHANGHAI)
        assert summary.streak == 2
        assert not summary.practised_today
        assert summary.week.practised_days == 4
        answer_at(cadre_id, NOW - timedelta(minutes=5))
        summary = services.summary_for(cadre_id, NOW, SHANGHAI)
        assert (summary.streak, summary.practised_today, summary.week.practised_days) == (
            3,
            True,
            5,
        )


def test_many_answers_on_one_day_count_once(app, cadre_id):
    with app.app_context():
        answer_at(cadre_id, *[shanghai(date(2026, 12, 5), 9, m) for m in range(0, 50, 10)])
        summary = services.summary_for(cadre_id, NOW, SHANGHAI)
        assert summary.week.practised_days == 1
        assert summary.streak == 1


def test_a_long_streak_is_followed_past_the_first_window(app, cadre_id):
    days = services.STREAK_WINDOW_DAYS + 10
    with app.app_context():
        answer_at(cadre_id, *[NOW - timedelta(days=n) for n in range(days)])
        assert services.summary_for(cadre_id, NOW, SHANGHAI).streak == days


def test_the_cohort_week_per_member(app, loaded_bank, make_user):
    first, second, idle = (make_user().id for _ in range(3))
    with app.app_context():
        answer_at(first, shanghai(date(2026, 11, 30), 8), shanghai(date(2026, 12, 6), 7))
        answer_at(second, shanghai(date(2026, 11, 29), 22))  # last week's Sunday
        week = services.cohort_week([first, second, idle], NOW, SHANGHAI)
    assert week.days[0] == date(2026, 11, 30) and week.days[-1] == date(2026, 12, 6)
    assert week.of(first).practised_days == 2
    assert week.of(second).practised_days == 0
    assert week.of(idle).practised_days == 0
    assert week.practised_members == 1
