"""Item analysis checked against arithmetic done by hand (no app, no database).

WORKED EXAMPLE — 5 attempts × 3 dichotomous items (each worth 1 mark, test max 3)

    attempt  Q1  Q2  Q3  total  total %
    A1        1   1   1    3    100.000
    A2        1   1   0    2     66.667
    A3        1   0   1    2     66.667
    A4        0   1   0    1     33.333
    A5        0   0   0    0      0.000

Facility = mean score / max:  Q1 3/5 = 60 %,  Q2 3/5 = 60 %,  Q3 2/5 = 40 %.

SD (sample, n - 1) of the score fraction. Q1: deviations from 0.6 are .4 .4 .4 -.6 -.6,
squares .16×3 + .36×2 = 1.2, variance 1.2 / 4 = 0.3, SD = √0.3 = 0.547723 → 54.772 %.
Q2 and Q3 (p = .6 and .4) have the same sum of squares, so also 54.772 %.

Discrimination = Pearson r(item, rest of test), rest = total − item, over the 5 attempts.
  Q1: item 1 1 1 0 0 (mean .6), rest 2 1 1 1 0 (mean 1).
      Σ dx·dy = .4·1 + .4·0 + .4·0 + (−.6)·0 + (−.6)(−1) = 1.0 → cov = 1.0/4 = 0.25
      var(rest) = (1 + 0 + 0 + 0 + 1)/4 = 0.5
      r = 0.25 / √(0.3 × 0.5) = 0.25 / 0.387298 = 0.645497 → 64.550 %
  Q2: item 1 1 0 1 0, rest 2 1 2 0 0 (mean 1), devs of rest 1 0 1 −1 −1.
      Σ dx·dy = .4 + 0 − .6 − .4 + .6 = 0 → r = 0.000 %
  Q3: item 1 0 1 0 0 (mean .4), rest 2 2 1 1 0 (mean 1.2).
      Σ dx·dy = .6·.8 − .4·.8 + .6(−.2) − .4(−.2) − .4(−1.2) = .48 − .32 − .12 + .08 + .48 = .6
      cov = .15, var(rest) = (.64 + .64 + .04 + .04 + 1.44)/4 = 0.7
      r = 0.15 / √(0.3 × 0.7) = 0.15 / 0.458258 = 0.327327 → 32.733 %

Discriminative efficiency = cov / cov_max, cov_max from both columns sorted ascending.
  Q1: sorted item 0 0 1 1 1, sorted rest 0 1 1 1 2: Σ = (−.6)(−1) + 0 + 0 + 0 + .4·1 = 1.0,
      cov_max = .25 → 0.25 / 0.25 = 100.000 %
  Q2: cov = 0 → 0.000 %
  Q3: sorted item 0 0 0 1 1, sorted rest 0 1 1 2 2 (devs −1.2 −.2 −.2 .8 .8):
      Σ = .48 + .08 + .08 + .48 + .48 = 1.6, cov_max = .4 → 0.15 / 0.4 = 37.500 %

Totals 3 2 2 1 0: mean 1.6, Σ dev² = 1.96 + .16 + .16 + .36 + 2.56 = 5.2, var = 5.2/4 = 1.3.
  Mean % = 1.6/3 = 53.333 %, median % = 2/3 = 66.667 %,
  SD % = √1.3 / 3 × 100 = 1.140175 / 3 × 100 = 38.006 %.

Cronbach's alpha (k = 3): Σ var(item) = 0.3 × 3 = 0.9
  alpha = 3/2 × (1 − 0.9/1.3) = 1.5 × 0.307692 = 0.461538
  KR-20 with population variances gives the same: Σ p·q = 3 × .24 = .72, σ² = 5.2/5 = 1.04,
  1.5 × (1 − .72/1.04) = 0.461538.
Error ratio = √(1 − 0.461538) = √0.538462 = 0.733799 → 73.380 %
Standard error = 73.380 % × 38.006 % = 27.889 % (percentage points of the total score).

Skewness (Moodle's k-statistics, s = 5): m2 = 5.2/5 = 1.04, m3 = (2.744 + .064 + .064 − .216
  − 4.096)/5 = −.288, k2 = 1.3, k3 = 25/(4·3) × −.288 = −0.6, skew = −0.6 / 1.3^1.5 = −0.405.
Kurtosis: m4 = (3.8416 + .0256 + .0256 + .1296 + 6.5536)/5 = 2.1152,
  k4 = 25 × (6 × 2.1152 − 3 × 4 × 1.04²) / (4·3·2) = 25 × (−.288)/24 = −0.3,
  kurtosis = −0.3 / 1.3² = −0.178.
"""

