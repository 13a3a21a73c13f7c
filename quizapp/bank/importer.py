"""Write a validated bank to the database in the caller's transaction (flush, never commit)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, select

from ..extensions import db
from .loader import Bank
from .models import Item, ItemVersion, Misconception, Quiz


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    retired: list[str] = field(default_factory=list)
    quizzes: int = 0

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.changed)} changed (new version), "
                f"{self.unchanged} unchanged, {len(self.retired)} retired, "
                f"{self.quizzes} quizzes")


def current_versions() -> dict[str, tuple[Item, ItemVersion]]:
    """Every item with its current version, in one query."""
    rows = db.session.execute(
        select(Item, ItemVersion).join(
            ItemVersion,
            and_(ItemVersion.item_id == Item.id, ItemVersion.version == Item.current_version),
        )
    )
    return {item.id: (item, version) for item, version in rows}


def import_bank(bank: Bank) -> ImportReport:
    """Upsert items (a changed item gets a new version), quizzes and misconception tags."""
    report = ImportReport()
    existing = current_versions()
    for parsed in bank.items:
        digest = parsed.content_hash()
        found = existing.get(parsed.id)
        if found is None:
            item = Item(id=parsed.id, code=parsed.code, current_version=1, is_retired=False)
            db.session.add(item)
            report.added.append(parsed.id)
            next_version = 1
        else:
            item, version = found
            item.is_retired = False
            if version.content_hash == digest:
                report.unchanged += 1
                continue
            next_version = version.version + 1
            item.current_version = next_version
            report.changed.append(parsed.id)
        db.session.add(ItemVersion(
            item_id=parsed.id, version=next_version, content_hash=digest, kind=str(parsed.kind),
            difficulty=parsed.difficulty, scenario=parsed.scenario, content=parsed.to_content(),
        ))
    in_bank = {item.id for item in bank.items}
    for item_id, (item, _) in existing.items():
        if item_id not in in_bank and not item.is_retired:
            item.is_retired = True
            report.retired.append(item_id)

    _sync_quizzes(bank)
    report.quizzes = len(bank.quizzes)
    _sync_misconceptions(bank)
    db.session.flush()
    return report


def _sync_quizzes(bank: Bank) -> None:
    stored = {quiz.id: quiz for quiz in db.session.scalars(select(Quiz))}
    for spec in bank.quizzes:
        quiz = stored.pop(spec.id, None) or Quiz(id=spec.id)
        quiz.title = spec.title.to_dict()
        quiz.description = spec.description.to_dict()
        quiz.draw = [{"code": rule.code, "count": rule.count} for rule in spec.draw]
        quiz.position = spec.position
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
