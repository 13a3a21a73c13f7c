"""How well a cadre's confidence matches his accuracy (pure).

A cadre who is right far more often when he says he is sure than when he says he is not knows
what he knows. The figures mean something only with enough answers in both groups, so until
then a row says how many more are needed instead of showing a shaky percentage. Nothing is
flagged: the table is for the cadre's own reflection.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..bank.vocabulary import ALL_CODES

# Answers needed in each group (sure, not sure) before accuracies are shown.
MIN_PER_GROUP = 10
OVERALL = "all"


@dataclass(frozen=True)
class ConfidenceTally:
    code: str  # a code, or OVERALL
    sure: int
    sure_right: int
    unsure: int
    unsure_right: int

    @property
    def has_enough(self) -> bool:
        return self.sure >= MIN_PER_GROUP and self.unsure >= MIN_PER_GROUP

    @property
    def sure_needed(self) -> int:
        return max(0, MIN_PER_GROUP - self.sure)

    @property
    def unsure_needed(self) -> int:
        return max(0, MIN_PER_GROUP - self.unsure)

    @property
    def sure_accuracy(self) -> float | None:
        """Percent right among answers marked sure (None without any)."""
        return 100.0 * self.sure_right / self.sure if self.sure else None

    @property
    def unsure_accuracy(self) -> float | None:
        return 100.0 * self.unsure_right / self.unsure if self.unsure else None


def tally_confidence(groups: Iterable[tuple[str, bool, int, int]]) -> list[ConfidenceTally]:
    """(code, marked sure, answers, right) groups → one tally per code in curriculum order,
    then the overall one; codes without marked answers are left out (and then no overall)."""
    totals: dict[str, list[int]] = {}
    for code, sure, count, right in groups:
        for key in (code, OVERALL):
            entry = totals.setdefault(key, [0, 0, 0, 0])
            offset = 0 if sure else 2
            entry[offset] += count
            entry[offset + 1] += right
    order = [code for code in ALL_CODES if code in totals]
    order += sorted(code for code in totals if code not in ALL_CODES and code != OVERALL)
    if totals:
        order.append(OVERALL)
    return [ConfidenceTally(code, *totals[code]) for code in order]
