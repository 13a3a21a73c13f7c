"""Keep each cadre's ability estimates up to date, and fit item parameters from all answers.

Item parameters come from the latest calibration of an item version, or, until there is one,
from its writer's difficulty label (`quizapp.measure.model.prior_params`). Flush, never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import defer

from ..bank import versions as bank_versions
from ..bank.models import ItemVersion
from ..extensions import db
from ..kinds import kind_of
from ..measure.calibrate import calibrate
from ..measure.estimate import Ability, eap
from ..measure.model import ItemParams, prior_params
from ..quizzes.models import Attempt, AttemptItem, AttemptStatus, counts_as_evidence
from .models import AbilityEstimate, ItemCalibration


@dataclass(frozen=True)
class Response:
    """One graded answer as the model sees it."""

    user_id: int
    code: str
    version_id: int
    category: int
    steps: int
    graded_at: datetime | None = None


def label_prior(version: ItemVersion) -> ItemParams:
    return prior_params(kind_of(version.kind).steps(version.content), version.difficulty)


def item_params(versions: Iterable[ItemVersion]) -> dict[int, ItemParams]:
    """Parameters per item version: fitted where calibrated, from the label otherwise."""
    versions = list(versions)
    fitted = {c.item_version_id: c for c in db.session.scalars(
        select(ItemCalibration).where(
            ItemCalibration.item_version_id.in_([v.id for v in versions])))}
    params = {}
    for version in versions:
        calibration = fitted.get(version.id)
        params[version.id] = ItemParams(tuple(calibration.thresholds)) if calibration \
            else label_prior(version)
    return params


def graded_responses(user_ids: Iterable[int] | None = None, codes: Iterable[str] | None = None,
                     where: Iterable[Any] = ()) -> tuple[list[Response], dict[int, ItemVersion]]:
    """Every scored answer of graded attempts (of some cadres and codes, or all; `where` adds
    conditions, e.g. a cohort's own assignments), with the versions they answered."""
    # Answers first, then each version they answered once: loading the version (and decoding
    # its JSON content) with every answer costs more than the rest of a dashboard.
    query = (
        select(Attempt.user_id, AttemptItem.code, AttemptItem.score, AttemptItem.max_score,
               AttemptItem.item_version_id, Attempt.graded_at)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.status == AttemptStatus.GRADED, AttemptItem.max_score > 0,
               AttemptItem.score.is_not(None), counts_as_evidence(), *where)
    )
    if user_ids is not None:
        query = query.where(Attempt.user_id.in_(sorted(set(user_ids))))
    if codes is not None:
        query = query.where(AttemptItem.code.in_(sorted(set(codes))))
    rows = db.session.execute(query).all()
    # The versions' content (decoded once per process) comes from the bank's cache.
    versions = {v.id: v for v in db.session.scalars(
        select(ItemVersion).where(ItemVersion.id.in_({row[4] for row in rows}))
        .options(defer(ItemVersion.content)))} if rows else {}
    bank_versions.fill_content(versions.values())
    responses = []
    for user_id, code, score, max_score, version_id, graded_at in rows:
        version = versions[version_id]
        kind = kind_of(version.kind)
        share = score / max_score
        responses.append(Response(user_id, code, version.id,
                                  kind.category(share, version.content),
                                  kind.steps(version.content), graded_at))
    return responses, versions


def estimates_from(responses: Iterable[Response], params: Mapping[int, ItemParams]
                   ) -> dict[tuple[int, str], Ability]:
    grouped: dict[tuple[int, str], list[tuple[ItemParams, int]]] = {}
    for r in responses:
        grouped.setdefault((r.user_id, r.code), []).append((params[r.version_id], r.category))
    return {key: eap(answers) for key, answers in grouped.items()}


def _upsert(rows: list[dict]) -> None:
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for start in range(0, len(rows), 1000):
        statement = insert(AbilityEstimate).values(rows[start:start + 1000])
        new = statement.excluded
        db.session.execute(statement.on_conflict_do_update(
            index_elements=["user_id", "code"],
            set_={"theta": new.theta, "se": new.se, "answers": new.answers,
                  "updated_at": new.updated_at}))


