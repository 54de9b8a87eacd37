"""The 数据来源 rows of a draft (one per traced figure) and the draft as Markdown; a Draft in, text out."""

from __future__ import annotations

import re

from rolgov import fmt
from rolgov import regions as R
from rolgov.catalog import Catalog
from rolgov.report import Draft
from rolgov.report_figures import TracedFigure

LEAD = re.compile(r"^（[一二三四五六七八九十]+）[^。]*。")  # the inline （一） heading of a paragraph


# ── appendix rows ──────────────────────────────────────────────────────────────────────────────
def region_label(code: str, year: int) -> str:
    name = R.name_of(code, year)
    return f"{name}（全{name[-1]}）" if R.is_total(code) else name


def period_label(f: TracedFigure) -> str:
    span = f"{f.start}—{f.end}年" if f.start != f.end else f"{f.end}年"
    if f.measure == "change":
        return f"{f.end}年比{f.start}年"
    return f"{span}合计" if "sum" in (f.measure, f.basis) else span


MEASURE_NOTES = {"change": "（增减）", "rank": "（各县排名）", "rate": "（期间合计重算）"}


def value_label(f: TracedFigure, catalog: Catalog) -> str:
    ind = catalog[f.indicator_id]
    if f.measure == "change":
        return f"{f.value:+.1f}{'个百分点' if ind.kind == 'percent' else '%'}"
    if f.measure == "rank":
        return f"第{int(f.value)}位"
    return fmt.value(ind, f.value) if ind.kind != "percent" else f"{f.value:.2f}%"


def source_rows(draft: Draft, catalog: Catalog) -> list[list[str]]:
    """序号, 文中表述, 指标, 地区, 期间, 数值, 批次 — one row per traced figure."""
    rows = []
    for k, f in enumerate(draft.figures, 1):
        ind = catalog[f.indicator_id]
        rows.append(
            [
                str(k),
                f.text,
                ind.name_zh + MEASURE_NOTES.get(f.measure, ""),
                region_label(f.region_code, f.end),
                period_label(f),
                value_label(f, catalog),
                "、".join(str(b) for b in f.batch_ids),
            ]
        )
    return rows


SOURCE_HEADER = ["序号", "文中表述", "指标", "地区", "期间", "数值", "批次"]


def batch_legend(draft: Draft, batch_labels: dict[int, str]) -> str:
    ids = sorted({b for f in draft.figures for b in f.batch_ids})
    return "数据批次：" + "；".join(f"{b} = {batch_labels.get(b, '（批次信息缺失）')}" for b in ids) + "。"


# ── Markdown ───────────────────────────────────────────────────────────────────────────────────
def to_markdown(
    draft: Draft,
    catalog: Catalog,
    image_paths: dict[int, str] | None = None,
    batch_labels: dict[int, str] | None = None,
) -> str:
    """Markdown of the draft; charts link to image_paths (block index -> relative path) or are named only."""
    lines: list[str] = []
    for index, block in enumerate(draft.blocks):
        if block.kind == "title":
            lines += [f"# {block.text}", ""]
        elif block.kind == "note":
            lines += [f"*{block.text}*", ""]
        elif block.kind == "heading":
            lines += [f"## {block.text}", ""]
        elif block.kind == "chart":
            path = (image_paths or {}).get(index)
            lines += [f"![{block.text}]({path})" if path else f"> {block.text}（图见 Word 版）", ""]
        else:
            lead = LEAD.match(block.text)
            lines += [f"**{lead.group(0)}**{block.text[lead.end() :]}" if lead else block.text, ""]
    lines += [
        "---",
        "",
        "## 附件　数据来源",
        "",
        "| " + " | ".join(SOURCE_HEADER) + " |",
        "|" + "---|" * len(SOURCE_HEADER),
    ]
    lines += ["| " + " | ".join(c.replace("|", "／") for c in row) + " |" for row in source_rows(draft, catalog)]
    if draft.figures:
        lines += ["", batch_legend(draft, batch_labels or {})]
    return "\n".join(lines) + "\n"
