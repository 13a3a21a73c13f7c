"""Scoring tables: pure functions, no app."""

import pytest

from quizapp.kinds import REGISTRY, Kind, QuestionKind
from quizapp.quizzes.scoring import ScoringInput, score_attempt
from tests.helpers import score_with

OPTIONS = ("a", "b", "c", "d")


@pytest.mark.parametrize(("response", "expected"), [
    (None, 0.0),
    ((), 0.0),
    (("a",), 1.0),
    (("b",), 0.0),
    (("a", "b"), 0.0),  # a malformed double answer never earns the point
    (("z",), 0.0),
])
def test_single_choice(response, expected):
    assert score_with(QuestionKind.SINGLE, ("a",), response, OPTIONS).score == expected


@pytest.mark.parametrize(("response", "expected"), [
    (None, 0.0),                 # no answer
    (("a", "b"), 1.0),           # exactly the key
    (("a",), 0.5),               # half the key
    (("a", "c"), 0.0),           # one right, one wrong: +1/2 − 1/2
    (("a", "b", "c"), 0.5),      # whole key plus one wrong
    (("c", "d"), 0.0),           # all wrong, floored at 0 rather than −1
    (("a", "b", "c", "d"), 0.0), # everything ticked
    (("a", "z"), 0.5),           # an unknown id neither earns nor costs
])
def test_multiple_choice_partial_credit(response, expected):
    result = score_with(QuestionKind.MULTIPLE, ("a", "b"), response, OPTIONS)
    assert result.score == pytest.approx(expected)


def test_multiple_choice_with_three_keys_and_weight():
    result = score_with(QuestionKind.MULTIPLE, ("a", "b", "c"), ("a", "b"), OPTIONS, weight=3.0)
    assert result.score == pytest.approx(2.0)
    assert result.max_score == 3.0
    assert not result.is_correct


def test_every_kind_has_a_scorer():
    assert set(REGISTRY) == set(QuestionKind)
    assert all(type(kind).score is not Kind.score for kind in REGISTRY.values())


def test_true_false_scores_like_single():
    result = score_with(QuestionKind.TRUE_FALSE, ("false",), ("false",), ("true", "false"))
    assert result.score == 1


def test_attempt_total_and_subscores_per_code():
    items = [
        ScoringInput("A1", QuestionKind.SINGLE, ("a",), OPTIONS, ("a",)),
        ScoringInput("A1", QuestionKind.MULTIPLE, ("a", "b"), OPTIONS, ("a",)),
        ScoringInput("A2", QuestionKind.TRUE_FALSE, ("true",), ("true", "false"), None),
    ]
    result = score_attempt(items)
    assert result.score == pytest.approx(1.5)
    assert result.max_score == 3
    assert result.by_code["A1"].score == pytest.approx(1.5)
    assert result.by_code["A1"].items == 2
    assert result.by_code["A2"].score == 0
    assert result.percent == pytest.approx(50.0)


def test_empty_attempt_scores_zero_without_dividing_by_zero():
    result = score_attempt([])
    assert (result.score, result.max_score, result.percent) == (0, 0, 0.0)
