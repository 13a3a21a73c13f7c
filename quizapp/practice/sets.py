"""Practice sets on the attempt engine: the day's 每日一练 and a set of due reviews. Each is
an ordinary attempt (autosave, offline queue, resume, practice-mode feedback) of a quiz of its
own kind that the catalogue never offers. Flush, never commit.

A day runs from midnight to midnight where the cadre lives (`quizapp.dates`). The same day
gives the same set; a set left open from an earlier day is handed in (what was answered counts
for review) before the day's new one is composed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError

from ..abilities import services as abilities
from ..auth.models import User
from ..bank.models import Item, ItemVersion, Quiz
from ..bank.vocabulary import QuizKind
from ..dates import day_bounds, local_day
from ..extensions import db
from ..kinds import kind_of
from ..quizzes import exam_pools
from ..quizzes import services as engine
from ..quizzes.drawing import seen_item_ids
from ..quizzes.models import Attempt, AttemptItem, AttemptStatus, CodeRollup
from ..quizzes.settings import QuizMode, QuizSettings
from . import composition, services
from .composition import DAILY_SIZE, REVIEW_SIZE, Candidate


class NothingToPractise(Exception):
    """No item can be offered now (nothing due, or every item held by a live exam)."""


# The quizzes behind the sets: not from the bank files, so `flask bank load` leaves them
# inactive (not offered), and ids no bank quiz uses.
SET_QUIZZES = {
    QuizKind.DAILY: ("practice-daily", {"zh": "每日一练", "en": "Daily practice"}),
    QuizKind.REVIEW: ("practice-review", {"zh": "到期复习", "en": "Review"}),
}


def set_settings() -> QuizSettings:
    """Feedback after each answer, items in the composed order, no clock."""
    return QuizSettings(mode=QuizMode.PRACTICE, shuffle_items=False)


def set_quiz(kind: QuizKind) -> Quiz:
    """The quiz of a kind of set, created on first use."""
    quiz_id, title = SET_QUIZZES[kind]
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None:
        quiz = Quiz(
            id=quiz_id,
            kind=kind,
            title=title,
            description={"zh": "", "en": ""},
            draw=[],
            settings=set_settings().to_dict(),
            position=0,
            is_active=False,
        )
        try:
            with db.session.begin_nested():
                db.session.add(quiz)
        except IntegrityError:  # another request created it a moment ago
            quiz = db.session.get(Quiz, quiz_id)
    return quiz


def today(now: datetime, zone: str) -> tuple[datetime, datetime]:
    """The UTC bounds of the cadre's day."""
    return day_bounds(local_day(now, zone), zone)


def todays_set(user_id: int, kind: QuizKind, now: datetime, zone: str) -> Attempt | None:
    """The newest set of this kind started today (open or finished)."""
    start, end = today(now, zone)
    return db.session.scalar(
        select(Attempt)
        .where(
            Attempt.user_id == user_id,
            Attempt.quiz_id == SET_QUIZZES[kind][0],
            Attempt.started_at >= start,
            Attempt.started_at < end,
        )
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        .limit(1)
    )


# ---------------------------------------------------------------- what may be practised


def practicable_versions(now: datetime) -> dict[str, ItemVersion]:
    """Current versions of the live, automatically scored bank items, leaving out those a
    live exam holds (practice must not show them, nor their keys)."""
    secured = exam_pools.secured_item_ids(now)
    versions = db.session.scalars(
        select(ItemVersion)
        .join(
            Item, and_(Item.id == ItemVersion.item_id, Item.current_version == ItemVersion.version)
        )
        .where(Item.drawable(), Item.questionnaire_id.is_(None))
    )
    return {
        v.item_id: v
        for v in versions
        if v.item_id not in secured
        and kind_of(v.kind).is_scored
        and not kind_of(v.kind).needs_grader
    }


def _in_open_sets(user_id: int) -> set[str]:
    """Items of the cadre's sets in progress: one set at a time shows an item."""
    return set(
        db.session.scalars(
            select(ItemVersion.item_id)
            .join(AttemptItem, AttemptItem.item_version_id == ItemVersion.id)
            .join(Attempt, Attempt.id == AttemptItem.attempt_id)
            .where(
                Attempt.user_id == user_id,
                Attempt.status == AttemptStatus.IN_PROGRESS,
                Attempt.quiz_id.in_([quiz_id for quiz_id, _ in SET_QUIZZES.values()]),
            )
        )
    )


def _mastery(user_id: int) -> dict[str, float]:
    """Share of points per code over every counted answer (from the rollups)."""
    rows = db.session.execute(
        select(CodeRollup.code, func.sum(CodeRollup.earned), func.sum(CodeRollup.possible))
        .where(CodeRollup.user_id == user_id)
        .group_by(CodeRollup.code)
    )
    return {code: earned / possible for code, earned, possible in rows if possible}


def _aimed(user_id: int, versions: dict[str, ItemVersion], not_now: set[str]) -> list[str]:
    """Items of the weakest code that has any to offer, nearest the cadre's estimate."""
    by_code: dict[str, list[ItemVersion]] = {}
    for item_id, version in versions.items():
        if item_id not in not_now:
            by_code.setdefault(version.item.code, []).append(version)
    estimates = abilities.estimates_of([user_id]).get(user_id, {})
    thetas = {code: a.theta for code, a in estimates.items() if code in by_code}
    mastery = {code: share for code, share in _mastery(user_id).items() if code in by_code}
    code = composition.weakest_code(thetas, mastery)
    if code is None:
        return []
    params = abilities.item_params(by_code[code])
    return composition.aimed_at(
        [Candidate(v.item_id, code, params[v.id].difficulty) for v in by_code[code]],
        thetas.get(code),
    )


