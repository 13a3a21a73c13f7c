"""Ability as an EAP estimate with its posterior SD as the standard error.

EAP (expected a posteriori) by quadrature: the posterior of θ is evaluated on a fixed grid
(61 points from −5 to 5 by default) as prior × likelihood, and summarised by its mean and SD.
Why EAP and not maximum likelihood: it exists for every response pattern (all right, all
wrong, no answers at all), it never runs off to ±∞, and its SD is an honest band when there is
little evidence: with no responses the estimate *is* the prior.

The default prior is N(0, 1) on the logit scale: the population of cadres the item parameters
were calibrated on has mean 0 and SD 1 there (calibration can report a better SD; pass it in).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from .model import FloatArray, ItemParams, ItemTable

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Prior:
    """Normal prior on θ and the quadrature grid it is evaluated on. The grid always reaches
    five prior SDs either side of the mean, so a shifted or wide prior is not truncated."""

    mean: float = 0.0
    sd: float = 1.0
    lo: float = -5.0
    hi: float = 5.0
    points: int = 61

    def __post_init__(self) -> None:
        if not self.sd > 0:
            raise ValueError(f"prior SD must be positive, got {self.sd}")
        if self.points < 3:
            raise ValueError("the grid needs at least 3 points")

    @property
    def nodes(self) -> FloatArray:
        return _grid(self)[0]

    @property
    def log_weights(self) -> FloatArray:
        """log N(θ; mean, sd²) on the nodes, up to a constant (normalised away)."""
        return _grid(self)[1]


@lru_cache(maxsize=32)
def _grid(prior: Prior) -> tuple[FloatArray, FloatArray]:
    # Cached per prior: the app scores with one or two priors, so the arrays are built once.
    lo = min(prior.lo, prior.mean - 5 * prior.sd)
    hi = max(prior.hi, prior.mean + 5 * prior.sd)
    nodes = np.linspace(lo, hi, prior.points)
    log_w = -0.5 * ((nodes - prior.mean) / prior.sd) ** 2
    nodes.setflags(write=False)
    log_w.setflags(write=False)
    return nodes, log_w


DEFAULT_PRIOR = Prior()


@dataclass(frozen=True)
class Ability:
    """An ability estimate on the logit scale with its standard error and the number of
    responses behind it."""

    theta: float
    se: float
    n: int

    def band(self, z: float = Z95) -> tuple[float, float]:
        return (self.theta - z * self.se, self.theta + z * self.se)


def band95(ability: Ability) -> tuple[float, float]:
    """The 95 % band θ ± 1.96 SE: where the true ability lies for 95 of 100 cadres so measured
    (the simulation checks the coverage)."""
    return ability.band(Z95)


def posterior_moments(log_posterior: npt.ArrayLike,
                      nodes: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Mean and SD of posteriors given as unnormalised log densities on the nodes; the last
    axis is the grid, any leading axes are examinees."""
    log_post = np.asarray(log_posterior, dtype=np.float64)
    weights = np.exp(log_post - log_post.max(axis=-1, keepdims=True))
    weights /= weights.sum(axis=-1, keepdims=True)
    mean = weights @ nodes
    var = weights @ nodes**2 - mean**2
    return mean, np.sqrt(np.maximum(var, 0.0))


def log_likelihood(responses: Iterable[tuple[ItemParams, int]],
                   nodes: FloatArray) -> tuple[FloatArray, int]:
    """Σ log P(category | θ) over the responses on the nodes, and how many there were."""
    pairs = list(responses)
    if not pairs:
        return np.zeros_like(nodes), 0
    table = ItemTable.from_params([params for params, _ in pairs])
    cats = np.fromiter((cat for _, cat in pairs), dtype=np.int64, count=len(pairs))
    bad = (cats < 0) | (cats > table.steps)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(f"category {cats[row]} outside 0..{table.steps[row]}")
    log_p = table.log_probabilities(nodes)                        # (n, M+1, G)
    return log_p[np.arange(len(pairs)), cats].sum(axis=0), len(pairs)


def eap(responses: Iterable[tuple[ItemParams, int]], prior: Prior = DEFAULT_PRIOR) -> Ability:
    """EAP ability from (item parameters, category) responses; with none, the prior itself."""
    log_lik, n = log_likelihood(responses, prior.nodes)
    theta, se = posterior_moments(prior.log_weights + log_lik, prior.nodes)
    return Ability(float(theta), float(se), n)


@dataclass(frozen=True, eq=False)
class Posterior:
    """The posterior on the grid, to add responses one at a time (an adaptive test re-estimates
    after every answer; updating costs one item's probabilities, not the whole history)."""

    prior: Prior
    log_density: FloatArray
    n: int

    @classmethod
    def start(cls, prior: Prior = DEFAULT_PRIOR) -> Posterior:
        return cls(prior, np.array(prior.log_weights), 0)

    def update(self, responses: Iterable[tuple[ItemParams, int]]) -> Posterior:
        """A new posterior with the responses added (this one is left unchanged)."""
        log_lik, n = log_likelihood(responses, self.prior.nodes)
        density = self.log_density + log_lik
        # Keep the numbers near 0 so hundreds of updates never underflow.
        return Posterior(self.prior, density - density.max(), self.n + n)

    def add(self, params: ItemParams, category: int) -> Posterior:
        return self.update([(params, category)])

    @property
    def ability(self) -> Ability:
        theta, se = posterior_moments(self.log_density, self.prior.nodes)
        return Ability(float(theta), float(se), self.n)


# --- Reading an ability on pages ---------------------------------------------------------------
# Points = 50 + 15 θ, clipped to 0..100: 50 is the average cadre of the calibration population
# and 15 points one SD of cadres, so nearly everyone lands between 5 and 95 and the numbers never
# look like a percentage of questions right (they are not one).
SCALE_CENTRE = 50.0
SCALE_UNIT = 15.0
# A band this wide (SE above 0.6 logit, ±18 points) says little: pages grey it out.
WIDE_SE = 0.6


def to_points(theta: float) -> float:
    return min(100.0, max(0.0, SCALE_CENTRE + SCALE_UNIT * theta))


def readable(ability: Ability, z: float = Z95) -> tuple[int, int, int]:
    """(points, band low, band high) on the 0–100 scale, rounded for display."""
    lo, hi = ability.band(z)
    return (round(to_points(ability.theta)), round(to_points(lo)), round(to_points(hi)))


def is_wide(ability: Ability, max_se: float = WIDE_SE) -> bool:
    return ability.se > max_se


def wholly_below(ability: Ability, line_theta: float, z: float = Z95) -> bool:
    """The whole band lies below the line: the cadre is below it, not merely unlucky."""
    return ability.band(z)[1] < line_theta


def significant_drop(before: Ability, after: Ability, z: float = Z95) -> bool:
    """The ability fell by more than the uncertainty of the difference. The two estimates must
    rest on different answers (e.g. last month's against the months before), or the shared
    answers make the difference look surer than it is."""
    return before.theta - after.theta > z * math.hypot(before.se, after.se)
