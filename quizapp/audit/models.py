"""Audit events, written in the same transaction as the change they record."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import UTCDateTime, enum_values, utcnow
from ..extensions import db


class AuditAction(StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    USER_CREATED = "user_created"
    USER_CHANGED = "user_changed"
    USER_DEACTIVATED = "user_deactivated"
    # An event name, not a secret (the security linters read "password" as one).
    PASSWORD_CHANGED = "password_changed"  # noqa: S105  # nosec B105
    SESSIONS_ENDED = "sessions_ended"
    BANK_LOADED = "bank_loaded"
    REGRADED = "regraded"
    SETTINGS_CHANGED = "settings_changed"
    EXPORTED = "exported"
    MEMBER_ADDED = "member_added"
    MEMBER_REMOVED = "member_removed"
    MEMBER_JOINED = "member_joined"
    JOIN_REFUSED = "join_refused"
    JOIN_CODE_ROTATED = "join_code_rotated"
    ANSWER_GRADED = "answer_graded"
    GRADE_RELEASED = "grade_released"
    # The question editor (bank.editor): every change to an item.
    ITEM_CREATED = "item_created"
    ITEM_EDITED = "item_edited"
    ITEM_SUBMITTED = "item_submitted"
    ITEM_APPROVED = "item_approved"
    ITEM_REJECTED = "item_rejected"
    ITEM_RETIRED = "item_retired"
    ITEMS_IMPORTED = "items_imported"


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # None when the command line or the system acted.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[AuditAction] = mapped_column(
        Enum(AuditAction, native_enum=False, length=32, values_callable=enum_values,
             validate_strings=True))
    target: Mapped[str] = mapped_column(String(128), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    address: Mapped[str | None] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action} by {self.actor_id} on {self.target!r}>"
