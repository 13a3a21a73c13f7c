"""多选题 Multiple choice: at least two key options and at least one wrong one; partial credit."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping
from statistics import mean
from typing import Any

from ..bank.cues import candidates, zh_length
from ..bank.schema import Item, Option, Text
from ..bank.yaml_source import Collector, LineDict
from .base import MAX_STEPS, AnswerShape, EditorSpec, ItemScore, KeyMark, Kind, ScoringInput
from .single import full_stops

INSTRUCTION_ZH, INSTRUCTION_EN = "（多选）", "(Choose all that apply.)"


def score_multiple(key: tuple[str, ...], response: tuple[str, ...] | list[str] | None,
                   option_ids: tuple[str, ...] | list[str], weight: float = 1.0) -> ItemScore:
    """+1/k per key option chosen, −1/k per wrong option chosen (k = key size), floor 0."""
    keys = set(key)
    if not keys:
        return ItemScore(0.0, weight)
    chosen = set(response or ()) & set(option_ids)  # unknown ids earn and cost nothing
    raw = (len(chosen & keys) - len(chosen - keys)) / len(keys)
    return ItemScore(round(weight * max(0.0, raw), 6), weight)


class MultipleChoice(Kind):
    name = "multiple"
    title = Text("多选题", "Multiple choice")
    shape = AnswerShape.MANY
    editor = EditorSpec(key_mark=KeyMark.MANY)

    def parse_key(self, data: LineDict, options: list[Option], label: str,
                  check: Collector) -> tuple[str, ...]:
        raw = data.get("key")
        if not isinstance(raw, list) or not raw or not all(isinstance(k, str) for k in raw):
            check.add(data, f"{label}: 'key' of a multiple item is a list of option ids")
            return ()
        key = self.checked_key(tuple(raw), data, options, label, check)
        if len(key) == len(options):
            check.add(data, f"{label}: a multiple item needs at least one wrong option")
        return key

    def steps(self, content: Mapping[str, Any]) -> int:
        return max(1, min(MAX_STEPS, len(content.get("key", ()))))

    def score(self, item: ScoringInput) -> ItemScore:
        return score_multiple(item.key, item.response, item.option_ids, item.weight)

    def guesses(self, item: Item) -> tuple[float, ...]:
        """Choose every option without absolute words at least as long as the median."""
        lengths = sorted(zh_length(o.text.zh) for o in item.options)
        median = lengths[len(lengths) // 2]
        chosen = [o.id for o in candidates(item) if zh_length(o.text.zh) >= median]
        return (score_multiple(item.key, chosen, [o.id for o in item.options]).score,)

    def chance(self, item: Item) -> float | None:
        ids = [o.id for o in item.options]
        subsets = [s for n in range(1, len(ids) + 1) for s in itertools.combinations(ids, n)]
        return mean(score_multiple(item.key, list(s), ids).score for s in subsets)

    def style(self, item: Item) -> list[str]:
        issues = full_stops(item)
        if not (item.stem.zh.rstrip().endswith(INSTRUCTION_ZH)
                and item.stem.en.rstrip().endswith(INSTRUCTION_EN)):
            issues.append(f"multiple-choice stem must end with {INSTRUCTION_ZH} and "
                          f"{INSTRUCTION_EN}")
        return issues

    def simulate(self, item: ScoringInput, knows: bool, rng: random.Random) -> tuple[str, ...]:
        wrong = [o for o in item.option_ids if o not in item.key]
        if knows or not wrong:
            return item.key
        return tuple(sorted({*item.key[:-1], rng.choice(wrong)}))


KIND = MultipleChoice()
