"""Study hours earned by attempts: the engine and the grading release call `credit_if_passed`
when an attempt is graded, and the engine `credit_daily_set`, in the same transaction. Flush,
never commit."""

from __future__ import annotations

from datetime import datetime

from ..bank.vocabulary import QuizKind
from ..dates import local_day
from ..study_hours import services as study_hours
from ..study_hours.credit import CreditRule, assignment_source, daily_source, quiz_source
from .models import Attempt, AttemptItem
from .settings import QuizSettings


def credit_if_passed(attempt: Attempt, now: datetime) -> None:
    """A graded quiz that reaches its pass mark (or the policy's, where it sets none) earns
    the quiz-passed study hours: once per assignment, once a year per practice quiz. Self-
    assessments, diagnostics and practice sets earn none this way."""
    if attempt.quiz.kind != QuizKind.QUIZ or attempt.percent is None:
        return
    settings = QuizSettings.from_dict(attempt.settings or attempt.quiz.settings)
    policy = study_hours.current_policy()
    pass_mark = settings.pass_percent if settings.pass_percent is not None else policy.pass_percent
    if attempt.percent < pass_mark:
        return
    day = local_day(now, study_hours.default_zone())
    source = (
        assignment_source(attempt.assignment_id)
        if attempt.assignment_id is not None
        else quiz_source(attempt.quiz_id, day)
    )
    study_hours.record_credit(
        attempt.user_id,
        CreditRule.QUIZ_PASSED,
        source,
        now,
        label=attempt.quiz.title,
        policy=policy,
    )


def credit_daily_set(attempt: Attempt, rows: list[AttemptItem], now: datetime) -> None:
    """A day's practice set with every item answered earns the daily-set hours, once for the
    day it was drawn (a set handed in after midnight still belongs to its own day). A set left
    half done earns nothing: the hours are for practice, not for opening the page."""
    if attempt.quiz.kind != QuizKind.DAILY or not rows or not all(r.response for r in rows):
        return
    zone = study_hours.default_zone()
    study_hours.record_credit(
        attempt.user_id,
        CreditRule.DAILY_SET,
        daily_source(local_day(attempt.started_at, zone)),
        now,
        zone=zone,
    )
