"""Challenge runs on the attempt engine: start, answer one item at a time, end, best.

The engine keeps the answers, the deadline (each item's, moved on with every new item) and
the grading; handing a run in grades it like any attempt, so its answers reach review
scheduling. This module chooses items, judges each answer as it comes and records the run.
Flush, never commit; write paths are called after `begin_write()`.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select

from ..auth.models import User
from ..bank.models import Item, ItemVersion, Quiz
from ..bank.vocabulary import ALL_CODES, QuizKind
from ..extensions import db
from ..kinds import kind_of
from ..quizzes import exam_pools, scoring
from ..quizzes import services as engine
from ..quizzes.models import Attempt, AttemptItem, AttemptStatus
from ..quizzes.scoring import scoring_input
from ..quizzes.settings import QuizMode, QuizSettings
from .models import ChallengeLeaderboard, ChallengeRun
from .rules import Candidate, EndReason, Timing, choose_next, fits_challenge, run_rng

CHALLENGE_QUIZ_ID = "challenge"


class NoItems(Exception):
    """No item can be drawn for a challenge (none loaded, or all held by a live exam)."""


class NoOpenRun(Exception):
    """The cadre has no run in progress (it ended, or its time ran out)."""


class NotCurrentItem(Exception):
    """The answer is for an item the run has moved past (a repeated or stale post)."""


class NoChoice(Exception):
    """An answer with nothing chosen, sent while the item's time still runs."""


def challenge_quiz() -> Quiz:
    """The quiz every run is an attempt of, made on first use. It is not offered in the
    catalogue or for assignments (inactive, and a practice-set kind)."""
    quiz = db.session.get(Quiz, CHALLENGE_QUIZ_ID)
    if quiz is None:
        quiz = Quiz(
            id=CHALLENGE_QUIZ_ID,
            kind=QuizKind.CHALLENGE,
            is_active=False,
            position=900,
            title={"zh": "挑战答题", "en": "Challenge"},
            description={
                "zh": "一题接一题，答错一题或超时即结束。",
                "en": "One item after another until the first wrong answer or timeout.",
            },
            draw=[{"code": code, "count": 1} for code in ALL_CODES],
            # Keys and explanations after the run; a run left open is graded as it stands.
            settings=QuizSettings(mode=QuizMode.TEST, shuffle_items=False).to_dict(),
        )
        db.session.add(quiz)
        db.session.flush()
    return quiz


def _candidates(now: datetime) -> dict[str, tuple[ItemVersion, Candidate]]:
    """Current versions of the items a challenge may show: drawable, answered by choosing,
    scored automatically, and not held by an exam that is open or still to come."""
    secured = exam_pools.secured_item_ids(now, None)
    versions = db.session.scalars(
        select(ItemVersion)
        .join(
            Item, and_(Item.id == ItemVersion.item_id, Item.current_version == ItemVersion.version)
        )
        .where(Item.drawable(), Item.questionnaire_id.is_(None))
    )
    return {
        v.item_id: (v, Candidate(v.item_id, v.difficulty))
        for v in versions
        if v.item_id not in secured and fits_challenge(kind_of(v.kind))
    }


def _next_version(now: datetime, shown: set[str], seed: int, position: int) -> ItemVersion | None:
    found = _candidates(now)
    chosen = choose_next([c for _, c in found.values()], shown, position, run_rng(seed, position))
    return None if chosen is None else found[chosen][0]


@dataclass(frozen=True)
class OpenRun:
    attempt: Attempt
    run: ChallengeRun
    row: AttemptItem  # the item on screen: the run's last


def _open_attempt(user_id: int) -> Attempt | None:
    return db.session.scalar(
        select(Attempt).where(
            Attempt.user_id == user_id,
            Attempt.quiz_id == CHALLENGE_QUIZ_ID,
            Attempt.assignment_id.is_(None),
            Attempt.status == AttemptStatus.IN_PROGRESS,
        )
    )


def open_run(user_id: int, now: datetime, timing: Timing) -> OpenRun | None:
    """The run in progress whose item still takes an answer; None otherwise."""
    attempt = _open_attempt(user_id)
    if attempt is None or timing.has_run_out(attempt.deadline_at, now):
        return None
    run = db.session.get(ChallengeRun, attempt.id)
    rows = engine.attempt_items(attempt)
    if run is None or not rows:
        return None
    return OpenRun(attempt, run, rows[-1])


def _end(
    attempt: Attempt,
    run: ChallengeRun,
    reason: EndReason,
    at: datetime,
    now: datetime,
    timing: Timing,
) -> ChallengeRun:
    """Record how the run ended and hand the attempt in (graded by the engine)."""
    run.end_reason, run.ended_at = reason, at
    engine.submit_attempt(attempt.id, now, timing.grace)
    db.session.flush()
    return run


def settle_expired(user_id: int, now: datetime, timing: Timing) -> ChallengeRun | None:
    """End a run whose item's time (and grace) ran out; returns it, or None if none did."""
    attempt = _open_attempt(user_id)
    if attempt is None or not timing.has_run_out(attempt.deadline_at, now):
        return None
    run = db.session.get(ChallengeRun, attempt.id)
    if run is None:  # not started here: close it as the engine would
        engine.submit_attempt(attempt.id, now, timing.grace)
        return None
    return _end(attempt, run, EndReason.TIMEOUT, attempt.deadline_at or now, now, timing)


