"""`flask users create`: the same service the admin pages use."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from ..audit.models import AuditAction
from ..audit.services import record
from ..auth.roles import Role
from ..extensions import db
from . import services

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.CADRE.value,
              show_default=True)
@click.option("--display-name", default="", help="The name shown in the platform.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input (first line).")
def create_command(username: str, role: str, display_name: str, password_stdin: bool) -> None:
    """Create an account."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = services.create_user(username, display_name or username, password, Role(role))
    except services.AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    record(AuditAction.USER_CREATED, None, user.username, {"role": str(user.role), "via": "cli"})
    db.session.commit()
    click.echo(f"created {user.role} {user.username}")
