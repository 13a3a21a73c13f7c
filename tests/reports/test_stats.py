"""Progress arithmetic, by hand."""

from datetime import UTC, date, datetime

from quizapp.reports.stats import (
    MIN_EVIDENCE,
    Mastery,
    ScoredResponse,
    mastery,
    monthly_trend,
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
