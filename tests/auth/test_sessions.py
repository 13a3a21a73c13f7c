"""Log-ins live on the server: log-out ends a copied cookie too, remember-me cookies differ
per log-in and rotate on use, and idle and absolute lifetimes end the rest."""

from datetime import timedelta

from sqlalchemy import select, update

from quizapp.auth.models import LoginSession
from quizapp.db import utcnow
from quizapp.extensions import db
from tests.helpers import PASSWORD, csrf_token, log_in


def log_in_remembered(app, account):
    phone = app.test_client()
    phone.post("/login", data={"csrf_token": csrf_token(phone), "username": account.username,
                               "password": PASSWORD, "remember": "y"})
    return phone


def test_a_copied_session_cookie_stops_working_at_log_out(app, cadre):
    mine = app.test_client()
    log_in(mine, cadre)
    copy = app.test_client()
    copy.set_cookie("session", mine.get_cookie("session").value)
    assert copy.get("/quizzes/").status_code == 200
    mine.post("/logout", data={"csrf_token": csrf_token(mine, "/quizzes/")})
    assert copy.get("/quizzes/").status_code == 302


def test_remember_me_cookies_differ_per_log_in_and_rotate_on_use(app, cadre):
    first = log_in_remembered(app, cadre).get_cookie("remember_token")
    second = log_in_remembered(app, cadre).get_cookie("remember_token")
    assert first.value != second.value
    assert timedelta(days=29) < first.expires - utcnow() <= timedelta(days=30)
    returning = app.test_client()
    returning.set_cookie("remember_token", second.value)
    assert returning.get("/quizzes/").status_code == 200
    rotated = returning.get_cookie("remember_token")
    assert rotated is not None and rotated.value != second.value
    replay = app.test_client()  # the used cookie, presented again, is refused
    replay.set_cookie("remember_token", second.value)
    assert replay.get("/quizzes/").status_code == 302


def age_logins(app, **delta):
    """Every log-in began, and was last used, `delta` ago."""
    then = utcnow() - timedelta(**delta)
    with app.app_context():
        db.session.execute(update(LoginSession).values(created_at=then, last_seen_at=then))
        db.session.commit()


def test_idle_and_absolute_lifetimes_end_a_log_in(app, cadre):
    client = app.test_client()
    log_in(client, cadre)
    age_logins(app, minutes=30)
    assert client.get("/quizzes/").status_code == 200  # used again within the idle time
    age_logins(app, hours=5)  # unused longer than 4 hours
    assert client.get("/quizzes/").status_code == 302
    remembered = log_in_remembered(app, cadre)
    age_logins(app, days=3)
    assert remembered.get("/quizzes/").status_code == 200
    age_logins(app, days=31)  # past the remembered log-in's absolute lifetime
    assert remembered.get("/quizzes/").status_code == 302


def test_an_answer_saved_after_a_pause_records_the_activity_and_is_kept(app, cadre, loaded_bank):
    """The first write after a pause also notes the log-in's activity (on a connection of its
    own): neither may wait for the other."""
    client = app.test_client()
    log_in(client, cadre)
    token = csrf_token(client, "/quizzes/")
    started = client.post("/quizzes/ability-a1/attempts", data={"csrf_token": token})
    attempt_id = int(started.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    item_id = page.split('data-item-id="', 1)[1].split('"', 1)[0]
    option = page.split('name="item_', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    age_logins(app, minutes=30)
    saved = client.put(f"/attempts/{attempt_id}/answers/{item_id}",
                       json={"response": [option], "seq": 1}, headers={"X-CSRFToken": token})
    assert saved.status_code == 200
    with app.app_context():
        seen = db.session.scalars(select(LoginSession.last_seen_at)).all()
    assert max(seen) > utcnow() - timedelta(minutes=1)
