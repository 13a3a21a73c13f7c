"""Printable views: a cadre's progress and a cohort's dashboard on A4, without the menus and
buttons, with their charts and tables (the print media of the browser)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

A4_WIDTH = 794  # 210 mm at 96 px per inch


def open_printed(page, url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="screen")
    page.goto(url)
    # On screen: the menus, and a print button (shown by print.js, under the site's CSP).
    expect(page.locator("header.top nav")).to_be_visible()
    expect(page.locator("button[data-print]")).to_be_visible()
    page.set_viewport_size({"width": A4_WIDTH, "height": 1123})
    page.emulate_media(media="print")


@pytest.mark.parametrize(("role", "name"), [("cadre", "progress"), ("coordinator", "dashboard")])
def test_printed_page_keeps_charts_and_tables_without_menus(pages, site, artifacts, role, name):
    url, paths = site
    page = pages[role]
    open_printed(page, url + dict(paths[role])[name] + "?lang=zh")
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.locator("header.top nav")).to_be_hidden()
    expect(page.locator("button[data-print]")).to_be_hidden()
    for button in page.locator("main button").all():
        expect(button).to_be_hidden()
    for chart in page.locator("figure.chart img").all():
        expect(chart).to_be_visible()
        assert chart.evaluate("(img) => img.naturalWidth") > 0
    for table in page.locator("main table").all():
        expect(table).to_be_visible()
        # Whole on paper: nothing left in a scrolled-away part of the table.
        assert table.evaluate("(t) => t.getBoundingClientRect().right") <= A4_WIDTH
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_WIDTH
    page.pdf(path=str(artifacts / f"print-{name}.pdf"), format="A4")
    page.emulate_media(media="screen")


def test_printed_progress_leaves_out_the_links_to_each_attempt(pages, site):
    url, paths = site
    page = pages["cadre"]
    open_printed(page, url + dict(paths["cadre"])["progress"] + "?lang=zh")
    attempts = page.locator("main table").last
    expect(attempts.locator("td").first).to_be_visible()
    expect(attempts.locator("td.no-print").first).to_be_hidden()
    page.emulate_media(media="screen")
