"""区县对比 Comparison of a scope's units: ranking (ties share a rank and say so; with many units the best and
worst N and the units searched for), the totals of a province's cities (or the country's provinces) with the
units missing under each, the spread with a unit's percentile, the attainment heatmap (sorted, grouped by
city, paged; a per-unit list on phones), composite scores, small bars by area, downloads with provenance."""

from rolgov import navigation

navigation.through_dashboard()

import pandas as pd
import streamlit as st

from rolgov import analysis, charts, charts_spread, charts_status, export, peers, tables, ui
from rolgov import regions as R
from rolgov.geo import COUNTRY
from rolgov.i18n import t

ctx, catalog = ui.page("compare")
lang, year = ctx.lang, ctx.year
indicators = [i for i in ui.visible_indicators(ctx) if not i.context]
# a county compares itself with its city's county-level units (itself marked): alone it has nothing to compare
county_scope = ctx.scope != COUNTRY and R.level(ctx.scope) == "county"
scope = peers.parent(ctx.scope) if county_scope else ctx.scope  # the area whose units are compared
# a province or the country compares its cities (provinces) by default, every county-level unit on request
wide_scope = scope == COUNTRY or R.level(scope) == "province"
all_counties = ui.url_toggle(t("cmp_all_counties", lang), "counties") if wide_scope else False
units = peers.children(scope, year, all_counties)
level = peers.child_level(scope, all_counties)
totals = [c for c in units if R.is_total(c)]  # the cities (provinces) compared by their totals
if level == "county" and scope == ctx.scope and scope != COUNTRY:
    frame = ui.scope_values(ctx.version, scope)
    status = ui.statuses(ctx.version, scope, year, ctx.signed_in, lang)
else:
    # the country's units have no scope read of their own: this year and the last, for the change of rank
    years = (year - 1, year) if scope == COUNTRY else None
    frame = ui.values(ctx.version, (scope, *units), years, None)
    status = ui.memo(
        ctx,
        "statuses",
        all_counties,
        build=lambda: analysis.statuses(frame, catalog, units, year, indicators, lang),
    )
# the year's rows and the units' statuses, filtered once per view and shared (read-only) by every session
this_year = ui.memo(ctx, "this_year", all_counties, build=lambda: frame[frame["year"] == year])
if ui.memo(ctx, "units_empty", all_counties, build=lambda: this_year[this_year["region_code"].isin(units)].empty):
    ui.no_data(ctx)
    st.stop()
whole = t("city_total", lang) if R.level(scope) == "prefecture" else R.name_of(scope, year, lang)
label = {**peers.labels(units, year, lang), scope: whole}
if county_scope:
    st.caption(t("cmp_county_scope", lang, name=label[ctx.scope], city=R.name_of(scope, year, lang)))
areas = ui.areas(catalog, lang)
in_units = ui.memo(ctx, "in_units", all_counties, build=lambda: status[status["region_code"].isin(units)])
many = len(units) > tables.MANY
within = peers.within_name(scope, year, lang)
target_level = R.child_target_level(level)


def scope_total_label() -> str:
    if scope == COUNTRY:
        return t("cmp_country", lang)
    return t("city_rate", lang) if R.level(scope) == "prefecture" else t("total_province", lang)


def unit_average() -> str:
    return (
        t("county_average", lang)
        if level == "county"
        else t("cmp_unit_average", lang, noun=peers.group_noun(level, lang))
    )


def average_note() -> str:
    """What the reference line is: the scope's own rate, or the mean of counts over the units compared."""
    if R.level(scope) == "prefecture" and level == "county":
        return t("average_note", lang)
    return t("cmp_average_note", lang, total=scope_total_label(), noun=peers.group_noun(level, lang))


def find_units() -> list[str]:
    """The search box: a few units marked in every chart (typing filters the names)."""
    mine = [ctx.scope] if county_scope else []
    return ui.url_multiselect(
        t("cmp_find", lang), units, "find", mine, format_func=lambda c: label[c], max_selections=5
    )


