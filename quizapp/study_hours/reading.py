"""Reading a study note to its end: the note page carries a signed note of when it was
opened, and a credit is given only when the end was reached after a minimum time (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "study-note-opened"


def opened_token(code: str, at: datetime, secret: str) -> str:
    """Signed "this note was opened at this moment" for the note's own form."""
    return URLSafeSerializer(secret, salt=SALT).dumps({"code": code, "at": int(at.timestamp())})


def opened_at(token: str, code: str, secret: str) -> datetime | None:
    """When the note was opened, if the token is genuine and for this note."""
    try:
        data = URLSafeSerializer(secret, salt=SALT).loads(token)
    except BadSignature:
        return None
    if (
        not isinstance(data, dict)
        or data.get("code") != code
        or not isinstance(data.get("at"), int)
    ):
        return None
    return datetime.fromtimestamp(data["at"], UTC)


def has_read_long_enough(opened: datetime, now: datetime, min_seconds: int) -> bool:
    return now - opened >= timedelta(seconds=min_seconds)
