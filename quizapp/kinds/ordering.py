"""排序题 Ordering: give each step its place (e.g. the steps of handling a dispute)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from ..bank.schema import Option, Text
from ..bank.yaml_source import Collector, LineDict
from .base import (
    MAX_STEPS,
    EditorSpec,
    InvalidAnswer,
    ItemScore,
    KeyMark,
    ScoringInput,
    Shown,
    pairs_of,
)
from .paired import PairedKind


class Ordering(PairedKind):
    name = "ordering"
    title = Text("排序题", "Ordering")
    editor = EditorSpec(key_mark=KeyMark.PLACE)

    def parse_key(self, data: LineDict, options: list[Option], label: str,
                  check: Collector) -> tuple[str, ...]:
        raw = data.get("key")
        if not isinstance(raw, list) or sorted(map(str, raw)) != sorted(o.id for o in options):
            check.add(data, f"{label}: 'key' of an ordering item lists every option id once, "
                            "in the right order")
            return ()
        return tuple(f"{option}={place}" for place, option in enumerate(raw, start=1))

    def values(self, shown: Shown) -> tuple[str, ...]:
        return tuple(str(place) for place in range(1, len(shown.option_order) + 1))

    def extra_checks(self, pairs: dict[str, str]) -> None:
        if len(set(pairs.values())) != len(pairs):
            raise InvalidAnswer("two options share a place")

    def steps(self, content: Mapping[str, Any]) -> int:
        n = len(content.get("options", ()))
        return max(1, min(MAX_STEPS, n * (n - 1) // 2))

    def score(self, item: ScoringInput) -> ItemScore:
        """The share of pairs of steps put in the right relative order (Kendall's
        concordance); a step left without a place breaks every pair it is in."""
        wanted = {k: int(v) for k, v in pairs_of(item.key).items() if v.isdigit()}
        given = {k: int(v) for k, v in pairs_of(item.response).items() if v.isdigit()}
        steps = sorted(wanted, key=wanted.__getitem__)
        if len(steps) < 2:
            return ItemScore(item.weight if steps and steps[0] in given else 0.0, item.weight)
        pairs = [(a, b) for i, a in enumerate(steps) for b in steps[i + 1:]]
        right = sum(1 for a, b in pairs if a in given and b in given and given[a] < given[b])
        return ItemScore(round(item.weight * right / len(pairs), 6), item.weight)

    def simulate(self, item: ScoringInput, knows: bool, rng: random.Random) -> tuple[str, ...]:
        if knows:
            return item.key
        places = list(range(1, len(item.option_ids) + 1))
        rng.shuffle(places)
        return tuple(sorted(f"{o}={p}" for o, p in zip(item.option_ids, places, strict=True)))


KIND = Ordering()
