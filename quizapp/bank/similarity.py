"""Near-duplicate items: pairs whose stems say nearly the same thing (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from .cues import CJK_RE, WORD_RE
from .loader import Item


@dataclass(frozen=True)
class SimilarPair:
    first: str
    second: str
    similarity: float


def _bigrams(text: str) -> frozenset[str]:
    chars = "".join(CJK_RE.findall(text))
    return frozenset(chars[i:i + 2] for i in range(len(chars) - 1))


def _words(text: str) -> frozenset[str]:
    return frozenset(WORD_RE.findall(text.lower()))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def similar_items(items: Sequence[Item], threshold: float = 0.5) -> list[SimilarPair]:
    """Pairs whose stems overlap at or above the threshold, in Chinese (character pairs) and
    English (words) alike; the lower of the two languages counts, so both must agree."""
    shapes = {item.id: (_bigrams(item.stem.zh), _words(item.stem.en)) for item in items}
    pairs = []
    for first, second in combinations(items, 2):
        (zh_a, en_a), (zh_b, en_b) = shapes[first.id], shapes[second.id]
        similarity = min(_jaccard(zh_a, zh_b), _jaccard(en_a, en_b))
        if similarity >= threshold:
            pairs.append(SimilarPair(first.id, second.id, round(similarity, 3)))
    return sorted(pairs, key=lambda pair: -pair.similarity)
