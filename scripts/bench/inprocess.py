"""What each measured endpoint costs in process (no server, no network): median milliseconds
over repeated requests through Flask's test client, and with --profile a pyinstrument summary
per endpoint (where that time goes). On PostgreSQL it also gives the database server's CPU
time per request, which shares the same cores when the app is served.

The database is built as `make bench` builds it (`flask demo-data --cadres 60 --attempts 10
--seed 1`), in a temporary SQLite file or a temporary PostgreSQL database. Endpoints: the quiz
page, an autosave (growing sequence numbers, so every save is applied), starting a practice
quiz (each start is undone outside the timed part, so every timed start draws afresh), the
result page, the cadre's progress page and the cohort dashboard.

Usage: .venv/bin/python scripts/bench/inprocess.py [--db sqlite|postgresql] [--repeat 200]
           [--profile] [--calls] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "load"))
from servers import ROOT, app_env, database, flask, prepare  # noqa: E402

ENDPOINTS = ("healthz", "quiz_page", "autosave", "start", "result", "progress", "dashboard")
QUIZ = "ability-a1"
CHOICE_KINDS = ("single", "true_false", "multiple", "likert")


def build(kind: str, work: Path) -> dict[str, str]:
    """The app's environment on a fresh database filled as `make bench` fills it."""
    context = database(kind, work)
    url = context.__enter__()
    env = app_env(url, work)
    prepare(env, 0, "unused-password")
    flask(env, "demo-data", "--cadres", "60", "--attempts", "10", "--seed", "1")
    env["_context"] = context  # type: ignore[assignment]  # closed by main
    return env


