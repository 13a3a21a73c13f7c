"""The join link as a QR code: an SVG drawn on the server (no script, no outside host)."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(text: str, title: str, scale: int = 4) -> Markup:
    """An inline SVG of `text` (medium error correction: a phone reads it off paper too).
    segno writes the markup and escapes the title, so it is safe to put in the page as is."""
    code = segno.make(text, error="m")
    return Markup(code.svg_inline(scale=scale, title=title, dark="#000", light="#fff"))  # noqa: S704  # nosec B704
