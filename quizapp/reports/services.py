"""The cadre's progress: mastery, trend and self-rating per code, and the weakest ability."""

from __future__ import annotations

from dataclasses import dataclass

from ..abilities import services as abilities
from ..abilities.bands import Band, band_of
from ..auth.models import User
from ..bank.vocabulary import ABILITY_CODES, ALL_CODES
from . import queries
from .mastery import Mastery, TrendPoint, mastery, monthly_trend, weakest


@dataclass(frozen=True)
class CodeProgress:
    code: str
    mastery: Mastery
    trend: tuple[TrendPoint, ...]
    self_rating: float | None  # 1–5, from the latest self-assessment of this code
    band: Band | None = None   # the measured ability with its 95 % band


@dataclass(frozen=True)
class Progress:
    per_code: tuple[CodeProgress, ...]
    weakest_ability: str | None

    def of(self, code: str) -> CodeProgress:
        return next(p for p in self.per_code if p.code == code)


def progress_for(user: User) -> Progress:
    responses = queries.scored_responses(user.id)
    ratings = queries.latest_self_ratings(user.id)
    measured = abilities.estimates_of([user.id]).get(user.id, {})
    per_code = []
    for code in ALL_CODES:
        mine = [r for r in responses if r.code == code]
        per_code.append(CodeProgress(code, mastery(mine), tuple(monthly_trend(mine)),
                                     ratings.get(code),
                                     band_of(measured[code]) if code in measured else None))
    masteries = {p.code: p.mastery for p in per_code}
    return Progress(tuple(per_code), weakest(masteries, ABILITY_CODES))
