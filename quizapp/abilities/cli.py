"""`flask measure calibrate|rebuild|simulate`: fit items, recompute abilities, check the
numbers on simulated cadres. Calibration runs here or from cron, never inside a request."""

from __future__ import annotations

import json
import time

import click
from flask.cli import AppGroup
from sqlalchemy import and_, select

from ..bank.models import Item, ItemVersion
from ..bank.vocabulary import ABILITY_CODES
from ..db import utcnow
from ..extensions import db
from ..kinds import kind_of
from ..measure.cat import Candidate
from ..measure.simulate import simulate
from . import services

measure_cli = AppGroup("measure", help="Calibrate items and estimate abilities.")


@measure_cli.command("calibrate")
def calibrate_command() -> None:
    """Fit every answered item version from all graded answers; rebuild the estimates."""
    started = time.perf_counter()
    report = services.calibrate_items(utcnow())
    db.session.commit()
    click.echo(f"{report.items} item versions fitted from {report.responses} answers in "
               f"{time.perf_counter() - started:.1f} s; {report.misfits} flagged for misfit"
               f"{'' if report.converged else ' (did not converge: see the log)'}")


@measure_cli.command("rebuild")
def rebuild_command() -> None:
    """Recompute every cadre's ability estimates with the current item parameters."""
    count = services.rebuild(utcnow())
    db.session.commit()
    click.echo(f"{count} estimates (cadre × code)")


def bank_candidates() -> list[Candidate]:
    """The live items of the bank with their current parameters (fitted or from labels)."""
    versions = list(db.session.scalars(
        select(ItemVersion).join(Item, and_(Item.id == ItemVersion.item_id,
                                            Item.current_version == ItemVersion.version))
        .where(Item.is_retired.is_(False), Item.questionnaire_id.is_(None))))
    # The items the diagnostic draws: scored by the program, not by a person.
    params = services.item_params(v for v in versions if kind_of(v.kind).is_scored
                                  and not kind_of(v.kind).needs_grader)
    return [Candidate(v.item_id, v.item.code, params[v.id]) for v in versions
            if v.id in params]


@measure_cli.command("simulate")
@click.option("--cadres", default=1000, show_default=True, help="Simulated cadres.")
@click.option("--seed", default=1, show_default=True, help="Same seed, same figures.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def simulate_command(cadres: int, seed: int, as_json: bool) -> None:
    """Simulate cadres answering the bank's items and report how well abilities come back."""
    items = bank_candidates()
    if not items:
        raise click.ClickException("load the question bank first (flask bank load)")
    # The abilities the bank has items for (a small or new bank may lack some).
    codes = [code for code in ABILITY_CODES if any(c.code == code for c in items)]
    figures = simulate(items, cadres, seed, codes=codes)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False))
        return
    for name, value in figures.items():
        click.echo(f"{name}: {value}")
