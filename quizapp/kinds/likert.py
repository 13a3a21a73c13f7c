"""自评量表 A self-assessment statement rated 1–5 (or "not met yet"): no right answer, never
part of a score. Questionnaires in question_bank/self_assessment/ become items of this kind."""

from __future__ import annotations

from collections.abc import Sequence

from ..bank.schema import Item, Option, SelfAssessment, Text
from .base import AnswerShape, ItemScore, Kind, ScoringInput

POINTS: tuple[str, ...] = ("1", "2", "3", "4", "5")
# "Not met yet": a situation a young cadre may never have faced; left out of the mean.
NOT_MET = "na"
CHOICES: tuple[str, ...] = (*POINTS, NOT_MET)
# The key a reverse-worded statement carries: its rating counts as 6 minus the points given.
REVERSED = "reversed"
LABELS = {
    "1": Text("完全不符合", "Not at all like me"),
    "2": Text("不太符合", "Rarely like me"),
    "3": Text("有时符合", "Sometimes like me"),
    "4": Text("比较符合", "Mostly like me"),
    "5": Text("完全符合", "Very much like me"),
    "na": Text("尚未遇到这种情况", "Not met yet"),
}


class SelfRating(Kind):
    name = "likert"
    title = Text("自评量表", "Self-assessment")
    shape = AnswerShape.ONE
    is_scored = False
    keeps_order = True
    in_item_files = False

    def option_label(self, index: int, option_id: str) -> str:
        return option_id  # the rating itself: 1–5, or "na"

    def score(self, item: ScoringInput) -> ItemScore:
        """A self-rating is neither right nor wrong: it adds nothing to a score."""
        return ItemScore(0.0, 0.0)


KIND = SelfRating()


def questionnaire_items(questionnaire: SelfAssessment) -> list[Item]:
    """A questionnaire's statements as items an attempt can hold."""
    blank = Text("", "")
    options = tuple(Option(point, LABELS[point], blank) for point in CHOICES)
    return [
        Item(id=questionnaire.item_id(st), code=questionnaire.code, kind=KIND.name,
             difficulty=1, scenario=False, stem=st.text, options=options,
             key=(REVERSED,) if st.reverse else (), locator=st.locator,
             file=questionnaire.file, line=questionnaire.line)
        for st in questionnaire.statements
    ]


def mean_self_rating(answers: Sequence[tuple[Sequence[str] | None, Sequence[str]]]
                     ) -> float | None:
    """The mean of the 1–5 ratings given, each (response, key); a reverse-worded statement
    counts 6 minus its rating, and "not met yet" is left out. None when nothing was rated."""
    points = [6 - int(r[0]) if REVERSED in key else int(r[0]) for r, key in answers
              if r and len(r) == 1 and r[0].isdigit()]
    return round(sum(points) / len(points), 3) if points else None
