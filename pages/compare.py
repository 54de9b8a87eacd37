"""区县对比 County comparison: ranking (ties share a rank and say so), attainment heatmap (a per-county list
on phones), composite scores with rank and change of rank, small bars by area, downloads with provenance."""

from rolgov import navigation

navigation.through_dashboard()

import pandas as pd
import streamlit as st

from rolgov import analysis, charts, charts_status, export, queries, tables, ui
from rolgov.i18n import t

ctx, catalog = ui.page("compare")
lang, year = ctx.lang, ctx.year
indicators = [i for i in ui.visible_indicators(ctx) if not i.context]
counties = queries.county_codes(ctx.scope, year)
frame = ui.scope_values(ctx.version, ctx.scope)
this_year = frame[frame["year"] == year]
if this_year[this_year["region_code"].isin(counties)].empty:
    ui.no_data(ctx)
    st.stop()
label = {c: ui.region_label(c, ctx) for c in [ctx.scope, *counties]}
areas = ui.areas(catalog, lang)
status = ui.statuses(ctx.version, ctx.scope, year, ctx.signed_in, lang)
in_counties = status[status["region_code"].isin(counties)]


# 1. Ranking for one indicator
@st.fragment  # a new indicator reruns this section only
def ranking_section() -> None:
    st.subheader(t("ranking", lang))
    ind = ui.indicator_picker(ctx, catalog, indicators, "case_file_pass_rate")
    rows = in_counties[in_counties["indicator_id"] == ind.id]
    if rows["value"].isna().all():
        ui.no_data(ctx, t("quoted", lang, text=ind.name(lang)))
    else:
        target = ind.target_for("county", year)
        city = analysis.pick(this_year, ctx.scope, year, ind.id)
        # the city figure is a total for counts; the comparable average is the mean over counties
        city_rate = ind.kind == "percent" and city is not None
        ranked = ui.memo(ctx, "ranked", ind.id, build=lambda: tables.indicator_ranking(rows, ind, label, lang))
        fig = ui.memo(
            ctx,
            "ranking",
            ind.id,
            build=lambda: charts.ranking(
                ranked,
                ind,
                lang,
                target.value if target else None,
                city if city_rate else float(ranked["value"].mean()),
                bool(target and target.is_estimate),
                label_column=True,
                average_label=t("city_rate" if city_rate else "county_average", lang),
            ),
        )
        notes = [ui.source_caption(ctx, this_year[this_year["indicator_id"] == ind.id]), t("average_note", lang)]
        if ranked["tied"].any():
            notes.append(t("ties_note", lang))
        if target and target.is_estimate:
            notes.append(t("estimate_note", lang))
        ui.chart(fig, t("file_ranking", lang, name=ind.name(lang), year=year), " · ".join(notes))


ranking_section()


