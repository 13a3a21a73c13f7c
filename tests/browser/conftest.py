"""A live server over real HTTP and Debian's chromium driven by Playwright."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import expect
from werkzeug.serving import make_server

from quizapp.auth import services as accounts
from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.auth.views import ADMIN_EXISTS_KEY
from quizapp.cohorts.models import Assignment, Membership
from quizapp.db import utcnow
from quizapp.demo import write_demo_data
from quizapp.extensions import db
from quizapp.quizzes import services
from tests.helpers import (
    PASSWORD,
    TEST_BANK,
    make_app,
    migrate_to_head,
    skip_or_fail,
    written_answer_awaiting_grading,
)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]


@dataclass
class LiveServer:
    url: str
    app: Flask


@contextmanager
def live_servers(directory: Path) -> Iterator[Callable[..., LiveServer]]:
    """Start apps on free loopback ports, each on its own SQLite database and a loaded bank."""
    servers = []

    def start(bank: Path = TEST_BANK, **config: object) -> LiveServer:
        app = make_app(f"sqlite:///{directory / f'browser{len(servers)}.db'}", **config)
        migrate_to_head(app)
        result = app.test_cli_runner().invoke(args=["bank", "load", str(bank)])
        assert result.exit_code == 0, result.output
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        return LiveServer(f"http://127.0.0.1:{server.server_port}", app)

    try:
        yield start
    finally:
        for server, thread in servers:
            server.shutdown()
            thread.join(timeout=5)


@pytest.fixture
def start_live_server(tmp_path) -> Iterator[Callable[..., LiveServer]]:
    with live_servers(tmp_path) as start:
        yield start


@pytest.fixture(scope="module")
def module_live_server(tmp_path_factory) -> Iterator[Callable[..., LiveServer]]:
    """The same, kept for a whole module: for tests that only read pages."""
    with live_servers(tmp_path_factory.mktemp("live")) as start:
        yield start


@pytest.fixture
def live_server(start_live_server) -> str:
    return start_live_server().url


@contextmanager
def chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        skip_or_fail("REQUIRE_BROWSER", "browser leg skipped: Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def module_browser() -> Iterator[Any]:
    """One browser for a whole module (starting chromium takes about a second)."""
    with chromium() as launched:
        yield launched


A11Y_PREFIX = "a11y_"  # the demo history's usernames: a11y_coord001, a11y_cadre00001, …


def build_page_world(app: Flask) -> dict[str, list[tuple[str, str]]]:
    """Months of history for a cohort (the demo generator), an admin, and the first cadre with a
    graded attempt, open attempts of every kind and a written answer awaiting grading.
    Returns, per role, the page types to visit and their paths."""
    with app.app_context():
        write_demo_data(12, 6, 5, PASSWORD, A11Y_PREFIX)
        accounts.create_user("a11y_admin", "管理员", PASSWORD, Role.ADMIN)
        cadre = db.session.scalar(sa.select(User).where(
            User.username == f"{A11Y_PREFIX}cadre00001"))
        handed_in, _ = written_answer_awaiting_grading(cadre)
        graded = services.start_or_resume_attempt(cadre, "kinds", utcnow())
        db.session.flush()
        services.submit_attempt(graded.id, utcnow())
        taking = {quiz: services.start_or_resume_attempt(cadre, quiz, utcnow())
                  for quiz in ("ability-a1", "kinds", "written")}
        db.session.commit()
        membership = db.session.scalar(sa.select(Membership).where(
            Membership.user_id == cadre.id))
        cohort_id = membership.cohort_id
        assignment_id = db.session.scalar(sa.select(Assignment.id).where(
            Assignment.cohort_id == cohort_id))
        paths = {
            "visitor": [("log in", "/login")],
            "cadre": [
                ("home", "/me/"), ("quiz list", "/quizzes/"),
                ("quiz detail", "/quizzes/kinds"),
                *[(f"quiz taking ({quiz})", f"/attempts/{attempt.id}")
                  for quiz, attempt in taking.items()],
                ("result", f"/attempts/{graded.id}/result"), ("my attempts", "/me/attempts"),
                ("progress", "/me/progress"), ("study notes", "/study/"),
                ("study note", "/study/A1"), ("join a cohort", "/cohorts/join"),
                ("password", "/account/password"),
            ],
            "coordinator": [
                ("cohort list", "/cohorts/"), ("new cohort", "/cohorts/new"),
                ("cohort detail", f"/cohorts/{cohort_id}"),
                ("join notice", f"/cohorts/{cohort_id}/join-notice"),
                ("dashboard", f"/cohorts/{cohort_id}/dashboard"),
                ("heat map", f"/cohorts/{cohort_id}/heatmap"),
                ("drill-down", f"/cohorts/{cohort_id}/codes/A1?user={cadre.id}"),
                ("item analysis", f"/assignments/{assignment_id}/items"),
                ("assign", f"/cohorts/{cohort_id}/assignments/new"),
                ("grading queue", "/grading/"), ("grading", f"/grading/attempts/{handed_in}"),
                ("question bank", "/bank/"), ("new item", "/bank/new?code=A1&kind=single"),
                ("bank item", "/bank/items/A1-001"), ("import questions", "/bank/import"),
            ],
            "admin": [
                ("users", "/admin/users"), ("new user", "/admin/users/new"),
                ("audit", "/admin/audit"), ("regrade", "/admin/regrade"),
                ("quiz settings", "/quizzes/ability-a1/settings"),
                ("edit an item", "/bank/items/B-003/edit"),
            ],
        }
    app.extensions[ADMIN_EXISTS_KEY] = True
    return paths


ROLE_USERNAMES = {
    "cadre": f"{A11Y_PREFIX}cadre00001",
    "coordinator": f"{A11Y_PREFIX}coord001",
    "admin": "a11y_admin",
}


@pytest.fixture(scope="module")
def site(module_live_server) -> tuple[str, dict[str, list[tuple[str, str]]]]:
    """A server with every page type filled (build_page_world): its URL and,
    per role, the page types and their paths."""
    server = module_live_server()
    return server.url, build_page_world(server.app)


@pytest.fixture(scope="module")
def pages(module_browser, site) -> Iterator[dict[str, Any]]:
    """One page per role (a visitor, then each account of the world), logged in once."""
    url, _ = site
    opened = {}
    for role in ("visitor", *ROLE_USERNAMES):
        context = module_browser.new_context(locale="zh-CN")
        page = context.new_page()
        if role in ROLE_USERNAMES:
            page.goto(url + "/login")
            page.fill("#username", ROLE_USERNAMES[role])
            page.fill("#password", PASSWORD)
            page.click("input[type=submit]")
            expect(page.locator("form[action='/logout']")).to_have_count(1)
        opened[role] = page
    yield opened
    for page in opened.values():
        page.context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
