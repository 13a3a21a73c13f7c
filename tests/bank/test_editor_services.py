"""The editor's services on a real database: versions, review, retirement, the audit trail,
local items in assignments, and `flask bank load` beside browser edits."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp.audit.models import AuditAction, AuditEvent
from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.bank.editor import review, services
from quizapp.bank.importer import import_bank
from quizapp.bank.loader import load_bank
from quizapp.bank.models import Item, ItemVersion
from quizapp.bank.schema import Text
from quizapp.bank.vocabulary import VersionStatus
from quizapp.cohorts import services as cohorts
from quizapp.db import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services as attempts
from quizapp.quizzes.settings import QuizMode, QuizSettings, ReviewTime
from tests.helpers import TEST_BANK

BANK = load_bank(TEST_BANK).bank


def parsed(item_id: str = "A1-001", stem: str = "县里的新政策怎么讲？"):
    """A bank item with a new stem: what the editor's check gives for a form."""
    item = next(i for i in BANK.items if i.id == item_id)
    return replace(item, stem=Text(stem, "How to explain the county's new policy?"))


def user(account) -> User:
    return db.session.get(User, account.id)


def shown_versions(attempt) -> dict[str, int]:
    return {
        row.item_version.item_id: row.item_version.version
        for row in attempts.attempt_items(attempt)
    }


def actions_on(item_id: str) -> list[tuple[AuditAction, int | None]]:
    return [
        (e.action, e.actor_id)
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.target == item_id).order_by(AuditEvent.id)
        )
    ]


@pytest.fixture
def people(make_user, admin, loaded_bank):
    return {
        "admin": admin,
        "second_admin": make_user(Role.ADMIN, "admin2"),
        "coordinator": make_user(Role.COORDINATOR, "coord_a"),
        "other_coordinator": make_user(Role.COORDINATOR, "coord_b"),
        "cadre": make_user(Role.CADRE, "cadre_a"),
    }


@pytest.mark.parametrize("item_id", [i.id for i in BANK.items])
def test_a_coordinator_writes_each_kind_into_his_local_bank_as_a_draft(app, people, item_id):
    with app.app_context():
        item = services.create_item(user(people["coordinator"]), parsed(item_id))
        db.session.commit()
        head = db.session.scalar(select(ItemVersion).where(ItemVersion.item_id == item.id))
        code = parsed(item_id).code
        assert item.id == f"{code}-L0001"
        assert (item.owner_id, item.current_version, item.head_version) == (
            people["coordinator"].id,
            0,
            1,
        )
        assert (head.status, head.author_id, head.kind) == (
            VersionStatus.DRAFT,
            people["coordinator"].id,
            parsed(item_id).kind,
        )
        assert "县里的新政策" in head.search_text
        assert actions_on(item.id) == [(AuditAction.ITEM_CREATED, people["coordinator"].id)]


def test_an_admin_writes_into_the_shared_bank_under_the_next_number(app, people):
    with app.app_context():
        item = services.create_item(user(people["admin"]), parsed("A1-001"))
        again = services.create_item(user(people["admin"]), parsed("A1-002"))
        assert (item.id, again.id, item.owner_id) == ("A1-004", "A1-005", None)


def test_every_save_adds_a_version_and_an_attempt_keeps_the_one_it_showed(app, people):
    with app.app_context():
        cadre, admin = user(people["cadre"]), user(people["admin"])
        before = attempts.start_or_resume_attempt(cadre, "ability-a1", utcnow())
        db.session.commit()
        assert shown_versions(before)["A1-001"] == 1
        item, head = services.load_item("A1-001")
        version = services.save_version(item, head, admin, parsed(), base_version=1)
        assert (version.version, version.status, item.current_version) == (
            2,
            VersionStatus.DRAFT,
            1,
        )
        review.submit_for_review(item, version, admin)
        review.approve(item, version, user(people["second_admin"]))
        db.session.commit()
        assert item.current_version == 2
        assert shown_versions(before)["A1-001"] == 1  # the old attempt keeps version 1
        attempts.submit_attempt(before.id, utcnow())
        after = attempts.start_or_resume_attempt(cadre, "ability-a1", utcnow())
        assert shown_versions(after)["A1-001"] == 2
        assert (
            db.session.get(ItemVersion, version.id).content["stem"]["zh"] == "县里的新政策怎么讲？"
        )


def test_a_save_that_changes_nothing_or_comes_after_another_is_refused(app, people):
    with app.app_context():
        admin = user(people["admin"])
        item, head = services.load_item("A1-001")
        unchanged = next(i for i in BANK.items if i.id == "A1-001")
        with pytest.raises(services.NothingChanged):
            services.save_version(item, head, admin, unchanged, base_version=1)
        services.save_version(item, head, admin, parsed(), base_version=1)
        item, head = services.load_item("A1-001")
        with pytest.raises(services.StaleEdit):
            services.save_version(item, head, admin, parsed(stem="别的题干"), base_version=1)


