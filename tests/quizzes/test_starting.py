"""Starting an attempt in a few statements: the quiz with the cadre's state, the draw, the
drawn versions without their content, and two writes; a start racing another one resumes it."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, inspect, select

from quizapp.auth.models import User
from quizapp.db import begin_write
from quizapp.extensions import db
from quizapp.quizzes import services, starting
from quizapp.quizzes.models import Attempt, AttemptItem, AttemptStatus
from tests.helpers import option_order

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
GRACE = timedelta(seconds=120)


def start(app, cadre) -> int:
    with app.app_context():
        begin_write(db.session)
        attempt = services.start_or_resume_attempt(
            db.session.get(User, cadre.id), "ability-a1", T0, GRACE
        )
        db.session.commit()
        return attempt.id


def hand_in(app, attempt_id: int) -> None:
    with app.app_context():
        services.submit_attempt(attempt_id, T0, GRACE)
        db.session.commit()


def test_a_start_sends_a_few_statements(app, cadre, loaded_bank, count_queries):
    hand_in(app, start(app, cadre))  # the versions' content is cached from now on
    statements = count_queries(lambda: start(app, cadre))
    # The cadre (as the session loader reads him), then the quiz with his state and the
    # bank's revision, the live exams, the items he has seen, the attempt and its rows (and
    # BEGIN IMMEDIATE on SQLite); the pool and its current versions are kept by the process
    # (`bank_pools`). It was 15 on SQLite and 12 on PostgreSQL, then 9.
    assert statements <= 7, statements


def test_the_state_counts_attempts_in_the_same_context_only(app, cadre, loaded_bank):
    first = start(app, cadre)
    with app.app_context():
        quiz, open_id, used, _ = starting.quiz_and_state(cadre.id, "ability-a1", None)
        assert (quiz.id, open_id, used) == ("ability-a1", first, 0)
        assert starting.quiz_and_state(cadre.id, "ability-a1", 999)[1:3] == (None, 0)
        assert starting.quiz_and_state(cadre.id, "no-such-quiz", None) == (None, None, 0, None)
    hand_in(app, first)
    second = start(app, cadre)
    with app.app_context():
        assert starting.quiz_and_state(cadre.id, "ability-a1", None)[1:3] == (second, 1)


def test_rows_keep_the_kinds_seeded_option_order(app, cadre, loaded_bank):
    attempt_id = start(app, cadre)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        for row in services.attempt_items(attempt):
            ids = [o["id"] for o in row.item_version.content["options"]]
            assert row.option_order == option_order(
                ids, row.item_version.kind, attempt.seed, row.position
            )


def test_an_attempt_in_progress_is_not_inserted_twice(app, cadre, loaded_bank):
    """What a start that lost the race to another sees: nothing written, the other resumed."""
    first = start(app, cadre)
    with app.app_context():
        values = {
            "user_id": cadre.id,
            "quiz_id": "ability-a1",
            "assignment_id": None,
            "settings": {},
            "seed": 1,
            "started_at": T0,
            "deadline_at": None,
            "status": AttemptStatus.IN_PROGRESS,
        }
        row = {
            "position": 1,
            "item_version_id": db.session.scalar(
                select(AttemptItem.item_version_id).where(AttemptItem.attempt_id == first)
            ),
            "code": "A1",
            "option_order": [],
            "max_score": 1.0,
        }
        assert starting.insert_attempt(values, [row]) is None
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
        assert (
            db.session.scalar(
                select(func.count()).select_from(AttemptItem).where(AttemptItem.attempt_id != first)
            )
            == 0
        )
        db.session.rollback()


def test_the_new_attempt_is_in_the_session_as_stored_with_nothing_left_to_write(
    app, cadre, loaded_bank, count_queries
):
    """The attempt is written as a row and handed back as if read: every column as stored,
    nothing pending, its quiz the one the start read."""
    with app.app_context():
        begin_write(db.session)
        attempt = services.start_or_resume_attempt(
            db.session.get(User, cadre.id), "ability-a1", T0, GRACE
        )
        assert inspect(attempt).persistent
        assert not db.session.dirty and not db.session.new
        handed = {c.key: getattr(attempt, c.key) for c in Attempt.__table__.c}
        assert count_queries(lambda: attempt.quiz) == 0
        assert count_queries(db.session.commit) <= 1  # the COMMIT, no UPDATE
        db.session.expire_all()
        stored = db.session.get(Attempt, handed["id"])
        assert {c.key: getattr(stored, c.key) for c in Attempt.__table__.c} == handed
        assert handed["status"] == AttemptStatus.IN_PROGRESS and handed["started_at"] == T0
