"""Spaced review with FSRS (pure: no Flask, no database).

A card holds what FSRS knows of one cadre's memory of one item. Each scored answer is a
review, rated from the outcome and the confidence the cadre gave before seeing the key:

    wrong                                   → Again
    right, marked not sure                  → Hard
    right (no mark, or sure on a first try) → Good
    right and sure, card already in review  → Easy
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler, State
from fsrs import ReviewLog as FsrsReviewLog

__all__ = [
    "SCHEDULER",
    "CardMemory",
    "FsrsReviewLog",
    "Rating",
    "Reviewed",
    "State",
    "rating_for",
    "review",
]

# Cadres practise once a day: the minute-long learning steps made for flashcard sessions would
# only make an item "due" again before the cadre is back, so every answer schedules in days.
# No fuzzing: a due date a cadre was shown stays the due date he gets.
SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def rating_for(correct: bool, sure: bool | None, in_review: bool) -> Rating:
    """The FSRS rating of one answer. `sure` is the cadre's own mark (None: no mark);
    `in_review` says the card was reviewed before (so "easy" means something)."""
    if not correct:
        return Rating.Again
    if sure is False:
        return Rating.Hard
    if sure and in_review:
        return Rating.Easy
    return Rating.Good


@dataclass(frozen=True)
class CardMemory:
    """A card's scheduling state, as stored (FSRS v6 `Card` fields without its id)."""

    state: State
    step: int | None
    stability: float | None
    difficulty: float | None
    due_at: datetime
    last_review_at: datetime | None

    @classmethod
    def new(cls, now: datetime) -> CardMemory:
        """A card never reviewed: due at once."""
        return cls(State.Learning, 0, None, None, now, None)

    @property
    def in_review(self) -> bool:
        return self.state == State.Review and self.last_review_at is not None


@dataclass(frozen=True)
class Reviewed:
    """One review: the rating given, when it counted, and the card's state after it."""

    rating: Rating
    reviewed_at: datetime
    memory: CardMemory


def _utc(moment: datetime) -> datetime:
    # fsrs insists on datetime.UTC itself (a database may hand back another UTC tzinfo).
    return moment.astimezone(UTC)


def review(
    card_id: int,
    memory: CardMemory,
    correct: bool,
    sure: bool | None,
    at: datetime,
    duration_ms: int | None = None,
) -> Reviewed:
    """Review a card with one answer given at `at`. FSRS needs reviews in time order: an
    answer older than the card's last review (a quiz handed in days after it was answered)
    counts as given at that last review."""
    rating = rating_for(correct, sure, memory.in_review)
    moment = _utc(at)
    if memory.last_review_at is not None and moment < memory.last_review_at:
        moment = _utc(memory.last_review_at)
    card = Card(
        card_id=card_id,
        state=memory.state,
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=_utc(memory.due_at),
        last_review=_utc(memory.last_review_at) if memory.last_review_at else None,
    )
    after, _log = SCHEDULER.review_card(card, rating, moment, duration_ms)
    return Reviewed(
        rating,
        moment,
        CardMemory(
            State(after.state),
            after.step,
            after.stability,
            after.difficulty,
            after.due,
            after.last_review,
        ),
    )
