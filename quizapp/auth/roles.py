"""The roles an account can have (pure)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CADRE = "cadre"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
