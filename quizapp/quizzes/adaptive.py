"""Adaptive diagnostics (快速诊断) on the attempt engine: an attempt starts with one item and,
each time the cadre moves on, the next is the most informative one at his current estimate
(`quizapp.measure.cat`), until the estimate is precise enough or the item limit is reached.

Answers, autosave, resume and deadlines are the engine's own: this module only chooses the next
item and appends it to the attempt. Flush, never commit.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import numpy as np
from sqlalchemy import and_, select

from ..abilities import services as abilities
from ..bank.models import Item, ItemVersion, Quiz
from ..bank.vocabulary import QuizKind
from ..extensions import db
from ..kinds import kind_of
from ..measure.cat import (
    LONG,
    QUICK,
    Answered,
    Candidate,
    CatRules,
    Pool,
    estimates,
    next_item,
)
from ..measure.estimate import Ability
from . import scoring
from .models import Attempt, AttemptItem
from .scoring import scoring_input

RULES: dict[str, CatRules] = {QuizKind.DIAGNOSTIC_QUICK: QUICK, QuizKind.DIAGNOSTIC_LONG: LONG}


def rules_of(quiz: Quiz) -> CatRules:
    """The mode's rules, with the quiz's draw as the content balance: its codes, and each
    code's count as its share of the items (quick), or the codes to measure (long)."""
    rules = RULES[quiz.kind]
    counts = {rule["code"]: rule["count"] for rule in quiz.draw}
    if rules.per_code:
        return replace(rules, codes=tuple(counts))
    return replace(rules, targets=counts)


def _versions(quiz: Quiz, leave_out: set[str]) -> dict[str, ItemVersion]:
    """Current versions of the live, automatically scored items of the quiz's codes."""
    versions = db.session.scalars(
        select(ItemVersion).join(Item, and_(Item.id == ItemVersion.item_id,
                                            Item.current_version == ItemVersion.version))
        .where(Item.drawable(), Item.questionnaire_id.is_(None),
               Item.code.in_([rule["code"] for rule in quiz.draw])))
    return {v.item_id: v for v in versions
            if v.item_id not in leave_out and kind_of(v.kind).is_scored
            and not kind_of(v.kind).needs_grader}


def pool_of(quiz: Quiz, leave_out: set[str]) -> tuple[Pool, dict[str, ItemVersion]] | None:
    versions = _versions(quiz, leave_out)
    if not versions:
        return None
    params = abilities.item_params(versions.values())
    pool = Pool([Candidate(item_id, v.item.code, params[v.id])
                 for item_id, v in sorted(versions.items())])
    return pool, versions


def _rng(seed: int, position: int) -> np.random.Generator:
    # Seeded per attempt and step: a resumed attempt chooses as it would have.
    return np.random.default_rng([seed, position])


def first_item(quiz: Quiz, seed: int, leave_out: set[str]) -> list[str]:
    found = pool_of(quiz, leave_out)
    if found is None:
        return []
    step = next_item(found[0], [], rules_of(quiz), _rng(seed, 1))
    return [step.next_key] if step.next_key else []


def answered(rows: list[AttemptItem], pool: Pool) -> list[Answered]:
    """The rows as measured answers (an item left blank counts as its lowest category)."""
    result = []
    for row in rows:
        if row.item_version.item_id not in pool.row:
            continue  # no longer measurable here (e.g. held by an exam since)
        share = scoring.score_item(scoring_input(row)).score / (row.max_score or 1.0)
        category = kind_of(row.item_version.kind).category(share, row.item_version.content)
        result.append(pool.answered(row.item_version.item_id, category))
    return result


def advance(attempt: Attempt, rows: list[AttemptItem], leave_out: set[str],
            now: datetime) -> bool:
    """Append the next item, or say the diagnostic is over (True): the caller then submits."""
    found = pool_of(attempt.quiz, leave_out)
    if found is None:
        return True
    pool, versions = found
    shown = sorted({r.item_version.item_id for r in rows})
    step = next_item(pool, answered(rows, pool), rules_of(attempt.quiz),
                     _rng(attempt.seed, len(rows) + 1), exclude=shown)
    if step.next_key is None:
        return True
    version = versions[step.next_key]
    options = [o["id"] for o in version.content["options"]]
    position = max((r.position for r in rows), default=0) + 1
    db.session.add(AttemptItem(
        attempt_id=attempt.id, position=position, item_version_id=version.id,
        code=version.item.code,
        option_order=kind_of(version.kind).option_order(options, attempt.seed, position),
        max_score=1.0))
    db.session.flush()
    return False


def estimates_of(attempt: Attempt, rows: list[AttemptItem]) -> dict[str, Ability]:
    """The diagnostic's result: the overall ability (quick) or one per ability (long)."""
    found = pool_of(attempt.quiz, set())
    if found is None:
        return {}
    return estimates(answered(rows, found[0]), rules_of(attempt.quiz))
