"""Cues a reader can use without knowing the sources: option length and absolute words. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .schema import Item, Option

ABSOLUTE_ZH = ("一律", "全部", "所有", "必须", "只要", "一定", "绝不", "决不", "完全", "任何",
               "凡是", "一切", "始终", "从不", "总是", "务必", "统统", "彻底")
ABSOLUTE_EN = re.compile(r"\b(always|never|all|every|everyone|everything|must|only|any|"
                         r"completely|entirely|totally|none|whatever)\b", re.IGNORECASE)
# Chinese characters, and English words (lower case), wherever the bank counts or compares text.
CJK_RE = re.compile(r"[\u3400-\u9fff]")
WORD_RE = re.compile(r"[a-z0-9']+")

def zh_length(text: str) -> int:
    """Chinese characters, the unit a reader of the Chinese page compares."""
    return len(CJK_RE.findall(text))


def en_length(text: str) -> int:
    return len(text.split())


def has_absolute(option: Option) -> bool:
    return (any(word in option.text.zh for word in ABSOLUTE_ZH)
            or ABSOLUTE_EN.search(option.text.en) is not None)


LENGTH = {"zh": zh_length, "en": en_length}


def share_longest(options: Sequence[Option], wanted: set[str], lang: str = "zh",
                   sign: int = 1) -> float:
    """Chance that "pick the longest" (sign -1: the shortest) lands on a wanted option (ties
    split evenly)."""
    lengths = [sign * LENGTH[lang](o.text.get(lang)) for o in options]
    top = max(lengths)
    tied = [o.id for o, n in zip(options, lengths, strict=True) if n == top]
    return sum(1 for i in tied if i in wanted) / len(tied)


def length_ratio(item: Item) -> float:
    """Longest over shortest option, the worse of the two languages."""
    ratios = []
    for lang, measure in LENGTH.items():
        lengths = [measure(o.text.get(lang)) for o in item.options]
        ratios.append(max(lengths) / max(1, min(lengths)))
    return max(ratios)


def candidates(item: Item) -> list[Option]:
    plain = [o for o in item.options if not has_absolute(o)]
    return plain or list(item.options)
