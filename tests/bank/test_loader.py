"""The bank loader is pure: text in, items or errors naming file and line out."""

import textwrap

import pytest

from quizapp.bank.loader import (
    Bank,
    check_locators,
    check_own_words,
    parse_bank,
    parse_items,
    parse_quizzes,
    parse_self_assessment,
    parse_study_note,
    source_refs,
)
from quizapp.kinds import QuestionKind
from quizapp.kinds.likert import questionnaire_items


def refs(*items):
    return source_refs(Bank(items=items))

TAGS = {"gives_orders", "rigid_rules"}


def item_yaml(**overrides: str) -> str:
    fields = {
        "id": "A1-001", "code": "A1", "kind": "single", "difficulty": "2", "scenario": "true",
        "key": "a",
    }
    fields.update(overrides)
    return textwrap.dedent(f"""\
        items:
          - id: {fields['id']}
            code: {fields['code']}
            kind: {fields['kind']}
            difficulty: {fields['difficulty']}
            scenario: {fields['scenario']}
            stem:
              zh: 村里有人拦路，怎么办？
              en: Someone blocks the road. What now?
            options:
              - id: a
                text: {{zh: 先听, en: Listen first}}
                explanation: {{zh: 倾听, en: Listening}}
              - id: b
                text: {{zh: 下命令, en: Give orders}}
                explanation: {{zh: 命令, en: Orders}}
                misconception: gives_orders
            key: {fields['key']}
            locator:
              doc: 000_1701b1266fabe569.txt
              anchor: keep a clear head
        """)


def test_valid_item_parses_to_dataclass():
    items, errors = parse_items(item_yaml(), "items/a1.yaml", TAGS)
    assert errors == []
    (item,) = items
    assert item.id == "A1-001"
    assert item.kind == QuestionKind.SINGLE
    assert item.key == ("a",)
    assert item.stem.get("en").startswith("Someone")
    assert item.options[1].misconception == "gives_orders"
    assert item.line == 2


@pytest.mark.parametrize(("override", "message"), [
    ({"id": "A1-1"}, "'id' must look like"),
    ({"code": "A9"}, "'code' must be one of"),
    ({"code": "A2"}, "id prefix does not match"),
    ({"kind": "essay"}, "'kind' must be one of"),
    ({"difficulty": "4"}, "'difficulty' must be 1, 2 or 3"),
    ({"scenario": "maybe"}, "'scenario' must be true or false"),
    ({"key": "z"}, "names unknown option(s) z"),
    ({"key": "b"}, "key option b cannot carry a misconception"),
    ({"kind": "multiple", "key": "[a, b]"}, "at least one wrong option"),
])
def test_each_error_names_file_line_and_problem(override, message):
    _, errors = parse_items(item_yaml(**override), "items/a1.yaml", TAGS)
    assert any(message in e.message for e in errors), errors
    assert all(e.file == "items/a1.yaml" and e.line == 2 for e in errors)


def test_missing_english_is_an_error_on_the_right_line():
    text = item_yaml().replace("      en: Someone blocks the road. What now?\n", "")
    _, errors = parse_items(text, "f.yaml", TAGS)
    assert [str(e) for e in errors] == ["f.yaml:8: item A1-001: 'stem.en' is missing or empty"]


def test_unknown_field_and_unknown_tag_are_reported():
    text = item_yaml().replace("    scenario: true\n", "    scenario: true\n    hint: x\n")
    text = text.replace("misconception: gives_orders", "misconception: shouting")
    _, errors = parse_items(text, "f.yaml", TAGS)
    messages = " | ".join(e.message for e in errors)
    assert "unknown field(s) hint" in messages
    assert "unknown misconception tag 'shouting'" in messages


def test_invalid_yaml_names_the_line():
    _, errors = parse_items("items:\n  - id: [unclosed\n", "bad.yaml", TAGS)
    assert len(errors) == 1
    assert errors[0].line >= 2
    assert "invalid YAML" in errors[0].message


def test_duplicate_key_in_a_mapping_is_an_error():
    text = item_yaml().replace("    kind: single\n", "    kind: single\n    kind: multiple\n")
    _, errors = parse_items(text, "f.yaml", TAGS)
    assert any("duplicate key 'kind'" in e.message for e in errors)


def test_true_false_accepts_bare_booleans_and_default_texts():
    text = textwrap.dedent("""\
        items:
          - id: B-001
            code: B
            kind: true_false
            difficulty: 1
            scenario: false
            stem: {zh: 说法, en: A claim}
            options:
              - id: true
                explanation: {zh: 对, en: "yes"}
              - id: false
                explanation: {zh: 错, en: "No, it is not."}
            key: false
            locator: {doc: 000_1701b1266fabe569.txt, anchor: the contradictions}
        """)
    items, errors = parse_items(text, "b.yaml", TAGS)
    assert errors == []
    assert items[0].key == ("false",)
    assert items[0].options[0].text.en == "True"


