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
from flask import Flask
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.helpers import (
    A11Y_PREFIX,
    PASSWORD,
    TEST_BANK,
    build_page_world,
    make_app,
    migrate_to_head,
    skip_or_fail,
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


ROLE_USERNAMES = {
    "cadre": f"{A11Y_PREFIX}cadre00001",
    "coordinator": f"{A11Y_PREFIX}coord001",
    "admin": "a11y_admin",
}


@pytest.fixture(scope="module")
def site(module_live_server) -> tuple[str, dict[str, list[tuple[str, str]]]]:
    """A server with every page type filled (tests.helpers.build_page_world): its URL and,
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
