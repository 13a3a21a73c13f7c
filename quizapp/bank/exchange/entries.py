"""Items as entries — the mappings of an items file — and back (pure).

Every format reads a file into entries and writes entries out; the bank's own parser then
validates what was read, so a spreadsheet row meets exactly the rules of `flask bank check`.
What an entry holds beyond the common fields is the kind's to say: the question editor's
spec of each kind (`Kind.editor`) tells how its key is marked and which fields it has.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from ...kinds import Kind, item_file_kinds, kind_of
from ...kinds.base import KeyMark
from ..schema import Item, Option, Text
from ..yaml_source import LineDict

OPTION_LETTERS = "abcdefgh"
CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class Form(StrEnum):
    """How a kind's answer travels in a flat row or a Moodle question."""

    CHOICE = "choice"  # one key option
    TRUTH = "truth"  # the options true and false, one of them the key
    CHOICES = "choices"  # a set of key options (partial credit)
    ORDER = "order"  # every option once, first step first
    RATINGS = "ratings"  # a rating of every option on the kind's scale
    MATCHES = "matches"  # each option pairs with its own match; no key
    BLANKS = "blanks"  # accepted wordings per blank, and one explanation
    RUBRIC = "rubric"  # free text graded by a person with a rubric and a model answer


_BY_MARK = {
    KeyMark.ONE: Form.CHOICE,
    KeyMark.MANY: Form.CHOICES,
    KeyMark.PLACE: Form.ORDER,
    KeyMark.RATING: Form.RATINGS,
}


def form_of(kind: Kind) -> Form:
    """The form of a kind, read from what the kind tells the editor."""
    spec = kind.editor
    if not spec.has_options:
        return Form.BLANKS if "blanks" in kind.fields else Form.RUBRIC
    if spec.has_match:
        return Form.MATCHES
    if spec.fixed_options:
        return Form.TRUTH
    return _BY_MARK[spec.key_mark]


def kind_for(form: Form) -> Kind:
    """The kind of items files that has this form."""
    return next(kind for kind in item_file_kinds() if form_of(kind) == form)


# ---------------------------------------------------------------- item → entry


def text_entry(text: Text) -> dict[str, str]:
    return {"zh": text.zh, "en": text.en}


def option_entry(option: Option, kind: Kind) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": option.id}
    if option.text != kind.default_text(option.id):
        entry["text"] = text_entry(option.text)
    entry["explanation"] = text_entry(option.explanation)
    if option.match is not None:
        entry["match"] = text_entry(option.match)
    if option.misconception:
        entry["misconception"] = option.misconception
    return entry


def key_entry(item: Item, form: Form) -> Any:
    """The key as an items file writes it; None for a kind without one."""
    pairs = dict(pair.partition("=")[::2] for pair in item.key)
    if form in (Form.CHOICE, Form.TRUTH):
        return item.key[0]
    if form == Form.CHOICES:
        return list(item.key)
    if form == Form.ORDER:
        return sorted(pairs, key=lambda option: int(pairs[option]))
    if form == Form.RATINGS:
        return {option: int(rating) for option, rating in pairs.items()}
    return None


def item_entry(item: Item) -> dict[str, Any]:
    """An item as an items file holds it (what the parser reads back into the same item)."""
    kind = kind_of(item.kind)
    form = form_of(kind)
    entry: dict[str, Any] = {
        "id": item.id,
        "code": item.code,
        "kind": item.kind,
        "difficulty": item.difficulty,
        "scenario": item.scenario,
        "stem": text_entry(item.stem),
    }
    if kind.editor.has_options:
        entry["options"] = [option_entry(option, kind) for option in item.options]
        key = key_entry(item, form)
        if key is not None:
            entry["key"] = key
    for name in kind.fields:
        if name not in ("options", "key") and name in item.extra:
            entry[name] = copy.deepcopy(item.extra[name])
    locator = {"doc": item.locator.doc, "anchor": item.locator.anchor}
    if item.locator.note:
        locator["note"] = item.locator.note
    entry["locator"] = locator
    return entry


# ---------------------------------------------------------------- entry parts for readers


def lined(values: Mapping[str, Any], line: int) -> LineDict:
    """A mapping the parser can name a line for (readers give each part its own place)."""
    result = LineDict(values)
    result.line = line
    return result


def text_part(zh: str | None, en: str | None, line: int) -> LineDict | None:
    """A {zh, en} text of the languages given; None when neither is (the parser then says
    which is missing)."""
    values = {lang: value for lang, value in (("zh", zh), ("en", en)) if value}
    return lined(values, line) if values else None


def split_languages(words: list[str]) -> dict[str, list[str]]:
    """Accepted wordings from a format that keeps one flat list: a wording with a Chinese
    character is Chinese, any other English."""
    return {
        "zh": [w for w in words if CJK_RE.search(w)],
        "en": [w for w in words if not CJK_RE.search(w)],
    }


def default_ids(count: int) -> list[str]:
    return list(OPTION_LETTERS[:count])
