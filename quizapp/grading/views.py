"""The grading queue: coordinators (for their cohorts' cadres) and admins grade answers that a
person scores, with the rubric, then release the attempt's grade to the cadre."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import TextAreaField
from wtforms.validators import Length

from ..audit.models import AuditAction
from ..audit.services import record
from ..auth.roles import Role
from ..db import begin_write, utcnow
from ..extensions import db
from ..security import guard_blueprint
from . import services

bp = Blueprint("grading", __name__, url_prefix="/grading")
guard_blueprint(bp, Role.COORDINATOR, Role.ADMIN)


class GradeForm(FlaskForm):
    comment = TextAreaField(validators=[Length(max=services.COMMENT_LIMIT)])


def _attempt_or_404(attempt_id: int):
    attempt = services.attempt_to_grade(current_user, attempt_id)
    if attempt is None:
        abort(404)
    return attempt


@bp.get("/")
def queue() -> str:
    return render_template("grading/queue.html", rows=services.queue(current_user))


@bp.get("/attempts/<int:handed_in_id>")
def attempt(handed_in_id: int) -> str:
    graded = _attempt_or_404(handed_in_id)
    rows = services.rows_to_grade(graded)
    return render_template("grading/attempt.html", attempt=graded,
                           answers=services.answers_to_grade(rows), form=GradeForm(),
                           ready=all(row.manual_grade for row in rows))


@bp.post("/attempts/<int:handed_in_id>/answers/<int:row_id>")
def grade(handed_in_id: int, row_id: int) -> Response:
    begin_write(db.session)
    graded = _attempt_or_404(handed_in_id)
    row = next((r for r in services.rows_to_grade(graded) if r.id == row_id), None)
    if row is None:
        abort(404)
    form = GradeForm()
    points = services.read_grade(row, request.form)
    if not form.validate_on_submit() or points is None:
        flash(_("Choose a level for every criterion (the comment may have at most %(n)s "
                "characters).", n=services.COMMENT_LIMIT), "error")
        return redirect(url_for("grading.attempt", handed_in_id=graded.id, _anchor=f"a{row.id}"))
    try:
        services.grade_answer(graded, row, points, form.comment.data or "", current_user,
                              utcnow())
    except services.InvalidGrade:
        db.session.rollback()
        flash(_("Choose a level for every criterion (the comment may have at most %(n)s "
                "characters).", n=services.COMMENT_LIMIT), "error")
        return redirect(url_for("grading.attempt", handed_in_id=graded.id, _anchor=f"a{row.id}"))
    record(AuditAction.ANSWER_GRADED, current_user.id, f"attempt {graded.id}",
           {"item": row.item_version.item_id, "points": points}, request.remote_addr)
    db.session.commit()
    flash(_("Grade saved."), "success")
    return redirect(url_for("grading.attempt", handed_in_id=graded.id, _anchor=f"a{row.id}"))


@bp.post("/attempts/<int:handed_in_id>/release")
def release(handed_in_id: int) -> Response:
    begin_write(db.session)
    graded = _attempt_or_404(handed_in_id)
    if not GradeForm().validate_on_submit():
        abort(400)
    try:
        services.release(graded, utcnow())
    except services.NotReady:
        db.session.rollback()
        flash(_("Grade every answer before releasing the result."), "error")
        return redirect(url_for("grading.attempt", handed_in_id=graded.id))
    record(AuditAction.GRADE_RELEASED, current_user.id, f"attempt {graded.id}",
           {"score": graded.score, "max_score": graded.max_score}, request.remote_addr)
    db.session.commit()
    flash(_("The result is released to the cadre."), "success")
    return redirect(url_for("grading.queue"))
