"""Read one submitted file (template workbook, long XLSX or CSV) into raw rows; runs in the checking child.

In: a path, the name people know it by, the limits (etl.checked.Limits), a private work folder and a
DuckDB connection. Out: a RawFile whose rows (one per value cell, all text, with file, sheet, row and
column labels: etl.raw.RAW_COLUMNS) are a table or view of that connection, with the sha256 of the
bytes read; or the problems saying why the file could not be read. The type is judged by the bytes,
not by the name: a .xlsx that is not a zip is refused. Workbooks: etl/read_workbook.py.

CSV is read strictly, because a lenient reader changes values without a word: the encoding is
UTF-8, UTF-16 with a byte-order mark or GB18030, and anything that decodes only as mojibake
(Shift-JIS, Big5) is refused and named; lone carriage returns mixed with line feeds, over-long
lines, rows with another number of fields than the header and unbalanced quotes are refused with
their line; "" inside a quoted field is one quote. DuckDB reads the text with the dialect fixed
(no sniffing, which cost 253 s of CPU on one 2 MB line).

Why the CSV checks work on bytes: a national file has 2.6 million lines, and a Python loop over them
(or a decoded copy of the text in Python) cost seconds and hundreds of megabytes. Line endings, line
lengths and the row count are found with bytes methods and numpy; a UTF-8 file with line feeds goes to
DuckDB as it is (its bytes are read once; a file changed meanwhile is refused), anything else as a
normalised UTF-8 copy in the work folder.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import os
import re
import threading
import time
from pathlib import Path

import duckdb
import pandas as pd
from openpyxl.utils import get_column_letter

from etl import problems as P
from etl.raw import LABELLED, PLAIN_FIELDS, RAW_COLUMNS, REQUIRED, TEXT_FIELDS, RawFile, map_headers
from etl.read_workbook import read_workbook

PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
GB_FAMILY = ("gb18030", "gbk", "gb2312", "hz")
UTF8_BOM = b"\xef\xbb\xbf"
REJECT_RULES = {
    "TOO MANY COLUMNS": "field_count",
    "MISSING COLUMNS": "field_count",
    "UNQUOTED VALUE": "csv_quoting",
    "LINE SIZE OVER MAXIMUM": "line_too_long",
}
UTF8_CHECKED_HERE = 1 << 22  # a larger file's UTF-8 is checked here this far, and further by DuckDB


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
    rare = False
    try:
        text.encode("gb2312")  # the common case, at C speed: every character is a plain GB2312 one
    except UnicodeEncodeError:
        rare = any(ord(c) > 127 and not _is_gb2312(c) for c in set(text))
    if PRIVATE_USE.search(text) or rare:
        guess = _guess(data)
        if PRIVATE_USE.search(text) or (guess and guess.replace("-", "_").lower() not in GB_FAMILY):
            return None, "", f" [{guess or 'Big5?'}]"
    return text, "gb18030", ""


def _as_utf8(data: bytes, strict: bool = True) -> tuple[bytes | None, str, str, bool, bool]:
    """(UTF-8 bytes, encoding, detail, as_read, tentative): as_read says they are the file's own bytes.

    UTF-8 is checked by decoding and dropping the text (the common case keeps no copy); anything else
    goes through decode_text and comes back encoded as UTF-8. Not strict, a large file's first 4 MB
    are decoded here and DuckDB's reader checks the rest as it parses (tentative: its rejects of type
    INVALID ENCODING then send the file back through the strict path).
    """
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        tentative = not strict and len(data) > UTF8_CHECKED_HERE
        try:
            if tentative:
                codecs.getincrementaldecoder("utf-8")().decode(data[:UTF8_CHECKED_HERE], final=False)
            else:
                data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if data.find(b"\x00") >= 0:
                return None, "", " [UTF-16?]", False, False
            return data, "utf-8", "", True, tentative
    text, encoding, detail = decode_text(data)
    if text is None:
        return None, "", detail, False, False
    return text.encode("utf-8"), encoding, "", False, False


def _line_problems(name: str, data: bytes, start: int, limits) -> tuple[bytes, list[pd.DataFrame], bool]:
    """Normalise line endings (CRLF or CR only become LF), check lengths and the row count.

    Returns the bytes, the problems and whether the bytes were changed. start skips a byte-order mark.
    """
    changed = False
    if data.find(b"\r") >= 0:
        if data.count(b"\r") != data.count(b"\r\n"):  # a lone CR somewhere
            if data.find(b"\n") >= 0:  # among LF endings: which is a row end is a guess, so refuse
                lone = re.compile(rb"\r(?!\n)").search(data, start).start()
                breaks = (
                    data.count(b"\n", start, lone) + data.count(b"\r", start, lone) - data.count(b"\r\n", start, lone)
                )
                return data, [P.one("line_endings", name, row=breaks + 1)], False
            data = data.replace(b"\r", b"\n")  # old Mac files: CR alone everywhere, unambiguous
        else:
            data = data.replace(b"\r\n", b"\n")
        changed = True
    rows = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if rows - 1 > limits.max_rows:
        return data, [P.one("too_many_rows", name, f"{rows - 1:,}", f"{limits.max_rows:,}")], changed
    long_lines = _long_lines(name, data, start, limits.max_line_chars, limits.problems_listed)
    return data, ([P.make("line_too_long", pd.DataFrame(long_lines))] if long_lines else []), changed


def _long_lines(name: str, data: bytes, start: int, limit: int, listed: int) -> list[dict]:
    """Lines over `limit` characters (the first `listed`), found without visiting every line break.

    A line longer than `limit` bytes holds a whole block of limit // 2 bytes (blocks counted from `start`)
    with no line feed in it, so only such blocks are followed up: the line around one is measured, and
    only one longer than the limit in bytes (never shorter than in characters) is decoded and counted.
    A file of short lines costs one find per block (2,600 for the national file's 104 MB)."""
    found: list[dict] = []
    block = max(limit // 2, 1)
    number, counted_to, line_end = 1, start, start - 1  # number: the line at counted_to
    for begin in range(start, len(data) - block + 1, block):
        if begin <= line_end or data.find(b"\n", begin, begin + block) >= 0:
            continue  # inside the line measured last, or a line ends here
        line_start = data.rfind(b"\n", start, begin) + 1 or start
        line_end = data.find(b"\n", begin + block)
        line_end = len(data) if line_end < 0 else line_end
        if line_end - line_start <= limit:
            continue
        chars = len(data[line_start:line_end].decode("utf-8", errors="replace"))
        if chars > limit:
            number += data.count(b"\n", counted_to, line_start)
            counted_to = line_start
            found.append({"file": name, "row": number, "value": f"{chars:,}", "detail": f"{limit:,}"})
            if len(found) >= listed:
                break
    return found


def _delimiter(header_line: str) -> str:
    """The separator of the header line: the one (of , tab ; |) that splits it most; a comma by default."""
    counts = {d: header_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def read_csv(path: Path, name: str, box: list[bytes], limits, workdir: Path, con, stamp, strict=False) -> RawFile:
    """box holds the file's bytes; they are taken out of it, so that they can go before DuckDB parses
    (a national file's 100 MB need not stay beside the parsed rows)."""
    utf8, encoding, detail, as_read, tentative = _as_utf8(box.pop(), strict)
    if utf8 is None:
        return RawFile(path, name, "csv", P.one("encoding_unknown", name, detail=detail))
    start = 0
    while utf8.startswith(UTF8_BOM, start):
        start += len(UTF8_BOM)
    if start and (not as_read or start > len(UTF8_BOM)):  # our own copy, or marks DuckDB would not skip
        utf8, start, as_read = utf8[start:], 0, False
    if re.compile(rb"\S").search(utf8, start) is None:
        return RawFile(path, name, "csv", P.one("file_unreadable", name, detail="文件为空 / the file is empty"))
    utf8, found, changed = _line_problems(name, utf8, start, limits)
    if found:
        return RawFile(path, name, "csv", P.combine(found), encoding)
    end = utf8.find(b"\n", start)
    header_line = utf8[start : end if end >= 0 else len(utf8)].decode("utf-8")
    delimiter = _delimiter(header_line)
    try:
        headers = next(csv.reader([header_line], delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return RawFile(path, name, "csv", P.one("csv_quoting", name, str(exc), row=1), encoding)
    mapping = map_headers(headers)
    missing = [f for f in REQUIRED if f not in mapping]
    if missing:
        problem = P.one("columns_missing", name, "、".join(map(str, headers)), ", ".join(missing), row=1)
        return RawFile(path, name, "csv", problem, encoding)
    if as_read and not changed:
        source = path  # DuckDB reads the file itself (and skips a byte-order mark)
    else:
        source = workdir / "input.csv"
        source.write_bytes(utf8)
    del utf8
    raw = _csv_rows(path, name, source, headers, mapping, delimiter, encoding, limits, con)
    changed_meanwhile = _stamp(os.stat(path)) != stamp
    if tentative and not changed_meanwhile and set(raw.problems["rule"]) == {"encoding_unknown"}:
        # not UTF-8 after its first 4 MB: read it again the strict way (GB18030, or refused by name)
        return read_csv(path, name, [path.read_bytes()], limits, workdir, con, stamp, strict=True)
    if source == path and raw.problems.empty and changed_meanwhile:
        detail = "文件在读取过程中被修改，请重试 / the file changed while it was being read: try again"
        return RawFile(path, name, "csv", P.one("file_unreadable", name, detail=detail), encoding)
    return raw


def _lit(text) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _csv_rows(path, name, source, headers, mapping, delimiter, encoding, limits, con) -> RawFile:
    """DuckDB reads the UTF-8 text with a fixed dialect into csv_rows; the view raw_rows adds the labels.

    Rows it rejects become problems with their line. Only the columns that vary from row to row are
    stored (a national file has millions of rows); the file name and column labels are constants.
    """
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(headers))) + "}"
    reader = (
        f"read_csv({_lit(source)}, auto_detect = false, header = true, columns = {columns}, "
        f"delim = {_lit(delimiter)}, quote = '\"', escape = '\"', new_line = '\\n', strict_mode = true, "
        f"null_padding = false, max_line_size = {max(limits.max_line_chars * 4 + 16, 2_097_152)}, "
        "store_rejects = true, rejects_table = 'rejected_rows', rejects_scan = 'rejected_scan')"
    )
    fields = [f for f in (*(f"{t}_text" for t in TEXT_FIELDS), *PLAIN_FIELDS) if f.removesuffix("_text") in mapping]
    after = mapping["value"] + 1 < len(headers)
    stored = [f"c{mapping[f.removesuffix('_text')]} AS {f}" for f in fields]
    stored += [f"c{mapping['value'] + 1} AS after_value"] if after else []
    try:
        con.execute("DROP TABLE IF EXISTS rejected_rows; DROP TABLE IF EXISTS rejected_scan")  # a first try's
        # the row is the table's own row id (its rows keep the file's order): a row_number() over the scan
        # would number the rows one thread at a time (0.8 s against 0.46 for the national file's 2.6 M)
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE csv_data AS SELECT {', '.join(stored)} FROM {reader};"
            "CREATE OR REPLACE TEMP VIEW csv_rows AS SELECT (rowid + 2)::INTEGER AS row, * FROM csv_data"
        )
        rejected = con.execute(
            "SELECT line, error_type, error_message, csv_line FROM rejected_rows ORDER BY line LIMIT ?",
            [limits.problems_listed],
        ).fetchall()
        by_type = con.execute("SELECT error_type, count(*) FROM rejected_rows GROUP BY ALL").fetchall()
    except duckdb.Error as exc:
        return RawFile(path, name, "csv", P.one("file_unreadable", name, detail=str(exc).splitlines()[0][:200]))
    if any(error_type == "INVALID ENCODING" for error_type, _ in by_type):  # bytes that are not UTF-8
        return RawFile(path, name, "csv", P.one("encoding_unknown", name), encoding)
    if rejected:
        counts: dict[str, int] = {}
        for error_type, n in by_type:
            rule = REJECT_RULES.get(error_type, "file_unreadable")
            counts[rule] = counts.get(rule, 0) + int(n)
        return RawFile(path, name, "csv", _rejects(name, rejected, len(headers)), encoding, counts=counts)
    if after:  # an unquoted 1,234 reads as value 1 and 234 in the next column
        split = con.execute(
            f"SELECT {_lit(name)} AS file, row, {_label(mapping, headers, 'value')} AS column, "
            "trim(value_text) AS value, trim(after_value) AS detail FROM csv_rows "
            "WHERE after_value IS NOT NULL AND regexp_full_match(trim(after_value), '[0-9]{3}(\\.[0-9]+)?') "
            "AND regexp_full_match(trim(value_text), '[+-]?[0-9]{1,3}') ORDER BY row LIMIT ?",
            [limits.problems_listed],
        ).df()
        if not split.empty:
            return RawFile(path, name, "csv", P.make("value_split", split), encoding)
    labels = {f"{f}_col": _label(mapping, headers, f) for f in LABELLED}
    values = {
        f: (f if f.removesuffix("_text") in mapping else "NULL::VARCHAR")
        for f in (*(f"{t}_text" for t in TEXT_FIELDS), *PLAIN_FIELDS)
    }
    select = {"file": _lit(name), "sheet": "''", "row": "row", **labels, **values, "formula": "NULL::VARCHAR"}
    con.execute(
        "CREATE OR REPLACE TEMP VIEW raw_rows AS SELECT "
        + ", ".join(f"{select[c]} AS {c}" for c in RAW_COLUMNS)
        + " FROM csv_rows"
    )
    rows = con.execute("SELECT count(*) FROM csv_rows").fetchall()[0][0]
    return RawFile(path, name, "csv", P.empty(), encoding, "raw_rows", int(rows))


def _label(mapping: dict[str, int], headers: list[str], field: str) -> str:
    """The column label problems name, as SQL: 'D（value）'; NULL for a column the file lacks."""
    if field not in mapping:
        return "NULL::VARCHAR"
    index = mapping[field]
    return _lit(f"{get_column_letter(index + 1)}（{headers[index]}）")


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


def _stamp(stat: os.stat_result) -> tuple[int, int, int]:
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


class _Digest(threading.Thread):
    """sha256 of the bytes read, in a thread: hashlib lets go of the GIL, so it runs beside DuckDB's parse."""

    def __init__(self, data: bytes):
        super().__init__(daemon=True)
        self.data, self.hexdigest = data, ""

    def run(self) -> None:
        self.hexdigest = hashlib.sha256(self.data).hexdigest()
        self.data = b""

    def result(self) -> str:
        self.join()
        return self.hexdigest


def read_file(
    path: Path | str, display_name: str | None, limits, workdir: Path, con: duckdb.DuckDBPyConnection
) -> RawFile:
    """Read any accepted file into raw rows on `con`; the display name goes into every problem."""
    path = Path(path)
    name = display_name or path.name
    started = time.perf_counter()
    size = path.stat().st_size
    cap = int(limits.max_file_mb * 1024 * 1024)
    if size > cap:
        problem = P.one("file_too_large", name, f"{size / 1024 / 1024:.1f} MB", f"{limits.max_file_mb:g} MB")
        return RawFile(path, name, "empty", problem)
    with open(path, "rb") as handle:
        stamp = _stamp(os.fstat(handle.fileno()))
        data = handle.read()
    if not data:
        return RawFile(path, name, "empty", P.one("file_unreadable", name, detail="文件为空 / the file is empty"))
    digest = _Digest(data)
    digest.start()
    kind = sniff(data)
    if kind in ("xlsx", "xls"):
        raw = read_workbook(path, name, data, limits, con)
    elif path.suffix.lower() in (".xlsx", ".xls", ".xlsm"):
        detail = "文件名是 Excel，但内容不是 Excel 工作簿 / named like a workbook but is not one"
        raw = RawFile(path, name, "xlsx", P.one("file_unreadable", name, detail=detail))
    else:
        box = [data]
        del data
        raw = read_csv(path, name, box, limits, workdir, con, stamp)
    raw.sha256 = digest.result()
    raw.phases["read"] = time.perf_counter() - started
    return raw
