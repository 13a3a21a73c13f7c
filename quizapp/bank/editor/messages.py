"""The bank checker's messages in the reader's language.

The checker (`flask bank check`) speaks English and names the field as the bank's files do
('stem.zh', 'key'). The editor shows its most frequent messages translated; any other is shown
as the checker gives it, which still names the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# The bank's field names as the editor's labels call them.
FIELD_LABELS = {
    "stem": _l("Stem"),
    "text": _l("Option"),
    "explanation": _l("Explanation"),
    "match": _l("Match"),
    "model_answer": _l("Model answer"),
    "criterion": _l("Criterion"),
    "blanks": _l("Blanks and the answers each accepts"),
    "rubric": _l("Rubric"),
    "max_length": _l("Longest answer (characters)"),
}


def field_label(name: str) -> str:
    """What the editor calls a field of the bank's entries."""
    return str(FIELD_LABELS.get(name, name))


def _language(code: str) -> str:
    return _("Chinese") if code == "zh" else _("English")


Translator = Callable[[re.Match[str]], str]

PATTERNS: list[tuple[re.Pattern[str], Translator]] = [
    (
        re.compile(r"'(?P<field>[a-z_]+)\.(?P<lang>zh|en)' is missing or empty"),
        lambda m: _(
            "%(field)s: the %(language)s text is missing.",
            field=field_label(m["field"]),
            language=_language(m["lang"]),
        ),
    ),
    (
        re.compile(r"missing '(?P<field>[a-z_]+)' \(needs zh and en\)"),
        lambda m: _(
            "%(field)s: write it in Chinese and in English.", field=field_label(m["field"])
        ),
    ),
    (re.compile(r"'key' must be one option id"), lambda m: _("Mark the option that is the key.")),
    (
        re.compile(r"'key' of a multiple item is a list"),
        lambda m: _("Mark every option that belongs to the key."),
    ),
    (
        re.compile(r"needs at least one wrong option"),
        lambda m: _("A multiple-choice item needs at least one wrong option."),
    ),
    (
        re.compile(r"needs (?P<least>\d+) to (?P<most>\d+) options"),
        lambda m: _("Write %(least)s to %(most)s options.", least=m["least"], most=m["most"]),
    ),
    (
        re.compile(r"'key' of an ordering item"),
        lambda m: _("Give every option its own place: 1, 2, 3 … each once."),
    ),
    (re.compile(r"'key' of a judgement item"), lambda m: _("Rate every option from 1 to 4.")),
    (
        re.compile(r"key option (?P<option>[a-h]) cannot carry a misconception"),
        lambda m: _("A key option cannot carry a common mistake."),
    ),
    (re.compile(r"'difficulty' must be"), lambda m: _("Choose a difficulty.")),
    (
        re.compile(r"locator 'doc' must be|is not one of the sources"),
        lambda m: _("Choose the source document."),
    ),
    (
        re.compile(r"locator 'anchor' must be"),
        lambda m: _("Give the anchor: a phrase copied exactly from the document."),
    ),
    (
        re.compile(r"anchor (?P<anchor>.+) not found in"),
        lambda m: _(
            "The anchor %(anchor)s does not occur in the document; copy a phrase from it exactly.",
            anchor=m["anchor"],
        ),
    ),
    (
        re.compile(r"copied from a document: (?P<phrase>.+)$"),
        lambda m: _(
            "This copies the document word for word (%(phrase)s); write it in your own words.",
            phrase=m["phrase"],
        ),
    ),
    (
        re.compile(r"stem\.(?P<lang>zh|en) must mark each blank once"),
        lambda m: _(
            "Mark each blank in the %(language)s stem once, in order: {1}, {2} …",
            language=_language(m["lang"]),
        ),
    ),
    (
        re.compile(r"unknown misconception tag"),
        lambda m: _("Choose a common mistake from the list."),
    ),
    (
        re.compile(r"'key' names unknown option"),
        lambda m: _("The key names an option that is missing or has a problem of its own."),
    ),
    (
        re.compile(r"invalid YAML"),
        lambda m: _("This is not valid YAML: %(detail)s", detail=m.string),
    ),
]


LINE_RE = re.compile(r"^line (?P<line>\d+): (?P<rest>.*)$", re.S)


def translated(message: str) -> str:
    """The checker's message in the reader's language when it is one we know; any other as
    the checker words it, introduced in the reader's language."""
    line = LINE_RE.match(message)
    if line:
        return _("Line %(n)s: %(message)s", n=line["line"], message=translated(line["rest"]))
    for pattern, translate in PATTERNS:
        match = pattern.search(message)
        if match:
            return translate(match)
    return _("The bank's checker says: %(message)s", message=message)


def translated_errors(errors: Mapping[str, tuple[str, ...]]) -> dict[str, list[str]]:
    return {group: [translated(m) for m in messages] for group, messages in errors.items()}
