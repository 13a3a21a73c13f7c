"""Declarative base with a constraint naming convention, small typed helpers, and how
connections and transactions are handled (SQLite's settings, write transactions, pinging idle
connections, reads outside transactions on PostgreSQL, ending transactions that only read)."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import time
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import psycopg
from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, scoped_session
from sqlalchemy.pool import Pool
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def enum_values(enum_class: type) -> list[str]:
    """Store an enum by its values (not its member names)."""
    return [member.value for member in enum_class]


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use quizapp.db.utcnow()")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite: enforce foreign keys, let readers and a writer work at once, wait on locks."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.close()


def begin_write(session: Session | scoped_session) -> None:
    """Start a transaction that will write, before its first statement.

    On SQLite this is BEGIN IMMEDIATE: the write lock is taken at once, so concurrent writers
    wait their turn (busy_timeout) instead of failing when a read lock cannot be upgraded.
    On PostgreSQL the request's transaction simply goes on: under READ COMMITTED each
    statement sees what is committed when it runs, so ending the reads first would only cost
    a round trip; row locks (FOR UPDATE) do the rest."""
    if isinstance(session, scoped_session):
        session = session()
    if session.get_bind().dialect.name != "sqlite":
        return
    if session.in_transaction():
        session.commit()  # ends the read-only transaction of the request so far
    session.connection().exec_driver_sql("BEGIN IMMEDIATE")


# A pooled connection unused for this long is pinged before a request gets it (a database
# restarted meanwhile is found without failing that request). One reused sooner is not: under
# load that would add a round trip to every request, and a restart during load fails the
# statements in flight whatever is pinged (the first failure then renews the whole pool).
PING_AFTER_IDLE_SECONDS = 2.0
_CHECKED_IN_AT = "quizapp_checked_in_at"


@event.listens_for(Pool, "checkin")
def _note_checkin(dbapi_connection: Any, connection_record: Any) -> None:
    if connection_record is not None:
        connection_record.info[_CHECKED_IN_AT] = time.monotonic()
    if isinstance(dbapi_connection, psycopg.Connection):
        _end_autocommit(dbapi_connection)


@event.listens_for(Pool, "checkout")
def _ping_if_idle(dbapi_connection: Any, connection_record: Any, proxy: Any) -> None:
    """SQLAlchemy's pre-ping, for connections idle a while only. SQLite is in process: there
    is no server to lose. Raising DisconnectionError makes the pool reconnect and retry."""
    checked_in_at = connection_record.info.get(_CHECKED_IN_AT)
    if isinstance(dbapi_connection, sqlite3.Connection) or checked_in_at is None \
            or time.monotonic() - checked_in_at < PING_AFTER_IDLE_SECONDS:
        return
    autocommit = getattr(dbapi_connection, "autocommit", None)
    try:
        if autocommit is False:  # so that the ping opens no transaction (as pre-ping does)
            dbapi_connection.autocommit = True
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        if autocommit is False:
            dbapi_connection.autocommit = False
    except Exception as error:  # any fault of the driver means the same: reconnect
        raise DisconnectionError(f"the pooled connection did not answer: {error}") from error


# Set on a psycopg connection by its cursors once its transaction has sent anything but a
# SELECT (DML, DDL, SAVEPOINT, a CTE); cleared at every checkout from the pool, which is where
# each of a session's transactions begins. A SELECT that wrote (a function with side effects)
# would be committed: the app sends none, and one added must not start with SELECT.
_WROTE = "quizapp_wrote"
# Set when a session begins on a PostgreSQL connection (`_read_outside_transactions`): the
# connection is in autocommit until a statement needs a transaction. Under READ COMMITTED
# every statement reads its own snapshot, in a transaction or not, so plain reads lose nothing
# outside one, and a page that only reads is spared the BEGIN and COMMIT round trips (two of a
# quiz page's five; docs/benchmarks.md). The first statement that writes or locks rows
# (SELECT … FOR UPDATE, which outside a transaction locks nothing) turns autocommit off
# before it is sent: psycopg then begins the transaction with it.
_LAZY = "quizapp_lazy"
_LOCKING = re.compile(rb"\bFOR\s+(?:NO\s+KEY\s+)?(?:UPDATE|SHARE|KEY\s+SHARE)\b", re.IGNORECASE)


@lru_cache(maxsize=2048)  # the app's statements are a few hundred texts, sent again and again
def _statement_needs(query: str | bytes) -> tuple[bool, bool]:
    """(writes, locks rows) for a statement's text: anything but a SELECT counts as a write."""
    text = query if isinstance(query, bytes) else query.encode()
    if text.lstrip()[:6].upper() != b"SELECT":
        return True, True
    return False, _LOCKING.search(text) is not None


