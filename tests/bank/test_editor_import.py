"""Importing a filled-in Excel template from the editor: every row a new draft of the user's
bank, or nothing at all with every problem named by row and column."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from quizapp.audit.models import AuditAction, AuditEvent
from quizapp.auth.roles import Role
from quizapp.bank.models import Item, ItemVersion
from quizapp.bank.vocabulary import VersionStatus
from quizapp.extensions import db
from tests.helpers import csrf_token, filled_template, log_in

ROW = {
    "编号": "A1-101",
    "题型": "单选题",
    "题干": "县里的新规要求宅基地先公示，老周想直接盖房，你怎么办？",
    "Stem (EN)": "A new county rule asks for a notice before building; Old Zhou won't wait.",
    "选项A": "讲清公示的用意，帮他备齐材料",
    "Option A (EN)": "Explain the notice and help with the papers",
    "选项A解析": "依规办事又替他着想。",
    "Option A explanation (EN)": "Lawful and on his side.",
    "选项B": "让他先盖，手续以后补",
    "Option B (EN)": "Let him build and file later",
    "选项B解析": "许诺政策给不了的。",
    "Option B explanation (EN)": "A promise the rules cannot keep.",
    "误区B": "false_promise",
    "答案": "A",
    "难度": 2,
    "知识点": "A1",
    "情境题": "是",
    "出处文件": "000_1701b1266fabe569.txt",
    "出处原文": "set an example",
}
SECOND = {
    **ROW,
    "编号": "A1-102",
    "题干": "老周说公示太麻烦，你先说什么？",
    "Stem (EN)": "Old Zhou says the notice is a bother. What do you say first?",
}


@pytest.fixture
def coordinator(make_user, admin, loaded_bank):
    return make_user(Role.COORDINATOR, "coord_a")


def upload(client, data: bytes, filename: str = "items.xlsx"):
    token = csrf_token(client, "/bank/import")
    return client.post(
        "/bank/import",
        data={"csrf_token": token, "upload": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def local_items(app) -> list[tuple[str, VersionStatus, int | None]]:
    with app.app_context():
        return [
            (item.id, version.status, item.owner_id)
            for item, version in db.session.execute(
                select(Item, ItemVersion)
                .join(ItemVersion, ItemVersion.item_id == Item.id)
                .where(Item.owner_id.is_not(None))
                .order_by(Item.id)
            )
        ]


def test_every_row_becomes_a_draft_of_the_coordinators_local_bank(app, client, coordinator):
    log_in(client, coordinator)
    page = client.get("/bank/import").get_data(as_text=True)
    assert "/bank/template.xlsx" in page
    response = upload(client, filled_template([ROW, SECOND]))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert local_items(app) == [
        ("A1-L0001", VersionStatus.DRAFT, coordinator.id),
        ("A1-L0002", VersionStatus.DRAFT, coordinator.id),
    ]
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == AuditAction.ITEMS_IMPORTED)
        )
        assert event.actor_id == coordinator.id
        assert event.detail["items"] == ["A1-L0001", "A1-L0002"]
    assert "A1-L0002" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_file_with_any_problem_imports_nothing_and_names_row_and_column(app, client, coordinator):
    log_in(client, coordinator)
    response = upload(client, filled_template([ROW, {**SECOND, "答案": "Z", "Stem (EN)": ""}]))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "row 3, column L (答案)" in html and "row 3, column" in html
    assert "题干：缺少英文。" in html  # the checker's message, in the reader's language
    assert local_items(app) == []


def test_a_file_it_cannot_read_is_refused_with_a_message(app, client, coordinator):
    log_in(client, coordinator)
    assert upload(client, b"%PDF-1.4", "notes.pdf").status_code == 400
    response = upload(client, b"not a workbook", "items.xlsx")
    assert response.status_code == 400 and "flash-danger" in response.get_data(as_text=True)
    assert local_items(app) == []
