"""Challenge runs on the attempt engine, with a fixed clock, on both databases: a run ends at
the first wrong answer and when an item's time runs out (kept by the server), a personal best,
only choice items never repeated, and no item held by a live exam. Challenge answers are not
evidence for ability or mastery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.abilities import services as abilities
from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.challenge import services
from quizapp.challenge.rules import EndReason, Timing
from quizapp.cohorts import services as cohorts
from quizapp.extensions import db
from quizapp.quizzes import services as engine
from quizapp.quizzes.models import Attempt, AttemptStatus, CodeRollup
from quizapp.quizzes.settings import QuizMode, QuizSettings, ReviewTime

T0 = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)
TIMING = Timing(item_seconds=20, grace_seconds=3)
CHOICE_ITEMS = {"A1-001", "A1-002", "A1-003", "A2-001"}  # the test bank's choice items

pytestmark = pytest.mark.usefixtures("loaded_bank")


def seconds(n: float) -> datetime:
    return T0 + timedelta(seconds=n)


def key_of(current: services.OpenRun) -> list[str]:
    return list(current.row.item_version.content["key"])


def wrong_of(current: services.OpenRun) -> list[str]:
    key = key_of(current)
    return [next(o for o in current.row.option_order if o not in key)]


@pytest.fixture
def user(app, cadre):
    with app.app_context():
        yield db.session.get(User, cadre.id)


def play(user: User, at: datetime, right: bool = True, timed_out: bool = False):
    """Answer the item on screen; returns its id and key, and what the answer did."""
    current = services.open_run(user.id, at, TIMING)
    assert current is not None
    item_id, key = current.row.item_version.item_id, key_of(current)
    response = key if right else wrong_of(current)
    step = services.answer(user, item_id, response, timed_out, at, TIMING)
    db.session.commit()
    return (item_id, key), step


def test_a_run_goes_on_while_right_and_ends_at_the_first_wrong_answer(user):
    started = services.start_run(user, T0, TIMING)
    db.session.commit()
    assert started.attempt.deadline_at == seconds(20)
    assert len(services.open_run(user.id, T0, TIMING).attempt.quiz.draw) == 12
    _, step = play(user, seconds(5))
    assert (step.was_correct, step.ended, step.run.correct) == (True, None, 1)
    # The next item has a timer of its own, from when it was shown.
    assert services.open_run(user.id, seconds(5), TIMING).attempt.deadline_at == seconds(25)
    _, step = play(user, seconds(9))
    _, step = play(user, seconds(12), right=False)
    assert (step.was_correct, step.ended, step.run.correct) == (False, EndReason.WRONG, 2)
    attempt = db.session.get(Attempt, started.attempt.id)
    assert attempt.status == AttemptStatus.GRADED
    assert (attempt.score, attempt.max_score) == (2.0, 3.0)
    assert services.open_run(user.id, seconds(13), TIMING) is None
    assert services.personal_best(user.id) == 2


def test_an_answer_after_the_time_and_its_grace_ends_the_run_even_if_right(user):
    services.start_run(user, T0, TIMING)
    db.session.commit()
    current = services.open_run(user.id, seconds(23), TIMING)  # in the grace: still open
    assert current is not None
    step = services.answer(
        user, current.row.item_version.item_id, key_of(current), False, seconds(23.5), TIMING
    )
    db.session.commit()
    assert step.ended == EndReason.TIMEOUT and step.run.correct == 0
    attempt = db.session.get(Attempt, current.attempt.id)
    assert attempt.status == AttemptStatus.GRADED  # closed overdue and graded as it stood
    assert engine.attempt_items(attempt)[0].response is None  # the late answer was not kept


def test_an_answer_made_in_time_may_arrive_within_the_grace(user):
    services.start_run(user, T0, TIMING)
    db.session.commit()
    _, step = play(user, seconds(22))  # 2 s after the deadline, within the 3 s grace
    assert step.was_correct and step.ended is None


def test_the_page_timer_ends_the_run_when_nothing_was_chosen(user):
    services.start_run(user, T0, TIMING)
    db.session.commit()
    item_id = services.open_run(user.id, seconds(5), TIMING).row.item_version.item_id
    with pytest.raises(services.NoChoice):  # before the time is up: choose first
        services.answer(user, item_id, [], False, seconds(5), TIMING)
    db.session.rollback()
    step = services.answer(user, item_id, [], True, seconds(20), TIMING)
    db.session.commit()
    assert step.ended == EndReason.TIMEOUT


def test_a_stale_or_repeated_answer_changes_nothing(user):
    services.start_run(user, T0, TIMING)
    db.session.commit()
    (item_id, key), _ = play(user, seconds(3))
    with pytest.raises(services.NotCurrentItem):
        services.answer(user, item_id, key, False, seconds(4), TIMING)
    db.session.rollback()
    assert services.open_run(user.id, seconds(4), TIMING).run.correct == 1


def test_a_run_left_alone_times_out_and_a_new_one_starts(user):
    first = services.start_run(user, T0, TIMING)
    db.session.commit()
    assert services.open_run(user.id, seconds(30), TIMING) is None  # its item's time is over
    last = services.last_run(user.id, seconds(30), TIMING)
    assert last.reason == EndReason.TIMEOUT  # shown as timed out before anything closed it
    second = services.start_run(user, seconds(60), TIMING)
    db.session.commit()
    assert second.attempt.id != first.attempt.id
    ended = db.session.get(services.ChallengeRun, first.attempt.id)
    assert (ended.end_reason, ended.ended_at) == (EndReason.TIMEOUT, seconds(20))
    assert db.session.get(Attempt, first.attempt.id).status == AttemptStatus.GRADED


def test_resuming_returns_the_run_in_progress(user):
    first = services.start_run(user, T0, TIMING)
    db.session.commit()
    again = services.start_run(user, seconds(10), TIMING)
    assert again.attempt.id == first.attempt.id
    assert again.attempt.deadline_at == seconds(20)  # resuming does not reset the timer


def test_only_choice_items_never_repeated_until_they_run_out(user):
    services.start_run(user, T0, TIMING)
    db.session.commit()
    shown, at = [], T0
    for _ in range(len(CHOICE_ITEMS)):
        at += timedelta(seconds=5)
        (item_id, _), step = play(user, at)
        shown.append(item_id)
    assert sorted(shown) == sorted(CHOICE_ITEMS)
    assert step.ended == EndReason.CLEARED and step.run.correct == len(CHOICE_ITEMS)
    assert services.personal_best(user.id) == 4


def test_the_personal_best_is_the_best_run_not_a_sum(user):
    services.start_run(user, T0, TIMING)
    db.session.commit()
    play(user, seconds(2))
    play(user, seconds(4), right=False)  # 1
    services.start_run(user, seconds(10), TIMING)
    db.session.commit()
    play(user, seconds(12), right=False)  # 0
    assert services.personal_best(user.id) == 1
    assert db.session.query(services.ChallengeRun).count() == 2


def test_the_stop_button_ends_the_run(user):
    services.start_run(user, T0, TIMING)
    db.session.commit()
    play(user, seconds(2))
    run = services.stop_run(user, seconds(5), TIMING)
    db.session.commit()
    assert (run.end_reason, run.correct) == (EndReason.STOPPED, 1)
    assert services.open_run(user.id, seconds(6), TIMING) is None


def test_items_held_by_a_live_exam_stay_out(app, user, make_user):
    coordinator = make_user(Role.COORDINATOR, "coord_exam")
    with app.app_context():
        cohort = cohorts.create_cohort("考试班", "", db.session.get(User, coordinator.id))
        exam = QuizSettings(
            mode=QuizMode.TEST,
            show_keys=ReviewTime.AFTER_CLOSE,
            closes_at=datetime.now(UTC) + timedelta(days=30),
        )
        assignment = cohorts.create_assignment(cohort, "ability-a1", exam)
        reserved = set(assignment.item_pool)
        db.session.commit()
    assert {"A1-001", "A1-002", "A1-003"} <= reserved
    now = datetime.now(UTC)
    services.start_run(user, now, TIMING)
    db.session.commit()
    (item_id, _), step = play(user, now + timedelta(seconds=1))
    assert item_id == "A2-001"
    assert step.ended == EndReason.CLEARED  # nothing else may be drawn


def test_challenge_answers_are_not_evidence_for_ability_or_mastery(user):
    services.start_run(user, T0, TIMING)
    db.session.commit()
    play(user, seconds(2))
    play(user, seconds(4), right=False)
    responses, _ = abilities.graded_responses([user.id])
    assert responses == []
    assert db.session.query(CodeRollup).count() == 0