def compose_daily(user_id: int, now: datetime, zone: str) -> list[str]:
    """Today's items: due reviews, then the weakest ability, then new items (at most five)."""
    versions = practicable_versions(now)
    busy = _in_open_sets(user_id)
    _, end = today(now, zone)
    due = [
        c.item_id
        for c in services.due_cards(user_id, end, set())
        if c.item_id in versions and c.item_id not in busy
    ]
    # Items scheduled for a later day wait for it: practising them early teaches FSRS wrong.
    not_now = services.scheduled_item_ids(user_id, end) | busy | set(due)
    seen = seen_item_ids(user_id)
    new = composition.shuffled(
        (i for i in versions if i not in seen and i not in not_now),
        seed=user_id * 100_000 + local_day(now, zone).toordinal(),
    )
    return composition.compose([due, _aimed(user_id, versions, not_now), new], DAILY_SIZE)


def compose_review(user_id: int, now: datetime, zone: str) -> list[str]:
    """The items due today, most overdue first (at most ten)."""
    versions = practicable_versions(now)
    busy = _in_open_sets(user_id)
    _, end = today(now, zone)
    due = [
        c.item_id
        for c in services.due_cards(user_id, end, set())
        if c.item_id in versions and c.item_id not in busy
    ]
    return composition.compose([due], REVIEW_SIZE)


# ---------------------------------------------------------------- starting


def _hand_in_earlier(user_id: int, kind: QuizKind, now: datetime, zone: str) -> Attempt | None:
    """The set of this kind in progress if it began today; one from an earlier day is handed
    in (its answers count for review) and None returned."""
    open_set = db.session.scalar(
        select(Attempt).where(
            Attempt.user_id == user_id,
            Attempt.quiz_id == SET_QUIZZES[kind][0],
            Attempt.status == AttemptStatus.IN_PROGRESS,
        )
    )
    if open_set is None:
        return None
    start, _ = today(now, zone)
    if open_set.started_at >= start:
        return open_set
    engine.submit_attempt(open_set.id, now)
    return None


def _start(user: User, kind: QuizKind, items: list[str], now: datetime) -> Attempt:
    if not items:
        raise NothingToPractise(kind)
    quiz = set_quiz(kind)
    return engine.start_or_resume_attempt(user, quiz.id, now, settings=set_settings(), items=items)


def start_daily(user: User, now: datetime, zone: str) -> Attempt:
    """Today's set: the one begun today (open or done), or a new one. Raises
    NothingToPractise when there is nothing to offer."""
    resumed = _hand_in_earlier(user.id, QuizKind.DAILY, now, zone)
    if resumed is not None:
        return resumed
    done = todays_set(user.id, QuizKind.DAILY, now, zone)
    if done is not None:
        return done
    return _start(user, QuizKind.DAILY, compose_daily(user.id, now, zone), now)


def start_review(user: User, now: datetime, zone: str) -> Attempt:
    """A set of the items due today (the open one if begun today). Raises NothingToPractise
    when nothing is due."""
    resumed = _hand_in_earlier(user.id, QuizKind.REVIEW, now, zone)
    if resumed is not None:
        return resumed
    return _start(user, QuizKind.REVIEW, compose_review(user.id, now, zone), now)


# ---------------------------------------------------------------- the pages


@dataclass(frozen=True)
class DueSummary:
    today: int  # due by the end of today
    tomorrow: int  # due by the end of tomorrow (today's included)
    held_for_exams: int  # due today but held by a live exam


def due_summary(user_id: int, now: datetime, zone: str) -> DueSummary:
    secured = exam_pools.secured_item_ids(now)
    _, end = today(now, zone)
    _, tomorrow_end = day_bounds(local_day(end, zone), zone)
    every = services.count_due(user_id, end, set())
    shown = services.count_due(user_id, end, secured)
    return DueSummary(shown, services.count_due(user_id, tomorrow_end, secured), every - shown)


def review_calendar(
    user_id: int, now: datetime, zone: str, days: int = 14
) -> tuple[list[tuple[date, int]], int]:
    """How many reviews come due on each of the next `days` days (after today, local dates),
    and how many later."""
    _, end = today(now, zone)
    per_day: dict[date, int] = {}
    later = 0
    last = local_day(end, zone).toordinal() + days - 1
    for due_at in services.upcoming_due_times(user_id, end, exam_pools.secured_item_ids(now)):
        day = local_day(due_at, zone)
        if day.toordinal() > last:
            later += 1
        else:
            per_day[day] = per_day.get(day, 0) + 1
    return sorted(per_day.items()), later


@dataclass(frozen=True)
class DailyCard:
    """The cadre's start page entry: today's set not begun, under way or done."""

    state: str  # "new", "open" or "done"
    due_today: int


def daily_card(user_id: int, now: datetime, zone: str) -> DailyCard:
    attempt = todays_set(user_id, QuizKind.DAILY, now, zone)
    state = "new" if attempt is None else "open" if attempt.is_open else "done"
    return DailyCard(state, due_summary(user_id, now, zone).today)
