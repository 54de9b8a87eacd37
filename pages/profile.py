"""区县档案 County profile: one county's headline figures (those with a target first), its rank in each area
(ties said), strengths and weaknesses against the county average (per 10,000 residents where it makes sense)."""

from rolgov import navigation

navigation.through_dashboard()

import pandas as pd
import streamlit as st

from rolgov import analysis, fmt, queries, scoring, ui
from rolgov.i18n import t

ctx, catalog = ui.page("profile")
lang, year = ctx.lang, ctx.year
counties = queries.county_codes(ctx.scope, year)
if not counties:
    ui.no_data(ctx)
    st.stop()


@st.fragment  # a new county reruns the page's body only, not the frame
def profile_section() -> None:
    county = ui.url_select(
        t("county", lang), counties, "county", counties[0], format_func=lambda c: ui.region_label(c, ctx)
    )
    indicators = ui.visible_indicators(ctx)
    frame = ui.scope_values(ctx.version, ctx.scope)
    mine = frame[(frame["region_code"] == county) & (frame["year"] == year)]
    if mine.empty:
        ui.no_data(ctx, ui.region_label(county, ctx) + " ")
        st.stop()

    st.subheader(t("profile_heading", lang, name=ui.region_label(county, ctx), year=year))
    headline = [i for i in indicators if i.headline]
    ui.tiles(
        ui.memo(ctx, "tiles", county, build=lambda: analysis.tiles(frame, catalog, county, year, headline, lang)), ctx
    )
    st.caption(ui.source_caption(ctx, mine) + " · " + t("estimate_note", lang))

    left, right = st.columns([1, 1.4])
    with left:
        st.subheader(t("rank_by_area", lang))
        scores = ui.scores(ctx.version, ctx.scope, ctx.signed_in)
        ranks = ui.memo(
            ctx,
            "ranks",
            county,
            build=lambda: analysis.area_ranks(scores[scores["year"] == year].drop(columns=["year"]), county),
        )
        names = ui.areas(catalog, lang) | {"overall": t("composite", lang)}
        ui.static_table(
            pd.DataFrame(
                {
                    t("area", lang): ranks["area"].map(names),
                    t("score", lang): ranks["score"].map(lambda v: f"{v:.1f}"),
                    t("rank", lang): [
                        t("rank_of", lang, rank=scoring.rank_text(r, d, lang), of=o)
                        for r, d, o in zip(ranks["rank"], ranks["tied"], ranks["of"], strict=True)
                    ],
                }
            ),
            numeric=(t("score", lang),),
        )
        st.caption(t("composite_note", lang) + (" " + t("ties_note", lang) if ranks["tied"].any() else ""))
    with right:
        strong, weak = ui.memo(
            ctx,
            "strengths",
            county,
            build=lambda: analysis.strengths_weaknesses(frame, catalog, county, counties, year, indicators),
        )

        def compared(ind, difference: float, relative: float) -> str:
            """Rates differ in points (a relative change of a rate near zero means little), counts in per cent."""
            if ind.kind == "percent":
                return t("points_above" if difference >= 0 else "points_below", lang, n=f"{abs(difference):.1f}")
            if pd.isna(relative):
                return "—"
            return t("share_above" if relative >= 0 else "share_below", lang, n=f"{abs(relative) * 100:.0f}")

        def describe(table: pd.DataFrame) -> pd.DataFrame:
            # † marks a per-10,000-residents comparison; a suffix in words made the column too wide to read
            return pd.DataFrame(
                {
                    t("indicator", lang): [
                        catalog[i].name(lang) + ("†" if p else "")
                        for i, p in zip(table["indicator_id"], table["per_10k"], strict=True)
                    ],
                    t("value", lang): [
                        fmt.value(catalog[i], v, lang)
                        for i, v in zip(table["indicator_id"], table["value"], strict=True)
                    ],
                    t("vs_average", lang): [
                        compared(catalog[i], d, r)
                        for i, d, r in zip(table["indicator_id"], table["difference"], table["relative"], strict=True)
                    ],
                }
            )

        st.subheader(t("strengths", lang))
        if strong.empty:
            st.info(t("no_strengths", lang))
        else:
            ui.static_table(describe(strong))
        st.subheader(t("weaknesses", lang))
        if weak.empty:
            st.success(t("no_weaknesses", lang))
        else:
            ui.static_table(describe(weak))
        st.caption(t("strengths_note", lang))


profile_section()
