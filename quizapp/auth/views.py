"""Log-in, log-out and the first-run set-up of the admin account."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import (
    current_user,
    login_required,
    login_user,
    logout_user,
    user_loaded_from_cookie,
)
from werkzeug.wrappers import Response

from ..audit.models import AuditAction
from ..audit.services import record
from ..auth.roles import Role
from ..db import utcnow
from ..extensions import csrf, db, limiter, login_manager
from . import services, sessions
from .forms import ChangePasswordForm, LoginForm, SetupForm
from .models import User

bp = Blueprint("auth", __name__)

# Endpoints reachable before the first admin exists.
SETUP_EXEMPT_ENDPOINTS = frozenset({"auth.setup", "core.healthz", "static"})
ADMIN_EXISTS_KEY = "quizapp.admin_exists"


def lifetimes() -> sessions.Lifetimes:
    config = current_app.config
    return sessions.Lifetimes(
        idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
        absolute=timedelta(hours=config["SESSION_ABSOLUTE_HOURS"]),
        remembered_idle=timedelta(days=config["REMEMBERED_IDLE_DAYS"]),
        remembered_absolute=timedelta(days=config["REMEMBERED_ABSOLUTE_DAYS"]))


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    # A deactivated account, one whose sessions were ended (password change), a log-in that
    # was logged out or has expired: each is logged out at its next request, remember-me
    # cookies included (they carry the same id).
    return sessions.live_user(session_id, utcnow(), lifetimes())


@user_loaded_from_cookie.connect
def rotate_remembered_login(sender: object, user: User) -> None:
    """A remember-me cookie is good for one use: the restored log-in gets a new key and the
    browser a new cookie."""
    if sessions.rotate_login(user, utcnow()) is not None:
        db.session.commit()
        session["_user_id"] = user.get_id()
        session["_remember"] = "set"


def admin_exists() -> bool:
    """Cached once true: an installation never goes back to having no admin."""
    if not current_app.extensions.get(ADMIN_EXISTS_KEY):
        current_app.extensions[ADMIN_EXISTS_KEY] = services.active_admin_exists()
    return current_app.extensions[ADMIN_EXISTS_KEY]


@bp.before_app_request
def redirect_to_setup_until_admin_exists() -> Response | None:
    if request.endpoint in SETUP_EXEMPT_ENDPOINTS or admin_exists():
        return None
    return redirect(url_for("auth.setup"))


def is_safe_next(target: str | None) -> bool:
    """A path on this site, with no control characters (CR/LF would split the header)."""
    if not target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/") \
        and not target.startswith("//")


def username_key() -> str:
    """Rate-limit key: the username being tried from this address (a stranger elsewhere
    failing on purpose does not lock the cadre out)."""
    username = services.normalise_username(request.form.get("username", ""))[:64]
    return f"login-user:{username}:{request.remote_addr}"


def account_key() -> str:
    return f"password-check:{current_user.get_id()}"


def was_refused(response: Response) -> bool:
    """Only failed password checks count towards the per-user limits (a form with errors
    answers 400; a success redirects)."""
    return response.status_code == 400


def start_session(user: User, remember: bool = False) -> None:
    """Log in with a fresh session (no data carried over from before, but the language) and a
    new server-side log-in; the caller commits."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    sessions.open_login(user, remember, utcnow())
    login_user(user, remember=remember)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_USERNAME"], methods=["POST"],
               key_func=username_key, deduct_when=was_refused)
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is not None:
            record(AuditAction.LOGIN, user.id, user.username, address=request.remote_addr)
            start_session(user, remember=form.remember.data)
            db.session.commit()
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("core.home"))
        # One message whatever went wrong, so the form does not reveal which usernames exist.
        form.password.errors.append(_("Wrong username or password, or the account is disabled."))
        record(AuditAction.LOGIN_FAILED, None, services.normalise_username(form.username.data),
               address=request.remote_addr)
        db.session.commit()
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


@bp.post("/logout")
@login_required
def logout() -> Response:
    record(AuditAction.LOGOUT, current_user.id, current_user.username,
           address=request.remote_addr)
    sessions.end_login(current_user.login_key, utcnow())  # a copied cookie dies with it
    db.session.commit()
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/setup", methods=["GET", "POST"])
@csrf.exempt  # SetupForm checks the token itself, after the 404 for an installed platform
def setup() -> str | Response:
    if admin_exists():
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                form.username.data, form.display_name.data, form.password.data, Role.ADMIN
            )
        except services.UsernameTaken:
            form.username.errors.append(_("This username is already taken."))
        else:
            record(AuditAction.USER_CREATED, user.id, user.username,
                   {"role": str(user.role), "via": "setup"}, request.remote_addr)
            start_session(user)
            db.session.commit()
            current_app.extensions[ADMIN_EXISTS_KEY] = True
            flash(_("The admin account is ready. Next, create accounts for cadres."), "success")
            return redirect(url_for("admin.users"))
    return render_template("auth/setup.html", form=form), 200 if not form.errors else 400


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["REAUTH_LIMIT"], methods=["POST"],
               key_func=account_key, deduct_when=was_refused)
def change_password() -> str | Response | tuple[str, int]:
    """Change one's own password; every other session and remember-me cookie ends."""
    form = ChangePasswordForm(existing_username=current_user.username)
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.password.data)
        except services.WrongPassword:
            form.current.errors.append(_("The current password is not right."))
        else:
            record(AuditAction.PASSWORD_CHANGED, current_user.id, current_user.username,
                   address=request.remote_addr)
            user = current_user._get_current_object()
            sessions.end_every_login(user, utcnow())
            start_session(user)  # this session goes on, as a new log-in
            db.session.commit()
            flash(_("Password changed. Every other session has been logged out."), "success")
            return redirect(url_for("core.home"))
    return render_template("auth/password.html", form=form), 400 if form.errors else 200
