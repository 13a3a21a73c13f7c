"""The adaptive diagnostic on the attempt engine: one item at a time, each chosen from the
answers so far, until it stops; then graded, with the estimate shown as a band."""

import pytest
from sqlalchemy import select

from quizapp.abilities.models import AbilityEstimate
from quizapp.auth.models import User
from quizapp.db import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services
from quizapp.quizzes.models import Attempt, AttemptStatus
from tests.helpers import csrf_token, log_in

pytestmark = pytest.mark.usefixtures("loaded_bank")


def start(client) -> int:
    token = csrf_token(client, "/quizzes/")
    response = client.post("/quizzes/diagnostic/attempts", data={"csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def current(app, attempt_id):
    with app.app_context():
        rows = services.attempt_items(db.session.get(Attempt, attempt_id))
        row = rows[-1]
        return len(rows), row.id, row.item_version.item_id, row.item_version.content["key"]


def test_one_item_at_a_time_until_it_stops_then_a_band(app, client, cadre):
    log_in(client, cadre)
    attempt_id = start(client)
    assert current(app, attempt_id)[0] == 1
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert page.count('class="item card') == 1 and "第 1 题" in page
    token = csrf_token(client, f"/attempts/{attempt_id}")
    seen = []
    for _ in range(30):  # the test bank is small: it stops when the pool runs out, if not before
        count, _row_id, item_id, key = current(app, attempt_id)
        assert item_id not in seen  # never the same item twice
        seen.append(item_id)
        assert count == len(seen)
        # The answer is autosaved as on any quiz; "next" then chooses the following item.
        answer = list(key)[:1] if "=" not in key[0] else list(key)
        saved = client.put(f"/attempts/{attempt_id}/answers/{item_id}",
                           json={"response": answer, "seq": len(seen)},
                           headers={"X-CSRFToken": token})
        assert saved.status_code == 200, saved.get_json()
        response = client.post(f"/attempts/{attempt_id}", data={
            "csrf_token": token, "autosaved": "1"})
        assert response.status_code == 302
        if response.headers["Location"].endswith("/result"):
            break
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == AttemptStatus.GRADED
        assert len(services.attempt_items(attempt)) == len(seen) <= 20
        assert db.session.scalars(select(AbilityEstimate)).all()  # counted like any quiz
    result = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "你的能力估计" in result and 'class="band' in result


def test_cadres_do_not_all_get_the_same_first_item(app, make_user, admin):
    firsts = set()
    # Every account first: the starts below hold SQLite's write lock until the rollback.
    accounts = [make_user(username=f"diag{n}") for n in range(12)]
    with app.app_context():
        for account in accounts:
            attempt = services.start_or_resume_attempt(db.session.get(User, account.id),
                                                       "diagnostic", utcnow())
            db.session.flush()
            firsts.add(services.attempt_items(attempt)[0].item_version.item_id)
        db.session.rollback()
    assert len(firsts) > 1  # exposure control: a random pick among the most informative