# 2. Heatmap: indicators by counties, coloured by attainment (a list per county on a phone)
@st.fragment  # the area and the toggle rerun this section only
def heatmap_section() -> None:
    st.subheader(t("heatmap", lang))
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    with left:
        area_filter = ui.url_select(
            t("area", lang),
            ["all", *[a for a in areas if any(i.area == a for i in indicators)]],
            "area",
            "all",
            format_func=lambda a: t("all_areas", lang) if a == "all" else areas[a],
        )
    with right:
        # by default only indicators with a county target: the others would be a wall of grey
        show_all = ui.url_toggle(t("include_untargeted", lang), "all")
    shown = [
        i
        for i in indicators
        if (area_filter == "all" or i.area == area_filter)
        and (show_all or (i.direction != "monitor" and i.target_for("county", year) is not None))
    ]
    cells = in_counties[in_counties["indicator_id"].isin([i.id for i in shown]) & in_counties["value"].notna()]
    if cells.empty:
        ui.no_data(ctx)
    else:
        cells = ui.memo(ctx, "cells", area_filter, show_all, build=lambda: tables.heatmap_cells(cells, catalog, lang))
        shown = [i for i in shown if i.id in set(cells["indicator_id"])]
        ids = [i.id for i in shown]

        def row_label(ind) -> str:
            return charts_status.two_lines(ui.indicator_option(ind, areas, lang), 22 if lang == "zh" else 44)

        def heatmap():
            def wide(column: str, fill: str) -> pd.DataFrame:
                table = cells.pivot(index="indicator_id", columns="region_code", values=column)
                table = table.reindex(index=ids, columns=counties).fillna(fill)
                table.index, table.columns = [row_label(i) for i in shown], [ui.short_name(c, ctx) for c in counties]
                return table

            title = t("heatmap_title", lang, year=year)
            return charts_status.status_heatmap(
                wide("status", "missing"), wide("text", "—"), lang, title, wide("full", "—")
            )

        notes = " · ".join([ui.source_caption(ctx, cells), t("estimate_note", lang), t("monitor_note", lang)])
        with st.container(key="wide_heatmap"):
            ui.chart(
                ui.memo(ctx, "heatmap", area_filter, show_all, build=heatmap), t("file_heatmap", lang, year=year), notes
            )
        with st.container(key="narrow_heatmap"):
            lines = ui.memo(
                ctx,
                "county_lines",
                area_filter,
                show_all,
                build=lambda: tables.county_lines(cells, catalog, counties, label, lang),
            )
            st.markdown("\n\n".join(lines))  # one element, not one per county: it is sent to desks too
            st.caption(notes)


heatmap_section()


# 4. Small bars by area: up to three counties against the county average (a radar's shapes mislead)
@st.fragment  # the counties picked rerun this section only
def bars_section(now: pd.DataFrame, area_cols: list[str], shown_areas: dict[str, str]) -> None:
    st.subheader(t("by_area", lang))
    picked = ui.url_multiselect(
        t("choose_counties", lang), counties, "radar", counties[:2], format_func=lambda c: label[c], max_selections=3
    )
    if picked:
        average = {"label": t("county_average", lang), **{a: now[a].mean() for a in area_cols}}
        bars = now[now["region_code"].isin(picked)].assign(label=lambda d: d["region_code"].map(label))
        ui.chart(
            ui.memo(
                ctx,
                "by_area",
                tuple(picked),
                build=lambda: charts_status.area_bars(
                    pd.concat([bars[["label", *area_cols]], pd.DataFrame([average])], ignore_index=True),
                    list(shown_areas.items()),
                    lang,
                    t("by_area_title", lang, year=year),
                ),
            ),
            t("file_by_area", lang, year=year),
            ui.source_caption(ctx, this_year) + " · " + t("by_area_note", lang),
        )


# 3. Composite scores with rank and change of rank
st.subheader(t("composite", lang))
scores = ui.scores(ctx.version, ctx.scope, ctx.signed_in)
now = scores[scores["year"] == year].sort_values(["rank", "region_code"])
if now.empty:
    ui.no_data(ctx)
else:
    area_cols = [a for a in areas if a in now.columns and now[a].notna().any()]
    shown_areas = {a: areas[a] for a in area_cols}
    table = ui.memo(ctx, "composite", build=lambda: tables.composite_table(now, label, shown_areas, lang))
    # a Markdown table: headers wrap (no clipped "Oversight & transparency"), and no scrolling sideways
    ui.static_table(table, numeric=(t("composite", lang), *shown_areas.values()))
    st.caption(t("composite_note", lang) + (" " + t("ties_note", lang) if now["tied"].any() else ""))
    name = t("file_composite", lang, year=year)
    ui.downloads(
        lambda: export.composite(now, this_year, catalog, label, shown_areas, year, lang),
        ui.about(ctx, name, this_year, (t("composite_note", lang),)),
        name,
        "composite",
    )

    bars_section(now, area_cols, shown_areas)
