"""Cohort leaderboards of challenge runs: off unless the cohort's coordinator turns them on,
and shown only to the cohort's own members (display names stay within the cohort)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ..auth.models import User
from ..cohorts.models import Cohort, Membership
from ..extensions import db
from .models import ChallengeLeaderboard, ChallengeRun

TOP = 10


def set_enabled(cohort: Cohort, enabled: bool, actor: User, now: datetime) -> None:
    row = db.session.get(ChallengeLeaderboard, cohort.id)
    if enabled and row is None:
        db.session.add(
            ChallengeLeaderboard(cohort_id=cohort.id, enabled_by_id=actor.id, enabled_at=now)
        )
    elif not enabled and row is not None:
        db.session.delete(row)
    db.session.flush()


@dataclass(frozen=True)
class Entry:
    rank: int
    display_name: str
    best: int
    is_viewer: bool


@dataclass(frozen=True)
class Board:
    cohort: Cohort
    entries: list[Entry]


def boards_for_member(user_id: int) -> list[Board]:
    """The leaderboards of the viewer's own cohorts that have one on: each member's best run,
    the best first (equal bests share a rank), at most TOP rows plus the viewer's own."""
    cohorts = list(
        db.session.scalars(
            select(Cohort)
            .join(ChallengeLeaderboard, ChallengeLeaderboard.cohort_id == Cohort.id)
            .join(Membership, Membership.cohort_id == Cohort.id)
            .where(Membership.user_id == user_id)
            .order_by(Cohort.name)
        )
    )
    if not cohorts:
        return []
    cohort_ids = [c.id for c in cohorts]
    members = select(Membership.user_id).where(Membership.cohort_id.in_(cohort_ids))
    best = (
        select(ChallengeRun.user_id, func.max(ChallengeRun.correct).label("best"))
        .where(ChallengeRun.user_id.in_(members))
        .group_by(ChallengeRun.user_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Membership.cohort_id, Membership.user_id, User.display_name, best.c.best)
        .join(User, User.id == Membership.user_id)
        .join(best, best.c.user_id == Membership.user_id)
        .where(Membership.cohort_id.in_(cohort_ids), best.c.best > 0)
        .order_by(Membership.cohort_id, best.c.best.desc(), User.display_name)
    )
    per_cohort: dict[int, list[tuple[int, str, int]]] = {}
    for cohort_id, member_id, name, score in rows:
        per_cohort.setdefault(cohort_id, []).append((member_id, name, score))
    return [Board(cohort, _ranked(per_cohort.get(cohort.id, []), user_id)) for cohort in cohorts]


def _ranked(rows: list[tuple[int, str, int]], viewer_id: int) -> list[Entry]:
    entries, rank, previous = [], 0, None
    for position, (member_id, name, score) in enumerate(rows, start=1):
        if score != previous:
            rank, previous = position, score
        if position <= TOP or member_id == viewer_id:
            entries.append(Entry(rank, name, score, member_id == viewer_id))
    return entries
