"""Parse and validate the question bank (YAML) into plain dataclasses.

Pure: text in, validated objects or a list of errors naming file and line out. Nothing here
touches Flask or the database; `importer.py` writes what this module returns.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .kinds import (
    ALL_CODES,
    JUDGEMENT_SCALE,
    LANGUAGES,
    LIKERT_CHOICES,
    PAIRED_KINDS,
    REVERSED,
    SELF_ASSESSMENT_CODES,
    QuestionKind,
)

ITEM_ID_RE = re.compile(r"^(A[1-5]|B|C[1-6])-\d{3}$")
QUIZ_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
OPTION_ID_RE = re.compile(r"^[a-h]$")
TAG_RE = re.compile(r"^[a-z][a-z_]{1,40}$")
DOC_RE = re.compile(r"^[0-9]{3}_[0-9a-f]{16}\.txt$")
TRUE_FALSE_IDS = ("true", "false")
DEFAULT_TRUE_FALSE_TEXT = {
    "true": {"zh": "正确", "en": "True"},
    "false": {"zh": "错误", "en": "False"},
}
MIN_OPTIONS, MAX_OPTIONS = 2, 8


# ---------------------------------------------------------------- result types


@dataclass(frozen=True)
class BankError:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Text:
    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def to_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class Option:
    id: str
    text: Text
    explanation: Text
    misconception: str | None = None
    match: Text | None = None  # matching items: what this option pairs with


@dataclass(frozen=True)
class Locator:
    doc: str
    anchor: str
    note: str | None = None
    title: Text | None = None  # the document's title, from sources.yaml: learners never see a file

    def to_content(self) -> dict[str, Any]:
        return {"doc": self.doc, "anchor": self.anchor, "note": self.note,
                **({"title": self.title.to_dict()} if self.title else {})}


@dataclass(frozen=True)
class Item:
    id: str
    code: str
    kind: QuestionKind
    difficulty: int
    scenario: bool
    stem: Text
    options: tuple[Option, ...]
    key: tuple[str, ...]
    locator: Locator
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    def to_content(self) -> dict[str, Any]:
        """The JSON-able content stored with each version (everything but the source position)."""
        return {
            "stem": self.stem.to_dict(),
            "options": [
                {
                    "id": o.id,
                    "text": o.text.to_dict(),
                    "explanation": o.explanation.to_dict(),
                    "misconception": o.misconception,
                    **({"match": o.match.to_dict()} if o.match else {}),
                }
                for o in self.options
            ],
            "key": list(self.key),
            "locator": self.locator.to_content(),
        }

    def content_hash(self) -> str:
        """A digest of everything a cadre sees or is scored on; a change means a new version."""
        payload = {
            "code": self.code,
            "kind": str(self.kind),
            "difficulty": self.difficulty,
            "scenario": self.scenario,
            **self.to_content(),
        }
        raw = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class DrawRule:
    code: str
    count: int


@dataclass(frozen=True)
class QuizSpec:
    id: str
    title: Text
    description: Text
    draw: tuple[DrawRule, ...]
    position: int = 0


@dataclass(frozen=True)
class StudyNote:
    code: str
    title: Text
    summary: Text
    key_ideas: tuple[Text, ...]
    example: Text
    mistakes: tuple[Text, ...]
    read_further: tuple[Locator, ...]
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    def to_content(self) -> dict[str, Any]:
        return {
            "title": self.title.to_dict(),
            "summary": self.summary.to_dict(),
            "key_ideas": [t.to_dict() for t in self.key_ideas],
            "example": self.example.to_dict(),
            "mistakes": [t.to_dict() for t in self.mistakes],
            "read_further": [loc.to_content() for loc in self.read_further],
        }

    def texts(self) -> list[str]:
        parts = [self.title, self.summary, self.example, *self.key_ideas, *self.mistakes]
        return [text for part in parts for text in (part.zh, part.en)]


LIKERT_LABELS = {
    "1": Text("完全不符合", "Not at all like me"),
    "2": Text("不太符合", "Rarely like me"),
    "3": Text("有时符合", "Sometimes like me"),
    "4": Text("比较符合", "Mostly like me"),
    "5": Text("完全符合", "Very much like me"),
    "na": Text("尚未遇到这种情况", "Not met yet"),
}


@dataclass(frozen=True)
class Statement:
    number: int
    text: Text
    locator: Locator
    reverse: bool = False  # worded against the habit: scored 6 minus the rating


@dataclass(frozen=True)
class SelfAssessment:
    """A questionnaire of statements rated 1–5; stored as likert items so attempts can hold it."""

    id: str
    code: str
    title: Text
    description: Text
    statements: tuple[Statement, ...]
    instructions: Text = Text("", "")  # time frame, answer honestly, "not met yet"
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    def item_id(self, statement: Statement) -> str:
        return f"{self.id}-{statement.number:02d}"

    def as_items(self) -> list[Item]:
        blank = Text("", "")
        options = tuple(Option(point, LIKERT_LABELS[point], blank) for point in LIKERT_CHOICES)
        return [
            Item(id=self.item_id(st), code=self.code, kind=QuestionKind.LIKERT, difficulty=1,
                 scenario=False, stem=st.text, options=options,
                 key=(REVERSED,) if st.reverse else (), locator=st.locator,
                 file=self.file, line=self.line)
            for st in self.statements
        ]


@dataclass(frozen=True)
class Bank:
    items: tuple[Item, ...] = ()
    quizzes: tuple[QuizSpec, ...] = ()
    misconceptions: Mapping[str, Text] = field(default_factory=dict)
    study_notes: tuple[StudyNote, ...] = ()
    self_assessments: tuple[SelfAssessment, ...] = ()


@dataclass(frozen=True)
class LoadResult:
    bank: Bank
    errors: tuple[BankError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


# ---------------------------------------------------------------- YAML with line numbers


class _LineDict(dict):
    """A mapping that remembers the line it started on, so errors can point at it."""

    line: int = 0


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    result = _LineDict(loader.construct_mapping(node, deep=True))
    result.line = node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _parse_yaml(text: str, filename: str) -> tuple[Any, list[BankError]]:
    try:
        # _LineLoader is a SafeLoader subclass: no arbitrary objects are built.
        return yaml.load(text, Loader=_LineLoader), []  # noqa: S506  # nosec B506
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return None, [BankError(filename, line, f"invalid YAML: {exc.problem or exc}")]
    except yaml.YAMLError as exc:
        return None, [BankError(filename, 1, f"invalid YAML: {exc}")]


# ---------------------------------------------------------------- validation helpers


class _Collector:
    """Collects errors for one file; each check names the line of the mapping it looked at."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.errors: list[BankError] = []

    def add(self, where: Any, message: str) -> None:
        line = where.line if isinstance(where, _LineDict) else int(where or 1)
        self.errors.append(BankError(self.filename, line, message))

    def mapping(self, value: Any, parent: Any, what: str) -> _LineDict | None:
        if isinstance(value, _LineDict):
            return value
        self.add(parent, f"{what} must be a mapping")
        return None

    def unknown_keys(self, data: _LineDict, allowed: Iterable[str], what: str) -> None:
        extra = sorted(set(map(str, data)) - set(allowed))
        if extra:
            self.add(data, f"{what}: unknown field(s) {', '.join(extra)}")

    def text(self, data: _LineDict, key: str, what: str, required: bool = True) -> Text | None:
        value = data.get(key)
        if value is None:
            if required:
                self.add(data, f"{what}: missing '{key}' (needs zh and en)")
            return None
        if not isinstance(value, _LineDict):
            self.add(data, f"{what}: '{key}' must have 'zh' and 'en' texts")
            return None
        self.unknown_keys(value, LANGUAGES, f"{what}.{key}")
        texts = {}
        for lang in LANGUAGES:
            raw = value.get(lang)
            if raw is not None and not isinstance(raw, str):
                # YAML reads bare yes/no/on/off, numbers and dates as non-text.
                self.add(value, f"{what}: '{key}.{lang}' must be text (put it in quotes)")
                return None
            if not isinstance(raw, str) or not raw.strip():
                self.add(value, f"{what}: '{key}.{lang}' is missing or empty")
                return None
            texts[lang] = raw.strip()
        return Text(**texts)


