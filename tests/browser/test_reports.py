"""A coordinator's heat map and its drill-down in a real browser, at phone and desktop width."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from quizapp.auth import services as accounts
from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.cohorts import services as cohorts
from quizapp.db import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services as attempts
from quizapp.quizzes.settings import QuizSettings

pytestmark = pytest.mark.browser
PASSWORD = "coordinator-password-2026"


def build_cohort(app):
    """A coordinator, an admin, and a cohort of three cadres who took an assignment."""
    with app.app_context():
        accounts.create_user("admin_r", "Admin", PASSWORD, Role.ADMIN)
        coordinator = accounts.create_user("coord_zhou", "周老师", PASSWORD, Role.COORDINATOR)
        cohort = cohorts.create_cohort("城关镇青年干部班", "", coordinator)
        assignment = cohorts.create_assignment(cohort, "ability-a1", QuizSettings())
        for name, right in (("陈明", 3), ("刘芳", 1), ("黄强", 0)):
            user = accounts.create_user(f"cadre_{right}", name, PASSWORD, Role.CADRE)
            cohorts.add_member(cohort, user)
            attempt = cohorts.start_assignment(user, assignment.id, utcnow(), timedelta(0))
            for index, row in enumerate(attempts.attempt_items(attempt)):
                key = row.item_version.content["key"]
                row.response = key if index < right else \
                    [o for o in row.option_order if o not in key][:1]
            attempts.submit_attempt(attempt.id, utcnow())
        db.session.commit()
        assert db.session.get(User, coordinator.id) is not None
    app.extensions["quizapp.admin_exists"] = True


def test_heatmap_drill_down(start_live_server, browser, artifacts):
    server = start_live_server()
    build_cohort(server.app)
    page = browser.new_page(viewport={"width": 360, "height": 740}, locale="zh-CN")
    page.goto(server.url + "/login")
    page.fill("#username", "coord_zhou")
    page.fill("#password", PASSWORD)
    page.click("input[type=submit]")
    expect(page).to_have_url(re.compile(r"/cohorts/$"))
    page.click("text=城关镇青年干部班")
    page.click("text=热力图")
    expect(page.locator("table.heatmap tbody tr")).to_have_count(3)
    expect(page.locator("table.heatmap")).to_contain_text("黄强")
    page.screenshot(path=str(artifacts / "heatmap-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(artifacts / "heatmap-1280.png"), full_page=True)

    page.locator("tr", has_text="黄强").locator("a.heat").first.click()
    expect(page).to_have_url(re.compile(r"/codes/A1\?user=\d+$"))
    expect(page.locator("main")).to_contain_text("按类型统计的错误")
    expect(page.locator("section.card").first).to_contain_text("A1-00")
    page.screenshot(path=str(artifacts / "drilldown-1280.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "drilldown-360.png"), full_page=True)