import math
import statistics

import pytest

from quizapp.reports.item_analysis import (
    MIN_RESPONSES,
    analyse,
    cronbach_alpha,
    item_statistics,
    quiz_statistics,
)


def close(expected):
    """Three-decimal agreement, as asked of the worked example."""
    return pytest.approx(expected, abs=5e-4)


def dichotomous(rows, names=("Q1", "Q2", "Q3")):
    return [
        {name: (float(mark), 1.0) for name, mark in zip(names, row, strict=True)} for row in rows
    ]


WORKED = dichotomous([(1, 1, 1), (1, 1, 0), (1, 0, 1), (0, 1, 0), (0, 0, 0)])


def by_id(items):
    return {item.item_id: item for item in items}


# --- the worked example -------------------------------------------------------------------


def test_worked_example_items():
    items = by_id(item_statistics(WORKED))
    assert list(items) == ["Q1", "Q2", "Q3"]
    expected = {  # facility, SD, discrimination, efficiency — all from the module docstring
        "Q1": (60.0, 54.772, 64.550, 100.0),
        "Q2": (60.0, 54.772, 0.0, 0.0),
        "Q3": (40.0, 54.772, 32.733, 37.5),
    }
    for name, (facility, sd, discrimination, efficiency) in expected.items():
        item = items[name]
        assert item.n == 5
        assert item.facility == close(facility)
        assert item.sd == close(sd)
        assert item.discrimination_index == close(discrimination)
        assert item.discriminative_efficiency == close(efficiency)
        # 5 responses is far below the minimum, so nothing is flagged yet.
        assert not item.enough_responses
        assert item.flags == ()


def test_worked_example_whole_test():
    quiz = quiz_statistics(WORKED)
    assert quiz.attempts == 5
    assert quiz.mean == close(53.333)
    assert quiz.median == close(66.667)
    assert quiz.sd == close(38.006)
    assert quiz.skewness == close(-0.405)
    assert quiz.kurtosis == close(-0.178)
    assert quiz.alpha == close(0.462)
    assert quiz.alpha == close(6 / 13)  # 1.5 × 0.4/1.3, exactly
    assert quiz.alpha_items == 3
    assert quiz.error_ratio == close(73.380)
    assert quiz.standard_error == close(27.889)
    assert cronbach_alpha(WORKED) == quiz.alpha


def test_small_samples_skip_the_higher_moments():
    two = dichotomous([(1, 0, 0), (1, 1, 0)])
    assert quiz_statistics(two).skewness is None
    three = dichotomous([(1, 0, 0), (1, 1, 0), (1, 1, 1)])
    stats = quiz_statistics(three)
    assert stats.skewness is not None
    assert stats.kurtosis is None


def test_alpha_equals_kr20_for_zero_one_items():
    # KR-20 uses p·q (population variances) and σ² over n; the n/(n-1) factors cancel.
    n = len(WORKED)
    p = [sum(a[q][0] for a in WORKED) / n for q in ("Q1", "Q2", "Q3")]
    totals = [sum(score for score, _ in a.values()) for a in WORKED]
    kr20 = 3 / 2 * (1 - sum(x * (1 - x) for x in p) / statistics.pvariance(totals))
    assert cronbach_alpha(WORKED) == pytest.approx(kr20)


def test_analyse_bundles_both_reports():
    report = analyse(WORKED)
    assert report.quiz == quiz_statistics(WORKED)
    assert report.items == tuple(item_statistics(WORKED))


# --- partial credit -----------------------------------------------------------------------

