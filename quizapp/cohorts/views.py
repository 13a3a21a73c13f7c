"""Coordinators run cohorts and assign quizzes; cadres join cohorts and see what is due."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from ..audit.models import AuditAction
from ..audit.services import record
from ..auth.roles import Role
from ..challenge import services as challenge
from ..db import begin_write, utcnow
from ..extensions import db, limiter
from ..kinds.base import localized
from ..participation import services as participation
from ..practice import sets as practice_sets
from ..quizzes import services as attempts
from ..quizzes.settings import QuizSettings
from ..quizzes.views import flash_items_reserved, sync_grace
from ..security import can_manage_cohort, guard_blueprint, role_required
from ..study_hours import services as study_hours
from ..templating import current_language
from . import services
from .forms import AddMemberForm, AssignmentForm, CohortForm, ConfirmForm, JoinForm, RosterForm
from .models import Cohort
from .qr import qr_svg
from .roster import parse_roster

bp = Blueprint("cohorts", __name__)
guard_blueprint(bp)
staff_only = role_required(Role.COORDINATOR, Role.ADMIN)


def load_managed_cohort(cohort_id: int) -> Cohort:
    """The cohort if the current user runs it (or is an admin); 404 otherwise."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not can_manage_cohort(current_user, cohort):
        abort(404)
    return cohort


def form_status(form: object) -> int:
    return 400 if getattr(form, "errors", None) else 200


@bp.get("/me/")
def home() -> str:
    """A cadre's start page: what his cohorts assigned, what is due, his practice this week
    and study hours, and where to go next."""
    now, zone = utcnow(), participation.local_zone()
    return render_template(
        "cohorts/home.html", cards=services.assignments_for_member(current_user), now=now,
        join_form=JoinForm(), practice=participation.summary_for(current_user.id, now, zone),
        challenge_best=challenge.personal_best(current_user.id),
        hours=study_hours.year_summary(current_user.id, now, zone),
        daily=practice_sets.daily_card(current_user.id, now, zone))


def joiner_key() -> str:
    return f"join:{current_user.get_id()}"


@bp.route("/cohorts/join", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["JOIN_LIMIT"], methods=["POST"], key_func=joiner_key)
def join() -> str | Response | tuple[str, int]:
    # A shared link or a scanned QR code brings the code along: the form is filled in.
    form = JoinForm(code=request.args.get("code", "")[:16]) if request.method == "GET" \
        else JoinForm()
    if form.validate_on_submit():
        try:
            cohort = services.join_by_code(current_user, form.code.data)
        except services.UnknownJoinCode:
            record(AuditAction.JOIN_REFUSED, current_user.id, form.code.data[:32],
                   address=request.remote_addr)
            db.session.commit()
            form.code.errors.append(_("No cohort has this join code."))
        except services.NotAddable:
            form.code.errors.append(_("Coordinators and admins run cohorts; they do not join "
                                      "them."))
        else:
            db.session.commit()
            flash(_("You have joined %(name)s.", name=cohort.name), "success")
            return redirect(url_for("cohorts.home"))
    return render_template("cohorts/join.html", form=form), form_status(form)


@bp.post("/assignments/<int:assignment_id>/attempts")
def start_assignment(assignment_id: int) -> Response:
    begin_write(db.session)
    try:
        attempt = services.start_assignment(current_user, assignment_id, utcnow(),
                                            sync_grace())
    except (services.NotAMember, attempts.QuizUnavailable):
        abort(404)
    except attempts.ItemsReserved:
        flash_items_reserved()
        return redirect(url_for("cohorts.home"))
    except attempts.WindowClosed:
        db.session.commit()
        flash(_("This quiz is not open now."), "warning")
        return redirect(url_for("cohorts.home"))
    except attempts.NoAttemptsLeft:
        db.session.commit()
        flash(_("You have used all the attempts this quiz allows."), "warning")
        return redirect(url_for("cohorts.home"))
    db.session.commit()
    return redirect(url_for("quizzes.take", attempt_id=attempt.id))


@bp.get("/cohorts/")
@staff_only
def index() -> str:
    return render_template("cohorts/index.html", rows=services.visible_cohorts(current_user))


@bp.route("/cohorts/new", methods=["GET", "POST"])
@staff_only
def create() -> str | Response | tuple[str, int]:
    form = CohortForm()
    if form.validate_on_submit():
        cohort = services.create_cohort(form.name.data, form.description.data or "",
                                        current_user)
        db.session.commit()
        return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    return render_template("cohorts/new.html", form=form), form_status(form)


def join_link(cohort: Cohort) -> str:
    """The link that opens the join form with this cohort's code filled in."""
    return url_for("cohorts.join", code=cohort.join_code, _external=True)


