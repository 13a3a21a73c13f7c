"""Reading a filled XLSX sheet into entries (pure; openpyxl with defusedxml beneath).

The header row says which column is which (in any order; the English or Chinese headers of
xlsx_layout). Each row becomes an entry whose parts carry their row and column, so that every
rule of the bank's check can name the cell it is about.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Mapping
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ...kinds import item_file_kinds, kind_of
from ...spreadsheets import check_zip_bounds, restored
from ..schema import BankError, Text
from ..vocabulary import ALL_CODES
from ..yaml_source import LineDict
from .checking import BankRules, Problem, Reading
from .entries import Form, form_of, kind_for, lined, text_part
from .moodle_map import lined_tree
from .xlsx_cells import (
    kind_label,
    kind_named,
    option_id,
    read_answer,
    read_difficulty,
    read_rubric,
    read_scenario,
)
from .xlsx_layout import (
    BY_HEADER,
    BY_KEY,
    COLUMNS,
    ITEMS_SHEET,
    LETTERS,
    MAX_COLUMNS,
    MAX_ROWS,
    header_key,
)

OPTION_KEYS = (
    "option.zh",
    "option.en",
    "why.zh",
    "why.en",
    "misconception",
    "match.zh",
    "match.en",
)
KEY_INDEX = {column.key: index for index, column in enumerate(COLUMNS, start=1)}
# The "line" an entry's part carries for the parser: row × PLACE + the column's index in the
# layout (0: the row as a whole), which `locate` turns back into the file's own column letter.
PLACE = 1000
# Which column an error about the whole item is about, from the words of the bank's rule
# (the first that fits).
HINTS = (
    ("already in this file", "id"),
    ("'id'", "id"),
    ("id prefix", "id"),
    ("'code'", "code"),
    ("'kind'", "kind"),
    ("'difficulty'", "difficulty"),
    ("'scenario'", "scenario"),
    ("'max_length'", "max_length"),
    ("'rubric'", "rubric.zh"),
    ("criteri", "rubric.zh"),
    ("'model_answer", "answer.zh"),
    ("stem.en", "stem.en"),
    ("stem", "stem.zh"),
    ("accept.en", "answer.en"),
    ("blank", "answer.zh"),
    ("key", "answer.zh"),
    ("wrong option", "answer.zh"),
    ("apart", "answer.zh"),
    ("options", "option.zh.a"),
    ("'explanation", "explanation.zh"),
    ("anchor", "anchor"),
    ("'note'", "note"),
    ("title", "doc"),
    ("document", "doc"),
    ("locator", "doc"),
)


def _text(value: Any) -> tuple[str, str | None]:
    """A cell's value as text, or why it cannot be read as such."""
    if value is None:
        return "", None
    if isinstance(value, bool):
        return ("是" if value else "否"), None
    if isinstance(value, int | float):
        return (str(int(value)) if float(value).is_integer() else str(value)), None
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return "", "holds a date or time: type the text itself"
    return restored(str(value).replace("\r\n", "\n")).strip(), None


def _tag(text: str, tags: Mapping[str, Text] | None) -> str:
    """A misconception given by its tag or by its label in either language."""
    for tag, label in (tags or {}).items():
        if text in (label.zh, label.en):
            return tag
    return text


class _Row:
    """One row's cells by column key, with the problems found and the places to name."""

    def __init__(
        self,
        number: int,
        cells: dict[str, str],
        problems: list[Problem],
        problem: Callable[[int, str | None, str], Problem],
    ) -> None:
        self.number, self.cells, self.problems, self._problem = number, cells, problems, problem

    def __call__(self, key: str) -> str:
        return self.cells.get(key, "")

    def at(self, key: str) -> int:
        return self.number * PLACE + KEY_INDEX[key]

    def fault(self, key: str, message: str) -> None:
        self.problems.append(self._problem(self.number, key, message))


