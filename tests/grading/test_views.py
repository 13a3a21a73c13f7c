"""Written answers end to end: typed and autosaved, handed in, graded from the queue by the
cohort's coordinator with the rubric, released, and seen by the cadre."""

import re

import pytest
from sqlalchemy import select

from quizapp.audit.models import AuditAction, AuditEvent
from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.cohorts.services import add_member, create_cohort
from quizapp.extensions import db
from quizapp.quizzes import services
from quizapp.quizzes.models import Attempt, AttemptStatus, CodeRollup
from tests.helpers import csrf_token, log_in

pytestmark = pytest.mark.usefixtures("loaded_bank")


@pytest.fixture
def coordinator(app, make_user, cadre):
    """The coordinator of a cohort the cadre belongs to."""
    account = make_user(Role.COORDINATOR, "coord")
    with app.app_context():
        cohort = create_cohort("一班", "", db.session.get(User, account.id))
        add_member(cohort, db.session.get(User, cadre.id))
        db.session.commit()
    return account


def written_attempt(app, client, cadre) -> tuple[int, dict[str, int]]:
    """Start the quiz of a fill-in and a case analysis; returns the attempt and row ids."""
    log_in(client, cadre)
    token = csrf_token(client, "/quizzes/")
    response = client.post("/quizzes/written/attempts", data={"csrf_token": token})
    attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        rows = services.attempt_items(db.session.get(Attempt, attempt_id))
        return attempt_id, {r.item_version.item_id: r.id for r in rows}


def test_typed_answers_autosave_and_wait_for_grading(app, client, cadre, coordinator):
    attempt_id, _ = written_attempt(app, client, cadre)
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert 'data-answer="texts"' in page and "<textarea" in page and "（1）______" in page
    token = csrf_token(client, f"/attempts/{attempt_id}")
    headers = {"X-CSRFToken": token}
    saved = client.put(f"/attempts/{attempt_id}/answers/C1-001", headers=headers,
                       json={"response": ["1=调委会"], "seq": 1})
    assert saved.status_code == 200 and saved.get_json()["response"] == ["1=调委会"]
    too_long = client.put(f"/attempts/{attempt_id}/answers/C1-002", headers=headers,
                          json={"response": ["1=" + "字" * 301], "seq": 2})
    assert too_long.status_code == 400
    essay = "先分别听取两户意见，再查确权材料。"
    assert client.put(f"/attempts/{attempt_id}/answers/C1-002", headers=headers,
                      json={"response": [f"1={essay}"], "seq": 3}).status_code == 200

    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token, "autosaved": "1"})
    result = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "等待协调员评分" in result
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == AttemptStatus.AWAITING_GRADING
        assert attempt.score == 1.0  # the fill-in, scored at once
        assert db.session.scalars(select(CodeRollup)).all() == []  # counted on release


def test_only_the_cohorts_coordinator_grades_and_the_cadre_sees_the_released_grade(
        app, client, cadre, coordinator, make_user):
    attempt_id, rows = written_attempt(app, client, cadre)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    client.put(f"/attempts/{attempt_id}/answers/C1-002", headers={"X-CSRFToken": token},
               json={"response": ["1=先听两户的说法。"], "seq": 1})
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token, "autosaved": "1"})
    assert client.get("/grading/").status_code == 403  # a cadre has no queue

    other = make_user(Role.COORDINATOR, "other")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/quizzes/")})
    log_in(client, other)
    assert "先听两户" not in client.get("/grading/").get_data(as_text=True)
    assert client.get(f"/grading/attempts/{attempt_id}").status_code == 404

    client.post("/logout", data={"csrf_token": csrf_token(client, "/grading/")})
    log_in(client, coordinator)
    queue = client.get("/grading/").get_data(as_text=True)
    assert f"/grading/attempts/{attempt_id}" in queue
    page = client.get(f"/grading/attempts/{attempt_id}").get_data(as_text=True)
    assert "先听两户的说法。" in page and 'name="points-a"' in page
    token = csrf_token(client, f"/grading/attempts/{attempt_id}")
    row = rows["C1-002"]
    # Releasing before every answer is graded, or grading without every criterion, fails.
    client.post(f"/grading/attempts/{attempt_id}/release", data={"csrf_token": token})
    client.post(f"/grading/attempts/{attempt_id}/answers/{row}",
                data={"csrf_token": token, "points-a": "2", "comment": "x"})
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == AttemptStatus.AWAITING_GRADING
        case = next(r for r in services.attempt_items(db.session.get(Attempt, attempt_id))
                    if r.id == row)
        assert case.manual_grade is None
    client.post(f"/grading/attempts/{attempt_id}/answers/{row}",
                data={"csrf_token": token, "points-a": "1", "points-b": "2",
                      "comment": "听了双方，但没有核实材料。"})
    client.post(f"/grading/attempts/{attempt_id}/release", data={"csrf_token": token})
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == AttemptStatus.GRADED
        assert attempt.score == pytest.approx(0.75)  # fill-in unanswered, case 3 of 4
        assert db.session.scalars(select(CodeRollup.earned)).all() == [pytest.approx(0.75)]
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {AuditAction.ANSWER_GRADED, AuditAction.GRADE_RELEASED} <= actions

    client.post("/logout", data={"csrf_token": csrf_token(client, "/grading/")})
    log_in(client, cadre)
    result = client.get(f"/attempts/{attempt_id}/result?lang=en").get_data(as_text=True)
    assert "听了双方，但没有核实材料。" in result
    assert re.search(r"1 / 2", result) and "Hears both sides" in result