def render_detail(cohort: Cohort, status: int = 200, **forms: object) -> tuple[str, int]:
    link = join_link(cohort)
    members = services.members_of(cohort)
    return render_template(
        "cohorts/detail.html", cohort=cohort, members=members,
        practice_week=participation.cohort_week([m.user_id for m in members], utcnow(),
                                                participation.local_zone()),
        leaderboard_on=challenge.leaderboard_enabled(cohort.id),
        join_url=link, join_qr=qr_svg(link, _("Join code %(code)s", code=cohort.join_code)),
        assignments=services.assignments_of(cohort),
        add_form=forms.get("add_form") or AddMemberForm(),
        roster_form=forms.get("roster_form") or RosterForm(),
        confirm_form=ConfirmForm(), roster_result=forms.get("roster_result"),
        roster_errors=forms.get("roster_errors", []),
    ), status


@bp.get("/cohorts/<int:cohort_id>")
@staff_only
def detail(cohort_id: int) -> tuple[str, int]:
    return render_detail(load_managed_cohort(cohort_id))


@bp.get("/cohorts/<int:cohort_id>/join-notice")
@staff_only
def join_notice(cohort_id: int) -> str:
    """A page to print on A4 and pin up: the QR code, the code and the link."""
    cohort = load_managed_cohort(cohort_id)
    link = join_link(cohort)
    return render_template("cohorts/join_notice.html", cohort=cohort, join_url=link,
                           join_qr=qr_svg(link, _("Join code %(code)s", code=cohort.join_code),
                                          scale=8))


@bp.post("/cohorts/<int:cohort_id>/members")
@staff_only
def add_member(cohort_id: int) -> Response | tuple[str, int]:
    cohort = load_managed_cohort(cohort_id)
    form = AddMemberForm()
    if form.validate_on_submit():
        try:
            services.add_member_by_username(cohort, form.username.data, current_user)
        except services.UnknownUser:
            form.username.errors.append(_(
                "No cadre you can add has this username. A cadre who is already in another "
                "coordinator's cohort joins with this cohort's join code."))
        except services.AlreadyMember:
            form.username.errors.append(_("This cadre is already a member."))
        else:
            db.session.commit()
            flash(_("%(name)s added.", name=form.username.data), "success")
            return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    return render_detail(cohort, 400, add_form=form)


@bp.post("/cohorts/<int:cohort_id>/members/upload")
@staff_only
def upload_members(cohort_id: int) -> tuple[str, int]:
    """Add members from a class list: all rows or, on any error, none (the row is named)."""
    cohort = load_managed_cohort(cohort_id)
    form = RosterForm()
    if not form.validate_on_submit():
        return render_detail(cohort, 400, roster_form=form)
    upload = form.roster.data
    rows, errors = parse_roster(upload.filename or "", upload.read())
    if not errors:
        try:
            result = services.import_roster(cohort, rows, current_user)
        except services.CohortError as exc:
            db.session.rollback()
            errors = [str(exc)]
        else:
            record(AuditAction.USER_CREATED, current_user.id, f"cohort {cohort.id}",
                   {"created": [u for u, _ in result.created], "added": result.added},
                   request.remote_addr)
            db.session.commit()
            return render_detail(cohort, roster_result=result)
    return render_detail(cohort, 400, roster_form=form,
                         roster_errors=[str(error) for error in errors])


@bp.post("/cohorts/<int:cohort_id>/members/<int:user_id>/remove")
@staff_only
def remove_member(cohort_id: int, user_id: int) -> Response:
    cohort = load_managed_cohort(cohort_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.remove_member(cohort, user_id, current_user)
    db.session.commit()
    return redirect(url_for("cohorts.detail", cohort_id=cohort.id))


@bp.post("/cohorts/<int:cohort_id>/join-code")
@staff_only
def rotate_join_code(cohort_id: int) -> Response:
    """A new join code (the old one may have spread further than intended)."""
    cohort = load_managed_cohort(cohort_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.rotate_join_code(cohort, current_user)
    db.session.commit()
    flash(_("The cohort has a new join code; the old one no longer works."), "success")
    return redirect(url_for("cohorts.detail", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/assignments/new", methods=["GET", "POST"])
@staff_only
def assign(cohort_id: int) -> str | Response | tuple[str, int]:
    cohort = load_managed_cohort(cohort_id)
    form = AssignmentForm.from_settings(QuizSettings(max_attempts=1))
    lang = current_language()
    form.quiz_id.choices = [SelectChoice(q.id, q.title.get(lang) or q.title["zh"])
                            for q in services.active_quizzes()]
    form.local_items.choices = [
        SelectChoice(item.id, f"{item.id} · {localized(version.content['stem'], lang)[:60]}")
        for item, version in services.local_items_for(cohort)]
    if form.validate_on_submit():
        try:
            services.create_assignment(cohort, form.quiz_id.data, form.to_settings(),
                                       form.local_items.data or [])
        except services.LocalItemsRefused:
            form.local_items.errors.append(_("A diagnostic or a questionnaire chooses its own "
                                             "questions: assign your items with another quiz."))
        else:
            db.session.commit()
            flash(_("Quiz assigned."), "success")
            return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    return render_template("cohorts/assign.html", cohort=cohort, form=form), form_status(form)
