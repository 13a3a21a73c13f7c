"""Confidence against accuracy (pure)."""

from quizapp.practice.calibration import MIN_PER_GROUP, OVERALL, tally_confidence


def test_tallies_per_code_in_curriculum_order_then_overall():
    rows = tally_confidence(
        [("C2", True, 12, 11), ("A1", True, 4, 3), ("A1", False, 10, 4), ("C2", False, 10, 6)]
    )
    assert [r.code for r in rows] == ["A1", "C2", OVERALL]
    a1, c2, overall = rows
    assert not a1.has_enough and a1.sure_needed == MIN_PER_GROUP - 4 and a1.unsure_needed == 0
    assert c2.has_enough
    assert round(c2.sure_accuracy) == 92 and c2.unsure_accuracy == 60.0
    assert (overall.sure, overall.sure_right, overall.unsure, overall.unsure_right) == (
        16,
        14,
        20,
        10,
    )


def test_no_marked_answers_no_rows():
    assert tally_confidence([]) == []


def test_one_group_empty_says_how_many_more():
    (row, overall) = tally_confidence([("B", True, 15, 15)])
    assert row.unsure_accuracy is None and row.unsure_needed == MIN_PER_GROUP
    assert row.sure_needed == 0 and not row.has_enough and overall.code == OVERALL