def test_review_needs_someone_other_than_the_author(app, people):
    with app.app_context():
        author = user(people["coordinator"])
        item = services.create_item(author, parsed())
        item, head = services.load_item(item.id)
        with pytest.raises(services.WrongState):
            review.approve(item, head, user(people["other_coordinator"]))  # still a draft
        review.submit_for_review(item, head, author)
        with pytest.raises(services.NotAllowed):
            review.approve(item, head, author)  # the author cannot approve his own item
        with pytest.raises(services.NotAllowed):
            review.reject(item, head, author, "looks fine")
        with pytest.raises(services.WrongState):
            review.reject(item, head, user(people["other_coordinator"]), "   ")
        review.reject(item, head, user(people["other_coordinator"]), "选项B说得不清楚")
        assert (head.status, head.review_comment, head.reviewer_id) == (
            VersionStatus.DRAFT,
            "选项B说得不清楚",
            people["other_coordinator"].id,
        )
        assert item.current_version == 0
        review.submit_for_review(item, head, author)
        review.approve(item, head, user(people["other_coordinator"]))
        assert (head.status, item.current_version) == (VersionStatus.PUBLISHED, 1)
        assert [a for a, _ in actions_on(item.id)] == [
            AuditAction.ITEM_CREATED,
            AuditAction.ITEM_SUBMITTED,
            AuditAction.ITEM_REJECTED,
            AuditAction.ITEM_SUBMITTED,
            AuditAction.ITEM_APPROVED,
        ]


def test_a_shared_item_is_reviewed_by_admins_only(app, people):
    with app.app_context():
        admin = user(people["admin"])
        item, head = services.load_item("A1-001")
        version = services.save_version(item, head, admin, parsed(), None)
        review.submit_for_review(item, version, admin)
        with pytest.raises(services.NotAllowed):
            review.approve(item, version, user(people["coordinator"]))
        with pytest.raises(services.NotAllowed):
            review.approve(item, version, admin)
        review.approve(item, version, user(people["second_admin"]))


def test_a_coordinator_cannot_edit_submit_or_retire_another_coordinators_item(app, people):
    with app.app_context():
        item = services.create_item(user(people["coordinator"]), parsed())
        item, head = services.load_item(item.id)
        other = user(people["other_coordinator"])
        with pytest.raises(services.NotAllowed):
            services.save_version(item, head, other, parsed(stem="改一下"), None)
        with pytest.raises(services.NotAllowed):
            review.submit_for_review(item, head, other)
        with pytest.raises(services.NotAllowed):
            review.retire(item, other)
        # An admin edits the whole bank: the new version is his, the item stays the owner's.
        version = services.save_version(item, head, user(people["admin"]), parsed(stem="改"), None)
        assert (version.author_id, item.owner_id) == (people["admin"].id, people["coordinator"].id)


def test_every_change_is_in_the_audit_trail(app, people):
    with app.app_context():
        author, reviewer = user(people["coordinator"]), user(people["admin"])
        item = services.create_item(author, parsed())
        item, head = services.load_item(item.id)
        head = services.save_version(item, head, author, parsed(stem="第二稿"), 1)
        review.submit_for_review(item, head, author)
        review.reject(item, head, reviewer, "再想想")
        review.submit_for_review(item, head, author)
        review.approve(item, head, reviewer)
        review.retire(item, author)
        db.session.commit()
        assert actions_on(item.id) == [
            (AuditAction.ITEM_CREATED, author.id),
            (AuditAction.ITEM_EDITED, author.id),
            (AuditAction.ITEM_SUBMITTED, author.id),
            (AuditAction.ITEM_REJECTED, reviewer.id),
            (AuditAction.ITEM_SUBMITTED, author.id),
            (AuditAction.ITEM_APPROVED, reviewer.id),
            (AuditAction.ITEM_RETIRED, author.id),
        ]
        with pytest.raises(services.WrongState):
            review.retire(item, author)


def published_local_item(people, item_id: str = "A1-001") -> str:
    item = services.create_item(user(people["coordinator"]), parsed(item_id))
    item, head = services.load_item(item.id)
    review.submit_for_review(item, head, user(people["coordinator"]))
    review.approve(item, head, user(people["other_coordinator"]))
    return item.id


