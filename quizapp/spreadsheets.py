"""Spreadsheet safety shared by every feature that writes or reads CSV and XLSX (pure).

Files we hand out are safe to open: a text cell a spreadsheet would run as a formula is
neutralised. Workbooks we are handed are refused before unpacking when they are too big.
"""

from __future__ import annotations

import io
import zipfile

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# An XLSX is a zip: its declared sizes are checked before a byte is inflated (zipfile never
# inflates a member past its declared size), so a zip bomb is refused, not unpacked.
MAX_UNPACKED_BYTES = 8 * 1024 * 1024
MAX_ZIP_MEMBERS = 64
MAX_COMPRESSION_RATIO = 100


def neutralised(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe
    (OWASP, CSV injection); numbers and other text pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restored(value: str) -> str:
    """The text `neutralised` was given: its apostrophe dropped again on the way back in."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def check_zip_bounds(data: bytes) -> None:
    """Refuse a workbook whose unpacked size, member count or compression ratio is too big."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError("the file is not a readable XLSX workbook") from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise ValueError("the workbook has too many parts")
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise ValueError("the workbook is too large once unpacked")
    if any(m.file_size > MAX_COMPRESSION_RATIO * max(1, m.compress_size) for m in members):
        raise ValueError("the workbook is compressed suspiciously tightly")
