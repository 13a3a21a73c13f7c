"""What a spreadsheet cell says, both ways (pure): the 题型 names, the 答案 of each form,
accepted wordings of a fill-in, a rubric written as lines, 难度 and 情境题."""

from __future__ import annotations

import re
from typing import Any

from ...kinds import kind_of
from ..schema import Item
from .entries import Form, key_entry

# Other names for the kinds met on other platforms' templates (each kind's own title, with or
# without 题, its English title and its name are read too).
KIND_ALIASES = {
    "单项选择题": "single",
    "多项选择题": "multiple",
    "是非题": "true_false",
    "匹配题": "matching",
    "连线题": "matching",
    "案例题": "case_analysis",
}
TRUTH_LETTERS = {"a": "true", "b": "false"}
TRUTH_WORDS = {
    "正确": "true",
    "对": "true",
    "是": "true",
    "√": "true",
    "true": "true",
    "t": "true",
    "a": "true",
    "错误": "false",
    "错": "false",
    "否": "false",
    "×": "false",
    "false": "false",
    "f": "false",
    "b": "false",
}
TRUTH_TEXT = {"true": "正确", "false": "错误"}
DIFFICULTY_WORDS = {
    "1": 1,
    "2": 2,
    "3": 3,
    "易": 1,
    "简单": 1,
    "中": 2,
    "中等": 2,
    "难": 3,
    "困难": 3,
}
YES = ("是", "y", "yes", "true", "1")
NO = ("否", "n", "no", "false", "0")
ALTERNATIVES = re.compile(r"\s*[|｜]\s*")
BLANK_LABEL = re.compile(r"^[（(]\s*(\d)\s*[)）]\s*")
SEPARATORS = re.compile(r"[\s,，、;；/]+")
RATING = re.compile(r"([A-Ha-h])\s*[:：=]?\s*(\d)")
CRITERION_LINE = re.compile(r"^[（(]([a-z])[)）]\s*(\d+)\s*(?:分|points?|pts?)\s*[:：]?\s*(.*)$")
LEVEL_LINE = re.compile(r"^(\d+)\s*(?:分|points?|pts?)\s*[:：]\s*(.*)$")

Problems = list[tuple[str, str]]  # (column key, message)


def kind_label(kind: str) -> str:
    """What the 题型 column calls a kind: its Chinese title, ending in 题."""
    title = kind_of(kind).title.zh
    return (title if title.endswith("题") else title + "题") if title else kind


def kind_named(label: str, kinds: list[str]) -> str | None:
    """The kind a 题型 cell names (its title, an alias, its English title or its name)."""
    text = label.strip().removesuffix("题").casefold()
    for kind in kinds:
        title = kind_of(kind).title
        names = {title.zh.removesuffix("题"), title.en.casefold(), kind}
        names |= {alias.removesuffix("题") for alias, name in KIND_ALIASES.items() if name == kind}
        if text and text in names:
            return kind
    return None


def option_id(letter: str, form: Form) -> str:
    return TRUTH_LETTERS.get(letter, letter) if form == Form.TRUTH else letter


def letter_of(option: str) -> str:
    return {v: k for k, v in TRUTH_LETTERS.items()}.get(option, option).upper()


# ---------------------------------------------------------------- writing


def write_answer(item: Item, form: Form) -> tuple[str, str]:
    """答案 and Answer (EN) of an item."""
    key = key_entry(item, form)
    if form == Form.TRUTH:
        return TRUTH_TEXT[key], ""
    if form in (Form.CHOICE, Form.CHOICES, Form.ORDER):
        return "".join(letter_of(k) for k in ([key] if isinstance(key, str) else key)), ""
    if form == Form.RATINGS:
        return " ".join(f"{letter_of(k)}:{v}" for k, v in key.items()), ""
    if form == Form.BLANKS:
        blanks = item.extra["blanks"]
        return tuple(_blank_lines([b["accept"][lang] for b in blanks]) for lang in ("zh", "en"))
    if form == Form.RUBRIC:
        model = item.extra["model_answer"]
        return model["zh"], model["en"]
    return "", ""


def _blank_lines(lists: list[list[str]]) -> str:
    if len(lists) == 1:
        return "|".join(lists[0])
    return "\n".join(f"({n}) {'|'.join(words)}" for n, words in enumerate(lists, start=1))


def write_rubric(rubric: list[dict[str, Any]]) -> tuple[str, str]:
    zh, en = [], []
    for criterion in rubric:
        zh.append(f"({criterion['id']}) {criterion['points']}分 {criterion['criterion']['zh']}")
        en.append(
            f"({criterion['id']}) {criterion['points']} points {criterion['criterion']['en']}"
        )
        for level in criterion["levels"]:
            zh.append(f"{level['points']}分：{level['zh']}")
            en.append(f"{level['points']} points: {level['en']}")
    return "\n".join(zh), "\n".join(en)


# ---------------------------------------------------------------- reading


def read_letters(text: str, ids: list[str], form: Form) -> tuple[list[str], str | None]:
    """Option letters (A, AC, B D, A、C); a problem names a letter that is no option."""
    letters = list(SEPARATORS.sub("", text).lower())
    chosen = [option_id(letter, form) for letter in letters]
    unknown = [
        letter.upper() for letter, oid in zip(letters, chosen, strict=True) if oid not in ids
    ]
    if unknown or not letters:
        options = ", ".join(letter_of(i) for i in ids) or "none"
        named = f"names {', '.join(unknown)}, not among" if unknown else "names none of"
        return [], f"答案 {text!r} {named} the options ({options})"
    return chosen, None


