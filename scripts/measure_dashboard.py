"""Time the cohort dashboard and heat map of the first cohort (median of repeated requests).

Usage: DATABASE_URL=... .venv/bin/python scripts/measure_dashboard.py [REPEATS]
Prints one JSON line: answers in the database, and the median milliseconds per page.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

from sqlalchemy import func, select

from quizapp import create_app
from quizapp.auth.models import User
from quizapp.cohorts.models import Assignment, Cohort
from quizapp.extensions import db
from quizapp.quizzes.models import AttemptItem


def check(status: int, path: str) -> None:
    if status != 200:
        raise SystemExit(f"{path} answered {status}")


def main(repeats: int) -> None:
    app = create_app({"CLOSE_OVERDUE_EVERY": 0})
    with app.app_context():
        answers = db.session.scalar(select(func.count()).select_from(AttemptItem))
        cohort = db.session.scalar(select(Cohort).order_by(Cohort.id))
        coordinator = db.session.get(User, cohort.coordinator_id)
        session_id, cohort_id = coordinator.get_id(), cohort.id
        assignment_id = db.session.scalar(select(Assignment.id).where(
            Assignment.cohort_id == cohort.id).order_by(Assignment.id))
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    results = {"answers": answers}
    pages = [("dashboard", f"/cohorts/{cohort_id}/dashboard"),
             ("heatmap", f"/cohorts/{cohort_id}/heatmap")]
    if assignment_id is not None:
        pages.append(("item_analysis", f"/assignments/{assignment_id}/items"))
    for name, path in pages:
        for _ in range(3):  # warm up caches and connections
            check(client.get(path).status_code, path)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            check(response.status_code, path)
        results[f"{name}_ms"] = round(statistics.median(times), 2)
    print(json.dumps(results))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
