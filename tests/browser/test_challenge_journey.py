"""挑战答题 and 学时 on a 360 px phone in Chinese: from the start page into a challenge, one
right answer, then a wrong one ends it with the key shown and the personal best kept; a second
run left alone ends when the server's timer runs out (the page's countdown sends it on); a
study note read to its end is credited, and the hours page shows the ledger and the target."""

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.auth.services import create_user
from quizapp.challenge import services as challenge
from quizapp.challenge.rules import Timing
from quizapp.cohorts import services as cohorts
from quizapp.db import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services as engine
from quizapp.quizzes.settings import QuizSettings
from tests.helpers import PASSWORD, create_browser_people

pytestmark = pytest.mark.browser

ITEM_SECONDS = 6  # short enough to watch a run time out, long enough to answer in


def on_screen(app) -> tuple[list[str], list[str]]:
    """The key of the item on screen, and a wrong answer to it."""
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "li_cadre"))
        current = challenge.open_run(user_id, utcnow(), Timing(ITEM_SECONDS, 3))
        key = list(current.row.item_version.content["key"])
        return key, [next(o for o in current.row.option_order if o not in key)]


def choose(page, options: list[str]) -> None:
    for option in options:
        page.locator(f'#challenge-form input[name="response"][value="{option}"]').check()
    page.locator("#challenge-submit").click()


AXE = Axe()


def fits_the_phone(page) -> None:
    """No wider than the phone, and nothing axe-core counts as a serious or critical barrier."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    found = AXE.run(page).response["violations"]
    assert [v["id"] for v in found if v["impact"] in ("serious", "critical")] == []


def log_in(page, url: str, username: str) -> None:
    page.goto(url + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("input[type=submit]")


def test_a_challenge_until_a_wrong_answer_then_the_hours_page(
    start_live_server, browser, artifacts
):
    server = start_live_server(CHALLENGE_ITEM_SECONDS=ITEM_SECONDS, NOTE_MIN_READ_SECONDS=0)
    create_browser_people(server.app)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    page = context.new_page()
    log_in(page, server.url, "li_cadre")
    expect(page).to_have_url(re.compile(r"/me/$"))
    panel = page.locator("section.practice-panel")
    expect(panel).to_contain_text("本周练习 0 天")
    expect(panel.locator(".week-days li")).to_have_count(7)
    fits_the_phone(page)

    panel.get_by_role("link", name="挑战答题").click()
    expect(page.locator("p.score")).to_have_text("个人最佳：连续答对 0 题")
    page.get_by_role("button", name="开始挑战").click()
    expect(page).to_have_url(re.compile(r"/me/challenge/play$"))
    expect(page.locator(".challenge-status")).to_contain_text("第 1 题")
    seconds = page.locator("#challenge-seconds")
    expect(seconds).not_to_have_text(str(ITEM_SECONDS), timeout=3000)  # it counts down
    fits_the_phone(page)
    page.screenshot(path=str(artifacts / "challenge-360.png"), full_page=True)

    key, _ = on_screen(server.app)
    choose(page, key)
    expect(page.locator(".flash")).to_contain_text("答对了！已连续答对 1 题。")
    expect(page.locator(".challenge-status")).to_contain_text("第 2 题")
    _, wrong = on_screen(server.app)
    choose(page, wrong)
    expect(page).to_have_url(re.compile(r"/me/challenge$"))
    last = page.locator("section.challenge-last")
    expect(last).to_contain_text("连续答对 1 题")
    expect(last).to_contain_text("因答错结束")
    expect(last.locator(".tag-key")).not_to_have_count(0)  # the key of the item it ended on
    expect(page.locator("p.score").first).to_have_text("个人最佳：连续答对 1 题")
    fits_the_phone(page)
    page.screenshot(path=str(artifacts / "challenge-ended-360.png"), full_page=True)

    # A run left alone: the countdown reaches 0, the page sends it on, the server ends it.
    page.get_by_role("button", name="开始挑战").click()
    expect(page).to_have_url(re.compile(r"/me/challenge$"), timeout=(ITEM_SECONDS + 8) * 1000)
    expect(page.locator("section.challenge-last")).to_contain_text("因超时结束")

    page.goto(server.url + "/study/A1")
    page.locator("#note-read").scroll_into_view_if_needed()
    expect(page.locator(".note-read-status")).to_contain_text("已记入学时", timeout=10000)

    page.goto(server.url + "/me/hours")
    expect(page.locator(".hours-progress")).to_contain_text("已获 0.25 学时，目标 50 学时")
    expect(page.locator("table.ledger")).to_contain_text("读完学习笔记")
    fits_the_phone(page)
    page.screenshot(path=str(artifacts / "hours-360.png"), full_page=True)

    page.goto(server.url + "/me/")
    expect(page.locator("section.practice-panel")).to_contain_text("本周练习 1 天")
    expect(page.locator("section.practice-panel")).to_contain_text("已连续练习 1 天")
    fits_the_phone(page)
    page.screenshot(path=str(artifacts / "home-practice-360.png"), full_page=True)
    context.close()


def completed_programme(app) -> int:
    """A coordinator's cohort whose one assignment li_cadre has passed: its id."""
    with app.app_context():
        lead = create_user("coord_b", "陈协调", PASSWORD, Role.COORDINATOR)
        cadre = db.session.scalar(select(User).where(User.username == "li_cadre"))
        cohort = cohorts.create_cohort("城关镇青年干部班", "", lead)
        cohorts.add_member(cohort, cadre)
        assignment = cohorts.create_assignment(cohort, "ability-a1", QuizSettings(pass_percent=60))
        db.session.commit()
        attempt = cohorts.start_assignment(cadre, assignment.id, utcnow(), timedelta(0))
        rows = engine.attempt_items(attempt)
        engine.save_responses(
            attempt, {r.id: r.item_version.content["key"] for r in rows}, utcnow()
        )
        engine.submit_attempt(attempt.id, utcnow())
        db.session.commit()
        return cohort.id


def test_hours_for_coordinators_and_admins_and_the_a4_certificate(
    start_live_server, browser, artifacts
):
    server = start_live_server()
    create_browser_people(server.app)
    cohort_id = completed_programme(server.app)

    def phone_as(username: str):
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
        page = context.new_page()
        log_in(page, server.url, username)
        return page

    page = phone_as("li_cadre")
    page.goto(server.url + "/me/hours")
    page.get_by_role("link", name="证书").click()
    certificate = page.locator("article.certificate")
    expect(certificate).to_contain_text("李干部")
    expect(certificate).to_contain_text("城关镇青年干部班")
    expect(certificate).to_contain_text("0.5")  # the study hours of the assignment passed
    fits_the_phone(page)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1  # one A4 sheet
    (artifacts / "certificate.pdf").write_bytes(pdf)

    page = phone_as("coord_b")
    page.goto(server.url + f"/cohorts/{cohort_id}")
    expect(page.locator("table.practice-week")).to_contain_text("李干部")
    fits_the_phone(page)
    page.goto(server.url + f"/cohorts/{cohort_id}/hours")
    expect(page.locator("table.list")).to_contain_text("0.5")
    fits_the_phone(page)

    page = phone_as("admin_b")
    page.goto(server.url + "/hours/rules")
    expect(page.locator("#note_read")).to_have_value("0.25")
    fits_the_phone(page)
