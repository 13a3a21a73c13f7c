"""Item analysis (pure, standard library only), after Moodle's quiz statistics report.

Definitions follow docs.moodle.org/dev/Quiz_statistics_calculations and Moodle's own
calculators (question/classes/statistics/questions/calculator.php for items,
mod/quiz/report/statistics/classes/calculator.php for the whole test):

* facility index: mean of score / max score, in %;
* SD: sample standard deviation (n - 1) of score / max score, in %;
* discrimination index: 100 × Pearson r between the item's score and the score on the rest of
  the test (attempt total minus this item), over the attempts that saw the item;
* discriminative efficiency: 100 × cov(item, rest) / cov_max, where cov_max is the covariance
  obtained by sorting the item scores and the rest-of-test scores independently and pairing
  them in order, i.e. the largest covariance the two observed distributions allow;
* skewness and kurtosis: Moodle's k-statistics (k3 / k2^1.5 and k4 / k2^2, so a normal
  distribution has kurtosis 0);
* coefficient of internal consistency: Cronbach's alpha (KR-20 for 0/1 items);
* error ratio: 100 × sqrt(1 - alpha); standard error: error ratio × SD of the total score.

Every input is a sequence of attempts, one mapping ``item_id -> (score, max_score)`` per
attempt, holding only the items that attempt showed. Responses whose max score is not a
positive finite number carry no information for these ratios and are ignored, as are attempts
left with no item. Nothing here raises on empty data, one attempt or constant scores: a
statistic that cannot be computed is ``None``.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

ItemScores = Mapping[Hashable, tuple[float, float]]
Which = Literal["first", "last", "all"]

# Below this many responses an item's figures are shown but never flagged: with few
# attempts, correlations swing wildly and a flag would mostly be noise.
MIN_RESPONSES = 30
LOW_FACILITY = 20.0  # % — flag "low facility" below this
VERY_EASY = 90.0  # % — flag "very easy" above this
LOW_DISCRIMINATION = 20.0  # % — flag "low discrimination" below this

# Sums of fractional marks pick up float noise (0.1 + 0.2 != 0.3); values this close count as
# equal so that the noise never poses as variance when every attempt really scored the same.
_REL_TOL = 1e-9


class AttemptRecord(NamedTuple):
    """One stored attempt, for :func:`select_attempts`."""

    user_id: Hashable
    attempt_id: Hashable
    started_order: Any  # anything that sorts by start time: an int, a datetime…
    scores: ItemScores


@dataclass(frozen=True)
class ItemStats:
    """Statistics of one item; percentages are 0–100, ``None`` when not computable."""

    item_id: Hashable
    n: int
    facility: float | None
    sd: float | None
    discrimination_index: float | None
    discriminative_efficiency: float | None
    enough_responses: bool
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuizStats:
    """Whole-test statistics over the counted attempts.

    ``mean``, ``median``, ``sd``, ``error_ratio`` and ``standard_error`` are in % of the
    attempt's maximum score (percentage points for the last one); ``alpha`` is a plain
    coefficient (Moodle shows it ×100 as the coefficient of internal consistency) computed over
    ``alpha_items`` items, the ones every counted attempt saw.
    """

    attempts: int
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    alpha: float | None
    alpha_items: int
    error_ratio: float | None
    standard_error: float | None


@dataclass(frozen=True)
class ItemAnalysis:
    """The report as a whole: the test first, then one row per item."""

    quiz: QuizStats
    items: tuple[ItemStats, ...]


def select_attempts(records: Iterable[AttemptRecord], which: Which = "first") -> list[ItemScores]:
    """Scores of the attempts that count: each user's first (default) or last, or all.

    Moodle defaults to first attempts because later ones build on earlier feedback and break
    the independence item analysis assumes. Ties on ``started_order`` go to the earlier record
    for "first" and the later one for "last"; the result keeps the input order.
    """
    rows = [AttemptRecord(*record) for record in records]
    if which == "all":
        return [row.scores for row in rows]
    if which not in ("first", "last"):
        raise ValueError(f"which must be 'first', 'last' or 'all', not {which!r}")
    chosen: dict[Hashable, int] = {}
    for index, row in enumerate(rows):
        best = chosen.get(row.user_id)
        if best is None:
            chosen[row.user_id] = index
            continue
        current = rows[best].started_order
        if (which == "first" and row.started_order < current) or (
            which == "last" and row.started_order >= current
        ):
            chosen[row.user_id] = index
    keep = set(chosen.values())
    return [row.scores for index, row in enumerate(rows) if index in keep]


def item_statistics(
    attempts: Sequence[ItemScores], min_responses: int = MIN_RESPONSES
) -> list[ItemStats]:
    """One :class:`ItemStats` per item, in order of first appearance.

    Flags are only raised once an item has ``min_responses`` responses; below that the item
    carries ``enough_responses=False`` and no flags. A negative discrimination is flagged as
    "negative discrimination" alone, not also as "low discrimination", because it is the
    stronger warning (the key may be wrong) and listing both says nothing more.
    """
    usable = _usable(attempts)
    totals = [_total(attempt) for attempt in usable]
    result = []
    for item in _item_order(usable):
        scores: list[float] = []
        fractions: list[float] = []
        rests: list[float] = []
        for attempt, total in zip(usable, totals, strict=True):
            if item not in attempt:
                continue
            score, max_score = attempt[item]
            scores.append(score)
            fractions.append(score / max_score)
            rests.append(total - score)
        result.append(_item_row(item, scores, fractions, rests, min_responses))
    return result


def quiz_statistics(attempts: Sequence[ItemScores]) -> QuizStats:
    """Mean, median, SD, skewness, kurtosis, alpha, error ratio and standard error."""
    usable = _usable(attempts)
    percents = [100.0 * _total(attempt) / _total_max(attempt) for attempt in usable]
    count = len(percents)
    mean = math.fsum(percents) / count if count else None
    median = statistics.median(percents) if count else None
    variance = _variance(percents)
    sd = math.sqrt(variance) if variance is not None else None
    skewness, kurtosis = _shape(percents)
    common = _common_items(usable)
    alpha = _alpha(usable, common)
    error_ratio = 100.0 * math.sqrt(max(0.0, 1.0 - alpha)) if alpha is not None else None
    standard_error = (
        error_ratio * sd / 100.0 if error_ratio is not None and sd is not None else None
    )
    return QuizStats(
        attempts=count,
        mean=mean,
        median=median,
        sd=sd,
        skewness=skewness,
        kurtosis=kurtosis,
        alpha=alpha,
        alpha_items=len(common) if alpha is not None else 0,
        error_ratio=error_ratio,
        standard_error=standard_error,
    )


def cronbach_alpha(attempts: Sequence[ItemScores]) -> float | None:
    """Cronbach's alpha over the items every attempt saw; ``None`` below 2 such items.

    alpha = k / (k - 1) × (1 - Σ var(item) / var(total)), sample variances of raw scores,
    the total being the sum over those k items only so that it is the same test for everyone.
    """
    usable = _usable(attempts)
    return _alpha(usable, _common_items(usable))


def analyse(attempts: Sequence[ItemScores], min_responses: int = MIN_RESPONSES) -> ItemAnalysis:
    """Whole-test and per-item statistics in one go."""
    return ItemAnalysis(
        quiz_statistics(attempts), tuple(item_statistics(attempts, min_responses))
    )


# --- internals ---------------------------------------------------------------------------


def _usable(attempts: Iterable[ItemScores]) -> list[dict[Hashable, tuple[float, float]]]:
    result = []
    for attempt in attempts:
        kept = {}
        for item, (score, max_score) in attempt.items():
            score, max_score = float(score), float(max_score)
            if math.isfinite(score) and math.isfinite(max_score) and max_score > 0:
                kept[item] = (score, max_score)
        if kept:
            result.append(kept)
    return result


def _item_order(attempts: Iterable[Mapping[Hashable, object]]) -> list[Hashable]:
    # dict keeps first-appearance order and never compares ids (they may mix types).
    seen: dict[Hashable, None] = {}
    for attempt in attempts:
        for item in attempt:
            seen.setdefault(item, None)
    return list(seen)


def _common_items(attempts: Sequence[Mapping[Hashable, object]]) -> list[Hashable]:
    if not attempts:
        return []
    return [item for item in _item_order(attempts) if all(item in a for a in attempts)]


def _total(attempt: Mapping[Hashable, tuple[float, float]]) -> float:
    return math.fsum(score for score, _ in attempt.values())


def _total_max(attempt: Mapping[Hashable, tuple[float, float]]) -> float:
    return math.fsum(max_score for _, max_score in attempt.values())


def _constant(values: Sequence[float]) -> bool:
    high, low = max(values), min(values)
    return high - low <= _REL_TOL * max(1.0, abs(high), abs(low))


def _variance(values: Sequence[float]) -> float | None:
    """Sample variance (n - 1); exactly 0.0 for (near-)constant data, ``None`` below 2 values."""
    if len(values) < 2:
        return None
    if _constant(values):
        return 0.0
    mean = math.fsum(values) / len(values)
    return math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1)


def _covariance(xs: Sequence[float], ys: Sequence[float]) -> float:
    mean_x = math.fsum(xs) / len(xs)
    mean_y = math.fsum(ys) / len(ys)
    return math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / (
        len(xs) - 1
    )


def _item_row(
    item: Hashable,
    scores: list[float],
    fractions: list[float],
    rests: list[float],
    min_responses: int,
) -> ItemStats:
    n = len(scores)
    facility = 100.0 * math.fsum(fractions) / n
    fraction_variance = _variance(fractions)
    sd = 100.0 * math.sqrt(fraction_variance) if fraction_variance is not None else None
    discrimination = efficiency = None
    # Both sides must vary: otherwise r is 0/0 and so is cov / cov_max.
    if n >= 2 and not _constant(scores) and not _constant(rests):
        covariance = _covariance(scores, rests)
        discrimination = _clamp(
            100.0 * covariance / math.sqrt(_variance(scores) * _variance(rests))
        )
        # Pairing both sorted lists gives the largest covariance these marginals allow
        # (rearrangement inequality); it is > 0 whenever both sides vary.
        covariance_max = _covariance(sorted(scores), sorted(rests))
        efficiency = _clamp(100.0 * covariance / covariance_max)
    enough = n >= min_responses
    flags = _flags(facility, discrimination) if enough else ()
    return ItemStats(item, n, facility, sd, discrimination, efficiency, enough, flags)


def _clamp(percent: float) -> float:
    # Rounding can push a perfect correlation to 100.00000000000001; keep it in range.
    return max(-100.0, min(100.0, percent))


def _flags(facility: float, discrimination: float | None) -> tuple[str, ...]:
    flags = []
    if facility < LOW_FACILITY:
        flags.append("low facility")
    if facility > VERY_EASY:
        flags.append("very easy")
    if discrimination is not None:
        if discrimination < 0:
            flags.append("negative discrimination")
        elif discrimination < LOW_DISCRIMINATION:
            flags.append("low discrimination")
    return tuple(flags)


def _shape(values: Sequence[float]) -> tuple[float | None, float | None]:
    """Moodle's skewness (needs n > 2) and kurtosis (needs n > 3) from k-statistics."""
    s = len(values)
    if s < 3 or _constant(values):
        return None, None
    mean = math.fsum(values) / s
    m2 = math.fsum((v - mean) ** 2 for v in values) / s
    m3 = math.fsum((v - mean) ** 3 for v in values) / s
    m4 = math.fsum((v - mean) ** 4 for v in values) / s
    k2 = s * m2 / (s - 1)
    k3 = s * s * m3 / ((s - 1) * (s - 2))
    skewness = k3 / k2**1.5
    if s < 4:
        return skewness, None
    k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
    return skewness, k4 / (k2 * k2)


def _alpha(
    attempts: Sequence[Mapping[Hashable, tuple[float, float]]], items: Sequence[Hashable]
) -> float | None:
    k = len(items)
    if k < 2 or len(attempts) < 2:
        return None
    totals = [math.fsum(attempt[item][0] for item in items) for attempt in attempts]
    total_variance = _variance(totals)
    if not total_variance:
        return None
    item_variance = math.fsum(_variance([a[item][0] for a in attempts]) or 0.0 for item in items)
    return k / (k - 1) * (1.0 - item_variance / total_variance)
