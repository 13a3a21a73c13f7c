"""每日一练 and spaced review for the cadre: start or resume the day's set, see what it taught,
see what is due and when, and start a review set. Answering happens on the quiz pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from babel.dates import format_skeleton
from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..auth.models import User
from ..bank.vocabulary import QuizKind
from ..dates import local_day
from ..db import begin_write, utcnow
from ..extensions import db
from ..quizzes import exam_pools, review
from ..quizzes import services as engine
from ..quizzes.models import Attempt
from ..quizzes.views import language, load_own_attempt
from ..security import guard_blueprint
from . import services, sets

bp = Blueprint("practice", __name__)
guard_blueprint(bp)  # any logged-in user, on his own cards and sets


def zone() -> str:
    """Where the cadre's day starts and ends (the platform's time zone)."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def day_label(day: date) -> str:
    """A date as people say it in the page's language, e.g. 12月8日周二 / Tue, Dec 8."""
    return format_skeleton("MMMEd", day, locale=str(get_locale() or "zh"))


def render_finished(attempt: Attempt) -> str:
    """What a finished set taught: each answer with the key and explanations, when it comes
    back, and what is due tomorrow."""
    now = utcnow()
    rows = engine.attempt_items(attempt)
    item_ids = [row.item_version.item_id for row in rows]
    secret = exam_pools.withheld(item_ids, now)
    return render_template(
        "practice/finished.html",
        attempt=attempt,
        items=review.shown_items(rows, language(), review.ReviewPermissions.everything(), secret),
        rows_by_id={row.id: row for row in rows},
        next_due={
            item_id: day_label(local_day(at, zone()))
            for item_id, at in services.next_due(attempt.user_id, item_ids).items()
        },
        notes=review.study_note_codes({row.code for row in rows}),
        due=sets.due_summary(attempt.user_id, now, zone()),
        is_daily=attempt.quiz.kind == QuizKind.DAILY,
    )


@bp.get("/me/daily")
def daily() -> str | Response:
    attempt = sets.todays_set(current_user.id, QuizKind.DAILY, utcnow(), zone())
    if attempt is not None and attempt.is_open:
        return redirect(url_for("quizzes.take", attempt_id=attempt.id))
    if attempt is not None:
        return render_finished(attempt)
    return render_template(
        "practice/daily.html", due=sets.due_summary(current_user.id, utcnow(), zone())
    )


def _start(starter: Callable[[User, datetime, str], Attempt], page: str, nothing: str) -> Response:
    """Start or resume a set and open it; back to `page` when there is nothing to offer."""
    begin_write(db.session)
    try:
        attempt = starter(current_user, utcnow(), zone())
    except sets.NothingToPractise:
        db.session.commit()  # keeps an earlier day's set handed in on the way
        flash(nothing, "info")
        return redirect(url_for(page))
    db.session.commit()
    if not attempt.is_open:
        return redirect(url_for(page))
    return redirect(url_for("quizzes.take", attempt_id=attempt.id))


@bp.post("/me/daily")
def start_daily() -> Response:
    return _start(
        sets.start_daily,
        "practice.daily",
        _(
            "Nothing to practise today: no question is due for review or new to you, "
            "and the others are set aside for an exam or come back later."
        ),
    )


@bp.get("/me/review")
def review_page() -> str:
    now = utcnow()
    secured = exam_pools.secured_item_ids(now)
    _, end = sets.today(now, zone())
    calendar, later = sets.review_calendar(current_user.id, now, zone())
    return render_template(
        "practice/review.html",
        due=sets.due_summary(current_user.id, now, zone()),
        cards=services.due_cards(current_user.id, end, secured),
        calendar=[(day_label(day), count) for day, count in calendar],
        later=later,
        open_set=sets.todays_set(current_user.id, QuizKind.REVIEW, now, zone()),
    )


@bp.post("/me/review")
def start_review() -> Response:
    return _start(sets.start_review, "practice.review_page", _("Nothing is due for review today."))


@bp.get("/me/practice/<int:attempt_id>")
def finished(attempt_id: int) -> str | Response:
    attempt = load_own_attempt(attempt_id)
    if attempt.quiz.kind not in sets.SET_QUIZZES:  # another attempt has its result page
        return redirect(url_for("quizzes.result", attempt_id=attempt.id))
    if attempt.is_open:
        return redirect(url_for("quizzes.take", attempt_id=attempt.id))
    return render_finished(attempt)
