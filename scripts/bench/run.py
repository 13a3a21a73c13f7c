"""`make bench`: throughput of each endpoint with wrk, against a fixed ceiling, in one run.

The ceiling is the fastest Flask answers on this machine: a bare Flask app (one route returning
a short string, ceiling.py) under `gunicorn -w <cores>` sync workers, measured in the same run
at the same concurrency. It never shares the app's server settings, so no choice of the app's
server can lower it. The app is served exactly as `make run` serves it (scripts/serve and its
defaults); `--servers` adds the server models compared in docs/benchmarks.md. Every request
says `Accept-Encoding: gzip, deflate, br, zstd`, as a phone's browser does, so compression is
paid.

All servers stay up during the run and are measured in turn, round after round (the ceiling
before each endpoint); each figure is the best of its runs, so work that other programs do on
the machine meanwhile falls on every server alike and is least visible in the best run.
Absolute numbers depend on the machine and its load; the ratios to the ceiling are what to
compare between runs. locust stays for the scenario runs: the synchronized start below, and
`make load`.

Usage: .venv/bin/python scripts/bench/run.py [--seconds 5] [--repeat 3] [--connections 16]
           [--threads 2]
           [--dbs sqlite,postgresql] [--servers default|all|NAME,…]
           [--sync 500,1000,2000 | --sync ''] [--scale]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "load"))
from report import comparison_table, endpoint_table, previous_report, write_report  # noqa: E402
from servers import (  # noqa: E402
    BIN,
    POSTGRES_ADMIN,
    ROOT,
    app_env,
    database,
    flask,
    prepare,
    running,
    serve,
)
from wrk_runs import (  # noqa: E402
    CORES,
    ENDPOINTS,
    START_CADRES_PER_RUN,
    best_of,
    lua,
    probe,
    quiz_page_bytes,
    requests_for,
    wrk_once,
)

# The server models compared (scripts/serve's variables), named with this machine's counts.
MODELS = {
    f"sync {CORES}": {"server": "sync", "workers": CORES},
    f"sync {2 * CORES + 1}": {"server": "sync", "workers": 2 * CORES + 1},
    f"gthread {CORES}×2": {"server": "gthread", "workers": CORES, "threads": 2},
    f"gthread {CORES}×4": {"server": "gthread", "workers": CORES, "threads": 4},
    f"granian {CORES}×2": {"server": "granian", "workers": CORES, "threads": 2},
    f"granian {CORES}×4": {"server": "granian", "workers": CORES, "threads": 4},
    # More processes than cores: one waiting on the database leaves the core to another,
    # without threads of one process taking turns at its interpreter lock.
    f"granian {2 * CORES}×1": {"server": "granian", "workers": 2 * CORES, "threads": 1},
    f"granian {2 * CORES}×2": {"server": "granian", "workers": 2 * CORES, "threads": 2},
}


# ---------------------------------------------------------------- servers


def ceiling_server(env: dict[str, str]):
    """The bare Flask app under `gunicorn -w <cores>` (sync), whatever the app uses."""
    from servers import free_port

    port = free_port()
    command = [str(BIN / "gunicorn"), "--workers", str(CORES), "--bind", f"127.0.0.1:{port}",
               "--log-level", "warning", "ceiling:app"]
    return running(command, {**env, "PYTHONPATH": str(HERE)}, health="/", port=port)


def server_command(**settings: object) -> str:
    """The command scripts/serve runs with these settings (the defaults: `make run`'s)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("SERVER", "WORKERS", "THREADS", "BACKLOG")}
    env.update({k.upper(): str(v) for k, v in settings.items()}, DRY_RUN="1")
    command = subprocess.run([str(ROOT / "scripts" / "serve")], env=env, capture_output=True,
                             text=True, check=True).stdout.strip()
    return command.removeprefix(".venv/bin/")


QUIET = ("--log-level", "warning")  # scripts/serve passes it on: start-up lines only


def with_ratios(rows: dict[str, dict], ceiling: float) -> dict[str, dict]:
    for row in rows.values():
        row["ratio"] = round(row["rps"] / ceiling, 3) if ceiling else None
    return rows


def endpoints_on(kind: str, args: argparse.Namespace, work: Path, models: list[str]) -> dict:
    """The ceiling, the app as `make run` serves it, and the compared models, on one database.

    Every server is started first and stays up; then each round measures every endpoint on
    every server in turn, the ceiling before each endpoint, so that whatever else the machine
    does during the run falls on all of them alike. Each figure is the best of its runs.
    """
    with database(kind, work) as url, ExitStack() as servers:
        env = app_env(url, work)
        prepare(env, 0, "unused-password")
        flask(env, "demo-data", "--cadres", "60", "--attempts", "10", "--seed", "1")
        visitors_file = work / f"visitors-{kind}.json"
        mint(env, visitors_file, 40)
        visitors = json.loads(visitors_file.read_text())
        starters = start_visitors(env, work / f"starters-{kind}.json", args.repeat)
        requests = {e: requests_for(e, visitors) for e in ("ceiling", *ENDPOINTS)
                    if e != "start"}
        requests["start"] = requests_for("start", starters[0])  # the probe's, measured apart
        specs = {}
        for endpoint, rows in requests.items():
            specs[endpoint] = write_spec(work / f"wrk-{kind}-{endpoint}.lua", rows, args)
        start_specs = [write_spec(work / f"wrk-{kind}-start-{n}.lua",
                                  requests_for("start", part), args)
                       for n, part in enumerate(starters[1:])]
        ceiling_base, _ = servers.enter_context(ceiling_server(env))
        default = server_command()
        bases = {default: servers.enter_context(serve(env, *QUIET))[0]}
        commands, bare = {}, {}
        bare_env = {**env, "PYTHONPATH": str(HERE)}
        for name in models:
            commands[name] = server_command(**MODELS[name])
            if commands[name] not in bases:
                bases[commands[name]] = servers.enter_context(
                    serve(env, *QUIET, **MODELS[name]))[0]
            # The same server model around the bare app: what the server itself costs.
            bare[name] = servers.enter_context(
                serve(bare_env, *QUIET, health="/", app="ceiling:app", **MODELS[name]))[0]
        sizes = quiz_page_bytes(bases[default], visitors)
        # Each endpoint's turn starts with the ceiling: it is measured as often as anything.
        # Starts only under the default server: each run needs cadres of its own.
        plan = [row for endpoint in ENDPOINTS for row in (
            ("ceiling", ceiling_base, "ceiling"),
            *((command, base, endpoint) for command, base in bases.items()
              if endpoint != "start" or command == default))]
        plan += [(f"bare {name}", base, "ceiling") for name, base in bare.items()]
        for _, base, endpoint in plan:
            probe(base, endpoint, requests[endpoint])
        runs: dict[tuple[str, str], list[dict]] = {}
        for round_number in range(args.repeat):
            for command, base, endpoint in plan:
                spec = start_specs[round_number] if endpoint == "start" else specs[endpoint]
                runs.setdefault((command, endpoint), []).append(wrk_once(base, spec, args))
            print(f"{kind}: round {round_number + 1} of {args.repeat} done", flush=True)
        for _, base, endpoint in plan:
            if endpoint != "start":
                probe(base, endpoint, requests[endpoint])  # still logged in and answering
        for run in runs[(default, "start")]:
            if run["requests"] > START_CADRES_PER_RUN:  # some of them resumed an attempt
                run["resumed"] = run["requests"] - START_CADRES_PER_RUN
                print(f"{kind}: {run['resumed']} starts resumed an attempt", flush=True)
        ceiling = best_of(runs[("ceiling", "ceiling")])
        measured = {command: with_ratios({e: best_of(runs[(command, e)]) for e in ENDPOINTS
                                          if (command, e) in runs},
                                         ceiling["rps"]) for command in bases}
        compared = {name: {"command": command, "endpoints": {
            **measured[command],
            **with_ratios({"bare app": best_of(runs[(f"bare {name}", "ceiling")])},
                          ceiling["rps"])}} for name, command in commands.items()}
        return {"ceiling": ceiling, "app": measured[default], "compared": compared,
                "quiz_page_bytes": sizes}


def write_spec(path: Path, rows: list[dict], args: argparse.Namespace) -> Path:
    path.write_text(f"return {{threads = {args.threads}, requests = {lua(rows)}}}\n")
    return path


def start_visitors(env: dict[str, str], out: Path, runs: int) -> list[dict]:
    """Cadres with nothing in progress, logged in: one for the probe, then a slice of
    START_CADRES_PER_RUN for each measured run."""
    names = [f"bench_starter{n:05d}" for n in range(1 + runs * START_CADRES_PER_RUN)]
    subprocess.run([str(BIN / "python"), str(ROOT / "scripts/load/seed_users.py"),
                    "unused-password", *names], env=env, cwd=ROOT, check=True)
    mint(env, out, len(names), start_only=True, prefix="bench_starter")
    cadres = json.loads(out.read_text())["cadres"]
    return [{"cadres": cadres[:1]}, *({"cadres": cadres[1 + n * START_CADRES_PER_RUN:
                                                     1 + (n + 1) * START_CADRES_PER_RUN]}
                                      for n in range(runs))]


# ---------------------------------------------------------------- locust scenarios


def mint(env: dict[str, str], out: Path, cadres: int, start_only: bool = False,
         prefix: str = "") -> None:
    args = [str(BIN / "python"), str(HERE / "sessions.py"), str(out), str(cadres)]
    args += (["--start-only"] if start_only else []) + (["--prefix", prefix] if prefix else [])
    subprocess.run(args, env=env, cwd=ROOT, check=True)


def locust(base: str, scenario: str, visitors: Path, users: int, spawn: int, seconds: int,
           work: Path) -> dict[str, dict[str, float]]:
    prefix = work / f"bench-{scenario}-{users}"
    subprocess.run(
        [str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless", "--host", base,
         "-u", str(users), "-r", str(spawn), "--run-time", f"{seconds}s", "--stop-timeout", "5",
         "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR"],
        env={**os.environ, "BENCH_SCENARIO": scenario, "BENCH_VISITORS": str(visitors)},
        cwd=ROOT, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(f"{prefix}_stats.csv") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        for row in csv.DictReader(failures.open()):
            print(f"  {scenario}: {row['Occurrences']} × {row['Name']}: {row['Error'][:160]}")

    def number(value: str) -> float:
        return float(value) if value not in ("", "N/A") else 0.0

    return {name: {"requests": int(row["Request Count"]), "errors": int(row["Failure Count"]),
                   "rps": round(number(row["Requests/s"]), 1), "p50_ms": number(row["50%"]),
                   "p95_ms": number(row["95%"]), "p99_ms": number(row["99%"])}
            for name, row in rows.items()}


def synchronized_start(sizes: list[int], work: Path) -> dict:
    """N cadres start the same quiz within 10 seconds (PostgreSQL), locust against `make run`."""
    out = {}
    with database("postgresql", work) as url:
        env = app_env(url, work)
        prepare(env, sum(sizes), "unused-password")
        visitors = work / "visitors-sync.json"
        mint(env, visitors, sum(sizes), start_only=True)
        everyone = json.loads(visitors.read_text())
        with serve(env, *QUIET) as (base, _):
            offset = 0
            for size in sizes:
                part = work / f"visitors-sync-{size}.json"
                part.write_text(json.dumps({"cadres": everyone["cadres"][offset:offset + size],
                                            "coordinator": {}}))
                offset += size
                stats = locust(base, "sync_start", part, size, max(1, size // 10), 40, work)
                start = stats.get("start", {})
                out[str(size)] = {"errors": start.get("errors", 0) + stats.get("open", {}).get(
                    "errors", 0), "p95_ms": start.get("p95_ms"), "p99_ms": start.get("p99_ms"),
                    "requests": start.get("requests", 0)}
    passing = [int(n) for n, r in out.items() if r["errors"] == 0 and (r["p95_ms"] or 0) <= 3000]
    return {"runs": out, "largest_n_ok": max(passing) if passing else None}


def scale_curve() -> dict:
    """Cohort dashboard at 50k, 500k and 5M answers (databases from scripts/make-bench-db)."""
    curve = {}
    for name, cadres in (("quizapp_bench_50k", 200), ("quizapp_bench_500k", 2000),
                         ("quizapp_bench_5m", 20000)):
        exists = subprocess.run(["psql", POSTGRES_ADMIN, "-tAc",
                                 f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],  # noqa: S608 - our own constant names
                                capture_output=True, text=True, check=True).stdout.strip()
        if not exists:
            subprocess.run([str(ROOT / "scripts" / "make-bench-db"), name, str(cadres), "21"],
                           cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        env = {**os.environ, "DATABASE_URL": POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"}
        result = subprocess.run([str(BIN / "python"), str(ROOT / "scripts/measure_dashboard.py"),
                                 "30"], env=env, cwd=ROOT, capture_output=True, text=True,
                                check=True)
        curve[name] = json.loads(result.stdout.strip().splitlines()[-1])
    smallest = next(iter(curve.values()))
    for row in curve.values():
        for page in ("dashboard", "heatmap", "item_analysis"):
            if f"{page}_ms" in row and f"{page}_ms" in smallest:
                row[f"{page}_ratio"] = round(row[f"{page}_ms"] / smallest[f"{page}_ms"], 2)
    return curve


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dbs", default="sqlite,postgresql")
    parser.add_argument("--servers", default="default",
                        help="default (make run's only), all, or names from: "
                             + ", ".join(MODELS))
    parser.add_argument("--sync", default="500,1000,2000")
    parser.add_argument("--scale", action="store_true")
    args = parser.parse_args()
    # Stopped from outside: leave through the context managers, which stop the servers and
    # drop the databases.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    models = (list(MODELS) if args.servers == "all" else [] if args.servers == "default"
              else [m.strip() for m in args.servers.split(",")])
    subprocess.run([str(ROOT / "scripts" / "ensure-wrk")], check=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True, check=False).stdout.strip()
    stamp = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
             "commit": commit or "unknown"}
    before = previous_report()
    report = {**stamp, "machine": f"{platform.machine()}, {CORES} cores, "
                                  f"Python {platform.python_version()}",
              "wrk": {"threads": args.threads, "connections": args.connections,
                      "seconds": args.seconds, "repeat": args.repeat},
              "load_average_before": [round(x, 2) for x in os.getloadavg()],
              "server": server_command(), "ceiling": f"gunicorn -w {CORES} ceiling:app (sync)",
              "endpoints": {}}
    compared: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for kind in args.dbs.split(","):
            result = endpoints_on(kind, args, work, models)
            report["quiz_page_bytes"] = result.pop("quiz_page_bytes")
            compared[kind] = result.pop("compared")
            report["endpoints"][kind] = result
        if args.sync:
            report["synchronized_start"] = {
                **stamp, "server": report["server"],
                **synchronized_start([int(n) for n in args.sync.split(",")], work)}
    # What this run did not measure is carried over from the last report, with its own date.
    report["servers"] = ({**stamp, "by_database": compared} if models
                         else before.get("servers"))
    if "synchronized_start" not in report and before.get("synchronized_start"):
        report["synchronized_start"] = {"date": before.get("date"),
                                        "commit": before.get("commit"),
                                        **before["synchronized_start"]}
    if args.scale:
        report["scale"] = {**stamp, "curve": scale_curve()}
    elif before.get("scale"):
        old = before["scale"]
        report["scale"] = old if "curve" in old else {"date": before.get("date"), "curve": old}
    if before.get("comparisons"):  # before/after figures measured apart (docs/benchmarks.md)
        report["comparisons"] = before["comparisons"]
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    write_report(report)
    for kind, result in report["endpoints"].items():
        print(f"\n{kind}")
        print("\n".join(endpoint_table(result["app"], result["ceiling"])))
    if models:
        for kind, table in compared.items():
            print(f"\n{kind}, server models")
            print("\n".join(comparison_table(table)))
    print(f"\nquiz page bytes: {report.get('quiz_page_bytes')}")


if __name__ == "__main__":
    main()
