"""What wrk sends and how its runs are read (run.py drives them): each endpoint's prepared
requests as a Lua table for wrk.lua, one wrk run, the best of several, and single requests
sent as wrk would send them (probes, the quiz page's size over the wire)."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
from pathlib import Path
from urllib.parse import urlencode, urlsplit

HERE = Path(__file__).resolve().parent
CORES = os.cpu_count() or 1
ENDPOINTS = ("healthz", "quiz_page", "autosave", "start", "result", "progress", "dashboard")
# A start is measured on cadres who have none in progress, each once, a fresh slice each run:
# more than the app starts in one run, so that no start merely resumes (run.py checks).
START_CADRES_PER_RUN = 2500
# What Chrome (Android included) and Firefox send since 2024; older browsers omit zstd.
ACCEPT_ENCODING = "gzip, deflate, br, zstd"



def lua(value: object) -> str:
    """A Python value as a Lua literal (strings, numbers, lists and dicts)."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua(k)}] = {lua(v)}" for k, v in value.items()) + "}"
    return "{" + ", ".join(lua(v) for v in value) + "}"


def requests_for(endpoint: str, visitors: dict) -> list[dict]:
    """What wrk sends for one endpoint: one entry per prepared request, grouped by visitor."""
    base = {"Accept-Encoding": ACCEPT_ENCODING}
    if endpoint in ("ceiling", "healthz"):
        path = "/" if endpoint == "ceiling" else "/healthz"
        return [{"method": "GET", "path": path, "headers": base}]
    if endpoint == "dashboard":
        coordinator = visitors["coordinator"]
        return [{"method": "GET", "path": f"/cohorts/{coordinator['cohort']}/dashboard",
                 "headers": {**base, "Cookie": coordinator["cookie"]}}]
    out = []
    for group, cadre in enumerate(visitors["cadres"]):
        headers = {**base, "Cookie": cadre["cookie"]}
        if endpoint == "quiz_page":
            out.append({"method": "GET", "path": f"/attempts/{cadre['attempt']}",
                        "headers": headers, "group": group})
        elif endpoint == "result" and cadre.get("graded"):
            out.append({"method": "GET", "path": f"/attempts/{cadre['graded']}/result",
                        "headers": headers, "group": group})
        elif endpoint == "progress":
            out.append({"method": "GET", "path": "/me/progress", "headers": headers,
                        "group": group})
        elif endpoint == "start":  # a new attempt of the practice quiz; answered by a 302
            out.append({"method": "POST", "path": "/quizzes/ability-a1/attempts",
                        "headers": {**headers,
                                    "Content-Type": "application/x-www-form-urlencoded"},
                        "body": urlencode({"csrf_token": cadre["csrf"]}), "group": group})
        elif endpoint == "autosave":
            for item, options in cadre["items"].items():
                for option in options:
                    body = json.dumps({"response": [option], "seq": 0}).replace('"seq": 0',
                                                                               '"seq": %d')
                    out.append({"method": "PUT",
                                "path": f"/attempts/{cadre['attempt']}/answers/{item}",
                                "headers": {**headers, "X-CSRFToken": cadre["csrf"],
                                            "Content-Type": "application/json",
                                            "Accept": "application/json"},
                                "seq_body": body, "group": group})
    return out


def fetch(base: str, request: dict, body: str | None = None,
          **headers: str) -> tuple[int, bytes]:
    """One request as wrk would send it (no redirect followed)."""
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        if body is None and request.get("seq_body"):
            body = request["seq_body"] % 1_000_000_000  # newer than anything wrk will send
        conn.request(request["method"], request["path"], body=body or request.get("body"),
                     headers={**request["headers"], **headers})
        reply = conn.getresponse()
        return reply.status, reply.read()
    finally:
        conn.close()


def probe(base: str, endpoint: str, requests: list[dict]) -> None:
    """The endpoint answers 200 (not a redirect to the log-in page) before it is measured; a
    start answers with a redirect to the attempt it opened."""
    status, body = fetch(base, requests[0])
    if endpoint == "start":
        if status != 302:
            raise SystemExit(f"start: {requests[0]['path']} answered {status}: {body[:200]!r}")
        return
    if status != 200:
        raise SystemExit(f"{endpoint}: {requests[0]['path']} answered {status}: {body[:200]!r}")


def wrk_once(base: str, spec: Path, args: argparse.Namespace) -> dict:
    result = subprocess.run(
        ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.seconds}s",
         "--timeout", "10s", "-s", str(HERE / "wrk.lua"), base],
        env={**os.environ, "BENCH_WRK_SPEC": str(spec)}, capture_output=True, text=True,
        check=True)
    line = next(x for x in result.stdout.splitlines() if x.startswith("BENCH "))
    raw = json.loads(line[len("BENCH "):])
    seconds = raw["duration_us"] / 1e6
    errors = {k: raw[k] for k in ("connect", "read", "write", "status", "timeout") if raw[k]}
    row = {"requests": raw["requests"], "rps": round(raw["requests"] / seconds, 1),
           "p50_ms": round(raw["p50_us"] / 1000, 1), "p90_ms": round(raw["p90_us"] / 1000, 1),
           "p99_ms": round(raw["p99_us"] / 1000, 1), "errors": sum(errors.values()),
           "bytes_per_request": round(raw["bytes"] / max(raw["requests"], 1))}
    if errors:
        row["error_kinds"] = errors
    return row


def best_of(runs: list[dict]) -> dict:
    """The best of the repeated runs: on a shared machine, the one least disturbed."""
    best = dict(max(runs, key=lambda row: row["rps"]))
    best["runs_rps"] = [row["rps"] for row in runs]
    best["errors_all_runs"] = sum(row["errors"] for row in runs)
    return best


def quiz_page_bytes(base: str, visitors: dict) -> dict[str, int]:
    """The quiz page over the wire: plain, gzip, brotli and zstd (the issue's budget is 8 KB)."""
    page = requests_for("quiz_page", visitors)[0]
    sizes = {}
    for name, encoding in (("plain", "identity"), ("gzip", "gzip"), ("br", "br"),
                           ("zstd", "zstd")):
        status, body = fetch(base, page, **{"Accept-Encoding": encoding})
        if status != 200:
            raise SystemExit(f"quiz page answered {status}")
        sizes[name] = len(body)
    return sizes
