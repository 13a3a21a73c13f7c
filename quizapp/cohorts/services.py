"""Cohort services: create, members (one by one, from a class list, by join code),
assignments and what a member has to do. Flush, never commit."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..audit.models import AuditAction
from ..audit.services import record
from ..auth import services as accounts
from ..auth.models import User
from ..auth.roles import Role
from ..bank.editor.services import usable_local_items
from ..bank.models import Item, ItemVersion, Quiz
from ..db import utcnow
from ..extensions import db
from ..quizzes import catalogue, exam_pools
from ..quizzes import services as attempts
from ..quizzes.models import Attempt, AttemptStatus
from ..quizzes.settings import QuizSettings, grade_across_attempts
from .models import Assignment, Cohort, Membership, new_join_code
from .roster import RosterRow


class CohortError(Exception):
    """A cohort operation that cannot be done; str() is a plain English message."""


class UnknownUser(CohortError):
    pass


class AlreadyMember(CohortError):
    pass


class UnknownJoinCode(CohortError):
    pass


class NotAMember(CohortError):
    pass


class NotAddable(CohortError):
    """Only cadres are members, and a coordinator cannot pull in a cadre who already belongs
    to another coordinator's cohort: that cadre joins with the join code, by his own choice."""


@dataclass(frozen=True)
class CohortRow:
    cohort: Cohort
    members: int
    assignments: int


def visible_cohorts(viewer: User) -> list[CohortRow]:
    """The cohorts a coordinator runs (all of them for an admin), with counts, in 3 queries."""
    query = select(Cohort).order_by(Cohort.created_at.desc())
    if viewer.role != Role.ADMIN:
        query = query.where(Cohort.coordinator_id == viewer.id)
    cohorts = list(db.session.scalars(query))
    ids = [c.id for c in cohorts]
    members = dict(db.session.execute(
        select(Membership.cohort_id, func.count()).where(Membership.cohort_id.in_(ids))
        .group_by(Membership.cohort_id)).all()) if ids else {}
    assigned = dict(db.session.execute(
        select(Assignment.cohort_id, func.count()).where(Assignment.cohort_id.in_(ids))
        .group_by(Assignment.cohort_id)).all()) if ids else {}
    return [CohortRow(c, members.get(c.id, 0), assigned.get(c.id, 0)) for c in cohorts]


def create_cohort(name: str, description: str, coordinator: User) -> Cohort:
    cohort = Cohort(name=name.strip(), description=description.strip(),
                    coordinator_id=coordinator.id)
    db.session.add(cohort)
    db.session.flush()
    return cohort


def members_of(cohort: Cohort) -> list[Membership]:
    return list(db.session.scalars(
        select(Membership).where(Membership.cohort_id == cohort.id)
        .join(User, User.id == Membership.user_id).order_by(User.username)))


def member_ids(cohort_id: int) -> list[int]:
    return list(db.session.scalars(
        select(Membership.user_id).where(Membership.cohort_id == cohort_id)))


def claimed_by_others(user_ids: Sequence[int], coordinator_id: int) -> set[int]:
    """Which of these cadres are members of a cohort run by a different coordinator."""
    if not user_ids:
        return set()
    return set(db.session.scalars(
        select(Membership.user_id).join(Cohort, Cohort.id == Membership.cohort_id)
        .where(Membership.user_id.in_(user_ids), Cohort.coordinator_id != coordinator_id)))


def check_addable(cohort: Cohort, user: User, actor: User,
                  claimed: set[int] | None = None) -> None:
    """Raise NotAddable unless `actor` may put `user` into `cohort` without his consent.
    `claimed` (from claimed_by_others) spares a query per user when checking many."""
    if user.role != Role.CADRE or not user.is_active:
        raise NotAddable(f"{user.username} is not an active cadre")
    if claimed is None:
        claimed = claimed_by_others([user.id], cohort.coordinator_id)
    if actor.role != Role.ADMIN and user.id in claimed:
        raise NotAddable(f"{user.username} belongs to another coordinator's cohort")


def add_member(cohort: Cohort, user: User) -> Membership:
    exists = db.session.scalar(select(Membership).where(
        Membership.cohort_id == cohort.id, Membership.user_id == user.id))
    if exists is not None:
        raise AlreadyMember(f"{user.username} is already a member")
    membership = Membership(cohort_id=cohort.id, user_id=user.id)
    db.session.add(membership)
    db.session.flush()
    return membership


