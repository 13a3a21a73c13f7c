"""`flask bank check|load|stats`: thin wrappers over the loader and the importer."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..audit.models import AuditAction
from ..audit.services import record
from ..extensions import db
from .exchange_cli import export_command, import_command
from .importer import import_bank
from .lint import lint_bank
from .loader import LoadResult, load_bank
from .similarity import similar_items
from .stats import bank_stats
from .vocabulary import ALL_CODES

bank_cli = AppGroup("bank", help="Check, load, lint and count the question bank; import and "
                                 "export questions.")
bank_cli.add_command(export_command)
bank_cli.add_command(import_command)


def _bank_path(path: str | None) -> Path:
    return Path(path or current_app.config["BANK_DIR"])


def _seeds_dir() -> Path | None:
    seeds = Path(current_app.config["SEEDS_DIR"])  # environment: QUIZAPP_SEEDS_DIR
    return seeds if seeds.is_dir() else None


def _load(path: str | None) -> LoadResult:
    root = _bank_path(path)
    if not root.is_dir():
        raise click.ClickException(f"{root} is not a bank directory")
    return load_bank(root, _seeds_dir())


def _report_errors(result: LoadResult) -> None:
    for error in result.errors:
        click.secho(str(error), fg="red", err=True)
    click.secho(f"{len(result.errors)} error(s); nothing was written.", fg="red", err=True)


@bank_cli.command("check")
@click.argument("path", required=False)
def check_command(path: str | None) -> None:
    """List every error in the bank (with file and line); exit 1 if there is any."""
    result = _load(path)
    if _seeds_dir() is None:
        click.echo("note: seeds not found; locator anchors were not checked", err=True)
    if not result.ok:
        _report_errors(result)
        sys.exit(1)
    click.echo(f"ok: {len(result.bank.items)} items, {len(result.bank.quizzes)} quizzes")


@bank_cli.command("load")
@click.argument("path", required=False)
@click.option("--overwrite-browser-edits", is_flag=True,
              help="Let the files replace items last edited in the browser (and retire those "
                   "written there that the files lack).")
def load_command(path: str | None, overwrite_browser_edits: bool) -> None:
    """Write the bank in one transaction: all of it or, on any error, nothing."""
    result = _load(path)
    if not result.ok:
        _report_errors(result)
        sys.exit(1)
    try:
        report = import_bank(result.bank, overwrite_browser_edits)
        record(AuditAction.BANK_LOADED, None, str(_bank_path(path)),
               {"added": len(report.added), "changed": report.changed,
                "retired": report.retired, "unchanged": report.unchanged,
                "kept": report.kept})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"loaded: {report.summary()}")
    if report.kept:
        click.echo("kept as edited in the browser (export them to the files, or load with "
                   f"--overwrite-browser-edits): {', '.join(report.kept)}")


@bank_cli.command("stats")
@click.argument("path", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def stats_command(path: str | None, as_json: bool) -> None:
    """Counts per code, kind and difficulty; scenario and bilingual shares."""
    result = _load(path)
    stats = bank_stats(result.bank)
    if as_json:
        click.echo(json.dumps(stats, ensure_ascii=False, indent=2))
        return
    click.echo(f"{stats['items']} items; scenario share {stats['scenario_share']:.0%}; "
               f"bilingual {stats['bilingual_share']:.0%}")
    for code, row in stats["per_code"].items():
        levels = "/".join(str(row["difficulty"][d]) for d in ("1", "2", "3"))
        click.echo(f"  {code:<3} {row['items']:>4} items  difficulty 1/2/3 = {levels}  "
                   f"scenarios {row['scenario']}  kinds {row['kind']}")


@bank_cli.command("similar")
@click.argument("path", required=False)
@click.option("--threshold", default=0.3, show_default=True,
              help="Report pairs whose stems overlap at least this much (0–1).")
def similar_command(path: str | None, threshold: float) -> None:
    """List pairs of items whose stems are nearly the same, most similar first."""
    pairs = similar_items(_load(path).bank.items, threshold)
    for pair in pairs:
        click.echo(f"{pair.similarity:.2f}  {pair.first}  {pair.second}")
    click.echo(f"{len(pairs)} pair(s) at or above {threshold}")


def _percent(value: float | None) -> str:
    return "  –  " if value is None else f"{value:5.0%}"


@bank_cli.command("lint")
@click.argument("path", required=False)
@click.option("--code", type=click.Choice(ALL_CODES), help="Only the items of one code.")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def lint_command(path: str | None, code: str | None, as_json: bool) -> None:
    """Cue statistics (key length, absolute words, a mechanical guesser) and house style;
    exit 1 when a documented threshold is broken."""
    result = _load(path)
    report = lint_bank(result.bank.items, code)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo("code  items  key-longest/shortest  abs keys/wrong  true  "
                   "guesser/baseline single multi tf judg")
        rows = {**report["per_code"], report["scope"]: report}
        for name, row in rows.items():
            guess = " ".join(
                f"{row['guesser'][k]['score']:.0%}/"
                f"{row['guesser'][k]['knowledge_free_baseline']:.0%}"
                if k in row["guesser"] else "–"
                for k in ("single", "multiple", "true_false", "judgement"))
            ends = row["key_longest"]
            click.echo(f"{name:<5} {row['items']:>5}  {_percent(ends['single_zh'])}/"
                       f"{_percent(ends['single_shortest_zh'])}"
                       f"          {_percent(row['absolute_words']['keys'])}/"
                       f"{_percent(row['absolute_words']['distractors'])}  "
                       f"{_percent(row['true_false']['true_share'])}  {guess}")
        for failure in report["failures"]:
            click.secho(failure, fg="red", err=True)
    if report["failures"]:
        sys.exit(1)
