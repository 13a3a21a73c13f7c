"""Progress arithmetic, by hand."""

from datetime import UTC, date, datetime

from quizapp.reports.mastery import (
    MIN_EVIDENCE,
    Mastery,
    RollupRow,
    ScoredResponse,
    histogram,
    mastery,
    member_masteries,
    monthly_trend,
    months_between,
    rollup_trend,
    spread,
    trends_by_code,
    weakest,
)


def r(code, score, max_score=1.0, month=1, day=1):
    return ScoredResponse(code, score, max_score, datetime(2026, month, day, tzinfo=UTC))


def test_mastery_is_points_earned_over_points_possible():
    result = mastery([r("A1", 1), r("A1", 0.5), r("A1", 0), r("A1", 1, 2.0)])
    assert result == Mastery(round(100 * 2.5 / 5, 1), 4)
    assert not result.has_enough_evidence


def test_no_evidence_and_rating_items_are_left_out():
    assert mastery([]) == Mastery(None, 0)
    assert mastery([r("A1", 0, 0.0)]) == Mastery(None, 0)  # a self-rating carries no points


def test_enough_evidence_threshold():
    assert mastery([r("A1", 1)] * MIN_EVIDENCE).has_enough_evidence
    assert not mastery([r("A1", 1)] * (MIN_EVIDENCE - 1)).has_enough_evidence


def test_monthly_trend_in_order():
    points = monthly_trend([r("A1", 1, month=3), r("A1", 0, month=1), r("A1", 1, month=1)])
    assert [(p.period, p.value, p.items) for p in points] == [
        (date(2026, 1, 1), 50.0, 2), (date(2026, 3, 1), 100.0, 1)]


def test_weakest_needs_enough_evidence():
    masteries = {"A1": Mastery(80.0, 9), "A2": Mastery(40.0, 9), "A3": Mastery(10.0, 2)}
    assert weakest(masteries, ["A1", "A2", "A3"]) == "A2"
    assert weakest({"A1": Mastery(10.0, 1)}, ["A1"]) is None
    assert weakest({"A1": Mastery(50.0, 9), "A2": Mastery(50.0, 9)}, ["A1", "A2"]) == "A1"


def rr(user, code, month, earned, possible, items=None):
    return RollupRow(user, code, date(2026, month, 1), earned, possible,
                     items if items is not None else int(possible))


def test_cohort_arithmetic_by_hand():
    rows = [rr(1, "A1", 1, 8, 10), rr(1, "A1", 2, 2, 10), rr(2, "A1", 1, 9, 10),
            rr(2, "A2", 2, 1, 4)]
    masteries = member_masteries(rows)
    assert masteries[1]["A1"].value == 50.0 and masteries[1]["A1"].items == 20
    assert masteries[2]["A2"].value == 25.0
    # Mean of 50 and 90 is 70; the sample SD is sqrt(((50-70)^2 + (90-70)^2) / 1) = 28.28.
    assert spread([50.0, 90.0]) == spread([90.0, 50.0])
    assert (spread([50.0, 90.0]).mean, spread([50.0, 90.0]).sd) == (70.0, 28.3)
    assert spread([]).mean is None and spread([5.0]).sd is None
    trend = rollup_trend([r for r in rows if r.code == "A1"])
    assert [(p.value, p.items) for p in trend] == [(85.0, 20), (20.0, 10)]
    assert histogram([0, 9.9, 10, 55, 100, 100]) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]


def test_trends_by_code_and_the_months_between():
    rows = [RollupRow(None, "A1", date(2026, 3, 1), 3.0, 4.0, 4),
            RollupRow(None, "A1", date(2026, 5, 1), 1.0, 4.0, 4),
            RollupRow(None, "A2", date(2026, 5, 1), 2.0, 2.0, 2)]
    trends = trends_by_code(rows)
    assert [(p.period.month, p.value) for p in trends["A1"]] == [(3, 75.0), (5, 25.0)]
    assert [(p.period.month, p.value) for p in trends["A2"]] == [(5, 100.0)]
    assert months_between(date(2025, 11, 1), date(2026, 2, 1)) == [
        date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert months_between(date(2026, 2, 1), date(2026, 2, 1)) == [date(2026, 2, 1)]
