"""Blind and informed reading of the bank (question_bank/REVIEW.md describes the method).

    python scripts/bank_review.py sheet --codes A1,A5 --lang zh --seed 7 > sheet.md
    python scripts/bank_review.py score answers.jsonl --seed 7 [--json] [--bank DIR]
    python scripts/bank_review.py sample --size 40 --count 6 --seed 7 --out DIR
    python scripts/bank_review.py score DIR/answers1.jsonl --map DIR/map1.json --seed 7

`sample` draws random sheets as an outside check would: items in random order under opaque
numbers (Q001 …), so a reader learns neither an item's code nor its neighbours in the bank;
each sheet's map.json turns the numbers back into ids for `score --map`.

`sheet` prints items as a reader sees them: stem and options in a seeded shuffled order,
lettered A, B, C …, with no key, explanation, tag or locator. `score` reads the reader's answers
(one JSON object a line: {"id": "A1-001", "answer": …}) and scores them with the platform's own
scorers, per code and per kind, beside the score of answering at random.
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
from collections import defaultdict
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from quizapp.bank.loader import Item, load_bank  # noqa: E402
from quizapp.kinds import QuestionKind, ScoringInput, kind_of  # noqa: E402

INSTRUCTIONS = {
    QuestionKind.SINGLE: "one letter",
    QuestionKind.TRUE_FALSE: "A (true) or B (false)",
    QuestionKind.MULTIPLE: "a list of letters",
    QuestionKind.JUDGEMENT: "rate every option 1 (counter-productive) to 4 (most effective): "
                            '{"A": 4, "B": 1, ...}',
    QuestionKind.ORDERING: "every letter once, first step first",
    QuestionKind.MATCHING: 'pair every letter with a number: {"A": 2, ...}',
}


def shown_order(item: Item, seed: int) -> list[str]:
    """The options' order on the sheet (true/false keeps true first)."""
    ids = [o.id for o in item.options]
    if item.kind == QuestionKind.TRUE_FALSE:
        return ids
    rng = random.Random(f"{seed}:{item.id}")  # nosec B311
    rng.shuffle(ids)
    return ids


def match_order(item: Item, seed: int) -> list[str]:
    rng = random.Random(f"{seed}:{item.id}:match")  # nosec B311
    ids = [o.id for o in item.options]
    rng.shuffle(ids)
    return ids


def write_sheet(items: list[Item], lang: str, seed: int,
                numbers: dict[str, str] | None = None) -> str:
    """The sheet; `numbers` shows each item under an opaque number instead of its id."""
    lines = []
    for item in items:
        by_id = {o.id: o for o in item.options}
        shown_as = (numbers or {}).get(item.id, item.id)
        lines += [f"### {shown_as} ({item.kind}; answer: {INSTRUCTIONS[item.kind]})",
                  item.stem.get(lang), ""]
        for letter, option_id in zip(string.ascii_uppercase, shown_order(item, seed),
                                     strict=False):
            lines.append(f"{letter}. {by_id[option_id].text.get(lang)}")
        if item.kind == QuestionKind.MATCHING:
            lines.append("")
            for number, option_id in enumerate(match_order(item, seed), start=1):
                lines.append(f"{number}) {by_id[option_id].match.get(lang)}")
        lines.append("")
    return "\n".join(lines)


def random_sheets(items: list[Item], size: int, count: int, seed: int,
                  lang: str = "zh") -> list[tuple[str, dict[str, str]]]:
    """`count` sheets of `size` items drawn without replacement in random order, each with
    its map from opaque number to item id."""
    drawn = list(items)
    random.Random(f"sample:{seed}").shuffle(drawn)  # nosec B311
    sheets = []
    for start in range(0, min(len(drawn), size * count), size):
        group = drawn[start:start + size]
        numbers = {item.id: f"Q{n:03d}" for n, item in enumerate(group, start=1)}
        text = write_sheet(group, lang, seed, numbers)
        sheets.append((text, {number: item_id for item_id, number in numbers.items()}))
    return sheets


def as_response(item: Item, answer: object, seed: int) -> list[str]:
    """The reader's answer in the scorers' terms (option ids, or "id=value" pairs)."""
    letters = dict(zip(string.ascii_uppercase, shown_order(item, seed), strict=False))
    if isinstance(answer, str):
        answer = [answer]
    if item.kind == QuestionKind.ORDERING:
        return [f"{letters[a]}={place}" for place, a in enumerate(answer, start=1)
                if a in letters]
    if item.kind == QuestionKind.JUDGEMENT:
        return [f"{letters[a]}={value}" for a, value in dict(answer).items() if a in letters]
    if item.kind == QuestionKind.MATCHING:
        numbers = dict(enumerate(match_order(item, seed), start=1))
        return [f"{letters[a]}={numbers.get(int(n))}" for a, n in dict(answer).items()
                if a in letters]
    return [letters[a] for a in answer if a in letters]


def answered_in_shape(item: Item, answer: object) -> bool:
    """Whether the answer has the shape the item's kind asks for (a rating or matching item
    answered with one letter was misread, not answered: it is left out and listed)."""
    if item.kind in (QuestionKind.JUDGEMENT, QuestionKind.MATCHING):
        return isinstance(answer, dict)
    if item.kind == QuestionKind.ORDERING:
        return isinstance(answer, list)
    if item.kind == QuestionKind.MULTIPLE:  # one letter is a choice of one option
        return isinstance(answer, (list, str))
    return isinstance(answer, str) or (isinstance(answer, list) and len(answer) == 1)


