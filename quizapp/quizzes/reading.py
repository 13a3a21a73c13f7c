"""Reading an attempt with its rows: the pages' hot path (service: reads only).

Each function sends one query (`attempt_page` two). A row's version comes without its JSON
content, which is taken from the process-wide cache of immutable versions (`bank.versions`),
so a page costs neither a query per table nor the decoding of every question it shows.

The quiz page and the result page only read: `attempt_page` gives them the attempt and its
rows as plain values (Core statements, no ORM objects, which cost more to build than the
statements to send). Anything that writes loads the ORM rows (`attempt_items`,
`attempt_with_item`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..bank import versions
from ..bank.models import ItemVersion, Quiz
from ..extensions import db
from .models import Attempt, AttemptFacts, AttemptItem


def belonging_to(attempt: Attempt, rows: list[AttemptItem]) -> list[AttemptItem]:
    """Hand each row its (already loaded) attempt and its version its content: the page needs
    the seed, and neither is ever lazy-loaded."""
    for row in rows:
        set_committed_value(row, "attempt", attempt)
    versions.fill_content(row.item_version for row in rows)
    return rows


# What the pages read of a row's version: the rest (its search text, review notes, its item
# row, joined by default) stays unloaded, and is read on access should anything need it.
_VERSION_COLUMNS = (ItemVersion.id, ItemVersion.item_id, ItemVersion.content_hash,
                    ItemVersion.kind)

# Built once: these run on every quiz page, result and autosave.
_ITEMS = (
    select(AttemptItem)
    .where(AttemptItem.attempt_id == bindparam("attempt_id"))
    .options(selectinload(AttemptItem.item_version).load_only(*_VERSION_COLUMNS)
             .lazyload(ItemVersion.item))
    .order_by(AttemptItem.position)
)
_WITH_ITEM = (
    select(Attempt, AttemptItem)
    .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
    .join(ItemVersion, ItemVersion.id == AttemptItem.item_version_id)
    .options(contains_eager(AttemptItem.item_version).load_only(*_VERSION_COLUMNS)
             .lazyload(ItemVersion.item))
    .where(Attempt.id == bindparam("attempt_id"), ItemVersion.item_id == bindparam("item_id"))
)


def attempt_items(attempt: Attempt) -> list[AttemptItem]:
    """The attempt's items with their versions, in order."""
    return belonging_to(attempt, list(db.session.scalars(_ITEMS, {"attempt_id": attempt.id})))


def attempt_with_item(attempt_id: int, item_id: str) -> tuple[Attempt, AttemptItem] | None:
    """The attempt and its row for a bank item (with its version), in one query; None when
    either does not exist."""
    found = db.session.execute(_WITH_ITEM, {"attempt_id": attempt_id, "item_id": item_id}).first()
    if found is None:
        return None
    return found.Attempt, belonging_to(found.Attempt, [found.AttemptItem])[0]


def find_attempt_item(attempt: Attempt, item_id: str) -> AttemptItem | None:
    """The attempt's row for a bank item, with its version."""
    found = attempt_with_item(attempt.id, item_id)
    return None if found is None else found[1]


# ------------------------------------------------------------ plain reads for the pages

_ATTEMPTS, _ROWS, _QUIZZES = Attempt.__table__, AttemptItem.__table__, Quiz.__table__
_VERSIONS = ItemVersion.__table__


def _values(names: Sequence[str], found: Sequence[Any], start: int = 0) -> dict[str, Any]:
    return dict(zip(names, found[start:start + len(names)], strict=True))


class ReadVersion:
    """The item version a row shows, as the pages read it (its content from the cache)."""

    __slots__ = ("content", "content_hash", "id", "item_id", "kind")

    def __init__(self, version_id: int, item_id: str, content_hash: str, kind: str) -> None:
        self.id, self.item_id, self.content_hash, self.kind = (version_id, item_id,
                                                               content_hash, kind)
        self.content: dict[str, Any] = {}


class ReadAttempt(AttemptFacts):
    """An attempt as plain values: every column of the table, and its quiz."""

    __slots__ = (*(c.key for c in _ATTEMPTS.c), "quiz")

    def __init__(self, values: dict[str, Any], quiz: Quiz) -> None:
        for name, value in values.items():
            setattr(self, name, value)
        self.quiz = quiz


class ReadRow:
    """An attempt's row as plain values: every column, its version and its attempt."""

    __slots__ = (*(c.key for c in _ROWS.c), "item_version", "attempt")

    def __init__(self, values: dict[str, Any], version: ReadVersion,
                 attempt: ReadAttempt) -> None:
        for name, value in values.items():
            setattr(self, name, value)
        self.item_version, self.attempt = version, attempt


_ATTEMPT_NAMES = tuple(c.key for c in _ATTEMPTS.c)
_QUIZ_NAMES = tuple(c.key for c in _QUIZZES.c)
_ROW_NAMES = tuple(c.key for c in _ROWS.c)
# Two statements rather than one join: a join repeats the attempt's and the quiz's JSON
# columns on every row, and decoding them ten times costs more than the second statement.
_PAGE_ATTEMPT = (select(_ATTEMPTS, _QUIZZES).join(_QUIZZES, _QUIZZES.c.id == _ATTEMPTS.c.quiz_id)
                 .where(_ATTEMPTS.c.id == bindparam("attempt_id")))
_PAGE_ROWS = (
    select(_ROWS, _VERSIONS.c.item_id, _VERSIONS.c.content_hash, _VERSIONS.c.kind)
    .join(_VERSIONS, _VERSIONS.c.id == _ROWS.c.item_version_id)
    .where(_ROWS.c.attempt_id == bindparam("attempt_id"))
    .order_by(_ROWS.c.position)
)


def attempt_page(attempt_id: int) -> tuple[ReadAttempt | None, list[ReadRow]]:
    """The attempt with its quiz, and its rows in order with their versions, as plain values
    for a page that only reads (two statements). The quiz is a transient ORM object: never
    added to the session, so nothing read here can be written back by accident."""
    connection = db.session.connection()
    found = connection.execute(_PAGE_ATTEMPT, {"attempt_id": attempt_id}).first()
    if found is None:
        return None, []
    quiz = Quiz(**_values(_QUIZ_NAMES, found, len(_ATTEMPT_NAMES)))
    attempt = ReadAttempt(_values(_ATTEMPT_NAMES, found), quiz)
    width = len(_ROW_NAMES)
    rows = []
    for row in connection.execute(_PAGE_ROWS, {"attempt_id": attempt_id}):
        values = _values(_ROW_NAMES, row)
        version = ReadVersion(values["item_version_id"], *row[width:width + 3])
        rows.append(ReadRow(values, version, attempt))
    content = versions.contents((r.item_version.id, r.item_version.content_hash) for r in rows)
    for read in rows:
        read.item_version.content = content[read.item_version.id]
    return attempt, rows
