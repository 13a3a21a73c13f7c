"""Abilities as bands people can read, and honest flags (pure).

An ability is an estimate with a standard error (`quizapp.measure`); a page shows it on the
0–100 scale (50 is the average cadre, 15 points one standard deviation) with its 95 % band.
A cadre is flagged only when the evidence says so: the whole band below the pass line, or a fall
larger than the uncertainty of the difference — never on a low figure that rests on noise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..measure.estimate import (
    SCALE_CENTRE,
    Ability,
    is_wide,
    readable,
    significant_drop,
    wholly_below,
)


@dataclass(frozen=True)
class Band:
    points: int
    low: int
    high: int
    answers: int
    is_wide: bool  # too little evidence to read much into it

    @property
    def position(self) -> str:
        """Where the whole band lies against the average cadre: above, below or around."""
        if self.low > SCALE_CENTRE:
            return "above"
        if self.high < SCALE_CENTRE:
            return "below"
        return "around"

    @property
    def width(self) -> int:
        return self.high - self.low


def band_of(ability: Ability) -> Band:
    points, low, high = readable(ability)
    return Band(points, low, high, ability.n, is_wide(ability))


# The fewest answers on a part that a flag may rest on. A band from two or three answers is
# mostly the prior and the items' assumed difficulties (before calibration the bands are too
# narrow: docs/measurement.md), so three wrong answers in one short quiz flag nobody.
MIN_ANSWERS_TO_FLAG = 8


@dataclass(frozen=True)
class Reason:
    """Why a cadre needs attention: "below" the pass line on a code, "falling" on a code by
    more than the uncertainty, or assignments "overdue" (count)."""

    kind: str
    code: str | None = None
    count: int = 0


def reasons_for(abilities: Mapping[str, Ability], pass_lines: Mapping[str, float],
                changes: Mapping[str, tuple[Ability, Ability]], overdue: int) -> list[Reason]:
    """The flags the evidence supports, in code order: below the line, then falling. Each rests
    on at least MIN_ANSWERS_TO_FLAG answers (for a fall, on each side of it)."""
    reasons = [Reason("below", code) for code, ability in sorted(abilities.items())
               if code in pass_lines and ability.n >= MIN_ANSWERS_TO_FLAG
               and wholly_below(ability, pass_lines[code])]
    reasons += [Reason("falling", code) for code, (before, after) in sorted(changes.items())
                if min(before.n, after.n) >= MIN_ANSWERS_TO_FLAG
                and significant_drop(before, after)]
    if overdue:
        reasons.append(Reason("overdue", count=overdue))
    return reasons
