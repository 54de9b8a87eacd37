"""Maps of any scope of China: a scope code, year and level in; a map layer and an offline plotly choropleth out.

    from rolgov import geo
    layer = geo.children("610000", year=2025, level="prefecture")   # 陕西 -> its 10 cities
    rng = geo.colour_range(values_of_all_years, limits=(0, 100))      # one scale for every year
    fig = geo.choropleth(frame, "value", "label", title, "Blues", "%", rng, lang, layer=layer)
    st.plotly_chart(fig, config=charts.plotly_config(...), on_select="rerun", selection_mode="points")
    code = geo.clicked_code(event, layer); layer.drill.get(code)      # the scope to open, if any

The modules: topology (the boundary file, detail by tolerance), layers (which units a scope's map
draws, by year), figure (the choropleth and its colour range), labels (which names fit). Boundaries: data/geo/SOURCE.md.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import plotly.io as pio

from rolgov import regions
from rolgov.catalog import ROOT
from rolgov.geo.figure import (
    BOUNDARY_SOURCE,
    DARK_TEXT,
    DEFAULT_WIDTH_PX,
    FONT_FAMILY,
    MISSING_COLOR,
    NARROW_PX,
    choropleth,
    clicked_code,
    colour_range,
)
from rolgov.geo.labels import fitting_labels, short_label
from rolgov.geo.layers import COUNTRY, LEVELS, MapLayer, children, layer_for, levels, names, parent_scope
from rolgov.geo.topology import TOPOLOGY_PATH

TOPOJSON_DIR = ROOT / "static" / "topojson"
# Pass as st.plotly_chart(fig, config={"topojsonURL": TOPOJSON_URL}); needs [server] enableStaticServing.
TOPOJSON_URL = "app/static/topojson/"

__all__ = [
    "BOUNDARY_SOURCE",
    "COUNTRY",
    "DARK_TEXT",
    "DEFAULT_WIDTH_PX",
    "NARROW_PX",
    "FONT_FAMILY",
    "LEVELS",
    "MISSING_COLOR",
    "TOPOJSON_DIR",
    "TOPOJSON_URL",
    "TOPOLOGY_PATH",
    "MapLayer",
    "centroids",
    "children",
    "choropleth",
    "clicked_code",
    "colour_range",
    "fitting_labels",
    "layer_for",
    "levels",
    "load_counties",
    "names",
    "parent_scope",
    "short_label",
    "use_local_topojson_for_kaleido",
]


@lru_cache(maxsize=8)
def load_counties(path: Path | str | None = None, scope: str = regions.DEFAULT_SCOPE) -> dict:
    """A scope's county-level units as a GeoJSON FeatureCollection (default: ROLGOV_SCOPE, 安康市).

    Kept for pages written before children(): properties.code is the unit's current code. With `path`,
    reads that GeoJSON file instead. Cached: do not mutate.
    """
    if path is not None:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    return children(scope, None, "county").geojson


def centroids(geojson: dict | None = None) -> dict[str, tuple[float, float]]:
    """Code -> (lon, lat) label point of each feature: the point of its largest part farthest from its edges."""
    features = (geojson or load_counties())["features"]
    return {f["properties"]["code"]: tuple(f["properties"]["label"][:2]) for f in features}


def use_local_topojson_for_kaleido() -> str:
    """Point kaleido's image export at the local empty world topology, so it never fetches the CDN."""
    url = TOPOJSON_DIR.resolve().as_uri() + "/"
    pio.defaults.topojson = url
    return url
