"""URL converters shared by every blueprint."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

# The largest id the database's INTEGER columns hold (PostgreSQL's int4).
MAX_ID = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """`<int:…>` that matches only ids a column can hold: a larger number is simply not
    found (404) instead of reaching the database and failing there (500)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)
