"""Parse and validate the question bank (YAML) into plain dataclasses.

Pure: text in, validated objects or a list of errors naming file and line out. Nothing here
touches Flask or the database; `importer.py` writes what this module returns.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .kinds import ALL_CODES, LANGUAGES, QuestionKind

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


@dataclass(frozen=True)
class Locator:
    doc: str
    anchor: str
    note: str | None = None


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
                }
                for o in self.options
            ],
            "key": list(self.key),
            "locator": {"doc": self.locator.doc, "anchor": self.locator.anchor,
                        "note": self.locator.note},
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
class Bank:
    items: tuple[Item, ...] = ()
    quizzes: tuple[QuizSpec, ...] = ()
    misconceptions: Mapping[str, Text] = field(default_factory=dict)


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
        return yaml.load(text, Loader=_LineLoader), []  # noqa: S506 - a SafeLoader subclass
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


# ---------------------------------------------------------------- misconceptions


def parse_misconceptions(text: str, filename: str) -> tuple[dict[str, Text], list[BankError]]:
    """Parse the controlled list of misconception tags: `misconceptions: {tag: {zh, en}}`."""
    data, errors = _parse_yaml(text, filename)
    if errors:
        return {}, errors
    check = _Collector(filename)
    root = check.mapping(data, 1, "file")
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
OPTION_FIELDS = ("id", "text", "explanation", "misconception")


def parse_items(
    text: str, filename: str, misconception_tags: Iterable[str] | None = None
) -> tuple[list[Item], list[BankError]]:
    """Parse one items file (`items: [...]`); return the valid items and every error found."""
    data, errors = _parse_yaml(text, filename)
    if errors:
        return [], errors
    check = _Collector(filename)
    root = check.mapping(data, 1, "file")
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
    except ValueError:
        kinds = ", ".join(k.value for k in QuestionKind)
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
        tag = opt.get("misconception")
        if tag is not None and (not isinstance(tag, str) or (tags is not None and tag not in tags)):
            check.add(opt, f"{label} option {option_id}: unknown misconception tag {tag!r}")
        if text and explanation:
            options.append(Option(option_id, text, explanation, tag))
    if kind == QuestionKind.TRUE_FALSE and seen != set(TRUE_FALSE_IDS):
        check.add(data, f"{label}: a true_false item has exactly the options 'true' and 'false'")
    elif kind is not None and not MIN_OPTIONS <= len(raw_options) <= MAX_OPTIONS:
        check.add(data, f"{label}: needs {MIN_OPTIONS} to {MAX_OPTIONS} options")
    return options


def _parse_key(
    data: _LineDict, kind: QuestionKind | None, options: list[Option] | None, label: str,
    check: _Collector,
) -> tuple[str, ...]:
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
    data, errors = _parse_yaml(text, filename)
    if errors:
        return [], errors
    check = _Collector(filename)
    root = check.mapping(data, 1, "file")
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


# ---------------------------------------------------------------- locators


def normalise_space(text: str) -> str:
    return " ".join(text.split())


def check_locators(items: Iterable[Item], documents: Mapping[str, str]) -> list[BankError]:
    """Every anchor must occur verbatim (up to white space) in the document it names."""
    flattened = {name: normalise_space(body) for name, body in documents.items()}
    errors = []
    for item in items:
        body = flattened.get(item.locator.doc)
        if body is None:
            errors.append(BankError(item.file, item.line,
                                    f"item {item.id}: document {item.locator.doc} not found"))
        elif normalise_space(item.locator.anchor) not in body:
            errors.append(BankError(
                item.file, item.line,
                f"item {item.id}: anchor {item.locator.anchor!r} not found in {item.locator.doc}",
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
    return texts


def check_own_words(items: Iterable[Item], documents: Mapping[str, str]) -> list[BankError]:
    """No item may copy 12 Chinese characters or 8 English words in a row from a document."""
    fingerprint = SourceFingerprint.of(documents)
    errors = []
    for item in items:
        for text in item_texts(item):
            phrase = fingerprint.copied_phrase(text)
            if phrase:
                errors.append(BankError(item.file, item.line,
                                        f"item {item.id}: copied from a document: {phrase!r}"))
                break
    return errors


# ---------------------------------------------------------------- whole bank

MISCONCEPTIONS_FILE = "misconceptions.yaml"
QUIZZES_FILE = "quizzes.yaml"
ITEMS_DIR = "items"


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
    item_files = sorted(p for p in files if p.startswith(f"{ITEMS_DIR}/") and p.endswith(".yaml"))
    for path in item_files:
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
    bank = Bank(tuple(items), tuple(quizzes), misconceptions)
    return LoadResult(bank, tuple(errors))


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
    source_errors = check_locators(result.bank.items, documents)
    source_errors += check_own_words(result.bank.items, documents)
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
