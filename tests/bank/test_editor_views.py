"""The question editor over HTTP: every kind written through its form, errors beside their
fields, the preview, versions, review, who may do what, CSRF, escaping and query counts."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from quizapp.auth.roles import Role
from quizapp.bank.editor.entry import entry_from_content, form_from_entry
from quizapp.bank.loader import load_bank
from quizapp.bank.models import Item, ItemVersion
from quizapp.bank.vocabulary import VersionStatus
from quizapp.cohorts.models import Assignment, Cohort
from quizapp.extensions import db
from quizapp.kinds import kind_of
from tests.helpers import TEST_BANK, csrf_token, log_in

BANK = load_bank(TEST_BANK).bank


def form_data(item_id: str, **changes: str) -> dict[str, str]:
    item = next(i for i in BANK.items if i.id == item_id)
    kind = kind_of(item.kind)
    entry = entry_from_content(
        item.id, item.code, kind, item.difficulty, item.scenario, item.to_content()
    )
    return {**form_from_entry(entry, kind), "kind": item.kind, "code": item.code, **changes}


def new_url(item_id: str) -> str:
    item = next(i for i in BANK.items if i.id == item_id)
    return f"/bank/new?code={item.code}&kind={item.kind}"


def post(client, url: str, data: dict[str, str], action: str = "save"):
    token = csrf_token(client, "/bank/new")
    return client.post(url, data={**data, "csrf_token": token, "action": action})


def errors_beside(html: str, group: str) -> str:
    match = re.search(rf'data-errors-for="{group}"[^>]*>(.*?)</div>', html, re.S)
    return match.group(1) if match else ""


@pytest.fixture
def staff(make_user, admin, loaded_bank):
    return {
        "admin": admin,
        "admin2": make_user(Role.ADMIN, "admin2"),
        "coordinator": make_user(Role.COORDINATOR, "coord_a"),
        "other": make_user(Role.COORDINATOR, "coord_b"),
        "cadre": make_user(Role.CADRE, "cadre_a"),
    }


def as_user(app, account):
    client = app.test_client()
    log_in(client, account)
    return client


def head_of(app, item_id: str) -> ItemVersion:
    with app.app_context():
        item = db.session.get(Item, item_id)
        return db.session.scalar(
            select(ItemVersion).where(
                ItemVersion.item_id == item_id, ItemVersion.version == item.head_version
            )
        )


def write_local(app, client, item_id: str = "A1-001", **changes: str) -> str:
    response = post(client, new_url(item_id), form_data(item_id, **changes))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"].rsplit("/", 1)[1]


@pytest.mark.parametrize("item_id", [i.id for i in BANK.items])
def test_a_coordinator_writes_each_kind_through_its_form(app, staff, item_id):
    client = as_user(app, staff["coordinator"])
    assert client.get(new_url(item_id)).status_code == 200
    new_id = write_local(app, client, item_id)
    original = next(i for i in BANK.items if i.id == item_id)
    head = head_of(app, new_id)
    assert new_id.startswith(f"{original.code}-L")
    assert head.status == VersionStatus.DRAFT
    assert {k: v for k, v in head.content.items() if k != "locator"} == {
        k: v for k, v in original.to_content().items() if k != "locator"
    }
    page = client.get(f"/bank/items/{new_id}").get_data(as_text=True)
    kind = kind_of(original.kind)
    for lang in ("zh", "en"):  # the preview, in both languages
        assert escape(kind.display_stem(original.stem.get(lang), lang)) in page


def test_errors_are_shown_beside_their_fields_and_nothing_typed_is_lost(app, staff):
    client = as_user(app, staff["coordinator"])
    client.get("/bank/?lang=en")
    data = form_data(
        "A1-001",
        **{
            "stem-en": "",
            "option-1-explanation-zh": "",
            "locator-anchor": "words the document never has",
        },
    )
    data.pop("key")
    response = post(client, new_url("A1-001"), data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "English" in errors_beside(html, "stem")
    assert errors_beside(html, "option-1") and errors_beside(html, "key")
    assert errors_beside(html, "option-0") == ""
    assert "村民质疑你处事不公" in html  # the Chinese stem is kept in its field
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Item).where(Item.owner_id.is_not(None))
            )
            == 0
        )
    data = form_data("A1-001", **{"locator-anchor": "words the document never has"})
    html = post(client, new_url("A1-001"), data).get_data(as_text=True)
    assert "anchor" in errors_beside(html, "locator")


def test_errors_are_in_chinese_for_a_chinese_reader(app, staff):
    client = as_user(app, staff["coordinator"])
    client.get("/bank/?lang=zh")
    data = form_data("A1-001", **{"stem-en": ""})
    html = post(client, new_url("A1-001"), data).get_data(as_text=True)
    assert "英文" in errors_beside(html, "stem")


def test_the_preview_button_shows_both_languages_and_saves_nothing(app, staff):
    client = as_user(app, staff["coordinator"])
    response = post(client, new_url("A1-001"), form_data("A1-001"), action="preview")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'lang="zh-CN"' in html and "公开办事过程" in html
    assert "Open the process and invite scrutiny" in html
    assert "tag-key" in html  # the key is marked in the preview's review
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Item).where(Item.owner_id.is_not(None))
            )
            == 0
        )


def test_the_live_preview_answers_json(app, staff):
    client = as_user(app, staff["coordinator"])
    token = csrf_token(client, "/bank/new")
    ok = client.post("/bank/preview", data={**form_data("B-001"), "csrf_token": token}).get_json()
    assert ok["ok"] and ok["count"] == 0 and 'lang="en"' in ok["html"]
    bad = client.post(
        "/bank/preview", data={**form_data("B-001", **{"stem-zh": ""}), "csrf_token": token}
    ).get_json()
    assert not bad["ok"] and bad["errors"]["stem"] and bad["html"] == ""
    assert (
        client.post(
            "/bank/preview", data={"csrf_token": token, "kind": "likert", "code": "A1"}
        ).status_code
        == 400
    )
    assert client.post("/bank/preview", data=form_data("B-001")).status_code == 400  # no token


def test_an_edit_adds_a_draft_version_and_the_published_one_stays(app, staff):
    client = as_user(app, staff["admin"])
    page = client.get("/bank/items/A1-001/edit").get_data(as_text=True)
    assert "村民质疑你处事不公" in page and 'name="base_version"' in page
    data = form_data(
        "A1-001", **{"stem-zh": "村民质疑你处事不公，你首先该做什么？", "base_version": "1"}
    )
    response = post(client, "/bank/items/A1-001/edit", data)
    assert response.status_code == 302
    with app.app_context():
        item = db.session.get(Item, "A1-001")
        assert (item.current_version, item.head_version) == (1, 2)
    response = post(client, "/bank/items/A1-001/edit", {**data, "base_version": "2"})
    assert response.status_code == 302  # nothing changed: no version 3
    assert head_of(app, "A1-001").version == 2
    stale = post(
        client, "/bank/items/A1-001/edit", {**data, "stem-zh": "又改了", "base_version": "1"}
    )
    assert stale.status_code == 409 and "又改了" in stale.get_data(as_text=True)


def test_the_review_goes_draft_in_review_published_and_back(app, staff):
    author = as_user(app, staff["coordinator"])
    item_id = write_local(app, author)
    reviewer = as_user(app, staff["other"])
    assert reviewer.get(f"/bank/items/{item_id}").status_code == 404  # another's draft
    assert post(author, f"/bank/items/{item_id}/submit", {}).status_code == 302
    assert post(author, f"/bank/items/{item_id}/approve", {}).status_code == 403  # the author
    assert reviewer.get(f"/bank/items/{item_id}").status_code == 200  # in review: visible
    assert post(reviewer, f"/bank/items/{item_id}/edit", form_data("A1-001")).status_code == 403
    assert post(reviewer, f"/bank/items/{item_id}/reject", {"comment": ""}).status_code == 400
    assert (
        post(reviewer, f"/bank/items/{item_id}/reject", {"comment": "解析<b>太短</b>"}).status_code
        == 302
    )
    page = author.get(f"/bank/items/{item_id}").get_data(as_text=True)
    assert "解析&lt;b&gt;太短&lt;/b&gt;" in page
    assert head_of(app, item_id).status == VersionStatus.DRAFT
    post(author, f"/bank/items/{item_id}/submit", {})
    assert post(reviewer, f"/bank/items/{item_id}/approve", {}).status_code == 302
    assert head_of(app, item_id).status == VersionStatus.PUBLISHED
    assert post(author, f"/bank/items/{item_id}/retire", {}).status_code == 302
    with app.app_context():
        assert db.session.get(Item, item_id).is_retired
    assert author.get(f"/bank/items/{item_id}/edit").status_code == 302  # retired: not edited


def test_a_coordinator_cannot_edit_another_coordinators_local_item(app, staff):
    item_id = write_local(app, as_user(app, staff["coordinator"]))
    other = as_user(app, staff["other"])
    assert other.get(f"/bank/items/{item_id}/edit").status_code == 404  # not even seen
    admin = as_user(app, staff["admin"])
    assert admin.get(f"/bank/items/{item_id}/edit").status_code == 200  # admins edit all
    coordinator = as_user(app, staff["coordinator"])
    assert coordinator.get("/bank/items/A1-001/edit").status_code == 403  # the shared bank
    assert coordinator.get("/bank/items/A1-001").status_code == 200


def test_cadres_are_refused_and_forms_need_their_token(app, staff):
    cadre = as_user(app, staff["cadre"])
    assert cadre.get("/bank/").status_code == 403
    assert cadre.get("/bank/new?code=A1&kind=single").status_code == 403
    coordinator = as_user(app, staff["coordinator"])
    response = coordinator.post(new_url("A1-001"), data={**form_data("A1-001"), "action": "save"})
    assert response.status_code == 400


def test_text_is_escaped_everywhere_it_is_shown(app, staff):
    client = as_user(app, staff["coordinator"])
    item_id = write_local(app, client, **{"stem-zh": "<script>alert(1)</script>村里怎么办？"})
    for url in ("/bank/", f"/bank/items/{item_id}", f"/bank/items/{item_id}/edit"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html, url


def test_the_browse_list_filters_and_pages_in_constant_queries(app, staff, count_queries):
    client = as_user(app, staff["coordinator"])
    for _ in range(3):
        write_local(app, client)
    html = client.get("/bank/?owner=mine&q=村民").get_data(as_text=True)
    assert html.count('class="card"') >= 3 and "A1-L0003" in html
    few = count_queries(lambda: client.get("/bank/"))
    for _ in range(22):
        write_local(app, client, "B-002")
    many = count_queries(lambda: client.get("/bank/"))
    assert few == many
    second = client.get("/bank/?owner=mine&page=2").get_data(as_text=True)
    assert "A1-L0001" in second  # oldest last: the third of 25 on page 2
    assert client.get("/bank/?page=99&code=ZZ").status_code == 200  # bad values: no error


def test_a_coordinator_assigns_his_published_local_item_to_his_cohort(app, staff):
    author = as_user(app, staff["coordinator"])
    item_id = write_local(app, author)
    post(author, f"/bank/items/{item_id}/submit", {})
    post(as_user(app, staff["other"]), f"/bank/items/{item_id}/approve", {})
    token = csrf_token(author, "/cohorts/new")
    author.post("/cohorts/new", data={"csrf_token": token, "name": "县一班"})
    with app.app_context():
        cohort_id = db.session.scalar(select(Cohort.id))
    page = author.get(f"/cohorts/{cohort_id}/assignments/new").get_data(as_text=True)
    assert item_id in page
    token = csrf_token(author, f"/cohorts/{cohort_id}/assignments/new")
    response = author.post(
        f"/cohorts/{cohort_id}/assignments/new",
        data={
            "csrf_token": token,
            "quiz_id": "ability-a1",
            "local_items": [item_id],
            "max_attempts": "1",
            "grading_method": "highest",
            "mode": "test",
            "show_answers": "after_submit",
            "show_keys": "after_submit",
            "show_explanations": "after_submit",
            "overdue_action": "autosubmit",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with app.app_context():
        assert db.session.scalar(select(Assignment.local_items)) == [item_id]
    other_cohort_page = as_user(app, staff["other"])
    token = csrf_token(other_cohort_page, "/cohorts/new")
    other_cohort_page.post("/cohorts/new", data={"csrf_token": token, "name": "县二班"})
    with app.app_context():
        other_id = db.session.scalar(select(Cohort.id).where(Cohort.name == "县二班"))
    page = other_cohort_page.get(f"/cohorts/{other_id}/assignments/new").get_data(as_text=True)
    assert item_id not in page
