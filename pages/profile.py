"""区县档案 County profile: one county's headline figures, its rank in each area, strengths and weaknesses."""

import pandas as pd
import streamlit as st

from rolgov import analysis, fmt, queries, ui
from rolgov.i18n import t

ctx = ui.context()
catalog = ui.get_catalog()
ui.header("profile", ctx)
if ctx.year is None:
    ui.no_data(ctx)
    st.stop()
lang, year = ctx.lang, ctx.year
counties = queries.county_codes(ctx.scope, year)
if not counties:
    ui.no_data(ctx)
    st.stop()
county = ui.url_select(t("county", lang), counties, "county", counties[0], format_func=lambda c: ui.region_label(c, ctx))
indicators = ui.visible_indicators(ctx)
frame = ui.values(ctx.version, tuple([ctx.scope, *counties]), (year - 1, year), None)
mine = frame[(frame["region_code"] == county) & (frame["year"] == year)]
if mine.empty:
    ui.no_data(ctx, f"{ui.region_label(county, ctx)} ")
    st.stop()

st.subheader(f"{ui.region_label(county, ctx)} · {year}")
tiles = analysis.tiles(frame, catalog, county, year, [i for i in indicators if i.headline], lang)
columns = st.columns(4)
for number, tile in enumerate(tiles):
    ind = tile["indicator"]
    with columns[number % 4].container(border=True):
        st.metric(ind.name(lang), tile["value_text"], tile["delta_text"] or None,
                  delta_color="off" if ind.direction == "monitor" else ("inverse" if ind.direction == "lower" else "normal"))
        if tile["status"] in ("met", "near", "below"):
            color = {"met": "green", "near": "orange", "below": "red"}[tile["status"]]
            st.markdown(f":{color}-badge[{t(tile['status'], lang)}{'*' if tile['target'].is_estimate else ''}] {tile['gap_text']}")
        else:
            st.caption(t(tile["status"], lang) + ("（不评判达标）" if lang == "zh" else " (not judged)"))
st.caption(ui.source_caption(ctx, mine) + " · " + t("estimate_note", lang))

left, right = st.columns(2)
with left:
    st.subheader("各领域排名" if lang == "zh" else "Rank by area")
    scores = analysis.county_scores(frame, catalog, counties, year, indicators)
    ranks = analysis.area_ranks(scores, county, catalog)
    names = {a.id: (a.short_zh if lang == "zh" else a.short_en) for a in catalog.areas}
    names["overall"] = t("composite", lang)
    st.dataframe(pd.DataFrame({
        t("area", lang): ranks["area"].map(names),
        "得分" if lang == "zh" else "score": ranks["score"].round(1),
        t("rank", lang): [f"{r}/{o}" for r, o in zip(ranks["rank"], ranks["of"], strict=True)],
    }), hide_index=True, width="stretch")
    st.caption(t("composite_note", lang))
with right:
    strong, weak = analysis.strengths_weaknesses(frame, catalog, county, counties, year, indicators)

    def describe(table: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({
            t("indicator", lang): [catalog[i].name(lang) + (f"（{t('per_10k', lang)}）" if p else "")
                                   for i, p in zip(table["indicator_id"], table["per_10k"], strict=True)],
            t("value", lang): [fmt.value(catalog[i], v, lang) for i, v in zip(table["indicator_id"], table["value"], strict=True)],
            "相对区县平均" if lang == "zh" else "vs county average": [f"{r * 100:+.0f}%" for r in table["relative"]],
        })

    st.subheader("优势" if lang == "zh" else "Strengths")
    st.dataframe(describe(strong), hide_index=True, width="stretch")
    st.subheader("短板" if lang == "zh" else "Weaknesses")
    if weak.empty:
        st.success("没有低于区县平均的指标。" if lang == "zh" else "No indicator below the county average.")
    else:
        st.dataframe(describe(weak), hide_index=True, width="stretch")
    st.caption("与各区县平均比较，方向已考虑；计数类按每万常住人口比较。" if lang == "zh" else
               "Compared with the county average, direction-aware; counts per 10,000 residents.")
