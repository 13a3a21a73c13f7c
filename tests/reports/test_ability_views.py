"""Abilities as bands on the cadre's progress page and the cohort pages, in both languages;
flags only where the evidence is clear."""

import re

import pytest

from quizapp.abilities import services as abilities
from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.cohorts import services as cohorts
from quizapp.db import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services
from quizapp.quizzes.settings import QuizSettings
from tests.helpers import log_in

pytestmark = pytest.mark.usefixtures("loaded_bank")


def sit(app, user_id: int, wrong: int, assignment_id: int | None = None) -> None:
    """One attempt of the A1 quiz with `wrong` items answered wrongly, the rest right."""
    with app.app_context():
        user = db.session.get(User, user_id)
        settings = QuizSettings() if assignment_id else None
        attempt = services.start_or_resume_attempt(user, "ability-a1", utcnow(),
                                                   assignment_id=assignment_id,
                                                   settings=settings)
        db.session.flush()
        answers = {}
        for n, row in enumerate(services.attempt_items(attempt)):
            key = row.item_version.content["key"]
            answers[row.id] = [o for o in row.option_order if o not in key][:1] \
                if n < wrong else list(key)
        services.save_responses(attempt, answers, utcnow())
        services.submit_attempt(attempt.id, utcnow())
        db.session.commit()


def test_progress_shows_each_ability_as_a_band_in_both_languages(app, client, cadre):
    sit(app, cadre.id, wrong=1)
    log_in(client, cadre)
    zh = client.get("/me/progress").get_data(as_text=True)
    assert 'class="band' in zh and "50 是参训干部的平均水平" in zh
    en = client.get("/me/progress?lang=en").get_data(as_text=True)
    assert "Ability (likely range)" in en and "50 is the average cadre" in en
    assert "not enough evidence yet" in en  # 3 answers: the band is wide and greyed


def test_the_dashboard_flags_clear_evidence_only(app, client, make_user, admin):
    coordinator = make_user(Role.COORDINATOR, "coord")
    weak, unlucky = make_user(Role.CADRE, "weak"), make_user(Role.CADRE, "unlucky")
    with app.app_context():
        cohort = cohorts.create_cohort("一班", "", db.session.get(User, coordinator.id))
        for account in (weak, unlucky):
            cohorts.add_member(cohort, db.session.get(User, account.id))
        assignment = cohorts.create_assignment(cohort, "ability-a1", QuizSettings())
        db.session.commit()
        cohort_id, assignment_id = cohort.id, assignment.id
    for _ in range(8):
        sit(app, weak.id, wrong=3, assignment_id=assignment_id)
    sit(app, unlucky.id, wrong=2, assignment_id=assignment_id)
    log_in(client, coordinator)
    board = client.get(f"/cohorts/{cohort_id}/dashboard?lang=en").get_data(as_text=True)
    attention = board.split("Cadres who need attention", 1)[1]
    assert "(weak)" in attention and "below the pass line on A1" in attention
    assert "(unlucky)" not in attention  # 2 wrong of 3 is no evidence of anything yet
    heat = client.get(f"/cohorts/{cohort_id}/heatmap?lang=en").get_data(as_text=True)
    assert 'class="heat wide"' in heat  # the unlucky cadre's cell is greyed


def test_item_analysis_shows_labelled_beside_fitted_difficulty_in_chinese(app, client,
                                                                          make_user, admin):
    coordinator = make_user(Role.COORDINATOR, "coord")
    cadre = make_user(Role.CADRE, "learner")
    with app.app_context():
        cohort = cohorts.create_cohort("一班", "", db.session.get(User, coordinator.id))
        cohorts.add_member(cohort, db.session.get(User, cadre.id))
        assignment = cohorts.create_assignment(cohort, "ability-a1", QuizSettings())
        db.session.commit()
        assignment_id = assignment.id
    sit(app, cadre.id, wrong=1, assignment_id=assignment_id)
    log_in(client, coordinator)
    before = client.get(f"/assignments/{assignment_id}/items").get_data(as_text=True)
    assert "难度：标注 / 拟合" in before and "尚未校准" in before
    with app.app_context():
        abilities.calibrate_items(utcnow())
        db.session.commit()
    after = client.get(f"/assignments/{assignment_id}/items").get_data(as_text=True)
    assert "尚未校准" not in after
    assert re.search(r"<td[^>]*>[123] / [+-]\d\.\d\d</td>", after)
