"""The bank's plain values: what the parser returns and the importer writes. Pure."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


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
    kind: str
    difficulty: int
    scenario: bool
    stem: Text
    options: tuple[Option, ...]
    key: tuple[str, ...]
    locator: Locator
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)
    # What a kind keeps beside options and key (accepted answers, a rubric), as plain JSON.
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

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
            **self.extra,
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
    # Only items of this kind; without it, a rule draws every kind a program scores (a
    # person-graded kind such as case analysis is drawn only where a quiz asks for it).
    kind: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "count": self.count, **({"kind": self.kind} if self.kind
                                                         else {})}


@dataclass(frozen=True)
class QuizSpec:
    id: str
    title: Text
    description: Text
    draw: tuple[DrawRule, ...]
    position: int = 0
    adaptive: str | None = None  # "quick" or "long": an adaptive diagnostic over the codes


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


def strings_in(value: Any) -> Iterator[str]:
    """Every string in nested mappings, lists and tuples (an item's content, a rubric)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for inner in value.values():
            yield from strings_in(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from strings_in(inner)


def search_text(content: Any) -> str:
    """Every text of an item version's content, lower-cased, for searching."""
    return " ".join(strings_in(content)).lower()
