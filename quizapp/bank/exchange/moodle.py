"""What GIFT and Moodle XML share (pure): a question as Moodle sees it, both languages in
Moodle's multilang spans, and the bank's own record of what Moodle has no field for.

A question travels as Moodle's own question type, so Moodle shows and scores it; the bank's
fields that Moodle lacks (code, difficulty, scenario, source locator, misconception tags, a
matching item's explanations, a rubric) ride along in one JSON record (`quizapp`) that Moodle
ignores: a comment line in GIFT, an element of its own in XML.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from ..schema import Text
from ..yaml_source import LineDict
from .entries import Form, text_part

ZH_LANG = "zh_cn"  # Moodle's language pack for simplified Chinese


@dataclass
class Answer:
    text: str  # HTML (an accepted wording is plain text)
    fraction: float = 0.0  # Moodle's grade of the answer, 0–1 (negative: a penalty)
    feedback: str = ""  # HTML


@dataclass
class MoodleQuestion:
    """One question in Moodle's terms, whichever file it came from or goes to."""

    qtype: str  # multichoice, truefalse, matching, shortanswer, …
    line: int = 0
    name: str = ""
    idnumber: str = ""
    text: str = ""  # the question text (HTML)
    general_feedback: str = ""
    single: bool = True  # multichoice: one answer only
    answers: list[Answer] = field(default_factory=list)
    subquestions: list[tuple[str, str]] = field(default_factory=list)  # matching: left, right
    grader_info: str = ""  # essay: what the grader sees
    meta: dict[str, Any] | None = None
    category: str = ""

    @property
    def form(self) -> Form | None:
        if self.qtype == "multichoice":
            return Form.CHOICE if self.single else Form.CHOICES
        return QTYPE_FORMS.get(self.qtype)


QTYPE_FORMS = {
    "truefalse": Form.TRUTH,
    "matching": Form.MATCHES,
    "shortanswer": Form.BLANKS,
    "ordering": Form.ORDER,
    "essay": Form.RUBRIC,
}
FORM_QTYPES = {
    Form.CHOICE: "multichoice",
    Form.CHOICES: "multichoice",
    **{form: qtype for qtype, form in QTYPE_FORMS.items()},
}


# ---------------------------------------------------------------- both languages


def html_text(value: str) -> str:
    """Plain text as HTML (a line break as <br>)."""
    return html.escape(value, quote=False).replace("\n", "<br>")


def multilang(text: Text | dict[str, str]) -> str:
    """Both languages as Moodle's multi-language content filter reads them."""
    zh, en = (text.zh, text.en) if isinstance(text, Text) else (text["zh"], text["en"])
    return (
        f'<span lang="{ZH_LANG}" class="multilang">{html_text(zh)}</span>'
        f'<span lang="en" class="multilang">{html_text(en)}</span>'
    )


class _SpanReader(HTMLParser):
    """Collects the text of each multilang span by language (tags inside are dropped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, list[str]] = {}
        self.outside: list[str] = []
        self.lang: str | None = None
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self.lang is not None:
            self.depth += tag == "span"
            if tag == "br":
                self.texts[self.lang].append("\n")
        elif tag == "span" and "multilang" in (values.get("class") or "").split():
            lang = (values.get("lang") or "").lower().replace("-", "_")
            self.lang = (
                "zh"
                if lang.startswith("zh")
                else "en"
                if lang.startswith("en")
                else f"other:{lang}"
            )
            self.texts.setdefault(self.lang, [])

    def handle_endtag(self, tag: str) -> None:
        if self.lang is not None and tag == "span":
            if self.depth:
                self.depth -= 1
            else:
                self.lang = None

    def handle_data(self, data: str) -> None:
        (self.texts[self.lang] if self.lang is not None else self.outside).append(data)


def languages(markup: str) -> dict[str, str]:
    """The Chinese and English of a multilang text (only those present, stripped)."""
    reader = _SpanReader()
    reader.feed(markup)
    reader.close()
    return {
        lang: text for lang in ("zh", "en") if (text := "".join(reader.texts.get(lang, ())).strip())
    }


def has_spans(markup: str) -> bool:
    return bool(languages(markup))


def text_of(markup: str, line: int) -> LineDict | None:
    found = languages(markup)
    return text_part(found.get("zh"), found.get("en"), line)


# ---------------------------------------------------------------- the bank's record


def record_json(meta: dict[str, Any]) -> str:
    return json.dumps(meta, ensure_ascii=False, separators=(",", ":"))


def read_record(raw: str) -> tuple[dict[str, Any] | None, str | None]:
    try:
        meta = json.loads(raw)
    except ValueError as exc:
        return None, f"the quizapp record is not JSON: {exc}"
    if not isinstance(meta, dict):
        return None, "the quizapp record must be a JSON object"
    return meta, None
