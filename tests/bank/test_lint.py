"""Cue statistics are pure: items in, figures and failures out."""

import pytest

from quizapp.bank.cues import length_ratio
from quizapp.bank.lint import cue_figures, lint_bank, style_issues, threshold_failures
from quizapp.bank.loader import Item, Locator, Option, Text
from quizapp.kinds import QuestionKind, kind_of

LOCATOR = Locator("000_1701b1266fabe569.txt", "keep a clear head")


def option(option_id: str, zh: str, en: str) -> Option:
    return Option(option_id, Text(zh, en), Text("解释。", "Why."))


def item(options, key, kind=QuestionKind.SINGLE, stem=("村里怎么办？", "What now?"),
         item_id="A1-001", code="A1") -> Item:
    return Item(item_id, code, kind, 2, True, Text(*stem), tuple(options), tuple(key), LOCATOR)


LONG_KEY = item([option("a", "先把账算清楚再逐户说明情况",
                        "Work out the sums then explain house by house"),
                 option("b", "一律按文件办", "Always follow the file"),
                 option("c", "请示领导", "Ask the leaders"),
                 option("d", "先发通知", "Send a notice")], ["a"])
SHORT_KEY = item([option("a", "先核实情况再上报", "Check the facts, then report them"),
                  option("b", "当天把情况报到镇里再核实", "Report to the town, check later"),
                  option("c", "召开会议把问题讲清楚", "Call a meeting to explain it"),
                  option("d", "把意见整理成材料报送", "Write the views up, send them")], ["a"])


def test_guesser_finds_the_long_key_and_misses_the_short_one():
    assert kind_of("single").guesses(LONG_KEY)[0] == 1.0
    assert kind_of("single").guesses(SHORT_KEY)[0] == 0.0


def test_guesser_drops_absolute_options_before_picking_the_longest():
    absolute_long = item([option("a", "必须全部按照上级文件一字不差地执行", "Must follow it"),
                          option("b", "先问", "Ask"), option("c", "先看看", "Look")], ["c"])
    assert kind_of("single").guesses(absolute_long)[0] == 1.0


def test_ties_for_longest_split_the_guess():
    tied = item([option("a", "甲乙", "x"), option("b", "丙丁", "y"), option("c", "戊", "z")], ["a"])
    assert kind_of("single").guesses(tied)[0] == pytest.approx(0.5)


@pytest.mark.parametrize(("zh", "key", "expected"), [
    ("判断：干部一律不得这样做。", "false", 1.0),
    ("判断：干部一律不得这样做。", "true", 0.0),
    ("判断：干部可以这样做。", "true", 1.0),
    ("判断：干部可以这样做。", "false", 0.0),
])
def test_true_false_guesser_reads_absolutes_as_false(zh, key, expected):
    statement = item([option("true", "正确", "True"), option("false", "错误", "False")], [key],
                     kind=QuestionKind.TRUE_FALSE, stem=(zh, "True or false: x."))
    assert kind_of("true_false").guesses(statement)[0] == expected


def test_chance_per_kind():
    assert kind_of(LONG_KEY.kind).chance(LONG_KEY) == 0.25
    multiple = item([option(i, "选项", "x") for i in "abcd"], ["a", "b"],
                    kind=QuestionKind.MULTIPLE)
    # 15 non-empty subsets: a, b (0.5 each), ab (1), abc, abd (0.5 each), the rest 0.
    assert kind_of(multiple.kind).chance(multiple) == pytest.approx(3 / 15)
    judgement = item([option(i, "做法", "x") for i in "abcd"], ["a=4", "b=1", "c=2", "d=3"],
                     kind=QuestionKind.JUDGEMENT)
    # a random order of the responses puts each pair the right way round half the time
    assert kind_of(judgement.kind).chance(judgement) == pytest.approx(0.5)


def test_multiple_guesser_scores_with_partial_credit():
    multiple = item([option("a", "长长长长长", "x"), option("b", "长长长长长", "x"),
                     option("c", "短", "x"), option("d", "短短", "x")], ["a", "c"],
                    kind=QuestionKind.MULTIPLE)
    # picks a and b (at least the median length): +1/2 − 1/2 = 0
    assert kind_of("multiple").guesses(multiple)[0] == 0.0


