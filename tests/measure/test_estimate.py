"""EAP ability against a sum written out by hand, the prior when there is no evidence, the
incremental form, and speed."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from quizapp.measure.estimate import (
    DEFAULT_PRIOR,
    Ability,
    Posterior,
    Prior,
    band95,
    eap,
    is_wide,
    readable,
    significant_drop,
    to_points,
    wholly_below,
)
from quizapp.measure.model import ItemParams, prior_params


def _hand_eap(difficulties: list[float], right: list[bool]) -> tuple[float, float]:
    """Plain Python: posterior ∝ N(0,1) × Π Rasch likelihoods on 61 points from −5 to 5."""
    nodes = [-5 + 10 * g / 60 for g in range(61)]
    weights = []
    for t in nodes:
        w = math.exp(-t * t / 2)
        for d, r in zip(difficulties, right, strict=True):
            p = 1 / (1 + math.exp(d - t))
            w *= p if r else 1 - p
        weights.append(w)
    total = sum(weights)
    mean = sum(w * t for w, t in zip(weights, nodes, strict=True)) / total
    var = sum(w * (t - mean) ** 2 for w, t in zip(weights, nodes, strict=True)) / total
    return mean, math.sqrt(var)


def test_three_rasch_items_match_the_hand_sum() -> None:
    difficulties, right = [-1.0, 0.0, 1.0], [True, True, False]
    theta, se = _hand_eap(difficulties, right)
    ability = eap([(ItemParams((d,)), int(r)) for d, r in zip(difficulties, right, strict=True)])
    assert ability.theta == pytest.approx(theta, abs=1e-10)
    assert ability.se == pytest.approx(se, abs=1e-10)
    assert ability.n == 3
    # Sanity on the hand-checked numbers themselves: two of three right pulls θ above 0,
    # and three answers narrow the band below the prior's SD of 1.
    assert 0.2 < theta < 0.8 and 0.6 < se < 0.9


def test_no_responses_gives_the_prior() -> None:
    ability = eap([])
    assert ability.theta == pytest.approx(0.0, abs=1e-9)
    assert ability.se == pytest.approx(1.0, abs=1e-4)
    assert ability.n == 0
    shifted = eap([], Prior(mean=0.5, sd=0.8))
    assert (shifted.theta, shifted.se) == pytest.approx((0.5, 0.8), abs=1e-4)


def test_symmetric_answers_give_zero() -> None:
    # Right on one item and wrong on the same item: the likelihood is symmetric around δ = 0.
    ability = eap([(ItemParams((0.0,)), 1), (ItemParams((0.0,)), 0)])
    assert ability.theta == pytest.approx(0.0, abs=1e-12)


def test_more_points_rank_higher_and_narrow_the_band() -> None:
    item = prior_params(4, 2)
    low = eap([(item, 1)] * 5)
    high = eap([(item, 3)] * 5)
    assert low.theta < 0 < high.theta
    assert eap([(item, 3)] * 20).se < high.se


def test_all_right_stays_finite() -> None:
    ability = eap([(ItemParams((0.0,)), 1)] * 30)
    assert math.isfinite(ability.theta) and 1.5 < ability.theta < 5


def test_band95() -> None:
    lo, hi = band95(Ability(0.2, 0.5, 4))
    assert (lo, hi) == pytest.approx((0.2 - 1.96 * 0.5, 0.2 + 1.96 * 0.5), abs=1e-3)


def test_incremental_equals_batch() -> None:
    rng = np.random.default_rng(5)
    responses = []
    for _ in range(25):
        params = prior_params(int(rng.integers(1, 5)), int(rng.integers(1, 4)))
        responses.append((params, int(rng.integers(0, params.max_category + 1))))
    post = Posterior.start()
    for params, cat in responses:
        post = post.add(params, cat)
    batch = eap(responses)
    assert post.ability.theta == pytest.approx(batch.theta, abs=1e-12)
    assert post.ability.se == pytest.approx(batch.se, abs=1e-12)
    assert post.ability.n == 25
    assert Posterior.start().ability == eap([])


def test_category_outside_the_item_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        eap([(ItemParams((0.0,)), 2)])
    with pytest.raises(ValueError, match="outside"):
        eap([(ItemParams((0.0, 1.0)), -1)])


def test_hundred_responses_are_fast() -> None:
    rng = np.random.default_rng(1)
    responses = []
    for _ in range(100):
        params = prior_params(int(rng.integers(1, 5)), int(rng.integers(1, 4)))
        responses.append((params, int(rng.integers(0, params.max_category + 1))))
    eap(responses, DEFAULT_PRIOR)    # warm the grid cache
    runs = []
    for _ in range(30):
        start = time.perf_counter()
        eap(responses)
        runs.append(time.perf_counter() - start)
    # About 0.3 ms on the development machine; the bound leaves room for a loaded CI runner.
    assert sorted(runs)[len(runs) // 2] < 0.005


def test_readable_scale_and_flags() -> None:
    assert readable(Ability(0.0, 0.3, 10)) == (50, 41, 59)
    assert readable(Ability(4.0, 0.5, 10)) == (100, 95, 100)     # clipped to 0..100
    assert to_points(-1.0) == 35.0
    assert is_wide(Ability(0.0, 0.7, 2)) and not is_wide(Ability(0.0, 0.5, 20))
    # Band 0.1 ± 0.59 reaches past a line at 0.5: not wholly below; −0.5 ± 0.59 is.
    assert not wholly_below(Ability(0.1, 0.3, 10), 0.5)
    assert wholly_below(Ability(-0.5, 0.3, 10), 0.5)
    # A fall of 0.8 with SEs 0.3 and 0.3 (difference SE 0.42, bound 0.83) is not yet enough.
    assert not significant_drop(Ability(0.5, 0.3, 10), Ability(-0.3, 0.3, 10))
    assert significant_drop(Ability(0.5, 0.2, 30), Ability(-0.3, 0.2, 30))
    assert not significant_drop(Ability(-0.3, 0.2, 30), Ability(0.5, 0.2, 30))
