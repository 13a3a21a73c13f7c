"""The XLSX layout (pure): one row per item in the columns Chinese platforms use (编号, 题型,
题干, 选项A–H, 答案, 解析, 难度, 知识点), the English columns beside them, then what the bank
needs that has no place there; and the instructions sheet in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass

LETTERS = "ABCDEFGH"
ITEMS_SHEET = "题库 Items"
GUIDE_SHEET = "说明 Instructions"
MAX_ROWS = 2000  # items per file
MAX_COLUMNS = 120  # cells read per row: the layout has 73


@dataclass(frozen=True)
class Column:
    key: str  # what the cell holds: "stem.zh", "option.en.c", "why.zh.a", …
    header: str  # the header cell, exactly
    limit: int  # the most characters the cell may hold
    zh: str  # what to put there (instructions sheet)
    en: str
    required: bool = False


def _per_option(key: str, header: str, limit: int, zh: str, en: str) -> list[Column]:
    return [
        Column(
            f"{key}.{letter.lower()}",
            header.format(letter),
            limit,
            zh.format(letter),
            en.format(letter),
        )
        for letter in LETTERS
    ]


COLUMNS: tuple[Column, ...] = (
    Column(
        "id",
        "编号",
        16,
        "题目编号：代码-三位数字，如 A5-101；已用过的编号不再另作他用",
        "The item's id: code, dash, three digits (A5-101); never reuse one",
        True,
    ),
    Column("kind", "题型", 20, "从下拉列表选择题型", "The kind, from the drop-down list", True),
    Column(
        "stem.zh",
        "题干",
        2000,
        "题干（中文）；填空题用 {1}、{2} 标出空位",
        "The stem in Chinese; a fill-in marks its blanks {1}, {2}",
        True,
    ),
    *_per_option("option.zh", "选项{}", 300, "选项{}（中文）", "Option {} in Chinese"),
    Column(
        "answer.zh",
        "答案",
        6000,
        "单选题：A；多选题：AC；判断题：正确 或 错误；排序题：BADC（先后顺序）；"
        "情境判断题：A:4 B:1 C:2 D:3（1 起反作用 … 4 非常有效）；配对题：留空；"
        "填空题：可接受的答案用 | 隔开，多个空每空一行并以 (1)、(2) 开头；"
        "案例分析题：参考答案（中文）",
        "single: A; multiple: AC; true/false: 正确 or 错误; ordering: BADC (first step "
        "first); judgement: A:4 B:1 C:2 D:3 (1 counter-productive … 4 very effective); "
        "matching: empty; fill-in: accepted wordings separated by |, one line per blank "
        "starting (1), (2); case analysis: the model answer in Chinese",
        True,
    ),
    Column(
        "explanation.zh",
        "解析",
        1500,
        "填空题的解析（中文）；选择类题目请在“选项X解析”中逐项说明",
        "A fill-in's explanation in Chinese; choice items explain each option in 选项X解析 instead",
    ),
    Column(
        "difficulty",
        "难度",
        10,
        "1 识记理解，2 运用，3 复杂情境中的判断（也可填 易/中/难）",
        "1 recall, 2 application, 3 judgement in a hard case (易/中/难 also read)",
        True,
    ),
    Column("code", "知识点", 10, "知识点代码：A1–A5、B、C1–C6", "The code: A1–A5, B, C1–C6", True),
    Column("stem.en", "Stem (EN)", 2000, "题干（英文）", "The stem in English", True),
    *_per_option("option.en", "Option {} (EN)", 300, "选项{}（英文）", "Option {} in English"),
    Column(
        "answer.en",
        "Answer (EN)",
        6000,
        "填空题可接受的英文答案（格式同“答案”）；案例分析题的英文参考答案",
        "A fill-in's accepted English wordings (as in 答案); a case analysis's model answer "
        "in English",
    ),
    Column(
        "explanation.en",
        "Explanation (EN)",
        1500,
        "填空题的解析（英文）",
        "A fill-in's explanation in English",
    ),
    Column(
        "scenario",
        "情境题",
        10,
        "题干是否为乡镇、村里工作中的情境：是 或 否",
        "Is the stem a situation from town or village work: 是 (yes) or 否 (no)",
        True,
    ),
    *_per_option(
        "why.zh",
        "选项{}解析",
        1500,
        "选项{}为什么对，或体现了哪种错误（中文）",
        "Why option {} is right, or which mistake it embodies (Chinese)",
    ),
    *_per_option(
        "why.en",
        "Option {} explanation (EN)",
        1500,
        "选项{}的解析（英文）",
        "Option {}'s explanation in English",
    ),
    *_per_option(
        "misconception",
        "误区{}",
        40,
        "选项{}体现的常见误区（从下拉列表选择，只用于错误选项）",
        "The misconception option {} embodies (drop-down; wrong options only)",
    ),
    *_per_option(
        "match.zh",
        "配对{}",
        300,
        "配对题：与选项{}配对的内容（中文）",
        "Matching: what option {} pairs with, in Chinese",
    ),
    *_per_option(
        "match.en",
        "Match {} (EN)",
        300,
        "配对题：与选项{}配对的内容（英文）",
        "Matching: what option {} pairs with, in English",
    ),
    Column(
        "rubric.zh",
        "评分标准",
        8000,
        "案例分析题的评分标准（中文），每条一行 “(a) 3分 评分要点”，"
        "其下每个档次一行 “3分：表现描述”，从满分到 0 分",
        "A case analysis's rubric in Chinese: a line “(a) 3分 criterion” "
        "per criterion, under it a line “3分：descriptor” per level, full points down to 0",
    ),
    Column(
        "rubric.en",
        "Rubric (EN)",
        8000,
        "评分标准（英文），格式同上：“(a) 3 points …”、“3 points: …”",
        "The rubric in English, as above: “(a) 3 points …”, “3 points: …”",
    ),
    Column(
        "max_length",
        "字数上限",
        10,
        "案例分析题作答的字数上限（200–3000，默认 1500）",
        "A case analysis's answer length limit in characters (200–3000; 1500 if empty)",
    ),
    Column(
        "doc",
        "出处文件",
        40,
        "依据的原始文件名，如 000_1701b1266fabe569.txt",
        "The source document's file name, e.g. 000_1701b1266fabe569.txt",
        True,
    ),
    Column(
        "anchor",
        "出处原文",
        300,
        "原文中可查到的一句原话（用于定位，须与原文一致）",
        "A phrase found verbatim in that document (to locate the passage)",
        True,
    ),
    Column(
        "note", "出处说明", 300, "出处的补充说明（可不填）", "A note on where to read (optional)"
    ),
)

BY_KEY = {column.key: column for column in COLUMNS}
POSITION = {column.key: index for index, column in enumerate(COLUMNS, start=1)}
# Read headers loosely: full-width brackets, spaces and case do not matter.
_FOLD = str.maketrans({"（": "(", "）": ")", " ": "", "\u3000": ""})


def header_key(header: str) -> str:
    return header.translate(_FOLD).casefold()


BY_HEADER = {header_key(column.header): column for column in COLUMNS}

GUIDE_ZH = (
    "每行一道题，第一行是表头（请勿修改）。导入时全部检查：只要有一处错误，整个文件都不会写入，"
    "每个错误都注明行号和列名。",
    "每题需要中英文两种语言：题干、每个选项及其解析都要填写中文列和英文列。",
    "选择类题目（单选、多选、判断、排序、情境判断、配对）在“选项X解析”中逐项说明为什么对或错在哪里；"
    "“解析”列只用于填空题。判断题的选项A表示“正确”，选项B表示“错误”，可只填解析。",
    "请填写文字本身，不要使用公式：以 = 开头的公式会被当作错误。",
    "导出时以 = + - @ 开头的文字前会加一个撇号（'），导入时会自动去掉。",
)
GUIDE_EN = (
    "One item per row under the header row (leave the header as it is). An import checks "
    "everything: with any error nothing is written, and each error names its row and column.",
    "Every item is bilingual: the stem, each option and each explanation have a Chinese and an "
    "English column.",
    "Choice items (single, multiple, true/false, ordering, judgement, matching) explain each "
    "option in 选项X解析; 解析 is for fill-ins only. A true/false item's option A is 正确 "
    "(true) and B 错误 (false); their explanations are enough.",
    "Type values, not formulas: a formula cell is an error.",
    "Text starting with = + - @ is exported after an apostrophe ('), which an import removes.",
)
