"""`flask attempts close-overdue`: close attempts left open past their deadline."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from ..audit.models import AuditAction
from ..audit.services import record
from ..db import begin_write, utcnow
from ..extensions import db
from . import services
from .regrade import UnknownItem, regrade_item

attempts_cli = AppGroup("attempts", help="Attempt maintenance.")


@attempts_cli.command("close-overdue")
@click.option("--grace", type=int, default=None,
              help="Seconds after a deadline before closing (default: the sync grace).")
def close_overdue_command(grace: int | None) -> None:
    """Close (and, where the quiz says so, grade) every attempt past its deadline."""
    seconds = current_app.config["SYNC_GRACE_SECONDS"] if grace is None else grace
    begin_write(db.session)
    closed = services.close_overdue_attempts(utcnow(), timedelta(seconds=seconds))
    db.session.commit()
    for attempt in closed:
        click.echo(f"attempt {attempt.id}: {attempt.status}")
    click.echo(f"{len(closed)} overdue attempt(s) closed")


@attempts_cli.command("regrade")
@click.option("--item", "item_id", required=True, help="The item whose key was corrected.")
@click.option("--dry-run", is_flag=True, help="Report the changes without saving them.")
def regrade_command(item_id: str, dry_run: bool) -> None:
    """Rescore graded attempts that showed ITEM against its current key."""
    begin_write(db.session)
    try:
        changes = regrade_item(item_id, dry_run=dry_run)
    except UnknownItem as exc:
        raise click.ClickException(f"no item {item_id}") from exc
    for change in changes:
        click.echo(f"attempt {change.attempt_id} ({change.username}): "
                   f"{change.old_score:g} -> {change.new_score:g} of {change.max_score:g}")
    if dry_run:
        db.session.rollback()
        click.echo(f"dry run: {len(changes)} attempt(s) would change; nothing saved")
    else:
        record(AuditAction.REGRADED, None, item_id,
               {"attempts": [c.attempt_id for c in changes], "via": "cli"})
        db.session.commit()
        click.echo(f"{len(changes)} attempt(s) regraded")