def measure(env: dict[str, str], args: argparse.Namespace) -> dict[str, dict]:
    repeat = args.repeat
    # The app reads its settings from the environment, as the server does.
    for key in ("DATABASE_URL", "SECRET_KEY", "QUIZAPP_CLOSE_OVERDUE_EVERY"):
        os.environ[key] = env[key]
    sys.path.insert(0, str(ROOT))
    from flask.testing import FlaskClient
    from sqlalchemy import delete, select

    from quizapp import create_app
    from quizapp.auth.models import User
    from quizapp.auth.roles import Role
    from quizapp.auth.sessions import open_login
    from quizapp.cohorts.models import Cohort
    from quizapp.db import utcnow
    from quizapp.extensions import db
    from quizapp.quizzes import services
    from quizapp.quizzes.models import Attempt, AttemptItem, AttemptStatus

    app = create_app()

    def client_for(user: User) -> FlaskClient:
        open_login(user, remember=False, now=utcnow())
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return client

    with app.app_context():
        cadres = list(
            db.session.scalars(
                select(User).where(User.role == Role.CADRE).order_by(User.id).limit(40)
            )
        )
        visitors = []
        for user in cadres:
            attempt = services.start_or_resume_attempt(user, QUIZ, utcnow())
            rows = services.attempt_items(attempt)
            # A single-choice row when the draw has one (the bank's mix changes), else any
            # row answered by choosing options.
            choices = [r for r in rows if r.item_version.kind in CHOICE_KINDS]
            single = next((r for r in choices if r.item_version.kind == "single"), choices[0])
            graded = db.session.scalar(
                select(Attempt.id).where(
                    Attempt.user_id == user.id, Attempt.status == AttemptStatus.GRADED
                )
            )
            visitors.append(
                {
                    "client": client_for(user),
                    "attempt": attempt.id,
                    "item": single.item_version.item_id,
                    "options": list(single.option_order),
                    "graded": graded,
                    "user_id": user.id,
                }
            )
        cohort = db.session.scalar(select(Cohort).order_by(Cohort.id))
        coordinator = client_for(db.session.get(User, cohort.coordinator_id))
        cohort_id = cohort.id
        db.session.commit()
    # Each visitor's CSRF token, read off the quiz page as the browser does.
    for visitor in visitors:
        page = visitor["client"].get(f"/attempts/{visitor['attempt']}").get_data(as_text=True)
        marker = 'name="csrf_token" value="'
        visitor["csrf"] = page.split(marker, 1)[1].split('"', 1)[0]

    turn = {"n": 0, "seq": 0}

    def next_visitor() -> dict:
        turn["n"] += 1
        return visitors[turn["n"] % len(visitors)]

    def undo_start(visitor: dict) -> None:
        with app.app_context():
            ids = select(Attempt.id).where(
                Attempt.user_id == visitor["user_id"],
                Attempt.quiz_id == QUIZ,
                Attempt.assignment_id.is_(None),
                Attempt.status == AttemptStatus.IN_PROGRESS,
                Attempt.id != visitor["attempt"],
            )
            found = list(db.session.scalars(ids))
            db.session.execute(delete(AttemptItem).where(AttemptItem.attempt_id.in_(found)))
            db.session.execute(delete(Attempt).where(Attempt.id.in_(found)))
            db.session.commit()

    def before(endpoint: str) -> dict:
        """The next visitor, made ready untimed: a start needs no attempt in progress."""
        v = next_visitor()
        if endpoint == "start":
            set_status(v["attempt"], AttemptStatus.SUBMITTED)
        return v

    def after(endpoint: str, v: dict) -> None:
        """Undo a start, untimed, so that the next start of this visitor draws afresh."""
        if endpoint == "start":
            undo_start(v)
            set_status(v["attempt"], AttemptStatus.IN_PROGRESS)

    def set_status(attempt_id: int, status: AttemptStatus) -> None:
        with app.app_context():
            db.session.execute(
                Attempt.__table__.update()
                .where(Attempt.id == attempt_id)
                .values(status=status.value)
            )
            db.session.commit()

    def request(endpoint: str, v: dict) -> int:
        """One request of the endpoint; returns its status."""
        c = v["client"]
        if endpoint == "healthz":
            return c.get("/healthz").status_code
        if endpoint == "quiz_page":
            return c.get(f"/attempts/{v['attempt']}").status_code
        if endpoint == "autosave":
            turn["seq"] += 1
            option = v["options"][turn["seq"] % len(v["options"])]
            reply = c.put(
                f"/attempts/{v['attempt']}/answers/{v['item']}",
                json={"response": [option], "seq": turn["seq"]},
                headers={"X-CSRFToken": v["csrf"], "Accept": "application/json"},
            )
            return reply.status_code
        if endpoint == "start":
            reply = c.post(f"/quizzes/{QUIZ}/attempts", data={"csrf_token": v["csrf"]})
            return (
                200
                if reply.status_code == 302 and "/attempts/" in reply.location
                else reply.status_code
            )
        if endpoint == "result":
            return c.get(f"/attempts/{v['graded']}/result").status_code
        if endpoint == "progress":
            return c.get("/me/progress").status_code
        return coordinator.get(f"/cohorts/{cohort_id}/dashboard").status_code

    on_postgresql = args.db == "postgresql"

    def timed(endpoint: str) -> tuple[float, float, float]:
        """Wall and CPU milliseconds of one request (CPU: this thread's, so a busy machine
        moves it less), and the database server's CPU milliseconds for it (read untimed,
        around the request only)."""
        v = before(endpoint)
        server = database_server_cpu() if on_postgresql else 0.0
        began, cpu = time.perf_counter(), time.thread_time()
        status = request(endpoint, v)
        elapsed, cpu = time.perf_counter() - began, time.thread_time() - cpu
        server = database_server_cpu() - server if on_postgresql else 0.0
        after(endpoint, v)
        if status != 200:
            raise SystemExit(f"{endpoint} answered {status}")
        return elapsed * 1000, cpu * 1000, server * 1000

    results: dict[str, dict] = {}
    for endpoint in args.only.split(",") if args.only else ENDPOINTS:
        for _ in range(5):  # warm-up: connections, templates, caches
            timed(endpoint)
        runs = [timed(endpoint) for _ in range(repeat)]
        times = sorted(wall for wall, _, _ in runs)
        results[endpoint] = {
            "median_ms": round(statistics.median(times), 2),
            "p90_ms": round(times[int(len(times) * 0.9)], 2),
            "cpu_median_ms": round(statistics.median(cpu for _, cpu, _ in runs), 2),
            # The least disturbed request: on a shared machine whose speed drifts by half
            # from one minute to the next, the figure that moves least between runs.
            "cpu_min_ms": round(min(cpu for _, cpu, _ in runs), 2),
            "requests": repeat,
        }
        if on_postgresql:  # the database server's share, on the same cores (mean)
            results[endpoint]["server_cpu_ms"] = round(
                statistics.fmean(server for _, _, server in runs), 2)
        if args.calls:
            results[endpoint]["calls"] = calls_of(endpoint, before, request, after, repeat)
        if args.profile:
            results[endpoint]["profile"] = profile_of(
                endpoint, before, request, after, repeat, args.flat
            )
    return results


