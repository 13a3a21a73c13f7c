"""Regrade after a key correction: rescore every graded attempt that showed an item.

An attempt keeps the version it showed (stem and options as the cadre saw them); its answer
is scored again against the key of the item's current version. Flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from ..abilities import services as abilities
from ..auth.models import User
from ..bank.models import Item, ItemVersion
from ..db import utcnow
from ..extensions import db
from ..kinds import kind_of
from . import rollups, scoring
from .models import Attempt, AttemptItem, AttemptStatus


class UnknownItem(Exception):
    """No item has this id."""


@dataclass(frozen=True)
class ScoreChange:
    attempt_id: int
    username: str
    old_score: float
    new_score: float
    max_score: float


def regrade_item(item_id: str, dry_run: bool = False) -> list[ScoreChange]:
    """Rescore the graded attempts that showed this item; report each changed total."""
    current = db.session.scalar(
        select(ItemVersion).join(Item, and_(Item.id == ItemVersion.item_id,
                                            Item.current_version == ItemVersion.version))
        .where(Item.id == item_id)
    )
    if current is None:
        raise UnknownItem(item_id)
    rows = db.session.execute(
        select(AttemptItem, Attempt, User.username)
        .join(ItemVersion, ItemVersion.id == AttemptItem.item_version_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(User, User.id == Attempt.user_id)
        .where(ItemVersion.item_id == item_id, Attempt.status == AttemptStatus.GRADED)
        .options(selectinload(AttemptItem.item_version))
        .order_by(Attempt.id)
    ).all()
    changes = []
    if kind_of(current.kind).needs_grader:
        return changes  # a person's grade stands: nothing here to score again
    for row, attempt, username in rows:
        new = scoring.score_item(scoring.ScoringInput(
            code=row.code, kind=current.kind, key=tuple(current.content["key"]),
            option_ids=tuple(row.option_order),
            response=tuple(row.response) if row.response else None, weight=row.max_score,
            content=current.content,
        )).score
        old_row = row.score or 0.0
        if abs(new - old_row) < 1e-9:
            continue
        old_total = attempt.score or 0.0
        new_total = round(old_total - old_row + new, 6)
        changes.append(ScoreChange(attempt.id, username, old_total, new_total,
                                   attempt.max_score or 0.0))
        if not dry_run:
            row.score = new
            attempt.score = new_total
    db.session.flush()
    if changes and not dry_run:
        users = {attempt.user_id for _, attempt, _ in rows}
        rollups.rebuild(user_ids=users)
        abilities.rebuild(utcnow(), users)
    return changes
