"""Near-duplicate detection over stems (pure)."""

from quizapp.bank.loader import Item, Locator, Text
from quizapp.bank.similarity import similar_items
from quizapp.kinds import QuestionKind

BLOCKED = "村民拦住施工队，你首先应该怎么做？"
BLOCKED_AGAIN = "村民拦住了施工队，你首先应该怎么办？"
FLOOD = "防汛预警在深夜发布，应当如何组织转移？"


def item(item_id: str, zh: str, en: str) -> Item:
    return Item(item_id, "A1", QuestionKind.SINGLE, 1, False, Text(zh, en), (), ("a",),
                Locator("000_1701b1266fabe569.txt", "x"))


def test_same_point_in_other_words_is_found_and_unrelated_items_are_not():
    items = [
        item("A1-001", BLOCKED, "Villagers block the crew. What first?"),
        item("A1-002", BLOCKED_AGAIN, "Villagers block the crew: what first?"),
        item("A1-003", FLOOD, "A flood warning at night: how to evacuate?"),
    ]
    pairs = similar_items(items, threshold=0.5)
    assert [(p.first, p.second) for p in pairs] == [("A1-001", "A1-002")]
    assert 0.5 <= pairs[0].similarity <= 1


def test_both_languages_must_agree():
    items = [item("A1-001", BLOCKED, "One wording"),
             item("A1-002", BLOCKED, "Quite another sentence entirely")]
    assert similar_items(items, threshold=0.3) == []
