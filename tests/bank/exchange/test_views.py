"""The XLSX template download: coordinators and admins get a workbook that imports."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from quizapp.auth.roles import Role
from quizapp.bank.exchange.xlsx_layout import COLUMNS, ITEMS_SHEET
from tests.helpers import log_in


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
