"""On PostgreSQL a request reads outside any transaction until a statement writes or locks
rows, which begins one; a transaction that only read ends with COMMIT, so psycopg keeps its
prepared statements; one that wrote, flushed, has changes pending or failed is still rolled
back. (SQLite keeps its transactions and the rollback: nothing there gains from either.)"""

from collections.abc import Iterator

import psycopg
import pytest
from flask import Flask
from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import OperationalError

from quizapp.auth import services as accounts
from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.db import end_reads
from quizapp.extensions import db
from quizapp.study_hours.models import StudyHourSetting
from tests.helpers import (
    PASSWORD,
    Account,
    create_postgres_database,
    delete_all_rows,
    drop_postgres_database,
    log_in,
    make_app,
    migrate_to_head,
    skip_or_fail,
)


@pytest.fixture(scope="module")
def postgres_app() -> Iterator[Flask]:
    """An app on a PostgreSQL database of its own, whatever the leg."""
    url = create_postgres_database()
    if url is None:
        skip_or_fail("REQUIRE_POSTGRES", "PostgreSQL unreachable: read transactions untested")
    app = make_app(url)
    migrate_to_head(app)
    yield app
    with app.app_context():
        db.engine.dispose()
    drop_postgres_database(url)


@pytest.fixture
def cadre(postgres_app: Flask) -> Iterator[Account]:
    with postgres_app.app_context():
        accounts.create_user("reads_admin", "管理员", PASSWORD, Role.ADMIN)
        user = accounts.create_user("reads_cadre", "干部", PASSWORD, Role.CADRE)
        db.session.commit()
        account = Account(user.id, user.username, PASSWORD, Role.CADRE)
    yield account
    delete_all_rows(postgres_app)


def driver_status() -> psycopg.pq.TransactionStatus:
    return db.session.connection().connection.dbapi_connection.info.transaction_status


def display_name(app: Flask, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).display_name


def test_reads_open_no_transaction(postgres_app, cadre):
    with postgres_app.app_context():
        db.session.scalar(select(User.username).where(User.id == cadre.id))
        db.session.scalar(select(User.role).where(User.id == cadre.id))
        assert driver_status() == psycopg.pq.TransactionStatus.IDLE
        end_reads(db.session)
        assert driver_status() == psycopg.pq.TransactionStatus.IDLE


def test_a_write_after_reads_begins_a_transaction_the_rollback_undoes(postgres_app, cadre):
    with postgres_app.app_context():
        db.session.scalar(select(User.username).where(User.id == cadre.id))
        db.session.execute(update(User).where(User.id == cadre.id)
                           .values(display_name="written after reads"))
        assert driver_status() == psycopg.pq.TransactionStatus.INTRANS
        db.session.rollback()
    assert display_name(postgres_app, cadre.id) != "written after reads"


def test_a_row_lock_is_held_until_the_transaction_ends(postgres_app, cadre):
    """SELECT … FOR UPDATE outside a transaction would lock nothing: it begins one."""
    with postgres_app.app_context():
        db.session.scalar(select(User.id).where(User.id == cadre.id).with_for_update())
        assert driver_status() == psycopg.pq.TransactionStatus.INTRANS
        with db.engine.connect() as other, pytest.raises(OperationalError, match="could not"):
            other.execute(select(User.id).where(User.id == cadre.id)
                          .with_for_update(nowait=True))
        db.session.commit()
        with db.engine.connect() as other:
            assert other.scalar(select(User.id).where(User.id == cadre.id)
                                .with_for_update(nowait=True)) == cadre.id


def test_a_connection_set_to_autocommit_keeps_it(postgres_app, cadre):
    """VACUUM runs on a connection SQLAlchemy set to AUTOCOMMIT: no statement turns it off."""
    with postgres_app.app_context(), \
            db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE users")
        connection.exec_driver_sql("CREATE TEMPORARY TABLE scratch (n int)")
        assert connection.connection.dbapi_connection.autocommit is True


