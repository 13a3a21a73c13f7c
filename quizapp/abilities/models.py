"""Ability estimates per cadre and code, and fitted item parameters per item version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import UTCDateTime, utcnow
from ..extensions import db


class AbilityEstimate(db.Model):
    """EAP ability (logit scale) and its standard error, kept up to date when an attempt is
    graded, so pages read one row per cadre and code."""

    __tablename__ = "ability_estimates"
    __table_args__ = (UniqueConstraint("user_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code: Mapped[str] = mapped_column(String(4))
    theta: Mapped[float] = mapped_column(Float)
    se: Mapped[float] = mapped_column(Float)
    answers: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<AbilityEstimate user={self.user_id} {self.code} {self.theta:+.2f}±{self.se:.2f}>"


class ItemCalibration(db.Model):
    """An item version's fitted step difficulties, with the evidence and fit behind them."""

    __tablename__ = "item_calibrations"

    item_version_id: Mapped[int] = mapped_column(ForeignKey("item_versions.id"),
                                                 primary_key=True)
    thresholds: Mapped[list[float]] = mapped_column(JSON)
    responses: Mapped[int] = mapped_column(Integer, default=0)
    infit: Mapped[float | None] = mapped_column(Float)
    outfit: Mapped[float | None] = mapped_column(Float)
    misfit: Mapped[bool] = mapped_column(Boolean, default=False)
    fitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def difficulty(self) -> float:
        return sum(self.thresholds) / len(self.thresholds)
