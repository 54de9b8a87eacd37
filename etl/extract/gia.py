"""The tables of a 政府信息公开工作年度报告 (token stream in) as cells, the report's own arithmetic checked (out).

Both national formats: the 2019 trial format (国办公开办函〔2019〕60号, reports on 2019 and 2020) and the
2021 format (国办公开办函〔2021〕30号). The parser walks the cells in reading order and looks for each
row's label in the order the format prints them, then reads the numbers after it: that works for
real HTML tables with merged cells, one cell per line, cells between '|' and Word tables alike.
Blank cells count as 0 and stay marked blank (INDICATORS.md §2.3); a blank 总计 whose parts are not
all blank is summed from its parts and said so. Rules checked: 一+二 = 三(七)+四 per column, 三(七)
is the sum of the outcomes, 总计 is the sum of the applicant columns, and in table 4 each 总计 is the
sum of the four results before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.extract.document import ROW, Document

APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
T4_GROUPS = ["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"]
T4_RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
_NUMBER = re.compile(r"^([+-]?\d[\d,，]*(?:\.\d+)?)(万元|元)?$")
_BLANK = {"", "-", "—", "－", "/", "无", "0.0"}

# (key, label pattern, number of values, column names) in the order the format prints them
T2_2021 = [
    ("规章", r"^规章$", 3, ["本年制发件数", "本年废止件数", "现行有效件数"]),
    ("行政规范性文件", r"^(行政)?规范性文件$", 3, ["本年制发件数", "本年废止件数", "现行有效件数"]),
    ("行政许可", r"^行政许可$", 1, ["本年处理决定数量"]),
    ("行政处罚", r"^行政处罚$", 1, ["本年处理决定数量"]),
    ("行政强制", r"^行政强制$", 1, ["本年处理决定数量"]),
    ("行政事业性收费", r"^行政事业性收费$", 1, ["本年收费金额（万元）"]),
]
_ITEMS = ["上一年项目数量", "本年增/减", "处理决定数量"]
T2_2019 = [
    ("规章", r"^规章$", 3, ["本年新制作数量", "本年新公开数量", "对外公开总数量"]),
    ("行政规范性文件", r"^(行政)?规范性文件$", 3, ["本年新制作数量", "本年新公开数量", "对外公开总数量"]),
    ("行政许可", r"^行政许可$", 3, _ITEMS),
    ("其他对外管理服务事项", r"^其他对外管理服务事项$", 3, _ITEMS),
    ("行政处罚", r"^行政处罚$", 3, _ITEMS),
    ("行政强制", r"^行政强制$", 3, _ITEMS),
    ("行政事业性收费", r"^行政事业性收费$", 2, _ITEMS[:2]),
    ("政府集中采购", r"^政府集中采购$", 2, ["采购项目数量", "采购总金额（万元）"]),
]
_OUTCOMES_2021 = [
    ("（一）予以公开", r"予以公开$"),
    ("（二）部分公开", r"部分公开"),
    ("（三）1.属于国家秘密", r"国家秘密"),
    ("（三）2.其他法律行政法规禁止公开", r"法律行政法规禁止公开"),
    ("（三）3.危及“三安全一稳定”", r"危及"),
    ("（三）4.保护第三方合法权益", r"保护第三方合法权益"),
    ("（三）5.属于三类内部事务信息", r"内部事务信息"),
    ("（三）6.属于四类过程性信息", r"过程性信息"),
    ("（三）7.属于行政执法案卷", r"行政执法案卷"),
    ("（三）8.属于行政查询事项", r"行政查询事项"),
    ("（四）1.本机关不掌握相关政府信息", r"不掌握相关政府信息"),
    ("（四）2.没有现成信息需要另行制作", r"没有现成信息"),
    ("（四）3.补正后申请内容仍不明确", r"补正后申请内容仍不明确"),
    ("（五）1.信访举报投诉类申请", r"信访举报投诉"),
    ("（五）2.重复申请", r"重复申请$"),
    ("（五）3.要求提供公开出版物", r"公开出版物"),
    ("（五）4.无正当理由大量反复申请", r"大量反复申请"),
    ("（五）5.要求行政机关确认或重新出具已获取信息", r"重新出具"),
]
_OTHER_2021 = [
    ("（六）1.申请人无正当理由逾期不补正", r"逾期不补正"),
    ("（六）2.申请人逾期未按收费通知要求缴纳费用", r"缴纳费用"),
    ("（六）3.其他", r"^\d?[.．、]?其他$"),
]


@dataclass
class Cell:
    table: str  # 表二 | 表三 | 表四
    row: str
    column: str
    value: float
    blank: bool = False
    filled: bool = False  # a blank total summed from its parts
    position: int = 0  # token index, to order candidates as the report prints them


@dataclass
class Tables:
    format: str  # "2019" | "2021" | "" (no tables found)
    format_basis: str
    cells: list[Cell] = field(default_factory=list)
    failures: dict[str, list[str]] = field(default_factory=dict)  # table -> broken rules, in both languages
    unread: list[str] = field(default_factory=list)  # rows found but not readable

    def get(self, table: str, row: str, column: str) -> Cell | None:
        return next((c for c in self.cells if (c.table, c.row, c.column) == (table, row, column)), None)


def _norm(token: str) -> str:
    return token.replace("(", "（").replace(")", "）")


def number_of(token: str) -> float | None:
    """A table cell as a number (元 turned into 万元), None when it is a label."""
    if token in _BLANK:
        return 0.0
    match = _NUMBER.match(token)
    if not match:
        return None
    value = float(match.group(1).replace(",", "").replace("，", ""))
    return value / 10000 if match.group(2) == "元" else value


def detect_format(doc: Document, year: int | None) -> tuple[str, str]:
    """'2019' or '2021' and the words that decided it."""
    joined = "".join(doc.tokens) + doc.text
    for words, fmt in (
        ("本年制发件数", "2021"),
        ("本年废止件数", "2021"),
        ("国办公开办函〔2021〕30号", "2021"),
        ("本年新制作数量", "2019"),
        ("对外公开总数量", "2019"),
        ("上一年项目数量", "2019"),
        ("国办公开办函〔2019〕60号", "2019"),
        ("格式(试行)", "2019"),
        ("格式（试行）", "2019"),
    ):
        if words in joined:
            return fmt, words
    if year is not None:
        return ("2019" if year <= 2020 else "2021"), f"{year}年（按年份推断 / by year）"
    return "", ""


class _Walker:
    """A cursor over the tokens that finds labels in order and reads the values after them."""

    def __init__(self, tokens: list[str], reliable_blanks: bool):
        self.tokens = [_norm(t) for t in tokens]
        self.reliable = reliable_blanks
        self.at = 0

    def find(self, pattern: str, start: int | None = None, stop: int | None = None) -> int | None:
        regex = re.compile(pattern)
        end = len(self.tokens) if stop is None else min(stop, len(self.tokens))
        for index in range(self.at if start is None else start, end):
            token = self.tokens[index]
            if token != ROW and number_of(token) is None and regex.search(token):
                return index
        return None

    def values_after(self, index: int, want: int) -> tuple[list[tuple[float, bool]], int]:
        """Up to `want` values after a label; stops at the next label. (value, blank) pairs."""
        out: list[tuple[float, bool]] = []
        cursor = index + 1
        while cursor < len(self.tokens) and len(out) < want:
            token = self.tokens[cursor]
            if token == ROW:
                if out:
                    break
                cursor += 1
                continue
            value = number_of(token)
            if value is None:
                break
            out.append((value, token in _BLANK))
            cursor += 1
        return out, cursor


def parse(doc: Document, year: int | None) -> Tables:
    fmt, basis = detect_format(doc, year)
    result = Tables(fmt, basis)
    if not fmt or not doc.tokens:
        return result
    walk = _Walker(doc.tokens, doc.html_tables)
    anchor = walk.find(r"第二十条第（一）项")
    if anchor is not None:
        walk.at = anchor
        for key, pattern, want, columns in T2_2021 if fmt == "2021" else T2_2019:
            index = walk.find(pattern, stop=walk.at + 80)
            if index is None:
                continue
            values, walk.at = walk.values_after(index, want)
            if len(values) < want:
                result.unread.append(f"表二「{key}」只读到 {len(values)} 个数，应为 {want} 个")
                continue
            for column, (value, blank) in zip(columns, values, strict=False):
                result.cells.append(Cell("表二", key, column, value, blank, position=index))
    _table3(walk, fmt, result)
    _table4(walk, result)
    _check(result)
    return result


def _table3(walk: _Walker, fmt: str, result: Tables) -> None:
    first = walk.find(r"本年新收政府信息公开申请数量", start=0)
    if first is None:
        return
    walk.at = first
    rows: list[tuple[str, str]] = [("一、本年新收政府信息公开申请数量", r"本年新收政府信息公开申请数量")]
    rows.append(("二、上年结转政府信息公开申请数量", r"上年结转政府信息公开申请数量"))
    rows += _OUTCOMES_2021
    rows.append(("（六）其他处理", r"其他处理"))
    rows += [("（七）总计", r"总计$"), ("四、结转下年度继续办理", r"结转下年度继续办理")]
    for key, pattern in rows:
        index = walk.find(pattern, stop=walk.at + 60)
        if index is None:
            result.unread.append(f"表三「{key}」未找到 / row not found")
            continue
        values, cursor = walk.values_after(index, 7)
        if key == "（六）其他处理" and not values:  # 2021: three sub-rows follow
            walk.at = index + 1
            for sub_key, sub_pattern in _OTHER_2021:
                sub = walk.find(sub_pattern, stop=walk.at + 40)
                if sub is None:
                    result.unread.append(f"表三「{sub_key}」未找到 / row not found")
                    continue
                sub_values, walk.at = walk.values_after(sub, 7)
                _row3(result, sub_key, sub_values, sub)
            continue
        walk.at = cursor
        _row3(result, key, values, index)
    if fmt == "2019" and any(c.row.startswith("（六）1") for c in result.cells):
        result.format_basis += "；但表三分列「其他处理」三项（2021格式）"


def _row3(result: Tables, key: str, values: list[tuple[float, bool]], position: int) -> None:
    if len(values) != 7:
        result.unread.append(
            f"表三「{key}」读到 {len(values)} 个数，应为 7 个 / read {len(values)} figures, expected 7"
        )
        return
    parts = values[:6]
    total, total_blank = values[6]
    filled = False
    if total_blank and any(not blank for _, blank in parts):
        total, filled = sum(v for v, _ in parts), True
    for column, (value, blank) in zip(APPLICANTS[:6], parts, strict=True):
        result.cells.append(Cell("表三", key, column, value, blank, position=position))
    result.cells.append(Cell("表三", key, "总计", total, total_blank and not filled, filled, position))


def _table4(walk: _Walker, result: Tables) -> None:
    anchor = walk.find(r"复议后起诉", start=0)
    if anchor is None:
        return
    tokens = walk.tokens
    cursor = anchor + 1
    # skip the headers (结果维持 … 总计) that follow the group names
    while cursor < len(tokens) and (tokens[cursor] == ROW or number_of(tokens[cursor]) is None):
        if tokens[cursor] != ROW and not re.search(r"维持|纠正|其他|审结|总计|起诉", tokens[cursor]):
            return  # the table ended before any figure
        cursor += 1
    if walk.reliable:  # blanks in the header row of some pages: start at the first row with a digit
        while cursor > 0 and tokens[cursor - 1] != ROW:
            cursor -= 1
    values, _ = walk.values_after(cursor - 1, 15)
    if len(values) != 15:
        result.unread.append(
            f"表四读到 {len(values)} 个数，应为 15 个 / table 4: read {len(values)} figures, expected 15"
        )
        return
    for g, group in enumerate(T4_GROUPS):
        for r, column in enumerate(T4_RESULTS):
            value, blank = values[g * 5 + r]
            result.cells.append(Cell("表四", group, column, value, blank, position=cursor))


def _fail(result: Tables, table: str, zh: str, en: str) -> None:
    result.failures.setdefault(table, []).append(f"{zh} / {en}")


def _check(result: Tables) -> None:
    def v(table, row, column):
        cell = result.get(table, row, column)
        return None if cell is None else cell.value

    if any(c.table == "表三" for c in result.cells):
        outcome_rows = [c.row for c in result.cells if c.table == "表三" and c.column == "总计"][2:-2]
        for column in APPLICANTS:
            a, b = (
                v("表三", "一、本年新收政府信息公开申请数量", column),
                v("表三", "二、上年结转政府信息公开申请数量", column),
            )
            c, d = v("表三", "（七）总计", column), v("表三", "四、结转下年度继续办理", column)
            if None not in (a, b, c, d) and abs(a + b - c - d) > 1e-9:
                _fail(
                    result,
                    "表三",
                    f"「{column}」列：一+二 = {a + b:g}，三(七)+四 = {c + d:g}，不相等"
                    "（第一项加第二项之和应等于第三项加第四项之和）",
                    f"column {column}: new + carried over = {a + b:g} but concluded + carried forward = {c + d:g}",
                )
            parts = [v("表三", row, column) for row in outcome_rows]
            if c is not None and parts and None not in parts and abs(sum(parts) - c) > 1e-9:
                _fail(
                    result,
                    "表三",
                    f"「{column}」列：各项办理结果之和 {sum(parts):g} ≠（七）总计 {c:g}",
                    f"column {column}: outcomes add up to {sum(parts):g}, total says {c:g}",
                )
        for row in dict.fromkeys(c.row for c in result.cells if c.table == "表三"):
            cells = {c.column: c for c in result.cells if c.table == "表三" and c.row == row}
            if len(cells) == 7 and not cells["总计"].filled:
                parts = sum(cells[name].value for name in APPLICANTS[:6])
                if abs(parts - cells["总计"].value) > 1e-9 and not cells["总计"].blank:
                    _fail(
                        result,
                        "表三",
                        f"「{row}」行：各类申请人之和 {parts:g} ≠ 总计 {cells['总计'].value:g}",
                        f"row {row}: applicants add up to {parts:g}, total says {cells['总计'].value:g}",
                    )
    for group in T4_GROUPS:
        values = [v("表四", group, column) for column in T4_RESULTS]
        if None not in values and abs(sum(values[:4]) - values[4]) > 1e-9:
            _fail(
                result,
                "表四",
                f"「{group}」：维持+纠正+其他+尚未审结 = {sum(values[:4]):g} ≠ 总计 {values[4]:g}",
                f"{group}: the four results add up to {sum(values[:4]):g}, total says {values[4]:g}",
            )
