"""Counts over a parsed bank (pure): what `flask bank stats` prints."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .loader import Bank, Item
from .vocabulary import ALL_CODES


def is_bilingual(item: Item) -> bool:
    texts = [item.stem, *(o.text for o in item.options), *(o.explanation for o in item.options)]
    return all(t.zh.strip() and t.en.strip() for t in texts)


def bank_stats(bank: Bank) -> dict[str, Any]:
    """Counts per code, kind and difficulty, and the shares of scenario and bilingual items."""
    items = bank.items
    total = len(items)
    per_code: dict[str, dict[str, Any]] = {}
    for code in ALL_CODES:
        of_code = [i for i in items if i.code == code]
        per_code[code] = {
            "items": len(of_code),
            "difficulty": {str(d): sum(1 for i in of_code if i.difficulty == d) for d in (1, 2, 3)},
            "kind": dict(sorted(Counter(str(i.kind) for i in of_code).items())),
            "scenario": sum(1 for i in of_code if i.scenario),
        }
    return {
        "items": total,
        "per_code": per_code,
        "per_kind": dict(sorted(Counter(str(i.kind) for i in items).items())),
        "per_difficulty": {str(d): sum(1 for i in items if i.difficulty == d) for d in (1, 2, 3)},
        "scenario_share": round(sum(1 for i in items if i.scenario) / total, 4) if total else 0.0,
        "bilingual_share": round(sum(1 for i in items if is_bilingual(i)) / total, 4)
        if total else 0.0,
        "per_language": {
            "zh": sum(1 for i in items if i.stem.zh.strip()),
            "en": sum(1 for i in items if i.stem.en.strip()),
        },
        "quizzes": len(bank.quizzes),
        "misconception_tags": len(bank.misconceptions),
        "study_notes": [note.code for note in bank.study_notes],
        "self_assessments": {sa.id: len(sa.statements) for sa in bank.self_assessments},
    }
