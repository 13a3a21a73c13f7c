"""Queries for the admin pages."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased

from ..audit.models import AuditAction, AuditEvent
from ..auth.models import User
from ..extensions import db


def recent_events(limit: int = 200, action: AuditAction | None = None,
                  leave_out: AuditAction | None = None) -> list[tuple[AuditEvent, str | None]]:
    """The newest audit events with the actor's username, in one query."""
    actor = aliased(User)
    query = (select(AuditEvent, actor.username).outerjoin(actor, actor.id == AuditEvent.actor_id)
             .order_by(AuditEvent.id.desc()).limit(limit))
    if action is not None:
        query = query.where(AuditEvent.action == action)
    if leave_out is not None:
        query = query.where(AuditEvent.action != leave_out)
    return [(event, username) for event, username in db.session.execute(query)]
