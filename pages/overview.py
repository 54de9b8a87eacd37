"""总览 Overview at every level, in five seconds: one sentence of targets met, near and missed by the scope;
the compared units (a city's counties, a province's cities, the country's provinces, a county's peers) that
lag, by name, with their rank change; every area's status; headline tiles (those with a target first); the
map of the units one level down on a colour scale fixed across years, with a click to go down a level; the
ranking of the compared units (top or bottom ten and a search when there are many)."""

from rolgov import navigation

navigation.through_dashboard()

import streamlit as st

from rolgov import analysis, charts_status, geo, ui
from rolgov import overview as O
from rolgov import scopes as S
from rolgov.i18n import t

ctx, catalog = ui.page("overview")
lang, year, scope = ctx.lang, ctx.year, ctx.scope
level = S.kind(scope)
units = S.compared(scope, year)
codes = tuple(dict.fromkeys([scope, *units]))  # the country's own row is its national total, when there is one
frame = ui.units_values(ctx.version, codes)
this_year = frame[frame["year"] == year]
if this_year.empty:
    ui.no_data(ctx)
    st.stop()
status = ui.unit_statuses(ctx.version, codes, year, ctx.signed_in, lang)
# the whole scope's own figures: always for a city or a province; the country's only once every province
# has its totals (rolgov.current), else its provinces with data stand in for it
has_whole = level != "country" or bool((this_year["region_code"] == scope).any())
whole = status[status["region_code"] == scope] if has_whole else status.iloc[0:0]
in_units = status[status["region_code"].isin(units)]
scores = ui.unit_scores(ctx.version, tuple(units), ctx.signed_in)
now = scores[scores["year"] == year]
label = {c: ui.region_label(c, ctx) for c in codes}
parent_name = ui.region_label(S.parent(scope), ctx) if level == "county" else ""

st.subheader(t("overview_heading", lang, scope=ctx.scope_name(), year=year))
left, right = st.columns([1, 1], gap="medium")
with left, st.container(border=True):
    for line in ui.memo(
        ctx,
        "lines",
        build=lambda: O.lines(scope, whole, in_units, now, label, label.get(scope, ctx.scope_name()), lang),
    ):
        st.markdown(line)
    missing = O.missing_units(units, now)
    if missing:
        st.markdown(O.missing_note(scope, missing, label, year, lang))
    st.caption(t(O.NOTE_KEYS.get(level, "overview_sentence_note"), lang))
    if level != "country":
        st.page_link(
            "pages/report.py", label=t("draft_this_year", lang, year=year), icon="📝", query_params=ui.view_params(ctx)
        )
with right:
    # a country without its national total: the indicators of every province with data, together
    with_data = in_units[in_units["region_code"].isin(this_year["region_code"])]
    counted = whole if has_whole else with_data
    name = label[scope] if has_whole else t("provinces_with_data", lang, n=with_data["region_code"].nunique())
    ui.chart(
        ui.memo(
            ctx,
            "area_status",
            build=lambda: charts_status.area_status(
                analysis.area_status_counts(counted, catalog, lang), lang, t("area_status_title", lang, name=name)
            ),
        ),
        t("file_area_status", lang, year=year),
        t("area_status_caption", lang) + " " + t("estimate_note", lang),
    )

if has_whole:
    headline = [i for i in ui.visible_indicators(ctx) if i.headline]
    ui.tiles(ui.memo(ctx, "tiles", build=lambda: analysis.tiles(frame, catalog, scope, year, headline, lang)), ctx)
    st.caption(t("estimate_note", lang) + " " + ui.source_caption(ctx, this_year))


def map_figure(choice: str, layer: geo.MapLayer):
    """The map coloured by the composite score or an indicator, on one colour scale for every year."""
    on_map = list(layer.codes)
    if set(on_map) <= set(codes):
        values, scored = frame, scores
    else:  # another level than the ranking's (a province's counties): read those units
        values = ui.units_values(ctx.version, tuple(on_map))
        scored = ui.unit_scores(ctx.version, tuple(on_map), ctx.signed_in) if choice == "composite" else None
    shown, every_year, span = O.map_values(choice, values, scored, on_map, year)
    if choice == "composite":
        unit, title, scale, limits = t("points", lang), t("composite", lang), "Blues", (0, 100)
    else:
        ind = catalog[choice]
        unit, title, limits = ind.unit_label(lang), ind.name(lang), ind.range
        scale = "Blues_r" if ind.direction == "lower" else "Blues"
    # one colour scale for every year, so a colour means the same value in 2024 and 2025
    fixed = geo.colour_range(every_year.tolist(), limits=limits)
    shown = shown.assign(label=shown["region_code"].map(lambda c: ui.short_name(c, ctx)))
    return geo.choropleth(
        shown,
        "value",
        "label",
        t("map_title", lang, name=title, year=year),
        scale,
        unit,
        range_color=fixed,
        lang=lang,
        layer=layer,
        highlight=scope if level == "county" else None,
        range_years=span,
    )


