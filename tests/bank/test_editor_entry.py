"""The editor's form is the bank's entry (pure): every kind round-trips through it, and the
bank's own rules name each problem beside its field."""

from __future__ import annotations

import pytest

from quizapp.bank.editor.checking import SourceCheck, check_entry
from quizapp.bank.editor.entry import (
    KEY_FIELD,
    entry_from_content,
    entry_from_form,
    form_from_entry,
    option_field,
)
from quizapp.bank.editor.layout import layout_for
from quizapp.bank.loader import load_bank
from quizapp.bank.provenance import SourceFingerprint
from quizapp.bank.schema import Text
from quizapp.kinds import REGISTRY, item_file_kinds, kind_of
from quizapp.kinds.base import FieldType
from tests.helpers import TEST_BANK

DOC = "000_1701b1266fabe569.txt"
BANK = load_bank(TEST_BANK).bank
# A document holding every anchor of the test bank, and one sentence long enough to copy.
COPYABLE = "the masses are the source of our strength and we must always rely on them"
DOCUMENT = " ".join([item.locator.anchor for item in BANK.items] + [COPYABLE])
SOURCES = SourceCheck(
    {DOC: Text("《文件》", "The document")}, {DOC: DOCUMENT}, SourceFingerprint.of({DOC: DOCUMENT})
)
TAGS = set(BANK.misconceptions)


def form_of(item_id: str) -> tuple[dict[str, str], object]:
    item = next(i for i in BANK.items if i.id == item_id)
    kind = kind_of(item.kind)
    entry = entry_from_content(
        item.id, item.code, kind, item.difficulty, item.scenario, item.to_content()
    )
    return form_from_entry(entry, kind), kind


def check(values: dict[str, str], kind, code: str = "A1", item_id: str = "A1-L0001"):
    return check_entry(entry_from_form(values, kind, item_id, code), kind, TAGS, SOURCES)


@pytest.mark.parametrize("item", BANK.items, ids=lambda item: f"{item.id}-{item.kind}")
def test_every_kind_round_trips_through_the_form(item):
    values, kind = form_of(item.id)
    checked = check(values, kind, item.code, item.id)
    assert checked.ok, checked.errors
    assert checked.item.to_content() == {
        **item.to_content(),
        "locator": {
            **item.to_content()["locator"],
            "title": {"zh": "《文件》", "en": "The document"},
        },
    }
    assert checked.item.id == item.id


def test_the_test_bank_has_every_kind_the_editor_offers():
    assert {item.kind for item in BANK.items} == {kind.name for kind in item_file_kinds()}


def test_a_local_id_is_kept_though_the_parser_wants_a_bank_id():
    values, kind = form_of("A1-001")
    checked = check(values, kind, "A1", "A1-L0042")
    assert checked.ok and checked.item.id == "A1-L0042"


def test_errors_are_placed_beside_their_fields():
    values, kind = form_of("A1-001")
    values["stem-en"] = ""
    values[option_field(1, "explanation-zh")] = ""
    values["difficulty"] = "7"
    values.pop(KEY_FIELD)
    checked = check(values, kind)
    assert not checked.ok
    assert any("'stem.en'" in m for m in checked.errors["stem"])
    assert any("'explanation.zh'" in m for m in checked.errors["option-1"])
    assert any("difficulty" in m for m in checked.errors["difficulty"])
    assert any("'key'" in m for m in checked.errors["key"])
    assert checked.count == 4


def test_too_few_options_and_a_key_with_a_mistake_are_about_options_and_key():
    values, kind = form_of("A1-001")
    for row in (1, 2):
        for part in ("text", "explanation"):
            for lang in ("zh", "en"):
                values[option_field(row, f"{part}-{lang}")] = ""
    values[option_field(0, "misconception")] = "gives_orders"
    checked = check(values, kind)
    assert "options" in checked.errors  # needs 2 to 8 options
    assert any("misconception" in m for m in checked.errors["key"])


def test_an_anchor_not_in_the_document_and_copied_text_are_named():
    values, kind = form_of("A1-001")
    values["locator-anchor"] = "words that the document never uses"
    checked = check(values, kind)
    assert any("not found" in m for m in checked.errors["locator"])
    values, kind = form_of("A1-001")
    values[option_field(2, "explanation-en")] = COPYABLE
    checked = check(values, kind)
    assert any("copied from a document" in m for m in checked.errors["option-2"])
    values, kind = form_of("A1-001")
    values["locator-doc"] = "001_6476b262cec3d6a8.txt"  # a real file, but not one of ours
    assert "locator" in check(values, kind).errors


