"""What the kinds answered as "option=value" pairs share: one <select> per option."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .base import AnswerShape, InvalidAnswer, Kind, Shown, pairs_of


class PairedKind(Kind):
    """Matching, ordering and judgement: each option gets a value from a short list."""

    shape = AnswerShape.PAIRS

    def values(self, shown: Shown) -> tuple[str, ...]:
        """The values each option's <select> offers, in the page's order."""
        raise NotImplementedError

    def stored_pairs(self, shown: Shown, pairs: dict[str, str]) -> dict[str, str]:
        """Page values as stored (matching stores the option a match number stands for)."""
        return pairs

    def shown_pairs(self, shown: Shown, pairs: dict[str, str]) -> dict[str, str]:
        """Stored values in the page's terms (the inverse of `stored_pairs`)."""
        return pairs

    def extra_checks(self, pairs: dict[str, str]) -> None:
        """Rules over the whole answer (e.g. two steps may not share a place)."""

    def clean(self, shown: Shown, response: Sequence[str]) -> list[str] | None:
        """Every option at most once, every value one the page offers."""
        allowed = set(self.values(shown))
        pairs: dict[str, str] = {}
        for entry in response:
            left, sep, right = str(entry).partition("=")
            if not sep or left not in shown.option_order or right not in allowed \
                    or left in pairs:
                raise InvalidAnswer(f"{entry!r} is not a valid answer")
            pairs[left] = right
        self.extra_checks(pairs)
        pairs = self.stored_pairs(shown, pairs)
        return sorted(f"{left}={right}" for left, right in pairs.items()) or None

    def chosen_options(self, response: Sequence[str] | None) -> list[str]:
        return [entry.partition("=")[0] for entry in response or ()]

    def view(self, shown: Shown, response: Sequence[str] | None, lang: str,
             show_key: bool, show_explanation: bool) -> dict[str, Any]:
        """The values offered, the cadre's value per option and, when allowed, the key's."""
        key = shown.content.get("key", ())
        return {
            "values": self.values(shown),
            "given": self.shown_pairs(shown, pairs_of(response)),
            "expected": self.shown_pairs(shown, pairs_of(key)) if show_key else {},
        }
