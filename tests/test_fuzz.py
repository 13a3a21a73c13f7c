"""Hypothesis posts arbitrary data to every form and JSON endpoint of the URL map.

Whatever arrives, the answer is below 500; a refusal (4xx) names its reason in the visitor's
language; and a refused request leaves every row but the audit trail as it was.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from quizapp.auth.models import User
from quizapp.db import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services as attempts
from tests import helpers as matrix
from tests.helpers import PASSWORD, Account, delete_all_rows, log_in, make_app

WRITE_METHODS = {"POST", "PUT"}
# Only the URL map of this app is read: it needs no database.
WRITE_ROUTES = sorted(
    (rule.endpoint, method)
    for rule in make_app("sqlite://").url_map.iter_rules()
    for method in rule.methods & WRITE_METHODS
)
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
}
# A valid request to each route that creates or changes something; the fuzz breaks some of
# its fields. Form fields go over what the page itself would send; {n} counts the examples.
VALID_INPUT: dict[str, dict[str, Any]] = {
    "auth.setup": {"username": "admin{n}", "display_name": "管理员", "password": PASSWORD,
                   "confirm": PASSWORD},
    "admin.create_user": {"username": "new.cadre{n}", "display_name": "新学员", "role": "cadre",
                          "password": PASSWORD, "confirm": PASSWORD},
    "cohorts.create": {"name": "二班", "description": "夜校"},
    "cohorts.add_member": {"username": "other_cadre"},
    "cohorts.assign": {"quiz_id": "mixed"},
    "quizzes.edit_settings": {"time_limit_minutes": "30", "max_attempts": "3"},
    "auth.change_password": {"current": PASSWORD, "password": PASSWORD, "confirm": PASSWORD},
    "quizzes.save_answer": {"response": ["a"], "seq": 1},
    "grading.grade": {"points-a": "1", "points-b": "2", "comment": "听了双方。"},
}
# One bug per test, shrunk without the explain phase: a failing route stays quick to report.
FUZZ = settings(max_examples=25, deadline=None, report_multiple_bugs=False,
                phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
                suppress_health_check=[HealthCheck.function_scoped_fixture])



# ---------------------------------------------------------------- strategies

LONG_TEXT = st.builds(lambda part, times: (part * times)[:5000],
                      st.text(min_size=1, max_size=8), st.integers(1, 5000))
# Letters, digits, "_.-": what a username's pattern lets through, in any script.
WORD = st.text(st.characters(categories=["L", "N"], include_characters="_.-"), min_size=3,
               max_size=20)
TEXT = st.one_of(
    st.just(""),
    st.text(max_size=40),  # any code point but surrogates: control characters included
    st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), max_size=10),
    WORD,
    LONG_TEXT,
)
# Fragments that have broken web forms before: NUL, a letter that grows when lower-cased,
# direction marks, line ends, a huge number, the last minute of the calendar, a format string.
# An example picks one (or none) and slips it into every text it makes up.
SPICES = st.sampled_from(["", "\x00", "İ", "\u202e\ufeff", "\r\n", "9" * 40,
                          "9999-12-31T23:59", "%s"])
# Integers, with the edges of the usual column and JSON number types.
INTEGERS = st.integers() | st.sampled_from([0, -1, 2**31 - 1, 2**31, 2**32, 2**53 - 1, 2**53,
                                            2**63])
JSON_LEAVES = st.none() | st.booleans() | INTEGERS | st.floats(allow_nan=False,
                                                                allow_infinity=False)
LANGUAGES = st.sampled_from(["zh", "en"])
# Mostly a valid CSRF token, so that the fuzz reaches the forms behind it.
TOKENS = st.sampled_from(["valid"] * 8 + ["missing", "stale"])


# Strategies are built once per spice and per form: building them is what costs most.
@cache
def texts(spice: str) -> st.SearchStrategy[str]:
    """Text with the spice inside; often a plausible word, so that it passes the validators."""
    return st.one_of(TEXT, WORD).map(
        lambda text: text[:len(text) // 2] + spice + text[len(text) // 2:])


@cache
def json_values(spice: str) -> st.SearchStrategy[Any]:
    """Any JSON value, its strings spiced."""
    return st.recursive(
        JSON_LEAVES | texts(spice),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12),
                                                                    inner, max_size=4),
        max_leaves=12)


def pick(offered: tuple[str, ...]) -> st.SearchStrategy[str]:
    """One of the values a page offers, drawn alike however many it offers, so that examples
    replay on a page that changed (a new attempt shows its options in another order)."""
    return st.integers(0, 99).map(lambda i: offered[i % len(offered)])


@cache
def values_for(offered: tuple[str, ...], spice: str) -> st.SearchStrategy[Any]:
    """Arbitrary text, a value the page offers, or several values under one name."""
    one = st.one_of(texts(spice), pick(offered)) if offered else texts(spice)
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))


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
        return PageForm(self.actions | other.actions, {**self.offered, **other.offered},
                        {**self.sent, **other.sent}, self.token or other.token)


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


# ---------------------------------------------------------------- checking answers

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
ENGLISH = re.compile(r"[A-Za-z]{2,}")
FIELD_ERROR = re.compile(
    r'<(p|li)\b[^>]*\bclass="(?:[^"]*\s)?error(?:\s[^"]*)?"[^>]*>(.*?)</\1>', re.S)
PAGE_ERROR = re.compile(r"<h1>\d{3}</h1>\s*<p>(.*?)</p>", re.S)


def error_messages(response: TestResponse) -> list[str]:
    """What a refusal says: the JSON error, the error page's message, the marked fields."""
    if response.is_json:
        body = response.get_json()
        return [str(body["error"])] if isinstance(body, dict) and "error" in body else []
    page = response.get_data(as_text=True)
    found = [match.group(2) for match in FIELD_ERROR.finditer(page)]
    found += PAGE_ERROR.findall(page)
    return [html.unescape(re.sub(r"<[^>]+>", "", text)).strip() for text in found]


