"""The visitor the fuzz in this folder sends: one write route of the app, used by someone
allowed to, with the route's form read from its page and the rows a refused request must leave
as they were. The `target` fixture hands it to the tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from hypothesis import note
from werkzeug.test import TestResponse

from quizapp.auth.models import User
from quizapp.db import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services as attempts
from tests import helpers as matrix
from tests.helpers import Account, delete_all_rows, log_in

# The page that shows the form of each write-only route; a route that also answers GET
# shows its own. A new write-only route fails its test until it is added here.
FORM_PAGES = {
    "auth.logout": "quizzes.index",
    "quizzes.start": "quizzes.detail",
    "quizzes.save": "quizzes.take",
    "quizzes.submit": "quizzes.take",
    "quizzes.save_answer": "quizzes.take",
    "cohorts.start_assignment": "cohorts.home",
    "cohorts.add_member": "cohorts.detail",
    "cohorts.upload_members": "cohorts.detail",
    "cohorts.remove_member": "cohorts.detail",
    "cohorts.rotate_join_code": "cohorts.detail",
    "admin.deactivate_user": "admin.users",
    "admin.end_sessions": "admin.users",
    "grading.grade": "grading.attempt",
    "grading.release": "grading.attempt",
    "practice.start_daily": "practice.daily",
    "practice.start_review": "practice.review_page",
    "challenge.start": "challenge.index",
    "challenge.answer": "challenge.index",
    "challenge.stop": "challenge.index",
    "challenge.set_leaderboard": "cohorts.detail",
    "study_hours.note_read": "study.note",
    "bank.preview": "bank.new",
    "bank.submit": "bank.item",
    "bank.approve": "bank.item",
    "bank.reject": "bank.item",
    "bank.retire": "bank.item",
}


# ---------------------------------------------------------------- reading pages


@dataclass(eq=False)
class PageForm:
    """A form as its page shows it: where it posts, what each field offers, what it sends."""

    actions: set[str] = field(default_factory=set)
    offered: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sent: dict[str, Any] = field(default_factory=dict)
    token: str | None = None

    def offer(self, name: str, value: str | None, send: bool) -> None:
        if name == "csrf_token":
            self.token = value
            return
        self.offered[name] = self.offered.get(name, ()) + ((value,) if value else ())
        if send:
            self.sent[name] = value or ""

    # Equal when the fields are: a page read again reuses the strategies built for it.
    def fields(self) -> tuple[object, ...]:
        return tuple(self.offered.items()), tuple(self.sent.items())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PageForm) and self.fields() == other.fields()

    def __hash__(self) -> int:
        return hash(self.fields())

    def merged(self, other: PageForm) -> PageForm:
        return PageForm(
            self.actions | other.actions,
            {**self.offered, **other.offered},
            {**self.sent, **other.sent},
            self.token or other.token,
        )


class FormReader(HTMLParser):
    """Collects the forms of a page, each with what a browser would send unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[PageForm] = []
        self.select: tuple[str, list[str], list[str]] | None = None  # name, all, selected
        self.textarea: str | None = None
        self.item: str | None = None  # the question a field belongs to, by its item id
        self.order: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append(PageForm({a.get("action") or ""}))
        if not self.forms:
            return
        form, name = self.forms[-1], a.get("name")
        if name:
            self.order.setdefault(name, f"{self.item or ''}/{name}")
        if tag == "fieldset":
            self.item = a.get("data-item-id")
        elif tag == "button" and a.get("formaction"):
            form.actions.add(a["formaction"] or "")
        elif tag == "input" and name:
            kind = a.get("type", "text")
            checkable = kind in ("checkbox", "radio")
            form.offer(name, a.get("value"), "checked" in a if checkable else kind != "submit")
        elif tag == "select" and name:
            self.select = (name, [], [])
        elif tag == "option" and self.select:
            self.select[1].append(a.get("value") or "")
            if "selected" in a:
                self.select[2].append(a.get("value") or "")
        elif tag == "textarea" and name:
            self.textarea = name
            form.offer(name, None, True)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self.select:
            name, values, selected = self.select
            for value in values:
                self.forms[-1].offer(name, value, False)
            if values:
                self.forms[-1].sent[name] = (selected or values)[0]
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "fieldset":
            self.item = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.forms[-1].sent[self.textarea] += data


def form_of(page: str, path: str, page_path: str) -> PageForm:
    """The forms of the page that post to path (all of them when none does, as for JSON)."""
    reader = FormReader()
    reader.feed(page)
    own = {path, ""} if path == page_path else {path}
    result = PageForm()
    for form in [form for form in reader.forms if form.actions & own] or reader.forms:
        result = result.merged(form)
    result.token = result.token or next((f.token for f in reader.forms if f.token), None)
    # The same question first whatever the attempt, and its options in one order.
    names = sorted(result.offered, key=lambda name: reader.order[name])
    result.offered = {name: tuple(sorted(result.offered[name])) for name in names}
    return result


# Not compared: the audit trail, which records refusals too, and the bank, which only
# `flask bank load` writes.
UNCOMPARED = {"audit_events", "items", "item_versions", "misconceptions", "study_notes"}


