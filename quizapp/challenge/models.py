"""Challenge runs (one per attempt of the challenge quiz) and the cohorts that show a
leaderboard."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from ..db import UTCDateTime, enum_values, utcnow
from ..extensions import db
from .rules import EndReason


class ChallengeRun(db.Model):
    """A run's result beside its attempt: the items answered right in a row, and how it ended
    (None while it goes on, or when the periodic job closed it after its time ran out)."""

    __tablename__ = "challenge_runs"

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    item_seconds: Mapped[int] = mapped_column(Integer)  # the timer the run was played with
    correct: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[EndReason | None] = mapped_column(
        Enum(
            EndReason,
            native_enum=False,
            length=10,
            values_callable=enum_values,
            validate_strings=True,
        )
    )

    def __repr__(self) -> str:
        return f"<ChallengeRun {self.attempt_id} user={self.user_id} {self.correct}>"


class ChallengeLeaderboard(db.Model):
    """A cohort whose coordinator turned its challenge leaderboard on (off without a row)."""

    __tablename__ = "challenge_leaderboards"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    enabled_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    enabled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<ChallengeLeaderboard cohort={self.cohort_id}>"
