"""Items, their immutable versions, and the preset quizzes loaded from the bank."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import TimestampMixin, UTCDateTime, enum_values
from ..extensions import db
from .schema import search_text
from .vocabulary import QuizKind, VersionStatus


class Item(TimestampMixin, db.Model):
    """A question's stable identity (e.g. A3-017); what it says lives in its versions."""

    __tablename__ = "items"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    code: Mapped[str] = mapped_column(String(4), index=True)
    current_version: Mapped[int] = mapped_column(Integer)
    # Items removed from the bank files stay for the attempts that showed them.
    is_retired: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set for self-assessment statements: the questionnaire (a quiz id) they belong to.
    questionnaire_id: Mapped[str | None] = mapped_column(String(64), index=True)
    # A coordinator's local item (his cohorts' assignments only); None: the shared bank.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The newest version, whatever its status; `current_version` is the published one that
    # quizzes draw (0 while an item written in the editor has none yet).
    head_version: Mapped[int] = mapped_column(Integer)

    versions: Mapped[list[ItemVersion]] = relationship(
        back_populates="item", order_by="ItemVersion.version", lazy="raise"
    )

    def __repr__(self) -> str:
        return f"<Item {self.id} v{self.current_version}>"

    @property
    def is_local(self) -> bool:
        return self.owner_id is not None

    @classmethod
    def drawable(cls) -> ColumnElement[bool]:
        """Items any quiz may draw: in use, published, and in the shared bank (a local item
        reaches only its owner's assignments, which add it by name)."""
        return and_(cls.is_retired.is_(False), cls.owner_id.is_(None), cls.current_version > 0)


def _search_text(context: DefaultExecutionContext) -> str:
    return search_text(context.get_current_parameters()["content"])


class ItemVersion(TimestampMixin, db.Model):
    """One immutable version of an item; attempts point at the version they showed."""

    __tablename__ = "item_versions"
    __table_args__ = (UniqueConstraint("item_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    difficulty: Mapped[int] = mapped_column(Integer)
    scenario: Mapped[bool] = mapped_column(Boolean)
    # stem, options (text, explanation, misconception), key and locator, both languages.
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Versions loaded from the files are published; the editor's go draft → in review →
    # published, approved by someone other than their author.
    status: Mapped[VersionStatus] = mapped_column(
        Enum(VersionStatus, native_enum=False, length=12, values_callable=enum_values,
             validate_strings=True),
        default=VersionStatus.PUBLISHED,
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the files
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_comment: Mapped[str | None] = mapped_column(String(1000))
    # Every text of the content in lower case, for the editor's search (JSON is stored with
    # escaped Chinese, so it cannot be searched itself).
    search_text: Mapped[str] = mapped_column(Text, default=_search_text)

    item: Mapped[Item] = relationship(back_populates="versions", lazy="joined")

    def __repr__(self) -> str:
        return f"<ItemVersion {self.item_id} v{self.version}>"


class Quiz(TimestampMixin, db.Model):
    """A preset quiz: which codes it draws from and how many items of each."""

    __tablename__ = "quizzes"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[QuizKind] = mapped_column(
        Enum(QuizKind, native_enum=False, length=20, values_callable=enum_values,
             validate_strings=True),
        default=QuizKind.QUIZ,
    )
    title: Mapped[dict[str, str]] = mapped_column(JSON)
    description: Mapped[dict[str, str]] = mapped_column(JSON)
    draw: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # Time limit, window, attempts, grading, review…: read through quizzes.settings.QuizSettings.
    # Edited by coordinators; `flask bank load` never overwrites it.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __repr__(self) -> str:
        return f"<Quiz {self.id}>"

    @property
    def is_self_assessment(self) -> bool:
        return self.kind == QuizKind.SELF_ASSESSMENT

    @property
    def codes(self) -> list[str]:
        """The codes the quiz draws from, in its order."""
        return [rule["code"] for rule in self.draw]

    @property
    def is_adaptive(self) -> bool:
        return self.kind in (QuizKind.DIAGNOSTIC_QUICK, QuizKind.DIAGNOSTIC_LONG)


class Misconception(db.Model):
    """The controlled list of misconception tags with their labels."""

    __tablename__ = "misconceptions"

    tag: Mapped[str] = mapped_column(String(64), primary_key=True)
    label: Mapped[dict[str, str]] = mapped_column(JSON)


class StudyNote(db.Model):
    """A short bilingual study note per code, loaded from question_bank/study/."""

    __tablename__ = "study_notes"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)

    def __repr__(self) -> str:
        return f"<StudyNote {self.code}>"


class BankRevision(db.Model):
    """One row: a token drawn afresh whenever an item or a version is written
    (bank/revision.py), so every server process can tell whether what it keeps of the bank is
    still current."""

    __tablename__ = "bank_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
