"""Read a workbook (the submission template or long sheets) into raw rows; runs in the checking child.

In: the bytes of an .xlsx, its name, the limits and a DuckDB connection; etl.workbook_scan looks at the
zip's sizes, each sheet's extent and where its cells are before the Excel reader sees the file. Out: a
RawFile whose rows are the view `raw_rows` of that connection, or the problems saying why there are
none. Cells are read as the user sees them (91.2% shown for a stored 0.912, 91037 for 91037.0); a
formula in a value cell is kept, so validation can refuse it even when it has no cached result.
"""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
from openpyxl.utils import column_index_from_string, get_column_letter

from etl import problems as P
from etl import workbook_scan
from etl.raw import LABELLED, PLAIN_FIELDS, RAW_COLUMNS, REQUIRED, TEXT_FIELDS, RawFile, map_headers

TEMPLATE_SHEET = "填报表"
TEMPLATE_MARKER = "rolgov-template-v1"
TEMPLATE_HEADER_ROW = 6  # 1-based; data rows follow
TEMPLATE_COLUMNS = ["序号", "指标编码", "领域", "指标名称", "单位", "口径说明", "目标值", "填报数值", "备注"]
TEMPLATE_ID_COL, TEMPLATE_VALUE_COL, TEMPLATE_NOTE_COL = 2, 8, 9  # 1-based column numbers


def _cell_text(value, percent: bool = False) -> str | None:
    """A spreadsheet cell as the user sees it: 91037.0 -> '91037', 0.912 shown as 91.2% -> '91.2%'."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float) and percent:
        return f"{float(value) * 100:.12g}%"
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    text = str(value)
    return text if text.strip() != "" else None


def _texts(series: pd.Series, column: int, percent: set[tuple[int, int]]) -> list[str | None]:
    """Cells of one column as text; the frame's index + 1 is the sheet row."""
    return [
        None
        if value is None or (isinstance(value, float) and value != value)
        else _cell_text(value, (r + 1, column) in percent)
        for r, value in zip(series.index, series.to_numpy(), strict=True)
    ]


def _long_frame(name, sheet, table, mapping, headers, percent) -> pd.DataFrame:
    """Shape a long table (already cut below its header) into RAW_COLUMNS, all text."""

    def col(field: str) -> str | None:
        if field not in mapping:
            return None
        index = mapping[field]
        return f"{get_column_letter(index + 1)}（{headers[index]}）"

    def text(field: str) -> list:
        if field not in mapping:
            return [None] * len(table)
        return _texts(table.iloc[:, mapping[field]], mapping[field] + 1, percent)

    columns = {"file": name, "sheet": sheet, "row": table.index + 1}
    columns |= {f"{f}_col": col(f) for f in LABELLED}
    columns |= {f"{f}_text": text(f) for f in TEXT_FIELDS}
    columns |= {f: text(f) for f in PLAIN_FIELDS}
    return pd.DataFrame({**columns, "formula": None}, columns=RAW_COLUMNS)


def read_workbook(path: Path, name: str, data: bytes, limits, con: duckdb.DuckDBPyConnection) -> RawFile:
    """The workbook's rows into the table workbook_rows (view raw_rows) of `con`, or its problems."""
    scanned = workbook_scan.WorkbookScan()
    if data.startswith(b"PK"):
        try:
            scanned = workbook_scan.scan(data, limits)
        except workbook_scan.Refused as refused:
            problem = P.one(refused.rule, name, refused.value, refused.detail, refused.sheet)
            return RawFile(path, name, "xlsx", problem)
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object, engine="calamine")
    except Exception as exc:  # calamine raises several types for corrupt files
        detail = f"{type(exc).__name__}: {str(exc)[:160]}"
        return RawFile(path, name, "xlsx", P.one("file_unreadable", name, detail=detail))
    if TEMPLATE_SHEET in sheets and _is_template(sheets[TEMPLATE_SHEET]):
        rows, problems = _read_template(name, sheets[TEMPLATE_SHEET], scanned.percent.get(TEMPLATE_SHEET, set()))
        kind = "template"
    else:
        rows, problems = _read_long_sheets(name, sheets, scanned.percent)
        kind = "xlsx"
    del sheets
    if scanned.formulas and not rows.empty:
        numbers = rows["value_col"].str.extract(r"^([A-Z]+)")[0].map(column_index_from_string)
        keys = zip(rows["sheet"], rows["row"], numbers, strict=True)
        rows["formula"] = [scanned.formulas.get(k) for k in keys]
    if not problems.empty:
        return RawFile(path, name, kind, problems)
    table = pa.Table.from_pandas(
        rows.astype({c: ("int64" if c == "row" else "string") for c in RAW_COLUMNS}), preserve_index=False
    )
    del rows
    con.register("workbook_arrow", table)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE workbook_rows AS SELECT * FROM workbook_arrow;"
        "CREATE OR REPLACE TEMP VIEW raw_rows AS SELECT * FROM workbook_rows"
    )
    con.unregister("workbook_arrow")
    return RawFile(path, name, kind, P.empty(), "", "raw_rows", table.num_rows)


