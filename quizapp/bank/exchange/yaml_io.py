"""The bank's own YAML: an items file (`items: [...]`), as in question_bank/items/ (pure).

Written out, a local bank joins the shipped one by putting the file under
question_bank/items/; read in, every entry meets the rules of `flask bank check`.
"""

from __future__ import annotations

from collections.abc import Iterable

import yaml

from ..schema import Item
from ..yaml_source import LineDict, parse_yaml
from .checking import BankRules, Problem, Reading, WriteResult, line_problem
from .entries import item_entry

NAME = "yaml"
# libyaml's safe dumper when it is built in (several times faster), else the pure one.
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
HEADER = (
    "# Items exported from the question bank. Put this file under question_bank/items/\n"
    "# to add them to the shipped bank; `flask bank check` validates it there.\n"
)


def read(data: bytes, source: str, rules: BankRules | None = None) -> Reading:
    """The entries of an items file, or where it cannot be read."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Reading([], [Problem("file", "the file is not UTF-8 text")])
    root, errors = parse_yaml(text, source)
    if errors:
        return Reading([], [line_problem(error) for error in errors])
    if not isinstance(root, LineDict) or not isinstance(root.get("items"), list):
        return Reading(
            [], [Problem("line 1", "an items file is a mapping with an 'items' list", 1)]
        )
    problems = [
        Problem(f"line {root.line}", f"unknown field {key!r} (only 'items')", root.line)
        for key in root
        if key != "items"
    ]
    entries: list[LineDict] = []
    for index, entry in enumerate(root["items"], start=1):
        if isinstance(entry, LineDict):
            entries.append(entry)
        else:
            problems.append(
                Problem(f"line {root.line}", f"item #{index} must be a mapping", root.line)
            )
    return Reading(entries, problems)


def write(items: Iterable[Item], rules: BankRules | None = None) -> WriteResult:
    """Every item as an items file writes it (the YAML has a place for all of them)."""
    items = list(items)
    body = yaml.dump(
        {"items": [item_entry(item) for item in items]},
        Dumper=DUMPER,
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )
    return WriteResult((HEADER + body).encode("utf-8"), tuple(item.id for item in items))
