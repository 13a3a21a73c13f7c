"""Check an entry from the question editor with the bank's own rules, and place every error
beside the field it is about (pure).

The entry goes through the same parser as an items file (`parsing.parse_item_entry`, which
asks the item's kind for its part) and the same source checks as `flask bank check` (the
anchor stands in its document; no text copies a run of a document). The form's mappings are
numbered as if they were lines of a file, so an error's line tells which field it is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ...kinds import Kind
from ...kinds.base import FieldType
from ..parsing import parse_item_entry
from ..provenance import SourceFingerprint, check_locators, source_refs
from ..schema import Bank, Text, strings_in
from ..schema import Item as ParsedItem
from ..yaml_source import Collector, LineDict, parse_yaml
from .entry import FormEntry

GENERAL = "item"  # errors about the item as a whole
# Lines of a YAML field's text start here (one block per field), so they never meet the
# numbers given to the form's own mappings.
YAML_BLOCK = 10_000
QUOTED_FIELD_RE = re.compile(r"'([a-z_]+)(?:\.[a-z]+)?'")


@dataclass(frozen=True)
class SourceCheck:
    """What the source checks need: each document's title (the documents a locator may name),
    the documents themselves and their fingerprint (empty when the seeds are not at hand)."""

    titles: Mapping[str, Text]
    documents: Mapping[str, str]
    fingerprint: SourceFingerprint | None = None


@dataclass(frozen=True)
class CheckedEntry:
    item: ParsedItem | None  # the parsed item when there is no error
    errors: Mapping[str, tuple[str, ...]]  # field group (stem, option-0, key, …) -> messages
    style: tuple[str, ...] = ()  # house-style notes (STYLE.md): shown, never blocking

    @property
    def ok(self) -> bool:
        return self.item is not None and not self.errors

    @property
    def count(self) -> int:
        return sum(len(messages) for messages in self.errors.values())


class _Numbering:
    """Numbers each mapping built from the form and remembers its field group."""

    def __init__(self) -> None:
        self.groups: dict[int, str] = {}
        self.yaml_blocks: dict[int, str] = {}

    def mapping(self, value: Mapping[str, Any], group: str) -> LineDict:
        data = LineDict(value)
        data.line = len(self.groups) + 1
        self.groups[data.line] = group
        return data

    def group_of(self, line: int) -> tuple[str, int | None]:
        """The field group of a line, and the line within a YAML field's text."""
        if line >= YAML_BLOCK:
            block = line // YAML_BLOCK
            return self.yaml_blocks.get(block, GENERAL), line - block * YAML_BLOCK
        return self.groups.get(line, GENERAL), None


def _shift_lines(value: Any, offset: int) -> None:
    if isinstance(value, LineDict):
        value.line += offset
    if isinstance(value, dict):
        for inner in value.values():
            _shift_lines(inner, offset)
    elif isinstance(value, list):
        for inner in value:
            _shift_lines(inner, offset)


def _as_lines(
    form_entry: FormEntry, kind: Kind, numbering: _Numbering, errors: list[tuple[str, str]]
) -> LineDict:
    """The entry as the parser reads a file: mappings with line numbers."""
    entry = form_entry.entry
    data = numbering.mapping({}, GENERAL)
    for name, value in entry.items():
        if name == "options":
            data[name] = [
                _option_lines(option, form_entry.rows.get(option["id"], 0), numbering)
                for option in value
            ]
        elif isinstance(value, Mapping):
            data[name] = numbering.mapping(value, name)
        else:
            data[name] = value
    for block, (name, text) in enumerate(form_entry.yaml_fields.items(), start=1):
        numbering.yaml_blocks[block] = name
        value, yaml_errors = parse_yaml(text, name)
        for error in yaml_errors:
            errors.append((name, f"line {error.line}: {error.message}"))
        if not yaml_errors:
            _shift_lines(value, block * YAML_BLOCK)
            data[name] = value
    return data


def _option_lines(option: Mapping[str, Any], row: int, numbering: _Numbering) -> LineDict:
    group = f"option-{row}"
    return numbering.mapping(
        {
            part: numbering.mapping(value, group) if isinstance(value, Mapping) else value
            for part, value in option.items()
        },
        group,
    )


