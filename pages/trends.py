"""趋势 Trends: one indicator over the years for the whole city and chosen units, against its target.

The sidebar year is marked; counts start at zero; a whole-city total gets its own panel so it does not
flatten the counties; per 10,000 residents where the catalog says so, with decimals, and a unit that
cannot be divided (市本级 has no population of its own) is named with the reason.
"""

from rolgov import navigation

navigation.through_dashboard()

import streamlit as st

from rolgov import analysis, charts, export, queries, ui
from rolgov import regions as R
from rolgov.i18n import t

ctx, catalog = ui.page("trends")
lang = ctx.lang
indicators = [i for i in ui.visible_indicators(ctx) if not i.context]


@st.fragment  # the indicator, the units and the view rerun this page's body only, not the frame
def trend_section() -> None:
    left, middle, right = st.columns([2, 2, 1])
    with left:
        ind = ui.indicator_picker(ctx, catalog, indicators, "hearings_held")
    counties = queries.county_codes(ctx.scope, ctx.year)
    own = [c for c in queries.scope_codes(ctx.scope, ctx.year) if R.is_own_level(c)]
    with middle:
        chosen = ui.url_multiselect(
            t("choose_units", lang),
            own + counties,
            "counties",
            [],
            format_func=lambda c: ui.region_label(c, ctx),
            placeholder=t("units_placeholder", lang),
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
    frame = ui.scope_values(ctx.version, ctx.scope)
    frame = frame[frame["region_code"].isin(regions)]
    rows = frame[frame["indicator_id"] == ind.id]
    if rows.empty:
        ui.no_data(ctx, t("quoted", lang, text=ind.name(lang)))
        st.stop()
    labels = {code: ui.region_label(code, ctx) for code in regions}
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
    target = ind.target_for("city", ctx.year)
    county_target = ind.target_for("county", ctx.year)
    # a total adds up its units: drawn on one axis with them it flattens their lines into the floor
    split = ind.kind != "percent" and not per_10k and R.is_total(ctx.scope) and len(set(plot["region_code"])) > 1
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
            highlight=labels[ctx.scope],
            mark_year=ctx.year,
            split=split,
            unit_target=county_target.value if split and county_target and all(c in counties for c in chosen) else None,
        ),
    )
    caption = ui.source_caption(ctx, rows)
    if target is not None and not per_10k:
        caption += " · " + t("trend_target_note", lang)
        if analysis.total_level_count(ind, ctx.scope):
            caption += " " + t("total_target_note", lang)
        if target.is_estimate:
            caption += " · " + t("estimate_note", lang)
    if split:
        caption += " · " + t("split_note", lang)
    ui.chart(fig, t("file_trend", lang, name=ind.name(lang)), caption)

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
    name = t("file_trend", lang, name=ind.name(lang))
    ui.downloads(lambda: export.series(rows, ind, labels, lang, per_10k), ui.about(ctx, name, rows), name, "trend")


trend_section()
