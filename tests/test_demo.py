"""`flask demo-data`: repeatable, realistic, and the reports read it."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from quizapp.cohorts.models import Assignment, Cohort, Membership
from quizapp.demo import BankItem, simulate
from quizapp.extensions import db
from quizapp.kinds import QuestionKind
from quizapp.quizzes.models import Attempt, AttemptItem, CodeRollup


def test_simulation_is_repeatable_and_cadres_improve():
    items = [BankItem(i, "A1", QuestionKind.SINGLE, 1 + i % 3, ("a",), ("a", "b", "c", "d"))
             for i in range(40)]
    end = datetime(2026, 11, 1, tzinfo=UTC)
    first = list(simulate(50, 12, 7, items, [("ability-a1", ["A1"], 10)], end))
    again = list(simulate(50, 12, 7, items, [("ability-a1", ["A1"], 10)], end))
    assert first == again
    early = [x.score for a in first if a.started_at < end.replace(month=8) for x in a.answers]
    late = [x.score for a in first if a.started_at >= end.replace(month=8) for x in a.answers]
    assert sum(late) / len(late) > sum(early) / len(early)


def test_command_fills_cohorts_attempts_and_rollups(app, runner, loaded_bank):
    result = runner.invoke(args=["demo-data", "--cadres", "35", "--attempts", "3",
                                 "--seed", "2"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Cohort)) == 2
        assert db.session.scalar(select(func.count()).select_from(Membership)) == 35
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 105
        answers = db.session.scalar(select(func.count()).select_from(AttemptItem))
        assert f"{answers} answers" in result.output
        rolled = db.session.scalar(select(func.sum(CodeRollup.items)))
        assert rolled == answers
        # Each cohort has the A1 quiz assigned; its attempts there feed item analysis.
        assert db.session.scalar(select(func.count()).select_from(Assignment)) == 2
        assigned = db.session.scalar(select(func.count()).select_from(Attempt).where(
            Attempt.assignment_id.is_not(None)))
        a1 = db.session.scalar(select(func.count()).select_from(Attempt).where(
            Attempt.quiz_id == "ability-a1"))
        assert assigned == a1 > 0
