"""Configuration classes. The environment is read in create_app, never at import time."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class BaseConfig:
    LANGUAGES = ("zh", "en")
    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    # No pre-ping on every checkout: connections idle a while are pinged instead (db.py).
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {"pool_pre_ping": False}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Log-ins live on the server (auth/sessions.py): idle and absolute lifetimes, longer for
    # "stay logged in on this device" (whose cookie lasts as long as its log-in may).
    SESSION_IDLE_MINUTES = 240
    SESSION_ABSOLUTE_HOURS = 12
    REMEMBERED_IDLE_DAYS = 14
    REMEMBERED_ABSOLUTE_DAYS = 30
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    PASSWORD_MIN_LENGTH = 10
    # argon2id at OWASP's recommended floor (19 MiB, 2 passes, 1 lane). The library default
    # (64 MiB, 3 passes, 4 lanes) made a class of 200 logging in together queue for tens of
    # seconds on a 2-core server; older hashes are upgraded at the next log-in.
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_COST = 19 * 1024
    ARGON2_PARALLELISM = 1
    BANK_DIR = str(PROJECT_ROOT / "question_bank")
    SEEDS_DIR = str(PROJECT_ROOT.parent / "shared" / "seeds")
    REDIS_URL: str | None = None
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down: the limits go on counting in this process's memory (Flask-Limiter logs the
    # switch and returns to Redis when it answers again) instead of failing every log-in.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS: ClassVar[dict[str, float]] = {
        "socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    # Log-in attempts: per client address; and failed attempts per username *from one
    # address*, so a stranger elsewhere cannot lock a cadre out by failing on purpose.
    LOGIN_LIMIT_PER_ADDRESS = "30 per minute; 300 per hour"
    LOGIN_LIMIT_PER_USERNAME = "5 per minute; 30 per hour"
    # Join-code tries per account (codes are 8 characters of 32: guessing needs far more).
    JOIN_LIMIT = "10 per minute; 50 per day"
    # Wrong current passwords on the password-change form, per account.
    REAUTH_LIMIT = "5 per minute; 20 per hour"
    # An answer made before the deadline but sent late (weak connection) is accepted this long.
    SYNC_GRACE_SECONDS = 120
    # How often each server process closes attempts left open past their deadline (0: never;
    # then run `flask attempts close-overdue` from cron instead).
    CLOSE_OVERDUE_EVERY = 60
    # 挑战答题: each item's seconds, and the (short) grace for an answer made in time that
    # arrives late; the quiz-wide SYNC_GRACE_SECONDS would give minutes to look answers up.
    CHALLENGE_ITEM_SECONDS = 20
    CHALLENGE_SYNC_GRACE_SECONDS = 3
    # A study note earns its study hours only when its end is reached this long after opening.
    NOTE_MIN_READ_SECONDS = 60
    # Answers autosave for hours on a phone: the CSRF token lives as long as the session
    # instead of Flask-WTF's default hour. The session cookie still protects it.
    WTF_CSRF_TIME_LIMIT = None
    # Responses over the wire (Flask-Compress): zstd when the browser asks for it (Chrome and
    # Firefox do since 2024), else brotli, else gzip. zstd at level 3 costs a third of brotli
    # at quality 4 per page for about 6 % more bytes (docs/benchmarks.md, "Compression");
    # HTML, JSON and SVG charts only, and nothing under 500 bytes (an autosave reply, /healthz)
    # where the headers would cost more than they save. Static files are streamed and left
    # alone (they are cached; a reverse proxy can compress them). A strong ETag gets the
    # encoding appended, and every response says `Vary: Accept-Encoding`.
    COMPRESS_MIMETYPES: ClassVar[list[str]] = ["text/html", "application/json", "image/svg+xml"]
    COMPRESS_ALGORITHM: ClassVar[list[str]] = ["zstd", "br", "gzip"]
    COMPRESS_MIN_SIZE = 500
    COMPRESS_LEVEL = 6
    COMPRESS_BR_LEVEL = 4
    COMPRESS_ZSTD_LEVEL = 3
    COMPRESS_STREAMS = False


class TestConfig(BaseConfig):
    TESTING = True
    # Tests log in hundreds of times from one address; the limits have a test of their own.
    RATELIMIT_ENABLED = False
    # Argon2 at its default cost would make each test log-in take a noticeable moment.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 64
    ARGON2_PARALLELISM = 1


def normalise_database_url(url: str) -> str:
    """Accept the usual postgres:// and postgresql:// forms and use psycopg 3 for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def default_database_url(instance_path: str) -> str:
    return f"sqlite:///{Path(instance_path) / 'quizapp.db'}"


def load_or_create_secret_key(instance_path: str) -> str:
    """A per-installation key kept in instance/secret_key (mode 0600), so no key lives in code."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker wrote it first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
