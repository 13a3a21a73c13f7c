"""Responses over the wire: HTML and JSON compressed with zstd, brotli or gzip when the browser
asks, plain when it does not, the same body either way; small replies and static files left
alone."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator

import brotli
import pytest
from flask import Response, jsonify
from flask.testing import FlaskClient

from quizapp.extensions import db
from tests.helpers import csrf_token, log_in, make_app

try:  # the standard library's from Python 3.14
    from compression import zstd  # type: ignore[import-not-found]
except ImportError:
    from backports import zstd

ENCODINGS = {"gzip": gzip.decompress, "br": brotli.decompress, "zstd": zstd.decompress}
TOKEN_RE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+(")')
# The quiz page a phone on a weak link downloads at 9:00 (the budget).
QUIZ_PAGE_BUDGET = 8 * 1024


def same_text(body: bytes) -> str:
    """The page with its CSRF token masked: the token is signed with the current second, so
    two requests a second apart carry different tokens for the same session."""
    return TOKEN_RE.sub(r"\1…\2", body.decode())


def decoded(response) -> bytes:
    return ENCODINGS[response.headers["Content-Encoding"]](response.get_data())


def start_attempt(client, cadre) -> str:
    """Log the cadre in and start the A1 quiz; the attempt's page."""
    log_in(client, cadre)
    started = client.post("/quizzes/ability-a1/attempts",
                          data={"csrf_token": csrf_token(client, "/quizzes/")})
    assert started.status_code == 302
    return started.headers["Location"]


@pytest.fixture
def quiz_page(client, cadre, loaded_bank) -> str:
    return start_attempt(client, cadre)


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
def test_quiz_page_is_compressed_when_asked_and_decodes_to_the_plain_page(client, quiz_page,
                                                                          encoding):
    plain = client.get(quiz_page)
    assert plain.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]

    packed = client.get(quiz_page, headers={"Accept-Encoding": encoding})
    assert packed.status_code == 200
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.get_data())
    assert len(packed.get_data()) < len(plain.get_data()) / 2
    assert same_text(decoded(packed)) == same_text(plain.get_data())
    # Still a signed-in page: no browser or proxy may keep it, compressed or not.
    assert packed.headers["Cache-Control"] == "no-store"


def test_each_browser_gets_the_cheapest_encoding_it_asks_for_within_the_budget(client,
                                                                               quiz_page):
    newer = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # Chrome and Firefox since 2024
    packed = client.get(quiz_page, headers=newer)
    assert packed.headers["Content-Encoding"] == "zstd"
    assert len(packed.get_data()) <= QUIZ_PAGE_BUDGET
    older = client.get(quiz_page, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert older.headers["Content-Encoding"] == "br"
    assert len(older.get_data()) <= QUIZ_PAGE_BUDGET
    only_gzip = client.get(quiz_page, headers={"Accept-Encoding": "gzip, deflate"})
    assert only_gzip.headers["Content-Encoding"] == "gzip"
    assert len(only_gzip.get_data()) <= QUIZ_PAGE_BUDGET
    refused = client.get(quiz_page, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in refused.headers


@pytest.fixture
def json_client(database_url, session_app, admin) -> Iterator[FlaskClient]:
    """The app as create_app builds it, plus one route that answers a report-sized JSON."""
    app = make_app(database_url)

    @app.get("/report.json")
    def report() -> Response:
        return jsonify({"rows": [{"code": f"A{n % 5 + 1}", "part": "群众工作能力", "n": n,
                                  "mastery": round(n / 7, 3)} for n in range(60)]})

    yield app.test_client()
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
def test_json_is_compressed_when_asked_and_decodes_to_the_plain_json(json_client, encoding):
    plain = json_client.get("/report.json")
    assert plain.status_code == 200
    assert "Content-Encoding" not in plain.headers
    packed = json_client.get("/report.json", headers={"Accept-Encoding": encoding})
    assert packed.headers["Content-Encoding"] == encoding
    assert packed.mimetype == "application/json"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.get_data()) < len(plain.get_data()) / 2
    assert decoded(packed) == plain.get_data()


def test_small_replies_are_not_compressed(client, quiz_page):
    health = client.get("/healthz", headers={"Accept-Encoding": "gzip, br"})
    assert health.status_code == 200
    assert "Content-Encoding" not in health.headers
    assert health.get_json()["status"] == "ok"
    # An autosave reply is a few hundred bytes: sent as it is, even to a browser that asks.
    page = client.get(quiz_page).get_data(as_text=True)
    token = TOKEN_RE.search(page).group(0).split('value="')[1].rstrip('"')
    item_id, option = re.search(r'data-item-id="([^"]+)".*?name="item_\d+"\s+value="([^"]+)"',
                                page, re.S).groups()
    saved = client.put(f"{quiz_page}/answers/{item_id}", json={"response": [option], "seq": 1},
                       headers={"X-CSRFToken": token, "Accept-Encoding": "gzip, br"})
    assert saved.status_code == 200 and saved.get_json()["applied"]
    assert len(saved.get_data()) < 500
    assert "Content-Encoding" not in saved.headers


def test_static_files_keep_their_validators_and_are_sent_as_they_are(client, admin):
    asks = {"Accept-Encoding": "gzip, br"}
    with client.get("/static/app.css", headers=asks) as first:
        assert first.status_code == 200
        assert "Content-Encoding" not in first.headers
        etag = first.headers["ETag"]
    assert ":" not in etag  # no encoding appended to a file sent as it is
    with client.get("/static/app.css", headers={**asks, "If-None-Match": etag}) as again:
        assert again.status_code == 304
