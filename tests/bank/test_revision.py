"""The bank's revision token: every ORM write to an item or a version draws a new one in its
own transaction; other writes leave it."""

from sqlalchemy import select, update

from quizapp.bank.models import BankRevision, Item
from quizapp.bank.revision import CURRENT
from quizapp.extensions import db
from quizapp.quizzes.models import Attempt
from tests.helpers import delete_all_rows, start_quiz


def token(app) -> str | None:
    with app.app_context():
        return db.session.scalar(select(CURRENT))


def test_writing_an_item_draws_a_new_token(app, loaded_bank):
    before = token(app)
    with app.app_context():
        db.session.get(Item, "A1-001").is_retired = True
        db.session.commit()
    after = token(app)
    assert before is not None and after is not None and after != before


def test_a_rolled_back_write_keeps_the_token(app, loaded_bank):
    before = token(app)
    with app.app_context():
        db.session.get(Item, "A1-001").is_retired = True
        db.session.flush()
        db.session.rollback()
    assert token(app) == before


def test_writes_elsewhere_keep_the_token(app, loaded_bank, cadre, client, login):
    before = token(app)
    login(cadre)
    attempt_id = start_quiz(client)
    with app.app_context():
        db.session.execute(update(Attempt).where(Attempt.id == attempt_id).values(seed=7))
        db.session.commit()
    assert token(app) == before


def test_a_database_emptied_and_filled_again_gets_a_token_it_never_had(app, loaded_bank):
    first = token(app)
    delete_all_rows(app)
    assert token(app) is None  # nothing kept while the row is missing
    with app.app_context():
        db.session.add(Item(id="A1-900", code="A1", current_version=0, head_version=0))
        db.session.commit()
        assert db.session.scalar(select(BankRevision.token)) not in (None, first)
