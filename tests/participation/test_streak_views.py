"""Participation over HTTP: the cadre's week and streak on his start page (in Chinese), and who
practised this week on the cohort page, in a constant number of queries."""

from __future__ import annotations

import re

import pytest

from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.cohorts import services as cohorts
from quizapp.db import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services as engine
from tests.helpers import log_in

pytestmark = pytest.mark.usefixtures("loaded_bank")


def practise_now(app, user_id: int, answers: int = 1) -> None:
    with app.app_context():
        attempt = engine.start_or_resume_attempt(
            db.session.get(User, user_id), "ability-a1", utcnow()
        )
        db.session.flush()
        rows = engine.attempt_items(attempt)[:answers]
        engine.save_responses(
            attempt, {r.id: r.item_version.content["key"] for r in rows}, utcnow()
        )
        db.session.commit()


def test_the_start_page_shows_this_week_and_the_streak(app, client, cadre):
    log_in(client, cadre)
    page = client.get("/me/?lang=zh").get_data(as_text=True)
    assert "本周练习 0 天" in page
    assert "今天答一道题，就能开始连续练习" in page
    practise_now(app, cadre.id, answers=3)
    page = client.get("/me/").get_data(as_text=True)
    assert "本周练习 1 天" in page  # three answers, one day
    assert "已连续练习 1 天" in page
    assert len(re.findall(r'<li class="done', page)) == 1


@pytest.fixture
def cohort_with(app, make_user, admin):
    coordinator = make_user(Role.COORDINATOR, "coord_li")

    def build(*display_names: str) -> tuple[int, list[int]]:
        ids = [make_user(Role.CADRE, display_name=name).id for name in display_names]
        with app.app_context():
            cohort = cohorts.create_cohort("二班", "", db.session.get(User, coordinator.id))
            for user_id in ids:
                cohorts.add_member(cohort, db.session.get(User, user_id))
            db.session.commit()
            return cohort.id, ids

    return coordinator, build


def test_the_cohort_page_shows_who_practised_this_week(app, client, cohort_with):
    coordinator, build = cohort_with
    cohort_id, (busy, _idle) = build("王勤", "赵闲")
    practise_now(app, busy, answers=2)
    log_in(client, coordinator)
    page = client.get(f"/cohorts/{cohort_id}?lang=zh").get_data(as_text=True)
    assert "本周 2 名学员中有 1 名练习过" in page
    rows = dict(re.findall(r'<th scope="row">(王勤|赵闲)</th>(.*?)</tr>', page, re.S))
    assert rows["王勤"].count("✓") == 1 and rows["王勤"].rstrip().endswith("<td>1</td>")
    assert "✓" not in rows["赵闲"] and rows["赵闲"].rstrip().endswith("<td>0</td>")


def test_the_cohort_week_costs_the_same_queries_for_more_members(
    app, client, cohort_with, count_queries, make_user
):
    coordinator, build = cohort_with
    cohort_id, ids = build("甲")
    practise_now(app, ids[0])
    log_in(client, coordinator)
    few = count_queries(lambda: client.get(f"/cohorts/{cohort_id}"))
    more = [make_user(Role.CADRE, f"more{n}").id for n in range(5)]
    with app.app_context():
        cohort = db.session.get(cohorts.Cohort, cohort_id)
        for user_id in more:
            cohorts.add_member(cohort, db.session.get(User, user_id))
        db.session.commit()
    for user_id in more[:3]:
        practise_now(app, user_id, answers=2)
    assert count_queries(lambda: client.get(f"/cohorts/{cohort_id}")) == few