def test_a_local_item_reaches_its_owners_cohort_and_no_other_quiz(app, people):
    with app.app_context():
        local = published_local_item(people)
        draft = services.create_item(user(people["admin"]), parsed("A1-002")).id  # shared draft
        own = cohorts.create_cohort("县一班", "", user(people["coordinator"]))
        foreign = cohorts.create_cohort("县二班", "", user(people["other_coordinator"]))
        cadre = user(people["cadre"])
        cohorts.add_member(own, cadre)
        assert [i.id for i, _ in cohorts.local_items_for(own)] == [local]
        assert cohorts.local_items_for(foreign) == []
        with pytest.raises(cohorts.LocalItemsRefused):
            cohorts.create_assignment(foreign, "ability-a1", QuizSettings(), [local])
        with pytest.raises(cohorts.LocalItemsRefused):
            cohorts.create_assignment(own, "diagnostic", QuizSettings(), [local])
        assignment = cohorts.create_assignment(own, "ability-a1", QuizSettings(), [local])
        db.session.commit()
        attempt = cohorts.start_assignment(cadre, assignment.id, utcnow(), timedelta(0))
        shown = shown_versions(attempt)
        assert local in shown and len(shown) == 4  # the quiz's three A1 items and his own
        practice = attempts.start_or_resume_attempt(cadre, "ability-a1", utcnow())
        assert local not in shown_versions(practice)
        assert draft not in shown_versions(practice)  # never published: never drawn


def test_a_retired_local_item_leaves_the_assignment(app, people):
    with app.app_context():
        local = published_local_item(people)
        cohort = cohorts.create_cohort("县一班", "", user(people["coordinator"]))
        cadre = user(people["cadre"])
        cohorts.add_member(cohort, cadre)
        assignment = cohorts.create_assignment(
            cohort, "ability-a1", QuizSettings(max_attempts=None), [local]
        )
        review.retire(db.session.get(Item, local), user(people["coordinator"]))
        attempt = cohorts.start_assignment(cadre, assignment.id, utcnow(), timedelta(0))
        assert local not in shown_versions(attempt)


def test_an_exam_keeps_its_local_items_secret_while_live(app, people):
    with app.app_context():
        local = published_local_item(people)
        cohort = cohorts.create_cohort("县一班", "", user(people["coordinator"]))
        exam = QuizSettings(mode=QuizMode.TEST, show_keys=ReviewTime.NEVER)
        assignment = cohorts.create_assignment(cohort, "ability-a1", exam, [local])
        assert local in assignment.item_pool


def test_bank_load_keeps_browser_edits_unless_told_otherwise(app, people):
    with app.app_context():
        admin = user(people["admin"])
        item, head = services.load_item("A1-001")
        services.save_version(item, head, admin, parsed(), 1)
        written = services.create_item(admin, parsed("A1-002")).id  # not in the files
        local = published_local_item(people)
        db.session.commit()
        report = import_bank(BANK)
        assert sorted(report.kept) == ["A1-001", written]
        assert "A1-001" not in report.changed and written not in report.retired
        item, head = services.load_item("A1-001")
        assert (item.head_version, head.author_id) == (2, admin.id)
        report = import_bank(BANK, overwrite_browser_edits=True)
        assert report.changed == ["A1-001"] and report.retired == [written]
        item, head = services.load_item("A1-001")
        assert (item.current_version, head.status, head.author_id) == (
            3,
            VersionStatus.PUBLISHED,
            None,
        )
        assert not db.session.get(Item, local).is_retired  # local banks are the editor's alone


def test_browse_shows_each_viewer_what_he_may_see(app, people):
    with app.app_context():
        mine = services.create_item(user(people["coordinator"]), parsed()).id
        theirs = services.create_item(user(people["other_coordinator"]), parsed()).id
        waiting = services.create_item(user(people["other_coordinator"]), parsed("A1-002"))
        item, head = services.load_item(waiting.id)
        review.submit_for_review(item, head, user(people["other_coordinator"]))

        def ids(viewer, **filters):
            page = services.browse(user(viewer), services.Filters(**filters), 1)
            return {row[0].id for row in page.items}

        seen = ids(people["coordinator"])
        assert {mine, waiting.id, "A1-001"} <= seen and theirs not in seen
        assert "self-a1-01" not in seen  # questionnaire statements are not the editor's
        assert {mine, theirs, waiting.id} <= ids(people["admin"])
        assert ids(people["coordinator"], owner="mine") == {mine}
        assert ids(people["coordinator"], status="in_review") == {waiting.id}
        assert ids(people["admin"], q="县里的新政策", owner="local") == {mine, theirs, waiting.id}
        assert ids(people["admin"], q="a1-00", owner="shared") == {"A1-001", "A1-002", "A1-003"}
        assert ids(people["admin"], kind="matching") == {"B-001"}
        assert services.waiting_for_review(user(people["coordinator"])) == 1
        assert services.waiting_for_review(user(people["other_coordinator"])) == 0
