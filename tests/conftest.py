"""Shared fixtures: one database per run on each leg (SQLite and PostgreSQL), an app, clients.

Each test runs against a real database whose schema comes from the Alembic migrations. Rows
are deleted after every test, so application commits are real and tests never see each other.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event

from quizapp import create_app
from quizapp.auth import services as accounts
from quizapp.auth.views import ADMIN_EXISTS_KEY
from quizapp.bank.importer import import_bank
from quizapp.bank.loader import load_bank
from quizapp.bank.models import Quiz
from quizapp.config import TestConfig
from quizapp.extensions import db, limiter
from quizapp.quizzes.settings import QuizSettings
from quizapp.security import Role

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


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.db'}"
        return
    url = create_postgres_database()
    if url is None:
        skip_or_fail("REQUIRE_POSTGRES", f"PostgreSQL leg skipped: cannot reach "
                                         f"{sa.make_url(POSTGRES_ADMIN_URL).host}:5432")
    yield url
    drop_postgres_database(url)


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


@pytest.fixture(scope="session")
def session_app(database_url: str) -> Iterator[Flask]:
    app = make_app(database_url)
    migrate_to_head(app)
    yield app
    with app.app_context():
        db.engine.dispose()


def delete_all_rows(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
    app.extensions[ADMIN_EXISTS_KEY] = False


@pytest.fixture
def app(session_app: Flask) -> Iterator[Flask]:
    yield session_app
    delete_all_rows(session_app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def db_backend(app: Flask) -> str:
    with app.app_context():
        return db.engine.dialect.name


# ---------------------------------------------------------------- users and log-in


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    password: str
    role: Role


@pytest.fixture
def make_user(app: Flask) -> Callable[..., Account]:
    counter = iter(range(1, 10_000))

    def make(role: Role = Role.CADRE, username: str | None = None,
             password: str = PASSWORD, display_name: str | None = None) -> Account:
        username = username or f"{role.value}{next(counter)}"
        with app.app_context():
            user = accounts.create_user(username, display_name or username.title(), password,
                                        role)
            db.session.commit()
            return Account(user.id, user.username, password, role)

    return make


@pytest.fixture
def admin(make_user) -> Account:
    return make_user(Role.ADMIN, "admin")


@pytest.fixture
def cadre(make_user, admin) -> Account:
    return make_user(Role.CADRE, "cadre")


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


@pytest.fixture
def login(client: FlaskClient) -> Callable[[Account], FlaskClient]:
    def do(account: Account) -> FlaskClient:
        log_in(client, account)
        return client

    return do


# ---------------------------------------------------------------- the bank


@pytest.fixture
def loaded_bank(app: Flask) -> None:
    """The small, fixed test bank in tests/data/bank, loaded as `flask bank load` would."""
    result = load_bank(TEST_BANK)
    assert result.ok, result.errors
    with app.app_context():
        import_bank(result.bank)
        db.session.commit()


@pytest.fixture
def configure_quiz(app: Flask, loaded_bank) -> Callable[..., None]:
    """Change a quiz's settings, as a coordinator would."""
    def configure(quiz_id: str = "ability-a1", **settings: object) -> None:
        with app.app_context():
            db.session.get(Quiz, quiz_id).settings = QuizSettings(**settings).to_dict()
            db.session.commit()

    return configure


@pytest.fixture
def count_queries(app: Flask) -> Callable[..., int]:
    """Run a request and return how many SQL statements it sent."""
    def count(call: Callable[[], object]) -> int:
        statements: list[str] = []

        def listener(conn, cursor, statement, *args: object) -> None:
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", listener)
        try:
            call()
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    return count
