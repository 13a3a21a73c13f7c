"""Calibration: item parameters from graded responses, with the writer's label as the prior.

Method: marginal maximum a posteriori by EM with quadrature (Bock & Aitkin 1981, with priors
on the item parameters as in Mislevy 1986).

* Examinees are (cadre, code) pairs: each code is its own dimension, and a cadre's A1 answers
  say nothing about his A3 ability. Their abilities are integrated out over a normal population
  with mean 0 (this fixes where 0 is on each code's scale) and an SD estimated from the data
  (the Rasch unit is fixed by the unit discrimination, so the spread is identified).
* Each step difficulty has a normal prior centred on the item's `prior_params` value with SD
  `threshold_sd` (1 logit by default: a label is worth about as much as four or five right/wrong
  answers near the item). An item with three answers stays close to its label; one with
  thousands follows the data, since the prior's weight does not grow with n.
* E-step on arrays: a person's log-likelihood on the grid is r·θ − Σ_i log Z_i(θ) + const, where
  r is the raw score, so one sparse product (persons × items incidence) @ (items × grid) gives all
  of them; the expected counts per item, category and node are another sparse product. No Python
  loop touches a response, and memory is O(persons × nodes), not O(responses × nodes).
* M-step: one Newton step per item on the penalised expected log-likelihood (concave, with a
  closed-form gradient and Hessian), batched over all items.

Fit: infit and outfit mean-squares per item from the standardised residuals at each examinee's
EAP estimate; an item is flagged when either lies outside 0.7–1.3 with at least 30 responses.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .model import FloatArray, IntArray, ItemParams, ItemTable, response_probabilities
from .model import prior_params as label_prior
from .model import sample_categories as _sample

FIT_RANGE = (0.7, 1.3)
FIT_MIN_RESPONSES = 30


@dataclass(frozen=True)
class ItemFit:
    params: ItemParams           # fitted
    prior: ItemParams            # what the label said
    n: int                       # responses behind the fit
    infit: float | None          # None without responses
    outfit: float | None
    misfit: bool


@dataclass(frozen=True)
class Calibration:
    items: dict[Hashable, ItemFit]
    population_sd: float
    iterations: int
    converged: bool
    n_responses: int
    n_examinees: int


@dataclass(frozen=True, eq=False)
class ArrayFit:
    """The array form of a calibration (rows follow the prior table)."""

    table: ItemTable
    n: IntArray
    infit: FloatArray
    outfit: FloatArray
    theta: FloatArray            # EAP per examinee
    se: FloatArray
    population_sd: float
    iterations: int
    converged: bool


def calibrate(rows: Iterable[tuple[Hashable, Hashable, int, int]],
              priors: Mapping[Hashable, ItemParams], *, threshold_sd: float = 1.0,
              estimate_sd: bool = True, max_iter: int = 500, tol: float = 1e-4,
              points: int = 41) -> Calibration:
    """Fit every item in `priors` from (examinee_key, item_key, category, max_category) rows.

    Items without responses come back with their prior. A row whose item has no prior, whose
    max_category differs from the prior's, or whose category is outside 0..m is an error: the
    app stores parameters per item version, so a mismatch means rows of two versions mixed."""
    item_keys = list(priors)
    item_index = {key: i for i, key in enumerate(item_keys)}
    person_index: dict[Hashable, int] = {}
    persons: list[int] = []
    items: list[int] = []
    cats: list[int] = []
    steps: list[int] = []
    for person_key, item_key, category, max_category in rows:
        if item_key not in item_index:
            raise ValueError(f"no prior for item {item_key!r}")
        persons.append(person_index.setdefault(person_key, len(person_index)))
        items.append(item_index[item_key])
        cats.append(category)
        steps.append(max_category)
    table = ItemTable.from_params([priors[key] for key in item_keys])
    item_arr = np.asarray(items, dtype=np.int64)
    mismatch = np.flatnonzero(np.asarray(steps, dtype=np.int64) != table.steps[item_arr])
    if mismatch.size:
        key = item_keys[item_arr[mismatch[0]]]
        raise ValueError(f"item {key!r}: rows say max_category {steps[mismatch[0]]}, "
                         f"its prior has {table.steps[item_index[key]]}")
    fit = calibrate_arrays(np.asarray(persons, dtype=np.int64), item_arr,
                           np.asarray(cats, dtype=np.int64), table, threshold_sd=threshold_sd,
                           estimate_sd=estimate_sd, max_iter=max_iter, tol=tol, points=points)
    out: dict[Hashable, ItemFit] = {}
    for i, key in enumerate(item_keys):
        n = int(fit.n[i])
        infit = float(fit.infit[i]) if n else None
        outfit = float(fit.outfit[i]) if n else None
        out[key] = ItemFit(fit.table.params(i), priors[key], n, infit, outfit,
                           is_misfit(n, infit, outfit))
    return Calibration(out, fit.population_sd, fit.iterations, fit.converged,
                       len(item_arr), len(person_index))


def is_misfit(n: int, infit: float | None, outfit: float | None) -> bool:
    """Outside 0.7–1.3 on either mean-square, and only with enough responses to say so."""
    if n < FIT_MIN_RESPONSES or infit is None or outfit is None:
        return False
    lo, hi = FIT_RANGE
    return not (lo <= infit <= hi and lo <= outfit <= hi)


def calibrate_arrays(person: IntArray, item: IntArray, category: IntArray, prior: ItemTable,
                     *, threshold_sd: float = 1.0, estimate_sd: bool = True,
                     max_iter: int = 500, tol: float = 1e-4, points: int = 41) -> ArrayFit:
    """The EM core on integer arrays: person and item indices (0-based) and categories."""
    n_items, width = len(prior), prior.width
    n_persons = int(person.max()) + 1 if person.size else 0
    bad = (category < 0) | (category > prior.steps[item])
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(f"category {category[row]} outside 0..{prior.steps[item[row]]}")
    counts = np.bincount(item, minlength=n_items)
    z = np.linspace(-5.0, 5.0, points)
    log_w = -0.5 * z**2
    if n_persons == 0:
        return _result(prior, counts, np.ones(n_items), np.ones(n_items), np.empty(0),
                       np.empty(0), 1.0, 0, True)
    ones = np.ones(person.shape[0])
    # Persons × items (answer counts) and (item, category) × persons: built once, reused by
    # every E-step. Duplicate answers of one person to one item add up, as they should.
    incidence = sparse.csr_matrix((ones, (person, item)), shape=(n_persons, n_items))
    by_category = sparse.csr_matrix((ones, (item * (width + 1) + category, person)),
                                    shape=(n_items * (width + 1), n_persons))
    raw = np.bincount(person, weights=category, minlength=n_persons)
    mu = prior.thresholds.copy()
    valid = np.arange(width)[None, :] < prior.steps[:, None]
    delta, sd = mu.copy(), 1.0
    converged, iteration = False, 0
    for iteration in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        table = ItemTable(delta, prior.steps)
        theta = sd * z
        post = _posterior(table, theta, incidence, raw, log_w)
        expected = (by_category @ post).reshape(n_items, width + 1, points)
        new_delta = _newton_step(table, theta, expected, mu, valid, threshold_sd)
        new_sd = float(np.sqrt(np.mean(post @ theta**2))) if estimate_sd else sd
        change = max(float(np.abs(new_delta - delta).max()), abs(new_sd - sd))
        delta, sd = new_delta, new_sd
        if change < tol:
            converged = True
            break
    table = ItemTable(delta, prior.steps)
    theta_nodes = sd * z
    post = _posterior(table, theta_nodes, incidence, raw, log_w)
    eap = post @ theta_nodes
    se = np.sqrt(np.maximum(post @ theta_nodes**2 - eap**2, 0.0))
    infit, outfit = _fit_statistics(table, person, item, category, eap, counts)
    return _result(table, counts, infit, outfit, eap, se, sd, iteration, converged)


def _result(table: ItemTable, counts: IntArray, infit: FloatArray, outfit: FloatArray,
            theta: FloatArray, se: FloatArray, sd: float, iterations: int,
            converged: bool) -> ArrayFit:
    return ArrayFit(table, counts, infit, outfit, theta, se, sd, iterations, converged)


def _posterior(table: ItemTable, theta: FloatArray, incidence: sparse.csr_matrix,
               raw: FloatArray, log_w: FloatArray) -> FloatArray:
    """Normalised posterior weights (persons × nodes). log Z_i(θ) = −log P_i(0 | θ)."""
    log_z = -table.log_probabilities(theta)[:, 0, :]                 # (items, G)
    log_post = raw[:, None] * theta[None, :] - incidence @ log_z + log_w[None, :]
    log_post -= log_post.max(axis=1, keepdims=True)
    np.exp(log_post, out=log_post)
    log_post /= log_post.sum(axis=1, keepdims=True)
    return log_post


def _newton_step(table: ItemTable, theta: FloatArray, expected: FloatArray, mu: FloatArray,
                 valid: np.ndarray, threshold_sd: float) -> FloatArray:
    """One Newton step on Σ_g Σ_c n_icg log P_i(c | θ_g) − Σ_j (δ_ij − μ_ij)² / 2τ² per item.

    With P(C ≥ j) the probability of reaching step j: the gradient in δ_j is
    Σ_g [N_g P(C ≥ j | θ_g) − O_jg] − (δ_j − μ_j)/τ², where O_jg is the expected count at node g
    of answers that reached step j; the Hessian is −Σ_g N_g Cov(1[C ≥ j], 1[C ≥ l]) − I/τ²."""
    width = table.width
    probs = np.exp(table.log_probabilities(theta))                  # (I, M+1, G)
    # P(C ≥ j) for j = 1..M: reverse cumulative sums over categories.
    reach = np.cumsum(probs[:, ::-1, :], axis=1)[:, ::-1, :][:, 1:, :]   # (I, M, G)
    observed = np.cumsum(expected[:, ::-1, :], axis=1)[:, ::-1, :][:, 1:, :]
    total = expected.sum(axis=1)                                     # (I, G)
    precision = 1.0 / threshold_sd**2
    grad = (total[:, None, :] * reach - observed).sum(axis=2) - precision * (table.thresholds - mu)
    # Cov(1[C ≥ j], 1[C ≥ l]) = P(C ≥ max(j, l)) − P(C ≥ j) P(C ≥ l).
    idx = np.arange(width)
    upper = reach[:, np.maximum.outer(idx, idx), :]                   # (I, M, M, G)
    cov = upper - reach[:, :, None, :] * reach[:, None, :, :]
    hess = -(total[:, None, None, :] * cov).sum(axis=3) - precision * np.eye(width)[None]
    # Padded steps (beyond an item's m) must not move: zero gradient, identity Hessian rows.
    grad = np.where(valid, grad, 0.0)
    pair = valid[:, :, None] & valid[:, None, :]
    hess = np.where(pair, hess, -np.eye(width)[None])
    step = np.linalg.solve(hess, grad[:, :, None])[:, :, 0]
    # A damped step: far from the optimum a full Newton step can overshoot on items whose
    # categories are almost empty; no single EM step moves a threshold more than one logit.
    step = np.clip(step, -1.0, 1.0)
    return np.where(valid, table.thresholds - step, 0.0)


def _fit_statistics(table: ItemTable, person: IntArray, item: IntArray, category: IntArray,
                    theta: FloatArray, counts: IntArray) -> tuple[FloatArray, FloatArray]:
    """Infit (information-weighted) and outfit (unweighted) mean-squares per item:
    outfit = mean of z², infit = Σ (x − E)² / Σ W, with E and W the model's expected score and
    variance at the examinee's EAP estimate."""
    probs = response_probabilities(table, item, theta[person])
    cats = np.arange(table.width + 1, dtype=np.float64)
    mean = probs @ cats
    var = np.maximum(probs @ cats**2 - mean**2, 1e-12)
    resid2 = (category - mean) ** 2
    n_items = len(table)
    with np.errstate(invalid="ignore", divide="ignore"):
        outfit = np.bincount(item, weights=resid2 / var, minlength=n_items) / counts
        infit = (np.bincount(item, weights=resid2, minlength=n_items)
                 / np.bincount(item, weights=var, minlength=n_items))
    return infit, outfit


