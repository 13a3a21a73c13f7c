"""Account services: create, authenticate, update. They flush, never commit."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from ..auth.roles import Role
from ..db import utcnow
from ..extensions import db
from .models import User
from .passwords import PasswordHashing
from .usernames import USERNAME_RE

PASSWORD_MAX_LENGTH = 256


class AccountError(Exception):
    """Base of the account errors; str() is a plain English message for the CLI."""


class UsernameTaken(AccountError):
    def __init__(self, username: str) -> None:
        super().__init__(f"the username {username!r} is already taken")


class InvalidUsername(AccountError):
    def __init__(self) -> None:
        super().__init__("a username has 3 to 64 letters, digits, dots, dashes or underscores")


class WeakPassword(AccountError):
    def __init__(self, min_length: int) -> None:
        self.min_length = min_length
        super().__init__(
            f"the password must have {min_length} to {PASSWORD_MAX_LENGTH} characters "
            "and differ from the username"
        )


class WrongPassword(AccountError):
    def __init__(self) -> None:
        super().__init__("the current password is not right")


class LastAdmin(AccountError):
    def __init__(self) -> None:
        super().__init__("the platform must keep at least one active admin")


@dataclass(frozen=True)
class UserChanges:
    display_name: str
    role: Role
    is_active: bool
    new_password: str | None = None


def normalise_username(username: str) -> str:
    return username.strip().lower()


def is_strong_enough(password: str, username: str, min_length: int) -> bool:
    """The platform's password rule: long enough, not absurdly long, not the username."""
    return (
        min_length <= len(password) <= PASSWORD_MAX_LENGTH
        and password.strip().lower() != normalise_username(username)
    )


def password_hashing() -> PasswordHashing:
    return current_app.extensions["quizapp.passwords"]


def min_password_length() -> int:
    return int(current_app.config["PASSWORD_MIN_LENGTH"])


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == normalise_username(username)))


def hash_passwords(passwords: list[str]) -> list[str]:
    """Hash many passwords at once, on every core (argon2 releases the GIL). Callers do this
    before they write anything, so no database lock is held while the CPU works."""
    hashing = password_hashing()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(hashing.hash, passwords))


def create_user(username: str, display_name: str, password: str, role: Role,
                password_hash: str | None = None) -> User:
    """Create an account; raises InvalidUsername, UsernameTaken or WeakPassword.
    `password_hash`, when given, is the password already hashed (hash_passwords)."""
    username = normalise_username(username)
    if not USERNAME_RE.match(username):
        raise InvalidUsername()
    if find_user(username) is not None:
        raise UsernameTaken(username)
    if not is_strong_enough(password, username, min_password_length()):
        raise WeakPassword(min_password_length())
    user = User(
        username=username,
        display_name=display_name.strip() or username,
        password_hash=password_hash or password_hashing().hash(password),
        role=role,
        is_active=True,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None; the work done is the same either way."""
    hashing = password_hashing()
    user = find_user(username)
    if user is None:
        # Spend the same hashing time as for a real account so timing does not reveal names.
        hashing.verify(_dummy_hash(hashing), password)
        return None
    if not hashing.verify(user.password_hash, password) or not user.is_active:
        return None
    if hashing.needs_rehash(user.password_hash):
        user.password_hash = hashing.hash(password)
    user.last_login_at = utcnow()
    return user


_DUMMY_HASHES: dict[int, str] = {}


def _dummy_hash(hashing: PasswordHashing) -> str:
    key = id(hashing)
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = hashing.hash("not-a-real-password")
    return _DUMMY_HASHES[key]


def update_user(user: User, changes: UserChanges) -> User:
    """Apply an admin's edit; raises WeakPassword or LastAdmin when the edit breaks a rule."""
    stays_admin = changes.role == Role.ADMIN and changes.is_active
    if user.role == Role.ADMIN and user.is_active and not stays_admin:
        others = select(func.count()).select_from(User).where(
            User.role == Role.ADMIN, User.is_active.is_(True), User.id != user.id
        )
        if not db.session.scalar(others):
            raise LastAdmin()
    if changes.new_password:
        if not is_strong_enough(changes.new_password, user.username, min_password_length()):
            raise WeakPassword(min_password_length())
        user.password_hash = password_hashing().hash(changes.new_password)
        user.end_all_sessions()  # a reset password must not leave old sessions open
    user.display_name = changes.display_name.strip() or user.username
    user.role = changes.role
    user.is_active = changes.is_active
    db.session.flush()
    return user


def active_admin_exists() -> bool:
    query = select(func.count()).select_from(User).where(
        User.role == Role.ADMIN, User.is_active.is_(True)
    )
    return bool(db.session.scalar(query))


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.role, User.username)))


def change_password(user: User, current: str, new: str) -> None:
    """The user's own change: checks the current password, ends every other session."""
    if not password_hashing().verify(user.password_hash, current):
        raise WrongPassword()
    if not is_strong_enough(new, user.username, min_password_length()):
        raise WeakPassword(min_password_length())
    user.password_hash = password_hashing().hash(new)
    user.end_all_sessions()
    db.session.flush()
