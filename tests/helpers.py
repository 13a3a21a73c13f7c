"""Helpers shared by test modules: settings, apps and databases, accounts and log-in, quiz
steps. Fixtures live in conftest.py; no test module imports another."""

from __future__ import annotations

import io
import os
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from openpyxl import load_workbook
from playwright.sync_api import expect

from quizapp import create_app
from quizapp.auth import services as accounts
from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.auth.views import ADMIN_EXISTS_KEY
from quizapp.bank.exchange import xlsx_template
from quizapp.cohorts import services as cohorts
from quizapp.config import TestConfig
from quizapp.db import utcnow
from quizapp.extensions import db, limiter
from quizapp.kinds import ItemScore, ScoringInput, kind_of
from quizapp.kinds.matching import match_order
from quizapp.practice.models import ReviewCard
from quizapp.quizzes import services
from quizapp.quizzes.models import Attempt
from quizapp.quizzes.settings import QuizSettings

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = str(ROOT / "migrations")
TEST_BANK = Path(__file__).resolve().parent / "data" / "bank"
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PASSWORD = "correct horse battery"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                     r'name="csrf_token" value="([^"]+)"')


def skip_or_fail(variable: str, reason: str) -> None:
    """Outside CI a missing leg is skipped with its reason; with VARIABLE=1 it fails the run."""
    if os.environ.get(variable) == "1":
        pytest.fail(f"{reason} (and {variable}=1 forbids skipping)", pytrace=False)
    pytest.skip(reason)


# ---------------------------------------------------------------- databases


def worker_tag() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def create_postgres_database() -> str | None:
    """A fresh database for this test process; None when PostgreSQL cannot be reached."""
    name = f"quizapp_test_{worker_tag()}_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError:
        return None
    finally:
        engine.dispose()
    return sa.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(
        hide_password=False)


def drop_postgres_database(url: str) -> None:
    name = sa.make_url(url).database
    engine = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def make_app(database_url: str, **overrides: object) -> Flask:
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config.update(SECRET_KEY="test-secret", SQLALCHEMY_DATABASE_URI=database_url,
                  BANK_DIR=str(TEST_BANK), **overrides)
    return create_app(config)


@contextmanager
def rate_limited_app(database_url: str, **limits: object) -> Iterator[Flask]:
    """An app with the rate limits on (the test config has them off), cleaned up after."""
    app = make_app(database_url, RATELIMIT_ENABLED=True, **limits)
    limiter.reset()
    try:
        yield app
    finally:
        limiter.reset()
        # Flask-Limiter keeps its on/off switch on the one extension object that every app
        # of this test process shares: switch it back off for the tests that follow.
        limiter.enabled = False
        delete_all_rows(app)
        with app.app_context():
            db.engine.dispose()


def migrate_to_head(app: Flask) -> None:
    with app.app_context():
        upgrade(directory=MIGRATIONS)


def delete_all_rows(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
    app.extensions[ADMIN_EXISTS_KEY] = False


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    password: str
    role: Role


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def log_in(client: FlaskClient, account: Account) -> None:
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "username": account.username,
                                           "password": account.password})
    assert response.status_code == 302, response.get_data(as_text=True)


# ---------------------------------------------------------------- quiz steps


