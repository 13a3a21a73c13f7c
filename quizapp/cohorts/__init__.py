"""Cohorts, membership and assignments (coordinators).

The blueprint lives in `views`; importing the package loads nothing else, so the attempt
engine can read assignments (`models`) without importing the cohort views."""
