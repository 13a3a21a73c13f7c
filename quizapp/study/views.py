"""Study notes per code, for cadres to read before and after a quiz."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from ..bank.models import StudyNote
from ..bank.vocabulary import ALL_CODES
from ..extensions import db
from ..security import guard_blueprint

bp = Blueprint("study", __name__, url_prefix="/study")
guard_blueprint(bp)


@bp.get("/")
def index() -> str:
    notes = {note.code: note for note in db.session.scalars(select(StudyNote))}
    ordered = [notes[code] for code in ALL_CODES if code in notes]
    return render_template("study/index.html", notes=ordered)


@bp.get("/<code>")
def note(code: str) -> str:
    found = db.session.get(StudyNote, code.upper()) if code.upper() in ALL_CODES else None
    if found is None:
        abort(404)
    return render_template("study/note.html", note=found,
                           practice_quiz_id=practice_quiz_for(found.code))


def practice_quiz_for(code: str) -> str:
    """The preset quiz that practises one code (ids follow question_bank/quizzes.yaml)."""
    if code.startswith("A"):
        return f"ability-{code.lower()}"
    if code == "B":
        return "diagnosis-b"
    return f"countermeasure-{code.lower()}"
