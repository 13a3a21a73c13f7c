"""The cadre's quiz flow: list, start or resume, answer, submit, review, history."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..db import utcnow
from ..extensions import db
from ..security import can_view_attempt, guard_blueprint
from . import services
from .forms import answer_form_for, field_name
from .models import Attempt

bp = Blueprint("quizzes", __name__)
guard_blueprint(bp)  # any logged-in user; every attempt is checked against its owner below


def load_own_attempt(attempt_id: int) -> Attempt:
    """The attempt if the current user may see it; 404 otherwise, so ids reveal nothing."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or not can_view_attempt(current_user, attempt):
        abort(404)
    return attempt


def language() -> str:
    return str(get_locale() or "zh")[:2]


@bp.get("/quizzes/")
def index() -> str:
    return render_template("quizzes/index.html", cards=services.list_quizzes_for(current_user))


@bp.post("/quizzes/<quiz_id>/attempts")
def start(quiz_id: str) -> Response:
    try:
        attempt = services.start_or_resume_attempt(current_user, quiz_id, utcnow())
    except services.QuizUnavailable:
        abort(404)
    db.session.commit()
    return redirect(url_for("quizzes.take", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
def take(attempt_id: int) -> str | Response:
    attempt = load_own_attempt(attempt_id)
    if not attempt.is_open:
        return redirect(url_for("quizzes.result", attempt_id=attempt.id))
    items = services.shown_items(services.attempt_items(attempt), language(), with_key=False)
    form = answer_form_for(items)
    return render_template("quizzes/take.html", attempt=attempt, items=items, form=form,
                           field_name=field_name)


def _save_posted(attempt: Attempt) -> tuple[bool, list, object]:
    items = services.shown_items(services.attempt_items(attempt), language(), with_key=False)
    form = answer_form_for(items)
    if not form.validate_on_submit():
        return False, items, form
    services.save_responses(attempt, form.responses(items), utcnow())
    return True, items, form


@bp.post("/attempts/<int:attempt_id>")
def save(attempt_id: int) -> str | Response | tuple[str, int]:
    """Save every answer on the page: the no-JavaScript path."""
    attempt = load_own_attempt(attempt_id)
    if not attempt.is_open:
        flash(_("This attempt has already been submitted."), "warning")
        return redirect(url_for("quizzes.result", attempt_id=attempt.id))
    ok, items, form = _save_posted(attempt)
    if not ok:
        return render_template("quizzes/take.html", attempt=attempt, items=items, form=form,
                               field_name=field_name), 400
    db.session.commit()
    flash(_("Your answers are saved."), "success")
    return redirect(url_for("quizzes.take", attempt_id=attempt.id))


@bp.post("/attempts/<int:attempt_id>/submit")
def submit(attempt_id: int) -> str | Response | tuple[str, int]:
    attempt = load_own_attempt(attempt_id)
    if attempt.is_open:
        ok, items, form = _save_posted(attempt)
        if not ok:
            return render_template("quizzes/take.html", attempt=attempt, items=items, form=form,
                                   field_name=field_name), 400
        services.submit_attempt(attempt, utcnow())
        db.session.commit()
    return redirect(url_for("quizzes.result", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>/result")
def result(attempt_id: int) -> str | Response:
    attempt = load_own_attempt(attempt_id)
    if attempt.is_open:
        return redirect(url_for("quizzes.take", attempt_id=attempt.id))
    rows = services.attempt_items(attempt)
    return render_template(
        "quizzes/result.html", attempt=attempt,
        items=services.shown_items(rows, language(), with_key=True),
        subscores=services.subscores(rows),
    )


@bp.get("/me/attempts")
def my_attempts() -> str:
    return render_template("quizzes/history.html", attempts=services.history(current_user))
