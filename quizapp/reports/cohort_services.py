"""Coordinator reports for one cohort: dashboard, heat map, drill-down, item analysis, export."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook

from ..abilities import services as abilities
from ..abilities.bands import Band, Reason, band_of, reasons_for
from ..auth.models import User
from ..bank.vocabulary import ABILITY_CODES, ALL_CODES
from ..cohorts import services as cohorts
from ..cohorts.models import Assignment, Cohort
from ..kinds import kind_of
from ..measure.estimate import Ability
from ..measure.model import ItemParams, theta_for_share
from ..quizzes.settings import QuizSettings, grade_across_attempts
from ..spreadsheets import neutralised
from . import cohort_queries as queries
from . import item_analysis as analysis
from .mastery import (
    Mastery,
    Spread,
    TrendPoint,
    histogram,
    mastery_from_rollups,
    member_masteries,
    month_of,
    months_between,
    rollup_trend,
    spread,
    trends_by_code,
)


@dataclass(frozen=True)
class AssignmentSummary:
    assignment: Assignment
    settings: QuizSettings
    completed: int        # members with a graded attempt
    members: int
    grades: list[float]   # the grade that counts, per member who has one
    distribution: list[int]

    @property
    def completion(self) -> float:
        return 100.0 * self.completed / self.members if self.members else 0.0


@dataclass(frozen=True)
class AtRisk:
    user: User
    reasons: list[Reason]


DEFAULT_PASS_PERCENT = 60  # when no assignment of the cohort sets a pass mark


@dataclass(frozen=True)
class CohortMeasures:
    """Abilities measured from the cohort's own assignments only (never a cadre's private
    practice): per cadre and code, the pass line per code on the θ scale, and per cadre and
    code the estimate before the latest month against the one from it."""

    abilities: dict[int, dict[str, Ability]]
    pass_lines: dict[str, float]
    changes: dict[int, dict[str, tuple[Ability, Ability]]]


def _own_abilities(cohort: Cohort) -> tuple[list, dict[int, ItemParams],
                                             dict[int, dict[str, Ability]]]:
    """The cohort's own answers, their items' parameters, and each member's ability per code."""
    responses, versions = abilities.graded_responses(where=queries.own_answers(cohort.id))
    params = abilities.item_params(versions.values())
    found: dict[int, dict[str, Ability]] = {}
    for (user, code), ability in abilities.estimates_from(responses, params).items():
        found.setdefault(user, {})[code] = ability
    return responses, params, found


def cohort_bands(cohort: Cohort) -> dict[int, dict[str, Band]]:
    """Each member's ability per code as a band (the heat map needs no lines or trends)."""
    return {user: {code: band_of(a) for code, a in codes.items()}
            for user, codes in _own_abilities(cohort)[2].items()}


def cohort_measures(cohort: Cohort, pass_percent: int) -> CohortMeasures:
    responses, params, found = _own_abilities(cohort)
    per_code: dict[str, list[ItemParams]] = {}
    for version_id, code in {r.version_id: r.code for r in responses}.items():
        per_code.setdefault(code, []).append(params[version_id])
    lines = {code: theta_for_share(items, pass_percent / 100) for code, items in per_code.items()}
    months = sorted({month_of(r.graded_at) for r in responses if r.graded_at})
    changes: dict[int, dict[str, tuple[Ability, Ability]]] = {}
    if len(months) >= 2:
        latest = months[-1]
        before = [r for r in responses if r.graded_at and month_of(r.graded_at) < latest]
        after = [r for r in responses if r.graded_at and month_of(r.graded_at) == latest]
        old, new = (abilities.estimates_from(part, params) for part in (before, after))
        for key in old.keys() & new.keys():
            changes.setdefault(key[0], {})[key[1]] = (old[key], new[key])
    return CohortMeasures(found, lines, changes)


def pass_percent_of(assignments: list[Assignment]) -> int:
    marks = [QuizSettings.from_dict(a.settings).pass_percent for a in assignments]
    return max((m for m in marks if m is not None), default=DEFAULT_PASS_PERCENT)


# The dashboard draws the trend of the whole cohort and of each of the five abilities.
TREND_CODES = ABILITY_CODES


