"""Attempt states: every allowed move works, every other move is refused."""

from datetime import UTC, datetime
from itertools import product

import pytest

from quizapp.quizzes.models import ALLOWED_TRANSITIONS, Attempt, AttemptStatus, InvalidTransition

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ALLOWED = {
    (AttemptStatus.IN_PROGRESS, AttemptStatus.SUBMITTED),
    (AttemptStatus.IN_PROGRESS, AttemptStatus.OVERDUE),
    (AttemptStatus.SUBMITTED, AttemptStatus.GRADED),
    (AttemptStatus.OVERDUE, AttemptStatus.GRADED),
    # An answer a person grades holds the attempt until the grade is released.
    (AttemptStatus.SUBMITTED, AttemptStatus.AWAITING_GRADING),
    (AttemptStatus.OVERDUE, AttemptStatus.AWAITING_GRADING),
    (AttemptStatus.AWAITING_GRADING, AttemptStatus.GRADED),
}


def test_the_table_is_exactly_the_documented_machine():
    table = {(a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in targets}
    assert table == ALLOWED


@pytest.mark.parametrize(("start", "target"), list(product(AttemptStatus, repeat=2)))
def test_every_transition(start, target):
    attempt = Attempt(id=1, status=start)
    if (start, target) in ALLOWED:
        attempt.move_to(target, NOW)
        assert attempt.status == target
        if target in (AttemptStatus.SUBMITTED, AttemptStatus.OVERDUE):
            assert attempt.submitted_at == NOW
        if target == AttemptStatus.GRADED:
            assert attempt.graded_at == NOW
    else:
        with pytest.raises(InvalidTransition):
            attempt.move_to(target, NOW)
        assert attempt.status == start


def test_record_grade_only_from_submitted_or_overdue():
    attempt = Attempt(id=1, status=AttemptStatus.IN_PROGRESS)
    with pytest.raises(InvalidTransition):
        attempt.record_grade(1.0, 2.0, NOW)
    attempt.move_to(AttemptStatus.OVERDUE, NOW)
    attempt.record_grade(1.0, 2.0, NOW)
    assert (attempt.status, attempt.score, attempt.percent) == (AttemptStatus.GRADED, 1.0, 50.0)