def test_uncommitted_writes_are_left_to_the_rollback(postgres_app, cadre):
    with postgres_app.app_context():
        db.session.execute(update(User).where(User.id == cadre.id)
                           .values(display_name="written, never committed"))
        end_reads(db.session)
        assert driver_status() == psycopg.pq.TransactionStatus.INTRANS
        db.session.remove()
    assert display_name(postgres_app, cadre.id) != "written, never committed"


def test_rows_inserted_many_at_once_are_left_to_the_rollback(postgres_app, cadre):
    with postgres_app.app_context():
        connection = db.session.connection()  # Core's executemany, as a start writes rows
        connection.execute(insert(StudyHourSetting), [{"name": "daily_cap", "value": 3},
                                                      {"name": "year_target", "value": 40}])
        end_reads(db.session)
        db.session.remove()
        assert db.session.scalars(select(StudyHourSetting.name)).all() == []


def test_pending_and_flushed_changes_are_left_to_the_rollback(postgres_app, cadre):
    with postgres_app.app_context():
        user = db.session.get(User, cadre.id)
        user.display_name = "pending, never flushed"
        end_reads(db.session)
        assert user in db.session.dirty  # nothing flushed or sent: the read needed no transaction
        db.session.flush()
        end_reads(db.session)
        assert driver_status() == psycopg.pq.TransactionStatus.INTRANS
        db.session.remove()
    assert display_name(postgres_app, cadre.id) != "pending, never flushed"


def test_a_failed_transaction_is_left_to_the_rollback(postgres_app, cadre):
    with postgres_app.app_context():
        with pytest.raises(Exception):  # noqa: B017, PT011 - the driver's own error class
            db.session.execute(text("SELECT * FROM no_such_table"))
        end_reads(db.session)
        db.session.remove()
        assert db.session.scalar(select(User.id).where(User.id == cadre.id)) == cadre.id


def test_reads_after_a_committed_write_end_committed(postgres_app, cadre):
    """The mark of a write lasts one transaction: the next one, reading only, commits."""
    with postgres_app.app_context():
        db.session.execute(update(User).where(User.id == cadre.id)
                           .values(display_name="written and committed"))
        db.session.commit()
        db.session.scalar(select(User.username).where(User.id == cadre.id))
        end_reads(db.session)
        assert driver_status() == psycopg.pq.TransactionStatus.IDLE
    assert display_name(postgres_app, cadre.id) == "written and committed"


def test_statements_stay_prepared_across_pages_that_only_read(postgres_app, cadre):
    """psycopg prepares a statement on its fifth use on a connection, and forgets them all at
    a ROLLBACK: ended with one, no page's statements were ever prepared."""
    client = postgres_app.test_client()
    log_in(client, cadre)
    with postgres_app.app_context():
        db.engine.dispose()  # one connection, reused by every page below in turn
    for _ in range(8):
        assert client.get("/me/progress").status_code == 200
    with postgres_app.app_context():
        prepared = list(db.session.scalars(text("SELECT statement FROM pg_prepared_statements")))
    assert any("FROM users JOIN login_sessions" in statement for statement in prepared), prepared


def test_a_connection_back_in_the_pool_is_as_the_engine_made_it(postgres_app, cadre):
    """A session's reads left its connection in autocommit; whoever takes it from the pool next
    gets transactions again (a rollback undoes what it wrote)."""
    with postgres_app.app_context():
        db.engine.dispose()  # one connection: the session's, then the engine user's
        db.session.scalar(select(User.username).where(User.id == cadre.id))
        db.session.remove()
        with db.engine.connect() as connection:
            assert connection.connection.dbapi_connection.autocommit is False
            connection.execute(update(User).where(User.id == cadre.id)
                               .values(display_name="rolled back"))
            connection.rollback()
    assert display_name(postgres_app, cadre.id) != "rolled back"
