"""The XLSX template and sheets: errors named by row and column, formulas refused, cells safe
to open, the template's header, drop-down lists and instructions."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from quizapp.bank.exchange import BankRules, export_items, load_rules, read_upload, xlsx_template
from quizapp.bank.exchange.xlsx_layout import COLUMNS, GUIDE_SHEET, ITEMS_SHEET
from quizapp.bank.loader import load_bank
from quizapp.bank.schema import Text
from tests.helpers import ROOT, TEST_BANK, filled_template

SEEDS = ROOT.parent / "shared" / "seeds"

GOOD = {
    "编号": "A1-101",
    "题型": "单选题",
    "题干": "村民会上有人插话，你怎么办？",
    "Stem (EN)": "Someone cuts in at a village meeting. What do you do?",
    "选项A": "请他说完再接着议",
    "Option A (EN)": "Let him finish, then go on",
    "选项A解析": "尊重群众发言。",
    "Option A explanation (EN)": "It respects people's say.",
    "选项B": "当场制止他",
    "Option B (EN)": "Stop him on the spot",
    "选项B解析": "以命令压人。",
    "Option B explanation (EN)": "It gives orders.",
    "误区B": "gives_orders",
    "答案": "A",
    "难度": 1,
    "知识点": "A1",
    "情境题": "是",
    "出处文件": "000_1701b1266fabe569.txt",
    "出处原文": "set an example",
}


@pytest.fixture(scope="module")
def rules() -> BankRules:
    return load_rules(TEST_BANK, SEEDS if SEEDS.is_dir() else None)[0]


def read(rows, rules):
    return read_upload("items.xlsx", filled_template(rows), rules)


def errors(result) -> list[str]:
    return [str(error) for error in result.errors]


def test_a_good_row_reads_as_an_item(rules):
    result = read([GOOD], rules)
    assert result.ok, errors(result)
    (item,) = result.items
    assert (item.id, item.kind, item.key, item.options[1].misconception) == (
        "A1-101",
        "single",
        ("a",),
        "gives_orders",
    )
    assert item.locator.title is not None  # the document's title, from the bank's list


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        ({"答案": None}, "column L (答案)", "答案 is empty"),
        ({"题型": "问答题"}, "column B (题型)", "is not one of 单选题"),
        ({"答案": "E"}, "column L (答案)", "names E, not among the options (A, B)"),
        ({"题干": "长" * 2001}, "column C (题干)", "longer than 2000 characters"),
        ({"知识点": "A9"}, "column O (知识点)", "is not a code"),
        ({"编号": None}, "column A (编号)", "编号 is empty"),
        ({"编号": "A1-1"}, "column A (编号)", "'id' must look like A3-017"),
        ({"情境题": "也许"}, "column AA (情境题)", "must be 是 or 否"),
        ({"难度": 5}, "column N (难度)", "'difficulty' must be 1, 2 or 3"),
        ({"Option B (EN)": None}, "column R (Option B (EN))", "'text.en' is missing"),
        ({"选项A解析": None}, "column AB (选项A解析)", "'explanation.zh' is missing"),
        ({"误区B": "no_such_tag"}, "column AS (误区B)", "unknown misconception tag"),
        ({"误区A": "gives_orders"}, "column L (答案)", "cannot carry a misconception"),
        ({"出处原文": "words that are nowhere"}, "column BT (出处原文)", "not found"),
        ({"出处文件": "999_0000000000000000.txt"}, "column BS (出处文件)", "has no title"),
        ({"解析": "总的解析"}, "column M (解析)", "is not used by a 单选题"),
        ({"配对A": "配对"}, "column AZ (配对A)", "配对 cells are for 配对题 only"),
    ],
)
def test_each_error_names_its_row_and_column(rules, change, where, words):
    result = read([GOOD, {**GOOD, "编号": "A1-102", **change}], rules)
    assert not result.ok and result.items == ()
    assert any(str(e).startswith(f"row 3, {where}") and words in str(e) for e in result.errors), (
        errors(result)
    )


def test_every_error_of_a_sheet_is_listed_at_once(rules):
    rows = [
        GOOD,
        {**GOOD, "编号": "A1-102", "答案": "Z"},
        {**GOOD, "编号": "A1-103", "题型": "论述题"},
        {**GOOD, "编号": "A1-101"},
    ]
    result = read(rows, rules)
    assert [e.line for e in result.errors] == [3, 4, 5]
    assert str(result.errors[-1]) == (
        "row 5, column A (编号): item A1-101 is already in this file (row 2)"
    )


def test_a_formula_is_an_error_naming_its_cell(rules):
    result = read([{**GOOD, "题干": '=HYPERLINK("http://example.invalid")'}], rules)
    assert errors(result) == ["row 2, column C (题干): 题干 is a formula: type the value itself"]


def test_a_date_is_an_error_naming_its_cell(rules):
    result = read([{**GOOD, "出处说明": date(2024, 1, 1)}], rules)
    assert errors(result)[0].startswith("row 2, column BU (出处说明): 出处说明 holds a date")


def test_cells_that_look_like_formulas_are_written_safe_and_read_back(rules):
    (item,) = read([GOOD], rules).items
    risky = replace(
        item,
        stem=Text("-有人说“一律不管”，你怎么看？", '=HYPERLINK("http://example.invalid")'),
    )
    data = export_items([risky], "xlsx", rules).data
    sheet = load_workbook(io.BytesIO(data))[ITEMS_SHEET]
    assert sheet["C2"].value.startswith("'-") and sheet["C2"].data_type == "s"
    assert sheet["P2"].value.startswith("'=") and sheet["P2"].data_type == "s"
    again = read_upload("again.xlsx", data, rules)
    assert again.ok and again.items[0].stem == risky.stem


def test_headers_are_checked_before_any_row(rules):
    book = load_workbook(io.BytesIO(filled_template([GOOD])))
    sheet = book.worksheets[0]
    sheet["A1"] = "序号"
    sheet["C1"] = None
    buffer = io.BytesIO()
    book.save(buffer)
    result = read_upload("items.xlsx", buffer.getvalue(), rules)
    assert errors(result) == [
        "row 1, column A: unknown column '序号'",
        "row 1: the header row lacks 编号, 题干",
    ]


def test_columns_may_come_in_any_order_and_only_the_needed_ones(rules):
    book = load_workbook(io.BytesIO(filled_template([GOOD])))
    sheet = book.worksheets[0]
    keep = [c.column for c in sheet[1] if c.value in GOOD]
    for column in sorted({c.column for c in sheet[1]} - set(keep), reverse=True):
        sheet.delete_cols(column)
    sheet.move_range("A1:A2", cols=sheet.max_column)  # 编号 last
    buffer = io.BytesIO()
    book.save(buffer)
    result = read_upload("items.xlsx", buffer.getvalue(), rules)
    assert result.ok, errors(result)


@pytest.mark.parametrize(
    ("kind", "answer", "key"),
    [
        ("多选", "A、B", ("a", "b")),
        ("判断题", "错误", ("false",)),
        ("排序题", "BA", ("b=1", "a=2")),
        ("情境判断题", "A：4 B：1", ("a=4", "b=1")),
    ],
)
def test_answers_are_read_as_chinese_platforms_write_them(rules, kind, answer, key):
    row = {**GOOD, "题型": kind, "答案": answer, "误区B": None}
    if kind == "多选":
        row |= {
            "选项C": "拖着不办",
            "Option C (EN)": "Put it off",
            "选项C解析": "回避。",
            "Option C explanation (EN)": "It dodges.",
        }
        row["题干"], row["Stem (EN)"] = (
            "哪些做法可取？（多选）",
            "Which help? (Choose all that apply.)",
        )
    if kind == "判断题":
        row |= {"选项A": None, "Option A (EN)": None, "选项B": None, "Option B (EN)": None}
    result = read([row], rules)
    assert result.ok, errors(result)
    assert tuple(sorted(result.items[0].key)) == tuple(sorted(key))


def test_a_misconception_may_be_given_by_its_label(rules):
    result = read([{**GOOD, "误区B": "以命令代替说服"}], rules)
    assert result.ok and result.items[0].options[1].misconception == "gives_orders"


def test_a_bad_file_is_named_not_raised(rules):
    for data in (b"", b"not a workbook", b"PK\x03\x04broken"):
        result = read_upload("items.xlsx", data, rules)
        assert not result.ok and result.errors[0].where == "file"


def test_the_template_has_the_header_drop_downs_and_instructions():
    book = load_workbook(io.BytesIO(xlsx_template(load_rules(TEST_BANK)[0])))
    assert book.sheetnames == [ITEMS_SHEET, GUIDE_SHEET]
    sheet = book[ITEMS_SHEET]
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS]
    assert sheet.max_row == 1
    lists = {
        str(rule.sqref).split(":")[0][:-1]: rule.formula1
        for rule in sheet.data_validations.dataValidation
    }
    assert "单选题" in lists["B"] and "案例分析题" in lists["B"]  # 题型
    assert lists["N"] == '"1,2,3"'  # 难度
    assert "gives_orders" in lists["AR"]  # 误区A
    guide = list(book[GUIDE_SHEET].iter_rows(values_only=True))
    assert guide[0] == ("导入说明", "How to fill in the sheet", None, None)
    assert any(
        row[0] == "答案" and "单选题：A" in row[2] and "single: A" in row[3] for row in guide
    )


def test_fifty_items_from_the_template_read_in_one_go(rules):
    rows = [
        {
            **GOOD,
            "编号": f"A1-{n:03d}",
            "题干": f"第{n}题：村民会上有人插话，你怎么办？",
            "Stem (EN)": f"Item {n}: someone cuts in at a village meeting. What now?",
        }
        for n in range(101, 151)
    ]
    result = read(rows, rules)
    assert result.ok, errors(result)[:3]
    assert len(result.items) == 50 and result.per_kind() == {"single": 50}


def test_the_test_bank_travels_through_a_sheet(rules):
    items = load_bank(Path(TEST_BANK)).bank.items
    result = read_upload("bank.xlsx", export_items(items, "xlsx", rules).data, rules)
    assert result.ok and result.per_kind() == {
        "case_analysis": 1,
        "fill_blank": 1,
        "judgement": 1,
        "matching": 1,
        "multiple": 1,
        "ordering": 1,
        "single": 2,
        "true_false": 1,
    }
