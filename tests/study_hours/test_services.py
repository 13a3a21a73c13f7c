"""The study-hour ledger with a fixed clock, on both databases: idempotent per source, the
daily cap on the Shanghai day, rules admins turn off, yearly totals, and the quiz-passed
credit the engine records when it grades."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.cohorts import services as cohorts
from quizapp.extensions import db
from quizapp.quizzes import services as engine
from quizapp.quizzes.settings import QuizSettings
from quizapp.study_hours import services
from quizapp.study_hours.credit import CreditRule, Policy, daily_source
from quizapp.study_hours.models import StudyHourCredit
from quizapp.study_hours.services import CreditStatus

SHANGHAI = "Asia/Shanghai"
# Sunday 6 December 2026, 10:00 in Shanghai.
NOW = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)


@pytest.fixture
def user_id(app, cadre):
    with app.app_context():
        yield cadre.id


def credit(user_id, rule, source, at=NOW):
    outcome = services.record_credit(user_id, rule, source, at, zone=SHANGHAI)
    db.session.commit()
    return outcome


def test_a_source_is_credited_once(user_id):
    first = credit(user_id, CreditRule.NOTE_READ, "note:A1:2026")
    again = credit(user_id, CreditRule.NOTE_READ, "note:A1:2026", NOW + timedelta(days=3))
    assert (first.status, first.hours) == (CreditStatus.CREDITED, 25)
    assert again.status == CreditStatus.ALREADY
    assert services.year_totals([user_id], 2026) == {user_id: 25}


def test_the_daily_cap_holds_across_rules_and_resets_at_shanghai_midnight(user_id):
    for n in range(3):
        assert credit(user_id, CreditRule.QUIZ_PASSED, f"assignment:{n}").hours == 50
    assert credit(user_id, CreditRule.NOTE_READ, "note:A1:2026").hours == 25
    partly = credit(user_id, CreditRule.QUIZ_PASSED, "assignment:9")
    assert (partly.status, partly.hours, partly.is_capped) == (CreditStatus.CREDITED, 25, True)
    full = credit(user_id, CreditRule.NOTE_READ, "note:A2:2026")
    assert (full.status, full.hours) == (CreditStatus.CAPPED, 0)
    assert not services.has_credit(user_id, CreditRule.NOTE_READ, "note:A2:2026")
    # 23:59 in Shanghai is still the same day; 00:00 the next is a new one.
    late = datetime(2026, 12, 6, 15, 59, tzinfo=UTC)
    assert credit(user_id, CreditRule.NOTE_READ, "note:A2:2026", late).status == CreditStatus.CAPPED
    midnight = datetime(2026, 12, 6, 16, 0, tzinfo=UTC)
    assert credit(user_id, CreditRule.NOTE_READ, "note:A2:2026", midnight).hours == 25
    days = {
        c.day.isoformat(): c.centihours
        for c in services.ledger(user_id, 2026)
        if c.source_key == "note:A2:2026"
    }
    assert days == {"2026-12-07": 25}
    assert services.year_totals([user_id], 2026) == {user_id: 225}


def test_a_rule_turned_off_credits_nothing(app, user_id, admin):
    with app.app_context():
        services.save_policy(
            Policy({CreditRule.NOTE_READ: 0, CreditRule.QUIZ_PASSED: 50, CreditRule.DAILY_SET: 25}),
            db.session.get(User, admin.id),
            NOW,
        )
        db.session.commit()
    assert credit(user_id, CreditRule.NOTE_READ, "note:A1:2026").status == CreditStatus.OFF
    assert credit(user_id, CreditRule.DAILY_SET, daily_source(NOW.date())).hours == 25


def test_the_year_is_the_local_calendar_year(user_id):
    new_years_eve = datetime(2026, 12, 31, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai
    new_year = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)  # 00:30 on 1 January
    credit(user_id, CreditRule.DAILY_SET, "daily:2026-12-31", new_years_eve)
    credit(user_id, CreditRule.DAILY_SET, "daily:2027-01-01", new_year)
    assert services.year_totals([user_id], 2026) == {user_id: 25}
    assert services.year_totals([user_id], 2027) == {user_id: 25}
    progress = services.year_progress(user_id, 2027)
    assert (progress.total, progress.target, progress.remaining) == (25, 5000, 4975)
    assert services.year_summary(user_id, new_year, SHANGHAI).year == 2027


def pass_quiz(
    user_id: int,
    at: datetime,
    right: bool = True,
    quiz: str = "ability-a1",
    assignment_id: int | None = None,
    settings: QuizSettings | None = None,
) -> None:
    user = db.session.get(User, user_id)
    attempt = engine.start_or_resume_attempt(
        user, quiz, at, assignment_id=assignment_id, settings=settings
    )
    db.session.flush()
    rows = engine.attempt_items(attempt)
    engine.save_responses(
        attempt,
        {
            r.id: r.item_version.content["key"]
            if right
            else [o for o in r.option_order if o not in r.item_version.content["key"]][:1]
            for r in rows
        },
        at,
    )
    engine.submit_attempt(attempt.id, at)
    db.session.commit()


def test_a_passed_practice_quiz_counts_once_a_year(app, user_id, loaded_bank):
    pass_quiz(user_id, NOW)
    pass_quiz(user_id, NOW + timedelta(days=1))
    pass_quiz(user_id, NOW + timedelta(days=30))  # the next year, in January
    credits = db.session.query(StudyHourCredit).order_by(StudyHourCredit.day).all()
    assert [(c.rule, c.source_key, c.centihours) for c in credits] == [
        ("quiz_passed", "quiz:ability-a1:2026", 50),
        ("quiz_passed", "quiz:ability-a1:2027", 50),
    ]
    assert credits[0].label["zh"] == "能力一测验"


def test_below_the_pass_mark_earns_nothing(app, user_id, loaded_bank):
    pass_quiz(user_id, NOW, right=False)
    assert db.session.query(StudyHourCredit).count() == 0


def test_an_assignment_counts_once_at_its_own_pass_mark(app, user_id, loaded_bank, make_user):
    coordinator = make_user(Role.COORDINATOR, "coord_hours")
    with app.app_context():
        cohort = cohorts.create_cohort("学时班", "", db.session.get(User, coordinator.id))
        cohorts.add_member(cohort, db.session.get(User, user_id))
        settings = QuizSettings(pass_percent=100, max_attempts=3)
        assignment = cohorts.create_assignment(cohort, "ability-a1", settings)
        db.session.commit()
        assignment_id = assignment.id
    pass_quiz(user_id, NOW, assignment_id=assignment_id, settings=settings)
    pass_quiz(user_id, NOW + timedelta(days=1), assignment_id=assignment_id, settings=settings)
    credits = db.session.query(StudyHourCredit).all()
    assert [(c.source_key, c.centihours) for c in credits] == [(f"assignment:{assignment_id}", 50)]


def test_a_diagnostic_earns_no_quiz_credit_however_well_answered(app, user_id, loaded_bank):
    pass_quiz(user_id, NOW, quiz="diagnostic")
    assert db.session.query(StudyHourCredit).count() == 0