def map_drilled(layer: geo.MapLayer) -> None:
    """A click on the map: the unit's own map (a city, a province), or the county itself."""
    code = geo.clicked_code(st.session_state.get("overview_map"), layer)
    if code:
        ui.open_scope(layer.drill.get(code, code))


@st.fragment  # a new map colour or level reruns the map section only
def map_section() -> None:
    if st.session_state.pop("_scope_opened", False):
        st.rerun()  # a click opened another scope: the sidebar and the whole page follow
    map_scope = S.parent(scope) if level == "county" else scope
    map_column, table_column = st.columns([1.2, 1], gap="medium")
    with map_column:
        levels = [v for v in geo.levels(map_scope) if not (map_scope == S.COUNTRY and v == "county")]
        options = ["composite"] + [i.id for i in ui.visible_indicators(ctx) if not i.context]
        pick, where = st.columns(2) if len(levels) > 1 else (st.container(), None)
        choice = ui.url_select(
            t("map_colour", lang),
            options,
            "map",
            "composite",
            format_func=lambda k: t("composite", lang) if k == "composite" else catalog[k].name(lang),
            where=pick,
        )
        map_level = levels[0]
        if where is not None:
            map_level = ui.url_select(
                t("map_level", lang),
                levels,
                "map_level",
                levels[0],
                format_func=lambda v: t(f"map_level_{v}", lang),
                where=where,
            )
        layer = geo.children(map_scope, year, map_level)
        if not layer.codes:
            st.info(t("no_boundaries", lang), icon="ℹ️")
            return
        caption = t("map_scale_note", lang) + " " + ui.source_caption(ctx, this_year)
        if choice == "composite":
            caption += " · " + t("composite_note", lang)
        fig = ui.memo(ctx, "map", choice, map_scope, map_level, build=lambda: map_figure(choice, layer))
        ui.chart(fig, t("file_map", lang, year=year), caption, key="overview_map", on_select=lambda: map_drilled(layer))
        down, up = st.columns([2, 1], vertical_alignment="bottom")
        down.selectbox(
            t("map_open_unit", lang),
            list(layer.codes),
            index=None,
            placeholder=t("scope_search_pick", lang),
            format_func=lambda c: layer.name(c, lang),
            key="w_map_open",
            on_change=lambda: ui.open_scope(
                layer.drill.get(st.session_state["w_map_open"], st.session_state["w_map_open"])
            ),
        )
        if scope != S.COUNTRY:
            up.button(t("map_up", lang), icon="⬆️", on_click=ui.open_scope, args=(S.parent(scope),), width="stretch")
    with table_column:
        st.markdown(f"**{O.ranking_title(scope, year, lang, parent_name)}**")
        if now.empty:
            ui.no_data(ctx)
            return
        table = ui.memo(ctx, "ranking", build=lambda: O.ranking(scope, now, in_units, label, lang))
        if len(table) > O.RANKING_ROWS:
            show_column, find_column = st.columns(2)
            show = ui.url_select(
                t("ranking_show", lang),
                ["bottom", "top", "all"],
                "ranking",
                "bottom",
                format_func=lambda k: (
                    t("ranking_all", lang, n=len(table)) if k == "all" else t(f"ranking_{k}", lang, n=O.SHOWN_ROWS)
                ),
                where=show_column,
            )
            with find_column:
                find = ui.url_text(t("ranking_find", lang), "find", t("scope_search_placeholder", lang))
            table = O.shown_rows(table, show, find, O.unit_word(scope, lang))
            if table.empty:
                st.caption(t("ranking_found_none", lang, text=ui.literal(find)))
        if len(table):
            ui.static_table(
                table, numeric=(t("composite", lang), t("below_count", lang)), names=O.unit_word(scope, lang)
            )
        st.caption(t("ranking_note", lang))


map_section()
