"""The interface every question kind implements, and the plain values it works on.

Pure: no Flask, no database. A kind reads its part of an item from the bank file (with errors
by file and line), cleans and scores an answer, and tells the pages what to show through a
template partial of its own (`templates/kinds/<name>/take.html` and `review.html`).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from ..bank.schema import Item, Option, Text
from ..bank.yaml_source import Collector, LineDict
from ..measure.model import category_from_share

OPTION_FIELDS = ("id", "text", "explanation", "misconception", "match")
# The most steps of partial credit an item is measured in: finer steps would rest on noise.
MAX_STEPS = 4


class InvalidGrade(ValueError):
    """A person's grade that the item's rubric does not offer."""


class InvalidAnswer(Exception):
    """An answer that the item cannot take (an option it does not have, a value off its scale)."""


class AnswerShape(StrEnum):
    """How the page collects an answer; `quiz.js` and the form read it from `data-answer`."""

    ONE = "one"      # one checked input (radio)
    MANY = "many"    # any checked inputs (checkboxes)
    PAIRS = "pairs"  # one <select> per option, each value "option=value"
    TEXTS = "texts"  # typed parts in page order, each sent as "n=text" (n from 1)


class KeyMark(StrEnum):
    """How the question editor marks each option's part of the key."""

    NONE = "none"      # nothing to mark: each option pairs with its own match
    ONE = "one"        # exactly one option is the key (a radio button)
    MANY = "many"      # any number of options are keys (checkboxes)
    PLACE = "place"    # each option's place in the order, 1 … n
    RATING = "rating"  # each option's rating on the kind's scale


class FieldType(StrEnum):
    """How the question editor takes a field of an entry beyond stem, options and key."""

    TEXT = "text"        # a {zh, en} text: two text areas
    INTEGER = "integer"  # a whole number
    YAML = "yaml"        # a list or mapping, typed as YAML exactly as in the bank's files


@dataclass(frozen=True)
class EditorField:
    name: str
    type: FieldType
    example: str = ""            # a YAML example shown beside a YAML field
    default: int | None = None   # an integer field's value on a new item


@dataclass(frozen=True)
class EditorSpec:
    """What the question editor shows for a kind: its form is generated from this."""

    has_options: bool = True
    fixed_options: tuple[str, ...] = ()  # option ids that are always there (true/false)
    has_match: bool = False              # each option has a `match` text
    key_mark: KeyMark = KeyMark.ONE
    marks: tuple[str, ...] = ()          # the values a RATING offers
    fields: tuple[EditorField, ...] = ()


@dataclass(frozen=True)
class ItemScore:
    score: float
    max_score: float

    @property
    def is_correct(self) -> bool:
        return self.max_score > 0 and abs(self.score - self.max_score) < 1e-9


@dataclass(frozen=True)
class ScoringInput:
    """One shown item as plain values: what a scorer needs and nothing else."""

    code: str
    kind: str
    key: tuple[str, ...]
    option_ids: tuple[str, ...]
    response: tuple[str, ...] | None
    weight: float = 1.0
    # The version's content, for kinds whose key is more than option ids (accepted answers).
    content: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Body:
    """What a kind reads from an item's entry: its options, key and anything of its own."""

    options: tuple[Option, ...] = ()
    key: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Shown:
    """One item as an attempt shows it: its content, the option order and the attempt's seed."""

    content: Mapping[str, Any]
    option_order: tuple[str, ...]
    seed: int = 0
    position: int = 0
    grade: Mapping[str, Any] | None = None  # a person's released grade (points, comment)


@dataclass(frozen=True)
class ShownOption:
    """One option as a page shows it to a kind's partials: the quiz page, the review, the
    editor's preview; while kind_parts renders a skeleton, `is_chosen` is a slot."""

    id: str
    label: str  # A, B, C … in the order shown
    text: str
    explanation: str
    is_key: bool
    is_chosen: bool
    misconception: str | None


# The keys of a kind's `view` that carry the cadre's answer. Everything else in a view depends
# only on the item as shown (version, option order, seed), the language and the permissions,
# which lets a page render a partial once per shown form and fill the answer in (kind_parts).
ANSWER_VIEW_KEYS = frozenset({"given", "answer"})