def add_member_by_username(cohort: Cohort, username: str, actor: User) -> Membership:
    """Add an unclaimed cadre (any cadre, for an admin); unknown and refused accounts raise
    the same error, so the form does not tell which usernames exist."""
    user = accounts.find_user(username)
    if user is None:
        raise UnknownUser(f"no active account {username!r}")
    try:
        check_addable(cohort, user, actor)
    except NotAddable as exc:
        raise UnknownUser(str(exc)) from exc
    membership = add_member(cohort, user)
    record(AuditAction.MEMBER_ADDED, actor.id, f"cohort {cohort.id}",
           {"username": user.username})
    return membership


def remove_member(cohort: Cohort, user_id: int, actor: User) -> None:
    membership = db.session.scalar(select(Membership).where(
        Membership.cohort_id == cohort.id, Membership.user_id == user_id))
    if membership is not None:
        # His open attempts at this cohort's assignments are handed in as they stand: he
        # cannot go on answering for a cohort he has left, and nothing he saved is lost.
        open_ids = list(db.session.scalars(
            select(Attempt.id).join(Assignment, Assignment.id == Attempt.assignment_id)
            .where(Assignment.cohort_id == cohort.id, Attempt.user_id == user_id,
                   Attempt.status == AttemptStatus.IN_PROGRESS)))
        for attempt_id in open_ids:
            attempts.submit_attempt(attempt_id, utcnow())
        record(AuditAction.MEMBER_REMOVED, actor.id, f"cohort {cohort.id}",
               {"username": membership.user.username, "attempts_handed_in": open_ids})
        db.session.delete(membership)
        db.session.flush()


def join_by_code(user: User, code: str) -> Cohort:
    cohort = db.session.scalar(select(Cohort).where(Cohort.join_code == code.strip().upper()))
    if cohort is None:
        raise UnknownJoinCode(code)
    if user.role != Role.CADRE:
        raise NotAddable(f"{user.username} is staff; staff run cohorts and do not join them")
    if user.id not in member_ids(cohort.id):
        add_member(cohort, user)
        record(AuditAction.MEMBER_JOINED, user.id, f"cohort {cohort.id}",
               {"username": user.username})
    return cohort


def rotate_join_code(cohort: Cohort, actor: User) -> str:
    cohort.join_code = new_join_code()
    record(AuditAction.JOIN_CODE_ROTATED, actor.id, f"cohort {cohort.id}")
    db.session.flush()
    return cohort.join_code


@dataclass(frozen=True)
class RosterResult:
    added: list[str]
    already_members: list[str]
    created: list[tuple[str, str]]  # (username, initial password) to hand out once


def import_roster(cohort: Cohort, rows: Sequence[RosterRow], actor: User) -> RosterResult:
    """Add every row, creating missing cadre accounts; the caller rolls back on any error.

    A new account gets the password from the file, or a generated one returned here once. An
    existing account is added only when `actor` may add it (check_addable). Every password
    is hashed before the first write, so the database is never held while hashing."""
    existing = {u.username: u for u in db.session.scalars(
        select(User).where(User.username.in_([row.username for row in rows])))}
    new_rows = [row for row in rows if row.username not in existing]
    passwords = {row.username: row.password or secrets.token_urlsafe(9) for row in new_rows}
    for row in new_rows:
        if not accounts.is_strong_enough(passwords[row.username], row.username,
                                         accounts.min_password_length()):
            raise CohortError(f"row {row.line}: the password is too weak (at least "
                              f"{accounts.min_password_length()} characters, not the username)")
    hashes = dict(zip(passwords, accounts.hash_passwords(list(passwords.values())),
                      strict=True))
    added, already, created = [], [], []
    present = set(member_ids(cohort.id))
    claimed = claimed_by_others([u.id for u in existing.values()], cohort.coordinator_id)
    for row in rows:
        user = existing.get(row.username)
        if user is None:
            try:
                user = accounts.create_user(row.username, row.display_name,
                                            passwords[row.username], Role.CADRE,
                                            password_hash=hashes[row.username])
            except accounts.AccountError as exc:
                raise CohortError(f"row {row.line}: {exc}") from exc
            created.append((user.username, passwords[row.username]))
        elif user.id not in present:
            try:
                check_addable(cohort, user, actor, claimed)
            except NotAddable as exc:
                raise CohortError(f"row {row.line}: the account {row.username} cannot be added "
                                  "here; a cadre in another coordinator's cohort joins with "
                                  "this cohort's join code") from exc
        if user.id in present:
            already.append(user.username)
            continue
        add_member(cohort, user)
        present.add(user.id)
        added.append(user.username)
    if added:
        record(AuditAction.MEMBER_ADDED, actor.id, f"cohort {cohort.id}", {"usernames": added})
    return RosterResult(added, already, created)


