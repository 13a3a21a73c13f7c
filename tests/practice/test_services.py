"""Review cards against a real database: every scored answer schedules its item, once."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from quizapp.auth.models import User
from quizapp.extensions import db
from quizapp.practice import services as practice
from quizapp.practice.models import ReviewCard, ReviewLog
from quizapp.practice.scheduling import Rating
from quizapp.quizzes import services as engine
from quizapp.quizzes.models import Attempt, Confidence

pytestmark = pytest.mark.usefixtures("loaded_bank")

T0 = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


def wrong_answer(row):
    return [next(o for o in row.option_order if o not in row.item_version.content["key"])]


def answer_and_submit(user, quiz_id, answers, now=T0):
    """Start `quiz_id` at `now`, answer its items in order from `answers` ("right", "wrong",
    or None for blank) and submit a minute later; the attempt and its rows by position."""
    attempt = engine.start_or_resume_attempt(user, quiz_id, now)
    rows = engine.attempt_items(attempt)
    chosen = {}
    for row, outcome in zip(rows, answers, strict=False):
        if outcome is not None:
            chosen[row.id] = (
                row.item_version.content["key"] if outcome == "right" else wrong_answer(row)
            )
    engine.save_responses(attempt, chosen, now)
    engine.submit_attempt(attempt.id, now + timedelta(minutes=1))
    return attempt, engine.attempt_items(attempt)


def cards_of(user_id):
    return {
        card.item_id: card
        for card in db.session.scalars(select(ReviewCard).where(ReviewCard.user_id == user_id))
    }


def test_a_quiz_submission_schedules_each_answered_item(app, cadre):
    with app.app_context():
        user = db.session.get(User, cadre.id)
        attempt, rows = answer_and_submit(user, "ability-a1", ["right", "wrong", None])
        db.session.commit()
        right, wrong, _blank = (row.item_version.item_id for row in rows)
        cards = cards_of(cadre.id)
        assert set(cards) == {right, wrong}  # a blank recalls nothing
        assert cards[right].due_at == T0 + timedelta(days=2)
        assert cards[wrong].due_at == T0 + timedelta(days=1) and cards[wrong].lapses == 1
        logs = {log.attempt_item_id: log for log in db.session.scalars(select(ReviewLog))}
        assert {log.rating for log in logs.values()} == {Rating.Good, Rating.Again}
        assert {log.source for log in logs.values()} == {"quiz"}
        assert all(log.reviewed_at == T0 for log in logs.values())  # when it was answered
        assert db.session.get(Attempt, attempt.id).is_graded


def test_grading_again_adds_no_second_review(app, cadre):
    with app.app_context():
        user = db.session.get(User, cadre.id)
        attempt, rows = answer_and_submit(user, "ability-a1", ["right", "right", "right"])
        db.session.commit()
        before = {item: (c.due_at, c.reviews) for item, c in cards_of(cadre.id).items()}
        assert practice.record_reviews(attempt, rows, T0 + timedelta(days=3)) == 0
        assert engine.submit_attempt(attempt.id, T0 + timedelta(days=3)).graded_now is False
        db.session.commit()
        after = {item: (c.due_at, c.reviews) for item, c in cards_of(cadre.id).items()}
        assert after == before
        assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 3


def test_a_second_quiz_reviews_the_same_card_again(app, cadre):
    with app.app_context():
        user = db.session.get(User, cadre.id)
        answer_and_submit(user, "ability-a1", ["right", "right", "right"])
        later = T0 + timedelta(days=2)
        answer_and_submit(user, "ability-a1", ["right", "right", "right"], later)
        db.session.commit()
        for card in cards_of(cadre.id).values():
            assert card.reviews == 2 and card.last_review_at == later
            assert card.due_at > later + timedelta(days=5)


def test_confidence_sets_the_rating(app, cadre, configure_quiz):
    configure_quiz(mode="practice", shuffle_items=False)
    with app.app_context():
        user = db.session.get(User, cadre.id)
        attempt = engine.start_or_resume_attempt(user, "ability-a1", T0)
        rows = engine.attempt_items(attempt)
        for row, mark in zip(rows, (Confidence.UNSURE, Confidence.SURE, None), strict=True):
            engine.save_answer(
                attempt, row, row.item_version.content["key"], 1, T0, timedelta(0), mark
            )
        engine.submit_attempt(attempt.id, T0)
        db.session.commit()
        ratings = dict(
            db.session.execute(
                select(ReviewCard.item_id, ReviewLog.rating).join(
                    ReviewLog, ReviewLog.card_id == ReviewCard.id
                )
            ).all()
        )
        assert [ratings[r.item_version.item_id] for r in rows] == [
            Rating.Hard,
            Rating.Good,
            Rating.Good,
        ]  # sure on a first sight is only good


def test_written_answers_get_no_card(app, cadre):
    with app.app_context():
        user = db.session.get(User, cadre.id)
        attempt = engine.start_or_resume_attempt(user, "written", T0)
        rows = engine.attempt_items(attempt)
        engine.save_responses(
            attempt,
            {
                row.id: (
                    ["1=先听双方的说法。"]
                    if row.item_version.kind == "case_analysis"
                    else ["1=人民调解委员会"]
                )
                for row in rows
            },
            T0,
        )
        engine.submit_attempt(attempt.id, T0)
        db.session.commit()
        assert set(cards_of(cadre.id)) == {"C1-001"}


def test_the_review_log_reads_as_the_fsrs_optimizer_wants(app, cadre):
    with app.app_context():
        user = db.session.get(User, cadre.id)
        answer_and_submit(user, "ability-a1", ["right", "wrong", "right"])
        db.session.commit()
        logs = practice.optimizer_log([cadre.id])
        assert len(logs) == 3 and practice.optimizer_log([cadre.id + 1]) == []
        data = logs[0].to_dict()
        assert set(data) == {"card_id", "rating", "review_datetime", "review_duration"}
        assert data["review_duration"] is None and data["rating"] in (1, 3)
