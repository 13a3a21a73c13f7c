"""Attempts and the items each attempt showed."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Date,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..bank.models import ItemVersion, Quiz
from ..bank.vocabulary import PRACTICE_SET_KINDS
from ..db import UTCDateTime, enum_values, utcnow
from ..extensions import db


class AttemptStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"  # handed in on time, about to be graded
    OVERDUE = "overdue"      # its deadline passed while it was open
    # Handed in; a person has yet to grade an answer (a case analysis) and release the grade.
    AWAITING_GRADING = "awaiting_grading"
    GRADED = "graded"


# The only moves an attempt can make; everything else is refused.
ALLOWED_TRANSITIONS: dict[AttemptStatus, frozenset[AttemptStatus]] = {
    AttemptStatus.IN_PROGRESS: frozenset({AttemptStatus.SUBMITTED, AttemptStatus.OVERDUE}),
    AttemptStatus.SUBMITTED: frozenset({AttemptStatus.GRADED, AttemptStatus.AWAITING_GRADING}),
    AttemptStatus.OVERDUE: frozenset({AttemptStatus.GRADED, AttemptStatus.AWAITING_GRADING}),
    AttemptStatus.AWAITING_GRADING: frozenset({AttemptStatus.GRADED}),
    AttemptStatus.GRADED: frozenset(),
}


class Confidence(StrEnum):
    """How sure a cadre said he was of an answer, before its key was shown (practice mode)."""

    SURE = "sure"      # 有把握
    UNSURE = "unsure"  # 没把握


class AttemptClosed(Exception):
    """The attempt no longer takes answers."""


class ItemsReserved(Exception):
    """Every item the quiz could draw is held by an exam that is open or still to come."""


class QuizUnavailable(Exception):
    """The quiz does not exist, is not offered, or has no items yet."""


class WindowClosed(Exception):
    """The quiz is not open now (before its window opens or after it closes)."""


class NoAttemptsLeft(Exception):
    """The cadre has used every attempt the quiz allows."""


class DeadlinePassed(AttemptClosed):
    """The answer came after the deadline and its sync grace."""


class InvalidAnswer(Exception):
    """An answer names an option that the item does not have."""


class InvalidTransition(Exception):
    """A move between attempt states that the state machine forbids."""


class AttemptFacts:
    """What an attempt's columns say: for the ORM row and for the plain one that the hot pages
    read (`reading.attempt_page`)."""

    __slots__ = ()
    status: AttemptStatus
    started_at: datetime
    deadline_at: datetime | None
    submitted_at: datetime | None
    score: float | None
    max_score: float | None

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS

    @property
    def is_graded(self) -> bool:
        return self.status == AttemptStatus.GRADED

    @property
    def awaits_grading(self) -> bool:
        return self.status == AttemptStatus.AWAITING_GRADING

    @property
    def minutes_taken(self) -> int | None:
        """Whole minutes from start to hand-in; None while the attempt is open."""
        if self.submitted_at is None:
            return None
        return int((self.submitted_at - self.started_at).total_seconds() // 60)

    @property
    def is_late(self) -> bool:
        """Handed in after its deadline (the saved answers were graded)."""
        return bool(self.submitted_at and self.deadline_at
                    and self.submitted_at > self.deadline_at)

    @property
    def percent(self) -> float | None:
        if self.score is None or not self.max_score:
            return None
        return 100.0 * self.score / self.max_score


class Attempt(AttemptFacts, db.Model):
    __tablename__ = "attempts"
    __table_args__ = (
        # At most one attempt in progress per cadre and quiz outside assignments, and one per
        # cadre and assignment, even under concurrent starts.
        Index(
            "uq_attempts_one_in_progress", "user_id", "quiz_id", unique=True,
            sqlite_where=text("status = 'in_progress' AND assignment_id IS NULL"),
            postgresql_where=text("status = 'in_progress' AND assignment_id IS NULL"),
        ),
        Index(
            "uq_attempts_one_in_progress_per_assignment", "user_id", "assignment_id",
            unique=True,
            sqlite_where=text("status = 'in_progress' AND assignment_id IS NOT NULL"),
            postgresql_where=text("status = 'in_progress' AND assignment_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    quiz_id: Mapped[str] = mapped_column(ForeignKey("quizzes.id"), index=True)
    # Set when the attempt answers an assignment of a cohort.
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"), index=True)
    # The settings in force when the attempt started (the quiz's, or the assignment's).
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[AttemptStatus] = mapped_column(
        Enum(AttemptStatus, native_enum=False, length=20, values_callable=enum_values,
             validate_strings=True),
        default=AttemptStatus.IN_PROGRESS,
    )
    seed: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The server's deadline (time limit or window close); None when untimed.
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float | None] = mapped_column(Float)
    # Self-assessments only: the mean of the 1–5 ratings, kept beside measured scores.
    self_rating: Mapped[float | None] = mapped_column(Float)

    user: Mapped[User] = relationship(lazy="raise")
    quiz: Mapped[Quiz] = relationship(lazy="joined", innerjoin=True)
    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position", lazy="raise",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Attempt {self.id} user={self.user_id} quiz={self.quiz_id} {self.status}>"

    def move_to(self, status: AttemptStatus, now: datetime) -> None:
        """The one way to change state; raises InvalidTransition for a forbidden move."""
        if status not in ALLOWED_TRANSITIONS[self.status]:
            raise InvalidTransition(f"attempt {self.id}: {self.status} -> {status}")
        self.status = status
        if status in (AttemptStatus.SUBMITTED, AttemptStatus.OVERDUE):
            self.submitted_at = now
        elif status == AttemptStatus.GRADED:
            self.graded_at = now

    def record_grade(self, score: float, max_score: float, now: datetime,
                     status: AttemptStatus = AttemptStatus.GRADED) -> None:
        """Store the grade of a handed-in attempt and mark it graded (or, while a person has
        yet to grade part of it, awaiting grading with the automatic part scored)."""
        self.move_to(status, now)
        self.score = score
        self.max_score = max_score


def counts_as_evidence() -> ColumnElement[bool]:
    """Attempts whose answers are evidence for ability and mastery: all but practice sets,
    which mostly repeat items whose keys the cadre has already seen (docs/practice.md)."""
    return Attempt.quiz_id.not_in(select(Quiz.id).where(Quiz.kind.in_(PRACTICE_SET_KINDS)))


class AttemptItem(db.Model):
    """One item as shown in an attempt: the exact version, option order, answer and score."""

    __tablename__ = "attempt_items"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        # Every start reads which items the cadre has seen: his attempts' item versions, from
        # this index alone (no table row read per item).
        Index("ix_attempt_items_attempt_id_item_version_id", "attempt_id", "item_version_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    item_version_id: Mapped[int] = mapped_column(ForeignKey("item_versions.id"), index=True)
    option_order: Mapped[list[str]] = mapped_column(JSON)
    response: Mapped[list[str] | None] = mapped_column(JSON)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The client's sequence number of the saved answer: an older replay never overwrites it.
    client_seq: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float, default=1.0)
    code: Mapped[str] = mapped_column(String(4))
    # An answer a person grades: {"points": {criterion: n}, "comment": …, "grader_id": …,
    # "graded_at": ISO time}; the row's score is set from it when the grade is released.
    manual_grade: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Practice mode: when the key was first shown for the answer, which is final from then on
    # (a changed answer would only copy the key, and count as known in scores and reviews).
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confidence: Mapped[Confidence | None] = mapped_column(
        Enum(Confidence, native_enum=False, length=8, values_callable=enum_values,
             validate_strings=True))

    attempt: Mapped[Attempt] = relationship(back_populates="items", lazy="raise")
    item_version: Mapped[ItemVersion] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<AttemptItem {self.attempt_id}#{self.position} v={self.item_version_id}>"


class CodeRollup(db.Model):
    """Points earned per cadre, code and month, kept up to date when attempts are graded, so
    dashboards read a few rows per cadre instead of every answer ever given."""

    __tablename__ = "code_rollups"
    __table_args__ = (UniqueConstraint("user_id", "code", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code: Mapped[str] = mapped_column(String(4))
    month: Mapped[date] = mapped_column(Date)  # the first day of the month (UTC)
    earned: Mapped[float] = mapped_column(Float, default=0.0)
    possible: Mapped[float] = mapped_column(Float, default=0.0)
    items: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<CodeRollup user={self.user_id} {self.code} {self.month}>"
