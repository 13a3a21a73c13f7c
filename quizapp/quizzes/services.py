"""The attempt engine: start or resume, save answers, submit and grade, close overdue attempts.
The list of quizzes a cadre may take is the catalogue's (`catalogue.py`).

Services flush and never commit; the view or command commits once. Write paths start with
`begin_write()` (in the view) so SQLite queues concurrent writers and PostgreSQL row locks hold.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from ..abilities import services as abilities
from ..auth.models import User
from ..bank.models import Quiz
from ..bank.vocabulary import PRACTICE_SET_KINDS
from ..extensions import db
from ..kinds import InvalidAnswer as KindRefused
from ..kinds import Shown, kind_of
from ..kinds.likert import mean_self_rating
from ..practice import services as practice
from . import adaptive, bank_pools, exam_pools, rollups, scoring, starting, study_credit
from .answering import SAVE_ANSWER, ensure_accepting_answers, is_past_deadline
from .drawing import choose_items
from .models import (
    Attempt,
    AttemptClosed,
    AttemptItem,
    AttemptStatus,
    Confidence,
    DeadlinePassed,
    InvalidAnswer,
    ItemsReserved,
    NoAttemptsLeft,
    QuizUnavailable,
    WindowClosed,
)
from .reading import attempt_items, find_attempt_item
from .scoring import scoring_input
from .settings import OverdueAction, QuizSettings

__all__ = ["AttemptClosed", "DeadlinePassed", "InvalidAnswer", "ItemsReserved",
           "NoAttemptsLeft", "QuizUnavailable", "WindowClosed", "attempt_items",
           "find_attempt_item"]


def settings_of(quiz: Quiz) -> QuizSettings:
    return QuizSettings.from_dict(quiz.settings)


def attempt_settings(attempt: Attempt) -> QuizSettings:
    """The rules an attempt runs under: those in force when it started."""
    return QuizSettings.from_dict(attempt.settings or attempt.quiz.settings)


# ---------------------------------------------------------------- starting


def _open_attempt(user_id: int, quiz_id: str, assignment_id: int | None = None
                  ) -> Attempt | None:
    return db.session.scalar(select(Attempt).where(
        Attempt.user_id == user_id, starting.same_context(quiz_id, assignment_id),
        Attempt.status == AttemptStatus.IN_PROGRESS,
    ))


def start_or_resume_attempt(user: User, quiz_id: str, now: datetime,
                            grace: timedelta = timedelta(0), assignment_id: int | None = None,
                            settings: QuizSettings | None = None,
                            # An assignment's items from its coordinator's local bank
                            # (vetted by the caller): they join what the quiz draws.
                            local_items: Sequence[str] = (),
                            item_pool: Sequence[str] | None = None,
                            items: Sequence[str] | None = None) -> Attempt:
    """The attempt in progress for this quiz (or assignment), or a new one from the bank.

    An assignment passes its id, its own settings and, for an exam, its item pool; a practice
    set (not offered in the catalogue) its exact items in order. Raises QuizUnavailable,
    WindowClosed or NoAttemptsLeft."""
    quiz, open_id, used, bank_revision = starting.quiz_and_state(user.id, quiz_id,
                                                                 assignment_id)
    if quiz is None or not (quiz.is_active or quiz.kind in PRACTICE_SET_KINDS):
        raise QuizUnavailable(quiz_id)
    settings = settings or settings_of(quiz)
    if open_id is not None:
        existing = db.session.get(Attempt, open_id)
        if not is_past_deadline(existing, now, grace):
            return existing
        close_overdue_attempt(existing, now)
        used += 1
    if not settings.is_open(now):
        raise WindowClosed(quiz_id)
    if settings.attempts_left(used) == 0:
        raise NoAttemptsLeft(quiz_id)

    seed = secrets.randbelow(2**31)
    allowed = set(item_pool) if item_pool is not None else None
    secured = set() if allowed is not None else \
        exam_pools.secured_item_ids(now, assignment_id, bank_revision)
    # The shared bank's items of the quiz's codes, kept per bank revision (cheap when kept).
    bank = bank_pools.drawable_items(quiz.codes, bank_revision) if items is None else {}
    chosen = list(items) if items is not None else \
        choose_items(user.id, quiz, settings, seed, allowed, secured, local_items, bank)
    if not chosen:
        raise ItemsReserved(quiz_id) if secured else QuizUnavailable(quiz_id)
    attempt = starting.insert_attempt(
        {"user_id": user.id, "quiz_id": quiz.id, "assignment_id": assignment_id,
         "settings": settings.to_dict(), "seed": seed, "started_at": now,
         "deadline_at": settings.deadline(now), "status": AttemptStatus.IN_PROGRESS},
        starting.drawn_rows(chosen, seed, settings.shuffle_options, bank))
    if attempt is None:
        # Another request started the same quiz a moment ago: resume that attempt instead.
        attempt = _open_attempt(user.id, quiz_id, assignment_id)
        if attempt is None:
            raise QuizUnavailable(quiz_id)  # started and already handed in meanwhile
    else:
        set_committed_value(attempt, "quiz", quiz)  # read above: no query to reach it again
    return attempt


# ---------------------------------------------------------------- answering


def seconds_left(attempt: Attempt, now: datetime) -> int | None:
    """Remaining time by the server's clock; the page's countdown only displays it."""
    if attempt.deadline_at is None:
        return None
    return max(0, int((attempt.deadline_at - now).total_seconds()))


def shown(row: AttemptItem, attempt: Attempt | None = None) -> Shown:
    """The row as its kind sees it; without `attempt` the row's own must be loaded (see
    `reading.belonging_to`)."""
    seed = (attempt or row.attempt).seed
    released = row.manual_grade if row.score is not None else None
    return Shown(row.item_version.content, tuple(row.option_order), seed, row.position,
                 released)


def _clean_answer(row: AttemptItem, response: Sequence[str],
                  attempt: Attempt | None = None) -> list[str] | None:
    try:
        return kind_of(row.item_version.kind).clean(shown(row, attempt), response)
    except KindRefused as refused:
        raise InvalidAnswer(f"item {row.position}: {refused}") from None


def save_responses(attempt: Attempt, responses: Mapping[int, Sequence[str]], now: datetime,
                   grace: timedelta = timedelta(0)) -> int:
    """Store the answers of a whole page (by attempt-item id); returns how many changed."""
    ensure_accepting_answers(attempt, now, grace)
    changed = 0
    for row in attempt_items(attempt):
        if row.id not in responses or row.checked_at is not None:  # key shown: final
            continue
        new_value = _clean_answer(row, responses[row.id])
        if row.response != new_value:
            row.response = new_value
            row.answered_at = now
            changed += 1
    db.session.flush()
    return changed


@dataclass(frozen=True)
class SavedAnswer:
    row: AttemptItem
    is_applied: bool  # False when a newer answer (higher sequence number) was already saved


def save_answer(attempt: Attempt, row: AttemptItem, response: Sequence[str], seq: int,
                now: datetime, grace: timedelta,
                confidence: Confidence | None = None) -> SavedAnswer:
    """Save one answer (and the confidence marked with it) unless a newer one (by the client's
    sequence number) is already saved, or its key was shown (practice mode: final).

    The compare-and-set happens in one UPDATE, so a stale replay racing a newer answer can
    never overwrite it, whatever the order in which they arrive."""
    ensure_accepting_answers(attempt, now, grace)
    value = _clean_answer(row, response, attempt)
    values: dict[str, Any] = {"response": value, "client_seq": seq, "answered_at": now}
    if confidence is not None:
        values["confidence"] = confidence
    applied = db.session.execute(SAVE_ANSWER[confidence is not None], {
        "row_id": row.id, "seq": seq, "new_response": value, "now": now,
        "new_confidence": confidence}).first() is not None
    if applied:
        # The database already holds these values: record them as loaded, not as changes.
        for name, stored in values.items():
            set_committed_value(row, name, stored)
    else:
        # A newer or a final answer won: report what is saved (only these columns: the row's
        # version, loaded with it, must stay loaded for the feedback).
        db.session.refresh(row, ["response", "client_seq", "answered_at", "confidence",
                                 "checked_at"])
    return SavedAnswer(row, applied)


def check_answer(row: AttemptItem, now: datetime, confidence: Confidence | None = None) -> None:
    """Practice mode: the key of a given answer is about to be shown, so the answer (and the
    confidence marked before it) is final from now on."""
    if row.checked_at is None and row.response:
        if confidence is not None:
            row.confidence = confidence
        row.checked_at = now
        db.session.flush()


def advance_diagnostic(attempt: Attempt, now: datetime, grace: timedelta = timedelta(0)) -> bool:
    """After an answer in an adaptive diagnostic: add the next item, or hand the attempt in
    when the estimate is precise enough (True)."""
    ensure_accepting_answers(attempt, now, grace)
    rows = attempt_items(attempt)
    secured = exam_pools.secured_item_ids(now, attempt.assignment_id)
    if adaptive.advance(attempt, rows, secured, now):
        submit_attempt(attempt.id, now, grace)
        return True
    return False


# ---------------------------------------------------------------- submitting and grading


def grade_attempt(attempt: Attempt, now: datetime) -> None:
    """Score every item of a handed-in attempt. When an answer waits for a person (a case
    analysis), the attempt awaits grading with the automatic part scored; otherwise it is
    graded and counted into the rollups."""
    rows = attempt_items(attempt)
    result = scoring.score_attempt([scoring_input(row) for row in rows])
    waiting = False
    for row, item_score in zip(rows, result.items, strict=True):
        if kind_of(row.item_version.kind).needs_grader and row.response:
            row.score, waiting = None, True
        else:
            row.score = item_score.score
    practice.record_reviews(attempt, rows, now)  # every scored answer schedules its review
    if waiting:
        attempt.record_grade(result.score, result.max_score, now,
                             AttemptStatus.AWAITING_GRADING)
        return
    attempt.record_grade(result.score, result.max_score, now)
    if attempt.quiz.is_self_assessment:
        attempt.self_rating = mean_self_rating(
            [(row.response, row.item_version.content["key"]) for row in rows])
    if attempt.quiz.kind not in PRACTICE_SET_KINDS:  # practice sets are no evidence of ability
        rollups.add_attempt(attempt, rows)
        abilities.update(attempt.user_id, {row.code for row in rows if row.max_score > 0}, now)
    study_credit.credit_if_passed(attempt, now)
    study_credit.credit_daily_set(attempt, rows, now)


def lock_attempt(attempt_id: int) -> Attempt | None:
    """Load the attempt with a row lock (PostgreSQL); SQLite holds its write lock already."""
    return db.session.scalar(
        select(Attempt).where(Attempt.id == attempt_id).with_for_update(of=Attempt)
        .execution_options(populate_existing=True)
    )


@dataclass(frozen=True)
class SubmitOutcome:
    attempt: Attempt
    graded_now: bool  # True for exactly one caller, however many submit at once


def submit_attempt(attempt_id: int, now: datetime,
                   grace: timedelta = timedelta(0)) -> SubmitOutcome:
    """Hand in and grade an attempt exactly once; later or concurrent calls change nothing
    and see the same result. A submit after the deadline and its grace takes the overdue path."""
    attempt = lock_attempt(attempt_id)
    if attempt is None:
        raise AttemptClosed(f"attempt {attempt_id} does not exist")
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return SubmitOutcome(attempt, graded_now=False)
    if is_past_deadline(attempt, now, grace):
        close_overdue_attempt(attempt, now)
    else:
        attempt.move_to(AttemptStatus.SUBMITTED, now)
        grade_attempt(attempt, now)
    db.session.flush()
    return SubmitOutcome(attempt, graded_now=attempt.is_graded)


def close_overdue_attempt(attempt: Attempt, now: datetime) -> None:
    """Mark an attempt overdue; grade the saved answers if its quiz says so."""
    attempt.move_to(AttemptStatus.OVERDUE, now)
    if attempt_settings(attempt).overdue_action == OverdueAction.AUTOSUBMIT:
        grade_attempt(attempt, now)


def close_overdue_attempts(now: datetime, grace: timedelta) -> list[Attempt]:
    """Close every attempt still open past its deadline and grace (the periodic job)."""
    overdue = list(db.session.scalars(
        select(Attempt).where(Attempt.status == AttemptStatus.IN_PROGRESS,
                              Attempt.deadline_at < now - grace)
        .with_for_update(of=Attempt, skip_locked=True).order_by(Attempt.id)
    ))
    for attempt in overdue:
        close_overdue_attempt(attempt, now)
    db.session.flush()
    return overdue