# 1. Ranking for one indicator, the totals of the units compared, the spread with percentiles
@st.fragment  # a new indicator reruns this section only
def ranking_section() -> None:
    st.subheader(t("ranking", lang))
    left, middle, right = st.columns([2, 2, 1], vertical_alignment="bottom")
    ind = ui.indicator_picker(ctx, catalog, indicators, "case_file_pass_rate", where=left)
    with middle:
        picked = find_units() if many else ([ctx.scope] if county_scope else [])
    n = (
        ui.url_select(
            t("cmp_show_n", lang), [5, 10, 20], "n", 10, format_func=lambda k: t("cmp_n_option", lang, n=k), where=right
        )
        if many
        else 0
    )
    rows = ui.memo(ctx, "rows", ind.id, all_counties, build=lambda: in_units[in_units["indicator_id"] == ind.id])
    if rows["value"].isna().all():
        ui.no_data(ctx, t("quoted", lang, text=ind.name(lang)))
        return
    target = ind.target_for(target_level, year)
    total = analysis.pick(this_year, scope, year, ind.id)
    # a rate's fair reference is the scope's own total (recomputed from summed parts), never a mean of rates
    if ind.kind == "percent":
        average, average_label = total, scope_total_label()
    else:
        average, average_label = float(rows["value"].mean()), unit_average()
    ranked = ui.memo(
        ctx, "ranked", ind.id, all_counties, build=lambda: tables.indicator_ranking(rows, ind, label, lang)
    )
    shown = tables.marked(tables.top_bottom(ranked, ind, n, picked, lang) if many else ranked, picked)
    fig = ui.memo(
        ctx,
        "ranking",
        ind.id,
        all_counties,
        n,
        tuple(picked),
        build=lambda: charts.ranking(
            shown,
            ind,
            lang,
            target.value if target else None,
            average,
            bool(target and target.is_estimate),
            label_column=True,
            average_label=average_label,
            ordered=many,
        ),
    )
    source = ui.memo(
        ctx,
        "source",
        ind.id,
        all_counties,
        build=lambda: ui.source_caption(ctx, this_year[this_year["indicator_id"] == ind.id]),
    )
    notes = [source, average_note()]
    if many:
        notes.append(t("cmp_top_bottom_note", lang, n=n, of=len(ranked)))
    if ranked["tied"].any():
        notes.append(t("ties_note", lang))
    if target and target.is_estimate:
        notes.append(t("estimate_note", lang))
    if ind.kind == "percent" and average is None:
        notes.append(t("cmp_no_total", lang, scope=R.name_of(scope, year, lang)))
    ui.chart(fig, t("file_ranking", lang, name=ind.name(lang), year=year), " · ".join(notes))
    values = ui.memo(
        ctx, "peer_values", ind.id, all_counties, build=lambda: peers.peer_values(this_year, units, year, ind.id)
    )
    gone = peers.missing_text(tuple(c for c in units if c not in values.index), level, year, lang)
    if gone:
        st.caption(gone)

    if totals:  # the cities of a province (the provinces): their totals, and what each total is missing
        st.markdown(f"**{t('cmp_children_heading', lang, scope=within, noun=peers.group_noun(level, lang))}**")
        missing = ui.memo(ctx, "missing_under", ind.id, build=lambda: units_missing(ind.id, totals))
        ui.static_table(
            tables.children_table(ranked, units, missing, label, lang),
            numeric=(t("value", lang),),
            names=t("region", lang),
        )
        st.caption(t("cmp_children_note", lang))

    st.markdown(f"**{t('cmp_spread', lang)}**")
    spread_rows = ranked[["region_code", "label", "value"]].assign(label=lambda d: d["region_code"].map(label))
    ui.chart(
        ui.memo(
            ctx,
            "spread",
            ind.id,
            all_counties,
            tuple(picked),
            build=lambda: charts_spread.spread(
                spread_rows, ind, lang, peers.group_noun(level, lang), year, picked, target
            ),
        ),
        t("file_ranking", lang, name=ind.name(lang), year=year),
        t("cmp_spread_note", lang) + (t("cmp_spread_found", lang) if picked else ""),
    )
    if picked:
        st.markdown(
            "\n".join(
                "- "
                + ui.md_escape(
                    peers.standing_text(peers.standing(values, c, units, ind), ind, label[c], within, level, lang)
                )
                for c in picked
            )
        )
    else:
        st.caption(t("cmp_spread_hint", lang) if many else "")


def units_missing(indicator_id: str, codes: list[str]) -> dict[str, tuple[int, int]]:
    """For each total compared: how many of its county-level units have no value this year."""
    below = sorted({u for c in codes for u in peers.county_units(c, year)})
    county_values = ui.values(ctx.version, tuple(below), (year,), (indicator_id,))
    series = county_values.dropna(subset=["value"]).set_index("region_code")["value"]
    return tables.missing_under(codes, series, lambda c: peers.county_units(c, year))


ranking_section()


