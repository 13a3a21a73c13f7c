"""Credit rules, the daily cap and the yearly target (pure: no Flask, no database).

Hours are kept as whole hundredths of an hour ("centihours": 0.25 学时 is 25), so sums are
exact on every database. Each credit names its source (a note in a year, an assignment, a
practice quiz in a year, a day's practice set): one source is credited once, and a day's
credits stop at the cap, so nothing done twice or done in bulk adds up.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum


class CreditRule(StrEnum):
    NOTE_READ = "note_read"  # a study note read to its end
    QUIZ_PASSED = "quiz_passed"  # a quiz or an assigned quiz passed
    DAILY_SET = "daily_set"  # a day's practice set (每日一练) completed


# Defaults of the kind provincial platforms use: a short lesson 0.25, a passed test 0.5.
DEFAULT_RULE_HOURS: Mapping[CreditRule, int] = {
    CreditRule.NOTE_READ: 25,
    CreditRule.QUIZ_PASSED: 50,
    CreditRule.DAILY_SET: 25,
}
DEFAULT_DAILY_CAP = 200  # 2 学时 a day
DEFAULT_YEARLY_TARGET = 5000  # 50 学时 a year (the national plan's floor for online study)
DEFAULT_PASS_PERCENT = 60  # for quizzes that set no pass mark of their own
MAX_RULE_HOURS = 800  # 8 学时: no single activity is worth more
MAX_DAILY_CAP = 2400
MAX_YEARLY_TARGET = 100_000


@dataclass(frozen=True)
class Policy:
    """What admins set: hours per rule (0 turns a rule off), the daily cap, the yearly
    target, and the pass mark of quizzes that have none."""

    rule_hours: Mapping[CreditRule, int] = field(default_factory=lambda: dict(DEFAULT_RULE_HOURS))
    daily_cap: int = DEFAULT_DAILY_CAP
    yearly_target: int = DEFAULT_YEARLY_TARGET
    pass_percent: int = DEFAULT_PASS_PERCENT

    def hours_for(self, rule: CreditRule) -> int:
        return self.rule_hours.get(rule, 0)

    def to_settings(self) -> dict[str, int]:
        """Stored as name → whole number."""
        return {
            **{str(rule): self.hours_for(rule) for rule in CreditRule},
            "daily_cap": self.daily_cap,
            "yearly_target": self.yearly_target,
            "pass_percent": self.pass_percent,
        }

    @classmethod
    def from_settings(cls, stored: Mapping[str, int]) -> Policy:
        """Stored values over the defaults; unknown names are ignored."""
        policy = cls()
        rules = {rule: int(stored.get(str(rule), policy.hours_for(rule))) for rule in CreditRule}
        return replace(
            policy,
            rule_hours=rules,
            daily_cap=int(stored.get("daily_cap", policy.daily_cap)),
            yearly_target=int(stored.get("yearly_target", policy.yearly_target)),
            pass_percent=int(stored.get("pass_percent", policy.pass_percent)),
        )

    def problems(self) -> list[str]:
        """The names of values out of range (empty when the policy is usable)."""
        found = [
            str(rule) for rule in CreditRule if not 0 <= self.hours_for(rule) <= MAX_RULE_HOURS
        ]
        if not 0 < self.daily_cap <= MAX_DAILY_CAP:
            found.append("daily_cap")
        if not 0 < self.yearly_target <= MAX_YEARLY_TARGET:
            found.append("yearly_target")
        if not 0 <= self.pass_percent <= 100:
            found.append("pass_percent")
        return found


@dataclass(frozen=True)
class Grant:
    hours: int  # what is credited (0: nothing, the day's cap is reached)
    is_capped: bool  # less than the rule's hours, because of the cap


def grant(rule_hours: int, credited_today: int, daily_cap: int) -> Grant:
    """What a credit of `rule_hours` adds on a day that already has `credited_today`: the
    rule's hours, or what is left under the cap."""
    room = max(0, daily_cap - credited_today)
    hours = max(0, min(rule_hours, room))
    return Grant(hours, hours < rule_hours)


HOURS_RE = re.compile(r"^\s*(\d{1,4})(?:[.,](\d{1,2}))?\s*$")


def parse_hours(text: str) -> int | None:
    """ "0.25" → 25, "2" → 200; None for anything else (more than two decimals, signs, text)."""
    match = HOURS_RE.match(text or "")
    if match is None:
        return None
    whole, fraction = match.groups()
    return int(whole) * 100 + int((fraction or "0").ljust(2, "0"))


def hours_text(centihours: int) -> str:
    """25 → "0.25", 200 → "2", 350 → "3.5": the way 学时 are written."""
    whole, rest = divmod(abs(centihours), 100)
    sign = "-" if centihours < 0 else ""
    if not rest:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{rest:02d}".rstrip("0")


@dataclass(frozen=True)
class YearProgress:
    year: int
    total: int
    target: int

    @property
    def percent(self) -> int:
        """Whole percent of the target, at most 100 (the bar's width)."""
        return min(100, self.total * 100 // self.target) if self.target else 100

    @property
    def remaining(self) -> int:
        return max(0, self.target - self.total)

    @property
    def is_met(self) -> bool:
        return self.total >= self.target


# ---------------------------------------------------------------- sources


def note_source(code: str, day: date) -> str:
    """A study note counts once a calendar year."""
    return f"note:{code}:{day.year}"


def assignment_source(assignment_id: int) -> str:
    """An assigned quiz counts once, whenever it is passed."""
    return f"assignment:{assignment_id}"


def quiz_source(quiz_id: str, day: date) -> str:
    """A practice quiz counts once a calendar year, however often it is passed."""
    return f"quiz:{quiz_id}:{day.year}"


def daily_source(day: date) -> str:
    """One day's practice set."""
    return f"daily:{day.isoformat()}"
