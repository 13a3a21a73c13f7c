"""Taking an answer: when an attempt still takes one, and the autosave's statements in plain
rows (service: flushes nothing, never commits).

An autosave is the request a cadre's phone sends most on exam day: one answer, one item. It
reads what the answer is checked against (the attempt's owner, state and seed, the row's
options and its version's kind) in one query and writes the answer with a compare-and-set in
one UPDATE, both as Core statements on the tables: no ORM objects are built, which cost more
than the statements themselves (`docs/benchmarks.md`, "Plain rows, fewer round trips").
Practice mode, whose reply may carry the key and makes the answer final, takes the ORM path in
`services`, with the same compare-and-set.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple, Protocol

from sqlalchemy import bindparam, or_, select, update

from ..bank import versions
from ..bank.models import ItemVersion, Quiz
from ..extensions import db
from ..kinds import InvalidAnswer as KindRefused
from ..kinds import Shown, kind_of
from .models import (
    Attempt,
    AttemptClosed,
    AttemptItem,
    AttemptStatus,
    Confidence,
    DeadlinePassed,
    InvalidAnswer,
)
from .settings import QuizSettings

_ATTEMPTS, _ROWS, _VERSIONS = Attempt.__table__, AttemptItem.__table__, ItemVersion.__table__


class _AttemptState(Protocol):
    id: int
    status: AttemptStatus
    deadline_at: datetime | None


def is_past_deadline(attempt: _AttemptState, now: datetime, grace: timedelta) -> bool:
    return attempt.deadline_at is not None and now > attempt.deadline_at + grace


def ensure_accepting_answers(attempt: _AttemptState, now: datetime, grace: timedelta) -> None:
    """Answers are taken while the attempt is open and, after the deadline, during the sync
    grace (for answers made in time but sent late over a weak connection)."""
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise AttemptClosed(f"attempt {attempt.id} is {attempt.status}")
    if is_past_deadline(attempt, now, grace):
        raise DeadlinePassed(f"attempt {attempt.id} passed its deadline")


class AnswerTarget(NamedTuple):
    """What one autosave is checked against: the attempt (its owner, state, seed and rules)
    and its row for the item (options as shown, the saved answer) with the version's kind."""

    id: int  # the attempt's
    user_id: int
    status: AttemptStatus
    deadline_at: datetime | None
    seed: int
    settings: QuizSettings
    row_id: int
    position: int
    option_order: tuple[str, ...]
    checked_at: datetime | None
    kind: str
    content: dict[str, Any]


class StoredAnswer(NamedTuple):
    response: list[str] | None
    seq: int | None
    is_applied: bool  # False when a newer answer (by sequence number) or a final one won


# Built once: every autosave runs them.
_TARGET = (
    select(_ATTEMPTS.c.user_id, _ATTEMPTS.c.status, _ATTEMPTS.c.deadline_at, _ATTEMPTS.c.seed,
           _ATTEMPTS.c.settings, Quiz.__table__.c.settings, _ROWS.c.id, _ROWS.c.position,
           _ROWS.c.option_order, _ROWS.c.checked_at, _VERSIONS.c.id, _VERSIONS.c.content_hash,
           _VERSIONS.c.kind)
    .join(Quiz.__table__, Quiz.__table__.c.id == _ATTEMPTS.c.quiz_id)
    .join(_ROWS, _ROWS.c.attempt_id == _ATTEMPTS.c.id)
    .join(_VERSIONS, _VERSIONS.c.id == _ROWS.c.item_version_id)
    .where(_ATTEMPTS.c.id == bindparam("attempt_id"), _VERSIONS.c.item_id == bindparam("item_id"))
)
_STORED = select(_ROWS.c.response, _ROWS.c.client_seq).where(_ROWS.c.id == bindparam("row_id"))


def _save_statement(with_confidence: bool) -> Any:
    """The autosave's compare-and-set (this path's and the ORM one's in `services`): applied
    only when no newer answer (by sequence number) is saved and the key was not shown, so a
    stale replay racing a newer answer never overwrites it, in whatever order they arrive."""
    values: dict[str, Any] = {"response": bindparam("new_response"),
                              "client_seq": bindparam("seq"),
                              "answered_at": bindparam("now")}
    if with_confidence:
        values["confidence"] = bindparam("new_confidence")
    return (
        update(_ROWS)
        .where(_ROWS.c.id == bindparam("row_id"), _ROWS.c.checked_at.is_(None),
               or_(_ROWS.c.client_seq.is_(None), _ROWS.c.client_seq < bindparam("seq")))
        .values(**values).returning(_ROWS.c.id)
    )


SAVE_ANSWER = {with_confidence: _save_statement(with_confidence)
               for with_confidence in (False, True)}


def answer_target(attempt_id: int, item_id: str) -> AnswerTarget | None:
    """The attempt and its row for a bank item, in one query; None when either is missing."""
    found = db.session.connection().execute(
        _TARGET, {"attempt_id": attempt_id, "item_id": item_id}).first()
    if found is None:
        return None
    (user_id, status, deadline_at, seed, settings, quiz_settings, row_id, position,
     option_order, checked_at, version_id, content_hash, kind) = found
    content = versions.contents([(version_id, content_hash)])[version_id]
    return AnswerTarget(attempt_id, user_id, status, deadline_at, seed,
                        QuizSettings.from_dict(settings or quiz_settings), row_id, position,
                        tuple(option_order), checked_at, kind, content)


def save_answer(target: AnswerTarget, response: Sequence[str], seq: int, now: datetime,
                grace: timedelta, confidence: Confidence | None = None) -> StoredAnswer:
    """Save one answer (and the confidence marked with it) unless a newer one is saved or its
    key was shown; what is stored afterwards. Raises AttemptClosed, DeadlinePassed or
    InvalidAnswer."""
    ensure_accepting_answers(target, now, grace)
    try:
        value = kind_of(target.kind).clean(
            Shown(target.content, target.option_order, target.seed, target.position), response)
    except KindRefused as refused:
        raise InvalidAnswer(f"item {target.position}: {refused}") from None
    connection = db.session.connection()
    applied = connection.execute(SAVE_ANSWER[confidence is not None], {
        "row_id": target.row_id, "seq": seq, "new_response": value, "now": now,
        "new_confidence": confidence}).first() is not None
    if applied:
        return StoredAnswer(value, seq, True)
    stored = connection.execute(_STORED, {"row_id": target.row_id}).first()
    return StoredAnswer(stored.response, stored.client_seq, False)
