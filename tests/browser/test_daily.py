"""每日一练 on a 360 px phone in Chinese: start it from the start page, answer, say how sure
you are, see at once whether it is right and why, finish, and see what comes back tomorrow."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from quizapp.auth.models import User
from quizapp.db import utcnow
from quizapp.extensions import db
from quizapp.practice.models import ReviewLog
from quizapp.quizzes import services
from quizapp.quizzes.models import Attempt, Confidence
from tests.helpers import PASSWORD, create_browser_people, review_card

pytestmark = pytest.mark.browser

DUE = ("A1-001", "A1-002", "A1-003", "A2-001")  # choice items: due today, in this order
LATER = ("B-001", "B-002", "B-003", "C1-001")  # scheduled for later: not today


def schedule(app):
    """li_cadre's review cards: four items due today, the rest in a week."""
    now = utcnow()
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "li_cadre"))
        for n, item_id in enumerate(DUE + LATER):
            due_at = now - timedelta(hours=4 - n) if item_id in DUE else now + timedelta(days=7)
            db.session.add(review_card(user_id, item_id, due_at, stability=3.0))
        db.session.commit()


def keys_of(app, attempt_id):
    with app.app_context():
        rows = services.attempt_items(db.session.get(Attempt, attempt_id))
        return [
            (r.item_version.item_id, r.item_version.content["key"], r.option_order) for r in rows
        ]


def test_the_daily_set_on_a_phone(start_live_server, browser, artifacts):
    server = start_live_server()
    create_browser_people(server.app)
    schedule(server.app)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.goto(server.url + "/login")
    page.fill("#username", "li_cadre")
    page.fill("#password", PASSWORD)
    page.click("input[type=submit]")
    expect(page).to_have_url(re.compile(r"/me/$"))
    daily = page.locator("section.daily")
    expect(daily).to_contain_text("每日一练")
    expect(daily).to_contain_text("4 道题到期待复习")
    daily.get_by_role("button", name="开始今日练习").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    attempt_id = int(page.url.rsplit("/", 1)[1])
    items = keys_of(server.app, attempt_id)
    assert [item_id for item_id, _, _ in items] == list(DUE)
    fieldsets = page.locator("fieldset.item")
    expect(fieldsets).to_have_count(4)

    # 1: right and sure.
    first = fieldsets.nth(0)
    first.locator(f'input[value="{items[0][1][0]}"]').check()
    expect(first.locator(".save-status")).to_have_text("已保存")
    expect(first.locator(".feedback")).to_be_empty()  # no key before the cadre asks
    first.get_by_role("button", name="有把握").click()
    expect(first.locator(".feedback .right")).to_have_text("正确")
    expect(first.locator(".feedback")).to_contain_text("以身作则、公开透明才能树立威信。")
    expect(first.locator(".feedback a")).to_have_text("阅读学习笔记")
    expect(first.locator(".check")).to_contain_text("你标记了：有把握")
    expect(first.locator("input").first).to_be_disabled()  # the answer is final

    # 2: the cadre asks before answering, then answers wrongly and is not sure.
    second = fieldsets.nth(1)
    second.get_by_role("button", name="没把握").click()
    expect(second.locator(".save-status")).to_have_text("请先选择答案。")
    wrong = next(o for o in items[1][2] if o not in items[1][1])
    second.locator(f'input[value="{wrong}"]').check()
    second.get_by_role("button", name="没把握").click()
    expect(second.locator(".feedback .wrong")).to_contain_text("不太对。正确答案：")
    expect(second.locator(".check")).to_contain_text("你标记了：没把握")

    # 3 and 4: answered and checked without a mark.
    for index in (2, 3):
        fieldset = fieldsets.nth(index)
        fieldset.locator(f'input[value="{items[index][1][0]}"]').check()
        fieldset.get_by_role("button", name="直接核对").click()
        expect(fieldset.locator(".feedback .right")).to_have_text("正确")
    box = fieldsets.nth(1).bounding_box()
    assert box and box["x"] + box["width"] <= 360
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "daily-360.png"), full_page=True)

    # A reload keeps the answers final, their feedback and the marks.
    page.reload()
    expect(fieldsets.nth(1).locator("input").first).to_be_disabled()
    expect(fieldsets.nth(1).locator(".feedback .wrong")).to_contain_text("不太对")
    expect(fieldsets.nth(0).locator(".check")).to_contain_text("你标记了：有把握")

    page.locator("#submit-button").click()
    expect(page).to_have_url(re.compile(rf"/me/practice/{attempt_id}$"))
    expect(page.locator("h1")).to_have_text("今日练习完成")
    expect(page.locator("p.score")).to_have_text("答对 3 / 4 题")
    expect(page.locator("body")).to_contain_text("明天有 1 道题要复习")  # the missed one
    expect(page.locator(".learnt > li")).to_have_count(4)
    expect(page.locator(".learnt > li.wrong")).to_contain_text("你当时没把握")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "daily-done-360.png"), full_page=True)

    page.goto(server.url + "/me/")
    expect(page.locator("section.daily")).to_contain_text("今天的练习已完成")
    with server.app.app_context():
        rows = services.attempt_items(db.session.get(Attempt, attempt_id))
        assert [r.confidence for r in rows] == [Confidence.SURE, Confidence.UNSURE, None, None]
        assert len(list(db.session.scalars(select(ReviewLog)))) == 4
    context.close()
