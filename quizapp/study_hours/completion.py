"""When a cadre has completed a cohort's programme (pure).

A cohort's programme is every quiz assigned to it. An assignment is fulfilled when the cadre
has a graded attempt at it and, where the assignment sets a pass mark, his grade for it (by
the assignment's own grading method over his graded attempts, as his start page shows it)
reaches the mark; an assignment without a pass mark (a self-assessment, say) is fulfilled by
being done. The programme is complete when the cohort has at least one assignment and every
one is fulfilled; it was completed when the last graded attempt among them was graded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from ..quizzes.settings import QuizSettings, grade_across_attempts


@dataclass(frozen=True)
class GradedAttempt:
    """One graded attempt at an assignment, in the order attempts were started."""

    percent: float | None  # None when nothing in it is scored (self-assessment)
    graded_at: datetime


@dataclass(frozen=True)
class AssignmentResult:
    assignment_id: int
    title: Mapping[str, str]
    grade: float | None
    pass_percent: int | None
    is_fulfilled: bool


@dataclass(frozen=True)
class Completion:
    results: tuple[AssignmentResult, ...]
    completed_at: datetime | None  # None until complete

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    @property
    def fulfilled(self) -> int:
        return sum(1 for r in self.results if r.is_fulfilled)


def assignment_result(
    assignment_id: int,
    title: Mapping[str, str],
    settings: QuizSettings,
    attempts: Sequence[GradedAttempt],
) -> AssignmentResult:
    percents = [a.percent for a in attempts if a.percent is not None]
    grade = grade_across_attempts(settings.grading_method, percents)
    if settings.pass_percent is None:
        fulfilled = bool(attempts)
    else:
        fulfilled = grade is not None and grade >= settings.pass_percent
    return AssignmentResult(assignment_id, title, grade, settings.pass_percent, fulfilled)


def completion(
    results: Sequence[AssignmentResult], attempts: Sequence[GradedAttempt]
) -> Completion:
    """The programme's state from each assignment's result and all the graded attempts."""
    done = bool(results) and all(r.is_fulfilled for r in results)
    completed_at = max((a.graded_at for a in attempts), default=None) if done else None
    return Completion(tuple(results), completed_at)
