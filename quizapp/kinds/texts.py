"""What the typed-answer kinds share: answers sent as "n=text" parts, and their reading."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from .base import AnswerShape, InvalidAnswer, Kind, Shown, pairs_of

BLANK_RE = re.compile(r"\{(\d)\}")


def normalise(text: str) -> str:
    """Full and half width alike (NFKC), case folded, without spaces or punctuation: two
    wordings that differ only in these count as the same answer."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded
                   if not unicodedata.category(ch).startswith(("P", "Z", "S", "C")))


class TypedKind(Kind):
    """A kind answered by typing: no options; each part of the answer is "n=text"."""

    shape = AnswerShape.TEXTS
    min_options = 0
    max_length: int = 200  # characters per part, unless the item sets its own

    def parts(self, shown: Shown) -> int:
        raise NotImplementedError

    def part_limit(self, shown: Shown) -> int:
        return int(shown.content.get("max_length") or self.max_length)

    def clean(self, shown: Shown, response: Sequence[str]) -> list[str] | None:
        parts, limit = self.parts(shown), self.part_limit(shown)
        cleaned: dict[int, str] = {}
        for entry in response:
            number, sep, text = str(entry).partition("=")
            if not sep or not number.isdigit() or not 1 <= int(number) <= parts \
                    or int(number) in cleaned:
                raise InvalidAnswer(f"{entry[:20]!r} is not a part of this question")
            text = text.strip()
            if len(text) > limit:
                raise InvalidAnswer(f"part {number} is longer than {limit} characters")
            if text:
                cleaned[int(number)] = text
        return [f"{n}={cleaned[n]}" for n in sorted(cleaned)] or None

    def answers(self, response: Sequence[str] | None) -> dict[int, str]:
        return {int(k): v for k, v in pairs_of(response).items() if k.isdigit()}

    def chosen_options(self, response: Sequence[str] | None) -> list[str]:
        return []
