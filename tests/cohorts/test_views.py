"""Cohorts over HTTP: create, members, class lists, join codes, assignments, scoping."""

import html
import io
import re

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from quizapp.audit.models import AuditAction, AuditEvent
from quizapp.auth import services as accounts
from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.cohorts import services
from quizapp.cohorts.models import Cohort, Membership
from quizapp.extensions import db
from tests.helpers import PASSWORD, csrf_token, log_in, rate_limited_app

pytestmark = pytest.mark.usefixtures("loaded_bank")


@pytest.fixture
def coordinator(make_user, admin):
    return make_user(Role.COORDINATOR, "coord_li")


@pytest.fixture
def cohort_id(app, client, coordinator):
    log_in(client, coordinator)
    token = csrf_token(client, "/cohorts/new")
    response = client.post("/cohorts/new", data={"csrf_token": token, "name": "青年干部一班",
                                                 "description": "2026 年秋季"})
    return int(response.headers["Location"].rsplit("/", 1)[1])


def members(app, cohort_id):
    with app.app_context():
        return sorted(db.session.scalars(
            select(User.username).join(Membership, Membership.user_id == User.id)
            .where(Membership.cohort_id == cohort_id)))


def test_add_member_by_username_and_refuse_unknown(app, client, cohort_id, cadre):
    token = csrf_token(client, f"/cohorts/{cohort_id}")
    client.post(f"/cohorts/{cohort_id}/members", data={"csrf_token": token,
                                                       "username": "cadre"})
    unknown = client.post(f"/cohorts/{cohort_id}/members", data={"csrf_token": token,
                                                                 "username": "ghost_user"})
    assert unknown.status_code == 400
    assert "没有可由你添加的、使用该用户名的干部账号" in unknown.get_data(as_text=True)
    assert members(app, cohort_id) == ["cadre"]


