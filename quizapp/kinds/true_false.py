"""判断题 True or false: a statement and the options "true" and "false", shown in that order."""

from __future__ import annotations

from typing import Any

from ..bank.cues import has_absolute
from ..bank.schema import Item, Option, Text
from ..bank.yaml_source import Collector, LineDict
from .base import AnswerShape, EditorSpec, ItemScore, Kind, ScoringInput

IDS = ("true", "false")
DEFAULT_TEXT = {"true": Text("正确", "True"), "false": Text("错误", "False")}
PREFIX_ZH, PREFIX_EN = "判断：", "True or false:"


class TrueFalse(Kind):
    name = "true_false"
    title = Text("判断题", "True or false")
    shape = AnswerShape.ONE
    keeps_order = True
    option_id_rule = "'true' or 'false'"
    editor = EditorSpec(fixed_options=IDS)

    def option_id_ok(self, option_id: Any) -> bool:
        return option_id in IDS

    def default_text(self, option_id: str) -> Text | None:
        return DEFAULT_TEXT[option_id]

    def check_option_count(self, data: LineDict, raw_options: list, seen: set[str],
                           label: str, check: Collector) -> None:
        if seen != set(IDS):
            check.add(data, f"{label}: a true_false item has exactly the options 'true' and "
                            "'false'")

    def parse_key(self, data: LineDict, options: list[Option], label: str,
                  check: Collector) -> tuple[str, ...]:
        raw = data.get("key")
        if isinstance(raw, bool):
            raw = "true" if raw else "false"  # YAML reads a bare true/false as a boolean
        if not isinstance(raw, str):
            check.add(data, f"{label}: 'key' must be one option id")
            return ()
        return self.checked_key((raw,), data, options, label, check)

    def score(self, item: ScoringInput) -> ItemScore:
        right = tuple(item.response or ()) == item.key
        return ItemScore(item.weight if right else 0.0, item.weight)

    def guesses(self, item: Item) -> tuple[float, ...]:
        """An absolute statement is guessed false, any other true."""
        guess = "false" if has_absolute(Option("stem", item.stem, item.stem)) else "true"
        return (1.0 if item.key == (guess,) else 0.0,)

    def chance(self, item: Item) -> float | None:
        return 0.5

    def style(self, item: Item) -> list[str]:
        if item.stem.zh.startswith(PREFIX_ZH) and item.stem.en.startswith(PREFIX_EN):
            return []
        return [f"true/false stem must start with {PREFIX_ZH} and {PREFIX_EN}"]


KIND = TrueFalse()
