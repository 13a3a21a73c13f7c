"""The bank's shared vocabulary: codes, quiz kinds and languages. Question kinds live in
`quizapp.kinds`."""

from __future__ import annotations

from enum import StrEnum


class QuizKind(StrEnum):
    QUIZ = "quiz"
    SELF_ASSESSMENT = "self_assessment"
    # Adaptive diagnostics (快速诊断): each next item the most informative at the estimate.
    DIAGNOSTIC_QUICK = "diagnostic_quick"  # one overall ability
    DIAGNOSTIC_LONG = "diagnostic_long"    # an ability per code A1–A5
    # Practice sets the platform composes from the cadre's own history (quizapp.practice):
    DAILY = "daily"    # 每日一练: due reviews, then the weakest ability, then new items
    REVIEW = "review"  # the items due for spaced review
    # 挑战答题 (quizapp.challenge): one item at a time until the first wrong answer or timeout.
    CHALLENGE = "challenge"


# The `adaptive:` value of a quiz in quizzes.yaml, and the kind it makes.
ADAPTIVE_MODES = {"quick": QuizKind.DIAGNOSTIC_QUICK, "long": QuizKind.DIAGNOSTIC_LONG}

# Not offered in the catalogue nor assignable; their answers schedule reviews but are not
# evidence for ability or mastery (docs/practice.md says why; for challenges, timed and
# stopped at the first error, docs/practice_challenge.md).
PRACTICE_SET_KINDS = frozenset({QuizKind.DAILY, QuizKind.REVIEW, QuizKind.CHALLENGE})


# Part A: the five abilities; B: diagnosis of the problems; C1–C6: countermeasure groups.
ABILITY_CODES: tuple[str, ...] = ("A1", "A2", "A3", "A4", "A5")
COUNTERMEASURE_CODES: tuple[str, ...] = ("C1", "C2", "C3", "C4", "C5", "C6")
ALL_CODES: tuple[str, ...] = (*ABILITY_CODES, "B", *COUNTERMEASURE_CODES)

# A self-assessment covers one ability, or the countermeasures as a whole ("C").
SELF_ASSESSMENT_CODES: tuple[str, ...] = (*ABILITY_CODES, "C")

LANGUAGES: tuple[str, ...] = ("zh", "en")


class VersionStatus(StrEnum):
    """Where an item version stands in the editor's review (files load as published)."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"

