"""The catalogue: the quizzes a cadre may practise, with his attempts used and in progress,
and his history. Reads only; the attempt engine is `services.py`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from ..auth.models import User
from ..bank.models import Item, Quiz
from ..extensions import db
from . import adaptive
from .models import Attempt, AttemptStatus
from .services import settings_of
from .settings import QuizSettings, grade_across_attempts


@dataclass(frozen=True)
class QuizCard:
    quiz: Quiz
    settings: QuizSettings
    item_count: int
    open_attempt_id: int | None
    attempts_used: int
    graded_percents: tuple[float, ...] = ()

    @property
    def attempts_left(self) -> int | None:
        return self.settings.attempts_left(self.attempts_used)

    @property
    def grade(self) -> float | None:
        """The grade that counts, by the quiz's grading method over graded attempts."""
        return grade_across_attempts(self.settings.grading_method, self.graded_percents)


def pool_sizes() -> tuple[dict[str, int], dict[str, int]]:
    """Live items per code (quiz questions) and per questionnaire (self-assessments)."""
    live = Item.drawable()
    per_code = db.session.execute(
        select(Item.code, func.count()).where(live, Item.questionnaire_id.is_(None))
        .group_by(Item.code)
    )
    per_questionnaire = db.session.execute(
        select(Item.questionnaire_id, func.count()).where(live, Item.questionnaire_id.is_not(None))
        .group_by(Item.questionnaire_id)
    )
    return dict(per_code.all()), dict(per_questionnaire.all())


@dataclass
class AttemptTally:
    """A cadre's attempts grouped by quiz or assignment: the one in progress, how many were
    used, and the percents of the graded ones in time order."""

    open_ids: dict = field(default_factory=dict)
    used: dict = field(default_factory=dict)
    percents: dict = field(default_factory=dict)


def tally_attempts(user_id: int, group_by: Any, *conditions: Any) -> AttemptTally:
    """One query over the cadre's attempts, grouped by `group_by` (a column)."""
    tally = AttemptTally()
    for key, attempt_id, status, score, max_score in db.session.execute(
        select(group_by, Attempt.id, Attempt.status, Attempt.score, Attempt.max_score)
        .where(Attempt.user_id == user_id, *conditions)
        .order_by(Attempt.started_at, Attempt.id)
    ):
        if status == AttemptStatus.IN_PROGRESS:
            tally.open_ids[key] = attempt_id
            continue
        tally.used[key] = tally.used.get(key, 0) + 1
        if status == AttemptStatus.GRADED and max_score:
            tally.percents.setdefault(key, []).append(100.0 * score / max_score)
    return tally


def list_quizzes_for(user: User) -> list[QuizCard]:
    """Quizzes this user may practise (those with items), with practice attempts used and in
    progress; assignments are listed by the cohorts feature."""
    sizes, questionnaire_sizes = pool_sizes()
    tally = tally_attempts(user.id, Attempt.quiz_id, Attempt.assignment_id.is_(None))
    cards = []
    quizzes = db.session.scalars(
        select(Quiz).where(Quiz.is_active.is_(True)).order_by(Quiz.position, Quiz.id)
    )
    for quiz in quizzes:
        if quiz.is_self_assessment:
            count = questionnaire_sizes.get(quiz.id, 0)
        elif quiz.is_adaptive:  # at most this many: it stops once it knows enough
            pooled = sum(sizes.get(rule["code"], 0) for rule in quiz.draw)
            count = min(pooled, adaptive.rules_of(quiz).max_items)
        else:
            count = sum(min(rule["count"], sizes.get(rule["code"], 0)) for rule in quiz.draw)
        if count:
            cards.append(QuizCard(quiz, settings_of(quiz), count, tally.open_ids.get(quiz.id),
                                  tally.used.get(quiz.id, 0),
                                  tuple(tally.percents.get(quiz.id, ()))))
    return cards


def history(user: User) -> list[Attempt]:
    return list(db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id).order_by(Attempt.started_at.desc())
    ))
