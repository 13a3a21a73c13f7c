"""The study-hour ledger: record a credit (idempotent per source, capped per day), the
policy admins set, and what a person has been credited. Flush, never commit.

Other features call `record_credit` when something creditable happens, in the transaction
that records it (the view or command commits), e.g. daily practice when a set is completed:

    from quizapp.study_hours.credit import CreditRule, daily_source
    record_credit(user.id, CreditRule.DAILY_SET, daily_source(local_day(now, zone)), now)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..auth.models import User
from ..dates import local_day
from ..extensions import db
from .credit import CreditRule, Policy, YearProgress, grant
from .models import StudyHourCredit, StudyHourSetting


class CreditStatus(StrEnum):
    CREDITED = "credited"  # the rule's hours, or what was left under the day's cap
    CAPPED = "capped"  # nothing: the day's cap was already reached
    ALREADY = "already"  # this source was credited before: nothing more
    OFF = "off"  # the rule is turned off (0 hours)


@dataclass(frozen=True)
class CreditOutcome:
    status: CreditStatus
    hours: int = 0
    is_capped: bool = False


def default_zone() -> str:
    return str(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def current_policy() -> Policy:
    """The rules in force: what admins saved, over the defaults."""
    stored = dict(db.session.execute(select(StudyHourSetting.name, StudyHourSetting.value)).all())
    return Policy.from_settings(stored)


def save_policy(new: Policy, actor: User, now: datetime) -> dict[str, tuple[int, int]]:
    """Store every value of the policy; returns what changed (name: (before, after))."""
    before = current_policy().to_settings()
    stored = {row.name: row for row in db.session.scalars(select(StudyHourSetting))}
    changed = {}
    for name, value in new.to_settings().items():
        row = stored.get(name)
        if row is None:
            row = StudyHourSetting(name=name)
            db.session.add(row)
        if before[name] != value:
            changed[name] = (before[name], value)
        row.value, row.updated_at, row.updated_by_id = value, now, actor.id
    db.session.flush()
    return changed


def _credited_on(user_id: int, day: date) -> int:
    return (
        db.session.scalar(
            select(func.coalesce(func.sum(StudyHourCredit.centihours), 0)).where(
                StudyHourCredit.user_id == user_id, StudyHourCredit.day == day
            )
        )
        or 0
    )


def _already(user_id: int, rule: CreditRule, source_key: str) -> bool:
    return (
        db.session.scalar(
            select(StudyHourCredit.id).where(
                StudyHourCredit.user_id == user_id,
                StudyHourCredit.rule == rule,
                StudyHourCredit.source_key == source_key,
            )
        )
        is not None
    )


def record_credit(
    user_id: int,
    rule: CreditRule | str,
    source_key: str,
    at: datetime,
    *,
    label: Mapping[str, str] | None = None,
    zone: str | None = None,
    policy: Policy | None = None,
) -> CreditOutcome:
    """Credit `user_id` by `rule` for `source_key` at `at` (a UTC moment), once per source.
    The credit counts on the local day of `at` (in `zone`, the platform's by default) and
    stops at that day's cap. `label` names what was studied ({"zh": …, "en": …}) for the
    ledger; `policy` spares reading the rules again when the caller has them."""
    rule = CreditRule(rule)
    rules = policy or current_policy()
    wanted = rules.hours_for(rule)
    if wanted <= 0:
        return CreditOutcome(CreditStatus.OFF)
    # One credit at a time per person, so two at once cannot both fit under the cap
    # (PostgreSQL: a row lock; SQLite: the write lock taken by begin_write).
    db.session.execute(select(User.id).where(User.id == user_id).with_for_update())
    if _already(user_id, rule, source_key):
        return CreditOutcome(CreditStatus.ALREADY)
    day = local_day(at, zone or default_zone())
    granted = grant(wanted, _credited_on(user_id, day), rules.daily_cap)
    if granted.hours == 0:
        return CreditOutcome(CreditStatus.CAPPED, 0, True)
    try:
        with db.session.begin_nested():
            db.session.add(
                StudyHourCredit(
                    user_id=user_id,
                    rule=rule,
                    source_key=source_key[:120],
                    centihours=granted.hours,
                    is_capped=granted.is_capped,
                    credited_at=at,
                    day=day,
                    label=dict(label) if label else None,
                )
            )
    except IntegrityError:  # the same source, credited a moment ago by another request
        return CreditOutcome(CreditStatus.ALREADY)
    return CreditOutcome(CreditStatus.CREDITED, granted.hours, granted.is_capped)


def has_credit(user_id: int, rule: CreditRule, source_key: str) -> bool:
    return _already(user_id, rule, source_key)


def _year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def ledger(user_id: int, year: int) -> list[StudyHourCredit]:
    """The person's credits in a calendar year, newest first."""
    first, last = _year(year)
    return list(
        db.session.scalars(
            select(StudyHourCredit)
            .where(StudyHourCredit.user_id == user_id, StudyHourCredit.day.between(first, last))
            .order_by(StudyHourCredit.credited_at.desc(), StudyHourCredit.id.desc())
        )
    )


def year_totals(user_ids: Iterable[int], year: int) -> dict[int, int]:
    """Hundredths of an hour credited per person in a calendar year, in one query."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    first, last = _year(year)
    rows = db.session.execute(
        select(StudyHourCredit.user_id, func.sum(StudyHourCredit.centihours))
        .where(StudyHourCredit.user_id.in_(ids), StudyHourCredit.day.between(first, last))
        .group_by(StudyHourCredit.user_id)
    )
    return {user_id: int(total or 0) for user_id, total in rows}


def year_progress(user_id: int, year: int, target: int | None = None) -> YearProgress:
    target = current_policy().yearly_target if target is None else target
    return YearProgress(year, year_totals([user_id], year).get(user_id, 0), target)


def year_summary(user_id: int, now: datetime, zone: str) -> YearProgress:
    """This year's total against the target, for the cadre's start page."""
    return year_progress(user_id, local_day(now, zone).year)
