"""Quiz settings and the rules that follow from them (pure: no Flask, no database)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache, lru_cache
from typing import Any


class GradingMethod(StrEnum):
    HIGHEST = "highest"
    LATEST = "latest"
    FIRST = "first"
    AVERAGE = "average"


class QuizMode(StrEnum):
    # Practice: feedback after each answer. Test: feedback only when review allows it.
    PRACTICE = "practice"
    TEST = "test"


class ReviewTime(StrEnum):
    AFTER_SUBMIT = "after_submit"
    AFTER_CLOSE = "after_close"
    NEVER = "never"


class OverdueAction(StrEnum):
    # What happens to an attempt left open past its deadline.
    AUTOSUBMIT = "autosubmit"  # grade the answers saved so far
    CLOSE = "close"            # close it ungraded; it does not count


@dataclass(frozen=True)
class QuizSettings:
    time_limit_minutes: int | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    max_attempts: int | None = None
    grading_method: GradingMethod = GradingMethod.HIGHEST
    pass_percent: int | None = None
    shuffle_items: bool = True
    shuffle_options: bool = True
    mode: QuizMode = QuizMode.TEST
    show_answers: ReviewTime = ReviewTime.AFTER_SUBMIT
    show_keys: ReviewTime = ReviewTime.AFTER_SUBMIT
    show_explanations: ReviewTime = ReviewTime.AFTER_SUBMIT
    overdue_action: OverdueAction = OverdueAction.AUTOSUBMIT

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form, as stored in the quiz row."""
        return dict(_stored_form(self))  # a copy: the caller may change it

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> QuizSettings:
        """Read stored settings; unknown keys are ignored and missing ones take defaults.

        Every page of an attempt reads its settings: each stored form is parsed once per
        process (the settings are immutable)."""
        if not data:
            return cls()
        stored = tuple((name, data[name]) for name in _field_names() if name in data)
        try:
            return _parsed(stored)
        except TypeError:  # a value that cannot be a cache key (a list): not a setting anyway
            return cls._parse(dict(stored))

    @classmethod
    def _parse(cls, values: dict[str, Any]) -> QuizSettings:
        for key in ("opens_at", "closes_at"):
            if values.get(key):
                values[key] = datetime.fromisoformat(values[key])
        enums = {"grading_method": GradingMethod, "mode": QuizMode, "show_answers": ReviewTime,
                 "show_keys": ReviewTime, "show_explanations": ReviewTime,
                 "overdue_action": OverdueAction}
        for key, enum in enums.items():
            if key in values:
                values[key] = enum(values[key])
        return replace(cls(), **values)

    def problems(self) -> list[str]:
        """What makes these settings unusable (an empty list when they are fine)."""
        found = []
        if self.time_limit_minutes is not None and not 1 <= self.time_limit_minutes <= 600:
            found.append("time_limit_minutes")
        if self.max_attempts is not None and not 1 <= self.max_attempts <= 100:
            found.append("max_attempts")
        if self.pass_percent is not None and not 0 <= self.pass_percent <= 100:
            found.append("pass_percent")
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            found.append("closes_at")
        for name in ("opens_at", "closes_at"):
            moment = getattr(self, name)
            if moment is not None and not 2000 <= moment.year <= 2100 and name not in found:
                found.append(name)
        return found

    # ---------------------------------------------------------------- rules

    def is_open(self, now: datetime) -> bool:
        return (self.opens_at is None or now >= self.opens_at) and (
            self.closes_at is None or now < self.closes_at)

    def deadline(self, started_at: datetime) -> datetime | None:
        """When an attempt started at this moment must end: the time limit or the close."""
        candidates = []
        if self.time_limit_minutes:
            candidates.append(started_at + timedelta(minutes=self.time_limit_minutes))
        if self.closes_at:
            candidates.append(self.closes_at)
        return min(candidates) if candidates else None

    def attempts_left(self, attempts_used: int) -> int | None:
        return None if self.max_attempts is None else max(0, self.max_attempts - attempts_used)

    def may_review(self, what: ReviewTime, now: datetime) -> bool:
        """May a cadre see this part of the review of a finished attempt now?"""
        if what == ReviewTime.NEVER:
            return False
        if what == ReviewTime.AFTER_CLOSE:
            return self.closes_at is None or now >= self.closes_at
        return True

    @property
    def keeps_keys_secret(self) -> bool:
        """An exam: a test whose keys are not shown as soon as an attempt is handed in."""
        return self.mode == QuizMode.TEST and self.show_keys != ReviewTime.AFTER_SUBMIT

    def is_live(self, now: datetime) -> bool:
        """Open now or still to come (not yet closed)."""
        return self.closes_at is None or now < self.closes_at

    def has_passed(self, percent: float | None) -> bool | None:
        if self.pass_percent is None or percent is None:
            return None
        return percent >= self.pass_percent


@cache
def _field_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(QuizSettings))


@lru_cache(maxsize=1024)
def _parsed(stored: tuple[tuple[str, Any], ...]) -> QuizSettings:
    return QuizSettings._parse(dict(stored))


@lru_cache(maxsize=1024)
def _stored_form(settings: QuizSettings) -> dict[str, Any]:
    data = asdict(settings)
    for key in ("opens_at", "closes_at"):
        data[key] = data[key].isoformat() if data[key] else None
    return {key: (str(value) if isinstance(value, StrEnum) else value)
            for key, value in data.items()}


def grade_across_attempts(method: GradingMethod, percents: Sequence[float]) -> float | None:
    """The grade that counts for a quiz, from the percents of graded attempts in time order."""
    if not percents:
        return None
    if method == GradingMethod.HIGHEST:
        return max(percents)
    if method == GradingMethod.LATEST:
        return percents[-1]
    if method == GradingMethod.FIRST:
        return percents[0]
    return sum(percents) / len(percents)
