"""Keep CodeRollup up to date: add a graded attempt, or rebuild from the answers (regrade,
bulk loads). Flush, never commit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from ..dates import month_of
from ..extensions import db
from .models import Attempt, AttemptItem, AttemptStatus, CodeRollup, counts_as_evidence


def _upsert(rows: Sequence[dict]) -> None:
    """Add to existing rollup rows, or create them: one statement on either database."""
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(CodeRollup).values(list(rows))
    new = statement.excluded  # (by key: `.items` is the collection's own method)
    statement = statement.on_conflict_do_update(
        index_elements=["user_id", "code", "month"],
        set_={
            "earned": CodeRollup.earned + new["earned"],
            "possible": CodeRollup.possible + new["possible"],
            "items": CodeRollup.items + new["items"],
        },
    )
    db.session.execute(statement)


def add_attempt(attempt: Attempt, rows: Iterable[AttemptItem]) -> None:
    """Count a freshly graded attempt's scored items into its cadre's rollups."""
    totals: dict[str, list[float]] = {}
    for row in rows:
        if row.max_score <= 0:
            continue  # self-assessment ratings carry no points
        entry = totals.setdefault(row.code, [0.0, 0.0, 0])
        entry[0] += row.score or 0.0
        entry[1] += row.max_score
        entry[2] += 1
    month = month_of(attempt.graded_at or attempt.submitted_at or attempt.started_at)
    _upsert([{"user_id": attempt.user_id, "code": code, "month": month, "earned": earned,
              "possible": possible, "items": int(items)}
             for code, (earned, possible, items) in totals.items()])


def rebuild(user_ids: Iterable[int] | None = None) -> None:
    """Recompute rollups from the answers, for some cadres or for everyone."""
    ids = None if user_ids is None else sorted(set(user_ids))
    removal = delete(CodeRollup)
    if ids is not None:
        removal = removal.where(CodeRollup.user_id.in_(ids))
    db.session.execute(removal)
    query = (
        select(Attempt.user_id, AttemptItem.code, Attempt.graded_at, AttemptItem.score,
               AttemptItem.max_score)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.status == AttemptStatus.GRADED, AttemptItem.max_score > 0,
               counts_as_evidence())
    )
    if ids is not None:
        query = query.where(Attempt.user_id.in_(ids))
    totals: dict[tuple[int, str, date], list[float]] = {}
    for user_id, code, graded_at, score, max_score in db.session.execute(query):
        entry = totals.setdefault((user_id, code, month_of(graded_at)), [0.0, 0.0, 0])
        entry[0] += score or 0.0
        entry[1] += max_score
        entry[2] += 1
    rows = [{"user_id": u, "code": c, "month": m, "earned": e, "possible": p, "items": int(n)}
            for (u, c, m), (e, p, n) in totals.items()]
    for start in range(0, len(rows), 1000):
        _upsert(rows[start:start + 1000])
    db.session.flush()

