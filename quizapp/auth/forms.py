"""Forms for log-in and first-run set-up; shared password validation."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from .services import PASSWORD_MAX_LENGTH, USERNAME_RE, is_strong_enough, normalise_username


class StrongPassword:
    """The platform's password rule, with the username read from a sibling field or the user."""

    def __init__(self, username_field: str | None = "username", optional: bool = False) -> None:
        self.username_field = username_field
        self.optional = optional

    def __call__(self, form: FlaskForm, field: PasswordField) -> None:
        if self.optional and not field.data:
            return
        username = getattr(form, self.username_field).data if self.username_field else ""
        username = username or getattr(form, "existing_username", "")
        min_length = int(current_app.config["PASSWORD_MIN_LENGTH"])
        if not is_strong_enough(field.data or "", username or "", min_length):
            raise ValidationError(
                _l("Use %(min)d to %(max)d characters, different from the username.",
                   min=min_length, max=PASSWORD_MAX_LENGTH)
            )


class ValidUsername:
    """The username as it will be stored (normalised: lower case) must fit the rule; checking
    the raw text is not enough, since lower-casing can change it (e.g. 'İ' becomes two code
    points)."""

    def __call__(self, form: FlaskForm, field: StringField) -> None:
        if not USERNAME_RE.match(normalise_username(field.data or "")):
            raise ValidationError(_l("3 to 64 letters, digits, dots, dashes or underscores."))


username_validators = [DataRequired(), ValidUsername()]


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    remember = BooleanField(_l("Stay logged in on this device"))
    submit = SubmitField(_l("Log in"))


class SetupForm(FlaskForm):
    username = StringField(_l("Username"), validators=username_validators)
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=100)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), StrongPassword()])
    confirm = PasswordField(
        _l("Password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Create the admin account"))


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)])
    password = PasswordField(_l("New password"),
                             validators=[DataRequired(), StrongPassword(username_field=None)])
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))

    def __init__(self, *args: object, existing_username: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.existing_username = existing_username
