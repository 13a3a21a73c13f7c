"""A class list hashes its passwords before it writes: other cadres' answers are saved while
an import is hashing (SQLite has one writer at a time)."""

import sqlite3
import threading
import time

from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.cohorts import services as cohorts
from quizapp.cohorts.roster import RosterRow
from quizapp.extensions import db
from tests.helpers import make_app, migrate_to_head


def test_a_writer_is_not_held_up_while_a_class_list_hashes(tmp_path):
    # SQLite's single write lock is what is under test (PostgreSQL locks rows, not the file).
    database_url = f"sqlite:///{tmp_path / 'import.db'}"
    # Production-strength hashing, so that hashing the class takes a noticeable while.
    app = make_app(database_url, ARGON2_TIME_COST=2, ARGON2_MEMORY_COST=19 * 1024)
    migrate_to_head(app)
    rows = [RosterRow(n, f"import_cadre{n:03d}", f"干部{n}", None) for n in range(2, 82)]
    with app.app_context():
        coordinator = User(username="import_coord", display_name="协调员", role=Role.ADMIN,
                           password_hash="x", is_active=True)
        db.session.add(coordinator)
        db.session.flush()
        cohort = cohorts.create_cohort("导入班", "", coordinator)
        db.session.commit()
        cohort_id, coordinator_id = cohort.id, coordinator.id
    done = threading.Event()

    def import_class() -> None:
        with app.app_context():
            actor = db.session.get(User, coordinator_id)
            cohorts.import_roster(db.session.get(cohorts.Cohort, cohort_id), rows, actor)
            db.session.commit()
        done.set()

    importer = threading.Thread(target=import_class)
    started = time.monotonic()
    importer.start()
    time.sleep(0.3)  # the import is hashing by now (80 hashes take well over a second)
    writer = sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=0.2)
    try:
        writer.execute("UPDATE users SET display_name = display_name WHERE id = ?",
                       (coordinator_id,))
        writer.commit()  # raises "database is locked" if the import held the write lock
        wrote_while_importing = not done.is_set()
    finally:
        writer.close()
        importer.join()
    assert wrote_while_importing, "the import finished before the writer tried"
    assert time.monotonic() - started > 0.3
    with app.app_context():
        assert len(cohorts.member_ids(cohort_id)) == 80
        db.engine.dispose()