def test_judgement_guesser_rates_by_length():
    judgement = item([option("a", "一二三四", "x"), option("b", "一", "x"),
                      option("c", "一二", "x"), option("d", "一二三", "x")],
                     ["a=4", "b=1", "c=2", "d=3"], kind=QuestionKind.JUDGEMENT)
    # longest first orders every pair; shortest first reverses every pair
    assert kind_of("judgement").guesses(judgement) == (1.0, 0.0)


def test_length_ratio_takes_the_worse_language():
    assert length_ratio(LONG_KEY) == pytest.approx(13 / 4)


def test_style_issues_name_what_breaks_the_house_style():
    bad = item([option("a", "这样做。", "Do it."), option("b", '说"好"', "Say yes")], ["a"],
               stem=("见文件004，怎么办？", "What now?"))
    messages = [issue.message for issue in style_issues(bad)]
    assert "option a ends with a full stop" in messages
    assert "option b: ASCII quotes in Chinese text" in messages
    assert "stem (zh): a document's file number" in messages
    multiple = item([option(i, "做法", "x") for i in "abc"], ["a", "b"],
                    kind=QuestionKind.MULTIPLE, stem=("哪些做法对？", "Which?"))
    assert any("（多选）" in i.message for i in style_issues(multiple))
    assert style_issues(SHORT_KEY) == []


@pytest.mark.parametrize(("zh", "en", "flagged"), [
    ("按《村民委员会组织法》第二十四条办", "Under the Organic Law", ["stem (zh)"]),
    ("依村民委员会组织法第27条", "Under the law", ["stem (zh)"]),
    ("依法办", "Organic Law of Villagers' Committees Art. 24(8)", ["stem (en)"]),
    ("依法办", "Arts. 24 and 27 of the Organic Law say so", ["stem (en)"]),
    ("依法办", "Article 30 of the Organic Law of Villagers' Committees", ["stem (en)"]),
    # The law named alone, or another law's article beside it, is what the house style asks.
    ("按《村民委员会组织法》，由村民会议决定", "Under the Organic Law of Villagers' Committees",
     []),
    ("《行政处罚法》第十七条", "Administrative Penalty Law art. 17 and the Organic Law", []),
])
def test_an_article_of_the_renumbered_organic_law_is_a_style_issue(zh, en, flagged):
    cited = item([option("a", "甲", "A"), option("b", "乙", "B")], ["a"],
                 stem=(zh + "？", en + "?"))
    found = [i.message.split(":")[0] for i in style_issues(cited) if "Organic Law" in i.message]
    assert found == flagged


def test_figures_and_failures_of_a_cued_group():
    figures = cue_figures([LONG_KEY, LONG_KEY, SHORT_KEY])
    assert figures["key_longest"]["single_zh"] == pytest.approx(0.667)
    assert figures["guesser"]["single"]["score"] == pytest.approx(0.667)
    assert figures["absolute_words"] == {"keys": 0.0, "distractors": pytest.approx(0.222)}
    failures = threshold_failures(figures, [])
    assert any(f.startswith("mechanical guesser on single") for f in failures)
    assert any(f.startswith("key is the longest option") for f in failures)
    assert any(f.startswith("absolute words") for f in failures)


def test_a_balanced_group_passes():
    balanced = [SHORT_KEY, item(SHORT_KEY.options, ["c"], item_id="A1-002"),
                item(SHORT_KEY.options, ["d"], item_id="A1-003"),
                item(SHORT_KEY.options, ["b"], item_id="A1-004", code="A2")]
    report = lint_bank(balanced)
    assert report["key_longest"]["single_zh"] == 0.25
    assert report["failures"] == []
    assert set(report["per_code"]) == {"A1", "A2"}
    assert lint_bank(balanced, "A2")["items"] == 1


def test_a_bank_that_overcorrected_to_short_keys_is_caught_too():
    short_keys = [SHORT_KEY, item(SHORT_KEY.options, ["a"], item_id="A1-002")]
    figures = cue_figures(short_keys)
    assert figures["key_longest"]["single_shortest_zh"] == 1.0
    assert figures["guesser"]["single"]["score"] == 1.0
    assert any("key is the shortest option" in f for f in threshold_failures(figures, []))


def test_judgement_baseline_is_the_better_of_random_and_rating_alike():
    judgement = item([option(i, "做法", "x") for i in "abcd"], ["a=4", "b=1", "c=2", "d=3"],
                     kind=QuestionKind.JUDGEMENT)
    # rating every option alike orders no pair (0); a random order gets half of them
    assert cue_figures([judgement])["guesser"]["judgement"]["knowledge_free_baseline"] == \
        pytest.approx(0.5)
