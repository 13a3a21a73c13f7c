"""Recovery on simulated cadres with a fixed seed: the targets of issue 13 on a bank with the
real proportions, and a right/wrong-only bank that cannot meet the diagnostic's target."""

from __future__ import annotations

from collections import Counter

import pytest

from quizapp.measure.simulate import DEFAULT_SHARES, perturbed, simulate, synthetic_bank


@pytest.fixture(scope="module")
def figures() -> dict:
    return simulate(synthetic_bank(seed=7), n_cadres=300, seed=7, cat_cadres=120)


def test_fixed_length_recovers_abilities(figures: dict) -> None:
    assert figures["items_per_code"] == 40
    assert figures["spearman"] >= 0.9
    assert set(figures["spearman_by_code"]) == {"A1", "A2", "A3", "A4", "A5"}
    assert figures["spearman"] == min(figures["spearman_by_code"].values())
    assert 0.93 <= figures["coverage95"] <= 0.97
    # The reported SE is honest: the actual error is about the size the model claims.
    assert figures["rmse"] == pytest.approx(figures["se_mean"], rel=0.15)


def test_quick_diagnostic_meets_its_target(figures: dict) -> None:
    assert figures["cat_items_mean"] <= 20
    assert figures["cat_se_mean"] <= 0.4
    assert figures["cat_spearman"] >= 0.85
    assert figures["cat_max_exposure"] < 1.0
    assert sum(figures["cat_stop"].values()) == 120


def test_right_wrong_items_alone_cannot_reach_se_04_in_twenty() -> None:
    # A Rasch item gives at most 0.25 information: 20 of them plus the prior's 1 give
    # SE ≥ 1/sqrt(6) ≈ 0.41. The check must be able to fail, and here it does.
    bank = synthetic_bank(seed=7, shares={"single": 0.9, "true_false": 0.1})
    result = simulate(bank, n_cadres=60, seed=7, cat_cadres=40)
    assert result["polytomous_share"] == 0.0
    assert result["cat_items_mean"] == 20
    assert result["cat_se_mean"] > 0.4


def test_the_bank_has_the_requested_proportions() -> None:
    bank = synthetic_bank(per_code=50, seed=1)
    assert len(bank) == 250
    kinds = Counter(c.key.split("-")[1] for c in bank if c.code == "A1")
    assert kinds == {kind: round(share * 50) for kind, share in DEFAULT_SHARES.items()}
    steps = {c.params.max_category for c in bank if "-judgement-" in c.key}
    assert steps == {4}
    assert {c.params.max_category for c in bank if "-multiple-" in c.key} <= {2, 3, 4}


def test_same_seed_same_figures() -> None:
    bank = synthetic_bank(per_code=20, seed=2)
    first = simulate(bank, n_cadres=40, seed=5, cat_cadres=10)
    assert simulate(bank, n_cadres=40, seed=5, cat_cadres=10) == first
    assert simulate(bank, n_cadres=40, seed=6, cat_cadres=10) != first


def test_parameters_off_the_truth_cost_accuracy() -> None:
    bank = synthetic_bank(per_code=30, seed=4)
    exact = simulate(bank, n_cadres=200, seed=4, cat_cadres=5)
    off = simulate(bank, n_cadres=200, seed=4, cat_cadres=5, truth=perturbed(bank, 1.5, 4))
    assert off["rmse"] > exact["rmse"]
    with pytest.raises(ValueError, match="same item keys"):
        simulate(bank, n_cadres=10, seed=4, truth=bank[:-1])
