"""Attach each feature's command group to the app."""

from __future__ import annotations

from flask import Flask

from .abilities.cli import measure_cli
from .auth.cli import users_cli
from .bank.cli import bank_cli
from .demo import demo_data_command
from .quizzes.cli import attempts_cli


def register_cli(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(bank_cli)
    app.cli.add_command(attempts_cli)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(measure_cli)
