"""Write a validated bank to the database in the caller's transaction (flush, never commit)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, select

from ..extensions import db
from ..kinds.likert import questionnaire_items
from .models import Item, ItemVersion, Misconception, Quiz, StudyNote
from .schema import Bank
from .schema import Item as ParsedItem
from .vocabulary import ADAPTIVE_MODES, QuizKind


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    retired: list[str] = field(default_factory=list)
    quizzes: int = 0
    # Items whose newest version was written in the browser editor: the files do not
    # overwrite (or retire) them unless asked to.
    kept: list[str] = field(default_factory=list)

    def summary(self) -> str:
        kept = f", {len(self.kept)} kept as edited in the browser" if self.kept else ""
        return (f"{len(self.added)} added, {len(self.changed)} changed (new version), "
                f"{self.unchanged} unchanged, {len(self.retired)} retired, "
                f"{self.quizzes} quizzes{kept}")


def head_versions() -> dict[str, tuple[Item, ItemVersion]]:
    """Every item of the shared bank with its newest version, in one query (coordinators'
    local items belong to the editor alone)."""
    rows = db.session.execute(
        select(Item, ItemVersion).join(
            ItemVersion,
            and_(ItemVersion.item_id == Item.id, ItemVersion.version == Item.head_version),
        ).where(Item.owner_id.is_(None))
    )
    return {item.id: (item, version) for item, version in rows}


def import_bank(bank: Bank, overwrite_browser_edits: bool = False) -> ImportReport:
    """Upsert items (a changed item gets a new, published version), quizzes and misconception
    tags. An item last edited in the browser is kept as it is (and listed) unless
    `overwrite_browser_edits`: the files win only when told to."""
    report = ImportReport()
    existing = head_versions()
    to_write: list[tuple[ParsedItem, str | None]] = [(item, None) for item in bank.items]
    for questionnaire in bank.self_assessments:
        to_write += [(item, questionnaire.id) for item in questionnaire_items(questionnaire)]
    for parsed, questionnaire_id in to_write:
        _upsert(parsed, questionnaire_id, existing, overwrite_browser_edits, report)
    in_bank = {item.id for item, _ in to_write}
    for item_id, (item, version) in existing.items():
        if item_id in in_bank or item.is_retired:
            continue
        if version.author_id is not None and not overwrite_browser_edits:
            report.kept.append(item_id)  # written in the browser, not yet in the files
            continue
        item.is_retired = True
        report.retired.append(item_id)

    _sync_quizzes(bank)
    report.quizzes = len(bank.quizzes) + len(bank.self_assessments)
    _sync_misconceptions(bank)
    _sync_study_notes(bank)
    db.session.flush()
    return report


def _upsert(parsed: ParsedItem, questionnaire_id: str | None,
            existing: dict[str, tuple[Item, ItemVersion]], overwrite_browser_edits: bool,
            report: ImportReport, dry_run: bool = False) -> None:
    """Add the item, or a new published version of it when it changed; with `dry_run`, only
    say which in the report."""
    digest = parsed.content_hash()
    found = existing.get(parsed.id)
    if found is None:
        report.added.append(parsed.id)
        if dry_run:
            return
        db.session.add(Item(id=parsed.id, code=parsed.code, current_version=1, head_version=1,
                            is_retired=False, questionnaire_id=questionnaire_id))
        next_version = 1
    else:
        item, version = found
        is_live = version.version == item.current_version
        if version.content_hash == digest and is_live:
            if not dry_run:
                item.is_retired = False
                item.questionnaire_id = questionnaire_id
            report.unchanged += 1
            return
        if version.author_id is not None and not overwrite_browser_edits:
            report.kept.append(parsed.id)
            return
        report.changed.append(parsed.id)
        if dry_run:
            return
        item.is_retired = False
        item.questionnaire_id = questionnaire_id
        next_version = version.version + 1
        item.current_version = item.head_version = next_version
    db.session.add(ItemVersion(
        item_id=parsed.id, version=next_version, content_hash=digest, kind=str(parsed.kind),
        difficulty=parsed.difficulty, scenario=parsed.scenario, content=parsed.to_content(),
    ))


class ImportRefused(ValueError):
    """Items that cannot be imported as they are (an id a coordinator's local bank holds)."""


def import_items(items: Sequence[ParsedItem], overwrite_browser_edits: bool = False,
                 dry_run: bool = False) -> ImportReport:
    """Add or update these items only (a file imported beside the bank: nothing is retired):
    a changed item gets a new published version, so attempts keep the one they showed. With
    `dry_run`, nothing is written: the report says what would be."""
    local = list(db.session.scalars(select(Item.id).where(
        Item.id.in_([item.id for item in items]), Item.owner_id.is_not(None))))
    if local:
        raise ImportRefused(f"id(s) {', '.join(sorted(local))} belong to a coordinator's "
                            "local bank: give the items other ids")
    report = ImportReport()
    existing = head_versions()
    for parsed in items:
        _upsert(parsed, None, existing, overwrite_browser_edits, report, dry_run)
    if not dry_run:
        db.session.flush()
    return report


def _sync_quizzes(bank: Bank) -> None:
    stored = {quiz.id: quiz for quiz in db.session.scalars(select(Quiz))}
    for spec in bank.quizzes:
        quiz = stored.pop(spec.id, None) or Quiz(id=spec.id)
        quiz.kind = ADAPTIVE_MODES[spec.adaptive] if spec.adaptive else QuizKind.QUIZ
        quiz.title = spec.title.to_dict()
        quiz.description = spec.description.to_dict()
        quiz.draw = [rule.to_dict() for rule in spec.draw]
        quiz.position = spec.position
        quiz.is_active = True
        db.session.add(quiz)
    for position, questionnaire in enumerate(bank.self_assessments, start=1000):
        quiz = stored.pop(questionnaire.id, None) or Quiz(id=questionnaire.id)
        quiz.kind = QuizKind.SELF_ASSESSMENT
        quiz.title = questionnaire.title.to_dict()
        # Shown before the first statement: what the questionnaire is for, then how to answer.
        quiz.description = {lang: " ".join(part for part in (
            questionnaire.description.get(lang), questionnaire.instructions.get(lang)) if part)
            for lang in ("zh", "en")}
        quiz.draw = [{"code": questionnaire.code, "count": len(questionnaire.statements)}]
        quiz.position = position
        quiz.is_active = True
        db.session.add(quiz)
    for quiz in stored.values():  # kept for past attempts, no longer offered
        quiz.is_active = False


def _sync_misconceptions(bank: Bank) -> None:
    stored = {row.tag: row for row in db.session.scalars(select(Misconception))}
    for tag, label in bank.misconceptions.items():
        row = stored.get(tag) or Misconception(tag=tag)
        row.label = label.to_dict()
        db.session.add(row)


def _sync_study_notes(bank: Bank) -> None:
    stored = {row.code: row for row in db.session.scalars(select(StudyNote))}
    for note in bank.study_notes:
        row = stored.pop(note.code, None) or StudyNote(code=note.code)
        row.content = note.to_content()
        db.session.add(row)
    for row in stored.values():
        db.session.delete(row)
