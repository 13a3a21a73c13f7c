"""Quiz settings and the rules derived from them (pure)."""

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.quizzes.settings import (
    GradingMethod,
    OverdueAction,
    QuizMode,
    QuizSettings,
    ReviewTime,
    grade_across_attempts,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_round_trip_through_stored_form():
    settings = QuizSettings(time_limit_minutes=20, opens_at=NOW, closes_at=NOW + timedelta(days=2),
                            max_attempts=3, grading_method=GradingMethod.AVERAGE, pass_percent=60,
                            shuffle_items=False, mode=QuizMode.PRACTICE,
                            show_keys=ReviewTime.AFTER_CLOSE, overdue_action=OverdueAction.CLOSE)
    assert QuizSettings.from_dict(settings.to_dict()) == settings
    assert QuizSettings.from_dict({}) == QuizSettings()
    assert QuizSettings.from_dict({"unknown": 1, "max_attempts": 2}).max_attempts == 2


@pytest.mark.parametrize(("opens", "closes", "expected"), [
    (None, None, True),
    (NOW - timedelta(hours=1), None, True),
    (NOW + timedelta(hours=1), None, False),
    (None, NOW, False),                       # closes exactly now: closed
    (None, NOW + timedelta(seconds=1), True),
])
def test_window(opens, closes, expected):
    assert QuizSettings(opens_at=opens, closes_at=closes).is_open(NOW) is expected


def test_deadline_is_the_earlier_of_time_limit_and_close():
    assert QuizSettings().deadline(NOW) is None
    assert QuizSettings(time_limit_minutes=30).deadline(NOW) == NOW + timedelta(minutes=30)
    closes = NOW + timedelta(minutes=10)
    assert QuizSettings(time_limit_minutes=30, closes_at=closes).deadline(NOW) == closes


def test_attempts_left_and_pass_mark():
    assert QuizSettings().attempts_left(9) is None
    assert QuizSettings(max_attempts=2).attempts_left(1) == 1
    assert QuizSettings(max_attempts=2).attempts_left(5) == 0
    assert QuizSettings(pass_percent=60).has_passed(60.0) is True
    assert QuizSettings(pass_percent=60).has_passed(59.9) is False
    assert QuizSettings().has_passed(80.0) is None


def test_review_times():
    closes = NOW + timedelta(hours=1)
    settings = QuizSettings(closes_at=closes)
    assert settings.may_review(ReviewTime.AFTER_SUBMIT, NOW)
    assert not settings.may_review(ReviewTime.AFTER_CLOSE, NOW)
    assert settings.may_review(ReviewTime.AFTER_CLOSE, closes)
    assert not settings.may_review(ReviewTime.NEVER, closes)


@pytest.mark.parametrize(("method", "expected"), [
    (GradingMethod.HIGHEST, 90.0),
    (GradingMethod.LATEST, 60.0),
    (GradingMethod.FIRST, 50.0),
    (GradingMethod.AVERAGE, pytest.approx(66.667, abs=1e-3)),
])
def test_grade_across_attempts(method, expected):
    assert grade_across_attempts(method, [50.0, 90.0, 60.0]) == expected
    assert grade_across_attempts(method, []) is None


def test_problems_name_the_bad_fields():
    bad = QuizSettings(time_limit_minutes=0, max_attempts=0, pass_percent=101,
                       opens_at=NOW, closes_at=NOW)
    assert bad.problems() == ["time_limit_minutes", "max_attempts", "pass_percent", "closes_at"]
    assert QuizSettings().problems() == []


def test_far_off_dates_are_problems():
    far = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    assert QuizSettings(closes_at=far).problems() == ["closes_at"]
