"""Roles, role gates for views, and object-level access predicates (pure)."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any, Protocol

from flask import abort
from flask_login import current_user

from .extensions import login_manager

if TYPE_CHECKING:
    from flask import Blueprint


class Role(StrEnum):
    CADRE = "cadre"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class _HasRole(Protocol):
    id: int
    role: Role


class _HasOwner(Protocol):
    user_id: int


def can_view_attempt(viewer: _HasRole, attempt: _HasOwner) -> bool:
    """A cadre sees only his own attempts; cohort-scoped access for coordinators comes later."""
    return attempt.user_id == viewer.id


def _check_role(roles: tuple[Role, ...]) -> None:
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if roles and current_user.role not in roles:
        abort(403)


def role_required(*roles: Role) -> Callable:
    """Require a logged-in user; with roles given, require one of them (403 otherwise)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            _check_role(roles)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def guard_blueprint(bp: Blueprint, *roles: Role) -> None:
    """Gate every view of a blueprint behind a login and, optionally, a role."""

    @bp.before_request
    def _gate() -> None:
        _check_role(roles)
