"""Create many cadre accounts quickly: one argon2 hash shared by all (load tests only)."""

from __future__ import annotations

import sys

from sqlalchemy import insert

from quizapp import create_app
from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.auth.services import password_hashing
from quizapp.extensions import db


def main(password: str, usernames: list[str]) -> None:
    app = create_app({"CLOSE_OVERDUE_EVERY": 0})
    with app.app_context():
        password_hash = password_hashing().hash(password)
        db.session.execute(insert(User), [
            {"username": name, "display_name": name, "password_hash": password_hash,
             "role": Role.CADRE, "is_active": True} for name in usernames])
        db.session.commit()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
