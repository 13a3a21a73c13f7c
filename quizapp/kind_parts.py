"""A kind's page part (`templates/kinds/<kind>/take.html`, `review.html`) rendered once per
shown form of an item and filled in per answer.

The quiz page and the review show ten or more items, and rendering each one's partial through
Jinja is most of what those pages cost. Yet almost all of a partial's output depends only on
what never changes for a version: its options as shown (order, labels, texts, key and notes the
permissions allow), the kind's view without the answer, and the language. So the partial is
rendered once per such form with *slots* in place of the answer's values (an option chosen, a
value given, a text written, the field's name), and that skeleton is cached; each page then
joins the skeleton's static pieces with the answer's values, escaped exactly as Jinja would.

A partial reads the answer's values only through these filters, which work the same on plain
values (a fresh render: the preview, a challenge, the tests) and on slots:
`x|then(text, otherwise="")`, `x|equals(value)` and `x|shown_value(labels=None, empty="—")`.
The skeleton is rendered with `StrictUndefined`, so a partial that reads anything the cache key
does not cover fails loudly instead of being cached wrong. The key is the shown form itself
(not a version id), so nothing can go stale: other options, permissions or a language simply
make another key.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import wraps
from typing import Any

from cachetools import LRUCache
from flask import Flask, current_app
from flask_babel import get_locale
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup, escape

from .kinds import partial
from .kinds.base import ANSWER_VIEW_KEYS, ShownOption

_MARK = "\x00"


@dataclass(frozen=True)
class Answer:
    """What one page's item fills in: its answer as the page shows it, and its field name."""

    item: Any  # a ShownItem (quizzes.review), or anything with the same fields
    name: str
    chosen: frozenset[str]
    page: Mapping[str, Any] = field(default_factory=dict)  # a question frame's page values


class Slot:
    """An answer's value in a skeleton: printed as a numbered marker, read at fill time.
    Deciding the skeleton's shape on it (`{% if %}`) is an error; use the filters."""

    __slots__ = ("marks", "read")

    def __init__(self, read: Callable[[Answer], Any], marks: list[Slot]) -> None:
        self.read = read
        self.marks = marks

    def derive(self, then: Callable[[Any], Any]) -> Slot:
        return Slot(lambda answer: then(self.read(answer)), self.marks)

    def __html__(self) -> str:
        self.marks.append(self)
        return f"{_MARK}{len(self.marks) - 1}{_MARK}"

    def __bool__(self) -> bool:
        raise TypeError("a partial decided its shape on the answer: use |then")

    def __str__(self) -> str:
        raise TypeError("a partial printed the answer other than with {{ }}")


class SlotMap:
    """An answer's mapping in a skeleton (a kind's view["given"]): each value a slot."""

    __slots__ = ("key", "marks")

    def __init__(self, key: str, marks: list[Slot]) -> None:
        self.key = key
        self.marks = marks

    def get(self, name: Any, default: Any = None) -> Slot:
        key = self.key
        return Slot(lambda answer: answer.item.view[key].get(name, default), self.marks)


