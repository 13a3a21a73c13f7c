"""The question editor at /bank/: browse the bank, write and edit every kind through its
kind's form, preview it in both languages, and take it through review to publication."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ...auth.roles import Role
from ...db import begin_write
from ...extensions import db
from ...kinds import REGISTRY, Kind, kind_of
from ...security import guard_blueprint
from ...templating import current_language
from ..exchange import read_upload
from ..exchange_services import bank_rules
from ..models import Item, ItemVersion
from ..vocabulary import ALL_CODES, VersionStatus
from . import policy, rendering, review, services
from .checking import CheckedEntry
from .entry import entry_from_content, form_from_entry
from .forms import (
    STATUS_LABELS,
    ConfirmForm,
    FilterForm,
    ImportForm,
    ItemForm,
    NewItemForm,
    RejectForm,
    kind_choices,
)
from .layout import layout_for
from .messages import field_label, translated, translated_errors

bp = Blueprint("bank", __name__, url_prefix="/bank")
guard_blueprint(bp, Role.COORDINATOR, Role.ADMIN)


def _load(item_id: str, for_update: bool = False) -> tuple[Item, ItemVersion]:
    """The item and its newest version, if the user may see it (404 otherwise)."""
    found = services.load_item(item_id, for_update)
    if found is None or not policy.can_view(current_user, found[0].owner_id, found[1].status):
        abort(404)
    return found


# ---------------------------------------------------------------- browsing


@bp.get("/")
def index() -> str:
    lang = current_language()
    filters = FilterForm(request.args).with_kinds(lang)
    page = services.browse(
        current_user, filters.to_filters(), request.args.get("page", 1, type=int)
    )
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "bank/index.html",
        filters=filters,
        page=page,
        kind_titles={choice.value: choice.label for choice in kind_choices(lang)},
        status_labels=STATUS_LABELS,
        waiting=services.waiting_for_review(current_user),
        page_url=lambda number: url_for("bank.index", **args, page=number),
        filtered=any(request.args.get(name) for name in ("q", "code", "kind", "status", "owner")),
        export_codes=ALL_CODES,
    )


@bp.get("/items/<item_id>")
def item(item_id: str) -> str:
    item, head = _load(item_id)
    return _render_item(item, head)


def _render_item(item: Item, head: ItemVersion, **forms: Any) -> str:
    kind = kind_of(head.kind)
    return render_template(
        "bank/item.html",
        item=item,
        head=head,
        kind=kind,
        versions=services.history(item),
        owner=services.owner_name(item),
        preview=rendering.preview_html(head.content, kind),
        status_labels=STATUS_LABELS,
        confirm=ConfirmForm(),
        reject_form=forms.get("reject_form") or RejectForm(),
        can_edit=policy.can_edit(current_user, item.owner_id) and not item.is_retired,
        can_review=policy.can_review(current_user, item.owner_id, head.author_id),
    )


# ---------------------------------------------------------------- writing


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response | tuple[str, int]:
    """Choose the code and kind, then write the item in that kind's form."""
    chooser = NewItemForm(request.args).with_kinds(current_language())
    if "kind" not in request.args or not chooser.validate():
        if request.method == "POST":
            abort(400)  # the form of an item is posted only once its code and kind are known
        return render_template("bank/new.html", chooser=chooser)
    return _editor(kind_of(chooser.kind.data), chooser.code.data, None, None)


@bp.route("/items/<item_id>/edit", methods=["GET", "POST"])
def edit(item_id: str) -> str | Response | tuple[str, int]:
    item, head = _load(item_id)
    if not policy.can_edit(current_user, item.owner_id):
        abort(403)
    if item.is_retired:
        flash(_("A retired item is not edited: write a new one instead."), "warning")
        return redirect(url_for("bank.item", item_id=item.id))
    return _editor(kind_of(head.kind), item.code, item, head)


