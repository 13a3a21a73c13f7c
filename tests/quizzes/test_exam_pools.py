"""Exam keys cannot be read through practice: an exam's pool is kept out of practice draws,
practice feedback and every other review while the exam is open or still to come."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import event

from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.cohorts import services as cohorts
from quizapp.db import begin_write, utcnow
from quizapp.extensions import db
from quizapp.quizzes import exam_pools, review
from quizapp.quizzes import services as attempts
from quizapp.quizzes.models import Attempt
from quizapp.quizzes.settings import QuizMode, QuizSettings, ReviewTime
from tests.helpers import csrf_token, log_in

pytestmark = pytest.mark.usefixtures("loaded_bank")

EXAM = {"max_attempts": 1, "show_answers": ReviewTime.AFTER_CLOSE,
            "show_keys": ReviewTime.NEVER, "show_explanations": ReviewTime.NEVER}


def set_exam(app, cadre, quiz_id="ability-a1", **settings):
    """A coordinator's cohort with the cadre in it and an exam on `quiz_id`."""
    with app.app_context():
        coordinator = db.session.scalar(db.select(User).where(User.role == Role.ADMIN))
        cohort = cohorts.create_cohort("考试班", "", coordinator)
        cohorts.add_member(cohort, db.session.get(User, cadre.id))
        exam = cohorts.create_assignment(cohort, quiz_id, QuizSettings(
            **({"closes_at": utcnow() + timedelta(days=1)} | EXAM | settings)))
        db.session.commit()
        return exam.id, list(exam.item_pool or [])


def start_exam(client, cadre, exam_id):
    """Log the cadre in and start the exam; the new attempt's id."""
    log_in(client, cadre)
    started = client.post(f"/assignments/{exam_id}/attempts",
                          data={"csrf_token": csrf_token(client, "/me/")})
    return int(re.search(r"/attempts/(\d+)", started.headers["Location"]).group(1))


def item_ids(app, attempt_id):
    with app.app_context():
        return {row.item_version.item_id
                for row in attempts.attempt_items(db.session.get(Attempt, attempt_id))}


def test_an_exam_reserves_its_pool_and_draws_only_from_it(app, cadre):
    exam_id, pool = set_exam(app, cadre, "mixed")
    # mixed draws A1 × 2 and A2 × 1; the pool holds up to twice that of each code
    assert {i[:2] for i in pool} == {"A1", "A2"} and 3 <= len(pool) <= 6
    with app.app_context():
        user = db.session.get(User, cadre.id)
        attempt = cohorts.start_assignment(user, exam_id, utcnow(), timedelta(0))
        db.session.commit()
        assert {r.item_version.item_id for r in attempts.attempt_items(attempt)} <= set(pool)


def test_practice_leaves_a_live_exams_items_out(app, client, cadre, configure_quiz):
    configure_quiz("mixed", mode=QuizMode.PRACTICE)
    configure_quiz("ability-a1", mode=QuizMode.PRACTICE)
    _, pool = set_exam(app, cadre)  # every A1 item of the test bank is in the exam's pool
    log_in(client, cadre)
    token = csrf_token(client, "/quizzes/")
    refused = client.post("/quizzes/ability-a1/attempts", data={"csrf_token": token})
    assert refused.status_code == 302 and "/attempts/" not in refused.headers["Location"]
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "这些题目已留作正在进行的考试之用" in page
    started = client.post("/quizzes/mixed/attempts", data={"csrf_token": token})
    attempt_id = int(re.search(r"/attempts/(\d+)", started.headers["Location"]).group(1))
    assert item_ids(app, attempt_id).isdisjoint(pool)


def test_older_reviews_and_practice_feedback_withhold_a_live_exams_keys(app, client, cadre,
                                                                         configure_quiz):
    configure_quiz("ability-a1", mode=QuizMode.PRACTICE)
    log_in(client, cadre)
    token = csrf_token(client, "/quizzes/")
    started = client.post("/quizzes/ability-a1/attempts", data={"csrf_token": token})
    attempt_id = int(re.search(r"/attempts/(\d+)", started.headers["Location"]).group(1))
    with app.app_context():
        rows = attempts.attempt_items(db.session.get(Attempt, attempt_id))
        first = rows[0]
        option = first.option_order[0]
        item_id = first.item_version.item_id
        stem = first.item_version.content["stem"]["zh"]
    answer = client.put(f"/attempts/{attempt_id}/answers/{item_id}",
                        json={"response": [option], "seq": 1},
                        headers={"X-CSRFToken": token})
    assert answer.status_code == 200 and "feedback" in answer.get_json()
    set_exam(app, cadre)  # the exam opens while the practice attempt is in progress
    again = client.put(f"/attempts/{attempt_id}/answers/{item_id}",
                       json={"response": [option], "seq": 2},
                       headers={"X-CSRFToken": token})
    assert again.get_json().get("feedback") is None
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    result = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert stem in result  # the cadre still sees his answer to it
    assert 'class="key' not in result and 'class="explanation' not in result
    assert "原文" not in result and "常见误区" not in result  # nor where it could be read
    assert "本题正用于一场进行中的考试" in result
    with app.app_context():
        assert item_id in exam_pools.withheld([item_id], utcnow())
        assert exam_pools.withheld([item_id], utcnow() + timedelta(days=2)) == set()


