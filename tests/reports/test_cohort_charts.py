"""The cohort dashboard's charts: server-drawn SVG, each with its figures kept in text."""

import re

import pytest

from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.cohorts import services as cohorts
from quizapp.db import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services
from quizapp.quizzes.settings import QuizSettings
from tests.helpers import log_in

pytestmark = pytest.mark.usefixtures("loaded_bank")


def test_trend_and_distribution_are_svg_and_the_page_keeps_the_figures(app, client, make_user,
                                                                        admin):
    coordinator = make_user(Role.COORDINATOR, "coord")
    cadre = make_user(Role.CADRE, "learner")
    with app.app_context():
        cohort = cohorts.create_cohort("一班", "", db.session.get(User, coordinator.id))
        cohorts.add_member(cohort, db.session.get(User, cadre.id))
        assignment = cohorts.create_assignment(cohort, "ability-a1", QuizSettings())
        attempt = services.start_or_resume_attempt(
            db.session.get(User, cadre.id), "ability-a1", utcnow(), assignment_id=assignment.id,
            settings=QuizSettings())
        db.session.flush()
        services.save_responses(attempt, {r.id: list(r.item_version.content["key"])
                                          for r in services.attempt_items(attempt)}, utcnow())
        services.submit_attempt(attempt.id, utcnow())
        db.session.commit()
        cohort_id, assignment_id = cohort.id, assignment.id
    log_in(client, coordinator)
    trend = client.get(f"/cohorts/{cohort_id}/trend.svg")
    assert trend.mimetype == "image/svg+xml" and b"<svg" in trend.data
    bars = client.get(f"/assignments/{assignment_id}/distribution.svg")
    assert bars.mimetype == "image/svg+xml" and bars.data.count(b"<rect") >= 10
    page = client.get(f"/cohorts/{cohort_id}/dashboard").get_data(as_text=True)
    # The one cadre scored 100 %: the last band holds him, in the image's text alternative.
    assert "0, 0, 0, 0, 0, 0, 0, 0, 0, 1" in page and "各分数段人数" in page


def sit_assignment(user, assignment_id, right, times):
    """`times` attempts at the assignment, each with the first `right` items answered right."""
    for _ in range(times):
        attempt = services.start_or_resume_attempt(user, "ability-a1", utcnow(),
                                                   assignment_id=assignment_id,
                                                   settings=QuizSettings())
        db.session.flush()
        rows = services.attempt_items(attempt)
        services.save_responses(attempt, {
            row.id: list(row.item_version.content["key"]) if index < right else
            [o for o in row.option_order if o not in row.item_version.content["key"]][:1]
            for index, row in enumerate(rows)}, utcnow())
        services.submit_attempt(attempt.id, utcnow())


@pytest.fixture
def two_cadres(app, make_user, admin):
    """A cohort where one cadre answers every item wrong, three times (nine answers: enough to
    flag), and another every item right."""
    coordinator = make_user(Role.COORDINATOR, "coord")
    weak, good = make_user(Role.CADRE, "weak", display_name="王弱"), make_user(Role.CADRE, "good")
    with app.app_context():
        cohort = cohorts.create_cohort("一班", "", db.session.get(User, coordinator.id))
        assignment = cohorts.create_assignment(cohort, "ability-a1",
                                               QuizSettings(pass_percent=70))
        for account, right in ((weak, 0), (good, 3)):
            user = db.session.get(User, account.id)
            cohorts.add_member(cohort, user)
            sit_assignment(user, assignment.id, right, 3)
        db.session.commit()
        return coordinator, cohort.id, weak.id, good.id


def test_dashboard_draws_the_trend_of_each_ability_beside_its_table(app, client, two_cadres):
    coordinator, cohort_id, _, _ = two_cadres
    log_in(client, coordinator)
    page = client.get(f"/cohorts/{cohort_id}/dashboard?lang=en").get_data(as_text=True)
    charts = re.findall(rf'src="(/cohorts/{cohort_id}/trend[^"]*\.svg)"', page)
    assert charts == [f"/cohorts/{cohort_id}/trend.svg"] + [
        f"/cohorts/{cohort_id}/trend/A{n}.svg" for n in range(1, 6)]
    table = page.split('class="list trend-table"')[1].split("</table>")[0]
    month = utcnow().strftime("%Y-%m")
    # The whole cohort and A1 (both 50 %: 9 of 18 points), no answers on A2–A5.
    assert re.search(rf">{month}</th><td>50</td><td>50</td>(<td>–</td>){{4}}<td>18</td>",
                     table)
    assert "The dashed line is the pass mark (70%)" in page
    for path in charts:
        response = client.get(path)
        assert response.mimetype == "image/svg+xml" and b"<script" not in response.data
    a1 = client.get(f"/cohorts/{cohort_id}/trend/A1.svg?lang=en").get_data(as_text=True)
    assert "A1 Prestige among the people" in a1 and 'stroke-dasharray="6 4"' in a1
    assert "<circle" not in client.get(f"/cohorts/{cohort_id}/trend/A2.svg").get_data(
        as_text=True)
    assert client.get(f"/cohorts/{cohort_id}/trend/Z9.svg").status_code == 404


def test_who_needs_attention_names_the_reason_and_leads_to_the_cadre(app, client, two_cadres):
    coordinator, cohort_id, weak_id, good_id = two_cadres
    log_in(client, coordinator)
    page = client.get(f"/cohorts/{cohort_id}/dashboard?lang=en").get_data(as_text=True)
    attention = page.split('class="attention-list"')[1].split("</ul>")[0]
    assert attention.count("<li>") == 1 and "(1 / 2)" in page
    assert f'href="/cohorts/{cohort_id}/heatmap#cadre-{weak_id}">王弱</a>' in attention
    assert (f'href="/cohorts/{cohort_id}/codes/A1?user={weak_id}">below the pass line on A1'
            in attention)
    assert f"cadre-{good_id}" not in attention
    heat = client.get(f"/cohorts/{cohort_id}/heatmap").get_data(as_text=True)
    assert f'<tr id="cadre-{weak_id}">' in heat
    drill = client.get(f"/cohorts/{cohort_id}/codes/A1?user={weak_id}")
    assert drill.status_code == 200 and "王弱" in drill.get_data(as_text=True)
