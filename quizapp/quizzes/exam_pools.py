"""Secure item pools for exams. Flush, never commit.

An exam is an assignment whose keys stay secret after an attempt is handed in. When one is
created it reserves a pool of items (POOL_FACTOR times what it draws per code, so that cadres
sitting it side by side see different items). While the exam is open or still to come, its
pool is *secured*: practice and other assignments never draw those items, and no review or
practice feedback shows their keys, so a key cannot be read off a practice attempt.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..bank.models import Item, Quiz
from ..cohorts.models import Assignment
from ..extensions import db
from .settings import QuizSettings

# Each cadre sees `count` of `POOL_FACTOR × count` items per code: exposure is spread out.
POOL_FACTOR = 2


# Built once: every start and every review sends it.
_EXAM_POOLS = select(Assignment.id, Assignment.settings, Assignment.item_pool).where(
    Assignment.item_pool.is_not(None))


def secured_item_ids(now: datetime, except_assignment_id: int | None = None) -> set[str]:
    """Items of every live exam's pool (one query; exams are few)."""
    return live_pools(db.session.execute(_EXAM_POOLS), now, except_assignment_id)


def live_pools(pools: Iterable[tuple[Any, dict[str, Any], list[str]]], now: datetime,
               except_assignment_id: int | None = None) -> set[str]:
    """The items of those pools (assignment id, its settings, its pool) whose exam is live."""
    secured: set[str] = set()
    for assignment_id, settings, pool in pools:
        exam = QuizSettings.from_dict(settings)
        if int(assignment_id) != except_assignment_id and exam.keeps_keys_secret \
                and exam.is_live(now):
            secured.update(pool)
    return secured


def reserve_pool(quiz: Quiz, now: datetime) -> list[str]:
    """Pick the exam's items: per draw rule, POOL_FACTOR × count live items of the code,
    preferring items no other live exam holds."""
    taken = secured_item_ids(now)
    codes = [rule["code"] for rule in quiz.draw]
    by_code: dict[str, list[str]] = {}
    for item_id, code in db.session.execute(
            select(Item.id, Item.code).where(Item.code.in_(codes), Item.drawable(),
                                             Item.questionnaire_id.is_(None))
            .order_by(Item.id)):
        by_code.setdefault(code, []).append(item_id)
    rng = secrets.SystemRandom()  # the pool is a secret: an unpredictable choice
    pool: list[str] = []
    for rule in quiz.draw:
        free = [i for i in by_code.get(rule["code"], []) if i not in taken and i not in pool]
        held = [i for i in by_code.get(rule["code"], []) if i in taken and i not in pool]
        rng.shuffle(free)
        rng.shuffle(held)
        pool.extend((free + held)[: POOL_FACTOR * rule["count"]])
    return sorted(pool)


def secure_if_exam(assignment: Assignment, quiz: Quiz, settings: QuizSettings,
                   now: datetime) -> None:
    """Give an exam its pool (once); other assignments draw from the whole bank."""
    if settings.keeps_keys_secret and assignment.item_pool is None:
        assignment.item_pool = reserve_pool(quiz, now)


def withheld(item_ids: Iterable[str], now: datetime,
             except_assignment_id: int | None = None) -> set[str]:
    """Which of these items a review must not explain right now."""
    wanted = set(item_ids)
    return wanted & secured_item_ids(now, except_assignment_id) if wanted else set()
