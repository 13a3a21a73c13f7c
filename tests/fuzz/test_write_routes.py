"""Hypothesis posts arbitrary data to every form and JSON endpoint of the URL map.

Whatever arrives, the answer is below 500; a refusal (4xx) names its reason in the visitor's
language; and a refused request leaves every row but the audit trail as it was.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from tests.helpers import PASSWORD, make_app

if TYPE_CHECKING:  # the form the `target` fixture reads from a route's page
    from tests.fuzz.conftest import PageForm

WRITE_METHODS = {"POST", "PUT"}
# Only the URL map of this app is read: it needs no database.
WRITE_ROUTES = sorted(
    (rule.endpoint, method)
    for rule in make_app("sqlite://").url_map.iter_rules()
    for method in rule.methods & WRITE_METHODS
)
# A valid request to each route that creates or changes something; the fuzz breaks some of
# its fields. Form fields go over what the page itself would send; {n} counts the examples.
VALID_INPUT: dict[str, dict[str, Any]] = {
    "auth.setup": {
        "username": "admin{n}",
        "display_name": "管理员",
        "password": PASSWORD,
        "confirm": PASSWORD,
    },
    "admin.create_user": {
        "username": "new.cadre{n}",
        "display_name": "新学员",
        "role": "cadre",
        "password": PASSWORD,
        "confirm": PASSWORD,
    },
    "cohorts.create": {"name": "二班", "description": "夜校"},
    "cohorts.add_member": {"username": "other_cadre"},
    "cohorts.assign": {"quiz_id": "mixed"},
    "quizzes.edit_settings": {"time_limit_minutes": "30", "max_attempts": "3"},
    "auth.change_password": {"current": PASSWORD, "password": PASSWORD, "confirm": PASSWORD},
    "quizzes.save_answer": {"response": ["a"], "seq": 1},
    "grading.grade": {"points-a": "1", "points-b": "2", "comment": "听了双方。"},
}
# One bug per test, shrunk without the explain phase: a failing route stays quick to report.
FUZZ = settings(
    max_examples=25,
    deadline=None,
    report_multiple_bugs=False,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


# ---------------------------------------------------------------- strategies

LONG_TEXT = st.builds(
    lambda part, times: (part * times)[:5000], st.text(min_size=1, max_size=8), st.integers(1, 5000)
)
# Letters, digits, "_.-": what a username's pattern lets through, in any script.
WORD = st.text(
    st.characters(categories=["L", "N"], include_characters="_.-"), min_size=3, max_size=20
)
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
SPICES = st.sampled_from(
    ["", "\x00", "İ", "\u202e\ufeff", "\r\n", "9" * 40, "9999-12-31T23:59", "%s"]
)
# Integers, with the edges of the usual column and JSON number types.
INTEGERS = st.integers() | st.sampled_from(
    [0, -1, 2**31 - 1, 2**31, 2**32, 2**53 - 1, 2**53, 2**63]
)
JSON_LEAVES = (
    st.none() | st.booleans() | INTEGERS | st.floats(allow_nan=False, allow_infinity=False)
)
LANGUAGES = st.sampled_from(["zh", "en"])
# Mostly a valid CSRF token, so that the fuzz reaches the forms behind it.
TOKENS = st.sampled_from(["valid"] * 8 + ["missing", "stale"])


# Strategies are built once per spice and per form: building them is what costs most.
@cache
def texts(spice: str) -> st.SearchStrategy[str]:
    """Text with the spice inside; often a plausible word, so that it passes the validators."""
    return st.one_of(TEXT, WORD).map(
        lambda text: text[: len(text) // 2] + spice + text[len(text) // 2 :]
    )


@cache
def json_values(spice: str) -> st.SearchStrategy[Any]:
    """Any JSON value, its strings spiced."""
    return st.recursive(
        JSON_LEAVES | texts(spice),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
        ),
        max_leaves=12,
    )


def pick(offered: tuple[str, ...]) -> st.SearchStrategy[str]:
    """One of the values a page offers, drawn alike however many it offers, so that examples
    replay on a page that changed (a new attempt shows its options in another order)."""
    return st.integers(0, 99).map(lambda i: offered[i % len(offered)])


@cache
def values_for(offered: tuple[str, ...], spice: str) -> st.SearchStrategy[Any]:
    """Arbitrary text, a value the page offers, or several values under one name."""
    one = st.one_of(texts(spice), pick(offered)) if offered else texts(spice)
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))


# ---------------------------------------------------------------- checking answers

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
ENGLISH = re.compile(r"[A-Za-z]{2,}")
FIELD_ERROR = re.compile(
    r'<(p|li)\b[^>]*\bclass="(?:[^"]*\s)?error(?:\s[^"]*)?"[^>]*>(.*?)</\1>', re.S
)
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


@cache
def json_bodies(form: PageForm, spice: str) -> st.SearchStrategy[tuple[str, str | bytes]]:
    """Any JSON, answer-shaped JSON with arbitrary parts, and bodies that are not JSON."""
    option_ids = tuple(sorted({value for values in form.offered.values() for value in values}))
    answer = st.lists(
        st.one_of(texts(spice), pick(option_ids)) if option_ids else texts(spice), max_size=25
    )
    shaped = st.fixed_dictionaries(
        {
            "response": st.one_of(answer, json_values(spice)),
            "seq": st.one_of(INTEGERS, json_values(spice)),
        },
        optional={"extra": json_values(spice)},
    )
    as_json = st.one_of(json_values(spice), shaped).map(
        lambda body: json.dumps(body, ensure_ascii=False)
    )
    return st.one_of(
        st.tuples(st.just("application/json"), as_json),
        st.tuples(st.just("application/json"), st.binary(max_size=200)),
        st.tuples(
            st.sampled_from(["text/plain", "application/x-www-form-urlencoded"]), texts(spice)
        ),
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
        lambda changes: {**form.sent, **changes}
    )
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


@pytest.mark.parametrize(
    ("endpoint", "method"), [route for route in WRITE_ROUTES if route[0] in VALID_INPUT]
)
@settings(FUZZ, max_examples=40)
@given(data=st.data())
def test_a_refused_change_saves_nothing(target, data):
    """A valid request with some fields or its token broken: refused, it changed no row."""
    lang = data.draw(LANGUAGES, label="lang")
    token = data.draw(TOKENS, label="csrf token")
    spice = data.draw(SPICES, label="spice")
    form = target.prepare()
    as_json = target.method == "PUT"
    valid = {
        key: value.format(n=target.examples) if isinstance(value, str) else value
        for key, value in VALID_INPUT[target.endpoint].items()
    }
    valid = {**({} if as_json else form.sent), **valid}
    names = (*valid, "extra") if as_json else tuple(sorted(valid))
    body = {**valid, **data.draw(breakages(names, spice, as_json), label="broken")}
    if as_json:
        response = target.put(("application/json", json.dumps(body)), lang, token)
    else:
        response = target.post(body, lang, token)
    check_answer(response, lang, body)
    target.check_saved_nothing_if_refused(response)