def score(items: dict[str, Item], answers: list[dict], seed: int) -> dict:
    per_code: dict[str, list[tuple[float, float]]] = defaultdict(list)
    per_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    per_item = {}
    misshapen = []
    for entry in answers:
        item = items.get(entry.get("id", ""))
        if item is None:
            continue
        if not answered_in_shape(item, entry.get("answer")):  # a line without one too
            misshapen.append(item.id)
            continue
        result = kind_of(item.kind).score(ScoringInput(
            item.code, item.kind, item.key, tuple(o.id for o in item.options),
            tuple(as_response(item, entry["answer"], seed)), 1.0, item.extra))
        pair = (result.score, kind_of(item.kind).chance(item) or 0.0)
        per_code[item.code].append(pair)
        per_kind[str(item.kind)].append(pair)
        per_item[item.id] = round(result.score, 3)

    def summary(rows: list[tuple[float, float]]) -> dict:
        return {"items": len(rows), "score": round(mean(s for s, _ in rows), 3),
                "chance": round(mean(c for _, c in rows), 3)}

    everything = [p for rows in per_code.values() for p in rows]
    return {"overall": summary(everything) if everything else None,
            "per_code": {c: summary(r) for c, r in sorted(per_code.items())},
            "per_kind": {k: summary(r) for k, r in sorted(per_kind.items())},
            "per_item": per_item, "left_out": misshapen}


def listed(value: str) -> set[str]:
    """A comma-separated option ("A1,A5"), or @FILE with one entry per line, as a set."""
    entries = Path(value[1:]).read_text().split() if value.startswith("@") else value.split(",")
    return {entry.strip() for entry in entries if entry.strip()}


def listed_option(parser: argparse.ArgumentParser, args: argparse.Namespace,
                  name: str) -> set[str]:
    """`listed` for the option `--name`; an @FILE that cannot be read is a usage error."""
    try:
        return listed(getattr(args, name, ""))
    except OSError as error:
        parser.error(f"--{name}: cannot read {error.filename}: {error.strerror}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sheet = sub.add_parser("sheet")
    sheet.add_argument("--codes", default="")
    sheet.add_argument("--lang", default="zh", choices=["zh", "en"])
    sheet.add_argument("--seed", type=int, default=1)
    sample = sub.add_parser("sample")
    sample.add_argument("--size", type=int, default=40)
    sample.add_argument("--count", type=int, default=1)
    sample.add_argument("--seed", type=int, default=1)
    sample.add_argument("--lang", default="zh", choices=["zh", "en"])
    sample.add_argument("--kinds", default="", help="comma-separated kinds (default: all read)")
    sample.add_argument("--codes", default="", help="comma-separated codes (default: all)")
    sample.add_argument("--ids", default="",
                        help="comma-separated item ids, or @FILE with one per line (default: all)")
    sample.add_argument("--out", required=True)
    marks = sub.add_parser("score")
    marks.add_argument("answers")
    marks.add_argument("--seed", type=int, default=1)
    marks.add_argument("--json", action="store_true")
    marks.add_argument("--map", help="a sample's map.json: the answers use its numbers")
    for command in (sheet, sample, marks):
        command.add_argument("--bank", default=str(ROOT / "question_bank"),
                             help="the bank to read (a snapshot, to score a past sheet)")
    args = parser.parse_args()
    bank = load_bank(Path(args.bank)).bank
    if args.command == "sheet":
        codes = listed_option(parser, args, "codes")
        # Typed answers (fill-ins, case analyses) have no options to read: not on the sheet.
        chosen = [i for i in bank.items
                  if (not codes or i.code in codes) and i.kind in INSTRUCTIONS]
        print(write_sheet(chosen, args.lang, args.seed))
        return
    if args.command == "sample":
        kinds, codes, ids = (listed_option(parser, args, name)
                             for name in ("kinds", "codes", "ids"))
        readable = [i for i in bank.items
                    if i.kind in INSTRUCTIONS and (not kinds or str(i.kind) in kinds)
                    and (not codes or i.code in codes) and (not ids or i.id in ids)]
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for n, (text, numbers) in enumerate(
                random_sheets(readable, args.size, args.count, args.seed, args.lang), start=1):
            (out / f"sheet{n}.md").write_text(text, encoding="utf-8")
            (out / f"map{n}.json").write_text(json.dumps(numbers, indent=1), encoding="utf-8")
            print(f"{out / f'sheet{n}.md'}: {len(numbers)} items")
        return
    numbers = json.loads(Path(args.map).read_text()) if args.map else {}
    answers = [json.loads(line) for line in Path(args.answers).read_text().splitlines()
               if line.strip()]
    for entry in answers:
        entry["id"] = numbers.get(entry.get("id", ""), entry.get("id", ""))
    report = score({i.id: i for i in bank.items}, answers, args.seed)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for name, row in [("overall", report["overall"]), *report["per_code"].items(),
                      *report["per_kind"].items()]:
        print(f"{name:<12} {row['items']:>4} items  score {row['score']:.0%}  "
              f"chance {row['chance']:.0%}")
    if report["left_out"]:
        print("left out (answer not in the kind's shape): " + ", ".join(report["left_out"]))


if __name__ == "__main__":
    main()
