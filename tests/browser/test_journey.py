"""The first journey: set-up, a cadre account, the A1 quiz, its review in two languages."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_first_run_to_reviewed_quiz(live_server, browser, artifacts):
    page = browser.new_page(viewport={"width": 360, "height": 740}, locale="zh-CN")
    external = []
    page.on("request", lambda r: None if r.url.startswith(live_server) else external.append(r.url))

    # First run: every page leads to the set-up of the first admin.
    page.goto(live_server + "/")
    expect(page).to_have_url(re.compile(r"/setup$"))
    page.fill("#username", "zhang_admin")
    page.fill("#display_name", "张管理员")
    page.fill("#password", "admin-password-2026")
    page.fill("#confirm", "admin-password-2026")
    page.click("button[type=submit], input[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/users$"))

    # The admin creates a cadre account.
    page.click("text=新建账号")
    page.fill("#username", "wang_cadre")
    page.fill("#display_name", "王干部")
    page.select_option("#role", "cadre")
    page.fill("#password", "cadre-password-2026")
    page.fill("#confirm", "cadre-password-2026")
    page.click("input[type=submit]")
    expect(page.locator("td", has_text="wang_cadre")).to_be_visible()
    page.click("text=退出")

    # The cadre logs in and takes the A1 quiz.
    page.fill("#username", "wang_cadre")
    page.fill("#password", "cadre-password-2026")
    page.click("input[type=submit]")
    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.locator("h1")).to_contain_text("王干部")
    page.click("text=测验")
    expect(page).to_have_url(re.compile(r"/quizzes/$"))
    page.locator("li.card", has_text="能力一测验").locator("button").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    items = page.locator("fieldset.item")
    expect(items).to_have_count(3)
    for index in range(3):
        items.nth(index).locator("label.option").first.click()
    page.click("button.primary")

    # The review: total, subscore, explanations and locators, in Chinese then English.
    expect(page).to_have_url(re.compile(r"/attempts/\d+/result$"))
    expect(page.locator(".score")).to_contain_text("得分")
    expect(page.locator("table.subscores")).to_contain_text("A1")
    expect(page.locator(".explanation").first).not_to_be_empty()
    expect(page.locator(".locator").first).to_contain_text("《如何提高做好群众工作的能力》")
    expect(page.locator(".locator").first).not_to_contain_text("000_")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "result-zh-360.png"), full_page=True)

    page.click("text=English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".score")).to_contain_text("Score:")
    expect(page.locator("main")).to_contain_text("Openness and example build standing.")
    page.screenshot(path=str(artifacts / "result-en-360.png"), full_page=True)
    assert external == []
