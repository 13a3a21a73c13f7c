"""The quiz flow over HTTP: start, answer, submit, review, history, and who may see what."""

import re

import pytest
from sqlalchemy import select

from quizapp.auth.roles import Role
from quizapp.extensions import db
from quizapp.quizzes.models import Attempt, AttemptItem, AttemptStatus
from tests.helpers import (
    answers_for,
    attempt_rows,
    csrf_token,
    log_in,
    match_numbers,
    start_quiz,
)

pytestmark = pytest.mark.usefixtures("loaded_bank")


def test_quiz_list_shows_quizzes_with_items_only(client, cadre):
    log_in(client, cadre)
    page = client.get("/quizzes/").get_data(as_text=True)
    assert "能力一测验" in page
    assert "混合测验" in page
    assert "暂无题目" not in page  # its code has no items


def test_start_resume_and_the_same_order_on_reload(app, client, cadre):
    log_in(client, cadre)
    attempt_id = start_quiz(client)
    assert start_quiz(client) == attempt_id  # resumes the attempt in progress
    first = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    second = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    strip = re.compile(r'name="csrf_token"[^>]*>')
    assert strip.sub("", first) == strip.sub("", second)
    assert len(attempt_rows(app, attempt_id)) == 3


def test_save_then_submit_scores_and_review_shows_explanations(app, client, cadre):
    log_in(client, cadre)
    attempt_id = start_quiz(client)
    rows = attempt_rows(app, attempt_id)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    response = client.post(f"/attempts/{attempt_id}",
                           data={"csrf_token": token, **answers_for(rows)})
    assert response.status_code == 302
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert page.count("checked") == 4  # single + two keys of the multiple + true/false

    response = client.post(f"/attempts/{attempt_id}/submit",
                           data={"csrf_token": token, **answers_for(rows)})
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/result")
    result = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "得分：3 / 3（100%）" in result
    assert "以身作则、公开透明才能树立威信。" in result  # an option's explanation
    assert "常见误区：" in result
    assert "以命令代替说服" in result
    assert "ability to establish our own prestige" in result  # locator
    assert "《如何提高做好群众工作的能力》" in result  # the document's title, never its file
    assert "000_" not in result
    english = client.get(f"/attempts/{attempt_id}/result?lang=en").get_data(as_text=True)
    assert "Score: 3 of 3 (100%)" in english
    assert "How to Improve the Ability to Do Mass Work Well" in english
    assert "Openness and example build standing." in english


def test_wrong_and_partial_answers_score_accordingly(app, client, cadre):
    log_in(client, cadre)
    attempt_id = start_quiz(client)
    rows = attempt_rows(app, attempt_id)
    data = answers_for(rows, correct=False)
    multiple = next(r for r in rows if r[1] == "A1-002")
    data[f"item_{multiple[0]}"] = ["a"]  # half of the key
    token = csrf_token(client, f"/attempts/{attempt_id}")
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token, **data})
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == AttemptStatus.GRADED
        assert (attempt.score, attempt.max_score) == (0.5, 3.0)


def test_submit_twice_grades_once(app, client, cadre):
    log_in(client, cadre)
    attempt_id = start_quiz(client)
    rows = attempt_rows(app, attempt_id)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token, **answers_for(rows)})
    with app.app_context():
        first = db.session.get(Attempt, attempt_id).submitted_at
    again = client.post(f"/attempts/{attempt_id}/submit",
                        data={"csrf_token": token, **answers_for(rows, correct=False)})
    assert again.status_code == 302
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.submitted_at == first
        assert attempt.score == 3.0
    # Saving into a submitted attempt is refused without changing anything.
    client.post(f"/attempts/{attempt_id}", data={"csrf_token": token})
    assert client.get(f"/attempts/{attempt_id}").status_code == 302


