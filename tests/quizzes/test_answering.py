"""The autosave's statements in plain rows: what an answer is checked against, in one query, and
the compare-and-set that keeps the newest answer and leaves a final one alone."""

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.auth.models import User
from quizapp.db import begin_write
from quizapp.extensions import db
from quizapp.quizzes import answering, services
from quizapp.quizzes.models import (
    Attempt,
    AttemptClosed,
    AttemptItem,
    AttemptStatus,
    Confidence,
    DeadlinePassed,
    InvalidAnswer,
)
from quizapp.quizzes.settings import QuizMode
from tests.helpers import csrf_token, log_in

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
GRACE = timedelta(seconds=120)


@pytest.fixture
def started(app, cadre, loaded_bank) -> tuple[int, str, list[str]]:
    """An attempt in progress: its id, one single-choice item and that item's options."""
    with app.app_context():
        attempt = services.start_or_resume_attempt(db.session.get(User, cadre.id),
                                                   "ability-a1", T0, GRACE)
        db.session.commit()
        row = next(r for r in services.attempt_items(attempt)
                   if r.item_version.kind == "single")
        return attempt.id, row.item_version.item_id, list(row.option_order)


def save(attempt_id, item_id, response, seq, now=T0, confidence=None):
    begin_write(db.session)
    target = answering.answer_target(attempt_id, item_id)
    try:
        return answering.save_answer(target, response, seq, now, GRACE, confidence)
    finally:
        db.session.commit()


def stored_row(attempt_id, item_id) -> AttemptItem:
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    return next(r for r in services.attempt_items(attempt)
                if r.item_version.item_id == item_id)


def test_the_target_carries_what_an_answer_is_checked_against(app, cadre, started):
    attempt_id, item_id, options = started
    with app.app_context():
        target = answering.answer_target(attempt_id, item_id)
        row = stored_row(attempt_id, item_id)
        assert (target.id, target.user_id, target.status) == (attempt_id, cadre.id,
                                                              AttemptStatus.IN_PROGRESS)
        assert (target.row_id, target.position, target.kind) == (row.id, row.position, "single")
        assert list(target.option_order) == options
        assert target.seed == row.attempt.seed
        assert target.settings.mode == QuizMode.TEST
        assert target.content == row.item_version.content
        assert answering.answer_target(attempt_id, "A9-999") is None
        assert answering.answer_target(attempt_id + 1000, item_id) is None


def test_the_newest_answer_wins_and_a_stale_one_reports_it(app, started):
    attempt_id, item_id, options = started
    with app.app_context():
        assert save(attempt_id, item_id, [options[1]], 5) == ([options[1]], 5, True)
        assert save(attempt_id, item_id, [options[2]], 3) == ([options[1]], 5, False)
        assert save(attempt_id, item_id, [options[2]], 5) == ([options[1]], 5, False)
        assert save(attempt_id, item_id, [], 6) == (None, 6, True)  # cleared
        row = stored_row(attempt_id, item_id)
        assert (row.response, row.client_seq, row.answered_at) == (None, 6, T0)


def test_the_confidence_is_stored_with_the_answer(app, started):
    attempt_id, item_id, options = started
    with app.app_context():
        save(attempt_id, item_id, [options[0]], 1, confidence=Confidence.SURE)
        assert stored_row(attempt_id, item_id).confidence == Confidence.SURE


def test_an_answer_whose_key_was_shown_is_final(app, started):
    attempt_id, item_id, options = started
    with app.app_context():
        save(attempt_id, item_id, [options[0]], 1)
        services.check_answer(stored_row(attempt_id, item_id), T0)
        db.session.commit()
        assert save(attempt_id, item_id, [options[1]], 2) == ([options[0]], 1, False)


def test_refusals_write_nothing(app, started):
    attempt_id, item_id, options = started
    with app.app_context():
        with pytest.raises(InvalidAnswer):
            save(attempt_id, item_id, ["no-such-option"], 1)
        with pytest.raises(InvalidAnswer):  # a single choice takes one option
            save(attempt_id, item_id, options[:2], 1)
        db.session.execute(Attempt.__table__.update().where(Attempt.id == attempt_id)
                           .values(deadline_at=T0))
        db.session.commit()
        assert save(attempt_id, item_id, [options[0]], 1, now=T0 + GRACE).is_applied
        with pytest.raises(DeadlinePassed):
            save(attempt_id, item_id, [options[1]], 2, now=T0 + GRACE + timedelta(seconds=1))
        services.submit_attempt(attempt_id, T0, GRACE)
        db.session.commit()
        with pytest.raises(AttemptClosed):
            save(attempt_id, item_id, [options[1]], 3)
        assert stored_row(attempt_id, item_id).response == [options[0]]


def test_an_autosave_sends_two_statements_after_the_log_in_check(app, client, cadre, started,
                                                                   count_queries):
    attempt_id, item_id, options = started
    log_in(client, cadre)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    seq = iter(range(1, 100))

    def autosave() -> None:
        reply = client.put(f"/attempts/{attempt_id}/answers/{item_id}",
                           json={"response": [options[0]], "seq": next(seq)},
                           headers={"X-CSRFToken": token})
        assert reply.status_code == 200 and reply.get_json()["applied"]

    autosave()
    # The log-in check, then (BEGIN IMMEDIATE on SQLite) the target and the UPDATE.
    statements = count_queries(autosave)
    assert statements <= 4
