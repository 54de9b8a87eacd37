"""The shape every reader hands to validation: raw rows (all text, each with its file, sheet, row and column
labels) in a DuckDB table, the header words each field goes by, and RawFile, what reading one file gave.

Besides the four required fields and the note, a long table may carry the columns a candidates file of
`python -m etl extract` has (状态 status, 限定 qualifier, 来源 source, 位置 place): etl.validate then loads
only the rows a person kept and the exact values among them (see its docstring).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

REQUIRED = ("region", "year", "indicator", "value")
HEADER_ALIASES = {
    "region": {"region", "region_code", "地区", "区划", "地区名称", "区划代码", "行政区划", "单位", "区县"},
    "year": {"year", "年份", "年度"},
    "indicator": {"indicator", "indicator_id", "指标", "指标编码", "指标名称"},
    "value": {"value", "数值", "值", "填报数值"},
    "note": {"note", "备注", "说明"},
    # a reviewed candidates file (python -m etl extract)
    "status": {"status", "状态"},
    "qualifier": {"qualifier", "限定"},
    "source": {"source", "来源"},
    "place": {"place", "位置"},
}
RAW_COLUMNS = [
    "file",
    "sheet",
    "row",
    "region_col",
    "year_col",
    "indicator_col",
    "value_col",
    "status_col",
    "qualifier_col",
    "region_text",
    "year_text",
    "indicator_text",
    "value_text",
    "note",
    "formula",
    "status",
    "qualifier",
    "source",
    "place",
]
LABELLED = (*REQUIRED, "status", "qualifier")  # each with a column label <field>_col, NULL when absent
TEXT_FIELDS = ("region", "year", "indicator", "value")  # read into <field>_text
PLAIN_FIELDS = ("note", "status", "qualifier", "source", "place")  # read under their own name


def norm_header(text) -> str:
    return re.sub(r"[\s\u3000*（）()]", "", str(text)).lower() if text is not None else ""


def map_headers(headers: list) -> dict[str, int]:
    """Field name -> 0-based column index, from a header row (the first column a field's words name)."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = norm_header(header)
        for name, words in HEADER_ALIASES.items():
            if key in {norm_header(w) for w in words} and name not in found:
                found[name] = index
    return found


@dataclass
class RawFile:
    """A read file: its rows in the DuckDB table or view `relation` (RAW_COLUMNS) of the connection the
    reader was given, or `problems` saying why there are none. sha256 is of the bytes that were read."""

    path: Path
    name: str
    kind: str  # template | xlsx | csv | empty
    problems: pd.DataFrame
    encoding: str = ""
    relation: str | None = None
    rows: int = 0
    counts: dict[str, int] | None = None  # problems per rule when `problems` lists only the first
    sha256: str = ""
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step, for the benchmarks
