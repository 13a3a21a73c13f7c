"""The server-drawn charts (pure): what a reader can see in the SVG."""

import re
from datetime import date

from quizapp.reports.charts import histogram_svg, trend_svg
from quizapp.reports.mastery import TrendPoint


def months(*numbers):
    return [date(2026, n, 1) for n in numbers]


def x_labels(svg):
    """The labels under the x axis, left to right (leather draws the tick at 0 last)."""
    axis = svg.split('class="axis bottom"')[1].split('class="axis left"')[0]
    ticks = re.findall(r'<text x="([\d.]+)"[^>]*>([^<]+)<', axis)
    return [label for _, label in sorted(ticks, key=lambda tick: float(tick[0]))]


def test_trend_labels_months_and_draws_the_pass_mark_without_a_legend():
    points = [TrendPoint(m, 40 + 5 * i, 12) for i, m in enumerate(months(3, 4, 5))]
    svg = trend_svg(points, "A1", pass_mark=60)
    assert x_labels(svg) == ["2026-03", "2026-04", "2026-05"]
    assert "Unnamed series" not in svg and "<script" not in svg
    assert svg.count('stroke-dasharray="6 4"') == 1  # the pass mark
    assert svg.count("<circle") == 3  # a dot per month


def test_a_month_without_answers_breaks_the_line_and_the_axis_is_shared():
    points = [TrendPoint(m, 50, 10) for m in months(3, 5)]
    svg = trend_svg(points, "A2", months(3, 4, 5, 6))
    assert svg.count("<path") == 2  # March, then May: no bridge over April
    assert svg.count("<circle") == 2
    assert x_labels(svg) == ["2026-03", "2026-04", "2026-05", "2026-06"]


def test_a_single_month_is_a_dot_and_no_data_is_a_titled_frame():
    one = trend_svg([TrendPoint(date(2026, 11, 1), 55, 8)], "A3")
    assert one.count("<circle") == 1 and x_labels(one) == ["2026-11"]
    empty = trend_svg([], "A4 <&>", months(3, 4))
    assert ">A4 &lt;&amp;&gt;</text>" in empty and ">–</text>" in empty
    assert 'width="400" height="220"' in empty and "<circle" not in empty


def test_months_on_a_long_axis_are_thinned_to_five_labels():
    slots = [date(2025 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(1, 25)]
    svg = trend_svg([TrendPoint(slots[0], 50, 5), TrendPoint(slots[-1], 70, 5)], "B", slots)
    assert x_labels(svg) == ["2025-01", "2025-06", "2025-11", "2026-04", "2026-09"]


def test_histogram_labels_each_band_by_its_start_and_the_title_has_one_percent_sign():
    svg = histogram_svg([0, 1, 2, 3, 5, 2, 1, 0, 0, 1], "Cadres per score band (%)")
    assert x_labels(svg) == [str(10 * n) for n in range(10)]
    assert "(%)" in svg and "%%" not in svg