def test_an_unknown_option_is_refused_and_nothing_saved(app, client, cadre):
    log_in(client, cadre)
    attempt_id = start_quiz(client)
    rows = attempt_rows(app, attempt_id)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    data = answers_for(rows)
    data[f"item_{rows[0][0]}"] = ["zz"]
    response = client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token, **data})
    assert response.status_code == 400
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == AttemptStatus.IN_PROGRESS
        assert all(row.response is None for row in db.session.scalars(
            select(AttemptItem).where(AttemptItem.attempt_id == attempt_id)))


def test_posting_without_csrf_is_rejected(client, cadre):
    log_in(client, cadre)
    assert client.post("/quizzes/ability-a1/attempts").status_code == 400
    attempt_id = start_quiz(client)
    assert client.post(f"/attempts/{attempt_id}/submit").status_code == 400


def test_another_cadres_attempt_is_404_everywhere(app, client, cadre, make_user):
    log_in(client, cadre)
    attempt_id = start_quiz(client)
    other = make_user(Role.CADRE, "other_cadre")
    other_client = app.test_client()
    log_in(other_client, other)
    token = csrf_token(other_client, "/quizzes/")
    assert other_client.get(f"/attempts/{attempt_id}").status_code == 404
    assert other_client.get(f"/attempts/{attempt_id}/result").status_code == 404
    assert other_client.post(f"/attempts/{attempt_id}",
                             data={"csrf_token": token}).status_code == 404
    assert other_client.post(f"/attempts/{attempt_id}/submit",
                             data={"csrf_token": token}).status_code == 404
    assert other_client.get("/attempts/999999").status_code == 404


def test_unknown_or_empty_quiz_is_404(client, cadre):
    log_in(client, cadre)
    token = csrf_token(client, "/quizzes/")
    assert client.post("/quizzes/nope/attempts", data={"csrf_token": token}).status_code == 404
    assert client.post("/quizzes/empty-c6/attempts", data={"csrf_token": token}).status_code == 404


def test_history_lists_own_attempts_only(app, client, cadre, make_user):
    log_in(client, cadre)
    start_quiz(client)
    page = client.get("/me/attempts").get_data(as_text=True)
    assert "能力一测验" in page
    assert "进行中" in page
    other_client = app.test_client()
    log_in(other_client, make_user(Role.CADRE, "someone_else"))
    assert "能力一测验" not in other_client.get("/me/attempts").get_data(as_text=True)


def test_mixed_quiz_shows_subscores_per_code(app, client, cadre):
    log_in(client, cadre)
    attempt_id = start_quiz(client, "mixed")
    rows = attempt_rows(app, attempt_id)
    assert sorted(r[1][:2] for r in rows) == ["A1", "A1", "A2"]
    token = csrf_token(client, f"/attempts/{attempt_id}")
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    page = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "A1 在群众中树立威信" in page
    assert "A2 在学习中提高工作方法" in page
    assert "未作答" in page


def test_self_assessment_is_rated_not_scored(app, client, cadre):
    log_in(client, cadre)
    listing = client.get("/quizzes/").get_data(as_text=True)
    assert "自我评估" in listing
    assert "3 条陈述" in listing
    attempt_id = start_quiz(client, "self-a1")
    rows = attempt_rows(app, attempt_id)
    assert [r[1] for r in rows] == ["self-a1-01", "self-a1-02", "self-a1-03"]  # in order
    assert all(r[3] == ["1", "2", "3", "4", "5", "na"] for r in rows)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    # Statement 2 is reverse-worded: a 1 there counts as 5; "not met yet" counts not at all.
    ratings = {f"item_{rows[0][0]}": "4", f"item_{rows[1][0]}": "1",
               f"item_{rows[2][0]}": "na"}
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token, **ratings})
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.self_rating == 4.5
        assert attempt.max_score == 0
    page = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "自评：4.5 / 5" in page
    assert "self-rating 4.5 / 5" in client.get("/me/attempts?lang=en").get_data(as_text=True)
    detail = client.get("/quizzes/self-a1?lang=zh").get_data(as_text=True)
    assert "想想最近三个月，如实作答" in detail  # the instructions, before starting


