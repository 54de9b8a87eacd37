"""目标达成 Targets: every target on one scale (the actual as a share of its target, the target mark at
100 %), gaps in natural units (还差3次), projected year on the current trend, the attainment of the scope's
children side by side (a province's cities, the country's provinces; the best and worst when they are many),
units at risk, and a link to a draft of the experience material for the same view."""

from rolgov import navigation

navigation.through_dashboard()

import pandas as pd
import streamlit as st

from rolgov import analysis, charts_status, fmt, peers, queries, tables, ui
from rolgov import regions as R
from rolgov import scopes as S
from rolgov.catalog import BASIS_LABELS
from rolgov.geo import COUNTRY
from rolgov.i18n import t

ctx, catalog = ui.page("targets")
lang, year = ctx.lang, ctx.year
z = 0 if lang == "zh" else 1
indicators = ui.visible_indicators(ctx)
children = peers.children(ctx.scope, year)
cities = [c for c in children if R.is_total(c)]
counties = peers.county_units(ctx.scope, year)
own = [c for c in queries.scope_codes(ctx.scope, year) if R.is_own_level(c)] if ctx.scope != COUNTRY else []
# the country's own row is its national total, there once every province has its totals
national = ctx.scope == COUNTRY and not ui.values(ctx.version, (COUNTRY,), (year,), None).empty
codes = [*([ctx.scope] if ctx.scope != COUNTRY or national else []), *cities, *own, *counties]
names = peers.labels([*cities, *counties], year, lang)


def label(code: str) -> str:
    return names.get(code) or ui.region_label(code, ctx)


@st.fragment  # a new region reruns the page's body only, not the frame
def targets_section() -> None:
    region = ui.url_select(t("region", lang), codes, "region", codes[0], format_func=label)
    frame = ui.values(ctx.version, (region,), None, None)  # its history, for the projections
    table = ui.memo(ctx, "gaps", region, build=lambda: analysis.gaps(frame, catalog, region, year, indicators, lang))
    if table.empty:
        ui.no_data(ctx)
        st.stop()

    counted = analysis.status_summary(table)
    st.markdown(t("targets_summary", lang, name=label(region), year=year, n=len(table), **counted))
    ids = table["indicator_id"].tolist()
    total_counts = [analysis.total_level_count(catalog[i], region) for i in ids]
    bullets = pd.DataFrame(
        {
            "label": [
                catalog[i].name(lang) + ("*" if e else "") + ("†" if c else "")
                for i, e, c in zip(ids, table["is_estimate"], total_counts, strict=True)
            ],
            "value": table["value"].astype(float),
            "target": table["target"].astype(float),
            "status": table["status"],
            "value_text": [fmt.value(catalog[i], v, lang) for i, v in zip(ids, table["value"], strict=True)],
            "target_text": [
                fmt.value(catalog[i], v, lang) + ("*" if e else "")
                for i, v, e in zip(ids, table["target"], table["is_estimate"], strict=True)
            ],
        }
    )
    shown_rows = frame[(frame["region_code"] == region) & (frame["year"] == year)]
    notes = [ui.source_caption(ctx, shown_rows), t("bullets_note", lang), t("estimate_note", lang)]
    if any(total_counts):  # a city's, a province's or the national total against the city target
        whole = t(f"whole_{S.kind(region)}", lang)
        own = R.own_level_code(region) if region != COUNTRY else None
        notes.append(
            t("total_target_dagger", lang, whole=whole)
            + (t("total_target_own", lang, own=label(own)) if own in codes else "")
        )
    with st.container(key="wide_bullets"):
        ui.chart(
            ui.memo(
                ctx, "bullets", region, build=lambda: charts_status.bullets(bullets, lang, t("bullets_title", lang))
            ),
            t("file_targets", lang, name=label(region), year=year),
            " · ".join(notes),
        )
    with st.container(key="narrow_bullets"):  # on a phone the chart's labels leave no room: a list instead
        st.markdown(ui.memo(ctx, "bullet_lines", region, build=lambda: tables.bullet_lines(bullets, lang)))
        st.caption(" · ".join(notes))
    if region != COUNTRY:  # the material generator drafts for a province, a city or a county
        st.page_link(
            "pages/report.py",
            label=t("draft_for_region", lang, name=R.name_of(region, year, lang), year=year),  # not 全市
            icon="📝",
            query_params=ui.view_params(ctx, region=region if region != codes[0] else None),
        )

    st.subheader(t("gaps_title", lang))

    gap_rows = pd.DataFrame(
        {
            t("indicator", lang): [catalog[i].name(lang) for i in ids],
            t("value", lang): bullets["value_text"],
            t("target", lang): bullets["target_text"],
            t("basis", lang): [BASIS_LABELS[b][z] for b in table["basis"]],
            t("status", lang): [t(s, lang) for s in table["status"]],
            t("gap", lang): table["gap_text"],
            t("projected_year", lang): [
                tables.projection_text(s, y, lang)
                for s, y in zip(table["projection_status"], table["projection_year"], strict=True)
            ],
        }
    )
    ui.static_table(gap_rows)  # every row, no scrolling
    st.caption(t("projection_note", lang) + " " + t("estimate_note", lang))
    children_section()


def children_section() -> None:
    """The scope's children side by side, worst first (the best and worst ten when they are many), and
    those at risk of missing their targets on the current trend (a few dozen units at most)."""
    if not children or children == [ctx.scope]:
        return
    level = peers.child_level(ctx.scope)
    noun = peers.group_noun(level, lang)
    child_frame = ui.values(ctx.version, tuple(children), None, None)
    status = ui.memo(
        ctx,
        "child_status",
        build=lambda: analysis.statuses(child_frame, catalog, children, year, indicators, lang),
    )
    st.subheader(t("tg_children", lang, noun=noun))
    summary = tables.attainment_summary(status, children, {c: label(c) for c in children}, lang)
    many = len(summary) > tables.MANY
    if many:
        summary = pd.concat([summary.head(10), summary.tail(10)])
    ui.static_table(
        summary, numeric=tuple(t(k, lang) for k in ("met", "near", "below", "missing")), names=t("region", lang)
    )
    notes = [t("tg_children_note", lang, noun=noun)]
    if many:
        notes.append(t("tg_children_many", lang, of=len(children)))
    st.caption(" ".join(notes))
    heading = t("at_risk_title", lang) if level == "county" else t("tg_at_risk", lang, noun=noun)
    st.subheader(heading[:1].upper() + heading[1:])  # "Cities at risk …", the noun opening the English
    risky = ui.memo(
        ctx,
        "at_risk",
        build=lambda: tables.at_risk_table(
            child_frame,
            catalog,
            children,
            year,
            indicators,
            {c: label(c) for c in children},
            lang,
            R.child_target_level(level),
        ),
    )
    if len(risky):
        ui.static_table(risky)
    else:
        st.success(t("none_at_risk", lang))


targets_section()
