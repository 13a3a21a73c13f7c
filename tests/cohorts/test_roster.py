"""Class lists: CSV (UTF-8 or GB18030) and XLSX, all-or-nothing with the bad row named."""

import io

from openpyxl import Workbook

from quizapp.cohorts.roster import parse_roster


def test_csv_in_utf8_with_bom_and_in_gb18030():
    text = "username,display_name\nli_wei,李伟\nwang_fang,王芳\n"
    for data in (("\ufeff" + text).encode("utf-8"), text.encode("gb18030")):
        rows, errors = parse_roster("class.csv", data)
        assert errors == []
        assert [(r.line, r.username, r.display_name) for r in rows] == [
            (2, "li_wei", "李伟"), (3, "wang_fang", "王芳")]


def test_xlsx():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["username", "display_name", "password"])
    sheet.append(["zhao_lei", "赵磊", "initial-password-1"])
    sheet.append([None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows, errors = parse_roster("class.xlsx", buffer.getvalue())
    assert errors == []
    assert rows[0].password == "initial-password-1"


def test_every_bad_row_is_named():
    data = "username,display_name\nok_name,好\nx,太短\nok_name,重复\n".encode()
    _rows, errors = parse_roster("class.csv", data)
    assert [str(e) for e in errors] == [
        "row 3: username 'x' must have 3 to 64 letters, digits, dots, dashes or underscores",
        "row 4: username ok_name repeats row 2",
    ]


def test_header_and_file_problems():
    assert str(parse_roster("a.csv", b"name\nx\n")[1][0]) == \
        "row 1: the header needs a 'username' column"
    assert "unknown column(s): age" in str(parse_roster("a.csv", b"username,age\nabc,3\n")[1][0])
    assert "not a readable XLSX" in str(parse_roster("a.xlsx", b"not a zip")[1][0])
    assert "empty" in str(parse_roster("a.csv", b"")[1][0])
    assert "no member rows" in str(parse_roster("a.csv", b"username\n")[1][0])
