"""区县对比 County comparison: ranking, attainment heatmap, composite scores with rank change, radar, downloads."""

import pandas as pd
import streamlit as st

from rolgov import analysis, charts, export, fmt, queries, scoring, ui
from rolgov.i18n import t

ctx, catalog = ui.page("compare")
lang, year = ctx.lang, ctx.year
indicators = [i for i in ui.visible_indicators(ctx) if not i.context]
counties = queries.county_codes(ctx.scope, year)
frame = ui.values(ctx.version, tuple(queries.scope_codes(ctx.scope, year)), (year - 1, year), None)
this_year = frame[frame["year"] == year]
if this_year[this_year["region_code"].isin(counties)].empty:
    ui.no_data(ctx)
    st.stop()
label = {c: ui.region_label(c, ctx) for c in [ctx.scope, *counties]}
areas = {a.id: (a.short_zh if lang == "zh" else a.short_en) for a in catalog.areas}

# 1. Ranking for one indicator
st.subheader("指标排名" if lang == "zh" else "Ranking")
ind = ui.indicator_picker(ctx, catalog, indicators, "case_file_pass_rate")
rows = this_year[(this_year["indicator_id"] == ind.id) & this_year["region_code"].isin(counties)]
if rows.empty:
    ui.no_data(ctx, f"「{ind.name(lang)}」")
else:
    table = scoring.attainment_table(rows[["region_code", "year", "indicator_id", "value"]], catalog, lang)
    table["label"] = table["region_code"].map(label)
    table["text"] = table["value"].map(lambda v: fmt.value(ind, v, lang))
    target = ind.target_for("county", year)
    city = analysis.pick(this_year, ctx.scope, year, ind.id)
    # the city figure is a total for counts; the comparable average is the mean over counties
    average = city if ind.kind == "percent" and city is not None else float(rows["value"].mean())
    fig = charts.ranking(
        table, ind, lang, target.value if target else None, average, bool(target and target.is_estimate)
    )
    note = (
        "；全市平均：比率为全市合计重算值，计数为各区县平均"
        if lang == "zh"
        else "; city average: rates recomputed from city totals, counts the mean over counties"
    )
    ui.chart(
        fig,
        f"排名_{ind.name_zh}_{year}",
        ui.source_caption(ctx, rows)
        + note
        + (" · " + t("estimate_note", lang) if target and target.is_estimate else ""),
    )

# 2. Heatmap: indicators by counties, coloured by attainment
st.subheader("达标热力图" if lang == "zh" else "Attainment heatmap")
left, right = st.columns([2, 1], vertical_alignment="bottom")
with left:
    area_filter = ui.url_select(
        t("area", lang),
        ["all", *areas],
        "area",
        "all",
        format_func=lambda a: t("all_areas", lang) if a == "all" else areas[a],
    )
with right:
    # by default only indicators with a county target: the others would be a wall of grey
    show_all = st.toggle(
        "含无目标和仅监测指标" if lang == "zh" else "Include indicators without a target",
        value=ui.url_get("all") == "1",
        key="w_all",
    )
    ui.url_set("all", "1" if show_all else None, None)
shown = [
    i
    for i in indicators
    if (area_filter == "all" or i.area == area_filter)
    and (show_all or (i.direction != "monitor" and i.target_for("county", year) is not None))
]
cells = this_year[this_year["region_code"].isin(counties) & this_year["indicator_id"].isin([i.id for i in shown])]
if cells.empty:
    ui.no_data(ctx)
