"""scripts/backup and scripts/restore, run as an operator would, on SQLite and PostgreSQL.

Real data goes in through the app, the scripts run as subprocesses against the test database,
the backup is restored into a fresh database, and every row must come back as it was. The
scripts get DATABASE_URL and INSTANCE_DIR explicitly and write only under tmp_path, so the
repository's instance/ and backups/ are never touched.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from quizapp.auth import services as accounts
from quizapp.auth.roles import Role
from quizapp.extensions import db
from tests.helpers import (
    MIGRATIONS,
    PASSWORD,
    ROOT,
    answers_for,
    attempt_rows,
    create_postgres_database,
    csrf_token,
    drop_postgres_database,
    log_in,
    make_app,
    start_quiz,
)

BACKUP = ROOT / "scripts" / "backup"
RESTORE = ROOT / "scripts" / "restore"
HEAD = ScriptDirectory(MIGRATIONS).get_current_head()


# ---------------------------------------------------------------- helpers


def backend_of(url: str) -> str:
    return sa.make_url(url).get_backend_name()


def script_url(url: str) -> str:
    """The URL as an operator writes it: postgresql:// rather than SQLAlchemy's +psycopg."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "postgresql":
        parsed = parsed.set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def run(script: Path, *args: str | Path, database_url: str,
        instance_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": script_url(database_url),
           "INSTANCE_DIR": str(instance_dir), "QUIZAPP_CLOSE_OVERDUE_EVERY": "0"}
    env.pop("SECRET_KEY", None)
    return subprocess.run(  # noqa: S603 - our own scripts, arguments from this test
        [str(script), *map(str, args)], env=env, cwd=instance_dir.parent,
        capture_output=True, text=True, timeout=120, check=False,
    )


def succeeded(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"{result.args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@contextmanager
def fresh_database(backend: str, tmp_path: Path, name: str) -> Iterator[str]:
    """A new, empty database of the given kind: a new SQLite file, or a new PostgreSQL
    database dropped at the end."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / f'{name}.db'}"
        return
    url = create_postgres_database()
    assert url is not None, "PostgreSQL went away during the run"
    try:
        yield url
    finally:
        drop_postgres_database(url)


def snapshot(url: str) -> dict[str, list[dict[str, object]]]:
    """Every row of every table of the app (and the Alembic revision), in key order."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = {table.name: [dict(row._mapping) for row in connection.execute(
                        sa.select(table).order_by(*table.primary_key.columns))]
                    for table in db.metadata.sorted_tables}
            rows["alembic_version"] = [dict(row._mapping) for row in connection.execute(
                sa.text("SELECT version_num FROM alembic_version"))]
            return rows
    finally:
        engine.dispose()


@pytest.fixture
def instance_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "instance"
    folder.mkdir()
    (folder / "secret_key").write_text("the-key-that-signs-sessions")
    return folder


@pytest.fixture(autouse=True)
def repository_left_alone() -> Iterator[None]:
    """The scripts run with explicit paths; the repository's own folders stay as they were."""
    def state() -> tuple[object, ...]:
        instance, backups = ROOT / "instance", ROOT / "backups"
        key = instance / "secret_key"
        return (sorted(p.name for p in instance.iterdir()) if instance.is_dir() else None,
                (key.stat().st_mtime_ns, key.read_bytes()) if key.is_file() else None,
                sorted(p.name for p in backups.iterdir()) if backups.is_dir() else None)

    before = state()
    yield
    assert state() == before


# ---------------------------------------------------------------- the round trip


def test_backup_then_restore_into_a_fresh_database_keeps_every_row(
        app, client, cadre, loaded_bank, database_url, instance_dir, tmp_path):
    backend = backend_of(database_url)
    # A graded attempt, and a second one in progress with a saved (wrong) answer.
    log_in(client, cadre)
    graded = start_quiz(client)
    rows = attempt_rows(app, graded)
    token = csrf_token(client, f"/attempts/{graded}")
    client.post(f"/attempts/{graded}", data={"csrf_token": token, **answers_for(rows)})
    submitted = client.post(f"/attempts/{graded}/submit",
                            data={"csrf_token": token, **answers_for(rows)})
    assert submitted.headers["Location"].endswith(f"/attempts/{graded}/result")
    open_attempt = start_quiz(client)
    first = attempt_rows(app, open_attempt)[:1]
    saved = client.post(f"/attempts/{open_attempt}",
                        data={"csrf_token": token, **answers_for(first, correct=False)})
    assert saved.status_code == 302

    before = snapshot(database_url)
    attempts = {row["id"]: row for row in before["attempts"]}
    assert attempts[graded]["status"] == "graded"
    assert (attempts[graded]["score"], attempts[graded]["max_score"]) == (3.0, 3.0)
    assert attempts[open_attempt]["status"] == "in_progress"
    items = before["attempt_items"]
    assert sum(item["response"] is not None for item in items) == len(rows) + 1
    assert sum(item["score"] is not None for item in items) == len(rows)
    assert {user["username"] for user in before["users"]} == {"admin", "cadre"}

    backup = tmp_path / "backup"
    out = succeeded(run(BACKUP, backup, database_url=database_url, instance_dir=instance_dir))
    assert str(backup) in out
    manifest = json.loads((backup / "manifest.json").read_text())
    assert (manifest["database"], manifest["alembic_revision"]) == (backend, HEAD)
    expected = {"sqlite": "quizapp.db", "postgresql": "quizapp.dump"}[backend]
    assert sorted(p.name for p in backup.iterdir()) == sorted(
        ["manifest.json", "secret_key", expected])

    restored_instance = tmp_path / "restored" / "instance"
    restored_instance.mkdir(parents=True)
    with fresh_database(backend, tmp_path, "restored") as target:
        out = succeeded(run(RESTORE, backup, database_url=target,
                            instance_dir=restored_instance))
        assert f"revision {HEAD}" in out
        assert snapshot(target) == before
        assert snapshot(database_url) == before  # the backup changed nothing at the source

        # The restored database serves the app: log-in, the result page, and new rows.
        restored = make_app(target)
        try:
            restored_client = restored.test_client()
            log_in(restored_client, cadre)
            page = restored_client.get(f"/attempts/{graded}/result").get_data(as_text=True)
            assert "得分：3 / 3（100%）" in page
            with restored.app_context():
                user = accounts.create_user("after_restore", "After", PASSWORD, Role.CADRE)
                db.session.commit()
                assert user.id > max(row["id"] for row in before["users"])
        finally:
            with restored.app_context():
                db.session.remove()
                db.engine.dispose()
    assert (restored_instance / "secret_key").read_text() == "the-key-that-signs-sessions"


