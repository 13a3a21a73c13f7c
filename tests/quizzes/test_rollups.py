"""Monthly rollups per cadre and code: kept on grading, equal to a rebuild from the answers."""

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.quizzes import rollups
from quizapp.quizzes.models import CodeRollup
from tests.helpers import answers_for, attempt_rows, csrf_token, log_in, start_quiz


def snapshot(app):
    with app.app_context():
        return sorted((r.user_id, r.code, r.month, round(r.earned, 6), r.possible, r.items)
                      for r in db.session.scalars(select(CodeRollup)))


def test_grading_adds_to_rollups_and_a_rebuild_agrees(app, client, cadre, loaded_bank):
    log_in(client, cadre)
    for quiz_id, correct in (("ability-a1", True), ("mixed", False), ("self-a1", True)):
        attempt_id = start_quiz(client, quiz_id)
        rows = attempt_rows(app, attempt_id)
        token = csrf_token(client, f"/attempts/{attempt_id}")
        data = answers_for(rows, correct) if quiz_id != "self-a1" else {
            f"item_{r[0]}": "3" for r in rows}
        client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token, **data})
    incremental = snapshot(app)
    codes = {(code, items) for _, code, _, _, _, items in incremental}
    assert codes == {("A1", 5), ("A2", 1)}  # ratings of the self-assessment carry no points
    a1 = next(row for row in incremental if row[1] == "A1")
    assert a1[3] == 3.0 and a1[4] == 5.0
    with app.app_context():
        rollups.rebuild()
        db.session.commit()
    assert snapshot(app) == incremental
