"""A kind's partial rendered once per shown form and filled per answer (quizapp.kind_parts):
the filled skeleton is the page a fresh render gives, for every kind of the test bank, both
languages, both pages, with and without answers; answers and bank text stay escaped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from types import SimpleNamespace

import pytest
from flask import Flask
from sqlalchemy import select

from quizapp import kind_parts
from quizapp.bank.models import ItemVersion
from quizapp.extensions import db
from quizapp.kinds import AnswerShape, Kind, Shown, kind_of
from quizapp.kinds.base import localized
from quizapp.quizzes.review import ShownItem, ShownOption
from tests.helpers import attempt_rows, log_in, start_quiz

pytestmark = pytest.mark.usefixtures("loaded_bank")

SCRIPT = "<script>alert(1)</script>"


def page_answer(kind: Kind, shown: Shown, text: str = "右") -> list[str]:
    """An answer as the page would send it: a choice, a value per option, typed parts."""
    order = shown.option_order
    if kind.shape == AnswerShape.ONE:
        return [order[-1]]
    if kind.shape == AnswerShape.MANY:
        return list(order[:2])
    if kind.shape == AnswerShape.PAIRS:
        values = kind.values(shown)  # type: ignore[attr-defined]
        return [f"{oid}={values[n % len(values)]}" for n, oid in enumerate(order[:-1])]
    return [f"{n}={text}" for n in range(1, kind.parts(shown) + 1)]  # type: ignore[attr-defined]


def shown_item(version: ItemVersion, lang: str, response: Sequence[str], reveal: bool,
               seed: int = 3, row_id: int = 7, options: dict[str, str] | None = None
               ) -> ShownItem:
    """The item as an attempt's page shows it (`reveal`: keys and explanations too)."""
    kind, content = kind_of(version.kind), version.content
    order = tuple(kind.option_order([o["id"] for o in content["options"]], seed, 2))
    shown = Shown(content, order, seed, 2)
    stored = tuple(kind.clean(shown, response) or ()) if response else ()
    by_id = {o["id"]: o for o in content["options"]}
    chosen = set(kind.chosen_options(stored))
    return ShownItem(
        attempt_item_id=row_id, position=2, item_id=version.item_id, code="A1",
        kind=kind.name, stem="", response=stored, score=None, max_score=1.0, locator={},
        options=tuple(ShownOption(
            id=oid, label=kind.option_label(n, oid),
            text=(options or {}).get(oid) or localized(by_id[oid]["text"], lang),
            explanation=localized(by_id[oid]["explanation"], lang) if reveal else "",
            is_key=reveal and oid in content["key"], is_chosen=oid in chosen,
            misconception=None) for n, oid in enumerate(order)),
        view=kind.view(shown, stored, lang, reveal, reveal), shape=kind.shape)


def versions(app: Flask) -> list[ItemVersion]:
    with app.app_context():
        found = list(db.session.scalars(select(ItemVersion).order_by(ItemVersion.id)))
        for version in found:
            _ = version.content
        db.session.expunge_all()
    return found


def test_every_kind_fills_its_skeleton_as_a_fresh_render_would(app):
    kind_parts.clear()
    found = versions(app)
    assert {v.kind for v in found} >= {"single", "multiple", "true_false", "matching",
                                      "ordering", "judgement", "fill_blank", "case_analysis"}
    compared = 0
    for version in found:
        kind = kind_of(version.kind)
        for lang in ("zh", "en"):
            with app.test_request_context(f"/?lang={lang}"):
                for page, reveal in (("take", False), ("review", False), ("review", True)):
                    order = kind.option_order([o["id"] for o in version.content["options"]],
                                              3, 2)
                    shown = Shown(version.content, tuple(order), 3, 2)
                    for response in ([], page_answer(kind, shown), page_answer(kind, shown,
                                                                               SCRIPT)):
                        item = shown_item(version, lang, response, reveal)
                        name = f"item-{item.attempt_item_id}"
                        fresh = kind_parts.fresh_part(item, page, name)
                        assert kind_parts.kind_part(item, page, name) == fresh
                        assert kind_parts.kind_part(item, page, name) == fresh  # cached
                        compared += 1
    assert compared == len(found) * 2 * 3 * 3
    # One skeleton per shown form: the answers share it.
    assert 0 < kind_parts.cached_count() <= len(found) * 2 * 3


def test_answers_fill_the_same_skeleton_and_show_as_chosen(app):
    kind_parts.clear()
    version = next(v for v in versions(app) if v.kind == "single")
    with app.test_request_context("/?lang=zh"):
        blank = shown_item(version, "zh", [], reveal=False)
        chosen_id = blank.options[1].id
        answered = shown_item(version, "zh", [chosen_id], reveal=False)
        assert "checked" not in kind_parts.kind_part(blank, "take", "item-7")
        html = str(kind_parts.kind_part(answered, "take", "item-7"))
        assert kind_parts.cached_count() == 1
        checked = [line for line in html.splitlines() if "checked" in line]
        assert len(checked) == 1
        assert f'value="{chosen_id}"' in checked[0]
        assert html.count('name="item-7"') == len(blank.options)
        other = shown_item(version, "zh", [chosen_id], reveal=False, row_id=8)
        assert 'name="item-8"' in kind_parts.kind_part(other, "take", "item-8")
        assert kind_parts.cached_count() == 1  # another row of the same form: the same one


