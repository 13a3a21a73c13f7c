"""Home page, health check and language switch."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from flask import Blueprint, current_app, jsonify, redirect, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from ..extensions import db, limiter
from ..security import Role

bp = Blueprint("core", __name__)


def app_version() -> str:
    try:
        return version("quizapp")
    except PackageNotFoundError:
        return "unknown"


@bp.get("/")
def home() -> Response:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.role == Role.ADMIN:
        return redirect(url_for("admin.users"))
    if current_user.role == Role.COORDINATOR:
        return redirect(url_for("cohorts.index"))
    return redirect(url_for("cohorts.home"))


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        db.session.rollback()
        database = "error"
    redis = redis_health()
    status = "error" if database != "ok" else "degraded" if redis == "error" else "ok"
    body = {"status": status, "database": database, "redis": redis, "version": app_version()}
    return jsonify(body), 503 if status == "error" else 200


def redis_health() -> str:
    """Redis holds the shared rate limits; without it they count per process (degraded)."""
    if not current_app.config.get("REDIS_URL"):
        return "not configured"
    try:
        return "ok" if limiter.storage.check() else "error"
    except Exception:  # any client fault means the same to an operator: not reachable
        return "error"
