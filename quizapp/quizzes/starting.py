"""The statements of starting an attempt, kept few for the exam-day rush (service: flush,
never commit).

A start reads the quiz with the cadre's state in it (one query), draws (`drawing.py`), reads
the drawn items' current versions without their content (one query: each version's option
ids come from the process-wide cache of immutable versions, `bank.versions`), and writes the
attempt and its rows (two statements). The attempt is inserted unless one is already in
progress for the same quiz or assignment, so concurrent starts need no savepoint.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, bindparam, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import make_transient_to_detached

from ..bank import revision, versions
from ..bank.models import Item, ItemVersion, Quiz
from ..extensions import db
from ..kinds import kind_of
from .bank_pools import PoolItem
from .models import Attempt, AttemptItem, AttemptStatus


def same_context(quiz_id: str, assignment_id: int | None) -> Any:
    """Practice attempts of a quiz, or the attempts of one assignment."""
    if assignment_id is None:
        return and_(Attempt.quiz_id == quiz_id, Attempt.assignment_id.is_(None))
    return Attempt.assignment_id == assignment_id


def _quiz_and_state_query(mine: Any) -> Select:
    in_progress = (
        select(Attempt.id)
        .where(mine, Attempt.status == AttemptStatus.IN_PROGRESS)
        .limit(1)
        .scalar_subquery()
    )
    used = (
        select(func.count(Attempt.id))
        .where(mine, Attempt.status != AttemptStatus.IN_PROGRESS)
        .scalar_subquery()
    )
    return select(Quiz, in_progress, used, revision.CURRENT).where(
        Quiz.id == bindparam("quiz_id"))


# Every statement of a start is built once, with its cache key (building one per start cost
# more than sending it).
_QUIZ_AND_STATE = {
    "practice": _quiz_and_state_query(
        and_(
            Attempt.user_id == bindparam("user_id"),
            Attempt.quiz_id == bindparam("quiz_id"),
            Attempt.assignment_id.is_(None),
        )
    ),
    "assignment": _quiz_and_state_query(
        and_(
            Attempt.user_id == bindparam("user_id"),
            Attempt.assignment_id == bindparam("assignment_id"),
        )
    ),
}
_CURRENT_VERSIONS = (
    select(Item.id, ItemVersion.id, Item.code, ItemVersion.kind, ItemVersion.content_hash)
    .join(
        ItemVersion,
        and_(ItemVersion.item_id == Item.id, ItemVersion.version == Item.current_version),
    )
    .where(Item.id.in_(bindparam("item_ids", expanding=True)))
)
# On the table, not the entity: the ORM's INSERT … RETURNING of an entity cost more than the
# statement (240 against 90 µs here, with building the object below).
_INSERT_ATTEMPT = {
    name: dialect.insert(Attempt.__table__).on_conflict_do_nothing()
    .returning(Attempt.__table__.c.id)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}
_INSERT_ROWS = insert(AttemptItem.__table__)
# The columns an attempt starts without (all NULL until it is handed in and graded).
_NOT_YET = {c.key: None for c in Attempt.__table__.c if c.key in (
    "submitted_at", "graded_at", "score", "max_score", "self_rating")}


class StartState(NamedTuple):
    quiz: Quiz | None
    open_attempt_id: int | None  # the cadre's attempt in progress in this context
    attempts_over: int
    bank_revision: str | None  # the token the process's kept pools are checked against


def quiz_and_state(user_id: int, quiz_id: str, assignment_id: int | None) -> StartState:
    """The quiz, the cadre's attempt in progress in this context, how many of his attempts
    in it are over, and the bank's revision, in one query."""
    context = "practice" if assignment_id is None else "assignment"
    found = db.session.execute(
        _QUIZ_AND_STATE[context],
        {"user_id": user_id, "quiz_id": quiz_id, "assignment_id": assignment_id},
    ).first()
    if found is None:
        return StartState(None, None, 0, None)
    return StartState(found[0], found[1], found[2] or 0, found[3])


def drawn_rows(chosen: Sequence[str], seed: int, shuffle_options: bool,
               known: Mapping[str, PoolItem] = MappingProxyType({})) -> list[dict[str, Any]]:
    """The attempt's rows for the chosen items, in order: each at its item's current version
    (from `known`, the pool it was drawn from, or else read), its options in the order shown
    (seeded by the kind)."""
    current = {item_id: (p.version_id, p.code, p.kind, p.content_hash)
               for item_id in chosen if (p := known.get(item_id)) is not None}
    if len(current) < len(chosen):
        current.update(
            (item_id, (version_id, code, kind, content_hash))
            for item_id, version_id, code, kind, content_hash in db.session.execute(
                _CURRENT_VERSIONS, {"item_ids": [i for i in chosen if i not in current]}))
    content = versions.contents((v, content_hash) for v, _, _, content_hash in current.values())
    rows = []
    for position, item_id in enumerate(chosen, start=1):
        version_id, code, kind_name, _ = current[item_id]
        kind = kind_of(kind_name)
        option_ids = [o["id"] for o in content[version_id]["options"]]
        rows.append(
            {
                "position": position,
                "item_version_id": version_id,
                "code": code,
                "option_order": kind.option_order(option_ids, seed, position)
                if shuffle_options
                else option_ids,
                "max_score": 1.0 if kind.is_scored else 0.0,
            }
        )
    return rows


def insert_attempt(values: dict[str, Any], rows: list[dict[str, Any]]) -> Attempt | None:
    """Write the attempt and its rows; None (and nothing written) when the cadre already has
    one in progress in the same context (another request started it a moment ago)."""
    connection = db.session.connection()
    attempt_id = connection.execute(_INSERT_ATTEMPT[connection.dialect.name], values).scalar()
    if attempt_id is None:
        return None
    # Core's executemany, without the ORM's bulk-insert bookkeeping.
    connection.execute(_INSERT_ROWS, [{**row, "attempt_id": attempt_id} for row in rows])
    # The session gets the attempt as if it had read it back: every column known, none to
    # write.
    attempt = Attempt(id=attempt_id, **values, **_NOT_YET)
    make_transient_to_detached(attempt)
    db.session.add(attempt)
    return attempt