def _editor(
    kind: Kind, code: str, item: Item | None, head: ItemVersion | None
) -> str | Response | tuple[str, int]:
    form = ItemForm()
    if request.method == "GET":
        if head is not None and item is not None:
            values = form_from_entry(
                entry_from_content(
                    item.id, code, kind, head.difficulty, head.scenario, head.content
                ),
                kind,
            )
            form.base_version.data = str(head.version)
        else:
            values = form_from_entry({"difficulty": 2}, kind)
        return _render_editor(form, kind, code, item, values)
    if not form.validate_on_submit():
        abort(400)
    values = request.form.to_dict()
    checked = rendering.check_form(values, kind, item.id if item else f"{code}-000", code)
    if request.form.get("action") != "save" or not checked.ok:
        return _render_editor(form, kind, code, item, values, checked), 200 if checked.ok else 400
    if item is None:
        begin_write(db.session)
        created = services.create_item(current_user, checked.item)
        db.session.commit()
        flash(
            _("%(id)s saved as a draft. Submit it for review when it is ready.", id=created.id),
            "success",
        )
        return redirect(url_for("bank.item", item_id=created.id))
    return _save_version(form, kind, code, item.id, values, checked)


def _save_version(
    form: ItemForm,
    kind: Kind,
    code: str,
    item_id: str,
    values: Mapping[str, str],
    checked: CheckedEntry,
) -> str | Response | tuple[str, int]:
    begin_write(db.session)
    item, head = _load(item_id, for_update=True)
    base = int(form.base_version.data) if (form.base_version.data or "").isdigit() else None
    try:
        version = services.save_version(item, head, current_user, checked.item, base)
    except services.NothingChanged:
        db.session.rollback()
        flash(_("Nothing changed, so no new version was made."), "info")
        return redirect(url_for("bank.item", item_id=item_id))
    except services.StaleEdit:
        db.session.rollback()
        form.base_version.data = str(head.version)
        return _render_editor(form, kind, code, item, values, checked, stale=head.version), 409
    except services.WrongState:
        db.session.rollback()
        flash(_("A retired item is not edited: write a new one instead."), "warning")
        return redirect(url_for("bank.item", item_id=item_id))
    db.session.commit()
    flash(
        _(
            "Version %(n)s saved as a draft; the published version stays in use until this one "
            "is approved.",
            n=version.version,
        ),
        "success",
    )
    return redirect(url_for("bank.item", item_id=item_id))


def _render_editor(
    form: ItemForm,
    kind: Kind,
    code: str,
    item: Item | None,
    values: Mapping[str, str],
    checked: CheckedEntry | None = None,
    stale: int | None = None,
) -> str:
    lang = current_language()
    sources = rendering.sources()
    preview = (
        rendering.preview_html(checked.item.to_content(), kind, checked.style)
        if checked is not None and checked.ok
        else None
    )
    return render_template(
        "bank/edit.html",
        form=form,
        kind=kind,
        code=code,
        item=item,
        values=values,
        layout=layout_for(kind, values),
        field_label=field_label,
        errors=translated_errors(checked.errors) if checked else {},
        problems=checked.count if checked else 0,
        preview=preview,
        stale=stale,
        documents=[(doc, title.get(lang)) for doc, title in sources.titles.items()],
        misconceptions=[
            (tag, label.get(lang) or label.get("zh", tag))
            for tag, label in services.misconception_labels().items()
        ],
    )


@bp.post("/preview")
def preview() -> Response:
    """The live preview: the form as it stands, checked and shown, nothing saved (JSON)."""
    kind_name, code = request.form.get("kind", ""), request.form.get("code", "")
    kind = REGISTRY.get(kind_name)
    if kind is None or not kind.in_item_files or code not in ALL_CODES:
        abort(400)
    checked = rendering.check_form(request.form.to_dict(), kind, f"{code}-000", code)
    return jsonify(
        ok=checked.ok,
        errors=translated_errors(checked.errors),
        count=checked.count,
        summary=_("%(n)s problems: each is shown beside its field.", n=checked.count)
        if checked.count
        else _("No problems found."),
        html=str(rendering.preview_html(checked.item.to_content(), kind, checked.style))
        if checked.ok
        else "",
    )


