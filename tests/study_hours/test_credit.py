"""Credit rules, the daily cap, hours as written and the yearly target (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from quizapp.study_hours.credit import (
    CreditRule,
    Policy,
    YearProgress,
    assignment_source,
    daily_source,
    grant,
    hours_text,
    note_source,
    parse_hours,
    quiz_source,
)


def test_the_defaults():
    policy = Policy()
    assert policy.hours_for(CreditRule.NOTE_READ) == 25
    assert policy.hours_for(CreditRule.QUIZ_PASSED) == 50
    assert policy.hours_for(CreditRule.DAILY_SET) == 25
    assert (policy.daily_cap, policy.yearly_target, policy.pass_percent) == (200, 5000, 60)
    assert policy.problems() == []


@pytest.mark.parametrize(
    ("wanted", "today", "cap", "hours", "capped"),
    [
        (25, 0, 200, 25, False),
        (50, 150, 200, 50, False),  # exactly reaches the cap
        (50, 175, 200, 25, True),  # what is left under the cap
        (25, 200, 200, 0, True),  # the cap is reached: nothing
        (25, 250, 200, 0, True),  # (a lowered cap) never negative
    ],
)
def test_a_days_credits_stop_at_the_cap(wanted, today, cap, hours, capped):
    granted = grant(wanted, today, cap)
    assert (granted.hours, granted.is_capped) == (hours, capped)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.25", 25),
        ("2", 200),
        ("50", 5000),
        ("0,5", 50),
        (" 1.5 ", 150),
        ("0", 0),
        ("0.125", None),
        ("-1", None),
        ("abc", None),
        ("", None),
        ("1e2", None),
        ("12345", None),
    ],
)
def test_hours_are_read_as_people_write_them(text, value):
    assert parse_hours(text) == value


@pytest.mark.parametrize(
    ("value", "text"), [(25, "0.25"), (200, "2"), (350, "3.5"), (5000, "50"), (0, "0"), (5, "0.05")]
)
def test_hours_are_written_without_trailing_zeros(value, text):
    assert hours_text(value) == text


def test_the_policy_round_trips_through_its_stored_values():
    policy = Policy(
        {CreditRule.NOTE_READ: 10, CreditRule.QUIZ_PASSED: 0, CreditRule.DAILY_SET: 30},
        150,
        4000,
        80,
    )
    assert Policy.from_settings(policy.to_settings()) == policy
    assert Policy.from_settings({"daily_cap": 100, "unknown": 3}).daily_cap == 100


def test_values_out_of_range_are_named():
    bad = Policy({CreditRule.NOTE_READ: 900}, daily_cap=0, yearly_target=0, pass_percent=101)
    assert set(bad.problems()) == {"note_read", "daily_cap", "yearly_target", "pass_percent"}


def test_the_yearly_progress():
    assert YearProgress(2026, 1250, 5000).percent == 25
    assert YearProgress(2026, 1250, 5000).remaining == 3750
    assert not YearProgress(2026, 1250, 5000).is_met
    done = YearProgress(2026, 6000, 5000)
    assert (done.percent, done.remaining, done.is_met) == (100, 0, True)


def test_each_source_counts_once_in_its_period():
    assert note_source("A1", date(2026, 3, 1)) == note_source("A1", date(2026, 12, 31))
    assert note_source("A1", date(2026, 3, 1)) != note_source("A1", date(2027, 1, 1))
    assert quiz_source("ability-a1", date(2026, 5, 1)) == "quiz:ability-a1:2026"
    assert assignment_source(7) == "assignment:7"
    assert daily_source(date(2026, 12, 6)) == "daily:2026-12-06"
