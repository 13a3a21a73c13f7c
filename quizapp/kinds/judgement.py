"""情境判断题 Situational judgement: rate how effective each response would be, 1 to 4."""

from __future__ import annotations

import random
from collections.abc import Mapping
from statistics import mean
from typing import Any

from ..bank.cues import has_absolute, zh_length
from ..bank.schema import Item, Option, Text
from ..bank.yaml_source import Collector, LineDict
from ..measure.model import judgement_category
from .base import EditorSpec, ItemScore, KeyMark, ScoringInput, Shown, pairs_of
from .paired import PairedKind
from .single import full_stops

# 1 counter-productive, 2 of little use, 3 fairly effective, 4 very effective.
SCALE: tuple[int, ...] = (1, 2, 3, 4)
SPAN = max(SCALE) - min(SCALE)


def score_ratings(key: tuple[str, ...], ratings: tuple[str, ...] | list[str] | None,
                  weight: float = 1.0) -> ItemScore:
    """Closeness of the ratings to the key's: 1 minus the mean distance over the scale's span;
    an unrated option counts as the largest distance."""
    wanted = {k: int(v) for k, v in pairs_of(key).items() if v.isdigit()}
    given = {k: int(v) for k, v in pairs_of(ratings).items()
             if v.isdigit() and int(v) in SCALE}
    if not wanted:
        return ItemScore(0.0, weight)
    distance = sum(abs(given[k] - v) if k in given else SPAN for k, v in wanted.items())
    return ItemScore(round(weight * (1 - distance / (SPAN * len(wanted))), 6), weight)


class Judgement(PairedKind):
    name = "judgement"
    title = Text("情境判断题", "Situational judgement")
    editor = EditorSpec(key_mark=KeyMark.RATING, marks=tuple(map(str, SCALE)))

    def parse_key(self, data: LineDict, options: list[Option], label: str,
                  check: Collector) -> tuple[str, ...]:
        raw = data.get("key")
        ids = [o.id for o in options]
        if not isinstance(raw, LineDict) or sorted(map(str, raw)) != sorted(ids) or any(
                isinstance(v, bool) or v not in SCALE for v in raw.values()):
            scale = ", ".join(map(str, SCALE))
            check.add(data, f"{label}: 'key' of a judgement item rates every option ({scale})")
            return ()
        return tuple(f"{option}={raw[option]}" for option in ids)

    def values(self, shown: Shown) -> tuple[str, ...]:
        return tuple(str(point) for point in SCALE)

    def steps(self, content: Mapping[str, Any]) -> int:
        return max(1, len(content.get("options", ())))

    def category(self, share: float, content: Mapping[str, Any]) -> int:
        """Every two rating points away from the key cost one step (see quizapp.measure)."""
        return judgement_category(share, self.steps(content), SPAN)

    def score(self, item: ScoringInput) -> ItemScore:
        return score_ratings(item.key, item.response, item.weight)

    def guesses(self, item: Item) -> tuple[float, ...]:
        """Rate by length (longest 4 … shortest 1); an option with an absolute word gets 1."""
        ranked = sorted(item.options, key=lambda o: (not has_absolute(o), zh_length(o.text.zh)))
        steps = max(1, len(ranked) - 1)
        ratings = [f"{o.id}={SCALE[round(i * (len(SCALE) - 1) / steps)]}"
                   for i, o in enumerate(ranked)]
        return (score_ratings(item.key, ratings).score,)

    def chance(self, item: Item) -> float | None:
        wanted = [int(pair.partition("=")[2]) for pair in item.key]
        return 1 - mean(mean(abs(r - w) for r in SCALE) for w in wanted) / SPAN

    def baseline(self, item: Item) -> float | None:
        """Rating every option alike (2 or 3): what the item gives a reader who knows nothing."""
        ids = [o.id for o in item.options]
        alike = max(score_ratings(item.key, [f"{i}={r}" for i in ids]).score for r in SCALE)
        return max(alike, self.chance(item) or 0.0)

    def style(self, item: Item) -> list[str]:
        return full_stops(item)

    def simulate(self, item: ScoringInput, knows: bool, rng: random.Random) -> tuple[str, ...]:
        """Someone who knows rates each option within a point of the key; one who does not
        rates at random."""
        wanted = pairs_of(item.key)
        if knows:
            return tuple(sorted(f"{o}={min(4, max(1, int(v) + rng.choice((-1, 0, 0, 1))))}"
                                for o, v in wanted.items()))
        return tuple(sorted(f"{o}={rng.choice(SCALE)}" for o in wanted))


KIND = Judgement()
