"""Write a copy of a submitted file with each bad cell marked red and explained; out: an .xlsx to send back.

Workbooks keep their own layout; a CSV becomes a workbook with the same rows and columns.
A sheet 问题清单 lists every problem with its place, value, rule and fix.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from etl.read import decode_text, sniff
from rolgov.export import safe_cell

BAD = PatternFill("solid", fgColor="F8B4B4")
LETTERS = re.compile(r"^([A-Z]+)(\d*)")


def _column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def annotate(source: Path | str, problems: pd.DataFrame, out: Path | str) -> Path:
    source, out = Path(source), Path(out)
    data = source.read_bytes()
    if sniff(data) == "xlsx":
        book = openpyxl.load_workbook(source)
    else:
        text, _ = decode_text(data)
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "数据"
        frame = pd.read_csv(
            pd.io.common.StringIO((text or "").lstrip("\ufeff")), dtype=str, keep_default_na=False, header=None
        )
        for row in frame.itertuples(index=False):
            sheet.append([safe_cell(v) for v in row])
    for problem in problems.to_dict("records"):
        sheet_name = problem["sheet"] or book.worksheets[0].title
        if sheet_name not in book.sheetnames or not problem["column"]:
            continue
        match = LETTERS.match(str(problem["column"]))
        if not match or pd.isna(problem["row"]):
            continue
        row = int(match.group(2)) if match.group(2) else int(problem["row"])
        cell = book[sheet_name].cell(row, _column_number(match.group(1)))
        cell.fill = BAD
        text = f"{problem['message']}\n修改：{problem['fix']}"
        if cell.comment is not None:
            text = cell.comment.text + "\n\n" + text
        cell.comment = Comment(text[:2000], "校验 / check")
    if "问题清单" in book.sheetnames:
        del book["问题清单"]
    listing = book.create_sheet("问题清单", 0)
    listing.append(["工作表", "行", "列", "值", "问题 / problem", "修改方法 / fix", "规则"])
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for problem in problems.to_dict("records"):
        listing.append(
            [
                safe_cell(str(problem[k])) if k != "row" else (None if pd.isna(problem[k]) else int(problem[k]))
                for k in ("sheet", "row", "column", "value", "message", "fix", "rule")
            ]
        )
    for letter, width in zip("ABCDEFG", (12, 6, 16, 16, 70, 70, 16), strict=True):
        listing.column_dimensions[letter].width = width
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out
