"""Gradings at the same instant that review the same cards: no review lost, none doubled
(the cards are created without a race and locked while they are updated)."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from quizapp.auth.models import User
from quizapp.cohorts import services as cohorts
from quizapp.db import begin_write
from quizapp.extensions import db
from quizapp.practice.models import ReviewCard, ReviewLog
from quizapp.quizzes import services as engine
from quizapp.quizzes.settings import QuizSettings

pytestmark = pytest.mark.usefixtures("loaded_bank")

T0 = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
ATTEMPTS = 4


def answered_attempts(app, cadre_id, admin_id):
    """ATTEMPTS attempts of the same three A1 items (one per assignment), all answered."""
    with app.app_context():
        user = db.session.get(User, cadre_id)
        cohort = cohorts.create_cohort("一班", "", db.session.get(User, admin_id))
        cohorts.add_member(cohort, user)
        ids = []
        for _ in range(ATTEMPTS):
            assignment = cohorts.create_assignment(cohort, "ability-a1", QuizSettings())
            attempt = engine.start_or_resume_attempt(
                user, "ability-a1", T0, assignment_id=assignment.id
            )
            rows = engine.attempt_items(attempt)
            engine.save_responses(attempt, {r.id: r.item_version.content["key"] for r in rows}, T0)
            ids.append(attempt.id)
        db.session.commit()
        return ids


def test_concurrent_gradings_review_each_card_once_per_answer(app, cadre, admin):
    attempt_ids = answered_attempts(app, cadre.id, admin.id)
    barrier = threading.Barrier(ATTEMPTS)
    errors = []

    def submit(attempt_id):
        with app.app_context():
            try:
                barrier.wait()
                begin_write(db.session)
                engine.submit_attempt(attempt_id, T0 + timedelta(minutes=5))
                db.session.commit()
            except Exception as exc:
                errors.append(repr(exc))
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(i,)) for i in attempt_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with app.app_context():
        cards = list(db.session.scalars(select(ReviewCard)))
        assert len(cards) == 3
        assert {card.reviews for card in cards} == {ATTEMPTS}
        assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 3 * ATTEMPTS
