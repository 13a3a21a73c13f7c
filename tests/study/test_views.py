"""Study notes over HTTP."""

import pytest

from tests.helpers import log_in

pytestmark = pytest.mark.usefixtures("loaded_bank")


def test_notes_list_and_page_in_both_languages(client, cadre):
    log_in(client, cadre)
    index = client.get("/study/").get_data(as_text=True)
    assert "在群众中树立威信" in index
    page = client.get("/study/A1").get_data(as_text=True)
    assert "严于律己" in page
    assert "personal charm" in page
    english = client.get("/study/a1?lang=en").get_data(as_text=True)
    assert "Hold yourself to strict standards" in english


def test_unknown_code_is_404_and_anonymous_is_sent_to_login(client, cadre):
    assert client.get("/study/A1").status_code == 302
    log_in(client, cadre)
    assert client.get("/study/C9").status_code == 404
    assert client.get("/study/A2").status_code == 404  # no note loaded for A2