@dataclass(frozen=True)
class TrendRow:
    month: date
    overall: TrendPoint
    per_code: list[TrendPoint | None]  # in the order of TREND_CODES


@dataclass(frozen=True)
class CohortTrends:
    """The cohort's mastery month by month on its own assignments, overall and per code; the
    charts share one axis of months (every month from the first answer to the last)."""

    overall: list[TrendPoint]
    per_code: dict[str, list[TrendPoint]]
    pass_percent: int

    @property
    def months(self) -> list[date]:
        if not self.overall:
            return []
        return months_between(self.overall[0].period, self.overall[-1].period)

    @property
    def rows(self) -> list[TrendRow]:
        """One row per month that has answers: the whole cohort, then each of TREND_CODES."""
        by_code = {code: {p.period: p for p in self.per_code.get(code, [])}
                   for code in TREND_CODES}
        return [TrendRow(point.period, point, [by_code[code].get(point.period)
                                               for code in TREND_CODES])
                for point in self.overall]


def cohort_trends(cohort: Cohort, assignments: list[Assignment] | None = None
                  ) -> CohortTrends:
    rows = queries.cohort_code_month_totals(cohort.id)
    if assignments is None:
        assignments = cohorts.assignments_of(cohort)
    return CohortTrends(rollup_trend(rows), trends_by_code(rows), pass_percent_of(assignments))


@dataclass(frozen=True)
class Dashboard:
    cohort: Cohort
    members: list[User]
    assignments: list[AssignmentSummary]
    per_code: dict[str, Spread]
    trends: CohortTrends
    at_risk: list[AtRisk]
    as_of: datetime


def _grades_by_member(attempts: list[queries.AssignmentAttempt], assignment: Assignment,
                      settings: QuizSettings) -> dict[int, float]:
    percents: dict[int, list[float]] = {}
    for attempt in attempts:
        if attempt.assignment_id == assignment.id and attempt.percent is not None \
                and attempt.status == "graded":
            percents.setdefault(attempt.user_id, []).append(attempt.percent)
    return {user: grade for user, values in percents.items()
            if (grade := grade_across_attempts(settings.grading_method, values)) is not None}


def dashboard(cohort: Cohort, now: datetime) -> Dashboard:
    """Completion, score distribution, mean and spread per code, trend, cadres at risk."""
    members = queries.members(cohort.id)
    member_ids = {m.id for m in members}
    totals = queries.member_code_totals(cohort.id)
    attempts = queries.assignment_attempts(cohort.id)
    summaries = []
    overdue: Counter[int] = Counter()
    assigned = cohorts.assignments_of(cohort)
    for assignment in assigned:
        settings = QuizSettings.from_dict(assignment.settings)
        grades = _grades_by_member(attempts, assignment, settings)
        summaries.append(AssignmentSummary(
            assignment, settings, len(grades.keys() & member_ids), len(members),
            list(grades.values()), histogram(list(grades.values()))))
        if settings.closes_at and now >= settings.closes_at:
            for user_id in member_ids - grades.keys():
                overdue[user_id] += 1
    masteries = member_masteries(totals)
    per_code = {code: spread([m[code].value for m in masteries.values()
                              if code in m and m[code].has_enough_evidence])
                for code in ALL_CODES}
    measures = cohort_measures(cohort, pass_percent_of(assigned))
    at_risk = [AtRisk(user, reasons) for user in members
               if (reasons := reasons_for(measures.abilities.get(user.id, {}),
                                          measures.pass_lines,
                                          measures.changes.get(user.id, {}),
                                          overdue[user.id]))]
    return Dashboard(cohort, members, summaries, per_code, cohort_trends(cohort, assigned),
                     at_risk, now)


def assignment_histogram(assignment: Assignment) -> list[int]:
    """How many members' grades fall in each tenth of 0–100 % (the grade that counts)."""
    settings = QuizSettings.from_dict(assignment.settings)
    grades = _grades_by_member(queries.assignment_attempts(assignment.cohort_id), assignment,
                               settings)
    return histogram(list(grades.values()))


@dataclass(frozen=True)
class Heatmap:
    members: list[User]
    cells: dict[int, dict[str, Mastery]]
    cohort_row: dict[str, Mastery]
    bands: dict[int, dict[str, Band]]  # a cell whose band is wide is greyed


