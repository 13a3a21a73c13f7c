"""Item versions' content, decoded once per process and shared (service: reads only).

A version never changes once written (attempts point at the exact version they showed), so
pages that show or score items need not load and decode its JSON content on every request:
they load versions with their content deferred (`.defer(ItemVersion.content)` on the loader
option) and call `fill_content()`, which takes the content from a bounded cache and reads only
what this process has not seen yet, in one query.

The cache is keyed by the version's id *and* its content hash, so an id that comes back with
other content (a database emptied and filled again, as tests do) is never served the old one.
The shared content is read-only: nothing may change it in place.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from cachetools import LRUCache
from sqlalchemy import inspect, select
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from .models import ItemVersion

# A few thousand versions of a few kilobytes each: the whole bank, several times over.
_CONTENT: LRUCache[tuple[int, str], dict[str, Any]] = LRUCache(maxsize=4096)
_LOCK = threading.Lock()


def fill_content(versions: Iterable[ItemVersion]) -> None:
    """Give each version loaded without its content that content: from the cache, and the
    rest in one query (then cached)."""
    waiting = [v for v in versions if "content" in inspect(v).unloaded]
    if not waiting:
        return
    found = contents((v.id, v.content_hash) for v in waiting)
    for version in waiting:
        set_committed_value(version, "content", found[version.id])


def contents(keys: Iterable[tuple[int, str]]) -> dict[int, dict[str, Any]]:
    """The content of each version named by (id, content hash): from the cache, and the rest
    in one query (then cached)."""
    found: dict[int, dict[str, Any]] = {}
    missing: set[int] = set()
    with _LOCK:
        for key in keys:
            content = _CONTENT.get(key)
            if content is None:
                missing.add(key[0])
            else:
                found[key[0]] = content
    if missing:
        rows = db.session.execute(
            select(ItemVersion.id, ItemVersion.content_hash, ItemVersion.content).where(
                ItemVersion.id.in_(missing)
            )
        ).all()
        with _LOCK:
            for version_id, content_hash, content in rows:
                _CONTENT[(version_id, content_hash)] = content
                found[version_id] = content
    return found


def clear() -> None:
    """Forget every cached content (tests that check a cold start)."""
    with _LOCK:
        _CONTENT.clear()
