"""SQL for the coordinator reports: a fixed number of queries per page, however many rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from ..auth.models import User
from ..bank.models import ItemVersion, Misconception
from ..cohorts.models import Assignment, Membership
from ..extensions import db
from ..quizzes.models import Attempt, AttemptItem, AttemptStatus
from .mastery import RollupRow


def own_answers(cohort_id: int) -> tuple[Any, ...]:
    """Graded, scored answers that members gave to this cohort's assignments. A cadre's private
    practice and other cohorts' assignments are his own and never reach these reports."""
    return (
        Attempt.assignment_id.in_(select(Assignment.id).where(Assignment.cohort_id == cohort_id)),
        Attempt.user_id.in_(select(Membership.user_id).where(Membership.cohort_id == cohort_id)),
        Attempt.status == AttemptStatus.GRADED,
        AttemptItem.max_score > 0,
    )


def _month(column: Any) -> Any:
    """The first day of the column's month (UTC), as SQL for the database in use."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date_trunc("month", func.timezone("UTC", column))
    return func.strftime("%Y-%m-01", column)


def _as_date(value: str | datetime | date) -> date:
    """SQLite gives the month as text, PostgreSQL as a timestamp."""
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value.date() if isinstance(value, datetime) else value


def _sums(cohort_id: int, *groups: Any) -> Any:
    return db.session.execute(
        select(*groups, func.sum(func.coalesce(AttemptItem.score, 0.0)),
               func.sum(AttemptItem.max_score), func.count())
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(*own_answers(cohort_id)).group_by(*groups))


def member_code_totals(cohort_id: int) -> list[RollupRow]:
    """Points per member and code over all months (month is None): summed in SQL."""
    return [RollupRow(user, code, None, earned, possible, items) for user, code, earned,
            possible, items in _sums(cohort_id, Attempt.user_id, AttemptItem.code)]


def cohort_code_month_totals(cohort_id: int) -> list[RollupRow]:
    """Points of the whole cohort per code and month (user is None): summed in SQL."""
    month = _month(Attempt.graded_at)
    return [RollupRow(None, code, _as_date(m), earned, possible, items)
            for code, m, earned, possible, items in _sums(cohort_id, AttemptItem.code, month)]


def members(cohort_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort_id).order_by(User.username)))


@dataclass(frozen=True)
class AssignmentAttempt:
    assignment_id: int
    user_id: int
    status: AttemptStatus
    percent: float | None
    started_at: datetime


def assignment_attempts(cohort_id: int) -> list[AssignmentAttempt]:
    """Every attempt at the cohort's assignments, oldest first."""
    rows = db.session.execute(
        select(Attempt.assignment_id, Attempt.user_id, Attempt.status, Attempt.score,
               Attempt.max_score, Attempt.started_at)
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .where(Assignment.cohort_id == cohort_id)
        .order_by(Attempt.started_at, Attempt.id))
    return [AssignmentAttempt(a, u, s, 100.0 * score / top if score is not None and top
                              else None, at)
            for a, u, s, score, top, at in rows]


@dataclass(frozen=True)
class Answer:
    user_id: int
    item_version_id: int
    response: list[str] | None
    score: float | None
    max_score: float


def code_answers(cohort_id: int, code: str, user_id: int | None = None) -> list[Answer]:
    """Graded answers of the cohort's members on one code (optionally one member)."""
    query = (select(Attempt.user_id, AttemptItem.item_version_id, AttemptItem.response,
                    AttemptItem.score, AttemptItem.max_score)
             .join(Attempt, Attempt.id == AttemptItem.attempt_id)
             .where(*own_answers(cohort_id), AttemptItem.code == code))
    if user_id is not None:
        query = query.where(Attempt.user_id == user_id)
    return [Answer(*row) for row in db.session.execute(query)]


def versions(ids: Sequence[int]) -> dict[int, ItemVersion]:
    if not ids:
        return {}
    return {v.id: v for v in db.session.scalars(
        select(ItemVersion).where(ItemVersion.id.in_(sorted(set(ids)))))}


def misconception_labels() -> dict[str, dict[str, Any]]:
    return {m.tag: m.label for m in db.session.scalars(select(Misconception))}


@dataclass(frozen=True)
class ItemScoreRow:
    user_id: int
    attempt_id: int
    started_at: datetime
    item_id: str
    score: float
    max_score: float


def assignment_item_scores(assignment_id: int) -> list[ItemScoreRow]:
    """Item scores of every graded attempt at an assignment, for item analysis."""
    rows = db.session.execute(
        select(Attempt.user_id, Attempt.id, Attempt.started_at, ItemVersion.item_id,
               AttemptItem.score, AttemptItem.max_score)
        .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
        .join(ItemVersion, ItemVersion.id == AttemptItem.item_version_id)
        .where(Attempt.assignment_id == assignment_id, Attempt.status == AttemptStatus.GRADED,
               AttemptItem.max_score > 0)
        .order_by(Attempt.started_at, Attempt.id))
    return [ItemScoreRow(u, a, at, i, s or 0.0, m) for u, a, at, i, s, m in rows]


def cohort_responses(cohort_id: int) -> list[tuple[Any, ...]]:
    """One row per graded answer members gave to the cohort's assignments (for export)."""
    return list(db.session.execute(
        select(User.username, User.display_name, Attempt.id, Attempt.quiz_id,
               Attempt.assignment_id, Attempt.graded_at, ItemVersion.item_id,
               ItemVersion.version, AttemptItem.code, AttemptItem.response, AttemptItem.score,
               AttemptItem.max_score)
        .join(Attempt, Attempt.user_id == User.id)
        .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
        .join(ItemVersion, ItemVersion.id == AttemptItem.item_version_id)
        .where(*own_answers(cohort_id))
        .order_by(User.username, Attempt.id, AttemptItem.position)))
