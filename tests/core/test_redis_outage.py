"""Redis down (a server this test starts and stops itself): log-in keeps working with the
limits counting in process memory, /healthz says "degraded", and Redis coming back is seen."""

from collections.abc import Iterator

import pytest

from quizapp.auth import services as accounts
from quizapp.auth.roles import Role
from quizapp.extensions import db, limiter
from tests.helpers import PASSWORD, csrf_token, delete_all_rows, make_app, skip_or_fail
from tests.processes import RedisServer


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    if not RedisServer.available():
        skip_or_fail("REQUIRE_POSTGRES", "redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def log_in_status(app) -> int:
    client = app.test_client()
    return client.post("/login", data={"csrf_token": csrf_token(client),
                                       "username": "outage_admin",
                                       "password": PASSWORD}).status_code


def test_login_survives_redis_going_away_and_health_says_so(database_url, session_app,
                                                            redis_server):
    url = redis_server.url
    app = make_app(database_url, RATELIMIT_ENABLED=True, REDIS_URL=url,
                   RATELIMIT_STORAGE_URI=url, LOGIN_LIMIT_PER_ADDRESS="1000 per minute")
    with app.app_context():
        accounts.create_user("outage_admin", "Admin", PASSWORD, Role.ADMIN)
        db.session.commit()
    try:
        health = app.test_client().get("/healthz").get_json()
        assert (health["status"], health["redis"]) == ("ok", "ok")
        assert log_in_status(app) == 302

        redis_server.stop()
        assert log_in_status(app) == 302  # limits fall back to memory: no 500
        down = app.test_client().get("/healthz")
        assert down.status_code == 200
        assert (down.get_json()["status"], down.get_json()["redis"]) == ("degraded", "error")
        admin_page = app.test_client()
        admin_page.post("/login", data={"csrf_token": csrf_token(admin_page),
                                        "username": "outage_admin", "password": PASSWORD})
        assert "Redis 没有响应" in admin_page.get("/admin/users?lang=zh").get_data(as_text=True)

        redis_server.start()
        assert app.test_client().get("/healthz").get_json()["status"] == "ok"
        assert log_in_status(app) == 302
    finally:
        limiter.enabled = False  # the extension object is shared by every app of this process
        delete_all_rows(app)
        with app.app_context():
            db.engine.dispose()
