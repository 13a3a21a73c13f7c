"""The cadre's quiz flow: list, settings, start or resume, answer (page or autosave), submit,
review, history. Coordinators and admins also edit quiz settings here."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..abilities.bands import band_of
from ..audit.models import AuditAction
from ..audit.services import record
from ..auth.roles import Role
from ..bank.models import Quiz
from ..bank.vocabulary import QuizKind
from ..db import begin_write, utcnow
from ..extensions import db
from ..security import can_view_attempt, guard_blueprint, role_required
from . import adaptive, answering, catalogue, exam_pools, reading, review, services
from .forms import AnswerPayload, answer_form_for, field_name
from .models import Attempt
from .settings import QuizMode
from .settings_form import QuizSettingsForm

bp = Blueprint("quizzes", __name__)
guard_blueprint(bp)  # any logged-in user; every attempt is checked against its owner below


def sync_grace() -> timedelta:
    """How long after the deadline an answer made in time may still arrive (weak networks)."""
    return timedelta(seconds=current_app.config["SYNC_GRACE_SECONDS"])


def load_own_attempt(attempt_id: int) -> Attempt:
    """The attempt if the current user may see it; 404 otherwise, so ids reveal nothing."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or not can_view_attempt(current_user, attempt):
        abort(404)
    return attempt


def load_own_attempt_page(attempt_id: int) -> tuple[reading.ReadAttempt, list]:
    """The same, with its rows, as plain values (the pages that only show them)."""
    attempt, rows = reading.attempt_page(attempt_id)
    if attempt is None or not can_view_attempt(current_user, attempt):
        abort(404)
    return attempt, rows


def load_quiz(quiz_id: str) -> Quiz:
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or not quiz.is_active:
        abort(404)
    return quiz


def flash_items_reserved() -> None:
    """Nothing was started: every item this quiz could draw is held by a live exam."""
    db.session.rollback()
    flash(_("These questions are set aside for an exam that is open now; practise "
            "another part until it closes."), "warning")


def language() -> str:
    return str(get_locale() or "zh")[:2]


def on_page(attempt: Attempt | reading.ReadAttempt, rows: list | None = None) -> list:
    """The rows the page shows and takes answers for: all of them, or in an adaptive
    diagnostic only the newest (earlier ones already chose what came next)."""
    rows = services.attempt_items(attempt) if rows is None else rows
    return rows[-1:] if attempt.quiz.is_adaptive else rows


def feedback_for(rows: list, attempt: Attempt | reading.ReadAttempt) -> dict[int, dict[str, Any]]:
    """Practice feedback per row, with the link to its study note; none for an answer whose
    key is secret now (an item of a live exam)."""
    secret = exam_pools.withheld([r.item_version.item_id for r in rows], utcnow(),
                                 attempt.assignment_id)
    notes = review.study_note_codes({r.code for r in rows})
    found = {}
    for row in rows:
        feedback = review.practice_feedback(row, language(), secret)
        if feedback is not None:
            if row.code in notes:
                feedback["study_url"] = url_for("study.note", code=row.code)
            found[row.id] = feedback
    return found


def render_take(attempt: Attempt | reading.ReadAttempt, form: Any = None, status: int = 200,
                rows: list | None = None) -> tuple[str, int]:
    rows = on_page(attempt, rows)
    items = review.shown_items(rows, language())
    settings = services.attempt_settings(attempt)
    feedback = {}
    if settings.mode == QuizMode.PRACTICE:  # the answers whose key was asked for
        feedback = feedback_for([row for row in rows if row.checked_at is not None], attempt)
    # Reading the page needs no form object (only its CSRF token): the per-attempt form
    # class is built when answers are posted. A refused answer is named in the user's language
    # (WTForms' own choice messages are not all translated).
    errors = {name: [_("This option does not belong to the question.")]
              for name in (form.errors if form else {}) if name}
    if form is not None and form.form_errors and not errors:
        errors = {"": list(form.form_errors)}
    step = (rows[-1].position if rows else 0, adaptive.rules_of(attempt.quiz).max_items) \
        if attempt.quiz.is_adaptive else None
    return render_template(
        "quizzes/take.html", attempt=attempt, items=items, errors=errors, step=step,
        field_name=field_name, seconds_left=services.seconds_left(attempt, utcnow()),
        settings=settings, feedback=feedback,
        rows_by_id={row.id: row for row in rows},
    ), status


@bp.get("/quizzes/")
def index() -> str:
    return render_template("quizzes/index.html", cards=catalogue.list_quizzes_for(current_user))


