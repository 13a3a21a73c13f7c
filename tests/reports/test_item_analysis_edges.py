"""Item analysis at its edges, checked by hand (no app, no database): which attempts of a
cadre count, and inputs too small, too even or too empty to give a figure."""

import math

import pytest

from quizapp.reports.item_analysis import (
    MIN_RESPONSES,
    AttemptRecord,
    ItemStats,
    analyse,
    cronbach_alpha,
    item_statistics,
    quiz_statistics,
    select_attempts,
)

# --- which attempts count -----------------------------------------------------------------

U1_FIRST = {"Q": (0.0, 1.0)}
U1_SECOND = {"Q": (0.5, 1.0)}
U1_THIRD = {"Q": (1.0, 1.0)}
U2_ONLY = {"Q": (1.0, 1.0), "R": (1.0, 1.0)}
RECORDS = [
    AttemptRecord("u1", 11, 2, U1_SECOND),
    ("u2", 20, 5, U2_ONLY),  # plain tuples work too
    AttemptRecord("u1", 10, 1, U1_FIRST),
    AttemptRecord("u1", 12, 3, U1_THIRD),
]


def test_first_attempt_per_user_is_the_default():
    assert select_attempts(RECORDS) == [U2_ONLY, U1_FIRST]


def test_last_attempt_per_user():
    assert select_attempts(RECORDS, "last") == [U2_ONLY, U1_THIRD]


def test_all_attempts():
    assert select_attempts(RECORDS, "all") == [U1_SECOND, U2_ONLY, U1_FIRST, U1_THIRD]


def test_ties_on_start_order_keep_input_order():
    tied = [("u", 1, 0, U1_FIRST), ("u", 2, 0, U1_SECOND)]
    assert select_attempts(tied, "first") == [U1_FIRST]
    assert select_attempts(tied, "last") == [U1_SECOND]


def test_selection_edge_cases():
    assert select_attempts([]) == []
    assert select_attempts([], "all") == []
    with pytest.raises(ValueError, match="which"):
        select_attempts(RECORDS, "best")  # type: ignore[arg-type]


def test_selection_feeds_the_analysis():
    first = analyse(select_attempts(RECORDS))
    assert first.quiz.attempts == 2
    (q,) = [item for item in first.items if item.item_id == "Q"]
    assert q.facility == pytest.approx(50.0)


# --- edge cases ---------------------------------------------------------------------------


def test_empty_input():
    report = analyse([])
    assert report.items == ()
    quiz = report.quiz
    assert quiz.attempts == 0
    assert (quiz.mean, quiz.median, quiz.sd, quiz.skewness, quiz.kurtosis) == (None,) * 5
    assert (quiz.alpha, quiz.error_ratio, quiz.standard_error) == (None,) * 3
    assert cronbach_alpha([]) is None


def test_attempts_without_usable_items_are_ignored():
    # An empty attempt and a zero-mark item give no ratio to work with.
    report = analyse([{}, {"S": (0.0, 0.0)}, {"Q": (1.0, 1.0)}])
    assert report.quiz.attempts == 1
    assert [item.item_id for item in report.items] == ["Q"]


def test_one_attempt():
    report = analyse([{"Q1": (1.0, 1.0), "Q2": (0.5, 2.0)}])
    q1, q2 = report.items
    assert q1 == ItemStats("Q1", 1, 100.0, None, None, None, False, ())
    assert q2.facility == pytest.approx(25.0)
    quiz = report.quiz
    assert quiz.attempts == 1
    assert quiz.mean == pytest.approx(50.0)
    assert quiz.median == pytest.approx(50.0)
    assert (quiz.sd, quiz.skewness, quiz.kurtosis, quiz.alpha) == (None,) * 4
    assert (quiz.error_ratio, quiz.standard_error) == (None, None)


def test_constant_scores_give_none_not_a_division_by_zero():
    same = [{"Q1": (1.0, 1.0), "Q2": (0.0, 1.0)}] * (MIN_RESPONSES + 5)
    report = analyse(same)
    for item in report.items:
        assert item.sd == 0.0
        assert item.discrimination_index is None
        assert item.discriminative_efficiency is None
    flags = {item.item_id: item.flags for item in report.items}
    assert flags == {"Q1": ("very easy",), "Q2": ("low facility",)}
    quiz = report.quiz
    assert quiz.sd == 0.0
    assert (quiz.skewness, quiz.kurtosis, quiz.alpha) == (None, None, None)
    assert (quiz.error_ratio, quiz.standard_error) == (None, None)


def test_float_noise_in_sums_is_not_variance():
    # .1 + .2 and .3 differ in binary; both attempts still score the same total.
    noisy = [{"a": (0.1, 1.0), "b": (0.2, 1.0)}, {"a": (0.3, 1.0), "b": (0.0, 1.0)}] * 3
    quiz = quiz_statistics(noisy)
    assert quiz.sd == 0.0
    assert quiz.skewness is None
    assert quiz.alpha is None


def test_a_single_item_quiz_has_no_rest_of_test_to_correlate_with():
    items = item_statistics([{"Q": (1.0, 1.0)}, {"Q": (0.0, 1.0)}, {"Q": (1.0, 1.0)}])
    assert items[0].sd == pytest.approx(100 * math.sqrt(1 / 3))
    assert items[0].discrimination_index is None
    assert items[0].discriminative_efficiency is None
