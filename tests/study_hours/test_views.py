"""Study hours over HTTP: a note read to its end (the page's script and the button without
it), the cadre's ledger, and the rules admins set."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from quizapp.audit.models import AuditEvent
from quizapp.db import utcnow
from quizapp.extensions import db
from quizapp.study_hours import services
from quizapp.study_hours.models import StudyHourCredit
from quizapp.study_hours.reading import opened_token
from tests.helpers import csrf_token, log_in

pytestmark = pytest.mark.usefixtures("loaded_bank")


def opened(app, seconds_ago: int, code: str = "A1") -> str:
    return opened_token(code, utcnow() - timedelta(seconds=seconds_ago), app.config["SECRET_KEY"])


def read_note(client, token: str, as_json: bool = True, code: str = "A1"):
    headers = {"Accept": "application/json"} if as_json else {}
    return client.post(
        f"/me/hours/notes/{code}",
        headers=headers,
        data={"csrf_token": csrf_token(client, "/me/"), "opened": token},
    )


def test_the_note_page_ends_with_the_read_form(app, client, cadre):
    log_in(client, cadre)
    page = client.get("/study/A1?lang=zh").get_data(as_text=True)
    assert 'id="note-read"' in page and "我已读完" in page and "study_hours.js" in page
    token = re.search(r'name="opened" value="([^"]+)"', page).group(1)
    assert read_note(client, token).get_json()["status"] == "early"  # opened just now


def test_reading_to_the_end_credits_the_note_once(app, client, cadre):
    log_in(client, cadre)
    body = read_note(client, opened(app, 120)).get_json()
    assert body == {"status": "credited", "message": "已记入学时：读完这篇笔记，0.25 学时。"}
    again = read_note(client, opened(app, 90)).get_json()
    assert again["status"] == "already"
    with app.app_context():
        assert services.year_totals([cadre.id], utcnow().year) == {cadre.id: 25}


def test_without_script_the_button_posts_and_the_note_says_so(app, client, cadre):
    log_in(client, cadre)
    response = read_note(client, opened(app, 120), as_json=False)
    assert response.status_code == 302 and response.headers["Location"].endswith("/study/A1")
    assert "已记入学时" in client.get("/study/A1").get_data(as_text=True)


def test_a_forged_or_borrowed_token_is_refused(app, client, cadre):
    log_in(client, cadre)
    assert read_note(client, "forged").status_code == 400
    assert read_note(client, opened(app, 120, code="A2")).status_code == 400  # another note
    assert read_note(client, opened(app, 120), code="Z9").status_code == 404
    with app.app_context():
        assert db.session.query(StudyHourCredit).count() == 0


def test_my_hours_show_the_ledger_and_the_target(app, client, cadre):
    log_in(client, cadre)
    read_note(client, opened(app, 120))
    page = client.get("/me/hours?lang=zh").get_data(as_text=True)
    assert f"{utcnow().year} 年已获 0.25 学时，目标 50 学时" in page
    assert "读完学习笔记" in page and "还差 49.75 学时" in page
    home = client.get("/me/").get_data(as_text=True)
    assert "0.25 学时" in home and "/me/hours" in home
    assert client.get("/me/hours?year=1999").status_code == 200  # out of range: this year


def test_admins_set_the_rules_with_checks_and_an_audit_entry(app, client, admin, cadre):
    log_in(client, admin)
    page = client.get("/hours/rules?lang=zh").get_data(as_text=True)
    assert 'value="0.25"' in page and 'value="50"' in page
    token = csrf_token(client, "/hours/rules")
    bad = client.post(
        "/hours/rules",
        data={
            "csrf_token": token,
            "note_read": "0.125",
            "quiz_passed": "-1",
            "daily_set": "0.25",
            "daily_cap": "0",
            "yearly_target": "60",
            "pass_percent": "60",
        },
    )
    assert bad.status_code == 400
    assert bad.get_data(as_text=True).count('role="alert"') >= 3
    good = client.post(
        "/hours/rules",
        data={
            "csrf_token": token,
            "note_read": "0.5",
            "quiz_passed": "1",
            "daily_set": "0",
            "daily_cap": "3",
            "yearly_target": "60",
            "pass_percent": "80",
        },
    )
    assert good.status_code == 302
    with app.app_context():
        policy = services.current_policy()
        assert (
            policy.hours_for("note_read"),
            policy.daily_cap,
            policy.yearly_target,
            policy.pass_percent,
        ) == (50, 300, 6000, 80)
        event = db.session.query(AuditEvent).filter_by(target="study hours").one()
        assert event.detail["yearly_target"] == [5000, 6000]
    cadre_client = app.test_client()
    log_in(cadre_client, cadre)
    assert cadre_client.get("/hours/rules").status_code == 403
