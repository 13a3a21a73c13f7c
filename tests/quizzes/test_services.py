"""The attempt engine against a real database: deadlines, grace, attempts, overdue, answers."""

import shutil
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from quizapp.auth.models import User
from quizapp.bank.models import ItemVersion
from quizapp.extensions import db
from quizapp.quizzes import services
from quizapp.quizzes.models import Attempt, AttemptStatus
from quizapp.quizzes.settings import OverdueAction
from tests.helpers import TEST_BANK

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
GRACE = timedelta(seconds=120)


@pytest.fixture
def start(app, cadre, configure_quiz):
    """Start an attempt for the cadre at a given time; returns its id."""

    def do(now=T0, quiz_id="ability-a1"):
        with app.app_context():
            user = db.session.get(User, cadre.id)
            attempt = services.start_or_resume_attempt(user, quiz_id, now, GRACE)
            db.session.commit()
            return attempt.id

    return do


def first_row(attempt_id):
    return services.attempt_items(db.session.get(Attempt, attempt_id))[0]


def test_deadline_comes_from_time_limit(app, start, configure_quiz):
    configure_quiz(time_limit_minutes=15)
    attempt_id = start()
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.deadline_at == T0 + timedelta(minutes=15)
        assert services.seconds_left(attempt, T0 + timedelta(minutes=5)) == 600
        assert services.seconds_left(attempt, T0 + timedelta(hours=1)) == 0


def test_newest_answer_wins_and_stale_replays_are_ignored(app, start):
    attempt_id = start()
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        row = first_row(attempt_id)
        options = row.option_order
        assert services.save_answer(attempt, row, [options[0]], 5, T0, GRACE).is_applied
        stale = services.save_answer(attempt, row, [options[1]], 3, T0, GRACE)
        assert not stale.is_applied
        assert stale.row.response == [options[0]]
        assert stale.row.client_seq == 5
        assert services.save_answer(attempt, row, [options[1]], 6, T0, GRACE).is_applied
        db.session.commit()
        assert first_row(attempt_id).response == [options[1]]


def test_answers_within_the_sync_grace_are_kept_later_ones_refused(app, start, configure_quiz):
    configure_quiz(time_limit_minutes=10)
    attempt_id = start()
    deadline = T0 + timedelta(minutes=10)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        row = first_row(attempt_id)
        late_but_in_grace = deadline + GRACE - timedelta(seconds=1)
        services.save_answer(attempt, row, [row.option_order[0]], 1, late_but_in_grace, GRACE)
        with pytest.raises(services.DeadlinePassed):
            services.save_answer(attempt, row, [row.option_order[1]], 2,
                                 deadline + GRACE + timedelta(seconds=1), GRACE)
        db.session.commit()
        assert first_row(attempt_id).response == [row.option_order[0]]


def test_invalid_answers_are_refused(app, start):
    attempt_id = start()
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        rows = services.attempt_items(attempt)
        single = next(r for r in rows if r.item_version.kind == "single")
        with pytest.raises(services.InvalidAnswer):
            services.save_answer(attempt, single, ["zz"], 1, T0, GRACE)
        with pytest.raises(services.InvalidAnswer):
            services.save_answer(attempt, single, single.option_order[:2], 1, T0, GRACE)


@pytest.mark.parametrize(("action", "final", "graded"), [
    (OverdueAction.AUTOSUBMIT, AttemptStatus.GRADED, True),
    (OverdueAction.CLOSE, AttemptStatus.OVERDUE, False),
])
def test_close_overdue_follows_the_quiz_setting(app, start, configure_quiz, action, final,
                                                graded):
    configure_quiz(time_limit_minutes=10, overdue_action=action)
    attempt_id = start()
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        row = first_row(attempt_id)
        key = row.item_version.content["key"]
        services.save_answer(attempt, row, key, 1, T0, GRACE)
        db.session.commit()
        # Not yet: still within the deadline plus grace.
        assert services.close_overdue_attempts(T0 + timedelta(minutes=11), GRACE) == []
        closed = services.close_overdue_attempts(T0 + timedelta(minutes=13), GRACE)
        db.session.commit()
        assert [a.id for a in closed] == [attempt_id]
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == final
        assert (attempt.score == 1.0) is graded


def test_submit_after_grace_takes_the_overdue_path(app, start, configure_quiz):
    configure_quiz(time_limit_minutes=10)
    attempt_id = start()
    with app.app_context():
        outcome = services.submit_attempt(attempt_id, T0 + timedelta(minutes=30), GRACE)
        db.session.commit()
        assert outcome.graded_now
        assert outcome.attempt.status == AttemptStatus.GRADED
        assert outcome.attempt.submitted_at == T0 + timedelta(minutes=30)


def test_attempt_limit_and_window(app, start, configure_quiz):
    configure_quiz(max_attempts=1, closes_at=T0 + timedelta(days=1))
    attempt_id = start()
    assert start() == attempt_id  # resuming does not use an attempt
    with app.app_context():
        services.submit_attempt(attempt_id, T0, GRACE)
        db.session.commit()
    with pytest.raises(services.NoAttemptsLeft):
        start(T0 + timedelta(minutes=1))
    configure_quiz(closes_at=T0)
    with pytest.raises(services.WindowClosed):
        start(T0 + timedelta(minutes=1))


def test_an_overdue_attempt_is_closed_on_resume(app, start, configure_quiz):
    configure_quiz(time_limit_minutes=5)
    first = start()
    second = start(T0 + timedelta(hours=1))
    assert second != first
    with app.app_context():
        assert db.session.get(Attempt, first).status == AttemptStatus.GRADED


def test_attempts_keep_the_version_they_showed(app, start, runner, tmp_path):
    attempt_id = start()
    with app.app_context():
        versions = {row.item_version.item_id: row.item_version.version
                    for row in services.attempt_items(db.session.get(Attempt, attempt_id))}
    assert set(versions.values()) == {1}
    bank = tmp_path / "bank"
    shutil.copytree(TEST_BANK, bank)
    path = bank / "items" / "a1.yaml"
    path.write_text(path.read_text().replace("Keep learning", "Keep on learning"))
    assert runner.invoke(args=["bank", "load", str(bank)]).exit_code == 0
    with app.app_context():
        rows = services.attempt_items(db.session.get(Attempt, attempt_id))
        assert {row.item_version.version for row in rows} == {1}
        assert db.session.scalar(select(func.max(ItemVersion.version))) == 2
