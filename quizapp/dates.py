"""Calendar helpers shared by the rollups, the reports and daily practice (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def month_of(moment: datetime) -> date:
    """The first day of the moment's month: the key of monthly rollups and trends."""
    return date(moment.year, moment.month, 1)


def local_day(moment: datetime, zone: str) -> date:
    """The calendar day a UTC moment falls on where the cadre lives (his day starts at his
    midnight, not at UTC's: 07:30 in Shanghai is still 23:30 of the day before in UTC)."""
    return moment.astimezone(ZoneInfo(zone)).date()


def day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """The UTC moments where a local day starts and the next one starts (so a query can ask
    for `start <= at < end`)."""
    tz = ZoneInfo(zone)
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def week_start(day: date) -> date:
    """The Monday of the day's week (weeks run Monday to Sunday, as Chinese calendars do)."""
    return day - timedelta(days=day.weekday())