def _field_of(message: str, fields: set[str]) -> str:
    """The field an item-level message is about: the first field it quotes, else the first
    it names ("stem.zh must mark …", "needs 2 to 8 options")."""
    for name in QUOTED_FIELD_RE.findall(message):
        if name in fields:
            return name
    for word in message.split():
        name = word.strip("'.,:()").split(".")[0]
        if name in fields:
            return name
        if name.startswith("option"):
            return "options"
    return GENERAL


def _without_label(message: str, label: str) -> str:
    if message.startswith(label):
        message = message[len(label) :]
    return message.lstrip(" :")


def _texts_by_group(form_entry: FormEntry, kind: Kind) -> Iterator[tuple[str, str]]:
    """Every text a cadre reads, with the field group it was typed in."""
    entry = form_entry.entry
    for group in ("stem",):
        yield from ((group, text) for text in (entry.get(group) or {}).values())
    for option in entry.get("options", ()):
        group = f"option-{form_entry.rows.get(option['id'], 0)}"
        for part in ("text", "explanation", "match"):
            yield from ((group, text) for text in (option.get(part) or {}).values())
    for extra in kind.editor.fields:
        if extra.type == FieldType.TEXT:
            yield from ((extra.name, text) for text in (entry.get(extra.name) or {}).values())
    yield "locator", entry.get("locator", {}).get("note") or ""


def _yaml_texts(form_entry: FormEntry, parsed: ParsedItem) -> Iterator[tuple[str, str]]:
    """Texts typed in YAML fields (a rubric, accepted answers), as the parser read them."""
    for name in form_entry.yaml_fields:
        yield from ((name, text) for text in strings_in(parsed.extra.get(name)))


def check_entry(
    form_entry: FormEntry, kind: Kind, tags: set[str] | None, sources: SourceCheck
) -> CheckedEntry:
    """Parse and check the entry; errors by field group, each in the checker's words."""
    entry = form_entry.entry
    real_id = str(entry["id"])
    # The parser wants a bank id (A3-017); a local item's id (A3-L0001) is put back after.
    placeholder = f"{entry['code']}-000"
    numbering = _Numbering()
    placed: list[tuple[str, str]] = []
    data = _as_lines(
        FormEntry({**entry, "id": placeholder}, form_entry.rows, form_entry.yaml_fields),
        kind,
        numbering,
        placed,
    )
    check = Collector("editor")
    parsed = parse_item_entry(data, check, tags)
    label = f"item {placeholder}"
    fields = {
        "difficulty",
        "scenario",
        "stem",
        "key",
        "options",
        "locator",
        "code",
        "kind",
        *(extra.name for extra in kind.editor.fields),
    }
    for error in check.errors:
        group, yaml_line = numbering.group_of(error.line)
        message = _without_label(error.message, label)
        if group == GENERAL:
            group = _field_of(message, fields)
        placed.append((group, f"line {yaml_line}: {message}" if yaml_line else message))
    if parsed is not None and not placed:
        placed += _source_errors(form_entry, kind, parsed, sources)
    errors: dict[str, list[str]] = {}
    for group, message in placed:
        errors.setdefault(group, []).append(message)
    if errors or parsed is None:
        return CheckedEntry(None, {g: tuple(m) for g, m in errors.items()})
    item = replace(
        parsed,
        id=real_id,
        file="",
        line=0,
        locator=replace(parsed.locator, title=sources.titles.get(parsed.locator.doc)),
    )
    return CheckedEntry(item, {}, tuple(kind.style(item)))


def _source_errors(
    form_entry: FormEntry, kind: Kind, parsed: ParsedItem, sources: SourceCheck
) -> list[tuple[str, str]]:
    """The locator names a document we have a title for, its anchor stands in it, and no text
    copies a run of a document (when the documents are at hand)."""
    if parsed.locator.doc not in sources.titles:
        return [("locator", f"document {parsed.locator.doc} is not one of the sources")]
    errors: list[tuple[str, str]] = []
    if sources.documents:
        refs = source_refs(Bank(items=(parsed,)))
        errors += [
            ("locator", _without_label(error.message, f"item {parsed.id}"))
            for error in check_locators(refs, sources.documents)
        ]
    if sources.fingerprint is not None:
        for group, text in [*_texts_by_group(form_entry, kind), *_yaml_texts(form_entry, parsed)]:
            phrase = sources.fingerprint.copied_phrase(text)
            if phrase:
                errors.append((group, f"copied from a document: {phrase!r}"))
    return errors
