"""scripts/bank_review.py run as a reviewer runs it: random sheets under opaque numbers, and
answers given by those numbers scored back against the right items."""

from __future__ import annotations

import json
import re
import subprocess  # nosec B404
import sys
from pathlib import Path

from quizapp.bank.loader import load_bank
from tests.helpers import ROOT

SCRIPT = ROOT / "scripts" / "bank_review.py"
BANK = ROOT / "question_bank"


def review(*args: str) -> str:
    return subprocess.run([sys.executable, str(SCRIPT), *args], check=True,  # noqa: S603
                          capture_output=True, text=True, cwd=ROOT).stdout


def test_samples_hide_ids_and_codes_and_score_back_through_the_map(tmp_path: Path) -> None:
    review("sample", "--size", "12", "--count", "2", "--seed", "5", "--kinds", "single",
           "--out", str(tmp_path))
    items = {i.id: i for i in load_bank(BANK).bank.items}
    maps = [json.loads((tmp_path / f"map{n}.json").read_text()) for n in (1, 2)]
    assert [len(m) for m in maps] == [12, 12]
    assert not set(maps[0].values()) & set(maps[1].values())  # drawn without replacement
    sheet = (tmp_path / "sheet1.md").read_text()
    assert re.findall(r"^### (Q\d{3}) ", sheet, re.M) == sorted(maps[0])
    assert not any(item_id in sheet for item_id in items)
    assert all(items[i].kind == "single" for i in maps[0].values())

    # A reader who answers Q001 right and every other item wrong scores exactly 1 of 12.
    first = items[maps[0]["Q001"]]
    letters = re.findall(r"^([A-Z])\. (.*)$", sheet.split("### Q002")[0], re.M)
    key_text = next(o.text.zh for o in first.options if o.id == first.key[0])
    right = next(letter for letter, text in letters if text == key_text)
    answers = [{"id": "Q001", "answer": right}]
    for number in maps[0]:
        if number != "Q001":
            answers.append({"id": number, "answer": "Z"})  # no such option: scores nothing
    (tmp_path / "answers.jsonl").write_text("\n".join(json.dumps(a) for a in answers))
    report = json.loads(review("score", str(tmp_path / "answers.jsonl"), "--map",
                               str(tmp_path / "map1.json"), "--seed", "5", "--json"))
    assert report["overall"]["items"] == 12
    assert report["per_item"][first.id] == 1.0
    assert sum(report["per_item"].values()) == 1.0
    assert report["left_out"] == []


def test_a_sample_can_be_drawn_from_some_codes_only(tmp_path: Path) -> None:
    review("sample", "--size", "500", "--seed", "3", "--kinds", "judgement", "--codes",
           "C5,C6", "--out", str(tmp_path))
    drawn = json.loads((tmp_path / "map1.json").read_text()).values()
    items = {i.id: i for i in load_bank(BANK).bank.items}
    expected = {i.id for i in items.values() if i.kind == "judgement" and i.code in ("C5", "C6")}
    assert set(drawn) == expected and expected


def test_a_sample_can_be_drawn_from_listed_items(tmp_path: Path) -> None:
    # Two ids of the bank as it stands (items are retired and added, so none is named here).
    chosen = sorted(i.id for i in load_bank(BANK).bank.items if i.kind == "single")[:2]
    listed = tmp_path / "ids.txt"
    listed.write_text("\n".join(chosen) + "\n")
    review("sample", "--size", "10", "--seed", "4", "--ids", f"@{listed}", "--out",
           str(tmp_path))
    assert sorted(json.loads((tmp_path / "map1.json").read_text()).values()) == chosen


def test_a_missing_id_list_is_a_clear_error(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "sample", "--ids",  # noqa: S603
                             f"@{tmp_path / 'none.txt'}", "--out", str(tmp_path)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
    assert "--ids: cannot read" in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.glob("sheet*.md"))


def test_an_answer_in_another_kinds_shape_is_left_out_and_listed(tmp_path: Path) -> None:
    """A rating given to a single-choice item means the reader's lines slipped: it is neither
    scored as wrong (which would flatter the bank) nor as anything else."""
    review("sample", "--size", "3", "--seed", "9", "--kinds", "single", "--out", str(tmp_path))
    numbers = json.loads((tmp_path / "map1.json").read_text())
    answers = [{"id": "Q001", "answer": {"A": 4, "B": 1}}, {"id": "Q002", "answer": ["A"]},
               {"id": "Q003", "answer": "B"}, {"id": "Q003"}, {"answer": "A"}]
    (tmp_path / "answers.jsonl").write_text("\n".join(json.dumps(a) for a in answers))
    report = json.loads(review("score", str(tmp_path / "answers.jsonl"), "--map",
                               str(tmp_path / "map1.json"), "--seed", "9", "--json"))
    # A line without an answer is left out too; one without an id names no item.
    assert report["left_out"] == [numbers["Q001"], numbers["Q003"]]
    assert sorted(report["per_item"]) == sorted([numbers["Q002"], numbers["Q003"]])