def test_restoring_an_older_backup_migrates_it_to_the_current_schema(
        database_url, instance_dir, tmp_path):
    backend = backend_of(database_url)
    previous = ScriptDirectory(MIGRATIONS).get_revision(HEAD).down_revision
    assert isinstance(previous, str)
    backup = tmp_path / "old-backup"
    with fresh_database(backend, tmp_path, "old") as old:
        old_app = make_app(old)
        try:
            with old_app.app_context():
                upgrade(directory=MIGRATIONS, revision=previous)
                accounts.create_user("veteran", "Veteran", PASSWORD, Role.CADRE)
                db.session.commit()
        finally:
            with old_app.app_context():
                db.session.remove()
                db.engine.dispose()
        succeeded(run(BACKUP, backup, database_url=old, instance_dir=instance_dir))
    assert json.loads((backup / "manifest.json").read_text())["alembic_revision"] == previous

    with fresh_database(backend, tmp_path, "new") as target:
        out = succeeded(run(RESTORE, backup, database_url=target, instance_dir=instance_dir))
        assert f"at revision {HEAD} (the backup was at {previous})" in out
        after = snapshot(target)  # reads every table of the current models
    assert after["alembic_version"] == [{"version_num": HEAD}]
    assert [user["username"] for user in after["users"]] == ["veteran"]


# ---------------------------------------------------------------- refusals (no database needed)


def tiny_backup(tmp_path: Path, instance_dir: Path) -> Path:
    """A real backup of a minimal SQLite database (just its Alembic revision)."""
    source = tmp_path / "tiny.db"
    with sqlite3.connect(source) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
        connection.execute("INSERT INTO alembic_version VALUES (?)", (HEAD,))
    connection.close()
    backup = tmp_path / "tiny-backup"
    succeeded(run(BACKUP, backup, database_url=f"sqlite:///{source}",
                  instance_dir=instance_dir))
    return backup


def test_restore_refuses_without_a_complete_backup(tmp_path, instance_dir):
    target = f"sqlite:///{tmp_path / 'target.db'}"
    missing = run(RESTORE, database_url=target, instance_dir=instance_dir)
    assert missing.returncode == 2
    assert "usage: scripts/restore SRC" in missing.stderr

    empty = tmp_path / "empty"
    empty.mkdir()
    refused = run(RESTORE, empty, database_url=target, instance_dir=instance_dir)
    assert refused.returncode == 1
    assert "has no manifest.json" in refused.stderr

    backup = tiny_backup(tmp_path, instance_dir)
    (backup / "secret_key").unlink()
    refused = run(RESTORE, backup, database_url=target, instance_dir=instance_dir)
    assert refused.returncode == 1
    assert "lacks secret_key" in refused.stderr

    (backup / "quizapp.db").write_bytes(b"not the database that was backed up")
    refused = run(RESTORE, backup, database_url=target, instance_dir=instance_dir)
    assert refused.returncode == 1
    assert "does not match its checksum" in refused.stderr
    assert not (tmp_path / "target.db").exists()


def test_sqlite_restore_refuses_while_the_database_is_open(tmp_path, instance_dir):
    backup = tiny_backup(tmp_path, instance_dir)
    target = tmp_path / "live.db"
    live = sqlite3.connect(target)  # stands for the running app
    try:
        live.execute("PRAGMA journal_mode = WAL")
        live.execute("CREATE TABLE kept (x INTEGER)")
        live.commit()
        refused = run(RESTORE, backup, database_url=f"sqlite:///{target}",
                      instance_dir=instance_dir)
        assert refused.returncode == 1
        assert "is in use" in refused.stderr
        assert "stop the app" in refused.stderr
        assert live.execute("SELECT name FROM sqlite_master").fetchall() == [("kept",)]
    finally:
        live.close()


def test_backup_fails_clearly_and_leaves_nothing_behind(tmp_path, instance_dir):
    dest = tmp_path / "never"
    failed = run(BACKUP, dest, database_url=f"sqlite:///{tmp_path / 'absent.db'}",
                 instance_dir=instance_dir)
    assert failed.returncode == 1
    assert "no SQLite database at" in failed.stderr
    assert not dest.exists()