# essay out of 2, mc out of 1, fill-in out of 1 with half marks.
PARTIAL = [
    {"essay": (2.0, 2.0), "mc": (1.0, 1.0), "fill": (1.0, 1.0)},  # total 4   → 100 %
    {"essay": (1.0, 2.0), "mc": (1.0, 1.0), "fill": (0.5, 1.0)},  # total 2.5 → 62.5 %
    {"essay": (1.0, 2.0), "mc": (0.0, 1.0), "fill": (0.5, 1.0)},  # total 1.5 → 37.5 %
    {"essay": (0.0, 2.0), "mc": (0.0, 1.0), "fill": (0.0, 1.0)},  # total 0   → 0 %
]


def test_partial_credit_facility_and_sd_use_the_fraction_of_the_max():
    essay = by_id(item_statistics(PARTIAL))["essay"]
    # Fractions 1, .5, .5, 0 → mean .5; deviations ±.5 twice → var = .5/3, SD = √(1/6).
    assert essay.facility == close(50.0)
    assert essay.sd == close(100 * math.sqrt(1 / 6))  # 40.825 %


def test_partial_credit_discrimination_matches_pearson_on_raw_marks():
    essay = by_id(item_statistics(PARTIAL))["essay"]
    marks = [a["essay"][0] for a in PARTIAL]
    rest = [a["mc"][0] + a["fill"][0] for a in PARTIAL]  # 2, 1.5, .5, 0
    assert essay.discrimination_index == pytest.approx(100 * statistics.correlation(marks, rest))
    # Items rank attempts exactly like the rest of the test does, so efficiency is 100 %.
    assert essay.discriminative_efficiency == pytest.approx(100.0)


def test_partial_credit_alpha_by_hand():
    # Raw-mark variances: essay (2,1,1,0) 2/3, mc (1,1,0,0) 1/3, fill (1,.5,.5,0) 1/6 → 7/6.
    # Totals 4, 2.5, 1.5, 0: mean 2, Σ dev² = 4 + .25 + .25 + 4 = 8.5 → var 17/6.
    # alpha = 3/2 × (1 − 7/17) = 15/17.
    quiz = quiz_statistics(PARTIAL)
    assert quiz.alpha == pytest.approx(15 / 17)
    assert quiz.mean == pytest.approx(50.0)
    assert quiz.median == pytest.approx(50.0)
    assert quiz.error_ratio == pytest.approx(100 * math.sqrt(2 / 17))


def test_rescaling_an_item_leaves_its_facility_and_sd_alone():
    doubled = [{**a, "mc": (2 * a["mc"][0], 2.0)} for a in PARTIAL]
    before, after = by_id(item_statistics(PARTIAL))["mc"], by_id(item_statistics(doubled))["mc"]
    assert after.facility == pytest.approx(before.facility)
    assert after.sd == pytest.approx(before.sd)


# --- random draw --------------------------------------------------------------------------

# A and B are in every attempt; C and D are drawn at random for the third slot.
DRAWN = [
    {"A": (1.0, 1.0), "B": (1.0, 1.0), "C": (1.0, 1.0)},
    {"A": (1.0, 1.0), "B": (0.0, 1.0), "D": (1.0, 2.0)},
    {"A": (0.0, 1.0), "B": (1.0, 1.0), "C": (0.0, 1.0)},
    {"A": (1.0, 1.0), "B": (1.0, 1.0), "D": (2.0, 2.0)},
    {"A": (0.0, 1.0), "B": (0.0, 1.0), "C": (1.0, 1.0)},
    {"A": (0.0, 1.0), "B": (0.0, 1.0), "D": (0.0, 2.0)},
]


def test_random_draw_counts_only_the_attempts_that_saw_the_item():
    items = by_id(item_statistics(DRAWN))
    assert {name: item.n for name, item in items.items()} == {"A": 6, "B": 6, "C": 3, "D": 3}
    assert items["C"].facility == pytest.approx(100 * 2 / 3)
    assert items["D"].facility == pytest.approx(50.0)  # (.5 + 1 + 0) / 3
    seen = [a for a in DRAWN if "C" in a]
    marks = [a["C"][0] for a in seen]
    rest = [sum(s for s, _ in a.values()) - a["C"][0] for a in seen]  # 2, 1, 0
    assert items["C"].discrimination_index == pytest.approx(
        100 * statistics.correlation(marks, rest)
    )


