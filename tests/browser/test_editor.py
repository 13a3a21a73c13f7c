"""The question editor on a phone, in Chinese: a coordinator writes a single-choice item about
a county policy, previews it live, submits it; a second coordinator approves it; the
coordinator assigns a quiz with it to his cohort; a cadre of the cohort answers it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from quizapp.auth import services as accounts
from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.cohorts import services as cohorts
from quizapp.extensions import db
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

STEM_ZH = "县里新出台的宅基地审批办法要求先公示，村民老周嫌麻烦想直接动工。你该怎么做？"
STEM_EN = (
    "The county's new rule for housing plots asks for a public notice first; "
    "Old Zhou wants to build at once. What do you do?"
)
KEY_ZH = "讲清公示的用意，帮他把材料备齐"
WRONG_ZH = "让他先盖起来，以后再补手续"


def people(app) -> None:
    with app.app_context():
        accounts.create_user("admin_e", "管理员", PASSWORD, Role.ADMIN)
        wang = accounts.create_user("wang_coord", "王协调员", PASSWORD, Role.COORDINATOR)
        accounts.create_user("li_coord", "李协调员", PASSWORD, Role.COORDINATOR)
        cadre = accounts.create_user("zhao_cadre", "赵干部", PASSWORD, Role.CADRE)
        db.session.flush()
        cohort = cohorts.create_cohort("城关镇一班", "", wang)
        cohorts.add_member(cohort, db.session.get(User, cadre.id))
        db.session.commit()
    app.extensions["quizapp.admin_exists"] = True


def log_in(page, url: str, username: str) -> None:
    page.goto(url + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("button", has_text="退出")).to_be_visible()


def log_out(page) -> None:
    page.locator("button", has_text="退出").click()


def fill_option(page, row: int, zh: str, en: str, why_zh: str, why_en: str) -> None:
    page.fill(f"#option-{row}-text-zh", zh)
    page.fill(f"#option-{row}-text-en", en)
    page.fill(f"#option-{row}-explanation-zh", why_zh)
    page.fill(f"#option-{row}-explanation-en", why_en)


def test_a_coordinator_writes_an_item_that_is_approved_assigned_and_answered(
    start_live_server, browser, artifacts
):
    server = start_live_server()
    people(server.app)
    page = browser.new_page(viewport={"width": 360, "height": 740}, locale="zh-CN")
    external = []
    page.on("request", lambda r: None if r.url.startswith(server.url) else external.append(r.url))

    # The coordinator writes a single-choice item in Chinese (and English) in his local bank.
    log_in(page, server.url, "wang_coord")
    page.click("text=题库")
    expect(page.locator("h1")).to_have_text("题库")
    page.click("text=新建题目")
    page.select_option("#code", "A1")
    page.select_option("#kind", "single")
    page.click("text=开始编写")
    page.fill("#stem-zh", STEM_ZH)
    page.fill("#stem-en", STEM_EN)
    page.check("input[name=scenario]")
    fill_option(
        page,
        0,
        KEY_ZH,
        "Explain why the notice matters and help him gather the papers",
        "依规办事又替群众着想。",
        "Within the rules, and on his side.",
    )
    fill_option(
        page,
        1,
        WRONG_ZH,
        "Let him build now and file the papers later",
        "许诺政策给不了的东西。",
        "A promise the rules cannot keep.",
    )
    page.select_option("#option-1-misconception", "false_promise")
    page.check("input[name=key][value='0']")
    page.select_option("#locator-doc", "000_1701b1266fabe569.txt")
    page.fill("#locator-anchor", "ability to establish our own prestige")
    # The live preview follows the typing: both languages, the key marked.
    preview = page.locator("#preview")
    expect(preview.locator("section.preview[lang=zh-CN]")).to_contain_text(STEM_ZH, timeout=10000)
    expect(preview.locator("section.preview[lang=en]")).to_contain_text("Old Zhou")
    expect(preview.locator("li.key")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "editor-zh-360.png"), full_page=True)
    # A problem is named beside its field as soon as it is typed.
    page.fill("#option-0-explanation-en", "")
    expect(page.locator('[data-errors-for="option-0"]')).to_contain_text("英文", timeout=10000)
    page.fill("#option-0-explanation-en", "Within the rules, and on his side.")
    expect(page.locator('[data-errors-for="option-0"]')).to_be_empty(timeout=10000)
    page.click("button[value=save]")
    expect(page).to_have_url(re.compile(r"/bank/items/A1-L0001$"))
    expect(page.locator("main")).to_contain_text("草稿")
    page.click("button:has-text('提交审核')")
    expect(page.locator(".flash-success")).to_contain_text("已提交审核")
    expect(page.locator("button", has_text="审核通过并发布")).to_have_count(0)  # not his own
    log_out(page)

    # A second coordinator approves it.
    log_in(page, server.url, "li_coord")
    page.goto(server.url + "/bank/")
    page.click("text=待你审核：1 道")
    page.click("text=A1-L0001")
    expect(page.locator("main")).to_contain_text(STEM_ZH)
    page.click("button:has-text('审核通过并发布')")
    expect(page.locator(".flash-success")).to_contain_text("已审核通过并发布")
    log_out(page)

    # The coordinator assigns a quiz with it to his cohort.
    log_in(page, server.url, "wang_coord")
    page.goto(server.url + "/cohorts/")
    page.click("text=城关镇一班")
    page.click("text=布置测验")
    page.select_option("#quiz_id", "ability-a1")
    page.check("input[name=local_items][value='A1-L0001']")
    page.locator("form input[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    log_out(page)

    # A cadre of the cohort sees it in his assignment.
    log_in(page, server.url, "zhao_cadre")
    page.goto(server.url + "/me/")
    page.locator("li.card", has_text="能力一测验").locator("button").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    item = page.locator("fieldset.item", has_text=STEM_ZH)
    expect(item).to_have_count(1)
    expect(item).to_contain_text(KEY_ZH)
    expect(page.locator("fieldset.item")).to_have_count(4)  # three drawn and his county's
    page.screenshot(path=str(artifacts / "editor-item-assigned-zh-360.png"), full_page=True)
    assert external == []
