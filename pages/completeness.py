"""数据完整性 Completeness: which region reported what in which year (what a level does not report counts as
not applicable, not missing), each indicator's state for one region, and each region's latest batch."""

from rolgov import navigation

navigation.through_dashboard()

import pandas as pd
import streamlit as st

from rolgov import analysis, charts_status, export, queries, ui
from rolgov.i18n import t

ctx, catalog = ui.page("completeness")
lang, year = ctx.lang, ctx.year
codes = [c for c in queries.scope_codes(ctx.scope, year) if c != ctx.scope] or [ctx.scope]  # a county: itself
base = [i for i in catalog.base if i.aggregate != "none" and (ctx.signed_in or i.publication == "public")]
reported = ui.reported_matrix(ctx.version, tuple(codes), tuple(i.id for i in base))
labels = {c: ui.region_label(c, ctx) for c in codes}
table = ui.memo(ctx, "completeness_table", build=lambda: analysis.completeness(reported, codes, ctx.years, base))


def grid(column: str) -> pd.DataFrame:
    wide = table.pivot(index="region_code", columns="year", values=column).reindex(codes)
    wide.index = [labels[c] for c in codes]
    return wide


not_applicable = sum(not analysis.applies(i, c) for i in base for c in codes)
ui.chart(
    charts_status.completeness(
        grid("share"), grid("missing"), grid("not_applicable"), lang, t("completeness_title", lang)
    ),
    t("file_completeness", lang),
    t("completeness_caption", lang, n=len(base)) + (" " + t("not_applicable_note", lang) if not_applicable else ""),
)


@st.fragment  # a new region reruns this table only
def detail_section() -> None:
    st.subheader(t("by_indicator", lang))
    region = ui.url_select(t("region", lang), codes, "region", codes[0], format_func=lambda c: labels[c])
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
    st.table(detail.drop(columns="_order").set_index(t("indicator", lang)))


detail_section()


st.subheader(t("latest_batches", lang))
latest = ui.latest_batches(ctx.version, tuple(codes))
latest = latest.set_index("region_code").reindex([c for c in codes if c in set(latest["region_code"])]).reset_index()
st.table(
    export.neutralised(
        pd.DataFrame(
            {
                t("region", lang): latest["region_code"].map(labels),
                t("batch_column", lang): latest["batch_id"],
                t("file", lang): latest["file_name"],
                t("loaded_at", lang): latest["loaded_at"].dt.strftime("%Y-%m-%d %H:%M"),
                t("loaded_by", lang): latest["loaded_by"],
            }
        )
    ).set_index(t("region", lang))  # file and user names come from people: shown as text, never as a formula
)
