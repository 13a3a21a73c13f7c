"""Typed answers on a phone, in Chinese: a fill-in and a case analysis are saved as they are
typed, survive a reload, and the handed-in attempt waits for its grader."""

import re

import pytest
from playwright.sync_api import expect

from quizapp.extensions import db
from quizapp.quizzes import services
from quizapp.quizzes.models import Attempt, AttemptStatus
from tests.helpers import browser_log_in, create_browser_people

pytestmark = pytest.mark.browser


def test_typed_answers_autosave_survive_a_reload_and_wait_for_grading(start_live_server,
                                                                       browser, artifacts):
    server = start_live_server()  # the test bank: its "written" quiz has one of each
    create_browser_people(server.app)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    page = context.new_page()
    browser_log_in(page, server.url)
    page.locator("li.card", has=page.locator('a[href$="/quizzes/written"]')).locator(
        "button").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    attempt_id = int(page.url.rsplit("/", 1)[1])

    blank = page.locator('fieldset[data-answer="texts"] input[data-part="1"]')
    essay = page.locator('fieldset[data-answer="texts"] textarea')
    expect(blank).to_have_count(1)
    expect(essay).to_have_count(1)
    # Typing alone saves (after a short pause): no need to leave the field on a phone.
    blank.fill("调委会")
    essay.fill("先分别听两户的说法，再查确权材料，最后当面调解。")
    statuses = page.locator('fieldset[data-answer="texts"] .save-status')
    expect(statuses.nth(0)).to_have_text("已保存", timeout=10000)
    expect(statuses.nth(1)).to_have_text("已保存", timeout=10000)
    box = essay.bounding_box()
    assert box and box["width"] <= 360  # fits the phone's width
    page.screenshot(path=str(artifacts / "written-360.png"), full_page=True)

    page.reload()
    expect(page.locator('input[data-part="1"]')).to_have_value("调委会")
    expect(page.locator("textarea")).to_have_value(re.compile("当面调解"))

    page.locator("#submit-button").click()
    expect(page).to_have_url(re.compile(r"/result$"))
    expect(page.locator("p.score")).to_contain_text("协调员会为你的书面作答评分")
    with server.app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == AttemptStatus.AWAITING_GRADING
        saved = {r.item_version.kind: r.response for r in services.attempt_items(attempt)}
        assert saved["fill_blank"] == ["1=调委会"]
        assert saved["case_analysis"][0].startswith("1=先分别听两户")
    context.close()