# ---------------------------------------------------------------- files

def _open_file(text: str, filename: str) -> tuple[_LineDict | None, _Collector]:
    """Parse a file whose top level is a mapping; its errors go into the returned collector."""
    check = _Collector(filename)
    data, errors = _parse_yaml(text, filename)
    check.errors.extend(errors)
    root = check.mapping(data, 1, "file") if not errors else None
    return root, check


# ---------------------------------------------------------------- misconceptions


def parse_misconceptions(text: str, filename: str) -> tuple[dict[str, Text], list[BankError]]:
    """Parse the controlled list of misconception tags: `misconceptions: {tag: {zh, en}}`."""
    root, check = _open_file(text, filename)
    if root is None:
        return {}, check.errors
    tags = check.mapping(root.get("misconceptions"), root, "'misconceptions'")
    result: dict[str, Text] = {}
    for tag, label in (tags or {}).items():
        if not isinstance(tag, str) or not TAG_RE.match(tag):
            check.add(tags, f"misconception tag {tag!r} must be lower_snake_case")
            continue
        holder = _LineDict({"label": label})
        holder.line = tags.line
        parsed = check.text(holder, "label", f"misconception {tag}")
        if parsed:
            result[tag] = parsed
    return result, check.errors


# ---------------------------------------------------------------- items

