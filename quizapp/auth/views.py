"""Log-in, log-out and the first-run set-up of the admin account."""

from __future__ import annotations

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
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from ..extensions import csrf, db, limiter, login_manager
from ..security import Role
from . import services
from .forms import LoginForm, SetupForm
from .models import User

bp = Blueprint("auth", __name__)

# Endpoints reachable before the first admin exists.
SETUP_EXEMPT_ENDPOINTS = frozenset({"auth.setup", "core.healthz", "static"})
ADMIN_EXISTS_KEY = "quizapp.admin_exists"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    # A deactivated account loses its open sessions at the next request.
    return user if user is not None and user.is_active else None


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
    if not target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/")


def username_key() -> str:
    """Rate-limit key: the username being tried, whichever address it comes from."""
    return "login-user:" + services.normalise_username(request.form.get("username", ""))[:64]


def start_session(user: User, remember: bool = False) -> None:
    """Log in with a fresh session (no data carried over from before, but the language)."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    login_user(user, remember=remember)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_USERNAME"], methods=["POST"],
               key_func=username_key)
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is not None:
            db.session.commit()
            start_session(user, remember=form.remember.data)
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("core.home"))
        # One message whatever went wrong, so the form does not reveal which usernames exist.
        form.password.errors.append(_("Wrong username or password, or the account is disabled."))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


@bp.post("/logout")
@login_required
def logout() -> Response:
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
            db.session.commit()
            current_app.extensions[ADMIN_EXISTS_KEY] = True
            start_session(user)
            flash(_("The admin account is ready. Next, create accounts for cadres."), "success")
            return redirect(url_for("admin.users"))
    return render_template("auth/setup.html", form=form), 200 if not form.errors else 400
