"""Item versions' content, decoded once per process: served from the cache without a query,
and never the old content for an id that comes back with another content hash."""

from sqlalchemy import select, update
from sqlalchemy.orm import defer

from quizapp.bank import versions
from quizapp.bank.models import ItemVersion
from quizapp.extensions import db


def without_content(version_id: int) -> ItemVersion:
    db.session.expunge_all()
    return db.session.scalar(
        select(ItemVersion).where(ItemVersion.id == version_id).options(defer(ItemVersion.content))
    )


def test_content_comes_from_the_cache_after_the_first_read(app, loaded_bank, count_queries):
    with app.app_context():
        version_id, content = db.session.execute(
            select(ItemVersion.id, ItemVersion.content).order_by(ItemVersion.id)
        ).first()
        versions.clear()
        cold = without_content(version_id)
        assert count_queries(lambda: versions.fill_content([cold])) == 1
        warm = without_content(version_id)
        assert count_queries(lambda: versions.fill_content([warm])) == 0
        assert warm.content == cold.content == content


def test_an_id_with_another_content_hash_gets_its_own_content(app, loaded_bank):
    with app.app_context():
        version_id = db.session.scalar(select(ItemVersion.id).order_by(ItemVersion.id))
        versions.fill_content([without_content(version_id)])
        # The same id with other content (a database emptied and filled again, as tests do).
        changed = {**without_content(version_id).content, "stem": {"zh": "另一题", "en": "Other"}}
        db.session.execute(
            update(ItemVersion)
            .where(ItemVersion.id == version_id)
            .values(content=changed, content_hash="f" * 64)
        )
        again = without_content(version_id)
        versions.fill_content([again])
        assert again.content["stem"]["en"] == "Other"
        db.session.rollback()