else:
    status = scoring.attainment_table(cells[["region_code", "year", "indicator_id", "value"]], catalog, lang)
    status["full"] = [
        fmt.value(catalog[i], v, lang, compact=True)
        for i, v in zip(status["indicator_id"], status["value"], strict=True)
    ]
    # English units ("5 sessions") overflow a cell: cells show the number, the tooltip the full figure
    status["text"] = (
        status["full"]
        if lang == "zh"
        else [
            f if catalog[i].kind in ("percent", "boolean") else fmt.number(v, 0 if float(v).is_integer() else 1)
            for i, v, f in zip(status["indicator_id"], status["value"], status["full"], strict=True)
        ]
    )
    shown = [i for i in shown if i.id in set(status["indicator_id"])]

    def row_label(ind) -> str:
        name = ind.name(lang)
        limit = 18 if lang == "zh" else 42
        name = name if len(name) <= limit else name[: limit - 1] + "…"
        return ui.indicator_option(ind, areas, lang, name)

    ids = [i.id for i in shown]
    matrix = (
        status.pivot(index="indicator_id", columns="region_code", values="status")
        .reindex(index=ids, columns=counties)
        .fillna("missing")
    )
    texts, hover = (
        status.pivot(index="indicator_id", columns="region_code", values=column)
        .reindex(index=ids, columns=counties)
        .fillna("—")
        for column in ("text", "full")
    )
    matrix.index = texts.index = hover.index = [row_label(i) for i in shown]
    # across the top, short names: "Hanbin" rather than "Hanbin District"
    matrix.columns = texts.columns = hover.columns = [
        label[c].removesuffix(" County").removesuffix(" District").removesuffix(" City") for c in counties
    ]
    title = f"{year}年各区县指标达标情况" if lang == "zh" else f"Attainment by county, {year}"
    ui.chart(
        charts.status_heatmap(matrix, texts, lang, title, hover),
        f"热力图_{year}",
        ui.source_caption(ctx, cells)
        + " · "
        + t("estimate_note", lang)
        + (" · 仅监测指标只显示不评判" if lang == "zh" else " · monitor-only indicators are shown, not judged"),
    )

# 3. Composite scores with rank and change of rank
st.subheader(t("composite", lang))
scores = analysis.scores_with_rank_change(frame, catalog, counties, year, indicators)
if scores.empty:
    ui.no_data(ctx)
else:
    area_cols = [a for a in areas if a in scores.columns]
    out = pd.DataFrame(
        {
            t("region", lang): scores["region_code"].map(label),
            t("rank", lang): scores["rank"],
            t("rank_change", lang): scores["rank_change"].map(
                lambda v: "—" if pd.isna(v) else (f"↑{int(v)}" if v > 0 else (f"↓{int(-v)}" if v < 0 else "→"))
            ),
            t("composite", lang): scores["overall"].round(1),
            **{areas[a]: scores[a].round(1) for a in area_cols},
        }
    ).sort_values(t("rank", lang))
    # ten areas fit without scrolling
    narrow = {
        name: st.column_config.NumberColumn(width="small", format="%.1f")
        for name in [t("composite", lang), *(areas[a] for a in area_cols)]
    }
    narrow[t("rank", lang)] = st.column_config.NumberColumn(width="small")
    narrow[t("rank_change", lang)] = st.column_config.TextColumn(width="small")
    st.dataframe(out, hide_index=True, width="stretch", column_config=narrow)
    st.caption(t("composite_note", lang))
    left, right = st.columns(2)
    left.download_button(
        t("download_xlsx", lang),
        export.to_xlsx(out, "综合得分"),
        f"综合得分_{year}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    right.download_button(t("download_csv", lang), export.to_csv(out), f"综合得分_{year}.csv", mime="text/csv")

    # 4. Radar of up to three counties against the city average
    st.subheader("雷达图" if lang == "zh" else "Radar")
    picked = ui.url_multiselect(
        t("choose_counties", lang), counties, "radar", counties[:2], format_func=lambda c: label[c], max_selections=3
    )
    if picked:
        average_row = {"label": t("city_average", lang), **{a: scores[a].mean() for a in area_cols}}
        radar_rows = scores[scores["region_code"].isin(picked)].assign(label=lambda d: d["region_code"].map(label))
        radar_frame = pd.concat([radar_rows[["label", *area_cols]], pd.DataFrame([average_row])], ignore_index=True)
        ui.chart(
            charts.radar(radar_frame, [(a, areas[a]) for a in area_cols], lang, f"{t('composite', lang)} · {year}"),
            f"雷达_{year}",
            ui.source_caption(ctx, cells) + " · " + t("composite_note", lang),
        )
