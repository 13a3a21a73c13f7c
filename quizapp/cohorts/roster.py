"""Read a class list (CSV or XLSX) into member rows (pure: bytes in, rows or errors out).

Columns: username (required), display_name, password. The first row is the header. Every
error names its row; a file with any error is refused whole.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from openpyxl import load_workbook

from ..auth.usernames import USERNAME_RE
from ..spreadsheets import check_zip_bounds

COLUMNS = ("username", "display_name", "password")
MAX_ROWS = 500                         # a class at a time: hashing 500 passwords takes seconds
MAX_COLUMNS = 20                       # a class list has three; extra ones are refused by name
MAX_DISPLAY_NAME = 100                 # users.display_name
MAX_PASSWORD = 128
MAX_FIELD = 1000                       # any CSV field (csv's own limit is 128 KiB)


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


class FileProblem(ValueError):
    """The file cannot be read as a class list; `line` is where (1 = the file as a whole)."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def _cells_from_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China often saves CSV as GB18030
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("the file is neither UTF-8 nor GB18030 text")
    rows = []
    try:
        for row in csv.reader(io.StringIO(text)):
            if any(len(cell) > MAX_FIELD for cell in row):
                raise FileProblem(f"a field is longer than {MAX_FIELD} characters",
                                  len(rows) + 1)
            rows.append(row[:MAX_COLUMNS + 1])
            if len(rows) > MAX_ROWS + 1:
                break  # enough to say the file is too long
    except csv.Error as exc:  # e.g. a field past csv's own size limit
        raise FileProblem(f"a field is longer than {MAX_FIELD} characters or malformed",
                          len(rows) + 1) from exc
    return rows


def _cells_from_xlsx(data: bytes) -> list[list[str]]:
    check_zip_bounds(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # The declared dimension (e.g. A1:XFD1048576) is ignored: only cells present count,
        # and never more rows or columns than a class list may have.
        sheet.reset_dimensions()
        rows = []
        for row in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
            rows.append(["" if value is None else str(value)[:MAX_FIELD + 1] for value in row])
            if len(rows) > MAX_ROWS + 1:
                break
        workbook.close()
    except Exception as exc:  # any fault inside an untrusted file is the file's, not ours
        raise ValueError("the file is not a readable XLSX workbook") from exc
    return rows


def parse_roster(filename: str, data: bytes) -> tuple[list[RosterRow], list[RosterError]]:
    """Rows to add, or every error found (with its row number, header = row 1)."""
    try:
        cells = _cells_from_xlsx(data) if filename.lower().endswith(".xlsx") \
            else _cells_from_csv(data)
    except ValueError as exc:
        return [], [RosterError(getattr(exc, "line", 1), str(exc))]
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
        display_name, password = cell("display_name"), cell("password")
        if len(display_name) > MAX_DISPLAY_NAME:
            errors.append(RosterError(number, f"display_name is longer than "
                                              f"{MAX_DISPLAY_NAME} characters"))
            continue
        if len(password) > MAX_PASSWORD:
            errors.append(RosterError(number, f"password is longer than {MAX_PASSWORD} "
                                              "characters"))
            continue
        rows.append(RosterRow(number, username, display_name or username, password or None))
    if not rows and not errors:
        errors.append(RosterError(1, "no member rows"))
    return rows, errors
