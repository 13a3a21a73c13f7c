"""Two app servers on one PostgreSQL database, rate limits shared through Redis: a cadre starts
an attempt on one server and finishes it on the other (nothing lives in a worker's memory)."""

from __future__ import annotations

import http.cookiejar
import json
import re
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.helpers import create_postgres_database, drop_postgres_database, skip_or_fail

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts" / "load"))
from servers import app_env, prepare, serve

REDIS = ("127.0.0.1", 6379)
CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def redis_reachable() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=2):
            return True
    except OSError:
        return False


class Browser:
    """A cookie-keeping HTTP client that may talk to either server (same host, 127.0.0.1)."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            NoRedirect())

    def request(self, method: str, url: str, data: dict | None = None,
                json_body: dict | None = None, headers: dict | None = None) -> tuple[int, str]:
        body, extra = None, dict(headers or {})
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
        if json_body is not None:
            body = json.dumps(json_body).encode()
            extra["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=body, method=method, headers=extra)  # noqa: S310
        try:
            with self.opener.open(req, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode() if error.fp else ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object) -> None:
        return None  # let each test see the 302 and its Location


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("two-servers")
    if not redis_reachable():
        skip_or_fail("REQUIRE_POSTGRES", "two-process test skipped: Redis is not reachable")
    url = create_postgres_database()
    if url is None:
        skip_or_fail("REQUIRE_POSTGRES", "two-process test skipped: PostgreSQL unreachable")
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    env = app_env(plain, tmp_path, REDIS_URL=f"redis://{REDIS[0]}:{REDIS[1]}/0",
                  QUIZAPP_LOGIN_LIMIT_PER_USERNAME='"4 per minute"',
                  QUIZAPP_BANK_DIR=str(Path(__file__).parent / "data" / "bank"))
    # A key prefix of its own, so parallel or earlier runs (the same test a minute ago has the
    # same tmp_path name) never share counters.
    env["QUIZAPP_RATELIMIT_KEY_PREFIX"] = json.dumps(f"{tmp_path.name}-{uuid.uuid4().hex}")
    prepare(env, 2, "two-servers-password")
    try:
        # Each served as `make run` serves the app (scripts/serve), one worker each.
        with serve(env, workers=1) as (first, _), serve(env, workers=1) as (second, _):
            yield first, second, url
    finally:
        drop_postgres_database(url)


def log_in(browser: Browser, base: str, username: str, password: str) -> int:
    _, page = browser.request("GET", f"{base}/login")
    token = CSRF_RE.search(page).group(1)
    status, _ = browser.request("POST", f"{base}/login", data={
        "csrf_token": token, "username": username, "password": password})
    return status


def test_start_on_one_server_finish_on_the_other(two_servers):
    first, second, url = two_servers
    browser = Browser()
    assert log_in(browser, first, "load_cadre00000", "two-servers-password") == 302
    _, page = browser.request("GET", f"{first}/quizzes/")
    token = CSRF_RE.search(page).group(1)
    status, _ = browser.request("POST", f"{first}/quizzes/ability-a1/attempts",
                                data={"csrf_token": token})
    assert status == 302
    engine = create_engine(url)
    with engine.connect() as conn:
        attempt_id = conn.execute(text("SELECT id FROM attempts")).scalar_one()
        items = conn.execute(text(
            "SELECT iv.item_id, iv.content FROM attempt_items ai JOIN item_versions iv "
            "ON iv.id = ai.item_version_id WHERE ai.attempt_id = :a"), {"a": attempt_id}).all()
    # Every answer goes to the second server, with the session cookie from the first.
    for seq, (item_id, content) in enumerate(items, start=1):
        content = content if isinstance(content, dict) else json.loads(content)
        status, body = browser.request(
            "PUT", f"{second}/attempts/{attempt_id}/answers/{item_id}",
            json_body={"response": content["key"], "seq": seq},
            headers={"X-CSRFToken": token, "Accept": "application/json"})
        assert status == 200, body
    status, _ = browser.request("POST", f"{second}/attempts/{attempt_id}/submit",
                                data={"csrf_token": token, "autosaved": "1"})
    assert status == 302
    with engine.connect() as conn:
        status, score = conn.execute(text("SELECT status, score FROM attempts")).one()
    engine.dispose()
    assert (status, score) == ("graded", 3.0)
    _, result = browser.request("GET", f"{first}/attempts/{attempt_id}/result")
    assert "3 / 3" in result


def test_log_in_limits_are_shared_between_servers(two_servers):
    first, second, _ = two_servers
    statuses = [log_in(Browser(), server, "load_cadre00001", "wrong-password-xx")
                for server in (first, second, first, second, first)]
    assert statuses[:4] == [400, 400, 400, 400]
    assert statuses[4] == 429  # the fifth try, whichever server it reaches