def _lifted(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that applies to a plain value now and to a slot at fill time."""

    @wraps(function)
    def apply(value: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(value, Slot):
            return value.derive(lambda plain: function(plain, *args, **kwargs))
        return function(value, *args, **kwargs)

    return apply


@_lifted
def then(value: Any, text: str, otherwise: str = "") -> str:
    """`text` when the value is set (checked, selected, a class), else `otherwise`."""
    return text if value else otherwise


@_lifted
def equals(value: Any, other: Any) -> bool:
    return bool(value == other)


@_lifted
def shown_value(value: Any, labels: Mapping[Any, Any] | None = None, empty: str = "—") -> Any:
    """A given value by its label (itself without one), or `empty` when nothing was given."""
    return (labels or {}).get(value, value) if value else empty


@dataclass(frozen=True)
class Skeleton:
    """A rendered partial cut at its slots: len(texts) == len(reads) + 1."""

    texts: tuple[str, ...]
    reads: tuple[Callable[[Answer], Any], ...]

    def fill(self, answer: Answer) -> Markup:
        out = [self.texts[0]]
        for read, text in zip(self.reads, self.texts[1:], strict=True):
            out.append(escape(read(answer)))
            out.append(text)
        # The texts come from an autoescaped render, the values were escaped just above.
        return Markup("".join(out))  # noqa: S704  # nosec B704


@dataclass(frozen=True)
class _PartItem:
    """What a partial may read of an item while its skeleton is rendered."""

    kind: str
    shape: str
    options: tuple[ShownOption, ...]  # is_chosen a slot
    view: Mapping[str, Any]
    attempt_item_id: Slot


# Skeletons of a few KB each; a matching item's form depends on the attempt's seed, so its
# entries are per attempt and the least used fall out first.
_SKELETONS: LRUCache[tuple[Any, ...], Skeleton | None] = LRUCache(maxsize=4096)
_LOCK = threading.Lock()


def _frozen(value: Any) -> Any:
    """A hashable copy of a view's value (mappings keep their order: it is the page's)."""
    if isinstance(value, Mapping):
        return tuple((k, _frozen(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def _key(template: str, item: Any) -> tuple[Any, ...]:
    options = tuple((o.id, o.label, o.text, o.explanation, o.is_key, o.misconception)
                    for o in item.options)
    view = tuple((k, _frozen(v)) for k, v in item.view.items() if k not in ANSWER_VIEW_KEYS)
    return template, str(get_locale()), item.kind, item.shape, options, view


def _strict_env() -> Environment:
    env: Environment = current_app.extensions["kind_parts"]
    return env


def _context(values: dict[str, Any]) -> dict[str, Any]:
    current_app.update_template_context(values)
    return values


def _slotted(item: Any, marks: list[Slot]) -> _PartItem:
    """What a partial may read of the item, the answer's values as slots."""
    view = {k: (SlotMap(k, marks) if isinstance(v, Mapping) else
                Slot(lambda answer, k=k: answer.item.view[k], marks))
            if k in ANSWER_VIEW_KEYS else v for k, v in item.view.items()}
    return _PartItem(
        kind=item.kind, shape=item.shape, view=view,
        options=tuple(replace(o, is_chosen=Slot(lambda answer, oid=o.id: oid in answer.chosen,
                                                marks))
                      for o in item.options),
        attempt_item_id=Slot(lambda answer: answer.item.attempt_item_id, marks))


def _cut(html: str, marks: list[Slot]) -> Skeleton | None:
    """A render cut at its slots; None when its text holds the marker character itself."""
    pieces = html.split(_MARK)
    slots = pieces[1::2]
    if len(pieces) != 2 * len(marks) + 1 or slots != [str(n) for n in range(len(marks))]:
        return None
    return Skeleton(tuple(pieces[0::2]), tuple(mark.read for mark in marks))


def _skeleton(template: str, item: Any) -> Skeleton | None:
    """The partial rendered with slots for the answer; None when its text holds the marker
    character itself (then the item is rendered afresh each time)."""
    marks: list[Slot] = []
    shaped = _slotted(item, marks)
    name = Slot(lambda answer: answer.name, marks)
    html = _strict_env().get_template(template).render(_context({"item": shaped, "name": name}))
    return _cut(html, marks)


def fresh_part(item: Any, page: str, name: str = "") -> Markup:
    """The partial rendered as an `{% include %}` renders it, without the cache."""
    template = current_app.jinja_env.get_template(partial(item.kind, page))
    html = template.render(_context({"item": item, "name": name}))  # autoescaped
    return Markup(html)  # noqa: S704  # nosec B704


def kind_part(item: Any, page: str, name: str = "") -> Markup:
    """A kind's page part ("take" or "review") for one shown item, from its cached skeleton."""
    template = partial(item.kind, page)
    try:
        key = _key(template, item)
        hash(key)
    except TypeError:  # a view value that cannot be a key: render it afresh
        return fresh_part(item, page, name)
    with _LOCK:
        found = _SKELETONS.get(key, False)
    if found is False:
        found = _skeleton(template, item)
        with _LOCK:
            _SKELETONS[key] = found
    if found is None:
        return fresh_part(item, page, name)
    chosen = frozenset(o.id for o in item.options if o.is_chosen)
    return found.fill(Answer(item, name, chosen))


# The quiz page's question: its frame (`quizzes/_question.html`: number, stem, save status,
# practice buttons) around the kind's part, cached as one skeleton per question and shown form.
_FRAME = "quizzes/_question.html"


@dataclass(frozen=True)
class _FrameItem:
    """What the frame may read of an item while its skeleton is rendered."""

    item_id: str
    stem: str
    shape: str
    position: Slot
    client_seq: Slot
    response: Slot
    attempt_item_id: Slot


