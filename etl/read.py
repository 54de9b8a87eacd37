"""Read one submitted file (template workbook, long XLSX or CSV) into a raw text table; runs in the checking child.

In: a path, the name people know it by, the limits (etl.checked.Limits) and a private work folder.
Out: a RawFile whose rows (one per value cell, all text, with file, sheet, row and column letters)
are written to raw.parquet in that folder, or the problems saying why the file could not be read.
The type is judged by the bytes, not by the name: a .xlsx that is not a zip is refused.

CSV is read strictly, because a lenient reader changes values without a word: the encoding is
UTF-8, UTF-16 with a byte-order mark or GB18030, and anything that decodes only as mojibake
(Shift-JIS, Big5) is refused and named; lone carriage returns mixed with line feeds, over-long
lines, rows with another number of fields than the header and unbalanced quotes are refused with
their line; "" inside a quoted field is one quote. DuckDB reads the text with the dialect fixed
(no sniffing, which cost 253 s of CPU on one 2 MB line).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl.utils import column_index_from_string, get_column_letter

from etl import problems as P
from etl import workbook_scan

TEMPLATE_SHEET = "填报表"
TEMPLATE_MARKER = "rolgov-template-v1"
TEMPLATE_HEADER_ROW = 6  # 1-based; data rows follow
TEMPLATE_COLUMNS = ["序号", "指标编码", "领域", "指标名称", "单位", "口径说明", "目标值", "填报数值", "备注"]
TEMPLATE_ID_COL, TEMPLATE_VALUE_COL, TEMPLATE_NOTE_COL = 2, 8, 9  # 1-based column numbers

PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
GB_FAMILY = ("gb18030", "gbk", "gb2312", "hz")
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
REJECT_RULES = {
    "TOO MANY COLUMNS": "field_count",
    "MISSING COLUMNS": "field_count",
    "UNQUOTED VALUE": "csv_quoting",
    "LINE SIZE OVER MAXIMUM": "line_too_long",
}


@dataclass
class RawFile:
    """A read file: its rows in `parquet` (RAW_COLUMNS), or `problems` saying why there are none."""

    path: Path
    name: str
    kind: str  # template | xlsx | csv | empty
    problems: pd.DataFrame
    encoding: str = ""
    parquet: Path | None = None
    rows: int = 0
    counts: dict[str, int] | None = None  # problems per rule when `problems` lists only the first

    @property
    def source(self) -> str:
        """A SELECT producing RAW_COLUMNS, for etl.validate."""
        return f"SELECT * FROM read_parquet('{_sql_path(self.parquet)}')"


def _sql_path(path: Path | None) -> str:
    return str(path).replace("'", "''")


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


def _guess(data: bytes) -> str:
    """The encoding charset_normalizer finds most likely among those Chinese offices meet, for the message."""
    from charset_normalizer import from_bytes

    best = from_bytes(
        data[:200_000], cp_isolation=["gb18030", "big5", "cp950", "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949"]
    ).best()
    return best.encoding if best is not None else ""


def _is_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def decode_text(data: bytes) -> tuple[str | None, str, str]:
    """(text, encoding, detail): UTF-8 (BOM or not), UTF-16 with a BOM, or GB18030; never latin-1.

    Bytes that decode as GB18030 only into characters no Chinese Excel export contains (private-use
    characters, or rare ones where another encoding fits better) are refused: detail names the
    encoding they look like (Big5, Shift-JIS), so the message can say what to do.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", ""
        except UnicodeDecodeError:
            return None, "", " [UTF-16?]"
    try:
        text = data.decode("utf-8-sig")
        return (None, "", " [UTF-16?]") if "\x00" in text else (text, "utf-8", "")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        guess = _guess(data)
        return None, "", f" [{guess}]" if guess else ""
    if "\x00" in text:
        return None, "", " [UTF-16?]"
    rare = {c for c in text if ord(c) > 127 and not _is_gb2312(c)}
    if PRIVATE_USE.search(text) or rare:
        guess = _guess(data)
        if PRIVATE_USE.search(text) or (guess and guess.replace("-", "_").lower() not in GB_FAMILY):
            return None, "", f" [{guess or 'Big5?'}]"
    return text, "gb18030", ""


def _line_problems(name: str, text: str, limits) -> tuple[str, list[pd.DataFrame]]:
    """Normalise line endings (CRLF or CR only become LF) and check lengths and the row count."""
    found: list[pd.DataFrame] = []
    lone_cr = re.search(r"\r(?!\n)", text)
    if lone_cr:
        if "\n" in text:  # a lone CR among LF endings: which is a row end is a guess, so refuse
            first = len(re.findall(r"\r\n|\r|\n", text[: lone_cr.start()])) + 1  # the line this CR ends
            found.append(P.one("line_endings", name, row=first))
            return text, found
        text = text.replace("\r", "\n")  # old Mac files: CR alone everywhere, unambiguous
    elif "\r" in text:
        text = text.replace("\r\n", "\n")
    rows = text.count("\n") + (0 if text.endswith("\n") else 1)
    if rows - 1 > limits.max_rows:
        found.append(P.one("too_many_rows", name, f"{rows - 1:,}", f"{limits.max_rows:,}"))
        return text, found
    long_lines, start, number = [], 0, 1
    limit = limits.max_line_chars
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > limit:
            long_lines.append({"file": name, "row": number, "value": f"{end - start:,}", "detail": f"{limit:,}"})
            if len(long_lines) >= limits.problems_listed:
                break
        start, number = end + 1, number + 1
    if long_lines:
        found.append(P.make("line_too_long", pd.DataFrame(long_lines)))
    return text, found


