"""`make bench`: the app against the bare-Flask ceiling, in one run, on loopback.

Both apps run under gunicorn (gthread) with the same settings; locust drives each endpoint for
a fixed time at fixed concurrency. Absolute numbers depend on the machine and its load; the
ratios to the ceiling, measured in the same run, are what to compare between runs.

Usage: .venv/bin/python scripts/bench/run.py [--seconds 10] [--users 16] [--dbs sqlite,postgresql]
                                            [--sync 500,1000,2000] [--scale]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "load"))
from servers import (  # noqa: E402
    BIN,
    POSTGRES_ADMIN,
    ROOT,
    app_env,
    database,
    flask,
    gunicorn,
    prepare,
)

ENDPOINTS = ("quiz_page", "autosave", "submit", "result", "progress", "dashboard")
WORKERS, THREADS = 2, 8


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


def mint(env: dict[str, str], out: Path, cadres: int, start_only: bool = False) -> None:
    args = [str(BIN / "python"), str(HERE / "sessions.py"), str(out), str(cadres)]
    subprocess.run(args + (["start"] if start_only else []), env=env, cwd=ROOT, check=True)


def endpoints_on(kind: str, args: argparse.Namespace, work: Path) -> dict:
    """Every endpoint and the ceiling, on one database."""
    with database(kind, work) as url:
        env = app_env(url, work)
        prepare(env, 0, "unused-password")
        flask(env, "demo-data", "--cadres", "60", "--attempts", "10", "--seed", "1")
        visitors = work / f"visitors-{kind}.json"
        mint(env, visitors, 40)
        results: dict[str, dict] = {}
        ceiling_env = {**env, "PYTHONPATH": str(HERE)}
        with gunicorn(ceiling_env, "ceiling:app", WORKERS, THREADS, health="/") as (base, _):
            results["ceiling"] = locust(base, "ceiling", visitors, args.users, args.users,
                                        args.seconds, work)["ceiling"]
        with gunicorn(env, "wsgi:app", WORKERS, THREADS) as (base, _):
            for endpoint in ENDPOINTS:
                stats = locust(base, endpoint, visitors, args.users, args.users, args.seconds,
                               work)
                results[endpoint] = stats[endpoint]
        ceiling = results["ceiling"]["rps"] or 1
        for endpoint in ENDPOINTS:
            results[endpoint]["ratio"] = round(results[endpoint]["rps"] / ceiling, 3)
        return results


def synchronized_start(sizes: list[int], work: Path) -> dict:
    """N cadres start the same quiz within 10 seconds (PostgreSQL)."""
    out = {}
    with database("postgresql", work) as url:
        env = app_env(url, work)
        prepare(env, sum(sizes), "unused-password")
        visitors = work / "visitors-sync.json"
        mint(env, visitors, sum(sizes), start_only=True)
        everyone = json.loads(visitors.read_text())
        with gunicorn(env, "wsgi:app", WORKERS, THREADS) as (base, _):
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
    passing = [int(n) for n, r in out.items() if r["errors"] == 0 and (r["p95_ms"] or 0) < 2000]
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


def write_report(report: dict) -> None:
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "benchmarks.json").write_text(json.dumps(report, indent=2))
    lines = ["# Benchmarks", "",
             f"Run {report['date']} on {report['machine']}, commit `{report['commit']}`. "
             f"gunicorn gthread, {WORKERS} workers × {THREADS} threads for both apps; locust, "
             f"{report['users']} users without think time, {report['seconds']} s per endpoint. "
             "Ratios are to the bare-Flask ceiling measured in the same run.", ""]
    for kind, results in report["endpoints"].items():
        lines += [f"## {kind}", "", "| endpoint | req/s | p50 ms | p95 ms | p99 ms | errors | "
                  "ratio to ceiling |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for name, row in results.items():
            lines.append(f"| {name} | {row['rps']} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | "
                         f"{row['p99_ms']:.0f} | {row['errors']} | {row.get('ratio', 1.0)} |")
        lines.append("")
    if report.get("synchronized_start"):
        sync = report["synchronized_start"]
        lines += ["## Synchronized start (PostgreSQL)", "",
                  "N cadres start the same quiz within 10 s (start, then open the quiz).", "",
                  "| N | start requests | errors | p95 ms | p99 ms |",
                  "| ---: | ---: | ---: | ---: | ---: |"]
        for n, row in sync["runs"].items():
            lines.append(f"| {n} | {row['requests']} | {row['errors']} | {row['p95_ms']} | "
                         f"{row['p99_ms']} |")
        lines += ["", f"Largest N with 0 errors and p95 under 2 s: {sync['largest_n_ok']}.", ""]
    if report.get("scale"):
        lines += ["## Scale curve (PostgreSQL)", "", "Median of 30 requests, in process.", "",
                  "| database | answers | dashboard ms | ratio | heat map ms | ratio | "
                  "item analysis ms | ratio |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for name, row in report["scale"].items():
            lines.append(f"| {name} | {row['answers']} | {row['dashboard_ms']} | "
                         f"{row['dashboard_ratio']} | {row['heatmap_ms']} | "
                         f"{row['heatmap_ratio']} | {row.get('item_analysis_ms', '–')} | "
                         f"{row.get('item_analysis_ratio', '–')} |")
        lines.append("")
    (docs / "benchmarks.md").write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--dbs", default="sqlite,postgresql")
    parser.add_argument("--sync", default="500,1000,2000")
    parser.add_argument("--scale", action="store_true")
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True, check=False).stdout.strip()
    report = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                         f"Python {platform.python_version()}",
              "commit": commit or "unknown", "users": args.users, "seconds": args.seconds,
              "endpoints": {}}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for kind in args.dbs.split(","):
            report["endpoints"][kind] = endpoints_on(kind, args, work)
        if args.sync:
            report["synchronized_start"] = synchronized_start(
                [int(n) for n in args.sync.split(",")], work)
    if args.scale:
        report["scale"] = scale_curve()
    write_report(report)
    print(json.dumps(report["endpoints"], indent=1))
    print(json.dumps({k: report.get(k) for k in ("synchronized_start", "scale")}, indent=1))


if __name__ == "__main__":
    main()
