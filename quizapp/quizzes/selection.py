"""Which items an attempt shows, and in what order (pure, seeded)."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..bank.kinds import QuestionKind


@dataclass(frozen=True)
class DrawSpec:
    code: str
    count: int


def draw_items(
    pool_by_code: Mapping[str, Sequence[str]],
    rules: Iterable[DrawSpec],
    seen: set[str],
    seed: int,
) -> list[str]:
    """Draw `count` item ids per code, unseen items first, then shuffle the whole list."""
    # The order of questions is not a secret: a seeded, repeatable generator is what we want.
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    chosen: list[str] = []
    for rule in rules:
        pool = sorted(set(pool_by_code.get(rule.code, ())) - set(chosen))
        unseen = [i for i in pool if i not in seen]
        already = [i for i in pool if i in seen]
        rng.shuffle(unseen)
        rng.shuffle(already)
        chosen.extend((unseen + already)[: rule.count])
    rng.shuffle(chosen)
    return chosen


def option_order(
    option_ids: Sequence[str], kind: QuestionKind, seed: int, position: int
) -> list[str]:
    """The order in which options are shown; true/false and rating scales keep theirs."""
    if kind in (QuestionKind.TRUE_FALSE, QuestionKind.LIKERT):
        return list(option_ids)
    rng = random.Random(seed * 1009 + position)  # noqa: S311  # nosec B311
    order = list(option_ids)
    rng.shuffle(order)
    return order


def match_order(option_ids: Sequence[str], seed: int, position: int) -> list[str]:
    """The order of a matching item's right-hand side, numbered 1…n on the page. The page
    names a match by its number, never by the option it belongs to, so the key cannot be
    read from the values (an answer "a=3" is stored as "a=<option of match 3>")."""
    rng = random.Random(seed * 7919 + position * 31 + 17)  # noqa: S311  # nosec B311
    order = sorted(option_ids)
    rng.shuffle(order)
    return order
