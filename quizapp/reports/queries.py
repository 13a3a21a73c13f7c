"""SQL for the progress pages: typed rows, one named helper per reusable filter."""

from __future__ import annotations

from sqlalchemy import Select, select

from ..extensions import db
from ..quizzes.models import Attempt, AttemptItem, AttemptStatus, counts_as_evidence
from .mastery import ScoredResponse


def counted_attempts() -> Select:
    """Attempts that count towards progress: graded ones."""
    return select(Attempt.id).where(Attempt.status == AttemptStatus.GRADED)


def scored_responses(user_id: int, code: str | None = None) -> list[ScoredResponse]:
    """Every scored item response of a cadre, or of one code (rating statements carry no
    points)."""
    query = (
        select(AttemptItem.code, AttemptItem.score, AttemptItem.max_score, Attempt.graded_at)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.user_id == user_id, Attempt.status == AttemptStatus.GRADED,
               AttemptItem.max_score > 0, counts_as_evidence())
    )
    if code is not None:
        query = query.where(AttemptItem.code == code)
    rows = db.session.execute(query)
    return [ScoredResponse(code, score or 0.0, max_score, at) for code, score, max_score, at
            in rows]


def latest_self_ratings(user_id: int) -> dict[str, float]:
    """The most recent self-rating per code (A1–A5, or C for the countermeasures)."""
    rows = db.session.execute(
        select(Attempt.quiz_id, Attempt.self_rating, Attempt.graded_at)
        .where(Attempt.user_id == user_id, Attempt.status == AttemptStatus.GRADED,
               Attempt.self_rating.is_not(None))
        .order_by(Attempt.graded_at)
    )
    ratings: dict[str, float] = {}
    for quiz_id, rating, _ in rows:
        ratings[quiz_id.removeprefix("self-").upper()] = rating  # later ones overwrite
    return ratings
