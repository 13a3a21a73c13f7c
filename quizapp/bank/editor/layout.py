"""What the editor's form shows for a kind, row by row (pure): the page template draws this,
so that it holds no rules of its own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ...kinds import Kind
from ...kinds.base import EditorField, KeyMark
from .entry import FIRST_ROWS, KEY_FIELD, LETTERS, OPTION_TEXTS, option_field


@dataclass(frozen=True)
class OptionRow:
    row: int
    label: str  # A, B, C … (or the fixed option's id)
    is_fixed: bool  # a kind's own option (true/false): always there
    text_optional: bool  # the kind gives a default text
    is_more: bool  # folded under "more options" until used

    def name(self, part: str) -> str:
        return option_field(self.row, part)

    @property
    def group(self) -> str:
        """The error group of the row (see checking.py)."""
        return f"option-{self.row}"


@dataclass(frozen=True)
class EditorLayout:
    kind: Kind
    rows: tuple[OptionRow, ...]
    key_mark: KeyMark
    mark_values: tuple[str, ...]  # what a place or rating select offers
    has_match: bool
    fields: tuple[EditorField, ...]
    key_field: str = KEY_FIELD

    @property
    def has_options(self) -> bool:
        return bool(self.rows)

    @property
    def first_rows(self) -> tuple[OptionRow, ...]:
        return tuple(r for r in self.rows if not r.is_more)

    @property
    def more_rows(self) -> tuple[OptionRow, ...]:
        return tuple(r for r in self.rows if r.is_more)


def _is_filled(values: Mapping[str, str], row: int) -> bool:
    return any(
        (values.get(f"{option_field(row, part)}-{lang}") or "").strip()
        for part in OPTION_TEXTS
        for lang in ("zh", "en")
    )


def layout_for(kind: Kind, values: Mapping[str, str]) -> EditorLayout:
    """The rows to draw: a kind's fixed options, or as many rows as the kind allows with the
    ones in use (and at least FIRST_ROWS) open and the rest folded."""
    spec = kind.editor
    rows: list[OptionRow] = []
    if spec.fixed_options:
        rows = [
            OptionRow(i, oid, True, kind.default_text(oid) is not None, False)
            for i, oid in enumerate(spec.fixed_options)
        ]
    elif spec.has_options:
        count = min(kind.max_options, len(LETTERS))
        used = max((i + 1 for i in range(count) if _is_filled(values, i)), default=0)
        shown = min(count, max(FIRST_ROWS, kind.min_options, used + 1))
        rows = [OptionRow(i, chr(ord("A") + i), False, False, i >= shown) for i in range(count)]
    if spec.key_mark == KeyMark.PLACE:
        marks = tuple(str(n) for n in range(1, len(rows) + 1))
    else:
        marks = spec.marks
    return EditorLayout(kind, tuple(rows), spec.key_mark, marks, spec.has_match, spec.fields)
