"""Fill in the blank: reading the bank entry, cleaning and scoring typed answers (pure)."""

import textwrap

import pytest

from quizapp.bank.parsing import parse_items
from quizapp.kinds import InvalidAnswer, Shown, kind_of
from quizapp.kinds.texts import normalise
from tests.helpers import score_with

KIND = kind_of("fill_blank")
ITEM = textwrap.dedent("""\
    items:
      - id: C1-010
        code: C1
        kind: fill_blank
        difficulty: 2
        scenario: false
        stem:
          zh: 先找{1}，再找{2}。
          en: First the {1}, then the {2}.
        blanks:
          - accept: {zh: [调委会, 人民调解委员会], en: [mediation committee]}
          - accept: {zh: [司法所], en: [justice office, judicial office]}
        explanation: {zh: 先调解后上交。, en: "Mediate first, then pass it on."}
        locator: {doc: 000_1701b1266fabe569.txt, anchor: personal charm}
    """)
CONTENT = {"blanks": [{"accept": {"zh": ["调委会", "人民调解委员会"],
                                  "en": ["mediation committee"]}},
                      {"accept": {"zh": ["司法所"], "en": ["justice office"]}}]}


def test_an_entry_is_read_with_its_blanks_and_explanation():
    items, errors = parse_items(ITEM, "items/c1.yaml")
    assert errors == []
    (item,) = items
    assert item.key == ("1", "2")
    assert item.extra["blanks"][1]["accept"]["en"] == ["justice office", "judicial office"]
    assert item.to_content()["explanation"]["zh"] == "先调解后上交。"


@pytest.mark.parametrize(("change", "message"), [
    (("先找{1}，再找{2}。", "先找{1}。"), "stem.zh must mark each blank once"),
    (("en: [justice office, judicial office]", "en: []"), "'accept.en' must list"),
    (("explanation: {zh: 先调解后上交。, en: \"Mediate first, then pass it on.\"}", ""),
     "missing 'explanation'"),
])
def test_a_broken_entry_is_refused_with_its_line(change, message):
    items, errors = parse_items(ITEM.replace(*change), "items/c1.yaml")
    assert items == []
    assert any(message in e.message and e.line >= 2 for e in errors), errors


def test_normalisation_ignores_width_case_space_and_punctuation():
    assert normalise("ＭＥＤＩＡＴＩＯＮ　Committee。") == normalise("mediation committee")
    assert normalise("“调委会”") == normalise("调委会")
    assert normalise("调委会") != normalise("村委会")


@pytest.mark.parametrize(("response", "expected"), [
    (["1=人民调解委员会", "2=司法所"], 1.0),
    (["1=Mediation Committee", "2=司法所 "], 1.0),   # either language, any case
    (["1=调委会"], 0.5),                               # one blank of two
    (["1=村委会", "2=派出所"], 0.0),
    (None, 0.0),
])
def test_each_blank_scores_its_share(response, expected):
    assert score_with("fill_blank", ("1", "2"), response, (), content=CONTENT).score == expected


def test_cleaning_keeps_numbered_parts_and_refuses_the_rest():
    shown = Shown({**CONTENT, "stem": {"zh": "", "en": ""}}, ())
    assert KIND.clean(shown, ["2=司法所", "1=调委会"]) == ["1=调委会", "2=司法所"]
    assert KIND.clean(shown, ["2= 司法所 "]) == ["2=司法所"]
    assert KIND.clean(shown, ["1="]) is None
    for bad in (["3=x"], ["x"], ["1=a", "1=b"], ["1=" + "长" * 61]):
        with pytest.raises(InvalidAnswer):
            KIND.clean(shown, bad)


def test_the_page_shows_numbered_blanks_and_the_key_only_when_allowed():
    shown = Shown({**CONTENT, "explanation": {"zh": "解释", "en": "Why"}}, ())
    hidden = KIND.view(shown, ["1=调委会"], "en", show_key=False, show_explanation=False)
    assert hidden["given"] == {1: "调委会"} and hidden["accepted"] == {}
    assert hidden["explanation"] == ""
    shown_key = KIND.view(shown, None, "en", show_key=True, show_explanation=True)
    assert shown_key["accepted"][1] == ["mediation committee"]
    assert KIND.display_stem("先找{1}。", "zh") == "先找（1）______。"
    assert KIND.display_stem("First the {1}.", "en") == "First the (1) ______."
    assert shown_key["labels"] == {1: "(1) ", 2: "(2) "}
