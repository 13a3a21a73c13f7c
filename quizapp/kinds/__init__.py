"""Question kinds, one module each, and the registry the rest of the platform asks.

Adding a kind: one module here with a `KIND` (a `Kind` subclass instance), its partials
`templates/kinds/<name>/take.html` and `review.html`, a test file, and its translations;
then one line below. Nothing else branches on a kind's name.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum

from . import (
    case_analysis,
    fill_blank,
    judgement,
    likert,
    matching,
    multiple,
    ordering,
    single,
    true_false,
)
from .base import AnswerShape, InvalidAnswer, InvalidGrade, ItemScore, Kind, ScoringInput, Shown

REGISTRY: dict[str, Kind] = {module.KIND.name: module.KIND for module in (
    single, multiple, true_false, matching, ordering, judgement, likert, fill_blank,
    case_analysis,
)}


# The names as an enumeration, built from the registry (QuestionKind.SINGLE == "single").
QuestionKind = StrEnum("QuestionKind", {name.upper(): name for name in REGISTRY})


class UnknownKind(KeyError):
    """No kind has this name."""


def kind_of(name: str) -> Kind:
    try:
        return REGISTRY[str(name)]
    except KeyError:
        raise UnknownKind(name) from None


def item_file_kinds() -> Iterator[Kind]:
    """The kinds an items file may use (self-ratings belong to questionnaires)."""
    return (kind for kind in REGISTRY.values() if kind.in_item_files)


def graded_by_people() -> frozenset[str]:
    return frozenset(name for name, kind in REGISTRY.items() if kind.needs_grader)


# The kind questionnaire statements become.
SELF_RATING = likert.KIND.name


def partial(kind: str, page: str) -> str:
    """The template of a kind's page part ("take", "review", "grade"): each kind keeps its
    partials in templates/kinds/<kind>/."""
    return f"kinds/{kind}/{page}.html"


__all__ = ["REGISTRY", "SELF_RATING", "AnswerShape", "InvalidAnswer", "InvalidGrade", "ItemScore",
           "Kind",
           "QuestionKind", "ScoringInput", "Shown", "UnknownKind", "graded_by_people",
           "item_file_kinds", "kind_of", "partial"]
