"""The partial credit model (Masters 1982); the Rasch model is its case of one step.

An item with m steps has categories 0..m and step difficulties δ_1..δ_m on the logit scale:

    P(X = k | θ) ∝ exp(Σ_{j ≤ k} (θ − δ_j)),   k = 0..m   (the empty sum is 0).

Every item has discrimination 1, so the raw score is sufficient for θ and the information of an
item at θ is the variance of its category score there. Everything is vectorised over a grid of
θ values with numpy; `ItemTable` holds many items padded to a common number of steps so that
estimation, calibration and selection work on whole arrays.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# The writer's difficulty label (1 easy, 2 medium, 3 hard) as a centre on the logit scale. One
# logit apart: a cadre of average ability (θ = 0) then answers an easy right/wrong item right
# with probability 0.73 and a hard one with 0.27, which is what writers mean by the labels and
# leaves room for calibration to move an item by its prior SD before it crosses a label.
LABEL_CENTRES: dict[int, float] = {1: -1.0, 2: 0.0, 3: 1.0}
# Steps of a polytomous item are spread one logit apart around the centre (m = 4: centre −1.5,
# −0.5, +0.5, +1.5), so each category is the most likely answer over a one-logit stretch of
# ability: ordered thresholds, the pattern a well-written partial-credit item is meant to show.
# Calibration moves them when the answers say otherwise.
DEFAULT_STEP_SPREAD = 1.0


@dataclass(frozen=True)
class ItemParams:
    """Step difficulties δ_1..δ_m of one item (m ≥ 1)."""

    thresholds: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.thresholds:
            raise ValueError("an item needs at least one step")
        if not all(math.isfinite(t) for t in self.thresholds):
            raise ValueError(f"thresholds must be finite: {self.thresholds}")
        # Normalise to plain floats so equal items hash alike (numpy scalars would not).
        object.__setattr__(self, "thresholds", tuple(float(t) for t in self.thresholds))

    @property
    def max_category(self) -> int:
        return len(self.thresholds)

    @property
    def difficulty(self) -> float:
        """The mean step difficulty: the θ at which the expected score is half the maximum."""
        return sum(self.thresholds) / len(self.thresholds)


def prior_params(max_category: int, label: int, *,
                 step_spread: float = DEFAULT_STEP_SPREAD) -> ItemParams:
    """Default parameters from the writer's difficulty label 1/2/3: the label's centre
    (−1, 0, +1) as the mean step difficulty, steps `step_spread` logits apart around it."""
    if max_category < 1:
        raise ValueError(f"max_category must be at least 1, got {max_category}")
    if label not in LABEL_CENTRES:
        raise ValueError(f"difficulty label must be 1, 2 or 3, got {label}")
    centre = LABEL_CENTRES[label]
    middle = (max_category + 1) / 2
    return ItemParams(tuple(centre + step_spread * (k - middle)
                            for k in range(1, max_category + 1)))


def _log_softmax_categories(thresholds: FloatArray, steps: IntArray,
                            theta: FloatArray) -> FloatArray:
    """log P(k | θ) for padded items: thresholds (n, M), steps (n,), theta (G,) → (n, M+1, G);
    categories above an item's own m get −inf (probability 0)."""
    n, width = thresholds.shape
    cum = np.zeros((n, width + 1))
    cum[:, 1:] = np.cumsum(thresholds, axis=1)
    cats = np.arange(width + 1, dtype=np.float64)
    psi = cats[None, :, None] * theta[None, None, :] - cum[:, :, None]
    invalid = cats[None, :] > steps[:, None]
    psi[np.broadcast_to(invalid[:, :, None], psi.shape)] = -np.inf
    top = psi.max(axis=1, keepdims=True)
    return psi - (top + np.log(np.exp(psi - top).sum(axis=1, keepdims=True)))


