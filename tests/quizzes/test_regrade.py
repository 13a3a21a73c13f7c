"""Regrade after a key correction, from the command line."""

import shutil

import pytest

from quizapp.extensions import db
from quizapp.quizzes.models import Attempt
from tests.helpers import TEST_BANK, answers_for, attempt_rows, csrf_token, log_in, start_quiz


@pytest.fixture
def graded_attempt(app, client, cadre, loaded_bank):
    """A cadre answered A1-001 with option a (the key) and the rest correctly too."""
    log_in(client, cadre)
    attempt_id = start_quiz(client)
    rows = attempt_rows(app, attempt_id)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token,
                                                        **answers_for(rows)})
    return attempt_id


def correct_key(tmp_path, runner):
    """Load a bank in which A1-001's key moves from a to b (a key correction)."""
    bank = tmp_path / "bank"
    shutil.copytree(TEST_BANK, bank)
    path = bank / "items" / "a1.yaml"
    text = path.read_text()
    text = text.replace("    key: a\n    locator:\n      doc: 000_1701b1266fabe569.txt\n"
                        "      anchor: ability to establish our own prestige",
                        "    key: b\n    locator:\n      doc: 000_1701b1266fabe569.txt\n"
                        "      anchor: ability to establish our own prestige")
    text = text.replace("        misconception: gives_orders\n      - id: c\n"
                        "        text: {zh: 答应以后多给好处",
                        "      - id: c\n        text: {zh: 答应以后多给好处", 1)
    path.write_text(text)
    result = runner.invoke(args=["bank", "load", str(bank)])
    assert result.exit_code == 0, result.output
    assert "1 changed" in result.output


def score_of(app, attempt_id):
    with app.app_context():
        return db.session.get(Attempt, attempt_id).score


def test_dry_run_reports_and_saves_nothing_then_regrade_applies(app, runner, graded_attempt,
                                                                tmp_path):
    assert score_of(app, graded_attempt) == 3.0
    correct_key(tmp_path, runner)
    dry = runner.invoke(args=["attempts", "regrade", "--item", "A1-001", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"attempt {graded_attempt} (cadre): 3 -> 2 of 3" in dry.output
    assert "nothing saved" in dry.output
    assert score_of(app, graded_attempt) == 3.0
    applied = runner.invoke(args=["attempts", "regrade", "--item", "A1-001"])
    assert "1 attempt(s) regraded" in applied.output
    assert score_of(app, graded_attempt) == 2.0
    again = runner.invoke(args=["attempts", "regrade", "--item", "A1-001"])
    assert "0 attempt(s) regraded" in again.output


def test_unknown_item_is_a_clear_error(runner, loaded_bank):
    result = runner.invoke(args=["attempts", "regrade", "--item", "Z9-999"])
    assert result.exit_code != 0 and "no item Z9-999" in result.output


def test_admin_previews_then_applies_a_regrade(app, graded_attempt, tmp_path, runner, admin):
    correct_key(tmp_path, runner)
    admin_client = app.test_client()
    log_in(admin_client, admin)
    token = csrf_token(admin_client, "/admin/regrade")
    preview = admin_client.post("/admin/regrade", data={"csrf_token": token, "item_id": "a1-001",
                                                        "preview": "y"})
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "cadre" in page and "3 / 3" in page and "2 / 3" in page
    assert score_of(app, graded_attempt) == 3.0
    admin_client.post("/admin/regrade", data={"csrf_token": token, "item_id": "A1-001",
                                               "apply": "y"})
    assert score_of(app, graded_attempt) == 2.0


def test_only_admins_may_regrade(client, cadre, loaded_bank):
    log_in(client, cadre)
    assert client.get("/admin/regrade").status_code == 403
