"""数据完整性 Completeness: how many units reported each year, then which unit reported what in which year (what a
level does not report counts as not applicable, not missing), one city's (province's) units at a time when the
scope holds many, each indicator's state for one unit, and each unit's latest batch."""

from rolgov import navigation

navigation.through_dashboard()

import pandas as pd
import streamlit as st

from rolgov import analysis, charts_status, export, fmt, peers, queries, ui
from rolgov import regions as R
from rolgov.geo import COUNTRY
from rolgov.i18n import t

ctx, catalog = ui.page("completeness")
lang, year = ctx.lang, ctx.year
GROUP_AT = 25  # more reporting units than this: one city (province) at a time


def reporting_units(scope: str) -> list[str]:
    """The units that report under a scope: its own level(s) and county-level units (every one for the country)."""
    if scope == COUNTRY:
        return [u for p in peers.children(COUNTRY, year) for u in reporting_units(p)]
    if R.level(scope) == "county":
        return [scope]  # a county reports for itself
    return [c for c in queries.scope_codes(scope, year) if c != scope]


everything = reporting_units(ctx.scope)
if not everything:
    ui.no_data(ctx)
    st.stop()
base = [i for i in catalog.base if i.aggregate != "none" and (ctx.signed_in or i.publication == "public")]
reported = ui.reported_matrix(ctx.version, tuple(everything), tuple(i.id for i in base))
table = ui.memo(ctx, "completeness_table", build=lambda: analysis.completeness(reported, everything, ctx.years, base))

# at the top, for the whole scope: how many units reported, and reported in full, each year
st.subheader(t("cp_heading", lang, scope=ctx.scope_name()))


def counts_by_year() -> pd.DataFrame:
    by_year = analysis.completeness_by_year(table).sort_values("year", ascending=False)
    return pd.DataFrame(
        {
            t("year", lang): by_year["year"].astype(str),
            t("cp_units", lang): by_year["units"],
            t("cp_reported", lang): by_year["reported"],
            t("cp_complete", lang): by_year["complete"],
        }
    )


ui.static_table(
    ui.memo(ctx, "completeness_by_year", build=counts_by_year),
    numeric=(t("cp_units", lang), t("cp_reported", lang), t("cp_complete", lang)),
)
st.caption(t("cp_counts_note", lang))

codes = everything
if len(everything) > GROUP_AT:
    groups = [c for c in peers.children(ctx.scope, year) if reporting_units(c)]
    group = ui.url_select(
        t("cp_group", lang), groups, "group", groups[0], format_func=lambda c: R.name_of(c, year, lang)
    )
    codes = reporting_units(group)
labels = dict(zip(codes, (ui.region_label(c, ctx) for c in codes), strict=True))
shown = ui.memo(ctx, "completeness_rows", tuple(codes), build=lambda: table[table["region_code"].isin(codes)])


def grid(column: str) -> pd.DataFrame:
    wide = shown.pivot(index="region_code", columns="year", values=column).reindex(codes)
    wide.index = [labels[c] for c in codes]
    return wide


not_applicable = sum(not analysis.applies(i, c) for i in base for c in codes)
ui.chart(
    ui.memo(  # built once per view and shared: plotly validates every property as a figure is built
        ctx,
        "completeness_chart",
        tuple(codes),
        build=lambda: charts_status.completeness(
            grid("share"), grid("missing"), grid("not_applicable"), lang, t("completeness_title", lang)
        ),
    ),
    t("file_completeness", lang),
    t("completeness_caption", lang, n=len(base)) + (" " + t("not_applicable_note", lang) if not_applicable else ""),
)


@st.fragment  # a new region reruns this table only
def detail_section() -> None:
    st.subheader(t("by_indicator", lang))
    region = ui.url_select(t("region", lang), codes, "region", codes[0], format_func=lambda c: labels[c])
    states, detail = ui.memo(ctx, "completeness_detail", region, build=lambda: region_detail(region))
    st.caption(
        t(
            "completeness_detail",
            lang,
            name=labels[region],
            year=year,
            missing=states.count("missing"),
            na=states.count("not_applicable"),
        )
    )
    st.table(detail)


def region_detail(region: str) -> tuple[list[str], pd.DataFrame]:
    """Each indicator's state for one unit in the year (missing first), and the table of them."""
    have = set(reported[(reported["region_code"] == region) & (reported["year"] == year)]["indicator_id"])
    states = [analysis.reporting_status(i, region, have) for i in base]
    order = {"missing": 0, "reported": 1, "not_applicable": 2}
    detail = pd.DataFrame(
        {
            t("indicator", lang): [i.name(lang) for i in base],
            t("area", lang): [ui.areas(catalog, lang)[i.area] for i in base],
            t("status", lang): [t(f"state_{s}", lang) for s in states],
            "_order": [order[s] for s in states],
        }
    ).sort_values("_order", kind="stable")
    return states, detail.drop(columns="_order").set_index(t("indicator", lang))


detail_section()


def latest_table() -> pd.DataFrame:
    """Each unit's latest batch: file and user names come from people, shown as text, never as a formula."""
    latest = ui.latest_batches(ctx.version, tuple(codes))
    with_batch = set(latest["region_code"])
    latest = latest.set_index("region_code").reindex([c for c in codes if c in with_batch]).reset_index()
    return export.neutralised(
        pd.DataFrame(
            {
                t("region", lang): latest["region_code"].map(labels),
                t("batch_column", lang): latest["batch_id"],
                t("file", lang): latest["file_name"],
                t("loaded_at", lang): latest["loaded_at"].dt.strftime("%Y-%m-%d %H:%M"),
                t("loaded_by", lang): latest["loaded_by"].map(lambda u: fmt.loader(u, lang)),
            }
        )
    ).set_index(t("region", lang))


st.subheader(t("latest_batches", lang))
st.table(ui.memo(ctx, "latest_batches", tuple(codes), build=latest_table))
