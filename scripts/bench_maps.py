"""Map sizes and draw times: for each map, the bytes its figure sends and its draw time in headless Chromium.

Usage: python scripts/bench_maps.py [--runs 7]

For Ankang (a city by county), Shaanxi by city and by county, China by province and China by county it
prints: points drawn, the plotly JSON a page sends for the map (raw and gzipped; Streamlit sends the
figure's JSON), the Python time to build the figure (first call, then cached), and the median time of
Plotly.newPlot until the next frame in Debian's Chromium. The floor, measured in the same run and page,
is a one-polygon map with the same layout (title, colour bar, note): times are given as ratios to it.
Plotly.js comes from the installed plotly package and the empty world topology is handed to it
in the page, so nothing is fetched from a network.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import time
from pathlib import Path

import pandas as pd
import plotly
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from rolgov import geo  # noqa: E402 - after the path fix
from rolgov.geo import layers  # noqa: E402
from scripts.screenshots import launch  # noqa: E402

CASES = [
    ("安康市 by county", "610900", "county"),
    ("陕西省 by city", "610000", "prefecture"),
    ("陕西省 by county", "610000", "county"),
    ("China by province", geo.COUNTRY, "province"),
    ("China by county", geo.COUNTRY, "county"),
]
DRAW = """async ([fig, runs]) => {
    const gd = document.getElementById('map');
    const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
    const times = [];
    for (let i = 0; i < runs; i++) {
        Plotly.purge(gd);
        await frame();
        const t0 = performance.now();
        await Plotly.newPlot(gd, fig.data, fig.layout, {staticPlot: false});
        await frame();
        times.push(performance.now() - t0);
    }
    return times;
}"""


def one_polygon_map():
    """The floor: the same layout with one square unit (one feature, five points)."""
    square = [[[108.0, 33.0], [108.0, 34.0], [109.0, 34.0], [109.0, 33.0], [108.0, 33.0]]]
    feature = {"type": "Feature", "id": "x", "properties": {"code": "x", "name": "x", "label": [108.5, 33.5, 0.5]}}
    feature["geometry"] = {"type": "MultiPolygon", "coordinates": [square]}
    layer = layers.MapLayer(
        scope="x",
        level="county",
        year=None,
        codes=("x",),
        geojson={"type": "FeatureCollection", "features": [feature]},
        others={"type": "FeatureCollection", "features": []},
        lines=[],
    )
    return geo.choropleth(pd.DataFrame({"region_code": ["x"], "v": [1.0]}), "v", None, "floor", layer=layer)


def figure(scope: str, level: str):
    """The figure and the seconds to build it: layer and choropleth, first call and cached layer."""
    layers.children.cache_clear()
    t0 = time.perf_counter()
    layer = geo.children(scope, None, level)
    values = pd.DataFrame({"region_code": list(layer.codes), "v": [float(i % 17) for i in range(len(layer.codes))]})
    fig = geo.choropleth(values, "v", None, "bench", "Blues", "%", (0, 16), layer=layer)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    geo.choropleth(values, "v", None, "bench", "Blues", "%", (0, 16), layer=geo.children(scope, None, level))
    warm = time.perf_counter() - t0
    points = sum(len(r) for f in layer.geojson["features"] for p in f["geometry"]["coordinates"] for r in p)
    return fig, cold, warm, points


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    t0 = time.perf_counter()
    geo.children("610900")  # load the boundary file once, so each case times its own work
    print(f"boundary file {geo.TOPOLOGY_PATH.name}: {geo.TOPOLOGY_PATH.stat().st_size / 1e6:.2f} MB, "
          f"first load and Ankang's layer {time.perf_counter() - t0:.2f} s")  # fmt: skip
    page_html = (
        "<html><body><div id='map' style='width:700px;height:520px'></div>"
        f"<script src='{(Path(plotly.__file__).parent / 'package_data' / 'plotly.min.js').as_uri()}'></script>"
        "<script>window.PlotlyGeoAssets = {topojson: {world_110m: "
        f"{(ROOT / 'static' / 'topojson' / 'world_110m.json').read_text()}}}}};</script></body></html>"
    )
    html = Path("/tmp") / "bench_maps.html"
    html.write_text(page_html, encoding="utf-8")
    rows = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 760, "height": 600})
        page.goto(html.as_uri())
        page.evaluate(DRAW, [one_polygon_map().to_plotly_json(), 2])  # warm plotly.js up
        floor_json = one_polygon_map().to_json()
        floor = statistics.median(page.evaluate(DRAW, [one_polygon_map().to_plotly_json(), args.runs]))
        print(
            f"floor (one-polygon map): {len(floor_json) / 1e3:.1f} KB sent, draw {floor:.0f} ms (median of {args.runs})"
        )
        for name, scope, level in CASES:
            fig, cold, warm, points = figure(scope, level)
            sent = fig.to_json()
            draw = statistics.median(page.evaluate(DRAW, [fig.to_plotly_json(), args.runs]))
            rows.append((name, points, len(sent), len(gzip.compress(sent.encode())), cold, warm, draw))
        browser.close()
    print(
        f"{'map':<20}{'points':>8}{'sent KB':>9}{'gzip KB':>9}{'build s':>9}{'cached s':>9}{'draw ms':>9}{'x floor':>8}"
    )
    for name, points, raw, packed, cold, warm, draw in rows:
        sizes = f"{points:>8}{raw / 1e3:>9.0f}{packed / 1e3:>9.0f}"
        print(f"{name:<20}{sizes}{cold:>9.2f}{warm:>9.2f}{draw:>9.0f}{draw / floor:>8.1f}")


if __name__ == "__main__":
    main()
