"""Look inside an .xlsx before any reader does; bytes and limits in, a WorkbookScan (or problems) out.

Why: the Rust reader (calamine) sizes its cell grid from the positions of the cells it finds, and
allocates before it reads; one cell at XFD1048576 in a 1.6 KB file made it ask for 512 GiB and abort
the whole process. So the archive's declared and real sizes, each sheet's declared <dimension> and
the position of every cell are checked here, by streaming the XML through Python's zipfile (which
stops at the declared size and checks the CRC) and expat, before calamine is allowed to open it.

The same pass finds what calamine does not report: formulas in cells (a value typed as =2+3) and
cells shown as percentages (91.2% is stored as 0.912 with a percent number format), so a value can
be read as the user sees it.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree import ElementTree

from openpyxl.utils import column_index_from_string

MAX_ROW, MAX_COL = 1_048_576, 16_384  # Excel's own grid
CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
BUILTIN_PERCENT_FORMATS = {9, 10}  # 0% and 0.00%
QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # literal text, escapes and [colour] tags in a format code


class Refused(Exception):
    """The workbook breaks a limit; `rule`, `value` and `detail` word the problem (etl.problems.RULES)."""

    def __init__(self, rule: str, value: str = "", detail: str = "", sheet: str = ""):
        super().__init__(f"{rule}: {value} {detail}")
        self.rule, self.value, self.detail, self.sheet = rule, value, detail, sheet


@dataclass
class WorkbookScan:
    """Per sheet name: cells (row, column; 1-based) with a percent format, and formula text by cell."""

    percent: dict[str, set[tuple[int, int]]] = field(default_factory=dict)
    formulas: dict[tuple[str, int, int], str] = field(default_factory=dict)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.1f} MB"


def _parse(archive: zipfile.ZipFile, name: str, events=("end",)):
    """Stream one XML part; a DOCTYPE (entity tricks) is refused before expat sees it."""
    handle = archive.open(name)
    head = handle.peek(1024)[:1024] if hasattr(handle, "peek") else b""
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise Refused("file_unreadable", detail=f"{name} 含有 DOCTYPE / {name} holds a DOCTYPE")
    return ElementTree.iterparse(handle, events=events)


def _percent_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indexes into cellXfs whose number format shows a percentage."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    custom: dict[int, str] = {}
    styles: list[int] = []
    in_cell_xfs = False
    for event, element in _parse(archive, "xl/styles.xml", ("start", "end")):
        tag = _local(element.tag)
        if tag == "cellXfs":
            in_cell_xfs = event == "start"
        elif event == "end" and tag == "numFmt":
            custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
        elif event == "end" and tag == "xf" and in_cell_xfs:
            styles.append(int(element.get("numFmtId", "0") or 0))
        if event == "end" and tag not in ("cellXfs",):
            element.clear()

    def is_percent(fmt_id: int) -> bool:
        if fmt_id in BUILTIN_PERCENT_FORMATS:
            return True
        code = custom.get(fmt_id, "")
        return "%" in QUOTED.sub("", code.split(";")[0])

    return {index for index, fmt_id in enumerate(styles) if is_percent(fmt_id)}


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part name) in workbook order."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        raise Refused("file_unreadable", detail="缺少 xl/workbook.xml / no xl/workbook.xml")
    targets: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for _, element in _parse(archive, "xl/_rels/workbook.xml.rels"):
            if _local(element.tag) == "Relationship":
                target = element.get("Target", "").lstrip("/")
                targets[element.get("Id", "")] = target if target.startswith("xl/") else f"xl/{target}"
    sheets = []
    for _, element in _parse(archive, "xl/workbook.xml"):
        if _local(element.tag) == "sheet":
            rel = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
            part = targets.get(rel, "")
            if part in names:
                sheets.append((element.get("name", ""), part))
    return sheets


def _position(ref: str | None, row: int, col: int) -> tuple[int, int]:
    """A cell's (row, column) from its r attribute, or the next position when it has none (as readers do)."""
    if ref:
        match = CELL_REF.match(ref)
        if not match:
            raise Refused("file_unreadable", detail=f"单元格引用无效 / bad cell reference {ref[:20]!r}")
        return int(match.group(2)), column_index_from_string(match.group(1).upper())
    return row, col + 1