class _WriteNotingCursor(psycopg.Cursor):
    """psycopg's cursor, noting a write on its connection and beginning the transaction a
    write or a row lock needs (a hook on the engine would make every statement dispatch the
    engine's events, which costs more than this)."""

    def execute(self, query: Any, params: Any = None, **options: Any) -> Any:
        writes, locks = (_statement_needs(query) if isinstance(query, str | bytes)
                         else (True, True))  # a composed query: counted as a write, to be safe
        if writes:
            setattr(self.connection, _WROTE, True)
        if locks:
            _begin_transaction(self.connection)
        return super().execute(query, params, **options)

    def executemany(self, query: Any, params_seq: Any, **options: Any) -> Any:
        setattr(self.connection, _WROTE, True)
        _begin_transaction(self.connection)
        return super().executemany(query, params_seq, **options)


def _begin_transaction(connection: psycopg.Connection) -> None:
    if getattr(connection, _LAZY, False):
        setattr(connection, _LAZY, False)
        connection.autocommit = False


@event.listens_for(Pool, "connect")
def _note_writes(dbapi_connection: Any, connection_record: Any) -> None:
    if isinstance(dbapi_connection, psycopg.Connection):
        dbapi_connection.cursor_factory = _WriteNotingCursor


@event.listens_for(Pool, "checkout")
def _forget_writes(dbapi_connection: Any, connection_record: Any, proxy: Any) -> None:
    if isinstance(dbapi_connection, psycopg.Connection):
        setattr(dbapi_connection, _WROTE, False)


@event.listens_for(Session, "after_begin")
def _read_outside_transactions(session: Session, transaction: Any, connection: Any) -> None:
    """A session's connection reads in autocommit until a statement needs a transaction.
    Sessions only: a connection taken from the engine directly (a short write, VACUUM on one
    set to AUTOCOMMIT) keeps what it asked for, and one given its own isolation level too."""
    dbapi_connection = connection.connection.dbapi_connection
    if isinstance(dbapi_connection, psycopg.Connection) and not dbapi_connection.autocommit \
            and dbapi_connection.pgconn.transaction_status == psycopg.pq.TransactionStatus.IDLE \
            and "isolation_level" not in connection.get_execution_options():
        dbapi_connection.autocommit = True
        setattr(dbapi_connection, _LAZY, True)


def _end_autocommit(dbapi_connection: Any) -> None:
    """Back in the pool, a connection is as the engine made it (no autocommit of ours)."""
    if getattr(dbapi_connection, _LAZY, False):
        setattr(dbapi_connection, _LAZY, False)
        with contextlib.suppress(Exception):  # a broken connection is the pool's to discard
            dbapi_connection.autocommit = False


def end_reads(session: Session | scoped_session) -> None:
    """End a request's transaction that only read with COMMIT rather than ROLLBACK.

    The answer is the same for a transaction that wrote nothing, but psycopg forgets its
    prepared statements at every ROLLBACK: with most requests reading only, the statements
    every request sends (the log-in check, the attempt's rows) were parsed and planned afresh
    each time. The commit goes to the driver's connection directly (the session's own would
    flush, expire and dispatch events for nothing); the session's rollback that follows finds
    no transaction left and sends nothing. Anything written, flushed or pending, a transaction
    that failed, and every SQLite transaction, are left to that rollback. It only saves work,
    so no fault of the session or the driver here ever fails the request: the rollback that
    follows ends the transaction whatever happened."""
    with contextlib.suppress(Exception):
        _commit_if_only_read(session() if isinstance(session, scoped_session) else session)


def _commit_if_only_read(session: Session) -> None:
    transaction = session.get_transaction()
    if transaction is None or not transaction.is_active:
        return
    driver_connection = session.connection().connection.dbapi_connection
    if getattr(driver_connection, _WROTE, True) or session.new or session.dirty \
            or session.deleted:
        return
    driver_connection.commit()  # type: ignore[union-attr]