@dataclass(frozen=True, eq=False)
class ItemTable:
    """Many items as arrays: thresholds padded with zeros to the widest item (the padding is
    never used: categories above an item's m have probability 0)."""

    thresholds: FloatArray   # (n, M)
    steps: IntArray          # (n,) each item's m

    @classmethod
    def from_params(cls, items: Sequence[ItemParams]) -> ItemTable:
        width = max((p.max_category for p in items), default=1)
        thresholds = np.zeros((len(items), width))
        for row, params in enumerate(items):
            thresholds[row, :params.max_category] = params.thresholds
        steps = np.fromiter((p.max_category for p in items), dtype=np.int64, count=len(items))
        return cls(thresholds, steps)

    def __len__(self) -> int:
        return int(self.steps.shape[0])

    @property
    def width(self) -> int:
        return int(self.thresholds.shape[1])

    def params(self, row: int) -> ItemParams:
        return ItemParams(tuple(self.thresholds[row, :self.steps[row]]))

    def log_probabilities(self, theta: npt.ArrayLike) -> FloatArray:
        """(n, M+1, G) log category probabilities on the θ grid."""
        grid = np.atleast_1d(np.asarray(theta, dtype=np.float64))
        return _log_softmax_categories(self.thresholds, self.steps, grid)

    def moments(self, theta: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Expected score and its variance (= information), each (n, G)."""
        probs = np.exp(self.log_probabilities(theta))
        cats = np.arange(self.width + 1, dtype=np.float64)[None, :, None]
        mean = (probs * cats).sum(axis=1)
        var = (probs * cats**2).sum(axis=1) - mean**2
        return mean, np.maximum(var, 0.0)

    def information(self, theta: npt.ArrayLike) -> FloatArray:
        return self.moments(theta)[1]


def response_probabilities(table: ItemTable, rows: IntArray, theta: FloatArray,
                           chunk: int = 1_000_000) -> FloatArray:
    """P(k | θ_r) for many responses at once, each at its own θ (not a shared grid):
    rows (N,) index the table, theta (N,), result (N, M+1). Chunked so five million
    responses never need more than a few hundred MB at a time."""
    out = np.empty((rows.shape[0], table.width + 1))
    cats = np.arange(table.width + 1, dtype=np.float64)
    cum_all = np.zeros((len(table), table.width + 1))
    cum_all[:, 1:] = np.cumsum(table.thresholds, axis=1)
    for start in range(0, rows.shape[0], chunk):
        part = slice(start, start + chunk)
        idx = rows[part]
        psi = cats[None, :] * theta[part, None] - cum_all[idx]
        psi[cats[None, :] > table.steps[idx, None]] = -np.inf
        psi -= psi.max(axis=1, keepdims=True)
        np.exp(psi, out=psi)
        out[part] = psi / psi.sum(axis=1, keepdims=True)
    return out


def sample_categories(table: ItemTable, rows: IntArray, theta: FloatArray,
                      rng: np.random.Generator) -> IntArray:
    """Draw one category per response from the model (for simulation and benchmarks)."""
    cumulative = np.cumsum(response_probabilities(table, rows, theta), axis=1)
    draws = rng.random(rows.shape[0])
    # The first category whose cumulative probability exceeds the draw; clip guards the last
    # category against a cumulative sum that rounds to just under 1.
    cats = (cumulative < draws[:, None]).sum(axis=1)
    return np.minimum(cats, table.steps[rows]).astype(np.int64)


def category_probabilities(params: ItemParams, theta: npt.ArrayLike) -> FloatArray:
    """P(X = k | θ) with shape theta.shape + (m+1,)."""
    values = np.asarray(theta, dtype=np.float64)
    table = ItemTable.from_params([params])
    probs = np.exp(table.log_probabilities(values.ravel()))[0]   # (m+1, G)
    return probs.T.reshape((*values.shape, params.max_category + 1))


def expected_score(params: ItemParams, theta: npt.ArrayLike) -> FloatArray:
    """E[X | θ], with the shape of theta."""
    values = np.asarray(theta, dtype=np.float64)
    mean, _ = ItemTable.from_params([params]).moments(values.ravel())
    return mean[0].reshape(values.shape)


def item_information(params: ItemParams, theta: npt.ArrayLike) -> FloatArray:
    """Fisher information at θ: Var(X | θ) for a model with unit discrimination."""
    values = np.asarray(theta, dtype=np.float64)
    _, var = ItemTable.from_params([params]).moments(values.ravel())
    return var[0].reshape(values.shape)


def expected_share(items: Sequence[ItemParams], theta: float) -> float:
    """The mean share of the maximum score a cadre at θ is expected to earn on these items:
    the test characteristic curve, which links a pass line in per cent to the θ scale."""
    if not items:
        raise ValueError("no items")
    table = ItemTable.from_params(items)
    mean, _ = table.moments([theta])
    return float(np.mean(mean[:, 0] / table.steps))


def theta_for_share(items: Sequence[ItemParams], share: float,
                    lo: float = -6.0, hi: float = 6.0) -> float:
    """The θ at which the expected share equals `share` (a pass line of 60 % → θ), clipped to
    [lo, hi]. The curve rises strictly: it is evaluated once on a fine grid (one table, one
    pass: dashboards ask for a line per code) and inverted by linear interpolation and
    a few Newton steps."""
    if not items:
        raise ValueError("no items")
    table = ItemTable.from_params(items)
    grid = np.linspace(lo, hi, 481)
    mean, _ = table.moments(grid)
    curve = np.mean(mean / table.steps[:, None], axis=0)
    if share <= curve[0]:
        return lo
    if share >= curve[-1]:
        return hi
    theta = float(np.interp(share, curve, grid))
    # Newton steps on the same table finish it to machine precision: the slope of a PCM
    # item's expected score is its score variance.
    for _ in range(3):
        mean, variance = table.moments([theta])
        slope = float(np.mean(variance[:, 0] / table.steps))
        if slope <= 0:
            break
        theta -= (float(np.mean(mean[:, 0] / table.steps)) - share) / slope
    return min(hi, max(lo, theta))

def category_from_share(share: float, max_category: int) -> int:
    """Category of an answer that earned `share` (score / max score, 0..1) of an item whose
    partial credit comes in max_category equal parts (multiple choice: one part per key option;
    matching: one per pair). Floors, so only full marks reach the top category; the tiny
    tolerance absorbs the rounding to 6 decimals the scorers apply."""
    if max_category < 1:
        raise ValueError(f"max_category must be at least 1, got {max_category}")
    share = min(max(share, 0.0), 1.0)
    return min(max_category, math.floor(share * max_category + 1e-6))
