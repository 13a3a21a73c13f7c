"""`PUT /attempts/<id>/answers/<item_id>`: the autosave endpoint."""

import pytest

from quizapp.auth.roles import Role
from quizapp.extensions import db
from quizapp.quizzes import services
from quizapp.quizzes.models import Attempt
from tests.helpers import csrf_token, log_in, start_quiz


@pytest.fixture
def attempt(app, client, cadre, loaded_bank):
    log_in(client, cadre)
    attempt_id = start_quiz(client)
    with app.app_context():
        rows = services.attempt_items(db.session.get(Attempt, attempt_id))
        items = {row.item_version.item_id: row.option_order for row in rows}
    token = csrf_token(client, f"/attempts/{attempt_id}")
    return attempt_id, items, token


def put(client, attempt_id, item_id, token, body):
    return client.put(f"/attempts/{attempt_id}/answers/{item_id}", json=body,
                      headers={"X-CSRFToken": token, "Accept": "application/json"})


def test_saves_and_answers_with_the_saved_state(client, attempt):
    attempt_id, _items, token = attempt
    response = put(client, attempt_id, "A1-001", token, {"response": ["a"], "seq": 1})
    assert response.status_code == 200
    body = response.get_json()
    assert body == {"item_id": "A1-001", "response": ["a"], "seq": 1, "saved": True,
                    "applied": True, "seconds_left": None}
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert 'data-item-id="A1-001" data-seq="1"' in page


def test_a_stale_replay_is_ignored_and_reports_the_newer_answer(client, attempt):
    attempt_id, _, token = attempt
    put(client, attempt_id, "A1-002", token, {"response": ["a", "b"], "seq": 7})
    stale = put(client, attempt_id, "A1-002", token, {"response": ["c"], "seq": 4}).get_json()
    assert stale["applied"] is False
    assert stale["response"] == ["a", "b"]
    assert stale["seq"] == 7


@pytest.mark.parametrize("body", [
    None, [], {"response": "a", "seq": 1}, {"response": ["a"]}, {"response": ["a"], "seq": 0},
    {"response": ["a"], "seq": True}, {"response": [1], "seq": 1},
])
def test_bad_payloads_are_400_with_a_message(client, attempt, body):
    attempt_id, _, token = attempt
    response = put(client, attempt_id, "A1-001", token, body)
    assert response.status_code == 400
    assert response.get_json()["error"]


def test_unknown_option_item_or_attempt(client, attempt):
    attempt_id, _, token = attempt
    assert put(client, attempt_id, "A1-001", token,
               {"response": ["z"], "seq": 1}).status_code == 400
    assert put(client, attempt_id, "A9-999", token,
               {"response": ["a"], "seq": 1}).status_code == 404
    assert put(client, 987654, "A1-001", token, {"response": ["a"], "seq": 1}).status_code == 404


def test_without_csrf_token_it_is_refused(client, attempt):
    attempt_id, _, _ = attempt
    response = client.put(f"/attempts/{attempt_id}/answers/A1-001",
                          json={"response": ["a"], "seq": 1})
    assert response.status_code == 400


def test_another_cadre_cannot_write_into_my_attempt(app, attempt, make_user):
    attempt_id, _, _ = attempt
    other = app.test_client()
    log_in(other, make_user(Role.CADRE, "intruder"))
    token = csrf_token(other, "/quizzes/")
    assert put(other, attempt_id, "A1-001", token,
               {"response": ["a"], "seq": 1}).status_code == 404


def test_after_submit_the_answer_is_refused_with_409(client, attempt):
    attempt_id, _, token = attempt
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    response = put(client, attempt_id, "A1-001", token, {"response": ["a"], "seq": 9})
    assert response.status_code == 409
    assert response.get_json()["closed"] is True


def test_practice_mode_returns_feedback(client, cadre, configure_quiz):
    configure_quiz(mode="practice")
    log_in(client, cadre)
    attempt_id = start_quiz(client)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    body = put(client, attempt_id, "A1-001", token, {"response": ["b"], "seq": 1}).get_json()
    assert body["feedback"]["correct"] is False
    assert "以命令代替说服。" in body["feedback"]["explanations"].values()


def test_a_replayed_answer_in_practice_mode_is_acknowledged_not_an_error(client, cadre,
                                                                         configure_quiz):
    """A phone that resends an answer (same sequence number) after a lost reply gets the saved
    answer and its feedback back, not a server error."""
    configure_quiz(mode="practice")
    log_in(client, cadre)
    attempt_id = start_quiz(client)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    first = put(client, attempt_id, "A1-001", token, {"response": ["b"], "seq": 3})
    again = put(client, attempt_id, "A1-001", token, {"response": ["b"], "seq": 3})
    assert first.status_code == again.status_code == 200
    assert again.get_json()["applied"] is False and again.get_json()["response"] == ["b"]
    assert again.get_json()["feedback"]["correct"] is False
