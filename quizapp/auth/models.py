"""User accounts."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..auth.roles import Role
from ..db import TimestampMixin, UTCDateTime, enum_values
from ..extensions import db


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=enum_values,
             validate_strings=True)
    )
    # Overrides UserMixin.is_active: Flask-Login refuses inactive users at log-in and on load.
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Part of the session id: changing it ends every session and "remember me" cookie.
    session_token: Mapped[str | None] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<User {self.id} {self.username!r} {self.role}>"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_staff(self) -> bool:
        """Coordinators and admins: they run cohorts and see reports."""
        return self.role in (Role.COORDINATOR, Role.ADMIN)

    # The key of the log-in this request belongs to (set at log-in and when a session loads;
    # not a column, so no annotation for the mapper).
    login_key = None

    def get_id(self) -> str:
        """Flask-Login's session id: the user id, the account's session token (changing it
        ends every log-in) and this log-in's own key (ending it ends this one)."""
        return f"{self.id}:{self.session_token or ''}:{self.login_key or ''}"

    def end_all_sessions(self) -> None:
        self.session_token = secrets.token_urlsafe(24)


class LoginSession(db.Model):
    """One log-in, kept on the server: log-out ends it, so a copied cookie stops working,
    and it expires when idle too long or after its absolute lifetime."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<LoginSession {self.id} user={self.user_id}>"