def test_random_draw_alpha_uses_only_the_items_everyone_saw():
    quiz = quiz_statistics(DRAWN)
    assert quiz.alpha_items == 2
    common_only = [{k: a[k] for k in ("A", "B")} for a in DRAWN]
    assert quiz.alpha == pytest.approx(cronbach_alpha(common_only))
    # By hand: A and B are each 1 on 3 of 6 → var .3 each; totals 2,1,1,2,0,0 → var 0.8.
    assert quiz.alpha == pytest.approx(2 * (1 - 0.6 / 0.8))  # 0.5


def test_random_draw_total_percent_uses_each_attempts_own_maximum():
    quiz = quiz_statistics(DRAWN)
    # Per attempt: 3/3, 2/4, 1/3, 4/4, 1/3, 0/4.
    percents = [100.0, 50.0, 100 / 3, 100.0, 100 / 3, 0.0]
    assert quiz.mean == pytest.approx(statistics.fmean(percents))
    assert quiz.median == pytest.approx(statistics.median(percents))
    assert quiz.sd == pytest.approx(statistics.stdev(percents))


def test_alpha_is_none_with_fewer_than_two_common_items():
    only_a_shared = [
        {"A": (1.0, 1.0), "C": (1.0, 1.0)},
        {"A": (0.0, 1.0), "D": (1.0, 1.0)},
        {"A": (1.0, 1.0), "C": (0.0, 1.0)},
    ]
    quiz = quiz_statistics(only_a_shared)
    assert quiz.alpha is None
    assert quiz.alpha_items == 0
    assert quiz.error_ratio is None
    assert quiz.standard_error is None
    assert quiz.sd is not None  # the rest of the test report is still there


# --- flags and the minimum-responses rule -------------------------------------------------


def cohort(size):
    """Attempt i has ability i; items are keyed to ability thresholds."""
    return [
        {
            "a": (float(i >= 10), 1.0),
            "b": (float(i >= 15), 1.0),
            "c": (float(i >= 20), 1.0),
            "hard": (float(i >= 27), 1.0),  # 3/30 right → 10 %
            "easy": (float(i >= 2), 1.0),  # 28/30 right → 93.3 %
            "reversed": (float(i < 10), 1.0),  # the weak get it right
        }
        for i in range(size)
    ]


def test_flags_are_raised_from_the_minimum_number_of_responses():
    items = by_id(item_statistics(cohort(MIN_RESPONSES)))
    assert all(item.enough_responses and item.n == 30 for item in items.values())
    assert "low facility" in items["hard"].flags
    assert "very easy" in items["easy"].flags
    assert items["reversed"].flags == ("negative discrimination",)
    assert items["b"].flags == ()
    for item in items.values():  # every flag agrees with the documented thresholds
        assert ("low facility" in item.flags) == (item.facility < 20)
        assert ("very easy" in item.flags) == (item.facility > 90)
        assert ("negative discrimination" in item.flags) == (item.discrimination_index < 0)
        assert ("low discrimination" in item.flags) == (0 <= item.discrimination_index < 20)


def test_below_the_minimum_figures_are_shown_but_not_flagged():
    items = item_statistics(cohort(MIN_RESPONSES - 1))
    for item in items:
        assert item.n == MIN_RESPONSES - 1
        assert not item.enough_responses
        assert item.flags == ()
        assert item.facility is not None
        assert item.discrimination_index is not None


def test_minimum_can_be_lowered_and_thresholds_are_strict():
    # 10 attempts: "edge20" right 2 times (exactly 20 %), "edge90" right 9 times (exactly 90 %).
    attempts = [{"edge20": (float(i >= 8), 1.0), "edge90": (float(i >= 1), 1.0)} for i in range(10)]
    items = by_id(item_statistics(attempts, min_responses=10))
    assert items["edge20"].enough_responses
    assert items["edge20"].facility == pytest.approx(20.0)
    assert items["edge90"].facility == pytest.approx(90.0)
    assert "low facility" not in items["edge20"].flags
    assert "very easy" not in items["edge90"].flags
