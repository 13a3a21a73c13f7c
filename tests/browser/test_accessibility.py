"""axe-core on every page type (cadre, coordinator, admin), in Chinese and English, at phone
and desktop width: no serious or critical violation, and no page wider than the phone.

Each page is checked in all four pairs of language and width (Chinese and English, 360 and
1280 px): a label, a contrast or a wrapped table can fail in one pair alone. One server and
one browser for the module; each role logs in once and its page is reused. What axe finds is
written to test-artifacts/ as JSON (docs/accessibility.md keeps the figures)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SERIOUS = ("serious", "critical")
HEIGHTS = {360: 740, 1280: 900}
AXE = Axe()


def with_language(path: str, language: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={language}"


def violations(page: Any) -> list[dict[str, Any]]:
    """Each rule axe finds broken: its id, impact and how many elements break it."""
    found = AXE.run(page).response["violations"]
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "nodes": len(v["nodes"]),
            "targets": [" ".join(map(str, n["target"])) for n in v["nodes"][:5]],
        }
        for v in found
    ]


@pytest.mark.parametrize(("language", "width"),
                         [("zh", 360), ("en", 1280), ("zh", 1280), ("en", 360)])
@pytest.mark.parametrize("role", ["visitor", "cadre", "coordinator", "admin"])
def test_no_serious_violations(pages, site, artifacts, role, language, width):
    url, paths = site
    page = pages[role]
    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
    found: dict[str, list[dict[str, Any]]] = {}
    too_wide = []
    for name, path in paths[role]:
        response = page.goto(url + with_language(path, language))
        assert response is not None and response.status == 200, (name, path)
        expect(page.locator("html")).to_have_attribute(
            "lang", "zh-CN" if language == "zh" else "en"
        )
        found[name] = violations(page)
        if page.evaluate("document.documentElement.scrollWidth") > width:
            too_wide.append(name)
    (artifacts / f"axe-{role}-{language}-{width}.json").write_text(
        json.dumps(found, ensure_ascii=False, indent=1)
    )
    serious = {
        name: [v for v in found_here if v["impact"] in SERIOUS]
        for name, found_here in found.items()
    }
    serious = {name: found_here for name, found_here in serious.items() if found_here}
    assert not serious and not too_wide, (
        f"wider than {width} px: {too_wide}\n{json.dumps(serious, ensure_ascii=False, indent=1)}"
    )


def test_no_page_is_wider_than_a_phone_in_english(pages, site):
    """English words are longer than Chinese ones: the phone's width is checked in English too
    (without axe, which the Chinese phone run has done)."""
    url, paths = site
    too_wide = []
    for role, page in pages.items():
        page.set_viewport_size({"width": 360, "height": 740})
        for name, path in paths[role]:
            page.goto(url + with_language(path, "en"))
            if page.evaluate("document.documentElement.scrollWidth") > 360:
                too_wide.append(f"{role}: {name}")
    assert not too_wide


def test_item_analysis_reads_on_a_phone(pages, site, artifacts):
    """Nine columns at 360 px: each item is a card, nothing to scroll sideways."""
    url, paths = site
    page = pages["coordinator"]
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(url + with_language(dict(paths["coordinator"])["item analysis"], "zh"))
    region = page.get_by_role("region", name="题目统计")
    assert region.evaluate("(box) => box.scrollWidth <= box.clientWidth")
    first = region.locator("tbody tr").first
    expect(first.locator("th")).to_have_text(re.compile(r"^A1-\d+$"))
    assert (
        first.locator("td").first.evaluate("(cell) => getComputedStyle(cell, '::before').content")
        == '"作答数"'
    )
    page.screenshot(path=str(artifacts / "item-analysis-360.png"), full_page=True)
