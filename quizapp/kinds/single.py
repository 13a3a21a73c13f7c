"""单选题 Single choice: one key option among two to eight."""

from __future__ import annotations

from ..bank.cues import candidates, share_longest
from ..bank.schema import Item, Text
from .base import AnswerShape, ItemScore, Kind, ScoringInput


class SingleChoice(Kind):
    name = "single"
    title = Text("单选题", "Single choice")
    shape = AnswerShape.ONE

    def score(self, item: ScoringInput) -> ItemScore:
        """Full marks for exactly the one key option; anything else (or no answer) scores 0."""
        chosen = set(item.response or ())
        right = chosen == set(item.key) and len(chosen) == 1
        return ItemScore(item.weight if right else 0.0, item.weight)

    def guesses(self, item: Item) -> tuple[float, ...]:
        """Drop options with absolute words, then pick the longest; or (for a bank that
        overcorrected) the shortest."""
        return (share_longest(candidates(item), set(item.key)),
                share_longest(candidates(item), set(item.key), sign=-1))

    def chance(self, item: Item) -> float | None:
        return 1 / len(item.options)

    def style(self, item: Item) -> list[str]:
        return full_stops(item)


def full_stops(item: Item) -> list[str]:
    """Options are phrases: no full stop at the end (STYLE.md)."""
    return [f"option {o.id} ends with a full stop" for o in item.options
            if o.text.zh.rstrip().endswith("。") or o.text.en.rstrip().endswith(".")]


KIND = SingleChoice()
