"""Items to Moodle questions and back (pure): which Moodle type each form becomes, what
the bank's record carries, and the entry a Moodle question reads as."""

from __future__ import annotations

import re
from typing import Any

from ...kinds import kind_of
from ..schema import Item, Text
from ..yaml_source import LineDict
from .entries import Form, default_ids, form_of, kind_for, lined, split_languages, text_part
from .moodle import (
    FORM_QTYPES,
    Answer,
    MoodleQuestion,
    has_spans,
    html_text,
    languages,
    multilang,
)

BLANK_MARK = "_____"
BLANK_RUN = re.compile(r"_{3,}")
STEM_BLANK = re.compile(r"\{1\}")
RECORD_FIELDS = (
    "code",
    "difficulty",
    "scenario",
    "locator",
    "ids",
    "misconceptions",
    "explanations",
    "rubric",
    "max_length",
)
NO_SCALE = "neither GIFT nor Moodle has a question that rates every option on a scale"
NO_RECORD = (
    "no quizapp record: the code, difficulty, scenario and source locator the bank "
    "needs are missing (see docs/exchange.md)"
)
NO_SPANS = (
    "the question text needs Chinese and English as Moodle multilang spans: "
    '<span lang="zh_cn" class="multilang">…</span><span lang="en" '
    'class="multilang">…</span>'
)


def _record(item: Item, form: Form, answer_ids: list[str]) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "code": item.code,
        "difficulty": item.difficulty,
        "scenario": item.scenario,
        "locator": {
            k: v
            for k, v in (
                ("doc", item.locator.doc),
                ("anchor", item.locator.anchor),
                ("note", item.locator.note),
            )
            if v
        },
    }
    if form != Form.TRUTH and answer_ids and answer_ids != default_ids(len(answer_ids)):
        meta["ids"] = answer_ids
    tags = {o.id: o.misconception for o in item.options if o.misconception}
    if tags:
        meta["misconceptions"] = tags
    if form == Form.MATCHES:
        meta["explanations"] = {o.id: o.explanation.to_dict() for o in item.options}
    if form == Form.RUBRIC:
        meta["rubric"] = item.extra["rubric"]
        meta["max_length"] = item.extra["max_length"]
    return meta


# ---------------------------------------------------------------- item → Moodle


def skip_reason(item: Item, missing: dict[Form, str]) -> str | None:
    """Why a format cannot carry the item (`missing`: the forms it lacks, with the reason),
    or None when it can."""
    form = form_of(kind_of(item.kind))
    if form in missing:
        return missing[form]
    if form == Form.BLANKS and len(item.extra["blanks"]) > 1:
        return f"Moodle's short answer has one blank; this item has {len(item.extra['blanks'])}"
    return None


def question_of(item: Item) -> MoodleQuestion:
    """The item as a Moodle question (the caller has checked that the format carries it)."""
    form = form_of(kind_of(item.kind))
    pairs = dict(pair.partition("=")[::2] for pair in item.key)
    question = MoodleQuestion(
        FORM_QTYPES[form],
        name=item.id,
        idnumber=item.id,
        text=multilang(item.stem),
        single=form != Form.CHOICES,
        category=item.code,
    )
    options = list(item.options)
    if form == Form.ORDER:  # Moodle's ordering question lists the steps in the right order
        options.sort(key=lambda o: int(pairs[o.id]))
    if form in (Form.CHOICE, Form.CHOICES, Form.TRUTH, Form.ORDER):
        share = 1 / len(item.key) if form == Form.CHOICES else 1.0
        for option in options:
            right = option.id in item.key
            fraction = share if right else (-share if form == Form.CHOICES else 0.0)
            text = option.id if form == Form.TRUTH else multilang(option.text)
            question.answers.append(
                Answer(text, 1.0 if form == Form.ORDER else fraction, multilang(option.explanation))
            )
    elif form == Form.MATCHES:
        question.subquestions = [(multilang(o.text), multilang(o.match or o.text)) for o in options]
    elif form == Form.BLANKS:
        question.text = multilang(
            Text(*(STEM_BLANK.sub(BLANK_MARK, t) for t in (item.stem.zh, item.stem.en)))
        )
        accept = item.extra["blanks"][0]["accept"]
        question.answers = [Answer(word, 1.0) for word in (*accept["zh"], *accept["en"])]
        question.general_feedback = multilang(item.extra["explanation"])
    elif form == Form.RUBRIC:
        question.grader_info = (
            f'<div class="model-answer">'
            f"{multilang(item.extra['model_answer'])}</div>"
            f"{rubrichtml_text(item.extra['rubric'])}"
        )
    question.meta = _record(item, form, [o.id for o in options])
    return question


def rubrichtml_text(rubric: list[dict[str, Any]]) -> str:
    """The rubric for Moodle's graders to read (the exact one travels in the record)."""
    parts = ['<div class="rubric"><p>评分标准 / Rubric</p><ol type="a">']
    for criterion in rubric:
        parts.append(
            f"<li>{criterion['points']}分 / {criterion['points']} points: "
            f"{html_text(criterion['criterion']['zh'])} / "
            f"{html_text(criterion['criterion']['en'])}<ul>"
        )
        parts += [
            f"<li>{level['points']}: {html_text(level['zh'])} / {html_text(level['en'])}</li>"
            for level in criterion["levels"]
        ]
        parts.append("</ul></li>")
    parts.append("</ol></div>")
    return "".join(parts)