def test_class_list_is_all_or_nothing_and_shows_passwords_once(app, client, cohort_id, cadre):
    token = csrf_token(client, f"/cohorts/{cohort_id}")
    bad = "username,display_name\nnew_one,新一\nx,太短\n".encode()
    response = client.post(f"/cohorts/{cohort_id}/members/upload", data={
        "csrf_token": token, "roster": (io.BytesIO(bad), "class.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert "row 3: username 'x'" in html.unescape(response.get_data(as_text=True))
    assert members(app, cohort_id) == []
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "new_one")) is None

    workbook = Workbook()
    workbook.active.append(["username", "display_name"])
    workbook.active.append(["new_one", "新一"])
    workbook.active.append(["cadre", "Existing"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    response = client.post(f"/cohorts/{cohort_id}/members/upload", data={
        "csrf_token": token, "roster": (buffer, "class.xlsx")},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    password = re.search(r"<td>new_one</td><td><code>([^<]+)</code>", page).group(1)
    assert members(app, cohort_id) == ["cadre", "new_one"]
    newcomer = app.test_client()
    token = csrf_token(newcomer)
    assert newcomer.post("/login", data={"csrf_token": token, "username": "new_one",
                                         "password": password}).status_code == 302
    assert password not in client.get(f"/cohorts/{cohort_id}").get_data(as_text=True)


def test_a_cadre_joins_with_the_code(app, client, cohort_id, cadre):
    with app.app_context():
        code = db.session.get(Cohort, cohort_id).join_code
    cadre_client = app.test_client()
    log_in(cadre_client, cadre)
    token = csrf_token(cadre_client, "/me/")
    wrong = cadre_client.post("/cohorts/join", data={"csrf_token": token, "code": "NOPE1234"})
    assert wrong.status_code == 400
    cadre_client.post("/cohorts/join", data={"csrf_token": token, "code": code.lower()})
    assert members(app, cohort_id) == ["cadre"]


def test_assignment_shows_on_the_cadres_page_and_runs_under_its_settings(app, client,
                                                                        cohort_id, cadre):
    token = csrf_token(client, f"/cohorts/{cohort_id}")
    client.post(f"/cohorts/{cohort_id}/members", data={"csrf_token": token,
                                                       "username": "cadre"})
    token = csrf_token(client, f"/cohorts/{cohort_id}/assignments/new")
    response = client.post(f"/cohorts/{cohort_id}/assignments/new", data={
        "csrf_token": token, "quiz_id": "ability-a1", "time_limit_minutes": "15",
        "max_attempts": "1", "grading_method": "highest", "mode": "test",
        "show_answers": "after_submit", "show_keys": "after_submit",
        "show_explanations": "after_submit", "overdue_action": "autosubmit",
        "shuffle_items": "y", "shuffle_options": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    cadre_client = app.test_client()
    log_in(cadre_client, cadre)
    home = cadre_client.get("/me/").get_data(as_text=True)
    assert "能力一测验" in home and "青年干部一班" in home
    assignment_id = int(re.search(r"/assignments/(\d+)/attempts", home).group(1))
    token = csrf_token(cadre_client, "/me/")
    started = cadre_client.post(f"/assignments/{assignment_id}/attempts",
                                data={"csrf_token": token})
    attempt_url = started.headers["Location"]
    page = cadre_client.get(attempt_url).get_data(as_text=True)
    assert 'data-seconds-left="' in page  # the assignment's 15-minute limit applies
    cadre_client.post(attempt_url + "/submit", data={"csrf_token": token})
    again = cadre_client.post(f"/assignments/{assignment_id}/attempts",
                              data={"csrf_token": token})
    assert again.headers["Location"].endswith("/me/")  # one attempt allowed, used


def test_coordinators_see_only_their_own_cohorts(app, client, cohort_id, make_user, admin):
    other = app.test_client()
    log_in(other, make_user(Role.COORDINATOR, "coord_wang"))
    assert "青年干部一班" not in other.get("/cohorts/").get_data(as_text=True)
    for path in (f"/cohorts/{cohort_id}", f"/cohorts/{cohort_id}/dashboard",
                 f"/cohorts/{cohort_id}/heatmap", f"/cohorts/{cohort_id}/codes/A1",
                 f"/cohorts/{cohort_id}/export.csv"):
        assert other.get(path).status_code == 404, path
    boss = app.test_client()
    log_in(boss, admin)
    assert "青年干部一班" in boss.get("/cohorts/").get_data(as_text=True)


def test_cadres_cannot_see_reports(app, cohort_id, cadre):
    cadre_client = app.test_client()
    log_in(cadre_client, cadre)
    for path in ("/cohorts/", f"/cohorts/{cohort_id}/dashboard",
                 f"/cohorts/{cohort_id}/export.xlsx"):
        assert cadre_client.get(path).status_code == 403, path


def join_code(app, cohort_id):
    with app.app_context():
        return db.session.get(Cohort, cohort_id).join_code


def post_join(client, code):
    """A signed-in client enters a join code on its start page."""
    return client.post("/cohorts/join", data={
        "csrf_token": csrf_token(client, "/cohorts/join"), "code": code})


def other_coordinators_cadre(app, make_user, client):
    """A cadre in a cohort of another coordinator (coord_wu)."""
    wu = make_user(Role.COORDINATOR, "coord_wu")
    taken = make_user(Role.CADRE, "taken_cadre")
    with app.app_context():
        cohort = services.create_cohort("吴的班", "", db.session.get(User, wu.id))
        services.add_member(cohort, db.session.get(User, taken.id))
        db.session.commit()
    return taken


def test_coordinator_cannot_pull_in_staff_or_anothers_cadre(app, client, cohort_id, make_user):
    other_coordinators_cadre(app, make_user, client)
    make_user(Role.ADMIN, "boss_admin")
    token = csrf_token(client, f"/cohorts/{cohort_id}")
    for username in ("taken_cadre", "coord_wu", "boss_admin"):
        refused = client.post(f"/cohorts/{cohort_id}/members",
                              data={"csrf_token": token, "username": username})
        assert refused.status_code == 400, username
    roster = "username,display_name\nfresh_one,新人\ntaken_cadre,被占\n".encode()
    response = client.post(f"/cohorts/{cohort_id}/members/upload", data={
        "csrf_token": token, "roster": (io.BytesIO(roster), "class.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert "row 3: the account taken_cadre cannot be added here" in html.unescape(
        response.get_data(as_text=True))
    assert members(app, cohort_id) == []


def test_anothers_cadre_joins_by_code_and_every_change_is_audited(app, client, cohort_id,
                                                                  make_user):
    taken = other_coordinators_cadre(app, make_user, client)
    make_user(Role.CADRE, "fresh_cadre")  # in no cohort yet: a coordinator may add him
    token = csrf_token(client, f"/cohorts/{cohort_id}")
    client.post(f"/cohorts/{cohort_id}/members", data={"csrf_token": token,
                                                       "username": "fresh_cadre"})
    client.post(f"/cohorts/{cohort_id}/members/{taken.id}/remove",
                data={"csrf_token": token})  # not a member: nothing happens, nothing audited
    cadre_client = app.test_client()
    log_in(cadre_client, taken)
    joined = post_join(cadre_client, join_code(app, cohort_id))
    assert joined.status_code == 302
    assert members(app, cohort_id) == ["fresh_cadre", "taken_cadre"]
    with app.app_context():
        fresh = db.session.scalar(select(User).where(User.username == "fresh_cadre"))
    client.post(f"/cohorts/{cohort_id}/members/{fresh.id}/remove", data={"csrf_token": token})
    assert members(app, cohort_id) == ["taken_cadre"]
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent))
                   if e.target == f"cohort {cohort_id}"]
    assert actions == [AuditAction.MEMBER_ADDED, AuditAction.MEMBER_JOINED,
                       AuditAction.MEMBER_REMOVED]


def test_staff_cannot_join_a_cohort_by_code(app, client, cohort_id, make_user):
    nosy = app.test_client()
    log_in(nosy, make_user(Role.COORDINATOR, "coord_nosy"))
    refused = post_join(nosy, join_code(app, cohort_id))
    assert refused.status_code == 400
    assert members(app, cohort_id) == []


def test_a_join_code_can_be_rotated_and_wrong_codes_are_logged(app, client, cohort_id,
                                                                make_user):
    old = join_code(app, cohort_id)
    token = csrf_token(client, f"/cohorts/{cohort_id}")
    assert client.post(f"/cohorts/{cohort_id}/join-code",
                       data={"csrf_token": token}).status_code == 302
    assert join_code(app, cohort_id) != old
    joiner = app.test_client()
    log_in(joiner, make_user(Role.CADRE, "late_joiner"))
    refused = post_join(joiner, old)
    assert refused.status_code == 400
    assert members(app, cohort_id) == []
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent))]
    assert AuditAction.JOIN_CODE_ROTATED in actions and AuditAction.JOIN_REFUSED in actions


def test_join_code_guesses_are_throttled_per_account(database_url, session_app):
    with rate_limited_app(database_url, JOIN_LIMIT="3 per minute",
                          LOGIN_LIMIT_PER_ADDRESS="100 per minute") as limited:
        with limited.app_context():
            accounts.create_user("join_admin", "管理员", PASSWORD, Role.ADMIN)
            accounts.create_user("guessing_cadre", "猜码", PASSWORD, Role.CADRE)
            db.session.commit()
        client = limited.test_client()
        client.post("/login", data={"csrf_token": csrf_token(client), "password": PASSWORD,
                                    "username": "guessing_cadre"})
        statuses = [post_join(client, f"WRONG{n:03d}").status_code for n in range(4)]
        assert statuses == [400, 400, 400, 429]
