"""Moodle XML (pure): single and multiple choice, true/false, matching, ordering, a fill-in
with one blank (short answer) and case analysis (essay). Situational judgement and fill-ins
with more blanks have no Moodle question of their own: the writer skips and names them.

Files are read with defusedxml (no DTD, no entities), each question named by its line. The
bank's record rides in an element `<quizapp>` that Moodle's importer does not read.
"""

from __future__ import annotations

# Writing and the tree builder only: parsing goes through defusedxml.
import xml.etree.ElementTree as ET  # nosec B405
from collections.abc import Iterable
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ..schema import Item
from ..yaml_source import LineDict
from .checking import BankRules, Problem, Reading, Skipped, WriteResult
from .entries import Form
from .moodle import Answer, MoodleQuestion, read_record, record_json
from .moodle_map import NO_SCALE, entry_of, question_of, skip_reason

NAME = "moodle-xml"
MISSING = {Form.RATINGS: NO_SCALE}
RECORD = "quizapp"
# How Moodle's ordering question grades: the pairs of steps in the right relative order,
# the nearest of its choices to the bank's own scoring (Kendall's concordance).
ORDERING_GRADING = "RELATIVE_ALL_PREVIOUS_AND_NEXT"


# ---------------------------------------------------------------- writing


def _text(parent: ET.Element, tag: str, value: str, fmt: str | None = "html") -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = value
    return element


def _answer(parent: ET.Element, answer: Answer, fmt: str = "html") -> None:
    element = _text(parent, "answer", answer.text, fmt)
    element.set("fraction", f"{answer.fraction * 100:.7g}")
    _text(element, "feedback", answer.feedback)


def _question(quiz: ET.Element, question: MoodleQuestion) -> None:
    element = ET.SubElement(quiz, "question", {"type": question.qtype})
    _text(element, "name", question.name, None)
    _text(element, "questiontext", question.text)
    _text(element, "generalfeedback", question.general_feedback)
    for tag, value in (
        ("defaultgrade", "1"),
        ("penalty", "0"),
        ("hidden", "0"),
        ("idnumber", question.idnumber),
    ):
        ET.SubElement(element, tag).text = value
    if question.qtype == "multichoice":
        for tag, value in (
            ("single", str(question.single).lower()),
            ("shuffleanswers", "true"),
            ("answernumbering", "ABCD"),
        ):
            ET.SubElement(element, tag).text = value
    elif question.qtype == "matching":
        ET.SubElement(element, "shuffleanswers").text = "true"
        for left, right in question.subquestions:
            sub = _text(element, "subquestion", left)
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = right
    elif question.qtype == "ordering":
        for tag, value in (
            ("layouttype", "VERTICAL"),
            ("selecttype", "ALL"),
            ("selectcount", str(len(question.answers))),
            ("gradingtype", ORDERING_GRADING),
            ("showgrading", "SHOW"),
        ):
            ET.SubElement(element, tag).text = value
    elif question.qtype == "shortanswer":
        ET.SubElement(element, "usecase").text = "0"
    elif question.qtype == "essay":
        for tag, value in (
            ("responseformat", "editor"),
            ("responserequired", "1"),
            ("responsefieldlines", "15"),
            ("attachments", "0"),
            ("attachmentsrequired", "0"),
        ):
            ET.SubElement(element, tag).text = value
        _text(element, "graderinfo", question.grader_info)
        _text(element, "responsetemplate", "")
    plain = question.qtype in ("truefalse", "shortanswer")
    for answer in question.answers:
        _answer(element, answer, "moodle_auto_format" if plain else "html")
    ET.SubElement(element, RECORD).text = record_json(question.meta or {})


