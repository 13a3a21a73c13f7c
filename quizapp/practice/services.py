"""Spaced-review cards: scheduled from every scored answer (the attempt engine calls
`record_reviews` when it grades), listed by when they are due; and the cadre's confidence
against his accuracy. Flush, never commit.

The engine imports this module, so it imports nothing of the engine's services.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.dialects import postgresql, sqlite

from ..bank.models import Item, ItemVersion
from ..extensions import db
from ..kinds import ItemScore, kind_of
from ..quizzes.models import Attempt, AttemptItem, AttemptStatus, Confidence
from . import scheduling
from .calibration import ConfidenceTally, tally_confidence
from .models import ReviewCard, ReviewLog

# ---------------------------------------------------------------- scheduling answers


def _is_review(row: AttemptItem) -> bool:
    """A scored, automatically marked answer that was given (a blank recalls nothing, and a
    set closed by the clock would otherwise count every unseen item as forgotten)."""
    return (
        row.max_score > 0
        and row.score is not None
        and bool(row.response)
        and not kind_of(row.item_version.kind).needs_grader
    )


def _insert() -> Any:
    dialect = db.session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _locked_cards(user_id: int, item_ids: set[str], now: datetime) -> dict[str, ReviewCard]:
    """The cadre's cards of these items, created when missing and locked (PostgreSQL) so two
    gradings at once update a card one after the other, never from the same old state."""
    new = scheduling.CardMemory.new(now)
    db.session.execute(
        _insert()(ReviewCard)
        .values(
            [
                {
                    "user_id": user_id,
                    "item_id": item_id,
                    "state": int(new.state),
                    "step": new.step,
                    "due_at": new.due_at,
                    "reviews": 0,
                    "lapses": 0,
                    "created_at": now,
                }
                for item_id in sorted(item_ids)
            ]
        )
        .on_conflict_do_nothing(index_elements=["user_id", "item_id"])
    )
    cards = db.session.scalars(
        select(ReviewCard)
        .where(ReviewCard.user_id == user_id, ReviewCard.item_id.in_(sorted(item_ids)))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {card.item_id: card for card in cards}


def record_reviews(attempt: Attempt, rows: Sequence[AttemptItem], now: datetime) -> int:
    """Review the card of every item the attempt scored, in the order they were answered:
    one review per answer however often this runs (the log keeps the answer). The rows need
    their versions loaded. Returns how many reviews were recorded."""
    answered = [row for row in rows if _is_review(row)]
    if not answered:
        return 0
    done = set(
        db.session.scalars(
            select(ReviewLog.attempt_item_id).where(
                ReviewLog.attempt_item_id.in_([row.id for row in answered])
            )
        )
    )
    todo = sorted(
        (row for row in answered if row.id not in done),
        key=lambda row: (row.answered_at or now, row.position),
    )
    if not todo:
        return 0
    cards = _locked_cards(attempt.user_id, {row.item_version.item_id for row in todo}, now)
    for row in todo:
        card = cards[row.item_version.item_id]
        sure = None if row.confidence is None else row.confidence == Confidence.SURE
        reviewed = scheduling.review(
            card.id,
            card.memory,
            ItemScore(row.score or 0.0, row.max_score).is_correct,
            sure,
            row.answered_at or now,
        )
        card.remember(reviewed.memory, reviewed.rating)
        db.session.add(
            ReviewLog(
                card_id=card.id,
                attempt_item_id=row.id,
                rating=int(reviewed.rating),
                reviewed_at=reviewed.reviewed_at,
                duration_ms=None,
                source=str(attempt.quiz.kind),
            )
        )
    db.session.flush()
    return len(todo)


def optimizer_log(user_ids: Iterable[int] | None = None) -> list[scheduling.FsrsReviewLog]:
    """Every review (of some cadres, or all) in time order, as the FSRS optimizer reads them."""
    query = select(ReviewLog).order_by(ReviewLog.reviewed_at, ReviewLog.id)
    if user_ids is not None:
        query = query.join(ReviewCard, ReviewCard.id == ReviewLog.card_id).where(
            ReviewCard.user_id.in_(sorted(set(user_ids)))
        )
    return [log.as_fsrs() for log in db.session.scalars(query)]


# ---------------------------------------------------------------- what is due


@dataclass(frozen=True)
class DueCard:
    item_id: str
    code: str
    stem: dict[str, str]
    due_at: datetime
    reviews: int
    lapses: int


def _live_cards(user_id: int) -> Any:
    """The cadre's cards of live items with their current versions (one query)."""
    return (
        select(ReviewCard, ItemVersion)
        .join(Item, Item.id == ReviewCard.item_id)
        .join(
            ItemVersion,
            and_(ItemVersion.item_id == Item.id, ItemVersion.version == Item.current_version),
        )
        .where(ReviewCard.user_id == user_id, Item.drawable())
    )


