"""Secure item pools for exams. Flush, never commit.

An exam is an assignment whose keys stay secret after an attempt is handed in. When one is
created it reserves a pool of items (POOL_FACTOR times what it draws per code, so that cadres
sitting it side by side see different items). While the exam is open or still to come, its
pool is *secured*: practice and other assignments never draw those items, and no review or
practice feedback shows their keys, so a key cannot be read off a practice attempt.
"""

from __future__ import annotations

import secrets
import threading
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
# The pools as of a bank revision (`bank/revision.py`: an assignment written draws a new one),
# whichever exams are live: that is judged at each start, by its own clock.
_Pool = tuple[int, dict[str, Any], tuple[str, ...]]
_KEPT: dict[str, tuple[str, tuple[_Pool, ...]]] = {}
_LOCK = threading.Lock()


def secured_item_ids(now: datetime, except_assignment_id: int | None = None,
                     revision: str | None = None) -> set[str]:
    """Items of every live exam's pool (one query; exams are few). Given the bank's revision,
    read in the same transaction, the pools are kept by the process until it changes."""
    return live_pools(_pools(revision), now, except_assignment_id)


def _pools(revision: str | None) -> tuple[_Pool, ...]:
    if revision is not None:
        with _LOCK:
            kept = _KEPT.get("pools")
        if kept is not None and kept[0] == revision:
            return kept[1]
    # Read after the token: what is kept is never older than the token it is kept under.
    pools = tuple((assignment_id, settings, tuple(pool))
                  for assignment_id, settings, pool in db.session.execute(_EXAM_POOLS))
    if revision is not None:
        with _LOCK:
            _KEPT["pools"] = (revision, pools)
    return pools


def clear() -> None:
    """Forget the kept pools (tests that check a cold start)."""
    with _LOCK:
        _KEPT.clear()


def live_pools(pools: Iterable[tuple[Any, dict[str, Any], Iterable[str]]], now: datetime,
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
