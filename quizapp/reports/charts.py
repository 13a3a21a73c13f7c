"""Server-side SVG charts (leather): no script, no styles, no remote files, a few KB each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from html import escape

import leather

from .mastery import TrendPoint

# Leather's theme is module-wide; these match the site's colours and use the system font.
leather.theme.default_font_family = "sans-serif"
leather.theme.background_color = "#ffffff"
leather.theme.title_color = "#1d2430"
leather.theme.tick_color = "#d9d4cc"
leather.theme.label_color = "#5b6574"
leather.theme.default_series_colors = ["#b3261e", "#1e7b34"]

PERCENT = leather.Linear(0, 100)


def abilities_svg(labels: Sequence[str], values: Sequence[float | None], title: str) -> str:
    """Mastery of the five abilities as horizontal bars; missing evidence is drawn at 0."""
    chart = leather.Chart(title)
    chart.add_x_scale(0, 100)
    chart.add_bars([(value or 0, label) for label, value in zip(labels, values, strict=True)])
    return chart.to_svg(width=400, height=260)


def histogram_svg(counts: Sequence[int], title: str) -> str:
    """How many cadres scored in each tenth of 0–100 %, as vertical bars."""
    chart = leather.Chart(title)
    labels = [f"{10 * n}–{10 * n + 9 if n < 9 else 100}" for n in range(len(counts))]
    chart.add_y_scale(0, max(1, *counts))
    chart.add_columns(list(zip(labels, counts, strict=True)))
    return chart.to_svg(width=400, height=220)


def trend_svg(points: Sequence[TrendPoint], title: str) -> str:
    """Mastery month by month (an empty frame until there is evidence)."""
    chart = leather.Chart(title)
    chart.add_y_scale(0, 100)
    data = [(datetime(p.period.year, p.period.month, 1), p.value) for p in points]
    if not data:
        # Leather draws no chart without a series: an empty frame says the same thing.
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60">'
                f'<text x="10" y="35" font-family="sans-serif" font-size="16">'
                f'{escape(title)}: –</text></svg>')
    first, last = data[0][0], data[-1][0]
    if first == last:  # one month: give the axis some width around it
        first, last = first - timedelta(days=15), last + timedelta(days=15)
    chart.add_x_scale(first, last)
    chart.add_line(data)
    chart.add_dots(data)
    return chart.to_svg(width=400, height=220)
