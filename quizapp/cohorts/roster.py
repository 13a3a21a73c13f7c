"""Read a class list (CSV or XLSX) into member rows (pure: bytes in, rows or errors out).

Columns: username (required), display_name, password. The first row is the header. Every
error names its row; a file with any error is refused whole.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from openpyxl import load_workbook

USERNAME_RE = re.compile(r"^[\w.\-]{3,64}$")
COLUMNS = ("username", "display_name", "password")
MAX_ROWS = 2000


@dataclass(frozen=True)
class RosterRow:
    line: int
    username: str
    display_name: str
    password: str | None


@dataclass(frozen=True)
class RosterError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"row {self.line}: {self.message}"


def _cells_from_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China often saves CSV as GB18030
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("the file is neither UTF-8 nor GB18030 text")
    return list(csv.reader(io.StringIO(text)))


def _cells_from_xlsx(data: bytes) -> list[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValueError("the file is not a readable XLSX workbook") from exc
    sheet = workbook.worksheets[0]
    rows = [["" if value is None else str(value) for value in row]
            for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def parse_roster(filename: str, data: bytes) -> tuple[list[RosterRow], list[RosterError]]:
    """Rows to add, or every error found (with its row number, header = row 1)."""
    try:
        cells = _cells_from_xlsx(data) if filename.lower().endswith(".xlsx") \
            else _cells_from_csv(data)
    except ValueError as exc:
        return [], [RosterError(1, str(exc))]
    if not cells:
        return [], [RosterError(1, "the file is empty")]
    header = [cell.strip().lower() for cell in cells[0]]
    if "username" not in header:
        return [], [RosterError(1, "the header needs a 'username' column")]
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        return [], [RosterError(1, f"unknown column(s): {', '.join(unknown)}")]
    if len(cells) - 1 > MAX_ROWS:
        return [], [RosterError(1, f"at most {MAX_ROWS} rows at a time")]
    index = {name: header.index(name) for name in COLUMNS if name in header}
    rows: list[RosterRow] = []
    errors: list[RosterError] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(cells[1:], start=2):
        def cell(name: str, raw: list[str] = raw) -> str:
            position = index.get(name)
            return raw[position].strip() if position is not None and position < len(raw) else ""

        if not any(value.strip() for value in raw):
            continue  # blank lines are harmless
        username = cell("username").lower()
        if not USERNAME_RE.match(username):
            errors.append(RosterError(number, f"username {username!r} must have 3 to 64 "
                                              "letters, digits, dots, dashes or underscores"))
            continue
        if username in seen:
            errors.append(RosterError(number, f"username {username} repeats row {seen[username]}"))
            continue
        seen[username] = number
        rows.append(RosterRow(number, username, cell("display_name") or username,
                              cell("password") or None))
    if not rows and not errors:
        errors.append(RosterError(1, "no member rows"))
    return rows, errors