def test_duplicate_ids_across_files_point_at_the_first():
    files = {"misconceptions.yaml": "misconceptions:\n  gives_orders: {zh: 命令, en: Orders}\n",
             "items/a.yaml": item_yaml(), "items/b.yaml": item_yaml()}
    result = parse_bank(files)
    assert [str(e) for e in result.errors] == [
        "items/b.yaml:2: item A1-001 is already defined at items/a.yaml:2"
    ]
    assert len(result.bank.items) == 1


def test_content_hash_changes_with_content_only():
    (first,), _ = parse_items(item_yaml(), "a.yaml", TAGS)
    (moved,), _ = parse_items("\n\n" + item_yaml(), "other.yaml", TAGS)
    (edited,), _ = parse_items(item_yaml(difficulty="3"), "a.yaml", TAGS)
    assert first.content_hash() == moved.content_hash()
    assert first.content_hash() != edited.content_hash()


def test_locator_anchor_must_occur_in_the_document():
    (item,), _ = parse_items(item_yaml(), "a.yaml", TAGS)
    docs = {"000_1701b1266fabe569.txt": "we should   keep a\nclear head in emergencies"}
    assert check_locators(refs(item), docs) == []
    errors = check_locators(refs(item), {"000_1701b1266fabe569.txt": "nothing here"})
    assert "anchor 'keep a clear head' not found" in errors[0].message
    assert "not found" in check_locators(refs(item), {})[0].message


def test_quizzes_parse_and_validate_draw_rules():
    quizzes, errors = parse_quizzes(textwrap.dedent("""\
        quizzes:
          - id: ability-a1
            title: {zh: 能力一, en: Ability 1}
            draw: [{code: A1, count: 5}]
          - id: Bad Id
            title: {zh: 坏, en: Bad}
            draw: [{code: X1, count: 0}]
        """), "quizzes.yaml")
    assert [q.id for q in quizzes] == ["ability-a1"]
    assert quizzes[0].draw[0].count == 5
    messages = [str(e) for e in errors]
    assert any("quizzes.yaml:5:" in m and "'id' must be" in m for m in messages)
    assert any("draw code 'X1'" in m for m in messages)


def test_own_words_check_catches_copied_runs_but_not_the_anchor():
    (item,), _ = parse_items(item_yaml(), "a.yaml", TAGS)
    docs = {"x.txt": "We must keep a clear head. 村里有人拦路怎么办才能够妥善处理呢"}
    assert check_own_words(refs(item), docs) == []  # the anchor may be verbatim
    copied = item_yaml().replace("Someone blocks the road. What now?",
                                 "Cadres must always keep a clear head in every emergency.")
    (item,), _ = parse_items(copied, "a.yaml", TAGS)
    docs = {"x.txt": "Party cadres must always keep a clear head in every emergency, it says."}
    errors = check_own_words(refs(item), docs)
    assert len(errors) == 1
    assert "copied from a document: 'cadres must always keep a clear head in'" in str(
        errors[0])
    stem = "面对群众要放下架子弯下身子动脑筋交朋友"
    chinese = item_yaml().replace("村里有人拦路，怎么办？", stem)
    (item,), _ = parse_items(chinese, "a.yaml", TAGS)
    errors = check_own_words(refs(item), {"y.txt": "我们要放下架子，弯下身子，动脑筋，交朋友。"})
    assert "'要放下架子弯下身子动脑筋'" in errors[0].message


def test_study_note_needs_every_part():
    note, errors = parse_study_note(textwrap.dedent("""\
        code: A9
        title: {zh: 标题, en: Title}
        key_ideas: [{zh: 一, en: one}]
        example: {zh: 例子, en: Example}
        mistakes: []
        read_further: []
        """), "study/x.yaml")
    messages = " | ".join(str(e) for e in errors)
    assert note is None
    assert "study/x.yaml:1: study note A9: 'code' must be one of" in messages
    assert "missing 'summary'" in messages
    assert "'key_ideas' must list 2 to 8" in messages
    assert "'mistakes' must list 1 to 6" in messages
    assert "'read_further' must list at least one locator" in messages


