"""The calendar helpers: a cadre's day starts at his own midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime

from quizapp.dates import day_bounds, local_day, month_of, week_start

SHANGHAI = "Asia/Shanghai"


def test_a_shanghai_morning_is_still_yesterday_in_utc():
    moment = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)  # 07:30 on the 7th in Shanghai
    assert local_day(moment, SHANGHAI) == date(2026, 12, 7)
    assert local_day(moment, "UTC") == date(2026, 12, 6)


def test_the_local_day_starts_at_local_midnight():
    start, end = day_bounds(date(2026, 12, 7), SHANGHAI)
    assert start == datetime(2026, 12, 6, 16, 0, tzinfo=UTC)
    assert end == datetime(2026, 12, 7, 16, 0, tzinfo=UTC)
    assert local_day(start, SHANGHAI) == date(2026, 12, 7)
    assert local_day(end, SHANGHAI) == date(2026, 12, 8)


def test_weeks_start_on_monday_and_months_on_the_first():
    assert week_start(date(2026, 12, 6)) == date(2026, 11, 30)  # a Sunday
    assert week_start(date(2026, 11, 30)) == date(2026, 11, 30)
    assert month_of(datetime(2026, 12, 6, 5, tzinfo=UTC)) == date(2026, 12, 1)
