"""What the take and review pages show: attempt items as plain data in one language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..bank.kinds import ALL_CODES, JUDGEMENT_SCALE, PAIRED_KINDS, QuestionKind
from ..bank.models import Misconception
from ..extensions import db
from . import scoring
from .models import AttemptItem
from .selection import match_order
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


JUDGEMENT_LABELS = {
    1: _l("1 · counter-productive"),
    2: _l("2 · of little use"),
    3: _l("3 · fairly effective"),
    4: _l("4 · very effective"),
}


@dataclass(frozen=True)
class ShownOption:
    id: str
    label: str  # A, B, C … in the order shown; 1–5 on a rating scale
    text: str
    explanation: str
    is_key: bool
    is_chosen: bool
    misconception: str | None
    match: str = ""            # matching: the text this option pairs with
    given: str | None = None   # paired kinds: the cadre's value, as shown
    expected: str | None = None  # paired kinds: the key's value, when keys may be shown


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
    # Paired kinds: the (value, label) choices each option's <select> offers.
    pair_choices: tuple[tuple[str, str], ...] = ()
    chosen_pairs: dict[str, str] | None = None
    is_withheld: bool = False  # an item of a live exam: no key, explanation or score

    @property
    def is_multiple(self) -> bool:
        return self.kind == QuestionKind.MULTIPLE

    @property
    def is_paired(self) -> bool:
        return self.kind in PAIRED_KINDS

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
                permissions: ReviewPermissions | None = None,
                withheld: Set[str] = frozenset()) -> list[ShownItem]:
    """Items as the cadre sees them, in the chosen language. Without permissions (taking the
    quiz) nothing of the key is shown; with them, only what the settings allow. Items of a
    live exam (`withheld`) show the cadre's answer but neither key, explanation nor score."""
    given_permissions = permissions or ReviewPermissions(answers=True, keys=False,
                                                         explanations=False)
    labels = _misconception_labels(lang) if given_permissions.explanations else {}
    secret = ReviewPermissions(answers=given_permissions.answers, keys=False,
                               explanations=False)
    shown = []
    for row in rows:
        is_withheld = row.item_version.item_id in withheld
        allowed = secret if is_withheld else given_permissions
        content = row.item_version.content
        kind = QuestionKind(row.item_version.kind)
        is_rating = kind == QuestionKind.LIKERT
        by_id = {o["id"]: o for o in content["options"]}
        key = set(content["key"])
        chosen = set(row.response or ()) if allowed.answers else set()
        pair_choices = _pair_choices(kind, row, by_id, lang)
        value_labels = dict(pair_choices)
        given = _as_shown(kind, row, scoring.parse_pairs(row.response)) if allowed.answers \
            else {}
        expected = _as_shown(kind, row, scoring.parse_pairs(content["key"])) if allowed.keys \
            else {}
        options = tuple(
            ShownOption(
                id=oid, label=oid if is_rating else chr(ord("A") + index),
                text=_text(by_id[oid]["text"], lang),
                explanation=_text(by_id[oid]["explanation"], lang) if allowed.explanations
                else "",
                is_key=allowed.keys and oid in key,
                is_chosen=oid in chosen or oid in given,
                misconception=None if is_withheld
                else labels.get(by_id[oid].get("misconception") or ""),
                match=_text(by_id[oid]["match"], lang) if "match" in by_id[oid] else "",
                given=value_labels.get(given[oid]) if oid in given else None,
                expected=value_labels.get(expected[oid]) if oid in expected else None,
            )
            for index, oid in enumerate(row.option_order)
        )
        shown.append(ShownItem(
            attempt_item_id=row.id, position=row.position, item_id=row.item_version.item_id,
            code=row.code, kind=row.item_version.kind, stem=_text(content["stem"], lang),
            options=options, response=tuple(row.response or ()) if allowed.answers else (),
            score=row.score if permissions and not is_withheld else None,
            max_score=row.max_score,
            locator=content["locator"] if allowed.explanations else {},
            client_seq=row.client_seq, pair_choices=pair_choices,
            chosen_pairs=given if kind in PAIRED_KINDS else None, is_withheld=is_withheld,
        ))
    return shown


def _as_shown(kind: QuestionKind, row: AttemptItem, pairs: dict[str, str]) -> dict[str, str]:
    """Stored pairs in the page's terms: a matching answer names its match by number."""
    if kind != QuestionKind.MATCHING:
        return pairs
    numbers = {oid: str(n) for n, oid in enumerate(
        match_order(row.option_order, row.attempt.seed, row.position), start=1)}
    return {left: numbers[right] for left, right in pairs.items() if right in numbers}


def _pair_choices(kind: QuestionKind, row: AttemptItem, by_id: Mapping[str, Any],
                  lang: str) -> tuple[tuple[str, str], ...]:
    """What each option's <select> offers for a paired kind (value, label)."""
    order = row.option_order
    if kind == QuestionKind.MATCHING:
        # Numbered in a seeded order of their own: neither value nor position gives the key.
        matches = match_order(order, row.attempt.seed, row.position)
        return tuple((str(n), _text(by_id[oid]["match"], lang))
                     for n, oid in enumerate(matches, start=1))
    if kind == QuestionKind.ORDERING:
        return tuple((str(place), str(place)) for place in range(1, len(order) + 1))
    if kind == QuestionKind.JUDGEMENT:
        return tuple((str(point), str(JUDGEMENT_LABELS[point])) for point in JUDGEMENT_SCALE)
    return ()


def _misconception_labels(lang: str) -> dict[str, str]:
    return {m.tag: _text(m.label, lang) for m in db.session.scalars(select(Misconception))}


def subscores(rows: Sequence[AttemptItem]) -> list[tuple[str, scoring.CodeScore]]:
    """Score per code for a graded attempt, in curriculum order."""
    totals = scoring.totals_by_code(
        [(row.code, scoring.ItemScore(row.score or 0.0, row.max_score)) for row in rows]
    )
    return [(code, totals[code]) for code in ALL_CODES if code in totals]


def practice_feedback(row: AttemptItem, lang: str,
                      withheld: Set[str] = frozenset()) -> dict[str, Any] | None:
    """Feedback on one answer in practice mode: right or not, the key, and the explanations;
    None for an item of a live exam."""
    if row.item_version.item_id in withheld:
        return None
    (item,) = shown_items([row], lang, ReviewPermissions.everything())
    result = scoring.score_item(scoring_input(row))
    return {
        "correct": result.is_correct,
        "key": [o.label for o in item.options if o.is_key],
        "explanations": {o.id: o.explanation for o in item.options if o.is_chosen or o.is_key},
    }
