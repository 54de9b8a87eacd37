"""Write the yearly submission workbook for one region and year from metrics.yml; out: an .xlsx file.

Sheet 填报说明 explains the rules; sheet 填报表 has one row per indicator the region reports, its
name, unit, definition and target, and one input column guarded by Excel data validation.
The sheet is protected except for the input cells, so names and ids cannot drift.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from etl.read_workbook import (
    TEMPLATE_COLUMNS,
    TEMPLATE_HEADER_ROW,
    TEMPLATE_ID_COL,
    TEMPLATE_MARKER,
    TEMPLATE_NOTE_COL,
    TEMPLATE_SHEET,
    TEMPLATE_VALUE_COL,
)
from rolgov import regions as R
from rolgov.catalog import BASIS_LABELS, Catalog, Indicator

FONT = "宋体"
HEAD_FILL = PatternFill("solid", fgColor="1F3A5F")
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
THIN = Side(style="thin", color="B0B7C3")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def indicators_for(catalog: Catalog, region_code: str) -> list[Indicator]:
    """What a region enters: counties and own levels every base indicator; a whole-area total only
    what cannot be summed from its units (survey results, yes/no items)."""
    if R.is_total(region_code):
        return [i for i in catalog.base if i.aggregate == "none"]
    if R.is_own_level(region_code):
        return [i for i in catalog.base if i.own_level and i.aggregate != "none"]
    return catalog.base


def _target_text(ind: Indicator, level: str, year: int) -> str:
    target = ind.target_for(level, year)
    if target is None:
        return "—"
    value = ("是" if target.value else "否") if ind.kind == "boolean" else f"{target.value:g}{ind.unit_label()}"
    return f"{value}（{BASIS_LABELS[target.basis][0]}）"


def write_template(catalog: Catalog, region_code: str, year: int, out: Path | str) -> Path:
    out = Path(out)
    if R.level(region_code) is None:
        raise ValueError(f"未知的区划代码 {region_code} / unknown region code")
    name = R.name_of(region_code, year)
    level = R.target_level(region_code)
    book = Workbook()
    guide = book.active
    guide.title = "填报说明"
    sheet = book.create_sheet(TEMPLATE_SHEET)
    book.active = 1

    lines = [
        f"{name} {year}年度 法治政府建设指标填报说明",
        "",
        "1. 只在「填报表」黄色的「填报数值」列填写数字；其他单元格已锁定。",
        "2. 数值可写 1234、1,234 或 84.4%；不要写「50余」「约300」等，含义不明确的数会被退回。",
        "3. 没有数据请留空；留空表示未填报，不等于 0。确为 0 时请填 0。",
        "4. 百分比填 0–100 之间的数（如 92 或 92%），不要填 0.92。",
        "5. 比率类指标（如精简率、审查率）由系统按分量自动计算，无需填写，本表不列出。",
        "6. 目标值中注明「估计值（非官方）」的，不是官方考核标准，仅供参考。",
        "7. 不要在数值单元格里写公式；请粘贴为数值。",
        "8. 填好后交回，或由市级用 `python -m etl check 文件名` 校验、`python -m etl load 文件名` 导入。",
        "",
        "English: enter figures only in the yellow 填报数值 column; blank means not reported (not zero);",
        "percentages as 0-100; derived rates are computed by the system; targets marked 估计值 are not official.",
    ]
    for row, text in enumerate(lines, start=1):
        guide.cell(row, 1, text).font = Font(name=FONT, size=14 if row == 1 else 11, bold=row == 1)
    guide.column_dimensions["A"].width = 110

    sheet.cell(1, 1, f"{name} {year}年度 法治政府建设指标填报表").font = Font(name=FONT, size=14, bold=True)
    for row, (label, value) in enumerate((("地区", region_code), ("年份", year), ("模板", TEMPLATE_MARKER)), 2):
        sheet.cell(row, 1, label).font = Font(name=FONT, bold=True)
        sheet.cell(row, 2, value).font = Font(name=FONT)
    sheet.cell(2, 3, name).font = Font(name=FONT)
    sheet.cell(4, 2).font = Font(name=FONT, color="999999")
    sheet.cell(5, 1, "（地区可填区划代码或名称；旧名称如「旬阳县」同样有效）").font = Font(name=FONT, color="666666")

    for col, title in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = sheet.cell(TEMPLATE_HEADER_ROW, col, title)
        cell.font = Font(name=FONT, bold=True, color="FFFFFF")
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX

    # what Excel itself refuses in the value column: (type, operator, formulas, title, message) by kind
    rules = {
        "whole": ("whole", "greaterThanOrEqual", ("0",), "须为非负整数", "计数指标请填写非负整数。"),
        "decimal": ("decimal", "greaterThanOrEqual", ("0",), "须为非负数", "请填写非负数。"),
        "percent": ("decimal", "between", ("0", "100"), "须在0–100之间", "百分比请填 0–100 之间的数。"),
        "yes_no": ("list", None, ('"是,否"',), "请选择", "请选择「是」或「否」。"),
    }
    whole, decimal, percent, yes_no = (
        DataValidation(
            type=kind,
            operator=operator,
            formula1=formulas[0],
            formula2=formulas[1] if len(formulas) > 1 else None,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=title,
            error=message,
        )
        for kind, operator, formulas, title, message in rules.values()
    )
    for validation in (whole, decimal, percent, yes_no):
        sheet.add_data_validation(validation)

    area_names = {a.id: a.short_zh for a in catalog.areas}
    value_letter = get_column_letter(TEMPLATE_VALUE_COL)
    for number, ind in enumerate(indicators_for(catalog, region_code), start=1):
        row = TEMPLATE_HEADER_ROW + number
        values = [
            number,
            ind.id,
            area_names[ind.area],
            ind.name_zh,
            ind.unit_label(),
            ind.definition_zh,
            _target_text(ind, level, year),
            None,
            None,
        ]
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row, col, value)
            cell.font = Font(name=FONT)
            cell.border = BOX
            cell.alignment = Alignment(vertical="top", wrap_text=col in (4, 6, 7))
        for col in (TEMPLATE_VALUE_COL, TEMPLATE_NOTE_COL):
            sheet.cell(row, col).fill = INPUT_FILL
            sheet.cell(row, col).protection = Protection(locked=False)
        target = ind.target_for(level, year)
        if target is not None and target.is_estimate:
            sheet.cell(row, 7).comment = Comment(f"估计值，非官方目标：{target.note_zh}", "rolgov")
        ref = f"{value_letter}{row}"
        {"count": whole, "amount": decimal, "percent": percent, "boolean": yes_no}[ind.kind].add(ref)
    sheet.cell(2, 2).protection = Protection(locked=False)
    sheet.cell(3, 2).protection = Protection(locked=False)
    for letter, width in zip("ABCDEFGHI", (6, 30, 10, 34, 7, 48, 22, 14, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.column_dimensions[get_column_letter(TEMPLATE_ID_COL)].hidden = False
    sheet.freeze_panes = sheet.cell(TEMPLATE_HEADER_ROW + 1, 5)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out
