"""The question editor's services: browse, write a new version, review, retire, and which local
items an assignment may add. Flush, never commit; every change lands with its audit event.

An item's versions are never changed once written: every save adds a version (a draft), and
approving it makes it the item's published, current version, the one quizzes draw. Attempts
point at the versions they showed, so nothing here rewrites a result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from ...audit.models import AuditAction
from ...audit.services import record
from ...auth.models import User
from ...auth.roles import Role
from ...extensions import db
from ..loader import SOURCES_FILE, read_documents
from ..models import Item, ItemVersion, Misconception
from ..parsing import parse_sources
from ..provenance import SourceFingerprint
from ..schema import Item as ParsedItem
from ..vocabulary import VersionStatus
from . import policy
from .checking import SourceCheck

PER_PAGE = 20


class EditorRefused(Exception):
    """An editor action that cannot be done now; str() says why in plain English."""


class NotAllowed(EditorRefused):
    pass


class WrongState(EditorRefused):
    pass


class NothingChanged(EditorRefused):
    pass


class StaleEdit(EditorRefused):
    """Someone saved a newer version since this form was opened."""


# ---------------------------------------------------------------- browsing


@dataclass(frozen=True)
class Filters:
    code: str = ""
    kind: str = ""
    status: str = ""  # draft, in_review, published or retired
    owner: str = ""  # shared, local, mine (or empty: all)
    q: str = ""


HEAD = and_(ItemVersion.item_id == Item.id, ItemVersion.version == Item.head_version)


def _visible_to(viewer: User) -> ColumnElement[bool]:
    """What the browse list shows a viewer (policy.can_view as SQL)."""
    if viewer.role == Role.ADMIN:
        return true()
    return or_(
        Item.owner_id.is_(None),
        Item.owner_id == viewer.id,
        ItemVersion.status == VersionStatus.IN_REVIEW,
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def browse_query(viewer: User, filters: Filters) -> Select:
    """Items with their newest version and owner's name, newest change first: one query."""
    owner = aliased(User)
    query = (
        select(Item, ItemVersion, owner.display_name)
        .join(ItemVersion, HEAD)
        .outerjoin(owner, owner.id == Item.owner_id)
        .where(Item.questionnaire_id.is_(None), _visible_to(viewer))
    )
    if filters.code:
        query = query.where(Item.code == filters.code)
    if filters.kind:
        query = query.where(ItemVersion.kind == filters.kind)
    if filters.status == "retired":
        query = query.where(Item.is_retired.is_(True))
    elif filters.status:
        query = query.where(ItemVersion.status == filters.status, Item.is_retired.is_(False))
    if filters.owner == "shared":
        query = query.where(Item.owner_id.is_(None))
    elif filters.owner == "local":
        query = query.where(Item.owner_id.is_not(None))
    elif filters.owner == "mine":
        query = query.where(Item.owner_id == viewer.id)
    words = filters.q.strip().lower()
    if words:
        pattern = f"%{_escape_like(words)}%"
        query = query.where(
            or_(
                func.lower(Item.id).like(pattern, escape="\\"),
                ItemVersion.search_text.like(pattern, escape="\\"),
            )
        )
    return query.order_by(ItemVersion.created_at.desc(), Item.id)


