"""`flask bank export` and `flask bank import`: what a dry run prints, exit codes, one
transaction, new versions for changed items, and the shipped bank through YAML and XLSX."""

from __future__ import annotations

import io
import shutil

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from quizapp.auth.roles import Role
from quizapp.bank.loader import load_bank
from quizapp.bank.models import Item, ItemVersion
from quizapp.extensions import db
from tests.helpers import ROOT, TEST_BANK, filled_template

SHIPPED = ROOT / "question_bank"
ANCHOR = {"出处文件": "000_1701b1266fabe569.txt", "出处原文": "set an example"}


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Item)),
            db.session.scalar(select(func.count()).select_from(ItemVersion)),
        )


def bank(runner, path=TEST_BANK, *args):
    result = runner.invoke(args=["bank", *args] if args else ["bank", "load", str(path)])
    assert result.exit_code == 0, result.output
    return result


def row(number: int, kind: str) -> dict:
    """A new item of the template: one of five kinds, in both languages."""
    stem = {
        "单选题": ("村民会上有人插话，你怎么办？", "Someone cuts in at a meeting. What now?"),
        "多选题": ("哪些做法可取？（多选）", "Which help? (Choose all that apply.)"),
        "判断题": ("判断：威信来自作风。", "True or false: standing comes from conduct."),
        "情境判断题": ("村民来反映问题，各做法效果如何？", "How well would each response work?"),
        "填空题": ("干部威信来自群众的{1}。", "A cadre's standing comes from people's {1}."),
    }
    cells = {
        "编号": f"A1-{number:03d}",
        "题型": kind,
        "题干": f"第{number}题：{stem[kind][0]}",
        "Stem (EN)": f"Item {number}: {stem[kind][1]}",
        "难度": 1 + number % 3,
        "知识点": "A1",
        "情境题": "否",
        **ANCHOR,
    }
    if kind == "填空题":
        return cells | {
            "答案": "信任|信服",
            "Answer (EN)": "trust|confidence",
            "解析": "作风赢得信任。",
            "Explanation (EN)": "Conduct earns trust.",
        }
    letters = "AB" if kind == "判断题" else "ABC"
    for n, letter in enumerate(letters):
        if kind != "判断题":
            cells |= {f"选项{letter}": f"做法{n}", f"Option {letter} (EN)": f"Way {n}"}
        cells |= {
            f"选项{letter}解析": f"解析{n}。",
            f"Option {letter} explanation (EN)": f"Why {n}.",
        }
    answers = {"单选题": "A", "多选题": "AB", "判断题": "正确", "情境判断题": "A:4 B:1 C:2"}
    return cells | {"答案": answers[kind]}


