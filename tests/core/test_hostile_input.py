"""Inputs that used to answer 500: each is now a plain 404, 400 or a safe redirect."""

import pytest

from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.cohorts import services as cohorts
from quizapp.extensions import db
from tests.helpers import csrf_token, log_in


@pytest.mark.parametrize("path", ["/attempts/99999999999999999999",
                                  "/attempts/2147483648/result",
                                  "/cohorts/99999999999999999999"])
def test_ids_beyond_the_database_integer_are_not_found(client, admin, path):
    log_in(client, admin)
    assert client.get(path).status_code == 404


def test_drill_down_user_must_be_a_member(app, client, make_user, admin):
    coordinator = make_user(Role.COORDINATOR, "coord_drill")
    outsider = make_user(Role.CADRE, "outsider_cadre", display_name="外人")
    with app.app_context():
        cohort = cohorts.create_cohort("班", "", db.session.get(User, coordinator.id))
        db.session.commit()
        cohort_id = cohort.id
    log_in(client, coordinator)
    for value in (str(outsider.id), "²", "9" * 30, "-1", "abc"):
        response = client.get(f"/cohorts/{cohort_id}/codes/A1?user={value}")
        assert response.status_code == 404, value
        assert "外人" not in response.get_data(as_text=True)


def test_control_characters_in_next_do_not_reach_the_header(client, admin):
    token = csrf_token(client)
    response = client.post("/login?next=/quizzes/%0d%0aSet-Cookie:%20x=1", data={
        "csrf_token": token, "username": admin.username, "password": admin.password})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Set-Cookie: x=1" not in str(response.headers)


def test_signed_in_pages_are_not_stored_but_static_files_may_be(client, cadre):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    log_in(client, cadre)
    assert client.get("/quizzes/").headers["Cache-Control"] == "no-store"
    static = client.get("/static/quiz.js")
    assert static.headers.get("Cache-Control") != "no-store"
    static.close()
