"""目标达成 Targets: bullets of actual against target, gaps in natural units, projected year, counties at risk."""

import pandas as pd
import streamlit as st

from rolgov import analysis, charts, fmt, queries, ui
from rolgov.catalog import BASIS_LABELS
from rolgov.i18n import t

ctx, catalog = ui.page("targets")
lang, year = ctx.lang, ctx.year
z = 0 if lang == "zh" else 1
indicators = ui.visible_indicators(ctx)
codes = queries.scope_codes(ctx.scope, year)
counties = queries.county_codes(ctx.scope, year)
region = ui.url_select(
    t("region", lang),
    [c for c in codes if not c.endswith("BJ")],
    "region",
    ctx.scope,
    format_func=lambda c: ui.region_label(c, ctx),
)
frame = ui.values(ctx.version, tuple(codes), None, None)
table = analysis.gaps(frame, catalog, region, year, indicators, lang)
if table.empty:
    ui.no_data(ctx)
    st.stop()

counted = {s: int((table["status"] == s).sum()) for s in ("met", "near", "below")}
if lang == "zh":
    summary = (
        f"**{ui.region_label(region, ctx)} · {year}年**：有目标的指标{len(table)}个，"
        f"达标{counted['met']}个，接近{counted['near']}个，未达标{counted['below']}个。"
    )
else:
    summary = (
        f"**{ui.region_label(region, ctx)} · {year}**: {len(table)} indicators with a target; "
        f"{counted['met']} met, {counted['near']} near, {counted['below']} below."
    )
st.markdown(summary)
ids = table["indicator_id"].tolist()
bullets = pd.DataFrame(
    {
        "label": [catalog[i].name(lang) + ("*" if e else "") for i, e in zip(ids, table["is_estimate"], strict=True)],
        "kind": [catalog[i].kind for i in ids],
        "value": table["value"].astype(float),
        "target": table["target"].astype(float),
        "status": table["status"],
        "value_text": [fmt.value(catalog[i], v, lang) for i, v in zip(ids, table["value"], strict=True)],
        "target_text": [fmt.value(catalog[i], v, lang) for i, v in zip(ids, table["target"], strict=True)],
    }
)
title = "实际值与目标（竖线为目标）" if lang == "zh" else "Actual against target (tick = target)"
shown_rows = frame[(frame["region_code"] == region) & (frame["year"] == year)]
ui.chart(
    charts.bullets(bullets, lang, title),
    f"目标达成_{region}_{year}",
    ui.source_caption(ctx, shown_rows) + " · " + t("estimate_note", lang),
)

st.subheader("差距（按严重程度排序）" if lang == "zh" else "Gaps, most severe first")
projection_text = {
    "met": "已达标" if lang == "zh" else "met",
    "off_track": "按当前趋势无法达到" if lang == "zh" else "not on current trend",
    "beyond": "2035年后" if lang == "zh" else "after 2035",
    "too_short": "数据不足3年" if lang == "zh" else "under 3 years of data",
    "no_target": "—",
}


def projected(status: str, year_met) -> str:
    if status == "on_track":
        return f"{int(year_met)}年" if lang == "zh" else str(int(year_met))
    return projection_text.get(status, status)


gap_rows = pd.DataFrame(
    {
        t("indicator", lang): [catalog[i].name(lang) for i in ids],
        t("value", lang): bullets["value_text"],
        t("target", lang): [
            f"{tt}{'*' if e else ''}" for tt, e in zip(bullets["target_text"], table["is_estimate"], strict=True)
        ],
        "目标依据" if lang == "zh" else "Basis": [BASIS_LABELS[b][z] for b in table["basis"]],
        "状态" if lang == "zh" else "Status": [t(s, lang) for s in table["status"]],
        "差距" if lang == "zh" else "Gap": table["gap_text"],
        "预计达标年份" if lang == "zh" else "Projected year": [
            projected(s, y) for s, y in zip(table["projection_status"], table["projection_year"], strict=True)
        ],
    }
)
st.dataframe(gap_rows, hide_index=True, width="stretch", height=36 + 35 * len(gap_rows))  # every row, no scrolling
st.caption(
    (
        "预计达标年份按近5年线性趋势外推，仅供参考。"
        if lang == "zh"
        else "Projected years extend the linear trend of the last 5 years; indicative only."
    )
    + " "
    + t("estimate_note", lang)
)

if region == ctx.scope and counties:
    st.subheader("可能无法按期达标的区县" if lang == "zh" else "Counties at risk of missing targets")
    risky = []
    history = frame[frame["region_code"].isin(counties) & (frame["year"] <= year)]  # filter once, not per indicator
    county_names = {c: ui.region_label(c, ctx) for c in counties}
    for ind in [i for i in indicators if i.targets and i.direction != "monitor"]:
        at_risk = analysis.counties_at_risk(history, catalog, counties, year, ind)
        star = "*" if at_risk.size and ind.target_for("county", year).is_estimate else ""
        for rec in at_risk.itertuples():
            risky.append(
                {
                    t("indicator", lang): ind.name(lang),
                    t("county", lang): county_names[rec.region_code],
                    t("value", lang): fmt.value(ind, rec.value, lang),
                    t("target", lang): fmt.value(ind, rec.target, lang) + star,
                    "趋势判断" if lang == "zh" else "Trend": projected(rec.projection_status, rec.projection_year),
                }
            )
    if risky:
        st.dataframe(pd.DataFrame(risky), hide_index=True, width="stretch")
    else:
        st.success("没有按当前趋势无法达标的区县。" if lang == "zh" else "No county is off track.")
