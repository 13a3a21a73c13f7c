"""An item as the question editor edits it (pure).

The editor edits the same entry the bank's files hold (`question_bank/README.md`): this module
reads an entry from a stored version's content, lays it out as the editor's flat form (one
field per text, generated from what the item's kind declares in `Kind.editor`), and reads the
form back into an entry. Nothing here names a kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from ...kinds import Kind
from ...kinds.base import EditorField, FieldType, KeyMark
from ..vocabulary import LANGUAGES

LETTERS = "abcdefgh"
# Option rows shown at first on a new item (more open under "more options").
FIRST_ROWS = 4


# ---------------------------------------------------------------- stored content -> entry


def _stored_key_as_entry(mark: KeyMark, key: list[str], option_ids: list[str]) -> Any:
    """The entry's `key` from a version's stored key (option ids, or "id=value" pairs)."""
    if mark == KeyMark.ONE:
        return key[0] if key else None
    if mark == KeyMark.MANY:
        return list(key)
    pairs = dict(pair.partition("=")[::2] for pair in key)
    if mark == KeyMark.PLACE:
        return sorted(option_ids, key=lambda oid: int(pairs.get(oid, 0) or 0))
    if mark == KeyMark.RATING:
        return {oid: int(pairs[oid]) for oid in option_ids if pairs.get(oid, "").isdigit()}
    return None


def entry_from_content(
    item_id: str, code: str, kind: Kind, difficulty: int, scenario: bool, content: Mapping[str, Any]
) -> dict[str, Any]:
    """A stored version as the entry an items file would hold for it."""
    entry: dict[str, Any] = {
        "id": item_id,
        "code": code,
        "kind": kind.name,
        "difficulty": difficulty,
        "scenario": scenario,
        "stem": dict(content["stem"]),
    }
    spec = kind.editor
    if spec.has_options:
        options = []
        for stored in content.get("options", ()):
            option = {
                "id": stored["id"],
                "text": dict(stored["text"]),
                "explanation": dict(stored["explanation"]),
            }
            if stored.get("misconception"):
                option["misconception"] = stored["misconception"]
            if stored.get("match"):
                option["match"] = dict(stored["match"])
            options.append(option)
        entry["options"] = options
        key = _stored_key_as_entry(
            spec.key_mark, list(content.get("key", ())), [o["id"] for o in options]
        )
        if key is not None:
            entry["key"] = key
    for extra in spec.fields:
        if extra.name in content:
            entry[extra.name] = content[extra.name]
    locator = content["locator"]
    entry["locator"] = {
        "doc": locator["doc"],
        "anchor": locator["anchor"],
        **({"note": locator["note"]} if locator.get("note") else {}),
    }
    return entry


# ---------------------------------------------------------------- entry <-> form


def option_field(row: int, part: str) -> str:
    """The form field of an option row's part: text-zh, explanation-en, misconception, mark."""
    return f"option-{row}-{part}"


KEY_FIELD = "key"  # the radio group of a kind whose key is one option (value: the row)
OPTION_TEXTS = ("text", "explanation", "match")


def _text_fields(name: str, value: Any, values: dict[str, str]) -> None:
    for lang in LANGUAGES:
        values[f"{name}-{lang}"] = str(value.get(lang, "")) if isinstance(value, Mapping) else ""


def _dump_yaml(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100)


def form_from_entry(entry: Mapping[str, Any], kind: Kind) -> dict[str, str]:
    """The editor's form values for an entry (to fill the form in)."""
    values: dict[str, str] = {
        "difficulty": str(entry.get("difficulty", "")),
        "scenario": "1" if entry.get("scenario") else "",
    }
    _text_fields("stem", entry.get("stem") or {}, values)
    locator = entry.get("locator") or {}
    for part in ("doc", "anchor", "note"):
        values[f"locator-{part}"] = str(locator.get(part) or "")
    spec = kind.editor
    if spec.has_options:
        rows = option_rows(kind, entry)
        marks = _marks_of(spec.key_mark, entry.get("key"), [oid for oid, _ in rows])
        for row, (oid, option) in enumerate(rows):
            values[option_field(row, "id")] = oid
            for part in OPTION_TEXTS:
                _text_fields(option_field(row, part), option.get(part) or {}, values)
            values[option_field(row, "misconception")] = str(option.get("misconception") or "")
            if oid in marks:
                if spec.key_mark == KeyMark.ONE:
                    values[KEY_FIELD] = str(row)
                else:
                    values[option_field(row, "mark")] = marks[oid]
    for extra in spec.fields:
        value = entry.get(extra.name)
        if extra.type == FieldType.TEXT:
            _text_fields(extra.name, value or {}, values)
        elif extra.type == FieldType.INTEGER:
            values[extra.name] = str(value if value is not None else extra.default or "")
        else:
            values[extra.name] = _dump_yaml(value) if value else ""
    return values


