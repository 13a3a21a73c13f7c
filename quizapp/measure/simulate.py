"""Simulation: does the measurement recover abilities it generated itself?

True abilities are drawn from N(0, 1) on the model's own logit scale (no rescaling), answers
are drawn from the items' parameters, and abilities are estimated with this package's EAP. Two
designs:

* fixed length: every simulated cadre answers `items_per_code` items of each ability A1–A5,
  drawn at random from that ability's items; one true ability per code, independent.
* quick diagnostic: one true ability answers the adaptive test over all items (the overall
  ability, one dimension) with the QUICK rules.

`synthetic_bank` builds a bank with the proportions of the real one, parameters from the
writers' labels via `prior_params`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy import stats

from .cat import ABILITY_CODES, LONG, QUICK, Answered, Candidate, CatRules, Pool, next_item
from .estimate import DEFAULT_PRIOR, Z95, Prior, posterior_moments
from .model import DEFAULT_STEP_SPREAD, ItemParams, ItemTable, prior_params, sample_categories

# Kinds per code in the bank (issue 13): 60 % single choice, 10 % true/false (both right/wrong),
# 10 % multiple choice (partial credit, one step per key option: 2–4), 20 % situational
# judgement (four options rated 1–4, four steps; the bank has 20–30 %, the low end is taken so
# the figures are not flattered). Ordering and matching are rare and left out.
DEFAULT_SHARES: dict[str, float] = {"single": 0.6, "true_false": 0.1, "multiple": 0.1,
                                    "judgement": 0.2}


def synthetic_bank(per_code: int = 45, codes: Sequence[str] = ABILITY_CODES, seed: int = 0, *,
                   shares: Mapping[str, float] = DEFAULT_SHARES,
                   step_spread: float = DEFAULT_STEP_SPREAD) -> list[Candidate]:
    """`per_code` items for each code, kinds in the given shares (single choice takes what
    rounding leaves), difficulty labels 1/2/3 equally likely, parameters from the labels."""
    rng = np.random.default_rng(seed)
    bank: list[Candidate] = []
    for code in codes:
        counts = {kind: round(share * per_code) for kind, share in shares.items()
                  if kind != "single"}
        counts["single"] = max(0, per_code - sum(counts.values()))
        number = 0
        for kind, count in sorted(counts.items()):
            for _ in range(count):
                number += 1
                if kind == "judgement":
                    steps = 4
                elif kind == "multiple":
                    steps = int(rng.integers(2, 5))
                else:
                    steps = 1
                label = int(rng.integers(1, 4))
                params = prior_params(steps, label, step_spread=step_spread)
                bank.append(Candidate(f"{code}-{kind}-{number:03d}", code, params))
    return bank


def simulate(items: Sequence[Candidate], n_cadres: int, seed: int, *,
             items_per_code: int = 40, codes: Sequence[str] = ABILITY_CODES,
             cat_cadres: int | None = None, rules: CatRules = QUICK,
             prior: Prior = DEFAULT_PRIOR, long_mode: bool = False,
             truth: Sequence[Candidate] | None = None) -> dict[str, Any]:
    """Run both designs and return the figures (see the module docstring); `cat_cadres`
    limits the adaptive part (default: all `n_cadres`). `truth` (same keys as `items`)
    generates the answers while `items` estimates: how the measurement behaves when the
    parameters it uses are off, as before calibration."""
    rng = np.random.default_rng(seed)
    generating = {c.key: c.params for c in (truth if truth is not None else items)}
    if set(generating) != {c.key for c in items}:
        raise ValueError("truth must hold the same item keys as items")
    fixed = _fixed_length(items, generating, n_cadres, items_per_code, codes, prior, rng)
    cat_n = n_cadres if cat_cadres is None else cat_cadres
    adaptive = _adaptive(items, generating, cat_n, rules, rng)
    polytomous = sum(1 for c in items if c.params.max_category > 1) / len(items)
    result: dict[str, Any] = {
        "seed": seed, "n_cadres": n_cadres, "items": len(items),
        "polytomous_share": round(polytomous, 3), **fixed, **adaptive,
    }
    if long_mode:
        result |= _adaptive_long(items, generating, cat_n, rng)
    return result


def _fixed_length(items: Sequence[Candidate], generating: Mapping[object, ItemParams],
                  n_cadres: int, per_code: int, codes: Sequence[str], prior: Prior,
                  rng: np.random.Generator) -> dict[str, Any]:
    nodes = prior.nodes
    truths, estimates, errors = [], [], []
    by_code: dict[str, float] = {}
    for code in codes:
        pool = [c for c in items if c.code == code]
        if not pool:
            raise ValueError(f"no items for {code}")
        table = ItemTable.from_params([c.params for c in pool])
        length = min(per_code, len(pool))
        # Each cadre's own random draw of `length` items of this code, without repetition.
        rows = np.argsort(rng.random((n_cadres, len(pool))), axis=1)[:, :length]
        theta = rng.normal(0.0, 1.0, n_cadres)
        gen = ItemTable.from_params([generating[c.key] for c in pool])
        cats = sample_categories(gen, rows.ravel(), np.repeat(theta, length), rng)
        log_p = table.log_probabilities(nodes)                     # (items, M+1, G)
        log_lik = log_p[rows, cats.reshape(n_cadres, length)].sum(axis=1)
        est, se = posterior_moments(prior.log_weights + log_lik, nodes)
        by_code[code] = float(stats.spearmanr(theta, est).statistic)
        truths.append(theta)
        estimates.append(est)
        errors.append(se)
    true, est, se = (np.concatenate(x) for x in (truths, estimates, errors))
    return {
        "spearman": round(min(by_code.values()), 4),
        "spearman_by_code": {c: round(v, 4) for c, v in by_code.items()},
        "rmse": round(float(np.sqrt(np.mean((est - true) ** 2))), 4),
        "se_mean": round(float(se.mean()), 4),
        "coverage95": round(float(np.mean(np.abs(est - true) <= Z95 * se)), 4),
        "items_per_code": min(per_code, min(sum(1 for c in items if c.code == code)
                                            for code in codes)),
    }


def _answer(pool: Pool, gen: ItemTable, key: object, theta: float,
            rng: np.random.Generator) -> Answered:
    row = np.array([pool.row[key]])
    cat = int(sample_categories(gen, row, np.array([theta]), rng)[0])
    return pool.answered(key, cat)


def _adaptive(items: Sequence[Candidate], generating: Mapping[object, ItemParams],
              n_cadres: int, rules: CatRules, rng: np.random.Generator) -> dict[str, Any]:
    pool = Pool(items)
    gen = ItemTable.from_params([generating[key] for key in pool.keys])
    true = rng.normal(0.0, 1.0, n_cadres)
    lengths, est, se, reasons = [], [], [], Counter()
    exposure: Counter[object] = Counter()
    for theta in true:
        answered: list[Answered] = []
        while True:
            step = next_item(pool, answered, rules, rng)
            if step.next_key is None:
                break
            answered.append(_answer(pool, gen, step.next_key, float(theta), rng))
        final = next(iter(step.estimates.values()))
        lengths.append(len(answered))
        est.append(final.theta)
        se.append(final.se)
        reasons[step.stop] += 1
        exposure.update(a.key for a in answered)
    est_a, se_a = np.array(est), np.array(se)
    return {
        "cat_cadres": n_cadres,
        "cat_items_mean": round(float(np.mean(lengths)), 2),
        "cat_items_max": int(max(lengths)),
        "cat_se_mean": round(float(se_a.mean()), 4),
        "cat_spearman": round(float(stats.spearmanr(true, est_a).statistic), 4),
        "cat_rmse": round(float(np.sqrt(np.mean((est_a - true) ** 2))), 4),
        "cat_coverage95": round(float(np.mean(np.abs(est_a - true) <= Z95 * se_a)), 4),
        "cat_stop": dict(reasons),
        "cat_max_exposure": round(max(exposure.values()) / n_cadres, 4),
        "cat_items_used": len(exposure),
    }


def _adaptive_long(items: Sequence[Candidate], generating: Mapping[object, ItemParams],
                   n_cadres: int, rng: np.random.Generator) -> dict[str, Any]:
    """The long mode: an independent true ability per code A1–A5, measured together."""
    pool = Pool([c for c in items if c.code in LONG.codes])
    gen = ItemTable.from_params([generating[key] for key in pool.keys])
    lengths, worst_se, errors, covered = [], [], [], []
    for _ in range(n_cadres):
        true = dict(zip(LONG.codes, rng.normal(0.0, 1.0, len(LONG.codes)), strict=True))
        answered: list[Answered] = []
        while True:
            step = next_item(pool, answered, LONG, rng)
            if step.next_key is None:
                break
            code = pool.candidates[pool.row[step.next_key]].code
            answered.append(_answer(pool, gen, step.next_key, float(true[code]), rng))
        lengths.append(len(answered))
        worst_se.append(max(a.se for a in step.estimates.values()))
        for code, ability in step.estimates.items():
            errors.append(ability.theta - true[code])
            covered.append(abs(ability.theta - true[code]) <= Z95 * ability.se)
    return {
        "long_items_mean": round(float(np.mean(lengths)), 2),
        "long_worst_se_mean": round(float(np.mean(worst_se)), 4),
        "long_rmse": round(float(np.sqrt(np.mean(np.square(errors)))), 4),
        "long_coverage95": round(float(np.mean(covered)), 4),
    }


def perturbed(items: Sequence[Candidate], sd: float, seed: int) -> list[Candidate]:
    """The same items with N(0, sd²) added to every step difficulty: a stand-in for the truth
    when the writers' labels are off, to pass as `truth`."""
    rng = np.random.default_rng(seed)
    return [Candidate(c.key, c.code,
                      ItemParams(tuple(t + rng.normal(0.0, sd) for t in c.params.thresholds)))
            for c in items]