def test_bank_text_and_typed_answers_stay_escaped(app):
    kind_parts.clear()
    found = versions(app)
    single = next(v for v in found if v.kind == "single")
    blank = next(v for v in found if v.kind == "fill_blank")
    essay = next(v for v in found if v.kind == "case_analysis")
    with app.test_request_context("/?lang=zh"):
        first = single.content["options"][0]["id"]
        item = shown_item(single, "zh", [first], reveal=True, options={first: SCRIPT})
        for page in ("take", "review"):
            html = str(kind_parts.kind_part(item, page, 'x" onclick="y'))
            assert SCRIPT not in html
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
            if page == "take":
                assert 'name="x&#34; onclick=&#34;y"' in html
        for version in (blank, essay):
            kind = kind_of(version.kind)
            order = tuple(o["id"] for o in version.content["options"])
            typed = page_answer(kind, Shown(version.content, order, 3, 2), SCRIPT)
            for page in ("take", "review"):
                html = str(kind_parts.kind_part(shown_item(version, "zh", typed, True), page))
                assert SCRIPT not in html
                assert "&lt;script&gt;" in html


def test_the_quiz_page_shows_a_saved_answer_checked_after_the_cache_is_warm(app, client,
                                                                           cadre):
    log_in(client, cadre)
    attempt_id = start_quiz(client)
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)  # warms the cache
    assert " checked" not in page
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    _, item_id, _, order = attempt_rows(app, attempt_id)[0]
    reply = client.put(f"/attempts/{attempt_id}/answers/{item_id}",
                       json={"response": [order[-1]], "seq": 1},
                       headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert reply.status_code == 200
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    checked = [line for line in page.splitlines() if " checked" in line]
    assert len(checked) == 1
    assert f'value="{order[-1]}"' in checked[0]


def test_every_question_fills_its_frame_and_part_as_a_fresh_render_would(app):
    """The quiz page's question (frame and kind part, one skeleton) is what Jinja renders,
    for every kind, both languages, practice or not, answered or not, with a client seq."""
    kind_parts.clear()
    found = versions(app)
    for version in found:
        kind = kind_of(version.kind)
        for lang in ("zh", "en"):
            with app.test_request_context(f"/?lang={lang}"):
                order = kind.option_order([o["id"] for o in version.content["options"]], 3, 2)
                shown = Shown(version.content, tuple(order), 3, 2)
                for response in ([], page_answer(kind, shown, SCRIPT)):
                    item = replace(shown_item(version, lang, response, False),
                                   stem=f"{SCRIPT} {version.item_id}",
                                   client_seq=4 if response else None)
                    for practice in (False, True):
                        fresh = kind_parts.fresh_question(item, "item-7", practice, "/a?x=1&y")
                        cached = kind_parts.questions([item], lambda n: f"item-{n}", {}, {},
                                                      practice, "/a?x=1&y", {})
                        assert cached == fresh
                        assert SCRIPT not in cached
                        assert 'data-seq="4"' in cached if response else 'data-seq="0"' in cached
                        assert ('>Saved<' in cached or '>已保存<' in cached) == bool(response)


def test_a_question_with_errors_or_feedback_is_rendered_afresh(app):
    kind_parts.clear()
    version = next(v for v in versions(app) if v.kind == "single")
    with app.test_request_context("/?lang=en"):
        item = shown_item(version, "en", [], reveal=False)
        html = kind_parts.questions([item], lambda n: f"item-{n}", {"item-7": ["Wrong option"]},
                                    {}, False, "/save", {})
        assert "has-error" in html and "Wrong option" in html
        assert kind_parts.cached_count() <= 1  # the kind part alone, no question skeleton
        feedback = {7: {"correct": True, "key": ["A"], "explanations": {}}}
        html = kind_parts.questions([item], lambda n: f"item-{n}", {}, feedback, True, "/save",
                                    {7: SimpleNamespace(confidence="sure")})
        assert " final" in html and " disabled" in html and "You marked it: sure" in html


def test_the_negation_of_a_which_is_not_question_is_marked_and_the_rest_escaped(app):
    """On a phone a missed 不 turns a right answer wrong: the question's negation is marked,
    in the cached page as in a fresh one, and the stem around it stays escaped."""
    kind_parts.clear()
    version = next(v for v in versions(app) if v.kind == "single")
    with app.test_request_context("/?lang=zh"):
        item = replace(shown_item(version, "zh", [], reveal=False),
                       stem=f"{SCRIPT}文章列了几条。下列哪一项不是它列的？")
        fresh = kind_parts.fresh_question(item, "item-7", False, "/save")
        cached = kind_parts.questions([item], lambda n: f"item-{n}", {}, {}, False, "/save", {})
        cached_again = kind_parts.questions([item], lambda n: f"item-{n}", {}, {}, False,
                                            "/save", {})
    assert cached == fresh == cached_again
    assert '哪一项<strong class="negation">不是</strong>它列的？' in cached
    assert SCRIPT not in cached and "&lt;script&gt;" in cached
