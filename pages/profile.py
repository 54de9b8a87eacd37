"""区县档案 Profile of any unit (a county of any city, a city, a province): headline figures (those with a target
first, with the report sentence a figure was imported from), where it stands among its peers (its province's
counties or its city's; a city among its province's cities) with rank and percentile, the spread of one
indicator with the unit marked, its rank in each area (ties said), strengths and weaknesses against the peers'
average (per 10,000 residents where it makes sense)."""

from rolgov import navigation

navigation.through_dashboard()

import pandas as pd
import streamlit as st

from rolgov import analysis, charts_spread, fmt, peers, review, scoring, ui
from rolgov import regions as R
from rolgov.geo import COUNTRY
from rolgov.i18n import t

ctx, catalog = ui.page("profile")
lang, year, scope = ctx.lang, ctx.year, ctx.scope
counties = peers.county_units(scope, year)
# any unit of the scope: a county-level unit first (the page's first use), then the cities and the scope itself
upper = [c for c in peers.children(scope, year) if R.is_total(c)] if scope == COUNTRY or R.is_total(scope) else []
units = [*counties, *upper, *([scope] if scope != COUNTRY and R.is_total(scope) else [])]
if not units:
    ui.no_data(ctx)
    st.stop()
names = peers.labels(units, year, lang)


def label(code: str) -> str:
    return names.get(code) or R.name_of(code, year, lang)


@st.fragment  # a new unit or comparison reruns the page's body only, not the frame
def profile_section() -> None:
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    unit = ui.url_select(t("county", lang), units, "county", units[0], format_func=label, where=left)
    among = "city"
    if R.level(unit) == "county" and R.level(peers.parent(unit)) == "prefecture":
        # a county office wants to see where it stands in its province, and among its city's counties; the
        # province by default once counties of other cities have figures (a database of one city has none)
        others = ui.memo(ctx, "province_has_data", unit, build=lambda: province_has_data(unit))
        among = ui.url_select(
            t("pf_among", lang),
            ["province", "city"],
            "among",
            "province" if others else "city",
            format_func=lambda a: t(f"pf_among_{a}", lang),
            where=right,
        )
    within = peers.province_of(unit) if among == "province" else peers.parent(unit)
    if R.level(unit) == "province":
        within = COUNTRY
    peer_codes = peers.peers(unit, year, within=within if R.level(unit) == "county" else None)
    level = R.level(unit) if R.level(unit) in peers.LEVEL_NOUNS else "county"
    indicators = ui.visible_indicators(ctx)
    frame = ui.values(ctx.version, (unit,), None, None)
    mine = frame[frame["year"] == year]
    if mine.empty:
        ui.no_data(ctx, label(unit) + " ")
        st.stop()
    peer_frame = ui.values(ctx.version, tuple(sorted({*peer_codes, unit})), (year,), None)
    peer_names = peers.labels(peer_codes, year, lang)
    within_name = peers.within_name(within, year, lang)

    st.subheader(t("profile_heading", lang, name=label(unit), year=year))
    headline = [i for i in indicators if i.headline]
    ui.tiles(ui.memo(ctx, "tiles", unit, build=lambda: analysis.tiles(frame, catalog, unit, year, headline, lang)), ctx)
    st.caption(ui.source_caption(ctx, mine) + " · " + t("estimate_note", lang))
    quoted = ui.memo(ctx, "sources", unit, build=lambda: sources(unit, [i.id for i in headline]))
    if quoted:
        with st.expander(t("pf_sources", lang, n=len(quoted))):
            st.markdown("\n".join(quoted))

    # where the unit stands among its peers: every headline indicator, then one indicator's spread
    st.subheader(t("pf_standing", lang, within=within_name, noun=peers.group_noun(level, lang)))
    judged = [i for i in headline if not i.context and i.kind != "boolean"]
    standings = ui.memo(
        ctx,
        "standings",
        unit,
        within,
        build=lambda: {
            i.id: peers.standing(peers.peer_values(peer_frame, peer_codes, year, i.id), unit, peer_codes, i)
            for i in judged
        },
    )
    ui.static_table(standing_table(judged, standings), numeric=(t("value", lang),))
    complete = not any(standings[i.id].missing for i in judged)
    st.caption(t("pf_standing_note", lang) + (" " + t("pf_none_missing", lang) if complete else ""))
    with_value = [i for i in judged if standings[i.id].value is not None]
    if with_value:
        ind = ui.indicator_picker(ctx, catalog, with_value, with_value[0].id)
        values = ui.memo(
            ctx,
            "peer_values",
            unit,
            within,
            ind.id,
            build=lambda: peers.peer_values(peer_frame, peer_codes, year, ind.id),
        )
        spread_rows = pd.DataFrame({"region_code": values.index, "value": values.to_numpy()}).assign(
            label=lambda d: d["region_code"].map(peer_names)
        )
        target = ind.target_for(R.target_level(unit), year)
        ui.chart(
            ui.memo(
                ctx,
                "spread",
                unit,
                within,
                ind.id,
                build=lambda: charts_spread.spread(
                    spread_rows, ind, lang, peers.group_noun(level, lang), year, [unit], target
                ),
            ),
            t("file_ranking", lang, name=ind.name(lang), year=year),
            t("cmp_spread_note", lang) + t("pf_spread_red", lang, name=label(unit)),
        )
        text = peers.standing_text(standings[ind.id], ind, label(unit), within_name, level, lang)
        gone = peers.missing_text(standings[ind.id].missing, level, year, lang)
        st.markdown(ui.md_escape(text) + ("  \n" + ui.md_escape(gone) if gone else ""))

    left, right = st.columns([1, 1.4])
    with left:
        st.subheader(t("rank_by_area", lang))
        scores = ui.memo(
            ctx,
            "peer_scores",
            unit,
            within,
            build=lambda: analysis.county_scores(peer_frame, catalog, peer_codes, year, indicators),
        )
        ranks = ui.memo(
            ctx,
            "area_ranks",
            unit,
            within,
            build=lambda: (
                analysis.area_ranks(scores, unit)
                if len(scores)
                else pd.DataFrame(columns=["area", "score", "rank", "tied", "of"])
            ),
        )
        area_names = ui.areas(catalog, lang) | {"overall": t("composite", lang)}
        ui.static_table(
            pd.DataFrame(
                {
                    t("area", lang): ranks["area"].map(area_names),
                    t("score", lang): ranks["score"].map(lambda v: f"{v:.1f}"),
                    t("rank", lang): [
                        t("rank_of", lang, rank=scoring.rank_text(r, d, lang), of=o)
                        for r, d, o in zip(ranks["rank"], ranks["tied"], ranks["of"], strict=True)
                    ],
                }
            ),
            numeric=(t("score", lang),),
        )
        st.caption(
            t("pf_ranked_among", lang, within=within_name, noun=peers.group_noun(level, lang))
            + " "
            + t("composite_note", lang)
            + (" " + t("ties_note", lang) if ranks["tied"].any() else "")
        )
    with right:
        strengths_section(unit, peer_frame, peer_codes, indicators)


