"""`flask bank export` and `flask bank import`: thin wrappers over the formats
(`bank.exchange`) and the importer."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..audit.models import AuditAction
from ..audit.services import record
from ..extensions import db
from .exchange import FORMATS, BankRules, export_items, read_upload
from .exchange_services import bank_rules, published_items
from .importer import ImportRefused, ImportReport, import_items
from .vocabulary import ALL_CODES


def _rules() -> BankRules:
    rules, problems = bank_rules(current_app.config["BANK_DIR"], current_app.config["SEEDS_DIR"])
    if problems:
        raise click.ClickException("the bank's own lists have errors: " + "; ".join(problems))
    if rules.documents is None:
        click.echo("note: seeds not found; locator anchors were not checked", err=True)
    return rules


def _ids(ids: Sequence[str]) -> str:
    return ": " + ", ".join(ids) if ids else ""


@click.command("export")
@click.option(
    "--format",
    "format_name",
    type=click.Choice(list(FORMATS)),
    required=True,
    help="The file format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help="The file to write.",
)
@click.option("--code", type=click.Choice(ALL_CODES), help="Only the items of one code.")
@with_appcontext
def export_command(format_name: str, output: str, code: str | None) -> None:
    """Write the bank's published items to a file; items the format cannot express are
    named and left out."""
    items = published_items(code)
    if not items:
        raise click.ClickException(
            "no published items to export (load the bank first: flask bank load)"
        )
    rules, _ = bank_rules(current_app.config["BANK_DIR"], None)
    result = export_items(items, format_name, rules)
    Path(output).write_bytes(result.data)
    kinds = Counter(item.kind for item in items if item.id in set(result.written))
    record(
        AuditAction.EXPORTED,
        None,
        output,
        {
            "format": format_name,
            "code": code,
            "items": len(result.written),
            "skipped": [s.item_id for s in result.skipped],
        },
    )
    db.session.commit()
    click.echo(
        f"exported {len(result.written)} item(s) to {output} ({format_name}): "
        + ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))
    )
    if result.skipped:
        click.echo(f"skipped {len(result.skipped)} item(s) the format cannot express:")
        for skipped in result.skipped:
            click.echo(f"  {skipped}")


def _print_plan(report: ImportReport, dry_run: bool) -> None:
    add, change, keep = (
        ("would add", "would change", "would keep") if dry_run else ("added", "changed", "kept")
    )
    click.echo(f"{add} {len(report.added)}{_ids(report.added)}")
    click.echo(f"{change} {len(report.changed)} (new version){_ids(report.changed)}")
    click.echo(f"unchanged {report.unchanged}")
    if report.kept:
        click.echo(
            f"{keep} {len(report.kept)} as edited in the browser{_ids(report.kept)} "
            "(--overwrite-browser-edits replaces them)"
        )


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format",
    "format_name",
    type=click.Choice(list(FORMATS)),
    help="The file format (by default, from the file's extension).",
)
@click.option(
    "--dry-run", is_flag=True, help="Check the file and say what would change; write nothing."
)
@click.option(
    "--overwrite-browser-edits",
    is_flag=True,
    help="Let the file replace items last edited in the browser.",
)
@with_appcontext
def import_command(
    file: str, format_name: str | None, dry_run: bool, overwrite_browser_edits: bool
) -> None:
    """Add or update the items of a file in one transaction: all of them or, on any error,
    none (every error is listed). Items not in the file are left as they are."""
    result = read_upload(file, Path(file).read_bytes(), _rules(), format_name)
    if not result.ok:
        for error in result.errors:
            click.secho(str(error), fg="red", err=True)
        click.secho(f"{len(result.errors)} error(s); nothing was written.", fg="red", err=True)
        sys.exit(1)
    click.echo(
        f"read {len(result.items)} item(s) from {file} ({result.format}): "
        + ", ".join(f"{kind} {n}" for kind, n in result.per_kind().items())
    )
    try:
        report = import_items(result.items, overwrite_browser_edits, dry_run=dry_run)
        if dry_run:
            db.session.rollback()
        else:
            record(
                AuditAction.ITEMS_IMPORTED,
                None,
                file,
                {
                    "format": result.format,
                    "added": report.added,
                    "changed": report.changed,
                    "unchanged": report.unchanged,
                    "kept": report.kept,
                },
            )
            db.session.commit()
    except ImportRefused as exc:
        db.session.rollback()
        click.secho(f"{exc}; nothing was written.", fg="red", err=True)
        sys.exit(1)
    except Exception:
        db.session.rollback()
        raise
    _print_plan(report, dry_run)
    if dry_run:
        click.echo("dry run: nothing was written")
    elif report.added:
        click.echo(
            "note: `flask bank load` retires shared items its folder lacks; to keep "
            "these, export them as YAML into question_bank/items/"
        )
