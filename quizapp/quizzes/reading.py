"""Reading an attempt with its rows: the pages' hot path (service: reads only).

Each function sends one query. A row's version comes without its JSON content, which is
taken from the process-wide cache of immutable versions (`bank.versions`), so a page costs
neither a query per table nor the decoding of every question it shows.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..bank import versions
from ..bank.models import ItemVersion
from ..extensions import db
from .models import Attempt, AttemptItem


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
_WITH_ITEMS = (
    select(Attempt, AttemptItem)
    .outerjoin(AttemptItem, AttemptItem.attempt_id == Attempt.id)
    .outerjoin(ItemVersion, ItemVersion.id == AttemptItem.item_version_id)
    .options(contains_eager(AttemptItem.item_version).load_only(*_VERSION_COLUMNS)
             .lazyload(ItemVersion.item))
    .where(Attempt.id == bindparam("attempt_id"))
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


def attempt_with_items(attempt_id: int) -> tuple[Attempt | None, list[AttemptItem]]:
    """The attempt, its quiz and its items with their versions, in one query."""
    found = db.session.execute(_WITH_ITEMS, {"attempt_id": attempt_id}).all()
    if not found:
        return None, []
    attempt = found[0].Attempt
    return attempt, belonging_to(attempt, [r.AttemptItem for r in found if r.AttemptItem])


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
