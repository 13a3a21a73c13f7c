"""The pages' hot path: an attempt with its rows as plain values in two queries, an autosave's
row in one."""

from datetime import UTC, datetime

from sqlalchemy import inspect

from quizapp.auth.models import User
from quizapp.extensions import db
from quizapp.quizzes import reading, services
from tests.helpers import log_in

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def started(app, cadre) -> int:
    with app.app_context():
        attempt = services.start_or_resume_attempt(db.session.get(User, cadre.id), "ability-a1", T0)
        db.session.commit()
        return attempt.id


def test_an_autosave_finds_the_attempt_and_its_row_in_one_query(
    app, cadre, loaded_bank, count_queries
):
    attempt_id = started(app, cadre)
    with app.app_context():
        item_id = services.attempt_items(services.lock_attempt(attempt_id))[2].item_version.item_id
        db.session.remove()
        found = []
        assert (
            count_queries(lambda: found.append(reading.attempt_with_item(attempt_id, item_id))) == 1
        )
        attempt, row = found[0]
        assert (attempt.id, row.item_version.item_id, row.position) == (attempt_id, item_id, 3)
        # Only what is read of a version: not its search text, nor its item's row.
        assert {"search_text", "review_comment", "item"} <= inspect(row.item_version).unloaded
        assert reading.attempt_with_item(attempt_id, "no-such-item") is None


def test_the_quiz_page_sends_few_statements(app, client, cadre, loaded_bank, count_queries):
    attempt_id = started(app, cadre)
    log_in(client, cadre)
    client.get(f"/attempts/{attempt_id}")  # the versions' content is cached from now on
    # the session's user, the attempt with its rows
    assert count_queries(lambda: client.get(f"/attempts/{attempt_id}")) <= 3


def test_a_page_reads_the_attempt_and_its_rows_as_plain_values(app, cadre, loaded_bank,
                                                               count_queries):
    """Every column the ORM rows carry, the same values, in two statements; nothing enters the
    session, so nothing read for a page can be written back."""
    attempt_id = started(app, cadre)
    with app.app_context():
        orm_attempt = services.lock_attempt(attempt_id)
        orm_rows = services.attempt_items(orm_attempt)
        expected_attempt = {c.key: getattr(orm_attempt, c.key)
                            for c in inspect(orm_attempt).mapper.column_attrs}
        expected_rows = [{c.key: getattr(r, c.key) for c in inspect(r).mapper.column_attrs}
                         for r in orm_rows]
        expected_versions = [(r.item_version.id, r.item_version.item_id, r.item_version.kind,
                              r.item_version.content) for r in orm_rows]
        db.session.remove()
        found = []
        assert count_queries(lambda: found.append(reading.attempt_page(attempt_id))) == 2
        attempt, rows = found[0]
        assert {name: getattr(attempt, name) for name in expected_attempt} == expected_attempt
        assert attempt.is_open and not attempt.is_graded and attempt.percent is None
        assert attempt.quiz.id == "ability-a1" and attempt.quiz.codes == ["A1"]
        assert [{name: getattr(r, name) for name in expected_rows[0]} for r in rows] \
            == expected_rows
        assert [(r.item_version.id, r.item_version.item_id, r.item_version.kind,
                 r.item_version.content) for r in rows] == expected_versions
        assert all(r.attempt is attempt for r in rows)
        assert inspect(attempt.quiz).transient and not db.session.new
        assert reading.attempt_page(attempt_id + 1000) == (None, [])
