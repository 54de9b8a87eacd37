"""Read one submitted file (template workbook, long XLSX or CSV in UTF-8/GB18030) into a raw text table.

Out: a pandas frame with one row per value cell, all text, and where each came from
(file, sheet, row, column letters), or a problems frame saying why the file could not be read.
The type is judged by the bytes, not by the name: a .xlsx that is not a zip is refused.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from etl import problems as P

TEMPLATE_SHEET = "填报表"
TEMPLATE_MARKER = "rolgov-template-v1"
TEMPLATE_HEADER_ROW = 6  # 1-based; data rows follow
TEMPLATE_COLUMNS = ["序号", "指标编码", "领域", "指标名称", "单位", "口径说明", "目标值", "填报数值", "备注"]
TEMPLATE_ID_COL, TEMPLATE_VALUE_COL, TEMPLATE_NOTE_COL = 2, 8, 9  # 1-based column numbers

PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
HEADER_ALIASES = {
    "region": {"region", "region_code", "地区", "区划", "地区名称", "区划代码", "行政区划", "单位", "区县"},
    "year": {"year", "年份", "年度"},
    "indicator": {"indicator", "indicator_id", "指标", "指标编码", "指标名称"},
    "value": {"value", "数值", "值", "填报数值"},
    "note": {"note", "备注", "说明"},
}
RAW_COLUMNS = [
    "file",
    "sheet",
    "row",
    "region_col",
    "year_col",
    "indicator_col",
    "value_col",
    "region_text",
    "year_text",
    "indicator_text",
    "value_text",
    "note",
    "formula",
]


@dataclass
class RawFile:
    """A read file: `rows` (a frame, for workbooks) or `source_sql` (a query DuckDB runs, for CSV).

    CSV stays inside DuckDB from the file to the checks: millions of rows never become Python
    objects. Call cleanup() when done (a GB18030 file is re-encoded to a private temporary file).
    """

    path: Path
    name: str
    kind: str  # template | xlsx | csv
    rows: pd.DataFrame | None
    problems: pd.DataFrame
    encoding: str = ""
    source_sql: str | None = None
    tmpdir: tempfile.TemporaryDirectory | None = None

    @property
    def source(self) -> pd.DataFrame | str:
        return self.source_sql if self.source_sql is not None else self.rows

    def cleanup(self) -> None:
        if self.tmpdir is not None:
            self.tmpdir.cleanup()
            self.tmpdir = None


def column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _norm_header(text) -> str:
    return re.sub(r"[\s\u3000*（）()]", "", str(text)).lower() if text is not None else ""


def _map_headers(headers: list) -> dict[str, int]:
    """Field name -> 0-based column index, from a header row."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = _norm_header(header)
        for field, names in HEADER_ALIASES.items():
            if key in {_norm_header(n) for n in names} and field not in found:
                found[field] = index
    return found


