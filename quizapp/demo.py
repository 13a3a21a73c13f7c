"""`flask demo-data`: a realistic history for demos, tests and benchmarks.

Cadres sit in cohorts of about 30 with a coordinator each. Every cadre has an ability per
code that differs by person and grows month by month; each attempt draws items from the bank
and answers them right with a probability that follows ability against difficulty. Rows are
written in bulk (no per-answer ORM objects), rollups are built at the end.
"""

from __future__ import annotations

import math
import random
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import and_, insert, select, text

from .abilities import services as abilities
from .auth.models import User
from .auth.roles import Role
from .auth.services import password_hashing
from .bank.models import Item, ItemVersion, Quiz
from .bank.vocabulary import QuizKind
from .cohorts.models import Assignment, Cohort, Membership, new_join_code
from .extensions import db
from .kinds import ScoringInput, kind_of
from .measure.model import category_probabilities, prior_params
from .quizzes import rollups, scoring
from .quizzes.models import Attempt, AttemptItem, AttemptStatus

COHORT_SIZE = 30


@dataclass(frozen=True)
class BankItem:
    version_id: int
    code: str
    kind: str
    difficulty: int
    key: tuple[str, ...]
    option_ids: tuple[str, ...]
    content: dict = field(default_factory=dict, compare=False)

    def as_input(self, response: tuple[str, ...] | None = None) -> ScoringInput:
        return ScoringInput(self.code, self.kind, self.key, self.option_ids, response,
                            content=self.content)


@dataclass(frozen=True)
class SimulatedAnswer:
    item: BankItem
    position: int
    response: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class SimulatedAttempt:
    cadre: int
    quiz_id: str
    started_at: datetime
    answers: tuple[SimulatedAnswer, ...]


def _answer(item: BankItem, ability: float, rng: random.Random) -> tuple[str, ...]:
    """An answer drawn from the measurement model: the category (0 … steps) a cadre of this
    ability reaches on the item, by the partial credit model with the item's label prior,
    then a plausible answer that earns it (the closest one found among a few tries)."""
    kind = kind_of(item.kind)
    steps = kind.steps(item.content)
    probs = category_probabilities(prior_params(steps, item.difficulty), ability)
    target = rng.choices(range(steps + 1), weights=[float(p) for p in probs])[0]
    if target == steps:
        return item.key
    best, gap = item.key, steps
    for attempt in range(12):
        response = kind.simulate(item.as_input(), attempt % 3 == 2, rng)
        share = scoring.score_item(item.as_input(response)).score
        distance = abs(kind.category(share, item.content) - target)
        if distance < gap:
            best, gap = response, distance
        if gap == 0:
            break
    return best


def simulate(cadres: int, attempts_per_cadre: int, seed: int, items: Sequence[BankItem],
             quizzes: Sequence[tuple[str, list[str], int]], end: datetime,
             months: int = 6) -> Iterator[SimulatedAttempt]:
    """The attempts, cadre by cadre, oldest first (pure and repeatable for a seed)."""
    rng = random.Random(seed)  # noqa: S311  # nosec B311 - simulated people, not secrets
    by_code: dict[str, list[BankItem]] = {}
    for item in items:
        by_code.setdefault(item.code, []).append(item)
    codes = sorted(by_code)
    usable = [quiz for quiz in quizzes if any(by_code.get(code) for code in quiz[1])]
    span = timedelta(days=30 * months)
    for cadre in range(cadres):
        base = {code: rng.gauss(0.2, 0.9) for code in codes}
        growth = rng.uniform(0.0, 0.25)  # per month
        moments = sorted(end - span * rng.random() for _ in range(attempts_per_cadre))
        for started_at in moments:
            months_in = (started_at - (end - span)).days / 30
            quiz_id, quiz_codes, per_code = rng.choice(usable)
            answers = []
            for code in quiz_codes:
                pool = by_code.get(code, [])
                for item in rng.sample(pool, min(per_code, len(pool))):
                    response = _answer(item, base[code] + growth * months_in, rng)
                    score = scoring.score_item(item.as_input(response)).score
                    answers.append(SimulatedAnswer(item, len(answers) + 1, response, score))
            yield SimulatedAttempt(cadre, quiz_id, started_at, tuple(answers))


def _bank_items() -> list[BankItem]:
    rows = db.session.execute(
        select(ItemVersion, Item.code).join(Item, and_(
            Item.id == ItemVersion.item_id, Item.current_version == ItemVersion.version))
        .where(Item.drawable(), Item.questionnaire_id.is_(None)))
    # Kinds a person grades are left out: a simulated history has no grader.
    return [BankItem(v.id, code, v.kind, v.difficulty, tuple(v.content["key"]),
                     tuple(o["id"] for o in v.content["options"]), v.content)
            for v, code in rows if not kind_of(v.kind).needs_grader]


def _quizzes() -> list[tuple[str, list[str], int]]:
    quizzes = db.session.scalars(select(Quiz).where(Quiz.is_active.is_(True),
                                                    Quiz.kind == QuizKind.QUIZ))
    return [(q.id, [rule["code"] for rule in q.draw], max(rule["count"] for rule in q.draw))
            for q in quizzes]


