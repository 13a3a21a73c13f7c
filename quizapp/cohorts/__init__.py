"""Cohorts, membership and assignments (coordinators)."""

from . import models  # noqa: F401 - registers the tables
