"""Adaptive item selection (the quick diagnostic), one step at a time.

The attempt engine keeps the answers; each step it calls `next_item(pool, answered, rules,
rng)` and shows the item it names, or ends the attempt when the step says why it stopped. State
in, decision out: nothing here is stored between calls, so autosave and resume need nothing new.

Selection, in order:
1. Content balancing: the code furthest below its target share of the items shown so far
   (equal shares over the pool's codes by default; ties broken at random). In the long mode
   only codes whose own ability is not yet measured closely enough take part, fewest items first.
2. Information: among that code's unseen items, the most informative at the current estimate
   (PCM information = variance of the category score at θ̂).
3. Exposure control (randomesque, Kingsbury & Zara 1989): a uniform draw among the top k
   (5 by default), with the caller's seeded rng. Every cadre starts at the same estimate, so
   without it the first items would be the same for everyone and quickly known.

Stopping: quick mode, one ability over all items, stops when its SE ≤ 0.4 or after 20 items;
long mode, an ability per code A1–A5, stops when every one has SE ≤ 0.6 or after 40 items.
Both stop early when no eligible item is left.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .estimate import DEFAULT_PRIOR, Ability, Prior, eap
from .model import ItemParams, ItemTable

OVERALL = "overall"
ABILITY_CODES: tuple[str, ...] = ("A1", "A2", "A3", "A4", "A5")


@dataclass(frozen=True)
class Candidate:
    key: Hashable
    code: str
    params: ItemParams


@dataclass(frozen=True)
class Answered:
    key: Hashable
    code: str
    params: ItemParams
    category: int


@dataclass(frozen=True)
class CatRules:
    """How a diagnostic selects and when it stops.

    min_items keeps the quick mode from ending before every ability has been touched once: a
    few very informative items can reach SE 0.4 before a code has been asked at all."""

    se_target: float = 0.4
    max_items: int = 20
    min_items: int = 5
    per_code: bool = False
    codes: tuple[str, ...] = ()        # per_code: the codes to measure; empty = all in the pool
    top_k: int = 5
    targets: Mapping[str, float] = field(default_factory=dict)   # share per code; empty = equal
    prior: Prior = DEFAULT_PRIOR


QUICK = CatRules()
LONG = CatRules(se_target=0.6, max_items=40, min_items=0, per_code=True, codes=ABILITY_CODES)


class Pool:
    """The candidate items as arrays, built once per bank version and reused every step."""

    def __init__(self, candidates: Sequence[Candidate]) -> None:
        if not candidates:
            raise ValueError("the pool is empty")
        self.candidates = tuple(candidates)
        self.keys = [c.key for c in self.candidates]
        if len(set(self.keys)) != len(self.keys):
            raise ValueError("item keys in a pool must be unique")
        self.row = {key: i for i, key in enumerate(self.keys)}
        self.codes = np.array([c.code for c in self.candidates])
        self.code_names: tuple[str, ...] = tuple(dict.fromkeys(c.code for c in self.candidates))
        self.table = ItemTable.from_params([c.params for c in self.candidates])

    def __len__(self) -> int:
        return len(self.candidates)

    def answered(self, key: Hashable, category: int) -> Answered:
        item = self.candidates[self.row[key]]
        return Answered(item.key, item.code, item.params, category)


@dataclass(frozen=True)
class Step:
    next_key: Hashable | None      # the item to show, or None when the diagnostic is over
    stop: str | None               # "se", "max_items" or "exhausted" when over
    estimates: dict[str, Ability]  # OVERALL in quick mode, one per code in long mode


def estimates(answered: Sequence[Answered], rules: CatRules) -> dict[str, Ability]:
    """Current EAP estimates: one over all answers, or one per code of the rules."""
    if not rules.per_code:
        return {OVERALL: eap(((a.params, a.category) for a in answered), rules.prior)}
    codes = rules.codes or tuple(dict.fromkeys(a.code for a in answered))
    return {code: eap(((a.params, a.category) for a in answered if a.code == code), rules.prior)
            for code in codes}


def _done(ability: Ability, rules: CatRules) -> bool:
    return ability.se <= rules.se_target


def stop_reason(answered: Sequence[Answered], rules: CatRules,
                current: Mapping[str, Ability] | None = None) -> str | None:
    """Why the diagnostic should stop now ("se" or "max_items"), or None to go on."""
    if len(answered) >= rules.max_items:
        return "max_items"
    if len(answered) < rules.min_items:
        return None
    current = estimates(answered, rules) if current is None else current
    if current and all(_done(ability, rules) for ability in current.values()):
        return "se"
    return None


def next_item(pool: Pool, answered: Sequence[Answered], rules: CatRules,
              rng: np.random.Generator, exclude: Sequence[Hashable] = ()) -> Step:
    """The next item to show, or why to stop. `exclude` names items shown but not answered
    (they are not offered again) or withheld by the caller."""
    current = estimates(answered, rules)
    if rules.per_code and not rules.codes:
        # Measure every code the pool holds, including those not yet asked.
        current = {code: current.get(code, eap((), rules.prior)) for code in pool.code_names}
    reason = stop_reason(answered, rules, current)
    if reason:
        return Step(None, reason, current)
    seen = {a.key for a in answered} | set(exclude)
    open_rows = np.array([key not in seen for key in pool.keys])
    code = _choose_code(pool, answered, rules, current, open_rows, rng)
    if code is None:
        return Step(None, "exhausted", current)
    theta = current[OVERALL if not rules.per_code else code].theta
    rows = np.flatnonzero(open_rows & (pool.codes == code))
    info = pool.table.information([theta])[rows, 0]
    # Randomesque: the top k by information, then a uniform draw among them.
    k = max(1, min(rules.top_k, rows.size))
    top = rows[np.argsort(-info, kind="stable")[:k]]
    return Step(pool.keys[int(rng.choice(top))], None, current)


def _choose_code(pool: Pool, answered: Sequence[Answered], rules: CatRules,
                 current: Mapping[str, Ability], open_rows: np.ndarray,
                 rng: np.random.Generator) -> str | None:
    shown = Counter(a.code for a in answered)
    available = {code for code in pool.code_names if (open_rows & (pool.codes == code)).any()}
    if rules.per_code:
        # Long mode: only codes still measured too loosely; fewest items first, then widest SE.
        eligible = [c for c in current if c in available and not _done(current[c], rules)]
        if not eligible:
            return None
        def order(c: str) -> tuple[int, float]:
            return (shown[c], -current[c].se)
        best = min(order(c) for c in eligible)
        tied = [c for c in eligible if order(c) == best]
    else:
        names = [c for c in pool.code_names if c in available]
        if not names:
            return None
        targets = _targets(rules, pool.code_names)
        total = len(answered) + 1
        # How far each code falls short of its share once this item is shown.
        deficit = {c: targets.get(c, 0.0) * total - shown[c] for c in names}
        top = max(deficit.values())
        tied = [c for c in names if deficit[c] >= top - 1e-9]
    return tied[int(rng.integers(len(tied)))] if len(tied) > 1 else tied[0]


def _targets(rules: CatRules, codes: Sequence[str]) -> dict[str, float]:
    if rules.targets:
        total = sum(rules.targets.values())
        return {c: share / total for c, share in rules.targets.items()}
    return {c: 1.0 / len(codes) for c in codes}