def database_server_cpu() -> float:
    """CPU seconds used so far by this machine's PostgreSQL processes (0 when none runs), from
    the scheduler's nanosecond count (`/proc/<pid>/schedstat`; `stat` counts whole ticks)."""
    total = 0
    for process in Path("/proc").glob("[0-9]*"):
        try:
            if (process / "comm").read_text().strip() != "postgres":
                continue
            total += int((process / "schedstat").read_text().split()[0])
        except (OSError, ValueError):  # the process ended meanwhile
            continue
    return total / 1e9


def calls_of(
    endpoint: str, before: Callable, request: Callable, after: Callable, repeat: int
) -> int:
    """Python function calls per request (cProfile): the work a request does, which other
    work on the machine does not move (unlike its time)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    _measured(profiler.enable, profiler.disable, endpoint, before, request, after, repeat)
    return round(pstats.Stats(profiler).total_calls / repeat)


def _measured(start: Callable, stop: Callable, endpoint: str, before: Callable,
              request: Callable, after: Callable, repeat: int) -> None:
    """Each request between start and stop; its set-up and clean-up outside them."""
    for _ in range(repeat):
        v = before(endpoint)
        start()
        request(endpoint, v)
        stop()
        after(endpoint, v)


def profile_of(
    endpoint: str, before: Callable, request: Callable, after: Callable, repeat: int, flat: bool
) -> str:
    """The endpoint's requests under pyinstrument, as a call tree or, `flat`, the self time
    per function (the untimed parts left out)."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0002)
    _measured(profiler.start, profiler.stop, endpoint, before, request, after, repeat)
    text = profiler.output_text(unicode=True, color=False, show_all=flat, flat=flat)
    return "\n".join(text.splitlines()[:60]) if flat else text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--flat", action="store_true", help="profile: self time per function")
    parser.add_argument("--calls", action="store_true", help="Python function calls per request")
    parser.add_argument("--only", help="endpoints to measure, comma-separated")
    parser.add_argument("--json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = build(args.db, Path(tmp))
        context = env.pop("_context")
        try:
            results = measure(env, args)
        finally:
            context.__exit__(None, None, None)
    load = [round(x, 2) for x in os.getloadavg()]
    for endpoint, row in results.items():
        print(
            f"{endpoint:10} median {row['median_ms']:7.2f} ms   p90 {row['p90_ms']:7.2f} ms   "
            f"CPU median {row['cpu_median_ms']:7.2f} ms   min {row['cpu_min_ms']:6.2f} ms"
            + (f"   calls {row['calls']:6d}" if "calls" in row else "")
            + (f"   server CPU {row['server_cpu_ms']:5.2f} ms" if "server_cpu_ms" in row else "")
        )
        if "profile" in row:
            print(row["profile"])
    print(f"load average after: {load}")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"db": args.db, "load_average": load, "endpoints": results}, indent=2)
        )


if __name__ == "__main__":
    main()
