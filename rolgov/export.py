"""Tables to downloadable bytes: .xlsx with Chinese headers and CSV with BOM, formula injection neutralised."""

from __future__ import annotations

import io

import pandas as pd

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A text cell that starts like a formula gets a leading apostrophe, so a spreadsheet shows it as text."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    out.columns = [safe_cell(str(c)) for c in out.columns]
    return out


def to_xlsx(frame: pd.DataFrame, sheet: str = "数据") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralised(frame).to_excel(writer, sheet_name=sheet[:31], index=False)
        worksheet = writer.sheets[sheet[:31]]
        for cells in worksheet.columns:
            width = max(len(str(c.value or "")) for c in cells)
            worksheet.column_dimensions[cells[0].column_letter].width = min(max(8, width * 1.8), 60)
    return buffer.getvalue()


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel in China opens it without mojibake."""
    return neutralised(frame).to_csv(index=False).encode("utf-8-sig")
