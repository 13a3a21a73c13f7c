"""Run the real app on loopback for load tests and benchmarks (as `make run` serves it).

Every server binds 127.0.0.1 only; every database is created for the run and dropped after.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
POSTGRES_ADMIN = os.environ.get("LOAD_POSTGRES_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(command: str) -> None:
    subprocess.run(["psql", POSTGRES_ADMIN, "-qc", command], check=True,
                   stdout=subprocess.DEVNULL)


@contextmanager
def database(kind: str, workdir: Path) -> Iterator[str]:
    """A fresh, empty database of this kind for one run."""
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'load.db'}"
        return
    name = f"quizapp_load_{secrets.token_hex(4)}"
    psql(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def app_env(url: str, workdir: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "wsgi",
           "SECRET_KEY": "load-test-" + secrets.token_hex(8),
           "QUIZAPP_CLOSE_OVERDUE_EVERY": "0", "PYTHONPATH": str(ROOT)}
    env.update(extra)
    return env


def flask(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = subprocess.run([str(BIN / "flask"), *args], env=env, cwd=ROOT, input=stdin,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stderr}{result.stdout}")
    return result.stdout


def prepare(env: dict[str, str], cadres: int, password: str) -> list[str]:
    """Schema, bank, an admin and the cadres (created in one process, one hash)."""
    flask(env, "db", "upgrade")
    flask(env, "bank", "load")
    flask(env, "users", "create", "load_admin", "--role", "admin", "--password-stdin",
          stdin=secrets.token_urlsafe(16) + "\n")
    names = [f"load_cadre{n:05d}" for n in range(cadres)]
    if names:
        subprocess.run([str(BIN / "python"), str(Path(__file__).with_name("seed_users.py")),
                        password, *names], env=env, cwd=ROOT, check=True)
    return names


@contextmanager
def running(command: list[str], env: dict[str, str], health: str = "/healthz",
            port: int | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """A server started with `command` on `port` of loopback, ready when this yields."""
    port = port or free_port()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + health, timeout=2):  # noqa: S310
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit(f"{command[0]} did not come up") from None
                time.sleep(0.2)
        yield base, process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def serve(env: dict[str, str], *arguments: str, health: str = "/healthz",
          **settings: str | int) -> Iterator[tuple[str, subprocess.Popen]]:
    """The app as `make run` serves it (scripts/serve), on a free loopback port.

    `settings` override scripts/serve's variables (SERVER, WORKERS, THREADS, BACKLOG, APP); without
    them the server and its settings are exactly `make run`'s defaults. `arguments` go to the
    server as they are.
    """
    port = free_port()
    chosen = {key.upper(): str(value) for key, value in settings.items()}
    server_env = {**env, "HOST": "127.0.0.1", "PORT": str(port), **chosen}
    for name in ("SERVER", "WORKERS", "THREADS", "BACKLOG", "APP"):
        if name not in chosen:
            server_env.pop(name, None)  # the caller's environment must not change the defaults
    with running([str(ROOT / "scripts" / "serve"), *arguments], server_env, health,
                 port) as served:
        yield served


def worker_pids(master: int) -> list[int]:
    """The workers of a server's master process (its children in /proc)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                pids.append(int(entry.name))
    return sorted(pids)


if __name__ == "__main__":
    sys.exit("a module for scripts/load/run.py and scripts/bench/run.py")
