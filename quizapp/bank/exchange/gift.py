"""Moodle's GIFT text format (pure): single and multiple choice, true/false, matching and
a fill-in with one blank. Ordering, situational judgement, case analysis and fill-ins with
more blanks have no GIFT question of their own: the writer skips and names them.

The syntax follows Moodle's own reader: questions are separated by blank lines; `//` starts a
comment line; `::name::` names a question (the item's id); `[html]` gives the text's format;
`{…}` holds the answers; `~ = # { } :` are escaped with a backslash. The bank's record rides in
a comment line `// quizapp: {json}` just before its question, which Moodle skips.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..schema import Item
from ..yaml_source import LineDict
from .checking import BankRules, Problem, Reading, Skipped, WriteResult
from .entries import Form
from .moodle import Answer, MoodleQuestion, read_record, record_json
from .moodle_map import NO_SCALE, entry_of, question_of, skip_reason

NAME = "gift"
MISSING = {
    Form.ORDER: "GIFT has no ordering question (a Moodle plugin reads its own syntax, which "
    "has no place for explanations)",
    Form.RATINGS: NO_SCALE,
    Form.RUBRIC: "GIFT's essay question has no place for a rubric or a model answer",
}
RECORD = "// quizapp:"
CATEGORY = "$CATEGORY:"

# Escaped characters stand for themselves: they hide behind private-use placeholders while the
# question is taken apart, as Moodle does.
_ESCAPES = {
    "\\\\": "\ue000",
    "\\:": "\ue001",
    "\\#": "\ue002",
    "\\=": "\ue003",
    "\\{": "\ue004",
    "\\}": "\ue005",
    "\\~": "\ue006",
    "\\n": "\ue007",
}
_PLAIN = {
    "\ue000": "\\",
    "\ue001": ":",
    "\ue002": "#",
    "\ue003": "=",
    "\ue004": "{",
    "\ue005": "}",
    "\ue006": "~",
    "\ue007": "\n",
}
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]")


# ---------------------------------------------------------------- writing


def escape(text: str) -> str:
    """Text as GIFT writes it: its special characters escaped, line breaks as \\n."""
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def _feedback(answer: Answer) -> str:
    return f"#[html]{escape(answer.feedback)}" if answer.feedback else ""


def _answers(question: MoodleQuestion) -> list[str]:
    if question.qtype == "truefalse":
        right = next(a for a in question.answers if a.fraction > 0)
        wrong = next(a for a in question.answers if a.fraction <= 0)
        return [
            f"{'TRUE' if right.text == 'true' else 'FALSE'}"
            f"#[html]{escape(wrong.feedback)}#[html]{escape(right.feedback)}"
        ]
    if question.qtype == "matching":
        return [
            f"\t=[html]{escape(left)} -> {escape(right)}" for left, right in question.subquestions
        ]
    if question.qtype == "shortanswer":
        return [f"\t={escape(a.text)}" for a in question.answers]
    lines = []
    for answer in question.answers:
        if question.single:
            mark = "=" if answer.fraction > 0 else "~"
        else:
            mark = f"~%{answer.fraction * 100:.5g}%"
        lines.append(f"\t{mark}[html]{escape(answer.text)}{_feedback(answer)}")
    return lines


def question_text(question: MoodleQuestion) -> str:
    answers = _answers(question)
    if question.general_feedback:
        answers.append(f"\t####[html]{escape(question.general_feedback)}")
    block = (
        "{" + answers[0] + "}"
        if question.qtype == "truefalse"
        else "{\n" + "\n".join(answers) + "\n}"
    )
    return f"::{escape(question.name)}::[html]{escape(question.text)}{block}"


def write(items: Iterable[Item], rules: BankRules | None = None) -> WriteResult:
    """The items GIFT can carry, each after its record; the others skipped with the reason."""
    lines = [
        "// Questions exported from the question bank. Both languages are Moodle",
        "// multilang spans; each `// quizapp:` line keeps what Moodle has no field for.",
        "",
    ]
    written, skipped, category = [], [], None
    for item in items:
        reason = skip_reason(item, MISSING)
        if reason:
            skipped.append(Skipped(item.id, item.kind, reason))
            continue
        question = question_of(item)
        if question.category != category:
            category = question.category
            lines += [f"{CATEGORY} $course$/top/{category}", ""]
        lines += [f"{RECORD} {record_json(question.meta or {})}", question_text(question), ""]
        written.append(item.id)
    return WriteResult("\n".join(lines).encode("utf-8"), tuple(written), tuple(skipped))


# ---------------------------------------------------------------- reading


@dataclass
class _Block:
    line: int
    lines: list[str]


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            current = None
            continue
        if current is None:
            current = _Block(number, [])
            blocks.append(current)
        current.lines.append(line)
    return blocks


def _plain(text: str) -> str:
    for placeholder, char in _PLAIN.items():
        text = text.replace(placeholder, char)
    return text.strip()


def _formatted(text: str) -> str:
    """A text without its [format] prefix, escapes resolved."""
    return _plain(_FORMAT.sub("", text.strip(), count=1))


def _split_feedback(answer: str) -> tuple[str, str]:
    text, _, feedback = answer.partition("#")
    return _formatted(text), _formatted(feedback)


def _parse_answers(question: MoodleQuestion, answers: str) -> str | None:
    """Fill in the question's answers from its answer block; a problem, or None."""
    if answers.startswith(">"):
        return "an ordering question (Moodle's plugin syntax) has no explanations to read"
    if answers.startswith("#"):
        return "a numerical question has no kind in the bank"
    if not answers:
        question.qtype = "essay"
        return None
    if "~" in answers:
        question.qtype, question.single = "multichoice", "=" in answers
        for raw in filter(None, (part.strip() for part in answers.replace("=", "~=").split("~"))):
            fraction, raw = (1.0, raw[1:]) if raw.startswith("=") else (0.0, raw)
            weight = _WEIGHT.match(raw)
            if weight:
                fraction, raw = float(weight.group(1)) / 100, raw[weight.end() :]
            text, feedback = _split_feedback(raw)
            question.answers.append(Answer(text, fraction, feedback))
        return None
    if "=" in answers and "->" in answers:
        question.qtype = "matching"
        for raw in filter(None, (part.strip() for part in answers.split("="))):
            left, arrow, right = raw.partition("->")
            if not arrow:
                return "a matching answer needs 'left -> right'"
            question.subquestions.append((_formatted(left), _formatted(right)))
        return None
    head, _, feedbacks = answers.partition("#")
    if head.strip().upper() in ("T", "TRUE", "F", "FALSE"):
        question.qtype = "truefalse"
        wrong, _, right = feedbacks.partition("#")
        truth = head.strip().upper().startswith("T")
        question.answers = [
            Answer("true", float(truth), _formatted(right if truth else wrong)),
            Answer("false", float(not truth), _formatted(wrong if truth else right)),
        ]
        return None
    question.qtype = "shortanswer"
    for raw in filter(None, (part.strip() for part in answers.split("="))):
        weight = _WEIGHT.match(raw)
        fraction = float(weight.group(1)) / 100 if weight else 1.0
        text, feedback = _split_feedback(raw[weight.end() :] if weight else raw)
        question.answers.append(Answer(text, fraction, feedback))
    return None


