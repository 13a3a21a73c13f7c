"""What the take and review pages show: attempt items as plain data in one language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..bank.kinds import ALL_CODES, QuestionKind
from ..bank.models import Misconception
from ..extensions import db
from . import scoring
from .models import AttemptItem
from .services import scoring_input
from .settings import QuizSettings


@dataclass(frozen=True)
class ReviewPermissions:
    """Which parts of a finished attempt the cadre may see now (from the quiz settings)."""

    answers: bool
    keys: bool
    explanations: bool

    @classmethod
    def everything(cls) -> ReviewPermissions:
        return cls(True, True, True)

    @classmethod
    def for_attempt(cls, settings: QuizSettings, now: datetime) -> ReviewPermissions:
        return cls(settings.may_review(settings.show_answers, now),
                   settings.may_review(settings.show_keys, now),
                   settings.may_review(settings.show_explanations, now))


@dataclass(frozen=True)
class ShownOption:
    id: str
    label: str  # A, B, C … in the order shown; 1–5 on a rating scale
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
    client_seq: int | None = None

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


def shown_items(rows: Sequence[AttemptItem], lang: str,
                permissions: ReviewPermissions | None = None) -> list[ShownItem]:
    """Items as the cadre sees them, in the chosen language. Without permissions (taking the
    quiz) nothing of the key is shown; with them, only what the settings allow."""
    allowed = permissions or ReviewPermissions(answers=True, keys=False, explanations=False)
    labels = _misconception_labels(lang) if allowed.explanations else {}
    shown = []
    for row in rows:
        content = row.item_version.content
        is_rating = row.item_version.kind == QuestionKind.LIKERT
        by_id = {o["id"]: o for o in content["options"]}
        key = set(content["key"])
        chosen = set(row.response or ()) if allowed.answers else set()
        options = tuple(
            ShownOption(
                id=oid, label=oid if is_rating else chr(ord("A") + index),
                text=_text(by_id[oid]["text"], lang),
                explanation=_text(by_id[oid]["explanation"], lang) if allowed.explanations
                else "",
                is_key=allowed.keys and oid in key, is_chosen=oid in chosen,
                misconception=labels.get(by_id[oid].get("misconception") or ""),
            )
            for index, oid in enumerate(row.option_order)
        )
        shown.append(ShownItem(
            attempt_item_id=row.id, position=row.position, item_id=row.item_version.item_id,
            code=row.code, kind=row.item_version.kind, stem=_text(content["stem"], lang),
            options=options, response=tuple(row.response or ()) if allowed.answers else (),
            score=row.score if permissions else None, max_score=row.max_score,
            locator=content["locator"] if allowed.explanations else {},
            client_seq=row.client_seq,
        ))
    return shown


def _misconception_labels(lang: str) -> dict[str, str]:
    return {m.tag: _text(m.label, lang) for m in db.session.scalars(select(Misconception))}


def subscores(rows: Sequence[AttemptItem]) -> list[tuple[str, scoring.CodeScore]]:
    """Score per code for a graded attempt, in curriculum order."""
    totals = scoring.totals_by_code(
        [(row.code, scoring.ItemScore(row.score or 0.0, row.max_score)) for row in rows]
    )
    return [(code, totals[code]) for code in ALL_CODES if code in totals]


def practice_feedback(row: AttemptItem, lang: str) -> dict[str, Any]:
    """Feedback on one answer in practice mode: right or not, the key, and the explanations."""
    (item,) = shown_items([row], lang, ReviewPermissions.everything())
    result = scoring.score_item(scoring_input(row))
    return {
        "correct": result.is_correct,
        "key": [o.label for o in item.options if o.is_key],
        "explanations": {o.id: o.explanation for o in item.options if o.is_chosen or o.is_key},
    }