# ---------------------------------------------------------------- Moodle → entry


def lined_tree(value: Any, line: int) -> Any:
    """Plain JSON as the parser's mappings, every one at the question's line."""
    if isinstance(value, dict):
        return lined({key: lined_tree(inner, line) for key, inner in value.items()}, line)
    if isinstance(value, list):
        return [lined_tree(inner, line) for inner in value]
    return value


def _text(markup: str, line: int) -> LineDict | None:
    found = languages(markup)
    return text_part(found.get("zh"), found.get("en"), line)


def _option(option_id: str, line: int, **parts: Any) -> LineDict:
    return lined({"id": option_id, **{k: v for k, v in parts.items() if v is not None}}, line)


def _ids(meta: dict[str, Any], count: int) -> list[str]:
    ids = meta.get("ids")
    if isinstance(ids, list) and len(ids) == count and all(isinstance(i, str) for i in ids):
        return ids
    return default_ids(count)


def _choice_options(
    question: MoodleQuestion, meta: dict[str, Any], form: Form, entry: LineDict
) -> list[LineDict]:
    line, tags = question.line, meta.get("misconceptions") or {}
    ids = _ids(meta, len(question.answers))
    options = [
        _option(
            oid,
            line,
            text=_text(a.text, line),
            explanation=_text(a.feedback, line),
            misconception=tags.get(oid) if isinstance(tags, dict) else None,
        )
        for oid, a in zip(ids, question.answers, strict=True)
    ]
    if form == Form.CHOICE:
        keys = [oid for oid, a in zip(ids, question.answers, strict=True) if a.fraction >= 0.999]
        entry["key"] = keys[0] if len(keys) == 1 else keys
    elif form == Form.CHOICES:
        entry["key"] = [oid for oid, a in zip(ids, question.answers, strict=True) if a.fraction > 0]
    else:  # Moodle lists the steps of an ordering question in the right order
        entry["key"] = list(ids)
        options.sort(key=lambda option: option["id"])
    return options


def _truth_options(
    question: MoodleQuestion, meta: dict[str, Any], entry: LineDict
) -> list[LineDict]:
    line, tags = question.line, meta.get("misconceptions") or {}
    options, keys = [], []
    for answer in question.answers:
        oid = answer.text.strip().lower()
        options.append(
            _option(
                oid,
                line,
                explanation=_text(answer.feedback, line),
                misconception=tags.get(oid) if isinstance(tags, dict) else None,
            )
        )
        if answer.fraction > 0:
            keys.append(oid)
    entry["key"] = keys[0] if len(keys) == 1 else keys
    return options


def _matching_options(question: MoodleQuestion, meta: dict[str, Any]) -> list[LineDict]:
    line = question.line
    explanations = meta.get("explanations") if isinstance(meta.get("explanations"), dict) else {}
    ids = _ids(meta, len(question.subquestions))
    return [
        _option(
            oid,
            line,
            text=_text(left, line),
            match=_text(right, line),
            explanation=lined_tree(explanations[oid], line)
            if isinstance(explanations.get(oid), dict)
            else None,
        )
        for oid, (left, right) in zip(ids, question.subquestions, strict=True)
    ]


def entry_of(question: MoodleQuestion) -> tuple[LineDict | None, list[str]]:
    """The entry a Moodle question reads as, or why it cannot be one. The bank's parser
    checks the rest."""
    form, meta, line = question.form, question.meta, question.line
    if form is None:
        return None, [f"a Moodle {question.qtype!r} question has no kind in the bank"]
    if meta is None:
        return None, [NO_RECORD]
    problems = [
        f"the quizapp record has unknown field(s) {', '.join(sorted(unknown))}"
        for unknown in [set(meta) - set(RECORD_FIELDS)]
        if unknown
    ]
    if not has_spans(question.text):
        problems.append(NO_SPANS)
    code = meta.get("code") or question.category.rstrip("/").rpartition("/")[2] or None
    entry = lined(
        {
            "id": question.idnumber or question.name,
            "code": code,
            "kind": kind_for(form).name,
            "difficulty": meta.get("difficulty"),
            "scenario": meta.get("scenario"),
        },
        line,
    )
    found = languages(question.text)
    if form == Form.BLANKS:
        found = {lang: BLANK_RUN.sub("{1}", text, count=1) for lang, text in found.items()}
    stem = text_part(found.get("zh"), found.get("en"), line)
    if stem is not None:
        entry["stem"] = stem
    if form in (Form.CHOICE, Form.CHOICES, Form.ORDER):
        entry["options"] = _choice_options(question, meta, form, entry)
    elif form == Form.TRUTH:
        entry["options"] = _truth_options(question, meta, entry)
    elif form == Form.MATCHES:
        entry["options"] = _matching_options(question, meta)
    elif form == Form.BLANKS:
        words = [a.text.strip() for a in question.answers if a.fraction > 0 and a.text.strip()]
        entry["blanks"] = [lined({"accept": lined(split_languages(words), line)}, line)]
        explanation = _text(question.general_feedback, line)
        if explanation is not None:
            entry["explanation"] = explanation
    else:
        for name in ("rubric", "max_length"):
            if name in meta:
                entry[name] = lined_tree(meta[name], line)
        model = _text(question.grader_info, line)
        if model is not None:
            entry["model_answer"] = model
    if isinstance(meta.get("locator"), dict):
        entry["locator"] = lined_tree(meta["locator"], line)
    return entry, problems
