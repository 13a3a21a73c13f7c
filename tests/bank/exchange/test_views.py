"""The XLSX template and a bank's export: coordinators and admins get files that import."""

from __future__ import annotations

import io
from dataclasses import replace

from openpyxl import load_workbook

from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.bank.editor import review, services
from quizapp.bank.exchange.xlsx_layout import COLUMNS, ITEMS_SHEET
from quizapp.bank.loader import load_bank
from quizapp.bank.schema import Text
from quizapp.extensions import db
from tests.helpers import TEST_BANK, log_in


def test_a_coordinator_downloads_the_template(client, make_user, admin):
    log_in(client, make_user(Role.COORDINATOR, "coordinator"))
    response = client.get("/bank/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert response.headers["Content-Disposition"] == "attachment; filename=question-template.xlsx"
    sheet = load_workbook(io.BytesIO(response.data))[ITEMS_SHEET]
    assert [cell.value for cell in sheet[1]] == [column.header for column in COLUMNS]


def test_cadres_and_visitors_do_not(client, make_user, admin):
    assert client.get("/bank/template.xlsx").status_code == 302  # to the log-in page
    log_in(client, make_user(Role.CADRE, "cadre"))
    assert client.get("/bank/template.xlsx").status_code == 403


def test_the_question_editor_links_to_the_template(client, make_user, admin):
    log_in(client, make_user(Role.COORDINATOR, "coordinator"))
    page = client.get("/bank/?lang=zh").get_data(as_text=True)
    assert 'href="/bank/template.xlsx" download>下载 Excel 导入模板</a>' in page


def _local_published_item(app, coordinator_id: int, reviewer_id: int) -> str:
    """A coordinator's own item, written, submitted and approved by a second coordinator."""
    source = next(i for i in load_bank(TEST_BANK).bank.items if i.kind == "single")
    with app.app_context():
        author, reviewer = db.session.get(User, coordinator_id), db.session.get(User, reviewer_id)
        item = services.create_item(author, replace(source, stem=Text("县里的新政策怎么讲？",
                                                                       "The county's policy?")))
        item, head = services.load_item(item.id)
        review.submit_for_review(item, head, author)
        review.approve(item, head, reviewer)
        db.session.commit()
        return item.id


def test_a_coordinator_exports_his_published_local_items_only(app, client, make_user, admin,
                                                              loaded_bank):
    coordinator = make_user(Role.COORDINATOR, "coordinator")
    local_id = _local_published_item(app, coordinator.id, make_user(Role.COORDINATOR, "second").id)
    log_in(client, coordinator)
    response = client.get("/bank/export?format=yaml")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=questions-local.yaml"
    text = response.get_data(as_text=True)
    assert local_id in text and "县里的新政策怎么讲" in text
    assert "A1-001" not in text  # the shared bank is not his to export
    assert response.headers["X-Skipped-Items"] == "0"


def test_an_admin_exports_the_shared_bank_to_moodle_without_judgement_items(app, client, admin,
                                                                            loaded_bank):
    log_in(client, admin)
    response = client.get("/bank/export?format=moodle-xml&code=B")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert response.headers["Content-Disposition"].endswith("questions-shared-B.xml")
    # B-002 (ordering) goes to Moodle's ordering type; B-003 (judgement) has no place there
    assert b"<quiz>" in response.data and b"B-001" in response.data and b"B-002" in response.data
    assert b"B-003" not in response.data and response.headers["X-Skipped-Items"] == "1"
    gift = client.get("/bank/export?format=gift&code=B")
    assert b"B-002" not in gift.data and gift.headers["X-Skipped-Items"] == "2"


def test_a_bad_format_or_code_is_refused_and_cadres_cannot_export(app, client, make_user, admin):
    log_in(client, admin)
    assert client.get("/bank/export?format=pdf").status_code == 400
    assert client.get("/bank/export?format=gift&code=Z9").status_code == 400
    cadre_client = app.test_client()
    log_in(cadre_client, make_user(Role.CADRE, "cadre"))
    assert cadre_client.get("/bank/export?format=gift").status_code == 403
