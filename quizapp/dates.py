"""Calendar helpers shared by the rollups and the reports (pure)."""

from __future__ import annotations

from datetime import date, datetime


def month_of(moment: datetime) -> date:
    """The first day of the moment's month: the key of monthly rollups and trends."""
    return date(moment.year, moment.month, 1)
