"""The cadre's own progress page and its charts."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..abilities import services as abilities
from ..audit.models import AuditAction
from ..audit.services import record
from ..auth.models import User
from ..auth.roles import Role
from ..bank.vocabulary import ABILITY_CODES, ALL_CODES
from ..cohorts import services as cohorts
from ..cohorts.models import Assignment
from ..cohorts.views import load_managed_cohort
from ..db import utcnow
from ..extensions import db
from ..practice.calibration import MIN_PER_GROUP
from ..practice.services import confidence_calibration
from ..quizzes.catalogue import history
from ..security import can_manage_cohort, guard_blueprint, role_required
from ..study.views import practice_quiz_for
from ..templating import CODE_NAMES
from . import charts, cohort_services, queries
from .mastery import MIN_EVIDENCE, monthly_trend
from .services import progress_for

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
        calibration=confidence_calibration(current_user.id), calibration_min=MIN_PER_GROUP,
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
    # One code's answers only: the progress page asks for up to five of these charts.
    points = monthly_trend(queries.scored_responses(current_user.id, code))
    return svg_response(charts.trend_svg(points, f"{code} {CODE_NAMES[code]}"))


# ---------------------------------------------------------------- coordinators

staff_only = role_required(Role.COORDINATOR, Role.ADMIN)


@bp.get("/cohorts/<int:cohort_id>/dashboard")
@staff_only
def cohort_dashboard(cohort_id: int) -> str:
    cohort = load_managed_cohort(cohort_id)
    return render_template("reports/dashboard.html",
                           board=cohort_services.dashboard(cohort, utcnow()),
                           codes=ALL_CODES, trend_codes=cohort_services.TREND_CODES)


def load_managed_assignment(assignment_id: int) -> Assignment:
    """The assignment if the current user runs its cohort (or is an admin); 404 otherwise."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or not can_manage_cohort(current_user, assignment.cohort):
        abort(404)
    return assignment


@bp.get("/cohorts/<int:cohort_id>/trend.svg")
@staff_only
def cohort_trend_chart(cohort_id: int) -> Response:
    trends = cohort_services.cohort_trends(load_managed_cohort(cohort_id))
    return svg_response(charts.trend_svg(trends.overall, _("All parts"), trends.months,
                                         trends.pass_percent))


@bp.get("/cohorts/<int:cohort_id>/trend/<code>.svg")
@staff_only
def cohort_code_trend_chart(cohort_id: int, code: str) -> Response:
    cohort = load_managed_cohort(cohort_id)
    if code not in ALL_CODES:
        abort(404)
    trends = cohort_services.cohort_trends(cohort)
    return svg_response(charts.trend_svg(trends.per_code.get(code, []),
                                         f"{code} {CODE_NAMES[code]}", trends.months,
                                         trends.pass_percent))


@bp.get("/assignments/<int:assignment_id>/distribution.svg")
@staff_only
def distribution_chart(assignment_id: int) -> Response:
    assignment = load_managed_assignment(assignment_id)
    return svg_response(charts.histogram_svg(cohort_services.assignment_histogram(assignment),
                                             _("Cadres per score band (%)")))


@bp.get("/cohorts/<int:cohort_id>/heatmap")
@staff_only
def cohort_heatmap(cohort_id: int) -> str:
    cohort = load_managed_cohort(cohort_id)
    return render_template("reports/heatmap.html", cohort=cohort,
                           heat=cohort_services.heatmap(cohort), codes=ALL_CODES)


@bp.get("/cohorts/<int:cohort_id>/codes/<code>")
@staff_only
def cohort_code(cohort_id: int, code: str) -> str:
    cohort = load_managed_cohort(cohort_id)
    if code not in ALL_CODES:
        abort(404)
    user = None
    if "user" in request.args:
        # Only a member of this cohort: anyone else's name is not the coordinator's to see.
        raw = request.args["user"]
        user_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None
        if user_id is None or user_id not in cohorts.member_ids(cohort.id):
            abort(404)
        user = db.session.get(User, user_id)
    return render_template("reports/drilldown.html", cohort=cohort,
                           drill=cohort_services.drill_down(cohort, code, user))


@bp.get("/assignments/<int:assignment_id>/items")
@staff_only
def item_analysis(assignment_id: int) -> str:
    assignment = load_managed_assignment(assignment_id)
    which = request.args.get("attempts", "first")
    if which not in ("first", "last", "all"):
        which = "first"
    analysis = cohort_services.item_analysis(assignment, which)
    return render_template("reports/items.html", assignment=assignment, which=which,
                           analysis=analysis,
                           fits=abilities.item_fits(i.item_id for i in analysis.items))


@bp.get("/cohorts/<int:cohort_id>/export.<fmt>")
@staff_only
def cohort_export(cohort_id: int, fmt: str) -> Response:
    cohort = load_managed_cohort(cohort_id)
    if fmt == "csv":
        body, mimetype = cohort_services.export_csv(cohort), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = cohort_services.export_xlsx(cohort)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    record(AuditAction.EXPORTED, current_user.id, f"cohort {cohort.id}", {"format": fmt},
           request.remote_addr)
    db.session.commit()
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename=cohort-{cohort.id}.{fmt}"
    return response
