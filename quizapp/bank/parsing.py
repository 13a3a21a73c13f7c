"""Parse and validate each kind of bank file into plain values (pure).

Text in, validated dataclasses or errors naming file and line out. Each question kind reads its
own part of an item (`quizapp.kinds`); this module reads what every item has.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..kinds import REGISTRY, item_file_kinds
from .schema import (
    BankError,
    DrawRule,
    Item,
    Locator,
    QuizSpec,
    SelfAssessment,
    Statement,
    StudyNote,
    Text,
)
from .vocabulary import ADAPTIVE_MODES, ALL_CODES, SELF_ASSESSMENT_CODES
from .yaml_source import Collector, LineDict, open_file

ITEM_ID_RE = re.compile(r"^(A[1-5]|B|C[1-6])-\d{3}$")
QUIZ_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
TAG_RE = re.compile(r"^[a-z][a-z_]{1,40}$")
DOC_RE = re.compile(r"^[0-9]{3}_[0-9a-f]{16}\.txt$")


# ---------------------------------------------------------------- misconceptions


def parse_misconceptions(text: str, filename: str) -> tuple[dict[str, Text], list[BankError]]:
    """Parse the controlled list of misconception tags: `misconceptions: {tag: {zh, en}}`."""
    root, check = open_file(text, filename)
    if root is None:
        return {}, check.errors
    tags = check.mapping(root.get("misconceptions"), root, "'misconceptions'")
    result: dict[str, Text] = {}
    for tag, label in (tags or {}).items():
        if not isinstance(tag, str) or not TAG_RE.match(tag):
            check.add(tags, f"misconception tag {tag!r} must be lower_snake_case")
            continue
        holder = LineDict({"label": label})
        holder.line = tags.line
        parsed = check.text(holder, "label", f"misconception {tag}")
        if parsed:
            result[tag] = parsed
    return result, check.errors


# ---------------------------------------------------------------- items

# Fields every item has; its kind reads the rest (options and key, blanks, a rubric …).
ITEM_FIELDS = ("id", "code", "kind", "difficulty", "scenario", "stem", "locator")


def parse_items(
    text: str, filename: str, misconception_tags: Iterable[str] | None = None
) -> tuple[list[Item], list[BankError]]:
    """Parse one items file (`items: [...]`); return the valid items and every error found."""
    root, check = open_file(text, filename)
    if root is None:
        return [], check.errors
    check.unknown_keys(root, ("items",), "file")
    raw_items = root.get("items")
    if not isinstance(raw_items, list):
        check.add(root, "'items' must be a list")
        return [], check.errors
    return _parse_entries(raw_items, root, check, misconception_tags), check.errors


def parse_entries(
    entries: Sequence[LineDict], filename: str, misconception_tags: Iterable[str] | None = None
) -> tuple[list[Item], list[BankError]]:
    """Validate item entries however they were read (a spreadsheet row, a Moodle question):
    the same rules as an items file, each error at the line its mapping carries."""
    check = Collector(filename)
    root = LineDict()
    root.line = 1
    return _parse_entries(entries, root, check, misconception_tags), check.errors


def _parse_entries(raw_items: Sequence[Any], root: LineDict, check: Collector,
                   misconception_tags: Iterable[str] | None) -> list[Item]:
    tags = set(misconception_tags) if misconception_tags is not None else None
    items: list[Item] = []
    for index, raw in enumerate(raw_items):
        item = _parse_item(raw, root, index, check, tags)
        if item is not None:
            items.append(item)
    return items


def parse_item_entry(data: LineDict, check: Collector, tags: set[str] | None) -> Item | None:
    """Parse one item entry already read into LineDicts (the question editor builds one from
    its form): the same rules as an items file, errors into `check`."""
    return _parse_item(data, data, 0, check, tags)


def _parse_item(
    raw: Any, root: LineDict, index: int, check: Collector, tags: set[str] | None
) -> Item | None:
    data = check.mapping(raw, root, f"item #{index + 1}")
    if data is None:
        return None
    before = len(check.errors)
    item_id = data.get("id")
    label = f"item {item_id}" if isinstance(item_id, str) else f"item #{index + 1}"

    if not isinstance(item_id, str) or not ITEM_ID_RE.match(item_id):
        check.add(data, f"{label}: 'id' must look like A3-017 (code, dash, three digits)")
    code = data.get("code")
    if code not in ALL_CODES:
        check.add(data, f"{label}: 'code' must be one of {', '.join(ALL_CODES)}")
    elif isinstance(item_id, str) and not item_id.startswith(f"{code}-"):
        check.add(data, f"{label}: id prefix does not match code {code}")
    name = data.get("kind")
    kind = REGISTRY.get(name) if isinstance(name, str) else None
    if kind is None or not kind.in_item_files:
        names = ", ".join(k.name for k in item_file_kinds())
        check.add(data, f"{label}: 'kind' must be one of {names}")
        kind = None
    difficulty = data.get("difficulty")
    if isinstance(difficulty, bool) or difficulty not in (1, 2, 3):
        check.add(data, f"{label}: 'difficulty' must be 1, 2 or 3")
    scenario = data.get("scenario")
    if not isinstance(scenario, bool):
        check.add(data, f"{label}: 'scenario' must be true or false")
    stem = check.text(data, "stem", label)
    check.unknown_keys(data, ITEM_FIELDS + (kind.fields if kind else ()), label)
    body = kind.parse(data, label, check, tags) if kind else None
    locator = _parse_locator(data, label, check)

    if len(check.errors) > before or None in (kind, stem, locator, body):
        return None
    return Item(
        id=item_id, code=code, kind=kind.name, difficulty=difficulty, scenario=scenario,
        stem=stem, options=body.options, key=body.key, locator=locator,
        file=check.filename, line=data.line, extra=body.extra,
    )


def _parse_locator(data: LineDict, label: str, check: Collector) -> Locator | None:
    loc = check.mapping(data.get("locator"), data, f"{label}: 'locator'")
    if loc is None:
        return None
    check.unknown_keys(loc, ("doc", "anchor", "note"), f"{label} locator")
    doc, anchor, note = loc.get("doc"), loc.get("anchor"), loc.get("note")
    if not isinstance(doc, str) or not DOC_RE.match(doc):
        check.add(loc, f"{label}: locator 'doc' must be a seed file name like 000_<hex>.txt")
        return None
    if not isinstance(anchor, str) or len(anchor.strip()) < 2:
        check.add(loc, f"{label}: locator 'anchor' must be a phrase from the document")
        return None
    if note is not None and not isinstance(note, str):
        check.add(loc, f"{label}: locator 'note' must be text")
        return None
    return Locator(doc=doc, anchor=anchor.strip(), note=note)




# ---------------------------------------------------------------- quizzes


def parse_quizzes(text: str, filename: str) -> tuple[list[QuizSpec], list[BankError]]:
    """Parse the preset quizzes: `quizzes: [{id, title, description, draw: [{code, count}]}]`."""
    root, check = open_file(text, filename)
    if root is None:
        return [], check.errors
    raw_quizzes = root.get("quizzes")
    if not isinstance(raw_quizzes, list):
        check.add(root, "'quizzes' must be a list")
        return [], check.errors
    quizzes: list[QuizSpec] = []
    seen: set[str] = set()
    for position, raw in enumerate(raw_quizzes):
        quiz = check.mapping(raw, root, f"quiz #{position + 1}")
        if quiz is None:
            continue
        before = len(check.errors)
        quiz_id = quiz.get("id")
        label = f"quiz {quiz_id}"
        check.unknown_keys(quiz, ("id", "title", "description", "draw", "adaptive"), label)
        adaptive = quiz.get("adaptive")
        if adaptive is not None and adaptive not in ADAPTIVE_MODES:
            check.add(quiz, f"{label}: 'adaptive' must be one of {', '.join(ADAPTIVE_MODES)}")
        if not isinstance(quiz_id, str) or not QUIZ_ID_RE.match(quiz_id):
            check.add(quiz, f"{label}: 'id' must be lower-case letters, digits and dashes")
        elif quiz_id in seen:
            check.add(quiz, f"{label}: id is repeated")
        seen.add(quiz_id)
        title = check.text(quiz, "title", label)
        description = check.text(quiz, "description", label, required=False) or Text("", "")
        rules = _parse_draw(quiz, label, check)
        if len(check.errors) == before and title:
            quizzes.append(QuizSpec(quiz_id, title, description, tuple(rules), position,
                                    adaptive))
    return quizzes, check.errors


def _parse_draw(quiz: LineDict, label: str, check: Collector) -> list[DrawRule]:
    raw_rules = quiz.get("draw")
    if not isinstance(raw_rules, list) or not raw_rules:
        check.add(quiz, f"{label}: 'draw' must list at least one {{code, count}}")
        return []
    rules: list[DrawRule] = []
    for raw in raw_rules:
        rule = check.mapping(raw, quiz, f"{label}: draw rule")
        if rule is None:
            continue
        check.unknown_keys(rule, ("code", "count", "kind"), f"{label} draw rule")
        code, count, kind = rule.get("code"), rule.get("count"), rule.get("kind")
        if code not in ALL_CODES:
            check.add(rule, f"{label}: draw code {code!r} is not one of {', '.join(ALL_CODES)}")
        elif isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 100:
            check.add(rule, f"{label}: draw count must be a whole number from 1 to 100")
        elif kind is not None and (kind not in REGISTRY or not REGISTRY[kind].in_item_files):
            check.add(rule, f"{label}: draw kind {kind!r} is not a kind of item")
        else:
            rules.append(DrawRule(code, count, kind))
    return rules


# ---------------------------------------------------------------- study notes

STUDY_FIELDS = ("code", "title", "summary", "key_ideas", "example", "mistakes", "read_further")


def _text_list(data: LineDict, key: str, label: str, check: Collector,
               least: int, most: int) -> list[Text]:
    raw = data.get(key)
    if not isinstance(raw, list) or not least <= len(raw) <= most:
        check.add(data, f"{label}: '{key}' must list {least} to {most} {{zh, en}} texts")
        return []
    texts = []
    for entry in raw:
        holder = LineDict({"text": entry})
        holder.line = entry.line if isinstance(entry, LineDict) else data.line
        text = check.text(holder, "text", f"{label} {key}")
        if text:
            texts.append(text)
    return texts


def _locator_from(raw: Any, parent: LineDict, label: str, check: Collector) -> Locator | None:
    holder = LineDict({"locator": raw})
    holder.line = raw.line if isinstance(raw, LineDict) else parent.line
    return _parse_locator(holder, label, check)


def parse_study_note(text: str, filename: str) -> tuple[StudyNote | None, list[BankError]]:
    """Parse one study note: key ideas, a worked example, common mistakes, where to read."""
    root, check = open_file(text, filename)
    if root is None:
        return None, check.errors
    code = root.get("code")
    label = f"study note {code}"
    check.unknown_keys(root, STUDY_FIELDS, label)
    if code not in ALL_CODES:
        check.add(root, f"{label}: 'code' must be one of {', '.join(ALL_CODES)}")
    title = check.text(root, "title", label)
    summary = check.text(root, "summary", label)
    example = check.text(root, "example", label)
    key_ideas = _text_list(root, "key_ideas", label, check, 2, 8)
    mistakes = _text_list(root, "mistakes", label, check, 1, 6)
    raw_locators = root.get("read_further")
    locators: list[Locator] = []
    if not isinstance(raw_locators, list) or not raw_locators:
        check.add(root, f"{label}: 'read_further' must list at least one locator")
    else:
        locators = [loc for raw in raw_locators
                    if (loc := _locator_from(raw, root, label, check)) is not None]
    if check.errors or None in (title, summary, example):
        return None, check.errors
    note = StudyNote(code, title, summary, tuple(key_ideas), example, tuple(mistakes),
                     tuple(locators), filename, root.line)
    return note, []


# ---------------------------------------------------------------- self-assessment

SELF_ID_RE = re.compile(r"^self-[a-z0-9-]{1,40}$")


def parse_self_assessment(text: str, filename: str) -> tuple[SelfAssessment | None,
                                                             list[BankError]]:
    """Parse a questionnaire: `id`, `code`, `title`, `statements: [{id, text, locator}]`."""
    root, check = open_file(text, filename)
    if root is None:
        return None, check.errors
    sa_id, code = root.get("id"), root.get("code")
    label = f"self-assessment {sa_id}"
    check.unknown_keys(root, ("id", "code", "title", "description", "instructions",
                              "statements"), label)
    if not isinstance(sa_id, str) or not SELF_ID_RE.match(sa_id):
        check.add(root, f"{label}: 'id' must look like self-a1")
    if code not in SELF_ASSESSMENT_CODES:
        check.add(root, f"{label}: 'code' must be one of {', '.join(SELF_ASSESSMENT_CODES)}")
    title = check.text(root, "title", label)
    description = check.text(root, "description", label, required=False) or Text("", "")
    instructions = check.text(root, "instructions", label)
    raw_statements = root.get("statements")
    statements: list[Statement] = []
    if not isinstance(raw_statements, list) or not 3 <= len(raw_statements) <= 20:
        check.add(root, f"{label}: 'statements' must list 3 to 20 statements")
        raw_statements = []
    seen: set[int] = set()
    for raw in raw_statements:
        entry = check.mapping(raw, root, f"{label}: statement")
        if entry is None:
            continue
        check.unknown_keys(entry, ("id", "text", "locator", "reverse"), f"{label} statement")
        reverse = entry.get("reverse", False)
        if not isinstance(reverse, bool):
            check.add(entry, f"{label}: statement 'reverse' must be true or false")
        number = entry.get("id")
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 99:
            check.add(entry, f"{label}: statement 'id' must be a number from 1 to 99")
            continue
        if number in seen:
            check.add(entry, f"{label}: statement {number} is repeated")
            continue
        seen.add(number)
        statement_text = check.text(entry, "text", f"{label} statement {number}")
        locator = _parse_locator(entry, f"{label} statement {number}", check)
        if statement_text and locator:
            statements.append(Statement(number, statement_text, locator, reverse is True))
    if check.errors or title is None or instructions is None:
        return None, check.errors
    return SelfAssessment(sa_id, code, title, description, tuple(statements), instructions,
                          filename, root.line), []


# ---------------------------------------------------------------- source titles


def parse_sources(text: str, filename: str) -> tuple[dict[str, Text], list[BankError]]:
    """Parse `sources.yaml`: the title (zh/en) of every document a locator may name."""
    root, check = open_file(text, filename)
    titles: dict[str, Text] = {}
    if root is None:
        return titles, check.errors
    check.unknown_keys(root, ("sources",), "file")
    raw = root.get("sources")
    if not isinstance(raw, list):
        check.add(root, "'sources' must be a list")
        return titles, check.errors
    for entry in raw:
        data = check.mapping(entry, root, "source")
        if data is None:
            continue
        check.unknown_keys(data, ("doc", "title"), "source")
        doc = data.get("doc")
        title = check.text(data, "title", f"source {doc}")
        if not isinstance(doc, str) or not DOC_RE.match(doc):
            check.add(data, "source 'doc' must be a seed file name like 000_<hex>.txt")
        elif title is not None:
            titles[doc] = title
    return titles, check.errors
