"""Which items an attempt shows, and in what order (pure, seeded). The order of each item's
options is its kind's business (`Kind.option_order`)."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


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