def active_quizzes() -> list[Quiz]:
    return list(db.session.scalars(
        select(Quiz).where(Quiz.is_active.is_(True)).order_by(Quiz.position, Quiz.id)))


class LocalItemsRefused(CohortError):
    """Local items that this cohort's assignment cannot add."""


def local_items_for(cohort: Cohort) -> list[tuple[Item, ItemVersion]]:
    """The published items of the local bank of the cohort's coordinator: the only local
    items its assignments may add."""
    return usable_local_items(cohort.coordinator_id)


def create_assignment(cohort: Cohort, quiz_id: str, settings: QuizSettings,
                      local_item_ids: Sequence[str] = ()) -> Assignment:
    """Assign a quiz, with items of the coordinator's local bank added to every attempt. A
    local item belongs to one coordinator: another's cohort cannot add it (LocalItemsRefused),
    nor can a diagnostic or a questionnaire, which choose their own items."""
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or not quiz.is_active:
        raise attempts.QuizUnavailable(quiz_id)
    wanted = sorted(set(local_item_ids))
    if wanted and (quiz.is_adaptive or quiz.is_self_assessment):
        raise LocalItemsRefused("a diagnostic or a questionnaire chooses its own items")
    usable = {item.id for item, _ in usable_local_items(cohort.coordinator_id, wanted)}
    if set(wanted) - usable:
        raise LocalItemsRefused("not published items of this cohort's coordinator: "
                                + ", ".join(sorted(set(wanted) - usable)))
    assignment = Assignment(cohort_id=cohort.id, quiz_id=quiz.id, settings=settings.to_dict(),
                            local_items=wanted or None)
    exam_pools.secure_if_exam(assignment, quiz, settings, utcnow())
    if assignment.item_pool is not None and wanted:
        # An exam keeps its local items secret too while it is live.
        assignment.item_pool = sorted({*assignment.item_pool, *wanted})
    db.session.add(assignment)
    db.session.flush()
    return assignment


def assignments_of(cohort: Cohort) -> list[Assignment]:
    return list(db.session.scalars(
        select(Assignment).where(Assignment.cohort_id == cohort.id)
        .order_by(Assignment.created_at)))


@dataclass(frozen=True)
class AssignmentCard:
    assignment: Assignment
    settings: QuizSettings
    open_attempt_id: int | None
    attempts_used: int
    grade: float | None

    def state(self, now: datetime) -> str:
        """open, upcoming, done (graded and no attempt left), or closed."""
        if self.settings.opens_at and now < self.settings.opens_at:
            return "upcoming"
        if not self.settings.is_open(now):
            return "closed"
        if self.settings.attempts_left(self.attempts_used) == 0:
            return "done"
        return "open"

    def is_due_soon(self, now: datetime) -> bool:
        closes = self.settings.closes_at
        return closes is not None and now < closes <= now + timedelta(days=3)


def assignments_for_member(user: User) -> list[AssignmentCard]:
    """What the cadre's cohorts assigned, with his attempts on each, in 2 queries."""
    assignments = list(db.session.scalars(
        select(Assignment).join(Membership, Membership.cohort_id == Assignment.cohort_id)
        .where(Membership.user_id == user.id).order_by(Assignment.created_at)))
    if not assignments:
        return []
    tally = catalogue.tally_attempts(user.id, Attempt.assignment_id,
                                    Attempt.assignment_id.in_([a.id for a in assignments]))
    cards = []
    for assignment in assignments:
        settings = QuizSettings.from_dict(assignment.settings)
        cards.append(AssignmentCard(
            assignment, settings, tally.open_ids.get(assignment.id),
            tally.used.get(assignment.id, 0),
            grade_across_attempts(settings.grading_method,
                                  tally.percents.get(assignment.id, [])),
        ))
    return cards


def start_assignment(user: User, assignment_id: int, now: datetime,
                     grace: timedelta) -> Attempt:
    """Start or resume the member's attempt at an assignment, under its settings."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or user.id not in member_ids(assignment.cohort_id):
        raise NotAMember(str(assignment_id))
    # Local items still published and still the cohort's coordinator's (one may have been
    # retired since, or the cohort handed to another coordinator).
    local = [item.id for item, _ in usable_local_items(assignment.cohort.coordinator_id,
                                                        assignment.local_items)] \
        if assignment.local_items else []
    return attempts.start_or_resume_attempt(
        user, assignment.quiz_id, now, grace, assignment_id=assignment.id,
        settings=QuizSettings.from_dict(assignment.settings), item_pool=assignment.item_pool,
        local_items=local)