def _options(row: _Row, form: Form, rules: BankRules) -> list[LineDict]:
    options = []
    for letter in LETTERS.lower():
        if not any(row(f"{key}.{letter}") for key in OPTION_KEYS):
            continue
        if form == Form.TRUTH and letter not in "ab":
            row.fault(f"option.zh.{letter}", "a 判断题 has options A (正确) and B (错误) only")
            continue
        option = lined({"id": option_id(letter, form)}, row.at(f"option.zh.{letter}"))
        for name, key in (("text", "option"), ("explanation", "why"), ("match", "match")):
            text = text_part(
                row(f"{key}.zh.{letter}"), row(f"{key}.en.{letter}"), row.at(f"{key}.zh.{letter}")
            )
            if text is not None and name == "match" and form != Form.MATCHES:
                row.fault(f"match.zh.{letter}", "配对 cells are for 配对题 only")
            elif text is not None:
                option[name] = text
        if row(f"misconception.{letter}"):
            option["misconception"] = _tag(row(f"misconception.{letter}"), rules.tags)
        options.append(option)
    return options


def _typed_parts(row: _Row, form: Form, values: dict[str, Any], entry: LineDict) -> None:
    """A fill-in's blanks and explanation, a case analysis's rubric and model answer."""
    if form == Form.BLANKS:
        where = row.at("answer.zh")
        entry["blanks"] = [
            lined({"accept": lined(blank["accept"], where)}, where)
            for blank in values.get("blanks", [])
        ]
        explanation = text_part(
            row("explanation.zh"), row("explanation.en"), row.at("explanation.zh")
        )
        if explanation is not None:
            entry["explanation"] = explanation
        return
    model = values.get("model_answer", {})
    text = text_part(model.get("zh"), model.get("en"), row.at("answer.zh"))
    if text is not None:
        entry["model_answer"] = text
    rubric, problems = read_rubric(row("rubric.zh"), row("rubric.en"))
    for key, message in problems:
        row.fault(key, message)
    if rubric:
        entry["rubric"] = lined_tree(rubric, row.at("rubric.zh"))
    if row("max_length"):
        limit = row("max_length")
        entry["max_length"] = int(limit) if limit.isdigit() else limit


def _misplaced(row: _Row, form: Form, has_options: bool) -> None:
    """Cells the row's kind has no use for: an error, so nothing is silently dropped."""
    label = kind_label(kind_for(form).name)
    unused = (
        []
        if has_options
        else [f"{key}.{letter}" for key in OPTION_KEYS for letter in LETTERS.lower()]
    )
    if form != Form.BLANKS:
        unused += ["explanation.zh", "explanation.en"]
    if form != Form.RUBRIC:
        unused += ["rubric.zh", "rubric.en", "max_length"]
    for key in unused:
        if row(key):
            row.fault(key, f"{BY_KEY[key].header} is not used by a {label}")


def _entry(row: _Row, rules: BankRules) -> LineDict | None:
    kinds = [kind.name for kind in item_file_kinds()]
    name = kind_named(row("kind"), kinds)
    if name is None:
        labels = "、".join(kind_label(kind) for kind in kinds)
        row.fault("kind", f"题型 {row('kind')!r} is not one of {labels}")
        return None
    kind = kind_of(name)
    form = form_of(kind)
    code = row("code").upper()
    if code not in ALL_CODES:
        row.fault("code", f"知识点 {row('code')!r} is not a code: {', '.join(ALL_CODES)}")
    if not row("id"):
        row.fault("id", "编号 is empty: every item needs an id like A5-101")
    scenario = read_scenario(row("scenario"))
    if scenario is None:
        row.fault("scenario", f"情境题 {row('scenario')!r} must be 是 or 否")
    entry = lined(
        {
            "id": row("id"),
            "code": code,
            "kind": name,
            "difficulty": read_difficulty(row("difficulty")),
            "scenario": scenario,
        },
        row.number * PLACE,
    )
    stem = text_part(row("stem.zh"), row("stem.en"), row.at("stem.zh"))
    if stem is not None:
        entry["stem"] = stem
    has_options = kind.editor.has_options
    options = _options(row, form, rules) if has_options else []
    if has_options:
        entry["options"] = options
    values, problems = read_answer(
        form, row("answer.zh"), row("answer.en"), [option["id"] for option in options]
    )
    for key, message in problems:
        row.fault(key, message)
    if "key" in values:  # ratings are a mapping: one the parser can name the cell of
        key = values["key"]
        entry["key"] = lined(key, row.at("answer.zh")) if isinstance(key, dict) else key
    if form in (Form.BLANKS, Form.RUBRIC):
        _typed_parts(row, form, values, entry)
    _misplaced(row, form, has_options)
    locator = {key: row(key) for key in ("doc", "anchor", "note") if row(key)}
    entry["locator"] = lined(locator, row.at("doc"))
    return entry