def _delimiter(header_line: str) -> str:
    """The separator of the header line: the one (of , tab ; |) that splits it most; a comma by default."""
    counts = {d: header_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def read_csv(path: Path, name: str, data: bytes, limits, workdir: Path) -> RawFile:
    text, encoding, detail = decode_text(data)
    if text is None:
        return RawFile(path, name, "csv", P.one("encoding_unknown", name, detail=detail))
    text = text.lstrip("\ufeff")
    if text.strip() == "":
        return RawFile(path, name, "csv", P.one("file_unreadable", name, detail="文件为空 / the file is empty"))
    text, found = _line_problems(name, text, limits)
    if found:
        return RawFile(path, name, "csv", P.combine(found), encoding)
    header_line = text.split("\n", 1)[0]
    delimiter = _delimiter(header_line)
    try:
        headers = next(csv.reader([header_line], delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return RawFile(path, name, "csv", P.one("csv_quoting", name, str(exc), row=1), encoding)
    mapping = _map_headers(headers)
    missing = [f for f in ("region", "year", "indicator", "value") if f not in mapping]
    if missing:
        problem = P.one("columns_missing", name, "、".join(map(str, headers)), ", ".join(missing), row=1)
        return RawFile(path, name, "csv", problem, encoding)
    utf8 = workdir / "input.csv"
    utf8.write_text(text, encoding="utf-8")
    del text
    return _csv_rows(path, name, utf8, headers, mapping, delimiter, encoding, limits, workdir)


def _csv_rows(path, name, utf8, headers, mapping, delimiter, encoding, limits, workdir) -> RawFile:
    """DuckDB reads the UTF-8 text with a fixed dialect; rows it rejects become problems with their line."""

    def lit(text: str) -> str:
        return "'" + str(text).replace("'", "''") + "'"

    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(headers))) + "}"
    reader = (
        f"read_csv({lit(utf8)}, auto_detect = false, header = true, columns = {columns}, delim = {lit(delimiter)}, "
        f"quote = '\"', escape = '\"', new_line = '\\n', strict_mode = true, null_padding = false, "
        f"max_line_size = {max(limits.max_line_chars * 4 + 16, 2_097_152)}, store_rejects = true, "
        "rejects_table = 'rejected_rows', rejects_scan = 'rejected_scan')"
    )

    def field(key: str) -> str:
        return f"c{mapping[key]}" if key in mapping else "NULL::VARCHAR"

    def label(key: str) -> str:
        index = mapping[key]
        return lit(f"{get_column_letter(index + 1)}（{headers[index]}）")

    parquet = workdir / "raw.parquet"
    con = duckdb.connect(config={"threads": 1})
    try:
        con.execute(
            f"""
            COPY (
                SELECT {lit(name)} AS file, '' AS sheet, (row_number() OVER () + 1)::BIGINT AS row,
                       {label("region")} AS region_col, {label("year")} AS year_col,
                       {label("indicator")} AS indicator_col, {label("value")} AS value_col,
                       {field("region")} AS region_text, {field("year")} AS year_text,
                       {field("indicator")} AS indicator_text, {field("value")} AS value_text,
                       {field("note")} AS note, NULL::VARCHAR AS formula
                       {f", c{mapping['value'] + 1} AS after_value" if mapping["value"] + 1 < len(headers) else ""}
                FROM {reader}
            ) TO {lit(workdir / "csv_rows.parquet")} (FORMAT parquet)
            """
        )
        rejected = con.execute(
            "SELECT line, error_type, error_message, csv_line FROM rejected_rows ORDER BY line LIMIT ?",
            [limits.problems_listed],
        ).fetchall()
        by_type = con.execute("SELECT error_type, count(*) FROM rejected_rows GROUP BY ALL").fetchall()
    except duckdb.Error as exc:
        return RawFile(path, name, "csv", P.one("file_unreadable", name, detail=str(exc).splitlines()[0][:200]))
    finally:
        con.close()
    if rejected:
        counts: dict[str, int] = {}
        for error_type, n in by_type:
            rule = REJECT_RULES.get(error_type, "file_unreadable")
            counts[rule] = counts.get(rule, 0) + int(n)
        problems = _rejects(name, rejected, len(headers))
        return RawFile(path, name, "csv", problems, encoding, counts=counts)
    return _finish_csv(path, name, encoding, workdir, parquet, limits)


def _rejects(name: str, rejected: list[tuple], width: int) -> pd.DataFrame:
    frames = []
    for line, error_type, message, text in rejected:
        rule = REJECT_RULES.get(error_type, "file_unreadable")
        if rule == "field_count":
            found = re.search(r"Found:\s*(\d+)", message or "")
            value, detail = (found.group(1) if found else "?"), str(width)
        elif rule == "csv_quoting":
            value, detail = (text or "")[:80].rstrip("\n"), ""
        elif rule == "line_too_long":
            value, detail = f"{len(text or ''):,}", ""
        else:
            value, detail = "", (message or error_type)[:200]
        frames.append(P.one(rule, name, value, detail, row=int(line)))
    return P.combine(frames)


def _finish_csv(path, name, encoding, workdir, parquet, limits) -> RawFile:
    """Split-number check (an unquoted 1,234 reads as value 1 and 234 in the next column), then the rows file."""
    rows_file = workdir / "csv_rows.parquet"
    with duckdb.connect(config={"threads": 1}) as con:
        source = f"read_parquet('{_sql_path(rows_file)}')"
        has_after = "after_value" in con.sql(f"SELECT * FROM {source} LIMIT 0").columns
        split = (
            con.execute(
                f"SELECT file, row, value_col AS column, trim(value_text) AS value, trim(after_value) AS detail "
                f"FROM {source} WHERE regexp_full_match(trim(value_text), '[+-]?[0-9]{{1,3}}') "
                f"AND regexp_full_match(trim(after_value), '[0-9]{{3}}(\\.[0-9]+)?') ORDER BY row LIMIT ?",
                [limits.problems_listed],
            ).df()
            if has_after
            else pd.DataFrame()
        )
        if not split.empty:
            return RawFile(path, name, "csv", P.make("value_split", split), encoding)
        keep = ", ".join(RAW_COLUMNS)
        con.execute(f"COPY (SELECT {keep} FROM {source}) TO '{_sql_path(parquet)}' (FORMAT parquet)")
        rows = con.execute(f"SELECT count(*) FROM {source}").fetchall()[0][0]
    rows_file.unlink(missing_ok=True)
    (workdir / "input.csv").unlink(missing_ok=True)
    return RawFile(path, name, "csv", P.empty(), encoding, parquet, int(rows))


# ── workbooks ───────────────────────────────────────────────────────────────────────────────
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

    def col(field: str) -> str:
        index = mapping[field]
        return f"{get_column_letter(index + 1)}（{headers[index]}）"

    def text(field: str) -> list:
        if field not in mapping:
            return [None] * len(table)
        return _texts(table.iloc[:, mapping[field]], mapping[field] + 1, percent)

    return pd.DataFrame(
        {
            "file": name,
            "sheet": sheet,
            "row": table.index + 1,
            "region_col": col("region"),
            "year_col": col("year"),
            "indicator_col": col("indicator"),
            "value_col": col("value"),
            "region_text": text("region"),
            "year_text": text("year"),
            "indicator_text": text("indicator"),
            "value_text": text("value"),
            "note": text("note"),
            "formula": None,
        },
        columns=RAW_COLUMNS,
    )


def read_workbook(path: Path, name: str, data: bytes, limits, workdir: Path) -> RawFile:
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
    parquet = workdir / "raw.parquet"
    table = pa.Table.from_pandas(
        rows.astype({c: ("int64" if c == "row" else "string") for c in RAW_COLUMNS}), preserve_index=False
    )
    pq.write_table(table, parquet)
    return RawFile(path, name, kind, P.empty(), "", parquet, len(rows))


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
            "region_text": region,
            "year_text": year,
            "indicator_text": column(TEMPLATE_ID_COL),
            "value_text": column(TEMPLATE_VALUE_COL),
            "note": column(TEMPLATE_NOTE_COL),
            "formula": None,
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
        mapping = _map_headers(headers)
        missing = [f for f in ("region", "year", "indicator", "value") if f not in mapping]
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


def read_file(path: Path | str, display_name: str | None, limits, workdir: Path) -> RawFile:
    """Read any accepted file into workdir/raw.parquet; the display name goes into every problem."""
    path = Path(path)
    name = display_name or path.name
    size = path.stat().st_size
    cap = int(limits.max_file_mb * 1024 * 1024)
    if size > cap:
        problem = P.one("file_too_large", name, f"{size / 1024 / 1024:.1f} MB", f"{limits.max_file_mb:g} MB")
        return RawFile(path, name, "empty", problem)
    data = path.read_bytes()
    if not data:
        return RawFile(path, name, "empty", P.one("file_unreadable", name, detail="文件为空 / the file is empty"))
    kind = sniff(data)
    if kind in ("xlsx", "xls"):
        return read_workbook(path, name, data, limits, workdir)
    if path.suffix.lower() in (".xlsx", ".xls", ".xlsm"):
        detail = "文件名是 Excel，但内容不是 Excel 工作簿 / named like a workbook but is not one"
        return RawFile(path, name, "xlsx", P.one("file_unreadable", name, detail=detail))
    return read_csv(path, name, data, limits, workdir)
