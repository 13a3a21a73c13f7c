"""Which items a new attempt shows: a self-assessment's statements, an adaptive diagnostic's
first item, or a draw from the bank by the quiz's rules (the pure draw is `selection.py`).
Reads only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from sqlalchemy import bindparam, select

from ..bank.models import Item, ItemVersion, Quiz
from ..extensions import db
from ..kinds import kind_of
from . import adaptive
from .bank_pools import PoolItem
from .models import Attempt, AttemptItem
from .selection import DrawSpec, draw_items
from .settings import QuizSettings

# Built once: every start sends them (building them cost as much as sending them).
_SEEN = (
    select(ItemVersion.item_id).distinct()
    .join(AttemptItem, AttemptItem.item_version_id == ItemVersion.id)
    .join(Attempt, Attempt.id == AttemptItem.attempt_id)
    .where(Attempt.user_id == bindparam("user_id"))
)


def seen_item_ids(user_id: int) -> set[str]:
    """Every item the cadre has been shown, in any attempt."""
    return set(db.session.scalars(_SEEN, {"user_id": user_id}))


# The pool of an assignment's local items (never a code: codes have no slash).
LOCAL_POOL = "local/"


def rule_key(rule: Mapping[str, Any]) -> str:
    return f"{rule['code']}/{rule.get('kind', '')}"


def choose_items(user_id: int, quiz: Quiz, settings: QuizSettings, seed: int,
                  allowed: set[str] | None, secured: set[str],
                  local_items: Sequence[str] = (),
                  bank: Mapping[str, PoolItem] = MappingProxyType({})) -> list[str]:
    """A self-assessment shows all its statements in order; a quiz draws from the shared bank
    (`bank`: the drawable items of its codes; an exam from its own pool, `allowed`; anything
    else leaves live exams' items out) and adds an assignment's `local_items` (its
    coordinator's own, already vetted) among them."""
    if quiz.is_adaptive:  # one item to begin with; each next one chosen as the cadre goes
        return adaptive.first_item(quiz, seed, secured)
    if quiz.is_self_assessment:
        return list(db.session.scalars(
            select(Item.id).where(Item.drawable(), Item.questionnaire_id == quiz.id)
            .order_by(Item.id)
        ))
    # One pool per rule: its code, and its kind or else every kind a program scores.
    pool: dict[str, list[str]] = {}
    rules = [DrawSpec(rule_key(rule), rule["count"]) for rule in quiz.draw]
    if local_items:
        pool[LOCAL_POOL] = list(local_items)
        rules.append(DrawSpec(LOCAL_POOL, len(local_items)))  # all of them, shuffled in
    for item_id, code, kind, _, _ in bank.values():
        if (allowed is None or item_id in allowed) and item_id not in secured:
            for rule in quiz.draw:
                if rule["code"] == code and (rule.get("kind") == kind or (
                        "kind" not in rule and not kind_of(kind).needs_grader)):
                    pool.setdefault(rule_key(rule), []).append(item_id)
    chosen = draw_items(pool, rules, seen_item_ids(user_id), seed)
    return chosen if settings.shuffle_items else sorted(chosen)
