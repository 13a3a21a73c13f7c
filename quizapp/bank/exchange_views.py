"""The XLSX question template, for coordinators and admins to fill in and import."""

from __future__ import annotations

from flask import Blueprint, current_app
from werkzeug.wrappers import Response

from ..auth.roles import Role
from ..security import guard_blueprint
from .exchange import xlsx_template
from .exchange_services import bank_rules

bp = Blueprint("bank_exchange", __name__, url_prefix="/bank")
guard_blueprint(bp, Role.COORDINATOR, Role.ADMIN)

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/template.xlsx")
def template() -> Response:
    """The empty template: header row, drop-down lists and instructions in both languages."""
    rules, _ = bank_rules(current_app.config["BANK_DIR"], None)
    response = Response(xlsx_template(rules), mimetype=XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = "attachment; filename=question-template.xlsx"
    return response
