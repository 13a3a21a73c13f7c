"""begin_write after the request's reads (quizapp.db): on SQLite the write lock is taken on the
connection that read, at once, without a commit between; anything pending from before is still
committed first, as it always was."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from quizapp.auth.models import User
from quizapp.db import begin_write
from quizapp.extensions import db


def test_a_write_after_reads_holds_the_lock_at_once_on_the_same_connection(app, cadre,
                                                                          db_backend):
    with app.app_context():
        db.session.scalar(select(User.display_name).where(User.id == cadre.id))  # a read
        reading = db.session.connection().connection.dbapi_connection
        begin_write(db.session)
        if db_backend == "sqlite":
            assert db.session.connection().connection.dbapi_connection is reading
            with db.engine.connect() as other:
                other.exec_driver_sql("PRAGMA busy_timeout = 0")
                with pytest.raises(OperationalError, match="locked"):
                    other.exec_driver_sql("BEGIN IMMEDIATE")
        db.session.get(User, cadre.id).display_name = "Written"
        db.session.commit()
        db.session.remove()
        assert db.session.get(User, cadre.id).display_name == "Written"


def test_a_change_pending_before_the_write_is_committed_first(app, cadre):
    with app.app_context():
        db.session.get(User, cadre.id).display_name = "Before the write"
        begin_write(db.session)
        db.session.rollback()  # the write itself fails
        db.session.remove()
        assert db.session.get(User, cadre.id).display_name == "Before the write"
