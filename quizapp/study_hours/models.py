"""The study-hour ledger and the rules admins set."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..db import UTCDateTime, enum_values, utcnow
from ..extensions import db
from .credit import CreditRule


class StudyHourCredit(db.Model):
    """One credit: who, by which rule, for which source (once per user, rule and source),
    how many hundredths of an hour, and the local day it counts on (for the cap and years)."""

    __tablename__ = "study_hour_credits"
    __table_args__ = (
        UniqueConstraint("user_id", "rule", "source_key"),
        Index("ix_study_hour_credits_user_id_day", "user_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    rule: Mapped[CreditRule] = mapped_column(
        Enum(
            CreditRule,
            native_enum=False,
            length=20,
            values_callable=enum_values,
            validate_strings=True,
        )
    )
    source_key: Mapped[str] = mapped_column(String(120))
    centihours: Mapped[int] = mapped_column(Integer)
    is_capped: Mapped[bool] = mapped_column(Boolean, default=False)
    credited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    day: Mapped[date] = mapped_column(Date)
    # What was studied, in both languages ({zh, en}), as the ledger shows it.
    label: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))

    def __repr__(self) -> str:
        return f"<StudyHourCredit user={self.user_id} {self.rule} {self.source_key}>"


class StudyHourSetting(db.Model):
    """A value admins set (a rule's hours, the daily cap, the yearly target, the default pass
    mark), by name; names without a row take the defaults in `credit.py`."""

    __tablename__ = "study_hour_settings"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def __repr__(self) -> str:
        return f"<StudyHourSetting {self.name}={self.value}>"
