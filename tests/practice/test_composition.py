"""How a day's set is put together (pure)."""

import pytest

from quizapp.practice.composition import (
    DAILY_SIZE,
    Candidate,
    aimed_at,
    compose,
    shuffled,
    weakest_code,
)


def test_due_then_aimed_then_new_each_once_and_at_most_five():
    due = ["A1-001", "A1-002"]
    aimed = ["A3-010", "A1-002", "A3-011"]
    new = ["B-001", "C1-004", "A3-011"]
    assert compose([due, aimed, new], DAILY_SIZE) == [
        "A1-001",
        "A1-002",
        "A3-010",
        "A3-011",
        "B-001",
    ]


def test_many_due_items_fill_the_set():
    due = [f"A1-{n:03d}" for n in range(1, 9)]
    assert compose([due, ["A2-001"], ["B-001"]], DAILY_SIZE) == due[:5]


def test_few_items_give_a_short_set():
    assert compose([[], [], ["B-001"]], DAILY_SIZE) == ["B-001"]
    assert compose([[], [], []], DAILY_SIZE) == []


@pytest.mark.parametrize(
    ("estimates", "mastery", "expected"),
    [
        ({"A1": 0.4, "A3": -0.8, "C2": 0.1}, {"A1": 0.1}, "A3"),  # estimates win over mastery
        ({}, {"A1": 0.7, "B": 0.35, "C2": 0.5}, "B"),  # no estimate: lowest mastery
        ({"A2": -0.5, "A4": -0.5}, {}, "A2"),  # ties: first by name
        ({}, {}, None),
    ],
)
def test_the_weakest_code(estimates, mastery, expected):
    assert weakest_code(estimates, mastery) == expected


def test_aimed_items_are_nearest_the_estimate_or_easiest_first_without_one():
    items = [
        Candidate("A3-001", "A3", -1.5),
        Candidate("A3-002", "A3", 0.2),
        Candidate("A3-003", "A3", -0.6),
        Candidate("A3-004", "A3", 1.4),
    ]
    assert aimed_at(items, -0.5) == ["A3-003", "A3-002", "A3-001", "A3-004"]
    assert aimed_at(items, None) == ["A3-001", "A3-003", "A3-002", "A3-004"]


def test_new_items_come_in_a_repeatable_order_of_their_own():
    ids = [f"C{n}-001" for n in range(1, 7)]
    assert shuffled(ids, 7) == shuffled(reversed(ids), 7)
    assert sorted(shuffled(ids, 7)) == ids
    assert any(shuffled(ids, seed) != ids for seed in range(5))
