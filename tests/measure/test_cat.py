"""The adaptive diagnostic: most informative item, content balancing, exposure control and the
stopping rules of the quick and long modes."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from quizapp.measure.cat import (
    LONG,
    OVERALL,
    QUICK,
    Answered,
    Candidate,
    CatRules,
    Pool,
    estimates,
    next_item,
    stop_reason,
)
from quizapp.measure.model import ItemParams, item_information, prior_params
from quizapp.measure.simulate import synthetic_bank

CODES = ("A1", "A2", "A3", "A4", "A5")


def _run(pool: Pool, rules: CatRules, theta: dict[str, float] | float,
         rng: np.random.Generator) -> tuple[list[Answered], str]:
    """One simulated cadre answering by the model until the diagnostic stops."""
    answered: list[Answered] = []
    while True:
        step = next_item(pool, answered, rules, rng)
        if step.next_key is None:
            assert step.stop is not None
            return answered, step.stop
        item = pool.candidates[pool.row[step.next_key]]
        true = theta[item.code] if isinstance(theta, dict) else theta
        probs = np.exp(pool.table.log_probabilities([true]))[pool.row[step.next_key], :, 0]
        answered.append(pool.answered(step.next_key, int(rng.choice(probs.size, p=probs))))


def test_picks_the_most_informative_item_without_randomness() -> None:
    items = [Candidate(f"q{d}", "A1", ItemParams((d,))) for d in (-2.0, -0.5, 0.1, 1.5)]
    items.append(Candidate("poly", "A1", prior_params(4, 2)))   # four steps around 0
    pool = Pool(items)
    rules = CatRules(top_k=1, min_items=0)
    step = next_item(pool, [], rules, np.random.default_rng(0))
    assert step.next_key == "poly"        # four steps at θ = 0 beat any right/wrong item
    # After a string of wrong answers the estimate is low and the easy item is the best.
    wrong = [Answered(f"x{i}", "A1", ItemParams((0.0,)), 0) for i in range(6)]
    low = next_item(pool, [*wrong, pool.answered("poly", 0)], rules, np.random.default_rng(0))
    theta = low.estimates[OVERALL].theta
    assert theta < -1
    best = max(items[:4], key=lambda c: float(item_information(c.params, theta)))
    assert low.next_key == best.key == "q-2.0"


def test_shown_and_excluded_items_are_not_offered_again() -> None:
    pool = Pool([Candidate(f"q{i}", "A1", ItemParams((0.0,))) for i in range(3)])
    rules = CatRules(min_items=0, se_target=0.01)
    answered = [pool.answered("q0", 1)]
    step = next_item(pool, answered, rules, np.random.default_rng(1), exclude=["q1"])
    assert step.next_key == "q2"
    last = next_item(pool, [*answered, pool.answered("q2", 0)], rules,
                     np.random.default_rng(1), exclude=["q1"])
    assert (last.next_key, last.stop) == (None, "exhausted")


def test_quick_mode_stops_at_the_se_target() -> None:
    pool = Pool(synthetic_bank(seed=3))
    answered, reason = _run(pool, QUICK, 0.3, np.random.default_rng(4))
    assert reason == "se"
    assert QUICK.min_items <= len(answered) < QUICK.max_items
    assert estimates(answered, QUICK)[OVERALL].se <= 0.4
    # One answer fewer and the SE was still above the target (else it would have stopped).
    if len(answered) > QUICK.min_items:
        assert estimates(answered[:-1], QUICK)[OVERALL].se > 0.4


def test_quick_mode_stops_at_twenty_items() -> None:
    # Right/wrong items only, all far from the cadre: twenty cannot bring the SE to 0.4.
    bank = [Candidate(f"{c}-{i}", c, ItemParams((3.0,))) for c in CODES for i in range(10)]
    answered, reason = _run(Pool(bank), QUICK, 0.0, np.random.default_rng(5))
    assert (len(answered), reason) == (20, "max_items")
    assert estimates(answered, QUICK)[OVERALL].se > 0.4


def test_stop_reason_directly() -> None:
    sharp = [Answered(f"q{i}", CODES[i % 5], prior_params(4, 2), 2) for i in range(12)]
    assert stop_reason(sharp[:4], QUICK) is None            # below min_items
    assert stop_reason(sharp, QUICK) == "se"
    loose = [Answered(f"q{i}", "A1", ItemParams((4.0,)), 0) for i in range(20)]
    assert stop_reason(loose[:19], QUICK) is None
    assert stop_reason(loose, QUICK) == "max_items"


def test_content_is_balanced_over_codes() -> None:
    pool = Pool(synthetic_bank(seed=6))
    rules = CatRules(se_target=0.0, max_items=15)           # never stops on SE
    answered, reason = _run(pool, rules, 0.0, np.random.default_rng(7))
    assert reason == "max_items"
    assert Counter(a.code for a in answered) == dict.fromkeys(CODES, 3)
    # Uneven targets are honoured too.
    targets = {"A1": 3.0, "A2": 1.0, "A3": 1.0, "A4": 0.0, "A5": 0.0}
    skewed, _ = _run(pool, CatRules(se_target=0.0, max_items=10, targets=targets), 0.0,
                     np.random.default_rng(8))
    assert Counter(a.code for a in skewed) == {"A1": 6, "A2": 2, "A3": 2}


def test_exposure_control_no_item_shown_to_everyone() -> None:
    pool = Pool(synthetic_bank(seed=9))
    rng = np.random.default_rng(10)
    shown: Counter[object] = Counter()
    firsts: Counter[object] = Counter()
    cadres = 150
    for theta in rng.normal(0.0, 1.0, cadres):
        answered, _ = _run(pool, QUICK, float(theta), rng)
        shown.update(a.key for a in answered)
        firsts[answered[0].key] += 1
    assert max(shown.values()) < cadres
    assert max(shown.values()) / cadres < 0.6
    assert len(firsts) >= 10        # everyone starts at θ = 0, yet first items differ
    # Without the random draw among the top k, starts repeat: one best item per code.
    rng = np.random.default_rng(10)
    plain = Counter(_run(pool, CatRules(top_k=1), 0.0, rng)[0][0].key for _ in range(30))
    assert len(plain) <= len(CODES)


def test_long_mode_measures_each_ability() -> None:
    pool = Pool(synthetic_bank(seed=11))
    theta = dict(zip(CODES, (-1.0, -0.3, 0.0, 0.5, 1.2), strict=True))
    answered, reason = _run(pool, LONG, theta, np.random.default_rng(12))
    final = estimates(answered, LONG)
    assert set(final) == set(CODES)
    if reason == "se":
        assert all(a.se <= 0.6 for a in final.values())
    else:
        assert (reason, len(answered)) == ("max_items", 40)
    assert len(answered) <= 40
    assert all(Counter(a.code for a in answered)[c] >= 1 for c in CODES)


def test_long_mode_stops_at_forty_items() -> None:
    bank = [Candidate(f"{c}-{i}", c, ItemParams((4.0,))) for c in CODES for i in range(12)]
    answered, reason = _run(Pool(bank), LONG, dict.fromkeys(CODES, -1.0),
                            np.random.default_rng(13))
    assert (len(answered), reason) == (40, "max_items")
    assert Counter(a.code for a in answered) == dict.fromkeys(CODES, 8)


def test_long_mode_leaves_a_measured_code_alone() -> None:
    pool = Pool(synthetic_bank(seed=14))
    measured = [pool.answered(c.key, 2) for c in pool.candidates
                if c.code == "A1" and c.params.max_category == 4][:6]
    assert estimates(measured, LONG)["A1"].se <= 0.6
    step = next_item(pool, measured, LONG, np.random.default_rng(15))
    assert step.next_key is not None
    assert pool.candidates[pool.row[step.next_key]].code != "A1"


def test_pool_refuses_duplicates_and_emptiness() -> None:
    with pytest.raises(ValueError, match="unique"):
        Pool([Candidate("q", "A1", ItemParams((0.0,)))] * 2)
    with pytest.raises(ValueError, match="empty"):
        Pool([])
