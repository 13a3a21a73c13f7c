"""`flask bank check|load|stats`, and versions kept by the importer."""

import json
import shutil

import pytest
from sqlalchemy import func, select

from quizapp.bank.models import Item, ItemVersion, Quiz, StudyNote
from quizapp.bank.vocabulary import QuizKind
from quizapp.extensions import db
from tests.helpers import TEST_BANK


@pytest.fixture
def bank_copy(tmp_path):
    target = tmp_path / "bank"
    shutil.copytree(TEST_BANK, target)
    return target


def counts(app):
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Item)),
                db.session.scalar(select(func.count()).select_from(ItemVersion)))


def test_check_passes_on_the_test_bank(runner):
    result = runner.invoke(args=["bank", "check", str(TEST_BANK)])
    assert result.exit_code == 0, result.output
    assert "ok: 9 items, 6 quizzes" in result.output


def test_check_lists_every_error_with_file_and_line(runner, bank_copy):
    path = bank_copy / "items" / "a1.yaml"
    text = path.read_text().replace("difficulty: 1", "difficulty: 5")
    text = text.replace("anchor: personal charm", "anchor: words that are not in the text")
    path.write_text(text)
    (bank_copy / "items" / "broken.yaml").write_text("items:\n  - id: [\n")
    result = runner.invoke(args=["bank", "check", str(bank_copy)])
    assert result.exit_code == 1
    assert "items/a1.yaml:2: item A1-001: 'difficulty' must be 1, 2 or 3" in result.output
    assert "items/broken.yaml:" in result.output
    assert "anchor 'words that are not in the text' not found" in result.output


def test_load_is_all_or_nothing(runner, app, bank_copy):
    (bank_copy / "items" / "broken.yaml").write_text("items:\n  - id: A2-009\n")
    result = runner.invoke(args=["bank", "load", str(bank_copy)])
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    assert counts(app) == (0, 0)


def test_load_keeps_versions_of_unchanged_items_and_adds_new_ones(runner, app, bank_copy):
    assert runner.invoke(args=["bank", "load", str(bank_copy)]).exit_code == 0
    # 9 questions and the 3 statements of the self-assessment.
    assert counts(app) == (12, 12)
    again = runner.invoke(args=["bank", "load", str(bank_copy)])
    assert "0 added, 0 changed (new version), 12 unchanged" in again.output
    assert counts(app) == (12, 12)

    path = bank_copy / "items" / "a2.yaml"
    path.write_text(path.read_text().replace("Systematically and practically",
                                             "Systematically and with practice"))
    changed = runner.invoke(args=["bank", "load", str(bank_copy)])
    assert "1 changed" in changed.output
    with app.app_context():
        item = db.session.get(Item, "A2-001")
        assert item.current_version == 2
        versions = db.session.scalars(select(ItemVersion).where(ItemVersion.item_id == "A2-001")
                                      .order_by(ItemVersion.version)).all()
        assert [v.content["options"][0]["text"]["en"] for v in versions] == [
            "Systematically and practically", "Systematically and with practice"]


def test_removed_items_and_quizzes_are_retired_not_deleted(runner, app, bank_copy):
    runner.invoke(args=["bank", "load", str(bank_copy)])
    (bank_copy / "items" / "a2.yaml").unlink()
    quizzes = bank_copy / "quizzes.yaml"
    quizzes.write_text(quizzes.read_text().split("  - id: mixed")[0])
    result = runner.invoke(args=["bank", "load", str(bank_copy)])
    assert "1 retired" in result.output
    with app.app_context():
        assert db.session.get(Item, "A2-001").is_retired
        assert not db.session.get(Quiz, "mixed").is_active


def test_stats_json_counts(runner):
    result = runner.invoke(args=["bank", "stats", "--json", str(TEST_BANK)])
    stats = json.loads(result.output)
    assert stats["items"] == 9
    assert stats["per_code"]["A1"]["items"] == 3
    assert stats["per_code"]["A1"]["kind"] == {"multiple": 1, "single": 1, "true_false": 1}
    assert stats["per_code"]["B"]["kind"] == {"judgement": 1, "matching": 1, "ordering": 1}
    assert stats["per_difficulty"] == {"1": 1, "2": 5, "3": 3}
    assert stats["scenario_share"] == round(4 / 9, 4)
    assert stats["bilingual_share"] == 1.0


def test_load_writes_study_notes_and_self_assessments(runner, app):
    assert runner.invoke(args=["bank", "load", str(TEST_BANK)]).exit_code == 0
    with app.app_context():
        note = db.session.get(StudyNote, "A1")
        assert note.content["key_ideas"][1]["zh"] == "严于律己"
        questionnaire = db.session.get(Quiz, "self-a1")
        assert questionnaire.kind == QuizKind.SELF_ASSESSMENT
        statement = db.session.get(Item, "self-a1-02")
        assert statement.questionnaire_id == "self-a1"
        assert statement.code == "A1"


def test_lint_json_reports_cues_and_exits_by_its_failures(runner):
    result = runner.invoke(args=["bank", "lint", "--json", str(TEST_BANK)])
    report = json.loads(result.output)
    assert report["scope"] == "bank"
    assert report["items"] == 9
    assert set(report["per_code"]) == {"A1", "A2", "B", "C1"}
    assert {"single", "multiple", "true_false", "judgement"} <= set(report["guesser"])
    assert result.exit_code == (1 if report["failures"] else 0)


def test_lint_of_one_code_counts_only_its_items(runner):
    result = runner.invoke(args=["bank", "lint", "--json", "--code", "B", str(TEST_BANK)])
    assert json.loads(result.output)["items"] == 3
    refused = runner.invoke(args=["bank", "lint", "--code", "Z9", str(TEST_BANK)])
    assert refused.exit_code == 2
