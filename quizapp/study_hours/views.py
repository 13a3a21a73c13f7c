"""Study hours: the cadre's ledger and certificates, a note read to its end, the cohort's
totals and their export for coordinators, and the rules for admins."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..audit.models import AuditAction
from ..audit.services import record
from ..auth.roles import Role
from ..bank.models import StudyNote
from ..bank.vocabulary import ALL_CODES
from ..cohorts import services as cohorts
from ..cohorts.views import load_managed_cohort
from ..dates import local_day
from ..db import begin_write, utcnow
from ..errors import wants_json
from ..extensions import db
from ..security import guard_blueprint, role_required
from . import export, programme, reading, services
from .credit import CreditRule, hours_text, note_source
from .forms import NoteReadForm, PolicyForm
from .services import CreditStatus

bp = Blueprint("study_hours", __name__)
guard_blueprint(bp)
staff_only = role_required(Role.COORDINATOR, Role.ADMIN)


@bp.app_template_filter("hours")
def hours_filter(centihours: int) -> str:
    """Hundredths of an hour as 学时 are written: 25 → 0.25."""
    return hours_text(centihours)


@bp.app_template_global()
def note_read_token(code: str) -> str:
    """The signed moment a note page was opened, for its "I have read it" form."""
    return reading.opened_token(code, utcnow(), current_app.config["SECRET_KEY"])


def chosen_year() -> int:
    """?year=YYYY, or this year where the cadre lives."""
    this_year = local_day(utcnow(), services.default_zone()).year
    year = request.args.get("year", type=int)
    return year if year is not None and 2000 <= year <= this_year + 1 else this_year


@bp.get("/me/hours")
def mine() -> str:
    year = chosen_year()
    return render_template(
        "study_hours/mine.html",
        year=year,
        progress=services.year_progress(current_user.id, year),
        credits=services.ledger(current_user.id, year),
        policy=services.current_policy(),
        programmes=programme.programmes_of(current_user.id),
    )


def credit_message(status: CreditStatus, hours: int) -> str:
    return {
        CreditStatus.CREDITED: _(
            "Recorded: %(hours)s study hours for reading this note.", hours=hours_text(hours)
        ),
        CreditStatus.CAPPED: _(
            "Today's study hours have reached the daily cap; read it again "
            "on another day to have it recorded."
        ),
        CreditStatus.ALREADY: _("This note's study hours are already recorded this year."),
        CreditStatus.OFF: _("Reading notes earns no study hours at present."),
    }[status]


@bp.post("/me/hours/notes/<code>")
def note_read(code: str) -> Response | tuple[Response, int]:
    """The end of a note was reached (the page's script, or the "I have read it" button)."""
    code = code.upper()
    note = db.session.get(StudyNote, code) if code in ALL_CODES else None
    if note is None:
        abort(404)
    form = NoteReadForm()
    now = utcnow()
    opened = (
        reading.opened_at(form.opened.data or "", code, current_app.config["SECRET_KEY"])
        if form.validate_on_submit()
        else None
    )
    if opened is None:
        abort(400)
    if not reading.has_read_long_enough(
        opened, now, int(current_app.config["NOTE_MIN_READ_SECONDS"])
    ):
        message, status = _("Take a little more time with the note first."), "early"
    else:
        begin_write(db.session)
        outcome = services.record_credit(
            current_user.id,
            CreditRule.NOTE_READ,
            note_source(code, local_day(now, services.default_zone())),
            now,
            label=note.content.get("title"),
        )
        db.session.commit()
        message, status = credit_message(outcome.status, outcome.hours), outcome.status
    if wants_json():
        return jsonify({"status": str(status), "message": message}), 200
    flash(message, "success" if status == CreditStatus.CREDITED else "info")
    return redirect(url_for("study.note", code=code))


@bp.get("/me/hours/certificates/<int:cohort_id>")
def certificate(cohort_id: int) -> str | Response:
    if current_user.id not in cohorts.member_ids(cohort_id):
        abort(404)
    found = programme.certificate(cohort_id, current_user, services.default_zone())
    if found is None:
        flash(_("The certificate is ready once every quiz of the programme is completed."), "info")
        return redirect(url_for("study_hours.mine"))
    return render_template(
        "study_hours/certificate.html", certificate=found, zone=services.default_zone()
    )


@bp.route("/hours/rules", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def rules() -> str | Response | tuple[str, int]:
    form = PolicyForm.from_policy(services.current_policy())
    if form.validate_on_submit():
        begin_write(db.session)
        changed = services.save_policy(form.to_policy(), current_user, utcnow())
        record(
            AuditAction.SETTINGS_CHANGED,
            current_user.id,
            "study hours",
            {name: list(values) for name, values in changed.items()},
            request.remote_addr,
        )
        db.session.commit()
        flash(_("Study-hour rules saved."), "success")
        return redirect(url_for("study_hours.rules"))
    return render_template("study_hours/rules.html", form=form), 400 if form.errors else 200


@bp.get("/cohorts/<int:cohort_id>/hours")
@staff_only
def cohort_hours(cohort_id: int) -> str:
    cohort = load_managed_cohort(cohort_id)
    year = chosen_year()
    return render_template(
        "study_hours/cohort.html",
        cohort=cohort,
        year=year,
        policy=services.current_policy(),
        members=programme.cohort_hours(cohort, year),
        zone=services.default_zone(),
    )


@bp.get("/cohorts/<int:cohort_id>/hours.<fmt>")
@staff_only
def cohort_hours_export(cohort_id: int, fmt: str) -> Response:
    cohort = load_managed_cohort(cohort_id)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    year = chosen_year()
    members = programme.cohort_hours(cohort, year)
    zone = services.default_zone()
    if fmt == "csv":
        body, mimetype = export.as_csv(members, zone), "text/csv; charset=utf-8"
    else:
        body = export.as_xlsx(members, zone)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    record(
        AuditAction.EXPORTED,
        current_user.id,
        f"cohort {cohort.id}",
        {"format": fmt, "what": "study hours", "year": year},
        request.remote_addr,
    )
    db.session.commit()
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=study-hours-{cohort.id}-{year}.{fmt}"
    )
    return response
