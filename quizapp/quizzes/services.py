"""Attempt services: start or resume, save answers, submit, review. Flush, never commit."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..bank.kinds import ALL_CODES, QuestionKind
from ..bank.models import Item, ItemVersion, Misconception, Quiz
from ..extensions import db
from . import scoring
from .models import Attempt, AttemptClosed, AttemptItem, AttemptStatus
from .selection import DrawSpec, draw_items, option_order

__all__ = ["AttemptClosed", "InvalidAnswer", "QuizUnavailable"]


class QuizUnavailable(Exception):
    """The quiz does not exist, is not offered, or has no items yet."""


class InvalidAnswer(Exception):
    """An answer names an option that the item does not have."""


@dataclass(frozen=True)
class QuizCard:
    quiz: Quiz
    item_count: int
    open_attempt_id: int | None


def quiz_codes(quiz: Quiz) -> list[str]:
    return [rule["code"] for rule in quiz.draw]


def pool_sizes() -> tuple[dict[str, int], dict[str, int]]:
    """Live items per code (quiz questions) and per questionnaire (self-assessments)."""
    live = Item.is_retired.is_(False)
    per_code = db.session.execute(
        select(Item.code, func.count()).where(live, Item.questionnaire_id.is_(None))
        .group_by(Item.code)
    )
    per_questionnaire = db.session.execute(
        select(Item.questionnaire_id, func.count()).where(live, Item.questionnaire_id.is_not(None))
        .group_by(Item.questionnaire_id)
    )
    return dict(per_code.all()), dict(per_questionnaire.all())


def list_quizzes_for(user: User) -> list[QuizCard]:
    """Quizzes this user may take (those with items), with any attempt left in progress."""
    sizes, questionnaire_sizes = pool_sizes()
    open_attempts = dict(db.session.execute(
        select(Attempt.quiz_id, Attempt.id).where(
            Attempt.user_id == user.id, Attempt.status == AttemptStatus.IN_PROGRESS
        )
    ).all())
    cards = []
    quizzes = db.session.scalars(
        select(Quiz).where(Quiz.is_active.is_(True)).order_by(Quiz.position, Quiz.id)
    )
    for quiz in quizzes:
        if quiz.is_self_assessment:
            count = questionnaire_sizes.get(quiz.id, 0)
        else:
            count = sum(min(rule["count"], sizes.get(rule["code"], 0)) for rule in quiz.draw)
        if count:
            cards.append(QuizCard(quiz, count, open_attempts.get(quiz.id)))
    return cards


def _open_attempt(user: User, quiz_id: str) -> Attempt | None:
    return db.session.scalar(select(Attempt).where(
        Attempt.user_id == user.id, Attempt.quiz_id == quiz_id,
        Attempt.status == AttemptStatus.IN_PROGRESS,
    ))


def _seen_item_ids(user: User) -> set[str]:
    rows = db.session.scalars(
        select(ItemVersion.item_id).distinct()
        .join(AttemptItem, AttemptItem.item_version_id == ItemVersion.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.user_id == user.id)
    )
    return set(rows)


def _choose_items(user: User, quiz: Quiz, seed: int) -> list[str]:
    """A self-assessment shows all its statements in order; a quiz draws from the bank."""
    live = Item.is_retired.is_(False)
    if quiz.is_self_assessment:
        return list(db.session.scalars(
            select(Item.id).where(live, Item.questionnaire_id == quiz.id).order_by(Item.id)
        ))
    pool: dict[str, list[str]] = {}
    for item_id, code in db.session.execute(
        select(Item.id, Item.code).where(Item.code.in_(quiz_codes(quiz)), live,
                                         Item.questionnaire_id.is_(None))
    ):
        pool.setdefault(code, []).append(item_id)
    rules = [DrawSpec(rule["code"], rule["count"]) for rule in quiz.draw]
    return draw_items(pool, rules, _seen_item_ids(user), seed)


def start_or_resume_attempt(user: User, quiz_id: str, now: datetime) -> Attempt:
    """The attempt in progress for this quiz, or a new one drawn from the bank."""
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or not quiz.is_active:
        raise QuizUnavailable(quiz_id)
    existing = _open_attempt(user, quiz_id)
    if existing is not None:
        return existing

    seed = secrets.randbelow(2**31)
    chosen = _choose_items(user, quiz, seed)
    if not chosen:
        raise QuizUnavailable(quiz_id)

    versions = {v.item_id: v for v in db.session.scalars(
        select(ItemVersion).join(Item, and_(
            Item.id == ItemVersion.item_id, Item.current_version == ItemVersion.version,
        )).where(Item.id.in_(chosen))
    )}
    attempt = Attempt(user_id=user.id, quiz_id=quiz.id, seed=seed, started_at=now,
                      status=AttemptStatus.IN_PROGRESS)
    for position, item_id in enumerate(chosen, start=1):
        version = versions[item_id]
        option_ids = [o["id"] for o in version.content["options"]]
        kind = QuestionKind(version.kind)
        attempt.items.append(AttemptItem(
            position=position, item_version_id=version.id, code=version.item.code,
            option_order=option_order(option_ids, kind, seed, position),
            max_score=0.0 if kind == QuestionKind.LIKERT else 1.0,
        ))
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # Another request started the same quiz a moment ago: resume that attempt instead.
        existing = _open_attempt(user, quiz_id)
        if existing is None:
            raise
        return existing
    return attempt


def attempt_items(attempt: Attempt) -> list[AttemptItem]:
    """The attempt's items with their versions, in one query."""
    return list(db.session.scalars(
        select(AttemptItem).where(AttemptItem.attempt_id == attempt.id)
        .options(selectinload(AttemptItem.item_version))
        .order_by(AttemptItem.position)
    ))


