"""Joining by QR code or link: the cohort page shows both, the link fills in the code, and a
notice prints on A4."""

import re

from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.cohorts import services as cohorts
from quizapp.extensions import db
from tests.helpers import csrf_token, log_in


def make_cohort(app, make_user):
    coordinator = make_user(Role.COORDINATOR, "coord")
    with app.app_context():
        cohort = cohorts.create_cohort("一班", "", db.session.get(User, coordinator.id))
        db.session.commit()
        return coordinator, cohort.id, cohort.join_code


def test_the_cohort_page_shows_a_qr_code_and_a_link_that_fills_in_the_code(
        app, client, make_user, admin, cadre):
    coordinator, cohort_id, code = make_cohort(app, make_user)
    log_in(client, coordinator)
    page = client.get(f"/cohorts/{cohort_id}").get_data(as_text=True)
    assert re.search(r'<svg[^>]*class="segno"', page) and "<path" in page
    link = re.search(r'href="(http://[^"]+/cohorts/join\?code=[^"]+)"', page).group(1)
    assert link.endswith(f"code={code}")
    notice = client.get(f"/cohorts/{cohort_id}/join-notice").get_data(as_text=True)
    assert code in notice and 'class="segno"' in notice and "加入" in notice
    client.post("/logout", data={"csrf_token": csrf_token(client, "/cohorts/")})

    log_in(client, cadre)
    form = client.get(link.replace("http://localhost", "")).get_data(as_text=True)
    assert re.search(rf'name="code"[^>]*value="{code}"', form)
    token = csrf_token(client, f"/cohorts/join?code={code}")
    joined = client.post("/cohorts/join", data={"csrf_token": token, "code": code})
    assert joined.status_code == 302
    with app.app_context():
        assert cadre.id in cohorts.member_ids(cohort_id)


def test_a_code_in_the_link_is_only_a_suggestion(app, client, cadre):
    log_in(client, cadre)
    page = client.get('/cohorts/join?code="><script>x</script>').get_data(as_text=True)
    assert "<script>x" not in page  # escaped like any other value
