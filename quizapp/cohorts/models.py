"""Cohorts (a training class, a township), their members, and quizzes assigned to them."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..bank.models import Quiz
from ..db import TimestampMixin, UTCDateTime, utcnow
from ..extensions import db

# Join codes avoid letters and digits that are easy to confuse when read aloud or typed.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(8))


class Cohort(TimestampMixin, db.Model):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(500), default="")
    join_code: Mapped[str] = mapped_column(String(16), unique=True, default=new_join_code)
    # The coordinator who runs the cohort; admins see every cohort.
    coordinator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    coordinator: Mapped[User] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Cohort {self.id} {self.name!r}>"


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Membership cohort={self.cohort_id} user={self.user_id}>"


class Assignment(TimestampMixin, db.Model):
    """A quiz assigned to a cohort, with its own window and settings."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    quiz_id: Mapped[str] = mapped_column(ForeignKey("quizzes.id"))
    # QuizSettings as stored (window included); read through quizzes.settings.QuizSettings.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # An exam (keys kept secret) draws only from these item ids, which practice and every
    # other review leave out while the exam is open or upcoming; None for other assignments.
    item_pool: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    # Items of the coordinator's own local bank that every attempt at this assignment shows
    # besides what the quiz draws (see bank.editor); None when there are none.
    local_items: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))

    quiz: Mapped[Quiz] = relationship(lazy="joined", innerjoin=True)
    cohort: Mapped[Cohort] = relationship(lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"<Assignment {self.id} {self.quiz_id} to cohort {self.cohort_id}>"
