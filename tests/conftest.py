"""Shared fixtures: one database per run on each leg (SQLite and PostgreSQL), an app, clients.

Each test runs against a real database whose schema comes from the Alembic migrations. Rows
are deleted after every test, so application commits are real and tests never see each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from quizapp.auth import services as accounts
from quizapp.auth.roles import Role
from quizapp.bank.importer import import_bank
from quizapp.bank.loader import load_bank
from quizapp.bank.models import Quiz
from quizapp.extensions import db
from quizapp.quizzes.settings import QuizSettings
from tests.helpers import (
    PASSWORD,
    POSTGRES_ADMIN_URL,
    TEST_BANK,
    Account,
    build_world,
    create_postgres_database,
    delete_all_rows,
    drop_postgres_database,
    log_in,
    make_app,
    migrate_to_head,
    skip_or_fail,
)


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


@pytest.fixture(scope="session")
def session_app(database_url: str) -> Iterator[Flask]:
    app = make_app(database_url)
    migrate_to_head(app)
    yield app
    with app.app_context():
        db.engine.dispose()


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


@pytest.fixture
def world(app: Flask, make_user, admin, loaded_bank) -> tuple[dict, dict]:
    """The authorization matrix's accounts and objects (see tests.helpers.build_world)."""
    return build_world(app, make_user, admin)
