"""The periodic close-overdue job, run in a background thread of each app server process.

Several processes may run it at once: `close_overdue_attempts` skips rows another process has
locked (PostgreSQL) or waits for the write lock (SQLite), so each attempt closes once."""

from __future__ import annotations

import threading
from datetime import timedelta

from flask import Flask

from ..db import begin_write, utcnow
from ..extensions import db
from . import services


def close_overdue_once(app: Flask) -> int:
    with app.app_context():
        try:
            begin_write(db.session)
            grace = timedelta(seconds=app.config["SYNC_GRACE_SECONDS"])
            closed = services.close_overdue_attempts(utcnow(), grace)
            db.session.commit()
            return len(closed)
        except Exception:
            db.session.rollback()
            app.logger.exception("closing overdue attempts failed; will retry")
            return 0
        finally:
            db.session.remove()


def start_overdue_closer(app: Flask, every_seconds: float) -> threading.Thread | None:
    """Close overdue attempts every so often in a daemon thread; 0 turns it off."""
    if every_seconds <= 0:
        return None
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every_seconds):
            close_overdue_once(app)

    thread = threading.Thread(target=loop, name="close-overdue", daemon=True)
    thread.stop = stop  # type: ignore[attr-defined]
    thread.start()
    return thread
