"""Admin user management: list, create, edit, deactivate; role gates."""

import pytest

from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.extensions import db
from tests.helpers import PASSWORD, csrf_token, log_in


@pytest.fixture
def admin_client(client, admin):
    log_in(client, admin)
    return client


def create_form(client, **overrides):
    data = {"csrf_token": csrf_token(client, "/admin/users/new"), "username": "li_wei",
            "display_name": "李伟", "role": "cadre", "password": "village-2026-pw",
            "confirm": "village-2026-pw"}
    data.update(overrides)
    return client.post("/admin/users/new", data=data)


def test_admin_lists_and_creates_users(admin_client, app):
    response = create_form(admin_client)
    assert response.status_code == 302
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert "li_wei" in page
    assert "李伟" in page
    assert "干部学员" in page
    with app.app_context():
        assert db.session.query(User).filter_by(username="li_wei").one().role == Role.CADRE


def test_duplicate_username_and_weak_password_re_render_with_messages(admin_client):
    create_form(admin_client)
    duplicate = create_form(admin_client, display_name="另一个李伟")
    assert duplicate.status_code == 400
    assert "该用户名已被使用" in duplicate.get_data(as_text=True)
    weak = create_form(admin_client, username="wang_fang", password="short", confirm="short")
    page = weak.get_data(as_text=True)
    assert weak.status_code == 400
    assert "wang_fang" in page
    assert "10" in page


def test_edit_changes_role_and_password(admin_client, app, make_user):
    account = make_user(Role.CADRE, "zhao_lei")
    token = csrf_token(admin_client, f"/admin/users/{account.id}/edit")
    response = admin_client.post(f"/admin/users/{account.id}/edit", data={
        "csrf_token": token, "display_name": "赵磊", "role": "coordinator", "is_active": "y",
        "new_password": "a-brand-new-password", "confirm": "a-brand-new-password"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, account.id)
        assert (user.display_name, user.role) == ("赵磊", Role.COORDINATOR)
    other = app.test_client()
    log_in(other, account.__class__(account.id, account.username, "a-brand-new-password",
                                    Role.COORDINATOR))


def test_deactivated_user_cannot_log_in_and_loses_open_session(admin_client, app, make_user):
    account = make_user(Role.CADRE, "sun_li")
    cadre_client = app.test_client()
    log_in(cadre_client, account)
    assert cadre_client.get("/quizzes/").status_code == 200
    token = csrf_token(admin_client, "/admin/users")
    response = admin_client.post(f"/admin/users/{account.id}/deactivate",
                                 data={"csrf_token": token})
    assert response.status_code == 302
    assert cadre_client.get("/quizzes/").status_code == 302  # the open session is gone
    token = csrf_token(cadre_client, "/login")
    refused = cadre_client.post("/login", data={"csrf_token": token, "username": "sun_li",
                                                "password": PASSWORD})
    assert refused.status_code == 400


def test_the_last_admin_cannot_be_deactivated(admin_client, admin, app):
    token = csrf_token(admin_client, "/admin/users")
    admin_client.post(f"/admin/users/{admin.id}/deactivate", data={"csrf_token": token})
    with app.app_context():
        assert db.session.get(User, admin.id).is_active
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert "至少保留一个启用的管理员" in page


@pytest.mark.parametrize("role", [Role.CADRE, Role.COORDINATOR])
def test_non_admins_are_refused(client, make_user, admin, role):
    log_in(client, make_user(role))
    for path in ("/admin/users", "/admin/users/new", f"/admin/users/{admin.id}/edit"):
        assert client.get(path).status_code == 403, path
    token = csrf_token(client, "/quizzes/")
    assert client.post(f"/admin/users/{admin.id}/deactivate",
                       data={"csrf_token": token}).status_code == 403


def test_unknown_user_is_404(admin_client):
    assert admin_client.get("/admin/users/424242/edit").status_code == 404


def test_deactivate_without_csrf_is_rejected(admin_client, make_user, app):
    account = make_user(Role.CADRE)
    assert admin_client.post(f"/admin/users/{account.id}/deactivate").status_code == 400
    with app.app_context():
        assert db.session.get(User, account.id).is_active