@dataclass(frozen=True)
class Page:
    """One page of rows, and where it stands among the others."""

    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def browse(viewer: User, filters: Filters, page: int) -> Page:
    """A page of the browse list, rows (item, newest version, owner's name): two queries,
    whatever the page holds."""
    query = browse_query(viewer, filters)
    total = (
        db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    )
    page = min(max(1, page), max(1, -(-total // PER_PAGE)))
    rows = db.session.execute(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return Page([tuple(row) for row in rows], page, PER_PAGE, total)


def waiting_for_review(viewer: User) -> int:
    """How many items wait for a review this viewer may give."""
    query = (
        select(func.count())
        .select_from(Item)
        .join(ItemVersion, HEAD)
        .where(
            ItemVersion.status == VersionStatus.IN_REVIEW,
            Item.is_retired.is_(False),
            or_(ItemVersion.author_id.is_(None), ItemVersion.author_id != viewer.id),
        )
    )
    if viewer.role != Role.ADMIN:
        query = query.where(Item.owner_id.is_not(None))
    return db.session.scalar(query) or 0


# ---------------------------------------------------------------- one item


@dataclass(frozen=True)
class VersionRow:
    version: ItemVersion
    author: str | None
    reviewer: str | None


def load_item(item_id: str, for_update: bool = False) -> tuple[Item, ItemVersion] | None:
    """An item of the editor (not a questionnaire statement) with its newest version; locked
    for a write on PostgreSQL when `for_update`."""
    query = (
        select(Item, ItemVersion)
        .join(ItemVersion, HEAD)
        .where(Item.id == item_id, Item.questionnaire_id.is_(None))
    )
    if for_update:
        query = query.with_for_update(of=Item).execution_options(populate_existing=True)
    row = db.session.execute(query).first()
    return (row[0], row[1]) if row else None


def history(item: Item) -> list[VersionRow]:
    """Every version of the item, newest first, with its author's and reviewer's names."""
    author, reviewer = aliased(User), aliased(User)
    rows = db.session.execute(
        select(ItemVersion, author.display_name, reviewer.display_name)
        .outerjoin(author, author.id == ItemVersion.author_id)
        .outerjoin(reviewer, reviewer.id == ItemVersion.reviewer_id)
        .where(ItemVersion.item_id == item.id)
        .order_by(ItemVersion.version.desc())
    )
    return [VersionRow(*row) for row in rows]


def owner_name(item: Item) -> str | None:
    if item.owner_id is None:
        return None
    return db.session.scalar(select(User.display_name).where(User.id == item.owner_id))


# ---------------------------------------------------------------- writing


def _next_number(ids: Iterable[str], pattern: re.Pattern[str], limit: int) -> int:
    numbers = {int(m.group(1)) for i in ids if (m := pattern.match(i))}
    highest = max(numbers, default=0)
    if highest < limit:
        return highest + 1
    return next(n for n in range(1, limit + 1) if n not in numbers)


def next_item_id(code: str, local: bool) -> str:
    """The next free id of the code: A3-018 in the shared bank; A3-L0001 in the local banks,
    which never meet the files' numbers."""
    ids = db.session.scalars(select(Item.id).where(Item.code == code)).all()
    if local:
        number = _next_number(ids, re.compile(re.escape(code) + r"-L(\d{4})$"), 9999)
        return f"{code}-L{number:04d}"
    number = _next_number(ids, re.compile(re.escape(code) + r"-(\d{3})$"), 999)
    return f"{code}-{number:03d}"


def _new_version(item: Item, number: int, parsed: ParsedItem, author: User) -> ItemVersion:
    version = ItemVersion(
        item_id=item.id,
        version=number,
        content_hash=parsed.content_hash(),
        kind=parsed.kind,
        difficulty=parsed.difficulty,
        scenario=parsed.scenario,
        content=parsed.to_content(),
        status=VersionStatus.DRAFT,
        author_id=author.id,
    )
    db.session.add(version)
    item.head_version = number
    return version


def create_item(author: User, parsed: ParsedItem) -> Item:
    """A new item from a checked entry: in the author's local bank for a coordinator, in the
    shared bank for an admin; its first version is a draft."""
    local = policy.can_write_local(author)
    if not local and not policy.can_write_shared(author):
        raise NotAllowed("only coordinators and admins write items")
    for _ in range(3):  # another editor may take the same number at the same moment
        item_id = next_item_id(parsed.code, local)
        try:
            with db.session.begin_nested():
                item = Item(
                    id=item_id,
                    code=parsed.code,
                    current_version=0,
                    head_version=0,
                    is_retired=False,
                    owner_id=author.id if local else None,
                )
                db.session.add(item)
                db.session.flush()
        except IntegrityError:
            continue
        _new_version(item, 1, parsed, author)
        record(
            AuditAction.ITEM_CREATED,
            author.id,
            item.id,
            {"kind": parsed.kind, "code": parsed.code, "local": local},
        )
        db.session.flush()
        return item
    raise EditorRefused("could not find a free item number; please try again")


def save_version(
    item: Item, head: ItemVersion, author: User, parsed: ParsedItem, base_version: int | None
) -> ItemVersion:
    """A new draft version of the item; the published one stays what quizzes draw until this
    one is approved."""
    if not policy.can_edit(author, item.owner_id):
        raise NotAllowed("you cannot edit this item")
    if item.is_retired:
        raise WrongState("this item is retired")
    if base_version is not None and base_version != head.version:
        raise StaleEdit(f"version {head.version} was saved after you opened this form")
    if parsed.content_hash() == head.content_hash:
        raise NothingChanged("nothing changed")
    version = _new_version(item, head.version + 1, parsed, author)
    record(AuditAction.ITEM_EDITED, author.id, item.id, {"version": version.version})
    db.session.flush()
    return version


def import_items(author: User, items: Sequence[ParsedItem], source: str) -> list[Item]:
    """Every item read from a file as a new draft of the author's bank (his local bank for a
    coordinator, the shared bank for an admin), under new ids; all in the caller's
    transaction, so a failure leaves none."""
    created = [create_item(author, parsed) for parsed in items]
    record(
        AuditAction.ITEMS_IMPORTED,
        author.id,
        source[:128],
        {"items": [item.id for item in created]},
    )
    db.session.flush()
    return created


# ---------------------------------------------------------------- local items in assignments


def usable_local_items(
    owner_id: int, item_ids: Sequence[str] | None = None
) -> list[tuple[Item, ItemVersion]]:
    """The owner's local items an assignment of his cohorts may add: published and in use
    (of `item_ids` only, when given), with their published version, by id."""
    query = (
        select(Item, ItemVersion)
        .join(
            ItemVersion,
            and_(ItemVersion.item_id == Item.id, ItemVersion.version == Item.current_version),
        )
        .where(Item.owner_id == owner_id, Item.is_retired.is_(False), Item.current_version > 0)
        .order_by(Item.id)
    )
    if item_ids is not None:
        query = query.where(Item.id.in_(list(item_ids)))
    return [(item, version) for item, version in db.session.execute(query)]


# ---------------------------------------------------------------- what the checks need


def misconception_labels() -> dict[str, dict[str, str]]:
    return {
        row.tag: row.label
        for row in db.session.scalars(select(Misconception).order_by(Misconception.tag))
    }


@lru_cache(maxsize=4)
def source_check(bank_dir: str, seeds_dir: str) -> SourceCheck:
    """Document titles from the bank's sources.yaml, and the documents with their fingerprint
    when the seeds are at hand (made once per process: a fingerprint takes a moment)."""
    sources = Path(bank_dir) / SOURCES_FILE
    titles = (
        parse_sources(sources.read_text(encoding="utf-8"), SOURCES_FILE)[0]
        if sources.is_file()
        else {}
    )
    seeds = Path(seeds_dir)
    documents = read_documents(seeds) if seeds.is_dir() else {}
    return SourceCheck(titles, documents, SourceFingerprint.of(documents) if documents else None)