def option_rows(kind: Kind, entry: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """(option id, option) per form row: the fixed options of the kind, or the entry's."""
    given = [o for o in entry.get("options") or () if isinstance(o, Mapping)]
    fixed = kind.editor.fixed_options
    if fixed:
        by_id = {str(o.get("id")): o for o in given}
        return [(oid, by_id.get(oid, {})) for oid in fixed]
    return [(str(o.get("id", LETTERS[i])), o) for i, o in enumerate(given[: len(LETTERS)])]


def _marks_of(mark: KeyMark, key: Any, option_ids: list[str]) -> dict[str, str]:
    """Each option's mark in the form, from the entry's key."""
    if mark == KeyMark.ONE and isinstance(key, str | bool):
        return {str(key).lower() if isinstance(key, bool) else key: "1"}
    if mark == KeyMark.MANY and isinstance(key, list):
        return {str(k): "1" for k in key}
    if mark == KeyMark.PLACE and isinstance(key, list):
        return {str(k): str(place) for place, k in enumerate(key, start=1)}
    if mark == KeyMark.RATING and isinstance(key, Mapping):
        return {str(k): str(v) for k, v in key.items()}
    return {}


# ---------------------------------------------------------------- form -> entry


@dataclass
class FormEntry:
    """An entry read from the form. `rows` gives each option id its form row (for placing
    errors); YAML fields stay text here, to be read with line numbers by the checker."""

    entry: dict[str, Any]
    rows: dict[str, int] = field(default_factory=dict)
    yaml_fields: dict[str, str] = field(default_factory=dict)


def _text_from(form: Mapping[str, str], name: str) -> dict[str, str] | None:
    texts = {lang: (form.get(f"{name}-{lang}") or "").strip() for lang in LANGUAGES}
    return texts if any(texts.values()) else None


def _whole_number(raw: str | None) -> int | str | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    return int(raw) if raw.isdigit() else raw  # not a number: the checker names the field


def entry_from_form(
    form: Mapping[str, str], kind: Kind, item_id: str, code: str, max_rows: int | None = None
) -> FormEntry:
    """The entry the form describes. Empty option rows are left out and the rest lettered
    a, b, c … in order (fixed options keep their ids); marks become the kind's key."""
    entry: dict[str, Any] = {
        "id": item_id,
        "code": code,
        "kind": kind.name,
        "difficulty": _whole_number(form.get("difficulty")),
        "scenario": form.get("scenario") == "1",
    }
    stem = _text_from(form, "stem")
    if stem:
        entry["stem"] = stem
    result = FormEntry(entry)
    spec = kind.editor
    if spec.has_options:
        _options_from_form(form, kind, result, max_rows or kind.max_options)
    for extra in spec.fields:
        _extra_from_form(form, extra, result)
    locator = {
        part: (form.get(f"locator-{part}") or "").strip() for part in ("doc", "anchor", "note")
    }
    entry["locator"] = {k: v for k, v in locator.items() if v or k != "note"}
    return result


def _options_from_form(
    form: Mapping[str, str], kind: Kind, result: FormEntry, max_rows: int
) -> None:
    spec = kind.editor
    fixed = spec.fixed_options
    options: list[dict[str, Any]] = []
    marks: dict[str, str] = {}
    filled = {}
    for row in range(len(fixed) if fixed else min(max_rows, len(LETTERS))):
        texts = {part: _text_from(form, option_field(row, part)) for part in OPTION_TEXTS}
        if fixed or any(texts.values()):
            filled[row] = texts
    ids = _option_ids(form, list(filled), fixed)
    for row, texts in filled.items():
        oid = ids[row]
        option: dict[str, Any] = {"id": oid}
        if texts["text"] or kind.default_text(oid) is None:
            option["text"] = texts["text"] or {}
        option["explanation"] = texts["explanation"] or {}
        if spec.has_match:
            option["match"] = texts["match"] or {}
        tag = (form.get(option_field(row, "misconception")) or "").strip()
        if tag:
            option["misconception"] = tag
        options.append(option)
        result.rows[oid] = row
        if spec.key_mark == KeyMark.ONE:
            mark = "1" if form.get(KEY_FIELD) == str(row) else ""
        else:
            mark = (form.get(option_field(row, "mark")) or "").strip()
        if mark:
            marks[oid] = mark
    result.entry["options"] = options
    key = _key_from_marks(spec.key_mark, marks, [o["id"] for o in options])
    if key is not None:
        result.entry["key"] = key


def _option_ids(form: Mapping[str, str], rows: list[int], fixed: tuple[str, ...]) -> dict[int, str]:
    """Each filled row's option id: a fixed option's own, the id it was shown with (so that an
    edit keeps the ids), or else the first letter still free."""
    if fixed:
        return {row: fixed[row] for row in rows}
    ids: dict[int, str] = {}
    for row in rows:
        given = (form.get(option_field(row, "id")) or "").strip()
        if len(given) == 1 and given in LETTERS and given not in ids.values():
            ids[row] = given
    free = iter(letter for letter in LETTERS if letter not in ids.values())
    for row in rows:
        if row not in ids:
            ids[row] = next(free)
    return ids


def _key_from_marks(mark: KeyMark, marks: Mapping[str, str], option_ids: list[str]) -> Any:
    """The entry's key from the marks given in the form (None: no key to write)."""
    if mark == KeyMark.ONE:
        return next(iter(marks), None)
    if mark == KeyMark.MANY:
        return [oid for oid in option_ids if oid in marks] or None
    if mark == KeyMark.PLACE:
        places = sorted(int(v) for v in marks.values() if v.isdigit())
        if not marks or places != list(range(1, len(marks) + 1)):
            # No places, or places that are not 1 … n once each: kept as given, so that the
            # checker refuses the key by name.
            return dict(marks) or None
        return sorted(marks, key=lambda oid: int(marks[oid]))
    if mark == KeyMark.RATING:
        return {oid: int(v) if v.isdigit() else v for oid, v in marks.items()} or None
    return None


def _extra_from_form(form: Mapping[str, str], extra: EditorField, result: FormEntry) -> None:
    if extra.type == FieldType.TEXT:
        text = _text_from(form, extra.name)
        if text:
            result.entry[extra.name] = text
    elif extra.type == FieldType.INTEGER:
        number = _whole_number(form.get(extra.name))
        if number is not None:
            result.entry[extra.name] = number
    else:
        raw = form.get(extra.name) or ""
        if raw.strip():
            result.yaml_fields[extra.name] = raw
