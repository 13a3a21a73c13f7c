"""Forms of the challenge: an answer to the item on screen, and the leaderboard switch."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf, DataRequired, Length

# How many values an answer may carry, and how long each (option ids are one letter).
MAX_CHOICES = 8
MAX_CHOICE_LENGTH = 8


class AnswerForm(FlaskForm):
    """The chosen option ids come as `response` (one radio, or checkboxes); `timed_out` is set
    by the page's timer when the item's time ran out before anything was sent."""

    item_id = HiddenField(validators=[DataRequired(), Length(max=16)])
    timed_out = HiddenField(default="")


def chosen(values: list[str]) -> list[str] | None:
    """The chosen option ids, or None when the post carries more than an answer can."""
    if len(values) > MAX_CHOICES or any(len(v) > MAX_CHOICE_LENGTH for v in values):
        return None
    return [v for v in values if v]


class ActionForm(FlaskForm):
    """A one-button action (start, stop): only its CSRF token."""


class LeaderboardForm(FlaskForm):
    enabled = HiddenField(validators=[AnyOf(["0", "1"])])
