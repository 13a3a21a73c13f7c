"""The cadre's own progress page and its charts."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user

from ..bank.kinds import ABILITY_CODES, ALL_CODES
from ..quizzes.services import history
from ..security import guard_blueprint
from ..study.views import practice_quiz_for
from ..templating import CODE_NAMES
from . import charts
from .services import progress_for
from .stats import MIN_EVIDENCE

bp = Blueprint("reports", __name__)
guard_blueprint(bp)

# Charts are images and load nothing themselves.
SVG_POLICY = "default-src 'none'"


def svg_response(body: str) -> Response:
    response = Response(body, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_POLICY
    response.headers["Cache-Control"] = "private, max-age=60"
    return response


@bp.get("/me/progress")
def my_progress() -> str:
    progress = progress_for(current_user)
    weakest = progress.weakest_ability
    return render_template(
        "reports/progress.html", progress=progress, ability_codes=ABILITY_CODES,
        weakest=weakest, practice_quiz=practice_quiz_for(weakest) if weakest else None,
        attempts=history(current_user), min_evidence=MIN_EVIDENCE,
    )


@bp.get("/me/progress/abilities.svg")
def abilities_chart() -> Response:
    progress = progress_for(current_user)
    labels = list(ABILITY_CODES)  # the names are in the table beside the chart
    values = [progress.of(code).mastery.value for code in ABILITY_CODES]
    return svg_response(charts.abilities_svg(labels, values, _("Mastery of the five abilities")))


@bp.get("/me/progress/<code>.svg")
def trend_chart(code: str) -> Response:
    if code not in ALL_CODES:
        abort(404)
    points = progress_for(current_user).of(code).trend
    return svg_response(charts.trend_svg(points, f"{code} {CODE_NAMES[code]}"))
