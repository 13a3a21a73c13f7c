"""The shipped question bank: it passes `flask bank check`, and its coverage cannot slip."""

import json
from pathlib import Path

import pytest

from quizapp import create_app
from quizapp.bank.kinds import ABILITY_CODES
from quizapp.bank.loader import load_bank
from quizapp.bank.similarity import similar_items

ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "question_bank"
SEEDS = ROOT.parent / "shared" / "seeds"


def test_bank_check_passes_including_locators_and_own_words():
    if not SEEDS.is_dir():
        pytest.skip(f"seeds not found at {SEEDS}: anchors cannot be checked")
    result = load_bank(BANK, SEEDS)
    assert [str(e) for e in result.errors] == []


@pytest.fixture(scope="module")
def stats():
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "QUIZAPP_BANK_DIR": str(BANK)})
    result = app.test_cli_runner().invoke(args=["bank", "stats", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_every_ability_has_at_least_five_items(stats):
    for code in ABILITY_CODES:
        assert stats["per_code"][code]["items"] >= 5, code
    assert stats["bilingual_share"] == 1.0


def test_no_two_items_share_nearly_the_same_stem():
    items = load_bank(BANK).bank.items
    assert similar_items(items, threshold=0.4) == []
