"""GIFT: Moodle's syntax read as Moodle reads it, the bank's record beside each question,
errors by line."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quizapp.bank.exchange import BankRules, export_items, load_rules, read_upload
from quizapp.bank.exchange.entries import item_entry
from quizapp.bank.exchange.gift import escape
from quizapp.bank.loader import load_bank
from quizapp.bank.schema import Text
from tests.helpers import TEST_BANK


@pytest.fixture(scope="module")
def rules() -> BankRules:
    return load_rules(TEST_BANK)[0]


@pytest.fixture(scope="module")
def items():
    return {item.id: item for item in load_bank(TEST_BANK).bank.items}


def read(text: str, rules: BankRules):
    return read_upload("items.gift", text.encode(), rules)


def test_special_characters_survive_the_escapes(items, rules):
    tricky = replace(
        items["A1-001"],
        stem=Text("村里{1}说：a=b #2 ~3 \\ 怎么办？", "Say: a=b, #2 ~3 {x} \\ and then?"),
    )
    data = export_items([tricky], "gift", rules).data
    assert "\\{1\\}" in data.decode() and "\\=" in data.decode()
    result = read_upload("x.gift", data, rules)
    assert result.ok, result.errors
    assert item_entry(result.items[0]) == item_entry(tricky)


def test_questions_are_read_as_moodle_writes_them(rules):
    record = (
        '// quizapp: {"code":"A1","difficulty":1,"scenario":false,'
        '"locator":{"doc":"000_1701b1266fabe569.txt","anchor":"set an example"}}'
    )
    span = '<span lang\\="{}" class\\="multilang">{}</span>'
    stem = span.format("zh_cn", "判断：威信靠职位。") + span.format(
        "en", "Standing comes from rank."
    )
    why = (
        span.format("zh_cn", "威信靠作风。") + span.format("en", "It comes from conduct."),
        span.format("zh_cn", "说对了。") + span.format("en", "Right."),
    )
    text = (
        f"// made by hand\n{record}\n::A1-301::[html]{stem}"
        f"\\{{FALSE#[html]{why[0]}#[html]{why[1]}\\}}\n"
    )
    result = read(text.replace("\\{FALSE", "{FALSE").replace("\\}\n", "}\n"), rules)
    assert result.ok, result.errors
    (item,) = result.items
    assert (item.id, item.kind, item.key) == ("A1-301", "true_false", ("false",))
    assert item.options[1].explanation == Text("说对了。", "Right.")


def test_each_error_names_its_line(items, rules):
    good = export_items([items["A1-001"]], "gift", rules).data.decode()
    text = good + "\n".join(
        [
            "",
            "::A1-302::What is two and two?{#4}",  # numerical: no kind
            "",
            '// quizapp: {"code":"A1"',  # not JSON
            "::A1-303::Broken{=a ~b}",
            "",
            "::A1-304::No answers at all",  # no braces
            "",
            '// quizapp: {"code":"A1","difficulty":2,"scenario":false,"locator":'
            '{"doc":"000_1701b1266fabe569.txt","anchor":"set an example"},"colour":1}',
            "::A1-305::Plain text only{=yes ~no}",  # no spans, unknown field
            "",
            "::A1-306::Who decides?{=the people ~the cadre}",  # no record
        ]
    )
    lines = text.splitlines()
    result = read(text, rules)
    found = {(e.line, e.message.split(":")[0]) for e in result.errors}
    start = {
        word: lines.index(next(line for line in lines if line.endswith(word))) + 1
        for word in ("{#4}", '{"code":"A1"', "all", 'colour":1}', "the cadre}")
    }
    assert found == {
        (start["{#4}"], "a numerical question has no kind in the bank"),
        (start['{"code":"A1"'], "the quizapp record is not JSON"),
        (start["all"], "a question needs its answers between { and }"),
        (start['colour":1}'], "the quizapp record has unknown field(s) colour"),
        (
            start['colour":1}'],
            "the question text needs Chinese and English as Moodle multilang spans",
        ),
        (start["the cadre}"], "no quizapp record"),
    }
    assert result.items == ()


def test_bank_rules_apply_to_what_gift_carries(items, rules):
    wrong = replace(items["A1-001"], code="A2")  # the id's prefix no longer matches
    result = read_upload("x.gift", export_items([wrong], "gift", rules).data, rules)
    assert [str(e).split(": ", 1)[1] for e in result.errors] == [
        "item A1-001: id prefix does not match code A2"
    ]
    assert result.errors[0].where.startswith("line ")


def test_escape_is_what_moodle_unescapes():
    assert escape("a:b#c=d{e}f~g\\h\nI") == "a\\:b\\#c\\=d\\{e\\}f\\~g\\\\h\\nI"
