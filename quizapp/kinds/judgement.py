"""情境判断题 Situational judgement: rate how effective each response would be, 1 to 4."""

from __future__ import annotations

import random
from collections.abc import Mapping
from itertools import combinations
from typing import Any

from ..bank.cues import has_absolute, zh_length
from ..bank.schema import Item, Option, Text
from ..bank.yaml_source import Collector, LineDict
from ..measure.model import category_from_share
from .base import EditorSpec, ItemScore, KeyMark, ScoringInput, Shown, pairs_of
from .paired import PairedKind
from .single import full_stops

# 1 counter-productive, 2 of little use, 3 fairly effective, 4 very effective.
SCALE: tuple[int, ...] = (1, 2, 3, 4)


def score_ratings(key: tuple[str, ...], ratings: tuple[str, ...] | list[str] | None,
                  weight: float = 1.0) -> ItemScore:
    """Agreement with the key's order: the share of the pairs of responses the key rates apart
    that the cadre rates apart the same way round. A tie, a reversal or an unrated response
    earns nothing for its pairs.

    Why order and not closeness to the key's numbers: closeness rewards rating near the
    middle (rating every response alike earned about two thirds of the marks, and a reader who
    only got the direction right earned nine tenths), so the score said little about what the
    sources teach. By order, rating alike earns nothing and a random order of the responses half.
    """
    wanted = {k: int(v) for k, v in pairs_of(key).items() if v.isdigit()}
    given = {k: int(v) for k, v in pairs_of(ratings).items()
             if v.isdigit() and int(v) in SCALE}
    apart = [(a, b) if wanted[a] > wanted[b] else (b, a)
             for a, b in combinations(sorted(wanted), 2) if wanted[a] != wanted[b]]
    if not apart:
        return ItemScore(0.0, weight)
    agreed = sum(1 for high, low in apart
                 if high in given and low in given and given[high] > given[low])
    return ItemScore(round(weight * agreed / len(apart), 6), weight)


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
        if len(set(raw.values())) < 2:
            check.add(data, f"{label}: the key of a judgement item rates some options apart")
            return ()
        return tuple(f"{option}={raw[option]}" for option in ids)

    def values(self, shown: Shown) -> tuple[str, ...]:
        return tuple(str(point) for point in SCALE)

    def steps(self, content: Mapping[str, Any]) -> int:
        return max(1, len(content.get("options", ())))

    def category(self, share: float, content: Mapping[str, Any]) -> int:
        """Equal parts of the pairs put in the key's order (full marks only at the top)."""
        return category_from_share(share, self.steps(content))

    def score(self, item: ScoringInput) -> ItemScore:
        return score_ratings(item.key, item.response, item.weight)

    def guesses(self, item: Item) -> tuple[float, ...]:
        """Rate by length (longest 4 … shortest 1; an option with an absolute word gets 1);
        or the other way round, for a bank that overcorrected."""
        def by_length(sign: int) -> float:
            ranked = sorted(item.options,
                            key=lambda o: (not has_absolute(o), sign * zh_length(o.text.zh)))
            steps = max(1, len(ranked) - 1)
            ratings = [f"{o.id}={SCALE[round(i * (len(SCALE) - 1) / steps)]}"
                       for i, o in enumerate(ranked)]
            return score_ratings(item.key, ratings).score

        return by_length(1), by_length(-1)

    def chance(self, item: Item) -> float | None:
        """A reader who knows nothing and puts the responses in a random order (no ties) gets
        each pair the right way round half the time; random ratings with ties earn less (3/8),
        rating all alike nothing."""
        return 0.5

    def baseline(self, item: Item) -> float | None:
        """The better of rating every option alike and rating at random: what the item gives a
        reader who knows nothing."""
        ids = [o.id for o in item.options]
        alike = max(score_ratings(item.key, [f"{i}={r}" for i in ids]).score for r in SCALE)
        return max(alike, self.chance(item) or 0.0)

    def style(self, item: Item) -> list[str]:
        return full_stops(item)

    def simulate(self, item: ScoringInput, knows: bool, rng: random.Random) -> tuple[str, ...]:
        """Someone who knows puts the responses in the key's order, now and then swapping the
        two middle ones; one who does not rates at random."""
        wanted = {o: int(v) for o, v in pairs_of(item.key).items()}
        if knows:
            ranked = sorted(wanted, key=wanted.__getitem__)
            if len(ranked) >= 4 and rng.random() < 0.25:
                middle = len(ranked) // 2
                ranked[middle - 1], ranked[middle] = ranked[middle], ranked[middle - 1]
            points = sorted(wanted.values())
            return tuple(sorted(f"{o}={p}" for o, p in zip(ranked, points, strict=True)))
        return tuple(sorted(f"{o}={rng.choice(SCALE)}" for o in wanted))


KIND = Judgement()
