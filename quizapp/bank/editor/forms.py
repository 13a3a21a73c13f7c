"""Forms of the question editor. The item form's fields come from the item's kind
(`entry.py` reads them); the form class here carries the CSRF token and the version the
editor started from."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ...kinds import item_file_kinds
from ..exchange import EXTENSIONS
from ..vocabulary import ALL_CODES, VersionStatus
from .services import Filters

STATUS_LABELS = {
    VersionStatus.DRAFT: _l("Draft"),
    VersionStatus.IN_REVIEW: _l("In review"),
    VersionStatus.PUBLISHED: _l("Published"),
    "retired": _l("Retired"),
}


def kind_choices(lang: str) -> list[SelectChoice]:
    return [
        SelectChoice(kind.name, kind.title.get(lang) or kind.name) for kind in item_file_kinds()
    ]


def _choices(pairs: list[tuple[str, object]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class FilterForm(FlaskForm):
    """The browse list's filters (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search the text or the id"), validators=[Optional(), Length(max=100)])
    code = SelectField(
        _l("Code"),
        choices=_choices([("", _l("All codes"))] + [(c, c) for c in ALL_CODES]),
        validators=[Optional()],
    )
    kind = SelectField(_l("Kind"), choices=[], validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=_choices(
            [("", _l("Every status")), *((str(k), v) for k, v in STATUS_LABELS.items())]
        ),
        validators=[Optional()],
    )
    owner = SelectField(
        _l("Bank"),
        choices=_choices(
            [
                ("", _l("Every bank")),
                ("shared", _l("Shared bank")),
                ("local", _l("Local banks")),
                ("mine", _l("Mine")),
            ]
        ),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Filter"))

    def with_kinds(self, lang: str) -> FilterForm:
        self.kind.choices = [SelectChoice("", _l("All kinds")), *kind_choices(lang)]
        return self

    def to_filters(self) -> Filters:
        """The filters asked for; a value the form does not offer counts as none."""
        if not self.validate():
            return Filters(q=(self.q.data or "")[:100])
        return Filters(
            code=self.code.data or "",
            kind=self.kind.data or "",
            status=self.status.data or "",
            owner=self.owner.data or "",
            q=self.q.data or "",
        )


class NewItemForm(FlaskForm):
    """The code and kind of a new item: its form depends on them (a GET form)."""

    class Meta:
        csrf = False

    code = SelectField(
        _l("Code"), choices=_choices([(c, c) for c in ALL_CODES]), validators=[DataRequired()]
    )
    kind = SelectField(_l("Kind"), choices=[], validators=[DataRequired()])
    submit = SubmitField(_l("Write the item"))

    def with_kinds(self, lang: str) -> NewItemForm:
        self.kind.choices = kind_choices(lang)
        return self


class ItemForm(FlaskForm):
    """The CSRF token and the version the editor started from (to notice a newer save)."""

    base_version = HiddenField()


class ConfirmForm(FlaskForm):
    """A one-button action: submit, approve, retire."""


class RejectForm(FlaskForm):
    comment = TextAreaField(
        _l("What should change (the author reads this)"),
        validators=[DataRequired(), Length(max=1000)],
    )
    submit = SubmitField(_l("Send back to draft"))


class ImportForm(FlaskForm):
    """A filled-in Excel template (or GIFT, Moodle XML, YAML): every row a new draft."""

    upload = FileField(
        _l("The filled-in Excel template (.xlsx); GIFT, Moodle XML and YAML files also work"),
        validators=[
            FileRequired(),
            FileAllowed([ext.lstrip(".") for ext in EXTENSIONS], _l("Not a file this can read.")),
        ],
    )
    submit = SubmitField(_l("Import"))
