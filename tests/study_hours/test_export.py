"""The cohort's study hours for its coordinator, exported as CSV and XLSX with cells that are
safe to open, and the certificate given only for a completed programme."""

from __future__ import annotations

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
from quizapp.quizzes import services as engine
from quizapp.quizzes.settings import QuizSettings
from quizapp.study_hours import services
from quizapp.study_hours.credit import CreditRule
from tests.helpers import log_in

pytestmark = pytest.mark.usefixtures("loaded_bank")


@pytest.fixture
def cohort(app, make_user, admin):
    """A coordinator's cohort with one assignment (pass mark 60%) and two members, one of whom
    is called like a spreadsheet formula."""
    coordinator = make_user(Role.COORDINATOR, "coord_hours")
    good = make_user(Role.CADRE, "good_cadre", display_name='=HYPERLINK("http://x")')
    idle = make_user(Role.CADRE, "idle_cadre", display_name="闲人")
    with app.app_context():
        found = cohorts.create_cohort("学时班", "", db.session.get(User, coordinator.id))
        for account in (good, idle):
            cohorts.add_member(found, db.session.get(User, account.id))
        assignment = cohorts.create_assignment(
            found, "ability-a1", QuizSettings(pass_percent=60, max_attempts=3)
        )
        db.session.commit()
        return coordinator, good, idle, found.id, assignment.id


def take_assignment(app, account, assignment_id: int, right: bool) -> None:
    with app.app_context():
        user = db.session.get(User, account.id)
        attempt = cohorts.start_assignment(user, assignment_id, utcnow(), timedelta(0))
        rows = engine.attempt_items(attempt)
        engine.save_responses(
            attempt,
            {
                r.id: r.item_version.content["key"]
                if right
                else [o for o in r.option_order if o not in r.item_version.content["key"]][:1]
                for r in rows
            },
            utcnow(),
        )
        engine.submit_attempt(attempt.id, utcnow())
        services.record_credit(account.id, CreditRule.NOTE_READ, "note:A1:x", utcnow())
        db.session.commit()


def test_the_cohort_page_and_both_exports(app, client, cohort):
    coordinator, good, _idle, cohort_id, assignment_id = cohort
    take_assignment(app, good, assignment_id, right=True)
    log_in(client, coordinator)
    page = client.get(f"/cohorts/{cohort_id}/hours?lang=zh").get_data(as_text=True)
    assert "0.75" in page and "闲人" in page and "完成" in page

    response = client.get(f"/cohorts/{cohort_id}/hours.csv")
    assert response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    rows = {row["username"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows["good_cadre"]["display_name"].startswith("'=")  # neutralised
    assert rows["good_cadre"]["study_hours"] == "0.75"
    assert rows["good_cadre"]["programme_complete"] == "yes"
    assert rows["idle_cadre"]["study_hours"] == "0"
    assert rows["idle_cadre"]["programme_complete"] == "no"

    response = client.get(f"/cohorts/{cohort_id}/hours.xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:4] == ["username", "display_name", "year", "study_hours"]
    good_row = next(row for row in values if row[0] == "good_cadre")
    assert good_row[1].startswith("'=") and good_row[3] == "0.75"
    assert client.get(f"/cohorts/{cohort_id}/hours.pdf").status_code == 404


def test_the_certificate_only_when_the_programme_is_complete(app, client, cohort):
    _, good, idle, cohort_id, assignment_id = cohort
    take_assignment(app, good, assignment_id, right=False)  # below the pass mark
    log_in(client, good)
    response = client.get(f"/me/hours/certificates/{cohort_id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/me/hours")
    take_assignment(app, good, assignment_id, right=True)
    page = client.get(f"/me/hours/certificates/{cohort_id}?lang=zh").get_data(as_text=True)
    assert "结业证明" in page and "学时班" in page and "培训管理员：Coord_Hours" in page
    assert "能力一测验" in page and "及格线 60%" in page
    hours_page = client.get("/me/hours?lang=zh").get_data(as_text=True)
    assert f"/me/hours/certificates/{cohort_id}" in hours_page

    other = app.test_client()
    log_in(other, idle)  # a member who has not taken it
    assert other.get(f"/me/hours/certificates/{cohort_id}").status_code == 302


def test_the_cohort_hours_page_costs_the_same_queries_for_more_members(
    app, client, cohort, make_user, count_queries
):
    coordinator, good, _, cohort_id, assignment_id = cohort
    take_assignment(app, good, assignment_id, right=True)
    log_in(client, coordinator)
    few = count_queries(lambda: client.get(f"/cohorts/{cohort_id}/hours"))
    more = [make_user(Role.CADRE, f"more{n}") for n in range(4)]
    with app.app_context():
        found = db.session.get(cohorts.Cohort, cohort_id)
        for account in more:
            cohorts.add_member(found, db.session.get(User, account.id))
        db.session.commit()
    for account in more[:2]:
        take_assignment(app, account, assignment_id, right=True)
    assert count_queries(lambda: client.get(f"/cohorts/{cohort_id}/hours")) == few
