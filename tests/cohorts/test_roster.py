"""Class lists: CSV (UTF-8 or GB18030) and XLSX, all-or-nothing with the bad row named."""

import io
import re
import tracemalloc
import zipfile

from openpyxl import Workbook

from quizapp.cohorts.roster import MAX_ROWS, parse_roster


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


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite_member(data: bytes, name: str, change) -> bytes:
    """A copy of a zip with one member's bytes changed."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            body = source.read(info.filename)
            out.writestr(info.filename, change(body) if info.filename == name else body)
    return target.getvalue()


def test_a_huge_declared_sheet_dimension_is_ignored_and_memory_stays_small():
    data = xlsx_bytes([["username", "display_name"], ["zhao_lei", "赵磊"]])
    far_cell = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    huge = rewrite_member(data, "xl/worksheets/sheet1.xml", lambda body: re.sub(
        rb'<dimension ref="[^"]+" ?/>', b'<dimension ref="A1:XFD1048576"/>', body
    ).replace(b"</sheetData>", far_cell + b"</sheetData>"))
    assert len(huge) < 10_000
    tracemalloc.start()
    _rows, errors = parse_roster("class.xlsx", huge)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # The unbounded reader padded a million rows to 16,384 columns each (gigabytes).
    assert peak < 50 * 1024 * 1024
    assert str(errors[0]) == f"row 1: at most {MAX_ROWS} rows at a time"


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (20 * 1024 * 1024) + b"</a>")
    assert len(bomb.getvalue()) < 100_000
    _rows, errors = parse_roster("class.xlsx", bomb.getvalue())
    assert str(errors[0]) == "row 1: the workbook is too large once unpacked"
    dense = io.BytesIO()
    with zipfile.ZipFile(dense, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("xl/worksheets/sheet1.xml", b" " * (2 * 1024 * 1024))
    assert "compressed suspiciously" in str(parse_roster("class.xlsx", dense.getvalue())[1][0])


def test_malformed_sheet_xml_is_a_clear_error():
    data = xlsx_bytes([["username"], ["zhao_lei"]])
    broken = rewrite_member(data, "xl/worksheets/sheet1.xml", lambda body: body[:-40])
    assert str(parse_roster("class.xlsx", broken)[1][0]) == \
        "row 1: the file is not a readable XLSX workbook"


def test_over_long_fields_are_named_not_crashed_on():
    long_field = ("username,display_name\nabc_def," + "长" * 200_000 + "\n").encode()
    assert str(parse_roster("a.csv", long_field)[1][0]) == \
        "row 2: a field is longer than 1000 characters or malformed"
    longish = ("username,display_name\nabc_def," + "长" * 5000 + "\n").encode()
    assert str(parse_roster("a.csv", longish)[1][0]) == \
        "row 2: a field is longer than 1000 characters"
    long_name = ("username,display_name\nabc_def," + "长" * 101 + "\n").encode()
    assert str(parse_roster("a.csv", long_name)[1][0]) == \
        "row 2: display_name is longer than 100 characters"