def _is_template(sheet: pd.DataFrame) -> bool:
    return sheet.shape[0] > 3 and sheet.shape[1] > 1 and str(sheet.iat[3, 1]).strip() == TEMPLATE_MARKER


def _read_template(name: str, sheet: pd.DataFrame, percent) -> tuple[pd.DataFrame, pd.DataFrame]:
    region = _cell_text(sheet.iat[1, 1])
    year = _cell_text(sheet.iat[2, 1])
    body = sheet.iloc[TEMPLATE_HEADER_ROW:, :]
    body = body[body.iloc[:, TEMPLATE_ID_COL - 1].notna()]
    width = sheet.shape[1]

    def column(number: int) -> list:
        if number > width:
            return [None] * len(body)
        return _texts(body.iloc[:, number - 1], number, percent)

    value_letter = get_column_letter(TEMPLATE_VALUE_COL)
    rows = pd.DataFrame(
        {
            "file": name,
            "sheet": TEMPLATE_SHEET,
            "row": body.index + 1,
            "region_col": "B2（地区）",
            "year_col": "B3（年份）",
            "indicator_col": [f"B{i + 1}" for i in body.index],
            "value_col": [f"{value_letter}{i + 1}（填报数值）" for i in body.index],
            "status_col": None,
            "qualifier_col": None,
            "region_text": region,
            "year_text": year,
            "indicator_text": column(TEMPLATE_ID_COL),
            "value_text": column(TEMPLATE_VALUE_COL),
            "note": column(TEMPLATE_NOTE_COL),
            "formula": None,
            **dict.fromkeys(("status", "qualifier", "source", "place")),
        },
        columns=RAW_COLUMNS,
    )
    problems = []
    if region is None:
        problems.append(P.one("template_header", name, "", "地区 / region", TEMPLATE_SHEET, 2, "B"))
    if year is None:
        problems.append(P.one("template_header", name, "", "年份 / year", TEMPLATE_SHEET, 3, "B"))
    return rows, P.combine(problems)


def _read_long_sheets(name: str, sheets: dict[str, pd.DataFrame], percent: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    frames, problems = [], []
    for sheet_name, sheet in sheets.items():
        if sheet.dropna(how="all").empty:
            continue
        header_index = sheet.notna().any(axis=1).idxmax()
        headers = [h if h is not None and h == h else "" for h in sheet.iloc[header_index].tolist()]
        mapping = map_headers(headers)
        missing = [f for f in REQUIRED if f not in mapping]
        if missing:
            found = "、".join(str(h) for h in headers if h != "")
            problems.append(P.one("columns_missing", name, found, ", ".join(missing), sheet_name, header_index + 1))
            continue
        table = sheet.iloc[header_index + 1 :]
        frames.append(_long_frame(name, sheet_name, table, mapping, headers, percent.get(sheet_name, set())))
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=RAW_COLUMNS)
    if not frames and not problems:
        problems.append(P.one("file_unreadable", name, detail="工作簿中没有数据 / the workbook holds no data"))
    return rows, P.combine(problems)
