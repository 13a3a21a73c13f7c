"""Property-based tests over every scorer in the registry (hypothesis)."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.kinds import AnswerShape, QuestionKind, kind_of
from quizapp.kinds.judgement import SCALE as JUDGEMENT_SCALE
from tests.helpers import score_with

IDS = list("abcdefgh")
# Kinds answered over options; typed answers have their own tests under tests/kinds/.
OPTION_KINDS = [k for k in QuestionKind if kind_of(k).shape != AnswerShape.TEXTS]


@st.composite
def item_and_response(draw, kind):
    """A random item of the kind (option ids and a valid key) and an arbitrary response."""
    n = draw(st.integers(min_value=2, max_value=8))
    ids = IDS[:n]
    weight = draw(st.sampled_from([1.0, 2.0, 0.5]))
    if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
        key = [draw(st.sampled_from(ids))]
        response = draw(st.lists(st.sampled_from([*ids, "zz"]), max_size=3))
    elif kind == QuestionKind.MULTIPLE:
        key = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=n - 1, unique=True))
        response = draw(st.lists(st.sampled_from([*ids, "zz"]), max_size=n + 1, unique=True))
    elif kind == QuestionKind.MATCHING:
        key = [f"{i}={i}" for i in ids]
        response = [f"{a}={draw(st.sampled_from(ids))}" for a in
                    draw(st.lists(st.sampled_from(ids), unique=True))]
    elif kind == QuestionKind.ORDERING:
        order = draw(st.permutations(ids))
        key = [f"{o}={p}" for p, o in enumerate(order, start=1)]
        positions = draw(st.permutations(range(1, n + 1)))
        chosen = draw(st.lists(st.sampled_from(ids), unique=True))
        response = [f"{o}={positions[i]}" for i, o in enumerate(chosen)]
    elif kind == QuestionKind.JUDGEMENT:
        # a valid key rates at least two options apart (the loader refuses one that does not)
        points = draw(st.lists(st.sampled_from(JUDGEMENT_SCALE), min_size=n, max_size=n)
                      .filter(lambda p: len(set(p)) > 1))
        key = [f"{i}={p}" for i, p in zip(ids, points, strict=True)]
        response = [f"{i}={draw(st.integers(0, 6))}" for i in
                    draw(st.lists(st.sampled_from(ids), unique=True))]
    else:  # LIKERT
        key = []
        response = [draw(st.sampled_from(["1", "2", "3", "4", "5"]))]
    junk = draw(st.lists(st.text(max_size=5), max_size=2))
    return ids, key, response + junk, weight


@pytest.mark.parametrize("kind", OPTION_KINDS)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_score_is_within_zero_and_max(kind, data):
    ids, key, response, weight = data.draw(item_and_response(kind))
    result = score_with(kind, key, response, ids, weight)
    assert 0.0 <= result.score <= result.max_score + 1e-9


@pytest.mark.parametrize("kind", [k for k in OPTION_KINDS if kind_of(k).is_scored])
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_the_key_scores_max(kind, data):
    ids, key, _, weight = data.draw(item_and_response(kind))
    result = score_with(kind, key, list(key), ids, weight)
    assert result.score == pytest.approx(result.max_score)
    assert result.max_score == weight


@pytest.mark.parametrize("kind", OPTION_KINDS)
@settings(max_examples=100, deadline=None)
@given(data=st.data(), seed=st.integers())
def test_shuffling_options_and_answer_entries_does_not_change_the_score(kind, data, seed):
    ids, key, response, weight = data.draw(item_and_response(kind))
    rng = random.Random(seed)
    shuffled_ids, shuffled_response = ids[:], response[:]
    rng.shuffle(shuffled_ids)
    if kind in (QuestionKind.MATCHING, QuestionKind.ORDERING, QuestionKind.JUDGEMENT,
                QuestionKind.MULTIPLE, QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
        # Pairs name their option, so the order of entries carries no meaning (first wins on a
        # repeated option, hence keep one entry per option before shuffling).
        seen, unique = set(), []
        for entry in response:
            head = entry.partition("=")[0]
            if head not in seen:
                seen.add(head)
                unique.append(entry)
        response = unique
        shuffled_response = unique[:]
        rng.shuffle(shuffled_response)
    first = score_with(kind, key, response, ids, weight)
    second = score_with(kind, key, shuffled_response, shuffled_ids, weight)
    assert first.score == pytest.approx(second.score)


@pytest.mark.parametrize(("response", "expected"), [
    (["a=1", "b=2", "c=3"], 1.0),
    (["a=3", "b=2", "c=1"], 0.0),    # fully reversed
    (["a=1", "b=3", "c=2"], 2 / 3),  # one pair swapped
    (["a=1", "b=2"], 1 / 3),         # c left unplaced: only a<b counts
    ([], 0.0),
])
def test_ordering_table(response, expected):
    key = ["a=1", "b=2", "c=3"]
    assert score_with(QuestionKind.ORDERING, key, response, list("abc"), 1.0).score == \
        pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(("response", "expected"), [
    (["a=4", "b=1", "c=2", "d=3"], 1.0),
    (["a=4", "b=1", "c=3", "d=2"], 5 / 6),        # the middle two swapped
    (["a=4", "b=1", "c=3", "d=3"], 5 / 6),        # a tie orders nothing
    (["a=3", "b=3", "c=3", "d=3"], 0.0),          # every option alike
    (["a=1", "b=4", "c=3", "d=2"], 0.0),          # reversed
    (["a=4", "b=1", "c=2"], 3 / 6),               # d unrated: its pairs earn nothing
    (["a=9", "b=1", "c=2", "d=3"], 3 / 6),        # a rating off the scale counts as unrated
])
def test_judgement_table(response, expected):
    key = ["a=4", "b=1", "c=2", "d=3"]
    assert score_with(QuestionKind.JUDGEMENT, key, response, list("abcd"), 1.0).score == \
        pytest.approx(expected, abs=1e-6)


def test_judgement_pairs_the_key_ties_are_not_counted():
    key = ["a=4", "b=2", "c=2", "d=1"]          # b and c tied: 5 pairs apart
    response = ["a=4", "b=2", "c=3", "d=1"]
    assert score_with(QuestionKind.JUDGEMENT, key, response, list("abcd"), 1.0).score == 1.0


def test_matching_table():
    key = ["a=a", "b=b", "c=c", "d=d"]
    def score(*args):
        return score_with(QuestionKind.MATCHING, *args)
    assert score(key, ["a=a", "b=c", "c=b", "d=d"], IDS[:4], 1.0).score == 0.5
    assert score(key, ["a=a", "a=b"], IDS[:4], 1.0).score == 0.25  # the first entry counts