def save_responses(
    attempt: Attempt, responses: Mapping[int, Sequence[str]], now: datetime
) -> int:
    """Store the answers given (by attempt-item id); returns how many changed."""
    if not attempt.is_open:
        raise AttemptClosed(f"attempt {attempt.id} is {attempt.status}")
    changed = 0
    for row in attempt_items(attempt):
        if row.id not in responses:
            continue
        answer = sorted(set(responses[row.id]))
        if not set(answer) <= set(row.option_order):
            raise InvalidAnswer(f"item {row.position}: unknown option")
        new_value = answer or None
        if row.response != new_value:
            row.response = new_value
            row.answered_at = now
            changed += 1
    db.session.flush()
    return changed


def _scoring_input(row: AttemptItem) -> scoring.ScoringInput:
    version = row.item_version
    return scoring.ScoringInput(
        code=row.code,
        kind=QuestionKind(version.kind),
        key=tuple(version.content["key"]),
        option_ids=tuple(row.option_order),
        response=tuple(row.response) if row.response else None,
        weight=row.max_score,
    )


def submit_attempt(attempt: Attempt, now: datetime) -> Attempt:
    """Score and close the attempt. Submitting a submitted attempt changes nothing."""
    # Lock the row (PostgreSQL) so two concurrent submits cannot both grade it.
    locked = db.session.scalar(
        select(Attempt).where(Attempt.id == attempt.id).with_for_update(of=Attempt)
        .execution_options(populate_existing=True)
    )
    if locked is None or not locked.is_open:
        return locked or attempt
    rows = attempt_items(locked)
    result = scoring.score_attempt([_scoring_input(row) for row in rows])
    for row, item_score in zip(rows, result.items, strict=True):
        row.score = item_score.score
    locked.mark_submitted(result.score, result.max_score, now)
    if locked.quiz.is_self_assessment:
        locked.self_rating = scoring.mean_self_rating([row.response for row in rows])
    db.session.flush()
    return locked


def history(user: User) -> list[Attempt]:
    return list(db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id).order_by(Attempt.started_at.desc())
    ))


# ---------------------------------------------------------------- plain data for the pages


@dataclass(frozen=True)
class ShownOption:
    id: str
    label: str  # A, B, C … in the order shown
    text: str
    explanation: str
    is_key: bool
    is_chosen: bool
    misconception: str | None


@dataclass(frozen=True)
class ShownItem:
    attempt_item_id: int
    position: int
    item_id: str
    code: str
    kind: str
    stem: str
    options: tuple[ShownOption, ...]
    response: tuple[str, ...]
    score: float | None
    max_score: float
    locator: dict[str, Any]

    @property
    def is_multiple(self) -> bool:
        return self.kind == QuestionKind.MULTIPLE

    @property
    def is_rating(self) -> bool:
        return self.kind == QuestionKind.LIKERT

    @property
    def is_correct(self) -> bool:
        return self.score is not None and abs(self.score - self.max_score) < 1e-9

    @property
    def chosen_labels(self) -> list[str]:
        return [f"{o.label} {o.text}" for o in self.options if o.is_chosen]


def _text(value: Mapping[str, str], lang: str) -> str:
    return value.get(lang) or value.get("zh") or ""


def shown_items(rows: Sequence[AttemptItem], lang: str, with_key: bool) -> list[ShownItem]:
    """Items as the cadre sees them, in the chosen language; keys only when with_key is set."""
    labels = _misconception_labels(lang) if with_key else {}
    shown = []
    for row in rows:
        content = row.item_version.content
        is_rating = row.item_version.kind == QuestionKind.LIKERT
        by_id = {o["id"]: o for o in content["options"]}
        key = set(content["key"])
        chosen = set(row.response or ())
        options = tuple(
            ShownOption(
                id=oid, label=oid if is_rating else chr(ord("A") + index),
                text=_text(by_id[oid]["text"], lang),
                explanation=_text(by_id[oid]["explanation"], lang) if with_key else "",
                is_key=with_key and oid in key, is_chosen=oid in chosen,
                misconception=labels.get(by_id[oid].get("misconception") or ""),
            )
            for index, oid in enumerate(row.option_order)
        )
        shown.append(ShownItem(
            attempt_item_id=row.id, position=row.position, item_id=row.item_version.item_id,
            code=row.code, kind=row.item_version.kind, stem=_text(content["stem"], lang),
            options=options, response=tuple(row.response or ()), score=row.score,
            max_score=row.max_score, locator=content["locator"] if with_key else {},
        ))
    return shown


def _misconception_labels(lang: str) -> dict[str, str]:
    return {m.tag: _text(m.label, lang) for m in db.session.scalars(select(Misconception))}


def subscores(rows: Sequence[AttemptItem]) -> list[tuple[str, scoring.CodeScore]]:
    """Score per code for a submitted attempt, in curriculum order."""
    totals = scoring.totals_by_code(
        [(row.code, scoring.ItemScore(row.score or 0.0, row.max_score)) for row in rows]
    )
    return [(code, totals[code]) for code in ALL_CODES if code in totals]
