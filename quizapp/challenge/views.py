"""The challenge pages: the start page with the best run and the leaderboards, one item at a
time while a run goes on, and the coordinator's leaderboard switch on the cohort page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..auth.roles import Role
from ..cohorts.views import load_managed_cohort
from ..db import begin_write, utcnow
from ..extensions import db
from ..quizzes import exam_pools, review
from ..quizzes import services as engine
from ..quizzes.forms import field_name
from ..quizzes.views import language
from ..security import guard_blueprint, role_required
from . import leaderboard, services
from .forms import ActionForm, AnswerForm, LeaderboardForm, chosen
from .rules import Timing

bp = Blueprint("challenge", __name__)
guard_blueprint(bp)  # any logged-in user plays; the switch is checked per cohort below


def timing() -> Timing:
    config = current_app.config
    return Timing(
        int(config["CHALLENGE_ITEM_SECONDS"]), int(config["CHALLENGE_SYNC_GRACE_SECONDS"])
    )


@bp.get("/me/challenge")
def index() -> str:
    now = utcnow()
    last = services.last_run(current_user.id, now, timing())
    ended_item = None
    if last and last.reason and last.last_row is not None:
        row = last.last_row
        withheld = exam_pools.withheld([row.item_version.item_id], now, None)
        if row.item_version.item_id not in withheld:
            (ended_item,) = review.shown_items(
                [row], language(), review.ReviewPermissions.everything()
            )
    return render_template(
        "challenge/index.html",
        best=services.personal_best(current_user.id),
        last=last,
        ended_item=ended_item,
        running=services.open_run(current_user.id, now, timing()),
        boards=leaderboard.boards_for_member(current_user.id),
        timing=timing(),
        form=ActionForm(),
    )


@bp.post("/me/challenge/start")
def start() -> Response:
    if not ActionForm().validate_on_submit():
        abort(400)
    begin_write(db.session)
    try:
        services.start_run(current_user, utcnow(), timing())
    except (services.NoItems, engine.ItemsReserved, engine.QuizUnavailable):
        db.session.rollback()
        flash(_("No questions can be drawn for a challenge right now."), "warning")
        return redirect(url_for("challenge.index"))
    db.session.commit()
    return redirect(url_for("challenge.play"))


@bp.get("/me/challenge/play")
def play() -> str | Response:
    now = utcnow()
    current = services.open_run(current_user.id, now, timing())
    if current is None:
        return redirect(url_for("challenge.index"))
    (item,) = review.shown_items([current.row], language())
    return render_template(
        "challenge/play.html",
        item=item,
        run=current.run,
        name="response",
        seconds_left=engine.seconds_left(current.attempt, now),
        best=services.personal_best(current_user.id),
        form=AnswerForm(item_id=item.item_id),
        stop_form=ActionForm(),
        field_name=field_name,
    )


@bp.post("/me/challenge/answer")
def answer() -> Response | tuple[str, int]:
    form = AnswerForm()
    response = chosen(request.form.getlist("response"))
    if not form.validate_on_submit() or response is None:
        abort(400)
    begin_write(db.session)
    try:
        step = services.answer(
            current_user,
            form.item_id.data,
            response,
            form.timed_out.data == "1",
            utcnow(),
            timing(),
        )
    except (services.NoOpenRun, services.NotCurrentItem):
        db.session.rollback()  # already answered, or the run is over: show where it stands
        return redirect(url_for("challenge.play"))
    except services.NoChoice:
        db.session.rollback()
        flash(_("Choose an answer first."), "warning")
        return redirect(url_for("challenge.play"))
    except engine.InvalidAnswer:
        db.session.rollback()
        flash(_("This option does not belong to the question."), "warning")
        return redirect(url_for("challenge.play"))
    db.session.commit()
    if step.ended is None:
        flash(_("Right! %(n)d in a row.", n=step.run.correct), "success")
        return redirect(url_for("challenge.play"))
    return redirect(url_for("challenge.index"))


@bp.post("/me/challenge/stop")
def stop() -> Response:
    if not ActionForm().validate_on_submit():
        abort(400)
    begin_write(db.session)
    services.stop_run(current_user, utcnow(), timing())
    db.session.commit()
    return redirect(url_for("challenge.index"))


@bp.post("/cohorts/<int:cohort_id>/challenge-leaderboard")
@role_required(Role.COORDINATOR, Role.ADMIN)
def set_leaderboard(cohort_id: int) -> Response:
    cohort = load_managed_cohort(cohort_id)
    form = LeaderboardForm()
    if not form.validate_on_submit():
        abort(400)
    begin_write(db.session)
    leaderboard.set_enabled(cohort, form.enabled.data == "1", current_user, utcnow())
    db.session.commit()
    flash(
        _("The challenge leaderboard is on for this cohort.")
        if form.enabled.data == "1"
        else _("The challenge leaderboard is off for this cohort."),
        "success",
    )
    return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