# ---------------------------------------------------------------- the sheet


def _refine(key: str, message: str) -> str:
    """The column a rule's words point at, from the part of the row that broke it."""
    parts = key.split(".")
    if parts[0] in ("option", "why", "match"):
        letter = parts[-1]
        if "misconception" in message:
            return f"misconception.{letter}"
        if "'explanation" in message:
            key = f"why.zh.{letter}"
        elif "'match" in message:
            key = f"match.zh.{letter}"
    if ".en'" in message and ".zh" in key:
        key = key.replace(".zh", ".en")
    return key


def _header(cells: tuple[Any, ...]) -> tuple[dict[int, str], list[Problem]]:
    """Column index → key, from the header row; every header problem."""
    positions: dict[int, str] = {}
    problems: list[Problem] = []
    for index, cell in enumerate(cells, start=1):
        text, _ = _text(cell.value)
        if not text:
            continue
        column = BY_HEADER.get(header_key(text))
        letter = get_column_letter(index)
        if column is None:
            problems.append(Problem(f"row 1, column {letter}", f"unknown column {text!r}", 1))
        elif column.key in positions.values():
            problems.append(Problem(f"row 1, column {letter}", f"{text} repeats a column", 1))
        else:
            positions[index] = column.key
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions.values()]
    if missing:
        problems.append(Problem("row 1", f"the header row lacks {', '.join(missing)}", 1))
    return positions, problems


def read(data: bytes, source: str, rules: BankRules | None = None) -> Reading:
    """The entries of the first sheet (or 题库 Items), one per row, and every problem."""
    rules = rules or BankRules()
    try:
        check_zip_bounds(data)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = book[ITEMS_SHEET] if ITEMS_SHEET in book.sheetnames else book.worksheets[0]
        sheet.reset_dimensions()  # the declared size may lie: only cells present count
        rows = list(sheet.iter_rows(max_col=MAX_COLUMNS, max_row=MAX_ROWS + 2))
        book.close()
    except ValueError as exc:
        return Reading([], [Problem("file", str(exc))])
    except Exception:  # any fault inside an untrusted file is the file's, not ours
        return Reading([], [Problem("file", "the file is not a readable XLSX workbook")])
    if not rows:
        return Reading([], [Problem("file", "the sheet is empty")])
    positions, problems = _header(rows[0])
    letters = {key: get_column_letter(index) for index, key in positions.items()}

    def problem(number: int, key: str | None, message: str) -> Problem:
        if key is None:
            return Problem(f"row {number}", message, number)
        header = BY_KEY[key].header
        return Problem(
            f"row {number}, column {letters.get(key, '?')} ({header})", message, number, header
        )

    def locate(error: BankError) -> Problem:
        number, index = divmod(error.line, PLACE)
        key = (
            COLUMNS[index - 1].key
            if index
            else next((key for words, key in HINTS if words in error.message), None)
        )
        return problem(number, _refine(key, error.message) if key else None, error.message)

    if problems:
        return Reading([], problems, locate)
    if len(rows) > MAX_ROWS + 1:
        return Reading([], [Problem("file", f"at most {MAX_ROWS} items per file")], locate)
    entries: list[LineDict] = []
    for number, cells in enumerate(rows[1:], start=2):
        values: dict[str, str] = {}
        row = _Row(number, values, problems, problem)
        for index, cell in enumerate(cells, start=1):
            key = positions.get(index)
            if key is None or cell.value is None:
                continue
            text, fault = _text(cell.value)
            if getattr(cell, "data_type", None) == "f":
                fault = "is a formula: type the value itself"
            if fault:
                row.fault(key, f"{BY_KEY[key].header} {fault}")
            elif len(text) > BY_KEY[key].limit:
                row.fault(
                    key,
                    f"{BY_KEY[key].header} is longer than {BY_KEY[key].limit} "
                    f"characters ({len(text)})",
                )
            elif text:
                values[key] = text
        if values or any(p.line == number for p in problems):
            entry = _entry(row, rules)
            if entry is not None:
                entries.append(entry)
    if not entries and not problems:
        problems.append(Problem("file", "no items below the header row"))
    return Reading(entries, problems, locate)
