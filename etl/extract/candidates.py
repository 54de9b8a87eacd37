"""An Extraction in, the candidates file a person reviews out (CSV, UTF-8 with BOM for Excel), and back.

Columns: 地区, 年份, 指标, 数值, 备注 (what `python -m etl load` reads) and beside them 限定, 状态, 名称,
核对, 位置, 来源 (ignored by the loader). A value that is not exact is written with its qualifier word
(约1000, 累计374, 其中1105, 变化12.3%, 目标100%), which the loader refuses, so it cannot load by
accident; a person who decides it is the yearly value writes the plain number (or sets 限定 to exact).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from etl.extract import Extraction
from rolgov.catalog import Catalog

COLUMNS = ["地区", "年份", "指标", "数值", "备注", "限定", "状态", "名称", "核对", "位置", "来源"]
STATUSES = ("proposed", "accepted", "rejected", "flagged")
QUALIFIERS = ("exact", "approximate", "cumulative", "change", "part", "target")


def frame(extraction: Extraction, catalog: Catalog) -> pd.DataFrame:
    """The candidates as a table: mapped ones first, each group in the order the report prints them."""
    source = f"{extraction.document.name} sha256:{extraction.document.sha256}"
    ordered = sorted(extraction.candidates, key=lambda c: (c.indicator is None, c.order))
    rows = [
        {
            "地区": c.region or "",
            "年份": "" if c.year is None else str(c.year),
            "指标": c.indicator or "",
            "数值": c.value_text(),
            "备注": c.note,
            "限定": c.qualifier,
            "状态": c.status,
            "名称": catalog[c.indicator].name_zh if c.indicator else "",
            "核对": "；".join(dict.fromkeys(c.checks)),
            "位置": c.position,
            "来源": source,
        }
        for c in ordered
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def to_csv_bytes(table: pd.DataFrame) -> bytes:
    return table.to_csv(index=False).encode("utf-8-sig")


def write(table: pd.DataFrame, path: Path | str) -> None:
    Path(path).write_bytes(to_csv_bytes(table))


def read(data: bytes | Path | str) -> pd.DataFrame:
    """A candidates file back (as saved by Excel too: UTF-8 with BOM or GB18030), all text."""
    from etl.read import decode_text

    raw = Path(data).read_bytes() if isinstance(data, (str, Path)) else data
    text, _, _ = decode_text(raw)
    if text is None:
        raise ValueError("候选文件编码无法识别 / the candidates file has an unknown encoding")
    table = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), dtype=str, keep_default_na=False)
    missing = [c for c in ("地区", "年份", "指标", "数值", "限定", "状态") if c not in table.columns]
    if missing:
        raise ValueError(
            f"候选文件缺少列：{'、'.join(missing)} / the candidates file lacks columns {', '.join(missing)}; "
            "请使用 python -m etl extract 生成的文件 / use the file `python -m etl extract` wrote"
        )
    for column in COLUMNS:
        if column not in table.columns:
            table[column] = ""
    return table
