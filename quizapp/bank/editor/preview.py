"""An item as a cadre would see it, for the editor's preview (pure).

The preview renders the kind's own partials (`templates/kinds/<kind>/take.html` and
`review.html`), the same ones a quiz and its review use; this module gives them the values
they read, in one language, with the key and every explanation shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...kinds import Kind, Shown, partial
from ...kinds.base import ShownOption, localized


@dataclass(frozen=True)
class PreviewItem:
    lang: str
    kind: str
    stem: str
    options: tuple[ShownOption, ...]
    view: Mapping[str, Any]
    shape: str
    locator: Mapping[str, Any]

    @property
    def attempt_item_id(self) -> str:
        """What the partials use to tell one question's fields from another's."""
        return f"preview-{self.lang}"

    @property
    def take_partial(self) -> str:
        return partial(self.kind, "take")

    @property
    def review_partial(self) -> str:
        return partial(self.kind, "review")


def preview_item(
    content: Mapping[str, Any],
    kind: Kind,
    lang: str,
    misconceptions: Mapping[str, Mapping[str, str]],
) -> PreviewItem:
    """The item in `lang`, options in the order written, key and explanations shown."""
    by_id = {o["id"]: o for o in content.get("options", ())}
    order = tuple(by_id)
    key = set(content.get("key", ()))
    options = tuple(
        ShownOption(
            id=oid,
            label=kind.option_label(index, oid),
            text=localized(option["text"], lang),
            explanation=localized(option["explanation"], lang),
            is_key=oid in key,
            is_chosen=False,
            misconception=localized(misconceptions[option["misconception"]], lang)
            if option.get("misconception") in misconceptions
            else None,
        )
        for index, (oid, option) in enumerate(by_id.items())
    )
    shown = Shown(content, order, seed=0, position=1)
    return PreviewItem(
        lang=lang,
        kind=kind.name,
        stem=kind.display_stem(localized(content["stem"], lang), lang),
        options=options,
        view=kind.view(shown, None, lang, show_key=True, show_explanation=True),
        shape=kind.shape,
        locator=content.get("locator", {}),
    )
