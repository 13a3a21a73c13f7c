"""How the platform's dependencies are doing (for /healthz and the admin pages)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db, limiter


def database_health() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except SQLAlchemyError:
        db.session.rollback()
        return "error"


def redis_health() -> str:
    """Redis holds the shared rate limits; without it they count per process (degraded)."""
    if not current_app.config.get("REDIS_URL"):
        return "not configured"
    try:
        return "ok" if limiter.storage.check() else "error"
    except Exception:  # any client fault means the same to an operator: not reachable
        return "error"
