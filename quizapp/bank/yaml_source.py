"""YAML that remembers line numbers, and the collector that names file and line in errors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

from .schema import BankError, Text
from .vocabulary import LANGUAGES


class LineDict(dict):
    """A mapping that remembers the line it started on, so errors can point at it."""

    line: int = 0


class LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    result = LineDict(loader.construct_mapping(node, deep=True))
    result.line = node.start_mark.line + 1
    return result


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml(text: str, filename: str) -> tuple[Any, list[BankError]]:
    try:
        # LineLoader is a SafeLoader subclass: no arbitrary objects are built.
        return yaml.load(text, Loader=LineLoader), []  # noqa: S506  # nosec B506
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return None, [BankError(filename, line, f"invalid YAML: {exc.problem or exc}")]
    except yaml.YAMLError as exc:
        return None, [BankError(filename, 1, f"invalid YAML: {exc}")]


# ---------------------------------------------------------------- collecting errors


class Collector:
    """Collects errors for one file; each check names the line of the mapping it looked at."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.errors: list[BankError] = []

    def add(self, where: Any, message: str) -> None:
        line = where.line if isinstance(where, LineDict) else int(where or 1)
        self.errors.append(BankError(self.filename, line, message))

    def mapping(self, value: Any, parent: Any, what: str) -> LineDict | None:
        if isinstance(value, LineDict):
            return value
        self.add(parent, f"{what} must be a mapping")
        return None

    def unknown_keys(self, data: LineDict, allowed: Iterable[str], what: str) -> None:
        extra = sorted(set(map(str, data)) - set(allowed))
        if extra:
            self.add(data, f"{what}: unknown field(s) {', '.join(extra)}")

    def text(self, data: LineDict, key: str, what: str, required: bool = True) -> Text | None:
        value = data.get(key)
        if value is None:
            if required:
                self.add(data, f"{what}: missing '{key}' (needs zh and en)")
            return None
        if not isinstance(value, LineDict):
            self.add(data, f"{what}: '{key}' must have 'zh' and 'en' texts")
            return None
        self.unknown_keys(value, LANGUAGES, f"{what}.{key}")
        texts = {}
        for lang in LANGUAGES:
            raw = value.get(lang)
            if raw is not None and not isinstance(raw, str):
                # YAML reads bare yes/no/on/off, numbers and dates as non-text.
                self.add(value, f"{what}: '{key}.{lang}' must be text (put it in quotes)")
                return None
            if not isinstance(raw, str) or not raw.strip():
                self.add(value, f"{what}: '{key}.{lang}' is missing or empty")
                return None
            texts[lang] = raw.strip()
        return Text(**texts)



def open_file(text: str, filename: str) -> tuple[LineDict | None, Collector]:
    """Parse a file whose top level is a mapping; its errors go into the returned collector."""
    check = Collector(filename)
    data, errors = parse_yaml(text, filename)
    check.errors.extend(errors)
    root = check.mapping(data, 1, "file") if not errors else None
    return root, check