def heatmap(cohort: Cohort) -> Heatmap:
    """Rows are members, columns codes; the last row is the whole cohort."""
    totals = queries.member_code_totals(cohort.id)
    by_code: dict[str, list] = {}
    for row in totals:
        by_code.setdefault(row.code, []).append(row)
    overall = {code: mastery_from_rollups(rows) for code, rows in by_code.items()}
    bands = cohort_bands(cohort)
    return Heatmap(queries.members(cohort.id), member_masteries(totals), overall, bands)


@dataclass(frozen=True)
class OptionCount:
    option_id: str
    text: dict[str, str]
    count: int
    is_key: bool
    misconception: str | None


@dataclass(frozen=True)
class ItemBreakdown:
    item_id: str
    stem: dict[str, str]
    answers: int
    facility: float | None
    options: list[OptionCount]


@dataclass(frozen=True)
class DrillDown:
    code: str
    user: User | None
    items: list[ItemBreakdown]
    misconceptions: list[tuple[str, dict[str, str], int]]  # tag, label, times chosen


def drill_down(cohort: Cohort, code: str, user: User | None = None) -> DrillDown:
    """The items behind a heat-map cell: facility, options chosen, mistakes by tag."""
    answers = queries.code_answers(cohort.id, code, user.id if user else None)
    versions = queries.versions([a.item_version_id for a in answers])
    labels = queries.misconception_labels()
    per_item: dict[str, dict] = {}
    tags: Counter[str] = Counter()
    for answer in answers:
        version = versions[answer.item_version_id]
        entry = per_item.setdefault(version.item_id, {
            "version": version, "answers": 0, "earned": 0.0, "possible": 0.0,
            "chosen": Counter()})
        entry["answers"] += 1
        entry["earned"] += answer.score or 0.0
        entry["possible"] += answer.max_score
        chosen = kind_of(version.kind).chosen_options(answer.response)
        entry["chosen"].update(chosen)
        by_id = {o["id"]: o for o in version.content["options"]}
        for option_id in chosen:
            tag = by_id.get(option_id, {}).get("misconception")
            if tag and option_id not in version.content["key"]:
                tags[tag] += 1
    items = []
    for item_id in sorted(per_item):
        entry = per_item[item_id]
        content = entry["version"].content
        items.append(ItemBreakdown(
            item_id, content["stem"], entry["answers"],
            round(100.0 * entry["earned"] / entry["possible"], 1) if entry["possible"] else None,
            [OptionCount(o["id"], o["text"], entry["chosen"][o["id"]],
                         o["id"] in content["key"], o.get("misconception"))
             for o in content["options"]]))
    rolled = [(tag, labels.get(tag, {"zh": tag, "en": tag}), count)
              for tag, count in tags.most_common()]
    return DrillDown(code, user, items, rolled)


def item_analysis(assignment: Assignment, which: analysis.Which = "first"
                  ) -> analysis.ItemAnalysis:
    """Moodle-style item statistics over the assignment's graded attempts."""
    records: dict[int, analysis.AttemptRecord] = {}
    scores: dict[int, dict[str, tuple[float, float]]] = {}
    for row in queries.assignment_item_scores(assignment.id):
        scores.setdefault(row.attempt_id, {})[row.item_id] = (row.score, row.max_score)
        records[row.attempt_id] = analysis.AttemptRecord(
            row.user_id, row.attempt_id, row.started_at.timestamp(), scores[row.attempt_id])
    return analysis.analyse(analysis.select_attempts(records.values(), which))


EXPORT_HEADER = ("username", "display_name", "attempt", "quiz", "assignment", "graded_at",
                 "item", "version", "code", "response", "score", "max_score")


def export_rows(cohort: Cohort) -> list[tuple]:
    return [tuple(neutralised(cell) for cell in (
                *row[:5], row[5].isoformat() if row[5] else "", *row[6:9],
                " ".join(row[9] or []), row[10], row[11]))
            for row in queries.cohort_responses(cohort.id)]


def export_csv(cohort: Cohort) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese names intact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_HEADER)
    writer.writerows(export_rows(cohort))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(cohort: Cohort) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("responses")
    sheet.append(EXPORT_HEADER)
    for row in export_rows(cohort):
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
