"""每日一练 and review sets on the attempt engine, with a fixed clock in Asia/Shanghai."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from quizapp.abilities.models import AbilityEstimate, ItemCalibration
from quizapp.auth.models import User
from quizapp.bank.models import ItemVersion, Quiz
from quizapp.bank.vocabulary import QuizKind
from quizapp.cohorts import services as cohorts
from quizapp.extensions import db
from quizapp.kinds import AnswerShape, kind_of
from quizapp.practice import sets
from quizapp.practice.models import ReviewLog
from quizapp.quizzes import catalogue
from quizapp.quizzes import services as engine
from quizapp.quizzes.models import AttemptStatus, CodeRollup
from quizapp.quizzes.settings import QuizSettings, ReviewTime
from quizapp.study_hours.models import StudyHourCredit
from tests.helpers import review_card

pytestmark = pytest.mark.usefixtures("loaded_bank")

ZONE = "Asia/Shanghai"
MORNING = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 09:00 on 7 December there
LAST_MINUTE = datetime(2026, 12, 7, 15, 59, tzinfo=UTC)  # 23:59 on 7 December
NEXT_DAY = datetime(2026, 12, 7, 16, 1, tzinfo=UTC)  # 00:01 on 8 December
CHOICE_KINDS = ("single", "multiple", "true_false")  # the key is the answer


def card(user_id, item_id, due_at, lapses=0):
    db.session.add(review_card(user_id, item_id, due_at, lapses=lapses))


def estimate(user_id, code, theta):
    db.session.add(
        AbilityEstimate(
            user_id=user_id, code=code, theta=theta, se=0.5, answers=8, updated_at=MORNING
        )
    )


def exam_holding(item_ids, admin_id, cadre_id):
    """A live exam (keys kept secret) whose pool holds these items."""
    cohort = cohorts.create_cohort("考试班", "", db.session.get(User, admin_id))
    cohorts.add_member(cohort, db.session.get(User, cadre_id))
    exam = cohorts.create_assignment(
        cohort,
        "kinds",
        QuizSettings(
            max_attempts=1,
            show_keys=ReviewTime.NEVER,
            show_explanations=ReviewTime.NEVER,
            closes_at=MORNING + timedelta(days=3),
        ),
    )
    exam.item_pool = list(item_ids)


def item_ids(attempt):
    return [row.item_version.item_id for row in engine.attempt_items(attempt)]


def answer_all_right(attempt, now):
    rows = engine.attempt_items(attempt)
    engine.save_responses(
        attempt,
        {r.id: r.item_version.content["key"] for r in rows if r.item_version.kind in CHOICE_KINDS},
        now,
    )


def test_due_then_weakest_then_new_at_most_five(app, cadre, admin):
    with app.app_context():
        card(cadre.id, "A1-003", MORNING - timedelta(days=1))  # overdue
        card(cadre.id, "A1-001", MORNING + timedelta(hours=6))  # due later today
        card(cadre.id, "A1-002", MORNING + timedelta(days=3))  # not yet: waits
        estimate(cadre.id, "A1", 0.6)
        estimate(cadre.id, "A2", -1.2)  # the weakest
        exam_holding(["B-003"], admin.id, cadre.id)
        attempt = sets.start_daily(db.session.get(User, cadre.id), MORNING, ZONE)
        db.session.commit()
        shown = item_ids(attempt)
        assert shown[:3] == ["A1-003", "A1-001", "A2-001"]
        assert len(shown) == 5 and set(shown[3:]) <= {"B-001", "B-002", "C1-001"}
        assert "C1-002" not in shown  # a written answer waits for a person: never here
        assert "B-003" not in shown  # held by a live exam
        assert attempt.quiz.kind == QuizKind.DAILY and attempt.is_open
        assert not attempt.quiz.is_active  # not offered in the catalogue
        user = db.session.get(User, cadre.id)
        assert attempt.quiz.id not in {c.quiz.id for c in catalogue.list_quizzes_for(user)}
        assert attempt.quiz.id not in {q.id for q in cohorts.active_quizzes()}


def test_aimed_items_are_nearest_the_estimate_calibrated_or_by_label(app, cadre):
    with app.app_context():
        for item in ("A1-001", "A1-002", "A1-003", "A2-001"):  # seen long ago, not due
            card(cadre.id, item, MORNING + timedelta(days=9))
        estimate(cadre.id, "B", 1.4)
        estimate(cadre.id, "C1", 2.0)
        db.session.flush()
        # B-001 and B-002 are labelled 2, B-003 3; a calibration moves B-002 to 1.3
        b002 = db.session.scalar(select(ItemVersion).where(ItemVersion.item_id == "B-002"))
        db.session.add(
            ItemCalibration(
                item_version_id=b002.id,
                thresholds=[1.0, 1.6],
                responses=40,
                misfit=False,
                fitted_at=MORNING,
            )
        )
        db.session.flush()
        assert sets.compose_daily(cadre.id, MORNING, ZONE)[0] == "B-002"


def test_without_estimates_the_lowest_mastery_is_aimed_at(app, cadre):
    with app.app_context():
        for code, earned in (("A1", 8.0), ("A2", 2.0), ("B", 6.0)):
            db.session.add(
                CodeRollup(
                    user_id=cadre.id,
                    code=code,
                    month=MORNING.date(),
                    earned=earned,
                    possible=10.0,
                    items=10,
                )
            )
        for item in ("A1-001", "A1-002", "A1-003", "B-001"):
            card(cadre.id, item, MORNING + timedelta(days=9))
        db.session.flush()
        assert sets.compose_daily(cadre.id, MORNING, ZONE)[0] == "A2-001"


def test_the_same_day_gives_the_same_set_and_midnight_a_new_one(app, cadre):
    with app.app_context():
        user = db.session.get(User, cadre.id)
        first = sets.start_daily(user, LAST_MINUTE, ZONE)
        answer_all_right(first, LAST_MINUTE)
        db.session.commit()
        again = sets.start_daily(user, LAST_MINUTE + timedelta(seconds=50), ZONE)
        assert again.id == first.id and again.is_open
        tomorrow = sets.start_daily(user, NEXT_DAY, ZONE)
        db.session.commit()
        assert tomorrow.id != first.id and tomorrow.is_open
        # The set left open at midnight was handed in: its answers now schedule reviews.
        db.session.refresh(first)
        assert first.status == AttemptStatus.GRADED
        assert db.session.scalar(select(func.count()).select_from(ReviewLog)) > 0
        assert sets.todays_set(cadre.id, QuizKind.DAILY, NEXT_DAY, ZONE).id == tomorrow.id
        assert sets.todays_set(cadre.id, QuizKind.DAILY, LAST_MINUTE, ZONE).id == first.id


def test_a_finished_set_is_the_days_set_until_midnight(app, cadre):
    with app.app_context():
        user = db.session.get(User, cadre.id)
        attempt = sets.start_daily(user, MORNING, ZONE)
        answer_all_right(attempt, MORNING)
        engine.submit_attempt(attempt.id, MORNING + timedelta(minutes=3))
        db.session.commit()
        done = sets.start_daily(user, LAST_MINUTE, ZONE)
        assert done.id == attempt.id and not done.is_open
        assert sets.daily_card(cadre.id, LAST_MINUTE, ZONE).state == "done"
        assert sets.daily_card(cadre.id, NEXT_DAY, ZONE).state == "new"


def test_daily_answers_schedule_reviews_but_are_no_evidence_for_ability(app, cadre):
    with app.app_context():
        user = db.session.get(User, cadre.id)
        attempt = sets.start_daily(user, MORNING, ZONE)
        answer_all_right(attempt, MORNING)
        engine.submit_attempt(attempt.id, MORNING + timedelta(minutes=3))
        db.session.commit()
        logs = list(db.session.scalars(select(ReviewLog)))
        assert logs and {log.source for log in logs} == {"daily"}
        assert db.session.scalar(select(func.count()).select_from(CodeRollup)) == 0
        assert db.session.scalar(select(func.count()).select_from(AbilityEstimate)) == 0
        summary = sets.due_summary(cadre.id, MORNING + timedelta(minutes=5), ZONE)
        assert summary.today == 0


def test_a_review_set_holds_the_due_items_only(app, cadre, admin):
    with app.app_context():
        card(cadre.id, "B-001", MORNING - timedelta(days=2))
        card(cadre.id, "A2-001", MORNING - timedelta(days=1))
        card(cadre.id, "B-003", MORNING - timedelta(days=1))  # held by the exam
        card(cadre.id, "A1-001", MORNING + timedelta(days=4))  # not due
        exam_holding(["B-003"], admin.id, cadre.id)
        attempt = sets.start_review(db.session.get(User, cadre.id), MORNING, ZONE)
        db.session.commit()
        assert item_ids(attempt) == ["B-001", "A2-001"]
        assert attempt.quiz.kind == QuizKind.REVIEW
        summary = sets.due_summary(cadre.id, MORNING, ZONE)
        assert (summary.today, summary.held_for_exams) == (2, 1)


def test_nothing_due_nothing_to_review(app, cadre):
    with app.app_context():
        with pytest.raises(sets.NothingToPractise):
            sets.start_review(db.session.get(User, cadre.id), MORNING, ZONE)
        assert (
            db.session.scalar(
                select(func.count()).select_from(Quiz).where(Quiz.kind == QuizKind.REVIEW)
            )
            == 0
        )


def test_the_calendar_groups_due_dates_by_local_day(app, cadre):
    with app.app_context():
        card(cadre.id, "A1-001", datetime(2026, 12, 8, 15, 30, tzinfo=UTC))  # 23:30 on the 8th
        card(cadre.id, "A1-002", datetime(2026, 12, 8, 16, 30, tzinfo=UTC))  # 00:30 on the 9th
        card(cadre.id, "A1-003", datetime(2026, 12, 9, 2, 0, tzinfo=UTC))
        card(cadre.id, "A2-001", datetime(2027, 3, 1, 2, 0, tzinfo=UTC))
        db.session.flush()
        days, later = sets.review_calendar(cadre.id, MORNING, ZONE)
        assert [(d.isoformat(), n) for d, n in days] == [("2026-12-08", 1), ("2026-12-09", 2)]
        assert later == 1


def some_answer(row, attempt):
    """An answer of the shape the row's kind takes on the page (right or wrong does not
    matter here): the first option, a value for every option (each its own, as an ordering
    wants), or a word in the first blank."""
    kind = kind_of(row.item_version.kind)
    if kind.shape == AnswerShape.PAIRS:
        values = kind.values(engine.shown(row, attempt))
        return [f"{o}={values[n % len(values)]}" for n, o in enumerate(row.option_order)]
    if kind.shape == AnswerShape.TEXTS:
        return ["1=答"]
    return [row.option_order[0]]


def test_a_completed_daily_set_earns_its_study_hours_once_a_half_done_one_none(app, cadre):
    with app.app_context():
        user = db.session.get(User, cadre.id)
        half = sets.start_daily(user, MORNING - timedelta(days=1), ZONE)
        first = engine.attempt_items(half)[0]
        engine.save_responses(half, {first.id: some_answer(first, half)},
                              MORNING - timedelta(days=1))
        engine.submit_attempt(half.id, MORNING - timedelta(days=1) + timedelta(minutes=3))
        attempt = sets.start_daily(user, MORNING, ZONE)
        rows = engine.attempt_items(attempt)
        engine.save_responses(attempt, {r.id: some_answer(r, attempt) for r in rows}, MORNING)
        assert all(r.response for r in rows)
        engine.submit_attempt(attempt.id, MORNING + timedelta(minutes=3))
        db.session.commit()
        credits = list(db.session.scalars(select(StudyHourCredit)))
        assert [(c.rule, c.source_key) for c in credits] == [("daily_set", "daily:2026-12-07")]