ASSIGNED_QUIZ = "ability-a1"  # each demo cohort has it assigned: item analysis has data


def _create_people(cadres: int, prefix: str, password: str) -> tuple[list[int], list[int]]:
    """Coordinators, cohorts with one assignment each, cadres and their memberships; returns
    the cadre ids and, per cadre, the assignment of his cohort."""
    password_hash = password_hashing().hash(password)  # one hash: argon2 is slow on purpose
    cohorts = max(1, math.ceil(cadres / COHORT_SIZE))
    coordinator_ids = list(db.session.scalars(insert(User).returning(User.id), [
        {"username": f"{prefix}coord{c + 1:03d}", "display_name": f"培训管理员{c + 1}",
         "password_hash": password_hash, "role": Role.COORDINATOR, "is_active": True}
        for c in range(cohorts)]))
    cohort_ids = list(db.session.scalars(insert(Cohort).returning(Cohort.id), [
        {"name": f"示范班 {c + 1}", "description": "demo", "join_code": new_join_code(),
         "coordinator_id": coordinator_ids[c]} for c in range(cohorts)]))
    cadre_ids = list(db.session.scalars(insert(User).returning(User.id), [
        {"username": f"{prefix}cadre{n + 1:05d}", "display_name": f"示范学员{n + 1}",
         "password_hash": password_hash, "role": Role.CADRE, "is_active": True}
        for n in range(cadres)]))
    db.session.execute(insert(Membership), [
        {"cohort_id": cohort_ids[n // COHORT_SIZE], "user_id": user_id}
        for n, user_id in enumerate(cadre_ids)])
    assignment_ids = list(db.session.scalars(insert(Assignment).returning(Assignment.id), [
        {"cohort_id": cohort_id, "quiz_id": ASSIGNED_QUIZ, "settings": {}, "position": 0}
        for cohort_id in cohort_ids]))
    return cadre_ids, [assignment_ids[n // COHORT_SIZE] for n in range(len(cadre_ids))]


def write_demo_data(cadres: int, attempts: int, seed: int, password: str,
                    prefix: str = "demo_") -> int:
    """Create the people and their history; returns the number of answers written."""
    items = _bank_items()
    quizzes = _quizzes()
    if not items or not quizzes:
        raise click.ClickException("load the question bank first (flask bank load)")
    cadre_ids, assignment_of = _create_people(cadres, prefix, password)
    end = datetime.now(UTC)
    answers_written = 0
    batch: list[SimulatedAttempt] = []

    def flush_batch() -> None:
        nonlocal answers_written
        ids = list(db.session.scalars(insert(Attempt).returning(Attempt.id), [
            {"user_id": cadre_ids[a.cadre], "quiz_id": a.quiz_id, "seed": 0, "settings": {},
             "assignment_id": assignment_of[a.cadre] if a.quiz_id == ASSIGNED_QUIZ else None,
             "status": AttemptStatus.GRADED, "started_at": a.started_at,
             "submitted_at": a.started_at + timedelta(minutes=12),
             "graded_at": a.started_at + timedelta(minutes=12),
             "score": sum(x.score for x in a.answers), "max_score": float(len(a.answers))}
            for a in batch]))
        rows = [{"attempt_id": attempt_id, "position": x.position,
                 "item_version_id": x.item.version_id, "code": x.item.code,
                 "option_order": list(x.item.option_ids), "response": list(x.response),
                 "score": x.score, "max_score": 1.0}
                for attempt_id, a in zip(ids, batch, strict=True) for x in a.answers]
        db.session.execute(insert(AttemptItem), rows)
        answers_written += len(rows)
        batch.clear()

    for attempt in simulate(cadres, attempts, seed, items, quizzes, end):
        batch.append(attempt)
        if len(batch) >= 500:
            flush_batch()
    if batch:
        flush_batch()
    rollups.rebuild(cadre_ids)
    abilities.rebuild(end, cadre_ids)
    return answers_written


@click.command("demo-data")
@click.option("--cadres", default=60, show_default=True, help="How many cadres to create.")
@click.option("--attempts", default=10, show_default=True, help="Attempts per cadre.")
@click.option("--seed", default=1, show_default=True, help="Same seed, same history.")
@click.option("--prefix", default="demo_", show_default=True, help="Username prefix.")
@with_appcontext
def demo_data_command(cadres: int, attempts: int, seed: int, prefix: str) -> None:
    """Fill the database with cohorts, cadres and months of graded attempts."""
    password = secrets.token_urlsafe(9)  # a fresh one each run: no known demo password
    answers = write_demo_data(cadres, attempts, seed, password, prefix)
    db.session.commit()
    if db.session.get_bind().dialect.name == "postgresql":
        # After a bulk load the planner needs fresh statistics, and index-only scans need the
        # visibility map (autovacuum would get to both later); without them it may scan whole
        # tables for a 30-member cohort or a cadre's seen items. VACUUM runs outside a
        # transaction.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    click.echo(f"{cadres} cadres, {answers} answers; log in as {prefix}cadre00001 or "
               f"{prefix}coord001 with the password {password}")
