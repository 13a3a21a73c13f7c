"""The negation of a "which … not" question, found so the page can mark it (bank.negation)."""

from pathlib import Path

import pytest

from quizapp.bank.loader import load_bank
from quizapp.bank.negation import find_negation

BANK = Path(__file__).resolve().parents[2] / "question_bank"


@pytest.mark.parametrize(("stem", "negation", "after"), [
    ("文章列了几条理由。下列哪一项不是他列的理由？", "不是", "他列的理由？"),
    ("下面哪一种做法不属于这一步？", "不属于", "这一步？"),
    ("两份报告都列了领域。下列哪一项在两份报告里都没有出现？", "没有", "出现？"),
    ("The essay lists four points. Which of these is NOT one of them?", "NOT", " one of them?"),
    ("Which of these appears in neither report?", "neither", " report?"),
    ("下列哪些做法不是文章提出的？（多选）", "不是", "文章提出的？（多选）"),
    ("Which of these does the essay NOT propose? (Choose all that apply.)", "NOT",
     " propose? (Choose all that apply.)"),
    ("哪一项不对？他问。那么哪一项不是？", "不是", "？"),  # the last of two questions
    ("Which is right? He asks: which is not?", "not", "?"),
])
def test_the_negation_of_the_question_is_found(stem, negation, after):
    found = find_negation(stem)
    assert found is not None
    assert (found.negation, found.after) == (negation, after)
    assert "".join(found) == stem


@pytest.mark.parametrize("stem", [
    "老人没有来开会，也不是第一次了。你该先做哪一件事？",  # the story's negations
    "按文中的说法，这是没有防住哪种情况的后果？",  # the negation comes before 哪
    "Some feel it makes no difference whether they join or not, under which head is it?",
    "Which step comes first?",
    "村里的水渠不是今年修的。",  # no question at all
    "哪一项不是？。",  # a stop after the question mark: the stem does not end with a question
    "Which is not? Yes.",
    "",
])
def test_a_negation_outside_the_question_is_not_marked(stem):
    assert find_negation(stem) is None


def test_every_shipped_item_marks_its_negation_in_both_languages_or_in_neither():
    """A "which is not" question in Chinese is one in English too: otherwise one language's
    reader is warned and the other's is not."""
    items = load_bank(BANK).bank.items
    differing = [item.id for item in items
                 if (find_negation(item.stem.zh) is None) != (find_negation(item.stem.en) is None)]
    assert differing == []
    assert sum(find_negation(item.stem.zh) is not None for item in items) >= 20