def test_fifty_items_from_the_template_import_in_one_go(runner, app, tmp_path):
    kinds = ("单选题", "多选题", "判断题", "情境判断题", "填空题")
    path = tmp_path / "fifty.xlsx"
    path.write_bytes(filled_template([row(n, kinds[n % 5]) for n in range(101, 151)]))
    dry = runner.invoke(args=["bank", "import", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert (
        f"read 50 item(s) from {path} (xlsx): fill_blank 10, judgement 10, multiple 10, "
        "single 10, true_false 10"
    ) in dry.output
    assert (
        "would add 50: A1-101, A1-102" in dry.output
        and "dry run: nothing was written" in dry.output
    )
    assert counts(app) == (0, 0)
    done = runner.invoke(args=["bank", "import", str(path)])
    assert done.exit_code == 0, done.output
    assert "added 50" in done.output and "changed 0" in done.output
    assert counts(app) == (50, 50)


def test_a_bad_file_lists_every_error_and_writes_nothing(runner, app, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(
        filled_template(
            [
                row(101, "单选题"),
                row(102, "单选题") | {"答案": "D"},
                row(103, "单选题") | {"题型": "论述题"},
                row(104, "单选题") | {"题干": "x" * 2001},
                row(105, "单选题") | {"知识点": "Z9"},
            ]
        )
    )
    result = runner.invoke(args=["bank", "import", str(path)])
    assert result.exit_code == 1
    for where in (
        "row 3, column L (答案)",
        "row 4, column B (题型)",
        "row 5, column C (题干)",
        "row 6, column O (知识点)",
    ):
        assert where in result.output
    assert "4 error(s); nothing was written." in result.output
    assert counts(app) == (0, 0)


def test_an_import_adds_and_changes_only_its_items(runner, app, tmp_path):
    bank(runner)
    before = counts(app)
    exported = tmp_path / "a1.xlsx"
    bank(runner, None, "export", "--format", "xlsx", "-o", str(exported), "--code", "A1")
    book = load_workbook(exported)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet["A"]][1:] == ["A1-001", "A1-002", "A1-003"]
    sheet["C2"] = "村民当面质疑你处事不公，你首先该怎么做？"
    buffer = io.BytesIO()
    book.save(buffer)
    exported.write_bytes(buffer.getvalue())
    dry = bank(runner, None, "import", str(exported), "--dry-run")
    assert "would add 0\nwould change 1 (new version): A1-001\nunchanged 2\n" in dry.output
    assert counts(app) == before
    done = bank(runner, None, "import", str(exported))
    assert "changed 1 (new version): A1-001" in done.output
    with app.app_context():
        item = db.session.get(Item, "A1-001")
        versions = db.session.scalars(
            select(ItemVersion.version)
            .where(ItemVersion.item_id == "A1-001")
            .order_by(ItemVersion.version)
        ).all()
        assert (item.current_version, versions) == (2, [1, 2])  # attempts keep version 1
        retired = db.session.scalar(
            select(func.count()).select_from(Item).where(Item.is_retired.is_(True))
        )
        assert retired == 0  # the items of other codes were not in the file, and stay
    assert counts(app) == (before[0], before[1] + 1)


@pytest.mark.parametrize(
    ("fmt", "name", "kinds"),
    [
        ("gift", "bank.gift", "fill_blank 1, matching 1, multiple 1, single 2, true_false 1"),
        (
            "moodle-xml",
            "bank.xml",
            "case_analysis 1, fill_blank 1, matching 1, multiple 1, "
            "ordering 1, single 2, true_false 1",
        ),
        (
            "yaml",
            "bank.yaml",
            "case_analysis 1, fill_blank 1, judgement 1, matching 1, "
            "multiple 1, ordering 1, single 2, true_false 1",
        ),
    ],
)
def test_each_format_exports_and_imports_back_unchanged(runner, app, tmp_path, fmt, name, kinds):
    bank(runner)
    path = tmp_path / name
    exported = bank(runner, None, "export", "--format", fmt, "-o", str(path))
    assert kinds in exported.output
    if fmt != "yaml":
        assert "skipped" in exported.output and "B-003 (judgement)" in exported.output
    result = bank(runner, None, "import", str(path), "--dry-run")
    assert f"({fmt}): {kinds}" in result.output and "would add 0" in result.output


def test_the_format_comes_from_the_extension_or_the_option(runner, tmp_path):
    path = tmp_path / "questions.dat"
    path.write_bytes((TEST_BANK / "items" / "a1.yaml").read_bytes())
    unknown = runner.invoke(args=["bank", "import", str(path), "--dry-run"])
    assert unknown.exit_code == 1 and "cannot tell the format" in unknown.output
    named = runner.invoke(args=["bank", "import", str(path), "--dry-run", "--format", "yaml"])
    assert named.exit_code == 0, named.output
    assert "would add 3: A1-001, A1-002, A1-003" in named.output


def test_export_needs_a_loaded_bank(runner, tmp_path):
    result = runner.invoke(
        args=["bank", "export", "--format", "gift", "-o", str(tmp_path / "x.gift")]
    )
    assert result.exit_code == 1 and "load the bank first" in result.output


def test_the_shipped_bank_round_trips_through_yaml_and_xlsx(runner, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "BANK_DIR", str(SHIPPED))
    bank(runner, SHIPPED)
    copy = tmp_path / "bank"
    shutil.copytree(SHIPPED, copy, ignore=shutil.ignore_patterns("items"))
    (copy / "items").mkdir()
    exported = bank(
        runner, None, "export", "--format", "yaml", "-o", str(copy / "items" / "all.yaml")
    )
    shipped = len(load_bank(SHIPPED).bank.items)  # the bank changes; the round trip must not
    assert f"exported {shipped} item(s)" in exported.output
    checked = bank(runner, None, "check", str(copy))
    assert f"ok: {shipped} items" in checked.output
    sheet = tmp_path / "bank.xlsx"
    bank(runner, None, "export", "--format", "xlsx", "-o", str(sheet))
    again = bank(runner, None, "import", str(sheet), "--dry-run")
    assert f"read {shipped} item(s)" in again.output and f"unchanged {shipped}" in again.output


def test_an_id_of_a_coordinators_local_bank_is_refused(runner, app, tmp_path, make_user):
    owner = make_user(Role.COORDINATOR, "county")
    with app.app_context():
        db.session.add(
            Item(
                id="A1-101",
                code="A1",
                current_version=0,
                head_version=1,
                is_retired=False,
                owner_id=owner.id,
            )
        )
        db.session.commit()
    path = tmp_path / "clash.xlsx"
    path.write_bytes(filled_template([row(101, "单选题"), row(102, "单选题")]))
    result = runner.invoke(args=["bank", "import", str(path)])
    assert result.exit_code == 1
    assert "id(s) A1-101 belong to a coordinator's local bank" in result.output
    assert counts(app) == (1, 0)
