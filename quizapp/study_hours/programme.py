"""Cohort programmes and study hours: who completed a cohort's programme (see completion.py),
the cohort's yearly totals for its coordinator, and what a certificate shows. Reads only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from ..auth.models import User
from ..cohorts.models import Assignment, Cohort, Membership
from ..dates import local_day
from ..extensions import db
from ..quizzes.models import Attempt, AttemptStatus
from ..quizzes.settings import QuizSettings
from . import services
from .completion import Completion, GradedAttempt, assignment_result, completion
from .credit import YearProgress


def completions(cohort_id: int, user_ids: Iterable[int]) -> dict[int, Completion]:
    """Each person's progress through the cohort's programme, in two queries."""
    ids = sorted(set(user_ids))
    assignments = list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.cohort_id == cohort_id)
            .order_by(Assignment.created_at, Assignment.id)
        )
    )
    graded: dict[tuple[int, int], list[GradedAttempt]] = {}
    if assignments and ids:
        for user_id, assignment_id, score, max_score, graded_at in db.session.execute(
            select(
                Attempt.user_id,
                Attempt.assignment_id,
                Attempt.score,
                Attempt.max_score,
                Attempt.graded_at,
            )
            .where(
                Attempt.assignment_id.in_([a.id for a in assignments]),
                Attempt.user_id.in_(ids),
                Attempt.status == AttemptStatus.GRADED,
            )
            .order_by(Attempt.started_at, Attempt.id)
        ):
            percent = 100.0 * score / max_score if max_score else None
            graded.setdefault((user_id, assignment_id), []).append(
                GradedAttempt(percent, graded_at)
            )
    result = {}
    for user_id in ids:
        mine = [(a, graded.get((user_id, a.id), [])) for a in assignments]
        results = [
            assignment_result(a.id, a.quiz.title, QuizSettings.from_dict(a.settings), attempts)
            for a, attempts in mine
        ]
        result[user_id] = completion(results, [g for _, attempts in mine for g in attempts])
    return result


@dataclass(frozen=True)
class MemberHours:
    user: User
    progress: YearProgress
    completion: Completion


def cohort_hours(cohort: Cohort, year: int) -> list[MemberHours]:
    """Every member's hours in the year and programme state, in five queries."""
    members = list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.cohort_id == cohort.id)
            .order_by(User.username)
        )
    )
    ids = [u.id for u in members]
    totals = services.year_totals(ids, year)
    target = services.current_policy().yearly_target
    done = completions(cohort.id, ids)
    return [
        MemberHours(u, YearProgress(year, totals.get(u.id, 0), target), done[u.id]) for u in members
    ]


@dataclass(frozen=True)
class Programme:
    cohort: Cohort
    completion: Completion


def programmes_of(user_id: int) -> list[Programme]:
    """The person's cohorts and where he stands in each one's programme."""
    cohorts = list(
        db.session.scalars(
            select(Cohort)
            .join(Membership, Membership.cohort_id == Cohort.id)
            .where(Membership.user_id == user_id)
            .order_by(Cohort.name)
        )
    )
    return [Programme(c, completions(c.id, [user_id])[user_id]) for c in cohorts]


@dataclass(frozen=True)
class Certificate:
    cohort: Cohort
    user: User
    completion: Completion
    hours: YearProgress  # the year the programme was completed in

    @property
    def number(self) -> str:
        """Cohort, person and completion date: the same certificate always has it."""
        completed = self.completion.completed_at
        return f"{self.cohort.id}-{self.user.id}-{completed:%Y%m%d}" if completed else ""


def certificate(cohort_id: int, user: User, zone: str) -> Certificate | None:
    """What the certificate shows, or None unless `user` is a member who completed the
    cohort's programme."""
    cohort = db.session.scalar(
        select(Cohort)
        .join(Membership, Membership.cohort_id == Cohort.id)
        .where(Cohort.id == cohort_id, Membership.user_id == user.id)
    )
    if cohort is None:
        return None
    done = completions(cohort.id, [user.id])[user.id]
    if done.completed_at is None:
        return None
    year = local_day(done.completed_at, zone).year
    return Certificate(cohort, user, done, services.year_progress(user.id, year))