def start_quiz(client, quiz_id="ability-a1"):
    token = csrf_token(client, "/quizzes/")
    response = client.post(f"/quizzes/{quiz_id}/attempts", data={"csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def attempt_rows(app, attempt_id):
    with app.app_context():
        rows = services.attempt_items(db.session.get(Attempt, attempt_id))
        return [(row.id, row.item_version.item_id, row.item_version.content["key"],
                 row.option_order) for row in rows]


def match_numbers(app, attempt_id, item_id):
    """The number under which the page lists each option's own match."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        row = next(r for r in services.attempt_items(attempt)
                   if r.item_version.item_id == item_id)
        order = match_order(row.option_order, attempt.seed, row.position)
        return {oid: str(n) for n, oid in enumerate(order, start=1)}


def answers_for(rows, correct=True):
    data = {}
    for row_id, _, key, order in rows:
        wrong = [o for o in order if o not in key]
        data[f"item_{row_id}"] = key if correct else wrong[:1]
    return data


def score_with(kind: str, key: Sequence[str], response: Sequence[str] | None,
               option_ids: Sequence[str], weight: float = 1.0,
               content: Mapping[str, Any] | None = None) -> ItemScore:
    """Score one answer with a kind's own scorer, from plain values."""
    return kind_of(kind).score(ScoringInput(
        "A1", str(kind), tuple(key), tuple(option_ids),
        tuple(response) if response is not None else None, weight, content or {}))


def option_order(option_ids: Sequence[str], kind: str, seed: int, position: int) -> list[str]:
    return kind_of(kind).option_order(option_ids, seed, position)


def review_card(user_id: int, item_id: str, due_at: datetime, *, stability: float = 2.0,
                difficulty: float = 5.0, lapses: int = 0) -> ReviewCard:
    """A card in FSRS's review state (2), reviewed once, `stability` days before it falls due."""
    seen = due_at - timedelta(days=stability)
    return ReviewCard(user_id=user_id, item_id=item_id, state=2, step=None, stability=stability,
                      difficulty=difficulty, due_at=due_at, last_review_at=seen, reviews=1,
                      lapses=lapses, created_at=seen)


def filled_template(rows: Sequence[Mapping[str, Any]]) -> bytes:
    """The XLSX question template with rows filled in by column header (import tests)."""
    book = load_workbook(io.BytesIO(xlsx_template()))
    sheet = book.worksheets[0]
    columns = {cell.value: cell.column for cell in sheet[1]}
    for number, row in enumerate(rows, start=2):
        for header, value in row.items():
            sheet.cell(number, columns[header], value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- the authorization matrix

# Who may use each endpoint:
#   public   anyone, logged in or not       user   any logged-in account
#   staff    coordinators and admins        admin  admins only
#   owner    the cadre whose attempt it is (others get 404, as if it did not exist)
#   manager  the coordinator who runs the cohort, and admins (other coordinators get 404)
#   member   a cadre of the cohort (others get 404)
# (grading routes count as "manager": the coordinator of the cadre's cohort, and admins)
ACCESS = {
    "core.home": "public",
    "core.healthz": "public",
    "auth.login": "public",
    "auth.setup": "gone",  # 404 for everyone once an admin exists
    "auth.logout": "user",
    "auth.change_password": "user",
    "quizzes.index": "user",
    "quizzes.detail": "user",
    "quizzes.start": "user",
    "quizzes.take": "owner",
    "quizzes.save": "owner",
    "quizzes.save_answer": "owner",
    "quizzes.submit": "owner",
    "quizzes.result": "owner",
    "quizzes.my_attempts": "user",
    "quizzes.edit_settings": "admin",
    "practice.daily": "user",
    "practice.start_daily": "user",
    "practice.review_page": "user",
    "practice.start_review": "user",
    "practice.finished": "owner",
    "reports.my_progress": "user",
    "reports.abilities_chart": "user",
    "reports.trend_chart": "user",
    "study.index": "user",
    "study.note": "user",
    "cohorts.home": "user",
    "cohorts.join": "user",
    "cohorts.start_assignment": "member",
    "cohorts.index": "staff",
    "cohorts.create": "staff",
    "cohorts.detail": "manager",
    "cohorts.add_member": "manager",
    "cohorts.upload_members": "manager",
    "cohorts.remove_member": "manager",
    "cohorts.rotate_join_code": "manager",
    "cohorts.assign": "manager",
    "cohorts.join_notice": "manager",
    "reports.cohort_dashboard": "manager",
    "reports.cohort_heatmap": "manager",
    "reports.cohort_code": "manager",
    "reports.item_analysis": "manager",
    "reports.cohort_export": "manager",
    "reports.cohort_trend_chart": "manager",
    "reports.cohort_code_trend_chart": "manager",
    "reports.distribution_chart": "manager",
    "grading.queue": "staff",
    "grading.attempt": "manager",
    "grading.grade": "manager",
    "grading.release": "manager",
    "admin.users": "admin",
    "admin.create_user": "admin",
    "admin.edit_user": "admin",
    "admin.deactivate_user": "admin",
    "admin.regrade": "admin",
    "admin.end_sessions": "admin",
    "admin.audit": "admin",
    "bank_exchange.template": "staff",
    "bank_exchange.export": "staff",
    "challenge.index": "user",
    "challenge.start": "user",
    "challenge.play": "user",
    "challenge.answer": "user",
    "challenge.stop": "user",
    "challenge.set_leaderboard": "manager",
    "study_hours.mine": "user",
    "study_hours.note_read": "user",
    "study_hours.certificate": "member",
    "study_hours.rules": "admin",
    "study_hours.cohort_hours": "manager",
    "study_hours.cohort_hours_export": "manager",
    # The question editor, on the shared item A1-001: every coordinator reads it, only admins
    # edit and review it (a coordinator's own local items: tests/bank/test_editor_views.py).
    "bank.index": "staff",
    "bank.new": "staff",
    "bank.preview": "staff",
    "bank.item": "staff",
    "bank.edit": "admin",
    "bank.submit": "admin",
    "bank.approve": "admin",
    "bank.reject": "admin",
    "bank.retire": "admin",
    "bank.import_file": "staff",
}
VISITORS = ("anonymous", "cadre", "other_cadre", "coordinator", "other_coordinator", "admin")


def allowed(rule: str, visitor: str) -> bool:
    if rule in ("public",):
        return True
    if rule == "gone" or visitor == "anonymous":
        return False
    return {
        "user": True,
        "staff": visitor in ("coordinator", "other_coordinator", "admin"),
        "admin": visitor == "admin",
        "owner": visitor == "cadre",
        "manager": visitor in ("coordinator", "admin"),
        "member": visitor == "cadre",
    }[rule]


def denied_status(rule: str, visitor: str) -> int:
    if rule == "gone":
        return 404
    if visitor == "anonymous":
        return 302  # to the log-in page
    if rule == "manager" and visitor in ("cadre", "other_cadre"):
        return 403  # the role is wrong before the cohort is even looked at
    return 404 if rule in ("owner", "manager", "member") else 403


def written_answer_awaiting_grading(user: User) -> tuple[int, int]:
    """A handed-in attempt whose case analysis waits for a grader: (attempt id, row id)."""
    attempt = services.start_or_resume_attempt(user, "written", utcnow())
    db.session.flush()
    row = next(r for r in services.attempt_items(attempt)
               if r.item_version.kind == "case_analysis")
    services.save_responses(attempt, {row.id: ["1=先听双方的说法。"]}, utcnow())
    services.submit_attempt(attempt.id, utcnow())
    return attempt.id, row.id


def build_world(app: Flask, make_user: Any, admin: Account) -> tuple[dict, dict]:
    """Accounts of every kind, a cohort with an assignment, an attempt in progress owned by
    `cadre`, and a handed-in written answer awaiting grading: the authorization matrix's world."""
    people = {
        "cadre": make_user(Role.CADRE, "cadre"),
        "other_cadre": make_user(Role.CADRE, "other_cadre"),
        "coordinator": make_user(Role.COORDINATOR, "coordinator"),
        "other_coordinator": make_user(Role.COORDINATOR, "other_coordinator"),
        "admin": admin,
    }
    with app.app_context():
        user = db.session.get(User, people["cadre"].id)
        attempt = services.start_or_resume_attempt(user, "ability-a1", utcnow())
        cohort = cohorts.create_cohort("一班", "", db.session.get(User,
                                                                 people["coordinator"].id))
        cohorts.add_member(cohort, user)
        assignment = cohorts.create_assignment(cohort, "mixed", QuizSettings())
        handed_in, case_row = written_answer_awaiting_grading(user)
        db.session.commit()
        attempt_id, cohort_id, assignment_id = attempt.id, cohort.id, assignment.id
    values = {"attempt_id": attempt_id, "quiz_id": "ability-a1", "item_id": "A1-001",
              "user_id": people["other_cadre"].id, "code": "A1", "cohort_id": cohort_id,
              "assignment_id": assignment_id, "fmt": "csv", "handed_in_id": handed_in,
              "row_id": case_row}
    return people, values


# ---------------------------------------------------------------- browser journeys


def create_browser_people(app: Flask) -> None:
    """An admin and the cadre 李干部 (li_cadre), for the browser journeys."""
    with app.app_context():
        accounts.create_user("admin_b", "Admin", PASSWORD, Role.ADMIN)
        accounts.create_user("li_cadre", "李干部", PASSWORD, Role.CADRE)
        db.session.commit()
    app.extensions["quizapp.admin_exists"] = True


def browser_log_in(page: Any, url: str) -> None:
    """Log li_cadre in through the page and open the quiz list."""
    page.goto(url + "/login")
    page.fill("#username", "li_cadre")
    page.fill("#password", PASSWORD)
    page.click("input[type=submit]")
    expect(page).to_have_url(re.compile(r"/me/$"))  # a cadre's start page
    page.goto(url + "/quizzes/")
