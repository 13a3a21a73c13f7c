"""Which items a day's practice set shows, in what order (pure).

每日一练 holds at most five items: first those due for spaced review (most overdue first),
then items aimed at the cadre's weakest ability (nearest his estimate in difficulty), then
items he has never seen. A review set is the due items alone.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

DAILY_SIZE = 5
REVIEW_SIZE = 10


@dataclass(frozen=True)
class Candidate:
    item_id: str
    code: str
    # On the logit scale of the ability estimates: the calibrated mean step difficulty, or,
    # for an item not calibrated yet, the one its writer's label implies.
    difficulty: float


def weakest_code(estimates: Mapping[str, float], mastery: Mapping[str, float]) -> str | None:
    """The code to aim at: the lowest ability estimate; without any estimate, the lowest
    mastery (share of points); without either, none. Ties go to the first code by name."""
    for figures in (estimates, mastery):
        if figures:
            return min(sorted(figures), key=lambda code: figures[code])
    return None


def aimed_at(candidates: Iterable[Candidate], target: float | None) -> list[str]:
    """Items nearest the target difficulty first (an item near one's ability is the one that
    teaches most); without a target, the easiest first."""
    if target is None:
        ordered = sorted(candidates, key=lambda c: (c.difficulty, c.item_id))
    else:
        ordered = sorted(candidates, key=lambda c: (abs(c.difficulty - target), c.item_id))
    return [c.item_id for c in ordered]


def shuffled(item_ids: Iterable[str], seed: int) -> list[str]:
    """New items in an order of their own per cadre and day (not the bank's order)."""
    ordered = sorted(set(item_ids))
    # Which new item comes first is no secret: a seeded, repeatable order is what we want.
    random.Random(seed).shuffle(ordered)  # noqa: S311  # nosec B311
    return ordered


def compose(sections: Sequence[Sequence[str]], limit: int) -> list[str]:
    """The sections in order (e.g. due, aimed, new), each item once, at most `limit`."""
    chosen: list[str] = []
    for section in sections:
        for item_id in section:
            if len(chosen) == limit:
                return chosen
            if item_id not in chosen:
                chosen.append(item_id)
    return chosen
