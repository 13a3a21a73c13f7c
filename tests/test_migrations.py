"""The schema exists only through migrations, and the migrations match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from quizapp.extensions import db


def test_upgrade_to_head_matches_the_models(session_app):
    # session_app was built from an empty database by `upgrade head` (see conftest).
    with session_app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
        assert diff == [], diff
        tables = set(inspect(connection).get_table_names())
    assert {"users", "items", "item_versions", "quizzes", "attempts", "attempt_items",
            "alembic_version"} <= tables