ITEM_FIELDS = ("id", "code", "kind", "difficulty", "scenario", "stem", "options", "key", "locator")
OPTION_FIELDS = ("id", "text", "explanation", "misconception", "match")


def parse_items(
    text: str, filename: str, misconception_tags: Iterable[str] | None = None
) -> tuple[list[Item], list[BankError]]:
    """Parse one items file (`items: [...]`); return the valid items and every error found."""
    root, check = _open_file(text, filename)
    if root is None:
        return [], check.errors
    check.unknown_keys(root, ("items",), "file")
    raw_items = root.get("items")
    if not isinstance(raw_items, list):
        check.add(root, "'items' must be a list")
        return [], check.errors
    tags = set(misconception_tags) if misconception_tags is not None else None
    items: list[Item] = []
    for index, raw in enumerate(raw_items):
        item = _parse_item(raw, root, index, check, tags)
        if item is not None:
            items.append(item)
    return items, check.errors


def _parse_item(
    raw: Any, root: _LineDict, index: int, check: _Collector, tags: set[str] | None
) -> Item | None:
    data = check.mapping(raw, root, f"item #{index + 1}")
    if data is None:
        return None
    before = len(check.errors)
    item_id = data.get("id")
    label = f"item {item_id}" if isinstance(item_id, str) else f"item #{index + 1}"
    check.unknown_keys(data, ITEM_FIELDS, label)

    if not isinstance(item_id, str) or not ITEM_ID_RE.match(item_id):
        check.add(data, f"{label}: 'id' must look like A3-017 (code, dash, three digits)")
    code = data.get("code")
    if code not in ALL_CODES:
        check.add(data, f"{label}: 'code' must be one of {', '.join(ALL_CODES)}")
    elif isinstance(item_id, str) and not item_id.startswith(f"{code}-"):
        check.add(data, f"{label}: id prefix does not match code {code}")
    try:
        kind = QuestionKind(data.get("kind"))
        if kind == QuestionKind.LIKERT:
            raise ValueError("likert statements belong in self_assessment files")
    except ValueError:
        kinds = ", ".join(k.value for k in QuestionKind if k != QuestionKind.LIKERT)
        check.add(data, f"{label}: 'kind' must be one of {kinds}")
        kind = None
    difficulty = data.get("difficulty")
    if isinstance(difficulty, bool) or difficulty not in (1, 2, 3):
        check.add(data, f"{label}: 'difficulty' must be 1, 2 or 3")
    scenario = data.get("scenario")
    if not isinstance(scenario, bool):
        check.add(data, f"{label}: 'scenario' must be true or false")
    stem = check.text(data, "stem", label)
    options = _parse_options(data, kind, label, check, tags)
    key = _parse_key(data, kind, options, label, check)
    locator = _parse_locator(data, label, check)

    if len(check.errors) > before or None in (kind, stem, locator) or options is None:
        return None
    return Item(
        id=item_id, code=code, kind=kind, difficulty=difficulty, scenario=scenario,
        stem=stem, options=tuple(options), key=key, locator=locator,
        file=check.filename, line=data.line,
    )