def strings_in(value: Any) -> Iterator[str]:
    """Every string in a posted form or JSON body, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from strings_in(key)
            yield from strings_in(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from strings_in(inner)


def speaks(lang: str, message: str, sent: Any) -> bool:
    """Is the message in the language, not counting the visitor's own words echoed in it?"""
    for text in sorted(strings_in(sent), key=len, reverse=True):
        if text:
            message = message.replace(text, "")
    if lang == "zh":
        return bool(CJK.search(message))
    return bool(ENGLISH.search(message)) and not CJK.search(message)


def check_answer(response: TestResponse, lang: str, sent: Any) -> None:
    """Never a 500; a refusal carries at least one message, each in the visitor's language."""
    status = response.status_code
    assert status < 500, response.get_data(as_text=True)[:2000]
    if status < 400:
        return
    messages = error_messages(response)
    assert messages, f"a {status} that says nothing: {response.get_data(as_text=True)[:2000]}"
    for message in messages:
        assert speaks(lang, message, sent), f"a {status} not in {lang}: {message!r}"


# Not compared: the audit trail, which records refusals too, and the bank, which only
# `flask bank load` writes.
UNCOMPARED = {"audit_events", "items", "item_versions", "misconceptions", "study_notes"}


def saved_rows(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table a web request may write."""
    tables = [table for table in db.metadata.sorted_tables if table.name not in UNCOMPARED]
    with app.app_context(), db.engine.connect() as conn:
        return {table.name: [tuple(row) for row in conn.exec_driver_sql(  # raw SQL: fast
            f"SELECT * FROM {table.name} ORDER BY "  # noqa: S608 (names from the metadata)
            + ", ".join(column.name for column in table.primary_key))] for table in tables}


# ---------------------------------------------------------------- the visitor at work


class Target:
    """One write route, used by a visitor allowed to, with a fresh CSRF token each time."""

    def __init__(self, app: Flask, endpoint: str, method: str, account: Account | None,
                 values: dict[str, Any], before_setup: bool = False) -> None:
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
                self.form = form_of(page.get_data(as_text=True), self.url(self.endpoint),
                                    self.page_url)
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
        changed = [f"{name}: {len(before[name])} rows before, {len(after[name])} after"
                   for name in after if after[name] != before[name]]
        assert changed == [], f"a refused request ({response.status_code}) saved: {changed}"


@pytest.fixture
def target(request: pytest.FixtureRequest, app: Flask, endpoint: str, method: str) -> Target:
    """The route's first kind of allowed visitor; routes gone after set-up are met before."""
    rule = matrix.ACCESS[endpoint]
    visitor = next((v for v in matrix.VISITORS if matrix.allowed(rule, v)), "anonymous")
    people, values = ({}, {}) if rule == "gone" else request.getfixturevalue("world")
    return Target(app, endpoint, method, people.get(visitor), dict(values), rule == "gone")


@cache
def json_bodies(form: PageForm, spice: str) -> st.SearchStrategy[tuple[str, str | bytes]]:
    """Any JSON, answer-shaped JSON with arbitrary parts, and bodies that are not JSON."""
    option_ids = tuple(sorted({value for values in form.offered.values() for value in values}))
    answer = st.lists(st.one_of(texts(spice), pick(option_ids)) if option_ids
                      else texts(spice), max_size=25)
    shaped = st.fixed_dictionaries(
        {"response": st.one_of(answer, json_values(spice)),
         "seq": st.one_of(INTEGERS, json_values(spice))},
        optional={"extra": json_values(spice)})
    as_json = st.one_of(json_values(spice), shaped).map(
        lambda body: json.dumps(body, ensure_ascii=False))
    return st.one_of(
        st.tuples(st.just("application/json"), as_json),
        st.tuples(st.just("application/json"), st.binary(max_size=200)),
        st.tuples(st.sampled_from(["text/plain", "application/x-www-form-urlencoded"]),
                  texts(spice)),
    )


@cache
def form_bodies(form: PageForm, spice: str) -> st.SearchStrategy[dict[str, Any]]:
    """Every real name with arbitrary values; the page's own form altered; arbitrary names."""
    arbitrary = st.dictionaries(st.text(max_size=30), values_for((), spice), max_size=6)
    if not form.offered:
        return arbitrary
    values = {name: values_for(offered, spice) for name, offered in form.offered.items()}
    every = st.fixed_dictionaries(values)
    altered = st.fixed_dictionaries({}, optional=values).map(
        lambda changes: {**form.sent, **changes})
    return st.one_of(every, every, altered, arbitrary)


@cache
def breakages(names: tuple[str, ...], spice: str, as_json: bool) -> st.SearchStrategy[Any]:
    """Up to two fields of a valid request, given arbitrary values."""
    values = st.one_of(INTEGERS, json_values(spice)) if as_json else values_for((), spice)
    return st.dictionaries(st.sampled_from(names), values, max_size=2)


def sent_json(body: tuple[str, str | bytes]) -> Any:
    """The JSON a body carried, for the echo check; the raw body when it is not JSON."""
    try:
        return json.loads(body[1])
    except ValueError:
        return body[1]


# ---------------------------------------------------------------- the tests


@pytest.mark.parametrize(("endpoint", "method"), WRITE_ROUTES)
@FUZZ
@given(data=st.data())
def test_no_write_route_fails_or_refuses_without_saying_why(target, data):
    """Any form or JSON body: below 500, refusals explained, nothing saved from them."""
    lang = data.draw(LANGUAGES, label="lang")
    token = data.draw(TOKENS, label="csrf token")
    spice = data.draw(SPICES, label="spice")
    form = target.prepare()
    if target.method == "PUT":
        body = data.draw(json_bodies(form, spice), label="body")
        response, sent = target.put(body, lang, token), sent_json(body)
    else:
        sent = data.draw(form_bodies(form, spice), label="form")
        response = target.post(sent, lang, token)
    check_answer(response, lang, sent)
    target.check_saved_nothing_if_refused(response)


@pytest.mark.parametrize(("endpoint", "method"),
                         [route for route in WRITE_ROUTES if route[0] in VALID_INPUT])
@settings(FUZZ, max_examples=40)
@given(data=st.data())
def test_a_refused_change_saves_nothing(target, data):
    """A valid request with some fields or its token broken: refused, it changed no row."""
    lang = data.draw(LANGUAGES, label="lang")
    token = data.draw(TOKENS, label="csrf token")
    spice = data.draw(SPICES, label="spice")
    form = target.prepare()
    as_json = target.method == "PUT"
    valid = {key: value.format(n=target.examples) if isinstance(value, str) else value
             for key, value in VALID_INPUT[target.endpoint].items()}
    valid = {**({} if as_json else form.sent), **valid}
    names = (*valid, "extra") if as_json else tuple(sorted(valid))
    body = {**valid, **data.draw(breakages(names, spice, as_json), label="broken")}
    if as_json:
        response = target.put(("application/json", json.dumps(body)), lang, token)
    else:
        response = target.post(body, lang, token)
    check_answer(response, lang, body)
    target.check_saved_nothing_if_refused(response)
