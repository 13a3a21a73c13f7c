"""配对题 Matching: pair each option with its own match (e.g. a problem with its remedy)."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from ..bank.schema import Option, Text
from ..bank.yaml_source import Collector, LineDict
from .base import (
    MAX_STEPS,
    EditorSpec,
    ItemScore,
    KeyMark,
    ScoringInput,
    Shown,
    localized,
    pairs_of,
)
from .paired import PairedKind


def match_order(option_ids: Sequence[str], seed: int, position: int) -> list[str]:
    """The order of the right-hand side, numbered 1…n on the page. The page names a match by
    its number, never by the option it belongs to, so the key cannot be read from the values
    (an answer "a=3" is stored as "a=<option of match 3>")."""
    rng = random.Random(seed * 7919 + position * 31 + 17)  # noqa: S311  # nosec B311
    order = sorted(option_ids)
    rng.shuffle(order)
    return order


class Matching(PairedKind):
    name = "matching"
    title = Text("配对题", "Matching")
    editor = EditorSpec(has_match=True, key_mark=KeyMark.NONE)

    def parse_match(self, opt: LineDict, where: str, check: Collector) -> Text | None:
        return check.text(opt, "match", where)

    def parse_key(self, data: LineDict, options: list[Option], label: str,
                  check: Collector) -> tuple[str, ...]:
        if data.get("key") is not None:
            check.add(data, f"{label}: a matching item has no 'key': each option pairs with "
                            "its own 'match'")
        return tuple(f"{o.id}={o.id}" for o in options)

    def _matches(self, shown: Shown) -> list[str]:
        return match_order(shown.option_order, shown.seed, shown.position)

    def values(self, shown: Shown) -> tuple[str, ...]:
        return tuple(str(n) for n in range(1, len(shown.option_order) + 1))

    def stored_pairs(self, shown: Shown, pairs: dict[str, str]) -> dict[str, str]:
        matches = self._matches(shown)
        return {left: matches[int(right) - 1] for left, right in pairs.items()}

    def shown_pairs(self, shown: Shown, pairs: dict[str, str]) -> dict[str, str]:
        numbers = {oid: str(n) for n, oid in enumerate(self._matches(shown), start=1)}
        return {left: numbers[right] for left, right in pairs.items() if right in numbers}

    def view(self, shown: Shown, response: Sequence[str] | None, lang: str,
             show_key: bool, show_explanation: bool) -> dict[str, Any]:
        by_id = {o["id"]: o for o in shown.content["options"]}
        return {**super().view(shown, response, lang, show_key, show_explanation),
                "labels": {str(n): localized(by_id[oid]["match"], lang)
                           for n, oid in enumerate(self._matches(shown), start=1)}}

    def steps(self, content: Mapping[str, Any]) -> int:
        return max(1, min(MAX_STEPS, len(content.get("options", ()))))

    def score(self, item: ScoringInput) -> ItemScore:
        """The share of options paired with their own match."""
        wanted, given = pairs_of(item.key), pairs_of(item.response)
        if not wanted:
            return ItemScore(0.0, item.weight)
        right = sum(1 for left, match in wanted.items() if given.get(left) == match)
        return ItemScore(round(item.weight * right / len(wanted), 6), item.weight)

    def simulate(self, item: ScoringInput, knows: bool, rng: random.Random) -> tuple[str, ...]:
        if knows:
            return item.key
        shuffled = list(item.option_ids)
        rng.shuffle(shuffled)
        return tuple(sorted(f"{a}={b}" for a, b in zip(item.option_ids, shuffled, strict=True)))


KIND = Matching()
