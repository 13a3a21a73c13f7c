"""The rules of a challenge run (pure: no Flask, no database).

A run shows one item at a time, each with its own timer kept by the server. A right answer
(full marks) brings the next item; a wrong or partly right one, or an item whose time ran out,
ends the run. The run's result is the number of items answered right in a row: a run is never
worth more for being long in any other way, and the personal best is the best run, not a sum.
"""

from __future__ import annotations

import random
from collections.abc import Sequence, Set
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from ..kinds import AnswerShape, Kind

# Items are answered by choosing (one option, or several): pairing, rating every option or
# typing takes far longer than an item's seconds, so those kinds stay out of challenges.
CHOICE_SHAPES = frozenset({AnswerShape.ONE, AnswerShape.MANY})

# Difficulty labels rise as the run goes on: the first items are easy, later ones harder.
TIERS: tuple[tuple[int, int], ...] = ((5, 1), (12, 2))  # up to position n: label d
TOP_TIER = 3


class EndReason(StrEnum):
    WRONG = "wrong"  # the first answer that was not fully right
    TIMEOUT = "timeout"  # an item's time ran out (and its grace) before an answer came
    STOPPED = "stopped"  # the cadre ended the run himself
    CLEARED = "cleared"  # every item that could be drawn was answered right


@dataclass(frozen=True)
class Timing:
    """An item's seconds, and how late an answer made in time may still arrive (a short
    sync grace: a challenge item lasts seconds, not the quiz's minutes)."""

    item_seconds: int = 20
    grace_seconds: int = 3

    def deadline(self, shown_at: datetime) -> datetime:
        return shown_at + timedelta(seconds=self.item_seconds)

    @property
    def grace(self) -> timedelta:
        return timedelta(seconds=self.grace_seconds)

    def has_run_out(self, deadline: datetime | None, now: datetime) -> bool:
        """The item's time and its grace are over: no answer is taken any more."""
        return deadline is None or now > deadline + self.grace


def fits_challenge(kind: Kind) -> bool:
    """Automatically scored and answered by choosing."""
    return kind.is_scored and not kind.needs_grader and kind.shape in CHOICE_SHAPES


def tier_for(position: int) -> int:
    for last_position, label in TIERS:
        if position <= last_position:
            return label
    return TOP_TIER


@dataclass(frozen=True)
class Candidate:
    item_id: str
    difficulty: int


def choose_next(
    candidates: Sequence[Candidate], shown: Set[str], position: int, rng: random.Random
) -> str | None:
    """An item not yet shown in this run, at the position's difficulty or the nearest one
    (the harder first on a tie); None when every item has been shown."""
    left = [c for c in candidates if c.item_id not in shown]
    if not left:
        return None
    target = tier_for(position)
    nearest = min(left, key=lambda c: (abs(c.difficulty - target), -c.difficulty)).difficulty
    pool = sorted(c.item_id for c in left if c.difficulty == nearest)
    return rng.choice(pool)


def run_rng(seed: int, position: int) -> random.Random:
    """Seeded per run and position: the same run draws the same way if asked again."""
    return random.Random(seed * 7919 + position)  # noqa: S311  # nosec B311
