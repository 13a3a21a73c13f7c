"""The FSRS wrapper: outcomes become ratings, ratings become due dates (pure, fixed clock)."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from quizapp.practice.scheduling import CardMemory, Rating, State, rating_for, review

T0 = datetime(2026, 12, 7, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai


@pytest.mark.parametrize(
    ("correct", "sure", "in_review", "rating"),
    [
        (False, None, False, Rating.Again),
        (False, True, True, Rating.Again),  # sure and wrong is still wrong
        (False, False, True, Rating.Again),
        (True, False, False, Rating.Hard),  # right but not sure
        (True, False, True, Rating.Hard),
        (True, None, False, Rating.Good),
        (True, None, True, Rating.Good),  # no mark: plain right
        (True, True, False, Rating.Good),  # sure on a first sight is only good
        (True, True, True, Rating.Easy),  # sure on a review
    ],
)
def test_outcomes_map_to_ratings(correct, sure, in_review, rating):
    assert rating_for(correct, sure, in_review) == rating


def test_a_new_card_is_due_at_once_and_not_in_review():
    card = CardMemory.new(T0)
    assert card.due_at == T0 and card.state == State.Learning and not card.in_review


@pytest.mark.parametrize(
    ("correct", "sure", "days"),
    [
        (False, None, 1),  # missed: back tomorrow
        (True, False, 1),  # right but unsure: hard
        (True, None, 2),
        (True, True, 2),  # first sight: good, not easy
    ],
)
def test_first_review_due_dates(correct, sure, days):
    reviewed = review(1, CardMemory.new(T0), correct, sure, T0)
    assert reviewed.memory.due_at == T0 + timedelta(days=days)
    assert reviewed.memory.state == State.Review and reviewed.memory.last_review_at == T0


def test_later_reviews_space_out_and_a_miss_brings_the_item_back_next_day():
    first = review(1, CardMemory.new(T0), True, None, T0).memory  # due in 2 days
    good = review(1, first, True, None, first.due_at)
    easy = review(1, first, True, True, first.due_at)
    hard = review(1, first, True, False, first.due_at)
    again = review(1, first, False, None, first.due_at)
    assert easy.rating == Rating.Easy and good.rating == Rating.Good
    gaps = {
        name: (r.memory.due_at - first.due_at).days
        for name, r in (("again", again), ("hard", hard), ("good", good), ("easy", easy))
    }
    assert gaps == {"again": 1, "hard": 8, "good": 11, "easy": 19}
    assert again.memory.stability < first.stability


def test_an_answer_older_than_the_last_review_counts_at_that_review():
    first = review(1, CardMemory.new(T0), True, None, T0).memory
    late = review(1, first, False, None, T0 - timedelta(hours=5))
    assert late.reviewed_at == T0 and late.memory.due_at == T0 + timedelta(days=1)


def test_any_utc_tzinfo_is_accepted():
    other_utc = T0.astimezone(timezone(timedelta(0)))
    assert review(1, CardMemory.new(T0), True, None, other_utc).reviewed_at == T0
