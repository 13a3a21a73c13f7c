"""Bands people can read and flags the evidence supports (pure)."""

from quizapp.abilities.bands import MIN_ANSWERS_TO_FLAG, Reason, band_of, reasons_for
from quizapp.measure.estimate import Ability


def test_a_band_is_the_estimate_and_its_95_percent_range_on_the_0_to_100_scale():
    band = band_of(Ability(0.6, 0.35, 20))
    # 50 + 15 × 0.6 = 59; 1.96 × 0.35 × 15 = 10.3 points either side.
    assert (band.points, band.low, band.high) == (59, 49, 69)
    assert band.position == "around" and not band.is_wide
    assert band_of(Ability(1.5, 0.3, 40)).position == "above"
    assert band_of(Ability(-1.5, 0.3, 40)).position == "below"
    assert band_of(Ability(-1.5, 0.9, 2)).is_wide


def test_only_a_band_wholly_below_the_line_or_a_fall_beyond_the_noise_is_flagged():
    line = {"A1": 0.0, "A2": 0.0}
    thin = {"A1": Ability(-0.8, 0.7, 3)}       # low, but the band reaches above the line
    clear = {"A1": Ability(-0.9, 0.3, 40)}     # band −1.49 … −0.31: wholly below
    assert reasons_for(thin, line, {}, 0) == []
    assert reasons_for(clear, line, {}, 0) == [Reason("below", "A1")]
    noisy = {"A2": (Ability(0.5, 0.5, 5), Ability(-0.3, 0.5, 5))}   # fall 0.8 < 1.96 × 0.71
    real = {"A2": (Ability(0.8, 0.2, 40), Ability(-0.2, 0.25, 30))}  # fall 1.0 > 0.63
    assert reasons_for({}, line, noisy, 0) == []
    assert reasons_for({}, line, real, 2) == [Reason("falling", "A2"),
                                             Reason("overdue", count=2)]


def test_no_flag_rests_on_fewer_than_the_minimum_of_answers():
    line = {"A1": 0.0}
    # three wrong answers in one short quiz: a band wholly below the line, yet too few answers
    few = {"A1": Ability(-2.0, 0.8, MIN_ANSWERS_TO_FLAG - 1)}
    enough = {"A1": Ability(-2.0, 0.8, MIN_ANSWERS_TO_FLAG)}
    assert reasons_for(few, line, {}, 0) == []
    assert reasons_for(enough, line, {}, 0) == [Reason("below", "A1")]
    short_before = {"A1": (Ability(1.0, 0.2, MIN_ANSWERS_TO_FLAG - 1), Ability(-1.0, 0.2, 40))}
    assert reasons_for({}, line, short_before, 0) == []
