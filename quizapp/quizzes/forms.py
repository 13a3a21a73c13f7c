"""The answer form of an attempt, built from the items it shows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_wtf import FlaskForm
from wtforms import (
    Field,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import Optional

from ..kinds import AnswerShape
from .models import Confidence
from .review import ShownItem

# The longest text one answer part may carry over the wire; each kind sets its own, lower limit.
MAX_PART_LENGTH = 5000


def field_name(attempt_item_id: int) -> str:
    return f"item_{attempt_item_id}"


class AnswerForm(FlaskForm):
    """CSRF-protected; one field per shown item, validated against that item's options."""

    # Set by the page's script when every answer was already saved one by one: the post then
    # must not overwrite them with what this (possibly older) tab shows.
    autosaved = HiddenField(default="")
    # Practice mode without the script: the button pressed under one item, "<row id>:sure",
    # "<row id>:unsure" or "<row id>:", asks to show that answer's key (with that confidence).
    check = StringField(default="")

    @property
    def carries_answers(self) -> bool:
        return self.autosaved.data != "1"

    def check_request(self) -> tuple[int, Confidence | None] | None:
        """The item whose key was asked for, and the confidence given; None if none or bad."""
        row_id, _, mark = (self.check.data or "").partition(":")
        if not (row_id.isascii() and row_id.isdigit()) or mark not in ("", *Confidence):
            return None
        return int(row_id), Confidence(mark) if mark else None

    def responses(self, items: Sequence[ShownItem]) -> Mapping[int, list[str]]:
        answers: dict[int, list[str]] = {}
        for item in items:
            data = self[field_name(item.attempt_item_id)].data
            if isinstance(data, list):  # checkboxes, selects, typed parts; "" means nothing
                answers[item.attempt_item_id] = [value for value in data if value]
            else:
                answers[item.attempt_item_id] = [data] if data else []
        return answers


class PairsField(SelectMultipleField):
    """One <select> per option, all under one name; an unanswered select sends ""."""

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata([value for value in valuelist if value])


class TextPartsField(Field):
    """Typed parts in page order (several inputs under one name), as "n=text" answers; an empty
    part is left out. The item's kind checks the parts."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = [f"{n}={text}" for n, text in enumerate(valuelist, start=1) if text.strip()]


def _field_for(item: ShownItem) -> Field:
    """The field an item's answer shape asks for, its choices taken from what the page shows."""
    if item.shape == AnswerShape.TEXTS:
        return TextPartsField(validators=[Optional()])
    if item.shape == AnswerShape.PAIRS:
        choices = [SelectChoice(f"{option.id}={value}", value)
                   for option in item.options for value in item.view["values"]]
        return PairsField(choices=choices, validators=[Optional()])
    choices = [SelectChoice(option.id, option.label) for option in item.options]
    field_class = SelectMultipleField if item.shape == AnswerShape.MANY else RadioField
    return field_class(choices=choices, validators=[Optional()])


def answer_form_for(items: Sequence[ShownItem]) -> AnswerForm:
    """An AnswerForm subclass with one field per item, whose choices are that item's answers."""

    class BoundAnswerForm(AnswerForm):
        pass

    for item in items:
        setattr(BoundAnswerForm, field_name(item.attempt_item_id), _field_for(item))
    return BoundAnswerForm()


class AnswerPayload:
    """The JSON body of `PUT /attempts/<id>/answers/<item_id>`: {"response": [...], "seq": n},
    and in practice mode optionally "confidence" ("sure" or "unsure") and "check" (false: only
    save; true or absent, as older pages send it: also show the key, after which the answer
    is final)."""

    def __init__(self, data: object) -> None:
        self.errors: list[str] = []
        self.response: list[str] = []
        self.seq = 0
        self.confidence: Confidence | None = None
        self.has_confidence = False
        self.check = True
        if not isinstance(data, dict):
            self.errors.append("body must be a JSON object")
            return
        response, seq = data.get("response"), data.get("seq")
        if not isinstance(response, list) or len(response) > 20 or not all(
                isinstance(r, str) and len(r) <= MAX_PART_LENGTH for r in response):
            self.errors.append("response must be a list of at most 20 answer parts")
        # The page counts up from 1; the column is a 32-bit integer on every database.
        if isinstance(seq, bool) or not isinstance(seq, int) or not 0 < seq < 2**31:
            self.errors.append("seq must be a positive whole number")
        confidence, check = data.get("confidence"), data.get("check", True)
        if confidence is not None and (not isinstance(confidence, str)
                                       or confidence not in tuple(Confidence)):
            self.errors.append("confidence must be \"sure\", \"unsure\" or null")
        if not isinstance(check, bool):
            self.errors.append("check must be true or false")
        if not self.errors:
            self.response, self.seq, self.check = response, seq, check
            self.has_confidence = "confidence" in data
            self.confidence = Confidence(confidence) if confidence is not None else None

    @property
    def is_valid(self) -> bool:
        return not self.errors
