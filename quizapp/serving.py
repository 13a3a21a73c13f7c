"""What a serving process does once its app is built (wsgi.py), before the first request."""

from __future__ import annotations

import gc

# Young collections after 10,000 net allocations instead of Python's 700: a page allocates
# thousands of short-lived objects (rows, template output, the cyclic ones of a first
# render's skeletons), and at 700 the collector ran several times per request.
YOUNG_COLLECTION_THRESHOLD = 10_000


def settle_for_serving() -> None:
    """Move everything built at start-up (modules, the app, SQLAlchemy's mappings, compiled
    templates) out of the collector's sight: it lives as long as the process, yet every full
    collection walked it. Measured on the first views of 40 quiz pages: the collector took
    137 of 304 ms before, 5–10 ms after (docs/benchmarks.md, "The garbage collector")."""
    gc.collect()  # start-up's own garbage first: whatever is frozen is never collected
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, older, oldest)
