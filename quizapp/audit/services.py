"""Record and list audit events. Flush, never commit: an event lands with its change."""

from __future__ import annotations

from typing import Any

from ..db import utcnow
from ..extensions import db
from .models import AuditAction, AuditEvent


def record(action: AuditAction, actor_id: int | None = None, target: str = "",
           detail: dict[str, Any] | None = None, address: str | None = None) -> AuditEvent:
    event = AuditEvent(at=utcnow(), actor_id=actor_id, action=action, target=target[:128],
                       detail=detail or {}, address=address)
    db.session.add(event)
    db.session.flush()
    return event
