"""The authorization matrix: every route of the URL map against every kind of visitor.

A route missing from ACCESS fails the first test, so a new route cannot ship without a rule.
"""

from __future__ import annotations

import pytest

from quizapp.auth.models import User
from quizapp.cohorts import services as cohorts
from quizapp.db import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services
from quizapp.quizzes.settings import QuizSettings
from quizapp.security import Role
from tests.conftest import csrf_token, log_in

# Who may use each endpoint:
#   public   anyone, logged in or not       user   any logged-in account
#   staff    coordinators and admins        admin  admins only
#   owner    the cadre whose attempt it is (others get 404, as if it did not exist)
#   manager  the coordinator who runs the cohort, and admins (other coordinators get 404)
#   member   a cadre of the cohort (others get 404)
# (grading routes count as "manager": the coordinator of the cadre's cohort, and admins)
ACCESS = {
    "core.home": "public",
    "core.healthz": "public",
    "auth.login": "public",
    "auth.setup": "gone",  # 404 for everyone once an admin exists
    "auth.logout": "user",
    "auth.change_password": "user",
    "quizzes.index": "user",
    "quizzes.detail": "user",
    "quizzes.start": "user",
    "quizzes.take": "owner",
    "quizzes.save": "owner",
    "quizzes.save_answer": "owner",
    "quizzes.submit": "owner",
    "quizzes.result": "owner",
    "quizzes.my_attempts": "user",
    "quizzes.edit_settings": "admin",
    "reports.my_progress": "user",
    "reports.abilities_chart": "user",
    "reports.trend_chart": "user",
    "study.index": "user",
    "study.note": "user",
    "cohorts.home": "user",
    "cohorts.join": "user",
    "cohorts.start_assignment": "member",
    "cohorts.index": "staff",
    "cohorts.create": "staff",
    "cohorts.detail": "manager",
    "cohorts.add_member": "manager",
    "cohorts.upload_members": "manager",
    "cohorts.remove_member": "manager",
    "cohorts.rotate_join_code": "manager",
    "cohorts.assign": "manager",
    "reports.cohort_dashboard": "manager",
    "reports.cohort_heatmap": "manager",
    "reports.cohort_code": "manager",
    "reports.item_analysis": "manager",
    "reports.cohort_export": "manager",
    "grading.queue": "staff",
    "grading.attempt": "manager",
    "grading.grade": "manager",
    "grading.release": "manager",
    "admin.users": "admin",
    "admin.create_user": "admin",
    "admin.edit_user": "admin",
    "admin.deactivate_user": "admin",
    "admin.regrade": "admin",
    "admin.end_sessions": "admin",
    "admin.audit": "admin",
}
VISITORS = ("anonymous", "cadre", "other_cadre", "coordinator", "other_coordinator", "admin")


def allowed(rule: str, visitor: str) -> bool:
    if rule in ("public",):
        return True
    if rule == "gone" or visitor == "anonymous":
        return False
    return {
        "user": True,
        "staff": visitor in ("coordinator", "other_coordinator", "admin"),
        "admin": visitor == "admin",
        "owner": visitor == "cadre",
        "manager": visitor in ("coordinator", "admin"),
        "member": visitor == "cadre",
    }[rule]


def denied_status(rule: str, visitor: str) -> int:
    if rule == "gone":
        return 404
    if visitor == "anonymous":
        return 302  # to the log-in page
    if rule == "manager" and visitor in ("cadre", "other_cadre"):
        return 403  # the role is wrong before the cohort is even looked at
    return 404 if rule in ("owner", "manager", "member") else 403


def test_every_route_has_a_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    assert endpoints - set(ACCESS) == set(), "add the new route to ACCESS"
    assert set(ACCESS) - endpoints == set()


@pytest.fixture
def world(app, make_user, admin, loaded_bank):
    """Accounts of every kind and an attempt in progress owned by `cadre`."""
    people = {
        "cadre": make_user(Role.CADRE, "cadre"),
        "other_cadre": make_user(Role.CADRE, "other_cadre"),
        "coordinator": make_user(Role.COORDINATOR, "coordinator"),
        "other_coordinator": make_user(Role.COORDINATOR, "other_coordinator"),
        "admin": admin,
    }
    with app.app_context():
        user = db.session.get(User, people["cadre"].id)
        attempt = services.start_or_resume_attempt(user, "ability-a1", utcnow())
        cohort = cohorts.create_cohort("一班", "", db.session.get(User,
                                                                 people["coordinator"].id))
        cohorts.add_member(cohort, user)
        assignment = cohorts.create_assignment(cohort, "mixed", QuizSettings())
        handed_in, case_row = written_answer_awaiting_grading(user)
        db.session.commit()
        attempt_id, cohort_id, assignment_id = attempt.id, cohort.id, assignment.id
    values = {"attempt_id": attempt_id, "quiz_id": "ability-a1", "item_id": "A1-001",
              "user_id": people["other_cadre"].id, "code": "A1", "cohort_id": cohort_id,
              "assignment_id": assignment_id, "fmt": "csv", "handed_in_id": handed_in,
              "row_id": case_row}
    return people, values


def written_answer_awaiting_grading(user: User) -> tuple[int, int]:
    """A handed-in attempt whose case analysis waits for a grader: (attempt id, row id)."""
    attempt = services.start_or_resume_attempt(user, "written", utcnow())
    db.session.flush()
    row = next(r for r in services.attempt_items(attempt)
               if r.item_version.kind == "case_analysis")
    services.save_responses(attempt, {row.id: ["1=先听双方的说法。"]}, utcnow())
    services.submit_attempt(attempt.id, utcnow())
    return attempt.id, row.id


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
