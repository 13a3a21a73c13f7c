"""The cadre's progress page over HTTP."""

import re

import pytest

from quizapp.auth.roles import Role
from quizapp.extensions import db
from quizapp.quizzes.models import Attempt
from tests.helpers import answers_for, attempt_rows, csrf_token, log_in, start_quiz

pytestmark = pytest.mark.usefixtures("loaded_bank")


def take(app, client, quiz_id, correct):
    attempt_id = start_quiz(client, quiz_id)
    rows = attempt_rows(app, attempt_id)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    client.post(f"/attempts/{attempt_id}/submit",
                data={"csrf_token": token, **answers_for(rows, correct)})
    return attempt_id


def test_progress_shows_mastery_evidence_and_self_rating(app, client, cadre):
    log_in(client, cadre)
    take(app, client, "ability-a1", correct=True)
    take(app, client, "ability-a1", correct=False)   # 6 A1 items answered: 3 of 6 points
    attempt_id = start_quiz(client, "self-a1")
    rows = attempt_rows(app, attempt_id)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    client.post(f"/attempts/{attempt_id}/submit",
                data={"csrf_token": token, **{f"item_{r[0]}": "4" for r in rows}})
    page = client.get("/me/progress?lang=en").get_data(as_text=True)
    a1_row = re.search(r"A1 Prestige among the people</a></th>(.*?)</tr>", page, re.S).group(1)
    # all "4": statement 2 of the test questionnaire is reverse-worded (6 − 4), so (4+2+4)/3
    assert "50%" in a1_row and ">6<" in a1_row and "3.3 / 5" in a1_row
    assert "Work on next: A1 Prestige among the people" in page
    assert 'action="/quizzes/ability-a1/attempts"' in page
    a2_row = re.search(r"A2 Turning learning into working methods</a></th>(.*?)</tr>", page,
                       re.S).group(1)
    assert "not enough evidence yet" in a2_row


def test_charts_are_svg_without_script_or_remote_files(client, cadre, app):
    log_in(client, cadre)
    take(app, client, "ability-a1", correct=True)
    for path in ("/me/progress/abilities.svg", "/me/progress/A1.svg"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        body = response.get_data(as_text=True)
        assert "<svg" in body and "<script" not in body
        assert not re.search(r'(href|src)="(https?:)?//', body)
        assert response.headers["Content-Security-Policy"] == "default-src 'none'"
    assert client.get("/me/progress/Z9.svg").status_code == 404


def test_a_cadre_sees_only_his_own_progress(app, client, cadre, make_user):
    log_in(client, cadre)
    take(app, client, "ability-a1", correct=True)
    other = app.test_client()
    log_in(other, make_user(Role.CADRE, "newcomer"))
    page = other.get("/me/progress").get_data(as_text=True)
    assert "能力一测验" not in page
    with app.app_context():
        assert db.session.query(Attempt).count() == 1
