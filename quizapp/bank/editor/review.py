"""The review of a version in the question editor: submit a draft, approve it (it becomes the
published version quizzes draw) or send it back with a comment, and retire an item. Flush,
never commit; every step lands with its audit event."""

from __future__ import annotations

from ...audit.models import AuditAction
from ...audit.services import record
from ...auth.models import User
from ...db import utcnow
from ...extensions import db
from ..models import Item, ItemVersion
from ..vocabulary import VersionStatus
from . import policy
from .services import NotAllowed, WrongState


def submit_for_review(item: Item, head: ItemVersion, actor: User) -> None:
    if not policy.can_edit(actor, item.owner_id):
        raise NotAllowed("you cannot submit this item")
    if item.is_retired or head.status != VersionStatus.DRAFT:
        raise WrongState("only a draft can be submitted for review")
    head.status = VersionStatus.IN_REVIEW
    record(AuditAction.ITEM_SUBMITTED, actor.id, item.id, {"version": head.version})
    db.session.flush()


def _check_reviewer(item: Item, head: ItemVersion, actor: User) -> None:
    if not policy.can_review(actor, item.owner_id, head.author_id):
        raise NotAllowed("the author cannot review his own version")
    if head.status != VersionStatus.IN_REVIEW or item.is_retired:
        raise WrongState("this item is not waiting for review")


def approve(item: Item, head: ItemVersion, actor: User) -> None:
    """Publish the version under review: from now on quizzes draw it."""
    _check_reviewer(item, head, actor)
    head.status = VersionStatus.PUBLISHED
    head.reviewer_id, head.reviewed_at = actor.id, utcnow()
    item.current_version = head.version
    record(AuditAction.ITEM_APPROVED, actor.id, item.id, {"version": head.version})
    db.session.flush()


def reject(item: Item, head: ItemVersion, actor: User, comment: str) -> None:
    """Back to draft, with the reviewer's comment for the author."""
    _check_reviewer(item, head, actor)
    comment = comment.strip()
    if not comment:
        raise WrongState("say what should change")
    head.status = VersionStatus.DRAFT
    head.reviewer_id, head.reviewed_at = actor.id, utcnow()
    head.review_comment = comment[:1000]
    record(
        AuditAction.ITEM_REJECTED,
        actor.id,
        item.id,
        {"version": head.version, "comment": comment[:200]},
    )
    db.session.flush()


def retire(item: Item, actor: User) -> None:
    """No quiz or assignment draws the item any more; attempts keep what they showed."""
    if not policy.can_edit(actor, item.owner_id):
        raise NotAllowed("you cannot retire this item")
    if item.is_retired:
        raise WrongState("this item is already retired")
    item.is_retired = True
    record(AuditAction.ITEM_RETIRED, actor.id, item.id)
    db.session.flush()