def localized(text: Mapping[str, str], lang: str) -> str:
    """A {zh, en} text in the reader's language (Chinese when the other is missing)."""
    return text.get(lang) or text.get("zh") or ""


def pairs_of(entries: Iterable[str] | None) -> dict[str, str]:
    """Read "left=right" answers; malformed entries and repeats of a left side are ignored."""
    pairs: dict[str, str] = {}
    for entry in entries or ():
        left, sep, right = str(entry).partition("=")
        if sep and left and right and left not in pairs:
            pairs[left] = right
    return pairs


class Kind:
    """A question kind. Subclasses set the class attributes and override what differs."""

    name: ClassVar[str]
    title: ClassVar[Text] = Text("", "")  # what pages call the kind (单选题, Single choice)
    shape: ClassVar[AnswerShape] = AnswerShape.ONE
    is_scored: ClassVar[bool] = True        # False for a self-rating
    needs_grader: ClassVar[bool] = False    # True when a person scores the answer
    keeps_order: ClassVar[bool] = False     # options shown in the file's order
    in_item_files: ClassVar[bool] = True    # may appear in question_bank/items/
    fields: ClassVar[tuple[str, ...]] = ("options", "key")  # the entry's kind-specific fields
    min_options: ClassVar[int] = 2
    max_options: ClassVar[int] = 8
    # The question editor's form for the kind (quizapp.bank.editor builds it from this).
    editor: ClassVar[EditorSpec] = EditorSpec()

    # ---- the bank file

    def parse(self, data: LineDict, label: str, check: Collector,
              tags: set[str] | None) -> Body | None:
        """Read options and key; every problem goes to `check` with its line."""
        options = self.parse_options(data, label, check, tags)
        if options is None:
            return None
        return Body(tuple(options), self.parse_key(data, options, label, check))

    def option_id_ok(self, option_id: Any) -> bool:
        return isinstance(option_id, str) and len(option_id) == 1 and "a" <= option_id <= "h"

    option_id_rule: ClassVar[str] = "a letter a–h"

    def default_text(self, option_id: str) -> Text | None:
        return None

    def parse_options(self, data: LineDict, label: str, check: Collector,
                      tags: set[str] | None) -> list[Option] | None:
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
            if not self.option_id_ok(option_id):
                check.add(opt, f"{label}: option id {option_id!r} must be {self.option_id_rule}")
                continue
            if option_id in seen:
                check.add(opt, f"{label}: option id {option_id!r} is repeated")
                continue
            seen.add(option_id)
            where = f"{label} option {option_id}"
            default = self.default_text(option_id)
            text = default if default and "text" not in opt else check.text(opt, "text", where)
            explanation = check.text(opt, "explanation", where)
            match = self.parse_match(opt, where, check)
            tag = opt.get("misconception")
            if tag is not None and (not isinstance(tag, str) or (tags is not None
                                                                  and tag not in tags)):
                check.add(opt, f"{where}: unknown misconception tag {tag!r}")
            if text and explanation:
                options.append(Option(option_id, text, explanation, tag, match))
        self.check_option_count(data, raw_options, seen, label, check)
        return options

    def parse_match(self, opt: LineDict, where: str, check: Collector) -> Text | None:
        if "match" in opt:
            check.add(opt, f"{where}: only matching items have 'match'")
        return None

    def check_option_count(self, data: LineDict, raw_options: list, seen: set[str],
                           label: str, check: Collector) -> None:
        if not self.min_options <= len(raw_options) <= self.max_options:
            check.add(data, f"{label}: needs {self.min_options} to {self.max_options} options")

    def parse_key(self, data: LineDict, options: list[Option], label: str,
                  check: Collector) -> tuple[str, ...]:
        raw = data.get("key")
        if not isinstance(raw, str):
            check.add(data, f"{label}: 'key' must be one option id")
            return ()
        return self.checked_key((raw,), data, options, label, check)

    def checked_key(self, key: tuple[str, ...], data: LineDict, options: list[Option],
                    label: str, check: Collector) -> tuple[str, ...]:
        """Shared checks of a key made of option ids."""
        if len(set(key)) != len(key):
            check.add(data, f"{label}: 'key' repeats an option")
        ids = {o.id for o in options}
        missing = [k for k in key if k not in ids]
        if missing:
            check.add(data, f"{label}: 'key' names unknown option(s) {', '.join(missing)}")
        for option in options:
            if option.id in key and option.misconception:
                check.add(data, f"{label}: key option {option.id} cannot carry a misconception")
        return key

    def texts(self, item: Item) -> list[str]:
        """Everything a cadre reads in the item's own part (for the own-words check)."""
        texts: list[str] = []
        for option in item.options:
            texts += [option.text.zh, option.text.en, option.explanation.zh,
                      option.explanation.en]
            if option.match:
                texts += [option.match.zh, option.match.en]
        return texts

    # ---- an attempt

    def option_order(self, option_ids: Sequence[str], seed: int, position: int) -> list[str]:
        """The order in which options are shown (seeded, repeatable)."""
        order = list(option_ids)
        if not self.keeps_order:
            rng = random.Random(seed * 1009 + position)  # noqa: S311  # nosec B311
            rng.shuffle(order)
        return order

    def clean(self, shown: Shown, response: Sequence[str]) -> list[str] | None:
        """The answer as stored (sorted, validated); raises InvalidAnswer."""
        answer = sorted({str(choice) for choice in response})
        if not set(answer) <= set(shown.option_order):
            raise InvalidAnswer("unknown option")
        if len(answer) > 1 and self.shape != AnswerShape.MANY:
            raise InvalidAnswer("one option only")
        return answer or None

    def score(self, item: ScoringInput) -> ItemScore:
        raise NotImplementedError

    def option_label(self, index: int, option_id: str) -> str:
        """How the page names an option: A, B, C … in the order shown."""
        return chr(ord("A") + index)

    def display_stem(self, stem: str, lang: str) -> str:
        """The stem as the page prints it, in the reader's language."""
        return stem

    # ---- a person's grade (kinds with needs_grader)

    def read_grade(self, content: Mapping[str, Any], form: Mapping[str, str]
                   ) -> dict[str, int] | None:
        """The grade a grader's form gives (e.g. points per criterion), or None if incomplete."""
        raise NotImplementedError

    def score_grade(self, content: Mapping[str, Any], grade: Mapping[str, int],
                    weight: float = 1.0) -> ItemScore:
        """The item's score from a grade; raises InvalidGrade for one the item does not offer."""
        raise NotImplementedError

    # ---- measurement: an answer as a category of the partial credit model (quizapp.measure)

    def steps(self, content: Mapping[str, Any]) -> int:
        """How many steps of partial credit the item has (1: right or wrong)."""
        return 1

    def category(self, share: float, content: Mapping[str, Any]) -> int:
        """The category (0 … steps) of an answer that earned `share` of the item's points."""
        return category_from_share(share, self.steps(content))

    def chosen_options(self, response: Sequence[str] | None) -> list[str]:
        """The option ids an answer touches (for counting choices per option)."""
        return list(response or ())

    def view(self, shown: Shown, response: Sequence[str] | None, lang: str,
             show_key: bool, show_explanation: bool) -> dict[str, Any]:
        """Kind-specific values for the partials, in the reader's language (fixed wording such as
        instructions and scale labels is translated in the partial)."""
        return {}

    # ---- checking the bank and simulating people

    def guesses(self, item: Item) -> tuple[float, ...]:
        """What each mechanical guessing strategy scores on this item (none: no guesser). A
        strategy is applied to every item of the kind; the best one over the bank counts."""
        return ()

    def chance(self, item: Item) -> float | None:
        """The expected score of answering at random."""
        return None

    def baseline(self, item: Item) -> float | None:
        """The best score open to a reader who knows nothing (at least chance)."""
        return self.chance(item)

    def style(self, item: Item) -> list[str]:
        """House-style breaches a program can see in this kind's part (STYLE.md)."""
        return []

    def simulate(self, item: ScoringInput, knows: bool, rng: random.Random) -> tuple[str, ...]:
        """A plausible answer of someone who knows the point (the key) or does not."""
        if knows:
            return item.key
        wrong = [o for o in item.option_ids if o not in item.key]
        return (rng.choice(wrong),) if wrong else item.key