# 2. Heatmap: indicators by units, coloured by attainment (a list per unit on a phone); sorted and paged
@st.fragment  # the area, the toggle, the order and the page rerun this section only
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
        # by default only indicators with a target: the others would be a wall of grey
        show_all = ui.url_toggle(t("include_untargeted", lang), "all")
    shown = [
        i
        for i in indicators
        if (area_filter == "all" or i.area == area_filter)
        and (show_all or (i.direction != "monitor" and i.target_for(target_level, year) is not None))
    ]
    cells = ui.memo(
        ctx,
        "shown_cells",
        area_filter,
        show_all,
        all_counties,
        build=lambda: in_units[in_units["indicator_id"].isin([i.id for i in shown]) & in_units["value"].notna()],
    )
    if cells.empty:
        ui.no_data(ctx)
        return
    columns = units
    if len(units) > tables.HEATMAP_PAGE + 3:  # a city of 13 counties still fits on one page
        columns = heatmap_columns(cells)
    cells = ui.memo(
        ctx, "cells", area_filter, show_all, all_counties, build=lambda: tables.heatmap_cells(cells, catalog, lang)
    )
    page_cells = cells[cells["region_code"].isin(columns)]
    present = set(cells["indicator_id"])
    shown = [i for i in shown if i.id in present]
    ids = [i.id for i in shown]

    def row_label(ind) -> str:
        return charts_status.two_lines(ui.indicator_option(ind, areas, lang), 22 if lang == "zh" else 44)

    def heatmap():
        def wide(column: str, fill: str) -> pd.DataFrame:
            table = page_cells.pivot(index="indicator_id", columns="region_code", values=column)
            table = table.reindex(index=ids, columns=columns).fillna(fill)
            table.index, table.columns = [row_label(i) for i in shown], [short(c) for c in columns]
            return table

        title = (
            t("heatmap_title", lang, year=year)
            if level == "county"
            else t("cmp_heatmap_title", lang, year=year, noun=peers.group_noun(level, lang))
        )
        return charts_status.status_heatmap(
            wide("status", "missing"), wide("text", "—"), lang, title, wide("full", "—")
        )

    source = ui.memo(
        ctx, "cells_source", area_filter, show_all, all_counties, build=lambda: ui.source_caption(ctx, cells)
    )
    notes = " · ".join([source, t("estimate_note", lang), t("monitor_note", lang)])
    view = (area_filter, show_all, all_counties, tuple(columns))
    with st.container(key="wide_heatmap"):
        ui.chart(ui.memo(ctx, "heatmap", *view, build=heatmap), t("file_heatmap", lang, year=year), notes)
    with st.container(key="narrow_heatmap"):
        lines = ui.memo(
            ctx, "unit_lines", *view, build=lambda: tables.county_lines(page_cells, catalog, columns, label, lang)
        )
        st.markdown("\n\n".join(lines))  # one element, not one per unit: it is sent to desks too
        st.caption(notes)


def short(code: str) -> str:
    """A unit's name where space is short: 'Hanbin' rather than 'Hanbin District' (Chinese as is)."""
    name = label[code]
    for suffix in (" County", " District", " City", " Province"):
        name = name.removesuffix(suffix)
    return name


