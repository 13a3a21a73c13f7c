"""The cadre's progress page in a real browser, at phone and desktop width."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import browser_log_in, create_browser_people

pytestmark = pytest.mark.browser


def test_progress_page_after_two_quizzes(start_live_server, browser, artifacts):
    server = start_live_server()
    create_browser_people(server.app)
    page = browser.new_page(viewport={"width": 360, "height": 740}, locale="zh-CN")
    browser_log_in(page, server.url)
    for _ in range(2):
        page.goto(server.url + "/quizzes/")
        page.locator("li.card", has=page.locator('a[href$="/quizzes/ability-a1"]')).locator(
            "button").click()
        expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
        for fieldset in page.locator("fieldset.item").all():
            fieldset.locator("label.option").first.click()
        page.click("#submit-button")
        expect(page).to_have_url(re.compile(r"/result$"))

    page.goto(server.url + "/me/progress")
    expect(page.locator("h1")).to_have_text("我的进步")
    chart = page.locator("figure.chart img").first
    expect(chart).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", chart.element_handle()) > 0
    expect(page.locator("table.list").first).to_contain_text("A1 在群众中树立威信")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "progress-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(artifacts / "progress-1280.png"), full_page=True)
