"""Forms for cohorts: create, add members, upload a class list, join, assign a quiz."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..quizzes.settings_form import QuizSettingsForm


class CohortForm(FlaskForm):
    name = StringField(_l("Name (e.g. a training class or a township)"),
                       validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Length(max=500)])
    submit = SubmitField(_l("Create cohort"))


class AddMemberForm(FlaskForm):
    username = StringField(_l("Username of the cadre"), validators=[DataRequired(),
                                                                    Length(max=64)])
    submit = SubmitField(_l("Add"))


class RosterForm(FlaskForm):
    roster = FileField(_l("Class list (CSV or XLSX: username, display_name, password)"),
                       validators=[FileRequired(), FileAllowed(["csv", "xlsx"],
                                                               _l("Only CSV or XLSX files."))])
    submit = SubmitField(_l("Upload"))


class JoinForm(FlaskForm):
    code = StringField(_l("Join code"), validators=[DataRequired(), Length(max=16)])
    submit = SubmitField(_l("Join"))


class ConfirmForm(FlaskForm):
    """An empty form: the CSRF token of a one-button action."""

    submit = SubmitField(_l("Remove"))


class CheckboxesField(SelectMultipleField):
    """A choice of several, as checkboxes (easier to tap on a phone than a multiple select)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AssignmentForm(QuizSettingsForm):
    quiz_id = SelectField(_l("Quiz"), choices=[])
    local_items = CheckboxesField(_l("Local items that every attempt also shows"),
                                  choices=[])
    submit = SubmitField(_l("Assign"))
