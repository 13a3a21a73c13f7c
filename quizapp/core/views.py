"""Home page, health check and language switch."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version

from flask import Blueprint, jsonify, redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..auth.roles import Role
from .health import database_health, redis_health

bp = Blueprint("core", __name__)


@cache  # read from the installed package's metadata once, not on every health check
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
    database, redis = database_health(), redis_health()
    status = "error" if database != "ok" else "degraded" if redis == "error" else "ok"
    body = {"status": status, "database": database, "redis": redis, "version": app_version()}
    return jsonify(body), 503 if status == "error" else 200
