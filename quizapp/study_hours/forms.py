"""Forms of study hours: a note read to its end, and the policy admins set."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField, SubmitField, ValidationError
from wtforms.validators import DataRequired, Length, NumberRange

from .credit import (
    MAX_DAILY_CAP,
    MAX_RULE_HOURS,
    MAX_YEARLY_TARGET,
    CreditRule,
    Policy,
    hours_text,
    parse_hours,
)


class NoteReadForm(FlaskForm):
    opened = HiddenField(validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("I have read it"))


class HoursField(StringField):
    """Hours as people write them (0.25, 2, 50), kept as hundredths of an hour."""

    def __init__(self, label: object, most: int, **kwargs: object) -> None:
        super().__init__(label, validators=[DataRequired(), Length(max=8)], **kwargs)
        self.most = most

    @property
    def centihours(self) -> int | None:
        return parse_hours(self.data or "")

    def pre_validate(self, form: FlaskForm) -> None:
        value = self.centihours
        if value is None or value > self.most:
            raise ValidationError(
                _l(
                    "Enter hours from 0 to %(most)s, with at most two decimals (e.g. 0.25).",
                    most=hours_text(self.most),
                )
            )


class PolicyForm(FlaskForm):
    note_read = HoursField(_l("A study note read to its end (study hours)"), MAX_RULE_HOURS)
    quiz_passed = HoursField(_l("A quiz passed (study hours)"), MAX_RULE_HOURS)
    daily_set = HoursField(_l("A daily practice set completed (study hours)"), MAX_RULE_HOURS)
    daily_cap = HoursField(_l("At most per day (study hours)"), MAX_DAILY_CAP)
    yearly_target = HoursField(_l("Yearly target (study hours)"), MAX_YEARLY_TARGET)
    pass_percent = IntegerField(
        _l("Pass mark of quizzes that set none (%)"), validators=[NumberRange(0, 100)]
    )
    submit = SubmitField(_l("Save"))

    @classmethod
    def from_policy(cls, policy: Policy) -> PolicyForm:
        form = cls()
        if not form.is_submitted():
            for rule in CreditRule:
                form[str(rule)].data = hours_text(policy.hours_for(rule))
            form.daily_cap.data = hours_text(policy.daily_cap)
            form.yearly_target.data = hours_text(policy.yearly_target)
            form.pass_percent.data = policy.pass_percent
        return form

    def validate_daily_cap(self, field: HoursField) -> None:
        if field.centihours == 0:
            raise ValidationError(_l("The daily cap must be more than 0."))

    def validate_yearly_target(self, field: HoursField) -> None:
        if field.centihours == 0:
            raise ValidationError(_l("The yearly target must be more than 0."))

    def to_policy(self) -> Policy:
        return Policy(
            {rule: self[str(rule)].centihours or 0 for rule in CreditRule},
            self.daily_cap.centihours or 0,
            self.yearly_target.centihours or 0,
            int(self.pass_percent.data),
        )
