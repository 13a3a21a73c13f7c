"""Prepare benchmark visitors without logging in through argon2: a server-side log-in each,
signed session cookies and CSRF tokens minted with the app's own secret, plus an attempt in
progress and a graded one.

Usage (by run.py): python sessions.py OUT.json CADRES [--start-only] [--prefix NAME]
(--prefix: only cadres whose user name starts with it)
"""

from __future__ import annotations

import argparse
import json

from flask import g, session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from quizapp import create_app
from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.auth.sessions import open_login
from quizapp.cohorts.models import Cohort
from quizapp.db import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services
from quizapp.quizzes.models import Attempt, AttemptStatus


def mint(app, user: User) -> dict[str, str]:
    open_login(user, remember=False, now=utcnow())  # the server-side log-in the cookie names
    with app.test_request_context("/"):
        g.pop("csrf_token", None)  # Flask-WTF caches the token on g, shared by this app context
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        token = generate_csrf()
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return {"cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}", "csrf": token}


def main(out: str, cadres: int, start_only: bool, prefix: str = "") -> None:
    app = create_app({"CLOSE_OVERDUE_EVERY": 0})
    visitors = []
    with app.app_context():
        users = list(db.session.scalars(
            select(User).where(User.role == Role.CADRE, User.username.startswith(prefix))
            .order_by(User.id).limit(cadres)))
        for user in users:
            visitor = {"username": user.username, **mint(app, user)}
            if not start_only:
                attempt = services.start_or_resume_attempt(user, "ability-a1", utcnow())
                rows = services.attempt_items(attempt)
                visitor["attempt"] = attempt.id
                visitor["items"] = {r.item_version.item_id: r.option_order for r in rows
                                    if r.item_version.kind == "single"}
                graded = db.session.scalar(select(Attempt.id).where(
                    Attempt.user_id == user.id, Attempt.status == AttemptStatus.GRADED))
                visitor["graded"] = graded
            visitors.append(visitor)
        cohort = db.session.scalar(select(Cohort).order_by(Cohort.id))
        coordinator = db.session.get(User, cohort.coordinator_id) if cohort else None
        extra = {"cohort": cohort.id, **mint(app, coordinator)} if coordinator else {}
        db.session.commit()
    with open(out, "w") as handle:
        json.dump({"cadres": visitors, "coordinator": extra}, handle)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("cadres", type=int)
    parser.add_argument("--start-only", action="store_true")
    parser.add_argument("--prefix", default="")
    args = parser.parse_args()
    main(args.out, args.cadres, args.start_only, args.prefix)
