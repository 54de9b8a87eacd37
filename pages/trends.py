"""趋势 Trends: one indicator over the years for the whole city and chosen counties, against its target."""

import streamlit as st

from rolgov import analysis, charts, queries, ui
from rolgov.i18n import t

ctx, catalog = ui.page("trends")
lang = ctx.lang
indicators = [i for i in ui.visible_indicators(ctx) if not i.context]

left, middle, right = st.columns([2, 2, 1])
with left:
    ind = ui.indicator_picker(ctx, catalog, indicators, "hearings_held")
counties = queries.county_codes(ctx.scope, ctx.year)
own = [c for c in queries.scope_codes(ctx.scope, ctx.year) if c.endswith("BJ")]
with middle:
    chosen = ui.url_multiselect(
        t("choose_counties", lang),
        own + counties,
        "counties",
        [],
        format_func=lambda c: ui.region_label(c, ctx),
        placeholder="全市合计之外，可加选区县" if lang == "zh" else "Add counties to the whole-city line",
    )
with right:
    per_10k = False
    if ind.per_10k:
        mode = ui.url_select(
            t("value", lang), ["absolute", "per_10k"], "view", "absolute", format_func=lambda k: t(k, lang)
        )
        per_10k = mode == "per_10k"
    st.caption(ind.definition_zh if lang == "zh" else ind.definition_en)

regions = [ctx.scope, *chosen]
needed = (ind.id, "resident_population") if per_10k else (ind.id,)
frame = ui.values(ctx.version, tuple(regions), None, needed)
rows = frame[frame["indicator_id"] == ind.id]
if rows.empty:
    ui.no_data(ctx, f"「{ind.name(lang)}」")
    st.stop()
if per_10k:
    rows = analysis.per_10k(frame)
    rows = rows[rows["indicator_id"] == ind.id].assign(value=lambda d: d["value_per_10k"]).dropna(subset=["value"])
labels = {code: ui.region_label(code, ctx) for code in regions}
plot = rows.assign(label=rows["region_code"].map(labels))
target = ind.target_for("city", ctx.year)
fig = charts.trend(
    plot[["label", "year", "value"]],
    ind,
    lang,
    target.value if target else None,
    bool(target and target.is_estimate),
    per_10k,
    highlight=labels[ctx.scope],
)
caption = ui.source_caption(ctx, rows)
if target is not None:
    caption += f" · {t('target', lang)}：全市目标" if lang == "zh" else f" · {t('target', lang)}: city-level target"
    if target.is_estimate:
        caption += " · " + t("estimate_note", lang)
ui.chart(fig, f"趋势_{ind.name_zh}", caption)

st.subheader("数值与同比" if lang == "zh" else "Values and year-on-year change")
table = analysis.trend_table(frame if not per_10k else rows, ind, labels, lang)
st.dataframe(table, hide_index=True, width="stretch")