def test_a_closed_exam_secures_nothing_and_a_test_with_keys_is_no_exam(app, cadre):
    set_exam(app, cadre, closes_at=utcnow() - timedelta(minutes=1))
    set_exam(app, cadre, "mixed", show_keys=ReviewTime.AFTER_SUBMIT)
    with app.app_context():
        assert exam_pools.secured_item_ids(utcnow()) == set()


def test_an_exam_result_shows_no_per_part_scores(app, client, cadre):
    exam_id, _ = set_exam(app, cadre, "mixed")
    attempt_id = start_exam(client, cadre, exam_id)
    client.post(f"/attempts/{attempt_id}/submit",
                data={"csrf_token": csrf_token(client, f"/attempts/{attempt_id}")})
    result = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert 'class="subscores"' not in result


def test_a_removed_member_cannot_go_on_and_keeps_what_he_saved(app, client, cadre):
    exam_id, _ = set_exam(app, cadre, "mixed")
    attempt_id = start_exam(client, cadre, exam_id)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    with app.app_context():
        row = attempts.attempt_items(db.session.get(Attempt, attempt_id))[0]
        item_id, option = row.item_version.item_id, row.option_order[0]
    saved = client.put(f"/attempts/{attempt_id}/answers/{item_id}",
                       json={"response": [option], "seq": 1}, headers={"X-CSRFToken": token})
    assert saved.status_code == 200
    with app.app_context():
        exam = db.session.get(cohorts.Assignment, exam_id)
        admin = db.session.scalar(db.select(User).where(User.role == Role.ADMIN))
        cohorts.remove_member(exam.cohort, cadre.id, admin)
        db.session.commit()
    late = client.put(f"/attempts/{attempt_id}/answers/{item_id}",
                      json={"response": [option], "seq": 2}, headers={"X-CSRFToken": token})
    assert late.status_code == 409
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == "graded"
        assert attempts.attempt_items(attempt)[0].response == [option]


def test_the_reviews_one_query_reads_the_labels_and_withholds_as_the_two_did(app, cadre,
                                                                              count_queries):
    exam_id, pool = set_exam(app, cadre)
    with app.test_request_context("/"):
        now, wanted = utcnow(), set(pool[:2]) | {"not-in-any-pool"}
        for lang in ("zh", "en"):
            for excepted in (None, exam_id):
                labels, secret = review.labels_and_withheld(wanted, lang, now, excepted)
                assert secret == exam_pools.withheld(wanted, now, excepted)
                assert labels == review._misconception_labels(lang)
        assert secret == set() and review.labels_and_withheld(wanted, "zh", now)[1] == \
            set(pool[:2])
        assert labels and count_queries(
            lambda: review.labels_and_withheld(wanted, "zh", now)) == 1


def practice_items(app, cadre, when=None) -> set[str]:
    """The items of a practice start of `mixed` (A1 × 2, A2 × 1), handed in at once."""
    when = when or utcnow()
    with app.app_context():
        begin_write(db.session)
        attempt = attempts.start_or_resume_attempt(db.session.get(User, cadre.id), "mixed",
                                                   when)
        db.session.commit()
        shown = {row.item_version.item_id for row in attempts.attempt_items(attempt)}
        attempts.submit_attempt(attempt.id, when, timedelta(0))
        db.session.commit()
        return shown


def test_kept_pools_save_a_start_its_exam_pools_query(app, cadre):
    def statements_of_a_start() -> list[str]:
        sent: list[str] = []
        with app.app_context():
            engine = db.engine
        listener = lambda conn, cursor, statement, *args: sent.append(statement)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            practice_items(app, cadre)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return [s for s in sent if "FROM assignments" in s]

    practice_items(app, cadre)
    exam_pools.clear()
    assert len(statements_of_a_start()) == 1  # read, and kept at the bank's revision
    assert statements_of_a_start() == []


def test_an_exam_set_after_the_pools_were_kept_is_left_out_of_the_next_start(app, cadre):
    assert any(item.startswith("A1") for item in practice_items(app, cadre))
    _, pool = set_exam(app, cadre)  # a write to assignments: the kept pools are read again
    assert practice_items(app, cadre).isdisjoint(pool)


def test_an_exam_that_closes_by_the_clock_frees_its_items_from_kept_pools(app, cadre):
    _, pool = set_exam(app, cadre)  # closes in a day
    assert practice_items(app, cadre).isdisjoint(pool)
    later = practice_items(app, cadre, utcnow() + timedelta(days=2))  # no write in between
    assert later & set(pool)
