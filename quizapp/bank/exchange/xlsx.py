"""Excel workbooks (pure; openpyxl): the template, the export, and reading a filled sheet.

Every kind has a row (see xlsx_layout for the columns). Cells a spreadsheet would run as a
formula are written after an apostrophe; a formula in a file read is an error naming its
cell. Each error names its row and column, in the file's own column letters.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ...kinds import item_file_kinds, kind_of
from ...spreadsheets import neutralised
from ..schema import Item, Text
from ..vocabulary import ALL_CODES
from .checking import BankRules, WriteResult
from .entries import Form, form_of
from .xlsx_cells import kind_label, letter_of, write_answer, write_rubric
from .xlsx_layout import (
    BY_KEY,
    COLUMNS,
    GUIDE_EN,
    GUIDE_SHEET,
    GUIDE_ZH,
    ITEMS_SHEET,
    LETTERS,
    POSITION,
)
from .xlsx_read import read

__all__ = ["NAME", "read", "template", "write"]

NAME = "xlsx"
SPARE_ROWS = 500  # rows below the data that keep the drop-down lists


# ---------------------------------------------------------------- writing


def _row(item: Item) -> dict[str, Any]:
    kind = kind_of(item.kind)
    form = form_of(kind)
    cells: dict[str, Any] = {
        "id": item.id,
        "kind": kind_label(item.kind),
        "stem.zh": item.stem.zh,
        "stem.en": item.stem.en,
        "difficulty": item.difficulty,
        "code": item.code,
        "scenario": "是" if item.scenario else "否",
        "doc": item.locator.doc,
        "anchor": item.locator.anchor,
        "note": item.locator.note,
    }
    for option in item.options:
        letter = letter_of(option.id).lower()
        cells |= {
            f"option.zh.{letter}": option.text.zh,
            f"option.en.{letter}": option.text.en,
            f"why.zh.{letter}": option.explanation.zh,
            f"why.en.{letter}": option.explanation.en,
            f"misconception.{letter}": option.misconception,
        }
        if option.match is not None:
            cells |= {f"match.zh.{letter}": option.match.zh, f"match.en.{letter}": option.match.en}
    cells["answer.zh"], cells["answer.en"] = write_answer(item, form)
    if form == Form.BLANKS:
        cells["explanation.zh"] = item.extra["explanation"]["zh"]
        cells["explanation.en"] = item.extra["explanation"]["en"]
    if form == Form.RUBRIC:
        cells["rubric.zh"], cells["rubric.en"] = write_rubric(item.extra["rubric"])
        cells["max_length"] = item.extra["max_length"]
    return cells


def _validation(sheet: Any, key: str, values: Iterable[str], last: int) -> None:
    listed = ",".join(values)
    if len(listed) > 250:  # Excel's limit on an inline list
        return
    rule = DataValidation(
        type="list",
        formula1=f'"{listed}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=BY_KEY[key].header,
        error=f"{BY_KEY[key].zh} / {BY_KEY[key].en}",
    )
    letter = get_column_letter(POSITION[key])
    rule.add(f"{letter}2:{letter}{last}")
    sheet.add_data_validation(rule)


def _guide(sheet: Any, tags: Mapping[str, Text] | None) -> None:
    sheet.append(["导入说明", "How to fill in the sheet"])
    for zh, en in zip(GUIDE_ZH, GUIDE_EN, strict=True):
        sheet.append([zh, en])
    sheet.append([])
    sheet.append(["列 Column", "必填 Required", "说明", "Notes"])
    for column in COLUMNS:
        sheet.append([column.header, "是 yes" if column.required else "", column.zh, column.en])
    if tags:
        sheet.append([])
        sheet.append(["误区 Misconception", "", "中文", "English"])
        for tag, label in tags.items():
            sheet.append([tag, "", label.zh, label.en])
    for letter, width in zip("ABCD", (34, 14, 60, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.value = neutralised(cell.value)


def _workbook(rows: list[dict[str, Any]], tags: Mapping[str, Text] | None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = ITEMS_SHEET
    sheet.append([column.header for column in COLUMNS])
    for row in rows:
        sheet.append([neutralised(row.get(column.key)) for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    sheet.freeze_panes = "C2"
    for column in COLUMNS:
        width = 40 if column.limit >= 1000 else 24 if column.limit >= 300 else 10
        sheet.column_dimensions[get_column_letter(POSITION[column.key])].width = width
    last = len(rows) + SPARE_ROWS + 1
    kinds = [kind_label(kind.name) for kind in item_file_kinds()]
    _validation(sheet, "kind", kinds, last)
    _validation(sheet, "difficulty", ("1", "2", "3"), last)
    _validation(sheet, "scenario", ("是", "否"), last)
    _validation(sheet, "code", ALL_CODES, last)
    for letter in LETTERS.lower():
        _validation(sheet, f"misconception.{letter}", tags or (), last)
    _guide(book.create_sheet(GUIDE_SHEET), tags)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write(items: Iterable[Item], rules: BankRules | None = None) -> WriteResult:
    """Every item in a row (the layout has a place for every kind)."""
    items = list(items)
    data = _workbook([_row(item) for item in items], rules.tags if rules else None)
    return WriteResult(data, tuple(item.id for item in items))


def template(rules: BankRules | None = None) -> bytes:
    """An empty sheet: the header row, the drop-down lists and the instructions."""
    return _workbook([], rules.tags if rules else None)
