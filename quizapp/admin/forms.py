"""Admin forms for managing accounts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, Length

from ..auth.forms import StrongPassword, username_validators
from ..auth.roles import Role

ROLE_LABELS = {
    Role.CADRE: _l("Cadre"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.ADMIN: _l("Admin"),
}


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]


class UserCreateForm(FlaskForm):
    username = StringField(_l("Username"), validators=username_validators)
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=100)])
    role = SelectField(_l("Role"), choices=role_choices, default=Role.CADRE.value)
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), StrongPassword()])
    confirm = PasswordField(
        _l("Password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Create account"))


class UserEditForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=100)])
    role = SelectField(_l("Role"), choices=role_choices)
    is_active = BooleanField(_l("Account active (may log in)"))
    new_password = PasswordField(
        _l("New password (leave empty to keep)"),
        validators=[StrongPassword(username_field=None, optional=True)],
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[EqualTo("new_password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: object, existing_username: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.existing_username = existing_username


class DeactivateForm(FlaskForm):
    """An empty form: it carries the CSRF token of the deactivate button."""

    submit = SubmitField(_l("Deactivate"))


class RegradeForm(FlaskForm):
    item_id = StringField(_l("Item id (e.g. A3-017)"), validators=[DataRequired(), Length(max=16)])
    preview = SubmitField(_l("Preview the changes"))
    apply = SubmitField(_l("Regrade now"))