def test_self_assessment_becomes_ordered_rating_items():
    questionnaire, errors = parse_self_assessment(textwrap.dedent("""\
        id: self-c
        code: C
        title: {zh: 对策自评, en: Countermeasures}
        instructions: {zh: 想想最近三个月。, en: Think of the last three months.}
        statements:
          - {id: 2, text: {zh: 二, en: two}, locator: {doc: 000_1701b1266fabe569.txt, anchor: x y},
             reverse: true}
          - {id: 1, text: {zh: 一, en: one}, locator: {doc: 000_1701b1266fabe569.txt, anchor: x y}}
          - {id: 3, text: {zh: 三, en: three}, locator: {doc: 000_1701b1266fabe569.txt, anchor: xy}}
        """), "self_assessment/c.yaml")
    assert errors == []
    items = questionnaire_items(questionnaire)
    assert [i.id for i in items] == ["self-c-02", "self-c-01", "self-c-03"]
    assert items[0].kind == QuestionKind.LIKERT
    assert items[0].key == ("reversed",) and items[1].key == ()
    assert [o.id for o in items[0].options] == ["1", "2", "3", "4", "5", "na"]
    assert questionnaire.instructions.en == "Think of the last three months."


def test_a_questionnaire_needs_instructions():
    _, errors = parse_self_assessment(textwrap.dedent("""        id: self-c
        code: C
        title: {zh: 对策自评, en: Countermeasures}
        statements:
          - {id: 1, text: {zh: 一, en: one}, locator: {doc: 000_1701b1266fabe569.txt, anchor: xy}}
          - {id: 2, text: {zh: 二, en: two}, locator: {doc: 000_1701b1266fabe569.txt, anchor: xy}}
          - {id: 3, text: {zh: 三, en: three}, locator: {doc: 000_1701b1266fabe569.txt, anchor: xy}}
        """), "self_assessment/c.yaml")
    assert any("missing 'instructions'" in str(e) for e in errors)


def test_rating_items_are_refused_in_item_files():
    _, errors = parse_items(item_yaml(kind="likert"), "items/a1.yaml", TAGS)
    assert any("'kind' must be one of single, multiple, true_false" in e.message for e in errors)


def test_matching_ordering_and_judgement_items():
    base = item_yaml().replace("    key: a\n", "{key}")
    matching = base.replace("kind: single", "kind: matching").replace("{key}", "").replace(
        "explanation: {zh: 倾听, en: Listening}",
        "explanation: {zh: 倾听, en: Listening}\n        match: {zh: 对, en: Pair}").replace(
        "misconception: gives_orders", "match: {zh: 错, en: Other}")
    items, errors = parse_items(matching, "m.yaml", TAGS)
    assert errors == []
    assert items[0].key == ("a=a", "b=b")
    assert items[0].options[0].match.en == "Pair"

    ordering = base.replace("kind: single", "kind: ordering").replace(
        "{key}", "    key: [b, a]\n")
    items, errors = parse_items(ordering, "o.yaml", TAGS)
    assert errors == []
    assert items[0].key == ("b=1", "a=2")
    bad = base.replace("kind: single", "kind: ordering").replace("{key}", "    key: [a]\n")
    assert "lists every option id once" in parse_items(bad, "o.yaml", TAGS)[1][0].message

    judgement = base.replace("kind: single", "kind: judgement").replace(
        "{key}", "    key: {a: 4, b: 1}\n")
    items, errors = parse_items(judgement, "j.yaml", TAGS)
    assert errors == []
    assert items[0].key == ("a=4", "b=1")
    bad = judgement.replace("{a: 4, b: 1}", "{a: 5, b: 1}")
    assert "rates every option" in parse_items(bad, "j.yaml", TAGS)[1][0].message


SOURCES = """\
sources:
  - doc: 000_1701b1266fabe569.txt
    title: {zh: 《标题》, en: The Title}
"""


def test_locators_carry_their_documents_title():
    result = parse_bank({"misconceptions.yaml": "misconceptions: {}\n", "sources.yaml": SOURCES,
                         "items/a1.yaml": item_yaml().replace("misconception: gives_orders", "")})
    assert result.errors == ()
    locator = result.bank.items[0].locator
    assert locator.title.zh == "《标题》"
    assert locator.to_content()["title"] == {"zh": "《标题》", "en": "The Title"}


def test_a_locator_whose_document_has_no_title_is_an_error():
    other = SOURCES.replace("000_1701b1266fabe569", "001_6476b262cec3d6a8")
    result = parse_bank({"misconceptions.yaml": "misconceptions: {}\n", "sources.yaml": other,
                         "items/a1.yaml": item_yaml().replace("misconception: gives_orders", "")})
    assert any("000_1701b1266fabe569.txt has no title in sources.yaml" in str(e)
               for e in result.errors)