def _parse_options(
    data: _LineDict, kind: QuestionKind | None, label: str, check: _Collector,
    tags: set[str] | None,
) -> list[Option] | None:
    raw_options = data.get("options")
    if not isinstance(raw_options, list):
        check.add(data, f"{label}: 'options' must be a list")
        return None
    options: list[Option] = []
    seen: set[str] = set()
    for raw in raw_options:
        opt = check.mapping(raw, data, f"{label}: option")
        if opt is None:
            continue
        option_id = opt.get("id")
        if isinstance(option_id, bool):
            option_id = "true" if option_id else "false"  # a bare YAML true/false
        check.unknown_keys(opt, OPTION_FIELDS, f"{label} option {option_id}")
        valid_id = (
            option_id in TRUE_FALSE_IDS if kind == QuestionKind.TRUE_FALSE
            else isinstance(option_id, str) and OPTION_ID_RE.match(option_id)
        )
        if not valid_id:
            wanted = "'true' or 'false'" if kind == QuestionKind.TRUE_FALSE else "a letter a–h"
            check.add(opt, f"{label}: option id {option_id!r} must be {wanted}")
            continue
        if option_id in seen:
            check.add(opt, f"{label}: option id {option_id!r} is repeated")
            continue
        seen.add(option_id)
        if kind == QuestionKind.TRUE_FALSE and "text" not in opt:
            text = Text(**DEFAULT_TRUE_FALSE_TEXT[option_id])
        else:
            text = check.text(opt, "text", f"{label} option {option_id}")
        explanation = check.text(opt, "explanation", f"{label} option {option_id}")
        match = None
        if kind == QuestionKind.MATCHING:
            match = check.text(opt, "match", f"{label} option {option_id}")
        elif "match" in opt:
            check.add(opt, f"{label} option {option_id}: only matching items have 'match'")
        tag = opt.get("misconception")
        if tag is not None and (not isinstance(tag, str) or (tags is not None and tag not in tags)):
            check.add(opt, f"{label} option {option_id}: unknown misconception tag {tag!r}")
        if text and explanation:
            options.append(Option(option_id, text, explanation, tag, match))
    if kind == QuestionKind.TRUE_FALSE and seen != set(TRUE_FALSE_IDS):
        check.add(data, f"{label}: a true_false item has exactly the options 'true' and 'false'")
    elif kind is not None and not MIN_OPTIONS <= len(raw_options) <= MAX_OPTIONS:
        check.add(data, f"{label}: needs {MIN_OPTIONS} to {MAX_OPTIONS} options")
    return options


