"""The 数据来源 appendix of a draft: one row per figure (the text's, then the charts'); a Draft in, rows out."""

from __future__ import annotations

from rolgov import fmt
from rolgov import regions as R
from rolgov.catalog import Catalog
from rolgov.report.figures import TracedFigure
from rolgov.report.model import Draft

SOURCE_HEADER = ["序号", "文中表述", "指标", "地区", "期间", "数值", "批次"]
MEASURE_NOTES = {
    "change": "（增减）",
    "rank": "（各县排名）",
    "rate": "（期间合计重算）",
    "gap": "（差额）",
    "min": "（各县最低值）",
}
NOTE = (
    "下表列出正文和图表中每个数字对应的指标、地区、期间、数值和数据批次，数据取自法治政府建设指标看板。"
    "正文数字如有改动，请对照本表核对，或在看板“材料生成”页重新生成。"
)


def region_label(code: str, year: int) -> str:
    name = R.name_of(code, year)
    return f"{name}（全{name[-1]}）" if R.is_total(code) else name


def period_label(f: TracedFigure) -> str:
    if f.measure == "change":
        return f"{f.end}年比{f.start}年"
    span = f"{f.start}—{f.end}年" if f.start != f.end and f.measure != "value" else f"{f.end}年"
    return f"{span}合计" if "sum" in (f.measure, f.basis) else span


def value_label(f: TracedFigure, catalog: Catalog) -> str:
    ind = catalog[f.indicator_id]
    if f.measure == "change":
        if f.basis == "absolute":
            return f"{f.value:+g}{ind.unit_label('zh')}"
        return f"{f.value:+.1f}{'个百分点' if ind.kind == 'percent' else '%'}"
    if f.measure == "rank":
        return f"第{int(f.value)}位"
    if f.measure == "gap":
        whole = catalog[ind.formula_ids[1]]
        return fmt.value(whole, f.value)
    return fmt.value(ind, f.value) if ind.kind != "percent" else f"{f.value:.2f}%"


def source_rows(draft: Draft, catalog: Catalog) -> list[list[str]]:
    """序号, 文中表述, 指标, 地区, 期间, 数值, 批次 — the text's figures, then each chart's values (图1 …)."""
    figures = [(f.text, f) for f in draft.figures]
    figures += [(f"{caption.split('　')[0]}：{f.text}", f) for caption, f in draft.chart_figures]
    rows = []
    for k, (said, f) in enumerate(figures, 1):
        ind = catalog[f.indicator_id]
        rows.append(
            [
                str(k),
                said,
                ind.name_zh + MEASURE_NOTES.get(f.measure, ""),
                region_label(f.region_code, f.end)
                if f.measure not in ("min",)
                else f"{region_label(f.among, f.end)}各县",
                period_label(f),
                value_label(f, catalog),
                "、".join(str(b) for b in f.batch_ids),
            ]
        )
    return rows


def batch_legend(draft: Draft, batch_labels: dict[int, str]) -> str:
    figures = draft.figures + [f for _, f in draft.chart_figures]
    ids = sorted({b for f in figures for b in f.batch_ids})
    return "数据批次：" + "；".join(f"{b} = {batch_labels.get(b, '（批次信息缺失）')}" for b in ids) + "。"