def read_answer(form: Form, zh: str, en: str, ids: list[str]) -> tuple[dict[str, Any], Problems]:
    """What 答案 and Answer (EN) add to an entry, or the problems with them."""
    if form in (Form.BLANKS, Form.RUBRIC):
        return _read_typed(form, zh, en)
    problems: Problems = []
    if en:
        problems.append(
            (
                "answer.en",
                "Answer (EN) is for 填空题 and 案例分析题 only: a choice's "
                "answer is its letters in 答案",
            )
        )
    if form == Form.MATCHES:
        if zh:
            problems.append(
                ("answer.zh", "配对题 has no 答案: each option pairs with its own 配对 cell")
            )
        return {}, problems
    if not zh:
        return {}, [*problems, ("answer.zh", "答案 is empty")]
    if form == Form.TRUTH:
        key = TRUTH_WORDS.get(zh.strip().casefold())
        if key is None:
            return {}, [*problems, ("answer.zh", f"答案 {zh!r} must be 正确 or 错误")]
        return {"key": key}, problems
    if form == Form.RATINGS:
        ratings = {
            option_id(m.group(1).lower(), form): int(m.group(2)) for m in RATING.finditer(zh)
        }
        unknown = sorted(set(ratings) - set(ids))
        if unknown or not ratings or RATING.sub("", zh).strip(" ,，;；、"):
            return {}, [
                *problems,
                (
                    "answer.zh",
                    f"答案 {zh!r} must rate each option like "
                    f"A:4 B:1 C:2 (options: "
                    f"{', '.join(map(letter_of, ids))})",
                ),
            ]
        return {"key": ratings}, problems
    chosen, problem = read_letters(zh, ids, form)
    if not problem and form == Form.CHOICE and len(chosen) != 1:
        problem = f"答案 {zh!r}: a 单选题 has exactly one answer"
    if problem:
        return {}, [*problems, ("answer.zh", problem)]
    return {"key": chosen[0] if form == Form.CHOICE else chosen}, problems


def _read_typed(form: Form, zh: str, en: str) -> tuple[dict[str, Any], Problems]:
    if form == Form.RUBRIC:
        return {"model_answer": {"zh": zh, "en": en}}, []
    lists = {"zh": read_blanks(zh), "en": read_blanks(en)}
    if len(lists["zh"]) != len(lists["en"]):
        return {}, [
            (
                "answer.en",
                f"答案 lists {len(lists['zh'])} blank(s) and Answer (EN) "
                f"{len(lists['en'])}: give each blank's wordings in both",
            )
        ]
    return {
        "blanks": [
            {"accept": {"zh": z, "en": e}} for z, e in zip(lists["zh"], lists["en"], strict=True)
        ]
    }, []


def read_blanks(text: str) -> list[list[str]]:
    """One line per blank (an optional (1) before it), its wordings separated by |."""
    blanks = []
    for line in filter(None, (line.strip() for line in text.splitlines())):
        words = [w for w in ALTERNATIVES.split(BLANK_LABEL.sub("", line)) if w]
        blanks.append(words)
    return blanks


def _rubric_lines(text: str, column: str) -> tuple[list[dict[str, Any]], Problems]:
    criteria: list[dict[str, Any]] = []
    for number, line in enumerate(filter(None, map(str.strip, text.splitlines())), start=1):
        head, level = CRITERION_LINE.match(line), LEVEL_LINE.match(line)
        if head:
            criteria.append(
                {
                    "id": head.group(1),
                    "points": int(head.group(2)),
                    "text": head.group(3).strip(),
                    "levels": [],
                }
            )
        elif level and criteria:
            criteria[-1]["levels"].append((int(level.group(1)), level.group(2).strip()))
        else:
            return [], [
                (
                    column,
                    f"line {number} is neither a criterion “(a) 3分 …” nor a "
                    f"level “3分：…” under one",
                )
            ]
    return criteria, []


def read_rubric(zh: str, en: str) -> tuple[list[dict[str, Any]] | None, Problems]:
    """The rubric of 评分标准 and Rubric (EN): the same criteria and levels in both."""
    zh_rubric, problems = _rubric_lines(zh, "rubric.zh")
    en_rubric, more = _rubric_lines(en, "rubric.en")
    if problems or more:
        return None, problems + more
    shape = [
        [(c["id"], c["points"], [p for p, _ in c["levels"]]) for c in r]
        for r in (zh_rubric, en_rubric)
    ]
    if shape[0] != shape[1]:
        return None, [
            ("rubric.en", "评分标准 and Rubric (EN) must list the same criteria, points and levels")
        ]
    return [
        {
            "id": z["id"],
            "points": z["points"],
            "criterion": {"zh": z["text"], "en": e["text"]},
            "levels": [
                {"points": p, "zh": zt, "en": et}
                for (p, zt), (_, et) in zip(z["levels"], e["levels"], strict=True)
            ],
        }
        for z, e in zip(zh_rubric, en_rubric, strict=True)
    ], []


def read_difficulty(text: str) -> int | str:
    """1, 2 or 3 (易/中/难 read too); anything else is left for the bank's check to name."""
    return DIFFICULTY_WORDS.get(text.strip().removesuffix(".0"), text)


def read_scenario(text: str) -> bool | None:
    word = text.strip().casefold()
    return True if word in YES else False if word in NO else None
