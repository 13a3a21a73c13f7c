"""The quiz platform for grassroots cadres: the application factory."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l
from werkzeug.middleware.proxy_fix import ProxyFix

from . import admin, auth, core, grading, i18n, quizzes, reports, study
from .auth.passwords import PasswordHashing
from .bank import exchange_views as bank_exchange_views
from .bank.editor import views as bank_editor_views
from .bank.revision import watch_bank_writes
from .challenge import views as challenge_views
from .cli import register_cli
from .cohorts import views as cohort_views
from .cohorts.models import Assignment
from .config import (
    BaseConfig,
    default_database_url,
    load_or_create_secret_key,
    normalise_database_url,
)
from .db import end_reads
from .errors import register_error_handlers
from .extensions import babel, compress, csrf, db, limiter, login_manager, migrate
from .practice import views as practice_views
from .routing import DatabaseIdConverter
from .security import register_input_guards, register_security_headers
from .study_hours import views as study_hours_views
from .templating import register_template_helpers


def create_app(config_overrides: dict[str, Any] | None = None) -> Flask:
    """Assemble the app: configuration, extensions, blueprints, CLI and error handlers."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(BaseConfig)
    _load_environment(app)
    if config_overrides:
        app.config.update(config_overrides)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret_key(app.instance_path)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config.get("SQLALCHEMY_DATABASE_URI") or default_database_url(app.instance_path)
    )

    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    if app.config.get("BEHIND_PROXY"):
        # Behind one reverse proxy: trust its X-Forwarded-For/-Proto/-Host (HTTPS detection).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    _init_extensions(app)
    app.url_map.converters["int"] = DatabaseIdConverter
    _register_blueprints(app)
    _check_limits_in_their_views_only(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_input_guards(app)
    register_template_helpers(app)
    register_cli(app)
    return app


def _load_environment(app: Flask) -> None:
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("REDIS_URL"):
        app.config["REDIS_URL"] = os.environ["REDIS_URL"]
    app.config.from_prefixed_env("QUIZAPP")


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    # Runs before Flask-SQLAlchemy's own clean-up (request teardown precedes the app
    # context's), while the request's transaction is still open.
    app.teardown_request(_end_reads)
    watch_bank_writes(Assignment)  # an exam's pool is part of what a start draws from
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    # Registered before the security headers, so it runs after them (after_request runs in
    # reverse): the body it compresses is final.
    compress.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.install_template_gettext(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    app.before_request(i18n.remember_language_choice)
    app.extensions["quizapp.passwords"] = PasswordHashing(
        app.config.get("ARGON2_TIME_COST"), app.config.get("ARGON2_MEMORY_COST"),
        app.config.get("ARGON2_PARALLELISM"),
    )


def _check_limits_in_their_views_only(app: Flask) -> None:
    """Every rate limit here is set on its view (log-in, changing the password, joining a cohort),
    and each view's decorator checks it. Flask-Limiter also checks every request before it is
    dispatched, for default, application-wide and blueprint limits; with none set, that check
    only costs every page about 50 µs (docs/benchmarks.md), so it is left out. Set any of them
    and it stays."""
    manager = limiter.limit_manager
    with app.app_context():  # a limit given as a callable may read the app's config
        needed = (manager.default_limits or manager.application_limits
                  or any(manager.blueprint_limits(app, name) for name in app.blueprints))
    checks = app.before_request_funcs.get(None, [])
    if not needed and limiter._check_request_limit in checks:  # absent when limits are off
        checks.remove(limiter._check_request_limit)


def _end_reads(error: BaseException | None) -> None:
    if error is None:
        end_reads(db.session)


def _register_blueprints(app: Flask) -> None:
    for blueprint in (core.bp, auth.bp, quizzes.bp, study.bp, cohort_views.bp, reports.bp,
                      grading.bp, admin.bp, challenge_views.bp, study_hours_views.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(bank_editor_views.bp)  # the question editor at /bank/
    app.register_blueprint(practice_views.bp)  # daily practice and spaced review
    app.register_blueprint(bank_exchange_views.bp)  # the XLSX question template
