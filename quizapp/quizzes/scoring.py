"""Scoring: pure functions in a registry by question kind. Only the standard library here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..bank.kinds import JUDGEMENT_SCALE, REVERSED, QuestionKind


@dataclass(frozen=True)
class ItemScore:
    score: float
    max_score: float

    @property
    def is_correct(self) -> bool:
        return self.max_score > 0 and abs(self.score - self.max_score) < 1e-9


@dataclass(frozen=True)
class ScoringInput:
    """One shown item as plain values: what the scorer needs and nothing else."""

    code: str
    kind: QuestionKind
    key: tuple[str, ...]
    option_ids: tuple[str, ...]
    response: tuple[str, ...] | None
    weight: float = 1.0


@dataclass(frozen=True)
class CodeScore:
    score: float
    max_score: float
    items: int

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 0.0


@dataclass(frozen=True)
class AttemptScore:
    items: tuple[ItemScore, ...]
    by_code: dict[str, CodeScore] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return sum(s.score for s in self.items)

    @property
    def max_score(self) -> float:
        return sum(s.max_score for s in self.items)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 0.0


Scorer = Callable[[Sequence[str], Sequence[str] | None, Sequence[str], float], ItemScore]


def score_single_choice(
    key: Sequence[str], response: Sequence[str] | None, option_ids: Sequence[str],
    weight: float = 1.0,
) -> ItemScore:
    """Full marks for exactly the one key option; anything else (or no answer) scores 0."""
    chosen = set(response or ())
    return ItemScore(weight if chosen == set(key) and len(chosen) == 1 else 0.0, weight)


def score_multiple_choice(
    key: Sequence[str], response: Sequence[str] | None, option_ids: Sequence[str],
    weight: float = 1.0,
) -> ItemScore:
    """+1/k per key option chosen, −1/k per wrong option chosen (k = key size), floor 0."""
    keys = set(key)
    if not keys:
        return ItemScore(0.0, weight)
    chosen = set(response or ()) & set(option_ids)  # unknown ids earn and cost nothing
    raw = (len(chosen & keys) - len(chosen - keys)) / len(keys)
    return ItemScore(round(weight * max(0.0, raw), 6), weight)


def score_likert(
    key: Sequence[str], response: Sequence[str] | None, option_ids: Sequence[str],
    weight: float = 1.0,
) -> ItemScore:
    """A self-rating is neither right nor wrong: it adds nothing to a score."""
    return ItemScore(0.0, 0.0)


def parse_pairs(entries: Sequence[str] | None) -> dict[str, str]:
    """Read "option=value" answers; malformed entries and repeats of an option are ignored."""
    pairs: dict[str, str] = {}
    for entry in entries or ():
        left, sep, right = entry.partition("=")
        if sep and left and right and left not in pairs:
            pairs[left] = right
    return pairs


def score_matching(
    key: Sequence[str], response: Sequence[str] | None, option_ids: Sequence[str],
    weight: float = 1.0,
) -> ItemScore:
    """The share of options paired with their own match."""
    wanted, given = parse_pairs(key), parse_pairs(response)
    if not wanted:
        return ItemScore(0.0, weight)
    right = sum(1 for left, match in wanted.items() if given.get(left) == match)
    return ItemScore(round(weight * right / len(wanted), 6), weight)


def score_ordering(
    key: Sequence[str], response: Sequence[str] | None, option_ids: Sequence[str],
    weight: float = 1.0,
) -> ItemScore:
    """The share of pairs of options put in the right relative order (Kendall's concordance);
    an option left without a position breaks every pair it is in."""
    wanted = {k: int(v) for k, v in parse_pairs(key).items() if v.isdigit()}
    given = {k: int(v) for k, v in parse_pairs(response).items() if v.isdigit()}
    steps = sorted(wanted, key=wanted.__getitem__)
    if len(steps) < 2:
        return ItemScore(weight if steps and steps[0] in given else 0.0, weight)
    pairs = [(a, b) for i, a in enumerate(steps) for b in steps[i + 1:]]
    right = sum(1 for a, b in pairs if a in given and b in given and given[a] < given[b])
    return ItemScore(round(weight * right / len(pairs), 6), weight)


def score_judgement(
    key: Sequence[str], response: Sequence[str] | None, option_ids: Sequence[str],
    weight: float = 1.0,
) -> ItemScore:
    """Closeness of the cadre's effectiveness ratings to the key ratings: 1 minus the mean
    distance over the scale's span; an unrated option counts as the largest distance."""
    span = max(JUDGEMENT_SCALE) - min(JUDGEMENT_SCALE)
    wanted = {k: int(v) for k, v in parse_pairs(key).items() if v.isdigit()}
    given = {k: int(v) for k, v in parse_pairs(response).items()
             if v.isdigit() and int(v) in JUDGEMENT_SCALE}
    if not wanted:
        return ItemScore(0.0, weight)
    distance = sum(abs(given[k] - v) if k in given else span for k, v in wanted.items())
    return ItemScore(round(weight * (1 - distance / (span * len(wanted))), 6), weight)


SCORERS: dict[QuestionKind, Scorer] = {
    QuestionKind.SINGLE: score_single_choice,
    QuestionKind.TRUE_FALSE: score_single_choice,
    QuestionKind.MULTIPLE: score_multiple_choice,
    QuestionKind.LIKERT: score_likert,
    QuestionKind.MATCHING: score_matching,
    QuestionKind.ORDERING: score_ordering,
    QuestionKind.JUDGEMENT: score_judgement,
}


def score_item(item: ScoringInput) -> ItemScore:
    return SCORERS[item.kind](item.key, item.response, item.option_ids, item.weight)


def totals_by_code(scored: Sequence[tuple[str, ItemScore]]) -> dict[str, CodeScore]:
    """Add up (code, item score) pairs into a subscore per code, in first-seen order."""
    totals: dict[str, list[float]] = {}
    for code, result in scored:
        entry = totals.setdefault(code, [0.0, 0.0, 0])
        entry[0] += result.score
        entry[1] += result.max_score
        entry[2] += 1
    return {code: CodeScore(round(s, 6), m, int(n)) for code, (s, m, n) in totals.items()}


def score_attempt(items: Sequence[ScoringInput]) -> AttemptScore:
    """Score every item and add up the total and a subscore per code."""
    scores = tuple(score_item(item) for item in items)
    by_code = totals_by_code([(item.code, s) for item, s in zip(items, scores, strict=True)])
    return AttemptScore(scores, by_code)


def mean_self_rating(answers: Sequence[tuple[Sequence[str] | None, Sequence[str]]]
                     ) -> float | None:
    """The mean of the 1–5 ratings given, each (response, key); a reverse-worded statement
    (key "reversed") counts 6 minus its rating, and "not met yet" is left out. None when
    nothing was rated."""
    points = [6 - int(r[0]) if REVERSED in key else int(r[0]) for r, key in answers
              if r and len(r) == 1 and r[0].isdigit()]
    return round(sum(points) / len(points), 3) if points else None
