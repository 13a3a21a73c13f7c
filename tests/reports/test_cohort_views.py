"""Coordinator reports over HTTP: dashboard, heat map drill-down, item analysis, export."""

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.cohorts import services as cohorts
from quizapp.db import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services as attempts
from quizapp.quizzes.models import Attempt
from quizapp.quizzes.settings import QuizSettings
from tests.helpers import log_in

pytestmark = pytest.mark.usefixtures("loaded_bank")


@pytest.fixture
def world(app, make_user, admin):
    """A coordinator's cohort with an assignment and cadres who took it."""
    coordinator = make_user(Role.COORDINATOR, "coord_zhang")
    with app.app_context():
        cohort = cohorts.create_cohort("乡镇班", "", db.session.get(User, coordinator.id))
        assignment = cohorts.create_assignment(
            cohort, "ability-a1", QuizSettings(closes_at=utcnow() + timedelta(days=1)))
        cohort_id, assignment_id = cohort.id, assignment.id
        db.session.commit()
    return coordinator, cohort_id, assignment_id


def add_cadre(app, make_user, cohort_id, assignment_id, name, right):
    """A member who answers the assignment: `right` = how many of the 3 items correctly."""
    account = make_user(Role.CADRE, name, display_name=f"干部{name}")
    with app.app_context():
        user = db.session.get(User, account.id)
        cohorts.add_member(db.session.get(cohorts.Cohort, cohort_id), user)
        attempt = cohorts.start_assignment(user, assignment_id, utcnow(), timedelta(0))
        for index, row in enumerate(attempts.attempt_items(attempt)):
            key = row.item_version.content["key"]
            wrong = [o for o in row.option_order if o not in key][:1]
            row.response = key if index < right else wrong
        attempts.submit_attempt(attempt.id, utcnow())
        db.session.commit()
    return account


def test_dashboard_completion_mean_and_at_risk(app, client, world, make_user):
    coordinator, cohort_id, assignment_id = world
    add_cadre(app, make_user, cohort_id, assignment_id, "good", 3)
    add_cadre(app, make_user, cohort_id, assignment_id, "weak", 0)
    make_user(Role.CADRE, "idle")
    with app.app_context():
        cohort = db.session.get(cohorts.Cohort, cohort_id)
        cohorts.add_member(cohort,
                           db.session.scalar(db.select(User).where(User.username == "idle")))
        # A second assignment that closed yesterday and that nobody did: everyone is overdue.
        cohorts.create_assignment(cohort, "mixed",
                                  QuizSettings(closes_at=utcnow() - timedelta(days=1)))
        db.session.commit()
    log_in(client, coordinator)
    page = client.get(f"/cohorts/{cohort_id}/dashboard?lang=en").get_data(as_text=True)
    assert "2 / 3 (67%)" in page                      # completion of the first assignment
    at_risk = page.split("Cadres who need attention")[1]
    assert at_risk.count("1 overdue") == 3
    heat = client.get(f"/cohorts/{cohort_id}/heatmap").get_data(as_text=True)
    assert "干部good" in heat and ">100<" in heat and ">0<" in heat
    drill = client.get(f"/cohorts/{cohort_id}/codes/A1?lang=en").get_data(as_text=True)
    # The weak cadre chose a wrong option on every item: at least one carries a tag (which one
    # depends on the shuffled option order, so any of the test bank's labels will do).
    assert "No wrong option chosen." not in drill
    assert any(label in drill for label in ("Gives orders instead of persuading",
                                            "Applies rules rigidly",
                                            "Promises what policy cannot give"))
    items = client.get(f"/assignments/{assignment_id}/items").get_data(as_text=True)
    assert "A1-001" in items and "too few responses to judge" in items  # English was chosen


def test_export_round_trip_keeps_chinese(app, client, world, make_user):
    coordinator, cohort_id, assignment_id = world
    add_cadre(app, make_user, cohort_id, assignment_id, "li_na", 2)
    log_in(client, coordinator)
    raw = client.get(f"/cohorts/{cohort_id}/export.csv").data
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 3
    assert {r["display_name"] for r in rows} == {"干部li_na"}
    assert sum(float(r["score"]) for r in rows) == 2.0
    workbook = load_workbook(io.BytesIO(client.get(f"/cohorts/{cohort_id}/export.xlsx").data))
    sheet = list(workbook.active.iter_rows(values_only=True))
    assert sheet[0][:2] == ("username", "display_name")
    assert sheet[1][1] == "干部li_na" and len(sheet) == 4


def test_report_pages_use_a_constant_number_of_queries(app, client, world, make_user,
                                                      count_queries):
    coordinator, cohort_id, assignment_id = world
    log_in(client, coordinator)
    pages = [f"/cohorts/{cohort_id}/dashboard", f"/cohorts/{cohort_id}/heatmap",
             f"/cohorts/{cohort_id}/codes/A1", "/cohorts/", f"/cohorts/{cohort_id}"]
    add_cadre(app, make_user, cohort_id, assignment_id, "one", 1)
    few = {p: count_queries(lambda p=p: client.get(p)) for p in pages}
    for n in range(6):
        add_cadre(app, make_user, cohort_id, assignment_id, f"more{n}", n % 4)
    many = {p: count_queries(lambda p=p: client.get(p)) for p in pages}
    assert many == few
    with app.app_context():
        assert db.session.query(Attempt).count() == 7


def test_reports_show_only_the_cohorts_own_assignments(app, client, world, make_user):
    """A member's private practice is his own: it reaches no cohort report."""
    coordinator, cohort_id, assignment_id = world
    account = add_cadre(app, make_user, cohort_id, assignment_id, "private", 3)
    with app.app_context():
        user = db.session.get(User, account.id)
        practice = attempts.start_or_resume_attempt(user, "ability-a1", utcnow())
        for row in attempts.attempt_items(practice):  # every practice answer wrong
            row.response = [o for o in row.option_order
                            if o not in row.item_version.content["key"]][:1]
        attempts.submit_attempt(practice.id, utcnow())
        db.session.commit()
        practice_id = practice.id
    log_in(client, coordinator)
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/cohorts/{cohort_id}/export.csv").data.decode("utf-8-sig"))))
    assert str(practice_id) not in {r["attempt"] for r in rows}
    assert len(rows) == 3
    heat = client.get(f"/cohorts/{cohort_id}/heatmap").get_data(as_text=True)
    assert ">100<" in heat and ">0<" not in heat  # the wrong practice answers are not counted
    drill = client.get(f"/cohorts/{cohort_id}/codes/A1?user={account.id}&lang=en")
    assert "No wrong option chosen." in drill.get_data(as_text=True)


def test_exports_neutralise_cells_a_spreadsheet_would_run(app, client, world, make_user):
    coordinator, cohort_id, assignment_id = world
    account = add_cadre(app, make_user, cohort_id, assignment_id, "formula", 1)
    with app.app_context():
        db.session.get(User, account.id).display_name = '=HYPERLINK("http://x.test","点我")'
        db.session.commit()
    log_in(client, coordinator)
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/cohorts/{cohort_id}/export.csv").data.decode("utf-8-sig"))))
    assert {r["display_name"] for r in rows} == {"'=HYPERLINK(\"http://x.test\",\"点我\")"}
    sheet = load_workbook(io.BytesIO(client.get(f"/cohorts/{cohort_id}/export.xlsx").data)).active
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.value.startswith("'=")
