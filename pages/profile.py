"""区县档案 County profile: one county's headline figures, its rank in each area, strengths and weaknesses."""

import pandas as pd
import streamlit as st

from rolgov import analysis, fmt, queries, ui
from rolgov.i18n import t

ctx, catalog = ui.page("profile")
lang, year = ctx.lang, ctx.year
counties = queries.county_codes(ctx.scope, year)
if not counties:
    ui.no_data(ctx)
    st.stop()
county = ui.url_select(
    t("county", lang), counties, "county", counties[0], format_func=lambda c: ui.region_label(c, ctx)
)
indicators = ui.visible_indicators(ctx)
frame = ui.values(ctx.version, (ctx.scope, *counties), (year - 1, year), None)
mine = frame[(frame["region_code"] == county) & (frame["year"] == year)]
if mine.empty:
    ui.no_data(ctx, f"{ui.region_label(county, ctx)} ")
    st.stop()

st.subheader(f"{ui.region_label(county, ctx)} · {year}")
tiles = analysis.tiles(frame, catalog, county, year, [i for i in indicators if i.headline], lang)
columns = st.columns(3)
for number, tile in enumerate(tiles):
    ind = tile["indicator"]
    with columns[number % 3].container(border=True):
        st.metric(
            ind.name(lang),
            tile["value_text"],
            tile["delta_text"] or None,
            delta_color=tile["delta_color"],
            delta_arrow=tile["delta_arrow"],
            help=ind.definition_zh if lang == "zh" else ind.definition_en,
        )
        if tile["status"] in ("met", "near", "below"):
            color = {"met": "green", "near": "orange", "below": "red"}[tile["status"]]
            star = "*" if tile["target"].is_estimate else ""
            gap = "" if tile["status"] == "met" else tile["gap_text"]  # "达标 已达标" said it twice
            st.markdown(f":{color}-badge[{t(tile['status'], lang)}{star}] {gap}")
        else:
            st.caption(t(tile["status"], lang) + ("（不评判达标）" if lang == "zh" else " (not judged)"))
st.caption(ui.source_caption(ctx, mine) + " · " + t("estimate_note", lang))

left, right = st.columns([1, 1.4])
with left:
    st.subheader("各领域排名" if lang == "zh" else "Rank by area")
    scores = analysis.county_scores(frame, catalog, counties, year, indicators)
    ranks = analysis.area_ranks(scores, county, catalog)
    names = {a.id: (a.short_zh if lang == "zh" else a.short_en) for a in catalog.areas}
    names["overall"] = t("composite", lang)
    st.dataframe(
        pd.DataFrame(
            {
                t("area", lang): ranks["area"].map(names),
                "得分" if lang == "zh" else "Score": ranks["score"].round(1),
                t("rank", lang): [f"{r}/{o}" for r, o in zip(ranks["rank"], ranks["of"], strict=True)],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(t("composite_note", lang))
with right:
    strong, weak = analysis.strengths_weaknesses(frame, catalog, county, counties, year, indicators)

    def describe(table: pd.DataFrame) -> pd.DataFrame:
        # † marks a per-10,000-residents comparison; a suffix in words made the column too wide to read
        return pd.DataFrame(
            {
                t("indicator", lang): [
                    catalog[i].name(lang) + ("†" if p else "")
                    for i, p in zip(table["indicator_id"], table["per_10k"], strict=True)
                ],
                t("value", lang): [
                    fmt.value(catalog[i], v, lang) for i, v in zip(table["indicator_id"], table["value"], strict=True)
                ],
                "比区县平均" if lang == "zh" else "vs average": [
                    compared(catalog[i], d, r)
                    for i, d, r in zip(table["indicator_id"], table["difference"], table["relative"], strict=True)
                ],
            }
        )

    def compared(ind, difference: float, relative: float) -> str:
        """Rates differ in points (a relative change of a rate near zero means little), counts in per cent."""
        if ind.kind == "percent":
            if lang == "zh":
                return f"{'高' if difference >= 0 else '低'}{abs(difference):.1f}个百分点"
            return f"{difference:+.1f} pp"
        if pd.isna(relative):
            return "—"
        if lang == "zh":
            return f"{'高' if relative >= 0 else '低'}{abs(relative) * 100:.0f}%"
        return f"{relative * 100:+.0f}%"

    fit = {t("indicator", lang): st.column_config.TextColumn(width=330)}  # long names clip, not the last column
    st.subheader("优势" if lang == "zh" else "Strengths")
    if strong.empty:
        st.info("没有高于区县平均的指标。" if lang == "zh" else "No indicator above the county average.")
    else:
        st.dataframe(describe(strong), hide_index=True, width="stretch", column_config=fit)
    st.subheader("短板" if lang == "zh" else "Weaknesses")
    if weak.empty:
        st.success("没有低于区县平均的指标。" if lang == "zh" else "No indicator below the county average.")
    else:
        st.dataframe(describe(weak), hide_index=True, width="stretch", column_config=fit)
    st.caption(
        "与各区县平均比较，方向已考虑（越低越好的指标，低于平均为优势），按偏离程度（标准差倍数）排序；"
        "† 按每万常住人口比较。"
        if lang == "zh"
        else "Compared with the county average, direction-aware (for lower-is-better indicators, below average "
        "is a strength), ordered by how far from the average in standard deviations; † per 10,000 residents."
    )