def _splice(frame: Skeleton, at: int, part: Skeleton) -> Skeleton:
    """The frame's skeleton with the part's in place of its slot number `at`."""
    middle = list(part.texts)
    middle[0] = frame.texts[at] + middle[0]
    middle[-1] += frame.texts[at + 1]
    return Skeleton(frame.texts[:at] + tuple(middle) + frame.texts[at + 2:],
                    frame.reads[:at] + part.reads + frame.reads[at + 1:])


def _question_skeleton(item: Any, template: str, practice: bool) -> Skeleton | None:
    """Frame and part as one skeleton, for a question without errors or feedback."""
    part = _skeleton(template, item)
    if part is None:
        return None
    marks: list[Slot] = []
    shaped = _FrameItem(
        item_id=item.item_id, stem=item.stem, shape=item.shape,
        position=Slot(lambda answer: answer.item.position, marks),
        client_seq=Slot(lambda answer: answer.item.client_seq, marks),
        response=Slot(lambda answer: answer.item.response, marks),
        attempt_item_id=Slot(lambda answer: answer.item.attempt_item_id, marks))
    hole = Slot(lambda answer: "", marks)
    html = _strict_env().get_template(_FRAME).render(_context({
        "item": shaped, "name": Slot(lambda answer: answer.name, marks), "part": hole,
        "item_errors": (), "fb": None, "practice": practice,
        "save_url": Slot(lambda answer: answer.page["save_url"], marks)}))
    frame = _cut(html, marks)
    if frame is None or sum(mark is hole for mark in marks) != 1:
        return None
    return _splice(frame, next(n for n, mark in enumerate(marks) if mark is hole), part)


def _cached_question(item: Any, name: str, practice: bool,
                     page: Mapping[str, Any]) -> Markup | None:
    template = partial(item.kind, "take")
    try:
        key = (_FRAME, practice, item.item_id, item.stem, _key(template, item))
        hash(key)
    except TypeError:
        return None
    with _LOCK:
        found = _SKELETONS.get(key, False)
    if found is False:
        found = _question_skeleton(item, template, practice)
        with _LOCK:
            _SKELETONS[key] = found
    if found is None:
        return None
    chosen = frozenset(o.id for o in item.options if o.is_chosen)
    return found.fill(Answer(item, name, chosen, page))


def fresh_question(item: Any, name: str, practice: bool, save_url: str,
                   item_errors: Iterable[str] = (), fb: Any = None,
                   rows_by_id: Mapping[int, Any] | None = None) -> Markup:
    """One question rendered through Jinja, as the cache-less page would."""
    template = current_app.jinja_env.get_template(_FRAME)
    html = template.render(_context({
        "item": item, "name": name, "part": kind_part(item, "take", name),
        "item_errors": list(item_errors), "fb": fb, "practice": practice,
        "save_url": save_url, "rows_by_id": rows_by_id or {}}))
    return Markup(html)  # noqa: S704  # nosec B704


def questions(items: Iterable[Any], field_name: Callable[[int], str],
              errors: Mapping[str, list[str]], feedback: Mapping[int, Any], practice: bool,
              save_url: str, rows_by_id: Mapping[int, Any]) -> Markup:
    """The quiz page's questions: each one filled from its cached skeleton, or rendered
    afresh when it shows errors or practice feedback (both rare, both per answer)."""
    page = {"save_url": save_url}
    out = []
    for item in items:
        name = field_name(item.attempt_item_id)
        item_errors = errors.get(name, [])
        fb = feedback.get(item.attempt_item_id)
        html = None if item_errors or fb else _cached_question(item, name, practice, page)
        out.append(html if html is not None else
                   fresh_question(item, name, practice, save_url, item_errors, fb, rows_by_id))
    return Markup("".join(out))  # noqa: S704  # nosec B704


def clear() -> None:
    """Forget every skeleton (tests that compare a cold render with a cached one)."""
    with _LOCK:
        _SKELETONS.clear()


def cached_count() -> int:
    with _LOCK:
        return len(_SKELETONS)


def register(app: Flask, filters: Iterable[Callable[..., Any]] = (then, equals, shown_value)
             ) -> None:
    """The filters every partial uses, and `kind_part` for the pages that show many items."""
    for function in filters:
        app.add_template_filter(function, function.__name__)
    app.add_template_global(kind_part, "kind_part")
    app.add_template_global(questions, "questions")
    app.extensions["kind_parts"] = app.jinja_env.overlay(undefined=StrictUndefined)
