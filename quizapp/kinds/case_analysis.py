"""案例分析 Case analysis: a scenario answered in free text and graded by a person with a
rubric (criteria with points and level descriptors in both languages). The attempt waits for
grading until a coordinator of the cadre's cohort, or an admin, grades and releases it."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from ..bank.schema import Item, Text
from ..bank.yaml_source import Collector, LineDict
from .base import (
    MAX_STEPS,
    Body,
    EditorField,
    EditorSpec,
    FieldType,
    InvalidGrade,
    ItemScore,
    KeyMark,
    ScoringInput,
    Shown,
    localized,
)
from .texts import TypedKind

CRITERION_IDS = ("a", "b", "c", "d", "e", "f")
LENGTH_RANGE = (200, 3000)
# Shown beside the editor's field: 2–6 criteria lettered a, b, c …, each with levels from its
# full points down to 0.
RUBRIC_EXAMPLE = """\
- id: a
  points: 2
  criterion: {zh: 先核实情况, en: Checks the facts first}
  levels:
    - {points: 2, zh: 核实了各方说法, en: Checks every side's account}
    - {points: 1, zh: 只听一方, en: Hears one side only}
    - {points: 0, zh: 未核实, en: Does not check}
- id: b
  points: 2
  criterion: {zh: 依法依规提出办法, en: Proposes a lawful remedy}
  levels:
    - {points: 2, zh: 办法合法可行, en: Lawful and workable}
    - {points: 0, zh: 没有办法或违规, en: No remedy or an unlawful one}
"""


class CaseAnalysis(TypedKind):
    name = "case_analysis"
    title = Text("案例分析", "Case analysis")
    needs_grader = True
    fields = ("rubric", "model_answer", "max_length")
    max_length = 1500
    editor = EditorSpec(has_options=False, key_mark=KeyMark.NONE, fields=(
        EditorField("max_length", FieldType.INTEGER, default=1500),
        EditorField("rubric", FieldType.YAML, RUBRIC_EXAMPLE),
        EditorField("model_answer", FieldType.TEXT),
    ))

    def parse(self, data: LineDict, label: str, check: Collector,
              tags: set[str] | None) -> Body | None:
        before = len(check.errors)
        limit = data.get("max_length", self.max_length)
        if isinstance(limit, bool) or not isinstance(limit, int) \
                or not LENGTH_RANGE[0] <= limit <= LENGTH_RANGE[1]:
            check.add(data, f"{label}: 'max_length' must be a whole number from "
                            f"{LENGTH_RANGE[0]} to {LENGTH_RANGE[1]}")
        raw = data.get("rubric")
        if not isinstance(raw, list) or not 2 <= len(raw) <= len(CRITERION_IDS):
            check.add(data, f"{label}: 'rubric' must list 2 to {len(CRITERION_IDS)} criteria")
            return None
        rubric = [c for index, entry in enumerate(raw)
                  if (c := self._criterion(entry, data, index, label, check)) is not None]
        model = check.text(data, "model_answer", label)
        if len(check.errors) > before or model is None:
            return None
        return Body((), (), {"rubric": rubric, "model_answer": model.to_dict(),
                             "max_length": limit})

    def _criterion(self, entry: Any, data: LineDict, index: int, label: str,
                   check: Collector) -> dict[str, Any] | None:
        where = f"{label} criterion #{index + 1}"
        criterion = check.mapping(entry, data, where)
        if criterion is None:
            return None
        check.unknown_keys(criterion, ("id", "points", "criterion", "levels"), where)
        cid, points = criterion.get("id"), criterion.get("points")
        if cid != CRITERION_IDS[index]:
            check.add(criterion, f"{where}: criteria are lettered a, b, c … in order")
        if isinstance(points, bool) or not isinstance(points, int) or not 1 <= points <= 10:
            check.add(criterion, f"{where}: 'points' must be a whole number from 1 to 10")
            return None
        text = check.text(criterion, "criterion", where)
        levels = []
        for raw_level in criterion.get("levels") or []:
            level = check.mapping(raw_level, criterion, f"{where} level")
            if level is None:
                continue
            check.unknown_keys(level, ("points", "zh", "en"), f"{where} level")
            descriptor_texts = LineDict({k: level[k] for k in ("zh", "en") if k in level})
            descriptor_texts.line = level.line
            holder = LineDict({"descriptor": descriptor_texts})
            holder.line = level.line
            descriptor = check.text(holder, "descriptor", f"{where} level")
            value = level.get("points")
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= points:
                check.add(level, f"{where}: a level's points lie between 0 and {points}")
            elif descriptor:
                levels.append({"points": value, **descriptor.to_dict()})
        values = [lv["points"] for lv in levels]
        if not levels or values != sorted(set(values), reverse=True) or values[0] != points \
                or values[-1] != 0:
            check.add(criterion, f"{where}: 'levels' run from {points} points down to 0, "
                                 "each value once")
            return None
        return {"id": cid, "points": points, "criterion": text.to_dict() if text else {},
                "levels": levels}

    def texts(self, item: Item) -> list[str]:
        texts = [item.extra["model_answer"]["zh"], item.extra["model_answer"]["en"]]
        for criterion in item.extra["rubric"]:
            texts += [criterion["criterion"]["zh"], criterion["criterion"]["en"]]
            texts += [level[lang] for level in criterion["levels"] for lang in ("zh", "en")]
        return texts

    def parts(self, shown: Shown) -> int:
        return 1

    def steps(self, content: Mapping[str, Any]) -> int:
        return max(1, min(MAX_STEPS, max_points(content.get("rubric", ()))))

    def score(self, item: ScoringInput) -> ItemScore:
        """Nothing until a person grades it (see `rubric_score`)."""
        return ItemScore(0.0, item.weight)

    def view(self, shown: Shown, response: Sequence[str] | None, lang: str,
             show_key: bool, show_explanation: bool) -> dict[str, Any]:
        rubric = [{"id": c["id"], "points": c["points"],
                   "criterion": localized(c["criterion"], lang),
                   "levels": [(lv["points"], localized(lv, lang)) for lv in c["levels"]]}
                  for c in shown.content["rubric"]]
        return {
            "answer": self.answers(response).get(1, ""), "limit": self.part_limit(shown),
            "rubric": rubric if show_key else [],
            "model_answer": localized(shown.content["model_answer"], lang)
            if show_explanation else "",
            "grade": shown.grade if show_key else None,
        }

    def read_grade(self, content: Mapping[str, Any], form: Mapping[str, str]
                   ) -> dict[str, int] | None:
        """The level chosen per criterion (form fields points-a, points-b …)."""
        points = {}
        for criterion in content["rubric"]:
            raw = form.get(f"points-{criterion['id']}", "")
            if not raw.isdigit():
                return None
            points[criterion["id"]] = int(raw)
        return points

    def score_grade(self, content: Mapping[str, Any], grade: Mapping[str, int],
                    weight: float = 1.0) -> ItemScore:
        return rubric_score(content["rubric"], grade, weight)

    def chance(self, item: Item) -> float | None:
        return 0.0

    def simulate(self, item: ScoringInput, knows: bool, rng: random.Random) -> tuple[str, ...]:
        return ("1=" + ("先核实情况，再同群众商量办法。" if knows else "按上级要求办。"),)


KIND = CaseAnalysis()


def max_points(rubric: Sequence[Mapping[str, Any]]) -> int:
    return sum(int(c["points"]) for c in rubric)


def rubric_score(rubric: Sequence[Mapping[str, Any]], points: Mapping[str, int],
                 weight: float = 1.0) -> ItemScore:
    """The item's score from the points given per criterion (each one of its levels)."""
    total = 0
    for criterion in rubric:
        given = points.get(criterion["id"])
        if given not in {level["points"] for level in criterion["levels"]}:
            raise InvalidGrade(f"criterion {criterion['id']}: {given!r} is not one of its levels")
        total += given
    return ItemScore(round(weight * total / max_points(rubric), 6), weight)