def province_has_data(unit: str) -> bool:
    """Whether a county of another city in the unit's province has a figure this year."""
    city = set(peers.county_units(peers.parent(unit), year))
    others = tuple(c for c in peers.county_units(peers.province_of(unit), year) if c not in city)
    return bool(others) and not ui.values(ctx.version, others, (year,), None).empty


def sources(unit: str, ids: list[str]) -> list[str]:
    """Markdown lines '- 指标：来源：报告 · 第3段 · 原文：…' for the headline values imported from a report."""
    with ui.cursor(ctx.version) as con:
        found = review.report_sources(con, [unit], [year], ids)
    return [
        "- "
        + ui.md_escape(
            t(
                "pf_source_item",
                lang,
                name=catalog[r.indicator_id].name(lang),
                source=t("ri_source_of", lang, report=r.report, place=r.place, sentence=r.sentence),
            )
        )
        for r in found.itertuples()
    ]


def standing_table(judged, standings) -> pd.DataFrame:
    rows = []
    for ind in judged:
        s = standings[ind.id]
        rows.append(
            {
                t("indicator", lang): ind.name(lang),
                t("value", lang): fmt.value(ind, s.value, lang) if s.value is not None else t("missing", lang),
                t("rank", lang): t("rank_of", lang, rank=scoring.rank_text(s.rank, s.tied, lang), of=s.of)
                if s.rank
                else "—",
                t("pf_percentile", lang): f"{s.percentile:.0f}" if s.percentile is not None else "—",
                t("pf_missing", lang): len(s.missing),  # dropped below when no unit lacks a figure
            }
        )
    table = pd.DataFrame(rows)
    # a column of zeros costs a phone its width (the table would scroll sideways): say it once instead
    return table.drop(columns=t("pf_missing", lang)) if not table[t("pf_missing", lang)].any() else table


def strengths_section(unit: str, peer_frame: pd.DataFrame, peer_codes: list[str], indicators) -> None:
    strong, weak = ui.memo(
        ctx,
        "strengths",
        unit,
        tuple(peer_codes),
        build=lambda: analysis.strengths_weaknesses(peer_frame, catalog, unit, peer_codes, year, indicators),
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
                    fmt.value(catalog[i], v, lang) for i, v in zip(table["indicator_id"], table["value"], strict=True)
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
