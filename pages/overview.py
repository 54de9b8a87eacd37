"""总览 Overview: how the city is doing and who lags, in five seconds: one sentence of targets met, near and
missed; the counties that lag, by name, with their rank change; every area's status; headline tiles
(those with a target first); the county map on a colour scale fixed across years; the county ranking."""

from rolgov import navigation

navigation.through_dashboard()

import pandas as pd
import streamlit as st

from rolgov import analysis, charts_status, geo, queries, tables, ui
from rolgov.i18n import t

ctx, catalog = ui.page("overview")
lang, year, scope = ctx.lang, ctx.year, ctx.scope
frame = ui.scope_values(ctx.version, scope)
this_year = frame[frame["year"] == year]
if this_year[this_year["region_code"] == scope].empty:
    ui.no_data(ctx)
    st.stop()
counties = queries.county_codes(scope, year)
status = ui.statuses(ctx.version, scope, year, ctx.signed_in, lang)
whole = status[status["region_code"] == scope]
in_counties = status[status["region_code"].isin(counties)]
scores = ui.scores(ctx.version, scope, ctx.signed_in)
now = scores[scores["year"] == year]
label = {c: ui.region_label(c, ctx) for c in [scope, *counties]}

st.subheader(t("overview_heading", lang, scope=ctx.scope_name(), year=year))
left, right = st.columns([1, 1], gap="medium")
with left, st.container(border=True):
    for line in ui.memo(
        ctx, "lines", build=lambda: tables.overview_lines(whole, in_counties, now, label, label[scope], lang)
    ):
        st.markdown(line)
    st.caption(t("overview_sentence_note", lang))
    st.page_link(
        "pages/report.py", label=t("draft_this_year", lang, year=year), icon="📝", query_params=ui.view_params(ctx)
    )
with right:
    ui.chart(
        ui.memo(
            ctx,
            "area_status",
            build=lambda: charts_status.area_status(
                analysis.area_status_counts(whole, catalog, lang), lang, t("area_status_title", lang, name=label[scope])
            ),
        ),
        t("file_area_status", lang, year=year),
        t("area_status_caption", lang) + " " + t("estimate_note", lang),
    )

headline = [i for i in ui.visible_indicators(ctx) if i.headline]
ui.tiles(ui.memo(ctx, "tiles", build=lambda: analysis.tiles(frame, catalog, scope, year, headline, lang)), ctx)
st.caption(t("estimate_note", lang) + " " + ui.source_caption(ctx, this_year))


def county_map(choice: str, on_map: list[str]):
    """The map coloured by the composite score or an indicator, on one colour scale for every year."""
    if choice == "composite":
        every_year = scores[scores["region_code"].isin(on_map)]["overall"]
        shown = now[["region_code", "overall"]].rename(columns={"overall": "value"})
        unit, title, scale = t("points", lang), t("map_title", lang, name=t("composite", lang), year=year), "Blues"
    else:
        ind = catalog[choice]
        rows = frame[(frame["indicator_id"] == choice) & frame["region_code"].isin(on_map)]
        every_year = rows["value"]
        shown = rows[rows["year"] == year][["region_code", "value"]]
        unit, title = ind.unit_label(lang), t("map_title", lang, name=ind.name(lang), year=year)
        scale = "Blues_r" if ind.direction == "lower" else "Blues"
    # one colour scale for every year of the indicator, so a colour means the same value in 2024 and 2025
    fixed = (float(every_year.min()), float(every_year.max())) if every_year.notna().any() else None
    shown = (
        pd.DataFrame({"region_code": on_map})
        .merge(shown, on="region_code", how="left")
        .assign(label=lambda d: d["region_code"].map(lambda c: ui.short_name(c, ctx)))
    )
    return geo.choropleth(shown, "value", "label", title, scale, unit, range_color=fixed, lang=lang)


@st.fragment  # a new map colour reruns the map only
def map_section() -> None:
    map_column, table_column = st.columns([1.2, 1], gap="medium")
    with map_column:
        options = ["composite"] + [i.id for i in ui.visible_indicators(ctx) if not i.context]
        choice = ui.url_select(
            t("map_colour", lang),
            options,
            "map",
            "composite",
            format_func=lambda k: t("composite", lang) if k == "composite" else catalog[k].name(lang),
        )
        codes_on_map = {f["properties"]["code"] for f in geo.load_counties()["features"]}
        on_map = [c for c in counties if c in codes_on_map]
        if not on_map:
            st.info(t("no_boundaries", lang), icon="ℹ️")
        else:
            caption = t("map_note", lang) + " " + t("map_scale_note", lang) + " " + ui.source_caption(ctx, this_year)
            if choice == "composite":
                caption += " · " + t("composite_note", lang)
            fig = ui.memo(ctx, "map", choice, tuple(on_map), build=lambda: county_map(choice, on_map))
            ui.chart(fig, t("file_map", lang, year=year), caption, key="map")
    with table_column:
        st.markdown(f"**{t('county_ranking', lang, year=year)}**")
        if now.empty:
            ui.no_data(ctx)
        else:
            table = ui.memo(ctx, "ranking", build=lambda: tables.ranking_table(now, in_counties, label, lang))
            ui.static_table(table, numeric=(t("composite", lang), t("below_count", lang)))
            st.caption(t("ranking_note", lang))


map_section()