def saved_rows(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table a web request may write."""
    tables = [table for table in db.metadata.sorted_tables if table.name not in UNCOMPARED]
    with app.app_context(), db.engine.connect() as conn:
        return {
            table.name: [
                tuple(row)
                for row in conn.exec_driver_sql(  # raw SQL: fast
                    f"SELECT * FROM {table.name} ORDER BY "  # noqa: S608 (names from the metadata)
                    + ", ".join(column.name for column in table.primary_key)
                )
            ]
            for table in tables
        }


# ---------------------------------------------------------------- the visitor at work


class Target:
    """One write route, used by a visitor allowed to, with a fresh CSRF token each time."""

    def __init__(
        self,
        app: Flask,
        endpoint: str,
        method: str,
        account: Account | None,
        values: dict[str, Any],
        before_setup: bool = False,
    ) -> None:
        self.app, self.endpoint, self.method = app, endpoint, method
        self.account, self.values, self.before_setup = account, values, before_setup
        self.client: FlaskClient = app.test_client()
        self.arguments = {rule.endpoint: rule.arguments for rule in app.url_map.iter_rules()}
        methods = {rule.endpoint: rule.methods for rule in app.url_map.iter_rules()}
        self.page = FORM_PAGES.get(endpoint, endpoint)
        assert "GET" in methods[self.page], f"add {endpoint} to FORM_PAGES"
        self.form, self.page_url, self.secret = PageForm(), "", None
        self.baseline: dict[str, list[tuple[Any, ...]]] | None = None
        self.examples = 0

    def __repr__(self) -> str:
        who = self.account.username if self.account else "anonymous"
        return f"<{self.method} {self.endpoint} as {who}>"

    def url(self, endpoint: str, **query: str) -> str:
        args = {k: v for k, v in self.values.items() if k in self.arguments[endpoint]}
        with self.app.test_request_context():
            return url_for(endpoint, **args, **query)

    def open_attempt(self) -> None:
        """Attempt pages need one in progress: a new one when the fuzz has submitted it."""
        with self.app.app_context():
            user = db.session.get(User, self.account.id)
            attempt = attempts.start_or_resume_attempt(user, "ability-a1", utcnow())
            db.session.commit()
            if attempt.id != self.values["attempt_id"]:
                self.values["attempt_id"], self.baseline = attempt.id, None

    def prepare(self) -> PageForm:
        """Log in again or read the form again when the last request made that necessary."""
        self.examples += 1
        if "attempt_id" in self.arguments[self.page]:
            self.open_attempt()
        with self.client.session_transaction() as session:
            session.pop("_flashes", None)  # redirects are not followed: keep the cookie small
            logged_in = self.account is None or "_user_id" in session
            fresh = logged_in and session.get("csrf_token") == self.secret
        if not logged_in:
            log_in(self.client, self.account)
            self.baseline = None
        if not fresh or self.url(self.page) != self.page_url:
            self.page_url = self.url(self.page)
            page = self.client.get(self.page_url)
            if page.status_code == 200:  # else keep the form: /setup is gone once it has run
                self.form = form_of(
                    page.get_data(as_text=True), self.url(self.endpoint), self.page_url
                )
            with self.client.session_transaction() as session:
                self.secret = session.get("csrf_token")
        if self.baseline is None:
            self.baseline = saved_rows(self.app)
        return self.form

    def token(self, mode: str) -> str | None:
        """The page's CSRF token, none, or a stale one."""
        if mode == "missing" or not self.form.token:
            return None
        return self.form.token if mode == "valid" else self.form.token[::-1]

    def send(self, lang: str, **request: Any) -> TestResponse:
        url = self.url(self.endpoint, lang=lang)
        note(f"{self.method} {url} {request!r}"[:1000])  # the request exactly, when it fails
        return self.client.open(url, method=self.method, **request)

    def post(self, data: dict[str, Any], lang: str, token: str) -> TestResponse:
        if self.token(token):
            data = {**data, "csrf_token": self.token(token)}
        return self.send(lang, data=data)

    def put(self, body: tuple[str, str | bytes], lang: str, token: str) -> TestResponse:
        headers = {"X-CSRFToken": self.token(token)} if self.token(token) else {}
        return self.send(lang, content_type=body[0], data=body[1], headers=headers)

    def check_saved_nothing_if_refused(self, response: TestResponse) -> None:
        """A 4xx leaves the rows as they were; anything else becomes the new baseline."""
        if not 400 <= response.status_code < 500:
            self.baseline = None  # accepted: what it saved is the new normal
            if self.before_setup:  # the set-up ran: empty the database for the next example
                delete_all_rows(self.app)
            return
        before = self.baseline
        after = self.baseline = saved_rows(self.app)  # one failure does not blame the next
        changed = [
            f"{name}: {len(before[name])} rows before, {len(after[name])} after"
            for name in after
            if after[name] != before[name]
        ]
        assert changed == [], f"a refused request ({response.status_code}) saved: {changed}"


@pytest.fixture
def target(request: pytest.FixtureRequest, app: Flask, endpoint: str, method: str) -> Target:
    """The route's first kind of allowed visitor; routes gone after set-up are met before."""
    rule = matrix.ACCESS[endpoint]
    visitor = next((v for v in matrix.VISITORS if matrix.allowed(rule, v)), "anonymous")
    people, values = ({}, {}) if rule == "gone" else request.getfixturevalue("world")
    return Target(app, endpoint, method, people.get(visitor), dict(values), rule == "gone")
