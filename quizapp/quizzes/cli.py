"""`flask attempts close-overdue`: close attempts left open past their deadline."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from ..db import begin_write, utcnow
from ..extensions import db
from . import services

attempts_cli = AppGroup("attempts", help="Attempt maintenance.")


@attempts_cli.command("close-overdue")
@click.option("--grace", type=int, default=None,
              help="Seconds after a deadline before closing (default: the sync grace).")
def close_overdue_command(grace: int | None) -> None:
    """Close (and, where the quiz says so, grade) every attempt past its deadline."""
    seconds = current_app.config["QUIZAPP_SYNC_GRACE_SECONDS"] if grace is None else grace
    begin_write(db.session)
    closed = services.close_overdue_attempts(utcnow(), timedelta(seconds=seconds))
    db.session.commit()
    for attempt in closed:
        click.echo(f"attempt {attempt.id}: {attempt.status}")
    click.echo(f"{len(closed)} overdue attempt(s) closed")
