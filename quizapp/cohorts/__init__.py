"""Cohorts, membership and assignments (coordinators)."""

from .views import bp

__all__ = ["bp"]
