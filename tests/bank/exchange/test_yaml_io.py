"""The bank's own YAML: read with every rule of an items file, errors by line."""

from __future__ import annotations

from quizapp.bank.exchange import BankRules, load_rules, read_upload
from tests.helpers import TEST_BANK


def rules() -> BankRules:
    return load_rules(TEST_BANK)[0]


def test_an_items_file_reads_with_line_numbers():
    text = (TEST_BANK / "items" / "a1.yaml").read_text(encoding="utf-8")
    broken = text.replace("difficulty: 1", "difficulty: 5", 1).replace(
        "misconception: gives_orders", "misconception: no_such_tag", 1
    )
    result = read_upload("a1.yaml", broken.encode(), rules())
    assert [str(e) for e in result.errors] == [
        "line 2: item A1-001: 'difficulty' must be 1, 2 or 3",
        "line 14: item A1-001 option b: unknown misconception tag 'no_such_tag'",
    ]


def test_what_is_not_an_items_file():
    first = str(read_upload("x.yml", b"items: [\n", rules()).errors[0])
    assert first.startswith("line 2: invalid YAML")
    assert [str(e) for e in read_upload("x.yaml", b"- a\n", rules()).errors] == [
        "line 1: an items file is a mapping with an 'items' list"
    ]
    assert [str(e) for e in read_upload("x.yaml", b"\xff\xfe", rules()).errors] == [
        "file: the file is not UTF-8 text"
    ]


def test_a_file_of_unknown_format_is_named():
    result = read_upload("questions.csv", b"a,b", rules())
    assert "cannot tell the format" in str(result.errors[0])
