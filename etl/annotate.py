"""Write a copy of a submitted file with each bad cell marked red and explained; out: an .xlsx to send back.

Workbooks keep their own layout, less their links to other workbooks (a copy we send back must not
fetch http://evil.example/book.xlsx when opened); a CSV becomes a workbook with the same rows and
columns, every cell neutralised against formula injection. A sheet 问题清单 lists every problem with
its place, value, rule and fix. With copy_cells=False (a large file) the copy holds that list only.
Runs in the checking child (etl/sandbox_child.py): openpyxl reads the whole file into memory.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import column_index_from_string

from etl.read import decode_text, sniff
from rolgov.export import safe_cell

BAD = PatternFill("solid", fgColor="F8B4B4")
LETTERS = re.compile(r"^([A-Z]+)(\d*)")


def _without_external_links(book: openpyxl.Workbook) -> None:
    """Drop the workbook's links to other files and the names that point into them ([1]Sheet!A1)."""
    book._external_links = []
    for name in list(book.defined_names):
        if "[" in str(book.defined_names[name].value):
            del book.defined_names[name]
    for sheet in book.worksheets:
        for name in list(sheet.defined_names):
            if "[" in str(sheet.defined_names[name].value):
                del sheet.defined_names[name]


def annotate(source: Path | str, problems: pd.DataFrame, out: Path | str, copy_cells: bool = True) -> Path:
    source, out = Path(source), Path(out)
    data = source.read_bytes()
    if not copy_cells:
        book = openpyxl.Workbook()
        del book[book.active.title]
    elif sniff(data) == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        _without_external_links(book)
    else:
        text, _, _ = decode_text(data)
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "数据"
        lines = io.StringIO((text or "").lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
        for row in csv.reader(lines):
            sheet.append([safe_cell(v) for v in row])
    for problem in problems.to_dict("records"):
        if not book.worksheets:
            break
        sheet_name = problem["sheet"] or book.worksheets[0].title
        if sheet_name not in book.sheetnames or not problem["column"]:
            continue
        match = LETTERS.match(str(problem["column"]))
        if not match or pd.isna(problem["row"]):
            continue
        row = int(match.group(2)) if match.group(2) else int(problem["row"])
        cell = book[sheet_name].cell(row, column_index_from_string(match.group(1)))
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
