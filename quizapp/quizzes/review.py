"""What the take and review pages show: attempt items as plain data in one language."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cachetools import LRUCache
from sqlalchemy import JSON, String, cast, literal_column, null, select, type_coerce, union_all

from ..bank.models import ItemVersion, Misconception, StudyNote
from ..bank.vocabulary import ALL_CODES
from ..cohorts.models import Assignment
from ..extensions import db
from ..kinds import AnswerShape, kind_of, partial
from ..kinds.base import ShownOption, localized
from . import exam_pools, scoring
from .models import AttemptItem
from .scoring import scoring_input
from .services import shown
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
class ShownItem:
    """One item as the page shows it; `view` holds what its kind's partials need."""

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
    is_withheld: bool = False  # an item of a live exam: no key, explanation or score
    view: Mapping[str, Any] = field(default_factory=dict)
    shape: str = AnswerShape.ONE
    awaits_grader: bool = False  # a person has yet to grade it

    @property
    def take_partial(self) -> str:
        return partial(self.kind, "take")

    @property
    def review_partial(self) -> str:
        return partial(self.kind, "review")

    @property
    def is_correct(self) -> bool:
        return self.score is not None and abs(self.score - self.max_score) < 1e-9

    @property
    def chosen_labels(self) -> list[str]:
        return [f"{o.label} {o.text}" for o in self.options if o.is_chosen]


@dataclass(frozen=True)
class VersionText:
    """What a version says in one language: its stem as printed, and per option its text,
    explanation and misconception tag; with its key."""

    stem: str
    options: Mapping[str, tuple[str, str, str | None]]
    key: frozenset[str]


# Versions never change: each one's text per language is built once per process, keyed by
# id and content hash (an id reused for other content is a different key).
_TEXTS: LRUCache[tuple[int, str, str], VersionText] = LRUCache(maxsize=8192)
_TEXTS_LOCK = threading.Lock()


def version_text(version: ItemVersion, lang: str) -> VersionText:
    cache_key = (version.id, version.content_hash, lang)
    with _TEXTS_LOCK:
        text = _TEXTS.get(cache_key)
    if text is None:
        content = version.content
        text = VersionText(
            stem=kind_of(version.kind).display_stem(localized(content["stem"], lang), lang),
            options={o["id"]: (localized(o["text"], lang), localized(o["explanation"], lang),
                               o.get("misconception")) for o in content["options"]},
            key=frozenset(content["key"]))
        with _TEXTS_LOCK:
            _TEXTS[cache_key] = text
    return text


def shown_items(rows: Sequence[AttemptItem], lang: str,
                permissions: ReviewPermissions | None = None,
                withheld: Set[str] = frozenset(),
                labels: Mapping[str, str] | None = None) -> list[ShownItem]:
    """Items as the cadre sees them, in the chosen language. Without permissions (taking the
    quiz) nothing of the key is shown; with them, only what the settings allow. Items of a
    live exam (`withheld`) show the cadre's answer but neither key, explanation nor score.
    `labels`: the misconception labels when already read (else read here when shown)."""
    given_permissions = permissions or ReviewPermissions(answers=True, keys=False,
                                                         explanations=False)
    if not given_permissions.explanations:
        labels = {}
    elif labels is None:
        labels = _misconception_labels(lang)
    secret = ReviewPermissions(answers=given_permissions.answers, keys=False,
                               explanations=False)
    items = []
    for row in rows:
        is_withheld = row.item_version.item_id in withheld
        allowed = secret if is_withheld else given_permissions
        content = row.item_version.content
        kind = kind_of(row.item_version.kind)
        text = version_text(row.item_version, lang)
        response = tuple(row.response or ()) if allowed.answers else ()
        chosen = set(kind.chosen_options(response))
        options = tuple(
            ShownOption(
                id=oid, label=kind.option_label(index, oid), text=text.options[oid][0],
                explanation=text.options[oid][1] if allowed.explanations else "",
                is_key=allowed.keys and oid in text.key, is_chosen=oid in chosen,
                misconception=None if is_withheld else labels.get(text.options[oid][2] or ""),
            )
            for index, oid in enumerate(row.option_order)
        )
        awaits = kind.needs_grader and row.score is None
        items.append(ShownItem(
            attempt_item_id=row.id, position=row.position, item_id=row.item_version.item_id,
            code=row.code, kind=kind.name,
            stem=text.stem,
            options=options, response=response,
            score=row.score if permissions and not is_withheld and not awaits else None,
            max_score=row.max_score,
            locator=content["locator"] if allowed.explanations else {},
            client_seq=row.client_seq, is_withheld=is_withheld,
            view=kind.view(shown(row), response, lang, allowed.keys, allowed.explanations),
            shape=kind.shape, awaits_grader=awaits,
        ))
    return items


