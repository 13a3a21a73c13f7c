"""Real concurrency: threads released together by a barrier, on SQLite and on PostgreSQL."""

import threading
from datetime import UTC, datetime, timedelta

from quizapp.auth.models import User
from quizapp.db import begin_write
from quizapp.extensions import db
from quizapp.quizzes import services
from quizapp.quizzes.models import Attempt, AttemptStatus

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
GRACE = timedelta(seconds=120)
CALLERS = 10


def run_together(app, work):
    """Run work(i) in CALLERS threads that start at the same instant; collect results."""
    barrier = threading.Barrier(CALLERS)
    results, errors = [None] * CALLERS, []

    def worker(index):
        with app.app_context():
            try:
                barrier.wait()
                results[index] = work(index)
            except Exception as exc:
                errors.append((index, repr(exc)))
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


def started_attempt(app, cadre):
    with app.app_context():
        attempt = services.start_or_resume_attempt(db.session.get(User, cadre.id),
                                                   "ability-a1", T0, GRACE)
        for row in services.attempt_items(attempt):
            row.response = row.item_version.content["key"]
        db.session.commit()
        return attempt.id


def test_ten_concurrent_submits_grade_exactly_once(app, cadre, loaded_bank):
    attempt_id = started_attempt(app, cadre)

    def submit(_):
        begin_write(db.session)
        outcome = services.submit_attempt(attempt_id, T0 + timedelta(minutes=1), GRACE)
        db.session.commit()
        return outcome.graded_now, outcome.attempt.score, outcome.attempt.graded_at

    results = run_together(app, submit)
    assert sum(1 for graded_now, _, _ in results if graded_now) == 1
    assert {(score, graded_at) for _, score, graded_at in results} == {
        (3.0, T0 + timedelta(minutes=1))}
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == AttemptStatus.GRADED


def test_concurrent_saves_keep_the_highest_sequence_number(app, cadre, loaded_bank):
    attempt_id = started_attempt(app, cadre)
    with app.app_context():
        row = services.attempt_items(db.session.get(Attempt, attempt_id))[0]
        row_id, options = row.id, row.option_order

    def save(index):
        begin_write(db.session)
        attempt = db.session.get(Attempt, attempt_id)
        row = next(r for r in services.attempt_items(attempt) if r.id == row_id)
        answer = [options[index % len(options)]]
        saved = services.save_answer(attempt, row, answer, index + 1, T0, GRACE)
        db.session.commit()
        return saved.is_applied

    run_together(app, save)
    with app.app_context():
        row = next(r for r in services.attempt_items(db.session.get(Attempt, attempt_id))
                   if r.id == row_id)
        assert row.client_seq == CALLERS
        assert row.response == [options[(CALLERS - 1) % len(options)]]


def test_concurrent_starts_make_one_attempt(app, cadre, loaded_bank):
    def begin(_):
        begin_write(db.session)
        attempt = services.start_or_resume_attempt(db.session.get(User, cadre.id),
                                                   "ability-a1", T0, GRACE)
        db.session.commit()
        return attempt.id

    assert len(set(run_together(app, begin))) == 1
