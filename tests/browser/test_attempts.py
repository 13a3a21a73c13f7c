"""Weak connections and deadlines in a real browser: nothing the cadre answered is lost."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from sqlalchemy import select

from quizapp.auth.models import User
from quizapp.bank.loader import load_bank
from quizapp.bank.negation import find_negation
from quizapp.db import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services
from quizapp.quizzes.models import Attempt, AttemptStatus
from tests.helpers import browser_log_in, create_browser_people

pytestmark = pytest.mark.browser
REAL_BANK = Path(__file__).resolve().parents[2] / "question_bank"
PASSWORD = "cadre-password-2026"


def saved_answers(app, attempt_id):
    with app.app_context():
        rows = services.attempt_items(db.session.get(Attempt, attempt_id))
        return {row.item_version.item_id: row.response for row in rows}


def choose(fieldset, index):
    """Answer one question: click an option, fill every select of a paired question, or type
    into every part of a typed one."""
    parts = fieldset.locator("[data-part]")
    if parts.count():
        for position in range(parts.count()):
            parts.nth(position).fill(f"调解{index}")
        return
    selects = fieldset.locator("select")
    if selects.count():
        for position in range(selects.count()):
            selects.nth(position).select_option(index=position + 1)  # distinct places
        return
    fieldset.locator("label.option").nth(index % fieldset.locator("label.option").count()).click()


def answer_of(fieldset):
    """What the page shows as this question's answer, as the server stores it."""
    parts = fieldset.locator("[data-part]").all()
    if parts:
        return [f"{p.get_attribute('data-part')}={p.input_value()}" for p in parts]
    values = [i.get_attribute("value") for i in fieldset.locator("input:checked").all()]
    values += [s.input_value() for s in fieldset.locator("select").all() if s.input_value()]
    return sorted(values)


def test_answers_made_offline_survive_a_reload_and_are_sent_later(start_live_server, browser,
                                                                  artifacts):
    server = start_live_server(REAL_BANK)
    create_browser_people(server.app)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    page = context.new_page()
    browser_log_in(page, server.url)
    page.locator("li.card", has=page.locator('a[href$="/quizzes/ability-a1"]')).locator(
        "button").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    attempt_id = int(page.url.rsplit("/", 1)[1])
    items = page.locator("fieldset.item")
    count = items.count()
    assert count == 10
    chosen = {}
    half = count // 2
    for index in range(half):
        fieldset = items.nth(index)
        choose(fieldset, index)
        chosen[fieldset.get_attribute("data-item-id")] = index
        expect(fieldset.locator(".save-status")).to_have_text("已保存")

    context.set_offline(True)
    for index in range(half, count):
        fieldset = items.nth(index)
        choose(fieldset, index)
        chosen[fieldset.get_attribute("data-item-id")] = index
        expect(fieldset.locator(".save-status")).to_have_text("尚未保存")
    expect(page.locator("#sync-status")).to_contain_text("网络已断开")
    page.screenshot(path=str(artifacts / "offline-360.png"), full_page=True)
    with pytest.raises(PlaywrightError):
        page.reload()  # the reload itself fails while offline

    context.set_offline(False)
    page.goto(f"{server.url}/attempts/{attempt_id}")
    expect(page.locator(".save-status.pending")).to_have_count(0, timeout=15000)
    expect(page.locator("#sync-status")).to_be_hidden()

    saved = saved_answers(server.app, attempt_id)
    assert len(saved) == count
    assert all(saved[item_id] for item_id in chosen), saved
    for item_id in chosen:
        fieldset = page.locator(f'fieldset[data-item-id="{item_id}"]')
        assert saved[item_id] == answer_of(fieldset)
    context.close()


def test_an_attempt_past_its_deadline_is_graded_with_what_was_saved(start_live_server, browser):
    server = start_live_server(SYNC_GRACE_SECONDS=5)
    create_browser_people(server.app)
    page = browser.new_page(locale="zh-CN")
    browser_log_in(page, server.url)
    page.locator("li.card", has=page.locator('a[href$="/quizzes/ability-a1"]')).locator(
        "button").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    attempt_id = int(page.url.rsplit("/", 1)[1])
    first = page.locator("fieldset.item").first
    first.locator("label.option").first.click()
    expect(first.locator(".save-status")).to_have_text("已保存")

    # The deadline passes (and its grace) while the page sits open.
    with server.app.app_context():
        db.session.get(Attempt, attempt_id).deadline_at = utcnow() - timedelta(seconds=30)
        db.session.commit()
    second = page.locator("fieldset.item").nth(1)
    second.locator("label.option").first.click()
    expect(second.locator(".save-status")).to_contain_text("时间已到")

    page.reload()  # the countdown shows 0:00 and hands the attempt in by itself
    expect(page).to_have_url(re.compile(r"/attempts/\d+/result$"), timeout=10000)
    expect(page.locator("main")).to_contain_text("时间已到，已按截止前保存的答案计分")
    with server.app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == AttemptStatus.GRADED
        assert attempt.submitted_at > attempt.deadline_at
    saved = saved_answers(server.app, attempt_id)
    assert sum(1 for response in saved.values() if response) == 1


def test_a_which_is_not_question_shows_its_negation_marked_on_a_phone(start_live_server, browser,
                                                                     artifacts):
    """On a 360 px screen in Chinese the 不是 (or 不属于, 没有 …) of a "which is not" question
    carries emphasis dots, and the other questions of the page carry none."""
    # One A1 single-choice item that asks "which is not" and one that does not, from the bank as
    # it stands (items are retired and replaced, so none is named here).
    singles = [i for i in load_bank(REAL_BANK).bank.items if i.code == "A1" and i.kind == "single"]
    negated, negation = next((i.id, found.negation) for i in singles
                             if (found := find_negation(i.stem.zh)) is not None)
    plain = next(i.id for i in singles if not find_negation(i.stem.zh))
    server = start_live_server(REAL_BANK)
    create_browser_people(server.app)
    with server.app.app_context():
        cadre = db.session.scalar(select(User).where(User.username == "li_cadre"))
        attempt = services.start_or_resume_attempt(cadre, "ability-a1", utcnow(),
                                                   items=[negated, plain])
        db.session.commit()
        attempt_id = attempt.id
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    page = context.new_page()
    browser_log_in(page, server.url)
    page.goto(f"{server.url}/attempts/{attempt_id}")
    marked = page.locator(f'fieldset[data-item-id="{negated}"] legend strong.negation')
    expect(marked).to_have_text(negation)
    expect(marked).to_be_visible()
    emphasis = marked.evaluate(
        "e => getComputedStyle(e).textEmphasisStyle || getComputedStyle(e).webkitTextEmphasisStyle")
    assert "dot" in emphasis
    expect(page.locator(f'fieldset[data-item-id="{plain}"] strong.negation')).to_have_count(0)
    page.screenshot(path=str(artifacts / "negation-360.png"))
    context.close()
