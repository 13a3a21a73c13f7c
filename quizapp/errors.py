"""Error pages: HTML for browsers, JSON for clients that ask for it."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from .extensions import db


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.is_json or best == "application/json"


def error_message(code: int) -> str:
    messages = {
        400: _("The request could not be understood. Please check what you entered."),
        403: _("You do not have permission to open this page."),
        404: _("This page does not exist, or you may not see it."),
        405: _("This action is not allowed here."),
        413: _("The upload is too large."),
        429: _("Too many requests. Please wait a moment and try again."),
        500: _("Something went wrong on our side. Your saved answers are safe; please try again."),
    }
    return messages.get(code, _("Something went wrong."))


def render_error(code: int, message: str | None = None) -> tuple[Response | str, int]:
    message = message or error_message(code)
    if wants_json():
        return jsonify({"error": message, "status": code}), code
    return render_template("error.html", code=code, message=message), code


# How long a client should wait before trying again when the database is away.
RETRY_AFTER_SECONDS = 5


def database_unavailable(error: Exception) -> tuple[Response | str, int] | Response:
    """The database restarting, locked, read-only or full: nothing of this request was
    written (its transaction is rolled back), and the client is told to retry. The page's
    autosave keeps unsent answers and retries by itself."""
    current_app.logger.warning("database unavailable: %s", error)
    try:
        db.session.rollback()
    except SQLAlchemyError:  # the connection is gone; the pool replaces it (pre-ping)
        db.session.close()
    body, code = render_error(503, _("The database is not answering right now. Nothing was "
                                     "lost; please try again in a moment."))
    response = make_response(body, code)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(InterfaceError, database_unavailable)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[Response | str, int]:
        return render_error(400, _("The form has expired or is invalid. "
                                   "Please reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response | str, int]:
        # Unhandled exceptions reach here as InternalServerError outside of testing.
        return render_error(error.code or 500)
