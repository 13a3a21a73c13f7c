"""Rate limits are checked where they are set: each limited view by its own decorator, and,
only when one is configured, default, application-wide or blueprint limits before every
request."""

from __future__ import annotations

from flask import Flask
from flask_limiter.util import get_qualified_name

from quizapp.extensions import limiter
from tests.helpers import rate_limited_app


def check_before_every_request(app: Flask) -> bool:
    return limiter._check_request_limit in app.before_request_funcs.get(None, [])


def test_without_default_limits_no_check_runs_before_every_request(
        database_url: str, session_app: Flask) -> None:
    with rate_limited_app(database_url) as app:
        assert not check_before_every_request(app)
        # The limited views keep their own check (their 429s: tests/auth, tests/cohorts).
        with app.app_context():  # the limits read the config
            limited = {name for name, view in app.view_functions.items()
                       if limiter.limit_manager.decorated_limits(get_qualified_name(view))}
        assert limited == {"auth.login", "auth.change_password", "cohorts.join"}
        client = app.test_client()
        assert all(client.get("/healthz").status_code == 200 for _ in range(40))


def test_a_configured_default_limit_counts_every_page(
        database_url: str, session_app: Flask) -> None:
    try:
        with rate_limited_app(database_url, RATELIMIT_DEFAULT="2 per minute") as app:
            assert check_before_every_request(app)
            client = app.test_client()
            statuses = [client.get("/healthz").status_code for _ in range(3)]
            assert statuses == [200, 200, 429]
    finally:  # the limits live on the one extension object every app of this process shares
        limiter.limit_manager.set_default_limits([])
