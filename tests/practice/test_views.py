"""每日一练, review and calibration over HTTP: the pages, the autosave with a confidence mark,
the key shown on request and the answer final after it, in Chinese."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp.auth.models import User
from quizapp.db import utcnow
from quizapp.extensions import db
from quizapp.practice.models import ReviewCard
from quizapp.quizzes import services as engine
from quizapp.quizzes.models import Attempt, AttemptItem, Confidence
from tests.helpers import csrf_token, log_in, review_card

pytestmark = pytest.mark.usefixtures("loaded_bank")


@pytest.fixture
def daily(app, client, cadre):
    """The cadre logged in with today's set started: (attempt id, rows as (id, item, key,
    option order, kind)), and a CSRF token."""
    log_in(client, cadre)
    token = csrf_token(client, "/me/daily")
    started = client.post("/me/daily", data={"csrf_token": token})
    assert started.status_code == 302
    attempt_id = int(re.search(r"/attempts/(\d+)$", started.headers["Location"]).group(1))
    with app.app_context():
        rows = [
            (
                r.id,
                r.item_version.item_id,
                r.item_version.content["key"],
                r.option_order,
                r.item_version.kind,
            )
            for r in engine.attempt_items(db.session.get(Attempt, attempt_id))
        ]
    return attempt_id, rows, token


def put(client, attempt_id, item_id, token, body):
    return client.put(
        f"/attempts/{attempt_id}/answers/{item_id}",
        json=body,
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )


def choice_rows(rows):
    return [r for r in rows if r[4] in ("single", "multiple", "true_false")]


def test_the_start_page_then_the_set_then_the_same_set(client, daily):
    attempt_id, rows, _ = daily
    assert 1 <= len(rows) <= 5 and all(r[4] != "case_analysis" for r in rows)
    again = client.get("/me/daily")
    assert again.status_code == 302 and again.headers["Location"].endswith(
        f"/attempts/{attempt_id}"
    )
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "每日一练" in page and 'data-practice="1"' in page
    assert "有把握" in page and "没把握" in page and "直接核对" in page


def test_a_new_cadre_sees_the_start_button(client, cadre):
    log_in(client, cadre)
    page = client.get("/me/daily").get_data(as_text=True)
    assert "开始今日练习" in page and "每天 5 道题" in page
    home = client.get("/me/").get_data(as_text=True)
    assert "每日一练" in home and "/me/daily" in home


def test_saving_shows_no_key_until_the_cadre_asks_then_the_answer_is_final(app, client, daily):
    attempt_id, rows, token = daily
    row_id, item_id, key, order, _ = choice_rows(rows)[0]
    wrong = [o for o in order if o not in key][:1]
    saved = put(
        client, attempt_id, item_id, token, {"response": wrong, "seq": 1, "check": False}
    ).get_json()
    assert "feedback" not in saved and saved["final"] is False
    checked = put(
        client,
        attempt_id,
        item_id,
        token,
        {"response": wrong, "seq": 2, "check": True, "confidence": "sure"},
    ).get_json()
    assert checked["feedback"]["correct"] is False and checked["final"] is True
    assert checked["confidence"] == "sure"
    assert checked["feedback"]["explanations"]  # the chosen and the right option explained
    if item_id.startswith("A1"):  # the test bank has a study note for A1 only
        assert checked["feedback"]["study_url"] == "/study/A1"
    changed = put(
        client,
        attempt_id,
        item_id,
        token,
        {"response": list(key), "seq": 3, "confidence": "unsure"},
    ).get_json()
    assert changed["applied"] is False and changed["response"] == sorted(wrong)
    assert changed["confidence"] == "sure" and changed["feedback"]["correct"] is False
    with app.app_context():
        row = db.session.get(AttemptItem, row_id)
        assert row.confidence == Confidence.SURE and row.checked_at is not None
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "你标记了：有把握" in page and " disabled" in page


@pytest.mark.parametrize(
    "body",
    [
        {"response": ["a"], "seq": 1, "confidence": "maybe"},
        {"response": ["a"], "seq": 1, "confidence": ["sure"]},
        {"response": ["a"], "seq": 1, "check": "yes"},
    ],
)
def test_a_bad_mark_is_a_400_with_a_message(client, daily, body):
    attempt_id, rows, token = daily
    response = put(client, attempt_id, rows[0][1], token, body)
    assert response.status_code == 400 and response.get_json()["error"]


def test_the_check_button_works_without_the_script(app, client, daily):
    attempt_id, rows, token = daily
    row_id, _, key, _, _ = choice_rows(rows)[0]
    posted = client.post(
        f"/attempts/{attempt_id}",
        data={"csrf_token": token, f"item_{row_id}": key, "check": f"{row_id}:unsure"},
    )
    assert posted.status_code == 302 and re.search(r"#q\d$", posted.headers["Location"])
    with app.app_context():
        row = db.session.get(AttemptItem, row_id)
        assert row.checked_at is not None and row.confidence == Confidence.UNSURE
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "你标记了：没把握" in page and 'class="right"' in page


def test_finishing_shows_what_was_learnt_and_tomorrows_reviews(app, client, daily):
    attempt_id, rows, token = daily
    for seq, (_, item_id, key, order, _) in enumerate(choice_rows(rows), start=1):
        wrong = [o for o in order if o not in key][:1]
        put(
            client,
            attempt_id,
            item_id,
            token,
            {"response": wrong, "seq": seq, "check": True, "confidence": "unsure"},
        )
    done = client.post(
        f"/attempts/{attempt_id}/submit", data={"csrf_token": token, "autosaved": "1"}
    )
    assert done.headers["Location"].endswith(f"/me/practice/{attempt_id}")
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    missed = len(choice_rows(rows))
    assert "今日练习完成" in page and "今天学到的" in page and "你当时没把握" in page
    assert f"明天有 {missed} 道题要复习" in page  # every missed item comes back tomorrow
    assert "今天学到的" in client.get("/me/daily").get_data(as_text=True)  # the day's set, done
    home = client.get("/me/").get_data(as_text=True)
    assert "今天的练习已完成" in home
    with app.app_context():
        assert len(list(db.session.scalars(select(ReviewCard)))) == missed


def test_the_review_page_lists_what_is_due_and_starts_a_set(app, client, cadre):
    now = utcnow()
    with app.app_context():
        for item_id, due_at in (
            ("A1-001", now - timedelta(days=1)),
            ("A2-001", now - timedelta(hours=1)),
            ("B-001", now + timedelta(days=3)),
        ):
            db.session.add(
                review_card(cadre.id, item_id, due_at, stability=1.0, difficulty=6.0, lapses=1)
            )
        db.session.commit()
    log_in(client, cadre)
    page = client.get("/me/review").get_data(as_text=True)
    assert "到期复习" in page and "2 道题到期" in page and "答错过 1 次" in page
    assert "接下来" in page and "日期" in page and "<td>1</td>" in page  # B-001, in 3 days
    started = client.post("/me/review", data={"csrf_token": csrf_token(client, "/me/review")})
    attempt_id = int(re.search(r"/attempts/(\d+)$", started.headers["Location"]).group(1))
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert [r.item_version.item_id for r in engine.attempt_items(attempt)] == [
            "A1-001",
            "A2-001",
        ]
    assert "继续复习" in client.get("/me/review").get_data(as_text=True)


def test_nothing_due_says_so(client, cadre):
    log_in(client, cadre)
    refused = client.post("/me/review", data={"csrf_token": csrf_token(client, "/me/review")})
    assert refused.headers["Location"].endswith("/me/review")
    assert "今天没有需要复习的题" in client.get("/me/review").get_data(as_text=True)


def test_calibration_appears_once_there_are_enough_marked_answers(
    app, client, cadre, configure_quiz
):
    configure_quiz(mode="practice")
    log_in(client, cadre)
    progress = client.get("/me/progress").get_data(as_text=True)
    assert "有把握还是没把握" in progress and "有把握时答对" not in progress
    with app.app_context():
        user = db.session.get(User, cadre.id)
        for n in range(7):  # 7 × 3 = 21 marked answers on A1
            attempt = engine.start_or_resume_attempt(user, "ability-a1", utcnow())
            for seq, row in enumerate(engine.attempt_items(attempt), start=1):
                sure = n % 2 == 0
                response = (
                    row.item_version.content["key"]
                    if sure
                    else [o for o in row.option_order if o not in row.item_version.content["key"]][
                        :1
                    ]
                )
                engine.save_answer(
                    attempt,
                    row,
                    response,
                    seq,
                    utcnow(),
                    timedelta(0),
                    Confidence.SURE if sure else Confidence.UNSURE,
                )
            engine.submit_attempt(attempt.id, utcnow())
        db.session.commit()
    page = client.get("/me/progress").get_data(as_text=True)
    # 4 sets marked sure and right (12), 3 marked unsure and wrong (9): one more unsure needed
    assert "还需要 0 道标记“有把握”、1 道标记“没把握”的题" in page
    with app.app_context():
        user = db.session.get(User, cadre.id)
        attempt = engine.start_or_resume_attempt(user, "ability-a1", utcnow())
        row = engine.attempt_items(attempt)[0]
        engine.save_answer(
            attempt,
            row,
            row.item_version.content["key"],
            1,
            utcnow(),
            timedelta(0),
            Confidence.UNSURE,
        )
        engine.submit_attempt(attempt.id, utcnow())
        db.session.commit()
    page = client.get("/me/progress").get_data(as_text=True)
    assert "有把握时答对" in page and '100% <span class="muted">(12/12)</span>' in page
    assert '10% <span class="muted">(1/10)</span>' in page


def test_only_the_owner_sees_a_finished_set(app, client, daily, make_user):
    attempt_id, _, token = daily
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    other = app.test_client()
    log_in(other, make_user())
    assert other.get(f"/me/practice/{attempt_id}").status_code == 404


def test_nothing_to_practise_today_says_so(app, client, cadre):
    later = utcnow() + timedelta(days=5)
    with app.app_context():
        for item_id in (
            "A1-001",
            "A1-002",
            "A1-003",
            "A2-001",
            "B-001",
            "B-002",
            "B-003",
            "C1-001",
        ):
            db.session.add(review_card(cadre.id, item_id, later, stability=9.0))
        db.session.commit()
    log_in(client, cadre)
    refused = client.post("/me/daily", data={"csrf_token": csrf_token(client, "/me/daily")})
    assert refused.headers["Location"].endswith("/me/daily")
    page = client.get("/me/daily").get_data(as_text=True)
    assert "今天没有可练的题" in page and "开始今日练习" in page