def start_run(user: User, now: datetime, timing: Timing) -> OpenRun:
    """The run in progress, or a new one with its first item. Raises NoItems."""
    settle_expired(user.id, now, timing)
    current = open_run(user.id, now, timing)
    if current is not None:
        return current
    challenge_quiz()
    first = _next_version(now, set(), secrets.randbelow(2**31), 1)
    if first is None:
        raise NoItems(CHALLENGE_QUIZ_ID)
    attempt = engine.start_or_resume_attempt(
        user, CHALLENGE_QUIZ_ID, now, timing.grace, items=[first.item_id]
    )
    attempt.deadline_at = timing.deadline(now)
    run = ChallengeRun(
        attempt_id=attempt.id,
        user_id=user.id,
        item_seconds=timing.item_seconds,
        correct=0,
        started_at=now,
    )
    db.session.add(run)
    db.session.flush()
    rows = engine.attempt_items(attempt)
    return OpenRun(attempt, run, rows[-1])


def _append(attempt: Attempt, version: ItemVersion, position: int) -> None:
    options = [o["id"] for o in version.content["options"]]
    db.session.add(
        AttemptItem(
            attempt_id=attempt.id,
            position=position,
            item_version_id=version.id,
            code=version.item.code,
            max_score=1.0,
            option_order=kind_of(version.kind).option_order(options, attempt.seed, position),
        )
    )


@dataclass(frozen=True)
class Step:
    """What an answer did: the run goes on (`ended` None) or ended for this reason."""

    run: ChallengeRun
    was_correct: bool
    ended: EndReason | None


def answer(
    user: User,
    item_id: str,
    response: Sequence[str],
    timed_out: bool,
    now: datetime,
    timing: Timing,
) -> Step:
    """Judge the answer to the item on screen: right brings the next item (with a fresh
    timer), anything else ends the run. An answer after the item's time and grace ends the
    run as timed out, whatever it says. Raises NoOpenRun, NotCurrentItem, NoChoice or the
    engine's InvalidAnswer (an option the item does not have)."""
    attempt = _open_attempt(user.id)
    attempt = engine.lock_attempt(attempt.id) if attempt is not None else None
    run = db.session.get(ChallengeRun, attempt.id) if attempt is not None else None
    if attempt is None or run is None or attempt.status != AttemptStatus.IN_PROGRESS:
        raise NoOpenRun(str(user.id))
    rows = engine.attempt_items(attempt)
    row = rows[-1]
    if row.item_version.item_id != item_id:
        raise NotCurrentItem(item_id)
    if timing.has_run_out(attempt.deadline_at, now):
        return Step(
            _end(attempt, run, EndReason.TIMEOUT, attempt.deadline_at or now, now, timing),
            False,
            EndReason.TIMEOUT,
        )
    if not [value for value in response if value]:
        if not timed_out:
            raise NoChoice(item_id)
        return Step(
            _end(attempt, run, EndReason.TIMEOUT, now, now, timing), False, EndReason.TIMEOUT
        )
    engine.save_answer(attempt, row, response, (row.client_seq or 0) + 1, now, timing.grace)
    if not scoring.score_item(scoring_input(row)).is_correct:
        return Step(_end(attempt, run, EndReason.WRONG, now, now, timing), False, EndReason.WRONG)
    run.correct += 1
    shown = {r.item_version.item_id for r in rows}
    version = _next_version(now, shown, attempt.seed, len(rows) + 1)
    if version is None:
        return Step(
            _end(attempt, run, EndReason.CLEARED, now, now, timing), True, EndReason.CLEARED
        )
    _append(attempt, version, row.position + 1)
    attempt.deadline_at = timing.deadline(now)
    db.session.flush()
    return Step(run, True, None)


def stop_run(user: User, now: datetime, timing: Timing) -> ChallengeRun | None:
    """End the run in progress at the cadre's wish (the item on screen stays unanswered)."""
    settle_expired(user.id, now, timing)
    current = open_run(user.id, now, timing)
    if current is None:
        return None
    locked = engine.lock_attempt(current.attempt.id)
    if locked is None or locked.status != AttemptStatus.IN_PROGRESS:
        return None
    return _end(locked, current.run, EndReason.STOPPED, now, now, timing)


def personal_best(user_id: int) -> int:
    """The most items the cadre answered right in a row in any run (0 before any)."""
    return (
        db.session.scalar(
            select(func.coalesce(func.max(ChallengeRun.correct), 0)).where(
                ChallengeRun.user_id == user_id
            )
        )
        or 0
    )


@dataclass(frozen=True)
class LastRun:
    run: ChallengeRun
    reason: EndReason | None  # None: still open
    last_row: AttemptItem | None  # the item that ended it, for its key and explanations


def last_run(user_id: int, now: datetime, timing: Timing) -> LastRun | None:
    """The cadre's latest run and how it ended. A run the periodic job closed after its time
    ran out has no reason recorded: it timed out."""
    run = db.session.scalar(
        select(ChallengeRun)
        .where(ChallengeRun.user_id == user_id)
        .order_by(ChallengeRun.started_at.desc(), ChallengeRun.attempt_id.desc())
        .limit(1)
    )
    if run is None:
        return None
    attempt = db.session.get(Attempt, run.attempt_id)
    reason = run.end_reason
    if reason is None and (
        attempt is None or not attempt.is_open or timing.has_run_out(attempt.deadline_at, now)
    ):
        reason = EndReason.TIMEOUT
    rows = engine.attempt_items(attempt) if attempt is not None and reason else []
    return LastRun(run, reason, rows[-1] if rows else None)


def leaderboard_enabled(cohort_id: int) -> bool:
    """Has the cohort's coordinator turned its challenge leaderboard on?"""
    return db.session.get(ChallengeLeaderboard, cohort_id) is not None
