"""Case analysis: the rubric read from the bank, typed answers cleaned, grades from levels."""

import textwrap

import pytest

from quizapp.bank.parsing import parse_items
from quizapp.kinds import InvalidAnswer, Shown, kind_of
from quizapp.kinds.case_analysis import InvalidGrade, rubric_score

KIND = kind_of("case_analysis")
ITEM = textwrap.dedent("""\
    items:
      - id: A3-251
        code: A3
        kind: case_analysis
        difficulty: 3
        scenario: true
        stem: {zh: 案例。任务：怎么办？, en: "A case. Task: what would you do?"}
        max_length: 300
        rubric:
          - id: a
            points: 2
            criterion: {zh: 先核实, en: Checks first}
            levels:
              - {points: 2, zh: 查清再说, en: Checks then speaks}
              - {points: 1, zh: 提到核实, en: Mentions checking}
              - {points: 0, zh: 没有核实, en: Does not check}
          - id: b
            points: 3
            criterion: {zh: 听取双方, en: Hears both sides}
            levels:
              - {points: 3, zh: 分别听取, en: Hears each}
              - {points: 0, zh: 只听一方, en: One side only}
        model_answer: {zh: 先核实，再听取双方。, en: "Check first, then hear both sides."}
        locator: {doc: 000_1701b1266fabe569.txt, anchor: personal charm}
    """)


def rubric():
    (item,), errors = parse_items(ITEM, "items/a3.yaml")
    assert errors == []
    return item.extra["rubric"]


def test_the_rubric_is_read_with_points_and_levels_in_both_languages():
    (item,), _ = parse_items(ITEM, "items/a3.yaml")
    assert item.options == () and item.key == ()
    assert [c["points"] for c in item.extra["rubric"]] == [2, 3]
    assert item.extra["rubric"][0]["levels"][1] == {"points": 1, "zh": "提到核实",
                                                    "en": "Mentions checking"}
    assert item.extra["max_length"] == 300


@pytest.mark.parametrize(("change", "message"), [
    (("- {points: 0, zh: 只听一方, en: One side only}", ""), "run from 3 points down to 0"),
    (("max_length: 300", "max_length: 50"), "'max_length' must be a whole number"),
    (("- id: b", "- id: c"), "lettered a, b, c"),
    (("model_answer:", "model:"), "unknown field(s) model"),
])
def test_a_broken_rubric_is_refused(change, message):
    items, errors = parse_items(ITEM.replace(*change), "items/a3.yaml")
    assert items == []
    assert any(message in e.message for e in errors), errors


def test_a_grade_is_the_share_of_rubric_points():
    assert rubric_score(rubric(), {"a": 1, "b": 3}).score == pytest.approx(4 / 5)
    assert rubric_score(rubric(), {"a": 2, "b": 3}, weight=2.0).score == 2.0
    for bad in ({"a": 2}, {"a": 2, "b": 2}, {"a": 5, "b": 0}):
        with pytest.raises(InvalidGrade):
            rubric_score(rubric(), bad)


def test_an_answer_is_one_text_within_the_items_limit():
    shown = Shown({"rubric": rubric(), "max_length": 300}, ())
    assert KIND.clean(shown, ["1=  先核实情况  "]) == ["1=先核实情况"]
    assert KIND.clean(shown, []) is None
    with pytest.raises(InvalidAnswer):
        KIND.clean(shown, ["1=" + "字" * 301])
    with pytest.raises(InvalidAnswer):
        KIND.clean(shown, ["2=第二段"])


def test_nothing_is_scored_until_a_person_grades_and_the_rubric_shows_with_keys_only():
    assert KIND.needs_grader
    content = {"rubric": rubric(), "max_length": 300,
               "model_answer": {"zh": "范文", "en": "Model"}}
    view = KIND.view(Shown(content, ()), ["1=答"], "zh", show_key=False, show_explanation=False)
    assert view["answer"] == "答" and view["rubric"] == [] and view["model_answer"] == ""
    graded = Shown(content, (), grade={"points": {"a": 2, "b": 0}, "comment": "好"})
    view = KIND.view(graded, ["1=答"], "en", show_key=True, show_explanation=True)
    assert view["rubric"][0]["criterion"] == "Checks first"
    assert view["grade"]["comment"] == "好" and view["model_answer"] == "Model"


def test_a_graders_form_is_read_as_points_per_criterion():
    content = {"rubric": rubric()}
    assert KIND.read_grade(content, {"points-a": "1", "points-b": "3"}) == {"a": 1, "b": 3}
    assert KIND.read_grade(content, {"points-a": "1"}) is None      # a criterion left out
    assert KIND.read_grade(content, {"points-a": "x", "points-b": "3"}) is None
    assert KIND.score_grade(content, {"a": 2, "b": 0}).score == pytest.approx(2 / 5)
