"""The cohort's study hours as CSV and XLSX for training files; every text cell that a
spreadsheet would run as a formula is neutralised (`quizapp.spreadsheets`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

from ..dates import local_day
from ..spreadsheets import neutralised
from .credit import hours_text
from .programme import MemberHours

HEADER = (
    "username",
    "display_name",
    "year",
    "study_hours",
    "target_hours",
    "target_met",
    "programme_complete",
    "completed_on",
    "assignments_fulfilled",
    "assignments",
)


def rows(members: Sequence[MemberHours], zone: str) -> list[tuple]:
    result = []
    for m in members:
        done, hours = m.completion, m.progress
        result.append(
            tuple(
                neutralised(cell)
                for cell in (
                    m.user.username,
                    m.user.display_name,
                    hours.year,
                    hours_text(hours.total),
                    hours_text(hours.target),
                    "yes" if hours.is_met else "no",
                    "yes" if done.is_complete else "no",
                    local_day(done.completed_at, zone).isoformat() if done.completed_at else "",
                    done.fulfilled,
                    len(done.results),
                )
            )
        )
    return result


def as_csv(members: Sequence[MemberHours], zone: str) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese names intact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows(members, zone))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(members: Sequence[MemberHours], zone: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("study_hours")
    sheet.append(HEADER)
    for row in rows(members, zone):
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