def heatmap_columns(cells: pd.DataFrame) -> list[str]:
    """With many units: an order (composite score, most targets met, name, or division code, which keeps a
    city's units together), a city to show alone when a province's counties are compared, and pages a desk
    shows readably."""
    left, middle, right = st.columns(3, vertical_alignment="bottom")
    order = ui.url_select(
        t("cmp_sort", lang),
        ["score", "attainment", "name", "code"],
        "order",
        "score",
        format_func=lambda o: t(f"cmp_sort_{o}", lang),
        where=left,
    )
    chosen = list(units)
    if level == "county" and scope != COUNTRY:
        cities = [c for c in peers.children(scope, year) if R.is_total(c)]
        city = ui.url_select(
            t("cmp_city_filter", lang),
            ["all", *cities],
            "city",
            "all",
            format_func=lambda c: t("cmp_all_cities", lang) if c == "all" else R.name_of(c, year, lang),
            where=middle,
        )
        if city != "all":
            inside = set(peers.county_units(city, year))
            chosen = [c for c in chosen if c in inside]
    if order == "attainment":
        met = cells[cells["status"] == "met"].groupby("region_code").size()
        below = cells[cells["status"] == "below"].groupby("region_code").size()
        chosen.sort(key=lambda c: (-met.get(c, 0), below.get(c, 0), c))
    elif order == "score":  # best first; a unit without a score last
        overall = now.set_index("region_code")["overall"]
        chosen.sort(key=lambda c: (pd.isna(overall.get(c)), -(overall.get(c) or 0), c))
    elif order == "name":
        chosen.sort(key=lambda c: peers.name_key(label[c], lang))
    size = tables.HEATMAP_PAGE
    pages = max(1, -(-len(chosen) // size))
    page = ui.url_select(
        t("cmp_page", lang),
        list(range(1, pages + 1)),
        "heat_page",
        1,
        format_func=lambda k: t("cmp_page_option", lang, k=k, a=(k - 1) * size + 1, b=min(k * size, len(chosen))),
        where=right,
    )
    return chosen[(page - 1) * size : page * size]


# composite scores of the units: the heatmap may be ordered by them, section 3 shows them
if level == "county" and scope == ctx.scope and scope != COUNTRY:
    scores = ui.scores(ctx.version, scope, ctx.signed_in)
else:
    scores = ui.memo(
        ctx, "scores", all_counties, build=lambda: analysis.scores_by_year(frame, catalog, units, indicators)
    )
now = ui.memo(
    ctx,
    "now",
    all_counties,
    build=lambda: scores[(scores["year"] == year) & scores["region_code"].isin(units)].sort_values(
        ["rank", "region_code"]
    ),
)
year_source = ui.memo(ctx, "year_source", all_counties, build=lambda: ui.source_caption(ctx, this_year))
heatmap_section()


# 4. Small bars by area: up to three units against the average of the units (a radar's shapes mislead)
@st.fragment  # the units picked rerun this section only
def bars_section(now: pd.DataFrame, area_cols: list[str], shown_areas: dict[str, str]) -> None:
    st.subheader(t("by_area", lang))
    scored = set(now["region_code"])  # once: a set built inside the comprehension is built for every unit
    default = [c for c in units if c in scored][:2]
    picked = ui.url_multiselect(
        t("choose_counties", lang)
        if level == "county"
        else t("cmp_choose_units", lang, noun=peers.group_noun(level, lang)),
        units,
        "radar",
        default,
        format_func=lambda c: label[c],
        max_selections=3,
    )
    if picked:
        average = {"label": unit_average(), **{a: now[a].mean() for a in area_cols}}
        bars = (  # in the order the units were picked, as their chips above read
            now.set_index("region_code").loc[[c for c in picked if c in scored]].reset_index()
        ).assign(label=lambda d: d["region_code"].map(label))
        ui.chart(
            ui.memo(
                ctx,
                "by_area",
                all_counties,
                tuple(picked),
                build=lambda: charts_status.area_bars(
                    pd.concat([bars[["label", *area_cols]], pd.DataFrame([average])], ignore_index=True),
                    list(shown_areas.items()),
                    lang,
                    t("by_area_title", lang, year=year),
                    average["label"],
                ),
            ),
            t("file_by_area", lang, year=year),
            year_source
            + " · "
            + (
                t("by_area_note", lang)
                if level == "county"
                else t("cmp_by_area_note", lang, noun=peers.group_noun(level, lang))
            ),
        )


# 3. Composite scores with rank and change of rank (with many units: the best and worst and those found)
st.subheader(t("composite", lang))
if now.empty:
    ui.no_data(ctx)
else:
    area_cols = [a for a in areas if a in now.columns and now[a].notna().any()]
    shown_areas = {a: areas[a] for a in area_cols}
    listed = now
    if many:
        found = st.session_state.get("w_find") or []
        listed = now[now.index.isin(now.index[:10]) | now.index.isin(now.index[-10:]) | now["region_code"].isin(found)]
    table = ui.memo(
        ctx,
        "composite",
        all_counties,
        tuple(listed["region_code"]),
        build=lambda: tables.composite_table(listed, label, shown_areas, lang),
    )
    # a Markdown table: headers wrap (no clipped "Oversight & transparency"), and no scrolling sideways
    ui.static_table(table, numeric=(t("composite", lang), *shown_areas.values()))
    notes = [t("composite_note", lang)]
    if now["tied"].any():
        notes.append(t("ties_note", lang))
    if many:
        notes.append(t("cmp_top_bottom_note", lang, n=10, of=len(now)))
    st.caption(" ".join(notes))
    name = t("file_composite", lang, year=year)
    ui.downloads(
        lambda: export.composite(now, this_year, catalog, label, shown_areas, year, lang),
        ui.about(ctx, name, this_year, (t("composite_note", lang),)),
        name,
        "composite",
    )

    bars_section(now, area_cols, shown_areas)
