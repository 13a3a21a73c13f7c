"""Log-in, log-out, first-run set-up, CSRF."""

from quizapp.auth import services as accounts
from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.extensions import db
from tests.helpers import PASSWORD, csrf_token, log_in, rate_limited_app


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


def test_login_attempts_are_limited_per_username_and_answer_in_the_users_language(
        database_url, session_app):
    with rate_limited_app(database_url, LOGIN_LIMIT_PER_USERNAME="3 per minute",
                          LOGIN_LIMIT_PER_ADDRESS="100 per minute",
                          REAUTH_LIMIT="4 per minute") as limited:
        check_login_limits(limited)


def check_login_limits(limited):
    """Failed log-ins per username and address, and wrong current passwords per account."""
    client = limited.test_client()
    with limited.app_context():
        accounts.create_user("rate_admin", "Admin", PASSWORD, Role.ADMIN)
        db.session.commit()
    statuses = []
    for _ in range(4):
        token = csrf_token(client)
        statuses.append(client.post("/login", data={
            "csrf_token": token, "username": "rate_admin", "password": "wrong-password"
        }).status_code)
    assert statuses == [400, 400, 400, 429]
    blocked = client.post("/login?lang=en", data={"csrf_token": csrf_token(client),
                                                  "username": "rate_admin",
                                                  "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many requests" in blocked.get_data(as_text=True)
    # Another username from the same address is not held back by this one's limit.
    other = client.post("/login", data={"csrf_token": csrf_token(client),
                                        "username": "someone_else", "password": "x" * 12})
    assert other.status_code == 400
    # The failures came from a stranger's address: the owner, elsewhere, still gets in.
    owner = limited.test_client()
    elsewhere = {"REMOTE_ADDR": "192.0.2.10"}
    owner.get("/login", environ_base=elsewhere)
    token = csrf_token(owner)
    assert owner.post("/login", environ_base=elsewhere, data={
        "csrf_token": token, "username": "rate_admin", "password": PASSWORD,
    }).status_code == 302
    # Right after, on the password form, wrong current passwords are limited per account.
    changes = [owner.post("/account/password", environ_base=elsewhere, data={
        "csrf_token": csrf_token(owner, "/account/password"), "current": "wrong-guess-1",
        "password": "new-password-123", "confirm": "new-password-123",
    }).status_code for _ in range(6)]
    assert changes[-1] == 429 and 400 in changes


def test_the_session_is_renewed_at_login(client, cadre):
    client.get("/login?lang=en")
    with client.session_transaction() as before:
        before["planted"] = "by someone else"
    log_in(client, cadre)
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after["lang"] == "en"


def test_password_change_ends_other_sessions_and_keeps_this_one(app, client, cadre):
    log_in(client, cadre)
    elsewhere = app.test_client()
    log_in(elsewhere, cadre)
    token = csrf_token(client, "/account/password")
    response = client.post("/account/password", data={
        "csrf_token": token, "current": PASSWORD, "password": "a-new-long-password",
        "confirm": "a-new-long-password"})
    assert response.status_code == 302
    assert client.get("/quizzes/").status_code == 200      # this session goes on
    assert elsewhere.get("/quizzes/").status_code == 302   # the other one has ended


def test_password_change_needs_the_current_password(client, cadre):
    log_in(client, cadre)
    token = csrf_token(client, "/account/password")
    response = client.post("/account/password", data={
        "csrf_token": token, "current": "not-it-at-all", "password": "a-new-long-password",
        "confirm": "a-new-long-password"})
    assert response.status_code == 400
    assert "当前密码不正确" in response.get_data(as_text=True)


def test_admin_ends_every_session_including_remember_me(app, cadre, admin):
    phone = app.test_client()
    token = csrf_token(phone)
    phone.post("/login", data={"csrf_token": token, "username": cadre.username,
                               "password": PASSWORD, "remember": "y"})
    remember = phone.get_cookie("remember_token")
    assert remember is not None
    admin_client = app.test_client()
    log_in(admin_client, admin)
    token = csrf_token(admin_client, "/admin/users")
    admin_client.post(f"/admin/users/{cadre.id}/end-sessions", data={"csrf_token": token})
    assert phone.get("/quizzes/").status_code == 302
    # A fresh browser holding only the old remember-me cookie is not let in either.
    stolen = app.test_client()
    stolen.set_cookie("remember_token", remember.value)
    assert stolen.get("/quizzes/").status_code == 302
