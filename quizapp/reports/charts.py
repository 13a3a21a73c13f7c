"""Server-side SVG charts (leather): no script, no styles, no remote files, a few KB each.
ElementTree only builds the SVG elements here, as leather itself does; nothing parses XML."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET  # nosec B405
from collections.abc import Sequence
from datetime import date
from html import escape
from typing import Any

import leather

from .mastery import TrendPoint, months_between

# Leather's theme is module-wide; these match the site's colours and use the system font
# (leather's own default, Monaco, is missing on most machines and falls back to a serif).
leather.theme.title_font_family = "sans-serif"
leather.theme.legend_font_family = "sans-serif"
leather.theme.axis_title_font_family = "sans-serif"
leather.theme.tick_font_family = "sans-serif"
leather.theme.background_color = "#ffffff"
leather.theme.title_color = "#1d2430"
leather.theme.tick_color = "#d9d4cc"
leather.theme.label_color = "#5b6574"
leather.theme.default_series_colors = ["#b3261e", "#1e7b34"]

PERCENT = leather.Linear(0, 100)
TREND_COLOUR = "#1a5fb4"  # 6.4 : 1 on white (graphics need 3 : 1)
RULE_COLOUR = "#5b6574"  # the pass mark, dashed
MONTH_LABELS = 5  # more would overlap at 400 px


class MonthScale(leather.Scale):
    """Months as evenly spaced slots labelled YYYY-MM. Leather's date scale rounds the domain
    outwards and labels days, so a chart of May–June showed "05-01 … 06-02"."""

    def __init__(self, months: Sequence[date]) -> None:
        self._months = list(months)

    def contains(self, value: Any) -> bool:
        return 0 <= value < len(self._months)

    def project(self, value: Any, range_min: float, range_max: float) -> float:
        # The middle of the month's slot: the first and last labels stay inside the chart.
        return range_min + (range_max - range_min) * (float(value) + 0.5) / len(self._months)

    def project_interval(self, value: Any, range_min: float, range_max: float) -> tuple:
        raise NotImplementedError

    def ticks(self) -> list[int]:
        step = math.ceil(len(self._months) / MONTH_LABELS)
        return list(range(0, len(self._months), step))

    def format_tick(self, value: Any, index: int, count: int) -> str:
        return self._months[int(value)].strftime("%Y-%m")


class TrendLine(leather.Shape):
    """A line through the months with a dot on each (a single month is a dot alone) and the
    pass mark as a dashed rule: one layer, so leather draws no legend of unnamed series."""

    def __init__(self, pass_mark: float | None) -> None:
        self._line = leather.Line(TREND_COLOUR, 2)
        self._dots = leather.Dots(TREND_COLOUR, 3.5)
        self._pass_mark = pass_mark

    def validate_series(self, series: leather.Series) -> None:
        self._line.validate_series(series)

    def to_svg(
        self,
        width: float,
        height: float,
        x_scale: Any,
        y_scale: Any,
        series: leather.Series,
        palette: Any,
    ) -> ET.Element:
        group = ET.Element("g")
        if self._pass_mark is not None:
            y = f"{float(y_scale.project(self._pass_mark, height, 0)):.1f}"
            rule = ET.Element("line", x1="0", x2=f"{width:.1f}", y1=y, y2=y, stroke=RULE_COLOUR)
            rule.set("stroke-width", "1.5")
            rule.set("stroke-dasharray", "6 4")
            group.append(rule)
        group.append(self._line.to_svg(width, height, x_scale, y_scale, series, palette))
        group.append(self._dots.to_svg(width, height, x_scale, y_scale, series, palette))
        return group


def abilities_svg(labels: Sequence[str], values: Sequence[float | None], title: str) -> str:
    """Mastery of the five abilities as horizontal bars; missing evidence is drawn at 0."""
    chart = leather.Chart(title)
    chart.add_x_scale(0, 100)
    chart.add_bars([(value or 0, label) for label, value in zip(labels, values, strict=True)])
    return chart.to_svg(width=400, height=260)


def histogram_svg(counts: Sequence[int], title: str) -> str:
    """How many cadres scored in each tenth of 0–100 %, as vertical bars, each labelled by
    where its band starts ("0–9", "10–19" … overlapped one another at this size)."""
    chart = leather.Chart(title)
    labels = [str(10 * n) for n in range(len(counts))]
    chart.add_y_scale(0, max(4, *counts))
    chart.add_columns(list(zip(labels, counts, strict=True)))
    return chart.to_svg(width=400, height=220)


def empty_svg(title: str, width: int = 400, height: int = 220) -> str:
    """Leather draws no chart without a series: a frame of the same size, with the title where
    leather puts it and a dash for the missing figures, keeps a grid of charts in line."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>'
        f'<text x="20" y="20" fill="#1d2430" font-family="sans-serif" font-size="16">'
        f"{escape(title)}</text>"
        f'<rect x="20" y="34" width="{width - 40}" height="{height - 54}" fill="none" '
        f'stroke="#d9d4cc"/>'
        f'<text x="{width // 2}" y="{height // 2 + 14}" fill="#5b6574" text-anchor="middle" '
        f'font-family="sans-serif" font-size="24">–</text></svg>'
    )


def trend_svg(
    points: Sequence[TrendPoint],
    title: str,
    months: Sequence[date] | None = None,
    pass_mark: float | None = None,
) -> str:
    """Mastery month by month. `months` spans the x axis (by default every month from the
    first point to the last; charts to be compared share it), a month without a point is a gap
    in the line; `pass_mark` is drawn as a dashed rule."""
    if months is None:
        months = months_between(points[0].period, points[-1].period) if points else []
    slots = list(months)
    values = {p.period: p.value for p in points}
    if not values.keys() & set(slots):
        return empty_svg(title)
    # A month without a value is None: leather breaks the line there instead of bridging it.
    data = [(index, values.get(month)) for index, month in enumerate(slots)]
    chart = leather.Chart(title)
    chart.set_x_scale(MonthScale(slots))
    chart.set_y_scale(PERCENT)
    chart.add_series(leather.Series(data), TrendLine(pass_mark))
    return chart.to_svg(width=400, height=220)
