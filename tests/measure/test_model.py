"""The partial credit model: probabilities by hand, information as the slope of the expected
score, label priors, and the mapping from graded answers to categories."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizapp.measure.model import (
    ItemParams,
    ItemTable,
    category_from_share,
    category_probabilities,
    expected_score,
    expected_share,
    item_information,
    prior_params,
    response_probabilities,
    sample_categories,
    theta_for_share,
)


def test_rasch_item_is_the_logistic_curve() -> None:
    item = ItemParams((0.7,))
    for theta in (-2.0, 0.0, 0.7, 1.5):
        right = 1 / (1 + math.exp(0.7 - theta))
        assert category_probabilities(item, theta)[1] == pytest.approx(right, abs=1e-12)
        assert item_information(item, theta) == pytest.approx(right * (1 - right), abs=1e-12)


def test_three_category_item_by_hand() -> None:
    item = ItemParams((-0.5, 1.0))
    theta = 0.3
    numerators = [1.0, math.exp(theta + 0.5), math.exp(2 * theta + 0.5 - 1.0)]
    total = sum(numerators)
    expected = [n / total for n in numerators]
    assert category_probabilities(item, theta) == pytest.approx(expected, abs=1e-12)
    assert expected_score(item, theta) == pytest.approx(expected[1] + 2 * expected[2])


def test_information_is_the_slope_of_the_expected_score() -> None:
    # For the PCM, dE[X|θ]/dθ = Var(X|θ): an independent check of the information formula.
    item = ItemParams((-1.2, 0.1, 0.4, 2.0))
    grid = np.linspace(-3, 3, 13)
    h = 1e-5
    slope = (expected_score(item, grid + h) - expected_score(item, grid - h)) / (2 * h)
    assert item_information(item, grid) == pytest.approx(slope, rel=1e-6)


def test_shapes_follow_theta() -> None:
    item = ItemParams((0.0, 1.0))
    assert category_probabilities(item, np.zeros((2, 3))).shape == (2, 3, 3)
    assert expected_score(item, [0.0, 1.0]).shape == (2,)
    assert category_probabilities(item, [-1.0, 0.0, 2.0]).sum(axis=-1) == pytest.approx(1.0)


def test_table_pads_items_of_different_widths() -> None:
    items = [ItemParams((0.5,)), ItemParams((-1.0, 0.0, 1.5))]
    table = ItemTable.from_params(items)
    probs = np.exp(table.log_probabilities([0.2]))[:, :, 0]
    assert probs[0, 2:] == pytest.approx(0.0)          # a right/wrong item has no category 2
    assert probs[0, :2] == pytest.approx(category_probabilities(items[0], 0.2))
    assert probs[1] == pytest.approx(category_probabilities(items[1], 0.2))
    assert table.params(1) == items[1]
    per_response = response_probabilities(table, np.array([1, 0]), np.array([0.2, 0.2]))
    assert per_response[0] == pytest.approx(probs[1])


def test_sampling_follows_the_probabilities() -> None:
    item = ItemParams((-0.5, 0.5, 1.0))
    table = ItemTable.from_params([item])
    rng = np.random.default_rng(3)
    n = 40_000
    cats = sample_categories(table, np.zeros(n, dtype=np.int64), np.full(n, 0.4), rng)
    freq = np.bincount(cats, minlength=4) / n
    assert freq == pytest.approx(category_probabilities(item, 0.4), abs=0.01)


def test_prior_params_from_labels() -> None:
    assert prior_params(1, 1) == ItemParams((-1.0,))
    assert prior_params(1, 3) == ItemParams((1.0,))
    four = prior_params(4, 2)
    assert four.thresholds == pytest.approx((-1.5, -0.5, 0.5, 1.5))
    assert prior_params(3, 3).difficulty == pytest.approx(1.0)
    assert prior_params(2, 1, step_spread=2.0).thresholds == pytest.approx((-2.0, 0.0))
    with pytest.raises(ValueError, match="label"):
        prior_params(1, 4)
    with pytest.raises(ValueError, match="max_category"):
        prior_params(0, 2)


def test_item_params_validate_and_hash_alike() -> None:
    with pytest.raises(ValueError, match="at least one step"):
        ItemParams(())
    with pytest.raises(ValueError, match="finite"):
        ItemParams((float("nan"),))
    assert ItemParams((np.float64(0.5),)) == ItemParams((0.5,))
    assert len({ItemParams((np.float64(0.5),)), ItemParams((0.5,))}) == 1


def test_category_from_share() -> None:
    # Multiple choice with three keys: scorer shares 0, 1/3, 2/3, 1 (rounded to 6 places).
    assert [category_from_share(s, 3) for s in (0.0, 0.333333, 0.666667, 1.0)] == [0, 1, 2, 3]
    assert category_from_share(0.99, 3) == 2       # only full marks reach the top
    assert category_from_share(1.2, 2) == 2


def test_pass_line_in_per_cent_to_theta_and_back() -> None:
    items = [prior_params(1, 1), prior_params(1, 3), prior_params(4, 2), prior_params(2, 2)]
    assert expected_share(items, 0.0) == pytest.approx(0.5, abs=1e-9)   # symmetric set
    theta = theta_for_share(items, 0.6)
    assert theta > 0
    assert expected_share(items, theta) == pytest.approx(0.6, abs=1e-9)
    assert theta_for_share(items, 0.8) > theta
    assert theta_for_share(items, 1.0) == 6.0 and theta_for_share(items, 0.0) == -6.0
