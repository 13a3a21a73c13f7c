"""`make load`: many cadres start the same quiz within seconds against the app on loopback,
served as `make run` serves it (scripts/serve), answer with autosave and think time, some
connections drop, one worker is killed with SIGKILL mid-run. Afterwards every answer the server
acknowledged is compared with the database.

With --restart-dependencies the run uses a PostgreSQL cluster and a Redis server of its own
(temporary directories) and restarts Redis at a third of the run and PostgreSQL at two thirds,
each down for a few seconds: the page's autosave retries, and no acknowledged answer may be lost.

Usage: .venv/bin/python scripts/load/run.py [--db sqlite|postgresql] [--users 200]
                                            [--run-time 60] [--spawn-rate 100]
                                            [--restart-dependencies]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[2]))
from servers import BIN, ROOT, app_env, database, prepare, serve, worker_pids

from tests.processes import PostgresServer, RedisServer

# How long each dependency stays down when it is restarted mid-run.
DOWN_SECONDS = 4
# The server as `make run` starts it (scripts/serve), with start-up lines only.
QUIET = ("--log-level", "warning")


def normalise(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def check_acknowledged(url: str, ack_file: Path) -> dict[str, int]:
    """Every acknowledged answer must be in the database (or a newer one of the same cadre)."""
    latest: dict[tuple[int, str], dict] = {}
    acknowledged = 0
    if ack_file.exists():
        for line in ack_file.read_text().splitlines():
            ack = json.loads(line)
            acknowledged += 1
            key = (int(ack["attempt"]), ack["item"])
            if key not in latest or ack["seq"] > latest[key]["seq"]:
                latest[key] = ack
    engine = create_engine(normalise(url))
    stored: dict[tuple[int, str], tuple[int | None, list[str]]] = {}
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT ai.attempt_id, iv.item_id, ai.client_seq, ai.response FROM attempt_items ai "
            "JOIN item_versions iv ON iv.id = ai.item_version_id"))
        for attempt_id, item_id, seq, response in rows:
            if isinstance(response, str):
                response = json.loads(response)
            stored[(attempt_id, item_id)] = (seq, sorted(response or []))
    engine.dispose()
    lost = 0
    for key, ack in latest.items():
        seq, response = stored.get(key, (None, []))
        if seq is None or seq < ack["seq"] or (seq == ack["seq"] and response != ack["response"]):
            lost += 1
    return {"acknowledged": acknowledged, "distinct_answers": len(latest), "lost": lost}


def aggregated_stats(prefix: Path) -> dict[str, float]:
    with open(f"{prefix}_stats.csv") as handle:
        rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    return {"requests": int(total["Request Count"]), "errors": int(total["Failure Count"]),
            "p50_ms": float(total["50%"]), "p95_ms": float(total["95%"]),
            "p99_ms": float(total["99%"]), "rps": round(float(total["Requests/s"]), 1)}


def run_locust(args: argparse.Namespace, base: str, names: list[str], password: str,
               ack_file: Path, work: Path) -> float:
    """The simulated cadres against `base`; returns the seconds the run took."""
    locust_env = {**os.environ, "LOAD_USERNAMES": ",".join(names),
                  "LOAD_PASSWORD": password, "LOAD_ACK_FILE": str(ack_file)}
    started = time.monotonic()
    subprocess.run(
        [str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")),
         "--headless", "--host", base, "-u", str(args.users), "-r", str(args.spawn_rate),
         "--run-time", f"{args.run_time}s", "--stop-timeout", "10", "--csv", str(work / "load"),
         "--only-summary", "--loglevel", "WARNING"],
        env=locust_env, cwd=ROOT, check=False)
    return round(time.monotonic() - started, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=int, default=100)
    parser.add_argument("--run-time", type=int, default=60)
    parser.add_argument("--no-kill", action="store_true")
    parser.add_argument("--restart-dependencies", action="store_true")
    args = parser.parse_args()
    if args.restart_dependencies:
        restart_run(args)
        return
    password = secrets.token_urlsafe(12)
    with tempfile.TemporaryDirectory() as tmp, database(args.db, Path(tmp)) as url:
        work = Path(tmp)
        # Every simulated cadre comes from 127.0.0.1: lift the per-address log-in limit only.
        env = app_env(url, work, QUIZAPP_LOGIN_LIMIT_PER_ADDRESS='"100000 per minute"')
        names = prepare(env, args.users, password)
        ack_file = work / "acks.jsonl"
        with serve(env, *QUIET) as (base, server):
            killed: list[int] = []

            def kill_a_worker() -> None:
                time.sleep(args.run_time / 2)
                workers = worker_pids(server.pid)
                if workers:
                    os.kill(workers[0], signal.SIGKILL)
                    killed.append(workers[0])

            if not args.no_kill:
                threading.Thread(target=kill_a_worker, daemon=True).start()
            elapsed = run_locust(args, base, names, password, ack_file, work)
        result = {"database": args.db, "users": args.users, "seconds": elapsed,
                  "worker_killed": killed[0] if killed else None,
                  **aggregated_stats(work / "load"), **check_acknowledged(url, ack_file)}
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / f"load-{args.db}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result))
    sys.exit(1 if result["lost"] else 0)


def restart_run(args: argparse.Namespace) -> None:
    """The load against a PostgreSQL and a Redis of our own, each restarted once mid-run."""
    password = secrets.token_urlsafe(12)
    postgres = PostgresServer()
    postgres.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            redis = RedisServer(work)
            redis.start()
            url = postgres.url.replace("postgresql+psycopg://", "postgresql://")
            env = app_env(url, work, REDIS_URL=redis.url,
                          QUIZAPP_LOGIN_LIMIT_PER_ADDRESS='"100000 per minute"')
            names = prepare(env, args.users, password)
            ack_file = work / "acks.jsonl"
            restarts: list[dict[str, float | str]] = []

            def restart(name: str, server: PostgresServer | RedisServer, at: float) -> None:
                time.sleep(at)
                began = time.monotonic()
                server.stop()
                time.sleep(DOWN_SECONDS)
                server.start()
                restarts.append({"what": name, "at_s": round(at, 1),
                                 "down_s": round(time.monotonic() - began, 1)})

            with serve(env, *QUIET) as (base, _server):
                threading.Thread(target=restart, args=("redis", redis, args.run_time / 3),
                                 daemon=True).start()
                threading.Thread(target=restart, args=("postgresql", postgres,
                                                       2 * args.run_time / 3),
                                 daemon=True).start()
                elapsed = run_locust(args, base, names, password, ack_file, work)
            redis.stop()
            result = {"database": "postgresql (own cluster)", "users": args.users,
                      "seconds": elapsed, "restarts": restarts,
                      **aggregated_stats(work / "load"), **check_acknowledged(url, ack_file)}
    finally:
        postgres.close()
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / "load-restarts.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result))
    sys.exit(1 if result["lost"] or len(restarts) < 2 else 0)


if __name__ == "__main__":
    main()
