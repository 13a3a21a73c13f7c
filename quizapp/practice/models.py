"""Spaced-review cards (one per cadre and item) and their review log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import TimestampMixin, UTCDateTime
from ..extensions import db
from .scheduling import CardMemory, FsrsReviewLog, Rating, State


class ReviewCard(TimestampMixin, db.Model):
    """What FSRS knows of one cadre's memory of one item, updated by every scored answer."""

    __tablename__ = "review_cards"
    __table_args__ = (UniqueConstraint("user_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"))
    state: Mapped[int] = mapped_column(Integer)  # fsrs.State: learning, review, relearning
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    last_review_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)  # answers rated Again

    def __repr__(self) -> str:
        return f"<ReviewCard user={self.user_id} {self.item_id} due {self.due_at:%Y-%m-%d}>"

    @property
    def memory(self) -> CardMemory:
        return CardMemory(
            State(self.state),
            self.step,
            self.stability,
            self.difficulty,
            self.due_at,
            self.last_review_at,
        )

    def remember(self, memory: CardMemory, rating: Rating) -> None:
        """Take the state a review left the card in."""
        self.state = int(memory.state)
        self.step = memory.step
        self.stability = memory.stability
        self.difficulty = memory.difficulty
        self.due_at = memory.due_at
        self.last_review_at = memory.last_review_at
        self.reviews = (self.reviews or 0) + 1
        if rating == Rating.Again:
            self.lapses = (self.lapses or 0) + 1


class ReviewLog(db.Model):
    """One review in the form the FSRS optimizer reads (card, rating, when, how long), with
    the answer it came from: one review per answer, however often grading runs."""

    __tablename__ = "review_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("review_cards.id"), index=True)
    attempt_item_id: Mapped[int] = mapped_column(
        ForeignKey("attempt_items.id", ondelete="CASCADE"), unique=True
    )
    rating: Mapped[int] = mapped_column(Integer)  # fsrs.Rating 1–4
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_ms: Mapped[int | None] = mapped_column(Integer)  # None: not measured
    source: Mapped[str] = mapped_column(String(20))  # the quiz kind the answer was given in

    def __repr__(self) -> str:
        return f"<ReviewLog card={self.card_id} rating={self.rating} {self.reviewed_at}>"

    def as_fsrs(self) -> FsrsReviewLog:
        """This review as the FSRS optimizer takes it."""
        return FsrsReviewLog(
            card_id=self.card_id,
            rating=Rating(self.rating),
            review_datetime=self.reviewed_at,
            review_duration=self.duration_ms,
        )
