"""The form coordinators and admins use to edit a quiz's settings."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectChoice,
    SelectField,
    SubmitField,
)
from wtforms.validators import NumberRange, Optional, ValidationError

from .settings import GradingMethod, OverdueAction, QuizMode, QuizSettings, ReviewTime

REVIEW_CHOICES = [
    SelectChoice(ReviewTime.AFTER_SUBMIT.value, _l("right after submitting")),
    SelectChoice(ReviewTime.AFTER_CLOSE.value, _l("after the quiz closes")),
    SelectChoice(ReviewTime.NEVER.value, _l("never")),
]


def _within_years(field: DateTimeLocalField) -> None:
    # Far-off dates overflow when a deadline and its grace are added up.
    if field.data and not 2000 <= field.data.year <= 2100:
        raise ValidationError(_l("Choose a date between 2000 and 2100."))


def _aware(value: datetime | None) -> datetime | None:
    # The form works in UTC: datetime-local inputs carry no zone.
    return value.replace(tzinfo=UTC) if value else None


class QuizSettingsForm(FlaskForm):
    time_limit_minutes = IntegerField(_l("Time limit (minutes, empty for none)"),
                                      validators=[Optional(), NumberRange(1, 600)])
    opens_at = DateTimeLocalField(_l("Opens at (UTC)"), validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Closes at (UTC)"), validators=[Optional()])
    max_attempts = IntegerField(_l("Attempts allowed (empty for unlimited)"),
                                validators=[Optional(), NumberRange(1, 100)])
    grading_method = SelectField(_l("Grade across attempts"), choices=[
        SelectChoice(GradingMethod.HIGHEST.value, _l("highest")),
        SelectChoice(GradingMethod.LATEST.value, _l("latest")),
        SelectChoice(GradingMethod.FIRST.value, _l("first")),
        SelectChoice(GradingMethod.AVERAGE.value, _l("average")),
    ])
    pass_percent = IntegerField(_l("Pass mark (%)"), validators=[Optional(), NumberRange(0, 100)])
    shuffle_items = BooleanField(_l("Shuffle questions"))
    shuffle_options = BooleanField(_l("Shuffle options"))
    mode = SelectField(_l("Mode"), choices=[
        SelectChoice(QuizMode.TEST.value, _l("test: feedback after submitting")),
        SelectChoice(QuizMode.PRACTICE.value, _l("practice: feedback after each answer")),
    ])
    show_answers = SelectField(_l("Show the cadre's answers"), choices=REVIEW_CHOICES)
    show_keys = SelectField(_l("Show the keys"), choices=REVIEW_CHOICES)
    show_explanations = SelectField(_l("Show the explanations"), choices=REVIEW_CHOICES)
    overdue_action = SelectField(_l("When time runs out"), choices=[
        SelectChoice(OverdueAction.AUTOSUBMIT.value, _l("grade the saved answers")),
        SelectChoice(OverdueAction.CLOSE.value, _l("close the attempt ungraded")),
    ])
    submit = SubmitField(_l("Save settings"))

    def validate_opens_at(self, field: DateTimeLocalField) -> None:
        _within_years(field)

    def validate_closes_at(self, field: DateTimeLocalField) -> None:
        _within_years(field)
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The quiz must close after it opens."))

    @classmethod
    def from_settings(cls, settings: QuizSettings) -> QuizSettingsForm:
        data = settings.to_dict()
        data["opens_at"], data["closes_at"] = settings.opens_at, settings.closes_at
        return cls(data=data)

    def to_settings(self) -> QuizSettings:
        return QuizSettings(
            time_limit_minutes=self.time_limit_minutes.data,
            opens_at=_aware(self.opens_at.data), closes_at=_aware(self.closes_at.data),
            max_attempts=self.max_attempts.data,
            grading_method=GradingMethod(self.grading_method.data),
            pass_percent=self.pass_percent.data, shuffle_items=self.shuffle_items.data,
            shuffle_options=self.shuffle_options.data, mode=QuizMode(self.mode.data),
            show_answers=ReviewTime(self.show_answers.data),
            show_keys=ReviewTime(self.show_keys.data),
            show_explanations=ReviewTime(self.show_explanations.data),
            overdue_action=OverdueAction(self.overdue_action.data),
        )
