"""The XLSX question template, and a bank's published items as a file (XLSX, GIFT, Moodle
XML, YAML), for coordinators and admins."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request
from flask_login import current_user
from werkzeug.wrappers import Response

from ..audit.models import AuditAction
from ..audit.services import record
from ..auth.roles import Role
from ..extensions import db
from ..security import guard_blueprint
from .exchange import FORMATS, export_items, xlsx_template
from .exchange_services import bank_rules, published_items
from .vocabulary import ALL_CODES

bp = Blueprint("bank_exchange", __name__, url_prefix="/bank")
guard_blueprint(bp, Role.COORDINATOR, Role.ADMIN)

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What each format's file is called and served as (all are downloads, never shown inline).
FILES = {
    "xlsx": ("xlsx", XLSX_MIMETYPE),
    "gift": ("gift.txt", "text/plain; charset=utf-8"),
    "moodle-xml": ("xml", "application/xml"),
    "yaml": ("yaml", "text/plain; charset=utf-8"),
}


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    return response


@bp.get("/template.xlsx")
def template() -> Response:
    """The empty template: header row, drop-down lists and instructions in both languages."""
    rules, _ = bank_rules(current_app.config["BANK_DIR"], None)
    return _download(xlsx_template(rules), "question-template.xlsx", XLSX_MIMETYPE)


@bp.get("/export")
def export() -> Response:
    """A bank's published items in a format: an admin's is the shared bank (or his own local
    one with bank=mine), a coordinator's is his local bank. Items the format cannot express
    are left out and counted in X-Skipped-Items (docs/exchange.md says which)."""
    format_name = request.args.get("format", "xlsx")
    code = request.args.get("code") or None
    if format_name not in FORMATS or (code and code not in ALL_CODES):
        abort(400, description="unknown format or code")
    shared = current_user.is_admin and request.args.get("bank") != "mine"
    items = published_items(code, owner_id=None if shared else current_user.id)
    rules, _ = bank_rules(current_app.config["BANK_DIR"], None)
    result = export_items(items, format_name, rules)
    record(AuditAction.EXPORTED, current_user.id, "shared" if shared else "local",
           {"format": format_name, "code": code, "items": len(result.written),
            "skipped": [s.item_id for s in result.skipped]}, request.remote_addr)
    db.session.commit()
    suffix, mimetype = FILES[format_name]
    name = f"questions-{'shared' if shared else 'local'}{'-' + code if code else ''}.{suffix}"
    response = _download(result.data, name, mimetype)
    response.headers["X-Skipped-Items"] = str(len(result.skipped))
    return response
