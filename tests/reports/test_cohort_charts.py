"""The cohort dashboard's charts: server-drawn SVG, each with its figures kept in text."""

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
