"""The database away (locked, read-only, full, or a PostgreSQL server restarted by this test):
a clear 503 with Retry-After, nothing half-written, and the app recovers by itself with no
acknowledged answer lost."""

import importlib
import sqlite3

from sqlalchemy import event, select
from sqlalchemy.orm import selectinload

from quizapp.auth import services as accounts
from quizapp.auth.roles import Role
from quizapp.extensions import db
from quizapp.quizzes.models import Attempt, AttemptItem
from tests.helpers import PASSWORD, csrf_token, make_app, migrate_to_head, skip_or_fail
from tests.processes import PostgresServer


def prepared_app(url: str, **overrides):
    """A migrated app with the test bank loaded, an admin and a cadre."""
    app = make_app(url, **overrides)
    migrate_to_head(app)
    assert app.test_cli_runner().invoke(args=["bank", "load"]).exit_code == 0
    with app.app_context():
        accounts.create_user("outage_admin", "管理员", PASSWORD, Role.ADMIN)
        accounts.create_user("outage_cadre", "干部", PASSWORD, Role.CADRE)
        db.session.commit()
    return app


def cadre_in_a_quiz(app):
    """A logged-in cadre's client, his attempt id, token and the attempt's items."""
    client = app.test_client()
    client.post("/login", data={"csrf_token": csrf_token(client), "username": "outage_cadre",
                                "password": PASSWORD})
    token = csrf_token(client, "/quizzes/")
    started = client.post("/quizzes/ability-a1/attempts", data={"csrf_token": token})
    attempt_id = int(started.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        rows = [(r.item_version.item_id, r.option_order[0]) for r in db.session.scalars(
            select(AttemptItem).where(AttemptItem.attempt_id == attempt_id)
            .options(selectinload(AttemptItem.item_version)).order_by(AttemptItem.position))]
    return client, attempt_id, token, rows


def save(client, attempt_id, token, item_id, option, seq):
    return client.put(f"/attempts/{attempt_id}/answers/{item_id}",
                      json={"response": [option], "seq": seq}, headers={"X-CSRFToken": token})


def stored(app, attempt_id):
    with app.app_context():
        return {r.item_version.item_id: r.response for r in db.session.scalars(
            select(AttemptItem).where(AttemptItem.attempt_id == attempt_id)
            .options(selectinload(AttemptItem.item_version)))}


def assert_unavailable(response):
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "数据库暂时没有响应" in response.get_json()["error"]


def test_sqlite_locked_then_free(tmp_path):
    url = f"sqlite:///{tmp_path / 'locked.db'}"
    app = prepared_app(url, SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"timeout": 0.2}})
    client, attempt_id, token, rows = cadre_in_a_quiz(app)
    holder = sqlite3.connect(tmp_path / "locked.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        assert_unavailable(save(client, attempt_id, token, *rows[0], seq=1))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert save(client, attempt_id, token, *rows[0], seq=2).status_code == 200
    assert stored(app, attempt_id)[rows[0][0]] == [rows[0][1]]


def test_sqlite_read_only(tmp_path):
    path = tmp_path / "readonly.db"
    writable = prepared_app(f"sqlite:///{path}")
    client, attempt_id, token, rows = cadre_in_a_quiz(writable)
    cookie = client.get_cookie("session")
    read_only = make_app(f"sqlite:///file:{path}?mode=ro&uri=true")
    reader = read_only.test_client()  # the same cadre, served from a read-only file
    reader.set_cookie("session", cookie.value, domain=cookie.domain)
    assert_unavailable(save(reader, attempt_id, token, *rows[0], seq=1))
    assert stored(writable, attempt_id)[rows[0][0]] is None  # nothing half-written


def test_sqlite_full(tmp_path):
    url = f"sqlite:///{tmp_path / 'full.db'}"
    app = prepared_app(url)
    client, _, token, _ = cadre_in_a_quiz(app)
    with app.app_context():
        engine = db.engine
        pages = db.session.execute(db.text("PRAGMA page_count")).scalar_one()
        engine.dispose()

        def no_room(connection, _record):  # SQLite's own limit: "database or disk is full"
            connection.execute(f"PRAGMA max_page_count = {pages}")

        event.listen(engine, "connect", no_room)
    # Start and hand in attempts until the pages left run out: every answer is a 302 (done)
    # or, once the file is full, a 503; never a 500.
    json = {"Accept": "application/json"}
    statuses = []
    for _ in range(60):
        started = client.post("/quizzes/mixed/attempts", data={"csrf_token": token},
                              headers=json)
        statuses.append(started.status_code)
        if started.status_code != 302:
            break
        attempt_id = int(started.headers["Location"].rsplit("/", 1)[1])
        handed_in = client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token},
                                headers=json)
        statuses.append(handed_in.status_code)
        if handed_in.status_code != 302:
            break
    assert statuses[-1] == 503 and set(statuses) <= {302, 503}
    assert_unavailable(started if started.status_code == 503 else handed_in)
    with app.app_context():
        event.remove(engine, "connect", no_room)
        engine.dispose()
        graded = db.session.scalars(select(Attempt.status)).all()
    # The request that failed wrote nothing: every attempt is either whole or still open.
    assert set(graded) <= {"graded", "in_progress"}


# ---------------------------------------------------------------- PostgreSQL restarted


def test_postgresql_restarted_mid_quiz_loses_no_acknowledged_answer():
    if not PostgresServer.available():
        skip_or_fail("REQUIRE_POSTGRES", "PostgreSQL server binaries are not installed")
    server = PostgresServer()
    server.start()
    try:
        app = prepared_app(server.url)
        client, attempt_id, token, rows = cadre_in_a_quiz(app)
        acknowledged = {}
        first_item, first_option = rows[0]
        assert save(client, attempt_id, token, first_item, first_option, 1).status_code == 200
        acknowledged[first_item] = [first_option]

        server.stop()
        second_item, second_option = rows[1]
        assert_unavailable(save(client, attempt_id, token, second_item, second_option, 1))

        server.start()  # the same app: its pool must recover by itself
        assert save(client, attempt_id, token, second_item, second_option, 2).status_code == 200
        acknowledged[second_item] = [second_option]
        answers = stored(app, attempt_id)
        assert {item: answers[item] for item in acknowledged} == acknowledged
        with app.app_context():
            db.engine.dispose()
    finally:
        server.close()


def test_postgresql_restarted_while_idle_is_found_by_the_ping_before_any_request_fails(
        monkeypatch):
    """A pooled connection unused for a while is pinged at checkout: a server restarted
    meanwhile costs no failed request. One reused at once is not pinged (under load that would
    be a round trip per request): the restart then fails one request, and the pool renews
    itself for the next."""
    if not PostgresServer.available():
        skip_or_fail("REQUIRE_POSTGRES", "PostgreSQL server binaries are not installed")
    database = importlib.import_module("quizapp.db")  # the module, not the extension `db`
    server = PostgresServer()
    server.start()
    try:
        app = prepared_app(server.url)
        client, attempt_id, token, rows = cadre_in_a_quiz(app)
        item, option = rows[0]
        assert save(client, attempt_id, token, item, option, 1).status_code == 200

        monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)  # every one is idle
        server.stop()
        server.start()
        assert save(client, attempt_id, token, item, option, 2).status_code == 200

        monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 3600.0)  # none is idle
        server.stop()
        server.start()
        assert_unavailable(save(client, attempt_id, token, item, option, 3))
        assert save(client, attempt_id, token, item, option, 4).status_code == 200
        assert stored(app, attempt_id)[item] == [option]
        with app.app_context():
            db.engine.dispose()
    finally:
        server.close()
