"""Every format round-trips every kind it can express: the shipped bank's items of that kind
(the test bank's where the shipped one has none) are exported, read back, and meet the same
entries and content; the kinds a format cannot express are skipped with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.bank.exchange import FORMATS, BankRules, export_items, load_rules, read_upload
from quizapp.bank.exchange.entries import item_entry
from quizapp.bank.loader import load_bank
from quizapp.kinds import item_file_kinds
from tests.helpers import ROOT, TEST_BANK

SHIPPED = ROOT / "question_bank"
SEEDS = ROOT.parent / "shared" / "seeds"
EXTENSION = {
    "xlsx": "items.xlsx",
    "gift": "items.gift",
    "moodle-xml": "items.xml",
    "yaml": "items.yaml",
}
# What each format carries (docs/exchange.md has the table): kind -> carried?
CARRIES = {
    "xlsx": {k.name for k in item_file_kinds()},
    "yaml": {k.name for k in item_file_kinds()},
    "gift": {"single", "multiple", "true_false", "matching", "fill_blank"},
    "moodle-xml": {
        "single",
        "multiple",
        "true_false",
        "matching",
        "ordering",
        "fill_blank",
        "case_analysis",
    },
}


def _seeds() -> Path | None:
    return SEEDS if SEEDS.is_dir() else None


@pytest.fixture(scope="module")
def banks():
    shipped = load_bank(SHIPPED).bank.items
    test = load_bank(TEST_BANK).bank.items
    return {"shipped": shipped, "test": test}


@pytest.fixture(scope="module")
def rules() -> dict[str, BankRules]:
    return {"shipped": load_rules(SHIPPED, _seeds())[0], "test": load_rules(TEST_BANK, _seeds())[0]}


def items_of(banks, kind: str, fmt: str):
    """The shipped items of a kind the format carries whole (a fill-in with one blank for the
    Moodle formats), else the test bank's."""
    for source in ("shipped", "test"):
        found = [
            i
            for i in banks[source]
            if i.kind == kind
            and not (
                fmt in ("gift", "moodle-xml")
                and kind == "fill_blank"
                and len(i.extra["blanks"]) > 1
            )
        ]
        if found:
            return source, found
    raise AssertionError(f"no {kind} item to try")


CASES = [(fmt, kind.name) for fmt in FORMATS for kind in item_file_kinds()]


@pytest.mark.parametrize(("fmt", "kind"), CASES)
def test_round_trip_of_each_kind(banks, rules, fmt, kind):
    source, items = items_of(banks, kind, fmt)
    written = export_items(items, fmt, rules[source])
    if kind not in CARRIES[fmt]:
        assert written.written == ()
        assert [s.item_id for s in written.skipped] == [i.id for i in items]
        assert all(s.reason for s in written.skipped)
        return
    assert written.skipped == ()
    result = read_upload(EXTENSION[fmt], written.data, rules[source])
    assert result.ok, [str(e) for e in result.errors[:5]]
    assert [item_entry(i) for i in result.items] == [item_entry(i) for i in items]
    assert [i.content_hash() for i in result.items] == [i.content_hash() for i in items]


@pytest.mark.parametrize("fmt", ["xlsx", "yaml"])
def test_the_whole_shipped_bank_travels_without_loss(banks, rules, fmt):
    items = banks["shipped"]
    written = export_items(items, fmt, rules["shipped"])
    assert len(written.written) == len(items) and written.skipped == ()
    result = read_upload(EXTENSION[fmt], written.data, rules["shipped"])
    assert result.ok, [str(e) for e in result.errors[:5]]
    assert {i.id: i.content_hash() for i in result.items} == {i.id: i.content_hash() for i in items}


def test_moodle_formats_name_every_item_they_leave_out(banks, rules):
    items = banks["shipped"]
    for fmt in ("gift", "moodle-xml"):
        written = export_items(items, fmt, rules["shipped"])
        assert len(written.written) + len(written.skipped) == len(items)
        assert {s.kind for s in written.skipped} == {
            i.kind for i in items if i.id in {s.item_id for s in written.skipped}
        }
        several_blanks = [s for s in written.skipped if s.kind == "fill_blank"]
        assert several_blanks and all("one blank" in s.reason for s in several_blanks)
