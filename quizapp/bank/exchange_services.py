"""Import and export against the database (service: reads, or writes through the importer;
never commits). The formats themselves are pure: `quizapp.bank.exchange`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import and_, select

from ..extensions import db
from .exchange import BankRules, load_rules
from .models import Item, ItemVersion
from .schema import Item as ParsedItem
from .schema import Locator, Option, Text
from .vocabulary import ALL_CODES

ITEM_PARTS = ("stem", "options", "key", "locator")


def _text(value: Mapping[str, str] | None) -> Text | None:
    return Text(value["zh"], value["en"]) if value else None


def parsed_item(version: ItemVersion, code: str) -> ParsedItem:
    """A stored version as the bank's plain item (what the formats write)."""
    content: Mapping[str, Any] = version.content
    locator = content["locator"]
    options = tuple(
        Option(
            o["id"],
            Text(**o["text"]),
            Text(**o["explanation"]),
            o.get("misconception"),
            _text(o.get("match")),
        )
        for o in content.get("options", ())
    )
    return ParsedItem(
        id=version.item_id,
        code=code,
        kind=version.kind,
        difficulty=version.difficulty,
        scenario=version.scenario,
        stem=Text(**content["stem"]),
        options=options,
        key=tuple(content.get("key", ())),
        locator=Locator(
            locator["doc"], locator["anchor"], locator.get("note"), _text(locator.get("title"))
        ),
        extra={k: v for k, v in content.items() if k not in ITEM_PARTS},
    )


def published_items(code: str | None = None, owner_id: int | None = None) -> list[ParsedItem]:
    """A bank's items as quizzes draw them (published, not retired; questionnaire statements
    left out), by code and id: the shared bank, or the local bank of `owner_id`."""
    owned = Item.owner_id.is_(None) if owner_id is None else Item.owner_id == owner_id
    query = (
        select(ItemVersion, Item.code)
        .join(
            Item, and_(Item.id == ItemVersion.item_id, ItemVersion.version == Item.current_version)
        )
        .where(owned, Item.is_retired.is_(False), Item.questionnaire_id.is_(None))
    )
    if code:
        query = query.where(Item.code == code)
    rows = db.session.execute(query).all()
    order = {c: n for n, c in enumerate(ALL_CODES)}
    rows.sort(key=lambda row: (order.get(row[1], len(order)), row[0].item_id))
    return [parsed_item(version, item_code) for version, item_code in rows]


def bank_rules(bank_dir: str | Path, seeds_dir: str | Path | None) -> tuple[BankRules, list[str]]:
    """The rules an imported file must meet: the bank's tags and titles, the seeds' anchors."""
    seeds = Path(seeds_dir) if seeds_dir else None
    return load_rules(Path(bank_dir), seeds if seeds and seeds.is_dir() else None)
