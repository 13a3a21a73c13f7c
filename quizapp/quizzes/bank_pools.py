"""What a start draws from: the shared bank's drawable items of a quiz's codes, each at its
current version, read once per bank revision and kept by the process (service: reads only).

On exam day every cadre starts the same few quizzes, and the pools they draw from change only
when the bank does; keeping them turns two queries of every start (the pool, then the drawn
items' current versions) into none. The exams' secured pools are kept the same way
(`exam_pools.py`; which of them are live is judged at each start); the items the cadre has
seen are still read at each start.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import NamedTuple

from cachetools import LRUCache
from sqlalchemy import and_, bindparam, select

from ..bank.models import Item, ItemVersion
from ..extensions import db


class PoolItem(NamedTuple):
    item_id: str
    code: str
    kind: str
    version_id: int
    content_hash: str


_POOL = (
    select(Item.id, Item.code, ItemVersion.kind, ItemVersion.id, ItemVersion.content_hash)
    .join(ItemVersion, and_(ItemVersion.item_id == Item.id,
                            ItemVersion.version == Item.current_version))
    .where(Item.code.in_(bindparam("codes", expanding=True)), Item.drawable(),
           Item.questionnaire_id.is_(None))
    .order_by(Item.id)
)
# Quizzes draw from a dozen codes in a few combinations.
_KEPT: LRUCache[tuple[str, ...], tuple[str, Mapping[str, PoolItem]]] = LRUCache(maxsize=256)
_LOCK = threading.Lock()


def drawable_items(codes: Iterable[str], revision: str | None) -> Mapping[str, PoolItem]:
    """The drawable items of these codes by id, in id order, as of `revision` (the bank's
    token, read in the same transaction); read from the database when the process has not
    kept them at that revision. Shared: read-only.

    The pool is read after the token, so what is kept is never older than the token it is
    kept under (a newer pool only means one more read at the next start)."""
    key = tuple(sorted(set(codes)))
    if revision is not None:
        with _LOCK:
            kept = _KEPT.get(key)
        if kept is not None and kept[0] == revision:
            return kept[1]
    pool = MappingProxyType({row[0]: PoolItem(*row)
                             for row in db.session.execute(_POOL, {"codes": list(key)})})
    if revision is not None:
        with _LOCK:
            _KEPT[key] = (revision, pool)
    return pool


def clear() -> None:
    """Forget every kept pool (tests that check a cold start)."""
    with _LOCK:
        _KEPT.clear()
