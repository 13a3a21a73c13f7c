"""Question kinds and bank codes: shared vocabulary of the bank, the scorers and the views."""

from __future__ import annotations

from enum import StrEnum


class QuestionKind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    MATCHING = "matching"      # pair each option with its match (e.g. problem ↔ countermeasure)
    ORDERING = "ordering"      # put the options in the right order (steps of handling a dispute)
    JUDGEMENT = "judgement"    # rate how effective each option would be (situational judgement)
    # A self-assessment statement rated 1–5: no right answer, never part of a score.
    LIKERT = "likert"


class QuizKind(StrEnum):
    QUIZ = "quiz"
    SELF_ASSESSMENT = "self_assessment"


# Part A: the five abilities; B: diagnosis of the problems; C1–C6: countermeasure groups.
ABILITY_CODES: tuple[str, ...] = ("A1", "A2", "A3", "A4", "A5")
COUNTERMEASURE_CODES: tuple[str, ...] = ("C1", "C2", "C3", "C4", "C5", "C6")
ALL_CODES: tuple[str, ...] = (*ABILITY_CODES, "B", *COUNTERMEASURE_CODES)

# A self-assessment covers one ability, or the countermeasures as a whole ("C").
SELF_ASSESSMENT_CODES: tuple[str, ...] = (*ABILITY_CODES, "C")
LIKERT_POINTS: tuple[str, ...] = ("1", "2", "3", "4", "5")
# "Not met yet": a situation a young cadre may never have faced; left out of the mean.
NOT_MET = "na"
LIKERT_CHOICES: tuple[str, ...] = (*LIKERT_POINTS, NOT_MET)
# The key a reverse-worded statement carries: its rating counts as 6 minus the points given.
REVERSED = "reversed"
# Situational judgement: each option is rated 1 (counter-productive) to 4 (very effective).
JUDGEMENT_SCALE: tuple[int, ...] = (1, 2, 3, 4)
# Kinds whose answer is a set of "option=value" pairs rather than chosen option ids.
PAIRED_KINDS = frozenset({QuestionKind.MATCHING, QuestionKind.ORDERING, QuestionKind.JUDGEMENT})

LANGUAGES: tuple[str, ...] = ("zh", "en")