# --- Benchmark --------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Synthetic:
    """Simulated answers with the truth that generated them."""

    person: IntArray
    item: IntArray
    category: IntArray
    theta: FloatArray        # true ability per examinee
    truth: ItemTable         # generating parameters
    prior: ItemTable         # the labels' priors


def synthetic_responses(n_responses: int, seed: int = 0, *, codes: int = 12,
                        items_per_code: int = 40, answers_per_examinee: int = 20) -> Synthetic:
    """Simulated answers for benchmarks and tests: `codes` × `items_per_code` items, 30 % of
    them with four steps and the rest right/wrong, true parameters = label priors plus N(0, 0.5)
    noise; each examinee (cadre × code) answers `answers_per_examinee` items of his code drawn
    at random."""
    rng = np.random.default_rng(seed)
    n_items = codes * items_per_code
    labels = rng.integers(1, 4, n_items)
    steps = np.where(rng.random(n_items) < 0.3, 4, 1)
    priors = [label_prior(int(m), int(lab)) for m, lab in zip(steps, labels, strict=True)]
    prior = ItemTable.from_params(priors)
    noise = np.where(np.arange(prior.width)[None, :] < prior.steps[:, None],
                     rng.normal(0.0, 0.5, prior.thresholds.shape), 0.0)
    truth = ItemTable(prior.thresholds + noise, prior.steps)
    n_persons = max(1, n_responses // answers_per_examinee)
    person = np.repeat(np.arange(n_persons), answers_per_examinee)[:n_responses]
    code = rng.integers(0, codes, n_persons)
    item = code[person] * items_per_code + rng.integers(0, items_per_code, person.shape[0])
    theta = rng.normal(0.0, 1.0, n_persons)
    category = _sample(truth, item, theta[person], rng)
    return Synthetic(person, item, category, theta, truth, prior)


def benchmark(n_responses: int, seed: int = 0, *, from_rows: bool = False) -> dict[str, float]:
    """Seconds to calibrate `n_responses` simulated answers and the recovery error. By default
    from integer arrays (what the command does after reading the columns from the database);
    with from_rows, through `calibrate` from (examinee, item, category, max) tuples."""
    data = synthetic_responses(n_responses, seed)
    person, item, category, truth, prior = (data.person, data.item, data.category, data.truth,
                                            data.prior)
    start = time.perf_counter()
    if from_rows:
        examinees = [(f"cadre{p}", "A") for p in range(int(person.max()) + 1)]
        keys = [f"item{i}" for i in range(len(prior))]
        steps = prior.steps.tolist()
        rows = [(examinees[p], keys[i], c, steps[i])
                for p, i, c in zip(person.tolist(), item.tolist(), category.tolist(),
                                   strict=True)]
        start = time.perf_counter()
        result = calibrate(rows, {key: prior.params(i) for i, key in enumerate(keys)})
        seconds = time.perf_counter() - start
        fitted = ItemTable.from_params([result.items[key].params for key in keys])
        iterations, converged, sd = result.iterations, result.converged, result.population_sd
    else:
        fit = calibrate_arrays(person, item, category, prior)
        seconds = time.perf_counter() - start
        fitted, iterations, converged, sd = (fit.table, fit.iterations, fit.converged,
                                             fit.population_sd)
    valid = np.arange(truth.width)[None, :] < truth.steps[:, None]
    err = (fitted.thresholds - truth.thresholds)[valid]
    return {"responses": float(n_responses), "seconds": round(seconds, 2),
            "iterations": float(iterations), "converged": float(converged),
            "threshold_rmse": round(float(np.sqrt(np.mean(err**2))), 4),
            "population_sd": round(sd, 4)}
