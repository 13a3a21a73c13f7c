"""What the editor's pages share: the bank's checks applied to a form, and the preview
rendered through the kinds' own partials in each language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import Markup

from ...kinds import Kind
from ..vocabulary import LANGUAGES
from . import services
from .checking import CheckedEntry, SourceCheck, check_entry
from .entry import entry_from_form
from .preview import preview_item


def sources() -> SourceCheck:
    """Titles, documents and fingerprint for the source checks (made once per process)."""
    return services.source_check(current_app.config["BANK_DIR"], current_app.config["SEEDS_DIR"])


def check_form(values: Mapping[str, str], kind: Kind, item_id: str, code: str) -> CheckedEntry:
    tags = set(services.misconception_labels())
    return check_entry(entry_from_form(values, kind, item_id, code), kind, tags, sources())


def preview_html(content: Mapping[str, Any], kind: Kind, style: tuple[str, ...] = ()) -> Markup:
    """The item as a cadre sees it, once in Chinese and once in English (each with its own
    fixed wording), rendered by the kind's own partials."""
    labels = services.misconception_labels()
    parts = []
    for lang in LANGUAGES:
        with force_locale(lang):
            parts.append(
                rendered("bank/_preview_one.html", item=preview_item(content, kind, lang, labels))
            )
    return rendered("bank/_preview.html", parts=parts, style=style)


def rendered(template: str, **context: Any) -> Markup:
    """A template rendered (and escaped) here, kept as HTML to place inside another."""
    return Markup(render_template(template, **context))  # noqa: S704  # nosec B704
