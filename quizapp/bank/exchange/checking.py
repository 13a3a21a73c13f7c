"""What reading and writing return, and the bank's rules applied to entries read (pure but
for `load_rules`, which reads the bank's own lists and the source documents)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from ..loader import MISCONCEPTIONS_FILE, SOURCES_FILE, read_documents
from ..parsing import parse_entries, parse_misconceptions, parse_sources
from ..provenance import check_locators, check_own_words, source_refs
from ..schema import Bank, BankError, Item, Text
from ..yaml_source import LineDict


@dataclass(frozen=True)
class Problem:
    """An error in a file read, named by where it is: a row and column, or a line."""

    where: str
    message: str
    line: int = 0  # the row or line (0: the file as a whole)
    column: str | None = None  # a spreadsheet column's header

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class ReadResult:
    """A file read: its entries, the items they make, and every error. With any error there
    are no items: an import is all or nothing."""

    format: str
    entries: tuple[LineDict, ...] = ()
    items: tuple[Item, ...] = ()
    errors: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    def per_kind(self) -> dict[str, int]:
        return dict(sorted(Counter(item.kind for item in self.items).items()))


@dataclass(frozen=True)
class Skipped:
    """An item a format cannot express, and why."""

    item_id: str
    kind: str
    reason: str

    def __str__(self) -> str:
        return f"{self.item_id} ({self.kind}): {self.reason}"


@dataclass(frozen=True)
class WriteResult:
    data: bytes
    written: tuple[str, ...] = ()
    skipped: tuple[Skipped, ...] = ()


@dataclass(frozen=True)
class BankRules:
    """What the bank's checks need beyond an entry: the misconception tags, the titles of the
    source documents and the documents themselves. A part left None is not checked."""

    tags: Mapping[str, Text] | None = None
    titles: Mapping[str, Text] | None = None
    documents: Mapping[str, str] | None = field(default=None, repr=False)


def load_rules(bank_dir: Path, seeds_dir: Path | None = None) -> tuple[BankRules, list[str]]:
    """The rules of the bank at `bank_dir` (and of the seeds, when found), with any error in
    the bank's own lists."""
    problems: list[str] = []
    tags: dict[str, Text] | None = None
    titles: dict[str, Text] | None = None
    if (bank_dir / MISCONCEPTIONS_FILE).is_file():
        tags, errors = parse_misconceptions(
            (bank_dir / MISCONCEPTIONS_FILE).read_text(encoding="utf-8"), MISCONCEPTIONS_FILE
        )
        problems += map(str, errors)
    if (bank_dir / SOURCES_FILE).is_file():
        titles, errors = parse_sources(
            (bank_dir / SOURCES_FILE).read_text(encoding="utf-8"), SOURCES_FILE
        )
        problems += map(str, errors)
    documents = read_documents(seeds_dir) if seeds_dir and seeds_dir.is_dir() else None
    return BankRules(tags, titles, documents), problems


Locate = Callable[[BankError], Problem]


def validate_entries(
    entries: Sequence[LineDict], source: str, rules: BankRules, locate: Locate
) -> tuple[list[Item], list[Problem]]:
    """Apply every rule of `flask bank check` to the entries read; `locate` turns the line a
    rule names into the format's own terms (a row and column, a line)."""
    items, errors = parse_entries(entries, source, rules.tags)
    seen: dict[str, Item] = {}
    for item in items:
        if item.id in seen:
            first = locate_text(seen[item.id], locate)
            errors.append(
                BankError(source, item.line, f"item {item.id} is already in this file ({first})")
            )
        seen.setdefault(item.id, item)
    if rules.titles is not None:
        titled = []
        for item in items:
            title = rules.titles.get(item.locator.doc)
            if title is None:
                errors.append(
                    BankError(
                        source,
                        item.line,
                        f"item {item.id}: document "
                        f"{item.locator.doc} has no title in the bank's list",
                    )
                )
            titled.append(replace(item, locator=replace(item.locator, title=title)))
        items = titled
    if rules.documents is not None:
        refs = source_refs(Bank(items=tuple(items)))
        errors += check_locators(refs, rules.documents)
        errors += check_own_words(refs, rules.documents)
    return items, [locate(error) for error in errors]


def locate_text(item: Item, locate: Locate) -> str:
    return locate(BankError(item.file, item.line, "")).where


def line_problem(error: BankError) -> Problem:
    """A line-numbered format's place: the line itself."""
    return Problem(f"line {error.line}" if error.line else "file", error.message, error.line)


class Reading(NamedTuple):
    """What a reader makes of a file: entries to validate, its own problems, and how to name
    the place of a rule's error in the file's terms."""

    entries: list[LineDict]
    problems: list[Problem]
    locate: Locate = line_problem


def result_of(format_name: str, reading: Reading, source: str, rules: BankRules) -> ReadResult:
    """Validate what a reader built and say what came of it: items, or every error. A rule's
    error at a place the reader already faulted is not repeated."""
    items, errors = validate_entries(reading.entries, source, rules, reading.locate)
    faulted = {(p.line, p.column) for p in reading.problems}
    errors = [e for e in errors if (e.line, e.column) not in faulted or e.column is None]
    errors = sorted([*reading.problems, *errors], key=lambda p: (p.line, p.column or ""))
    if errors:
        return ReadResult(format_name, tuple(reading.entries), (), tuple(errors))
    return ReadResult(format_name, tuple(reading.entries), tuple(items), ())


def plain(value: Any) -> Any:
    """An entry as plain dicts and lists (LineDicts forgotten), e.g. to compare or dump."""
    if isinstance(value, dict):
        return {key: plain(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [plain(inner) for inner in value]
    return value
