"""Log-in, log-out, first-run set-up, CSRF."""

from quizapp.auth.models import User
from quizapp.extensions import db
from quizapp.security import Role
from tests.conftest import PASSWORD, csrf_token, log_in


def setup_form(client, **overrides):
    data = {"csrf_token": csrf_token(client, "/setup"), "username": "root_admin",
            "display_name": "Platform admin", "password": "a-long-password",
            "confirm": "a-long-password"}
    data.update(overrides)
    return client.post("/setup", data=data)


def test_setup_creates_the_first_admin_then_answers_404(client):
    response = setup_form(client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/users")
    assert client.get("/admin/users").status_code == 200  # logged in as the new admin
    assert client.get("/setup").status_code == 404
    assert client.post("/setup", data={}).status_code == 404


def test_setup_rejects_short_or_mismatched_passwords_and_keeps_input(client):
    response = setup_form(client, password="short", confirm="short")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "root_admin" in page  # what was typed is kept
    assert "10" in page
    response = setup_form(client, confirm="another-long-password")
    assert response.status_code == 400
    assert client.get("/setup").status_code == 200  # still no admin


def test_setup_without_csrf_token_is_rejected(client):
    client.get("/setup")
    response = client.post("/setup", data={"username": "x_admin", "display_name": "X",
                                           "password": "a-long-password",
                                           "confirm": "a-long-password"})
    assert response.status_code == 400
    assert client.get("/setup").status_code == 200


def test_login_and_logout(client, cadre):
    log_in(client, cadre)
    assert client.get("/quizzes/").status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/quizzes/")})
    assert response.status_code == 302
    assert client.get("/quizzes/").status_code == 302


def test_logout_needs_post_and_csrf(client, cadre):
    log_in(client, cadre)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/quizzes/").status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_message(client, cadre):
    token = csrf_token(client)
    wrong = client.post("/login", data={"csrf_token": token, "username": cadre.username,
                                        "password": "not-the-password"})
    unknown = client.post("/login", data={"csrf_token": token, "username": "nobody_here",
                                          "password": "not-the-password"})
    assert wrong.status_code == unknown.status_code == 400
    message = "用户名或密码错误"
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_username_is_case_insensitive(client, cadre):
    token = csrf_token(client)
    response = client.post("/login", data={"csrf_token": token, "username": "CADRE",
                                           "password": PASSWORD})
    assert response.status_code == 302


def test_login_redirects_only_to_local_next(client, cadre):
    token = csrf_token(client)
    response = client.post("/login?next=https://evil.example/", data={
        "csrf_token": token, "username": cadre.username, "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_anonymous_is_sent_to_login(client, admin):
    response = client.get("/quizzes/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_passwords_are_stored_as_argon2id(app, make_user):
    account = make_user(Role.CADRE)
    with app.app_context():
        stored = db.session.get(User, account.id).password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
