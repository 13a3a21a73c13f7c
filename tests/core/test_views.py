"""Health check, first-run redirect, language choice."""

import re

import sqlalchemy as sa

from quizapp.extensions import db
from tests.helpers import make_app


def test_healthz_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["version"]


def test_healthz_503_when_database_unreachable(tmp_path):
    # A PostgreSQL URL on a port where nothing listens: the check must fail, not hang or 500.
    app = make_app("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "error"


def test_every_page_redirects_to_setup_until_an_admin_exists(client):
    for path in ("/", "/login", "/quizzes/", "/admin/users", "/me/attempts"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].endswith("/setup")


def test_language_defaults_to_chinese_and_switches(client, admin):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "登录" in page
    english = client.get("/login?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english
    assert "Log in" in english
    # The choice is remembered for later pages.
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)


def test_accept_language_decides_when_nothing_chosen(client, admin):
    page = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in page.get_data(as_text=True)
    page = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert '<html lang="zh-CN">' in page.get_data(as_text=True)


def test_pages_make_no_request_to_outside_hosts(client, admin, login):
    login(admin)
    for path in ("/admin/users", "/quizzes/", "/me/attempts"):
        page = client.get(path).get_data(as_text=True)
        assert not re.search(r"(src|href)=\"(https?:)?//", page), path


def test_unknown_page_is_404_in_the_users_language(client, admin):
    response = client.get("/nowhere?lang=en")
    assert response.status_code == 404
    assert "does not exist" in response.get_data(as_text=True)
    json_response = client.get("/nowhere", headers={"Accept": "application/json"})
    assert json_response.status_code == 404
    assert "error" in json_response.get_json()


def test_sqlite_foreign_keys_are_enforced(app, db_backend):
    with app.app_context():
        if db_backend == "sqlite":
            assert db.session.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