def _parse_paired_key(
    data: _LineDict, kind: QuestionKind, options: list[Option] | None, label: str,
    check: _Collector,
) -> tuple[str, ...]:
    """Keys stored as "option=value" pairs: matching (each option with its own match),
    ordering (each option with its place) and judgement (each option with its rating)."""
    ids = [o.id for o in options or ()]
    raw = data.get("key")
    if kind == QuestionKind.MATCHING:
        if raw is not None:
            check.add(data, f"{label}: a matching item has no 'key': each option pairs with "
                            "its own 'match'")
        return tuple(f"{i}={i}" for i in ids)
    if kind == QuestionKind.ORDERING:
        if not isinstance(raw, list) or sorted(map(str, raw)) != sorted(ids):
            check.add(data, f"{label}: 'key' of an ordering item lists every option id once, "
                            "in the right order")
            return ()
        return tuple(f"{option}={place}" for place, option in enumerate(raw, start=1))
    scale = ", ".join(map(str, JUDGEMENT_SCALE))
    if not isinstance(raw, _LineDict) or sorted(map(str, raw)) != sorted(ids) or any(
            isinstance(v, bool) or v not in JUDGEMENT_SCALE for v in raw.values()):
        check.add(data, f"{label}: 'key' of a judgement item rates every option ({scale})")
        return ()
    return tuple(f"{option}={raw[option]}" for option in ids)


def _parse_key(
    data: _LineDict, kind: QuestionKind | None, options: list[Option] | None, label: str,
    check: _Collector,
) -> tuple[str, ...]:
    if kind in PAIRED_KINDS:
        return _parse_paired_key(data, kind, options, label, check)
    raw = data.get("key")
    if isinstance(raw, bool) and kind == QuestionKind.TRUE_FALSE:
        raw = "true" if raw else "false"  # YAML reads a bare true/false as a boolean
    if kind == QuestionKind.MULTIPLE:
        if not isinstance(raw, list) or not raw or not all(isinstance(k, str) for k in raw):
            check.add(data, f"{label}: 'key' of a multiple item is a list of option ids")
            return ()
        key = tuple(raw)
    else:
        if not isinstance(raw, str):
            check.add(data, f"{label}: 'key' must be one option id")
            return ()
        key = (raw,)
    if len(set(key)) != len(key):
        check.add(data, f"{label}: 'key' repeats an option")
    if options is not None:
        ids = {o.id for o in options}
        missing = [k for k in key if k not in ids]
        if missing:
            check.add(data, f"{label}: 'key' names unknown option(s) {', '.join(missing)}")
        for option in options:
            if option.id in key and option.misconception:
                check.add(data, f"{label}: key option {option.id} cannot carry a misconception")
        if kind == QuestionKind.MULTIPLE and len(key) == len(options):
            check.add(data, f"{label}: a multiple item needs at least one wrong option")
    return key


def _parse_locator(data: _LineDict, label: str, check: _Collector) -> Locator | None:
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
    root, check = _open_file(text, filename)
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
        check.unknown_keys(quiz, ("id", "title", "description", "draw"), label)
        if not isinstance(quiz_id, str) or not QUIZ_ID_RE.match(quiz_id):
            check.add(quiz, f"{label}: 'id' must be lower-case letters, digits and dashes")
        elif quiz_id in seen:
            check.add(quiz, f"{label}: id is repeated")
        seen.add(quiz_id)
        title = check.text(quiz, "title", label)
        description = check.text(quiz, "description", label, required=False) or Text("", "")
        rules = _parse_draw(quiz, label, check)
        if len(check.errors) == before and title:
            quizzes.append(QuizSpec(quiz_id, title, description, tuple(rules), position))
    return quizzes, check.errors


