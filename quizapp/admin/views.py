"""Admin pages: manage user accounts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..audit.models import AuditAction
from ..audit.services import record
from ..auth import services as accounts
from ..auth.models import User
from ..auth.roles import Role
from ..core.health import redis_health
from ..db import begin_write
from ..extensions import db
from ..quizzes.regrade import UnknownItem, regrade_item
from ..security import guard_blueprint
from .forms import ROLE_LABELS, DeactivateForm, RegradeForm, UserCreateForm, UserEditForm
from .services import recent_events

bp = Blueprint("admin", __name__, url_prefix="/admin")
guard_blueprint(bp, Role.ADMIN)


def _load_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/users")
def users() -> str:
    return render_template("admin/users.html", users=accounts.list_users(),
                           deactivate_form=DeactivateForm(), role_labels=ROLE_LABELS,
                           redis_down=redis_health() == "error")


@bp.route("/users/new", methods=["GET", "POST"])
def create_user() -> str | Response | tuple[str, int]:
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(form.username.data, form.display_name.data,
                                        form.password.data, Role(form.role.data))
        except accounts.UsernameTaken:
            form.username.errors.append(_("This username is already taken."))
        else:
            record(AuditAction.USER_CREATED, current_user.id, user.username,
                   {"role": str(user.role)}, request.remote_addr)
            db.session.commit()
            flash(_("Account %(name)s created.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None), (
        400 if form.errors else 200)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def edit_user(user_id: int) -> str | Response | tuple[str, int]:
    user = _load_user(user_id)
    form = UserEditForm(obj=user, existing_username=user.username)
    if form.validate_on_submit():
        changes = accounts.UserChanges(
            display_name=form.display_name.data, role=Role(form.role.data),
            is_active=form.is_active.data, new_password=form.new_password.data or None,
        )
        before = {"role": str(user.role), "active": user.is_active}
        try:
            accounts.update_user(user, changes)
        except accounts.LastAdmin:
            form.role.errors.append(_("The platform must keep at least one active admin."))
        else:
            after = {"role": str(user.role), "active": user.is_active}
            record(AuditAction.USER_CHANGED, current_user.id, user.username,
                   {"before": before, "after": after,
                    "password_reset": bool(changes.new_password)}, request.remote_addr)
            db.session.commit()
            flash(_("Account %(name)s saved.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user), (
        400 if form.errors else 200)


@bp.post("/users/<int:user_id>/deactivate")
def deactivate_user(user_id: int) -> Response:
    user = _load_user(user_id)
    if not DeactivateForm().validate_on_submit():
        abort(400)
    try:
        accounts.update_user(user, accounts.UserChanges(user.display_name, user.role, False))
    except accounts.LastAdmin:
        flash(_("The platform must keep at least one active admin."), "danger")
    else:
        record(AuditAction.USER_DEACTIVATED, current_user.id, user.username,
               address=request.remote_addr)
        db.session.commit()
        flash(_("Account %(name)s deactivated; its sessions have ended.", name=user.username),
              "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/end-sessions")
def end_sessions(user_id: int) -> Response:
    """Log an account out everywhere, including its remember-me cookies."""
    user = _load_user(user_id)
    if not DeactivateForm().validate_on_submit():
        abort(400)
    user.end_all_sessions()
    record(AuditAction.SESSIONS_ENDED, current_user.id, user.username,
           address=request.remote_addr)
    db.session.commit()
    flash(_("Every session of %(name)s has ended.", name=user.username), "success")
    return redirect(url_for("admin.users"))


@bp.get("/audit")
def audit() -> str:
    """Failed log-ins apart from everything else, so a burst of them hides nothing."""
    failures = request.args.get("show") == "failed-logins"
    events = recent_events(action=AuditAction.LOGIN_FAILED) if failures \
        else recent_events(leave_out=AuditAction.LOGIN_FAILED)
    return render_template("admin/audit.html", events=events, failures=failures)


@bp.route("/regrade", methods=["GET", "POST"])
def regrade() -> str | tuple[str, int]:
    """After a key correction: preview, then apply, the rescoring of affected attempts."""
    form = RegradeForm()
    changes, applied = None, False
    if form.validate_on_submit():
        begin_write(db.session)
        applied = bool(form.apply.data)
        try:
            item_id = form.item_id.data.strip().upper()
            changes = regrade_item(item_id, dry_run=not applied)
        except UnknownItem:
            form.item_id.errors.append(_("No item has this id."))
            db.session.rollback()
        else:
            if applied:
                record(AuditAction.REGRADED, current_user.id, item_id,
                       {"attempts": [c.attempt_id for c in changes]}, request.remote_addr)
                db.session.commit()
                flash(_("%(n)d attempt(s) regraded.", n=len(changes)), "success")
            else:
                db.session.rollback()
    return render_template("admin/regrade.html", form=form, changes=changes,
                           applied=applied), 400 if form.errors else 200
