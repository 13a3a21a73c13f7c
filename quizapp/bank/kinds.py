"""Question kinds and bank codes: shared vocabulary of the bank, the scorers and the views."""

from __future__ import annotations

from enum import StrEnum


class QuestionKind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"


# Part A: the five abilities; B: diagnosis of the problems; C1–C6: countermeasure groups.
ABILITY_CODES: tuple[str, ...] = ("A1", "A2", "A3", "A4", "A5")
COUNTERMEASURE_CODES: tuple[str, ...] = ("C1", "C2", "C3", "C4", "C5", "C6")
ALL_CODES: tuple[str, ...] = (*ABILITY_CODES, "B", *COUNTERMEASURE_CODES)

LANGUAGES: tuple[str, ...] = ("zh", "en")
