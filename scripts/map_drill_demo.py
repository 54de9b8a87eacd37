"""A map page that goes down a level on a click (or a select): the URL in; the map of the scope's units out.

Run from the repository root:

    .venv/bin/python -m streamlit run scripts/map_drill_demo.py -- [--db data/rolgov.duckdb]

then open ?scope=000000 (the country), ?scope=610000&level=county, ?scope=610900&year=2017&lang=en;
&width=360 draws it as a phone page would (labels fitted to 360 px, the colour bar under the map).
tests/test_geo.py drives it in Chromium. What a page needs, in order:

1. scope, level and year from the URL (defaults left out of it);
2. layer = geo.children(scope, year, level): the units, their geometry, what to open on a click;
3. one colour range for all years: geo.colour_range(values of every year, limits=indicator range);
4. event = st.plotly_chart(fig, on_select="rerun", selection_mode="points", key=...) and
   geo.clicked_code(event, layer) -> layer.drill.get(code): put the new scope in the URL, rerun;
5. the same choice as a select (keyboard, phone), a level switch (geo.levels) and "up" (geo.parent_scope).

scripts/static is a link to ../static: Streamlit serves static files beside the entry script, and the
map reads its empty world topology from there (offline).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from etl.build import ensure  # noqa: E402 - after the path fix
from rolgov import catalog as catalog_mod  # noqa: E402
from rolgov import charts, db, geo, queries, regions  # noqa: E402
from rolgov.i18n import t  # noqa: E402

INDICATOR = "village_legal_advisor_coverage"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=str(db.DEFAULT_DB))
    args = parser.parse_args()
    params = st.query_params
    lang = "en" if params.get("lang") == "en" else "zh"
    scope = params.get("scope", geo.COUNTRY)
    try:
        allowed = geo.levels(scope)
    except ValueError as error:
        st.error(str(error))
        st.stop()
    level = params.get("level") if params.get("level") in allowed else allowed[0]
    year = int(params.get("year", 2017))

    layer = geo.children(scope, year, level)
    catalog = catalog_mod.load()
    indicator = catalog[INDICATOR]
    with db.read(ensure(args.db)) as con:
        every_year = queries.values(con, list(layer.codes), None, [INDICATOR])
    shown = every_year.loc[every_year["year"] == year, ["region_code", "value"]]
    years = (int(every_year["year"].min()), int(every_year["year"].max())) if len(every_year) else None
    place = t("map_country", lang) if scope == geo.COUNTRY else layer.name(scope, lang)
    fig = geo.choropleth(
        shown,
        "value",
        None,
        f"{place} · {indicator.name(lang)} · {year}",
        "Blues",
        indicator.unit_label(lang),
        geo.colour_range(every_year["value"], limits=indicator.range),
        lang,
        layer=layer,
        range_years=years,
        width_px=int(params.get("width", geo.DEFAULT_WIDTH_PX)),
    )
    event = st.plotly_chart(
        fig,
        key=f"map-{scope}-{level}-{year}",
        on_select="rerun",
        selection_mode="points",
        config=charts.plotly_config("map"),
    )
    target = layer.drill.get(geo.clicked_code(event, layer))
    choice = st.selectbox(
        t("map_open_unit", lang),
        [""] + sorted(layer.drill),
        format_func=lambda c: layer.name(c, lang) if c else "—",
        key="drill_select",
    )
    target = target or layer.drill.get(choice)
    if len(allowed) > 1:
        picked = st.radio(
            t("map_level", lang),
            allowed,
            index=allowed.index(level),
            horizontal=True,
            format_func=lambda v: regions.LEVEL_LABELS[v][0 if lang == "zh" else 1],
        )
        if picked != level:
            _go(scope, picked if picked != allowed[0] else None)
    up = geo.parent_scope(scope)
    if up is not None and st.button(t("map_up", lang)):
        _go(up, None)
    if target:
        _go(target, None)


def _go(scope: str, level: str | None) -> None:
    """New scope (and level) in the URL, defaults left out; then draw again."""
    if scope == geo.COUNTRY:
        st.query_params.pop("scope", None)
    else:
        st.query_params["scope"] = scope
    if level is None:
        st.query_params.pop("level", None)
    else:
        st.query_params["level"] = level
    st.rerun()


main()
