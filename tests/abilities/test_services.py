"""Ability estimates kept with every graded attempt; calibration and simulation commands."""

import json

import pytest
from sqlalchemy import select

from quizapp.abilities import services as abilities
from quizapp.abilities.models import AbilityEstimate, ItemCalibration
from quizapp.auth.models import User
from quizapp.bank.models import ItemVersion
from quizapp.db import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services

pytestmark = pytest.mark.usefixtures("loaded_bank")


def sit_quiz(app, user_id: int, right: bool, quiz_id: str = "ability-a1") -> None:
    """Start, answer every item (all right or all wrong) and submit, as the engine does."""
    with app.app_context():
        user = db.session.get(User, user_id)
        attempt = services.start_or_resume_attempt(user, quiz_id, utcnow())
        db.session.flush()
        answers = {}
        for row in services.attempt_items(attempt):
            key = row.item_version.content["key"]
            wrong = [o for o in row.option_order if o not in key]
            answers[row.id] = list(key) if right else wrong[:1]
        services.save_responses(attempt, answers, utcnow())
        services.submit_attempt(attempt.id, utcnow())
        db.session.commit()


def estimate(app, user_id: int, code: str = "A1") -> AbilityEstimate | None:
    with app.app_context():
        return db.session.scalar(select(AbilityEstimate).where(
            AbilityEstimate.user_id == user_id, AbilityEstimate.code == code))


def test_a_graded_attempt_updates_the_estimate_with_its_uncertainty(app, make_user):
    strong, weak = make_user(), make_user()
    sit_quiz(app, strong.id, right=True)
    sit_quiz(app, weak.id, right=False)
    high, low = estimate(app, strong.id), estimate(app, weak.id)
    assert high.answers == low.answers == 3
    assert high.theta > 0.5 > -0.5 > low.theta
    assert 0.3 < high.se < 1.0  # narrower than the N(0, 1) prior, far from certain
    first_se = high.se
    sit_quiz(app, strong.id, right=True)
    assert estimate(app, strong.id).answers == 6
    assert estimate(app, strong.id).se < first_se  # more answers, narrower band


def test_a_self_assessment_leaves_no_estimate(app, make_user):
    cadre = make_user()
    with app.app_context():
        attempt = services.start_or_resume_attempt(db.session.get(User, cadre.id), "self-a1",
                                                   utcnow())
        db.session.flush()
        services.save_responses(attempt, {r.id: ["4"] for r in services.attempt_items(attempt)},
                                utcnow())
        services.submit_attempt(attempt.id, utcnow())
        db.session.commit()
        assert db.session.scalars(select(AbilityEstimate)).all() == []


def test_calibration_with_thin_data_stays_near_the_labels_and_rebuilds(app, make_user,
                                                                       runner):
    cadre = make_user()
    sit_quiz(app, cadre.id, right=True)
    result = runner.invoke(args=["measure", "calibrate"])
    assert result.exit_code == 0, result.output
    assert "fitted from 3 answers" in result.output
    with app.app_context():
        rows = db.session.scalars(select(ItemCalibration)).all()
        assert len(rows) == 3
        for row in rows:
            prior = abilities.label_prior(db.session.get(ItemVersion, row.item_version_id))
            # One right answer each moves an item a little, never far from its label.
            assert abs(row.difficulty - prior.difficulty) < 1.0
            assert row.responses == 1 and not row.misfit
    assert estimate(app, cadre.id).answers == 3


def test_simulate_prints_the_figures_as_json(runner):
    result = runner.invoke(args=["measure", "simulate", "--cadres", "40", "--seed", "3",
                                 "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    for key in ("spearman", "rmse", "coverage95", "cat_items_mean", "cat_se_mean",
                "cat_spearman"):
        assert key in figures
    assert 0 < figures["coverage95"] <= 1