def _question(block: _Block, category: str) -> tuple[MoodleQuestion | None, list[str], str]:
    """A block as a Moodle question (None for a category line), its problems, and the
    category in force after it."""
    problems: list[str] = []
    question = MoodleQuestion("", block.line, category=category)
    body = []
    for line in block.lines:
        if line.strip().startswith(RECORD):
            question.meta, problem = read_record(line.strip()[len(RECORD) :])
            problems += [problem] if problem else []
        elif not line.strip().startswith("//"):
            body.append(line)
    text = "\n".join(body).strip()
    for escaped, placeholder in _ESCAPES.items():
        text = text.replace(escaped, placeholder)
    if not text:
        return None, problems, category
    if text.startswith(CATEGORY):
        return None, problems, _plain(text[len(CATEGORY) :])
    if text.startswith("::"):
        name, found, rest = text[2:].partition("::")
        if found:
            question.name, text = _plain(name), rest.strip()
    start, end = text.find("{"), text.find("}")
    if start < 0 or end < start:
        return None, [*problems, "a question needs its answers between { and }"], category
    answers = text[start + 1 : end].strip()
    question.text = _formatted(
        text[:start] + ("" if end == len(text) - 1 else "_____") + text[end + 1 :]
    )
    answers, _, general = answers.partition("####")
    question.general_feedback = _formatted(general)
    problem = _parse_answers(question, answers.strip())
    return question, [*problems, *([problem] if problem else [])], category


def read(data: bytes, source: str, rules: BankRules | None = None) -> Reading:
    """The entries of a GIFT file, and every problem by line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Reading([], [Problem("file", "the file is not UTF-8 text (Moodle's GIFT is UTF-8)")])
    entries: list[LineDict] = []
    problems: list[Problem] = []
    category = ""
    for block in _blocks(text):
        question, messages, category = _question(block, category)
        entry = None
        if question is not None and not messages:
            entry, messages = entry_of(question)
        problems += [Problem(f"line {block.line}", message, block.line) for message in messages]
        if entry is not None and not messages:
            entries.append(entry)
    if not entries and not problems:
        problems.append(Problem("file", "no questions found"))
    return Reading(entries, problems)