def write(items: Iterable[Item], rules: BankRules | None = None) -> WriteResult:
    """The items Moodle XML can carry, grouped by code in categories; the others skipped."""
    quiz = ET.Element("quiz")
    quiz.append(
        ET.Comment(
            " Questions exported from the question bank. Both languages are "
            "Moodle multilang spans; each <quizapp> element keeps what Moodle "
            "has no field for. "
        )
    )
    written, skipped, category = [], [], None
    for item in items:
        reason = skip_reason(item, MISSING)
        if reason:
            skipped.append(Skipped(item.id, item.kind, reason))
            continue
        question = question_of(item)
        if question.category != category:
            category = question.category
            holder = ET.SubElement(quiz, "question", {"type": "category"})
            _text(holder, "category", f"$course$/top/{category}", None)
        _question(quiz, question)
        written.append(item.id)
    ET.indent(quiz)
    data = ET.tostring(quiz, encoding="utf-8", xml_declaration=True)
    return WriteResult(data + b"\n", tuple(written), tuple(skipped))


# ---------------------------------------------------------------- reading


class _LineBuilder(ET.TreeBuilder):
    """Builds the tree and remembers the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: DefusedXMLParser | None = None
        self.lines: dict[int, int] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        expat = getattr(self.parser, "parser", None)
        self.lines[id(element)] = expat.CurrentLineNumber if expat is not None else 0
        return element


def _inner(element: ET.Element, path: str) -> str:
    found = element.find(path)
    return (found.text or "") if found is not None else ""


def _answers(element: ET.Element) -> list[Answer]:
    answers = []
    for answer in element.findall("answer"):
        try:
            fraction = float(answer.get("fraction", "0")) / 100
        except ValueError:
            fraction = 0.0
        answers.append(Answer(_inner(answer, "text"), fraction, _inner(answer, "feedback/text")))
    return answers


def _moodle_question(
    element: ET.Element, line: int, category: str
) -> tuple[MoodleQuestion, list[str]]:
    question = MoodleQuestion(
        element.get("type", ""),
        line,
        name=_inner(element, "name/text").strip(),
        idnumber=_inner(element, "idnumber").strip(),
        text=_inner(element, "questiontext/text"),
        general_feedback=_inner(element, "generalfeedback/text"),
        single=_inner(element, "single").strip().lower() not in ("false", "0"),
        answers=_answers(element),
        grader_info=_inner(element, "graderinfo/text"),
        category=category,
    )
    question.subquestions = [
        (_inner(sub, "text"), _inner(sub, "answer/text"))
        for sub in element.findall("subquestion")
        if _inner(sub, "text").strip()
    ]
    problems: list[str] = []
    record = element.find(RECORD)
    if record is not None:
        question.meta, problem = read_record(record.text or "")
        problems += [problem] if problem else []
    if question.qtype == "truefalse":
        for answer in question.answers:
            answer.text = answer.text.strip().lower()
    return question, problems


def read(data: bytes, source: str, rules: BankRules | None = None) -> Reading:
    """The entries of a Moodle XML file, and every problem by line."""
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root: Any = parser.close()
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 0
        where = f"line {line}" if line else "file"
        return Reading([], [Problem(where, f"not well-formed XML: {exc}", line)])
    except DefusedXmlException:
        return Reading([], [Problem("file", "the XML declares a DTD or entities (refused)")])
    if root.tag != "quiz":
        return Reading([], [Problem("line 1", "a Moodle XML file has <quiz> at its root", 1)])
    entries: list[LineDict] = []
    problems: list[Problem] = []
    category = ""
    for element in root.findall("question"):
        line = builder.lines.get(id(element), 0)
        if element.get("type") == "category":
            category = _inner(element, "category/text").strip()
            continue
        question, messages = _moodle_question(element, line, category)
        entry = None
        if not messages:
            entry, messages = entry_of(question)
        problems += [Problem(f"line {line}", message, line) for message in messages]
        if entry is not None and not messages:
            entries.append(entry)
    if not entries and not problems:
        problems.append(Problem("file", "no questions found"))
    return Reading(entries, problems)
