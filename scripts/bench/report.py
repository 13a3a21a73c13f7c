"""The `make bench` report: docs/benchmarks.json whole, and the tables of docs/benchmarks.md
between its markers (run.py measures, this module writes)."""

from __future__ import annotations

import json

from servers import ROOT
from wrk_runs import ACCEPT_ENCODING, CORES, ENDPOINTS

MARK_BEGIN, MARK_END = "<!-- make bench: begin -->", "<!-- make bench: end -->"



def endpoint_table(rows: dict[str, dict], ceiling: dict) -> list[str]:
    lines = ["| endpoint | req/s | ratio to ceiling | p50 ms | p90 ms | p99 ms | errors | "
             "bytes/response |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
             f"| ceiling (bare Flask, gunicorn -w {CORES} sync) | {ceiling['rps']} | 1.0 | "
             f"{ceiling['p50_ms']} | {ceiling['p90_ms']} | {ceiling['p99_ms']} | "
             f"{ceiling['errors']} | {ceiling['bytes_per_request']} |"]
    for name, row in rows.items():
        lines.append(f"| {name} | {row['rps']} | {row['ratio']} | {row['p50_ms']} | "
                     f"{row['p90_ms']} | {row['p99_ms']} | {row['errors']} | "
                     f"{row['bytes_per_request']} |")
    return lines


def comparison_table(compared: dict[str, dict]) -> list[str]:
    columns = [*ENDPOINTS, "bare app"]
    lines = ["| server | " + " | ".join(columns) + " |", "| --- |" + " ---: |" * len(columns)]
    for name, model in compared.items():
        rows = model["endpoints"]
        cells = [(f"{rows[e]['rps']} ({rows[e]['ratio']})"
                  + (f", {rows[e]['errors']} errors" if rows[e]["errors"] else ""))
                 if e in rows else "–" for e in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def render(report: dict) -> str:
    w = report["wrk"]
    lines = [MARK_BEGIN,
             f"Run {report['date']} on {report['machine']}, commit `{report['commit']}` "
             "(this section is written by `make bench`).", "",
             f"wrk, {w['threads']} threads, {w['connections']} connections, {w['seconds']} s "
             f"per run; every server stays up and each of {w['repeat']} rounds measures every "
             "endpoint on each in turn (the ceiling before each endpoint); each figure is the "
             "best of its runs, `Accept-Encoding: "
             f"{ACCEPT_ENCODING}`; load average {report['load_average_before'][0]} before, "
             f"{report['load_average_after'][0]} after. The app runs as `make run` "
             f"runs it: `{report['server']}`. The ceiling is a bare Flask app (one route, "
             f"a short string) under `gunicorn -w {CORES}` sync workers, measured in the same "
             "run at the same concurrency; ratios are to it.", ""]
    for kind, result in report["endpoints"].items():
        lines += [f"### {kind}", "", *endpoint_table(result["app"], result["ceiling"]), ""]
    sizes = report.get("quiz_page_bytes")
    if sizes:
        lines += ["### Quiz page over the wire", "",
                  f"{sizes['plain']} bytes plain, {sizes['gzip']} with gzip, {sizes['br']} with "
                  f"brotli, {sizes.get('zstd', '–')} with zstd (the budget is 8 KB).", ""]
    servers = report.get("servers")
    if servers:
        lines += ["### Server models compared", "",
                  f"Run {servers['date']}, commit `{servers['commit']}`. req/s (ratio to that "
                  "database's ceiling) per endpoint; `WORKERS×THREADS`. *bare app* is the "
                  "ceiling's one-route app under that server model: what the server itself "
                  "costs per request.", ""]
        for kind, compared in servers["by_database"].items():
            lines += [f"{kind}:", "", *comparison_table(compared), ""]
    sync = report.get("synchronized_start")
    if sync:
        lines += ["### Synchronized start (PostgreSQL)", "",
                  f"Run {sync.get('date', report['date'])}, commit "
                  f"`{sync.get('commit', report['commit'])}`; locust against the app as `make "
                  f"run` served it then ({sync.get('server', 'gunicorn gthread 2 × 8')}). "
                  "N cadres start the same quiz within 10 s (start, then open the quiz).", "",
                  "| N | start requests | errors | p95 ms | p99 ms |",
                  "| ---: | ---: | ---: | ---: | ---: |"]
        for n, row in sync["runs"].items():
            lines.append(f"| {n} | {row['requests']} | {row['errors']} | {row['p95_ms']} | "
                         f"{row['p99_ms']} |")
        lines += ["", f"Largest N with 0 errors and p95 ≤ 3 s: {sync['largest_n_ok']}.", ""]
    scale = report.get("scale")
    if scale:
        lines += ["### Scale curve (PostgreSQL)", "",
                  f"Run {scale.get('date', report['date'])}. Median of 30 requests, in process.",
                  "", "| database | answers | dashboard ms | ratio | heat map ms | ratio | "
                  "item analysis ms | ratio |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for name, row in scale["curve"].items():
            lines.append(f"| {name} | {row['answers']} | {row['dashboard_ms']} | "
                         f"{row['dashboard_ratio']} | {row['heatmap_ms']} | "
                         f"{row['heatmap_ratio']} | {row.get('item_analysis_ms', '–')} | "
                         f"{row.get('item_analysis_ratio', '–')} |")
        lines.append("")
    lines.append(MARK_END)
    return "\n".join(lines)


def write_report(report: dict) -> None:
    """docs/benchmarks.json whole; in docs/benchmarks.md only the part between the markers,
    so the prose around it (choices, profiles, history) stays as written."""
    docs = ROOT / "docs"
    (docs / "benchmarks.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    page = docs / "benchmarks.md"
    text = page.read_text() if page.exists() else "# Benchmarks\n"
    block = render(report)
    if MARK_BEGIN in text and MARK_END in text:
        head, rest = text.split(MARK_BEGIN, 1)
        text = head + block + rest.split(MARK_END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n## Latest `make bench`\n\n" + block + "\n"
    page.write_text(text)


def previous_report() -> dict:
    try:
        return json.loads((ROOT / "docs" / "benchmarks.json").read_text())
    except (OSError, ValueError):
        return {}
