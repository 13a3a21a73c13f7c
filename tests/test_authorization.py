"""The authorization matrix: every route of the URL map against every kind of visitor.

A route missing from ACCESS fails the first test, so a new route cannot ship without a rule.
"""

from __future__ import annotations

import pytest

from tests.helpers import ACCESS, VISITORS, allowed, csrf_token, denied_status, log_in


def test_every_route_has_a_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    assert endpoints - set(ACCESS) == set(), "add the new route to ACCESS"
    assert set(ACCESS) - endpoints == set()


def request_as(app, people, visitor, method, url):
    client = app.test_client()
    if visitor != "anonymous":
        log_in(client, people[visitor])
        token = csrf_token(client, "/quizzes/")
    else:
        token = csrf_token(client, "/login")
    if method == "GET":
        return client.get(url)
    if method == "PUT":
        return client.put(url, json={"response": ["a"], "seq": 1},
                          headers={"X-CSRFToken": token})
    return client.post(url, data={"csrf_token": token})


@pytest.mark.parametrize("endpoint", sorted(ACCESS))
def test_route_against_every_visitor(app, world, endpoint):
    people, values = world
    rule_of = {rule.endpoint: rule for rule in app.url_map.iter_rules()}
    url_rule = rule_of[endpoint]
    url = url_rule.rule
    for name in url_rule.arguments:
        url = url.replace(f"<int:{name}>", str(values[name])).replace(f"<{name}>",
                                                                       str(values[name]))
    access = ACCESS[endpoint]
    methods = sorted(url_rule.methods - {"HEAD", "OPTIONS"})
    # Refused visitors first, so an allowed state change cannot hide a refusal.
    for visitor in sorted(VISITORS, key=lambda v: allowed(access, v)):
        for method in methods:
            response = request_as(app, people, visitor, method, url)
            where = f"{method} {url} as {visitor}"
            if allowed(access, visitor):
                assert response.status_code not in (401, 403, 404), where
                if response.status_code == 302 and endpoint not in ("auth.logout", "core.home"):
                    assert "/login" not in response.headers["Location"], where
            else:
                assert response.status_code == denied_status(access, visitor), where
                if response.status_code == 302:
                    assert "/login" in response.headers["Location"], where


def test_every_response_carries_the_security_headers(client, admin):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
