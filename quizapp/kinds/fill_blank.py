"""填空题 Fill in the blank: one to three blanks, each with the wordings it accepts in Chinese
and English; scored per blank. A blank asks for a concept the sources teach (a method, a body,
a consequence), never for a slogan's word order."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from ..bank.schema import Item, Text
from ..bank.yaml_source import Collector, LineDict
from .base import (
    Body,
    EditorField,
    EditorSpec,
    FieldType,
    ItemScore,
    KeyMark,
    ScoringInput,
    Shown,
    localized,
)
from .texts import BLANK_RE, TypedKind, normalise

MAX_BLANKS = 3
# Shown beside the editor's field: one entry per blank {1}, {2} … of the stem.
BLANKS_EXAMPLE = """\
- accept:
    zh: [人民调解委员会, 调解委员会, 调委会]
    en: [people's mediation committee, mediation committee]
"""
LANGS = ("zh", "en")


def blank_label(number: int, lang: str) -> str:
    """How a blank is numbered in the stem and beside its field: （1） in Chinese, (1) else."""
    return f"（{number}）" if lang == "zh" else f"({number}) "


class FillBlank(TypedKind):
    name = "fill_blank"
    title = Text("填空题", "Fill in the blank")
    fields = ("blanks", "explanation")
    max_length = 60
    editor = EditorSpec(has_options=False, key_mark=KeyMark.NONE, fields=(
        EditorField("blanks", FieldType.YAML, BLANKS_EXAMPLE),
        EditorField("explanation", FieldType.TEXT),
    ))

    def parse(self, data: LineDict, label: str, check: Collector,
              tags: set[str] | None) -> Body | None:
        raw = data.get("blanks")
        if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_BLANKS:
            check.add(data, f"{label}: 'blanks' must list 1 to {MAX_BLANKS} blanks")
            return None
        blanks = []
        for number, entry in enumerate(raw, start=1):
            blank = check.mapping(entry, data, f"{label} blank {number}")
            if blank is None:
                return None
            check.unknown_keys(blank, ("accept",), f"{label} blank {number}")
            accept = check.mapping(blank.get("accept"), blank, f"{label} blank {number} accept")
            if accept is None:
                return None
            check.unknown_keys(accept, LANGS, f"{label} blank {number} accept")
            lists = {}
            for lang in LANGS:
                words = accept.get(lang)
                if not isinstance(words, list) or not words or not all(
                        isinstance(w, str) and normalise(w) for w in words):
                    check.add(accept, f"{label} blank {number}: 'accept.{lang}' must list the "
                                      "accepted answers as text")
                    return None
                lists[lang] = [w.strip() for w in words]
            blanks.append({"accept": lists})
        stem = data.get("stem")
        for lang in LANGS:
            text = stem.get(lang) if isinstance(stem, LineDict) else None
            if isinstance(text, str):
                found = sorted(int(n) for n in BLANK_RE.findall(text))
                if found != list(range(1, len(blanks) + 1)):
                    check.add(data, f"{label}: stem.{lang} must mark each blank once as {{1}}, "
                                    "{2} … in order")
        explanation = check.text(data, "explanation", label)
        if explanation is None:
            return None
        return Body((), tuple(str(n) for n in range(1, len(blanks) + 1)),
                    {"blanks": blanks, "explanation": explanation.to_dict()})

    def texts(self, item: Item) -> list[str]:
        explanation = Text(**item.extra["explanation"])
        return [explanation.zh, explanation.en]

    def parts(self, shown: Shown) -> int:
        return len(shown.content["blanks"])

    def steps(self, content: Mapping[str, Any]) -> int:
        return max(1, len(content.get("blanks", ())))

    def score(self, item: ScoringInput) -> ItemScore:
        """The share of blanks filled with an accepted wording (either language)."""
        blanks = item.content.get("blanks", ())
        if not blanks:
            return ItemScore(0.0, item.weight)
        given = self.answers(item.response)
        right = 0
        for number, blank in enumerate(blanks, start=1):
            accepted = {normalise(w) for lang in LANGS for w in blank["accept"][lang]}
            right += normalise(given.get(number, "")) in accepted
        return ItemScore(round(item.weight * right / len(blanks), 6), item.weight)

    def display_stem(self, stem: str, lang: str) -> str:
        return BLANK_RE.sub(lambda m: f"{blank_label(int(m.group(1)), lang)}______", stem)

    def view(self, shown: Shown, response: Sequence[str] | None, lang: str,
             show_key: bool, show_explanation: bool) -> dict[str, Any]:
        """What was typed in each blank and, when allowed, what each accepts and why."""
        numbers = range(1, self.parts(shown) + 1)
        return {
            "blanks": list(numbers),
            "labels": {n: blank_label(n, lang) for n in numbers},
            "given": self.answers(response),
            "accepted": {n: b["accept"].get(lang) or b["accept"]["zh"]
                         for n, b in enumerate(shown.content["blanks"], start=1)}
            if show_key else {},
            "explanation": localized(shown.content["explanation"], lang)
            if show_explanation else "",
            "limit": self.part_limit(shown),
        }

    def chance(self, item: Item) -> float | None:
        return 0.0

    def simulate(self, item: ScoringInput, knows: bool, rng: random.Random) -> tuple[str, ...]:
        blanks = item.content.get("blanks", ())
        return tuple(f"{n}={b['accept']['zh'][0] if knows else '不清楚'}"
                     for n, b in enumerate(blanks, start=1))


KIND = FillBlank()