def test_matching_ordering_and_judgement_through_the_form(app, client, cadre):
    log_in(client, cadre)
    attempt_id = start_quiz(client, "kinds")
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "把问题与对策配对" in page and "<select" in page
    rows = {r[1]: r for r in attempt_rows(app, attempt_id)}
    token = csrf_token(client, f"/attempts/{attempt_id}")
    number = match_numbers(app, attempt_id, "B-001")  # the page names matches by number
    assert re.search(r'<option value="[a-h]"', page) is None  # never by their option's id
    data = {
        f"item_{rows['B-001'][0]}": [f"a={number['a']}", f"b={number['c']}",
                                     f"c={number['b']}", ""],   # one of three pairs right
        f"item_{rows['B-002'][0]}": ["b=1", "a=2", "c=3"],       # the key order
        f"item_{rows['B-003'][0]}": ["a=4", "b=2"],              # b a step off, the order kept
    }
    response = client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token, **data})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.score == pytest.approx(1 / 3 + 1 + 1, abs=1e-5)
    result = client.get(f"/attempts/{attempt_id}/result?lang=en").get_data(as_text=True)
    assert "Your answer: Build up grassroots organisations · Key: Training and study" in result
    assert "Your answer: 2 · of little use · Key: 1 · counter-productive" in result


def test_paired_answers_are_validated(app, client, cadre):
    log_in(client, cadre)
    attempt_id = start_quiz(client, "kinds")
    token = csrf_token(client, f"/attempts/{attempt_id}")
    for bad in (["a=1", "b=1"], ["a=9"], ["z=1"]):
        response = client.put(f"/attempts/{attempt_id}/answers/B-002",
                              json={"response": bad, "seq": 1},
                              headers={"X-CSRFToken": token})
        assert response.status_code == 400, bad


def test_detail_page_shows_settings_and_the_grade_that_counts(app, client, cadre,
                                                               configure_quiz):
    configure_quiz(time_limit_minutes=20, max_attempts=3, grading_method="highest",
                   pass_percent=60)
    log_in(client, cadre)
    for correct in (True, False):
        attempt_id = start_quiz(client)
        rows = attempt_rows(app, attempt_id)
        token = csrf_token(client, f"/attempts/{attempt_id}")
        client.post(f"/attempts/{attempt_id}/submit",
                    data={"csrf_token": token, **answers_for(rows, correct)})
    page = client.get("/quizzes/ability-a1?lang=en").get_data(as_text=True)
    assert "20 minutes" in page
    assert "2 of 3 used" in page
    assert "100%" in page  # the highest of 100% and 0%
    assert "60%" in page


def test_a_submit_flagged_autosaved_keeps_the_saved_answers(app, client, cadre):
    """A tab whose answers were all autosaved must not wipe them (or newer ones) on submit."""
    log_in(client, cadre)
    attempt_id = start_quiz(client)
    rows = attempt_rows(app, attempt_id)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    client.post(f"/attempts/{attempt_id}", data={"csrf_token": token, **answers_for(rows)})
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token,
                                                        "autosaved": "1"})
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).score == 3.0


def test_settings_refuse_a_date_that_would_overflow_deadlines(app, client, admin):
    log_in(client, admin)
    token = csrf_token(client, "/quizzes/ability-a1/settings")
    response = client.post("/quizzes/ability-a1/settings", data={
        "csrf_token": token, "closes_at": "9999-12-31T23:59", "grading_method": "highest",
        "mode": "test", "show_answers": "after_submit", "show_keys": "after_submit",
        "show_explanations": "after_submit", "overdue_action": "autosubmit"})
    assert response.status_code == 400
    assert "2000 年到 2100 年" in response.get_data(as_text=True)


def test_only_admins_change_a_quizs_platform_wide_settings(client, admin, make_user):
    """A coordinator switching a quiz to practice mode would hand its keys to everyone."""
    log_in(client, make_user(Role.COORDINATOR))
    assert client.get("/quizzes/ability-a1/settings").status_code == 403
    assert "/settings" not in client.get("/quizzes/ability-a1").get_data(as_text=True)
