"""Log-ins kept on the server (service; flush, never commit — except `touch`, see there)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import bindparam, select, update

from ..extensions import db
from .models import LoginSession, User

# last_seen_at is written at most this often, so reading pages costs no write each time.
TOUCH_EVERY = timedelta(minutes=5)


class _LoginTimes(Protocol):
    remember: bool
    created_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True)
class Lifetimes:
    """How long a log-in lives: unused (idle) and in all (absolute); "stay logged in on this
    device" gets longer ones."""

    idle: timedelta
    absolute: timedelta
    remembered_idle: timedelta
    remembered_absolute: timedelta

    def expired(self, login: _LoginTimes, now: datetime) -> bool:
        idle, absolute = ((self.remembered_idle, self.remembered_absolute) if login.remember
                          else (self.idle, self.absolute))
        return now - login.last_seen_at > idle or now - login.created_at > absolute


def open_login(user: User, remember: bool, now: datetime,
               began_at: datetime | None = None) -> LoginSession:
    """A new log-in with a random key of its own (so every remember-me cookie differs).
    `began_at` carries a rotated log-in's start over, so rotation never extends it."""
    login = LoginSession(key=secrets.token_urlsafe(32), user_id=user.id, remember=remember,
                         created_at=began_at or now, last_seen_at=now)
    db.session.add(login)
    db.session.flush()
    user.login_key = login.key
    return login


# Every request runs it: built once (with its cache key), and only the log-in's columns that
# the checks read, not a LoginSession object.
_LIVE_LOGIN = (
    select(User, LoginSession.id, LoginSession.key, LoginSession.remember,
           LoginSession.created_at, LoginSession.last_seen_at)
    .join(LoginSession, LoginSession.user_id == User.id)
    .where(User.id == bindparam("user_id"), LoginSession.key == bindparam("key"),
           LoginSession.ended_at.is_(None))
)


def live_user(session_id: str, now: datetime, lifetimes: Lifetimes) -> User | None:
    """The user of a session id "user:token:key" if that log-in is still live (one query)."""
    user_id, token, key = ([*session_id.split(":", 2), "", ""])[:3]
    if not user_id.isdigit() or not key or len(user_id) > 18:
        return None
    login = db.session.execute(_LIVE_LOGIN, {"user_id": int(user_id), "key": key}).first()
    if login is None:
        return None
    user = login.User
    if not user.is_active or (user.session_token or "") != token \
            or lifetimes.expired(login, now):
        return None
    user.login_key = login.key
    if now - login.last_seen_at > TOUCH_EVERY:
        touch(login.id, now)
    return user


def touch(login_id: int, now: datetime) -> None:
    """Record activity in a short transaction of its own: a page that only reads never
    commits, and the idle timeout must still see it."""
    with db.engine.begin() as connection:
        connection.execute(update(LoginSession).where(LoginSession.id == login_id)
                           .values(last_seen_at=now))


def end_login(key: str | None, now: datetime) -> None:
    if key:
        db.session.execute(update(LoginSession).where(LoginSession.key == key)
                           .values(ended_at=now))


def rotate_login(user: User, now: datetime) -> LoginSession | None:
    """Replace the log-in a remember-me cookie just restored by a new one with a new key."""
    old = db.session.scalar(select(LoginSession).where(LoginSession.key == user.login_key))
    if old is None:
        return None
    old.ended_at = now
    return open_login(user, old.remember, now, began_at=old.created_at)


def end_every_login(user: User, now: datetime) -> None:
    db.session.execute(update(LoginSession).where(LoginSession.user_id == user.id,
                                                  LoginSession.ended_at.is_(None))
                       .values(ended_at=now))