def sniff(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    return "text"


def decode_text(data: bytes) -> tuple[str | None, str]:
    """Decode CSV bytes as UTF-8 (BOM or not), UTF-16 with BOM, or GB18030; never latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None, ""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            return None, ""
        # Big5, EUC-KR and other double-byte files also "decode" as GB18030, into private-use-area
        # characters that no Excel export of Chinese text contains: refuse rather than load mojibake.
        if encoding == "gb18030" and PRIVATE_USE.search(text):
            return None, ""
        return text, "utf-8" if encoding == "utf-8-sig" else encoding
    return None, ""


def _long_frame(
    name: str, sheet: str, table: pd.DataFrame, first_row: int, mapping: dict[str, int], headers: list
) -> pd.DataFrame:
    """Shape a long table (already cut below its header) into RAW_COLUMNS, all text."""

    def col(field: str) -> str:
        index = mapping[field]
        return f"{column_letter(index + 1)}（{headers[index]}）"

    def text(field: str) -> pd.Series:
        if field not in mapping:
            return pd.Series([None] * len(table), index=table.index, dtype="object")
        series = table.iloc[:, mapping[field]]
        if series.dtype == object:  # spreadsheet cells: numbers, dates, text
            return series.where(series.notna(), None).map(_cell_text, na_action="ignore").astype("string[pyarrow]")
        return series.astype("string[pyarrow]")  # CSV text stays Arrow-backed (fast into DuckDB)

    out = pd.DataFrame(
        {
            "file": name,
            "sheet": sheet,
            "row": range(first_row, first_row + len(table)),
            "region_col": col("region"),
            "year_col": col("year"),
            "indicator_col": col("indicator"),
            "value_col": col("value"),
            "region_text": text("region").to_numpy(),
            "year_text": text("year").to_numpy(),
            "indicator_text": text("indicator").to_numpy(),
            "value_text": text("value").to_numpy(),
            "note": text("note").to_numpy(),
            "formula": None,
        }
    )
    return out


def _cell_text(value) -> str | None:
    """A spreadsheet cell as text: 91037.0 -> '91037', dates and booleans as written."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    text = str(value)
    return text if text.strip() != "" else None


def _sql_text(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def read_csv(path: Path, name: str, data: bytes) -> RawFile:
    empty = pd.DataFrame(columns=RAW_COLUMNS)
    text, encoding = decode_text(data)
    if text is None:
        return RawFile(path, name, "csv", empty, P.one("encoding_unknown", name))
    if text.strip() == "":
        return RawFile(path, name, "csv", empty, P.one("file_unreadable", name, detail="文件为空 / the file is empty"))
    # DuckDB's CSV reader is many times faster than pandas on millions of rows; it reads UTF-8 only,
    # so other encodings are written out as UTF-8 first (never decoded as latin-1).
    tmpdir = None
    utf8 = path
    if encoding != "utf-8" or data.startswith(b"\xef\xbb\xbf"):
        tmpdir = tempfile.TemporaryDirectory(prefix="rolgov-csv-")
        utf8 = Path(tmpdir.name) / "input.csv"
        utf8.write_text(text.lstrip("\ufeff"), encoding="utf-8")
    del text
    reader = f"read_csv({_sql_text(utf8)}, all_varchar = true, header = true, strict_mode = false)"
    try:
        headers = list(duckdb.connect().sql(f"SELECT * FROM {reader} LIMIT 0").columns)
    except duckdb.Error as exc:
        if tmpdir:
            tmpdir.cleanup()
        return RawFile(path, name, "csv", empty, P.one("file_unreadable", name, detail=str(exc).splitlines()[0]))
    mapping = _map_headers(headers)
    missing = [f for f in ("region", "year", "indicator", "value") if f not in mapping]
    if missing:
        if tmpdir:
            tmpdir.cleanup()
        return RawFile(
            path,
            name,
            "csv",
            empty,
            P.one("columns_missing", name, value="、".join(map(str, headers)), detail=", ".join(missing), row=1),
            encoding,
        )

    def field(key: str) -> str:
        return f'"{headers[mapping[key]]}"' if key in mapping else "NULL::VARCHAR"

    def label(key: str) -> str:
        index = mapping[key]
        return _sql_text(f"{column_letter(index + 1)}（{headers[index]}）")

    source = f"""
        SELECT {_sql_text(name)} AS file, '' AS sheet, (row_number() OVER () + 1)::BIGINT AS row,
               {label("region")} AS region_col, {label("year")} AS year_col,
               {label("indicator")} AS indicator_col, {label("value")} AS value_col,
               {field("region")} AS region_text, {field("year")} AS year_text,
               {field("indicator")} AS indicator_text, {field("value")} AS value_text,
               {field("note")} AS note, NULL::VARCHAR AS formula
        FROM {reader}"""
    return RawFile(path, name, "csv", None, P.empty(), encoding, source_sql=source, tmpdir=tmpdir)


def _formula_cells(data: bytes) -> dict[tuple[str, int, int], str]:
    """(sheet, row, column) -> formula text, for workbooks that contain any formula at all."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        has_formula = any(
            b"<f>" in archive.read(n) or b"<f " in archive.read(n)
            for n in archive.namelist()
            if n.startswith("xl/worksheets/sheet")
        )
    if not has_formula:
        return {}
    import openpyxl  # only when needed: slow on large files

    found: dict[tuple[str, int, int], str] = {}
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("=") and cell.data_type == "f":
                    found[(sheet.title, cell.row, cell.column)] = cell.value
    book.close()
    return found


def read_workbook(path: Path, name: str, data: bytes) -> RawFile:
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object, engine="calamine")
        formulas = _formula_cells(data) if data.startswith(b"PK") else {}
    except Exception as exc:  # calamine raises several types for corrupt files
        return RawFile(
            path,
            name,
            "xlsx",
            pd.DataFrame(columns=RAW_COLUMNS),
            P.one("file_unreadable", name, detail=f"{type(exc).__name__}: {str(exc)[:160]}"),
        )
    if TEMPLATE_SHEET in sheets and _is_template(sheets[TEMPLATE_SHEET]):
        rows, problems = _read_template(name, sheets[TEMPLATE_SHEET])
        kind = "template"
    else:
        rows, problems, kind = _read_long_sheets(name, sheets), P.empty(), "xlsx"
        if isinstance(rows, tuple):
            rows, problems = rows
    if formulas and not rows.empty:
        rows = rows.copy()
        value_col_number = rows["value_col"].str.extract(r"^([A-Z]+)")[0].map(_letters_to_number)
        keys = list(zip(rows["sheet"], rows["row"], value_col_number, strict=True))
        rows["formula"] = [formulas.get(k) for k in keys]
    return RawFile(path, name, kind, rows, problems)


def _letters_to_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def _is_template(sheet: pd.DataFrame) -> bool:
    return sheet.shape[0] > 3 and sheet.shape[1] > 1 and str(sheet.iat[3, 1]).strip() == TEMPLATE_MARKER


def _read_template(name: str, sheet: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    region = _cell_text(sheet.iat[1, 1])
    year = _cell_text(sheet.iat[2, 1])
    body = sheet.iloc[TEMPLATE_HEADER_ROW:, :]
    body = body[body.iloc[:, TEMPLATE_ID_COL - 1].notna()]
    width = sheet.shape[1]

    def column(number: int) -> pd.Series:
        if number > width:
            return pd.Series([None] * len(body), index=body.index, dtype=object)
        return body.iloc[:, number - 1].map(_cell_text)

    rows = pd.DataFrame(
        {
            "file": name,
            "sheet": TEMPLATE_SHEET,
            "row": body.index + 1,
            "region_col": "B2（地区）",
            "year_col": "B3（年份）",
            "indicator_col": [f"B{i + 1}" for i in body.index],
            "value_col": [f"{column_letter(TEMPLATE_VALUE_COL)}{i + 1}（填报数值）" for i in body.index],
            "region_text": region,
            "year_text": year,
            "indicator_text": column(TEMPLATE_ID_COL).to_numpy(),
            "value_text": column(TEMPLATE_VALUE_COL).to_numpy(),
            "note": column(TEMPLATE_NOTE_COL).to_numpy(),
            "formula": None,
        }
    )
    problems = []
    if region is None:
        problems.append(P.one("template_header", name, "", "地区 / region", TEMPLATE_SHEET, 2, "B"))
    if year is None:
        problems.append(P.one("template_header", name, "", "年份 / year", TEMPLATE_SHEET, 3, "B"))
    return rows, P.combine(problems)


def _read_long_sheets(name: str, sheets: dict[str, pd.DataFrame]):
    frames, problems = [], []
    for sheet_name, sheet in sheets.items():
        if sheet.dropna(how="all").empty:
            continue
        header_index = sheet.notna().any(axis=1).idxmax()
        headers = [h if h is not None else "" for h in sheet.iloc[header_index].tolist()]
        mapping = _map_headers(headers)
        missing = [f for f in ("region", "year", "indicator", "value") if f not in mapping]
        if missing:
            problems.append(
                P.one(
                    "columns_missing",
                    name,
                    "、".join(str(h) for h in headers if h != ""),
                    ", ".join(missing),
                    sheet_name,
                    header_index + 1,
                )
            )
            continue
        table = sheet.iloc[header_index + 1 :]
        frames.append(_long_frame(name, sheet_name, table, header_index + 2, mapping, headers))
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=RAW_COLUMNS)
    if not frames and not problems:
        problems.append(P.one("file_unreadable", name, detail="工作簿中没有数据 / the workbook holds no data"))
    return rows, P.combine(problems)


def read_file(path: Path | str, display_name: str | None = None) -> RawFile:
    """Read any accepted file; the display name goes into every problem (uploads keep their own name)."""
    path = Path(path)
    name = display_name or path.name
    data = path.read_bytes()
    if not data:
        return RawFile(
            path,
            name,
            "empty",
            pd.DataFrame(columns=RAW_COLUMNS),
            P.one("file_unreadable", name, detail="文件为空 / the file is empty"),
        )
    kind = sniff(data)
    if kind in ("xlsx", "xls"):
        return read_workbook(path, name, data)
    if path.suffix.lower() in (".xlsx", ".xls", ".xlsm"):
        return RawFile(
            path,
            name,
            "xlsx",
            pd.DataFrame(columns=RAW_COLUMNS),
            P.one(
                "file_unreadable",
                name,
                detail="文件名是 Excel，但内容不是 Excel 工作簿 / named like a workbook but is not one",
            ),
        )
    return read_csv(path, name, data)
