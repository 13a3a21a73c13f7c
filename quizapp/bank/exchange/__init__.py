"""Import and export of questions (pure: no Flask, no database).

Four formats, each a module with `read(data, source, rules) -> Reading` and
`write(items, rules) -> WriteResult`: the XLSX layout Chinese platforms use (`xlsx`), Moodle's
GIFT (`gift`) and Moodle XML (`moodle_xml`), and the bank's own YAML (`yaml_io`). A reader
turns a file into the entries an items file holds; the bank's parser and every rule of
`flask bank check` then apply, and an import is all or nothing. What maps and what does not is
in docs/exchange.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath
from types import ModuleType

from ..schema import Item
from . import gift, moodle_xml, xlsx, yaml_io
from .checking import (
    BankRules,
    Problem,
    Reading,
    ReadResult,
    Skipped,
    WriteResult,
    load_rules,
    result_of,
)

FORMATS: dict[str, ModuleType] = {
    module.NAME: module for module in (xlsx, gift, moodle_xml, yaml_io)
}
EXTENSIONS = {
    ".xlsx": "xlsx",
    ".gift": "gift",
    ".txt": "gift",
    ".xml": "moodle-xml",
    ".yaml": "yaml",
    ".yml": "yaml",
}
MAX_FILE_BYTES = 8 * 1024 * 1024


class UnknownFormat(ValueError):
    """A file whose format cannot be told from its name (and none was given)."""


def format_for(filename: str, format_name: str | None = None) -> str:
    """The format asked for, else the one the file's extension names."""
    if format_name:
        if format_name not in FORMATS:
            raise UnknownFormat(f"unknown format {format_name!r}: {', '.join(FORMATS)}")
        return format_name
    suffix = PurePath(filename).suffix.lower()
    if suffix not in EXTENSIONS:
        raise UnknownFormat(
            f"cannot tell the format of {filename!r} from its extension ({', '.join(EXTENSIONS)})"
        )
    return EXTENSIONS[suffix]


def read_upload(
    filename: str, data: bytes, rules: BankRules | None = None, format_name: str | None = None
) -> ReadResult:
    """Read an uploaded file: its items when every rule holds, else every error (and no
    items). Never raises for a bad file."""
    try:
        name = format_for(filename, format_name)
    except UnknownFormat as exc:
        return ReadResult(format_name or "", errors=(Problem("file", str(exc)),))
    if len(data) > MAX_FILE_BYTES:
        return ReadResult(
            name,
            errors=(
                Problem("file", f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB"),
            ),
        )
    rules = rules or BankRules()
    reading = FORMATS[name].read(data, filename, rules)
    return result_of(name, reading, filename, rules)


def export_items(
    items: Iterable[Item], format_name: str, rules: BankRules | None = None
) -> WriteResult:
    """The items in a format; those it cannot express are skipped and named."""
    return FORMATS[format_for("", format_name)].write(items, rules)


def xlsx_template(rules: BankRules | None = None) -> bytes:
    """The empty XLSX template: header row, drop-down lists, instructions."""
    return xlsx.template(rules)


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "BankRules",
    "Problem",
    "ReadResult",
    "Reading",
    "Skipped",
    "UnknownFormat",
    "WriteResult",
    "export_items",
    "format_for",
    "load_rules",
    "read_upload",
    "xlsx_template",
]
