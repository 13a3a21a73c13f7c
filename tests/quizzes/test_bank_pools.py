"""The pools a start draws from, kept per bank revision: read once, read again when the bank
changes, never served across a database emptied and filled again."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from quizapp.auth.models import User
from quizapp.bank.editor.review import retire
from quizapp.bank.models import Item, ItemVersion
from quizapp.db import begin_write
from quizapp.extensions import db
from quizapp.quizzes import bank_pools, services
from quizapp.quizzes.models import AttemptItem

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
GRACE = timedelta(seconds=120)


def start_and_hand_in(app, cadre) -> dict[str, int]:
    """The new attempt's items: item id → the version it shows."""
    with app.app_context():
        begin_write(db.session)
        attempt = services.start_or_resume_attempt(db.session.get(User, cadre.id),
                                                   "ability-a1", T0, GRACE)
        db.session.commit()
        shown = dict(db.session.execute(
            select(ItemVersion.item_id, ItemVersion.id).join(AttemptItem)
            .where(AttemptItem.attempt_id == attempt.id)).all())
        services.submit_attempt(attempt.id, T0, GRACE)
        db.session.commit()
        return shown


def test_a_kept_pool_saves_a_start_its_pool_query(app, cadre, loaded_bank, count_queries):
    start_and_hand_in(app, cadre)  # the versions' content is cached from now on
    bank_pools.clear()
    cold = count_queries(lambda: start_and_hand_in(app, cadre))
    warm = count_queries(lambda: start_and_hand_in(app, cadre))
    assert cold - warm == 1, (cold, warm)


def test_an_item_retired_after_the_pool_was_kept_is_not_drawn(app, cadre, admin,
                                                              loaded_bank):
    assert sorted(start_and_hand_in(app, cadre)) == ["A1-001", "A1-002", "A1-003"]
    with app.app_context():
        retire(db.session.get(Item, "A1-002"), db.session.get(User, admin.id))
        db.session.commit()
    assert sorted(start_and_hand_in(app, cadre)) == ["A1-001", "A1-003"]


def test_a_new_version_published_after_the_pool_was_kept_is_shown(app, cadre, loaded_bank):
    start_and_hand_in(app, cadre)
    with app.app_context():
        item = db.session.get(Item, "A1-001")
        current = db.session.scalar(select(ItemVersion).where(
            ItemVersion.item_id == "A1-001", ItemVersion.version == item.current_version))
        newer = ItemVersion(item_id="A1-001", version=item.current_version + 1,
                            content_hash="f" * 64, kind=current.kind,
                            difficulty=current.difficulty, scenario=current.scenario,
                            content=current.content)
        db.session.add(newer)
        item.current_version = item.head_version = newer.version
        db.session.commit()
        newer_id = newer.id
    assert start_and_hand_in(app, cadre)["A1-001"] == newer_id
