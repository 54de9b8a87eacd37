"""数据完整性 Completeness: which region reported what in which year, and each region's latest batch."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from rolgov import analysis, charts, export, queries, ui
from rolgov.i18n import t

ctx, catalog = ui.page("completeness")
lang = ctx.lang
codes = [c for c in queries.scope_codes(ctx.scope, ctx.year) if c != ctx.scope]
base = [i for i in catalog.base if i.aggregate != "none" and (ctx.signed_in or i.publication == "public")]
reported = queries.reported_matrix(ui.cursor(ctx.version), codes, [i.id for i in base])
labels = {c: ui.region_label(c, ctx) for c in codes}
table = analysis.completeness(reported, codes, ctx.years, [i.id for i in base])
grid = table.pivot(index="region_code", columns="year", values="share").reindex(codes)
missing = table.pivot(index="region_code", columns="year", values="missing").reindex(codes)
# a cell names what is missing only when something is: "缺0" in every full cell was noise
missing_text = missing.map(
    lambda n: "" if pd.isna(n) or n == 0 else (f"缺{int(n)}" if lang == "zh" else f"{int(n)} missing")
)
fig = go.Figure(
    go.Heatmap(
        z=grid.to_numpy() * 100,
        x=[str(y) for y in grid.columns],
        y=[labels[c] for c in grid.index],
        zmin=0,
        zmax=100,
        colorscale=[(0, "#C62828"), (0.5, "#E0A526"), (1, "#2E7D32")],
        text=missing_text.to_numpy(),
        texttemplate="%{text}",
        textfont={"color": "white", "size": 12},
        customdata=missing.to_numpy(),
        hovertemplate=(
            "%{y} · %{x}年：填报率 %{z:.0f}%，缺报 %{customdata} 项<extra></extra>"
            if lang == "zh"
            else "%{y} · %{x}: %{z:.0f}% reported, %{customdata} missing<extra></extra>"
        ),
        xgap=2,
        ygap=2,
        colorbar={"title": "填报率 %" if lang == "zh" else "Reported %"},
    )
)
fig.update_layout(
    template=charts.TEMPLATE,
    height=120 + 36 * len(codes),
    yaxis={"autorange": "reversed"},
    xaxis={"type": "category"},
    title="各地区各年度基础指标填报率" if lang == "zh" else "Share of base indicators reported",
)
ui.chart(
    fig,
    "数据完整性",
    f"基础指标{len(base)}个 · 市本级不适用的指标（如村级法律顾问）计为缺报"
    if lang == "zh"
    else f"{len(base)} base indicators · own-level gaps include items that do not apply there",
)

st.subheader("指标明细" if lang == "zh" else "By indicator")
year = ctx.year
region = ui.url_select(t("region", lang), codes, "region", codes[0], format_func=lambda c: labels[c])
have = set(reported[(reported["region_code"] == region) & (reported["year"] == year)]["indicator_id"])
detail = pd.DataFrame(
    {
        t("indicator", lang): [i.name(lang) for i in base],
        t("area", lang): [
            catalog.area(i.area).short_zh if lang == "zh" else catalog.area(i.area).short_en for i in base
        ],
        "状态" if lang == "zh" else "Status": [
            ("已填报" if lang == "zh" else "reported") if i.id in have else ("缺报" if lang == "zh" else "missing")
            for i in base
        ],
    }
)
missing_first = (
    detail.assign(_order=[i.id in have for i in base]).sort_values("_order", kind="stable").drop(columns="_order")
)
gap_count = len(base) - len(have & {i.id for i in base})
st.caption(
    f"{ui.region_label(region, ctx)} · {year}年：缺报{gap_count}项，缺报的排在前面。"
    if lang == "zh"
    else f"{ui.region_label(region, ctx)} · {year}: {gap_count} missing, listed first."
)
st.dataframe(missing_first, hide_index=True, width="stretch")

st.subheader("各地区最近一次提交" if lang == "zh" else "Latest batch of each region")
latest = queries.latest_batch_per_region(ui.cursor(ctx.version), codes)
latest = latest.set_index("region_code").reindex([c for c in codes if c in set(latest["region_code"])]).reset_index()
st.dataframe(
    export.neutralised(
        pd.DataFrame(
            {
                t("region", lang): latest["region_code"].map(labels),
                t("batch", lang) if lang == "zh" else "Batch": latest["batch_id"],
                "文件" if lang == "zh" else "File": latest["file_name"],
                "时间" if lang == "zh" else "Loaded": latest["loaded_at"].dt.strftime("%Y-%m-%d %H:%M"),
                "导入人" if lang == "zh" else "By": latest["loaded_by"],
            }
        )
    ),  # file and user names come from people: shown as text, never as a formula in a CSV download
    hide_index=True,
    width="stretch",
    height=36 + 35 * max(len(latest), 1),
)
