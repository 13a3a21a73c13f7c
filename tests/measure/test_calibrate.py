"""Calibration: thin data stays at the label's prior, much data recovers the generating
parameters, a miskeyed item is flagged, and malformed rows are refused."""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.measure.calibrate import (
    Synthetic,
    calibrate,
    calibrate_arrays,
    is_misfit,
    synthetic_responses,
)
from quizapp.measure.model import ItemParams, ItemTable, prior_params, sample_categories


@pytest.fixture(scope="module")
def simulated() -> Synthetic:
    # 20 items, 10 000 examinees answering 10 each: about 5 000 answers per item.
    return synthetic_responses(100_000, seed=11, codes=2, items_per_code=10,
                               answers_per_examinee=10)


def test_much_data_recovers_the_generating_parameters(simulated: Synthetic) -> None:
    person, item, category = simulated.person, simulated.item, simulated.category
    truth, prior = simulated.truth, simulated.prior
    fit = calibrate_arrays(person, item, category, prior)
    assert fit.converged
    valid = np.arange(truth.width)[None, :] < truth.steps[:, None]
    err = (fit.table.thresholds - truth.thresholds)[valid]
    moved = (prior.thresholds - truth.thresholds)[valid]
    assert np.sqrt(np.mean(err**2)) < 0.1
    # The data, not the prior, decided: the labels were off by about 0.5 logit.
    assert np.sqrt(np.mean(moved**2)) > 0.3
    assert fit.population_sd == pytest.approx(1.0, abs=0.05)
    assert np.nanmax(np.abs(fit.infit - 1)) < 0.3


def _rows(data: Synthetic, extra: list) -> list:
    steps = data.prior.steps
    rows = [((f"cadre{p}", "A1"), f"i{i}", c, int(steps[i]))
            for p, i, c in zip(data.person.tolist(), data.item.tolist(),
                               data.category.tolist(), strict=True)]
    return rows + extra


def test_thin_data_stays_near_the_prior_and_much_data_follows_it(simulated: Synthetic) -> None:
    prior = simulated.prior
    priors = {f"i{i}": prior.params(i) for i in range(len(prior))}
    priors["thin"] = prior_params(1, 2)      # label: medium, δ = 0
    priors["heavy"] = prior_params(1, 2)
    priors["unused"] = prior_params(3, 1)
    # Three examinees all got "thin" wrong: maximum likelihood would put it at +∞.
    extra = [((f"cadre{p}", "A1"), "thin", 0, 1) for p in range(3)]
    # "heavy" is really hard (δ = 1.5) and 4 000 examinees answered it.
    rng = np.random.default_rng(2)
    takers = np.arange(4000)
    theta = simulated.theta[takers]
    heavy_cats = sample_categories(ItemTable.from_params([ItemParams((1.5,))]),
                                   np.zeros(4000, dtype=np.int64), theta, rng)
    extra += [((f"cadre{p}", "A1"), "heavy", int(c), 1)
              for p, c in zip(takers.tolist(), heavy_cats.tolist(), strict=True)]
    result = calibrate(_rows(simulated, extra), priors)
    thin, heavy, unused = result.items["thin"], result.items["heavy"], result.items["unused"]
    assert thin.n == 3 and 0.0 < thin.params.difficulty < 0.8
    assert not thin.misfit
    assert heavy.n == 4000 and heavy.params.difficulty == pytest.approx(1.5, abs=0.15)
    assert unused.n == 0 and unused.params == unused.prior and unused.infit is None
    assert result.n_examinees == 10_000 and result.converged


def test_a_miskeyed_item_is_flagged(simulated: Synthetic) -> None:
    person, item, category, prior = (simulated.person, simulated.item, simulated.category,
                                     simulated.prior)
    # Append an item answered "right" by exactly those the model expects to get it wrong.
    theta = simulated.theta[:3000]
    reversed_cats = (theta < 0).astype(np.int64)
    table = ItemTable(np.vstack([prior.thresholds, np.zeros((1, prior.width))]),
                      np.append(prior.steps, 1))
    n_items = len(prior)
    fit = calibrate_arrays(np.concatenate([person, np.arange(3000)]),
                           np.concatenate([item, np.full(3000, n_items)]),
                           np.concatenate([category, reversed_cats]), table)
    assert fit.outfit[n_items] > 1.3 and fit.infit[n_items] > 1.3
    assert is_misfit(int(fit.n[n_items]), fit.infit[n_items], fit.outfit[n_items])
    flagged = [is_misfit(int(fit.n[i]), fit.infit[i], fit.outfit[i]) for i in range(n_items)]
    assert sum(flagged) <= 2


def test_misfit_needs_thirty_responses() -> None:
    assert not is_misfit(29, 2.0, 2.0)
    assert is_misfit(30, 1.0, 1.31)
    assert is_misfit(30, 0.69, 1.0)
    assert not is_misfit(300, 0.7, 1.3)
    assert not is_misfit(0, None, None)


def test_malformed_rows_are_refused() -> None:
    priors = {"q": prior_params(2, 2)}
    with pytest.raises(ValueError, match="no prior"):
        calibrate([(("c", "A1"), "other", 0, 1)], priors)
    with pytest.raises(ValueError, match="max_category"):
        calibrate([(("c", "A1"), "q", 0, 3)], priors)
    with pytest.raises(ValueError, match="outside"):
        calibrate([(("c", "A1"), "q", 3, 2)], priors)


def test_no_rows_returns_the_priors() -> None:
    result = calibrate([], {"q": prior_params(2, 3)})
    assert result.items["q"].params == prior_params(2, 3)
    assert result.items["q"].n == 0 and result.n_responses == 0