def _parse_draw(quiz: _LineDict, label: str, check: _Collector) -> list[DrawRule]:
    raw_rules = quiz.get("draw")
    if not isinstance(raw_rules, list) or not raw_rules:
        check.add(quiz, f"{label}: 'draw' must list at least one {{code, count}}")
        return []
    rules: list[DrawRule] = []
    for raw in raw_rules:
        rule = check.mapping(raw, quiz, f"{label}: draw rule")
        if rule is None:
            continue
        check.unknown_keys(rule, ("code", "count"), f"{label} draw rule")
        code, count = rule.get("code"), rule.get("count")
        if code not in ALL_CODES:
            check.add(rule, f"{label}: draw code {code!r} is not one of {', '.join(ALL_CODES)}")
        elif isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 100:
            check.add(rule, f"{label}: draw count must be a whole number from 1 to 100")
        else:
            rules.append(DrawRule(code, count))
    return rules


# ---------------------------------------------------------------- study notes

STUDY_FIELDS = ("code", "title", "summary", "key_ideas", "example", "mistakes", "read_further")


def _text_list(data: _LineDict, key: str, label: str, check: _Collector,
               least: int, most: int) -> list[Text]:
    raw = data.get(key)
    if not isinstance(raw, list) or not least <= len(raw) <= most:
        check.add(data, f"{label}: '{key}' must list {least} to {most} {{zh, en}} texts")
        return []
    texts = []
    for entry in raw:
        holder = _LineDict({"text": entry})
        holder.line = entry.line if isinstance(entry, _LineDict) else data.line
        text = check.text(holder, "text", f"{label} {key}")
        if text:
            texts.append(text)
    return texts


def _locator_from(raw: Any, parent: _LineDict, label: str, check: _Collector) -> Locator | None:
    holder = _LineDict({"locator": raw})
    holder.line = raw.line if isinstance(raw, _LineDict) else parent.line
    return _parse_locator(holder, label, check)


def parse_study_note(text: str, filename: str) -> tuple[StudyNote | None, list[BankError]]:
    """Parse one study note: key ideas, a worked example, common mistakes, where to read."""
    root, check = _open_file(text, filename)
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
    root, check = _open_file(text, filename)
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


# ---------------------------------------------------------------- locators


