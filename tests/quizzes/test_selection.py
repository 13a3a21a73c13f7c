"""Item draw and option order: pure and seeded."""

from quizapp.kinds import QuestionKind
from quizapp.quizzes.selection import DrawSpec, draw_items
from tests.helpers import option_order

POOL = {"A1": [f"A1-{i:03d}" for i in range(1, 11)], "A2": ["A2-001", "A2-002"]}


def test_same_seed_same_draw_and_order():
    rules = [DrawSpec("A1", 4), DrawSpec("A2", 1)]
    assert draw_items(POOL, rules, set(), 42) == draw_items(POOL, rules, set(), 42)


def test_draws_the_count_per_code_without_repeats():
    chosen = draw_items(POOL, [DrawSpec("A1", 4), DrawSpec("A2", 1)], set(), 7)
    assert len(chosen) == len(set(chosen)) == 5
    assert sum(1 for i in chosen if i.startswith("A1")) == 4


def test_unseen_items_come_first():
    seen = set(POOL["A1"][:7])
    for seed in range(20):
        chosen = draw_items(POOL, [DrawSpec("A1", 3)], seen, seed)
        assert not set(chosen) & seen


def test_falls_back_to_seen_items_when_unseen_run_out():
    seen = set(POOL["A1"][:9])
    chosen = draw_items(POOL, [DrawSpec("A1", 3)], seen, 1)
    assert "A1-010" in chosen
    assert len(chosen) == 3


def test_short_pool_gives_what_there_is():
    assert sorted(draw_items(POOL, [DrawSpec("A2", 5)], set(), 3)) == ["A2-001", "A2-002"]
    assert draw_items(POOL, [DrawSpec("C1", 5)], set(), 3) == []


def test_option_order_is_stable_and_true_false_stays_put():
    ids = ["a", "b", "c", "d"]
    first = option_order(ids, QuestionKind.SINGLE, 9, 1)
    assert option_order(ids, QuestionKind.SINGLE, 9, 1) == first
    assert sorted(option_order(ids, QuestionKind.SINGLE, 9, 1)) == ids
    assert option_order(["true", "false"], QuestionKind.TRUE_FALSE, 9, 1) == ["true", "false"]
    orders = {tuple(option_order(ids, QuestionKind.SINGLE, seed, 1)) for seed in range(30)}
    assert len(orders) > 1