def update(user_id: int, codes: Iterable[str], now: datetime) -> None:
    """Estimate again the cadre's ability on these codes from all his graded answers."""
    codes = sorted(set(codes))
    if not codes:
        return
    responses, versions = graded_responses([user_id], codes)
    found = estimates_from(responses, item_params(versions.values()))
    _upsert([{"user_id": user_id, "code": code, "theta": a.theta, "se": a.se,
              "answers": a.n, "updated_at": now} for (_, code), a in found.items()])


def rebuild(now: datetime, user_ids: Iterable[int] | None = None) -> int:
    """Recompute every estimate (after a calibration, a regrade or a bulk load)."""
    ids = None if user_ids is None else sorted(set(user_ids))
    removal = delete(AbilityEstimate)
    if ids is not None:
        removal = removal.where(AbilityEstimate.user_id.in_(ids))
    db.session.execute(removal)
    responses, versions = graded_responses(ids)
    found = estimates_from(responses, item_params(versions.values()))
    _upsert([{"user_id": u, "code": c, "theta": a.theta, "se": a.se, "answers": a.n,
              "updated_at": now} for (u, c), a in found.items()])
    db.session.flush()
    return len(found)


def estimates_of(user_ids: Iterable[int]) -> dict[int, dict[str, Ability]]:
    """Stored estimates per cadre and code."""
    result: dict[int, dict[str, Ability]] = {}
    for row in db.session.scalars(select(AbilityEstimate).where(
            AbilityEstimate.user_id.in_(sorted(set(user_ids))))):
        result.setdefault(row.user_id, {})[row.code] = Ability(row.theta, row.se, row.answers)
    return result


def _plain(value: float | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class CalibrationReport:
    items: int
    responses: int
    misfits: int
    converged: bool


def calibrate_items(now: datetime) -> CalibrationReport:
    """Fit every answered item version from all graded answers (each cadre × code its own
    examinee), with the label as the prior, store the fit and rebuild the estimates."""
    responses, versions = graded_responses()
    priors = {vid: label_prior(v) for vid, v in versions.items()}
    fit = calibrate([((r.user_id, r.code), r.version_id, r.category, r.steps)
                     for r in responses], priors)
    db.session.execute(delete(ItemCalibration))
    db.session.add_all([
        ItemCalibration(item_version_id=vid, thresholds=[float(t) for t in f.params.thresholds],
                        responses=f.n, infit=_plain(f.infit), outfit=_plain(f.outfit),
                        misfit=bool(f.misfit),
                        fitted_at=now)
        for vid, f in fit.items.items()])
    db.session.flush()
    rebuild(now)
    return CalibrationReport(len(fit.items), fit.n_responses,
                             sum(1 for f in fit.items.values() if f.misfit), fit.converged)


@dataclass(frozen=True)
class ItemFitRow:
    """An item's labelled difficulty beside its fitted one (latest calibrated version)."""

    label: int
    fitted: float | None   # mean step difficulty on the logit scale; None until calibrated
    responses: int
    infit: float | None
    outfit: float | None
    misfit: bool


def item_fits(item_ids: Iterable[str]) -> dict[str, ItemFitRow]:
    """Per item id, the newest version's label and calibration, in one query."""
    rows = db.session.execute(
        select(ItemVersion, ItemCalibration)
        .outerjoin(ItemCalibration, ItemCalibration.item_version_id == ItemVersion.id)
        .where(ItemVersion.item_id.in_(sorted(set(item_ids))))
        .order_by(ItemVersion.item_id, ItemVersion.version))
    fits: dict[str, ItemFitRow] = {}
    for version, fit in rows:  # the newest version comes last and wins
        fits[version.item_id] = ItemFitRow(
            version.difficulty, fit.difficulty if fit else None, fit.responses if fit else 0,
            fit.infit if fit else None, fit.outfit if fit else None,
            bool(fit and fit.misfit))
    return fits
