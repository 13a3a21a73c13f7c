"""Moodle XML: read with defusedxml, each question named by its line."""

from __future__ import annotations

import pytest

from quizapp.bank.exchange import BankRules, export_items, load_rules, read_upload
from quizapp.bank.exchange.moodle import languages, multilang
from quizapp.bank.loader import load_bank
from quizapp.bank.schema import Text
from tests.helpers import TEST_BANK


@pytest.fixture(scope="module")
def rules() -> BankRules:
    return load_rules(TEST_BANK)[0]


def read(text: str, rules: BankRules):
    return read_upload("items.xml", text.encode(), rules)


def test_entities_and_dtds_are_refused(rules):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><quiz>&b;</quiz>'
    )
    result = read(bomb, rules)
    assert [str(e) for e in result.errors] == ["file: the XML declares a DTD or entities (refused)"]


def test_malformed_xml_names_its_line(rules):
    result = read("<quiz>\n<question type='multichoice'>\n</quiz>", rules)
    assert result.errors[0].line == 3 and "not well-formed" in result.errors[0].message


def test_each_question_is_named_by_its_line(rules):
    items = load_bank(TEST_BANK).bank.items
    good = export_items(items[:1], "moodle-xml", rules).data.decode()
    text = good.replace(
        "</quiz>",
        (
            '  <question type="numerical">\n'
            "    <name><text>A1-302</text></name>\n"
            "  </question>\n"
            '  <question type="shortanswer">\n'
            "    <name><text>A1-303</text></name>\n"
            "  </question>\n"
            "</quiz>"
        ),
    )
    lines = text.splitlines()
    result = read(text, rules)
    numerical = lines.index('  <question type="numerical">') + 1
    shortanswer = lines.index('  <question type="shortanswer">') + 1
    assert [(e.line, e.message.split(":")[0]) for e in result.errors] == [
        (numerical, "a Moodle 'numerical' question has no kind in the bank"),
        (shortanswer, "no quizapp record"),
    ]


def test_not_a_moodle_file(rules):
    assert (
        str(read("<html/>", rules).errors[0]) == "line 1: a Moodle XML file has <quiz> at its root"
    )


def test_multilang_spans_carry_both_languages():
    text = Text("村里<事>&“说法”\n第二段", 'The <village> & its "say"\nmore')
    markup = multilang(text)
    assert languages(markup) == {"zh": text.zh, "en": text.en}
    assert languages(
        '<p><span class="multilang" lang="zh-CN">中</span>'
        '<span lang="EN" class="multilang extra">En</span></p>'
    ) == {"zh": "中", "en": "En"}
    assert languages("plain text") == {}
