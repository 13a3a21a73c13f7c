"""The challenge over HTTP: a run in Chinese until a wrong answer, the server's timer, the
personal best, and a leaderboard only where the coordinator turned it on, shown only to the
cohort's members."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.challenge import services
from quizapp.cohorts import services as cohorts
from quizapp.db import utcnow
from quizapp.extensions import db
from quizapp.practice.models import ReviewCard
from quizapp.quizzes.models import Attempt, AttemptStatus
from tests.helpers import csrf_token, log_in

pytestmark = pytest.mark.usefixtures("loaded_bank")


def current_item(app, user_id: int) -> tuple[str, list[str], list[str], int]:
    """The item on screen: its id, its key, a wrong answer, and the run's attempt id."""
    with app.app_context():
        current = services.open_run(user_id, utcnow(), services.Timing())
        row = current.row
        key = list(row.item_version.content["key"])
        wrong = [next(o for o in row.option_order if o not in key)]
        return row.item_version.item_id, key, wrong, current.attempt.id


def start(client) -> None:
    token = csrf_token(client, "/me/challenge")
    response = client.post("/me/challenge/start", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/play")


def answer(client, item_id: str, response: list[str], timed_out: str = ""):
    token = csrf_token(client, "/me/")
    return client.post(
        "/me/challenge/answer",
        data={
            "csrf_token": token,
            "item_id": item_id,
            "response": response,
            "timed_out": timed_out,
        },
    )


def test_a_run_in_chinese_until_the_first_wrong_answer(app, client, cadre):
    log_in(client, cadre)
    page = client.get("/me/challenge?lang=zh").get_data(as_text=True)
    assert "个人最佳：连续答对 0 题" in page and "开始挑战" in page
    start(client)
    page = client.get("/me/challenge/play").get_data(as_text=True)
    assert "第 1 题" in page and re.search(r'data-seconds-left="(19|20)"', page)
    item_id, key, wrong, attempt_id = current_item(app, cadre.id)
    response = answer(client, item_id, key)
    assert response.headers["Location"].endswith("/me/challenge/play")
    assert "答对了！已连续答对 1 题。" in client.get("/me/challenge/play").get_data(as_text=True)
    item_id, key, wrong, _ = current_item(app, cadre.id)
    response = answer(client, item_id, wrong)
    assert response.headers["Location"].endswith("/me/challenge")
    page = client.get("/me/challenge").get_data(as_text=True)
    assert "因答错结束" in page and "个人最佳：连续答对 1 题" in page
    assert "正确答案" in page or "tag-key" in page  # the key of the item that ended it
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == AttemptStatus.GRADED
        # Built on the attempt engine: the answers were scheduled for review.
        assert db.session.query(ReviewCard).filter_by(user_id=cadre.id).count() == 2
    # The generic quiz page never shows a challenge: it sends the cadre to the run.
    assert client.get("/me/challenge/play").headers["Location"].endswith("/me/challenge")


def test_the_server_ends_a_run_whose_time_ran_out(app, client, cadre):
    log_in(client, cadre)
    start(client)
    item_id, key, _, attempt_id = current_item(app, cadre.id)
    with app.app_context():  # the item was shown 30 seconds ago
        db.session.get(Attempt, attempt_id).deadline_at = utcnow() - timedelta(seconds=10)
        db.session.commit()
    # The page would only show it; a late answer, right or not, is not taken.
    assert client.get("/me/challenge/play").headers["Location"].endswith("/me/challenge")
    response = answer(client, item_id, key)
    assert response.status_code == 302
    with app.app_context():
        run = db.session.get(services.ChallengeRun, attempt_id)
        assert run.correct == 0
    token = csrf_token(client, "/me/challenge")
    client.post("/me/challenge/start", data={"csrf_token": token})
    with app.app_context():
        run = db.session.get(services.ChallengeRun, attempt_id)
        assert (run.end_reason, run.correct) == ("timeout", 0)
    page = client.get("/me/challenge?lang=zh").get_data(as_text=True)
    assert "继续挑战" in page  # the new run


def test_the_generic_quiz_page_sends_a_challenge_to_its_own_page(app, client, cadre):
    log_in(client, cadre)
    start(client)
    _, _, _, attempt_id = current_item(app, cadre.id)
    response = client.get(f"/attempts/{attempt_id}")
    assert response.headers["Location"].endswith("/me/challenge/play")


def test_a_post_with_nothing_chosen_before_the_time_is_up_keeps_the_run(app, client, cadre):
    log_in(client, cadre)
    start(client)
    item_id, _, _, _ = current_item(app, cadre.id)
    response = answer(client, item_id, [])
    assert response.headers["Location"].endswith("/me/challenge/play")
    assert "请先选择答案" in client.get("/me/challenge/play?lang=zh").get_data(as_text=True)
    response = answer(client, item_id, ["z"])
    assert response.status_code == 302
    assert "第 1 题" in client.get("/me/challenge/play").get_data(as_text=True)
    assert answer(client, item_id, ["a"] * 20).status_code == 400


@pytest.fixture
def classes(app, make_user, admin):
    """Two cohorts of one coordinator: 一班 (王一, 李二) and 二班 (赵三)."""
    coordinator = make_user(Role.COORDINATOR, "coord_chen")
    people = {name: make_user(Role.CADRE, display_name=name) for name in ("王一", "李二", "赵三")}
    with app.app_context():
        lead = db.session.get(User, coordinator.id)
        first, second = (
            cohorts.create_cohort("一班", "", lead),
            cohorts.create_cohort("二班", "", lead),
        )
        for name, cohort in (("王一", first), ("李二", first), ("赵三", second)):
            cohorts.add_member(cohort, db.session.get(User, people[name].id))
        db.session.commit()
        return coordinator, people, first.id, second.id


def best_run(app, client, account, right: int) -> None:
    log_in(client, account)
    start(client)
    for _ in range(right):
        item_id, key, _, _ = current_item(app, account.id)
        answer(client, item_id, key)
    item_id, _, wrong, _ = current_item(app, account.id)
    answer(client, item_id, wrong)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/me/")})


def test_the_leaderboard_only_when_on_and_only_for_members(app, classes):
    coordinator, people, first_id, _ = classes
    best_run(app, app.test_client(), people["王一"], 2)
    best_run(app, app.test_client(), people["赵三"], 3)
    member, outsider, lead = app.test_client(), app.test_client(), app.test_client()
    log_in(member, people["李二"])
    log_in(outsider, people["赵三"])
    log_in(lead, coordinator)
    assert "排行榜" not in member.get("/me/challenge?lang=zh").get_data(as_text=True)

    assert "已关闭" in lead.get(f"/cohorts/{first_id}?lang=zh").get_data(as_text=True)
    token = csrf_token(lead, f"/cohorts/{first_id}")
    response = lead.post(
        f"/cohorts/{first_id}/challenge-leaderboard", data={"csrf_token": token, "enabled": "1"}
    )
    assert response.status_code == 302

    page = member.get("/me/challenge?lang=zh").get_data(as_text=True)
    assert "排行榜：一班" in page
    rows = re.findall(r"<tr[^>]*><td>(\d+)</td><td>([^<]+)", page)
    assert rows == [("1", "王一")]  # 李二 has not played; 赵三 is in another cohort
    assert "赵三" not in page
    # The other cohort's member sees no names from 一班.
    page = outsider.get("/me/challenge?lang=zh").get_data(as_text=True)
    assert "王一" not in page and "排行榜" not in page

    token = csrf_token(lead, f"/cohorts/{first_id}")
    lead.post(
        f"/cohorts/{first_id}/challenge-leaderboard", data={"csrf_token": token, "enabled": "0"}
    )
    assert "王一" not in member.get("/me/challenge?lang=zh").get_data(as_text=True)


def test_another_coordinator_cannot_switch_a_leaderboard(app, classes, make_user):
    _, _, first_id, _ = classes
    other = app.test_client()
    log_in(other, make_user(Role.COORDINATOR, "coord_other"))
    token = csrf_token(other, "/cohorts/")
    response = other.post(
        f"/cohorts/{first_id}/challenge-leaderboard", data={"csrf_token": token, "enabled": "1"}
    )
    assert response.status_code == 404
    with app.app_context():
        assert not services.leaderboard_enabled(first_id)
