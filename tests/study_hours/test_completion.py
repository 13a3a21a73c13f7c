"""When a cadre has completed a cohort's programme (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from quizapp.quizzes.settings import GradingMethod, QuizSettings
from quizapp.study_hours.completion import GradedAttempt, assignment_result, completion

TITLE = {"zh": "测验", "en": "Quiz"}


def at(day: int) -> datetime:
    return datetime(2026, 12, day, 8, tzinfo=UTC)


def test_without_a_pass_mark_an_assignment_is_fulfilled_by_a_graded_attempt():
    settings = QuizSettings()
    assert not assignment_result(1, TITLE, settings, []).is_fulfilled
    assert assignment_result(1, TITLE, settings, [GradedAttempt(10.0, at(1))]).is_fulfilled
    assert assignment_result(1, TITLE, settings, [GradedAttempt(None, at(1))]).is_fulfilled


def test_with_a_pass_mark_the_grade_by_the_assignments_method_must_reach_it():
    highest = QuizSettings(pass_percent=60)
    latest = QuizSettings(pass_percent=60, grading_method=GradingMethod.LATEST)
    tries = [GradedAttempt(70.0, at(1)), GradedAttempt(40.0, at(2))]
    assert assignment_result(1, TITLE, highest, tries).is_fulfilled
    assert not assignment_result(1, TITLE, latest, tries).is_fulfilled
    assert assignment_result(1, TITLE, highest, tries).grade == 70.0


def test_the_programme_is_complete_when_every_assignment_is_fulfilled():
    done = assignment_result(1, TITLE, QuizSettings(), [GradedAttempt(90.0, at(3))])
    undone = assignment_result(
        2, TITLE, QuizSettings(pass_percent=80), [GradedAttempt(50.0, at(5))]
    )
    partial = completion([done, undone], [GradedAttempt(90.0, at(3)), GradedAttempt(50.0, at(5))])
    assert not partial.is_complete and partial.fulfilled == 1
    complete = completion([done], [GradedAttempt(90.0, at(3)), GradedAttempt(60.0, at(4))])
    assert complete.is_complete and complete.completed_at == at(4)


def test_a_cohort_without_assignments_has_no_programme_to_complete():
    assert not completion([], []).is_complete
