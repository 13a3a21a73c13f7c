"""Grading answers that a person scores (case analysis): the queue, a grade per answer with
the rubric, and the release of a whole attempt. Flush, never commit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ..abilities import services as abilities
from ..auth.models import User
from ..auth.roles import Role
from ..bank.models import ItemVersion
from ..cohorts.models import Cohort, Membership
from ..extensions import db
from ..kinds import InvalidGrade, graded_by_people, kind_of, partial
from ..quizzes import rollups, study_credit
from ..quizzes.models import Attempt, AttemptItem, AttemptStatus
from ..quizzes.services import attempt_items

COMMENT_LIMIT = 2000

__all__ = ["InvalidGrade", "NotReady"]


class NotReady(Exception):
    """An attempt cannot be released while an answer in it is still ungraded."""


@dataclass(frozen=True)
class QueueRow:
    attempt: Attempt
    user: User
    waiting: int  # answers not graded yet


def _visible(viewer: User):
    """Attempts awaiting grading that this viewer may grade: an admin every one, a coordinator
    those of cadres in the cohorts he runs."""
    condition = Attempt.status == AttemptStatus.AWAITING_GRADING
    if viewer.role == Role.ADMIN:
        return condition
    members = (select(Membership.user_id).join(Cohort, Cohort.id == Membership.cohort_id)
               .where(Cohort.coordinator_id == viewer.id))
    return condition & Attempt.user_id.in_(members)


def queue(viewer: User) -> list[QueueRow]:
    """Attempts waiting for this grader, oldest hand-in first, with the answers still to grade."""
    waiting = (
        select(AttemptItem.attempt_id, func.count().label("waiting"))
        .join(ItemVersion, ItemVersion.id == AttemptItem.item_version_id)
        .where(ItemVersion.kind.in_(graded_by_people()), AttemptItem.response.is_not(None),
               AttemptItem.manual_grade.is_(None))
        .group_by(AttemptItem.attempt_id).subquery()
    )
    rows = db.session.execute(
        select(Attempt, User, func.coalesce(waiting.c.waiting, 0))
        .join(User, User.id == Attempt.user_id)
        .outerjoin(waiting, waiting.c.attempt_id == Attempt.id)
        .where(_visible(viewer)).order_by(Attempt.submitted_at, Attempt.id)
    )
    return [QueueRow(attempt, user, int(count)) for attempt, user, count in rows]


def attempt_to_grade(viewer: User, attempt_id: int) -> Attempt | None:
    """The attempt if it awaits grading and this viewer may grade it."""
    return db.session.scalar(select(Attempt).where(Attempt.id == attempt_id, _visible(viewer)))


def rows_to_grade(attempt: Attempt) -> list[AttemptItem]:
    """The attempt's answers that a person grades."""
    people = graded_by_people()
    return [row for row in attempt_items(attempt)
            if row.item_version.kind in people and row.response]


@dataclass(frozen=True)
class AnswerToGrade:
    """One answer as the grading page shows it; its kind's partial shows the grading form."""

    row: AttemptItem

    @property
    def content(self) -> Mapping:
        return self.row.item_version.content

    @property
    def answer(self) -> str:
        return "\n".join(kind_of(self.row.item_version.kind).answers(self.row.response)
                         .values())

    @property
    def grade(self) -> Mapping | None:
        return self.row.manual_grade

    @property
    def grade_partial(self) -> str:
        return partial(self.row.item_version.kind, "grade")


def answers_to_grade(rows: list[AttemptItem]) -> list[AnswerToGrade]:
    return [AnswerToGrade(row) for row in rows]


def read_grade(row: AttemptItem, form: Mapping[str, str]) -> dict[str, int] | None:
    return kind_of(row.item_version.kind).read_grade(row.item_version.content, form)


def grade_answer(attempt: Attempt, row: AttemptItem, points: Mapping[str, int], comment: str,
                 grader: User, now: datetime) -> None:
    """Keep a grade for one answer (it can be changed until the attempt is released)."""
    if row.attempt_id != attempt.id or attempt.status != AttemptStatus.AWAITING_GRADING:
        raise InvalidGrade("this answer is not waiting for a grade")
    kind_of(row.item_version.kind).score_grade(row.item_version.content, points)  # may refuse
    if len(comment) > COMMENT_LIMIT:
        raise InvalidGrade(f"the comment is longer than {COMMENT_LIMIT} characters")
    row.manual_grade = {"points": dict(points), "comment": comment.strip(),
                        "grader_id": grader.id, "graded_at": now.isoformat()}
    db.session.flush()


def release(attempt: Attempt, now: datetime) -> None:
    """Score the graded answers, mark the attempt graded and count it into the rollups."""
    rows = attempt_items(attempt)
    to_grade = [r for r in rows if r.item_version.kind in graded_by_people() and r.response]
    if any(r.manual_grade is None for r in to_grade):
        raise NotReady(f"attempt {attempt.id} has ungraded answers")
    for row in to_grade:
        row.score = kind_of(row.item_version.kind).score_grade(
            row.item_version.content, row.manual_grade["points"], row.max_score).score
    attempt.record_grade(round(sum(r.score or 0.0 for r in rows), 6),
                         sum(r.max_score for r in rows), now)
    rollups.add_attempt(attempt, rows)
    abilities.update(attempt.user_id, {row.code for row in rows if row.max_score > 0}, now)
    study_credit.credit_if_passed(attempt, now)
    db.session.flush()
