"""The rules of a challenge run (pure): which items fit, the rising difficulty, the timer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.challenge.rules import (
    Candidate,
    Timing,
    choose_next,
    fits_challenge,
    run_rng,
    tier_for,
)
from quizapp.kinds import REGISTRY

T0 = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)


def test_only_automatically_scored_choice_kinds_fit():
    fitting = {name for name, kind in REGISTRY.items() if fits_challenge(kind)}
    assert fitting == {"single", "multiple", "true_false"}


@pytest.mark.parametrize(("position", "tier"), [(1, 1), (5, 1), (6, 2), (12, 2), (13, 3), (40, 3)])
def test_difficulty_rises_with_the_position(position, tier):
    assert tier_for(position) == tier


def test_the_next_item_is_new_to_the_run_and_as_near_the_tier_as_there_is():
    pool = [Candidate("easy", 1), Candidate("mid", 2), Candidate("hard", 3)]
    assert choose_next(pool, set(), 1, run_rng(1, 1)) == "easy"
    assert choose_next(pool, {"easy"}, 2, run_rng(1, 2)) == "mid"  # nearest, harder first
    assert choose_next(pool, {"easy", "mid"}, 3, run_rng(1, 3)) == "hard"
    assert choose_next(pool, {"easy", "mid", "hard"}, 4, run_rng(1, 4)) is None


def test_the_same_run_draws_the_same_way():
    pool = [Candidate(f"A1-{n:03d}", 1) for n in range(20)]
    first = [choose_next(pool, set(), 1, run_rng(seed, 1)) for seed in range(30)]
    again = [choose_next(pool, set(), 1, run_rng(seed, 1)) for seed in range(30)]
    assert first == again
    assert len(set(first)) > 5  # and different runs draw differently


def test_the_timer_and_its_short_grace():
    timing = Timing(item_seconds=20, grace_seconds=3)
    deadline = timing.deadline(T0)
    assert deadline == T0 + timedelta(seconds=20)
    assert not timing.has_run_out(deadline, T0 + timedelta(seconds=23))
    assert timing.has_run_out(deadline, T0 + timedelta(seconds=23, milliseconds=1))
    assert timing.has_run_out(None, T0)  # no deadline: nothing is being timed