def due_cards(user_id: int, until: datetime, leave_out: set[str]) -> list[DueCard]:
    """Cards due before `until`, most overdue first; items held by a live exam left out."""
    rows = db.session.execute(
        _live_cards(user_id)
        .where(ReviewCard.due_at < until)
        .order_by(ReviewCard.due_at, ReviewCard.item_id)
    )
    return [
        DueCard(
            card.item_id,
            version.item.code,
            version.content["stem"],
            card.due_at,
            card.reviews,
            card.lapses,
        )
        for card, version in rows
        if card.item_id not in leave_out
    ]


def upcoming_due_times(user_id: int, after: datetime, leave_out: set[str]) -> list[datetime]:
    """When each card due from `after` on comes due (for the calendar of reviews)."""
    rows = db.session.execute(
        select(ReviewCard.item_id, ReviewCard.due_at)
        .join(Item, Item.id == ReviewCard.item_id)
        .where(ReviewCard.user_id == user_id, ReviewCard.due_at >= after, Item.drawable())
        .order_by(ReviewCard.due_at)
    )
    return [due_at for item_id, due_at in rows if item_id not in leave_out]


def count_due(user_id: int, until: datetime, leave_out: set[str]) -> int:
    """How many cards come due before `until`."""
    rows = db.session.scalars(
        select(ReviewCard.item_id)
        .join(Item, Item.id == ReviewCard.item_id)
        .where(ReviewCard.user_id == user_id, ReviewCard.due_at < until, Item.drawable())
    )
    return sum(1 for item_id in rows if item_id not in leave_out)


def scheduled_item_ids(user_id: int, after: datetime) -> set[str]:
    """Items whose next review is still to come: not to be practised again before then."""
    return set(
        db.session.scalars(
            select(ReviewCard.item_id).where(
                ReviewCard.user_id == user_id, ReviewCard.due_at >= after
            )
        )
    )


def next_due(user_id: int, item_ids: Iterable[str]) -> dict[str, datetime]:
    """When each of these items is due next for the cadre."""
    return dict(
        db.session.execute(
            select(ReviewCard.item_id, ReviewCard.due_at).where(
                ReviewCard.user_id == user_id, ReviewCard.item_id.in_(sorted(set(item_ids)))
            )
        ).all()
    )


# ---------------------------------------------------------------- confidence


def confidence_calibration(user_id: int) -> list[ConfidenceTally]:
    """Accuracy when the cadre said he was sure and when he was not, per code and overall,
    over his scored answers that carry a mark."""
    rows = db.session.execute(
        select(
            AttemptItem.code,
            AttemptItem.confidence,
            func.count(),
            # an answer that earned the item's full points is right
            func.sum(case((AttemptItem.score >= AttemptItem.max_score - 1e-9, 1), else_=0)),
        )
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(
            Attempt.user_id == user_id,
            Attempt.status == AttemptStatus.GRADED,
            AttemptItem.confidence.is_not(None),
            AttemptItem.score.is_not(None),
            AttemptItem.max_score > 0,
        )
        .group_by(AttemptItem.code, AttemptItem.confidence)
    )
    return tally_confidence(
        [
            (code, confidence == Confidence.SURE, int(count), int(right or 0))
            for code, confidence, count, right in rows
        ]
    )
