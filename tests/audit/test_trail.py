"""The audit trail records who did what, and admins can read it."""

from sqlalchemy import select

from quizapp.audit.models import AuditAction, AuditEvent
from quizapp.audit.services import record
from quizapp.auth.roles import Role
from quizapp.extensions import db
from tests.helpers import PASSWORD, TEST_BANK, csrf_token, log_in


def events(app):
    with app.app_context():
        return [(e.action, e.target, e.actor_id) for e in
                db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_logins_failures_accounts_bank_loads_and_regrades_are_recorded(app, client, admin,
                                                                         runner):
    token = csrf_token(client)
    client.post("/login", data={"csrf_token": token, "username": "admin", "password": "nope"})
    log_in(client, admin)
    token = csrf_token(client, "/admin/users/new")
    client.post("/admin/users/new", data={"csrf_token": token, "username": "zhou_min",
                                          "display_name": "周敏", "role": "cadre",
                                          "password": PASSWORD, "confirm": PASSWORD})
    runner.invoke(args=["bank", "load", str(TEST_BANK)])
    runner.invoke(args=["attempts", "regrade", "--item", "A1-001"])
    recorded = events(app)
    assert (AuditAction.LOGIN_FAILED, "admin", None) in recorded
    assert (AuditAction.LOGIN, "admin", admin.id) in recorded
    assert (AuditAction.USER_CREATED, "zhou_min", admin.id) in recorded
    assert any(a == AuditAction.BANK_LOADED for a, _, _ in recorded)
    assert (AuditAction.REGRADED, "A1-001", None) in recorded
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "login_failed" not in page and "zhou_min" in page  # failures apart
    failures = client.get("/admin/audit?show=failed-logins").get_data(as_text=True)
    assert "login_failed" in failures and "zhou_min" not in failures


def test_a_burst_of_failed_logins_does_not_hide_other_events(app, client, admin):
    log_in(client, admin)
    with app.app_context():
        record(AuditAction.EXPORTED, admin.id, "cohort 1")
        for n in range(250):
            record(AuditAction.LOGIN_FAILED, None, f"guess{n}")
        db.session.commit()
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "exported" in page and "guess" not in page


def test_role_change_and_deactivation_record_before_and_after(app, client, admin, make_user):
    account = make_user(Role.CADRE, "wu_gang")
    log_in(client, admin)
    token = csrf_token(client, f"/admin/users/{account.id}/edit")
    client.post(f"/admin/users/{account.id}/edit", data={
        "csrf_token": token, "display_name": "吴刚", "role": "coordinator", "is_active": "y"})
    client.post(f"/admin/users/{account.id}/deactivate", data={"csrf_token": token})
    with app.app_context():
        changed = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == AuditAction.USER_CHANGED))
        assert changed.detail["before"]["role"] == "cadre"
        assert changed.detail["after"]["role"] == "coordinator"
    assert (AuditAction.USER_DEACTIVATED, "wu_gang", admin.id) in events(app)