_MISCONCEPTIONS = select(Misconception.tag, Misconception.label)  # columns: no ORM objects


def _misconception_labels(lang: str) -> dict[str, str]:
    return {tag: localized(label, lang) for tag, label in db.session.execute(_MISCONCEPTIONS)}


# The review's two lookups in one statement: the misconception labels, and the exam pools
# (whose live ones withhold their items' keys). Columns only, no ORM objects; built once.
_LABELS_AND_POOLS = union_all(
    select(literal_column("'label'").label("what"), Misconception.tag.label("name"),
           Misconception.label.label("value"), type_coerce(null(), JSON).label("pool")),
    select(literal_column("'pool'"), cast(Assignment.id, String), Assignment.settings,
           Assignment.item_pool).where(Assignment.item_pool.is_not(None)),
)


def labels_and_withheld(item_ids: Set[str], lang: str, now: datetime,
                        except_assignment_id: int | None = None
                        ) -> tuple[dict[str, str], set[str]]:
    """The misconception labels in `lang`, and which of these items a review must not explain
    right now (exam_pools.withheld), in one query."""
    labels: dict[str, str] = {}
    pools = []
    for what, name, value, pool in db.session.execute(_LABELS_AND_POOLS):
        if what == "label":
            labels[name] = localized(value, lang)
        else:
            pools.append((name, value, pool))
    return labels, set(item_ids) & exam_pools.live_pools(pools, now, except_assignment_id)


def study_note_codes(codes: Set[str]) -> set[str]:
    """Which of these codes have a study note to link to."""
    if not codes:
        return set()
    return set(db.session.scalars(select(StudyNote.code).where(StudyNote.code.in_(codes))))


def subscores(rows: Sequence[AttemptItem]) -> list[tuple[str, scoring.CodeScore]]:
    """Score per code for a graded attempt, in curriculum order."""
    totals = scoring.totals_by_code(
        [(row.code, scoring.ItemScore(row.score or 0.0, row.max_score)) for row in rows]
    )
    return [(code, totals[code]) for code in ALL_CODES if code in totals]


def practice_feedback(row: AttemptItem, lang: str,
                      withheld: Set[str] = frozenset()) -> dict[str, Any] | None:
    """Feedback on one answer in practice mode: right or not, the key, and the explanations;
    None for an item of a live exam or one a person grades."""
    if row.item_version.item_id in withheld or kind_of(row.item_version.kind).needs_grader:
        return None
    (item,) = shown_items([row], lang, ReviewPermissions.everything())
    result = scoring.score_item(scoring_input(row))
    accepted = item.view.get("accepted", {})
    explanations = {o.id: o.explanation for o in item.options if o.is_chosen or o.is_key}
    if item.view.get("explanation"):
        explanations["item"] = item.view["explanation"]
    return {
        "correct": result.is_correct,
        "key": [o.label for o in item.options if o.is_key]
        + [f"{item.view['labels'][n]}{' / '.join(words)}" for n, words in accepted.items()],
        "explanations": explanations,
    }
