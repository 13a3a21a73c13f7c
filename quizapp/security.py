"""Role gates for views, object-level access predicates, and the request hooks that keep
headers and input safe. The roles themselves are `auth.roles.Role`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, Protocol

from flask import Flask, abort, request, session
from flask_login import current_user
from werkzeug.wrappers import Response

from .auth.roles import Role
from .extensions import login_manager

if TYPE_CHECKING:
    from flask import Blueprint


class _HasRole(Protocol):
    id: int
    role: Role


class _HasOwner(Protocol):
    user_id: int


class _HasCoordinator(Protocol):
    coordinator_id: int


def can_manage_cohort(viewer: _HasRole, cohort: _HasCoordinator) -> bool:
    """The coordinator who runs a cohort, and admins."""
    return viewer.role == Role.ADMIN or (
        viewer.role == Role.COORDINATOR and cohort.coordinator_id == viewer.id)


def can_view_attempt(viewer: _HasRole, attempt: _HasOwner) -> bool:
    """Only its owner sees an attempt; coordinators see their cohorts' answers in aggregate
    (dashboard, heat map, drill-down, export), never another person's attempt pages."""
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


CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",  # no inline script anywhere: quiz.js is a file
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def register_security_headers(app: Flask) -> None:
    """Headers on every response: a strict CSP, no framing, no sniffing, little referrer."""

    @app.after_request
    def add_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint != "static" and "_user_id" in session:
            # A signed-in page (answers, scores, names) must not be kept by a shared phone's
            # browser or a proxy; static files keep their own caching.
            headers["Cache-Control"] = "no-store"
        return response


def register_input_guards(app: Flask) -> None:
    """Refuse NUL characters in any submitted text: no field has a use for them, and
    PostgreSQL cannot store them (a 500 otherwise), so they are refused before any view."""

    @app.before_request
    def refuse_nul_characters() -> None:
        values = [*request.args.values(), *request.form.values(),
                  *(f.filename or "" for f in request.files.values())]
        if any("\x00" in value for value in values):
            abort(400)