def normalise_space(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class SourceRef:
    """Something in the bank that points into a document and has text of its own."""

    file: str
    line: int
    label: str
    locators: tuple[Locator, ...]
    texts: tuple[str, ...]


def source_refs(bank: Bank) -> list[SourceRef]:
    """Items, study notes and self-assessment statements, with their locators and texts."""
    refs = [SourceRef(i.file, i.line, f"item {i.id}", (i.locator,), tuple(item_texts(i)))
            for i in bank.items]
    refs += [SourceRef(n.file, n.line, f"study note {n.code}", n.read_further, tuple(n.texts()))
             for n in bank.study_notes]
    for sa in bank.self_assessments:
        for st in sa.statements:
            refs.append(SourceRef(sa.file, sa.line, f"self-assessment {sa.id} statement "
                                  f"{st.number}", (st.locator,), (st.text.zh, st.text.en)))
    return refs


def check_locators(refs: Iterable[SourceRef], documents: Mapping[str, str]) -> list[BankError]:
    """Every anchor must occur verbatim (up to white space) in the document it names."""
    flattened = {name: normalise_space(body) for name, body in documents.items()}
    errors = []
    for ref in refs:
        for locator in ref.locators:
            body = flattened.get(locator.doc)
            if body is None:
                errors.append(BankError(ref.file, ref.line,
                                        f"{ref.label}: document {locator.doc} not found"))
            elif normalise_space(locator.anchor) not in body:
                errors.append(BankError(
                    ref.file, ref.line,
                    f"{ref.label}: anchor {locator.anchor!r} not found in {locator.doc}",
                ))
    return errors


# ---------------------------------------------------------------- own words

CJK_RE = re.compile(r"[\u4e00-\u9fff]")
WORD_RE = re.compile(r"[a-z0-9']+")
COPIED_CJK_RUN = 12
COPIED_WORD_RUN = 8


def _cjk_windows(text: str, size: int) -> list[str]:
    chars = "".join(CJK_RE.findall(text))
    return [chars[i:i + size] for i in range(len(chars) - size + 1)]


def _word_windows(text: str, size: int) -> list[tuple[str, ...]]:
    words = WORD_RE.findall(text.lower())
    return [tuple(words[i:i + size]) for i in range(len(words) - size + 1)]


@dataclass(frozen=True)
class SourceFingerprint:
    """Every run of 12 Chinese characters and of 8 English words in the source documents."""

    cjk_runs: frozenset[str]
    word_runs: frozenset[tuple[str, ...]]

    @classmethod
    def of(cls, documents: Mapping[str, str]) -> SourceFingerprint:
        cjk: set[str] = set()
        words: set[tuple[str, ...]] = set()
        for body in documents.values():
            cjk.update(_cjk_windows(body, COPIED_CJK_RUN))
            words.update(_word_windows(body, COPIED_WORD_RUN))
        return cls(frozenset(cjk), frozenset(words))

    def copied_phrase(self, text: str) -> str | None:
        """The first run of the text that also stands in a document (punctuation ignored)."""
        for run in _cjk_windows(text, COPIED_CJK_RUN):
            if run in self.cjk_runs:
                return run
        for run in _word_windows(text, COPIED_WORD_RUN):
            if run in self.word_runs:
                return " ".join(run)
        return None


def item_texts(item: Item) -> list[str]:
    """Everything a cadre reads in an item except the anchor, which is verbatim on purpose."""
    texts = [item.stem.zh, item.stem.en, item.locator.note or ""]
    for option in item.options:
        texts += [option.text.zh, option.text.en, option.explanation.zh, option.explanation.en]
        if option.match:
            texts += [option.match.zh, option.match.en]
    return texts


def check_own_words(refs: Iterable[SourceRef], documents: Mapping[str, str]) -> list[BankError]:
    """No text may copy 12 Chinese characters or 8 English words in a row from a document."""
    fingerprint = SourceFingerprint.of(documents)
    errors = []
    for ref in refs:
        for text in ref.texts:
            phrase = fingerprint.copied_phrase(text)
            if phrase:
                errors.append(BankError(ref.file, ref.line,
                                        f"{ref.label}: copied from a document: {phrase!r}"))
                break
    return errors


# ---------------------------------------------------------------- source titles


def parse_sources(text: str, filename: str) -> tuple[dict[str, Text], list[BankError]]:
    """Parse `sources.yaml`: the title (zh/en) of every document a locator may name."""
    root, check = _open_file(text, filename)
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


def _titled(locator: Locator, titles: Mapping[str, Text]) -> Locator:
    return replace(locator, title=titles.get(locator.doc))


def _with_titles(items: list[Item], notes: dict[str, StudyNote], titles: Mapping[str, Text],
                 errors: list[BankError]) -> tuple[list[Item], dict[str, StudyNote]]:
    """Give every locator its document's title; a document without one is an error."""
    for owner in [*items, *notes.values()]:
        docs = [owner.locator.doc] if isinstance(owner, Item) else [
            loc.doc for loc in owner.read_further]
        for doc in docs:
            if doc not in titles:
                errors.append(BankError(owner.file, owner.line,
                                        f"{doc} has no title in {SOURCES_FILE}"))
    items = [replace(i, locator=_titled(i.locator, titles)) for i in items]
    notes = {code: replace(n, read_further=tuple(_titled(loc, titles) for loc in n.read_further))
             for code, n in notes.items()}
    return items, notes


# ---------------------------------------------------------------- whole bank

MISCONCEPTIONS_FILE = "misconceptions.yaml"
QUIZZES_FILE = "quizzes.yaml"
SOURCES_FILE = "sources.yaml"
ITEMS_DIR = "items"
STUDY_DIR = "study"
SELF_ASSESSMENT_DIR = "self_assessment"


def parse_bank(files: Mapping[str, str]) -> LoadResult:
    """Validate a whole bank given as {relative path: text}; all errors are reported at once."""
    errors: list[BankError] = []
    misconceptions: dict[str, Text] = {}
    if MISCONCEPTIONS_FILE in files:
        misconceptions, errs = parse_misconceptions(files[MISCONCEPTIONS_FILE],
                                                    MISCONCEPTIONS_FILE)
        errors += errs
    else:
        errors.append(BankError(MISCONCEPTIONS_FILE, 1, "file is missing"))

    items: list[Item] = []
    first_seen: dict[str, Item] = {}
    for path in _files_under(files, ITEMS_DIR):
        parsed, errs = parse_items(files[path], path, misconceptions)
        errors += errs
        for item in parsed:
            if item.id in first_seen:
                other = first_seen[item.id]
                errors.append(BankError(path, item.line, f"item {item.id} is already defined at "
                                                         f"{other.file}:{other.line}"))
                continue
            first_seen[item.id] = item
            items.append(item)

    quizzes: list[QuizSpec] = []
    if QUIZZES_FILE in files:
        quizzes, errs = parse_quizzes(files[QUIZZES_FILE], QUIZZES_FILE)
        errors += errs

    notes: dict[str, StudyNote] = {}
    for path in _files_under(files, STUDY_DIR):
        note, errs = parse_study_note(files[path], path)
        errors += errs
        if note is not None and note.code in notes:
            errors.append(BankError(path, note.line, f"a study note for {note.code} is already "
                                                     f"defined in {notes[note.code].file}"))
        elif note is not None:
            notes[note.code] = note

    questionnaires: dict[str, SelfAssessment] = {}
    quiz_ids = {quiz.id for quiz in quizzes}
    for path in _files_under(files, SELF_ASSESSMENT_DIR):
        sa, errs = parse_self_assessment(files[path], path)
        errors += errs
        if sa is not None and (sa.id in questionnaires or sa.id in quiz_ids):
            errors.append(BankError(path, sa.line, f"id {sa.id} is already used"))
        elif sa is not None:
            questionnaires[sa.id] = sa

    if SOURCES_FILE in files:  # optional, so that a small test bank needs no titles
        titles, errs = parse_sources(files[SOURCES_FILE], SOURCES_FILE)
        errors += errs
        items, notes = _with_titles(items, notes, titles, errors)

    bank = Bank(tuple(items), tuple(quizzes), misconceptions,
                tuple(notes[code] for code in ALL_CODES if code in notes),
                tuple(questionnaires.values()))
    return LoadResult(bank, tuple(errors))


def _files_under(files: Mapping[str, str], folder: str) -> list[str]:
    return sorted(p for p in files if p.startswith(f"{folder}/") and p.endswith(".yaml"))


def read_bank_files(root: Path) -> dict[str, str]:
    """Read every YAML file of a bank directory, keyed by its path relative to the root."""
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*.yaml"))
    }


def read_documents(seeds_dir: Path) -> dict[str, str]:
    """Read the source documents that locators point into."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))}


def load_bank(root: Path, seeds_dir: Path | None = None) -> LoadResult:
    """Read and validate the bank at `root`; check locators too when the seeds are available."""
    result = parse_bank(read_bank_files(root))
    if seeds_dir is None or not seeds_dir.is_dir():
        return result
    documents = read_documents(seeds_dir)
    refs = source_refs(result.bank)
    source_errors = check_locators(refs, documents) + check_own_words(refs, documents)
    return LoadResult(result.bank, result.errors + tuple(source_errors))


if __name__ == "__main__":  # a quick check for authors: python -m quizapp.bank.loader DIR SEEDS
    import sys

    bank_root = Path(sys.argv[1] if len(sys.argv) > 1 else "question_bank")
    seeds = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("../shared/seeds")
    outcome = load_bank(bank_root, seeds)
    for error in outcome.errors:
        print(error)
    print(f"{len(outcome.bank.items)} items, {len(outcome.errors)} errors")
    sys.exit(1 if outcome.errors else 0)