def test_yaml_fields_name_the_line_of_the_problem():
    values, kind = form_of(next(i.id for i in BANK.items if i.kind == "case_analysis"))
    values["rubric"] = "- id: a\n  points: [3\n"
    checked = check(values, kind, "C1")
    assert checked.errors["rubric"][0].startswith("line ")
    values["rubric"] = (
        "- id: a\n  points: 2\n  criterion: {zh: 甲, en: A}\n  levels:\n"
        "    - {points: 2, zh: 好, en: Good}\n"
        "- id: c\n  points: 2\n  criterion: {zh: 乙, en: B}\n  levels:\n"
        "    - {points: 2, zh: 好, en: Good}\n    - {points: 0, zh: 差, en: Poor}\n"
    )
    checked = check(values, kind, "C1")
    messages = checked.errors["rubric"]
    assert any(m.startswith("line 1:") and "levels" in m for m in messages)  # no 0 level
    assert any(m.startswith("line 6:") and "lettered" in m for m in messages)  # b, not c


@pytest.mark.parametrize(
    "kind", [k for k in item_file_kinds() if k.editor.fields], ids=lambda k: k.name
)
def test_the_examples_shown_beside_yaml_fields_are_valid(kind):
    item = next(i for i in BANK.items if i.kind == kind.name)
    values, _ = form_of(item.id)
    for extra in kind.editor.fields:
        if extra.type == FieldType.YAML:
            values[extra.name] = extra.example
    if "blanks" in values:
        values["stem-zh"], values["stem-en"] = (
            "纠纷先交给{1}调解。",
            "Disputes go first to the {1}.",
        )
    checked = check(values, kind, item.code)
    assert checked.ok, checked.errors


def test_an_edit_keeps_the_option_ids_and_a_new_option_takes_a_free_letter():
    values, kind = form_of("B-002")  # ordering, options a, b, c
    values[option_field(0, "id")] = "c"  # as if the first row were shown as c
    values[option_field(2, "id")] = "a"
    for part in ("text", "explanation"):
        for lang in ("zh", "en"):
            values[option_field(3, f"{part}-{lang}")] = (
                f"新的一步 {part}" if lang == "zh" else f"a new step {part}"
            )
    values[option_field(3, "mark")] = "4"
    entry = entry_from_form(values, kind, "B-002", "B").entry
    assert [o["id"] for o in entry["options"]] == ["c", "b", "a", "d"]
    assert entry["key"][-1] == "d"


def test_shared_places_in_an_ordering_are_refused_by_the_key():
    values, kind = form_of("B-002")
    values[option_field(0, "mark")] = values[option_field(1, "mark")] = "1"
    checked = check(values, kind, "B")
    assert "key" in checked.errors


def test_marks_become_each_kinds_key():
    for item in BANK.items:
        values, kind = form_of(item.id)
        entry = entry_from_form(values, kind, item.id, item.code).entry
        if kind.editor.has_options and kind.editor.key_mark != "none":
            assert entry["key"], item.id
        else:
            assert "key" not in entry, item.id


def test_true_false_rows_are_the_kinds_own_and_may_omit_their_text():
    kind = REGISTRY["true_false"]
    layout = layout_for(kind, {})
    assert [row.label for row in layout.rows] == ["true", "false"]
    assert all(row.text_optional and not row.is_more for row in layout.rows)
    values, kind = form_of("A1-003")
    for row in (0, 1):
        values[option_field(row, "text-zh")] = values[option_field(row, "text-en")] = ""
    assert check(values, kind).ok


def test_the_form_opens_four_rows_and_folds_the_rest_until_used():
    kind = REGISTRY["single"]
    layout = layout_for(kind, {})
    assert [r.is_more for r in layout.rows] == [False] * 4 + [True] * 4
    used = {option_field(4, "text-zh"): "第五个"}
    assert [r.is_more for r in layout_for(kind, used).rows] == [False] * 6 + [True] * 2
    assert layout_for(REGISTRY["fill_blank"], {}).rows == ()