@bp.get("/quizzes/<quiz_id>")
def detail(quiz_id: str) -> str:
    """What a cadre should know before starting: time, window, attempts, grading, review."""
    quiz = load_quiz(quiz_id)
    card = next((c for c in catalogue.list_quizzes_for(current_user) if c.quiz.id == quiz.id),
                None)
    if card is None:
        abort(404)
    return render_template("quizzes/detail.html", card=card, now=utcnow())


@bp.post("/quizzes/<quiz_id>/attempts")
def start(quiz_id: str) -> Response:
    begin_write(db.session)
    try:
        attempt = services.start_or_resume_attempt(current_user, quiz_id, utcnow(), sync_grace())
    except services.QuizUnavailable:
        abort(404)
    except services.ItemsReserved:
        flash_items_reserved()
        return redirect(url_for("quizzes.detail", quiz_id=quiz_id))
    except services.WindowClosed:
        db.session.commit()  # keeps an overdue attempt closed on the way
        flash(_("This quiz is not open now."), "warning")
        return redirect(url_for("quizzes.detail", quiz_id=quiz_id))
    except services.NoAttemptsLeft:
        db.session.commit()
        flash(_("You have used all the attempts this quiz allows."), "warning")
        return redirect(url_for("quizzes.detail", quiz_id=quiz_id))
    db.session.commit()
    return redirect(url_for("quizzes.take", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
def take(attempt_id: int) -> tuple[str, int] | Response:
    attempt, rows = load_own_attempt_page(attempt_id)
    if not attempt.is_open:
        return redirect(url_for("quizzes.result", attempt_id=attempt.id))
    if attempt.quiz.kind == QuizKind.CHALLENGE:  # one item at a time, on its own page
        return redirect(url_for("challenge.play"))
    return render_take(attempt, rows=rows)


def _save_page(attempt: Attempt) -> tuple[bool, Any]:
    items = review.shown_items(on_page(attempt), language())
    form = answer_form_for(items)
    if not form.validate_on_submit():
        return False, form
    if form.carries_answers:
        try:
            services.save_responses(attempt, form.responses(items), utcnow(), sync_grace())
        except services.InvalidAnswer:
            db.session.rollback()
            form.form_errors.append(_("This option does not belong to the question."))
            return False, form
    return True, form


@bp.post("/attempts/<int:attempt_id>")
def save(attempt_id: int) -> tuple[str, int] | Response:
    """Save every answer on the page: the path that works without JavaScript."""
    begin_write(db.session)
    attempt = load_own_attempt(attempt_id)
    try:
        ok, form = _save_page(attempt)
    except services.AttemptClosed:
        flash(_("Time is up: this attempt no longer takes answers."), "warning")
        return redirect(url_for("quizzes.result", attempt_id=attempt.id))
    if not ok:
        return render_take(attempt, form, 400)
    asked = form.check_request() if form is not None else None
    if asked is not None and services.attempt_settings(attempt).mode == QuizMode.PRACTICE:
        row = next((r for r in on_page(attempt) if r.id == asked[0]), None)
        if row is not None and row.response and feedback_for([row], attempt):
            services.check_answer(row, utcnow(), asked[1])
            db.session.commit()
            return redirect(url_for("quizzes.take", attempt_id=attempt.id,
                                    _anchor=f"q{row.position}"))
    if attempt.quiz.is_adaptive:
        try:
            finished = services.advance_diagnostic(attempt, utcnow(), sync_grace())
        except services.AttemptClosed:
            finished = True
        db.session.commit()
        target = "quizzes.result" if finished else "quizzes.take"
        return redirect(url_for(target, attempt_id=attempt.id))
    db.session.commit()
    flash(_("Your answers are saved."), "success")
    return redirect(url_for("quizzes.take", attempt_id=attempt.id))


@bp.put("/attempts/<int:attempt_id>/answers/<item_id>")
def save_answer(attempt_id: int, item_id: str) -> tuple[Response, int]:
    """Autosave one answer (JSON). The newest answer by client sequence number wins."""
    payload = AnswerPayload(request.get_json(silent=True))
    if not payload.is_valid:
        return jsonify({"error": _("The answer could not be read."),
                        "details": payload.errors}), 400
    begin_write(db.session)
    target = answering.answer_target(attempt_id, item_id)  # one query, no ORM objects
    if target is None or not can_view_attempt(current_user, target):
        abort(404)
    if target.settings.mode == QuizMode.PRACTICE:  # the reply may carry the key
        return _save_practice_answer(attempt_id, item_id, payload)
    try:
        saved = answering.save_answer(target, payload.response, payload.seq, utcnow(),
                                      sync_grace(), payload.confidence)
    except (services.AttemptClosed, services.InvalidAnswer) as refused:
        return _refused_answer(refused)
    db.session.commit()
    return jsonify({"item_id": item_id, "response": saved.response or [], "seq": saved.seq,
                    "saved": True, "applied": saved.is_applied,
                    "seconds_left": services.seconds_left(target, utcnow())}), 200


def _refused_answer(refused: Exception) -> tuple[Response, int]:
    db.session.rollback()
    if isinstance(refused, services.DeadlinePassed):
        return jsonify({"error": _("Time is up: this answer arrived too late to be saved."),
                        "closed": True}), 409
    if isinstance(refused, services.AttemptClosed):
        return jsonify({"error": _("This attempt has already been submitted."),
                        "closed": True}), 409
    return jsonify({"error": _("This option does not belong to the question.")}), 400


def _save_practice_answer(attempt_id: int, item_id: str,
                          payload: AnswerPayload) -> tuple[Response, int]:
    """Practice mode: the key when asked for (or already shown), and from then on the answer
    is final."""
    found = reading.attempt_with_item(attempt_id, item_id)
    if found is None:
        abort(404)
    attempt, row = found
    try:
        saved = services.save_answer(attempt, row, payload.response, payload.seq, utcnow(),
                                     sync_grace(), payload.confidence)
    except (services.AttemptClosed, services.InvalidAnswer) as refused:
        return _refused_answer(refused)
    body: dict[str, Any] = {
        "item_id": item_id, "response": saved.row.response or [], "seq": saved.row.client_seq,
        "saved": True, "applied": saved.is_applied,
        "seconds_left": services.seconds_left(attempt, utcnow()),
    }
    if saved.row.response and (payload.check or saved.row.checked_at is not None):
        body["feedback"] = feedback_for([saved.row], attempt).get(saved.row.id)
        if body["feedback"] is not None:
            services.check_answer(saved.row, utcnow())
    body["confidence"] = saved.row.confidence
    body["final"] = saved.row.checked_at is not None
    db.session.commit()
    return jsonify(body), 200


@bp.post("/attempts/<int:attempt_id>/submit")
def submit(attempt_id: int) -> tuple[str, int] | Response:
    begin_write(db.session)
    attempt = load_own_attempt(attempt_id)
    if attempt.is_open:
        try:
            ok, form = _save_page(attempt)
        except services.AttemptClosed:
            ok, form = True, None  # too late for new answers: grade what was saved
        if not ok:
            return render_take(attempt, form, 400)
        services.submit_attempt(attempt.id, utcnow(), sync_grace())
        db.session.commit()
    if attempt.quiz.kind in (QuizKind.DAILY, QuizKind.REVIEW):  # what was learnt, what next
        return redirect(url_for("practice.finished", attempt_id=attempt.id))
    return redirect(url_for("quizzes.result", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>/result")
def result(attempt_id: int) -> str | Response:
    attempt, rows = load_own_attempt_page(attempt_id)
    if attempt.is_open:
        return redirect(url_for("quizzes.take", attempt_id=attempt.id))
    settings = services.attempt_settings(attempt)
    permissions = review.ReviewPermissions.for_attempt(settings, utcnow())
    labels, secret = review.labels_and_withheld(
        {r.item_version.item_id for r in rows}, language(), utcnow(), attempt.assignment_id)
    diagnosis = [(code, band_of(ability)) for code, ability in
                 adaptive.estimates_of(attempt, rows).items()] \
        if attempt.quiz.is_adaptive and attempt.is_graded else []
    return render_template(
        "quizzes/result.html", attempt=attempt, settings=settings, permissions=permissions,
        diagnosis=diagnosis,
        items=review.shown_items(rows, language(), permissions, secret, labels),
        # Per-part scores would tell which items were right: shown only with the keys.
        subscores=review.subscores(rows) if attempt.is_graded and permissions.keys else [],
        passed=settings.has_passed(attempt.percent),
    )


@bp.get("/me/attempts")
def my_attempts() -> str:
    return render_template("quizzes/history.html", attempts=catalogue.history(current_user))


@bp.route("/quizzes/<quiz_id>/settings", methods=["GET", "POST"])
@role_required(Role.ADMIN)  # platform-wide: coordinators set their own per assignment
def edit_settings(quiz_id: str) -> tuple[str, int] | Response:
    quiz = load_quiz(quiz_id)
    form = QuizSettingsForm.from_settings(services.settings_of(quiz))
    if form.validate_on_submit():
        before = quiz.settings
        quiz.settings = form.to_settings().to_dict()
        record(AuditAction.SETTINGS_CHANGED, current_user.id, quiz.id,
               {"before": before, "after": quiz.settings}, request.remote_addr)
        db.session.commit()
        flash(_("Settings saved."), "success")
        return redirect(url_for("quizzes.detail", quiz_id=quiz.id))
    return render_template("quizzes/settings.html", quiz=quiz, form=form), (
        400 if form.errors else 200)
