"""趋势 Trends: one indicator over the years for the scope's total and chosen units, against its target.

At a province or the whole country the units to add are its cities (provinces), their 本级 and every
county-level unit, found by typing a name; at most eight lines are drawn beside the total, never a hundred.
A value imported from a report shows its source sentence under the table.

The sidebar year is marked; counts start at zero; a whole-city total gets its own panel so it does not
flatten the counties; per 10,000 residents where the catalog says so, with decimals, and a unit that
cannot be divided (市本级 has no population of its own) is named with the reason.
"""

from rolgov import navigation

navigation.through_dashboard()

import streamlit as st

from rolgov import analysis, charts, export, peers, queries, review, tables, ui
from rolgov import regions as R
from rolgov import scopes as S
from rolgov.geo import COUNTRY
from rolgov.i18n import t

ctx, catalog = ui.page("trends")
lang = ctx.lang
level = S.kind(ctx.scope)
indicators = [i for i in ui.visible_indicators(ctx) if not i.context]


@st.fragment  # the indicator, the units and the view rerun this page's body only, not the frame
def trend_section() -> None:
    left, middle, right = st.columns([2, 2, 1])
    with left:
        ind = ui.indicator_picker(ctx, catalog, indicators, "hearings_held")
    counties = peers.county_units(ctx.scope, ctx.year)
    own = [c for c in queries.scope_codes(ctx.scope, ctx.year) if R.is_own_level(c)]
    cities = [c for c in peers.children(ctx.scope, ctx.year) if R.is_total(c)] if not R.is_own_level(ctx.scope) else []
    names = peers.labels([*cities, *counties], ctx.year, lang)
    with middle:
        chosen = ui.url_multiselect(
            t(
                {"country": "choose_units_country", "province": "choose_units_province"}.get(level, "choose_units"),
                lang,
            ),
            cities + own + counties,
            "counties",
            [],
            format_func=lambda c: names.get(c) or ui.region_label(c, ctx),
            placeholder=(
                t("units_placeholder", lang, whole=t(f"whole_{level}", lang))
                if level in ("prefecture", "province", "country")
                else t("choose_units", lang)
            ),
            max_selections=8,
        )
    with right:
        per_10k = False
        if ind.per_10k and catalog.per_10k_base:
            mode = ui.url_select(
                t("view", lang), ["absolute", "per_10k"], "view", "absolute", format_func=lambda k: t(k, lang)
            )
            per_10k = mode == "per_10k"
    st.caption(ind.definition_zh if lang == "zh" else ind.definition_en)

    regions = [ctx.scope, *chosen]
    frame = ui.values(ctx.version, tuple(regions), None, None)  # the lines drawn, not the whole scope
    national = ctx.scope == COUNTRY and bool(
        ((frame["region_code"] == COUNTRY) & (frame["indicator_id"] == ind.id)).any()
    )
    if ctx.scope == COUNTRY and not national:  # no national total of this indicator: the lines are the units chosen
        regions = list(chosen)
        if not regions:
            st.info(t("ts_country_pick", lang), icon="ℹ️")
            st.stop()
    rows = frame[frame["indicator_id"] == ind.id]
    if rows.empty:
        ui.no_data(ctx, t("quoted", lang, text=ind.name(lang)))
        st.stop()
    labels = {code: names.get(code) or ui.region_label(code, ctx) for code in regions}
    if per_10k:
        rows = analysis.per_10k(frame, catalog)
        rows = rows[rows["indicator_id"] == ind.id].assign(value=lambda d: d["value_per_10k"])
        undivided = [
            c
            for c in regions
            if c in set(rows["region_code"]) and rows.loc[rows["region_code"] == c, "value"].isna().all()
        ]
        rows = rows.dropna(subset=["value"])
        if undivided:
            names = t("list_separator", lang).join(labels[c] for c in undivided)
            reason = "no_population_own" if all(R.is_own_level(c) for c in undivided) else "no_population"
            st.info(t(reason, lang, names=names, base=catalog[catalog.per_10k_base].name(lang)), icon="ℹ️")
    plot = rows.assign(label=rows["region_code"].map(labels))
    target = ind.target_for(R.target_level(ctx.scope), ctx.year)  # a county's own, a province's rates only
    county_target = ind.target_for("county", ctx.year)
    # a total adds up its units: drawn on one axis with them it flattens their lines into the floor
    whole_area = R.is_total(ctx.scope) or national
    split = ind.kind != "percent" and not per_10k and whole_area and len(set(plot["region_code"])) > 1
    fig = ui.memo(
        ctx,
        "trend",
        ind.id,
        tuple(chosen),
        per_10k,
        build=lambda: charts.trend(
            plot[["label", "year", "value"]],
            ind,
            lang,
            target.value if target else None,
            bool(target and target.is_estimate),
            per_10k,
            highlight=labels.get(ctx.scope, ""),
            mark_year=ctx.year,
            split=split,
            unit_target=county_target.value if split and county_target and all(c in counties for c in chosen) else None,
        ),
    )
    caption = ui.source_caption(ctx, rows)
    if target is not None and not per_10k:
        caption += " · " + t("trend_target_note", lang)
        if analysis.total_level_count(ind, ctx.scope):
            caption += " " + t("total_target_note", lang, whole=t(f"whole_{level}", lang))
        if target.is_estimate:
            caption += " · " + t("estimate_note", lang)
    if split:
        caption += " · " + t("split_note", lang)
    ui.chart(fig, t("file_trend", lang, name=ind.name(lang)), caption)
    if R.is_total(ctx.scope) and not per_10k:  # a year without a total: say how many units had not reported
        gaps = ui.memo(ctx, "total_gaps", ind.id, build=lambda: total_gaps(ind, rows))
        if gaps:
            said = t("cmp_name_sep", lang).join(t("ts_gap_year", lang, year=y, n=n, of=o) for y, n, o in gaps)
            st.caption(t("ts_total_gaps", lang, total=labels[ctx.scope], gaps=said))

    st.subheader(t("values_and_change", lang))
    table = ui.memo(
        ctx,
        "trend_table",
        ind.id,
        tuple(chosen),
        per_10k,
        build=lambda: analysis.trend_table(rows, ind, labels, lang, per_10k),
    )
    ui.static_table(table, numeric=(t("year", lang),))
    quoted = ui.memo(ctx, "trend_sources", ind.id, tuple(chosen), build=lambda: sources(ind, regions, labels))
    if quoted:
        with st.expander(t("pf_sources", lang, n=len(quoted))):
            st.markdown("\n".join(quoted))
    name = t("file_trend", lang, name=ind.name(lang))
    ui.downloads(lambda: export.series(rows, ind, labels, lang, per_10k), ui.about(ctx, name, rows), name, "trend")


def total_gaps(ind, rows) -> list[tuple[int, int, int]]:
    """The years the scope's total is missing while some of its county-level units reported."""
    units = {y: peers.county_units(ctx.scope, y) for y in ctx.years}
    every = tuple(sorted({c for codes in units.values() for c in codes}))
    unit_values = ui.values(ctx.version, every, tuple(ctx.years), (ind.id,))
    totals = rows[rows["region_code"] == ctx.scope].set_index("year")["value"]
    return tables.total_gaps(totals, unit_values, units.get, ctx.years)


def sources(ind, regions: list[str], labels: dict[str, str]) -> list[str]:
    """Markdown lines '- 2021年 汉台区：来源：报告 · 第3段 · 原文：…' for the values imported from a report."""
    with ui.cursor(ctx.version) as con:
        found = review.report_sources(con, regions, ctx.years, [ind.id])
    return [
        "- "
        + ui.md_escape(
            t("ts_source_line", lang, year=r.year, region=labels[r.region_code])
            + t("ri_source_of", lang, report=r.report, place=r.place, sentence=r.sentence)
        )
        for r in found.sort_values(["year", "region_code"]).itertuples()
    ]


trend_section()