@bp.route("/import", methods=["GET", "POST"])
def import_file() -> str | Response | tuple[str, int]:
    """A filled-in Excel template (or GIFT, Moodle XML, YAML): every item a new draft of the
    user's bank, or, on any problem, none, with every problem named by row and column."""
    form = ImportForm()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("bank/import.html", form=form, problems=[]), status
    upload = form.upload.data
    rules, _unused = bank_rules(current_app.config["BANK_DIR"], current_app.config["SEEDS_DIR"])
    result = read_upload(upload.filename or "", upload.read(), rules)
    if not result.ok:
        problems = [(problem, translated(problem.message)) for problem in result.errors]
        return render_template("bank/import.html", form=form, problems=problems), 400
    begin_write(db.session)
    created = services.import_items(current_user, result.items, upload.filename or "")
    db.session.commit()
    flash(
        _("%(n)s items imported as drafts: check each, then submit it for review.", n=len(created)),
        "success",
    )
    return redirect(url_for("bank.index", owner="mine", status="draft"))


# ---------------------------------------------------------------- review and retirement


def _act(
    item_id: str,
    allowed: Callable[[Item, ItemVersion], bool],
    action: Callable[[Item, ItemVersion], None],
    done: str,
    refused: str,
) -> Response:
    """A one-button action on an item: permission first (403), then the token, then the
    action in a write transaction; a refusal (wrong state) is said, not raised."""
    item, head = _load(item_id)
    if not allowed(item, head):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    begin_write(db.session)
    item, head = _load(item_id, for_update=True)
    try:
        action(item, head)
    except services.EditorRefused:
        db.session.rollback()
        flash(refused, "warning")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("bank.item", item_id=item_id))


@bp.post("/items/<item_id>/submit")
def submit(item_id: str) -> Response:
    return _act(
        item_id,
        lambda item, head: policy.can_edit(current_user, item.owner_id),
        lambda item, head: review.submit_for_review(item, head, current_user),
        _("Submitted for review: an admin or another coordinator approves it."),
        _("Only a draft can be submitted for review."),
    )


@bp.post("/items/<item_id>/approve")
def approve(item_id: str) -> Response:
    return _act(
        item_id,
        lambda item, head: policy.can_review(current_user, item.owner_id, head.author_id),
        lambda item, head: review.approve(item, head, current_user),
        _("Approved and published: quizzes draw this version from now on."),
        _("This item is not waiting for review."),
    )


@bp.post("/items/<item_id>/retire")
def retire(item_id: str) -> Response:
    return _act(
        item_id,
        lambda item, head: policy.can_edit(current_user, item.owner_id),
        lambda item, head: review.retire(item, current_user),
        _("Retired: no quiz or assignment shows it any more; past attempts keep it."),
        _("This item is already retired."),
    )


@bp.post("/items/<item_id>/reject")
def reject(item_id: str) -> Response | tuple[str, int]:
    item, head = _load(item_id)
    if not policy.can_review(current_user, item.owner_id, head.author_id):
        abort(403)
    form = RejectForm()
    if head.status != VersionStatus.IN_REVIEW or item.is_retired:
        flash(_("This item is not waiting for review."), "warning")
        return redirect(url_for("bank.item", item_id=item_id))
    if not form.validate_on_submit():  # the comment is missing: said beside its field
        return _render_item(item, head, reject_form=form), 400
    begin_write(db.session)
    item, head = _load(item_id, for_update=True)
    try:
        review.reject(item, head, current_user, form.comment.data)
    except services.EditorRefused:
        db.session.rollback()
        flash(_("This item is not waiting for review."), "warning")
    else:
        db.session.commit()
        flash(_("Sent back to its author as a draft, with your comment."), "success")
    return redirect(url_for("bank.item", item_id=item_id))