def _check_extent(sheet: str, rows: int, cols: int, what: str, max_cells: int, max_rows: int) -> None:
    if rows > MAX_ROW or cols > MAX_COL or rows * cols > max_cells or rows > max_rows:
        raise Refused("sheet_too_large", what, f"{rows:,} × {cols:,}", sheet)


def _scan_sheet(archive, sheet: str, part: str, percent_styles: set[int], scan: WorkbookScan, limits) -> None:
    low_row = low_col = None
    high_row = high_col = 0
    row = col = 0
    percent = scan.percent.setdefault(sheet, set())
    sheet_data = None
    for event, element in _parse(archive, part, ("start", "end")):
        tag = _local(element.tag)
        if event == "start":
            if tag == "sheetData":
                sheet_data = element
            elif tag == "row":
                row = int(element.get("r") or row + 1)
                col = 0
            elif tag == "c":
                row, col = _position(element.get("r"), row, col)
                low_row = row if low_row is None else min(low_row, row)
                low_col = col if low_col is None else min(low_col, col)
                if row > high_row or col > high_col:
                    high_row, high_col = max(high_row, row), max(high_col, col)
                    # what calamine will allocate: the box around every cell found so far
                    _check_extent(
                        sheet,
                        high_row - low_row + 1,
                        high_col - low_col + 1,
                        f"{element.get('r') or ''}",
                        limits.max_cells,
                        limits.max_rows,
                    )
                style = element.get("s")
                if style and style.isdigit() and int(style) in percent_styles:
                    percent.add((row, col))
            elif tag == "dimension":
                _check_dimension(sheet, element.get("ref", ""), limits)
            continue
        if tag == "f":
            text = (element.text or "").strip()
            scan.formulas[(sheet, row, col)] = f"={text}" if text else "=（共享公式 / shared formula）"
        if tag == "row" and sheet_data is not None:
            sheet_data.clear()  # drop finished rows: memory stays flat however long the sheet
        elif tag in ("c", "row"):
            element.clear()


def _check_dimension(sheet: str, ref: str, limits) -> None:
    """The <dimension ref="A1:XFD1048576"> a sheet declares: readers size buffers by it."""
    corners = [CELL_REF.match(part) for part in ref.split(":")]
    if not ref or not all(corners):
        return
    (first_row, first_col), (last_row, last_col) = [
        (int(m.group(2)), column_index_from_string(m.group(1).upper())) for m in corners + corners[-1:]
    ][:2]
    _check_extent(
        sheet,
        abs(last_row - first_row) + 1,
        abs(last_col - first_col) + 1,
        ref,
        limits.max_cells,
        limits.max_rows,
    )


def scan(data: bytes, limits) -> WorkbookScan:
    """Check an .xlsx against `limits` (max_unzipped_mb, max_cells, max_rows); raise Refused on the first breach."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise Refused("file_unreadable", detail=f"BadZipFile: {str(exc)[:120]}") from None
    with archive:
        infos = archive.infolist()
        declared = sum(i.file_size for i in infos)
        cap = int(limits.max_unzipped_mb * 1024 * 1024)
        if declared > cap or len(infos) > 10_000:
            raise Refused("archive_too_large", _mb(declared), _mb(cap))
        result = WorkbookScan()
        try:
            percent_styles = _percent_styles(archive)
            for sheet, part in _sheet_parts(archive):
                _scan_sheet(archive, sheet, part, percent_styles, result, limits)
        except (zipfile.BadZipFile, zlib.error, ElementTree.ParseError, ValueError, KeyError, EOFError, OSError) as exc:
            # A member larger than it declares ends with a CRC error here, before calamine inflates it.
            raise Refused("file_unreadable", detail=f"{type(exc).__name__}: {str(exc)[:120]}") from None
        except NotImplementedError as exc:  # an unsupported compression method
            raise Refused("file_unreadable", detail=str(exc)[:120]) from None
    return result
