"""总览 Overview: headline tiles for the chosen year, attainment per area, and the county map."""

import pandas as pd
import streamlit as st

from rolgov import analysis, charts, fmt, geo, queries, ui
from rolgov.catalog import BASIS_LABELS
from rolgov.i18n import t

ctx, catalog = ui.page("overview")

lang, year, scope = ctx.lang, ctx.year, ctx.scope
indicators = ui.visible_indicators(ctx)
counties = queries.county_codes(scope, year)
frame = ui.values(ctx.version, tuple(queries.scope_codes(scope, year)), (year - 1, year), None)
if frame[frame["year"] == year].empty:
    ui.no_data(ctx)
    st.stop()

st.subheader(
    f"{ctx.scope_name()} · {year}{'年' if lang == 'zh' else ''} · "
    f"{'全市合计（市本级＋各区县）' if lang == 'zh' else 'whole city (city level + counties)'}"
)
headline = [i for i in indicators if i.headline]
cells = analysis.tiles(frame, catalog, scope, year, headline, lang)
columns = st.columns(3)
for number, tile in enumerate(cells):
    ind = tile["indicator"]
    target = tile["target"]
    help_text = ind.definition_zh if lang == "zh" else ind.definition_en
    if target is not None:
        star = "*" if target.is_estimate else ""
        basis = BASIS_LABELS[target.basis][0 if lang == "zh" else 1]
        shown = fmt.value(ind, target.value, lang)
        help_text += (
            f"\n\n{t('target', lang)}{star}：{shown}（{basis}）"
            if lang == "zh"
            else f"\n\n{t('target', lang)}{star}: {shown} ({basis})"
        )
    with columns[number % 3].container(border=True):
        st.metric(
            ind.name(lang),
            tile["value_text"],
            delta=tile["delta_text"] or None,
            delta_color=tile["delta_color"],
            delta_arrow=tile["delta_arrow"],
            help=help_text,
        )
        if tile["status"] in ("met", "near", "below"):
            color = {"met": "green", "near": "orange", "below": "red"}[tile["status"]]
            star = "*" if target is not None and target.is_estimate else ""
            gap = "" if tile["status"] == "met" else tile["gap_text"]  # "达标 已达标" said it twice
            st.markdown(f":{color}-badge[{t(tile['status'], lang)}{star}] {gap}")
        elif tile["value"] is None:
            st.caption(t("missing", lang))
        else:
            st.caption(t(tile["status"], lang) + ("（不评判达标）" if lang == "zh" else " (not judged)"))
st.caption(t("estimate_note", lang) + " " + ui.source_caption(ctx, frame[frame["year"] == year]))

left, right = st.columns([1, 1.2])
with left:
    counts = analysis.area_status_counts(frame, catalog, scope, year, indicators, lang)
    if counts.empty:
        ui.no_data(ctx)
    else:
        title = "各领域指标达标情况（全市）" if lang == "zh" else "Indicators meeting targets, by area (whole city)"
        ui.chart(
            charts.area_attainment(counts, lang, title),
            f"达标情况_{year}",
            ui.source_caption(ctx, frame[frame["year"] == year]) + " · " + t("estimate_note", lang),
        )
with right:
    options = ["composite"] + [i.id for i in indicators if not i.context]
    choice = ui.url_select(
        "地图着色" if lang == "zh" else "Map colour",
        options,
        "map",
        "composite",
        format_func=lambda k: t("composite", lang) if k == "composite" else catalog[k].name(lang),
    )
    codes_on_map = {f["properties"]["code"] for f in geo.load_counties()["features"]}
    on_map = [c for c in counties if c in codes_on_map]
    if not on_map:
        st.info(
            "暂无该范围的区县边界数据，地图从略。"
            if lang == "zh"
            else "No county boundaries for this scope; map omitted.",
            icon="ℹ️",
        )
    else:
        if choice == "composite":
            scores = analysis.county_scores(frame, catalog, counties, year, indicators)
            shown = scores[["region_code", "overall"]].rename(columns={"overall": "value"})
            unit, title = (
                ("分", f"{t('composite', lang)}（{year}）")
                if lang == "zh"
                else ("points", f"{t('composite', lang)} ({year})")
            )
            scale = "Blues"
        else:
            ind = catalog[choice]
            shown = frame[
                (frame["indicator_id"] == choice) & (frame["year"] == year) & frame["region_code"].isin(on_map)
            ][["region_code", "value"]]
            unit = ind.unit_label(lang)
            title = f"{ind.name(lang)}（{year}）" if lang == "zh" else f"{ind.name(lang)} ({year})"
            scale = "Blues_r" if ind.direction == "lower" else "Blues"
        # English names lose "County"/"District"/"City" on the map, where space is short
        short = {
            c: ui.region_label(c, ctx).removesuffix(" County").removesuffix(" District").removesuffix(" City")
            for c in on_map
        }
        # every county on the map gets a row (NaN = no data, drawn grey), so each has a name in this language
        shown = (
            pd.DataFrame({"region_code": on_map})
            .merge(shown, on="region_code", how="left")
            .assign(label=lambda d: d["region_code"].map(short))
        )
        fig = geo.choropleth(shown, "value", "label", title, scale, unit, lang=lang)
        caption = t("map_note", lang) + " " + ui.source_caption(ctx, frame[frame["year"] == year])
        if choice == "composite":
            caption += " · " + t("composite_note", lang)
        ui.chart(fig, f"地图_{year}", caption, key="map")
